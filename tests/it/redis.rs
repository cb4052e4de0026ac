//! `aiwfe probe redis` and `aiwfe doctor --only redis` against real redis-server processes.

use crate::support::*;
use std::time::{Duration, Instant};

const PW: &str = "R3dis-Secret-pw";

fn probe_json(url: &str) -> (std::process::Output, serde_json::Value) {
    let out = run(aiwfe().args(["probe", "redis", url, "-o", "json", "--timeout", "5s"]));
    let v = json(&out);
    (out, v)
}

#[test]
fn no_password_against_requirepass_is_noauth_and_fails_the_gate() {
    let r = RedisServer::start(&["--requirepass", PW]);
    let out = run(aiwfe().args(["doctor", "--only", "redis", "--redis", &r.url(""), "-o", "json"]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["status"], "error");
    let f = finding(&v, "redis.noauth");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["evidence"], "NOAUTH Authentication required.");
}

#[test]
fn wrong_password_is_wrongpass_with_the_servers_words() {
    let r = RedisServer::start(&["--requirepass", PW]);
    let (out, v) = probe_json(&r.url(":not-the-password"));
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "redis.wrongpass");
    assert_eq!(f["evidence"], "WRONGPASS invalid username-password pair or user is disabled.");
    assert!(!stdout(&out).contains("not-the-password"));
}

#[test]
fn right_password_authenticates_and_measures() {
    let r = RedisServer::start(&["--requirepass", PW]);
    let (out, v) = probe_json(&r.url(&format!(":{PW}")));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(v["status"], "ok");
    let ids: Vec<&str> = v["checks"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["redis.auth", "redis.latency", "redis.server"]);
    let p50 = measurement(&v, "redis.latency", "ping_p50_ms");
    let p99 = measurement(&v, "redis.latency", "ping_p99_ms");
    let max = measurement(&v, "redis.latency", "ping_max_ms");
    assert!(p50 > 0.0 && p50 <= p99 && p99 <= max, "p50 {p50} p99 {p99} max {max}");
    assert_eq!(measurement(&v, "redis.latency", "pings"), 20.0);
    assert_eq!(measurement(&v, "redis.server", "maxclients"), 10000.0);
    let auth = finding(&v, "redis.auth_ok");
    assert!(auth["summary"].as_str().unwrap().contains("as `default`"));
}

#[test]
fn connected_clients_counts_what_the_test_opened() {
    let r = RedisServer::start(&[]);
    let _held: Vec<_> = (0..3).map(|_| r.hold_connection(None)).collect();
    let (_, v) = probe_json(&r.url(""));
    // Three held connections plus the probe's own.
    assert_eq!(measurement(&v, "redis.server", "connected_clients"), 4.0);
    assert_eq!(measurement(&v, "redis.server", "clients_utilisation_pct"), 0.0);
    // No password on the server is a warning, not a gate failure by default.
    let f = finding(&v, "redis.no_password");
    assert_eq!(f["severity"], "warning");
}

#[test]
fn acl_user_with_right_and_wrong_password() {
    let r = RedisServer::start(&["--requirepass", PW, "--user", "app", "on", ">App-User-Pw", "~*", "+@all"]);
    let (out, v) = probe_json(&r.url("app:App-User-Pw"));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(finding(&v, "redis.auth_ok")["summary"].as_str().unwrap().contains("as `app`"));

    let (out, v) = probe_json(&r.url("app:Wrong-User-Pw"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        finding(&v, "redis.wrongpass")["evidence"],
        "WRONGPASS invalid username-password pair or user is disabled."
    );
}

#[test]
fn acl_user_without_info_permission_still_reports_latency() {
    let r = RedisServer::start(&["--user", "pinger", "on", ">Pinger-Pw-1", "~*", "+ping", "+auth", "+hello"]);
    let (out, v) = probe_json(&r.url("pinger:Pinger-Pw-1"));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    measurement(&v, "redis.latency", "ping_p50_ms");
    let f = finding(&v, "redis.noperm");
    assert_eq!(f["severity"], "info");
    assert!(f["evidence"].as_str().unwrap().starts_with("NOPERM"), "{f}");
}

#[test]
fn password_given_to_a_server_without_one() {
    let r = RedisServer::start(&[]);
    let (out, v) = probe_json(&r.url(&format!(":{PW}")));
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "redis.auth_not_configured");
    let e = f["evidence"].as_str().unwrap();
    assert!(e.starts_with("ERR AUTH <password> called without any password configured"), "{e}");
}

#[test]
fn maxclients_reached_is_reported_verbatim() {
    let r = RedisServer::start(&["--maxclients", "1"]);
    let _held = r.hold_connection(None);
    let (out, v) = probe_json(&r.url(""));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(finding(&v, "redis.maxclients")["evidence"], "ERR max number of clients reached");
}

