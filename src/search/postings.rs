//! Postings: which documents contain which token, split into shards.
//!
//! Built in three steps that keep strings out of the hot loops: each
//! document's tokens are counted in parallel (CJK tokens under integer
//! keys, words as slices of one lower-cased buffer) and packed by shard;
//! the (document, token) pairs are scattered to their shards; each shard
//! then groups its pairs by token in parallel. Documents are visited in
//! order, so every posting list comes out sorted without a sort.

use super::tokens::{Token, push_lower, spans};
use crate::markdown::text::is_cjk;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fmt::Write;

/// Title words count this many times.
const TITLE_WEIGHT: u32 = 5;
/// Tags and other terms count this many times.
const TERM_WEIGHT: u32 = 2;
/// Characters of body text indexed per page.
const MAX_TEXT: usize = 10_000;
/// About one postings shard per this many documents (≈ 40 KB on a
/// typical portal). Depends on the document count only, so editing a page
/// never reshuffles the shards.
const DOCS_PER_SHARD: usize = 24;

/// The number of shards for `docs` documents.
pub fn shard_count(docs: usize) -> usize {
    (docs / DOCS_PER_SHARD).clamp(1, 4096)
}

/// What one document contributes: its distinct tokens with weights, in
/// shard order, packed as groups `[shard u16][bytes u32]` of records
/// `[weight u8][len u8][token]`, so the shards can be filled by streaming
/// through memory and a shard's records found by skipping whole groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocTokens {
    packed: Vec<u8>,
}

/// The text a document is indexed from.
pub struct DocText<'a> {
    pub title: &'a str,
    pub terms: Vec<&'a str>,
    pub body: &'a str,
}

/// One record of [`DocTokens`].
struct Record<'a> {
    shard: usize,
    weight: u8,
    token: &'a [u8],
}

/// Group header: shard and length.
const GROUP: usize = 6;

/// The longest token kept, in bytes (cut at a character boundary): longer
/// "words" are not something anyone types into a search box.
const MAX_TOKEN: usize = 255;

fn cut_token(t: &str) -> &str {
    if t.len() <= MAX_TOKEN {
        return t;
    }
    let mut end = MAX_TOKEN;
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    &t[..end]
}

impl DocTokens {
    pub fn new(doc: &DocText<'_>, shards: usize) -> DocTokens {
        let mut text = String::with_capacity(doc.title.len() + doc.body.len() + 64);
        let mut segments: Vec<(usize, usize, u32, bool)> = Vec::new();
        let mut push = |text: &mut String, s: &str, weight: u32, unigrams: bool| {
            let start = text.len();
            push_lower(text, s);
            segments.push((start, text.len(), weight, unigrams));
            text.push('\n');
        };
        push(&mut text, doc.title, TITLE_WEIGHT, true);
        for term in &doc.terms {
            push(&mut text, term, TERM_WEIGHT, true);
        }
        // No character takes less than a byte: a short body is whole.
        let end = if doc.body.len() <= MAX_TEXT {
            doc.body.len()
        } else {
            doc.body
                .char_indices()
                .nth(MAX_TEXT)
                .map_or(doc.body.len(), |(i, _)| i)
        };
        push(&mut text, &doc.body[..end], 1, false);

        let mut counts = Counts::new();
        // CJK tokens are gathered as keys first and counted in one tight
        // loop: the tokenizer's callback then only appends.
        let mut keys: Vec<u64> = Vec::with_capacity(text.len() / 3 + 1);
        for &(start, end, w, unigrams) in &segments {
            let seg = &text[start..end];
            keys.clear();
            spans(seg, |t| match t {
                Token::Word(_) => counts.add(t, w),
                _ => keys.push(Counts::key(t)),
            });
            counts.add_keys(&keys, w);
            if unigrams {
                for c in seg.chars().filter(|c| is_cjk(*c)) {
                    counts.add(Token::Single(c), w);
                }
            }
        }
        let list: Vec<(Token, u8)> = counts
            .into_iter()
            .map(|(t, n)| (t, weight(n) as u8))
            .collect();
        // Ordered by shard, then index, with a counting sort: a page has
        // more tokens than a site has shards.
        let of: Vec<u16> = list.iter().map(|(t, _)| t.shard(shards) as u16).collect();
        let mut starts = vec![0u32; shards + 1];
        for &s in &of {
            starts[usize::from(s) + 1] += 1;
        }
        let groups = starts.iter().filter(|n| **n > 0).count();
        for i in 0..shards {
            starts[i + 1] += starts[i];
        }
        let mut order = vec![0u32; list.len()];
        for (i, &s) in of.iter().enumerate() {
            let at = &mut starts[usize::from(s)];
            order[*at as usize] = i as u32;
            *at += 1;
        }
        // Sized exactly: every page's tokens are held until the index is written.
        let size = groups * GROUP + list.iter().map(|(t, _)| 2 + t.len()).sum::<usize>();
        let mut packed = Vec::with_capacity(size);
        let mut group = usize::MAX;
        for i in order {
            let shard = of[i as usize];
            let (token, w) = list[i as usize];
            if group == usize::MAX || packed[group..group + 2] != shard.to_le_bytes() {
                close_group(&mut packed, group);
                group = packed.len();
                packed.extend_from_slice(&shard.to_le_bytes());
                packed.extend_from_slice(&[0; 4]);
            }
            packed.push(w);
            packed.push(token.len() as u8);
            token.push_to(&mut packed);
        }
        close_group(&mut packed, group);
        debug_assert_eq!(packed.len(), size);
        DocTokens { packed }
    }

