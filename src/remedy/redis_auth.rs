//! Parameters for `aiwfe fix redis-auth`: which workloads read the Redis password from the
//! Secret (and how: env key, envFrom or a volume), which carry a password inline in a Redis
//! URL, where the Redis server takes its own password from, and what the state shows of the
//! Secret (fingerprints only).

use super::{Params, in_scope, one_namespace, quoted_list, scope_text};
use crate::cluster::ClusterState;
use crate::cluster::objects::{RedisServerPassword, SecretKey, Workload, pod_templates, redis_secret_ref, redis_server_password};
use crate::redact;
use k8s_openapi::api::core::v1::{Container, KeyToPath, PodSpec};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// The Secret and key the clients read the password from, unless told otherwise.
pub use crate::cluster::objects::{REDIS_SECRET as SECRET, REDIS_SECRET_KEY as KEY};

/// What `aiwfe fix redis-auth` would work on, in one namespace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedisAuth {
    pub namespace: String,
    pub secret: String,
    pub key: String,
    /// What the state shows of the Secret.
    pub stored: SecretState,
    /// Deployments, StatefulSets and DaemonSets whose pods read the key; a rollout restart
    /// gives them a new value.
    pub consumers: Vec<Consumer>,
    /// Other owners (Jobs, bare pods, ReplicaSets without a Deployment) whose pods read it
    /// too; no rollout restarts them.
    pub others: Vec<Consumer>,
    /// Redis URLs with a password written into a container's env.
    pub inline: Vec<InlineUrl>,
    /// Redis servers whose password comes from a Secret, those in `namespace` first.
    pub servers: Vec<RedisServer>,
}

/// A workload whose pod template reads the key, and every place it does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Consumer {
    pub workload: Workload,
    pub uses: Vec<Use>,
}

/// One container's reference to the Secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Use {
    pub container: String,
    pub via: Via,
}

/// How a container references the Secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Via {
    /// `env[].valueFrom.secretKeyRef` with the key, into the variable `name`.
    Env { name: String },
    /// `envFrom[].secretRef`: every key, the key's variable named with `prefix` in front.
    EnvFrom { prefix: Option<String> },
    /// A `secret` (or `projected`) volume holding the key, mounted at `mount_path`.
    Volume { volume: String, mount_path: String },
}

/// A Redis URL with a password in a container's env. `url` has the password masked; the
/// password itself is never kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineUrl {
    pub workload: Workload,
    pub container: String,
    pub env: String,
    /// The value with `***` in place of the password.
    pub url: String,
}

/// A Redis server and where its password comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedisServer {
    pub workload: Workload,
    pub password: RedisServerPassword,
}

/// What the state shows of a Secret. The state never holds values, only fingerprints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SecretState {
    /// The state holds it: key → first 8 hex characters of the SHA-256 of the value.
    Present { fingerprints: BTreeMap<String, String> },
    /// Pods cannot start because it (or its key) does not exist: the kubelet's words.
    Missing { evidence: String },
    /// Not in the state: it was not read or not saved, so it may or may not exist.
    Unknown,
}

/// Why there is nothing to fix as asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Nothing {
    /// No workload in scope reads the key and none has a Redis URL with a password inline.
    /// `others` are the Redis password secrets the workloads in scope do read.
    NoConsumers {
        namespace: Option<String>,
        secret: String,
        key: String,
        others: Vec<(Workload, String)>,
    },
    /// The workloads are in several namespaces; a fix works on one.
    SeveralNamespaces { secret: String, namespaces: Vec<String> },
}

impl std::fmt::Display for Nothing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Nothing::NoConsumers {
                namespace,
                secret,
                key,
                others,
            } => {
                write!(
                    f,
                    "no workload references secret `{secret}` key `{key}` {}, and none has a Redis URL with a password in its env",
                    scope_text(namespace.as_deref())
                )?;
                let mut by_secret: BTreeMap<&str, Vec<String>> = BTreeMap::new();
                for (w, r) in others {
                    by_secret.entry(r).or_default().push(w.kubectl());
                }
                for (i, (r, ws)) in by_secret.iter().enumerate() {
                    let sep = if i == 0 { "; their Redis passwords come from" } else { "," };
                    write!(f, "{sep} `{r}` ({})", ws.join(", "))?;
                }
                Ok(())
            }
            Nothing::SeveralNamespaces { secret, namespaces } => write!(
                f,
                "workloads in namespaces {} use secret `{secret}` or a Redis URL with a password; a fix works on one namespace at a time",
                quoted_list(namespaces)
            ),
        }
    }
}

