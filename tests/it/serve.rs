//! `herald serve`: pages from memory, live reload, errors in the browser,
//! hostile paths (the random edit sequence is in `serve_diff.rs`).

use crate::common::*;
use herald::serve::{ServeOptions, UpdateKind, start};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn serve(f: &Fixture) -> herald::serve::Running {
    serve_recording(f, Arc::default())
}

/// Starts a server that records which way each rebuild went.
pub(crate) fn serve_recording(
    f: &Fixture,
    kinds: Arc<std::sync::Mutex<Vec<UpdateKind>>>,
) -> herald::serve::Running {
    let opts = ServeOptions {
        port: 0,
        ..ServeOptions::new(f.path())
    };
    let report = move |e: herald::serve::ServeEvent| {
        if let herald::serve::ServeEvent::Rebuilt { kind, .. } = e {
            kinds.lock().unwrap().push(kind);
        }
    };
    start(&opts, Arc::new(report)).expect("server starts")
}

/// Replaces the text after the front matter of `rel`.
pub(crate) fn set_body(f: &Fixture, rel: &str, body: &str) {
    let text = std::fs::read_to_string(f.path().join(rel)).unwrap_or_default();
    let Some(end) = text.get(4..).and_then(|t| t.find("\n---\n")) else {
        return;
    };
    f.write(rel, &format!("{}{body}", &text[..4 + end + 5]));
}

/// A raw HTTP/1.1 GET (paths exactly as given); returns (status, headers, body).
fn raw_get(addr: std::net::SocketAddr, target: &str, method: &str) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(all.len());
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let body = all.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head, body)
}

fn get(r: &herald::serve::Running, path: &str) -> (u16, String, String) {
    let (s, h, b) = raw_get(r.addr, path, "GET");
    (s, h, String::from_utf8_lossy(&b).into_owned())
}

/// Waits until `cond` holds (polling), or panics after `secs`.
pub(crate) fn wait_for(secs: u64, what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(secs),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Reads SSE events (name, data) from the live endpoint.
struct Live {
    reader: BufReader<TcpStream>,
}

impl Live {
    fn connect(addr: std::net::SocketAddr) -> Live {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(s, "GET /__herald/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        Live { reader }
    }

    fn next(&mut self) -> (String, String) {
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let mut line = String::new();
            if self.reader.read_line(&mut line).unwrap() == 0 {
                panic!("live stream closed");
            }
            let line = line.trim_end();
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = d.to_string();
            } else if line.is_empty() && !name.is_empty() {
                return (name, data);
            }
        }
    }

    fn next_named(&mut self, wanted: &str) -> String {
        loop {
            let (name, data) = self.next();
            if name == wanted {
                return data;
            }
        }
    }
}

#[test]
fn serves_pages_from_memory_with_the_right_headers() {
    let f = Fixture::new();
    let r = serve(&f);
    assert!(
        r.url.ends_with("/portal/"),
        "the sub-path is kept: {}",
        r.url
    );
    let (status, head, body) = get(&r, "/portal/news/a/");
    assert_eq!(status, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8")
            && head.contains("Cache-Control: no-store")
    );
    assert!(
        body.contains(&format!(
            "href=\"http://127.0.0.1:{}/portal/news/a/\"",
            r.addr.port()
        )),
        "canonical uses the local address"
    );
    assert!(body.contains("/__herald/live"), "live script injected");
    for (path, ctype) in [
        ("/portal/style.css", "text/css"),
        ("/portal/search.js", "text/javascript"),
        ("/portal/atom.xml", "application/xml"),
        ("/portal/publications/book/cover.svg", "image/svg+xml"),
        ("/portal/publications/book/book.pdf", "application/pdf"),
        ("/portal/robots.txt", "text/plain"),
    ] {
        let (s, h, _) = get(&r, path);
        assert_eq!(s, 200, "{path}");
        assert!(h.contains(&format!("Content-Type: {ctype}")), "{path}: {h}");
    }
    let (s, _, b) = get(&r, "/portal/no/such/page/");
    assert_eq!(s, 404);
    assert!(b.contains("页面不存在"), "the theme's 404 page");
    let (s, h, _) = get(&r, "/portal/news/a");
    assert_eq!(s, 301);
    assert!(h.contains("Location: /portal/news/a/"));
    let (s, h, b) = raw_get(r.addr, "/portal/news/a/", "HEAD");
    assert_eq!(s, 200);
    assert!(h.contains("Content-Length") && b.is_empty());
    assert!(!f.output_exists("index.html"), "serve never writes public/");
}

