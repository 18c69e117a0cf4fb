//! Loading the content tree: walk `content/`, split front matter from
//! Markdown, read typed front matter, find page bundles and assets.
//! Nothing here knows about URLs or templates.

use crate::config::Config;
use crate::error::Diagnostic;
use crate::frontmatter::{self, FrontMatter};
use crate::msg;
use crate::source::{decode_text, is_ignored_name};
use crate::yaml;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const CONTENT_DIR: &str = "content";

/// One Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Content-relative path with `/` separators: the page's key (`news/a.md`).
    pub key: String,
    /// Site-relative file path for messages (`content/news/a.md`).
    pub file: String,
    pub board: Option<String>,
    /// Its front matter; `meta.kind` is the built-in kind whose behaviour
    /// its kind has.
    pub meta: FrontMatter,
    /// The file line on which the page's Markdown starts (the Markdown
    /// itself is kept apart: [`Bodies`]).
    pub body_line: usize,
    /// The bundle folder (content-relative) when the page is `…/index.md`.
    pub bundle: Option<String>,
    /// Content-relative paths of the bundle's other files.
    pub assets: Vec<String>,
}

/// An `_index.md`: the home intro (key `""`) or a board intro (key = board).
#[derive(Debug, Clone)]
pub struct IndexPage {
    pub file: String,
    pub meta: FrontMatter,
    pub body: String,
    pub body_line: usize,
}

/// Why a page exists on disk but is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    Draft,
    Future,
    Expired,
}

impl Hidden {
    pub fn reason(self) -> crate::messages::Text {
        match self {
            Hidden::Draft => msg!("hidden-draft"),
            Hidden::Future => msg!("hidden-future"),
            Hidden::Expired => msg!("hidden-expired"),
        }
    }
}

/// Each page's Markdown (after its front matter), by page key: kept apart
/// from the pages, whose metadata every step reads, because a one-off
/// build lets go of each text once its page is written.
pub type Bodies = BTreeMap<String, String>;

/// Everything under `content/`.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub pages: BTreeMap<String, Page>,
    pub indexes: BTreeMap<String, IndexPage>,
    /// Files that are not Markdown and not in a bundle (content-relative).
    pub assets: Vec<String>,
    pub hidden: BTreeMap<String, Hidden>,
    /// Pages that did not load (their errors are reported): links to them
    /// are not reported again.
    pub failed: BTreeSet<String>,
    /// The first moment after the load at which a page would appear (its
    /// date comes) or disappear (it expires): content loaded earlier is
    /// stale from then on.
    pub next_change: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The translations (`about.en.md`) into each other language of the
    /// site, keyed as their originals (`about.md`).
    pub translations: Vec<Translation>,
}

impl Content {
    fn note_change(&mut self, at: chrono::DateTime<chrono::FixedOffset>) {
        if self.next_change.is_none_or(|t| at < t) {
            self.next_change = Some(at);
        }
    }
}

/// What to include.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub drafts: bool,
    pub future: bool,
    /// "Now", for future and expiry checks.
    pub now: chrono::DateTime<chrono::FixedOffset>,
}

pub use crate::frontmatter::{Format, split_front_matter};

mod translations;
pub use translations::Translation;
use translations::{load_translations, translation_of};

struct Walked {
    markdown: Vec<String>,
    other: Vec<String>,
    diags: Vec<Diagnostic>,
}

fn walk(root: &Path, content_dir: &Path) -> Walked {
    let found = crate::confine::walk_files(root, content_dir, is_ignored_name);
    let mut w = Walked {
        markdown: Vec::new(),
        other: Vec::new(),
        diags: found.diags,
    };
    for (rel, _) in found.files {
        if rel.ends_with(".md") {
            w.markdown.push(rel);
        } else {
            w.other.push(rel);
        }
    }
    w
}

