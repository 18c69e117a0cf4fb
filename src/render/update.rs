//! Re-rendering what a change of pages shows (the dev server): after
//! [`crate::build::update::update_pages`] changed the site, the page values
//! that may differ are made again and compared with the kept ones, and
//! only the outputs showing a changed value or a changed list are
//! rendered again — with the feeds, sitemap, redirects and search index.
//! Outputs that no longer exist are reported for removal.

use super::Copy;
use super::cache::{Deps, RenderCache};
use super::plan::{Job, Plan, jobs};
use super::regenerate::{Inputs, Made, Pending};
use crate::error::Diagnostic;
use crate::output::Sink;
use crate::site::{Site, SiteChange, Texts};
use crate::templates::Templates;
use crate::values;
use rayon::prelude::*;
use std::collections::BTreeSet;
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
        let same_shape = self.same_shape(site, change);
        let mut removed: Vec<String> = Vec::new();
        // Each job's record of what it showed (`None`: a new job).
        let old: Vec<Option<Deps>> = if same_shape {
            let edited: Vec<Job> = change.edited.iter().map(|k| Job::Page(k.clone())).collect();
            let missing = plan.check_templates(&edited);
            if !missing.is_empty() {
                return Err(missing);
            }
            std::mem::take(&mut self.deps)
                .into_iter()
                .map(Some)
                .collect()
        } else {
            let new_jobs = jobs(site);
            let new_files: Vec<String> = new_jobs.iter().map(|j| job_file(&plan, j)).collect();
            let old_at: rustc_hash::FxHashMap<&str, usize> = self
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.as_str(), i))
                .collect();
            // Templates are as they were: only new outputs and edited pages
            // (whose `template` may have changed) can miss theirs.
            let unseen: Vec<Job> = new_jobs
                .iter()
                .zip(&new_files)
                .filter(|(j, f)| {
                    !old_at.contains_key(f.as_str())
                        || matches!(j, Job::Page(k) if change.edited.contains(k))
                })
                .map(|(j, _)| j.clone())
                .collect();
            let missing = plan.check_templates(&unseen);
            if !missing.is_empty() {
                return Err(missing);
            }
            let now: rustc_hash::FxHashSet<&str> = new_files.iter().map(String::as_str).collect();
            removed.extend(
                self.files
                    .iter()
                    .filter(|f| !now.contains(f.as_str()))
                    .cloned(),
            );
            let mut deps: Vec<Option<Deps>> = std::mem::take(&mut self.deps)
                .into_iter()
                .map(Some)
                .collect();
            let old = new_files
                .iter()
                .map(|f| old_at.get(f.as_str()).and_then(|&i| deps[i].take()))
                .collect();
            drop((old_at, now));
            self.jobs = new_jobs;
            self.files = new_files;
            old
        };

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

        let mut written = 0;

        // Which outputs to render.
        // Terms whose pages changed, compared once (not for every pager).
        let terms_changed: std::collections::HashSet<(usize, &str)> = site
            .taxonomies
            .iter()
            .enumerate()
            .flat_map(|(ti, t)| t.terms.iter().map(move |(slug, term)| (ti, slug, term)))
            .filter(|(ti, slug, term)| {
                change
                    .taxonomies
                    .get(*ti)
                    .and_then(|t| t.terms.get(*slug))
                    .map(|t| &t.pages)
                    != Some(&term.pages)
            })
            .map(|(ti, slug, _)| (ti, slug.as_str()))
            .collect();
        let pages: rustc_hash::FxHashSet<&str> = pages.iter().map(String::as_str).collect();
        let series: rustc_hash::FxHashSet<&str> = series.iter().map(String::as_str).collect();
        let board_of = |key: &str| {
            site.content.pages[key]
                .board
                .as_ref()
                .and_then(|b| site.boards.iter().position(|x| &x.config.key == b))
        };
        let shows = |d: &Deps| {
            d.pages.iter().any(|p| pages.contains(p.as_str()))
                || d.series.iter().any(|s| series.contains(s.as_str()))
        };
        let any_board_changed = boards_changed.iter().any(|&b| b);
        let todo: Vec<usize> = (0..self.jobs.len())
            .into_par_iter()
            .filter(|&i| {
                let Some(deps) = &old[i] else {
                    return true;
                };
                everything
                    || shows(deps)
                    || (!change.templates.is_empty()
                        && change
                            .templates
                            .contains(&plan.template_for(&self.jobs[i]).0))
                    || match &self.jobs[i] {
                        Job::Page(k) => {
                            change.rendered.contains(k)
                                || (any_board_changed
                                    && board_of(k).is_some_and(|b| boards_changed[b]))
                        }
                        Job::Board { index, .. } => lists_changed[*index] || boards_changed[*index],
                        Job::Home | Job::TaxonomyList(_) => true,
                        Job::Term { taxonomy, slug, .. } => {
                            terms_changed.contains(&(*taxonomy, slug.as_str()))
                        }
                        // Decided once the index is made (below).
                        Job::Search => false,
                        Job::NotFound => false,
                    }
            })
            .collect();
        // The search page shows the index's version: it is rendered with
        // the index, after browsers were told to reload
        // ([`RenderCache::finish_index`]).
        let search_job = self.jobs.iter().position(|j| matches!(j, Job::Search));
        let (todo, search_wanted): (Vec<usize>, Vec<usize>) =
            todo.into_iter().partition(|i| Some(*i) != search_job);
        let mut made = Made {
            feeds: std::mem::take(&mut self.feeds),
            sitemaps: std::mem::take(&mut self.sitemaps),
            redirects: std::mem::take(&mut self.redirects),
        };
        let this = &*self;
        let inputs = Inputs {
            plan: &plan,
            jobs: &this.jobs,
            files: &this.files,
            texts,
            change,
            same_shape,
            pages: &pages,
            sink,
        };
        // The outputs, and the feeds and sitemap, side by side.
        let ((done, failures), generated) = rayon::join(
            || this.run_jobs(site, templates, &todo, sink),
            || made.update(&inputs),
        );
        let pending = self.pending.get_or_insert_with(Pending::default);
        pending.rendered.extend(change.rendered.iter().cloned());
        pending.search_page |= !search_wanted.is_empty();
        let mut deps = old;
        written += done.len();
        for (i, d) in done {
            deps[i] = Some(d);
        }
        self.deps = deps.into_iter().map(Option::unwrap_or_default).collect();

        let generated = generated?;
        (self.feeds, self.sitemaps, self.redirects) = (made.feeds, made.sitemaps, made.redirects);
        removed.extend(generated.removed);
        written += generated.written;
        let mut diags = generated.diags;
        if generated.outputs_changed {
            diags.extend(self.clashes(&plan, copies));
        }
        diags.extend(failures);
        // The index is made after browsers reload: only when it can be
        // made from what is kept (else a full build now, which makes it).
        let pending = self.pending.as_ref().map(|p| &p.rendered);
        if let (Some(index), Some(rendered)) = (&self.search, pending)
            && !index.can_rebuild(site, &texts.plain, rendered)
        {
            return Err(Vec::new());
        }
        if diags.is_empty() {
            Ok(Updated { written, removed })
        } else {
            Err(diags)
        }
    }

    /// Whether the site has the same outputs at the same paths as before
    /// `change`: no page came or went or moved, and every board and term
    /// has as many pagers as before.
    fn same_shape(&self, site: &Site, change: &SiteChange) -> bool {
        let pagers = |n: usize, per: Option<usize>| super::plan::pagination(n, per);
        change.removed.is_empty()
            && change.edited.iter().all(|k| {
                change.links_before(k, &site.links).map(|l| &l.path)
                    == site.links.get(k).map(|l| &l.path)
            })
            && site.boards.iter().zip(&change.boards).all(|(b, before)| {
                pagers(b.pages.len(), b.config.paginate) == pagers(before.len(), b.config.paginate)
            })
            && site
                .taxonomies
                .iter()
                .zip(&change.taxonomies)
                .enumerate()
                .all(|(ti, (t, before))| {
                    let per = site.config.taxonomies[ti].paginate;
                    t.terms.len() == before.terms.len()
                        && t.terms.iter().all(|(slug, term)| {
                            before.terms.get(slug).is_some_and(|b| {
                                pagers(b.pages.len(), per) == pagers(term.pages.len(), per)
                            })
                        })
                })
    }

    /// The check that no two sources share an output path.
    pub(super) fn clashes(&self, plan: &Plan<'_>, copies: &[Copy]) -> Vec<Diagnostic> {
        let search_files = self.search.as_ref().map_or(&[][..], |i| i.files.as_slice());
        let paths = self
            .redirects
            .iter()
            .map(String::as_str)
            .chain(self.feeds.keys().map(String::as_str))
            .chain(self.sitemaps.iter().map(String::as_str))
            .chain(search_files.iter().map(|(p, _)| p.as_str()))
            .chain(["syntax.css"]);
        plan.clashes(&self.jobs, &self.files, copies, paths)
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
            let differs = change.links.contains_key(key);
            let neighbour = [&links.prev, &links.next]
                .into_iter()
                .flatten()
                .chain(&links.related)
                .any(|n| touched.contains(n));
            let in_series = links
                .series
                .as_ref()
                .is_some_and(|(s, _)| series_moved.contains(s));
            if differs || neighbour || in_series {
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
