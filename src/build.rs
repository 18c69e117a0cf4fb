//! The build: load → link → render Markdown → render templates → emit.
//! [`load_site`] gives a [`Site`] that stays usable in memory (the dev server
//! keeps it); [`build`] writes it to disk through a staging folder.

use crate::bodies::{MarkdownInputs, check_anchors};
use crate::config::Config;
use crate::content::{self, LoadOptions};
use crate::error::{Diagnostic, Error, Result, sort_diagnostics};
use crate::hash::short_hash;
use crate::link;
use crate::markdown::{self, highlight::Highlighter};
use crate::output::{self, MemorySink, Sink, Staging};
use crate::render::{self, Copy};
use crate::search::{DocTokens, SearchIndex};
use crate::site::Site;
use crate::templates::{self, Templates};
use crate::timings::Timings;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What to build, and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Defaults to `ROOT/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of site.yaml.
    pub base_url: Option<String>,
    /// Replaces only the scheme and host of `base_url`, keeping its path
    /// (the dev server: `http://127.0.0.1:1111` + `/portal/`).
    pub origin: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// "Now" for future and expiry checks; the clock when `None`.
    pub now: Option<chrono::DateTime<chrono::FixedOffset>>,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            ..Self::default()
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub boards: usize,
    pub files: usize,
    pub search: Option<crate::search::SearchStats>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    pub output: PathBuf,
}

/// A loaded, linked site with its Markdown rendered.
pub struct Loaded {
    pub site: Site,
    pub warnings: Vec<Diagnostic>,
    pub highlighter: Arc<Highlighter>,
    pub templates: Templates,
    /// Static files and assets to copy.
    pub copies: Vec<Copy>,
    /// The generated `syntax.css`.
    pub css: String,
    /// Each page's search tokens, made while rendering its Markdown in a
    /// one-off build (empty otherwise: the index is then built from the
    /// pages' plain text).
    pub tokens: HashMap<String, DocTokens>,
    /// Every page's value for lists, made in a one-off build while each
    /// page's own output was written (see [`crate::stream`]).
    pub page_values: Option<HashMap<String, tera::Value>>,
}

fn fail(mut diags: Vec<Diagnostic>) -> Error {
    sort_diagnostics(&mut diags);
    Error::Site(crate::error::fold_repeated(diags))
}

/// Loads config and content, links, and renders every page's Markdown.
/// Returns every problem found, not only the first.
pub fn load_site(opts: &BuildOptions, timings: &mut Timings) -> Result<Loaded> {
    load(opts, timings, None)
}

