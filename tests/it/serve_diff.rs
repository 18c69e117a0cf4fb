//! The dev server always equals a full build: a seeded random sequence of
//! edits — page text, every kind of front-matter change (title, date,
//! tags, series and order, draft, summary, aliases, slug), new, deleted and
//! renamed pages, broken pages, templates, UI strings, data files and a
//! stylesheet — made
//! on disk and picked up by the watcher; after every step the served files
//! equal a fresh build byte for byte, and every quick path was taken.

use crate::common::*;
use crate::serve::{serve_recording, set_body, wait_for};
use herald::serve::UpdateKind;
use std::sync::{Arc, Mutex};

/// SplitMix64 for the random edit sequence.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Replaces (or adds) the front-matter line `name: …` of `rel`.
fn set_field(f: &Fixture, rel: &str, name: &str, value: Option<&str>) {
    let path = f.path().join(rel);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return;
    };
    let Some(end) = text.get(4..).and_then(|t| t.find("\n---\n")) else {
        return;
    };
    let (front, body) = (&text[4..4 + end], &text[4 + end..]);
    let prefix = format!("{name}:");
    let mut lines: Vec<String> = front
        .lines()
        .filter(|l| !l.starts_with(&prefix))
        .map(str::to_string)
        .collect();
    if let Some(v) = value {
        lines.push(format!("{name}: {v}"));
    }
    f.write(rel, &format!("---\n{}{body}", lines.join("\n")));
}

const BODIES: [&str; 8] = [
    "换了一段正文。\n",
    "摘要在前。\n\n<!-- more -->\n\n后面的内容。\n",
    "```rust\nfn main() {}\n```\n\n代码之后。\n",
    "见 [细节](@/about.md#细节) 和 [第一课](@/lessons/one.md)。\n",
    "## 新的小节\n\n有了新锚点。\n",
    "Plain English text, reading and searching.\n",
    "",
    "看 [第二课](../lessons/two.md) 和 [A](/news/a/)。\n",
];

