//! Answers being written right now, so the window's Stop button can end one. Stopping
//! drops the backend's future: the model's stream closes and no more text arrives.

use folio_core::{Error, Result};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use tokio::task::AbortHandle;

#[derive(Default)]
pub struct Answering {
    running: Mutex<HashMap<String, AbortHandle>>,
}

impl Answering {
    /// Runs `work` as answer `id` until it finishes or `stop(id)` is called.
    pub async fn run<T, F>(&self, id: String, work: F) -> Result<T>
    where
        F: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        let task = tauri::async_runtime::spawn(work);
        self.lock().insert(id.clone(), task.inner().abort_handle());
        let outcome = task.await;
        self.lock().remove(&id);
        match outcome {
            Ok(result) => result,
            Err(tauri::Error::JoinError(e)) if e.is_cancelled() => Err(Error::Cancelled),
            Err(e) => Err(Error::Internal(format!("answering failed: {e}"))),
        }
    }

    pub fn stop(&self, id: &str) {
        if let Some(handle) = self.lock().remove(id) {
            tracing::info!(answer = id, "answer stopped by the user");
            handle.abort();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, AbortHandle>> {
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn stop_ends_the_answer_and_drops_its_work() {
        tauri::async_runtime::block_on(async {
            let answering = Arc::new(Answering::default());
            let dropped = Arc::new(AtomicBool::new(false));
            struct Flag(Arc<AtomicBool>);
            impl Drop for Flag {
                fn drop(&mut self) {
                    self.0.store(true, Ordering::SeqCst);
                }
            }
            let flag = Flag(dropped.clone());
            let work = async move {
                let _flag = flag;
                tokio::time::sleep(Duration::from_secs(60)).await;
                Ok::<_, Error>("never")
            };
            let stopper = answering.clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                stopper.stop("a1");
            });
            let outcome = answering.run("a1".into(), work).await;
            assert_eq!(outcome, Err(Error::Cancelled));
            assert!(dropped.load(Ordering::SeqCst), "the stopped work must be dropped");
        });
    }
}
