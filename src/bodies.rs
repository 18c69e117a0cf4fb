//! Page bodies: each Markdown body rendered with the site's links and the
//! theme's shortcodes, and the anchors of `@/page.md#anchor` links checked
//! against the headings of their targets.

use crate::config::Config;
use crate::content;
use crate::error::Diagnostic;
use crate::link::ContentResolver;
use crate::markdown::{self, MarkdownOptions, highlight::Highlighter};
use crate::msg;
use crate::site::Html;
use crate::site::Site;
use crate::site::{Body, Facts};
use crate::templates::Templates;
use std::collections::BTreeMap;

/// What rendering one Markdown body needs.
pub struct MarkdownInputs<'a> {
    pub root: &'a std::path::Path,
    pub config: &'a Config,
    pub content: &'a content::Content,
    pub links: &'a BTreeMap<String, crate::site::PageLinks>,
    /// A translation's links to the default language's pages.
    pub fallback: &'a std::collections::HashMap<String, String>,
    pub templates: &'a Templates,
    pub highlighter: &'a Highlighter,
    /// Collect each page's references for `herald check`.
    pub collect_refs: bool,
    /// The names of code and table regions, from the theme's UI strings.
    regions: markdown::RegionNames<'a>,
}

impl<'a> MarkdownInputs<'a> {
    pub fn new(
        site: &'a Site,
        templates: &'a Templates,
        highlighter: &'a Highlighter,
        collect_refs: bool,
    ) -> Self {
        let word = |key: &str, default: &'static str| -> &'a str {
            templates
                .strings
                .get(key)
                .and_then(|v| v.as_str())
                .unwrap_or(default)
        };
        MarkdownInputs {
            root: &site.root,
            config: &site.config,
            content: &site.content,
            links: &site.links,
            fallback: &site.languages.fallback,
            templates,
            highlighter,
            collect_refs,
            regions: markdown::RegionNames {
                code: word("code_block", "Code"),
                table: word("table", "Table"),
            },
        }
    }

    /// Renders the body of `file` (page `key` at output `path`).
    pub fn render(
        &self,
        file: &str,
        body: &str,
        first_line: usize,
        key: &str,
        path: &str,
    ) -> (Body, Vec<Diagnostic>) {
        let resolver = ContentResolver {
            root: self.root,
            config: self.config,
            content: self.content,
            links: self.links,
            fallback: self.fallback,
        };
        let sizer = PageImages {
            root: self.root,
            bases: crate::resources::Bases {
                root: &self.config.root_path,
                here: &self.config.base_path,
            },
            spot: crate::resources::PageSpot {
                key,
                bundle: self
                    .content
                    .pages
                    .get(key)
                    .is_some_and(|p| p.bundle.is_some()),
                path,
            },
            images: &self.templates.images,
        };
        let (r, diags) = markdown::render(
            body,
            &MarkdownOptions {
                file,
                first_line,
                resolver: &resolver,
                highlighter: self.highlighter,
                summary_words: self.config.summary_words,
                shortcodes: Some(self.templates),
                page: markdown::shortcodes::PageInfo {
                    key: key.to_string(),
                    url: format!("{}{path}", self.config.base_path),
                },
                raw_html: self.config.raw_html,
                anchors: self.config.anchors,
                collect_refs: self.collect_refs,
                title: self.content.pages.get(key).map(|p| p.meta.title.as_str()),
                images: Some(&sizer),
                regions: self.regions,
            },
        );
        // Held once as a template value, shared by every output.
        let body = Body {
            html: Html::new(&r.html),
            plain: r.plain,
            facts: r.facts,
        };
        (body, diags)
    }
}

/// Sizes a page's Markdown images: the file beside the page or under
/// `static/`, resized into the site's image cache.
struct PageImages<'a> {
    root: &'a std::path::Path,
    bases: crate::resources::Bases<'a>,
    spot: crate::resources::PageSpot<'a>,
    images: &'a crate::images::Images,
}

impl markdown::images::ImageSizer for PageImages<'_> {
    fn size(&self, dest: &str) -> Result<Option<markdown::images::Sized>, String> {
        if dest.starts_with("@/") || dest.contains("://") || dest.starts_with("data:") {
            return Ok(None);
        }
        let path = crate::escape::percent_decode(dest.split(['?', '#']).next().unwrap_or(""));
        // A file that is not there is left to the link checks.
        let Ok(found) = crate::resources::locate(self.root, self.bases, self.spot, &path) else {
            return Ok(None);
        };
        let Some(disk) = &found.disk else {
            return Ok(None);
        };
        let sized = self.images.responsive(
            disk,
            &found.url,
            self.bases.here,
            &crate::images::DEFAULT_WIDTHS,
        )?;
        Ok(sized.map(|r| markdown::images::Sized {
            src: r.src,
            srcset: r.srcset,
            width: r.width,
            height: r.height,
        }))
    }
}

/// The links of `r` to an anchor the target page does not have, with the
/// anchor and the target.
pub fn broken_anchors<'a>(
    r: &'a Facts,
    rendered: &'a BTreeMap<String, Facts>,
) -> impl Iterator<Item = (&'a markdown::links::InternalLink, &'a String, &'a Facts)> {
    r.links.iter().filter_map(move |link| {
        let anchor = link.anchor.as_ref()?;
        let target = rendered.get(&link.target)?;
        (!target.anchors.contains(anchor)).then_some((link, anchor, target))
    })
}

/// `@/page.md#anchor` must name a heading of the target page.
pub fn check_anchors(
    content: &content::Content,
    rendered: &BTreeMap<String, Facts>,
    diags: &mut Vec<Diagnostic>,
) {
    for (key, r) in rendered {
        for (link, anchor, target) in broken_anchors(r, rendered) {
            let hint = if let Some(s) =
                crate::error::did_you_mean(anchor, target.anchors.iter().map(String::as_str))
            {
                msg!("anchor-did-you-mean", anchor = s)
            } else if !target.anchors.is_empty() {
                let ids: Vec<String> = target
                    .anchors
                    .iter()
                    .take(8)
                    .map(|a| format!("#{a}"))
                    .collect();
                msg!("anchors-are-these", ids = ids.join(", "))
            } else {
                msg!("anchors-are")
            };
            diags.push(
                Diagnostic::error(
                    &content.pages[key].file,
                    if link.target == *key {
                        msg!("broken-anchor-here", written = link.written, anchor)
                    } else {
                        msg!(
                            "broken-anchor",
                            written = link.written,
                            page = format!("@/{}", link.target),
                            anchor
                        )
                    },
                )
                .at(link.line)
                .hint(hint),
            );
        }
    }
}
