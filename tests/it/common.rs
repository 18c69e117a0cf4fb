//! Fixture sites (folders under `tests/fixtures/`) copied into temporary
//! folders, and running the real `herald` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the bundled example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `herald` binary, speaking English whatever the site's language
/// (tests of messages in Chinese set `HERALD_LANG` or `--lang` again).
pub fn herald_cmd() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_herald"));
    cmd.env("HERALD_LANG", "en");
    cmd
}

/// A small site in a temp folder, using the repository's default theme.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

/// The fixture site's site.yaml, to extend in a test.
pub const SITE_YAML: &str = include_str!("../fixtures/portal/site.yaml");

impl Fixture {
    /// An empty folder with the default theme copied in.
    pub fn bare() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        Fixture { dir }
    }

    /// A valid site with a page in each board: `tests/fixtures/portal`.
    pub fn new() -> Fixture {
        Fixture::from("portal")
    }

    /// The fixture site `tests/fixtures/NAME`, with the default theme.
    pub fn from(name: &str) -> Fixture {
        let f = Fixture::bare();
        copy_dir(&repo().join("tests/fixtures").join(name), f.path());
        f
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.dir.path().join(rel)).unwrap();
    }

    pub fn read_output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("public").join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn output_exists(&self, rel: &str) -> bool {
        self.dir.path().join("public").join(rel).exists()
    }

    /// Runs `herald ARGS --root DIR` (the subcommand first).
    pub fn herald(&self, args: &[&str]) -> Output {
        let mut cmd = crate::common::herald_cmd();
        cmd.args(args).arg("--root").arg(self.dir.path());
        cmd.output().expect("run herald")
    }

    pub fn build(&self) -> Output {
        self.herald(&["build"])
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under a folder with its bytes, for comparing trees; the
/// output's manifest (herald's record of what it wrote) is left out.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != herald::output::MANIFEST)
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The `<main>` element of an HTML page, for snapshots.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    html[start..end]
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A minimal static file server on 127.0.0.1 for browser tests. Serves
/// `dir` at `/`; returns the port. The thread ends with the test process.
pub fn serve_dir(dir: &Path) -> u16 {
    serve_dir_on(dir, 0)
}

/// Like [`serve_dir`], on a given port (0 picks one).
pub fn serve_dir_on(dir: &Path, port: u16) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let raw = line.split_whitespace().nth(1).unwrap_or("/");
                let raw = raw.split(['?', '#']).next().unwrap_or("/");
                let path = percent_decode(raw);
                let mut file = dir.join(path.trim_start_matches('/'));
                if path.contains("..") {
                    file = dir.join("missing");
                }
                if file.is_dir() {
                    file = file.join("index.html");
                }
                let (status, body) = match std::fs::read(&file) {
                    Ok(b) => ("200 OK", b),
                    Err(_) => (
                        "404 Not Found",
                        std::fs::read(dir.join("404.html")).unwrap_or_default(),
                    ),
                };
                let ctype = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("css") => "text/css",
                    Some("js") => "text/javascript",
                    Some("svg") => "image/svg+xml",
                    Some("xml") => "application/xml",
                    _ => "application/octet-stream",
                };
                let mut s = &stream;
                let _ = write!(
                    s,
                    "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(&body);
            });
        }
    });
    port
}

pub use herald::escape::percent_decode;

/// Flags for headless Chromium on a machine with no network but loopback.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Debian's Chromium, if installed. Browser tests print a loud notice and
/// return early without it (install it with `apt-get install chromium`).
pub fn chromium() -> Option<PathBuf> {
    for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(p).exists() {
            return Some(PathBuf::from(p));
        }
    }
    eprintln!(
        "\n*** SKIPPED: Chromium is not installed; browser tests did not run. Install it with `apt-get install -y chromium`. ***\n"
    );
    None
}

