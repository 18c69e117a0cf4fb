//! Shortcodes: `{{ name(arg="…") }}` inline and
//! `{% name(arg="…") %}…Markdown…{% end %}` as blocks, each rendered by the
//! template `shortcodes/NAME.html`.
//!
//! A scanner finds top-level calls in the Markdown source — skipping fenced
//! code blocks and inline code spans, so shortcode syntax in code is left
//! alone — and puts a placeholder in their place; an adapter over the event
//! stream then swaps each placeholder for the rendered HTML. Block bodies are
//! rendered as Markdown by the same pipeline (so blocks nest).

use super::Events;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use serde_json::{Map, Value};

mod args;
mod scan;
mod substitute;
pub use scan::extract;

/// A call's length in the source, its name and its arguments.
pub type ParsedCall = (usize, String, Map<String, Value>);

/// Parses one call at the start of `s` (`{{ name(k=v) }}` with `open` `{{`
/// and `close` `}}`, or `{%` … `%}`): its length, name and arguments, or
/// the message and hint of what is wrong. `herald import` uses it to tell
/// calls herald reads from text it must not.
pub fn parse_call(
    s: &str,
    open: &str,
    close: &str,
) -> Result<ParsedCall, (crate::messages::Text, crate::messages::Text)> {
    args::parse_tag(s, open, close)
}
pub use substitute::{merge_text, substitute};

/// Renders shortcodes; implemented over the templates.
pub trait ShortcodeRenderer: Sync {
    fn exists(&self, name: &str) -> bool;
    /// Names of every available shortcode (for hints).
    fn names(&self) -> Vec<String>;
    /// `body` is the rendered HTML of a block's content.
    fn render(
        &self,
        call: &Call,
        body: Option<&str>,
        page: &PageInfo,
    ) -> Result<String, crate::messages::Text>;
}

/// What a shortcode knows about the page it is in.
#[derive(Debug, Clone, Default)]
pub struct PageInfo {
    /// Content-relative key (`news/a.md`).
    pub key: String,
    /// The page's URL path (`/portal/news/a/`).
    pub url: String,
}

/// One shortcode call found in the source.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Map<String, Value>,
    /// The raw Markdown between the tags of a block shortcode.
    pub body: Option<String>,
    /// File line of the call.
    pub line: usize,
    /// File line where the body starts.
    pub body_line: usize,
}

/// A scanning problem: line and message.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanError {
    pub line: usize,
    pub message: crate::messages::Text,
    pub hint: crate::messages::Text,
}

const INLINE_OPEN: char = '\u{E000}';
const INLINE_CLOSE: char = '\u{E001}';
const BLOCK_OPEN: char = '\u{E002}';
const BLOCK_CLOSE: char = '\u{E003}';

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_and_block_calls_with_lines() {
        let src = "intro {{ figure(src=\"a.jpg\", n=3, ok=true, list=[\"x\", 2]) }}\n\n{% callout(type=\"tip\") %}\n**body**\n{% end %}\nafter\n";
        let (out, calls) = extract(src, 10).unwrap();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "figure");
        assert_eq!(calls[0].args["n"], 3);
        assert_eq!(calls[0].args["list"][1], 2);
        assert_eq!(calls[0].line, 10);
        assert_eq!(calls[1].name, "callout");
        assert_eq!(calls[1].line, 12);
        assert_eq!(calls[1].body.as_deref(), Some("**body**\n"));
        assert_eq!(calls[1].body_line, 13);
        assert_eq!(
            out.matches('\n').count(),
            src.matches('\n').count(),
            "line count kept: {out:?}"
        );
    }

    #[test]
    fn code_is_left_alone() {
        let src = "`{{ not(a=1) }}` and\n\n```\n{{ nor(b=2) }}\n{% this %}\n```\n";
        let (out, calls) = extract(src, 1).unwrap();
        assert!(calls.is_empty());
        assert_eq!(out, src);
    }

    #[test]
    fn nested_blocks_stay_in_the_body() {
        let src = "{% a() %}\n{% b() %}\ninner\n{% end %}\n{% end %}\n";
        let (_, calls) = extract(src, 1).unwrap();
        assert_eq!(calls.len(), 1);
        assert!(calls[0].body.as_deref().unwrap().contains("{% b() %}"));
    }

    #[test]
    fn errors_name_lines() {
        let e = extract("ok\n{% callout() %}\nnever closed\n", 1).unwrap_err();
        assert_eq!(e[0].line, 2);
        assert!(e[0].message.to_string().contains("never closed"));
        let e = extract("x {{ figure(src=\"a.jpg) }}\n", 5).unwrap_err();
        assert_eq!(e[0].line, 5);
    }
}
