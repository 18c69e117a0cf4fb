//! Rendering: every output page through its template, in parallel, into a
//! [`Sink`]. Template values come from [`crate::values`], built once.

use crate::error::Diagnostic;
use crate::output::Sink;
use crate::site::Site;
use crate::templates::{Templates, tera_diagnostic};
use crate::values::{self, map};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use tera::{Context, Value};

mod clash;
mod plan;
use plan::{Job, Plan, jobs, pagination};

/// A file copied as is.
pub struct Copy {
    pub to: String,
    pub from: PathBuf,
}

/// Template values computed once per render and shared by every job.
#[derive(Clone)]
pub struct Values {
    /// Page values as lists show them (see [`values::for_lists`]).
    pages: HashMap<String, Value>,
    /// Whole page and series values for the pages' own outputs, when lists
    /// show less (`None`: `pages` and `series` are whole).
    own: Option<std::sync::Arc<Own>>,
    site_value: Value,
    strings: Value,
    series: BTreeMap<String, Value>,
    /// Board values, in site.yaml order.
    boards: Vec<Value>,
    /// `search`, given to the search page only.
    search: Value,
}

/// Whole values of pages and series, for the pages' own outputs.
#[derive(Clone)]
pub struct Own {
    pages: HashMap<String, Value>,
    series: BTreeMap<String, Value>,
}

/// Series values made from `pages`.
fn series_values(site: &Site, pages: &HashMap<String, Value>) -> BTreeMap<String, Value> {
    site.series
        .keys()
        .map(|slug| (slug.clone(), values::series(site, slug, pages)))
        .collect()
}

impl Values {
    /// The values every job shares, without pages, series or search.
    fn common(site: &Site, templates: &Templates) -> Values {
        Values {
            pages: HashMap::new(),
            own: None,
            site_value: values::site(site),
            strings: Value::from_serializable(&templates.strings),
            series: BTreeMap::new(),
            boards: (0..site.boards.len())
                .map(|i| values::board(site, i))
                .collect(),
            search: Value::none(),
        }
    }
}

/// Writes pages' own outputs while a one-off build is still rendering the
/// rest of the site's Markdown, so that the HTML of every page is never
/// held at once: a page's output needs only its own value, its board's
/// and, for a lesson, its series' (with every lesson's value).
pub struct PageWriter<'a> {
    site: &'a Site,
    templates: &'a Templates,
    common: Values,
}

impl<'a> PageWriter<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates) -> Self {
        PageWriter {
            site,
            templates,
            common: Values::common(site, templates),
        }
    }

    /// Writes the outputs of `pages` (keys and values: one page, or the
    /// lessons of `series`, given with its value). Returns the template
    /// errors.
    pub fn write(
        &self,
        pages: HashMap<String, Value>,
        series: Option<(String, Value)>,
        sink: &dyn Sink,
    ) -> Vec<Diagnostic> {
        let v = Values {
            pages,
            series: series.into_iter().collect(),
            ..self.common.clone()
        };
        let r = Renderer {
            site: self.site,
            templates: self.templates,
            v: &v,
        };
        let mut keys: Vec<&String> = v.pages.keys().collect();
        keys.sort_unstable();
        keys.into_iter()
            .filter_map(|k| r.run(&Job::Page(k.clone()), sink).err())
            .collect()
    }
}

/// Missing templates, found before any page is rendered.
pub fn check_templates(site: &Site, templates: &Templates) -> Vec<Diagnostic> {
    Plan { site, templates }.check_templates(&jobs(site))
}

/// Which page and series values a job's output shows.
#[derive(Debug, Default)]
struct Deps {
    pages: Vec<String>,
    series: Vec<String>,
}

/// One render's jobs and values: enough for the dev server to re-render
/// only the outputs that show a page whose text changed.
pub struct RenderCache {
    values: Values,
    jobs: Vec<Job>,
    deps: Vec<Deps>,
    search: Option<crate::search::SearchIndex>,
}

