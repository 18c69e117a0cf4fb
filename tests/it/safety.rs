//! herald touches only what is its own: victim folders with sentinel files
//! must survive every build, whatever the site or the output folder holds.

use crate::common::{Fixture, stderr};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

/// A folder outside the site with files that must survive.
struct Victim {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Victim {
    fn new() -> Victim {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("victim");
        std::fs::create_dir_all(path.join("deep")).unwrap();
        std::fs::write(path.join("sentinel.txt"), "precious").unwrap();
        std::fs::write(path.join("deep/sentinel.txt"), "precious").unwrap();
        std::fs::write(path.join("index.html"), "<p>someone else's site</p>").unwrap();
        Victim { _dir: dir, path }
    }

    fn assert_intact(&self) {
        for f in ["sentinel.txt", "deep/sentinel.txt", "index.html"] {
            assert!(
                self.path.join(f).is_file(),
                "{} was deleted",
                self.path.join(f).display()
            );
        }
    }
}

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

#[test]
fn leftover_staging_or_old_links_never_empty_their_target() {
    for name in [".public.herald-staging-x", ".public.herald-old-x"] {
        let f = Fixture::new();
        let victim = Victim::new();
        symlink(&victim.path, f.path().join(name)).unwrap();
        let out = f.build();
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        victim.assert_intact();
        // Also when the build fails.
        f.write("site.yaml", "title: [broken\n");
        let out = f.build();
        assert_eq!(code(&out), 1);
        victim.assert_intact();
        // A real folder with such a name but no marker of herald's is not
        // herald's either.
        let fake = f.path().join(format!("{name}2"));
        std::fs::create_dir(&fake).unwrap();
        std::fs::write(fake.join("notes.txt"), "mine").unwrap();
        f.write("site.yaml", crate::common::SITE_YAML);
        assert_eq!(code(&f.build()), 0);
        assert!(fake.join("notes.txt").is_file());
    }
}

#[test]
fn a_folder_herald_did_not_write_is_refused_untouched() {
    let f = Fixture::new();
    let victim = Victim::new();
    std::fs::create_dir(victim.path.join(".git")).unwrap();
    std::fs::write(victim.path.join(".git/HEAD"), "ref").unwrap();
    let out = f.herald(&["build", "--output", victim.path.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(".herald-manifest"),
        "{}",
        stderr(&out)
    );
    victim.assert_intact();
    assert!(victim.path.join(".git/HEAD").is_file());
    assert_eq!(std::fs::read_dir(&victim.path).unwrap().count(), 4);
}

#[test]
fn a_symlinked_output_is_built_into_its_target_and_stays_a_link() {
    let f = Fixture::new();
    let deploy = tempfile::tempdir().unwrap();
    let target = deploy.path().join("www");
    std::fs::create_dir(&target).unwrap();
    symlink(&target, f.path().join("public")).unwrap();
    let out = f.build();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        f.path()
            .join("public")
            .symlink_metadata()
            .unwrap()
            .is_symlink()
    );
    assert!(target.join("index.html").is_file());
    // A second build through the link replaces the first.
    f.write(
        "content/news/d.md",
        "---\ntitle: 第四篇\ndate: 2024-05-04\n---\n新。\n",
    );
    assert_eq!(code(&f.build()), 0);
    assert!(
        f.path()
            .join("public")
            .symlink_metadata()
            .unwrap()
            .is_symlink()
    );
    assert!(target.join("news").read_dir().unwrap().count() >= 4);

    // A link to a folder herald does not own is refused, the folder intact.
    let f2 = Fixture::new();
    let victim = Victim::new();
    symlink(&victim.path, f2.path().join("public")).unwrap();
    let out = f2.build();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    victim.assert_intact();
    assert!(
        f2.path()
            .join("public")
            .symlink_metadata()
            .unwrap()
            .is_symlink()
    );
}

#[test]
fn kept_entries_survive_and_unknown_ones_refuse_the_swap() {
    let f = Fixture::new();
    assert_eq!(code(&f.build()), 0);
    let public = f.path().join("public");
    assert!(public.join(".herald-manifest").is_file());
    // A gh-pages style deploy: .git and CNAME are kept by default.
    std::fs::create_dir(public.join(".git")).unwrap();
    std::fs::write(public.join(".git/HEAD"), "ref").unwrap();
    std::fs::write(public.join("CNAME"), "example.org").unwrap();
    let out = f.build();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(public.join(".git/HEAD").is_file());
    assert!(public.join("CNAME").is_file());

    // Something else of the user's: refused, nothing touched.
    std::fs::create_dir(public.join("uploads")).unwrap();
    std::fs::write(public.join("uploads/a.pdf"), "mine").unwrap();
    std::fs::write(public.join("news/notes.txt"), "mine").unwrap();
    let before = std::fs::read(public.join("index.html")).unwrap();
    f.write(
        "content/news/a.md",
        "---\ntitle: 改了\ndate: 2024-05-01\n---\n新。\n",
    );
    let out = f.build();
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("uploads") && err.contains("news/notes.txt"),
        "{err}"
    );
    assert!(err.contains("output"), "{err}");
    assert!(public.join("uploads/a.pdf").is_file());
    assert!(public.join("news/notes.txt").is_file());
    assert_eq!(std::fs::read(public.join("index.html")).unwrap(), before);
    assert!(public.join(".git/HEAD").is_file());
    // No staging folder is left behind.
    let left: Vec<_> = std::fs::read_dir(f.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("herald-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // Listed in output.keep, they survive.
    std::fs::remove_file(public.join("news/notes.txt")).unwrap();
    f.write(
        "site.yaml",
        &format!(
            "{}output: {{ keep: [.git, CNAME, uploads] }}\n",
            crate::common::SITE_YAML
        ),
    );
    let out = f.build();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(public.join("uploads/a.pdf").is_file());
    assert!(public.join(".git/HEAD").is_file());
}

#[test]
fn the_output_may_not_lie_in_the_site_however_spelled() {
    let f = Fixture::new();
    symlink(f.path().join("content"), f.path().join("c")).unwrap();
    for output in [
        "c/newdir",
        "content/../content/x",
        "static/out",
        "themes/default/x",
    ] {
        let out = f.herald(&["build", "--output", f.path().join(output).to_str().unwrap()]);
        assert_eq!(code(&out), 2, "{output}: {}", stderr(&out));
    }
    assert!(!f.path().join("content/newdir").exists());
    assert!(!Path::new(&f.path().join("content/x")).exists());
}

/// A site whose build must fail with exit 1 naming `file`, having read
/// nothing from outside (the secret never reaches the output).
fn assert_refused_read(f: &Fixture, file: &str) {
    let out = f.build();
    let err = stderr(&out);
    assert_eq!(code(&out), 1, "{file}: {err}");
    assert!(err.contains(file), "{file} not named: {err}");
    assert!(err.contains("outside the site"), "{err}");
    if f.path().join("public").exists() {
        for (path, bytes) in crate::common::tree(&f.path().join("public")) {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("TOP-SECRET"),
                "{path} holds the outside file"
            );
        }
    }
}

fn secret_dir() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("secret.csv"), "name,value\nTOP-SECRET,1\n").unwrap();
    std::fs::write(d.path().join("secret.yaml"), "title: TOP-SECRET\n").unwrap();
    std::fs::write(d.path().join("photo.png"), "TOP-SECRET").unwrap();
    std::fs::create_dir(d.path().join("templates")).unwrap();
    std::fs::write(d.path().join("templates/base.html"), "TOP-SECRET").unwrap();
    d
}

