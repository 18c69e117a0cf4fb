//! `languages:` in site.yaml: the site's languages, the default first,
//! each with its title and description. A page's translation is a file
//! beside it (`about.en.md`), published under the language's prefix
//! (`/en/about/`) as part of a site of its own in that language
//! ([`Config::translation`]). See `docs/languages.md`.

use super::*;

/// One language of a site.
#[derive(Debug, Clone, PartialEq)]
pub struct LanguageConfig {
    /// The tag, as written (`zh-CN`, `en`).
    pub code: String,
    /// The site's title in this language (the site's `title` when absent).
    pub title: Option<String>,
    pub description: Option<String>,
    /// The language's name in itself (`English`, `中文`): the switch's
    /// accessible name.
    pub name: String,
    /// What the switch shows, short enough for a phone's header (`EN`,
    /// `中`).
    pub short: String,
}

impl LanguageConfig {
    /// The URL segment of a translation: the tag in lowercase (`en/`).
    pub fn prefix(&self) -> String {
        format!("{}/", self.code.to_ascii_lowercase())
    }
}

/// A language's name in itself and its short label, for the switch
/// (`English`, `EN`); an unknown tag is its own name.
fn names_of(code: &str) -> (String, String) {
    let lower = code.to_ascii_lowercase();
    let first = lower.split('-').next().unwrap_or("");
    let traditional = ["tw", "hk", "hant"].iter().any(|v| lower.contains(v));
    let (name, short) = match first {
        "zh" if traditional => ("繁體中文", "繁"),
        "zh" => ("中文", "中"),
        "ja" => ("日本語", "日"),
        "ko" => ("한국어", "한"),
        "en" => ("English", ""),
        "fr" => ("Français", ""),
        "de" => ("Deutsch", ""),
        "es" => ("Español", ""),
        "ru" => ("Русский", ""),
        "pt" => ("Português", ""),
        "ar" => ("العربية", ""),
        _ => (code, ""),
    };
    let short = if short.is_empty() {
        first.to_ascii_uppercase()
    } else {
        short.to_string()
    };
    (name.to_string(), short)
}

/// Reads `languages:`; `language` is the site's (default) language, which
/// must come first when the list names it.
pub(super) fn parse_languages(
    r: &mut MapReader,
    language: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<LanguageConfig> {
    let file = CONFIG_FILE;
    let Some(node) = r.node("languages") else {
        return Vec::new();
    };
    let Value::Seq(items) = &node.value else {
        r.type_error(
            "languages",
            node,
            msg!("a-list-of-languages"),
            "[zh-CN, en]",
        );
        return Vec::new();
    };
    let mut out: Vec<LanguageConfig> = Vec::new();
    for item in items {
        let (code, title, description, name, short) = match &item.value {
            Value::Str(s) => (Some(s.clone()), None, None, None, None),
            Value::Map(_) => {
                let mut lr = MapReader::new(file, item, msg!("a-language"));
                let code = lr.required_string("code", item.line, "en");
                let title = lr.string("title");
                let description = lr.string("description");
                let name = lr.string("name");
                let short = lr.string("short");
                diags.extend(lr.finish(|_| None));
                (code, title, description, name, short)
            }
            other => {
                diags.push(
                    Diagnostic::error(file, msg!("language-not-a-tag", found => other.describe()))
                        .at_col(item.line, item.col)
                        .hint(msg!("language-not-a-tag-hint")),
                );
                continue;
            }
        };
        let Some(code) = code else { continue };
        if !choices::plain_name(&code, false) || code.contains(['.', '_']) || code.is_empty() {
            diags.push(
                Diagnostic::error(file, msg!("not-a-plain-name", value = code))
                    .at_col(item.line, item.col)
                    .hint(msg!("language-not-a-tag-hint")),
            );
            continue;
        }
        if out.iter().any(|l| l.code.eq_ignore_ascii_case(&code)) {
            diags.push(
                Diagnostic::error(file, msg!("language-twice", code))
                    .at_col(item.line, item.col)
                    .hint(msg!("language-twice-hint")),
            );
            continue;
        }
        let (own_name, own_short) = names_of(&code);
        out.push(LanguageConfig {
            name: name.unwrap_or(own_name),
            short: short.unwrap_or(own_short),
            code,
            title,
            description,
        });
    }
    if let Some(first) = out.first()
        && !first.code.eq_ignore_ascii_case(language)
        && r.has("language")
    {
        diags.push(
            Diagnostic::error(
                file,
                msg!("default-language-first", first = first.code, language),
            )
            .at_col(node.line, node.col)
            .hint(msg!("default-language-first-hint", language)),
        );
    }
    out
}

impl Config {
    /// The configuration of the site's translation into `code`: its
    /// language, title and description, and URLs under its prefix
    /// (`/portal/en/`); static files stay at the site's root
    /// (`root_path`). `boards` keeps only the boards in `keep`.
    pub fn translation(&self, code: &str, keep: &dyn Fn(&BoardConfig) -> bool) -> Config {
        let lang = self
            .languages
            .iter()
            .find(|l| l.code == code)
            .expect("a declared language");
        let mut c = self.clone();
        c.language = lang.code.clone();
        if let Some(t) = &lang.title {
            c.title = t.clone();
        }
        if lang.description.is_some() {
            c.description = lang.description.clone();
        }
        c.lang_prefix = lang.prefix();
        c.base_path = format!("{}{}", self.base_path, c.lang_prefix);
        c.base_url = format!("{}{}", self.base_url, c.lang_prefix);
        c.boards.retain(|b| keep(b));
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_default_first_with_names_and_prefixes() {
        let c = Config::parse(
            "title: 站\nbase_url: https://e.org/p/\nlanguages: [zh-CN, { code: en, title: Site }]\n",
        )
        .unwrap();
        assert_eq!(c.language, "zh-CN", "the first language is the site's");
        let names: Vec<(&str, &str, &str)> = (c.languages.iter())
            .map(|l| (l.code.as_str(), l.name.as_str(), l.short.as_str()))
            .collect();
        assert_eq!(names, [("zh-CN", "中文", "中"), ("en", "English", "EN")]);
        let en = c.translation("en", &|_| true);
        assert_eq!((en.title.as_str(), en.language.as_str()), ("Site", "en"));
        assert_eq!(
            (en.base_path.as_str(), en.root_path.as_str()),
            ("/p/en/", "/p/")
        );
        assert_eq!(en.base_url, "https://e.org/p/en/");
        assert_eq!(en.lang_prefix, "en/");
        assert!(c.lang_prefix.is_empty());
    }

    #[test]
    fn a_translations_base_url_follows_an_override() {
        let c = Config::parse("title: T\nlanguages: [en, fr]\n").unwrap();
        let mut fr = c.translation("fr", &|_| true);
        fr.set_base_url("http://127.0.0.1:1111/").unwrap();
        assert_eq!(
            (
                fr.base_url.as_str(),
                fr.base_path.as_str(),
                fr.root_path.as_str()
            ),
            ("http://127.0.0.1:1111/fr/", "/fr/", "/")
        );
    }
}
