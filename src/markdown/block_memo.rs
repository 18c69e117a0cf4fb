//! Code blocks already highlighted in this build. A site repeats some of
//! its snippets (an install command in every lesson, a notice template
//! shown twice): a block met the third time takes the highlighted HTML of
//! the second instead of being parsed again. A block is kept only when it
//! has been seen before, so a site whose blocks are all different keeps
//! nothing but a number per block. Bounded: past [`MAX_BYTES`] it only
//! looks up.

use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Most bytes of code and HTML kept.
const MAX_BYTES: usize = 16 << 20;

/// Blocks with one hash: seen once, or kept with their HTML.
enum Blocks {
    Seen,
    Kept(Vec<Kept>),
}

struct Kept {
    lang: Box<str>,
    code: Box<str>,
    html: Arc<str>,
}

#[derive(Default)]
pub(super) struct BlockMemo {
    blocks: Mutex<FxHashMap<u64, Blocks>>,
    bytes: AtomicUsize,
}

fn key(lang: &str, code: &str) -> u64 {
    let mut h = FxHasher::default();
    lang.hash(&mut h);
    code.hash(&mut h);
    h.finish()
}

impl BlockMemo {
    /// The highlighted HTML of `code` in `lang`: `make`'s, or what it gave
    /// for the same block before.
    pub(super) fn get_or_make(
        &self,
        lang: &str,
        code: &str,
        make: impl FnOnce() -> Option<String>,
    ) -> Option<Arc<str>> {
        let key = key(lang, code);
        let seen = {
            let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
            match blocks.get(&key) {
                Some(Blocks::Kept(kept)) => {
                    if let Some(k) = kept.iter().find(|k| *k.lang == *lang && *k.code == *code) {
                        return Some(Arc::clone(&k.html));
                    }
                    true
                }
                Some(Blocks::Seen) => true,
                None => {
                    blocks.insert(key, Blocks::Seen);
                    false
                }
            }
        };
        let html: Arc<str> = make()?.into();
        let size = lang.len() + code.len() + html.len();
        if seen && self.bytes.load(Ordering::Relaxed) + size <= MAX_BYTES {
            let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
            let kept = Kept {
                lang: lang.into(),
                code: code.into(),
                html: Arc::clone(&html),
            };
            match blocks.get_mut(&key) {
                Some(Blocks::Kept(list)) => list.push(kept),
                _ => {
                    blocks.insert(key, Blocks::Kept(vec![kept]));
                }
            }
            self.bytes.fetch_add(size, Ordering::Relaxed);
        }
        Some(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_is_kept_the_second_time_and_reused_after() {
        let memo = BlockMemo::default();
        let made = std::cell::Cell::new(0);
        let make = |s: &str| {
            made.set(made.get() + 1);
            Some(s.to_string())
        };
        for _ in 0..4 {
            assert_eq!(
                memo.get_or_make("rust", "fn a() {}", || make("A"))
                    .as_deref(),
                Some("A")
            );
        }
        // Made the first and the second time, taken from the memo after.
        assert_eq!(made.get(), 2);
        // Another language or other code is another block.
        assert_eq!(
            memo.get_or_make("rs", "fn a() {}", || make("B")).as_deref(),
            Some("B")
        );
        assert_eq!(
            memo.get_or_make("rust", "fn b() {}", || make("C"))
                .as_deref(),
            Some("C")
        );
        // Nothing is kept for code that fails to highlight.
        assert_eq!(memo.get_or_make("rust", "x", || None), None);
        assert_eq!(memo.get_or_make("rust", "x", || None), None);
        assert_eq!(made.get(), 4);
    }
}
