//! The leak scan: one secret fed through every error path aiwfe has (config file errors,
//! snapshot errors, what hostile servers and a real PostgreSQL answer), then looked for in
//! everything a user or a CI job keeps: stdout in every `-o` format, every `--report` file
//! kind, and stderr with `-vvv` logging. A regression in any redaction fails a row here.

use crate::support::hostile::{Behaviour, HostileServer, TERMINAL_ATTACK};
use crate::support::*;
use std::path::Path;
use std::time::Duration;

/// The secret every row hides somewhere; nothing aiwfe writes may hold it, in any form.
const SECRET: &str = "Leak-Canary-7f3a9c";

/// Every form the secret can take on its way out: as is (it has no character that JSON,
/// XML or Markdown escape, so every format would write it as it is), and base64 (Secret
/// data, Basic auth).
fn forms() -> Vec<String> {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    vec![SECRET.to_string(), b64(SECRET), b64(&format!("app:{SECRET}"))]
}

/// Every `-o` format doctor accepts (`aiwfe doctor --help`), and every `--report` kind.
const FORMATS: [&str; 6] = ["table", "json", "yaml", "junit", "sarif", "markdown"];
const REPORTS: [&str; 5] = ["json", "yaml", "xml", "sarif", "md"];

/// One row: the aiwfe arguments (after the command) and environment that route the secret
/// through one error path, what must show that the path ran, and what keeps its servers up.
struct Row {
    name: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    /// Text stdout or stderr of the `-o table` run holds when the path was taken.
    shows: &'static str,
    _keep: Box<dyn std::any::Any>,
}

fn row(name: &'static str, args: &[&str], shows: &'static str, keep: impl std::any::Any) -> Row {
    Row {
        name,
        args: args.iter().map(|a| a.to_string()).collect(),
        env: Vec::new(),
        shows,
        _keep: Box::new(keep),
    }
}

/// Runs `r` once per format, each with `-vvv` and a `--report` file, and fails on any form
/// of the secret in stdout, stderr or the report.
fn scan(r: &Row, dir: &Path) {
    for (i, format) in FORMATS.iter().enumerate() {
        let report = dir.join(format!("{}-{format}.{}", r.name, REPORTS[i % REPORTS.len()]));
        let mut c = aiwfe();
        c.args(&r.args).args(["-vvv", "-o", format, "--report"]).arg(&report);
        for (k, v) in &r.env {
            c.env(k, v);
        }
        let out = run(&mut c);
        let (o, e) = (stdout(&out), stderr(&out));
        let written = std::fs::read_to_string(&report).unwrap_or_default();
        if *format == "table" {
            assert!(
                o.contains(r.shows) || e.contains(r.shows),
                "{}: the path was not taken, no {:?} in:\n{o}\n{}",
                r.name,
                r.shows,
                tail(&e)
            );
        }
        for form in forms() {
            for (what, text) in [("stdout", &o), ("stderr", &e), ("--report", &written)] {
                if let Some(at) = text.find(&form) {
                    let from = text[..at].char_indices().rev().nth(200).map_or(0, |(i, _)| i);
                    panic!(
                        "{}: `-o {format}` {what} holds the secret ({form}):\n…{}",
                        r.name,
                        &text[from..(at + form.len() + 100).min(text.len())]
                    );
                }
            }
        }
    }
}

/// The last lines of a long `-vvv` log, for a failure message.
fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

fn config_rows(dir: &Path) -> Vec<Row> {
    let file = |name: &str, text: String| -> String {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    };
    let cases = [
        (
            "config-unknown-key",
            format!("redis:\n  url: redis://:{SECRET}@redis:6379\n  pasword_env: X\n"),
            "unknown field",
        ),
        (
            "config-wrong-type",
            format!("redis:\n  url: redis://app:{SECRET}@redis:6379\n  pings: banana\n"),
            "invalid",
        ),
        (
            "config-duplicate-key",
            format!("redis:\n  url: redis://:{SECRET}@redis:6379\n  url: redis://x\n"),
            "duplicate key",
        ),
        (
            "config-syntax",
            format!("redis:\n  url: \"redis://:{SECRET}@redis:6379\n"),
            "unclosed quote",
        ),
        (
            "config-ws-token",
            format!("ws:\n  url: ws://127.0.0.1:1/ws\n  token: {SECRET}\n  bogus: 1\n"),
            "unknown field",
        ),
        (
            "config-jwt-secret",
            format!("proxy:\n  jwt_secret: {SECRET}\n  upstream: 3\n"),
            "unknown field",
        ),
        (
            "config-postgres-password",
            format!("postgres:\n  password: \"{SECRET}\"\n  url: 5\n"),
            "unknown field",
        ),
        (
            "config-bad-url",
            format!("redis:\n  url: redis://:{SECRET}@red is:6379\n"),
            "is not a URL",
        ),
        (
            "config-bad-port",
            format!("postgres:\n  url: postgres://app:{SECRET}@db:99999/x\n"),
            "postgres url",
        ),
    ];
    cases
        .into_iter()
        .map(|(name, text, shows)| {
            let cfg = file(&format!("{name}.yaml"), text);
            row(name, &["doctor", "--config", &cfg], shows, ())
        })
        .collect()
}

