use super::*;
use crate::playbook::action::{EnvChange, PatchBody};
use crate::playbook::error::{Diagnostic, Error};
use crate::playbook::render::parse_duration;
use crate::playbook::secrets::mask;
use crate::playbook::target::Kind;
use crate::playbook::{ParamValue, parse, parse_set, resolve_params};
use serde_json::json;

const NOW: &str = "2025-08-13T15:00:00Z";

fn expand_with(text: &str, set: &[&str]) -> Result<Vec<Step>, Error> {
    let pb = parse("pb.yaml", text)?;
    let given = set.iter().map(|a| parse_set(a)).collect::<Result<Vec<_>, _>>()?;
    let params = resolve_params(&pb, given)?;
    expand(&pb, &params, NOW)
}

fn example(set: &[&str]) -> Result<Vec<Step>, Error> {
    expand_with(include_str!("../testdata/example.yaml"), set)
}

fn step_error(e: Error) -> Diagnostic {
    match e {
        Error::Step(d) => *d,
        other => panic!("expected a step error, got {other}"),
    }
}

#[test]
fn for_each_repeats_a_step_per_item() {
    let steps = example(&[
        "namespace=aiwfe",
        "password=pw",
        "consumers=deployment/reasoning-service,deployment/api-gateway",
    ])
    .unwrap();
    let kinds: Vec<&str> = steps.iter().map(|s| s.action.kind()).collect();
    assert_eq!(
        kinds,
        ["set_secret_key", "restart", "restart", "wait_rollout", "wait_rollout", "verify"]
    );
    assert_eq!(steps.iter().map(|s| s.decl).collect::<Vec<_>>(), [0, 1, 1, 2, 2, 3]);
    assert_eq!(
        steps[1].action,
        StepAction::Restart {
            target: ObjectRef::new(Kind::Deployment, "aiwfe", "reasoning-service"),
            at: NOW.to_string()
        }
    );
    assert_eq!(steps[2].action.target().unwrap().to_string(), "deployment/api-gateway");
    assert_eq!(steps[1].name, "restart the consumers");
    assert_eq!(
        steps[3].name, "wait_rollout deployment/reasoning-service",
        "unnamed steps are named by kind and target"
    );
    assert_eq!(
        steps[3].action,
        StepAction::WaitRollout {
            target: ObjectRef::new(Kind::Deployment, "aiwfe", "reasoning-service"),
            timeout_seconds: 300
        }
    );
    assert_eq!(
        steps[0].action,
        StepAction::SetSecretKey {
            target: ObjectRef::new(Kind::Secret, "aiwfe", "redis-auth"),
            key: "password".into(),
            value: "pw".into()
        }
    );
    assert_eq!(steps.iter().map(|s| s.index).collect::<Vec<_>>(), [0, 1, 2, 3, 4, 5]);
}

#[test]
fn an_empty_for_each_is_kept_as_skipped() {
    let steps = example(&["namespace=aiwfe", "password=pw"]).unwrap();
    let kinds: Vec<&str> = steps.iter().map(|s| s.action.kind()).collect();
    assert_eq!(kinds, ["set_secret_key", "restart", "wait_rollout", "verify"]);
    assert_eq!(
        steps[1].action,
        StepAction::Skipped {
            kind: "restart",
            reason: "`for_each` gave no items".into()
        }
    );
}

const WHEN: &str = "name: t\nparams:\n  - name: move\n    type: bool\n    default: false\n  - name: targets\n    default: [a, b]\nsteps:\n  - name: move {{ item }}\n    for_each: \"{{ targets }}\"\n    when: \"{{ move and item == 'b' }}\"\n    restart: {namespace: aiwfe, target: \"deployment/{{ item }}\"}\n  - when: false\n    verify: {probe: kube}\n";