/// Loads a URL in headless Chromium, lets its scripts run, returns the DOM.
pub fn dump_dom(chromium: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args(CHROMIUM_FLAGS)
        .args(["--virtual-time-budget=5000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A headless Chromium driven over the DevTools protocol (for tests that
/// watch a page change over time).
pub struct Browser {
    child: std::process::Child,
    _profile: tempfile::TempDir,
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<std::net::TcpStream>>,
    next_id: u64,
    /// Console errors and failed requests seen so far.
    pub log: Vec<String>,
    /// Every URL the page requested.
    pub requests: Vec<String>,
}

impl Browser {
    /// Starts Chromium with one tab open at `url`.
    pub fn open(chromium: &Path, url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let child = Command::new(chromium)
            .args(CHROMIUM_FLAGS)
            .args(["--remote-debugging-port=0", "--window-size=1280,800"])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start chromium");
        let port_file = profile.path().join("DevToolsActivePort");
        let start = std::time::Instant::now();
        let port: u16 = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file)
                && let Some(p) = text.lines().next().and_then(|l| l.parse().ok())
            {
                break p;
            }
            assert!(start.elapsed().as_secs() < 20, "chromium did not start");
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        // Find the tab's websocket.
        let list: serde_json::Value = ureq::get(&format!("http://127.0.0.1:{port}/json/list"))
            .call()
            .expect("devtools list")
            .body_mut()
            .read_to_string()
            .map(|t| serde_json::from_str(&t).expect("devtools json"))
            .expect("devtools body");
        let ws = list
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["type"] == "page")
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .unwrap()
            .to_string();
        let (socket, _) = tungstenite::connect(ws).expect("devtools websocket");
        if let tungstenite::stream::MaybeTlsStream::Plain(s) = socket.get_ref() {
            s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
                .unwrap();
        }
        let mut b = Browser {
            child,
            _profile: profile,
            socket,
            next_id: 1,
            log: Vec::new(),
            requests: Vec::new(),
        };
        b.call("Network.enable", serde_json::json!({}));
        b.call("Runtime.enable", serde_json::json!({}));
        b.call("Log.enable", serde_json::json!({}));
        b.call("Page.navigate", serde_json::json!({ "url": url }));
        b
    }

    /// Sends a DevTools command and waits for its answer.
    pub fn call(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        let id = self.next_id;
        self.next_id += 1;
        let msg = serde_json::json!({ "id": id, "method": method, "params": params });
        self.socket
            .send(tungstenite::Message::Text(msg.to_string().into()))
            .unwrap();
        loop {
            let m = self.socket.read().expect("devtools message");
            let Ok(text) = m.to_text() else { continue };
            let v: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            if v["id"] == id {
                return v["result"].clone();
            }
            if v["method"] == "Runtime.exceptionThrown"
                || (v["method"] == "Log.entryAdded" && v["params"]["entry"]["level"] == "error")
            {
                self.log.push(v["params"].to_string());
            }
        }
    }

    /// Loads `url` and waits until the page has loaded.
    pub fn goto(&mut self, url: &str) {
        self.call("Page.navigate", serde_json::json!({ "url": url }));
        std::thread::sleep(std::time::Duration::from_millis(50));
        self.wait_until(
            15,
            &format!(
                "location.href === {} && document.readyState === 'complete'",
                serde_json::Value::from(url)
            ),
        );
    }

    /// Evaluates JavaScript that returns a promise; returns its value.
    pub fn eval_async(&mut self, expression: &str) -> serde_json::Value {
        let r = self.call("Runtime.evaluate", serde_json::json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }));
        r["result"]["value"].clone()
    }

    /// Sets the viewport size (phone-like below 600 px).
    pub fn viewport(&mut self, width: u32, height: u32) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
    }

    /// Light or dark color scheme.
    pub fn color_scheme(&mut self, scheme: &str) {
        self.call("Emulation.setEmulatedMedia", serde_json::json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }));
    }

    /// A PNG of the whole page.
    pub fn screenshot(&mut self, path: &Path) {
        let r = self.call(
            "Page.captureScreenshot",
            serde_json::json!({ "format": "png", "captureBeyondViewport": true }),
        );
        let data = r["data"].as_str().unwrap_or("");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, base64_decode(data)).unwrap();
    }

    /// Evaluates JavaScript in the page; returns its value.
    pub fn eval(&mut self, expression: &str) -> serde_json::Value {
        let r = self.call(
            "Runtime.evaluate",
            serde_json::json!({ "expression": expression, "returnByValue": true }),
        );
        r["result"]["value"].clone()
    }

    /// Polls `expression` until it is true.
    pub fn wait_until(&mut self, secs: u64, expression: &str) {
        let start = std::time::Instant::now();
        while self.eval(expression) != serde_json::Value::Bool(true) {
            assert!(
                start.elapsed().as_secs() < secs,
                "timed out waiting for `{expression}`"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let Some(v) = val(c) else { continue };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
