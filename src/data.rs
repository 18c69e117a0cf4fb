//! Data files: `data/*.yaml`, `*.json` and `*.csv`, loaded once and given to
//! templates and shortcodes as `data.NAME` (the file name without extension).
//! A parse error names the file and line.
//!
//! Files become template values directly (not JSON first): a CSV row shares
//! its header names with every other row, and short cells are stored inline,
//! so a large table costs a small multiple of its size on disk.

use crate::error::Diagnostic;
use crate::msg;
use crate::source::decode_text;
use std::path::Path;
use std::sync::Arc;
use tera::value::{Key, Map, Value};

pub const DATA_DIR: &str = "data";

/// Loads every data file; returns the `data` map and the problems found.
pub fn load(root: &Path) -> (Map, Vec<Diagnostic>) {
    let mut out = Map::new();
    let mut diags = Vec::new();
    let dir = root.join(DATA_DIR);
    let found = crate::confine::walk_files(root, &dir, crate::source::is_ignored_name);
    diags.extend(found.diags);
    for (name, path) in found.files {
        if name.contains('/') {
            continue;
        }
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        let file = format!("{DATA_DIR}/{name}");
        if !matches!(ext, "yaml" | "yml" | "json" | "csv") {
            continue;
        }
        let parsed = if ext == "csv" {
            // Read as a stream: the whole text is never held beside the rows.
            std::fs::File::open(&path)
                .map_err(|e| cannot_read(&file, &e))
                .and_then(|f| parse_csv(&file, std::io::BufReader::new(f)))
        } else {
            read_text(&file, &path).and_then(|text| match ext {
                "json" => parse_json(&file, &text),
                _ => parse_yaml(&file, &text),
            })
        };
        match parsed {
            Ok(v) => {
                if out.insert(Key::from(stem.to_string()), v).is_some() {
                    diags.push(
                        Diagnostic::error(&file, msg!("two-data-files", stem))
                            .hint(msg!("two-data-files-hint")),
                    );
                }
            }
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}

fn cannot_read(file: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(file, msg!("cannot-read-file", why = e)).hint(msg!("cannot-read-file-hint"))
}

fn read_text(file: &str, path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| cannot_read(file, &e))?;
    decode_text(file, &bytes)
}

fn parse_yaml(file: &str, text: &str) -> Result<Value, Diagnostic> {
    crate::yaml::parse(text, 0)
        .map(|n| Value::from_serializable(&n.to_json()))
        .map_err(|e| Diagnostic {
            hint: e.hint,
            ..Diagnostic::error(file, e.message).at_col(e.line, e.col)
        })
}

fn parse_json(file: &str, text: &str) -> Result<Value, Diagnostic> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|v| Value::from_serializable(&v))
        .map_err(|e| {
            Diagnostic::error(file, msg!("invalid-json", why = e))
                .at_col(e.line(), e.column())
                .hint(msg!("invalid-json-hint"))
        })
}

/// A CSV file becomes a list of maps keyed by the header row; cells that
/// look like numbers become numbers.
fn parse_csv(file: &str, input: impl std::io::Read) -> Result<Value, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| csv_error(file, &e))?
        .iter()
        .map(|h| Key::String(Arc::from(h.trim())))
        .collect::<Vec<_>>();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(file, &e)),
        }
        let mut row = Map::with_capacity(headers.len());
        for (h, cell) in headers.iter().zip(record.iter()) {
            let cell = cell.trim();
            let v = if let Ok(i) = cell.parse::<i64>() {
                Value::from(i)
            } else if let Some(f) = cell
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite() && !cell.is_empty())
            {
                Value::from(f)
            } else {
                Value::from(cell)
            };
            row.insert(h.clone(), v);
        }
        rows.push(Value::from(row));
    }
    rows.shrink_to_fit();
    Ok(Value::from(rows))
}

fn csv_error(file: &str, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(1, |p| p.line() as usize);
    if let csv::ErrorKind::Utf8 { .. } = e.kind() {
        return Diagnostic::error(file, msg!("not-utf8"))
            .at(line)
            .hint(msg!("not-utf8-hint"));
    }
    Diagnostic::error(file, msg!("invalid-csv", why = e))
        .at(line)
        .hint(msg!("invalid-csv-hint"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_all_formats_and_reports_lines() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("data");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("a.yaml"), "k: [1, 2]\n").unwrap();
        std::fs::write(d.join("b.json"), "{\"x\": true}").unwrap();
        std::fs::write(d.join("c.csv"), "name,score\n张三,12\n李四,9.5\n").unwrap();
        std::fs::write(d.join("bad.json"), "{\n\"x\": 1\n\"y\": 2\n}").unwrap();
        std::fs::write(d.join("bad2.csv"), "a,b\n1,2\n3\n").unwrap();
        let (data, diags) = load(dir.path());
        let data = serde_json::to_value(Value::from(data)).unwrap();
        assert_eq!(data["a"]["k"][1], 2);
        assert_eq!(data["b"]["x"], true);
        assert_eq!(data["c"][0]["name"], "张三");
        assert_eq!(data["c"][1]["score"], 9.5);
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert_eq!(diags[0].location(), "data/bad.json:3:1");
        assert_eq!(diags[1].file, "data/bad2.csv");
        assert_eq!(diags[1].line, Some(3));
    }

    #[test]
    fn csv_streams_bom_crlf_and_reports_bad_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("data");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(d.join("a.csv"), "\u{feff}name,n\r\n甲,1\r\n乙,2\r\n").unwrap();
        std::fs::write(d.join("b.csv"), b"x\nok\nbad\xff\n").unwrap();
        let (data, diags) = load(dir.path());
        let data = serde_json::to_value(Value::from(data)).unwrap();
        assert_eq!(data["a"][1]["name"], "乙");
        assert_eq!(data["a"][1]["n"], 2);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            diags[0].message.to_string(),
            "the file is not valid UTF-8 text"
        );
        assert_eq!(diags[0].line, Some(3));
    }
}
