//! The in-memory site the server answers from, and rebuilding it.

use super::incremental::{self, Cache, Outcome};
use super::live::Broadcaster;
use crate::build::BuildOptions;
use crate::error::{Diagnostic, Error, Result};
use crate::messages::Lang;
use crate::output::SharedFiles;
use crate::timings::Timings;
pub use incremental::UpdateKind;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

/// One complete build's files. Requests hold an `Arc` to one snapshot.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub version: u64,
    pub files: SharedFiles,
    /// Static files' fingerprints (`?v=` and a content hash, as `asset()`
    /// writes them) that changed since some of `files` were made, (old,
    /// new): put in as a file is read, so that a stylesheet edit rewrites
    /// no page (exactly what rendering them again would give).
    pub prints: Vec<(String, String)>,
}

impl Snapshot {
    /// What is served at `path`: the file with the current fingerprints.
    pub fn file(&self, path: &str) -> Option<Arc<[u8]>> {
        let stored = self.files.get(path)?;
        if self.prints.is_empty() {
            return Some(stored.shared());
        }
        let bytes = stored.bytes();
        Some(match incremental::replace_prints(&bytes, &self.prints) {
            Some(fresh) => Arc::from(fresh),
            None => match bytes {
                std::borrow::Cow::Borrowed(_) => stored.shared(),
                std::borrow::Cow::Owned(v) => Arc::from(v),
            },
        })
    }
}

/// Fingerprint changes `then` followed by `now`, as one list of (old,
/// current) pairs.
fn compose(then: &[(String, String)], now: &[(String, String)]) -> Vec<(String, String)> {
    let current = |print: &String| {
        now.iter()
            .find(|(old, _)| old == print)
            .map_or(print, |(_, new)| new)
            .clone()
    };
    let mut out: Vec<(String, String)> = then
        .iter()
        .map(|(old, print)| (old.clone(), current(print)))
        .chain(now.iter().cloned())
        .collect();
    out.retain(|(old, new)| old != new);
    out
}

/// What one rebuild did.
#[derive(Debug, Clone, Copy)]
pub struct Rebuild {
    pub millis: u128,
    pub files: usize,
    pub changed: usize,
    /// What was made again.
    pub kind: UpdateKind,
}

pub struct SiteState {
    build: BuildOptions,
    base_path: RwLock<String>,
    /// The overlay's language: the one asked for, else the site's.
    lang: Option<Lang>,
    site_lang: RwLock<Lang>,
    current: RwLock<Arc<Snapshot>>,
    errors: RwLock<Vec<Diagnostic>>,
    /// The last good build; the lock also serialises rebuilds.
    cache: Mutex<Option<Cache>>,
    /// Held while the search index of a published update is made.
    index: Mutex<()>,
    pub live: Broadcaster,
}

