//! `folio bench llm [MODEL.gguf]`: the built-in model's speed on this machine: prompt
//! and generation tokens per second for a 512-token prompt, with the thread count chosen
//! from the current load, against one thread measured in the same run.
//! Build with --release: debug figures mean nothing.

use clap::Args;
use folio_models::{GenerateOptions, LoadOptions, Runner};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

#[derive(Args)]
pub struct LlmBenchArgs {
    /// The GGUF model (default: FOLIO_BENCH_GGUF, else the active model of `folio models`)
    model: Option<PathBuf>,
    /// Prompt length in tokens
    #[arg(long, default_value_t = 512)]
    prompt_tokens: usize,
    /// Tokens to generate (greedy, past any end-of-turn token)
    #[arg(long, default_value_t = 128)]
    generate: usize,
    /// Runs per setting (the best is reported)
    #[arg(long, default_value_t = 2)]
    runs: usize,
}

const TEXT: &str = "Folio reads the documents you drop on it, splits them into passages and answers \
questions with the page each answer comes from. The engine keeps everything on this computer: \
the text of every page, the passages, their vectors and the chat history live in one database. ";

pub async fn run(args: LlmBenchArgs) -> anyhow::Result<()> {
    let path = match args.model.clone().or_else(|| std::env::var_os("FOLIO_BENCH_GGUF").map(PathBuf::from)) {
        Some(p) => p,
        None => crate::models::manager(None)?
            .active()
            .map_err(folio_core::Error::from)?
            .map(|m| m.path)
            .ok_or_else(|| folio_core::Error::InvalidInput("give a MODEL.gguf, set FOLIO_BENCH_GGUF (scripts/setup.d/50-models.sh) or install a model with `folio models pull`".into()))?,
    };
    tokio::task::spawn_blocking(move || bench(&path, &args)).await?
}

fn bench(path: &std::path::Path, args: &LlmBenchArgs) -> anyhow::Result<()> {
    let load_started = std::time::Instant::now();
    let runner = Runner::load(
        path,
        &LoadOptions { context: (args.prompt_tokens + args.generate + 64) as u32, memory_limit: None },
    )
    .map_err(folio_core::Error::from)?;
    let load_seconds = load_started.elapsed().as_secs_f64();
    // A prompt of the asked length in this model's tokens.
    let mut prompt = String::new();
    'fill: while runner.count_tokens(&prompt) < args.prompt_tokens {
        for word in TEXT.split_inclusive(' ') {
            prompt.push_str(word);
            if runner.count_tokens(&prompt) >= args.prompt_tokens {
                break 'fill;
            }
        }
    }
    let chosen = folio_models::system::threads_now();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let never = AtomicBool::new(false);
    let measure = |threads: usize| -> anyhow::Result<(f64, f64, usize, usize)> {
        let options = GenerateOptions {
            max_tokens: args.generate,
            threads: Some(threads),
            ignore_end: true,
            ..Default::default()
        };
        // Warm-up: page the weights in, let the CPU clock settle.
        runner
            .generate_raw("Folio", &GenerateOptions { max_tokens: 4, ..options.clone() }, &never, &mut |_| true)
            .map_err(folio_core::Error::from)?;
        let (mut best_p, mut best_g, mut pt, mut gt) = (0.0f64, 0.0f64, 0, 0);
        for _ in 0..args.runs.max(1) {
            let g = runner.generate_raw(&prompt, &options, &never, &mut |_| true).map_err(folio_core::Error::from)?;
            best_p = best_p.max(g.prompt_tokens_per_second());
            best_g = best_g.max(g.generated_tokens_per_second());
            pt = g.prompt_tokens;
            gt = g.generated_tokens;
        }
        Ok((best_p, best_g, pt, gt))
    };
    let mut rows = Vec::new();
    let mut settings = vec![chosen];
    if chosen != 1 {
        settings.push(1);
    }
    if chosen != cores && cores != 1 {
        settings.push(cores);
    }
    for threads in settings {
        let (p, g, pt, gt) = measure(threads)?;
        let label = if threads == chosen {
            "chosen from load"
        } else if threads == 1 {
            "reference"
        } else {
            "all cores"
        };
        eprintln!("{threads} thread(s) ({label}): prompt {p:.0} tokens/s ({pt} tokens), generation {g:.1} tokens/s ({gt} tokens)");
        rows.push(serde_json::json!({"threads": threads, "setting": label, "prompt_tokens": pt, "prompt_tokens_per_second": p, "generated_tokens": gt, "generated_tokens_per_second": g}));
    }
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({
            "model": path, "name": runner.name(), "load_seconds": load_seconds, "cores": cores,
            "threads_chosen": chosen, "loadavg": loadavg.trim(), "runs": rows,
        }))?
    );
    Ok(())
}
