//! URL slugs. Chinese and other scripts are kept as they are (browsers show
//! them, servers percent-encode them); ASCII is lower-cased and punctuation
//! and spaces become `-`.

/// Makes one URL segment from a title, file name or term.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut dash = false;
    for c in s.chars() {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Makes a heading anchor: like [`slugify`], but an empty result becomes
/// `section` so every heading gets an id.
pub fn anchor(s: &str) -> String {
    let slug = slugify(s);
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
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
        assert_eq!(anchor("？？"), "section");
    }
}
