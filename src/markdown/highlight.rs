//! Syntax highlighting with syntect. Each run of code is one flat `<span>`
//! whose classes name the colour it takes in the light theme (`l3`) and in
//! the dark one (`d7`), plus `lb`/`db` (bold) and `lu`/`du` (underline):
//! the styles are resolved from the two themes' own rules when the page is
//! rendered, so no nested scope spans are needed, neighbouring runs of one
//! style are merged, and text in the default colour has no span at all.
//! `syntax.css` holds one rule per colour of each theme. Grammars come from
//! `two-face` (bat's fresher set); grammars and themes load once, on first
//! use.

use super::Events;
use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;
use rustc_hash::FxHashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;
use std::sync::{Arc, Mutex};
use syntect::highlighting::{Color, FontStyle, Highlighter as StyleMatcher, Style, Theme};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;
use two_face::theme::LazyThemeSet;

/// The themes herald uses when site.yaml names none.
pub const DEFAULT_LIGHT: &str = "InspiredGitHub";
pub const DEFAULT_DARK: &str = "Nord";

/// Which engine highlights code (site.yaml `highlight: { engine: … }`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Engine {
    /// syntect, for every language it has a grammar for.
    #[default]
    Syntect,
    /// tree-sitter for the languages it has grammars for
    /// ([`super::tree_sitter`]), syntect for the rest.
    TreeSitter,
}

impl Engine {
    pub const NAMES: [&str; 2] = ["syntect", "tree-sitter"];

    pub fn from_name(name: &str) -> Option<Engine> {
        match name {
            "syntect" => Some(Engine::Syntect),
            "tree-sitter" => Some(Engine::TreeSitter),
            _ => None,
        }
    }
}

/// site.yaml's `highlight`: the two themes and the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HighlightOptions {
    pub light: String,
    pub dark: String,
    pub engine: Engine,
}

impl Default for HighlightOptions {
    fn default() -> Self {
        HighlightOptions {
            light: DEFAULT_LIGHT.into(),
            dark: DEFAULT_DARK.into(),
            engine: Engine::default(),
        }
    }
}

/// Holds the grammars and the two themes; cheap to create, loads them when
/// first needed.
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    /// The themes' names and the engine.
    options: HighlightOptions,
    themes: OnceLock<Result<Themes, String>>,
    /// Lines already parsed in this build.
    lines: super::line_memo::LineMemo,
    /// Blocks already highlighted in this build.
    blocks: super::block_memo::BlockMemo,
    /// tree-sitter's grammars, compiled as the build meets them.
    grammars: super::tree_sitter::Grammars,
}

/// The light and dark themes with their colours, in a fixed order.
pub(super) struct Themes {
    light: Theme,
    dark: Theme,
    light_colors: Palette,
    dark_colors: Palette,
    /// Classes by scope stack: a grammar gives a few hundred stacks, which
    /// recur in every block.
    cache: Mutex<FxHashMap<Vec<Scope>, Arc<str>>>,
}

/// A theme's foreground colours other than its default, sorted: a colour's
/// place is its class number.
struct Palette(Vec<(u8, u8, u8, u8)>);

impl Palette {
    fn of(theme: &Theme) -> Palette {
        let default = theme.settings.foreground.unwrap_or(Color::BLACK);
        let mut colors: Vec<_> = theme
            .scopes
            .iter()
            .filter_map(|item| item.style.foreground)
            .filter(|c| *c != default)
            .map(key)
            .collect();
        colors.sort_unstable();
        colors.dedup();
        Palette(colors)
    }

    fn index(&self, c: Color) -> Option<usize> {
        self.0.binary_search(&key(c)).ok()
    }
}

fn key(c: Color) -> (u8, u8, u8, u8) {
    (c.r, c.g, c.b, c.a)
}

impl Default for Highlighter {
    fn default() -> Self {
        Self::with_options(&HighlightOptions::default())
    }
}

impl Highlighter {
    pub fn new() -> Self {
        Self::default()
    }

