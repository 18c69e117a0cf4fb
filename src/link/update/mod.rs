//! Linking again after a few pages changed (the dev server): the site's
//! links, boards, series and terms are patched where the changed pages
//! were and are, instead of being made again for every page. The result
//! is what [`super::link`] makes of the new content (the tests below check
//! it on random edits); anything that would be a problem (a clash, a
//! missing file, a lesson order given twice) returns `None`, and the
//! caller does a full build, which reports it.
//!
//! What can change for a page that did not change itself: its neighbours
//! (pages came, went or moved beside it in its board or series), its
//! place in its series, and its related pages (a changed page came or
//! went within [`crate::related::WINDOW`] of it in a term's date order, or
//! in its series).

use super::{compare, page_links};
use crate::config::{Config, SortBy};
use crate::content::{Content, Page};
use crate::site::{Board, PageLinks, Series, Site, Taxonomy, Term};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// What the links were before [`relink`].
pub struct Before {
    /// The old links of every page whose links changed: `None` for a new
    /// page; a removed page is here and no longer in the site's links.
    pub links: BTreeMap<String, Option<PageLinks>>,
    /// Each board's pages, in site.yaml order.
    pub boards: Vec<Vec<String>>,
    pub series: BTreeMap<String, Series>,
    pub taxonomies: Vec<Taxonomy>,
}

/// The pages that changed since the site was last linked.
pub struct Changed<'a> {
    /// Read again (new or edited): in the site's content.
    pub fresh: &'a BTreeSet<String>,
    /// No longer in the site's content.
    pub removed: &'a BTreeSet<String>,
    /// No page came or went and no fresh one changed its date, terms or
    /// series: every related list stays what it was.
    pub same_related: bool,
}

