#!/usr/bin/env python3
"""Build-speed benchmark: herald against Hugo on the same generated corpus.

    python3 scripts/bench.py                 # 1,000 and 10,000 pages, 5 runs each
    python3 scripts/bench.py --runs 7 --big  # also 100,000 pages (herald alone)
    python3 scripts/bench.py --presets code  # only the code-heavy corpus

For each preset (`prose`: the corpus's short code blocks; `code`: blocks of
5–60 lines, every one different, `examples/corpus --code`) and size it
generates the corpus (same seed for both generators), does one warm-up build
of each, then alternates herald and Hugo runs (when `hugo` is installed:
`apt-get install hugo`), output on tmpfs (/dev/shm), the output folder
removed before every run. Hugo has no search of its own: when Pagefind's
extended build is installed (`pip install pagefind-bin-extended`, which
segments Chinese), each Hugo run is followed by `pagefind_extended --site`
over its output, timed on its own, so herald (search built in) is compared
with Hugo alone and with Hugo + Pagefind. It prints the medians of wall
time, CPU time (user + system) and peak RSS, and the ratios measured in the
same run. Each herald corpus is also built with site.yaml's
`highlight: { engine: tree-sitter }` (a copy of the corpus, `herald-ts`), the
faster highlighting engine herald offers beside syntect. The machine is
shared and noisy: compare ratios, not absolute figures across runs.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/herald-bench"
OUT = "/dev/shm/herald-bench"


def timed(cmd, cwd=None):
    """Runs cmd; returns (wall s, user s, system s, peak RSS MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    return wall, usage.ru_utime, usage.ru_stime, usage.ru_maxrss / 1024


def run(cmd, cwd=None):
    """Runs cmd; returns (wall s, cpu s, peak RSS MiB)."""
    wall, user, system, rss = timed(cmd, cwd)
    return wall, user + system, rss


def corpus(n, hugo, preset="prose", engine="syntect"):
    if engine != "syntect":
        # The same corpus, highlighted by the other engine.
        base = corpus(n, hugo=False, preset=preset)
        path = f"{base}-{engine}"
        if not os.path.exists(os.path.join(path, "content")):
            shutil.rmtree(path, ignore_errors=True)
            shutil.copytree(base, path, ignore=shutil.ignore_patterns("public"))
            with open(os.path.join(path, "site.yaml"), "a", encoding="utf-8") as f:
                f.write(f"highlight: {{ engine: {engine} }}\n")
        else:
            shutil.rmtree(os.path.join(path, "themes"), ignore_errors=True)
            shutil.copytree(os.path.join(base, "themes"), os.path.join(path, "themes"))
        return path
    tool = "hugo" if hugo else "herald"
    name = f"{tool}-{n}" if preset == "prose" else f"{tool}-{preset}-{n}"
    path = os.path.join(WORK, name)
    if not os.path.exists(os.path.join(path, "content")):
        shutil.rmtree(path, ignore_errors=True)
        args = [os.path.join(ROOT, "target/release/examples/corpus"), path, str(n), "42"]
        if hugo:
            args.append("--hugo")
        if preset == "code":
            args.append("--code")
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    elif not hugo:
        # A corpus is kept between runs, but always with the theme of the
        # code being measured (its templates call herald's functions).
        theme = os.path.join(path, "themes", "default")
        shutil.rmtree(theme, ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, "themes", "default"), theme)
    return path


def herald_cmd(site, out):
    return [os.path.join(ROOT, "target/release/herald"), "build", "--root", site, "--output", out]


def hugo_cmd(site, out):
    return ["hugo", "--quiet", "--source", site, "--destination", out]


def find_pagefind():
    """The extended Pagefind binary (pip package pagefind-bin-extended)."""
    for name in ["pagefind_extended", "pagefind"]:
        if shutil.which(name):
            return shutil.which(name)
    try:
        import pagefind_bin_extended  # noqa: PLC0415

        return str(pagefind_bin_extended.get_executable())
    except Exception:  # noqa: BLE001
        return None


