//! The tags of each tool that herald has an equivalent for, as methods
//! of the body scanner (`body.rs`): Hugo's shortcodes, Zola's calls
//! (herald's syntax already), Jekyll's Liquid tags and outputs.

use super::Tool;
use super::body::{Input, PROVIDED, RefKind, Scanner};

impl Scanner<'_, '_> {
    pub(super) fn hugo(&mut self, s: &str, line: usize) -> Option<(usize, String)> {
        let (delim_open, delim_close) = if s.starts_with("{{<") {
            ("{{<", ">}}")
        } else if s.starts_with("{{%") {
            ("{{%", "%}}")
        } else {
            return None;
        };
        // Closed after the opener (`{{%}}` does not close itself).
        let end = delim_open.len() + s[delim_open.len()..].find(delim_close)?;
        let inner = s[delim_open.len()..end].trim();
        let len = end + delim_close.len();
        if let Some(comment) = inner.strip_prefix("/*").and_then(|c| c.strip_suffix("*/")) {
            // `{{</* x */>}}` is Hugo's way to write a shortcode as text.
            return Some((
                len,
                format!(
                    "&#123;{{{} {} {}}}}}",
                    &delim_open[2..],
                    comment.trim(),
                    &delim_close[..1]
                ),
            ));
        }
        let self_closed = inner.ends_with('/');
        let (name, args) = hugo_args(inner.trim_end_matches('/'));
        if name.starts_with('/') {
            return None;
        }
        let get = |k: &str, pos: usize| -> Option<String> {
            args.iter()
                .find(|(key, _)| key == k)
                .or_else(|| args.iter().filter(|(key, _)| key.is_empty()).nth(pos))
                .map(|(_, v)| v.clone())
        };
        // A paired shortcode: its closing tag, and the text between.
        let paired = (!self_closed)
            .then(|| {
                let rest = &s[len..];
                let close = [
                    format!("{{{{< /{name} >}}}}"),
                    format!("{{{{% /{name} %}}}}"),
                    format!("{{{{</{name}>}}}}"),
                    format!("{{{{%/{name}%}}}}"),
                ];
                close
                    .iter()
                    .filter_map(|c| rest.find(c.as_str()).map(|p| (p, c.len())))
                    .min()
            })
            .flatten();
        let (total, body) = match paired {
            Some((p, clen)) => (len + p + clen, Some(&s[len..len + p])),
            None => (len, None),
        };
        let named: Vec<(String, String)> = args
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                (
                    if k.is_empty() {
                        format!("arg{}", i + 1)
                    } else {
                        k.clone()
                    },
                    v.clone(),
                )
            })
            .collect();
        let text = match (name.as_str(), body) {
            ("ref" | "relref", None) => {
                let target = get("path", 0).unwrap_or_default();
                match (self.input.resolve)(RefKind::HugoRef, &target) {
                    Some(at) => {
                        self.translated(line, format!("{{{{< {name} \"{target}\" >}}}} → {at}"));
                        at
                    }
                    None => {
                        self.untranslated(
                            line,
                            format!(
                                "`{name}` to `{target}`: no such page in the site; left as the path"
                            ),
                        );
                        target
                    }
                }
            }
            ("figure", None) => {
                let src = get("src", 0).unwrap_or_default();
                let caption = get("caption", usize::MAX).or_else(|| get("title", usize::MAX));
                let alt = get("alt", usize::MAX);
                if alt.is_none() {
                    self.report.note(self.at(line), format!("figure `{src}` has no alt text: its caption (or nothing) is used; describe the image"));
                }
                let alt = alt.or(caption.clone()).unwrap_or_default();
                self.translated(line, format!("figure `{src}`"));
                if src.contains("://") {
                    format!("![{}]({src})", alt.replace(['[', ']'], ""))
                } else {
                    let mut a = vec![
                        format!("src={}", quote(&src)),
                        format!("alt={}", quote(&alt)),
                    ];
                    if let Some(c) = caption {
                        a.push(format!("caption={}", quote(&c)));
                    }
                    if let Some(c) = get("attr", usize::MAX) {
                        a.push(format!("credit={}", quote(&c)));
                    }
                    format!("{{{{ figure({}) }}}}", a.join(", "))
                }
            }
            (p @ ("youtube" | "vimeo"), None) => {
                let id = get("id", 0).unwrap_or_default();
                self.out.shortcodes.insert(p.to_string(), false);
                self.translated(
                    line,
                    format!("{p} `{id}`: a link to the video (the page loads nothing from {p})"),
                );
                format!("{{{{ {p}(id={}) }}}}", quote(&id))
            }
            ("highlight", Some(code)) => {
                let lang = get("lang", 0).unwrap_or_default();
                self.translated(line, format!("highlight `{lang}`: a fenced code block"));
                fence(&lang, code)
            }
            ("details", Some(inner)) => {
                let summary = get("summary", 0).unwrap_or_else(|| "Details".into());
                self.translated(line, "details: <details>".into());
                let inner = self.scan(inner, line);
                format!(
                    "<details><summary>{}</summary>\n\n{}\n\n</details>",
                    crate::escape::xml(&summary),
                    inner.trim_matches('\n')
                )
            }
            _ => self.stub("hugo", &name, &named, body, line),
        };
        Some((total, text))
    }

    pub(super) fn zola(&mut self, s: &str, line: usize) -> Option<(usize, String)> {
        if let Some(rest) = s.strip_prefix("{{/*").or_else(|| s.strip_prefix("{%/*")) {
            // Zola's way to write a shortcode call as text.
            let close = if s.starts_with("{{") { "*/}}" } else { "*/%}" };
            let end = rest.find(close)?;
            let open = &s[..2];
            return Some((
                4 + end + 4,
                format!("&#123;{}{}{}", &open[1..], &rest[..end], &close[2..]),
            ));
        }
        let (open, close) = if s.starts_with("{{") {
            ("{{", "}}")
        } else {
            ("{%", "%}")
        };
        let (len, name, args) = crate::markdown::shortcodes::parse_call(s, open, close).ok()?;
        if name == "end" {
            return None;
        }
        let has = |k: &str| args.contains_key(k);
        let ok_built_in = match name.as_str() {
            "figure" => has("src") && has("alt"),
            "video" => has("src"),
            "download" => has("file"),
            "callout" | "quiz" | "leaderboard" => true,
            _ => false,
        };
        if ok_built_in || PROVIDED.contains(&name.as_str()) {
            if PROVIDED.contains(&name.as_str()) {
                self.out.shortcodes.insert(name.clone(), false);
                self.translated(
                    line,
                    format!("{name}: a link to the video (the page loads nothing from {name})"),
                );
            }
            // Zola's call is herald's: kept byte for byte.
            return Some((len, s[..len].to_string()));
        }
        let plain: Vec<(String, String)> = args
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map_or_else(|| v.to_string(), str::to_string),
                )
            })
            .collect();
        if open == "{%" {
            let rest = &s[len..];
            let end = rest.find("{% end %}").or_else(|| rest.find("{%end%}"))?;
            let end_len = if rest[end..].starts_with("{% end %}") {
                9
            } else {
                7
            };
            let body = &rest[..end];
            let text = self.stub("zola", &name, &plain, Some(body), line);
            return Some((len + end + end_len, text));
        }
        Some((len, self.stub("zola", &name, &plain, None, line)))
    }

    pub(super) fn jekyll(&mut self, s: &str, line: usize) -> Option<(usize, String)> {
        if let Some(rest) = s.strip_prefix("{{") {
            let end = rest.find("}}")?;
            let expr = rest[..end].trim();
            let len = 2 + end + 2;
            if matches!(
                expr,
                "site.baseurl" | "site.url" | "site.url }}{{ site.baseurl"
            ) {
                self.translated(line, format!("{{{{ {expr} }}}} dropped: herald adds the site's path to root-relative links"));
                return Some((len, String::new()));
            }
            if let Some((value, filter)) = expr.split_once('|')
                && matches!(filter.trim(), "relative_url" | "absolute_url")
            {
                let path = value.trim().trim_matches(['"', '\'']).to_string();
                self.translated(line, format!("{{{{ {expr} }}}} → {path}"));
                return Some((len, path));
            }
            return None;
        }
        let rest = s.strip_prefix("{%")?;
        let end = rest.find("%}")?;
        let len = 2 + end + 2;
        let inner = rest[..end]
            .trim()
            .trim_start_matches('-')
            .trim_end_matches('-')
            .trim();
        let (tag, arg) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let arg = arg.trim();
        let block = |closing: &str| -> Option<(usize, &str)> {
            let body = &s[len..];
            let at = body
                .find(&format!("{{% {closing} %}}"))
                .or_else(|| body.find(&format!("{{%- {closing} -%}}")))?;
            let close_len = body[at..].find("%}").map_or(0, |p| p + 2);
            Some((len + at + close_len, &body[..at]))
        };
        match tag {
            "highlight" => {
                let (total, code) = block("endhighlight")?;
                let lang = arg.split_whitespace().next().unwrap_or("");
                self.translated(
                    line,
                    format!("{{% highlight {lang} %}}: a fenced code block"),
                );
                Some((total, fence(lang, code)))
            }
            "raw" => {
                let (total, inner) = block("endraw")?;
                // The scanner of a tool without tags (mdBook's) keeps
                // every `{{` and `{%` of the raw block as text.
                let mut literal = Scanner {
                    input: &Input {
                        tool: Tool::Mdbook,
                        ..*self.input
                    },
                    report: self.report,
                    out: self.out,
                };
                let text = literal.scan(inner, line);
                Some((total, text))
            }
            "comment" => {
                let (total, inner) = block("endcomment")?;
                Some((total, format!("<!--{}-->", inner.replace("--", "- -"))))
            }
            "post_url" | "link" => {
                let kind = if tag == "post_url" {
                    RefKind::PostUrl
                } else {
                    RefKind::JekyllLink
                };
                match (self.input.resolve)(kind, arg) {
                    Some(at) => {
                        self.translated(line, format!("{{% {tag} {arg} %}} → {at}"));
                        Some((len, at))
                    }
                    None => {
                        self.untranslated(
                            line,
                            format!(
                                "`{tag}` to `{arg}`: no such page in the site; left as the name"
                            ),
                        );
                        Some((len, arg.to_string()))
                    }
                }
            }
            "include" => {
                let (file, rest_args) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
                let stem = file.split('/').next_back().unwrap_or(file);
                let stem = stem.split('.').next().unwrap_or(stem);
                let (_, args) = hugo_args(&format!("x {rest_args}"));
                let args: Vec<(String, String)> =
                    args.into_iter().filter(|(k, _)| !k.is_empty()).collect();
                Some((
                    len,
                    self.stub("jekyll", &format!("include_{stem}"), &args, None, line),
                ))
            }
            _ => None,
        }
    }
}

