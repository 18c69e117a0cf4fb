//! Code highlighting through the binary: the two engines, and a bad
//! engine name.

use crate::common::{Fixture, stderr};

const LESSON: &str = "---\ntitle: 一\nseries: 课\norder: 1\n---\n## 代码\n\n```rust\n// 说明\nfn main() { let s = \"text\"; }\n```\n\n```toml\n[package]\nname = \"herald\"\n```\n";

/// The `<pre>` blocks of a page, in order.
fn blocks(html: &str) -> Vec<String> {
    html.split("<pre class=\"code\"")
        .skip(1)
        .map(|b| b[..b.find("</pre>").unwrap()].to_string())
        .collect()
}

#[test]
fn tree_sitter_engine_colours_like_syntect_and_leaves_other_languages_to_it() {
    let f = Fixture::new();
    f.write("content/lessons/one.md", LESSON);
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let syntect = blocks(&f.read_output("lessons/one/index.html"));
    let css = f.read_output("syntax.css");

    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    f.write(
        "site.yaml",
        &format!("{yaml}highlight: {{ engine: tree-sitter }}\n"),
    );
    let out = f.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let tree_sitter = blocks(&f.read_output("lessons/one/index.html"));
    assert_eq!(syntect.len(), 2);
    // Rust is tree-sitter's: other runs (it leaves `=` uncoloured), the
    // same colours for the comment, the keyword and the string.
    assert_ne!(syntect[0], tree_sitter[0]);
    for piece in ["// 说明\n</span>", ">fn </span>", "&quot;text&quot;</span>"] {
        let class = |html: &str| {
            let at = html
                .find(piece)
                .unwrap_or_else(|| panic!("{piece}: {html}"));
            let open = html[..at].rfind("<span class=\"").unwrap();
            html[open..at].to_string()
        };
        assert_eq!(class(&syntect[0]), class(&tree_sitter[0]), "{piece}");
    }
    // TOML has no tree-sitter grammar here: syntect's, as before.
    assert_eq!(syntect[1], tree_sitter[1]);
    assert_eq!(css, f.read_output("syntax.css"));
}

#[test]
fn an_unknown_engine_is_an_error_at_its_line() {
    let f = Fixture::new();
    let yaml = std::fs::read_to_string(f.path().join("site.yaml")).unwrap();
    let line = yaml.lines().count() + 2;
    f.write(
        "site.yaml",
        &format!("{yaml}highlight:\n  engine: treesitter\n"),
    );
    let out = f.build();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains(&format!("site.yaml:{line}")), "{err}");
    assert!(err.contains("`treesitter`"), "{err}");
    assert!(err.contains("syntect, tree-sitter"), "{err}");
}
