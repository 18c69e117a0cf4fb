//! Re-rendering what a change of pages shows (the dev server): after
//! [`crate::build::update::update_pages`] changed the site, the page values
//! that may differ are made again and compared with the kept ones, and
//! only the outputs showing a changed value or a changed list are
//! rendered again — with the feeds, sitemap, redirects and search index.
//! Outputs that no longer exist are reported for removal.

use super::cache::{Deps, RenderCache};
use super::plan::{Job, Plan, jobs};
use super::{Copy, search_value, write};
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
            let missing = plan.check_templates(&new_jobs);
            if !missing.is_empty() {
                return Err(missing);
            }
            let new_files: Vec<String> = new_jobs.iter().map(|j| job_file(&plan, j)).collect();
            let kept: BTreeSet<&String> = new_files.iter().collect();
            removed.extend(self.files.iter().filter(|f| !kept.contains(f)).cloned());
            let mut by_file: HashMap<&str, Deps> = self
                .files
                .iter()
                .map(String::as_str)
                .zip(std::mem::take(&mut self.deps))
                .collect();
            let old = new_files
                .iter()
                .map(|f| by_file.remove(f.as_str()))
                .collect();
            drop(by_file);
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
        let search_changed =
            self.update_search(site, texts, change, sink, &mut removed, &mut written)?;

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
        let todo: Vec<usize> = (0..self.jobs.len())
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
                                || board_of(k).is_some_and(|b| boards_changed[b])
                        }
                        Job::Board { index, .. } => lists_changed[*index] || boards_changed[*index],
                        Job::Home | Job::TaxonomyList(_) => true,
                        Job::Term { taxonomy, slug, .. } => {
                            terms_changed.contains(&(*taxonomy, slug.as_str()))
                        }
                        Job::Search => search_changed,
                        Job::NotFound => false,
                    }
            })
            .collect();
        let (done, failures) = self.run_jobs(site, templates, &todo, sink);
        let mut deps = old;
        written += done.len();
        for (i, d) in done {
            deps[i] = Some(d);
        }
        self.deps = deps.into_iter().map(Option::unwrap_or_default).collect();

        let mut diags = Vec::new();
        self.update_generated(
            &plan,
            texts,
            copies,
            change,
            same_shape,
            &pages,
            sink,
            &mut removed,
            &mut written,
            &mut diags,
        )?;
        diags.extend(failures);
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
            && change
                .edited
                .iter()
                .all(|k| change.links.get(k).map(|l| &l.path) == site.links.get(k).map(|l| &l.path))
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

    /// Indexes the change; writes the index files that changed. Returns
    /// whether any did.
    fn update_search(
        &mut self,
        site: &Site,
        texts: &Texts,
        change: &SiteChange,
        sink: &dyn Sink,
        removed: &mut Vec<String>,
        written: &mut usize,
    ) -> Result<bool, Vec<Diagnostic>> {
        let Some(index) = &mut self.search else {
            return Ok(false);
        };
        let before: Vec<String> = index.files.iter().map(|(p, _)| p.clone()).collect();
        // The files that changed, or all of them when the index was made
        // again (the snapshot keeps only those that differ).
        let rebuilt = index
            .rebuild(site, &texts.plain, &change.rendered)
            // The full build indexes every page again.
            .map_err(|_| Vec::new())?;
        let changed: Vec<usize> = match rebuilt {
            Some(files) => files,
            None => {
                let now: BTreeSet<&String> = index.files.iter().map(|(p, _)| p).collect();
                removed.extend(before.into_iter().filter(|p| !now.contains(p)));
                (0..index.files.len()).collect()
            }
        };
        for &i in &changed {
            let (path, bytes) = &index.files[i];
            write(sink, path, bytes).map_err(|d| vec![d])?;
            *written += 1;
        }
        let changed = !changed.is_empty();
        if changed {
            self.values.search = search_value(site, index);
        }
        Ok(changed)
    }

    /// Feeds whose pages or their values changed; the sitemap when a date
    /// or the outputs changed; redirects and the check that no two
    /// sources share a path when aliases, titles or the outputs changed.
    #[allow(clippy::too_many_arguments)]
    fn update_generated(
        &mut self,
        plan: &Plan<'_>,
        texts: &Texts,
        copies: &[Copy],
        change: &SiteChange,
        same_shape: bool,
        pages: &rustc_hash::FxHashSet<&str>,
        sink: &dyn Sink,
        removed: &mut Vec<String>,
        written: &mut usize,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(), Vec<Diagnostic>> {
        let site = plan.site;
        let shown_before = std::mem::take(&mut self.feeds);
        let (mut generated, feeds) = crate::feeds::feeds_where(site, &texts.html, &|path, keys| {
            shown_before.get(path).is_none_or(|k| k.as_slice() != keys)
                || keys
                    .iter()
                    .any(|k| pages.contains(k.as_str()) || change.rendered.contains(k))
        });
        self.feeds = feeds.into_iter().collect();
        removed.extend(
            shown_before
                .keys()
                .filter(|p| !self.feeds.contains_key(*p))
                .cloned(),
        );
        let meta = |k: &String| site.content.pages.get(k).map(|p| &p.meta);
        let dated = change.edited.iter().any(|k| {
            let (now, then) = (meta(k), change.before.get(k));
            now.map(|m| (m.date, m.updated)) != then.map(|m| (m.date, m.updated))
        });
        // A redirect page shows its page's title.
        let aliased = change.edited.iter().any(|k| {
            let (now, then) = (meta(k), change.before.get(k));
            let has = |m: Option<&crate::frontmatter::FrontMatter>| {
                m.is_some_and(|m| !m.aliases.is_empty())
            };
            (has(now) || has(then))
                && now.map(|m| (&m.aliases, &m.title)) != then.map(|m| (&m.aliases, &m.title))
        });
        if !same_shape || dated {
            let sitemaps = crate::feeds::sitemap(site, &plan.sitemap_entries(&self.jobs));
            let names: BTreeSet<String> = sitemaps.iter().map(|(p, _)| p.clone()).collect();
            removed.extend(self.sitemaps.difference(&names).cloned());
            self.sitemaps = names;
            generated.extend(sitemaps);
        }
        if !same_shape || aliased {
            let redirects = plan.redirects(&self.jobs, diags);
            let names: BTreeSet<String> = redirects.iter().map(|(p, _)| p.clone()).collect();
            removed.extend(self.redirects.difference(&names).cloned());
            self.redirects = names;
            generated.extend(redirects);
            let search_files = self.search.as_ref().map_or(&[][..], |i| i.files.as_slice());
            let paths = self
                .redirects
                .iter()
                .map(String::as_str)
                .chain(self.feeds.keys().map(String::as_str))
                .chain(self.sitemaps.iter().map(String::as_str))
                .chain(search_files.iter().map(|(p, _)| p.as_str()))
                .chain(["syntax.css"]);
            diags.extend(plan.clashes(&self.jobs, copies, paths));
        }
        for (path, bytes) in &generated {
            write(sink, path, bytes).map_err(|d| vec![d])?;
            *written += 1;
        }
        Ok(())
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
                .chain(&links.related)
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
