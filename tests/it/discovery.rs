//! Taxonomies, feeds, sitemap, robots.txt, search, aliases and sharing
//! metadata, over fixture sites (with a sub-path base_url and Chinese terms).

use crate::common::*;
use std::collections::BTreeSet;

/// Parses XML strictly; panics with the file name on the first error.
fn well_formed(name: &str, xml: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed XML: {e}"),
        }
    }
}

/// Runs Python's feedparser over a feed; `None` (with a loud notice) when
/// it is not installed.
fn feedparser(path: &std::path::Path) -> Option<String> {
    let script = "import sys, json, feedparser\nd = feedparser.parse(sys.argv[1])\nprint(json.dumps({'bozo': d.bozo, 'titles': [e.title for e in d.entries], 'links': [e.link for e in d.entries], 'updated': [e.updated for e in d.entries]}, ensure_ascii=False))";
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "\n*** SKIPPED feedparser check: {} (pip install feedparser) ***\n",
            stderr(&out).lines().last().unwrap_or("")
        );
        return None;
    }
    Some(stdout(&out))
}

fn tagged_site() -> Fixture {
    let f = Fixture::new();
    for i in 0..12 {
        f.write(
            &format!("content/news/t{i:02}.md"),
            &format!("---\ntitle: 标签测试 {i}\ndate: 2024-06-{:02}\ntags: [乡村振兴]\n---\n内容 {i}。\n", i + 1),
        );
    }
    f
}

#[test]
fn taxonomy_pages_with_chinese_terms_counts_and_pagination() {
    let f = tagged_site();
    assert!(f.build().status.success());
    let list = f.read_output("tags/index.html");
    assert!(
        list.contains(
            "href=\"/portal/tags/xiang-cun-zhen-xing/\">#乡村振兴 <span class=\"count\">14</span>"
        ),
        "{list}"
    );
    assert!(f.output_exists("tags/xiang-cun-zhen-xing/page/2/index.html"));
    assert!(!f.output_exists("tags/xiang-cun-zhen-xing/page/3/index.html"));
    let term = f.read_output("tags/xiang-cun-zhen-xing/index.html");
    assert!(term.contains("14 篇"));
    assert!(
        f.read_output("news/a/index.html")
            .contains("href=\"/portal/tags/rust/\"")
    );
    // With `slugs: unicode` the Chinese term stays in the URL.
    f.write("site.yaml", &format!("{SITE_YAML}slugs: unicode\n"));
    assert!(f.build().status.success());
    assert!(f.output_exists("tags/乡村振兴/page/2/index.html"));
}

#[test]
fn feeds_are_valid_newest_first_with_absolute_sub_path_urls() {
    let f = tagged_site();
    assert!(f.build().status.success());
    for feed in [
        "atom.xml",
        "news/atom.xml",
        "lessons/atom.xml",
        "cases/atom.xml",
        "publications/atom.xml",
    ] {
        well_formed(feed, &f.read_output(feed));
    }
    let site = f.read_output("atom.xml");
    assert!(site.contains("<link href=\"https://example.org/portal/atom.xml\" rel=\"self\""));
    assert!(site.contains("<id>https://example.org/portal/news/t11/</id>"));
    assert_eq!(
        site.matches("<entry>").count(),
        15,
        "every dated page, up to the limit of 20"
    );
    let html = f.read_output("news/index.html");
    assert!(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"要闻 · 测试站\" href=\"/portal/news/atom.xml\">"));
    if let Some(json) = feedparser(&f.path().join("public/news/atom.xml")) {
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["bozo"], serde_json::json!(false), "{json}");
        assert_eq!(v["titles"][0], "标签测试 11");
        assert_eq!(v["links"][0], "https://example.org/portal/news/t11/");
        assert!(v["updated"][0].as_str().unwrap().starts_with("2024-06-12"));
    }
}

