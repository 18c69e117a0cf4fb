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

/// Renders shortcodes; implemented over the templates.
pub trait ShortcodeRenderer: Sync {
    fn exists(&self, name: &str) -> bool;
    /// Names of every available shortcode (for hints).
    fn names(&self) -> Vec<String>;
    /// `body` is the rendered HTML of a block's content.
    fn render(&self, call: &Call, body: Option<&str>, page: &PageInfo) -> Result<String, String>;
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
    pub message: String,
    pub hint: String,
}

const INLINE_OPEN: char = '\u{E000}';
const INLINE_CLOSE: char = '\u{E001}';
const BLOCK_OPEN: char = '\u{E002}';
const BLOCK_CLOSE: char = '\u{E003}';

/// Scans `src`, returning it with placeholders and the calls in order.
pub fn extract(src: &str, first_line: usize) -> Result<(String, Vec<Call>), Vec<ScanError>> {
    let mut out = String::with_capacity(src.len());
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut line = first_line;
    let mut fence: Option<(u8, usize)> = None;
    let mut at_line_start = true;
    while i < bytes.len() {
        if at_line_start {
            at_line_start = false;
            let rest = &src[i..];
            let indent = rest.len() - rest.trim_start_matches(' ').len();
            let after = &rest[indent..];
            let c = after.as_bytes().first().copied().unwrap_or(0);
            let run = if indent <= 3 && (c == b'`' || c == b'~') {
                after.bytes().take_while(|b| *b == c).count()
            } else {
                0
            };
            let is_fence = run >= 3
                && match fence {
                    None => true,
                    Some((fc, flen)) => {
                        fc == c && run >= flen && after[run..].is_empty_or_newline()
                    }
                };
            if is_fence {
                fence = if fence.is_some() {
                    None
                } else {
                    Some((c, run))
                };
                // The fence line itself is copied as is.
                let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
                out.push_str(&src[i..end]);
                i = end;
                continue;
            }
        }
        let b = bytes[i];
        if b == b'\n' {
            out.push('\n');
            line += 1;
            i += 1;
            at_line_start = true;
            continue;
        }
        if fence.is_some() {
            let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
            out.push_str(&src[i..end]);
            i = end;
            continue;
        }
        if b == b'`' {
            let run = src[i..].bytes().take_while(|c| *c == b'`').count();
            let ticks = &src[i..i + run];
            let search_from = i + run;
            // An inline code span ends at the same number of backticks.
            let mut j = search_from;
            let mut close = None;
            while let Some(pos) = src[j..].find(ticks) {
                let start = j + pos;
                let len = src[start..].bytes().take_while(|c| *c == b'`').count();
                if len == run {
                    close = Some(start + run);
                    break;
                }
                j = start + len;
            }
            let end = close.unwrap_or(search_from);
            line += src[i..end].matches('\n').count();
            out.push_str(&src[i..end]);
            i = end;
            continue;
        }
        if src[i..].starts_with("{{") {
            match parse_tag(&src[i..], "{{", "}}") {
                Ok((len, name, args)) => {
                    push_placeholder(&mut out, INLINE_OPEN, calls.len(), INLINE_CLOSE);
                    calls.push(Call {
                        name,
                        args,
                        body: None,
                        line,
                        body_line: line,
                    });
                    line += src[i..i + len].matches('\n').count();
                    i += len;
                }
                Err(e) => {
                    errors.push(scan_error(line, e));
                    out.push_str("{{");
                    i += 2;
                }
            }
            continue;
        }
        if src[i..].starts_with("{%") {
            match parse_tag(&src[i..], "{%", "%}") {
                Ok((len, name, _)) if name == "end" => {
                    errors.push(ScanError {
                        line,
                        message: "`{% end %}` without an opening block shortcode".into(),
                        hint: "remove it, or open the block with `{% name(…) %}` above".into(),
                    });
                    i += len;
                }
                Ok((len, name, args)) => {
                    let body_start = i + len;
                    match find_end(&src[body_start..]) {
                        Some((body_len, end_len)) => {
                            let body = &src[body_start..body_start + body_len];
                            let open_lines = src[i..body_start].matches('\n').count();
                            let total = &src[i..body_start + body_len + end_len];
                            let newlines = total.matches('\n').count();
                            if !out.is_empty() && !out.ends_with("\n\n") {
                                out.push_str("\n\n");
                            }
                            push_placeholder(&mut out, BLOCK_OPEN, calls.len(), BLOCK_CLOSE);
                            out.push_str("\n\n");
                            // A body that starts on the line after the tag starts there.
                            let (body, body_line) =
                                match body.trim_start_matches([' ', '\t']).strip_prefix('\n') {
                                    Some(rest) => (rest, line + open_lines + 1),
                                    None => (body, line + open_lines),
                                };
                            calls.push(Call {
                                name,
                                args,
                                body: Some(body.to_string()),
                                line,
                                body_line,
                            });
                            // Keep the line count: pad with the newlines the block had.
                            for _ in 2..newlines {
                                out.push('\n');
                            }
                            line += newlines;
                            i = body_start + body_len + end_len;
                        }
                        None => {
                            errors.push(ScanError {
                                line,
                                message: format!("the block shortcode `{name}` is never closed"),
                                hint: "add a line `{% end %}` after the block's content".into(),
                            });
                            i += len;
                        }
                    }
                }
                Err(e) => {
                    errors.push(scan_error(line, e));
                    out.push_str("{%");
                    i += 2;
                }
            }
            continue;
        }
        let ch_len = src[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&src[i..i + ch_len]);
        i += ch_len;
    }
    if errors.is_empty() {
        Ok((out, calls))
    } else {
        Err(errors)
    }
}