/// A view of one render.
struct Renderer<'a> {
    site: &'a Site,
    templates: &'a Templates,
    v: &'a Values,
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
    /// The search index, built beforehand (`None` when search is off).
    pub search: Option<crate::search::SearchIndex>,
    /// Keep what [`RenderCache::update_pages`] needs (the dev server).
    pub keep: bool,
    /// The page values, when a one-off build made them while rendering
    /// the Markdown: the pages' own outputs are then written already.
    pub pages: Option<HashMap<String, Value>>,
}

/// Pager links either side of the current page in `paginator.pagers`.
const PAGER_WINDOW: usize = 2;

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
    let written = input.pages.is_some();
    let ((pages, series, own), (mut diags, generated)) = rayon::join(
        || match input.pages {
            // A one-off build: the pages' own outputs are written, and
            // these are the values lists show.
            Some(listed) => {
                let series = series_values(site, &listed);
                (listed, series, None)
            }
            None => {
                let whole = values::pages(site);
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
            let mut diags = plan.check_templates(&jobs);
            let sitemap_urls = plan.sitemap_entries(&jobs);
            let mut generated: Vec<(String, Vec<u8>)> = input.extra_files.to_vec();
            generated.extend(crate::feeds::feeds(site));
            generated.extend(crate::feeds::sitemap(site, &sitemap_urls));
            generated.extend(plan.redirects(&jobs, &mut diags));
            let search_files = input
                .search
                .as_ref()
                .map_or(&[][..], |i| i.files.as_slice());
            let generated_paths = generated
                .iter()
                .chain(search_files)
                .map(|(p, _)| p.as_str());
            diags.extend(plan.clashes(&jobs, input.copies, generated_paths));
            (diags, generated)
        },
    );
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
        .map(|(to, from)| Copy { to, from })
        .collect();
    let copied: Vec<Result<(), Diagnostic>> = input
        .copies
        .iter()
        .chain(variants.iter())
        .collect::<Vec<_>>()
        .par_iter()
        .map(|c| {
            sink.copy(&c.to, &c.from).map_err(|e| {
                Diagnostic::error(
                    c.from
                        .strip_prefix(&site.root)
                        .unwrap_or(&c.from)
                        .to_string_lossy(),
                    format!("cannot copy to the output: {e}"),
                )
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
            jobs,
            deps,
            search: search_index,
        },
    ))
}

/// Writes one generated file.
fn write(sink: &dyn Sink, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    sink.write(path, bytes)
        .map_err(|e| Diagnostic::error(path, format!("cannot write: {e}")))
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
                    Some(h) if h.contains("(the same error") => h,
                    Some(h) => format!("{h} (the same error occurs in other pages too)"),
                    None => "(the same error occurs in other pages too)".into(),
                });
            }
            None => {
                seen.insert(key, diags.len());
                diags.push(d);
            }
        }
    }
}

