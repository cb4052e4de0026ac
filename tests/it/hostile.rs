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

fn redis_json(s: &HostileServer) -> serde_json::Value {
    let out = run(aiwfe().args(["probe", "redis", &format!("redis://{}", s.addr()), "-o", "json", "--timeout", "20s"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    json(&out)
}

#[test]
fn a_redis_port_that_sends_an_endless_line_is_a_finding_and_reading_stops() {
    let s = HostileServer::start(Behaviour::EndlessLine {
        prefix: b"+".to_vec(),
        fill: b'x',
    });
    let v = redis_json(&s);
    let f = finding(&v, "redis.reply_too_large");
    assert!(f["summary"].as_str().unwrap().contains("more than 64 KiB without an end"), "{f}");
    // aiwfe stopped reading near the limit: what the server got out is the 64 KiB line and
    // what socket buffers hold, not the gigabyte it would send in the 20 s allowed.
    let sent = s.sent();
    assert!(sent < 16 << 20, "the server wrote {sent} bytes");
}

#[test]
fn an_http_server_or_random_bytes_on_the_redis_port_is_not_a_redis_server() {
    let http = HostileServer::start(Behaviour::http("400 Bad Request", "bad request"));
    let random = HostileServer::start(Behaviour::Reply(vec![0x16, 0x03, 0x01, 0x00, 0x9f, 0xee, 0x01, 0x7f]));
    for (s, evidence) in [(&http, "HTTP/1.1 400 Bad Request"), (&random, "the server sent: ")] {
        let v = redis_json(s);
        let f = finding(&v, "redis.unreachable");
        assert!(f["summary"].as_str().unwrap().contains("is not a Redis server"), "{f}");
        assert!(f["evidence"].as_str().unwrap().contains(evidence), "{f}");
        assert!(findings(&v).iter().all(|f| f["code"] != "redis.error"), "{v}");
    }
}

#[test]
fn a_redis_port_that_never_answers_or_trickles_ends_at_the_deadline() {
    let silent = HostileServer::start(Behaviour::Silent);
    let mut trickle = b"+".to_vec();
    trickle.extend(std::iter::repeat_n(b'x', 10_000));
    let trickle = HostileServer::start(Behaviour::Trickle(trickle, std::time::Duration::from_millis(50)));
    for s in [&silent, &trickle] {
        let out = run(aiwfe().args(["probe", "redis", &format!("redis://{}", s.addr()), "-o", "json", "--timeout", "1s"]));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let f = finding(&json(&out), "redis.timeout");
        assert!(f["summary"].as_str().unwrap().contains("1.0 s"), "{f}");
    }
}

#[test]
fn garbage_after_a_ws_upgrade_request_is_a_finding_not_a_hang() {
    let s = HostileServer::start(Behaviour::ReplyAndHold(vec![0xff, 0x00, 0x13, 0x37, b'\n', 0x1b, b'[', b'2', b'J']));
    let out = run(aiwfe().args(["probe", "ws", &format!("ws://{}/ws", s.addr()), "--timeout", "1s", "-v"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = assert_terminal_safe(&out);
    assert!(text.contains("ERROR"), "{text}");
}

#[test]
fn a_fix_plan_quoting_cluster_messages_reaches_the_terminal_escaped() {
    // The scheduler's message on the Pending pods, as a double-quoted YAML scalar with
    // YAML's own escapes (`\e` is ESC, `\a` BEL): the cluster's words, hostile.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(root.join("examples/incident.yaml")).unwrap();
    let hostile = r#"message: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity rules \e[2J\e]0;owned\a.""#;
    let mut replaced = 0;
    while let Some(at) = text.find("message: '0/3 nodes") {
        // A single-quoted scalar ends at a quote that is not doubled.
        let body = at + "message: '".len();
        let bytes = text.as_bytes();
        let mut end = body;
        while !(bytes[end] == b'\'' && bytes.get(end + 1) != Some(&b'\'')) {
            end += if bytes[end] == b'\'' { 2 } else { 1 };
        }
        text.replace_range(at..=end, hostile);
        replaced += 1;
    }
    assert!(replaced >= 2, "{replaced}");
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("incident.yaml");
    std::fs::write(&snap, text).unwrap();
    let out = run(aiwfe().args(["fix", "affinity", "-n", "aiwfe", "--snapshot"]).arg(&snap));
    let shown = assert_terminal_safe(&out);
    assert!(shown.contains("anti-affinity rules ^[[2J^[]0;owned^G."), "{shown}");
    let out = run(aiwfe().args(["doctor", "-v", "--snapshot"]).arg(&snap));
    let shown = assert_terminal_safe(&out);
    assert!(shown.contains("^[[2J"), "{shown}");
}

#[test]
fn an_http_server_that_is_not_a_kubernetes_api_fails_the_gate() {
    // A web server where the API should be: a 404 page for every path, or a 200 page.
    for (status, body) in [("404 Not Found", "<html>nginx</html>"), ("200 OK", "<html>hello</html>")] {
        let s = HostileServer::start(Behaviour::http(status, body));
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("kubeconfig.yaml");
        std::fs::write(
            &kubeconfig,
            format!(
                "apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: \"http://{}\"}}}}]\nusers: [{{name: u, user: {{token: t}}}}]\ncontexts: [{{name: c, context: {{cluster: c, user: u, namespace: aiwfe}}}}]\ncurrent-context: c\n",
                s.addr()
            ),
        )
        .unwrap();
        let out = run(aiwfe().args(["doctor", "-o", "json", "--kubeconfig"]).arg(&kubeconfig));
        assert_eq!(out.status.code(), Some(1), "{status}: {}", stdout(&out));
        let v = json(&out);
        assert_eq!(v["status"], "error", "{status}: {v}");
        let read = findings(&v)
            .into_iter()
            .find(|f| f["severity"] == "error" && (f["code"] == "kube.unreadable" || f["code"] == "kube.unreachable"));
        assert!(read.is_some(), "{status}: no error says nothing was read: {v}");
    }
}
