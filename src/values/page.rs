//! One page's template value: its front matter, links, relations, rendered
//! Markdown and resources, as the `page` of its templates and in lists.

use super::*;

/// One page's value, from its Markdown's facts and HTML given apart from
/// the site (a one-off build makes it before the site holds the facts, and
/// never holds every page's HTML).
pub fn page_with(
    site: &Site,
    shared: &Shared,
    key: &str,
    rendered: Option<&crate::site::Facts>,
    html: Option<&crate::site::Html>,
) -> Value {
    let page = &site.content.pages[key];
    let links = &site.links[key];
    let meta = &page.meta;
    let board = page.board.as_ref().and_then(|b| site.config.board(b));

    let mut taxonomies = tera::Map::new();
    for t in &site.config.taxonomies {
        let terms: Vec<Value> = links
            .terms
            .iter()
            .filter(|(tax, _)| *tax == t.name)
            .map(|(tax, slug)| shared.term(site, tax, slug))
            .collect();
        taxonomies.insert(t.name.clone().into(), Value::from(terms));
    }
    let tags = taxonomies
        .get(&tera::value::Key::from("tags"))
        .cloned()
        .unwrap_or_else(|| Value::from(Vec::<Value>::new()));

    let summary = meta
        .summary
        .clone()
        .or_else(|| rendered.map(|r| r.summary.clone()))
        .unwrap_or_default();
    let summary_value = Value::from(summary.as_str());
    let toc: Vec<Value> = rendered
        .map(|r| {
            // Each entry's fields (level, id, title) become its keys.
            r.toc.iter().map(Value::from_serializable).collect()
        })
        .unwrap_or_default();

    let kind = site.config.kind_of(page.board.as_deref());
    let fields = &meta.fields;
    let file = |name: &str| {
        let found = links.files.iter().find(|(n, _)| n == name);
        resource(site, found.map(|(_, r)| r), None)
    };
    let lesson = match meta.kind {
        Kind::Lesson => {
            let series = links.series.as_ref().and_then(|(slug, index)| {
                let s = site.series.get(slug)?;
                Some(Value::from_serializable(&SeriesPlace {
                    name: &s.name,
                    slug: &s.slug,
                    index: *index,
                    total: s.pages.len(),
                    url: site.url(site.page_path(&s.pages[0])),
                }))
            });
            Value::from_serializable(&LessonView {
                duration: meta.duration().map_or(Value::none(), number),
                objectives: fields.list("objectives"),
                level: meta.level(),
                video: file("video"),
                order: meta.order(),
                series: series.unwrap_or(Value::none()),
            })
        }
        _ => Value::none(),
    };
    let case = match meta.kind {
        // `subject: ""` is no subject: templates test fields, not strings.
        Kind::Case => Value::from_serializable(&CaseView {
            subject: given(fields.text("subject")),
            location: given(fields.text("location")),
            period: given(fields.text("period")),
            outcome: given(fields.text("outcome")),
        }),
        _ => Value::none(),
    };
    let publication = match meta.kind {
        Kind::Publication => {
            let published = fields.text("published");
            Value::from_serializable(&PublicationView {
                format: fields.text("format"),
                publisher: fields.text("publisher"),
                published,
                year: published.map(|s| &s[..4.min(s.len())]),
                pages: fields.integer("pages"),
                file: file("file"),
                isbn: fields.text("isbn"),
            })
        }
        _ => Value::none(),
    };
    let (field_values, facts) = field_values(site, kind, fields, &file);

    Value::from_serializable(&PageView {
        key,
        title: &meta.title,
        url: site.url(&links.path),
        permalink: site.permalink(&links.path),
        path: &links.path,
        kind: &kind.name,
        base_kind: kind.base.name(),
        board: page.board.as_deref(),
        board_title: board.map(|b| b.title.as_str()),
        board_url: board.map(|b| site.url(&format!("{}/", b.key))),
        date: date(meta.date.as_ref()),
        updated: date(meta.updated.as_ref()),
        summary: summary_value.clone(),
        summary_html: rendered
            .and_then(|r| r.summary_html.as_deref())
            .map_or(Value::none(), Value::safe_string),
        // The summary's value is shared, not copied.
        description: meta
            .description
            .as_deref()
            .map_or(summary_value, Value::from),
        content: html.map_or_else(|| Value::safe_string(""), |h| h.value()),
        toc,
        has_code: rendered.is_some_and(|r| r.has_code),
        reading_minutes: rendered.map_or(1, |r| r.reading_minutes),
        words: rendered.map_or(0, |r| r.words + r.cjk_chars),
        authors: &meta.authors,
        cover: resource(site, links.cover.as_ref(), meta.cover_alt.as_ref()),
        cover_src: meta.cover.as_deref(),
        tags,
        taxonomies: Value::from(taxonomies),
        weight: meta.weight,
        extra: Value::from_serializable(&meta.extra),
        draft: meta.draft,
        prev: shared.page_ref(site, links.prev.as_ref()),
        next: shared.page_ref(site, links.next.as_ref()),
        related: links
            .related
            .iter()
            .map(|k| shared.page_ref(site, Some(k)))
            .collect(),
        lesson,
        case,
        publication,
        fields: field_values,
        facts,
        jsonld: Value::safe_string(&crate::escape::script_json(&jsonld(site, key, rendered))),
    })
}

