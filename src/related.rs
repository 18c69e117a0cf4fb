//! Related pages (`page.related`): for each page, the pages that share the
//! most of its taxonomy terms and its lesson series, a shared board breaking
//! ties, then the page nearest in date, then the key: the same list on every
//! build. A term's candidates for a page are the [`WINDOW`] pages on either
//! side of it in the term's date order, so the work stays linear in the
//! site's size (a tag on half of 100,000 pages would otherwise make every
//! page of it a candidate of every other), and related lists spread over
//! the site instead of all naming the newest pages (one page's title edit
//! then changes a few lists, not every list of its tags).

use crate::content::Content;
use crate::site::{PageLinks, Series, Taxonomy};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// How many related pages a page gets.
pub const LIMIT: usize = 5;
/// How many of a term's pages on either side of a page (in date order)
/// are looked at.
pub const WINDOW: usize = 50;

/// Fills `related` in every page's links (`links` holds the same pages
/// as `content`, in the same key order).
pub fn fill(
    content: &Content,
    series: &BTreeMap<String, Series>,
    taxonomies: &[Taxonomy],
    links: &mut BTreeMap<String, PageLinks>,
) {
    let ranker = Ranker::new(content, series, taxonomies, None);
    let related: Vec<Vec<String>> = links
        .par_iter()
        .map(|(key, l)| ranker.rank(key, l))
        .collect();
    for (l, r) in links.values_mut().zip(related) {
        l.related = r;
    }
}

/// The related pages of `keys` only (each a page of `links`), in their
/// order: after a few pages changed, the lists that can differ.
pub fn rank_some(
    content: &Content,
    series: &BTreeMap<String, Series>,
    taxonomies: &[Taxonomy],
    links: &BTreeMap<String, PageLinks>,
    keys: &[&String],
) -> Vec<Vec<String>> {
    // Only the terms these pages have are placed.
    let used: FxHashSet<(&str, &str)> = keys
        .iter()
        .filter_map(|k| links.get(*k))
        .flat_map(|l| l.terms.iter().map(|(t, s)| (t.as_str(), s.as_str())))
        .collect();
    let ranker = Ranker::new(content, series, taxonomies, Some(&used));
    keys.par_iter()
        .map(|k| links.get(*k).map(|l| ranker.rank(k, l)).unwrap_or_default())
        .collect()
}

/// Every page by number (key order), so ranking looks nothing up by key.
struct Ranker<'a> {
    keys: Vec<&'a String>,
    number: FxHashMap<&'a str, u32>,
    boards: Vec<Option<&'a str>>,
    /// Seconds since 1970.
    dates: Vec<Option<i64>>,
    terms: FxHashMap<(&'a str, &'a str), Term>,
    series: FxHashMap<&'a str, Vec<u32>>,
}

impl<'a> Ranker<'a> {
    /// `used`: the terms to place (`None`: all).
    fn new(
        content: &'a Content,
        series: &'a BTreeMap<String, Series>,
        taxonomies: &'a [Taxonomy],
        used: Option<&FxHashSet<(&str, &str)>>,
    ) -> Ranker<'a> {
        let keys: Vec<&String> = content.pages.keys().collect();
        let number: FxHashMap<&str, u32> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i as u32))
            .collect();
        let numbers = |pages: &[String]| -> Vec<u32> {
            pages
                .iter()
                .filter_map(|k| number.get(k.as_str()).copied())
                .collect()
        };
        let terms: FxHashMap<(&str, &str), Term> = taxonomies
            .iter()
            .flat_map(|t| {
                t.terms
                    .iter()
                    .map(move |(slug, term)| ((t.name.as_str(), slug.as_str()), &term.pages))
            })
            .filter(|(k, _)| used.is_none_or(|u| u.contains(k)))
            .map(|(k, pages)| {
                let pages = numbers(pages);
                let place = pages.iter().enumerate().map(|(i, n)| (*n, i)).collect();
                (k, Term { pages, place })
            })
            .collect();
        let series = series
            .iter()
            .map(|(slug, s)| (slug.as_str(), numbers(&s.pages)))
            .collect();
        Ranker {
            boards: content.pages.values().map(|p| p.board.as_deref()).collect(),
            dates: content
                .pages
                .values()
                .map(|p| p.meta.date.map(|d| d.timestamp()))
                .collect(),
            keys,
            number,
            terms,
            series,
        }
    }

    fn rank(&self, key: &str, links: &PageLinks) -> Vec<String> {
        match self.number.get(key) {
            Some(&me) => self
                .related(me, links)
                .into_iter()
                .map(|n| self.keys[n as usize].clone())
                .collect(),
            None => Vec::new(),
        }
    }
}

/// A term's pages by number, newest first, and each one's place there.
struct Term {
    pages: Vec<u32>,
    place: FxHashMap<u32, usize>,
}

impl Ranker<'_> {
    fn related(&self, me: u32, links: &PageLinks) -> Vec<u32> {
        // Every page sharing a term or the series, once per share.
        let mut shares: Vec<u32> = Vec::new();
        for (tax, slug) in &links.terms {
            if let Some(term) = self.terms.get(&(tax.as_str(), slug.as_str())) {
                let at = term.place.get(&me).copied().unwrap_or(0);
                let from = at.saturating_sub(WINDOW);
                let to = (at + WINDOW + 1).min(term.pages.len());
                shares.extend(&term.pages[from..to]);
            }
        }
        if let Some(pages) = links
            .series
            .as_ref()
            .and_then(|(s, _)| self.series.get(s.as_str()))
        {
            shares.extend(pages);
        }
        shares.retain(|&n| n != me);
        shares.sort_unstable();
        let board = self.boards[me as usize];
        let mut ranked: Vec<(u32, u32)> = shares
            .chunk_by(|a, b| a == b)
            .map(|run| {
                let n = run[0];
                let same_board = board.is_some() && self.boards[n as usize] == board;
                (2 * run.len() as u32 + u32::from(same_board), n)
            })
            .collect();
        // Nearest in date (a page without one is furthest), then by key.
        let mine = self.dates[me as usize];
        let distance = |n: u32| match (mine, self.dates[n as usize]) {
            (Some(a), Some(b)) => a.abs_diff(b),
            (None, None) => 0,
            _ => u64::MAX,
        };
        let order = |(sa, a): &(u32, u32), (sb, b): &(u32, u32)| {
            sb.cmp(sa)
                .then_with(|| distance(*a).cmp(&distance(*b)))
                .then_with(|| a.cmp(b))
        };
        // The first few in order; the rest need not be sorted.
        if ranked.len() > LIMIT {
            ranked.select_nth_unstable_by(LIMIT, order);
            ranked.truncate(LIMIT);
        }
        ranked.sort_unstable_by(order);
        ranked.into_iter().map(|(_, n)| n).collect()
    }
}
