//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough
//! and task lists, plus small adapters over its event stream: internal
//! links, heading anchors and a table of contents, highlighted code, the
//! `<!-- more -->` summary marker, and CJK-aware text statistics.

mod block_memo;
mod blocks;
mod contrast;
pub mod headings;
pub mod highlight;
pub mod images;
mod line_memo;
pub mod links;
mod raw_html;
pub mod shortcodes;
pub mod text;
mod tree_sitter;

use crate::error::Diagnostic;
use crate::msg;
use highlight::Highlighter;
use links::{InternalLink, LinkResolver};
use pulldown_cmark::{Event, Options, Parser, html};
use std::ops::Range;

use blocks::{drop_repeated_title, task_boxes, wrap_tables};
pub use headings::TocEntry;
use highlight::highlight_code;
pub use raw_html::dangerous_url;
use raw_html::escape_raw_html;
use text::{join_cjk_lines, plain_text, summary_text};

/// Events with their byte ranges in the source.
pub type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

const MORE: &str = "<!-- more -->";

/// Maps byte offsets of a page body to file lines. The line starts are
/// found on first use: most pages never need them.
pub struct LineIndex<'a> {
    src: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
    first_line: usize,
}

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str, first_line: usize) -> Self {
        LineIndex {
            src,
            starts: std::cell::OnceCell::new(),
            first_line,
        }
    }

    /// The file line of byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        let starts = self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr::memchr_iter(b'\n', self.src.as_bytes()).map(|i| i + 1));
            starts
        });
        let idx = starts.partition_point(|s| *s <= offset);
        self.first_line + idx.saturating_sub(1)
    }
}

/// What a page's Markdown needs from the rest of the site.
pub struct MarkdownOptions<'a> {
    /// The file, for messages.
    pub file: &'a str,
    /// The file line where the Markdown starts.
    pub first_line: usize,
    pub resolver: &'a dyn LinkResolver,
    pub highlighter: &'a Highlighter,
    /// Summary length in words when there is no `<!-- more -->`.
    pub summary_words: usize,
    /// Renders shortcodes; `None` leaves shortcode syntax as text.
    pub shortcodes: Option<&'a dyn shortcodes::ShortcodeRenderer>,
    /// The page, for shortcodes.
    pub page: shortcodes::PageInfo,
    /// Pass raw HTML through (`false` shows it as text).
    pub raw_html: bool,
    /// How heading ids are made.
    pub anchors: crate::slug::AnchorStyle,
    /// Sizes images into responsive variants (none: left as written).
    pub images: Option<&'a dyn images::ImageSizer>,
    /// Collect every URL the page refers to (for `herald check`; a one-off
    /// build has no use for them).
    pub collect_refs: bool,
    /// The page's title: a first `# heading` that repeats it is left out
    /// (the page's template shows the title as its `h1`).
    pub title: Option<&'a str>,
    /// Names of the boxes a reader scrolls sideways, in the site's
    /// language.
    pub regions: RegionNames<'a>,
}

/// What a screen reader calls a code block and a table's scroll region
/// (each is focusable, so a keyboard reaches what scrolls): the theme's
/// UI strings `code_block` and `table`.
#[derive(Debug, Clone, Copy)]
pub struct RegionNames<'a> {
    pub code: &'a str,
    pub table: &'a str,
}

impl Default for RegionNames<'_> {
    fn default() -> Self {
        RegionNames {
            code: "Code",
            table: "Table",
        }
    }
}

/// How deep block shortcodes may nest.
const MAX_SHORTCODE_DEPTH: usize = 8;

/// A page's Markdown, rendered once: its HTML, its text without markup
/// and what it says of itself ([`Facts`]). Builds keep the three apart:
/// the site holds the facts, and the HTML and text only as long as the
/// build needs them.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// The text without markup (for search and counting).
    pub plain: String,
    pub facts: Facts,
}

