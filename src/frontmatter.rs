//! Typed front matter: the keys every page has, plus the keys of its kind.
//! See `docs/content.md` for the reference.

use crate::config::Config;
use crate::error::Diagnostic;
use crate::kinds::{Fields, Kind, KindDef};
use crate::msg;
use crate::schema::MapReader;
use crate::yaml::Node;
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeMap;

/// Keys every page may set.
pub use crate::kinds::COMMON_KEYS;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub expires: Option<DateTime<FixedOffset>>,
    pub slug: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub cover: Option<String>,
    pub cover_alt: Option<String>,
    pub draft: bool,
    pub weight: i64,
    pub aliases: Vec<String>,
    pub template: Option<String>,
    /// Terms per taxonomy (`tags: [a, b]`).
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub extra: serde_json::Value,
    /// The built-in kind whose behaviour the page's kind has.
    pub kind: Kind,
    /// The fields its kind declares, typed (`kinds/`).
    pub fields: Fields,
}

impl FrontMatter {
    /// A lesson's series, as written.
    pub fn series(&self) -> Option<&str> {
        (self.kind == Kind::Lesson)
            .then(|| self.fields.text("series"))
            .flatten()
    }

    /// A lesson's place in its series (`order:`).
    pub fn order(&self) -> Option<u64> {
        (self.kind == Kind::Lesson)
            .then(|| self.fields.integer("order"))
            .flatten()
            .map(|o| o as u64)
    }

    /// A lesson's length in minutes.
    pub fn duration(&self) -> Option<f64> {
        (self.kind == Kind::Lesson)
            .then(|| self.fields.number("duration"))
            .flatten()
    }

    /// A lesson's level.
    pub fn level(&self) -> Option<&str> {
        (self.kind == Kind::Lesson)
            .then(|| self.fields.text("level"))
            .flatten()
    }
}

/// Reads a page's front matter for its kind. `start_line` is the line of
/// the opening `---`, used for "missing key" messages.
pub fn read_page<'a>(
    file: &'a str,
    node: &'a Node,
    kind: &'a KindDef,
    config: &'a Config,
    start_line: usize,
) -> (FrontMatter, Vec<Diagnostic>) {
    let mut r = MapReader::new(file, node, msg!("front-matter"));
    let mut fm = FrontMatter {
        title: r
            .required_string("title", start_line, "\"…\"")
            .unwrap_or_default(),
        kind: kind.base,
        ..FrontMatter::default()
    };
    read_common(&mut r, &mut fm, config);
    if kind.base == Kind::Publication && fm.cover.is_none() && !r.has("cover") {
        r.diags.push(
            Diagnostic::error(file, msg!("publication-needs-cover"))
                .at(start_line)
                .hint(msg!("publication-needs-cover-hint")),
        );
    }
    fm.fields = crate::kinds::read_fields(&mut r, kind, start_line);
    // A key of another kind's pages; else, where fields of the site's own go.
    let diags = r.finish_with(
        |key| {
            let owner = config.kinds.owner_of(key)?;
            let a = if kind.name.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            Some(msg!(
                "key-of-another-kind",
                key,
                owner = owner.name,
                a,
                kind = kind.name
            ))
        },
        |key| Some(msg!("fields-of-your-own", key)),
    );
    (fm, diags)
}

/// Reads the front matter of an `_index.md` (home or board intro).
pub fn read_index(file: &str, node: &Node) -> (FrontMatter, Vec<Diagnostic>) {
    let mut r = MapReader::new(file, node, msg!("front-matter"));
    let fm = FrontMatter {
        title: r.string("title").unwrap_or_default(),
        description: r.string("description"),
        summary: r.string("summary"),
        cover: r.string("cover"),
        cover_alt: r.string("cover_alt"),
        template: r.string("template"),
        extra: r.json("extra"),
        ..FrontMatter::default()
    };
    (fm, r.finish(|_| None))
}

