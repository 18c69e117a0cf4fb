//! `herald import` over sites written in each tool's real format
//! (`tests/fixtures/import/`): a Hugo site with a permalink pattern, page
//! bundles, TOML, YAML and JSON front matter and shortcodes (its old URLs
//! are the ones Hugo 0.111 writes for it); a Zola site with sections,
//! `path`, `[extra]`, `@/` links, a nested section and a translation; an
//! mdBook with a nested SUMMARY.md, a draft chapter and `{{#include}}`; a
//! Jekyll blog with date permalinks, categories, a draft and Liquid. Each
//! is imported, built and checked; every old URL answers as the page or as
//! a redirect to it; the report lists what needs a person; the source is
//! never changed.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Imported {
    dir: tempfile::TempDir,
    out: Output,
    report: String,
}

impl Imported {
    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.site().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    fn herald(&self, args: &[&str]) -> Output {
        crate::common::herald_cmd()
            .args(args)
            .arg("--root")
            .arg(self.site())
            .output()
            .unwrap()
    }

    /// Builds the new site and checks that each old URL answers: as the
    /// page itself (`None`) or as a redirect to `new`.
    fn assert_old_urls(&self, base: &str, urls: &[(&str, Option<&str>)]) {
        let built = self.herald(&["build"]);
        assert!(
            built.status.success(),
            "{}{}",
            stdout(&built),
            stderr(&built)
        );
        let public = self.site().join("public");
        for (old, new) in urls {
            let rel = old.trim_start_matches('/');
            let file = if rel.ends_with(".html") {
                public.join(rel)
            } else {
                public.join(rel).join("index.html")
            };
            let html = std::fs::read_to_string(&file)
                .unwrap_or_else(|_| panic!("old URL {old} does not answer ({})", file.display()));
            match new {
                Some(new) => assert!(
                    html.contains(&format!(
                        "http-equiv=\"refresh\" content=\"0; url={base}{}\"",
                        new.trim_start_matches('/')
                    )),
                    "{old} should redirect to {new}:\n{html}"
                ),
                None => assert!(
                    !html.contains("http-equiv=\"refresh\""),
                    "{old} should be the page itself"
                ),
            }
        }
        let check = self.herald(&["check"]);
        assert!(
            check.status.success(),
            "herald check: {}{}",
            stdout(&check),
            stderr(&check)
        );
    }
}

fn run_import(source: &Path, dest: &Path, extra: &[&str]) -> Output {
    crate::common::herald_cmd()
        .arg("import")
        .arg(source)
        .arg(dest)
        .args(extra)
        .output()
        .unwrap()
}

/// Imports `tests/fixtures/import/NAME` into a new folder, checking that
/// the source did not change.
fn import(name: &str) -> Imported {
    let source = repo().join("tests/fixtures/import").join(name);
    let before = tree(&source);
    let dir = tempfile::tempdir().unwrap();
    let out = run_import(&source, &dir.path().join("site"), &[]);
    assert_eq!(tree(&source), before, "the source changed");
    assert!(
        out.status.success(),
        "import {name}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    let report = std::fs::read_to_string(dir.path().join("site/IMPORT-REPORT.md"))
        .expect("the report is written");
    Imported { dir, out, report }
}

#[test]
fn a_hugo_site_keeps_every_old_url() {
    let i = import("hugo");
    i.assert_old_urls(
        "https://notes.example.org/",
        &[
            // As Hugo's `[permalinks] posts = "/:year/:month/:slug/"` wrote them.
            ("/2024/03/first-post/", Some("/posts/first-post/")),
            ("/2024/04/bridge/", Some("/posts/bridge/")),
            ("/old/bridge.html", Some("/posts/bridge/")),
            ("/2024/05/third-notes/", Some("/posts/third/")),
            ("/about/", None),
            ("/docs/install/", None),
            ("/docs/usage/", None),
        ],
    );
    let first = i.read("content/posts/first-post.md");
    for want in [
        "date: 2024-03-02T09:00:00+08:00\nupdated: 2024-03-05\n",
        "tags: [river, town]\ncategories: [News]\n",
        "extra:\n  featured: true\n",
        "{{ figure(src=\"/images/river.jpg\", alt=\"The river at dawn\", caption=\"The river at dawn\") }}",
        "[the bridge story](@/posts/second-post/index.md)",
        "{{ youtube(id=\"dQw4w9WgXcQ\") }}",
        "// {{< not-a-shortcode >}} is how Hugo writes a shortcode in code",
    ] {
        assert!(first.contains(want), "{want} missing in\n{first}");
    }
    let bridge = i.read("content/posts/second-post/index.md");
    assert!(
        bridge.contains("cover: bridge.jpg\n") && bridge.contains("```bash\ncurl"),
        "{bridge}"
    );
    assert!(
        i.read("content/posts/third.md")
            .contains("extra:\n  mood: calm\n"),
        "Hugo's params are the page's own fields"
    );
    let page = i.read("public/posts/bridge/index.html");
    assert!(
        page.contains("<div class=\"imported-notice\">") && page.contains("<strong>east</strong>"),
        "the stub shows its inner text:\n{page}"
    );
    let video = i.read("public/posts/first-post/index.html");
    assert!(
        video.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\"")
            && !video.contains("<iframe"),
        "a link, nothing loaded from YouTube"
    );
    for want in [
        "`content/posts/second-post/index.md:13`: hugo shortcode `notice`",
        "`hugo.toml: menu`: menus",
        "`layouts/`: theme and templates",
        "`content/posts/first-post.md:8`: `featured` → extra.featured",
        "/old/bridge.html → /posts/bridge/",
        "figure `/images/river.jpg` has no alt text",
    ] {
        assert!(
            i.report.contains(want),
            "{want} missing in the report:\n{}",
            i.report
        );
    }
    let summary = stdout(&i.out);
    assert!(
        summary.contains(
            "Imported 6 pages (3 article, 3 page) and 3 intros, 2 boards, 2 files; 4 aliases"
        ),
        "{summary}"
    );
}

