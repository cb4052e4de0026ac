//! Live Kubernetes mode against the stateful test API server (tests/support/kubeapi.rs),
//! which the real kube client and the real kubectl both talk to.

use crate::support::kubeapi::KubeApi;
use crate::support::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn incident() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join("incident.yaml")
}

pub(crate) const SERVER_PW: &str = "aiwfe-redis-2025-rotated";
pub(crate) const STALE_PW: &str = "aiwfe-redis-2024";

pub(crate) fn b64(s: &str) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The incident's objects, with the two Redis secrets holding real values.
pub(crate) fn incident_api() -> KubeApi {
    let api = KubeApi::start();
    api.load_yaml_file(&incident());
    for (name, pw) in [("redis-auth", STALE_PW), ("redis-server-auth", SERVER_PW)] {
        api.load(json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": {"name": name, "namespace": "aiwfe"}, "data": {"password": b64(pw)}}));
    }
    api
}

fn doctor(api: &KubeApi, args: &[&str]) -> (std::process::Output, Value) {
    let out = run(aiwfe()
        .args(["doctor", "-o", "json", "--timeout", "10s", "--kubeconfig"])
        .arg(&api.kubeconfig)
        .args(args));
    let v = json(&out);
    (out, v)
}

/// Everything but where the state came from.
fn essence(v: &Value) -> (Vec<String>, Value) {
    let mut f: Vec<String> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] != "kube.read")
        .flat_map(|c| {
            c["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |f| format!("{} {} {} {}", c["id"], f["code"], f["subject"], f["summary"]))
        })
        .collect();
    f.sort();
    (f, v["causes"].clone())
}

#[test]
fn kubectl_talks_to_the_test_api_server() {
    let api = incident_api();
    let out = run(api.kubectl().args(["get", "pods", "-n", "aiwfe", "-o", "json"]));
    assert!(out.status.success(), "kubectl get: {}", stderr(&out));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 16);

    let out = run(api.kubectl().args([
        "get",
        "deployment",
        "integration-service",
        "-n",
        "aiwfe",
        "-o",
        "jsonpath={.spec.replicas}",
    ]));
    assert_eq!(stdout(&out), "5", "{}", stderr(&out));

    let before = api.get("apps", "deployments", "aiwfe", "integration-service").unwrap()["metadata"]["resourceVersion"].clone();
    let out = run(api.kubectl().args([
        "patch",
        "deployment",
        "integration-service",
        "-n",
        "aiwfe",
        "--type=json",
        "-p",
        r#"[{"op":"replace","path":"/spec/replicas","value":2}]"#,
    ]));
    assert!(out.status.success(), "kubectl patch: {}", stderr(&out));
    let after = api.get("apps", "deployments", "aiwfe", "integration-service").unwrap();
    assert_eq!(after["spec"]["replicas"], 2);
    assert_ne!(after["metadata"]["resourceVersion"], before);

    // Server-side dry run changes nothing.
    let out = run(api.kubectl().args([
        "patch",
        "deployment",
        "integration-service",
        "-n",
        "aiwfe",
        "--type=merge",
        "-p",
        r#"{"spec":{"replicas":9}}"#,
        "--dry-run=server",
    ]));
    assert!(out.status.success(), "kubectl patch --dry-run=server: {}", stderr(&out));
    assert_eq!(
        api.get("apps", "deployments", "aiwfe", "integration-service").unwrap()["spec"]["replicas"],
        2
    );

    // A stale resourceVersion is a conflict, as on a real server.
    let stale = format!(r#"{{"metadata":{{"resourceVersion":{before}}},"spec":{{"replicas":7}}}}"#);
    let out = run(api.kubectl().args([
        "patch",
        "deployment",
        "integration-service",
        "-n",
        "aiwfe",
        "--type=merge",
        "-p",
        &stale,
    ]));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("the object has been modified"), "{}", stderr(&out));

    let out = run(api.kubectl().args(["get", "deployment", "nope", "-n", "aiwfe"]));
    assert!(stderr(&out).contains("not found"), "{}", stderr(&out));
}

