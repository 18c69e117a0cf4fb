//! Content migrated from other tools publishes right: an mdBook-style book
//! under a sub-path (`tests/fixtures/book`) with relative `.md` and `.html`
//! links, `#锚点` links to Chinese headings with punctuation, root-relative
//! images and an image beside a single-file page.

use crate::common::*;

#[test]
fn a_migrated_book_links_resolve_and_anchors_follow_github() {
    let f = Fixture::from("book");
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let intro = f.read_output("book/ch1/intro/index.html");
    for want in [
        // GitHub's ids: punctuation dropped, CJK kept.
        "<h2 id=\"示例别名一个可变引用\">",
        "<h2 id=\"第二个标题带括号\">",
        // Relative links, with `../`, with a fragment, and an `.html` twin.
        "href=\"/rust-book/book/ch2/send-and-sync/\"",
        "href=\"/rust-book/book/ch1/other/#%E7%AC%AC%E4%BA%8C%E8%8A%82\"",
        "href=\"/rust-book/book/ch1/other/\"",
        // Root-relative image under the sub-path; the file beside a
        // single-file page where it is published.
        "src=\"/rust-book/images/p.jpg\"",
        "src=\"/rust-book/book/ch1/photo.jpg\"",
        // `rust,ignore` is Rust.
        "language-rust",
    ] {
        assert!(intro.contains(want), "{want} missing in\n{intro}");
    }
    assert!(
        !intro.contains(".md\""),
        "a .md link was left as is:\n{intro}"
    );
    assert!(f.output_exists("book/ch1/photo.jpg"));
    let check = f.herald(&["check"]);
    assert!(
        check.status.success(),
        "zero broken links: {}{}",
        stdout(&check),
        stderr(&check)
    );
}

#[test]
fn broken_relative_links_and_anchors_fail_the_build_with_file_and_line() {
    let f = Fixture::from("book");
    f.write(
        "content/book/ch2/broken.md",
        "---\ntitle: 坏链接\n---\n## 小节\n\n[没有](../ch1/nope.md)\n\n[锚点](../ch1/other.md#没有这节)\n\n[本页](#不存在)\n\n[出界](../../../x.md)\n",
    );
    let out = f.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/book/ch2/broken.md:6: broken internal link `../ch1/nope.md`"),
        "{err}"
    );
    assert!(
        err.contains("content/book/ch2/broken.md:8: broken anchor"),
        "{err}"
    );
    assert!(
        err.contains("content/book/ch2/broken.md:10: broken anchor"),
        "{err}"
    );
    assert!(
        err.contains("content/book/ch2/broken.md:12: broken link `../../../x.md`"),
        "{err}"
    );
}

#[test]
fn anchor_styles_can_be_chosen() {
    let f = Fixture::from("book");
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    // The old style would break the book's `#示例别名…` links: both fail.
    f.write("site.yaml", &format!("{yaml}anchors: herald\n"));
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean #示例-别名一个可变引用?"),
        "{}",
        stderr(&out)
    );
    f.write("site.yaml", &format!("{yaml}anchors: pinyin\n"));
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    f.write("site.yaml", &format!("{yaml}anchors: nonsense\n"));
    let out = f.build();
    assert!(
        stderr(&out).contains("use one of: github, herald, pinyin"),
        "{}",
        stderr(&out)
    );
}

