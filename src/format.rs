//! How herald writes dates and sizes for readers.

use chrono::{DateTime, Datelike};

/// `2024年5月1日` for Chinese, `1 May 2024` otherwise.
pub fn format_date(date: &DateTime<chrono::FixedOffset>, zh: bool) -> String {
    if zh {
        format!("{}年{}月{}日", date.year(), date.month(), date.day())
    } else {
        date.format("%-d %B %Y").to_string()
    }
}

/// `1.2 MB`, `340 KB`, `12 B`.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if size < 10.0 {
        format!("{size:.1} {}", UNITS[unit])
    } else {
        format!("{size:.0} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_dates() {
        assert_eq!(format_size(12), "12 B");
        assert_eq!(format_size(1536), "1.5 KB");
        assert_eq!(format_size(5 * 1024 * 1024), "5.0 MB");
        let d = DateTime::parse_from_rfc3339("2024-05-01T00:00:00+08:00").unwrap();
        assert_eq!(format_date(&d, true), "2024年5月1日");
        assert_eq!(format_date(&d, false), "1 May 2024");
    }
}