impl std::error::Error for Nothing {}

/// Finds what reads `secret`'s `key` (the password the clients use) in `scope` (`None`: every
/// namespace), which workloads have a Redis password inline in a URL instead, and where the
/// Redis server's own password comes from.
pub fn discover(state: &ClusterState, scope: Option<&str>, secret: &str, key: &str) -> Result<RedisAuth, Nothing> {
    let mut consumers = Vec::new();
    let mut others = Vec::new();
    let mut inline = Vec::new();
    let mut redis_refs = Vec::new();
    for (w, spec) in pod_templates(state) {
        if !in_scope(scope, &w.namespace) {
            continue;
        }
        let uses = uses(spec, secret, key);
        if !uses.is_empty() {
            let c = Consumer { workload: w.clone(), uses };
            if matches!(w.kind.as_str(), "deployment" | "statefulset" | "daemonset") {
                consumers.push(c);
            } else {
                others.push(c);
            }
        }
        for c in containers(spec) {
            inline.extend(inline_urls(c).map(|(env, url)| InlineUrl {
                workload: w.clone(),
                container: c.name.clone(),
                env,
                url,
            }));
            if let Some(r) = redis_secret_ref(c, &w.namespace) {
                redis_refs.push((w.clone(), r));
            }
        }
    }
    let namespace = match one_namespace(
        consumers
            .iter()
            .chain(&others)
            .map(|c| c.workload.namespace.as_str())
            .chain(inline.iter().map(|i| i.workload.namespace.as_str())),
    ) {
        Ok(Some(ns)) => ns,
        Ok(None) => {
            redis_refs.sort();
            redis_refs.dedup();
            return Err(Nothing::NoConsumers {
                namespace: scope.map(str::to_string),
                secret: secret.to_string(),
                key: key.to_string(),
                others: redis_refs,
            });
        }
        Err(namespaces) => {
            return Err(Nothing::SeveralNamespaces {
                secret: secret.to_string(),
                namespaces,
            });
        }
    };
    for list in [&mut consumers, &mut others] {
        list.sort_by(|a, b| a.workload.cmp(&b.workload));
    }
    inline.sort_by(|a, b| (&a.workload, &a.container, &a.env).cmp(&(&b.workload, &b.container, &b.env)));
    let mut servers: Vec<RedisServer> = pod_templates(state)
        .into_iter()
        .filter_map(|(w, spec)| {
            let password = redis_server_password(spec, &w.namespace, state)?;
            Some(RedisServer { workload: w, password })
        })
        .collect();
    servers.sort_by(|a, b| (a.workload.namespace != namespace, &a.workload).cmp(&(b.workload.namespace != namespace, &b.workload)));
    Ok(RedisAuth {
        stored: secret_state(state, &namespace, secret, key),
        namespace,
        secret: secret.to_string(),
        key: key.to_string(),
        consumers,
        others,
        inline,
        servers,
    })
}

impl RedisAuth {
    /// The playbook's parameters: `namespace`, `secret`, `key`, `consumers`
    /// (`deployment/NAME`, ...) and `inline` (`{target, container, env}`). No password.
    pub fn params(&self) -> Params {
        vec![
            ("namespace".into(), json!(self.namespace)),
            ("secret".into(), json!(self.secret)),
            ("key".into(), json!(self.key)),
            (
                "consumers".into(),
                json!(self.consumers.iter().map(|c| c.workload.kubectl()).collect::<Vec<_>>()),
            ),
            (
                "inline".into(),
                json!(
                    self.inline
                        .iter()
                        .map(|i| json!({"target": i.workload.kubectl(), "container": i.container, "env": i.env}))
                        .collect::<Vec<_>>()
                ),
            ),
        ]
    }

    /// The secret being fixed, as `namespace/name:key`.
    pub fn target(&self) -> SecretKey {
        SecretKey {
            namespace: self.namespace.clone(),
            name: self.secret.clone(),
            key: self.key.clone(),
        }
    }

