//! Internal links: `[text](@/news/first-post.md#anchor)` becomes the target
//! page's URL. A missing target is an error at the link's line; anchors are
//! collected and checked once every page has its headings.

use super::{Events, LineIndex};
use crate::error::Diagnostic;
use pulldown_cmark::{CowStr, Event, LinkType, Tag};

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
