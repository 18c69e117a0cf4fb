//! Kinds of content and their typed fields. The five built-in kinds are
//! declarations (`builtin.yaml`) in the same form a site declares its own
//! under `kinds:` in site.yaml; a site's kind extends a built-in one (or
//! another of its own) and adds or narrows fields. One mechanism reads
//! every page's fields: `read.rs`. The reference is `docs/kinds.md`.

use crate::error::Diagnostic;
use crate::yaml::Node;

mod declare;
mod read;
pub use declare::COMMON_KEYS;
pub use read::read_fields;

/// The built-in kinds: what a kind *does* (series, covers, sorting, the
/// theme's layout) follows the built-in kind it extends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Kind {
    Article,
    Lesson,
    Case,
    Publication,
    #[default]
    Page,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Article,
        Kind::Lesson,
        Kind::Case,
        Kind::Publication,
        Kind::Page,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Lesson => "lesson",
            Kind::Case => "case",
            Kind::Publication => "publication",
            Kind::Page => "page",
        }
    }

    pub fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }
}

/// The type of a field, as declared (`type: …`).
#[derive(Debug, Clone, PartialEq)]
pub enum FieldType {
    Text,
    /// Any number, within the bounds given.
    Number {
        min: Option<f64>,
        max: Option<f64>,
    },
    /// A whole number, within the bounds given.
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// A positive number of minutes (a lesson's or a film's length).
    Minutes,
    Bool,
    /// A year (`2023`), a month (`2023-05`) or a day (`2023-05-01`), or a
    /// date and time as `date:` takes them.
    Date,
    /// A list of texts.
    List,
    /// A file of the site: beside the page in a bundle, or under static/.
    File,
    /// A [`FieldType::File`] that is an image.
    Image,
    /// One of the declared values.
    Choice(Vec<String>),
}

impl FieldType {
    /// The names `type:` takes.
    pub const NAMES: [&'static str; 10] = [
        "text", "number", "integer", "minutes", "bool", "date", "list", "file", "image", "choice",
    ];

    pub fn name(&self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number { .. } => "number",
            FieldType::Integer { .. } => "integer",
            FieldType::Minutes => "minutes",
            FieldType::Bool => "bool",
            FieldType::Date => "date",
            FieldType::List => "list",
            FieldType::File => "file",
            FieldType::Image => "image",
            FieldType::Choice(_) => "choice",
        }
    }

    /// A value of this type, as an editor would write it.
    pub fn example(&self) -> String {
        match self {
            FieldType::Text => "\"…\"".into(),
            FieldType::Number { min, .. } => {
                min.map_or("12".into(), |m| (m.max(0.0) + 1.0).to_string())
            }
            FieldType::Integer { min, .. } => min.map_or("3".into(), |m| m.max(1).to_string()),
            FieldType::Minutes => "8".into(),
            FieldType::Bool => "true".into(),
            FieldType::Date => "2024-05-01".into(),
            FieldType::List => "[first, second]".into(),
            FieldType::File => "files/guide.pdf".into(),
            FieldType::Image => "images/poster.jpg".into(),
            FieldType::Choice(values) => values.first().cloned().unwrap_or_default(),
        }
    }

    /// Whether a field declared with `self` may be redeclared as `other`
    /// by a kind that extends it: the same type, bounds and values may
    /// change.
    fn same_type(&self, other: &FieldType) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            || matches!((self, other), (FieldType::Text, FieldType::Choice(_)))
            || matches!((self, other), (FieldType::File, FieldType::Image))
    }
}

/// One declared field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    pub name: String,
    pub ty: FieldType,
    pub required: bool,
    /// The value a page without the field gets.
    pub default: Option<FieldValue>,
    /// What readers see beside the value (the field's name when not given).
    pub label: Option<String>,
}

/// A field's value on one page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// Text, a choice, or a date as written (`2023`, `2023-05-01`).
    Text(String),
    Number(f64),
    Integer(i64),
    Bool(bool),
    List(Vec<String>),
    /// A file or image path as written; the link step finds the file.
    Path(String),
}

