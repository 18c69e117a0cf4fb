//! What the dev server keeps of a render to re-render only the outputs
//! that show a page whose text changed.

use super::jobs::Renderer;
use super::plan::Job;
use super::shared::Values;
use super::{merge_repeated, search_value, write};
use crate::error::Diagnostic;
use crate::output::Sink;
use crate::site::{Site, Texts};
use crate::templates::Templates;
use crate::values;
use rayon::prelude::*;

/// Which page and series values a job's output shows.
#[derive(Debug, Default)]
pub(super) struct Deps {
    pub(super) pages: Vec<String>,
    pub(super) series: Vec<String>,
}

/// One render's jobs and values: enough for the dev server to re-render
/// only the outputs that show a page whose text changed.
pub struct RenderCache {
    pub(super) values: Values,
    pub(super) jobs: Vec<Job>,
    pub(super) deps: Vec<Deps>,
    /// The file each job writes.
    pub(super) files: Vec<String>,
    /// Each feed's path and the pages it shows.
    pub(super) feeds: std::collections::HashMap<String, Vec<String>>,
    /// The sitemap files (with robots.txt) and the redirect pages.
    pub(super) sitemaps: std::collections::BTreeSet<String>,
    pub(super) redirects: std::collections::BTreeSet<String>,
    pub(super) search: Option<crate::search::SearchIndex>,
    /// What the last update left for the search index.
    pub(super) pending: Option<super::regenerate::Pending>,
}

impl RenderCache {
    /// After templates changed (not UI strings, data or files): renders
    /// again the outputs made with one of the templates `names`, from the
    /// kept values. Returns how many.
    pub fn rerender_templates(
        &mut self,
        site: &Site,
        templates: &Templates,
        names: &std::collections::BTreeSet<String>,
        sink: &dyn Sink,
    ) -> Result<usize, Vec<Diagnostic>> {
        let plan = super::plan::Plan { site, templates };
        let missing = plan.check_templates(&self.jobs);
        if !missing.is_empty() {
            return Err(missing);
        }
        // A kind's own template added or removed moves its pages to or
        // from the template of the kind it extends: those pages too.
        let mut names = names.clone();
        for k in site.config.kinds.all() {
            for folder in ["", "board/"] {
                if names.contains(&format!("{folder}{}.html", k.name)) {
                    for parent in site.config.kinds.chain(&k.name).into_iter().skip(1) {
                        names.insert(format!("{folder}{parent}.html"));
                    }
                }
            }
        }
        let todo: Vec<usize> = (0..self.jobs.len())
            .filter(|&i| names.contains(&plan.template_for(&self.jobs[i]).0))
            .collect();
        let (done, diags) = self.run_jobs(site, templates, &todo, sink);
        if !diags.is_empty() {
            return Err(diags);
        }
        let count = done.len();
        for (i, d) in done {
            self.deps[i] = d;
        }
        Ok(count)
    }

    /// Renders the jobs `todo` into `sink` in parallel from the kept
    /// values; returns what each showed, and the template errors (a mistake
    /// failing many pages said once).
    pub(super) fn run_jobs(
        &self,
        site: &Site,
        templates: &Templates,
        todo: &[usize],
        sink: &dyn Sink,
    ) -> (Vec<(usize, Deps)>, Vec<Diagnostic>) {
        let r = Renderer {
            site,
            templates,
            v: &self.values,
        };
        let results: Vec<(usize, Result<Deps, Diagnostic>)> = todo
            .par_iter()
            .map(|&i| (i, r.run(&self.jobs[i], sink)))
            .collect();
        let mut done = Vec::with_capacity(results.len());
        let mut failures = Vec::new();
        for (i, result) in results {
            match result {
                Ok(d) => done.push((i, d)),
                Err(e) => failures.push(e),
            }
        }
        let mut diags = Vec::new();
        merge_repeated(&mut diags, failures.into_iter());
        (done, diags)
    }

    /// Takes the kept search index out to render again with it, letting
    /// go of the rest (the new render must not be held beside it).
    pub fn take_search(&mut self) -> Option<crate::search::SearchIndex> {
        self.values.pages = Default::default();
        self.values.own = None;
        self.values.series = Default::default();
        self.deps = Vec::new();
        self.jobs = Vec::new();
        self.files = Vec::new();
        self.search.take()
    }

    /// After the text (not the front matter) of `keys` changed in `site`:
    /// re-renders every output that shows one of them, the feeds and the
    /// search index, into `sink`. Returns how many files were written.
    pub fn update_pages(
        &mut self,
        site: &Site,
        texts: &Texts,
        templates: &Templates,
        keys: &[String],
        sink: &dyn Sink,
    ) -> Result<usize, Vec<Diagnostic>> {
        let mut series = Vec::new();
        let shared = values::Shared::new(site);
        let lists = site.config.lists;
        for key in keys {
            let whole = values::page(site, &texts.html, &shared, key);
            let listed = match &mut self.values.own {
                Some(own) => {
                    let listed = values::for_lists(&whole, lists);
                    std::sync::Arc::make_mut(own)
                        .pages
                        .insert(key.clone(), whole);
                    listed
                }
                None => whole,
            };
            self.values.pages.insert(key.clone(), listed);
            if let Some((slug, _)) = &site.links[key].series {
                series.push(slug.clone());
            }
        }
        for slug in &series {
            let value = values::series(site, slug, &self.values.pages);
            self.values.series.insert(slug.clone(), value);
            if let Some(own) = &mut self.values.own {
                let own = std::sync::Arc::make_mut(own);
                let value = values::series(site, slug, &own.pages);
                own.series.insert(slug.clone(), value);
            }
        }
        let mut written = 0;
        let mut search_changed = false;
        if let Some(index) = &mut self.search {
            for key in keys {
                for i in index.update(site, &texts.plain, key).unwrap_or_default() {
                    let (path, bytes) = &index.files[i];
                    write(sink, path, bytes).map_err(|d| vec![d])?;
                    written += 1;
                    search_changed = true;
                }
            }
            if search_changed {
                self.values.search = search_value(site, index);
            }
        }
        let affected: Vec<usize> = (0..self.jobs.len())
            .filter(|&i| {
                let d = &self.deps[i];
                (search_changed && matches!(self.jobs[i], Job::Search))
                    || d.pages.iter().any(|p| keys.contains(p))
                    || d.series.iter().any(|s| series.contains(s))
            })
            .collect();
        let (done, diags) = self.run_jobs(site, templates, &affected, sink);
        written += done.len();
        for (i, d) in done {
            self.deps[i] = d;
        }
        for (path, bytes) in crate::feeds::feeds(site, &texts.html) {
            write(sink, &path, &bytes).map_err(|d| vec![d])?;
            written += 1;
        }
        if diags.is_empty() {
            Ok(written)
        } else {
            Err(diags)
        }
    }
}
