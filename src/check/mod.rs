//! `herald check`: build in memory, then report what a build alone does not
//! catch: links and images (in Markdown and raw HTML) to files or anchors
//! that do not exist, pages no index or page links to, and external URLs
//! (listed; requested only with `--external`).

mod external;

use crate::build::{self, BuildOptions};
use crate::error::{Diagnostic, Result, sort_diagnostics};
use crate::escape::percent_decode;
use crate::html::start_tags;
use crate::msg;
use crate::output::MemorySink;
use crate::timings::Timings;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub root: PathBuf,
    pub drafts: bool,
    /// Request every external URL.
    pub external: bool,
    /// Also request URLs on loopback, private and link-local addresses.
    pub allow_private: bool,
}

#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub pages: usize,
    pub internal_links: usize,
    /// Every external URL found, sorted.
    pub external: Vec<String>,
    pub problems: Vec<Diagnostic>,
}

impl CheckReport {
    /// The closing line: what was checked, and how many problems
    /// (`external`: whether external links were asked for).
    pub fn summary(&self, external: bool) -> crate::messages::Text {
        let asked = if external {
            msg!("external-requested")
        } else {
            msg!("external-not-requested")
        };
        msg!(
            "checked",
            pages = self.pages,
            links = self.internal_links,
            external = self.external.len(),
            asked => asked,
            errors = self.problems.iter().filter(|d| d.is_error()).count()
        )
    }
}

/// The fragment targets of an HTML page: every `id`, and the `name` of
/// `<a name="…">` (old-style anchors, as browsers still follow them).
fn ids(html: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for tag in start_tags(html) {
        out.extend(tag.anchor_names().map(str::to_string));
    }
    out
}

