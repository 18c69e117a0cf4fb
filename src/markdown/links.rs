//! Internal links: `[text](@/news/first-post.md#anchor)` becomes the target
//! page's URL, and so do relative links to Markdown files as every Markdown
//! editor, GitHub and mdBook read them (`other.md`, `../ch2/intro.md#part`,
//! and `other.html` when `other.md` is a page). A missing target is an error
//! at the link's line; anchors are collected and checked once every page
//! has its headings. Root-relative links to published files (`/images/p.jpg`)
//! get the site's sub-path, and a file beside a single-file page is linked
//! where it is published.

use super::{Events, LineIndex};
use crate::error::Diagnostic;
use crate::msg;
use pulldown_cmark::{CowStr, Event, LinkType, Tag};

/// Turns a content path into a URL.
pub trait LinkResolver: Sync {
    /// `key` is a content-relative path (`news/a.md`); returns the URL, or
    /// why it cannot be linked.
    fn resolve(&self, key: &str) -> Result<String, crate::messages::Text>;

    /// Whether `key` names a page with a URL (no message made when not).
    fn is_page(&self, key: &str) -> bool {
        self.resolve(key).is_ok()
    }

    /// Whether `key` is a page that failed to load (its own errors are
    /// reported; a link to it is not reported again).
    fn failed(&self, _key: &str) -> bool {
        false
    }

    /// The URL of a non-Markdown file of `content/` (`news/photo.jpg`), if
    /// there is one.
    fn asset(&self, _key: &str) -> Option<String> {
        None
    }

    /// For a root-relative path (`images/p.jpg`, without its `/`): the URL
    /// with the site's sub-path when something is published there.
    fn published(&self, _path: &str) -> Option<String> {
        None
    }
}

/// Where the page being rendered is: its content-relative key
/// (`news/a.md`, `news/x/index.md`) and whether it is a bundle.
#[derive(Debug, Clone, Copy)]
pub struct PageAt<'a> {
    pub key: &'a str,
    pub bundle: bool,
}

/// An `@/` link found in a page, for the anchor check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    pub target: String,
    pub anchor: Option<String>,
    pub line: usize,
    /// The link as written (`@/news/a.md#x`, `../a.md#x`, `#x`).
    pub written: String,
}

/// Rewrites link and image destinations in place: `@/` paths, relative
/// Markdown paths, root-relative published paths and files beside a
/// single-file page.
pub fn resolve(
    events: &mut Events<'_>,
    resolver: &dyn LinkResolver,
    file: &str,
    from: PageAt<'_>,
    lines: &LineIndex<'_>,
    links: &mut Vec<InternalLink>,
    diags: &mut Vec<Diagnostic>,
) {
    let dir = from.key.rsplit_once('/').map_or("", |(d, _)| d);
    for (event, range) in events.iter_mut() {
        let dest = match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let line = lines.line(range.start);
        let target = match classify(dest) {
            Target::Internal(path) => {
                let (key, anchor) = split_anchor(path);
                Some((
                    key.trim_start_matches('/').to_string(),
                    anchor,
                    format!("@/{path}"),
                ))
            }
            Target::Relative(path) => {
                let (rel, anchor) = split_anchor(path);
                let rel = rel.split('?').next().unwrap_or("");
                let decoded = crate::escape::percent_decode(rel);
                match join(dir, &decoded) {
                    None => {
                        diags.push(
                            Diagnostic::error(file, msg!("link-climbs-out", path))
                                .at(line)
                                .hint(msg!("link-climbs-out-hint")),
                        );
                        continue;
                    }
                    Some(key) if is_markdown(&key) => Some((key, anchor, path.to_string())),
                    Some(key) => {
                        // `other.html` written for a page `other.md` (mdBook).
                        let twin = key
                            .strip_suffix(".html")
                            .map(|stem| format!("{stem}.md"))
                            .filter(|md| resolver.is_page(md));
                        match twin {
                            Some(md) => Some((md, anchor, path.to_string())),
                            None => {
                                // A file beside a single-file page is
                                // published beside its folder, not its URL.
                                if !from.bundle
                                    && let Some(url) = resolver.asset(&key)
                                {
                                    *dest = CowStr::from(with_anchor(url, &anchor));
                                }
                                None
                            }
                        }
                    }
                }
            }
            Target::Root(path) => {
                let (p, anchor) = split_anchor(path);
                let decoded = crate::escape::percent_decode(p.trim_start_matches('/'));
                if let Some(url) = resolver.published(&decoded) {
                    *dest = CowStr::from(with_anchor(url, &anchor));
                }
                None
            }
            Target::Fragment(fragment) => {
                // Checked against this page's ids with the other anchors.
                links.push(InternalLink {
                    target: from.key.to_string(),
                    anchor: Some(crate::escape::percent_decode(fragment)),
                    line,
                    written: format!("#{fragment}"),
                });
                None
            }
            Target::Other => None,
        };
        let Some((key, anchor, written)) = target else {
            continue;
        };
        match resolver.resolve(&key) {
            Ok(url) => {
                *dest = CowStr::from(with_anchor(url, &anchor));
                links.push(InternalLink {
                    target: key,
                    anchor: decoded(&anchor),
                    line,
                    written,
                });
            }
            Err(_) if resolver.failed(&key) => {}
            Err(why) => diags.push(
                Diagnostic::error(file, msg!("broken-link", written, why))
                    .at(line)
                    .hint(msg!("broken-link-hint")),
            ),
        }
    }
}

