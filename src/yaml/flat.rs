//! A fast path for the YAML most front matter is: one `key: value` per
//! line, each value a plain scalar or a flow list of plain scalars
//! (`tags: [a, b]`). saphyr reads such a page's few lines at ≈ 1,800
//! instructions an event, 3% of a build's; this reads them in a fraction.
//!
//! Anything else — indentation, quotes, comments, block scalars, anchors,
//! tags, a duplicate key, a character that could change how YAML reads the
//! line — returns `None`, and the full parser reads the whole document, so
//! messages about it are the parser's. A differential test checks that
//! whatever this reads, the parser reads the same, positions included.

use super::{Entry, Node, Value, resolve_plain};

/// The document as a mapping, or `None` when it is not flat and simple.
pub(super) fn parse(src: &str, line_offset: usize) -> Option<Node> {
    let mut entries: Vec<Entry> = Vec::new();
    for (i, line) in src.split('\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let line_no = i + 1 + line_offset;
        let colon = memchr::memchr(b':', line.as_bytes())?;
        let (key, rest) = (&line[..colon], line[colon + 1..].strip_prefix(' ')?);
        if !is_key(key) || entries.iter().any(|e| e.key == key) {
            return None;
        }
        let value = rest.trim_start_matches(' ');
        // The key is ASCII: its bytes are its characters.
        let col = key.len() + 2 + (rest.len() - value.len()) + 1;
        let node = match value.strip_prefix('[') {
            Some(inner) => list(inner.strip_suffix(']')?, line_no, col)?,
            None if is_plain(value, false) => Node {
                line: line_no,
                col,
                value: resolve_plain(value),
            },
            None => return None,
        };
        entries.push(Entry {
            key: key.to_string(),
            line: line_no,
            col: 1,
            value: node,
        });
    }
    let line = entries.first()?.line;
    Some(Node {
        line,
        col: 1,
        value: Value::Map(entries),
    })
}

/// A flow list's items (`inner` is between the brackets; `col` is the
/// opening bracket's column).
fn list(inner: &str, line: usize, col: usize) -> Option<Node> {
    let mut items = Vec::new();
    if !inner.bytes().all(|b| b == b' ') {
        // Characters from the opening bracket to the current item.
        let mut offset = 1;
        for part in inner.split(',') {
            let item = part.trim_start_matches(' ');
            let lead = part.len() - item.len();
            let item = item.trim_end_matches(' ');
            if !is_plain(item, true) {
                return None;
            }
            items.push(Node {
                line,
                col: col + offset + lead,
                value: resolve_plain(item),
            });
            offset += part.chars().count() + 1;
        }
    }
    Some(Node {
        line,
        col,
        value: Value::Seq(items),
    })
}

/// A key that reads as itself: ASCII letters, digits, `_` and `-`,
/// starting with a letter or `_`, not a word YAML gives a meaning (`true`,
/// `null`…), and short (YAML limits keys on one line to 1,024 characters).
fn is_key(key: &str) -> bool {
    key.len() <= 64
        && key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && (key.len() > 5 || matches!(resolve_plain(key), Value::Str(_)))
}