#[test]
fn served_site_equals_a_fresh_build_after_random_edits() {
    let f = Fixture::new();
    // A data file shown by a shortcode, and a site override of UI strings.
    f.write(
        "data/scores.csv",
        "name,unit,points\n张三,一队,10\n李四,二队,8\n",
    );
    f.write(
        "content/scores.md",
        "---\ntitle: 积分榜\n---\n{{ leaderboard(source=\"scores\") }}\n",
    );
    f.write("i18n/zh-CN.yaml", "read_more: 阅读全文\n");
    let kinds = Arc::new(Mutex::new(Vec::new()));
    let r = serve_recording(&f, kinds.clone());
    let mut rng = Rng(20261206);
    let fixed = [
        "content/lessons/one.md",
        "content/lessons/two.md",
        "content/cases/x.md",
        "content/publications/book/index.md",
    ];
    // Linked from pages (with an anchor): never broken by the edits. The
    // fixture's link to an anchor of news/b.md (whose body the edits
    // replace) points there instead.
    f.write(
        "content/about.md",
        "---\ntitle: 关于\n---\n## 细节\n\n关于本站。\n",
    );
    set_body(&f, "content/news/a.md", "见 [细节](@/about.md#细节)。\n");
    let mut pages: Vec<String> = vec!["a".into(), "b".into(), "c".into()];
    let opts = {
        let mut o = r.state.build_options().clone();
        o.base_url = Some(format!("http://127.0.0.1:{}/portal/", r.addr.port()));
        o
    };
    let mut broken_since = None;
    let mut counter = 0;
    for step in 0..90 {
        counter += 1;
        // A broken page is fixed two steps later, so most steps start from
        // a good build.
        if broken_since.is_some_and(|s| s + 2 <= step) {
            f.write(
                "content/news/broken.md",
                &format!("---\ntitle: 修好 {counter}\n---\n"),
            );
            broken_since = None;
        }
        let news = |rng: &mut Rng, pages: &[String]| {
            format!("content/news/{}.md", pages[rng.below(pages.len())])
        };
        let any = |rng: &mut Rng, pages: &[String]| {
            let i = rng.below(pages.len() + fixed.len());
            if i < pages.len() {
                format!("content/news/{}.md", pages[i])
            } else {
                fixed[i - pages.len()].to_string()
            }
        };
        // Theme edits (16 to 18) twice as likely as each other kind.
        let choice = match rng.below(23) {
            n @ 20..=22 => n - 4,
            n => n,
        };
        match choice {
            0..=3 => {
                let rel = any(&mut rng, &pages);
                let body = BODIES[rng.below(BODIES.len())];
                set_body(&f, &rel, &format!("{body}{counter}\n"));
            }
            4 => {
                let rel = any(&mut rng, &pages);
                set_field(&f, &rel, "title", Some(&format!("新标题 {counter}")));
            }
            5 => {
                // Moves the page within its board.
                let rel = news(&mut rng, &pages);
                let date = format!("2024-0{}-{:02}", 1 + counter % 9, 1 + counter % 28);
                set_field(&f, &rel, "date", Some(&date));
            }
            6 => {
                let rel = any(&mut rng, &pages);
                let tags = ["[甲]", "[甲, 乙]", "[乙]", "[]"][rng.below(4)];
                set_field(&f, &rel, "tags", Some(tags));
            }
            7 => {
                // Lesson order and series: reorders or splits the course.
                // Odd orders for one, even for two: never the same.
                let i = rng.below(2);
                let order = 1 + i + 2 * rng.below(3);
                set_field(&f, fixed[i], "order", Some(&order.to_string()));
                let series = ["入门", "进阶"][rng.below(2)];
                set_field(&f, fixed[i], "series", Some(series));
            }
            8 => {
                let rel = news(&mut rng, &pages);
                let draft = if rng.below(2) == 0 {
                    Some("true")
                } else {
                    None
                };
                set_field(&f, &rel, "draft", draft);
            }
            9 => {
                let rel = any(&mut rng, &pages);
                let summary = format!("手写的摘要 {counter}");
                let v = (rng.below(2) == 0).then_some(summary.as_str());
                set_field(&f, &rel, "summary", v);
            }
            10 => {
                let rel = news(&mut rng, &pages);
                let alias = format!("[/old/{counter}/]");
                let v = (rng.below(2) == 0).then_some(alias.as_str());
                set_field(&f, &rel, "aliases", v);
            }
            11 => {
                let rel = news(&mut rng, &pages);
                let slug = format!("slug-{counter}");
                let v = (rng.below(2) == 0).then_some(slug.as_str());
                set_field(&f, &rel, "slug", v);
            }
            12 => {
                let name = format!("n{counter}");
                f.write(
                    &format!("content/news/{name}.md"),
                    &format!(
                        "---\ntitle: 新页 {counter}\ndate: 2024-06-{:02}\ntags: [甲]\n---\n正文 {counter}。\n",
                        1 + counter % 28
                    ),
                );
                pages.push(name);
            }
            13 if pages.len() > 1 => {
                let i = rng.below(pages.len());
                let old = pages[i].clone();
                let new = format!("r{counter}");
                let _ = std::fs::rename(
                    f.path().join(format!("content/news/{old}.md")),
                    f.path().join(format!("content/news/{new}.md")),
                );
                pages[i] = new;
            }
            14 if pages.len() > 2 => {
                let i = rng.below(pages.len());
                let p = pages.remove(i);
                let _ = std::fs::remove_file(f.path().join(format!("content/news/{p}.md")));
            }
            15 => {
                f.write("content/news/broken.md", "---\ntitle: [unclosed\n---\n");
                broken_since.get_or_insert(step);
            }
            16 => {
                // A kind template, the base every page extends, or a
                // partial some include (a comment inside what they show).
                let (name, mark) = [
                    ("article.html", "{% block main %}"),
                    ("base.html", "<body>"),
                    ("partials/tags.html", "<ul class=\"tags\""),
                ][rng.below(3)];
                let rel = format!("themes/default/templates/{name}");
                let base = std::fs::read_to_string(repo().join(&rel)).unwrap();
                let marked = match name {
                    "article.html" => format!("{mark}<!-- {counter} -->"),
                    _ => format!("<!-- {counter} -->{mark}"),
                };
                f.write(&rel, &base.replacen(mark, &marked, 1));
            }
            17 => f.write(
                "data/scores.csv",
                &format!("name,unit,points\n张三,一队,{counter}\n李四,二队,8\n"),
            ),
            18 => f.write(
                "i18n/zh-CN.yaml",
                &format!("read_more: 阅读全文 {counter}\nlatest: 最新 {counter}\n"),
            ),
            _ => {
                // A stylesheet: its fingerprint changes in every page.
                let rel = "themes/default/static/style.css";
                let base = std::fs::read_to_string(repo().join(rel)).unwrap();
                f.write(rel, &format!("{base}\n.edit-{counter} {{ color: red; }}\n"));
            }
        }
        // Wait until the server has caught up with the files on disk.
        let expected = herald::build_to_memory(&opts);
        wait_for(
            10,
            &format!("step {step} to be served"),
            || match &expected {
                Ok((files, _)) => {
                    let served = r.state.snapshot();
                    r.state.errors().is_empty()
                        && served.files.len() == files.len()
                        && served.files.iter().zip(files).all(|((a, _), (b, y))| {
                            a == b && served.file(a).as_deref() == Some(&y[..])
                        })
                }
                Err(_) => !r.state.errors().is_empty(),
            },
        );
    }
    let kinds = kinds.lock().unwrap().clone();
    let count = |k: UpdateKind| kinds.iter().filter(|x| **x == k).count();
    let (text, pages, templates) = (
        count(UpdateKind::Text),
        count(UpdateKind::Pages),
        count(UpdateKind::Templates),
    );
    let full = count(UpdateKind::Full);
    let styles = count(UpdateKind::Styles);
    eprintln!(
        "rebuilds: {text} text, {pages} pages, {templates} templates, {styles} styles, {full} full"
    );
    assert!(
        text >= 8 && pages >= 25 && templates >= 10 && styles >= 1,
        "quick paths hardly taken: {text} text, {pages} pages, {templates} templates, {styles} styles, {full} full"
    );
}

