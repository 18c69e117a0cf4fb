//! Translations of pages into the site's other languages (`about.en.md`
//! beside `about.md`): found among the content's files, loaded keyed as
//! their originals, one content per language. See `docs/languages.md`.

use super::*;

/// A site's pages in one of its other languages.
#[derive(Debug, Default, Clone)]
pub struct Translation {
    /// The language's tag, as site.yaml declares it.
    pub code: String,
    pub content: Content,
    pub bodies: Bodies,
}

/// The original of the translation file `rel` into one of `codes`
/// (lowercase tags): `about.en.md` → (`en`'s index, `about.md`).
pub(super) fn translation_of(rel: &str, codes: &[String]) -> Option<(usize, String)> {
    let (dir, name) = match rel.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), rel),
    };
    let (stem, suffix) = name.strip_suffix(".md")?.rsplit_once('.')?;
    let i = codes.iter().position(|c| c.eq_ignore_ascii_case(suffix))?;
    Some((i, format!("{dir}{stem}.md")))
}

/// Loads the translation files `translated` (language, original's name,
/// file) into a content per language; a translation whose original does
/// not exist is an error naming both.
pub(super) fn load_translations(
    content_dir: &Path,
    config: &Config,
    opts: &LoadOptions,
    bundles: &BTreeSet<String>,
    original: &Content,
    translated: Vec<(usize, String, String)>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Translation> {
    let mut out: Vec<Translation> = (config.languages.iter().skip(1))
        .map(|l| Translation {
            code: l.code.clone(),
            ..Translation::default()
        })
        .collect();
    let results: Vec<_> = translated
        .par_iter()
        .map(|(_, plain, real)| load_markdown(content_dir, plain, real, config, opts, bundles))
        .collect();
    for ((i, plain, real), r) in translated.into_iter().zip(results) {
        let t = &mut out[i];
        let has_original = |key: &str| {
            original.pages.contains_key(key)
                || original.hidden.contains_key(key)
                || original.failed.contains(key)
        };
        match r {
            Ok(Loaded::Page(page, body)) => {
                if !has_original(&page.key) {
                    diags.push(
                        Diagnostic::error(
                            &page.file,
                            msg!(
                                "translation-without-original",
                                original = format!("{CONTENT_DIR}/{plain}")
                            ),
                        )
                        .hint(msg!("translation-without-original-hint", code = t.code)),
                    );
                    continue;
                }
                if let Some(other) = t.content.pages.get(&page.key) {
                    diags.push(
                        Diagnostic::error(
                            &page.file,
                            msg!("translation-twice", other = other.file, code = t.code),
                        )
                        .hint(msg!("translation-twice-hint")),
                    );
                    continue;
                }
                let mut page = page;
                if page.bundle.is_some() {
                    // The bundle's files, published beside the translation too.
                    page.assets = original
                        .pages
                        .get(&page.key)
                        .map(|o| o.assets.clone())
                        .unwrap_or_default();
                }
                t.bodies.insert(page.key.clone(), body);
                t.content.pages.insert(page.key.clone(), *page);
            }
            Ok(Loaded::Index(key, index)) => {
                t.content.indexes.insert(key, *index);
            }
            Ok(Loaded::Hidden(key, why, comes_out)) => {
                if !has_original(&key) {
                    // A draft too: it would be published without one.
                    diags.push(
                        Diagnostic::error(
                            format!("{CONTENT_DIR}/{real}"),
                            msg!(
                                "translation-without-original",
                                original = format!("{CONTENT_DIR}/{plain}")
                            ),
                        )
                        .hint(msg!("translation-without-original-hint", code = t.code)),
                    );
                    continue;
                }
                if let Some(at) = comes_out {
                    t.content.note_change(at);
                }
                t.content.hidden.insert(key, why);
            }
            Err(mut d) => {
                t.content.failed.insert(plain);
                diags.append(&mut d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_is_named_by_its_language_before_md() {
        let codes = ["en".to_string(), "zh-TW".to_string()];
        let of = |rel: &str| translation_of(rel, &codes);
        assert_eq!(of("about.en.md"), Some((0, "about.md".into())));
        assert_eq!(of("news/a.zh-tw.md"), Some((1, "news/a.md".into())));
        assert_eq!(
            of("lessons/one/index.EN.md"),
            Some((0, "lessons/one/index.md".into()))
        );
        assert_eq!(of("news/_index.en.md"), Some((0, "news/_index.md".into())));
        // Not a declared language, or no language at all.
        assert_eq!(of("v1.2.md"), None);
        assert_eq!(of("about.fr.md"), None);
        assert_eq!(of("about.md"), None);
    }
}
