//! Kubernetes diagnosis from snapshots: the bundled incident, snapshot formats, filters.

use crate::support::*;
use std::path::{Path, PathBuf};

fn incident() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join("incident.yaml")
}

fn doctor_json(args: &[&str]) -> (std::process::Output, serde_json::Value) {
    let out = run(aiwfe().args(["doctor", "-o", "json"]).args(args));
    let v = json(&out);
    (out, v)
}

#[test]
fn incident_example_yields_the_root_causes_of_the_seed() {
    let (out, v) = doctor_json(&["--snapshot", incident().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let causes: Vec<(&str, &str)> = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["certainty"].as_str().unwrap()))
        .collect();
    assert_eq!(
        causes,
        [
            ("redis-auth", "confirmed"),
            ("affinity", "confirmed"),
            ("overprovisioned", "confirmed"),
            ("no-autoscaling", "confirmed")
        ]
    );

    // Only the Kubernetes checks run: the snapshot names no Redis or PostgreSQL.
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"].as_str().unwrap().starts_with("kube."))
    );

    let crash = finding(&v, "kube.crashloop");
    assert_eq!(crash["evidence"], "redis.exceptions.AuthenticationError: Authentication required.");
    assert_eq!(crash["subject"], "aiwfe/deployment/reasoning-service");
    assert!(crash["summary"].as_str().unwrap().contains("4 pods crash-looping"), "{crash}");
    assert!(crash["summary"].as_str().unwrap().contains("122–131 restarts"), "{crash}");

    let pending = finding(&v, "kube.unschedulable");
    assert!(
        pending["summary"]
            .as_str()
            .unwrap()
            .contains("5 replicas must run on distinct nodes"),
        "{pending}"
    );
    assert!(pending["summary"].as_str().unwrap().contains("2 nodes can take them"), "{pending}");

    let redis_auth = &v["causes"][0];
    let explained: Vec<&str> = redis_auth["explains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert!(
        explained.contains(&"kube.crashloop") && explained.contains(&"kube.deployment_unavailable"),
        "{explained:?}"
    );
    let hint = redis_auth["hint"].as_str().unwrap();
    assert!(hint.contains("kubectl get secret redis-server-auth -n aiwfe"), "{hint}");
    assert!(
        hint.ends_with("kubectl rollout restart deployment/reasoning-service -n aiwfe"),
        "{hint}"
    );

    let eff = measurement(&v, "kube.resources", "cpu_efficiency_pct");
    assert!(eff < 5.0, "the incident ran at a few per cent: {eff}");
    let cred = finding(&v, "kube.plaintext_credential");
    assert_eq!(
        cred["evidence"],
        "DATABASE_URL=postgresql://aiwfe:***@postgres.aiwfe.svc.cluster.local:5432/aiwfe"
    );
}

const REDIS_AUTH_FIX: &str =
    "aiwfe fix redis-auth -n aiwfe --secret redis-auth --key password --from-secret aiwfe/redis-server-auth:password";
const AFFINITY_FIX: &str = "aiwfe fix affinity -n aiwfe --deployment integration-service";

/// The causes' fixes are `aiwfe fix` commands, filled in from the incident's objects; the
/// kubectl equivalent stays in the hint.
#[test]
fn incident_causes_print_the_aiwfe_fix_commands() {
    let (_, v) = doctor_json(&["--snapshot", incident().to_str().unwrap()]);
    let fixes: Vec<(&str, &str)> = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| matches!(c["id"].as_str(), Some("redis-auth" | "affinity")))
        .map(|c| (c["id"].as_str().unwrap(), c["fix"].as_str().unwrap()))
        .collect();
    assert_eq!(fixes, [("redis-auth", REDIS_AUTH_FIX), ("affinity", AFFINITY_FIX)]);
    let kubectl_patch = finding(&v, "kube.unschedulable")["fix"].as_str().unwrap().to_string();
    assert!(
        v["causes"][1]["hint"]
            .as_str()
            .unwrap()
            .ends_with(&format!("with kubectl alone: {kubectl_patch}")),
        "{}",
        v["causes"][1]["hint"]
    );

    let out = run(aiwfe().args(["doctor", "--snapshot", incident().to_str().unwrap(), "-v"]));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let fix_lines: Vec<&str> = lines.iter().copied().filter(|l| l.starts_with("    aiwfe fix ")).collect();
    assert_eq!(fix_lines, [format!("    {REDIS_AUTH_FIX}"), format!("    {AFFINITY_FIX}")]);
    // Right-sizing is one `aiwfe tune resources` per namespace; doctor's kubectl lines are the hint.
    let over = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "overprovisioned")
        .unwrap()
        .clone();
    assert_eq!(
        over["fix"],
        "aiwfe tune resources -n aiwfe --deployment api-service,integration-service,postgres,redis,websocket-gateway --sample 10m --apply"
    );
    assert!(
        over["hint"]
            .as_str()
            .unwrap()
            .contains("with kubectl alone: kubectl set resources deployment/api-service"),
        "{over}"
    );
    // Autoscaling is `aiwfe tune hpa`, one per Deployment without an HPA, sized by its replicas.
    let hpa = v["causes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "no-autoscaling")
        .unwrap()["fix"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        hpa.starts_with("aiwfe tune hpa -n aiwfe --deployment api-service --min 2 --max 9 --cpu 75 --apply && aiwfe tune hpa -n aiwfe --deployment integration-service "),
        "{hpa}"
    );
    // With -v, each cause's hint follows its fix, its kubectl commands on a line of their own.
    for fix in &fix_lines {
        let i = lines.iter().position(|l| l == fix).unwrap();
        assert_eq!(lines[i - 1], "  fix:");
        assert!(lines[i + 1].starts_with("  hint: aiwfe "), "{}", lines[i + 1]);
        assert_eq!(lines[i + 2], "  with kubectl alone:");
        assert!(lines[i + 3].starts_with("    kubectl "), "{}", lines[i + 3]);
    }
}