    /// The groups: shard and its records' bytes.
    fn groups(&self) -> impl Iterator<Item = (usize, &[u8])> {
        self.groups_in(0..self.packed.len())
    }

    /// The groups within `bytes`, a range of whole groups of `packed`.
    fn groups_in(&self, bytes: std::ops::Range<usize>) -> impl Iterator<Item = (usize, &[u8])> {
        let p = &self.packed[..bytes.end];
        let mut at = bytes.start;
        std::iter::from_fn(move || {
            if at >= p.len() {
                return None;
            }
            let shard = usize::from(u16::from_le_bytes([p[at], p[at + 1]]));
            let len = u32::from_le_bytes([p[at + 2], p[at + 3], p[at + 4], p[at + 5]]) as usize;
            let bytes = &p[at + GROUP..at + GROUP + len];
            at += GROUP + len;
            Some((shard, bytes))
        })
    }

    /// Where the groups of shards `i * per..` start, for `i` in
    /// `0..=parts`: the byte ranges of `parts` runs of `per` shards.
    fn part_starts(&self, per: usize, parts: usize) -> Vec<usize> {
        let mut starts = Vec::with_capacity(parts + 1);
        let mut at = 0;
        for (shard, bytes) in self.groups() {
            while starts.len() <= shard / per {
                starts.push(at);
            }
            at += GROUP + bytes.len();
        }
        starts.resize(parts + 1, self.packed.len());
        starts
    }

    fn records(&self) -> impl Iterator<Item = Record<'_>> {
        self.groups().flat_map(|(shard, bytes)| {
            group_records(bytes).map(move |(weight, token)| Record {
                shard,
                weight,
                token,
            })
        })
    }
}

/// Writes the length of the group that starts at `group` (if any).
fn close_group(packed: &mut [u8], group: usize) {
    if group != usize::MAX {
        let len = (packed.len() - group - GROUP) as u32;
        packed[group + 2..group + GROUP].copy_from_slice(&len.to_le_bytes());
    }
}

/// The (weight, token) records of one group.
fn group_records(bytes: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let weight = bytes[at];
        let len = usize::from(bytes[at + 1]);
        let token = &bytes[at + 2..at + 2 + len];
        at += 2 + len;
        Some((weight, token))
    })
}

/// Term frequencies: CJK tokens keyed by their characters, words by
/// their text.
struct Counts<'a> {
    cjk: FxHashMap<u64, u32>,
    words: FxHashMap<&'a str, u32>,
}

