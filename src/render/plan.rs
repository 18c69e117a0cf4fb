//! What a render produces: the jobs (one per output page), their
//! templates and paths, and the files made from the jobs alone (sitemap
//! and redirects) — nothing here needs template values, so it can run
//! while they are built.

use crate::error::Diagnostic;
use crate::messages::Text;
use crate::msg;
use crate::site::Site;
use crate::templates::Templates;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// One file to produce.
#[derive(Clone)]
pub(super) enum Job {
    Page(String),
    Board {
        index: usize,
        number: usize,
    },
    Home,
    NotFound,
    TaxonomyList(usize),
    Term {
        taxonomy: usize,
        slug: String,
        number: usize,
    },
    Search,
}

pub(super) fn pagination(total: usize, per_page: Option<usize>) -> usize {
    match per_page {
        Some(n) if n > 0 => total.div_ceil(n).max(1),
        _ => 1,
    }
}

/// Every file to produce from templates.
pub(super) fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = site
        .content
        .pages
        .keys()
        .map(|k| Job::Page(k.clone()))
        .collect();
    for (index, board) in site.boards.iter().enumerate() {
        for number in 1..=pagination(board.pages.len(), board.config.paginate) {
            jobs.push(Job::Board { index, number });
        }
    }
    jobs.push(Job::Home);
    // Hosts serve one 404 page, the root's.
    if site.config.lang_prefix.is_empty() {
        jobs.push(Job::NotFound);
    }
    for (ti, tax) in site.taxonomies.iter().enumerate() {
        // No page uses it: no page lists its (no) terms.
        if !tax.terms.is_empty() {
            jobs.push(Job::TaxonomyList(ti));
        }
        let per_page = site.config.taxonomies[ti].paginate;
        for (slug, term) in &tax.terms {
            for number in 1..=pagination(term.pages.len(), per_page) {
                jobs.push(Job::Term {
                    taxonomy: ti,
                    slug: slug.clone(),
                    number,
                });
            }
        }
    }
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs
}

/// The site and templates, without template values.
#[derive(Clone, Copy)]
pub(super) struct Plan<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
}

