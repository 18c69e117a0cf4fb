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
//! Latin words by their first two letters (for prefix search) — one shard per
//! 24 pages (≈40 KB on a typical portal; the count depends on the number of
//! pages only, so the dev server can update shards in place), so a query
//! downloads only the shards of its own tokens, plus
//! small chunks of document details for the results it shows. Files are
//! JavaScript (`herald_search(…)` calls) rather than JSON so they load from
//! `file://` too; URLs carry the build's version. `static/search.js` in the
//! theme mirrors the tokenizer and shard function in `tokens.rs`; keep them
//! in step.

mod postings;
mod records;
mod shards;
mod tokens;

use postings::Postings;
use records::DocText;
pub use records::{DocTokens, shard_count};
pub use tokens::{shard_of, stem, tokens};

use crate::content::Page;
use crate::escape::script_json;
use crate::feeds::File;
use crate::site::Site;
use rayon::prelude::*;
use serde_json::json;

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

/// Each page's plain text, by key (a build kept in memory holds them).
pub type Plain = std::collections::BTreeMap<String, String>;

/// The text one page is indexed from.
fn doc_text<'a>(site: &'a Site, plain: &'a Plain, key: &str) -> DocText<'a> {
    let plain = plain.get(key).map_or("", String::as_str);
    page_text(&site.content.pages[key], plain)
}

fn page_text<'a>(page: &'a Page, plain: &'a str) -> DocText<'a> {
    DocText {
        title: &page.meta.title,
        terms: page
            .meta
            .taxonomies
            .values()
            .flatten()
            .map(String::as_str)
            .collect(),
        body: plain,
    }
}

/// What `page`, with the plain text of its body, contributes to the index
/// of a site of `pages` pages: a build can index a page as soon as its
/// Markdown is rendered, and drop the text.
pub fn page_tokens(page: &Page, plain: &str, pages: usize) -> DocTokens {
    DocTokens::new(&page_text(page, plain), shard_count(pages))
}

/// Search documents in index order: newest first, then by key.
fn doc_keys(site: &Site) -> Vec<&String> {
    // Dates copied out first: a comparison then looks nothing up.
    let mut dated: Vec<(Option<_>, &String)> = site
        .content
        .pages
        .iter()
        .map(|(k, p)| (p.meta.date, k))
        .collect();
    dated.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    dated.into_iter().map(|(_, k)| k).collect()
}

/// A token in more than this many documents is "common".
fn common_df(docs: usize) -> usize {
    if docs >= 200 { docs / 4 } else { usize::MAX }
}

/// One document's row in the detail chunks, as JSON for a script: title,
/// URL, board, date, summary (cut to 90 characters). Rows are kept as
/// text, so that a chunk is made again by joining them.
fn doc_row(site: &Site, key: &str) -> String {
    let zh = site.config.language.starts_with("zh");
    let page = &site.content.pages[key];
    let board = page
        .board
        .as_ref()
        .and_then(|b| site.config.board(b))
        .map_or("", |b| b.title.as_str());
    let summary = page
        .meta
        .summary
        .clone()
        .or_else(|| site.rendered.get(key).map(|r| r.summary.clone()))
        .unwrap_or_default();
    let summary: String = summary.chars().take(90).collect();
    let date = page
        .meta
        .date
        .map(|d| crate::format::format_date(&d, zh))
        .unwrap_or_default();
    script_json(&json!([
        page.meta.title,
        site.url(site.page_path(key)),
        board,
        date,
        summary
    ]))
}

/// `search/index-N.js` for every shard.
fn shard_files(postings: &Postings, shards: usize, common: usize) -> Vec<File> {
    (0..shards)
        .into_par_iter()
        .map(|i| {
            (
                format!("search/index-{i}.js"),
                postings.render_shard(i, common),
            )
        })
        .collect()
}

fn chunk_file(i: usize, rows: &[String]) -> File {
    // As `script_json` writes the array of the rows.
    let body = format!("herald_search(\"d\",{i},[{}]);\n", rows.join(","));
    (format!("search/docs-{i}.js"), body.into_bytes())
}

/// A page to index has no text kept (see [`SearchIndex::rebuild`]).
#[derive(Debug)]
pub struct MissingText;

/// The search index of a site: its files, and (for the dev server) what
/// is needed to update them when one page's text changes.
pub struct SearchIndex {
    /// `search/index-N.js` for every shard, then `search/docs-N.js`.
    pub files: Vec<File>,
    /// Each file's FNV-1a hash.
    hashes: Vec<u64>,
    pub stats: SearchStats,
    state: Option<State>,
}

