//! Heading anchors and the table of contents. Ids come from the heading's
//! text in the site's anchor style (GitHub's by default, Chinese kept as
//! is), `{#custom-id}` wins, duplicates get `-1`, `-2`.

use super::Events;
use crate::slug;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use rustc_hash::{FxHashMap, FxHashSet};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// Gives every heading an id; returns the table of contents.
pub fn anchor(
    events: &mut Events<'_>,
    style: slug::AnchorStyle,
    anchors: &mut Vec<String>,
) -> Vec<TocEntry> {
    let mut toc = Vec::new();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    // The next suffix to try per id: a page of 40,000 identical headings
    // takes linear time, not a search from `-1` for each.
    let mut next: FxHashMap<String, usize> = FxHashMap::default();
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 else {
            i += 1;
            continue;
        };
        let level = *level as u8;
        let custom = id.as_ref().map(|s| s.to_string());
        let mut title = String::new();
        let mut j = i + 1;
        while j < events.len() {
            match &events[j].0 {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => title.push_str(t),
                Event::SoftBreak | Event::HardBreak => title.push(' '),
                _ => {}
            }
            j += 1;
        }
        let base = custom.unwrap_or_else(|| slug::anchor(style, &title));
        let mut unique = base.clone();
        if !seen.insert(unique.clone()) {
            let n = next.entry(base.clone()).or_insert(1);
            loop {
                unique = format!("{base}-{n}");
                *n += 1;
                if seen.insert(unique.clone()) {
                    break;
                }
            }
        }
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
            *id = Some(CowStr::from(unique.clone()));
        }
        anchors.push(unique.clone());
        toc.push(TocEntry {
            level,
            id: unique,
            title: title.trim().to_string(),
        });
        i = j + 1;
    }
    toc
}