/// A plain scalar that means the same to YAML whatever surrounds it: it
/// starts with no indicator (but `-3`), ends without space or `:`, holds no
/// `: ` or ` #`, no control or line-break character, and in a flow list
/// none of `,[]{}:#`. One pass over the bytes: substring searches cost
/// more than the short values they would search.
fn is_plain(v: &str, flow: bool) -> bool {
    let b = v.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    // `-`, `?` and `:` start a plain scalar when a character that could
    // continue it follows (`-3`); the other indicators never do.
    let second = b.get(1).copied().unwrap_or(b' ');
    let lone = b"-?:".contains(&first) && (second == b' ' || flow && b",[]{}".contains(&second));
    if lone || b",[]{}#&*!|>'\"%@` ".contains(&first) || matches!(b[b.len() - 1], b' ' | b':') {
        return false;
    }
    for (i, &c) in b.iter().enumerate() {
        let next = b.get(i + 1).copied().unwrap_or(0);
        let bad = match c {
            0..0x20 | 0x7F => true,
            b':' => next == b' ' || flow,
            b' ' => next == b'#',
            b',' | b'[' | b']' | b'{' | b'}' | b'#' => flow,
            // C1 controls (U+0080–U+009F), U+2028, U+2029 and U+FEFF.
            0xC2 => next < 0xA0,
            0xE2 => next == 0x80 && matches!(b.get(i + 2), Some(0xA8 | 0xA9)),
            0xEF => next == 0xBB && b.get(i + 2) == Some(&0xBF),
            _ => false,
        };
        if bad {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever the fast path reads, saphyr reads the same. Compared as
    /// debug text, where NaN equals NaN.
    fn same_as_parser(doc: &str) -> bool {
        let Some(fast) = parse(doc, 1) else {
            return false;
        };
        let full = super::super::parse_events(doc, 1);
        assert_eq!(
            format!("{:?}", Ok::<_, ()>(fast)),
            format!("{:?}", full.map_err(|_| ())),
            "{doc:?}"
        );
        true
    }

    #[test]
    fn reads_typical_front_matter() {
        let doc = "title: 第 0 篇：志愿者们每周六上\ndate: 2025-01-01T00:00:00+08:00\ntags: [旅游, 科普]\n";
        assert!(same_as_parser(doc));
        let n = parse(doc, 1).unwrap();
        let Value::Map(e) = &n.value else { panic!() };
        assert_eq!((e[2].line, e[2].value.col), (4, 7));
        let Value::Seq(tags) = &e[2].value.value else {
            panic!()
        };
        assert_eq!(tags[1].col, 12);
        for doc in [
            "draft: true\nweight: -3\nratio: 1.5\nnone: ~\nhex: 0x1F\n",
            "title: Hello, world\nurl: http://example.org/a?b=c&d\nlang: C#\n",
            "\n\ntags: []\nempty: [ ]\nspaced: [ a , b ]\n",
            "cover: cover.svg\ncover_alt: 手册封面\nformat: brochure\npublished: 2026\n",
        ] {
            assert!(same_as_parser(doc), "{doc:?}");
        }
    }

    #[test]
    fn leaves_the_rest_to_the_parser() {
        for doc in [
            "",
            "# a comment\ntitle: x\n",
            "title: 'quoted'\n",
            "title: \"quoted\"\n",
            "title: a #comment\n",
            "title: a: b\n",
            "title: |\n  block\n",
            "title: long\n  continued\n",
            "a: 1\na: 2\n",
            "tags: [a, [b]]\n",
            "tags: [a,]\n",
            "tags: [a, 'b']\n",
            "tags:\n  - a\n",
            "x: &a 1\ny: *a\n",
            "x: !!str 1\n",
            "True: 1\n",
            "名: x\n",
            "title: x \n",
            "title: a\tb\n",
            "title: x\r\n",
            "---\ntitle: x\n",
        ] {
            assert!(parse(doc, 1).is_none(), "{doc:?}");
        }
        // The parser refuses keys over 1,024 characters.
        let long = format!("{}: x\n", "k".repeat(2000));
        assert!(parse(&long, 1).is_none());
        assert!(super::super::parse_events(&long, 1).is_err());
    }

    #[test]
    fn agrees_with_the_parser_on_random_documents() {
        const KEYS: [&str; 8] = ["title", "tags", "date", "a", "b_c", "x-y", "True", "名"];
        const SEPS: [&str; 4] = [": ", ":  ", ":", ": "];
        const VALUES: [&str; 57] = [
            "abc",
            "Hello, world",
            "第 0 篇：志愿者",
            "2025-01-01T00:00:00+08:00",
            "12",
            "-3",
            "0x1F",
            "0o17",
            "1e3",
            "1.5",
            "+1",
            ".nan",
            ".inf",
            "~",
            "null",
            "yes",
            "a:b",
            "a: b",
            "C#",
            "a #b",
            "[a, b]",
            "[旅游, 科普]",
            "[a,b]",
            "[ a , b ]",
            "[]",
            "[a,]",
            "'q'",
            "\"q\"",
            "- x",
            "x ",
            "{a: 1}",
            "&a x",
            "*a",
            "!t x",
            "|",
            "a]",
            "[a",
            "[a, [b]]",
            "a\tb",
            "http://x.org/a?b=c&d",
            "[1, 2.5, ~, true]",
            "a,b",
            "[a:b]",
            "[#]",
            "?x",
            "x?",
            "a [b] {c}",
            "",
            "-3",
            "-x",
            ":x",
            "-",
            "- ",
            "-[a]",
            "[-a, -1]",
            "[:a]",
            "[?a]",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut read = 0;
        for _ in 0..40_000 {
            let mut doc = String::new();
            for _ in 0..1 + next(5) {
                match next(10) {
                    0 => doc.push('\n'),
                    1 => doc.push_str("  "),
                    _ => {}
                }
                doc.push_str(KEYS[next(KEYS.len())]);
                doc.push_str(SEPS[next(SEPS.len())]);
                if next(2) == 0 {
                    doc.push_str(VALUES[next(VALUES.len())]);
                } else {
                    // Or a few characters that mean something to YAML.
                    const CHARS: [char; 32] = [
                        'a',
                        '1',
                        ' ',
                        ':',
                        '#',
                        ',',
                        '[',
                        ']',
                        '{',
                        '}',
                        '-',
                        '?',
                        '\'',
                        '"',
                        '.',
                        '~',
                        '中',
                        '：',
                        '!',
                        '&',
                        '*',
                        '|',
                        '>',
                        '%',
                        '\t',
                        '\u{85}',
                        '\u{A0}',
                        '\u{2028}',
                        '\u{FEFF}',
                        '\u{7F}',
                        '\u{FFFE}',
                        '\u{10FFFF}',
                    ];
                    for _ in 0..1 + next(6) {
                        doc.push(CHARS[next(CHARS.len())]);
                    }
                }
                doc.push('\n');
            }
            read += usize::from(same_as_parser(&doc));
        }
        // Enough documents take the fast path for the comparison to mean something.
        assert!(read > 1_000, "{read}");
    }
}
