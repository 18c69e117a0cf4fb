//! Related pages (`page.related`): for each page, the pages that share the
//! most of its taxonomy terms and its lesson series, a shared board breaking
//! ties, then the newer page, then the key: the same list on every build.
//! A term's newest [`PER_TERM`] pages are its candidates, so the work stays
//! linear in the site's size (a tag on half of 100,000 pages would
//! otherwise make every page of it a candidate of every other).

use crate::content::Content;
use crate::site::{PageLinks, Series, Taxonomy};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// How many related pages a page gets.
pub const LIMIT: usize = 5;
/// How many of a term's newest pages are looked at.
pub const PER_TERM: usize = 100;

/// Fills `related` in every page's links (`links` holds the same pages
/// as `content`, in the same key order).
pub fn fill(
    content: &Content,
    series: &BTreeMap<String, Series>,
    taxonomies: &[Taxonomy],
    links: &mut BTreeMap<String, PageLinks>,
) {
    // Pages by number (key order), so ranking looks nothing up by key.
    let keys: Vec<&String> = content.pages.keys().collect();
    let number: FxHashMap<&str, u32> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i as u32))
        .collect();
    let boards: Vec<Option<&str>> = content.pages.values().map(|p| p.board.as_deref()).collect();
    let dates: Vec<_> = content.pages.values().map(|p| p.meta.date).collect();
    let numbers = |pages: &[String], most: usize| -> Vec<u32> {
        pages
            .iter()
            .take(most)
            .filter_map(|k| number.get(k.as_str()).copied())
            .collect()
    };
    let terms: FxHashMap<(&str, &str), Vec<u32>> = taxonomies
        .iter()
        .flat_map(|t| {
            t.terms
                .iter()
                .map(move |(slug, term)| ((t.name.as_str(), slug.as_str()), &term.pages))
        })
        .map(|(k, pages)| (k, numbers(pages, PER_TERM)))
        .collect();
    let series: FxHashMap<&str, Vec<u32>> = series
        .iter()
        .map(|(slug, s)| (slug.as_str(), numbers(&s.pages, usize::MAX)))
        .collect();
    let pages = Pages {
        boards: &boards,
        dates: &dates,
        terms: &terms,
        series: &series,
    };
    let related: Vec<Vec<String>> = links
        .par_iter()
        .map(|(key, l)| match number.get(key.as_str()) {
            Some(&me) => pages
                .related(me, l)
                .into_iter()
                .map(|n| keys[n as usize].clone())
                .collect(),
            None => Vec::new(),
        })
        .collect();
    for (l, r) in links.values_mut().zip(related) {
        l.related = r;
    }
}

/// What ranking needs of every page, by number.
struct Pages<'a> {
    boards: &'a [Option<&'a str>],
    dates: &'a [Option<chrono::DateTime<chrono::FixedOffset>>],
    terms: &'a FxHashMap<(&'a str, &'a str), Vec<u32>>,
    series: &'a FxHashMap<&'a str, Vec<u32>>,
}

impl Pages<'_> {
    fn related(&self, me: u32, links: &PageLinks) -> Vec<u32> {
        // Every page sharing a term or the series, once per share.
        let mut shares: Vec<u32> = Vec::new();
        for (tax, slug) in &links.terms {
            if let Some(pages) = self.terms.get(&(tax.as_str(), slug.as_str())) {
                shares.extend(pages);
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
        let order = |(sa, a): &(u32, u32), (sb, b): &(u32, u32)| {
            sb.cmp(sa)
                .then_with(|| self.dates[*b as usize].cmp(&self.dates[*a as usize]))
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
