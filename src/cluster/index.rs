//! Lookups by namespace and name over a `ClusterState`'s lists, built once on first use, so the
//! checks stay linear in the number of pods: which Deployment owns a ReplicaSet, which
//! Deployments exist, a pod's metrics, the scheduler's latest message about a pod, a
//! Deployment's HPA.
//!
//! The index is built from the state as it is when first asked; the state's own methods
//! that change its lists (`merge`, `normalize`, `retain_namespace`, adding objects) drop it.

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::Event;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::HashMap;

fn name(m: &ObjectMeta) -> &str {
    m.name.as_deref().unwrap_or("?")
}

fn namespace(m: &ObjectMeta) -> &str {
    m.namespace.as_deref().unwrap_or("default")
}

/// namespace → name → value.
type ByName<V> = HashMap<String, HashMap<String, V>>;

fn get<'a, V>(m: &'a ByName<V>, ns: &str, n: &str) -> Option<&'a V> {
    m.get(ns)?.get(n)
}

fn put<V>(m: &mut ByName<V>, ns: &str, n: &str, v: V) {
    m.entry(ns.to_string()).or_default().insert(n.to_string(), v);
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    /// ReplicaSet → the Deployment that owns it (`None`: no Deployment owner).
    replica_sets: ByName<Option<String>>,
    deployments: ByName<()>,
    /// Pod → position in `pod_metrics`.
    pod_metrics: ByName<usize>,
    /// Pod → position in `events` of its latest `FailedScheduling` event.
    failed_scheduling: ByName<usize>,
    /// Deployment → position in `hpas` of the first HPA that scales it.
    hpas: ByName<usize>,
}

/// When an event last happened, as text that sorts by time.
pub fn event_time(e: &Event) -> String {
    e.last_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
        .or_else(|| e.event_time.as_ref().map(|t| t.0.to_string()))
        .or_else(|| e.first_timestamp.as_ref().map(|t| t.0.to_string()))
        .unwrap_or_default()
}

impl Index {
    /// `pod_metrics`: the metadata of each PodMetrics, in order.
    pub fn build<'m>(
        replica_sets: &[ReplicaSet],
        deployments: &[Deployment],
        pod_metrics: impl Iterator<Item = &'m ObjectMeta>,
        events: &[Event],
        hpas: &[HorizontalPodAutoscaler],
    ) -> Index {
        let mut ix = Index::default();
        for rs in replica_sets {
            let owner = rs
                .metadata
                .owner_references
                .as_ref()
                .and_then(|refs| refs.iter().find(|r| r.kind == "Deployment"))
                .map(|r| r.name.clone());
            let m = ix.replica_sets.entry(namespace(&rs.metadata).to_string()).or_default();
            // The first one listed wins, as a scan in list order would find it.
            m.entry(name(&rs.metadata).to_string()).or_insert(owner);
        }
        for d in deployments {
            put(&mut ix.deployments, namespace(&d.metadata), name(&d.metadata), ());
        }
        for (i, m) in pod_metrics.enumerate() {
            let by_ns = ix.pod_metrics.entry(namespace(m).to_string()).or_default();
            by_ns.entry(name(m).to_string()).or_insert(i);
        }
        let mut latest: ByName<(String, usize)> = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            if e.reason.as_deref() != Some("FailedScheduling") {
                continue;
            }
            let Some(pod) = e.involved_object.name.as_deref() else { continue };
            let ns = e.involved_object.namespace.as_deref().unwrap_or_else(|| namespace(&e.metadata));
            let t = event_time(e);
            let slot = latest.entry(ns.to_string()).or_default().entry(pod.to_string());
            // The latest wins; among equal times the last listed, as `max_by_key` does.
            slot.and_modify(|cur| {
                if t >= cur.0 {
                    *cur = (t.clone(), i);
                }
            })
            .or_insert((t, i));
        }
        for (ns, pods) in latest {
            for (pod, (_, i)) in pods {
                put(&mut ix.failed_scheduling, &ns, &pod, i);
            }
        }
        for (i, h) in hpas.iter().enumerate() {
            let Some(s) = &h.spec else { continue };
            if s.scale_target_ref.kind == "Deployment" {
                let by_ns = ix.hpas.entry(namespace(&h.metadata).to_string()).or_default();
                by_ns.entry(s.scale_target_ref.name.clone()).or_insert(i);
            }
        }
        ix
    }

    /// `Some(Some(d))`: the ReplicaSet is known and Deployment `d` owns it; `Some(None)`:
    /// known, no Deployment owns it; `None`: not in the state.
    pub fn replica_set_owner(&self, ns: &str, rs: &str) -> Option<Option<&str>> {
        get(&self.replica_sets, ns, rs).map(|o| o.as_deref())
    }

    pub fn has_deployment(&self, ns: &str, n: &str) -> bool {
        get(&self.deployments, ns, n).is_some()
    }

    /// Position of a pod's metrics in the state's `pod_metrics`.
    pub fn pod_metrics(&self, ns: &str, pod: &str) -> Option<usize> {
        get(&self.pod_metrics, ns, pod).copied()
    }

    /// Position in the state's `events` of the latest `FailedScheduling` event of a pod.
    pub fn failed_scheduling(&self, ns: &str, pod: &str) -> Option<usize> {
        get(&self.failed_scheduling, ns, pod).copied()
    }

    /// Position in the state's `hpas` of the first HPA that scales a Deployment.
    pub fn hpa(&self, ns: &str, deployment: &str) -> Option<usize> {
        get(&self.hpas, ns, deployment).copied()
    }
}
