//! The `folio` binary as a user runs it.

use assert_cmd::Command;

#[test]
fn version_names_the_program_and_its_version() {
    let out = Command::cargo_bin("folio").unwrap().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), format!("folio {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn help_describes_the_program() {
    let out = Command::cargo_bin("folio").unwrap().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Talk with your documents"), "{text}");
    assert!(text.contains("Usage: folio"), "{text}");
}

#[test]
fn unknown_subcommand_fails_with_usage() {
    let out = Command::cargo_bin("folio").unwrap().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("frobnicate"));
}
