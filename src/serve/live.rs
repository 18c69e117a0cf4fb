//! Live reload over Server-Sent Events (`/__herald/live`) and the small
//! script injected into served HTML (never into `herald build` output).

use crate::error::Diagnostic;
use crate::messages::Lang;
use crate::msg;
use std::io::Read;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

pub const LIVE_PATH: &str = "/__herald/live";
const KEEPALIVE: Duration = Duration::from_secs(15);

/// Sends events to every open live-reload connection.
#[derive(Default)]
pub struct Broadcaster {
    clients: Mutex<Vec<Sender<String>>>,
}

fn event(name: &str, data: &str) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// The overlay's text in `lang`: its title and each error, its place and
/// its hint.
fn errors_json(diags: &[Diagnostic], lang: Lang) -> String {
    let list: Vec<serde_json::Value> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            serde_json::json!({
                "file": d.file, "line": d.line, "column": d.column,
                "message": d.message.render(lang),
                "hint": d.hint.as_ref().map(|h| msg!("hint-line", hint => h.clone()).render(lang)),
                "location": d.location(),
            })
        })
        .collect();
    serde_json::json!({
        "title": msg!("overlay-title", errors = list.len()).render(lang),
        "errors": list,
    })
    .to_string()
}

impl Broadcaster {
    /// A new connection: it first hears the current state.
    pub fn subscribe(&self, version: u64, errors: &[Diagnostic], lang: Lang) -> SseStream {
        let (tx, rx) = channel();
        let _ = tx.send(event("hello", &format!("{{\"version\":{version}}}")));
        if errors.iter().any(Diagnostic::is_error) {
            let _ = tx.send(event("errors", &errors_json(errors, lang)));
        }
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        SseStream {
            rx,
            buf: Vec::new(),
            pos: 0,
        }
    }

    pub fn connections(&self) -> usize {
        self.clients.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    fn send(&self, message: String) {
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|c| c.send(message.clone()).is_ok());
    }

    pub fn reload(&self, version: u64, css_only: bool) {
        self.send(event(
            "reload",
            &format!("{{\"version\":{version},\"css\":{css_only}}}"),
        ));
    }

    pub fn errors(&self, diags: &[Diagnostic], lang: Lang) {
        self.send(event("errors", &errors_json(diags, lang)));
    }
}

/// The body of one SSE response: blocks until the next event.
pub struct SseStream {
    rx: Receiver<String>,
    buf: Vec<u8>,
    pos: usize,
}

impl Read for SseStream {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.buf.len() {
            let next = match self.rx.recv_timeout(KEEPALIVE) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => event("ping", "{}"),
                Err(RecvTimeoutError::Disconnected) => return Ok(0),
            };
            self.buf = next.into_bytes();
            self.pos = 0;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// The script injected before `</body>` of served HTML (`live.js`).
pub fn script(version: u64) -> String {
    let js = include_str!("live.js")
        .replace("__VERSION__", &version.to_string())
        .replace("__LIVE__", LIVE_PATH);
    format!("<script id=\"herald-live\">{js}</script>")
}

/// Inserts the live script before `</body>` (or at the end).
pub fn inject(html: &[u8], version: u64) -> Vec<u8> {
    let script = script(version);
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}