/// A page as templates see it (`page`, and each page of a list), field by
/// field in the order `| json` shows them. Fields that are template values
/// (HTML marked safe, shared references) pass through as they are.
#[derive(serde::Serialize)]
struct PageView<'a> {
    key: &'a str,
    title: &'a str,
    url: String,
    permalink: String,
    path: &'a str,
    /// The page's kind (`film`).
    kind: &'a str,
    /// The built-in kind its kind extends (`article`).
    base_kind: &'a str,
    board: Option<&'a str>,
    board_title: Option<&'a str>,
    board_url: Option<String>,
    date: Value,
    updated: Value,
    summary: Value,
    summary_html: Value,
    description: Value,
    content: Value,
    toc: Vec<Value>,
    has_code: bool,
    reading_minutes: usize,
    words: usize,
    authors: &'a [String],
    cover: Value,
    cover_src: Option<&'a str>,
    tags: Value,
    taxonomies: Value,
    weight: i64,
    extra: Value,
    draft: bool,
    prev: Value,
    next: Value,
    related: Vec<Value>,
    lesson: Value,
    case: Value,
    publication: Value,
    /// Every field of its kind the page has, typed (files as resources).
    fields: Value,
    /// The fields of the site's own kinds (not of the built-in kind they
    /// extend), in order, labelled: what the theme lists.
    facts: Vec<Value>,
    jsonld: Value,
}

/// `page.facts`: one field the page has.
#[derive(serde::Serialize)]
struct FactView<'a> {
    name: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    ty: &'static str,
    value: Value,
}

/// `page.fields` and `page.facts`. A blank text is no value.
fn field_values(
    site: &Site,
    kind: &crate::kinds::KindDef,
    fields: &crate::kinds::Fields,
    file: &dyn Fn(&str) -> Value,
) -> (Value, Vec<Value>) {
    use crate::kinds::FieldValue;
    if fields.0.is_empty() {
        return (Value::from(tera::Map::new()), Vec::new());
    }
    let base = site.config.kinds.of(kind.base);
    let mut map = tera::Map::new();
    let mut facts = Vec::new();
    for crate::kinds::Field { name, value: v, .. } in &fields.0 {
        let value = match v {
            FieldValue::Text(t) if t.trim().is_empty() => continue,
            FieldValue::Text(t) => Value::from(t.as_str()),
            FieldValue::Number(n) => number(*n),
            FieldValue::Integer(i) => Value::from(*i),
            FieldValue::Bool(b) => Value::from(*b),
            FieldValue::List(l) => Value::from_serializable(l),
            FieldValue::Path(_) => file(name),
        };
        if base.field(name).is_none()
            && !value.is_none()
            && let Some(def) = kind.field(name)
        {
            facts.push(Value::from_serializable(&FactView {
                name,
                label: def.label.as_deref().unwrap_or(name),
                ty: def.ty.name(),
                value: value.clone(),
            }));
        }
        map.insert(name.clone().into(), value);
    }
    (Value::from(map), facts)
}

/// `page.lesson`.
#[derive(serde::Serialize)]
struct LessonView<'a> {
    duration: Value,
    objectives: &'a [String],
    level: Option<&'a str>,
    video: Value,
    order: Option<u64>,
    series: Value,
}

/// A text field, `None` when absent or blank.
fn given(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

/// `page.lesson.series`: the series and the lesson's place in it.
#[derive(serde::Serialize)]
struct SeriesPlace<'a> {
    name: &'a str,
    slug: &'a str,
    index: usize,
    total: usize,
    url: String,
}

/// `page.case`.
#[derive(serde::Serialize)]
struct CaseView<'a> {
    subject: Option<&'a str>,
    location: Option<&'a str>,
    period: Option<&'a str>,
    outcome: Option<&'a str>,
}

/// `page.publication`.
#[derive(serde::Serialize)]
struct PublicationView<'a> {
    format: Option<&'a str>,
    publisher: Option<&'a str>,
    published: Option<&'a str>,
    year: Option<&'a str>,
    pages: Option<i64>,
    file: Value,
    isbn: Option<&'a str>,
}
