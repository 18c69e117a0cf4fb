//! site.yaml keys that take one of a few named values: each read with the
//! same rule (an unknown value is an error at its line, with the choices).

use crate::schema::MapReader;

/// Reads `key` through `parse`; an unknown value is reported with `hint`.
fn choice<T>(
    r: &mut MapReader<'_>,
    key: &'static str,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
    hint: impl Fn(&str) -> String,
) -> Option<T> {
    let name = r.string(key)?;
    let found = parse(&name);
    if found.is_none() {
        let n = r.node(key).expect("read above");
        r.invalid(key, n, format!("unknown {what} `{name}`"), hint(&name));
    }
    found
}

/// `slugs: pinyin | unicode`.
pub fn slugs(r: &mut MapReader<'_>) -> crate::slug::SlugStyle {
    choice(
        r,
        "slugs",
        "slug style",
        crate::slug::SlugStyle::from_name,
        |_| "use `pinyin` (乡村振兴 → xiang-cun-zhen-xing) or `unicode` (kept as is)".into(),
    )
    .unwrap_or_default()
}

/// `anchors: github | herald | pinyin`.
pub fn anchors(r: &mut MapReader<'_>) -> crate::slug::AnchorStyle {
    choice(
        r,
        "anchors",
        "anchor style",
        crate::slug::AnchorStyle::from_name,
        |_| {
            format!(
                "use one of: {} (github: 示例：别名 → #示例别名, as GitHub and mdBook)",
                crate::slug::AnchorStyle::NAMES.join(", ")
            )
        },
    )
    .unwrap_or_default()
}

/// `timezone: Asia/Shanghai` (an IANA name).
pub fn timezone(r: &mut MapReader<'_>) -> Option<chrono_tz::Tz> {
    choice(
        r,
        "timezone",
        "time zone",
        |n| n.parse().ok(),
        |name| {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
            match crate::error::did_you_mean(name, names) {
                Some(s) => format!("did you mean `{s}`? Time zones are IANA names"),
                None => {
                    "use an IANA name such as Asia/Shanghai, Asia/Hong_Kong or Europe/Berlin".into()
                }
            }
        },
    )
}

/// `front_matter: required | optional`; true for optional.
pub fn front_matter_optional(r: &mut MapReader<'_>) -> bool {
    choice(
        r,
        "front_matter",
        "value",
        |v| match v {
            "required" => Some(false),
            "optional" => Some(true),
            _ => None,
        },
        |_| "use `required` (the default) or `optional` (a page without front matter takes its title from its first # heading)".into(),
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
