//! `folio pieces` as a user runs it: help for every subcommand, JSON on stdout, the
//! streamed answer's pieces on stderr, and a clear message with a kind-specific exit
//! code on failure (Pieces OS not running, a gone conversation, a cut stream).

use assert_cmd::Command;
use folio_pieces::testkit::{frame, pieces_reply, RecordingServer, Reply, WsAction};
use serde_json::Value;

fn folio(server: &RecordingServer) -> Command {
    let mut cmd = Command::cargo_bin("folio").unwrap();
    cmd.args(["pieces", "--address", &server.base()]).env_remove("PIECES_MODEL").env_remove("PIECES_OS_ADDRESS");
    cmd
}

#[test]
fn help_documents_every_subcommand() {
    let out = Command::cargo_bin("folio").unwrap().args(["pieces", "conversations", "--help"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for sub in ["list", "create", "get", "rename", "delete", "messages", "ask"] {
        assert!(text.contains(sub), "{sub}:\n{text}");
    }
    let top = Command::cargo_bin("folio").unwrap().args(["pieces", "--help"]).output().unwrap();
    let top = String::from_utf8(top.stdout).unwrap();
    for word in ["--address", "PIECES_OS_ADDRESS", "--model", "39300-39333", "status"] {
        assert!(top.contains(word), "{word}:\n{top}");
    }
}

#[test]
fn messages_print_as_json_and_a_streamed_answer_shows_its_pieces() {
    let server = RecordingServer::pieces();
    let out = folio(&server).args(["conversations", "messages", "conv-1"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let messages: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(messages[0]["role"], "USER");
    assert_eq!(messages[1]["text"], "It is 14 points.");

    let out = folio(&server)
        .args(["conversations", "ask", "--stream", "--conversation", "conv-1", "--question", "Q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr).trim(), "Use set xrange to set the range [1].");
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["conversation"], "conv-1");
    assert_eq!(answer["pieces"], 3);
}

#[test]
fn failures_say_what_is_wrong_with_an_exit_code_by_kind() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = Command::cargo_bin("folio")
        .unwrap()
        .args(["pieces", "--address", &format!("http://127.0.0.1:{port}"), "conversations", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("Pieces OS is not running") && said.contains(&port.to_string()), "{said}");

    let gone = RecordingServer::start(
        |r| {
            if r.path.starts_with("/conversation/") {
                Reply::plain(410, "Conversation was deleted")
            } else {
                pieces_reply(r)
            }
        },
        |_| vec![WsAction::Send(frame("conv-1", "IN-PROGRESS", Some("Half"))), WsAction::Drop],
    );
    let out = folio(&gone).args(["conversations", "get", "conv-1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no longer exists in Pieces OS: Conversation was deleted"));

    let out = folio(&gone).args(["conversations", "ask", "--stream", "--question", "Q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(6));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped sending the answer part-way"));
    assert!(out.stdout.is_empty(), "no answer is printed for a cut stream");

    let out = folio(&gone).args(["conversations", "ask", "--conversation", "c", "--question", "Q"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--conversation needs --stream");
}
