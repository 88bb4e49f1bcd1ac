//! Generation on its own thread, streamed to async code. Dropping the `Streaming` (the
//! caller's future was dropped: the Stop button) sets the cancel flag, and the thread
//! stops at its next step; a closed channel stops it too.

use crate::error::{ModelsError, Result};
use crate::runner::{GenerateOptions, Generation, Message, Runner};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Generation threads alive in this process (tests measure how fast a stop ends them).
pub fn running_generations() -> usize {
    RUNNING.load(Ordering::SeqCst)
}

pub struct Streaming {
    pieces: mpsc::UnboundedReceiver<String>,
    result: Option<oneshot::Receiver<Result<Generation>>>,
    cancel: Arc<AtomicBool>,
}

/// Starts generating `messages` on a new thread.
pub fn spawn(runner: Arc<Runner>, messages: Vec<Message>, options: GenerateOptions) -> Streaming {
    let (tx, pieces) = mpsc::unbounded_channel();
    let (done_tx, result) = oneshot::channel();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    RUNNING.fetch_add(1, Ordering::SeqCst);
    let spawned = std::thread::Builder::new().name("folio-llm".into()).spawn(move || {
        struct Count;
        impl Drop for Count {
            fn drop(&mut self) {
                RUNNING.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let _count = Count;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            runner.generate(&messages, &options, &flag, &mut |piece| tx.send(piece.to_string()).is_ok())
        }))
        .unwrap_or_else(|_| {
            Err(ModelsError::Internal("the built-in model stopped unexpectedly (a bug: please report it)".into()))
        });
        done_tx.send(outcome).ok();
    });
    if let Err(e) = spawned {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        let (done_tx, result) = oneshot::channel();
        done_tx.send(Err(ModelsError::Internal(format!("could not start the built-in model: {e}")))).ok();
        return Streaming { pieces: mpsc::unbounded_channel().1, result: Some(result), cancel };
    }
    Streaming { pieces, result: Some(result), cancel }
}

impl Streaming {
    /// The next piece of text; None once generation ended (then call `finish`).
    pub async fn next(&mut self) -> Option<String> {
        self.pieces.recv().await
    }

    /// Asks the thread to stop at its next step.
    pub fn stop(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// How generation ended (call after `next` returned None).
    pub async fn finish(mut self) -> Result<Generation> {
        let result = self.result.take().expect("finish is called once");
        result.await.unwrap_or_else(|_| {
            Err(ModelsError::Internal("the built-in model's thread ended without an answer".into()))
        })
    }
}

impl Drop for Streaming {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::SeqCst);
    }
}
