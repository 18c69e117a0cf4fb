//! Reading kind declarations: the built-in ones (`builtin.yaml`) and a
//! site's `kinds:` in site.yaml, every problem reported with its line.

use super::{FieldDef, FieldType, Kind, KindDef, Kinds};
use crate::error::{Diagnostic, did_you_mean};
use crate::msg;
use crate::schema::MapReader;
use crate::yaml::{Node, Value};

/// Keys every page has; no kind may declare them as fields.
pub const COMMON_KEYS: [&str; 15] = [
    "title",
    "date",
    "updated",
    "slug",
    "summary",
    "authors",
    "cover",
    "cover_alt",
    "draft",
    "weight",
    "aliases",
    "extra",
    "expires",
    "template",
    "description",
];

/// Other keys front matter gives a meaning to.
const RESERVED_FIELDS: [&str; 3] = ["taxonomies", "kind", "lang"];

/// One declaration as written, before what it extends is known.
struct Raw<'a> {
    name: &'a str,
    line: usize,
    extends: Option<(String, &'a Node)>,
    fields: Vec<FieldDef>,
}

/// Adds the kinds declared in the mapping `node` to `kinds`. `builtin`
/// declarations extend nothing; a site's extend `article` unless they say.
pub(super) fn declare(
    kinds: &mut Kinds,
    file: &str,
    node: &Node,
    builtin: bool,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let entries = match &node.value {
        Value::Map(e) => e.as_slice(),
        Value::Null => &[],
        other => {
            diags.push(
                Diagnostic::error(file, msg!("kinds-not-a-mapping", found => other.describe()))
                    .at(node.line)
                    .hint(msg!("kinds-not-a-mapping-hint")),
            );
            return diags;
        }
    };
    let mut raws = Vec::new();
    for e in entries {
        let name = e.key.as_str();
        if !builtin && let Some(k) = Kind::from_name(name) {
            diags.push(
                Diagnostic::error(file, msg!("kind-is-builtin", name))
                    .at_col(e.line, e.col)
                    .hint(msg!("kind-is-builtin-hint", name = k.name())),
            );
            continue;
        }
        if !valid_name(name) {
            diags.push(
                Diagnostic::error(file, msg!("bad-kind-name", name))
                    .at_col(e.line, e.col)
                    .hint(msg!("bad-kind-name-hint")),
            );
            continue;
        }
        let mut r = MapReader::new(file, &e.value, msg!("a-kind"));
        let extends = if builtin {
            None
        } else {
            match (r.string("extends"), r.node("extends")) {
                (Some(s), Some(n)) => Some((s, n)),
                _ => None,
            }
        };
        let fields = match r.node("fields") {
            Some(f) => fields(file, f, &mut r.diags),
            None => Vec::new(),
        };
        diags.extend(r.finish(|_| None));
        raws.push(Raw {
            name,
            line: e.line,
            extends,
            fields,
        });
    }
    // Each declaration once what it extends is declared: in passes, so
    // a kind may extend one declared below it.
    let mut pending: Vec<Raw> = raws;
    while !pending.is_empty() {
        let before = pending.len();
        let mut left = Vec::new();
        for raw in pending {
            if builtin {
                let base = Kind::from_name(raw.name).expect("builtin.yaml names built-in kinds");
                kinds.defs.push(KindDef {
                    name: raw.name.to_string(),
                    base,
                    extends: None,
                    fields: raw.fields,
                    line: 0,
                });
                continue;
            }
            let parent_name = raw.extends.as_ref().map_or("article", |(s, _)| s.as_str());
            match kinds.get(parent_name).cloned() {
                Some(parent) => {
                    let def = extend(file, &parent, raw, &mut diags);
                    kinds.defs.push(def);
                }
                None => left.push(raw),
            }
        }
        if left.len() == before {
            // What is left extends a kind nobody declares, or a cycle.
            let names: Vec<&str> = kinds.names().chain(left.iter().map(|r| r.name)).collect();
            for raw in &left {
                let (parent, n) = raw.extends.as_ref().expect("article is always declared");
                let waiting = left.iter().any(|r| r.name == parent);
                let hint =
                    match did_you_mean(parent, names.iter().copied().filter(|n| *n != parent)) {
                        _ if waiting => msg!("kind-cycle-hint"),
                        Some(near) => msg!("did-you-mean", key = near),
                        None => msg!("kinds-are", all = names.join(", ")),
                    };
                let message = if waiting {
                    msg!("kind-cycle", name = raw.name, parent)
                } else {
                    msg!("unknown-kind-extended", name = raw.name, parent)
                };
                diags.push(
                    Diagnostic::error(file, message)
                        .at_col(n.line, n.col)
                        .hint(hint),
                );
            }
            break;
        }
        pending = left;
    }
    diags
}

/// The declaration `raw` over the fields of `parent`.
fn extend(file: &str, parent: &KindDef, raw: Raw, diags: &mut Vec<Diagnostic>) -> KindDef {
    let mut fields = parent.fields.clone();
    for f in raw.fields {
        match fields.iter_mut().find(|p| p.name == f.name) {
            Some(p) if p.ty.same_type(&f.ty) => *p = f,
            Some(p) => diags.push(
                Diagnostic::error(
                    file,
                    msg!(
                        "field-keeps-type",
                        key = f.name,
                        kind = parent.name,
                        ty = p.ty.name()
                    ),
                )
                .at(raw.line)
                .hint(msg!("field-keeps-type-hint", key = f.name)),
            ),
            None => fields.push(f),
        }
    }
    KindDef {
        name: raw.name.to_string(),
        base: parent.base,
        extends: Some(parent.name.clone()),
        fields,
        line: raw.line,
    }
}

