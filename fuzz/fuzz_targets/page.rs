//! The page pipeline: decoding, front matter, typed fields, shortcodes and
//! Markdown with every adapter.
#![no_main]
use herald::markdown::{MarkdownOptions, highlight::Highlighter, links::LinkResolver};
use libfuzzer_sys::fuzz_target;

struct Links;
impl LinkResolver for Links {
    fn resolve(&self, key: &str) -> Result<String, String> {
        if key.len() % 2 == 0 { Ok(format!("/{key}/")) } else { Err("missing".into()) }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = herald::content::decode_text("fuzz.md", data) else { return };
    let config = herald::config::Config::parse("title: t\n").expect("config");
    let (yaml, body, line) = match herald::content::split_front_matter("fuzz.md", &text) {
        Ok(Some(parts)) => parts,
        Ok(None) => ("", text.as_str(), 1),
        Err(_) => return,
    };
    if let Ok(node) = herald::yaml::parse(yaml, 1) {
        for kind in herald::config::Kind::ALL {
            let _ = herald::frontmatter::read_page("fuzz.md", &node, kind, &config, 1);
        }
    }
    let _ = herald::markdown::shortcodes::extract(body, line);
    let highlighter = Highlighter::new();
    let _ = herald::markdown::render(
        body,
        &MarkdownOptions {
            file: "fuzz.md",
            first_line: line,
            resolver: &Links,
            highlighter: &highlighter,
            summary_words: 20,
            shortcodes: None,
            page: Default::default(),
            raw_html: data.first().is_some_and(|b| b % 2 == 0),
        },
    );
});