#[test]
fn hostile_paths_never_reach_outside_the_site() {
    let f = Fixture::new();
    f.write("secret.txt", "TOP SECRET");
    let r = serve(&f);
    let long = format!("/portal/{}", "a/".repeat(3000));
    let cases = [
        "/portal/../secret.txt",
        "/portal/../../etc/passwd",
        "/portal/%2e%2e/secret.txt",
        "/portal/%2E%2E/%2E%2E/etc/passwd",
        "/portal/%252e%252e/secret.txt",
        "/portal/..%2fsecret.txt",
        "/portal/%2e%2e%2fsecret.txt",
        "/portal/..\\secret.txt",
        "/portal/%5c..%5csecret.txt",
        "//etc/passwd",
        "/portal//etc/passwd",
        "/portal/%00",
        "/portal/index.html%00.txt",
        "/etc/passwd",
        "/secret.txt",
        "/portal/secret.txt",
        "/portal/site.yaml",
        "/portal/content/news/a.md",
        "/portal/../site.yaml",
        "/portal/./../secret.txt",
        "/portal/news/../../secret.txt",
        "/portal/news/a/../../../secret.txt",
        "/portal/%2e/secret.txt",
        "/portal/．．/secret.txt",
        "/portal/%ef%bc%8e%ef%bc%8e/secret.txt",
        "/portal/‥/secret.txt",
        "/portal/style.css?raw",
        "/portal/style.css?import",
        "/portal/../secret.txt?raw",
        "/portal/?../../secret.txt",
        "/portal/#/../secret.txt",
        "/portal/%",
        "/portal/%zz",
        "/portal/%c0%ae%c0%ae/secret.txt",
        "/portal/.%2e/secret.txt",
        "/portal/themes/default/templates/base.html",
        "/portal/.herald-cache/",
        "/portal/news/a/index.html/..",
        "/portal/*",
        &long,
        "http://127.0.0.1/secret.txt",
    ];
    assert!(cases.len() >= 40);
    for target in cases {
        let (status, _, body) = raw_get(r.addr, target, "GET");
        let text = String::from_utf8_lossy(&body);
        assert!(
            !text.contains("TOP SECRET")
                && !text.contains("root:")
                && !text.contains("title: 测试站"),
            "{target} leaked"
        );
        assert!(
            [200, 301, 400, 404, 414].contains(&status) || status == 0,
            "{target}: {status}"
        );
        let path = target.split(['?', '#']).next().unwrap_or("");
        if path.contains("secret") || path.contains("passwd") || path.contains("site.yaml") {
            assert_ne!(status, 200, "{target}");
        }
    }
    // Malformed HTTP does not stop the server.
    let mut s = TcpStream::connect(r.addr).unwrap();
    s.write_all(b"\x00\x01garbage\r\n\r\n").unwrap();
    drop(s);
    assert_eq!(get(&r, "/portal/").0, 200);
}

