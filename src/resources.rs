//! Files named from front matter or shortcodes (covers, downloads, videos,
//! figures): `/x` is under `static/`, `http(s)://` is taken as is, anything
//! else is beside the page. One resolver for every caller.

use crate::msg;
use std::path::{Path, PathBuf};

/// A located file.
#[derive(Debug, Clone)]
pub struct Located {
    /// The URL the site publishes it at.
    pub url: String,
    /// The file on disk (`None` for external URLs).
    pub disk: Option<PathBuf>,
    pub bytes: Option<u64>,
}

/// Where a page is: enough to resolve names relative to it.
#[derive(Debug, Clone, Copy)]
pub struct PageSpot<'a> {
    /// Content-relative key (`news/a.md`, `news/b/index.md`).
    pub key: &'a str,
    /// True for a page bundle (`…/index.md` with assets).
    pub bundle: bool,
    /// Output path of the page (`news/b/`).
    pub path: &'a str,
}

/// Resolves `value` for a page. Errors say what was looked for (callers
/// name the value).
/// Where files are published: `root`, the site's root path (static files
/// and the content folders' loose files), and `here`, the path of the
/// site's language (a bundle's files, published beside each language's
/// page). The same for a site in one language.
#[derive(Debug, Clone, Copy)]
pub struct Bases<'a> {
    pub root: &'a str,
    pub here: &'a str,
}

pub fn locate(
    root: &Path,
    bases: Bases,
    page: PageSpot,
    value: &str,
) -> Result<Located, crate::messages::Text> {
    let value = value.trim();
    if value.starts_with("http://") || value.starts_with("https://") {
        return Ok(Located {
            url: value.to_string(),
            disk: None,
            bytes: None,
        });
    }
    if value.is_empty() || value.split(['/', '\\']).any(|seg| seg == "..") {
        return Err(msg!("file-path-rule"));
    }
    let mut base_path = bases.root;
    let (disk, url_path) = if let Some(abs) = value.strip_prefix('/') {
        (root.join("static").join(abs), abs.to_string())
    } else {
        let content_dir = page.key.rsplit_once('/').map_or("", |(d, _)| d);
        let disk = root
            .join(crate::content::CONTENT_DIR)
            .join(content_dir)
            .join(value);
        let url = if page.bundle {
            base_path = bases.here;
            format!("{}{value}", page.path)
        } else if content_dir.is_empty() {
            value.to_string()
        } else {
            format!("{content_dir}/{value}")
        };
        (disk, url)
    };
    // The walks of content/ and static/ already refuse folders linked out
    // of the site, so only a file that is itself a link needs resolving
    // (not every cover of every page).
    if disk.symlink_metadata().is_ok_and(|m| m.is_symlink())
        && let Err(e) = crate::confine::check(&crate::confine::real_root(root), &disk)
    {
        return Err(msg!(
            "file-outside",
            file = crate::confine::shown(root, &disk),
            why = e.message()
        ));
    }
    match std::fs::metadata(&disk) {
        Ok(m) if m.is_file() => Ok(Located {
            url: format!("{base_path}{url_path}"),
            disk: Some(disk),
            bytes: Some(m.len()),
        }),
        _ => Err(msg!(
            "file-missing",
            path = disk.strip_prefix(root).unwrap_or(&disk).display()
        )),
    }
}
