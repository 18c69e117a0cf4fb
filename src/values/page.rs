//! One page's template value: its front matter, links, relations, rendered
//! Markdown and resources, as the `page` of its templates and in lists.

use super::*;

/// One page's value, from its rendered Markdown given apart from the site
/// (a one-off build makes it before the site holds it).
pub fn page_with(
    site: &Site,
    shared: &Shared,
    key: &str,
    rendered: Option<&crate::site::Body>,
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

    let lesson = match &meta.kind {
        KindFields::Lesson(l) => {
            let series = links.series.as_ref().and_then(|(slug, index)| {
                let s = site.series.get(slug)?;
                Some(map([
                    ("name", Value::from(s.name.as_str())),
                    ("slug", Value::from(s.slug.as_str())),
                    ("index", Value::from(*index)),
                    ("total", Value::from(s.pages.len())),
                    ("url", Value::from(site.url(site.page_path(&s.pages[0])))),
                ]))
            });
            map([
                ("duration", l.duration.map_or(Value::none(), number)),
                ("objectives", strings(&l.objectives)),
                ("level", opt_str(l.level.as_ref())),
                ("video", resource(site, links.video.as_ref(), None)),
                ("order", l.order.map_or(Value::none(), Value::from)),
                ("series", series.unwrap_or(Value::none())),
            ])
        }
        _ => Value::none(),
    };
    let case = match &meta.kind {
        KindFields::Case(c) => map([
            ("subject", opt_str(c.subject.as_ref())),
            ("location", opt_str(c.location.as_ref())),
            ("period", opt_str(c.period.as_ref())),
            ("outcome", opt_str(c.outcome.as_ref())),
        ]),
        _ => Value::none(),
    };
    let publication = match &meta.kind {
        KindFields::Publication(p) => map([
            ("format", opt_str(p.format.as_ref())),
            ("publisher", opt_str(p.publisher.as_ref())),
            ("published", opt_str(p.published.as_ref())),
            (
                "year",
                p.published
                    .as_ref()
                    .map_or(Value::none(), |s| Value::from(&s[..4.min(s.len())])),
            ),
            ("pages", p.pages.map_or(Value::none(), Value::from)),
            ("file", resource(site, links.file.as_ref(), None)),
            ("isbn", opt_str(p.isbn.as_ref())),
        ]),
        _ => Value::none(),
    };

    map([
        ("key", Value::from(key)),
        ("title", Value::from(meta.title.as_str())),
        ("url", Value::from(site.url(&links.path))),
        ("permalink", Value::from(site.permalink(&links.path))),
        ("path", Value::from(links.path.as_str())),
        ("kind", Value::from(page.kind.name())),
        (
            "board",
            page.board
                .as_ref()
                .map_or(Value::none(), |b| Value::from(b.as_str())),
        ),
        (
            "board_title",
            board.map_or(Value::none(), |b| Value::from(b.title.as_str())),
        ),
        (
            "board_url",
            board.map_or(Value::none(), |b| {
                Value::from(site.url(&format!("{}/", b.key)))
            }),
        ),
        ("date", date(meta.date.as_ref())),
        ("updated", date(meta.updated.as_ref())),
        ("summary", summary_value.clone()),
        (
            "summary_html",
            rendered
                .and_then(|r| r.summary_html.as_deref())
                .map_or(Value::none(), Value::safe_string),
        ),
        (
            "description",
            // The summary's value is shared, not copied.
            meta.description
                .as_deref()
                .map_or(summary_value, Value::from),
        ),
        (
            "content",
            rendered.map_or_else(|| Value::safe_string(""), |r| r.html.value()),
        ),
        ("toc", Value::from(toc)),
        (
            "has_code",
            Value::from(rendered.is_some_and(|r| r.has_code)),
        ),
        (
            "reading_minutes",
            Value::from(rendered.map_or(1, |r| r.reading_minutes)),
        ),
        (
            "words",
            Value::from(rendered.map_or(0, |r| r.words + r.cjk_chars)),
        ),
        ("authors", strings(&meta.authors)),
        (
            "cover",
            resource(site, links.cover.as_ref(), meta.cover_alt.as_ref()),
        ),
        ("cover_src", opt_str(meta.cover.as_ref())),
        ("tags", tags),
        ("taxonomies", Value::from(taxonomies)),
        ("weight", Value::from(meta.weight)),
        ("extra", Value::from_serializable(&meta.extra)),
        ("draft", Value::from(meta.draft)),
        ("prev", shared.page_ref(site, links.prev.as_ref())),
        ("next", shared.page_ref(site, links.next.as_ref())),
        ("lesson", lesson),
        ("case", case),
        ("publication", publication),
        (
            "jsonld",
            Value::safe_string(&crate::escape::script_json(&jsonld(site, key, rendered))),
        ),
    ])
}
