//! The one place that writes output: to a staging folder on disk that is
//! swapped in atomically when the whole build succeeded, or to memory for
//! the dev server. A failed or killed build never touches the previous site.

use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Where rendered files go. Paths are `/`-separated and relative
/// (`news/a/index.html`).
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies a file from the site (a static asset).
    fn copy(&self, path: &str, from: &Path) -> io::Result<()>;
}

/// Rejects absolute paths and `..`: output stays inside its folder.
fn checked(path: &str) -> io::Result<&str> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && !path.contains('\\');
    if ok {
        Ok(path)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {path}"),
        ))
    }
}

/// Writes files under a folder, creating parent folders as needed.
pub struct DiskSink {
    dir: PathBuf,
}

impl DiskSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DiskSink { dir: dir.into() }
    }

    fn target(&self, path: &str) -> io::Result<PathBuf> {
        let target = self.dir.join(checked(path)?);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(target)
    }
}

impl Sink for DiskSink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        std::fs::write(self.target(path)?, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        std::fs::copy(from, self.target(path)?).map(|_| ())
    }
}

/// Files kept in memory, shared without copying.
pub type SharedFiles = BTreeMap<String, std::sync::Arc<[u8]>>;

/// Keeps every file in memory (the dev server, tests).
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<SharedFiles>,
}

impl MemorySink {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.into_shared()
            .into_iter()
            .map(|(k, v)| (k, v.to_vec()))
            .collect()
    }

    pub fn into_shared(self) -> SharedFiles {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let path = checked(path)?.to_string();
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, std::sync::Arc::from(bytes));
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(path, &bytes)
    }
}

/// Refuses output folders that would destroy the site itself.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        out.canonicalize().unwrap_or(out)
    };
    let root = abs(root);
    let output = abs(output);
    let refuse = |why: &str| {
        Err(Error::Refused(format!(
            "refusing to use {} as the output folder: {why}",
            output.display()
        )))
    };
    if output.parent().is_none() {
        return refuse("it is the file-system root");
    }
    if root.starts_with(&output) {
        return refuse("it contains the site itself (choose a folder such as public/)");
    }
    if output.join(crate::config::CONFIG_FILE).exists()
        || output.join(crate::content::CONTENT_DIR).is_dir()
    {
        return refuse("it holds a site (site.yaml or content/)");
    }
    for own in [
        "content",
        "static",
        "templates",
        "themes",
        "data",
        "i18n",
        "src",
        ".git",
    ] {
        if output.starts_with(root.join(own)) {
            return refuse(&format!("it is inside the site's {own}/ folder"));
        }
    }
    if output.is_dir() {
        let mut entries = std::fs::read_dir(&output)
            .map_err(|e| Error::io(format!("cannot read {}", output.display()), e))?;
        let non_empty = entries.next().is_some();
        let ours = output.join("index.html").exists() || output.join("404.html").exists();
        if non_empty && !ours {
            return refuse(
                "it is not empty and does not look like a herald output (no index.html); empty it or choose another folder",
            );
        }
    } else if output.exists() {
        return refuse("it is a file, not a folder");
    }
    Ok(())
}

/// A build in progress: files go to a hidden staging folder beside the
/// output; `publish` swaps it in.
pub struct Staging {
    dir: tempfile::TempDir,
    output: PathBuf,
}

fn sibling_prefix(output: &Path, what: &str) -> String {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    format!(".{name}.herald-{what}-")
}

impl Staging {
    /// Prepares a staging folder and cleans what killed builds left behind.
    pub fn new(output: &Path) -> Result<Staging> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let unusable = |what: &str, e: std::io::Error| {
            Error::Site(vec![
                crate::error::Diagnostic::error(
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
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn sink(&self) -> DiskSink {
        DiskSink::new(self.dir.path())
    }

    /// Makes the staged site the output, atomically where the OS allows.
    pub fn publish(self) -> Result<()> {
        let staged = self.dir.path().to_path_buf();
        let fail =
            |e: io::Error| Error::io(format!("cannot publish to {}", self.output.display()), e);
        if !self.output.exists() {
            std::fs::rename(&staged, &self.output).map_err(fail)?;
            let _ = self.dir.keep();
            return Ok(());
        }
        // Linux: swap both names in one step; the old site ends up in the
        // staging folder, which is removed when `self.dir` drops.
        if rustix::fs::renameat_with(
            rustix::fs::CWD,
            &staged,
            rustix::fs::CWD,
            &self.output,
            rustix::fs::RenameFlags::EXCHANGE,
        )
        .is_ok()
        {
            remove_tree(self.dir.path());
            return Ok(());
        }
        // Elsewhere: move the old site aside, move the new one in, drop the old.
        let parent = self
            .output
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let old = tempfile::Builder::new()
            .prefix(&sibling_prefix(&self.output, "old"))
            .tempdir_in(&parent)
            .map_err(fail)?;
        let old_path = old.path().join("site");
        std::fs::rename(&self.output, &old_path).map_err(fail)?;
        if let Err(e) = std::fs::rename(&staged, &self.output) {
            let _ = std::fs::rename(&old_path, &self.output);
            return Err(fail(e));
        }
        let _ = self.dir.keep();
        remove_tree(old.path());
        Ok(())
    }
}

/// Removes a folder and everything in it, folders in parallel: the
/// previous site can be tens of thousands of files. Best effort, like
/// dropping a `TempDir`.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    entries.par_iter().for_each(|e| {
        // Symbolic links are removed, not followed.
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_tree(&e.path());
        } else {
            let _ = std::fs::remove_file(e.path());
        }
    });
    let _ = std::fs::remove_dir(dir);
}

/// Removes staging folders of killed builds and, if a build died between
/// the two renames of the fallback swap, puts the old site back.
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
            remove_tree(&path);
        } else if name.starts_with(&old) {
            let saved = path.join("site");
            if !output.exists() && saved.is_dir() {
                let _ = std::fs::rename(&saved, output);
            }
            remove_tree(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escaping_paths() {
        assert!(checked("a/b.html").is_ok());
        assert!(checked("../x").is_err());
        assert!(checked("/etc/passwd").is_err());
        assert!(checked("a\\..\\b").is_err());
    }

    #[test]
    fn publish_swaps_and_cleans() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("index.html"), "old").unwrap();
        let s = Staging::new(&out).unwrap();
        s.sink().write("index.html", b"new").unwrap();
        s.publish().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn refuses_site_root() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("site.yaml"), "title: x").unwrap();
        assert!(check_output_dir(tmp.path(), tmp.path()).is_err());
        assert!(check_output_dir(tmp.path(), &tmp.path().join("content/x")).is_err());
        assert!(check_output_dir(tmp.path(), &tmp.path().join("public")).is_ok());
    }
}