/// [`load_site`]; given the sink of a one-off build (`once`), it writes
/// each page's own output as soon as its Markdown is rendered and indexed
/// for search, then lets go of the page's Markdown, plain text and (unless
/// lists or feeds show it) HTML: see [`crate::stream`].
fn load(opts: &BuildOptions, timings: &mut Timings, once: Option<&dyn Sink>) -> Result<Loaded> {
    let mut clock = Instant::now();
    let root = &opts.root;
    let mut config = Config::load(root).map_err(fail)?;
    if let Some(url) = &opts.base_url {
        config
            .set_base_url(url)
            .map_err(|e| Error::Refused(format!("--base-url: {e}")))?;
    }
    if let Some(origin) = &opts.origin {
        let url = format!("{}{}", origin.trim_end_matches('/'), config.base_path);
        config.set_base_url(&url).map_err(Error::Refused)?;
    }
    let now = opts
        .now
        .unwrap_or_else(|| chrono::Utc::now().fixed_offset());
    let load_opts = LoadOptions {
        drafts: opts.drafts,
        future: opts.future,
        now,
    };
    let (mut content, mut diags) = content::load(root, &config, &load_opts);
    timings.lap("load", &mut clock);
    let highlighter = Arc::new(Highlighter::new());
    if content
        .pages
        .par_iter()
        .any(|(_, p)| p.body.contains("```") || p.body.contains("~~~"))
    {
        // The grammars load (tens of ms) on a spare thread while the site
        // is linked, rather than when the first code block needs them.
        let h = Arc::clone(&highlighter);
        rayon::spawn(move || h.preload());
    }

    // The code stylesheet (from two bundled themes) is made alongside.
    let ((linked, link_diags), css) = rayon::join(
        || link::link(root, &config, &content),
        || markdown::highlight::stylesheet(&config.highlight_light, &config.highlight_dark),
    );
    diags.extend(link_diags);
    timings.lap("link", &mut clock);

    let (copies, mut hashes, asset_diags) = collect_assets(root, &config, &content, &linked.links);
    diags.extend(asset_diags);
    let css = css.map_err(|e| {
        fail(vec![Diagnostic::error(crate::config::CONFIG_FILE, e).hint(
            "set `highlight: { light: …, dark: … }` to theme names from the list",
        )])
    })?;
    hashes.insert("syntax.css".into(), short_hash(css.as_bytes()));
    let (data, data_diags) = crate::data::load(root);
    diags.extend(data_diags);
    let page_index = crate::functions::PageIndex {
        root: root.clone(),
        base_path: config.base_path.clone(),
        pages: content
            .pages
            .iter()
            .filter_map(|(k, p)| {
                linked
                    .links
                    .get(k)
                    .map(|l| (k.clone(), (p.bundle.is_some(), l.path.clone())))
            })
            .collect(),
    };
    let inputs = crate::functions::Inputs {
        assets: Arc::new(hashes),
        data: tera::Value::from(data),
        pages: Arc::new(page_index),
        images: Arc::new(crate::images::Images::new(root)),
    };
    let templates = match templates::load(root, &config, inputs) {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d);
            let mut all: Vec<Diagnostic> = diags;
            all.retain(|d| d.is_error());
            return Err(fail(all));
        }
    };
    timings.lap("templates", &mut clock);

    // A one-off build takes the pages' Markdown out, to drop each as soon
    // as it is rendered.
    let bodies: Vec<(String, String)> = if once.is_some() {
        content
            .pages
            .iter_mut()
            .filter(|(k, _)| linked.links.contains_key(*k))
            .map(|(k, p)| (k.clone(), std::mem::take(&mut p.body)))
            .collect()
    } else {
        Vec::new()
    };
    let mut site = Site {
        root: root.clone(),
        config,
        content,
        links: linked.links,
        boards: linked.boards,
        series: linked.series,
        taxonomies: linked.taxonomies,
        rendered: BTreeMap::new(),
        index_rendered: BTreeMap::new(),
    };
    let collect_refs = once.is_none();
    // Board intros first: a page's output shows its board's value.
    let mut index_rendered = BTreeMap::new();
    let inputs = MarkdownInputs::new(&site, &templates, &highlighter, collect_refs);
    for (k, index) in &site.content.indexes {
        let key = if k.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{k}/_index.md")
        };
        let path = if k.is_empty() {
            String::new()
        } else {
            format!("{k}/")
        };
        let (r, d) = inputs.render(&index.file, &index.body, index.body_line, &key, &path);
        diags.extend(d);
        index_rendered.insert(k.clone(), r);
    }
    site.index_rendered = index_rendered;
    let inputs = MarkdownInputs::new(&site, &templates, &highlighter, collect_refs);
    let (results, page_values) = match once {
        Some(sink) => {
            let s = crate::stream::render(&site, &inputs, &templates, bodies, sink);
            render::merge_repeated(&mut diags, s.errors.into_iter());
            (s.pages, Some(s.values))
        }
        None => {
            let results: Vec<crate::stream::PageResult> = site
                .content
                .pages
                .par_iter()
                .filter(|(k, _)| site.links.contains_key(*k))
                .map(|(k, p)| {
                    let (r, d) =
                        inputs.render(&p.file, &p.body, p.body_line, k, &site.links[k].path);
                    (k.clone(), r, d, None)
                })
                .collect();
            (results, None)
        }
    };
    let mut rendered = BTreeMap::new();
    let mut tokens = HashMap::new();
    for (k, r, d, t) in results {
        diags.extend(d);
        if let Some(t) = t {
            tokens.insert(k.clone(), t);
        }
        rendered.insert(k, r);
    }
    check_anchors(&site.content, &rendered, &mut diags);
    if once.is_some() {
        // Links and references were only needed for the checks above.
        for r in rendered.values_mut() {
            r.links = Vec::new();
            r.refs = Vec::new();
            r.anchors = Vec::new();
        }
    }
    site.rendered = rendered;
    timings.lap("markdown", &mut clock);

    let mut warnings = Vec::new();
    for page in site.content.pages.values() {
        if page.meta.cover.is_some()
            && page
                .meta
                .cover_alt
                .as_deref()
                .is_none_or(|a| a.trim().is_empty())
        {
            warnings.push(
                Diagnostic::warning(&page.file, "the cover image has no alternative text")
                    .hint("add `cover_alt: …` describing the image for readers who cannot see it"),
            );
        }
    }
    let (errors, warns): (Vec<_>, Vec<_>) = diags.into_iter().partition(Diagnostic::is_error);
    warnings.extend(warns);
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        return Err(fail(all));
    }
    sort_diagnostics(&mut warnings);
    Ok(Loaded {
        site,
        warnings,
        highlighter,
        templates,
        copies,
        css,
        tokens,
        page_values,
    })
}