    /// A highlighter for site.yaml's `highlight`.
    pub fn with_options(o: &HighlightOptions) -> Self {
        Highlighter {
            syntaxes: OnceLock::new(),
            options: o.clone(),
            themes: OnceLock::new(),
            lines: Default::default(),
            blocks: Default::default(),
            grammars: Default::default(),
        }
    }

    /// Loads the grammars and themes now (e.g. on a spare thread) instead
    /// of on first use.
    pub fn preload(&self) {
        self.syntaxes();
        let _ = self.themes();
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    fn themes(&self) -> Result<&Themes, &String> {
        self.themes
            .get_or_init(|| {
                // Only the two themes asked for are decoded, not the whole set.
                let set: LazyThemeSet = two_face::theme::extra().into();
                let get = |name: &str| {
                    set.get(name).cloned().ok_or_else(|| {
                        let mut names: Vec<&str> = set.theme_names().collect();
                        names.sort_unstable();
                        format!(
                            "unknown highlight theme `{name}`; themes are: {}",
                            names.join(", ")
                        )
                    })
                };
                let (light, dark) = (get(&self.options.light)?, get(&self.options.dark)?);
                Ok(Themes {
                    light_colors: Palette::of(&light),
                    dark_colors: Palette::of(&dark),
                    light,
                    dark,
                    cache: Mutex::default(),
                })
            })
            .as_ref()
    }

    /// Renders a code block as `<pre><code>` with highlighting classes when
    /// the language is known, plain escaped text otherwise. The `pre` is a
    /// focusable region named `name` (and the language): a long line
    /// scrolls it sideways, which a keyboard must reach too.
    pub fn block(&self, lang: &str, code: &str, name: &str) -> String {
        let lang = lang.split([' ', ',', '{']).next().unwrap_or("").trim();
        let mut out = String::with_capacity(code.len() * 2 + 64);
        let mut label = String::new();
        let _ = escape_html(&mut label, name);
        if lang.is_empty() {
            out.push_str(&format!(
                "<pre class=\"code\" tabindex=\"0\" role=\"group\" aria-label=\"{label}\"><code>"
            ));
            let _ = escape_html(&mut out, code);
            out.push_str("</code></pre>\n");
            return out;
        }
        let mut lang_attr = String::new();
        let _ = escape_html(&mut lang_attr, lang);
        out.push_str(&format!(
            "<pre class=\"code\" data-lang=\"{lang_attr}\" tabindex=\"0\" role=\"group\" aria-label=\"{label} {lang_attr}\"><code class=\"language-{lang_attr}\">"
        ));
        let tree_sitter =
            self.options.engine == Engine::TreeSitter && super::tree_sitter::Grammars::knows(lang);
        // syntect's grammars load only for the languages it highlights.
        let highlighted = self.blocks.get_or_make(lang, code, || match self.themes() {
            Ok(themes) if tree_sitter => self.grammars.spans(lang, code, themes),
            Ok(themes) => {
                let ss = self.syntaxes();
                ss.find_syntax_by_token(lang).and_then(|syntax| {
                    let parser = Parser {
                        ss,
                        state: ParseState::new(syntax),
                        memo: &self.lines,
                    };
                    spans(parser, themes, code)
                })
            }
            Err(_) => None,
        });
        match highlighted {
            Some(html) => out.push_str(&html),
            None => {
                let _ = escape_html(&mut out, code);
            }
        }
        out.push_str("</code></pre>\n");
        out
    }

    /// The stylesheet for highlighted code: the light theme's colours by
    /// default, the dark one's under `prefers-color-scheme: dark`. An
    /// unknown theme name is an error listing the available ones.
    pub fn stylesheet(&self) -> Result<String, String> {
        let themes = self.themes().map_err(Clone::clone)?;
        let HighlightOptions { light, dark, .. } = &self.options;
        Ok(format!(
            "/* Generated by herald: {light} (light), {dark} (dark). Each under its own media query, so no rule of one theme shows in the other. */\n@media not all and (prefers-color-scheme: dark) {{\n{}}}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
            readable_css(&themes.light, &themes.light_colors, 'l'),
            readable_css(&themes.dark, &themes.dark_colors, 'd'),
        ))
    }
}

/// A grammar's parser over one block, through the build's memo of lines.
struct Parser<'a> {
    ss: &'a SyntaxSet,
    state: ParseState,
    memo: &'a super::line_memo::LineMemo,
}