impl Plan<'_> {
    pub(super) fn template_for(&self, job: &Job) -> (String, String) {
        let site = self.site;
        match job {
            Job::Page(key) => {
                let page = &site.content.pages[key];
                let name = page.meta.template.clone().unwrap_or_else(|| {
                    let kind = site.config.kind_of(page.board.as_deref());
                    self.kind_template("", &kind.name)
                });
                (name, page.file.clone())
            }
            Job::Board { index, .. } => {
                let b = &site.boards[*index].config;
                let custom = site
                    .content
                    .indexes
                    .get(&b.key)
                    .and_then(|i| i.meta.template.clone());
                (
                    custom.unwrap_or_else(|| self.kind_template("board/", &b.kind_name)),
                    format!("the index of board `{}`", b.key),
                )
            }
            Job::Home => ("home.html".into(), "the home page".into()),
            Job::NotFound => ("404.html".into(), "the 404 page".into()),
            Job::TaxonomyList(_) => ("taxonomy.html".into(), "taxonomy lists".into()),
            Job::Term { .. } => ("term.html".into(), "taxonomy terms".into()),
            Job::Search => ("search.html".into(), "the search page".into()),
        }
    }

    /// The template of a kind's pages (`folder` ""), or of its boards
    /// ("board/"): the kind's own (`film.html`) when the templates have
    /// it, else that of the kind it extends, down to the built-in kind's.
    fn kind_template(&self, folder: &str, kind: &str) -> String {
        let name = |k: &str| format!("{folder}{k}.html");
        // A built-in kind has no other: its template (most pages).
        if crate::kinds::Kind::from_name(kind).is_some() {
            return name(kind);
        }
        let chain = self.site.config.kinds.chain(kind);
        chain
            .iter()
            .map(|k| name(k))
            .find(|n| self.templates.tera.contains_template(n))
            .unwrap_or_else(|| name(chain.last().copied().unwrap_or(kind)))
    }

    /// Output path of an HTML job (`None` for 404).
    pub(super) fn output_path(&self, job: &Job) -> Option<String> {
        let site = self.site;
        Some(match job {
            Job::Page(key) => site.page_path(key).to_string(),
            Job::Board { index, number } => {
                Site::pager_path(&format!("{}/", site.boards[*index].config.key), *number)
            }
            Job::Home => String::new(),
            Job::NotFound => return None,
            Job::TaxonomyList(ti) => format!("{}/", site.taxonomies[*ti].name),
            Job::Term {
                taxonomy,
                slug,
                number,
            } => Site::pager_path(
                &format!("{}/{slug}/", site.taxonomies[*taxonomy].name),
                *number,
            ),
            Job::Search => "search/".into(),
        })
    }

    /// The sitemap lines of the jobs: path and last modification. The
    /// newest date of each board and term is computed once, not per pager.
    /// `files` are the files of `jobs`, in their order ([`super::update::job_file`]).
    pub(super) fn sitemap_entries(
        &self,
        jobs: &[Job],
        files: &[String],
    ) -> Vec<(String, Option<String>)> {
        let site = self.site;
        // Each page's last change, looked up by hash, not in the page map.
        let last: rustc_hash::FxHashMap<&str, chrono::DateTime<chrono::FixedOffset>> = site
            .content
            .pages
            .iter()
            .filter_map(|(k, p)| Some((k.as_str(), p.meta.updated.max(p.meta.date)?)))
            .collect();
        let format = |d: &chrono::DateTime<chrono::FixedOffset>| {
            d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        let newest = |keys: &[String]| {
            keys.iter()
                .filter_map(|k| last.get(k.as_str()))
                .max()
                .map(format)
        };
        let boards: Vec<Option<String>> = site.boards.iter().map(|b| newest(&b.pages)).collect();
        let terms: HashMap<(usize, &str), Option<String>> = site
            .taxonomies
            .iter()
            .enumerate()
            .flat_map(|(t, tax)| tax.terms.iter().map(move |(slug, term)| (t, slug, term)))
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(t, slug, term)| ((t, slug.as_str()), newest(&term.pages)))
            .collect();
        let home = last.values().max().map(format);
        jobs.par_iter()
            .zip(files)
            .filter_map(|(job, file)| {
                let lastmod = match job {
                    Job::NotFound | Job::Search => return None,
                    Job::Page(key) => last.get(key.as_str()).map(format),
                    Job::Board { index, .. } => boards[*index].clone(),
                    Job::Home => home.clone(),
                    Job::TaxonomyList(_) => None,
                    Job::Term { taxonomy, slug, .. } => {
                        terms.get(&(*taxonomy, slug.as_str())).cloned().flatten()
                    }
                };
                let path = file.strip_suffix("index.html")?;
                Some((path.to_string(), lastmod))
            })
            .collect()
    }

    /// Redirect pages for `aliases`; an alias that collides with a page
    /// or another alias is an error.
    pub(super) fn redirects(
        &self,
        jobs: &[Job],
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<(String, Vec<u8>)> {
        let site = self.site;
        if site
            .content
            .pages
            .values()
            .all(|p| p.meta.aliases.is_empty())
        {
            return Vec::new();
        }
        let mut taken: HashMap<String, Text> = jobs
            .iter()
            .filter_map(|j| self.output_path(j))
            .map(|p| (format!("{p}index.html"), msg!("owner-page")))
            .collect();
        taken.insert("404.html".into(), msg!("owner-404"));
        let mut out = Vec::new();
        for (key, page) in &site.content.pages {
            for alias in &page.meta.aliases {
                let clean = alias.trim().trim_start_matches('/');
                let bad = clean.split('/').any(|seg| seg == ".." || seg == ".")
                    || clean.contains(['\\', '?', '#']);
                if bad {
                    diags.push(
                        Diagnostic::error(&page.file, msg!("bad-alias", alias))
                            .hint(msg!("bad-alias-hint")),
                    );
                    continue;
                }
                let file = if clean.ends_with(".html") || clean.ends_with(".htm") {
                    clean.to_string()
                } else if clean.is_empty() {
                    "index.html".to_string()
                } else {
                    format!("{}/index.html", clean.trim_end_matches('/'))
                };
                if let Some(owner) = taken.get(&file) {
                    diags.push(
                        Diagnostic::error(
                            &page.file,
                            msg!("alias-clash", alias, owner => owner.clone(), file),
                        )
                        .hint(msg!("alias-clash-hint")),
                    );
                    continue;
                }
                taken.insert(file.clone(), msg!("owner-alias", file = page.file));
                let target = site.permalink(site.page_path(key));
                let t = crate::escape::xml(&target);
                let html = format!(
                    "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body>\n<p><a href=\"{t}\">{}</a></p>\n</body>\n</html>\n",
                    crate::escape::xml(&site.config.language),
                    crate::escape::xml(&page.meta.title),
                    crate::escape::xml(&page.meta.title),
                );
                out.push((file, html.into_bytes()));
            }
        }
        out
    }

    pub(super) fn check_templates(&self, jobs: &[Job]) -> Vec<Diagnostic> {
        let mut missing: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for job in jobs {
            let (name, who) = self.template_for(job);
            if !self.templates.tera.contains_template(&name) {
                missing.entry(name).or_insert((who, 0)).1 += 1;
            }
        }
        missing
            .into_iter()
            .map(|(name, (who, count))| {
                let file = if who.starts_with("content/") {
                    who.clone()
                } else {
                    format!("themes/{}/templates/{name}", self.site.config.theme)
                };
                let message = if count > 1 {
                    msg!("no-template-many", name, who, more = count - 1)
                } else {
                    msg!("no-template", name, who)
                };
                Diagnostic::error(file, message).hint(msg!(
                    "no-template-hint",
                    name,
                    theme = self.site.config.theme
                ))
            })
            .collect()
    }
}
