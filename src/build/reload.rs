//! Reloading the theme into a build kept in memory (the dev server):
//! templates, UI strings, data files and static files are read again and
//! the templates compiled again; the pages' Markdown is kept, except that
//! the pages calling shortcodes are rendered again when a shortcode
//! template or a data file changed (shortcodes show both). The outputs are
//! then rendered from the kept site by the caller.

use super::{BuildOptions, Loaded, fail};
use crate::bodies::MarkdownInputs;
use crate::error::Result;
use crate::hash::short_hash;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

/// What kinds of theme files changed.
#[derive(Debug, Default, Clone, Copy)]
pub struct ThemeChange {
    pub templates: bool,
    /// UI strings (`i18n/`).
    pub strings: bool,
    pub shortcodes: bool,
    pub data: bool,
    pub statics: bool,
}

impl ThemeChange {
    /// Sorts site-relative `paths` (`theme`: the site's theme name); `None`
    /// if one is not a template, UI string, data or static file.
    pub fn of(paths: &[String], theme: &str) -> Option<ThemeChange> {
        let mut c = ThemeChange::default();
        let in_theme = format!("themes/{theme}/");
        for p in paths {
            let inner = p.strip_prefix(&in_theme).unwrap_or(p);
            let (top, rest) = inner.split_once('/')?;
            match (top, p.starts_with(&in_theme)) {
                ("templates", _) => {
                    c.templates = true;
                    c.shortcodes |= rest.starts_with("shortcodes/");
                }
                ("i18n", _) => {
                    c.templates = true;
                    c.strings = true;
                }
                ("data", false) => c.data = true,
                ("static", _) => c.statics = true,
                _ => return None,
            }
        }
        Some(c)
    }
}

/// Reloads the theme into `loaded`; returns the pages whose Markdown was
/// rendered again. An error (a broken template, a data file that does not
/// parse) leaves `loaded` unusable: the caller then does a full build,
/// which reports it.
pub fn reload_theme(
    loaded: &mut Loaded,
    opts: &BuildOptions,
    change: ThemeChange,
) -> Result<BTreeSet<String>> {
    let root = opts.root.as_path();
    let site = &loaded.site;
    let mut inputs = loaded.templates.inputs.clone();
    let mut diags = Vec::new();
    if change.data {
        let (data, d) = crate::data::load(root);
        diags.extend(d);
        inputs.data = tera::Value::from(data);
    }
    if change.statics {
        let (copies, mut hashes, d) =
            super::prepare::collect_assets(root, &site.config, &site.content, &site.links);
        diags.extend(d);
        hashes.insert("syntax.css".into(), short_hash(loaded.css.as_bytes()));
        if let Some((logo, _)) = &site.config.logo
            && !hashes.contains_key(logo)
        {
            return Err(fail(diags));
        }
        inputs.assets = Arc::new(hashes);
        loaded.copies = copies;
    }
    if !diags.is_empty() {
        return Err(fail(diags));
    }
    loaded.templates = crate::templates::load(root, &site.config, inputs).map_err(fail)?;
    let mut rendered = BTreeSet::new();
    if change.shortcodes || change.data {
        rendered = render_shortcode_pages(loaded, opts)?;
    }
    Ok(rendered)
}

/// Renders again the Markdown of every page and intro that may call a
/// shortcode.
fn render_shortcode_pages(loaded: &mut Loaded, opts: &BuildOptions) -> Result<BTreeSet<String>> {
    let calls = |body: &str| body.contains("{{") || body.contains("{%");
    let site = &loaded.site;
    let load_opts = crate::content::LoadOptions {
        drafts: opts.drafts,
        future: opts.future,
        now: opts
            .now
            .unwrap_or_else(|| chrono::Utc::now().fixed_offset()),
    };
    let keys: Vec<&String> = site
        .rendered
        .iter()
        .filter(|(_, f)| f.shortcodes)
        .map(|(k, _)| k)
        .collect();
    let bodies: Vec<(&String, String)> = keys
        .into_par_iter()
        .map(|k| super::update::read_body(site, &load_opts, k).map(|b| (k, b)))
        .collect::<Option<_>>()
        .ok_or_else(|| fail(Vec::new()))?;
    let images_before = loaded.templates.images.outputs().len();
    let inputs = MarkdownInputs::new(site, &loaded.templates, &loaded.highlighter, true);
    let results: Vec<_> = bodies
        .par_iter()
        .map(|(k, body)| {
            let page = &site.content.pages[*k];
            let (r, d) = inputs.render(&page.file, body, page.body_line, k, &site.links[*k].path);
            ((*k).clone(), r, d)
        })
        .collect();
    let intros: Vec<_> = site
        .content
        .indexes
        .iter()
        .filter(|(_, i)| calls(&i.body))
        .map(|(k, index)| {
            let (key, path) = super::prepare::intro_key(k);
            let (r, d) = inputs.render(&index.file, &index.body, index.body_line, &key, &path);
            (k.clone(), r, d)
        })
        .collect();
    let mut diags: Vec<_> = results
        .iter()
        .chain(&intros)
        .flat_map(|(_, _, d)| d.iter().cloned())
        .collect();
    if !diags.is_empty() || loaded.templates.images.outputs().len() != images_before {
        diags.retain(crate::error::Diagnostic::is_error);
        return Err(fail(diags));
    }
    let results = results.into_iter().map(|(k, r, _)| (k, r)).collect();
    let intros = intros.into_iter().map(|(k, r, _)| (k, r)).collect();
    let (keys, anchors) = super::update::put_rendered(loaded, results, intros);
    if !anchors.is_empty() {
        return Err(fail(anchors));
    }
    Ok(keys)
}

/// The template names of the template files among site-relative `paths`
/// (`templates/a.html` and `themes/THEME/templates/a.html` → `a.html`).
pub fn template_names(paths: &[String], theme: &str) -> Vec<String> {
    let in_theme = format!("themes/{theme}/");
    paths
        .iter()
        .filter_map(|p| {
            p.strip_prefix(&in_theme)
                .unwrap_or(p)
                .strip_prefix("templates/")
                .map(str::to_string)
        })
        .collect()
}

/// `path` relative to `root`, with `/` separators.
pub fn site_relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts = rel
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect::<Option<Vec<_>>>()?;
    Some(parts.join("/"))
}
