use super::*;
use crate::playbook::testutil::{ACCEPTED, NOW, NS, apply, incident};
use crate::playbook::{expand, parse, parse_set, resolve_params};

type Objs = BTreeMap<ObjectRef, Value>;

fn plan_text(text: &str, set: &[&str], objects: &Objs) -> Result<Plan, Error> {
    let pb = parse("pb.yaml", text)?;
    let given = set.iter().map(|a| parse_set(a)).collect::<Result<Vec<_>, _>>()?;
    let params = resolve_params(&pb, given)?;
    let steps = expand(&pb, &params, NOW)?;
    plan(&pb.name, &steps, objects, &params)
}

fn change(p: &Plan, i: usize) -> &Change {
    match &p.steps[i].action {
        Action::Change(c) => c,
        other => panic!("step {i} is {}, not a change", other.name()),
    }
}

fn no_change(p: &Plan, i: usize) -> &NoChange {
    match &p.steps[i].action {
        Action::NoChange(n) => n,
        other => panic!("step {i} is {}, not no_change", other.name()),
    }
}

const EXAMPLE: &str = include_str!("../testdata/example.yaml");

fn example_set(password: &str) -> Vec<String> {
    vec![
        "namespace=aiwfe".into(),
        format!("password={password}"),
        "consumers=deployment/reasoning-service".into(),
    ]
}

fn plan_example(password: &str, objects: &Objs) -> Plan {
    let set = example_set(password);
    plan_text(EXAMPLE, &set.iter().map(String::as_str).collect::<Vec<_>>(), objects).unwrap()
}

#[test]
fn a_secret_change_is_one_replace_of_its_data_key() {
    let p = plan_example(ACCEPTED, &incident());
    let c = change(&p, 0);
    assert_eq!(c.target, ObjectRef::new(Kind::Secret, NS, "redis-auth"));
    assert_eq!(c.resource_version.as_deref(), Some("3981"));
    assert_eq!(c.after_step, None);
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(ACCEPTED);
    assert_eq!(
        serde_json::to_value(c.patch_to_apply()).unwrap(),
        json!([{"op": "replace", "path": "/data/password", "value": b64}])
    );
    assert_eq!(
        c.redacted_ops(),
        &json!([{"op": "replace", "path": "/data/password", "value": crate::playbook::mask(ACCEPTED)}])
    );
    assert!(
        c.diff()
            .starts_with("secret/redis-auth (namespace aiwfe, resourceVersion 3981)\n@@ "),
        "{}",
        c.diff()
    );
}

#[test]
fn restart_follows_a_change_and_sets_only_the_annotation() {
    let p = plan_example(ACCEPTED, &incident());
    let c = change(&p, 1);
    assert_eq!(c.target.to_string(), "deployment/reasoning-service");
    assert_eq!(c.resource_version.as_deref(), Some("4012"));
    assert_eq!(
        serde_json::to_value(c.patch_to_apply()).unwrap(),
        json!([{"op": "add", "path": "/spec/template/metadata/annotations", "value": {"kubectl.kubernetes.io/restartedAt": NOW}}])
    );
    assert!(matches!(p.steps[2].action, Action::Wait(Wait { timeout_seconds: 300, .. })));
    assert!(matches!(&p.steps[3].action, Action::Verify(v) if v.probe == "redis"));
}

#[test]
fn restart_without_an_earlier_change_is_no_change() {
    let text = "name: r\nsteps:\n  - restart: {namespace: aiwfe, target: deployment/reasoning-service}\n";
    let p = plan_text(text, &[], &incident()).unwrap();
    let n = no_change(&p, 0);
    assert!(
        n.reason.starts_with("no earlier step of this plan changes a Secret or a workload"),
        "{}",
        n.reason
    );
    assert!(p.is_noop());
}

#[test]
fn a_second_run_changes_nothing_and_restarts_nothing() {
    let mut objects = incident();
    let first = plan_example(ACCEPTED, &objects);
    assert_eq!(first.writes().count(), 2);
    apply(&mut objects, &first);
    let second = plan_example(ACCEPTED, &objects);
    assert!(second.is_noop(), "{second:?}");
    assert_eq!(no_change(&second, 0).reason, "already holds");
    assert!(no_change(&second, 1).reason.starts_with("no earlier step"));
    assert_eq!(second.diff(), "");
}

