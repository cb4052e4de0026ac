//! The journal: one JSON file per run under `$XDG_STATE_HOME/aiwfe/runs/` (default
//! `~/.local/state/aiwfe/runs/`), written before every change, so that `aiwfe history` lists
//! what was done and `aiwfe rollback` can restore it.
//!
//! Secret values never reach these files. A change's before-image is kept here only when it
//! holds none (no Secret data, no env value that looks like a password, none of the run's
//! secret parameters); otherwise the before-image goes into a labelled backup Secret next to
//! the original, inside the cluster, and the journal names that Secret. Each file is
//! written whole to a temporary file and renamed, with mode 0600 in a 0700 directory.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The label every backup Secret carries, with the run id as its value.
pub const RUN_LABEL: &str = "aiwfe.io/run";
/// The label naming the object a backup Secret holds the before-image of.
pub const BACKUP_OF_LABEL: &str = "aiwfe.io/backup-of";
/// The key of a backup Secret that holds the before-image (JSON).
pub const BACKUP_KEY: &str = "object.json";

/// Why the journal could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot write the journal `{path}`: {reason}")]
    Write { path: PathBuf, reason: String },
    #[error("cannot read the journal `{path}`: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("no run `{0}` in the journal")]
    NoRun(String),
    #[error("`{0}` matches more than one run; give more of its id")]
    Ambiguous(String),
}

/// How a run ended (so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Changes are being applied (or the process died while they were).
    Applying,
    /// Every change was applied and verified.
    Applied,
    /// Every change was applied; verification found the problem still there.
    Unverified,
    /// A step failed; `Entry::state` says which changes were made.
    Failed,
    /// Nothing needed changing.
    NoChange,
    /// `aiwfe rollback` restored every change.
    RolledBack,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Applying => "applying",
            Outcome::Applied => "applied",
            Outcome::Unverified => "unverified",
            Outcome::Failed => "failed",
            Outcome::NoChange => "no change",
            Outcome::RolledBack => "rolled back",
        }
    }
}

/// Where one change stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Recorded, not yet written (or the write's answer never came).
    Pending,
    Applied,
    Failed,
    RolledBack,
}

/// A Secret in the cluster that holds a before-image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    pub namespace: String,
    pub name: String,
}

/// One change of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The playbook step (1-based) and its name.
    pub step: usize,
    pub step_name: String,
    pub api_version: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// `patch` or `create`.
    pub action: String,
    /// The resourceVersion the change was planned against, and the one it produced.
    pub before_rv: Option<String>,
    pub after_rv: Option<String>,
    /// SHA-256 of what a restore would write back (spec, data, labels, annotations) as the
    /// change left it: a rollback compares it with the object as it is now, so status
    /// updates by controllers do not count as someone else's change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_digest: Option<String>,
    pub state: EntryState,
    /// The object as it was (without status and managedFields), when it holds no secret.
    pub before: Option<Value>,
    /// Where the before-image is instead, when it holds one.
    pub backup: Option<Backup>,
    /// The change as people read it, secrets masked.
    pub diff: String,
    /// Why the change failed, in the server's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Entry {
    /// `deployment/reasoning-service`
    pub fn target(&self) -> String {
        format!("{}/{}", self.kind.to_lowercase(), self.name)
    }
}

/// One run of a playbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub version: u32,
    /// Sortable and unique: `20261201-195500-3f2a`.
    pub id: String,
    pub playbook: String,
    /// RFC 3339.
    pub started: String,
    /// Which cluster (`context NAME`, `kubeconfig FILE`).
    pub cluster: String,
    pub outcome: Outcome,
    pub changes: Vec<Entry>,
    /// What verification found, one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<String>,
    /// When `aiwfe rollback` restored this run, and by which run of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolled_back: Option<String>,
}

impl Run {
    /// `deployment/a, secret/b` (the distinct targets, in order).
    pub fn targets(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for e in &self.changes {
            let t = format!("{}/{}", e.namespace, e.target());
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }
}

/// The journal directory.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
}

