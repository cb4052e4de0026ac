//! From YAML text to a checked [`Playbook`], with every error located.
//!
//! serde-saphyr reports a location with each error; the error enum is matched variant by
//! variant so the message can be worded for a playbook author and given a hint, and the
//! location is kept. Checks that need more than one field (a step's kind-specific rules,
//! parameter defaults against their types, template syntax) run after deserialisation on
//! the positions the model kept.

use super::error::{Diagnostic, Error, Pos, backticked, closest};
use super::model::{
    ActionDecl, HINT_SEP, JsonOpKind, ParamDecl, Playbook, RawPlaybook, STEP_KEYS, STEP_KINDS, StepDecl, templates_of, trees_of,
};
use super::template;
use super::value::{ParamType, coerce_json, is_identifier};
use serde_json::Value;
use serde_saphyr::Error as YamlError;
use serde_saphyr::MessageFormatter as _;
use std::sync::Arc;

/// Variables every template sees besides the parameters.
pub(crate) const RESERVED: [&str; 2] = ["item", "now"];

/// Parses and checks a playbook. `file_name` is only used in error messages.
pub fn parse(file_name: &str, text: &str) -> Result<Playbook, Error> {
    let raw: RawPlaybook = serde_saphyr::from_str(text).map_err(|e| Error::Parse(translate(file_name, text, &e)))?;
    let err = |pos: Pos, msg: String, hint: &str| Error::Parse(Box::new(Diagnostic::new(file_name, text, pos, msg, hint)));

    let name = raw.name.value.trim().to_string();
    if name.is_empty() {
        return Err(err(
            Pos::from_location(raw.name.referenced),
            "the playbook `name` is empty".into(),
            "name the playbook, e.g. `name: redis-auth`",
        ));
    }

    let mut params: Vec<ParamDecl> = Vec::new();
    for p in raw.params {
        let (p, at) = (p.value, Pos::from_location(p.referenced));
        let name_pos = Pos::from_location(p.name.referenced);
        let pname = p.name.value;
        if !is_identifier(&pname) {
            return Err(err(
                name_pos,
                format!("`{pname}` is not a parameter name"),
                "use letters, digits and `_`, starting with a letter, so templates can name it",
            ));
        }
        if RESERVED.contains(&pname.as_str()) {
            return Err(err(
                name_pos,
                format!("`{pname}` is reserved"),
                "templates already have `item` (in `for_each`) and `now`; choose another name",
            ));
        }
        if params.iter().any(|q| q.name == pname) {
            return Err(err(
                name_pos,
                format!("parameter `{pname}` is declared twice"),
                "remove one of the two declarations",
            ));
        }
        let ty =
            p.ty.or_else(|| p.default.as_ref().map(|d| ParamType::of_default(&d.value)))
                .unwrap_or_default();
        let default = match &p.default {
            None => None,
            Some(d) if d.value.is_null() => None,
            Some(d) => {
                let dpos = Pos::from_location(d.referenced);
                if p.secret {
                    return Err(err(
                        dpos,
                        format!("secret parameter `{pname}` has a default"),
                        "the playbook file would hold the secret: make it `required: true` instead",
                    ));
                }
                Some(coerce_json(ty, &d.value).ok_or_else(|| {
                    err(
                        dpos,
                        format!("the default of `{pname}` is not {}", ty.describe()),
                        "make the default match `type:`, or change the type",
                    )
                })?)
            }
        };
        if p.required && default.is_some() {
            return Err(err(
                at,
                format!("parameter `{pname}` is required and has a default"),
                "a default is never used when the value is required: drop one",
            ));
        }
        params.push(ParamDecl {
            name: pname,
            ty,
            default,
            required: p.required,
            secret: p.secret,
            description: p.description,
            pos: name_pos,
        });
    }

    let mut steps = Vec::new();
    for s in raw.steps {
        let mut step = s.value;
        step.pos = Pos::from_location(s.referenced);
        check_step(&step).map_err(|(pos, msg, hint)| err(pos, msg, &hint))?;
        steps.push(step);
    }

    Ok(Playbook {
        name,
        description: raw.description,
        params,
        steps,
        file: file_name.to_string(),
        text: Arc::from(text),
    })
}

