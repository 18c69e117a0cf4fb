//! `herald build` over small fixture sites: every output, URLs under a
//! sub-path, drafts, series, bundles, reproducibility, and HTML snapshots.

use crate::common::*;

#[test]
fn builds_every_output_with_sub_path_urls() {
    let f = Fixture::new();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Built 8 pages, 4 boards"),
        "{}",
        stdout(&out)
    );
    for path in [
        "index.html",
        "404.html",
        "news/index.html",
        "news/page/2/index.html",
        "news/a/index.html",
        "lessons/index.html",
        "lessons/one/index.html",
        "cases/x/index.html",
        "publications/index.html",
        "publications/book/index.html",
        "publications/book/cover.svg",
        "publications/book/book.pdf",
        "about/index.html",
        "tags/index.html",
        "tags/xiang-cun-zhen-xing/index.html",
        "style.css",
        "syntax.css",
    ] {
        assert!(f.output_exists(path), "missing public/{path}");
    }
    let a = f.read_output("news/a/index.html");
    assert!(
        a.contains("href=\"/portal/news/b/#%E7%BB%86%E8%8A%82\""),
        "internal link resolved under the sub-path"
    );
    assert!(a.contains("<link rel=\"canonical\" href=\"https://example.org/portal/news/a/\">"));
    assert!(
        a.contains("href=\"/portal/style.css?v="),
        "versioned stylesheet"
    );
    assert!(a.contains("<h2 id=\"小节\">小节</h2>"));
    // Pagination by 2: newest first.
    let news = f.read_output("news/index.html");
    assert!(news.find("Third").unwrap() < news.find("第二篇").unwrap());
    assert!(!news.contains("第一篇"));
    assert!(f.read_output("news/page/2/index.html").contains("第一篇"));
    assert!(news.contains("href=\"/portal/news/page/2/\""));
}

#[test]
fn lessons_know_their_series_place() {
    let f = Fixture::new();
    assert!(f.build().status.success());
    let two = f.read_output("lessons/two/index.html");
    assert!(two.contains("第 2 课，共 2 课"), "{two}");
    assert!(
        two.contains("href=\"/portal/lessons/one/\""),
        "previous lesson link"
    );
    let one = f.read_output("lessons/one/index.html");
    assert!(one.contains("时长 8 分钟"));
    assert!(one.contains("<li>了解</li>"));
    let board = f.read_output("lessons/index.html");
    assert!(board.contains("入门") && board.contains("2 课"));
}

#[test]
fn publications_show_cover_and_download_size() {
    let f = Fixture::new();
    assert!(f.build().status.success());
    let p = f.read_output("publications/book/index.html");
    assert!(p.contains("src=\"/portal/publications/book/cover.svg\""));
    assert!(
        p.contains("href=\"/portal/publications/book/book.pdf\" download>下载 (13 B)"),
        "{p}"
    );
    assert!(
        f.read_output("publications/index.html")
            .contains("class=\"gallery\"")
    );
}

