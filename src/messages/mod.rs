//! What herald says, in the editor's language. A message is a key into the
//! catalogues (`en.yaml`, `zh.yaml` beside this file) and its arguments;
//! it is put into words only when shown, in the language chosen by
//! `--lang`, `HERALD_LANG` or the site's `language` ([`Lang::choose`]).
//! Text that comes from elsewhere (a YAML parser's or the template
//! engine's own message, an operating system error) is shown as it is.
//!
//! Places (`file:line:column`) and the `error:` / `warning:` labels are
//! the same in every language, so tools that read herald's output parse
//! both.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// A language herald speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The language of a tag (`zh-CN`, `zh`, `en-GB`): Chinese for `zh…`,
    /// English otherwise.
    pub fn of_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    /// The first of: the `--lang` flag, `HERALD_LANG`, the site's
    /// `language`; English when none is given.
    pub fn choose(flag: Option<&str>, env: Option<&str>, site: Option<&str>) -> Lang {
        [flag, env, site]
            .into_iter()
            .flatten()
            .find(|t| !t.trim().is_empty())
            .map_or(Lang::En, Lang::of_tag)
    }

    fn catalogue(self) -> &'static HashMap<String, String> {
        static EN: OnceLock<HashMap<String, String>> = OnceLock::new();
        static ZH: OnceLock<HashMap<String, String>> = OnceLock::new();
        match self {
            Lang::En => EN.get_or_init(|| parse_catalogue(include_str!("en.yaml"))),
            Lang::Zh => ZH.get_or_init(|| parse_catalogue(include_str!("zh.yaml"))),
        }
    }

    /// The catalogue's text for `key` (English when this language lacks
    /// it, the key itself when no catalogue has it).
    fn text(self, key: &str) -> &str {
        self.catalogue()
            .get(key)
            .or_else(|| Lang::En.catalogue().get(key))
            .map_or(key, String::as_str)
    }
}

/// A catalogue: a flat YAML map of key to text, read with the YAML
/// parser's events directly (herald's `yaml` module reports its own errors
/// through these catalogues, so it cannot be what reads them).
fn parse_catalogue(yaml: &str) -> HashMap<String, String> {
    use saphyr_parser::{Event, Parser};
    let mut out = HashMap::new();
    let mut key: Option<String> = None;
    let mut depth = 0usize;
    for event in Parser::new_from_str(yaml) {
        let Ok((event, _)) = event else {
            return HashMap::new();
        };
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            Event::Scalar(text, ..) if depth == 1 => match key.take() {
                None => key = Some(text.into_owned()),
                Some(k) => {
                    out.insert(k, text.into_owned());
                }
            },
            _ => {}
        }
    }
    out
}

/// Something herald says: a catalogue message, or text from elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Text {
    /// A catalogue message (boxed: a diagnostic stays small).
    Msg(Box<Message>),
    /// Shown as it is, in every language.
    Plain(String),
}

/// A catalogue key and its arguments (`{name}` in the text).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Text)>,
}

impl Text {
    /// The catalogue key, if this is a catalogue message.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            Text::Msg(m) => Some(m.key),
            Text::Plain(_) => None,
        }
    }

    /// The words in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Text::Plain(s) => s.clone(),
            Text::Msg(m) => {
                let (key, args) = (m.key, &m.args);
                let template = lang.text(key);
                let mut out = String::with_capacity(template.len() + 16);
                let mut rest = template;
                while let Some(open) = rest.find('{') {
                    out.push_str(&rest[..open]);
                    let after = &rest[open + 1..];
                    let value = after.find('}').and_then(|close| {
                        let name = &after[..close];
                        let (_, v) = args.iter().find(|(n, _)| *n == name)?;
                        Some((v, close))
                    });
                    match value {
                        Some((v, close)) => {
                            out.push_str(&v.render(lang));
                            rest = &after[close + 1..];
                        }
                        None => {
                            out.push('{');
                            rest = after;
                        }
                    }
                }
                out.push_str(rest);
                out
            }
        }
    }
}

/// An argument of [`msg!`]: a [`Text`] stays a text (put into words in
/// the message's language), anything else shown as it is. The macro picks
/// by method resolution (`ViaText` applies to a text without autoref,
/// `ViaDisplay` to anything displayable with one).
#[doc(hidden)]
pub struct ArgOf<'a, T: ?Sized>(pub &'a T);

#[doc(hidden)]
pub trait ViaText {
    fn to_arg(&self) -> Text;
}

impl ViaText for ArgOf<'_, Text> {
    fn to_arg(&self) -> Text {
        self.0.clone()
    }
}

impl ViaText for ArgOf<'_, &Text> {
    fn to_arg(&self) -> Text {
        (*self.0).clone()
    }
}

#[doc(hidden)]
pub trait ViaDisplay {
    fn to_arg(&self) -> Text;
}

impl<T: fmt::Display + ?Sized> ViaDisplay for &ArgOf<'_, T> {
    fn to_arg(&self) -> Text {
        Text::Plain(self.0.to_string())
    }
}

