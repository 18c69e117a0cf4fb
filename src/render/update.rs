//! Re-rendering what a change of pages shows (the dev server): after
//! [`crate::build::update::update_pages`] changed the site, the page values
//! that may differ are made again and compared with the kept ones, and
//! only the outputs showing a changed value or a changed list are
//! rendered again — with the feeds, sitemap, redirects and search index.
//! Outputs that no longer exist are reported for removal.

use super::cache::{Deps, RenderCache};
use super::jobs::Renderer;
use super::plan::{Job, Plan, jobs};
use super::{Copy, merge_repeated, search_value, write};
use crate::error::Diagnostic;
use crate::output::Sink;
use crate::site::{Site, SiteChange, Texts};
use crate::templates::Templates;
use crate::values;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// What an update wrote and what it took away.
pub struct Updated {
    /// Outputs rendered (some may be unchanged).
    pub written: usize,
    /// Output files that no longer exist.
    pub removed: Vec<String>,
}

/// The file a job writes.
pub(super) fn job_file(plan: &Plan<'_>, job: &Job) -> String {
    match plan.output_path(job) {
        Some(path) => format!("{path}index.html"),
        None => "404.html".to_string(),
    }
}

impl RenderCache {
    /// After `change` (pages new, edited, removed or moved): renders every
    /// output whose values or lists changed into `sink`.
    pub fn update_site(
        &mut self,
        site: &Site,
        texts: &Texts,
        templates: &Templates,
        copies: &[Copy],
        change: &SiteChange,
        sink: &dyn Sink,
    ) -> Result<Updated, Vec<Diagnostic>> {
        let plan = Plan { site, templates };
        let new_jobs = jobs(site);
        let missing = plan.check_templates(&new_jobs);
        if !missing.is_empty() {
            return Err(missing);
        }

        // Values every output shares: a change re-renders everything.
        let site_value = values::site(site, &templates.strings);
        let everything = site_value != self.values.site_value;
        self.values.site_value = site_value;
        let boards: Vec<tera::Value> = (0..site.boards.len())
            .map(|i| values::board(site, i))
            .collect();
        let boards_changed: Vec<bool> = boards
            .iter()
            .enumerate()
            .map(|(i, b)| self.values.boards.get(i) != Some(b))
            .collect();
        self.values.boards = boards;
        let lists_changed: Vec<bool> = site
            .boards
            .iter()
            .enumerate()
            .map(|(i, b)| change.boards.get(i) != Some(&b.pages))
            .collect();

        let (pages, series) = self.update_values(site, texts, change);

        // The search index.
        let mut search_changed = false;
        let mut removed: Vec<String> = Vec::new();
        let mut written = 0;
        if let Some(index) = &mut self.search {
            let before: HashMap<String, Vec<u8>> = index.files.iter().cloned().collect();
            index.rebuild(site, &texts.plain, &change.rendered);
            let now: BTreeSet<&String> = index.files.iter().map(|(p, _)| p).collect();
            removed.extend(before.keys().filter(|p| !now.contains(p)).cloned());
            for (path, bytes) in &index.files {
                if before.get(path) != Some(bytes) {
                    write(sink, path, bytes).map_err(|d| vec![d])?;
                    written += 1;
                    search_changed = true;
                }
            }
            if search_changed {
                self.values.search = search_value(site, index);
            }
        }

        // Which outputs to render.
        let old_files = std::mem::take(&mut self.files);
        let mut old_deps: HashMap<&str, Deps> = old_files
            .iter()
            .map(String::as_str)
            .zip(std::mem::take(&mut self.deps))
            .collect();
        let new_files: Vec<String> = new_jobs.iter().map(|j| job_file(&plan, j)).collect();
        let kept: BTreeSet<&String> = new_files.iter().collect();
        removed.extend(old_files.iter().filter(|f| !kept.contains(f)).cloned());
        let terms_changed = |ti: usize, slug: &str| {
            change
                .taxonomies
                .get(ti)
                .and_then(|t| t.terms.get(slug))
                .map(|t| &t.pages)
                != site.taxonomies[ti].terms.get(slug).map(|t| &t.pages)
        };
        let board_of = |key: &str| {
            site.content.pages[key]
                .board
                .as_ref()
                .and_then(|b| site.boards.iter().position(|x| &x.config.key == b))
        };
        let shows = |d: &Deps| {
            d.pages.iter().any(|p| pages.contains(p)) || d.series.iter().any(|s| series.contains(s))
        };
        let todo: Vec<usize> = (0..new_jobs.len())
            .filter(|&i| {
                let Some(deps) = old_deps.get(new_files[i].as_str()) else {
                    return true;
                };
                everything
                    || shows(deps)
                    || match &new_jobs[i] {
                        Job::Page(k) => {
                            change.rendered.contains(k)
                                || board_of(k).is_some_and(|b| boards_changed[b])
                        }
                        Job::Board { index, .. } => lists_changed[*index] || boards_changed[*index],
                        Job::Home | Job::TaxonomyList(_) => true,
                        Job::Term { taxonomy, slug, .. } => terms_changed(*taxonomy, slug),
                        Job::Search => search_changed,
                        Job::NotFound => false,
                    }
            })
            .collect();
        let r = Renderer {
            site,
            templates,
            v: &self.values,
        };
        let results: Vec<(usize, Result<Deps, Diagnostic>)> = todo
            .par_iter()
            .map(|&i| (i, r.run(&new_jobs[i], sink)))
            .collect();
        let mut deps: Vec<Option<Deps>> = new_files.iter().map(|_| None).collect();
        let mut failures = Vec::new();
        for (i, result) in results {
            match result {
                Ok(d) => {
                    deps[i] = Some(d);
                    written += 1;
                }
                Err(e) => failures.push(e),
            }
        }
        self.deps = deps
            .into_iter()
            .zip(&new_files)
            .map(|(d, f)| {
                d.or_else(|| old_deps.remove(f.as_str()))
                    .unwrap_or_default()
            })
            .collect();
        drop(old_deps);
        self.jobs = new_jobs;
        self.files = new_files;

        // Feeds, sitemap, redirects: made again whole (they are small).
        let mut diags = Vec::new();
        let mut generated = crate::feeds::feeds(site, &texts.html);
        generated.extend(crate::feeds::sitemap(
            site,
            &plan.sitemap_entries(&self.jobs),
        ));
        generated.extend(plan.redirects(&self.jobs, &mut diags));
        let search_files = self.search.as_ref().map_or(&[][..], |i| i.files.as_slice());
        let paths = generated
            .iter()
            .chain(search_files)
            .map(|(p, _)| p.as_str())
            .chain(std::iter::once("syntax.css"));
        diags.extend(plan.clashes(&self.jobs, copies, paths));
        let names: BTreeSet<String> = generated.iter().map(|(p, _)| p.clone()).collect();
        removed.extend(self.generated.difference(&names).cloned());
        for (path, bytes) in &generated {
            write(sink, path, bytes).map_err(|d| vec![d])?;
            written += 1;
        }
        self.generated = names;
        merge_repeated(&mut diags, failures.into_iter());
        if diags.is_empty() {
            Ok(Updated { written, removed })
        } else {
            Err(diags)
        }
    }

