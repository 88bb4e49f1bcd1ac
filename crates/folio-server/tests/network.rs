//! The server's own defences, over raw TCP where a well-behaved client library would not
//! misbehave: slow headers (slowloris), a stalled body, too many requests or connections
//! at once, and a Host header that is not a loopback name (DNS rebinding).

mod common;

use common::{error, Served, TOKEN};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Sends `request` whole and reads the answer until the server closes (at most 10 s).
fn exchange(addr: SocketAddr, request: String) -> String {
    let mut tcp = TcpStream::connect(addr).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // A server that closed at once may refuse the write; the (empty) answer says so.
    let _ = tcp.write_all(request.as_bytes());
    let mut answer = Vec::new();
    let _ = tcp.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

fn get_with_host(host: &str) -> String {
    format!("GET /api/v2/conversations HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n")
}

/// Headers of an upload whose body will not all come: Content-Length promises 100 kB.
fn stalled_upload(addr: SocketAddr) -> TcpStream {
    let mut tcp = TcpStream::connect(addr).unwrap();
    let head = format!(
        "POST /api/v2/conversations HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 100000\r\n\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"slow.txt\"\r\n\r\nthe first words"
    );
    tcp.write_all(head.as_bytes()).unwrap();
    tcp
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn headers_sent_a_byte_a_second_are_cut_off() {
    let served = Served::start_configured("data", |c| c.limits.header_read_timeout = Duration::from_secs(2)).await;
    let addr = served.server.addr();
    let (elapsed, sent, answer) = blocking(move || {
        let mut tcp = TcpStream::connect(addr).unwrap();
        tcp.set_write_timeout(Some(Duration::from_secs(2))).unwrap();
        let request =
            format!("GET /api/v2/conversations HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\n\r\n");
        let started = Instant::now();
        let mut sent = 0;
        // One byte a second; the header would take over a minute to arrive.
        for byte in request.bytes() {
            if tcp.write_all(&[byte]).is_err() || started.elapsed() > Duration::from_secs(20) {
                break;
            }
            sent += 1;
            std::thread::sleep(Duration::from_secs(1));
            // The server closing shows as a readable end of stream.
            tcp.set_nonblocking(true).unwrap();
            let mut probe = [0u8; 512];
            let closed = !matches!(tcp.read(&mut probe), Err(ref e) if e.kind() == std::io::ErrorKind::WouldBlock);
            tcp.set_nonblocking(false).unwrap();
            if closed {
                return (started.elapsed(), sent, String::from_utf8_lossy(&probe).into_owned());
            }
        }
        (started.elapsed(), sent, String::new())
    })
    .await;
    assert!(elapsed < Duration::from_secs(6), "the slow client was served for {elapsed:?} ({sent} bytes sent)");
    assert!(!answer.contains(" 200 "), "a half-sent request was answered: {answer}");
    served.still_serving().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_stops_arriving_is_408_and_stores_nothing() {
    let served = Served::start_configured("data", |c| c.limits.body_idle_timeout = Duration::from_secs(1)).await;
    let addr = served.server.addr();
    let (elapsed, answer) = blocking(move || {
        let mut tcp = stalled_upload(addr);
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let started = Instant::now();
        let mut answer = Vec::new();
        let _ = tcp.read_to_end(&mut answer);
        (started.elapsed(), String::from_utf8_lossy(&answer).into_owned())
    })
    .await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"message\""), "AI Hub's error shape: {answer}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert!(served.stored_files().is_empty(), "{:?}", served.stored_files());
    served.still_serving().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn past_the_in_flight_cap_requests_get_503_with_retry_after_then_are_served_again() {
    let served = Served::start_configured("data", |c| {
        c.limits.max_in_flight = 2;
        c.limits.body_idle_timeout = Duration::from_secs(30);
    })
    .await;
    let addr = served.server.addr();
    let held = blocking(move || [stalled_upload(addr), stalled_upload(addr)]).await;
    // Both uploads are now being read by their handlers.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let response = served.get("/v2/conversations").send().await.unwrap();
    assert_eq!(response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string()), Some("1".into()));
    let (status, message) = error(response).await;
    assert_eq!(status, 503, "{message}");
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = served.get("/v2/conversations").send().await.unwrap().status().as_u16();
        if status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "slots never came back: {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(served.stored_files().is_empty(), "{:?}", served.stored_files());
}

#[tokio::test(flavor = "multi_thread")]
async fn past_the_connection_cap_new_connections_are_closed() {
    let served = Served::start_configured("data", |c| c.limits.max_connections = 2).await;
    let addr = served.server.addr();
    let answer = blocking(move || {
        let _open = [TcpStream::connect(addr).unwrap(), TcpStream::connect(addr).unwrap()];
        std::thread::sleep(Duration::from_millis(300));
        exchange(addr, get_with_host(&addr.to_string()))
    })
    .await;
    assert_eq!(answer, "", "a third connection was served");
    // The two held connections are closed now; their slots come back once hyper sees it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    served.still_serving().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn only_loopback_host_names_are_served() {
    let served = Served::start().await;
    let addr = served.server.addr();
    let port = addr.port();
    for host in ["evil.example".to_string(), format!("evil.example:{port}"), format!("127.0.0.1.nip.io:{port}")] {
        let answer = blocking({
            let host = host.clone();
            move || exchange(addr, get_with_host(&host))
        })
        .await;
        assert!(answer.starts_with("HTTP/1.1 421"), "Host: {host}: {answer}");
        assert!(answer.contains("\"message\"") && !answer.contains("conversations\":"), "{answer}");
    }
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), "localhost".to_string()] {
        let answer = blocking({
            let host = host.clone();
            move || exchange(addr, get_with_host(&host))
        })
        .await;
        assert!(answer.starts_with("HTTP/1.1 200"), "Host: {host}: {answer}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn allow_remote_lifts_the_host_check() {
    let served = Served::start_configured("data", |c| c.allow_remote = true).await;
    let addr = served.server.addr();
    let answer = blocking(move || exchange(addr, get_with_host("folio.lan:8465"))).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