/// Links `site` again after `changed`; returns what changed, or `None`
/// when a full build must say what is wrong (`site` is then half-updated).
pub fn relink(site: &mut Site, changed: &Changed<'_>) -> Option<Before> {
    let Site {
        root,
        config,
        content,
        links,
        boards,
        series,
        taxonomies,
        ..
    } = site;
    let (fresh, removed) = (changed.fresh, changed.removed);
    let mut before = Before {
        links: BTreeMap::new(),
        boards: boards.iter().map(|b| b.pages.clone()).collect(),
        series: series.clone(),
        taxonomies: taxonomies.clone(),
    };
    let old = &mut before.links;

    // Paths and files of the fresh pages; the removed ones go.
    for key in removed {
        if let Some(l) = links.remove(key) {
            old.insert(key.clone(), Some(l));
        }
    }
    let board_paths: BTreeSet<String> = config
        .boards
        .iter()
        .map(|b| format!("{}/", b.key))
        .collect();
    for key in fresh {
        let page = content.pages.get(key)?;
        let (l, diags) = page_links(root, config, page);
        if !diags.is_empty() || board_paths.contains(&l.path) {
            return None;
        }
        let was = links.insert(key.clone(), l);
        old.insert(key.clone(), was);
    }
    let fresh_paths: BTreeSet<&str> = fresh.iter().map(|k| links[k].path.as_str()).collect();
    let sharing = links
        .values()
        .filter(|l| fresh_paths.contains(l.path.as_str()))
        .count();
    if sharing != fresh.len() {
        return None;
    }

    // Boards: the fresh pages taken out and put in at their place.
    let mut dirty: BTreeSet<String> = fresh.clone();
    let gone = |k: &String| fresh.contains(k) || removed.contains(k);
    for b in boards.iter_mut() {
        for (i, k) in b.pages.iter().enumerate() {
            if gone(k) {
                neighbours(&b.pages, i, &mut dirty);
            }
        }
        b.pages.retain(|k| !gone(k));
    }
    for key in fresh {
        let page = &content.pages[key];
        if let Some(b) = board_of(boards, page) {
            let at = place(&b.pages, b.config.sort, content, page);
            b.pages.insert(at, key.clone());
            neighbours(&b.pages, at, &mut dirty);
        }
    }

    // Series the changed pages were or are in, made again.
    let mut slugs: BTreeSet<String> = BTreeSet::new();
    for key in fresh.iter().chain(removed) {
        if let Some(Some(l)) = old.get(key)
            && let Some((slug, _)) = &l.series
        {
            slugs.insert(slug.clone());
        }
        if let Some((slug, _)) = content.pages.get(key).and_then(|p| series_of(config, p)) {
            slugs.insert(slug);
        }
    }
    for slug in &slugs {
        let mut pages: Vec<String> = series
            .get(slug)
            .map(|s| s.pages.iter().filter(|k| !gone(k)).cloned().collect())
            .unwrap_or_default();
        for key in fresh {
            let page = &content.pages[key];
            if board_of(boards, page).is_some()
                && let Some((s, order)) = series_of(config, page)
                && &s == slug
            {
                // A lesson of a series needs its order.
                order?;
                pages.push(key.clone());
            }
        }
        dirty.extend(
            series
                .get(slug)
                .into_iter()
                .flat_map(|s| s.pages.iter().cloned()),
        );
        dirty.extend(pages.iter().cloned());
        if pages.is_empty() {
            series.remove(slug);
            continue;
        }
        pages.sort_by(|a, b| compare(SortBy::Order, &content.pages[a], &content.pages[b]));
        let orders = pages.windows(2).any(|p| {
            let order = |k: &String| super::lesson_place(&content.pages[k]).1;
            order(&p[0]) == order(&p[1]) && order(&p[0]) != u64::MAX
        });
        if orders {
            return None;
        }
        // Named as the first of its lessons in board order names it.
        let (bi, first) = pages
            .iter()
            .filter_map(|k| {
                let page = &content.pages[k];
                let bi = boards
                    .iter()
                    .position(|b| Some(&b.config.key) == page.board.as_ref())?;
                let b = &boards[bi];
                Some(((bi, place(&b.pages, b.config.sort, content, page)), page))
            })
            .min_by_key(|(at, _)| *at)
            .map(|((bi, _), page)| (bi, page))?;
        let name = first.meta.series()?.to_string();
        let s = Series {
            name,
            slug: slug.clone(),
            board: boards[bi].config.key.clone(),
            pages,
        };
        series.insert(slug.clone(), s);
    }

    // Neighbours and places where they may have changed.
    for key in &dirty {
        let Some(page) = content.pages.get(key) else {
            continue;
        };
        let mut now: (Option<String>, Option<String>, Option<(String, usize)>) = (None, None, None);
        if let Some(b) = boards
            .iter()
            .find(|b| Some(&b.config.key) == page.board.as_ref())
        {
            let i = place(&b.pages, b.config.sort, content, page);
            let before = i.checked_sub(1).map(|j| b.pages[j].clone());
            let after = b.pages.get(i + 1).cloned();
            (now.0, now.1) = if b.config.sort == SortBy::Date {
                (after, before)
            } else {
                (before, after)
            };
            if let Some((slug, _)) = series_of(config, page)
                && let Some(s) = series.get(&slug)
                && let Some(i) = s.pages.iter().position(|k| k == key)
            {
                now = (
                    i.checked_sub(1).map(|j| s.pages[j].clone()),
                    s.pages.get(i + 1).cloned(),
                    Some((slug, i + 1)),
                );
            }
        }
        let l = links.get_mut(key)?;
        if (&l.prev, &l.next, &l.series) != (&now.0, &now.1, &now.2) {
            old.entry(key.clone()).or_insert_with(|| Some(l.clone()));
            (l.prev, l.next, l.series) = now;
        }
    }

    // Terms: the changed pages taken out of theirs, the fresh ones put in.
    for (ti, tax) in taxonomies.iter_mut().enumerate() {
        let mut touched_terms: BTreeSet<String> = BTreeSet::new();
        for key in fresh.iter().chain(removed) {
            let Some(Some(l)) = old.get(key) else {
                continue;
            };
            for (_, slug) in l.terms.iter().filter(|(t, _)| *t == tax.name) {
                if let Some(term) = tax.terms.get_mut(slug) {
                    term.pages.retain(|k| k != key);
                    touched_terms.insert(slug.clone());
                }
            }
        }
        for key in fresh {
            let page = &content.pages[key];
            for (slug, name) in term_slugs(config, page, &config.taxonomies[ti].name) {
                let term = tax.terms.entry(slug.clone()).or_insert_with(|| Term {
                    name: name.clone(),
                    slug: slug.clone(),
                    pages: Vec::new(),
                });
                let at = place(&term.pages, SortBy::Date, content, page);
                term.pages.insert(at, key.clone());
                links
                    .get_mut(key)?
                    .terms
                    .push((tax.name.clone(), slug.clone()));
                touched_terms.insert(slug);
            }
        }
        // A term is named as the first page (by key) naming it names it.
        for slug in touched_terms {
            let Some(term) = tax.terms.get_mut(&slug) else {
                continue;
            };
            let Some(first) = term.pages.iter().min() else {
                tax.terms.remove(&slug);
                continue;
            };
            let page = &content.pages[first];
            if let Some((_, name)) = term_slugs(config, page, &tax.name)
                .into_iter()
                .find(|(s, _)| *s == slug)
            {
                term.name = name;
            }
        }
    }

    // Related lists that can differ.
    if changed.same_related {
        for key in fresh {
            if let Some(Some(was)) = old.get(key) {
                let related = was.related.clone();
                links.get_mut(key)?.related = related;
            }
        }
    } else {
        let then = Lists {
            taxonomies: &before.taxonomies,
            series: &before.series,
        };
        let now = Lists { taxonomies, series };
        let near = near_changed(fresh.iter().chain(removed), old, links, &then, &now);
        let keys: Vec<&String> = near.iter().filter(|k| links.contains_key(*k)).collect();
        let ranked = crate::related::rank_some(content, series, taxonomies, links, &keys);
        let keys: Vec<String> = keys.into_iter().cloned().collect();
        for (key, related) in keys.into_iter().zip(ranked) {
            let l = links.get_mut(&key)?;
            if l.related != related {
                old.entry(key).or_insert_with(|| Some(l.clone()));
                l.related = related;
            }
        }
    }

    // Only what differs is reported.
    old.retain(|k, was| links.get(k) != was.as_ref());
    Some(before)
}

