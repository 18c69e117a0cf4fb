//! The default theme's reading layout in a real browser: a long lesson
//! series with its chapters in a side rail on a desk and in folded panels
//! on a phone, long code and a wide table; the home page's first phone
//! screen; study materials on paper. Screenshots go to target/screenshots/.

use crate::common::*;
use crate::theme::{axe_source, axe_violations, nu_findings, serve_example};

/// A fixture site with one 63-lesson series (each lesson with contents,
/// lesson 53 with 70 lines of code and a 12-column table), built for
/// `http://127.0.0.1:PORT/site/` and served there: (fixture, output
/// folder, base URL).
fn long_series() -> (Fixture, tempfile::TempDir, String) {
    let f = Fixture::new();
    let code: String = (1..=70)
        .map(|i| format!("    let value_{i} = compute(\"第 {i} 行\", {i}) * factor; // 说明 {i}\n"))
        .collect();
    let header: String = (1..=12).map(|i| format!("| 第{i}列 ")).collect();
    let rule = "| --- ".repeat(12);
    let row: String = (1..=12)
        .map(|i| format!("| 数值{i}号很长的单元格 "))
        .collect();
    for i in 1..=63 {
        let extra = if i == 53 {
            format!(
                "\n## 代码\n\n```rust\nfn main() {{\n{code}}}\n```\n\n## 表格\n\n{header}|\n{rule}|\n{row}|\n"
            )
        } else {
            String::new()
        };
        f.write(
            &format!("content/lessons/l{i:02}.md"),
            &format!(
                "---\ntitle: 第{i}课的标题\nseries: 长课\norder: {i}\nduration: 5\n---\n## 一\n\n文字。\n\n## 二\n\n文字。\n\n## 三\n\n文字。\n{extra}"
            ),
        );
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let base = format!("http://127.0.0.1:{port}/site/");
    let out = tempfile::tempdir().unwrap();
    let build = f.herald(&[
        "build",
        "--output",
        out.path().join("site").to_str().unwrap(),
        "--base-url",
        &base,
    ]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert_eq!(serve_dir_on(out.path(), port), port);
    (f, out, base)
}

#[test]
fn a_long_series_reads_with_its_chapters_beside_the_text_or_folded_on_a_phone() {
    let Some(chromium) = chromium() else { return };
    let Some(axe_source) = axe_source() else {
        return;
    };
    let (_f, out, base) = long_series();
    if let Some(report) = nu_findings(&out.path().join("site")) {
        assert!(report.is_empty(), "Nu HTML Checker findings:\n{report}");
    }
    let shots = repo().join("target/screenshots");
    let mut b = Browser::open(&chromium, "about:blank");
    let num = |v: serde_json::Value| v.as_f64().unwrap_or(-1.0);
    let lesson = |i: u32| format!("{base}lessons/l{i:02}/");

    // At a desk: the chapters and contents open in a rail beside the text.
    b.viewport(1280, 800);
    b.goto(&lesson(1));
    b.goto(&lesson(2));
    b.goto(&lesson(53));
    assert_eq!(
        b.eval("[...document.querySelectorAll('.rail details')].map(d => d.open)"),
        serde_json::json!([true, true])
    );
    assert_eq!(
        b.eval("document.querySelectorAll('.chapter-list li').length"),
        serde_json::json!(63)
    );
    assert_eq!(
        b.eval("(() => { const a = document.querySelector('.chapter-list [aria-current=page]'); return a.textContent + ' ' + a.parentNode.value; })()"),
        serde_json::json!("第53课的标题 53")
    );
    assert_eq!(
        b.eval("document.querySelector('.chapter-list .next').textContent"),
        serde_json::json!("第54课的标题 下一课")
    );
    assert_eq!(
        b.eval("document.querySelector('.chapters progress').value + '/' + document.querySelector('.chapters progress').max"),
        serde_json::json!("53/63")
    );
    // The lessons this reader opened are marked read, for screen readers too.
    assert_eq!(
        b.eval("[...document.querySelectorAll('.chapter-list .done')].map(li => li.value)"),
        serde_json::json!([1, 2])
    );
    assert_eq!(
        b.eval("document.querySelector('.chapter-list .done a').textContent"),
        serde_json::json!("第1课的标题（已学）")
    );
    // The reading column and its rail are centred together; the rail stays
    // in view while the text scrolls under it.
    let sides = b.eval("(() => { const r = document.querySelector('.page').getBoundingClientRect(); return [r.left, window.innerWidth - r.right]; })()");
    let (left, right) = (num(sides[0].clone()), num(sides[1].clone()));
    assert!((left - right).abs() < 20.0 && left > 100.0, "{sides}");
    let rail = "(() => { const r = document.querySelector('.rail').getBoundingClientRect(); return r.left > document.querySelector('.prose').getBoundingClientRect().right && r.top >= 0 && r.top < 100; })()";
    b.eval("(() => { const r = document.querySelector('.prose').getBoundingClientRect(); window.scrollTo(0, r.top + r.height / 2 - 400); })()");
    assert!(num(b.eval("window.scrollY")) > 600.0);
    assert_eq!(b.eval(rail), serde_json::json!(true), "{}", b.eval("JSON.stringify([document.querySelector('.rail').getBoundingClientRect(), document.querySelector('.prose').getBoundingClientRect(), window.scrollY, getComputedStyle(document.querySelector('.rail')).position])"));
    b.eval("window.scrollTo(0, 0)");

    // On a phone: folded panels of 44 px under the title, which is on the
    // first screen; a tap opens one.
    b.viewport(390, 844);
    b.goto(&lesson(53));
    assert_eq!(
        b.eval("[...document.querySelectorAll('.rail details')].map(d => d.open)"),
        serde_json::json!([false, false])
    );
    assert!(num(b.eval("Math.min(...[...document.querySelectorAll('.rail summary')].map(s => s.getBoundingClientRect().height))")) >= 44.0);
    assert!(num(b.eval("document.querySelector('.rail').getBoundingClientRect().bottom")) < 844.0);
    b.eval("document.querySelector('.chapters summary').click()");
    assert_eq!(
        b.eval("document.querySelector('.chapters').open && document.querySelector('.chapter-list [aria-current]').getBoundingClientRect().height > 0"),
        serde_json::json!(true)
    );

    // Long code and a wide table fade at the edge with more to see.
    b.goto(&lesson(53));
    assert_eq!(
        b.eval("[...document.querySelectorAll('.prose pre, .prose .table-wrap')].map(e => e.getAttribute('aria-label') + ' ' + (e.scrollWidth > e.clientWidth) + ' ' + getComputedStyle(e).backgroundImage.includes('radial-gradient'))"),
        serde_json::json!(["代码 rust true true", "表格 true true"])
    );

    // Long code and a wide table scroll inside the column, never the page;
    // axe with every rule, light and dark, phone and desk.
    let mut failures = Vec::new();
    for (width, height) in [(390, 844), (1280, 800)] {
        b.viewport(width, height);
        for scheme in ["light", "dark"] {
            b.color_scheme(scheme);
            for i in [1, 53, 63] {
                b.goto(&lesson(i));
                let overflow = b.eval("document.documentElement.scrollWidth - window.innerWidth");
                if num(overflow.clone()) > 0.0 {
                    failures.push(format!("lesson {i} {width}px: overflow {overflow}"));
                }
                let violations = axe_violations(&mut b, &axe_source);
                if !violations.is_empty() {
                    failures.push(format!("lesson {i} {width}px {scheme}: axe {violations:?}"));
                }
            }
            b.screenshot(&shots.join(format!("long-series-{width}-{scheme}.png")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_home_page_opens_on_its_lead_story_and_lists_the_rest_compactly() {
    let Some(chromium) = chromium() else { return };
    let (_out, _, base) = serve_example();
    let mut b = Browser::open(&chromium, "about:blank");
    let num = |v: serde_json::Value| v.as_f64().unwrap_or(-1.0);
    b.viewport(390, 844);
    b.goto(&base);
    // The lead story's title and summary are on the first phone screen.
    let bottom = num(
        b.eval("document.querySelector('.lead-story p:last-child').getBoundingClientRect().bottom")
    );
    assert!(
        bottom > 0.0 && bottom <= 844.0,
        "lead story ends at {bottom} px"
    );
    // Each board: one card, then titles and dates; every board with its
    // emblem.
    let boards = b.eval("[...document.querySelectorAll('.home-board')].filter(s => s.querySelector('.board-split')).map(s => s.querySelectorAll('.card').length + ' ' + s.querySelectorAll('.compact-list time').length)");
    let boards: Vec<String> = serde_json::from_value(boards).unwrap();
    assert!(boards.len() >= 3, "{boards:?}");
    assert!(boards.iter().all(|b| b.starts_with("1 ")), "{boards:?}");
    assert!(boards.iter().any(|b| b != "1 0"), "{boards:?}");
    assert_eq!(
        b.eval("[...document.querySelectorAll('.home-board h2')].every(h => h.querySelector('svg.board-icon[aria-hidden=true]'))"),
        serde_json::json!(true)
    );
    let height = num(b.eval("document.documentElement.scrollHeight"));
    eprintln!("home page at 390 px: {height} px tall");
    assert!(height < 4500.0, "home page is {height} px tall at 390 px");
}

#[test]
fn study_materials_print_without_navigation_and_with_their_links() {
    let Some(chromium) = chromium() else { return };
    let (_out, _, base) = serve_example();
    let shots = repo().join("target/screenshots");
    let mut b = Browser::open(&chromium, "about:blank");
    b.viewport(794, 1123);
    let mut printed_links = 0;
    for (name, path) in [
        ("lesson", "lessons/spotting-rumours/"),
        ("code", "lessons/sorting-sign-ups/"),
        ("publication", "publications/fenglin-monthly/"),
        ("film", "films/the-road-home/"),
        ("article", "news/mobile-classroom-anniversary/"),
    ] {
        b.goto(&format!("{base}{path}"));
        b.call(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "media": "print" }),
        );
        let hidden = b.eval("[...document.querySelectorAll('.site-header, .site-footer, .rail, .prevnext, .qr')].every(e => getComputedStyle(e).display === 'none')");
        assert_eq!(hidden, serde_json::json!(true), "{name}");
        // A link in the text shows where it goes.
        let links = b.eval("[...document.querySelectorAll('.prose a[href^=\"/\"], .prose a[href^=\"http\"]')].map(a => getComputedStyle(a, '::after').content)");
        for content in links.as_array().unwrap() {
            assert!(
                !matches!(content.as_str(), Some("none" | "normal") | None),
                "{name}: a link prints without its address: {content}"
            );
        }
        printed_links += links.as_array().unwrap().len();
        b.screenshot(&shots.join(format!("{name}-print.png")));
        b.call(
            "Emulation.setEmulatedMedia",
            serde_json::json!({ "media": "" }),
        );
    }
    assert!(
        printed_links > 0,
        "no link in the text of the printed pages"
    );
}