fn snapshot_rows(dir: &Path) -> Vec<Row> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let incident = std::fs::read_to_string(root.join("examples/incident.yaml")).unwrap();
    let url_env = "            value: postgresql://aiwfe:Pg-Incident-Secret-7@postgres.aiwfe.svc.cluster.local:5432/aiwfe";
    let log_env = "          - name: LOG_LEVEL\n            value: INFO";
    let log_line = "redis.exceptions.AuthenticationError: Authentication required.";
    let secret_at = "      aiwfe.dev/fingerprints: '{\"password\": \"96c7284c\"}'";
    for needle in [url_env, log_env, log_line, secret_at] {
        assert!(incident.contains(needle), "examples/incident.yaml changed: no {needle:?}");
    }
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(SECRET);
    let cases = [
        (
            "snapshot-yaml-syntax",
            incident.replacen(url_env, &format!("            value: postgresql://aiwfe:{SECRET}@db:5432/aiwfe\n          - name: JWT_SECRET\n            value: {SECRET}\n            bad: : :"), 1),
            "cannot read the snapshot",
        ),
        (
            "snapshot-type-error",
            incident.replacen(url_env, &format!("            value: {{password: {SECRET}, url: 'redis://:{SECRET}@r'}}"), 1),
            "invalid type",
        ),
        (
            "snapshot-plain-env",
            incident.replacen(log_env, &format!("          - name: JWT_SECRET\n            value: {SECRET}\n          - name: REDIS_URL\n            value: redis://:{SECRET}@redis:6379\n{log_env}"), 1),
            "kube.plaintext_credential",
        ),
        (
            "snapshot-container-log",
            incident.replace(log_line, &format!("AUTH {SECRET} failed; password={SECRET} token: {SECRET} {log_line}")),
            "AUTH *** failed",
        ),
        (
            "snapshot-secret-data",
            incident.replacen(secret_at, &format!("{secret_at}\n  data:\n    password: {b64}\n  stringData:\n    other: {SECRET}"), 1),
            "redis-auth",
        ),
    ];
    let mut rows: Vec<Row> = cases
        .into_iter()
        .map(|(name, text, shows)| {
            let p = dir.join(format!("{name}.yaml"));
            std::fs::write(&p, text).unwrap();
            row(name, &["doctor", "--snapshot", p.to_str().unwrap()], shows, ())
        })
        .collect();
    // A JSON List cut off after a URL with the secret, and one whose env value has a type
    // error next to it.
    for (name, text, shows) in [
        (
            "snapshot-json-truncated",
            format!(
                r#"{{"apiVersion":"v1","kind":"List","items":[{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"p","namespace":"aiwfe"}},"spec":{{"containers":[{{"name":"c","env":[{{"name":"REDIS_URL","value":"redis://:{SECRET}@r:6379"}},{{"name":"X","value":5"#
            ),
            "cannot read the snapshot",
        ),
        (
            "snapshot-json-type",
            format!(
                r#"{{"apiVersion":"v1","kind":"List","items":[{{"apiVersion":"v1","kind":"Pod","metadata":{{"name":"p","namespace":"aiwfe"}},"spec":{{"containers":[{{"name":"c","env":[{{"name":"PASSWORD","value":["{SECRET}"]}}]}}]}}}}]}}"#
            ),
            "invalid type",
        ),
        // A file given by mistake that holds only a secret: a bare token, a YAML document
        // that is one quoted string, and a JSON string.
        ("snapshot-bare-token", format!("{SECRET}\n"), "not a snapshot"),
        ("snapshot-yaml-string", format!("--- '{SECRET} {SECRET}'\n"), "not a snapshot"),
        ("snapshot-json-string", format!("[\"{SECRET}\"]"), "invalid type: string"),
    ] {
        let p = dir.join(format!("{name}.json"));
        std::fs::write(&p, text).unwrap();
        rows.push(row(name, &["doctor", "--snapshot", p.to_str().unwrap()], shows, ()));
    }
    rows
}

