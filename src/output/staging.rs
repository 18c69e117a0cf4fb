//! A build in progress: files go to a hidden staging folder beside the
//! output, which `publish` swaps in. Only folders herald made, recognised by
//! a marker inside them, are ever removed, and removal never follows a
//! symbolic link.

use super::DiskSink;
use super::owner::{MANIFEST, OutputDir, display_in, is_kept, top_name};
use crate::error::{Diagnostic, Error, Result};
use crate::msg;
use std::io;
use std::path::{Path, PathBuf};

/// The marker inside a staging folder while herald writes it.
const STAGING_MARKER: &str = ".herald-staging";
/// The marker inside the folder that holds an old output being replaced.
const OLD_MARKER: &str = ".herald-old";

/// A build in progress.
pub struct Staging {
    dir: tempfile::TempDir,
    output: PathBuf,
    sink: DiskSink,
}

fn sibling_prefix(output: &Path, what: &str) -> String {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    format!(".{name}.herald-{what}-")
}

fn parent_of(output: &Path) -> PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

impl Staging {
    /// Prepares a staging folder beside `output` (a real path, see
    /// [`super::claim_output`]) and cleans what killed builds left behind.
    pub fn new(output: &OutputDir) -> Result<Staging> {
        let output = &output.path;
        let parent = parent_of(output);
        let unusable = |what: &str, e: std::io::Error| {
            Error::Site(vec![
                Diagnostic::error(
                    parent.display().to_string(),
                    format!("{what} that holds the output: {e}"),
                )
                .hint(format!(
                    "herald writes the new site beside {} and then swaps it in: check this folder's permissions, or choose another folder with --output",
                    output.display()
                )),
            ])
        };
        std::fs::create_dir_all(&parent).map_err(|e| unusable("cannot create the folder", e))?;
        recover(output, &parent);
        let dir = tempfile::Builder::new()
            .prefix(&sibling_prefix(output, "staging"))
            .tempdir_in(&parent)
            .map_err(|e| unusable("cannot write in the folder", e))?;
        std::fs::write(dir.path().join(STAGING_MARKER), b"")
            .map_err(|e| unusable("cannot write in the folder", e))?;
        Ok(Staging {
            sink: DiskSink::new(dir.path()),
            dir,
            output: output.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn sink(&self) -> &DiskSink {
        &self.sink
    }

    /// Makes the staged site the output, atomically where the OS allows.
    /// `foreign` lists what the old output holds that herald did not write
    /// ([`OutputDir::foreign_entries`]): top-level entries matching `keep`
    /// move into the new output; anything else refuses the swap and leaves
    /// the old output as it was.
    pub fn publish(self, keep: &[String], foreign: &[String]) -> Result<()> {
        let written = self.sink.written();
        let refused: Vec<&String> = foreign.iter().filter(|f| !is_kept(keep, f)).collect();
        if !refused.is_empty() {
            let shown: Vec<String> = refused
                .iter()
                .take(10)
                .map(|f| display_in(&self.output, f))
                .collect();
            let more = refused.len().saturating_sub(10);
            let list = shown.join(", ");
            let output = self.output.display();
            return Err(Error::Refused(match (refused.len(), more) {
                (1, _) => msg!("refuse-foreign-one", output, list),
                (_, 0) => msg!("refuse-foreign", output, list),
                _ => msg!("refuse-foreign-more", output, list, more),
            }));
        }
        let kept: Vec<&String> = foreign.iter().filter(|f| is_kept(keep, f)).collect();
        if let Some(k) = kept
            .iter()
            .find(|k| written.iter().any(|w| top_name(w) == k.as_str()))
        {
            return Err(Error::Refused(msg!(
                "kept-and-published",
                path = display_in(&self.output, k),
                name = k
            )));
        }
        let staged = self.dir.path().to_path_buf();
        let fail =
            |e: io::Error| Error::io(msg!("cannot-publish", path = self.output.display()), e);
        std::fs::write(staged.join(MANIFEST), OutputDir::manifest(&written)).map_err(fail)?;
        std::fs::remove_file(staged.join(STAGING_MARKER)).map_err(fail)?;
        let mut moved: Vec<&String> = Vec::new();
        let put_back = |moved: &[&String]| {
            for k in moved {
                let _ = std::fs::rename(staged.join(k), self.output.join(k));
            }
        };
        for k in &kept {
            if let Err(e) = std::fs::rename(self.output.join(k), staged.join(k)) {
                put_back(&moved);
                return Err(fail(e));
            }
            moved.push(k);
        }
        if !self.output.exists() {
            std::fs::rename(&staged, &self.output).map_err(fail)?;
            let _ = self.dir.keep();
            return Ok(());
        }
        // Linux: swap both names in one step; the old site ends up in the
        // staging folder, which is then removed.
        if rustix::fs::renameat_with(
            rustix::fs::CWD,
            &staged,
            rustix::fs::CWD,
            &self.output,
            rustix::fs::RenameFlags::EXCHANGE,
        )
        .is_ok()
        {
            // The old site now sits in the staging folder: mark it as
            // herald's so a build killed while removing it is cleaned up.
            let _ = std::fs::write(staged.join(STAGING_MARKER), b"");
            remove_owned(&staged, STAGING_MARKER);
            return Ok(());
        }
        // Elsewhere: move the old site aside, move the new one in, drop the old.
        let old = tempfile::Builder::new()
            .prefix(&sibling_prefix(&self.output, "old"))
            .tempdir_in(parent_of(&self.output))
            .map_err(fail)?;
        std::fs::write(old.path().join(OLD_MARKER), b"").map_err(fail)?;
        let old_path = old.path().join("site");
        if let Err(e) = std::fs::rename(&self.output, &old_path) {
            put_back(&moved);
            return Err(fail(e));
        }
        if let Err(e) = std::fs::rename(&staged, &self.output) {
            let _ = std::fs::rename(&old_path, &self.output);
            put_back(&moved);
            return Err(fail(e));
        }
        let _ = self.dir.keep();
        remove_owned(&old.keep(), OLD_MARKER);
        Ok(())
    }
}

/// Removes a folder and everything in it, folders in parallel: the
/// previous site can be tens of thousands of files. A symbolic link is
/// removed itself, never followed, at the top as below. Best effort, like
/// dropping a `TempDir`.
pub fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    match dir.symlink_metadata() {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            let _ = std::fs::remove_file(dir);
            return;
        }
        Err(_) => return,
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    entries.par_iter().for_each(|e| {
        // `DirEntry::file_type` does not follow links.
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_tree(&e.path());
        } else {
            let _ = std::fs::remove_file(e.path());
        }
    });
    let _ = std::fs::remove_dir(dir);
}

/// Removes a folder herald marked as its own: everything but the marker
/// first, so a removal cut short still leaves a marked folder behind.
fn remove_owned(dir: &Path, marker: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name() != marker {
            remove_tree(&e.path());
        }
    }
    let _ = std::fs::remove_file(dir.join(marker));
    let _ = std::fs::remove_dir(dir);
}

