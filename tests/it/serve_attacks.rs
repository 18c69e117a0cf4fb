//! The dev server holds up under hostile clients: each attack runs against
//! the real `herald serve` over loopback, with bounded loops, while a
//! normal request must still be answered quickly. Figures are printed
//! (`cargo test --test it serve_attacks:: -- --nocapture`).

use crate::common::Fixture;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A running `herald serve` on a free port.
struct Server {
    child: Child,
    addr: SocketAddr,
    prefix: String,
    _site: Fixture,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start() -> Server {
        Server::start_on("127.0.0.1").expect("serve on 127.0.0.1")
    }

    fn start_on(bind: &str) -> Option<Server> {
        Server::start_with(bind, |_| {})
    }

    /// Starts on `bind` after `prepare` has changed the fixture site.
    fn start_with(bind: &str, prepare: impl FnOnce(&Fixture)) -> Option<Server> {
        let site = Fixture::new();
        prepare(&site);
        // A page big enough that pipelined responses fill the socket.
        site.write(
            "content/news/big.md",
            &format!(
                "---\ntitle: 大\ndate: 2024-05-04\n---\n{}",
                "很长的一段文字。".repeat(40_000)
            ),
        );
        let mut child = crate::common::herald_cmd()
            .args(["serve", "--port", "0", "--bind", bind, "--root"])
            .arg(site.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.contains("Serving at") {
            line.clear();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                // It could not listen (no IPv6 loopback, say).
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("a URL")
            .to_string();
        let rest = url.strip_prefix("http://").unwrap();
        let (host, path) = rest.split_at(rest.find('/').unwrap());
        let addr: SocketAddr = host.parse().expect(host);
        std::thread::spawn(move || for _ in out.lines() {});
        Some(Server {
            child,
            addr,
            prefix: path.to_string(),
            _site: site,
        })
    }

    /// Resident memory of the server now, in MiB.
    fn rss_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap();
        kb / 1024
    }

    /// Inotify watches the server holds (from /proc/PID/fdinfo).
    fn inotify_watches(&self) -> usize {
        let pid = self.child.id();
        let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap();
        fds.filter_map(|e| e.ok())
            .filter(|e| {
                std::fs::read_link(e.path()).is_ok_and(|t| t.to_string_lossy().contains("inotify"))
            })
            .map(|e| {
                let info = format!("/proc/{pid}/fdinfo/{}", e.file_name().to_string_lossy());
                std::fs::read_to_string(info)
                    .unwrap_or_default()
                    .lines()
                    .filter(|l| l.starts_with("inotify wd:"))
                    .count()
            })
            .sum()
    }

    fn threads(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/task", self.child.id()))
            .unwrap()
            .count()
    }

    /// A raw request; returns the status and the time it took.
    fn request(&self, head: &str) -> (u16, Duration) {
        let t = Instant::now();
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        let mut first = String::new();
        let _ = BufReader::new(&s).read_line(&mut first);
        let status = first
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, t.elapsed())
    }

    /// A normal page request: must answer 200.
    fn normal(&self) -> Duration {
        let (status, took) = self.request(&format!(
            "GET {}news/a/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            self.prefix
        ));
        assert_eq!(status, 200, "a normal request was not answered");
        took
    }
}

