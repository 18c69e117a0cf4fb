//! Reading stays inside the site: every file herald reads (content, static,
//! data, templates, theme, i18n, image cache) is checked here, and anything
//! whose real path (symbolic links resolved) leaves the site root is
//! refused with a message naming the file. Links that stay inside the site
//! are fine; links to folders are not followed (no loops, one answer for
//! where a file is).

use crate::error::Diagnostic;
use crate::msg;
use std::path::{Path, PathBuf};

/// The site's root with its symbolic links resolved.
pub fn real_root(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// A path relative to the site root, `/`-separated, for messages.
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Why a path may not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Escape {
    /// Its real path is outside the site (the real path).
    Outside(PathBuf),
    /// A symbolic link to nothing.
    Dangling,
}

impl Escape {
    /// What is wrong, in a sentence.
    pub fn message(&self) -> String {
        match self {
            Escape::Outside(to) => format!(
                "a symbolic link points outside the site (to {}); herald reads nothing outside the site folder",
                to.display()
            ),
            Escape::Dangling => "a symbolic link points to nothing".into(),
        }
    }

    /// A diagnostic for `file` (as shown to the user).
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        let hint = match self {
            Escape::Outside(_) => "copy the file or folder into the site instead of linking to it",
            Escape::Dangling => "remove the broken link, or point it at a file inside the site",
        };
        Diagnostic::error(file, self.message()).hint(hint)
    }
}

/// Checks `path` (which exists, or may not) against the site's real root:
/// `Ok` when it does not exist or its real path lies inside.
pub fn check(real_root: &Path, path: &Path) -> Result<(), Escape> {
    match path.symlink_metadata() {
        Err(_) => Ok(()),
        Ok(_) => match path.canonicalize() {
            Ok(real) if real.starts_with(real_root) => Ok(()),
            Ok(real) => Err(Escape::Outside(real)),
            Err(_) => Err(Escape::Dangling),
        },
    }
}

/// Checks a path herald is about to create: the nearest part of it that
/// exists (a folder, or a link to one) must lie inside the site, so that
/// writing never goes through a link out of it.
pub fn check_new(real_root: &Path, path: &Path) -> Result<(), Escape> {
    let existing = path
        .ancestors()
        .find(|a| a.symlink_metadata().is_ok())
        .unwrap_or(path);
    check(real_root, existing)
}

/// The files under one folder of the site.
#[derive(Debug, Default)]
pub struct Walked {
    /// `(path relative to the folder, path on disk)`, sorted by name.
    pub files: Vec<(String, PathBuf)>,
    pub diags: Vec<Diagnostic>,
}

/// Lists the files under `dir` (a folder of the site at `root`), skipping
/// names `skip` says to. A link to a file inside the site counts as that
/// file; a link out of the site, a broken link and a link to a folder are
/// errors naming the link. `dir` itself must be inside the site too.
pub fn walk_files(root: &Path, dir: &Path, skip: impl Fn(&str) -> bool) -> Walked {
    let mut w = Walked::default();
    let real = real_root(root);
    if let Err(e) = check(&real, dir) {
        w.diags.push(e.diagnostic(&shown(root, dir)));
        return w;
    }
    if !dir.is_dir() {
        return w;
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| shown(root, dir), |p| shown(root, p));
                w.diags.push(
                    Diagnostic::error(path, msg!("cannot-read-file", why = e))
                        .hint(msg!("cannot-read-file-hint")),
                );
                continue;
            }
        };
        let path = entry.path();
        let rel = match path.strip_prefix(dir) {
            Ok(r) if !r.as_os_str().is_empty() => r,
            _ => continue,
        };
        let Some(rel) = rel.to_str().map(|s| s.replace('\\', "/")) else {
            w.diags.push(
                Diagnostic::error(shown(root, path), msg!("name-not-utf8"))
                    .hint(msg!("name-not-utf8-hint")),
            );
            continue;
        };
        let mut file_type = entry.file_type();
        if file_type.is_symlink() {
            if let Err(e) = check(&real, path) {
                w.diags.push(e.diagnostic(&shown(root, path)));
                continue;
            }
            file_type = match std::fs::metadata(path) {
                Ok(m) => m.file_type(),
                Err(_) => continue,
            };
            if file_type.is_dir() {
                w.diags.push(
                    Diagnostic::error(shown(root, path), msg!("folder-link"))
                        .hint(msg!("folder-link-hint")),
                );
                continue;
            }
        }
        if file_type.is_file() {
            w.files.push((rel, path.to_path_buf()));
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_out_of_the_site_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("static/sub")).unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        std::fs::write(site.join("static/a.txt"), "a").unwrap();
        symlink(tmp.path().join("secret.txt"), site.join("static/out.txt")).unwrap();
        symlink(site.join("static/a.txt"), site.join("static/in.txt")).unwrap();
        symlink(tmp.path(), site.join("static/dir")).unwrap();
        symlink(site.join("nothing"), site.join("static/broken")).unwrap();
        let w = walk_files(&site, &site.join("static"), |_| false);
        let names: Vec<&str> = w.files.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(names, ["a.txt", "in.txt"]);
        let files: Vec<&str> = w.diags.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(files, ["static/broken", "static/dir", "static/out.txt"]);

        // A linked top-level folder that leads out is refused whole.
        symlink(tmp.path(), site.join("data")).unwrap();
        let w = walk_files(&site, &site.join("data"), |_| false);
        assert!(w.files.is_empty());
        assert_eq!(w.diags.len(), 1);
        assert!(w.diags[0].message.to_string().contains("outside the site"));
    }
}