impl Journal {
    /// The journal under `state_dir` (`$XDG_STATE_HOME/aiwfe` or `~/.local/state/aiwfe`).
    pub fn new(state_dir: &Path) -> Journal {
        Journal {
            dir: state_dir.join("runs"),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A new run, not yet saved.
    pub fn start(&self, playbook: &str, cluster: &str) -> Run {
        let now = jiff::Timestamp::now();
        let mut suffix = [0u8; 2];
        let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut suffix);
        let id = format!("{}-{:02x}{:02x}", now.strftime("%Y%m%d-%H%M%S"), suffix[0], suffix[1]);
        Run {
            version: 1,
            id,
            playbook: playbook.to_string(),
            started: now.to_string(),
            cluster: cluster.to_string(),
            outcome: Outcome::Applying,
            changes: Vec::new(),
            verified: None,
            rolled_back: None,
        }
    }

    fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    /// Writes the run whole: to a temporary file, then renamed over the old one.
    pub fn save(&self, run: &Run) -> Result<(), JournalError> {
        let write_err = |path: &Path, e: std::io::Error| JournalError::Write {
            path: path.to_path_buf(),
            reason: e.to_string().to_lowercase(),
        };
        create_private_dir(&self.dir).map_err(|e| write_err(&self.dir, e))?;
        let path = self.path(&run.id);
        let tmp = self.dir.join(format!(".{}.json.tmp", run.id));
        let text = serde_json::to_vec_pretty(run).map_err(|e| write_err(&path, std::io::Error::other(e)))?;
        write_private(&tmp, &text).map_err(|e| write_err(&tmp, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| write_err(&path, e))
    }

    /// Every run, oldest first. A file that is not a run is skipped.
    pub fn list(&self) -> Result<Vec<Run>, JournalError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(JournalError::Read {
                    path: self.dir.clone(),
                    reason: e.to_string().to_lowercase(),
                });
            }
        };
        let mut runs: Vec<Run> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
            .filter_map(|p| std::fs::read(&p).ok())
            .filter_map(|b| serde_json::from_slice::<Run>(&b).ok())
            .collect();
        // By start time (ids made in the same second sort by their random part).
        let at = |r: &Run| r.started.parse::<jiff::Timestamp>().ok();
        runs.sort_by(|a, b| at(a).cmp(&at(b)).then_with(|| a.id.cmp(&b.id)));
        Ok(runs)
    }

    /// The run whose id starts with `id`; the newest run that changed something for `None`.
    pub fn find(&self, id: Option<&str>) -> Result<Run, JournalError> {
        let runs = self.list()?;
        match id {
            None => runs
                .into_iter()
                .rev()
                .find(|r| r.changes.iter().any(|c| c.state == EntryState::Applied))
                .ok_or_else(|| JournalError::NoRun("with applied changes".into())),
            Some(id) => {
                let mut hits: Vec<Run> = runs.into_iter().filter(|r| r.id.starts_with(id)).collect();
                match hits.len() {
                    0 => Err(JournalError::NoRun(id.to_string())),
                    1 => Ok(hits.remove(0)),
                    _ => Err(JournalError::Ambiguous(id.to_string())),
                }
            }
        }
    }
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// The object as a before-image: without `status`, `metadata.managedFields` and the
/// server's bookkeeping, which a restore must not (or cannot) write back.
pub fn before_image(obj: &Value) -> Value {
    let mut o = obj.clone();
    if let Some(m) = o.as_object_mut() {
        m.remove("status");
    }
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        for k in [
            "managedFields",
            "creationTimestamp",
            "uid",
            "generation",
            "selfLink",
            "resourceVersion",
        ] {
            meta.remove(k);
        }
    }
    o
}

/// Does the object hold a value that must not be written to a local file: Secret data, an
/// env value that looks like a credential, or one of `secrets`?
pub fn holds_secret(obj: &Value, secrets: &[String]) -> bool {
    if obj["kind"] == "Secret" {
        return true;
    }
    let text = obj.to_string();
    if secrets.iter().any(|s| !s.is_empty() && text.contains(s.as_str())) {
        return true;
    }
    let mut found = false;
    visit_env(obj, &mut |name, value| {
        if crate::redact::plaintext_secret(name, value).is_some() {
            found = true;
        }
    });
    found
}

