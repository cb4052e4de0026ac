//! What a concrete step does, typed: the result of rendering a step declaration.

use super::secrets::{Redactor, mask};
use super::target::ObjectRef;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt;

/// What a concrete step does. It holds secrets as they are (they are needed to apply), so
/// it has no `Serialize`, and its `Debug` masks every value that may hold one; a
/// [`Step`]'s `Debug` shows more, masking exactly the run's secrets.
#[derive(Clone, PartialEq)]
pub enum StepAction {
    Patch {
        target: ObjectRef,
        patch: PatchBody,
    },
    SetSecretKey {
        target: ObjectRef,
        key: String,
        value: String,
    },
    SetEnv {
        target: ObjectRef,
        container: Option<String>,
        env: String,
        change: EnvChange,
    },
    RelaxAntiAffinity {
        target: ObjectRef,
        weight: i64,
    },
    /// `None` for a key removes it.
    SetResources {
        target: ObjectRef,
        container: Option<String>,
        requests: BTreeMap<String, Option<String>>,
        limits: BTreeMap<String, Option<String>>,
    },
    /// `target` is the HorizontalPodAutoscaler, named like `workload`.
    EnsureHpa {
        target: ObjectRef,
        workload: ObjectRef,
        min_replicas: i64,
        max_replicas: i64,
        cpu_utilization: i64,
    },
    /// `at` is the run's time, RFC 3339.
    Restart {
        target: ObjectRef,
        at: String,
    },
    WaitRollout {
        target: ObjectRef,
        timeout_seconds: u64,
    },
    Verify {
        probe: String,
        args: Map<String, Value>,
    },
    /// `when` was false, or `for_each` gave no items.
    Skipped {
        kind: &'static str,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum PatchBody {
    /// RFC 7396 JSON merge patch.
    Merge(Value),
    /// RFC 6902 JSON Patch.
    Json(json_patch::Patch),
}

#[derive(Clone, PartialEq)]
pub enum EnvChange {
    Value(String),
    FromSecret { name: String, key: String },
    Remove,
}

impl StepAction {
    /// The step kind as written in a playbook (`restart`).
    pub fn kind(&self) -> &'static str {
        match self {
            StepAction::Patch { .. } => "patch",
            StepAction::SetSecretKey { .. } => "set_secret_key",
            StepAction::SetEnv { .. } => "set_env",
            StepAction::RelaxAntiAffinity { .. } => "relax_anti_affinity",
            StepAction::SetResources { .. } => "set_resources",
            StepAction::EnsureHpa { .. } => "ensure_hpa",
            StepAction::Restart { .. } => "restart",
            StepAction::WaitRollout { .. } => "wait_rollout",
            StepAction::Verify { .. } => "verify",
            StepAction::Skipped { kind, .. } => kind,
        }
    }

    /// The object the step writes to or waits on.
    pub fn target(&self) -> Option<&ObjectRef> {
        match self {
            StepAction::Patch { target, .. }
            | StepAction::SetSecretKey { target, .. }
            | StepAction::SetEnv { target, .. }
            | StepAction::RelaxAntiAffinity { target, .. }
            | StepAction::SetResources { target, .. }
            | StepAction::EnsureHpa { target, .. }
            | StepAction::Restart { target, .. }
            | StepAction::WaitRollout { target, .. } => Some(target),
            StepAction::Verify { .. } | StepAction::Skipped { .. } => None,
        }
    }
}

impl StepAction {
    /// The action as plain data, secrets and all (for the masked views below).
    fn json(&self) -> Value {
        let r = |t: &ObjectRef| Value::String(t.to_string());
        let (kind, fields) = match self {
            StepAction::Patch { target, patch } => {
                let body = match patch {
                    PatchBody::Merge(m) => json!({"merge": m}),
                    PatchBody::Json(p) => json!({"json": serde_json::to_value(p).unwrap_or(Value::Null)}),
                };
                ("patch", json!({"target": r(target), "patch": body}))
            }
            StepAction::SetSecretKey { target, key, value } => ("set_secret_key", json!({"target": r(target), "key": key, "value": value})),
            StepAction::SetEnv {
                target,
                container,
                env,
                change,
            } => {
                let change = match change {
                    EnvChange::Value(v) => json!({"value": v}),
                    EnvChange::FromSecret { name, key } => json!({"from_secret": {"name": name, "key": key}}),
                    EnvChange::Remove => json!("remove"),
                };
                (
                    "set_env",
                    json!({"target": r(target), "container": container, "env": env, "change": change}),
                )
            }
            StepAction::RelaxAntiAffinity { target, weight } => ("relax_anti_affinity", json!({"target": r(target), "weight": weight})),
            StepAction::SetResources {
                target,
                container,
                requests,
                limits,
            } => (
                "set_resources",
                json!({"target": r(target), "container": container, "requests": requests, "limits": limits}),
            ),
            StepAction::EnsureHpa {
                target,
                workload,
                min_replicas,
                max_replicas,
                cpu_utilization,
            } => (
                "ensure_hpa",
                json!({"target": r(target), "workload": r(workload), "min_replicas": min_replicas, "max_replicas": max_replicas, "cpu_utilization": cpu_utilization}),
            ),
            StepAction::Restart { target, at } => ("restart", json!({"target": r(target), "at": at})),
            StepAction::WaitRollout { target, timeout_seconds } => {
                ("wait_rollout", json!({"target": r(target), "timeout_seconds": timeout_seconds}))
            }
            StepAction::Verify { probe, args } => ("verify", json!({"probe": probe, "args": args})),
            StepAction::Skipped { kind, reason } => ("skipped", json!({"kind": kind, "reason": reason})),
        };
        json!({ kind: fields })
    }

    /// The action with the run's secrets masked; a Secret value written is masked always.
    pub(crate) fn masked(&self, redactor: &Redactor) -> Value {
        let mut v = self.json();
        if let Some(value) = v.pointer_mut("/set_secret_key/value") {
            *value = Value::String(mask(value.as_str().unwrap_or_default()));
        }
        redactor.value(&v)
    }
}

/// Masks every value that may hold a secret: Secret and env values, patch bodies, verify
/// arguments (string leaves), since no redactor is at hand here.
impl fmt::Debug for StepAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn mask_leaves(v: &mut Value) {
            match v {
                Value::String(s) => *s = mask(s),
                Value::Array(a) => a.iter_mut().for_each(mask_leaves),
                Value::Object(m) => m.values_mut().for_each(mask_leaves),
                _ => {}
            }
        }
        let mut v = self.masked(&Redactor::new());
        for path in ["/set_env/change/value", "/patch/patch/merge", "/verify/args"] {
            v.pointer_mut(path).into_iter().for_each(mask_leaves);
        }
        if let Some(Value::Array(ops)) = v.pointer_mut("/patch/patch/json") {
            ops.iter_mut().filter_map(|op| op.get_mut("value")).for_each(mask_leaves);
        }
        write!(f, "{v}")
    }
}
