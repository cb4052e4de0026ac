//! Applying a plan, and undoing a run. I/O through `cluster::write` only.
//!
//! `dry_run` sends every write with `dryRun=All` first, so validation and admission errors
//! surface before anything changes. `apply` then makes each write carrying the
//! resourceVersion it was planned against (a JSON Patch `test` of it), journals the object
//! as it was before the write is sent, and follows every `wait_rollout` step by watch.
//! A 409 re-reads the object once: when nothing the step changes was changed underneath,
//! the step is sent again against the new resourceVersion; otherwise the run stops and says
//! what changed. `rollback` restores a journaled run under the same rules.

use super::journal::{self, Backup, Entry, EntryState, Journal, JournalError, Outcome, Run};
use super::{Action, Kind, ObjectRef, Plan, Redactor, with_precondition};
use crate::cluster::write::{self, Resource, Rollout, RolloutState, WriteError, Writer};
use base64::Engine;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

/// The API resource of a playbook target kind.
pub fn resource(kind: Kind) -> Resource {
    match kind {
        Kind::Deployment => write::DEPLOYMENT,
        Kind::StatefulSet => write::STATEFULSET,
        Kind::DaemonSet => write::DAEMONSET,
        Kind::Secret => write::SECRET,
        Kind::HorizontalPodAutoscaler => write::HPA,
    }
}

/// What the person watching hears while a plan is applied or a run is undone.
pub trait Progress: Send + Sync {
    /// One line about a step: `patched deployment/x (resourceVersion 41 → 57)`.
    fn step(&self, line: &str);
    /// A rollout moved.
    fn rollout(&self, target: &ObjectRef, r: &Rollout);
    /// A rollout ended (complete or not).
    fn rollout_done(&self, target: &ObjectRef, r: &Rollout);
}

/// Why applying (or undoing) stopped.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// The server refused a write in the dry run; nothing was changed.
    #[error("the API server refused the change to {target} in a dry run: {source}")]
    DryRun { target: String, source: WriteError },
    /// Someone changed what a step changes since it was planned; `diff` shows how.
    #[error("{target} was changed by someone else since it was planned; nothing of this step was written")]
    Changed { target: String, diff: String },
    #[error("cannot {action} {target}: {source}")]
    Write {
        action: &'static str,
        target: String,
        source: WriteError,
    },
    #[error("cannot back up {target} in the cluster before changing it: {source}")]
    Backup { target: String, source: WriteError },
    #[error("the rollout of {target} did not finish: {message}")]
    Rollout { target: String, message: String },
    #[error(transparent)]
    Journal(#[from] JournalError),
}

/// How many times a step that met a 409 is re-read and sent again.
const MAX_REREADS: usize = 5;

fn rv_of(obj: &Value) -> Option<String> {
    obj["metadata"]["resourceVersion"].as_str().map(str::to_string)
}

/// Sends every write of `plan` with `dryRun=All`. Several changes to one object go as one
/// patch (each was planned on the result of the one before), against the resourceVersion
/// the first was planned on.
pub async fn dry_run(plan: &Plan, w: &Writer) -> Result<(), ApplyError> {
    let mut per_object: BTreeMap<ObjectRef, (Option<String>, Vec<json_patch::PatchOperation>)> = BTreeMap::new();
    let mut order: Vec<ObjectRef> = Vec::new();
    for s in &plan.steps {
        match &s.action {
            Action::Change(c) => {
                let e = per_object.entry(c.target.clone()).or_insert_with(|| {
                    order.push(c.target.clone());
                    (c.resource_version.clone(), Vec::new())
                });
                e.1.extend(c.patch_to_apply().0.iter().cloned());
            }
            Action::Create(c) => {
                w.create(&resource(c.target.kind), &c.target.namespace, c.object_to_create(), true)
                    .await
                    .map_err(|source| ApplyError::DryRun {
                        target: c.target.to_string(),
                        source: redact_err(source, plan.redactor()),
                    })?;
            }
            _ => {}
        }
    }
    for target in order {
        let (rv, ops) = per_object.remove(&target).unwrap_or_default();
        let patch = precondition(json_patch::Patch(ops), rv.as_deref());
        w.patch(&resource(target.kind), &target.namespace, &target.name, &patch, true)
            .await
            .map_err(|source| ApplyError::DryRun {
                target: target.to_string(),
                source: redact_err(source, plan.redactor()),
            })?;
    }
    Ok(())
}