impl<'a> Counts<'a> {
    fn new() -> Self {
        let mut cjk = FxHashMap::default();
        cjk.reserve(1024);
        let mut words = FxHashMap::default();
        words.reserve(256);
        Counts { cjk, words }
    }

    /// A CJK token's key (a CJK character is never 0, so the two kinds
    /// never collide); 0 for a word.
    fn key(token: Token<'_>) -> u64 {
        match token {
            Token::Bigram(a, b) => u64::from(a) << 32 | u64::from(b),
            Token::Single(c) => u64::from(c),
            Token::Word(_) => 0,
        }
    }

    fn add(&mut self, token: Token<'a>, w: u32) {
        match token {
            Token::Word(t) => *self.words.entry(cut_token(t)).or_insert(0) += w,
            _ => *self.cjk.entry(Self::key(token)).or_insert(0) += w,
        }
    }

    /// Counts CJK tokens by their keys.
    fn add_keys(&mut self, keys: &[u64], w: u32) {
        for &k in keys {
            *self.cjk.entry(k).or_insert(0) += w;
        }
    }

    fn into_iter(self) -> impl Iterator<Item = (Token<'a>, u32)> {
        let cjk = self.cjk.into_iter().map(|(k, n)| {
            let c = |v: u64| char::from_u32(v as u32).unwrap_or(' ');
            let t = match k >> 32 {
                0 => Token::Single(c(k)),
                a => Token::Bigram(c(a), c(k)),
            };
            (t, n)
        });
        cjk.chain(self.words.into_iter().map(|(t, n)| (Token::Word(t), n)))
    }
}

/// Appends document `d`'s records to the shards' buckets.
fn scatter(buckets: &mut [Vec<u8>], d: usize, doc: &DocTokens) {
    let d = (d as u32).to_le_bytes();
    for r in doc.records() {
        let b = &mut buckets[r.shard];
        b.extend_from_slice(&d);
        b.push(r.weight);
        b.extend_from_slice(&(r.token.len() as u16).to_le_bytes());
        b.extend_from_slice(r.token);
    }
}

/// Term frequency to a 1–7 weight (log scale).
fn weight(tf: u32) -> u32 {
    (32 - tf.leading_zeros()).clamp(1, 7)
}

/// A posting list: (document, weight), documents ascending.
type List = Vec<(u32, u8)>;

/// One shard: token → postings.
pub type Shard = FxHashMap<Box<str>, List>;

/// A shard's entries to write: token and postings.
type Entries<'a> = Vec<(&'a [u8], &'a [(u32, u8)])>;

/// Every shard of the index.
pub struct Postings {
    pub shards: Vec<Shard>,
}

impl Postings {
    /// Groups the documents' tokens (in document order) by shard and token.
    pub fn build(docs: &[DocTokens], shards: usize) -> Postings {
        let mut buckets: Vec<Vec<u8>> = vec![Vec::new(); shards];
        for (d, doc) in docs.iter().enumerate() {
            scatter(&mut buckets, d, doc);
        }
        Self::from_buckets(buckets)
    }

    /// Like [`Postings::build`] for documents made by `make(0..n)` in
    /// parallel batches, so that not every document's tokens are held at
    /// once.
    pub fn build_streaming(
        n: usize,
        shards: usize,
        make: impl Fn(usize) -> DocTokens + Sync,
    ) -> Postings {
        const BATCH: usize = 512;
        let mut buckets: Vec<Vec<u8>> = vec![Vec::new(); shards];
        for start in (0..n).step_by(BATCH) {
            let batch: Vec<DocTokens> = (start..(start + BATCH).min(n))
                .into_par_iter()
                .map(&make)
                .collect();
            for (i, doc) in batch.iter().enumerate() {
                scatter(&mut buckets, start + i, doc);
            }
        }
        Self::from_buckets(buckets)
    }

