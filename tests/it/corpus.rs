//! The benchmark corpus generator is deterministic and its sites build;
//! its Hugo twin has the same pages; and a build's output does not depend
//! on the number of threads.

#[test]
fn generator_is_deterministic_and_builds() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    crate::generator::write_site(a.path(), 60, 7, &crate::common::repo()).unwrap();
    crate::generator::write_site(b.path(), 60, 7, &crate::common::repo()).unwrap();
    assert_eq!(
        crate::common::tree(&a.path().join("content")),
        crate::common::tree(&b.path().join("content"))
    );
    let page = std::fs::read_to_string(a.path().join("content/news/p000000.md")).unwrap();
    assert!(
        page.len() > 5000,
        "pages are realistic in size ({} bytes)",
        page.len()
    );
    let out = crate::common::herald_cmd()
        .args(["build", "--root"])
        .arg(a.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    assert!(a.path().join("public/news/page/2/index.html").exists());
}

#[test]
fn hugo_twin_has_the_same_pages_with_plain_links() {
    let h = tempfile::tempdir().unwrap();
    let a = tempfile::tempdir().unwrap();
    crate::generator::write_hugo_site(h.path(), 40, 7).unwrap();
    crate::generator::write_site(a.path(), 40, 7, &crate::common::repo()).unwrap();
    for i in [0, 13, 39] {
        let (board, stem) = crate::generator::page_key(i);
        let dir = ["news", "lessons", "cases", "publications"][board];
        let rel = format!("content/{dir}/{stem}.md");
        let ours = std::fs::read_to_string(a.path().join(&rel)).unwrap();
        let hugo = std::fs::read_to_string(h.path().join(&rel)).unwrap();
        assert!(!hugo.contains("@/"), "{hugo}");
        assert_eq!(
            ours.replace("](@/", "](/portal/").replace(".md)", "/)"),
            hugo
        );
    }
    assert!(h.path().join("hugo.toml").is_file());
    assert!(h.path().join("layouts/_default/list.html").is_file());
}

/// Rendering runs in parallel; the output must be the same with one thread
/// as with two (ordering of pages, search postings, feeds, sitemap), and a
/// one-off build (which indexes pages while rendering them and writes the
/// search shards in groups) must equal an in-memory build (the dev
/// server's way: index built from the kept plain text).
#[test]
fn output_is_identical_with_one_and_two_threads_and_in_low_memory() {
    let site = tempfile::tempdir().unwrap();
    crate::generator::write_site(site.path(), 240, 3, &crate::common::repo()).unwrap();
    let build = |threads: &str, out: &std::path::Path, extra: &[&str]| {
        let o = crate::common::herald_cmd()
            .args(["build", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(out)
            .args(extra)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", crate::common::stderr(&o));
        crate::common::tree(out)
    };
    let outs = tempfile::tempdir().unwrap();
    let one = build("1", &outs.path().join("one"), &[]);
    let two = build("2", &outs.path().join("two"), &[]);
    assert!(one.len() > 240);
    assert_same_files(&one, &two, "1 and 2 threads");
    // Lists' values made after the search index, as from 30,000 pages.
    let low = build("2", &outs.path().join("low"), &["--low-memory"]);
    assert_same_files(&one, &low, "a build and a low-memory build");
    let (memory, _) = herald::build_to_memory(&herald::BuildOptions::new(site.path())).unwrap();
    assert!(
        memory
            .keys()
            .filter(|p| p.starts_with("search/index-"))
            .count()
            > 5,
        "several search shards"
    );
    assert_same_files(&one, &memory, "a one-off build and a memory build");
}

/// The same paths with the same bytes; names the first file that differs.
fn assert_same_files(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
    between: &str,
) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in a {
        assert!(&b[path] == bytes, "{path} differs between {between}");
    }
}

/// No quadratic output: a board's later pages (courses listed on page 1
/// only, pager links a window) do not grow with the size of the board.
#[test]
fn pager_pages_do_not_grow_with_the_board() {
    let size = |n: usize| {
        let site = tempfile::tempdir().unwrap();
        crate::generator::write_site(site.path(), n, 9, &crate::common::repo()).unwrap();
        let o = crate::common::herald_cmd()
            .args(["build", "--root"])
            .arg(site.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", crate::common::stderr(&o));
        let page =
            std::fs::read_to_string(site.path().join("public/lessons/page/3/index.html")).unwrap();
        assert!(!page.contains(
            "application/ld+json\">{\"@context\":\"https://schema.org\",\"@type\":\"Course\""
        ));
        page.len()
    };
    let (small, large) = (size(200), size(800));
    assert!(
        large < small + small / 10,
        "page 3 of the lessons board grew from {small} to {large} bytes"
    );
}
