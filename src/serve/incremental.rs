//! The quick path of a dev-server rebuild: when only the text of existing
//! pages changed (their front matter is identical), re-render just the
//! outputs that show those pages — the page, the board, term and home
//! pages listing it, its series, the feeds and the search index — from the
//! site kept in memory. Anything else (a new, deleted or renamed file, a
//! front-matter, template, config, data or static change, a page with
//! problems) returns `None` and the caller does a full rebuild, which is
//! also what reports errors. The randomized test in `tests/it/serve.rs`
//! checks that both paths serve byte-identical files.

use crate::bodies::{MarkdownInputs, broken_anchors};
use crate::build::update::PageFile;
use crate::build::{BuildOptions, Loaded};
use crate::content::{self, LoadOptions};
use crate::output::{SharedFiles, Sink};
use crate::render::RenderCache;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The last good build, kept to be updated in place.
pub struct Cache {
    pub loaded: Loaded,
    pub render: RenderCache,
    /// The site root, as the watcher reports paths.
    pub root: PathBuf,
}

impl Cache {
    /// Lets go of the pages' plain text once the search index has its
    /// tokens (a page's text is kept only while it is indexed): at 10,000
    /// pages that is 56 MB the server need not hold. The index asks for a
    /// full build in the rare case it must tokenize every page again.
    pub fn let_go_of_texts(&mut self) {
        self.loaded.texts.plain = Default::default();
    }
}

/// What the quick path did.
pub enum Outcome {
    /// The files it re-rendered (some may be unchanged), the files that
    /// are no longer part of the site, and static files' fingerprints to
    /// replace in every other file (`?v=old` → `?v=new`).
    Updated(UpdateKind, SharedFiles, Vec<String>, Fingerprints),
    /// The change needs a full rebuild; the cache is untouched.
    NotQuick,
    /// The change needs a full rebuild, and the cache is no longer valid.
    Broken,
}

/// Static files' fingerprints, (old, new).
pub type Fingerprints = Vec<(String, String)>;

/// Which way a rebuild went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateKind {
    /// Everything loaded and rendered again.
    Full,
    /// Pages' text changed: the outputs showing them were rendered again.
    Text,
    /// Page files changed (front matter, new, deleted): the site was linked
    /// again and the outputs showing a changed value or list rendered.
    Pages,
    /// Templates, UI strings or data changed: outputs rendered again from
    /// the kept Markdown.
    Templates,
    /// Only stylesheets changed: outputs rendered again, and browsers swap
    /// the styles (the pages differ only in the stylesheets' fingerprints).
    Styles,
}

impl UpdateKind {
    /// The terminal's line for an update of this kind that took `millis`.
    pub fn line(self, millis: u128, files: usize, changed: usize) -> crate::messages::Text {
        let how = match self {
            UpdateKind::Full => crate::msg!("how-rebuilt"),
            UpdateKind::Text => crate::msg!("how-text"),
            UpdateKind::Pages => crate::msg!("how-pages"),
            UpdateKind::Templates => crate::msg!("how-templates"),
            UpdateKind::Styles => crate::msg!("how-styles"),
        };
        crate::msg!("site-updated", how => how, millis, files, changed)
    }
}

impl UpdateKind {
    /// Only part of the site was made again.
    pub fn is_quick(self) -> bool {
        self != UpdateKind::Full
    }
}

/// A page whose text changed, ready to go in.
struct Update {
    key: String,
    body_line: usize,
    rendered: crate::site::Body,
}

/// Tries the quick paths for the files in `changed`: text-only edits of
/// pages, then any change of page files (front matter, new, deleted).
pub fn update(cache: &mut Cache, opts: &BuildOptions, changed: &BTreeSet<PathBuf>) -> Outcome {
    match prepare(cache, opts, changed) {
        Some(updates) => update_texts(cache, updates),
        None => {
            // Pages first, then the theme (which renders every output).
            let content = cache.root.join(content::CONTENT_DIR);
            let (pages, theme): (BTreeSet<PathBuf>, BTreeSet<PathBuf>) = changed
                .iter()
                .cloned()
                .partition(|p| p.starts_with(&content));
            match (pages.is_empty(), theme.is_empty()) {
                (false, true) => update_pages(cache, opts, &pages),
                (true, false) => update_theme(cache, opts, &theme),
                (false, false) => match update_pages(cache, opts, &pages) {
                    Outcome::Updated(_, first, gone, _) => {
                        match update_theme(cache, opts, &theme) {
                            Outcome::Updated(kind, mut files, more, prints) => {
                                // The pages' outputs the theme did not make again
                                // (served with its new fingerprints, `prints`).
                                for (path, stored) in first {
                                    files.entry(path).or_insert(stored);
                                }
                                let gone = gone.into_iter().chain(more).collect();
                                Outcome::Updated(kind, files, gone, prints)
                            }
                            // The pages are in: the cache is no longer the snapshot's.
                            _ => Outcome::Broken,
                        }
                    }
                    other => other,
                },
                (true, true) => Outcome::NotQuick,
            }
        }
    }
}