/// One field a page has.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub value: FieldValue,
    /// Where the page gives it (line, column); (0, 0) for a default.
    pub at: (usize, usize),
}

/// A page's fields, in declaration order (each kind's own after those of
/// the kind it extends). Only fields the page has or that have defaults.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(pub Vec<Field>);

impl Fields {
    pub fn get(&self, name: &str) -> Option<&FieldValue> {
        self.0.iter().find(|f| f.name == name).map(|f| &f.value)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            FieldValue::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn number(&self, name: &str) -> Option<f64> {
        match self.get(name)? {
            FieldValue::Number(n) => Some(*n),
            FieldValue::Integer(i) => Some(*i as f64),
            _ => None,
        }
    }

    pub fn integer(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            FieldValue::Integer(i) => Some(*i),
            _ => None,
        }
    }

    pub fn list(&self, name: &str) -> &[String] {
        match self.get(name) {
            Some(FieldValue::List(l)) => l,
            _ => &[],
        }
    }

    pub fn path(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            FieldValue::Path(p) => Some(p),
            _ => None,
        }
    }

    /// The file and image fields.
    pub fn paths(&self) -> impl Iterator<Item = (&Field, &str)> {
        self.0.iter().filter_map(|f| match &f.value {
            FieldValue::Path(p) => Some((f, p.as_str())),
            _ => None,
        })
    }
}

/// A declared kind.
#[derive(Debug, Clone, PartialEq)]
pub struct KindDef {
    pub name: String,
    /// The built-in kind whose behaviour it has (itself, for a built-in).
    pub base: Kind,
    /// The kind it extends (`None` for the built-in kinds).
    pub extends: Option<String>,
    /// Every field, those of the kind it extends first.
    pub fields: Vec<FieldDef>,
    /// Its line in site.yaml (0 for a built-in kind).
    pub line: usize,
}

impl KindDef {
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Every kind a site knows: the built-in ones, then the site's own.
#[derive(Debug, Clone, PartialEq)]
pub struct Kinds {
    defs: Vec<KindDef>,
}

impl Default for Kinds {
    fn default() -> Kinds {
        Kinds::builtin()
    }
}

impl Kinds {
    /// The built-in kinds alone.
    pub fn builtin() -> Kinds {
        let node = crate::yaml::parse(include_str!("builtin.yaml"), 0)
            .expect("builtin.yaml is valid YAML");
        let mut kinds = Kinds { defs: Vec::new() };
        let diags = declare::declare(&mut kinds, "builtin.yaml", &node, true);
        assert!(diags.is_empty(), "builtin.yaml: {diags:?}");
        kinds
    }

    /// The built-in kinds and those site.yaml declares under `kinds:`
    /// (`node`), with every problem of the declarations.
    pub fn declared(file: &str, node: Option<&Node>) -> (Kinds, Vec<Diagnostic>) {
        let mut kinds = Kinds::builtin();
        let diags = match node {
            Some(n) => declare::declare(&mut kinds, file, n, false),
            None => Vec::new(),
        };
        (kinds, diags)
    }

    pub fn get(&self, name: &str) -> Option<&KindDef> {
        self.defs.iter().find(|d| d.name == name)
    }

    /// The built-in kind's declaration.
    pub fn of(&self, kind: Kind) -> &KindDef {
        self.get(kind.name()).expect("built-in kinds are declared")
    }

    pub fn all(&self) -> &[KindDef] {
        &self.defs
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.defs.iter().map(|d| d.name.as_str())
    }

    /// `name` and the kinds it extends, nearest first, for templates
    /// (`film`, `article`).
    pub fn chain(&self, name: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut at = self.get(name);
        while let Some(d) = at {
            out.push(d.name.as_str());
            at = d.extends.as_deref().and_then(|e| self.get(e));
        }
        out
    }

    /// The first kind (built-in ones first) that declares a field `key`.
    pub fn owner_of(&self, key: &str) -> Option<&KindDef> {
        self.defs.iter().find(|d| d.field(key).is_some())
    }
}

#[cfg(test)]
mod tests;