#[test]
fn when_false_skips_the_step_per_item() {
    let steps = expand_with(WHEN, &["move=true"]).unwrap();
    assert_eq!(
        steps[0].action,
        StepAction::Skipped {
            kind: "restart",
            reason: "`when` is false".into()
        }
    );
    assert_eq!(steps[0].name, "move a");
    assert_eq!(steps[1].action.kind(), "restart");
    assert_eq!(steps[1].name, "move b");
    assert_eq!(
        steps[2].action,
        StepAction::Skipped {
            kind: "verify",
            reason: "`when` is false".into()
        }
    );
    let steps = expand_with(WHEN, &[]).unwrap();
    assert!(steps.iter().all(|s| matches!(s.action, StepAction::Skipped { .. })));
}

#[test]
fn a_single_expression_keeps_its_type_in_fields() {
    let text = "name: t\nparams:\n  - name: weight\n    type: int\n    default: 40\n  - name: n\n    type: int\n    default: 2\nsteps:\n  - relax_anti_affinity: {namespace: aiwfe, target: deployment/x, weight: \"{{ weight }}\"}\n  - ensure_hpa: {namespace: aiwfe, target: deployment/x, min_replicas: \"{{ n }}\", max_replicas: \"{{ n * 3 }}\", cpu_utilization: 70}\n  - patch: {namespace: aiwfe, target: deployment/x, merge: {spec: {replicas: \"{{ n }}\", paused: \"{{ n > 5 }}\", note: \"n={{ n }}\"}}}\n";
    let steps = expand_with(text, &["weight=55"]).unwrap();
    assert_eq!(
        steps[0].action,
        StepAction::RelaxAntiAffinity {
            target: ObjectRef::new(Kind::Deployment, "aiwfe", "x"),
            weight: 55
        }
    );
    match &steps[1].action {
        StepAction::EnsureHpa {
            target,
            min_replicas,
            max_replicas,
            ..
        } => {
            assert_eq!(
                (target.to_string(), *min_replicas, *max_replicas),
                ("horizontalpodautoscaler/x".into(), 2, 6)
            );
        }
        other => panic!("{:?}", other.kind()),
    }
    assert_eq!(
        steps[2].action,
        StepAction::Patch {
            target: ObjectRef::new(Kind::Deployment, "aiwfe", "x"),
            patch: PatchBody::Merge(json!({"spec": {"replicas": 2, "paused": false, "note": "n=2"}}))
        }
    );
}

#[test]
fn an_unknown_variable_is_a_located_error_naming_it() {
    let text = "name: t\nparams:\n  - name: consumers\n    default: [deployment/a]\nsteps:\n  - name: restart them\n    for_each: \"{{ consumers }}\"\n    restart: {namespace: aiwfe, target: \"{{ itme }}\"}\n";
    let d = step_error(expand_with(text, &[]).unwrap_err());
    assert_eq!(
        d.message,
        "step 1 `restart them`: field `target`: unknown variable `itme` in `{{ itme }}`"
    );
    assert_eq!((d.pos.line, d.pos.column), (8, 41));
    assert!(d.hint.starts_with("did you mean `item`?"), "{}", d.hint);
    assert!(d.to_string().starts_with("pb.yaml:8:41: step 1"), "{d}");
}

#[test]
fn for_each_must_give_a_list() {
    let text = "name: t\nparams:\n  - name: c\n    default: x\nsteps:\n  - for_each: \"{{ c }}\"\n    restart: {namespace: aiwfe, target: \"{{ item }}\"}\n";
    let d = step_error(expand_with(text, &[]).unwrap_err());
    assert_eq!(d.message, "step 1 `restart`: field `for_each`: must give a list, got a string");
}