#[test]
fn the_redis_auth_fix_runs_against_a_server_and_aligns_the_secret() {
    let api = incident_api();
    let (_, v) = doctor(&api, &["-n", "aiwfe"]);
    assert_eq!(v["causes"][0]["id"], "redis-auth");
    assert_eq!(
        v["causes"][0]["fix"],
        "aiwfe fix redis-auth -n aiwfe --secret redis-auth --key password --from-secret aiwfe/redis-server-auth:password"
    );
    // The kubectl equivalent in the hint: run it exactly, with kubectl pointed at the test server.
    let hint = v["causes"][0]["hint"].as_str().unwrap();
    let fix = hint.split_once("with kubectl alone: ").unwrap().1.to_string();
    let dir = tempfile::tempdir().unwrap();
    let shim = dir.path().join("kubectl");
    std::fs::write(
        &shim,
        format!(
            "#!/bin/sh\nexec {} --kubeconfig {} \"$@\"\n",
            which("kubectl"),
            api.kubeconfig.display()
        ),
    )
    .unwrap();
    std::process::Command::new("chmod").arg("+x").arg(&shim).status().unwrap();
    let path = format!("{}:{}", dir.path().display(), std::env::var("PATH").unwrap());
    let out = run(std::process::Command::new("sh").args(["-c", &fix]).env("PATH", path));
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let secret = api.get("", "secrets", "aiwfe", "redis-auth").unwrap();
    assert_eq!(
        secret["data"]["password"],
        b64(SERVER_PW),
        "fix output: {}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(!stdout(&out).contains(SERVER_PW) && !stderr(&out).contains(SERVER_PW));
    // The hint's `kubectl rollout restart` restarted the consumer.
    let dep = api.get("apps", "deployments", "aiwfe", "reasoning-service").unwrap();
    assert!(
        dep["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"].is_string(),
        "{dep}"
    );
}

fn which(cmd: &str) -> String {
    let out = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn live_mode_finds_what_snapshot_mode_finds() {
    let api = incident_api();
    let (out, live) = doctor(&api, &["-n", "aiwfe"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = run(aiwfe().args(["doctor", "-o", "json", "--snapshot"]).arg(incident()));
    let snap = json(&out);
    assert_eq!(essence(&live), essence(&snap));
    let ids: Vec<&str> = live["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["redis-auth", "affinity", "overprovisioned", "no-autoscaling"]);
    // The previous log was fetched from the API.
    assert!(
        api.requests()
            .iter()
            .any(|r| r.contains("/pods/reasoning-service-6d8f7c9b54-2xk4p/log") && r.contains("previous=true")),
        "{:?}",
        api.requests()
    );
}

#[test]
fn snapshot_of_a_live_cluster_carries_no_secret_values_and_replays_the_same() {
    let api = incident_api();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cluster.yaml");
    let out = run(aiwfe()
        .args(["snapshot", "-n", "aiwfe", "--to"])
        .arg(&file)
        .arg("--kubeconfig")
        .arg(&api.kubeconfig));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    for secret in [SERVER_PW, STALE_PW, &b64(SERVER_PW), &b64(STALE_PW), "Pg-Incident-Secret-7"] {
        assert!(!text.contains(secret), "snapshot leaks {secret}");
    }
    let (_, live) = doctor(&api, &["-n", "aiwfe"]);
    let out = run(aiwfe().args(["doctor", "-o", "json", "--snapshot"]).arg(&file));
    assert_eq!(essence(&json(&out)), essence(&live));
}

#[test]
fn lists_are_paginated() {
    let api = KubeApi::start();
    let items: Vec<Value> = (0..1200)
        .map(|i| json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": format!("p{i:04}"), "namespace": "big"}, "spec": {"containers": [{"name": "c", "image": "x"}]}, "status": {"phase": "Running"}}))
        .collect();
    api.load(json!({"kind": "List", "items": items}));
    let (out, v) = doctor(&api, &["-n", "big"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(measurement(&v, "kube.read", "pods"), 1200.0);
    let pod_lists: Vec<String> = api
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("GET /api/v1/namespaces/big/pods?"))
        .collect();
    assert_eq!(pod_lists.len(), 3, "{pod_lists:?}");
    assert!(pod_lists.iter().all(|r| r.contains("limit=500")), "{pod_lists:?}");
    assert!(pod_lists[0].ends_with("limit=500"), "{pod_lists:?}");
    assert!(pod_lists[1..].iter().all(|r| r.contains("continue=")), "{pod_lists:?}");
}

#[test]
fn forbidden_resource_is_a_finding_and_the_rest_still_reports() {
    let api = incident_api();
    api.fault("/nodes", 403, "Forbidden");
    let (out, v) = doctor(&api, &["-n", "aiwfe"]);
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "kube.forbidden");
    assert!(f["evidence"].as_str().unwrap().contains("cannot list resource \"nodes\""), "{f}");
    assert_eq!(f["severity"], "warning");
    // Pods were still read and analysed.
    finding(&v, "kube.crashloop");
}

#[test]
fn cluster_without_metrics_server_is_info_not_error() {
    let api = incident_api();
    api.without_metrics();
    let (_, v) = doctor(&api, &["-n", "aiwfe", "--only", "kube"]);
    assert_eq!(finding(&v, "kube.metrics_unavailable")["severity"], "info");
    assert!(
        findings(&v)
            .iter()
            .all(|f| f["code"] != "kube.forbidden" && f["code"] != "kube.read_failed")
    );
}

#[test]
fn api_server_down_or_hung_is_a_finding_within_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let write_cfg = |port: u16| {
        let p = dir.path().join(format!("kc{port}"));
        std::fs::write(&p, format!("apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: http://127.0.0.1:{port}\ncontexts:\n- name: t\n  context: {{cluster: t, user: u}}\ncurrent-context: t\nusers:\n- name: u\n  user: {{token: x}}\n")).unwrap();
        p
    };
    let closed = dead_port();
    let dead = write_cfg(closed.port);
    let out = run(aiwfe().args(["doctor", "-o", "json", "--timeout", "3s", "--kubeconfig"]).arg(&dead));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    finding(&json(&out), "kube.unreachable");

    let hole = Blackhole::start();
    let hung = write_cfg(hole.port);
    let started = std::time::Instant::now();
    let out = run(aiwfe().args(["doctor", "-o", "json", "--timeout", "1s", "--kubeconfig"]).arg(&hung));
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<String> = findings(&json(&out))
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    assert!(codes == ["kube.timeout"] || codes == ["kube.unreachable"], "{codes:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
}

#[test]
fn throttled_resource_is_reported_without_stalling_the_run() {
    let api = incident_api();
    api.fault("/events", 429, "TooManyRequests");
    let started = std::time::Instant::now();
    let (out, v) = doctor(&api, &["-n", "aiwfe"]);
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "kube.read_failed");
    assert_eq!(f["subject"], "events");
    assert!(f["evidence"].as_str().unwrap().contains("Too many requests"), "{f}");
    // Without events the Pending pods still explain themselves through their condition.
    assert!(
        finding(&v, "kube.unschedulable")["summary"]
            .as_str()
            .unwrap()
            .contains("5 replicas")
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(8));
}

#[test]
fn namespace_comes_from_the_context_unless_given() {
    let api = incident_api();
    api.load(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "other-pod", "namespace": "elsewhere"}, "spec": {"containers": [{"name": "c", "image": "x"}]}, "status": {"phase": "Running"}}));
    // The kubeconfig's context names `aiwfe`.
    let out = run(aiwfe().args(["probe", "kube", "-o", "json", "--kubeconfig"]).arg(&api.kubeconfig));
    let v = json(&out);
    assert_eq!(measurement(&v, "kube.read", "pods"), 16.0, "{}", stderr(&out));
    assert!(api.requests().iter().any(|r| r.starts_with("GET /api/v1/namespaces/aiwfe/pods")));

    let out = run(aiwfe()
        .args(["probe", "kube", "-A", "-o", "json", "--kubeconfig"])
        .arg(&api.kubeconfig));
    assert_eq!(measurement(&json(&out), "kube.read", "pods"), 17.0);
    let out = run(aiwfe()
        .args(["probe", "kube", "-n", "elsewhere", "-o", "json", "--kubeconfig"])
        .arg(&api.kubeconfig));
    let v = json(&out);
    assert_eq!(measurement(&v, "kube.read", "pods"), 1.0);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn a_gate_that_could_not_read_the_cluster_fails() {
    // Every list forbidden: an error, not a warning that passes the gate.
    let api = incident_api();
    for r in [
        "/pods",
        "/events",
        "apps/deployments",
        "apps/replicasets",
        "autoscaling/horizontalpodautoscalers",
        "/nodes",
    ] {
        api.fault(r, 403, "Forbidden");
    }
    let (out, v) = doctor(&api, &["-A"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let f = finding(&v, "kube.unreadable");
    assert_eq!(f["severity"], "error");
    assert!(f["summary"].as_str().unwrap().contains("could not read pods (forbidden)"), "{f}");
    // Without -v the report says it once: no library's log line repeats it on stderr.
    assert!(
        !stderr(&out).contains("ERROR") && !stderr(&out).contains("Forbidden"),
        "{}",
        stderr(&out)
    );
    // `aiwfe snapshot` saves nothing rather than an empty List that replays as healthy.
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("s.yaml");
    let out = run(aiwfe()
        .args(["snapshot", "-A", "--kubeconfig"])
        .arg(&api.kubeconfig)
        .arg("--to")
        .arg(&to));
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("could not read pods"), "{}", stderr(&out));
    assert!(!to.exists() || std::fs::read_to_string(&to).unwrap().is_empty());
}

#[test]
fn a_namespace_that_holds_nothing_is_named_in_a_warning() {
    let api = incident_api();
    let (_, v) = doctor(&api, &["-n", "aiwfee"]);
    let f = finding(&v, "kube.empty_namespace");
    assert_eq!(f["severity"], "warning");
    assert!(f["summary"].as_str().unwrap().contains("namespace `aiwfee`"), "{f}");
    let (_, v) = doctor(&api, &["-n", "aiwfe"]);
    assert!(findings(&v).iter().all(|f| f["code"] != "kube.empty_namespace"));
}

#[test]
fn a_snapshot_without_kubernetes_objects_fails_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("empty.yaml", ""),
        ("numbers.json", "[1,2,{\"a\":3}]"),
        ("other.yaml", "kind: ConfigMap\nmetadata:\n  name: x\n"),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        let out = run(aiwfe().args(["doctor", "-o", "json", "--snapshot"]).arg(&p));
        assert_ne!(out.status.code(), Some(0), "{name}: {}", stdout(&out));
        if out.status.code() == Some(1) {
            let v = json(&out);
            let f = findings(&v)
                .into_iter()
                .find(|f| f["code"] == "kube.snapshot_empty" || f["code"] == "kube.snapshot_invalid")
                .unwrap_or_else(|| panic!("{name}: {v}"));
            assert_eq!(f["severity"], "error", "{name}: {f}");
        }
    }
    let out = run(aiwfe().args(["doctor", "-o", "json", "-n", "aiwfee", "--snapshot"]).arg(incident()));
    assert_eq!(finding(&json(&out), "kube.empty_namespace")["severity"], "warning");
}
