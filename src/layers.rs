//! The library's layers, lowest first. A module may use modules of its own
//! layer or of a lower one, never of a higher one, and the modules never
//! form a cycle: the test below reads every `crate::…` path in `src/` (test
//! code left out) and fails naming the import that breaks either rule.
//! Test code is what follows `#[cfg(test)]` (clippy's
//! `items_after_test_module`, denied in CI, keeps tests last in a file).
//! `docs/architecture.md` shows the same table.

#![cfg(test)]

/// (layer, modules). Within a layer, order does not matter; cycles are
/// refused all the same.
pub const LAYERS: &[(&str, &[&str])] = &[
    (
        "base",
        &[
            "messages", "error", "escape", "slug", "hash", "timings", "format", "source",
            "confine", "yaml", "html", "qr",
        ],
    ),
    (
        "model",
        &[
            "schema",
            "kinds",
            "config",
            "frontmatter",
            "content",
            "data",
            "markdown",
            "site",
            "output",
            "theme",
        ],
    ),
    ("link", &["link", "related", "resources", "images"]),
    ("templates", &["values", "functions", "templates"]),
    ("render", &["bodies", "search", "feeds", "render", "stream"]),
    ("build", &["build"]),
    ("commands", &["check", "serve", "scaffold", "import"]),
];

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module → the herald modules its non-test code names.
fn imports(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let module = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_string();
            if module == "lib" || module == "main" || module == "layers" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            let used = out.entry(module.clone()).or_default();
            for line in code.lines() {
                let line = line.split("//").next().unwrap();
                let mut rest = line;
                while let Some(i) = rest.find("crate::") {
                    rest = &rest[i + "crate::".len()..];
                    let mut name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    // Macros exported at the crate's root, by their module.
                    if name == "msg" {
                        name = "messages".into();
                    }
                    if !name.is_empty() && name != module {
                        used.insert(name);
                    } else if name.is_empty() && rest.starts_with('{') {
                        // `use crate::{a, b::c}`
                        let group = rest[1..].split('}').next().unwrap();
                        for part in group.split(',') {
                            let name = part.trim().split("::").next().unwrap().trim();
                            if !name.is_empty() && name != module {
                                used.insert(name.to_string());
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

/// A cycle among `graph`'s modules, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(node) {
            Some(2) => return None,
            Some(1) => {
                let start = path.iter().position(|n| n == node).unwrap();
                let mut cycle = path[start..].to_vec();
                cycle.push(node.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(node.to_string(), 1);
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if let Some(c) = visit(node, graph, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

#[test]
#[allow(clippy::print_stderr)] // the layer map, with --nocapture
fn layers_point_down_and_modules_form_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = imports(&src);
    let layer_of: BTreeMap<&str, usize> = LAYERS
        .iter()
        .enumerate()
        .flat_map(|(i, (_, mods))| mods.iter().map(move |m| (*m, i)))
        .collect();
    let mut wrong = Vec::new();
    for (module, used) in &graph {
        let Some(&own) = layer_of.get(module.as_str()) else {
            wrong.push(format!("{module} is in no layer: add it to LAYERS"));
            continue;
        };
        for u in used {
            match layer_of.get(u.as_str()) {
                Some(&to) if to > own => wrong.push(format!(
                    "{module} ({}) uses {u} ({}), a higher layer",
                    LAYERS[own].0, LAYERS[to].0
                )),
                Some(_) => {}
                None => wrong.push(format!("{module} uses {u}, which is in no layer")),
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    if let Some(cycle) = find_cycle(&graph) {
        panic!("module cycle: {}", cycle.join(" → "));
    }
    for (name, mods) in LAYERS {
        eprintln!("{name:>9}: {}", mods.join(", "));
    }
}

/// Markdown knows nothing of the template engine: the template layer
/// wraps its HTML.
#[test]
fn markdown_does_not_use_tera() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/markdown");
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(!text.contains("tera::"), "{} uses tera", path.display());
            }
        }
    }
}

#[test]
fn the_check_sees_cycles() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"])]
            .into_iter()
            .map(|(k, v)| (k.into(), v.into_iter().map(String::from).collect()))
            .collect();
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "c", "a"]);
}