fn precondition(ops: json_patch::Patch, rv: Option<&str>) -> json_patch::Patch {
    match rv {
        Some(rv) => with_precondition(&ops, rv),
        None => ops,
    }
}

/// The server's words, with the run's secrets masked.
fn redact_err(e: WriteError, r: &Redactor) -> WriteError {
    match e {
        WriteError::Conflict { message } => WriteError::Conflict { message: r.text(&message) },
        WriteError::Rejected { code, reason, message } => WriteError::Rejected {
            code,
            reason,
            message: r.text(&message),
        },
        WriteError::Transport(m) => WriteError::Transport(r.text(&m)),
        WriteError::Client(m) => WriteError::Client(r.text(&m)),
        other => other,
    }
}

/// How long each `wait_rollout` may take: the step's own timeout unless overridden.
#[derive(Debug, Clone, Copy, Default)]
pub struct Waits {
    pub timeout: Option<Duration>,
}

/// Applies `plan`: every write journaled in `run` before it is sent, every rollout followed.
/// On error the run's entries say which changes were made; `run.outcome` is `Failed`.
pub async fn apply(
    plan: &Plan,
    w: &Writer,
    journal: &Journal,
    run: &mut Run,
    waits: Waits,
    progress: &dyn Progress,
) -> Result<(), ApplyError> {
    let red = plan.redactor();
    let secrets = red.secrets();
    // The resourceVersion each step's write returned, for the steps planned on it.
    let mut written: BTreeMap<usize, String> = BTreeMap::new();
    let mut last_rv: BTreeMap<ObjectRef, String> = BTreeMap::new();
    let result: Result<(), ApplyError> = async {
        for s in &plan.steps {
            match &s.action {
                Action::Change(c) => {
                    let target = c.target.to_string();
                    let mut rv = c
                        .after_step
                        .and_then(|i| written.get(&i).cloned())
                        .or_else(|| last_rv.get(&c.target).cloned())
                        .or_else(|| c.resource_version.clone());
                    let before = journal::before_image(c.before());
                    let entry = record(
                        journal,
                        run,
                        s.index,
                        &s.name,
                        &c.target,
                        "patch",
                        rv.clone(),
                        &before,
                        c.diff(),
                        &secrets,
                        w,
                    )
                    .await?;
                    // Controllers update a workload's status while it rolls out, which moves its
                    // resourceVersion; each 409 is re-read, and the step sent again only while
                    // nothing it changes was changed, a few times at most.
                    let mut rereads = 0;
                    loop {
                        let patch = precondition(c.patch_to_apply().clone(), rv.as_deref());
                        match w
                            .patch(&resource(c.target.kind), &c.target.namespace, &c.target.name, &patch, false)
                            .await
                        {
                            Ok(obj) => {
                                let new_rv = rv_of(&obj);
                                progress.step(&format!(
                                    "patched {target} (resourceVersion {} → {})",
                                    rv.as_deref().unwrap_or("?"),
                                    new_rv.as_deref().unwrap_or("?")
                                ));
                                if let Some(v) = &new_rv {
                                    written.insert(s.index, v.clone());
                                    last_rv.insert(c.target.clone(), v.clone());
                                }
                                run.changes[entry].after_rv = new_rv;
                                run.changes[entry].after_digest = Some(digest(&obj));
                                run.changes[entry].state = EntryState::Applied;
                                journal.save(run)?;
                                break;
                            }
                            Err(WriteError::Conflict { .. }) if rereads < MAX_REREADS => {
                                // Re-read: go on only if nothing this step changes was changed.
                                rereads += 1;
                                let fresh = get(w, &c.target).await?;
                                let Some(fresh) = fresh else {
                                    return fail(
                                        journal,
                                        run,
                                        entry,
                                        ApplyError::Changed {
                                            target: target.clone(),
                                            diff: format!("{target} no longer exists"),
                                        },
                                    );
                                };
                                if !untouched(c.patch_to_apply(), c.before(), &fresh) {
                                    let diff = object_diff(&c.target, rv_of(&fresh).as_deref(), c.before(), &fresh, red);
                                    return fail(
                                        journal,
                                        run,
                                        entry,
                                        ApplyError::Changed {
                                            target: target.clone(),
                                            diff,
                                        },
                                    );
                                }
                                rv = rv_of(&fresh);
                                run.changes[entry].before_rv = rv.clone();
                                run.changes[entry].before = (!journal::holds_secret(&fresh, &secrets))
                                    .then(|| journal::before_image(&fresh))
                                    .or(run.changes[entry].before.take());
                                journal.save(run)?;
                                progress.step(&format!(
                                    "{target} changed underneath, elsewhere than this step: planned again on resourceVersion {}",
                                    rv.as_deref().unwrap_or("?")
                                ));
                            }
                            Err(e) => {
                                return fail(
                                    journal,
                                    run,
                                    entry,
                                    ApplyError::Write {
                                        action: "patch",
                                        target: target.clone(),
                                        source: redact_err(e, red),
                                    },
                                );
                            }
                        }
                    }
                }
                Action::Create(c) => {
                    let target = c.target.to_string();
                    let entry = record(
                        journal,
                        run,
                        s.index,
                        &s.name,
                        &c.target,
                        "create",
                        None,
                        &Value::Null,
                        c.diff(),
                        &secrets,
                        w,
                    )
                    .await?;
                    match w
                        .create(&resource(c.target.kind), &c.target.namespace, c.object_to_create(), false)
                        .await
                    {
                        Ok(obj) => {
                            progress.step(&format!("created {target}"));
                            run.changes[entry].after_rv = rv_of(&obj);
                            run.changes[entry].after_digest = Some(digest(&obj));
                            run.changes[entry].state = EntryState::Applied;
                            journal.save(run)?;
                        }
                        Err(e) => {
                            return fail(
                                journal,
                                run,
                                entry,
                                ApplyError::Write {
                                    action: "create",
                                    target,
                                    source: redact_err(e, red),
                                },
                            );
                        }
                    }
                }
                Action::Wait(wt) => {
                    let timeout = waits.timeout.unwrap_or(Duration::from_secs(wt.timeout_seconds.max(1)));
                    let r = resource(wt.target.kind);
                    let mut on = |st: &Rollout| progress.rollout(&wt.target, st);
                    let done = w.follow_rollout(&r, &wt.target.namespace, &wt.target.name, timeout, &mut on).await;
                    match done {
                        Ok(st) if st.state == RolloutState::Complete => progress.rollout_done(&wt.target, &st),
                        Ok(st) => {
                            progress.rollout_done(&wt.target, &st);
                            return Err(ApplyError::Rollout {
                                target: wt.target.to_string(),
                                message: st.message,
                            });
                        }
                        Err(WriteError::Timeout(t)) => {
                            return Err(ApplyError::Rollout {
                                target: wt.target.to_string(),
                                message: format!("not complete within {}", crate::report::human(t)),
                            });
                        }
                        Err(e) => {
                            return Err(ApplyError::Rollout {
                                target: wt.target.to_string(),
                                message: redact_err(e, red).to_string(),
                            });
                        }
                    }
                }
                Action::NoChange(n) => progress.step(&format!("{}: {}", n.target, n.reason)),
                Action::Skipped { reason } => progress.step(&format!("step {} skipped: {reason}", s.index + 1)),
                Action::Verify(_) => {}
            }
        }
        Ok(())
    }
    .await;
    if result.is_err() {
        run.outcome = Outcome::Failed;
        journal.save(run)?;
    }
    result
}