#[test]
fn a_zola_site_keeps_sections_links_and_paths() {
    let i = import("zola");
    i.assert_old_urls(
        "https://harbour.example.org/",
        &[
            ("/world-news/", Some("/blog/world/")),
            ("/blog/old-world/", Some("/blog/world/")),
            ("/blog/hello/", None),
            ("/docs/guide/", None),
            ("/docs/guide/setup/", None),
        ],
    );
    let yaml = i.read("site.yaml");
    assert!(yaml.contains("- { key: blog, title: Blog, kind: article, paginate: 5, sort: date, description: Stories from the quay }"), "{yaml}");
    let hello = i.read("content/blog/2024-05-01-hello.md");
    for want in [
        "slug: hello\ndate: 2024-05-01\n",
        "tags: [harbour, boats]",
        "extra:\n  mood: sunny",
        "(@/docs/guide.md)",
        "&#123;{ youtube(id=\"x\") }}",
    ] {
        assert!(hello.contains(want), "{want} missing in\n{hello}");
    }
    let html = i.read("public/blog/hello/index.html");
    assert!(
        html.contains("href=\"https://harbour.example.org/blog/world/#the-ships\"")
            || html.contains("href=\"/blog/world/#the-ships\""),
        "{html}"
    );
    assert!(
        html.contains("{{ youtube(id=&quot;x&quot;) }}")
            || html.contains("{{ youtube(id=\"x\") }}"),
        "Zola's escaped call shows as text"
    );
    assert!(!i.site().join("content/blog/world.fr.md").exists());
    for want in [
        "`content/blog/world.fr.md`: a translation",
        "`content/blog/2024-05-01-hello.md:16`: zola shortcode `note`",
        "/world-news/ → /blog/world/",
    ] {
        assert!(
            i.report.contains(want),
            "{want} missing in the report:\n{}",
            i.report
        );
    }
}

#[test]
fn an_mdbook_becomes_a_lesson_series_in_summary_order() {
    let i = import("mdbook");
    i.assert_old_urls(
        "/",
        &[
            ("/basics/soil.html", Some("/book/basics/soil/")),
            ("/basics/compost.html", Some("/book/basics/compost/")),
            ("/glossary.html", Some("/book/glossary/")),
            ("/index.html", None),
        ],
    );
    let orders: Vec<String> = [
        "README.md",
        "basics/soil.md",
        "basics/compost.md",
        "basics/water.md",
        "glossary.md",
    ]
    .iter()
    .map(|p| i.read(&format!("content/book/{p}")))
    .map(|t| {
        t.lines()
            .find(|l| l.starts_with("order: "))
            .unwrap_or("")
            .to_string()
    })
    .collect();
    assert_eq!(
        orders,
        ["order: 1", "order: 2", "order: 3", "order: 4", "order: 5"]
    );
    let compost = i.read("content/book/basics/compost.md");
    assert!(
        compost.contains("```python\nif reading < 6:\n    print(\"add lime\")\n```"),
        "an anchor include:\n{compost}"
    );
    assert!(
        i.read("content/book/basics/soil.md")
            .contains("reading = soil.ph()\nprint(reading)\n```"),
        "a line-range include"
    );
    let soil = i.read("public/book/basics/soil/index.html");
    assert!(
        soil.contains("/book/glossary/#terms"),
        "a relative link with an anchor:\n{soil}"
    );
    for want in [
        "`src/SUMMARY.md:10`: the draft chapter “Pests” has no file",
        "`src/unlisted.md`: not in SUMMARY.md",
        "{{#include ../../code/ph.py:2:3}} expanded",
    ] {
        assert!(
            i.report.contains(want),
            "{want} missing in the report:\n{}",
            i.report
        );
    }
}

