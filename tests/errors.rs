//! One fixture per kind of bad input: the build exits 1, names the file and
//! line with a hint, lists every error, and leaves the previous output intact.

mod common;
use common::*;

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
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("site.yaml"), "{}", stderr(&out));
    assert!(stderr(&out).contains("herald init"));
}