fn scan_error(line: usize, (message, hint): TagError) -> ScanError {
    ScanError {
        line,
        message,
        hint,
    }
}

fn push_placeholder(out: &mut String, open: char, n: usize, close: char) {
    out.push(open);
    out.push_str(&n.to_string());
    out.push(close);
}

trait EmptyOrNewline {
    fn is_empty_or_newline(&self) -> bool;
}
impl EmptyOrNewline for str {
    fn is_empty_or_newline(&self) -> bool {
        self.split('\n').next().unwrap_or("").trim().is_empty()
    }
}

/// Finds the `{% end %}` matching an opened block (nesting counted; code
/// fences and spans are not special here because bodies are rescanned).
/// Returns (body length, length of the end tag).
fn find_end(s: &str) -> Option<(usize, usize)> {
    let mut depth = 1;
    let mut i = 0;
    while let Some(pos) = s[i..].find("{%") {
        let at = i + pos;
        match parse_tag(&s[at..], "{%", "%}") {
            Ok((len, name, _)) => {
                if name == "end" {
                    depth -= 1;
                    if depth == 0 {
                        return Some((at, len));
                    }
                } else {
                    depth += 1;
                }
                i = at + len;
            }
            Err(_) => i = at + 2,
        }
    }
    None
}

type TagError = (String, String);

/// Parses `{{ name(args) }}` / `{% name(args) %}` / `{% end %}` at the start
/// of `s`. Returns (length, name, args).
fn parse_tag(
    s: &str,
    open: &str,
    close: &str,
) -> Result<(usize, String, Map<String, Value>), TagError> {
    let mut p = Parser { s, i: open.len() };
    p.ws();
    let name = p.ident().ok_or_else(|| {
        (
            format!("`{open}` does not start a shortcode"),
            format!("shortcodes look like {open} name(key=\"value\") {close}; to write `{open}` literally, put it in `code`"),
        )
    })?;
    p.ws();
    let mut args = Map::new();
    if name != "end" || p.peek() == Some('(') {
        if p.peek() != Some('(') {
            return Err((
                format!("shortcode `{name}` needs parentheses"),
                format!("write {open} {name}() {close}"),
            ));
        }
        p.i += 1;
        loop {
            p.ws();
            if p.peek() == Some(')') {
                p.i += 1;
                break;
            }
            let key = p.ident().ok_or_else(|| {
                (
                    format!("bad argument in shortcode `{name}`"),
                    "arguments look like key=\"value\", separated by commas".to_string(),
                )
            })?;
            p.ws();
            if p.peek() != Some('=') {
                return Err((
                    format!("argument `{key}` of shortcode `{name}` has no value"),
                    format!("write {key}=\"…\""),
                ));
            }
            p.i += 1;
            p.ws();
            let value = p.value().ok_or_else(|| {
                (
                    format!("the value of `{key}` in shortcode `{name}` is not understood"),
                    "values are \"text\", numbers, true/false or lists like [\"a\", \"b\"]; close every quote".to_string(),
                )
            })?;
            args.insert(key, value);
            p.ws();
            match p.peek() {
                Some(',') => p.i += 1,
                Some(')') => {}
                _ => {
                    return Err((
                        format!("expected `,` or `)` in shortcode `{name}`"),
                        "separate arguments with commas and close the parenthesis".into(),
                    ));
                }
            }
        }
    }
    p.ws();
    if !p.s[p.i..].starts_with(close) {
        return Err((
            format!("shortcode `{name}` is not closed with `{close}`"),
            format!("end the shortcode with {close} on the same line"),
        ));
    }
    Ok((p.i + close.len(), name, args))
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }
    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
                self.i += 1;
            } else {
                break;
            }
        }
    }
    fn ident(&mut self) -> Option<String> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                self.i += 1;
            } else {
                break;
            }
        }
        (self.i > start && !self.s[start..].starts_with(|c: char| c.is_ascii_digit()))
            .then(|| self.s[start..self.i].to_string())
    }
    fn value(&mut self) -> Option<Value> {
        match self.peek()? {
            q @ ('"' | '\'') => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    let c = self.peek()?;
                    self.i += c.len_utf8();
                    if c == q {
                        return Some(Value::from(out));
                    }
                    if c == '\\' {
                        let e = self.peek()?;
                        self.i += e.len_utf8();
                        out.push(match e {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    } else {
                        out.push(c);
                    }
                }
            }
            '[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.peek()? == ']' {
                        self.i += 1;
                        return Some(Value::from(items));
                    }
                    items.push(self.value()?);
                    self.ws();
                    match self.peek()? {
                        ',' => self.i += 1,
                        ']' => {}
                        _ => return None,
                    }
                }
            }
            _ => {
                let start = self.i;
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+' {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let word = &self.s[start..self.i];
                match word {
                    "true" => Some(Value::from(true)),
                    "false" => Some(Value::from(false)),
                    _ => word.parse::<i64>().map(Value::from).ok().or_else(|| {
                        word.parse::<f64>()
                            .ok()
                            .filter(|f| f.is_finite())
                            .map(Value::from)
                    }),
                }
            }
        }
    }
}