/// Where a URL found in `from` (an output file path) points inside the
/// output: `Ok(Some((file, fragment)))`, `Ok(None)` for URLs that are not
/// ours to check (mailto:, data:…), `Err` for a path outside the base path.
fn resolve(
    url: &str,
    from: &str,
    base_path: &str,
    base_url: &str,
) -> Result<Option<(String, Option<String>)>, String> {
    let url = url.trim();
    if url.is_empty() || url.contains("://") && !url.starts_with(base_url) || url.starts_with("//")
    {
        return Ok(None);
    }
    if let Some(scheme) = url.split(':').next()
        && url.contains(':')
        && !url.contains("://")
        && !scheme.contains('/')
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '+')
    {
        return Ok(None); // mailto:, tel:, data:, javascript:
    }
    let url = url
        .strip_prefix(base_url.trim_end_matches('/'))
        .map_or(url.to_string(), |rest| {
            format!("{}{}", base_path.trim_end_matches('/'), rest)
        });
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(percent_decode(f))),
        None => (url.clone(), None),
    };
    let path = path.split('?').next().unwrap_or("").to_string();
    let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
    let joined = if path.is_empty() {
        from.to_string()
    } else if let Some(abs) = path.strip_prefix('/') {
        let within = format!("/{abs}");
        match within.strip_prefix(base_path) {
            Some(rest) => rest.to_string(),
            None if format!("{within}/") == base_path => String::new(),
            None => {
                return Err(format!(
                    "`{path}` is outside the site's base path {base_path}"
                ));
            }
        }
    } else if dir.is_empty() {
        path.clone()
    } else {
        format!("{dir}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut file = percent_decode(&parts.join("/"));
    if joined.is_empty() || joined.ends_with('/') {
        if !file.is_empty() {
            file.push('/');
        }
        file.push_str("index.html");
    }
    Ok(Some((file, fragment)))
}

/// Runs the checks: the build's own problems and those of its output, all
/// at once. Only problems that leave nothing to check (site.yaml, templates)
/// come back as `Err`.
pub fn check(opts: &CheckOptions) -> Result<CheckReport> {
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        drafts: opts.drafts,
        ..BuildOptions::default()
    };
    let mut timings = Timings::default();
    let (loaded, build_errors) = build::load_site_with_errors(&build_opts, &mut timings)?;
    let sink = MemorySink::new();
    if let Err(e) = build::render_into(&loaded, &sink, &mut timings) {
        // The templates failed: report those with the content's problems.
        return Err(match e {
            crate::error::Error::Site(mut diags) => {
                diags.extend(build_errors);
                sort_diagnostics(&mut diags);
                crate::error::Error::Site(diags)
            }
            other => other,
        });
    }
    let files = sink.into_files();
    let image_warnings = build::image_warnings(&loaded.site.root, &loaded.templates);
    let site = &loaded.site;
    let base_path = site.config.base_path.as_str();
    let base_url = site.config.base_url.as_str();
    let exists = |f: &str| files.contains_key(f);
    let mut id_cache: HashMap<String, HashSet<String>> = HashMap::new();
    let mut report = CheckReport {
        pages: site.content.pages.len()
            + (loaded.translations.iter())
                .map(|t| t.site.content.pages.len())
                .sum::<usize>(),
        problems: loaded
            .warnings
            .iter()
            .cloned()
            .chain(image_warnings)
            .collect(),
        ..CheckReport::default()
    };
    let mut external: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();

    // Links and images written in pages (Markdown, raw HTML, shortcodes).
    let mut sources: Vec<(&str, String, &crate::site::Facts)> = Vec::new();
    // Every language's pages, their outputs under the language's prefix.
    for s in std::iter::once(site).chain(loaded.translations.iter().map(|t| &t.site)) {
        for (key, r) in &s.rendered {
            sources.push((
                &s.content.pages[key].file,
                format!("{}{}index.html", s.config.lang_prefix, s.page_path(key)),
                r,
            ));
        }
    }
    for (key, r) in &site.index_rendered {
        let file = &site.content.indexes[key].file;
        let out = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
        sources.push((file, out, &r.facts));
    }
    for (file, out, rendered) in sources {
        for r in &rendered.refs {
            if (r.url.starts_with("http://") || r.url.starts_with("https://"))
                && !r.url.starts_with(base_url)
            {
                external
                    .entry(r.url.clone())
                    .or_default()
                    .push((file.to_string(), r.line));
                continue;
            }
            report.internal_links += 1;
            let what = if r.image {
                msg!("an-image")
            } else {
                msg!("a-link")
            };
            match resolve(&r.url, &out, base_path, base_url) {
                Ok(None) => {}
                Err(why) => report.problems.push(
                    Diagnostic::error(
                        file,
                        msg!("url-problem", what => what.clone(), url = r.url, why),
                    )
                    .at(r.line)
                    .hint(msg!("url-problem-hint", base_path)),
                ),
                Ok(Some((target, fragment))) => {
                    let target = if exists(&target) || !exists(&format!("{target}/index.html")) {
                        target
                    } else {
                        format!("{target}/index.html")
                    };
                    if !exists(&target) {
                        report.problems.push(
                            Diagnostic::error(file, msg!("nothing-published", what => what.clone(), url = r.url, target))
                                .at(r.line)
                                .hint(if r.image {
                                    msg!("nothing-published-image-hint")
                                } else {
                                    msg!("nothing-published-link-hint")
                                }),
                        );
                        continue;
                    }
                    if let Some(fragment) =
                        fragment.filter(|f| !f.is_empty() && target.ends_with(".html"))
                    {
                        let ids = id_cache
                            .entry(target.clone())
                            .or_insert_with(|| ids(&String::from_utf8_lossy(&files[&target])));
                        if !ids.contains(&fragment) {
                            report.problems.push(
                                Diagnostic::error(
                                    file,
                                    msg!("broken-anchor-published", url = r.url, target, fragment),
                                )
                                .at(r.line)
                                .hint(msg!("broken-anchor-published-hint")),
                            );
                        }
                    }
                }
            }
        }
    }

    // Pages that no index or page links to.
    let mut reached: HashSet<String> = HashSet::new();
    let mut queue: VecDeque<String> = VecDeque::from(["index.html".to_string()]);
    while let Some(file) = queue.pop_front() {
        if !reached.insert(file.clone()) {
            continue;
        }
        let Some(bytes) = files.get(&file) else {
            continue;
        };
        if !file.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for href in start_tags(&html).filter_map(|t| t.attr("href").map(str::to_string)) {
            if let Ok(Some((target, _))) = resolve(&href, &file, base_path, base_url)
                && files.contains_key(&target)
                && !reached.contains(&target)
            {
                queue.push_back(target);
            }
        }
    }
    for (key, page) in &site.content.pages {
        let out = format!("{}index.html", site.page_path(key));
        if !reached.contains(&out) {
            report.problems.push(
                Diagnostic::error(&page.file, msg!("unreachable"))
                    .at(1)
                    .hint(msg!("unreachable-hint")),
            );
        }
    }

    report.external = external.keys().cloned().collect();
    if opts.external {
        let results: Vec<(String, Option<String>)> = report
            .external
            .par_iter()
            .map(|url| (url.clone(), external::probe(url, opts.allow_private)))
            .collect();
        for (url, failure) in results {
            if let Some(why) = failure {
                for (file, line) in &external[&url] {
                    report.problems.push(
                        Diagnostic::error(file.clone(), msg!("external-broken", url, why))
                            .at(*line)
                            .hint(msg!("external-broken-hint")),
                    );
                }
            }
        }
    }
    // A link the build already reported (a broken `@/` or `.md` link or
    // anchor) is not reported a second time from the output.
    let reported: HashSet<(String, Option<usize>)> = build_errors
        .iter()
        .map(|d| (d.file.clone(), d.line))
        .collect();
    report
        .problems
        .retain(|d| !d.is_error() || !reported.contains(&(d.file.clone(), d.line)));
    report.problems.extend(build_errors);
    sort_diagnostics(&mut report.problems);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_urls_against_the_page_and_base_path() {
        let r = |u: &str| resolve(u, "news/a/index.html", "/portal/", "https://e.org/portal/");
        assert_eq!(
            r("/portal/news/b/").unwrap(),
            Some(("news/b/index.html".into(), None))
        );
        assert_eq!(
            r("photo.jpg").unwrap(),
            Some(("news/a/photo.jpg".into(), None))
        );
        assert_eq!(
            r("../b/#x%20y").unwrap(),
            Some(("news/b/index.html".into(), Some("x y".into())))
        );
        assert_eq!(
            r("#top").unwrap(),
            Some(("news/a/index.html".into(), Some("top".into())))
        );
        assert_eq!(
            r("https://e.org/portal/about/").unwrap(),
            Some(("about/index.html".into(), None))
        );
        assert_eq!(r("mailto:a@b.c").unwrap(), None);
        assert_eq!(r("https://other.org/").unwrap(), None);
        assert!(r("/elsewhere/").is_err());
        assert_eq!(r("/portal/").unwrap(), Some(("index.html".into(), None)));
    }
}
