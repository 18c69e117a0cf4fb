#!/usr/bin/env python3
"""Same-run comparison of herald binaries: did a change make builds faster,
and did it change the output?

    cargo build --release && cp target/release/herald /tmp/herald-new
    git stash && cargo build --release && cp target/release/herald /tmp/herald-old && git stash pop
    python3 scripts/compare.py /tmp/herald-old /tmp/herald-new          # 10,000 pages, 7 runs
    python3 scripts/compare.py /tmp/herald-old /tmp/herald-new --pages 1000 --runs 11
    python3 scripts/compare.py /tmp/herald-old /tmp/herald-new --site . --same

The site is a generated corpus (`--pages N`, the same one `bench.py` uses) or
any site folder (`--site`). After one warm-up build of each binary, the
binaries take turns, so both see the same machine: this one is shared and
its speed drifts by tens of percent between hours, which a comparison of
figures from different runs cannot tell from a real change. It prints the
medians of wall, user and system time and peak RSS, and each binary's median
wall time relative to the first one's. `--same` also checks that every
binary writes byte-identical output.
"""

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import OUT, ROOT, WORK, corpus, timed  # noqa: E402


def build(binary, site, out):
    """Builds site with binary into out; returns (wall s, user s, sys s, peak RSS MiB)."""
    shutil.rmtree(out, ignore_errors=True)
    return timed([binary, "build", "--root", site, "--output", out])


def differences(a, b):
    """Paths that differ between two output folders (missing on either side included)."""
    found = []

    def walk(cmp, prefix):
        found.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")

    walk(filecmp.dircmp(a, b, ignore=[]), "")
    return found


def main():
    p = argparse.ArgumentParser(description="Alternate herald binaries on one site.")
    p.add_argument("binaries", nargs="+", help="two or more herald binaries; the first is the baseline")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--pages", type=int, default=10_000, help="generated corpus size (default 10000)")
    where.add_argument("--site", help="a site folder instead of a generated corpus")
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--same", action="store_true", help="also check the outputs are byte-identical")
    args = p.parse_args()
    if len(args.binaries) < 2:
        p.error("give at least two binaries")
    binaries = [os.path.abspath(b) for b in args.binaries]

    if args.site:
        site = os.path.abspath(args.site)
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "corpus"], cwd=ROOT, check=True)
        os.makedirs(WORK, exist_ok=True)
        site = corpus(args.pages, hugo=False)
    os.makedirs(OUT, exist_ok=True)
    outs = [os.path.join(OUT, f"compare-{i}") for i in range(len(binaries))]
    print(f"site: {site}; output on {OUT} (tmpfs); {args.runs} runs each after a warm-up")

    runs = [[] for _ in binaries]
    for turn in range(args.runs + 1):
        for i, b in enumerate(binaries):
            result = build(b, site, outs[i])
            if turn > 0:
                runs[i].append(result)

    base = None
    for b, r in zip(binaries, runs):
        wall, user, system, rss = (statistics.median(x[k] for x in r) for k in range(4))
        base = base or wall
        print(
            f"  {b}\n    wall {wall * 1000:7.0f} ms ({wall / base:6.1%})   user {user * 1000:6.0f} ms"
            f"   sys {system * 1000:5.0f} ms   peak RSS {rss:5.0f} MiB   fastest {min(x[0] for x in r) * 1000:.0f} ms"
        )

    status = 0
    if args.same:
        for b, out in zip(binaries[1:], outs[1:]):
            diff = differences(outs[0], out)
            if diff:
                status = 1
                print(f"DIFFERENT output from {b}: {len(diff)} paths, e.g. {', '.join(diff[:5])}")
            else:
                print(f"same output: {b}")
    for out in outs:
        shutil.rmtree(out, ignore_errors=True)
    sys.exit(status)


if __name__ == "__main__":
    main()
