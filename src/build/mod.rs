//! The build pipeline. [`build`] reads top to bottom as the steps of a
//! one-off build: claim the output → prepare (config, content, link,
//! assets, templates: [`prepare`]) → Markdown and each page's own output
//! ([`crate::stream`]) → check → search → lists, home, terms, feeds,
//! sitemap, redirects, copies ([`crate::render`]) → publish. [`load_site`]
//! composes the same steps for a build kept in memory (the dev server,
//! `herald check`, tests): every page's Markdown is rendered and kept, and
//! [`render_into`] renders everything from it.

mod languages;
mod prepare;
pub mod reload;
mod report;
pub mod update;

use crate::bodies::check_anchors;
use crate::content::Bodies;
use crate::error::{Diagnostic, Error, Result, sort_diagnostics};
use crate::msg;
use crate::output::{self, MemorySink, Sink, Staging};
use crate::render;
use crate::search::{DocTokens, SearchIndex};
use crate::site::{Html, Site, Texts};
use crate::templates::Templates;
use crate::timings::Timings;
use languages::{load_translations, render_translations};
pub use prepare::{Prepared, prepare};
use rayon::prelude::*;
pub use report::{BuildReport, Skipped};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
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
    /// A one-off build makes the pages' values for lists after the search
    /// index instead of while it writes each page, so the two are never
    /// held at once: a lower peak for some more work. `None`: from
    /// [`LOW_MEMORY_PAGES`] pages on.
    pub low_memory: Option<bool>,
}

/// From this many pages a one-off build saves memory rather than time
/// ([`BuildOptions::low_memory`]): at 100,000 pages the search tokens and
/// the list values are each hundreds of MiB.
pub const LOW_MEMORY_PAGES: usize = 30_000;

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

/// A site with every page's Markdown rendered and kept (a build in
/// memory), ready to render or re-render.
pub struct Loaded {
    pub site: Site,
    /// Every page's Markdown, HTML and plain text.
    pub texts: Texts,
    pub warnings: Vec<Diagnostic>,
    pub highlighter: std::sync::Arc<crate::markdown::highlight::Highlighter>,
    pub templates: Templates,
    /// Static files and assets to copy.
    pub copies: Vec<render::Copy>,
    /// The generated `syntax.css`.
    pub css: String,
    /// The site in its other languages, each loaded the same way.
    pub translations: Vec<Loaded>,
}

pub(crate) fn fail(mut diags: Vec<Diagnostic>) -> Error {
    sort_diagnostics(&mut diags);
    Error::Site(crate::error::fold_repeated(diags))
}

/// A build kept in memory: prepare, then render every page's Markdown
/// and keep it. Returns every problem found, not only the first.
pub fn load_site(opts: &BuildOptions, timings: &mut Timings) -> Result<Loaded> {
    let (mut p, bodies) = prepare(opts, timings)?;
    let translations = load_translations(&mut p, timings);
    let (p, texts) = render_markdown(p, bodies, timings);
    let (p, warnings) = checked(p)?;
    let mut site = loaded(p, texts, warnings);
    site.translations = translations;
    Ok(site)
}

/// [`load_site`] for `herald check`: errors found in the content (broken
/// links, bad front matter) come back beside the site instead of stopping
/// it, so the output can still be rendered and checked and every problem
/// reported at once. Problems that leave nothing to render (site.yaml,
/// templates) are still errors.
pub fn load_site_with_errors(
    opts: &BuildOptions,
    timings: &mut Timings,
) -> Result<(Loaded, Vec<Diagnostic>)> {
    let (mut p, bodies) = prepare(opts, timings)?;
    let translations = load_translations(&mut p, timings);
    if p.link_failed {
        // URLs or relations are wrong (a clash, say): there is no
        // consistent output to check, only these errors.
        let mut all = p.diags;
        all.retain(Diagnostic::is_error);
        return Err(fail(all));
    }
    let (p, texts) = render_markdown(p, bodies, timings);
    let (p, mut errors, warnings) = sorted_out(p);
    sort_diagnostics(&mut errors);
    let mut site = loaded(p, texts, warnings);
    site.translations = translations;
    Ok((site, errors))
}

