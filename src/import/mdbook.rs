//! Reads an mdBook: `book.toml`, the chapters `SUMMARY.md` lists, in its
//! order, nested chapters depth first (rust-lang.github.io/mdBook/format/
//! summary.html: prefix chapters, part titles, numbered chapters, suffix
//! chapters, drafts with an empty link, separators); `{{#include}}` and
//! its relatives expanded from files inside the book. The book becomes a
//! board `book` of lessons, one series in the summary's order; a chapter's
//! old URL is `path.html` (`README.md` is `index.html`).

use super::report::Item;
use super::source::{
    self, Doc, Section, Source, get, get_str, is_markdown, read_text, split_front_matter,
};
use crate::error::Result;
use std::collections::BTreeSet;
use std::path::Path;

pub const BOARD: &str = "book";

pub fn read(root: &Path) -> Result<Source> {
    let config = source::read_config(root, &root.join("book.toml"), "book.toml")?;
    let mut src = Source::default();
    let book = get(&config, "book");
    let title = book.and_then(|b| get_str(b, "title"));
    src.site.title = title.clone();
    src.site.description = book.and_then(|b| get_str(b, "description"));
    src.site.language = book.and_then(|b| get_str(b, "language"));
    src.site.author = book
        .and_then(|b| get(b, "authors"))
        .and_then(|a| match &a.value {
            crate::yaml::Value::Seq(items) => items
                .first()
                .and_then(|n| n.value.as_str())
                .map(str::to_string),
            _ => None,
        });
    src.site.base_url = get(&config, "output")
        .and_then(|o| get(o, "html"))
        .and_then(|h| get_str(h, "site-url"));
    if let Some(url) = src.site.base_url.as_deref().filter(|u| !u.contains("://")) {
        src.report.note(
            "book.toml: site-url",
            format!("the book lived under {url}: set base_url in site.yaml to its full address (https://HOST{url}) before publishing"),
        );
    }
    let src_dir_name = book
        .and_then(|b| get_str(b, "src"))
        .unwrap_or_else(|| "src".into());
    let src_dir = root.join(&src_dir_name);
    if root.join("theme").is_dir() {
        src.report.skip(
            "theme/",
            "the book's theme: the new site uses herald's theme",
        );
    }
    let summary_at = format!("{src_dir_name}/SUMMARY.md");
    let summary = read_text(root, &src_dir.join("SUMMARY.md"), &summary_at)?;
    let chapters = parse_summary(&summary);
    let series = title.clone().unwrap_or_else(|| "Book".into());
    src.sections.push(Section {
        name: src_dir_name.clone(),
        key: BOARD.into(),
        title: title.clone(),
        description: src.site.description.clone(),
        sort: Some("order"),
        series: Some(series),
        ..Section::default()
    });
    let mut listed = BTreeSet::new();
    let mut order = 0;
    for ch in &chapters {
        let at = format!("{summary_at}:{}", ch.line);
        let Some(path) = &ch.path else {
            src.report
                .skip(at, format!("the draft chapter “{}” has no file", ch.title));
            continue;
        };
        if !listed.insert(path.clone()) {
            src.report.skip(
                at,
                format!("`{path}` is listed twice; its first place is kept"),
            );
            continue;
        }
        let shown = format!("{src_dir_name}/{path}");
        let file = src_dir.join(path);
        if !is_markdown(path) || !file.is_file() || path.split('/').any(|s| s == "..") {
            src.report
                .skip(at, format!("`{path}` is not a Markdown file of the book"));
            continue;
        }
        let Some((mut fields, body, body_line)) =
            src.ok(read_text(root, &file, &shown).and_then(|t| split_front_matter(&t, &shown)))
        else {
            continue;
        };
        let dir = Path::new(path)
            .parent()
            .map(|p| src_dir.join(p))
            .unwrap_or(src_dir.clone());
        let body = expand_includes(&body, &dir, root, &shown, body_line, &mut src.report);
        if !fields.iter().any(|(k, _, _)| k == "title") {
            fields.insert(0, ("title".into(), ch.title.clone().into(), 0));
        }
        order += 1;
        let name = path.rsplit('/').next().unwrap_or(path);
        let dir_part = path.strip_suffix(name).unwrap_or("");
        let old = if name.eq_ignore_ascii_case("README.md") {
            format!("/{dir_part}index.html")
        } else {
            format!("/{}.html", source::without_ext(path))
        };
        src.docs.push(Doc {
            section: Some(BOARD.into()),
            dest: format!("{BOARD}/{path}"),
            old_url: Some(old),
            order: Some(order),
            ..Doc::read(shown, path.clone(), (fields, body, body_line))
        });
    }
    let mut report = std::mem::take(&mut src.report);
    for rel in source::files_under(root, &src_dir, &mut report, &src_dir_name) {
        if rel == "SUMMARY.md" {
            continue;
        }
        if is_markdown(&rel) {
            if !listed.contains(&rel) {
                report.skip(
                    format!("{src_dir_name}/{rel}"),
                    "not in SUMMARY.md, so mdBook did not publish it",
                );
            }
            continue;
        }
        src.files
            .push((src_dir.join(&rel), format!("content/{BOARD}/{rel}")));
    }
    src.report = report;
    Ok(src)
}