#[test]
fn feed_limit_and_full_content_are_configurable() {
    let f = tagged_site();
    f.write(
        "site.yaml",
        &format!("{SITE_YAML}feeds: {{ limit: 3, full_content: true }}\n"),
    );
    assert!(f.build().status.success());
    let feed = f.read_output("atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 3);
    assert!(feed.contains("<content type=\"html\" xml:base=\"https://example.org/portal/news/t11/\">&lt;p&gt;内容 11。&lt;/p&gt;"));
    let f = Fixture::new();
    f.write(
        "site.yaml",
        &SITE_YAML.replace(
            "taxonomies: [tags]",
            "taxonomies: [{ name: tags, feed: true }]",
        ),
    );
    assert!(f.build().status.success());
    well_formed(
        "term feed",
        &f.read_output("tags/xiang-cun-zhen-xing/atom.xml"),
    );
}

#[test]
fn sitemap_lists_every_public_page_and_only_those() {
    let f = tagged_site();
    f.write(
        "content/news/draft.md",
        "---\ntitle: 草稿\ndraft: true\n---\nx\n",
    );
    assert!(f.build().status.success());
    let sitemap = f.read_output("sitemap.xml");
    well_formed("sitemap.xml", &sitemap);
    let locs: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().to_string())
        .collect();
    for loc in &locs {
        let path = loc
            .strip_prefix("https://example.org/portal/")
            .expect("absolute, under the sub-path");
        let file = format!("{}index.html", percent_decode(path));
        assert!(f.output_exists(&file), "sitemap URL {loc} has no page");
    }
    for must in [
        "",
        "news/",
        "news/page/2/",
        "news/a/",
        "tags/",
        "tags/xiang-cun-zhen-xing/page/2/",
        "publications/book/",
        "about/",
    ] {
        assert!(
            locs.contains(&format!("https://example.org/portal/{must}")),
            "sitemap lacks /{must}"
        );
    }
    assert!(!sitemap.contains("draft"));
    assert!(sitemap.contains("<url><loc>https://example.org/portal/news/a/</loc><lastmod>2024-05-01T00:00:00Z</lastmod></url>"));
    assert_eq!(
        f.read_output("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/portal/sitemap.xml\n"
    );
}

/// Under a sub-path, robots.txt is where crawlers never look: the build
/// says so, and `robots: false` leaves it out (the host's root has its own).
#[test]
fn robots_under_a_sub_path_is_a_warning() {
    let f = Fixture::new();
    let out = f.build();
    assert!(
        stderr(&out).contains("warning: site.yaml: robots.txt is written at /portal/robots.txt"),
        "{}",
        stderr(&out)
    );
    f.write("site.yaml", &format!("{SITE_YAML}robots: false\n"));
    let out = f.build();
    assert!(!stderr(&out).contains("robots"), "{}", stderr(&out));
    assert!(!f.output_exists("robots.txt"));
}

#[test]
fn aliases_redirect_and_clashes_are_errors() {
    let f = Fixture::new();
    f.write(
        "content/news/b.md",
        "---\ntitle: 第二篇\naliases: [/old/news/2.html, /archive/b/]\n---\n## 细节\n",
    );
    assert!(f.build().status.success());
    for file in ["old/news/2.html", "archive/b/index.html"] {
        let html = f.read_output(file);
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/portal/news/b/\">"), "{html}");
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://example.org/portal/news/b/\">")
        );
    }
    f.write(
        "content/news/b.md",
        "---\ntitle: 第二篇\naliases: [/news/a/]\n---\n## 细节\n",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "content/news/b.md: alias `/news/a/` clashes with a page at /news/a/index.html"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn sharing_metadata_and_json_ld() {
    let f = Fixture::new();
    assert!(f.build().status.success());
    let book = f.read_output("publications/book/index.html");
    assert!(book.contains("<meta property=\"og:image\" content=\"https://example.org/portal/publications/book/cover.svg\">"));
    assert!(book.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    assert!(book.contains("\"@type\":\"Book\""));
    let lesson = f.read_output("lessons/one/index.html");
    assert!(
        lesson.contains("\"@type\":\"LearningResource\"")
            && lesson.contains("\"isPartOf\":{\"@type\":\"Course\"")
    );
    assert!(
        f.read_output("lessons/index.html")
            .contains("\"@type\":\"Course\"")
    );
    assert!(
        f.read_output("news/a/index.html")
            .contains("\"@type\":\"Article\"")
    );
}

#[test]
fn hostile_titles_are_escaped_in_every_output() {
    let f = Fixture::new();
    let title = "<script>alert(1)</script> & \"quoted\" 'single' ]]> end";
    f.write(
        "content/news/evil.md",
        &format!(
            "---\ntitle: '{}'\ndate: 2024-07-01\ntags: ['<b>tag</b>']\n---\nbody\n",
            title.replace('\'', "''")
        ),
    );
    assert!(f.build().status.success());
    let html = f.read_output("news/evil/index.html");
    assert!(!html.contains("<script>alert(1)"), "raw script in HTML");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped title"
    );
    // JSON-LD stays inside its script element and round-trips.
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(v["headline"], title);
    // Feed and sitemap are well-formed, and the title survives intact.
    let feed = f.read_output("atom.xml");
    well_formed("atom.xml", &feed);
    assert!(feed.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39; ]]&gt; end</title>"));
    if let Some(json) = feedparser(&f.path().join("public/atom.xml")) {
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(
            v["titles"].as_array().unwrap().iter().any(|t| t == title),
            "{json}"
        );
    }
    well_formed("sitemap.xml", &f.read_output("sitemap.xml"));
    // The search index is a script that cannot be closed early, and parses.
    for entry in std::fs::read_dir(f.path().join("public/search")).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "js") {
            let js = std::fs::read_to_string(&p).unwrap();
            assert!(
                !js.contains("</script") && !js.contains("<b>"),
                "{}",
                p.display()
            );
            let json = js
                .split_once(',')
                .unwrap()
                .1
                .split_once(',')
                .unwrap()
                .1
                .trim_end()
                .trim_end_matches(");");
            serde_json::from_str::<serde_json::Value>(json).unwrap();
        }
    }
    let docs = std::fs::read_to_string(f.path().join("public/search/docs-0.js")).unwrap();
    assert!(docs.contains("\\u003cscript\\u003ealert(1)"));
}