/// One file of `content/` as loaded.
pub enum Loaded {
    /// The page and its Markdown.
    Page(Box<Page>, String),
    Index(String, Box<IndexPage>),
    /// The key, why, and when a future page comes out.
    Hidden(
        String,
        Hidden,
        Option<chrono::DateTime<chrono::FixedOffset>>,
    ),
}

/// Loads every file under `ROOT/content`.
pub fn load(
    root: &Path,
    config: &Config,
    opts: &LoadOptions,
) -> (Content, Bodies, Vec<Diagnostic>) {
    let content_dir = root.join(CONTENT_DIR);
    let mut content = Content::default();
    let mut bodies = Bodies::new();
    if !content_dir.is_dir() {
        return (
            content,
            bodies,
            vec![
                Diagnostic::error(CONTENT_DIR, msg!("no-content-folder"))
                    .hint(msg!("no-content-folder-hint")),
            ],
        );
    }
    let mut walked = walk(root, &content_dir);
    let mut diags = walked.diags;
    // Translations apart: (language, original's name, file).
    let codes: Vec<String> = config
        .languages
        .iter()
        .skip(1)
        .map(|l| l.code.clone())
        .collect();
    let mut translated: Vec<(usize, String, String)> = Vec::new();
    if !codes.is_empty() {
        walked
            .markdown
            .retain(|rel| match translation_of(rel, &codes) {
                Some((i, plain)) => {
                    translated.push((i, plain, rel.clone()));
                    false
                }
                None => true,
            });
    }

    let bundles: BTreeSet<String> = walked
        .markdown
        .iter()
        .filter_map(|p| p.strip_suffix("/index.md").map(str::to_string))
        .collect();
    let bundle_of = |rel: &str| -> Option<String> {
        let mut dir = rel;
        while let Some(i) = dir.rfind('/') {
            dir = &dir[..i];
            if bundles.contains(dir) {
                return Some(dir.to_string());
            }
        }
        None
    };

    let results: Vec<Result<Loaded, Vec<Diagnostic>>> = walked
        .markdown
        .par_iter()
        .map(|rel| load_markdown(&content_dir, rel, rel, config, opts, &bundles))
        .collect();
    let mut bundle_assets: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rel in walked.other {
        match bundle_of(&rel) {
            Some(b) => bundle_assets.entry(b).or_default().push(rel),
            None => content.assets.push(rel),
        }
    }
    for (rel, r) in walked.markdown.iter().zip(results) {
        match r {
            Ok(Loaded::Page(mut page, body)) => {
                if let Some(b) = &page.bundle {
                    page.assets = bundle_assets.remove(b).unwrap_or_default();
                }
                if let Some(expires) = page.meta.expires {
                    content.note_change(expires);
                }
                bodies.insert(page.key.clone(), body);
                content.pages.insert(page.key.clone(), *page);
            }
            Ok(Loaded::Index(key, index)) => {
                content.indexes.insert(key, *index);
            }
            Ok(Loaded::Hidden(key, why, comes_out)) => {
                if let Some(t) = comes_out {
                    content.note_change(t);
                }
                content.hidden.insert(key, why);
            }
            Err(mut d) => {
                content.failed.insert(rel.clone());
                diags.append(&mut d);
            }
        }
    }
    check_folders(config, &walked.markdown, &mut diags);
    content.translations = load_translations(
        &content_dir,
        config,
        opts,
        &bundles,
        &content,
        translated,
        &mut diags,
    );
    (content, bodies, diags)
}

/// Re-reads one page file (content-relative `rel`, in bundle folder
/// `bundle` if any): the page with its Markdown, or why it is hidden. A
/// file whose real path leaves the site is refused, as a build refuses it.
pub fn reload_page(
    root: &Path,
    rel: &str,
    bundle: Option<&str>,
    config: &Config,
    opts: &LoadOptions,
) -> Result<Loaded, Vec<Diagnostic>> {
    let path = root.join(CONTENT_DIR).join(rel);
    crate::confine::check(&crate::confine::real_root(root), &path)
        .map_err(|e| vec![e.diagnostic(&format!("{CONTENT_DIR}/{rel}"))])?;
    let bundles: BTreeSet<String> = bundle.into_iter().map(str::to_string).collect();
    load_markdown(&root.join(CONTENT_DIR), rel, rel, config, opts, &bundles)
}