impl RenderCache {
    /// After the text (not the front matter) of `keys` changed in `site`:
    /// re-renders every output that shows one of them, the feeds and the
    /// search index, into `sink`. Returns how many files were written.
    pub fn update_pages(
        &mut self,
        site: &Site,
        templates: &Templates,
        keys: &[String],
        sink: &dyn Sink,
    ) -> Result<usize, Vec<Diagnostic>> {
        let mut series = Vec::new();
        let shared = values::Shared::new(site);
        let lists = site.config.lists;
        for key in keys {
            let whole = values::page(site, &shared, key);
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
                for i in index.update(site, key).unwrap_or_default() {
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
        let r = Renderer {
            site,
            templates,
            v: &self.values,
        };
        let affected: Vec<usize> = (0..self.jobs.len())
            .filter(|&i| {
                let d = &self.deps[i];
                (search_changed && matches!(self.jobs[i], Job::Search))
                    || d.pages.iter().any(|p| keys.contains(p))
                    || d.series.iter().any(|s| series.contains(s))
            })
            .collect();
        let results: Vec<(usize, Result<Deps, Diagnostic>)> = affected
            .par_iter()
            .map(|&i| (i, r.run(&self.jobs[i], sink)))
            .collect();
        let mut diags = Vec::new();
        for (i, result) in results {
            match result {
                Ok(d) => {
                    self.deps[i] = d;
                    written += 1;
                }
                Err(e) => diags.push(e),
            }
        }
        for (path, bytes) in crate::feeds::feeds(site) {
            write(sink, &path, &bytes).map_err(|d| vec![d])?;
            written += 1;
        }
        if diags.is_empty() {
            Ok(written)
        } else {
            let mut all = Vec::new();
            merge_repeated(&mut all, diags.into_iter());
            Err(all)
        }
    }
}

impl<'a> Renderer<'a> {
    fn plan(&self) -> Plan<'a> {
        Plan {
            site: self.site,
            templates: self.templates,
        }
    }

    fn base_context(&self, meta: Value) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.v.site_value.clone());
        ctx.insert_value("t", self.v.strings.clone());
        ctx.insert_value("meta", meta);
        ctx.insert_value("board", Value::none());
        ctx.insert_value("page", Value::none());
        ctx.insert_value("series", Value::none());
        ctx.insert_value("search", Value::none());
        ctx
    }

    fn meta(
        &self,
        title: &str,
        description: Option<&str>,
        path: &str,
        image: Value,
        kind: &str,
    ) -> Value {
        let c = &self.site.config;
        map([
            ("title", Value::from(title)),
            (
                "description",
                Value::from(description.or(c.description.as_deref()).unwrap_or("")),
            ),
            ("url", Value::from(self.site.permalink(path))),
            ("path", Value::from(self.site.url(path))),
            ("image", image),
            ("type", Value::from(kind)),
        ])
    }

    fn paginator(
        &self,
        base: &str,
        keys: &[String],
        per_page: Option<usize>,
        number: usize,
        deps: &mut Deps,
    ) -> Value {
        let total_pages = pagination(keys.len(), per_page);
        let per = per_page.unwrap_or(keys.len().max(1));
        let start = (number - 1) * per;
        let slice = &keys[start.min(keys.len())..(start + per).min(keys.len())];
        let url = |n: usize| Value::from(self.site.url(&Site::pager_path(base, n)));
        // A window, not every page number: listing all of them on every
        // pager would make pagination quadratic in the size of a board.
        let lo = number.saturating_sub(PAGER_WINDOW).max(1);
        let hi = (number + PAGER_WINDOW).min(total_pages);
        let mut numbers: Vec<usize> = (lo..=hi).collect();
        if lo > 1 {
            numbers.insert(0, 1);
        }
        if hi < total_pages {
            numbers.push(total_pages);
        }
        let pagers: Vec<Value> = numbers
            .into_iter()
            .map(|n| {
                map([
                    ("number", Value::from(n)),
                    ("url", url(n)),
                    ("current", Value::from(n == number)),
                ])
            })
            .collect();
        map([
            (
                "pages",
                Value::from(
                    slice
                        .iter()
                        .map(|k| self.page_value(k, deps))
                        .collect::<Vec<_>>(),
                ),
            ),
            ("number", Value::from(number)),
            ("total_pages", Value::from(total_pages)),
            ("total_items", Value::from(keys.len())),
            ("first", url(1)),
            ("last", url(total_pages)),
            (
                "prev",
                if number > 1 {
                    url(number - 1)
                } else {
                    Value::none()
                },
            ),
            (
                "next",
                if number < total_pages {
                    url(number + 1)
                } else {
                    Value::none()
                },
            ),
            ("pagers", Value::from(pagers)),
        ])
    }

    /// A page's value as lists show it, noting that the job shows it.
    fn page_value(&self, key: &str, deps: &mut Deps) -> Value {
        deps.pages.push(key.to_string());
        self.v.pages[key].clone()
    }

    /// A page's whole value, for its own output.
    fn own_page_value(&self, key: &str, deps: &mut Deps) -> Value {
        deps.pages.push(key.to_string());
        match &self.v.own {
            Some(own) => own.pages[key].clone(),
            None => self.v.pages[key].clone(),
        }
    }

    /// A series' value (with its lessons as lists show them), noting that
    /// the job shows it.
    fn series_value(&self, slug: &str, deps: &mut Deps) -> Option<Value> {
        let value = self.v.series.get(slug)?;
        deps.series.push(slug.to_string());
        Some(value.clone())
    }

    /// A series' whole value, for the pages' own outputs.
    fn own_series_value(&self, slug: &str, deps: &mut Deps) -> Option<Value> {
        let series = match &self.v.own {
            Some(own) => &own.series,
            None => &self.v.series,
        };
        let value = series.get(slug)?;
        deps.series.push(slug.to_string());
        Some(value.clone())
    }

    /// Renders one job into the sink; returns the values it showed.
    fn run(&self, job: &Job, sink: &dyn Sink) -> Result<Deps, Diagnostic> {
        let site = self.site;
        let mut deps = Deps::default();
        let (template, who) = self.plan().template_for(job);
        let (path, ctx) = match job {
            Job::Page(key) => {
                let page = &site.content.pages[key];
                let path = site.page_path(key).to_string();
                let value = &self.own_page_value(key, &mut deps);
                let image = value
                    .get_from_path("cover")
                    .cloned()
                    .unwrap_or(Value::none());
                let mut ctx = self.base_context(self.meta(
                    &page.meta.title,
                    value.get_from_path("description").and_then(Value::as_str),
                    &path,
                    image,
                    "article",
                ));
                ctx.insert_value("page", value.clone());
                let board = page
                    .board
                    .as_ref()
                    .and_then(|b| site.boards.iter().position(|x| &x.config.key == b));
                ctx.insert_value(
                    "board",
                    board.map_or(Value::none(), |i| self.v.boards[i].clone()),
                );
                let series = site.links[key]
                    .series
                    .as_ref()
                    .and_then(|(slug, _)| self.own_series_value(slug, &mut deps));
                ctx.insert_value("series", series.unwrap_or(Value::none()));
                (path, ctx)
            }
            Job::Board { index, number } => {
                let b = &site.boards[*index];
                let base = format!("{}/", b.config.key);
                let path = Site::pager_path(&base, *number);
                let board = self.v.boards[*index].clone();
                let description = board
                    .get_from_path("description")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let mut ctx = self.base_context(self.meta(
                    &b.config.title,
                    description.as_deref(),
                    &path,
                    Value::none(),
                    "website",
                ));
                ctx.insert_value("board", board);
                ctx.insert_value(
                    "paginator",
                    self.paginator(&base, &b.pages, b.config.paginate, *number, &mut deps),
                );
                // The board's courses are listed on its first page only:
                // on every pager they would make a board quadratic.
                let series: Vec<Value> = site
                    .series
                    .values()
                    .filter(|s| s.board == b.config.key && *number == 1)
                    .filter_map(|s| self.series_value(&s.slug, &mut deps))
                    .collect();
                ctx.insert_value("series", Value::from(series));
                (path, ctx)
            }
            Job::Home => {
                let intro = site.index_rendered.get("");
                let home_meta = site.content.indexes.get("").map(|i| &i.meta);
                let title = home_meta
                    .map(|m| m.title.as_str())
                    .filter(|t| !t.is_empty())
                    .unwrap_or(&site.config.title);
                let description = home_meta.and_then(|m| m.description.as_deref());
                let mut ctx =
                    self.base_context(self.meta(title, description, "", Value::none(), "website"));
                ctx.insert_value("intro", intro.map_or(Value::none(), |r| r.html.value()));
                let latest: Vec<Value> = site
                    .boards
                    .iter()
                    .enumerate()
                    .map(|(i, b)| {
                        let pages: Vec<Value> = b
                            .pages
                            .iter()
                            .take(site.config.home_items)
                            .map(|k| self.page_value(k, &mut deps))
                            .collect();
                        map([
                            ("board", self.v.boards[i].clone()),
                            ("pages", Value::from(pages)),
                        ])
                    })
                    .collect();
                ctx.insert_value("boards", Value::from(latest));
                ctx.insert_value(
                    "series",
                    Value::from(
                        site.series
                            .keys()
                            .filter_map(|slug| self.series_value(slug, &mut deps))
                            .collect::<Vec<_>>(),
                    ),
                );
                // Newest first, then by key; dates are taken out once, not
                // looked up in every comparison.
                let mut all: Vec<_> = site
                    .content
                    .pages
                    .iter()
                    .filter_map(|(k, p)| p.meta.date.as_ref().map(|d| (d, k)))
                    .collect();
                all.sort_unstable_by(|a, b| b.0.cmp(a.0).then(a.1.cmp(b.1)));
                let recent: Vec<Value> = all
                    .iter()
                    .take(site.config.home_items.max(1))
                    .map(|(_, k)| self.page_value(k, &mut deps))
                    .collect();
                ctx.insert_value("recent", Value::from(recent));
                (String::new(), ctx)
            }
            Job::NotFound => {
                let ctx =
                    self.base_context(self.meta("404", None, "404.html", Value::none(), "website"));
                let bytes = self.render_template(&template, &ctx, &who)?;
                return write(sink, "404.html", &bytes).map(|()| deps);
            }
            Job::TaxonomyList(ti) => {
                let tax = &site.taxonomies[*ti];
                let conf = &site.config.taxonomies[*ti];
                let path = format!("{}/", tax.name);
                let title = conf.title.clone().unwrap_or_else(|| tax.name.clone());
                let mut ctx =
                    self.base_context(self.meta(&title, None, &path, Value::none(), "website"));
                let mut terms: Vec<&crate::site::Term> = tax.terms.values().collect();
                terms.sort_by(|a, b| b.pages.len().cmp(&a.pages.len()).then(a.slug.cmp(&b.slug)));
                let terms: Vec<Value> = terms
                    .iter()
                    .map(|t| {
                        map([
                            ("name", Value::from(t.name.as_str())),
                            ("slug", Value::from(t.slug.as_str())),
                            ("url", Value::from(site.url(&format!("{path}{}/", t.slug)))),
                            ("count", Value::from(t.pages.len())),
                        ])
                    })
                    .collect();
                ctx.insert_value(
                    "taxonomy",
                    map([
                        ("name", Value::from(tax.name.as_str())),
                        ("title", Value::from(title.as_str())),
                        ("url", Value::from(site.url(&path))),
                        ("terms", Value::from(terms)),
                    ]),
                );
                (path, ctx)
            }
            Job::Search => {
                let title = self
                    .templates
                    .strings
                    .get("search")
                    .and_then(|v| v.as_str())
                    .unwrap_or("Search")
                    .to_string();
                let mut ctx =
                    self.base_context(self.meta(&title, None, "search/", Value::none(), "website"));
                ctx.insert_value("search", self.v.search.clone());
                ("search/".to_string(), ctx)
            }
            Job::Term {
                taxonomy,
                slug,
                number,
            } => {
                let tax = &site.taxonomies[*taxonomy];
                let conf = &site.config.taxonomies[*taxonomy];
                let term = &tax.terms[slug];
                let base = format!("{}/{}/", tax.name, slug);
                let path = Site::pager_path(&base, *number);
                let title = conf.title.clone().unwrap_or_else(|| tax.name.clone());
                let mut ctx =
                    self.base_context(self.meta(&term.name, None, &path, Value::none(), "website"));
                ctx.insert_value(
                    "taxonomy",
                    map([
                        ("name", Value::from(tax.name.as_str())),
                        ("title", Value::from(title.as_str())),
                        ("url", Value::from(site.url(&format!("{}/", tax.name)))),
                    ]),
                );
                ctx.insert_value(
                    "term",
                    map([
                        ("name", Value::from(term.name.as_str())),
                        ("slug", Value::from(slug.as_str())),
                        ("url", Value::from(site.url(&base))),
                        ("count", Value::from(term.pages.len())),
                    ]),
                );
                ctx.insert_value(
                    "paginator",
                    self.paginator(&base, &term.pages, conf.paginate, *number, &mut deps),
                );
                (path, ctx)
            }
        };
        let html = self.render_template(&template, &ctx, &who)?;
        let out = format!("{path}index.html");
        sink.write(&out, &html).map(|()| deps).map_err(|e| {
            Diagnostic::error(out.clone(), format!("cannot write: {e}"))
                .hint("check free disk space and permissions of the output folder")
        })
    }

    /// Renders a template to bytes: they go straight to the sink, so they
    /// are not checked again for UTF-8 as a `String` would be.
    fn render_template(&self, name: &str, ctx: &Context, who: &str) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(32 * 1024);
        self.templates
            .tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| tera_diagnostic(&e, &self.templates.files, Some(who)))?;
        Ok(out)
    }
}
