#!/usr/bin/env python3
"""Dev-server benchmark: the real `herald serve`, every kind of edit.

    python3 scripts/serve_bench.py                    # 1,000 and 10,000 pages
    python3 scripts/serve_bench.py --sizes 1000 --edits 5

For each size it generates the corpus (`examples/corpus`, seed 42) into
/tmp/herald-serve-bench, adds one page showing a data file (so that a data
edit changes what readers see), starts the release binary
(`target/release/herald serve --port 0`, its own allocator and threads),
and measures from each file write to the live-reload event a browser gets
(`/__herald/live`): body, title, date (moving a page to the top of its
board), tags, new page, deleted page, template, CSS and data-file edits,
each EDITS times, as p50/p95. Start-up is spawn to the server answering (three starts);
peak RSS is the process's VmHWM at the end. Build first:
`cargo build --release --examples`. The machine is shared and noisy: the
figures are wall time on whatever else runs.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/herald-serve-bench"
HERALD = os.path.join(ROOT, "target/release/herald")

DATA_PAGE = """---
title: 积分榜
date: 2024-01-01T08:00:00+08:00
---
本月各单位的学习积分。

{{ leaderboard(source="scores") }}
"""


def corpus(n):
    path = os.path.join(WORK, str(n))
    shutil.rmtree(path, ignore_errors=True)
    gen = os.path.join(ROOT, "target/release/examples/corpus")
    subprocess.run([gen, path, str(n), "42"], check=True, stdout=subprocess.DEVNULL)
    theme = os.path.join(path, "themes", "default")
    shutil.rmtree(theme, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "themes", "default"), theme)
    os.makedirs(os.path.join(path, "data"), exist_ok=True)
    write(os.path.join(path, "data", "scores.csv"), scores(0))
    write(os.path.join(path, "content", "news", "scores.md"), DATA_PAGE)
    return path


def scores(i):
    return f"name,unit,points\n张三,一队,{100 + i}\n李四,二队,90\n王五,三队,80\n"


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class Live:
    """The live-reload event stream, as a browser reads it."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.sock.sendall(f"GET /__herald/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.sock.recv(4096)
        self.buf = self.buf.split(b"\r\n\r\n", 1)[1]

    def wait(self):
        """Waits for the next reload (or errors) event; returns its name."""
        while True:
            m = re.search(rb"event: (reload|errors)\n(?:data: [^\n]*\n)*\n", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                return m.group(1).decode()
            chunk = self.sock.recv(65536)
            if not chunk:
                sys.exit("the live stream closed")
            self.buf += chunk


def pages_of(site, board):
    folder = os.path.join(site, "content", board)
    return sorted(
        os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".md") and f != "_index.md"
    )


def edits(site):
    """(name, file, edit(original, i) → new text or None to delete)."""
    news = pages_of(site, "news")
    lessons = pages_of(site, "lessons")
    page = news[len(news) // 2]

    def body(text, i):
        return text + f"\n新增的一段文字，编号 edit{i}。\n"

    def title(text, i):
        return re.sub(r"^title: .*$", f"title: 改过的标题 {i}", text, count=1, flags=re.M)

    def date(text, i):
        return re.sub(r"^date: .*$", f"date: 2026-0{1 + i % 9}-01T08:00:00+08:00", text, count=1, flags=re.M)

    def tags(text, i):
        return re.sub(r"^tags: .*$", f"tags: [新标签{i}, 就业]", text, count=1, flags=re.M)

    def template(text, i):
        return text.replace("{% block main %}", f"{{% block main %}}<!-- edit {i} -->", 1)

    def css(text, i):
        return text + f"\n.bench-{i} {{ color: red; }}\n"

    theme = os.path.join(site, "themes", "default")
    return [
        ("body", page, body),
        ("title", lessons[len(lessons) // 3], title),
        ("date (reorders a board)", news[5], date),
        ("tags", news[7], tags),
        ("template (article.html)", os.path.join(theme, "templates", "article.html"), template),
        ("CSS (style.css)", os.path.join(theme, "static", "style.css"), css),
        ("data file", os.path.join(site, "data", "scores.csv"), lambda _t, i: scores(i + 1)),
    ]


def percentile(values, p):
    v = sorted(values)
    return v[round((len(v) - 1) * p)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure_site(n, count):
    site = corpus(n)
    # One warm read of the files, as an editor's machine has them cached.
    subprocess.run(["cat"] + pages_of(site, "news")[:1], stdout=subprocess.DEVNULL)
    for dirpath, _, files in os.walk(os.path.join(site, "content")):
        for f in files:
            with open(os.path.join(dirpath, f), "rb") as fh:
                fh.read()

    def start(port):
        t = time.perf_counter()
        proc = subprocess.Popen(
            [HERALD, "--lang", "en", "serve", "--root", site, "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        line = proc.stdout.readline()
        while "Serving at" not in line:
            if not line:
                sys.exit("herald serve stopped")
            line = proc.stdout.readline()
        return proc, (time.perf_counter() - t) * 1000

    # Start-up three times (the machine is noisy); the last one stays up.
    starts = []
    for _ in range(2):
        proc, ms = start(free_port())
        starts.append(ms)
        proc.terminate()
        proc.wait()
    port = free_port()
    proc, ms = start(port)
    starts.append(ms)
    try:
        live = Live(port)
        rows = [("start-up", starts)]

        def timed(path, text):
            time.sleep(0.25)
            t = time.perf_counter()
            if text is None:
                os.remove(path)
            else:
                write(path, text)
            event = live.wait()
            if event != "reload":
                sys.exit(f"{path}: the edit gave {event}")
            return (time.perf_counter() - t) * 1000

        for name, path, edit in edits(site):
            original = read(path)
            times = [timed(path, edit(original, i)) for i in range(count)]
            timed(path, original)
            rows.append((name, times))
        new_times, deleted_times = [], []
        for i in range(count):
            path = os.path.join(site, "content", "news", f"bench-new-{i}.md")
            text = f"---\ntitle: 新页面 {i}\ndate: 2026-06-01T08:00:00+08:00\ntags: [就业]\n---\n新的一页。\n"
            new_times.append(timed(path, text))
            deleted_times.append(timed(path, None))
        rows.append(("new page", new_times))
        rows.append(("deleted page", deleted_times))
        with open(f"/proc/{proc.pid}/status") as f:
            peak = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024
    finally:
        proc.terminate()
        proc.wait()
    return rows, peak


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--edits", type=int, default=10, help="edits of each kind (default 10)")
    args = ap.parse_args()
    for exe in (HERALD, os.path.join(ROOT, "target/release/examples/corpus")):
        if not os.path.exists(exe):
            sys.exit(f"missing {exe}: run `cargo build --release --examples` first")
    print(f"herald serve, save → reload event, {args.edits} edits of each kind; {time.strftime('%Y-%m-%d')}")
    for n in args.sizes:
        rows, peak = measure_site(n, args.edits)
        print(f"\n{n} pages (+1 data page): peak RSS {peak:.0f} MiB")
        print(f"  {'edit':<26} {'p50 ms':>9} {'p95 ms':>9}")
        for name, times in rows:
            p50 = statistics.median(times)
            print(f"  {name:<26} {p50:>9.1f} {percentile(times, 0.95):>9.1f}")


if __name__ == "__main__":
    main()
