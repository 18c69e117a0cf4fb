//! Template values built from the site model. Each page's value is built
//! once and shared (Tera 2 values are reference-counted), so a board index
//! or a feed that lists a page costs a pointer copy, not a re-serialization.

use crate::format::format_size;
use crate::kinds::Kind;
use crate::site::{Html, Resource, Site};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use tera::Value;

mod jsonld;
mod page;
use jsonld::course_jsonld;
pub use jsonld::jsonld;
pub use page::page_with;

/// Builds a map value from pairs with literal keys.
///
/// Through serde: Tera then fills its own map directly, taking each value
/// as it is. Building a `tera::Map` and converting it would hash every key
/// twice, as `Value::from` copies the map into a new one (the copy was ≈ 3%
/// of a 1,000-page build's instructions).
pub fn map<const N: usize>(pairs: [(&'static str, Value); N]) -> Value {
    Value::from_serializable(&Fields(&pairs))
}

/// Pairs serialized as a struct: its field names are static, which Tera
/// keeps as keys without copying them.
struct Fields<'a>(&'a [(&'static str, Value)]);

impl serde::Serialize for Fields<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("map", self.0.len())?;
        for (key, value) in self.0 {
            s.serialize_field(key, value)?;
        }
        s.end()
    }
}

fn resource(site: &Site, r: Option<&Resource>, alt: Option<&String>) -> Value {
    match r {
        None => Value::none(),
        Some(r) => Value::from_serializable(&ResourceView {
            url: &r.url,
            permalink: absolute(site, &r.url),
            alt: alt.map(String::as_str),
            bytes: r.bytes,
            size: r.bytes.map(format_size),
        }),
    }
}

fn date(d: Option<&chrono::DateTime<chrono::FixedOffset>>) -> Value {
    d.map_or(Value::none(), |d| Value::from(d.to_rfc3339()))
}

/// An absolute URL for a root-relative one (`/portal/x.svg`).
pub fn absolute(site: &Site, url: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        url.to_string()
    } else {
        site.permalink(
            url.strip_prefix(site.config.base_path.as_str())
                .unwrap_or(url),
        )
    }
}

/// Whole numbers print without `.0`.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

/// A link to another page: `{ title, url }`.
pub fn page_ref(site: &Site, key: Option<&String>) -> Value {
    let Some(key) = key else { return Value::none() };
    let Some(page) = site.page(key) else {
        return Value::none();
    };
    Value::from_serializable(&LinkView {
        title: &page.meta.title,
        url: site.url(site.page_path(key)),
    })
}

/// `{ name, slug, url }` for a taxonomy term.
pub fn term_ref(site: &Site, taxonomy: &str, slug: &str) -> Value {
    let name = site
        .taxonomies
        .iter()
        .find(|t| t.name == taxonomy)
        .and_then(|t| t.terms.get(slug))
        .map_or(slug, |t| t.name.as_str());
    Value::from_serializable(&TermView {
        name,
        slug,
        url: site.url(&format!("{taxonomy}/{slug}/")),
    })
}

/// A taxonomy term named and linked (`page.tags`, `page.taxonomies`).
#[derive(serde::Serialize)]
struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
}

/// Values that many pages show, built once and shared (a pointer copy
/// per page): each taxonomy term's `{ name, slug, url }` and, for a whole
/// build, each page's `{ title, url }` link (a page is the `prev` of one
/// page and the `next` of another).
pub struct Shared {
    /// Taxonomy → term slug → value.
    terms: HashMap<String, HashMap<String, Value>>,
    /// Page key → `page_ref` value; empty when only a few pages are built.
    refs: HashMap<String, Value>,
}

impl Shared {
    /// The term values (enough to rebuild a few pages).
    pub fn new(site: &Site) -> Shared {
        let terms = site
            .taxonomies
            .iter()
            .map(|t| {
                let values = t
                    .terms
                    .keys()
                    .map(|slug| (slug.clone(), term_ref(site, &t.name, slug)))
                    .collect();
                (t.name.clone(), values)
            })
            .collect();
        Shared {
            terms,
            refs: HashMap::new(),
        }
    }

    /// The term values and every page's link (to build every page).
    pub fn with_refs(site: &Site) -> Shared {
        let refs = site
            .content
            .pages
            .par_iter()
            .map(|(key, _)| (key.clone(), page_ref(site, Some(key))))
            .collect();
        Shared {
            refs,
            ..Shared::new(site)
        }
    }

    fn term(&self, site: &Site, taxonomy: &str, slug: &str) -> Value {
        match self.terms.get(taxonomy).and_then(|t| t.get(slug)) {
            Some(v) => v.clone(),
            None => term_ref(site, taxonomy, slug),
        }
    }

    fn page_ref(&self, site: &Site, key: Option<&String>) -> Value {
        match key.and_then(|k| self.refs.get(k)) {
            Some(v) => v.clone(),
            None => page_ref(site, key),
        }
    }
}

