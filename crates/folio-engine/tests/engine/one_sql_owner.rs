//! The engine owns the database: every table, every query, every migration. Another
//! crate that wrote SQL of its own would bypass the migrations and break a person's
//! data folder at the next schema change, so this fails the build's tests when SQL, the
//! raw connection or the SQLite library appears anywhere outside folio-engine.

use std::path::{Path, PathBuf};

const SQL_WORDS: &[&str] = &[
    "rusqlite",
    ".conn()",
    "execute_batch",
    "INSERT INTO ",
    "DELETE FROM ",
    "CREATE TABLE",
    "CREATE VIRTUAL",
    "SELECT ",
];

fn rust_and_manifests(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(name.as_str(), "target" | "node_modules" | ".git" | "folio-engine") {
                rust_and_manifests(&path, out);
            }
        } else if name.ends_with(".rs") || name == "Cargo.toml" {
            out.push(path);
        }
    }
}

#[test]
fn no_crate_but_the_engine_speaks_sql() {
    let root = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../..");
    let mut files = Vec::new();
    for top in ["crates", "src-tauri"] {
        rust_and_manifests(&root.join(top), &mut files);
    }
    assert!(files.len() > 50, "the walk found the workspace: {} files", files.len());
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if let Some(word) = SQL_WORDS.iter().find(|w| code.contains(*w)) {
                found.push(format!("{}:{}: {word}", file.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside folio-engine (add a typed function to its store instead):\n{}",
        found.join("\n")
    );
}
