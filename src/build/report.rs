//! What a build reports: its counts, warnings and timings, and the pages
//! it left out.

use crate::error::Diagnostic;
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
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if self.drafts > 0 {
            parts.push(plural(self.drafts, "draft", "drafts"));
        }
        if self.future > 0 {
            parts.push(format!("{} future", self.future));
        }
        if self.expired > 0 {
            parts.push(format!("{} expired", self.expired));
        }
        if parts.is_empty() {
            return None;
        }
        let mut flags = Vec::new();
        if self.drafts > 0 {
            flags.push("--drafts");
        }
        if self.future > 0 {
            flags.push("--future");
        }
        let mut out = format!("skipped {}", parts.join(", "));
        if !flags.is_empty() {
            out.push_str(&format!(" — use {} to include them", flags.join(" / ")));
        }
        Some(out)
    }
}
