//! Writing shards: each shard's postings as a small script the search page
//! loads for the tokens a reader types.

use super::postings::*;
use super::records::*;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::fmt::Write;

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
pub(super) fn push_number(out: &mut String, mut n: u32) {
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
pub(super) fn shard_script(i: usize, mut entries: Entries<'_>, common_df: usize) -> Vec<u8> {
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