impl Content {
    /// Puts a page file re-read by [`reload_page`] in place of what its
    /// key held (a page, a hidden page or nothing); returns the page's
    /// Markdown when it is published. An index file changes nothing.
    pub fn replace(&mut self, key: &str, loaded: Loaded) -> Option<String> {
        // A bundle's files stay what they were (a change to them is not
        // an edit of the page).
        let assets = self
            .pages
            .get(key)
            .map(|p| p.assets.clone())
            .unwrap_or_default();
        self.remove(key);
        match loaded {
            Loaded::Page(mut page, body) => {
                if let Some(expires) = page.meta.expires {
                    self.note_change(expires);
                }
                page.assets = assets;
                self.pages.insert(key.to_string(), *page);
                Some(body)
            }
            Loaded::Hidden(_, why, comes_out) => {
                if let Some(t) = comes_out {
                    self.note_change(t);
                }
                self.hidden.insert(key.to_string(), why);
                None
            }
            Loaded::Index(..) => None,
        }
    }

    /// Forgets the page file `key` (deleted from disk).
    pub fn remove(&mut self, key: &str) {
        self.pages.remove(key);
        self.hidden.remove(key);
        self.failed.remove(key);
    }
}

fn check_folders(config: &Config, markdown: &[String], diags: &mut Vec<Diagnostic>) {
    for board in &config.boards {
        let prefix = format!("{}/", board.key);
        if !markdown.iter().any(|p| p.starts_with(&prefix)) {
            diags.push(
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    msg!("board-without-folder", board = board.key),
                )
                .at(board.line)
                .hint(msg!("board-without-folder-hint", board = board.key)),
            );
        }
    }
}

