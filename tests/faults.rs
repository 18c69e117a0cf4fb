//! Faults: `herald build` killed with SIGKILL at random moments never
//! damages the previous site, and the next build cleans up; an output
//! folder that cannot be created gives a clear error.

mod common;
use common::*;
use std::time::Instant;

#[path = "../examples/corpus/generator.rs"]
#[allow(dead_code)]
mod generator;

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
    generator::write_site(dir.path(), 300, 11, &repo()).unwrap();
    let herald = env!("CARGO_BIN_EXE_herald");
    let build = || {
        std::process::Command::new(herald)
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
    let mut rng = generator::Rng::new(7);
    let mut killed_mid_build = 0;
    for trial in 0..30 {
        let mut child = std::process::Command::new(herald)
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
        err.contains("error: cannot create") && err.contains("blocker"),
        "{err}"
    );
}
