//! Requesting external links for `herald check --external`, without being
//! turned against the machine it runs on: a link (or a redirect) to a
//! loopback, private or link-local address is refused unless the user
//! allows it (`--allow-private`), because in CI such a request could reach
//! internal services.

use std::net::{IpAddr, ToSocketAddrs};
use std::time::Duration;

/// Redirects followed, each checked like the first URL.
const MAX_REDIRECTS: usize = 5;

/// True for addresses on this machine or a private network.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || o[0] == 0
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let s = v6.segments();
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
        }
    }
}

/// The host and port of an http(s) URL.
fn host_port(url: &str) -> Option<(String, u16)> {
    let (rest, port) = if let Some(r) = url.strip_prefix("https://") {
        (r, 443)
    } else if let Some(r) = url.strip_prefix("http://") {
        (r, 80)
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        let port = after
            .strip_prefix(':')
            .map_or(Some(port), |p| p.parse().ok())?;
        return Some((host.to_string(), port));
    }
    match authority.rsplit_once(':') {
        Some((h, p)) => Some((h.to_string(), p.parse().ok()?)),
        None => Some((authority.to_string(), port)),
    }
}

/// Why `url` may not be requested, if it may not: every address its host
/// resolves to must pass `allowed`.
fn refused(url: &str, allowed: fn(IpAddr) -> bool) -> Option<String> {
    let Some((host, port)) = host_port(url) else {
        return Some("is not an http(s) URL".into());
    };
    let addrs: Vec<IpAddr> = match (host.as_str(), port).to_socket_addrs() {
        Ok(a) => a.map(|s| s.ip()).collect(),
        Err(e) => return Some(format!("could not be reached: {e}")),
    };
    addrs.iter().find(|ip| !allowed(**ip)).map(|ip| {
        format!(
            "points at a private or local address ({ip}); not requested (pass --allow-private to check it)"
        )
    })
}

/// Requests `url`, following redirects by hand so each hop is checked;
/// `None` when it answered below 400.
pub fn probe(url: &str, allow_private: bool) -> Option<String> {
    if allow_private {
        probe_with(url, |_| true)
    } else {
        probe_with(url, |ip| !is_private(ip))
    }
}

/// ureq's resolver, refusing addresses that `allowed` refuses when the
/// connection is made: a name that resolved to a public address for the
/// check above and to a private one a moment later (DNS rebinding) is not
/// connected to. Through a proxy the proxy's address is the user's choice;
/// the target's name was checked above.
#[derive(Debug)]
struct Guarded(fn(IpAddr) -> bool);

impl ureq::unversioned::resolver::Resolver for Guarded {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        use ureq::unversioned::resolver::DefaultResolver;
        let addrs = DefaultResolver::default().resolve(uri, config, timeout)?;
        if config.proxy().is_none()
            && let Some(bad) = addrs.iter().find(|a| !(self.0)(a.ip()))
        {
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("now resolves to a private or local address ({})", bad.ip()),
            )));
        }
        Ok(addrs)
    }
}

fn probe_with(url: &str, allowed: fn(IpAddr) -> bool) -> Option<String> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build();
    let agent = ureq::Agent::with_parts(
        config,
        ureq::unversioned::transport::DefaultConnector::default(),
        Guarded(allowed),
    );
    let mut current = url.to_string();
    for _ in 0..=MAX_REDIRECTS {
        if let Some(why) = refused(&current, allowed) {
            return Some(if current == url {
                why
            } else {
                format!("redirects to {current}, which {why}")
            });
        }
        let resp = match agent.get(&current).call() {
            Ok(r) => r,
            Err(e) => return Some(format!("could not be reached: {e}")),
        };
        let status = resp.status().as_u16();
        if (300..400).contains(&status) {
            let Some(next) = resp.headers().get("location").and_then(|l| l.to_str().ok()) else {
                return Some(format!("answered HTTP {status} without a Location"));
            };
            current = join(&current, next);
            continue;
        }
        return (status >= 400).then(|| format!("answered HTTP {status}"));
    }
    Some(format!("redirects more than {MAX_REDIRECTS} times"))
}

/// Resolves a `Location` against the URL that sent it.
fn join(base: &str, location: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        return location.to_string();
    }
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let origin_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{}{rest}", &base[..scheme_end]);
    }
    if location.starts_with('/') {
        return format!("{}{location}", &base[..origin_end]);
    }
    let dir_end = base
        .rfind('/')
        .filter(|&i| i >= origin_end)
        .map_or(base.len(), |i| i + 1);
    let dir = &base[..dir_end];
    if dir.ends_with('/') {
        format!("{dir}{location}")
    } else {
        format!("{dir}/{location}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_and_private_targets_are_refused() {
        for url in [
            "http://127.0.0.1:8080/admin",
            "http://localhost/",
            "http://[::1]/",
            "http://10.1.2.3/",
            "http://192.168.0.1/",
            "http://172.16.5.4/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://user@127.0.0.1/",
        ] {
            let why = probe(url, false).unwrap_or_default();
            assert!(why.contains("private or local"), "{url}: {why}");
        }
        assert!(refused("http://127.0.0.1/", |_| true).is_none());
        assert!(!is_private("93.184.216.34".parse().unwrap()));
    }

    #[test]
    fn the_connection_itself_refuses_private_addresses() {
        // As if the name had resolved elsewhere when it was checked.
        let agent = ureq::Agent::with_parts(
            ureq::Agent::config_builder().build(),
            ureq::unversioned::transport::DefaultConnector::default(),
            Guarded(|ip| !is_private(ip)),
        );
        let err = agent.get("http://127.0.0.1:9/").call().unwrap_err();
        assert!(err.to_string().contains("private or local"), "{err}");
    }

    #[test]
    fn redirects_are_checked_hop_by_hop() {
        // A server on loopback that redirects to the metadata address.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            use std::io::{Read, Write};
            if let Some(Ok(mut s)) = listener.incoming().next() {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                let _ = s.write_all(b"HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        // Loopback allowed here only to reach the test server.
        let why = probe_with(&format!("http://127.0.0.1:{port}/"), |ip| {
            ip.is_loopback() || !is_private(ip)
        })
        .unwrap_or_default();
        assert!(
            why.contains("redirects to http://169.254.169.254/x") && why.contains("private"),
            "{why}"
        );
        assert_eq!(join("https://a.org/x/y", "/z"), "https://a.org/z");
        assert_eq!(join("https://a.org/x/y", "z"), "https://a.org/x/z");
        assert_eq!(join("https://a.org", "//b.org/q"), "https://b.org/q");
    }
}
