//! TOML front matter (`+++` … `+++`, as Zola and Hugo write it), read into
//! the same tree as YAML, with the line and column of every key and value,
//! so the same typed checks apply and every message names its line.

use super::{Entry, Node, Value, YamlError};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Parses `text` (whose first line is file line `first_line`).
pub fn parse(text: &str, first_line: usize) -> Result<Node, YamlError> {
    let lines = Lines::new(text, first_line);
    let table = DeTable::parse(text).map_err(|e| {
        let (line, col) = lines.at(e.span().map_or(0, |s| s.start));
        YamlError {
            line,
            col,
            message: crate::msg!("invalid-toml", why = e.message().trim()),
            hint: Some(crate::msg!("invalid-toml-hint")),
        }
    })?;
    let (line, col) = lines.at(table.span().start);
    Ok(Node {
        line,
        col,
        value: map(table.get_ref(), &lines),
    })
}

/// Byte offsets to file lines and columns.
struct Lines<'a> {
    text: &'a str,
    first_line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        Lines { text, first_line }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + self.first_line;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[start..].chars().count() + 1)
    }
}

fn map(table: &DeTable<'_>, lines: &Lines<'_>) -> Value {
    let mut entries: Vec<(usize, Entry)> = table
        .iter()
        .map(|(key, value)| {
            let (line, col) = lines.at(key.span().start);
            let start = key.span().start;
            (
                start,
                Entry {
                    key: key.get_ref().to_string(),
                    line,
                    col,
                    value: node(value, lines),
                },
            )
        })
        .collect();
    // In the order written, as YAML keeps it.
    entries.sort_by_key(|(start, _)| *start);
    Value::Map(entries.into_iter().map(|(_, e)| e).collect())
}

fn node(value: &Spanned<DeValue<'_>>, lines: &Lines<'_>) -> Node {
    let (line, col) = lines.at(value.span().start);
    let value = match value.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .map(Value::Int)
            .unwrap_or_else(|_| Value::Str(i.to_string())),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .map(Value::Float)
            .unwrap_or_else(|_| Value::Str(f.to_string())),
        DeValue::Boolean(b) => Value::Bool(*b),
        // Dates are texts to herald's date reader (`2024-05-01`,
        // `2024-05-01T09:30:00+08:00`).
        DeValue::Datetime(d) => Value::Str(d.to_string()),
        DeValue::Array(items) => Value::Seq(items.iter().map(|v| node(v, lines)).collect()),
        DeValue::Table(t) => map(t, lines),
    };
    Node { line, col, value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_toml_with_positions() {
        let text = "title = \"第一篇\"\ndate = 2024-05-01\ntags = [\"乡村振兴\", \"Rust\"]\nweight = 0x10\n\n[extra]\nauthor_unit = \"宣传部\"\n";
        let node = parse(text, 2).unwrap();
        let Value::Map(entries) = &node.value else {
            panic!("{node:?}")
        };
        let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["title", "date", "tags", "weight", "extra"]);
        assert_eq!(entries[0].value.value, Value::Str("第一篇".into()));
        assert_eq!(entries[1].value.value, Value::Str("2024-05-01".into()));
        assert_eq!((entries[2].line, entries[2].col), (4, 1));
        assert_eq!(entries[3].value.value, Value::Int(16));
        let err = parse("title = \"x\"\ndate = \n", 2).unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message.to_string().starts_with("invalid TOML"),
            "{err:?}"
        );
    }
}
