//! The work queue: a bounded pool of worker threads reading documents. Big PDFs are
//! read in slices and go to the back of the queue while others wait, so a 2,000-page
//! manual never starves a one-page note. Every slice commits its pages, so stopping
//! (cancel, delete, shutdown, kill -9) never loses more than the page being read.

mod embedder;
mod worker;

use crate::settings::EngineSettings;
use crate::store::Store;
use folio_core::{DocumentId, DocumentProgress, ProgressSink};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use tokio::sync::broadcast;

/// Reads of one document that may start and never end (the process died while reading
/// it) before it is set aside: once could be a power cut, twice in a row without a page
/// committed is the document.
pub const MAX_INTERRUPTED_READS: u32 = 2;

pub(crate) struct Shared {
    pub store: Arc<Store>,
    pub settings: EngineSettings,
    state: Mutex<QueueState>,
    wake: Condvar,
    idle: Condvar,
    /// Wakes the embedder when a document becomes keyword-searchable.
    pub embed_wake: Condvar,
    /// Why the embedder is not running, if it could not start.
    pub embed_error: Mutex<Option<String>>,
    /// An embedder thread was started (documents go through `Embedding`).
    pub embedder: bool,
    pub events: broadcast::Sender<DocumentProgress>,
    pub sink: Option<ProgressSink>,
}

#[derive(Default)]
pub(crate) struct QueueState {
    queue: VecDeque<DocumentId>,
    queued: HashSet<DocumentId>,
    running: HashSet<DocumentId>,
    cancelled: HashMap<DocumentId, Arc<AtomicBool>>,
    pub(crate) shutdown: bool,
}

pub struct Pipeline {
    shared: Arc<Shared>,
    /// Emptied by `shutdown`; a Mutex so shutting down needs no `&mut`.
    threads: Mutex<Vec<JoinHandle<()>>>,
    has_workers: bool,
    has_embedder: bool,
    /// Held while this process runs the workers of its data folder.
    _owner_lock: Option<std::fs::File>,
}

/// What became of one turn of work on a document.
pub(crate) enum Turn {
    Finished,
    /// More pages to read; let others go first.
    Yield,
    /// The engine is shutting down: leave the document to resume next time.
    Stopped,
}

impl Pipeline {
    pub fn start(store: Arc<Store>, settings: EngineSettings, sink: Option<ProgressSink>) -> Pipeline {
        let (events, _) = broadcast::channel(4096);
        let mut workers = if settings.start_workers { settings.workers.max(1) } else { 0 };
        // One process reads a data folder's documents at a time (the app, or a CLI
        // `--wait`): the other only stores and looks, and sees the progress in the store.
        let mut owner_lock = None;
        if workers > 0 {
            let path = store.dir.join("workers.lock");
            match std::fs::File::create(&path).map(|f| f.try_lock().map(|_| f)) {
                Ok(Ok(file)) => owner_lock = Some(file),
                _ => {
                    tracing::info!("another process is reading the documents of {}", store.dir.display());
                    workers = 0;
                }
            }
        }
        let embeddings = if workers > 0 { settings.embeddings.clone() } else { None };
        let has_embedder = embeddings.is_some();
        if workers > 0 && !has_embedder {
            // This engine makes no vectors: nothing it owns may wait in `Embedding`.
            if let Err(e) = store.settle_embedding_stages(false) {
                tracing::error!("could not mark documents ready: {e}");
            }
        }
        let shared = Arc::new(Shared {
            store,
            settings,
            embedder: has_embedder,
            state: Mutex::new(QueueState::default()),
            wake: Condvar::new(),
            idle: Condvar::new(),
            embed_wake: Condvar::new(),
            embed_error: Mutex::new(None),
            events,
            sink,
        });
        let mut threads: Vec<JoinHandle<()>> = (0..workers)
            .map(|i| {
                let shared = shared.clone();
                std::thread::Builder::new()
                    .name(format!("folio-worker-{i}"))
                    .spawn(move || run(shared))
                    .expect("a worker thread could be started")
            })
            .collect();
        if let Some(config) = embeddings {
            let shared = shared.clone();
            threads.push(
                std::thread::Builder::new()
                    .name("folio-embedder".into())
                    .spawn(move || embedder::run(shared, config))
                    .expect("the embedder thread could be started"),
            );
        }
        let has_workers = !threads.is_empty();
        Pipeline { shared, threads: Mutex::new(threads), has_workers, has_embedder, _owner_lock: owner_lock }
    }

    /// Fails every unfinished document whose reading was interrupted
    /// `MAX_INTERRUPTED_READS` times without progress (at open; each turn checks too).
    pub fn set_aside_interrupted(&self) {
        match self.shared.store.interrupted(MAX_INTERRUPTED_READS) {
            Ok(docs) => {
                for doc in docs {
                    worker::set_aside(&self.shared, &doc);
                }
            }
            Err(e) => tracing::error!("could not look for interrupted documents: {e}"),
        }
    }

    pub fn has_workers(&self) -> bool {
        self.has_workers
    }

    pub fn is_shut_down(&self) -> bool {
        self.shared.is_shutting_down()
    }

