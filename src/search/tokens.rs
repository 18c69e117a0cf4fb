//! The tokenizer, shared by the index builder and mirrored by the theme's
//! `static/search.js`.

use crate::markdown::text::{char_at, is_cjk, is_common_punct};

/// One index token: a CJK bigram or lone CJK character, or a (stemmed)
/// word as a slice of the lower-cased text. CJK tokens stay as characters
/// so counting them needs no string hashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// Two CJK characters in a row.
    Bigram(char, char),
    /// A CJK character with no CJK neighbour (and, in titles and terms,
    /// every CJK character).
    Single(char),
    Word(&'a str),
}

impl Token<'_> {
    /// The length of the token's text in bytes.
    pub fn len(self) -> usize {
        match self {
            Token::Bigram(a, b) => a.len_utf8() + b.len_utf8(),
            Token::Single(c) => c.len_utf8(),
            Token::Word(w) => w.len(),
        }
    }

    /// Appends the token's text.
    pub fn push_to(self, out: &mut Vec<u8>) {
        // Characters of three bytes (U+0800–U+FFFF, the common CJK ones)
        // are encoded directly and appended with a length the compiler
        // knows, as plain stores: a library copy call costs more than six
        // bytes do.
        let three = |c: char| {
            let c = c as u32;
            [
                0xE0 | (c >> 12) as u8,
                0x80 | (c >> 6 & 0x3F) as u8,
                0x80 | (c & 0x3F) as u8,
            ]
        };
        let is_three = |c: char| c.len_utf8() == 3;
        match self {
            Token::Bigram(a, b) if is_three(a) && is_three(b) => {
                let (a, b) = (three(a), three(b));
                out.extend_from_slice(&[a[0], a[1], a[2], b[0], b[1], b[2]]);
            }
            Token::Single(c) if is_three(c) => out.extend_from_slice(&three(c)),
            Token::Bigram(a, b) => {
                let mut buf = [0; 8];
                let n = a.encode_utf8(&mut buf).len();
                let n = n + b.encode_utf8(&mut buf[n..]).len();
                out.extend_from_slice(&buf[..n]);
            }
            Token::Single(c) => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Token::Word(w) => out.extend_from_slice(w.as_bytes()),
        }
    }

    /// The shard the token lives in (see [`shard_of`]).
    pub fn shard(self, shards: usize) -> usize {
        match self {
            Token::Bigram(a, b) => fnv([a, b].into_iter()) as usize % shards,
            Token::Single(c) => fnv(std::iter::once(c)) as usize % shards,
            Token::Word(w) => shard_of(w, shards),
        }
    }
}

/// Splits text into index tokens.
pub fn tokens(text: &str, mut emit: impl FnMut(&str)) {
    let lower = text.to_lowercase();
    let mut buf = Vec::new();
    spans(&lower, |t| {
        buf.clear();
        t.push_to(&mut buf);
        emit(std::str::from_utf8(&buf).unwrap_or(""));
    });
}

/// The tokens of already lower-cased text: CJK runs as bigrams (a lone CJK
/// character as itself), other letter-and-digit runs of two or more
/// characters as stemmed words. One pass; each character decoded once.
pub fn spans<'a>(lower: &'a str, mut emit: impl FnMut(Token<'a>)) {
    let bytes = lower.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_alphanumeric() {
                i = word(lower, i, &mut emit);
            } else {
                i += 1;
            }
            continue;
        }
        let c = char_at(lower, i);
        if is_cjk(c) {
            let mut prev = c;
            let mut at = i + c.len_utf8();
            let mut pairs = false;
            while at < bytes.len() && !bytes[at].is_ascii() {
                let d = char_at(lower, at);
                if !is_cjk(d) {
                    break;
                }
                emit(Token::Bigram(prev, d));
                pairs = true;
                prev = d;
                at += d.len_utf8();
            }
            if !pairs {
                emit(Token::Single(c));
            }
            i = at;
        } else if !is_common_punct(c) && c.is_alphanumeric() {
            i = word(lower, i, &mut emit);
        } else {
            i += c.len_utf8();
        }
    }
}

/// Emits the word starting at `start`; returns where it ends.
fn word<'a>(lower: &'a str, start: usize, emit: &mut impl FnMut(Token<'a>)) -> usize {
    let bytes = lower.as_bytes();
    let mut at = start;
    let mut count = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            if !b.is_ascii_alphanumeric() {
                break;
            }
            at += 1;
        } else {
            let c = char_at(lower, at);
            if is_cjk(c) || is_common_punct(c) || !c.is_alphanumeric() {
                break;
            }
            at += c.len_utf8();
        }
        count += 1;
    }
    if count >= 2 {
        emit(Token::Word(stem(&lower[start..at])));
    }
    at
}

