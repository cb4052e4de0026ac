//! aiwfe against hostile servers (`tests/support/hostile.rs`): what they send is data, it
//! never steers the terminal, never grows aiwfe without bound, and is reported for what it is.

use crate::support::hostile::{Behaviour, HostileServer, TERMINAL_ATTACK};
use crate::support::*;

/// stdout and stderr of a text-output run, with no raw control character but newlines.
fn assert_terminal_safe(out: &std::process::Output) -> String {
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let bad: Vec<char> = text.chars().filter(|c| c.is_control() && *c != '\n').collect();
        assert!(bad.is_empty(), "{name} carries raw control characters {bad:?}:\n{text}");
    }
    stdout(out)
}

#[test]
fn a_403_body_with_escape_sequences_reaches_the_terminal_escaped() {
    let s = HostileServer::start(Behaviour::http("403 Forbidden", &format!("denied {TERMINAL_ATTACK}")));
    let out = run(aiwfe().args(["probe", "ws", &format!("ws://{}/ws", s.addr()), "-v"]));
    assert_eq!(out.status.code(), Some(1));
    let text = assert_terminal_safe(&out);
    // The body is still shown, as `cat -v` would show it.
    assert!(text.contains("denied ^[[2J^[]0;owned^G M-^[31m"), "{text}");
    // JSON keeps the exact text, escaped by JSON's own rules.
    let out = run(aiwfe().args(["probe", "ws", &format!("ws://{}/ws", s.addr()), "-o", "json"]));
    assert!(stdout(&out).contains(r"\u001b[2J"), "{}", stdout(&out));
}

#[test]
fn a_redis_error_with_escape_sequences_reaches_the_terminal_escaped() {
    let reply = format!("-ERR denied {TERMINAL_ATTACK}\r\n");
    let s = HostileServer::start(Behaviour::Reply(reply.into_bytes()));
    let out = run(aiwfe().args(["probe", "redis", &format!("redis://{}", s.addr()), "-v"]));
    let text = assert_terminal_safe(&out);
    assert!(text.contains("denied ^[[2J^[]0;owned^G"), "{text}");
}

#[test]
fn an_error_on_stderr_quoting_a_file_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("aiwfe.yaml");
    // YAML's own escapes: `\e` is ESC, `\a` is BEL.
    std::fs::write(&cfg, "redis:\n  url: \"redis://h\\e[2J\\e]0;owned\\a:6379\"\n").unwrap();
    let out = run(aiwfe().args(["doctor", "--config", cfg.to_str().unwrap()]));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_terminal_safe(&out);
    assert!(stderr(&out).contains("redis://h^[[2J^[]0;owned^G:6379"), "{}", stderr(&out));
}
