//! One fixture per kind of bad input: the build exits 1, names the file and
//! line with a hint, lists every error, and leaves the previous output intact.

use crate::common::*;

/// Builds a good site, applies `breakage`, rebuilds, and checks the failure.
fn broken(breakage: impl FnOnce(&Fixture)) -> (Fixture, String) {
    let f = Fixture::new();
    let first = f.build();
    assert!(first.status.success(), "{}", stderr(&first));
    let before = tree(&f.path().join("public"));
    breakage(&f);
    let out = f.build();
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1; stderr:\n{err}"
    );
    assert!(err.contains("hint:"), "every error has a hint:\n{err}");
    assert_eq!(
        before,
        tree(&f.path().join("public")),
        "the previous output must survive"
    );
    let leftovers: Vec<String> = std::fs::read_dir(f.path())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("herald-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
    (f, err)
}

#[test]
fn broken_yaml() {
    let (_, err) =
        broken(|f| f.write("content/news/a.md", "---\ntitle: ok\ntags: [a, b\n---\nx\n"));
    assert!(err.contains("content/news/a.md:"), "{err}");
    assert!(err.contains("invalid YAML"), "{err}");
}

#[test]
fn tabs_in_yaml() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/a.md",
            "---\ntitle: ok\nextra:\n\tx: 1\n---\nx\n",
        )
    });
    assert!(err.contains("content/news/a.md:4"), "{err}");
    assert!(err.contains("tabs"), "{err}");
}

#[test]
fn wrong_type_names_key_expected_and_found() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/a.md",
            "---\ntitle: ok\ntags: 乡村振兴\n---\nx\n",
        )
    });
    assert!(
        err.contains(
            "content/news/a.md:3:7: `tags` should be a list of texts, found a text (\"乡村振兴\")"
        ),
        "{err}"
    );
}

#[test]
fn text_date_is_a_type_error() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/a.md",
            "---\ntitle: ok\ndate: last tuesday\n---\nx\n",
        )
    });
    assert!(
        err.contains("content/news/a.md:3:7: `date` should be a date"),
        "{err}"
    );
    assert!(err.contains("2024-05-01"), "{err}");
}

#[test]
fn unknown_key_suggests_the_nearest() {
    let (_, err) = broken(|f| f.write("content/news/a.md", "---\ntitle: ok\nsumary: x\n---\nx\n"));
    assert!(
        err.contains("content/news/a.md:3:1: unknown key `sumary` — did you mean `summary`?"),
        "{err}"
    );
}

#[test]
fn key_of_another_kind_is_explained() {
    let (_, err) =
        broken(|f| f.write("content/news/a.md", "---\ntitle: ok\nduration: 5\n---\nx\n"));
    assert!(err.contains("`duration` belongs to lesson pages"), "{err}");
}

#[test]
fn missing_required_title() {
    let (_, err) = broken(|f| f.write("content/news/a.md", "---\ndate: 2024-01-01\n---\nx\n"));
    assert!(
        err.contains("content/news/a.md:1: missing required key `title`"),
        "{err}"
    );
}

#[test]
fn missing_front_matter_close() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/a.md",
            "---\ntitle: ok\n\nbody without the closing line\n",
        )
    });
    assert!(
        err.contains("content/news/a.md:1: the front matter that starts on line 1 is never closed"),
        "{err}"
    );
}

#[test]
fn bad_internal_link_names_line() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/a.md",
            "---\ntitle: ok\n---\n\ntext\n\n[x](@/news/nope.md)\n",
        )
    });
    assert!(
        err.contains("content/news/a.md:7: broken internal link `@/news/nope.md`"),
        "{err}"
    );
}

#[test]
fn bad_anchor_suggests_heading() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/a.md",
            "---\ntitle: ok\n---\n[x](@/news/b.md#细)\n",
        )
    });
    assert!(err.contains("content/news/a.md:4: broken anchor"), "{err}");
    assert!(err.contains("#细节"), "{err}");
}