type Problem = (Pos, String, String);

/// The rules of one step that serde cannot express, and the syntax of its templates.
fn check_step(step: &StepDecl) -> Result<(), Problem> {
    let at = step.pos;
    let problem = |pos: Pos, msg: &str, hint: &str| Err((pos, msg.to_string(), hint.to_string()));
    match &step.action {
        ActionDecl::Patch(p) => match (&p.merge, &p.json) {
            (Some(_), Some(_)) | (None, None) => {
                return problem(
                    at,
                    "a `patch` step needs exactly one of `merge` and `json`",
                    "`merge:` takes a JSON merge patch, `json:` a list of RFC 6902 ops",
                );
            }
            (Some(m), None) if !m.value.is_object() => {
                return problem(
                    m.pos,
                    "`merge` must be a mapping",
                    "a merge patch is the part of the object to change, e.g. `{spec: {replicas: 3}}`",
                );
            }
            (None, Some(ops)) => {
                for op in ops {
                    let (o, pos) = (&op.value, Pos::from_location(op.referenced));
                    let needs_value = matches!(o.op, JsonOpKind::Add | JsonOpKind::Replace | JsonOpKind::Test);
                    let needs_from = matches!(o.op, JsonOpKind::Move | JsonOpKind::Copy);
                    if needs_value != o.value.is_some() {
                        let msg = if needs_value { "needs a `value`" } else { "takes no `value`" };
                        return problem(
                            pos,
                            &format!("a `{}` op {msg}", o.op.as_str()),
                            "see RFC 6902: add, replace and test carry a value",
                        );
                    }
                    if needs_from != o.from.is_some() {
                        let msg = if needs_from { "needs a `from`" } else { "takes no `from`" };
                        return problem(
                            pos,
                            &format!("a `{}` op {msg}", o.op.as_str()),
                            "see RFC 6902: move and copy read from `from`",
                        );
                    }
                }
            }
            _ => {}
        },
        ActionDecl::SetEnv(s) => {
            let n = usize::from(s.value.is_some()) + usize::from(s.from_secret.is_some()) + usize::from(s.remove.is_some());
            if n != 1 {
                return problem(
                    at,
                    "a `set_env` step needs exactly one of `value`, `from_secret` and `remove`",
                    "e.g. `value: INFO`, `from_secret: {name: redis-auth, key: password}` or `remove: true`",
                );
            }
        }
        ActionDecl::SetResources(s) => {
            let keys = [&s.requests, &s.limits]
                .iter()
                .filter_map(|r| r.as_ref())
                .map(|r| usize::from(r.cpu.is_some()) + usize::from(r.memory.is_some()))
                .sum::<usize>();
            if keys == 0 {
                return problem(
                    at,
                    "a `set_resources` step sets nothing",
                    "give `requests:` or `limits:` with `cpu` and/or `memory` (`null` removes one)",
                );
            }
        }
        ActionDecl::Verify(v) => {
            if let Some(args) = &v.args
                && !args.value.is_object()
            {
                return problem(
                    args.pos,
                    "`args` must be a mapping",
                    "e.g. `args: {namespace: \"{{ namespace }}\"}`",
                );
            }
        }
        _ => {}
    }
    for (field, text, pos) in templates_of(step) {
        template::check(text).map_err(|e| (pos, format!("field `{field}`: {}", e.message), e.hint))?;
    }
    for (field, tree) in trees_of(step) {
        check_tree(&tree.value).map_err(|e| (tree.pos, format!("field `{field}`: {}", e.message), e.hint))?;
    }
    Ok(())
}

fn check_tree(v: &Value) -> Result<(), template::RenderError> {
    match v {
        Value::String(s) => template::check(s),
        Value::Array(a) => a.iter().try_for_each(check_tree),
        Value::Object(m) => m.values().try_for_each(check_tree),
        _ => Ok(()),
    }
}

