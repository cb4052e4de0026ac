//! Planning: concrete steps + the objects as read → per step, the JSON Patch that turns
//! the object as read into the object wanted, and a redacted human diff.
//!
//! Steps see the effects of earlier steps on the same object: each is planned against the
//! object as the earlier steps of the plan leave it, so two steps on one Deployment
//! compose, and each still yields its own patch.

use super::action::StepAction;
use super::diff::{object_diff, strip};
use super::edit;
use super::error::Error;
use super::params::Params;
use super::secrets::Redactor;
use super::steps::{Step, targets};
use super::target::{Kind, ObjectRef};
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Where the planner reads objects from. `None`: the object does not exist.
pub trait Objects {
    fn get(&self, r: &ObjectRef) -> Option<Value>;
}

impl Objects for BTreeMap<ObjectRef, Value> {
    fn get(&self, r: &ObjectRef) -> Option<Value> {
        BTreeMap::get(self, r).cloned()
    }
}

/// Objects (as `kubectl get -o json|yaml` gives them, e.g. the items of a `List`) keyed
/// by reference; objects of kinds no step can target are left out.
pub fn index_objects(items: impl IntoIterator<Item = Value>) -> BTreeMap<ObjectRef, Value> {
    items
        .into_iter()
        .filter_map(|o| {
            let kind = Kind::from_kind(o.get("kind")?.as_str()?)?;
            let meta = o.get("metadata")?;
            let r = ObjectRef::new(kind, meta.get("namespace")?.as_str()?, meta.get("name")?.as_str()?);
            Some((r, o))
        })
        .collect()
}

/// The optimistic-concurrency precondition: `ops` preceded by a `replace` of
/// `/metadata/resourceVersion` with `rv`, the version the patch was planned against. The API
/// server applies the patch to the object as it is now and stores the result only if that
/// resourceVersion is still current: otherwise 409 Conflict, and nothing is written. (A
/// `test` op would fail the same patch with a 422 that does not say "conflict".)
pub fn with_precondition(ops: &json_patch::Patch, rv: &str) -> json_patch::Patch {
    let mut all: Vec<json_patch::PatchOperation> = serde_json::from_value(json!([
        {"op": "replace", "path": "/metadata/resourceVersion", "value": rv},
    ]))
    .unwrap_or_default();
    all.extend(ops.0.iter().cloned());
    json_patch::Patch(all)
}

/// A whole plan. `Serialize` (for `-o json|yaml`) and `Debug` show secrets masked only.
pub struct Plan {
    pub playbook: String,
    pub steps: Vec<PlannedStep>,
    redactor: Arc<Redactor>,
}

/// One step of a plan.
#[derive(Debug)]
pub struct PlannedStep {
    /// Position in the expanded step list (0-based).
    pub index: usize,
    /// The declaration the step came from (0-based).
    pub decl: usize,
    /// The rendered name, redacted.
    pub name: String,
    pub kind: &'static str,
    pub action: Action,
}

/// What one step does to the cluster.
#[derive(Debug)]
pub enum Action {
    Change(Change),
    Create(Create),
    /// The object already holds what the step wants (or, for `restart`, see [`plan`]).
    NoChange(NoChange),
    /// `when` was false, or `for_each` gave no items.
    Skipped {
        reason: String,
    },
    Wait(Wait),
    Verify(Verify),
}

impl Action {
    /// `change`, `create`, `no_change`, `skipped`, `wait`, `verify`.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Change(_) => "change",
            Action::Create(_) => "create",
            Action::NoChange(_) => "no_change",
            Action::Skipped { .. } => "skipped",
            Action::Wait(_) => "wait",
            Action::Verify(_) => "verify",
        }
    }

    pub fn is_write(&self) -> bool {
        matches!(self, Action::Change(_) | Action::Create(_))
    }
}

/// A patch to an existing object.
pub struct Change {
    pub target: ObjectRef,
    /// The resourceVersion of the object as read, which the patch was planned against
    /// (`None` if the object as read had none).
    pub resource_version: Option<String>,
    /// The earlier step of this plan whose result this change was planned against, if any:
    /// the applier then uses the resourceVersion that applying that step returned as the
    /// precondition, instead of [`Change::resource_version`].
    pub after_step: Option<usize>,
    ops: json_patch::Patch,
    shown_ops: Value,
    before: Value,
    after: Value,
    diff: String,
}

