//! Facts about the objects of a `ClusterState` that several readers need: which workload
//! owns a pod, an object's name and namespace, where a container gets its Redis password.

use super::ClusterState;
use k8s_openapi::api::core::v1::{Container, Pod};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

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

/// `namespace/secret:key` of the secret that feeds the container's Redis password or URL.
pub fn redis_secret_ref(c: &Container, ns: &str) -> Option<String> {
    c.env.iter().flatten().find_map(|e| {
        let n = e.name.to_ascii_uppercase();
        if !n.contains("REDIS") || !(n.contains("PASS") || n.contains("AUTH") || n.contains("URL") || n.contains("URI")) {
            return None;
        }
        let r = e.value_from.as_ref()?.secret_key_ref.as_ref()?;
        Some(format!("{ns}/{}:{}", r.name, r.key))
    })
}