#[test]
fn edits_reload_the_browser_and_errors_show_then_clear() {
    let f = Fixture::new();
    let r = serve(&f);
    let mut live = Live::connect(r.addr);
    assert!(live.next_named("hello").contains("\"version\":1"));
    f.write(
        "content/news/a.md",
        "---\ntitle: 改过的标题\ndate: 2024-05-01\n---\n新的正文。\n",
    );
    let data = live.next_named("reload");
    assert!(data.contains("\"css\":false"), "{data}");
    wait_for(5, "new content", || {
        get(&r, "/portal/news/a/").2.contains("改过的标题")
    });
    // A CSS-only change swaps the stylesheet without a reload.
    let css = std::fs::read_to_string(f.path().join("themes/default/static/style.css")).unwrap();
    f.write(
        "themes/default/static/style.css",
        &format!("{css}\n.x {{ color: red; }}\n"),
    );
    assert!(live.next_named("reload").contains("\"css\":true"));
    // A broken page: the errors event names file and line; the old page stays.
    f.write(
        "content/news/a.md",
        "---\ntitle: 改过的标题\ntags: 不是列表\n---\n",
    );
    let errors = live.next_named("errors");
    assert!(errors.contains("content/news/a.md:3:7"), "{errors}");
    assert!(get(&r, "/portal/news/a/").2.contains("改过的标题"));
    // A page loaded now hears about the errors at once.
    let mut late = Live::connect(r.addr);
    assert!(late.next().0 == "hello");
    assert!(late.next_named("errors").contains("content/news/a.md"));
    // Fixed: the browsers reload.
    f.write("content/news/a.md", "---\ntitle: 修好了\n---\n");
    live.next_named("reload");
    wait_for(5, "fixed page", || {
        get(&r, "/portal/news/a/").2.contains("修好了")
    });
}

/// Browsers reload before the search index of an update is made; a request
/// for the search page or index that comes first waits for it.
#[test]
fn the_search_index_right_after_a_reload_has_the_new_page() {
    let f = Fixture::new();
    let kinds = Arc::new(std::sync::Mutex::new(Vec::new()));
    let r = serve_recording(&f, kinds.clone());
    let mut live = Live::connect(r.addr);
    live.next_named("hello");
    let attr = |page: &str, name: &str| -> usize {
        let at = page.find(&format!("{name}=\"")).expect("search page") + name.len() + 2;
        page[at..].split('"').next().unwrap().parse().unwrap()
    };
    let indexed = |word: &str| {
        let page = get(&r, "/portal/search/").2;
        (0..attr(&page, "data-shards")).any(|i| {
            get(&r, &format!("/portal/search/index-{i}.js"))
                .2
                .contains(word)
        })
    };
    let before = attr(&get(&r, "/portal/search/").2, "data-docs");
    // No waiting after the reload events: the server does.
    f.write(
        "content/news/zebra.md",
        "---\ntitle: Zebrafinch\ndate: 2024-06-01\n---\nA zebrafinch sings.\n",
    );
    live.next_named("reload");
    let page = get(&r, "/portal/search/").2;
    assert_eq!(attr(&page, "data-docs"), before + 1);
    assert!(indexed("zebrafinch"));
    // A title edit: the index is made after the reload (no full build).
    kinds.lock().unwrap().clear();
    f.write(
        "content/news/zebra.md",
        "---\ntitle: Quetzal\ndate: 2024-06-01\n---\nA zebrafinch sings.\n",
    );
    live.next_named("reload");
    assert!(indexed("quetzal"), "the new title is in the index");
    assert_eq!(*kinds.lock().unwrap(), [UpdateKind::Pages]);
}

#[test]
fn busy_port_moves_to_the_next_free_one() {
    let f = Fixture::new();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let notes = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = notes.clone();
    let opts = ServeOptions {
        port,
        ..ServeOptions::new(f.path())
    };
    let r = start(
        &opts,
        Arc::new(move |e| seen.lock().unwrap().push(format!("{e:?}"))),
    )
    .unwrap();
    assert_ne!(r.addr.port(), port);
    assert!(
        notes
            .lock()
            .unwrap()
            .iter()
            .any(|n| n.contains(&format!("port {port} is busy")))
    );
}

