//! Escaping for the outputs herald writes itself (feeds, sitemaps, redirect
//! pages, the search index). Templates escape through Tera.

/// Escapes text for XML and HTML content and attributes, and drops
/// characters XML 1.0 forbids (control characters other than tab and line
/// breaks), so any title yields well-formed XML.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    xml_to(&mut out, s);
    out
}

/// [`xml`], appended to `out`.
pub fn xml_to(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// A JSON value that is also safe inside an HTML `<script>` element.
pub fn script_json(v: &serde_json::Value) -> String {
    let json = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    let risky = json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&'))
        || json.contains('\u{2028}')
        || json.contains('\u{2029}');
    if !risky {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Decodes `%XX` escapes (invalid ones stay as they are; invalid UTF-8
/// becomes U+FFFD).
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_keeps_malformed_escapes() {
        assert_eq!(percent_decode("%E6%96%B0%20a"), "新 a");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml("<a href=\"x\">&'\u{1}]]>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;]]&gt;"
        );
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = serde_json::json!({"t": "</script><!-- & \u{2028}"});
        let s = script_json(&v);
        assert!(!s.contains("</"));
        assert!(!s.contains("<!--"));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }

    #[test]
    fn script_json_escapes_line_separators_alone() {
        let v = serde_json::json!({"t": "甲\u{2029}乙"});
        assert_eq!(script_json(&v), r#"{"t":"甲\u2029乙"}"#);
        // U+2027 and U+20AC share the lead bytes and stay as they are.
        let v = serde_json::json!({"t": "\u{2027}€"});
        assert_eq!(script_json(&v), "{\"t\":\"\u{2027}€\"}");
    }
}
