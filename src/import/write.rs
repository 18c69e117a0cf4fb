//! The one place `herald import` writes: the new site's `site.yaml`, its
//! pages with YAML front matter, copied files, shortcode templates, and
//! the report. The destination is new or empty, so everything in it is the
//! import's own.

use super::Tool;
use super::plan::Planned;
use super::source::Source;
use crate::error::{Error, Result};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

pub const REPORT_FILE: &str = "IMPORT-REPORT.md";

pub fn write_site(dest: &Path, src: &mut Source, planned: &Planned, tool: Tool) -> Result<()> {
    put(dest, "site.yaml", site_yaml(src, planned, tool).as_bytes())?;
    put(
        dest,
        ".gitignore",
        b"/public\n/.public.herald-*\n/.herald-cache\n",
    )?;
    for page in &planned.pages {
        let mut text = String::from("---\n");
        for (k, v) in &page.fields {
            let _ = writeln!(text, "{k}: {}", scalar_or_flow(v));
        }
        if !page.extra.is_empty() {
            text.push_str("extra:\n");
            for (k, v) in &page.extra {
                let _ = writeln!(text, "  {}: {}", key(k), scalar_or_flow(v));
            }
        }
        text.push_str("---\n");
        text.push_str(&page.body);
        put(dest, &format!("content/{}", page.dest), text.as_bytes())?;
    }
    for (from, to) in &src.files {
        let target = dest.join(to);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
        }
        std::fs::copy(from, &target).map_err(|e| {
            Error::io(
                format!("cannot copy {} to {}", from.display(), target.display()),
                e,
            )
        })?;
    }
    src.report.files = src.files.len();
    for (name, block) in &planned.shortcodes {
        put(
            dest,
            &format!("templates/shortcodes/{name}.html"),
            shortcode_template(name, *block, tool).as_bytes(),
        )?;
    }
    Ok(())
}

pub fn put(dest: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = dest.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Error::io(format!("cannot create {}", parent.display()), e))?;
    }
    std::fs::write(&path, bytes)
        .map_err(|e| Error::io(format!("cannot write {}", path.display()), e))
}

fn site_yaml(src: &Source, planned: &Planned, tool: Tool) -> String {
    let site = &src.site;
    let mut s = format!(
        "# Imported from {} by `herald import`: see IMPORT-REPORT.md, and docs/configuration.md for every key.\n",
        tool.name()
    );
    let _ = writeln!(
        s,
        "title: {}",
        scalar(site.title.as_deref().unwrap_or("Imported site"))
    );
    if let Some(d) = &site.description {
        let _ = writeln!(s, "description: {}", scalar(d));
    }
    let base = site
        .base_url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let _ = writeln!(s, "base_url: {}", scalar(base.unwrap_or("/")));
    if let Some(lang) = site
        .language
        .as_deref()
        .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    {
        let _ = writeln!(s, "language: {}", scalar(lang));
    }
    if let Some(a) = &site.author {
        let _ = writeln!(s, "author: {}", scalar(a));
    }
    if !planned.boards.is_empty() {
        s.push_str("boards:\n");
        for b in &planned.boards {
            let mut parts = vec![
                format!("key: {}", b.key),
                format!("title: {}", scalar(&b.title)),
                format!("kind: {}", b.kind.name()),
            ];
            if let Some(p) = b.paginate.filter(|p| *p > 0) {
                parts.push(format!("paginate: {p}"));
            }
            if let Some(sort) = &b.sort {
                parts.push(format!("sort: {sort}"));
            }
            if let Some(d) = &b.description {
                parts.push(format!("description: {}", scalar(d)));
            }
            let _ = writeln!(s, "  - {{ {} }}", parts.join(", "));
        }
    }
    let _ = writeln!(s, "taxonomies: [{}]", planned.taxonomies.join(", "));
    if planned.own_robots {
        s.push_str("robots: false\n");
    }
    s
}

fn shortcode_template(name: &str, block: bool, tool: Tool) -> String {
    match name {
        "youtube" => "{# required: id #}{# Written by herald import: a link, so the page loads nothing from YouTube. #}<p class=\"video-link\"><a href=\"https://www.youtube.com/watch?v={{ id }}\">▶ YouTube{% if title is defined %}: {{ title }}{% endif %}</a></p>\n".into(),
        "vimeo" => "{# required: id #}{# Written by herald import: a link, so the page loads nothing from Vimeo. #}<p class=\"video-link\"><a href=\"https://vimeo.com/{{ id }}\">▶ Vimeo{% if title is defined %}: {{ title }}{% endif %}</a></p>\n".into(),
        _ if block => format!("{{# A stub written by herald import for the {} shortcode `{name}`: it shows its inner text. Write what it should show (see IMPORT-REPORT.md). #}}<div class=\"imported-{name}\">\n{{{{ body }}}}\n</div>\n", tool.name()),
        _ => format!("{{# A stub written by herald import for the {} shortcode `{name}`: it shows nothing. Write what it should show (see IMPORT-REPORT.md). #}}<!-- {name} -->\n", tool.name()),
    }
}

fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        quoted(k)
    }
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A text as a YAML scalar: plain where YAML reads it back as the same
/// text, double-quoted (JSON's escapes are YAML's) otherwise.
pub fn scalar(s: &str) -> String {
    let first = s.chars().next();
    let special = |c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c);
    let looks_typed = matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "~" | "y" | "n"
    ) || s.parse::<f64>().is_ok()
        || first.is_some_and(|c| c.is_ascii_digit() || c == '+' || c == '.')
            && crate::schema::parse_date(s).is_none();
    let plain = !s.is_empty()
        && s.trim() == s
        && !first.is_some_and(special)
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with(':')
        && !s.contains(['\n', '\t', ',', '[', ']', '{', '}', '"', '\\'])
        && !looks_typed;
    if plain { s.to_string() } else { quoted(s) }
}

/// A value on one line: a scalar, or a flow list or map.
fn scalar_or_flow(v: &Value) -> String {
    match v {
        Value::String(s) => scalar(s),
        Value::Null => "null".into(),
        Value::Bool(_) | Value::Number(_) => v.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(scalar_or_flow)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(m) => format!(
            "{{ {} }}",
            m.iter()
                .map(|(k, v)| format!("{}: {}", key(k), scalar_or_flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_written() {
        for s in [
            "Hello world",
            "乡村振兴",
            "2020-01-02",
            "a: b",
            "- x",
            "true",
            "123",
            "say \"hi\"",
            "a, b",
            "",
            " x",
        ] {
            let yaml = format!("k: {}\n", scalar(s));
            let node = crate::yaml::parse(&yaml, 0).unwrap();
            let crate::yaml::Value::Map(e) = node.value else {
                panic!()
            };
            assert_eq!(
                e[0].value.value,
                crate::yaml::Value::Str(s.to_string()),
                "{yaml}"
            );
        }
        assert_eq!(scalar("Hello world"), "Hello world");
        assert_eq!(scalar("true"), "\"true\"");
    }
}