/// Dates without an offset are read in site.yaml's `timezone`: a page dated
/// 10:00 in Beijing is out at 15:26 Beijing time, and one dated today is out
/// at 01:00 Beijing time, though both are still in the future in UTC.
#[test]
fn dates_are_read_in_the_sites_time_zone() {
    let f = Fixture::new();
    f.write(
        "content/news/morning.md",
        "---\ntitle: 上午的新闻\ndate: 2026-12-06 10:00\n---\n文。\n",
    );
    f.write(
        "content/news/today.md",
        "---\ntitle: 今天的新闻\ndate: 2026-12-06\n---\n文。\n",
    );
    let built = |yaml: &str, now: &str| {
        f.write("site.yaml", yaml);
        let opts = herald::BuildOptions {
            now: Some(chrono::DateTime::parse_from_rfc3339(now).unwrap()),
            ..herald::BuildOptions::new(f.path())
        };
        let (files, _) = herald::build_to_memory(&opts).unwrap();
        (
            files.contains_key("news/morning/index.html"),
            files.contains_key("news/today/index.html"),
        )
    };
    let beijing = format!("{SITE_YAML}timezone: Asia/Shanghai\n");
    // 15:26 Beijing time.
    assert_eq!(built(&beijing, "2026-12-06T07:26:00Z"), (true, true));
    assert_eq!(built(SITE_YAML, "2026-12-06T07:26:00Z"), (false, true));
    // 01:00 Beijing time on the 6th.
    assert_eq!(built(&beijing, "2026-12-05T17:00:00Z"), (false, true));
    assert_eq!(built(SITE_YAML, "2026-12-05T17:00:00Z"), (false, false));
    let (files, _) = {
        f.write("site.yaml", &beijing);
        herald::build_to_memory(&herald::BuildOptions {
            now: Some(chrono::DateTime::parse_from_rfc3339("2026-12-06T07:26:00Z").unwrap()),
            ..herald::BuildOptions::new(f.path())
        })
        .unwrap()
    };
    let page = String::from_utf8_lossy(&files["news/morning/index.html"]).into_owned();
    assert!(page.contains("2026-12-06T10:00:00+08:00"), "{page}");

    f.write(
        "site.yaml",
        &format!("{SITE_YAML}timezone: Asia/Shanghia\n"),
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("did you mean `Asia/Shanghai`?"),
        "{}",
        stderr(&out)
    );
}

/// The build says what it left out, and how to include it.
#[test]
fn the_build_line_counts_skipped_pages() {
    let f = Fixture::new();
    f.write(
        "content/news/d.md",
        "---\ntitle: 草稿\ndraft: true\n---\n文。\n",
    );
    f.write(
        "content/news/f.md",
        "---\ntitle: 将来\ndate: 2999-01-01\n---\n文。\n",
    );
    f.write(
        "content/news/e.md",
        "---\ntitle: 过期\ndate: 2020-01-01\nexpires: 2021-01-01\n---\n文。\n",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "(skipped 1 draft, 1 future, 1 expired — use --drafts / --future to include them)"
        ),
        "{}",
        stdout(&out)
    );
    let out = f.herald(&["build", "--drafts", "--future"]);
    assert!(
        stdout(&out).contains("(skipped 1 expired)"),
        "{}",
        stdout(&out)
    );
}

/// A Zola blog moved as it is: TOML front matter (`+++`, `[taxonomies]`,
/// `[extra]`) with the same typed checks and lines as YAML, and with
/// `front_matter: optional` a page without any, titled by its `# heading`.
#[test]
fn toml_front_matter_and_pages_without_any() {
    let f = Fixture::from("zola");
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let first = f.read_output("blog/first/index.html");
    assert!(first.contains("<h1>First post</h1>"), "{first}");
    assert!(first.contains("href=\"/blog/second/\""), "{first}");
    assert!(f.output_exists("tags/rust/index.html"));
    let second = f.read_output("blog/second/index.html");
    assert_eq!(
        second.matches("<h1").count(),
        1,
        "the title is not repeated:\n{second}"
    );
    assert!(second.contains("<h1>Second post</h1>"), "{second}");

    f.write(
        "content/blog/bad.md",
        "+++\ntitle = \"Bad\"\ndate = \"soon\"\n+++\nText.\n",
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/blog/bad.md:3:8: `date` should be a date"),
        "{}",
        stderr(&out)
    );
    f.remove("content/blog/bad.md");

    // Without the setting, a page needs front matter, and the hint says
    // what else would do.
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write("site.yaml", &yaml.replace("front_matter: optional\n", ""));
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("front_matter: optional"),
        "{}",
        stderr(&out)
    );
}

