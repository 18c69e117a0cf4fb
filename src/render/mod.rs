//! Rendering: every output page through its template, in parallel, into a
//! [`Sink`]. Template values come from [`crate::values`], built once.

use crate::error::Diagnostic;
use crate::msg;
use crate::output::Sink;
use crate::site::Site;
use crate::templates::Templates;
use crate::theme::Origin;
use crate::values::{self, map};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use tera::Value;

mod cache;
mod clash;
mod jobs;
mod plan;
mod regenerate;
mod shared;
mod update;
use cache::Deps;
pub use cache::RenderCache;
use jobs::Renderer;
use plan::{Job, Plan, jobs};
pub use shared::PageWriter;
use shared::{Own, Values, series_values};
pub use update::Updated;

/// A file copied as is: from the site, or from the built-in theme.
pub struct Copy {
    pub to: String,
    pub from: Origin,
}

impl Copy {
    /// A file of the site copied to `to`.
    pub fn file(to: String, from: PathBuf) -> Copy {
        Copy {
            to,
            from: Origin::Disk(from),
        }
    }

    /// How messages name its source.
    pub fn shown(&self, root: &std::path::Path) -> String {
        match &self.from {
            Origin::Disk(p) => crate::confine::shown(root, p),
            Origin::Embedded(_) => format!("(built-in theme) static/{}", self.to),
        }
    }

    fn copy_into(&self, sink: &dyn Sink) -> std::io::Result<()> {
        match &self.from {
            Origin::Disk(p) => sink.copy(&self.to, p),
            Origin::Embedded(bytes) => sink.write(&self.to, bytes),
        }
    }
}

/// Missing templates, found before any page is rendered.
pub fn check_templates(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    Plan { site, templates }.check_templates(&jobs(site))
}

/// What a render produced.
pub struct RenderReport {
    pub files: usize,
    pub search: Option<crate::search::SearchStats>,
}

/// What to render besides the pages.
pub struct RenderInput<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    /// Files copied as they are.
    pub copies: &'a [Copy],
    /// Generated files written as they are.
    pub extra_files: &'a [(String, Vec<u8>)],
    /// The pages' HTML: every page's for [`Pages::Whole`], only that of
    /// the pages a feed shows in full for [`Pages::Written`].
    pub html: &'a std::collections::BTreeMap<String, crate::site::Html>,
    /// The search index, built beforehand (`None` when search is off).
    pub search: Option<crate::search::SearchIndex>,
    /// Keep what [`RenderCache::update_pages`] needs (the dev server).
    pub keep: bool,
    pub pages: Pages,
}

/// The pages' values, and whether their own outputs are still to render.
pub enum Pages {
    /// Made here from the site's rendered Markdown; every output is
    /// rendered (a build kept in memory).
    Whole,
    /// Made by a one-off build while it wrote each page's own output (see
    /// [`crate::stream`]): the values lists show; only the other outputs
    /// are left to render.
    Written(HashMap<String, Value>),
    /// As `Written`, but the values lists show are made here, after the
    /// search index ([`crate::build::BuildOptions::low_memory`]).
    Later,
}

fn search_value(site: &Site, index: &crate::search::SearchIndex) -> Value {
    map([
        ("docs", Value::from(index.stats.docs)),
        ("shards", Value::from(index.stats.shards)),
        ("chunk", Value::from(crate::search::DOCS_PER_CHUNK)),
        ("version", Value::from(index.version())),
        ("url", Value::from(site.url("search/"))),
    ])
}