#[test]
fn a_jekyll_blog_keeps_its_date_urls() {
    let i = import("jekyll");
    i.assert_old_urls(
        "https://town.example.org/news/",
        &[
            (
                "/town/culture/2024/01/15/library-opens.html",
                Some("/posts/library-opens/"),
            ),
            ("/town/2024/02/01/bridge.html", Some("/posts/bridge/")),
            // Same name, later day: the second keeps its date in the URL.
            (
                "/town/2024/03/10/bridge.html",
                Some("/posts/2024-03-10-bridge/"),
            ),
            ("/bridge-open/", Some("/posts/2024-03-10-bridge/")),
            ("/contact.html", Some("/contact/")),
            ("/about/", None),
            ("/docs/guide.html", Some("/docs/guide/")),
        ],
    );
    let post = i.read("content/posts/library-opens.md");
    for want in [
        "date: 2024-01-15 19:30:00 +0800",
        "summary: 每周五晚开放到九点。",
        "tags: [图书馆, 夜读]",
        "![图书馆](/assets/img/library.jpg)",
        "{{ include_note(text=\"带上借书证\") }}",
        "[大桥动工](@/posts/bridge.md)",
    ] {
        assert!(post.contains(want), "{want} missing in\n{post}");
    }
    assert!(
        i.read("content/about.md")
            .contains("[大桥重新开放](@/posts/2024-03-10-bridge.md)"),
        "post_url"
    );
    let code = i.read("content/posts/bridge.md");
    assert!(
        code.contains("```ruby\nputs \"{{ not liquid in code }}\"\n```")
            && code.contains("写作 &#123;{ page.title }} 会显示原文"),
        "{code}"
    );
    assert!(
        i.read("content/posts/market.md").contains("draft: true"),
        "a draft stays a draft"
    );
    assert!(
        i.read("site.yaml").contains("robots: false"),
        "the site's own robots.txt is kept"
    );
    assert_eq!(i.read("public/robots.txt"), "User-agent: *\n");
    for want in [
        "`_posts/2024-03-10-bridge.md:10`: `{{ page.title }}` is template code",
        "`feed.xml`: a file with front matter",
        "`_layouts/`: theme and templates",
        "include_note",
    ] {
        assert!(
            i.report.contains(want),
            "{want} missing in the report:\n{}",
            i.report
        );
    }
}

