//! The tag parser: `{{ name(a="x", b=2) }}`, `{% name(…) %}` and `{% end %}`,
//! with arguments as JSON values.

use super::*;

pub(super) type TagError = (crate::messages::Text, crate::messages::Text);

/// Parses `{{ name(args) }}` / `{% name(args) %}` / `{% end %}` at the start
/// of `s`. Returns (length, name, args).
pub(super) fn parse_tag(
    s: &str,
    open: &str,
    close: &str,
) -> Result<(usize, String, Map<String, Value>), TagError> {
    let mut p = Parser { s, i: open.len() };
    p.ws();
    let name = p.ident().ok_or_else(|| {
        (
            crate::msg!("shortcode-not-a-call", open),
            crate::msg!("shortcode-not-a-call-hint", open, close),
        )
    })?;
    p.ws();
    let mut args = Map::new();
    if name != "end" || p.peek() == Some('(') {
        if p.peek() != Some('(') {
            return Err((
                crate::msg!("shortcode-parentheses", name),
                crate::msg!("shortcode-parentheses-hint", open, name, close),
            ));
        }
        p.i += 1;
        loop {
            p.ws();
            if p.peek() == Some(')') {
                p.i += 1;
                break;
            }
            let key = p.ident().ok_or_else(|| {
                (
                    crate::msg!("shortcode-bad-argument", name),
                    crate::msg!("shortcode-bad-argument-hint"),
                )
            })?;
            p.ws();
            if p.peek() != Some('=') {
                return Err((
                    crate::msg!("shortcode-no-value", key, name),
                    crate::msg!("shortcode-no-value-hint", key),
                ));
            }
            p.i += 1;
            p.ws();
            let value = p.value().ok_or_else(|| {
                (
                    crate::msg!("shortcode-bad-value", key, name),
                    crate::msg!("shortcode-bad-value-hint"),
                )
            })?;
            args.insert(key, value);
            p.ws();
            match p.peek() {
                Some(',') => p.i += 1,
                Some(')') => {}
                _ => {
                    return Err((
                        crate::msg!("shortcode-comma", name),
                        crate::msg!("shortcode-comma-hint"),
                    ));
                }
            }
        }
    }
    p.ws();
    if !p.s[p.i..].starts_with(close) {
        return Err((
            crate::msg!("shortcode-not-closed", name, close),
            crate::msg!("shortcode-not-closed-hint", close),
        ));
    }
    Ok((p.i + close.len(), name, args))
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }
    fn ws(&mut self) {
        while let Some(c) = self.peek() {
            if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
                self.i += 1;
            } else {
                break;
            }
        }
    }
    fn ident(&mut self) -> Option<String> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                self.i += 1;
            } else {
                break;
            }
        }
        (self.i > start && !self.s[start..].starts_with(|c: char| c.is_ascii_digit()))
            .then(|| self.s[start..self.i].to_string())
    }
    fn value(&mut self) -> Option<Value> {
        match self.peek()? {
            q @ ('"' | '\'') => {
                self.i += 1;
                let mut out = String::new();
                loop {
                    let c = self.peek()?;
                    self.i += c.len_utf8();
                    if c == q {
                        return Some(Value::from(out));
                    }
                    if c == '\\' {
                        let e = self.peek()?;
                        self.i += e.len_utf8();
                        out.push(match e {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    } else {
                        out.push(c);
                    }
                }
            }
            '[' => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.ws();
                    if self.peek()? == ']' {
                        self.i += 1;
                        return Some(Value::from(items));
                    }
                    items.push(self.value()?);
                    self.ws();
                    match self.peek()? {
                        ',' => self.i += 1,
                        ']' => {}
                        _ => return None,
                    }
                }
            }
            _ => {
                let start = self.i;
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '+' {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let word = &self.s[start..self.i];
                match word {
                    "true" => Some(Value::from(true)),
                    "false" => Some(Value::from(false)),
                    _ => word.parse::<i64>().map(Value::from).ok().or_else(|| {
                        word.parse::<f64>()
                            .ok()
                            .filter(|f| f.is_finite())
                            .map(Value::from)
                    }),
                }
            }
        }
    }
}
