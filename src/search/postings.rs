//! Postings: which documents contain which token, split into shards.
//!
//! Built in three steps that keep strings out of the hot loops: each
//! document's tokens are counted in parallel (CJK tokens under integer
//! keys, words as slices of one lower-cased buffer) and packed by shard;
//! the (document, token) pairs are scattered to their shards; each shard
//! then groups its pairs by token in parallel. Documents are visited in
//! order, so every posting list comes out sorted without a sort.

use super::records::*;
use super::shards::shard_script;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Appends document `d`'s records to the shards' buckets.
pub(super) fn scatter(buckets: &mut [Vec<u8>], d: usize, doc: &DocTokens) {
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
pub(super) fn weight(tf: u32) -> u32 {
    (32 - tf.leading_zeros()).clamp(1, 7)
}

/// A posting list: (document, weight), documents ascending.
pub(super) type List = Vec<(u32, u8)>;

/// One shard: token → postings.
pub type Shard = FxHashMap<Box<str>, List>;

/// A shard's entries to write: token and postings.
pub(super) type Entries<'a> = Vec<(&'a [u8], &'a [(u32, u8)])>;

/// Every shard of the index.
pub struct Postings {
    pub shards: Vec<Shard>,
}

impl Postings {
    /// Groups the documents' tokens (in document order) by shard and token.
    #[cfg(test)]
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

    /// Removes document `d` from every posting list; returns the shards it
    /// was in.
    pub fn remove_doc(&mut self, d: u32) -> std::collections::BTreeSet<usize> {
        self.shards
            .par_iter_mut()
            .enumerate()
            .filter_map(|(i, shard)| {
                let mut found = false;
                shard.retain(|_, list| {
                    if let Ok(at) = list.binary_search_by_key(&d, |e| e.0) {
                        list.remove(at);
                        found = true;
                    }
                    !list.is_empty()
                });
                found.then_some(i)
            })
            .collect()
    }

    /// Gives the documents new numbers: `map[old]` is a document's new
    /// number, or `u32::MAX` for a document that goes (or is added again
    /// under its new number with [`Postings::add`]). The numbers of the
    /// documents that stay must keep their order, so that every posting
    /// list stays sorted.
    pub fn renumber(&mut self, map: &[u32]) {
        self.shards.par_iter_mut().for_each(|shard| {
            shard.retain(|_, list| {
                list.retain_mut(|(d, _)| {
                    let to = map[*d as usize];
                    *d = to;
                    to != u32::MAX
                });
                !list.is_empty()
            });
        });
    }

    /// Adds document `d` (numbered after [`Postings::renumber`]); returns
    /// the shards it is in.
    pub fn add(&mut self, d: u32, doc: &DocTokens) -> std::collections::BTreeSet<usize> {
        let mut touched = std::collections::BTreeSet::new();
        for r in doc.records() {
            touched.insert(r.shard);
            let key = String::from_utf8_lossy(r.token);
            let list = self.shards[r.shard]
                .entry(Box::from(key.as_ref()))
                .or_default();
            match list.binary_search_by_key(&d, |e| e.0) {
                Ok(i) => list[i].1 = r.weight,
                Err(i) => list.insert(i, (d, r.weight)),
            }
        }
        touched
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

#[cfg(test)]
mod tests {
    use super::super::shards::{push_number, render_all};
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
    fn renumbering_and_adding_equals_building_again() {
        let make = |i: usize| {
            doc(
                &format!("第{i}篇"),
                &format!("word{i} 乡村振兴 tea{} 夜读", i % 3),
            )
        };
        let before: Vec<DocTokens> = (0..30).map(make).collect();
        let mut p = Postings::build(&before, 3);
        // Document 7 goes, 12 moves to the front, 99 is new at place 5.
        let mut order: Vec<usize> = (0..30).filter(|&i| i != 7 && i != 12).collect();
        order.insert(0, 12);
        order.insert(5, 99);
        let mut map = vec![u32::MAX; 30];
        for (n, &i) in order.iter().enumerate() {
            if i != 12 && i != 99 {
                map[i] = n as u32;
            }
        }
        p.renumber(&map);
        p.add(0, &make(12));
        p.add(5, &make(99));
        let after: Vec<DocTokens> = order.iter().map(|&i| make(i)).collect();
        let fresh = Postings::build(&after, 3);
        for s in 0..3 {
            assert_eq!(
                p.render_shard(s, 10),
                fresh.render_shard(s, 10),
                "shard {s}"
            );
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