/// An unknown front-matter key says where the site's own fields go, and a
/// page that fails to load is not reported again by links to it.
#[test]
fn unknown_keys_point_to_extra_and_errors_do_not_cascade() {
    let f = Fixture::new();
    f.write(
        "content/news/a.md",
        "---\ntitle: 第一篇\nauthor_unit: 宣传部\n---\n见 [第二篇](b.md)。\n",
    );
    f.write("content/news/b.md", "---\ntitle: [坏的\n---\n文。\n");
    let out = f.build();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("unknown key `author_unit`"), "{err}");
    assert!(err.contains("extra: { author_unit: … }"), "{err}");
    assert!(err.contains("content/news/b.md:3"), "{err}");
    assert!(!err.contains("broken internal link"), "{err}");
}

/// Markdown images are responsive like covers and figures: resized
/// variants, the original left out of `srcset` when wider than the largest,
/// width and height, lazy loading; a heavy original is named in a warning.
#[test]
fn markdown_images_get_resized_variants() {
    let f = Fixture::new();
    // Noise does not compress: 2,000 × 1,500 is well above 2 MB.
    let mut seed = 7u32;
    let img = image::RgbImage::from_fn(2000, 1500, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        image::Rgb([seed as u8, (seed >> 8) as u8, (seed >> 16) as u8])
    });
    let path = f.path().join("content/news/photo/big.jpg");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 95)
        .encode_image(&img)
        .unwrap();
    std::fs::write(&path, &bytes).unwrap();
    assert!(bytes.len() > 2 * 1024 * 1024, "{} bytes", bytes.len());
    f.write(
        "content/news/photo/index.md",
        "---\ntitle: 照片\ndate: 2024-05-04\n---\n![县城全景](big.jpg \"全景\")\n",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("content/news/photo/big.jpg: the image is"),
        "{}",
        stderr(&out)
    );
    let html = f.read_output("news/photo/index.html");
    let tag = html
        .split("<img ")
        .find(|t| t.contains("县城全景"))
        .expect("the image")
        .split('>')
        .next()
        .unwrap();
    for want in [
        "480w",
        "960w",
        "1600w",
        "width=\"2000\"",
        "height=\"1500\"",
        "loading=\"lazy\"",
        "title=\"全景\"",
    ] {
        assert!(tag.contains(want), "{want} in {tag}");
    }
    assert!(!tag.contains("2000w"), "the original is not offered: {tag}");
    assert!(
        tag.contains("src=\"/portal/processed/"),
        "src is a variant: {tag}"
    );

    // A camera's 6400 × 4800 photo as cover and figure: the same.
    let wide = image::RgbImage::from_fn(6400, 4800, |x, y| {
        image::Rgb([(x / 25) as u8, (y / 19) as u8, 128])
    });
    wide.save(f.path().join("content/news/photo/camera.png"))
        .unwrap();
    f.write(
        "content/news/photo/index.md",
        "---\ntitle: 照片\ndate: 2024-05-04\ncover: camera.png\ncover_alt: 相机原图\n---\n{{ figure(src=\"camera.png\", alt=\"原图\") }}\n",
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let html = f.read_output("news/photo/index.html");
    let imgs: Vec<&str> = html
        .split("<img ")
        .skip(1)
        .filter(|t| t.contains("原图"))
        .collect();
    assert_eq!(imgs.len(), 2, "{html}");
    for tag in imgs {
        let tag = tag.split('>').next().unwrap();
        assert!(tag.contains("1600w") && !tag.contains("6400w"), "{tag}");
        assert!(
            !tag.contains("camera.png"),
            "the original is never offered: {tag}"
        );
    }
}

/// A page and a page folder of the same slug clash once: links to either
/// are not reported again with a did-you-mean naming the same path.
#[test]
fn a_slug_clash_is_reported_once() {
    let f = Fixture::new();
    f.write("content/news/b/index.md", "---\ntitle: 冲突\n---\n文。\n");
    f.write(
        "content/news/l.md",
        "---\ntitle: 链\n---\n[x](@/news/b/index.md) [y](b/index.md)\n",
    );
    for args in [&["build"][..], &["check"][..]] {
        let out = f.herald(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("would both be published at /news/b/"), "{err}");
        assert_eq!(err.matches("error:").count(), 1, "{err}");
    }
}
