//! Reading a page's fields for its kind: each value checked against its
//! declared type, required fields asked for, defaults filled in. The same
//! check reads a declaration's `default:`.

use super::{Field, FieldDef, FieldType, FieldValue, Fields, KindDef};
use crate::error::{Diagnostic, did_you_mean};
use crate::msg;
use crate::schema::MapReader;
use crate::yaml::{Node, Value};

/// Extensions an `image` field accepts.
const IMAGE_EXTENSIONS: [&str; 8] = ["jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp"];

/// Reads the fields `kind` declares from the front matter `r` reads.
/// `start_line` is where a missing required field is reported.
pub fn read_fields<'a>(r: &mut MapReader<'a>, kind: &'a KindDef, start_line: usize) -> Fields {
    let mut out = Vec::new();
    for f in &kind.fields {
        match r.node(&f.name) {
            Some(node) => match value_of(r.file(), f, node) {
                Ok(value) => out.push(Field {
                    name: f.name.clone(),
                    value,
                    at: (node.line, node.col),
                }),
                Err(d) => r.diags.push(*d),
            },
            None if f.required => r.diags.push(
                Diagnostic::error(
                    r.file(),
                    msg!("missing-field", key = f.name, kind = kind.name),
                )
                .at(start_line)
                .hint(msg!("add-line", key = f.name, example = f.ty.example())),
            ),
            None => {
                if let Some(d) = &f.default {
                    out.push(Field {
                        name: f.name.clone(),
                        value: d.clone(),
                        at: (0, 0),
                    });
                }
            }
        }
    }
    Fields(out)
}

/// `node` read as a value of the field `f`, or the error saying why not.
pub(super) fn value_of(
    file: &str,
    f: &FieldDef,
    node: &Node,
) -> Result<FieldValue, Box<Diagnostic>> {
    let key = f.name.as_str();
    let wrong = |expected: crate::messages::Text| {
        Box::new(
            Diagnostic::error(
                file,
                msg!("wrong-type", key, expected => expected, found => node.value.describe()),
            )
            .at_col(node.line, node.col)
            .hint(msg!("for-example", key, example = f.ty.example())),
        )
    };
    let invalid = |problem: crate::messages::Text, hint: crate::messages::Text| {
        Box::new(
            Diagnostic::error(file, msg!("key-problem", key, problem => problem))
                .at_col(node.line, node.col)
                .hint(hint),
        )
    };
    let text = match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(x) => Some(x.to_string()),
        _ => None,
    };
    Ok(match &f.ty {
        FieldType::Text => FieldValue::Text(text.ok_or_else(|| wrong(msg!("a-text")))?),
        FieldType::Number { min, max } => {
            let n = match node.value {
                Value::Int(i) => i as f64,
                Value::Float(x) if x.is_finite() => x,
                _ => return Err(wrong(msg!("a-number"))),
            };
            if let Some((problem, hint)) = out_of_bounds(n, *min, *max, false) {
                return Err(invalid(problem, hint));
            }
            FieldValue::Number(n)
        }
        FieldType::Integer { min, max } => {
            let Value::Int(n) = node.value else {
                return Err(wrong(msg!("a-whole-number")));
            };
            if let Some((problem, hint)) = out_of_bounds(n, *min, *max, true) {
                return Err(invalid(problem, hint));
            }
            FieldValue::Integer(n)
        }
        FieldType::Minutes => {
            let n = match node.value {
                Value::Int(i) => i as f64,
                Value::Float(x) if x.is_finite() => x,
                _ => return Err(wrong(msg!("a-number"))),
            };
            if n <= 0.0 {
                return Err(invalid(
                    msg!("positive-minutes", found = n),
                    msg!("for-example", key, example = 8),
                ));
            }
            FieldValue::Number(n)
        }
        FieldType::Bool => match node.value {
            Value::Bool(b) => FieldValue::Bool(b),
            _ => return Err(wrong(msg!("a-bool"))),
        },
        FieldType::Date => match &node.value {
            Value::Int(y) if (1000..=9999).contains(y) => FieldValue::Text(y.to_string()),
            Value::Str(s) if is_date(s) => FieldValue::Text(s.clone()),
            _ => return Err(wrong(msg!("a-year-or-date"))),
        },
        FieldType::List => match &node.value {
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match &item.value {
                        Value::Str(s) => out.push(s.clone()),
                        Value::Int(i) => out.push(i.to_string()),
                        _ => {
                            return Err(Box::new(
                                Diagnostic::error(
                                    file,
                                    msg!("wrong-type", key, expected => msg!("a-text-list"), found => item.value.describe()),
                                )
                                .at_col(item.line, item.col)
                                .hint(msg!("for-example", key, example = f.ty.example())),
                            ));
                        }
                    }
                }
                FieldValue::List(out)
            }
            _ => return Err(wrong(msg!("a-text-list"))),
        },
        FieldType::File | FieldType::Image => {
            let Value::Str(p) = &node.value else {
                return Err(wrong(msg!("a-file-path")));
            };
            if p.trim().is_empty() {
                return Err(wrong(msg!("a-file-path")));
            }
            if f.ty == FieldType::Image && !is_image(p) {
                return Err(invalid(
                    msg!("not-an-image", path = p),
                    msg!("image-extensions", all = IMAGE_EXTENSIONS.join(", ")),
                ));
            }
            FieldValue::Path(p.clone())
        }
        FieldType::Choice(values) => {
            let v = text.ok_or_else(|| wrong(msg!("a-text")))?;
            if !values.contains(&v) {
                let all = values.join(", ");
                let hint = match did_you_mean(&v, values.iter().map(String::as_str)) {
                    Some(near) => msg!("unknown-value-near", near, key, all),
                    None => msg!("unknown-value-all", key, all),
                };
                return Err(invalid(msg!("unknown-value", key, name = v), hint));
            }
            FieldValue::Text(v)
        }
    })
}

/// The problem and hint of `n` outside `min`..=`max`; the hint asks for a
/// `whole` number or any number.
fn out_of_bounds<N: PartialOrd + std::fmt::Display + Copy>(
    n: N,
    min: Option<N>,
    max: Option<N>,
    whole: bool,
) -> Option<(crate::messages::Text, crate::messages::Text)> {
    if let Some(m) = min.filter(|m| n < *m) {
        let hint = if whole {
            msg!("at-least-hint", min = m)
        } else {
            msg!("at-least-number-hint", min = m)
        };
        return Some((msg!("at-least", min = m, found = n), hint));
    }
    let m = max.filter(|m| n > *m)?;
    Some((
        msg!("at-most", max = m, found = n),
        msg!("at-most-hint", max = m),
    ))
}

/// A year, a month, a day, or a date and time.
fn is_date(s: &str) -> bool {
    let year = |y: &str| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit());
    year(s)
        || crate::schema::parse_date(s).is_some()
        || (s.len() == 7 && crate::schema::parse_date(&format!("{s}-01")).is_some())
}

fn is_image(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}