    /// The Redis server the clients most likely talk to: the only one in the namespace, or,
    /// with none there, the only one in the state. `None` when there is none or it is unclear.
    pub fn server(&self) -> Option<&RedisServer> {
        let here: Vec<&RedisServer> = self.servers.iter().filter(|s| s.workload.namespace == self.namespace).collect();
        match (here.as_slice(), self.servers.as_slice()) {
            ([one], _) => Some(one),
            ([], [one]) => Some(one),
            _ => None,
        }
    }

    /// Where `--from-secret` should copy the password from: the server's secret, when it
    /// is known and is not the secret being fixed.
    pub fn from_secret(&self) -> Option<&SecretKey> {
        let s = &self.server()?.password.secret;
        (*s != self.target()).then_some(s)
    }

    /// Fingerprint of the key's value, when the state holds the Secret and the key.
    pub fn sha256(&self) -> Option<&str> {
        match &self.stored {
            SecretState::Present { fingerprints } => fingerprints.get(&self.key).map(String::as_str),
            _ => None,
        }
    }

    /// Does the key already hold the server's password? `None` when either fingerprint is
    /// unknown.
    pub fn matches_server(&self) -> Option<bool> {
        let server = self.server()?.password.sha256.as_deref()?;
        Some(self.sha256()? == server)
    }
}

fn containers(spec: &PodSpec) -> impl Iterator<Item = &Container> {
    spec.init_containers.iter().flatten().chain(spec.containers.iter())
}

/// Every place the template's containers read `secret`'s `key`.
fn uses(spec: &PodSpec, secret: &str, key: &str) -> Vec<Use> {
    let holds_key = |items: Option<&Vec<KeyToPath>>| items.is_none_or(|items| items.iter().any(|i| i.key == key));
    let volumes: Vec<&str> = spec
        .volumes
        .iter()
        .flatten()
        .filter(|v| {
            let plain = v
                .secret
                .as_ref()
                .is_some_and(|s| s.secret_name.as_deref() == Some(secret) && holds_key(s.items.as_ref()));
            let projected = v.projected.as_ref().is_some_and(|p| {
                p.sources
                    .iter()
                    .flatten()
                    .filter_map(|s| s.secret.as_ref())
                    .any(|s| s.name == secret && holds_key(s.items.as_ref()))
            });
            plain || projected
        })
        .map(|v| v.name.as_str())
        .collect();
    let mut out = Vec::new();
    for c in containers(spec) {
        let mut add = |via| {
            out.push(Use {
                container: c.name.clone(),
                via,
            })
        };
        for e in c.env.iter().flatten() {
            if let Some(r) = e.value_from.as_ref().and_then(|v| v.secret_key_ref.as_ref())
                && r.name == secret
                && r.key == key
            {
                add(Via::Env { name: e.name.clone() });
            }
        }
        for e in c.env_from.iter().flatten() {
            if e.secret_ref.as_ref().is_some_and(|r| r.name == secret) {
                add(Via::EnvFrom { prefix: e.prefix.clone() });
            }
        }
        for m in c.volume_mounts.iter().flatten() {
            if volumes.contains(&m.name.as_str()) {
                add(Via::Volume {
                    volume: m.name.clone(),
                    mount_path: m.mount_path.clone(),
                });
            }
        }
    }
    out
}

/// `(env var, masked URL)` for each Redis URL with a password in the container's env
/// values: `REDIS_URL`, `*_REDIS_URL`, or any `redis://`/`rediss://` value.
fn inline_urls(c: &Container) -> impl Iterator<Item = (String, String)> + '_ {
    c.env.iter().flatten().filter_map(|e| {
        let value = e.value.as_deref()?;
        let n = e.name.to_ascii_uppercase();
        let v = value.trim_start().to_ascii_lowercase();
        let redis = n == "REDIS_URL" || n.ends_with("_REDIS_URL") || v.starts_with("redis://") || v.starts_with("rediss://");
        (redis && redact::has_url_password(value)).then(|| (e.name.clone(), redact::scrub_urls(value)))
    })
}

