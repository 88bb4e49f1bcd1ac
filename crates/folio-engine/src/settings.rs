//! The local engine's limits and knobs. They are settings of this engine, not copies of
//! AI Hub's limits: a person with a big machine can raise them.

use std::path::PathBuf;

/// Where documents are read. A parser bug (an allocation of 512 GB, a segfault in a
/// native library, an endless loop) must cost one document, never the process: the app
/// and the `folio` command read in a child process (`Process`), started from their own
/// executable in reader mode (`crate::isolation::enter_reader_mode_or_continue`).
/// `InProcess` is what a library user gets who has no such executable (other crates' tests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ReaderMode {
    #[default]
    InProcess,
    /// The executable to start with FOLIO_READER=1.
    Process(PathBuf),
}

/// Serialisable so the reader child gets the same limits as its parent (the embedding
/// model and the reader mode stay with the parent).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EngineSettings {
    /// Worker threads reading and indexing documents. Default: the number of cores.
    pub workers: usize,
    /// Pages a worker reads of one document before letting a waiting one go first, so a
    /// 2,000-page manual never starves a 1-page note (a turn also lasts at least 4 times
    /// the document's open time, see `pipeline::worker`).
    pub slice_pages: u32,
    /// Largest file accepted at all.
    pub max_file_bytes: u64,
    /// Largest plain-text/HTML/CSV file read (text is held in memory while paged).
    pub max_text_bytes: u64,
    /// Most bytes any one entry of a zip container (DOCX, XLSX, PPTX, ODS) may expand to.
    pub max_unzipped_bytes: u64,
    /// Most pages read from one document.
    pub max_pages: u32,
    /// Most filled cells read from one CSV file or workbook (all sheets together).
    pub max_table_cells: usize,
    /// Largest image (width x height, read from its header before decoding).
    pub max_image_pixels: u64,
    /// Largest rendering of a PDF page for OCR (A3 at 300 dpi is 17 megapixels); a page
    /// with a bigger MediaBox is rendered at a lower resolution.
    pub max_ocr_pixels: u64,
    /// Most pages read from one multi-page TIFF.
    pub max_image_pages: u32,
    /// Largest e-mail file read.
    pub max_mail_bytes: u64,
    /// Most attachments taken from one e-mail (the rest are listed as skipped).
    pub max_mail_attachments: usize,
    /// Most levels of e-mails attached inside e-mails; deeper ones are skipped.
    pub max_mail_depth: usize,
    /// Most documents in one conversation.
    pub max_documents: usize,
    /// Target passage length in characters (~200 tokens, under MiniLM's 256).
    pub passage_chars: usize,
    /// A PDF page whose text layer has fewer visible characters than this goes to OCR.
    pub ocr_min_chars: usize,
    /// Resolution PDF pages are rendered at for OCR.
    pub ocr_dpi: u32,
    /// Where libpdfium is; None looks in FOLIO_PDFIUM, PDFIUM_DYNAMIC_LIB_PATH and next to the executable.
    pub pdfium_path: Option<PathBuf>,
    /// The embedding model and runtime; None: keyword search only. Default: from the
    /// environment (FOLIO_ONNXRUNTIME, FOLIO_EMBED_MODEL, FOLIO_EMBED_VOCAB).
    #[serde(skip)]
    pub embeddings: Option<crate::embed::EmbeddingSettings>,
    /// Start the workers when the engine opens (and resume unfinished documents).
    /// The CLI turns this off for commands that only look.
    pub start_workers: bool,
    /// How long `Engine::shutdown` (and dropping the last handle) waits for the workers
    /// and the embedder to finish the page or batch in hand.
    pub shutdown_wait: std::time::Duration,
    /// Where documents are read. Default: `Process(current executable)` once the
    /// executable has called `isolation::enter_reader_mode_or_continue`, else `InProcess`.
    #[serde(skip)]
    pub reader: ReaderMode,
    /// Most memory a reader child may use (RLIMIT_DATA: heap and private mappings).
    pub reader_memory_bytes: u64,
    /// Most processor time one reader child may use (RLIMIT_CPU); a child reads one turn
    /// before a fresh one takes over, so this is per turn.
    pub reader_cpu_seconds: u64,
    /// A reader child that sends no page (or no answer to opening) for this long is killed.
    pub reader_timeout: std::time::Duration,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            workers: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            slice_pages: 32,
            max_file_bytes: 2 << 30,
            max_text_bytes: 64 << 20,
            max_unzipped_bytes: 256 << 20,
            max_pages: 20_000,
            max_table_cells: 1_000_000,
            max_image_pixels: 50_000_000,
            max_ocr_pixels: 20_000_000,
            max_image_pages: 500,
            max_mail_bytes: 256 << 20,
            max_mail_attachments: 100,
            max_mail_depth: 3,
            max_documents: 10_000,
            passage_chars: 1000,
            ocr_min_chars: 16,
            ocr_dpi: 300,
            pdfium_path: None,
            embeddings: crate::embed::EmbeddingSettings::from_env(),
            start_workers: true,
            shutdown_wait: std::time::Duration::from_secs(30),
            reader: crate::isolation::default_reader(),
            reader_memory_bytes: 3 << 29, // 1.5 GB
            reader_cpu_seconds: 600,
            reader_timeout: std::time::Duration::from_secs(120),
        }
    }
}

impl EngineSettings {
    /// The defaults, with the native parts an app bundle ships in `native/` (libpdfium,
    /// ONNX Runtime and the embedding model) where it has them; a development build finds
    /// them through the variables scripts/setup.sh exports instead.
    pub fn with_native_folder(native: Option<&std::path::Path>) -> EngineSettings {
        use std::env::consts::{DLL_PREFIX, DLL_SUFFIX};
        let mut settings = EngineSettings::default();
        let Some(native) = native else { return settings };
        let pdfium = native.join(format!("{DLL_PREFIX}pdfium{DLL_SUFFIX}"));
        if pdfium.is_file() {
            settings.pdfium_path = Some(pdfium);
        }
        if settings.embeddings.is_none() {
            settings.embeddings = crate::embed::EmbeddingSettings::in_folder(native);
        }
        settings
    }
}