/// What a page's Markdown says of the page besides its HTML and text.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The HTML before `<!-- more -->`, if the page has the marker.
    pub summary_html: Option<String>,
    /// A plain-text summary: the text before `<!-- more -->`, or a cut.
    pub summary: String,
    pub toc: Vec<TocEntry>,
    /// Every heading id, for `#anchor` checks.
    pub anchors: Vec<String>,
    pub links: Vec<InternalLink>,
    /// Every URL the page refers to, for `herald check` (when asked for).
    pub refs: Vec<links::Ref>,
    /// Whether the page has a code block (and so needs the code styles).
    pub has_code: bool,
    /// Whether the page may call a shortcode (its output then depends on
    /// shortcode templates and data files).
    pub shortcodes: bool,
    pub cjk_chars: usize,
    pub words: usize,
    pub reading_minutes: usize,
}

impl Facts {
    /// Frees the lists' spare room.
    fn shrink(&mut self) {
        self.toc.shrink_to_fit();
        self.anchors.shrink_to_fit();
        self.links.shrink_to_fit();
        self.refs.shrink_to_fit();
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders one page body.
pub fn render(src: &str, opts: &MarkdownOptions) -> (Rendered, Vec<Diagnostic>) {
    render_at_depth(src, opts, 0)
}

/// Renders the shortcodes found in `src`; returns the source with
/// placeholders and the HTML of each call.
fn run_shortcodes(
    src: &str,
    opts: &MarkdownOptions,
    depth: usize,
    out: &mut Facts,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Vec<String>)> {
    let renderer = opts.shortcodes?;
    // One SIMD scan for `{{` or `{%` (most pages have neither).
    let b = src.as_bytes();
    if !memchr::memchr_iter(b'{', b).any(|i| matches!(b.get(i + 1), Some(b'{' | b'%'))) {
        return None;
    }
    out.shortcodes = true;
    let (text, calls) = match shortcodes::extract(src, opts.first_line) {
        Ok(found) => found,
        Err(errors) => {
            for e in errors {
                diags.push(
                    Diagnostic::error(opts.file, e.message)
                        .at(e.line)
                        .hint(e.hint),
                );
            }
            return None;
        }
    };
    let mut html = Vec::with_capacity(calls.len());
    for call in &calls {
        if !renderer.exists(&call.name) {
            let names = renderer.names();
            let hint =
                match crate::error::did_you_mean(&call.name, names.iter().map(String::as_str)) {
                    Some(s) => msg!("shortcode-did-you-mean", near = s, all = names.join(", ")),
                    None => msg!(
                        "shortcode-define-it",
                        all = names.join(", "),
                        name = call.name
                    ),
                };
            diags.push(
                Diagnostic::error(opts.file, msg!("unknown-shortcode", name = call.name))
                    .at(call.line)
                    .hint(hint),
            );
            html.push(String::new());
            continue;
        }
        let body = match &call.body {
            Some(body) if depth < MAX_SHORTCODE_DEPTH => {
                let inner = MarkdownOptions {
                    first_line: call.body_line,
                    page: opts.page.clone(),
                    ..*opts
                };
                let (r, d) = render_at_depth(body, &inner, depth + 1);
                diags.extend(d);
                out.links.extend(r.facts.links);
                out.anchors.extend(r.facts.anchors);
                out.refs.extend(r.facts.refs);
                out.has_code |= r.facts.has_code;
                Some(r.html)
            }
            Some(_) => {
                diags.push(
                    Diagnostic::error(opts.file, msg!("shortcodes-too-deep"))
                        .at(call.line)
                        .hint(msg!(
                            "shortcodes-too-deep-hint",
                            depth = MAX_SHORTCODE_DEPTH
                        )),
                );
                None
            }
            None => None,
        };
        match renderer.render(call, body.as_deref(), &opts.page) {
            Ok(h) => html.push(h),
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        opts.file,
                        msg!("shortcode-failed", name = call.name, why => e),
                    )
                    .at(call.line)
                    .hint(msg!("shortcode-failed-hint", name = call.name)),
                );
                html.push(String::new());
            }
        }
    }
    Some((text, html))
}

