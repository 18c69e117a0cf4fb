//! QR codes as inline SVG, made at build time: a reader at a desk (or in
//! front of a printed poster) scans a page's code to read it on a phone.
//! The `qrcode` crate encodes; this module draws the modules as one SVG
//! path, each row's dark runs as strokes, so a code for a typical page URL
//! is about 2 KB and needs no script, font or request.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::fmt::Write;

/// What a URL keeps as it is: ASCII other than controls and space.
/// Everything else (Chinese paths) is percent-encoded, which every scanner
/// and chat app opens, where raw UTF-8 in a code is read inconsistently.
const NOT_URL: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>');

/// The URL as it goes into a code: non-ASCII percent-encoded.
pub fn ascii_url(url: &str) -> String {
    utf8_percent_encode(url, NOT_URL).to_string()
}

/// An SVG of the code for `url` (percent-encoded first), labelled `label`
/// for screen readers; `None` if the URL is too long for a QR code.
pub fn svg(url: &str, label: &str) -> Option<String> {
    let data = ascii_url(url);
    // Level M: survives a smudged print or a glare on a screen.
    let code =
        qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    // A quiet zone of four modules around the code, as the standard asks.
    let quiet = 4;
    let size = width + 2 * quiet;
    // Each row's dark runs as strokes one module thick, a relative move
    // between them: about half the bytes of a rectangle per run.
    let mut path = String::with_capacity(width * width / 2);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        let mut pen = None;
        while x < width {
            if row[x] != qrcode::Color::Dark {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] == qrcode::Color::Dark {
                x += 1;
            }
            let _ = match pen {
                None => write!(path, "M{} {}.5h{}", start + quiet, y + quiet, x - start),
                Some(end) => write!(path, "m{} 0h{}", start - end, x - start),
            };
            pen = Some(x);
        }
    }
    let label = crate::escape::xml(label);
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{path}\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules an SVG draws, as a grid (quiet zone included).
    fn modules(svg: &str) -> Vec<Vec<bool>> {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let mut grid = vec![vec![false; size]; size];
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        // `M x y.5 h w` starts a row, `m dx 0 h w` moves on along it.
        let (mut x, mut y) = (0usize, 0usize);
        let mut rest = d;
        while !rest.is_empty() {
            let cmd = rest.as_bytes()[0];
            let end = rest[1..].find(['M', 'm']).map_or(rest.len(), |i| i + 1);
            let (seg, next) = rest.split_at(end);
            rest = next;
            let (at, w) = seg[1..].split_once('h').unwrap();
            let (a, b) = at.split_once(' ').unwrap();
            if cmd == b'M' {
                x = a.parse().unwrap();
                y = b.trim_end_matches(".5").parse().unwrap();
            } else {
                x += a.parse::<usize>().unwrap();
            }
            let w: usize = w.parse().unwrap();
            for cell in &mut grid[y][x..x + w] {
                *cell = true;
            }
            x += w;
        }
        grid
    }

    #[test]
    fn draws_exactly_the_codes_modules() {
        let url = "https://example.org/portal/news/乡村振兴/";
        let svg = svg(url, "二维码").unwrap();
        let code = qrcode::QrCode::with_error_correction_level(
            ascii_url(url).as_bytes(),
            qrcode::EcLevel::M,
        )
        .unwrap();
        let grid = modules(&svg);
        let w = code.width();
        assert_eq!(grid.len(), w + 8);
        for (i, c) in code.to_colors().iter().enumerate() {
            assert_eq!(grid[i / w + 4][i % w + 4], *c == qrcode::Color::Dark);
        }
        // The quiet zone is empty.
        assert!(grid[..4].iter().flatten().all(|d| !d));
        assert!(svg.contains("aria-label=\"二维码\""));
    }

    #[test]
    fn urls_go_in_as_ascii() {
        assert_eq!(
            ascii_url("https://e.org/新闻/a b/"),
            "https://e.org/%E6%96%B0%E9%97%BB/a%20b/"
        );
        assert!(svg(&"x".repeat(5000), "").is_none());
    }
}