#[test]
fn missing_template() {
    let (_, err) = broken(|f| {
        std::fs::remove_file(f.path().join("themes/default/templates/case.html")).unwrap()
    });
    assert!(err.contains("template `case.html` does not exist"), "{err}");
}

#[test]
fn a_missing_template_is_reported_with_the_contents_errors() {
    // Templates are checked once, before any page is written, and their
    // errors go with the Markdown's: one build shows both.
    let (_, err) = broken(|f| {
        std::fs::remove_file(f.path().join("themes/default/templates/case.html")).unwrap();
        f.write(
            "content/news/a.md",
            "---\ntitle: ok\n---\n[x](@/news/missing.md)\n",
        );
    });
    assert!(err.contains("template `case.html` does not exist"), "{err}");
    assert!(err.contains("content/news/a.md:4"), "{err}");
    assert_eq!(err.matches("case.html` does not exist").count(), 1, "{err}");
}

#[test]
fn template_syntax_error_names_template_and_line() {
    let (_, err) = broken(|f| {
        f.write(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}\n{{ page.title \n{% endblock main %}\n",
        )
    });
    // The unclosed `{{` on line 3 is detected where the next tag starts.
    assert!(
        err.contains("templates/page.html:4:1: Found `{` but expected }}"),
        "{err}"
    );
}

#[test]
fn template_runtime_error_names_template_and_page() {
    let (_, err) = broken(|f| {
        f.write("templates/page.html", "{% extends \"base.html\" %}\n{% block main %}\n{{ page.nonexistent.deeper }}\n{% endblock main %}\n")
    });
    assert!(err.contains("templates/page.html:3"), "{err}");
    assert!(err.contains("content/about.md"), "{err}");
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let (_, err) = broken(|f| {
        f.write_bytes(
            "content/news/a.md",
            b"---\ntitle: ok\n---\nfine\nbad \xff\xfe here\n",
        )
    });
    assert!(
        err.contains("content/news/a.md:5:5: the file is not valid UTF-8 text"),
        "{err}"
    );
}

#[test]
fn unknown_board_folder() {
    let (_, err) = broken(|f| f.write("content/newz/a.md", "---\ntitle: ok\n---\nx\n"));
    assert!(
        err.contains("content/newz/a.md: the folder content/newz/ is not a board"),
        "{err}"
    );
    assert!(err.contains("did you mean the board `news`"), "{err}");
}

#[test]
fn duplicate_urls() {
    let (_, err) = broken(|f| f.write("content/news/z.md", "---\ntitle: ok\nslug: a\n---\nx\n"));
    assert!(err.contains("would both be published at /news/a/"), "{err}");
}

#[test]
fn site_yaml_problems() {
    let (_, err) = broken(|f| {
        f.write(
            "site.yaml",
            &SITE_YAML
                .replace("kind: case", "kind: cases")
                .replace("title: 测试站", "title: 测试站\nlanguge: en"),
        )
    });
    assert!(
        err.contains("site.yaml:2:1: unknown key `languge` — did you mean `language`?"),
        "{err}"
    );
    assert!(err.contains("unknown kind `cases`"), "{err}");
}

#[test]
fn missing_theme() {
    let (_, err) = broken(|f| f.write("site.yaml", &format!("{SITE_YAML}theme: fancy\n")));
    assert!(err.contains("theme `fancy` does not exist"), "{err}");
    assert!(err.contains("themes here: default"), "{err}");
}

#[test]
fn every_error_is_listed_not_only_the_first() {
    let (_, err) = broken(|f| {
        f.write("content/news/a.md", "---\ntitle: ok\nsumary: x\n---\nx\n");
        f.write(
            "content/news/b.md",
            "---\ntitle: 3\ndate: nope\n---\n[x](@/gone.md)\n",
        );
        f.write(
            "content/cases/x.md",
            "---\ntitle: ok\n---\n[x](@/gone.md)\n",
        );
    });
    assert!(err.contains("content/news/a.md:3"), "{err}");
    assert!(err.contains("content/news/b.md:3"), "{err}");
    assert!(err.contains("content/cases/x.md:4"), "{err}");
    assert!(err.contains("build failed: 3 error(s)"), "{err}");
}

#[test]
fn missing_cover_file() {
    let (_, err) = broken(|f| f.remove("content/publications/book/cover.svg"));
    assert!(
        err.contains("`cover: cover.svg`: the file does not exist"),
        "{err}"
    );
}

#[test]
fn output_dir_that_is_the_site_is_refused() {
    let f = Fixture::new();
    let out = f.herald(&["build", "--output", f.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("refusing to use"), "{}", stderr(&out));
    assert!(f.path().join("site.yaml").exists());
    assert!(f.path().join("content/news/a.md").exists());
    let out = f.herald(&[
        "build",
        "--output",
        f.path().join("content").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn foreign_non_empty_output_dir_is_refused() {
    let f = Fixture::new();
    f.write("docs/notes.txt", "keep me");
    let out = f.herald(&["build", "--output", f.path().join("docs").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(f.path().join("docs/notes.txt").exists());
}

#[test]
fn bad_usage_exits_2() {
    let f = Fixture::new();
    let out = f.herald(&["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn no_site_here() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::herald_cmd()
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("site.yaml"), "{}", stderr(&out));
    assert!(stderr(&out).contains("herald init"));
}

// ---- More of the bad-input catalogue -------------------------------------

#[test]
fn duplicate_keys() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/a.md",
            "---\ntitle: a\ndate: 2024-01-01\ntitle: b\n---\nx\n",
        )
    });
    assert!(
        err.contains("content/news/a.md:4:1: duplicate key `title` (first set on line 2)"),
        "{err}"
    );
}

#[test]
fn yaml_alias_bomb_is_rejected_fast() {
    let mut bomb = String::from("---\ntitle: bomb\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (p, c) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        bomb.push_str(&format!(
            "  {c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    bomb.push_str("---\nx\n");
    let started = std::time::Instant::now();
    let (_, err) = broken(|f| f.write("content/news/a.md", &bomb));
    assert!(
        err.contains("content/news/a.md:") && err.contains("aliases expand to too many values"),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn negative_duration() {
    let (_, err) = broken(|f| {
        f.write(
            "content/lessons/one.md",
            "---\ntitle: x\nseries: 入门\norder: 1\nduration: -5\n---\n",
        )
    });
    assert!(err.contains("content/lessons/one.md:5:11: `duration`: must be a positive number of minutes, found -5"), "{err}");
}

#[test]
fn empty_file() {
    let (_, err) = broken(|f| f.write("content/news/a.md", ""));
    assert!(
        err.contains("content/news/a.md:1: the page has no front matter"),
        "{err}"
    );
}

#[test]
fn unclosed_shortcode() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/a.md",
            "---\ntitle: a\n---\n\n{% callout() %}\ntext\n",
        )
    });
    assert!(
        err.contains("content/news/a.md:5: the block shortcode `callout` is never closed"),
        "{err}"
    );
}

#[test]
fn unknown_shortcode() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/a.md",
            "---\ntitle: a\n---\n{{ figuer(src=\"x\") }}\n",
        )
    });
    assert!(
        err.contains("content/news/a.md:4: unknown shortcode `figuer`"),
        "{err}"
    );
}

