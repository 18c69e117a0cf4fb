//! Which output folder herald may write, and what in it is herald's own.
//!
//! A build replaces its output folder only when the folder is new, empty,
//! or holds herald's manifest ([`MANIFEST`], the list of every file the
//! previous build wrote). Anything else in it that the manifest does not
//! list is the user's: kept across builds when site.yaml names it under
//! `output.keep` (`.git`, `CNAME`…), otherwise the build is refused before
//! anything is touched.

use crate::error::{Error, Result};
use crate::msg;
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// The file in the output that lists what herald wrote there.
pub const MANIFEST: &str = ".herald-manifest";
/// The manifest's first line.
const HEADER: &str = "# herald-manifest 1: files written by herald; the next build replaces them";

/// An output folder herald may write.
#[derive(Debug)]
pub struct OutputDir {
    /// The real folder (symbolic links resolved): a link named as the
    /// output stays a link, and the site is built into its target.
    pub path: PathBuf,
    /// What the previous build wrote there (`None`: new or empty folder).
    pub previous: Option<BTreeSet<String>>,
}

impl OutputDir {
    /// The manifest's text for these paths.
    pub fn manifest(paths: &[String]) -> String {
        let mut s = String::with_capacity(paths.len() * 40 + HEADER.len() + 1);
        s.push_str(HEADER);
        s.push('\n');
        for p in paths {
            s.push_str(p);
            s.push('\n');
        }
        s
    }

    /// Entries of the current output that herald did not write (paths
    /// relative to the output, `/`-separated). A folder none of whose
    /// files herald wrote is one entry; symbolic links are never followed.
    pub fn foreign_entries(&self) -> Vec<String> {
        let Some(previous) = &self.previous else {
            return Vec::new();
        };
        let mut dirs: BTreeSet<&str> = BTreeSet::new();
        for p in previous {
            let mut end = 0;
            while let Some(i) = p[end..].find('/') {
                end += i;
                dirs.insert(&p[..end]);
                end += 1;
            }
        }
        let mut foreign = Vec::new();
        let mut walk = walkdir::WalkDir::new(&self.path)
            .follow_links(false)
            .min_depth(1)
            .sort_by_file_name()
            .into_iter();
        while let Some(entry) = walk.next() {
            let Ok(entry) = entry else { continue };
            let Ok(rel) = entry.path().strip_prefix(&self.path) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rel == MANIFEST {
                continue;
            }
            if entry.file_type().is_dir() {
                if !dirs.contains(rel.as_str()) {
                    foreign.push(rel);
                    walk.skip_current_dir();
                }
            } else if !previous.contains(&rel) {
                foreign.push(rel);
            }
        }
        foreign
    }
}

/// True when `name` matches `pattern`, where `*` stands for any run of
/// characters and `?` for one.
pub fn matches_pattern(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative wildcard matching with one backtrack point: linear-ish.
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// The absolute path of `p` with every symbolic link of its existing part
/// resolved; the part that does not exist yet is appended as written.
pub fn real_path(p: &Path) -> std::io::Result<PathBuf> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    let mut cur = PathBuf::new();
    let mut exists = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => cur.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                cur.pop();
            }
            Component::Normal(name) => {
                cur.push(name);
                if exists {
                    match cur.symlink_metadata() {
                        Ok(_) => cur = cur.canonicalize()?,
                        Err(_) => exists = false,
                    }
                }
            }
        }
    }
    Ok(cur)
}

fn refuse(output: &Path, why: crate::messages::Text) -> Error {
    Error::Refused(msg!("refuse-output", output = output.display(), why => why))
}

/// Folders of the site the output may never be in.
const SITE_FOLDERS: [&str; 8] = [
    "content",
    "static",
    "templates",
    "themes",
    "data",
    "i18n",
    "src",
    ".git",
];

