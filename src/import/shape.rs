//! The new site's shape: its boards (kinds chosen from the pages' dates
//! or by the user), its taxonomies, page paths made unique, and static
//! files that are herald's own to write.

use super::plan::Board;
use super::source::{Doc, Source};
use super::{ImportOptions, Tool};
use crate::config::Kind;
use serde_json::Value;
use std::collections::BTreeSet;

/// Static files where herald writes its own: the site's `robots.txt`
/// stays (herald then writes none); the others are left out.
pub fn own_files(src: &mut Source) -> bool {
    let mut robots = false;
    let mut report = std::mem::take(&mut src.report);
    src.files.retain(|(_, to)| match to.as_str() {
        "static/robots.txt" => {
            robots = true;
            report.note(to.clone(), "the site's own robots.txt is kept: site.yaml says `robots: false`, so herald writes none");
            true
        }
        "static/404.html" | "static/sitemap.xml" | "static/atom.xml" | "static/syntax.css" => {
            report.skip(to.clone(), "herald writes this file itself");
            false
        }
        t if t.starts_with("static/search/") || t.starts_with("static/processed/") => {
            report.skip(to.clone(), "herald writes its own files under this folder");
            false
        }
        _ => true,
    });
    src.report = report;
    robots
}

/// Two pages read to one path (`a.md` twice from different folders) get
/// `-2`, `-3` on the second and later.
pub fn unique_dests(src: &mut Source) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for doc in &mut src.docs {
        let mut dest = doc.dest.clone();
        let mut n = 2;
        while !seen.insert(dest.clone()) {
            dest = format!("{}-{n}.md", doc.dest.trim_end_matches(".md"));
            n += 1;
        }
        if dest != doc.dest {
            src.report.note(
                doc.src.clone(),
                format!(
                    "written as content/{dest}: another page was read to content/{}",
                    doc.dest
                ),
            );
            doc.dest = dest;
        }
    }
}

pub fn boards(src: &mut Source, tool: Tool, opts: &ImportOptions) -> Vec<Board> {
    let mut out = Vec::new();
    for section in &src.sections {
        let intro = src
            .docs
            .iter()
            .find(|d| d.intro && d.section.as_deref() == Some(&section.key));
        let pages: Vec<&Doc> = src
            .docs
            .iter()
            .filter(|d| !d.intro && d.section.as_deref() == Some(&section.key))
            .collect();
        let dated = pages
            .iter()
            .filter(|d| d.field("date").is_some() || d.file_date.is_some())
            .count();
        let chosen = opts
            .kinds
            .iter()
            .find(|(name, _)| *name == section.name || *name == section.key)
            .map(|(_, k)| *k);
        let kind = chosen.unwrap_or(if tool == Tool::Mdbook {
            Kind::Lesson
        } else if dated * 2 >= pages.len().max(1) {
            Kind::Article
        } else {
            Kind::Page
        });
        let title = intro
            .and_then(|d| d.text("title"))
            .or(section.title.clone())
            .unwrap_or_else(|| {
                let mut c = section.key.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            });
        let sort = match intro.and_then(|d| d.text("sort_by")).as_deref() {
            Some("date") => Some("date"),
            Some("weight") => Some("weight"),
            Some("title") => Some("title"),
            _ => section.sort,
        };
        out.push(Board {
            key: section.key.clone(),
            title,
            kind,
            description: intro
                .and_then(|d| d.text("description"))
                .or(section.description.clone()),
            paginate: intro
                .and_then(|d| d.field("paginate_by").or(d.field("paginate")))
                .and_then(Value::as_i64)
                .or(section.paginate),
            sort: sort.map(str::to_string),
        });
    }
    out
}

/// Taxonomy names the pages use (`tags` always, as herald's default).
pub fn taxonomies(src: &Source) -> Vec<String> {
    let mut out = vec!["tags".to_string()];
    for t in &src.site.taxonomies {
        let singular = t.trim_end_matches('s');
        let used = src.docs.iter().any(|d| {
            d.field(t).is_some()
                || d.field(singular).is_some()
                || matches!(d.field("taxonomies"), Some(Value::Object(m)) if m.contains_key(t))
        });
        if used && !out.contains(t) && crate::slug::slugify(t) == *t {
            out.push(t.clone());
        }
    }
    out
}
