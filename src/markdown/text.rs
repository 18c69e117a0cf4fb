//! Counting and cutting text that mixes CJK and Latin scripts.
//!
//! A CJK character carries about as much as a short word, so reading time
//! counts CJK per character and Latin per word, and summaries cut after a
//! number of "words" where two CJK characters weigh about one word... more
//! precisely 1.5 CJK characters per word, from typical reading speeds
//! (≈ 300 CJK characters and ≈ 200 English words a minute).

use super::Events;
use pulldown_cmark::{Event, Tag, TagEnd};

/// CJK characters read per minute.
const CJK_PER_MINUTE: usize = 300;
/// Latin-script words read per minute.
const WORDS_PER_MINUTE: usize = 200;

#[inline(always)]
pub fn is_cjk(c: char) -> bool {
    let c = c as u32;
    // The unified ideographs first: nearly every CJK character is one.
    (0x4E00..=0x9FFF).contains(&c)
        || matches!(c,
            0x3040..=0x30FF      // kana
            | 0x3400..=0x4DBF    // CJK ext A
            | 0xAC00..=0xD7AF    // Hangul
            | 0xF900..=0xFAFF    // compatibility ideographs
            | 0x20000..=0x2FA1F) // ext B…
}

/// Punctuation common in mixed Chinese and English text (general and CJK
/// punctuation, fullwidth forms): neither letter nor digit, and caseless,
/// so counting and the search tokenizer pass it without a Unicode table lookup.
#[inline]
pub fn is_common_punct(c: char) -> bool {
    matches!(c as u32,
        0x2000..=0x206F
        | 0x3000..=0x3004
        | 0x3008..=0x3020
        | 0x3030
        | 0x3036..=0x3037
        | 0x303D..=0x303F
        | 0xFF00..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65)
}

/// CJK punctuation that ends a sentence or clause.
fn is_cjk_stop(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '…')
}

/// The character starting at byte `i` (a character boundary) of `s`.
///
/// This and the two predicates above are inlined (`char_at` and `is_cjk`
/// always): the search tokenizer calls them for every character from
/// another module, and whether they were inlined used to depend on how the
/// release build split the crate into codegen units (≈ 2% more
/// instructions when it split them off).
#[inline(always)]
pub fn char_at(s: &str, i: usize) -> char {
    let b = s.as_bytes();
    if (0xE0..=0xEF).contains(&b[i]) && i + 2 < b.len() {
        // Three bytes (U+0800–U+FFFF, home of the common CJK characters):
        // decoded directly, as `s` is valid UTF-8.
        let c = u32::from(b[i] & 0x0F) << 12
            | u32::from(b[i + 1] & 0x3F) << 6
            | u32::from(b[i + 2] & 0x3F);
        return char::from_u32(c).unwrap_or(' ');
    }
    s[i..].chars().next().unwrap_or(' ')
}

/// Counts (CJK characters, Latin words).
pub fn count(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut cjk = 0;
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                words += usize::from(!in_word);
                in_word = true;
            } else if !(in_word && (b == b'\'' || b == b'-')) {
                in_word = false;
            }
            i += 1;
            continue;
        }
        if (0xE5..=0xE9).contains(&b) {
            // U+5000–U+9FFF: CJK ideographs, no need to decode.
            cjk += 1;
            in_word = false;
            i += 3;
            continue;
        }
        let c = char_at(text, i);
        i += c.len_utf8();
        if is_cjk(c) {
            cjk += 1;
            in_word = false;
        } else if !is_common_punct(c) && c.is_alphanumeric() {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else if !(in_word && (c == '’' || c == '-')) {
            in_word = false;
        }
    }
    (cjk, words)
}

/// Minutes to read, at least 1.
pub fn reading_minutes(cjk: usize, words: usize) -> usize {
    let minutes = cjk as f64 / CJK_PER_MINUTE as f64 + words as f64 / WORDS_PER_MINUTE as f64;
    (minutes.ceil() as usize).max(1)
}

