//! Contracts a user relies on, each checked on a real server's report: what `--fail-on`
//! and `--ignore` make of the exit code, which query parameters are masked, the variables
//! the README documents for URLs and passwords (used, and never printed), and the proxy's
//! answer to a request that is not a WebSocket upgrade.

use crate::proxy::Proxy;
use crate::support::ws::{WsBehaviour, WsServer};
use crate::support::*;

const PW: &str = "Contract-Redis-Pw-7";

/// `aiwfe doctor --only redis` (or postgres) with `env`, and its JSON report.
fn doctor(only: &str, env: &[(&str, &str)], extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let mut c = aiwfe();
    c.args(["doctor", "--only", only, "-o", "json", "--timeout", "10s"]).args(extra);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = run(&mut c);
    let v = json(&out);
    (out, v)
}

fn codes(v: &serde_json::Value) -> Vec<String> {
    findings(v).iter().map(|f| f["code"].as_str().unwrap().to_string()).collect()
}

fn exit(args: &[&str]) -> Option<i32> {
    run(aiwfe().args(args)).status.code()
}

#[test]
fn fail_on_sets_the_least_severity_that_fails_a_real_report() {
    // An ACL user that may not run INFO: the worst finding is `info` (redis.noperm).
    let limited = RedisServer::start(&["--user", "pinger", "on", ">Pinger-Pw-1", "~*", "+ping", "+auth", "+hello"]);
    let url = limited.url("pinger:Pinger-Pw-1");
    let out = run(aiwfe().args(["probe", "redis", &url, "-o", "json"]));
    let worst = findings(&json(&out))
        .iter()
        .map(|f| f["severity"].as_str().unwrap().to_string())
        .collect::<Vec<_>>();
    assert!(
        worst.contains(&"info".to_string()) && !worst.iter().any(|s| s == "warning" || s == "error"),
        "{worst:?}"
    );
    for (gate, code) in [("info", 1), ("warning", 0), ("error", 0), ("never", 0)] {
        assert_eq!(
            exit(&["probe", "redis", &url, "--fail-on", gate]),
            Some(code),
            "--fail-on {gate} on an info report"
        );
    }
    assert_eq!(exit(&["probe", "redis", &url]), Some(0), "the default gate is error");
    // Ignoring the info finding leaves nothing for `--fail-on info` to fail on.
    assert_eq!(
        exit(&["probe", "redis", &url, "--fail-on", "info", "--ignore", "redis.noperm"]),
        Some(0)
    );
    assert_eq!(exit(&["probe", "redis", &url, "--fail-on", "info", "--ignore", "redis.*"]), Some(0));
    assert_eq!(
        exit(&["probe", "redis", &url, "--fail-on", "info", "--ignore", "redis.noper"]),
        Some(1),
        "not a prefix without `*`"
    );

    // A server that asks for no password: a warning (redis.no_password).
    let open = RedisServer::start(&[]);
    let url = open.url("");
    let out = run(aiwfe().args(["probe", "redis", &url, "-o", "json"]));
    assert_eq!(finding(&json(&out), "redis.no_password")["severity"], "warning");
    for (gate, code) in [("info", 1), ("warning", 1), ("error", 0), ("never", 0)] {
        assert_eq!(
            exit(&["probe", "redis", &url, "--fail-on", gate]),
            Some(code),
            "--fail-on {gate} on a warning report"
        );
    }
    assert_eq!(
        exit(&["probe", "redis", &url, "--fail-on", "warning", "--ignore", "redis.no_password"]),
        Some(0)
    );

    // No password for a server that asks for one: an error.
    let closed = RedisServer::start(&["--requirepass", PW]);
    let url = closed.url("");
    for (gate, code) in [("info", 1), ("warning", 1), ("error", 1), ("never", 0)] {
        assert_eq!(
            exit(&["probe", "redis", &url, "--fail-on", gate]),
            Some(code),
            "--fail-on {gate} on an error report"
        );
    }
    // The JUnit report follows the gate too: a failure only where the gate fails.
    let junit = |gate: &str| stdout(&run(aiwfe().args(["probe", "redis", &url, "-o", "junit", "--fail-on", gate])));
    assert!(junit("error").contains("<failure"), "{}", junit("error"));
    assert!(!junit("never").contains("<failure"), "{}", junit("never"));
}

