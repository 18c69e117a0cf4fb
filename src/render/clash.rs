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

/// What claimed an output path.
enum Owner<'a> {
    Job(&'a Job),
    Copy(&'a Copy),
    Generated(&'a str),
}

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

    /// Output paths claimed by two sources. A source is put into words
    /// only when it clashes: most sites have none, and a dev-server update
    /// checks every output.
    /// `files` are the files of `jobs`, in their order ([`super::update::job_file`]).
    pub(super) fn clashes<'a>(
        &self,
        jobs: &'a [Job],
        files: &'a [String],
        copies: &'a [Copy],
        generated: impl Iterator<Item = &'a str>,
    ) -> Vec<Diagnostic> {
        let root = &self.site.root;
        let source = |owner: &Owner<'_>| -> Source {
            match owner {
                Owner::Job(job) => self.job_source(job),
                Owner::Copy(c) => {
                    let from = c.shown(root);
                    (Some(from.clone()), from.into())
                }
                Owner::Generated(path) => (None, msg!("source-generated", path)),
            }
        };
        let mut owners: HashMap<&'a str, Owner<'a>> =
            HashMap::with_capacity(jobs.len() + copies.len() + 64);
        let mut diags = Vec::new();
        let mut claim = |path: &'a str, owner: Owner<'a>, diags: &mut Vec<Diagnostic>| {
            if let Some(first) = owners.get(path) {
                let (first, second) = (source(first), source(&owner));
                let file = second
                    .0
                    .clone()
                    .or_else(|| first.0.clone())
                    .unwrap_or_else(|| crate::config::CONFIG_FILE.to_string());
                diags.push(
                    Diagnostic::error(
                        file,
                        msg!("published-twice", path, first => first.1, second => second.1),
                    )
                    .hint(msg!("published-twice-hint")),
                );
            } else {
                owners.insert(path, owner);
            }
        };
        for (job, path) in jobs.iter().zip(files) {
            claim(path, Owner::Job(job), &mut diags);
        }
        for c in copies {
            claim(&c.to, Owner::Copy(c), &mut diags);
        }
        for path in generated {
            claim(path, Owner::Generated(path), &mut diags);
        }
        diags
    }
}