#[test]
fn huge_headers_get_431_and_memory_stays_flat() {
    let srv = Server::start();
    let before = srv.rss_mib();
    for _ in 0..5 {
        let mut s = TcpStream::connect(srv.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = write!(s, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");
        // 20 MB offered; the server stops reading at its limit.
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..20 {
            if s.write_all(&chunk).is_err() {
                break;
            }
        }
        let mut reply = Vec::new();
        let _ = s.read_to_end(&mut reply);
        let text = String::from_utf8_lossy(&reply);
        assert!(text.starts_with("HTTP/1.1 431"), "{text:.80}");
    }
    let long_url = format!(
        "GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "a".repeat(30_000)
    );
    assert_eq!(srv.request(&long_url).0, 414);
    let took = srv.normal();
    let after = srv.rss_mib();
    eprintln!("header attack: RSS {before} → {after} MiB; normal request {took:?}");
    assert!(after < before + 32, "RSS grew from {before} to {after} MiB");
}

#[test]
fn idle_connections_neither_pile_up_nor_block_others() {
    let srv = Server::start();
    let mut idle = Vec::new();
    for _ in 0..300 {
        idle.push(TcpStream::connect(srv.addr).unwrap());
    }
    // Half-sent requests too (slowloris).
    for _ in 0..50 {
        let mut s = TcpStream::connect(srv.addr).unwrap();
        let _ = write!(s, "GET / HTTP/1.1\r\nHost: 127.0");
        idle.push(s);
    }
    std::thread::sleep(Duration::from_millis(300));
    let took = srv.normal();
    let threads = srv.threads();
    let rss = srv.rss_mib();
    eprintln!(
        "350 idle/slow connections: {threads} threads, RSS {rss} MiB; normal request {took:?}"
    );
    assert!(threads <= 256 + 16, "{threads} threads");
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn slow_readers_pipelining_requests_do_not_block_others() {
    let srv = Server::start();
    let mut slow = Vec::new();
    for _ in 0..8 {
        let mut s = TcpStream::connect(srv.addr).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(2))).unwrap();
        let req = format!(
            "GET {}news/big/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            srv.prefix
        );
        // Pipeline requests and never read a byte of the answers.
        for _ in 0..200 {
            if s.write_all(req.as_bytes()).is_err() {
                break;
            }
        }
        slow.push(s);
    }
    let mut worst = Duration::ZERO;
    for _ in 0..20 {
        worst = worst.max(srv.normal());
    }
    eprintln!(
        "8 slow pipelining readers: worst of 20 normal requests {worst:?}, RSS {} MiB",
        srv.rss_mib()
    );
    assert!(worst < Duration::from_secs(2), "{worst:?}");
}

#[test]
fn many_live_streams_are_capped() {
    let srv = Server::start();
    let mut streams = Vec::new();
    let mut refused = 0;
    for _ in 0..100 {
        let mut s = TcpStream::connect(srv.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(s, "GET /__herald/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut first = String::new();
        BufReader::new(&s).read_line(&mut first).unwrap();
        if first.contains(" 503 ") {
            refused += 1;
        }
        streams.push(s);
    }
    assert_eq!(refused, 100 - 64, "live streams past the cap get 503");
    srv.normal();
}

#[test]
fn only_get_and_head_from_this_machine_and_no_encoded_slashes() {
    let srv = Server::start();
    let p = &srv.prefix;
    for method in ["POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH"] {
        let (status, _) = srv.request(&format!(
            "{method} {p} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
        ));
        assert_eq!(status, 405, "{method}");
    }
    let (status, _) = srv.request(&format!("HEAD {p} HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    assert_eq!(status, 200);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1.
    for host in [
        "evil.example",
        "evil.example:1111",
        "127.0.0.1.evil.example",
    ] {
        let (status, _) = srv.request(&format!("GET {p} HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        assert_eq!(status, 421, "{host}");
    }
    let (status, _) = srv.request(&format!(
        "GET {p}news%2fa/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    ));
    assert_eq!(status, 400);
    let (status, _) = srv.request(&format!(
        "GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    ));
    assert_eq!(status, 413);
}

#[test]
fn ipv6_urls_are_bracketed() {
    let Some(srv) = Server::start_on("::1") else {
        eprintln!("*** SKIPPED: no IPv6 loopback on this machine ***");
        return;
    };
    assert!(srv.addr.is_ipv6());
    let (status, _) = srv.request(&format!(
        "GET {} HTTP/1.1\r\nHost: [::1]:{}\r\n\r\n",
        srv.prefix,
        srv.addr.port()
    ));
    assert_eq!(status, 200);
}

#[test]
fn the_watcher_does_not_follow_links_out_of_the_site() {
    let outside = std::path::Path::new("/usr/share");
    let srv = Server::start_with("127.0.0.1", |site| {
        std::os::unix::fs::symlink(outside, site.path().join("content/news/linked")).unwrap();
        std::fs::create_dir_all(site.path().join("static")).unwrap();
        std::os::unix::fs::symlink(outside, site.path().join("static/linked")).unwrap();
    })
    .unwrap();
    // The watches are set up beside the first build; give them a moment.
    let mut watches = 0;
    for _ in 0..20 {
        std::thread::sleep(Duration::from_millis(100));
        watches = srv.inotify_watches();
        if watches > 0 {
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    watches = watches.max(srv.inotify_watches());
    eprintln!(
        "inotify watches with two links to {}: {watches}",
        outside.display()
    );
    // The fixture site has a few dozen folders; /usr/share has thousands.
    assert!(watches > 0, "no watches found: is the watcher running?");
    assert!(
        watches < 100,
        "{watches} watches: links out of the site were followed"
    );
}
