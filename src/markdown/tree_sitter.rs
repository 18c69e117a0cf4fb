//! The tree-sitter engine, chosen by site.yaml's `highlight: { engine:
//! tree-sitter }`: the official grammars of nine common languages parse a
//! block in one pass, with no regex search per line, and their highlight
//! queries name what each piece of code is. Each name stands for the
//! TextMate scope the same piece has in syntect's grammars, so the two
//! themes colour it through the same rules and classes. Other languages
//! stay with syntect.
//!
//! A grammar's query is compiled when a build first meets the language
//! (8–30 ms each): worth it on a site with a lot of code, not on a small one,
//! which is why syntect stays the default.

use super::highlight::{Run, Themes};
use std::sync::{Arc, Mutex, OnceLock};
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent};

/// One grammar: the fence names it answers to, its parser and its queries.
struct Grammar {
    names: &'static [&'static str],
    /// The TextMate scope of the whole block (`source.rust`).
    base: &'static str,
    /// The language's last atom in its scopes (`rust`).
    suffix: &'static str,
    language: fn() -> tree_sitter::Language,
    /// The grammar's patterns, then herald's own (of the patterns that
    /// match a node, the last wins).
    highlights: &'static [&'static str],
    injections: &'static str,
    /// Where the language's names mean other scopes than [`SCOPES`] says.
    own: &'static [(&'static str, &'static str)],
}

/// Fields and attributes (`items.len`) have no colour in syntect's grammars.
const MEMBER: &[(&str, &str)] = &[("property", "variable.other.member")];

/// The grammars, in the order of [`Grammars::compiled`].
const GRAMMARS: &[Grammar] = &[
    Grammar {
        names: &["bash", "sh", "shell", "zsh"],
        base: "source.shell",
        suffix: "shell",
        language: || tree_sitter_bash::LANGUAGE.into(),
        highlights: &[tree_sitter_bash::HIGHLIGHT_QUERY],
        injections: "",
        // Commands are calls: syntect colours them as such.
        own: &[
            ("function", "support.function"),
            ("property", "variable.other.readwrite"),
        ],
    },
    Grammar {
        names: &["css"],
        base: "source.css",
        suffix: "css",
        language: || tree_sitter_css::LANGUAGE.into(),
        highlights: &[tree_sitter_css::HIGHLIGHTS_QUERY],
        injections: "",
        own: &[],
    },
    Grammar {
        names: &["go", "golang"],
        base: "source.go",
        suffix: "go",
        language: || tree_sitter_go::LANGUAGE.into(),
        // Its query lets the field pattern win over a method call's.
        highlights: &[
            tree_sitter_go::HIGHLIGHTS_QUERY,
            "\n(call_expression function: (selector_expression field: (field_identifier) @function.method))\n",
        ],
        injections: "",
        own: MEMBER,
    },
    Grammar {
        names: &["html", "htm"],
        base: "text.html.basic",
        suffix: "html",
        language: || tree_sitter_html::LANGUAGE.into(),
        highlights: &[tree_sitter_html::HIGHLIGHTS_QUERY],
        injections: tree_sitter_html::INJECTIONS_QUERY,
        own: &[],
    },
    Grammar {
        names: &["javascript", "js", "jsx", "mjs", "cjs"],
        base: "source.js",
        suffix: "js",
        language: || tree_sitter_javascript::LANGUAGE.into(),
        highlights: &[
            tree_sitter_javascript::HIGHLIGHT_QUERY,
            tree_sitter_javascript::JSX_HIGHLIGHT_QUERY,
        ],
        injections: tree_sitter_javascript::INJECTIONS_QUERY,
        own: MEMBER,
    },
    Grammar {
        names: &["json"],
        base: "source.json",
        suffix: "json",
        language: || tree_sitter_json::LANGUAGE.into(),
        highlights: &[tree_sitter_json::HIGHLIGHTS_QUERY],
        injections: "",
        own: &[],
    },
    Grammar {
        names: &["python", "py"],
        base: "source.python",
        suffix: "python",
        language: || tree_sitter_python::LANGUAGE.into(),
        // Its query lets the attribute pattern win over a method call's.
        highlights: &[
            tree_sitter_python::HIGHLIGHTS_QUERY,
            "\n(call function: (attribute attribute: (identifier) @function.method))\n",
        ],
        injections: "",
        own: MEMBER,
    },
    Grammar {
        names: &["rust", "rs"],
        base: "source.rust",
        suffix: "rust",
        language: || tree_sitter_rust::LANGUAGE.into(),
        // The grammar's query calls every literal a built-in constant:
        // numbers take the number colour here, as in syntect.
        highlights: &[
            tree_sitter_rust::HIGHLIGHTS_QUERY,
            "\n[(integer_literal) (float_literal)] @number\n",
        ],
        // Its query parses every macro's arguments again as Rust, a layer
        // per call: `vec![…]` on 20,000 lines took longer than syntect, and
        // nested calls grow with the square of their depth. The arguments'
        // literals are coloured without it.
        injections: "",
        own: &[
            ("function.method", "support.function"),
            ("property", "variable.other.member"),
        ],
    },
    Grammar {
        names: &["yaml", "yml"],
        base: "source.yaml",
        suffix: "yaml",
        language: || tree_sitter_yaml::LANGUAGE.into(),
        highlights: &[tree_sitter_yaml::HIGHLIGHTS_QUERY],
        injections: "",
        own: &[("property", "entity.name.tag")],
    },
];

