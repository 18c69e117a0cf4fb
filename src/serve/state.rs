//! The in-memory site the server answers from, and rebuilding it.

use super::live::Broadcaster;
use crate::build::{BuildOptions, Timings};
use crate::error::{Diagnostic, Error, Result};
use crate::output::MemorySink;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// One complete build's files. Requests hold an `Arc` to one snapshot.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub version: u64,
    pub files: BTreeMap<String, Vec<u8>>,
}

/// What one rebuild did.
#[derive(Debug, Clone, Copy)]
pub struct Rebuild {
    pub millis: u128,
    pub files: usize,
    pub changed: usize,
}

pub struct SiteState {
    build: BuildOptions,
    base_path: RwLock<String>,
    current: RwLock<Arc<Snapshot>>,
    errors: RwLock<Vec<Diagnostic>>,
    /// Serialises rebuilds.
    rebuilding: Mutex<()>,
    pub live: Broadcaster,
}

impl SiteState {
    /// `origin` is `http://host:port`; the site's sub-path is kept.
    pub fn new(mut build: BuildOptions, origin: String) -> Self {
        build.origin = Some(origin);
        SiteState {
            build,
            base_path: RwLock::new("/".into()),
            current: RwLock::new(Arc::new(Snapshot::default())),
            errors: RwLock::new(Vec::new()),
            rebuilding: Mutex::new(()),
            live: Broadcaster::default(),
        }
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn errors(&self) -> Vec<Diagnostic> {
        self.errors
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn base_path(&self) -> String {
        self.base_path
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The build options used (base URL set to the server's origin).
    pub fn build_options(&self) -> &BuildOptions {
        &self.build
    }

    /// Rebuilds from disk. On success the new snapshot is served and
    /// browsers are told what changed; on failure the last good snapshot
    /// stays and browsers show the errors.
    pub fn rebuild(&self) -> Result<Rebuild> {
        let _guard = self.rebuilding.lock().unwrap_or_else(|e| e.into_inner());
        let started = Instant::now();
        let build = &self.build;
        let result = (|| {
            let mut timings = Timings::default();
            let loaded = crate::build::load_site(build, &mut timings)?;
            let sink = MemorySink::new();
            crate::build::render_into(&loaded, &sink, &mut timings)?;
            Ok::<_, Error>((sink.into_files(), loaded.site.config.base_path.clone()))
        })();
        match result {
            Ok((files, base_path)) => {
                let old = self.snapshot();
                let changed: Vec<&String> = files
                    .iter()
                    .filter(|(k, v)| old.files.get(*k) != Some(*v))
                    .map(|(k, _)| k)
                    .chain(old.files.keys().filter(|k| !files.contains_key(*k)))
                    .collect();
                // Stylesheets are fingerprinted (`style.css?v=…`), so a CSS edit
                // also changes every page's link: that alone is still CSS-only.
                let css_only = !changed.is_empty()
                    && changed.iter().any(|p| p.ends_with(".css"))
                    && changed.iter().all(|p| {
                        p.ends_with(".css")
                            || (p.ends_with(".html")
                                && match (old.files.get(*p), files.get(*p)) {
                                    (Some(a), Some(b)) => {
                                        without_versions(a) == without_versions(b)
                                    }
                                    _ => false,
                                })
                    });
                let count = changed.len();
                let version = old.version + 1;
                let total = files.len();
                *self.base_path.write().unwrap_or_else(|e| e.into_inner()) = base_path;
                *self.current.write().unwrap_or_else(|e| e.into_inner()) =
                    Arc::new(Snapshot { version, files });
                let had_errors = !self.errors().is_empty();
                self.errors
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .clear();
                if count > 0 || had_errors {
                    self.live.reload(version, css_only && !had_errors);
                }
                Ok(Rebuild {
                    millis: started.elapsed().as_millis(),
                    files: total,
                    changed: count,
                })
            }
            Err(Error::Site(diags)) => {
                *self.errors.write().unwrap_or_else(|e| e.into_inner()) = diags.clone();
                self.live.errors(&diags);
                Err(Error::Site(diags))
            }
            Err(e) => {
                let d = vec![Diagnostic::error("herald", e.to_string())];
                *self.errors.write().unwrap_or_else(|e| e.into_inner()) = d.clone();
                self.live.errors(&d);
                Err(e)
            }
        }
    }
}

/// The bytes with `?v=<10 hex digits>` fingerprints blanked.
fn without_versions(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"?v=")
            && bytes.len() >= i + 13
            && bytes[i + 3..i + 13].iter().all(u8::is_ascii_hexdigit)
        {
            out.extend_from_slice(b"?v=");
            i += 13;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}