/// Kept between dev-server rebuilds.
struct State {
    /// Page key → document number.
    position: std::collections::HashMap<String, usize>,
    rows: Vec<String>,
    postings: Postings,
}

impl SearchIndex {
    /// Builds the index files under `search/`; `keep` keeps what
    /// [`SearchIndex::update`] needs.
    pub fn build(site: &Site, plain: &Plain, keep: bool) -> SearchIndex {
        let keys = doc_keys(site);
        let n = keys.len();
        let shards = shard_count(n);
        // Documents' tokens are not kept: an update removes a document
        // from the postings by its number.
        let make = |i: usize| DocTokens::new(&doc_text(site, plain, keys[i]), shards);
        let postings = Postings::build_streaming(n, shards, make);
        let files = shard_files(&postings, shards, common_df(n));
        let state = keep.then_some(postings);
        Self::finish(site, keys, files, state)
    }

    /// Builds the index files from every page's tokens
    /// ([`page_tokens`]), consuming them.
    pub fn from_tokens(
        site: &Site,
        mut tokens: std::collections::HashMap<String, DocTokens>,
    ) -> SearchIndex {
        let keys = doc_keys(site);
        let shards = shard_count(keys.len());
        let docs: Vec<DocTokens> = keys
            .iter()
            .map(|k| tokens.remove(k.as_str()).unwrap_or_default())
            .collect();
        drop(tokens);
        let files = shards::render_all(&docs, shards, common_df(keys.len()))
            .into_iter()
            .enumerate()
            .map(|(i, bytes)| (format!("search/index-{i}.js"), bytes))
            .collect();
        drop(docs);
        Self::finish(site, keys, files, None)
    }

    /// Adds the detail chunks to the shard files.
    fn finish(
        site: &Site,
        keys: Vec<&String>,
        files: Vec<File>,
        kept: Option<Postings>,
    ) -> SearchIndex {
        let rows = vec![None; keys.len()];
        Self::finish_with(site, keys, files, kept, rows)
    }

    /// [`SearchIndex::finish`] with the detail rows already known (`None`:
    /// to make).
    fn finish_with(
        site: &Site,
        keys: Vec<&String>,
        mut files: Vec<File>,
        kept: Option<Postings>,
        known: Vec<Option<String>>,
    ) -> SearchIndex {
        let n = keys.len();
        let shards = files.len();
        let largest_shard = files.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
        let rows: Vec<String> = known
            .into_par_iter()
            .zip(keys.par_iter())
            .map(|(row, key)| row.unwrap_or_else(|| doc_row(site, key)))
            .collect();
        files.par_extend(
            rows.par_chunks(DOCS_PER_CHUNK)
                .enumerate()
                .map(|(i, chunk)| chunk_file(i, chunk)),
        );
        let bytes = files.iter().map(|(_, b)| b.len()).sum();
        let state = kept.map(|postings| State {
            position: keys
                .iter()
                .enumerate()
                .map(|(i, k)| ((*k).clone(), i))
                .collect(),
            rows,
            postings,
        });
        let hashes = files
            .par_iter()
            .map(|(_, b)| crate::hash::fnv64(b))
            .collect();
        SearchIndex {
            files,
            hashes,
            stats: SearchStats {
                docs: n,
                shards,
                bytes,
                largest_shard,
            },
            state,
        }
    }

    /// The build's version: a hash of every index file's hash (the dev
    /// server then hashes only the files that changed).
    pub fn version(&self) -> String {
        let all: Vec<u8> = self.hashes.iter().flat_map(|h| h.to_le_bytes()).collect();
        crate::hash::short_hash(&all)
    }

    /// Whether [`SearchIndex::rebuild`] can index `site` after `changed`
    /// from what is kept: the text of the changed pages, and the other
    /// pages' tokens (kept while the number of shards stays).
    pub fn can_rebuild(
        &self,
        site: &Site,
        plain: &Plain,
        changed: &std::collections::BTreeSet<String>,
    ) -> bool {
        self.state.is_some()
            && shard_count(site.content.pages.len()) == self.stats.shards
            && changed
                .iter()
                .all(|k| plain.contains_key(k) || !site.content.pages.contains_key(k))
    }

