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
use crate::build::{BuildOptions, Loaded};
use crate::content::{self, LoadOptions};
use crate::output::{MemorySink, SharedFiles};
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

/// What the quick path did.
pub enum Outcome {
    /// The files it re-rendered (some may be unchanged).
    Updated(SharedFiles),
    /// The change needs a full rebuild; the cache is untouched.
    NotQuick,
    /// Rendering failed part-way; the cache is no longer valid.
    Broken,
}

/// A page whose text changed, ready to go in.
struct Update {
    key: String,
    body: String,
    body_line: usize,
    rendered: crate::site::Body,
}

/// Tries the quick path for the files in `changed`.
pub fn update(cache: &mut Cache, opts: &BuildOptions, changed: &BTreeSet<PathBuf>) -> Outcome {
    let Some(updates) = prepare(cache, opts, changed) else {
        return Outcome::NotQuick;
    };
    let loaded = &mut cache.loaded;
    let (site, texts) = (&mut loaded.site, &mut loaded.texts);
    let keys: Vec<String> = updates.iter().map(|u| u.key.clone()).collect();
    for u in updates {
        if let Some(page) = site.content.pages.get_mut(&u.key) {
            page.body_line = u.body_line;
        }
        texts.markdown.insert(u.key.clone(), u.body);
        texts.html.insert(u.key.clone(), u.rendered.html);
        texts.plain.insert(u.key.clone(), u.rendered.plain);
        site.rendered.insert(u.key, u.rendered.facts);
    }
    let sink = MemorySink::new();
    match cache
        .render
        .update_pages(site, texts, &loaded.templates, &keys, &sink)
    {
        Ok(_) => Outcome::Updated(sink.into_shared()),
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
    let inputs = MarkdownInputs {
        root: &site.root,
        config: &site.config,
        content: &site.content,
        links: &site.links,
        templates: &loaded.templates,
        highlighter: &loaded.highlighter,
        collect_refs: true,
    };
    let mut updates = Vec::new();
    for path in changed {
        let key = content_key(&cache.root, path)?;
        let old = site.content.pages.get(&key)?;
        let (page, body) = content::reload_page(
            &site.root,
            &key,
            old.bundle.as_deref(),
            &site.config,
            &load_opts,
        )
        .ok()??;
        if page.meta != old.meta || page.board != old.board || page.kind != old.kind {
            return None;
        }
        if loaded.texts.markdown.get(&key) == Some(&body) && page.body_line == old.body_line {
            continue;
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
            body,
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