impl Change {
    /// The real JSON Patch ops, secrets and all: for applying, never for showing. They
    /// never touch `metadata.resourceVersion`, `managedFields`, `generation` or `status`;
    /// see [`with_precondition`].
    pub fn patch_to_apply(&self) -> &json_patch::Patch {
        &self.ops
    }

    /// The ops with secrets masked.
    pub fn redacted_ops(&self) -> &Value {
        &self.shown_ops
    }

    /// The object as this step found it (after the plan's earlier steps), unredacted.
    pub fn before(&self) -> &Value {
        &self.before
    }

    /// The object as this step leaves it, unredacted.
    pub fn after(&self) -> &Value {
        &self.after
    }

    /// The redacted human diff, with its header.
    pub fn diff(&self) -> &str {
        &self.diff
    }
}

impl fmt::Debug for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Change")
            .field("target", &self.target)
            .field("resource_version", &self.resource_version)
            .field("after_step", &self.after_step)
            .field("ops", &self.shown_ops)
            .field("diff", &self.diff)
            .finish_non_exhaustive()
    }
}

/// A new object.
pub struct Create {
    pub target: ObjectRef,
    object: Value,
    shown: Value,
    diff: String,
}

impl Create {
    /// The full object to create, unredacted.
    pub fn object_to_create(&self) -> &Value {
        &self.object
    }

    pub fn redacted_object(&self) -> &Value {
        &self.shown
    }

    pub fn diff(&self) -> &str {
        &self.diff
    }
}

impl fmt::Debug for Create {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Create")
            .field("target", &self.target)
            .field("object", &self.shown)
            .field("diff", &self.diff)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NoChange {
    pub target: ObjectRef,
    pub resource_version: Option<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Wait {
    pub target: ObjectRef,
    pub timeout_seconds: u64,
}

pub struct Verify {
    pub probe: String,
    args: Map<String, Value>,
    shown_args: Value,
}

impl Verify {
    /// The probe's arguments, unredacted.
    pub fn args(&self) -> &Map<String, Value> {
        &self.args
    }
}

impl fmt::Debug for Verify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verify")
            .field("probe", &self.probe)
            .field("args", &self.shown_args)
            .finish()
    }
}

impl Plan {
    /// The steps that write (change or create).
    pub fn writes(&self) -> impl Iterator<Item = &PlannedStep> {
        self.steps.iter().filter(|s| s.action.is_write())
    }

    /// True when applying the plan would write nothing.
    pub fn is_noop(&self) -> bool {
        self.writes().next().is_none()
    }

    /// Every write's redacted diff, one after another.
    pub fn diff(&self) -> String {
        self.steps
            .iter()
            .filter_map(|s| match &s.action {
                Action::Change(c) => Some(c.diff()),
                Action::Create(c) => Some(c.diff()),
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Masks the run's secrets (parameters and the Secrets read), for the applier's own
    /// messages.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }
}

impl fmt::Debug for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plan")
            .field("playbook", &self.playbook)
            .field("steps", &self.steps)
            .finish()
    }
}

/// `{playbook, steps: [{index, name, kind, action, target, resourceVersion, afterStep, ops,
/// diff, reason, object, timeoutSeconds, probe, args}]}`, each field where it applies, all
/// redacted.
impl Serialize for Plan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let steps: Vec<Value> = self.steps.iter().map(step_view).collect();
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("playbook", &self.playbook)?;
        m.serialize_entry("steps", &steps)?;
        m.end()
    }
}

