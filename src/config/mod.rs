//! `site.yaml`: site settings and the ordered list of boards.
//! The schema is documented in `docs/configuration.md`.

use crate::error::Diagnostic;
use crate::msg;
use crate::schema::MapReader;
use crate::yaml::{self, Node, Value};
use std::path::Path;

mod boards;
mod choices;
mod languages;
mod url;
use boards::{parse_boards, parse_taxonomy};
pub use languages::LanguageConfig;
pub use url::split_base_url;

pub const CONFIG_FILE: &str = "site.yaml";

pub use crate::kinds::Kind;
use crate::kinds::{KindDef, Kinds};

/// How a board orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Newest first.
    Date,
    /// By `series`, then `order` (lessons), then `weight`, then title.
    Order,
    /// By `weight`, lightest first.
    Weight,
    /// Alphabetically by title.
    Title,
}

impl SortBy {
    const NAMES: [&'static str; 4] = ["date", "order", "weight", "title"];

    fn from_name(s: &str) -> Option<SortBy> {
        Some(match s {
            "date" => SortBy::Date,
            "order" => SortBy::Order,
            "weight" => SortBy::Weight,
            "title" => SortBy::Title,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct BoardConfig {
    pub key: String,
    pub title: String,
    /// The built-in kind whose behaviour the board's kind has.
    pub kind: Kind,
    /// The board's kind as site.yaml names it (`film`; `article` for a
    /// built-in kind).
    pub kind_name: String,
    /// Pages per index page; `None` puts every page on one index.
    pub paginate: Option<usize>,
    pub sort: SortBy,
    pub description: Option<String>,
    /// The line in site.yaml, for messages.
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct TaxonomyConfig {
    pub name: String,
    pub title: Option<String>,
    pub paginate: Option<usize>,
    /// Write an Atom feed per term.
    pub feed: bool,
}

/// Atom feeds: one for the site, one per board.
#[derive(Debug, Clone)]
pub struct FeedConfig {
    pub enabled: bool,
    /// Entries per feed, newest first.
    pub limit: usize,
    /// Whole pages in entries instead of summaries.
    pub full_content: bool,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: Option<String>,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url`, e.g. `/portal/`; always starts and ends with `/`.
    pub base_path: String,
    pub language: String,
    /// `languages:`, the default (`language`) first; empty when the site
    /// declares none.
    pub languages: Vec<LanguageConfig>,
    /// A translation's URL segment (`en/`); empty for the default language.
    pub lang_prefix: String,
    /// The path of the site's root, where static files are: `base_path`
    /// without a translation's prefix.
    pub root_path: String,
    pub theme: String,
    pub author: Option<String>,
    pub boards: Vec<BoardConfig>,
    /// The built-in kinds and the site's own (`kinds:`).
    pub kinds: Kinds,
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Summary length when a page has no `<!-- more -->`, in words (a CJK
    /// character counts as two thirds of a word).
    pub summary_words: usize,
    /// Items of each board shown on the home page.
    pub home_items: usize,
    /// Code highlighting: the two themes and the engine.
    pub highlight: crate::markdown::highlight::HighlightOptions,
    pub feeds: FeedConfig,
    /// Build the client-side search index and page.
    pub search: bool,
    /// How slugs spell Chinese: pinyin (default) or unicode.
    pub slugs: crate::slug::SlugStyle,
    /// How heading ids are made: GitHub's (default), herald's first style,
    /// or pinyin.
    pub anchors: crate::slug::AnchorStyle,
    /// The IANA time zone dates without an offset are read in (UTC when
    /// not set); `herald new` writes dates in it.
    pub timezone: Option<chrono_tz::Tz>,
    /// `front_matter: optional`: a page may have none, its title then
    /// taken from its first `# heading`.
    pub front_matter_optional: bool,
    /// Write `robots.txt` (naming the sitemap). Crawlers read it only at
    /// the host's root, so a site under a sub-path is warned.
    pub robots: bool,
    /// Raw HTML in Markdown is passed through (editors are trusted); `false`
    /// shows it as text instead.
    pub raw_html: bool,
    /// Top-level entries of the output folder that are the user's and
    /// survive each build (`output: { keep: [...] }`; `*` and `?` match).
    pub output_keep: Vec<String>,
    /// What lists (boards, home, terms, series) show of other pages.
    pub lists: Lists,
    /// The site's emblem, a file under static/ (`logo: emblem.svg`) the
    /// theme shows beside its title, and the line that names it.
    pub logo: Option<(String, usize)>,
    /// Show a QR code of each article, lesson, case and publication
    /// (`qr_code: false` turns it off); the theme reads `site.qr_code`.
    pub qr_code: bool,
    pub extra: serde_json::Value,
}

/// `lists: { content: …, toc: … }`: whether a page's value in a list
/// carries its HTML `content` and its `toc`. Off by default (the built-in
/// theme shows neither); a template that shows them in a list says so
/// here, and without it such a template fails with a hint rather than
/// showing nothing. A one-off build then keeps every page's HTML until the
/// lists are made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lists {
    pub content: bool,
    pub toc: bool,
}

/// What `output.keep` is when site.yaml does not say.
pub const DEFAULT_KEEP: [&str; 3] = [".git", "CNAME", ".nojekyll"];

impl Config {
    pub fn board(&self, key: &str) -> Option<&BoardConfig> {
        self.boards.iter().find(|b| b.key == key)
    }

    /// The kind of the pages of `board` (a top-level page is a `page`).
    pub fn kind_of(&self, board: Option<&str>) -> &KindDef {
        board
            .and_then(|b| self.board(b))
            .and_then(|b| self.kinds.get(&b.kind_name))
            .unwrap_or_else(|| self.kinds.of(Kind::Page))
    }

    /// Replaces the base URL (for `--base-url` and the dev server).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) = split_base_url(url)?;
        self.base_url = format!("{base_url}{}", self.lang_prefix);
        self.root_path = base_path.clone();
        self.base_path = format!("{base_path}{}", self.lang_prefix);
        Ok(())
    }

    /// True for Chinese, Japanese and Korean sites.
    pub fn is_cjk(&self) -> bool {
        let l = self.language.to_ascii_lowercase();
        l.starts_with("zh") || l.starts_with("ja") || l.starts_with("ko")
    }

    /// The `language` of the site at `root`, read on its own: known even
    /// when the rest of site.yaml has mistakes (messages about them are
    /// then in the site's language).
    pub fn language_of(root: &Path) -> Option<String> {
        let text = Config::read(root).ok()?;
        let node = yaml::parse(&text, 0).ok()?;
        match &node.value {
            yaml::Value::Map(entries) => entries
                .iter()
                .find(|e| e.key == "language")
                .and_then(|e| e.value.value.as_str().map(str::to_string)),
            _ => None,
        }
    }

    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(&Config::read(root)?)
    }

    /// site.yaml's text, if it lies inside the site and reads as text.
    fn read(root: &Path) -> Result<String, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        if let Err(e) = crate::confine::check(&crate::confine::real_root(root), &path) {
            return Err(vec![e.diagnostic(CONFIG_FILE)]);
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            vec![
                Diagnostic::error(CONFIG_FILE, msg!("cannot-read-settings", why = e))
                    .hint(msg!("cannot-read-settings-hint")),
            ]
        })?;
        crate::source::decode_text(CONFIG_FILE, &bytes).map_err(|d| vec![d])
    }

    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let file = CONFIG_FILE;
        let node = yaml::parse(text, 0).map_err(|e| {
            vec![Diagnostic {
                hint: e.hint,
                ..Diagnostic::error(file, e.message).at_col(e.line, e.col)
            }]
        })?;
        let mut r = MapReader::new(file, &node, "site.yaml");
        let title = r
            .required_string("title", 1, "My portal")
            .unwrap_or_default();
        let description = r.string("description");
        let base_url_raw = r.string("base_url");
        let mut language = r.string("language").unwrap_or_else(|| "en".into());
        let theme = r.string("theme").unwrap_or_else(|| "default".into());
        let author = r.string("author");
        let summary_words = r.count("summary_words", 1).unwrap_or(50) as usize;
        let home_items = r.count("home_items", 0).unwrap_or(5) as usize;
        let extra = r.json("extra");
        let search = r.boolean("search").unwrap_or(true);
        let raw_html = r.boolean("raw_html").unwrap_or(true);
        let slugs = choices::slugs(&mut r);
        let timezone = choices::timezone(&mut r);
        let robots = r.boolean("robots").unwrap_or(true);
        let qr_code = r.boolean("qr_code").unwrap_or(true);
        let logo_line = r.node("logo").map_or(0, |n| n.line);
        let logo = r
            .string("logo")
            .map(|l| (l.trim_start_matches('/').to_string(), logo_line));
        let front_matter_optional = choices::front_matter_optional(&mut r);
        let anchors = choices::anchors(&mut r);
        let mut feeds = FeedConfig {
            enabled: true,
            limit: 20,
            full_content: false,
        };
        let mut highlight = crate::markdown::highlight::HighlightOptions::default();
        let mut diags = Vec::new();
        let mut output_keep: Vec<String> = DEFAULT_KEEP.map(String::from).to_vec();
        if let Some(o) = r.node("output") {
            let mut or = MapReader::new(file, o, "output");
            if or.has("keep") {
                output_keep = or.string_list("keep");
                if let Some(bad) = output_keep.iter().find(|k| !choices::plain_name(k, true)) {
                    diags.push(
                        Diagnostic::error(file, msg!("bad-keep", name = bad))
                            .at(o.line)
                            .hint(msg!("bad-keep-hint")),
                    );
                }
            }
            diags.extend(or.finish(|_| None));
        }
        for (key, value) in [("theme", &theme), ("language", &language)] {
            if !choices::plain_name(value, false) {
                let n = r.node(key).expect("read above");
                r.invalid(
                    key,
                    n,
                    msg!("not-a-plain-name", value),
                    msg!(
                        "not-a-plain-name-hint",
                        key,
                        example = if key == "theme" { "default" } else { "zh-CN" }
                    ),
                );
            }
        }
        if let Some(h) = r.node("highlight") {
            let mut hr = MapReader::new(file, h, "highlight");
            if let Some(l) = hr.string("light") {
                highlight.light = l;
            }
            if let Some(d) = hr.string("dark") {
                highlight.dark = d;
            }
            highlight.engine = choices::highlight_engine(&mut hr);
            diags.extend(hr.finish(|_| None));
        }
        let mut lists = Lists::default();
        if let Some(l) = r.node("lists") {
            let mut lr = MapReader::new(file, l, "lists");
            lists.content = lr.boolean("content").unwrap_or(false);
            lists.toc = lr.boolean("toc").unwrap_or(false);
            diags.extend(lr.finish(|_| None));
        }
        if let Some(f) = r.node("feeds") {
            let mut fr = MapReader::new(file, f, "feeds");
            feeds.enabled = fr.boolean("enabled").unwrap_or(true);
            feeds.limit = fr.count("limit", 1).map_or(20, |n| n as usize);
            feeds.full_content = fr.boolean("full_content").unwrap_or(false);
            diags.extend(fr.finish(|_| None));
        }

        let (base_url, base_path) = match &base_url_raw {
            None => ("/".to_string(), "/".to_string()),
            Some(url) => match split_base_url(url) {
                Ok(v) => v,
                Err(msg) => {
                    let n = r.node("base_url").expect("read above");
                    r.invalid(
                        "base_url",
                        n,
                        msg,
                        "for example: base_url: https://example.org/portal/",
                    );
                    ("/".to_string(), "/".to_string())
                }
            },
        };

        let languages = languages::parse_languages(&mut r, &language, &mut diags);
        if let (false, Some(first)) = (r.has("language"), languages.first()) {
            language = first.code.clone();
        }
        let (kinds, mut kind_diags) = Kinds::declared(file, r.node("kinds"));
        diags.append(&mut kind_diags);
        let boards = parse_boards(&mut r, &kinds, &mut diags);

        let mut taxonomies = Vec::new();
        if let Some(node) = r.node("taxonomies") {
            match &node.value {
                Value::Seq(items) => {
                    for item in items {
                        if let Some(t) = parse_taxonomy(file, item, &mut diags) {
                            taxonomies.push(t);
                        }
                    }
                }
                _ => r.type_error("taxonomies", node, "a list of taxonomy names", "[tags]"),
            }
        } else {
            taxonomies.push(TaxonomyConfig {
                name: "tags".into(),
                title: None,
                paginate: Some(10),
                feed: false,
            });
        }
        for l in languages.iter().skip(1) {
            let prefix = l.prefix();
            let segment = prefix.trim_end_matches('/');
            if let Some(b) = boards.iter().find(|b| b.key == segment) {
                diags.push(
                    Diagnostic::error(file, msg!("board-is-language", board = b.key))
                        .at(b.line)
                        .hint(msg!("page-in-language-folder-hint")),
                );
            }
        }
        for t in &taxonomies {
            for k in kinds.all().iter().filter(|k| k.field(&t.name).is_some()) {
                diags.push(
                    Diagnostic::error(
                        file,
                        msg!("field-clashes-taxonomy", key = t.name, kind = k.name),
                    )
                    .at(k.line)
                    .hint(msg!("field-clashes-taxonomy-hint", key = t.name)),
                );
            }
            if let Some(b) = boards.iter().find(|b| b.key == t.name) {
                diags.push(
                    Diagnostic::error(file, msg!("board-and-taxonomy", name = t.name))
                        .at(b.line)
                        .hint(msg!("board-and-taxonomy-hint")),
                );
            }
        }
        diags.extend(r.finish(|_| None));
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        Ok(Config {
            title,
            description,
            base_url,
            root_path: base_path.clone(),
            base_path,
            language,
            languages,
            lang_prefix: String::new(),
            theme,
            author,
            boards,
            kinds,
            taxonomies,
            summary_words,
            home_items,
            highlight,
            feeds,
            search,
            slugs,
            anchors,
            timezone,
            front_matter_optional,
            robots,
            qr_code,
            logo,
            raw_html,
            output_keep,
            lists,
            extra,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_sub_path() {
        assert_eq!(
            split_base_url("https://example.org/portal").unwrap(),
            ("https://example.org/portal/".into(), "/portal/".into())
        );
        assert_eq!(split_base_url("http://127.0.0.1:1111").unwrap().1, "/");
        assert!(split_base_url("example.org").is_err());
        for bad in [
            "//evil.org/",
            "https://e.org/../../",
            "https://e.org/a/./b/",
            "https://user@evil.org/",
            "https://e.org\\@evil.org/",
            "javascript:alert(1)",
            "https://e.org/a b/",
        ] {
            assert!(split_base_url(bad).is_err(), "{bad}");
        }
        assert!(split_base_url("http://[::1]:1111/").is_ok());
    }

    #[test]
    fn theme_and_language_are_plain_names() {
        for bad in [
            "theme: ../../x",
            "theme: /etc",
            "language: ../../../secret",
            "output: { keep: [../x] }",
        ] {
            assert!(
                Config::parse(&format!("title: T\n{bad}\n")).is_err(),
                "{bad}"
            );
        }
        let c = Config::parse("title: T\noutput: { keep: [.git, 'MP_verify_*.txt'] }\n").unwrap();
        assert_eq!(c.output_keep, [".git", "MP_verify_*.txt"]);
        assert_eq!(
            Config::parse("title: T\n").unwrap().output_keep,
            DEFAULT_KEEP
        );
    }

    #[test]
    fn parses_boards_in_order() {
        let c = Config::parse(
            "title: T\nboards:\n  - { key: news, title: 要闻, kind: article, paginate: 10 }\n  - { key: lessons, title: 微课, kind: lesson }\n",
        )
        .unwrap();
        assert_eq!(c.boards.len(), 2);
        assert_eq!(c.boards[1].kind, Kind::Lesson);
        assert_eq!(c.boards[1].sort, SortBy::Order);
        assert_eq!(c.taxonomies[0].name, "tags");
    }

    #[test]
    fn unknown_keys_and_bad_kinds_are_reported_together() {
        let errs = Config::parse(
            "title: T\ndescripton: x\nboards:\n  - { key: news, title: N, kind: articel }\n",
        )
        .unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(
            errs.iter()
                .any(|d| d.message.to_string().contains("did you mean `description`"))
        );
        assert!(
            errs.iter()
                .any(|d| d.hint.as_ref().unwrap().to_string().contains("`article`"))
        );
    }
}
