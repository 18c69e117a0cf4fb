//! Reads a Jekyll site: `_config.yml`, `_posts/YYYY-MM-DD-title.md` (and
//! `_drafts/`), collections with `output: true`, Markdown pages anywhere
//! else, and every other file that Jekyll would copy as it is. Old URLs
//! follow Jekyll's permalink rules (jekyllrb.com/docs/permalinks/): the
//! built-in styles `date` (the default), `pretty`, `ordinal`, `none`, or a
//! pattern, overridden by a page's own `permalink`.

use super::source::{
    self, Doc, Section, Source, date_prefix, files_under, get, get_str, is_markdown, read_text,
    split_front_matter,
};
use crate::error::Result;
use crate::yaml::{Node, Value as Y};
use std::path::Path;

pub fn config_file(root: &Path) -> Option<std::path::PathBuf> {
    ["_config.yml", "_config.yaml", "_config.toml"]
        .iter()
        .map(|c| root.join(c))
        .find(|p| p.is_file())
}

/// Files of a Jekyll site's root that are the tool's own, never published.
const OWN: &[&str] = &[
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "package.json",
    "package-lock.json",
];

pub fn read(root: &Path) -> Result<Source> {
    let path = config_file(root)
        .ok_or_else(|| crate::error::Error::Refused("no _config.yml in the source".into()))?;
    let shown = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let config = source::read_config(root, &path, &shown)?;
    let mut src = Source::default();
    src.site.title = get_str(&config, "title");
    src.site.description = get_str(&config, "description");
    let url = get_str(&config, "url").unwrap_or_default();
    let baseurl = get_str(&config, "baseurl").unwrap_or_default();
    if !url.is_empty() {
        let path = baseurl.trim_matches('/');
        src.site.base_url = Some(format!(
            "{}/{path}{}",
            url.trim_end_matches('/'),
            if path.is_empty() { "" } else { "/" }
        ));
    }
    src.site.language = get_str(&config, "lang").or_else(|| get_str(&config, "locale"));
    src.site.author = get_str(&config, "author")
        .or_else(|| get(&config, "author").and_then(|a| get_str(a, "name")));
    src.site.taxonomies = vec!["tags".into(), "categories".into()];
    let permalink = get_str(&config, "permalink").unwrap_or_else(|| "date".into());
    let pattern = style(&permalink);
    let pretty = permalink == "pretty";
    let mut collections: Vec<(String, Option<String>)> = Vec::new();
    if let Some(Node {
        value: Y::Map(entries),
        ..
    }) = get(&config, "collections")
    {
        for e in entries {
            if get(&e.value, "output").and_then(|o| match o.value {
                Y::Bool(b) => Some(b),
                _ => None,
            }) == Some(true)
            {
                collections.push((e.key.clone(), get_str(&e.value, "permalink")));
            } else {
                src.report.skip(
                    format!("_{}/", e.key),
                    "a collection without `output: true`: Jekyll did not publish it",
                );
            }
        }
    }
    let files = files_under(root, root, &mut src.report, ".");
    let mut sections: Vec<Section> = Vec::new();
    for rel in &files {
        let first = rel.split('/').next().unwrap_or("");
        if OWN.contains(&first) || first == shown || first == "_site" || first == "_config.yml" {
            continue;
        }
        let in_posts = first == "_posts" || first == "_drafts";
        let collection = collections.iter().find(|(c, _)| first == format!("_{c}"));
        if first.starts_with('_') && !in_posts && collection.is_none() {
            if !rel.contains('/') {
                continue;
            }
            let top = format!("{first}/");
            if !src.report.skipped.iter().any(|i| i.at == top) {
                src.report.skip(top, match first {
                    "_layouts" | "_includes" | "_sass" => "theme and templates: the new site uses herald's theme",
                    "_data" => "Jekyll data files: copy those your templates need into data/ (herald reads YAML, JSON and CSV)",
                    _ => "a folder Jekyll does not publish",
                });
            }
            continue;
        }
        let abs = root.join(rel);
        if !is_markdown(rel) {
            let text = std::fs::read(&abs).unwrap_or_default();
            if text.starts_with(b"---\n") || text.starts_with(b"---\r\n") {
                src.report.skip(rel.clone(), "a file with front matter that Jekyll renders with Liquid (a layout or page template): not imported");
            } else if !in_posts && collection.is_none() {
                src.files.push((abs, format!("static/{rel}")));
            } else {
                src.files
                    .push((abs, format!("content/{}", rel.trim_start_matches('_'))));
            }
            continue;
        }
        let Some(split) =
            src.ok(read_text(root, &abs, rel).and_then(|t| split_front_matter(&t, rel)))
        else {
            continue;
        };
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let stem = source::without_ext(name).to_string();
        let mut doc = Doc::read(rel.clone(), rel.clone(), split);
        let own = doc.text("permalink");
        if in_posts || collection.is_some() {
            let key = if in_posts {
                "posts".to_string()
            } else {
                super::tree::board_key(first)
            };
            if !sections.iter().any(|s| s.key == key) {
                sections.push(Section {
                    name: first.to_string(),
                    key: key.clone(),
                    ..Section::default()
                });
            }
            let (date, title) = match date_prefix(&stem) {
                Some((d, t)) => (Some(d), t),
                None => (None, stem.clone()),
            };
            if first == "_drafts" {
                doc.fields.push(("draft".into(), true.into(), 0));
            }
            let sub = rel[first.len() + 1..]
                .rsplit_once('/')
                .map_or(String::new(), |(d, _)| format!("{d}/"));
            // Two posts of one name on different days keep their dates.
            doc.dest = format!("{key}/{sub}{title}.md");
            if src.docs.iter().any(|d| d.dest == doc.dest) {
                doc.dest = format!("{key}/{sub}{stem}.md");
            }
            doc.section = Some(key);
            doc.file_date = date.clone();
            let pat = match collection {
                Some((c, Some(p))) => style(p).replace(":collection", c),
                Some((c, None)) => format!("/{c}/:path:output_ext"),
                None => pattern.clone(),
            };
            let date = doc.text("date").or(date);
            // A draft was never published: it had no URL.
            if first != "_drafts" {
                let url = own.unwrap_or_else(|| {
                    expand(
                        &pat,
                        &doc,
                        date.as_deref(),
                        &title,
                        &format!("{sub}{title}"),
                    )
                });
                doc.old_url = Some(normalize(&url));
            }
        } else {
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
            let (dest, intro) = match (dir, stem.as_str()) {
                ("", "index") => ("_index.md".to_string(), true),
                ("", _) => (format!("{stem}.md"), false),
                (d, "index") if !d.contains('/') => (format!("{d}.md"), false),
                (d, _) => {
                    let top = d.split('/').next().unwrap_or(d);
                    let key = super::tree::board_key(top);
                    if !sections.iter().any(|s| s.key == key) {
                        sections.push(Section {
                            name: top.to_string(),
                            key: key.clone(),
                            ..Section::default()
                        });
                    }
                    doc.section = Some(key.clone());
                    (format!("{key}{}", &rel[top.len()..]), false)
                }
            };
            doc.dest = if dest.ends_with(".md") {
                dest
            } else {
                format!("{}.md", source::without_ext(&dest))
            };
            doc.intro = intro;
            let url = own.unwrap_or_else(|| {
                let path = source::without_ext(rel);
                match path.strip_suffix("index") {
                    Some(dir) => format!("/{dir}"),
                    None if pretty => format!("/{path}/"),
                    None => format!("/{path}.html"),
                }
            });
            doc.old_url = Some(normalize(&url));
        }
        src.docs.push(doc);
    }
    src.sections = sections;
    Ok(src)
}

