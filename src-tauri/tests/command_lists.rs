//! The app's command names are written in four places by hand: the app manifest in
//! build.rs (which makes the `allow-*` permissions), the capability files that grant
//! them to the window, the `generate_handler!` list in lib.rs, and the UI's wrappers in
//! ui/src/ipc/*.ts. A name missing from one of them fails only at run time ("not allowed",
//! "command not found"), so this test reads the four as text and names every gap.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    // Read when the test runs: a binary built in another checkout must read this one.
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The text between `start` and the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str, file: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{file} no longer contains `{start}`")) + start.len();
    let to = text[from..].find(end).unwrap_or_else(|| panic!("{file}: no `{end}` after `{start}`"));
    &text[from..from + to]
}

/// The double-quoted strings of a piece of Rust.
fn quoted(text: &str) -> BTreeSet<String> {
    text.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

/// build.rs: the app manifest's `commands` array.
fn manifest() -> BTreeSet<String> {
    let text = read(&root().join("src-tauri/build.rs"));
    let list = between(&text, "let commands = &[", "];", "src-tauri/build.rs");
    quoted(list)
}

/// src-tauri/capabilities/*: every `allow-<command>` permission granted (plugin and core
/// permissions, which contain a colon, are not the app's commands).
fn capabilities() -> BTreeSet<String> {
    let dir = root().join("src-tauri/capabilities");
    let mut granted = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        assert_eq!(
            path.extension().and_then(|e| e.to_str()),
            Some("json"),
            "{}: this test reads JSON capability files only; teach it the new format",
            path.display()
        );
        let capability: serde_json::Value =
            serde_json::from_str(&read(&path)).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        let permissions = capability["permissions"].as_array().cloned().unwrap_or_default();
        for permission in permissions {
            // A permission is a name, or an object naming it in `identifier`.
            let name = permission.as_str().or_else(|| permission["identifier"].as_str()).unwrap_or_default();
            if let Some(command) = name.strip_prefix("allow-").filter(|_| !name.contains(':')) {
                granted.insert(command.replace('-', "_"));
            }
        }
    }
    granted
}

/// lib.rs: the `generate_handler!` list, by the last segment of each path.
fn handlers() -> BTreeSet<String> {
    let text = read(&root().join("src-tauri/src/lib.rs"));
    let list = between(&text, "generate_handler![", "]", "src-tauri/src/lib.rs");
    list.split(',')
        .map(|path| path.rsplit("::").next().unwrap_or_default().trim().to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// ui/src/ipc/*.ts (tests aside): the literal first argument of every `call(…)` (the one
/// wrapper around Tauri's invoke) or `invoke(…)`, generic arguments allowed.
fn ui_wrappers() -> BTreeSet<String> {
    let dir = root().join("ui/src/ipc");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if file.ends_with(".ts") && !file.ends_with(".test.ts") {
            names.extend(invoked(&read(&path)).into_iter().filter(|n| !n.contains(':') && !n.contains('|')));
        }
    }
    names
}

fn invoked(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for word in ["call", "invoke"] {
        for (at, _) in source.match_indices(word) {
            let before = source[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '$') {
                continue;
            }
            let mut rest = source[at + word.len()..].trim_start();
            if rest.starts_with('<') {
                // Skip the type arguments, which may nest.
                let mut depth = 0;
                let Some(end) = rest.char_indices().find_map(|(i, c)| {
                    depth += match c {
                        '<' => 1,
                        '>' => -1,
                        _ => 0,
                    };
                    (depth == 0).then_some(i)
                }) else {
                    continue;
                };
                rest = rest[end + 1..].trim_start();
            }
            let Some(args) = rest.strip_prefix('(').map(str::trim_start) else { continue };
            let Some(quote) = args.chars().next().filter(|c| matches!(c, '\'' | '"' | '`')) else { continue };
            if let Some((name, _)) = args[1..].split_once(quote) {
                names.push(name.to_string());
            }
        }
    }
    names
}

#[test]
fn the_four_command_lists_name_the_same_commands() {
    let lists: [(&str, BTreeSet<String>); 4] = [
        ("the app manifest (src-tauri/build.rs)", manifest()),
        ("the capabilities (src-tauri/capabilities/*.json, as allow-<name>)", capabilities()),
        ("the handler list (generate_handler! in src-tauri/src/lib.rs)", handlers()),
        ("the UI wrappers (call('<name>') in ui/src/ipc/*.ts)", ui_wrappers()),
    ];
    for (list, names) in &lists {
        assert!(names.len() >= 10, "read only {} commands from {list}: has its shape changed? {names:?}", names.len());
    }
    let every: BTreeSet<&String> = lists.iter().flat_map(|(_, names)| names).collect();
    let mut gaps: BTreeMap<&String, Vec<&str>> = BTreeMap::new();
    for name in every {
        for (list, names) in &lists {
            if !names.contains(name) {
                gaps.entry(name).or_default().push(list);
            }
        }
    }
    let report: Vec<String> =
        gaps.iter().map(|(name, lists)| format!("  `{name}` is missing from {}", lists.join(", "))).collect();
    assert!(
        report.is_empty(),
        "the four lists of Tauri commands disagree; add each name where it is missing (or remove it everywhere):\n{}",
        report.join("\n")
    );
}

#[test]
fn the_ui_scanner_finds_calls_with_type_arguments_across_lines() {
    let source = "import { call } from './invoke';\n\
                  export const a = () => call<Map<string, number[]>>(\n  'list_models');\n\
                  export const b = (x: string) => call(\"use_model\", { x });\n\
                  const recall = () => other.call('not_this');";
    assert_eq!(invoked(source), ["list_models", "use_model"]);
}
