//! Every output path has one source: a page, a static file, a built-in
//! page or a generated file. Two sources for one path (`content/search.md`
//! and the search page, `static/index.html` and the home page) are an error
//! naming both, never a silent replacement.

use super::Copy;
use super::plan::{Job, Plan};
use crate::error::Diagnostic;
use crate::msg;
use std::collections::HashMap;

/// Where an output file comes from: (file to name in messages, description).
type Source = (Option<String>, crate::messages::Text);

impl Plan<'_> {
    fn job_source(&self, job: &Job) -> Source {
        let site = self.site;
        match job {
            Job::Page(key) => {
                let file = site.content.pages[key].file.clone();
                (Some(file.clone()), file.into())
            }
            Job::Board { index, number } => (
                None,
                msg!(
                    "source-board",
                    board = site.boards[*index].config.key,
                    number
                ),
            ),
            Job::Home => (None, msg!("source-home")),
            Job::NotFound => (None, msg!("owner-404")),
            Job::TaxonomyList(t) => (
                None,
                msg!("source-taxonomy", name = site.taxonomies[*t].name),
            ),
            Job::Term { taxonomy, slug, .. } => (
                None,
                msg!("source-term", name = site.taxonomies[*taxonomy].name, slug),
            ),
            Job::Search => (None, msg!("source-search")),
        }
    }

    /// Output paths claimed by two sources.
    pub(super) fn clashes<'g>(
        &self,
        jobs: &[Job],
        copies: &[Copy],
        generated: impl Iterator<Item = &'g str>,
    ) -> Vec<Diagnostic> {
        let root = &self.site.root;
        let mut owners: HashMap<String, Source> =
            HashMap::with_capacity(jobs.len() + copies.len() + 64);
        let mut diags = Vec::new();
        let mut claim = |path: String, source: Source, diags: &mut Vec<Diagnostic>| {
            if let Some(first) = owners.get(&path) {
                let file = source
                    .0
                    .clone()
                    .or_else(|| first.0.clone())
                    .unwrap_or_else(|| crate::config::CONFIG_FILE.to_string());
                diags.push(
                    Diagnostic::error(
                        file,
                        msg!("published-twice", path, first => first.1.clone(), second => source.1),
                    )
                    .hint(msg!("published-twice-hint")),
                );
            } else {
                owners.insert(path, source);
            }
        };
        for job in jobs {
            let path = match job {
                Job::NotFound => "404.html".to_string(),
                _ => match self.output_path(job) {
                    Some(p) => format!("{p}index.html"),
                    None => continue,
                },
            };
            claim(path, self.job_source(job), &mut diags);
        }
        for c in copies {
            let from = c.shown(root);
            claim(c.to.clone(), (Some(from.clone()), from.into()), &mut diags);
        }
        for path in generated {
            claim(
                path.to_string(),
                (None, msg!("source-generated", path)),
                &mut diags,
            );
        }
        diags
    }
}