/// The Secret as the state shows it: its fingerprints, or the kubelet saying that pods in
/// `ns` cannot start without it (or without its key).
fn secret_state(state: &ClusterState, ns: &str, secret: &str, key: &str) -> SecretState {
    if let Some(s) = state.secrets.iter().find(|s| s.namespace == ns && s.name == secret) {
        return SecretState::Present {
            fingerprints: s.fingerprints.clone(),
        };
    }
    let not_found = format!("secret \"{secret}\" not found");
    let no_key = format!("couldn't find key {key} in Secret {ns}/{secret}");
    state
        .pods
        .iter()
        .filter(|p| p.metadata.namespace.as_deref() == Some(ns))
        .filter_map(|p| p.status.as_ref())
        .flat_map(|s| {
            s.init_container_statuses
                .iter()
                .flatten()
                .chain(s.container_statuses.iter().flatten())
        })
        .filter_map(|c| c.state.as_ref()?.waiting.as_ref()?.message.as_deref())
        .find(|m| m.contains(&not_found) || m.contains(&no_key))
        .map(|m| SecretState::Missing { evidence: m.to_string() })
        .unwrap_or(SecretState::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn incident() -> ClusterState {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml");
        crate::cluster::load_snapshot(&path).unwrap()
    }

    fn state(objects: Vec<Value>) -> ClusterState {
        let mut s = ClusterState::default();
        for o in objects {
            s.add_object(o).unwrap();
        }
        s.normalize();
        s
    }

    fn deployment(ns: &str, name: &str, spec: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns},
            "spec": {"selector": {"matchLabels": {"app": name}}, "template": {"metadata": {"labels": {"app": name}}, "spec": spec}}})
    }

    fn redis_server(ns: &str, secret: &str) -> Value {
        deployment(
            ns,
            "redis",
            json!({"containers": [{"name": "redis", "image": "redis:7.2-alpine", "args": ["redis-server", "--requirepass", "$(REDIS_PASSWORD)"],
                "env": [{"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": secret, "key": "password"}}}]}]}),
        )
    }

    fn names(r: &RedisAuth) -> Vec<String> {
        r.consumers.iter().map(|c| c.workload.kubectl()).collect()
    }

    #[test]
    fn the_incident_has_one_consumer_and_a_server_secret_to_copy_from() {
        let r = discover(&incident(), Some("aiwfe"), SECRET, KEY).unwrap();
        assert_eq!(names(&r), ["deployment/reasoning-service"]);
        assert_eq!(
            r.consumers[0].uses,
            [Use {
                container: "reasoning".into(),
                via: Via::Env {
                    name: "REDIS_PASSWORD".into()
                }
            }]
        );
        assert!(r.inline.is_empty() && r.others.is_empty(), "{r:?}");
        assert_eq!(r.sha256(), Some("96c7284c"));
        let server = r.server().unwrap();
        assert_eq!(server.workload.subject(), "aiwfe/deployment/redis");
        assert_eq!(server.password.env, "REDIS_PASSWORD");
        assert_eq!(server.password.sha256.as_deref(), Some("70042a74"));
        assert_eq!(
            r.from_secret().map(|s| s.to_string()).as_deref(),
            Some("aiwfe/redis-server-auth:password")
        );
        assert_eq!(r.matches_server(), Some(false));
        // All namespaces find the same.
        assert_eq!(discover(&incident(), None, SECRET, KEY).unwrap(), r);
        assert_eq!(
            serde_json::to_value(r.params()).unwrap(),
            json!([
                ["namespace", "aiwfe"],
                ["secret", "redis-auth"],
                ["key", "password"],
                ["consumers", ["deployment/reasoning-service"]],
                ["inline", []]
            ])
        );
    }

    #[test]
    fn the_servers_own_secret_has_the_gateway_and_the_api_as_consumers() {
        let r = discover(&incident(), Some("aiwfe"), "redis-server-auth", "password").unwrap();
        assert_eq!(
            names(&r),
            ["deployment/api-service", "deployment/redis", "deployment/websocket-gateway"]
        );
        // Copying a secret onto itself is no fix.
        assert_eq!(r.from_secret(), None);
        assert_eq!(r.matches_server(), Some(true));
    }

    #[test]
    fn nothing_to_fix_names_the_scope_and_the_secrets_in_use() {
        let e = discover(&incident(), Some("elsewhere"), SECRET, KEY).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no workload references secret `redis-auth` key `password` in namespace `elsewhere`, and none has a Redis URL with a password in its env"
        );
        let e = discover(&incident(), Some("aiwfe"), "redis-auth", "redis-password").unwrap_err();
        assert_eq!(
            e.to_string(),
            "no workload references secret `redis-auth` key `redis-password` in namespace `aiwfe`, and none has a Redis URL with a password in its env; \
             their Redis passwords come from `aiwfe/redis-auth:password` (deployment/reasoning-service), \
             `aiwfe/redis-server-auth:password` (deployment/api-service, deployment/redis, deployment/websocket-gateway)"
        );
    }

    #[test]
    fn env_from_volumes_and_statefulset_pods_are_consumers_too() {
        let s = state(vec![
            deployment(
                "app",
                "worker",
                json!({"containers": [{"name": "w", "image": "w", "envFrom": [{"secretRef": {"name": "redis-auth"}, "prefix": "CACHE_"}]}]}),
            ),
            deployment(
                "app",
                "files",
                json!({"containers": [{"name": "f", "image": "f", "volumeMounts": [{"name": "creds", "mountPath": "/run/redis"}]},
                                      {"name": "sidecar", "image": "s"}],
                       "volumes": [{"name": "creds", "secret": {"secretName": "redis-auth"}}]}),
            ),
            // A volume that projects only other keys does not hold the password.
            deployment(
                "app",
                "other-key",
                json!({"containers": [{"name": "o", "image": "o", "volumeMounts": [{"name": "v", "mountPath": "/v"}]}],
                       "volumes": [{"name": "v", "secret": {"secretName": "redis-auth", "items": [{"key": "username", "path": "u"}]}}]}),
            ),
            deployment(
                "app",
                "projected",
                json!({"containers": [{"name": "p", "image": "p", "volumeMounts": [{"name": "all", "mountPath": "/etc/all"}]}],
                       "volumes": [{"name": "all", "projected": {"sources": [{"secret": {"name": "redis-auth", "items": [{"key": "password", "path": "pw"}]}}]}}]}),
            ),
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "queue-0", "namespace": "app",
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "queue", "uid": "u", "controller": true}]},
                "spec": {"containers": [{"name": "q", "image": "q",
                    "env": [{"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}}]}]}}),
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "migrate-x1", "namespace": "app",
                    "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "migrate", "uid": "j", "controller": true}]},
                "spec": {"containers": [{"name": "m", "image": "m",
                    "env": [{"name": "PW", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}}]}]}}),
        ]);
        let r = discover(&s, None, SECRET, KEY).unwrap();
        assert_eq!(r.namespace, "app");
        assert_eq!(
            names(&r),
            ["deployment/files", "deployment/projected", "deployment/worker", "statefulset/queue"]
        );
        let uses: Vec<&Use> = r.consumers.iter().flat_map(|c| &c.uses).collect();
        assert_eq!(
            uses,
            [
                &Use {
                    container: "f".into(),
                    via: Via::Volume {
                        volume: "creds".into(),
                        mount_path: "/run/redis".into()
                    }
                },
                &Use {
                    container: "p".into(),
                    via: Via::Volume {
                        volume: "all".into(),
                        mount_path: "/etc/all".into()
                    }
                },
                &Use {
                    container: "w".into(),
                    via: Via::EnvFrom {
                        prefix: Some("CACHE_".into())
                    }
                },
                &Use {
                    container: "q".into(),
                    via: Via::Env {
                        name: "REDIS_PASSWORD".into()
                    }
                },
            ]
        );
        assert_eq!(r.others.iter().map(|c| c.workload.kubectl()).collect::<Vec<_>>(), ["job/migrate"]);
        // Nothing in the state shows the secret, and no Redis server.
        assert_eq!(r.stored, SecretState::Unknown);
        assert_eq!((r.server(), r.from_secret(), r.matches_server()), (None, None, None));
    }

    #[test]
    fn inline_urls_are_found_with_their_password_masked_everywhere() {
        let s = state(vec![
            deployment(
                "aiwfe",
                "api-gateway",
                json!({"containers": [{"name": "gateway", "image": "g", "env": [
                    {"name": "REDIS_URL", "value": "redis://:Hunter2-Redis@redis.aiwfe.svc:6379/0"},
                    {"name": "CELERY_BROKER_URL", "value": "rediss://app:Broker-Pass-9@redis.aiwfe.svc:6380/1"},
                    {"name": "CACHE_REDIS_URL", "value": "redis://redis.aiwfe.svc:6379/2"},
                    {"name": "DATABASE_URL", "value": "postgres://app:Pg-Pass@db/app"}]}]}),
            ),
            redis_server("aiwfe", "redis-server-auth"),
        ]);
        let r = discover(&s, Some("aiwfe"), SECRET, KEY).unwrap();
        assert!(r.consumers.is_empty());
        let got: Vec<(&str, &str, &str)> = r
            .inline
            .iter()
            .map(|i| (i.container.as_str(), i.env.as_str(), i.url.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("gateway", "CELERY_BROKER_URL", "rediss://app:***@redis.aiwfe.svc:6380/1"),
                ("gateway", "REDIS_URL", "redis://:***@redis.aiwfe.svc:6379/0"),
            ]
        );
        assert_eq!(
            serde_json::to_value(r.params()).unwrap()[4],
            json!(["inline", [
                {"target": "deployment/api-gateway", "container": "gateway", "env": "CELERY_BROKER_URL"},
                {"target": "deployment/api-gateway", "container": "gateway", "env": "REDIS_URL"}]])
        );
        assert_eq!(
            r.from_secret().map(|s| s.to_string()).as_deref(),
            Some("aiwfe/redis-server-auth:password")
        );
        let all = format!(
            "{r:?}{}{}",
            serde_json::to_string(&r).unwrap(),
            serde_json::to_string(&r.params()).unwrap()
        );
        for pw in ["Hunter2-Redis", "Broker-Pass-9", "Pg-Pass"] {
            assert!(!all.contains(pw), "{pw} leaked: {all}");
        }
    }

    #[test]
    fn consumers_in_two_namespaces_need_a_scope() {
        let reads = |ns| {
            deployment(
                ns,
                "app",
                json!({"containers": [{"name": "a", "image": "a",
                    "env": [{"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}}]}]}),
            )
        };
        let s = state(vec![
            reads("blue"),
            reads("green"),
            redis_server("green", "redis-server-auth"),
            redis_server("blue", "blue-redis"),
        ]);
        let e = discover(&s, None, SECRET, KEY).unwrap_err();
        assert_eq!(
            e,
            Nothing::SeveralNamespaces {
                secret: "redis-auth".into(),
                namespaces: vec!["blue".into(), "green".into()]
            }
        );
        assert!(e.to_string().contains("namespaces `blue`, `green`"), "{e}");
        // With a scope, the server in that namespace is the one to copy from.
        let r = discover(&s, Some("green"), SECRET, KEY).unwrap();
        assert_eq!(names(&r), ["deployment/app"]);
        assert_eq!(r.servers.len(), 2);
        assert_eq!(
            r.from_secret().map(|s| s.to_string()).as_deref(),
            Some("green/redis-server-auth:password")
        );
    }

    #[test]
    fn a_server_elsewhere_is_used_only_when_it_is_the_only_one() {
        let app = deployment(
            "app",
            "api",
            json!({"containers": [{"name": "a", "image": "a",
                "env": [{"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}}]}]}),
        );
        let one = state(vec![app.clone(), redis_server("data", "redis-server-auth")]);
        let r = discover(&one, Some("app"), SECRET, KEY).unwrap();
        assert_eq!(
            r.from_secret().map(|s| s.to_string()).as_deref(),
            Some("data/redis-server-auth:password")
        );
        let two = state(vec![app, redis_server("data", "a"), redis_server("cache", "b")]);
        let r = discover(&two, Some("app"), SECRET, KEY).unwrap();
        assert_eq!((r.servers.len(), r.server()), (2, None));
    }

    #[test]
    fn the_kubelet_says_when_the_secret_is_missing() {
        let s = state(vec![
            deployment(
                "app",
                "api",
                json!({"containers": [{"name": "a", "image": "a",
                    "env": [{"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}}]}]}),
            ),
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "api-5d4c-x", "namespace": "app", "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "api-5d4c", "uid": "r", "controller": true}]},
                "spec": {"containers": [{"name": "a", "image": "a"}]},
                "status": {"phase": "Pending", "containerStatuses": [{"name": "a", "image": "a", "imageID": "", "ready": false, "restartCount": 0,
                    "state": {"waiting": {"reason": "CreateContainerConfigError", "message": "secret \"redis-auth\" not found"}}}]}}),
        ]);
        let r = discover(&s, Some("app"), SECRET, KEY).unwrap();
        assert_eq!(
            r.stored,
            SecretState::Missing {
                evidence: "secret \"redis-auth\" not found".into()
            }
        );
        assert_eq!(r.sha256(), None);
        assert_eq!(
            serde_json::to_value(&r.stored).unwrap(),
            json!({"kind": "missing", "evidence": "secret \"redis-auth\" not found"})
        );
    }
}