/// Cuts `text` after about `limit` words (1.5 CJK characters per word),
/// preferring the end of a sentence, never inside a Latin word. Returns the
/// text unchanged when it is short enough.
pub fn cut(text: &str, limit: usize) -> String {
    let text = text.trim();
    let budget = limit as f64;
    let mut used = 0.0;
    let mut in_word = false;
    let mut last_sentence_end = None;
    let mut last_word_end = 0;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if is_cjk(c) {
            used += 1.0 / 1.5;
            in_word = false;
            last_word_end = end;
        } else if c.is_alphanumeric() {
            if !in_word {
                used += 1.0;
            }
            in_word = true;
        } else {
            if in_word {
                last_word_end = i;
            }
            in_word = false;
            if is_cjk_stop(c)
                || (matches!(c, '.' | '!' | '?') && text[end..].starts_with(char::is_whitespace))
            {
                last_sentence_end = Some(end);
            }
            if is_cjk_stop(c) || c == '，' || c == '、' {
                last_word_end = end;
            }
        }
        if used > budget {
            let cut_at = match last_sentence_end {
                Some(s) if s * 2 >= i => return text[..s].to_string(),
                _ => last_word_end,
            };
            let head = text[..cut_at].trim_end_matches(|c: char| {
                c.is_whitespace() || c == '，' || c == ',' || c == '、'
            });
            return format!("{head}…");
        }
    }
    text.to_string()
}

/// A line break inside a paragraph becomes a space in HTML, which is right
/// between English words and wrong between Chinese characters: drop soft
/// breaks whose neighbours are both CJK (characters or punctuation).
pub(super) fn join_cjk_lines(events: &mut Events<'_>) {
    let wide = |c: char| {
        is_cjk(c)
            || ('\u{3000}'..='\u{303F}').contains(&c)
            || ('\u{FF00}'..='\u{FFEF}').contains(&c)
            || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—')
    };
    for i in 1..events.len().saturating_sub(1) {
        if !matches!(events[i].0, Event::SoftBreak) {
            continue;
        }
        let before = match &events[i - 1].0 {
            Event::Text(t) => t.chars().next_back(),
            _ => None,
        };
        let after = match &events[i + 1].0 {
            Event::Text(t) => t.chars().next(),
            _ => None,
        };
        if before.is_some_and(wide) && after.is_some_and(wide) {
            events[i].0 = Event::Text("".into());
        }
    }
}

/// The source of automatic summaries, one line: the text of paragraphs
/// (no headings, code or footnotes); for a page without any (a list, a
/// table, code with captions in headings), the text of every block but
/// code and headings.
pub(super) fn summary_text<'e, 'a: 'e>(
    events: &'e [(Event<'a>, std::ops::Range<usize>)],
) -> String {
    let found = prose(events.iter().map(|(e, _)| e), true);
    if found.is_empty() {
        prose(events.iter().map(|(e, _)| e), false)
    } else {
        found
    }
}

/// The text of paragraphs (`paragraphs`), or of every block but code and
/// headings, joined as one line: a space between paragraphs, none after
/// CJK (a Chinese paragraph ends in its own stop).
fn prose<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>, paragraphs: bool) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut skip = 0usize;
    let separate = |out: &mut String| {
        if !out.is_empty() && !out.ends_with(|c: char| c == ' ' || is_cjk(c) || is_cjk_stop(c)) {
            out.push(' ');
        }
    };
    for e in events {
        match e {
            Event::Start(Tag::FootnoteDefinition(_) | Tag::CodeBlock(_) | Tag::Heading { .. }) => {
                skip += 1
            }
            Event::End(TagEnd::FootnoteDefinition | TagEnd::CodeBlock | TagEnd::Heading(_)) => {
                skip = skip.saturating_sub(1)
            }
            Event::Start(Tag::Paragraph) => depth += 1,
            Event::End(TagEnd::Paragraph) => {
                depth = depth.saturating_sub(1);
                separate(&mut out);
            }
            // Items and cells rarely end in a stop: a space even after CJK.
            Event::End(TagEnd::Item | TagEnd::TableCell)
                if !paragraphs
                    && !out.is_empty()
                    && !out.ends_with([' ', '。', '！', '？', '；']) =>
            {
                out.push(' ')
            }
            Event::Text(t) | Event::Code(t) if (depth > 0 || !paragraphs) && skip == 0 => {
                out.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak
                if (depth > 0 || !paragraphs)
                    && skip == 0
                    && !out.ends_with(|c: char| is_cjk(c)) =>
            {
                out.push(' ');
            }
            _ => {}
        }
        if out.len() > 4096 {
            break;
        }
    }
    out.trim().to_string()
}

