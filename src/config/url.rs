//! `base_url`: checked (http or https, a host, no `..`) and split into the
//! site's origin and the sub-path every URL herald writes starts with.

/// Splits `https://host/sub/` into (`https://host/sub/`, `/sub/`).
pub fn split_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    if url.starts_with("//") {
        return Err(format!(
            "`{url}` has no scheme: a URL starting with `//` points at another host"
        ));
    }
    if url.contains(['\\', '\0']) || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "`{url}` contains a backslash, a space or a control character"
        ));
    }
    if url
        .split(['/', '?', '#'])
        .any(|seg| seg == ".." || seg == "." || seg.eq_ignore_ascii_case("%2e%2e"))
    {
        return Err(format!("`{url}` contains `.` or `..` segments"));
    }
    if url.starts_with('/') {
        let path = normalize_path(url);
        return Ok((path.clone(), path));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` is not an http(s) URL"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() {
        return Err(format!("`{url}` has no host name"));
    }
    if !host
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']' | '_'))
    {
        return Err(format!(
            "`{url}`: the host `{host}` may hold only letters, digits, `-`, `.` and a `:port`"
        ));
    }
    if path.contains(['?', '#']) {
        return Err(format!("`{url}` must not contain `?` or `#`"));
    }
    let path = normalize_path(path);
    let scheme = if url.starts_with("https://") {
        "https://"
    } else {
        "http://"
    };
    Ok((format!("{scheme}{host}{path}"), path))
}

fn normalize_path(p: &str) -> String {
    let trimmed = p.trim_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        format!("/{trimmed}/")
    }
}