/// True for a real folder (not a link) holding `marker` as a real file.
fn is_marked(dir: &Path, marker: &str) -> bool {
    dir.symlink_metadata().is_ok_and(|m| m.is_dir())
        && dir
            .join(marker)
            .symlink_metadata()
            .is_ok_and(|m| m.is_file())
}

/// Removes staging folders of killed builds and, if a build died between
/// the two renames of the fallback swap, puts the old site back. Only real
/// folders holding herald's marker (or, for a staging folder that already
/// received the old output, its manifest) are touched; a link or a folder
/// that merely has such a name is left alone.
fn recover(output: &Path, parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = sibling_prefix(output, "staging");
    let old = sibling_prefix(output, "old");
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(&staging) {
            if is_marked(&path, STAGING_MARKER) {
                remove_owned(&path, STAGING_MARKER);
            } else if is_marked(&path, MANIFEST) {
                remove_owned(&path, MANIFEST);
            } else if path.symlink_metadata().is_ok_and(|m| m.is_dir()) {
                // An empty folder left by a swap: nothing to lose.
                let _ = std::fs::remove_dir(&path);
            }
        } else if name.starts_with(&old) && is_marked(&path, OLD_MARKER) {
            let saved = path.join("site");
            if output.symlink_metadata().is_err()
                && saved.symlink_metadata().is_ok_and(|m| m.is_dir())
            {
                let _ = std::fs::rename(&saved, output);
            }
            remove_owned(&path, OLD_MARKER);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Sink, claim_output};

    #[test]
    fn publish_swaps_and_cleans() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::new(&claim_output(tmp.path(), &out).unwrap()).unwrap();
        first.sink().write("index.html", b"old").unwrap();
        first.publish(&[], &[]).unwrap();
        let s = Staging::new(&claim_output(tmp.path(), &out).unwrap()).unwrap();
        s.sink().write("index.html", b"new").unwrap();
        s.publish(&[], &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
        assert!(out.join(MANIFEST).is_file());
        assert!(!out.join(STAGING_MARKER).exists());
    }

    #[test]
    fn removal_never_follows_links() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::create_dir(&victim).unwrap();
        std::fs::write(victim.join("sentinel"), "keep me").unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        remove_tree(&link);
        assert!(victim.join("sentinel").exists());
        assert!(link.symlink_metadata().is_err());
    }
}
