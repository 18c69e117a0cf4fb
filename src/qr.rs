//! QR codes as inline SVG, made at build time: a reader at a desk (or in
//! front of a printed poster) scans a page's code to read it on a phone.
//! The `qrcode` crate encodes; this module draws the modules as one SVG
//! path, each row's dark runs as strokes, so a code for a typical page URL
//! is about 2 KB and needs no script, font or request.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// What a URL keeps as it is: ASCII other than controls and space.
/// Everything else (Chinese paths) is percent-encoded, which every scanner
/// and chat app opens, where raw UTF-8 in a code is read inconsistently.
const NOT_URL: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>');

/// The URL as it goes into a code: non-ASCII percent-encoded.
pub fn ascii_url(url: &str) -> String {
    utf8_percent_encode(url, NOT_URL).to_string()
}

/// The code's modules for `data`, row by row, and its width.
///
/// The crate's `QrCode::new` scores all eight masks by the standard's
/// penalty rules and keeps the best: ≈ 2.8 million instructions a code,
/// which nearly tripled a 1,000-page build (callgrind: 1.50 → 4.30 billion
/// instructions). The same steps with one fixed mask cost a small fraction
/// of that. Any mask is valid and every reader decodes it; the penalty only
/// avoids patterns that look like finder marks, which the unit test's
/// decoder (like phones) reads through.
fn modules(data: &[u8]) -> Option<(usize, Vec<qrcode::Color>)> {
    use qrcode::canvas::{Canvas, MaskPattern};
    // Level M: survives a smudged print or a glare on a screen.
    let level = qrcode::EcLevel::M;
    let bits = qrcode::bits::encode_auto(data, level).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
    let mut canvas = Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    Some((version.width() as usize, canvas.into_colors()))
}

/// An SVG of the code for `url` (percent-encoded first), labelled `label`
/// for screen readers; `None` if the URL is too long for a QR code.
pub fn svg(url: &str, label: &str) -> Option<String> {
    let (width, colors) = modules(ascii_url(url).as_bytes())?;
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
            // Pushed digit by digit: `write!` cost more than the encoding.
            match pen {
                None => {
                    path.push('M');
                    push_number(&mut path, start + quiet);
                    path.push(' ');
                    push_number(&mut path, y + quiet);
                    path.push_str(".5h");
                }
                Some(end) => {
                    path.push('m');
                    push_number(&mut path, start - end);
                    path.push_str(" 0h");
                }
            }
            push_number(&mut path, x - start);
            pen = Some(x);
        }
    }
    let label = crate::escape::xml(label);
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{path}\"/></svg>"
    ))
}

/// Appends `n` in decimal.
fn push_number(out: &mut String, n: usize) {
    if n >= 10 {
        push_number(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dark modules an SVG draws, as a grid (quiet zone included).
    fn drawn(svg: &str) -> Vec<Vec<bool>> {
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

    /// Decodes the grid an SVG draws, as a phone would (rqrr, a QR reader).
    fn read(svg: &str) -> String {
        let grid = drawn(svg);
        let scale = 4;
        let size = grid.len() * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
            if grid[y / scale][x / scale] { 0 } else { 255 }
        });
        let found = image.detect_grids();
        assert_eq!(found.len(), 1);
        found[0].decode().unwrap().1
    }

    #[test]
    fn draws_a_code_a_reader_decodes_to_the_url() {
        for url in [
            "https://example.org/portal/news/乡村振兴/",
            "http://127.0.0.1:1111/",
            "https://www.example.gov.cn/fenglin/lessons/mediation-steps-and-the-people-who-take-them/",
        ] {
            let svg = svg(url, "二维码").unwrap();
            assert_eq!(read(&svg), ascii_url(url), "{url}");
            let (width, colors) = modules(ascii_url(url).as_bytes()).unwrap();
            let grid = drawn(&svg);
            assert_eq!(grid.len(), width + 8);
            for (i, c) in colors.iter().enumerate() {
                assert_eq!(
                    grid[i / width + 4][i % width + 4],
                    *c == qrcode::Color::Dark
                );
            }
            // The quiet zone is empty.
            assert!(grid[..4].iter().flatten().all(|d| !d));
            assert!(svg.contains("aria-label=\"二维码\""));
        }
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