fn step_view(s: &PlannedStep) -> Value {
    let mut v = json!({"index": s.index, "name": s.name, "kind": s.kind, "action": s.action.name()});
    let mut put = |k: &str, x: Value| {
        if let Some(o) = v.as_object_mut() {
            o.insert(k.to_string(), x);
        }
    };
    match &s.action {
        Action::Change(c) => {
            put("target", json!(c.target));
            put("resourceVersion", json!(c.resource_version));
            if let Some(a) = c.after_step {
                put("afterStep", json!(a));
            }
            put("ops", c.shown_ops.clone());
            put("diff", json!(c.diff));
        }
        Action::Create(c) => {
            put("target", json!(c.target));
            put("object", c.shown.clone());
            put("diff", json!(c.diff));
        }
        Action::NoChange(n) => {
            put("target", json!(n.target));
            put("resourceVersion", json!(n.resource_version));
            put("reason", json!(n.reason));
        }
        Action::Skipped { reason } => put("reason", json!(reason)),
        Action::Wait(w) => {
            put("target", json!(w.target));
            put("timeoutSeconds", json!(w.timeout_seconds));
        }
        Action::Verify(x) => {
            put("probe", json!(x.probe));
            put("args", x.shown_args.clone());
        }
    }
    v
}

/// An object as the plan has it so far.
struct Current {
    obj: Option<Value>,
    read_rv: Option<String>,
    last_write: Option<usize>,
}

/// Plans `steps` against `objects`.
///
/// Each write step is planned against the object as earlier steps leave it; when what it
/// wants equals what is there, it is `NoChange` ("already holds").
///
/// `restart` is planned only when an earlier step of the same plan changes or creates a
/// Secret or a workload; otherwise it is `NoChange` with that reason. So a second run of
/// a playbook whose changes already hold writes nothing, and no Deployment's generation
/// moves. A missing target object is an error naming it, except the HorizontalPodAutoscaler
/// of `ensure_hpa`, which is created (its workload must exist).
pub fn plan(pb_name: &str, steps: &[Step], objects: &dyn Objects, params: &Params) -> Result<Plan, Error> {
    let mut redactor = (**params.redactor()).clone();
    let mut state: BTreeMap<ObjectRef, Current> = BTreeMap::new();
    for r in targets(steps) {
        let obj = objects.get(&r);
        if let Some(o) = &obj {
            redactor.learn_secret_object(o);
        }
        let read_rv = obj
            .as_ref()
            .and_then(|o| o.pointer("/metadata/resourceVersion"))
            .and_then(Value::as_str)
            .map(str::to_string);
        state.insert(
            r,
            Current {
                obj,
                read_rv,
                last_write: None,
            },
        );
    }
    // A value written into a Secret is a secret wherever else it shows, whatever its length.
    for step in steps {
        if let StepAction::SetSecretKey { value, .. } = &step.action {
            redactor.add_secret(value);
        }
    }
    let redactor = Arc::new(redactor);
    let mut restart_cause: Option<usize> = None;
    let mut planned = Vec::new();
    for step in steps {
        let action = plan_step(step, &mut state, &redactor, restart_cause)?;
        if let Action::Change(Change { target, .. }) | Action::Create(Create { target, .. }) = &action
            && (target.kind == Kind::Secret || target.kind.is_workload())
        {
            restart_cause.get_or_insert(step.index);
        }
        planned.push(PlannedStep {
            index: step.index,
            decl: step.decl,
            name: redactor.text(&step.name),
            kind: step.action.kind(),
            action,
        });
    }
    Ok(Plan {
        playbook: pb_name.to_string(),
        steps: planned,
        redactor,
    })
}

