//! The token never reaches the logs: every log record of the client and of the HTTP
//! stack beneath it (reqwest logs through `log`, bridged here) is captured at TRACE
//! level through successes, retries and failures, and searched for the token.

mod common;

use common::{client, TOKEN};
use folio_aihub::testkit::{aihub_reply, RecordingServer, Reply};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_log_record_contains_the_token() {
    use tracing_subscriber::util::SubscriberInitExt;
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
        .try_init()
        .expect("the only subscriber of this test binary");

    let calls = Arc::new(Mutex::new(0));
    let server = RecordingServer::start(move |r| {
        let mut n = calls.lock().unwrap();
        *n += 1;
        match (*n, r.method.as_str()) {
            (1, _) => Reply::empty(503).with_header("Retry-After", "0"),
            (_, "POST") => {
                Reply::json(401, json!({"message": format!("rejected {}", r.header("authorization").unwrap_or(""))}))
            }
            _ => aihub_reply(r),
        }
    });
    let c = client(&server);
    c.get_conversation("c1").await.unwrap(); // retried once after the 503
    let err = c.converse("c1", "Q", &[1], Default::default(), false).await.unwrap_err();
    tracing::error!("converse failed: {err} / {err:?} / client {c:?}");

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("AI Hub request") && logs.contains("retrying"), "the capture works:\n{logs}");
    assert!(logs.contains("rejected"), "the server's message is logged:\n{logs}");
    assert!(logs.contains("reqwest") || logs.contains("hyper"), "the HTTP stack's records are captured too:\n{logs}");
    assert!(!logs.contains(TOKEN), "the token leaked into the logs:\n{logs}");
}