/// A serde-saphyr error as a located diagnostic worded for a playbook author.
fn translate(file: &str, text: &str, e: &YamlError) -> Box<Diagnostic> {
    let mut inner = e;
    while let YamlError::WithSnippet { error, .. } | YamlError::AliasError { error, .. } = inner {
        inner = error;
    }
    let pos = e.location().map(Pos::from_location).unwrap_or_default();
    let line = if pos.line == 0 {
        ""
    } else {
        text.lines().nth(pos.line - 1).unwrap_or_default()
    };
    let dym = |word: &str, among: &[&'static str]| {
        closest(word, among.iter().copied())
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default()
    };
    let (message, hint) = match inner {
        YamlError::SerdeUnknownField { field, expected, .. } if expected.as_slice() == STEP_KEYS => (
            format!("unknown step kind `{field}`"),
            format!(
                "a step has one of {}, and optionally `name`, `for_each`, `when`{}",
                backticked(STEP_KINDS),
                dym(field, STEP_KEYS)
            ),
        ),
        YamlError::SerdeUnknownField { field, expected, .. } => (
            format!("unknown field `{field}`"),
            format!("expected one of {}{}", backticked(expected.iter().copied()), dym(field, expected)),
        ),
        YamlError::SerdeUnknownVariant { variant, expected, .. } => (
            format!("unknown value `{variant}`"),
            format!("expected one of {}{}", backticked(expected.iter().copied()), dym(variant, expected)),
        ),
        YamlError::SerdeMissingField { field, .. } => (format!("missing field `{field}`"), format!("add `{field}:` to this mapping")),
        YamlError::SerdeInvalidType { unexpected, expected, .. } => {
            (format!("wrong type: expected {expected}, found {unexpected}"), type_hint(line))
        }
        YamlError::SerdeInvalidValue { unexpected, expected, .. } => {
            (format!("invalid value: expected {expected}, found {unexpected}"), type_hint(line))
        }
        YamlError::Message { msg, .. } if msg.contains(HINT_SEP) => {
            let (m, h) = msg.split_once(HINT_SEP).unwrap_or((msg, ""));
            (m.to_string(), h.to_string())
        }
        _ if text.trim().is_empty() => (
            "the file is empty".to_string(),
            "a playbook is a mapping with `name` and `steps`".to_string(),
        ),
        other => {
            let msg = serde_saphyr::DefaultMessageFormatter.format_message(other).into_owned();
            let wording = [
                ("expected mapping start", "expected a mapping"),
                ("expected sequence start", "expected a list"),
                ("expected string scalar", "expected a string"),
            ];
            match wording.iter().find(|(theirs, _)| msg.starts_with(theirs)) {
                Some((_, ours)) => (format!("wrong type: {ours}"), type_hint(line)),
                None if msg.starts_with("expected ") || msg.starts_with("invalid ") => (format!("wrong type: {msg}"), type_hint(line)),
                None => (format!("yaml syntax error: {msg}"), syntax_hint(line)),
            }
        }
    };
    Box::new(Diagnostic::new(file, text, pos, message, hint))
}

/// A value written `{{ x }}` unquoted is a YAML flow mapping, not a string.
fn unquoted_template(line: &str) -> bool {
    line.contains(": {{") || line.trim_start().starts_with("- {{") || line.contains(", {{") || line.contains("[{{")
}

fn type_hint(line: &str) -> String {
    if unquoted_template(line) {
        "quote a value that starts with `{{`, e.g. `target: \"{{ item }}\"`: unquoted, YAML reads it as a mapping".to_string()
    } else {
        "check the value's type against the field's (strings may be quoted, lists are `[a, b]`)".to_string()
    }
}

