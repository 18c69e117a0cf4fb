//! The steps every build shares, before anything is rendered or written:
//! config → content → link → assets → templates → board intros. Each step
//! is a call into the module that owns it; problems are collected, not
//! raised, so a build reports every one at once.

use super::{BuildOptions, fail};
use crate::bodies::MarkdownInputs;
use crate::config::Config;
use crate::content::{self, Bodies, Content, LoadOptions};
use crate::error::{Diagnostic, Error, Result};
use crate::hash::short_hash;
use crate::link::{self, Linked};
use crate::markdown::highlight::Highlighter;
use crate::msg;
use crate::render::Copy;
use crate::site::Site;
use crate::templates::{self, Templates};
use crate::theme::Origin;
use crate::timings::Timings;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// A site loaded, linked and ready to render: its templates compiled and
/// its board intros rendered, no page's Markdown yet, nothing written.
pub struct Prepared {
    pub site: Site,
    pub templates: Templates,
    pub highlighter: Arc<Highlighter>,
    /// Static files and assets to copy.
    pub copies: Vec<Copy>,
    /// The generated `syntax.css`.
    pub css: String,
    /// Problems found so far (errors included: they are reported with the
    /// Markdown's, all at once).
    pub diags: Vec<Diagnostic>,
    /// Whether linking found errors: then pages, boards and URLs may not
    /// agree, and nothing should be rendered.
    pub link_failed: bool,
    /// The site in its other languages (`languages:`), each a site of its
    /// own under its prefix, with its pages' Markdown.
    pub translations: Vec<(Prepared, Bodies)>,
}

impl Prepared {
    /// What rendering a page body needs.
    pub fn markdown(&self, collect_refs: bool) -> MarkdownInputs<'_> {
        MarkdownInputs::new(&self.site, &self.templates, &self.highlighter, collect_refs)
    }
}

/// config → content → link → assets → templates → intros. Returns the
/// pages' Markdown apart, for the build to render as it chooses.
pub fn prepare(opts: &BuildOptions, timings: &mut Timings) -> Result<(Prepared, Bodies)> {
    let mut clock = Instant::now();
    let config = configure(opts)?;
    let (mut content, bodies, diags) = read_content(opts, &config);
    let translated = std::mem::take(&mut content.translations);
    timings.lap("load", &mut clock);
    let highlighter = Arc::new(Highlighter::with_options(&config.highlight));
    let mut prepared = prepare_language(
        opts,
        Language {
            config,
            content,
            bodies: &bodies,
            diags,
        },
        &highlighter,
        timings,
    )?;
    for t in translated {
        let config = super::languages::translated_config(&prepared.site.config, &t);
        let language = Language {
            config,
            content: t.content,
            bodies: &t.bodies,
            diags: Vec::new(),
        };
        let p = prepare_language(opts, language, &highlighter, timings)?;
        prepared.translations.push((p, t.bodies));
    }
    super::languages::relate(&mut prepared);
    render_intros(&mut prepared);
    for (t, _) in &mut prepared.translations {
        render_intros(t);
    }
    Ok((prepared, bodies))
}

/// The site in one language, loaded: its configuration, its content and
/// the content's Markdown, and the problems found so far.
struct Language<'a> {
    config: Config,
    content: Content,
    bodies: &'a Bodies,
    diags: Vec<Diagnostic>,
}

