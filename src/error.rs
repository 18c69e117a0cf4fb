//! Diagnostics: every problem herald reports names a file, a line when it
//! has one, what is wrong and how to fix it. A build collects all of them
//! before it gives up, so an editor sees every mistake at once.

use crate::messages::{Lang, Text};
use crate::msg;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in the site's files.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible (`content/news/a.md`).
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    pub message: Text,
    /// What the editor can do about it.
    pub hint: Option<Text>,
}

impl Diagnostic {
    pub fn error(file: impl Into<String>, message: impl Into<Text>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(file: impl Into<String>, message: impl Into<Text>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, line: usize) -> Self {
        self.line = Some(line.max(1));
        self
    }

    pub fn at_col(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line.max(1));
        self.column = Some(column.max(1));
        self
    }

    pub fn hint(mut self, hint: impl Into<Text>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, as far as known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file),
            (Some(l), None) => format!("{}:{l}", self.file),
            _ => self.file.clone(),
        }
    }
}

impl Diagnostic {
    /// `error: file:line:column: message` and its hint, in `lang` (the
    /// label and the place the same in every language).
    pub fn show(&self, lang: Lang) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{label}: {}: {}",
            self.location(),
            self.message.render(lang)
        );
        if let Some(hint) = &self.hint {
            out.push_str("\n  ");
            out.push_str(&msg!("hint-line", hint => hint.clone()).render(lang));
        }
        out
    }
}

/// In English.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.show(Lang::En))
    }
}

/// Why a build did not produce a site.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's files: every one found, in a stable order.
    #[error("{} error(s) in the site", count_errors(.0))]
    Site(Vec<Diagnostic>),
    /// The machine refused something (a disk full, a permission).
    #[error("{context}: {source}")]
    Io {
        context: Text,
        #[source]
        source: std::io::Error,
    },
    /// The command was asked to do something it must not do.
    #[error("{0}")]
    Refused(Text),
}

fn count_errors(d: &[Diagnostic]) -> usize {
    d.iter().filter(|d| d.is_error()).count()
}

impl Error {
    pub fn io(context: impl Into<Text>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// The diagnostics of a site error (empty for other kinds).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Error::Site(d) => d,
            _ => &[],
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Sorts diagnostics by file, then line, so output is stable.
pub fn sort_diagnostics(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
}

/// Folds repeats, keeping the order: a diagnostic identical in every part
/// to an earlier one is dropped, and diagnostics without a line that share
/// message, hint and severity across files (a full disk failing every
/// write) become the first one, naming a few of the others and the count.
/// Problems with a line stay one per place: each needs its own fix.
pub fn fold_repeated(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    let mut exact: std::collections::HashSet<Diagnostic> = Default::default();
    /// Severity, message and hint of a line-less diagnostic.
    type Kind = (Severity, Text, Option<Text>);
    // Where the first of a kind is in `out`, and the other files.
    let mut groups: HashMap<Kind, (usize, Vec<String>)> = HashMap::new();
    for d in diags {
        if !exact.insert(d.clone()) {
            continue;
        }
        if d.line.is_none() {
            let key = (d.severity, d.message.clone(), d.hint.clone());
            if let Some((_, others)) = groups.get_mut(&key) {
                others.push(d.file);
                continue;
            }
            groups.insert(key, (out.len(), Vec::new()));
        }
        out.push(d);
    }
    for (_, (i, others)) in groups {
        if others.is_empty() {
            continue;
        }
        let shown: Vec<&str> = others.iter().take(3).map(String::as_str).collect();
        let more = others.len() - shown.len();
        let first = out[i].message.clone();
        out[i].message = msg!(
            "same-for-more",
            message => first,
            count = others.len(),
            files = format!("{}{}", shown.join(", "), if more > 0 { ", …" } else { "" })
        );
    }
    out
}

/// Diagnostics as a terminal shows them: each error on its own (each needs
/// its own fix), and warnings that say the same thing (message and hint)
/// of several places as one group, so a thousand pages lacking the same
/// field make one line, not a thousand.
pub fn group_for_display(diags: &[Diagnostic]) -> Vec<Group<'_>> {
    use std::collections::HashMap;
    let mut out: Vec<Group<'_>> = Vec::new();
    let mut seen: HashMap<(&Text, Option<&Text>), usize> = HashMap::new();
    for d in diags {
        if d.is_error() {
            out.push(Group {
                first: d,
                places: vec![d.location()],
            });
            continue;
        }
        let key = (&d.message, d.hint.as_ref());
        match seen.get(&key) {
            Some(&i) => out[i].places.push(d.location()),
            None => {
                seen.insert(key, out.len());
                out.push(Group {
                    first: d,
                    places: vec![d.location()],
                });
            }
        }
    }
    out
}

/// One diagnostic, or a warning said of several places.
#[derive(Debug)]
pub struct Group<'a> {
    pub first: &'a Diagnostic,
    /// `file` or `file:line` of each place, the first one's first.
    pub places: Vec<String>,
}

