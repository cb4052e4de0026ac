//! The shipped playbooks parse, and plan what they are for against the incident's objects.

use crate::playbook::testutil::{ACCEPTED, NOW, NS, STALE, apply, incident};
use crate::playbook::{
    Action, BUILTIN, Change, Kind, ObjectRef, ParamValue, Plan, builtin, expand, parse, parse_set, plan, resolve_params,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;

type Objs = BTreeMap<ObjectRef, Value>;

const STALE_URL: &str = "redis://:Stale-Redis-Pass-0812@redis.aiwfe.svc.cluster.local:6379/0";

fn run(name: &str, given: Vec<(String, ParamValue)>, objects: &Objs) -> Plan {
    let pb = parse(&format!("playbooks/{name}.yaml"), builtin(name).unwrap()).unwrap();
    let params = resolve_params(&pb, given).unwrap();
    let steps = expand(&pb, &params, NOW).unwrap();
    plan(&pb.name, &steps, objects, &params).unwrap()
}

fn redis_auth_params(move_inline: bool) -> Vec<(String, ParamValue)> {
    let mut given: Vec<(String, ParamValue)> = [
        "namespace=aiwfe",
        &format!("password={ACCEPTED}"),
        "consumers=deployment/reasoning-service",
    ]
    .iter()
    .map(|a| parse_set(a).unwrap())
    .collect();
    given.push((
        "inline".into(),
        ParamValue::List(vec![
            json!({"target": "deployment/api-gateway", "container": "gateway", "env": "REDIS_URL", "url": STALE_URL}),
        ]),
    ));
    given.push(parse_set(&format!("move_inline={move_inline}")).unwrap());
    given
}

fn summary(p: &Plan) -> Vec<(String, &'static str, String)> {
    p.steps
        .iter()
        .map(|s| {
            let target = match &s.action {
                Action::Change(c) => c.target.to_string(),
                Action::Create(c) => c.target.to_string(),
                Action::NoChange(n) => n.target.to_string(),
                Action::Wait(w) => w.target.to_string(),
                Action::Verify(v) => v.probe.clone(),
                Action::Skipped { .. } => String::new(),
            };
            (s.kind.to_string(), s.action.name(), target)
        })
        .collect()
}

fn changes<'a>(p: &'a Plan, target: &str) -> Vec<&'a Change> {
    p.steps
        .iter()
        .filter_map(|s| match &s.action {
            Action::Change(c) if c.target.to_string() == target => Some(c),
            _ => None,
        })
        .collect()
}

fn s(a: &str, b: &'static str, c: &str) -> (String, &'static str, String) {
    (a.to_string(), b, c.to_string())
}

#[test]
fn every_shipped_playbook_parses() {
    for (name, text) in BUILTIN {
        let pb = parse(&format!("playbooks/{name}.yaml"), text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pb.name, name);
        assert!(pb.description.is_some());
    }
}

#[test]
fn redis_auth_fixes_the_secret_and_the_inline_url_and_restarts_both_consumers() {
    let objects = incident();
    let p = run("redis-auth", redis_auth_params(false), &objects);
    assert_eq!(
        summary(&p),
        [
            s("set_secret_key", "change", "secret/redis-auth"),
            s("set_env", "change", "deployment/api-gateway"),
            s("set_secret_key", "skipped", ""),
            s("set_env", "skipped", ""),
            s("restart", "change", "deployment/reasoning-service"),
            s("restart", "change", "deployment/api-gateway"),
            s("wait_rollout", "wait", "deployment/reasoning-service"),
            s("wait_rollout", "wait", "deployment/api-gateway"),
            s("verify", "verify", "redis"),
            s("verify", "verify", "kube"),
        ]
    );
    assert_eq!(p.steps[1].name, "rewrite the password in REDIS_URL of deployment/api-gateway");
    let gw = changes(&p, "deployment/api-gateway");
    assert_eq!(
        serde_json::to_value(gw[0].patch_to_apply()).unwrap(),
        json!([{"op": "replace", "path": "/spec/template/spec/containers/0/env/0/value",
                "value": format!("redis://:{ACCEPTED}@redis.aiwfe.svc.cluster.local:6379/0")}])
    );
    assert_eq!(gw[1].after_step, Some(1), "the restart is planned on the rewritten object");
    let secret = changes(&p, "secret/redis-auth")[0];
    assert_eq!(secret.after()["data"]["password"], json!("UmVkaXMtQWNjZXB0cy1UaGlzLTE="));
    let diff = p.diff();
    assert!(diff.contains("-          value: redis://:*** (sha256:"), "{diff}");
    assert!(
        diff.contains(&format!(
            "+          value: redis://:*** (sha256:{})@redis",
            crate::redact::fingerprint(ACCEPTED)
        )),
        "{diff}"
    );
    for secret in [ACCEPTED, STALE] {
        assert!(!diff.contains(secret));
    }
}

