//! The client-side search index, built at build time.
//!
//! Tokenisation: Chinese (and other CJK) text is indexed as overlapping
//! character **bigrams** (`乡村振兴` → 乡村, 村振, 振兴); a query is split the
//! same way and every bigram must match, so a two-character word is found
//! inside a long sentence and a four-character phrase matches as a phrase in
//! practice. Bigrams need no dictionary (jieba's would add ~5 MB and still
//! miss local names) and cost nothing at query time. Latin-script words are
//! lower-cased and lightly stemmed (`-ing`, `-ed`, `-es`, `-s`); queries match
//! by prefix, so `deleg` finds `delegation`.
//!
//! Layout: postings are sharded by the token's first character (CJK) or first
//! two letters, so a query loads only the shards of its own tokens; document
//! details (title, URL, board, date, summary) are in small chunks loaded only
//! for the results shown. Files are JavaScript (`herald_search(…)` calls)
//! rather than JSON so they load from `file://` too, and each carries the
//! build's version in its URL. `static/search.js` in the theme mirrors the
//! tokenizer below; keep them in step.

use crate::escape::script_json;
use crate::feeds::File;
use crate::markdown::text::is_cjk;
use crate::site::Site;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Documents per detail chunk.
pub const DOCS_PER_CHUNK: usize = 64;
/// Title words count this many times.
const TITLE_WEIGHT: u32 = 5;
/// Characters of body text indexed per page.
const MAX_TEXT: usize = 20_000;

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

/// The shard a token lives in.
pub fn shard_of(token: &str, shards: usize) -> usize {
    let first = token.chars().next().unwrap_or(' ');
    let key: String = if is_cjk(first) {
        first.to_string()
    } else {
        token.chars().take(2).collect()
    };
    let mut h: u32 = 0x811c9dc5;
    for c in key.chars() {
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
}

/// Builds the index files under `search/`.
pub fn index(site: &Site) -> (Vec<File>, SearchStats) {
    let mut keys: Vec<&String> = site.content.pages.keys().collect();
    keys.sort_by(|a, b| {
        let (pa, pb) = (&site.content.pages[*a].meta, &site.content.pages[*b].meta);
        pb.date.cmp(&pa.date).then(a.cmp(b))
    });
    let n = keys.len();
    let shards = (n / 150).clamp(1, 128);
    let mut postings: Vec<BTreeMap<String, Vec<(u32, u32)>>> = vec![BTreeMap::new(); shards];
    let mut docs: Vec<Value> = Vec::with_capacity(n);
    for (id, key) in keys.iter().enumerate() {
        let page = &site.content.pages[*key];
        let rendered = site.rendered.get(*key);
        let mut tf: BTreeMap<String, u32> = BTreeMap::new();
        tokens(&page.meta.title, |t| {
            *tf.entry(t.to_string()).or_default() += TITLE_WEIGHT
        });
        for terms in page.meta.taxonomies.values() {
            for term in terms {
                tokens(term, |t| *tf.entry(t.to_string()).or_default() += 2);
            }
        }
        if let Some(r) = rendered {
            let text: String = r.plain.chars().take(MAX_TEXT).collect();
            tokens(&text, |t| *tf.entry(t.to_string()).or_default() += 1);
        }
        for (token, count) in tf {
            let s = shard_of(&token, shards);
            postings[s]
                .entry(token)
                .or_default()
                .push((id as u32, count.min(255)));
        }
        let board = page
            .board
            .as_ref()
            .and_then(|b| site.config.board(b))
            .map_or(String::new(), |b| b.title.clone());
        let summary = page
            .meta
            .summary
            .clone()
            .or_else(|| rendered.map(|r| r.summary.clone()))
            .unwrap_or_default();
        let summary: String = summary.chars().take(120).collect();
        let date = page
            .meta
            .date
            .map(|d| crate::templates::format_date(&d, site.config.language.starts_with("zh")))
            .unwrap_or_default();
        docs.push(json!([
            page.meta.title,
            site.url(site.page_path(key)),
            board,
            date,
            summary
        ]));
    }
    let mut files = Vec::new();
    for (i, shard) in postings.into_iter().enumerate() {
        let map: serde_json::Map<String, Value> = shard
            .into_iter()
            .map(|(t, list)| {
                (
                    t,
                    Value::from(
                        list.into_iter()
                            .flat_map(|(d, c)| [d, c])
                            .collect::<Vec<u32>>(),
                    ),
                )
            })
            .collect();
        let body = format!(
            "herald_search(\"i\",{i},{});\n",
            script_json(&Value::Object(map))
        );
        files.push((format!("search/index-{i}.js"), body.into_bytes()));
    }
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
        assert_eq!(shard_of("村振", 64), shard_of("村民", 64));
        assert_eq!(shard_of("reading", 64), shard_of("read", 64));
        assert!(shard_of("x", 1) == 0);
    }
}
