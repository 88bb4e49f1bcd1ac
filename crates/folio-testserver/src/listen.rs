//! The loopback port, the thread and runtime the server runs on, and its shutdown.

use std::future::Future;
use std::net::SocketAddr;

/// A listener on an unused port of 127.0.0.1.
pub fn loopback() -> std::net::TcpListener {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback")
}

/// The accept loop running on its own thread; dropping it stops the loop, aborts every
/// open connection (WebSockets included) and waits for the thread to end.
pub(crate) struct Running {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Serves each accepted connection with `connection` on a two-worker runtime.
pub(crate) fn spawn<F, Fut>(listener: std::net::TcpListener, connection: F) -> (SocketAddr, Running)
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    listener.set_nonblocking(true).expect("non-blocking listener");
    let addr = listener.local_addr().expect("local address");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        runtime.block_on(accept(listener, connection, stopped));
        // Dropping the runtime here ends the tasks the connections spawned (upgraded sockets).
    });
    (addr, Running { stop: Some(stop), thread: Some(thread) })
}

async fn accept<F, Fut>(listener: std::net::TcpListener, connection: F, mut stopped: tokio::sync::oneshot::Receiver<()>)
where
    F: Fn(tokio::net::TcpStream) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                connections.spawn(connection(stream));
            }
        }
    }
    connections.abort_all();
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
