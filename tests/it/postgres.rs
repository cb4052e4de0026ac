//! `aiwfe probe postgres` against private PostgreSQL clusters started by the tests.

use crate::support::*;
use std::time::Duration;

fn probe(url: &str, extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let out = run(aiwfe()
        .args(["probe", "postgres", url, "-o", "json", "--timeout", "10s"])
        .args(extra));
    let v = json(&out);
    (out, v)
}

/// What psql itself counts per state, leaving out its own session (as aiwfe leaves out its own).
fn psql_counts(pg: &PgCluster) -> (f64, f64, f64) {
    let out = pg.psql(
        "SELECT count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state = 'idle'), \
                count(*) FILTER (WHERE state = 'idle in transaction') \
         FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
    );
    let n: Vec<f64> = out.split('|').map(|s| s.parse().unwrap()).collect();
    (n[0], n[1], n[2])
}

fn wait_for_states(pg: &PgCluster, want: (f64, f64, f64)) {
    wait_until("test sessions to settle in pg_stat_activity", Duration::from_secs(20), || {
        psql_counts(pg) == want
    });
}

#[test]
fn session_counts_match_what_psql_counts() {
    let pg = PgCluster::start();
    let _idle: Vec<_> = (0..3).map(|i| pg.hold_session(&format!("idle{i}"), None, "SELECT 1;")).collect();
    let _in_tx: Vec<_> = (0..2)
        .map(|i| pg.hold_session(&format!("tx{i}"), None, "BEGIN; SELECT 1;"))
        .collect();
    let _active = pg.hold_session("sleeper", None, "SELECT pg_sleep(120);");
    wait_for_states(&pg, (1.0, 3.0, 2.0));

    let (out, v) = probe(&pg.superuser_url(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let after = psql_counts(&pg);
    assert_eq!(after, (1.0, 3.0, 2.0), "sessions changed during the test");
    assert_eq!(measurement(&v, "postgres.connections", "sessions_active"), after.0);
    assert_eq!(measurement(&v, "postgres.connections", "sessions_idle"), after.1);
    assert_eq!(measurement(&v, "postgres.connections", "sessions_idle_in_transaction"), after.2);
    // Utilisation counts every client backend, aiwfe's own included: 7 of 97 usable.
    assert_eq!(measurement(&v, "postgres.connections", "connections_total"), 7.0);
    assert_eq!(measurement(&v, "postgres.connections", "max_connections"), 100.0);
    assert_eq!(measurement(&v, "postgres.connections", "usable_connections"), 97.0);
    assert_eq!(measurement(&v, "postgres.connections", "connections_utilisation_pct"), 7.2);
    let f = finding(&v, "postgres.connections");
    assert!(
        f["summary"].as_str().unwrap().contains("1 active, 3 idle, 2 idle in transaction"),
        "{f}"
    );
    let version = pg.psql("SHOW server_version").split_whitespace().next().unwrap().to_string();
    let c = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "postgres.connect")
        .unwrap();
    assert!(
        c["measurements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "version" && m["value"] == version.as_str())
    );
}

#[test]
fn stuck_sessions_lock_waits_and_long_queries_are_findings() {
    let pg = PgCluster::start();
    pg.psql("CREATE TABLE jobs (id int)");
    let _locker = pg.hold_session("locker", None, "BEGIN; LOCK TABLE jobs IN ACCESS EXCLUSIVE MODE;");
    wait_until("the locker to hold its lock", Duration::from_secs(20), || {
        pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'locker' AND state = 'idle in transaction'") == "1"
    });
    let _waiter = pg.hold_session("waiter", None, "SELECT count(*) FROM jobs WHERE 'secret-literal' <> '';");
    wait_until("the waiter to block", Duration::from_secs(20), || {
        pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'waiter' AND wait_event_type = 'Lock'") == "1"
    });
    // Both past the one-second thresholds below, by the server's clock.
    wait_until("the locker and the waiter to pass a second", Duration::from_secs(20), || {
        pg.psql(
            "SELECT count(*) FROM pg_stat_activity WHERE (application_name = 'locker' AND now() - state_change > interval '1.1 s') \
             OR (application_name = 'waiter' AND now() - query_start > interval '1.1 s')",
        ) == "2"
    });

    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("aiwfe.yaml");
    std::fs::write(&cfg, "postgres:\n  idle_in_transaction_warn_s: 1\n  long_query_warn_s: 1\n").unwrap();
    let (out, v) = probe(&pg.superuser_url(), &["--config", cfg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "warnings pass the default gate: {}", stdout(&out));
    assert_eq!(measurement(&v, "postgres.sessions", "lock_waiting_sessions"), 1.0);
    let locker_pid = pg.psql("SELECT pid FROM pg_stat_activity WHERE application_name = 'locker'");
    let waits = finding(&v, "postgres.lock_waits");
    assert!(
        waits["evidence"]
            .as_str()
            .unwrap()
            .contains(&format!("blocked by {{{locker_pid}}}")),
        "{waits}"
    );
    let idle = finding(&v, "postgres.idle_in_transaction");
    assert_eq!(idle["severity"], "warning");
    assert!(idle["summary"].as_str().unwrap().contains(&format!("pid {locker_pid}")), "{idle}");
    assert_eq!(idle["fix"], format!("psql -c 'SELECT pg_terminate_backend({locker_pid})'"));
    let long = finding(&v, "postgres.long_query");
    let text = long["evidence"].as_str().unwrap();
    assert!(text.contains("SELECT count(*) FROM jobs"), "{text}");
    assert!(!text.contains("secret-literal"), "string literals must be hidden: {text}");

    let out = run(aiwfe().args([
        "probe",
        "postgres",
        &pg.superuser_url(),
        "-o",
        "json",
        "--fail-on",
        "warning",
        "--config",
        cfg.to_str().unwrap(),
    ]));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn authentication_failures_carry_the_servers_message_and_sqlstate() {
    let pg = PgCluster::start();
    pg.psql("CREATE ROLE app LOGIN PASSWORD 'App-Pg-Pw-1'");
    pg.psql("CREATE ROLE limited LOGIN PASSWORD 'Limited-Pw-1' CONNECTION LIMIT 1");
    pg.psql("CREATE ROLE blocked LOGIN PASSWORD 'Blocked-Pw-1'");
    pg.prepend_hba("host all blocked 127.0.0.1/32 reject");

    let (out, v) = probe(&pg.url("app", "Wrong-Pg-Pw", "postgres"), &[]);
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "postgres.auth_failed");
    assert_eq!(
        f["evidence"],
        "FATAL: password authentication failed for user \"app\" (SQLSTATE 28P01)"
    );

    let (_, v) = probe(&pg.url("blocked", "Blocked-Pw-1", "postgres"), &[]);
    let f = finding(&v, "postgres.auth_rejected");
    let e = f["evidence"].as_str().unwrap();
    assert!(
        e.starts_with("FATAL: pg_hba.conf rejects connection for host \"127.0.0.1\", user \"blocked\""),
        "{e}"
    );
    assert!(e.ends_with("(SQLSTATE 28000)"), "{e}");

    let _held = pg.hold_session("held", Some(("limited", "Limited-Pw-1")), "SELECT 1;");
    wait_until("the limited role's session", Duration::from_secs(20), || {
        pg.psql("SELECT count(*) FROM pg_stat_activity WHERE usename = 'limited'") == "1"
    });
    let (_, v) = probe(&pg.url("limited", "Limited-Pw-1", "postgres"), &[]);
    let f = finding(&v, "postgres.too_many_clients");
    assert_eq!(f["evidence"], "FATAL: too many connections for role \"limited\" (SQLSTATE 53300)");

    let (_, v) = probe(&pg.url("app", "App-Pg-Pw-1", "nosuchdb"), &[]);
    assert_eq!(
        finding(&v, "postgres.database_missing")["evidence"],
        "FATAL: database \"nosuchdb\" does not exist (SQLSTATE 3D000)"
    );
}

#[test]
fn server_out_of_connection_slots_is_too_many_clients() {
    let pg = PgCluster::start_with(&["max_connections=3", "superuser_reserved_connections=0"]);
    let mut held: Vec<_> = (0..3).map(|i| pg.hold_session(&format!("h{i}"), None, "SELECT 1;")).collect();
    wait_until("the sessions to take every slot", Duration::from_secs(20), || {
        if pg.try_psql("SELECT 1").is_err_and(|e| e.contains("too many clients")) {
            return true;
        }
        // The check itself may have taken the slot a session was about to get: start again
        // the sessions that were refused.
        for (i, s) in held.iter_mut().enumerate() {
            if s.ended() {
                *s = pg.hold_session(&format!("h{i}"), None, "SELECT 1;");
            }
        }
        false
    });
    let (out, v) = probe(&pg.superuser_url(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        finding(&v, "postgres.too_many_clients")["evidence"],
        "FATAL: sorry, too many clients already (SQLSTATE 53300)"
    );
}

#[test]
fn non_superuser_sees_hidden_sessions_as_limited_view() {
    let pg = PgCluster::start();
    pg.psql("CREATE ROLE watcher LOGIN PASSWORD 'Watcher-Pw-1'");
    let _s = pg.hold_session("other", None, "SELECT 1;");
    wait_until("the superuser session", Duration::from_secs(20), || {
        pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'other'") == "1"
    });
    let (out, v) = probe(&pg.url("watcher", "Watcher-Pw-1", "postgres"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(finding(&v, "postgres.limited_view")["severity"], "info");
    // The hidden superuser session still counts against max_connections.
    assert!(measurement(&v, "postgres.connections", "connections_total") >= 2.0);

    pg.psql("GRANT pg_monitor TO watcher");
    let (_, v) = probe(&pg.url("watcher", "Watcher-Pw-1", "postgres"), &[]);
    assert!(crate::support::findings(&v).iter().all(|f| f["code"] != "postgres.limited_view"));
    assert_eq!(measurement(&v, "postgres.connections", "sessions_idle"), 1.0);
}

#[test]
fn sslmode_require_uses_tls_and_fails_clearly_without_it() {
    let pg = PgCluster::start();
    let (out, v) = probe(&format!("{}?sslmode=require", pg.superuser_url()), &[]);
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "postgres.tls");
    assert!(f["evidence"].as_str().unwrap().contains("server does not support TLS"), "{f}");

    // Turn TLS on with a self-signed certificate, as a managed database would have.
    let data = pg.data_dir();
    let ok = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
        ])
        .arg("-keyout")
        .arg(data.join("server.key"))
        .arg("-out")
        .arg(data.join("server.crt"))
        .output()
        .expect("openssl");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    std::process::Command::new("chown")
        .args(["postgres:postgres"])
        .arg(data.join("server.key"))
        .arg(data.join("server.crt"))
        .status()
        .ok();
    std::process::Command::new("chmod")
        .arg("600")
        .arg(data.join("server.key"))
        .status()
        .ok();
    pg.psql("ALTER SYSTEM SET ssl = on");
    pg.psql("SELECT pg_reload_conf()");
    wait_until("ssl to be on", Duration::from_secs(10), || pg.psql("SHOW ssl") == "on");

    // From now on the server refuses any connection without TLS.
    pg.prepend_hba("hostnossl all all 127.0.0.1/32 reject");

    let (out, v) = probe(&format!("{}?sslmode=require", pg.superuser_url()), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    finding(&v, "postgres.connect");

    let (_, v) = probe(&format!("{}?sslmode=disable", pg.superuser_url()), &[]);
    let e = finding(&v, "postgres.auth_rejected")["evidence"].as_str().unwrap().to_string();
    assert!(e.contains("no encryption"), "{e}");
}

#[test]
fn dead_port_is_a_finding() {
    let dead = dead_port();
    let (out, v) = probe(&format!("postgres://postgres:Some-Pw-123@127.0.0.1:{}/postgres", dead.port), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        finding(&v, "postgres.unreachable")["evidence"]
            .as_str()
            .unwrap()
            .contains("refused")
    );
}

#[test]
fn hung_server_times_out() {
    let hole = Blackhole::start();
    let out = run(aiwfe().args([
        "probe",
        "postgres",
        &format!("postgres://u:Some-Pw-123@127.0.0.1:{}/db", hole.port),
        "-o",
        "json",
        "--timeout",
        "1s",
    ]));
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let codes: Vec<String> = findings(&v).iter().map(|f| f["code"].as_str().unwrap().to_string()).collect();
    assert_eq!(codes, ["postgres.timeout"]);
}

#[test]
fn verbose_logs_the_connection_and_each_query_without_the_password() {
    let pg = PgCluster::start();
    pg.psql("CREATE ROLE app LOGIN PASSWORD 'App-Pg-Pw-1'");
    let out = run(aiwfe().args(["probe", "postgres", &pg.url("app", "App-Pg-Pw-1", "postgres"), "-vv"]));
    let log = stderr(&out);
    for line in [
        "postgres: connecting to postgres://app:***@",
        "postgres: SELECT current_setting('server_version')",
        "postgres.connections: reading pg_stat_activity",
    ] {
        assert!(log.contains(line), "no {line:?} in:\n{log}");
    }
    assert!(!log.contains("App-Pg-Pw-1"), "{log}");
}