#[test]
fn dead_port_is_a_finding_not_a_crash() {
    let dead = dead_port();
    let (out, v) = probe_json(&format!("redis://127.0.0.1:{}", dead.port));
    assert_eq!(out.status.code(), Some(1), "unreachable is a gate failure, never exit 2");
    let f = finding(&v, "redis.unreachable");
    assert!(f["evidence"].as_str().unwrap().contains("refused"), "{f}");
}

#[test]
fn hung_server_times_out_within_the_deadline() {
    let hole = Blackhole::start();
    let started = Instant::now();
    let out = run(aiwfe().args([
        "probe",
        "redis",
        &format!("redis://127.0.0.1:{}", hole.port),
        "-o",
        "json",
        "--timeout",
        "1s",
    ]));
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let f = finding(&v, "redis.timeout");
    assert!(f["summary"].as_str().unwrap().contains("1.0 s"), "{f}");
    // Generous bound: the point is that a hung server does not hang aiwfe.
    assert!(took < Duration::from_secs(8), "took {took:?}");
}

#[test]
fn password_from_env_var_named_in_config() {
    let r = RedisServer::start(&["--requirepass", PW]);
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("aiwfe.yaml");
    std::fs::write(
        &cfg,
        format!("redis:\n  url: {}\n  password_env: TEST_REDIS_PW\n  pings: 7\n", r.url("")),
    )
    .unwrap();
    let out = run(aiwfe()
        .args(["doctor", "--only", "redis", "-o", "json", "--config"])
        .arg(&cfg)
        .env("TEST_REDIS_PW", PW));
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let v = json(&out);
    assert_eq!(measurement(&v, "redis.latency", "pings"), 7.0);
    assert!(!stdout(&out).contains(PW));
}

#[test]
fn rediss_verifies_the_certificate_unless_told_otherwise() {
    let pki = TestPki::new();
    let (cert, key, ca) = (pki.path("server.pem"), pki.path("server.key"), pki.path("ca.pem"));
    let r = RedisServer::start(&[
        "--tls-port",
        RedisServer::TLS_PORT,
        "--tls-cert-file",
        cert.to_str().unwrap(),
        "--tls-key-file",
        key.to_str().unwrap(),
        "--tls-ca-cert-file",
        ca.to_str().unwrap(),
        "--tls-auth-clients",
        "no",
        "--requirepass",
        PW,
    ]);
    let url = format!("rediss://:{PW}@localhost:{}", r.tls_port.unwrap());

    // Signed by a CA this machine does not trust.
    let (out, v) = probe_json(&url);
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "redis.tls");
    assert!(f["evidence"].as_str().unwrap().to_lowercase().contains("certificate"), "{f}");

    // Trusting the test CA: verified TLS, then AUTH as usual.
    let out = run(aiwfe().args(["probe", "redis", &url, "--cacert", ca.to_str().unwrap(), "-o", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    finding(&json(&out), "redis.auth_ok");

    // Without verification.
    let (out, v) = probe_json(&format!("{url}#insecure"));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    finding(&v, "redis.auth_ok");

    // TLS to the plain-text port: Redis waits for a command that never ends, so the
    // handshake never completes; the finding says what to check.
    let out = run(aiwfe().args([
        "probe",
        "redis",
        &format!("rediss://:{PW}@localhost:{}", r.port),
        "-o",
        "json",
        "--timeout",
        "1s",
    ]));
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&json(&out), "redis.timeout");
    assert!(f["summary"].as_str().unwrap().ends_with("over TLS"), "{f}");
    assert!(f["hint"].as_str().unwrap().contains("use redis://"), "{f}");
}

#[test]
fn verbose_logs_each_connection_command_and_phase_without_the_password() {
    let r = RedisServer::start(&["--requirepass", PW]);
    let out = run(aiwfe().args(["probe", "redis", &r.url(&format!(":{PW}")), "-vv"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = stderr(&out);
    for line in [
        "redis: connecting to 127.0.0.1:",
        "redis.auth: authenticating",
        "redis: AUTH ***",
        "redis: 20 PINGs",
        "redis: INFO",
        "doctor: 3 checks done",
    ] {
        assert!(log.contains(line), "no {line:?} in:\n{log}");
    }
    assert!(!log.contains(PW) && !log.contains('\u{1b}'), "{log}");
    // `-v` shows the connections and phases, `-vv` adds the commands.
    let out = run(aiwfe().args(["probe", "redis", &r.url(&format!(":{PW}")), "-v"]));
    let log = stderr(&out);
    assert!(log.contains("redis: connecting to") && !log.contains("redis: AUTH"), "{log}");
}
