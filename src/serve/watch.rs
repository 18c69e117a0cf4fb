//! Watching the site's folders and rebuilding after a quiet moment.

use super::ServeEvent;
use super::state::SiteState;
use crate::error::{Error, Result};
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// Folders and files whose changes matter.
const WATCHED: [&str; 7] = [
    "site.yaml",
    "content",
    "templates",
    "themes",
    "static",
    "data",
    "i18n",
];
/// Longest a burst of saves may delay a rebuild.
const MAX_DELAY: Duration = Duration::from_millis(300);

/// True for paths whose changes should trigger a rebuild.
pub fn relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    let Some(first) = parts.next() else {
        return false;
    };
    let first = first.as_os_str().to_string_lossy();
    if !WATCHED.contains(&first.as_ref()) {
        return false;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Editor droppings: swap files, backups, lock files. Their final rename
    // onto the real file is what counts.
    !(crate::source::is_ignored_name(&name) || name.ends_with(".swo") || name == "4913")
}

/// Adds the relevant paths of a change event to `changed`.
fn note(root: &Path, ev: &notify::Event, changed: &mut BTreeSet<PathBuf>) {
    if matches!(ev.kind, notify::EventKind::Access(_)) {
        return;
    }
    for p in &ev.paths {
        if relevant(root, p) {
            changed.insert(p.clone());
        }
    }
}

pub fn spawn(
    root: PathBuf,
    debounce: Duration,
    state: Arc<SiteState>,
    report: Arc<dyn Fn(ServeEvent) + Send + Sync>,
) -> Result<()> {
    let (tx, rx) = channel::<notify::Result<notify::Event>>();
    // Links are not followed: a link out of the site (to /usr/share, say)
    // would add watches on folders that are not the site's.
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut watcher = notify::RecommendedWatcher::new(tx, config)
        .map_err(|e| Error::Refused(format!("cannot watch files: {e}").into()))?;
    let root = root.canonicalize().unwrap_or(root);
    let real = crate::confine::real_root(&root);
    for name in WATCHED {
        let p = root.join(name);
        // A top-level folder linked out of the site is not watched (the
        // build reports it).
        if p.exists() && crate::confine::check(&real, &p).is_ok() {
            let mode = if p.is_dir() {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            watcher
                .watch(&p, mode)
                .map_err(|e| Error::Refused(format!("cannot watch {}: {e}", p.display()).into()))?;
        }
    }
    // Also the root itself (non-recursively), to see folders created later.
    let _ = watcher.watch(&root, RecursiveMode::NonRecursive);
    std::thread::spawn(move || {
        let _keep = watcher;
        loop {
            // Wait for a relevant event.
            let first = match rx.recv() {
                Ok(Ok(ev)) => ev,
                Ok(Err(_)) => continue,
                Err(_) => return,
            };
            // Reading files (our own rebuild does) is not a change.
            let mut changed = BTreeSet::new();
            note(&root, &first, &mut changed);
            if changed.is_empty() {
                continue;
            }
            // Debounce: rebuild once the burst is quiet (or MAX_DELAY passed).
            let start = Instant::now();
            loop {
                let left = MAX_DELAY.saturating_sub(start.elapsed());
                if left.is_zero() {
                    break;
                }
                match rx.recv_timeout(debounce.min(left)) {
                    Ok(Ok(ev)) => note(&root, &ev, &mut changed),
                    Ok(Err(_)) => {}
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            if let Err(e) = super::rebuild_and_report(&state, &changed, report.as_ref()) {
                report(ServeEvent::Failed(vec![crate::error::Diagnostic::error(
                    "herald",
                    e.to_string(),
                )]));
            }
        }
    });
    Ok(())
}
