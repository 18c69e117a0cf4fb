//! The one place that writes output: to a staging folder on disk that is
//! swapped in atomically when the whole build succeeded, or to memory for
//! the dev server. A failed or killed build never touches the previous site.
//!
//! herald writes only into an output folder it owns ([`owner`]: empty, new,
//! or holding the manifest of what herald wrote there), and deletes only
//! what it made ([`staging`]: never following a symbolic link).

mod owner;
mod staging;

pub use owner::{MANIFEST, OutputDir, claim_output};
pub use staging::Staging;

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

/// Rejects absolute paths, `..` and control characters: output stays
/// inside its folder, and every path fits on one line of the manifest.
fn checked(path: &str) -> io::Result<&str> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
        && path != MANIFEST;
    if ok {
        Ok(path)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {path}"),
        ))
    }
}

/// Writes files under a folder, creating parent folders as needed, and
/// remembers every path it wrote (the output's manifest).
pub struct DiskSink {
    dir: PathBuf,
    written: Mutex<Vec<String>>,
}

impl DiskSink {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DiskSink {
            dir: dir.into(),
            written: Mutex::new(Vec::new()),
        }
    }

    /// Every path written so far, sorted, without repeats.
    pub fn written(&self) -> Vec<String> {
        let mut all = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        all.sort_unstable();
        all.dedup();
        all
    }

    fn target(&self, path: &str) -> io::Result<PathBuf> {
        let target = self.dir.join(checked(path)?);
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(path.to_string());
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
pub type SharedFiles = BTreeMap<String, Stored>;

/// A file kept in memory: as it is, or LZ4-compressed (the dev server
/// holds a whole site, mostly HTML that compresses four to five times).
/// Compression is deterministic, so two stored files are equal exactly
/// when their contents are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    data: std::sync::Arc<[u8]>,
    compressed: bool,
}

impl Stored {
    /// Below this, a file is kept as it is.
    const SMALL: usize = 512;

    pub fn plain(bytes: &[u8]) -> Stored {
        Stored {
            data: std::sync::Arc::from(bytes),
            compressed: false,
        }
    }

    pub fn compressed(bytes: &[u8]) -> Stored {
        if bytes.len() < Self::SMALL {
            return Self::plain(bytes);
        }
        Stored {
            data: std::sync::Arc::from(lz4_flex::compress_prepend_size(bytes)),
            compressed: true,
        }
    }

    /// The file's contents.
    pub fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        if !self.compressed {
            return std::borrow::Cow::Borrowed(&self.data);
        }
        // Only this module compresses, so the data always decompresses.
        std::borrow::Cow::Owned(lz4_flex::decompress_size_prepended(&self.data).unwrap_or_default())
    }

    /// The contents, shared.
    pub fn shared(&self) -> std::sync::Arc<[u8]> {
        match self.bytes() {
            std::borrow::Cow::Borrowed(_) => self.data.clone(),
            std::borrow::Cow::Owned(v) => std::sync::Arc::from(v),
        }
    }

    /// Bytes held in memory.
    pub fn held(&self) -> usize {
        self.data.len()
    }
}

/// Writes into another sink under a folder: a translation of the site
/// into its language's `en/`.
pub struct PrefixSink<'a> {
    pub inner: &'a dyn Sink,
    /// Ends with `/`.
    pub prefix: &'a str,
}

impl Sink for PrefixSink<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.write(&format!("{}{path}", self.prefix), bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        self.inner.copy(&format!("{}{path}", self.prefix), from)
    }
}

/// Keeps every file in memory (the dev server, tests).
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<SharedFiles>,
    compress: bool,
    /// Files under this folder are kept as they are.
    plain_under: Option<&'static str>,
}

impl MemorySink {
    pub fn new() -> Self {
        Self::default()
    }

    /// A sink that keeps files compressed (the dev server).
    pub fn compressing() -> Self {
        MemorySink {
            compress: true,
            ..Self::default()
        }
    }

    /// Compresses every file but those under `folder` (`search/`: files
    /// rewritten on most edits, where compressing costs more time than
    /// the memory it saves is worth).
    pub fn compressing_but(folder: &'static str) -> Self {
        MemorySink {
            plain_under: Some(folder),
            ..Self::compressing()
        }
    }

    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.into_shared()
            .into_iter()
            .map(|(k, v)| (k, v.bytes().into_owned()))
            .collect()
    }

    pub fn into_shared(self) -> SharedFiles {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let path = checked(path)?.to_string();
        // Compressed before the lock: writers run in parallel.
        let plain = self.plain_under.is_some_and(|f| path.starts_with(f));
        let stored = if self.compress && !plain {
            Stored::compressed(bytes)
        } else {
            Stored::plain(bytes)
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, stored);
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> io::Result<()> {
        let bytes = std::fs::read(from)?;
        self.write(path, &bytes)
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
        assert!(checked("a\nb").is_err());
        assert!(checked(MANIFEST).is_err());
    }
}
