//! The TypeScript the UI sees, generated from these types so nothing is written twice.
//! `ui/src/ipc/bindings.ts` is this function's output; a test fails when it is stale
//! (run `FOLIO_UPDATE_BINDINGS=1 cargo test -p folio-core --test bindings` to refresh).

use crate::*;
use ts_rs::{Config, TS};

macro_rules! declarations {
    ($cfg:expr; $($ty:ty),* $(,)?) => {
        vec![$(format!("export {}", <$ty as TS>::decl($cfg))),*]
    };
}

/// Every type that crosses IPC, as one TypeScript module.
pub fn typescript() -> String {
    let cfg = Config::default();
    let decls = declarations![&cfg;
        AppInfo, ScriptAccess, Settings, Appearance, BackendChoice, AiHubSettings, AiHubProcessing, AiriaSettings, AiriaAuthKind, PiecesSettings, LanguageModelSettings, ModelProvider, SecretName,
        ErrorKind, ErrorPayload, BackendKind,
        ConversationSummary, Conversation, ConversationState, ConversationUpdate, NewConversation,
        CreateOptions, CreatedConversation, ListQuery, SortKey, UploadStatus, UploadFailure,
        Document, DocumentState, DocumentStage, document::PageProgress, DocumentMetadata, DocumentProgress,
        PageKind, PagePassage, PageView, DocumentDetails,
        ConverseRequest, ConverseMode, Answer, AnswerKind, AnswerSentence, Support, Source, BoundingBox, ChatTurn, SourceFact,
        Chatbot, ChatbotEntry, ChatbotFrom, NewChatbot, ChatbotHost, QuerySource, QueryModel, QueryRequest, QueryState, QueryResult, QueryStatus,
        MatchKind, SnippetPart, SearchEverywhereHit, SearchEverywhereResults,
    ];
    let mut out = String::from(
        "// Generated from crates/folio-core by `FOLIO_UPDATE_BINDINGS=1 cargo test -p folio-core --test bindings`.\n// Do not edit: change the Rust types instead.\n\n",
    );
    for decl in decls {
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The body of each crate's bindings test: with `FOLIO_UPDATE_BINDINGS` set, writes
/// `generated` to `file` (under the workspace root); otherwise fails when the committed
/// file differs, naming the command that refreshes it.
pub fn check_committed(file: &str, generated: &str, package: &str) {
    // Read when the test runs (cargo sets it), not baked in when it was compiled: a test
    // binary built in another checkout sharing CARGO_TARGET_DIR must not read that one.
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    let path = std::path::Path::new(&crate_dir).join("../..").join(file);
    if std::env::var_os("FOLIO_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, generated).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: run `FOLIO_UPDATE_BINDINGS=1 cargo test -p {package} --test bindings` and commit it",
        path.display()
    );
}