/// What a link destination is.
enum Target<'a> {
    /// `@/path` (without the `@/`).
    Internal(&'a str),
    /// A relative path (`a.md`, `../b.md#x`, `photo.jpg`).
    Relative(&'a str),
    /// A root-relative path (`/images/p.jpg`).
    Root(&'a str),
    /// `#anchor` on the same page (without the `#`).
    Fragment(&'a str),
    /// A URL with a scheme, `//host`, `#fragment` only, or empty.
    Other,
}

fn classify(dest: &str) -> Target<'_> {
    if let Some(path) = dest.strip_prefix("@/") {
        return Target::Internal(path);
    }
    if let Some(fragment) = dest.strip_prefix('#').filter(|f| !f.is_empty()) {
        return Target::Fragment(fragment);
    }
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || dest.starts_with('?') {
        return Target::Other;
    }
    // A scheme: letters, digits, `+`, `-`, `.` before the first `:`, and
    // before any `/` (`mailto:`, `https:`, `data:`).
    if let Some(colon) = dest.find(':')
        && !dest[..colon].contains('/')
        && dest[..colon]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return Target::Other;
    }
    match dest.strip_prefix('/') {
        Some(_) => Target::Root(dest),
        None => Target::Relative(dest),
    }
}

fn split_anchor(path: &str) -> (&str, Option<String>) {
    match path.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (path, None),
    }
}

/// The anchor as the page's ids are written (`%E7%A4%BA` → `示`).
fn decoded(anchor: &Option<String>) -> Option<String> {
    anchor.as_deref().map(crate::escape::percent_decode)
}

fn with_anchor(url: String, anchor: &Option<String>) -> String {
    match anchor {
        Some(a) => format!("{url}#{a}"),
        None => url,
    }
}

fn is_markdown(key: &str) -> bool {
    key.ends_with(".md") || key.ends_with(".markdown")
}

/// `rel` joined to the content folder `dir`, `.` and `..` resolved; `None`
/// when it climbs out of `content/`.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A URL a page refers to (link, image, or `href`/`src` in raw HTML), for
/// `herald check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    pub url: String,
    pub line: usize,
    pub image: bool,
}

/// Collects every link and image destination, and `href`/`src` attributes
/// of raw HTML (including shortcode output), with their lines.
pub fn collect_refs(events: &Events<'_>, lines: &LineIndex<'_>, refs: &mut Vec<Ref>) {
    for (event, range) in events {
        let line = lines.line(range.start);
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => refs.push(Ref {
                // `<someone@example.org>` is written as a mailto: link.
                url: if *link_type == LinkType::Email {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.to_string()
                },
                line,
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => refs.push(Ref {
                url: dest_url.to_string(),
                line,
                image: true,
            }),
            Event::Html(html) | Event::InlineHtml(html) => {
                for tag in crate::html::start_tags(html) {
                    for (name, image) in [("href", false), ("src", true)] {
                        if let Some(url) = tag.attr(name) {
                            refs.push(Ref {
                                url: url.to_string(),
                                line,
                                image,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }
}