/// Every page's Markdown rendered: its facts go in the site, and its
/// Markdown, HTML and text are kept beside it.
fn render_markdown(mut p: Prepared, bodies: Bodies, timings: &mut Timings) -> (Prepared, Texts) {
    let mut clock = Instant::now();
    let inputs = p.markdown(true);
    let site = &p.site;
    let results: Vec<_> = bodies
        .par_iter()
        .filter(|(k, _)| site.links.contains_key(*k))
        .map(|(k, body)| {
            let page = &site.content.pages[k];
            let path = &site.links[k].path;
            let (r, d) = inputs.render(&page.file, body, page.body_line, k, path);
            (k.clone(), r, d)
        })
        .collect();
    let mut texts = Texts::default();
    let mut rendered = BTreeMap::new();
    let mut diags = Vec::new();
    for (k, r, d) in results {
        diags.extend(d);
        texts.html.insert(k.clone(), r.html);
        texts.plain.insert(k.clone(), r.plain);
        rendered.insert(k, r.facts);
    }
    drop(bodies);
    p.diags.extend(diags);
    p.site.rendered = rendered;
    timings.lap("markdown", &mut clock);
    (p, texts)
}

fn loaded(p: Prepared, texts: Texts, warnings: Vec<Diagnostic>) -> Loaded {
    Loaded {
        site: p.site,
        texts,
        warnings,
        highlighter: p.highlighter,
        templates: p.templates,
        copies: p.copies,
        css: p.css,
        translations: Vec::new(),
    }
}

/// After the Markdown: anchors of `@/page.md#anchor` links and the site's
/// warnings; the problems found so far as (errors, sorted warnings).
fn sorted_out(mut p: Prepared) -> (Prepared, Vec<Diagnostic>, Vec<Diagnostic>) {
    check_anchors(&p.site.content, &p.site.rendered, &mut p.diags);
    let mut warnings = site_warnings(&p.site);
    let (errors, warns): (Vec<_>, Vec<_>) = std::mem::take(&mut p.diags)
        .into_iter()
        .partition(Diagnostic::is_error);
    warnings.extend(warns);
    sort_diagnostics(&mut warnings);
    (p, errors, warnings)
}

/// [`sorted_out`], failing with every error at once if there is one.
fn checked(p: Prepared) -> Result<(Prepared, Vec<Diagnostic>)> {
    let (p, errors, warnings) = sorted_out(p);
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        return Err(fail(all));
    }
    Ok((p, warnings))
}

/// A cover image without `cover_alt`; a robots.txt where crawlers do not
/// look.
fn site_warnings(site: &Site) -> Vec<Diagnostic> {
    let config = &site.config;
    let robots = (config.robots && config.base_path != "/").then(|| {
        Diagnostic::warning(
            crate::config::CONFIG_FILE,
            msg!("robots-not-at-root", base_path = config.base_path),
        )
        .hint(msg!(
            "robots-not-at-root-hint",
            sitemap = site.permalink("sitemap.xml")
        ))
    });
    robots
        .into_iter()
        .chain(
            site.content
                .pages
                .values()
                .filter(|page| {
                    page.meta.cover.is_some()
                        && page
                            .meta
                            .cover_alt
                            .as_deref()
                            .is_none_or(|a| a.trim().is_empty())
                })
                .map(|page| {
                    Diagnostic::warning(&page.file, msg!("cover-without-alt"))
                        .hint(msg!("cover-without-alt-hint"))
                }),
        )
        .collect()
}

/// Renders a loaded site into a sink.
pub fn render_into(
    loaded: &Loaded,
    sink: &dyn Sink,
    timings: &mut Timings,
) -> Result<render::RenderReport> {
    let (mut report, _) = render_keeping(loaded, sink, timings, false)?;
    report.files += render_translations(&loaded.translations, sink, timings)?;
    Ok(report)
}