/// The quick paths read only what a build reads: a page linked from
/// outside the site is refused (the build's error shows) and never served,
/// and a page under a name builds skip (`.hidden/`) is not published.
#[test]
fn quick_paths_read_only_what_a_build_reads() {
    let f = Fixture::new();
    let r = serve_recording(&f, Arc::default());
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("page.md");
    std::fs::write(&secret, "---\ntitle: 外面\n---\nSECRET-OUTSIDE\n").unwrap();
    std::os::unix::fs::symlink(&secret, f.path().join("content/news/evil.md")).unwrap();
    wait_for(10, "the link out of the site to be refused", || {
        !r.state.errors().is_empty()
    });
    let shows = |needle: &str| {
        r.state
            .snapshot()
            .files
            .values()
            .any(|v| String::from_utf8_lossy(&v.bytes()).contains(needle))
    };
    assert!(
        !shows("SECRET-OUTSIDE"),
        "a file outside the site was served"
    );
    std::fs::remove_file(f.path().join("content/news/evil.md")).unwrap();
    wait_for(10, "the site to build again", || {
        r.state.errors().is_empty()
    });

    let opts = {
        let mut o = r.state.build_options().clone();
        o.base_url = Some(format!("http://127.0.0.1:{}/portal/", r.addr.port()));
        o
    };
    let served_as_built = || {
        let (expected, _) = herald::build_to_memory(&opts).unwrap();
        wait_for(10, "the edit to be served as a build makes it", || {
            let served = r.state.snapshot();
            served.files.len() == expected.len()
                && served
                    .files
                    .iter()
                    .zip(&expected)
                    .all(|((a, x), (b, y))| a == b && x.bytes()[..] == y[..])
        });
    };
    // The folder first (a new folder takes the full path), then a page in it.
    f.write("content/.hidden/notes.txt", "x");
    served_as_built();
    f.write("content/.hidden/x.md", "---\ntitle: 藏\n---\nHIDDEN-TEXT\n");
    f.write(
        "content/news/c.md",
        "---\ntitle: 第三篇\ndate: 2024-05-03\n---\n改过。\n",
    );
    served_as_built();
    assert!(!shows("HIDDEN-TEXT"));
}

