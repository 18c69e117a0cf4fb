//! The dev server's HTTP/1.1 connections, with limits: a thread per
//! connection up to [`Limits::connections`], request heads of at most
//! [`Limits::head_bytes`], GET and HEAD only, a `Host` that names this
//! machine (so a DNS-rebinding page reads nothing), and timeouts so idle,
//! slow and stuck clients never hold the server. docs/serve.md lists them.
//!
//! Hand-written rather than tiny_http, which has no header limit, no
//! timeouts and no cap on connections (measured: a 300 MB header line
//! accepted, 300 idle connections kept 315 threads).

use super::head::{HeadError, parse_head, read_head};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The server's limits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections open at once; past it the longest-waiting idle one is
    /// closed, or the new one gets 503.
    pub connections: usize,
    /// Live-reload streams open at once (503 past it).
    pub live_streams: usize,
    /// Request line plus headers (431 past it; 414 for the line alone).
    pub head_bytes: usize,
    /// A kept-alive connection with no new request is closed after this.
    pub idle: Duration,
    /// A request's head must arrive within this (408 otherwise).
    pub head_time: Duration,
    /// A response that the client does not read within this is dropped.
    pub write_time: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 256,
            live_streams: 64,
            head_bytes: 16 * 1024,
            idle: Duration::from_secs(15),
            head_time: Duration::from_secs(10),
            write_time: Duration::from_secs(10),
        }
    }
}

/// A parsed request head.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub target: String,
    pub host: Option<String>,
    pub close: bool,
}

/// A response to write.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

/// A response body: bytes, or a stream that lasts (live reload).
pub enum Body {
    Bytes(Arc<[u8]>),
    Stream(Box<dyn Read + Send>),
}

impl Response {
    pub fn text(status: u16, text: &str) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", "text/plain; charset=utf-8".into()),
                ("Cache-Control", "no-store".into()),
            ],
            body: Body::Bytes(Arc::from(format!("{status} {text}\n").as_bytes())),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for (the rest of) a request: may be closed to make room.
    Waiting,
    Busy,
    Live,
}

struct Slot {
    stream: TcpStream,
    state: State,
    since: Instant,
}

/// The open connections, to cap them and close the idle ones first.
struct Conns {
    limits: Limits,
    slots: Mutex<(u64, HashMap<u64, Slot>)>,
}

impl Conns {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, HashMap<u64, Slot>)> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Room for one more connection, closing the longest-waiting one if
    /// the server is full; `None` when every connection is busy.
    fn admit(self: &Arc<Self>, stream: &TcpStream) -> Option<Guard> {
        let copy = stream.try_clone().ok()?;
        let mut g = self.lock();
        if g.1.len() >= self.limits.connections {
            let oldest =
                g.1.iter()
                    .filter(|(_, s)| s.state == State::Waiting)
                    .min_by_key(|(_, s)| s.since)
                    .map(|(id, _)| *id)?;
            if let Some(s) = g.1.remove(&oldest) {
                let _ = s.stream.shutdown(Shutdown::Both);
            }
        }
        g.0 += 1;
        let id = g.0;
        g.1.insert(
            id,
            Slot {
                stream: copy,
                state: State::Waiting,
                since: Instant::now(),
            },
        );
        Some(Guard {
            conns: self.clone(),
            id,
        })
    }
}

/// A connection's place among the open ones; dropping it frees the place.
struct Guard {
    conns: Arc<Conns>,
    id: u64,
}

impl Guard {
    fn set(&self, state: State) -> bool {
        let mut g = self.conns.lock();
        if state == State::Live {
            let live = g.1.values().filter(|s| s.state == State::Live).count();
            if live >= self.conns.limits.live_streams {
                return false;
            }
        }
        match g.1.get_mut(&self.id) {
            Some(s) => {
                s.state = state;
                s.since = Instant::now();
                true
            }
            // Closed to make room.
            None => false,
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.conns.lock().1.remove(&self.id);
    }
}

/// What the server answers with: (request, is this a live stream) → response.
pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// Accepts connections until the process ends, each on its own thread.
pub fn run(listener: TcpListener, limits: Limits, handler: Arc<Handler>) {
    let conns = Arc::new(Conns {
        limits,
        slots: Mutex::new((0, HashMap::new())),
    });
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors, say: let connections finish.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let Some(guard) = conns.admit(&stream) else {
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = write_response(
                &stream,
                Response::text(503, "Service Unavailable: too many connections"),
                false,
                true,
            );
            continue;
        };
        let handler = handler.clone();
        let spawned = std::thread::Builder::new()
            .name("herald-http".into())
            .stack_size(256 * 1024)
            .spawn(move || serve_connection(stream, &guard, handler.as_ref()));
        if spawned.is_err() {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn serve_connection(mut stream: TcpStream, guard: &Guard, handler: &Handler) {
    let limits = guard.conns.limits.clone();
    let _ = stream.set_write_timeout(Some(limits.write_time));
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::new();
    loop {
        guard.set(State::Waiting);
        let end = match read_head(&mut stream, &mut buf, &limits) {
            Ok(end) => end,
            Err(HeadError::Gone) => return,
            Err(HeadError::Status(status, text)) => {
                let _ = write_response(&stream, Response::text(status, text), false, true);
                return;
            }
        };
        if !guard.set(State::Busy) {
            return;
        }
        let head: Vec<u8> = buf.drain(..end).collect();
        let req = match parse_head(&head) {
            Ok(r) => r,
            Err((status, text)) => {
                let _ = write_response(&stream, Response::text(status, text), false, true);
                return;
            }
        };
        let head_only = req.method == "HEAD";
        let mut response = handler(&req);
        if matches!(response.body, Body::Stream(_)) && !guard.set(State::Live) {
            response = Response::text(503, "Service Unavailable: too many live-reload streams");
        }
        let close = req.close || response.status >= 400 && response.status != 404;
        if write_response(&stream, response, head_only, close).is_err() || close {
            return;
        }
    }
}

/// Writes a response; a stream body lasts until either side ends it.
fn write_response(
    mut stream: &TcpStream,
    response: Response,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if close {
        head.push_str("Connection: close\r\n");
    }
    match response.body {
        Body::Bytes(bytes) => {
            head.push_str(&format!("Content-Length: {}\r\n\r\n", bytes.len()));
            if head_only || bytes.is_empty() {
                stream.write_all(head.as_bytes())
            } else if bytes.len() < 16 * 1024 {
                let mut all = head.into_bytes();
                all.extend_from_slice(&bytes);
                stream.write_all(&all)
            } else {
                stream.write_all(head.as_bytes())?;
                stream.write_all(&bytes)
            }
        }
        Body::Stream(mut body) => {
            head.push_str("\r\n");
            stream.write_all(head.as_bytes())?;
            if head_only {
                return Ok(());
            }
            let mut chunk = vec![0u8; 8192];
            loop {
                let n = body.read(&mut chunk)?;
                if n == 0 {
                    return Ok(());
                }
                stream.write_all(&chunk[..n])?;
            }
        }
    }
}
