//! Loading templates: the theme's `templates/` with the site's `templates/`
//! overriding by name, compiled once per build (Tera 2). Also the theme's
//! UI strings (`i18n/<language>.yaml`) and the filters and functions the
//! templates use.

use crate::config::Config;
use crate::error::Diagnostic;
use crate::source::decode_text;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tera::Tera;

/// Compiled templates plus where each came from (for messages).
pub struct Templates {
    pub tera: Tera,
    /// Template name → site-relative file.
    pub files: HashMap<String, String>,
    /// UI strings for the site's language.
    pub strings: serde_json::Map<String, serde_json::Value>,
    /// Image variants produced while rendering.
    pub images: std::sync::Arc<crate::images::Images>,
    /// Required arguments of each shortcode, declared in its template as
    /// `{# required: src, alt #}`.
    pub required: HashMap<String, Vec<String>>,
    /// What herald's functions were given (the dev server updates the
    /// pages' places, and reloads templates with the rest).
    pub inputs: crate::functions::Inputs,
    /// The templates each template names in `extends`, `include` and
    /// `import`; `None` when one names a template in a way not read here
    /// (a variable, a component), so that any may use any.
    pub uses: Option<HashMap<String, Vec<String>>>,
    /// The templates that name `data` (the data files) in a tag.
    pub data_readers: std::collections::BTreeSet<String>,
    /// Whether a shortcode template calls `asset()` (pages' Markdown then
    /// holds static files' fingerprints).
    pub shortcodes_call_asset: bool,
}

impl Templates {
    /// The templates whose output may change when the templates `changed`
    /// change: them and every template that uses one, directly or not.
    /// `None`: any may.
    pub fn users_of(&self, changed: &[String]) -> Option<std::collections::BTreeSet<String>> {
        let uses = self.uses.as_ref()?;
        let mut found: std::collections::BTreeSet<String> = changed.iter().cloned().collect();
        loop {
            let more: Vec<String> = uses
                .iter()
                .filter(|(name, used)| {
                    !found.contains(*name) && used.iter().any(|u| found.contains(u))
                })
                .map(|(name, _)| name.clone())
                .collect();
            if more.is_empty() {
                return Some(found);
            }
            found.extend(more);
        }
    }
}

/// Whether `source` names the variable `data` inside a `{{ }}` or `{% %}`
/// tag (not `data-x` attributes or `dataset` in text around them).
fn names_data(source: &str) -> bool {
    let mut rest = source;
    while let Some(at) = rest.find(['{']) {
        let after = &rest[at + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let end = after.find(close).unwrap_or(after.len());
        let tag = &after[1..end];
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        let mut from = 0;
        while let Some(i) = tag[from..].find("data") {
            let i = from + i;
            let before = tag[..i].chars().next_back();
            let next = tag[i + 4..].chars().next();
            if !before.is_some_and(|c| ident(c) || c == '.' || c == '-')
                && !next.is_some_and(|c| ident(c) || c == '-')
            {
                return true;
            }
            from = i + 4;
        }
        rest = &after[end..];
    }
    false
}

/// The templates `source` names in `{% extends %}`, `{% include %}` and
/// `{% import %}` tags; `None` if a tag names one otherwise than as a
/// string (or the source uses components, which are named, not filed).
fn used_templates(source: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("{%") {
        let tag = &rest[at + 2..];
        let end = tag.find("%}").unwrap_or(tag.len());
        let inner = tag[..end]
            .trim_start_matches(['-', ' ', '\n', '\t'])
            .trim_start();
        rest = &tag[end..];
        let word: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        match word.as_str() {
            "extends" | "include" | "import" => {
                let args = inner[word.len()..].trim_start();
                let args = args.strip_prefix('[').unwrap_or(args);
                let mut names = 0;
                for part in args.split(',') {
                    let part = part.trim();
                    let Some(quote) = part.chars().next().filter(|c| *c == '"' || *c == '\'')
                    else {
                        break;
                    };
                    let name = part[1..].split(quote).next()?;
                    out.push(name.to_string());
                    names += 1;
                }
                if names == 0 {
                    return None;
                }
            }
            "component" => return None,
            _ => {}
        }
    }
    Some(out)
}

/// Reads `{# required: a, b #}` from a shortcode template.
fn required_args(source: &str) -> Vec<String> {
    let Some(start) = source.find("{# required:") else {
        return Vec::new();
    };
    let rest = &source[start + "{# required:".len()..];
    let Some(end) = rest.find("#}") else {
        return Vec::new();
    };
    rest[..end]
        .split(',')
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty())
        .collect()
}

/// Reads template files into `out` (name → (file, text)), later ones
/// overriding earlier ones of the same name.
fn read_all(
    files: Vec<crate::theme::ThemeFile>,
    out: &mut BTreeMap<String, (String, String)>,
    diags: &mut Vec<Diagnostic>,
) {
    for f in files {
        match f.origin.read() {
            Ok(bytes) => match decode_text(&f.shown, &bytes) {
                Ok(text) => {
                    out.insert(f.rel, (f.shown, text));
                }
                Err(d) => diags.push(d),
            },
            Err(e) => diags.push(Diagnostic::error(
                f.shown,
                crate::msg!("cannot-read-template", why = e),
            )),
        }
    }
}