fn fail(journal: &Journal, run: &mut Run, entry: usize, e: ApplyError) -> Result<(), ApplyError> {
    run.changes[entry].state = EntryState::Failed;
    run.changes[entry].error = Some(e.to_string());
    journal.save(run)?;
    Err(e)
}

async fn get(w: &Writer, r: &ObjectRef) -> Result<Option<Value>, ApplyError> {
    w.get(&resource(r.kind), &r.namespace, &r.name)
        .await
        .map_err(|source| ApplyError::Write {
            action: "read",
            target: r.to_string(),
            source,
        })
}

/// Journals a change before it is made: the before-image in the entry, or in a backup
/// Secret in the cluster when it holds a secret. Returns the entry's index.
#[allow(clippy::too_many_arguments)]
async fn record(
    journal: &Journal,
    run: &mut Run,
    step: usize,
    step_name: &str,
    target: &ObjectRef,
    action: &str,
    rv: Option<String>,
    before: &Value,
    diff: &str,
    secrets: &[String],
    w: &Writer,
) -> Result<usize, ApplyError> {
    let mut entry = Entry {
        step: step + 1,
        step_name: step_name.to_string(),
        api_version: target.api_version().to_string(),
        kind: target.kind.kind().to_string(),
        namespace: target.namespace.clone(),
        name: target.name.clone(),
        action: action.to_string(),
        before_rv: rv,
        after_rv: None,
        after_digest: None,
        state: EntryState::Pending,
        before: None,
        backup: None,
        diff: diff.to_string(),
        error: None,
    };
    if !before.is_null() {
        if journal::holds_secret(before, secrets) {
            let name = format!("aiwfe-backup-{}-{}", run.id, run.changes.len() + 1);
            let data = base64::engine::general_purpose::STANDARD.encode(before.to_string());
            let backup = json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {
                    "name": name,
                    "namespace": target.namespace,
                    "labels": {"app.kubernetes.io/managed-by": "aiwfe", journal::RUN_LABEL: run.id},
                    "annotations": {journal::BACKUP_OF_LABEL: format!("{}/{}", target.kind.resource(), target.name)},
                },
                "type": "Opaque",
                "data": {journal::BACKUP_KEY: data},
            });
            w.create(&write::SECRET, &target.namespace, &backup, false)
                .await
                .map_err(|source| ApplyError::Backup {
                    target: target.to_string(),
                    source,
                })?;
            entry.backup = Some(Backup {
                namespace: target.namespace.clone(),
                name,
            });
        } else {
            entry.before = Some(before.clone());
        }
    }
    run.changes.push(entry);
    journal.save(run)?;
    Ok(run.changes.len() - 1)
}

