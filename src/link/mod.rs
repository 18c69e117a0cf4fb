//! The link step: URLs, board order, neighbours, lesson series, taxonomy
//! terms, covers and downloads. It reads the loaded content and writes keys
//! into flat maps; nothing here renders.

mod update;
pub use update::{Before, Changed, relink};

use crate::config::{Config, SortBy};
use crate::content::{Content, Page};
use crate::error::{Diagnostic, did_you_mean};
use crate::markdown::links::LinkResolver;
use crate::msg;
use crate::site::{Board, PageLinks, Resource, Series, Taxonomy, Term};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub struct Linked {
    pub links: BTreeMap<String, PageLinks>,
    pub boards: Vec<Board>,
    pub series: BTreeMap<String, Series>,
    pub taxonomies: Vec<Taxonomy>,
}

/// The output path of a page (`news/a/`), from its key and slug.
pub fn page_path(page: &Page, style: crate::slug::SlugStyle) -> String {
    let (dir, stem) = match &page.bundle {
        Some(b) => match b.rsplit_once('/') {
            Some((d, name)) => (format!("{d}/"), name.to_string()),
            None => (String::new(), b.clone()),
        },
        None => {
            let no_ext = page.key.strip_suffix(".md").unwrap_or(&page.key);
            match no_ext.rsplit_once('/') {
                Some((d, name)) => (format!("{d}/"), name.to_string()),
                None => (String::new(), no_ext.to_string()),
            }
        }
    };
    let slug = match &page.meta.slug {
        Some(s) => s.clone(),
        None => {
            let s = crate::slug::slug(style, &stem);
            if s.is_empty() { stem } else { s }
        }
    };
    format!("{dir}{slug}/")
}

fn compare(sort: SortBy, a: &Page, b: &Page) -> Ordering {
    let by_title = || {
        a.meta
            .title
            .cmp(&b.meta.title)
            .then_with(|| a.key.cmp(&b.key))
    };
    match sort {
        SortBy::Date => b.meta.date.cmp(&a.meta.date).then_with(by_title),
        SortBy::Weight => a.meta.weight.cmp(&b.meta.weight).then_with(by_title),
        SortBy::Title => by_title(),
        SortBy::Order => {
            let (sa, oa) = lesson_place(a);
            let (sb, ob) = lesson_place(b);
            sa.is_none()
                .cmp(&sb.is_none())
                .then(sa.cmp(&sb))
                .then(oa.cmp(&ob))
                .then(a.meta.weight.cmp(&b.meta.weight))
                .then_with(by_title)
        }
    }
}

/// A page's path and the files its front matter names.
fn page_links(root: &Path, config: &Config, page: &Page) -> (PageLinks, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut l = PageLinks {
        path: page_path(page, config.slugs),
        ..PageLinks::default()
    };
    let mut find = |key: &str, value: &str, at| {
        let named = Named { key, value, at };
        resource(root, config, page, &l.path, named, &mut diags)
    };
    let cover = page
        .meta
        .cover
        .as_ref()
        .and_then(|c| find("cover", c, (0, 0)));
    let files = (page.meta.fields.paths())
        .filter_map(|(f, path)| Some((f.name.clone(), find(&f.name, path, f.at)?)))
        .collect();
    (l.cover, l.files) = (cover, files);
    (l, diags)
}

/// Sorts page keys by `sort`, looking each page up once.
fn sort_pages(keys: &mut Vec<String>, sort: SortBy, content: &Content) {
    let mut pages: Vec<(&Page, String)> = std::mem::take(keys)
        .into_iter()
        .map(|k| (&content.pages[&k], k))
        .collect();
    pages.par_sort_by(|a, b| compare(sort, a.0, b.0));
    *keys = pages.into_iter().map(|(_, k)| k).collect();
}

fn lesson_place(p: &Page) -> (Option<&str>, u64) {
    (p.meta.series(), p.meta.order().unwrap_or(u64::MAX))
}

