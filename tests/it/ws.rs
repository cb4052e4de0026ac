//! `aiwfe probe ws` and `aiwfe doctor` with a `ws:` section, against WebSocket servers the
//! tests start: one whose delays and refusals each test sets (`support::ws`), and Python's
//! `websockets` echo server.

use crate::support::ws::*;
use crate::support::*;
use std::time::Duration;

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.Ws-Test-Token.sig-123";

fn probe(args: &[&str]) -> (std::process::Output, serde_json::Value) {
    let out = run(aiwfe().args(["probe", "ws"]).args(args).args(["-o", "json"]).env("WS_TOKEN", TOKEN));
    let v = json(&out);
    (out, v)
}

fn ms(v: &serde_json::Value, name: &str) -> f64 {
    measurement(v, "ws.handshake", name)
}

fn has_measurement(v: &serde_json::Value, name: &str) -> bool {
    v["checks"][0]["measurements"].as_array().unwrap().iter().any(|m| m["name"] == name)
}

const DELAY: Duration = Duration::from_millis(1200);
/// A phase that was not delayed stays well under this on loopback, even on a busy machine.
const FAST_MS: f64 = 600.0;

#[test]
fn delay_before_101_is_in_the_upgrade_phase_only() {
    let s = WsServer::start(WsBehaviour {
        upgrade_delay: DELAY,
        ..Default::default()
    });
    let (out, v) = probe(&[&s.url()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(ms(&v, "upgrade_p50_ms") >= 1150.0, "{}", stdout(&out));
    assert!(ms(&v, "upgrade_p50_ms") < 6000.0);
    assert!(ms(&v, "tcp_p50_ms") < FAST_MS);
    assert!(!has_measurement(&v, "tls_p50_ms"), "no TLS on ws://");
    assert!(!has_measurement(&v, "dns_p50_ms"), "no DNS for an IP address");
    assert!(ms(&v, "total_p50_ms") >= ms(&v, "upgrade_p50_ms"));
    let f = finding(&v, "ws.slow_phase");
    assert_eq!(f["severity"], "warning");
    assert!(f["summary"].as_str().unwrap().starts_with("HTTP upgrade p99 1."), "{f}");

    // Thresholds from flags: above --warn-after nothing to say; past --error-after an error.
    let (out, v) = probe(&[&s.url(), "--warn-after", "5s"]);
    assert_eq!(out.status.code(), Some(0));
    finding(&v, "ws.handshake");
    let (out, v) = probe(&[&s.url(), "--error-after", "1s"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(finding(&v, "ws.slow_phase")["severity"], "error");
}

#[test]
fn delay_before_the_auth_reply_is_in_the_first_round_trip_only() {
    let s = WsServer::start(WsBehaviour {
        auth_delay: DELAY,
        ..Default::default()
    });
    let (out, v) = probe(&[&s.url(), "--send", r#"{"type":"auth"}"#, "--expect", "auth_ok"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(ms(&v, "first_message_p50_ms") >= 1150.0, "{}", stdout(&out));
    assert!(ms(&v, "upgrade_p50_ms") < FAST_MS);
    assert!(ms(&v, "tcp_p50_ms") < FAST_MS);
    let f = finding(&v, "ws.slow_phase");
    assert!(f["summary"].as_str().unwrap().starts_with("first round-trip p99 1."), "{f}");
}

#[test]
fn slow_tls_is_in_the_tls_phase_only_and_cacert_verifies() {
    let pki = TestPki::new();
    let s = WsServer::start(WsBehaviour {
        tls_delay: DELAY,
        ..WsBehaviour::tls(&pki)
    });
    let ca = pki.path("ca.pem");
    let (out, v) = probe(&[&s.url(), "--cacert", ca.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(ms(&v, "tls_p50_ms") >= 1150.0, "{}", stdout(&out));
    assert!(ms(&v, "upgrade_p50_ms") < FAST_MS);
    assert!(ms(&v, "tcp_p50_ms") < FAST_MS);
    assert!(has_measurement(&v, "dns_p50_ms"), "localhost is resolved");
    let f = finding(&v, "ws.slow_phase");
    assert!(f["summary"].as_str().unwrap().starts_with("TLS handshake p99 1."), "{f}");
}

#[test]
fn unknown_ca_is_ws_tls_and_insecure_skips_the_check() {
    let pki = TestPki::new();
    let s = WsServer::start(WsBehaviour::tls(&pki));
    let (out, v) = probe(&[&s.url()]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let f = finding(&v, "ws.tls");
    assert!(f["evidence"].as_str().unwrap().contains("UnknownIssuer"), "{f}");

    let (out, v) = probe(&[&s.url(), "--insecure"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    finding(&v, "ws.handshake");

    // --cacert with a CA that did not sign the server's certificate still fails.
    let other = TestPki::new();
    let (out, v) = probe(&[&s.url(), "--cacert", other.path("ca.pem").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    finding(&v, "ws.tls");

    // TLS against a plain-text port waits for a ServerHello that never comes: the timeout
    // names the TLS handshake and suggests ws://.
    let plain = WsServer::start(WsBehaviour::default());
    let url = format!("wss://127.0.0.1:{}/ws", plain.port);
    let (out, v) = probe(&[&url, "--insecure", "--timeout", "1s"]);
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "ws.timeout");
    assert!(f["summary"].as_str().unwrap().contains("(TLS handshake)"), "{f}");
    assert!(f["hint"].as_str().unwrap().contains("ws://"), "{f}");
}

#[test]
fn token_goes_where_asked_and_the_wrong_place_is_upgrade_rejected() {
    let places = [
        (TokenAt::Header, "header"),
        (TokenAt::Query, "query"),
        (TokenAt::Cookie, "cookie"),
        (TokenAt::Subprotocol, "subprotocol"),
    ];
    for (at, name) in places {
        let s = WsServer::start(WsBehaviour {
            require_token: Some((at, TOKEN.into())),
            ..Default::default()
        });
        let (out, v) = probe(&[&s.url(), "--token-env", "WS_TOKEN", "--token-in", name]);
        assert_eq!(out.status.code(), Some(0), "--token-in {name}: {}", stdout(&out));
        let ok = finding(&v, "ws.handshake");
        assert!(ok["summary"].as_str().unwrap().contains("token sha256:"), "{ok}");
        assert!(!stdout(&out).contains(TOKEN));
        if at == TokenAt::Subprotocol {
            assert_eq!(
                v["checks"][0]["measurements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|m| m["name"] == "subprotocol")
                    .unwrap()["value"],
                "bearer"
            );
        }

        // Sent somewhere else: the server refuses the upgrade, quoted verbatim.
        let wrong = if at == TokenAt::Header { "query" } else { "header" };
        let (out, v) = probe(&[&s.url(), "--token-env", "WS_TOKEN", "--token-in", wrong]);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        let f = finding(&v, "ws.upgrade_rejected");
        assert_eq!(
            f["evidence"], "HTTP/1.1 401 Unauthorized — {\"error\":\"invalid or missing token\"}",
            "{f}"
        );
        assert!(f["summary"].as_str().unwrap().contains("401"), "{f}");
        assert!(!stdout(&out).contains(TOKEN), "{}", stdout(&out));
    }
}

#[test]
fn token_from_file_and_flag_reach_the_server() {
    let s = WsServer::start(WsBehaviour {
        require_token: Some((TokenAt::Cookie, TOKEN.into())),
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    let (out, _) = probe(&[&s.url(), "--token-file", file.to_str().unwrap(), "--token-in", "cookie"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let (out, _) = probe(&[&s.url(), "--token", TOKEN, "--token-in", "cookie"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let seen = s.requests();
    assert_eq!(seen.len(), 2);
    // Header names are case-insensitive; the http crate sends them in lower case.
    assert!(
        seen.iter().all(|r| r
            .to_ascii_lowercase()
            .contains(&format!("\r\ncookie: access_token={}\r\n", TOKEN.to_ascii_lowercase()))),
        "{seen:?}"
    );
    assert!(seen.iter().all(|r| !r.to_ascii_lowercase().contains("authorization")), "{seen:?}");
}

#[test]
fn extra_headers_and_subprotocols_are_sent_and_sensitive_header_values_masked() {
    let s = WsServer::start(WsBehaviour::default());
    let secret = "Hdr-Secret-Value-42";
    let out = run(aiwfe().args([
        "probe",
        "ws",
        &s.url(),
        "-H",
        "Origin: https://app.example.com",
        "--header",
        &format!("X-Api-Key: {secret}"),
        "--subprotocol",
        "chat.v1",
        "-o",
        "json",
        "-vvv",
    ]));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v = json(&out);
    let head = &s.requests()[0].to_ascii_lowercase();
    assert!(head.contains("\r\norigin: https://app.example.com\r\n"), "{head}");
    assert!(
        head.contains(&format!("\r\nx-api-key: {}\r\n", secret.to_ascii_lowercase())),
        "{head}"
    );
    assert!(head.contains("\r\nsec-websocket-protocol: chat.v1\r\n"), "{head}");
    let sub = v["checks"][0]["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "subprotocol")
        .cloned();
    assert_eq!(sub.unwrap()["value"], "chat.v1");
    assert!(!format!("{}{}", stdout(&out), stderr(&out)).contains(secret));

    let out = run(aiwfe().args(["probe", "ws", &s.url(), "-H", "no colon here"]));
    assert_eq!(out.status.code(), Some(2));
}

/// aiwfe with `args`, run under a soft and a hard open-file limit.
fn under_fd_limit(soft: u32, hard: u32, args: &str) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_aiwfe");
    let script = format!("ulimit -Sn {soft} && ulimit -Hn {hard} && exec {bin} {args}");
    run(std::process::Command::new("sh")
        .args(["-c", &script])
        .current_dir(private_home())
        .env("HOME", private_home())
        .env_remove("AIWFE_CONFIG")
        .env_remove("AIWFE_WS_TOKEN"))
}

#[test]
fn a_low_open_file_limit_runs_fewer_at_once_and_says_so() {
    let s = WsServer::start(WsBehaviour::default());
    let out = under_fd_limit(100, 200, &format!("probe ws {} -n 300 -c 300 -o json", s.url()));
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let v = json(&out);
    let f = finding(&v, "ws.fd_limit");
    assert_eq!(f["severity"], "warning");
    assert!(
        f["summary"]
            .as_str()
            .unwrap()
            .contains("(200 soft, 200 hard) allows 136 connections at once, not 300"),
        "{f}"
    );
    assert_eq!(ms(&v, "fd_limit"), 200.0, "the soft limit was raised to the hard one");
    assert_eq!(ms(&v, "concurrency"), 136.0);
    assert_eq!(ms(&v, "succeeded"), 300.0);
}

#[test]
fn the_probe_budget_follows_the_concurrency_the_open_file_limit_leaves() {
    // 36 at a time (100 less the reserve) for 250 connections held 1 s each: 7 rounds,
    // longer than a budget counted for all 250 at once (one round).
    let s = WsServer::start(WsBehaviour::default());
    let out = under_fd_limit(
        100,
        100,
        &format!("probe ws {} -n 250 -c 250 --hold 1s --timeout 1s -o json", s.url()),
    );
    let v = json(&out);
    assert!(findings(&v).iter().all(|f| f["code"] != "ws.timeout"), "{v}");
    let f = finding(&v, "ws.fd_limit");
    assert!(
        f["summary"].as_str().unwrap().contains("allows 36 connections at once, not 250"),
        "{f}"
    );
    assert_eq!(ms(&v, "concurrency"), 36.0);
    assert_eq!(ms(&v, "succeeded"), 250.0);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn wrong_subprotocol_echo_is_subprotocol_mismatch() {
    let s = WsServer::start(WsBehaviour {
        subprotocol_echo: Some("chat.v2".into()),
        ..Default::default()
    });
    let (out, v) = probe(&[&s.url(), "--token-env", "WS_TOKEN", "--token-in", "subprotocol"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let f = finding(&v, "ws.subprotocol_mismatch");
    assert!(
        f["evidence"].as_str().unwrap().starts_with("Sec-WebSocket-Protocol: chat.v2"),
        "{f}"
    );
    assert!(f["summary"].as_str().unwrap().contains("bearer, ***"), "{f}");
    assert!(!stdout(&out).contains(TOKEN));
}

#[test]
fn close_with_1008_is_closed_by_server_with_code_and_reason() {
    let s = WsServer::start(WsBehaviour {
        close_with: Some((1008, "token expired".into())),
        ..Default::default()
    });
    for args in [vec![], vec!["--send", r#"{"type":"auth"}"#, "--expect", "auth_ok"]] {
        let mut all = vec![s.url()];
        all.extend(args.iter().map(|a| a.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let (out, v) = probe(&all);
        assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
        let f = finding(&v, "ws.closed_by_server");
        assert_eq!(f["evidence"], "close frame 1008: token expired", "{f}");
        assert!(f["summary"].as_str().unwrap().contains("1008 (policy violation)"), "{f}");
        assert_eq!(ms(&v, "errors_closed"), 1.0);
    }
}

#[test]
fn a_hung_server_is_ws_timeout_naming_the_phase() {
    let hole = Blackhole::start();
    let url = format!("ws://127.0.0.1:{}/ws", hole.port);
    let (out, v) = probe(&[&url, "--timeout", "1s"]);
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "ws.timeout");
    assert!(f["summary"].as_str().unwrap().contains("(HTTP upgrade)"), "{f}");
    // The phases before it were measured.
    assert!(ms(&v, "tcp_p50_ms") < FAST_MS);
}

#[test]
fn no_matching_message_is_expect_timeout_with_the_last_message() {
    let s = WsServer::start(WsBehaviour::default());
    let (out, v) = probe(&[&s.url(), "--send", "hello", "--expect", "welcome", "--timeout", "1s"]);
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "ws.expect_timeout");
    assert_eq!(f["evidence"], "last message received: hello");
    assert!(f["summary"].as_str().unwrap().contains("`welcome`"), "{f}");
}

#[test]
fn nothing_listening_is_ws_unreachable_and_bad_urls_exit_2() {
    let dead = dead_port();
    let url = format!("ws://127.0.0.1:{}/ws", dead.port);
    let (out, v) = probe(&[&url]);
    assert_eq!(out.status.code(), Some(1));
    finding(&v, "ws.unreachable");

    let out = run(aiwfe().args(["probe", "ws", "http://gw/ws?access_token=Bad-Url-Token-1"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ws://"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("Bad-Url-Token-1"));
    let out = run(aiwfe().args(["probe", "ws", "ws://gw/ws", "--token-in", "elsewhere"]));
    assert_eq!(out.status.code(), Some(2));
    let out = run(aiwfe().args(["probe", "ws", "ws://gw/ws", "--token-env", "NO_SUCH_VAR"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`NO_SUCH_VAR`"), "{}", stderr(&out));
}

#[test]
fn the_token_never_appears_in_any_format_or_log() {
    let s = WsServer::start(WsBehaviour {
        require_token: Some((TokenAt::Query, TOKEN.into())),
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    for fmt in ["table", "json", "yaml", "junit", "sarif", "markdown"] {
        for place in ["query", "header", "subprotocol", "cookie"] {
            let report = dir.path().join("r.json");
            let out = run(aiwfe()
                .args(["probe", "ws", &s.url(), "--token-env", "WS_TOKEN", "--token-in", place])
                .args(["--send", "auth", "--expect", "auth_ok", "-o", fmt, "-vvv", "--report"])
                .arg(&report)
                .env("WS_TOKEN", TOKEN));
            let all = format!("{}{}{}", stdout(&out), stderr(&out), std::fs::read_to_string(&report).unwrap());
            assert!(
                !all.contains(TOKEN) && !all.contains("Ws-Test-Token"),
                "token leaked in -o {fmt}, {place}:\n{all}"
            );
            assert!(matches!(out.status.code(), Some(0 | 1)), "{all}");
        }
    }
    // A token written into the URL itself is masked too.
    let url = format!("{}?access_token={TOKEN}", s.url());
    let out = run(aiwfe().args(["probe", "ws", &url, "-vvv"]));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains("Ws-Test-Token"), "{all}");
    assert!(all.contains("access_token=***"), "{all}");
}

#[test]
fn load_counts_every_connection_with_ordered_percentiles() {
    let s = WsServer::start(WsBehaviour::default());
    let (out, v) = probe(&[&s.url(), "-n", "300", "-c", "30", "--ping", "2"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(ms(&v, "succeeded"), 300.0);
    assert_eq!(ms(&v, "failed"), 0.0);
    assert_eq!(ms(&v, "concurrency"), 30.0);
    assert!(ms(&v, "handshakes_per_s") > 0.0);
    for phase in ["tcp", "upgrade", "ping_rtt", "total"] {
        let q: Vec<f64> = ["p50", "p90", "p99", "max"]
            .iter()
            .map(|p| ms(&v, &format!("{phase}_{p}_ms")))
            .collect();
        assert!(q.windows(2).all(|w| w[0] <= w[1]), "{phase}: {q:?}");
    }
    let ok = finding(&v, "ws.handshake");
    assert!(
        ok["summary"].as_str().unwrap().starts_with("opened 300 connections, 30 at a time"),
        "{ok}"
    );
}

#[test]
fn hold_sends_at_the_rate_and_counts_echoes() {
    let s = WsServer::start(WsBehaviour::default());
    let (out, v) = probe(&[&s.url(), "-n", "4", "-c", "4", "--hold", "1s", "--rate", "20", "--size", "32"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let sent = ms(&v, "messages_sent");
    let received = ms(&v, "messages_received");
    // 4 connections × 20/s × 1 s, give or take the first and last tick.
    assert!((60.0..=90.0).contains(&sent), "sent {sent}");
    assert!(received >= sent - 8.0 && received <= sent, "sent {sent}, received {received}");
}

#[test]
fn await_echo_sends_one_at_a_time_and_times_each_round_trip() {
    let s = WsServer::start(WsBehaviour::default());
    let (out, v) = probe(&[&s.url(), "-n", "4", "-c", "4", "--hold", "1s", "--await-echo", "--size", "1024"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(ms(&v, "succeeded"), 4.0);
    let sent = ms(&v, "messages_sent");
    let received = ms(&v, "messages_received");
    // Closed loop: every message sent was echoed before the next, the last one included.
    assert!(received > 0.0 && sent == received, "sent {sent}, received {received}");
    // The hold is 1 s: messages per second is every echo of every connection over it.
    assert_eq!(ms(&v, "messages_per_second"), received);
    let q: Vec<f64> = ["p50", "p90", "p99", "max"]
        .iter()
        .map(|p| ms(&v, &format!("message_rtt_{p}_ms")))
        .collect();
    assert!(q[0] > 0.0 && q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
    // Loopback round trips stay well under the hold. One message in flight per connection:
    // half the round trips take at least p50, so a connection fits at most 2 × 1 s ÷ p50 of
    // them in the hold (plus the last, sent just before the end).
    assert!(q[0] < FAST_MS, "{q:?}");
    assert!(
        received <= 4.0 * (2.0 * 1000.0 / q[0] + 1.0),
        "received {received}, p50 {} ms",
        q[0]
    );
    let f = finding(&v, "ws.message_rtt");
    assert!(
        f["summary"]
            .as_str()
            .unwrap()
            .starts_with(&format!("closed loop: {received} of {sent} messages echoed")),
        "{f}"
    );

    // The table shows the same figures.
    let out = run(aiwfe().args(["probe", "ws", &s.url(), "--hold", "300ms", "--await-echo"]));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let table = stdout(&out);
    for key in ["messages=", "rtt p50=", "rtt p99=", "ws.message_rtt  closed loop:"] {
        assert!(table.contains(key), "{key} missing:\n{table}");
    }

    // Fixed-rate sending has none of it.
    let (_, v) = probe(&[&s.url(), "--hold", "300ms", "--rate", "10"]);
    assert!(!has_measurement(&v, "message_rtt_p50_ms") && !has_measurement(&v, "messages_per_second"));
}

#[test]
fn await_echo_against_a_server_that_never_answers_is_a_hold_timeout() {
    let s = WsServer::start(WsBehaviour {
        silent: true,
        ..Default::default()
    });
    let started = std::time::Instant::now();
    let (out, v) = probe(&[&s.url(), "-n", "2", "-c", "2", "--hold", "10s", "--await-echo", "--timeout", "1s"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    // The first echo's deadline fires, long before the hold would have ended.
    assert!(started.elapsed() < Duration::from_secs(8), "{:?}", started.elapsed());
    assert_eq!(ms(&v, "failed"), 2.0);
    assert_eq!(ms(&v, "errors_timeout"), 2.0);
    assert_eq!(ms(&v, "messages_sent"), 2.0);
    assert_eq!(ms(&v, "messages_received"), 0.0);
    assert!(!has_measurement(&v, "message_rtt_p50_ms"));
    let f = finding(&v, "ws.timeout");
    assert_eq!(f["severity"], "error");
    let summary = f["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("2 of 2 connections: no echo within 1.0 s") && summary.contains("holding the connection"),
        "{f}"
    );
    // The handshake itself was fine and measured.
    assert!(ms(&v, "upgrade_p50_ms") < FAST_MS);
}

#[test]
fn await_echo_needs_hold_and_excludes_rate() {
    for args in [&["--await-echo"][..], &["--hold", "1s", "--await-echo", "--rate", "5"][..]] {
        let out = run(aiwfe().args(["probe", "ws", "ws://127.0.0.1:9/ws"]).args(args));
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn compare_shows_both_endpoints_with_ratios_per_phase() {
    let fast = WsServer::start(WsBehaviour::default());
    let slow = WsServer::start(WsBehaviour {
        upgrade_delay: Duration::from_millis(400),
        ..Default::default()
    });
    let (out, v) = probe(&[&fast.url(), "--compare", &slow.url(), "-n", "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let checks = v["checks"].as_array().unwrap();
    let ids: Vec<(&str, &str)> = checks
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["target"].as_str().unwrap()))
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[0], ("ws.handshake", fast.url().as_str()));
    assert_eq!(ids[1], ("ws.handshake", slow.url().as_str()));
    assert_eq!(ids[2].0, "ws.compare");
    let ratio = measurement(&v, "ws.compare", "upgrade_p50_ratio");
    assert!(ratio < 0.5, "fast ÷ slow upgrade ratio {ratio}");
    assert!(
        findings(&v)
            .iter()
            .any(|f| f["code"] == "ws.compare" && f["summary"].as_str().unwrap().starts_with("HTTP upgrade: p50 "))
    );

    // The table shows them side by side too.
    let out = run(aiwfe().args(["probe", "ws", &fast.url(), "--compare", &slow.url()]));
    let text = stdout(&out);
    assert!(text.contains("ws.compare") && text.contains("HTTP upgrade: p50"), "{text}");
}

#[test]
fn python_websockets_echo_server() {
    let py = PyWsServer::start();
    let url = format!("ws://localhost:{}/", py.port);
    let (out, v) = probe(&[
        &url, "-n", "20", "-c", "5", "--send", "ping-me", "--expect", "ping-me", "--ping", "3",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(ms(&v, "succeeded"), 20.0);
    for m in [
        "dns_p50_ms",
        "tcp_p50_ms",
        "upgrade_p50_ms",
        "first_message_p50_ms",
        "ping_rtt_p50_ms",
        "total_p50_ms",
    ] {
        assert!(ms(&v, m) > 0.0, "{m}");
    }

    // The closed loop against it: every message echoed, round trips measured.
    let (out, v) = probe(&[&url, "-n", "3", "-c", "3", "--hold", "500ms", "--await-echo", "--size", "1024"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let received = ms(&v, "messages_received");
    assert!(received > 0.0 && ms(&v, "messages_sent") == received, "{v}");
    assert!(ms(&v, "message_rtt_p50_ms") > 0.0 && ms(&v, "message_rtt_p50_ms") <= ms(&v, "message_rtt_p99_ms"));
    assert_eq!(ms(&v, "messages_per_second"), received * 2.0);
}

#[test]
fn doctor_runs_ws_only_when_a_url_is_configured() {
    let s = WsServer::start(WsBehaviour {
        require_token: Some((TokenAt::Header, TOKEN.into())),
        ..Default::default()
    });
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("aiwfe.yaml"),
        format!(
            "ws:\n  url: {}\n  token_env: WS_TOKEN\n  token_in: header\n  send: '{{\"type\":\"auth\"}}'\n  expect: auth_ok\n  warn_after: 2s\n",
            s.url()
        ),
    )
    .unwrap();
    let out = run(aiwfe()
        .args(["doctor", "--only", "ws", "-o", "json"])
        .current_dir(dir.path())
        .env("WS_TOKEN", TOKEN));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v = json(&out);
    finding(&v, "ws.handshake");
    assert!(measurement(&v, "ws.handshake", "first_message_p50_ms") > 0.0);

    // --ws on the command line, no config: runs without a token and is refused.
    let out = run(aiwfe().args(["doctor", "--only", "ws", "--ws", &s.url(), "-o", "json"]));
    assert_eq!(out.status.code(), Some(1));
    finding(&json(&out), "ws.upgrade_rejected");

    // --skip ws leaves it out even with a URL.
    let out = run(aiwfe().args(["doctor", "--skip", "redis,postgres,ws", "--ws", &s.url(), "-o", "json"]));
    assert_eq!(out.status.code(), Some(0));
    assert!(json(&out)["checks"].as_array().unwrap().is_empty());

    // No URL anywhere: doctor leaves the ws probe out; asking for it alone is exit 2.
    let r = dead_port();
    let out = run(aiwfe().args([
        "doctor",
        "--skip",
        "postgres",
        "--redis",
        &format!("redis://127.0.0.1:{}", r.port),
        "-o",
        "json",
    ]));
    let v = json(&out);
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| !c["id"].as_str().unwrap().starts_with("ws")),
        "{v}"
    );
    let out = run(aiwfe().args(["doctor", "--only", "ws"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no WebSocket URL"), "{}", stderr(&out));
}

#[test]
fn a_refused_upgrade_reads_right_as_a_table() {
    let s = WsServer::start(WsBehaviour {
        require_token: Some((TokenAt::Header, TOKEN.into())),
        ..Default::default()
    });
    let out = run(aiwfe()
        .args(["probe", "ws", &s.url(), "--token-env", "WS_TOKEN", "--token-in", "query"])
        .env("WS_TOKEN", TOKEN));
    assert_eq!(out.status.code(), Some(1));
    let table = stdout(&out).replace(&s.port.to_string(), "PORT");
    assert!(!table.contains(TOKEN));
    insta::assert_snapshot!("ws_upgrade_rejected_table", table);
}