/// The words of a page without markup, blocks separated by newlines.
pub(super) fn plain_text<'e, 'a: 'e>(events: impl Iterator<Item = &'e Event<'a>>) -> String {
    let mut out = String::new();
    let mut skip = 0usize;
    for e in events {
        match e {
            Event::Start(Tag::FootnoteDefinition(_)) => skip += 1,
            Event::End(TagEnd::FootnoteDefinition) => skip = skip.saturating_sub(1),
            _ if skip > 0 => {}
            Event::Text(t) | Event::Code(t) => out.push_str(t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) if !out.ends_with('\n') => {
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_punctuation_is_caseless_and_no_word() {
        for c in (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| is_common_punct(*c))
        {
            assert!(!c.is_alphanumeric() && !is_cjk(c), "{c:?}");
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
    }

    #[test]
    fn counts_like_a_char_by_char_count() {
        // The count before its byte-level fast path, as the reference.
        fn reference(text: &str) -> (usize, usize) {
            let (mut cjk, mut words, mut in_word) = (0, 0, false);
            for c in text.chars() {
                if is_cjk(c) {
                    cjk += 1;
                    in_word = false;
                } else if c.is_alphanumeric() {
                    words += usize::from(!in_word);
                    in_word = true;
                } else if !(in_word && matches!(c, '\'' | '’' | '-')) {
                    in_word = false;
                }
            }
            (cjk, words)
        }
        let mut text = String::new();
        for (i, c) in ('\u{3000}'..='\u{AFFF}').step_by(5).enumerate() {
            text.push(c);
            text.push_str(["", " it's ", "-", "ab", "’s", "。"][i % 6]);
        }
        assert_eq!(count(&text), reference(&text));
        // Every character of two edges: the end of ext A and the hexagrams
        // before U+4E00, and the fullwidth forms.
        let mut edges = String::new();
        for c in ('\u{4D80}'..='\u{4E10}').chain('\u{FF00}'..='\u{FF70}') {
            // Alone, so each letter or digit is a word of its own.
            edges.push(c);
            edges.push(' ');
        }
        assert_eq!(count(&edges), reference(&edges));
        for s in [
            "don't-stop",
            "中文English混合",
            "ä’s ö",
            "䷀䷁ 龥ꀀ",
            "𠀀𠀁 x-y",
        ] {
            assert_eq!(count(s), reference(s), "{s}");
        }
    }

    #[test]
    fn counts_mixed_text() {
        assert_eq!(count("我们学习 Rust and it's fun"), (4, 4));
    }

    #[test]
    fn reading_time() {
        assert_eq!(reading_minutes(600, 0), 2);
        assert_eq!(reading_minutes(0, 50), 1);
        assert_eq!(reading_minutes(300, 200), 2);
    }

    #[test]
    fn cuts_at_sentence_or_word() {
        let zh = "第一句话说明背景。第二句话讲述经过，然后继续讲述更多的细节内容。";
        assert_eq!(cut(zh, 10), "第一句话说明背景。");
        let en = "One two three four five six seven eight";
        assert_eq!(cut(en, 3), "One two three…");
        assert_eq!(cut("short", 10), "short");
    }
}
