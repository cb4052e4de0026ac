//! The object a plan's patch produces, compared with what the real kubectl makes of the
//! same object locally (`--local`, no cluster). Both sides go through kubectl's encoder
//! (`kubectl_normal`), so only real differences show. Skipped, with a message, where
//! kubectl is not installed.

use crate::playbook::testutil::{NOW, deployment, have_kubectl, incident, kubectl, kubectl_normal, object};
use crate::playbook::{Action, Kind, ObjectRef, RESTARTED_AT, expand, parse, parse_set, plan, resolve_params};
use serde_json::{Value, json};

/// Plans `step` (one step, YAML flow) against the incident with `obj` in place of its
/// target, applies every write's patch, and returns the object that results.
fn planned(step: &str, obj: &Value) -> Value {
    let text = format!("name: k\nparams:\n  - name: password\n    default: ''\nsteps:\n{step}");
    let pb = parse("k.yaml", &text).unwrap();
    let params = resolve_params(&pb, vec![parse_set("password=x").unwrap()]).unwrap();
    let steps = expand(&pb, &params, NOW).unwrap();
    let mut objects = incident();
    let name = obj["metadata"]["name"].as_str().unwrap();
    let r = ObjectRef::new(Kind::from_kind(obj["kind"].as_str().unwrap()).unwrap(), "aiwfe", name);
    objects.insert(r.clone(), obj.clone());
    let p = plan("k", &steps, &objects, &params).unwrap();
    let mut out = obj.clone();
    for s in &p.steps {
        if let Action::Change(c) = &s.action
            && c.target == r
        {
            json_patch::patch(&mut out, c.patch_to_apply()).unwrap();
        }
    }
    assert_ne!(&out, obj, "the step changed nothing");
    out
}

fn same_as_kubectl(ours: &Value, theirs: &Value) {
    let (ours, theirs) = (kubectl_normal(ours), kubectl_normal(theirs));
    if ours != theirs {
        let a = crate::playbook::diff::yaml(&theirs);
        let b = crate::playbook::diff::yaml(&ours);
        panic!("differs from kubectl (- kubectl, + plan):\n{}", crate::playbook::unified(&a, &b));
    }
}

/// reasoning-service with an init container, to see which containers a step selects.
fn with_init_container() -> Value {
    let mut d = deployment("reasoning-service");
    d["spec"]["template"]["spec"]["initContainers"] =
        json!([{"name": "wait-for-redis", "image": "busybox:1.36", "command": ["sh", "-c", "true"]}]);
    d
}

#[test]
fn set_env_value_matches_kubectl_set_env() {
    if !have_kubectl() {
        return;
    }
    let gw = deployment("api-gateway");
    let url = "redis://:Redis-Accepts-This-1@redis.aiwfe.svc.cluster.local:6379/0";
    let ours = planned(
        &format!("  - set_env: {{namespace: aiwfe, target: deployment/api-gateway, container: gateway, env: REDIS_URL, value: '{url}'}}\n"),
        &gw,
    );
    same_as_kubectl(&ours, &kubectl(&["set", "env", "-c", "gateway", &format!("REDIS_URL={url}")], &gw));

    let d = with_init_container();
    let ours = planned(
        "  - set_env: {namespace: aiwfe, target: deployment/reasoning-service, env: FOO, value: bar}\n",
        &d,
    );
    same_as_kubectl(&ours, &kubectl(&["set", "env", "FOO=bar"], &d));
    let ours = planned(
        "  - set_env: {namespace: aiwfe, target: deployment/reasoning-service, env: REDIS_PASSWORD, value: inline}\n",
        &d,
    );
    same_as_kubectl(&ours, &kubectl(&["set", "env", "REDIS_PASSWORD=inline"], &d));
}

#[test]
fn set_env_remove_matches_kubectl_set_env_dash() {
    if !have_kubectl() {
        return;
    }
    let gw = deployment("api-gateway");
    let ours = planned(
        "  - set_env: {namespace: aiwfe, target: deployment/api-gateway, env: LOG_LEVEL, remove: true}\n",
        &gw,
    );
    same_as_kubectl(&ours, &kubectl(&["set", "env", "LOG_LEVEL-"], &gw));
    let both = "  - set_env: {namespace: aiwfe, target: deployment/api-gateway, env: LOG_LEVEL, remove: true}\n  - set_env: {namespace: aiwfe, target: deployment/api-gateway, env: REDIS_URL, remove: true}\n";
    same_as_kubectl(&planned(both, &gw), &kubectl(&["set", "env", "LOG_LEVEL-", "REDIS_URL-"], &gw));
}