/// Links the loaded content. `root` is the site root (to find files).
pub fn link(root: &Path, config: &Config, content: &Content) -> (Linked, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut kept: Vec<(String, PageLinks)> = Vec::with_capacity(content.pages.len());
    // FxHash: a path's owner is only looked up, never iterated.
    let mut by_path: rustc_hash::FxHashMap<String, &str> = Default::default();
    by_path.reserve(content.pages.len());
    // Paths and resources (which look at files) in parallel; clashes in
    // key order.
    let found: Vec<(&String, &Page, PageLinks, Vec<Diagnostic>)> = content
        .pages
        .par_iter()
        .map(|(key, page)| {
            let (l, d) = page_links(root, config, page);
            (key, page, l, d)
        })
        .collect();
    let board_paths: Vec<String> = config
        .boards
        .iter()
        .map(|b| format!("{}/", b.key))
        .collect();
    for (key, page, l, found_diags) in found {
        let path = &l.path;
        if let Some(other) = by_path.get(path) {
            diags.push(
                Diagnostic::error(&page.file, msg!("same-url", other, path))
                    .hint(msg!("same-url-hint")),
            );
            continue;
        }
        for (board, board_path) in config.boards.iter().zip(&board_paths) {
            if path == board_path {
                diags.push(
                    Diagnostic::error(&page.file, msg!("replaces-board-index", board = board.key))
                        .hint(msg!("replaces-board-index-hint")),
                );
            }
        }
        diags.extend(found_diags);
        by_path.insert(path.clone(), key);
        kept.push((key.clone(), l));
    }
    // In key order already: built in one pass, not inserted one by one.
    let mut links: BTreeMap<String, PageLinks> = kept.into_iter().collect();

    // Boards, in site.yaml order, each sorted; neighbours within a board.
    let mut boards: Vec<Board> = config
        .boards
        .iter()
        .map(|b| Board {
            config: b.clone(),
            pages: Vec::new(),
        })
        .collect();
    for (key, page) in &content.pages {
        if let Some(b) = boards
            .iter_mut()
            .find(|b| Some(&b.config.key) == page.board.as_ref())
        {
            b.pages.push(key.clone());
        }
    }
    boards
        .par_iter_mut()
        .for_each(|b| sort_pages(&mut b.pages, b.config.sort, content));
    for board in &mut boards {
        let sort = board.config.sort;
        // Previous/next read in time order on dated boards (previous =
        // older), in list order elsewhere.
        let chronological = sort == SortBy::Date;
        for (i, key) in board.pages.iter().enumerate() {
            if let Some(l) = links.get_mut(key) {
                let before = i.checked_sub(1).map(|j| board.pages[j].clone());
                let after = board.pages.get(i + 1).cloned();
                (l.prev, l.next) = if chronological {
                    (after, before)
                } else {
                    (before, after)
                };
            }
        }
    }

    // Lesson series.
    let mut series: BTreeMap<String, Series> = BTreeMap::new();
    for board in &boards {
        for key in &board.pages {
            let page = &content.pages[key];
            let Some(name) = page.meta.series() else {
                continue;
            };
            let slug = crate::slug::slug(config.slugs, name);
            let s = series.entry(slug.clone()).or_insert_with(|| Series {
                name: name.to_string(),
                slug,
                board: board.config.key.clone(),
                pages: Vec::new(),
            });
            if page.meta.order().is_none() {
                diags.push(
                    Diagnostic::error(&page.file, msg!("lesson-without-order", name))
                        .hint(msg!("lesson-without-order-hint")),
                );
            }
            s.pages.push(key.clone());
        }
    }
    for s in series.values_mut() {
        sort_pages(&mut s.pages, SortBy::Order, content);
        for pair in s.pages.windows(2) {
            let (a, b) = (&content.pages[&pair[0]], &content.pages[&pair[1]]);
            let (oa, ob) = (lesson_place(a).1, lesson_place(b).1);
            if oa == ob && oa != u64::MAX {
                diags.push(
                    Diagnostic::error(
                        &b.file,
                        msg!(
                            "lesson-order-twice",
                            order = ob,
                            name = s.name,
                            other = a.file
                        ),
                    )
                    .hint(msg!("lesson-order-twice-hint")),
                );
            }
        }
        for (i, key) in s.pages.iter().enumerate() {
            if let Some(l) = links.get_mut(key) {
                l.series = Some((s.slug.clone(), i + 1));
                l.prev = i.checked_sub(1).map(|j| s.pages[j].clone());
                l.next = s.pages.get(i + 1).cloned();
            }
        }
    }

    // Taxonomies: terms by slug, pages newest first.
    let mut taxonomies = Vec::new();
    for t in &config.taxonomies {
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        // Term names repeat on many pages: slug each once.
        let mut slugs: HashMap<&str, String> = HashMap::new();
        // `links` has the pages' keys in the same order: walked alongside
        // instead of looked up for every term of every page.
        let mut cursor = links.iter_mut().peekable();
        for (key, page) in &content.pages {
            let Some(names) = page.meta.taxonomies.get(&t.name) else {
                continue;
            };
            while cursor.next_if(|(k, _)| *k < key).is_some() {}
            let mut page_links = cursor.next_if(|(k, _)| *k == key).map(|(_, l)| l);
            for name in names {
                let slug = slugs
                    .entry(name.as_str())
                    .or_insert_with(|| crate::slug::slug(config.slugs, name))
                    .clone();
                if slug.is_empty() {
                    continue;
                }
                let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                    name: name.clone(),
                    slug: slug.clone(),
                    pages: Vec::new(),
                });
                // Pages come in key order, so a page naming a term twice
                // (or two names with one slug) is the last one added.
                if term.pages.last() != Some(key) {
                    term.pages.push(key.clone());
                    if let Some(l) = page_links.as_mut() {
                        l.terms.push((t.name.clone(), slug));
                    }
                }
            }
        }
        terms
            .values_mut()
            .collect::<Vec<_>>()
            .into_par_iter()
            .for_each(|term| sort_pages(&mut term.pages, SortBy::Date, content));
        taxonomies.push(Taxonomy {
            name: t.name.clone(),
            terms,
        });
    }
    crate::related::fill(content, &series, &taxonomies, &mut links);

    (
        Linked {
            links,
            boards,
            series,
            taxonomies,
        },
        diags,
    )
}

