#!/usr/bin/env python3
"""herald's built-in search against Hugo + Pagefind (extended), on the same corpus.

    python3 scripts/search_compare.py [--pages 10000]
    python3 scripts/search_compare.py --example

`--example` compares relevance where it means something: the bundled example
portal's real pages, built by herald, with Pagefind indexing herald's own
output of the board pages (the generated corpus repeats a dozen sentences, so
every word is in most pages: herald's index keeps no postings for such words
and lists the newest pages, while Pagefind ranks them by frequency, and their
top 3 cannot be compared there).

Builds the benchmark corpus (`examples/corpus`, the prose preset) with herald,
and its Hugo twin with Hugo followed by `pagefind_extended` (pip package
`pagefind-bin-extended`), serves both outputs on localhost, and runs a few
Chinese and English queries in headless Chromium (Debian's `chromium`):

- herald: its own search page, `/portal/search/?q=…`; the bytes of the first
  query are the search page, `search.js` and every index and document file the
  query loaded (read back from the page's DOM: each is a `<script>` it added);
- Pagefind: a probe page that imports `/portal/pagefind/pagefind.js`, runs the
  query and loads the top results' data, as Pagefind's UI does; the bytes are
  the sizes of every file the browser fetched for it (Resource Timing), the
  probe page itself left out. Pagefind's UI script and stylesheet, which a real
  search page also loads, are not counted, so Pagefind's figure is its least.

It prints, per query, both sides' bytes and top-3 result paths, and whether
the top 3 agree (as sets; both finding nothing does not count).
"""

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = "/tmp/herald-bench"
OUT = "/dev/shm/herald-search"
QUERIES = ["图书馆", "志愿服务", "直播间", "合作社 分红", "调解员", "reading room", "market"]
EXAMPLE_QUERIES = ["调解", "志愿服务", "茶农 直播", "网格", "停水", "手机", "reading stations"]


def sh(cmd, **kw):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)


def serve(directory):
    """Serves `directory` on a free port; returns the port."""
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def dom(chromium, url):
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pages", type=int, default=10000)
    p.add_argument("--example", action="store_true", help="the example portal: relevance on real pages")
    args = p.parse_args()
    chromium = shutil.which("chromium") or sys.exit("needs Debian's chromium")
    try:
        import pagefind_bin_extended  # noqa: PLC0415

        pagefind = str(pagefind_bin_extended.get_executable())
    except Exception:  # noqa: BLE001
        pagefind = shutil.which("pagefind_extended") or sys.exit("needs pip install pagefind-bin-extended")
    shutil.which("hugo") or sys.exit("needs hugo (apt-get install hugo)")

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "herald"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "corpus"], cwd=ROOT, check=True)
    n = args.pages
    shutil.rmtree(OUT, ignore_errors=True)
    herald_out = os.path.join(OUT, "herald", "portal")
    if args.example:
        hugo_out = herald_out
        queries = EXAMPLE_QUERIES
        sh([os.path.join(ROOT, "target/release/herald"), "build", "--root", ROOT, "--output", herald_out])
        # The board pages, as herald's search indexes them (not lists or tags).
        sh([pagefind, "--site", herald_out, "--glob", "{news,lessons,cases,publications,guides}/*/index.html"])
    else:
        queries = QUERIES
        sites = {}
        for tool in ["herald", "hugo"]:
            site = os.path.join(WORK, f"{tool}-{n}")
            if not os.path.exists(os.path.join(site, "content")):
                extra = ["--hugo"] if tool == "hugo" else []
                sh([os.path.join(ROOT, "target/release/examples/corpus"), site, str(n), "42", *extra])
            sites[tool] = site
        hugo_out = os.path.join(OUT, "hugo", "portal")
        sh([os.path.join(ROOT, "target/release/herald"), "build", "--root", sites["herald"], "--output", herald_out])
        sh(["hugo", "--quiet", "--source", sites["hugo"], "--destination", hugo_out])
        sh([pagefind, "--site", hugo_out])
    with open(os.path.join(hugo_out, "pagefind-probe.html"), "w") as f:
        f.write(PROBE)
    herald_port = serve(os.path.join(OUT, "herald"))
    hugo_port = serve(os.path.dirname(hugo_out))

    agree = 0
    what = "the example portal" if args.example else f"{n} pages"
    print(f"{what}; bytes of the first query (uncompressed as served), top 3 results")
    for q in queries:
        quoted = urllib.parse.quote(q)
        page = dom(chromium, f"http://127.0.0.1:{herald_port}/portal/search/?q={quoted}")
        results = re.findall(r'<ol id="search-results"[^>]*>(.*?)</ol>', page, re.S)
        ours = re.findall(r'<a href="([^"]+)"', results[0] if results else "")[:3]
        files = ["search/index.html", "search.js"]
        loaded = re.findall(r'<script id="hs-([id])(\d+)"', page)
        files += [f"search/{'index' if k == 'i' else 'docs'}-{num}.js" for k, num in loaded]
        ours_bytes = sum(os.path.getsize(os.path.join(herald_out, f)) for f in files if os.path.exists(os.path.join(herald_out, f)))

        data = {"top": [], "files": []}
        for _ in range(3):
            probe = dom(chromium, f"http://127.0.0.1:{hugo_port}/portal/pagefind-probe.html?q={quoted}")
            m = re.search(r'<pre id="out">(.+?)</pre>', probe, re.S)
            if m:
                data = json.loads(m.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
                break
        theirs = data["top"]
        theirs_bytes = sum(size for name, size in data["files"] if "pagefind-probe" not in name)
        def strip(urls):
            paths = [urllib.parse.unquote(u).split("#")[0].rstrip("/") for u in urls]
            return [p.removeprefix("/portal") for p in paths]

        same = bool(ours) and set(strip(ours)) == set(strip(theirs))
        agree += same
        print(f"\n{q}\n  herald   {ours_bytes / 1024:8.1f} KiB  {strip(ours)}\n  Pagefind {theirs_bytes / 1024:8.1f} KiB  {strip(theirs)}\n  top 3 agree: {'yes' if same else 'no'}")
    print(f"\ntop 3 agree on {agree} of {len(queries)} queries")


PROBE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>probe</title></head>
<body><pre id="out"></pre>
<script type="module">
const q = new URLSearchParams(location.search).get("q");
const pagefind = await import("/portal/pagefind/pagefind.js");
const search = await pagefind.search(q);
const top = await Promise.all(search.results.slice(0, 3).map((r) => r.data()));
const files = performance.getEntriesByType("resource").map((e) => [e.name, e.encodedBodySize]);
document.getElementById("out").textContent = JSON.stringify({ top: top.map((d) => d.url), files });
</script></body></html>
"""

if __name__ == "__main__":
    main()
