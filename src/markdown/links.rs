//! Internal links: `[text](@/news/first-post.md#anchor)` becomes the target
//! page's URL. A missing target is an error at the link's line; anchors are
//! collected and checked once every page has its headings.

use super::{Events, LineIndex};
use crate::error::Diagnostic;
use pulldown_cmark::{CowStr, Event, Tag};

/// Turns a content path into a URL.
pub trait LinkResolver: Sync {
    /// `key` is a content-relative path (`news/a.md`); returns the URL, or
    /// why it cannot be linked.
    fn resolve(&self, key: &str) -> Result<String, String>;
}

/// An `@/` link found in a page, for the anchor check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalLink {
    pub target: String,
    pub anchor: Option<String>,
    pub line: usize,
}

/// Rewrites `@/` link and image destinations in place.
pub fn resolve(
    events: &mut Events<'_>,
    resolver: &dyn LinkResolver,
    file: &str,
    lines: &LineIndex<'_>,
    links: &mut Vec<InternalLink>,
    diags: &mut Vec<Diagnostic>,
) {
    for (event, range) in events.iter_mut() {
        let dest = match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let Some(path) = dest.strip_prefix("@/") else {
            continue;
        };
        let (key, anchor) = match path.split_once('#') {
            Some((k, a)) => (k, Some(a.to_string())),
            None => (path, None),
        };
        let key = key.trim_start_matches('/').to_string();
        let line = lines.line(range.start);
        match resolver.resolve(&key) {
            Ok(url) => {
                let full = match &anchor {
                    Some(a) => format!("{url}#{a}"),
                    None => url,
                };
                links.push(InternalLink {
                    target: key,
                    anchor,
                    line,
                });
                *dest = CowStr::from(full);
            }
            Err(why) => diags.push(
                Diagnostic::error(file, format!("broken internal link `@/{path}`: {why}"))
                    .at(line)
                    .hint("internal links are paths inside content/, e.g. @/news/first-post.md or @/news/big-story/index.md"),
            ),
        }
    }
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
            Event::Start(Tag::Link { dest_url, .. }) => refs.push(Ref {
                url: dest_url.to_string(),
                line,
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => refs.push(Ref {
                url: dest_url.to_string(),
                line,
                image: true,
            }),
            Event::Html(html) | Event::InlineHtml(html) => {
                for (name, value) in attributes(html, &["href", "src"]) {
                    refs.push(Ref {
                        url: value,
                        line,
                        image: name == "src",
                    });
                }
            }
            _ => {}
        }
    }
}

/// Values of the named attributes in an HTML fragment (quoted values).
pub fn attributes(html: &str, names: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    for name in names {
        let pattern = format!("{name}=");
        let mut from = 0;
        while let Some(pos) = lower[from..].find(&pattern) {
            let at = from + pos;
            from = at + pattern.len();
            let before = lower[..at].chars().next_back();
            if !before.is_some_and(|c| c.is_whitespace()) {
                continue;
            }
            let rest = &html[from..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                out.push((name.to_string(), decode_entities(&rest[1..1 + end])));
            }
        }
    }
    out
}

fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}
