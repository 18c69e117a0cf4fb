//! A small YAML reader that keeps the line and column of every value.
//!
//! herald reads front matter, `site.yaml` and data files with it. It is built
//! on `saphyr-parser` (a maintained, pure-Rust YAML 1.2 parser) and builds its
//! own tree so that every typed-field error can name a line, duplicate keys
//! are rejected, and aliases are expanded under a budget (an "alias bomb"
//! fails fast instead of eating memory). Front matter is mostly flat
//! `key: value` lines, which [`flat`] reads without the parser.

use crate::messages::Text;
use crate::msg;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use std::collections::HashMap;

mod flat;
pub mod toml;

/// Most nodes an alias expansion may create in one document.
const ALIAS_BUDGET: usize = 100_000;
/// Deepest nesting accepted.
const MAX_DEPTH: usize = 128;

/// A value with the position where it starts (1-based line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: usize,
    pub col: usize,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// One `key: value` pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub line: usize,
    pub col: usize,
    pub value: Node,
}

/// A YAML syntax problem at a position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: Text,
    pub hint: Option<Text>,
}

impl Value {
    /// What an editor would call this kind of value, for messages ("a
    /// list", "a number (3)").
    pub fn describe(&self) -> Text {
        match self {
            Value::Null => msg!("found-nothing"),
            Value::Bool(b) => msg!("found-bool", value = b),
            Value::Int(i) => msg!("found-number", value = i),
            Value::Float(f) => msg!("found-number", value = f),
            Value::Str(s) => {
                let short: String = s.chars().take(40).collect();
                msg!("found-text", value = short)
            }
            Value::Seq(_) => msg!("found-list"),
            Value::Map(_) => msg!("found-mapping"),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl Node {
    /// Converts to JSON, for template data (`extra`, data files).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.to_json()))
                    .collect(),
            ),
        }
    }

    fn size(&self) -> usize {
        match &self.value {
            Value::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Value::Map(entries) => 1 + entries.iter().map(|e| 1 + e.value.size()).sum::<usize>(),
            _ => 1,
        }
    }
}

enum Frame {
    Seq(Node, usize),
    Map(Node, usize, Option<(String, usize, usize)>),
}

/// Parses one YAML document. `line_offset` is added to every line (front
/// matter starts after the opening `---`). An empty document is `Null`.
pub fn parse(src: &str, line_offset: usize) -> Result<Node, YamlError> {
    match flat::parse(src, line_offset) {
        Some(node) => Ok(node),
        None => parse_events(src, line_offset),
    }
}

/// [`parse`] through saphyr's events: any YAML.
fn parse_events(src: &str, line_offset: usize) -> Result<Node, YamlError> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    let mut expanded = 0usize;
    let pos = |span: &Span| (span.start.line() + line_offset, span.start.col() + 1);

    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(e)) => {
                return Err(scan_error(
                    e.marker().line() + line_offset,
                    e.marker().col() + 1,
                    e.info(),
                ));
            }
        };
        let (line, col) = pos(&span);
        let (node, anchor) = match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => continue,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError {
                        line,
                        col,
                        message: msg!("yaml-two-documents"),
                        hint: Some(msg!("yaml-two-documents-hint")),
                    });
                }
                continue;
            }
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                return Err(too_deep(line, col));
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(
                    Node {
                        line,
                        col,
                        value: Value::Seq(Vec::new()),
                    },
                    anchor,
                ));
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(
                    Node {
                        line,
                        col,
                        value: Value::Map(Vec::new()),
                    },
                    anchor,
                    None,
                ));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(node, anchor)) => (node, anchor),
                _ => return Err(scan_error(line, col, "unbalanced sequence")),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(node, anchor, _)) => (node, anchor),
                _ => return Err(scan_error(line, col, "unbalanced mapping")),
            },
            Event::Scalar(text, style, anchor, tag) => {
                let forced_str = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == ScalarStyle::Plain && !forced_str {
                    resolve_plain(&text)
                } else {
                    Value::Str(text.into_owned())
                };
                (Node { line, col, value }, anchor)
            }
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(scan_error(line, col, "alias to an unknown anchor"));
                };
                expanded += target.size();
                if expanded > ALIAS_BUDGET {
                    return Err(YamlError {
                        line,
                        col,
                        message: msg!("yaml-aliases"),
                        hint: Some(msg!("yaml-aliases-hint", budget = ALIAS_BUDGET)),
                    });
                }
                let mut node = target.clone();
                node.line = line;
                node.col = col;
                (node, 0)
            }
        };
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::Seq(seq, _)) => {
                if let Value::Seq(items) = &mut seq.value {
                    items.push(node);
                }
            }
            Some(Frame::Map(map, _, pending)) => match pending.take() {
                None => {
                    let key = match node.value {
                        Value::Str(s) => s,
                        Value::Int(i) => i.to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Null => "null".into(),
                        _ => {
                            return Err(YamlError {
                                line,
                                col,
                                message: msg!("yaml-key-not-text"),
                                hint: Some(msg!("yaml-key-not-text-hint")),
                            });
                        }
                    };
                    *pending = Some((key, line, col));
                }
                Some((key, kline, kcol)) => {
                    if let Value::Map(entries) = &mut map.value {
                        if let Some(first) = entries.iter().find(|e| e.key == key) {
                            return Err(YamlError {
                                line: kline,
                                col: kcol,
                                message: msg!("yaml-duplicate-key", key, line = first.line),
                                hint: Some(msg!("yaml-duplicate-key-hint")),
                            });
                        }
                        entries.push(Entry {
                            key,
                            line: kline,
                            col: kcol,
                            value: node,
                        });
                    }
                }
            },
        }
    }
    Ok(root.unwrap_or(Node {
        line: 1 + line_offset,
        col: 1,
        value: Value::Null,
    }))
}

