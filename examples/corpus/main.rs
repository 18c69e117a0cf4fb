//! `cargo run --release --example corpus -- DIR N [SEED] [--hugo] [--code]`:
//! writes a generated N-page herald site into DIR (see generator.rs); with
//! `--hugo`, the same pages as a minimal equivalent Hugo site; with
//! `--code`, code blocks of realistic length, every one different.

// The tests use parts of the generator this command does not.
#[allow(dead_code)]
mod generator;

fn main() {
    let mut args: Vec<String> = std::env::args().collect();
    let hugo = args.iter().any(|a| a == "--hugo");
    let preset = if args.iter().any(|a| a == "--code") {
        generator::Preset::Code
    } else {
        generator::Preset::Prose
    };
    args.retain(|a| a != "--hugo" && a != "--code");
    if args.len() < 3 {
        eprintln!("usage: corpus DIR N [SEED] [--hugo] [--code]");
        std::process::exit(2);
    }
    let dir = std::path::PathBuf::from(&args[1]);
    let n: usize = args[2].parse().unwrap_or_else(|_| {
        eprintln!("N must be a number");
        std::process::exit(2)
    });
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let written = if hugo {
        generator::write_hugo_site_preset(&dir, n, seed, preset)
    } else {
        generator::write_site_preset(&dir, n, seed, repo, preset)
    };
    if let Err(e) = written {
        eprintln!("cannot write {}: {e}", dir.display());
        std::process::exit(1);
    }
    println!("wrote {n} pages into {}", dir.display());
}