#[test]
fn two_steps_on_one_object_compose() {
    let text = "name: c\nsteps:\n  - set_env: {namespace: aiwfe, target: deployment/api-gateway, env: LOG_LEVEL, value: DEBUG}\n  - set_resources: {namespace: aiwfe, target: deployment/api-gateway, container: gateway, requests: {cpu: 250m}}\n  - set_env: {namespace: aiwfe, target: deployment/api-gateway, env: LOG_LEVEL, value: DEBUG}\n";
    let objects = incident();
    let p = plan_text(text, &[], &objects).unwrap();
    let (a, b) = (change(&p, 0), change(&p, 1));
    assert_eq!((a.after_step, b.after_step), (None, Some(0)));
    assert_eq!(b.resource_version.as_deref(), Some("4033"), "the resourceVersion as read");
    assert_eq!(b.before(), a.after(), "the second step sees the first's effect");
    assert_eq!(
        serde_json::to_value(a.patch_to_apply()).unwrap(),
        json!([{"op": "replace", "path": "/spec/template/spec/containers/0/env/1/value", "value": "DEBUG"}])
    );
    assert_eq!(
        serde_json::to_value(b.patch_to_apply()).unwrap(),
        json!([{"op": "replace", "path": "/spec/template/spec/containers/0/resources/requests/cpu", "value": "250m"}])
    );
    assert_eq!(
        no_change(&p, 2).reason,
        "already holds",
        "the third step already holds after the first"
    );
    let mut applied = objects.clone();
    apply(&mut applied, &p);
    let gw = &applied[&ObjectRef::new(Kind::Deployment, NS, "api-gateway")];
    assert_eq!(gw, b.after());
    assert_eq!(gw.pointer("/spec/template/spec/containers/0/env/1/value"), Some(&json!("DEBUG")));
    assert_eq!(
        gw.pointer("/spec/template/spec/containers/0/resources/requests/cpu"),
        Some(&json!("250m"))
    );
}

#[test]
fn a_missing_object_is_an_error_naming_it() {
    let text = "name: m\nsteps:\n  - name: go\n    set_env: {namespace: aiwfe, target: deployment/x, env: A, value: b}\n";
    let e = plan_text(text, &[], &incident()).unwrap_err().to_string();
    assert_eq!(e, "deployment `x` not found in namespace `aiwfe` (step 1 `go`)");
    let text = "name: m\nsteps:\n  - ensure_hpa: {namespace: aiwfe, target: deployment/x, min_replicas: 1, max_replicas: 2, cpu_utilization: 80}\n";
    let e = plan_text(text, &[], &incident()).unwrap_err().to_string();
    assert!(e.starts_with("deployment `x` not found in namespace `aiwfe`"), "{e}");
}

#[test]
fn ensure_hpa_creates_then_holds_then_patches() {
    let text = "name: h\nparams:\n  - name: max\n    default: 6\nsteps:\n  - ensure_hpa: {namespace: aiwfe, target: deployment/reasoning-service, min_replicas: 2, max_replicas: \"{{ max }}\", cpu_utilization: 70}\n";
    let mut objects = incident();
    let p = plan_text(text, &[], &objects).unwrap();
    let Action::Create(c) = &p.steps[0].action else {
        panic!("{:?}", p.steps[0])
    };
    assert_eq!(c.target, ObjectRef::new(Kind::HorizontalPodAutoscaler, NS, "reasoning-service"));
    assert_eq!(c.object_to_create()["spec"]["maxReplicas"], json!(6));
    assert!(
        c.diff()
            .starts_with("horizontalpodautoscaler/reasoning-service (namespace aiwfe, new)\n@@ -0,0 +1,"),
        "{}",
        c.diff()
    );
    assert!(c.diff().lines().skip(2).all(|l| l.starts_with('+')));
    apply(&mut objects, &p);
    assert!(plan_text(text, &[], &objects).unwrap().is_noop());
    let p = plan_text(text, &["max=8"], &objects).unwrap();
    assert_eq!(
        serde_json::to_value(change(&p, 0).patch_to_apply()).unwrap(),
        json!([{"op": "replace", "path": "/spec/maxReplicas", "value": 8}])
    );
}

