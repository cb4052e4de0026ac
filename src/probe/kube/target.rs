//! Which cluster the Kubernetes checks read, and their thresholds.

use crate::cluster;

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

/// Which cluster, which namespace, which thresholds.
#[derive(Debug, Clone)]
pub struct Target {
    pub source: Source,
    /// `None`: every namespace; `Some("")`: the context's default namespace.
    pub namespace: Option<String>,
    /// Multiplies a YAML snapshot's parse budget (`cluster::read::budget`).
    pub snapshot_budget: u32,
    pub thresholds: KubeThresholds,
}