/// One entry of `SUMMARY.md`.
#[derive(Debug, PartialEq)]
pub struct Chapter {
    pub title: String,
    /// `None` for a draft chapter (`[Draft]()`).
    pub path: Option<String>,
    pub line: usize,
}

/// The chapters of a `SUMMARY.md`, in reading order (nested ones after
/// their parent). Part titles and separators are not chapters.
pub fn parse_summary(text: &str) -> Vec<Chapter> {
    let mut out = Vec::new();
    let mut fence = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with("```") {
            fence = !fence;
        }
        if fence || t.starts_with('#') {
            continue;
        }
        let item = t
            .strip_prefix("- ")
            .or_else(|| t.strip_prefix("* "))
            .unwrap_or(t)
            .trim();
        let Some(rest) = item.strip_prefix('[') else {
            continue;
        };
        let Some(close) = find_close(rest) else {
            continue;
        };
        let title = rest[..close].replace("\\]", "]").replace("\\[", "[");
        let after = &rest[close + 1..];
        let Some(target) = after
            .strip_prefix('(')
            .and_then(|a| a.rfind(')').map(|e| &a[..e]))
        else {
            continue;
        };
        let target = target.trim().trim_start_matches("./");
        let target = target.split('#').next().unwrap_or("");
        let path = percent_encoding::percent_decode_str(target)
            .decode_utf8_lossy()
            .into_owned();
        out.push(Chapter {
            title,
            path: (!path.is_empty()).then_some(path),
            line: i + 1,
        });
    }
    out
}

fn find_close(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        match c {
            '[' if prev != '\\' => depth += 1,
            ']' if prev != '\\' => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            _ => {}
        }
        prev = c;
    }
    None
}

/// Expands `{{#include file}}` (also `:from:to` line ranges and `:anchor`
/// sections), `{{#rustdoc_include …}}` and `{{#playground file}}` with the
/// file's text, and drops `{{#title …}}`. A file outside the book is
/// refused and reported.
fn expand_includes(
    body: &str,
    dir: &Path,
    root: &Path,
    shown: &str,
    first_line: usize,
    report: &mut super::report::Report,
) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let mut consumed = 0;
    while let Some(i) = rest.find("{{#") {
        out.push_str(&rest[..i]);
        let line = first_line + body[..consumed + i].matches('\n').count();
        let at = format!("{shown}:{line}");
        let Some(end) = rest[i..].find("}}") else {
            out.push_str(&rest[i..]);
            return out;
        };
        let inner = rest[i + 3..i + end].trim();
        let (directive, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let arg = arg.trim();
        match directive {
            "include" | "rustdoc_include" | "playground" | "playpen" => {
                match include(arg, dir, root) {
                    Ok(text) => {
                        out.push_str(text.trim_end_matches('\n'));
                        report.translated.push(Item {
                            at,
                            what: format!("{{{{#{directive} {arg}}}}} expanded"),
                        });
                    }
                    Err(why) => {
                        out.push_str(&rest[i..i + end + 2]);
                        report.untranslated.push(Item {
                            at,
                            what: format!("{{{{#{directive} {arg}}}}}: {why}"),
                        });
                    }
                }
            }
            "title" => report.translated.push(Item {
                at,
                what: "{{#title}} dropped: the page's title is its front matter's".into(),
            }),
            _ => {
                out.push_str(&rest[i..i + end + 2]);
                report.untranslated.push(Item {
                    at,
                    what: format!("mdBook's {{{{#{directive}}}}} has no herald equivalent"),
                });
            }
        }
        consumed += i + end + 2;
        rest = &rest[i + end + 2..];
    }
    out.push_str(rest);
    out
}