#[test]
fn import_refuses_a_folder_that_is_not_empty_or_inside_the_source() {
    let source = repo().join("tests/fixtures/import/zola");
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("site");
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("sentinel.txt"), "mine").unwrap();
    let out = run_import(&source, &dest, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is not empty"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&dest).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(dest.join("sentinel.txt")).unwrap(),
        "mine"
    );

    // Inside the source: refused, nothing written there.
    let copy = tempfile::tempdir().unwrap();
    copy_dir(&source, copy.path());
    let before = tree(copy.path());
    let out = run_import(copy.path(), &copy.path().join("herald"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(tree(copy.path()), before);
    assert!(!copy.path().join("herald").exists());

    // Not a site of any tool: bad usage, with the tools named.
    let empty = tempfile::tempdir().unwrap();
    let out = run_import(empty.path(), &dir.path().join("other"), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--from"), "{}", stderr(&out));
}

#[test]
fn import_never_reads_through_a_symbolic_link_out_of_the_source() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\nsecret text\n",
    )
    .unwrap();
    let site = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/import/zola"), site.path());
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path().join("content/blog/secret.md"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = run_import(
        site.path(),
        &dir.path().join("site"),
        &["--from", "zola", "--kind", "docs=article"],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(!dir.path().join("site/content/blog/secret.md").exists());
    assert!(
        stdout(&out).contains("content/blog/secret.md: not imported: a symbolic link"),
        "{}",
        stdout(&out)
    );
    let yaml = std::fs::read_to_string(dir.path().join("site/site.yaml")).unwrap();
    assert!(
        yaml.contains("{ key: docs, title: Docs, kind: article"),
        "--kind chooses the board's kind:\n{yaml}"
    );
}

/// Every HTML page the real tool writes for the fixture (its URL path),
/// when the tool is installed (CI installs Debian's `hugo` and `jekyll`).
fn real_tool_urls(tool: &str, fixture: &str) -> Option<Vec<String>> {
    if Command::new(tool).arg("--version").output().is_err() {
        eprintln!(
            "\n*** SKIPPED: {tool} is not installed; the imported site's old URLs were checked against the fixture's expectations only (apt-get install -y {tool}) ***\n"
        );
        return None;
    }
    let site = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("tests/fixtures/import").join(fixture),
        site.path(),
    );
    let out = site.path().join("_real_out");
    let run = match tool {
        "hugo" => Command::new("hugo")
            .arg("--quiet")
            .arg("-d")
            .arg(&out)
            .current_dir(site.path())
            .output()
            .unwrap(),
        _ => {
            // Without Bundler: the Gemfile and plugins are the site's own.
            std::fs::remove_file(site.path().join("Gemfile")).ok();
            let config = std::fs::read_to_string(site.path().join("_config.yml")).unwrap();
            std::fs::write(
                site.path().join("_config.yml"),
                config.replace("plugins:\n  - jekyll-feed\n", ""),
            )
            .unwrap();
            Command::new("jekyll")
                .arg("build")
                .arg("-d")
                .arg(&out)
                .current_dir(site.path())
                .output()
                .unwrap()
        }
    };
    assert!(
        run.status.success(),
        "{tool}: {}{}",
        stdout(&run),
        stderr(&run)
    );
    let mut urls: Vec<String> = tree(&out)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .map(|p| match p.strip_suffix("index.html") {
            Some(dir) => format!("/{dir}"),
            None => format!("/{p}"),
        })
        .collect();
    urls.sort();
    Some(urls)
}

#[test]
fn every_url_the_real_tools_write_answers_after_import() {
    for (tool, fixture, base) in [
        ("hugo", "hugo", "https://notes.example.org/"),
        ("jekyll", "jekyll", "https://town.example.org/news/"),
    ] {
        let Some(urls) = real_tool_urls(tool, fixture) else {
            continue;
        };
        assert!(urls.len() >= 7, "{tool} wrote {urls:?}");
        let i = import(fixture);
        let built = i.herald(&["build"]);
        assert!(built.status.success(), "{}", stderr(&built));
        for url in &urls {
            let rel = url.trim_start_matches('/');
            let file = if rel.ends_with(".html") {
                i.site().join("public").join(rel)
            } else {
                i.site().join("public").join(rel).join("index.html")
            };
            assert!(
                file.is_file(),
                "{tool} published {url}; the imported site does not answer there (base {base})"
            );
        }
    }
}

#[test]
fn a_source_page_that_does_not_parse_is_reported_with_all_others_and_nothing_is_written() {
    let site = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/import/zola"), site.path());
    std::fs::write(
        site.path().join("content/blog/bad.md"),
        "+++\ntitle = \"x\n+++\nbody\n",
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/docs/bad2.md"),
        "---\ntitle: [unclosed\n---\nbody\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = run_import(site.path(), &dir.path().join("site"), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/blog/bad.md:2:11: invalid TOML"),
        "{err}"
    );
    assert!(
        err.contains("content/docs/bad2.md:3:1: invalid YAML"),
        "{err}"
    );
    assert!(
        err.contains("import failed: 2 error(s) in the source; nothing was written"),
        "{err}"
    );
    assert!(!dir.path().join("site").exists());
}

#[test]
fn a_book_chapter_linked_from_outside_the_book_is_refused_not_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "# Secret\n\nsecret text\n",
    )
    .unwrap();
    let book = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/import/mdbook"), book.path());
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        book.path().join("src/glossary.md.link"),
    )
    .unwrap();
    std::fs::remove_file(book.path().join("src/glossary.md")).unwrap();
    std::fs::rename(
        book.path().join("src/glossary.md.link"),
        book.path().join("src/glossary.md"),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = run_import(book.path(), &dir.path().join("site"), &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("src/glossary.md: this file is a symbolic link out of the source"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("site").exists());
}
