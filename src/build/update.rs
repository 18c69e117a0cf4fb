//! Updating a build kept in memory after page files changed on disk (the
//! dev server): the changed files are read again, the site is linked again
//! reusing every other page's path and resources, and only the Markdown
//! that can show the change is rendered again — the edited pages, and the
//! pages that link to a page that appeared, went or moved. What changed is
//! returned for [`crate::render::RenderCache::update_site`].
//!
//! Anything this cannot do exactly as a full build would (a problem in a
//! page, a new bundle, a page moving with its bundle's files) returns
//! `None`: the caller then does a full build, which also reports problems.

use super::{BuildOptions, Loaded};
use crate::bodies::{MarkdownInputs, check_anchors};
use crate::content::{self, LoadOptions};
use crate::site::{PageLinks, SiteChange};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A page file that changed: its key, and whether it is still on disk.
pub struct PageFile {
    pub key: String,
    pub exists: bool,
}

/// Applies `files` to `loaded`. `None`: do a full build (`loaded` may then
/// be half-updated and must not be used again).
pub fn update_pages(
    loaded: &mut Loaded,
    opts: &BuildOptions,
    files: &[PageFile],
) -> Option<SiteChange> {
    let now = opts
        .now
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    let site = &mut loaded.site;
    // A page coming out or expiring since the load changes the page set.
    if site.content.next_change.is_some_and(|t| t <= now) {
        return None;
    }
    let load_opts = LoadOptions {
        drafts: opts.drafts,
        future: opts.future,
        now,
    };
    let bundles: BTreeSet<&str> = site
        .content
        .pages
        .values()
        .filter_map(|p| p.bundle.as_deref())
        .collect();
    let mut reread = Vec::new();
    for f in files {
        let old = site.content.pages.get(&f.key);
        let bundle = old.and_then(|p| p.bundle.clone());
        // A new bundle brings files to copy, a file inside one is one of
        // them: a full build sorts those out.
        let in_bundle = bundles.iter().any(|b| f.key.starts_with(&format!("{b}/")));
        if old.is_none() && (f.key.ends_with("/index.md") || in_bundle) {
            return None;
        }
        if bundle.is_none() && in_bundle {
            return None;
        }
        let loaded = if f.exists {
            let l = content::reload_page(
                &site.root,
                &f.key,
                bundle.as_deref(),
                &site.config,
                &load_opts,
            )
            .ok()?;
            Some(l)
        } else {
            None
        };
        reread.push((f.key.clone(), loaded));
    }
    drop(bundles);

    let mut edited = BTreeSet::new();
    let mut removed = BTreeSet::new();
    let mut before = BTreeMap::new();
    // The Markdown of the pages read again.
    let mut bodies: BTreeMap<String, String> = BTreeMap::new();
    for (key, file) in reread {
        if let Some(page) = site.content.pages.get(&key) {
            before.insert(key.clone(), page.meta.clone());
        }
        let was_page = site.content.pages.contains_key(&key);
        let body = match file {
            Some(l) => site.content.replace(&key, l),
            None => {
                site.content.remove(&key);
                None
            }
        };
        match body {
            Some(body) => {
                bodies.insert(key.clone(), body);
                edited.insert(key);
            }
            None => {
                loaded.texts.html.remove(&key);
                loaded.texts.plain.remove(&key);
                site.rendered.remove(&key);
                if was_page {
                    removed.insert(key);
                }
            }
        }
    }

    // Related pages follow dates, terms and series only.
    let same_related = removed.is_empty()
        && edited.iter().all(|key| {
            let (Some(was), Some(now)) = (before.get(key), site.content.pages.get(key)) else {
                return false;
            };
            let series = |m: &crate::frontmatter::FrontMatter| m.series().map(str::to_string);
            was.date == now.meta.date
                && was.taxonomies == now.meta.taxonomies
                && series(was) == series(&now.meta)
        });
    let changed = crate::link::Changed {
        fresh: &edited,
        removed: &removed,
        same_related,
    };
    let linked = crate::link::relink(site, &changed)?;
    let change = SiteChange {
        links: linked.links,
        boards: linked.boards,
        series: linked.series,
        taxonomies: linked.taxonomies,
        edited,
        removed,
        before,
        rendered: BTreeSet::new(),
        templates: BTreeSet::new(),
    };

    // Pages that appeared, went or moved: links to them read differently.
    let moved: Vec<&String> = change
        .removed
        .iter()
        .chain(change.edited.iter().filter(|k| {
            change.links_before(k, &site.links).map(|l| &l.path)
                != site.links.get(*k).map(|l| &l.path)
        }))
        .collect();
    for key in &moved {
        let bundled = site
            .content
            .pages
            .get(*key)
            .is_some_and(|p| p.bundle.is_some());
        if bundled {
            // Its files are published beside its new path.
            return None;
        }
    }
    // Only the changed pages' paths changed.
    loaded
        .templates
        .inputs
        .pages
        .update(change.edited.iter().chain(&change.removed).map(|k| {
            let page = site.content.pages.get(k);
            let path = site.links.get(k).map(|l| l.path.clone());
            let known = page.zip(path).map(|(p, path)| (p.bundle.is_some(), path));
            (k.clone(), known)
        }));
    let needles = needles(&moved, &change, &site.links);
    let mut render: BTreeSet<String> = change.edited.clone();
    if !moved.is_empty() {
        // Pages whose `@/` links name one, or whose other links (as
        // rendered: root paths, files) may.
        let linking: Vec<&String> = site
            .rendered
            .par_iter()
            .filter(|(k, f)| {
                !change.edited.contains(*k)
                    && (f.links.iter().any(|l| moved.contains(&&l.target))
                        || f.refs
                            .iter()
                            .any(|r| needles.iter().any(|n| r.url.contains(n.as_str()))))
            })
            .map(|(k, _)| k)
            .collect();
        for key in linking {
            let body = read_body(site, &load_opts, key)?;
            bodies.insert(key.clone(), body);
            render.insert(key.clone());
        }
    }

    let images_before = loaded.templates.images.outputs().len();
    let inputs = MarkdownInputs::new(site, &loaded.templates, &loaded.highlighter, true);
    let results: Vec<_> = render
        .par_iter()
        .map(|k| {
            let page = &site.content.pages[k];
            let body = &bodies[k];
            let (r, d) = inputs.render(&page.file, body, page.body_line, k, &site.links[k].path);
            (k, r, d)
        })
        .collect();
    // Board intros may link to a page that moved.
    let intros: Vec<_> = if moved.is_empty() {
        Vec::new()
    } else {
        site.content
            .indexes
            .iter()
            .map(|(k, index)| {
                let (key, path) = super::prepare::intro_key(k);
                let (r, d) = inputs.render(&index.file, &index.body, index.body_line, &key, &path);
                (k.clone(), r, d)
            })
            .collect()
    };
    if results.iter().any(|(_, _, d)| !d.is_empty()) || intros.iter().any(|(_, _, d)| !d.is_empty())
    {
        return None;
    }
    if loaded.templates.images.outputs().len() != images_before {
        return None;
    }
    let results = results
        .into_iter()
        .map(|(k, r, _)| (k.clone(), r))
        .collect();
    let intros = intros.into_iter().map(|(k, r, _)| (k, r)).collect();
    let (rendered, anchors) = put_rendered(loaded, results, intros);
    anchors
        .is_empty()
        .then_some(SiteChange { rendered, ..change })
}

