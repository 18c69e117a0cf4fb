//! A site in two languages (`tests/fixtures/languages`): translations
//! beside their pages, published under `/en/`, knowing each other
//! (hreflang both ways, the language switch, sitemap alternates), each
//! language with its own boards, feeds, terms and search; links within the
//! language first; a translation without an original, or two of one page,
//! is an error naming both files.

use crate::common::*;

fn two_languages() -> Fixture {
    Fixture::from("languages")
}

fn built() -> Fixture {
    let f = two_languages();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

#[test]
fn translations_are_published_under_their_language() {
    let f = built();
    for path in [
        "en/index.html",
        "en/about/index.html",
        "en/news/index.html",
        "en/news/a/index.html",
        "en/lessons/one/index.html",
        "en/lessons/one/cover.svg",
        "en/atom.xml",
        "en/news/atom.xml",
        "en/tags/villages/index.html",
        "en/search/index.html",
        "en/sitemap.xml",
    ] {
        assert!(f.output_exists(path), "{path} missing");
    }
    // Only what has a translation: no English news B, no second 404, one
    // set of static files.
    for path in [
        "en/news/b/index.html",
        "en/404.html",
        "en/style.css",
        "en/syntax.css",
        "en/robots.txt",
    ] {
        assert!(!f.output_exists(path), "{path} should not exist");
    }
    let about = f.read_output("en/about/index.html");
    assert!(about.contains("<html lang=\"en\">"), "{about}");
    assert!(
        about.contains("<title>About · Bilingual Test Site</title>"),
        "{about}"
    );
    // The theme speaks the page's language; static files are the root's.
    assert!(about.contains(">Skip to content<"), "{about}");
    assert!(about.contains("href=\"/portal/style.css?v="), "{about}");
    // Dates in the language.
    assert!(
        f.read_output("en/news/a/index.html")
            .contains(">1 November 2026<")
    );
    assert!(
        f.read_output("news/a/index.html")
            .contains(">2026年11月1日<")
    );
    // The board's title from its translated intro; the English board lists
    // only English pages.
    let news = f.read_output("en/news/index.html");
    assert!(
        news.contains("<h1>News</h1>") || news.contains(">News</h1>"),
        "{news}"
    );
    assert!(
        news.contains("News A") && !news.contains("要闻乙"),
        "{news}"
    );
    assert!(!f.read_output("en/index.html").contains("要闻"));
}

#[test]
fn translations_know_each_other() {
    let f = built();
    let zh = f.read_output("about/index.html");
    let en = f.read_output("en/about/index.html");
    for page in [&zh, &en] {
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.org/portal/about/\">"), "{page}");
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/portal/en/about/\">"), "{page}");
        assert!(page.contains("<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/portal/about/\">"), "{page}");
    }
    // The switch goes to the same page in the other language…
    assert!(zh.contains("<a class=\"tool\" href=\"https://example.org/portal/en/about/\" hreflang=\"en\" lang=\"en\" rel=\"alternate\" title=\"English\"><span class=\"lang-short\" aria-hidden=\"true\">EN</span><span class=\"lang-name\">English</span></a>"), "{zh}");
    assert!(en.contains("<a class=\"tool\" href=\"https://example.org/portal/about/\" hreflang=\"zh-CN\" lang=\"zh-CN\" rel=\"alternate\" title=\"中文\"><span class=\"lang-short\" aria-hidden=\"true\">中</span><span class=\"lang-name\">中文</span></a>"), "{en}");
    // …or to its home when there is no translation, with no hreflang link.
    let b = f.read_output("news/b/index.html");
    assert!(b.contains("<a class=\"tool\" href=\"https://example.org/portal/en/\" hreflang=\"en\" lang=\"en\" title=\"English\">"), "{b}");
    assert!(!b.contains("hreflang=\"en\" href"), "{b}");
    // Boards and homes are translations of each other too.
    assert!(
        f.read_output("en/news/index.html")
            .contains("hreflang=\"zh-CN\" href=\"https://example.org/portal/news/\"")
    );
    assert!(
        f.read_output("index.html")
            .contains("hreflang=\"en\" href=\"https://example.org/portal/en/\"")
    );
    // Sitemaps name each URL's translations; robots.txt names both.
    let sitemap = f.read_output("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    assert!(sitemap.contains("<url><loc>https://example.org/portal/news/a/</loc><lastmod>2026-11-01T00:00:00Z</lastmod><xhtml:link rel=\"alternate\" hreflang=\"zh-CN\" href=\"https://example.org/portal/news/a/\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/portal/en/news/a/\"/></url>"), "{sitemap}");
    assert!(sitemap.contains("<url><loc>https://example.org/portal/news/b/</loc><lastmod>2026-11-02T00:00:00Z</lastmod></url>"), "{sitemap}");
    assert!(
        f.read_output("en/sitemap.xml")
            .contains("<loc>https://example.org/portal/en/about/</loc>")
    );
    assert!(f.read_output("robots.txt").contains("Sitemap: https://example.org/portal/sitemap.xml\nSitemap: https://example.org/portal/en/sitemap.xml\n"));
}