fn render_at_depth(src: &str, opts: &MarkdownOptions, depth: usize) -> (Rendered, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut out = Facts::default();
    let substituted = run_shortcodes(src, opts, depth, &mut out, &mut diags);
    let src = substituted.as_ref().map_or(src, |(text, _)| text.as_str());
    let lines = LineIndex::new(src, opts.first_line);
    // Sized from the source (the parser gives no hint): growing the vector
    // by doubling copied every event about once more.
    let mut events: Events = Vec::with_capacity(src.len() / 16 + 8);
    events.extend(Parser::new_ext(src, options()).into_offset_iter());
    if !opts.raw_html {
        escape_raw_html(&mut events);
    }
    if let Some((_, html)) = &substituted {
        shortcodes::merge_text(&mut events);
        shortcodes::substitute(&mut events, html);
    }

    if let Some(sizer) = opts.images {
        images::responsive(&mut events, sizer, opts.file, &lines, &mut diags);
    }
    if let Some(title) = opts.title.filter(|_| depth == 0) {
        drop_repeated_title(&mut events, title);
    }
    let key = opts.page.key.as_str();
    let at = links::PageAt {
        key,
        bundle: key == "index.md" || key.ends_with("/index.md"),
    };
    links::resolve(
        &mut events,
        opts.resolver,
        opts.file,
        at,
        &lines,
        &mut out.links,
        &mut diags,
    );
    out.toc = headings::anchor(&mut events, opts.anchors, &mut out.anchors);
    other_ids(&events, &mut out.anchors);
    out.has_code |= highlight_code(&mut events, opts.highlighter, opts.regions.code);
    join_cjk_lines(&mut events);
    task_boxes(&mut events);
    wrap_tables(&mut events, opts.regions.table);
    if opts.collect_refs {
        links::collect_refs(&events, &lines, &mut out.refs);
    }

    let more = events
        .iter()
        .position(|(e, _)| matches!(e, Event::Html(h) if h.trim() == MORE));
    let mut plain = plain_text(events.iter().map(|(e, _)| e));
    if let Some(i) = more {
        let mut summary = String::new();
        html::push_html(&mut summary, events[..i].iter().map(|(e, _)| e.clone()));
        out.summary_html = Some(summary);
        out.summary = plain_text(events[..i].iter().map(|(e, _)| e))
            .trim()
            .to_string();
    } else {
        out.summary = text::cut(&summary_text(&events), opts.summary_words);
    }
    let mut body = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut body, events.into_iter().map(|(e, _)| e));
    let (cjk, words) = text::count(&plain);
    out.cjk_chars = cjk;
    out.words = words;
    out.reading_minutes = text::reading_minutes(cjk, words);
    // A page's text may be held until the site is indexed, and its facts
    // for the whole build: no slack.
    plain.shrink_to_fit();
    out.shrink();
    let rendered = Rendered {
        html: body,
        plain,
        facts: out,
    };
    (rendered, diags)
}

