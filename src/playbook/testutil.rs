//! Shared test fixtures: the incident's objects, and running the real kubectl locally.

use super::{Action, Kind, ObjectRef, Plan, index_objects};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const NS: &str = "aiwfe";
/// The password in Secret `redis-auth`, which Redis no longer accepts.
pub const STALE: &str = "Stale-Redis-Pass-0812";
/// The password Redis is started with (Secret `redis-server-auth`).
pub const ACCEPTED: &str = "Redis-Accepts-This-1";
pub const NOW: &str = "2025-08-13T15:04:05Z";

pub fn incident() -> BTreeMap<ObjectRef, Value> {
    let list: Value = serde_saphyr::from_str(include_str!("testdata/incident.yaml")).expect("fixture parses");
    index_objects(list["items"].as_array().expect("a List").iter().cloned())
}

pub fn object(kind: Kind, name: &str) -> Value {
    incident().remove(&ObjectRef::new(kind, NS, name)).expect("fixture object")
}

pub fn deployment(name: &str) -> Value {
    object(Kind::Deployment, name)
}

/// Applies a plan's writes to `objects` as the API server would (patches, creates).
pub fn apply(objects: &mut BTreeMap<ObjectRef, Value>, plan: &Plan) {
    for s in &plan.steps {
        match &s.action {
            Action::Change(c) => {
                let obj = objects.get_mut(&c.target).expect("planned against an existing object");
                json_patch::patch(obj, c.patch_to_apply()).expect("the planned patch applies");
            }
            Action::Create(c) => {
                objects.insert(c.target.clone(), c.object_to_create().clone());
            }
            _ => {}
        }
    }
}

/// Whether the real kubectl is installed; says so on stderr when it is not.
pub fn have_kubectl() -> bool {
    let ok = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipping: `kubectl` is not installed, so the comparison with kubectl's own output cannot run");
    }
    ok
}

/// `kubectl ARGS -f OBJ --local -o json` on a temporary copy of `obj`.
pub fn kubectl(args: &[&str], obj: &Value) -> Value {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "aiwfe-playbook-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, serde_json::to_vec(obj).expect("json")).expect("write temp object");
    let file = path.to_string_lossy().to_string();
    let mut cmd = Command::new("kubectl");
    cmd.args(args).args(["-f", &file, "--local", "-o", "json"]);
    // No cluster is involved; an empty kubeconfig keeps kubectl from reading the user's.
    cmd.env("KUBECONFIG", "/dev/null");
    let out = cmd.output().expect("run kubectl");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "kubectl {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("kubectl prints JSON")
}

/// An object as kubectl's typed encoder writes it (defaults and empty fields as kubectl
/// prints them), so that objects made two ways compare field by field. A workload goes
/// through `kubectl set env` (a variable set, then removed: kubectl prints nothing for a
/// command that changes nothing); anything else through an empty merge patch.
pub fn kubectl_normal(obj: &Value) -> Value {
    let workload = obj["kind"].as_str().and_then(Kind::from_kind).is_some_and(Kind::is_workload);
    if workload {
        kubectl(
            &["set", "env", "AIWFE_TYPED_ROUND_TRIP-"],
            &kubectl(&["set", "env", "AIWFE_TYPED_ROUND_TRIP=1"], obj),
        )
    } else {
        kubectl(&["patch", "--type=merge", "-p", "{}"], obj)
    }
}