/// The highlighted HTML of `code`: one span per run of one style, classes
/// from both themes; `None` if the grammar fails on it.
fn spans(mut p: Parser, themes: &Themes, code: &str) -> Option<String> {
    let mut stack = ScopeStack::new();
    let mut out = String::with_capacity(code.len() * 2);
    let mut run = Run::default();
    for line in LinesWithEndings::from(code) {
        let ops = p.memo.parse_line(&mut p.state, line, p.ss).ok()?;
        let mut at = 0;
        for (i, op) in &ops {
            if *i > at {
                run.add(&mut out, &themes.classes(stack.as_slice()), &line[at..*i]);
                at = *i;
            }
            stack.apply(op).ok()?;
        }
        if at < line.len() {
            run.add(&mut out, &themes.classes(stack.as_slice()), &line[at..]);
        }
    }
    run.flush(&mut out);
    Some(out)
}

impl Themes {
    /// The classes of text under the scopes named (`source.rust`,
    /// `keyword.control`); no classes for a name that is not a scope.
    pub(super) fn classes_of(&self, names: &[&str]) -> Arc<str> {
        let scopes: Option<Vec<Scope>> = names.iter().map(|n| Scope::new(n).ok()).collect();
        match scopes {
            Some(scopes) => self.classes(&scopes),
            None => Arc::from(""),
        }
    }

