//! Typed reading of YAML mappings: each getter checks the type of one key and
//! records a diagnostic (file, line, key, expected, found) when it is wrong;
//! `finish` reports every key nobody asked for, with the nearest valid key.

use crate::error::{Diagnostic, did_you_mean};
use crate::messages::Text;
use crate::msg;
use crate::yaml::{Entry, Node, Value};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};

/// Reads the keys of one mapping, collecting problems as it goes.
pub struct MapReader<'a> {
    file: &'a str,
    entries: &'a [Entry],
    used: Vec<bool>,
    known: Vec<&'a str>,
    /// Keys already reported as wrong (a required one is then not also
    /// reported missing).
    wrong: Vec<String>,
    pub diags: Vec<Diagnostic>,
}

impl<'a> MapReader<'a> {
    /// `what` names the mapping in messages ("front matter", "site.yaml").
    pub fn new(file: &'a str, node: &'a Node, what: impl Into<Text>) -> Self {
        let mut diags = Vec::new();
        let entries: &[Entry] = match &node.value {
            Value::Map(e) => e,
            Value::Null => &[],
            other => {
                diags.push(
                    Diagnostic::error(
                        file,
                        msg!("not-a-mapping", what => what.into(), found => other.describe()),
                    )
                    .at(node.line)
                    .hint(msg!("not-a-mapping-hint")),
                );
                &[]
            }
        };
        MapReader {
            file,
            entries,
            used: vec![false; entries.len()],
            known: Vec::new(),
            wrong: Vec::new(),
            diags,
        }
    }

    pub fn file(&self) -> &str {
        self.file
    }

    /// The raw node of `key`, marking it known and used.
    pub fn node(&mut self, key: &'a str) -> Option<&'a Node> {
        self.known.push(key);
        let i = self.entries.iter().position(|e| e.key == key)?;
        self.used[i] = true;
        let node = &self.entries[i].value;
        if node.value == Value::Null {
            None
        } else {
            Some(node)
        }
    }

    /// Declares a key as known without reading it.
    pub fn allow(&mut self, key: &'a str) {
        let _ = self.node(key);
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries
            .iter()
            .any(|e| e.key == key && e.value.value != Value::Null)
    }

    pub fn type_error(&mut self, key: &str, node: &Node, expected: impl Into<Text>, example: &str) {
        self.wrong.push(key.to_string());
        self.diags.push(
            Diagnostic::error(
                self.file,
                msg!("wrong-type", key, expected => expected.into(), found => node.value.describe()),
            )
            .at_col(node.line, node.col)
            .hint(msg!("for-example", key, example)),
        );
    }

    pub fn invalid(
        &mut self,
        key: &str,
        node: &Node,
        message: impl Into<Text>,
        hint: impl Into<Text>,
    ) {
        self.wrong.push(key.to_string());
        self.diags.push(
            Diagnostic::error(
                self.file,
                msg!("key-problem", key, problem => message.into()),
            )
            .at_col(node.line, node.col)
            .hint(hint),
        );
    }

    pub fn string(&mut self, key: &'a str) -> Option<String> {
        let node = self.node(key)?;
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(f.to_string()),
            _ => {
                self.type_error(key, node, msg!("a-text"), "\"…\"");
                None
            }
        }
    }

    /// A string that must be present; `missing_hint` tells how to add it.
    pub fn required_string(&mut self, key: &'a str, line: usize, example: &str) -> Option<String> {
        let v = self.string(key);
        if v.is_none() && !self.wrong.iter().any(|k| k == key) {
            self.diags.push(
                Diagnostic::error(self.file, msg!("missing-key", key))
                    .at(line)
                    .hint(msg!("add-line", key, example)),
            );
        }
        v
    }