fn include(arg: &str, dir: &Path, root: &Path) -> std::result::Result<String, String> {
    let (file, range) = match arg.split_once(':') {
        Some((f, r)) => (f, Some(r)),
        None => (arg, None),
    };
    let path = dir.join(file);
    if !source::inside(root, &path) {
        return Err(format!("`{file}` is not a file inside the book"));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{file}`: {e}"))?;
    let lines: Vec<&str> = text.lines().collect();
    // Lines `from` (0-based) up to `to`; a range the file does not have
    // gives what of it there is, never a panic.
    let pick = |from: usize, to: usize| {
        let to = to.min(lines.len());
        lines[from.min(to)..to].join("\n")
    };
    Ok(match range {
        None => text.clone(),
        Some(r) => {
            let mut parts = r.splitn(2, ':');
            let a = parts.next().unwrap_or("");
            let b = parts.next();
            match (a.parse::<usize>(), b) {
                (Ok(from), None) => pick(from.saturating_sub(1), from),
                (Ok(from), Some(b)) => {
                    pick(from.saturating_sub(1), b.parse().unwrap_or(lines.len()))
                }
                (Err(_), Some(b)) if a.is_empty() => pick(0, b.parse().unwrap_or(lines.len())),
                _ => {
                    // An anchor: the lines between ANCHOR: a and ANCHOR_END: a.
                    let start = lines
                        .iter()
                        .position(|l| l.contains(&format!("ANCHOR: {a}")))
                        .ok_or(format!("no `ANCHOR: {a}` in `{file}`"))?;
                    let end = lines[start..]
                        .iter()
                        .position(|l| l.contains(&format!("ANCHOR_END: {a}")))
                        .map_or(lines.len(), |e| start + e);
                    lines[start + 1..end]
                        .iter()
                        .filter(|l| !l.contains("ANCHOR"))
                        .copied()
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_summary_as_mdbook_does() {
        let s = "# Summary\n\n[Introduction](README.md)\n\n# Part one\n\n- [Getting started](ch1/start.md)\n    - [Nested \\[x\\]](ch1/nested%20one.md)\n- [Draft]()\n\n---\n\n[Appendix](appendix.md)\n";
        let ch = parse_summary(s);
        let paths: Vec<_> = ch.iter().map(|c| c.path.as_deref()).collect();
        assert_eq!(
            paths,
            [
                Some("README.md"),
                Some("ch1/start.md"),
                Some("ch1/nested one.md"),
                None,
                Some("appendix.md")
            ]
        );
        assert_eq!(ch[1].title, "Getting started");
        assert_eq!(ch[2].title, "Nested [x]");
        assert_eq!(ch[3].line, 9);
    }

    #[test]
    fn includes_lines_ranges_and_anchors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.rs"),
            "one\ntwo\n// ANCHOR: x\nthree\n// ANCHOR_END: x\n",
        )
        .unwrap();
        let inc = |arg: &str| include(arg, dir.path(), dir.path());
        assert_eq!(inc("a.rs:2").unwrap(), "two");
        assert_eq!(inc("a.rs::2").unwrap(), "one\ntwo");
        assert_eq!(inc("a.rs:2:1").unwrap(), "", "a backwards range is empty");
        assert_eq!(inc("a.rs:9:12").unwrap(), "");
        assert_eq!(inc("a.rs:x").unwrap(), "three");
        assert!(inc("a.rs:nope").is_err());
        assert!(inc("../../etc/passwd").is_err(), "outside the book");
    }
}