#[test]
fn redis_auth_can_move_the_inline_url_into_the_secret() {
    let objects = incident();
    let p = run("redis-auth", redis_auth_params(true), &objects);
    let kinds: Vec<(&str, &str)> = p.steps.iter().map(|s| (s.kind, s.action.name())).collect();
    assert_eq!(
        &kinds[..6],
        [
            ("set_secret_key", "change"),
            ("set_env", "skipped"),
            ("set_secret_key", "change"),
            ("set_env", "change"),
            ("restart", "change"),
            ("restart", "change")
        ]
    );
    let secret = changes(&p, "secret/redis-auth");
    assert_eq!(secret[1].after_step, Some(0), "both keys compose on the one Secret");
    let url = crate::playbook::secrets::decode_b64(secret[1].after()["data"]["redis_url"].as_str().unwrap());
    assert_eq!(url, format!("redis://:{ACCEPTED}@redis.aiwfe.svc.cluster.local:6379/0"));
    let gw = changes(&p, "deployment/api-gateway")[0];
    assert_eq!(
        gw.after().pointer("/spec/template/spec/containers/0/env/0").unwrap(),
        &json!({"name": "REDIS_URL", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "redis_url"}}})
    );
    let mut applied = objects.clone();
    apply(&mut applied, &p);
    assert!(run("redis-auth", redis_auth_params(true), &applied).is_noop());
}

#[test]
fn redis_auth_run_twice_writes_nothing_the_second_time() {
    let mut objects = incident();
    let first = run("redis-auth", redis_auth_params(false), &objects);
    assert_eq!(first.writes().count(), 4);
    apply(&mut objects, &first);
    let second = run("redis-auth", redis_auth_params(false), &objects);
    assert!(second.is_noop(), "{second:?}");
    let generation_moves = second
        .steps
        .iter()
        .any(|s| matches!(&s.action, Action::Change(c) if c.target.kind == Kind::Deployment));
    assert!(!generation_moves);
}

#[test]
fn redis_auth_with_nothing_inline_still_fixes_the_secret() {
    let given: Vec<_> = [
        "namespace=aiwfe",
        &format!("password={ACCEPTED}"),
        "consumers=[deployment/reasoning-service]",
    ]
    .iter()
    .map(|a| parse_set(a).unwrap())
    .collect();
    let p = run("redis-auth", given, &incident());
    let kinds: Vec<(&str, &str)> = p.steps.iter().map(|s| (s.kind, s.action.name())).collect();
    assert_eq!(
        kinds,
        [
            ("set_secret_key", "change"),
            ("set_env", "skipped"),
            ("set_secret_key", "skipped"),
            ("set_env", "skipped"),
            ("restart", "change"),
            ("wait_rollout", "wait"),
            ("verify", "verify"),
            ("verify", "verify")
        ]
    );
}

fn affinity_params(extra: &[&str]) -> Vec<(String, ParamValue)> {
    ["namespace=aiwfe", "deployments=integration-service"]
        .iter()
        .chain(extra)
        .map(|a| parse_set(a).unwrap())
        .collect()
}

#[test]
fn affinity_moves_the_required_term_with_its_selector_and_topology_key() {
    let mut objects = incident();
    let p = run("affinity", affinity_params(&[]), &objects);
    assert_eq!(
        summary(&p),
        [
            s("relax_anti_affinity", "change", "deployment/integration-service"),
            s("wait_rollout", "wait", "deployment/integration-service"),
            s("verify", "verify", "kube"),
        ]
    );
    let c = changes(&p, "deployment/integration-service")[0];
    assert_eq!(c.resource_version.as_deref(), Some("4020"));
    assert_eq!(
        c.after().pointer("/spec/template/spec/affinity/podAntiAffinity").unwrap(),
        &json!({"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": {
            "labelSelector": {"matchLabels": {"app.kubernetes.io/name": "integration-service"}},
            "topologyKey": "kubernetes.io/hostname"}}]})
    );
    assert!(matches!(&p.steps[1].action, Action::Wait(w) if w.timeout_seconds == 600));
    let header = c.diff().lines().next().unwrap();
    assert_eq!(header, "deployment/integration-service (namespace aiwfe, resourceVersion 4020)");
    assert!(
        c.diff().contains("-          requiredDuringSchedulingIgnoredDuringExecution:"),
        "{}",
        c.diff()
    );
    apply(&mut objects, &p);
    assert!(run("affinity", affinity_params(&[]), &objects).is_noop());
}

#[test]
fn affinity_takes_a_weight_and_deployment_slash_names() {
    let p = run(
        "affinity",
        affinity_params(&["weight=40", "deployments=deployment/integration-service"]),
        &incident(),
    );
    let c = changes(&p, "deployment/integration-service")[0];
    assert_eq!(
        c.after()
            .pointer("/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/weight"),
        Some(&json!(40))
    );
    let pb = parse("affinity.yaml", builtin("affinity").unwrap()).unwrap();
    let e = resolve_params(&pb, affinity_params(&["weight=heavy"])).unwrap_err().to_string();
    assert_eq!(
        e,
        "parameter `weight` must be an int, got `heavy`; declared parameters: `namespace`, `deployments`, `weight`"
    );
    let e = resolve_params(&pb, vec![parse_set("namespace=aiwfe").unwrap()])
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("missing required parameter `deployments`"), "{e}");
    let _ = NS;
}