    /// Indexes the site again after pages came, went, changed order or
    /// changed their title, terms or date; the pages not in `changed` keep
    /// their tokens (unless the number of shards changed). `plain` needs
    /// the text of the pages to tokenize only (the dev server keeps no
    /// other). Returns the files that changed (`None`: all may have), or
    /// [`MissingText`] when a page to tokenize has no text, the index then
    /// being unchanged.
    pub fn rebuild(
        &mut self,
        site: &Site,
        plain: &Plain,
        changed: &std::collections::BTreeSet<String>,
    ) -> Result<Option<Vec<usize>>, MissingText> {
        let keys = doc_keys(site);
        let same_order = self.state.as_ref().is_some_and(|state| {
            state.position.len() == keys.len()
                && keys
                    .iter()
                    .enumerate()
                    .all(|(i, k)| state.position.get(k.as_str()) == Some(&i))
        });
        if same_order {
            // Only documents' contents changed: each is indexed again.
            if changed.iter().any(|k| !plain.contains_key(k)) {
                return Err(MissingText);
            }
            let mut files = std::collections::BTreeSet::new();
            for key in changed {
                files.extend(self.update(site, plain, key).unwrap_or_default());
            }
            return Ok(Some(files.into_iter().collect()));
        }
        let shards = shard_count(keys.len());
        let same = shards == self.stats.shards;
        let known = |k: &str| {
            self.state
                .as_ref()
                .is_some_and(|s| s.position.contains_key(k))
        };
        // Kept tokens serve when the shards are the same and the page did
        // not change; every other page needs its text.
        let reused = |k: &str| same && known(k) && !changed.contains(k);
        if keys
            .iter()
            .any(|k| !(plain.contains_key(k.as_str()) || reused(k)))
        {
            return Err(MissingText);
        }
        let state = match self.state.take() {
            Some(state) if same => state,
            _ => {
                *self = Self::build(site, plain, true);
                return Ok(None);
            }
        };
        let State {
            position,
            rows: old_rows,
            mut postings,
        } = state;
        let mut old_rows: Vec<Option<String>> = old_rows.into_iter().map(Some).collect();
        // Old number → new for the documents that keep their tokens; they
        // keep their order too (both orders are by date, then key).
        let mut map = vec![u32::MAX; old_rows.len()];
        let mut rows = Vec::with_capacity(keys.len());
        let mut added = Vec::new();
        for (n, k) in keys.iter().enumerate() {
            match position
                .get(k.as_str())
                .filter(|_| !changed.contains(k.as_str()))
            {
                Some(&i) => {
                    map[i] = n as u32;
                    rows.push(old_rows[i].take());
                }
                None => {
                    added.push(n);
                    rows.push(None);
                }
            }
        }
        drop((old_rows, position));
        let fresh: Vec<DocTokens> = added
            .par_iter()
            .map(|&n| DocTokens::new(&doc_text(site, plain, keys[n]), shards))
            .collect();
        postings.renumber(&map);
        for (&n, doc) in added.iter().zip(&fresh) {
            postings.add(n as u32, doc);
        }
        let files = shard_files(&postings, shards, common_df(keys.len()));
        *self = Self::finish_with(site, keys, files, Some(postings), rows);
        Ok(None)
    }

    /// Re-indexes one page whose text, title or terms changed (its date
    /// did not: documents are in date order). Returns the indexes into `files` that changed, or `None`
    /// when the page is unknown or nothing was kept.
    pub fn update(&mut self, site: &Site, plain: &Plain, key: &str) -> Option<Vec<usize>> {
        let state = self.state.as_mut()?;
        let d = *state.position.get(key)?;
        let shards = self.stats.shards;
        let fresh = DocTokens::new(&doc_text(site, plain, key), shards);
        let mut touched = state.postings.remove_doc(d as u32);
        touched.extend(state.postings.add(d as u32, &fresh));
        let common = common_df(self.stats.docs);
        let mut changed = Vec::new();
        for s in touched {
            let bytes = state.postings.render_shard(s, common);
            if self.files[s].1 != bytes {
                self.files[s].1 = bytes;
                changed.push(s);
            }
        }
        let row = doc_row(site, key);
        if state.rows[d] != row {
            state.rows[d] = row;
            let c = d / DOCS_PER_CHUNK;
            let end = ((c + 1) * DOCS_PER_CHUNK).min(state.rows.len());
            self.files[shards + c] = chunk_file(c, &state.rows[c * DOCS_PER_CHUNK..end]);
            changed.push(shards + c);
        }
        for &i in &changed {
            self.hashes[i] = crate::hash::fnv64(&self.files[i].1);
        }
        self.stats.bytes = self.files.iter().map(|(_, b)| b.len()).sum();
        self.stats.largest_shard = self.files[..shards]
            .iter()
            .map(|(_, b)| b.len())
            .max()
            .unwrap_or(0);
        Some(changed)
    }
}
