//! Parameters: `--set` parsing, coercion to the declared types, defaults, secrets.

use crate::playbook::model::Playbook;
use crate::playbook::params::*;
use crate::playbook::secrets::mask;
use crate::playbook::value::*;
use serde_json::json;

const PB: &str = "name: t\nparams:\n  - name: namespace\n    required: true\n  - name: password\n    required: true\n    secret: true\n  - name: consumers\n    default: []\n  - name: weight\n    type: int\n    default: 100\n  - name: move_inline\n    type: bool\n    default: false\n  - name: note\nsteps:\n  - verify: {probe: kube}\n";

fn pb() -> Playbook {
    crate::playbook::parse::parse("t.yaml", PB).unwrap()
}

fn set(args: &[&str]) -> Vec<(String, ParamValue)> {
    args.iter().map(|a| parse_set(a).unwrap()).collect()
}

#[test]
fn from_json_keeps_the_json_type() {
    assert_eq!(ParamValue::from_json(&json!("a")), ParamValue::String("a".into()));
    assert_eq!(ParamValue::from_json(&json!(3)), ParamValue::Int(3));
    assert_eq!(ParamValue::from_json(&json!(true)), ParamValue::Bool(true));
    assert_eq!(
        ParamValue::from_json(&json!([{"target": "x"}])),
        ParamValue::List(vec![json!({"target": "x"})])
    );
}

#[test]
fn parse_set_splits_at_the_first_equals_sign() {
    assert_eq!(
        parse_set("url=redis://:a=b@h").unwrap(),
        ("url".into(), ParamValue::String("redis://:a=b@h".into()))
    );
    assert_eq!(parse_set("k=").unwrap().1, ParamValue::String(String::new()));
    let e = parse_set("hunter2").unwrap_err().to_string();
    assert!(!e.contains("hunter2") && e.contains("NAME=VALUE"), "{e}");
    assert!(parse_set("bad name=1").is_err());
}

#[test]
fn values_are_read_as_the_declared_type() {
    let p = resolve_params(
        &pb(),
        set(&[
            "namespace=aiwfe",
            "password=pw",
            "consumers=deployment/a, deployment/b",
            "weight=50",
            "move_inline=true",
        ]),
    )
    .unwrap();
    assert_eq!(
        p.get("consumers"),
        Some(&ParamValue::List(vec![json!("deployment/a"), json!("deployment/b")]))
    );
    assert_eq!(p.get("weight"), Some(&ParamValue::Int(50)));
    assert_eq!(p.get("move_inline"), Some(&ParamValue::Bool(true)));
    let p = resolve_params(
        &pb(),
        set(&["namespace=aiwfe", "password=pw", "consumers=[deployment/a, {target: x}]"]),
    )
    .unwrap();
    assert_eq!(
        p.get("consumers"),
        Some(&ParamValue::List(vec![json!("deployment/a"), json!({"target": "x"})]))
    );
    assert_eq!(p.get("weight"), Some(&ParamValue::Int(100)), "default");
    assert_eq!(p.get("note"), None, "optional, no default: unset");
    let p = resolve_params(&pb(), set(&["namespace=aiwfe", "password=pw", "consumers="])).unwrap();
    assert_eq!(p.get("consumers"), Some(&ParamValue::List(vec![])));
}

#[test]
fn parameter_errors_name_the_parameter_and_list_the_declared_ones() {
    let declared = "`namespace`, `password`, `consumers`, `weight`, `move_inline`, `note`";
    let e = resolve_params(&pb(), set(&["password=pw"])).unwrap_err().to_string();
    assert_eq!(
        e,
        format!("missing required parameter `namespace`; declared parameters: {declared}")
    );
    let e = resolve_params(&pb(), set(&["namespace=a", "password=pw", "wieght=3"]))
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!("unknown parameter `wieght` (did you mean `weight`?); declared parameters: {declared}")
    );
    let e = resolve_params(&pb(), set(&["namespace=a", "password=pw", "weight=heavy"]))
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!("parameter `weight` must be an int, got `heavy`; declared parameters: {declared}")
    );
}

#[test]
fn secret_values_stay_out_of_errors_and_debug() {
    let mut pbs = pb();
    pbs.params.iter_mut().for_each(|p| {
        if p.name == "password" {
            p.ty = ParamType::Int;
        }
    });
    let e = resolve_params(&pbs, set(&["namespace=a", "password=Sup3r-Secret"]))
        .unwrap_err()
        .to_string();
    assert!(!e.contains("Sup3r-Secret") && e.contains("`password` must be an int"), "{e}");
    let p = resolve_params(&pb(), set(&["namespace=a", "password=Sup3r-Secret"])).unwrap();
    let d = format!("{p:?}");
    assert!(!d.contains("Sup3r-Secret") && d.contains(&mask("Sup3r-Secret")), "{d}");
    assert!(p.is_secret("password") && !p.is_secret("namespace"));
}
