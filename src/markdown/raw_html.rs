//! `raw_html: false`: raw HTML shown as text, and link and image targets
//! with script-capable schemes neutralised.

use super::{Events, MORE};
use pulldown_cmark::{Event, Tag};

/// Turns raw HTML written in the Markdown into visible text (the
/// `raw_html: false` setting), and link and image targets with a scheme
/// that runs code (`javascript:`, `vbscript:`, `data:` other than raster
/// images) into `#`. The `<!-- more -->` marker keeps working.
pub(super) fn escape_raw_html(events: &mut Events<'_>) {
    for (event, _) in events.iter_mut() {
        match event {
            Event::Html(h) if h.trim() != MORE => *event = Event::Text(h.clone()),
            Event::InlineHtml(h) => *event = Event::Text(h.clone()),
            Event::Start(Tag::Link { dest_url, .. }) if dangerous_url(dest_url, false) => {
                *dest_url = pulldown_cmark::CowStr::Borrowed("#");
            }
            Event::Start(Tag::Image { dest_url, .. }) if dangerous_url(dest_url, true) => {
                *dest_url = pulldown_cmark::CowStr::Borrowed("#");
            }
            _ => {}
        }
    }
}

/// True for a URL whose scheme runs code or shows a document of its own,
/// spelled in any case and with the blanks and control characters browsers
/// skip.
pub fn dangerous_url(url: &str, image: bool) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase();
    if cleaned.starts_with("javascript:") || cleaned.starts_with("vbscript:") {
        return true;
    }
    if let Some(rest) = cleaned.strip_prefix("data:") {
        let raster = [
            "image/png",
            "image/jpeg",
            "image/gif",
            "image/webp",
            "image/avif",
        ]
        .iter()
        .any(|t| rest.starts_with(t));
        return !(image && raster);
    }
    false
}
