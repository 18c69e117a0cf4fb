//! What a dev-server update makes again besides the pages (see
//! [`super::update`]): the feeds whose pages or their values changed, the
//! sitemap when a date or the outputs changed, and the redirects when
//! aliases, titles or the outputs changed, made beside the pages; and the
//! search index, made once browsers were told to reload.

use super::cache::RenderCache;
use super::plan::{Job, Plan};
use super::{search_value, write};
use crate::error::Diagnostic;
use crate::output::Sink;
use crate::site::{Site, SiteChange, Texts};
use crate::templates::Templates;
use std::collections::{BTreeSet, HashMap};

/// What the updates read.
pub(super) struct Inputs<'a> {
    pub plan: &'a Plan<'a>,
    pub jobs: &'a [Job],
    /// The files of `jobs`, in their order.
    pub files: &'a [String],
    pub texts: &'a Texts,
    pub change: &'a SiteChange,
    /// The outputs are the ones there were.
    pub same_shape: bool,
    /// Pages whose values changed.
    pub pages: &'a rustc_hash::FxHashSet<&'a str>,
    pub sink: &'a dyn Sink,
}

/// What an update wrote and took away.
pub(super) struct Done {
    pub written: usize,
    /// Files no longer made.
    pub removed: Vec<String>,
    pub diags: Vec<Diagnostic>,
    /// Some generated file came or went, or the outputs did: the check
    /// that no two sources share a path is due.
    pub outputs_changed: bool,
}

/// The generated files a build made: each feed's pages, the sitemap files
/// and the redirect pages.
pub(super) struct Made {
    pub feeds: HashMap<String, Vec<String>>,
    pub sitemaps: BTreeSet<String>,
    pub redirects: BTreeSet<String>,
}

impl Made {
    /// Makes again the feeds whose pages or their values changed; the
    /// sitemap when a date or the outputs changed; the redirects when
    /// aliases, titles or the outputs changed.
    pub fn update(&mut self, i: &Inputs<'_>) -> Result<Done, Vec<Diagnostic>> {
        let (site, change) = (i.plan.site, i.change);
        let mut done = Done {
            written: 0,
            removed: Vec::new(),
            diags: Vec::new(),
            outputs_changed: !i.same_shape,
        };
        let shown_before = std::mem::take(&mut self.feeds);
        let (mut generated, feeds) =
            crate::feeds::feeds_where(site, &i.texts.html, &|path, keys| {
                shown_before.get(path).is_none_or(|k| k.as_slice() != keys)
                    || keys
                        .iter()
                        .any(|k| i.pages.contains(k.as_str()) || change.rendered.contains(k))
            });
        self.feeds = feeds.into_iter().collect();
        done.removed.extend(
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
        if !i.same_shape || dated {
            let entries = i.plan.sitemap_entries(i.jobs, i.files);
            let sitemaps = crate::feeds::sitemap(site, &entries);
            let names: BTreeSet<String> = sitemaps.iter().map(|(p, _)| p.clone()).collect();
            done.removed
                .extend(self.sitemaps.difference(&names).cloned());
            self.sitemaps = names;
            generated.extend(sitemaps);
        }
        if !i.same_shape || aliased {
            let redirects = i.plan.redirects(i.jobs, &mut done.diags);
            let names: BTreeSet<String> = redirects.iter().map(|(p, _)| p.clone()).collect();
            done.removed
                .extend(self.redirects.difference(&names).cloned());
            self.redirects = names;
            generated.extend(redirects);
            done.outputs_changed = true;
        }
        for (path, bytes) in &generated {
            write(i.sink, path, bytes).map_err(|d| vec![d])?;
            done.written += 1;
        }
        Ok(done)
    }
}

/// What an update left for [`RenderCache::finish_index`].
#[derive(Default)]
pub(crate) struct Pending {
    /// Pages whose Markdown was rendered again: to index again.
    pub rendered: BTreeSet<String>,
    /// The search page shows a changed value besides the index.
    pub search_page: bool,
}

impl RenderCache {
    /// The search index after [`RenderCache::update_site`], which leaves
    /// it so that browsers reload before it is made (the server holds
    /// requests for `search/` meanwhile): indexes the pages rendered
    /// again, writes the index files that changed, and the search page
    /// when the index or what it shows changed. Nothing when nothing is
    /// left; an error when a full build is due (a page to index has no
    /// text kept, or the index's files came or went).
    pub fn finish_index(
        &mut self,
        site: &Site,
        texts: &Texts,
        templates: &Templates,
        copies: &[super::Copy],
        sink: &dyn Sink,
    ) -> Result<super::update::Updated, Vec<Diagnostic>> {
        let mut out = super::update::Updated {
            written: 0,
            removed: Vec::new(),
        };
        let Some(pending) = self.pending.take() else {
            return Ok(out);
        };
        let Some(index) = &mut self.search else {
            return Ok(out);
        };
        let before: Vec<String> = index.files.iter().map(|(p, _)| p.clone()).collect();
        // The files that changed, or all of them when the index was made
        // again.
        let changed: Vec<usize> = match index
            .rebuild(site, &texts.plain, &pending.rendered)
            .map_err(|_| Vec::new())?
        {
            Some(files) => files,
            None => {
                let now: BTreeSet<&String> = index.files.iter().map(|(p, _)| p).collect();
                out.removed
                    .extend(before.iter().filter(|p| !now.contains(p)).cloned());
                (0..index.files.len()).collect()
            }
        };
        for &n in &changed {
            let (path, bytes) = &index.files[n];
            write(sink, path, bytes).map_err(|d| vec![d])?;
        }
        out.written = changed.len();
        if !changed.is_empty() {
            self.values.search = search_value(site, index);
        }
        // A detail chunk came or went: no two sources may share a path.
        let paths_changed = !index.files.iter().map(|(p, _)| p).eq(before.iter());
        if paths_changed {
            let diags = self.clashes(&Plan { site, templates }, copies);
            if !diags.is_empty() {
                return Err(diags);
            }
        }
        let search_job = self.jobs.iter().position(|j| matches!(j, Job::Search));
        if let Some(i) = search_job
            && (!changed.is_empty() || pending.search_page)
        {
            let (done, failures) = self.run_jobs(site, templates, &[i], sink);
            if !failures.is_empty() {
                return Err(failures);
            }
            for (i, d) in done {
                self.deps[i] = d;
                out.written += 1;
            }
        }
        Ok(out)
    }
}