/// Checks that herald may build the site at `root` into `output`, however
/// the path is spelled (symbolic links of it and its parents resolved),
/// and reads the previous build's manifest.
pub fn claim_output(root: &Path, output: &Path) -> Result<OutputDir> {
    let real = real_path(output).map_err(|e| refuse(output, msg!("refuse-unresolved", why = e)))?;
    let shown = output;
    if real.parent().is_none() {
        return Err(refuse(shown, msg!("refuse-fs-root")));
    }
    let root_real = real_path(root).unwrap_or_else(|_| root.to_path_buf());
    if root_real.starts_with(&real) {
        return Err(refuse(shown, msg!("refuse-contains-site")));
    }
    for own in SITE_FOLDERS {
        let inside = real_path(&root.join(own)).unwrap_or_else(|_| root_real.join(own));
        if real.starts_with(&inside) || real.starts_with(root_real.join(own)) {
            return Err(refuse(shown, msg!("refuse-inside-site", folder = own)));
        }
    }
    if real.join(crate::config::CONFIG_FILE).exists()
        || real.join(crate::content::CONTENT_DIR).is_dir()
    {
        return Err(refuse(shown, msg!("refuse-holds-site")));
    }
    let meta = match real.symlink_metadata() {
        Ok(m) => m,
        Err(_) => {
            return Ok(OutputDir {
                path: real,
                previous: None,
            });
        }
    };
    if !meta.is_dir() {
        return Err(refuse(shown, msg!("refuse-a-file")));
    }
    if let Some(previous) = read_manifest(&real) {
        return Ok(OutputDir {
            path: real,
            previous: Some(previous),
        });
    }
    let mut entries = std::fs::read_dir(&real)
        .map_err(|e| Error::io(msg!("cannot-read-path", path = real.display()), e))?;
    if entries.next().is_some() {
        return Err(refuse(shown, msg!("refuse-not-ours", manifest = MANIFEST)));
    }
    Ok(OutputDir {
        path: real,
        previous: None,
    })
}

/// The paths a manifest lists, if `dir` holds a real (not linked) one.
fn read_manifest(dir: &Path) -> Option<BTreeSet<String>> {
    let path = dir.join(MANIFEST);
    if !path.symlink_metadata().ok()?.is_file() {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    Some(
        lines
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect(),
    )
}

/// The top-level name of a relative output path.
pub fn top_name(rel: &str) -> &str {
    rel.split('/').next().unwrap_or(rel)
}

/// True when `rel` is a top-level entry the user keeps (`output.keep`).
pub fn is_kept(keep: &[String], rel: &str) -> bool {
    !rel.contains('/') && keep.iter().any(|k| matches_pattern(k, rel))
}

/// A path shown relative to where the user pointed.
pub fn display_in(output: &Path, rel: &str) -> String {
    Path::new(output.file_name().unwrap_or(OsStr::new(".")))
        .join(rel)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(matches_pattern(".git", ".git"));
        assert!(!matches_pattern(".git", ".github"));
        assert!(matches_pattern("MP_verify_*.txt", "MP_verify_abc.txt"));
        assert!(!matches_pattern("MP_verify_*.txt", "MP_verify_abc.html"));
        assert!(matches_pattern("*", "anything"));
        assert!(matches_pattern("a?c", "abc"));
        // No blow-up on hostile patterns.
        let long = "a".repeat(5000);
        assert!(!matches_pattern(&"*a".repeat(200), &format!("{long}b")));
    }

    #[test]
    fn refuses_the_site_and_its_folders() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("site.yaml"), "title: x").unwrap();
        assert!(claim_output(tmp.path(), tmp.path()).is_err());
        assert!(claim_output(tmp.path(), &tmp.path().join("content/x")).is_err());
        assert!(claim_output(tmp.path(), &tmp.path().join("public")).is_ok());
    }

    #[test]
    fn resolves_links_of_parents_for_new_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::os::unix::fs::symlink(site.join("content"), tmp.path().join("c")).unwrap();
        let sneaky = tmp.path().join("c/newdir/deeper");
        assert!(
            real_path(&sneaky)
                .unwrap()
                .starts_with(site.join("content"))
        );
        assert!(claim_output(&site, &sneaky).is_err());
    }

    #[test]
    fn foreign_entries_are_what_the_manifest_does_not_list() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        for f in ["index.html", "news/a/index.html", "uploads/x.pdf", "CNAME"] {
            let p = out.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        std::fs::write(out.join("news/extra.txt"), "mine").unwrap();
        let dir = OutputDir {
            path: out.to_path_buf(),
            previous: Some(
                ["index.html", "news/a/index.html"]
                    .map(String::from)
                    .into_iter()
                    .collect(),
            ),
        };
        assert_eq!(
            dir.foreign_entries(),
            vec!["CNAME", "news/extra.txt", "uploads"]
        );
    }
}
