//! The crate's layout as a test: arrows only point down. Reads `src/`, resolves every
//! `crate::`, `super::`, `self::` and child-module path to the file that defines it, and
//! fails on an import from a lower layer into a higher one, between two modules of the same
//! layer, or on any circle of files (re-exports included).
//!
//! Self-contained (std only), so `rustc --test tests/it/layout.rs` runs it too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules from the top down; a module may import only modules of a later layer
/// (and its own files). `main.rs` and `lib.rs` sit above everything.
const LAYERS: &[&[&str]] = &[
    &["config"],
    &["cmd"],
    &["cli"],
    &["error"],
    &["remedy"],
    &["playbook"],
    &["probe", "proxy", "diagnose", "rbac"],
    &["cluster", "report"],
    &["redact", "term", "tls", "http", "ws_token", "testing"],
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

fn src_dir() -> PathBuf {
    let root = option_env!("CARGO_MANIFEST_DIR").unwrap_or(".");
    Path::new(root).join("src")
}

/// Module path of each file under `src/` (`src/probe/kube/mod.rs` → `probe::kube`).
fn modules(dir: &Path, prefix: &[String], out: &mut BTreeMap<Vec<String>, PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read src").flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        if p.is_dir() {
            let mut pre = prefix.to_vec();
            pre.push(name);
            modules(&p, &pre, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            let mut m = prefix.to_vec();
            if !(name == "mod" || (prefix.is_empty() && (name == "lib" || name == "main"))) {
                m.push(name.clone());
            }
            if !(prefix.is_empty() && name == "main") {
                out.insert(m, p);
            }
        }
    }
}

