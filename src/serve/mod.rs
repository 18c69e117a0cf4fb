//! `herald serve`: the site rendered in memory, served over HTTP with live
//! reload. Every save triggers a rebuild into memory; the previous good
//! snapshot keeps being served while a rebuild runs or when it fails, and
//! each request reads one snapshot, so no response mixes two builds.
//! Nothing is written to `public/`.

mod conn;
mod head;
mod http;
mod incremental;
pub mod live;
pub mod paths;
mod state;
mod watch;

pub use conn::Limits;
pub use state::{SiteState, Snapshot, UpdateKind};

use crate::build::BuildOptions;
use crate::error::{Diagnostic, Error, Result};
use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Where the server keeps a build: compressed, but for the search index,
/// which most page edits rewrite whole (at 10,000 pages 7 MB: compressing
/// it again took 8% of the CPU time of adding a page).
fn memory_sink() -> crate::output::MemorySink {
    crate::output::MemorySink::compressing_but(SEARCH_DIR)
}

/// Where a build puts the search page and index.
const SEARCH_DIR: &str = "search/";

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Include pages dated in the future.
    pub future: bool,
    /// Connections, sizes and timeouts the server allows.
    pub limits: Limits,
    /// Quiet time after the last file event before rebuilding.
    pub debounce: Duration,
    /// The language of the error overlay when not the site's (`--lang`,
    /// `HERALD_LANG`).
    pub lang: Option<crate::messages::Lang>,
}

impl ServeOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ServeOptions {
            root: root.into(),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 1111,
            lang: None,
            drafts: false,
            future: false,
            limits: Limits::default(),
            debounce: Duration::from_millis(10),
        }
    }
}

/// What the server reports as it runs (the binary prints these).
#[derive(Debug, Clone)]
pub enum ServeEvent {
    Listening {
        url: String,
        note: Option<String>,
    },
    Warning(String),
    Rebuilt {
        millis: u128,
        files: usize,
        changed: usize,
        /// What was made again.
        kind: UpdateKind,
    },
    Failed(Vec<Diagnostic>),
}

/// A running server; dropping it does not stop it (it runs until the
/// process ends), but `url` and `state` let tests drive it.
pub struct Running {
    pub url: String,
    pub addr: SocketAddr,
    pub state: Arc<SiteState>,
}

/// Binds the port (or the next free one), builds the site, and serves it in
/// background threads. `report` receives events.
pub fn start(
    opts: &ServeOptions,
    report: Arc<dyn Fn(ServeEvent) + Send + Sync>,
) -> Result<Running> {
    let (listener, addr, note) = bind(opts)?;
    if !opts.bind.is_loopback() {
        report(ServeEvent::Warning(format!(
            "serving on {} — other machines on the network can reach this preview (drafts included if --drafts)",
            opts.bind
        )));
    }
    let shown = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv6() => {
            SocketAddr::new(IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]), addr.port())
        }
        ip if ip.is_unspecified() => SocketAddr::new(IpAddr::from([127, 0, 0, 1]), addr.port()),
        _ => addr,
    };
    // SocketAddr writes IPv6 addresses in brackets: http://[::1]:1111
    let origin = format!("http://{shown}");
    let build = BuildOptions {
        root: opts.root.clone(),
        drafts: opts.drafts,
        future: opts.future,
        ..BuildOptions::default()
    };
    let state = Arc::new(SiteState::new(build, origin.clone(), opts.lang));
    rebuild_and_report(&state, &BTreeSet::new(), report.as_ref())?;
    let url = format!("{origin}{}", state.base_path());
    report(ServeEvent::Listening {
        url: url.clone(),
        note,
    });
    let handler: Arc<conn::Handler> = {
        let state = state.clone();
        Arc::new(move |req: &conn::Request| http::answer(req, &state, addr))
    };
    let limits = opts.limits.clone();
    std::thread::Builder::new()
        .name("herald-accept".into())
        .spawn(move || conn::run(listener, limits, handler))
        .map_err(|e| Error::io("cannot start the server thread", e))?;
    watch::spawn(opts.root.clone(), opts.debounce, state.clone(), report)?;
    Ok(Running { url, addr, state })
}

/// A listener on `addr` whose connections send small responses at once:
/// with Nagle's algorithm a response written as headers then body waits for
/// the client's delayed ACK (~40 ms per keep-alive request). Linux copies
/// TCP_NODELAY from the listening socket to the accepted ones.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let listener = std::net::TcpListener::bind(addr)?;
    let _ = rustix::net::sockopt::set_tcp_nodelay(&listener, true);
    Ok(listener)
}

fn bind(opts: &ServeOptions) -> Result<(std::net::TcpListener, SocketAddr, Option<String>)> {
    let tries: Vec<u16> = if opts.port == 0 {
        vec![0]
    } else {
        (opts.port..opts.port.saturating_add(10)).collect()
    };
    let mut last = String::new();
    for port in tries {
        match listen(SocketAddr::new(opts.bind, port)) {
            Ok(listener) => {
                let addr = listener
                    .local_addr()
                    .map_err(|e| Error::io("cannot read the listening address", e))?;
                let note = (opts.port != 0 && port != opts.port)
                    .then(|| format!("port {} is busy; using {port} instead", opts.port));
                return Ok((listener, addr, note));
            }
            Err(e) => last = e.to_string(),
        }
    }
    Err(Error::Refused(crate::msg!(
        "cannot-listen",
        addr = SocketAddr::new(opts.bind, opts.port),
        why = last
    )))
}

/// Rebuilds and tells `report`; errors in the site are reported, not returned.
pub(crate) fn rebuild_and_report(
    state: &SiteState,
    changed: &BTreeSet<PathBuf>,
    report: &(dyn Fn(ServeEvent) + Send + Sync),
) -> Result<()> {
    match state.rebuild_after(changed) {
        Ok(r) => report(ServeEvent::Rebuilt {
            millis: r.millis,
            files: r.files,
            changed: r.changed,
            kind: r.kind,
        }),
        Err(Error::Site(d)) => report(ServeEvent::Failed(d)),
        Err(e) => return Err(e),
    }
    Ok(())
}