/// A site's series and terms, before or after the change.
struct Lists<'a> {
    taxonomies: &'a [Taxonomy],
    series: &'a BTreeMap<String, Series>,
}

/// The pages whose related lists a change of `changed` can alter: each
/// changed page, the pages within [`crate::related::WINDOW`] + 1 of it in
/// the date order of its terms (where it was, in `then`, and where it is,
/// in `now`), and the lessons of its series then and now.
fn near_changed<'a>(
    changed: impl Iterator<Item = &'a String>,
    old: &BTreeMap<String, Option<PageLinks>>,
    links: &BTreeMap<String, PageLinks>,
    then: &Lists<'_>,
    now: &Lists<'_>,
) -> BTreeSet<String> {
    let reach = crate::related::WINDOW + 1;
    let mut near = BTreeSet::new();
    for key in changed {
        near.insert(key.clone());
        let was = old.get(key).and_then(Option::as_ref);
        for (l, lists) in [(was, then), (links.get(key), now)] {
            let Some(l) = l else { continue };
            for (tax, slug) in &l.terms {
                let pages = lists
                    .taxonomies
                    .iter()
                    .find(|t| t.name == *tax)
                    .and_then(|t| t.terms.get(slug))
                    .map_or(&[][..], |t| t.pages.as_slice());
                if let Some(i) = pages.iter().position(|k| k == key) {
                    let from = i.saturating_sub(reach);
                    let to = (i + reach + 1).min(pages.len());
                    near.extend(pages[from..to].iter().cloned());
                }
            }
            if let Some(s) = l.series.as_ref().and_then(|(s, _)| lists.series.get(s)) {
                near.extend(s.pages.iter().cloned());
            }
        }
    }
    near
}

/// The board `page` is listed on, if any.
fn board_of<'a>(boards: &'a mut [Board], page: &Page) -> Option<&'a mut Board> {
    boards
        .iter_mut()
        .find(|b| Some(&b.config.key) == page.board.as_ref())
}

/// Where `page` goes in `keys`, sorted by `sort` (where it is, if there).
fn place(keys: &[String], sort: SortBy, content: &Content, page: &Page) -> usize {
    keys.partition_point(|k| compare(sort, &content.pages[k], page) == Ordering::Less)
}

/// The pages beside place `i` of `keys` (and the one there) are dirty.
fn neighbours(keys: &[String], i: usize, dirty: &mut BTreeSet<String>) {
    let from = i.saturating_sub(1);
    let to = (i + 2).min(keys.len());
    dirty.extend(keys[from..to].iter().cloned());
}

/// A lesson's series slug and order.
fn series_of(config: &Config, page: &Page) -> Option<(String, Option<u64>)> {
    let name = page.meta.series()?;
    Some((crate::slug::slug(config.slugs, name), page.meta.order()))
}

/// A page's terms of `taxonomy` as slugs (each once, in its order), with
/// the name that gave each.
fn term_slugs(config: &Config, page: &Page, taxonomy: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for name in page.meta.taxonomies.get(taxonomy).into_iter().flatten() {
        let slug = crate::slug::slug(config.slugs, name);
        if !slug.is_empty() && !out.iter().any(|(s, _)| *s == slug) {
            out.push((slug, name.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests;
