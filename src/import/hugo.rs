//! Reads a Hugo site: `hugo.toml` (or `config.*`, or `config/_default/`),
//! `content/` with sections, leaf and branch bundles, `static/`; old URLs
//! from `url`, `slug` and `[permalinks]` patterns, as Hugo's docs define
//! them (gohugo.io/content-management/urls/).

use super::source::{self, Source, get, get_str};
use super::tree;
use crate::error::{Error, Result};
use crate::yaml::{Node, Value as Y};
use std::path::{Path, PathBuf};

const CONFIGS: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
    "config/_default/hugo.toml",
    "config/_default/config.toml",
    "config/_default/hugo.yaml",
    "config/_default/config.yaml",
];

/// The config file of a Hugo site, if `root` is one.
pub fn config_file(root: &Path) -> Option<PathBuf> {
    CONFIGS.iter().map(|c| root.join(c)).find(|p| {
        p.is_file()
            && source::inside(root, p)
            && std::fs::read_to_string(p).is_ok_and(|t| {
                let lower = t.to_ascii_lowercase();
                // Zola writes base_url; Hugo baseURL (any case).
                !lower.contains("base_url") || lower.contains("baseurl")
            })
    })
}

pub fn read(root: &Path) -> Result<Source> {
    let path = config_file(root).ok_or_else(|| {
        Error::Refused("no Hugo config file (hugo.toml, config.toml, …) in the source".into())
    })?;
    let shown = path
        .strip_prefix(root)
        .unwrap_or(&path)
        .to_string_lossy()
        .into_owned();
    let config = source::read_config(root, &path, &shown)?;
    let mut src = Source::default();
    let params = get(&config, "params");
    src.site.title = get_str(&config, "title");
    src.site.base_url = get_str(&config, "baseURL");
    src.site.language =
        get_str(&config, "languageCode").or_else(|| get_str(&config, "defaultContentLanguage"));
    src.site.description = params
        .and_then(|p| get_str(p, "description"))
        .or_else(|| get_str(&config, "description"));
    src.site.author = params
        .and_then(|p| get_str(p, "author"))
        .or_else(|| get_str(&config, "author"));
    src.site.taxonomies = match get(&config, "taxonomies") {
        Some(Node {
            value: Y::Map(entries),
            ..
        }) => entries
            .iter()
            .filter_map(|e| e.value.value.as_str().map(str::to_string))
            .collect(),
        _ => vec!["tags".into(), "categories".into()],
    };
    let languages: Vec<String> = match get(&config, "languages") {
        Some(Node {
            value: Y::Map(entries),
            ..
        }) => entries.iter().map(|e| e.key.to_ascii_lowercase()).collect(),
        _ => Vec::new(),
    };
    for key in ["menu", "menus"] {
        if get(&config, key).is_some() {
            src.report.skip(
                format!("{shown}: {key}"),
                "menus: herald's navigation is its boards, in site.yaml's order",
            );
        }
    }
    if languages.len() > 1 {
        src.report.skip(format!("{shown}: languages"), "more than one language: the default language's pages are imported, not their translations; herald publishes translations beside their pages (docs/languages.md): declare `languages:` in site.yaml and copy them in as NAME.CODE.md");
    }
    for dir in ["layouts", "themes", "assets", "archetypes", "i18n", "data"] {
        if root.join(dir).is_dir() {
            src.report.skip(format!("{dir}/"), match dir {
                "data" => "Hugo data files: copy those your templates need into data/ (herald reads YAML, JSON and CSV)",
                "assets" => "Hugo Pipes assets: herald publishes static/ as it is",
                _ => "theme and templates: the new site uses herald's theme",
            });
        }
    }
    let content_dir = get_str(&config, "contentDir").unwrap_or_else(|| "content".into());
    let default_lang = get_str(&config, "defaultContentLanguage")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let is_translation = |name: &str| {
        let stem = name.trim_end_matches(".md");
        stem.rsplit_once('.').is_some_and(|(_, lang)| {
            languages
                .iter()
                .any(|l| l == &lang.to_ascii_lowercase() && *l != default_lang)
        })
    };
    tree::read_content(
        root,
        &root.join(&content_dir),
        &content_dir,
        &mut src,
        &is_translation,
    )?;
    let static_dir = get_str(&config, "staticDir").unwrap_or_else(|| "static".into());
    let mut report = std::mem::take(&mut src.report);
    for rel in source::files_under(root, &root.join(&static_dir), &mut report, &static_dir) {
        src.files
            .push((root.join(&static_dir).join(&rel), format!("static/{rel}")));
    }
    src.report = report;

    let permalinks = permalinks(&config);
    for doc in &mut src.docs {
        let rel = doc
            .src
            .strip_prefix(&format!("{content_dir}/"))
            .unwrap_or(&doc.src)
            .to_string();
        let (dir, name) = tree::url_parts(&rel);
        if doc.intro {
            doc.old_url = Some(format!(
                "/{dir}{}",
                if name.is_empty() || name == "_index" {
                    String::new()
                } else {
                    format!("{name}/")
                }
            ));
            continue;
        }
        let slug = doc.text("slug");
        let top = rel.split('/').next().unwrap_or("");
        let url = if let Some(url) = doc.text("url") {
            format!("/{}", url.trim_start_matches('/'))
        } else if let Some(pattern) = permalinks.iter().find(|(s, _)| s == top).map(|(_, p)| p) {
            expand(pattern, doc, &dir, &name, slug.as_deref())
        } else {
            format!(
                "/{}{}/",
                lower(&dir),
                lower(slug.as_deref().unwrap_or(&name))
            )
        };
        doc.old_url = Some(url);
    }
    Ok(src)
}

