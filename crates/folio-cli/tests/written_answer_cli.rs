//! `folio local ... converse --provider builtin` with real weights (SmolLM2-135M-Instruct,
//! scripts/setup.d/50-models.sh): whatever the small model writes, every sentence the
//! command prints is cited (a supporting sentence of a source) or marked not found, and
//! an answer Folio cannot check falls back to quotes after one sentence saying why.

#[path = "support/local.rs"]
mod local;
use local::{json, local as folio, provisioned};

#[test]
fn every_printed_sentence_of_a_smollm2_answer_is_cited_or_marked() {
    let corpus = provisioned("FOLIO_TEST_CORPUS");
    let model = provisioned("FOLIO_SMOLLM2_GGUF");
    provisioned("FOLIO_PDFIUM");
    let data = tempfile::tempdir().unwrap();
    let created = json(
        &folio(data.path())
            .args(["conversations", "create", "--name", "LaTeX", "--wait"])
            .arg(corpus.join("lscape.pdf"))
            .arg(corpus.join("afterpage.pdf"))
            .output()
            .unwrap(),
    );
    let id = created["id"].as_str().unwrap().to_string();
    for question in ["How far is text in landscape mode turned?", "Does afterpage work in two column mode?"] {
        let answer = json(
            &folio(data.path())
                .args(["conversations", "converse", &id, "--provider", "builtin", "--model-file"])
                .arg(&model)
                .args(["--question", question])
                .output()
                .unwrap(),
        );
        eprintln!("{question}\n{}\n", answer["answer"].as_str().unwrap());
        let text = answer["answer"].as_str().unwrap();
        let sentences = answer["sentences"].as_array().unwrap();
        assert!(!sentences.is_empty(), "{answer}");
        for s in sentences {
            assert!(text.contains(s["text"].as_str().unwrap()), "{s} not in {text}");
            match s["support"].as_str().unwrap() {
                "supported" => {
                    let source = &answer["sources"][s["source"].as_u64().unwrap() as usize];
                    assert!(source["page_number"].as_u64().is_some(), "{answer}");
                    assert!(s["evidence"].as_str().is_some_and(|e| !e.is_empty()), "{s}");
                }
                "not_found" => assert!(s["source"].is_null(), "{s}"),
                other => panic!("unknown support {other}"),
            }
        }
        if answer["kind"] == "quoted" {
            assert!(text.starts_with("The built-in model"), "a fallback says why first: {text}");
            assert!(sentences.iter().all(|s| s["support"] == "supported"), "{answer}");
        } else {
            assert_eq!(answer["kind"], "generated");
            assert!(
                sentences.iter().all(|s| s["support"] == "supported"),
                "a shown written answer is proved: {answer}"
            );
        }
    }
}
