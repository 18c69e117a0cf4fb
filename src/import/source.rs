//! What a reader of another tool's site hands on: the site's settings, its
//! pages with their front matter as written and their old URLs, the files
//! to copy, and what it could not carry over. Also the reading every tool
//! shares: files under a folder, front matter in any of the three formats,
//! config files.

use super::report::Report;
use crate::error::{Diagnostic, Error, Result};
use crate::yaml::{self, Node};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The other tool's site, read.
#[derive(Debug, Default)]
pub struct Source {
    pub site: SiteInfo,
    /// Top-level sections (folders that become boards), in order.
    pub sections: Vec<Section>,
    pub docs: Vec<Doc>,
    /// Files to copy: (absolute source path, path under the new site).
    pub files: Vec<(PathBuf, String)>,
    pub report: Report,
    /// Pages that could not be read: every one is reported at once.
    pub errors: Vec<Diagnostic>,
}

impl Source {
    /// Keeps the problems of a page that could not be read and says
    /// whether it could.
    pub fn ok<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(Error::Site(d)) => {
                self.errors.extend(d);
                None
            }
            Err(e) => {
                self.errors.push(Diagnostic::error("", e.to_string()));
                None
            }
        }
    }
}

/// Site settings with a herald equivalent.
#[derive(Debug, Default)]
pub struct SiteInfo {
    pub title: Option<String>,
    pub description: Option<String>,
    pub base_url: Option<String>,
    pub language: Option<String>,
    pub author: Option<String>,
    /// Taxonomy names (`tags`, `categories`).
    pub taxonomies: Vec<String>,
}

/// A folder of pages that becomes a board.
#[derive(Debug, Default, Clone)]
pub struct Section {
    /// The folder's name in the source (`posts`, `_posts`).
    pub name: String,
    /// The board key to use (`posts`).
    pub key: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub paginate: Option<i64>,
    pub sort: Option<&'static str>,
    /// Every page of the section is a lesson of one series (an mdBook).
    pub series: Option<String>,
}

/// One page of the source.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path in the source, for messages (`content/posts/a.md`).
    pub src: String,
    /// Path under the source's content folder (`posts/a.md`; a Jekyll
    /// site's root, an mdBook's `src/`): what `@/`, `ref` and `link` name.
    pub rel: String,
    /// The section (`Section::key`) it belongs to; `None` for a top-level
    /// page.
    pub section: Option<String>,
    /// Where it goes, under `content/` of the new site, before slugs are
    /// settled (`posts/a.md`, `posts/trip/index.md`, `about.md`).
    pub dest: String,
    /// A section's or the home page's intro (`_index.md`).
    pub intro: bool,
    /// The front matter as written, in order, with each key's line.
    pub fields: Vec<(String, Value, usize)>,
    pub body: String,
    /// The file line where the body starts.
    pub body_line: usize,
    /// The URL path it had, under the site's base path (`/posts/a/`).
    pub old_url: Option<String>,
    /// Position in a book's `SUMMARY.md` (1-based).
    pub order: Option<usize>,
    /// A date taken from the file name (`2020-01-02-title.md`).
    pub file_date: Option<String>,
}

impl Doc {
    /// A page read from `src` (as shown in messages) at `rel`, with its
    /// place in the new site not settled yet.
    pub fn read(src: String, rel: String, (fields, body, body_line): Split) -> Doc {
        Doc {
            src,
            rel,
            section: None,
            dest: String::new(),
            intro: false,
            fields,
            body,
            body_line,
            old_url: None,
            order: None,
            file_date: None,
        }
    }

    pub fn field(&self, key: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|(k, _, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v, _)| v)
    }

    pub fn text(&self, key: &str) -> Option<String> {
        match self.field(key)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// Every file under `dir` (relative paths with `/`, sorted), skipping
/// hidden names. Symbolic links are never followed: each one is reported
/// and left out, so nothing outside the source is read.
pub fn files_under(root: &Path, dir: &Path, report: &mut Report, shown: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    if !inside(root, dir) {
        report.skip(shown, "a symbolic link out of the source: not followed (herald reads nothing it was not given)");
        return out;
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.flatten() {
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if entry.path_is_symlink() {
            report.skip(
                format!("{shown}/{rel}"),
                "a symbolic link: not followed (herald reads nothing it was not given)",
            );
            continue;
        }
        if entry.file_type().is_file() {
            out.push(rel);
        }
    }
    out
}

pub fn is_markdown(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Whether `path` (which exists) lies inside `root` once symbolic links
/// are resolved.
pub fn inside(root: &Path, path: &Path) -> bool {
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(r), Ok(p)) => p.starts_with(r),
        _ => false,
    }
}

/// Reads a text file of the source at `root`; a file that a symbolic link
/// leads out of the source is refused.
pub fn read_text(root: &Path, path: &Path, shown: &str) -> Result<String> {
    if !inside(root, path) {
        return Err(Error::Site(vec![
            Diagnostic::error(shown, "this file is a symbolic link out of the source")
                .hint("herald reads nothing outside the site it imports: copy the file in"),
        ]));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io(format!("cannot read {shown}"), e))?;
    crate::source::decode_text(shown, &bytes).map_err(|d| Error::Site(vec![d]))
}

/// A config file (`.toml`, `.yaml`/`.yml` or `.json`) as a tree.
pub fn read_config(root: &Path, path: &Path, shown: &str) -> Result<Node> {
    let text = read_text(root, path, shown)?;
    let parsed = if shown.ends_with(".toml") {
        yaml::toml::parse(&text, 1)
    } else {
        yaml::parse(&text, 0)
    };
    parsed.map_err(|e| {
        Error::Site(vec![Diagnostic {
            hint: e.hint,
            ..Diagnostic::error(shown, e.message).at_col(e.line, e.col)
        }])
    })
}

/// A key of a config tree (any case, as Hugo reads its keys).
pub fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        yaml::Value::Map(entries) => entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
            .map(|e| &e.value),
        _ => None,
    }
}