/// The value of every page (`html`: every page's HTML), built in parallel.
pub fn pages(site: &Site, html: &BTreeMap<String, Html>) -> HashMap<String, Value> {
    let shared = Shared::with_refs(site);
    site.content
        .pages
        .par_iter()
        .map(|(key, _)| (key.clone(), page(site, html, &shared, key)))
        .collect()
}

/// Every page's value as lists show it, each made and cut down in turn
/// (never every page's whole value at once).
pub fn listed(site: &Site, html: &BTreeMap<String, Html>) -> HashMap<String, Value> {
    let shared = Shared::with_refs(site);
    let lists = site.config.lists;
    site.content
        .pages
        .par_iter()
        .map(|(key, _)| {
            let whole = page(site, html, &shared, key);
            (key.clone(), for_lists(&whole, lists))
        })
        .collect()
}

/// A page's value as lists show it: without `content` and `toc` unless
/// site.yaml's `lists` asks for them (a template that reads them then
/// fails with a hint instead of showing nothing), and never with `jsonld`,
/// the page's own structured data (the largest of its texts: lists are
/// held for the whole build, and no list shows it).
pub fn for_lists(page: &Value, lists: crate::config::Lists) -> Value {
    let mut m = page.as_map().cloned().unwrap_or_default();
    m.shift_remove(&tera::value::Key::Str("jsonld"));
    if !lists.content {
        m.shift_remove(&tera::value::Key::Str("content"));
    }
    if !lists.toc {
        m.shift_remove(&tera::value::Key::Str("toc"));
    }
    Value::from(m)
}

/// One page's value (`html`: the pages' HTML).
pub fn page(site: &Site, html: &BTreeMap<String, Html>, shared: &Shared, key: &str) -> Value {
    page_with(site, shared, key, site.rendered.get(key), html.get(key))
}

/// A board: `{ key, title, kind, base_kind, url, description, intro, feed_url }`.
/// No page count: every page shows its board, and a count would tie each
/// page to every other (the home page and board pages have their totals).
pub fn board(site: &Site, index: usize) -> Value {
    let b = &site.boards[index];
    let intro = site.index_rendered.get(&b.config.key);
    let meta = site.content.indexes.get(&b.config.key).map(|i| &i.meta);
    let description = meta
        .and_then(|m| m.description.clone())
        .or_else(|| b.config.description.clone());
    Value::from_serializable(&BoardView {
        key: &b.config.key,
        title: &b.config.title,
        kind: &b.config.kind_name,
        base_kind: b.config.kind.name(),
        url: site.url(&format!("{}/", b.config.key)),
        description,
        intro: intro.map_or(Value::none(), |r| r.html.value()),
        feed_url: site
            .config
            .feeds
            .enabled
            .then(|| site.url(&format!("{}/atom.xml", b.config.key))),
    })
}

/// A board as templates see it (`board`, `site.boards`).
#[derive(serde::Serialize)]
struct BoardView<'a> {
    key: &'a str,
    title: &'a str,
    /// The board's kind (`film`).
    kind: &'a str,
    /// The built-in kind it extends (`article`), itself for a built-in.
    base_kind: &'a str,
    url: String,
    description: Option<String>,
    intro: Value,
    feed_url: Option<String>,
}

/// An image or file a page links (`page.cover`, `publication.file`…).
#[derive(serde::Serialize)]
struct ResourceView<'a> {
    url: &'a str,
    permalink: String,
    alt: Option<&'a str>,
    bytes: Option<u64>,
    size: Option<String>,
}

/// What a taxonomy is called: its `title` in site.yaml, else the UI
/// string of its name (`tags` → 标签 on a Chinese site), else its name.
pub fn taxonomy_title(site: &Site, strings: &UiStrings, index: usize) -> String {
    let conf = &site.config.taxonomies[index];
    conf.title
        .clone()
        .or_else(|| strings.get(&conf.name)?.as_str().map(str::to_string))
        .unwrap_or_else(|| conf.name.clone())
}

/// The theme's UI strings (`t`), by key.
pub type UiStrings = serde_json::Map<String, serde_json::Value>;

/// The `site` value shared by every template.
pub fn site(site: &Site, strings: &UiStrings) -> Value {
    let c = &site.config;
    let boards: Vec<Value> = (0..site.boards.len()).map(|i| board(site, i)).collect();
    let taxonomies: Vec<TaxonomyView> = c
        .taxonomies
        .iter()
        .enumerate()
        // One that no page uses has no page of its own to link.
        .filter(|(i, _)| !site.taxonomies[*i].terms.is_empty())
        .map(|(i, t)| TaxonomyView {
            name: &t.name,
            title: taxonomy_title(site, strings, i),
            url: site.url(&format!("{}/", t.name)),
        })
        .collect();
    Value::from_serializable(&SiteView {
        title: &c.title,
        description: c.description.as_deref(),
        base_url: &c.base_url,
        base_path: &c.base_path,
        language: &c.language,
        author: c.author.as_deref(),
        boards,
        taxonomies,
        extra: Value::from_serializable(&c.extra),
        pages: plain_pages(site),
        feed_url: c.feeds.enabled.then(|| site.url("atom.xml")),
        search_url: c.search.then(|| site.url("search/")),
        qr_code: c.qr_code,
        logo: c.logo.as_ref().map(|(l, _)| l.as_str()),
    })
}