#[test]
fn alias_clashing_with_a_page() {
    let (_, err) = broken(|f| {
        f.write(
            "content/news/b.md",
            "---\ntitle: b\naliases: [/about/]\n---\n## 细节\n",
        )
    });
    assert!(
        err.contains("content/news/b.md: alias `/about/` clashes with a page"),
        "{err}"
    );
}

#[test]
fn board_without_a_folder() {
    let (_, err) = broken(|f| {
        f.write(
            "site.yaml",
            &SITE_YAML.replace("boards:\n", "boards:\n  - { key: events, title: 活动 }\n"),
        )
    });
    assert!(
        err.contains("site.yaml:6: board `events` has no folder content/events/"),
        "{err}"
    );
}

#[test]
fn symlink_outside_the_site_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: secret\n---\n",
    )
    .unwrap();
    let (f, err) = broken(|f| {
        std::os::unix::fs::symlink(
            outside.path().join("secret.md"),
            f.path().join("content/news/link.md"),
        )
        .unwrap()
    });
    assert!(
        err.contains("content/news/link.md: a symbolic link points outside the site"),
        "{err}"
    );
    drop(f);
}

#[test]
fn lesson_order_used_twice() {
    let (_, err) = broken(|f| {
        f.write(
            "content/lessons/two.md",
            "---\ntitle: 第二课\nseries: 入门\norder: 1\n---\n",
        )
    });
    assert!(
        err.contains("lesson order 1 is used twice in series “入门”"),
        "{err}"
    );
}

