//! URL slugs. Chinese and other scripts are kept as they are (browsers show
//! them, servers percent-encode them); ASCII is lower-cased and punctuation
//! and spaces become `-`.

/// How slugs treat Chinese (and other non-Latin) text, set by `slugs:` in
/// site.yaml and applied to every slug herald makes (file names, titles in
/// `herald new`, taxonomy terms, series).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SlugStyle {
    /// Chinese characters become toneless pinyin: `乡村振兴` → `xiang-cun-zhen-xing`.
    #[default]
    Pinyin,
    /// Kept as they are: `乡村振兴`.
    Unicode,
}

impl SlugStyle {
    pub fn from_name(s: &str) -> Option<SlugStyle> {
        match s {
            "pinyin" => Some(SlugStyle::Pinyin),
            "unicode" => Some(SlugStyle::Unicode),
            _ => None,
        }
    }
}

/// The longest slug, in bytes: a URL segment is also a folder name, and
/// file systems refuse names over 255 bytes ("File name too long").
pub const MAX_SLUG_BYTES: usize = 200;

/// Cuts `s` to at most [`MAX_SLUG_BYTES`], at a character boundary and
/// without a trailing `-`.
fn cap(mut s: String) -> String {
    if s.len() > MAX_SLUG_BYTES {
        let mut end = MAX_SLUG_BYTES;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        while s.ends_with('-') {
            s.pop();
        }
    }
    s
}

/// Makes a slug in the given style, at most [`MAX_SLUG_BYTES`] long.
pub fn slug(style: SlugStyle, s: &str) -> String {
    cap(slug_uncapped(style, s))
}

fn slug_uncapped(style: SlugStyle, s: &str) -> String {
    match style {
        SlugStyle::Unicode => slugify(s),
        SlugStyle::Pinyin => {
            use pinyin::ToPinyin;
            let mut spelled = String::with_capacity(s.len() * 2);
            for c in s.chars() {
                match c.to_pinyin() {
                    Some(p) => {
                        spelled.push(' ');
                        spelled.push_str(p.plain());
                        spelled.push(' ');
                    }
                    None => spelled.push(c),
                }
            }
            slugify(&spelled)
        }
    }
}

/// Makes one URL segment from a title, file name or term, keeping
/// non-Latin letters as they are.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        // ASCII and the unified ideographs (letters without case) skip
        // the Unicode tables: every heading on every page is slugged.
        let ideograph = ('\u{4E00}'..='\u{9FFF}').contains(&c);
        let keep = if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '_'
        } else {
            ideograph || c.is_alphanumeric()
        };
        if keep {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            if c.is_ascii() || ideograph {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            dash = true;
        }
    }
    out
}

/// How heading ids are made, set by `anchors:` in site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnchorStyle {
    /// GitHub's (and mdBook's, and most editors' previews): lower-cased,
    /// punctuation dropped, each space a `-`, CJK kept:
    /// `示例：别名 一个` → `示例别名-一个`.
    #[default]
    GitHub,
    /// herald's first style: like slugs, punctuation and spaces a single
    /// `-` (`示例-别名-一个`).
    Herald,
    /// Chinese as toneless pinyin, as slugs: `xiang-cun-zhen-xing`.
    Pinyin,
}

impl AnchorStyle {
    pub const NAMES: [&'static str; 3] = ["github", "herald", "pinyin"];

    pub fn from_name(s: &str) -> Option<AnchorStyle> {
        match s {
            "github" => Some(AnchorStyle::GitHub),
            "herald" => Some(AnchorStyle::Herald),
            "pinyin" => Some(AnchorStyle::Pinyin),
            _ => None,
        }
    }
}

/// Makes a heading anchor in `style`; an empty result becomes `section` so
/// every heading gets an id.
pub fn anchor(style: AnchorStyle, s: &str) -> String {
    let id = match style {
        AnchorStyle::GitHub => github_anchor(s),
        AnchorStyle::Herald => slugify(s),
        AnchorStyle::Pinyin => slug(SlugStyle::Pinyin, s),
    };
    if id.is_empty() { "section".into() } else { id }
}

/// GitHub's heading ids (github-slugger): letters and numbers of any
/// script lower-cased, `-` and `_` kept, each space a `-`, everything
/// else (punctuation, symbols, other white space) dropped.
fn github_anchor(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c == ' ' {
            out.push('-');
        } else if c == '-' || c == '_' || c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  第一章 总则 "), "第一章-总则");
        assert_eq!(slugify("Rust 与 CJK：混排"), "rust-与-cjk-混排");
        assert_eq!(slugify("a__b"), "a__b");
        assert_eq!(anchor(AnchorStyle::Herald, "？？"), "section");
    }

    #[test]
    fn anchors_follow_github_by_default() {
        let gh = |s| anchor(AnchorStyle::GitHub, s);
        // Cases from GitHub's and mdBook's rendering.
        assert_eq!(gh("示例：别名一个可变引用"), "示例别名一个可变引用");
        assert_eq!(gh("Hello, World!"), "hello-world");
        assert_eq!(gh("Send and Sync (part 2)"), "send-and-sync-part-2");
        assert_eq!(gh("a - b"), "a---b");
        assert_eq!(gh("`Option<T>` 与 `Result`"), "optiont-与-result");
        assert_eq!(gh("snake_case_名字"), "snake_case_名字");
        assert_eq!(gh("Ünïcödé"), "ünïcödé");
        assert_eq!(gh("？？"), "section");
        assert_eq!(anchor(AnchorStyle::Herald, "示例：别名"), "示例-别名");
        assert_eq!(
            anchor(AnchorStyle::Pinyin, "乡村振兴"),
            "xiang-cun-zhen-xing"
        );
    }

    #[test]
    fn fast_paths_agree_with_the_unicode_tables() {
        // What `slugify` assumes instead of looking characters up.
        for c in (0u8..0x80).map(char::from) {
            assert_eq!(c.is_alphanumeric(), c.is_ascii_alphanumeric(), "{c:?}");
            assert!(c.to_lowercase().eq([c.to_ascii_lowercase()]), "{c:?}");
        }
        for c in '\u{4E00}'..='\u{9FFF}' {
            assert!(c.is_alphanumeric() && c.to_lowercase().eq([c]), "{c}");
        }
    }

    #[test]
    fn long_titles_make_slugs_a_file_system_accepts() {
        let title = "很长的标题".repeat(60);
        for style in [SlugStyle::Pinyin, SlugStyle::Unicode] {
            let s = slug(style, &title);
            assert!(s.len() <= MAX_SLUG_BYTES && !s.ends_with('-'), "{s}");
            assert!(!s.is_empty());
        }
        assert_eq!(slug(SlugStyle::Unicode, "短"), "短");
    }

    #[test]
    fn pinyin_slugs() {
        assert_eq!(slug(SlugStyle::Pinyin, "乡村振兴"), "xiang-cun-zhen-xing");
        assert_eq!(
            slug(SlugStyle::Pinyin, "Rust 与 CJK：混排"),
            "rust-yu-cjk-hun-pai"
        );
        assert_eq!(slug(SlugStyle::Pinyin, "2026年夜读"), "2026-nian-ye-du");
        assert_eq!(slug(SlugStyle::Unicode, "乡村振兴"), "乡村振兴");
    }
}
