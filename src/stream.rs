//! A one-off build's Markdown phase: each page's Markdown is rendered, its
//! search tokens made and its own output page written in one go, so the
//! rendered HTML of the whole site is never held at once. Lists, feeds and
//! the search index are made afterwards from what each page leaves behind:
//! its value for lists, its summary and table of contents, and its tokens.
//!
//! A lesson's page shows every lesson of its series, so a series' lessons
//! are rendered together. Of a page's rendered Markdown only its facts
//! stay, and its HTML when a feed shows it in full; its value for lists
//! holds its HTML when site.yaml's `lists: { content: true }` asks for it.

use crate::bodies::MarkdownInputs;
use crate::error::Diagnostic;
use crate::output::Sink;
use crate::render::PageWriter;
use crate::search::DocTokens;
use crate::site::{Facts, Html, Site};
use crate::values;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use tera::Value;

/// One page's Markdown facts, its problems and its search tokens.
pub type PageResult = (String, Facts, Vec<Diagnostic>, Option<DocTokens>);

/// What the phase leaves behind.
pub struct Streamed {
    pub pages: Vec<PageResult>,
    /// The HTML of the pages a feed shows in full.
    pub html: BTreeMap<String, Html>,
    /// Every page's value as lists show it.
    pub values: HashMap<String, Value>,
    /// Template errors of the pages' own outputs.
    pub errors: Vec<Diagnostic>,
}

/// Units one task renders, Markdown first, then pages.
const BATCH: usize = 8;

/// Pages rendered together: one page, or the lessons of one series.
struct Unit {
    series: Option<String>,
    pages: Vec<(String, String)>,
}

/// What every batch needs.
struct Inputs<'a> {
    site: &'a Site,
    markdown: &'a MarkdownInputs<'a>,
    /// None when a template is missing (the caller reports it).
    writer: Option<&'a PageWriter<'a>>,
    shared: values::Shared,
    /// Pages a feed shows in full.
    in_full: HashSet<String>,
    /// Keep no values for lists.
    lists_later: bool,
}

/// Renders `bodies` (page key, Markdown) and writes each page's own output
/// into `sink` with `writer` (with none, because a template is missing, no
/// page is written). With `lists_later`, no values for lists are kept
/// (the caller makes them afterwards).
pub fn render(
    site: &Site,
    markdown: &MarkdownInputs<'_>,
    writer: Option<&PageWriter<'_>>,
    bodies: Vec<(String, String)>,
    sink: &dyn Sink,
    lists_later: bool,
) -> Streamed {
    let inputs = Inputs {
        site,
        markdown,
        writer,
        shared: values::Shared::with_refs(site),
        in_full: crate::feeds::pages_in_full(site),
        lists_later,
    };
    let count = site.content.pages.len();
    let done: Vec<Streamed> = batches(site, bodies)
        .into_par_iter()
        .map(|batch| render_batch(&inputs, batch, sink))
        .collect();
    let mut out = Streamed {
        pages: Vec::with_capacity(count),
        html: BTreeMap::new(),
        values: HashMap::with_capacity(count),
        errors: Vec::new(),
    };
    for b in done {
        out.pages.extend(b.pages);
        out.html.extend(b.html);
        out.values.extend(b.values);
        out.errors.extend(b.errors);
    }
    out
}

/// The pages in units, series (the larger units) first so that the threads
/// end on single pages and finish together, and the units in batches.
fn batches(site: &Site, bodies: Vec<(String, String)>) -> Vec<Vec<Unit>> {
    let mut singles = Vec::new();
    let mut series: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for (key, body) in bodies {
        match &site.links[&key].series {
            Some((slug, _)) => series.entry(slug.clone()).or_default().push((key, body)),
            None => singles.push(Unit {
                series: None,
                pages: vec![(key, body)],
            }),
        }
    }
    let units = series
        .into_iter()
        .map(|(slug, pages)| Unit {
            series: Some(slug),
            pages,
        })
        .chain(singles);
    let mut batches: Vec<Vec<Unit>> = Vec::new();
    for unit in units {
        match batches.last_mut() {
            Some(b) if b.len() < BATCH => b.push(unit),
            _ => batches.push(vec![unit]),
        }
    }
    batches
}

/// One batch: the units' Markdown, then their pages. A thread so keeps the
/// Markdown and highlighting code and data in its caches for a while, then
/// the templates', instead of switching for every page.
fn render_batch(inputs: &Inputs<'_>, batch: Vec<Unit>, sink: &dyn Sink) -> Streamed {
    let site = inputs.site;
    let count = site.content.pages.len();
    let mut out = Streamed {
        pages: Vec::new(),
        html: BTreeMap::new(),
        values: HashMap::new(),
        errors: Vec::new(),
    };
    let mut made = Vec::with_capacity(batch.len());
    for unit in batch {
        let mut full = HashMap::with_capacity(unit.pages.len());
        for (key, body) in unit.pages {
            let page = &site.content.pages[&key];
            let path = &site.links[&key].path;
            let (r, d) = inputs
                .markdown
                .render(&page.file, &body, page.body_line, &key, path);
            drop(body);
            let tokens = site
                .config
                .search
                .then(|| crate::search::page_tokens(page, &r.plain, count));
            let value =
                values::page_with(site, &inputs.shared, &key, Some(&r.facts), Some(&r.html));
            full.insert(key.clone(), value);
            if inputs.in_full.contains(&key) {
                out.html.insert(key.clone(), r.html);
            }
            out.pages.push((key, r.facts, d, tokens));
        }
        made.push((unit.series, full));
    }
    for (series, full) in made {
        let series = series.map(|slug| {
            let value = values::series(site, &slug, &full);
            (slug, value)
        });
        if let Some(w) = inputs.writer {
            out.errors.extend(w.write(full.clone(), series, sink));
        }
        if inputs.lists_later {
            continue;
        }
        let lists = site.config.lists;
        out.values.extend(
            full.into_iter()
                .map(|(key, v)| (key, values::for_lists(&v, lists))),
        );
    }
    out
}
