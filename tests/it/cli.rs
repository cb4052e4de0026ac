//! Exit codes, config handling and completions: the contract CI jobs rely on.

use crate::support::*;

#[test]
fn bad_flag_exits_2() {
    let out = run(aiwfe().args(["doctor", "--no-such-flag"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--no-such-flag"));
}

#[test]
fn bad_fail_on_value_exits_2() {
    let out = run(aiwfe().args(["doctor", "--fail-on", "sometimes"]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn unknown_probe_in_only_exits_2_and_names_the_known_ones() {
    let out = run(aiwfe().args(["doctor", "--only", "redis,mongo"]));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("unknown probe `mongo`") && err.contains("redis, postgres"), "{err}");
}

#[test]
fn config_typo_exits_2_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("aiwfe.yaml");
    std::fs::write(&cfg, "redis:\n  url: redis://127.0.0.1:6379\n  pasword_env: REDIS_PW\n").unwrap();
    let out = run(aiwfe().args(["doctor", "--config"]).arg(&cfg));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("aiwfe.yaml"), "{err}");
    assert!(err.contains("pasword_env"), "{err}");
    assert!(err.contains("line 3"), "no line number: {err}");
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn unreadable_config_exits_2() {
    let out = run(aiwfe().args(["doctor", "--config", "/nonexistent/aiwfe.yaml"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read config file `/nonexistent/aiwfe.yaml`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn config_in_working_directory_is_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aiwfe.yaml"), "timeout: never\n").unwrap();
    let out = run(aiwfe().args(["doctor"]).current_dir(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`never` is not a duration"), "{}", stderr(&out));
}

#[test]
fn bad_url_exits_2_without_echoing_the_password() {
    let out = run(aiwfe().args(["probe", "redis", "http://:Url-Secret-1@host:6379"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(!stderr(&out).contains("Url-Secret-1"));
    assert!(stderr(&out).contains("rediss://"), "{}", stderr(&out));
}

#[test]
fn unreachable_services_are_exit_1_never_2() {
    let (r, p) = (dead_port(), dead_port());
    let out = run(aiwfe().args([
        "doctor",
        "--redis",
        &format!("redis://127.0.0.1:{}", r.port),
        "--postgres",
        &format!("postgres://u:Pw-123456@127.0.0.1:{}/db", p.port),
        "-o",
        "json",
    ]));
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    finding(&v, "redis.unreachable");
    finding(&v, "postgres.unreachable");
    let out = run(aiwfe().args([
        "doctor",
        "--redis",
        &format!("redis://127.0.0.1:{}", r.port),
        "--postgres",
        &format!("postgres://u@127.0.0.1:{}/db", p.port),
        "--fail-on",
        "never",
    ]));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn ignore_silences_a_code() {
    let r = dead_port();
    let out = run(aiwfe().args([
        "doctor",
        "--only",
        "redis",
        "--redis",
        &format!("redis://127.0.0.1:{}", r.port),
        "--ignore",
        "redis.unreachable",
        "-o",
        "json",
    ]));
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["status"], "ok");
    assert!(findings(&v).is_empty());
}

#[test]
fn doctor_without_config_uses_local_defaults() {
    // Nothing is assumed to listen on the defaults; what matters is that the targets are
    // the documented ones and that their state is reported, not a crash.
    let out = run(aiwfe().args(["doctor", "-o", "json", "--timeout", "3s"]));
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let v = json(&out);
    let targets: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["target"].as_str().unwrap())
        .collect();
    assert!(targets.contains(&"redis://127.0.0.1:6379"), "{targets:?}");
    assert!(targets.contains(&"postgres://postgres@localhost:5432/postgres"), "{targets:?}");
}

#[test]
fn committed_completions_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(aiwfe().args(["completions", "--dir"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    for name in ["aiwfe.bash", "_aiwfe", "aiwfe.fish", "_aiwfe.ps1", "aiwfe.elv"] {
        let fresh = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let old = std::fs::read_to_string(committed.join(name)).unwrap_or_default();
        assert!(
            fresh == old,
            "completions/{name} is stale: run `cargo run -- completions --dir completions`"
        );
    }
    let out = run(aiwfe().args(["completions", "bash"]));
    assert!(stdout(&out).contains("_aiwfe()"), "bash script expected");
}

#[test]
fn committed_man_pages_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(aiwfe().args(["man", "--dir"]).arg(dir.path()));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let names = |d: &std::path::Path| -> std::collections::BTreeSet<String> {
        std::fs::read_dir(d)
            .map(|r| r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default()
    };
    let fresh = names(dir.path());
    assert!(fresh.contains("aiwfe.1") && fresh.contains("aiwfe-doctor.1") && fresh.contains("aiwfe-tune-resources.1"));
    let stale = "run `cargo run -- man --dir man` (and commit man/)";
    assert_eq!(fresh, names(&committed), "man/ has other pages than the commands: {stale}");
    for name in &fresh {
        let new = std::fs::read_to_string(dir.path().join(name)).unwrap();
        let old = std::fs::read_to_string(committed.join(name)).unwrap_or_default();
        assert!(new == old, "man/{name} is stale: {stale}");
    }
    let out = run(aiwfe().args(["man"]));
    assert_eq!(stdout(&out), std::fs::read_to_string(committed.join("aiwfe.1")).unwrap());
}

/// `man -l man/aiwfe.1` renders every page, without a warning from groff.
#[test]
fn man_pages_render_with_man() {
    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    for name in ["aiwfe.1", "aiwfe-doctor.1", "aiwfe-probe-ws.1"] {
        let out = std::process::Command::new("man")
            .args(["--warnings", "-l"])
            .arg(committed.join(name))
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .expect("man (Debian's man-db) renders the pages");
        assert!(out.status.success(), "man -l man/{name}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "man -l man/{name} warns: {}", stderr(&out));
        let text = stdout(&out);
        assert!(
            text.contains("NAME") && text.contains("SYNOPSIS") && text.contains("OPTIONS"),
            "{text}"
        );
    }
    let doctor = stdout(
        &std::process::Command::new("man")
            .arg("-l")
            .arg(committed.join("aiwfe-doctor.1"))
            .env("MANPAGER", "cat")
            .output()
            .unwrap(),
    );
    assert!(doctor.contains("--snapshot"), "{doctor}");
}

/// Every finding code the source can emit is documented in README's table.
#[test]
fn every_finding_code_is_documented_in_readme() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut codes = std::collections::BTreeSet::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("Finding::new(") {
                let rest = text[i + "Finding::new(".len()..].trim_start();
                if let Some(lit) = rest.strip_prefix('"') {
                    codes.insert(lit[..lit.find('"').unwrap()].to_string());
                }
            }
        }
    }
    assert!(codes.len() > 20, "found only {codes:?}");
    // Built with format!: one per probe.
    codes.extend(["redis.timeout".to_string(), "postgres.timeout".to_string()]);
    let missing: Vec<_> = codes.iter().filter(|c| !readme.contains(&format!("| `{c}` |"))).collect();
    assert!(missing.is_empty(), "README's finding codes table lacks {missing:?}");
}

#[test]
fn a_command_reads_only_the_settings_it_uses() {
    // A broken libpq variable and a broken aiwfe.yaml stop the commands that read them...
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("aiwfe.yaml"), "redis: [not, a, section]\n").unwrap();
    let out = run(aiwfe().env("PGPORT", "abc").args(["doctor", "--only", "postgres"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`PGPORT`: `abc` is not a port"), "{}", stderr(&out));
    let out = run(aiwfe()
        .current_dir(dir.path())
        .args(["probe", "kube", "--snapshot"])
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml")));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("aiwfe.yaml"), "{}", stderr(&out));
    // ...and no other command.
    let out = run(aiwfe().env("PGPORT", "abc").current_dir(dir.path()).args(["completions", "bash"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("_aiwfe()"));
    let out = run(aiwfe()
        .env("PGPORT", "abc")
        .current_dir(dir.path())
        .args(["rbac", "--for", "doctor"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(aiwfe()
        .env("PGPORT", "abc")
        .args(["probe", "kube", "--snapshot"])
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml"))
        .args(["--fail-on", "never"]));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_report_that_cannot_be_written_fails_the_run_and_a_closed_pipe_does_not() {
    let incident = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml");
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = aiwfe()
        .args(["doctor", "-o", "json", "--snapshot"])
        .arg(&incident)
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a gate that wrote nothing must not pass");
    assert!(stderr(&out).contains("no space left on device"), "{}", stderr(&out));
    // `aiwfe doctor | head -c 10`: the reader goes away; the gate's own code stands.
    let mut child = aiwfe()
        .args(["doctor", "--snapshot"])
        .arg(&incident)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn a_closed_stderr_ends_no_run_with_a_panic() {
    let incident = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml");
    let closed = |args: &[&str], close_stdout: bool| {
        let mut child = aiwfe()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // `2>&1 | head -c 10`: the reader is gone before aiwfe writes.
        drop(child.stderr.take());
        if close_stdout {
            drop(child.stdout.take());
        }
        child.wait_with_output().unwrap().status.code()
    };
    let snap = incident.to_str().unwrap();
    assert_eq!(
        closed(&["doctor", "--snapshot", snap, "-vvv"], true),
        Some(1),
        "the gate's own code"
    );
    assert_eq!(closed(&["doctor", "--snapshot", snap, "-v"], false), Some(1));
    assert_eq!(
        closed(&["doctor", "--snapshot", "/no/such/file.yaml"], true),
        Some(2),
        "an error that cannot be told"
    );
    assert_eq!(closed(&["doctor", "--no-such-flag"], true), Some(2));
}