/// The `site` value.
#[derive(serde::Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    author: Option<&'a str>,
    boards: Vec<Value>,
    taxonomies: Vec<TaxonomyView<'a>>,
    extra: Value,
    pages: Vec<LinkView<'a>>,
    feed_url: Option<String>,
    search_url: Option<String>,
    qr_code: bool,
    logo: Option<&'a str>,
}

/// `site.taxonomies`.
#[derive(serde::Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    title: String,
    url: String,
}

/// A page named and linked: `{ title, url }` (`site.pages`, `page.prev`).
#[derive(serde::Serialize)]
struct LinkView<'a> {
    title: &'a str,
    url: String,
}

/// Pages outside boards (about, guide…), by weight then title: `{ title, url }`.
fn plain_pages(site: &Site) -> Vec<LinkView<'_>> {
    let mut plain: Vec<&crate::content::Page> = site
        .content
        .pages
        .values()
        .filter(|p| p.board.is_none())
        .collect();
    plain.sort_by(|a, b| {
        a.meta
            .weight
            .cmp(&b.meta.weight)
            .then(a.meta.title.cmp(&b.meta.title))
    });
    plain
        .iter()
        .map(|p| LinkView {
            title: &p.meta.title,
            url: site.url(site.page_path(&p.key)),
        })
        .collect()
}

/// A lesson series: `{ name, slug, url, total, minutes, lessons }`.
pub fn series(site: &Site, slug: &str, pages: &HashMap<String, Value>) -> Value {
    let s = &site.series[slug];
    let minutes: f64 = s
        .pages
        .iter()
        .filter_map(|k| site.content.pages[k].meta.duration())
        .sum();
    let level = s
        .pages
        .iter()
        .find_map(|k| site.content.pages[k].meta.level().map(str::to_string));
    Value::from_serializable(&SeriesView {
        name: &s.name,
        slug: &s.slug,
        board: &s.board,
        url: site.url(site.page_path(&s.pages[0])),
        total: s.pages.len(),
        minutes: minutes.round() as u64,
        level,
        lessons: s.pages.iter().map(|k| pages[k].clone()).collect(),
        jsonld: Value::safe_string(&crate::escape::script_json(&course_jsonld(site, s))),
    })
}

/// A lesson series (`page.lesson.series`, `series`).
#[derive(serde::Serialize)]
struct SeriesView<'a> {
    name: &'a str,
    slug: &'a str,
    board: &'a str,
    url: String,
    total: usize,
    minutes: u64,
    level: Option<String>,
    lessons: Vec<Value>,
    jsonld: Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_keep_their_order_and_values_as_they_are() {
        let inner = map([("x", Value::from(1))]);
        let v = map([
            ("title", Value::from("标题")),
            ("content", Value::safe_string("<p>已渲染</p>")),
            ("count", Value::from(3usize)),
            ("inner", inner.clone()),
            ("none", Value::none()),
        ]);
        let m = v.as_map().unwrap();
        let keys: Vec<&str> = m.keys().map(|k| k.as_str().unwrap()).collect();
        assert_eq!(keys, ["title", "content", "count", "inner", "none"]);
        let get = |k: &'static str| &m[&tera::value::Key::Str(k)];
        assert_eq!(get("title").as_str(), Some("标题"));
        // Safe HTML stays safe: Tera would escape it otherwise.
        assert!(get("content").is_safe());
        assert_eq!(get("count").as_u64(), Some(3));
        assert_eq!(get("inner"), &inner);
        assert!(get("none").is_none());
    }

    #[test]
    fn lists_leave_out_jsonld_and_what_site_yaml_does_not_ask_for() {
        let page = map([
            ("title", Value::from("标题")),
            ("content", Value::safe_string("<p>正文</p>")),
            ("toc", Value::from(Vec::<Value>::new())),
            ("jsonld", Value::safe_string("{}")),
        ]);
        let keys = |lists| {
            let v = for_lists(&page, lists);
            let m = v.as_map().unwrap().clone();
            m.keys()
                .map(|k| k.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let none = crate::config::Lists {
            content: false,
            toc: false,
        };
        let all = crate::config::Lists {
            content: true,
            toc: true,
        };
        assert_eq!(keys(none), ["title"]);
        assert_eq!(keys(all), ["title", "content", "toc"]);
    }
}
