//! `cargo run --release --example serve_bench -- SITE_DIR [EDITS]`
//!
//! Starts `herald serve` on SITE_DIR (through the library), then measures the
//! time from a file write to the live-reload event the browser would get:
//! EDITS single-page body edits, then EDITS template edits. Prints p50/p95.
//! It edits files in SITE_DIR and puts them back afterwards.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn live(addr: std::net::SocketAddr) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
    write!(s, "GET /__herald/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    while r.read_line(&mut line).unwrap() > 2 {
        line.clear();
    }
    r
}

fn wait_reload(r: &mut BufReader<TcpStream>) {
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).unwrap() == 0 {
            panic!("stream closed");
        }
        if line.starts_with("event: reload") || line.starts_with("event: errors") {
            return;
        }
    }
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn first_page(root: &Path) -> PathBuf {
    let mut pages: Vec<PathBuf> = walk(&root.join("content"));
    pages.sort();
    pages
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .expect("a page")
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

fn measure(
    name: &str,
    file: &Path,
    edit: &dyn Fn(&str, usize) -> String,
    edits: usize,
    r: &mut BufReader<TcpStream>,
) {
    let original = std::fs::read_to_string(file).unwrap();
    let mut times = Vec::new();
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(150));
        let start = Instant::now();
        std::fs::write(file, edit(&original, i)).unwrap();
        wait_reload(r);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(file, &original).unwrap();
    wait_reload(r);
    let (p50, p95) = (
        percentile(&mut times.clone(), 0.5),
        percentile(&mut times, 0.95),
    );
    println!("{name:<28} edits={edits:<3} p50={p50:>8.1} ms  p95={p95:>8.1} ms");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = PathBuf::from(args.get(1).map(String::as_str).unwrap_or("."));
    let edits: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let opts = herald::serve::ServeOptions {
        port: 0,
        ..herald::serve::ServeOptions::new(&root)
    };
    let started = Instant::now();
    let quick = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = quick.clone();
    let report = move |e: herald::serve::ServeEvent| {
        if let herald::serve::ServeEvent::Rebuilt { quick: true, .. } = e {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    };
    let running = herald::serve::start(&opts, Arc::new(report)).expect("serve");
    println!(
        "site: {} (first build {:.0} ms)",
        root.display(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut r = live(running.addr);
    // A new paragraph at the end of a page: new words for the index.
    let paragraph = |text: &str, i: usize| format!("{text}\n新增的一段文字，编号 edit{i}。\n");
    measure(
        "page edit → reload event",
        &first_page(&root),
        &paragraph,
        edits,
        &mut r,
    );
    // A comment inside the main block of the article template.
    let comment = |text: &str, i: usize| {
        text.replacen(
            "{% block main %}",
            &format!("{{% block main %}}<!-- edit {i} -->"),
            1,
        )
    };
    let template = root.join("themes/default/templates/article.html");
    measure(
        "template edit → reload event",
        &template,
        &comment,
        edits,
        &mut r,
    );
    println!(
        "quick (partial) rebuilds: {}",
        quick.load(std::sync::atomic::Ordering::SeqCst)
    );
}
