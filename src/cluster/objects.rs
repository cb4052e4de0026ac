//! Facts about the objects of a `ClusterState` that several readers need: which workload
//! owns a pod, every workload's pod template, an object's name and namespace, where a
//! container gets its Redis password and where a Redis server gets its own.

use super::ClusterState;
use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
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
            let ix = state.index();
            let dep = ix.replica_set_owner(&ns, &o.name).flatten().map(str::to_string).or_else(|| {
                // Without the ReplicaSet, strip its pod-template hash: `name-7d9f8c6b5d`.
                o.name
                    .rsplit_once('-')
                    .map(|(base, _)| base.to_string())
                    .filter(|b| ix.has_deployment(&ns, b))
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

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
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

/// The Secret the stack's Redis clients read their password from, by convention, and its key.
pub const REDIS_SECRET: &str = "redis-auth";
pub const REDIS_SECRET_KEY: &str = "password";

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

/// Every workload's pod template, once each: Deployments' templates, then the spec of one
/// pod per other owner (StatefulSet, DaemonSet, Job, a ReplicaSet without its Deployment,
/// or the pod itself), since the state holds no other workload kinds.
pub fn pod_templates(state: &ClusterState) -> Vec<(Workload, &PodSpec)> {
    let mut out: Vec<(Workload, &PodSpec)> = Vec::new();
    for d in &state.deployments {
        if let Some(spec) = d.spec.as_ref().and_then(|s| s.template.spec.as_ref()) {
            let w = Workload {
                namespace: namespace(&d.metadata).to_string(),
                kind: "deployment".into(),
                name: name(&d.metadata).to_string(),
            };
            out.push((w, spec));
        }
    }
    let mut seen: std::collections::HashSet<Workload> = out.iter().map(|(w, _)| w.clone()).collect();
    for p in &state.pods {
        let Some(spec) = &p.spec else { continue };
        let w = workload_of(p, state);
        if seen.insert(w.clone()) {
            out.push((w, spec));
        }
    }
    out
}

/// `namespace/name:key`: one key of one Secret.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct SecretKey {
    pub namespace: String,
    pub name: String,
    pub key: String,
}

impl std::fmt::Display for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}:{}", self.namespace, self.name, self.key)
    }
}

/// Where a Redis server takes its password from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RedisServerPassword {
    /// The container running `redis-server`.
    pub container: String,
    /// The env var holding the password (`$(VAR)` after `--requirepass`, or `REDIS_PASSWORD`).
    pub env: String,
    pub secret: SecretKey,
    /// Fingerprint of the value, when the state holds the secret.
    pub sha256: Option<String>,
}

/// For a Redis server pod template: the secret its password comes from (`--requirepass
/// $(VAR)` or the images' `REDIS_PASSWORD` convention), and that value's fingerprint when
/// the secret was read. `None` for other pods, and for passwords not taken from a secret.
pub fn redis_server_password(spec: &PodSpec, ns: &str, state: &ClusterState) -> Option<RedisServerPassword> {
    let c = spec.containers.iter().find(|c| {
        let image = c.image.as_deref().unwrap_or_default();
        image.rsplit('/').next().unwrap_or_default().starts_with("redis") && !image.contains("exporter")
    })?;
    let words: Vec<&String> = c.command.iter().flatten().chain(c.args.iter().flatten()).collect();
    let var = words
        .iter()
        .position(|w| w.as_str() == "--requirepass")
        .and_then(|i| words.get(i + 1))
        .and_then(|w| w.strip_prefix("$(").and_then(|v| v.strip_suffix(')')))
        .map(str::to_string)
        .or_else(|| c.env.iter().flatten().find(|e| e.name == "REDIS_PASSWORD").map(|e| e.name.clone()))?;
    let r = c
        .env
        .iter()
        .flatten()
        .find(|e| e.name == var)?
        .value_from
        .as_ref()?
        .secret_key_ref
        .as_ref()?;
    let sha256 = state
        .secrets
        .iter()
        .find(|s| s.namespace == ns && s.name == r.name)
        .and_then(|s| s.fingerprints.get(&r.key).cloned());
    Some(RedisServerPassword {
        container: c.name.clone(),
        env: var,
        secret: SecretKey {
            namespace: ns.to_string(),
            name: r.name.clone(),
            key: r.key.clone(),
        },
        sha256,
    })
}
