//! The default theme in a real browser: every page type of the example site
//! at phone and desktop sizes, in light and dark mode — no horizontal
//! overflow, no console errors, no request leaving 127.0.0.1, no serious or
//! critical axe-core violation, key elements visible — plus the Nu HTML
//! Checker over every generated page and the home page's weight.
//! Screenshots are saved under target/screenshots/.

use crate::common::*;
use std::path::PathBuf;

/// The page types, by path under the site.
const PAGES: [(&str, &str, &str); 20] = [
    ("home", "", ".board-nav"),
    ("article", "news/night-reading/", ".page-article h1"),
    ("article-board", "news/", ".cards"),
    ("lesson", "lessons/mediation-steps/", ".prevnext"),
    ("lesson-board", "lessons/", ".card-series"),
    ("code", "lessons/sorting-sign-ups/", "pre.code"),
    ("case", "cases/shared-toolbox/", ".case-card"),
    ("case-board", "cases/", ".cards"),
    (
        "publication",
        "publications/mobile-classroom-handbook/",
        ".publication-cover",
    ),
    ("publication-board", "publications/", ".gallery"),
    ("page", "about/", ".page-plain h1"),
    // The example's own kinds: a film (its own template) and a service
    // page (the page template, its fields in the facts list).
    ("film", "films/the-road-home/", ".film-poster img"),
    ("service", "guides/she-bao-ka/", ".kind-facts .fact-office"),
    // The example's English pages: the language switch leads back.
    ("english-home", "en/", ".lang-switch a[hreflang=\"zh-CN\"]"),
    (
        "english-article",
        "en/news/tea-livestream/",
        ".lang-switch a[rel=\"alternate\"]",
    ),
    ("leaderboard", "vanguard/", ".leaderboard"),
    ("taxonomy", "tags/", ".term-cloud"),
    ("term", "tags/xiang-cun-zhen-xing/", ".cards"),
    (
        "search",
        "search/?q=%E8%B0%83%E8%A7%A3",
        "#search-results li",
    ),
    ("404", "404.html", ".page-404"),
];

pub(crate) fn node_tool(rel: &str) -> Option<PathBuf> {
    let p = repo().join("tests/browser/node_modules").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "\n*** SKIPPED: {rel} is not installed; run `npm ci --prefix tests/browser` (the README's install step). ***\n"
        );
        None
    }
}

/// The example site built for `http://127.0.0.1:PORT/site/` and served
/// there: (its folder, the port, the base URL).
pub(crate) fn serve_example() -> (tempfile::TempDir, u16, String) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let base = format!("http://127.0.0.1:{port}/site/");
    let out = build_example(&base);
    assert_eq!(serve_dir_on(out.path(), port), port);
    (out, port, base)
}

/// axe-core's source, to evaluate in a page (`None`, with a notice, when
/// the npm tools are not installed).
pub(crate) fn axe_source() -> Option<String> {
    node_tool("axe-core/axe.min.js").map(|p| std::fs::read_to_string(p).unwrap())
}

pub(crate) fn build_example(base_url: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let build = crate::common::herald_cmd()
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out.path().join("site"))
        .args(["--base-url", base_url])
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", stderr(&build));
    out
}