/// `[permalinks]` (or `[permalinks.page]`): section → pattern.
fn permalinks(config: &Node) -> Vec<(String, String)> {
    let Some(table) = get(config, "permalinks") else {
        return Vec::new();
    };
    let table = get(table, "page").unwrap_or(table);
    match &table.value {
        Y::Map(entries) => entries
            .iter()
            .filter_map(|e| Some((e.key.clone(), e.value.value.as_str()?.to_string())))
            .collect(),
        _ => Vec::new(),
    }
}

/// Hugo's path lowering (`disablePathToLower` is false by default).
fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Hugo's `urlize`: lower case, spaces to `-`, only letters, digits and
/// `-_.` kept.
pub fn urlize(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_whitespace() {
            out.push('-');
        } else if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Expands a permalink pattern (`/:year/:month/:slug/`).
fn expand(pattern: &str, doc: &source::Doc, dir: &str, name: &str, slug: Option<&str>) -> String {
    let date = doc
        .text("date")
        .or_else(|| doc.text("publishDate"))
        .and_then(|d| crate::schema::parse_date(&d));
    let title = doc
        .text("title")
        .map(|t| urlize(&t))
        .unwrap_or_else(|| urlize(name));
    let section = dir.split('/').next().unwrap_or("");
    let out = source::expand_tokens(pattern, |token| {
        Some(match (token, date) {
            ("year", Some(d)) => d.format("%Y").to_string(),
            ("month", Some(d)) => d.format("%m").to_string(),
            ("monthname", Some(d)) => d.format("%B").to_string().to_lowercase(),
            ("day", Some(d)) => d.format("%d").to_string(),
            ("section", _) => section.to_string(),
            ("sections", _) => dir.trim_end_matches('/').to_string(),
            ("title", _) => title.clone(),
            ("slug", _) => slug.map(urlize).unwrap_or_else(|| title.clone()),
            ("filename" | "contentbasename", _) => name.to_string(),
            ("slugorfilename" | "slugorcontentbasename", _) => slug.unwrap_or(name).to_string(),
            _ => return None,
        })
    });
    let out = format!("/{}", out.trim_start_matches('/'));
    if out.ends_with('/') || out.ends_with(".html") {
        out
    } else {
        format!("{out}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlizes_as_hugo() {
        assert_eq!(urlize("Hello, World!"), "hello-world");
        assert_eq!(urlize("乡村 振兴"), "乡村-振兴");
    }
}