#[test]
fn links_out_of_the_site_are_never_read() {
    let secret = secret_dir();
    let s = secret.path();
    // A data file linked out (a template could publish it).
    let f = Fixture::new();
    std::fs::create_dir_all(f.path().join("data")).unwrap();
    symlink(s.join("secret.csv"), f.path().join("data/people.csv")).unwrap();
    assert_refused_read(&f, "data/people.csv");
    // A static file linked out.
    let f = Fixture::new();
    std::fs::create_dir_all(f.path().join("static")).unwrap();
    symlink(s.join("photo.png"), f.path().join("static/photo.png")).unwrap();
    assert_refused_read(&f, "static/photo.png");
    // Whole top-level folders linked out.
    for folder in ["static", "data", "templates"] {
        let f = Fixture::new();
        symlink(s, f.path().join(folder)).unwrap();
        assert_refused_read(&f, folder);
    }
    let f = Fixture::new();
    std::fs::rename(f.path().join("content"), f.path().join("content-real")).unwrap();
    symlink(s, f.path().join("content")).unwrap();
    assert_refused_read(&f, "content");
    // A theme linked out.
    let f = Fixture::new();
    std::fs::remove_dir_all(f.path().join("themes/default/templates")).unwrap();
    symlink(
        s.join("templates"),
        f.path().join("themes/default/templates"),
    )
    .unwrap();
    assert_refused_read(&f, "themes/default/templates");
    // A cover linked out.
    let f = Fixture::new();
    f.remove("content/publications/book/cover.svg");
    symlink(
        s.join("photo.png"),
        f.path().join("content/publications/book/cover.svg"),
    )
    .unwrap();
    assert_refused_read(&f, "content/publications/book/cover.svg");
}