/// Calls `f(name, value)` for every literal env value of every container in the object's
/// pod template (or pod spec).
fn visit_env(obj: &Value, f: &mut dyn FnMut(&str, &str)) {
    let spec = if obj["spec"]["template"]["spec"].is_object() {
        &obj["spec"]["template"]["spec"]
    } else {
        &obj["spec"]
    };
    for list in ["initContainers", "containers"] {
        for c in spec[list].as_array().into_iter().flatten() {
            for e in c["env"].as_array().into_iter().flatten() {
                if let (Some(n), Some(v)) = (e["name"].as_str(), e["value"].as_str()) {
                    f(n, v);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(state: EntryState) -> Entry {
        Entry {
            step: 1,
            step_name: "relax".into(),
            api_version: "apps/v1".into(),
            kind: "Deployment".into(),
            namespace: "aiwfe".into(),
            name: "integration-service".into(),
            action: "patch".into(),
            before_rv: Some("41".into()),
            after_rv: None,
            after_digest: None,
            state,
            before: Some(json!({"spec": {}})),
            backup: None,
            diff: String::new(),
            error: None,
        }
    }

    #[test]
    fn runs_round_trip_privately_and_are_found_by_prefix() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(&dir.path().join("aiwfe"));
        assert!(j.list().unwrap().is_empty());
        let mut a = j.start("affinity", "context test");
        a.id = "20261201-100000-aaaa".into();
        a.changes.push(entry(EntryState::Applied));
        j.save(&a).unwrap();
        let mut b = j.start("redis-auth", "context test");
        b.id = "20261201-110000-bbbb".into();
        b.outcome = Outcome::NoChange;
        j.save(&b).unwrap();
        std::fs::write(j.dir().join("notes.json"), "not a run").unwrap();

        let runs = j.list().unwrap();
        assert_eq!(
            runs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["20261201-100000-aaaa", "20261201-110000-bbbb"]
        );
        assert_eq!(runs[0], a);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(j.dir()), 0o700);
        assert_eq!(mode(&j.dir().join("20261201-100000-aaaa.json")), 0o600);
        // No id: the newest run that changed something, not the newest run.
        assert_eq!(j.find(None).unwrap().id, a.id);
        assert_eq!(j.find(Some("20261201-11")).unwrap().id, b.id);
        assert!(matches!(j.find(Some("20261201")), Err(JournalError::Ambiguous(_))));
        assert!(matches!(j.find(Some("2025")), Err(JournalError::NoRun(_))));
    }

    #[test]
    fn runs_of_one_second_list_in_the_order_they_started() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::new(dir.path());
        let mut first = j.start("hpa", "");
        first.id = "20261201-212526-ffff".into();
        first.started = "2026-12-01T21:25:26.1234Z".into();
        let mut second = j.start("hpa", "");
        second.id = "20261201-212526-0000".into();
        second.started = "2026-12-01T21:25:26.56789Z".into();
        j.save(&second).unwrap();
        j.save(&first).unwrap();
        let ids: Vec<String> = j.list().unwrap().into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["20261201-212526-ffff", "20261201-212526-0000"]);
    }

    #[test]
    fn new_ids_sort_by_time_and_do_not_collide() {
        let j = Journal::new(Path::new("/nonexistent"));
        let (a, b) = (j.start("x", ""), j.start("x", ""));
        assert_eq!(a.id.len(), "20261201-195500-3f2a".len(), "{}", a.id);
        assert!(a.started.ends_with('Z'), "{}", a.started);
        assert_ne!(a.id, b.id);
    }

    #[test]
    fn what_holds_a_secret_stays_out_of_local_files() {
        let secret = json!({"kind": "Secret", "data": {"password": "aHVudGVyMg=="}});
        assert!(holds_secret(&secret, &[]));
        let dep = |env: Value| json!({"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "app", "env": env}]}}}});
        assert!(holds_secret(
            &dep(json!([{"name": "REDIS_URL", "value": "redis://:hunter22@redis:6379/0"}])),
            &[]
        ));
        assert!(holds_secret(&dep(json!([{"name": "API_TOKEN", "value": "abcd1234"}])), &[]));
        assert!(holds_secret(
            &dep(json!([{"name": "GREETING", "value": "s3cr3t-param"}])),
            &["s3cr3t-param".into()]
        ));
        assert!(!holds_secret(
            &dep(json!([{"name": "REDIS_URL", "value": "redis://redis:6379/0"},
                        {"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}}])),
            &[]
        ));
    }

    #[test]
    fn a_before_image_leaves_out_what_the_server_owns() {
        let o = json!({"kind": "Deployment", "metadata": {"name": "x", "resourceVersion": "7", "uid": "u", "generation": 3,
                       "managedFields": [{}], "labels": {"app": "x"}}, "spec": {"replicas": 2}, "status": {"replicas": 2}});
        assert_eq!(
            before_image(&o),
            json!({"kind": "Deployment", "metadata": {"name": "x", "labels": {"app": "x"}}, "spec": {"replicas": 2}})
        );
    }
}