/// Source without comments, string and char literals (their text cannot import).
fn strip(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == b'r' && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) && !ident_byte(b, i.wrapping_sub(1)) {
            // Raw string r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&b'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&b'"') {
                out.push('r');
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == b'"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&b'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == b'\'' {
            // A char literal ('a', '\n', '\u{1F}') or a lifetime ('a).
            let end = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..].iter().position(|&x| x == b'\'').map(|p| i + 2 + p)
            } else if b.get(i + 2) == Some(&b'\'') {
                Some(i + 2)
            } else {
                // Multi-byte UTF-8 char literal.
                let s = &src[i + 1..];
                s.chars()
                    .next()
                    .and_then(|ch| (s[ch.len_utf8()..].starts_with('\'')).then(|| i + 1 + ch.len_utf8()))
            };
            match end {
                Some(e) => {
                    out.push_str("' '");
                    i = e + 1;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            let ch = src[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn ident_byte(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// One path that a file names, starting where it is rooted.
#[derive(Debug)]
struct Ref {
    /// The module the path starts from, absolute.
    base: Vec<String>,
    segments: Vec<String>,
}

/// Every path rooted at `crate`, `super`, `self` or a child module the file declares,
/// including each branch of `use a::{b, c::d}` groups.
fn refs(text: &str, module: &[String], children: &BTreeSet<String>) -> Vec<Ref> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // Depth of inline `mod x { ... }` blocks, which shift what `super` and `self` mean.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                depth += 1;
                i += 1;
                continue;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        if !ident_byte(b, i) || ident_byte(b, i.wrapping_sub(1)) {
            i += 1;
            continue;
        }
        let start = i;
        while ident_byte(b, i) {
            i += 1;
        }
        let word = &text[start..i];
        if word == "mod" {
            // `mod name {` opens an inline module.
            let rest = text[i..].trim_start();
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let after = rest[name.len()..].trim_start();
            if !name.is_empty() && after.starts_with('{') {
                inline.push((name, depth));
            }
            continue;
        }
        let preceded_by_path = start >= 2 && &text[start - 2..start] == "::";
        if preceded_by_path || !text[i..].starts_with("::") {
            continue;
        }
        let here: Vec<String> = module.iter().cloned().chain(inline.iter().map(|(n, _)| n.clone())).collect();
        let base = match word {
            "crate" => Vec::new(),
            "super" => {
                let mut m = here.clone();
                m.pop();
                while text[i + 2..].starts_with("super::") {
                    m.pop();
                    i += "super::".len();
                }
                m
            }
            "self" => here.clone(),
            w if inline.is_empty() && children.contains(w) => {
                // A child module named without `self::`: rooted here, the word included.
                i = start;
                module.to_vec()
            }
            _ => continue,
        };
        if word != "crate" && word != "super" && word != "self" {
            // Re-read the child's name as the first segment.
        } else {
            i += 2;
        }
        let mut trees = Vec::new();
        i = use_tree(text, i, Vec::new(), &mut trees);
        for segments in trees {
            out.push(Ref {
                base: base.clone(),
                segments,
            });
        }
    }
    out
}

/// Parses `a::b::{c, d::e}` from `i`, pushing each full path; returns where it stopped.
fn use_tree(text: &str, mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let b = text.as_bytes();
    let mut path = prefix;
    loop {
        while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
            i += 1;
        }
        if b.get(i) == Some(&b'{') {
            i += 1;
            loop {
                while b.get(i).is_some_and(|c| c.is_ascii_whitespace() || *c == b',') {
                    i += 1;
                }
                if i >= b.len() || b[i] == b'}' {
                    i += 1;
                    break;
                }
                let before = i;
                i = use_tree(text, i, path.clone(), out);
                // Skip `as alias` and anything else up to the next `,` or `}`.
                while i < b.len() && b[i] != b',' && b[i] != b'}' {
                    i += 1;
                }
                if i == before {
                    i += 1;
                }
            }
            return i;
        }
        let s = i;
        while ident_byte(b, i) || b.get(i) == Some(&b'*') {
            i += 1;
        }
        if i > s {
            let seg = &text[s..i];
            if seg != "self" && seg != "*" {
                path.push(seg.to_string());
            }
        }
        if text[i..].starts_with("::") {
            i += 2;
            continue;
        }
        out.push(path);
        return i;
    }
}

/// The file a path lands in: its longest prefix that is a module with a file.
fn resolve(files: &BTreeMap<Vec<String>, PathBuf>, r: &Ref) -> Option<Vec<String>> {
    let mut full = r.base.clone();
    full.extend(r.segments.iter().cloned());
    (0..=full.len()).rev().map(|n| full[..n].to_vec()).find(|m| files.contains_key(m))
}

fn name(m: &[String]) -> String {
    if m.is_empty() { "crate".into() } else { m.join("::") }
}

/// Import edges between files: importer module → imported module → one example path.
fn graph() -> BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> {
    let mut files = BTreeMap::new();
    modules(&src_dir(), &[], &mut files);
    let mut edges: BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>> = BTreeMap::new();
    for (m, path) in &files {
        let text = strip(&std::fs::read_to_string(path).expect("read source"));
        let children: BTreeSet<String> = files
            .keys()
            .filter(|k| k.len() == m.len() + 1 && k.starts_with(m))
            .map(|k| k[m.len()].clone())
            .collect();
        let entry = edges.entry(m.clone()).or_default();
        for r in refs(&text, m, &children) {
            if let Some(target) = resolve(&files, &r)
                && &target != m
            {
                let mut full = r.base.clone();
                full.extend(r.segments);
                entry.entry(target).or_insert_with(|| name(&full));
            }
        }
    }
    edges
}

#[test]
fn imports_only_point_down_to_lower_layers() {
    let mut bad = Vec::new();
    for (from, tos) in graph() {
        let Some(top) = from.first() else { continue };
        let Some(l) = layer_of(top) else {
            bad.push(format!(
                "`{}` is in no layer; add `{top}` to LAYERS in tests/it/layout.rs",
                name(&from)
            ));
            continue;
        };
        for (to, example) in tos {
            let Some(to_top) = to.first() else {
                bad.push(format!("{} -> the crate root ({example})", name(&from)));
                continue;
            };
            if to_top == top {
                continue;
            }
            match layer_of(to_top) {
                Some(t) if t > l => {}
                _ => bad.push(format!(
                    "{} -> {} ({example}): `{to_top}` is not below `{top}`",
                    name(&from),
                    name(&to)
                )),
            }
        }
    }
    assert!(bad.is_empty(), "upward or sideways imports:\n  {}", bad.join("\n  "));
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let g = graph();
    // Depth-first search for a back edge; report each circle once.
    fn visit(
        n: &Vec<String>,
        g: &BTreeMap<Vec<String>, BTreeMap<Vec<String>, String>>,
        stack: &mut Vec<Vec<String>>,
        done: &mut BTreeSet<Vec<String>>,
        circles: &mut Vec<String>,
    ) {
        if done.contains(n) {
            return;
        }
        if let Some(pos) = stack.iter().position(|s| s == n) {
            let mut c: Vec<String> = stack[pos..].iter().map(|m| name(m)).collect();
            c.push(name(n));
            circles.push(c.join(" -> "));
            return;
        }
        stack.push(n.clone());
        for to in g.get(n).map(|t| t.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
            visit(&to, g, stack, done, circles);
        }
        stack.pop();
        done.insert(n.clone());
    }
    let mut circles = Vec::new();
    let mut done = BTreeSet::new();
    for n in g.keys() {
        visit(n, &g, &mut Vec::new(), &mut done, &mut circles);
    }
    assert!(circles.is_empty(), "import circles:\n  {}", circles.join("\n  "));
}

#[test]
fn the_checker_sees_paths_of_every_shape() {
    let children: BTreeSet<String> = ["pods".to_string()].into();
    let m = vec!["probe".to_string(), "kube".to_string()];
    let text = strip(
        "use crate::{cluster::{self, ClusterState}, report::Finding as F};\n\
         use super::Recorder; // crate::config::Nope\n\
         fn f() { let _ = pods::redis_secret_ref(); let s = \"crate::cli::X\"; }\n\
         mod tests { use super::*; use crate::redact; }\n",
    );
    let got: Vec<String> = refs(&text, &m, &children)
        .into_iter()
        .map(|r| {
            let mut f = r.base;
            f.extend(r.segments);
            name(&f)
        })
        .collect();
    assert_eq!(
        got,
        [
            "cluster",
            "cluster::ClusterState",
            "report::Finding",
            "probe::Recorder",
            "probe::kube::pods::redis_secret_ref",
            "probe::kube",
            "redact"
        ]
    );
}