/// Places a group names before `…` unless asked for all.
const SHOWN_PLACES: usize = 3;

impl Group<'_> {
    /// The group as lines for a terminal in `lang`; `all` lists every
    /// place.
    pub fn show(&self, all: bool, lang: Lang) -> String {
        if self.places.len() == 1 {
            return self.first.show(lang);
        }
        let d = self.first;
        let label = if d.is_error() { "error" } else { "warning" };
        let n = self.places.len();
        let mut out = format!(
            "{label}: {}",
            msg!("in-places", message => d.message.clone(), count = thousands(n)).render(lang)
        );
        if all {
            for p in &self.places {
                out.push_str(&format!("\n  {p}"));
            }
        } else {
            let shown = &self.places[..n.min(SHOWN_PLACES)];
            out.push_str(&format!(": {}", shown.join(", ")));
            if n > SHOWN_PLACES {
                out.push_str(", … ");
                out.push_str(&msg!("more-places").render(lang));
            }
        }
        if let Some(hint) = &d.hint {
            out.push_str("\n  ");
            out.push_str(&msg!("hint-line", hint => hint.clone()).render(lang));
        }
        out
    }
}

/// `1042` → `1,042`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Suggests the nearest of `candidates` to `word`, if one is close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(word, c);
        let close = score > 0.8 || strsim::damerau_levenshtein(word, c) <= 2.min(c.len() / 2);
        if close && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_errors_fold_into_one_with_a_count() {
        let mut diags: Vec<Diagnostic> = (0..91)
            .map(|i| {
                Diagnostic::error(
                    format!("news/{i}/index.html"),
                    "cannot write: No space left on device (os error 28)",
                )
            })
            .collect();
        diags.push(Diagnostic::error("content/a.md", "bad").at(3));
        diags.push(Diagnostic::error("content/a.md", "bad").at(3));
        diags.push(Diagnostic::error("content/b.md", "bad").at(3));
        let folded = fold_repeated(diags);
        assert_eq!(folded.len(), 3, "{folded:?}");
        assert!(
            folded[0]
                .message
                .to_string()
                .contains("the same for 90 more: news/1/index.html"),
            "{}",
            folded[0].message
        );
        assert_eq!(folded[1].location(), "content/a.md:3");
        assert_eq!(folded[2].location(), "content/b.md:3");
    }

    #[test]
    fn warnings_of_one_kind_group_and_errors_stay_apart() {
        let mut diags: Vec<Diagnostic> = (0..1042)
            .map(|i| {
                Diagnostic::warning(format!("content/p/{i}.md"), "no alt").hint("add cover_alt")
            })
            .collect();
        diags.push(Diagnostic::error("content/a.md", "bad").at(3));
        diags.push(Diagnostic::error("content/b.md", "bad").at(3));
        diags.push(Diagnostic::warning("content/c.md", "other"));
        let groups = group_for_display(&diags);
        assert_eq!(groups.len(), 4);
        let short = groups[0].show(false, Lang::En);
        assert_eq!(
            short,
            "warning: no alt — in 1,042 places: content/p/0.md, content/p/1.md, content/p/2.md, … (--verbose lists all)\n  hint: add cover_alt"
        );
        let all = groups[0].show(true, Lang::En);
        assert_eq!(all.lines().count(), 1 + 1042 + 1);
        assert!(all.contains("\n  content/p/1041.md\n"));
        assert_eq!(
            groups[1].show(false, Lang::En),
            "error: content/a.md:3: bad"
        );
        assert_eq!(
            groups[3].show(false, Lang::En),
            "warning: content/c.md: other"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn suggests_near_keys() {
        let keys = ["summary", "title", "tags", "date"];
        assert_eq!(did_you_mean("sumary", keys), Some("summary"));
        assert_eq!(did_you_mean("tittle", keys), Some("title"));
        assert_eq!(did_you_mean("zzzzzz", keys), None);
    }

    #[test]
    fn displays_location_and_hint() {
        let d = Diagnostic::error("content/a.md", "bad")
            .at(4)
            .hint("fix it");
        assert_eq!(d.to_string(), "error: content/a.md:4: bad\n  hint: fix it");
    }
}
