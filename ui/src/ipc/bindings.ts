// Generated from crates/folio-core by `FOLIO_UPDATE_BINDINGS=1 cargo test -p folio-core --test bindings`.
// Do not edit: change the Rust types instead.

export type AppInfo = { name: string, version: string, identifier: string, 
/**
 * Where Folio keeps its data on this machine.
 */
dataDir: string, os: string, };

export type ScriptAccess = { apiRoot: string, token: string, };

export type Settings = { activeBackend: BackendChoice, aihub: AiHubSettings, languageModel: LanguageModelSettings, airia: AiriaSettings, pieces: PiecesSettings, appearance: Appearance, 
/**
 * The person said "no thanks" to the built-in model the chat offers after a quoted
 * answer: the offer is not shown again (Settings still lists the models).
 */
modelOfferDismissed: boolean, };

export type Appearance = "system" | "light" | "dark";

export type BackendChoice = "local" | "aiHub" | "airia" | "pieces";

export type AiHubSettings = { apiRoot: string, 
/**
 * Sent as `IB-Context` when set: a user id or an org id.
 */
ibContext: string | null, org: string | null, workspace: string | null, 
/**
 * How AI Hub processes the files of every new conversation (Settings' "Advanced").
 */
processing: AiHubProcessing, };

export type AiHubProcessing = { objectDetection: boolean, 
/**
 * Signatures and barcodes.
 */
entityDetection: boolean, 
/**
 * One JPEG per page.
 */
convertedImages: boolean, thumbnails: boolean, 
/**
 * Skips some digitization; needs entity detection, converted images and thumbnails off.
 */
fastMode: boolean, 
/**
 * Non-Latin languages.
 */
multilanguage: boolean, 
/**
 * Needs `multilanguage` as well.
 */
multilanguageAdvanced: boolean, };

export type AiriaSettings = { 
/**
 * Keeps its trailing slash: Airia's SDK joins paths onto it.
 */
baseUrl: string, auth: AiriaAuthKind, 
/**
 * The Airia user the conversations belong to.
 */
userId: string | null, 
/**
 * The pipeline (agent) that answers.
 */
pipelineId: string | null, deploymentId: string | null, };

export type AiriaAuthKind = "apiKey" | "bearer";

export type PiecesSettings = { address: string | null, 
/**
 * A model id or name; blank: the one Pieces' own wrapper would choose.
 */
model: string | null, };

export type LanguageModelSettings = { provider: ModelProvider, endpoint: string | null, model: string | null, };

export type ModelProvider = "automatic" | "none" | "ollama" | "openAi" | "builtin";

export type SecretName = "aihubToken" | "openAiKey" | "airiaKey";

export type ErrorKind = "auth" | "not_found" | "invalid_input" | "limit_exceeded" | "rate_limited" | "unavailable" | "timeout" | "unsupported" | "cancelled" | "internal";

export type ErrorPayload = { kind: ErrorKind, message: string, };

export type BackendKind = "local" | "aiHub" | "airia" | "pieces";

export type ConversationSummary = { id: string, name: string, description: string | null, createdAt: string | null, updatedAt: string | null, };

export type Conversation = { id: string, name: string, description: string | null, state: ConversationState, documents: Array<Document>, createdAt: string | null, updatedAt: string | null, };

export type ConversationState = "running" | "complete" | "failed" | { "unknown": string };

export type ConversationUpdate = { name: string | null, description: string | null, };

export type NewConversation = { name: string, description: string | null, files: Array<string>, options: CreateOptions, };

export type CreateOptions = { org: string | null, workspace: string | null, enableObjectDetection: boolean | null, enableEntityDetection: boolean | null, writeConvertedImage: boolean | null, writeThumbnail: boolean | null, fastMode: boolean | null, enableMultilanguageSupport: boolean | null, enableMultilanguageAdvancedMode: boolean | null, };

export type CreatedConversation = { id: string, name: string, upload: UploadStatus, };

export type ListQuery = { sortKey: SortKey | null, ascending: boolean | null, search: string | null, };

export type SortKey = "createdAt" | "updatedAt";

export type UploadStatus = { succeeded: Array<string>, failed: Array<UploadFailure>, };

export type UploadFailure = { name: string, reason: string | null, };

export type Document = { id: number, name: string, state: DocumentState, stage: DocumentStage, progress: PageProgress | null, 
/**
 * Why processing failed, in words a person can act on.
 */
failureReason: string | null, uploadedAt: string | null, };

export type DocumentState = "processing" | "processed" | "failed" | { "unknown": string };

export type DocumentStage = "waiting" | "reading" | "recognisingText" | "indexing" | "embedding" | "ready" | "failed" | "cancelled";

export type PageProgress = { done: number, total: number | null, };

export type DocumentMetadata = { id: number, name: string, pageCount: number | null, 
/**
 * AI Hub's `ibdoc_path`; the local engine's stored copy.
 */
digitizedPath: string | null, 
/**
 * AI Hub's list: one entry per page, each with its `layout` (seed 001).
 */
metadata: Array<unknown>, 
/**
 * Facts about the whole document that AI Hub's shape has no place for (the local
 * engine's kind, stage, size, OCR and passages); None from AI Hub itself.
 */
document: unknown, };

export type DocumentProgress = { conversationId: string, documentId: number, name: string, stage: DocumentStage, progress: PageProgress | null, failureReason: string | null, };

export type PageKind = "pdf" | "image" | "text";

export type PagePassage = { passageId: number, 
/**
 * Unicode scalar offsets into `PageView::text`, as citations and search give them.
 */
charStart: number, charEnd: number, 
/**
 * The same range in UTF-16 code units, as JavaScript indexes strings.
 */
utf16Start: number, utf16End: number, 
/**
 * Line boxes in page units (see `PageView::width`); empty for text formats.
 */
boxes: Array<BoundingBox>, };

