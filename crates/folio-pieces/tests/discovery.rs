//! Finding Pieces OS: the candidate ports are probed at once with HEAD
//! /.well-known/health and the first in order of preference that answers 200 wins.
//! Tests point the scan at loopback ports they bound.

use folio_pieces::discovery::discover;
use folio_pieces::testkit::{pieces_reply, pieces_stream, RecordingServer, Reply};
use folio_pieces::PiecesConfig;
use std::net::TcpListener;

fn port(l: &TcpListener) -> u16 {
    l.local_addr().unwrap().port()
}

#[tokio::test]
async fn the_first_port_that_answers_health_wins_past_silent_and_failing_ones() {
    // Accepts connections but never answers: must not hold the scan up past its limit.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let unhealthy = RecordingServer::start(|_| Reply::plain(503, "starting"), pieces_stream);
    let closed = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        port(&l)
    };
    let second = RecordingServer::pieces();
    let first = RecordingServer::pieces();
    let ports = vec![port(&silent), unhealthy.addr.port(), closed, first.addr.port(), second.addr.port()];
    let found = discover(&PiecesConfig { ports, ..Default::default() }).await.unwrap();
    assert_eq!(found, first.base(), "both answer; the earlier port in the list is preferred");
    let probe = &first.requests()[0];
    assert_eq!((probe.method.as_str(), probe.path.as_str()), ("HEAD", "/.well-known/health"));
    assert!(unhealthy.requests().iter().all(|r| r.method == "HEAD"));
}

#[tokio::test]
async fn a_configured_address_wins_without_a_scan() {
    let scanned = RecordingServer::pieces();
    let configured = RecordingServer::start(pieces_reply, pieces_stream);
    let config =
        PiecesConfig { ports: vec![scanned.addr.port()], ..PiecesConfig::at(format!("{}/", configured.base())) };
    assert_eq!(discover(&config).await.unwrap(), configured.base());
    assert!(scanned.requests().is_empty(), "the scan never ran");
}

#[test]
fn the_default_scan_is_the_wrappers_then_the_documented_ports() {
    let ports = folio_pieces::config::default_ports();
    assert_eq!(ports.first(), Some(&39300));
    assert_eq!(&ports[33..], &[39333, 1000, 5323]);
}