/// After an update was published: the search index it left (see
/// [`RenderCache::finish_index`]), then the pages' text let go of. The
/// files written and the files gone; `None` when a full build is due.
pub fn finish(cache: &mut Cache) -> Option<(SharedFiles, Vec<String>)> {
    let sink = super::memory_sink();
    let loaded = &cache.loaded;
    let done = cache.render.finish_index(
        &loaded.site,
        &loaded.texts,
        &loaded.templates,
        &loaded.copies,
        &sink,
    );
    cache.let_go_of_texts();
    done.ok().map(|u| (sink.into_shared(), u.removed))
}

/// Text-only edits: the page values of `updates` change, nothing else.
fn update_texts(cache: &mut Cache, updates: Vec<Update>) -> Outcome {
    let loaded = &mut cache.loaded;
    let (site, texts) = (&mut loaded.site, &mut loaded.texts);
    let keys: Vec<String> = updates.iter().map(|u| u.key.clone()).collect();
    for u in updates {
        if let Some(page) = site.content.pages.get_mut(&u.key) {
            page.body_line = u.body_line;
        }
        texts.html.insert(u.key.clone(), u.rendered.html);
        texts.plain.insert(u.key.clone(), u.rendered.plain);
        site.rendered.insert(u.key, u.rendered.facts);
    }
    let sink = super::memory_sink();
    match cache
        .render
        .update_pages(site, texts, &loaded.templates, &keys, &sink)
    {
        Ok(_) => Outcome::Updated(UpdateKind::Text, sink.into_shared(), Vec::new(), Vec::new()),
        Err(_) => Outcome::Broken,
    }
}

