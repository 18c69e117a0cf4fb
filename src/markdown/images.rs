//! Markdown images (`![alt](photo.jpg)`) as responsive `<img>`: resized
//! variants in `srcset`, `width` and `height` against layout shift, lazy
//! loading. Sizing is the caller's ([`ImageSizer`]): this module only turns
//! the image events into the tag.

use super::{Events, LineIndex};
use crate::error::Diagnostic;
use crate::msg;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// An image's variants, as the page should offer them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sized {
    pub src: String,
    pub srcset: String,
    pub width: u32,
    pub height: u32,
}

/// Finds and sizes the image a page names.
pub trait ImageSizer: Sync {
    /// `Ok(None)` leaves the image as written (an external URL, an SVG, a
    /// file that is not there: link checks report that).
    fn size(&self, dest: &str) -> Result<Option<Sized>, String>;
}

/// The `sizes` attribute: the text column's width, the screen's on phones.
const SIZES: &str = "(max-width: 48rem) 100vw, 48rem";

/// Replaces each sized image's events by one `<img>`.
pub fn responsive(
    events: &mut Events<'_>,
    sizer: &dyn ImageSizer,
    file: &str,
    lines: &LineIndex<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &events[i].0
        else {
            i += 1;
            continue;
        };
        let (dest, title) = (dest_url.to_string(), title.to_string());
        let mut alt = String::new();
        let mut j = i + 1;
        while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Image)) {
            if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                alt.push_str(t);
            }
            j += 1;
        }
        let sized = match sizer.size(&dest) {
            Ok(Some(s)) => s,
            Ok(None) => {
                i = j + 1;
                continue;
            }
            Err(why) => {
                diags.push(
                    Diagnostic::error(file, msg!("image-problem", dest, why))
                        .at(lines.line(events[i].1.start))
                        .hint(msg!("image-problem-hint")),
                );
                i = j + 1;
                continue;
            }
        };
        let esc = |s: &str| {
            let mut out = String::new();
            pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String");
            out
        };
        let title_attr = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", esc(&title))
        };
        let srcset = if sized.srcset.is_empty() {
            String::new()
        } else {
            format!(" srcset=\"{}\" sizes=\"{SIZES}\"", esc(&sized.srcset))
        };
        let html = format!(
            "<img src=\"{}\"{srcset} alt=\"{}\"{title_attr} width=\"{}\" height=\"{}\" loading=\"lazy\" decoding=\"async\">",
            esc(&sized.src),
            esc(&alt),
            sized.width,
            sized.height
        );
        let range = events[i].1.start..events.get(j).map_or(events[i].1.end, |e| e.1.end);
        let end = (j + 1).min(events.len());
        events.splice(i..end, [(Event::InlineHtml(CowStr::from(html)), range)]);
        i += 1;
    }
}