/// Puts pages' and intros' Markdown rendered again into `loaded`; returns
/// the pages' keys and the broken `@/page.md#anchor` links of the site.
pub(super) fn put_rendered(
    loaded: &mut Loaded,
    pages: Vec<(String, crate::site::Body)>,
    intros: Vec<(String, crate::site::Body)>,
) -> (BTreeSet<String>, Vec<crate::error::Diagnostic>) {
    let site = &mut loaded.site;
    let mut keys = BTreeSet::new();
    for (k, r) in pages {
        loaded.texts.html.insert(k.clone(), r.html);
        loaded.texts.plain.insert(k.clone(), r.plain);
        site.rendered.insert(k.clone(), r.facts);
        keys.insert(k);
    }
    for (k, r) in intros {
        let intro = crate::site::Intro {
            html: r.html,
            facts: r.facts,
        };
        site.index_rendered.insert(k, intro);
    }
    let mut anchors = Vec::new();
    check_anchors(&site.content, &site.rendered, &mut anchors);
    (keys, anchors)
}

/// The Markdown of page `key` read again from disk (a page rendered again
/// is read as a full build reads it); `None` if the file changed in a way
/// not yet seen (its front matter differs: the next update has it).
pub(super) fn read_body(site: &crate::site::Site, opts: &LoadOptions, key: &str) -> Option<String> {
    let page = site.content.pages.get(key)?;
    let loaded =
        content::reload_page(&site.root, key, page.bundle.as_deref(), &site.config, opts).ok()?;
    match loaded {
        content::Loaded::Page(p, body) if p.meta == page.meta && p.body_line == page.body_line => {
            Some(body)
        }
        _ => None,
    }
}

/// What a link to one of `moved` may be written as in a page's Markdown:
/// its file name (`a.md`, mdBook's `a.html`; a bundle's `b/index.md`) and
/// its published paths before and after (`/news/a/`).
fn needles(
    moved: &[&String],
    change: &SiteChange,
    after: &BTreeMap<String, PageLinks>,
) -> Vec<String> {
    let mut out = BTreeSet::new();
    for key in moved {
        let name = match key.strip_suffix("/index.md") {
            Some(bundle) => format!("{}/index.md", bundle.rsplit('/').next().unwrap_or(bundle)),
            None => key.rsplit('/').next().unwrap_or(key).to_string(),
        };
        if let Some(stem) = name.strip_suffix(".md") {
            out.insert(format!("{stem}.html"));
        }
        out.insert(name);
        for links in [change.links_before(key, after), after.get(*key)]
            .into_iter()
            .flatten()
        {
            out.insert(format!("/{}", links.path.trim_end_matches('/')));
        }
    }
    out.into_iter().collect()
}