fn syntax_hint(line: &str) -> String {
    if unquoted_template(line) {
        type_hint(line)
    } else if line.contains('\t') {
        "YAML indents with spaces, not tabs".to_string()
    } else {
        "check the indentation and quoting on this line and the one before".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> Diagnostic {
        match parse("pb.yaml", text) {
            Err(Error::Parse(d)) => *d,
            other => panic!("expected a parse error, got {other:?}"),
        }
    }

    fn at(d: &Diagnostic) -> (usize, usize) {
        (d.pos.line, d.pos.column)
    }

    const HEAD: &str = "name: t\nparams:\n  - name: namespace\n    required: true\nsteps:\n";

    #[test]
    fn the_example_playbook_parses() {
        let pb = parse("redis-auth.yaml", include_str!("testdata/example.yaml")).unwrap();
        assert_eq!(pb.name, "redis-auth");
        assert_eq!(pb.params.len(), 5);
        let consumers = pb.param("consumers").unwrap();
        assert_eq!(
            (consumers.ty, consumers.default.clone()),
            (ParamType::List, Some(super::super::value::ParamValue::List(vec![])))
        );
        assert!(pb.param("password").unwrap().secret);
        assert_eq!(
            pb.steps.iter().map(|s| s.action.kind()).collect::<Vec<_>>(),
            ["set_secret_key", "restart", "wait_rollout", "verify"]
        );
        assert_eq!(pb.steps[1].pos, Pos { line: 19, column: 5 });
    }

    #[test]
    fn a_yaml_syntax_error_is_located() {
        let d = parse_err(&format!("{HEAD}  - restart: {{namespace: a, target: [deployment/x}}\n"));
        assert_eq!(d.file, "pb.yaml");
        assert_eq!(d.pos.line, 6);
        let d = parse_err(&format!("{HEAD}  - restart:\n\tnamespace: a\n"));
        assert_eq!(d.pos.line, 7);
        assert!(d.message.starts_with("yaml syntax error"), "{}", d.message);
        assert_eq!(d.hint, "YAML indents with spaces, not tabs");
        let shown = d.to_string();
        assert!(shown.starts_with("pb.yaml:7:"), "{shown}");
        assert!(shown.contains("\n7 | \tnamespace: a\n"), "{shown}");
    }

    #[test]
    fn an_unknown_step_kind_points_at_its_key() {
        let d = parse_err(&format!(
            "{HEAD}  - name: go\n    restrat: {{namespace: a, target: deployment/x}}\n"
        ));
        assert_eq!(d.message, "unknown step kind `restrat`");
        assert_eq!(at(&d), (7, 5));
        assert!(d.hint.ends_with("did you mean `restart`?"), "{}", d.hint);
        assert_eq!(
            d.to_string().lines().nth(2),
            Some("7 |     restrat: {namespace: a, target: deployment/x}")
        );
        assert_eq!(d.to_string().lines().nth(3), Some("  |     ^"));
    }

    #[test]
    fn an_unknown_field_points_at_its_key() {
        let d = parse_err(&format!("{HEAD}  - restart:\n      namespace: a\n      targt: deployment/x\n"));
        assert_eq!((d.message.as_str(), at(&d)), ("unknown field `targt`", (8, 7)));
        assert_eq!(d.hint, "expected one of `namespace`, `target`; did you mean `target`?");
        let d = parse_err("name: t\nstepz: []\n");
        assert_eq!((d.message.as_str(), at(&d)), ("unknown field `stepz`", (2, 1)));
    }

    #[test]
    fn a_wrong_type_is_located_at_the_value() {
        let d = parse_err(&format!(
            "{HEAD}  - relax_anti_affinity: {{namespace: a, target: deployment/x, weight: heavy}}\n"
        ));
        // A typed scalar that is neither its literal nor a template is reported at its key.
        assert_eq!(at(&d), (6, 63));
        assert!(
            d.message.starts_with("wrong type") && d.message.contains("an integer or a `{{ template }}`"),
            "{}",
            d.message
        );
        let d = parse_err(&format!("{HEAD}  - restart:\n      namespace: a\n      target: [deployment/x]\n"));
        assert_eq!(at(&d), (8, 15));
        assert!(d.message.starts_with("wrong type"), "{}", d.message);
        let d = parse_err(&format!("{HEAD}  - restart:\n      namespace: a\n      target: {{{{ item }}}}\n"));
        assert_eq!(d.pos.line, 8);
        assert!(d.hint.starts_with("quote a value that starts with `{{`"), "{}", d.hint);
        let d = parse_err("name: t\nsteps: 3\n");
        assert_eq!((d.message.as_str(), at(&d)), ("wrong type: expected a list", (2, 8)));
        let d = parse_err("name: t\nsteps:\n  - restart: 3\n");
        assert_eq!((d.message.as_str(), at(&d)), ("wrong type: expected a mapping", (3, 14)));
        assert_eq!(parse_err("").message, "the file is empty");
        let d = parse_err("name: t\nparams:\n  - name: x\n    required: maybe\nsteps: []\n");
        assert_eq!(d.pos.line, 4);
        let d = parse_err("name: t\nparams:\n  - name: x\n    type: strin\nsteps: []\n");
        assert_eq!((d.message.as_str(), d.pos.line), ("unknown value `strin`", 4));
        assert!(d.hint.ends_with("did you mean `string`?"), "{}", d.hint);
    }

    #[test]
    fn a_missing_field_is_located_at_its_mapping() {
        let d = parse_err(&format!("{HEAD}  - restart:\n      namespace: a\n"));
        assert_eq!((d.message.as_str(), at(&d)), ("missing field `target`", (7, 7)));
        assert_eq!(d.hint, "add `target:` to this mapping");
        let d = parse_err("name: t\n");
        assert_eq!((d.message.as_str(), d.pos.line), ("missing field `steps`", 1));
    }

    #[test]
    fn step_rules_are_located_at_the_step() {
        let d = parse_err(&format!(
            "{HEAD}  - name: both\n    restart: {{namespace: a, target: deployment/x}}\n    verify: {{probe: kube}}\n"
        ));
        assert_eq!(
            (d.message.as_str(), at(&d)),
            ("a step has two kinds, `restart` and `verify`", (6, 5))
        );
        assert_eq!(d.hint, "a step does one thing: split it into two steps");
        let d = parse_err(&format!("{HEAD}  - name: nothing\n"));
        assert_eq!((d.message.as_str(), at(&d)), ("a step has no kind", (6, 5)));
        let d = parse_err(&format!(
            "{HEAD}  - set_env: {{namespace: a, target: deployment/x, env: A, value: b, remove: true}}\n"
        ));
        assert!(
            d.message.contains("exactly one of `value`, `from_secret` and `remove`"),
            "{}",
            d.message
        );
        let d = parse_err(&format!(
            "{HEAD}  - patch:\n      namespace: a\n      target: deployment/x\n      json:\n        - {{op: replace, path: /spec/replicas}}\n"
        ));
        assert_eq!((d.message.as_str(), at(&d)), ("a `replace` op needs a `value`", (10, 11)));
        let d = parse_err(&format!(
            "{HEAD}  - patch:\n      namespace: a\n      target: deployment/x\n      json:\n        - {{op: frobnicate, path: /a}}\n"
        ));
        assert_eq!(d.message, "unknown value `frobnicate`");
        assert_eq!(d.pos.line, 10);
    }

    #[test]
    fn template_syntax_errors_are_located_at_the_field() {
        let d = parse_err(&format!("{HEAD}  - restart:\n      namespace: a\n      target: \"{{{{ item \"\n"));
        assert_eq!(at(&d), (8, 15));
        assert!(d.message.starts_with("field `target`: template syntax error"), "{}", d.message);
    }

    #[test]
    fn parameter_declarations_are_checked() {
        let d = parse_err("name: t\nparams:\n  - name: pw\n    secret: true\n    default: hunter2\nsteps: []\n");
        assert_eq!((d.message.as_str(), d.pos.line), ("secret parameter `pw` has a default", 5));
        let d = parse_err("name: t\nparams:\n  - name: w\n    type: int\n    default: heavy\nsteps: []\n");
        assert_eq!((d.message.as_str(), d.pos.line), ("the default of `w` is not an int", 5));
        let d = parse_err("name: t\nparams:\n  - name: item\nsteps: []\n");
        assert_eq!(d.message, "`item` is reserved");
        let d = parse_err("name: t\nparams:\n  - name: a\n  - name: a\nsteps: []\n");
        assert_eq!((d.message.as_str(), d.pos.line), ("parameter `a` is declared twice", 4));
        let pb = parse(
            "t",
            "name: t\nparams:\n  - name: w\n    default: 100\n  - name: f\n    default: false\nsteps: []\n",
        )
        .unwrap();
        assert_eq!((pb.params[0].ty, pb.params[1].ty), (ParamType::Int, ParamType::Bool));
    }
}