fn plan_step(
    step: &Step,
    state: &mut BTreeMap<ObjectRef, Current>,
    redactor: &Arc<Redactor>,
    restart_cause: Option<usize>,
) -> Result<Action, Error> {
    let edit_error = |target: &ObjectRef, message: String| Error::Edit {
        step: step.decl + 1,
        step_name: redactor.text(&step.name),
        target: target.to_string(),
        message: redactor.text(&message),
    };
    let not_found = |r: &ObjectRef| Error::NotFound {
        resource: r.kind.resource().to_string(),
        name: redactor.text(&r.name),
        namespace: redactor.text(&r.namespace),
        step: step.decl + 1,
        step_name: redactor.text(&step.name),
    };
    match &step.action {
        StepAction::Skipped { reason, .. } => return Ok(Action::Skipped { reason: reason.clone() }),
        StepAction::WaitRollout { target, timeout_seconds } => {
            return Ok(Action::Wait(Wait {
                target: target.clone(),
                timeout_seconds: *timeout_seconds,
            }));
        }
        StepAction::Verify { probe, args } => {
            let shown_args = redactor.value(&Value::Object(args.clone()));
            return Ok(Action::Verify(Verify {
                probe: probe.clone(),
                args: args.clone(),
                shown_args,
            }));
        }
        StepAction::EnsureHpa { workload, .. } if state.get(workload).is_none_or(|c| c.obj.is_none()) => return Err(not_found(workload)),
        _ => {}
    }
    let Some(target) = step.action.target().cloned() else {
        return Ok(Action::Skipped {
            reason: "the step has no target".to_string(),
        });
    };
    let cur = state.get_mut(&target).ok_or_else(|| not_found(&target))?;
    let Some(before) = cur.obj.clone() else {
        let StepAction::EnsureHpa {
            target,
            workload,
            min_replicas,
            max_replicas,
            cpu_utilization,
        } = &step.action
        else {
            return Err(not_found(&target));
        };
        let object = edit::new_hpa(target, workload, *min_replicas, *max_replicas, *cpu_utilization);
        let shown = redactor.object(&object);
        let diff = object_diff(target, None, None, &object, redactor);
        cur.obj = Some(object.clone());
        cur.last_write = Some(step.index);
        return Ok(Action::Create(Create {
            target: target.clone(),
            object,
            shown,
            diff,
        }));
    };
    let no_change = |reason: &str| NoChange {
        target: target.clone(),
        resource_version: cur.read_rv.clone(),
        reason: reason.to_string(),
    };
    let mut wanted = before.clone();
    let edited = match &step.action {
        StepAction::Patch { patch, .. } => edit::patch(&mut wanted, patch),
        StepAction::SetSecretKey { key, value, .. } => edit::set_secret_key(&mut wanted, key, value),
        StepAction::SetEnv {
            container, env, change, ..
        } => edit::set_env(&mut wanted, container.as_deref(), env, change),
        StepAction::RelaxAntiAffinity { weight, .. } => edit::relax_anti_affinity(&mut wanted, *weight),
        StepAction::SetResources {
            container,
            requests,
            limits,
            ..
        } => edit::set_resources(&mut wanted, container.as_deref(), requests, limits),
        StepAction::EnsureHpa {
            min_replicas,
            max_replicas,
            cpu_utilization,
            ..
        } => edit::update_hpa(&mut wanted, *min_replicas, *max_replicas, *cpu_utilization),
        StepAction::Restart { at, .. } => match restart_cause {
            Some(_) => edit::restart(&mut wanted, at),
            None => {
                return Ok(Action::NoChange(no_change(
                    "no earlier step of this plan changes a Secret or a workload, so there is nothing new to restart for",
                )));
            }
        },
        StepAction::WaitRollout { .. } | StepAction::Verify { .. } | StepAction::Skipped { .. } => Ok(()),
    };
    edited.map_err(|m| edit_error(&target, m))?;
    let (from, to) = (strip(&before), strip(&wanted));
    if from == to {
        return Ok(Action::NoChange(no_change("already holds")));
    }
    let ops = json_patch::diff(&from, &to);
    let mut after = before.clone();
    json_patch::patch(&mut after, &ops).map_err(|e| edit_error(&target, format!("the planned patch does not apply: {e}")))?;
    let shown_ops = redactor.ops(&serde_json::to_value(&ops).unwrap_or(Value::Null), target.kind == Kind::Secret);
    let diff = object_diff(&target, cur.read_rv.as_deref(), Some(&before), &after, redactor);
    let change = Change {
        target: target.clone(),
        resource_version: cur.read_rv.clone(),
        after_step: cur.last_write,
        ops,
        shown_ops,
        before,
        after: after.clone(),
        diff,
    };
    cur.obj = Some(after);
    cur.last_write = Some(step.index);
    Ok(Action::Change(change))
}

#[cfg(test)]
mod tests;
