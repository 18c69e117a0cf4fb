//! Where a theme's files come from: a folder `themes/NAME/` of the site, or,
//! for `default` when the site has no such folder, the built-in theme
//! compiled into herald (so every site gets the theme's fixes with herald,
//! and `herald init` need not copy it). A site overrides single templates
//! under `templates/`, single static files under `static/` and single UI
//! strings under `i18n/`, whichever theme it uses.

use crate::confine;
use crate::error::Diagnostic;
use crate::msg;
use include_dir::{Dir, include_dir};
use std::borrow::Cow;
use std::path::{Path, PathBuf};

/// The built-in theme: `themes/default` of herald's own repository.
pub static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// The name under which the built-in theme is found.
pub const BUILT_IN_NAME: &str = "default";

/// A site's theme.
#[derive(Debug, Clone)]
pub enum Theme {
    /// `themes/NAME/` in the site.
    Folder(PathBuf),
    /// The theme compiled into herald.
    BuiltIn,
}

/// One file of a theme.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path under the theme's sub-folder (`templates/`, `static/`…), with `/`.
    pub rel: String,
    /// How messages name it: `themes/default/templates/base.html`, or
    /// `(built-in theme) templates/base.html`.
    pub shown: String,
    pub origin: Origin,
}

/// Where a file's bytes are.
#[derive(Debug, Clone)]
pub enum Origin {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

impl Origin {
    pub fn read(&self) -> std::io::Result<Cow<'static, [u8]>> {
        match self {
            Origin::Disk(p) => std::fs::read(p).map(Cow::Owned),
            Origin::Embedded(b) => Ok(Cow::Borrowed(b)),
        }
    }
}

/// Finds the theme `name` of the site at `root`: its folder when the site
/// has one (which must lie inside the site), else the built-in theme for
/// `default`, else an error listing the themes there are.
pub fn resolve(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
    let dir = root.join("themes").join(name);
    if dir.symlink_metadata().is_ok() {
        if let Err(e) = confine::check(&confine::real_root(root), &dir) {
            return Err(e.diagnostic(&confine::shown(root, &dir)));
        }
        if dir.is_dir() {
            return Ok(Theme::Folder(dir));
        }
    }
    if name == BUILT_IN_NAME {
        return Ok(Theme::BuiltIn);
    }
    let mut available: Vec<String> = std::fs::read_dir(root.join("themes"))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    available.sort();
    available.insert(0, format!("{BUILT_IN_NAME} (built in)"));
    Err(
        Diagnostic::error(crate::config::CONFIG_FILE, msg!("no-such-theme", name))
            .hint(msg!("themes-here", all = available.join(", "))),
    )
}

impl Theme {
    /// Every file under the theme's sub-folder `sub` (`templates`,
    /// `static`), sorted by path; links out of the site are refused.
    pub fn files(&self, root: &Path, sub: &str) -> (Vec<ThemeFile>, Vec<Diagnostic>) {
        match self {
            Theme::Folder(dir) => {
                let found =
                    confine::walk_files(root, &dir.join(sub), crate::source::is_ignored_name);
                let files = found
                    .files
                    .into_iter()
                    .map(|(rel, path)| ThemeFile {
                        shown: confine::shown(root, &path),
                        rel,
                        origin: Origin::Disk(path),
                    })
                    .collect();
                (files, found.diags)
            }
            Theme::BuiltIn => {
                let mut files = Vec::new();
                if let Some(dir) = BUILT_IN.get_dir(sub) {
                    embedded(dir, sub, &mut files);
                }
                files.sort_by(|a, b| a.rel.cmp(&b.rel));
                (files, Vec::new())
            }
        }
    }

    /// One file of the theme (`i18n/zh-CN.yaml`), if it has it.
    pub fn file(&self, root: &Path, rel: &str) -> Result<Option<ThemeFile>, Diagnostic> {
        match self {
            Theme::Folder(dir) => {
                let path = dir.join(rel);
                if let Err(e) = confine::check(&confine::real_root(root), &path) {
                    return Err(e.diagnostic(&confine::shown(root, &path)));
                }
                Ok(path.is_file().then(|| ThemeFile {
                    rel: rel.to_string(),
                    shown: confine::shown(root, &path),
                    origin: Origin::Disk(path),
                }))
            }
            Theme::BuiltIn => Ok(BUILT_IN.get_file(rel).map(|f| ThemeFile {
                rel: rel.to_string(),
                shown: format!("(built-in theme) {rel}"),
                origin: Origin::Embedded(f.contents()),
            })),
        }
    }
}

/// Every file of the built-in theme, with paths from its root (for
/// `herald init --with-theme`).
pub fn built_in_files() -> Vec<ThemeFile> {
    let mut out = Vec::new();
    embedded(&BUILT_IN, "", &mut out);
    out
}

/// The files under an embedded folder, with paths relative to `sub`.
fn embedded(dir: &'static Dir<'static>, sub: &str, out: &mut Vec<ThemeFile>) {
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => embedded(d, sub, out),
            include_dir::DirEntry::File(f) => {
                let full = f.path().to_string_lossy().replace('\\', "/");
                let rel = full
                    .strip_prefix(sub)
                    .unwrap_or(&full)
                    .trim_start_matches('/')
                    .to_string();
                if rel
                    .rsplit('/')
                    .next()
                    .is_some_and(crate::source::is_ignored_name)
                {
                    continue;
                }
                out.push(ThemeFile {
                    shown: format!("(built-in theme) {full}"),
                    rel,
                    origin: Origin::Embedded(f.contents()),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_theme_is_used_when_the_site_has_no_folder() {
        let dir = tempfile::tempdir().unwrap();
        let theme = resolve(dir.path(), "default").unwrap();
        assert!(matches!(theme, Theme::BuiltIn));
        let (templates, diags) = theme.files(dir.path(), "templates");
        assert!(diags.is_empty());
        assert!(templates.iter().any(|f| f.rel == "base.html"));
        assert!(templates.iter().any(|f| f.rel == "shortcodes/figure.html"));
        let strings = theme.file(dir.path(), "i18n/zh.yaml").unwrap().unwrap();
        assert!(theme.file(dir.path(), "i18n/xx.yaml").unwrap().is_none());
        assert!(strings.shown.starts_with("(built-in theme)"));
        let err = resolve(dir.path(), "fancy").unwrap_err();
        assert!(err.hint.unwrap().to_string().contains("default (built in)"));

        std::fs::create_dir_all(dir.path().join("themes/default/templates")).unwrap();
        assert!(matches!(
            resolve(dir.path(), "default").unwrap(),
            Theme::Folder(_)
        ));
    }
}