    pub fn boolean(&mut self, key: &'a str) -> Option<bool> {
        let node = self.node(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.type_error(key, node, msg!("a-bool"), "true");
                None
            }
        }
    }

    pub fn integer(&mut self, key: &'a str) -> Option<i64> {
        let node = self.node(key)?;
        match node.value {
            Value::Int(i) => Some(i),
            _ => {
                self.type_error(key, node, msg!("a-whole-number"), "3");
                None
            }
        }
    }

    /// A whole number that must be zero or more (at least `min`).
    pub fn count(&mut self, key: &'a str, min: u64) -> Option<u64> {
        let node = self.node(key)?;
        match node.value {
            Value::Int(i) if i >= min as i64 => Some(i as u64),
            Value::Int(i) => {
                self.invalid(
                    key,
                    node,
                    msg!("at-least", min, found = i),
                    msg!("at-least-hint", min),
                );
                None
            }
            _ => {
                self.type_error(key, node, msg!("a-whole-number"), "10");
                None
            }
        }
    }

    pub fn number(&mut self, key: &'a str) -> Option<f64> {
        let node = self.node(key)?;
        match node.value {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) if f.is_finite() => Some(f),
            _ => {
                self.type_error(key, node, msg!("a-number"), "12");
                None
            }
        }
    }

    pub fn string_list(&mut self, key: &'a str) -> Vec<String> {
        let Some(node) = self.node(key) else {
            return Vec::new();
        };
        match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match &item.value {
                        Value::Str(s) => out.push(s.clone()),
                        Value::Int(i) => out.push(i.to_string()),
                        _ => self.type_error(key, item, msg!("a-text-list"), "[first, second]"),
                    }
                }
                out
            }
            _ => {
                self.type_error(key, node, msg!("a-text-list"), "[first, second]");
                Vec::new()
            }
        }
    }

    pub fn date(&mut self, key: &'a str) -> Option<DateTime<FixedOffset>> {
        self.date_in(key, None)
    }

    /// [`Self::date`], a date without an offset read in `tz`.
    pub fn date_in(
        &mut self,
        key: &'a str,
        tz: Option<chrono_tz::Tz>,
    ) -> Option<DateTime<FixedOffset>> {
        let node = self.node(key)?;
        let parsed = match &node.value {
            Value::Str(s) => parse_date_in(s, tz),
            _ => None,
        };
        if parsed.is_none() {
            self.wrong.push(key.to_string());
            self.diags.push(
                Diagnostic::error(
                    self.file,
                    msg!("wrong-type", key, expected => msg!("a-date"), found => node.value.describe()),
                )
                .at_col(node.line, node.col)
                .hint(msg!("date-hint", key)),
            );
        }
        parsed
    }

    /// Free-form data, kept as JSON for templates.
    pub fn json(&mut self, key: &'a str) -> serde_json::Value {
        self.node(key)
            .map_or(serde_json::Value::Null, Node::to_json)
    }

    /// Reports every key that no getter asked for. `elsewhere` may explain
    /// a key that belongs to another context (another content kind);
    /// `own` says where fields of the site's own go, when it may.
    pub fn finish(self, elsewhere: impl Fn(&str) -> Option<Text>) -> Vec<Diagnostic> {
        self.finish_with(elsewhere, |_| None)
    }

    /// [`Self::finish`], adding `also(key)` to the hint of a key that is
    /// not another context's (where a field of the site's own goes).
    pub fn finish_with(
        mut self,
        elsewhere: impl Fn(&str) -> Option<Text>,
        also: impl Fn(&str) -> Option<Text>,
    ) -> Vec<Diagnostic> {
        for (i, entry) in self.entries.iter().enumerate() {
            if self.used[i] {
                continue;
            }
            let key = entry.key.as_str();
            let (message, hint) = if let Some(h) = elsewhere(key) {
                (msg!("unknown-key", key), h)
            } else if let Some(s) = did_you_mean(key, self.known.iter().copied()) {
                let hint = msg!("did-you-mean", key = s);
                match also(key) {
                    Some(more) => (
                        msg!("unknown-key-did-you-mean", key, near = s),
                        msg!("hint-or", first => hint, second => more),
                    ),
                    None => (msg!("unknown-key-did-you-mean", key, near = s), hint),
                }
            } else {
                let mut keys = self.known.clone();
                keys.sort_unstable();
                keys.dedup();
                let hint = msg!("known-keys", keys = keys.join(", "));
                match also(key) {
                    Some(more) => (
                        msg!("unknown-key", key),
                        msg!("hint-and", first => hint, second => more),
                    ),
                    None => (msg!("unknown-key", key), hint),
                }
            };
            self.diags.push(
                Diagnostic::error(self.file, message)
                    .at_col(entry.line, entry.col)
                    .hint(hint),
            );
        }
        self.diags
    }
}

