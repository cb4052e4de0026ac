//! Kubernetes diagnosis at cluster scale: big snapshots of real-sized objects (the
//! generator in `tests/support/bigcluster.rs`), findings grouped by workload, and hostile
//! snapshots that must fail fast and small. Speed goals live in `bench/kube.sh`.

use crate::support::bigcluster::{self, BigCluster};
use crate::support::*;
use std::path::Path;
use std::process::Command;

fn doctor_json(snapshot: &Path, extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let out = run(aiwfe()
        .args(["doctor", "-o", "json", "--snapshot", snapshot.to_str().unwrap()])
        .args(extra));
    let v = json(&out);
    (out, v)
}

fn codes<'a>(v: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap())
        .filter(|f| f["code"] == code)
        .collect()
}

/// The number of pods a grouped finding's summary names ("deployment/x: 125 pods ...").
fn pods_in(f: &serde_json::Value) -> usize {
    if let Some(n) = f["labels"]["pods"].as_str().and_then(|n| n.parse().ok()) {
        return n;
    }
    let s = f["summary"].as_str().unwrap();
    if s.contains(": pod ") {
        return 1;
    }
    s.split(": ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_5000_pod_yaml_snapshot_of_real_sized_objects_is_diagnosed_in_full() {
    let c = BigCluster::default();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    let text = bigcluster::to_yaml(&c.list());
    // Real-sized: far more YAML nodes than serde-saphyr's default budget of 250,000.
    assert!(text.len() > 20_000_000, "{} bytes", text.len());
    std::fs::write(&path, text).unwrap();

    let (out, v) = doctor_json(&path, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(codes(&v, "kube.snapshot_invalid").is_empty(), "{}", stdout(&out));
    assert_eq!(measurement(&v, "kube.read", "pods"), 5000.0);
    assert_eq!(measurement(&v, "kube.read", "deployments"), 250.0);
    assert_eq!(measurement(&v, "kube.read", "nodes"), 100.0);
    assert_eq!(measurement(&v, "kube.pods", "pods_crashlooping"), 250.0);
    assert_eq!(measurement(&v, "kube.pods", "pods_pending"), 100.0);
    assert_eq!(measurement(&v, "kube.pods", "pods_running"), 4900.0);
    assert_eq!(measurement(&v, "kube.scheduling", "pods_unschedulable"), 100.0);

    // One finding per workload, each with its pods counted.
    let crash = codes(&v, "kube.crashloop");
    assert_eq!(crash.len(), 250, "one per Deployment");
    assert_eq!(crash.iter().map(|f| pods_in(f)).sum::<usize>(), 250);
    assert!(crash.iter().all(|f| f["labels"]["signature"] == "redis-auth"), "{}", crash[0]);
    let oom = codes(&v, "kube.oomkilled");
    assert_eq!(oom.iter().map(|f| pods_in(f)).sum::<usize>(), 50, "{}", oom[0]);
    let pending = codes(&v, "kube.unschedulable");
    assert!(!pending.is_empty());

    // The table of 250 workloads' findings and 25 namespaces' causes stays short, and says
    // how many it leaves to -v and JSON.
    let out = run(aiwfe().args(["doctor", "--snapshot", path.to_str().unwrap()]));
    let table = stdout(&out);
    let lines = table.lines().count();
    assert!(lines < 150, "{lines} lines:\n{table}");
    let causes = v["causes"].as_array().unwrap().iter().filter(|c| c["id"] == "redis-auth").count();
    assert!(causes > 5, "{causes}");
    assert_eq!(table.matches("aiwfe fix redis-auth").count(), 5, "{table}");
    assert!(table.contains(&format!("… and {} more redis-auth causes", causes - 5)), "{table}");
    assert!(
        table.contains(&format!("… and {} more kube.unschedulable findings", pending.len() - 10)),
        "{table}"
    );
}

#[test]
fn thousands_of_crash_looping_pods_group_by_workload_in_the_table_and_stay_whole_in_json() {
    let c = BigCluster {
        pods: 5_000,
        deployments: 40,
        namespaces: 4,
        crashlooping: 5_000,
        pending: 0,
        oom_killed: 0,
        ..BigCluster::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crash.json");
    std::fs::write(&path, bigcluster::to_json(&c.list())).unwrap();

    let (_, v) = doctor_json(&path, &[]);
    let crash = codes(&v, "kube.crashloop");
    assert_eq!(crash.len(), 40);
    assert_eq!(crash.iter().map(|f| pods_in(f)).sum::<usize>(), 5_000);
    assert!(crash.iter().all(|f| pods_in(f) == 125), "{}", crash[0]["summary"]);
    assert_eq!(measurement(&v, "kube.pods", "pods_crashlooping"), 5000.0);

    let out = run(aiwfe().args(["doctor", "--snapshot", path.to_str().unwrap()]));
    let table = stdout(&out);
    let lines = table.lines().count();
    assert!(lines < 400, "{lines} lines:\n{table}");
    // One cause per namespace (a fix names one), each counting the findings it explains
    // (one per workload, not per pod); the JSON above keeps every one.
    assert_eq!(table.matches("explains 10 findings: kube.crashloop ×10").count(), 4, "{table}");
    for ns in 0..4 {
        let fix = format!("aiwfe fix redis-auth -n {} ", c.namespace(ns));
        assert_eq!(table.matches(&fix).count(), 1, "{fix}\n{table}");
    }
}

/// Runs doctor on a hostile snapshot; returns its output and peak RSS in KiB (when
/// /usr/bin/time is there to tell).
fn hostile(path: &Path) -> (std::process::Output, Option<u64>) {
    let dir = tempfile::tempdir().unwrap();
    let rss_file = dir.path().join("rss");
    let time = Path::new("/usr/bin/time");
    let mut cmd = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg("%M").arg("-o").arg(&rss_file).arg(aiwfe().get_program());
        c.envs(aiwfe().get_envs().filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))));
        c
    } else {
        aiwfe()
    };
    cmd.args(["doctor", "-o", "json", "--snapshot", path.to_str().unwrap()]);
    let out = run(&mut cmd);
    let rss = std::fs::read_to_string(&rss_file)
        .ok()
        .and_then(|s| s.trim().lines().last()?.parse().ok());
    (out, rss)
}

