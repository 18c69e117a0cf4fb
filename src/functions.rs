//! Filters and functions herald adds to Tera: `date`, `filesize`, `json`,
//! `asset()`, `file()` and `ranked()`.

use crate::config::Config;
use crate::format::{format_date, format_size};
use crate::resources::{PageSpot, locate};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use tera::{Kwargs, State, Tera, Value};

/// What the functions need from the build.
#[derive(Clone)]
pub struct Inputs {
    /// Static file → content hash (for `asset()`).
    pub assets: Arc<HashMap<String, String>>,
    /// `data/` files by name, as one template value.
    pub data: tera::Value,
    /// Where pages are (for `file()`).
    pub pages: Arc<PageIndex>,
    /// Resized image variants (for `image()`).
    pub images: Arc<crate::images::Images>,
}

/// Page key → (is a bundle, output path), and the site root.
#[derive(Default)]
pub struct PageIndex {
    pub root: PathBuf,
    /// The site's root path (static files).
    pub base_path: String,
    /// The path of the site's language (its pages and bundles).
    pub here_path: String,
    /// Updated in place when pages come, go or move (the dev server).
    pub pages: std::sync::RwLock<HashMap<String, (bool, String)>>,
}

impl PageIndex {
    /// Replaces the pages known.
    pub fn set(&self, pages: impl Iterator<Item = (String, (bool, String))>) {
        *self.pages.write().unwrap_or_else(|e| e.into_inner()) = pages.collect();
    }

    /// Puts in (`Some`) or takes out (`None`) the pages given.
    pub fn update(&self, pages: impl Iterator<Item = (String, Option<(bool, String)>)>) {
        let mut known = self.pages.write().unwrap_or_else(|e| e.into_inner());
        for (key, page) in pages {
            match page {
                Some(p) => known.insert(key, p),
                None => known.remove(&key),
            };
        }
    }

    /// Resolves a file named in a template or shortcode of page `page`.
    pub fn locate(
        &self,
        page: &str,
        path: &str,
    ) -> Result<crate::resources::Located, crate::messages::Text> {
        let (bundle, out_path) = self
            .pages
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(page)
            .cloned()
            .unwrap_or((false, String::new()));
        let spot = PageSpot {
            key: page,
            bundle,
            path: &out_path,
        };
        let bases = crate::resources::Bases {
            root: &self.base_path,
            here: &self.here_path,
        };
        locate(&self.root, bases, spot, path)
    }
}

