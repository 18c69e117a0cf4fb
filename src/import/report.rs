//! What an import did and what it leaves to a person: written at the end of
//! `herald import` and saved as `IMPORT-REPORT.md` in the new site.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One place in the source that needs a person, or was changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item {
    /// `content/posts/a.md:12`, or a file, or a config key.
    pub at: String,
    pub what: String,
}

#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Pages written, by herald kind (`article`, `lesson`, …; `intro` for
    /// board and home intros).
    pub pages: BTreeMap<String, usize>,
    pub boards: Vec<String>,
    /// Files copied (images, static files, bundle assets).
    pub files: usize,
    /// (page, old URL): every old URL written as an alias.
    pub aliases: Vec<Item>,
    /// Front-matter fields kept under `extra:`.
    pub extra: Vec<Item>,
    /// Shortcodes and template tags rewritten to herald's.
    pub translated: Vec<Item>,
    /// Shortcodes and template tags herald cannot do: kept as a site
    /// shortcode stub or as text, for a person.
    pub untranslated: Vec<Item>,
    /// Settings, files and pages not carried over, and why.
    pub skipped: Vec<Item>,
    /// Other changes a person should know of (slugs changed to avoid a
    /// clash, figures without alt text).
    pub notes: Vec<Item>,
    /// The result of `herald check` on the new site.
    pub check: Vec<String>,
    pub check_passed: bool,
}

impl Report {
    pub fn skip(&mut self, at: impl Into<String>, what: impl Into<String>) {
        self.skipped.push(Item {
            at: at.into(),
            what: what.into(),
        });
    }

    pub fn note(&mut self, at: impl Into<String>, what: impl Into<String>) {
        self.notes.push(Item {
            at: at.into(),
            what: what.into(),
        });
    }

    /// Items that need a person: untranslated tags and skipped things.
    pub fn needs_a_person(&self) -> usize {
        self.untranslated.len() + self.skipped.len() + self.notes.len()
    }

    /// `3 article, 2 page` (intros apart).
    fn kinds(&self) -> String {
        let kinds: Vec<String> = self
            .pages
            .iter()
            .filter(|(k, _)| k.as_str() != "intro")
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        kinds.join(", ")
    }

    fn intros(&self) -> usize {
        self.pages.get("intro").copied().unwrap_or(0)
    }

    pub fn page_count(&self) -> usize {
        self.pages
            .iter()
            .filter(|(k, _)| k.as_str() != "intro")
            .map(|(_, n)| n)
            .sum()
    }

    /// The report as Markdown (the file), every list in full.
    pub fn to_markdown(&self, from: &str) -> String {
        let mut s = format!("# Import report ({from} → herald)\n\n");
        let _ = writeln!(
            s,
            "- pages: {} ({}) and {} intros\n- boards: {}\n- files copied: {}\n- aliases (old URLs kept): {}\n- fields kept under `extra:`: {}\n- shortcodes translated: {}\n- need a person: {}\n",
            self.page_count(),
            self.kinds(),
            self.intros(),
            if self.boards.is_empty() {
                "none".into()
            } else {
                self.boards.join(", ")
            },
            self.files,
            self.aliases.len(),
            self.extra.len(),
            self.translated.len(),
            self.needs_a_person(),
        );
        section(
            &mut s,
            "Untranslated shortcodes and template tags",
            "Each is kept as a call of a site shortcode (`templates/shortcodes/NAME.html`, a stub that shows its inner text) or as text: write the template, or edit the page.",
            &self.untranslated,
        );
        section(&mut s, "Not imported", "", &self.skipped);
        section(&mut s, "Notes", "", &self.notes);
        section(
            &mut s,
            "Fields moved to `extra:`",
            "Templates read them as `page.extra.NAME`.",
            &self.extra,
        );
        section(
            &mut s,
            "Shortcodes and tags translated",
            "",
            &self.translated,
        );
        section(
            &mut s,
            "Aliases",
            "Each old URL redirects to the page's new one.",
            &self.aliases,
        );
        let _ = writeln!(
            s,
            "## herald check\n\n{}\n",
            if self.check.is_empty() {
                "No problems.".to_string()
            } else {
                self.check.iter().map(|l| format!("- {l}\n")).collect()
            }
        );
        s
    }

    /// A short form for the terminal: counts, then what needs a person.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Imported {} pages ({}) and {} intros, {} boards, {} files; {} aliases, {} fields under extra:, {} shortcodes translated.",
            self.page_count(),
            self.kinds(),
            self.intros(),
            self.boards.len(),
            self.files,
            self.aliases.len(),
            self.extra.len(),
            self.translated.len(),
        );
        for (title, items) in [
            ("untranslated", &self.untranslated),
            ("not imported", &self.skipped),
            ("note", &self.notes),
        ] {
            for item in items {
                let _ = writeln!(s, "{}: {title}: {}", item.at, item.what);
            }
        }
        s
    }
}

fn section(s: &mut String, title: &str, intro: &str, items: &[Item]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(s, "## {title} ({})\n", items.len());
    if !intro.is_empty() {
        let _ = writeln!(s, "{intro}\n");
    }
    for item in items {
        let _ = writeln!(s, "- `{}`: {}", item.at, item.what);
    }
    s.push('\n');
}
