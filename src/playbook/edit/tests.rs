use super::*;
use crate::playbook::testutil::{ACCEPTED, NS, STALE, deployment, object};
use crate::playbook::{Kind, ObjectRef};

fn containers(obj: &Value) -> &Vec<Value> {
    obj.pointer("/spec/template/spec/containers").and_then(Value::as_array).unwrap()
}

fn env_of(obj: &Value, container: usize) -> Value {
    containers(obj)[container].get("env").cloned().unwrap_or(Value::Null)
}

#[test]
fn set_secret_key_writes_base64_and_leaves_an_equal_value_as_written() {
    let mut s = object(Kind::Secret, "redis-auth");
    assert_eq!(decode_b64(s["data"]["password"].as_str().unwrap()), STALE);
    set_secret_key(&mut s, "password", ACCEPTED).unwrap();
    assert_eq!(s["data"]["password"], json!(B64.encode(ACCEPTED)));
    let before = s.clone();
    set_secret_key(&mut s, "password", ACCEPTED).unwrap();
    assert_eq!(s, before);
    set_secret_key(&mut s, "url", "redis://x").unwrap();
    assert_eq!(s["data"].as_object().unwrap().len(), 2);
    s["immutable"] = json!(true);
    assert!(set_secret_key(&mut s, "password", "other").unwrap_err().contains("immutable"));
    let mut empty = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "e"}});
    set_secret_key(&mut empty, "k", "v").unwrap();
    assert_eq!(empty["data"], json!({"k": "dg=="}));
}

#[test]
fn set_env_value_replaces_the_entry_where_it_stands() {
    let mut gw = deployment("api-gateway");
    set_env(
        &mut gw,
        Some("gateway"),
        "REDIS_URL",
        &EnvChange::Value("redis://:new@redis:6379/0".into()),
    )
    .unwrap();
    assert_eq!(
        env_of(&gw, 0),
        json!([{"name": "REDIS_URL", "value": "redis://:new@redis:6379/0"}, {"name": "LOG_LEVEL", "value": "INFO"}])
    );
    set_env(&mut gw, None, "FEATURE", &EnvChange::Value("on".into())).unwrap();
    assert_eq!(env_of(&gw, 0)[2], json!({"name": "FEATURE", "value": "on"}));
}

#[test]
fn set_env_from_secret_drops_the_inline_value() {
    let mut gw = deployment("api-gateway");
    let change = EnvChange::FromSecret {
        name: "redis-auth".into(),
        key: "redis_url".into(),
    };
    set_env(&mut gw, None, "REDIS_URL", &change).unwrap();
    assert_eq!(
        env_of(&gw, 0)[0],
        json!({"name": "REDIS_URL", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "redis_url"}}})
    );
    // And a value replaces a valueFrom.
    let mut rs = deployment("reasoning-service");
    set_env(&mut rs, Some("reasoning"), "REDIS_PASSWORD", &EnvChange::Value("x".into())).unwrap();
    assert_eq!(env_of(&rs, 0)[2], json!({"name": "REDIS_PASSWORD", "value": "x"}));
}

#[test]
fn set_env_remove_drops_the_entry_and_an_emptied_list() {
    let mut gw = deployment("api-gateway");
    set_env(&mut gw, None, "LOG_LEVEL", &EnvChange::Remove).unwrap();
    assert_eq!(env_of(&gw, 0).as_array().unwrap().len(), 1);
    set_env(&mut gw, None, "REDIS_URL", &EnvChange::Remove).unwrap();
    assert_eq!(env_of(&gw, 0), Value::Null, "the `env` key goes, as with kubectl");
    let before = gw.clone();
    set_env(&mut gw, None, "ABSENT", &EnvChange::Remove).unwrap();
    assert_eq!(gw, before);
}

#[test]
fn a_container_that_is_not_there_is_named_with_the_ones_that_are() {
    let mut gw = deployment("api-gateway");
    let e = set_env(&mut gw, Some("api"), "A", &EnvChange::Value("b".into())).unwrap_err();
    assert_eq!(e, "no container `api`; containers: `gateway`");
    let mut secret = object(Kind::Secret, "redis-auth");
    assert!(restart(&mut secret, "now").unwrap_err().contains("no `spec`"));
}

#[test]
fn relax_anti_affinity_moves_required_terms_to_preferred() {
    let mut d = deployment("integration-service");
    relax_anti_affinity(&mut d, 100).unwrap();
    assert_eq!(
        d.pointer("/spec/template/spec/affinity").unwrap(),
        &json!({"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{
            "weight": 100,
            "podAffinityTerm": {"labelSelector": {"matchLabels": {"app.kubernetes.io/name": "integration-service"}}, "topologyKey": "kubernetes.io/hostname"}
        }]}})
    );
    let before = d.clone();
    relax_anti_affinity(&mut d, 100).unwrap();
    assert_eq!(d, before, "nothing required is left to move");
}