fn read_common<'a>(r: &mut MapReader<'a>, fm: &mut FrontMatter, config: &'a Config) {
    let tz = config.timezone;
    fm.date = r.date_in("date", tz);
    fm.updated = r.date_in("updated", tz);
    fm.expires = r.date_in("expires", tz);
    fm.slug = r.string("slug");
    if let (Some(slug), Some(node)) = (&fm.slug, r.node("slug"))
        && (slug.is_empty()
            || slug.contains(['/', '\\', '?', '#'])
            || slug.chars().any(char::is_control)
            || slug == "."
            || slug == ".."
            || slug.len() > crate::slug::MAX_SLUG_BYTES)
    {
        r.invalid(
            "slug",
            node,
            msg!("bad-slug", slug),
            msg!("bad-slug-hint", bytes = crate::slug::MAX_SLUG_BYTES),
        );
    }
    fm.summary = r.string("summary");
    fm.description = r.string("description");
    fm.authors = r.string_list("authors");
    fm.cover = r.string("cover");
    fm.cover_alt = r.string("cover_alt");
    fm.draft = r.boolean("draft").unwrap_or(false);
    fm.weight = r.integer("weight").unwrap_or(0);
    fm.aliases = r.string_list("aliases");
    fm.template = r.string("template");
    fm.extra = r.json("extra");
    for t in &config.taxonomies {
        let terms = r.string_list(&t.name);
        if !terms.is_empty() {
            fm.taxonomies.insert(t.name.clone(), terms);
        }
    }
    // Zola's and Hugo's TOML put terms in a table: `[taxonomies] tags = […]`.
    if let Some(node) = r.node("taxonomies") {
        let mut inner = MapReader::new(r.file(), node, "taxonomies");
        for t in &config.taxonomies {
            let terms = inner.string_list(&t.name);
            if !terms.is_empty() {
                fm.taxonomies
                    .entry(t.name.clone())
                    .or_default()
                    .extend(terms);
            }
        }
        r.diags.extend(inner.finish(|_| None));
    }
}

/// How a page's front matter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines (Zola, Hugo).
    Toml,
}

/// Splits `---\nyaml\n---\nbody` (or `+++\ntoml\n+++\nbody`) into
/// (front matter, body, body's first line, format).
pub fn split_front_matter<'a>(
    file: &str,
    text: &'a str,
) -> Result<Option<(&'a str, &'a str, usize, Format)>, Diagnostic> {
    let first_line = text.lines().next().unwrap_or("");
    let (fence, format) = match first_line.trim_end() {
        "---" => ("---", Format::Yaml),
        "+++" => ("+++", Format::Toml),
        _ => return Ok(None),
    };
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for (line_no, line) in (2..).zip(text[start..].split_inclusive('\n')) {
        if line.trim_end() == fence {
            let front = &text[start..offset];
            let body = &text[offset + line.len()..];
            return Ok(Some((front, body, line_no + 1, format)));
        }
        offset += line.len();
    }
    Err(Diagnostic::error(file, msg!("front-matter-not-closed"))
        .at(1)
        .hint(msg!("front-matter-not-closed-hint", fence)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn config() -> Config {
        Config::parse("title: T\n").unwrap()
    }

    #[test]
    fn lesson_fields_are_typed() {
        let node = parse(
            "title: 第一课\nduration: -3\nobjectives: [读懂]\norder: 2\n",
            1,
        )
        .unwrap();
        let c = config();
        let (fm, diags) = read_page("a.md", &node, c.kinds.of(Kind::Lesson), &c, 1);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.to_string().contains("positive"));
        assert_eq!(fm.order(), Some(2));
        assert_eq!(fm.fields.list("objectives"), ["读懂"]);
    }

    #[test]
    fn key_of_another_kind_is_explained() {
        let node = parse("title: x\nduration: 5\n", 1).unwrap();
        let (_, diags) = read_page(
            "a.md",
            &node,
            config().kinds.of(Kind::Article),
            &config(),
            1,
        );
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0]
                .hint
                .as_ref()
                .unwrap()
                .to_string()
                .contains("lesson pages")
        );
    }

    #[test]
    fn publication_needs_cover() {
        let node = parse("title: x\nformat: book\n", 1).unwrap();
        let (_, diags) = read_page(
            "a.md",
            &node,
            config().kinds.of(Kind::Publication),
            &config(),
            1,
        );
        assert!(diags[0].message.to_string().contains("cover"));
    }

    #[test]
    fn missing_title() {
        let node = parse("date: 2024-01-01\n", 1).unwrap();
        let (_, diags) = read_page(
            "a.md",
            &node,
            config().kinds.of(Kind::Article),
            &config(),
            1,
        );
        assert!(
            diags[0]
                .message
                .to_string()
                .contains("missing required key `title`")
        );
    }
}