/// Templates, UI strings, data or static files: every output rendered
/// again from the kept site and Markdown.
fn update_theme(cache: &mut Cache, opts: &BuildOptions, changed: &BTreeSet<PathBuf>) -> Outcome {
    use crate::build::reload::{ThemeChange, reload_theme, site_relative};
    let Some(paths) = changed
        .iter()
        .map(|p| site_relative(&cache.root, p))
        .collect::<Option<Vec<String>>>()
    else {
        return Outcome::NotQuick;
    };
    let Some(change) = ThemeChange::of(&paths, &cache.loaded.site.config.theme) else {
        return Outcome::NotQuick;
    };
    let before: BTreeSet<String> = cache.loaded.copies.iter().map(|c| c.to.clone()).collect();
    let old_assets = cache.loaded.templates.inputs.assets.clone();
    let Ok(rendered) = reload_theme(&mut cache.loaded, opts, change) else {
        return Outcome::Broken;
    };
    let mut gone = before;
    for c in &cache.loaded.copies {
        gone.remove(&c.to);
    }
    let loaded = &cache.loaded;
    // Static files alone: their fingerprints change in the outputs.
    if change.statics
        && !(change.templates || change.strings || change.data)
        && let Some(prints) = fingerprints(&old_assets, &loaded.templates)
    {
        let changed: BTreeSet<&String> = prints.iter().map(|(path, _, _)| path).collect();
        let sink = super::memory_sink();
        for c in loaded.copies.iter().filter(|c| changed.contains(&c.to)) {
            let copied = match &c.from {
                crate::theme::Origin::Disk(p) => sink.copy(&c.to, p),
                crate::theme::Origin::Embedded(bytes) => sink.write(&c.to, bytes),
            };
            if copied.is_err() {
                return Outcome::Broken;
            }
        }
        let styles = changed.iter().all(|p| p.ends_with(".css"));
        let kind = if styles {
            UpdateKind::Styles
        } else {
            UpdateKind::Templates
        };
        let prints = prints.into_iter().map(|(_, a, b)| (a, b)).collect();
        return Outcome::Updated(kind, sink.into_shared(), Vec::new(), prints);
    }
    // Templates alone: the outputs made with them, from the kept values.
    if !(change.strings || change.shortcodes || change.data || change.statics) {
        let names = crate::build::reload::template_names(&paths, &loaded.site.config.theme);
        if let Some(users) = loaded.templates.users_of(&names) {
            let sink = super::memory_sink();
            return match cache.render.rerender_templates(
                &loaded.site,
                &loaded.templates,
                &users,
                &sink,
            ) {
                Ok(_) => Outcome::Updated(
                    UpdateKind::Templates,
                    sink.into_shared(),
                    Vec::new(),
                    Vec::new(),
                ),
                Err(_) => Outcome::Broken,
            };
        }
    }
    // Data files alone: the pages calling shortcodes (rendered again) and
    // the outputs of the templates that read `data`.
    if change.data && !(change.templates || change.strings || change.statics) {
        let readers: Vec<String> = loaded.templates.data_readers.iter().cloned().collect();
        if let Some(users) = loaded.templates.users_of(&readers) {
            let site = &loaded.site;
            let unchanged = crate::site::SiteChange {
                edited: BTreeSet::new(),
                rendered,
                removed: BTreeSet::new(),
                before: Default::default(),
                links: Default::default(),
                boards: site.boards.iter().map(|b| b.pages.clone()).collect(),
                series: site.series.clone(),
                taxonomies: site.taxonomies.clone(),
                templates: users,
            };
            let sink = super::memory_sink();
            return match cache.render.update_site(
                site,
                &loaded.texts,
                &loaded.templates,
                &loaded.copies,
                &unchanged,
                &sink,
            ) {
                Ok(u) => Outcome::Updated(
                    UpdateKind::Templates,
                    sink.into_shared(),
                    u.removed,
                    Vec::new(),
                ),
                Err(_) => Outcome::Broken,
            };
        }
    }
    let mut search = cache.render.take_search();
    if let Some(index) = &mut search {
        for key in &rendered {
            index.update(&loaded.site, &loaded.texts.plain, key);
        }
    }
    let sink = super::memory_sink();
    match crate::build::render_again(loaded, search, &sink) {
        Ok(render) => {
            cache.render = render;
            let gone = gone.into_iter().collect();
            let styles =
                !(change.templates || change.data) && paths.iter().all(|p| p.ends_with(".css"));
            let kind = if styles {
                UpdateKind::Styles
            } else {
                UpdateKind::Templates
            };
            Outcome::Updated(kind, sink.into_shared(), gone, Vec::new())
        }
        Err(_) => Outcome::Broken,
    }
}

/// `bytes` with each old fingerprint of `prints` (without `?v=`) replaced
/// by its new one; `None` if none is there.
pub(super) fn replace_prints(bytes: &[u8], prints: &[(String, String)]) -> Option<Vec<u8>> {
    let mut out: Option<Vec<u8>> = None;
    for (old, new) in prints {
        let (from, to) = (format!("?v={old}"), format!("?v={new}"));
        let (from, to) = (from.as_bytes(), to.as_bytes());
        let text = out.as_deref().unwrap_or(bytes);
        if memchr::memmem::find(text, from).is_none() {
            continue;
        }
        let mut next = Vec::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = memchr::memmem::find(rest, from) {
            next.extend_from_slice(&rest[..i]);
            next.extend_from_slice(to);
            rest = &rest[i + from.len()..];
        }
        next.extend_from_slice(rest);
        out = Some(next);
    }
    out
}

/// The static files whose content hash changed, with the old and new hash;
/// `None` when fingerprints cannot simply be replaced: a file came or went,
/// two files share a hash, or a shortcode calls `asset()` (the pages' kept
/// HTML would then hold old fingerprints).
fn fingerprints(
    before: &std::collections::HashMap<String, String>,
    templates: &crate::templates::Templates,
) -> Option<Vec<(String, String, String)>> {
    let after = &templates.inputs.assets;
    if templates.shortcodes_call_asset || before.len() != after.len() {
        return None;
    }
    let mut out = Vec::new();
    for (path, new) in after.iter() {
        let old = before.get(path)?;
        if old != new {
            out.push((path.clone(), old.clone(), new.clone()));
        }
    }
    let unique = |hashes: &mut dyn Iterator<Item = &String>| {
        let all: Vec<&String> = hashes.collect();
        let set: BTreeSet<&String> = all.iter().copied().collect();
        set.len() == all.len()
    };
    (!out.is_empty() && unique(&mut before.values()) && unique(&mut after.values())).then_some(out)
}

