//! Answering requests from the current snapshot.

use super::live::{LIVE_PATH, inject};
use super::paths::{Resolved, content_type, resolve};
use super::state::SiteState;
use std::io::Cursor;
use std::sync::Arc;
use tiny_http::{Header, Request, Response, Server, StatusCode};

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Pulls requests until the server stops. Live-reload streams get their own
/// thread so they never hold a worker.
pub fn worker(server: &Server, state: &std::sync::Arc<SiteState>) {
    loop {
        let request = match server.recv() {
            Ok(r) => r,
            Err(_) => continue,
        };
        if request.url().split('?').next() == Some(LIVE_PATH) {
            let state = state.clone();
            std::thread::spawn(move || live(request, &state));
            continue;
        }
        let _ = answer(request, state);
    }
}

fn live(request: Request, state: &SiteState) {
    let stream = state
        .live
        .subscribe(state.snapshot().version, &state.errors());
    let response = Response::new(
        StatusCode(200),
        vec![
            header("Content-Type", "text/event-stream"),
            header("Cache-Control", "no-store"),
            header("X-Accel-Buffering", "no"),
        ],
        stream,
        Some(1 << 40),
        None,
    )
    // Plain (not chunked) transfer: tiny_http's chunk encoder would hold
    // events back until 8 KiB had gathered.
    .with_chunked_threshold(usize::MAX);
    let _ = request.respond(response);
}

/// A response body: a served file as it is, or HTML with the live-reload
/// script added.
enum Body {
    Shared(Arc<[u8]>),
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Body {
    fn as_ref(&self) -> &[u8] {
        match self {
            Body::Shared(b) => b,
            Body::Owned(b) => b,
        }
    }
}

impl Body {
    fn len(&self) -> usize {
        self.as_ref().len()
    }
}

fn answer(request: Request, state: &SiteState) -> std::io::Result<()> {
    let snapshot = state.snapshot();
    let base_path = state.base_path();
    let resolved = resolve(request.url(), &base_path, |p| {
        snapshot.files.contains_key(p)
    });
    let no_store = header("Cache-Control", "no-store");
    let (status, path, body) = match resolved {
        Resolved::File(path) => {
            let bytes = &snapshot.files[&path];
            (200, path, bytes.clone())
        }
        Resolved::Redirect(to) => {
            let r = Response::empty(StatusCode(301))
                .with_header(header("Location", &to))
                .with_header(no_store);
            return request.respond(r);
        }
        Resolved::BadRequest => {
            let r = Response::from_string("400 Bad Request")
                .with_status_code(400)
                .with_header(no_store);
            return request.respond(r);
        }
        Resolved::NotFound => match snapshot.files.get("404.html") {
            Some(b) => (404, "404.html".to_string(), b.clone()),
            None => (404, "404.txt".to_string(), Arc::from(&b"404 Not Found"[..])),
        },
    };
    let ctype = content_type(&path);
    let body = if ctype.starts_with("text/html") {
        Body::Owned(inject(&body, snapshot.version))
    } else {
        Body::Shared(body)
    };
    let len = body.len();
    let response = Response::new(
        StatusCode(status),
        vec![header("Content-Type", ctype), no_store],
        Cursor::new(body),
        Some(len),
        None,
    );
    request.respond(response)
}
