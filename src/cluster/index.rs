//! Lookups by namespace and name over a `ClusterState`, built once on first use, so the
//! checks stay linear in the number of pods: which Deployment owns a ReplicaSet, which
//! Deployments exist, a pod's metrics, the scheduler's latest message about a pod, a
//! Deployment's HPA.
//!
//! The index is built from the state as it is when first asked; the state's own methods
//! that change its lists (`merge`, `normalize`, `retain_namespace`, adding objects) drop it.

use super::ClusterState;
use super::objects::{name, namespace};
use std::collections::HashMap;

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
pub fn event_time(e: &k8s_openapi::api::core::v1::Event) -> String {
    e.last_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
        .or_else(|| e.event_time.as_ref().map(|t| t.0.to_string()))
        .or_else(|| e.first_timestamp.as_ref().map(|t| t.0.to_string()))
        .unwrap_or_default()
}

impl Index {
    pub fn build(state: &ClusterState) -> Index {
        let mut ix = Index::default();
        for rs in &state.replica_sets {
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
        for d in &state.deployments {
            put(&mut ix.deployments, namespace(&d.metadata), name(&d.metadata), ());
        }
        for (i, m) in state.pod_metrics.iter().flatten().enumerate() {
            let by_ns = ix.pod_metrics.entry(namespace(&m.metadata).to_string()).or_default();
            by_ns.entry(name(&m.metadata).to_string()).or_insert(i);
        }
        let mut latest: ByName<(String, usize)> = HashMap::new();
        for (i, e) in state.events.iter().enumerate() {
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
        for (i, h) in state.hpas.iter().enumerate() {
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

    pub fn pod_metrics<'s>(&self, state: &'s ClusterState, ns: &str, pod: &str) -> Option<&'s super::PodMetrics> {
        let i = *get(&self.pod_metrics, ns, pod)?;
        state.pod_metrics.as_ref()?.get(i)
    }

    pub fn failed_scheduling<'s>(&self, state: &'s ClusterState, ns: &str, pod: &str) -> Option<&'s k8s_openapi::api::core::v1::Event> {
        state.events.get(*get(&self.failed_scheduling, ns, pod)?)
    }

    pub fn hpa<'s>(
        &self,
        state: &'s ClusterState,
        ns: &str,
        deployment: &str,
    ) -> Option<&'s k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler> {
        state.hpas.get(*get(&self.hpas, ns, deployment)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state(objects: serde_json::Value) -> ClusterState {
        let mut s = ClusterState::default();
        s.add_object(objects).unwrap();
        s
    }

    #[test]
    fn lookups_are_by_namespace_and_name() {
        let s = state(json!({"kind": "List", "apiVersion": "v1", "items": [
            {"kind": "ReplicaSet", "apiVersion": "apps/v1", "metadata": {"name": "api-5d8f", "namespace": "a",
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "api", "uid": "u", "controller": true}]}},
            {"kind": "ReplicaSet", "apiVersion": "apps/v1", "metadata": {"name": "api-5d8f", "namespace": "b"}},
            {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "api", "namespace": "a"}},
            {"kind": "Event", "apiVersion": "v1", "metadata": {"name": "e1", "namespace": "a"}, "reason": "FailedScheduling",
                "message": "old", "lastTimestamp": "2026-11-30T10:00:00Z", "involvedObject": {"kind": "Pod", "name": "api-1", "namespace": "a"}},
            {"kind": "Event", "apiVersion": "v1", "metadata": {"name": "e2", "namespace": "a"}, "reason": "FailedScheduling",
                "message": "new", "lastTimestamp": "2026-11-30T11:00:00Z", "involvedObject": {"kind": "Pod", "name": "api-1", "namespace": "a"}},
            {"kind": "Event", "apiVersion": "v1", "metadata": {"name": "e3", "namespace": "a"}, "reason": "BackOff",
                "message": "other", "lastTimestamp": "2026-11-30T12:00:00Z", "involvedObject": {"kind": "Pod", "name": "api-1", "namespace": "a"}},
            {"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2", "metadata": {"name": "h", "namespace": "a"},
                "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}, "maxReplicas": 3}},
        ]}));
        let ix = s.index();
        assert_eq!(ix.replica_set_owner("a", "api-5d8f"), Some(Some("api")));
        assert_eq!(ix.replica_set_owner("b", "api-5d8f"), Some(None));
        assert_eq!(ix.replica_set_owner("c", "api-5d8f"), None);
        assert!(ix.has_deployment("a", "api"));
        assert!(!ix.has_deployment("b", "api"));
        let e = ix.failed_scheduling(&s, "a", "api-1").unwrap();
        assert_eq!(e.message.as_deref(), Some("new"));
        assert!(ix.failed_scheduling(&s, "b", "api-1").is_none());
        assert_eq!(ix.hpa(&s, "a", "api").and_then(|h| h.metadata.name.as_deref()), Some("h"));
        assert!(ix.hpa(&s, "b", "api").is_none());
    }

    #[test]
    fn adding_objects_drops_the_index() {
        let mut s = state(json!({"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "api", "namespace": "a"}}));
        assert!(!s.index().has_deployment("a", "web"));
        s.add_object(json!({"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "web", "namespace": "a"}}))
            .unwrap();
        assert!(s.index().has_deployment("a", "web"));
        s.retain_namespace("b");
        assert!(!s.index().has_deployment("a", "api"));
    }
}
