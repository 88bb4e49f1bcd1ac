//! The GGUF runner: llama.cpp in this process. Loads a model (after checking it fits in
//! memory), writes the prompt with the chat template the model declares, streams tokens
//! and stops between two steps when asked.

use crate::error::{ModelsError, Result};
use crate::system::{self, human_bytes};
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::model::{LlamaChatMessage, LlamaChatTemplate, LlamaModel};
use llama_cpp_2::sampling::LlamaSampler;
use std::io::Read;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// llama.cpp's backend may be initialised once per process and lives until exit.
fn backend() -> Result<&'static LlamaBackend> {
    static BACKEND: OnceLock<std::result::Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            let mut b = LlamaBackend::init().map_err(|e| e.to_string())?;
            // llama.cpp prints pages of tensor details to stderr; Folio's own messages say
            // what matters. FOLIO_LLAMA_LOG=1 keeps them for debugging.
            if std::env::var_os("FOLIO_LLAMA_LOG").is_none() {
                b.void_logs();
            }
            Ok(b)
        })
        .as_ref()
        .map_err(|e| ModelsError::Internal(format!("the built-in model's engine could not start: {e}")))
}

/// How a model is loaded.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Tokens of context (prompt + answer); capped at what the model was trained for.
    /// 8k: ten passages of a PDF plus the answer fit with room to spare.
    pub context: u32,
    /// Free memory to plan against; None reads it from the system. Tests set a small one.
    pub memory_limit: Option<u64>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions { context: 8192, memory_limit: None }
    }
}

/// How one answer is generated.
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub max_tokens: usize,
    /// 0 = greedy (the same prompt gives the same answer).
    pub temperature: f32,
    pub seed: u32,
    /// None: chosen from the current load (`system::threads_now`).
    pub threads: Option<usize>,
    /// Keep going past the end-of-turn token (the benchmark wants exactly `max_tokens`).
    pub ignore_end: bool,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions { max_tokens: 512, temperature: 0.0, seed: 8, threads: None, ignore_end: false }
    }
}

/// One message of the chat, in the roles chat templates know (system, user, assistant).
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub role: String,
    pub content: String,
}

impl Message {
    pub fn new(role: impl Into<String>, content: impl Into<String>) -> Self {
        Message { role: role.into(), content: content.into() }
    }
}

/// Why generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The model said it was done (end-of-turn token).
    Done,
    /// `max_tokens` or the context was reached.
    Length,
    /// The caller stopped it.
    Stopped,
}

/// The answer and how long it took.
#[derive(Debug, Clone)]
pub struct Generation {
    pub text: String,
    pub finish: Finish,
    pub prompt_tokens: usize,
    pub generated_tokens: usize,
    pub prompt_time: Duration,
    pub generate_time: Duration,
    pub threads: usize,
}

impl Generation {
    pub fn prompt_tokens_per_second(&self) -> f64 {
        self.prompt_tokens as f64 / self.prompt_time.as_secs_f64().max(1e-9)
    }
    pub fn generated_tokens_per_second(&self) -> f64 {
        self.generated_tokens as f64 / self.generate_time.as_secs_f64().max(1e-9)
    }
}

/// A loaded model. Cheap to share (`Arc`); each generation makes its own context.
pub struct Runner {
    model: LlamaModel,
    path: PathBuf,
    name: String,
    context: u32,
    /// What `shared` was asked for, to tell whether a cached runner matches.
    options: (u32, Option<u64>),
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner").field("path", &self.path).field("context", &self.context).finish()
    }
}

