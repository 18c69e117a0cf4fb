//! Source files as text: decoding and the names a walk skips.

use crate::error::Diagnostic;
use crate::msg;

/// Skips editor droppings: swap files, backups, hidden files.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Decodes a text file: rejects invalid UTF-8 with its position, drops a
/// byte-order mark and turns CRLF into LF.
pub fn decode_text(file: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // simdutf8 checks Chinese text several times faster than std; std
    // then says where a bad file goes wrong.
    let Ok(s) = simdutf8::basic::from_utf8(bytes) else {
        let valid = std::str::from_utf8(bytes)
            .err()
            .map_or(bytes.len(), |e| e.valid_up_to());
        let good = &bytes[..valid];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        return Err(Diagnostic::error(file, msg!("not-utf8"))
            .at_col(line, col)
            .hint(msg!("not-utf8-hint")));
    };
    Ok(if s.contains('\r') {
        s.replace("\r\n", "\n")
    } else {
        s.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_crlf_and_reports_bad_utf8() {
        assert_eq!(decode_text("a", b"\xEF\xBB\xBFa\r\nb").unwrap(), "a\nb");
        let d = decode_text("a", b"ok\nbad \xFF here").unwrap_err();
        assert_eq!(d.line, Some(2));
        assert_eq!(d.column, Some(5));
    }

    #[test]
    fn ignores_editor_files() {
        assert!(is_ignored_name(".a.md.swp"));
        assert!(is_ignored_name("a.md~"));
        assert!(is_ignored_name(".#a.md"));
        assert!(!is_ignored_name("a.md"));
    }
}
