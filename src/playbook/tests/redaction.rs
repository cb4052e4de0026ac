//! No output of a plan, a step, the parameters or an error shows a secret: not the value,
//! not its base64 form, not its percent-encoded form inside a URL.

use crate::playbook::testutil::{NOW, STALE, incident};
use crate::playbook::{Error, ParamValue, Plan, builtin, expand, mask, parse, parse_set, plan, resolve_params};
use base64::Engine as _;
use serde_json::json;

/// A password with characters that URLs percent-encode.
const PASSWORD: &str = "N3w:Pa$$@word/2025";

fn forbidden() -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    vec![
        PASSWORD.to_string(),
        b64(PASSWORD),
        crate::playbook::secrets::percent_encode(PASSWORD),
        STALE.to_string(),
        b64(STALE),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for f in forbidden() {
        assert!(!text.contains(&f), "{what} shows `{f}`:\n{text}");
    }
}

fn redis_auth_plan() -> Plan {
    let pb = parse("redis-auth.yaml", builtin("redis-auth").unwrap()).unwrap();
    let mut given: Vec<(String, ParamValue)> = ["namespace=aiwfe", "consumers=deployment/reasoning-service"]
        .iter()
        .map(|a| parse_set(a).unwrap())
        .collect();
    given.push(("password".into(), ParamValue::String(PASSWORD.into())));
    given.push((
        "inline".into(),
        ParamValue::List(vec![
            json!({"target": "deployment/api-gateway", "container": "gateway", "env": "REDIS_URL",
                                     "url": "redis://:Stale-Redis-Pass-0812@redis.aiwfe.svc.cluster.local:6379/0"}),
        ]),
    ));
    let params = resolve_params(&pb, given).unwrap();
    assert_clean("params debug", &format!("{params:?}"));
    let steps = expand(&pb, &params, NOW).unwrap();
    assert_clean("steps debug", &format!("{steps:?} {steps:#?}"));
    assert_clean(
        "step actions debug",
        &format!("{:?}", steps.iter().map(|s| &s.action).collect::<Vec<_>>()),
    );
    plan(&pb.name, &steps, &incident(), &params).unwrap()
}

#[test]
fn a_plan_with_secrets_shows_none_of_them() {
    let p = redis_auth_plan();
    assert!(p.writes().count() >= 3, "the plan writes the Secret and the URL");
    assert_clean("json", &serde_json::to_string_pretty(&p).unwrap());
    assert_clean("yaml", &serde_saphyr::to_string(&p).unwrap());
    assert_clean("debug", &format!("{p:?}"));
    assert_clean("pretty debug", &format!("{p:#?}"));
    assert_clean("diff", &p.diff());
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.contains(&mask(PASSWORD)), "the secret shows as its mask: {json}");
}

#[test]
fn the_real_ops_are_reachable_through_the_accessor_only() {
    let p = redis_auth_plan();
    let b64 = base64::engine::general_purpose::STANDARD.encode(PASSWORD);
    let real: Vec<String> = p
        .steps
        .iter()
        .filter_map(|s| match &s.action {
            crate::playbook::Action::Change(c) => Some(serde_json::to_string(c.patch_to_apply()).unwrap()),
            _ => None,
        })
        .collect();
    assert!(real[0].contains(&b64), "the Secret's op carries the real value: {}", real[0]);
    assert!(
        real[1].contains(&crate::playbook::secrets::percent_encode(PASSWORD)),
        "the URL carries it encoded"
    );
}

#[test]
fn errors_never_show_a_secret() {
    // A step name that renders the secret, on a target that is not there.
    let text = "name: e\nparams:\n  - name: password\n    secret: true\n    required: true\nsteps:\n  - name: \"set {{ password }}\"\n    set_env: {namespace: aiwfe, target: deployment/missing, env: A, value: \"{{ password }}\"}\n";
    let pb = parse("e.yaml", text).unwrap();
    let params = resolve_params(&pb, vec![("password".into(), ParamValue::String(PASSWORD.into()))]).unwrap();
    let steps = expand(&pb, &params, NOW).unwrap();
    let e = plan("e", &steps, &incident(), &params).unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }));
    assert_clean("not-found error", &e.to_string());
    assert_clean("not-found error debug", &format!("{e:?}"));

    // The same step on a target that exists: the plan's name and diff stay clean.
    let text = "name: e\nparams:\n  - name: password\n    secret: true\n    required: true\nsteps:\n  - name: \"set {{ password }}\"\n    set_env: {namespace: aiwfe, target: deployment/api-gateway, env: A, value: \"{{ password }}\"}\n";
    let pb = parse("e.yaml", text).unwrap();
    let params = resolve_params(&pb, vec![("password".into(), ParamValue::String(PASSWORD.into()))]).unwrap();
    let p = plan("e", &expand(&pb, &params, NOW).unwrap(), &incident(), &params).unwrap();
    assert_eq!(p.steps[0].name, format!("set {}", mask(PASSWORD)));
    assert_clean(
        "plan with a secret in a step name",
        &format!("{} {p:?} {}", serde_json::to_string(&p).unwrap(), p.diff()),
    );

    // A template failing on a value that holds the secret.
    let text = "name: e\nparams:\n  - name: password\n    secret: true\n    required: true\nsteps:\n  - restart: {namespace: aiwfe, target: \"deployment/{{ password }}\"}\n";
    let pb = parse("e.yaml", text).unwrap();
    let params = resolve_params(&pb, vec![("password".into(), ParamValue::String(PASSWORD.into()))]).unwrap();
    let e = expand(&pb, &params, NOW).unwrap_err();
    assert!(matches!(e, Error::Step(_)));
    assert_clean("step error", &e.to_string());

    // A secret parameter given a value of the wrong type.
    let text = "name: e\nparams:\n  - name: pin\n    type: int\n    secret: true\n    required: true\nsteps: []\n";
    let pb = parse("e.yaml", text).unwrap();
    let e = resolve_params(&pb, vec![("pin".into(), ParamValue::String(PASSWORD.into()))]).unwrap_err();
    assert_clean("parameter error", &e.to_string());
}