impl Runner {
    /// Loads `path`, refusing with the reason when it is not a GGUF model, is damaged, or
    /// will not fit in free memory (weights + the context's key/value cache + working space).
    pub fn load(path: &Path, options: &LoadOptions) -> Result<Runner> {
        let shown = path.display();
        let size = std::fs::metadata(path)
            .map_err(|e| ModelsError::NotFound(format!("the model file {shown} cannot be read: {e}")))?
            .len();
        let mut magic = [0u8; 4];
        std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut magic))
            .map_err(|_| ModelsError::BadModel(format!("{shown} is not a GGUF model file (it is too short)")))?;
        if &magic != b"GGUF" {
            return Err(ModelsError::BadModel(format!(
                "{shown} is not a GGUF model file (Folio's built-in model reads .gguf files, like those LM Studio and Ollama use)"
            )));
        }
        // First check with the weights alone, before llama.cpp reads a byte of them.
        let free = options.memory_limit.or_else(system::memory_available);
        check_fits(path, size, 0, free)?;

        let params = LlamaModelParams::default();
        let model = LlamaModel::load_from_file(backend()?, path, &params).map_err(|e| {
            ModelsError::BadModel(format!(
                "{shown} could not be loaded: the file is damaged, incomplete, or a kind of model this version of Folio does not know ({e})"
            ))
        })?;
        let context = options.context.min(model.n_ctx_train().max(256));
        check_fits(path, size, kv_cache_bytes(&model, context), free)?;

        let name = model
            .meta_val_str("general.name")
            .ok()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default());
        Ok(Runner { model, path: path.to_path_buf(), name, context, options: (options.context, options.memory_limit) })
    }

    /// The model a process keeps loaded: loading takes seconds for a real model, so the
    /// next answer reuses it. A different path (or limit) replaces it.
    pub fn shared(path: &Path, options: &LoadOptions) -> Result<Arc<Runner>> {
        static LOADED: Mutex<Option<Arc<Runner>>> = Mutex::new(None);
        let mut loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(r) = loaded.as_ref() {
            if r.path == path && r.options == (options.context, options.memory_limit) {
                return Ok(r.clone());
            }
        }
        // Free the old one first: two models at once is what runs a laptop out of memory.
        *loaded = None;
        let runner = Arc::new(Runner::load(path, options)?);
        *loaded = Some(runner.clone());
        Ok(runner)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The model's own name (GGUF `general.name`), else the file name.
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn context(&self) -> u32 {
        self.context
    }

    /// The prompt for `messages` in the chat template the model declares (GGUF
    /// `tokenizer.chat_template`, matched by llama.cpp to its built-in templates), ending
    /// with the opening of the assistant's turn. A model without one gets ChatML.
    pub fn render(&self, messages: &[Message]) -> Result<String> {
        let chat = messages
            .iter()
            .map(|m| LlamaChatMessage::new(m.role.clone(), m.content.clone()))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|_| ModelsError::InvalidInput("a message contains a NUL character".into()))?;
        let template = match self.model.chat_template(None) {
            Ok(t) => t,
            Err(_) => LlamaChatTemplate::new("chatml").expect("static name"),
        };
        self.model.apply_chat_template(&template, &chat, true).map_err(|e| {
            ModelsError::BadModel(format!(
                "the chat template of {} is not one Folio's built-in runner knows ({e})",
                self.name
            ))
        })
    }

    /// Generates the answer to `messages`, passing each piece of text to `on_piece` as it
    /// is made. Stops between two steps when `cancel` is set or `on_piece` returns false;
    /// the prompt is read in slices of about a quarter of a second so a stop during a long
    /// prompt is prompt too. Blocking: run it on its own thread.
    pub fn generate(
        &self,
        messages: &[Message],
        options: &GenerateOptions,
        cancel: &AtomicBool,
        on_piece: &mut dyn FnMut(&str) -> bool,
    ) -> Result<Generation> {
        let prompt = self.render(messages)?;
        self.generate_raw(&prompt, options, cancel, on_piece)
    }

    /// `generate` from an already rendered prompt (the benchmark's fixed-length prompts).
    pub fn generate_raw(
        &self,
        prompt: &str,
        options: &GenerateOptions,
        cancel: &AtomicBool,
        on_piece: &mut dyn FnMut(&str) -> bool,
    ) -> Result<Generation> {
        let vocab = self.model.vocab();
        let tokens = vocab.tokenize(prompt.as_bytes(), vocab.should_add_bos(), true);
        if tokens.is_empty() {
            return Err(ModelsError::InvalidInput("the prompt is empty".into()));
        }
        let n_ctx = self.context as usize;
        if tokens.len() + 16 > n_ctx {
            return Err(ModelsError::TooLarge(format!(
                "the question and its passages take {} tokens, more than {} can read at once ({n_ctx}); ask about fewer documents or use a model with a longer context",
                tokens.len(),
                self.name
            )));
        }
        let threads = options.threads.unwrap_or_else(system::threads_now).max(1) as i32;
        let batch_size = 512usize;
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(self.context))
            .with_n_batch(batch_size as u32)
            .with_n_ubatch(batch_size as u32)
            .with_n_threads(threads)
            .with_n_threads_batch(threads);
        let mut ctx = self.model.new_context(backend()?, params).map_err(|e| {
            ModelsError::TooLarge(format!(
                "{} could not set up its working memory ({e}); close other programs and try again",
                self.name
            ))
        })?;
        let mut batch = LlamaBatch::new(batch_size, 1);
        let decode_err = |e| ModelsError::Internal(format!("{} failed while reading the prompt: {e}", self.name));

        // The prompt, in slices sized to take ~0.25 s each at the speed measured so far.
        let started = Instant::now();
        let mut slice = 32usize;
        let mut pos = 0usize;
        while pos < tokens.len() {
            if cancel.load(Ordering::Relaxed) {
                return Ok(stopped(String::new(), pos, 0, started.elapsed(), Duration::ZERO, threads));
            }
            let end = (pos + slice).min(tokens.len());
            batch.clear();
            for (i, t) in tokens[pos..end].iter().enumerate() {
                let at = pos + i;
                batch
                    .add(*t, at as i32, &[0], at + 1 == tokens.len())
                    .map_err(|e| ModelsError::Internal(e.to_string()))?;
            }
            let t0 = Instant::now();
            ctx.decode(&mut batch).map_err(decode_err)?;
            let per_token = t0.elapsed().as_secs_f64() / (end - pos) as f64;
            slice = ((0.25 / per_token.max(1e-6)) as usize).clamp(16, batch_size);
            pos = end;
        }
        let prompt_time = started.elapsed();

        let mut sampler = if options.temperature <= 0.0 {
            LlamaSampler::greedy()
        } else {
            LlamaSampler::chain_simple([
                LlamaSampler::top_k(40),
                LlamaSampler::top_p(0.95, 1),
                LlamaSampler::temp(options.temperature),
                LlamaSampler::dist(options.seed),
            ])
        };
        let started = Instant::now();
        let mut text = String::new();
        let mut pending: Vec<u8> = Vec::new();
        let mut generated = 0usize;
        let mut at = tokens.len();
        let budget = options.max_tokens.min(n_ctx - tokens.len());
        let mut finish = Finish::Length;
        let mut logits_index = batch.n_tokens() - 1;
        while generated < budget {
            if cancel.load(Ordering::Relaxed) {
                finish = Finish::Stopped;
                break;
            }
            let token = sampler.sample(&ctx, logits_index);
            if vocab.is_eog(token) && !options.ignore_end {
                finish = Finish::Done;
                break;
            }
            generated += 1;
            pending.extend(vocab.token_to_piece(token, false, None));
            // A character can span two tokens: pass on only whole UTF-8 characters.
            let piece = take_utf8(&mut pending);
            if !piece.is_empty() {
                text.push_str(&piece);
                if !on_piece(&piece) {
                    finish = Finish::Stopped;
                    break;
                }
            }
            batch.clear();
            batch.add(token, at as i32, &[0], true).map_err(|e| ModelsError::Internal(e.to_string()))?;
            at += 1;
            logits_index = 0;
            ctx.decode(&mut batch)
                .map_err(|e| ModelsError::Internal(format!("{} failed while writing: {e}", self.name)))?;
        }
        Ok(Generation {
            text,
            finish,
            prompt_tokens: tokens.len(),
            generated_tokens: generated,
            prompt_time,
            generate_time: started.elapsed(),
            threads: threads as usize,
        })
    }

    /// How many tokens `text` is for this model (the benchmark builds exact-length prompts).
    pub fn count_tokens(&self, text: &str) -> usize {
        self.model.vocab().tokenize(text.as_bytes(), false, true).len()
    }
}

