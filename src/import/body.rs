//! Page bodies: the other tool's shortcodes and template tags, outside
//! code, rewritten to herald's where herald has an equivalent (Hugo's
//! `figure`, `youtube`, `vimeo`, `ref`, `highlight`, `details`; Zola's
//! calls, which herald reads as they are; Jekyll's `highlight`,
//! `post_url`, `link`, `raw`, `comment`, `site.baseurl`), every other one
//! turned into a call of a site shortcode stub (listed in the report), and
//! any `{{` or `{%` left written so herald shows it as text. Everything
//! else stays byte for byte.

use super::Tool;
use super::report::{Item, Report};
use super::tags::quote;
use std::collections::BTreeMap;

/// How a tag names another page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    /// Hugo's `ref`/`relref` path (content-relative or relative to the page).
    HugoRef,
    /// Jekyll's `post_url` name (`2020-01-02-title`).
    PostUrl,
    /// Jekyll's `link` path (`_posts/…md`, `about.md`).
    JekyllLink,
}

pub struct Input<'a> {
    pub tool: Tool,
    /// The page's path in the source, for the report.
    pub src: &'a str,
    pub first_line: usize,
    /// A page named by a tag, as herald's `@/` link.
    pub resolve: &'a dyn Fn(RefKind, &str) -> Option<String>,
}

/// The body in herald's form and the site shortcodes it now calls:
/// name → (is a block, made by the import as a stub).
pub struct Output {
    pub text: String,
    pub shortcodes: BTreeMap<String, bool>,
}

/// herald's own shortcodes: a stub never takes their names.
const BUILT_IN: &[&str] = &[
    "figure",
    "video",
    "callout",
    "quiz",
    "download",
    "leaderboard",
];
/// Shortcodes the import writes a template for.
pub const PROVIDED: &[&str] = &["youtube", "vimeo"];

pub fn translate(body: &str, input: &Input, report: &mut Report) -> Output {
    let mut out = Output {
        text: String::with_capacity(body.len()),
        shortcodes: BTreeMap::new(),
    };
    let mut s = Scanner {
        input,
        report,
        out: &mut out,
    };
    s.run(body, input.first_line);
    out
}

pub(super) struct Scanner<'a, 'b> {
    pub(super) input: &'a Input<'a>,
    pub(super) report: &'b mut Report,
    pub(super) out: &'b mut Output,
}

impl Scanner<'_, '_> {
    pub(super) fn at(&self, line: usize) -> String {
        format!("{}:{line}", self.input.src)
    }

    pub(super) fn untranslated(&mut self, line: usize, what: String) {
        let at = self.at(line);
        self.report.untranslated.push(Item { at, what });
    }

    pub(super) fn translated(&mut self, line: usize, what: String) {
        let at = self.at(line);
        self.report.translated.push(Item { at, what });
    }

    /// Copies `src`, rewriting tags outside code, into `self.out.text`.
    fn run(&mut self, src: &str, first_line: usize) {
        let text = self.scan(src, first_line);
        self.out.text.push_str(&text);
    }

    pub(super) fn scan(&mut self, src: &str, first_line: usize) -> String {
        let mut out = String::with_capacity(src.len());
        let b = src.as_bytes();
        let mut i = 0;
        let mut line = first_line;
        let mut fence: Option<(u8, usize)> = None;
        let mut line_start = true;
        while i < b.len() {
            if line_start {
                line_start = false;
                let rest = &src[i..];
                let indent = rest.len() - rest.trim_start_matches(' ').len();
                let after = &rest[indent..];
                let c = after.as_bytes().first().copied().unwrap_or(0);
                let run = if indent <= 3 && (c == b'`' || c == b'~') {
                    after.bytes().take_while(|x| *x == c).count()
                } else {
                    0
                };
                if run >= 3 {
                    match fence {
                        None => fence = Some((c, run)),
                        Some((fc, fl))
                            if fc == c
                                && run >= fl
                                && after[run..].lines().next().unwrap_or("").trim().is_empty() =>
                        {
                            fence = None
                        }
                        _ => {}
                    }
                    let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
                    out.push_str(&src[i..end]);
                    i = end;
                    continue;
                }
            }
            if b[i] == b'\n' {
                out.push('\n');
                line += 1;
                i += 1;
                line_start = true;
                continue;
            }
            if fence.is_some() {
                let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
                out.push_str(&self.in_code(&src[i..end]));
                i = end;
                continue;
            }
            if b[i] == b'`' {
                let run = src[i..].bytes().take_while(|c| *c == b'`').count();
                let ticks = &src[i..i + run];
                let mut j = i + run;
                let mut end = i + run;
                while let Some(p) = src[j..].find(ticks) {
                    let at = j + p;
                    let len = src[at..].bytes().take_while(|c| *c == b'`').count();
                    if len == run {
                        end = at + run;
                        break;
                    }
                    j = at + len;
                }
                line += src[i..end].matches('\n').count();
                out.push_str(&self.in_code(&src[i..end]));
                i = end;
                continue;
            }
            if src[i..].starts_with("{{") || src[i..].starts_with("{%") {
                let (len, text) = self.tag(&src[i..], line);
                line += src[i..i + len].matches('\n').count();
                out.push_str(&text);
                i += len;
                continue;
            }
            let n = src[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&src[i..i + n]);
            i += n;
        }
        out
    }