/// Appends `s` lower-cased, as `str::to_lowercase` would (which the theme's
/// `toLowerCase` mirrors), copying runs without case (ASCII other than
/// capitals, and U+3000–U+9FFF: CJK punctuation, kana, ideographs) whole.
pub fn push_lower(out: &mut String, s: &str) {
    // A SIMD search: `str::contains` walks Chinese text one candidate byte
    // at a time.
    if memchr::memmem::find(s.as_bytes(), "Σ".as_bytes()).is_some() {
        // Final-sigma rules need the whole word: leave them to std.
        out.push_str(&s.to_lowercase());
        return;
    }
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if b.is_ascii_uppercase() {
                out.push_str(&s[run..i]);
                out.push(b.to_ascii_lowercase() as char);
                run = i + 1;
            }
            i += 1;
        } else if (0xE3..=0xE9).contains(&b) {
            // A three-byte character in U+3000–U+9FFF: no case there.
            i += 3;
        } else {
            let c = char_at(s, i);
            let n = c.len_utf8();
            if !is_cjk(c) && !is_common_punct(c) {
                out.push_str(&s[run..i]);
                out.extend(c.to_lowercase());
                run = i + n;
            }
            i += n;
        }
    }
    out.push_str(&s[run..]);
}

/// Strips one common English suffix.
pub fn stem(w: &str) -> &str {
    if !w.is_ascii() {
        return w;
    }
    let n = w.len();
    if n > 5 && w.ends_with("ing") {
        &w[..n - 3]
    } else if n > 4 && (w.ends_with("ed") || w.ends_with("es")) {
        &w[..n - 2]
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") {
        &w[..n - 1]
    } else {
        w
    }
}

/// The shard a token lives in: CJK tokens by the whole token, Latin words
/// by their first two letters (so a prefix finds its shard).
pub fn shard_of(token: &str, shards: usize) -> usize {
    let first = token.chars().next().unwrap_or(' ');
    let take = if is_cjk(first) { usize::MAX } else { 2 };
    fnv(token.chars().take(take)) as usize % shards
}

/// FNV-1a over code points (the theme's `search.js` does the same).
fn fnv(chars: impl Iterator<Item = char>) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for c in chars {
        h ^= c as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        tokens(text, |t| v.push(t.to_string()));
        v
    }

    #[test]
    fn cjk_bigrams_and_stemmed_words() {
        assert_eq!(all("乡村振兴"), ["乡村", "村振", "振兴"]);
        assert_eq!(all("茶"), ["茶"]);
        assert_eq!(all("Reading rooms, 夜读 A"), ["read", "room", "夜读"]);
        assert_eq!(
            all("Café-Öffnung 2024年度"),
            ["café", "öffnung", "2024", "年度"]
        );
        assert_eq!(all("x 读a书"), ["读", "书"]);
    }

    #[test]
    fn tokens_are_written_as_utf8() {
        // Three-byte characters (kana, ideographs, Hangul) take the direct
        // path; four-byte ones (extension B) the general one.
        let chars = ['あ', '乡', '\u{9FFF}', '한', '\u{F900}', '𠀀', '\u{2FA1F}'];
        for &a in &chars {
            let mut out = Vec::new();
            Token::Single(a).push_to(&mut out);
            assert_eq!(out, a.to_string().into_bytes());
            for &b in &chars {
                let mut out = vec![b'x'];
                Token::Bigram(a, b).push_to(&mut out);
                assert_eq!(out, format!("x{a}{b}").into_bytes());
            }
        }
    }

    #[test]
    fn lower_casing_matches_std() {
        for text in [
            "Hello 乡村 ÀÉÎ Straße İstanbul ΟΔΟΣ Σ ﬁ 123",
            "",
            "ÄÖÜ 夜读 Tea，ＡＢＣ（注）“引”…",
        ] {
            let mut out = String::new();
            push_lower(&mut out, text);
            assert_eq!(out, text.to_lowercase(), "{text}");
        }
    }

    #[test]
    fn shards_group_by_first_letters() {
        assert_eq!(shard_of("reading", 64), shard_of("read", 64));
        assert_ne!(shard_of("村振", 64), shard_of("村民", 64));
        assert!(shard_of("x", 1) == 0);
    }
}