    /// Stops taking work, tells the workers and the embedder to stop (they finish the
    /// page or batch in hand; unfinished documents resume at the next open) and joins
    /// them, waiting at most `wait`. Joining the embedder drops its ONNX Runtime session
    /// on its own thread before the process exits: a thread still inside ONNX Runtime
    /// while the process tears down its statics crashed a test binary (SIGSEGV).
    /// Returns false if some thread was still busy when the wait ran out.
    pub fn shutdown(&self, wait: std::time::Duration) -> bool {
        self.shared.lock().shutdown = true;
        self.shared.wake.notify_all();
        self.shared.embed_wake.notify_all();
        self.shared.idle.notify_all();
        let threads: Vec<JoinHandle<()>> = std::mem::take(&mut *self.threads.lock().unwrap_or_else(|p| p.into_inner()));
        let deadline = std::time::Instant::now() + wait;
        let mut all = true;
        for t in threads {
            while !t.is_finished() && std::time::Instant::now() < deadline {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            if t.is_finished() {
                let _ = t.join();
            } else {
                tracing::warn!(
                    "{} still busy after {} s; leaving it",
                    t.thread().name().unwrap_or("a worker"),
                    wait.as_secs()
                );
                all = false;
            }
        }
        all
    }

    pub fn subscribe(&self) -> broadcast::Receiver<DocumentProgress> {
        self.shared.events.subscribe()
    }

    pub fn enqueue(&self, id: DocumentId) {
        self.shared.enqueue(id)
    }

    /// Queues a document again after it failed or was cancelled, forgetting the old stop.
    pub fn retry(&self, id: DocumentId) {
        self.shared.lock().cancelled.remove(&id);
        self.shared.enqueue(id)
    }

    /// Asks for a document's work to stop; the worker notices between pages.
    pub fn cancel(&self, id: DocumentId) {
        let mut state = self.shared.lock();
        state.cancelled.entry(id).or_default().store(true, Ordering::SeqCst);
    }

    /// Blocks until every passage of every keyword-searchable document has its vector.
    /// Returns the reason embeddings are off, if they are.
    pub fn wait_embedded(&self) -> Result<(), String> {
        if !self.has_embedder {
            return Err("embeddings are off (no model configured, or no workers)".into());
        }
        loop {
            self.wait_idle();
            if self.shared.is_shutting_down() {
                return Err("the engine was shut down".into());
            }
            if let Some(e) = self.shared.embed_error.lock().unwrap_or_else(|p| p.into_inner()).clone() {
                return Err(e);
            }
            match self.shared.store.pending_embeddings() {
                Ok(0) => return Ok(()),
                Ok(_) => std::thread::sleep(std::time::Duration::from_millis(50)),
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    /// Blocks until the queue is empty and no worker is busy (tests, bench, CLI --wait).
    pub fn wait_idle(&self) {
        if !self.has_workers {
            return;
        }
        let mut state = self.shared.lock();
        while !(state.shutdown || state.queue.is_empty() && state.running.is_empty()) {
            state = self.shared.idle.wait(state).unwrap_or_else(|p| p.into_inner());
        }
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        self.shutdown(self.shared.settings.shutdown_wait);
    }
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, QueueState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn is_cancelled(&self, id: DocumentId) -> bool {
        self.lock().cancelled.get(&id).is_some_and(|f| f.load(Ordering::SeqCst))
    }

    pub fn is_shutting_down(&self) -> bool {
        self.lock().shutdown
    }

    /// True when another document is waiting for a worker.
    pub fn others_waiting(&self) -> bool {
        !self.lock().queue.is_empty()
    }

    /// Queues a document; ignored once shutting down (it resumes at the next open).
    pub fn enqueue(&self, id: DocumentId) {
        let mut state = self.lock();
        if state.shutdown {
            return;
        }
        if state.queued.insert(id) {
            state.queue.push_back(id);
        }
        drop(state);
        self.wake.notify_one();
    }

    pub fn emit(&self, progress: DocumentProgress) {
        let _ = self.events.send(progress.clone());
        if let Some(sink) = &self.sink {
            // A sink that panics must not take the worker down with it.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sink(progress)));
        }
    }
}

fn run(shared: Arc<Shared>) {
    loop {
        let id = {
            let mut state = shared.lock();
            loop {
                if state.shutdown {
                    return;
                }
                if let Some(id) = state.queue.pop_front() {
                    state.queued.remove(&id);
                    state.running.insert(id);
                    break id;
                }
                let (next, timeout) = shared
                    .wake
                    .wait_timeout(state, std::time::Duration::from_secs(2))
                    .unwrap_or_else(|p| p.into_inner());
                state = next;
                if timeout.timed_out() && !state.shutdown {
                    // Documents another process (a CLI without workers) added meanwhile.
                    drop(state);
                    let found = shared.store.unfinished().unwrap_or_default();
                    state = shared.lock();
                    for id in found {
                        if !state.running.contains(&id) && state.queued.insert(id) {
                            state.queue.push_back(id);
                        }
                    }
                }
            }
        };
        let turn = worker::take_turn(&shared, id);
        let mut state = shared.lock();
        state.running.remove(&id);
        match turn {
            Turn::Yield if !state.shutdown => {
                if state.queued.insert(id) {
                    state.queue.push_back(id);
                }
                shared.wake.notify_one();
            }
            Turn::Finished => {
                state.cancelled.remove(&id);
            }
            _ => {}
        }
        if state.queue.is_empty() && state.running.is_empty() {
            shared.idle.notify_all();
        }
    }
}
