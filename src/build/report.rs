//! What a build reports: its counts, warnings and timings, and the pages
//! it left out.

use crate::error::Diagnostic;
use crate::messages::Text;
use crate::msg;
use crate::site::Site;
use crate::timings::Timings;
use std::path::PathBuf;

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub boards: usize,
    pub files: usize,
    pub search: Option<crate::search::SearchStats>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
    pub output: PathBuf,
    /// Pages left out: drafts, future and expired ones.
    pub skipped: Skipped,
    /// Internal links and anchors checked (`@/`, relative, `#fragment`).
    pub links: usize,
}

impl BuildReport {
    /// The closing line of a build that took `millis`: what was built and
    /// what was left out.
    pub fn summary(&self, millis: u128) -> Text {
        let skipped = self
            .skipped
            .describe()
            .map_or(Text::Plain(String::new()), |s| msg!("in-parens", text => s));
        msg!(
            "built",
            pages = self.pages,
            boards = self.boards,
            files = self.files,
            output = self.output.display(),
            millis,
            links = self.links,
            skipped
        )
    }
}

/// How many pages a build left out, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Skipped {
    pub drafts: usize,
    pub future: usize,
    pub expired: usize,
}

impl Skipped {
    pub(super) fn count(site: &Site) -> Skipped {
        let mut s = Skipped::default();
        for why in site.content.hidden.values() {
            match why {
                crate::content::Hidden::Draft => s.drafts += 1,
                crate::content::Hidden::Future => s.future += 1,
                crate::content::Hidden::Expired => s.expired += 1,
            }
        }
        s
    }

    /// `3 drafts, 1 future, 2 expired — use --drafts / --future`, or
    /// `None` when nothing was left out.
    pub fn describe(&self) -> Option<Text> {
        let mut parts = Vec::new();
        if self.drafts == 1 {
            parts.push(msg!("skipped-draft"));
        } else if self.drafts > 0 {
            parts.push(msg!("skipped-drafts", n = self.drafts));
        }
        if self.future > 0 {
            parts.push(msg!("skipped-future", n = self.future));
        }
        if self.expired > 0 {
            parts.push(msg!("skipped-expired", n = self.expired));
        }
        let list = parts
            .into_iter()
            .rev()
            .reduce(|rest, first| msg!("list-item", first => first, rest => rest))?;
        let mut flags = Vec::new();
        if self.drafts > 0 {
            flags.push("--drafts");
        }
        if self.future > 0 {
            flags.push("--future");
        }
        Some(if flags.is_empty() {
            msg!("skipped", list => list)
        } else {
            msg!("skipped-use", list => list, flags = flags.join(" / "))
        })
    }
}
