//! The benchmark corpus generator is deterministic and its sites build.

mod common;

#[path = "../examples/corpus/generator.rs"]
#[allow(dead_code)]
mod generator;

#[test]
fn generator_is_deterministic_and_builds() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    generator::write_site(a.path(), 60, 7, &common::repo()).unwrap();
    generator::write_site(b.path(), 60, 7, &common::repo()).unwrap();
    assert_eq!(
        common::tree(&a.path().join("content")),
        common::tree(&b.path().join("content"))
    );
    let page = std::fs::read_to_string(a.path().join("content/news/p000000.md")).unwrap();
    assert!(
        page.len() > 3000,
        "pages are realistic in size ({} bytes)",
        page.len()
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_herald"))
        .args(["build", "--root"])
        .arg(a.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(a.path().join("public/news/page/2/index.html").exists());
}