/// Hugo's shortcode arguments: the name, then `key="value"`, `key=value`
/// or positional values (`"quoted"`, `` `raw` ``, or bare).
pub(super) fn hugo_args(s: &str) -> (String, Vec<(String, String)>) {
    let mut it = s.trim().char_indices().peekable();
    let mut tokens: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quote_char: Option<char> = None;
    let mut quoted = false;
    while let Some((_, c)) = it.next() {
        match (quote_char, c) {
            (Some(q), c) if c == q => quote_char = None,
            (Some('"'), '\\') => {
                if let Some((_, n)) = it.next() {
                    cur.push(n);
                }
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '`') => {
                quote_char = Some(c);
                quoted = true;
            }
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() || quoted {
                    tokens.push(std::mem::take(&mut cur));
                    quoted = false;
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() || quoted {
        tokens.push(cur);
    }
    let mut tokens = tokens.into_iter();
    let name = tokens.next().unwrap_or_default();
    let args = tokens
        .map(|t| match t.split_once('=') {
            Some((k, v))
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
            {
                (k.to_string(), v.to_string())
            }
            _ => (String::new(), t),
        })
        .collect();
    (name, args)
}

/// A value as a herald shortcode argument: a quoted text.
pub(super) fn quote(v: &str) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "\"\"".into())
}

pub(super) fn fence(lang: &str, code: &str) -> String {
    let code = code
        .trim_start_matches([' ', '\t'])
        .strip_prefix('\n')
        .unwrap_or(code)
        .trim_end();
    let ticks = if code.contains("```") { "~~~~" } else { "```" };
    format!("{ticks}{lang}\n{code}\n{ticks}")
}
