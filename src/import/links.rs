//! Link targets in a page's Markdown that name a page by where the old
//! tool published it (`/2020/01/02/title.html`), or by a file that moved,
//! rewritten to herald's `@/path.md` form. The targets are found with
//! pulldown-cmark's source offsets (inline links and images, and reference
//! definitions); nothing else in the text changes.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Rewrites each link target for which `new_target` gives a new one.
pub fn rewrite(body: &str, new_target: &dyn Fn(&str) -> Option<String>) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let parser = Parser::new_ext(body, opts);
    let defs: Vec<(String, std::ops::Range<usize>)> = parser
        .reference_definitions()
        .iter()
        .map(|(_, d)| (d.dest.to_string(), d.span.clone()))
        .collect();
    let in_def = |range: &std::ops::Range<usize>| {
        defs.iter()
            .any(|(_, s)| s.start <= range.start && range.end <= s.end)
    };
    for (event, range) in parser.into_offset_iter() {
        let dest = match &event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                dest_url.to_string()
            }
            _ => continue,
        };
        let Some(new) = new_target(&dest) else {
            continue;
        };
        let src = &body[range.clone()];
        // An inline target follows `](`; a reference link's is in its
        // definition, rewritten below.
        if let Some(p) = src
            .rfind(&format!("]({dest}"))
            .or_else(|| src.rfind(&format!("](<{dest}")))
        {
            let at = range.start + p + 2 + usize::from(src[p + 2..].starts_with('<'));
            if !in_def(&range) {
                edits.push((at, at + dest.len(), new));
            }
        }
    }
    for (dest, span) in &defs {
        if let Some(new) = new_target(dest)
            && let Some(p) = body[span.clone()].find(dest.as_str())
        {
            let at = span.start + p;
            edits.push((at, at + dest.len(), new));
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    edits.dedup_by_key(|e| e.0);
    let mut out = body.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_link_targets() {
        let body = "See [a](/2020/01/02/a.html#x) and ![i](/img.png).\n\n`[a](/2020/01/02/a.html)`\n\n[r][ref]\n\n[ref]: /2020/01/02/a.html\n";
        let out = rewrite(body, &|d| {
            d.strip_prefix("/2020/01/02/a.html")
                .map(|frag| format!("@/posts/a.md{frag}"))
        });
        assert_eq!(
            out,
            "See [a](@/posts/a.md#x) and ![i](/img.png).\n\n`[a](/2020/01/02/a.html)`\n\n[r][ref]\n\n[ref]: @/posts/a.md\n"
        );
    }
}
