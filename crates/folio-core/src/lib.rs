//! Folio's shared domain. Every backend (the local engine, AI Hub, later Airia and
//! Pieces) speaks these types, so the app, the CLI and the loopback server never
//! need to know which one is behind them.
//!
//! The types are modelled on the AI Hub contract (sections 1 and 2) but are
//! backend-neutral: camelCase for the UI, explicit `Unknown` states instead of parse
//! failures, and page/box positions that any backend can fill in.

pub mod answer;
pub mod app;
pub mod asking;
pub mod backend;
pub mod bindings;
pub mod conversation;
pub mod document;
pub mod error;
pub mod export;
pub mod files;
pub mod follow;
pub mod grounded;
pub mod progress;
pub mod query;
pub mod search;
pub mod settings;

pub use answer::{
    Answer, AnswerKind, AnswerSentence, BoundingBox, ChatTurn, ConverseMode, ConverseRequest, Source, Support,
};
pub use app::{AppInfo, ScriptAccess};
pub use asking::{ask_query, QUERY_TIME_LIMIT};
pub use backend::{Backend, BackendKind, TokenSink};
pub use conversation::{
    Conversation, ConversationState, ConversationSummary, ConversationUpdate, CreateOptions, CreatedConversation,
    ListQuery, NewConversation, SortKey, SourceFact, UploadFailure, UploadStatus,
};
pub use document::{
    Document, DocumentDetails, DocumentId, DocumentMetadata, DocumentStage, DocumentState, PageKind, PagePassage,
    PageView,
};
pub use error::{Error, ErrorKind, ErrorPayload, Result};
pub use follow::{follow_until, FollowOptions};
pub use progress::{DocumentProgress, ProgressReporter, ProgressSink};
pub use query::{
    Chatbot, ChatbotEntry, ChatbotFrom, ChatbotHost, NewChatbot, QueryModel, QueryRequest, QueryResult, QuerySource,
    QueryState, QueryStatus,
};
pub use search::{MatchKind, SearchEverywhereHit, SearchEverywhereResults, SnippetPart};
pub use settings::{
    AiHubProcessing, AiHubSettings, AiriaAuthKind, AiriaSettings, Appearance, BackendChoice, LanguageModelSettings,
    ModelProvider, PiecesSettings, SecretName, Settings,
};
