//! Reading HTML that herald or an editor wrote: the start tags and their
//! attributes, from html5gum (a WHATWG-compliant tokenizer: entities
//! decoded, any quoting, comments skipped, script and style contents not
//! taken for tags).

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// One start tag: its lower-case name and its attributes, values decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    /// The fragment names this tag is a target of: its `id`, and for
    /// `<a name="…">` (old-style anchors, still followed) its `name`.
    pub fn anchor_names(&self) -> impl Iterator<Item = &str> {
        let name = (self.name == "a").then(|| self.attr("name")).flatten();
        self.attr("id").into_iter().chain(name)
    }

    /// The value of attribute `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The start tags of `html`, in order.
pub fn start_tags(html: &str) -> impl Iterator<Item = Tag> + '_ {
    let mut emitter = DefaultEmitter::default();
    // After <script>, <style>, <textarea>… read their text as text.
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(html, emitter).filter_map(|t| match t {
        Ok(Token::StartTag(tag)) => Some(Tag {
            name: String::from_utf8_lossy(&tag.name).into_owned(),
            attrs: tag
                .attributes
                .into_iter()
                .map(|(k, v)| {
                    (
                        String::from_utf8_lossy(&k).into_owned(),
                        String::from_utf8_lossy(&v).into_owned(),
                    )
                })
                .collect(),
        }),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_attributes_as_a_browser_does() {
        let html = r#"<!-- <a href="no"> --><A HREF=one.html>x</A>
            <img src='p.jpg' alt="a &amp; b"><a name="n1"></a>
            <script>var s = '<a href="not-a-tag">';</script><p id=x data-href="d">"#;
        let tags: Vec<Tag> = start_tags(html).collect();
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["a", "img", "a", "script", "p"]);
        assert_eq!(tags[0].attr("href"), Some("one.html"));
        assert_eq!(tags[1].attr("alt"), Some("a & b"));
        assert_eq!(tags[2].attr("name"), Some("n1"));
        assert_eq!(tags[4].attr("id"), Some("x"));
        assert_eq!(tags[4].attr("href"), None);
    }
}