pub fn register(tera: &mut Tera, config: &Config, inputs: &Inputs) {
    let zh = config.language.to_ascii_lowercase().starts_with("zh");
    tera.register_filter(
        "date",
        move |val: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(date) = crate::schema::parse_date(val) else {
                return Err(tera::Error::message(format!("`{val}` is not a date")));
            };
            if let Some(fmt) = kwargs.get::<&str>("format")? {
                use std::fmt::Write;
                let mut out = String::new();
                write!(out, "{}", date.format(fmt))
                    .map_err(|_| tera::Error::message(format!("bad date format `{fmt}`")))?;
                return Ok(out);
            }
            Ok(format_date(&date, zh))
        },
    );
    let base = config.root_path.clone();
    let assets = inputs.assets.clone();
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let path: &str = kwargs.must_get("path")?;
        let path = path.trim_start_matches('/');
        match assets.get(path) {
            Some(hash) => Ok(format!("{base}{path}?v={hash}")),
            None => Err(tera::Error::message(format!(
                "asset(path=\"{path}\"): there is no such file in static/ or the theme's static/"
            ))),
        }
    });
    tera.register_filter("filesize", |val: u64, _: Kwargs, _: &State| -> String {
        format_size(val)
    });
    tera.register_filter(
        "json",
        |val: Value, _: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let json: serde_json::Value =
                serde_json::to_value(&val).map_err(|e| tera::Error::message(e.to_string()))?;
            // Escaped for a `<script>` already (`<`, `>`, `&`, U+2028/9):
            // marked safe, or autoescaping would turn its quotes into
            // `&quot;` and break the script.
            Ok(Value::safe_string(&crate::escape::script_json(&json)))
        },
    );
    let pages = inputs.pages.clone();
    tera.register_function(
        "file",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let page: &str = kwargs.must_get("page")?;
            let found = pages
                .locate(page, path)
                .map_err(|why| tera::Error::message(format!("`{path}`: {why}")))?;
            let ext = path
                .rsplit_once('.')
                .map_or("", |(_, e)| e)
                .to_ascii_lowercase();
            Ok(crate::values::map([
                ("url", Value::from(found.url.as_str())),
                ("bytes", found.bytes.map_or(Value::none(), Value::from)),
                (
                    "size",
                    found
                        .bytes
                        .map_or(Value::none(), |b| Value::from(format_size(b))),
                ),
                ("ext", Value::from(ext.as_str())),
                ("type", Value::from(file_type(&ext))),
                ("kind", Value::from(file_kind(&ext))),
            ]))
        },
    );
    let pages = inputs.pages.clone();
    let images = inputs.images.clone();
    tera.register_function(
        "image",
        move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let page: &str = kwargs.must_get("page")?;
            let widths: Vec<u32> = match kwargs.get::<Value>("widths")? {
                Some(v) => serde_json::from_value(
                    serde_json::to_value(&v).map_err(|e| tera::Error::message(e.to_string()))?,
                )
                .map_err(|_| tera::Error::message("image(widths=…): a list of whole numbers"))?,
                None => crate::images::DEFAULT_WIDTHS.to_vec(),
            };
            let found = pages
                .locate(page, path)
                .map_err(|why| tera::Error::message(format!("`{path}`: {why}")))?;
            let Some(disk) = &found.disk else {
                return Ok(crate::values::map([
                    ("src", Value::from(found.url.as_str())),
                    ("srcset", Value::none()),
                    ("width", Value::none()),
                    ("height", Value::none()),
                ]));
            };
            match images
                .responsive(disk, &found.url, &pages.here_path, &widths)
                .map_err(tera::Error::message)?
            {
                Some(r) => Ok(crate::values::map([
                    ("src", Value::from(r.src.as_str())),
                    ("srcset", Value::from(r.srcset.as_str())),
                    ("width", Value::from(r.width)),
                    ("height", Value::from(r.height)),
                ])),
                None => Ok(crate::values::map([
                    ("src", Value::from(found.url.as_str())),
                    ("srcset", Value::none()),
                    ("width", Value::none()),
                    ("height", Value::none()),
                ])),
            }
        },
    );
    tera.register_function(
        "ranked",
        |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let rows: Value = kwargs.must_get("rows")?;
            let fields: Option<Value> = kwargs.get("fields")?;
            let rows: Vec<serde_json::Value> = serde_json::from_value(
                serde_json::to_value(&rows).map_err(|e| tera::Error::message(e.to_string()))?,
            )
            .map_err(|_| tera::Error::message("ranked(rows=…): rows must be a list of mappings"))?;
            let fields: Option<Vec<String>> = match fields {
                Some(f) => Some(
                    serde_json::from_value(
                        serde_json::to_value(&f)
                            .map_err(|e| tera::Error::message(e.to_string()))?,
                    )
                    .map_err(|_| tera::Error::message("ranked(fields=…): a list of names"))?,
                ),
                None => None,
            };
            Ok(Value::from_serializable(&rank(rows, fields.as_deref())))
        },
    );
    tera.register_function(
        "qr_code",
        |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let url: String = kwargs.must_get("url")?;
            let label: Option<String> = kwargs.get("label")?;
            let label = label.unwrap_or_else(|| url.clone());
            Ok(crate::qr::svg(&url, &label).map_or(Value::none(), |s| Value::safe_string(&s)))
        },
    );
    tera.register_function(
        "scoreboard",
        |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let data: Value = kwargs.must_get("data")?;
            scoreboard(&data).map_err(tera::Error::message)
        },
    );
}