#[test]
fn rendered_values_are_checked() {
    let base = "name: t\nsteps:\n";
    let cases = [
        (
            "  - restart: {namespace: aiwfe, target: secret/x}\n",
            "`restart` needs a workload, got `secret/x`",
        ),
        ("  - restart: {namespace: aiwfe, target: pod/x}\n", "unknown resource `pod`"),
        (
            "  - relax_anti_affinity: {namespace: aiwfe, target: deployment/x, weight: 0}\n",
            "0 is out of range 1..=100",
        ),
        (
            "  - ensure_hpa: {namespace: aiwfe, target: deployment/x, min_replicas: 3, max_replicas: 2, cpu_utilization: 70}\n",
            "2 is below `min_replicas` 3",
        ),
        (
            "  - set_resources: {namespace: aiwfe, target: deployment/x, requests: {cpu: lots}}\n",
            "`lots` is not a quantity for `cpu`",
        ),
        (
            "  - wait_rollout: {namespace: aiwfe, target: deployment/x, timeout: soon}\n",
            "`soon` is not a duration",
        ),
        (
            "  - set_env: {namespace: aiwfe, target: deployment/x, env: 'A B', value: x}\n",
            "`A B` is not an env var name",
        ),
    ];
    for (step, want) in cases {
        let d = step_error(expand_with(&format!("{base}{step}"), &[]).unwrap_err());
        assert!(d.message.contains(want), "{step}: {}", d.message);
        assert_eq!(d.pos.line, 3, "{step}");
    }
}

#[test]
fn step_kinds_render_to_typed_actions() {
    let text = include_str!("../testdata/all-kinds.yaml");
    let steps = expand_with(text, &["namespace=aiwfe"]).unwrap();
    let ns = "aiwfe";
    let d = |n: &str| ObjectRef::new(Kind::Deployment, ns, n);
    assert_eq!(
        steps[0].action,
        StepAction::Patch {
            target: d("api-gateway"),
            patch: PatchBody::Json(serde_json::from_value(json!([{"op": "replace", "path": "/spec/replicas", "value": 2}])).unwrap())
        }
    );
    assert_eq!(
        steps[1].action,
        StepAction::SetEnv {
            target: d("api-gateway"),
            container: Some("gateway".into()),
            env: "REDIS_PASSWORD".into(),
            change: EnvChange::FromSecret {
                name: "redis-auth".into(),
                key: "password".into()
            }
        }
    );
    assert_eq!(
        steps[2].action,
        StepAction::SetEnv {
            target: d("api-gateway"),
            container: None,
            env: "LOG_LEVEL".into(),
            change: EnvChange::Remove
        }
    );
    assert_eq!(
        steps[3].action,
        StepAction::SetResources {
            target: d("reasoning-service"),
            container: Some("reasoning".into()),
            requests: [
                ("cpu".to_string(), Some("500m".to_string())),
                ("memory".to_string(), Some("1Gi".to_string()))
            ]
            .into(),
            limits: [("cpu".to_string(), None)].into(),
        }
    );
    assert_eq!(
        steps[4].action,
        StepAction::EnsureHpa {
            target: ObjectRef::new(Kind::HorizontalPodAutoscaler, ns, "reasoning-service"),
            workload: d("reasoning-service"),
            min_replicas: 2,
            max_replicas: 6,
            cpu_utilization: 70
        }
    );
    assert_eq!(
        steps[5].action,
        StepAction::WaitRollout {
            target: d("reasoning-service"),
            timeout_seconds: 90
        }
    );
    assert_eq!(
        steps[6].action,
        StepAction::Verify {
            probe: "redis".into(),
            args: json!({"namespace": "aiwfe", "attempts": 3}).as_object().unwrap().clone()
        }
    );
    assert_eq!(
        targets(&steps),
        [
            d("api-gateway"),
            d("reasoning-service"),
            ObjectRef::new(Kind::HorizontalPodAutoscaler, ns, "reasoning-service")
        ]
    );
}

#[test]
fn step_debug_masks_secrets() {
    let steps = example(&["namespace=aiwfe", "password=Redis-Pass-2025"]).unwrap();
    let shown = format!("{steps:?}");
    assert!(!shown.contains("Redis-Pass-2025"), "{shown}");
    assert!(shown.contains(&mask("Redis-Pass-2025")), "{shown}");
    let _ = ParamValue::Bool(true);
}

#[test]
fn durations() {
    assert_eq!(parse_duration("5m"), Some(300));
    assert_eq!(parse_duration("1h30m"), Some(5400));
    assert_eq!(parse_duration("90s"), Some(90));
    assert_eq!(parse_duration("120"), Some(120));
    assert_eq!(parse_duration("0"), None);
    assert_eq!(parse_duration("5x"), None);
    assert_eq!(parse_duration("m"), None);
}