#[test]
fn theme_and_language_take_plain_names_only() {
    let secret = secret_dir();
    for (key, value) in [
        ("theme", format!("{}", secret.path().display())),
        ("theme", "../../x".to_string()),
        ("language", "../../../secret".to_string()),
    ] {
        let f = Fixture::new();
        let yaml = crate::common::SITE_YAML.replace("language: zh-CN\n", "");
        f.write("site.yaml", &format!("{yaml}{key}: {value}\n"));
        let out = f.build();
        let err = stderr(&out);
        assert_eq!(code(&out), 1, "{err}");
        assert!(
            err.contains("site.yaml") && err.contains("plain name"),
            "{err}"
        );
        assert!(!f.path().join("public").exists());
    }
}

#[test]
fn a_planted_link_in_the_image_cache_is_not_published() {
    let secret = secret_dir();
    let f = Fixture::new();
    // A real PNG cover, 1000 px wide, so variants are made.
    let img = image::RgbImage::from_pixel(1000, 500, image::Rgb([200, 30, 30]));
    let path = f.path().join("content/publications/book/cover.png");
    img.save(&path).unwrap();
    f.write(
        "content/publications/book/index.md",
        "---\ntitle: 一本书\ncover: cover.png\ncover_alt: 封面\nformat: book\nfile: book.pdf\n---\n简介。\n",
    );
    assert_eq!(code(&f.build()), 0);
    let cache = f.path().join(".herald-cache/images");
    let variant = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with("-480.png"))
        .expect("a 480 px variant");
    std::fs::remove_file(&variant).unwrap();
    symlink(secret.path().join("photo.png"), &variant).unwrap();
    let out = f.build();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    for (path, bytes) in crate::common::tree(&f.path().join("public")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("TOP-SECRET"),
            "{path} holds the outside file"
        );
    }
    assert_eq!(
        std::fs::read(secret.path().join("photo.png")).unwrap(),
        b"TOP-SECRET"
    );
}

/// A site whose page has `n` identical headings.
fn duplicate_headings_site(n: usize) -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/news/a.md",
        &format!(
            "---\ntitle: 重复\ndate: 2024-05-01\n---\n{}",
            "## a\n\n".repeat(n)
        ),
    );
    f
}

fn build_time(f: &Fixture) -> std::time::Duration {
    let t = std::time::Instant::now();
    herald::build_to_memory(&herald::BuildOptions::new(f.path())).unwrap();
    t.elapsed()
}

/// Scaling, not speed: doubling the duplicates must not quadruple the time
/// (quadratic de-duplication took 15 s at 20,000 and 69 s at 40,000). The
/// two sizes take turns and the fastest of each counts, so other tests
/// running at the same time disturb both alike.
#[test]
fn duplicate_heading_ids_take_linear_time() {
    let (a, b) = (
        duplicate_headings_site(20_000),
        duplicate_headings_site(40_000),
    );
    let (mut small, mut big) = (std::time::Duration::MAX, std::time::Duration::MAX);
    for _ in 0..5 {
        small = small.min(build_time(&a));
        big = big.min(build_time(&b));
    }
    eprintln!("20,000 duplicates: {small:?}; 40,000: {big:?}");
    assert!(
        big < small * 3 + std::time::Duration::from_millis(100),
        "20,000: {small:?}, 40,000: {big:?}"
    );
}