/// A leaderboard's data as `{ categories: [{key, title}], members: [...] }`,
/// from that form (categories may be left out) or from plain rows as a CSV
/// file gives them (`name, unit, points…`): the categories are then the
/// columns holding numbers, in their order.
pub fn scoreboard(data: &Value) -> Result<Value, String> {
    let (members, categories) = match (data.as_array(), data.as_map()) {
        (Some(rows), _) => (rows.to_vec(), None),
        (_, Some(m)) => {
            let Some(members) = m
                .get(&tera::value::Key::Str("members"))
                .and_then(Value::as_array)
            else {
                return Err(
                    "leaderboard data must be rows (a CSV file: name, unit, points…) or { categories, members }"
                        .into(),
                );
            };
            (
                members.to_vec(),
                m.get(&tera::value::Key::Str("categories")).cloned(),
            )
        }
        _ => {
            return Err(
                "leaderboard data must be rows (a CSV file: name, unit, points…) or { categories, members }"
                    .into(),
            );
        }
    };
    let categories = categories.unwrap_or_else(|| {
        let first = members.first().and_then(Value::as_map);
        Value::from(
            first
                .into_iter()
                .flat_map(|row| row.iter())
                .filter(|(k, v)| {
                    v.is_number() && !matches!(k.as_str(), Some("name" | "unit" | "total" | "rank"))
                })
                .map(|(k, _)| crate::values::map([("key", k.as_value()), ("title", k.as_value())]))
                .collect::<Vec<_>>(),
        )
    });
    Ok(crate::values::map([
        ("categories", categories),
        ("members", Value::from(members)),
    ]))
}

/// A file's kind, for a theme to name in its language (`t.file_kinds`):
/// `document`, `spreadsheet`, `slides`, `archive`, `ebook`, `video`,
/// `audio`, `image` or `file`.
pub fn file_kind(ext: &str) -> &'static str {
    match ext {
        "pdf" | "doc" | "docx" => "document",
        "xls" | "xlsx" | "csv" => "spreadsheet",
        "ppt" | "pptx" => "slides",
        "zip" => "archive",
        "epub" => "ebook",
        "mp4" | "webm" | "mov" => "video",
        "mp3" | "ogg" | "m4a" => "audio",
        "jpg" | "jpeg" | "png" | "webp" | "gif" | "svg" | "avif" => "image",
        _ => "file",
    }
}

/// A reader-friendly name for a file extension (in English; themes name
/// the [`file_kind`] in their language, keeping PDF, Word, ZIP, EPUB).
pub fn file_type(ext: &str) -> &'static str {
    match ext {
        "pdf" => "PDF",
        "doc" | "docx" => "Word",
        "zip" => "ZIP",
        "epub" => "EPUB",
        _ => match file_kind(ext) {
            "spreadsheet" => "Spreadsheet",
            "slides" => "Slides",
            "video" => "Video",
            "audio" => "Audio",
            "image" => "Image",
            _ => "File",
        },
    }
}

/// Adds `total` (the sum of `fields`, or of every number in the row) and
/// `rank` (1, 2, 2, 4: ties share a rank) and sorts by total, highest first.
pub fn rank(rows: Vec<serde_json::Value>, fields: Option<&[String]>) -> Vec<serde_json::Value> {
    let mut scored: Vec<(f64, serde_json::Value)> = rows
        .into_iter()
        .map(|row| {
            let total: f64 = match (&row, fields) {
                (serde_json::Value::Object(m), Some(fs)) => fs
                    .iter()
                    .filter_map(|f| m.get(f).and_then(serde_json::Value::as_f64))
                    .sum(),
                (serde_json::Value::Object(m), None) => {
                    m.values().filter_map(serde_json::Value::as_f64).sum()
                }
                _ => 0.0,
            };
            (total, row)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out = Vec::with_capacity(scored.len());
    let mut rank = 0;
    for (i, (total, mut row)) in scored.iter().cloned().enumerate() {
        if i == 0 || total < scored[i - 1].0 {
            rank = i + 1;
        }
        if let serde_json::Value::Object(m) = &mut row {
            let t = if total.fract() == 0.0 {
                serde_json::Value::from(total as i64)
            } else {
                serde_json::Value::from(total)
            };
            m.insert("total".into(), t);
            m.insert("rank".into(), serde_json::Value::from(rank));
        }
        out.push(row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ranks_with_ties() {
        let rows = vec![
            json!({"n": "a", "x": 1, "y": 2}),
            json!({"n": "b", "x": 5, "y": 0}),
            json!({"n": "c", "x": 3, "y": 2}),
            json!({"n": "d", "x": 0, "y": 0}),
        ];
        let out = rank(rows, Some(&["x".into(), "y".into()]));
        let ranks: Vec<(String, i64, u64)> = out
            .iter()
            .map(|r| {
                (
                    r["n"].as_str().unwrap().to_string(),
                    r["total"].as_i64().unwrap(),
                    r["rank"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            ranks,
            [
                ("b".into(), 5, 1),
                ("c".into(), 5, 1),
                ("a".into(), 3, 3),
                ("d".into(), 0, 4)
            ]
        );
    }
}