/// Are the values at every path `ops` writes the same in `planned` and `fresh`?
fn untouched(ops: &json_patch::Patch, planned: &Value, fresh: &Value) -> bool {
    use json_patch::PatchOperation as Op;
    ops.0.iter().all(|op| {
        let path = match op {
            Op::Add(o) => o.path.to_string(),
            Op::Remove(o) => o.path.to_string(),
            Op::Replace(o) => o.path.to_string(),
            Op::Move(o) => o.path.to_string(),
            Op::Copy(o) => o.path.to_string(),
            Op::Test(o) => o.path.to_string(),
        };
        planned.pointer(&path) == fresh.pointer(&path)
    })
}

/// A redacted unified diff between two states of one object.
pub fn object_diff(target: &ObjectRef, rv: Option<&str>, before: &Value, after: &Value, red: &Redactor) -> String {
    let yaml = |v: &Value| serde_saphyr::to_string(&red.object(&super::strip(v))).unwrap_or_default();
    format!("{}\n{}", super::header(target, rv), super::unified(&yaml(before), &yaml(after)))
}

/// What `rollback` did, or would do with `dry_run`.
#[derive(Debug, Default)]
pub struct Undone {
    /// Redacted diffs, one per restored object, in the order they were restored.
    pub diffs: Vec<String>,
    /// Objects that needed nothing (already as they were).
    pub unchanged: Vec<String>,
}