#[test]
fn many_live_connections_do_not_starve_page_requests() {
    let f = Fixture::new();
    let r = serve(&f);
    let conns: Vec<Live> = (0..200).map(|_| Live::connect(r.addr)).collect();
    wait_for(5, "200 live connections", || {
        r.state.live.connections() >= 200
    });
    let start = Instant::now();
    for _ in 0..50 {
        assert_eq!(get(&r, "/portal/news/a/").0, 200);
    }
    assert!(start.elapsed() < Duration::from_secs(10));
    drop(conns);
}

/// In headless Chromium: an open page updates by itself after an edit,
/// keeps its scroll position, shows the error overlay for a broken save,
/// and clears it once the file is fixed.
#[test]
fn browser_follows_edits_and_shows_then_clears_errors() {
    let Some(chromium) = chromium() else { return };
    let f = Fixture::new();
    let long: String = (0..80).map(|i| format!("段落 {i}。\n\n")).collect();
    f.write(
        "content/news/a.md",
        &format!("---\ntitle: 原来的标题\n---\n{long}"),
    );
    let r = serve(&f);
    let mut b = Browser::open(&chromium, &format!("{}news/a/", r.url));
    b.wait_until(10, "document.readyState === 'complete' && document.querySelector('h1').textContent === '原来的标题'");
    b.wait_until(5, "(window.scrollTo(0, 600), window.scrollY >= 600)");
    f.write(
        "content/news/a.md",
        &format!("---\ntitle: 新的标题\n---\n{long}"),
    );
    b.wait_until(10, "document.readyState === 'complete' && document.querySelector('h1') && document.querySelector('h1').textContent === '新的标题'");
    b.wait_until(5, "window.scrollY >= 550");
    f.write(
        "content/news/a.md",
        "---\ntitle: 新的标题\ntags: 不是列表\n---\n",
    );
    b.wait_until(10, "!!document.getElementById('herald-overlay')");
    let text = b.eval("document.getElementById('herald-overlay').textContent");
    assert!(
        text.as_str().unwrap().contains("content/news/a.md:3:7"),
        "{text}"
    );
    // In the site's language (zh-CN), the place as in English.
    assert!(
        text.as_str()
            .unwrap()
            .contains("herald: 最近一次保存有 1 个错误")
            && text
                .as_str()
                .unwrap()
                .contains("content/news/a.md:3:7: `tags` 应当是文字列表")
            && text
                .as_str()
                .unwrap()
                .contains("提示：例如：tags: [first, second]"),
        "{text}"
    );
    assert_eq!(
        b.eval("document.querySelector('h1').textContent"),
        "新的标题",
        "the last good page stays"
    );
    f.write("content/news/a.md", "---\ntitle: 修好的标题\n---\n正文。\n");
    b.wait_until(10, "document.querySelector('h1') && document.querySelector('h1').textContent === '修好的标题' && !document.getElementById('herald-overlay')");
    assert!(b.log.is_empty(), "console errors: {:?}", b.log);
}

/// A site under a sub-path whose first build fails is still previewed at
/// its sub-path: the URL says so, `/` leads there, and the page there shows
/// the errors (the live-reload overlay) until the site builds.
#[test]
fn a_first_build_that_fails_is_shown_at_the_sub_path() {
    let f = Fixture::new();
    f.write("content/news/bad.md", "---\ntitle: [坏\n---\n");
    let r = serve(&f);
    assert!(r.url.ends_with("/portal/"), "{}", r.url);
    let (status, head, _) = get(&r, "/");
    assert_eq!(status, 302, "{head}");
    assert!(head.contains("Location: /portal/"), "{head}");
    let (status, _, body) = get(&r, "/portal/");
    assert_eq!(status, 404);
    assert!(body.contains("has not built yet"), "{body}");
    assert!(
        body.contains("/__herald/live"),
        "the overlay's script: {body}"
    );
    // Fixed: the page becomes the site.
    f.remove("content/news/bad.md");
    wait_for(10, "the site builds", || get(&r, "/portal/").0 == 200);
}