/// A kind's `fields:` mapping.
fn fields(file: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<FieldDef> {
    let Value::Map(entries) = &node.value else {
        diags.push(
            Diagnostic::error(
                file,
                msg!("fields-not-a-mapping", found => node.value.describe()),
            )
            .at_col(node.line, node.col)
            .hint(msg!("fields-not-a-mapping-hint")),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in entries {
        let name = e.key.as_str();
        if COMMON_KEYS.contains(&name)
            || RESERVED_FIELDS.contains(&name)
            || !valid_name(name)
            || name.contains('-')
        {
            diags.push(
                Diagnostic::error(file, msg!("bad-field-name", key = name))
                    .at_col(e.line, e.col)
                    .hint(msg!("bad-field-name-hint")),
            );
            continue;
        }
        if let Some(f) = field(file, name, &e.value, diags) {
            out.push(f);
        }
    }
    out
}

/// One field's declaration: a type name, or a mapping with `type:`.
fn field(file: &str, name: &str, node: &Node, diags: &mut Vec<Diagnostic>) -> Option<FieldDef> {
    if let Value::Str(t) = &node.value {
        let ty = type_named(file, t, node, None, diags)?;
        if matches!(ty, FieldType::Choice(_)) {
            diags.push(
                Diagnostic::error(file, msg!("choice-needs-values", key = name))
                    .at_col(node.line, node.col)
                    .hint(msg!("choice-needs-values-hint", key = name)),
            );
            return None;
        }
        return Some(FieldDef {
            name: name.to_string(),
            ty,
            required: false,
            default: None,
            label: None,
        });
    }
    let mut r = MapReader::new(file, node, msg!("a-field"));
    let type_node = r.node("type");
    let type_name = r.required_string("type", node.line, "text");
    let required = r.boolean("required").unwrap_or(false);
    let label = r.string("label");
    let values = r.has("values").then(|| r.string_list("values"));
    let values_node = r.node("values");
    let (min, max) = (r.number("min"), r.number("max"));
    let bounds_node = r.node("min").or(r.node("max"));
    let default_node = r.node("default");
    let mut ok = true;
    let ty = match (type_name, type_node) {
        (Some(t), Some(n)) => type_named(file, &t, n, values, &mut r.diags),
        _ => None,
    };
    let ty = ty.map(|ty| match ty {
        FieldType::Number { .. } => FieldType::Number { min, max },
        FieldType::Integer { .. } => FieldType::Integer {
            min: min.map(|m| m as i64),
            max: max.map(|m| m as i64),
        },
        other => other,
    });
    if let Some(ty) = &ty {
        let numeric = matches!(ty, FieldType::Number { .. } | FieldType::Integer { .. });
        if let (false, Some(n)) = (numeric, bounds_node) {
            r.invalid(
                "min",
                n,
                msg!("bounds-only-numbers"),
                msg!("bounds-only-numbers-hint"),
            );
            ok = false;
        }
        let choice = matches!(ty, FieldType::Choice(_));
        if let (false, Some(n)) = (choice, values_node) {
            r.invalid(
                "values",
                n,
                msg!("values-only-choice"),
                msg!("values-only-choice-hint"),
            );
            ok = false;
        }
        if let FieldType::Choice(v) = ty
            && v.is_empty()
        {
            r.diags.push(
                Diagnostic::error(file, msg!("choice-needs-values", key = name))
                    .at_col(node.line, node.col)
                    .hint(msg!("choice-needs-values-hint", key = name)),
            );
            ok = false;
        }
    }
    let mut diags_here = r.finish(|_| None);
    ok &= !diags_here.iter().any(Diagnostic::is_error);
    let ty = ty?;
    let mut def = FieldDef {
        name: name.to_string(),
        ty,
        required,
        default: None,
        label,
    };
    if let Some(n) = default_node {
        if required {
            diags_here.push(
                Diagnostic::error(file, msg!("required-with-default", key = name))
                    .at_col(n.line, n.col)
                    .hint(msg!("required-with-default-hint")),
            );
            ok = false;
        }
        match super::read::value_of(file, &def, n) {
            Ok(v) => def.default = Some(v),
            Err(d) => {
                diags_here.push(*d);
                ok = false;
            }
        }
    }
    diags.append(&mut diags_here);
    ok.then_some(def)
}

/// The type `t` names; `values` are a choice's.
fn type_named(
    file: &str,
    t: &str,
    node: &Node,
    values: Option<Vec<String>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<FieldType> {
    Some(match t {
        "text" => FieldType::Text,
        "number" => FieldType::Number {
            min: None,
            max: None,
        },
        "integer" => FieldType::Integer {
            min: None,
            max: None,
        },
        "minutes" => FieldType::Minutes,
        "bool" => FieldType::Bool,
        "date" => FieldType::Date,
        "list" => FieldType::List,
        "file" => FieldType::File,
        "image" => FieldType::Image,
        "choice" => FieldType::Choice(values.unwrap_or_default()),
        _ => {
            let all = FieldType::NAMES.join(", ");
            let hint = match did_you_mean(t, FieldType::NAMES) {
                Some(near) => msg!("did-you-mean-of", near, what => msg!("field-types"), all),
                None => msg!("choices-are", what => msg!("field-types"), all),
            };
            diags.push(
                Diagnostic::error(
                    file,
                    msg!("unknown-choice", what => msg!("field-type"), name = t),
                )
                .at_col(node.line, node.col)
                .hint(hint),
            );
            return None;
        }
    })
}

/// Lowercase ASCII letters, digits, `-` and `_`, starting with a letter
/// (a kind names templates; a field, a template variable, has no `-`).
fn valid_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}
