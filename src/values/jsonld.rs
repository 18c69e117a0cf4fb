//! schema.org data (JSON-LD) for pages and courses, written into each
//! page's head as `page.jsonld` and each series' as `series.jsonld`.

use super::*;

/// schema.org data for a page: Article (articles, cases, pages),
/// LearningResource in a Course (lessons), Book or Movie (publications).
pub fn jsonld(site: &Site, key: &str, rendered: Option<&crate::site::Facts>) -> serde_json::Value {
    use serde_json::{Value as J, json};
    let page = &site.content.pages[key];
    let links = &site.links[key];
    let m = &page.meta;
    let url = site.permalink(&links.path);
    let publisher = json!({ "@type": "Organization", "name": site.config.author.as_deref().unwrap_or(&site.config.title) });
    let summary = m
        .summary
        .clone()
        .or_else(|| rendered.map(|r| r.summary.clone()))
        .unwrap_or_default();
    let mut o = serde_json::Map::new();
    o.insert("@context".into(), J::from("https://schema.org"));
    o.insert("url".into(), J::from(url));
    o.insert("inLanguage".into(), J::from(site.config.language.as_str()));
    if !summary.is_empty() {
        o.insert("description".into(), J::from(summary));
    }
    if let Some(c) = &links.cover {
        o.insert("image".into(), J::from(absolute(site, &c.url)));
    }
    if let Some(d) = m.date {
        o.insert("datePublished".into(), J::from(d.to_rfc3339()));
    }
    if let Some(d) = m.updated.or(m.date) {
        o.insert("dateModified".into(), J::from(d.to_rfc3339()));
    }
    let authors: Vec<J> = m
        .authors
        .iter()
        .map(|a| json!({ "@type": "Person", "name": a }))
        .collect();
    let f = &m.fields;
    match m.kind {
        Kind::Lesson => {
            o.insert("@type".into(), J::from("LearningResource"));
            o.insert("name".into(), J::from(m.title.as_str()));
            if let Some(d) = m.duration() {
                o.insert(
                    "timeRequired".into(),
                    J::from(format!("PT{}M", d.round() as u64)),
                );
            }
            if let Some(level) = m.level() {
                o.insert("educationalLevel".into(), J::from(level));
            }
            if let Some((slug, index)) = &links.series {
                let s = &site.series[slug];
                o.insert("position".into(), J::from(*index));
                o.insert(
                    "isPartOf".into(),
                    json!({ "@type": "Course", "name": s.name, "url": site.permalink(site.page_path(&s.pages[0])), "provider": publisher }),
                );
            }
        }
        Kind::Publication => {
            let kind = if f.text("format") == Some("film") {
                "Movie"
            } else {
                "Book"
            };
            o.insert("@type".into(), J::from(kind));
            o.insert("name".into(), J::from(m.title.as_str()));
            let by = f.text("publisher").map_or(
                publisher.clone(),
                |name| json!({ "@type": "Organization", "name": name }),
            );
            o.insert(
                if kind == "Book" {
                    "publisher"
                } else {
                    "productionCompany"
                }
                .into(),
                by,
            );
            if kind == "Book" {
                if let Some(n) = f.integer("pages") {
                    o.insert("numberOfPages".into(), J::from(n));
                }
                if let Some(isbn) = f.text("isbn") {
                    o.insert("isbn".into(), J::from(isbn));
                }
            }
        }
        _ => {
            o.insert("@type".into(), J::from("Article"));
            o.insert("headline".into(), J::from(m.title.as_str()));
            o.insert("publisher".into(), publisher);
        }
    }
    if !authors.is_empty() {
        o.insert("author".into(), J::from(authors));
    }
    J::Object(o)
}

/// schema.org Course for a lesson series.
pub(super) fn course_jsonld(site: &Site, s: &crate::site::Series) -> serde_json::Value {
    let parts: Vec<serde_json::Value> = s
        .pages
        .iter()
        .map(|k| {
            serde_json::json!({
                "@type": "LearningResource",
                "name": site.content.pages[k].meta.title,
                "url": site.permalink(site.page_path(k)),
            })
        })
        .collect();
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": s.name,
        "description": format!("{} ({})", s.name, s.pages.len()),
        "url": site.permalink(site.page_path(&s.pages[0])),
        "inLanguage": site.config.language,
        "provider": { "@type": "Organization", "name": site.config.author.as_deref().unwrap_or(&site.config.title) },
        "hasPart": parts,
    })
}