#[test]
fn every_url_clash_is_an_error_naming_both_sources() {
    for (file, text, expected) in [
        (
            "content/search.md",
            "---\ntitle: 搜\n---\n搜。\n",
            "search page",
        ),
        (
            "content/tags.md",
            "---\ntitle: 标签\n---\n标签。\n",
            "list of tags",
        ),
        ("static/index.html", "<p>mine</p>", "home page"),
        (
            "static/news/a/index.html",
            "<p>mine</p>",
            "content/news/a.md",
        ),
    ] {
        let f = Fixture::new();
        f.write(file, text);
        for cmd in ["build", "check"] {
            let out = f.herald(&[cmd]);
            let err = stderr(&out);
            assert_eq!(code(&out), 1, "{cmd} {file}: {err}");
            assert!(
                err.contains("published twice") && err.contains(file) && err.contains(expected),
                "{cmd} {file}: {err}"
            );
        }
    }
}

#[test]
fn init_force_keeps_existing_files_and_new_refuses_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    let herald = env!("CARGO_BIN_EXE_herald");
    let run = |args: &[&str]| {
        std::process::Command::new(herald)
            .env("HERALD_LANG", "en")
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(
        code(&run(&["init", site.to_str().unwrap(), "--with-theme"])),
        0
    );
    std::fs::write(site.join("site.yaml"), "title: 我的\n").unwrap();
    let css = site.join("themes/default/static/style.css");
    std::fs::write(&css, "/* edited */").unwrap();
    std::fs::remove_file(site.join("content/about.md")).unwrap();
    assert_eq!(
        code(&run(&[
            "init",
            site.to_str().unwrap(),
            "--force",
            "--with-theme"
        ])),
        0
    );
    assert_eq!(
        std::fs::read_to_string(site.join("site.yaml")).unwrap(),
        "title: 我的\n"
    );
    assert_eq!(std::fs::read_to_string(&css).unwrap(), "/* edited */");
    assert!(
        site.join("content/about.md").is_file(),
        "missing files are added"
    );

    let f = Fixture::new();
    let out = f.herald(&["new", "news", "x\n---\ndraft: true"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(!f.path().join("content/news/x.md").exists());
    // A very long title still makes a file (the slug is capped).
    let out = f.herald(&["new", "news", &"很长的标题".repeat(60)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let long_tag = "很长的标签".repeat(12);
    f.write(
        "content/news/t.md",
        &format!("---\ntitle: 长标签\ndate: 2024-05-05\ntags: [{long_tag}]\n---\n文。\n"),
    );
    let out = f.build();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn init_and_new_never_write_through_a_link_out_of_the_site() {
    let herald = env!("CARGO_BIN_EXE_herald");
    let run = |args: &[&str]| {
        std::process::Command::new(herald)
            .env("HERALD_LANG", "en")
            .args(args)
            .output()
            .unwrap()
    };
    let victim = Victim::new();
    let before = std::fs::read_dir(&victim.path).unwrap().count();
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("s");
    std::fs::create_dir(&site).unwrap();
    symlink(&victim.path, site.join("content")).unwrap();
    let out = run(&["init", site.to_str().unwrap(), "--force"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the site"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(&victim.path).unwrap().count(), before);
    assert!(
        !site.join("site.yaml").exists(),
        "nothing is written on refusal"
    );
    victim.assert_intact();

    let f = Fixture::new();
    std::fs::remove_dir_all(f.path().join("content/news")).unwrap();
    symlink(&victim.path, f.path().join("content/news")).unwrap();
    let out = f.herald(&["new", "news", "标题"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&victim.path).unwrap().count(), before);
}

/// `herald new` writes only files it creates: a `cover.svg` link planted in
/// the new publication's folder is not followed (its target is untouched).
#[test]
fn new_never_writes_through_a_planted_cover_link() {
    let victim = Victim::new();
    let f = Fixture::new();
    std::fs::create_dir_all(f.path().join("content/publications/shu")).unwrap();
    symlink(
        victim.path.join("sentinel.txt"),
        f.path().join("content/publications/shu/cover.svg"),
    )
    .unwrap();
    let out = f.herald(&["new", "publications", "书"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(victim.path.join("sentinel.txt")).unwrap(),
        "precious"
    );
    victim.assert_intact();
}