/// Turns a Tera error into a diagnostic naming the template file and line.
pub fn tera_diagnostic(
    err: &tera::Error,
    files: &HashMap<String, String>,
    context: Option<&str>,
) -> Diagnostic {
    let (name, line, col, message) = match err.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => (
            r.filename().to_string(),
            Some(r.span().start_line),
            Some(r.span().start_col + 1),
            r.message().to_string(),
        ),
        tera::ErrorKind::MissingParent { current, parent } => (
            current.clone(),
            None,
            None,
            format!("extends \"{parent}\", which does not exist"),
        ),
        tera::ErrorKind::TemplateNotFound(name) => (
            String::new(),
            None,
            None,
            format!("template \"{name}\" not found"),
        ),
        other => (String::new(), None, None, other.to_string()),
    };
    // The engine's own words, in English; herald's two, from the catalogues.
    let said: crate::messages::Text = match err.kind() {
        tera::ErrorKind::MissingParent { parent, .. } => {
            crate::msg!("template-missing-parent", parent)
        }
        tera::ErrorKind::TemplateNotFound(name) => crate::msg!("template-not-found", name),
        _ => message.clone().into(),
    };
    let said = match context {
        Some(who) => crate::msg!("while-rendering", who, message => said),
        None => said,
    };
    let file = files.get(&name).cloned().unwrap_or_else(|| {
        if name.is_empty() {
            "templates".into()
        } else {
            format!("templates/{name}")
        }
    });
    let mut d = Diagnostic::error(file, said);
    if let Some(l) = line {
        d = d.at_col(l, col.unwrap_or(1));
    }
    let listed = ["content", "toc"]
        .into_iter()
        .find(|f| message.contains(&format!("Field `{f}` is not defined")));
    let hint = if let Some(field) = listed {
        crate::msg!("template-list-field-hint", field)
    } else if message.contains("not found") || message.contains("does not exist") {
        crate::msg!("template-name-hint")
    } else if message.contains("is not defined")
        || message.contains("not found in context")
        || message.contains("undefined")
        || message.contains("Unknown")
    {
        crate::msg!("template-undefined-hint")
    } else {
        crate::msg!("template-syntax-hint")
    };
    d.hint(hint)
}