/// Parses the date forms editors write: `2024-05-01`, `2024-05-01 09:30`,
/// `2024-05-01T09:30:00`, with an optional offset or `Z`. A date without an
/// offset is taken as UTC so builds are the same everywhere.
pub fn parse_date(s: &str) -> Option<DateTime<FixedOffset>> {
    parse_date_in(s, None)
}

/// [`parse_date`], reading a date or time without an offset in the time
/// zone `tz` (UTC when `None`): `2026-12-06 10:00` in Asia/Shanghai is
/// `2026-12-06T10:00:00+08:00`.
pub fn parse_date_in(s: &str, tz: Option<chrono_tz::Tz>) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d);
    }
    let local = |dt: NaiveDateTime| -> Option<DateTime<FixedOffset>> {
        match tz {
            // In a gap (a skipped hour) take the later time, in an overlap
            // the earlier.
            Some(tz) => tz
                .from_local_datetime(&dt)
                .earliest()
                .or_else(|| {
                    tz.from_local_datetime(&(dt + chrono::Duration::hours(1)))
                        .earliest()
                })
                .map(|d| d.fixed_offset()),
            None => Some(dt.and_utc().fixed_offset()),
        }
    };
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return local(dt);
        }
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S%:z",
        "%Y-%m-%d %H:%M%:z",
        "%Y-%m-%dT%H:%M%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    local(date.and_time(NaiveTime::MIN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    #[test]
    fn reports_type_and_unknown_keys() {
        let node = parse("title: 3\ntags: hello\nsumary: x\n", 1).unwrap();
        let mut r = MapReader::new("a.md", &node, "front matter");
        let _ = r.string("title");
        let _ = r.string_list("tags");
        r.allow("summary");
        let diags = r.finish(|_| None);
        assert_eq!(diags.len(), 2);
        assert!(
            diags[0]
                .message
                .to_string()
                .contains("`tags` should be a list")
        );
        assert_eq!(diags[0].line, Some(3));
        assert!(
            diags[1]
                .message
                .to_string()
                .contains("did you mean `summary`")
        );
        assert_eq!(diags[1].line, Some(4));
    }

    #[test]
    fn parses_dates() {
        assert!(parse_date("2024-05-01").is_some());
        assert!(parse_date("2024-05-01 09:30").is_some());
        assert!(parse_date("2024-05-01T09:30:00+08:00").is_some());
        assert!(parse_date("May 1st").is_none());
        let sh: chrono_tz::Tz = "Asia/Shanghai".parse().unwrap();
        assert_eq!(
            parse_date_in("2026-12-06 10:00", Some(sh))
                .unwrap()
                .to_rfc3339(),
            "2026-12-06T10:00:00+08:00"
        );
        assert_eq!(
            parse_date_in("2026-12-06", Some(sh)).unwrap().to_rfc3339(),
            "2026-12-06T00:00:00+08:00"
        );
        // An explicit offset wins over the zone.
        assert_eq!(
            parse_date_in("2026-12-06T10:00:00+00:00", Some(sh))
                .unwrap()
                .to_rfc3339(),
            "2026-12-06T10:00:00+00:00"
        );
        // A skipped hour (New York, spring forward) moves an hour on.
        let ny: chrono_tz::Tz = "America/New_York".parse().unwrap();
        assert_eq!(
            parse_date_in("2026-03-08 02:30", Some(ny))
                .unwrap()
                .to_rfc3339(),
            "2026-03-08T03:30:00-04:00"
        );
    }
}