/// Renders a loaded site into a sink; with `keep`, the returned cache can
/// re-render parts of it later (the dev server).
pub fn render_keeping(
    loaded: &Loaded,
    sink: &dyn Sink,
    timings: &mut Timings,
    keep: bool,
) -> Result<(render::RenderReport, render::RenderCache)> {
    let mut clock = Instant::now();
    let search = loaded
        .site
        .config
        .search
        .then(|| SearchIndex::build(&loaded.site, &loaded.texts.plain, keep));
    timings.lap("search", &mut clock);
    render_with(loaded, search, keep, sink, timings)
}

/// Renders every output of a loaded site with the search index `search`.
fn render_with(
    loaded: &Loaded,
    search: Option<SearchIndex>,
    keep: bool,
    sink: &dyn Sink,
    timings: &mut Timings,
) -> Result<(render::RenderReport, render::RenderCache)> {
    // syntax.css is the root's alone.
    let extra = if loaded.site.config.lang_prefix.is_empty() {
        syntax_css(&loaded.css)
    } else {
        Vec::new()
    };
    let input = render::RenderInput {
        site: &loaded.site,
        templates: &loaded.templates,
        copies: &loaded.copies,
        extra_files: &extra,
        html: &loaded.texts.html,
        search,
        keep,
        pages: render::Pages::Whole,
    };
    render::render_site(input, sink, timings).map_err(fail)
}

/// Renders every output of a loaded site with `search`, an index made
/// beforehand or kept from an earlier render (the dev server), keeping
/// what re-rendering needs.
pub fn render_again(
    loaded: &Loaded,
    search: Option<SearchIndex>,
    sink: &dyn Sink,
) -> Result<render::RenderCache> {
    let mut timings = Timings::default();
    let (_, cache) = render_with(loaded, search, true, sink, &mut timings)?;
    render_translations(&loaded.translations, sink, &mut timings)?;
    Ok(cache)
}

/// Originals so large that they weigh on the site even with resized copies.
pub fn image_warnings(root: &std::path::Path, templates: &Templates) -> Vec<Diagnostic> {
    templates
        .images
        .large()
        .into_iter()
        .map(|(disk, bytes)| {
            Diagnostic::warning(
                crate::confine::shown(root, &disk),
                msg!("image-too-large", size = crate::format::format_size(bytes)),
            )
            .hint(msg!("image-too-large-hint"))
        })
        .collect()
}

