#!/usr/bin/env python3
"""What highlighting costs per line of code, for one or more herald binaries.

    python3 scripts/highlight_cost.py                      # this checkout's binary
    python3 scripts/highlight_cost.py --runs 7 old=/tmp/old/herald new=target/release/herald

Builds the 10,000-page code corpus (`examples/corpus --code`) and the same
corpus with every fence's language removed, alternating binaries and
corpora, output on tmpfs; a binary named `…ts` (or `--tree-sitter`) builds a
copy whose site.yaml asks for `highlight: { engine: tree-sitter }`.
Highlighting per line is the CPU time (user + system) of the code corpus
minus that of the corpus without languages, divided by the corpus's lines
of code. Each site is given no theme folder, so each binary uses the theme
built into it (binaries of different dates can be compared).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess

from bench import timed

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/herald-bench"
OUT = "/dev/shm/herald-highlight-cost"
FENCE = re.compile(r"^```([A-Za-z]+)$", re.M)


def corpus(n):
    """The code corpus without themes/ and its two variants; the lines of code."""
    base = os.path.join(WORK, f"highlight-{n}")
    if not os.path.exists(os.path.join(base, "code", "content")):
        shutil.rmtree(base, ignore_errors=True)
        code = os.path.join(base, "code")
        gen = os.path.join(ROOT, "target/release/examples/corpus")
        subprocess.run([gen, code, str(n), "42", "--code"], check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(os.path.join(code, "themes"), ignore_errors=True)
        plain = os.path.join(base, "plain")
        ts = os.path.join(base, "tree-sitter")
        shutil.copytree(code, plain)
        shutil.copytree(code, ts)
        with open(os.path.join(ts, "site.yaml"), "a", encoding="utf-8") as f:
            f.write("highlight: { engine: tree-sitter }\n")
        for dirpath, _, files in os.walk(os.path.join(plain, "content")):
            for name in files:
                if name.endswith(".md"):
                    path = os.path.join(dirpath, name)
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(FENCE.sub("```", text))
    lines = 0
    for dirpath, _, files in os.walk(os.path.join(base, "code", "content")):
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                    inside = False
                    for line in f:
                        line = line.rstrip("\n")
                        if not inside:
                            inside = FENCE.match(line) is not None
                        elif line.startswith("```"):
                            inside = False
                        else:
                            lines += 1
    return base, lines


def cpu(binary, site):
    """(wall s, CPU s) of one build of `site`, into a fresh output folder."""
    out = os.path.join(OUT, "site")
    shutil.rmtree(out, ignore_errors=True)
    wall, user, system, _ = timed([binary, "build", "--root", site, "--output", out])
    return wall, user + system


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binaries", nargs="*", help="label=path (default: this checkout's)")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--pages", type=int, default=10000)
    p.add_argument("--tree-sitter", action="store_true",
                   help="also this checkout's binary with the tree-sitter engine")
    args = p.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "herald"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "corpus"], cwd=ROOT, check=True)
    ours = os.path.join(ROOT, "target/release/herald")
    binaries = [b.split("=", 1) for b in args.binaries] or [["syntect", ours]]
    if args.tree_sitter:
        binaries.append(["tree-sitter ts", ours])
    base, lines = corpus(args.pages)
    os.makedirs(OUT, exist_ok=True)
    runs = {}
    for _ in range(args.runs):
        for label, binary in binaries:
            code = "tree-sitter" if label.endswith("ts") else "code"
            for variant in [code, "plain"]:
                runs.setdefault((label, variant), []).append(cpu(binary, os.path.join(base, variant)))
    print(f"{args.pages} pages, {lines} lines of code, {args.runs} alternating runs, medians")
    for label, _ in binaries:
        code = "tree-sitter" if label.endswith("ts") else "code"
        c = statistics.median(r[1] for r in runs[(label, code)])
        n = statistics.median(r[1] for r in runs[(label, "plain")])
        w = statistics.median(r[0] for r in runs[(label, code)])
        print(f"  {label:<16} code {c * 1000:7.0f} ms cpu ({w * 1000:6.0f} ms wall)   "
              f"without languages {n * 1000:7.0f} ms cpu   per line {(c - n) / lines * 1e6:5.1f} µs")
    shutil.rmtree(OUT, ignore_errors=True)


if __name__ == "__main__":
    main()