#[test]
fn publication_without_cover() {
    let (_, err) = broken(|f| {
        f.write(
            "content/publications/book/index.md",
            "---\ntitle: 书\nformat: book\n---\n",
        )
    });
    assert!(
        err.contains("content/publications/book/index.md:1: a publication needs a `cover` image"),
        "{err}"
    );
}

#[test]
fn unknown_publication_format() {
    let (_, err) = broken(|f| {
        f.write(
            "content/publications/book/index.md",
            "---\ntitle: 书\ncover: cover.svg\ncover_alt: c\nformat: boook\n---\n",
        )
    });
    assert!(
        err.contains("`format`: unknown format `boook`") && err.contains("did you mean `book`?"),
        "{err}"
    );
}

#[test]
fn bad_slug() {
    let (_, err) = broken(|f| f.write("content/news/a.md", "---\ntitle: a\nslug: a/b\n---\n"));
    assert!(
        err.contains("content/news/a.md:3:7: `slug`: `a/b` cannot be used in a URL"),
        "{err}"
    );
}

#[test]
fn data_file_that_does_not_parse() {
    let (_, err) = broken(|f| f.write("data/members.json", "{\n  \"a\": [1, 2,\n}\n"));
    assert!(err.contains("data/members.json:3:1: invalid JSON"), "{err}");
}

#[test]
fn i18n_strings_that_do_not_parse() {
    let (_, err) = broken(|f| f.write("i18n/zh.yaml", "search: [broken\n"));
    assert!(err.contains("i18n/zh.yaml:"), "{err}");
}

#[test]
fn bom_and_crlf_are_accepted() {
    let f = Fixture::new();
    f.write_bytes(
        "content/news/crlf.md",
        b"\xEF\xBB\xBF---\r\ntitle: CRLF\r\ntags: [a]\r\n---\r\nline one\r\nline two\r\n",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        f.read_output("news/crlf/index.html")
            .contains("<h1>CRLF</h1>")
    );
}

#[test]
fn huge_and_deeply_nested_pages_build() {
    let f = Fixture::new();
    let para = "这是一段很长的文字，用来测试大文件。".repeat(50) + "\n\n";
    f.write(
        "content/news/huge.md",
        &format!("---\ntitle: huge\n---\n{}", para.repeat(20_000)),
    );
    let deep = ">".repeat(10_000)
        + " deep\n\n"
        + &(0..3000)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>();
    f.write(
        "content/news/deep.md",
        &format!("---\ntitle: deep\n---\n{deep}"),
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::metadata(f.path().join("content/news/huge.md"))
            .unwrap()
            .len()
            > 50_000_000
    );
    assert!(f.read_output("news/deep/index.html").contains("deep"));
}

#[test]
fn a_logo_that_is_not_in_static_is_an_error_at_its_line() {
    let (_, err) = broken(|f| {
        let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
        f.write("site.yaml", &format!("logo: emblem.svg\n{yaml}"));
    });
    assert!(
        err.contains("site.yaml:1: the logo `emblem.svg` is not a file in static/"),
        "{err}"
    );
    assert!(err.contains("hint: put the emblem in static/"), "{err}");
}
