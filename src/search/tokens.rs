//! The tokenizer, shared by the index builder and mirrored by the theme's
//! `static/search.js`.

use crate::markdown::text::is_cjk;

/// Splits text into index tokens.
pub fn tokens(text: &str, emit: impl FnMut(&str)) {
    let lower = text.to_lowercase();
    spans(&lower, emit);
}

/// The tokens of already lower-cased text, as slices of it: CJK runs as
/// bigrams (a lone CJK character as itself), other letter-and-digit runs
/// of two or more characters as stemmed words.
pub fn spans<'a>(lower: &'a str, mut emit: impl FnMut(&'a str)) {
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
            let mut prev = i;
            let mut at = i + c.len_utf8();
            let mut pairs = 0;
            while at < bytes.len() {
                let d = char_at(lower, at);
                if !is_cjk(d) {
                    break;
                }
                emit(&lower[prev..at + d.len_utf8()]);
                pairs += 1;
                prev = at;
                at += d.len_utf8();
            }
            if pairs == 0 {
                emit(&lower[i..at]);
            }
            i = at;
        } else if c.is_alphanumeric() {
            i = word(lower, i, &mut emit);
        } else {
            i += c.len_utf8();
        }
    }
}

fn char_at(s: &str, i: usize) -> char {
    s[i..].chars().next().unwrap_or(' ')
}

/// Emits the word starting at `start`; returns where it ends.
fn word<'a>(lower: &'a str, start: usize, emit: &mut impl FnMut(&'a str)) -> usize {
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
            if !c.is_alphanumeric() || is_cjk(c) {
                break;
            }
            at += c.len_utf8();
        }
        count += 1;
    }
    if count >= 2 {
        emit(stem(&lower[start..at]));
    }
    at
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
    let mut h: u32 = 0x811c9dc5;
    let take = if is_cjk(first) { usize::MAX } else { 2 };
    for c in token.chars().take(take) {
        h ^= c as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h as usize % shards
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
    fn shards_group_by_first_letters() {
        assert_eq!(shard_of("reading", 64), shard_of("read", 64));
        assert_ne!(shard_of("村振", 64), shard_of("村民", 64));
        assert!(shard_of("x", 1) == 0);
    }
}