/// The highlight names the queries use, each with the TextMate scope the
/// same code has in syntect's grammars. A name not listed takes the
/// longest listed prefix (`function.method.builtin` → `function.method`).
const SCOPES: &[(&str, &str)] = &[
    ("attribute", "entity.other.attribute-name"),
    ("boolean", "constant.language"),
    ("charset", "keyword.control.at-rule"),
    ("comment", "comment.line"),
    ("constant", "constant.other"),
    ("constant.builtin", "constant.language"),
    ("constructor", "support.type"),
    ("embedded", "punctuation.section.embedded"),
    ("escape", "constant.character.escape"),
    ("function", "entity.name.function"),
    ("function.builtin", "support.function"),
    ("function.macro", "support.macro"),
    ("function.method", "variable.function"),
    ("import", "keyword.control.at-rule"),
    ("keyframes", "keyword.control.at-rule"),
    ("keyword", "keyword.control"),
    ("label", "entity.name.label"),
    ("media", "keyword.control.at-rule"),
    ("namespace", "entity.name.namespace"),
    ("number", "constant.numeric"),
    ("operator", "keyword.operator"),
    ("property", "support.type.property-name"),
    ("punctuation", "punctuation.section"),
    ("punctuation.delimiter", "punctuation.separator"),
    ("string", "string.quoted.double"),
    ("string.special", "string.regexp"),
    ("string.special.key", "support.type.property-name"),
    ("supports", "keyword.control.at-rule"),
    ("tag", "entity.name.tag"),
    ("tag.error", "invalid.illegal"),
    ("type", "support.type"),
    ("type.builtin", "storage.type"),
    ("variable", "variable.other"),
    ("variable.builtin", "variable.language"),
    ("variable.parameter", "variable.parameter"),
];

/// Languages parsed inside one block (its `<script>`s and `<style>`s, a
/// JavaScript template tagged `html`); more stay uncoloured.
const MAX_INJECTIONS: usize = 32;

/// A grammar's compiled queries and the classes of each highlight name.
struct Compiled {
    config: HighlightConfiguration,
    /// Classes by highlight index (an index into [`SCOPES`]).
    classes: Vec<Arc<str>>,
}

/// The grammars a build has met, compiled once each, and parsers to reuse.
#[derive(Default)]
pub(super) struct Grammars {
    compiled: [OnceLock<Option<Compiled>>; GRAMMARS.len()],
    parsers: Mutex<Vec<tree_sitter_highlight::Highlighter>>,
}

/// The grammar for a fence's language, if this engine has one.
fn grammar_of(lang: &str) -> Option<usize> {
    let lang = lang.to_ascii_lowercase();
    GRAMMARS
        .iter()
        .position(|g| g.names.contains(&lang.as_str()))
}

