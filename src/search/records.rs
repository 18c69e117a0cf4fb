//! The record format: what one document contributes to the index, its
//! distinct tokens with weights packed by shard, counted without strings
//! in the hot loop.

use super::postings::weight;
use super::tokens::{Token, push_lower, spans};
use crate::markdown::text::is_cjk;
use rustc_hash::FxHashMap;

/// Title words count this many times.
pub(super) const TITLE_WEIGHT: u32 = 5;

/// Tags and other terms count this many times.
pub(super) const TERM_WEIGHT: u32 = 2;

/// Characters of body text indexed per page.
pub(super) const MAX_TEXT: usize = 10_000;

/// About one postings shard per this many documents (≈ 40 KB on a
/// typical portal). Depends on the document count only, so editing a page
/// never reshuffles the shards.
pub(super) const DOCS_PER_SHARD: usize = 24;

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
pub(super) struct Record<'a> {
    pub(super) shard: usize,
    pub(super) weight: u8,
    pub(super) token: &'a [u8],
}

/// Group header: shard and length.
pub(super) const GROUP: usize = 6;

/// The longest token kept, in bytes (cut at a character boundary): longer
/// "words" are not something anyone types into a search box.
pub(super) const MAX_TOKEN: usize = 255;

pub(super) fn cut_token(t: &str) -> &str {
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
    pub(super) fn groups_in(
        &self,
        bytes: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (usize, &[u8])> {
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
    pub(super) fn part_starts(&self, per: usize, parts: usize) -> Vec<usize> {
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

    pub(super) fn records(&self) -> impl Iterator<Item = Record<'_>> {
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
pub(super) fn close_group(packed: &mut [u8], group: usize) {
    if group != usize::MAX {
        let len = (packed.len() - group - GROUP) as u32;
        packed[group + 2..group + GROUP].copy_from_slice(&len.to_le_bytes());
    }
}

/// The (weight, token) records of one group.
pub(super) fn group_records(bytes: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
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
pub(super) struct Counts<'a> {
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
