//! WCAG contrast, to keep highlighted code readable whatever theme a site
//! picks: a colour too close to its background is moved toward black (on a
//! light background) or white (on a dark one) just far enough.

/// The contrast WCAG AA asks of normal text, with a little room: checkers
/// round the colours they compute.
const TARGET: f64 = 4.6;

/// Relative luminance of an sRGB colour (WCAG 2).
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// The contrast ratio of two colours, 1 to 21.
pub fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg`, or the nearest colour on its way to black or white (whichever the
/// background `bg` is further from) that reaches the target contrast.
pub fn readable(fg: [u8; 3], bg: [u8; 3]) -> [u8; 3] {
    if ratio(fg, bg) >= TARGET {
        return fg;
    }
    let toward: f64 = if luminance(bg) > 0.18 { 0.0 } else { 255.0 };
    let mix = |t: f64| fg.map(|c| (f64::from(c) + (toward - f64::from(c)) * t).round() as u8);
    (1..=50)
        .map(|i| mix(f64::from(i) / 50.0))
        .find(|&c| ratio(c, bg) >= TARGET)
        .unwrap_or(mix(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn low_contrast_colours_move_just_far_enough() {
        let white = [255, 255, 255];
        // InspiredGitHub's comment grey, 2.9:1 on white.
        let grey = [0x96, 0x98, 0x96];
        assert!(ratio(grey, white) < 3.0);
        let fixed = readable(grey, white);
        assert!(ratio(fixed, white) >= 4.5);
        assert!(ratio(readable(grey, white), white) < 5.2, "{fixed:?}");
        // Already readable: unchanged.
        assert_eq!(readable([0x18, 0x36, 0x91], white), [0x18, 0x36, 0x91]);
        // On a dark background, lighter.
        let nord = [0x2e, 0x34, 0x40];
        let dim = [0x4c, 0x56, 0x6a];
        let lifted = readable(dim, nord);
        assert!(ratio(lifted, nord) >= 4.5 && lifted[0] > dim[0]);
        assert!((ratio(white, [0, 0, 0]) - 21.0).abs() < 1e-9);
    }
}
