//! Atom feeds (site, each board, and each term where configured), the
//! sitemap and robots.txt. They reuse the Markdown rendered once per page.

use crate::escape::xml;
use crate::site::{Html, Site};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// An output file.
pub type File = (String, Vec<u8>);

fn rfc3339(d: &chrono::DateTime<chrono::FixedOffset>) -> String {
    d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Every dated page's place in the newest-first order (date, then key).
struct Ranks<'a>(HashMap<&'a str, u32>);

impl<'a> Ranks<'a> {
    fn new(site: &'a Site) -> Self {
        let mut v: Vec<(&String, chrono::DateTime<chrono::FixedOffset>)> = site
            .content
            .pages
            .iter()
            .filter_map(|(k, p)| p.meta.date.map(|d| (k, d)))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        Ranks(
            v.into_iter()
                .enumerate()
                .map(|(i, (k, _))| (k.as_str(), i as u32))
                .collect(),
        )
    }

    /// The newest `limit` dated pages of `keys`, newest first, without
    /// sorting the whole list.
    fn newest(&self, keys: &'a [String], limit: usize) -> Vec<String> {
        let mut v: Vec<(u32, &String)> = keys
            .iter()
            .filter_map(|k| self.0.get(k.as_str()).map(|r| (*r, k)))
            .collect();
        if v.len() > limit && limit > 0 {
            v.select_nth_unstable(limit - 1);
            v.truncate(limit);
        }
        v.sort_unstable();
        v.into_iter().map(|(_, k)| k.clone()).collect()
    }
}

/// What every feed reads.
struct Sources<'a> {
    site: &'a Site,
    /// The HTML of (at least) the pages a feed shows in full.
    html: &'a BTreeMap<String, Html>,
}

