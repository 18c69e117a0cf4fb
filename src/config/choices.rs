//! site.yaml keys that take one of a few named values: each read with the
//! same rule (an unknown value is an error at its line, with the choices).

use crate::messages::Text;
use crate::msg;
use crate::schema::MapReader;

/// Reads `key` through `parse`; an unknown value is reported with `hint`.
fn choice<T>(
    r: &mut MapReader<'_>,
    key: &'static str,
    what: Text,
    parse: impl Fn(&str) -> Option<T>,
    hint: impl Fn(&str) -> Text,
) -> Option<T> {
    let name = r.string(key)?;
    let found = parse(&name);
    if found.is_none() {
        let n = r.node(key).expect("read above");
        r.invalid(
            key,
            n,
            msg!("unknown-choice", what => what, name),
            hint(&name),
        );
    }
    found
}

/// `slugs: pinyin | unicode`.
pub fn slugs(r: &mut MapReader<'_>) -> crate::slug::SlugStyle {
    choice(
        r,
        "slugs",
        msg!("slug-style"),
        crate::slug::SlugStyle::from_name,
        |_| msg!("slug-style-hint"),
    )
    .unwrap_or_default()
}

/// `anchors: github | herald | pinyin`.
pub fn anchors(r: &mut MapReader<'_>) -> crate::slug::AnchorStyle {
    choice(
        r,
        "anchors",
        msg!("anchor-style"),
        crate::slug::AnchorStyle::from_name,
        |_| {
            msg!(
                "anchor-style-hint",
                all = crate::slug::AnchorStyle::NAMES.join(", ")
            )
        },
    )
    .unwrap_or_default()
}

/// `highlight: { engine: syntect | tree-sitter }`.
pub fn highlight_engine(r: &mut MapReader<'_>) -> crate::markdown::highlight::Engine {
    use crate::markdown::highlight::Engine;
    choice(
        r,
        "engine",
        msg!("highlight-engine"),
        Engine::from_name,
        |_| msg!("highlight-engine-hint", all = Engine::NAMES.join(", ")),
    )
    .unwrap_or_default()
}

/// `timezone: Asia/Shanghai` (an IANA name).
pub fn timezone(r: &mut MapReader<'_>) -> Option<chrono_tz::Tz> {
    choice(
        r,
        "timezone",
        msg!("time-zone"),
        |n| n.parse().ok(),
        |name| {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
            match crate::error::did_you_mean(name, names) {
                Some(s) => msg!("time-zone-did-you-mean", near = s),
                None => msg!("time-zone-hint"),
            }
        },
    )
}

/// `front_matter: required | optional`; true for optional.
pub fn front_matter_optional(r: &mut MapReader<'_>) -> bool {
    choice(
        r,
        "front_matter",
        msg!("value"),
        |v| match v {
            "required" => Some(false),
            "optional" => Some(true),
            _ => None,
        },
        |_| msg!("front-matter-choice-hint"),
    )
    .unwrap_or(false)
}

/// A name, never a path: letters, digits, `-`, `_`, `.` (not leading), and
/// with `wild` the wildcards `*` and `?` (`theme`, `language`, `output.keep`).
pub fn plain_name(s: &str, wild: bool) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s != "."
        && s != ".."
        && (wild || !s.starts_with('.'))
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | '.')
                || (wild && matches!(c, '*' | '?'))
        })
}