/// Ids a `#fragment` may also name besides headings: `id` attributes (and
/// `<a name>`) in raw HTML and shortcode output, and footnote labels.
fn other_ids(events: &Events<'_>, anchors: &mut Vec<String>) {
    for (event, _) in events {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => {
                for tag in crate::html::start_tags(h) {
                    anchors.extend(tag.anchor_names().map(str::to_string));
                }
            }
            Event::Start(pulldown_cmark::Tag::FootnoteDefinition(label)) => {
                anchors.push(label.to_string());
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Links;
    impl LinkResolver for Links {
        fn resolve(&self, key: &str) -> Result<String, crate::messages::Text> {
            match key {
                "news/a.md" => Ok("/portal/news/a/".into()),
                _ => Err("no such page".into()),
            }
        }
    }

    /// Options for tests: `content/x.md` from line 1, raw HTML passed,
    /// references collected, no shortcodes, images or title.
    pub(super) fn test_options(h: &Highlighter) -> MarkdownOptions<'_> {
        MarkdownOptions {
            file: "content/x.md",
            first_line: 1,
            resolver: &Links,
            highlighter: h,
            summary_words: 10,
            shortcodes: None,
            page: Default::default(),
            raw_html: true,
            collect_refs: true,
            title: None,
            anchors: Default::default(),
            images: None,
            regions: Default::default(),
        }
    }

    fn render_str(src: &str) -> (Rendered, Vec<Diagnostic>) {
        let h = Highlighter::new();
        let opts = MarkdownOptions {
            first_line: 5,
            ..test_options(&h)
        };
        render(src, &opts)
    }

    #[test]
    fn headings_get_unique_cjk_ids_and_toc() {
        let (r, _) = render_str("## 第一章 总则\n\ntext\n\n## 第一章 总则\n\n### Custom {#mine}\n");
        assert!(r.html.contains("<h2 id=\"第一章-总则\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"第一章-总则-1\">"));
        assert!(r.html.contains("<h3 id=\"mine\">"));
        assert_eq!(r.facts.toc.len(), 3);
        assert_eq!(r.facts.toc[2].level, 3);
    }

    #[test]
    fn duplicate_ids_stay_unique_when_a_heading_spells_a_suffix() {
        let (r, _) = render_str("## a\n\n## a-1\n\n## a\n\n## a\n\n## a-2\n");
        let ids: Vec<&str> = r.facts.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "a-2", "a-3", "a-2-1"]);
    }

    #[test]
    fn internal_links_resolve_or_report_line() {
        let (r, d) = render_str("See [a](@/news/a.md#top).\n\nAnd [b](@/news/missing.md).\n");
        assert!(r.html.contains("href=\"/portal/news/a/#top\""));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(7));
        assert_eq!(r.facts.links[0].anchor.as_deref(), Some("top"));
    }

    #[test]
    fn more_marker_splits_summary() {
        let (r, _) = render_str("Intro **bold**.\n\n<!-- more -->\n\nRest.\n");
        assert_eq!(
            r.facts.summary_html.as_deref(),
            Some("<p>Intro <strong>bold</strong>.</p>\n")
        );
        assert_eq!(r.facts.summary, "Intro bold.");
        assert!(r.html.contains("Rest."));
    }

    #[test]
    fn extensions_are_on() {
        let (r, _) = render_str("|a|b|\n|-|-|\n|1|2|\n\n~~x~~ [^1]\n\n- [x] done\n\n[^1]: note\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn code_is_highlighted_and_counted_out() {
        let (r, _) = render_str("```rust\nlet x = 1;\n```\n\n学习三个字\n");
        assert!(r.html.contains("<span class=\"l"), "{}", r.html);
        assert_eq!(r.facts.cjk_chars, 5);
        assert_eq!(r.facts.words, 0);
    }

    #[test]
    fn chinese_lines_join_without_spaces() {
        let (r, _) = render_str("第一行，\n第二行。\nEnglish\nwords\n");
        assert!(
            r.html.contains("第一行，第二行。\nEnglish\nwords"),
            "{}",
            r.html
        );
    }

    /// Renders with `raw_html: false`.
    fn render_untrusted(src: &str) -> Rendered {
        let h = Highlighter::new();
        let opts = MarkdownOptions {
            file: "x.md",
            raw_html: false,
            ..test_options(&h)
        };
        render(src, &opts).0
    }

    #[test]
    fn raw_html_can_be_shown_as_text() {
        let r = render_untrusted("a <b>bold</b>\n\n<script>x()</script>\n\n<!-- more -->\n");
        assert!(r.html.contains("a &lt;b&gt;bold&lt;/b&gt;"), "{}", r.html);
        let r2 = render_untrusted(
            "[a](javascript:alert(1)) [b](JaVaScRiPt:x) [c](vbscript:x) [d](data:text/html,x) \
             [e][ref] <javascript:alert(2)> [f]( java\tscript:x) ![g](data:image/svg+xml,x) \
             ![ok](data:image/png;base64,AA) [fine](https://example.org/)\n\n\
             [ref]: jAvAsCrIpT:alert(3)\n",
        );
        let targets: Vec<&str> = [" href=\"", " src=\""]
            .iter()
            .flat_map(|attr| r2.html.split(attr).skip(1))
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(targets.len() >= 9, "{}", r2.html);
        for t in targets {
            assert!(
                t == "#" || t.starts_with("https:") || t.starts_with("data:image/png"),
                "{t}"
            );
        }
        assert!(r2.html.contains("data:image/png;base64,AA"));
        assert!(r.html.contains("&lt;script&gt;") && !r.html.contains("<script>"));
        assert!(r.facts.summary_html.is_some());
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = ">".repeat(10_000) + " deep\n";
        let (r, _) = render_str(&src);
        assert!(r.html.contains("deep"));
    }
}