/// Restores every applied change of `run`, newest first. An object changed since the run
/// (its resourceVersion is not the one the run left) is refused unless `force`, with the
/// diff from what it is now to what it was. Every restore goes through a server dry run
/// first and carries the current resourceVersion as its precondition.
pub async fn rollback(
    run: &mut Run,
    w: &Writer,
    journal: &Journal,
    force: bool,
    dry_run_only: bool,
    red: &Redactor,
    progress: &dyn Progress,
) -> Result<Undone, ApplyError> {
    struct Restore {
        entry: usize,
        target: ObjectRef,
        op: RestoreOp,
    }
    enum RestoreOp {
        Patch { ops: json_patch::Patch, rv: Option<String> },
        Delete { rv: Option<String> },
    }
    let mut undone = Undone::default();
    let mut plan: Vec<Restore> = Vec::new();
    // What each object is now, as the restores before it leave it.
    let mut now: BTreeMap<ObjectRef, Option<Value>> = BTreeMap::new();
    for (i, e) in run.changes.iter().enumerate().rev() {
        if e.state != EntryState::Applied {
            continue;
        }
        let kind = Kind::from_kind(&e.kind).ok_or_else(|| ApplyError::Write {
            action: "restore",
            target: e.target(),
            source: WriteError::Transport(format!("the journal names an unknown kind `{}`", e.kind)),
        })?;
        let target = ObjectRef::new(kind, &e.namespace, &e.name);
        let current = match now.get(&target) {
            Some(c) => c.clone(),
            None => get(w, &target).await?,
        };
        let first_touch = !now.contains_key(&target);
        if e.action == "create" {
            match &current {
                Some(cur) => {
                    if first_touch && changed_since(cur, e) && !force {
                        return Err(ApplyError::Changed {
                            target: target.to_string(),
                            diff: object_diff(&target, rv_of(cur).as_deref(), &Value::Null, cur, red),
                        });
                    }
                    undone
                        .diffs
                        .push(format!("{target} (namespace {}): delete, the run created it", target.namespace));
                    plan.push(Restore {
                        entry: i,
                        target: target.clone(),
                        op: RestoreOp::Delete { rv: rv_of(cur) },
                    });
                    now.insert(target, None);
                }
                None => undone.unchanged.push(format!("{target}: already gone")),
            }
            continue;
        }
        let Some(cur) = current else {
            return Err(ApplyError::Changed {
                target: target.to_string(),
                diff: format!("{target} was deleted after the run; nothing to restore it onto"),
            });
        };
        let before = match (&e.before, &e.backup) {
            (Some(b), _) => b.clone(),
            (None, Some(b)) => read_backup(w, b).await?,
            (None, None) => {
                return Err(ApplyError::Write {
                    action: "restore",
                    target: target.to_string(),
                    source: WriteError::Transport("the journal holds no before-image for this change".into()),
                });
            }
        };
        if first_touch && changed_since(&cur, e) && !force {
            return Err(ApplyError::Changed {
                target: target.to_string(),
                diff: object_diff(&target, rv_of(&cur).as_deref(), &cur, &restored(&cur, &before), red),
            });
        }
        let want = restored(&cur, &before);
        let ops = json_patch::diff(&cur, &want);
        if ops.0.is_empty() {
            undone.unchanged.push(format!("{target}: already as it was"));
        } else {
            undone.diffs.push(object_diff(&target, rv_of(&cur).as_deref(), &cur, &want, red));
            plan.push(Restore {
                entry: i,
                target: target.clone(),
                op: RestoreOp::Patch { ops, rv: rv_of(&cur) },
            });
        }
        now.insert(target, Some(want));
    }
    // Dry run every restore first (per object the first one: later ones build on it).
    let mut seen = std::collections::BTreeSet::new();
    for r in &plan {
        if !seen.insert(r.target.clone()) {
            continue;
        }
        let res = resource(r.target.kind);
        let out = match &r.op {
            RestoreOp::Patch { ops, rv } => {
                let patch = precondition(ops.clone(), rv.as_deref());
                w.patch(&res, &r.target.namespace, &r.target.name, &patch, true).await.map(|_| ())
            }
            RestoreOp::Delete { rv } => w.delete(&res, &r.target.namespace, &r.target.name, rv.as_deref(), true).await,
        };
        out.map_err(|source| ApplyError::DryRun {
            target: r.target.to_string(),
            source: redact_err(source, red),
        })?;
    }
    if dry_run_only {
        return Ok(undone);
    }
    let mut rvs: BTreeMap<ObjectRef, String> = BTreeMap::new();
    for r in plan {
        let res = resource(r.target.kind);
        match r.op {
            RestoreOp::Patch { ops, rv } => {
                // A later restore of the same object follows the resourceVersion the one before produced.
                let rv = rvs.get(&r.target).cloned().or(rv);
                let patch = precondition(ops, rv.as_deref());
                let obj = w
                    .patch(&res, &r.target.namespace, &r.target.name, &patch, false)
                    .await
                    .map_err(|source| ApplyError::Write {
                        action: "restore",
                        target: r.target.to_string(),
                        source: redact_err(source, red),
                    })?;
                if let Some(rv) = rv_of(&obj) {
                    rvs.insert(r.target.clone(), rv);
                }
                progress.step(&format!("restored {}", r.target));
            }
            RestoreOp::Delete { rv } => {
                w.delete(&res, &r.target.namespace, &r.target.name, rv.as_deref(), false)
                    .await
                    .map_err(|source| ApplyError::Write {
                        action: "delete",
                        target: r.target.to_string(),
                        source: redact_err(source, red),
                    })?;
                progress.step(&format!("deleted {}", r.target));
            }
        }
        run.changes[r.entry].state = EntryState::RolledBack;
        journal.save(run)?;
    }
    run.outcome = Outcome::RolledBack;
    run.rolled_back = Some(jiff::Timestamp::now().to_string());
    journal.save(run)?;
    Ok(undone)
}

