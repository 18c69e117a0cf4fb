//! `herald import SOURCE DEST`: a Hugo site, a Zola site, an mdBook or a
//! Jekyll site made into a new herald site, never changing the source.
//! The pipeline: find what the source is, read it ([`hugo`], [`zola`],
//! [`mdbook`], [`jekyll`] into a [`source::Source`]), plan the new site
//! ([`plan`]: boards, slugs, aliases for every old URL, front matter,
//! bodies), write it ([`write`]), check it with `herald check`, and report
//! what needs a person ([`report`]).

mod body;
mod fields;
mod hugo;
mod jekyll;
mod links;
mod mdbook;
mod plan;
pub mod report;
mod shape;
mod source;
mod tags;
mod tree;
mod urls;
mod write;
mod zola;

use crate::config::Kind;
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

pub use report::Report;
pub use write::REPORT_FILE;

/// The tool a site was made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Hugo,
    Zola,
    Mdbook,
    Jekyll,
}

impl Tool {
    pub const ALL: [Tool; 4] = [Tool::Hugo, Tool::Zola, Tool::Mdbook, Tool::Jekyll];

    pub fn name(self) -> &'static str {
        match self {
            Tool::Hugo => "hugo",
            Tool::Zola => "zola",
            Tool::Mdbook => "mdbook",
            Tool::Jekyll => "jekyll",
        }
    }

    pub fn from_name(s: &str) -> Option<Tool> {
        Tool::ALL
            .into_iter()
            .find(|t| t.name() == s.to_ascii_lowercase())
    }

    /// The tool whose config file `root` holds: `book.toml` (mdBook),
    /// `_config.yml` (Jekyll), `config.toml` with `base_url` (Zola),
    /// `hugo.*` or `config.*` (Hugo).
    pub fn detect(root: &Path) -> Option<Tool> {
        if root.join("book.toml").is_file() {
            Some(Tool::Mdbook)
        } else if jekyll::config_file(root).is_some() {
            Some(Tool::Jekyll)
        } else if zola::is_zola(root) {
            Some(Tool::Zola)
        } else if hugo::config_file(root).is_some() {
            Some(Tool::Hugo)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub source: PathBuf,
    pub dest: PathBuf,
    /// The source's tool; found from its config file when `None`.
    pub from: Option<Tool>,
    /// Board kinds chosen by the user: (section folder or board key, kind).
    pub kinds: Vec<(String, Kind)>,
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    pub tool: Tool,
    pub report: Report,
}

impl Imported {
    /// The closing line of an import into `dest`.
    pub fn summary(&self, dest: &Path) -> crate::messages::Text {
        let checked = if self.report.check_passed {
            crate::msg!("check-no-errors")
        } else {
            crate::msg!("check-errors-above")
        };
        crate::msg!(
            "imported",
            tool = self.tool.name(),
            dest = dest.display(),
            report = dest.join(REPORT_FILE).display(),
            checked => checked
        )
    }
}

pub fn import(opts: &ImportOptions) -> Result<Imported> {
    check_folders(&opts.source, &opts.dest)?;
    let tool = match opts.from {
        Some(t) => t,
        None => Tool::detect(&opts.source).ok_or_else(|| {
            Error::Refused(format!(
                "{} has no config file of Hugo (hugo.toml, config.toml), Zola (config.toml with base_url), mdBook (book.toml) or Jekyll (_config.yml); name the tool with --from",
                opts.source.display()
            ).into())
        })?,
    };
    let mut src = match tool {
        Tool::Hugo => hugo::read(&opts.source)?,
        Tool::Zola => zola::read(&opts.source)?,
        Tool::Mdbook => mdbook::read(&opts.source)?,
        Tool::Jekyll => jekyll::read(&opts.source)?,
    };
    if !src.errors.is_empty() {
        let mut errors = std::mem::take(&mut src.errors);
        crate::error::sort_diagnostics(&mut errors);
        return Err(Error::Site(errors));
    }
    let planned = plan::plan(&mut src, tool, opts);
    write::write_site(&opts.dest, &mut src, &planned, tool)?;
    let mut report = src.report;
    let checked = crate::check::check(&crate::check::CheckOptions {
        root: opts.dest.clone(),
        drafts: false,
        external: false,
        allow_private: false,
    });
    let problems = match checked {
        Ok(r) => r.problems,
        Err(Error::Site(diags)) => diags,
        Err(e) => return Err(e),
    };
    report.check_passed = !problems.iter().any(crate::error::Diagnostic::is_error);
    report.check = problems
        .iter()
        .map(|d| {
            format!(
                "{}{}: {}",
                if d.is_error() { "" } else { "warning: " },
                d.location(),
                d.message
            )
        })
        .collect();
    report.skipped.sort();
    report.untranslated.sort();
    write::put(
        &opts.dest,
        REPORT_FILE,
        report.to_markdown(tool.name()).as_bytes(),
    )?;
    Ok(Imported { tool, report })
}

/// The source must be a folder; the destination new or empty, and not
/// inside the source (the source is never changed).
fn check_folders(source: &Path, dest: &Path) -> Result<()> {
    if !source.is_dir() {
        return Err(Error::Refused(
            format!("{} is not a folder", source.display()).into(),
        ));
    }
    if dest.exists() {
        let empty = std::fs::read_dir(dest)
            .map_err(|e| Error::io(format!("cannot read {}", dest.display()), e))?
            .next()
            .is_none();
        if !empty {
            return Err(Error::Refused(
                format!(
                    "{} is not empty: herald import writes a new site into a new or empty folder",
                    dest.display()
                )
                .into(),
            ));
        }
    }
    let real_source = source
        .canonicalize()
        .map_err(|e| Error::io(format!("cannot read {}", source.display()), e))?;
    // The destination's nearest existing folder, resolved.
    let mut probe = if dest.is_absolute() {
        dest.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(dest)
    };
    let mut tail = Vec::new();
    while !probe.exists() {
        match (probe.file_name().map(|n| n.to_os_string()), probe.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name);
                probe = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut real_dest = probe.canonicalize().unwrap_or(probe);
    for name in tail.into_iter().rev() {
        real_dest.push(name);
    }
    if real_dest.starts_with(&real_source) {
        return Err(Error::Refused(format!(
            "{} is inside the source {}: herald import never changes the source; choose a folder outside it",
            dest.display(),
            source.display()
        ).into()));
    }
    Ok(())
}
