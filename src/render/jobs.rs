//! One function per render job: the page's own output, a board's pager,
//! the home page, the 404 page, a taxonomy's term list, the search page
//! and a term's pager, each making its template context.

use super::cache::Deps;
use super::plan::{Job, Plan, pagination};
use super::shared::Values;
use crate::error::Diagnostic;
use crate::msg;
use crate::output::Sink;
use crate::site::Site;
use crate::templates::{Templates, tera_diagnostic};
use crate::values::map;
use tera::{Context, Value};

/// A view of one render.
pub(super) struct Renderer<'a> {
    pub(super) site: &'a Site,
    pub(super) templates: &'a Templates,
    pub(super) v: &'a Values,
}

/// Pager links either side of the current page in `paginator.pagers`.
const PAGER_WINDOW: usize = 2;

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
        // Every output has a description (search engines show it, and
        // Lighthouse counts a page without one): its own, else the site's,
        // else the site's title.
        let description = [description, c.description.as_deref()]
            .into_iter()
            .flatten()
            .find(|d| !d.trim().is_empty())
            .unwrap_or(&c.title);
        map([
            ("title", Value::from(title)),
            ("description", Value::from(description)),
            ("url", Value::from(self.site.permalink(path))),
            ("path", Value::from(self.site.url(path))),
            ("image", image),
            ("type", Value::from(kind)),
            ("languages", self.languages(path)),
        ])
    }

    /// The output at `path` in each of the site's languages (empty for a
    /// site in one): `{ code, name, url, exact, current }`, `exact` when
    /// that language has this very output (else `url` is its home).
    fn languages(&self, path: &str) -> Value {
        let l = &self.site.languages;
        let here = &self.site.config.language;
        let alternates = l.alternates.get(path);
        let list: Vec<Value> = (l.homes.iter())
            .map(|h| {
                let exact = alternates.and_then(|a| a.iter().find(|(c, _)| *c == h.code));
                map([
                    ("code", Value::from(h.code.as_str())),
                    ("name", Value::from(h.name.as_str())),
                    ("short", Value::from(h.short.as_str())),
                    (
                        "url",
                        Value::from(exact.map_or(&h.home, |(_, u)| u).as_str()),
                    ),
                    ("exact", Value::from(exact.is_some())),
                    ("current", Value::from(h.code == *here)),
                ])
            })
            .collect();
        Value::from(list)
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
    pub(super) fn run(&self, job: &Job, sink: &dyn Sink) -> Result<Deps, Diagnostic> {
        let mut deps = Deps::default();
        let (template, who) = self.plan().template_for(job);
        let (out, ctx) = match job {
            Job::Page(key) => self.page(key, &mut deps),
            Job::Board { index, number } => self.board(*index, *number, &mut deps),
            Job::Home => self.home(&mut deps),
            Job::NotFound => self.not_found(),
            Job::TaxonomyList(ti) => self.taxonomy_list(*ti),
            Job::Search => self.search(),
            Job::Term {
                taxonomy,
                slug,
                number,
            } => self.term(*taxonomy, slug, *number, &mut deps),
        };
        let html = self.render_template(&template, &ctx, &who)?;
        sink.write(&out, &html).map(|()| deps).map_err(|e| {
            Diagnostic::error(out.clone(), msg!("cannot-write", why = e))
                .hint(msg!("cannot-write-hint"))
        })
    }

    /// A page's own output.
    fn page(&self, key: &str, deps: &mut Deps) -> (String, Context) {
        let site = self.site;
        let page = &site.content.pages[key];
        let path = site.page_path(key).to_string();
        let value = &self.own_page_value(key, deps);
        let image = value
            .get_from_path("cover")
            .cloned()
            .unwrap_or(Value::none());
        let board = page
            .board
            .as_ref()
            .and_then(|b| site.boards.iter().position(|x| &x.config.key == b));
        // The page's summary (its own or the automatic one), else its
        // board's description.
        let description = [
            value.get_from_path("description"),
            board.and_then(|i| self.v.boards[i].get_from_path("description")),
        ]
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|d| !d.trim().is_empty());
        let mut ctx =
            self.base_context(self.meta(&page.meta.title, description, &path, image, "article"));
        ctx.insert_value("page", value.clone());
        ctx.insert_value(
            "board",
            board.map_or(Value::none(), |i| self.v.boards[i].clone()),
        );
        let series = site.links[key]
            .series
            .as_ref()
            .and_then(|(slug, _)| self.own_series_value(slug, deps));
        ctx.insert_value("series", series.unwrap_or(Value::none()));
        (format!("{path}index.html"), ctx)
    }

    /// One pager of a board (its courses on the first).
    fn board(&self, index: usize, number: usize, deps: &mut Deps) -> (String, Context) {
        let site = self.site;
        let b = &site.boards[index];
        let base = format!("{}/", b.config.key);
        let path = Site::pager_path(&base, number);
        let board = self.v.boards[index].clone();
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
            self.paginator(&base, &b.pages, b.config.paginate, number, deps),
        );
        // The board's courses are listed on its first page only:
        // on every pager they would make a board quadratic.
        let series: Vec<Value> = site
            .series
            .values()
            .filter(|s| s.board == b.config.key && number == 1)
            .filter_map(|s| self.series_value(&s.slug, deps))
            .collect();
        ctx.insert_value("series", Value::from(series));
        (format!("{path}index.html"), ctx)
    }

    /// The home page: each board's latest, the courses, the newest pages.
    fn home(&self, deps: &mut Deps) -> (String, Context) {
        let site = self.site;
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
                    .map(|k| self.page_value(k, deps))
                    .collect();
                map([
                    ("board", self.v.boards[i].clone()),
                    ("pages", Value::from(pages)),
                    ("total", Value::from(b.pages.len())),
                ])
            })
            .collect();
        ctx.insert_value("boards", Value::from(latest));
        ctx.insert_value(
            "series",
            Value::from(
                site.series
                    .keys()
                    .filter_map(|slug| self.series_value(slug, deps))
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
            .map(|(_, k)| self.page_value(k, deps))
            .collect();
        ctx.insert_value("recent", Value::from(recent));
        ("index.html".to_string(), ctx)
    }

    /// The 404 page.
    fn not_found(&self) -> (String, Context) {
        let ctx = self.base_context(self.meta("404", None, "404.html", Value::none(), "website"));
        ("404.html".to_string(), ctx)
    }

    /// A taxonomy's terms, most used first.
    fn taxonomy_list(&self, ti: usize) -> (String, Context) {
        let site = self.site;
        let tax = &site.taxonomies[ti];
        let path = format!("{}/", tax.name);
        let title = crate::values::taxonomy_title(site, &self.templates.strings, ti);
        let mut ctx = self.base_context(self.meta(&title, None, &path, Value::none(), "website"));
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
        (format!("{path}index.html"), ctx)
    }

    /// The search page.
    fn search(&self) -> (String, Context) {
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
        ("search/index.html".to_string(), ctx)
    }

    /// One pager of a term's pages.
    fn term(
        &self,
        taxonomy: usize,
        slug: &str,
        number: usize,
        deps: &mut Deps,
    ) -> (String, Context) {
        let site = self.site;
        let tax = &site.taxonomies[taxonomy];
        let conf = &site.config.taxonomies[taxonomy];
        let term = &tax.terms[slug];
        let base = format!("{}/{}/", tax.name, slug);
        let path = Site::pager_path(&base, number);
        let title = crate::values::taxonomy_title(site, &self.templates.strings, taxonomy);
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
                ("slug", Value::from(slug)),
                ("url", Value::from(site.url(&base))),
                ("count", Value::from(term.pages.len())),
            ]),
        );
        ctx.insert_value(
            "paginator",
            self.paginator(&base, &term.pages, conf.paginate, number, deps),
        );
        (format!("{path}index.html"), ctx)
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