/// Replaces placeholders in the event stream by rendered HTML. `rendered`
/// holds the HTML of each call, by index.
pub fn substitute(events: &mut Events<'_>, rendered: &[String]) {
    let mut out: Events = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        // A paragraph holding only a block placeholder becomes the block.
        if let (
            Event::Start(Tag::Paragraph),
            Some((Event::Text(t), _)),
            Some((Event::End(TagEnd::Paragraph), _)),
        ) = (&events[i].0, events.get(i + 1), events.get(i + 2))
        {
            // An inline shortcode alone in its paragraph stands as a block too
            // (a figure or a table must not sit inside <p>).
            let alone = placeholder(t.trim(), BLOCK_OPEN, BLOCK_CLOSE)
                .or_else(|| placeholder(t.trim(), INLINE_OPEN, INLINE_CLOSE));
            if let Some(n) = alone
                && let Some(html) = rendered.get(n)
            {
                out.push((Event::Html(CowStr::from(html.clone())), events[i].1.clone()));
                i += 3;
                continue;
            }
        }
        let (event, range) = &events[i];
        match event {
            Event::Text(t) if t.contains([INLINE_OPEN, BLOCK_OPEN]) => {
                let mut rest: &str = t;
                while let Some(pos) = rest.find([INLINE_OPEN, BLOCK_OPEN]) {
                    if pos > 0 {
                        out.push((
                            Event::Text(CowStr::from(rest[..pos].to_string())),
                            range.clone(),
                        ));
                    }
                    let close = rest[pos..]
                        .find([INLINE_CLOSE, BLOCK_CLOSE])
                        .map(|c| pos + c);
                    let Some(close) = close else { break };
                    let n: usize = rest[pos + 3..close].parse().unwrap_or(usize::MAX);
                    if let Some(html) = rendered.get(n) {
                        out.push((Event::InlineHtml(CowStr::from(html.clone())), range.clone()));
                    }
                    rest = &rest[close + 3..];
                }
                if !rest.is_empty() {
                    out.push((Event::Text(CowStr::from(rest.to_string())), range.clone()));
                }
            }
            _ => out.push((event.clone(), range.clone())),
        }
        i += 1;
    }
    *events = out;
}

fn placeholder(s: &str, open: char, close: char) -> Option<usize> {
    s.strip_prefix(open)?.strip_suffix(close)?.parse().ok()
}

/// Merges adjacent text events, so a placeholder is never split.
pub fn merge_text(events: &mut Events<'_>) {
    let mut out: Events = Vec::with_capacity(events.len());
    for (e, r) in events.drain(..) {
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&e, out.last_mut()) {
            let joined = format!("{prev}{t}");
            *prev = CowStr::from(joined);
            prev_range.end = r.end;
            continue;
        }
        out.push((e, r));
    }
    *events = out;
}

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
        assert!(e[0].message.contains("never closed"));
        let e = extract("x {{ figure(src=\"a.jpg) }}\n", 5).unwrap_err();
        assert_eq!(e[0].line, 5);
    }
}