fn stopped(
    text: String,
    prompt_tokens: usize,
    generated: usize,
    prompt_time: Duration,
    generate_time: Duration,
    threads: i32,
) -> Generation {
    Generation {
        text,
        finish: Finish::Stopped,
        prompt_tokens,
        generated_tokens: generated,
        prompt_time,
        generate_time,
        threads: threads as usize,
    }
}

/// Removes and returns the longest valid UTF-8 prefix of `bytes`; an incomplete character
/// at the end waits for the next token, an invalid byte becomes U+FFFD.
fn take_utf8(bytes: &mut Vec<u8>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => {
            let s = s.to_string();
            bytes.clear();
            s
        }
        Err(e) => {
            let valid = e.valid_up_to();
            let mut out = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            match e.error_len() {
                Some(bad) => {
                    out.push('\u{FFFD}');
                    bytes.drain(..valid + bad);
                    out.push_str(&take_utf8(bytes));
                }
                None => {
                    bytes.drain(..valid);
                }
            }
            out
        }
    }
}

/// Key/value cache for `context` tokens (f16), llama.cpp's largest allocation after the weights.
fn kv_cache_bytes(model: &LlamaModel, context: u32) -> u64 {
    let n_head = model.n_head().max(1) as u64;
    let head_dim = model.n_embd() as u64 / n_head;
    let kv_width = head_dim * model.n_head_kv() as u64;
    2 * model.n_layer() as u64 * context as u64 * kv_width * 2
}

/// Weights + cache + working space (a tenth of the weights, at least 64 MB) against `free`.
fn check_fits(path: &Path, file_size: u64, kv: u64, free: Option<u64>) -> Result<()> {
    let Some(free) = free else { return Ok(()) };
    let need = file_size + kv + (file_size / 10).max(64 << 20);
    if need > free {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        return Err(ModelsError::TooLarge(format!(
            "{name} needs about {} of memory and only {} is free: close other programs or choose a smaller model",
            human_bytes(need),
            human_bytes(free)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::take_utf8;

    #[test]
    fn characters_split_across_tokens_wait_for_their_end() {
        let mut b = "é".as_bytes()[..1].to_vec();
        assert_eq!(take_utf8(&mut b), "");
        b.push("é".as_bytes()[1]);
        b.extend(b"x");
        assert_eq!(take_utf8(&mut b), "éx");
        assert!(b.is_empty());
        let mut bad = vec![b'a', 0xff, b'b'];
        assert_eq!(take_utf8(&mut bad), "a\u{FFFD}b");
    }
}