pub fn get_str(node: &Node, key: &str) -> Option<String> {
    get(node, key)
        .and_then(|n| n.value.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Front matter split from a page: (fields with lines, body, body line).
pub type Split = (Vec<(String, Value, usize)>, String, usize);

/// Splits YAML (`---`), TOML (`+++`) or JSON (`{ … }`) front matter off a
/// page, as Hugo, Zola and Jekyll write it; a page without any has no
/// fields.
pub fn split_front_matter(text: &str, shown: &str) -> Result<Split> {
    if text.starts_with('{') {
        // Hugo's JSON front matter: an object, then the body.
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
        if let Some(Ok(Value::Object(map))) = stream.next() {
            let end = stream.byte_offset();
            let fields = map.into_iter().map(|(k, v)| (k, v, 1)).collect();
            let newline = usize::from(text[end..].starts_with('\n'));
            let body_line = text[..end].matches('\n').count() + 1 + newline;
            return Ok((fields, text[end + newline..].to_string(), body_line));
        }
        return Ok((Vec::new(), text.to_string(), 1));
    }
    // YAML and TOML are split and read as herald reads its own pages.
    let split =
        crate::frontmatter::split_front_matter(shown, text).map_err(|d| Error::Site(vec![d]))?;
    let Some((front, body, body_line, format)) = split else {
        return Ok((Vec::new(), text.to_string(), 1));
    };
    let parsed = match format {
        crate::frontmatter::Format::Yaml => yaml::parse(front, 1),
        crate::frontmatter::Format::Toml => yaml::toml::parse(front, 2),
    };
    let node = parsed.map_err(|e| {
        Error::Site(vec![Diagnostic {
            hint: e.hint,
            ..Diagnostic::error(shown, e.message).at_col(e.line, e.col)
        }])
    })?;
    let fields = match &node.value {
        yaml::Value::Map(entries) => entries
            .iter()
            .map(|e| (e.key.clone(), e.value.to_json(), e.line))
            .collect(),
        _ => Vec::new(),
    };
    Ok((fields, body.to_string(), body_line))
}

/// Expands the `:token`s of a permalink pattern (`/:year/:title/`) with
/// `value`; a token it does not know stays as written.
pub fn expand_tokens(pattern: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let token = &after[..len];
        match value(token) {
            Some(v) => out.push_str(&v),
            None => {
                out.push(':');
                out.push_str(token);
            }
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// `2020-01-02-title.md` → (`2020-01-02`, `title`), as Jekyll names posts
/// and Zola reads dates from file names.
pub fn date_prefix(stem: &str) -> Option<(String, String)> {
    let b = stem.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    if stem.len() > 11
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'-' | b'_')
    {
        Some((stem[..10].to_string(), stem[11..].to_string()))
    } else {
        None
    }
}

/// The URL path of a file name without its extension (`a/b.md` → `a/b`).
pub fn without_ext(rel: &str) -> &str {
    match rel.rfind('.') {
        Some(i) if !rel[i..].contains('/') => &rel[..i],
        _ => rel,
    }
}

/// The path part of a base URL (`https://x.org/blog/` → `/blog/`).
pub fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let path = match after_scheme.find('/') {
        Some(i) if url.contains("://") => &after_scheme[i..],
        _ if url.contains("://") => "/",
        _ => after_scheme,
    };
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_all_three_front_matters() {
        let (f, body, line) =
            split_front_matter("+++\ntitle = \"A\"\ndate = 2020-01-02\n+++\nBody\n", "x").unwrap();
        assert_eq!(f[0].0, "title");
        assert_eq!(f[1].1, Value::String("2020-01-02".into()));
        assert_eq!((body.as_str(), line), ("Body\n", 5));
        let (f, body, line) = split_front_matter("---\ntitle: B\n---\n\nText", "x").unwrap();
        assert_eq!((f[0].2, body.as_str(), line), (2, "\nText", 4));
        let (f, body, line) = split_front_matter("{\n  \"title\": \"C\"\n}\nText\n", "x").unwrap();
        assert_eq!(
            (f[0].1.as_str(), body.as_str(), line),
            (Some("C"), "Text\n", 4)
        );
        let (f, body, _) = split_front_matter("# Plain\n", "x").unwrap();
        assert!(f.is_empty() && body == "# Plain\n");
        assert!(split_front_matter("---\ntitle: x\n", "x").is_err());
    }

    #[test]
    fn reads_dates_in_file_names_and_base_paths() {
        assert_eq!(
            date_prefix("2020-01-02-hello-world"),
            Some(("2020-01-02".into(), "hello-world".into()))
        );
        assert_eq!(date_prefix("hello"), None);
        assert_eq!(base_path("https://x.org/blog"), "/blog/");
        assert_eq!(base_path("https://x.org"), "/");
        assert_eq!(base_path("/docs/"), "/docs/");
        assert_eq!(without_ext("a/b.md"), "a/b");
    }
}