#[test]
fn relax_anti_affinity_keeps_every_term_field_and_the_other_affinities() {
    let term = json!({"labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["x"]}]},
                      "namespaces": ["aiwfe"], "namespaceSelector": {"matchLabels": {"team": "a"}},
                      "topologyKey": "topology.kubernetes.io/zone", "matchLabelKeys": ["pod-template-hash"]});
    let node = json!({"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}]}});
    let pod = json!({"requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector": {"matchLabels": {"app": "redis"}}, "topologyKey": "kubernetes.io/hostname"}]});
    let existing =
        json!({"weight": 10, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app": "x"}}}});
    let mut d = deployment("integration-service");
    d["spec"]["template"]["spec"]["affinity"] = json!({"nodeAffinity": node, "podAffinity": pod,
        "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [term, existing["podAffinityTerm"]],
                            "preferredDuringSchedulingIgnoredDuringExecution": [existing]}});
    relax_anti_affinity(&mut d, 40).unwrap();
    let aff = &d["spec"]["template"]["spec"]["affinity"];
    assert_eq!(aff["nodeAffinity"], node);
    assert_eq!(aff["podAffinity"], pod);
    assert_eq!(
        aff["podAntiAffinity"],
        json!({"preferredDuringSchedulingIgnoredDuringExecution": [existing, {"weight": 40, "podAffinityTerm": term}]}),
        "a term already preferred is not added twice"
    );
}

#[test]
fn set_resources_sets_removes_and_keeps_equal_quantities() {
    let mut d = deployment("reasoning-service");
    let req = [
        ("cpu".to_string(), Some("1000m".to_string())),
        ("memory".to_string(), Some("1Gi".to_string())),
    ]
    .into();
    let lim = [("cpu".to_string(), None)].into();
    set_resources(&mut d, Some("reasoning"), &req, &lim).unwrap();
    assert_eq!(
        containers(&d)[0]["resources"],
        json!({"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"memory": "4Gi"}})
    );
    let e = set_resources(
        &mut d,
        None,
        &[("memory".to_string(), Some("8Gi".to_string()))].into(),
        &BTreeMap::new(),
    )
    .unwrap_err();
    assert_eq!(e, "container `reasoning`: the memory request 8Gi would be above its limit 4Gi");
}

#[test]
fn restart_sets_the_annotation_kubectl_sets() {
    let mut d = deployment("reasoning-service");
    restart(&mut d, "2025-08-13T15:04:05Z").unwrap();
    assert_eq!(
        d["spec"]["template"]["metadata"]["annotations"],
        json!({RESTARTED_AT: "2025-08-13T15:04:05Z"})
    );
    assert_eq!(
        d["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"],
        json!("reasoning-service")
    );
}

#[test]
fn patch_applies_merge_and_json_patches_but_not_a_rename() {
    let mut d = deployment("reasoning-service");
    patch(
        &mut d,
        &PatchBody::Merge(json!({"spec": {"replicas": 2, "revisionHistoryLimit": null}})),
    )
    .unwrap();
    assert_eq!(
        (d["spec"]["replicas"].clone(), d["spec"].get("revisionHistoryLimit")),
        (json!(2), None)
    );
    let ops = serde_json::from_value(
        json!([{"op": "test", "path": "/spec/replicas", "value": 2}, {"op": "replace", "path": "/spec/replicas", "value": 3}]),
    )
    .unwrap();
    patch(&mut d, &PatchBody::Json(ops)).unwrap();
    assert_eq!(d["spec"]["replicas"], json!(3));
    let failing = serde_json::from_value(json!([{"op": "test", "path": "/spec/replicas", "value": 9}])).unwrap();
    assert!(
        patch(&mut d, &PatchBody::Json(failing))
            .unwrap_err()
            .starts_with("the JSON Patch does not apply")
    );
    let e = patch(&mut d, &PatchBody::Merge(json!({"metadata": {"name": "other"}}))).unwrap_err();
    assert!(e.contains("may not change"), "{e}");
}

#[test]
fn hpas_are_created_and_brought_to_the_values() {
    let w = ObjectRef::new(Kind::Deployment, NS, "reasoning-service");
    let hpa = new_hpa(&w.with_kind(Kind::HorizontalPodAutoscaler), &w, 2, 6, 70);
    assert_eq!(
        hpa,
        json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
               "metadata": {"name": "reasoning-service", "namespace": NS, "labels": {"app.kubernetes.io/managed-by": "aiwfe"}},
               "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "reasoning-service"},
                        "minReplicas": 2, "maxReplicas": 6,
                        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}})
    );
    let mut existing = hpa.clone();
    existing["spec"]["metrics"] = json!([{"type": "Resource", "resource": {"name": "memory", "target": {"type": "Utilization", "averageUtilization": 80}}},
                                        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "AverageValue", "averageValue": "500m"}}}]);
    update_hpa(&mut existing, 3, 9, 60).unwrap();
    assert_eq!(
        (existing["spec"]["minReplicas"].clone(), existing["spec"]["maxReplicas"].clone()),
        (json!(3), json!(9))
    );
    assert_eq!(
        existing["spec"]["metrics"][0]["resource"]["name"],
        json!("memory"),
        "other metrics stay"
    );
    assert_eq!(
        existing["spec"]["metrics"][1]["resource"]["target"],
        json!({"type": "Utilization", "averageUtilization": 60})
    );
}