/// Static files (theme, then site, overriding), content assets and bundle
/// assets, plus a short content hash per static file for cache busting.
fn collect_assets(
    root: &Path,
    config: &Config,
    content: &content::Content,
    links: &BTreeMap<String, crate::site::PageLinks>,
) -> (Vec<Copy>, HashMap<String, String>, Vec<Diagnostic>) {
    let mut statics: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut diags = Vec::new();
    let dirs = [
        templates::theme_dir(root, &config.theme).join("static"),
        root.join("static"),
    ];
    for dir in &dirs {
        let found = crate::confine::walk_files(root, dir, crate::source::is_ignored_name);
        diags.extend(found.diags);
        statics.extend(found.files);
    }
    let hashes: HashMap<String, String> = statics
        .par_iter()
        .map(|(rel, path)| {
            (
                rel.clone(),
                std::fs::read(path)
                    .map(|b| short_hash(&b))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let mut copies: Vec<Copy> = statics
        .into_iter()
        .map(|(to, from)| Copy { to, from })
        .collect();
    let content_dir = root.join(content::CONTENT_DIR);
    for rel in &content.assets {
        copies.push(Copy {
            to: rel.clone(),
            from: content_dir.join(rel),
        });
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
            copies.push(Copy {
                to: format!("{}{inner}", links.path),
                from: content_dir.join(asset),
            });
        }
    }
    (copies, hashes, diags)
}

/// Renders a loaded site into a sink.
pub fn render_into(
    loaded: &Loaded,
    sink: &dyn Sink,
    timings: &mut Timings,
) -> Result<render::RenderReport> {
    render_keeping(loaded, sink, timings, false).map(|(report, _)| report)
}

/// Renders a loaded site into a sink; with `keep`, the returned cache can
/// re-render parts of it later (the dev server).
pub fn render_keeping(
    loaded: &Loaded,
    sink: &dyn Sink,
    timings: &mut Timings,
    keep: bool,
) -> Result<(render::RenderReport, render::RenderCache)> {
    let search = search_index(&loaded.site, HashMap::new(), keep, timings);
    render_with(loaded, search, None, sink, timings, keep)
}

/// The search index, if the site has search: from the pages' tokens when
/// the load made them (a one-off build), else from their plain text.
fn search_index(
    site: &Site,
    tokens: HashMap<String, DocTokens>,
    keep: bool,
    timings: &mut Timings,
) -> Option<SearchIndex> {
    let mut clock = Instant::now();
    let index = site.config.search.then(|| {
        if tokens.is_empty() {
            SearchIndex::build(site, keep)
        } else {
            SearchIndex::from_tokens(site, tokens)
        }
    });
    timings.lap("search", &mut clock);
    index
}

fn render_with(
    loaded: &Loaded,
    search: Option<SearchIndex>,
    pages: Option<HashMap<String, tera::Value>>,
    sink: &dyn Sink,
    timings: &mut Timings,
    keep: bool,
) -> Result<(render::RenderReport, render::RenderCache)> {
    let extra = vec![("syntax.css".to_string(), loaded.css.clone().into_bytes())];
    let input = render::RenderInput {
        site: &loaded.site,
        templates: &loaded.templates,
        copies: &loaded.copies,
        extra_files: &extra,
        search,
        keep,
        pages,
    };
    render::render_site(input, sink, timings).map_err(fail)
}

/// Output files by path.
pub type Files = BTreeMap<String, Vec<u8>>;

/// Builds into memory (tests, the dev server).
pub fn build_to_memory(opts: &BuildOptions) -> Result<(Files, Vec<Diagnostic>)> {
    let mut timings = Timings::default();
    let loaded = load_site(opts, &mut timings)?;
    let sink = MemorySink::new();
    render_into(&loaded, &sink, &mut timings)?;
    Ok((sink.into_files(), loaded.warnings))
}

/// Builds the site to its output folder; the previous output stays
/// untouched unless the whole build succeeds.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let output = opts.output_dir();
    let owned = output::claim_output(&opts.root, &output)?;
    let mut timings = Timings::default();
    let staging = Staging::new(&owned)?;
    // What the old output holds that herald did not write is found while
    // the site builds; `publish` keeps it or refuses.
    let foreign = std::thread::Builder::new()
        .name("herald-owner".into())
        .spawn(move || owned.foreign_entries())
        .map_err(|e| Error::io("cannot start a thread", e))?;
    let sink = staging.sink();
    let mut loaded = load(opts, &mut timings, Some(sink))?;
    let tokens = std::mem::take(&mut loaded.tokens);
    let search = search_index(&loaded.site, tokens, false, &mut timings);
    let pages = loaded.page_values.take();
    let (report, cache) = render_with(&loaded, search, pages, sink, &mut timings, false)?;
    let mut clock = Instant::now();
    let foreign = foreign
        .join()
        .map_err(|_| Error::Refused("cannot read the output folder".into()))?;
    staging.publish(&loaded.site.config.output_keep, &foreign)?;
    timings.lap("publish", &mut clock);
    let report = BuildReport {
        pages: loaded.site.content.pages.len(),
        boards: loaded.site.boards.len(),
        files: report.files,
        search: report.search,
        warnings: std::mem::take(&mut loaded.warnings),
        timings,
        output,
    };
    free_in_background((loaded, cache));
    Ok(report)
}

/// Frees `big` on another thread: a site's millions of small allocations
/// take tens of milliseconds to free at 10,000 pages, which the caller of a
/// one-off build need not wait for (a process that exits first just lets
/// the system reclaim them). If no thread can be started, the refused
/// closure, and `big` with it, is dropped right here.
fn free_in_background<T: Send + 'static>(big: T) {
    let _ = std::thread::Builder::new()
        .name("herald-free".into())
        .spawn(move || drop(big));
}