/// Annotations that controllers keep (the Deployment's revision): never restored, never
/// counted as a change.
fn controller_owned(key: &str) -> bool {
    key.starts_with("deployment.kubernetes.io/")
}

/// The object's annotations whose keys pass `keep`.
fn annotations_where(obj: &Value, keep: impl Fn(&str) -> bool) -> serde_json::Map<String, Value> {
    obj["metadata"]["annotations"]
        .as_object()
        .map(|m| m.iter().filter(|(k, _)| keep(k)).map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// What a restore writes back, as one value: spec, data, type, labels, and annotations
/// other than the controllers' own.
fn restorable(obj: &Value) -> Value {
    let annotations = annotations_where(obj, |k| !controller_owned(k));
    json!({"spec": obj["spec"], "data": obj["data"], "type": obj["type"], "labels": obj["metadata"]["labels"], "annotations": annotations})
}

/// SHA-256 (hex) of `restorable(obj)`.
fn digest(obj: &Value) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(restorable(obj).to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Has someone changed what the run wrote since (status updates aside)? A journal without
/// a digest falls back to the resourceVersion.
fn changed_since(current: &Value, e: &Entry) -> bool {
    match &e.after_digest {
        Some(d) => *d != digest(current),
        None => rv_of(current) != e.after_rv,
    }
}

/// `current` with what a restore writes back taken from `before`: labels, annotations
/// (the controllers' own stay as they are now), `spec`, and a Secret's `type` and `data`.
/// Status and the server's bookkeeping stay.
fn restored(current: &Value, before: &Value) -> Value {
    let mut out = current.clone();
    match before["metadata"].get("labels") {
        Some(v) => out["metadata"]["labels"] = v.clone(),
        None => {
            if let Some(m) = out["metadata"].as_object_mut() {
                m.remove("labels");
            }
        }
    }
    let mut annotations = annotations_where(before, |k| !controller_owned(k));
    annotations.extend(annotations_where(current, controller_owned));
    if annotations.is_empty() {
        if let Some(m) = out["metadata"].as_object_mut() {
            m.remove("annotations");
        }
    } else {
        out["metadata"]["annotations"] = Value::Object(annotations);
    }
    for key in ["spec", "data", "type"] {
        match before.get(key) {
            Some(v) => out[key] = v.clone(),
            None => {
                if let Some(m) = out.as_object_mut() {
                    m.remove(key);
                }
            }
        }
    }
    if let Some(m) = out.as_object_mut() {
        m.remove("stringData");
    }
    out
}

async fn read_backup(w: &Writer, b: &Backup) -> Result<Value, ApplyError> {
    let target = format!("secret/{} (namespace {})", b.name, b.namespace);
    let s = w
        .get(&write::SECRET, &b.namespace, &b.name)
        .await
        .map_err(|source| ApplyError::Write {
            action: "read the backup",
            target: target.clone(),
            source,
        })?;
    let missing = |why: &str| ApplyError::Write {
        action: "read the backup",
        target: target.clone(),
        source: WriteError::Transport(why.to_string()),
    };
    let s = s.ok_or_else(|| missing("it no longer exists (pruned by `aiwfe history --prune`?)"))?;
    let raw = s["data"][journal::BACKUP_KEY]
        .as_str()
        .ok_or_else(|| missing("it holds no before-image"))?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(raw)
        .map_err(|_| missing("its before-image is not base64"))?;
    serde_json::from_slice(&bytes).map_err(|_| missing("its before-image is not JSON"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restore_writes_back_spec_labels_annotations_and_secret_data_only() {
        let cur = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "x", "resourceVersion": "57", "labels": {"app": "x", "new": "1"}, "annotations": {"a": "2"}},
            "spec": {"replicas": 3}, "status": {"replicas": 3}});
        let before = json!({"metadata": {"name": "x", "labels": {"app": "x"}}, "spec": {"replicas": 2}});
        let r = restored(&cur, &before);
        assert_eq!(r["spec"], json!({"replicas": 2}));
        assert_eq!(r["metadata"]["labels"], json!({"app": "x"}));
        assert!(r["metadata"].get("annotations").is_none());
        assert_eq!(r["status"], cur["status"]);
        assert_eq!(r["metadata"]["resourceVersion"], "57");
        let ops = json_patch::diff(&cur, &r);
        assert!(
            ops.0
                .iter()
                .all(|o| !serde_json::to_string(o).unwrap_or_default().contains("status")),
            "{ops:?}"
        );
    }

    #[test]
    fn the_deployment_controllers_revision_is_neither_restored_nor_a_change() {
        let before = json!({"metadata": {"annotations": {"deployment.kubernetes.io/revision": "3", "team": "a"}}, "spec": {"replicas": 2}});
        let mut cur = before.clone();
        cur["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = json!("4");
        cur["status"] = json!({"observedGeneration": 4});
        assert_eq!(
            digest(&cur),
            digest(&before),
            "the controller's revision and status are not a change"
        );
        let r = restored(&cur, &before);
        assert_eq!(r["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "4");
        assert_eq!(r["metadata"]["annotations"]["team"], "a");
        cur["metadata"]["annotations"]["team"] = json!("b");
        assert_ne!(digest(&cur), digest(&before), "someone else's annotation is");
    }

    #[test]
    fn a_concurrent_change_elsewhere_leaves_the_step_applicable() {
        let planned =
            json!({"metadata": {"annotations": {"x": "1"}}, "spec": {"replicas": 2, "template": {"spec": {"affinity": {"a": 1}}}}});
        let ops: json_patch::Patch = serde_json::from_value(json!([{"op": "remove", "path": "/spec/template/spec/affinity/a"}]))
            .unwrap_or(json_patch::Patch(vec![]));
        let mut elsewhere = planned.clone();
        elsewhere["spec"]["replicas"] = json!(5);
        assert!(untouched(&ops, &planned, &elsewhere));
        let mut same_place = planned.clone();
        same_place["spec"]["template"]["spec"]["affinity"]["a"] = json!(2);
        assert!(!untouched(&ops, &planned, &same_place));
    }
}
