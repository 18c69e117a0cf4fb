//! Fixture sites in temporary folders, and running the real `herald` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the bundled example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A small site in a temp folder, using the repository's default theme.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

pub const SITE_YAML: &str = "title: 测试站\ndescription: 一个测试站点\nbase_url: https://example.org/portal/\nlanguage: zh-CN\nboards:\n  - { key: news, title: 要闻, kind: article, paginate: 2 }\n  - { key: lessons, title: 微课, kind: lesson }\n  - { key: cases, title: 案例, kind: case }\n  - { key: publications, title: 书刊, kind: publication }\ntaxonomies: [tags]\n";

impl Fixture {
    /// An empty folder with the default theme copied in.
    pub fn bare() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(
            &repo().join("themes/default"),
            &dir.path().join("themes/default"),
        );
        Fixture { dir }
    }

    /// A valid site with a page in each board.
    pub fn new() -> Fixture {
        let f = Fixture::bare();
        f.write("site.yaml", SITE_YAML);
        f.write("content/news/a.md", "---\ntitle: 第一篇\ndate: 2024-05-01\ntags: [乡村振兴, Rust]\n---\n正文第一段。\n\n## 小节\n\n见 [第二篇](@/news/b.md#细节)。\n");
        f.write(
            "content/news/b.md",
            "---\ntitle: 第二篇\ndate: 2024-05-02\ntags: [乡村振兴]\n---\n## 细节\n\n内容。\n",
        );
        f.write(
            "content/news/c.md",
            "---\ntitle: Third\ndate: 2024-05-03\n---\nEnglish words here.\n",
        );
        f.write("content/lessons/one.md", "---\ntitle: 第一课\nseries: 入门\norder: 1\nduration: 8\nobjectives: [了解]\n---\n课一。\n");
        f.write(
            "content/lessons/two.md",
            "---\ntitle: 第二课\nseries: 入门\norder: 2\n---\n课二。\n",
        );
        f.write(
            "content/cases/x.md",
            "---\ntitle: 一个案例\nsubject: 居民\nlocation: 老街\noutcome: 解决了\n---\n经过。\n",
        );
        f.write("content/publications/book/index.md", "---\ntitle: 一本书\ncover: cover.svg\ncover_alt: 封面\nformat: book\nfile: book.pdf\n---\n简介。\n");
        f.write(
            "content/publications/book/cover.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
        f.write("content/publications/book/book.pdf", "%PDF-1.4 tiny");
        f.write("content/about.md", "---\ntitle: 关于\n---\n关于本站。\n");
        f
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.dir.path().join(rel)).unwrap();
    }

    pub fn read_output(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join("public").join(rel))
            .unwrap_or_else(|e| panic!("public/{rel}: {e}"))
    }

    pub fn output_exists(&self, rel: &str) -> bool {
        self.dir.path().join("public").join(rel).exists()
    }

    /// Runs `herald ARGS --root DIR` (the subcommand first).
    pub fn herald(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_herald"));
        cmd.args(args).arg("--root").arg(self.dir.path());
        cmd.output().expect("run herald")
    }

    pub fn build(&self) -> Output {
        self.herald(&["build"])
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under a folder with its bytes, for comparing trees.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// The `<main>` element of an HTML page, for snapshots.
pub fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("<main>");
    let end = html.find("</main>").expect("</main>") + "</main>".len();
    html[start..end]
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