fn http(status: &str, headers: &str, body: &str) -> Behaviour {
    Behaviour::Reply(
        format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

fn server_rows(dir: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    // Redis that echoes the AUTH password back in its error, bare and after keywords.
    let redis = HostileServer::start(Behaviour::Reply(
        format!("-ERR AUTH {SECRET} failed: WRONGPASS ({SECRET}) password={SECRET}\r\n").into_bytes(),
    ));
    let url = format!("redis://:{SECRET}@{}", redis.addr());
    rows.push(row(
        "redis-echoes-auth",
        &["probe", "redis", &url],
        "Redis answered with an error",
        redis,
    ));
    let redis = HostileServer::start(Behaviour::Reply(
        format!("-WRONGPASS app {SECRET} {TERMINAL_ATTACK}\r\n").into_bytes(),
    ));
    let url = format!("redis://app:{SECRET}@{}", redis.addr());
    rows.push(row("redis-acl-user-echo", &["doctor", "--redis", &url], "redis", redis));

    // A WebSocket gateway that echoes the token in its 403: status line, a header, the body.
    let echo = |token: &str| {
        http(
            &format!("403 Forbidden {token}"),
            &format!("X-Echo: {token}\r\nWWW-Authenticate: Bearer error=\"invalid_token\", token=\"{token}\"\r\n"),
            &format!("{{\"error\":\"bad token {token}\"}}"),
        )
    };
    let token = format!("tok.{SECRET}");
    for (name, token_in) in [
        ("ws-token-header", "header"),
        ("ws-token-query", "query"),
        ("ws-token-cookie", "cookie"),
        ("ws-token-subprotocol", "subprotocol"),
    ] {
        let ws = HostileServer::start(echo(&token));
        let url = format!("ws://{}/ws", ws.addr());
        let mut r = row(
            name,
            &["probe", "ws", &url, "--token-in", token_in],
            "refused the upgrade with 403",
            ws,
        );
        r.env.push(("AIWFE_WS_TOKEN", token.clone()));
        rows.push(r);
    }
    let ws = HostileServer::start(echo(SECRET));
    let url = format!("ws://user:{SECRET}@{}/ws?x=1&access_token={SECRET}&api_key={SECRET}", ws.addr());
    rows.push(row("ws-url-secrets", &["probe", "ws", &url], "refused the upgrade with 403", ws));
    // Basic credentials, echoed encoded and decoded.
    let ws = HostileServer::start(echo(&format!("{} app:{SECRET}", forms()[2])));
    let url = format!("ws://{}/ws", ws.addr());
    let basic = format!("Authorization: Basic {}", forms()[2]);
    rows.push(row(
        "ws-basic-header",
        &["probe", "ws", &url, "--header", &basic],
        "refused the upgrade with 403",
        ws,
    ));

    // A Kubernetes API (or a proxy in front of one) whose 403 quotes the kubeconfig's
    // bearer token, and a password aiwfe never knew (masked for its `password=`).
    let kube_token = format!("{SECRET}-kube");
    let status = format!(
        r#"{{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods is forbidden: token {kube_token} rejected, password={SECRET}","reason":"Forbidden","code":403}}"#
    );
    let kube = HostileServer::start(http("403 Forbidden", "", &status));
    let kubeconfig = dir.join("kubeconfig.yaml");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: \"http://{}\"}}}}]\nusers: [{{name: u, user: {{token: {kube_token}}}}}]\ncontexts: [{{name: c, context: {{cluster: c, user: u, namespace: aiwfe}}}}]\ncurrent-context: c\n",
            kube.addr()
        ),
    )
    .unwrap();
    rows.push(row(
        "kube-403-echoes-token",
        &["probe", "kube", "--kubeconfig", kubeconfig.to_str().unwrap()],
        "pods is forbidden",
        kube,
    ));
    rows
}

#[test]
fn the_scan_covers_every_output_format_doctor_accepts() {
    let help = stdout(&run(aiwfe().args(["doctor", "--help"])));
    let line = help
        .lines()
        .find(|l| l.contains("[possible values: table"))
        .unwrap_or_else(|| panic!("{help}"));
    let listed: Vec<&str> = line.split(": ").nth(1).unwrap().trim_end_matches(']').split(", ").collect();
    assert_eq!(listed, FORMATS, "a new -o format needs its place in the leak scan");
    assert!(SECRET.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
}

#[test]
fn no_secret_from_a_config_or_snapshot_error_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    for r in config_rows(dir.path()).iter().chain(&snapshot_rows(dir.path())) {
        scan(r, dir.path());
    }
}

