//! Writes for the playbook engine: get, JSON Patch (optionally as a server-side dry run),
//! create, delete, list by label, and following a rollout the way `kubectl rollout status`
//! does. Every call has a deadline (kube's client has none of its own), and a refusal keeps
//! the API server's own words.

use super::live::{LiveTarget, client};
use futures::StreamExt;
use kube::api::{Api, DeleteParams, DynamicObject, ListParams, Patch, PatchParams, PostParams, Preconditions};
use kube::core::{ApiResource, GroupVersionKind};
use kube::runtime::watcher;
use serde_json::Value;
use std::future::Future;
use std::time::Duration;

/// A resource type a playbook writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    pub group: &'static str,
    pub version: &'static str,
    pub kind: &'static str,
    pub plural: &'static str,
}

pub const DEPLOYMENT: Resource = Resource {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    plural: "deployments",
};
pub const STATEFULSET: Resource = Resource {
    group: "apps",
    version: "v1",
    kind: "StatefulSet",
    plural: "statefulsets",
};
pub const DAEMONSET: Resource = Resource {
    group: "apps",
    version: "v1",
    kind: "DaemonSet",
    plural: "daemonsets",
};
pub const SECRET: Resource = Resource {
    group: "",
    version: "v1",
    kind: "Secret",
    plural: "secrets",
};
pub const HPA: Resource = Resource {
    group: "autoscaling",
    version: "v2",
    kind: "HorizontalPodAutoscaler",
    plural: "horizontalpodautoscalers",
};

impl Resource {
    pub const ALL: [Resource; 5] = [DEPLOYMENT, STATEFULSET, DAEMONSET, SECRET, HPA];

    /// The resource whose `kind` this is (`Deployment`, ...).
    pub fn by_kind(kind: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.kind == kind)
    }

    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.to_string()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    fn api_resource(&self) -> ApiResource {
        ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(self.group, self.version, self.kind), self.plural)
    }
}

/// Why a write (or the read before it) did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// No kubeconfig, a broken one, or no in-cluster service account.
    #[error("cannot set up a Kubernetes client: {0}")]
    Client(String),
    /// 409: someone changed the object since it was read (or it already exists).
    #[error("{message}")]
    Conflict { message: String },
    /// The API server (validation, admission, RBAC) said no, in its own words.
    #[error("{message} ({code} {reason})")]
    Rejected { code: u16, reason: String, message: String },
    /// No answer, a broken connection, or a reply that is not the API's.
    #[error("{0}")]
    Transport(String),
    #[error("no answer from the Kubernetes API within {0:?}")]
    Timeout(Duration),
}

impl WriteError {
    fn from_kube(e: kube::Error) -> WriteError {
        match e {
            kube::Error::Api(s) if s.code == 409 => WriteError::Conflict { message: s.message },
            kube::Error::Api(s) => WriteError::Rejected {
                code: s.code,
                reason: s.reason,
                message: s.message,
            },
            other => WriteError::Transport(other.to_string()),
        }
    }
}

/// A client for writes, with the namespace its context defaults to.
pub struct Writer {
    client: kube::Client,
    pub default_namespace: String,
    timeout: Duration,
}

impl Writer {
    /// Connects to the cluster `t` names; every call then has `timeout`.
    pub async fn connect(t: &LiveTarget, timeout: Duration) -> Result<Writer, WriteError> {
        let (client, default_namespace) = client(t, timeout).await.map_err(WriteError::Client)?;
        Ok(Writer {
            client,
            default_namespace,
            timeout,
        })
    }

    fn api(&self, r: &Resource, ns: &str) -> Api<DynamicObject> {
        Api::namespaced_with(self.client.clone(), ns, &r.api_resource())
    }

    async fn call<T>(&self, f: impl Future<Output = Result<T, kube::Error>>) -> Result<T, WriteError> {
        match tokio::time::timeout(self.timeout, f).await {
            Ok(r) => r.map_err(WriteError::from_kube),
            Err(_) => Err(WriteError::Timeout(self.timeout)),
        }
    }

    /// The object, or `None` when it does not exist.
    pub async fn get(&self, r: &Resource, ns: &str, name: &str) -> Result<Option<Value>, WriteError> {
        let o = self.call(self.api(r, ns).get_opt(name)).await?;
        Ok(o.map(|o| to_value(&o)))
    }