    /// The classes of text under `scopes`: its style in each theme,
    /// resolved by the themes' rules once per scope stack and kept.
    fn classes(&self, scopes: &[Scope]) -> Arc<str> {
        if let Some(c) = self.lock().get(scopes) {
            return Arc::clone(c);
        }
        let light = StyleMatcher::new(&self.light).style_for_stack(scopes);
        let dark = StyleMatcher::new(&self.dark).style_for_stack(scopes);
        let class =
            classes(light, &self.light_colors, 'l') + &classes(dark, &self.dark_colors, 'd');
        let class: Arc<str> = class.trim_end().into();
        self.lock().insert(scopes.to_vec(), Arc::clone(&class));
        class
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FxHashMap<Vec<Scope>, Arc<str>>> {
        // A panic elsewhere cannot leave the map half-written: take it as is.
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The text of one style not yet written, and its classes.
#[derive(Default)]
pub(super) struct Run {
    class: String,
    text: String,
}

impl Run {
    pub(super) fn add(&mut self, out: &mut String, class: &Arc<str>, text: &str) {
        let class: &str = class;
        // Spaces take any colour: they join the run before them, unless
        // that one is underlined.
        let blank = text.trim().is_empty() && !self.class.contains('u');
        if class != self.class && !blank {
            self.flush(out);
            self.class.clear();
            self.class.push_str(class);
        }
        self.text.push_str(text);
    }

    pub(super) fn flush(&mut self, out: &mut String) {
        if self.text.is_empty() {
            return;
        }
        if self.class.is_empty() {
            let _ = escape_html(&mut *out, &self.text);
        } else {
            let _ = write!(out, "<span class=\"{}\">", self.class);
            let _ = escape_html(&mut *out, &self.text);
            out.push_str("</span>");
        }
        self.text.clear();
    }
}

/// `l3 lb ` for a style of the theme whose classes start with `prefix`:
/// its colour's number (none for the default colour), bold, underline.
fn classes(style: Style, palette: &Palette, prefix: char) -> String {
    let mut s = String::new();
    if let Some(i) = palette.index(style.foreground) {
        let _ = write!(s, "{prefix}{i} ");
    }
    if style.font_style.contains(FontStyle::BOLD) {
        let _ = write!(s, "{prefix}b ");
    }
    if style.font_style.contains(FontStyle::UNDERLINE) {
        let _ = write!(s, "{prefix}u ");
    }
    s
}

/// A theme's rules, made readable: code blocks take the theme's own
/// background (the colours were chosen for it), every colour reaches the
/// WCAG AA contrast of 4.5:1 against it (InspiredGitHub's grey comments
/// are 2.9:1 on white: such a colour is darkened, or lightened on a dark
/// theme, just enough), and nothing is set in italic, which CJK fonts can
/// only fake by slanting (italic has no class).
fn readable_css(theme: &Theme, palette: &Palette, prefix: char) -> String {
    let bg = theme.settings.background.unwrap_or(Color::WHITE);
    let hex = |c: [u8; 3]| format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]);
    let readable = |c: Color| super::contrast::readable([c.r, c.g, c.b], [bg.r, bg.g, bg.b]);
    let fg = theme.settings.foreground.unwrap_or(Color::BLACK);
    // `--code-bg` also colours the covers of the theme's edge fade.
    let mut css = format!(
        "pre.code {{ --code-bg: {bg}; color: {}; background-color: {bg}; }}\n",
        hex(readable(fg)),
        bg = hex([bg.r, bg.g, bg.b])
    );
    for (i, &(r, g, b, a)) in palette.0.iter().enumerate() {
        let _ = writeln!(
            css,
            "pre.code .{prefix}{i} {{ color: {}; }}",
            hex(readable(Color { r, g, b, a }))
        );
    }
    let _ = writeln!(css, "pre.code .{prefix}b {{ font-weight: bold; }}");
    let _ = writeln!(css, "pre.code .{prefix}u {{ text-decoration: underline; }}");
    css
}

/// Replaces each code block by its highlighted HTML; says whether there
/// was one.
pub(super) fn highlight_code(
    events: &mut Events<'_>,
    highlighter: &Highlighter,
    name: &str,
) -> bool {
    let mut found = false;
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::CodeBlock(kind)) = &events[i].0 else {
            i += 1;
            continue;
        };
        let lang = match kind {
            CodeBlockKind::Fenced(l) => l.to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        let mut code = String::new();
        let mut j = i + 1;
        while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::CodeBlock)) {
            if let Event::Text(t) = &events[j].0 {
                code.push_str(t);
            }
            j += 1;
        }
        let range = events[i].1.start..events.get(j).map_or(events[i].1.end, |e| e.1.end);
        let html = highlighter.block(&lang, &code, name);
        events.splice(
            i..(j + 1).min(events.len()),
            [(Event::Html(html.into()), range)],
        );
        found = true;
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_known_languages_with_flat_merged_spans() {
        let h = Highlighter::new();
        let html = h.block("rust", "fn main() {}\n// a  comment\n", "Code");
        assert!(html.starts_with(
            "<pre class=\"code\" data-lang=\"rust\" tabindex=\"0\" role=\"group\" aria-label=\"Code rust\">"
        ));
        // One span for `fn`, none nested, the comment one run with its spaces.
        assert!(html.contains("<span class=\"l"), "{html}");
        assert!(!html.contains("<span class=\"l\"><span"), "{html}");
        assert!(html.contains("// a  comment\n</span>"), "{html}");
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
        // Every class the page uses has a rule in the stylesheet.
        let css = h.stylesheet().unwrap();
        for class in html
            .split("class=\"")
            .skip(3)
            .map(|c| c.split('"').next().unwrap())
        {
            for c in class.split(' ') {
                assert!(
                    css.contains(&format!("pre.code .{c} {{")),
                    "{c} has no rule"
                );
            }
        }
    }

    #[test]
    fn escapes_unknown_languages() {
        let h = Highlighter::new();
        let html = h.block("nosuchlang", "<b>\n", "Code");
        assert!(html.contains("&lt;b&gt;"));
    }

    #[test]
    fn stylesheet_has_both_modes() {
        let css = Highlighter::new().stylesheet().unwrap();
        assert!(css.contains("prefers-color-scheme: dark"));
        assert!(css.contains("pre.code .l0 {") && css.contains("pre.code .d0 {"));
        assert!(!css.contains("italic"));
        assert!(
            Highlighter::with_options(&HighlightOptions {
                light: "Nope".into(),
                ..HighlightOptions::default()
            })
            .stylesheet()
            .unwrap_err()
            .contains("themes are")
        );
    }
}
