//! Import cycles between modules, read from the source as text: each file's `use`
//! declarations and `crate::`/`super::` paths, resolved to the file that defines what
//! they name (following `pub use` re-exports), per crate. Two modules that import each
//! other cannot be understood, tested or moved one without the other; the only cycles
//! allowed are SeaORM's `Related` pairs between entities, which the ORM's design needs,
//! and their GraphQL side, object types that name each other (`RELATED_OBJECT_TYPES`).
//! `IMPORTS_DEBUG=1 cargo test --test api imports::` prints every edge it reads.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

/// A module path within its crate (`["graphql", "books", "types"]`); the root is empty.
type ModPath = Vec<String>;

struct Module {
    file: PathBuf,
    /// Every path the file mentions, from its crate's root.
    paths: Vec<ModPath>,
    /// Names the module re-exports (`pub use`), and the path each stands for.
    reexports: BTreeMap<String, ModPath>,
}

/// The modules of the crate whose root is `src`, by module path.
fn read_crate(src: &Path) -> BTreeMap<ModPath, Module> {
    let mut modules = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(src).expect("under src");
                let mut segments: ModPath = relative
                    .with_extension("")
                    .iter()
                    .map(|s| s.to_string_lossy().into_owned())
                    .collect();
                if matches!(
                    segments.last().map(String::as_str),
                    Some("mod" | "lib" | "main")
                ) {
                    segments.pop();
                }
                let text = std::fs::read_to_string(&path).expect("a source file");
                // A file's unit tests may import anything of the module they test.
                let text = match text.find("#[cfg(test)]\nmod tests") {
                    Some(at) => &text[..at],
                    None => &text[..],
                };
                let code = without_comments_and_strings(text);
                let (paths, reexports) = mentioned_paths(&code, &segments);
                modules.insert(
                    segments,
                    Module {
                        file: path,
                        paths,
                        reexports,
                    },
                );
            }
        }
    }
    modules
}