/// [`prepare`] for the site in one language: link → assets → templates →
/// intros. A translation copies only its bundles' files (static files are
/// the default language's).
fn prepare_language(
    opts: &BuildOptions,
    language: Language,
    highlighter: &Arc<Highlighter>,
    timings: &mut Timings,
) -> Result<Prepared> {
    let Language {
        config,
        content,
        bodies,
        mut diags,
    } = language;
    let mut clock = Instant::now();
    // Every language's pages share the grammars (and the lines parsed).
    let highlighter = Arc::clone(highlighter);
    preload_grammars(bodies, &highlighter);
    // The code stylesheet (from two bundled themes) is made alongside.
    let ((linked, link_diags), css) = rayon::join(
        || link::link(&opts.root, &config, &content),
        || highlighter.stylesheet(),
    );
    let link_failed = link_diags.iter().any(Diagnostic::is_error);
    diags.extend(link_diags);
    timings.lap("link", &mut clock);

    let (mut copies, mut hashes, asset_diags) =
        collect_assets(&opts.root, &config, &content, &linked.links);
    if !config.lang_prefix.is_empty() {
        let bundled: std::collections::HashSet<&str> =
            (linked.links.values()).map(|l| l.path.as_str()).collect();
        copies.retain(|c| (c.to.match_indices('/')).any(|(i, _)| bundled.contains(&c.to[..=i])));
    }
    diags.extend(asset_diags);
    if let Some((logo, line)) = &config.logo
        && !hashes.contains_key(logo)
    {
        diags.push(
            Diagnostic::error(crate::config::CONFIG_FILE, msg!("logo-not-in-static", logo))
                .at(*line)
                .hint(msg!("logo-not-in-static-hint")),
        );
    }
    let css = css.map_err(|e| {
        fail(vec![
            Diagnostic::error(crate::config::CONFIG_FILE, e).hint(msg!("highlight-theme-hint")),
        ])
    })?;
    hashes.insert("syntax.css".into(), short_hash(css.as_bytes()));
    let templates = match load_templates(opts, &config, &content, &linked, hashes, &mut diags) {
        Some(t) => t,
        None => {
            diags.retain(Diagnostic::is_error);
            return Err(fail(diags));
        }
    };
    timings.lap("templates", &mut clock);

    let prepared = Prepared {
        site: Site {
            root: opts.root.clone(),
            config,
            content,
            links: linked.links,
            boards: linked.boards,
            series: linked.series,
            taxonomies: linked.taxonomies,
            rendered: BTreeMap::new(),
            index_rendered: BTreeMap::new(),
            languages: Default::default(),
        },
        templates,
        highlighter,
        copies,
        css,
        diags,
        link_failed,
        translations: Vec::new(),
    };
    Ok(prepared)
}

/// site.yaml, with the command line's overrides.
fn configure(opts: &BuildOptions) -> Result<Config> {
    let mut config = Config::load(&opts.root).map_err(fail)?;
    if let Some(url) = &opts.base_url {
        config
            .set_base_url(url)
            .map_err(|e| Error::Refused(format!("--base-url: {e}").into()))?;
    }
    if let Some(origin) = &opts.origin {
        let url = format!("{}{}", origin.trim_end_matches('/'), config.base_path);
        config
            .set_base_url(&url)
            .map_err(|e| Error::Refused(e.into()))?;
    }
    Ok(config)
}

/// Every page and board intro under `content/`, with drafts, future and
/// expired pages left out unless asked for.
fn read_content(opts: &BuildOptions, config: &Config) -> (Content, Bodies, Vec<Diagnostic>) {
    let now = opts
        .now
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    let load_opts = LoadOptions {
        drafts: opts.drafts,
        future: opts.future,
        now,
    };
    content::load(&opts.root, config, &load_opts)
}

/// The grammars load (tens of ms) on a spare thread while the site is
/// linked, rather than when the first code block needs them.
fn preload_grammars(bodies: &Bodies, highlighter: &Arc<Highlighter>) {
    if bodies
        .par_iter()
        .any(|(_, b)| b.contains("```") || b.contains("~~~"))
    {
        let h = Arc::clone(highlighter);
        rayon::spawn(move || h.preload());
    }
}

