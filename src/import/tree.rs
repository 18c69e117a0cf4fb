//! The content folder Hugo and Zola share: a Markdown file per page, a
//! folder per section with an `_index.md`, page bundles (`name/index.md`
//! with their files). Top-level folders become boards; nested sections are
//! kept as folders inside their board (herald keeps them in the URL), and a
//! nested section's `_index.md` becomes a page at the section's URL.

use super::source::{
    Doc, Section, Source, files_under, is_markdown, read_text, split_front_matter,
};
use crate::error::Result;
use std::collections::BTreeSet;
use std::path::Path;

/// Reads `dir` (shown as `shown`, e.g. `content`) of the source at `root`
/// into `src`: pages,
/// sections and files. `translation` says whether a file name is a
/// translation (`about.en.md`) to leave out.
pub fn read_content(
    root: &Path,
    dir: &Path,
    shown: &str,
    src: &mut Source,
    translation: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let files = files_under(root, dir, &mut src.report, shown);
    let bundles: BTreeSet<String> = files
        .iter()
        .filter_map(|f| f.strip_suffix("/index.md"))
        .map(str::to_string)
        .collect();
    let in_bundle = |rel: &str| {
        bundles
            .iter()
            .any(|b| rel.starts_with(b.as_str()) && rel[b.len()..].starts_with('/'))
    };
    let mut sections: Vec<Section> = Vec::new();
    for rel in &files {
        let at = format!("{shown}/{rel}");
        let top = rel.split_once('/').map(|(s, _)| s);
        if let Some(name) = top
            && !sections.iter().any(|s| s.name == name)
        {
            sections.push(Section {
                name: name.to_string(),
                key: board_key(name),
                ..Section::default()
            });
        }
        let key_of = |name: &str| {
            sections
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.key.clone())
        };
        let section_key = top.and_then(key_of);
        let within = |rel: &str| match (top, &section_key) {
            (Some(name), Some(key)) => format!("{key}{}", &rel[name.len()..]),
            _ => rel.to_string(),
        };
        if !is_markdown(rel) {
            if rel.ends_with(".html") || rel.ends_with(".htm") {
                src.report.skip(
                    at,
                    "an HTML page: herald's pages are Markdown; move its content into a .md page",
                );
                continue;
            }
            src.files
                .push((dir.join(rel), format!("content/{}", within(rel))));
            continue;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if translation(name) {
            src.report.skip(at, "a translation: not imported (the original page is); herald publishes translations beside their pages (docs/languages.md): declare `languages:` in site.yaml and copy it in as NAME.CODE.md");
            continue;
        }
        if in_bundle(rel) && name != "index.md" {
            src.report.skip(at, "a Markdown file inside a page bundle: herald publishes a bundle's other files as they are, not as pages");
            continue;
        }
        let Some(split) =
            src.ok(read_text(root, &dir.join(rel), &at).and_then(|t| split_front_matter(&t, &at)))
        else {
            continue;
        };
        let dir_part = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let (dest, intro) = if name == "_index.md" {
            match dir_part.rsplit_once('/') {
                // Nested section: a page where the section was.
                Some((parent, last)) => (within(&format!("{parent}/{last}.md")), false),
                None if dir_part.is_empty() => ("_index.md".to_string(), true),
                None => (within(&format!("{dir_part}/_index.md")), true),
            }
        } else {
            (within(rel), false)
        };
        src.docs.push(Doc {
            section: section_key.clone(),
            dest,
            intro,
            ..Doc::read(at, rel.clone(), split)
        });
    }
    // Sections without pages are no boards.
    sections.retain(|s| {
        src.docs
            .iter()
            .any(|d| d.section.as_deref() == Some(&s.key))
    });
    src.sections.extend(sections);
    Ok(())
}

/// A board key from a folder name: lowercase letters, digits, `-`, `_`.
pub fn board_key(name: &str) -> String {
    let name = name.trim_start_matches('_');
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if !name.is_empty() && name.chars().all(ok) {
        name.to_string()
    } else {
        let s = crate::slug::slug(crate::slug::SlugStyle::Pinyin, name);
        if s.is_empty() { "section".into() } else { s }
    }
}

/// The folder of a page's URL and its own name, from its path in the
/// source (`posts/a.md` → (`posts/`, `a`); `posts/trip/index.md` →
/// (`posts/`, `trip`); `posts/sub/_index.md` → (`posts/`, `sub`)).
pub fn url_parts(rel: &str) -> (String, String) {
    let no_ext = super::source::without_ext(rel);
    let no_ext = no_ext
        .strip_suffix("/index")
        .or_else(|| no_ext.strip_suffix("/_index"))
        .unwrap_or(no_ext);
    match no_ext.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n.to_string()),
        None => (String::new(), no_ext.to_string()),
    }
}
