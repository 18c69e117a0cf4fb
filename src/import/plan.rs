//! From the other tool's site, read, to herald's: boards and their kinds,
//! each page's path and slug (the old URL kept where herald can publish
//! it there, an alias where it cannot), front matter in herald's schema,
//! bodies with tags and links rewritten, shortcode stubs.

use super::body::{self, Input, RefKind};
use super::fields::{self, Context};
use super::links;
use super::report::Item;
use super::shape::{boards, own_files, taxonomies, unique_dests};
use super::source::{Doc, Source};
use super::urls::{cover_exists, find_ref, herald_parts, join, norm, valid_slug};
use super::{ImportOptions, Tool};
use crate::config::Kind;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A board of the new site.
#[derive(Debug, Clone)]
pub struct Board {
    pub key: String,
    pub title: String,
    pub kind: Kind,
    pub description: Option<String>,
    pub paginate: Option<i64>,
    pub sort: Option<String>,
}

/// What the writer writes.
pub struct Planned {
    pub boards: Vec<Board>,
    pub taxonomies: Vec<String>,
    /// (path under `content/`, front matter fields, extra, body).
    pub pages: Vec<Page>,
    /// Site shortcodes the pages call: name → is a block.
    pub shortcodes: BTreeMap<String, bool>,
    /// The site has its own `robots.txt`.
    pub own_robots: bool,
}

pub struct Page {
    pub dest: String,
    pub fields: Vec<(String, Value)>,
    pub extra: serde_json::Map<String, Value>,
    pub body: String,
}

/// URL segments herald itself publishes at the top.
const RESERVED: &[&str] = &[
    "search",
    "processed",
    "tags",
    "atom.xml",
    "sitemap.xml",
    "404.html",
];

pub fn plan(src: &mut Source, tool: Tool, opts: &ImportOptions) -> Planned {
    let own_robots = own_files(src);
    unique_dests(src);
    let boards = boards(src, tool, opts);
    let taxonomies = taxonomies(src);
    let urls = settle_urls(src, &boards, &taxonomies);
    // The pages move out of the source: only the plan reads them now.
    let docs = std::mem::take(&mut src.docs);
    let index = Index::new(&docs, src.site.base_url.as_deref(), &urls.new_url);
    let mut pages = Vec::new();
    let mut shortcodes = BTreeMap::new();
    let mut aliases_seen = urls.taken.clone();
    for (i, doc) in docs.iter().enumerate() {
        let resolve = |kind: RefKind, arg: &str| index.resolve(doc, kind, arg);
        let input = Input {
            tool,
            src: &doc.src,
            first_line: doc.body_line,
            resolve: &resolve,
        };
        let translated = body::translate(&doc.body, &input, &mut src.report);
        for (name, block) in translated.shortcodes {
            *shortcodes.entry(name).or_insert(block) |= block;
        }
        let body = links::rewrite(&translated.text, &|dest| index.retarget(doc, dest));
        let cover_exists = |c: &str| cover_exists(c, &doc.dest, &src.files);
        let kind = doc
            .section
            .as_ref()
            .and_then(|k| boards.iter().find(|b| &b.key == k))
            .map(|b| b.kind);
        let series = doc
            .section
            .as_ref()
            .and_then(|k| src.sections.iter().find(|s| &s.key == k))
            .and_then(|s| s.series.as_deref());
        let cx = Context {
            kind,
            taxonomies: &taxonomies,
            series,
            cover_exists: &cover_exists,
        };
        let mapped = fields::map(doc, &cx, &mut src.report);
        let mut fields = mapped.fields;
        if let Some(s) = &urls.slug[i] {
            fields.insert(
                1.min(fields.len()),
                ("slug".into(), Value::String(s.clone())),
            );
        }
        if let Some(new) = &urls.new_url[i] {
            let aliases = aliases(doc, new, &mut aliases_seen, &mut src.report);
            if !aliases.is_empty() {
                fields.push(("aliases".into(), aliases.into()));
            }
        }
        let kind_name = if doc.intro {
            "intro"
        } else {
            kind.unwrap_or(Kind::Page).name()
        };
        *src.report.pages.entry(kind_name.to_string()).or_default() += 1;
        pages.push(Page {
            dest: doc.dest.clone(),
            fields,
            extra: mapped.extra,
            body,
        });
    }
    src.report.boards = boards
        .iter()
        .map(|b| format!("{} ({})", b.key, b.kind.name()))
        .collect();
    Planned {
        boards,
        taxonomies,
        pages,
        shortcodes,
        own_robots,
    }
}