    /// Groups each shard's `[doc u32][weight u8][len u16][bytes]` records
    /// by token, in parallel.
    fn from_buckets(buckets: Vec<Vec<u8>>) -> Postings {
        let shards = buckets
            .into_par_iter()
            .map(|b| {
                let mut map: FxHashMap<&[u8], Vec<(u32, u8)>> = FxHashMap::default();
                let mut at = 0;
                while at < b.len() {
                    let d = u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
                    let w = b[at + 4];
                    let len = usize::from(u16::from_le_bytes([b[at + 5], b[at + 6]]));
                    let token = &b[at + 7..at + 7 + len];
                    at += 7 + len;
                    map.entry(token).or_default().push((d, w));
                }
                map.into_iter()
                    .map(|(t, v)| (Box::from(String::from_utf8_lossy(t).as_ref()), v))
                    .collect()
            })
            .collect();
        Postings { shards }
    }

    /// Replaces document `d`'s tokens `old` by `new`; returns the shards
    /// whose postings changed.
    pub fn replace(&mut self, d: u32, old: &DocTokens, new: &DocTokens) -> Vec<usize> {
        let before: FxHashMap<&[u8], (usize, u8)> = old
            .records()
            .map(|r| (r.token, (r.shard, r.weight)))
            .collect();
        let after: FxHashMap<&[u8], (usize, u8)> = new
            .records()
            .map(|r| (r.token, (r.shard, r.weight)))
            .collect();
        let mut touched = std::collections::BTreeSet::new();
        for (token, (shard, w)) in &before {
            if after.get(token).map(|a| a.1) == Some(*w) {
                continue;
            }
            touched.insert(*shard);
            let key = String::from_utf8_lossy(token);
            let map = &mut self.shards[*shard];
            if let Some(list) = map.get_mut(key.as_ref()) {
                if let Ok(i) = list.binary_search_by_key(&d, |e| e.0) {
                    list.remove(i);
                }
                if list.is_empty() {
                    map.remove(key.as_ref());
                }
            }
        }
        for (token, (shard, w)) in &after {
            if before.get(token).map(|b| b.1) == Some(*w) {
                continue;
            }
            touched.insert(*shard);
            let key = String::from_utf8_lossy(token);
            let list = self.shards[*shard]
                .entry(Box::from(key.as_ref()))
                .or_default();
            match list.binary_search_by_key(&d, |e| e.0) {
                Ok(i) => list[i].1 = *w,
                Err(i) => list.insert(i, (d, *w)),
            }
        }
        touched.into_iter().collect()
    }

    /// Shard `i` as a script (see [`shard_script`]).
    pub fn render_shard(&self, i: usize, common_df: usize) -> Vec<u8> {
        let entries = self.shards[i]
            .iter()
            .map(|(t, list)| (t.as_bytes(), list.as_slice()))
            .collect();
        shard_script(i, entries, common_df)
    }
}

/// Every shard's script straight from the documents' tokens (in document
/// order), for a one-off build: groups of shards are filled and written in
/// parallel, each reading its own part of every document, so only a
/// few shards' postings are held at a time and no token is copied.
pub fn render_all(docs: &[DocTokens], shards: usize, common_df: usize) -> Vec<Vec<u8>> {
    let groups = (rayon::current_num_threads() * 4).clamp(1, shards.max(1));
    let per = shards.div_ceil(groups);
    // Found once, not by every group skipping the others' shards: a
    // document has a group in most shards, so that would grow with
    // documents × shards.
    let starts: Vec<Vec<usize>> = docs
        .par_iter()
        .map(|d| d.part_starts(per, groups))
        .collect();
    let rendered: Vec<Vec<Vec<u8>>> = (0..groups)
        .into_par_iter()
        .map(|g| {
            let (lo, hi) = (g * per, ((g + 1) * per).min(shards));
            let mut maps: Vec<FxHashMap<&[u8], List>> =
                (lo..hi).map(|_| FxHashMap::default()).collect();
            for (d, doc) in docs.iter().enumerate() {
                for (shard, bytes) in doc.groups_in(starts[d][g]..starts[d][g + 1]) {
                    let map = &mut maps[shard - lo];
                    for (w, token) in group_records(bytes) {
                        map.entry(token).or_default().push((d as u32, w));
                    }
                }
            }
            maps.into_iter()
                .enumerate()
                .map(|(i, map)| {
                    let entries = map.iter().map(|(t, l)| (*t, l.as_slice())).collect();
                    shard_script(lo + i, entries, common_df)
                })
                .collect()
        })
        .collect();
    rendered.into_iter().flatten().collect()
}