/// One Atom feed. `path` is the feed's output path (`news/atom.xml`),
/// `alternate` the output path of the HTML page it follows.
fn atom(feed: &Sources<'_>, title: &str, path: &str, alternate: &str, keys: &[String]) -> File {
    let (site, html) = (feed.site, feed.html);
    let c = &site.config;
    let entries: Vec<&String> = keys.iter().take(c.feeds.limit).collect();
    let updated = entries
        .iter()
        .filter_map(|k| {
            let m = &site.content.pages[*k].meta;
            m.updated.max(m.date)
        })
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| rfc3339(&d));
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n",
        xml(&c.language),
        xml(title)
    );
    if let Some(d) = &c.description {
        let _ = writeln!(out, "<subtitle>{}</subtitle>", xml(d));
    }
    let _ = write!(
        out,
        "<link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n<link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{}</id>\n<updated>{updated}</updated>\n<author><name>{}</name></author>\n<generator>herald</generator>\n",
        xml(&site.permalink(path)),
        xml(&site.permalink(alternate)),
        xml(&site.permalink(path)),
        xml(c.author.as_deref().unwrap_or(&c.title)),
    );
    for key in entries {
        let page = &site.content.pages[key];
        let m = &page.meta;
        let link = site.permalink(site.page_path(key));
        let date = m.date.as_ref().map(rfc3339).unwrap_or_default();
        let upd = m
            .updated
            .max(m.date)
            .as_ref()
            .map(rfc3339)
            .unwrap_or_default();
        let _ = write!(
            out,
            "<entry>\n<title>{}</title>\n<link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n<id>{}</id>\n<published>{date}</published>\n<updated>{upd}</updated>\n",
            xml(&m.title),
            xml(&link),
            xml(&link)
        );
        for a in &m.authors {
            let _ = writeln!(out, "<author><name>{}</name></author>", xml(a));
        }
        if let Some(tags) = m.taxonomies.get("tags") {
            for t in tags {
                let _ = writeln!(out, "<category term=\"{}\"/>", xml(t));
            }
        }
        let rendered = site.rendered.get(key);
        let html = html.get(key);
        let summary = m
            .summary
            .clone()
            .or_else(|| rendered.map(|r| r.summary.clone()))
            .unwrap_or_default();
        if c.feeds.full_content {
            let html = html.map_or("", |h| h.as_str());
            let _ = writeln!(
                out,
                "<content type=\"html\" xml:base=\"{}\">{}</content>",
                xml(&link),
                xml(html)
            );
        } else if let Some(html) = rendered.and_then(|r| r.summary_html.as_deref()) {
            let _ = writeln!(
                out,
                "<summary type=\"html\" xml:base=\"{}\">{}</summary>",
                xml(&link),
                xml(html)
            );
        } else {
            let _ = writeln!(out, "<summary type=\"text\">{}</summary>", xml(&summary));
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    (path.to_string(), out.into_bytes())
}

/// Output path of a board's or term's feed.
pub fn feed_path(base: &str) -> String {
    format!("{base}atom.xml")
}

/// One feed: its title, path, the page it is the feed of, and its pages.
struct Feed {
    title: String,
    path: String,
    alternate: String,
    keys: Vec<String>,
}

/// What every feed of the site shows.
fn plan(site: &Site) -> Vec<Feed> {
    if !site.config.feeds.enabled {
        return Vec::new();
    }
    let all: Vec<String> = site.content.pages.keys().cloned().collect();
    let ranks = Ranks::new(site);
    let limit = site.config.feeds.limit;
    let mut out = vec![Feed {
        title: site.config.title.clone(),
        path: "atom.xml".into(),
        alternate: String::new(),
        keys: ranks.newest(&all, limit),
    }];
    for board in &site.boards {
        let base = format!("{}/", board.config.key);
        out.push(Feed {
            title: format!("{} · {}", board.config.title, site.config.title),
            path: feed_path(&base),
            keys: ranks.newest(&board.pages, limit),
            alternate: base,
        });
    }
    for (ti, tax) in site.taxonomies.iter().enumerate() {
        if !site.config.taxonomies[ti].feed {
            continue;
        }
        for (slug, term) in &tax.terms {
            let base = format!("{}/{slug}/", tax.name);
            out.push(Feed {
                title: format!("#{} · {}", term.name, site.config.title),
                path: feed_path(&base),
                keys: ranks.newest(&term.pages, limit),
                alternate: base,
            });
        }
    }
    out
}

/// Every feed of the site; `html` holds the HTML of (at least) the
/// [`pages_in_full`].
pub fn feeds(site: &Site, html: &BTreeMap<String, Html>) -> Vec<File> {
    feeds_where(site, html, &|_, _| true).0
}

/// The feeds for which `want(path, pages shown)` holds, and every feed's
/// path and pages (the dev server makes again only the feeds whose pages
/// or their values changed).
pub fn feeds_where(
    site: &Site,
    html: &BTreeMap<String, Html>,
    want: &dyn Fn(&str, &[String]) -> bool,
) -> (Vec<File>, Vec<(String, Vec<String>)>) {
    let feed = Sources { site, html };
    let plan = plan(site);
    let files = plan
        .iter()
        .filter(|f| want(&f.path, &f.keys))
        .map(|f| atom(&feed, &f.title, &f.path, &f.alternate, &f.keys))
        .collect();
    (files, plan.into_iter().map(|f| (f.path, f.keys)).collect())
}

/// The pages whose full HTML some feed shows.
pub fn pages_in_full(site: &Site) -> std::collections::HashSet<String> {
    if !site.config.feeds.full_content {
        return Default::default();
    }
    let limit = site.config.feeds.limit;
    plan(site)
        .into_iter()
        .flat_map(|f| f.keys.into_iter().take(limit))
        .collect()
}

/// Most URLs in one sitemap file (the protocol's limit).
pub const SITEMAP_LIMIT: usize = 50_000;

/// `sitemap.xml` (an index of `sitemap-N.xml` files above the limit) and
/// `robots.txt`. `urls` are (output path, last modification).
pub fn sitemap(site: &Site, urls: &[(String, Option<String>)]) -> Vec<File> {
    // A permalink is the base URL and the path (see `Site::permalink`).
    let base = xml(&site.config.base_url);
    // A site in several languages names each URL's translations.
    let alternates = &site.languages.alternates;
    let xhtml = if site.languages.homes.is_empty() {
        ""
    } else {
        " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""
    };
    let write_urls = |chunk: &[(String, Option<String>)]| {
        let mut s = String::with_capacity(chunk.len() * 100 + 200);
        let _ = write!(
            s,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"{xhtml}>\n"
        );
        for (path, lastmod) in chunk {
            s.push_str("<url><loc>");
            s.push_str(&base);
            crate::escape::xml_to(&mut s, path.trim_start_matches('/'));
            s.push_str("</loc>");
            if let Some(l) = lastmod {
                let _ = write!(s, "<lastmod>{l}</lastmod>");
            }
            for (code, url) in alternates.get(path).into_iter().flatten() {
                let _ = write!(
                    s,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    xml(code),
                    xml(url)
                );
            }
            s.push_str("</url>\n");
        }
        s.push_str("</urlset>\n");
        s.into_bytes()
    };
    let mut files = Vec::new();
    if urls.len() <= SITEMAP_LIMIT {
        files.push(("sitemap.xml".to_string(), write_urls(urls)));
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (i, chunk) in urls.chunks(SITEMAP_LIMIT).enumerate() {
            let name = format!("sitemap-{}.xml", i + 1);
            let _ = writeln!(
                index,
                "<sitemap><loc>{}</loc></sitemap>",
                xml(&site.permalink(&name))
            );
            files.push((name, write_urls(chunk)));
        }
        index.push_str("</sitemapindex>\n");
        files.push(("sitemap.xml".to_string(), index.into_bytes()));
    }
    if site.config.robots {
        let mut robots = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            site.permalink("sitemap.xml")
        );
        // Each other language's sitemap, under its prefix.
        for l in site.languages.homes.iter().skip(1) {
            let _ = writeln!(robots, "Sitemap: {}sitemap.xml", l.home);
        }
        files.push(("robots.txt".to_string(), robots.into_bytes()));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_splits_into_an_index_above_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: T\nbase_url: https://e.org/p/\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        std::fs::create_dir_all(dir.path().join("themes/default/templates")).unwrap();
        let mut timings = crate::timings::Timings::default();
        let loaded =
            crate::build::load_site(&crate::BuildOptions::new(dir.path()), &mut timings).unwrap();
        let urls: Vec<(String, Option<String>)> = (0..SITEMAP_LIMIT + 10)
            .map(|i| (format!("p/{i}/"), None))
            .collect();
        let files = sitemap(&loaded.site, &urls);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap.xml",
                "robots.txt"
            ]
        );
        let index = String::from_utf8(files[2].1.clone()).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://e.org/p/sitemap-2.xml</loc>"));
        let second = String::from_utf8(files[1].1.clone()).unwrap();
        assert_eq!(second.matches("<url>").count(), 10);
    }
}
