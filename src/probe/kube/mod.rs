//! Kubernetes checks: pure analyses of a `ClusterState` (from a snapshot or the live API).
//!
//! Checks: `kube.read` (what could not be read), `kube.pods` (crash loops, image pulls,
//! config errors, OOM kills), `kube.scheduling` (Pending pods and why), `kube.resources`
//! (requests, limits, usage, efficiency), `kube.credentials` (passwords in env values),
//! `kube.autoscaling` (HPAs and rollouts).

pub mod credentials;
pub mod hpa;
pub mod pods;
#[cfg(test)]
mod props;
pub mod resources;
pub mod scheduling;
pub mod signatures;
pub mod target;

pub use target::{KubeThresholds, Source, Target};

use super::{BoxFuture, Probe, Recorder};
use crate::cluster::{self, ClusterState};
use crate::report::{Finding, Observation, Severity};

pub struct KubeProbe {
    pub target: Target,
}

impl Probe for KubeProbe {
    fn name(&self) -> &'static str {
        "kube"
    }

    fn target(&self) -> String {
        let scope = match &self.target.namespace {
            // Resolved when the client is built, from the kubeconfig context.
            Some(ns) if ns.is_empty() => "the context's namespace".into(),
            Some(ns) => format!("namespace {ns}"),
            None => "all namespaces".into(),
        };
        match &self.target.source {
            Source::Snapshot(p) => format!("snapshot {} ({scope})", p.display()),
            Source::Live(t) => format!("{} ({scope})", t.display()),
        }
    }

    fn run<'a>(&'a self, rec: &'a Recorder) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            rec.phase("kube.read", "reading the cluster state");
            // What the read could not cover: a gate that could not look must not pass.
            let mut extra: Vec<Finding> = Vec::new();
            let state = match &self.target.source {
                Source::Snapshot(path) => match read_snapshot(rec, path, self.target.snapshot_budget).await {
                    Ok(mut s) => {
                        if s.holds_nothing() {
                            extra.push(
                                Finding::new(
                                    "kube.snapshot_empty",
                                    Severity::Error,
                                    format!("snapshot {} holds no Kubernetes objects doctor reads, so nothing was checked", path.display()),
                                )
                                .hint("save one with `aiwfe snapshot -A --to cluster.json`, or `kubectl get pods,deployments,replicasets,nodes,events,hpa -A -o yaml`"),
                            );
                        } else if let Some(ns) = &self.target.namespace {
                            s.retain_namespace(ns);
                            if s.holds_nothing_namespaced() {
                                extra.push(empty_namespace(ns, "the snapshot"));
                            }
                        }
                        s
                    }
                    Err(e) => {
                        let mut o = rec.observation("kube.read");
                        o.push(
                            Finding::new("kube.snapshot_invalid", Severity::Error, "cannot read the snapshot")
                                .evidence(crate::redact::credentials(&e)),
                        );
                        rec.commit(o);
                        return;
                    }
                },
                Source::Live(t) => {
                    let on_phase = |doing: &str| rec.phase("kube.read", doing);
                    match cluster::live::load(t, self.target.namespace.as_deref(), rec.deadline, &on_phase).await {
                        Ok(s) => {
                            if s.problems.is_empty() {
                                match &self.target.namespace {
                                    Some(ns) if s.holds_nothing_namespaced() => extra.push(empty_namespace(ns, "the cluster")),
                                    None if s.pods.is_empty() && s.nodes.is_empty() => extra.push(
                                        Finding::new(
                                            "kube.unreadable",
                                            Severity::Error,
                                            "the API server lists no pods and no nodes in any namespace: nothing was checked",
                                        )
                                        .hint("check that the kubeconfig points at the cluster you mean (`kubectl get nodes`)"),
                                    ),
                                    _ => {}
                                }
                            }
                            s
                        }
                        Err(e) => {
                            let mut o = rec.observation("kube.read");
                            o.push(read_error(e));
                            rec.commit(o);
                            return;
                        }
                    }
                }
            };
            for mut obs in analyze(&state, &self.target.thresholds, &self.target()) {
                if obs.id == "kube.read" && !extra.is_empty() {
                    obs.findings.retain(|f| f.severity != Severity::Ok);
                    obs.findings.append(&mut extra);
                }
                rec.phase(&obs.id.clone(), "analysing");
                rec.commit(obs);
            }
            // Freeing a big cluster's state (millions of small allocations) takes a while:
            // it is done off the path to the report, which the process does not wait for.
            let _ = std::thread::Builder::new().spawn(move || drop(state));
        })
    }
}

