//! `aiwfe tune hpa` against the stateful test API server.

use crate::kube_live::incident_api;
use crate::support::kubeapi::KubeApi;
use crate::support::*;
use serde_json::json;
use std::process::Output;

fn tune(api: &KubeApi, state: &std::path::Path, args: &[&str]) -> Output {
    run(aiwfe()
        .env("XDG_STATE_HOME", state)
        .args(["tune", "hpa", "-n", "aiwfe"])
        .args(args)
        .arg("--kubeconfig")
        .arg(&api.kubeconfig))
}

fn both(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

fn real_writes(api: &KubeApi) -> usize {
    api.writes().iter().filter(|w| !w.dry_run && w.code < 400).count()
}

#[test]
fn tune_hpa_plans_creates_keeps_updates_and_rolls_back() {
    let api = incident_api();
    let st = tempfile::tempdir().unwrap();
    // Without --apply: the plan, with the object to be created, and nothing sent.
    let out = tune(&api, st.path(), &["--deployment", "reasoning-service"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        stdout(&out).contains("+    name: reasoning-service\n") || stdout(&out).contains("+  name: reasoning-service"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("averageUtilization: 75"), "{}", stdout(&out));
    assert_eq!(real_writes(&api), 0);

    let out = tune(
        &api,
        st.path(),
        &["--deployment", "reasoning-service", "--max", "12", "--apply", "--yes"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let hpa = api
        .get("autoscaling", "horizontalpodautoscalers", "aiwfe", "reasoning-service")
        .expect("HPA created");
    assert_eq!(
        hpa["spec"]["scaleTargetRef"],
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": "reasoning-service"})
    );
    assert_eq!(
        (hpa["spec"]["minReplicas"].as_i64(), hpa["spec"]["maxReplicas"].as_i64()),
        (Some(1), Some(12))
    );
    assert_eq!(hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 75);
    let creates: Vec<bool> = api.writes().iter().filter(|w| w.method == "POST").map(|w| w.dry_run).collect();
    assert_eq!(creates, [true, false], "a server dry run, then the create");

    // An HPA in place is left as it is, unless --update.
    let out = tune(
        &api,
        st.path(),
        &["--deployment", "reasoning-service", "--max", "5", "--apply", "--yes"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(both(&out).contains("left as it is"), "{}", both(&out));
    assert_eq!(
        api.get("autoscaling", "horizontalpodautoscalers", "aiwfe", "reasoning-service")
            .unwrap()["spec"]["maxReplicas"],
        12
    );
    let out = tune(
        &api,
        st.path(),
        &["--deployment", "reasoning-service", "--max", "5", "--update", "--apply", "--yes"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert_eq!(
        api.get("autoscaling", "horizontalpodautoscalers", "aiwfe", "reasoning-service")
            .unwrap()["spec"]["maxReplicas"],
        5
    );

    // Rolling back both runs restores maxReplicas, then deletes the HPA the first created.
    for _ in 0..2 {
        let out = run(aiwfe()
            .env("XDG_STATE_HOME", st.path())
            .args(["rollback", "--yes", "--kubeconfig"])
            .arg(&api.kubeconfig));
        assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    }
    assert!(
        api.get("autoscaling", "horizontalpodautoscalers", "aiwfe", "reasoning-service")
            .is_none()
    );
}

#[test]
fn tune_hpa_refuses_a_deployment_without_cpu_requests_before_any_write() {
    let api = incident_api();
    api.load(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "batch", "namespace": "aiwfe", "labels": {"app": "batch"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "batch"}}, "template": {"metadata": {"labels": {"app": "batch"}},
        "spec": {"containers": [{"name": "worker", "image": "ghcr.io/aiwfe/batch:1.4.2", "resources": {"requests": {"memory": "256Mi"}}}]}}}}));
    let st = tempfile::tempdir().unwrap();
    let out = tune(&api, st.path(), &["--deployment", "batch", "--apply", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(stderr(&out).contains("container(s) `worker` request no CPU"), "{}", stderr(&out));
    assert!(api.writes().is_empty());
}

#[test]
fn a_validation_rejection_surfaces_in_the_server_dry_run() {
    let api = incident_api();
    api.reject(
        "autoscaling/horizontalpodautoscalers",
        "aiwfe",
        "api-service",
        422,
        "Invalid",
        "HorizontalPodAutoscaler.autoscaling \"api-service\" is invalid: spec.maxReplicas: Invalid value: 10: must be less than or equal to the namespace quota of 4",
    );
    let st = tempfile::tempdir().unwrap();
    let out = tune(&api, st.path(), &["--deployment", "api-service", "--apply", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(
        stderr(&out).contains("must be less than or equal to the namespace quota of 4"),
        "{}",
        stderr(&out)
    );
    assert_eq!(real_writes(&api), 0);
}

#[test]
fn tune_resources_recommends_from_samples_and_applies_through_the_playbook() {
    let api = incident_api();
    let st = tempfile::tempdir().unwrap();
    let run_tune = |args: &[&str]| {
        run(aiwfe()
            .env("XDG_STATE_HOME", st.path())
            .args([
                "tune",
                "resources",
                "-n",
                "aiwfe",
                "--deployment",
                "api-service",
                "--sample",
                "1s",
                "--every",
                "200ms",
            ])
            .args(args)
            .arg("--kubeconfig")
            .arg(&api.kubeconfig))
    };
    // Each pod's reading counts once however often it is polled: 3 pods, 3 samples.
    let out = run_tune(&["-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let v = json(&out);
    let rec = &v["recommendations"][0];
    assert_eq!(
        (rec["workload"].as_str(), rec["container"].as_str()),
        (Some("Deployment/api-service"), Some("api"))
    );
    assert_eq!(rec["samples"], 3, "{rec}");
    assert!(
        rec["recommended"].is_null() && rec["reason"].as_str().unwrap().contains("at least 20"),
        "{rec}"
    );
    assert_eq!(real_writes(&api), 0);

    let out = run_tune(&["--min-samples", "3", "--apply", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let d = api.get("apps", "deployments", "aiwfe", "api-service").unwrap();
    let res = &d["spec"]["template"]["spec"]["containers"][0]["resources"];
    assert_eq!(res["requests"]["cpu"], "10m", "{res}");
    assert!(res["limits"].get("cpu").is_none(), "the CPU limit is removed by default: {res}");
    assert_eq!(res["requests"]["memory"], res["limits"]["memory"], "{res}");
    assert!(stdout(&out).contains("journal: run "), "{}", stdout(&out));
}
