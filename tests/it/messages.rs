//! What aiwfe says when a setting or a file is wrong: the name the user wrote, the real
//! reason, a message of readable size, and never a secret from the file.

use crate::support::*;

fn with_config(text: &str, args: &[&str]) -> (std::process::Output, String) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("aiwfe.yaml");
    std::fs::write(&cfg, text).unwrap();
    let out = run(aiwfe().args(args).arg("--config").arg(&cfg));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    (out, err)
}

#[test]
fn a_bad_value_in_the_file_is_named_by_its_key_not_by_a_flag() {
    let (_, err) = with_config("timeout: banana\n", &["doctor"]);
    assert!(err.contains("invalid value for `timeout`"), "{err}");
    let (_, err) = with_config("redis:\n  url: redis://127.0.0.1:1\n  pings: 0\n", &["doctor", "--only", "redis"]);
    assert!(err.contains("invalid value for `redis.pings`"), "{err}");
    // A range error gets no hint about what a URL looks like.
    assert!(!err.contains("URL looks like"), "{err}");
    let (_, err) = with_config("ws:\n  url: ws://127.0.0.1:1/ws\n  connections: 0\n", &["doctor", "--only", "ws"]);
    assert!(err.contains("invalid value for `ws.connections`"), "{err}");
    // The flag, when the flag gave it.
    let (_, err) = with_config("timeout: 5s\n", &["doctor", "--timeout", "banana"]);
    assert!(err.contains("invalid value for `--timeout`"), "{err}");
    let (_, err) = with_config(
        "postgres:\n  url: postgres://app@127.0.0.1:1/app\n  connections_warn_pct: 500\n",
        &["doctor", "--only", "postgres"],
    );
    assert!(
        err.contains("postgres.connections_warn_pct") && !err.contains("URL looks like"),
        "{err}"
    );
}

#[test]
fn config_errors_quote_the_file_without_its_credentials() {
    let secret = "Sup3rSecretPw-9f2c";
    for text in [
        format!("redis:\n  url: redis://:{secret}@redis:6379\n  pasword_env: X\n"),
        format!("redis:\n  url: redis://:{secret}@redis:6379\n  url: redis://x\n"),
        format!("postgres:\n  password: {secret}\n"),
    ] {
        let (out, err) = with_config(&text, &["doctor"]);
        assert!(err.contains("line "), "{err}");
        assert!(!err.contains(secret) && !stdout(&out).contains(secret), "{err}");
        assert!(!err.contains("DuplicateKeyPolicy"), "{err}");
    }
}

#[test]
fn a_symlink_loop_is_not_called_missing() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.yaml");
    std::os::unix::fs::symlink(dir.path().join("b.yaml"), &a).unwrap();
    std::os::unix::fs::symlink(&a, dir.path().join("b.yaml")).unwrap();
    let out = run(aiwfe().args(["probe", "kube", "--snapshot"]).arg(&a));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("too many levels of symbolic links") && !err.contains("does not exist"),
        "{err}"
    );
}

#[test]
fn a_huge_bad_value_is_clipped_in_the_error() {
    // A port of 100,000 digits: not a URL, and the error quotes it.
    let url = format!("redis://h:{}", "9".repeat(100_000));
    let out = run(aiwfe().args(["probe", "redis", &url]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{}", &err[..err.len().min(300)]);
    assert!(err.len() < 4000, "{} bytes on stderr", err.len());
    assert!(err.contains("more characters)"), "{err}");
}

#[test]
fn crash_loop_evidence_masks_the_credentials_the_app_logged() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let incident = std::fs::read_to_string(root.join("examples/incident.yaml")).unwrap();
    let line = "redis.exceptions.AuthenticationError: Authentication required.";
    assert!(incident.contains(line));
    let logged = "redis.exceptions.AuthenticationError: AUTH s3cr3t-pw-77 failed (password=s3cr3t-pw-77)";
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("incident.yaml");
    std::fs::write(&snap, incident.replace(line, logged)).unwrap();
    let out = run(aiwfe().args(["doctor", "-o", "json", "--snapshot"]).arg(&snap));
    let v = json(&out);
    let crash = finding(&v, "kube.crashloop");
    assert_eq!(
        crash["evidence"],
        "redis.exceptions.AuthenticationError: AUTH *** failed (password=***)"
    );
    for format in ["table", "yaml", "sarif", "junit", "markdown"] {
        let out = run(aiwfe().args(["doctor", "-v", "-o", format, "--snapshot"]).arg(&snap));
        assert!(!stdout(&out).contains("s3cr3t-pw-77"), "{format}: {}", stdout(&out));
    }
}