    /// Code as herald shows it: Hugo reads shortcodes in code too, so a
    /// Hugo page writes one as text there as `{{</* x */>}}`; herald
    /// leaves code alone, so it becomes `{{< x >}}`.
    fn in_code<'s>(&self, code: &'s str) -> std::borrow::Cow<'s, str> {
        if self.input.tool == Tool::Hugo && code.contains("/*") {
            let mut c = code.to_string();
            for (from, to) in [
                ("{{</*", "{{<"),
                ("*/>}}", ">}}"),
                ("{{%/*", "{{%"),
                ("*/%}}", "%}}"),
            ] {
                c = c.replace(from, to);
            }
            c.into()
        } else {
            code.into()
        }
    }

    /// A tag at the start of `s`: how much of `s` it takes and its
    /// replacement.
    fn tag(&mut self, s: &str, line: usize) -> (usize, String) {
        let done = match self.input.tool {
            Tool::Hugo => self.hugo(s, line),
            Tool::Zola => self.zola(s, line),
            Tool::Jekyll => self.jekyll(s, line),
            Tool::Mdbook => None,
        };
        done.unwrap_or_else(|| {
            if self.input.tool != Tool::Mdbook || s.starts_with("{{#") {
                let close = if s.starts_with("{%") { "%}" } else { "}}" };
                let end = s.find(close).map_or(s.len(), |e| e + 2);
                let shown: String = s[..end]
                    .chars()
                    .take(60)
                    .take_while(|c| *c != '\n')
                    .collect();
                self.untranslated(
                    line,
                    format!("`{shown}` is template code herald does not run: kept as text"),
                );
            }
            // Written so herald shows it as text: `&#123;` is `{`.
            (1, "&#123;".into())
        })
    }

    /// A call of a stub site shortcode for a tag herald has no equal of.
    pub(super) fn stub(
        &mut self,
        tool: &str,
        name: &str,
        args: &[(String, String)],
        body: Option<&str>,
        line: usize,
    ) -> String {
        let mut ident: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if ident.is_empty()
            || ident.starts_with(|c: char| c.is_ascii_digit())
            || BUILT_IN.contains(&ident.as_str())
            || PROVIDED.contains(&ident.as_str())
        {
            ident = format!("{tool}_{ident}");
        }
        let block = body.is_some();
        let prior = self.out.shortcodes.insert(ident.clone(), block);
        if prior == Some(!block) {
            // Used both ways: a block stub also renders without a body.
            self.out.shortcodes.insert(ident.clone(), true);
        }
        self.untranslated(line, format!("{tool} shortcode `{name}`: now `{ident}`, a stub in templates/shortcodes/{ident}.html{}", if block { " that shows its inner text" } else { "" }));
        let args: Vec<String> = args
            .iter()
            .map(|(k, v)| format!("{k}={}", quote(v)))
            .collect();
        match body {
            None => format!("{{{{ {ident}({}) }}}}", args.join(", ")),
            Some(inner) => {
                let inner = self.scan(inner, line);
                format!(
                    "{{% {ident}({}) %}}\n{}\n{{% end %}}",
                    args.join(", "),
                    inner.trim_matches('\n')
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(tool: Tool, body: &str) -> (String, Report) {
        let mut report = Report::default();
        let resolve = |_: RefKind, p: &str| {
            (p == "posts/a.md" || p == "2020-01-02-a").then(|| "@/posts/a.md".to_string())
        };
        let input = Input {
            tool,
            src: "x.md",
            first_line: 1,
            resolve: &resolve,
        };
        let out = translate(body, &input, &mut report);
        (out.text, report)
    }

    #[test]
    fn hugo_shortcodes() {
        let (t, r) = run(
            Tool::Hugo,
            "{{< figure src=\"a.jpg\" caption=\"Cap\" >}}\n[x]({{< ref \"posts/a.md\" >}})\n{{< highlight go >}}\nfmt.Println(1)\n{{< /highlight >}}\n{{< notice warning >}}\n**Hi**\n{{< /notice >}}\n`{{< keep >}}`\n",
        );
        assert!(
            t.contains("{{ figure(src=\"a.jpg\", alt=\"Cap\", caption=\"Cap\") }}"),
            "{t}"
        );
        assert!(t.contains("[x](@/posts/a.md)"), "{t}");
        assert!(t.contains("```go\nfmt.Println(1)\n```"), "{t}");
        assert!(
            t.contains("{% notice(arg1=\"warning\") %}\n**Hi**\n{% end %}"),
            "{t}"
        );
        assert!(t.contains("`{{< keep >}}`"), "{t}");
        assert_eq!(r.untranslated.len(), 1);
        assert_eq!(r.untranslated[0].at, "x.md:6");
        assert_eq!(r.notes.len(), 1, "figure without alt");
    }

    #[test]
    fn jekyll_liquid() {
        let (t, r) = run(
            Tool::Jekyll,
            "![p]({{ site.baseurl }}/img/p.png)\n[a]({% post_url 2020-01-02-a %})\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n{% raw %}{{ x }}{% endraw %}\n{% include note.html text=\"hi\" %}\n{{ page.title }}\n",
        );
        assert!(t.contains("![p](/img/p.png)"), "{t}");
        assert!(t.contains("[a](@/posts/a.md)"), "{t}");
        assert!(t.contains("```ruby\nputs 1\n```"), "{t}");
        assert!(t.contains("&#123;{ x }}"), "{t}");
        assert!(t.contains("{{ include_note(text=\"hi\") }}"), "{t}");
        assert!(t.contains("&#123;{ page.title }}"), "{t}");
        assert_eq!(r.untranslated.len(), 2, "{:?}", r.untranslated);
    }

    #[test]
    fn zola_calls_are_kept() {
        let (t, r) = run(
            Tool::Zola,
            "{{ youtube(id=\"abc\") }}\n{% note(kind=\"x\") %}\nBody\n{% end %}\n{{/* youtube(id=\"z\") */}}\n",
        );
        assert!(t.starts_with("{{ youtube(id=\"abc\") }}\n"), "{t}");
        assert!(t.contains("{% note(kind=\"x\") %}\nBody\n{% end %}"), "{t}");
        assert!(t.contains("&#123;{ youtube(id=\"z\") }}"), "{t}");
        assert_eq!(r.untranslated.len(), 1);
    }

    /// Found by `never_panics`: a Hugo opener whose `%` is also the start
    /// of the closer.
    #[test]
    fn a_hugo_tag_is_not_closed_by_its_own_opener() {
        for tool in Tool::ALL {
            run(tool, "{{%}}\n-**{%\né~ \n*~\"\"-~}-*\n\n{%*");
        }
        let (t, _) = run(Tool::Hugo, "a {{%}} b\n");
        assert!(t.contains("b"), "{t}");
    }

    proptest::proptest! {
        /// Any text of braces, tags and code marks goes through every
        /// tool's scanner without a panic, and text with no `{` at all
        /// comes out as it went in.
        #[test]
        fn never_panics(body in "[{}<>%/*\"#`~ \nab=é-]{0,80}") {
            for tool in Tool::ALL {
                let (out, _) = run(tool, &body);
                if !body.contains('{') {
                    proptest::prop_assert_eq!(&out, &body);
                }
            }
        }
    }
}