    /// Applies a JSON Patch (RFC 6902); `dry_run` asks the server to validate and admit it
    /// without storing anything (`dryRun=All`). Returns the object as the server has it.
    pub async fn patch(&self, r: &Resource, ns: &str, name: &str, patch: &json_patch::Patch, dry_run: bool) -> Result<Value, WriteError> {
        let pp = PatchParams {
            dry_run,
            ..Default::default()
        };
        let o = self
            .call(self.api(r, ns).patch(name, &pp, &Patch::<()>::Json(patch.clone())))
            .await?;
        Ok(to_value(&o))
    }

    /// Creates `obj` in `ns`.
    pub async fn create(&self, r: &Resource, ns: &str, obj: &Value, dry_run: bool) -> Result<Value, WriteError> {
        let o: DynamicObject = serde_json::from_value(obj.clone()).map_err(|e| WriteError::Transport(e.to_string()))?;
        let pp = PostParams {
            dry_run,
            ..Default::default()
        };
        let o = self.call(self.api(r, ns).create(&pp, &o)).await?;
        Ok(to_value(&o))
    }

    /// Deletes the object, only if it is still at `resource_version` when one is given.
    pub async fn delete(
        &self,
        r: &Resource,
        ns: &str,
        name: &str,
        resource_version: Option<&str>,
        dry_run: bool,
    ) -> Result<(), WriteError> {
        let dp = DeleteParams {
            dry_run,
            preconditions: resource_version.map(|rv| Preconditions {
                resource_version: Some(rv.to_string()),
                uid: None,
            }),
            ..Default::default()
        };
        self.call(self.api(r, ns).delete(name, &dp)).await?;
        Ok(())
    }

    /// The objects in `ns` (every namespace when empty) carrying `labels` (`a=b,c=d`).
    pub async fn list(&self, r: &Resource, ns: &str, labels: &str) -> Result<Vec<Value>, WriteError> {
        let api: Api<DynamicObject> = if ns.is_empty() {
            Api::all_with(self.client.clone(), &r.api_resource())
        } else {
            self.api(r, ns)
        };
        let list = self.call(api.list(&ListParams::default().labels(labels))).await?;
        Ok(list.items.iter().map(to_value).collect())
    }

    /// One reading of the pods' usage (metrics.k8s.io) in `ns`; `Ok(None)` when the cluster
    /// has no metrics API.
    pub async fn pod_metrics(&self, ns: &str) -> Result<Option<Vec<super::PodMetrics>>, WriteError> {
        match tokio::time::timeout(self.timeout, super::live::pod_metrics(&self.client, Some(ns))).await {
            Ok(Ok(m)) => Ok(m),
            Ok(Err(p)) => Err(WriteError::Rejected {
                code: p.status.unwrap_or(0),
                reason: String::new(),
                message: p.message,
            }),
            Err(_) => Err(WriteError::Timeout(self.timeout)),
        }
    }

    /// Watches the workload until its rollout completes or fails, or `timeout` passes;
    /// `on_status` hears every change. `kubectl rollout status` semantics (see `rollout`).
    pub async fn follow_rollout(
        &self,
        r: &Resource,
        ns: &str,
        name: &str,
        timeout: Duration,
        on_status: &mut (dyn FnMut(&Rollout) + Send),
    ) -> Result<Rollout, WriteError> {
        let cfg = watcher::Config::default().fields(&format!("metadata.name={name}"));
        let stream = watcher(self.api(r, ns), cfg);
        let follow = async {
            let mut stream = std::pin::pin!(stream);
            let mut last: Option<Rollout> = None;
            while let Some(ev) = stream.next().await {
                let obj = match ev {
                    Ok(watcher::Event::Apply(o)) | Ok(watcher::Event::InitApply(o)) => o,
                    Ok(watcher::Event::Delete(_)) => {
                        return Err(WriteError::Rejected {
                            code: 404,
                            reason: "NotFound".into(),
                            message: format!("{} `{name}` was deleted during its rollout", r.kind.to_lowercase()),
                        });
                    }
                    Ok(_) => continue,
                    Err(watcher::Error::WatchError(s)) | Err(watcher::Error::InitialListFailed(kube::Error::Api(s))) if s.code == 403 => {
                        return Err(WriteError::Rejected {
                            code: s.code,
                            reason: s.reason.clone(),
                            message: s.message.clone(),
                        });
                    }
                    // The watcher retries on its own; the deadline bounds it.
                    Err(_) => continue,
                };
                let status = rollout(r, &to_value(&obj));
                if last.as_ref() != Some(&status) {
                    on_status(&status);
                }
                if status.state != RolloutState::Progressing {
                    return Ok(status);
                }
                last = Some(status);
            }
            Err(WriteError::Transport("the watch ended".into()))
        };
        match tokio::time::timeout(timeout, follow).await {
            Ok(r) => r,
            Err(_) => Err(WriteError::Timeout(timeout)),
        }
    }
}

