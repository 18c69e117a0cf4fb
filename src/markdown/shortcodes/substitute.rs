//! Substitution: an adapter over the event stream that swaps each
//! placeholder for its shortcode's rendered HTML.

use super::*;

/// Replaces placeholders in the event stream by rendered HTML. `rendered`
/// holds the HTML of each call, by index.
pub fn substitute(events: &mut Events<'_>, rendered: &[String]) {
    let mut out: Events = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        // A paragraph holding only a block placeholder becomes the block.
        if let (
            Event::Start(Tag::Paragraph),
            Some((Event::Text(t), _)),
            Some((Event::End(TagEnd::Paragraph), _)),
        ) = (&events[i].0, events.get(i + 1), events.get(i + 2))
        {
            // An inline shortcode alone in its paragraph stands as a block too
            // (a figure or a table must not sit inside <p>).
            let alone = placeholder(t.trim(), BLOCK_OPEN, BLOCK_CLOSE)
                .or_else(|| placeholder(t.trim(), INLINE_OPEN, INLINE_CLOSE));
            if let Some(n) = alone
                && let Some(html) = rendered.get(n)
            {
                out.push((Event::Html(CowStr::from(html.clone())), events[i].1.clone()));
                i += 3;
                continue;
            }
        }
        let (event, range) = &events[i];
        match event {
            Event::Text(t) if t.contains([INLINE_OPEN, BLOCK_OPEN]) => {
                let mut rest: &str = t;
                while let Some(pos) = rest.find([INLINE_OPEN, BLOCK_OPEN]) {
                    if pos > 0 {
                        out.push((
                            Event::Text(CowStr::from(rest[..pos].to_string())),
                            range.clone(),
                        ));
                    }
                    let close = rest[pos..]
                        .find([INLINE_CLOSE, BLOCK_CLOSE])
                        .map(|c| pos + c);
                    let Some(close) = close else { break };
                    let n: usize = rest[pos + 3..close].parse().unwrap_or(usize::MAX);
                    if let Some(html) = rendered.get(n) {
                        out.push((Event::InlineHtml(CowStr::from(html.clone())), range.clone()));
                    }
                    rest = &rest[close + 3..];
                }
                if !rest.is_empty() {
                    out.push((Event::Text(CowStr::from(rest.to_string())), range.clone()));
                }
            }
            _ => out.push((event.clone(), range.clone())),
        }
        i += 1;
    }
    *events = out;
}

fn placeholder(s: &str, open: char, close: char) -> Option<usize> {
    s.strip_prefix(open)?.strip_suffix(close)?.parse().ok()
}

/// Merges adjacent text events, so a placeholder is never split.
pub fn merge_text(events: &mut Events<'_>) {
    let mut out: Events = Vec::with_capacity(events.len());
    for (e, r) in events.drain(..) {
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&e, out.last_mut()) {
            let joined = format!("{prev}{t}");
            *prev = CowStr::from(joined);
            prev_range.end = r.end;
            continue;
        }
        out.push((e, r));
    }
    *events = out;
}