/// English, for logs and tests.
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Plain(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Plain(s.to_string())
    }
}

impl From<&String> for Text {
    fn from(s: &String) -> Text {
        Text::Plain(s.clone())
    }
}

/// A catalogue message: `msg!("unknown-key", key = name)` (or `key` alone
/// for a variable of that name). An argument that is a [`Text`] (or given
/// as `name => text`, converted into one) is put into words in the same
/// language; any other is shown as it is.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident $(= $value:expr)? $(=> $text:expr)?)* $(,)?) => {
        $crate::messages::Text::Msg(Box::new($crate::messages::Message {
            key: $key,
            args: vec![$((stringify!($name), $crate::msg!(@arg $name $(= $value)? $(=> $text)?))),*],
        }))
    };
    (@arg $name:ident = $value:expr) => {{
        #[allow(unused_imports)]
        use $crate::messages::{ViaDisplay as _, ViaText as _};
        (&$crate::messages::ArgOf(&$value)).to_arg()
    }};
    (@arg $name:ident => $text:expr) => { $crate::messages::Text::from($text) };
    (@arg $name:ident) => {{
        #[allow(unused_imports)]
        use $crate::messages::{ViaDisplay as _, ViaText as _};
        (&$crate::messages::ArgOf(&$name)).to_arg()
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_follows_the_flag_then_the_environment_then_the_site() {
        assert_eq!(Lang::choose(None, None, Some("zh-CN")), Lang::Zh);
        assert_eq!(Lang::choose(None, Some("en"), Some("zh-CN")), Lang::En);
        assert_eq!(Lang::choose(Some("zh"), Some("en"), None), Lang::Zh);
        assert_eq!(Lang::choose(None, Some(""), Some("en-GB")), Lang::En);
        assert_eq!(Lang::choose(None, None, None), Lang::En);
    }

    #[test]
    fn messages_fill_their_arguments_in_either_language() {
        let m = crate::msg!("build-failed", errors = 3);
        assert_eq!(
            m.render(Lang::En),
            "build failed: 3 error(s); the previous output was left as it was"
        );
        assert_eq!(
            m.render(Lang::Zh),
            "构建失败：3 个错误；上一次的输出原样保留"
        );
        // A nested message is put into words in the same language.
        let outer = crate::msg!("shortcode-failed", name = "quiz", why => crate::msg!("build-failed", errors = 1));
        assert!(
            outer.render(Lang::Zh).contains("构建失败"),
            "{}",
            outer.render(Lang::Zh)
        );
        // A text given as a plain argument is put into words too.
        let why = crate::msg!("build-failed", errors = 1);
        assert!(
            crate::msg!("shortcode-failed", name = "x", why)
                .render(Lang::Zh)
                .contains("构建失败")
        );
        // Quotes and braces in a catalogue text come out as written.
        assert_eq!(
            crate::msg!("not-utf8-hint").render(Lang::En),
            "save the file as UTF-8 (in most editors: \"Save with encoding\" → UTF-8)"
        );
        assert_eq!(
            crate::msg!("fields-of-your-own", key = "source").render(Lang::En),
            "declare `source` as a field of a kind of your own in site.yaml (kinds:, see docs/kinds.md), or put it under `extra:` (extra: { source: … }), where templates read it as page.extra.source"
        );
        // Text from elsewhere and unknown placeholders stay as they are.
        assert_eq!(Text::from("{x}").render(Lang::Zh), "{x}");
    }

    /// Every key the code uses is in both catalogues, and each catalogue
    /// has the same keys; a Chinese text uses no placeholder the English
    /// one lacks.
    #[test]
    fn the_catalogues_cover_every_message_in_both_languages() {
        let en = Lang::En.catalogue();
        let zh = Lang::Zh.catalogue();
        assert!(en.len() > 20, "en.yaml did not parse");
        let mut problems = Vec::new();
        for (key, text) in en {
            match zh.get(key) {
                None => problems.push(format!("zh.yaml lacks `{key}`")),
                // A translation may leave one out (English's "a"/"an").
                Some(z) if !placeholders(z).is_subset(&placeholders(text)) => {
                    problems.push(format!("`{key}`: zh.yaml has placeholders en.yaml lacks"))
                }
                Some(_) => {}
            }
        }
        for key in zh.keys().filter(|k| !en.contains_key(*k)) {
            problems.push(format!("en.yaml lacks `{key}`"));
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for key in used_keys(&src) {
            if !en.contains_key(&key) {
                problems.push(format!("the code uses `{key}`, which en.yaml lacks"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name))
            .filter(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .collect()
    }

    /// The keys of every `msg!("…"` under `dir`.
    fn used_keys(dir: &std::path::Path) -> Vec<String> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(used_keys(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for piece in text.split("msg!(\"").skip(1) {
                    if let Some((key, _)) = piece.split_once('"')
                        && key
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    {
                        out.push(key.to_string());
                    }
                }
            }
        }
        out
    }
}