/// Each page's new URL and the slug to write for it.
struct Urls {
    /// By page (`None` for intros).
    new_url: Vec<Option<String>>,
    /// A `slug:` where herald's own from the file name would differ.
    slug: Vec<Option<String>>,
    /// Every URL a page or herald itself publishes at.
    taken: BTreeSet<String>,
}

/// Slugs and new URLs: the old URL's own segment where herald can publish
/// there, else the page's own slug, else herald's from the file name;
/// `-2`, `-3` where another page or herald's own page has the URL.
fn settle_urls(src: &mut Source, boards: &[Board], taxonomies: &[String]) -> Urls {
    let mut taken: BTreeSet<String> = boards.iter().map(|b| format!("/{}/", b.key)).collect();
    taken.extend(RESERVED.iter().map(|r| format!("/{r}/")));
    taken.extend(taxonomies.iter().map(|t| format!("/{t}/")));
    taken.insert("/".into());
    let mut new_url: Vec<Option<String>> = vec![None; src.docs.len()];
    let mut slug: Vec<Option<String>> = vec![None; src.docs.len()];
    for (i, doc) in src.docs.iter().enumerate() {
        if doc.intro {
            continue;
        }
        let (dir, stem) = herald_parts(&doc.dest);
        let default = {
            let s = crate::slug::slug(crate::slug::SlugStyle::Pinyin, &stem);
            if s.is_empty() { stem.clone() } else { s }
        };
        let kept = doc.old_url.as_deref().and_then(|old| {
            let (old_dir, last) = old.trim_end_matches('/').rsplit_once('/')?;
            let last = last.trim_end_matches(".html");
            let ok = format!("{old_dir}/") == format!("/{dir}")
                && valid_slug(last)
                && !last.contains('%');
            ok.then(|| last.to_string())
        });
        let own = doc.text("slug").filter(|s| valid_slug(s));
        let first = kept.or(own).unwrap_or(default.clone());
        let mut s = first.clone();
        let mut url = format!("/{dir}{s}/");
        let mut n = 2;
        while taken.contains(&url) {
            s = format!("{first}-{n}");
            url = format!("/{dir}{s}/");
            n += 1;
        }
        if n > 2 {
            src.report.note(
                doc.src.clone(),
                format!("published at {url}: another page or herald's own page had the URL it would take"),
            );
        }
        taken.insert(url.clone());
        slug[i] = (s != default).then_some(s);
        new_url[i] = Some(url);
    }
    Urls {
        new_url,
        slug,
        taken,
    }
}

/// The page's old URL and its own aliases (Hugo's and Zola's `aliases`,
/// Jekyll's `redirect_from`; relative ones from the old URL's folder),
/// less those that are its new URL, the home page or taken.
fn aliases(
    doc: &Doc,
    new: &str,
    seen: &mut BTreeSet<String>,
    report: &mut super::report::Report,
) -> Vec<String> {
    let own: Vec<String> = match doc.field("aliases").or_else(|| doc.field("redirect_from")) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let old_dir = doc.old_url.as_deref().map_or("/".to_string(), |u| {
        u.rsplit_once('/')
            .map_or("/".into(), |(d, _)| format!("{d}/"))
    });
    let relative = |a: String| {
        if a.starts_with('/') {
            a
        } else {
            format!("{old_dir}{a}")
        }
    };
    let mut out = Vec::new();
    for a in doc
        .old_url
        .iter()
        .cloned()
        .chain(own.into_iter().map(relative))
    {
        let a = norm(&a);
        if a == "/" || a == "/index.html" || a == new {
            continue;
        }
        if !seen.insert(a.clone()) {
            report.note(
                doc.src.clone(),
                format!("old URL {a} is also another page's (or herald's own): no alias written"),
            );
            continue;
        }
        report.aliases.push(Item {
            at: doc.src.clone(),
            what: format!("{a} → {new}"),
        });
        out.push(a);
    }
    out
}