#[test]
fn each_language_has_its_feeds_search_and_links() {
    let f = built();
    let feed = f.read_output("en/atom.xml");
    assert!(
        feed.contains("<title>News A</title>") && !feed.contains("要闻"),
        "{feed}"
    );
    assert!(
        feed.contains("https://example.org/portal/en/news/a/"),
        "{feed}"
    );
    // The English search index holds the English pages only.
    let docs = f.read_output("en/search/docs-0.js");
    assert!(
        docs.contains("News A") && !docs.contains("要闻甲"),
        "{docs}"
    );
    assert!(f.read_output("search/docs-0.js").contains("要闻甲"));
    // A link to a page goes to its translation; to a page without one, to
    // the default language's.
    let about = f.read_output("en/about/index.html");
    assert!(
        about.contains("<a href=\"/portal/en/news/a/\">news A</a>"),
        "{about}"
    );
    assert!(
        about.contains("<a href=\"/portal/news/b/\">news B, in Chinese only</a>"),
        "{about}"
    );
    // The bundle's cover is published beside the translation.
    assert!(
        f.read_output("en/lessons/index.html")
            .contains("src=\"/portal/en/lessons/one/cover.svg\"")
    );
    // The summary line counts every language's pages.
    let out = f.herald(&["build", "--lang", "en"]);
    assert!(stdout(&out).contains("Built 7 pages"), "{}", stdout(&out));
}

#[test]
fn a_translation_needs_its_original_and_is_the_only_one() {
    let f = two_languages();
    f.write("content/news/c.en.md", "---\ntitle: C\n---\n");
    f.write("content/news/d.en.md", "---\ntitle: D\ndraft: true\n---\n");
    f.write("content/news/a.EN.md", "---\ntitle: A again\n---\n");
    let out = f.herald(&["build", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error: content/news/c.en.md: this translation has no original: content/news/c.md does not exist"), "{err}");
    assert!(err.contains("about.md → about.en.md"), "{err}");
    assert!(err.contains("error: content/news/d.en.md: this translation has no original: content/news/d.md does not exist"), "{err}");
    assert!(
        err.contains("content/news/a.en.md is the en translation of the same page")
            || err.contains("content/news/a.EN.md is the en translation of the same page"),
        "{err}"
    );
    let zh = stderr(&f.herald(&["build", "--lang", "zh"]));
    assert!(
        zh.contains("error: content/news/c.en.md: 这篇译文没有原文：content/news/c.md 不存在"),
        "{zh}"
    );
}

#[test]
fn languages_are_checked_in_site_yaml() {
    let f = two_languages();
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write(
        "site.yaml",
        &yaml.replace("  - zh-CN\n", "  - en\n  - zh-CN\n  - [x]\n"),
    );
    let out = f.herald(&["build", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        "the first of `languages` is en, but the site's `language` is zh-CN",
        "language `en` is listed twice",
        "a language is a tag such as en or zh-CN, found a list",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
}

#[test]
fn a_site_in_one_language_is_unchanged_by_the_feature() {
    let f = Fixture::new();
    let before = {
        let out = f.build();
        assert!(out.status.success());
        tree(&f.path().join("public"))
    };
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write("site.yaml", &format!("{yaml}languages: [zh-CN]\n"));
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(before, tree(&f.path().join("public")));
    assert!(!f.read_output("index.html").contains("hreflang"));
}

#[test]
fn a_languages_folder_is_its_translations_alone() {
    let f = two_languages();
    f.write("content/english.md", "---\ntitle: English\nslug: en\n---\n");
    let err = stderr(&f.herald(&["build", "--lang", "en"]));
    assert!(err.contains("error: content/english.md: this page is published at /en/, inside /en/, the folder of a translation of the site"), "{err}");
    f.remove("content/english.md");
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write(
        "site.yaml",
        &yaml.replace(
            "taxonomies: [tags]",
            "  - { key: en, title: E, kind: article }\ntaxonomies: [tags]",
        ),
    );
    f.write("content/en/x.md", "---\ntitle: X\n---\n");
    let err = stderr(&f.herald(&["build", "--lang", "en"]));
    assert!(
        err.contains("board `en` has the name of a language's folder"),
        "{err}"
    );
}
