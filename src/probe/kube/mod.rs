//! Kubernetes checks: pure analyses of a `ClusterState` (from a snapshot or the live API).
//!
//! Checks: `kube.read` (what could not be read), `kube.pods` (crash loops, image pulls,
//! config errors, OOM kills), `kube.scheduling` (Pending pods and why), `kube.resources`
//! (requests, limits, usage, efficiency), `kube.credentials` (passwords in env values),
//! `kube.autoscaling` (HPAs and rollouts).

pub mod credentials;
pub mod hpa;
pub mod pods;
pub mod quantity;
pub mod resources;
pub mod scheduling;
pub mod signatures;

use super::{BoxFuture, Probe, Recorder};
use crate::cluster::{self, ClusterState};
use crate::report::{Finding, Observation, Severity};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Where the cluster state comes from.
#[derive(Debug, Clone)]
pub enum Source {
    Snapshot(std::path::PathBuf),
    Live(cluster::live::LiveTarget),
}

/// Thresholds for the Kubernetes checks.
#[derive(Debug, Clone)]
pub struct KubeThresholds {
    /// A container using less than this share of its CPU request is over-provisioned.
    pub overprovisioned_pct: f64,
    /// Cluster efficiency (used ÷ requested) below this is a warning.
    pub efficiency_warn_pct: f64,
}

impl Default for KubeThresholds {
    fn default() -> Self {
        KubeThresholds {
            overprovisioned_pct: 20.0,
            efficiency_warn_pct: 50.0,
        }
    }
}

pub struct KubeProbe {
    pub source: Source,
    /// `None`: every namespace.
    pub namespace: Option<String>,
    pub thresholds: KubeThresholds,
}

impl Probe for KubeProbe {
    fn name(&self) -> &'static str {
        "kube"
    }

    fn target(&self) -> String {
        let scope = match &self.namespace {
            Some(ns) => format!("namespace {ns}"),
            None => "all namespaces".into(),
        };
        match &self.source {
            Source::Snapshot(p) => format!("snapshot {} ({scope})", p.display()),
            Source::Live(t) => format!("{} ({scope})", t.display()),
        }
    }

    fn run<'a>(&'a self, rec: &'a Recorder) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            rec.phase("kube.read", "reading the cluster state");
            let state = match &self.source {
                Source::Snapshot(path) => match cluster::load_snapshot(path) {
                    Ok(mut s) => {
                        if let Some(ns) = &self.namespace {
                            s.retain_namespace(ns);
                        }
                        s
                    }
                    Err(e) => {
                        let mut o = rec.observation("kube.read");
                        o.push(Finding::new("kube.snapshot_invalid", Severity::Error, "cannot read the snapshot").evidence(e));
                        rec.commit(o);
                        return;
                    }
                },
                Source::Live(t) => match cluster::live::load(t, self.namespace.as_deref(), rec).await {
                    Ok(s) => s,
                    Err(f) => {
                        let mut o = rec.observation("kube.read");
                        o.push(*f);
                        rec.commit(o);
                        return;
                    }
                },
            };
            for obs in analyze(&state, &self.thresholds, &self.target()) {
                rec.phase(&obs.id.clone(), "analysing");
                rec.commit(obs);
            }
        })
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
    out.push(pods::analyze(state, target));
    out.push(scheduling::analyze(state, target));
    out.push(resources::analyze(state, t, target));
    out.push(credentials::analyze(state, target));
    out.push(hpa::analyze(state, target));
    out
}

/// `namespace/kind/name` of the workload that owns a pod: the Deployment behind its
/// ReplicaSet, or the StatefulSet, DaemonSet or Job; the pod itself when it has no owner.
pub fn workload_of(pod: &Pod, state: &ClusterState) -> Workload {
    let ns = pod.metadata.namespace.clone().unwrap_or_else(|| "default".into());
    let owner = pod
        .metadata
        .owner_references
        .as_ref()
        .and_then(|o| o.iter().find(|r| r.controller == Some(true)).or(o.first()));
    match owner {
        Some(o) if o.kind == "ReplicaSet" => {
            let rs = state
                .replica_sets
                .iter()
                .find(|rs| rs.metadata.name.as_deref() == Some(&o.name) && rs.metadata.namespace.as_deref() == Some(&ns));
            let dep = rs
                .and_then(|rs| rs.metadata.owner_references.as_ref())
                .and_then(|refs| refs.iter().find(|r| r.kind == "Deployment"))
                .map(|r| r.name.clone())
                .or_else(|| {
                    // Without the ReplicaSet, strip its pod-template hash: `name-7d9f8c6b5d`.
                    o.name
                        .rsplit_once('-')
                        .map(|(base, _)| base.to_string())
                        .filter(|b| state.deployments.iter().any(|d| d.metadata.name.as_deref() == Some(b)))
                });
            match dep {
                Some(d) => Workload {
                    namespace: ns,
                    kind: "deployment".into(),
                    name: d,
                },
                None => Workload {
                    namespace: ns,
                    kind: "replicaset".into(),
                    name: o.name.clone(),
                },
            }
        }
        Some(o) => Workload {
            namespace: ns,
            kind: o.kind.to_lowercase(),
            name: o.name.clone(),
        },
        None => Workload {
            namespace: ns,
            kind: "pod".into(),
            name: pod.metadata.name.clone().unwrap_or_default(),
        },
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Workload {
    pub namespace: String,
    pub kind: String,
    pub name: String,
}

impl Workload {
    /// `aiwfe/deployment/reasoning-service`
    pub fn subject(&self) -> String {
        format!("{}/{}/{}", self.namespace, self.kind, self.name)
    }
    /// `deployment/reasoning-service`, as kubectl takes it.
    pub fn kubectl(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }
}

pub fn name(m: &ObjectMeta) -> &str {
    m.name.as_deref().unwrap_or("?")
}

pub fn namespace(m: &ObjectMeta) -> &str {
    m.namespace.as_deref().unwrap_or("default")
}
