//! Property tests: arbitrary bytes as a page or as site.yaml never panic,
//! rendering is deterministic, and any title survives HTML, JSON and XML
//! escaping intact.

use crate::common::*;
use proptest::prelude::*;

fn load(f: &Fixture) -> Result<(), herald::Error> {
    herald::build_to_memory(&herald::BuildOptions::new(f.path())).map(|_| ())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Any bytes as a page: an error or a site, never a panic.
    #[test]
    fn arbitrary_page_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let f = Fixture::new();
        f.write_bytes("content/news/fuzz.md", &bytes);
        let _ = load(&f);
    }

    /// Front matter and Markdown made of the characters that matter.
    #[test]
    fn structured_garbage_pages_never_panic(body in "[-#*>`{}%()\\[\\]\"'=:\\n a-z中文@/.|!~_]{0,300}") {
        let f = Fixture::new();
        f.write("content/news/fuzz.md", &format!("---\ntitle: x\n---\n{body}"));
        let _ = load(&f);
        f.write("content/news/fuzz2.md", &format!("---\n{body}\n---\n{body}"));
        let _ = load(&f);
    }

    /// Any bytes as site.yaml never panic.
    #[test]
    fn arbitrary_site_yaml_never_panics(text in "[-:{}\\[\\],\\n a-z0-9&*!|>'\"#]{0,300}") {
        let _ = herald::config::Config::parse(&text);
    }

    /// The same input renders to the same bytes.
    #[test]
    fn rendering_is_deterministic(body in "[a-z中文 \\n#*-]{0,200}") {
        let f = Fixture::new();
        f.write("content/news/p.md", &format!("---\ntitle: p\ntags: [甲, b]\n---\n{body}"));
        let a = herald::build_to_memory(&herald::BuildOptions::new(f.path()));
        let b = herald::build_to_memory(&herald::BuildOptions::new(f.path()));
        match (a, b) {
            (Ok((x, _)), Ok((y, _))) => prop_assert_eq!(x, y),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "one build failed and the other did not"),
        }
    }

    /// Any title comes back intact from XML text, XML attributes and
    /// script-safe JSON, and never opens markup.
    #[test]
    fn escaping_round_trips(title in "\\PC{0,60}") {
        let xml = herald::escape::xml(&title);
        prop_assert!(!xml.contains('<') && !xml.contains('"'));
        let wrapped = format!("<t a=\"{xml}\">{xml}</t>");
        let mut reader = quick_xml::Reader::from_str(&wrapped);
        let mut text = String::new();
        let mut attr = String::new();
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(e)) => {
                    for a in e.attributes().flatten() {
                        attr = a.unescape_value().unwrap().into_owned();
                    }
                }
                Ok(quick_xml::events::Event::Text(t)) => text.push_str(&t.decode().unwrap()),
                Ok(quick_xml::events::Event::GeneralRef(r)) => {
                    let name = r.decode().unwrap().into_owned();
                    text.push_str(match name.as_str() { "amp" => "&", "lt" => "<", "gt" => ">", "quot" => "\"", "#39" => "'", other => panic!("{other}") });
                }
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => prop_assert!(false, "not well-formed: {e}"),
            }
        }
        // XML cannot carry control characters: they are dropped.
        let expected: String = title.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect();
        prop_assert_eq!(&attr, &expected);
        prop_assert_eq!(text.replace("\r\n", "\n"), expected.replace("\r\n", "\n").replace('\r', "\n"));
        let json = herald::escape::script_json(&serde_json::Value::from(title.clone()));
        let unsafe_in_script = ['<', '>', '&', '\u{2028}', '\u{2029}'];
        prop_assert!(!json.contains(unsafe_in_script));
        let back: String = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, title);
    }
}
