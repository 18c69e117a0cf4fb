//! Kinds of a site's own (`tests/fixtures/kinds`): typed fields in
//! templates, templates per kind with fallbacks, every field error at its
//! place, declaration errors in site.yaml, and `herald new`.

use crate::common::*;

fn kinds_site() -> Fixture {
    Fixture::from("kinds")
}

/// The `<pre id="fields">` the fixture's film template writes.
fn fields_of(html: &str) -> serde_json::Value {
    let start =
        html.find("<pre id=\"fields\">").expect("fields shown") + "<pre id=\"fields\">".len();
    let end = start + html[start..].find("</pre>").unwrap();
    let text = html[start..end]
        .replace("&quot;", "\"")
        .replace("&#x2F;", "/");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn a_sites_kinds_reach_templates_typed() {
    let f = kinds_site();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let film = f.read_output("films/harvest/index.html");
    // The site's own film.html, told the kind and the built-in one.
    assert!(film.contains("<p id=\"kind\">film/article</p>"), "{film}");
    let fields = fields_of(&film);
    assert_eq!(fields["duration"], serde_json::json!(12.5));
    assert_eq!(fields["year"], serde_json::json!(2026));
    assert_eq!(fields["score"], serde_json::json!(8.5));
    assert_eq!(fields["subtitled"], serde_json::json!(true));
    assert_eq!(fields["cast"], serde_json::json!(["甲", "乙"]));
    assert_eq!(fields["premiere"], serde_json::json!("2026-10"));
    assert_eq!(fields["rating"], serde_json::json!("all"), "the default");
    assert_eq!(
        fields["poster"]["url"],
        serde_json::json!("/films/harvest/poster.svg")
    );
    assert_eq!(fields["video"]["size"], serde_json::json!("18 B"));
    // The default theme's facts list: labels, lists, minutes, images.
    for part in [
        "<div class=\"fact-duration\"><dt>片长</dt><dd>12.5 分钟</dd></div>",
        "<div class=\"fact-cast\"><dt>cast</dt><dd><ul><li>甲</li><li>乙</li></ul></dd></div>",
        "<div class=\"fact-subtitled\"><dt>subtitled</dt><dd>是</dd></div>",
        "<img src=\"/films/harvest/poster.svg\" alt=\"海报\"",
        "<a href=\"/films/harvest/harvest.mp4\" download>下载 (18 B)</a>",
    ] {
        assert!(film.contains(part), "missing {part} in {film}");
    }
    // The board's own template, with the pages' fields.
    let board = f.read_output("films/index.html");
    assert!(
        board.contains(
            "<h1 id=\"film-board\">微电影 (film/article)</h1><p class=\"film\">丰收: 12.5</p>"
        ),
        "{board}"
    );
    // A kind without templates of its own uses its built-in kind's: a
    // service is laid out as a page, its fields listed, the default filled.
    let guide = f.read_output("guides/card/index.html");
    assert!(guide.contains("class=\"page page-plain\""), "{guide}");
    assert!(
        guide.contains("<div class=\"fact-fee\"><dt>收费</dt><dd>免费</dd></div>"),
        "{guide}"
    );
    assert!(
        f.read_output("guides/index.html")
            .contains("class=\"cards\"")
    );
    // A course extends lesson: a series in course order.
    let two = f.read_output("courses/two/index.html");
    assert!(two.contains("第 2 课，共 2 课"), "{two}");
    assert!(two.contains("\"@type\":\"LearningResource\""), "{two}");
}

#[test]
fn every_field_error_is_reported_at_its_place() {
    let f = kinds_site();
    f.write(
        "content/films/bad.md",
        "---\ntitle: 坏\nduration: 0\ndirector: [a]\nyear: 1800\nscore: 11\npremiere: soon\nsubtitled: yes please\ncast: [a, [b]]\nposter: poster.pdf\nvideo: missing.mp4\nrating: tean\nratting: all\n---\n",
    );
    f.write(
        "content/films/no-poster.md",
        "---\ntitle: 无海报\nduration: 3\nobjectives: [x]\n---\n",
    );
    f.write(
        "content/courses/three.md",
        "---\ntitle: 第三课\nlevel: 高级\nseries: 入门课程\norder: 3\n---\n",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        "error: content/films/bad.md:3:11: `duration`: must be a positive number of minutes, found 0",
        "error: content/films/bad.md:4:11: `director` should be a text, found a list",
        "error: content/films/bad.md:5:7: `year`: must be at least 1900, found 1800",
        "error: content/films/bad.md:6:8: `score`: must be at most 10, found 11",
        "error: content/films/bad.md:7:11: `premiere` should be a year or a date, found a text (\"soon\")",
        "error: content/films/bad.md:8:12: `subtitled` should be true or false",
        "error: content/films/bad.md:9:11: `cast` should be a list of texts, found a list",
        "error: content/films/bad.md:10:9: `poster`: `poster.pdf` is not an image",
        "error: content/films/bad.md:12:9: `rating`: unknown rating `tean`",
        "hint: did you mean `teen`? the values of `rating` are: all, teen, adult",
        "error: content/films/bad.md:13:1: unknown key `ratting` — did you mean `rating`?",
        "error: content/films/no-poster.md:1: missing required field `poster` of kind film",
        "hint: add a line `poster: images/poster.jpg`",
        "error: content/films/no-poster.md:4:1: unknown key `objectives`",
        "hint: `objectives` belongs to lesson pages, and this page is a film",
        "error: content/courses/three.md:3:8: `level`: unknown level `高级`",
        "build failed: 13 error(s)",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
    // The same places, in Chinese.
    let zh = stderr(&f.herald(&["build", "--lang", "zh"]));
    for line in [
        "error: content/films/bad.md:3:11: `duration`：应当是正的分钟数，这里是 0",
        "error: content/films/bad.md:6:8: `score`：至多为 10，这里是 11",
        "error: content/films/bad.md:10:9: `poster`：`poster.pdf` 不是图片",
        "error: content/films/bad.md:12:9: `rating`：`tean` 不是 `rating` 的可用取值",
        "提示：是不是 `teen`？`rating` 的取值有：all, teen, adult",
        "error: content/films/no-poster.md:1: 缺少 film 类页面的必填字段 `poster`",
    ] {
        assert!(zh.contains(line), "missing {line:?} in:\n{zh}");
    }
    // The missing file of a file field is found once the fields are good.
    f.remove("content/films/bad.md");
    f.remove("content/films/no-poster.md");
    f.remove("content/courses/three.md");
    f.write(
        "content/films/harvest/index.md",
        &std::fs::read_to_string(f.path().join("content/films/harvest/index.md"))
            .unwrap()
            .replace("video: harvest.mp4", "video: gone.mp4"),
    );
    let err = stderr(&f.herald(&["build", "--lang", "en"]));
    assert!(
        err.contains(
            "error: content/films/harvest/index.md:12:8: `video: gone.mp4`: the file does not exist"
        ),
        "{err}"
    );
}

#[test]
fn declarations_are_checked_in_site_yaml() {
    let f = kinds_site();
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write(
        "site.yaml",
        &format!("{yaml}  lesson: {{}}\n  clip:\n    extends: flim\n    fields:\n      title: text\n      length: minute\n  note:\n    fields:\n      tags: list\n"),
    );
    let out = f.herald(&["build", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for line in [
        "error: site.yaml:38:3: `lesson` is a built-in kind and cannot be declared again",
        "hint: give your kind a name of its own and extend this one: `extends: lesson`",
        "error: site.yaml:40:14: kind `clip` extends `flim`, which is not a kind",
        "hint: did you mean `film`?",
        "error: site.yaml:42:7: `title` cannot be the name of a field",
        "error: site.yaml:43:15: unknown field type `minute`",
        "did you mean `minutes`?",
        "error: site.yaml:44: field `tags` of kind note has the name of a taxonomy",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
}

#[test]
fn herald_new_writes_the_kinds_fields() {
    let f = kinds_site();
    let out = f.herald(&["new", "films", "新片"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(f.path().join("content/films/xin-pian/index.md")).unwrap();
    for line in [
        "duration: 8   # 片长；minutes；必填\n",
        "poster: poster.svg   # 海报；image；必填\n",
        "# director: \"…\"   # 导演；text\n",
        "# rating: \"all\"   # rating；choice；all, teen, adult\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in:\n{text}");
    }
    // A placeholder for the required image: the new page builds at once.
    assert!(f.path().join("content/films/xin-pian/poster.svg").exists());
    let built = f.build();
    assert!(built.status.success(), "{}", stderr(&built));
    let new = std::fs::read_to_string(f.path().join("public/films/xin-pian/index.html")).unwrap();
    assert_eq!(fields_of(&new)["duration"], serde_json::json!(8));
}