/// Loads the file `real` as the page `rel` (they differ for a translation:
/// `about.en.md` is loaded as `about.md`).
fn load_markdown(
    content_dir: &Path,
    rel: &str,
    real: &str,
    config: &Config,
    opts: &LoadOptions,
    bundles: &BTreeSet<String>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let file = format!("{CONTENT_DIR}/{real}");
    let abs: PathBuf = content_dir.join(real);
    let bytes = std::fs::read(&abs).map_err(|e| {
        vec![
            Diagnostic::error(&file, msg!("cannot-read-file", why = e))
                .hint(msg!("cannot-read-file-hint")),
        ]
    })?;
    let text = decode_text(&file, &bytes).map_err(|d| vec![d])?;
    let (front, body, body_line, format) =
        match split_front_matter(&file, &text).map_err(|d| vec![d])? {
            Some(parts) => parts,
            None => ("", text.as_str(), 1, Format::Yaml),
        };
    let has_front_matter = body_line > 1;
    let parsed = match format {
        Format::Yaml => yaml::parse(front, 1),
        Format::Toml => yaml::toml::parse(front, 2),
    };
    let node = parsed.map_err(|e| {
        vec![Diagnostic {
            hint: e.hint,
            ..Diagnostic::error(&file, e.message).at_col(e.line, e.col)
        }]
    })?;

    let first = rel.split('/').next().unwrap_or("");
    let top_level = !rel.contains('/');
    let name = rel.rsplit('/').next().unwrap_or(rel);

    if name == "_index.md" {
        let key = rel
            .strip_suffix("_index.md")
            .unwrap_or("")
            .trim_end_matches('/');
        if !key.is_empty() && (key.contains('/') || config.board(key).is_none()) {
            return Err(vec![not_a_board(&file, first, config)]);
        }
        let (meta, diags) = frontmatter::read_index(&file, &node);
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        return Ok(Loaded::Index(
            key.to_string(),
            Box::new(IndexPage {
                file,
                meta,
                body: body.to_string(),
                body_line,
            }),
        ));
    }

    let board = if top_level {
        None
    } else {
        match config.board(first) {
            Some(b) => Some(b.key.clone()),
            None => return Err(vec![not_a_board(&file, first, config)]),
        }
    };
    let mut body = body.to_string();
    let mut node = node;
    if !has_front_matter {
        let titled = config
            .front_matter_optional
            .then(|| take_title(&mut body))
            .flatten();
        let Some((title, line)) = titled else {
            let hint = if config.front_matter_optional {
                msg!("no-front-matter-hint-optional")
            } else {
                msg!("no-front-matter-hint")
            };
            return Err(vec![
                Diagnostic::error(&file, msg!("no-front-matter"))
                    .at(1)
                    .hint(hint),
            ]);
        };
        node = yaml::Node {
            line,
            col: 1,
            value: yaml::Value::Map(vec![yaml::Entry {
                key: "title".into(),
                line,
                col: 1,
                value: yaml::Node {
                    line,
                    col: 3,
                    value: yaml::Value::Str(title),
                },
            }]),
        };
    }
    let kind_def = config.kind_of(board.as_deref());
    let (meta, diags) = frontmatter::read_page(&file, &node, kind_def, config, 1);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    if meta.draft && !opts.drafts {
        return Ok(Loaded::Hidden(rel.to_string(), Hidden::Draft, None));
    }
    if !opts.future && meta.date.is_some_and(|d| d > opts.now) {
        return Ok(Loaded::Hidden(rel.to_string(), Hidden::Future, meta.date));
    }
    if meta.expires.is_some_and(|d| d <= opts.now) {
        return Ok(Loaded::Hidden(rel.to_string(), Hidden::Expired, None));
    }
    let bundle = rel
        .strip_suffix("/index.md")
        .filter(|b| bundles.contains(*b))
        .map(str::to_string);
    let page = Page {
        key: rel.to_string(),
        file,
        board,
        meta,
        body_line,
        bundle,
        assets: Vec::new(),
    };
    Ok(Loaded::Page(Box::new(page), body))
}

/// Takes the first `# Title` line out of a page without front matter (left
/// blank, so lines keep their numbers); returns the title and its line.
fn take_title(body: &mut String) -> Option<(String, usize)> {
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let t = line.trim();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
        } else if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
        } else if let Some(title) = line.strip_prefix("# ") {
            let title = title.trim().trim_end_matches('#').trim().to_string();
            let len = line.trim_end_matches('\n').len();
            let (start, end) = (offset, offset + len);
            if title.is_empty() {
                return None;
            }
            body.replace_range(start..end, "");
            return Some((title, i + 1));
        }
        offset += line.len();
    }
    None
}

fn not_a_board(file: &str, folder: &str, config: &Config) -> Diagnostic {
    let keys: Vec<&str> = config.boards.iter().map(|b| b.key.as_str()).collect();
    let hint = match crate::error::did_you_mean(folder, keys.iter().copied()) {
        Some(s) => msg!("not-a-board-did-you-mean", near = s, folder),
        None => msg!("not-a-board-hint", folder, boards = keys.join(", ")),
    };
    Diagnostic::error(file, msg!("not-a-board", folder)).hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let (y, b, line, _) = split_front_matter("a", "---\ntitle: x\n---\nbody\n")
            .unwrap()
            .unwrap();
        assert_eq!(y, "title: x\n");
        assert_eq!(b, "body\n");
        assert_eq!(line, 4);
        assert!(split_front_matter("a", "---\ntitle: x\nbody\n").is_err());
        assert!(
            split_front_matter("a", "no front matter")
                .unwrap()
                .is_none()
        );
    }
}
