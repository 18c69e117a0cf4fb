//! A site in several languages (`languages:` in site.yaml). Each
//! translation is a site of its own under its language's prefix (`en/`):
//! its pages, the boards that have some, its home, terms, feeds, search
//! and sitemap. Here each learns what the others hold: the same output in
//! the other languages (`hreflang` links and the language switch), every
//! language's home, and, for a translation, the default language's pages,
//! which its links reach when it has no translation of them. The
//! translations, small beside the default language, are loaded whole and
//! rendered after it under their prefixes.

use super::{Loaded, Prepared, loaded, render_keeping, render_markdown, sorted_out};
use crate::config::{BoardConfig, Config};
use crate::content::Translation;
use crate::error::Result;
use crate::output::{self, Sink};
use crate::site::{LanguageHome, Site};
use crate::timings::Timings;
use std::collections::HashMap;

/// The configuration of the translation `t` of the site `default`: its
/// language's title, its prefix, and only the boards it has pages (or an
/// intro) in, titled by their translated intros.
pub(super) fn translated_config(default: &Config, t: &Translation) -> Config {
    let keep = |b: &BoardConfig| {
        (t.content.pages.values()).any(|p| p.board.as_deref() == Some(b.key.as_str()))
            || t.content.indexes.contains_key(&b.key)
    };
    let mut c = default.translation(&t.code, &keep);
    for b in &mut c.boards {
        let Some(intro) = t.content.indexes.get(&b.key) else {
            continue;
        };
        if !intro.meta.title.trim().is_empty() {
            b.title = intro.meta.title.clone();
        }
        if intro.meta.description.is_some() {
            b.description = intro.meta.description.clone();
        }
    }
    // robots.txt is the root's alone (it names every language's sitemap).
    c.robots = false;
    c
}

/// One output of a site, the same in every language.
#[derive(Hash, PartialEq, Eq)]
enum Output {
    Home,
    Board(String),
    Page(String),
}

/// Tells the site and its translations of each other.
pub(super) fn relate(p: &mut Prepared) {
    if p.translations.is_empty() {
        return;
    }
    let declared = &p.site.config.languages;
    let sites: Vec<&Site> = std::iter::once(&p.site)
        .chain(p.translations.iter().map(|(t, _)| &t.site))
        .collect();
    let homes: Vec<LanguageHome> = (sites.iter().zip(declared))
        .map(|(s, l)| LanguageHome {
            code: l.code.clone(),
            name: l.name.clone(),
            short: l.short.clone(),
            home: s.permalink(""),
        })
        .collect();
    // Each output → where each language has it: (site, path).
    let mut outputs: HashMap<Output, Vec<(usize, String)>> = HashMap::new();
    for (i, s) in sites.iter().enumerate() {
        outputs
            .entry(Output::Home)
            .or_default()
            .push((i, String::new()));
        for b in &s.config.boards {
            let at = (i, format!("{}/", b.key));
            outputs
                .entry(Output::Board(b.key.clone()))
                .or_default()
                .push(at);
        }
        for (key, l) in &s.links {
            let at = (i, l.path.clone());
            outputs
                .entry(Output::Page(key.clone()))
                .or_default()
                .push(at);
        }
    }
    let mut alternates: Vec<HashMap<String, Vec<(String, String)>>> =
        vec![HashMap::new(); sites.len()];
    for places in outputs.values().filter(|p| p.len() > 1) {
        let mut list: Vec<(usize, String, String)> = (places.iter())
            .map(|(i, path)| {
                (
                    *i,
                    sites[*i].config.language.clone(),
                    sites[*i].permalink(path),
                )
            })
            .collect();
        list.sort();
        let list: Vec<(String, String)> = list.into_iter().map(|(_, c, u)| (c, u)).collect();
        for (i, path) in places {
            alternates[*i].insert(path.clone(), list.clone());
        }
    }
    // A translation's links to pages it lacks reach the default language's.
    let default = &p.site;
    let mut fallback: HashMap<String, String> = (default.links.iter())
        .map(|(k, l)| (k.clone(), default.url(&l.path)))
        .collect();
    for b in &default.config.boards {
        fallback.insert(
            format!("{}/_index.md", b.key),
            default.url(&format!("{}/", b.key)),
        );
    }
    // The default language's pages must leave the translations' folders
    // to them.
    let prefixes: Vec<String> = declared.iter().skip(1).map(|l| l.prefix()).collect();
    let mut taken = Vec::new();
    for (key, l) in &p.site.links {
        if let Some(prefix) = prefixes.iter().find(|x| l.path.starts_with(x.as_str())) {
            let file = &p.site.content.pages[key].file;
            taken.push(
                crate::error::Diagnostic::error(
                    file,
                    crate::msg!("page-in-language-folder", path = l.path, prefix),
                )
                .hint(crate::msg!("page-in-language-folder-hint")),
            );
        }
    }
    p.diags.extend(taken);
    let mut alternates = alternates.into_iter();
    let first = alternates.next().unwrap_or_default();
    p.site.languages = crate::site::Languages {
        homes: homes.clone(),
        alternates: first,
        fallback: HashMap::new(),
    };
    for ((t, _), alt) in p.translations.iter_mut().zip(alternates) {
        t.site.languages = crate::site::Languages {
            homes: homes.clone(),
            alternates: alt,
            fallback: fallback.clone(),
        };
    }
}

/// The translations of a prepared site loaded as [`super::load_site`] loads it;
/// their problems go with the site's (`p.diags`), all reported at once.
pub(super) fn load_translations(p: &mut Prepared, timings: &mut Timings) -> Vec<Loaded> {
    let mut out = Vec::new();
    for (t, bodies) in std::mem::take(&mut p.translations) {
        p.link_failed |= t.link_failed;
        let (t, texts) = render_markdown(t, bodies, timings);
        let (t, errors, warnings) = sorted_out(t);
        p.diags.extend(errors);
        p.diags.extend(warnings);
        out.push(loaded(t, texts, Vec::new()));
    }
    out
}

/// Renders the translations of a loaded site, each under its prefix;
/// returns how many files they made.
pub(super) fn render_translations(
    translations: &[Loaded],
    sink: &dyn Sink,
    timings: &mut Timings,
) -> Result<usize> {
    let mut files = 0;
    for t in translations {
        let prefix = t.site.config.lang_prefix.clone();
        let sink = output::PrefixSink {
            inner: sink,
            prefix: &prefix,
        };
        files += render_keeping(t, &sink, timings, false)?.0.files;
    }
    Ok(files)
}