fn to_value(o: &DynamicObject) -> Value {
    serde_json::to_value(o).unwrap_or(Value::Null)
}

/// Where a rollout stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RolloutState {
    Progressing,
    Complete,
    /// The Deployment's `Progressing` condition says `ProgressDeadlineExceeded`.
    DeadlineExceeded,
}

/// A workload's rollout, read from its status as `kubectl rollout status` reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollout {
    pub state: RolloutState,
    /// Replicas wanted, and how many run the new template, are ready, are available.
    pub desired: i64,
    pub updated: i64,
    pub ready: i64,
    pub available: i64,
    /// What kubectl would print, e.g. `Waiting for deployment "x" rollout to finish: 1 out
    /// of 3 new replicas have been updated...`.
    pub message: String,
}

/// The rollout state of a Deployment, StatefulSet or DaemonSet, following kubectl's
/// `rollout status` (it checks `observedGeneration` first, which kube's own
/// `is_deployment_completed` does not).
pub fn rollout(r: &Resource, obj: &Value) -> Rollout {
    let int = |v: &Value| v.as_i64().unwrap_or(0);
    let name = obj["metadata"]["name"].as_str().unwrap_or_default();
    let generation = int(&obj["metadata"]["generation"]);
    let st = &obj["status"];
    let observed = int(&st["observedGeneration"]);
    let mut out = Rollout {
        state: RolloutState::Progressing,
        desired: obj["spec"]["replicas"].as_i64().unwrap_or(1),
        updated: int(&st["updatedReplicas"]),
        ready: int(&st["readyReplicas"]),
        available: int(&st["availableReplicas"]),
        message: String::new(),
    };
    let done = |mut o: Rollout, message: String| {
        o.state = RolloutState::Complete;
        o.message = message;
        o
    };
    match r.kind {
        "StatefulSet" => {
            if obj["spec"]["updateStrategy"]["type"].as_str().is_some_and(|t| t != "RollingUpdate") {
                return done(out, "rollout status is only available for RollingUpdate strategy type".into());
            }
            if observed == 0 || generation > observed {
                out.message = "Waiting for statefulset spec update to be observed...".into();
            } else if out.ready < out.desired {
                out.message = format!("Waiting for {} pods to be ready...", out.desired - out.ready);
            } else if let Some(p) = obj["spec"]["updateStrategy"]["rollingUpdate"]["partition"].as_i64()
                && out.updated < out.desired - p
            {
                out.message = format!(
                    "Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...",
                    out.updated,
                    out.desired - p
                );
            } else if st["updateRevision"] != st["currentRevision"] {
                out.message = format!(
                    "waiting for statefulset rolling update to complete {} pods at revision {}...",
                    out.updated,
                    st["updateRevision"].as_str().unwrap_or_default()
                );
            } else {
                let m = format!(
                    "statefulset rolling update complete {} pods at revision {}...",
                    int(&st["currentReplicas"]),
                    st["currentRevision"].as_str().unwrap_or_default()
                );
                return done(out, m);
            }
        }
        "DaemonSet" => {
            out.desired = int(&st["desiredNumberScheduled"]);
            out.updated = int(&st["updatedNumberScheduled"]);
            out.ready = int(&st["numberReady"]);
            out.available = int(&st["numberAvailable"]);
            if generation > observed {
                out.message = "Waiting for daemon set spec update to be observed...".into();
            } else if out.updated < out.desired {
                out.message = format!(
                    "Waiting for daemon set {name:?} rollout to finish: {} out of {} new pods have been updated...",
                    out.updated, out.desired
                );
            } else if out.available < out.desired {
                out.message = format!(
                    "Waiting for daemon set {name:?} rollout to finish: {} of {} updated pods are available...",
                    out.available, out.desired
                );
            } else {
                return done(out, format!("daemon set {name:?} successfully rolled out"));
            }
        }
        _ => {
            if generation > observed {
                out.message = "Waiting for deployment spec update to be observed...".into();
                return out;
            }
            let timed_out = st["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "Progressing" && c["reason"] == "ProgressDeadlineExceeded");
            let replicas = int(&st["replicas"]);
            if timed_out {
                out.state = RolloutState::DeadlineExceeded;
                out.message = format!("deployment {name:?} exceeded its progress deadline");
            } else if out.updated < out.desired {
                out.message = format!(
                    "Waiting for deployment {name:?} rollout to finish: {} out of {} new replicas have been updated...",
                    out.updated, out.desired
                );
            } else if replicas > out.updated {
                out.message = format!(
                    "Waiting for deployment {name:?} rollout to finish: {} old replicas are pending termination...",
                    replicas - out.updated
                );
            } else if out.available < out.updated {
                out.message = format!(
                    "Waiting for deployment {name:?} rollout to finish: {} of {} updated replicas are available...",
                    out.available, out.updated
                );
            } else {
                return done(out, format!("deployment {name:?} successfully rolled out"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(generation: i64, status: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "reasoning-service", "generation": generation},
               "spec": {"replicas": 3}, "status": status})
    }

    #[test]
    fn a_deployment_rollout_reads_as_kubectl_reads_it() {
        let r = |g, s| rollout(&DEPLOYMENT, &deployment(g, s));
        // The new spec is not observed yet: whatever the counts say, keep waiting.
        let w = r(
            5,
            json!({"observedGeneration": 4, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 3}),
        );
        assert_eq!(
            (w.state, w.message.as_str()),
            (RolloutState::Progressing, "Waiting for deployment spec update to be observed...")
        );
        let w = r(
            5,
            json!({"observedGeneration": 5, "replicas": 4, "updatedReplicas": 1, "availableReplicas": 3}),
        );
        assert_eq!(
            w.message,
            "Waiting for deployment \"reasoning-service\" rollout to finish: 1 out of 3 new replicas have been updated..."
        );
        let w = r(
            5,
            json!({"observedGeneration": 5, "replicas": 4, "updatedReplicas": 3, "availableReplicas": 3}),
        );
        assert_eq!(
            w.message,
            "Waiting for deployment \"reasoning-service\" rollout to finish: 1 old replicas are pending termination..."
        );
        let w = r(
            5,
            json!({"observedGeneration": 5, "replicas": 3, "updatedReplicas": 3, "availableReplicas": 2}),
        );
        assert_eq!(
            w.message,
            "Waiting for deployment \"reasoning-service\" rollout to finish: 2 of 3 updated replicas are available..."
        );
        let d = r(
            5,
            json!({"observedGeneration": 5, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3, "availableReplicas": 3}),
        );
        assert_eq!(
            (d.state, d.message.as_str()),
            (RolloutState::Complete, "deployment \"reasoning-service\" successfully rolled out")
        );
        let t = r(
            5,
            json!({"observedGeneration": 5, "replicas": 3, "updatedReplicas": 1, "availableReplicas": 2, "conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded",
                 "message": "ReplicaSet \"reasoning-service-5d9c7b8f6\" has timed out progressing."}]}),
        );
        assert_eq!(
            (t.state, t.message.as_str()),
            (
                RolloutState::DeadlineExceeded,
                "deployment \"reasoning-service\" exceeded its progress deadline"
            )
        );
    }

    #[test]
    fn statefulset_and_daemonset_rollouts() {
        let sts = json!({"kind": "StatefulSet", "metadata": {"name": "redis", "generation": 2}, "spec": {"replicas": 3},
                         "status": {"observedGeneration": 2, "readyReplicas": 3, "updatedReplicas": 3, "currentReplicas": 3,
                                    "currentRevision": "redis-7f", "updateRevision": "redis-8a"}});
        assert_eq!(rollout(&STATEFULSET, &sts).state, RolloutState::Progressing);
        let mut done = sts.clone();
        done["status"]["currentRevision"] = json!("redis-8a");
        let d = rollout(&STATEFULSET, &done);
        assert_eq!(
            (d.state, d.message.as_str()),
            (
                RolloutState::Complete,
                "statefulset rolling update complete 3 pods at revision redis-8a..."
            )
        );
        let ds = json!({"kind": "DaemonSet", "metadata": {"name": "node-exporter", "generation": 1},
                        "status": {"observedGeneration": 1, "desiredNumberScheduled": 3, "updatedNumberScheduled": 3, "numberAvailable": 2}});
        assert_eq!(
            rollout(&DAEMONSET, &ds).message,
            "Waiting for daemon set \"node-exporter\" rollout to finish: 2 of 3 updated pods are available..."
        );
    }
}