    /// Makes again the values of the pages and series `change` may have
    /// touched; returns the keys and slugs whose values differ.
    fn update_values(
        &mut self,
        site: &Site,
        texts: &Texts,
        change: &SiteChange,
    ) -> (BTreeSet<String>, BTreeSet<String>) {
        let touched: BTreeSet<&String> = change.edited.iter().chain(&change.removed).collect();
        // Series whose lessons, order or name changed.
        let mut series_moved: BTreeSet<String> = site
            .series
            .iter()
            .filter(|(slug, s)| {
                change
                    .series
                    .get(*slug)
                    .is_none_or(|o| o.name != s.name || o.pages != s.pages)
            })
            .map(|(slug, _)| slug.clone())
            .collect();
        series_moved.extend(
            change
                .series
                .keys()
                .filter(|slug| !site.series.contains_key(*slug))
                .cloned(),
        );
        // Terms whose name changed (pages show it).
        let mut renamed: BTreeSet<(usize, &String)> = BTreeSet::new();
        for (ti, tax) in site.taxonomies.iter().enumerate() {
            for (slug, term) in &tax.terms {
                let before = change.taxonomies.get(ti).and_then(|t| t.terms.get(slug));
                if before.is_some_and(|b| b.name != term.name) {
                    renamed.insert((ti, slug));
                }
            }
        }
        let mut candidates: BTreeSet<&String> = change.rendered.iter().collect();
        for (key, links) in &site.links {
            let before = change.links.get(key);
            let neighbour = [&links.prev, &links.next]
                .into_iter()
                .flatten()
                .any(|n| touched.contains(n));
            let in_series = links
                .series
                .as_ref()
                .is_some_and(|(s, _)| series_moved.contains(s));
            if before != Some(links) || neighbour || in_series {
                candidates.insert(key);
            }
        }
        for (ti, slug) in &renamed {
            candidates.extend(&site.taxonomies[*ti].terms[*slug].pages);
        }

        let shared = values::Shared::new(site);
        let lists = site.config.lists;
        let fresh: Vec<(&String, tera::Value)> = candidates
            .par_iter()
            .map(|k| (*k, values::page(site, &texts.html, &shared, k)))
            .collect();
        let mut changed: BTreeSet<String> = change.removed.iter().cloned().collect();
        for key in &change.removed {
            self.values.pages.remove(key);
            if let Some(own) = &mut self.values.own {
                Arc::make_mut(own).pages.remove(key);
            }
        }
        for (key, whole) in fresh {
            let differs = match &mut self.values.own {
                Some(own) => {
                    let own = Arc::make_mut(own);
                    let listed = values::for_lists(&whole, lists);
                    let differs = own.pages.get(key) != Some(&whole)
                        || self.values.pages.get(key) != Some(&listed);
                    own.pages.insert(key.clone(), whole);
                    self.values.pages.insert(key.clone(), listed);
                    differs
                }
                None => self.values.pages.insert(key.clone(), whole.clone()) != Some(whole),
            };
            if differs {
                changed.insert(key.clone());
            }
        }

        // Series values: lessons as lists show them, and whole.
        let mut series: BTreeSet<String> = series_moved;
        for slug in site.series.keys() {
            let shown = site.series[slug].pages.iter().any(|k| changed.contains(k));
            if !shown && !series.contains(slug) {
                continue;
            }
            let value = values::series(site, slug, &self.values.pages);
            if self.values.series.insert(slug.clone(), value.clone()) != Some(value) {
                series.insert(slug.clone());
            }
            if let Some(own) = &mut self.values.own {
                let own = Arc::make_mut(own);
                let value = values::series(site, slug, &own.pages);
                if own.series.insert(slug.clone(), value.clone()) != Some(value) {
                    series.insert(slug.clone());
                }
            }
        }
        for slug in change.series.keys() {
            if !site.series.contains_key(slug) {
                self.values.series.remove(slug);
                if let Some(own) = &mut self.values.own {
                    Arc::make_mut(own).series.remove(slug);
                }
            }
        }
        (changed, series)
    }
}