def measure(label, cmd_for, site, runs_out):
    out = os.path.join(OUT, label)
    shutil.rmtree(out, ignore_errors=True)
    result = run(cmd_for(site, out))
    runs_out.append(result)
    return result


def summary(name, runs):
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    rss = statistics.median(r[2] for r in runs)
    print(f"  {name:<9} wall {wall * 1000:8.0f} ms   cpu {cpu * 1000:8.0f} ms   peak RSS {rss:7.0f} MiB   ({len(runs)} runs)")
    return wall


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="1000,10000")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--big", action="store_true", help="also 100,000 pages with herald alone")
    p.add_argument("--presets", default="prose,code", help="prose, code or both")
    args = p.parse_args()

    # Two cargo calls: built together, the example's dev-dependencies would
    # unify features with the binary's dependencies, and the binary measured
    # would not be the one `cargo build --release` makes.
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "herald"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "corpus"], cwd=ROOT, check=True)
    os.makedirs(WORK, exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    have_hugo = shutil.which("hugo") is not None
    if have_hugo:
        version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip()
        print(f"hugo: {version}")
    else:
        print("hugo: not installed (apt-get install hugo) — herald only")
    pagefind = find_pagefind() if have_hugo else None
    if pagefind:
        version = subprocess.run([pagefind, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"pagefind: {version} ({pagefind})")
    elif have_hugo:
        print("pagefind: not installed (pip install pagefind-bin-extended) — Hugo without search")
    print(f"cores: {os.cpu_count()}, output on {OUT} (tmpfs)")

    for preset in args.presets.split(","):
        medians = {}
        for n in [int(s) for s in args.sizes.split(",")]:
            ours = corpus(n, hugo=False, preset=preset)
            ours_ts = corpus(n, hugo=False, preset=preset, engine="tree-sitter")
            theirs = corpus(n, hugo=True, preset=preset) if have_hugo else None
            print(f"\n{preset} corpus, {n} pages")
            # Warm-up (file cache, binaries).
            measure("herald", herald_cmd, ours, [])
            measure("herald-ts", herald_cmd, ours_ts, [])
            if theirs:
                measure("hugo", hugo_cmd, theirs, [])
            h_runs, t_runs, g_runs, p_runs = [], [], [], []
            for _ in range(args.runs):
                measure("herald", herald_cmd, ours, h_runs)
                measure("herald-ts", herald_cmd, ours_ts, t_runs)
                if theirs:
                    measure("hugo", hugo_cmd, theirs, g_runs)
                    if pagefind:
                        p_runs.append(run([pagefind, "--site", os.path.join(OUT, "hugo")]))
            h = summary("herald", h_runs)
            t = summary("herald-ts", t_runs)
            medians[n] = h
            if theirs:
                g = summary("hugo", g_runs)
                print(f"  herald/Hugo wall ratio: {h / g:.3f} (tree-sitter: {t / g:.3f})")
            if p_runs:
                summary("pagefind", p_runs)
                both = statistics.median(a[0] + b[0] for a, b in zip(g_runs, p_runs))
                print(f"  Hugo + Pagefind wall {both * 1000:8.0f} ms (median of the sums)")
                print(f"  herald/(Hugo + Pagefind) wall ratio: {h / both:.3f} (tree-sitter: {t / both:.3f})")
        if 1000 in medians and 10000 in medians:
            print(f"\n{preset}: growth 1,000 → 10,000 pages: {medians[10000] / medians[1000]:.1f}× the time")

    if args.big:
        n = 100_000
        print(f"\n{n} pages (herald alone)")
        site = corpus(n, hugo=False)
        runs = []
        for _ in range(max(1, min(args.runs, 3))):
            measure("herald-big", herald_cmd, site, runs)
        summary("herald", runs)
        shutil.rmtree(os.path.join(OUT, "herald-big"), ignore_errors=True)


if __name__ == "__main__":
    main()