/// The generated code stylesheet, as a file to write.
fn syntax_css(css: &str) -> Vec<(String, Vec<u8>)> {
    vec![("syntax.css".to_string(), css.as_bytes().to_vec())]
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
    let staging = Staging::new(&owned)?;
    // What the old output holds that herald did not write is found while
    // the site builds; `publish` keeps it or refuses.
    let foreign = std::thread::Builder::new()
        .name("herald-owner".into())
        .spawn(move || owned.foreign_entries())
        .map_err(|e| Error::io("cannot start a thread", e))?;
    let sink = staging.sink();
    let mut timings = Timings::default();

    let (mut p, bodies) = prepare(opts, &mut timings)?;
    // The other languages' sites are small beside the default's: loaded
    // whole, and rendered after it.
    let translations = load_translations(&mut p, &mut timings);
    let mut clock = Instant::now();
    // Checked once, before any page: the errors go with the content's.
    let missing = render::check_templates(&p.site, &p.templates);
    let writer = missing
        .is_empty()
        .then(|| render::PageWriter::new(&p.site, &p.templates));
    // Lists' values wait for the search index when memory matters more (they
    // need the pages' HTML if lists show it, which is not kept).
    let lists_later = !p.site.config.lists.content
        && opts
            .low_memory
            .unwrap_or(p.site.content.pages.len() >= LOW_MEMORY_PAGES);
    let mut written = write_pages(&p, bodies, writer.as_ref(), sink, lists_later);
    drop(writer);
    p.site.rendered = std::mem::take(&mut written.facts);
    p.diags.append(&mut written.diags);
    p.diags.extend(missing);
    timings.lap("markdown", &mut clock);
    let (p, warnings) = checked(p)?;
    let search = search_from_tokens(&p.site, written.tokens, &mut timings);
    let extra = syntax_css(&p.css);
    let input = render::RenderInput {
        site: &p.site,
        templates: &p.templates,
        copies: &p.copies,
        extra_files: &extra,
        html: &written.html,
        search,
        keep: false,
        pages: if lists_later {
            render::Pages::Later
        } else {
            render::Pages::Written(written.listed)
        },
    };
    let (rendered, cache) = render::render_site(input, sink, &mut timings).map_err(fail)?;
    let translated_files = render_translations(&translations, sink, &mut timings)?;
    drop(written.html);
    let mut warnings = warnings;
    warnings.extend(image_warnings(&p.site.root, &p.templates));
    sort_diagnostics(&mut warnings);

    let mut clock = Instant::now();
    let foreign = foreign
        .join()
        .map_err(|_| Error::Refused("cannot read the output folder".into()))?;
    staging.publish(&p.site.config.output_keep, &foreign)?;
    timings.lap("publish", &mut clock);
    let report = BuildReport {
        pages: p.site.content.pages.len()
            + (translations.iter())
                .map(|t| t.site.content.pages.len())
                .sum::<usize>(),
        boards: p.site.boards.len(),
        files: rendered.files + translated_files,
        search: rendered.search,
        warnings,
        timings,
        output,
        skipped: Skipped::count(&p.site),
        links: std::iter::once(&p.site)
            .chain(translations.iter().map(|t| &t.site))
            .flat_map(|s| (s.rendered.values()).chain(s.index_rendered.values().map(|i| &i.facts)))
            .map(|r| r.links.len())
            .sum(),
    };
    free_in_background((p, cache));
    Ok(report)
}

/// What writing the pages leaves for the rest of a one-off build.
struct Written {
    /// Every page's value as lists show it.
    listed: HashMap<String, tera::Value>,
    /// Every page's search tokens.
    tokens: HashMap<String, DocTokens>,
    /// The HTML of the pages a feed shows in full.
    html: BTreeMap<String, Html>,
    /// Every page's Markdown facts, for the site.
    facts: BTreeMap<String, crate::site::Facts>,
    /// The Markdown's problems and the pages' template errors.
    diags: Vec<Diagnostic>,
}

/// Renders each page's Markdown and writes its own output right then
/// ([`crate::stream`]), letting go of each page's Markdown, HTML and text
/// once it is written; the facts stay in the site.
fn write_pages(
    p: &Prepared,
    bodies: Bodies,
    writer: Option<&render::PageWriter<'_>>,
    sink: &dyn Sink,
    lists_later: bool,
) -> Written {
    let links = &p.site.links;
    let bodies: Vec<(String, String)> = bodies
        .into_iter()
        .filter(|(k, _)| links.contains_key(k))
        .collect();
    let streamed = {
        let inputs = p.markdown(false);
        crate::stream::render(&p.site, &inputs, writer, bodies, sink, lists_later)
    };
    let mut diags = Vec::new();
    render::merge_repeated(&mut diags, streamed.errors.into_iter());
    let mut tokens = HashMap::new();
    let mut facts = BTreeMap::new();
    for (k, f, d, t) in streamed.pages {
        diags.extend(d);
        if let Some(t) = t {
            tokens.insert(k.clone(), t);
        }
        facts.insert(k, f);
    }
    Written {
        listed: streamed.values,
        tokens,
        html: streamed.html,
        facts,
        diags,
    }
}

/// The search index from the tokens each page left while it was written.
fn search_from_tokens(
    site: &Site,
    tokens: HashMap<String, DocTokens>,
    timings: &mut Timings,
) -> Option<SearchIndex> {
    let mut clock = Instant::now();
    let index = site
        .config
        .search
        .then(|| SearchIndex::from_tokens(site, tokens));
    timings.lap("search", &mut clock);
    index
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
