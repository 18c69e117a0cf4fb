//! Paths and URLs: old URLs in one form, herald's URL of a page path,
//! relative paths joined, Hugo's `ref` lookup, covers that exist.

use super::source::Doc;
use std::collections::HashMap;

/// (URL folder, name) of a page at `dest` under `content/`, as herald
/// publishes it: `posts/a.md` → (`posts/`, `a`), `posts/b/index.md` →
/// (`posts/`, `b`).
pub fn herald_parts(dest: &str) -> (String, String) {
    let no_ext = dest.strip_suffix(".md").unwrap_or(dest);
    let no_ext = no_ext.strip_suffix("/index").unwrap_or(no_ext);
    match no_ext.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n.to_string()),
        None => (String::new(), no_ext.to_string()),
    }
}

pub fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s != "."
        && s != ".."
        && !s.contains(['/', '\\', '?', '#', ' '])
        && !s.chars().any(char::is_control)
        && s.len() <= crate::slug::MAX_SLUG_BYTES
}

/// A URL path in one form: `/a/index.html` and `/a` are `/a/`.
pub fn norm(url: &str) -> String {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let path = path.strip_suffix("index.html").unwrap_or(&path);
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let joined = format!("/{}", segs.join("/"));
    if joined == "/" || joined.ends_with(".html") {
        joined
    } else {
        format!("{joined}/")
    }
}

pub use crate::markdown::links::join;

/// Hugo's `ref`: a content path (`/posts/a.md`, `posts/a`), relative to
/// the page, or a file name found once.
pub fn find_ref(
    docs: &[Doc],
    by_src: &HashMap<String, usize>,
    dir: &str,
    arg: &str,
) -> Option<usize> {
    let candidates = |p: &str| {
        [
            p.to_string(),
            format!("{p}.md"),
            format!("{p}/index.md"),
            format!("{p}/_index.md"),
        ]
    };
    let abs = arg.trim_start_matches('/');
    for c in candidates(abs)
        .iter()
        .chain(join(dir, arg).map(|j| candidates(&j)).iter().flatten())
    {
        if let Some(i) = by_src.get(c) {
            return Some(*i);
        }
    }
    let name = abs.trim_end_matches(".md");
    let mut found = docs.iter().enumerate().filter(|(_, d)| {
        let (_, stem) = super::tree::url_parts(&d.rel);
        stem == name
    });
    let first = found.next()?;
    found.next().is_none().then_some(first.0)
}

pub fn cover_exists(cover: &str, dest: &str, files: &[(std::path::PathBuf, String)]) -> bool {
    if cover.contains("://") {
        return true;
    }
    let want = match cover.strip_prefix('/') {
        Some(p) => format!("static/{p}"),
        None => format!(
            "content/{}",
            join(dest.rsplit_once('/').map_or("", |(d, _)| d), cover).unwrap_or_default()
        ),
    };
    files.iter().any(|(_, d)| *d == want)
}
