//! Reads a Zola site: `config.toml` (`base_url`, `taxonomies`,
//! `languages`), `content/` with `_index.md` sections, page bundles and
//! `@/` links, `static/`; old URLs from `path`, `slug` and the file name
//! (a `2020-01-02-` date prefix is a date, as Zola reads it:
//! getzola.org/documentation/content/page/).

use super::source::{self, Source, date_prefix, get, get_str};
use super::tree;
use crate::error::Result;
use crate::yaml::{Node, Value as Y};
use std::path::Path;

/// Whether `root` holds a Zola site.
pub fn is_zola(root: &Path) -> bool {
    let config = root.join("config.toml");
    source::inside(root, &config)
        && std::fs::read_to_string(config).is_ok_and(|t| t.contains("base_url"))
}

pub fn read(root: &Path) -> Result<Source> {
    let config = source::read_config(root, &root.join("config.toml"), "config.toml")?;
    let mut src = Source::default();
    src.site.title = get_str(&config, "title");
    src.site.description = get_str(&config, "description");
    src.site.base_url = get_str(&config, "base_url");
    src.site.language = get_str(&config, "default_language");
    src.site.author = get(&config, "extra").and_then(|e| get_str(e, "author"));
    if let Some(Node {
        value: Y::Seq(items),
        ..
    }) = get(&config, "taxonomies")
    {
        src.site.taxonomies = items.iter().filter_map(|t| get_str(t, "name")).collect();
    }
    let languages: Vec<String> = match get(&config, "languages") {
        Some(Node {
            value: Y::Map(entries),
            ..
        }) => entries.iter().map(|e| e.key.clone()).collect(),
        _ => Vec::new(),
    };
    if !languages.is_empty() {
        src.report.skip("config.toml: languages", "translations: the default language's pages are imported, not their translations; herald publishes translations beside their pages (docs/languages.md): declare `languages:` in site.yaml and copy them in as NAME.CODE.md");
    }
    if get(&config, "extra").is_some() {
        src.report.note(
            "config.toml: [extra]",
            "the theme's settings were not carried over: herald's theme has its own",
        );
    }
    for dir in ["templates", "themes", "sass"] {
        if root.join(dir).is_dir() {
            src.report.skip(
                format!("{dir}/"),
                "theme and templates: the new site uses herald's theme",
            );
        }
    }
    let is_translation = |name: &str| {
        let stem = name.trim_end_matches(".md");
        stem.rsplit_once('.')
            .is_some_and(|(_, l)| languages.iter().any(|x| x == l))
    };
    tree::read_content(
        root,
        &root.join("content"),
        "content",
        &mut src,
        &is_translation,
    )?;
    let mut report = std::mem::take(&mut src.report);
    for rel in source::files_under(root, &root.join("static"), &mut report, "static") {
        src.files
            .push((root.join("static").join(&rel), format!("static/{rel}")));
    }
    src.report = report;

    for doc in &mut src.docs {
        let rel = doc
            .src
            .strip_prefix("content/")
            .unwrap_or(&doc.src)
            .to_string();
        let (dir, name) = tree::url_parts(&rel);
        let dir: String = dir
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| format!("{}/", zola_slug(s)))
            .collect();
        if rel.ends_with("_index.md") {
            // A section's URL (the home page's is `/`).
            let own = if name == "_index" || name.is_empty() {
                String::new()
            } else {
                format!("{}/", zola_slug(&name))
            };
            doc.old_url = Some(format!("/{dir}{own}"));
            continue;
        }
        let (date, name) = match date_prefix(&name) {
            Some((d, rest)) => (Some(d), rest),
            None => (None, name),
        };
        doc.file_date = date;
        let url = match doc.text("path") {
            Some(p) => {
                let p = p.trim_matches('/');
                if p.is_empty() {
                    "/".into()
                } else {
                    format!("/{p}/")
                }
            }
            None => {
                let slug = doc
                    .text("slug")
                    .map(|s| zola_slug(&s))
                    .unwrap_or_else(|| zola_slug(&name));
                format!("/{dir}{slug}/")
            }
        };
        doc.old_url = Some(url);
    }
    Ok(src)
}

/// Zola's default slugs (`slugify.paths = "on"`): ASCII, lower case, `-`
/// between words.
fn zola_slug(s: &str) -> String {
    crate::slug::slug(crate::slug::SlugStyle::Pinyin, s)
}