#[test]
fn set_env_from_secret_matches_kubectl_patch_of_the_same_entry() {
    if !have_kubectl() {
        return;
    }
    let gw = deployment("api-gateway");
    let ours = planned(
        "  - set_env: {namespace: aiwfe, target: deployment/api-gateway, container: gateway, env: REDIS_URL, from_secret: {name: redis-auth, key: redis_url}}\n",
        &gw,
    );
    let op = json!([{"op": "replace", "path": "/spec/template/spec/containers/0/env/0",
                     "value": {"name": "REDIS_URL", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "redis_url"}}}}]);
    same_as_kubectl(&ours, &kubectl(&["patch", "--type=json", "-p", &op.to_string()], &gw));
}

#[test]
fn set_resources_matches_kubectl_set_resources() {
    if !have_kubectl() {
        return;
    }
    let d = with_init_container();
    let ours = planned(
        "  - set_resources: {namespace: aiwfe, target: deployment/reasoning-service, container: reasoning, requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: '1'}}\n",
        &d,
    );
    same_as_kubectl(
        &ours,
        &kubectl(
            &[
                "set",
                "resources",
                "-c",
                "reasoning",
                "--requests=cpu=500m,memory=1Gi",
                "--limits=cpu=1",
            ],
            &d,
        ),
    );
    let ours = planned(
        "  - set_resources: {namespace: aiwfe, target: deployment/reasoning-service, requests: {cpu: 100m}}\n",
        &d,
    );
    same_as_kubectl(&ours, &kubectl(&["set", "resources", "--requests=cpu=100m"], &d));
}

#[test]
fn restart_matches_the_patch_kubectl_rollout_restart_sends() {
    if !have_kubectl() {
        return;
    }
    // `kubectl rollout restart` has no --local: it patches the pod template's annotation,
    // which `kubectl patch` reproduces. The timestamp is the run's; only its place matters.
    let d = deployment("reasoning-service");
    let step = "  - set_secret_key: {namespace: aiwfe, secret: redis-auth, key: password, value: \"{{ password }}\"}\n  - restart: {namespace: aiwfe, target: deployment/reasoning-service}\n";
    let mut ours = planned(step, &d);
    let merge = json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: "2000-01-01T00:00:00Z"}}}}});
    let mut theirs = kubectl(&["patch", "--type=merge", "-p", &merge.to_string()], &d);
    for o in [&mut ours, &mut theirs] {
        let a = o
            .pointer_mut("/spec/template/metadata/annotations")
            .and_then(Value::as_object_mut)
            .unwrap();
        assert!(a.contains_key(RESTARTED_AT));
        a.insert(RESTARTED_AT.into(), json!("(the run's time)"));
    }
    same_as_kubectl(&ours, &theirs);
}

#[test]
fn patch_matches_kubectl_patch() {
    if !have_kubectl() {
        return;
    }
    let d = deployment("reasoning-service");
    let merge = json!({"spec": {"replicas": 2, "template": {"spec": {"terminationGracePeriodSeconds": 60}}}, "metadata": {"labels": {"tier": "backend"}}});
    let ours = planned(
        &format!("  - patch: {{namespace: aiwfe, target: deployment/reasoning-service, merge: {merge}}}\n"),
        &d,
    );
    same_as_kubectl(&ours, &kubectl(&["patch", "--type=merge", "-p", &merge.to_string()], &d));
    let ops = json!([{"op": "replace", "path": "/spec/replicas", "value": 1}, {"op": "remove", "path": "/spec/template/spec/containers/0/readinessProbe"}]);
    let ours = planned(
        &format!("  - patch: {{namespace: aiwfe, target: deployment/reasoning-service, json: {ops}}}\n"),
        &d,
    );
    same_as_kubectl(&ours, &kubectl(&["patch", "--type=json", "-p", &ops.to_string()], &d));
}

#[test]
fn relax_anti_affinity_matches_kubectl_patch_of_the_moved_term() {
    if !have_kubectl() {
        return;
    }
    let d = deployment("integration-service");
    let term = d
        .pointer("/spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/0")
        .unwrap()
        .clone();
    let ours = planned(
        "  - relax_anti_affinity: {namespace: aiwfe, target: deployment/integration-service, weight: 100}\n",
        &d,
    );
    let merge = json!({"spec": {"template": {"spec": {"affinity": {"podAntiAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": null,
        "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": term}]}}}}}});
    same_as_kubectl(&ours, &kubectl(&["patch", "--type=merge", "-p", &merge.to_string()], &d));
}

#[test]
fn set_secret_key_matches_kubectl_patch_of_data() {
    if !have_kubectl() {
        return;
    }
    let s = object(Kind::Secret, "redis-auth");
    let ours = planned(
        "  - set_secret_key: {namespace: aiwfe, secret: redis-auth, key: password, value: Redis-Accepts-This-1}\n",
        &s,
    );
    let merge = json!({"data": {"password": "UmVkaXMtQWNjZXB0cy1UaGlzLTE="}});
    same_as_kubectl(&ours, &kubectl(&["patch", "--type=merge", "-p", &merge.to_string()], &s));
}