/// The code with comments and the contents of string literals blanked, so that doc
/// links and messages are not read as imports.
fn without_comments_and_strings(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"//") {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if bytes[i..].starts_with(b"/*") {
            let end = text[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |e| i + 2 + e + 2);
            i = end;
        } else if bytes[i] == b'"' {
            out.push_str("\"\"");
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else if bytes[i..].starts_with(b"r#\"") {
            let end = text[i + 3..]
                .find("\"#")
                .map_or(bytes.len(), |e| i + 3 + e + 2);
            out.push_str("\"\"");
            i = end;
        } else {
            let c = text[i..].chars().next().expect("a character");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Paths the module at `here` mentions (resolved from its crate's root where they start
/// with `crate`, `super` or `self`), and its re-exports.
fn mentioned_paths(code: &str, here: &ModPath) -> (Vec<ModPath>, BTreeMap<String, ModPath>) {
    let mut paths = Vec::new();
    let mut reexports = BTreeMap::new();
    // `use` declarations, with their groups; the code without them is scanned after.
    let mut rest = code;
    let mut outside_uses = String::with_capacity(code.len());
    while let Some(at) = find_word(rest, "use") {
        outside_uses.push_str(&rest[..at]);
        let before = rest[..at].trim_end();
        let public = before.ends_with("pub") || before.ends_with(')');
        let after = &rest[at + 3..];
        let Some(end) = after.find(';') else { break };
        let tree: String = after[..end]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        for (path, name) in expand_tree(&tree) {
            if let Some(resolved) = resolve(&path, here) {
                if public {
                    reexports.insert(name, resolved.clone());
                }
                paths.push(resolved);
            }
        }
        rest = &after[end..];
    }
    outside_uses.push_str(rest);
    let code = outside_uses.as_str();
    // Paths in the code itself: `crate::a::b`, `super::a`.
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(found) = code[from..].find(start) {
            let at = from + found;
            from = at + start.len();
            let preceded = code[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            if preceded {
                continue;
            }
            let path: Vec<String> = code[at..]
                .split("::")
                .map(|s| {
                    s.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>()
                })
                .take_while(|s| !s.is_empty())
                .collect();
            if let Some(resolved) = resolve(&path, here) {
                paths.push(resolved);
            }
        }
    }
    (paths, reexports)
}

fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let at = from + found;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if boundary(before) && after.is_some_and(char::is_whitespace) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The paths of a use tree (`a::{b, c::{d as e}}`), each with the name it binds.
fn expand_tree(tree: &str) -> Vec<(Vec<String>, String)> {
    let tree = tree.trim().trim_start_matches("::");
    let mut out = Vec::new();
    match tree.find('{') {
        None => {
            let (path, alias) = match tree.split_once(" as ") {
                Some((path, alias)) => (path, Some(alias.trim())),
                None => (tree, None),
            };
            let segments: Vec<String> = path
                .split("::")
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            let mut segments = segments;
            if segments.last().is_some_and(|s| s == "self") {
                segments.pop();
            }
            let name = alias
                .map(str::to_string)
                .or_else(|| segments.last().cloned())
                .unwrap_or_default();
            if !segments.is_empty() {
                out.push((segments, name));
            }
        }
        Some(open) => {
            let prefix = tree[..open].trim().trim_end_matches("::");
            let close = tree.rfind('}').unwrap_or(tree.len());
            let inner = &tree[open + 1..close];
            let mut depth = 0;
            let mut start = 0;
            let mut parts = Vec::new();
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        parts.push(&inner[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            parts.push(&inner[start..]);
            for part in parts.into_iter().filter(|p| !p.trim().is_empty()) {
                let joined = if prefix.is_empty() {
                    part.trim().to_string()
                } else {
                    format!("{prefix}::{}", part.trim())
                };
                out.extend(expand_tree(&joined));
            }
        }
    }
    out
}

/// `path` from the crate's root, when it names something of this crate.
fn resolve(path: &[String], here: &ModPath) -> Option<ModPath> {
    let first = path.first()?;
    // A file named `mod.rs`, `lib.rs` or `main.rs` is its folder's module; `super` of
    // any other file is its folder.
    let mut base: ModPath = match first.as_str() {
        "crate" => Vec::new(),
        "self" => here.clone(),
        "super" => {
            let mut base = here.clone();
            base.pop();
            base
        }
        // A path relative to this module (`use child::Thing`), or an outside crate's:
        // the latter resolves to no module of this crate but this one, which is no edge.
        _ => {
            let mut base = here.clone();
            base.extend(path.iter().cloned());
            return Some(base);
        }
    };
    let mut rest = &path[1..];
    while rest.first().is_some_and(|s| s == "super") {
        base.pop();
        rest = &rest[1..];
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The module that defines what `path` names: the longest prefix that is a module,
/// following the re-exports of the module it lands on.
fn defining_module(modules: &BTreeMap<ModPath, Module>, path: &ModPath) -> Option<ModPath> {
    let mut path = path.clone();
    for _ in 0..16 {
        let (module, next) = (0..=path.len())
            .rev()
            .find(|n| modules.contains_key(&path[..*n]))
            .map(|n| (path[..n].to_vec(), path.get(n).cloned()))?;
        match next.and_then(|name| modules[&module].reexports.get(&name).cloned()) {
            Some(target) if target != path => {
                let rest = path[module.len() + 1..].to_vec();
                path = target;
                path.extend(rest);
            }
            _ => return Some(module),
        }
    }
    None
}

/// What each file of the crate whose root is `src` imports: files under `src`, by path.
fn imports(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = read_crate(src);
    let file = |module: &ModPath| {
        modules[module]
            .file
            .strip_prefix(src)
            .expect("under src")
            .display()
            .to_string()
    };
    let mut imports = BTreeMap::new();
    for (here, module) in &modules {
        let to: BTreeSet<String> = module
            .paths
            .iter()
            .filter_map(|p| defining_module(&modules, p))
            .filter(|m| m != here && modules.contains_key(m))
            .map(|m| file(&m))
            .collect();
        if std::env::var("IMPORTS_DEBUG").is_ok() {
            for m in &to {
                eprintln!("EDGE {} -> {m}", file(here));
            }
        }
        imports.insert(file(here), to);
    }
    imports
}

/// The cycles (strongly connected groups of two or more files) of `imports`.
fn cycles(imports: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let files: Vec<&String> = imports.keys().collect();
    let index: BTreeMap<&String, usize> = files.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let edges: Vec<BTreeSet<usize>> = files
        .iter()
        .map(|f| {
            imports[*f]
                .iter()
                .filter_map(|to| index.get(to).copied())
                .collect()
        })
        .collect();
    strongly_connected(&edges)
        .into_iter()
        .filter(|group| group.len() > 1)
        .map(|group| group.into_iter().map(|i| files[i].clone()).collect())
        .collect()
}

/// Tarjan's algorithm, iteratively.
fn strongly_connected(edges: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut groups, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, Vec<usize>)> = vec![(root, Vec::new())];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        work.last_mut().expect("root").1 = edges[root].iter().copied().collect();
        while let Some((node, pending)) = work.last_mut() {
            let node = *node;
            if let Some(to) = pending.pop() {
                if index[to] == usize::MAX {
                    index[to] = next;
                    low[to] = next;
                    next += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    work.push((to, edges[to].iter().copied().collect()));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            work.pop();
            if let Some((parent, _)) = work.last() {
                low[*parent] = low[*parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut group = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    group.push(member);
                    if member == node {
                        break;
                    }
                }
                groups.push(group);
            }
        }
    }
    groups
}

/// SeaORM's `Related` pairs: entities that name each other, as the ORM requires.
fn between_entities(group: &BTreeSet<String>) -> bool {
    group.iter().all(|file| file.starts_with("entities/"))
}

#[test]
fn the_domain_crate_has_no_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found: Vec<_> = cycles(&imports(&root.join("crates/domain/src")))
        .into_iter()
        .filter(|group| !between_entities(group))
        .collect();
    assert!(found.is_empty(), "import cycles: {found:#?}");
}

#[test]
fn the_checker_follows_re_exports_and_finds_a_cycle() {
    let dir = tempfile::tempdir().expect("a folder");
    let src = dir.path();
    let write = |file: &str, text: &str| std::fs::write(src.join(file), text).expect(file);
    std::fs::create_dir(src.join("a")).expect("a/");
    write("lib.rs", "pub mod a;\npub mod b;\npub mod d;\n");
    write("a/mod.rs", "pub mod c;\npub use c::Thing;\n");
    write(
        "a/c.rs",
        "/// Only in a comment: crate::d::Unrelated\npub struct Thing(super::super::b::Other);",
    );
    write("b.rs", "use crate::{a::Thing, d};\npub struct Other;\n");
    write("d.rs", "pub struct Unrelated(\"crate::a::Thing\");\n");
    // b -> a (re-exporting c's Thing) is b -> c, and c -> b: one cycle, of c and b.
    let found = cycles(&imports(src));
    assert_eq!(
        found,
        vec![BTreeSet::from(["a/c.rs".to_string(), "b.rs".to_string()])]
    );
}

/// Files of the API crate that import each other because their object types name each
/// other, as the schema's graph does: the GraphQL side of SeaORM's `Related` pairs, and
/// the only mutual imports allowed. Helpers never justify one (they go where no object
/// type is, e.g. `graphql/books/writes.rs`).
const RELATED_OBJECT_TYPES: &[(&str, &str)] = &[
    // Transaction.creditCard and .statement name CreditCard and CreditCardStatement;
    // CreditCardStatement.transactions names Transaction.
    ("graphql/books/cards.rs", "graphql/books/transactions.rs"),
    // Transaction.transfer names Transfer; Transfer.outgoing and .incoming name Transaction.
    (
        "graphql/books/transactions.rs",
        "graphql/books/transfers.rs",
    ),
];

/// Without the imports between the pairs of [`RELATED_OBJECT_TYPES`] (each still there:
/// a pair that no longer imports both ways comes off the list), no cycle is left.
#[test]
fn the_api_crate_has_no_import_cycle_but_between_related_object_types() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut imports = imports(&root.join("src"));
    for (a, b) in RELATED_OBJECT_TYPES {
        for (from, to) in [(a, b), (b, a)] {
            let removed = imports
                .get_mut(*from)
                .is_some_and(|to_files| to_files.remove(*to));
            assert!(
                removed,
                "{from} does not import {to}: take ({a}, {b}) off RELATED_OBJECT_TYPES"
            );
        }
    }
    let found = cycles(&imports);
    assert!(found.is_empty(), "import cycles: {found:#?}");
}
