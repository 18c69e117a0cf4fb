//! Request paths to files of the in-memory site. Only names of files in the
//! snapshot can be answered, so nothing outside the site is ever read; paths
//! that try to climb out are refused outright.

/// Longest request target accepted.
pub const MAX_URL: usize = 2048;

/// How a request path resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A file of the site (output path).
    File(String),
    /// A folder without its slash: redirect here.
    Redirect(String),
    NotFound,
    /// Longer than [`MAX_URL`].
    TooLong,
    /// Malformed or hostile (encoded slashes included).
    BadRequest,
}

/// Decodes `%XX` escapes; `None` when one is malformed (percent-encoding
/// would keep it as it is; a request with one is refused instead).
fn decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let hex = |i: usize| b.get(i).is_some_and(u8::is_ascii_hexdigit);
    let malformed = (0..b.len()).any(|i| b[i] == b'%' && !(hex(i + 1) && hex(i + 2)));
    (!malformed).then(|| percent_encoding::percent_decode(b).collect())
}

/// Resolves `target` (the raw request target) under `base_path` against
/// `exists`, which answers for output paths.
pub fn resolve(target: &str, base_path: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    if target.len() > MAX_URL {
        return Resolved::TooLong;
    }
    if !target.starts_with('/') {
        return Resolved::BadRequest;
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    // An encoded `/` or `\` would name a path the site cannot have.
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return Resolved::BadRequest;
    }
    let Some(bytes) = decode(path) else {
        return Resolved::BadRequest;
    };
    let Ok(path) = String::from_utf8(bytes) else {
        return Resolved::BadRequest;
    };
    if path.contains(['\0', '\\']) || path.contains("//") || path.chars().any(char::is_control) {
        return Resolved::BadRequest;
    }
    if path
        .split('/')
        .any(|seg| seg == ".." || seg == "." || seg.starts_with('%'))
    {
        return Resolved::BadRequest;
    }
    let Some(rest) = path
        .strip_prefix(base_path)
        .or_else(|| (format!("{path}/") == base_path).then_some(""))
    else {
        return Resolved::NotFound;
    };
    if rest.is_empty() && !path.ends_with('/') {
        return Resolved::Redirect(base_path.to_string());
    }
    if rest.is_empty() || rest.ends_with('/') {
        let index = format!("{rest}index.html");
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(rest) {
        return Resolved::File(rest.to_string());
    }
    if exists(&format!("{rest}/index.html")) {
        return Resolved::Redirect(format!("{base_path}{rest}/"));
    }
    Resolved::NotFound
}

/// The Content-Type of an output file.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "vtt" => "text/vtt; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(t: &str) -> Resolved {
        let files = [
            "index.html",
            "news/a/index.html",
            "style.css",
            "news/a/photo.jpg",
            "中文/index.html",
        ];
        resolve(t, "/portal/", |p| files.contains(&p))
    }

    #[test]
    fn resolves_pages_assets_and_redirects() {
        assert_eq!(r("/portal/"), Resolved::File("index.html".into()));
        assert_eq!(r("/portal"), Resolved::Redirect("/portal/".into()));
        assert_eq!(
            r("/portal/news/a/"),
            Resolved::File("news/a/index.html".into())
        );
        assert_eq!(
            r("/portal/news/a"),
            Resolved::Redirect("/portal/news/a/".into())
        );
        assert_eq!(
            r("/portal/style.css?v=123"),
            Resolved::File("style.css".into())
        );
        assert_eq!(
            r("/portal/%E4%B8%AD%E6%96%87/"),
            Resolved::File("中文/index.html".into())
        );
        assert_eq!(r("/portal/nope/"), Resolved::NotFound);
        assert_eq!(r("/other/"), Resolved::NotFound);
    }

    #[test]
    fn refuses_hostile_paths() {
        for t in [
            "/portal/../etc/passwd",
            "/portal/%2e%2e/etc/passwd",
            "/portal/news/%2e%2e%2f%2e%2e%2fetc",
            "/portal/%252e%252e/x",
            "/portal/..%5c..%5cwindows",
            "/portal/a\\b",
            "/portal//etc/passwd",
            "/portal/%00",
            "portal/x",
            "/portal/%zz",
            "/portal/news%2fa/",
            "/portal/news%2Fa/",
        ] {
            assert!(
                matches!(r(t), Resolved::BadRequest | Resolved::NotFound),
                "{t}: {:?}",
                r(t)
            );
        }
        assert_eq!(r("/portal/news%2fa/"), Resolved::BadRequest);
        for malformed in ["/portal/%zz", "/portal/a%4", "/portal/a%"] {
            assert_eq!(r(malformed), Resolved::BadRequest, "{malformed}");
        }
        assert_eq!(decode("/%E6%96%B0a").unwrap(), "/新a".as_bytes());
        assert_eq!(
            r(&format!("/portal/{}", "a".repeat(5000))),
            Resolved::TooLong
        );
    }
}
