//! The client-side search index, built at build time.
//!
//! Tokenisation: Chinese (and other CJK) text is indexed as overlapping
//! character **bigrams** (`乡村振兴` → 乡村, 村振, 振兴); a query is split the
//! same way and every bigram must match, so a two-character word is found
//! inside a long sentence and a four-character phrase matches as a phrase in
//! practice. Bigrams need no dictionary (jieba's would add megabytes and still
//! miss local names) and cost nothing at query time. Single CJK characters are
//! indexed from titles and tags only (a one-character query finds titles).
//! Latin-script words are lower-cased and lightly stemmed (`-ing`, `-ed`,
//! `-es`, `-s`); queries match by prefix, so `deleg` finds `delegation`.
//!
//! Size: postings are delta-encoded with a 3-bit weight; a token found in
//! more than a quarter of a large site's pages is stored as "common" (it then
//! does not narrow results). Postings are sharded — CJK by the whole token,
//! Latin words by their first two letters (for prefix search) — into about
//! 40 KB files, so a query downloads only the shards of its own tokens, plus
//! small chunks of document details for the results it shows. Files are
//! JavaScript (`herald_search(…)` calls) rather than JSON so they load from
//! `file://` too; URLs carry the build's version. `static/search.js` in the
//! theme mirrors the tokenizer and shard function below; keep them in step.

use crate::escape::script_json;
use crate::feeds::File;
use crate::markdown::text::is_cjk;
use crate::site::Site;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write;

/// Documents per detail chunk.
pub const DOCS_PER_CHUNK: usize = 8;
/// Title words count this many times.
const TITLE_WEIGHT: u32 = 5;
/// Characters of body text indexed per page.
const MAX_TEXT: usize = 10_000;
/// Target size of one postings shard, in bytes.
const SHARD_BYTES: usize = 40_000;

/// Splits text into index tokens.
pub fn tokens(text: &str, mut emit: impl FnMut(&str)) {
    let lower = text.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    let mut buf = String::new();
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            if i - start == 1 {
                buf.clear();
                buf.push(c);
                emit(&buf);
            } else {
                for w in chars[start..i].windows(2) {
                    buf.clear();
                    buf.push(w[0]);
                    buf.push(w[1]);
                    emit(&buf);
                }
            }
        } else if c.is_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_alphanumeric() && !is_cjk(chars[i]) {
                i += 1;
            }
            if i - start >= 2 {
                let word: String = chars[start..i].iter().collect();
                emit(stem(&word));
            }
        } else {
            i += 1;
        }
    }
}

