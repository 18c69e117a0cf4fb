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