/// Appends `n` in decimal (the shards hold about a million of them at
/// 10,000 pages; `write!` goes through the formatting machinery each time).
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or("0"));
}

/// Shard `i` as a script: `herald_search("i",i,{token:[delta<<3|w…]})`,
/// tokens in byte order; a token in more than `common_df` documents is
/// written as `0` ("common": it does not narrow results).
fn shard_script(i: usize, mut entries: Entries<'_>, common_df: usize) -> Vec<u8> {
    entries.sort_unstable_by_key(|e| e.0);
    // Written by hand: tokens are letters and digits only (no quotes,
    // backslashes or markup), and numbers need no escaping.
    let mut body = String::with_capacity(entries.len() * 16 + 64);
    let _ = write!(body, "herald_search(\"i\",{i},{{");
    for (n, (token, list)) in entries.into_iter().enumerate() {
        if n > 0 {
            body.push(',');
        }
        body.push('"');
        body.push_str(&String::from_utf8_lossy(token));
        body.push_str("\":");
        if list.len() > common_df {
            body.push('0');
            continue;
        }
        body.push('[');
        let mut prev = 0;
        for (j, (d, w)) in list.iter().enumerate() {
            if j > 0 {
                body.push(',');
            }
            push_number(&mut body, ((d - prev) << 3) | u32::from(*w));
            prev = *d;
        }
        body.push(']');
    }
    body.push_str("});\n");
    body.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str) -> DocTokens {
        DocTokens::new(
            &DocText {
                title,
                terms: vec![],
                body,
            },
            1,
        )
    }

    #[test]
    fn shards_rendered_in_parts_match_the_postings() {
        let docs: Vec<DocTokens> = (0..40)
            .map(|i| {
                let body = format!("word{i} 乡村振兴 tea{} 夜读{}", i % 3, "书".repeat(i % 5));
                DocTokens::new(
                    &DocText {
                        title: "Tea",
                        terms: vec!["茶"],
                        body: &body,
                    },
                    13,
                )
            })
            .collect();
        let postings = Postings::build(&docs, 13);
        let all = render_all(&docs, 13, 30);
        assert_eq!(all.len(), 13);
        for (i, script) in all.iter().enumerate() {
            assert_eq!(script, &postings.render_shard(i, 30), "shard {i}");
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0, 7, 10, 99, 100, 65_535, 1_000_000, u32::MAX] {
            let mut s = String::from("x");
            push_number(&mut s, n);
            assert_eq!(s, format!("x{n}"));
        }
    }

    #[test]
    fn postings_are_sorted_delta_encoded_and_weighted() {
        let docs = [
            doc("Tea", "tea tea"),
            doc("Other", "nothing"),
            doc("夜读", "tea"),
        ];
        let p = Postings::build(&docs, 1);
        let js = String::from_utf8(p.render_shard(0, usize::MAX)).unwrap();
        assert!(js.starts_with("herald_search(\"i\",0,{"), "{js}");
        // "tea": doc 0 with tf 5+2=7 → weight 3; doc 2 with tf 1 → weight 1.
        assert!(js.contains("\"tea\":[3,17]"), "{js}");
        assert!(js.contains("\"夜读\":[19]"), "{js}");
        assert!(js.contains("\"夜\":[19]"), "{js}");
        let common = String::from_utf8(p.render_shard(0, 1)).unwrap();
        assert!(common.contains("\"tea\":0"), "{common}");
    }
}