/// Page files that are new, edited in their front matter or deleted.
fn update_pages(cache: &mut Cache, opts: &BuildOptions, changed: &BTreeSet<PathBuf>) -> Outcome {
    let mut files = Vec::new();
    for path in changed {
        if is_passing(cache, path) {
            continue;
        }
        let Some(key) = content_key(&cache.root, path) else {
            return Outcome::NotQuick;
        };
        if path.is_dir() {
            return Outcome::NotQuick;
        }
        files.push(PageFile {
            key,
            exists: path.is_file(),
        });
    }
    if files.is_empty() {
        // Only files that came and went: nothing to do.
        return Outcome::Updated(
            UpdateKind::Pages,
            SharedFiles::new(),
            Vec::new(),
            Vec::new(),
        );
    }
    let loaded = &mut cache.loaded;
    let Some(change) = crate::build::update::update_pages(loaded, opts, &files) else {
        return Outcome::Broken;
    };
    let sink = super::memory_sink();
    match cache.render.update_site(
        &loaded.site,
        &loaded.texts,
        &loaded.templates,
        &loaded.copies,
        &change,
        &sink,
    ) {
        Ok(u) => Outcome::Updated(UpdateKind::Pages, sink.into_shared(), u.removed, Vec::new()),
        Err(_) => Outcome::Broken,
    }
}

/// Re-reads and renders the changed pages without touching the cache;
/// `None` unless every change is a text-only edit of an existing page that
/// renders without a single diagnostic and keeps its headings' anchors.
fn prepare(cache: &Cache, opts: &BuildOptions, changed: &BTreeSet<PathBuf>) -> Option<Vec<Update>> {
    let loaded = &cache.loaded;
    let site = &loaded.site;
    let now = opts
        .now
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    // A page coming out or expiring since the load changes the page set.
    if site.content.next_change.is_some_and(|t| t <= now) || changed.is_empty() {
        return None;
    }
    let load_opts = LoadOptions {
        drafts: opts.drafts,
        future: opts.future,
        now,
    };
    let images_before = loaded.templates.images.outputs().len();
    let inputs = MarkdownInputs::new(site, &loaded.templates, &loaded.highlighter, true);
    let mut updates = Vec::new();
    for path in changed {
        let key = content_key(&cache.root, path)?;
        let old = site.content.pages.get(&key)?;
        let content::Loaded::Page(page, body) = content::reload_page(
            &site.root,
            &key,
            old.bundle.as_deref(),
            &site.config,
            &load_opts,
        )
        .ok()?
        else {
            return None;
        };
        if page.meta != old.meta || page.board != old.board {
            return None;
        }
        let links = site.links.get(&key)?;
        let (rendered, diags) = inputs.render(&page.file, &body, page.body_line, &key, &links.path);
        if !diags.is_empty() || site.rendered.get(&key)?.anchors != rendered.facts.anchors {
            return None;
        }
        // Links to anchors of other pages (whose anchors are unchanged).
        if broken_anchors(&rendered.facts, &site.rendered)
            .next()
            .is_some()
        {
            return None;
        }
        updates.push(Update {
            key,
            body_line: page.body_line,
            rendered,
        });
    }
    // A new image variant is a new file to copy: leave that to a full build.
    if loaded.templates.images.outputs().len() != images_before {
        return None;
    }
    Some(updates)
}

/// A file under `content/` that a build does not see: one under a name
/// builds skip (`.hidden/`, `#draft.md`), or one that came and went
/// between two looks (an editor's temporary file, `sed -i`'s) and is
/// neither a page nor a file the site had.
fn is_passing(cache: &Cache, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(cache.root.join(content::CONTENT_DIR)) else {
        return false;
    };
    let skipped = rel
        .components()
        .any(|c| crate::source::is_ignored_name(&c.as_os_str().to_string_lossy()));
    if skipped {
        return true;
    }
    if path.exists() {
        return false;
    }
    let Some(rel) = rel.to_str().map(|r| r.replace('\\', "/")) else {
        return false;
    };
    let c = &cache.loaded.site.content;
    !(c.pages.contains_key(&rel)
        || c.hidden.contains_key(&rel)
        || c.failed.contains(&rel)
        || c.indexes
            .values()
            .any(|i| i.file.ends_with(&format!("/{rel}")))
        || c.assets.contains(&rel)
        || c.pages.values().any(|p| p.assets.contains(&rel)))
}

/// `ROOT/content/a/b.md` → `a/b.md`, for Markdown files only.
fn content_key(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root.join(content::CONTENT_DIR)).ok()?;
    let key = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<_>>>()?
        .join("/");
    (key.ends_with(".md") && !key.ends_with("_index.md")).then_some(key)
}
