//! Front matter of Hugo, Zola, Jekyll and mdBook pages mapped to herald's
//! schema (docs/content.md): each field with a herald equivalent under its
//! herald name, everything else under `extra:`, so nothing is lost.

use super::report::{Item, Report};
use super::source::Doc;
use crate::config::Kind;
use serde_json::{Map, Value};

/// What a page's front matter becomes.
pub struct Mapped {
    /// herald fields in the order they are written.
    pub fields: Vec<(String, Value)>,
    pub extra: Map<String, Value>,
}

/// Keys that only said where a page was published: the import writes
/// that as `slug` or `aliases` instead.
const URL_KEYS: &[&str] = &["url", "path", "permalink", "slug"];

pub struct Context<'a> {
    pub kind: Option<Kind>,
    pub taxonomies: &'a [String],
    pub series: Option<&'a str>,
    pub cover_exists: &'a dyn Fn(&str) -> bool,
}

pub fn map(doc: &Doc, cx: &Context, report: &mut Report) -> Mapped {
    let mut fields: Vec<(String, Value)> = Vec::new();
    let mut extra = Map::new();
    let mut used: Vec<&str> = Vec::new();
    let find = |names: &[&str]| -> Option<(&str, &Value, usize)> {
        names.iter().find_map(|n| {
            doc.fields
                .iter()
                .find(|(k, _, _)| k.eq_ignore_ascii_case(n))
                .map(|(k, v, l)| (k.as_str(), v, *l))
        })
    };
    let at = |line: usize| {
        if line > 0 {
            format!("{}:{line}", doc.src)
        } else {
            doc.src.clone()
        }
    };
    let moved = |key: &str,
                 why: &str,
                 line: usize,
                 value: &Value,
                 extra: &mut Map<String, Value>,
                 report: &mut Report| {
        extra.insert(key.to_string(), value.clone());
        report.extra.push(Item {
            at: at(line),
            what: format!("`{key}` → extra.{key}{why}"),
        });
    };

    if let Some((k, v, _)) = find(&["title"]) {
        used.push(k);
        fields.push(("title".into(), Value::String(text(v).unwrap_or_default())));
    }
    if doc.intro {
        for key in ["description", "summary"] {
            if let Some((k, v, _)) = find(&[key]) {
                used.push(k);
                fields.push((key.into(), v.clone()));
            }
        }
        for (k, v, line) in &doc.fields {
            if used.iter().any(|u| u == k)
                || matches!(
                    k.to_ascii_lowercase().as_str(),
                    "sort_by" | "paginate_by" | "paginate"
                )
            {
                continue;
            }
            if k == "extra"
                && let Value::Object(m) = v
            {
                extra.extend(m.clone());
                continue;
            }
            moved(k, "", *line, v, &mut extra, report);
        }
        return Mapped { fields, extra };
    }
    let date_keys: [(&str, &[&str]); 3] = [
        (
            "date",
            &["date", "publishDate", "pubdate", "published_at", "created"],
        ),
        (
            "updated",
            &[
                "updated",
                "lastmod",
                "modified",
                "last_modified_at",
                "last_modified",
            ],
        ),
        (
            "expires",
            &["expires", "expiryDate", "expirydate", "unpublishdate"],
        ),
    ];
    for (name, keys) in date_keys {
        match find(keys) {
            Some((k, v, line)) => {
                used.push(k);
                match text(v).as_deref().and_then(date) {
                    Some(d) => fields.push((name.into(), Value::String(d))),
                    None => moved(k, " (not a date herald reads)", line, v, &mut extra, report),
                }
            }
            None if name == "date" => {
                if let Some(d) = &doc.file_date {
                    fields.push(("date".into(), Value::String(d.clone())));
                }
            }
            None => {}
        }
    }
    if let Some((k, v, _)) = find(&["draft"]) {
        used.push(k);
        fields.push((
            "draft".into(),
            Value::Bool(v.as_bool().unwrap_or(v.as_str() == Some("true"))),
        ));
    } else if let Some((k, Value::Bool(false), _)) = find(&["published"]) {
        // Jekyll's `published: false`.
        used.push(k);
        fields.push(("draft".into(), Value::Bool(true)));
    }
    for (name, keys) in [
        ("summary", &["summary", "excerpt"][..]),
        ("description", &["description"][..]),
    ] {
        if let Some((k, v, line)) = find(keys) {
            used.push(k);
            match text(v) {
                Some(t) => fields.push((name.into(), Value::String(t))),
                None => moved(k, "", line, v, &mut extra, report),
            }
        }
    }
    if let Some((k, v, line)) = find(&["authors", "author"]) {
        used.push(k);
        let list = match v {
            Value::Object(m) => m.get("name").and_then(text).into_iter().collect(),
            other => list(other),
        };
        if list.is_empty() {
            moved(k, "", line, v, &mut extra, report);
        } else {
            fields.push(("authors".into(), list.into()));
        }
    }
    let cover = find(&[
        "cover",
        "image",
        "featured_image",
        "featuredImage",
        "images",
        "thumbnail",
    ]);
    if let Some((k, v, line)) = cover {
        used.push(k);
        let (src, alt) = match v {
            Value::Object(m) => (
                m.get("image").or(m.get("src")).and_then(text),
                m.get("alt").and_then(text),
            ),
            Value::Array(items) => (items.first().and_then(text), None),
            other => (text(other), None),
        };
        match src {
            Some(s) if (cx.cover_exists)(&s) => {
                fields.push(("cover".into(), Value::String(s)));
                let alt = alt.or_else(|| {
                    find(&["cover_alt", "image_alt", "alt"]).and_then(|(k, v, _)| {
                        used.push(k);
                        text(v)
                    })
                });
                if let Some(a) = alt {
                    fields.push(("cover_alt".into(), Value::String(a)));
                }
            }
            _ => moved(
                k,
                " (no such image in the site)",
                line,
                v,
                &mut extra,
                report,
            ),
        }
    }
    let weight_keys: &[&str] = if cx.kind == Some(Kind::Lesson) {
        &["weight", "nav_order"]
    } else {
        &["weight", "nav_order", "order"]
    };
    if let Some((k, v, line)) = find(weight_keys) {
        used.push(k);
        match v.as_i64() {
            Some(w) => fields.push(("weight".into(), w.into())),
            None => moved(k, "", line, v, &mut extra, report),
        }
    }
    // Aliases are written by the plan, with the old URL.
    if let Some((k, _, _)) = find(&["aliases", "redirect_from"]) {
        used.push(k);
    }
    for tax in cx.taxonomies {
        let singular = tax.trim_end_matches('s');
        let terms = match find(&[tax.as_str(), singular]) {
            Some((k, v, _)) => {
                used.push(k);
                match v {
                    Value::String(s) => s
                        .split([' ', ','])
                        .filter(|t| !t.is_empty())
                        .map(|t| Value::String(t.to_string()))
                        .collect(),
                    other => list(other).into_iter().map(Value::String).collect(),
                }
            }
            None => Vec::new(),
        };
        let mut terms: Vec<Value> = terms;
        if let Some(Value::Object(t)) = doc.field("taxonomies")
            && let Some(v) = t.get(tax)
        {
            terms.extend(list(v).into_iter().map(Value::String));
        }
        if !terms.is_empty() {
            fields.push((tax.clone(), Value::Array(terms)));
        }
    }
    if let Some(series) = cx.series {
        fields.push(("series".into(), Value::String(series.to_string())));
        if let Some(o) = doc.order {
            fields.push(("order".into(), o.into()));
        }
    }
    if cx.kind == Some(Kind::Lesson) {
        for key in ["duration", "objectives", "level", "video"] {
            if let Some((k, v, _)) = find(&[key]) {
                used.push(k);
                fields.push((key.into(), v.clone()));
            }
        }
    }
    for (k, v, line) in &doc.fields {
        let lower = k.to_ascii_lowercase();
        if used.iter().any(|u| u == k)
            || URL_KEYS.contains(&lower.as_str())
            || lower == "taxonomies"
        {
            continue;
        }
        // Zola's `[extra]` and Hugo's `params`: fields of the page's own.
        if (lower == "extra" || lower == "params")
            && let Value::Object(m) = v
        {
            for (ek, ev) in m {
                extra.insert(ek.clone(), ev.clone());
            }
            continue;
        }
        if lower == "published" || lower == "order" && cx.series.is_some() {
            continue;
        }
        moved(k, "", *line, v, &mut extra, report);
    }
    Mapped { fields, extra }
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

/// A date as herald reads it: kept as written when herald reads it,
/// Jekyll's `2020-01-02 10:00:00 +0800` as RFC 3339.
pub fn date(s: &str) -> Option<String> {
    let s = s.trim();
    if crate::schema::parse_date(s).is_some() {
        return Some(s.to_string());
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(d) = chrono::DateTime::parse_from_str(s, fmt) {
            return Some(d.to_rfc3339());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_herald_reads() {
        assert_eq!(date("2020-01-02").as_deref(), Some("2020-01-02"));
        for jekyll in ["2020-01-02 10:00:00 +0800", "2020-01-02 10:00 +0800"] {
            let d = date(jekyll).unwrap();
            assert_eq!(
                crate::schema::parse_date(&d).unwrap().to_rfc3339(),
                "2020-01-02T10:00:00+08:00"
            );
        }
        assert_eq!(date("next week"), None);
    }
}
