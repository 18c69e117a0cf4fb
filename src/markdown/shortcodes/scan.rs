//! The scanner: finds top-level shortcode calls in Markdown source, skipping
//! code, and leaves a placeholder for each.

use super::args::{TagError, parse_tag};
use super::*;

/// Scans `src`, returning it with placeholders and the calls in order.
pub fn extract(src: &str, first_line: usize) -> Result<(String, Vec<Call>), Vec<ScanError>> {
    let mut out = String::with_capacity(src.len());
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut line = first_line;
    let mut fence: Option<(u8, usize)> = None;
    let mut at_line_start = true;
    while i < bytes.len() {
        if at_line_start {
            at_line_start = false;
            let rest = &src[i..];
            let indent = rest.len() - rest.trim_start_matches(' ').len();
            let after = &rest[indent..];
            let c = after.as_bytes().first().copied().unwrap_or(0);
            let run = if indent <= 3 && (c == b'`' || c == b'~') {
                after.bytes().take_while(|b| *b == c).count()
            } else {
                0
            };
            let is_fence = run >= 3
                && match fence {
                    None => true,
                    Some((fc, flen)) => {
                        fc == c && run >= flen && after[run..].is_empty_or_newline()
                    }
                };
            if is_fence {
                fence = if fence.is_some() {
                    None
                } else {
                    Some((c, run))
                };
                // The fence line itself is copied as is.
                let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
                out.push_str(&src[i..end]);
                i = end;
                continue;
            }
        }
        let b = bytes[i];
        if b == b'\n' {
            out.push('\n');
            line += 1;
            i += 1;
            at_line_start = true;
            continue;
        }
        if fence.is_some() {
            let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
            out.push_str(&src[i..end]);
            i = end;
            continue;
        }
        if b == b'`' {
            let run = src[i..].bytes().take_while(|c| *c == b'`').count();
            let ticks = &src[i..i + run];
            let search_from = i + run;
            // An inline code span ends at the same number of backticks.
            let mut j = search_from;
            let mut close = None;
            while let Some(pos) = src[j..].find(ticks) {
                let start = j + pos;
                let len = src[start..].bytes().take_while(|c| *c == b'`').count();
                if len == run {
                    close = Some(start + run);
                    break;
                }
                j = start + len;
            }
            let end = close.unwrap_or(search_from);
            line += src[i..end].matches('\n').count();
            out.push_str(&src[i..end]);
            i = end;
            continue;
        }
        if src[i..].starts_with("{{") {
            match parse_tag(&src[i..], "{{", "}}") {
                Ok((len, name, args)) => {
                    push_placeholder(&mut out, INLINE_OPEN, calls.len(), INLINE_CLOSE);
                    calls.push(Call {
                        name,
                        args,
                        body: None,
                        line,
                        body_line: line,
                    });
                    line += src[i..i + len].matches('\n').count();
                    i += len;
                }
                Err(e) => {
                    errors.push(scan_error(line, e));
                    out.push_str("{{");
                    i += 2;
                }
            }
            continue;
        }
        if src[i..].starts_with("{%") {
            match parse_tag(&src[i..], "{%", "%}") {
                Ok((len, name, _)) if name == "end" => {
                    errors.push(ScanError {
                        line,
                        message: crate::msg!("shortcode-end-alone"),
                        hint: crate::msg!("shortcode-end-alone-hint"),
                    });
                    i += len;
                }
                Ok((len, name, args)) => {
                    let body_start = i + len;
                    match find_end(&src[body_start..]) {
                        Some((body_len, end_len)) => {
                            let body = &src[body_start..body_start + body_len];
                            let open_lines = src[i..body_start].matches('\n').count();
                            let total = &src[i..body_start + body_len + end_len];
                            let newlines = total.matches('\n').count();
                            if !out.is_empty() && !out.ends_with("\n\n") {
                                out.push_str("\n\n");
                            }
                            push_placeholder(&mut out, BLOCK_OPEN, calls.len(), BLOCK_CLOSE);
                            out.push_str("\n\n");
                            // A body that starts on the line after the tag starts there.
                            let (body, body_line) =
                                match body.trim_start_matches([' ', '\t']).strip_prefix('\n') {
                                    Some(rest) => (rest, line + open_lines + 1),
                                    None => (body, line + open_lines),
                                };
                            calls.push(Call {
                                name,
                                args,
                                body: Some(body.to_string()),
                                line,
                                body_line,
                            });
                            // Keep the line count: pad with the newlines the block had.
                            for _ in 2..newlines {
                                out.push('\n');
                            }
                            line += newlines;
                            i = body_start + body_len + end_len;
                        }
                        None => {
                            errors.push(ScanError {
                                line,
                                message: crate::msg!("shortcode-block-open", name),
                                hint: crate::msg!("shortcode-block-open-hint"),
                            });
                            i += len;
                        }
                    }
                }
                Err(e) => {
                    errors.push(scan_error(line, e));
                    out.push_str("{%");
                    i += 2;
                }
            }
            continue;
        }
        let ch_len = src[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&src[i..i + ch_len]);
        i += ch_len;
    }
    if errors.is_empty() {
        Ok((out, calls))
    } else {
        Err(errors)
    }
}

fn scan_error(line: usize, (message, hint): TagError) -> ScanError {
    ScanError {
        line,
        message,
        hint,
    }
}

fn push_placeholder(out: &mut String, open: char, n: usize, close: char) {
    out.push(open);
    out.push_str(&n.to_string());
    out.push(close);
}

trait EmptyOrNewline {
    fn is_empty_or_newline(&self) -> bool;
}

impl EmptyOrNewline for str {
    fn is_empty_or_newline(&self) -> bool {
        self.split('\n').next().unwrap_or("").trim().is_empty()
    }
}

/// Finds the `{% end %}` matching an opened block (nesting counted; code
/// fences and spans are not special here because bodies are rescanned).
/// Returns (body length, length of the end tag).
fn find_end(s: &str) -> Option<(usize, usize)> {
    let mut depth = 1;
    let mut i = 0;
    while let Some(pos) = s[i..].find("{%") {
        let at = i + pos;
        match parse_tag(&s[at..], "{%", "%}") {
            Ok((len, name, _)) => {
                if name == "end" {
                    depth -= 1;
                    if depth == 0 {
                        return Some((at, len));
                    }
                } else {
                    depth += 1;
                }
                i = at + len;
            }
            Err(_) => i = at + 2,
        }
    }
    None
}