impl Grammars {
    /// True if the engine highlights `lang` (else syntect does).
    pub(super) fn knows(lang: &str) -> bool {
        grammar_of(lang).is_some()
    }

    fn compiled(&self, i: usize, themes: &Themes) -> Option<&Compiled> {
        self.compiled[i]
            .get_or_init(|| {
                let g = &GRAMMARS[i];
                let mut config = HighlightConfiguration::new(
                    (g.language)(),
                    g.names[0],
                    &g.highlights.concat(),
                    g.injections,
                    "",
                )
                .ok()?;
                let names: Vec<&str> = SCOPES.iter().map(|(name, _)| *name).collect();
                config.configure(&names);
                let classes = SCOPES
                    .iter()
                    .map(|(name, scope)| {
                        let own = g.own.iter().find(|(n, _)| n == name);
                        let scope = own.map_or(*scope, |(_, s)| *s);
                        // Scopes end in the language, as in syntect's
                        // grammars: some theme rules name it.
                        let scope = format!("{scope}.{}", g.suffix);
                        themes.classes_of(&[g.base, &scope])
                    })
                    .collect();
                Some(Compiled { config, classes })
            })
            .as_ref()
    }

    /// The highlighted HTML of `code` in `lang`: one span per run of one
    /// style, as syntect's are written; `None` if the engine has no grammar
    /// for it or the parse fails.
    pub(super) fn spans(&self, lang: &str, code: &str, themes: &Themes) -> Option<String> {
        let top = self.compiled(grammar_of(lang)?, themes)?;
        let mut parser = self
            .parsers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
            .unwrap_or_default();
        let html = self.render(&mut parser, top, code, themes);
        self.parsers
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(parser);
        html
    }

