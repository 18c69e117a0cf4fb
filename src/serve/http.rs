//! Answering requests from the current snapshot.

use super::conn::{Body, Request, Response};
use super::head::host_allowed;
use super::live::{LIVE_PATH, inject};
use super::paths::{Resolved, content_type, resolve};
use super::state::SiteState;
use std::net::SocketAddr;
use std::sync::Arc;

/// The answer to one request. `bound` is the address the server listens
/// on, which the `Host` header must name (or `localhost`).
pub fn answer(req: &Request, state: &SiteState, bound: SocketAddr) -> Response {
    if !req.host.as_deref().is_none_or(|h| host_allowed(h, bound)) {
        return Response::text(
            421,
            "Misdirected Request: the preview answers only to localhost or the address it listens on",
        );
    }
    if req.method != "GET" && req.method != "HEAD" {
        let mut r = Response::text(
            405,
            "Method Not Allowed: the preview only reads (GET, HEAD)",
        );
        r.headers.push(("Allow", "GET, HEAD".into()));
        return r;
    }
    if req.target.split('?').next() == Some(LIVE_PATH) {
        let stream = state
            .live
            .subscribe(state.snapshot().version, &state.errors());
        return Response {
            status: 200,
            headers: vec![
                ("Content-Type", "text/event-stream".into()),
                ("Cache-Control", "no-store".into()),
                ("X-Accel-Buffering", "no".into()),
            ],
            body: Body::Stream(Box::new(stream)),
        };
    }
    let snapshot = state.snapshot();
    let base_path = state.base_path();
    let resolved = resolve(&req.target, &base_path, |p| snapshot.files.contains_key(p));
    let (status, path, body) = match resolved {
        Resolved::File(path) => {
            let bytes = snapshot.files[&path].clone();
            (200, path, bytes)
        }
        Resolved::Redirect(to) => {
            return Response {
                status: 301,
                headers: vec![("Location", to), ("Cache-Control", "no-store".into())],
                body: Body::Bytes(Arc::from(&b""[..])),
            };
        }
        Resolved::TooLong => return Response::text(414, "URI Too Long"),
        Resolved::BadRequest => return Response::text(400, "Bad Request"),
        Resolved::NotFound => match snapshot.files.get("404.html") {
            Some(b) => (404, "404.html".to_string(), b.clone()),
            None => (404, "404.txt".to_string(), Arc::from(&b"404 Not Found"[..])),
        },
    };
    let ctype = content_type(&path);
    let body = if ctype.starts_with("text/html") {
        Arc::from(inject(&body, snapshot.version))
    } else {
        body
    };
    Response {
        status,
        headers: vec![
            ("Content-Type", ctype.into()),
            ("Cache-Control", "no-store".into()),
        ],
        body: Body::Bytes(body),
    }
}
