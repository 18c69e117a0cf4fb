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

mod postings;
mod tokens;

pub use postings::{DocText, DocTokens, Postings, shard_count};
pub use tokens::{shard_of, stem, tokens};

use crate::escape::script_json;
use crate::feeds::File;
use crate::site::Site;
use rayon::prelude::*;
use serde_json::{Value, json};

/// Documents per detail chunk.
pub const DOCS_PER_CHUNK: usize = 8;

/// Sizes for the build report and tests.
#[derive(Debug, Clone, Default)]
pub struct SearchStats {
    pub docs: usize,
    pub shards: usize,
    pub bytes: usize,
    /// The largest postings shard: the most one token can cost a query.
    pub largest_shard: usize,
}

/// The text one page is indexed from.
fn doc_text<'a>(site: &'a Site, key: &str) -> DocText<'a> {
    let page = &site.content.pages[key];
    DocText {
        title: &page.meta.title,
        terms: page
            .meta
            .taxonomies
            .values()
            .flatten()
            .map(String::as_str)
            .collect(),
        body: site.rendered.get(key).map_or("", |r| r.plain.as_str()),
    }
}

/// Search documents in index order: newest first, then by key.
pub fn doc_keys(site: &Site) -> Vec<&String> {
    let mut keys: Vec<&String> = site.content.pages.keys().collect();
    keys.sort_by(|a, b| {
        let (pa, pb) = (&site.content.pages[*a].meta, &site.content.pages[*b].meta);
        pb.date.cmp(&pa.date).then(a.cmp(b))
    });
    keys
}

/// A token in more than this many documents is "common".
pub fn common_df(docs: usize) -> usize {
    if docs >= 200 { docs / 4 } else { usize::MAX }
}

/// Builds the index files under `search/`.
pub fn index(site: &Site) -> (Vec<File>, SearchStats) {
    let keys = doc_keys(site);
    let n = keys.len();
    let shards = shard_count(n);
    let per_doc: Vec<DocTokens> = keys
        .par_iter()
        .map(|k| DocTokens::new(&doc_text(site, k), shards))
        .collect();
    let postings = Postings::build(&per_doc, shards);
    drop(per_doc);
    let common = common_df(n);
    let mut files: Vec<File> = (0..shards)
        .into_par_iter()
        .map(|i| {
            (
                format!("search/index-{i}.js"),
                postings.render_shard(i, common),
            )
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