    fn render(
        &self,
        parser: &mut tree_sitter_highlight::Highlighter,
        top: &Compiled,
        code: &str,
        themes: &Themes,
    ) -> Option<String> {
        // An injected language (JavaScript in HTML, HTML in a tagged
        // template) uses the same highlight names: the block's own classes
        // serve. Each injection is parsed again, and they can nest: a block
        // gets a bounded number.
        let mut left = MAX_INJECTIONS;
        let events = parser
            .highlight(&top.config, code.as_bytes(), None, None, |name| {
                let c = grammar_of(name).and_then(|i| self.compiled(i, themes))?;
                left = left.checked_sub(1)?;
                Some(&c.config)
            })
            .ok()?;
        let mut open: Vec<&Arc<str>> = Vec::new();
        let none: Arc<str> = Arc::from("");
        let mut out = String::with_capacity(code.len() * 2);
        let mut run = Run::default();
        for event in events {
            match event.ok()? {
                HighlightEvent::HighlightStart(h) => {
                    open.push(top.classes.get(h.0)?);
                }
                HighlightEvent::HighlightEnd => {
                    open.pop();
                }
                HighlightEvent::Source { start, end } => {
                    let class = open.last().copied().unwrap_or(&none);
                    run.add(&mut out, class, code.get(start..end)?);
                }
            }
        }
        run.flush(&mut out);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::highlight::{Engine, HighlightOptions, Highlighter};
    use super::*;

    fn highlighter(engine: Engine) -> Highlighter {
        Highlighter::with_options(&HighlightOptions {
            engine,
            ..HighlightOptions::default()
        })
    }

    /// The classes of the span holding `text` in `html`.
    fn class_of<'a>(html: &'a str, text: &str) -> &'a str {
        // The first match in text, not in a tag's markup.
        let at = html
            .match_indices(text)
            .map(|(i, _)| i)
            .find(|&i| html[..i].rfind('>') > html[..i].rfind('<'))
            .unwrap_or_else(|| panic!("{text} in {html}"));
        let before = &html[..at];
        let Some(open) = before.rfind("<span class=\"") else {
            return "";
        };
        if before.rfind("</span>").is_some_and(|close| close > open) {
            return "";
        }
        let class = &html[open + 13..];
        &class[..class.find('"').unwrap()]
    }

    /// For each grammar, a snippet and pieces of it that take the same
    /// classes as syntect gives them.
    const SAMPLES: &[(&str, &str, &[&str])] = &[
        (
            "bash",
            "# note\necho \"$HOME\" && exit 1\n",
            &["# note", "echo"],
        ),
        (
            "css",
            "/* note */\np { color: red; }\n",
            &["/* note */", "color"],
        ),
        (
            "go",
            "// note\nfunc main() { s := \"text\"; fmt.Println(s) }\n",
            &["// note", "func", "&quot;text&quot;", "Println"],
        ),
        (
            "html",
            "<!-- note -->\n<p class=\"x\">hi</p>\n",
            &["&lt;!-- note --&gt;", "class"],
        ),
        (
            "javascript",
            "// note\nfunction main() { const s = \"text\"; items.push(s); }\n",
            &["// note", "function", "&quot;text&quot;", "push"],
        ),
        ("json", "{\"key\": 1}\n", &["1"]),
        (
            "python",
            "# note\ndef main():\n    rows.append(1)\n    return 'text'\n",
            &["# note", "def", "&#39;text&#39;", "append"],
        ),
        (
            "rust",
            "// note\nfn main() { let s = \"text\"; let n = 42; s.len(); }\n",
            &["// note", "fn", "&quot;text&quot;", "42", "len"],
        ),
        ("yaml", "# note\ntitle: text\n", &["# note", "title"]),
    ];

    #[test]
    fn every_grammar_compiles_and_colours_like_syntect() {
        let ts = highlighter(Engine::TreeSitter);
        let sy = highlighter(Engine::Syntect);
        assert_eq!(SAMPLES.len(), GRAMMARS.len());
        for (g, (lang, code, pieces)) in GRAMMARS.iter().zip(SAMPLES) {
            assert_eq!(g.names[0], *lang);
            let (a, b) = (ts.block(lang, code, "Code"), sy.block(lang, code, "Code"));
            for piece in *pieces {
                assert_eq!(
                    class_of(&a, piece),
                    class_of(&b, piece),
                    "{lang} {piece}\n{a}\n{b}"
                );
                assert!(!class_of(&a, piece).is_empty(), "{lang} {piece}\n{a}");
            }
        }
        // The runs are tree-sitter's: its Rust grammar leaves `=` uncoloured.
        let code = "let s = 1;\n";
        assert_ne!(
            ts.block("rust", code, "Code"),
            sy.block("rust", code, "Code")
        );
    }

    #[test]
    fn injected_languages_are_highlighted() {
        let h = highlighter(Engine::TreeSitter);
        let html = h.block("html", "<p>hi</p>\n<script>const n = 1;</script>\n", "Code");
        let js = highlighter(Engine::TreeSitter).block("js", "const n = 1;\n", "Code");
        assert!(!class_of(&html, "const").is_empty(), "{html}");
        assert_eq!(class_of(&html, "const"), class_of(&js, "const"));
    }

    /// Code that nests what grammars parse again: Rust macros (not parsed
    /// again at all), HTML in JavaScript in HTML (a bounded number of times).
    /// Either used to take minutes.
    #[test]
    fn nesting_is_not_parsed_again_without_end() {
        let h = highlighter(Engine::TreeSitter);
        let n = 3000;
        let rust = format!("fn main() {{ {}1{}; }}\n", "a!(".repeat(n), ")".repeat(n));
        assert!(h.block("rust", &rust, "Code").contains("<span"));
        let inner = "<script>const f = html`<p>${x}</p><script>let y = 1;</script>`;</script>";
        let html = inner.repeat(200) + "\n";
        let out = h.block("html", &html, "Code");
        // The first scripts are JavaScript; the budget then runs out.
        assert!(!class_of(&out, "const").is_empty(), "{out}");
        assert!(out.matches("<span").count() > 200);
    }

    #[test]
    fn other_languages_stay_with_syntect() {
        let ts = highlighter(Engine::TreeSitter);
        let sy = highlighter(Engine::Syntect);
        let code = "[package]\nname = \"herald\"\n";
        assert_eq!(
            ts.block("toml", code, "Code"),
            sy.block("toml", code, "Code")
        );
        assert!(!Grammars::knows("toml") && Grammars::knows("RS"));
    }
}
