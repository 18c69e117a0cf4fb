//! Small adapters over the block structure of a page's events: the title
//! a migrated page repeats, task list boxes in HTML5, and tables wrapped to
//! scroll on a phone within reach of a keyboard.

use super::Events;
use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

/// Leaves out a first heading `# title` that says the page's title again,
/// as pages migrated from mdBook, Zola or Hugo do under front matter that
/// already names it: a page would otherwise show two `h1`s. Only a level-1
/// heading before any other content, with exactly the title's text.
pub(super) fn drop_repeated_title(events: &mut Events<'_>, title: &str) {
    let Some((Event::Start(Tag::Heading { level, .. }), _)) = events.first() else {
        return;
    };
    if *level != HeadingLevel::H1 {
        return;
    }
    let Some(end) = events
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
    else {
        return;
    };
    let text: String = events[1..end]
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if text.trim() == title.trim() {
        events.drain(..=end);
    }
}

/// Task list boxes as HTML5 writes them: pulldown-cmark's XHTML-style
/// `<input … checked=""/>` makes the Nu HTML Checker remark on every one.
pub(super) fn task_boxes(events: &mut Events<'_>) {
    for (e, _) in events.iter_mut() {
        if let Event::TaskListMarker(checked) = *e {
            let html = if checked {
                "<input type=\"checkbox\" disabled checked>\n"
            } else {
                "<input type=\"checkbox\" disabled>\n"
            };
            *e = Event::Html(html.into());
        }
    }
}

/// Each table in a focusable wrapper that scrolls sideways when the table
/// is wider than the page (a phone), so a keyboard reaches every column.
pub(super) fn wrap_tables(events: &mut Events<'_>, name: &str) {
    let tables = events
        .iter()
        .filter(|(e, _)| matches!(e, Event::Start(Tag::Table(_))))
        .count();
    if tables == 0 {
        return;
    }
    let mut open =
        String::from("<div class=\"table-wrap\" tabindex=\"0\" role=\"group\" aria-label=\"");
    let _ = pulldown_cmark_escape::escape_html(&mut open, name);
    open.push_str("\">");
    let mut out = Vec::with_capacity(events.len() + 2 * tables);
    for (e, range) in events.drain(..) {
        let end = matches!(e, Event::End(TagEnd::Table));
        if matches!(e, Event::Start(Tag::Table(_))) {
            out.push((Event::Html(open.clone().into()), range.clone()));
        }
        out.push((e, range.clone()));
        if end {
            out.push((Event::Html("</div>\n".into()), range));
        }
    }
    *events = out;
}

#[cfg(test)]
mod tests {
    use super::super::{MarkdownOptions, highlight::Highlighter, tests::test_options};

    #[test]
    fn a_first_heading_repeating_the_title_is_left_out() {
        let h = Highlighter::new();
        let with_title = |src: &str, title: &str| {
            let opts = MarkdownOptions {
                collect_refs: false,
                title: Some(title),
                ..test_options(&h)
            };
            super::super::render(src, &opts).0
        };
        let r = with_title("# 安装 `herald`\n\n正文。\n\n## 一\n", "安装 herald");
        assert!(!r.html.contains("<h1"), "{}", r.html);
        assert_eq!(r.facts.toc.len(), 1);
        // Another first heading, or the title later on, stays.
        assert!(
            with_title("# 别的\n\n正文。\n", "安装")
                .html
                .contains("<h1")
        );
        assert!(
            with_title("正文。\n\n# 安装\n", "安装")
                .html
                .contains("<h1")
        );
        assert!(with_title("## 安装\n", "安装").html.contains("<h2"));
    }
}