#[test]
fn no_secret_from_the_incident_leaves_any_format() {
    for fmt in ["table", "json", "yaml", "junit", "sarif", "markdown"] {
        let out = run(aiwfe().args(["doctor", "--snapshot", incident().to_str().unwrap(), "-o", fmt]));
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(!all.contains("Pg-Incident-Secret-7"), "-o {fmt} leaked the password");
        assert_eq!(out.status.code(), Some(1), "-o {fmt}");
    }
}

#[test]
fn table_shows_causes_first_with_their_symptoms() {
    let out = run(aiwfe().args(["doctor", "--snapshot", incident().to_str().unwrap()]));
    let text = stdout(&out);
    assert!(text.starts_with("ROOT CAUSES\nERROR redis-auth (confirmed)\n"), "{text}");
    let causes_end = text.find("\nCHECKS").unwrap();
    assert!(
        text[..causes_end].contains("  explains 3 findings: kube.crashloop, kube.deployment_unavailable, kube.redis_server\n"),
        "{text}"
    );
}

/// The patch aiwfe proposes for the anti-affinity is valid for kubectl itself.
#[test]
fn affinity_fix_is_a_patch_kubectl_accepts() {
    let (_, v) = doctor_json(&["--snapshot", incident().to_str().unwrap()]);
    let fix = finding(&v, "kube.unschedulable")["fix"].as_str().unwrap().to_string();
    let patch = fix.split("-p '").nth(1).unwrap().trim_end_matches('\'').to_string();

    // The Deployment as it is in the snapshot, on its own, for `kubectl patch --local`.
    let docs: serde_json::Value = serde_saphyr::from_str(&std::fs::read_to_string(incident()).unwrap()).unwrap();
    let deployment = docs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "Deployment" && i["metadata"]["name"] == "integration-service")
        .unwrap()
        .clone();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.json");
    std::fs::write(&file, serde_json::to_string(&deployment).unwrap()).unwrap();
    let out = run(std::process::Command::new("kubectl")
        .args(["patch", "--local", "-f"])
        .arg(&file)
        .args(["--type=json", "-p", &patch, "-o", "json"]));
    assert!(out.status.success(), "kubectl rejected the patch: {}", stderr(&out));
    let patched: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let anti = &patched["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"];
    assert!(anti.get("requiredDuringSchedulingIgnoredDuringExecution").is_none(), "{anti}");
    assert_eq!(anti["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"], 100);
    assert_eq!(
        anti["preferredDuringSchedulingIgnoredDuringExecution"][0]["podAffinityTerm"]["topologyKey"],
        "kubernetes.io/hostname"
    );
}

#[test]
fn snapshot_may_be_a_folder_of_json_and_multi_document_yaml() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pods.json"),
        r#"{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"web-1","namespace":"shop"},"spec":{"containers":[{"name":"web","image":"nginx"}]},
            "status":{"phase":"Running","containerStatuses":[{"name":"web","image":"nginx","imageID":"","ready":false,"restartCount":7,
            "lastState":{"terminated":{"exitCode":1,"reason":"Error","message":"Error: connect ECONNREFUSED 10.96.0.12:6379"}},
            "state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}]}"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("nodes.yaml"),
        "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n2}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    let (out, v) = doctor_json(&["--snapshot", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(measurement(&v, "kube.read", "nodes"), 2.0);
    let crash = finding(&v, "kube.crashloop");
    assert_eq!(crash["labels"]["signature"], "redis-refused");
    assert_eq!(crash["subject"], "shop/pod/web-1");
    assert_eq!(v["causes"][0]["id"], "redis-down");
    assert_eq!(v["causes"][0]["certainty"], "likely");
}

#[test]
fn namespace_filter_applies_to_snapshots() {
    let (out, v) = doctor_json(&["--snapshot", incident().to_str().unwrap(), "-n", "elsewhere"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(measurement(&v, "kube.read", "pods"), 0.0);
    assert!(v["causes"].as_array().unwrap().is_empty());
}

#[test]
fn broken_snapshots_are_reported_clearly() {
    let out = run(aiwfe().args(["doctor", "--snapshot", "/nonexistent/cluster.yaml"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`/nonexistent/cluster.yaml` does not exist"),
        "{}",
        stderr(&out)
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: 12\n").unwrap();
    let (out, v) = doctor_json(&["--snapshot", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let f = finding(&v, "kube.snapshot_invalid");
    assert!(f["evidence"].as_str().unwrap().contains("Pod `p`"), "{f}");
}

#[test]
fn rbac_for_doctor_is_read_only() {
    let out = run(aiwfe().args(["rbac", "--for", "doctor"]));
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("kind: ClusterRole"));
    for verb in ["create", "update", "patch", "delete", "watch"] {
        assert!(!text.contains(verb), "doctor must not get `{verb}`");
    }
}