/// The example site's search, in headless Chromium, for Chinese, mixed and
/// English queries: the expected page ranks first.
#[test]
fn search_finds_chinese_and_english_in_a_browser() {
    let Some(chromium) = chromium() else { return };
    let out_dir = tempfile::tempdir().unwrap();
    let port = serve_dir(out_dir.path());
    let build = crate::common::herald_cmd()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out_dir.path().join("site"))
        .arg("--base-url")
        .arg(format!("http://127.0.0.1:{port}/site/"))
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", stderr(&build));
    let cases: [(&str, &[&str]); 6] = [
        // A two-character word inside longer text: either mediation page.
        (
            "调解",
            &[
                "/site/lessons/mediation-steps/",
                "/site/cases/night-mediation/",
            ],
        ),
        // A four-character phrase.
        ("夜读驿站", &["/site/news/night-reading/"]),
        // Mixed Chinese and English.
        ("delegation 文化", &["/site/news/partner-county-visit/"]),
        // English, stemmed; and an English prefix.
        ("rumours", &["/site/lessons/spotting-rumours/"]),
        ("deleg", &["/site/news/partner-county-visit/"]),
        ("网格员", &["/site/lessons/grid-management/"]),
    ];
    for (query, expected) in cases {
        let q: String = query
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        let dom = dump_dom(
            &chromium,
            &format!("http://127.0.0.1:{port}/site/search/?q={q}"),
        );
        let results = dom.split("id=\"search-results\"").nth(1).unwrap_or("");
        let first = results
            .split("<a href=\"")
            .nth(1)
            .map(|s| s.split('"').next().unwrap_or(""))
            .unwrap_or("");
        let shown: String = results.chars().take(300).collect();
        assert!(
            expected.contains(&first),
            "query {query:?}: first result {first:?}; results were {shown}"
        );
        assert!(
            results.contains("<mark>"),
            "query {query:?}: highlighted snippet"
        );
    }
}