export type PageView = { documentId: number, 
/**
 * 1-based.
 */
page: number, pageCount: number, 
/**
 * How to name the page where it has no number ("slide 3", "paragraphs 1-40").
 */
label: string | null, kind: PageKind, 
/**
 * Page size in the units of the passage boxes, top-left origin: PDF points for
 * PDF pages (OCR'd ones too), pixels for image pages; 0 for text formats.
 */
width: number, height: number, text: string, passages: Array<PagePassage>, 
/**
 * Tesseract's mean word confidence (0-100) when the page was recognised by OCR.
 */
ocrConfidence: number | null, };

export type DocumentDetails = { id: number, name: string, 
/**
 * What the content turned out to be: "pdf", "docx", "png", ... (None until read).
 */
kind: string | null, stage: DocumentStage, pageCount: number | null, sizeBytes: number, ocrUsed: boolean, ocrPages: number, ocrMeanConfidence: number | null, passages: number, embeddedPassages: number, 
/**
 * Size of the first page in its units (points or pixels), where pages have one.
 */
pageWidth: number | null, pageHeight: number | null, failureReason: string | null, uploadedAt: string | null, };

export type ConverseRequest = { question: string, 
/**
 * The documents to ask; empty means every document of the conversation.
 */
documentIds: Array<number>, mode: ConverseMode, fastMode: boolean, };

export type ConverseMode = "default" | "advanced";

export type Answer = { promptId: string, text: string, sources: Array<Source>, kind: AnswerKind, 
/**
 * Every claim of `text` with its proof or a "not found" mark; empty from backends
 * and answers recorded before Folio checked sentences.
 */
sentences: Array<AnswerSentence>, };

export type AnswerKind = "generated" | "quoted";

export type AnswerSentence = { 
/**
 * Byte range of the sentence in `Answer::text`.
 */
start: number, end: number, 
/**
 * The sentence itself (the range's text), so a reader need not count bytes.
 */
text: string, 
/**
 * Index into `Answer::sources` of the passage that supports it.
 */
source: number | null, support: Support, 
/**
 * The sentence of the document that supports it, word for word.
 */
evidence: string | null, 
/**
 * Where that supporting sentence is on the page (a strong highlight inside the
 * source's passage boxes); empty when only the passage's place is known.
 */
boxes: Array<BoundingBox>, };

export type Support = "supported" | "notFound";

export type Source = { documentId: number | null, documentName: string, 
/**
 * 1-based page number; None when the backend gave document names only.
 */
page: number | null, 
/**
 * How the page is named to a person: "p. 58", "slide 3", "lines 41-80" (formats
 * without pages cite what they have). None: say "p. {page}".
 */
pageLabel: string | null, 
/**
 * The passage text, when the backend returns it.
 */
passage: string | null, boxes: Array<BoundingBox>, };

export type BoundingBox = { topX: number, topY: number, bottomX: number, bottomY: number, };

export type ChatTurn = { question: string, answer: Answer, askedAt: string | null, };

export type SourceFact = { label: string, value: string, };

export type Chatbot = { id: string, name: string, description: string | null, };

export type ChatbotEntry = { chatbot: Chatbot, conversationId: string, 
/**
 * True when the chatbot was made from files and its documents go with it.
 */
ownsDocuments: boolean, };

export type ChatbotFrom = { "type": "files", "value": Array<string> } | { "type": "folder", "value": string } | { "type": "conversation", "value": string };

export type NewChatbot = { name: string, description: string | null, from: ChatbotFrom, };

export type ChatbotHost = "local" | "aiHub";

export type QuerySource = { "type": "chatbot", "id": string } | { "type": "conversation", "id": string };

export type QueryModel = "multistep" | "multistep-lite";

export type QueryRequest = { query: string, source: QuerySource, 
/**
 * None lets the backend choose (AI Hub's SDK default is multistep-lite).
 */
model: QueryModel | null, includeSourceInfo: boolean, };

export type QueryState = "running" | "complete" | "failed" | { "unknown": string };

export type QueryResult = { response: string, sources: Array<Source>, };

export type QueryStatus = { queryId: string, state: QueryState, results: Array<QueryResult>, 
/**
 * The failure message, when the query failed.
 */
error: string | null, };

export type MatchKind = "keywords" | "meaning" | "both";

export type SnippetPart = { text: string, matched: boolean, };

export type SearchEverywhereHit = { conversationId: string, conversationName: string, documentId: number, documentName: string, 
/**
 * 1-based page (slide, sheet or section for formats without pages).
 */
page: number, 
/**
 * How the page is named to a person ("slide 3"); None: "p. {page}".
 */
pageLabel: string | null, 
/**
 * Unicode scalar offsets of the passage in its page's text, as citations give them.
 */
charStart: number, charEnd: number, 
/**
 * The whole passage: the viewer finds and highlights it on the page.
 */
passage: string, 
/**
 * A short stretch of the passage around the words searched for.
 */
snippet: Array<SnippetPart>, 
/**
 * Line boxes in page units; empty for text formats.
 */
boxes: Array<BoundingBox>, matched: MatchKind, 
/**
 * Fused rank score, higher is better; only the order means anything.
 */
score: number, };

export type SearchEverywhereResults = { query: string, hits: Array<SearchEverywhereHit>, 
/**
 * Why meaning did not take part (or took part only partly), in words for a person;
 * None when keywords and meaning both searched everything.
 */
keywordsOnly: string | null, };