/// Renders the whole site. Returns every template error found.
pub fn render_site(
    input: RenderInput<'_>,
    sink: &dyn Sink,
    timings: &mut crate::timings::Timings,
) -> Result<(RenderReport, RenderCache), Vec<Diagnostic>> {
    let (site, templates) = (input.site, input.templates);
    let mut clock = std::time::Instant::now();
    let plan = Plan { site, templates };
    let jobs = jobs(site);
    // Feeds, sitemap and redirects need no template values: they are made
    // while the values are built.
    let written = !matches!(input.pages, Pages::Whole);
    let ((pages, series, own), (mut diags, generated)) = rayon::join(
        || match input.pages {
            Pages::Written(listed) => {
                let series = series_values(site, &listed);
                (listed, series, None)
            }
            Pages::Later => {
                let listed = values::listed(site, input.html);
                let series = series_values(site, &listed);
                (listed, series, None)
            }
            Pages::Whole => {
                let whole = values::pages(site, input.html);
                let lists = site.config.lists;
                if lists.content && lists.toc {
                    let series = series_values(site, &whole);
                    return (whole, series, None);
                }
                let listed: HashMap<String, Value> = whole
                    .iter()
                    .map(|(k, v)| (k.clone(), values::for_lists(v, lists)))
                    .collect();
                let own = Own {
                    series: series_values(site, &whole),
                    pages: whole,
                };
                let series = series_values(site, &listed);
                (listed, series, Some(std::sync::Arc::new(own)))
            }
        },
        || {
            // A one-off build checked them before writing pages.
            let mut diags = if written {
                Vec::new()
            } else {
                plan.check_templates(&jobs)
            };
            let files: Vec<String> = jobs.iter().map(|j| update::job_file(&plan, j)).collect();
            let sitemap_urls = plan.sitemap_entries(&jobs, &files);
            let (mut generated, feeds) = crate::feeds::feeds_where(site, input.html, &|_, _| true);
            let sitemaps = crate::feeds::sitemap(site, &sitemap_urls);
            let redirects = plan.redirects(&jobs, &mut diags);
            let names =
                |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect();
            let names = (
                feeds.into_iter().collect(),
                names(&sitemaps),
                names(&redirects),
            );
            generated.extend(sitemaps);
            generated.extend(redirects);
            generated.extend(input.extra_files.iter().cloned());
            let search_files = input
                .search
                .as_ref()
                .map_or(&[][..], |i| i.files.as_slice());
            let generated_paths = generated
                .iter()
                .chain(search_files)
                .map(|(p, _)| p.as_str());
            diags.extend(plan.clashes(&jobs, &files, input.copies, generated_paths));
            (diags, (generated, names, files))
        },
    );
    let (generated, (feeds, sitemaps, redirects), files) = generated;
    timings.lap("values", &mut clock);
    let search_index = input.search;
    let v = Values {
        pages,
        series,
        own,
        search: search_index
            .as_ref()
            .map_or(Value::none(), |i| search_value(site, i)),
        ..Values::common(site, templates)
    };
    let r = Renderer {
        site,
        templates,
        v: &v,
    };

    if !diags.is_empty() {
        return Err(diags);
    }
    // Written (and let go of) before the pages, which are the memory peak.
    let search_files = search_index
        .as_ref()
        .map_or(&[][..], |i| i.files.as_slice());
    let all: Vec<&(String, Vec<u8>)> = generated.iter().chain(search_files).collect();
    diags.extend(
        all.par_iter()
            .filter_map(|(path, bytes)| write(sink, path, bytes).err())
            .collect::<Vec<_>>(),
    );
    let generated_files = all.len();
    drop(all);
    drop(generated);
    let search_stats = search_index.as_ref().map(|i| i.stats.clone());
    let search_index = search_index.filter(|_| input.keep);
    timings.lap("feeds", &mut clock);
    let results: Vec<Result<Deps, Diagnostic>> = jobs
        .par_iter()
        .map(|job| match job {
            Job::Page(_) if written => Ok(Deps::default()),
            _ => r.run(job, sink),
        })
        .collect();
    timings.lap("pages", &mut clock);
    // Image variants made while rendering pages and shortcodes.
    let variants: Vec<Copy> = templates
        .images
        .outputs()
        .into_iter()
        .map(|(to, from)| Copy::file(to, from))
        .collect();
    let copied: Vec<Result<(), Diagnostic>> = input
        .copies
        .iter()
        .chain(variants.iter())
        .collect::<Vec<_>>()
        .par_iter()
        .map(|c| {
            c.copy_into(sink).map_err(|e| {
                Diagnostic::error(c.shown(&site.root), msg!("cannot-copy", why = e))
                    .hint(msg!("cannot-write-hint"))
            })
        })
        .collect();
    let mut deps = Vec::with_capacity(jobs.len());
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(d) => deps.push(d),
            Err(e) => {
                deps.push(Deps::default());
                failures.push(e);
            }
        }
    }
    merge_repeated(
        &mut diags,
        failures
            .into_iter()
            .chain(copied.into_iter().filter_map(Result::err)),
    );
    timings.lap("copy+write", &mut clock);
    if !diags.is_empty() {
        return Err(diags);
    }
    let report = RenderReport {
        files: jobs.len() + input.copies.len() + generated_files,
        search: search_stats,
    };
    Ok((
        report,
        RenderCache {
            values: v,
            files: if input.keep { files } else { Vec::new() },
            feeds,
            sitemaps,
            redirects,
            jobs,
            deps,
            search: search_index,
            pending: None,
        },
    ))
}

/// Writes one generated file.
fn write(sink: &dyn Sink, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    sink.write(path, bytes).map_err(|e| {
        Diagnostic::error(path, msg!("cannot-write", why = e)).hint(msg!("cannot-write-hint"))
    })
}

/// Adds `found` to `diags`, saying a template mistake that fails many
/// pages once.
pub(crate) fn merge_repeated(diags: &mut Vec<Diagnostic>, found: impl Iterator<Item = Diagnostic>) {
    let mut seen: HashMap<(String, Option<usize>), usize> = HashMap::new();
    for d in found {
        let key = (d.file.clone(), d.line);
        match seen.get(&key) {
            Some(&i) => {
                let first: &mut Diagnostic = &mut diags[i];
                first.hint = Some(match first.hint.take() {
                    Some(h) if h.key() == Some("same-error-too") => h,
                    Some(h) => msg!("same-error-too", hint => h),
                    None => msg!("same-error-elsewhere"),
                });
            }
            None => {
                seen.insert(key, diags.len());
                diags.push(d);
            }
        }
    }
}