/// Strips one common English suffix.
pub fn stem(w: &str) -> &str {
    let n = w.chars().count();
    if !w.is_ascii() {
        return w;
    }
    if n > 5 && w.ends_with("ing") {
        &w[..w.len() - 3]
    } else if n > 4 && (w.ends_with("ed") || w.ends_with("es")) {
        &w[..w.len() - 2]
    } else if n > 3 && w.ends_with('s') && !w.ends_with("ss") {
        &w[..w.len() - 1]
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

/// Sizes for the build report and tests.
#[derive(Debug, Clone, Default)]
pub struct SearchStats {
    pub docs: usize,
    pub shards: usize,
    pub bytes: usize,
    /// The largest postings shard: the most one token can cost a query.
    pub largest_shard: usize,
}

/// Term frequency to a 1–7 weight (log scale).
fn weight(tf: u32) -> u32 {
    (32 - tf.leading_zeros()).clamp(1, 7)
}

/// Adds `w` to a token's count without allocating for known tokens.
fn bump(tf: &mut HashMap<String, u32>, token: &str, w: u32) {
    match tf.get_mut(token) {
        Some(n) => *n += w,
        None => {
            tf.insert(token.to_string(), w);
        }
    }
}

/// The tokens of one page with their weights.
fn page_tokens(site: &Site, key: &str) -> Vec<(String, u32)> {
    let page = &site.content.pages[key];
    let mut tf: HashMap<String, u32> = HashMap::with_capacity(1024);
    let titled = |text: &str, w: u32, tf: &mut HashMap<String, u32>| {
        tokens(text, |t| bump(tf, t, w));
        let mut buf = [0u8; 4];
        for c in text.chars().filter(|c| is_cjk(*c)) {
            bump(tf, c.encode_utf8(&mut buf), w);
        }
    };
    titled(&page.meta.title, TITLE_WEIGHT, &mut tf);
    for terms in page.meta.taxonomies.values() {
        for term in terms {
            titled(term, 2, &mut tf);
        }
    }
    if let Some(r) = site.rendered.get(key) {
        let end = r
            .plain
            .char_indices()
            .nth(MAX_TEXT)
            .map_or(r.plain.len(), |(i, _)| i);
        tokens(&r.plain[..end], |t| bump(&mut tf, t, 1));
    }
    tf.into_iter().map(|(t, n)| (t, weight(n))).collect()
}

/// Builds the index files under `search/`.
pub fn index(site: &Site) -> (Vec<File>, SearchStats) {
    let mut keys: Vec<&String> = site.content.pages.keys().collect();
    keys.sort_by(|a, b| {
        let (pa, pb) = (&site.content.pages[*a].meta, &site.content.pages[*b].meta);
        pb.date.cmp(&pa.date).then(a.cmp(b))
    });
    let n = keys.len();
    let per_doc: Vec<Vec<(String, u32)>> = keys.par_iter().map(|k| page_tokens(site, k)).collect();
    let postings: usize = per_doc.iter().map(Vec::len).sum();
    let shards = (postings * 4 / SHARD_BYTES).clamp(1, 4096);
    let common_df = if n >= 200 { n / 4 } else { usize::MAX };

    let mut buckets: Vec<Vec<(&str, u32, u32)>> = vec![Vec::new(); shards];
    for (doc, toks) in per_doc.iter().enumerate() {
        for (t, w) in toks {
            buckets[shard_of(t, shards)].push((t.as_str(), doc as u32, *w));
        }
    }
    let mut files: Vec<File> = buckets
        .into_par_iter()
        .enumerate()
        .map(|(i, mut bucket)| {
            bucket.sort_unstable();
            // Written by hand: tokens are letters and digits only (no
            // quotes, backslashes or markup), and numbers need no escaping.
            let mut body = String::with_capacity(bucket.len() * 4 + 64);
            body.push_str(&format!("herald_search(\"i\",{i},{{"));
            let mut at = 0;
            let mut first = true;
            while at < bucket.len() {
                let token = bucket[at].0;
                let end = at + bucket[at..].partition_point(|e| e.0 == token);
                let list = &bucket[at..end];
                if !first {
                    body.push(',');
                }
                first = false;
                body.push('"');
                body.push_str(token);
                body.push_str("\":");
                if list.len() > common_df {
                    body.push('0');
                } else {
                    body.push('[');
                    let mut prev = 0;
                    for (j, (_, d, w)) in list.iter().enumerate() {
                        if j > 0 {
                            body.push(',');
                        }
                        let v = ((d - prev) << 3) | w;
                        prev = *d;
                        let _ = write!(body, "{v}");
                    }
                    body.push(']');
                }
                at = end;
            }
            body.push_str("});\n");
            (format!("search/index-{i}.js"), body.into_bytes())
        })
        .collect();
    let largest_shard = files.iter().map(|(_, b)| b.len()).max().unwrap_or(0);

    let zh = site.config.language.starts_with("zh");
    let docs: Vec<Value> = keys
        .iter()
        .map(|key| {
            let page = &site.content.pages[*key];
            let board = page
                .board
                .as_ref()
                .and_then(|b| site.config.board(b))
                .map_or("", |b| b.title.as_str());
            let summary = page
                .meta
                .summary
                .clone()
                .or_else(|| site.rendered.get(*key).map(|r| r.summary.clone()))
                .unwrap_or_default();
            let summary: String = summary.chars().take(90).collect();
            let date = page
                .meta
                .date
                .map(|d| crate::templates::format_date(&d, zh))
                .unwrap_or_default();
            json!([
                page.meta.title,
                site.url(site.page_path(key)),
                board,
                date,
                summary
            ])
        })
        .collect();
    for (i, chunk) in docs.chunks(DOCS_PER_CHUNK).enumerate() {
        let body = format!(
            "herald_search(\"d\",{i},{});\n",
            script_json(&Value::from(chunk.to_vec()))
        );
        files.push((format!("search/docs-{i}.js"), body.into_bytes()));
    }
    let bytes = files.iter().map(|(_, b)| b.len()).sum();
    (
        files,
        SearchStats {
            docs: n,
            shards,
            bytes,
            largest_shard,
        },
    )
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
    }

    #[test]
    fn shards_group_by_first_letters() {
        assert_eq!(shard_of("reading", 64), shard_of("read", 64));
        assert_ne!(shard_of("村振", 64), shard_of("村民", 64));
        assert!(shard_of("x", 1) == 0);
    }
}