/// Reads a snapshot. A file or folder on disk is read whole, however long that takes (it
/// cannot hang); anything else (a pipe, a FIFO, which blocks until a writer comes) is read
/// off the async workers, so the deadline holds.
async fn read_snapshot(rec: &Recorder, path: &std::path::Path, budget: u32) -> Result<ClusterState, String> {
    rec.phase("kube.read", &format!("reading snapshot {}", path.display()));
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() || m.is_dir()) {
        return cluster::load_snapshot_with(path, budget);
    }
    let p = path.to_path_buf();
    tokio::task::spawn_blocking(move || cluster::load_snapshot_with(&p, budget))
        .await
        .unwrap_or_else(|e| Err(format!("the snapshot reader stopped: {e}")))
}

/// A namespace asked for that holds nothing: likely a typo.
fn empty_namespace(ns: &str, source: &str) -> Finding {
    let which = if ns.is_empty() {
        "the context's namespace".to_string()
    } else {
        format!("namespace `{ns}`")
    };
    Finding::new(
        "kube.empty_namespace",
        Severity::Warning,
        format!("{which} holds no pods, deployments, replica sets, HPAs or events in {source}; is the name right?"),
    )
    .label("namespace", ns.to_string())
    .hint("list the namespaces with `kubectl get namespaces`, or pass -A for all of them")
}

/// The finding for a cluster that could not be read at all.
fn read_error(e: cluster::live::ReadError) -> Finding {
    use cluster::live::ReadError;
    match e {
        ReadError::Client(reason) => Finding::new("kube.config", Severity::Error, "cannot set up a Kubernetes client")
            .evidence(reason)
            .hint("pass --kubeconfig/--context, set KUBECONFIG, or run inside a cluster; --snapshot reads a saved state instead"),
        ReadError::Unreachable { target, message } => Finding::new(
            "kube.unreachable",
            Severity::Error,
            format!("cannot reach the Kubernetes API ({target})"),
        )
        .evidence(message)
        .hint("check the kubeconfig's server address and your network; --snapshot reads a saved state instead"),
    }
}

/// Every Kubernetes check over one state. Pure.
pub fn analyze(state: &ClusterState, t: &KubeThresholds, target: &str) -> Vec<Observation> {
    let mut out = Vec::new();
    let mut read = Observation::new("kube.read", target);
    read.measure("pods", state.pods.len() as f64, "count");
    read.measure("nodes", state.nodes.len() as f64, "count");
    read.measure("deployments", state.deployments.len() as f64, "count");
    read.measure("events", state.events.len() as f64, "count");
    read.measure("pages", state.read.pages as f64, "count");
    read.measure("objects", state.read.objects as f64, "count");
    read.measure("bytes_read", state.read.bytes as f64, "bytes");
    read.measure("read_ms", state.read.seconds * 1000.0, "ms");
    for p in &state.problems {
        let f = match p.status {
            Some(403) => Finding::new(
                "kube.forbidden",
                Severity::Warning,
                format!("not allowed to read {}; checks that need it are incomplete", p.resource),
            )
            .evidence(p.message.clone())
            .hint("grant what `aiwfe rbac --for doctor` prints"),
            _ => Finding::new("kube.read_failed", Severity::Warning, format!("could not read {}", p.resource)).evidence(p.message.clone()),
        };
        read.push(f.subject(p.resource.clone()));
    }
    if let Some(p) = state.problems.iter().find(|p| p.resource == "pods") {
        let why = match p.status {
            Some(403) => "forbidden".to_string(),
            Some(code) => format!("HTTP {code}"),
            None => "no answer".to_string(),
        };
        read.push(
            Finding::new(
                "kube.unreadable",
                Severity::Error,
                format!("could not read pods ({why}), so crash loops, scheduling and resources were not checked"),
            )
            .evidence(p.message.clone())
            .hint("grant what `aiwfe rbac --for doctor` prints, and check that the kubeconfig points at a Kubernetes API"),
        );
    }
    if read.findings.is_empty() {
        read.push(Finding::new(
            "kube.read",
            Severity::Ok,
            format!(
                "read {} pods, {} nodes, {} deployments from {}",
                state.pods.len(),
                state.nodes.len(),
                state.deployments.len(),
                state.source
            ),
        ));
    }
    out.push(read);
    // The resource check, the longest on a big cluster, runs alongside the others.
    // (here, when no thread can be started).
    let (rest, resources) = std::thread::scope(|scope| {
        let beside = std::thread::Builder::new().spawn_scoped(scope, || resources::analyze(state, t, target));
        let rest = [
            pods::analyze(state, target),
            scheduling::analyze(state, target),
            credentials::analyze(state, target),
            hpa::analyze(state, target),
        ];
        let resources = match beside {
            Ok(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            Err(_) => resources::analyze(state, t, target),
        };
        (rest, resources)
    });
    let [pods, scheduling, credentials, hpa] = rest;
    out.extend([pods, scheduling, resources, credentials, hpa]);
    out
}