/// A built-in permalink style as its pattern.
fn style(name: &str) -> String {
    match name {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        other => other,
    }
    .to_string()
}

fn expand(pattern: &str, doc: &Doc, date: Option<&str>, title: &str, path: &str) -> String {
    let date = date.and_then(|d| {
        crate::schema::parse_date(d)
            .or_else(|| chrono::DateTime::parse_from_str(d.trim(), "%Y-%m-%d %H:%M:%S %z").ok())
    });
    let categories: Vec<String> = match doc.field("categories").or_else(|| doc.field("category")) {
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str())
            .map(str::to_lowercase)
            .collect(),
        Some(serde_json::Value::String(s)) => s.split_whitespace().map(str::to_lowercase).collect(),
        _ => Vec::new(),
    };
    let slug = doc.text("slug").unwrap_or_else(|| title.to_string());
    source::expand_tokens(pattern, |token| {
        Some(match (token, date) {
            ("year", Some(d)) => d.format("%Y").to_string(),
            ("short_year", Some(d)) => d.format("%y").to_string(),
            ("month", Some(d)) => d.format("%m").to_string(),
            ("i_month", Some(d)) => d.format("%-m").to_string(),
            ("day", Some(d)) => d.format("%d").to_string(),
            ("i_day", Some(d)) => d.format("%-d").to_string(),
            ("y_day", Some(d)) => d.format("%j").to_string(),
            ("categories", _) => categories.join("/"),
            ("title", _) => slug.clone(),
            ("slug", _) => crate::slug::slugify(&slug),
            ("path", _) => path.to_string(),
            ("output_ext", _) => ".html".into(),
            _ => return None,
        })
    })
}

/// `//a//b.html` → `/a/b.html`; a path without an extension ends in `/`.
fn normalize(url: &str) -> String {
    let segs: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    let joined = format!("/{}", segs.join("/"));
    if joined == "/" || joined.ends_with(".html") || url.ends_with('/') {
        if joined == "/" || joined.ends_with(".html") {
            joined
        } else {
            format!("{joined}/")
        }
    } else {
        format!("{joined}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_jekyll_permalinks() {
        let fields = vec![("categories".into(), serde_json::json!(["News", "Town"]), 2)];
        let doc = Doc::read(String::new(), String::new(), (fields, String::new(), 1));
        let url = expand(&style("date"), &doc, Some("2020-01-02"), "hello", "hello");
        assert_eq!(normalize(&url), "/news/town/2020/01/02/hello.html");
        let url = expand(
            &style("pretty"),
            &doc,
            Some("2020-01-02 10:00:00 +0800"),
            "hello",
            "hello",
        );
        assert_eq!(normalize(&url), "/news/town/2020/01/02/hello/");
        assert_eq!(
            normalize(&expand("/:year/:title", &doc, Some("2021-03-04"), "x", "x")),
            "/2021/x/"
        );
    }
}
