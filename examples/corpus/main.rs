//! `cargo run --release --example corpus -- DIR N [SEED]`: writes a generated
//! N-page herald site into DIR (see generator.rs).

mod generator;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: corpus DIR N [SEED]");
        std::process::exit(2);
    }
    let dir = std::path::PathBuf::from(&args[1]);
    let n: usize = args[2].parse().unwrap_or_else(|_| {
        eprintln!("N must be a number");
        std::process::exit(2)
    });
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(e) = generator::write_site(&dir, n, seed, repo) {
        eprintln!("cannot write {}: {e}", dir.display());
        std::process::exit(1);
    }
    println!("wrote {n} pages into {}", dir.display());
}
