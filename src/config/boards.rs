//! Boards and taxonomies in site.yaml: each entry checked, every problem
//! reported with its line.

use super::*;
use crate::msg;

/// Keys that cannot be boards because herald publishes its own pages there.
const RESERVED: [&str; 4] = ["page", "static", "search", "404"];

fn valid_segment(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// site.yaml's `boards:` list, each board's kind one of `kinds`.
pub(super) fn parse_boards(
    r: &mut MapReader,
    kinds: &Kinds,
    diags: &mut Vec<Diagnostic>,
) -> Vec<BoardConfig> {
    let file = CONFIG_FILE;
    let mut boards: Vec<BoardConfig> = Vec::new();
    let Some(node) = r.node("boards") else {
        return boards;
    };
    let Value::Seq(items) = &node.value else {
        r.type_error(
            "boards",
            node,
            "a list of boards",
            "[{ key: news, title: News, kind: article }]",
        );
        return boards;
    };
    for item in items {
        let Some(b) = parse_board(file, item, kinds, diags) else {
            continue;
        };
        if boards.iter().any(|o| o.key == b.key) {
            diags.push(
                Diagnostic::error(file, msg!("board-twice", board = b.key))
                    .at(item.line)
                    .hint(msg!("board-twice-hint")),
            );
        } else {
            boards.push(b);
        }
    }
    boards
}

fn parse_board(
    file: &str,
    node: &Node,
    kinds: &Kinds,
    diags: &mut Vec<Diagnostic>,
) -> Option<BoardConfig> {
    let mut r = MapReader::new(file, node, msg!("a-board"));
    let key = r.required_string("key", node.line, "news");
    let title = r.required_string("title", node.line, "News");
    let kind_name = r.string("kind");
    let paginate = r.count("paginate", 1).map(|n| n as usize);
    let sort_name = r.string("sort");
    let description = r.string("description");
    let mut kind = Kind::Article;
    if let Some(k) = &kind_name {
        match kinds.get(k) {
            Some(found) => kind = found.base,
            None => {
                let n = r.node("kind").expect("read above");
                let names: Vec<&str> = kinds.names().collect();
                let all = names.join(", ");
                let hint = match crate::error::did_you_mean(k, names.iter().copied()) {
                    Some(s) => msg!("did-you-mean-of", near = s, what => msg!("kinds"), all),
                    None => msg!("choices-are", what => msg!("kinds"), all),
                };
                r.invalid(
                    "kind",
                    n,
                    msg!("unknown-choice", what => msg!("kind"), name = k),
                    hint,
                );
            }
        }
    }
    // Lessons in course order; plain pages (guides, policies) by weight,
    // then title, as they seldom carry dates; the rest newest first.
    let default_sort = match kind {
        Kind::Lesson => SortBy::Order,
        Kind::Page => SortBy::Weight,
        _ => SortBy::Date,
    };
    let mut sort = default_sort;
    if let Some(s) = &sort_name {
        match SortBy::from_name(s) {
            Some(found) => sort = found,
            None => {
                let n = r.node("sort").expect("read above");
                r.invalid(
                    "sort",
                    n,
                    msg!("unknown-choice", what => msg!("sort-order"), name = s),
                    msg!("use-one-of", all = SortBy::NAMES.join(", ")),
                );
            }
        }
    }
    if let Some(k) = &key
        && (!valid_segment(k) || RESERVED.contains(&k.as_str()))
    {
        let n = r.node("key").expect("read above");
        r.invalid(
            "key",
            n,
            msg!("bad-board-key", key = k),
            msg!("bad-board-key-hint"),
        );
    }
    let mut local = r.finish(|_| None);
    let ok = !local.iter().any(Diagnostic::is_error);
    diags.append(&mut local);
    if !ok {
        return None;
    }
    Some(BoardConfig {
        key: key?,
        title: title?,
        kind,
        kind_name: kind_name.unwrap_or_else(|| Kind::Article.name().to_string()),
        paginate,
        sort,
        description,
        line: node.line,
    })
}

pub(super) fn parse_taxonomy(
    file: &str,
    node: &Node,
    diags: &mut Vec<Diagnostic>,
) -> Option<TaxonomyConfig> {
    let (name, title, paginate, feed, line) = match &node.value {
        Value::Str(s) => (s.clone(), None, Some(10), false, node.line),
        Value::Map(_) => {
            let mut r = MapReader::new(file, node, msg!("a-taxonomy"));
            let name = r.required_string("name", node.line, "tags");
            let title = r.string("title");
            let paginate = r.count("paginate", 1).map(|n| n as usize).or(Some(10));
            let feed = r.boolean("feed").unwrap_or(false);
            let mut local = r.finish(|_| None);
            let failed = local.iter().any(Diagnostic::is_error);
            diags.append(&mut local);
            if failed {
                return None;
            }
            (name?, title, paginate, feed, node.line)
        }
        other => {
            diags.push(
                Diagnostic::error(file, msg!("taxonomy-not-a-name", found => other.describe()))
                    .at(node.line)
                    .hint(msg!("taxonomy-not-a-name-hint")),
            );
            return None;
        }
    };
    if !valid_segment(&name) {
        diags.push(
            Diagnostic::error(file, msg!("bad-taxonomy-name", name))
                .at(line)
                .hint(msg!("bad-taxonomy-name-hint")),
        );
        return None;
    }
    Some(TaxonomyConfig {
        name,
        title,
        paginate,
        feed,
    })
}