fn too_deep(line: usize, col: usize) -> YamlError {
    YamlError {
        line,
        col,
        message: msg!("yaml-too-deep", depth = MAX_DEPTH),
        hint: Some(msg!("yaml-too-deep-hint")),
    }
}

fn scan_error(line: usize, col: usize, info: &str) -> YamlError {
    let lower = info.to_lowercase();
    let hint = if lower.contains("tab") {
        msg!("yaml-tabs-hint")
    } else if lower.contains("mapping values are not allowed") {
        msg!("yaml-colon-hint")
    } else if lower.contains("did not find expected key") || lower.contains("indent") {
        msg!("yaml-indent-hint")
    } else if lower.contains("quote") || lower.contains("end of stream") {
        msg!("yaml-quote-hint")
    } else {
        msg!("yaml-syntax-hint")
    };
    YamlError {
        line,
        col,
        message: msg!("invalid-yaml", why = info),
        hint: Some(hint),
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema. Dates stay text.
pub(crate) fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(i) = s.parse::<i64>()
    {
        return Value::Int(i);
    }
    if let Some(hex) = s.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Value::Int(i);
    }
    if let Some(oct) = s.strip_prefix("0o")
        && let Ok(i) = i64::from_str_radix(oct, 8)
    {
        return Value::Int(i);
    }
    let looks_float = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if looks_float && let Ok(f) = s.parse::<f64>() {
        return Value::Float(f);
    }
    Value::Str(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_positions() {
        let n = parse("title: 你好\ntags: [a, b]\ncount: 3\n", 1).unwrap();
        let Value::Map(entries) = n.value else {
            panic!()
        };
        assert_eq!(entries[0].key, "title");
        assert_eq!(entries[0].line, 2);
        assert_eq!(entries[1].line, 3);
        assert_eq!(entries[2].value.value, Value::Int(3));
        assert_eq!(entries[0].value.value, Value::Str("你好".into()));
    }

    #[test]
    fn dates_and_quoted_numbers_stay_text() {
        let n = parse("d: 2024-05-01\nq: '12'\n", 0).unwrap();
        let Value::Map(e) = n.value else { panic!() };
        assert_eq!(e[0].value.value, Value::Str("2024-05-01".into()));
        assert_eq!(e[1].value.value, Value::Str("12".into()));
    }

    #[test]
    fn rejects_duplicate_keys() {
        let err = parse("a: 1\nb: 2\na: 3\n", 0).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.to_string().contains("duplicate key `a`"));
    }

    #[test]
    fn rejects_alias_bombs_fast() {
        let mut src = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for name in 'b'..='j' {
            src.push_str(&format!(
                "{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
            prev = name;
        }
        let err = parse(&src, 0).unwrap_err();
        assert!(err.message.to_string().contains("aliases"));
    }

    #[test]
    fn reports_tabs_with_hint() {
        let err = parse("a:\n\tb: 1\n", 0).unwrap_err();
        assert_eq!(err.line, 2);
        assert!(
            err.hint.unwrap().to_string().contains("tabs")
                || err.message.to_string().contains("tab")
        );
    }

    #[test]
    fn rejects_deep_nesting() {
        for (open, close) in [("[", "]"), ("{a: ", "}")] {
            let deep = format!("x: {}1{}\n", open.repeat(200), close.repeat(200));
            let err = parse(&deep, 0).unwrap_err();
            assert!(
                err.message.to_string().contains("nested more than"),
                "{}",
                err.message
            );
            let fine = format!("x: {}1{}\n", open.repeat(100), close.repeat(100));
            assert!(parse(&fine, 0).is_ok());
        }
    }

    #[test]
    fn empty_is_null() {
        assert_eq!(parse("", 0).unwrap().value, Value::Null);
    }
}