/// A page and the stylesheet saved at once: the pages' outputs made before
/// the stylesheet changed are served with its new fingerprint.
#[test]
fn a_page_and_the_stylesheet_saved_together_serve_as_a_fresh_build() {
    let f = Fixture::new();
    let kinds = Arc::new(Mutex::new(Vec::new()));
    let r = serve_recording(&f, kinds.clone());
    let opts = {
        let mut o = r.state.build_options().clone();
        o.base_url = Some(format!("http://127.0.0.1:{}/portal/", r.addr.port()));
        o
    };
    let rel = "themes/default/static/style.css";
    let css = std::fs::read_to_string(repo().join(rel)).unwrap();
    kinds.lock().unwrap().clear();
    set_field(&f, "content/news/a.md", "title", Some("一起保存"));
    f.write(rel, &format!("{css}\n.together {{ color: red; }}\n"));
    let (expected, _) = herald::build_to_memory(&opts).expect("builds");
    wait_for(10, "both edits to be served", || {
        let served = r.state.snapshot();
        served.files.len() == expected.len()
            && served
                .files
                .iter()
                .zip(&expected)
                .all(|((a, _), (b, y))| a == b && served.file(a).as_deref() == Some(&y[..]))
    });
    let kinds = kinds.lock().unwrap().clone();
    assert!(!kinds.contains(&UpdateKind::Full), "{kinds:?}");
}

/// A kind's own template added, edited and removed while serving, and a
/// field of a site's kind edited: each served as a fresh build would be
/// (a removed `service.html` sends the guides back to `page.html`), by the
/// quick paths.
#[test]
fn a_kinds_template_and_fields_serve_as_a_fresh_build() {
    let f = Fixture::from("kinds");
    let kinds = Arc::new(Mutex::new(Vec::new()));
    let r = serve_recording(&f, kinds.clone());
    let opts = {
        let mut o = r.state.build_options().clone();
        o.base_url = Some(format!("http://127.0.0.1:{}/", r.addr.port()));
        o
    };
    let same = |what: &str| served_as_built(&r, &opts, what);
    kinds.lock().unwrap().clear();
    let service = "{% extends \"page.html\" %}{% block main %}<h1 class=\"service\">{{ page.title }}: {{ page.fields.office }}</h1>{% endblock main %}";
    f.write("templates/service.html", service);
    same("service.html added");
    let guide = r.state.snapshot().file("guides/card/index.html").unwrap();
    assert!(
        String::from_utf8_lossy(&guide).contains("<h1 class=\"service\">社保卡: 政务服务中心</h1>")
    );
    f.write(
        "templates/service.html",
        &service.replace("h1 class", "h2 class"),
    );
    same("service.html edited");
    f.remove("templates/service.html");
    same("service.html removed");
    set_field(&f, "content/guides/card.md", "office", Some("便民服务中心"));
    same("a field edited");
    set_field(&f, "content/films/harvest/index.md", "duration", Some("30"));
    same("a film's duration edited");
    let kinds = kinds.lock().unwrap().clone();
    assert!(!kinds.contains(&UpdateKind::Full), "{kinds:?}");
}

/// A site in two languages, served: an edit of a translation, of an
/// original, a new translation and a template edit each serve as a fresh
/// build would (the whole site is built again).
#[test]
fn a_site_in_two_languages_serves_as_a_fresh_build() {
    let f = Fixture::from("languages");
    let kinds = Arc::new(Mutex::new(Vec::new()));
    let r = serve_recording(&f, kinds.clone());
    let opts = {
        let mut o = r.state.build_options().clone();
        o.base_url = Some(format!("http://127.0.0.1:{}/portal/", r.addr.port()));
        o
    };
    let same = |what: &str| served_as_built(&r, &opts, what);
    same("the first build");
    assert!(r.state.snapshot().file("en/about/index.html").is_some());
    set_field(&f, "content/about.en.md", "title", Some("About us"));
    same("a translation edited");
    set_field(&f, "content/news/a.md", "title", Some("要闻甲（改）"));
    same("an original edited");
    f.write(
        "content/news/b.en.md",
        "---\ntitle: News B\ndate: 2026-11-02\n---\nNow in English.\n",
    );
    same("a new translation");
    assert!(r.state.snapshot().file("en/news/b/index.html").is_some());
    f.remove("content/news/b.en.md");
    same("a translation deleted");
    assert!(r.state.snapshot().file("en/news/b/index.html").is_none());
}

/// Waits until `r` serves without errors what a fresh build with `opts`
/// makes, file for file.
fn served_as_built(r: &herald::serve::Running, opts: &herald::BuildOptions, what: &str) {
    let (expected, _) = herald::build_to_memory(opts).expect("builds");
    wait_for(10, what, || {
        let served = r.state.snapshot();
        r.state.errors().is_empty()
            && served.files.len() == expected.len()
            && served
                .files
                .iter()
                .zip(&expected)
                .all(|((a, _), (b, y))| a == b && served.file(a).as_deref() == Some(&y[..]))
    });
}