/// A hostile snapshot is a `kube.snapshot_invalid` finding (exit 1) or a usage error
/// (exit 2), never a hang or a blow-up; the evidence is returned.
fn refused(path: &Path) -> String {
    let (out, rss) = hostile(path);
    assert!(matches!(out.status.code(), Some(1 | 2)), "{:?} {}", out.status, stderr(&out));
    if let Some(kib) = rss {
        assert!(kib < 200 * 1024, "peak RSS {kib} KiB");
    }
    if out.status.code() == Some(2) {
        return stderr(&out);
    }
    let v = json(&out);
    finding(&v, "kube.snapshot_invalid")["evidence"].as_str().unwrap().to_string()
}

#[test]
fn hostile_snapshots_fail_fast_and_small() {
    let dir = tempfile::tempdir().unwrap();

    // Billion laughs: each level ten aliases of the one before.
    let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        bomb += &format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n");
    }
    let p = dir.path().join("bomb.yaml");
    std::fs::write(
        &p,
        format!(
            "apiVersion: v1\nkind: List\nitems:\n- kind: ConfigMap\n  data:\n{}",
            bomb.lines().map(|l| format!("    {l}\n")).collect::<String>()
        ),
    )
    .unwrap();
    let e = refused(&p);
    assert!(e.contains("alias") || e.contains("budget"), "{e}");

    // 10,000 levels of nesting, block and flow YAML and JSON.
    let p = dir.path().join("deep-flow.yaml");
    std::fs::write(&p, format!("items: {}{}\n", "[".repeat(10_000), "]".repeat(10_000))).unwrap();
    let e = refused(&p);
    assert!(e.contains("nesting") || e.contains("recursion limit"), "{e}");
    let p = dir.path().join("deep-block.yaml");
    let block: String = (0..10_000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    std::fs::write(&p, block).unwrap();
    let e = refused(&p);
    assert!(e.contains("nesting") && e.contains("--snapshot-budget"), "{e}");
    let p = dir.path().join("deep.json");
    std::fs::write(&p, format!("{{\"items\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000))).unwrap();
    let e = refused(&p);
    assert!(e.contains("recursion limit") || e.contains("invalid type"), "{e}");

    // 1 GiB of zeros (a sparse file: no disk used).
    let p = dir.path().join("zeros.yaml");
    std::fs::File::create(&p).unwrap().set_len(1 << 30).unwrap();
    let e = refused(&p);
    assert!(e.contains("not a snapshot"), "{e}");

    // 1 GiB of text that parses as YAML, streamed through a pipe (nothing on disk).
    for (name, chunk) in [
        ("text", b"garbage garbage garbage garbage garbage garbage\n".to_vec()),
        (
            "bytes",
            (0..4096u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect::<Vec<u8>>(),
        ),
        ("json", b"{\"items\": [1, 2, 3, ".to_vec()),
    ] {
        let fifo = dir.path().join(format!("{name}.fifo"));
        assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&fifo) else {
                    return 0usize;
                };
                let mut sent = 0;
                let body = if name == "json" {
                    b"1, 2, 3, 4, 5, 6, 7, 8, ".repeat(1024)
                } else {
                    chunk.repeat(64)
                };
                if name == "json" {
                    let _ = f.write_all(&chunk);
                }
                while sent < 1 << 30 {
                    if f.write_all(&body).is_err() {
                        break;
                    }
                    sent += body.len();
                }
                sent
            })
        };
        let e = refused(&fifo);
        // Reading stopped long before the end: the writer saw the pipe close.
        let sent = writer.join().unwrap();
        assert!(!e.is_empty());
        assert!(sent < 1 << 30, "{name}: all of it was read ({e})");
    }
}

#[test]
fn a_snapshot_fifo_that_never_delivers_ends_at_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("never.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    let out = run(aiwfe().args(["doctor", "-o", "json", "--timeout", "2s", "--snapshot"]).arg(&fifo));
    // Bounded by the timeout (a hang would be killed by the harness much later).
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "{:?}", started.elapsed());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let f = finding(&json(&out), "kube.timeout");
    assert!(f["summary"].as_str().unwrap().contains("reading snapshot"), "{f}");
}