/// Loads and compiles the theme and site templates.
pub fn load(
    root: &Path,
    config: &Config,
    inputs: crate::functions::Inputs,
) -> Result<Templates, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let theme = crate::theme::resolve(root, &config.theme).map_err(|d| vec![d])?;
    let mut sources: BTreeMap<String, (String, String)> = BTreeMap::new();
    let (theme_templates, theme_diags) = theme.files(root, "templates");
    diags.extend(theme_diags);
    read_all(theme_templates, &mut sources, &mut diags);
    let site = crate::theme::Theme::Folder(root.to_path_buf());
    let (site_templates, site_diags) = site.files(root, "templates");
    diags.extend(site_diags);
    read_all(site_templates, &mut sources, &mut diags);
    let files: HashMap<String, String> = sources
        .iter()
        .map(|(n, (f, _))| (n.clone(), f.clone()))
        .collect();

    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    crate::functions::register(&mut tera, config, &inputs);
    let batch: Vec<(&str, &str)> = sources
        .iter()
        .map(|(n, (_, text))| (n.as_str(), text.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(batch.iter().copied()) {
        // Report every broken template, not only the first.
        let mut found = false;
        for (name, text) in &batch {
            let mut single = Tera::default();
            if let Err(err) = single.add_raw_template(name, text)
                && matches!(err.kind(), tera::ErrorKind::SyntaxError(_))
            {
                diags.push(tera_diagnostic(&err, &files, None));
                found = true;
            }
        }
        if !found {
            diags.push(tera_diagnostic(&e, &files, None));
        }
    }
    let strings = load_strings(root, &theme, &config.language, &mut diags);
    tera.global_context()
        .insert_value("t", tera::Value::from_serializable(&strings));
    tera.global_context()
        .insert_value("data", inputs.data.clone());
    tera.global_context()
        .insert_value("site_base", tera::Value::from(config.base_path.as_str()));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    let required = sources
        .iter()
        .filter_map(|(name, (_, text))| {
            let short = name.strip_prefix("shortcodes/")?.strip_suffix(".html")?;
            Some((short.to_string(), required_args(text)))
        })
        .collect();
    let shortcodes_call_asset = sources
        .iter()
        .any(|(name, (_, text))| name.starts_with("shortcodes/") && text.contains("asset("));
    let data_readers = sources
        .iter()
        .filter(|(_, (_, text))| names_data(text))
        .map(|(name, _)| name.clone())
        .collect();
    let uses = sources
        .iter()
        .map(|(name, (_, text))| used_templates(text).map(|u| (name.clone(), u)))
        .collect();
    Ok(Templates {
        tera,
        files,
        strings,
        images: inputs.images.clone(),
        required,
        inputs,
        uses,
        data_readers,
        shortcodes_call_asset,
    })
}

/// UI strings: the theme's `i18n/<lang>.yaml`, falling back from `zh-CN`
/// to `zh` to `en`; a site's `i18n/<lang>.yaml` overrides single strings.
fn load_strings(
    root: &Path,
    theme: &crate::theme::Theme,
    language: &str,
    diags: &mut Vec<Diagnostic>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut candidates = vec![language.to_string()];
    if let Some((primary, _)) = language.split_once('-') {
        candidates.push(primary.to_string());
    }
    candidates.push("en".into());
    let mut out = serde_json::Map::new();
    let site = crate::theme::Theme::Folder(root.to_path_buf());
    for source in [theme, &site] {
        for lang in candidates.iter().rev() {
            let file = match source.file(root, &format!("i18n/{lang}.yaml")) {
                Ok(Some(f)) => f,
                Ok(None) => continue,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            let Ok(bytes) = file.origin.read() else {
                continue;
            };
            let text = match decode_text(&file.shown, &bytes) {
                Ok(t) => t,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            match crate::yaml::parse(&text, 0) {
                Ok(node) => {
                    if let serde_json::Value::Object(map) = node.to_json() {
                        out.extend(map);
                    }
                }
                Err(e) => diags.push(Diagnostic {
                    hint: e.hint,
                    ..Diagnostic::error(file.shown, e.message).at_col(e.line, e.col)
                }),
            }
        }
    }
    out
}

/// Shortcodes are the templates `shortcodes/NAME.html`.
impl crate::markdown::shortcodes::ShortcodeRenderer for Templates {
    fn exists(&self, name: &str) -> bool {
        self.tera
            .contains_template(&format!("shortcodes/{name}.html"))
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .tera
            .get_template_names()
            .filter_map(|n| {
                n.strip_prefix("shortcodes/")
                    .and_then(|n| n.strip_suffix(".html"))
            })
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    fn render(
        &self,
        call: &crate::markdown::shortcodes::Call,
        body: Option<&str>,
        page: &crate::markdown::shortcodes::PageInfo,
    ) -> Result<String, crate::messages::Text> {
        if let Some(required) = self.required.get(&call.name) {
            let missing: Vec<&str> = required
                .iter()
                .filter(|r| !call.args.contains_key(*r))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                let names = missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let all = required.join(", ");
                return Err(if missing.len() > 1 {
                    crate::msg!("missing-arguments", names, all)
                } else {
                    crate::msg!("missing-argument", names, all)
                });
            }
        }
        let mut ctx = tera::Context::new();
        for (k, v) in &call.args {
            ctx.insert_value(k.clone(), tera::Value::from_serializable(v));
        }
        ctx.insert_value(
            "body",
            body.map_or(tera::Value::none(), tera::Value::safe_string),
        );
        ctx.insert_value(
            "page",
            crate::values::map([
                ("key", tera::Value::from(page.key.as_str())),
                ("url", tera::Value::from(page.url.as_str())),
            ]),
        );
        // A call's own `id` argument wins: `{{ youtube(id="…") }}` (as
        // Zola writes it) means the video's id, not the element's.
        if !call.args.contains_key("id") {
            ctx.insert_value(
                "id",
                tera::Value::from(format!("sc-{}-{}", call.name, call.line)),
            );
        }
        self.tera
            .render(&format!("shortcodes/{}.html", call.name), &ctx)
            .map_err(|e| match e.kind() {
                tera::ErrorKind::RenderingError(r) | tera::ErrorKind::SyntaxError(r) => {
                    crate::msg!(
                        "in-template-line",
                        why = r.message(),
                        template = r.filename(),
                        line = r.span().start_line
                    )
                }
                other => other.to_string().into(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::used_templates;

    #[test]
    fn templates_named_in_tags_are_found() {
        let src = r#"{% extends "base.html" %}{% block main %}{%- include "partials/a.html" %}
{% include ['partials/b.html', "partials/c.html"] ignore missing %}{% import "macros.html" as m %}{% endblock %}"#;
        assert_eq!(
            used_templates(src).unwrap(),
            [
                "base.html",
                "partials/a.html",
                "partials/b.html",
                "partials/c.html",
                "macros.html"
            ]
        );
        assert_eq!(
            used_templates("{{ page.title }}").unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn data_is_found_in_tags_only() {
        use super::names_data;
        assert!(names_data(
            r#"{% set b = scoreboard(data=data | get(key=source)) %}"#
        ));
        assert!(names_data("{{ data.figures.total }}"));
        assert!(!names_data(
            r#"<div data-text="x">{{ page.metadata }}</div>"#
        ));
        assert!(!names_data(
            "<script>d.dataset.text = 1</script>{{ t.data_x }}"
        ));
    }

    #[test]
    fn a_template_named_by_a_variable_means_any() {
        assert!(used_templates("{% include name %}").is_none());
        assert!(used_templates("{% component Card(title) %}x{% endcomponent %}").is_none());
    }
}