#[test]
fn drafts_future_and_expired_pages_are_left_out() {
    let f = Fixture::new();
    f.write(
        "content/news/draft.md",
        "---\ntitle: 草稿\ndraft: true\n---\nx\n",
    );
    f.write(
        "content/news/later.md",
        "---\ntitle: 未来\ndate: 2999-01-01\n---\nx\n",
    );
    f.write(
        "content/news/old.md",
        "---\ntitle: 过期\nexpires: 2000-01-01\n---\nx\n",
    );
    assert!(f.build().status.success());
    assert!(!f.output_exists("news/draft/index.html"));
    assert!(!f.output_exists("news/later/index.html"));
    assert!(!f.output_exists("news/old/index.html"));
    let out = f.herald(&["build", "--drafts", "--future"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(f.output_exists("news/draft/index.html"));
    assert!(f.output_exists("news/later/index.html"));
    assert!(!f.output_exists("news/old/index.html"));
}

#[test]
fn linking_to_a_draft_explains_why() {
    let f = Fixture::new();
    f.write(
        "content/news/draft.md",
        "---\ntitle: 草稿\ndraft: true\n---\nx\n",
    );
    f.write(
        "content/news/d.md",
        "---\ntitle: 链接\n---\n见[草稿](@/news/draft.md)\n",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/news/d.md:4"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("is a draft"));
}

#[test]
fn output_is_byte_for_byte_reproducible() {
    let f = Fixture::new();
    assert!(f.build().status.success());
    let first = tree(&f.path().join("public"));
    assert!(f.build().status.success());
    assert_eq!(first, tree(&f.path().join("public")));
}

#[test]
fn base_url_and_output_can_be_overridden() {
    let f = Fixture::new();
    let other = tempfile::tempdir().unwrap();
    let out_dir = other.path().join("site");
    let out = f.herald(&[
        "build",
        "--base-url",
        "http://127.0.0.1:8000/",
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(out_dir.join("news/a/index.html")).unwrap();
    assert!(html.contains("href=\"/news/b/#%E7%BB%86%E8%8A%82\""));
    assert!(html.contains("http://127.0.0.1:8000/news/a/"));
    assert!(!f.output_exists("index.html"));
}

#[test]
fn the_example_site_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = crate::common::herald_cmd()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(tmp.path().join("public"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let pages = walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.path().extension().is_some_and(|x| x == "md")
                && !e.file_name().to_string_lossy().starts_with("_index.")
        })
        .count();
    assert!(pages >= 30, "the example site has {pages} pages");
    assert!(stdout(&out).contains(&format!("Built {pages} pages")));
    assert!(tmp.path().join("public/news/page/2/index.html").exists());
    assert!(
        stderr(&out).is_empty(),
        "the example site builds without warnings: {}",
        stderr(&out)
    );
}

#[test]
fn library_builds_to_memory_like_to_disk() {
    let f = Fixture::new();
    assert!(f.build().status.success());
    let (files, _) = herald::build_to_memory(&herald::BuildOptions::new(f.path())).unwrap();
    let disk = tree(&f.path().join("public"));
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        disk.keys().collect::<Vec<_>>()
    );
    assert_eq!(
        files.values().collect::<Vec<_>>(),
        disk.values().collect::<Vec<_>>()
    );
}

/// A one-off build writes each page while rendering the Markdown and lets
/// its HTML and table of contents go; lists, feeds and lessons that show
/// other pages' `content` or `toc` must still get them when site.yaml says
/// `lists: { content: true, toc: true }`.
#[test]
fn lists_and_feeds_that_show_other_pages_content_get_it() {
    let f = Fixture::new();
    f.write(
        "site.yaml",
        &format!(
            "{SITE_YAML}feeds: {{ enabled: true, limit: 2, full_content: true }}\n\
             lists: {{ content: true, toc: true }}\n"
        ),
    );
    f.write(
        "templates/board/article.html",
        "{% extends \"base.html\" %}{% block main %}{% for item in paginator.pages %}\
         <section>{{ item.content }}<ol>{% for h in item.toc %}<li>{{ h.title }}</li>{% endfor %}</ol></section>\
         {% endfor %}{% endblock main %}",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let board = f.read_output("news/index.html");
    assert!(board.contains("<p>English words here.</p>"), "{board}");
    assert!(board.contains("<li>细节</li>"), "{board}");
    let feed = f.read_output("atom.xml");
    assert!(feed.contains("English words here."), "{feed}");
    let (files, _) = herald::build_to_memory(&herald::BuildOptions::new(f.path())).unwrap();
    assert_eq!(tree(&f.path().join("public")), files);
}

/// Whether lists show other pages' content is stated, not guessed from the
/// templates: a macro whose parameter is named `page` shows the content in
/// `build` and `serve` alike once `lists.content` is on, and fails with a
/// hint (never an empty list) while it is off. (Tera 2's macros are
/// components.)
#[test]
fn lists_show_content_only_when_site_yaml_says_so() {
    let f = Fixture::new();
    f.write(
        "templates/partials/card.html",
        "{% component card(page) %}<section>{{ page.content }}</section>{% endcomponent card %}",
    );
    f.write(
        "templates/board/article.html",
        "{% extends \"base.html\" %}\
         {% block main %}{% for item in paginator.pages %}{{ <card page={item} /> }}{% endfor %}{% endblock main %}",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("templates/partials/card.html:1"), "{err}");
    assert!(err.contains("lists: { content: true }"), "{err}");
    assert!(herald::build_to_memory(&herald::BuildOptions::new(f.path())).is_err());

    f.write(
        "site.yaml",
        &format!("{SITE_YAML}lists: {{ content: true }}\n"),
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let board = f.read_output("news/index.html");
    assert!(board.contains("<p>English words here.</p>"), "{board}");
    let (files, _) = herald::build_to_memory(&herald::BuildOptions::new(f.path())).unwrap();
    assert_eq!(tree(&f.path().join("public")), files);
}

#[test]
fn snapshots_of_each_page_kind() {
    let f = Fixture::new();
    assert!(f.build().status.success());
    insta::assert_snapshot!("article", main_of(&f.read_output("news/a/index.html")));
    insta::assert_snapshot!("lesson", main_of(&f.read_output("lessons/two/index.html")));
    insta::assert_snapshot!("case", main_of(&f.read_output("cases/x/index.html")));
    insta::assert_snapshot!(
        "publication",
        main_of(&f.read_output("publications/book/index.html"))
    );
    insta::assert_snapshot!("board", main_of(&f.read_output("news/index.html")));
}

#[test]
fn a_warning_said_of_many_pages_is_one_line_and_verbose_lists_them_all() {
    let f = Fixture::new();
    let cover = std::fs::read(f.path().join("content/publications/book/cover.svg")).unwrap();
    for i in 0..12 {
        let dir = format!("content/publications/p{i:02}");
        f.write_bytes(&format!("{dir}/cover.svg"), &cover);
        f.write(
            &format!("{dir}/index.md"),
            &format!("---\ntitle: 书 {i}\ncover: cover.svg\nformat: book\n---\n简介。\n"),
        );
    }
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("no alternative text"))
        .collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].starts_with("warning: the cover image has no alternative text — in 12 places: content/publications/p00/index.md, content/publications/p01/index.md, content/publications/p02/index.md, … (--verbose lists all)"),
        "{err}"
    );
    assert_eq!(err.matches("hint: add `cover_alt").count(), 1, "{err}");
    // The summary line is not buried.
    assert!(stdout(&out).starts_with("Built "), "{}", stdout(&out));

    let out = f.herald(&["build", "--verbose"]);
    let err = stderr(&out);
    for i in 0..12 {
        assert!(
            err.contains(&format!("\n  content/publications/p{i:02}/index.md\n")),
            "{err}"
        );
    }
}

/// `<meta name="description">` and `og:description` of an output page.
fn descriptions(html: &str) -> (String, String) {
    let find = |attr: &str| {
        let at = html
            .find(attr)
            .unwrap_or_else(|| panic!("no {attr} in {html}"));
        let rest = &html[at..];
        let start = rest.find("content=\"").unwrap() + 9;
        rest[start..start + rest[start..].find('"').unwrap()].to_string()
    };
    (
        find("name=\"description\""),
        find("property=\"og:description\""),
    )
}

#[test]
fn every_page_has_a_description_from_its_text_its_board_or_the_site() {
    let f = Fixture::new();
    f.write(
        "site.yaml",
        &std::fs::read_to_string(f.path().join("site.yaml"))
            .unwrap()
            .replace("description: 一个测试站点\n", "")
            .replace(
                "{ key: lessons, title: 微课, kind: lesson }",
                "{ key: lessons, title: 微课, kind: lesson, description: 五分钟一课 }",
            ),
    );
    // Paragraphs: joined without a space after Chinese.
    f.write(
        "content/news/a.md",
        "---\ntitle: 第一篇\ndate: 2024-05-01\n---\n第一段。\n\n第二段，*强调*。\n",
    );
    // No paragraph: the list's text.
    f.write(
        "content/news/b.md",
        "---\ntitle: 第二篇\ndate: 2024-05-02\n---\n## 要点\n\n- 一是`安全`\n- 二是快\n",
    );
    // Only a heading and code: the board's description.
    f.write(
        "content/lessons/one.md",
        "---\ntitle: 一\nseries: 课\norder: 1\n---\n## 代码\n\n```rust\nfn main() {}\n```\n",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let a = descriptions(&f.read_output("news/a/index.html"));
    assert_eq!(a.0, "第一段。第二段，强调。");
    assert_eq!(a.0, a.1);
    assert_eq!(
        descriptions(&f.read_output("news/b/index.html")).0,
        "一是安全 二是快"
    );
    assert_eq!(
        descriptions(&f.read_output("lessons/one/index.html")).0,
        "五分钟一课"
    );
    // Outputs of the site with no description of their own: the site's
    // title (site.yaml has no description here).
    for page in [
        "index.html",
        "404.html",
        "search/index.html",
        "news/index.html",
    ] {
        let (d, og) = descriptions(&f.read_output(page));
        assert_eq!(d, "测试站", "{page}");
        assert_eq!(og, d, "{page}");
    }
}

#[test]
fn article_lesson_case_and_publication_pages_carry_a_qr_code_unless_turned_off() {
    let f = Fixture::new();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    for page in [
        "news/a/index.html",
        "lessons/one/index.html",
        "cases/x/index.html",
        "publications/book/index.html",
    ] {
        let html = f.read_output(page);
        let url = format!(
            "https://example.org/portal/{}",
            page.trim_end_matches("index.html")
        );
        assert!(
            html.contains("<aside class=\"qr\" aria-label=\"手机扫码阅读\">"),
            "{page}"
        );
        assert!(
            html.contains(&format!("role=\"img\" aria-label=\"本页二维码：{url}\"")),
            "{page}: {html}"
        );
    }
    assert!(!f.read_output("about/index.html").contains("class=\"qr\""));
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write("site.yaml", &format!("{yaml}qr_code: false\n"));
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!f.read_output("news/a/index.html").contains("class=\"qr\""));
}

#[test]
fn a_migrated_chapter_repeating_its_title_shows_one_h1() {
    let f = Fixture::new();
    f.write(
        "content/news/a.md",
        "---\ntitle: 安装\ndate: 2024-05-01\n---\n# 安装\n\n先下载。\n\n## 验证\n",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read_output("news/a/index.html");
    assert_eq!(html.matches("<h1").count(), 1, "{html}");
    assert!(html.contains("<h2 id=\"验证\">"));
}

/// `page.related`: the pages sharing the most terms (and series), a shared
/// board breaking ties, then the page nearest in date, at most five; shown
/// at the end of articles and cases, not at all when nothing is related.
#[test]
fn related_pages_share_the_most_terms_in_a_fixed_order() {
    let f = Fixture::bare();
    f.write("site.yaml", SITE_YAML);
    let page = |board: &str, name: &str, date: &str, tags: &str| {
        f.write(
            &format!("content/{board}/{name}.md"),
            &format!("---\ntitle: {name}\ndate: {date}\ntags: [{tags}]\n---\n正文。\n"),
        );
    };
    page("news", "main", "2026-01-10", "茶, 直播");
    page("news", "both", "2026-01-01", "茶, 直播"); // two terms: first though oldest
    page("news", "newer", "2026-01-09", "茶"); // one term, same board, newer
    page("news", "older", "2026-01-02", "茶"); // one term, same board, oldest
    page("cases", "case", "2026-01-09", "直播"); // one term, other board
    page("news", "alone", "2026-01-05", "别的");
    for (i, d) in ["03", "04", "06", "07"].iter().enumerate() {
        page("news", &format!("more{i}"), &format!("2026-01-{d}"), "直播");
    }
    f.write("content/lessons/_index.md", "---\ntitle: 微课\n---\n");
    f.write("content/publications/_index.md", "---\ntitle: 书刊\n---\n");
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read_output("news/main/index.html");
    let section = html
        .split("<section class=\"related\"")
        .nth(1)
        .expect("a related section");
    let titles: Vec<&str> = section
        .split("</ul>")
        .next()
        .unwrap()
        .split("<li><a href=\"")
        .skip(1)
        .map(|s| s.split("\">").nth(1).unwrap().split('<').next().unwrap())
        .collect();
    // `both` shares two tags; then one tag on the same board, newest first
    // (`older` is sixth); `case` shares one tag on another board.
    assert_eq!(
        titles,
        ["both", "newer", "more3", "more2", "more1"],
        "{section}"
    );
    let alone = f.read_output("news/alone/index.html");
    assert!(
        !alone.contains("class=\"related\""),
        "nothing shares its tag"
    );
    assert!(
        f.read_output("cases/case/index.html")
            .contains("class=\"related\"")
    );
}
