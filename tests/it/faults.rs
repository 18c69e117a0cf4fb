//! Faults: `herald build` killed with SIGKILL at random moments never
//! damages the previous site, and the next build cleans up; unreadable
//! pages and unwritable or uncreatable output folders give clear errors;
//! files changing during a build give an error or a complete site.

use crate::common::*;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("herald-"))
        .collect()
}

#[test]
fn sigkill_at_random_moments_never_damages_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    crate::generator::write_site(dir.path(), 300, 11, &repo()).unwrap();
    let herald = env!("CARGO_BIN_EXE_herald");
    let build = || {
        std::process::Command::new(herald)
            .env("HERALD_LANG", "en")
            .args(["build", "--root"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let started = Instant::now();
    let first = build();
    assert!(first.status.success(), "{}", stderr(&first));
    let full = started.elapsed();
    let good = tree(&dir.path().join("public"));
    assert!(good.len() > 300);
    let mut rng = crate::generator::Rng::new(7);
    let mut killed_mid_build = 0;
    for trial in 0..30 {
        let mut child = std::process::Command::new(herald)
            .env("HERALD_LANG", "en")
            .args(["build", "--root"])
            .arg(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let wait = full.mul_f64((rng.below(1000) as f64) / 1000.0 * 1.2);
        std::thread::sleep(wait);
        if child.try_wait().unwrap().is_none() {
            killed_mid_build += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = tree(&dir.path().join("public"));
        assert_eq!(now.len(), good.len(), "trial {trial}: public/ lost files");
        assert!(
            now == good,
            "trial {trial}: public/ changed after a killed build"
        );
    }
    assert!(
        killed_mid_build >= 10,
        "only {killed_mid_build} of 30 kills landed during a build"
    );
    // The next build succeeds and removes what the killed builds left.
    let last = build();
    assert!(last.status.success(), "{}", stderr(&last));
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
    assert!(tree(&dir.path().join("public")) == good);
}

#[test]
fn an_output_folder_that_cannot_be_created_is_a_clear_error() {
    let f = Fixture::new();
    f.write("blocker", "a file where a folder should be");
    let out = f.herald(&[
        "build",
        "--output",
        f.path().join("blocker/public").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("cannot create the folder that holds the output")
            && err.contains("blocker")
            && err.contains("hint:"),
        "{err}"
    );
}

/// Runs `herald ARGS --root ROOT` as an unprivileged user when the tests
/// run as root (as CI does): root reads and writes everything, so
/// permission problems could not happen otherwise.
fn herald_unprivileged(root: &Path, args: &[&str]) -> std::process::Output {
    let herald = env!("CARGO_BIN_EXE_herald");
    let uid = std::fs::metadata("/proc/self").map_or(1, |m| m.uid());
    let mut cmd = if uid == 0 {
        // The temp folder is root's and private: let "nobody" in.
        // The site folder, and any temp folders above it, but never /tmp
        // itself (0777 there would drop its sticky bit).
        let _ = std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o777));
        let mut dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
        while dir
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with(".tmp"))
        {
            let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777));
            dir.pop();
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", herald]);
        c
    } else {
        Command::new(herald)
    };
    cmd.env("HERALD_LANG", "en");
    cmd.args(args).arg("--root").arg(root);
    cmd.output().expect("run herald")
}

/// Makes every file and folder under `dir` readable and writable by all.
fn open_up(dir: &Path) {
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        let mode = if e.file_type().is_dir() { 0o777 } else { 0o666 };
        let _ = std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(mode));
    }
}

#[test]
fn an_unreadable_page_is_an_error_naming_it_and_the_site_survives() {
    let f = Fixture::new();
    open_up(f.path());
    let first = herald_unprivileged(f.path(), &["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let good = tree(&f.path().join("public"));

    let page = f.path().join("content/news/b.md");
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = herald_unprivileged(f.path(), &["build"]);
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o666)).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/news/b.md")
            && err.contains("cannot read the file")
            && err.contains("Permission denied")
            && err.contains("hint: check the file's permissions"),
        "{err}"
    );
    assert!(tree(&f.path().join("public")) == good, "public/ changed");
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let f = Fixture::new();
    open_up(f.path());
    // A folder the build user may read but not write into.
    let locked = f.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    let target = locked.join("public");
    let out = herald_unprivileged(f.path(), &["build", "--output", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("locked")
            && err.contains("cannot write in the folder that holds the output")
            && err.contains("Permission denied")
            && err.contains("hint: herald writes the new site beside"),
        "{err}"
    );
    assert!(!target.exists());
}

/// Pages vanishing, reappearing and changing while builds run: each build
/// either succeeds with a complete site (every sitemap URL has its file) or
/// fails with a message naming a file and leaves the previous site as it
/// was. Never a half-written `public/`.
#[test]
fn files_changing_during_a_build_give_an_error_or_a_complete_site() {
    let dir = tempfile::tempdir().unwrap();
    crate::generator::write_site(dir.path(), 300, 5, &repo()).unwrap();
    let herald = env!("CARGO_BIN_EXE_herald");
    let build = || {
        Command::new(herald)
            .env("HERALD_LANG", "en")
            .args(["build", "--root"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let first = build();
    assert!(first.status.success(), "{}", stderr(&first));
    let victims: Vec<PathBuf> = walkdir::WalkDir::new(dir.path().join("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .take(40)
        .collect();
    let (mut ok, mut failed) = (0, 0);
    for trial in 0..12 {
        let before = tree(&dir.path().join("public"));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let churn = {
            let (stop, victims) = (stop.clone(), victims.clone());
            std::thread::spawn(move || {
                let mut i = trial;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let p = &victims[i % victims.len()];
                    if let Ok(text) = std::fs::read_to_string(p) {
                        let _ = std::fs::remove_file(p);
                        std::thread::sleep(std::time::Duration::from_micros(300));
                        // Half a file for a moment, then the whole again.
                        let _ = std::fs::write(p, &text.as_bytes()[..text.len() / 2]);
                        std::thread::sleep(std::time::Duration::from_micros(300));
                        let _ = std::fs::write(p, format!("{text}\n改动 {i}。\n"));
                    }
                    i += 7;
                }
            })
        };
        let out = build();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        churn.join().unwrap();
        let public = dir.path().join("public");
        if out.status.success() {
            ok += 1;
            let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
            for loc in sitemap.split("<loc>").skip(1) {
                let url = &loc[..loc.find("</loc>").unwrap()];
                let path = url.split_once("/portal/").map_or("", |(_, p)| p);
                let file = if path.is_empty() || path.ends_with('/') {
                    public.join(path).join("index.html")
                } else {
                    public.join(path)
                };
                assert!(
                    file.is_file(),
                    "trial {trial}: {url} listed but {file:?} missing"
                );
            }
        } else {
            failed += 1;
            assert_eq!(
                out.status.code(),
                Some(1),
                "trial {trial}: {}",
                stderr(&out)
            );
            let err = stderr(&out);
            assert!(
                err.contains("content/") && err.contains("hint:"),
                "trial {trial}: {err}"
            );
            assert!(
                tree(&public) == before,
                "trial {trial}: a failed build changed public/"
            );
        }
        assert!(
            leftovers(dir.path()).is_empty(),
            "trial {trial}: {:?}",
            leftovers(dir.path())
        );
    }
    eprintln!("{ok} builds succeeded, {failed} failed cleanly");
}
