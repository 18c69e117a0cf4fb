//! Typed front matter: the keys every page has, plus the keys of its kind.
//! See `docs/content.md` for the reference.

use crate::config::{Config, Kind};
use crate::error::Diagnostic;
use crate::msg;
use crate::schema::MapReader;
use crate::yaml::Node;
use chrono::{DateTime, FixedOffset};
use std::collections::BTreeMap;

/// Keys every page may set.
pub const COMMON_KEYS: [&str; 15] = [
    "title",
    "date",
    "updated",
    "slug",
    "summary",
    "authors",
    "cover",
    "cover_alt",
    "draft",
    "weight",
    "aliases",
    "extra",
    "expires",
    "template",
    "description",
];
const LESSON_KEYS: [&str; 6] = [
    "duration",
    "objectives",
    "level",
    "video",
    "series",
    "order",
];
const CASE_KEYS: [&str; 4] = ["subject", "location", "period", "outcome"];
const PUBLICATION_KEYS: [&str; 6] = ["format", "publisher", "published", "pages", "file", "isbn"];
/// Publication formats.
pub const FORMATS: [&str; 8] = [
    "book",
    "brochure",
    "comic",
    "periodical",
    "film",
    "poster",
    "report",
    "other",
];

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
    pub kind: KindFields,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum KindFields {
    #[default]
    None,
    Lesson(Lesson),
    Case(Case),
    Publication(Publication),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lesson {
    pub duration: Option<f64>,
    pub objectives: Vec<String>,
    pub level: Option<String>,
    pub video: Option<String>,
    pub series: Option<String>,
    pub order: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Case {
    pub subject: Option<String>,
    pub location: Option<String>,
    pub period: Option<String>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Publication {
    pub format: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub pages: Option<u64>,
    pub file: Option<String>,
    pub isbn: Option<String>,
}

/// Which kind a key belongs to, for "this is a lesson key" hints.
fn owner_of(key: &str) -> Option<Kind> {
    if LESSON_KEYS.contains(&key) {
        Some(Kind::Lesson)
    } else if CASE_KEYS.contains(&key) {
        Some(Kind::Case)
    } else if PUBLICATION_KEYS.contains(&key) {
        Some(Kind::Publication)
    } else {
        None
    }
}

/// Reads a page's front matter for its kind. `start_line` is the line of
/// the opening `---`, used for "missing key" messages.
pub fn read_page<'a>(
    file: &'a str,
    node: &'a Node,
    kind: Kind,
    config: &'a Config,
    start_line: usize,
) -> (FrontMatter, Vec<Diagnostic>) {
    let mut r = MapReader::new(file, node, msg!("front-matter"));
    let mut fm = FrontMatter {
        title: r
            .required_string("title", start_line, "\"…\"")
            .unwrap_or_default(),
        ..FrontMatter::default()
    };
    read_common(&mut r, &mut fm, config);
    fm.kind = match kind {
        Kind::Lesson => KindFields::Lesson(read_lesson(&mut r)),
        Kind::Case => KindFields::Case(Case {
            subject: r.string("subject"),
            location: r.string("location"),
            period: r.string("period"),
            outcome: r.string("outcome"),
        }),
        Kind::Publication => {
            if fm.cover.is_none() && !r.has("cover") {
                r.diags.push(
                    Diagnostic::error(file, msg!("publication-needs-cover"))
                        .at(start_line)
                        .hint(msg!("publication-needs-cover-hint")),
                );
            }
            KindFields::Publication(read_publication(&mut r))
        }
        Kind::Article | Kind::Page => KindFields::None,
    };
    // A key of another kind's pages; else, where fields of the site's own go.
    let diags = r.finish_with(
        |key| {
            owner_of(key).filter(|k| *k != kind).map(|k| {
                msg!(
                    "key-of-another-kind",
                    key,
                    owner = k.name(),
                    a = if kind == Kind::Article { "an" } else { "a" },
                    kind = kind.name()
                )
            })
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

fn read_lesson(r: &mut MapReader) -> Lesson {
    let duration = r.number("duration");
    if let (Some(d), Some(node)) = (duration, r.node("duration"))
        && d <= 0.0
    {
        r.invalid(
            "duration",
            node,
            msg!("positive-minutes", found = d),
            msg!("for-example", key = "duration", example = 8),
        );
    }
    Lesson {
        duration: duration.filter(|d| *d > 0.0),
        objectives: r.string_list("objectives"),
        level: r.string("level"),
        video: r.string("video"),
        series: r.string("series"),
        order: r.count("order", 1),
    }
}

fn read_publication(r: &mut MapReader) -> Publication {
    let format = r.string("format");
    if let (Some(f), Some(node)) = (&format, r.node("format"))
        && !FORMATS.contains(&f.as_str())
    {
        let formats = FORMATS.join(", ");
        let hint = match crate::error::did_you_mean(f, FORMATS) {
            Some(s) => msg!("did-you-mean-of", near = s, what => msg!("formats"), all = formats),
            None => msg!("choices-are", what => msg!("formats"), all = formats),
        };
        r.invalid(
            "format",
            node,
            msg!("unknown-choice", what => msg!("format"), name = f),
            hint,
        );
    }
    let published = match r.node("published") {
        None => None,
        Some(node) => match &node.value {
            crate::yaml::Value::Int(y) if (1000..=9999).contains(y) => Some(y.to_string()),
            crate::yaml::Value::Str(s) if crate::schema::parse_date(s).is_some() => Some(s.clone()),
            crate::yaml::Value::Str(s)
                if s.len() == 7 && crate::schema::parse_date(&format!("{s}-01")).is_some() =>
            {
                Some(s.clone())
            }
            _ => {
                r.type_error("published", node, msg!("a-year-or-date"), "2023");
                None
            }
        },
    };
    Publication {
        format,
        publisher: r.string("publisher"),
        published,
        pages: r.count("pages", 1),
        file: r.string("file"),
        isbn: r.string("isbn"),
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
        let (fm, diags) = read_page("a.md", &node, Kind::Lesson, &config(), 1);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.to_string().contains("positive"));
        let KindFields::Lesson(l) = fm.kind else {
            panic!()
        };
        assert_eq!(l.order, Some(2));
        assert_eq!(l.objectives, vec!["读懂"]);
    }

    #[test]
    fn key_of_another_kind_is_explained() {
        let node = parse("title: x\nduration: 5\n", 1).unwrap();
        let (_, diags) = read_page("a.md", &node, Kind::Article, &config(), 1);
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
        let (_, diags) = read_page("a.md", &node, Kind::Publication, &config(), 1);
        assert!(diags[0].message.to_string().contains("cover"));
    }

    #[test]
    fn missing_title() {
        let node = parse("date: 2024-01-01\n", 1).unwrap();
        let (_, diags) = read_page("a.md", &node, Kind::Article, &config(), 1);
        assert!(
            diags[0]
                .message
                .to_string()
                .contains("missing required key `title`")
        );
    }
}
