//! `relink` against linking again, on random edits.

use super::*;
use crate::content::{self, LoadOptions};
use std::path::Path;

/// SplitMix64.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}

const SITE: &str = "title: T\nbase_url: https://example.org/\nlanguage: zh-CN\nboards:\n  - { key: news, title: 要闻, kind: article }\n  - { key: lessons, title: 微课, kind: lesson }\n  - { key: guides, title: 指南, kind: article, sort: title }\n  - { key: notes, title: 说明, kind: page }\ntaxonomies: [tags, topics]\n";
// Two names of one slug: a term is named by its first page.
const TAGS: [&str; 6] = ["甲", "乙", "Rust", "rust", "丙", "丁"];
const SERIES: [&str; 3] = ["入门", "Go", "go"];

fn page(rng: &mut Rng, board: &str, i: usize) -> String {
    let mut front = format!(
        "title: 页 {}\ndate: 2024-0{}-{:02}\n",
        rng.below(40),
        1 + rng.below(3),
        1 + rng.below(5)
    );
    let tags: Vec<&str> = (0..rng.below(4)).map(|_| TAGS[rng.below(6)]).collect();
    front += &format!("tags: [{}]\n", tags.join(", "));
    if rng.below(3) == 0 {
        front += &format!("topics: [{}]\n", TAGS[rng.below(6)]);
    }
    if board == "notes" {
        front += &format!("weight: {}\n", rng.below(4));
    }
    if board == "lessons" && rng.below(5) > 0 {
        // Orders unique but for the odd clash (an error).
        let order = if rng.below(30) == 0 { 1 } else { 10 + i };
        front += &format!("series: {}\norder: {order}\n", SERIES[rng.below(3)]);
    }
    format!("---\n{front}---\n正文。\n")
}

fn load(root: &Path, config: &crate::config::Config, opts: &LoadOptions) -> Site {
    let (content, _, diags) = content::load(root, config, opts);
    assert!(diags.is_empty(), "{diags:?}");
    let (linked, _) = super::super::link(root, config, &content);
    Site {
        languages: Default::default(),
        root: root.to_path_buf(),
        config: config.clone(),
        content,
        links: linked.links,
        boards: linked.boards,
        series: linked.series,
        taxonomies: linked.taxonomies,
        rendered: Default::default(),
        index_rendered: Default::default(),
    }
}

fn relations(site: &Site) -> String {
    let boards: Vec<&Vec<String>> = site.boards.iter().map(|b| &b.pages).collect();
    format!(
        "{:#?}\n{boards:#?}\n{:#?}\n{:#?}",
        site.links, site.series, site.taxonomies
    )
}

#[test]
fn relinking_after_random_edits_equals_linking_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let config = crate::config::Config::parse(SITE).unwrap();
    let opts = LoadOptions {
        drafts: false,
        future: true,
        now: chrono::Utc::now().fixed_offset(),
    };
    let mut rng = Rng(7);
    let boards = ["news", "lessons", "guides", "notes"];
    let mut files: Vec<String> = Vec::new();
    let mut next = 0;
    let mut add = |rng: &mut Rng, files: &mut Vec<String>| {
        let board = boards[rng.below(4)];
        let key = format!("{board}/p{next}.md");
        let text = page(rng, board, next);
        next += 1;
        let path = root.join("content").join(&key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        files.push(key.clone());
        key
    };
    for _ in 0..300 {
        add(&mut rng, &mut files);
    }
    let mut site = load(root, &config, &opts);
    let (mut quick, mut failed) = (0, 0);
    for _ in 0..150 {
        let mut fresh = BTreeSet::new();
        let mut removed = BTreeSet::new();
        for _ in 0..1 + rng.below(2) {
            match rng.below(4) {
                0 if files.len() > 1 => {
                    let key = files.swap_remove(rng.below(files.len()));
                    std::fs::remove_file(root.join("content").join(&key)).unwrap();
                    fresh.remove(&key);
                    removed.insert(key);
                }
                1 => {
                    fresh.insert(add(&mut rng, &mut files));
                }
                _ => {
                    // An edit: the page written again with new values.
                    let key = files[rng.below(files.len())].clone();
                    let board = key.split('/').next().unwrap();
                    let n: usize = key[board.len() + 2..key.len() - 3].parse().unwrap();
                    let text = page(&mut rng, board, n);
                    std::fs::write(root.join("content").join(&key), text).unwrap();
                    fresh.insert(key);
                }
            }
        }
        let old_links = site.links.clone();
        let mut metas = BTreeMap::new();
        for key in &fresh {
            if let Some(p) = site.content.pages.get(key) {
                metas.insert(key.clone(), p.meta.clone());
            }
            let loaded = content::reload_page(root, key, None, &config, &opts).unwrap();
            site.content.replace(key, loaded);
        }
        for key in &removed {
            site.content.remove(key);
        }
        let same_related = removed.is_empty()
            && fresh.iter().all(|k| {
                let now = &site.content.pages[k].meta;
                metas.get(k).is_some_and(|was| {
                    (was.date, &was.taxonomies, series_name(was))
                        == (now.date, &now.taxonomies, series_name(now))
                })
            });
        let expected = load(root, &config, &opts);
        let (_, diags) = super::super::link(root, &config, &expected.content);
        let changed = Changed {
            fresh: &fresh,
            removed: &removed,
            same_related,
        };
        match relink(&mut site, &changed) {
            Some(before) => {
                assert!(diags.is_empty(), "relinked a site with problems: {diags:?}");
                assert_eq!(relations(&site), relations(&expected));
                let keys: BTreeSet<&String> = old_links.keys().chain(site.links.keys()).collect();
                for key in keys {
                    let (was, now) = (old_links.get(key), site.links.get(key));
                    match before.links.get(key) {
                        Some(reported) => {
                            assert_eq!(reported.as_ref(), was, "{key}");
                            assert_ne!(was, now, "{key} reported, unchanged");
                        }
                        None => assert_eq!(was, now, "{key} changed, not reported"),
                    }
                }
                quick += 1;
            }
            None => {
                assert!(!diags.is_empty(), "relink refused a good site");
                failed += 1;
            }
        }
        if !diags.is_empty() {
            // As the server does: a full build (here, a good one).
            for (i, key) in files.iter().enumerate() {
                let path = root.join("content").join(key);
                let text = std::fs::read_to_string(&path).unwrap();
                let order = format!("order: {}\n", 5000 + i);
                std::fs::write(&path, text.replace("order: 1\n", &order)).unwrap();
            }
            site = load(root, &config, &opts);
            assert!(
                super::super::link(root, &config, &site.content)
                    .1
                    .is_empty()
            );
        }
    }
    assert!(quick > 100 && failed > 0, "{quick} quick, {failed} failed");
}

fn series_name(m: &crate::frontmatter::FrontMatter) -> Option<&str> {
    m.series()
}
