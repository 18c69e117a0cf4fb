//! Answering requests from the current snapshot.

use super::conn::{Body, Request, Response};
use super::head::host_allowed;
use super::live::{LIVE_PATH, inject};
use super::paths::{Resolved, content_type, resolve};
use super::state::SiteState;
use std::net::SocketAddr;
use std::sync::Arc;

/// What the preview shows before the site has ever built.
const NOT_BUILT: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>herald: not built yet</title></head><body><main><h1>The site has not built yet</h1><p>The errors are listed over this page and in the terminal; fix them and save: this page reloads into the site.</p></main></body></html>";

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
            .subscribe(state.snapshot().version, &state.errors(), state.lang());
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
    let base_path = state.base_path();
    // The search page and index may be in the making (browsers reload
    // first): wait for them.
    if req
        .target
        .strip_prefix(base_path.trim_end_matches('/'))
        .is_some_and(|p| {
            let dir = super::SEARCH_DIR.trim_end_matches('/');
            p.trim_start_matches('/').starts_with(dir)
        })
    {
        state.wait_for_index();
    }
    let snapshot = state.snapshot();
    // The host's root leads to a site that lives under a sub-path.
    if base_path != "/" && req.target.split(['?', '#']).next() == Some("/") {
        return Response {
            status: 302,
            headers: vec![
                ("Location", base_path),
                ("Cache-Control", "no-store".into()),
            ],
            body: Body::Bytes(Arc::from(&b""[..])),
        };
    }
    let resolved = resolve(&req.target, &base_path, |p| snapshot.files.contains_key(p));
    let (status, path, body) = match resolved {
        Resolved::File(path) => {
            let bytes = snapshot.file(&path).unwrap_or_default();
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
        Resolved::NotFound => match snapshot.file("404.html") {
            Some(b) => (404, "404.html".to_string(), b),
            // Nothing built yet (the first build failed): a page that shows
            // the errors (live reload's overlay) and turns into the site
            // once it builds.
            None => (404, "404.html".to_string(), Arc::from(NOT_BUILT.as_bytes())),
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
