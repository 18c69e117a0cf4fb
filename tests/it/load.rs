//! The dev server under load: 50,000 requests on 64 keep-alive connections
//! while the site is rebuilt 20 times (template edits: full rebuilds; page
//! text edits: quick rebuilds), with 200 idle live-reload connections and
//! slow and malformed clients hanging around. No request may fail, no
//! response may mix two builds, and memory must stay flat.

use crate::common::*;
use herald::serve::{ServeOptions, start};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const REQUESTS: usize = 50_000;
const CONNECTIONS: usize = 64;
const REBUILDS: u64 = 20;

/// Resident memory of this process, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// One keep-alive GET; returns (status, body).
fn get(conn: &mut BufReader<TcpStream>, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    write!(
        conn.get_mut(),
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )?;
    let mut line = String::new();
    conn.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut length = None;
    loop {
        line.clear();
        conn.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let length = length.ok_or_else(|| std::io::Error::other("no Content-Length"))?;
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    Ok((status, body))
}

/// The distinct values of `name:N` markers in a response.
fn markers(body: &str, name: &str) -> Vec<u64> {
    let mut found: Vec<u64> = body
        .match_indices(name)
        .filter_map(|(i, _)| {
            let rest = &body[i + name.len()..];
            let end = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            rest[..end].parse().ok()
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

fn connect(addr: SocketAddr) -> BufReader<TcpStream> {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.set_nodelay(true).unwrap();
    BufReader::new(s)
}

#[test]
fn serves_50k_requests_during_20_rebuilds_without_a_failure_or_a_mixed_response() {
    let f = Fixture::new();
    // Markers the rebuilds change: the template's at the top and bottom of
    // every page, a page's at the start and end of its text.
    let base_path = f.path().join("themes/default/templates/base.html");
    let base = std::fs::read_to_string(&base_path).unwrap();
    let with_gen = |n: u64| {
        base.replacen("<head>", &format!("<head><!--tgen:{n}-->"), 1)
            .replacen("</body>", &format!("<!--tgen:{n}--></body>"), 1)
    };
    f.write("themes/default/templates/base.html", &with_gen(0));
    let page = "content/news/a.md";
    let page_text = |n: u64| {
        format!(
            "---\ntitle: 第一篇\ndate: 2024-05-01\ntags: [乡村振兴, Rust]\n---\nbgen:{n} 开头。\n\n中间的一段。\n\n结尾 bgen:{n}\n"
        )
    };
    f.write(page, &page_text(0));

    let quick = Arc::new(AtomicUsize::new(0));
    let counter = quick.clone();
    let report = move |e: herald::serve::ServeEvent| {
        if let herald::serve::ServeEvent::Rebuilt { kind, .. } = e
            && kind.is_quick()
        {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    };
    let opts = ServeOptions {
        port: 0,
        limits: herald::serve::Limits::default(),
        ..ServeOptions::new(f.path())
    };
    let r = start(&opts, Arc::new(report)).expect("server starts");
    let addr = r.addr;
    let prefix = r.state.base_path();
    let snapshot = r.state.snapshot();
    let mut paths: Vec<String> = snapshot
        .files
        .keys()
        .map(|k| format!("{prefix}{}", k.strip_suffix("index.html").unwrap_or(k)))
        .collect();
    paths.sort();
    let paths = Arc::new(paths);

    // 200 idle live-reload connections, 10 slow clients that never finish
    // their request, and a client sending garbage now and then.
    let mut idle = Vec::new();
    for _ in 0..200 {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET {prefix}__herald/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        idle.push(s);
    }
    for _ in 0..10 {
        let mut s = TcpStream::connect(addr).unwrap();
        write!(s, "GET {prefix} HTTP/1.1\r\nHost: slo").unwrap();
        idle.push(s);
    }
    let done = Arc::new(AtomicBool::new(false));
    let garbage = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut sent = 0;
            while !done.load(Ordering::SeqCst) {
                if let Ok(mut s) = TcpStream::connect(addr) {
                    let _ = s.write_all(b"\x00\x01GARBAGE \xff\xfe\r\n\r\nGET /%zz HTTP/9\r\n\r\n");
                    sent += 1;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            sent
        })
    };

    let served = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let rebuilds_done = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|c| {
            let (paths, served, failures, rebuilds_done) = (
                paths.clone(),
                served.clone(),
                failures.clone(),
                rebuilds_done.clone(),
            );
            std::thread::spawn(move || {
                let mut conn = connect(addr);
                let mut i = c * 7;
                loop {
                    let n = served.fetch_add(1, Ordering::SeqCst);
                    if n >= REQUESTS && rebuilds_done.load(Ordering::SeqCst) {
                        break;
                    }
                    i += 1;
                    let path = &paths[i % paths.len()];
                    let fail =
                        |why: String| failures.lock().unwrap().push(format!("{path}: {why}"));
                    match get(&mut conn, path) {
                        Ok((200, body)) => {
                            let text = String::from_utf8_lossy(&body);
                            for name in ["tgen:", "bgen:"] {
                                let m = markers(&text, name);
                                if m.len() > 1 {
                                    fail(format!("mixes builds: {name}{m:?}"));
                                }
                            }
                        }
                        Ok((status, _)) => fail(format!("status {status}")),
                        Err(e) => {
                            fail(format!("{e}"));
                            conn = connect(addr);
                        }
                    }
                }
            })
        })
        .collect();

    // 20 rebuilds through the watcher, alternating a template edit (full
    // rebuild) and a text edit of one page (quick rebuild).
    let mut rss_mid = 0;
    for n in 1..=REBUILDS {
        let before = r.state.snapshot().version;
        if n % 2 == 1 {
            f.write("themes/default/templates/base.html", &with_gen(n));
        } else {
            f.write(page, &page_text(n));
        }
        let wait = Instant::now();
        while r.state.snapshot().version == before {
            assert!(
                wait.elapsed() < Duration::from_secs(30),
                "rebuild {n} never came"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        if n == 10 {
            rss_mid = rss_kib();
        }
        // Spread the rebuilds over the load.
        std::thread::sleep(Duration::from_millis(200));
    }
    rebuilds_done.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().unwrap();
    }
    let elapsed = started.elapsed();
    done.store(true, Ordering::SeqCst);
    let garbage_sent = garbage.join().unwrap();
    let rss_end = rss_kib();

    let failures = failures.lock().unwrap();
    let total = served.load(Ordering::SeqCst) - CONNECTIONS;
    eprintln!(
        "{total} requests on {CONNECTIONS} connections in {:.1} s ({:.0}/s), {REBUILDS} rebuilds ({} quick), {garbage_sent} garbage requests, 200 idle live connections; RSS {rss_mid} KiB after 10 rebuilds, {rss_end} KiB at the end",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        quick.load(Ordering::SeqCst),
    );
    assert!(total >= REQUESTS, "only {total} requests");
    assert!(
        failures.is_empty(),
        "{} failures, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(
        quick.load(Ordering::SeqCst) >= 5,
        "text edits should take the quick path"
    );
    assert!(
        rss_end < rss_mid + 64 * 1024,
        "memory grew from {rss_mid} KiB to {rss_end} KiB"
    );
    // The server still answers normally, and the slow clients are still
    // waiting rather than holding it up.
    let mut conn = connect(addr);
    let (status, body) = get(&mut conn, &format!("{prefix}news/a/")).unwrap();
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains(&format!("bgen:{REBUILDS}")));
    drop(idle);
}