/// A file named in front matter: its key, the path as written, and where
/// ((0, 0) when not known).
struct Named<'a> {
    key: &'a str,
    value: &'a str,
    at: (usize, usize),
}

/// Resolves a cover or a file or image field named in front matter.
fn resource(
    root: &Path,
    config: &Config,
    page: &Page,
    page_path: &str,
    named: Named,
    diags: &mut Vec<Diagnostic>,
) -> Option<Resource> {
    let Named { key, value, at } = named;
    let spot = crate::resources::PageSpot {
        key: &page.key,
        bundle: page.bundle.is_some(),
        path: page_path,
    };
    let bases = crate::resources::Bases {
        root: &config.root_path,
        here: &config.base_path,
    };
    match crate::resources::locate(root, bases, spot, value) {
        Ok(found) => Some(Resource {
            url: found.url,
            bytes: found.bytes,
        }),
        Err(why) => {
            diags.push(
                Diagnostic {
                    line: (at.0 > 0).then_some(at.0),
                    column: (at.0 > 0).then_some(at.1),
                    ..Diagnostic::error(&page.file, msg!("file-field-problem", key, value, why))
                }
                .hint(msg!("file-field-problem-hint")),
            );
            None
        }
    }
}

/// Resolves links against the loaded content.
pub struct ContentResolver<'a> {
    pub root: &'a Path,
    pub config: &'a Config,
    pub content: &'a Content,
    pub links: &'a BTreeMap<String, PageLinks>,
    /// A translation's links to pages it lacks: the default language's
    /// page key → URL (empty for the default language).
    pub fallback: &'a HashMap<String, String>,
}

impl LinkResolver for ContentResolver<'_> {
    fn resolve(&self, key: &str) -> Result<String, crate::messages::Text> {
        let base = &self.config.base_path;
        if let Some(l) = self.links.get(key) {
            return Ok(format!("{base}{}", l.path));
        }
        if key == "_index.md" || key.is_empty() {
            return Ok(base.clone());
        }
        if let Some(board) = key.strip_suffix("/_index.md")
            && self.config.board(board).is_some()
        {
            return Ok(format!("{base}{board}/"));
        }
        if let Some(url) = self.fallback.get(key) {
            return Ok(url.clone());
        }
        if let Some(why) = self.content.hidden.get(key) {
            return Err(why.reason());
        }
        if let Some(dir) = key.strip_suffix('/') {
            let index = format!("{dir}/index.md");
            if let Some(l) = self.links.get(&index) {
                return Ok(format!("{base}{}", l.path));
            }
        }
        let keys = self.content.pages.keys().map(String::as_str);
        Err(match did_you_mean(key, keys) {
            Some(s) => msg!("no-page-did-you-mean", key, near = s),
            None => msg!("no-page", key),
        })
    }

    fn is_page(&self, key: &str) -> bool {
        self.links.contains_key(key) || self.fallback.contains_key(key)
    }

    fn failed(&self, key: &str) -> bool {
        // Did not load, or has no URL (a clash, reported once already).
        self.content.failed.contains(key)
            || (self.content.pages.contains_key(key) && !self.links.contains_key(key))
    }

    fn asset(&self, key: &str) -> Option<String> {
        self.content
            .assets
            .iter()
            .any(|a| a == key)
            .then(|| format!("{}{key}", self.config.root_path))
    }

    fn published(&self, path: &str) -> Option<String> {
        let base = &self.config.base_path;
        if base == "/" || path.is_empty() || path.split('/').any(|s| s == "..") {
            return None;
        }
        let url = Some(format!("{base}{path}"));
        if self.content.assets.iter().any(|a| a == path) {
            return url;
        }
        let dir = path.trim_end_matches('/');
        if self
            .links
            .values()
            .any(|l| l.path.trim_end_matches('/') == dir)
        {
            return url;
        }
        if self.root.join("static").join(path).is_file() {
            return url;
        }
        let theme = crate::theme::resolve(self.root, &self.config.theme).ok()?;
        theme
            .file(self.root, &format!("static/{path}"))
            .ok()
            .flatten()
            .and(url)
    }
}