#[test]
fn ops_never_touch_what_the_server_owns() {
    let text = "name: s\nsteps:\n  - patch: {namespace: aiwfe, target: deployment/reasoning-service, merge: {status: {readyReplicas: 4}, metadata: {resourceVersion: '1', generation: 9, managedFields: null}}}\n  - patch: {namespace: aiwfe, target: deployment/reasoning-service, merge: {status: {readyReplicas: 4}, spec: {replicas: 2}}}\n";
    let p = plan_text(text, &[], &incident()).unwrap();
    assert_eq!(no_change(&p, 0).reason, "already holds");
    assert_eq!(
        serde_json::to_value(change(&p, 1).patch_to_apply()).unwrap(),
        json!([{"op": "replace", "path": "/spec/replicas", "value": 2}])
    );
    assert!(!change(&p, 1).diff().contains("managedFields") && !change(&p, 1).diff().contains("status:"));
}

#[test]
fn a_step_that_cannot_apply_names_the_step_and_target() {
    let text = "name: e\nsteps:\n  - set_env: {namespace: aiwfe, target: deployment/api-gateway, container: api, env: A, value: b}\n";
    let e = plan_text(text, &[], &incident()).unwrap_err().to_string();
    assert_eq!(
        e,
        "step 1 `set_env deployment/api-gateway` on deployment/api-gateway: no container `api`; containers: `gateway`"
    );
}

#[test]
fn skipped_steps_are_planned_as_skipped() {
    let text = "name: w\nsteps:\n  - when: false\n    restart: {namespace: aiwfe, target: deployment/nowhere}\n";
    let p = plan_text(text, &[], &incident()).unwrap();
    assert!(matches!(&p.steps[0].action, Action::Skipped { reason } if reason == "`when` is false"));
}

#[test]
fn with_precondition_prepends_the_resource_version_replace() {
    let ops: json_patch::Patch = serde_json::from_value(json!([{"op": "replace", "path": "/spec/replicas", "value": 2}])).unwrap();
    assert_eq!(
        serde_json::to_value(with_precondition(&ops, "4012")).unwrap(),
        json!([
            {"op": "replace", "path": "/metadata/resourceVersion", "value": "4012"},
            {"op": "replace", "path": "/spec/replicas", "value": 2}
        ])
    );
    // The patched object carries the planned version, which the API server compares.
    let mut d = incident()[&ObjectRef::new(Kind::Deployment, NS, "reasoning-service")].clone();
    json_patch::patch(&mut d, &with_precondition(&ops, "4011")).unwrap();
    assert_eq!(d["metadata"]["resourceVersion"], "4011");
}

#[test]
fn the_plan_serializes_per_step() {
    let p = plan_example(ACCEPTED, &incident());
    let v = serde_json::to_value(&p).unwrap();
    assert_eq!(v["playbook"], json!("redis-auth"));
    let s0 = &v["steps"][0];
    assert_eq!(
        (
            s0["index"].clone(),
            s0["name"].clone(),
            s0["kind"].clone(),
            s0["action"].clone(),
            s0["resourceVersion"].clone()
        ),
        (
            json!(0),
            json!("store the password Redis accepts"),
            json!("set_secret_key"),
            json!("change"),
            json!("3981")
        )
    );
    assert_eq!(
        s0["target"],
        json!({"apiVersion": "v1", "kind": "Secret", "namespace": "aiwfe", "name": "redis-auth"})
    );
    assert_eq!(s0["ops"][0]["path"], json!("/data/password"));
    assert!(s0["diff"].as_str().unwrap().starts_with("secret/redis-auth"));
    assert_eq!(v["steps"][2]["action"], json!("wait"));
    assert_eq!(v["steps"][2]["timeoutSeconds"], json!(300));
    assert_eq!(
        v["steps"][3],
        json!({"index": 3, "name": "verify", "kind": "verify", "action": "verify", "probe": "redis", "args": {}})
    );
}

#[test]
fn index_objects_keys_by_kind_namespace_and_name() {
    let objects = incident();
    let names: Vec<String> = objects.keys().map(|r| r.to_string()).collect();
    assert_eq!(
        names,
        [
            "deployment/api-gateway",
            "deployment/integration-service",
            "deployment/reasoning-service",
            "secret/redis-auth",
            "secret/redis-server-auth"
        ]
    );
}