/// Where each page is now, by its old URL and by its source path, to
/// point tags and links at it.
struct Index<'a> {
    docs: &'a [Doc],
    new_url: &'a [Option<String>],
    by_old: HashMap<String, usize>,
    by_src: HashMap<String, usize>,
    /// The old site's path (`/blog/`) and origin (`https://example.org`).
    base: String,
    origin: String,
}

impl<'a> Index<'a> {
    fn new(docs: &'a [Doc], base_url: Option<&str>, new_url: &'a [Option<String>]) -> Self {
        Index {
            docs,
            new_url,
            by_old: docs
                .iter()
                .enumerate()
                .filter_map(|(i, d)| Some((norm(d.old_url.as_deref()?), i)))
                .collect(),
            by_src: docs
                .iter()
                .enumerate()
                .map(|(i, d)| (d.rel.clone(), i))
                .collect(),
            base: base_url
                .map(super::source::base_path)
                .unwrap_or_else(|| "/".into()),
            origin: base_url
                .and_then(|u| {
                    let (scheme, rest) = u.split_once("://")?;
                    Some(format!(
                        "{scheme}://{}",
                        rest.split('/').next().unwrap_or("")
                    ))
                })
                .unwrap_or_default(),
        }
    }

    fn at(&self, i: usize, frag: &str) -> String {
        format!("@/{}{frag}", self.docs[i].dest)
    }

    /// A page named by a tag (Hugo's `ref`, Jekyll's `post_url`, `link`).
    fn resolve(&self, doc: &Doc, kind: RefKind, arg: &str) -> Option<String> {
        let arg = arg.trim().trim_matches('"');
        let (path, frag) = arg
            .split_once('#')
            .map_or((arg, String::new()), |(p, f)| (p, format!("#{f}")));
        let dir = doc.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let found = match kind {
            RefKind::PostUrl => self.docs.iter().position(|d| {
                d.src.starts_with("_posts/")
                    && super::source::without_ext(d.src.rsplit('/').next().unwrap_or("")) == path
            }),
            RefKind::JekyllLink => self.by_src.get(path.trim_start_matches('/')).copied(),
            RefKind::HugoRef => find_ref(self.docs, &self.by_src, dir, path),
        }?;
        Some(self.at(found, &frag))
    }

    /// A link target of `doc` that herald would not find where it was: a
    /// Zola `@/` path of a page that moved, an old URL (root-relative or
    /// on the site's own origin) of a page whose URL changed, a relative
    /// `.md` link to a page that did not keep its place beside this one.
    fn retarget(&self, doc: &Doc, dest: &str) -> Option<String> {
        let (path, frag) = dest.split_once('#').map_or((dest, ""), |(p, f)| (p, f));
        let frag = if frag.is_empty() {
            String::new()
        } else {
            format!("#{frag}")
        };
        if let Some(p) = path.strip_prefix("@/") {
            let j = *self.by_src.get(p)?;
            return (self.docs[j].dest != p).then(|| self.at(j, &frag));
        }
        let local = match path
            .strip_prefix(self.origin.as_str())
            .filter(|_| !self.origin.is_empty() && path.contains("://"))
        {
            Some(rest) => rest,
            None => path,
        };
        if local.starts_with('/') {
            let rest = local
                .strip_prefix(self.base.trim_end_matches('/'))
                .unwrap_or(local);
            let old = norm(rest);
            let j = *self.by_old.get(&old)?;
            return (self.new_url[j].as_deref() != Some(old.as_str()) || local != path)
                .then(|| self.at(j, &frag));
        }
        if path.contains("://") || !path.ends_with(".md") {
            return None;
        }
        let dir = doc.rel.rsplit_once('/').map_or("", |(d, _)| d);
        let j = *self.by_src.get(&join(dir, path)?)?;
        let as_written = join(doc.dest.rsplit_once('/').map_or("", |(d, _)| d), path);
        (as_written.as_deref() != Some(self.docs[j].dest.as_str())).then(|| self.at(j, &frag))
    }
}