#[test]
fn no_secret_a_hostile_server_echoes_reaches_any_output() {
    let dir = tempfile::tempdir().unwrap();
    for r in &server_rows(dir.path()) {
        scan(r, dir.path());
    }
}

#[test]
fn no_secret_from_a_long_query_or_the_password_reaches_any_output() {
    let pg = PgCluster::start();
    pg.psql(&format!("CREATE ROLE app LOGIN SUPERUSER PASSWORD '{SECRET}'"));
    let sql = format!("SELECT pg_sleep(60), $${SECRET}$$, $t${SECRET}$t$, E'{SECRET}\\n', '{SECRET}' AS password;");
    let _long = pg.hold_session("leaky", None, &sql);
    wait_until("the query to pass a second", Duration::from_secs(20), || {
        pg.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'leaky' AND now() - query_start > interval '1.1 s'") == "1"
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("aiwfe.yaml");
    std::fs::write(&cfg, "postgres:\n  long_query_warn_s: 1\n").unwrap();
    let url = pg.url("app", SECRET, "postgres");
    let wrong = pg.url("app", &format!("{SECRET}-wrong"), "postgres");
    for r in [
        row(
            "postgres-long-query",
            &["probe", "postgres", &url, "--config", cfg.to_str().unwrap()],
            "postgres.long_query",
            (),
        ),
        row(
            "postgres-wrong-password",
            &["probe", "postgres", &wrong],
            "password authentication failed",
            (),
        ),
    ] {
        scan(&r, dir.path());
    }
}

/// aiwfe's own log lines at `-vvv` quote what servers said (errors, reason phrases, the
/// libraries' traces of what they read): escaped as human output is, one event to a line,
/// with no secret.
#[test]
fn vvv_logs_escape_what_hostile_servers_say_and_hide_the_secret() {
    let attack = format!("denied {TERMINAL_ATTACK} \u{202e} AUTH {SECRET} failed password={SECRET}");
    let redis = HostileServer::start(Behaviour::Reply(format!("-ERR {attack}\r\n").into_bytes()));
    // A newline in a body would start a forged log line of its own (the ws probe folds a
    // body onto one line itself; a Kubernetes message reaches the log as it came).
    let forged = format!("{attack}\n2026-01-01T00:00:00Z  INFO FORGED all checks passed");
    let ws = HostileServer::start(http("403 Forbidden", &format!("X-Why: password={SECRET}\r\n"), &forged));
    let kube = HostileServer::start(http(
        "403 Forbidden",
        "",
        &serde_json::json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": forged, "reason": "Forbidden", "code": 403}).to_string(),
    ));
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig.yaml");
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters: [{{name: c, cluster: {{server: \"http://{}\"}}}}]\nusers: [{{name: u, user: {{token: kube-token-1234}}}}]\ncontexts: [{{name: c, context: {{cluster: c, user: u, namespace: aiwfe}}}}]\ncurrent-context: c\n",
            kube.addr()
        ),
    )
    .unwrap();
    let runs: [Vec<String>; 3] = [
        vec!["probe".into(), "redis".into(), format!("redis://{}", redis.addr())],
        vec!["probe".into(), "ws".into(), format!("ws://{}/ws", ws.addr())],
        vec![
            "probe".into(),
            "kube".into(),
            "--kubeconfig".into(),
            kubeconfig.to_string_lossy().into_owned(),
        ],
    ];
    for args in runs {
        let out = run(aiwfe().args(&args).arg("-vvv"));
        let log = stderr(&out);
        // The server's words reached the log, shown as `cat -v` shows them ...
        assert!(
            log.contains("denied ^[[2J^[]0;owned^G"),
            "{args:?}: the server's text is not in the log:\n{}",
            tail(&log)
        );
        // ... with no raw control character but the newlines between lines ...
        let bad: Vec<char> = log.chars().filter(|c| (c.is_control() && *c != '\n') || *c == '\u{202e}').collect();
        assert!(
            bad.is_empty(),
            "{args:?}: raw control characters {bad:?} in the log:\n{}",
            tail(&log)
        );
        // ... one event to a line ...
        assert!(
            args[1] != "kube" || log.contains("^J2026-01-01T00:00:00Z  INFO FORGED"),
            "{args:?}: the body's second line is not in the log:\n{}",
            tail(&log)
        );
        assert!(
            log.lines().all(|l| !l.contains("FORGED") || !l.starts_with("2026-01-01")),
            "{args:?}: a server's newline started a log line:\n{}",
            tail(&log)
        );
        // ... and without the secret it carried.
        assert!(!log.contains(SECRET), "{args:?}: the secret is in the log:\n{}", tail(&log));
    }
}
