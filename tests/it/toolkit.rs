//! The editor's toolkit through the binary: init, new, check, shortcodes,
//! data files and image variants.

use crate::common::*;

fn herald_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    crate::common::herald_cmd()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn init_then_build_works_and_refuses_non_empty_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let out = herald_in(tmp.path(), &["init", "demo"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("cd demo") && text.contains("herald build") && text.contains("herald serve"),
        "{text}"
    );
    let demo = tmp.path().join("demo");
    // The theme is built in: a new site carries none (--with-theme copies it).
    assert!(!demo.join("themes").exists());
    assert!(
        std::fs::read_to_string(demo.join(".gitignore"))
            .unwrap()
            .contains("/public")
    );
    let build = herald_in(&demo, &["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(
        stdout(&build).contains("Built 6 pages, 5 boards"),
        "{}",
        stdout(&build)
    );
    assert!(
        stderr(&build).is_empty(),
        "a new site builds without warnings: {}",
        stderr(&build)
    );
    assert!(demo.join("public/lessons/first-lesson/index.html").exists());
    let check = herald_in(&demo, &["check"]);
    assert!(
        check.status.success(),
        "a new site passes check: {}",
        stderr(&check)
    );
    // Not over a non-empty folder, unless --force (which keeps existing files).
    std::fs::write(demo.join("content/about.md"), "---\ntitle: 我自己的\n---\n").unwrap();
    let again = herald_in(tmp.path(), &["init", "demo"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("not empty"));
    let forced = herald_in(tmp.path(), &["init", "demo", "--force"]);
    assert!(forced.status.success());
    assert!(
        std::fs::read_to_string(demo.join("content/about.md"))
            .unwrap()
            .contains("我自己的")
    );
}

#[test]
fn new_makes_a_pinyin_slug_page_of_the_board_kind_and_never_overwrites() {
    let f = Fixture::new();
    let out = f.herald(&["new", "lessons", "读懂村务公开"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = stdout(&out).trim().to_string();
    assert!(
        path.ends_with("content/lessons/du-dong-cun-wu-gong-kai.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("title: \"读懂村务公开\"")
            && text.contains("duration: 10")
            && text.contains("objectives: []"),
        "{text}"
    );
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    assert!(text.contains(&format!("date: {today}")));
    assert!(f.build().status.success(), "the new page builds as written");
    assert!(f.output_exists("lessons/du-dong-cun-wu-gong-kai/index.html"));
    let again = f.herald(&["new", "lessons", "读懂村务公开"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    let wrong = f.herald(&["new", "newz", "x"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("did you mean `news`"));
    // `slugs: unicode` keeps the title as the file name.
    f.write("site.yaml", &format!("{SITE_YAML}slugs: unicode\n"));
    let out = f.herald(&["new", "cases", "老街 工具箱"]);
    assert!(
        stdout(&out)
            .trim()
            .ends_with("content/cases/老街-工具箱.md"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_reports_every_problem_with_file_and_line() {
    let f = Fixture::new();
    f.write("templates/base.html", "<!DOCTYPE html><html><head><title>{{ meta.title }}</title>{% block head %}{% endblock head %}</head><body>{% block main %}{% endblock main %}<a href=\"{{ site.base_path }}news/\">news</a></body></html>");
    f.write(
        "content/news/links.md",
        "---\ntitle: 链接\n---\n[gone](/portal/news/nope/)\n\n<a href=\"/portal/news/zz/\">raw</a>\n\n![pic](missing.png)\n\n<a href=\"/portal/news/b/#nope\">anchor</a>\n\n[ok](@/news/b.md#细节) [out](https://example.com/x)\n\n\
         <a name=\"n1\"></a>[to n1](#n1) <someone@example.org>\n\n\
         <a href=/portal/news/zz3/>unquoted</a>\n",
    );
    let out = f.herald(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/news/links.md:4: broken link `/portal/news/nope/`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/links.md:6: broken link `/portal/news/zz/`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/links.md:8: broken image `missing.png`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/links.md:10: broken anchor `/portal/news/b/#nope`"),
        "{err}"
    );
    assert!(
        err.contains("content/about.md:1: no index or page links to this page"),
        "{err}"
    );
    assert!(stdout(&out).contains("external: https://example.com/x"));
    // A real HTML tokenizer: unquoted values are links too; an anchor
    // written as <a name> is a target; a mailto: autolink is no file.
    assert!(
        err.contains("content/news/links.md:16: broken link `/portal/news/zz3/`"),
        "{err}"
    );
    assert!(!err.contains("n1") && !err.contains("someone"), "{err}");
    assert!(stdout(&out).contains("6 problem(s)"), "{}", stdout(&out));
    assert!(!f.output_exists("index.html"), "check writes nothing");
}

#[test]
fn check_external_requests_urls_with_local_servers_only() {
    let f = Fixture::new();
    let served = tempfile::tempdir().unwrap();
    std::fs::write(served.path().join("ok.html"), "fine").unwrap();
    let port = serve_dir(served.path());
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    f.write(
        "content/news/ext.md",
        &format!("---\ntitle: 外链\n---\n[ok](http://127.0.0.1:{port}/ok.html)\n\n[missing](http://127.0.0.1:{port}/missing.html)\n\n[closed](http://127.0.0.1:{closed}/)\n"),
    );
    // Local and private addresses are refused unless allowed.
    let out = f.herald(&["check", "--external"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("private or local address").count(), 3, "{err}");
    let out = f.herald(&["check", "--external", "--allow-private"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("content/news/ext.md:6: external link http://127.0.0.1:{port}/missing.html answered HTTP 404")), "{err}");
    assert!(
        err.contains(&format!(
            "content/news/ext.md:8: external link http://127.0.0.1:{closed}/ could not be reached"
        )),
        "{err}"
    );
    assert!(!err.contains("ok.html"), "{err}");
}

#[test]
fn check_passes_on_the_example_site() {
    let out = crate::common::herald_cmd()
        .args(["check", "--root"])
        .arg(repo())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

fn shortcode_site() -> Fixture {
    let f = Fixture::new();
    f.write("data/team.yaml", "categories:\n  - { key: a, title: 学习 }\n  - { key: b, title: 服务 }\nmembers:\n  - { name: 甲, a: 5, b: 5 }\n  - { name: 乙, a: 9, b: 3 }\n  - { name: 丙, a: 2, b: 8 }\n  - { name: 丁, a: 1, b: 1 }\n");
    f.write("content/news/sc/index.md", "---\ntitle: 短代码\n---\n{{ figure(src=\"photo.svg\", alt=\"一张图\", caption=\"图注\", credit=\"小王\") }}\n\n{{ video(src=\"clip.mp4\", poster=\"photo.svg\", captions=\"clip.vtt\", title=\"视频\") }}\n\n{% callout(type=\"warning\") %}\n注意 **加粗**。\n{% end %}\n\n{% quiz(question=\"几？\", options=[\"一\", \"二\"], answer=2) %}\n因为二。\n{% end %}\n\n{{ download(file=\"doc.pdf\", title=\"文件\") }}\n\n{{ leaderboard(source=\"team\", top=2, title=\"榜\") }}\n\n`{{ figure(src=\"x\") }}`\n\n```\n{% callout() %}\n```\n");
    f.write(
        "content/news/sc/photo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>",
    );
    f.write("content/news/sc/clip.mp4", "not really a video");
    f.write("content/news/sc/clip.vtt", "WEBVTT\n");
    f.write("content/news/sc/doc.pdf", "%PDF-1.4 0123456789");
    f
}

#[test]
fn every_shortcode_renders() {
    let f = shortcode_site();
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read_output("news/sc/index.html");
    let prose = html
        .split("<div class=\"prose\">")
        .nth(1)
        .unwrap()
        .split("</article>")
        .next()
        .unwrap();
    insta::assert_snapshot!("shortcodes", prose);
    assert!(
        prose.contains("<code>{{ figure(src=\"x\") }}</code>"),
        "inline code untouched"
    );
    assert!(prose.contains("{% callout() %}"), "code block untouched");
}

#[test]
fn shortcode_errors_name_file_and_line() {
    let f = Fixture::new();
    f.write("content/news/bad.md", "---\ntitle: 错\n---\nline four\n\n{{ figur(src=\"a.png\") }}\n\n{{ figure(alt=\"没有图\") }}\n\n{% callout(type=\"tip\") %}\nnever closed\n");
    let out = f.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("content/news/bad.md:10: the block shortcode `callout` is never closed"),
        "{err}"
    );
    // Fix the unclosed block to see the other two.
    f.write("content/news/bad.md", "---\ntitle: 错\n---\nline four\n\n{{ figur(src=\"a.png\") }}\n\n{{ figure(alt=\"没有图\") }}\n");
    let err = stderr(&f.build());
    assert!(
        err.contains("content/news/bad.md:6: unknown shortcode `figur`"),
        "{err}"
    );
    assert!(err.contains("did you mean `figure`?"), "{err}");
    assert!(
        err.contains(
            "content/news/bad.md:8: shortcode `figure`: missing argument `src` (required: src, alt)"
        ),
        "{err}"
    );
}

#[test]
fn sites_can_add_their_own_shortcodes() {
    let f = Fixture::new();
    f.write(
        "templates/shortcodes/hello.html",
        "<b class=\"hello\">你好，{{ name }}</b>",
    );
    f.write(
        "content/news/a.md",
        "---\ntitle: x\n---\n{{ hello(name=\"世界\") }}\n",
    );
    assert!(f.build().status.success());
    assert!(
        f.read_output("news/a/index.html")
            .contains("<b class=\"hello\">你好，世界</b>")
    );
}

#[test]
fn leaderboard_ranks_ties_and_highlights_the_top() {
    let f = shortcode_site();
    assert!(f.build().status.success());
    let html = f.read_output("news/sc/index.html");
    let rows: Vec<&str> = html
        .split("<tr")
        .filter(|r| r.starts_with(" class=\"top\"") || r.starts_with("><td>"))
        .collect();
    assert_eq!(rows.len(), 4);
    assert!(
        rows[0].starts_with(" class=\"top\"")
            && rows[0].contains("乙")
            && rows[0].contains("<strong>12</strong>")
    );
    // 甲 and 丙 tie on 10: both rank 2 and both are in the top 2.
    // The star is decoration; its meaning is text (a `span` takes no
    // `aria-label`).
    let star =
        "<span aria-hidden=\"true\">★</span><span class=\"visually-hidden\">前 2 名</span> 2";
    assert!(
        rows[1].starts_with(" class=\"top\"") && rows[1].contains(star),
        "{}",
        rows[1]
    );
    assert!(rows[2].starts_with(" class=\"top\"") && rows[2].contains(star));
    assert!(rows[3].starts_with("><td>4</td>"), "{}", rows[3]);
}

#[test]
fn data_file_errors_name_file_and_line() {
    let f = Fixture::new();
    f.write("data/bad.yaml", "members:\n  - name: a\n   score: 1\n");
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("data/bad.yaml:3"), "{}", stderr(&out));
}

fn write_png(path: &std::path::Path, w: u32, h: u32) {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    img.save(path).unwrap();
}

#[test]
fn images_get_cached_responsive_variants() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.path().join("content/news/pic")).unwrap();
    write_png(&f.path().join("content/news/pic/photo.png"), 1200, 800);
    f.write("content/news/pic/index.md", "---\ntitle: 图\ncover: photo.png\ncover_alt: 彩色渐变\n---\n{{ figure(src=\"photo.png\", alt=\"渐变\") }}\n");
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read_output("news/pic/index.html");
    assert!(html.contains("width=\"1200\" height=\"800\""), "{html}");
    let srcset = html
        .split("srcset=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        srcset.contains("480w")
            && srcset.contains("960w")
            && srcset.ends_with("/portal/news/pic/photo.png 1200w"),
        "{srcset}"
    );
    let variants: Vec<String> = std::fs::read_dir(f.path().join("public/processed"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(variants.len(), 2, "{variants:?}");
    for v in &variants {
        let dims = image::image_dimensions(f.path().join("public/processed").join(v)).unwrap();
        assert!(dims == (480, 320) || dims == (960, 640), "{v}: {dims:?}");
    }
    // The second build reuses the cache: the cached files are not rewritten.
    let cache = f.path().join(".herald-cache/images");
    let stamp = |n: &str| {
        std::fs::metadata(cache.join(n))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before: Vec<_> = variants.iter().map(|v| stamp(v)).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(f.build().status.success());
    let after: Vec<_> = variants.iter().map(|v| stamp(v)).collect();
    assert_eq!(before, after);
    assert_eq!(
        std::fs::read_dir(f.path().join("public/processed"))
            .unwrap()
            .count(),
        2
    );
}

#[test]
fn a_corrupt_image_is_an_error_naming_it() {
    let f = Fixture::new();
    f.write(
        "content/news/pic/index.md",
        "---\ntitle: 图\n---\n{{ figure(src=\"broken.jpg\", alt=\"坏\") }}\n",
    );
    f.write(
        "content/news/pic/broken.jpg",
        "\u{FF}\u{D8} this is not a jpeg",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/news/pic/index.md:4: shortcode `figure`"),
        "{err}"
    );
    assert!(err.contains("broken.jpg cannot be decoded"), "{err}");
}

#[test]
fn raw_html_can_be_turned_into_text_while_shortcodes_still_work() {
    let f = Fixture::new();
    f.write("site.yaml", &format!("{SITE_YAML}raw_html: false\n"));
    f.write("content/news/a.md", "---\ntitle: a\n---\n<script>alert(1)</script>\n\nText with <b>tag</b>.\n\n{% callout() %}\nstill **works**\n{% end %}\n");
    assert!(f.build().status.success());
    let html = f.read_output("news/a/index.html");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>alert"),
        "{html}"
    );
    assert!(html.contains("Text with &lt;b&gt;tag&lt;/b&gt;."));
    assert!(
        html.contains("<aside class=\"callout callout-note\"")
            && html.contains("<strong>works</strong>")
    );
}

/// The default theme is built into herald: a site without `themes/` builds
/// the same bytes as one that carries a copy, and overrides single
/// templates and static files; `init --with-theme` copies it to edit.
#[test]
fn the_built_in_theme_needs_no_folder_and_takes_overrides() {
    let carried = Fixture::new();
    let built_in = Fixture::new();
    std::fs::remove_dir_all(built_in.path().join("themes")).unwrap();
    for f in [&carried, &built_in] {
        let out = f.build();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(
        tree(&carried.path().join("public")),
        tree(&built_in.path().join("public"))
    );

    built_in.write(
        "templates/partials/rail.html",
        "<nav class=\"my-toc\">{{ page.title }}</nav>",
    );
    built_in.write("static/style.css", "/* mine */");
    let out = built_in.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(built_in.read_output("news/a/index.html").contains("my-toc"));
    assert_eq!(built_in.read_output("style.css"), "/* mine */");

    built_in.write(
        "site.yaml",
        &SITE_YAML.replace("language: zh-CN", "language: zh-CN\ntheme: fancy"),
    );
    let out = built_in.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("default (built in)"),
        "{}",
        stderr(&out)
    );

    let tmp = tempfile::tempdir().unwrap();
    let out = herald_in(tmp.path(), &["init", "copy", "--with-theme"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        tmp.path()
            .join("copy/themes/default/templates/base.html")
            .exists()
    );
    let out = herald_in(&tmp.path().join("copy"), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// `herald check` reports the build's own errors and the output's problems
/// in one run, each once.
#[test]
fn check_reports_build_errors_and_output_problems_together() {
    let f = Fixture::new();
    f.write(
        "content/news/mixed.md",
        "---\ntitle: 混合\n---\n[坏](@/news/nope.md)\n\n![图](missing.png)\n\n[锚](#没有)\n",
    );
    let out = f.herald(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/news/mixed.md:4: broken internal link `@/news/nope.md`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/mixed.md:6: broken image `missing.png`"),
        "{err}"
    );
    assert!(
        err.contains("content/news/mixed.md:8: broken anchor"),
        "{err}"
    );
    assert_eq!(err.matches("mixed.md:4").count(), 1, "{err}");
    assert_eq!(err.matches("mixed.md:8").count(), 1, "{err}");
}

/// `herald new` makes what builds at once: a publication as a bundle with a
/// placeholder cover, a page outside the boards with `page`, and never a
/// page at the URL of an existing one.
#[test]
fn new_publications_pages_and_clashes() {
    let f = Fixture::new();
    let out = f.herald(&["new", "publications", "县志 & <特辑>"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = std::path::PathBuf::from(stdout(&out).trim());
    assert!(path.ends_with("index.md"), "{}", path.display());
    assert!(path.with_file_name("cover.svg").is_file());
    let out = f.herald(&["new", "page", "关于我们"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(f.path().join("content/guan-yu-wo-men.md").is_file());
    f.write("site.yaml", &format!("{SITE_YAML}robots: false\n"));
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));

    f.write(
        "content/news/zhong-fu/index.md",
        "---\ntitle: 重复\n---\n文。\n",
    );
    let out = f.herald(&["new", "news", "重复"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("content/news/zhong-fu/index.md already exists at the same URL"),
        "{}",
        stderr(&out)
    );
}

/// The leaderboard reads the plain CSV rows the docs allow (name, unit,
/// points…): the number columns are its categories, in file order.
#[test]
fn leaderboard_reads_plain_csv_rows() {
    let f = Fixture::new();
    f.write(
        "data/rank.csv",
        "name,unit,study,service\n周敏,城关街道,42,36\n李华,东关社区,50,20\n王五,西街,10,5\n",
    );
    f.write(
        "content/news/lb.md",
        "---\ntitle: 榜\n---\n{{ leaderboard(source=\"rank\", top=2) }}\n",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read_output("news/lb/index.html");
    let study = html.find(">study<").expect("study column");
    let service = html.find(">service<").expect("service column");
    assert!(study < service, "columns in file order");
    let first = html.find("周敏").unwrap();
    let second = html.find("李华").unwrap();
    let third = html.find("王五").unwrap();
    assert!(
        first < second && second < third,
        "ranked by total: 78, 70, 15"
    );
    assert_eq!(html.matches("<tr class=\"top\">").count(), 2);
}

/// `herald check | head`: a pipe that closes before herald writes ends it
/// the way it ends other Unix tools (SIGPIPE), never with a panic.
#[test]
fn a_closed_output_pipe_is_no_panic() {
    use std::os::unix::process::ExitStatusExt;
    let f = Fixture::new();
    let mut child = crate::common::herald_cmd()
        .args(["check", "--root"])
        .arg(f.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.code() != Some(101), "{:?}", out.status);
    assert!(
        out.status.success() || out.status.signal() == Some(13),
        "{:?}",
        out.status
    );
}