/// Data files, then the theme's and the site's templates with herald's
/// functions over them. `None` when the templates cannot be used (the
/// problems are in `diags`).
fn load_templates(
    opts: &BuildOptions,
    config: &Config,
    content: &Content,
    linked: &Linked,
    hashes: HashMap<String, String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Templates> {
    let root = &opts.root;
    let (data, data_diags) = crate::data::load(root);
    diags.extend(data_diags);
    let page_index = crate::functions::PageIndex {
        root: root.clone(),
        base_path: config.root_path.clone(),
        here_path: config.base_path.clone(),
        pages: Default::default(),
    };
    page_index.set(content.pages.iter().filter_map(|(k, p)| {
        linked
            .links
            .get(k)
            .map(|l| (k.clone(), (p.bundle.is_some(), l.path.clone())))
    }));
    let inputs = crate::functions::Inputs {
        assets: Arc::new(hashes),
        data: tera::Value::from(data),
        pages: Arc::new(page_index),
        images: Arc::new(crate::images::Images::new(root)),
    };
    match templates::load(root, config, inputs) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    }
}

/// Board intros (`_index.md`) first: every page's output shows its board.
fn render_intros(p: &mut Prepared) {
    let inputs = p.markdown(true);
    let mut intros = BTreeMap::new();
    let mut diags = Vec::new();
    for (k, index) in &p.site.content.indexes {
        let (key, path) = intro_key(k);
        let (r, d) = inputs.render(&index.file, &index.body, index.body_line, &key, &path);
        diags.extend(d);
        let intro = crate::site::Intro {
            html: r.html,
            facts: r.facts,
        };
        intros.insert(k.clone(), intro);
    }
    p.diags.extend(diags);
    p.site.index_rendered = intros;
}

/// The key and output path of the intro of board `board` (`""`: home).
pub(super) fn intro_key(board: &str) -> (String, String) {
    if board.is_empty() {
        ("_index.md".to_string(), String::new())
    } else {
        (format!("{board}/_index.md"), format!("{board}/"))
    }
}

/// Static files (theme, then site, overriding), content assets and bundle
/// assets, plus a short content hash per static file for cache busting.
pub(super) fn collect_assets(
    root: &Path,
    config: &Config,
    content: &content::Content,
    links: &BTreeMap<String, crate::site::PageLinks>,
) -> (Vec<Copy>, HashMap<String, String>, Vec<Diagnostic>) {
    // The theme's static files, then the site's (overriding by name).
    let mut statics: BTreeMap<String, Origin> = BTreeMap::new();
    let mut diags = Vec::new();
    // (A theme that does not exist is reported by the templates step.)
    if let Ok(theme) = crate::theme::resolve(root, &config.theme) {
        let (files, found) = theme.files(root, "static");
        diags.extend(found);
        statics.extend(files.into_iter().map(|f| (f.rel, f.origin)));
    }
    let found =
        crate::confine::walk_files(root, &root.join("static"), crate::source::is_ignored_name);
    diags.extend(found.diags);
    statics.extend(
        found
            .files
            .into_iter()
            .map(|(rel, p)| (rel, Origin::Disk(p))),
    );
    let hashes: HashMap<String, String> = statics
        .par_iter()
        .map(|(rel, from)| {
            (
                rel.clone(),
                from.read().map(|b| short_hash(&b)).unwrap_or_default(),
            )
        })
        .collect();
    let mut copies: Vec<Copy> = statics
        .into_iter()
        .map(|(to, from)| Copy { to, from })
        .collect();
    let content_dir = root.join(content::CONTENT_DIR);
    for rel in &content.assets {
        copies.push(Copy::file(rel.clone(), content_dir.join(rel)));
    }
    for (key, page) in &content.pages {
        let (Some(bundle), Some(links)) = (&page.bundle, links.get(key)) else {
            continue;
        };
        for asset in &page.assets {
            let inner = asset
                .strip_prefix(bundle.as_str())
                .unwrap_or(asset)
                .trim_start_matches('/');
            copies.push(Copy::file(
                format!("{}{inner}", links.path),
                content_dir.join(asset),
            ));
        }
    }
    (copies, hashes, diags)
}
