//! The site model: every page, board, series and taxonomy term, in flat
//! maps keyed by content path. Relations are keys, never references, so the
//! dev server can replace one page and re-link cheaply.

use crate::config::{BoardConfig, Config};
use crate::content::{Content, Page};
pub use crate::markdown::Facts;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A board with its pages in display order.
#[derive(Debug, Clone)]
pub struct Board {
    pub config: BoardConfig,
    /// Page keys, sorted by the board's `sort`.
    pub pages: Vec<String>,
}

/// Lessons that form a course, ordered by `order`.
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub slug: String,
    pub board: String,
    pub pages: Vec<String>,
}

/// One term of a taxonomy (`tags: 乡村振兴`).
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Page keys, newest first.
    pub pages: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub name: String,
    /// Terms by slug.
    pub terms: BTreeMap<String, Term>,
}

/// A file resolved from front matter (cover, download): its URL and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub url: String,
    pub bytes: Option<u64>,
}

/// Everything the link step computes for one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageLinks {
    /// Output path relative to the site root, ending in `/` (`news/a/`).
    pub path: String,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The series this lesson belongs to (its slug) and its 1-based place.
    pub series: Option<(String, usize)>,
    pub cover: Option<Resource>,
    /// The files its kind's file and image fields name: (field, file).
    pub files: Vec<(String, Resource)>,
    /// (taxonomy, term slug) pairs.
    pub terms: Vec<(String, String)>,
    /// Related pages' keys, most related first (`related.rs`).
    pub related: Vec<String>,
}

/// Rendered HTML, held as a template value: every output that shows it
/// (the page, lists, feeds) shares this one copy.
#[derive(Clone)]
pub struct Html(tera::Value);

impl Html {
    pub fn new(html: &str) -> Html {
        Html(tera::Value::safe_string(html))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().unwrap_or("")
    }

    /// The HTML as a (safe) template value, without copying it.
    pub fn value(&self) -> tera::Value {
        self.0.clone()
    }
}

impl Default for Html {
    fn default() -> Html {
        Html::new("")
    }
}

impl std::ops::Deref for Html {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Html {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text's Markdown just rendered: its HTML held as a template value that
/// every output showing it shares (the page, lists, feeds), its plain text
/// and its facts. The site keeps the facts of every page; a build kept in
/// memory keeps the HTML and text too ([`Texts`]), a one-off build only as
/// long as it writes the page ([`crate::stream`]).
#[derive(Debug, Clone)]
pub struct Body {
    pub html: Html,
    pub plain: String,
    pub facts: Facts,
}

/// A board's or the home page's rendered `_index.md`, kept whole by every
/// build (each page shows its board).
#[derive(Debug, Clone, Default)]
pub struct Intro {
    pub html: Html,
    pub facts: Facts,
}

/// What a build kept in memory holds of each page beside the site, by
/// page key: its HTML and plain text (the dev server lets go of the text
/// once it is indexed). Markdown is not kept: a page rendered again is
/// read again, as a full build would.
#[derive(Debug, Clone, Default)]
pub struct Texts {
    pub html: BTreeMap<String, Html>,
    pub plain: BTreeMap<String, String>,
}

/// A loaded and linked site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub content: Content,
    pub links: BTreeMap<String, PageLinks>,
    pub boards: Vec<Board>,
    /// Series by slug.
    pub series: BTreeMap<String, Series>,
    pub taxonomies: Vec<Taxonomy>,
    /// What each page's Markdown says of it, by page key.
    pub rendered: BTreeMap<String, Facts>,
    /// Rendered `_index.md` bodies, by board key (`""` for home).
    pub index_rendered: BTreeMap<String, Intro>,
    /// The site's other languages and its outputs' translations.
    pub languages: Languages,
}

/// One language of a site, for its language switch.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LanguageHome {
    pub code: String,
    /// Its name in itself (`English`).
    pub name: String,
    /// What the switch shows (`EN`).
    pub short: String,
    /// The permalink of its home page.
    pub home: String,
}

/// How a site in one language relates to the same site in its others.
/// Empty for a site in one language.
#[derive(Debug, Clone, Default)]
pub struct Languages {
    /// Every language, the default first.
    pub homes: Vec<LanguageHome>,
    /// Output path (`news/a/`, without the language's prefix) → the same
    /// output in every language that has it, this one included: (tag,
    /// permalink). Only outputs with a translation are here.
    pub alternates: std::collections::HashMap<String, Vec<(String, String)>>,
    /// A translation's links to pages it has no translation of: the
    /// default language's page key → URL.
    pub fallback: std::collections::HashMap<String, String>,
}

impl Site {
    pub fn page(&self, key: &str) -> Option<&Page> {
        self.content.pages.get(key)
    }

    /// The absolute URL path of an output path (`news/a/` → `/portal/news/a/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path.trim_start_matches('/'))
    }

    /// The full URL including host.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path.trim_start_matches('/'))
    }

    pub fn page_path(&self, key: &str) -> &str {
        self.links.get(key).map_or("", |l| l.path.as_str())
    }

    /// Output path of page `n` (1-based) of an index at `base` (`news/`).
    pub fn pager_path(base: &str, n: usize) -> String {
        if n <= 1 {
            base.to_string()
        } else {
            format!("{base}page/{n}/")
        }
    }
}

/// What an update of a site kept in memory changed (the dev server:
/// `build::update`), with the relations as they were before.
pub struct SiteChange {
    /// Pages read again from disk (new or edited): their front matter may
    /// differ.
    pub edited: std::collections::BTreeSet<String>,
    /// Pages whose Markdown was rendered again (the edited ones included).
    pub rendered: std::collections::BTreeSet<String>,
    /// Pages that are gone (deleted, now a draft, or failed to be a page).
    pub removed: std::collections::BTreeSet<String>,
    /// The front matter the edited pages had (none for new pages).
    pub before: BTreeMap<String, crate::frontmatter::FrontMatter>,
    /// The links before the update of every page whose links changed
    /// (`None`: a new page); a page not here has the links it had.
    pub links: BTreeMap<String, Option<PageLinks>>,
    /// Each board's pages before, in site.yaml order.
    pub boards: Vec<Vec<String>>,
    pub series: BTreeMap<String, Series>,
    pub taxonomies: Vec<Taxonomy>,
    /// Templates whose outputs may differ although no value they show
    /// changed (they read a data file that changed).
    pub templates: std::collections::BTreeSet<String>,
}

impl SiteChange {
    /// Page `key`'s links before the change, `now` being the site's links
    /// after it.
    pub fn links_before<'a>(
        &'a self,
        key: &str,
        now: &'a BTreeMap<String, PageLinks>,
    ) -> Option<&'a PageLinks> {
        match self.links.get(key) {
            Some(was) => was.as_ref(),
            None => now.get(key),
        }
    }
}