#[test]
fn every_page_type_works_at_phone_and_desktop_sizes() {
    let Some(chromium) = chromium() else { return };
    let Some(axe_source) = axe_source() else {
        return;
    };
    let (_out, port, _) = serve_example();
    let shots = repo().join("target/screenshots");
    let mut b = Browser::open(&chromium, "about:blank");
    let mut failures = Vec::new();
    for (width, height) in [(390, 844), (1280, 800)] {
        b.viewport(width, height);
        for (name, path, key) in PAGES {
            for scheme in ["light", "dark"] {
                b.color_scheme(scheme);
                b.requests.clear();
                b.log.clear();
                let url = format!("http://127.0.0.1:{port}/site/{path}");
                b.goto(&url);
                if name == "search" {
                    b.wait_until(
                        10,
                        "document.querySelectorAll('#search-results li').length > 0",
                    );
                }
                let overflow = b.eval("document.documentElement.scrollWidth - window.innerWidth");
                if overflow.as_i64().unwrap_or(1) > 0 {
                    failures.push(format!(
                        "{name} {width}px: horizontal overflow of {overflow} px"
                    ));
                }
                let visible = b.eval(&format!(
                    "(() => {{ const e = document.querySelector({}); if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; }})()",
                    serde_json::Value::from(key)
                ));
                if visible != serde_json::Value::Bool(true) {
                    failures.push(format!("{name} {width}px: `{key}` is not visible"));
                }
                let nav = b.eval("(() => { const e = document.querySelector('.board-nav'); const r = e && e.getBoundingClientRect(); return !!r && r.width > 0 && r.height > 0; })()");
                if nav != serde_json::Value::Bool(true) {
                    failures.push(format!("{name} {width}px: board navigation not visible"));
                }
                for r in &b.requests {
                    if !r.starts_with(&format!("http://127.0.0.1:{port}/"))
                        && !r.starts_with("data:")
                    {
                        failures.push(format!("{name}: request leaves 127.0.0.1: {r}"));
                    }
                }
                let errors: Vec<String> = b
                    .log
                    .iter()
                    .filter(|l| !(name == "404" && l.contains("404")))
                    .cloned()
                    .collect();
                if !errors.is_empty() {
                    failures.push(format!("{name} {width}px: console errors {errors:?}"));
                }
                let violations = axe_violations(&mut b, &axe_source);
                if !violations.is_empty() {
                    failures.push(format!("{name} {width}px {scheme}: axe {violations:?}"));
                }
                b.screenshot(&shots.join(format!("{name}-{width}-{scheme}.png")));
            }
        }
    }
    // No horizontal scrolling anywhere from 360 to 1440 px.
    b.color_scheme("light");
    for width in [360, 768, 1024, 1440] {
        b.viewport(width, 800);
        for (name, path, _) in PAGES {
            b.goto(&format!("http://127.0.0.1:{port}/site/{path}"));
            let overflow = b.eval("document.documentElement.scrollWidth - window.innerWidth");
            if overflow.as_i64().unwrap_or(1) > 0 {
                failures.push(format!(
                    "{name} {width}px: horizontal overflow of {overflow} px"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn generated_html_passes_the_nu_html_checker() {
    let out = build_example("https://example.org/portal/");
    if let Some(report) = nu_findings(&out.path().join("site")) {
        assert!(report.is_empty(), "Nu HTML Checker findings:\n{report}");
    }
}

/// The Nu HTML Checker's findings over every page under `dir` (errors,
/// warnings and remarks alike; empty when there are none), or `None`, with
/// a notice, when the checker or Java is not installed.
pub(crate) fn nu_findings(dir: &std::path::Path) -> Option<String> {
    let jar = node_tool("vnu-jar/build/dist/vnu.jar")?;
    let check = std::process::Command::new("java")
        .args(["-jar"])
        .arg(jar)
        .args(["--skip-non-html"])
        .arg(dir)
        .output();
    let Ok(check) = check else {
        eprintln!(
            "\n*** SKIPPED: java is not installed (apt-get install -y default-jre-headless) ***\n"
        );
        return None;
    };
    let report = format!("{}{}", stdout(&check), stderr(&check));
    if !check.status.success() && report.trim().is_empty() {
        return Some(format!("the checker failed: {:?}", check.status));
    }
    Some(report.trim().to_string())
}

/// axe-core with every rule over the page open in `b`: its violations.
pub(crate) fn axe_violations(b: &mut Browser, axe_source: &str) -> Vec<String> {
    b.eval(axe_source);
    let found = b.eval_async(
        "axe.run(document, { resultTypes: ['violations'] }).then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))",
    );
    match found.as_array() {
        Some(list) => list.iter().map(|v| v.to_string()).collect(),
        None => vec![format!("axe did not run: {found}")],
    }
}

#[test]
fn home_page_is_light() {
    let out = build_example("https://example.org/portal/");
    let site = out.path().join("site");
    let html = std::fs::read(site.join("index.html")).unwrap();
    let text = String::from_utf8_lossy(&html);
    let mut total = html.len();
    for asset in ["style.css", "syntax.css", "search.js"] {
        if text.contains(&format!("/portal/{asset}")) {
            total += std::fs::metadata(site.join(asset)).unwrap().len() as usize;
        }
    }
    assert!(
        !text.contains("<script src"),
        "the home page loads no script"
    );
    eprintln!("home page HTML+CSS+JS: {total} bytes");
    assert!(total < 60 * 1024, "home page weighs {total} bytes");
}

#[test]
fn the_qr_code_shows_at_a_desk_only() {
    let Some(chromium) = chromium() else { return };
    let (_out, _, base) = serve_example();
    let mut b = Browser::open(&chromium, "about:blank");
    let shown = "(() => { const e = document.querySelector('.qr svg'); if (!e) return 'none'; const r = e.getBoundingClientRect(); return r.width > 0 ? e.getAttribute('aria-label') : 'hidden'; })()";
    let page = format!("{base}news/night-reading/");
    b.viewport(1280, 800);
    b.goto(&page);
    assert_eq!(
        b.eval(shown),
        serde_json::json!(format!("本页二维码：{page}"))
    );
    b.screenshot(&repo().join("target/screenshots/qr-article-1280.png"));
    // Printed, or on a phone (already where the code would take the reader).
    b.call(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "print" }),
    );
    assert_eq!(b.eval(shown), serde_json::json!("hidden"));
    b.call(
        "Emulation.setEmulatedMedia",
        serde_json::json!({ "media": "" }),
    );
    b.viewport(390, 844);
    b.goto(&page);
    assert_eq!(b.eval(shown), serde_json::json!("hidden"));
    // Not on plain pages, boards or the home page.
    b.viewport(1280, 800);
    for path in ["about/", "news/", ""] {
        b.goto(&format!("{base}{path}"));
        assert_eq!(b.eval(shown), serde_json::json!("none"), "{path}");
    }
}

#[test]
fn the_themes_words_follow_the_site_and_its_language() {
    let f = Fixture::new();
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write(
        "site.yaml",
        &yaml.replace("taxonomies: [tags]", "taxonomies: [tags, { name: topics }]"),
    );
    // A case whose card fields are blank, with no body.
    f.write(
        "content/cases/x.md",
        "---\ntitle: 一个案例\nsubject: \"\"\nlocation: \" \"\n---\n",
    );
    // Headings two deep; a download of a spreadsheet.
    f.write(
        "content/news/c.md",
        "---\ntitle: Third\ndate: 2024-05-03\n---\n## 一\n\n### 一之一\n\n### 一之二\n\n## 二\n\n{{ download(file=\"t.csv\") }}\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n",
    );
    f.write("content/news/t.csv", "a,b\n1,2\n");
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));

    // The tags page is titled in the site's language, like the footer's link;
    // `topics`, which no page uses, has neither page nor link.
    let tags = f.read_output("tags/index.html");
    assert!(
        tags.contains("<h1>标签</h1>") && tags.contains("<title>标签 · "),
        "{tags}"
    );
    assert!(!f.output_exists("topics/index.html"));
    let home = f.read_output("index.html");
    assert_eq!(home.matches(">标签</a>").count(), 1, "{home}");
    assert!(!home.contains("topics/"));
    // "更多要闻", not "更多 要闻"; the header's placeholder names no boards,
    // the search page's names the site's own.
    assert!(home.contains(">更多要闻 →</a>"), "{home}");
    assert!(home.contains("placeholder=\"搜索本站……\""));
    assert!(
        f.read_output("search/index.html")
            .contains("placeholder=\"搜索要闻、微课、案例……\"")
    );
    // No empty case card, no reading time for a page without words.
    let case = f.read_output("cases/x/index.html");
    assert!(!case.contains("case-card"), "{case}");
    assert!(!case.contains("分钟读完"), "{case}");
    // An h3 is numbered under its h2, not as the next top-level item.
    let c = f.read_output("news/c/index.html");
    assert!(
        c.contains("<li><a href=\"#一\">一</a><ol><li><a href=\"#一之一\">一之一</a></li><li><a href=\"#一之二\">一之二</a></li></ol></li><li><a href=\"#二\">二</a></li>"),
        "{c}"
    );
    // File kinds in the site's language.
    assert!(c.contains("表格 · 8 B"), "{c}");
    // What scrolls sideways is a focusable group named in it too.
    assert!(
        c.contains("<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"表格\">"),
        "{c}"
    );
    assert!(
        c.contains("tabindex=\"0\" role=\"group\" aria-label=\"代码 rust\">"),
        "{c}"
    );
}

#[test]
fn the_home_page_shows_its_lead_story_once_and_lessons_have_contents() {
    let f = Fixture::new();
    f.write(
        "content/lessons/one.md",
        &format!(
            "{}\n## 一\n\n## 二\n\n## 三\n",
            std::fs::read_to_string(f.path().join("content/lessons/one.md")).unwrap()
        ),
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let home = f.read_output("index.html");
    let lead = home.split("id=\"lead-title\"><a href=\"").nth(1).unwrap();
    let lead = &lead[..lead.find('"').unwrap()];
    assert_eq!(
        home.matches(&format!("class=\"card-title\"><a href=\"{lead}\""))
            .count(),
        0,
        "{lead} is shown again as a card"
    );
    // The board's other pages are still listed.
    assert!(home.matches("class=\"card-title\"").count() >= 2, "{home}");
    let lesson = f.read_output("lessons/one/index.html");
    assert!(lesson.contains("<nav class=\"toc\""), "{lesson}");
}

#[test]
fn readers_can_enlarge_the_text_and_raise_the_contrast() {
    let Some(chromium) = chromium() else { return };
    let Some(axe_source) = axe_source() else {
        return;
    };
    let (_out, _, base) = serve_example();
    let shots = repo().join("target/screenshots");
    let mut b = Browser::open(&chromium, "about:blank");
    let num = |v: serde_json::Value| v.as_f64().unwrap_or(0.0);
    let article = format!("{base}news/night-reading/");
    b.viewport(390, 844);
    b.goto(&article);
    // On a phone, search is a link to the search page, a full-size target.
    let link = "(() => { const r = document.querySelector('.search-link').getBoundingClientRect(); return Math.min(r.width, r.height); })()";
    assert!(num(b.eval(link)) >= 44.0);
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('.site-header .search-box')).display"),
        serde_json::json!("none")
    );
    let text_px = "parseFloat(getComputedStyle(document.querySelector('.prose p')).fontSize)";
    let standard = num(b.eval(text_px));
    b.eval("document.querySelector('[data-tool=text]').click()");
    assert_eq!(
        b.eval("document.documentElement.dataset.text"),
        serde_json::json!("large")
    );
    assert!(num(b.eval(text_px)) > standard);
    assert!(num(b.eval("parseFloat(getComputedStyle(document.body).fontSize)")) >= 18.0);
    assert_eq!(
        b.eval("document.querySelector('[data-tool=text]').getAttribute('aria-label')"),
        serde_json::json!("字号：大")
    );
    // Every board link is a 44 px target.
    let smallest = "Math.min(...[...document.querySelectorAll('.board-nav a, .header-tools .tool')].map(a => a.getBoundingClientRect().height))";
    assert!(num(b.eval(smallest)) >= 44.0, "{}", b.eval(smallest));
    // Kept across pages and visits.
    b.goto(&format!("{base}lessons/mediation-steps/"));
    assert_eq!(
        b.eval("document.documentElement.dataset.text"),
        serde_json::json!("large")
    );
    b.eval("document.querySelector('[data-tool=text]').click()");
    assert_eq!(
        b.eval("document.documentElement.dataset.text"),
        serde_json::json!("larger")
    );
    b.eval("document.querySelector('[data-tool=contrast]').click()");
    assert_eq!(
        b.eval("document.documentElement.dataset.contrast + ' ' + document.querySelector('[data-tool=contrast]').getAttribute('aria-pressed')"),
        serde_json::json!("more true")
    );
    // Every page type with large or larger text, with and without high
    // contrast, on every width a phone or a 200 % zoom gives (1280 px at
    // 200 % lays out at 640), light and dark: no sideways scrolling, no axe
    // violation. A screenshot of each.
    let mut failures = Vec::new();
    for (width, scheme, text, contrast) in [
        (390, "light", "large", ""),
        (390, "dark", "larger", "more"),
        (640, "light", "larger", ""),
        (1280, "light", "large", "more"),
        (1280, "dark", "larger", ""),
    ] {
        b.viewport(width, 844);
        b.color_scheme(scheme);
        b.eval(&format!(
            "localStorage.setItem('herald-text', '{text}'); localStorage.setItem('herald-contrast', '{contrast}')"
        ));
        for (name, path, _) in PAGES {
            b.goto(&format!("{base}{path}"));
            if name == "search" {
                b.wait_until(
                    10,
                    "document.querySelectorAll('#search-results li').length > 0",
                );
            }
            let mode = format!(
                "{width}-{scheme}-{text}{}",
                if contrast.is_empty() { "" } else { "-contrast" }
            );
            let overflow = b.eval("document.documentElement.scrollWidth - window.innerWidth");
            if num(overflow.clone()) > 0.0 {
                failures.push(format!("{name} {mode}: overflow {overflow}"));
            }
            let violations = axe_violations(&mut b, &axe_source);
            if !violations.is_empty() {
                failures.push(format!("{name} {mode}: axe {violations:?}"));
            }
            b.screenshot(&shots.join(format!("{name}-{mode}.png")));
        }
    }
    b.eval("localStorage.setItem('herald-text', 'larger'); localStorage.setItem('herald-contrast', 'more')");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Back to the standard size: the third step wraps around.
    b.eval("document.querySelector('[data-tool=text]').click()");
    b.goto(&article);
    assert_eq!(
        b.eval("document.documentElement.dataset.text || ''"),
        serde_json::json!("")
    );
}

#[test]
fn the_sites_emblem_stands_beside_its_title() {
    let f = Fixture::new();
    f.write("static/emblem.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><circle cx=\"4\" cy=\"4\" r=\"4\"/></svg>");
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write("site.yaml", &format!("{yaml}logo: emblem.svg\n"));
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let home = f.read_output("index.html");
    // Decorative beside the title's text (alt=""), cache-busted like every asset.
    assert!(
        home.contains("<a class=\"site-title\" href=\"/portal/\"><img class=\"site-logo\" src=\"/portal/emblem.svg?v="),
        "{home}"
    );
    assert!(home.contains("alt=\"\" width=\"32\" height=\"32\">测试站</a>"));
}