#[test]
fn secret_query_parameters_are_masked_in_every_output() {
    let dead = dead_port();
    let secrets = [
        ("password", "Qp-Password-1"),
        ("passwd", "Qp-Passwd-2"),
        ("pass", "Qp-Pass-3"),
        ("token", "Qp-Token-4"),
        ("secret", "Qp-Secret-5"),
        ("access_token", "Qp-Access-6"),
        ("sslpassword", "Qp-Ssl-7"),
    ];
    let query: Vec<String> = secrets.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let url = format!("ws://127.0.0.1:{}/ws?room=lobby&{}", dead.port, query.join("&"));
    for format in ["json", "table", "markdown", "sarif", "junit", "yaml"] {
        let out = run(aiwfe().args(["probe", "ws", &url, "-o", format]));
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        let text = format!("{}{}", stdout(&out), stderr(&out));
        for (k, v) in secrets {
            assert!(!text.contains(v), "{format} shows the {k} parameter: {text}");
        }
        assert!(text.contains("room=lobby"), "{format}: {text}");
    }
    let out = run(aiwfe().args(["probe", "ws", &url, "-o", "json"]));
    let target = json(&out)["checks"][0]["target"].as_str().unwrap().to_string();
    for (k, _) in secrets {
        assert!(target.contains(&format!("{k}=***")), "{k}: {target}");
    }
}

#[test]
fn redis_urls_and_passwords_from_the_documented_variables_are_used_and_never_printed() {
    let r = RedisServer::start(&["--requirepass", PW]);
    let with_pw = r.url(&format!(":{PW}"));
    let (out, v) = doctor("redis", &[("AIWFE_REDIS_URL", &with_pw)], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(codes(&v).contains(&"redis.auth_ok".to_string()), "{:?}", codes(&v));
    // A URL without a password takes REDISCLI_AUTH, as redis-cli does.
    let (out, v) = doctor("redis", &[("AIWFE_REDIS_URL", &r.url("")), ("REDISCLI_AUTH", PW)], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(codes(&v).contains(&"redis.auth_ok".to_string()), "{:?}", codes(&v));
    let (out, v) = doctor(
        "redis",
        &[("AIWFE_REDIS_URL", &r.url("")), ("REDISCLI_AUTH", "Wrong-Cli-Pw-9")],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(codes(&v).contains(&"redis.wrongpass".to_string()), "{:?}", codes(&v));
    for (out, secret) in [
        (doctor("redis", &[("AIWFE_REDIS_URL", &with_pw)], &[]).0, PW),
        (
            run(aiwfe().args(["doctor", "--only", "redis"]).env("AIWFE_REDIS_URL", &with_pw)),
            PW,
        ),
        (
            run(aiwfe()
                .args(["doctor", "--only", "redis", "-v"])
                .env("AIWFE_REDIS_URL", r.url(""))
                .env("REDISCLI_AUTH", PW)),
            PW,
        ),
        (
            run(aiwfe()
                .args(["doctor", "--only", "redis", "-v"])
                .env("AIWFE_REDIS_URL", r.url(""))
                .env("REDISCLI_AUTH", "Wrong-Cli-Pw-9")),
            "Wrong-Cli-Pw-9",
        ),
    ] {
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!text.contains(secret), "the password was printed: {text}");
    }
}

#[test]
fn postgres_urls_and_pg_variables_are_used_and_never_printed() {
    let pg = PgCluster::start();
    let url = pg.superuser_url();
    let port = pg.port.to_string();
    let (out, v) = doctor("postgres", &[("AIWFE_POSTGRES_URL", &url)], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(codes(&v).contains(&"postgres.connections".to_string()), "{:?}", codes(&v));
    // Without a URL, the PG* variables apply as they do for psql.
    let pg_env = [
        ("PGHOST", "127.0.0.1"),
        ("PGPORT", port.as_str()),
        ("PGUSER", "postgres"),
        ("PGPASSWORD", PG_SUPERUSER_PASSWORD),
        ("PGDATABASE", "postgres"),
    ];
    let (out, v) = doctor("postgres", &pg_env, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(codes(&v).contains(&"postgres.connections".to_string()), "{:?}", codes(&v));
    let mut wrong = pg_env;
    wrong[3].1 = "Wrong-Pg-Pw-3";
    let (out, v) = doctor("postgres", &wrong, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(codes(&v).contains(&"postgres.auth_failed".to_string()), "{:?}", codes(&v));
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!text.contains("Wrong-Pg-Pw-3"), "{text}");
    for env in [&[("AIWFE_POSTGRES_URL", url.as_str())][..], &pg_env[..]] {
        let mut c = aiwfe();
        c.args(["doctor", "--only", "postgres", "-v"]);
        for (k, v) in env {
            c.env(k, v);
        }
        let out = run(&mut c);
        let text = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!text.contains(PG_SUPERUSER_PASSWORD), "the password was printed: {text}");
    }
}

#[test]
fn the_proxy_answers_426_to_a_request_that_is_not_an_upgrade() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &[]);
    for request in [
        "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "POST /ws HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n",
        "GET /anything HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ] {
        let reply = crate::proxy::http(proxy.port, request).unwrap();
        assert!(reply.starts_with("HTTP/1.1 426"), "{request:?} -> {reply}");
        assert!(reply.contains("this path proxies WebSocket connections"), "{reply}");
    }
    assert!(up.requests().is_empty(), "nothing went upstream: {:?}", up.requests());
    assert!(proxy.get("/healthz").starts_with("HTTP/1.1 200"));
}