impl SiteState {
    /// `origin` is `http://host:port`; the site's sub-path is kept.
    pub fn new(mut build: BuildOptions, origin: String, lang: Option<Lang>) -> Self {
        build.origin = Some(origin);
        // The sub-path and language from site.yaml, known even if the first
        // build fails (the preview's URL and the error page are then at the
        // right place, in the editor's language).
        let config = crate::config::Config::load(&build.root).ok();
        let base_path = config.as_ref().map_or("/".into(), |c| c.base_path.clone());
        let site_lang = config.map_or(Lang::En, |c| Lang::of_tag(&c.language));
        SiteState {
            build,
            base_path: RwLock::new(base_path),
            lang,
            site_lang: RwLock::new(site_lang),
            current: RwLock::new(Arc::new(Snapshot::default())),
            errors: RwLock::new(Vec::new()),
            cache: Mutex::new(None),
            index: Mutex::new(()),
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

    /// The language messages are shown in.
    pub fn lang(&self) -> Lang {
        self.lang
            .unwrap_or_else(|| *self.site_lang.read().unwrap_or_else(|e| e.into_inner()))
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

    /// Rebuilds everything from disk. On success the new snapshot is
    /// served and browsers are told what changed; on failure the last good
    /// snapshot stays and browsers show the errors.
    pub fn rebuild(&self) -> Result<Rebuild> {
        self.rebuild_after(&BTreeSet::new())
    }

    /// Rebuilds after the files in `changed` changed: only what they
    /// affect when they are text edits of existing pages, else everything.
    pub fn rebuild_after(&self, changed: &BTreeSet<PathBuf>) -> Result<Rebuild> {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let started = Instant::now();
        let mut _index_held = None;
        // A site in several languages is built again whole on each change
        // (the quick paths know one language's site).
        if let Some(c) = cache.as_mut().filter(|c| c.loaded.translations.is_empty()) {
            match incremental::update(c, &self.build, changed) {
                Outcome::Updated(kind, written, removed, prints) => {
                    let old = self.snapshot();
                    let mut files = old.files.clone();
                    let mut changed = Vec::new();
                    let prints = compose(&old.prints, &prints);
                    for (path, bytes) in written {
                        if files.get(&path) != Some(&bytes) {
                            changed.push(path.clone());
                            files.insert(path, bytes);
                        }
                    }
                    for path in removed {
                        if files.remove(&path).is_some() {
                            changed.push(path);
                        }
                    }
                    let (total, count) = (files.len(), changed.len());
                    let css = kind == UpdateKind::Styles;
                    // Browsers reload now; requests for the search index
                    // wait until it is made.
                    // (Held through a full build if the index needs one.)
                    _index_held = Some(self.index.lock().unwrap_or_else(|e| e.into_inner()));
                    self.publish(files, prints, count, css, None);
                    let rebuilt = Rebuild {
                        millis: started.elapsed().as_millis(),
                        files: total,
                        changed: count,
                        kind,
                    };
                    if let Some((written, gone)) = incremental::finish(c) {
                        self.publish_quietly(written, gone);
                        return Ok(rebuilt);
                    }
                    *cache = None;
                }
                Outcome::Broken => *cache = None,
                Outcome::NotQuick => {}
            }
        }
        // The last good build is let go of first: holding it beside the new
        // one would double the server's peak memory.
        *cache = None;
        let result = (|| {
            let mut timings = Timings::default();
            let mut loaded = crate::build::load_site(&self.build, &mut timings)?;
            // Indexed first, so that the pages' text is let go of before
            // the outputs are made (the server's peak).
            let search = loaded.site.config.search.then(|| {
                crate::search::SearchIndex::build(&loaded.site, &loaded.texts.plain, true)
            });
            loaded.texts.plain = Default::default();
            let sink = super::memory_sink();
            let render = crate::build::render_again(&loaded, search, &sink)?;
            Ok::<_, Error>((sink.into_shared(), loaded, render))
        })();
        match result {
            Ok((files, loaded, render)) => {
                let base_path = loaded.site.config.base_path.clone();
                *self.site_lang.write().unwrap_or_else(|e| e.into_inner()) =
                    Lang::of_tag(&loaded.site.config.language);
                let root = loaded
                    .site
                    .root
                    .canonicalize()
                    .unwrap_or(loaded.site.root.clone());
                let mut kept = Cache {
                    loaded,
                    render,
                    root,
                };
                kept.let_go_of_texts();
                *cache = Some(kept);
                let old = self.snapshot();
                let changed: Vec<&String> = files
                    .iter()
                    .filter(|(k, v)| old.files.get(*k) != Some(*v))
                    .map(|(k, _)| k)
                    .chain(old.files.keys().filter(|k| !files.contains_key(*k)))
                    .collect();
                let css_only = css_only(&changed, &old.files, &files);
                let count = changed.len();
                let total = files.len();
                self.publish(files, Vec::new(), count, css_only, Some(base_path));
                Ok(Rebuild {
                    millis: started.elapsed().as_millis(),
                    files: total,
                    changed: count,
                    kind: UpdateKind::Full,
                })
            }
            Err(e) => {
                *cache = None;
                let diags = match &e {
                    Error::Site(diags) => diags.clone(),
                    other => vec![Diagnostic::error("herald", other.to_string())],
                };
                *self.errors.write().unwrap_or_else(|e| e.into_inner()) = diags.clone();
                self.live.errors(&diags, self.lang());
                Err(e)
            }
        }
    }

    /// Puts `written` in the served files without telling browsers (the
    /// search index after the pages they reloaded).
    fn publish_quietly(&self, written: SharedFiles, gone: Vec<String>) {
        if written.is_empty() && gone.is_empty() {
            return;
        }
        let old = self.snapshot();
        let mut files = old.files.clone();
        files.extend(written);
        for path in gone {
            files.remove(&path);
        }
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Snapshot {
            version: old.version,
            files,
            prints: old.prints.clone(),
        });
    }

    /// Waits while the search index of a published update is being made.
    pub fn wait_for_index(&self) {
        drop(self.index.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// Serves `files` (with the fingerprints `prints` put in) from now on
    /// and tells browsers.
    fn publish(
        &self,
        files: SharedFiles,
        prints: Vec<(String, String)>,
        changed: usize,
        css_only: bool,
        base_path: Option<String>,
    ) {
        let version = self.snapshot().version + 1;
        if let Some(base_path) = base_path {
            *self.base_path.write().unwrap_or_else(|e| e.into_inner()) = base_path;
        }
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Snapshot {
            version,
            files,
            prints,
        });
        let had_errors = !self.errors().is_empty();
        self.errors
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        if changed > 0 || had_errors {
            self.live.reload(version, css_only && !had_errors);
        }
    }
}

/// Whether the `changed` files are stylesheets and pages that differ only
/// in stylesheet fingerprints (`style.css?v=…`): then browsers swap the
/// CSS instead of reloading.
fn css_only(changed: &[&String], old: &SharedFiles, new: &SharedFiles) -> bool {
    !changed.is_empty()
        && changed.iter().any(|p| p.ends_with(".css"))
        && changed.iter().all(|p| {
            p.ends_with(".css")
                || (p.ends_with(".html")
                    && match (old.get(*p), new.get(*p)) {
                        (Some(a), Some(b)) => {
                            without_versions(&a.bytes()) == without_versions(&b.bytes())
                        }
                        _ => false,
                    })
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn fingerprints_changed_twice_lead_to_the_current_one() {
        let then = pairs(&[("a1", "b2")]);
        // Edited again: files made before either edit and files made after
        // the first both show the newest.
        assert_eq!(
            compose(&then, &pairs(&[("b2", "c3")])),
            pairs(&[("a1", "c3"), ("b2", "c3")])
        );
        // Edited back: the oldest files are current again.
        assert_eq!(
            compose(&then, &pairs(&[("b2", "a1")])),
            pairs(&[("b2", "a1")])
        );
        // Another file's fingerprint: both kept.
        assert_eq!(
            compose(&then, &pairs(&[("x9", "y8")])),
            pairs(&[("a1", "b2"), ("x9", "y8")])
        );
    }

    #[test]
    fn a_file_is_served_with_the_current_fingerprints() {
        let mut files = SharedFiles::new();
        let page = "<link href=\"/style.css?v=a1\"><script src=\"/x.js?v=x9\"></script>";
        files.insert(
            "index.html".into(),
            crate::output::Stored::compressed(page.as_bytes()),
        );
        let snapshot = Snapshot {
            version: 1,
            files,
            prints: pairs(&[("a1", "c3"), ("x9", "y8")]),
        };
        assert_eq!(
            &snapshot.file("index.html").unwrap()[..],
            b"<link href=\"/style.css?v=c3\"><script src=\"/x.js?v=y8\"></script>"
        );
        assert!(snapshot.file("missing.html").is_none());
    }
}
