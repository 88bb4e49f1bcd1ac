//! `folio local` answers as the app does: `create --wait` returns once the documents'
//! vectors exist (meaning-search), and every later `converse` says which search it used.
//! Real PDFs, the real embedding model, a real data folder.

use std::path::{Path, PathBuf};

#[path = "support/local.rs"]
mod local;
use local::{json, local as folio, provisioned};

/// A corpus PDF, with the embedding model these tests search by.
fn corpus(name: &str) -> PathBuf {
    provisioned("FOLIO_EMBED_MODEL");
    local::corpus(name)
}

fn vectorless_passages(data: &Path) -> i64 {
    let store = folio_engine::store::Store::open(data).unwrap();
    store.passages_without_vectors(None).unwrap()
}

#[test]
fn create_wait_makes_vectors_and_converse_says_it_searched_by_meaning() {
    let data = tempfile::tempdir().unwrap();
    let created = json(
        &folio(data.path())
            .args(["conversations", "create", "--name", "M", "--wait"])
            .arg(corpus("lscape.pdf"))
            .output()
            .unwrap(),
    );
    assert_eq!(created["search"], "keywords+meaning", "{created}");
    assert_eq!(created["conversation"]["state"], "COMPLETE");
    assert_eq!(vectorless_passages(data.path()), 0, "every passage has its vector when create --wait returns");
    let id = created["id"].as_str().unwrap().to_string();

    // A document added later is embedded before add-documents --wait returns, too.
    let added = json(
        &folio(data.path())
            .args(["conversations", "add-documents", &id, "--wait"])
            .arg(corpus("afterpage.pdf"))
            .output()
            .unwrap(),
    );
    assert_eq!(added["search"], "keywords+meaning", "{added}");
    assert_eq!(vectorless_passages(data.path()), 0);

    let answer = json(
        &folio(data.path())
            .args(["conversations", "converse", &id, "--question", "How far is landscape text turned?"])
            .output()
            .unwrap(),
    );
    assert_eq!(answer["search"], "keywords+meaning", "{answer}");
    assert!(answer["answer"].as_str().unwrap().contains("90 degrees"), "{answer}");
}

#[test]
fn keywords_only_says_so_and_why() {
    let data = tempfile::tempdir().unwrap();
    let created = json(
        &folio(data.path())
            .args(["conversations", "create", "--name", "K", "--wait", "--keywords-only"])
            .arg(corpus("lscape.pdf"))
            .output()
            .unwrap(),
    );
    assert_eq!(created["search"], "keywords", "{created}");
    assert!(created["search_note"].as_str().unwrap().contains("--keywords-only"), "{created}");
    assert!(vectorless_passages(data.path()) > 0);
    let id = created["id"].as_str().unwrap().to_string();
    let answer = json(
        &folio(data.path())
            .args(["conversations", "converse", &id, "--question", "rotated through 90 degrees"])
            .output()
            .unwrap(),
    );
    assert_eq!(answer["search"], "keywords", "{answer}");
    assert!(answer["search_note"].as_str().unwrap().contains("keywords only"), "{answer}");

    // Without the embedding model, create --wait cannot make vectors and says why.
    let bare = tempfile::tempdir().unwrap();
    let out = folio(bare.path())
        .env_remove("FOLIO_EMBED_MODEL")
        .args(["conversations", "create", "--name", "B", "--wait"])
        .arg(corpus("lscape.pdf"))
        .output()
        .unwrap();
    let created = json(&out);
    assert_eq!(created["search"], "keywords", "{created}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("keywords only"), "said on stderr too");
}
