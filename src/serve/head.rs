//! Reading and checking a request head: size and time limits, the request
//! line and headers, and whether the `Host` names this machine.

use super::conn::{Limits, Request};
use std::io::{self, Read};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::Instant;

/// Why a request head could not be read.
pub(super) enum HeadError {
    /// The client went away or said nothing in time: close quietly.
    Gone,
    /// Answer with this status, then close.
    Status(u16, &'static str),
}

/// Reads one request head into `buf` (which may already hold pipelined
/// bytes); returns the head's length.
pub(super) fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    limits: &Limits,
) -> Result<usize, HeadError> {
    let mut deadline = Instant::now() + limits.idle;
    let mut started = !buf.is_empty();
    if started {
        deadline = Instant::now() + limits.head_time;
    }
    let mut scanned: usize = 0;
    loop {
        if let Some(i) = find_end(&buf[scanned.saturating_sub(3)..]) {
            let end = scanned.saturating_sub(3) + i;
            if end > limits.head_bytes {
                return Err(HeadError::Status(431, "Request Header Fields Too Large"));
            }
            return Ok(end);
        }
        scanned = buf.len();
        if buf.len() > limits.head_bytes {
            let line_done = buf.contains(&b'\n');
            return Err(if line_done {
                HeadError::Status(431, "Request Header Fields Too Large")
            } else {
                HeadError::Status(414, "URI Too Long")
            });
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(if started {
                HeadError::Status(408, "Request Timeout")
            } else {
                HeadError::Gone
            });
        }
        let _ = stream.set_read_timeout(Some(left));
        let mut chunk = [0u8; 4096];
        match stream.read(&mut chunk) {
            Ok(0) => return Err(HeadError::Gone),
            Ok(n) => {
                if !started {
                    started = true;
                    deadline = Instant::now() + limits.head_time;
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Err(HeadError::Gone),
        }
    }
}

/// The end of a head (`\r\n\r\n` or `\n\n`), past its last byte.
pub(super) fn find_end(b: &[u8]) -> Option<usize> {
    let crlf = memchr::memmem::find(b, b"\r\n\r\n").map(|i| i + 4);
    let lf = memchr::memmem::find(b, b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Parses a request head.
pub(super) fn parse_head(head: &[u8]) -> Result<Request, (u16, &'static str)> {
    let text = std::str::from_utf8(head).map_err(|_| (400, "Bad Request"))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let line = lines.next().unwrap_or("");
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err((400, "Bad Request"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err((400, "Bad Request"));
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        v if v.starts_with("HTTP/") => return Err((505, "HTTP Version Not Supported")),
        _ => return Err((400, "Bad Request")),
    };
    let mut req = Request {
        method: method.to_string(),
        target: target.to_string(),
        host: None,
        close: http10,
    };
    for l in lines.filter(|l| !l.is_empty()) {
        let Some((name, value)) = l.split_once(':') else {
            return Err((400, "Bad Request"));
        };
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err((400, "Bad Request"));
        }
        let value = value.trim();
        if name.eq_ignore_ascii_case("host") {
            if req.host.is_some() {
                return Err((400, "Bad Request"));
            }
            req.host = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("connection") {
            let v = value.to_ascii_lowercase();
            if v.contains("close") {
                req.close = true;
            } else if v.contains("keep-alive") {
                req.close = false;
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            || (name.eq_ignore_ascii_case("content-length") && value != "0")
        {
            return Err((413, "Content Too Large"));
        }
    }
    if req.host.is_none() && !http10 {
        return Err((400, "Bad Request"));
    }
    Ok(req)
}

/// True when `host` (a `Host` header) names this machine as the server
/// is reached: `localhost`, or an IP address it listens on. Any other name
/// could be a DNS-rebinding page's.
pub fn host_allowed(host: &str, bound: SocketAddr) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, port)) if port.is_empty() || port.starts_with(':') => ip,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
            Some(_) => return false,
            None => host,
        }
    };
    let name = name.to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) if bound.ip().is_unspecified() => !ip.is_unspecified(),
        Ok(ip) => ip == bound.ip() || (bound.ip().is_loopback() && ip.is_loopback()),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_that_name_this_machine() {
        let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for ok in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:1111",
            "app.localhost",
        ] {
            assert!(host_allowed(ok, local), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "127.0.0.1.nip.io",
            "192.168.1.5",
            "[::1",
            "localhost:x",
            "",
        ] {
            assert!(!host_allowed(bad, local), "{bad}");
        }
        let v6: SocketAddr = "[::1]:1111".parse().unwrap();
        assert!(host_allowed("[::1]:1111", v6));
        let lan: SocketAddr = "192.168.1.5:1111".parse().unwrap();
        assert!(host_allowed("192.168.1.5:1111", lan));
        assert!(!host_allowed("10.0.0.1:1111", lan));
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert!(host_allowed("10.0.0.1:1111", any));
        assert!(!host_allowed("rebind.example:1111", any));
    }

    #[test]
    fn heads_parse_strictly() {
        let r = parse_head(b"GET /a HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        assert_eq!(
            (r.method.as_str(), r.target.as_str(), r.close),
            ("GET", "/a", false)
        );
        assert_eq!(parse_head(b"GET /a HTTP/1.1\r\n\r\n").unwrap_err().0, 400);
        assert_eq!(
            parse_head(b"GET /a HTTP/2.0\r\nHost: h\r\n\r\n")
                .unwrap_err()
                .0,
            505
        );
        assert_eq!(
            parse_head(b"GET /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n")
                .unwrap_err()
                .0,
            413
        );
        assert_eq!(
            parse_head(b"GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
                .unwrap_err()
                .0,
            400
        );
        assert_eq!(
            parse_head(b"\x00\x01GARBAGE \xff\r\n\r\n").unwrap_err().0,
            400
        );
        assert!(parse_head(b"GET /a HTTP/1.0\r\n\r\n").unwrap().close);
    }
}
