//! Parameters for `aiwfe fix affinity`: the Deployments whose pods are Pending because of
//! their own required pod anti-affinity (the scheduler's message says anti-affinity and the
//! template has `requiredDuringSchedulingIgnoredDuringExecution` terms), and why any other
//! Pending Deployment is left alone.

use super::{Params, in_scope, one_namespace, quoted_list, scope_text};
use crate::cluster::ClusterState;
use crate::cluster::objects::{Workload, name, namespace, workload_of};
use crate::cluster::scheduler::{failure_message, is_unscheduled, parse, required_anti_affinity};
use serde::Serialize;
use serde_json::json;

/// The weight each term gets in the preferred list, unless told otherwise (1 to 100).
pub use crate::cluster::scheduler::PREFERRED_WEIGHT as WEIGHT;

/// What `aiwfe fix affinity` would work on, in one namespace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Affinity {
    pub namespace: String,
    pub deployments: Vec<Blocked>,
    /// The weight the required terms get when they become preferred.
    pub weight: i32,
    /// Deployments that were named or have Pending pods, but that this fix does not help.
    pub skipped: Vec<Skipped>,
}

/// A Deployment whose pods wait on its own required pod anti-affinity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blocked {
    pub namespace: String,
    pub name: String,
    /// Pods Pending and not yet placed on a node.
    pub pending: usize,
    /// The scheduler's message, verbatim.
    pub message: String,
    /// How many `requiredDuringSchedulingIgnoredDuringExecution` terms the template has.
    pub required_terms: usize,
    /// Their topology keys, in order (e.g. `kubernetes.io/hostname`).
    pub topology_keys: Vec<String>,
}

/// A workload the fix leaves alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub workload: Workload,
    pub why: Why,
}

/// Why a workload is not fixed by relaxing its anti-affinity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Why {
    /// `--deployment` named a Deployment the state does not hold (in scope).
    NotFound,
    /// None of its pods is Pending.
    NothingPending,
    /// Pods are Pending but the scheduler has said nothing about them yet.
    NoSchedulerMessage { pending: usize },
    /// Pending for a reason other than pod anti-affinity (the scheduler's message).
    OtherReason { message: String },
    /// Pending on anti-affinity, but its own template has no required terms: other pods'
    /// rules keep it out.
    NoRequiredTerms { message: String },
    /// Pending on anti-affinity, but not a Deployment (a StatefulSet, a bare pod, ...).
    NotADeployment { message: String },
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let w = self.workload.kubectl();
        let ns = &self.workload.namespace;
        match &self.why {
            Why::NotFound if ns.is_empty() => write!(f, "there is no {w}"),
            Why::NotFound => write!(f, "there is no {w} in namespace `{ns}`"),
            Why::NothingPending => write!(f, "{w} has no Pending pods"),
            Why::NoSchedulerMessage { pending } => {
                write!(f, "{w} has {pending} Pending pod(s) but no message from the scheduler yet")
            }
            Why::OtherReason { message } => {
                write!(
                    f,
                    "the Pending pods of {w} are Pending for another reason than anti-affinity: {message}"
                )
            }
            Why::NoRequiredTerms { message } => write!(
                f,
                "{w} has no required pod anti-affinity of its own; other pods' anti-affinity keeps it out: {message}"
            ),
            Why::NotADeployment { message } => {
                write!(f, "{w} is Pending on pod anti-affinity, but only Deployments are fixed: {message}")
            }
        }
    }
}

/// Why there is nothing to fix as asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Nothing {
    /// No Deployment was named and no pod in scope waits to be scheduled.
    NothingPending { namespace: Option<String> },
    /// Every Deployment named or Pending is left alone, each for its reason.
    Unfixable { skipped: Vec<Skipped> },
    /// The Deployments to fix are in several namespaces; a fix works on one.
    SeveralNamespaces { namespaces: Vec<String> },
}

impl std::fmt::Display for Nothing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Nothing::NothingPending { namespace } => {
                write!(f, "no pod waits to be scheduled {}", scope_text(namespace.as_deref()))
            }
            Nothing::Unfixable { skipped } => {
                let each: Vec<String> = skipped.iter().map(Skipped::to_string).collect();
                f.write_str(&each.join("; "))
            }
            Nothing::SeveralNamespaces { namespaces } => write!(
                f,
                "Deployments in namespaces {} are Pending on required pod anti-affinity; a fix works on one namespace at a time",
                quoted_list(namespaces)
            ),
        }
    }
}

impl std::error::Error for Nothing {}

/// Finds the Deployments in `scope` (`None`: every namespace) whose Pending pods wait on their
/// own required pod anti-affinity: those named in `deployments`, or, when it is empty, every
/// one with Pending pods. `weight` (1 to 100) is what the terms get as preferred ones.
pub fn discover(state: &ClusterState, scope: Option<&str>, deployments: &[String], weight: i32) -> Result<Affinity, Nothing> {
    let mut candidates: Vec<Workload> = Vec::new();
    let mut skipped = Vec::new();
    if deployments.is_empty() {
        for p in state
            .pods
            .iter()
            .filter(|p| is_unscheduled(p) && in_scope(scope, namespace(&p.metadata)))
        {
            let w = workload_of(p, state);
            if !candidates.contains(&w) {
                candidates.push(w);
            }
        }
        if candidates.is_empty() {
            return Err(Nothing::NothingPending {
                namespace: scope.map(str::to_string),
            });
        }
    } else {
        for n in deployments {
            let found: Vec<Workload> = state
                .deployments
                .iter()
                .filter(|d| name(&d.metadata) == n && in_scope(scope, namespace(&d.metadata)))
                .map(|d| Workload {
                    namespace: namespace(&d.metadata).to_string(),
                    kind: "deployment".into(),
                    name: n.clone(),
                })
                .collect();
            if found.is_empty() {
                skipped.push(Skipped {
                    workload: Workload {
                        namespace: scope.unwrap_or_default().to_string(),
                        kind: "deployment".into(),
                        name: n.clone(),
                    },
                    why: Why::NotFound,
                });
            }
            candidates.extend(found.into_iter().filter(|w| !candidates.contains(w)).collect::<Vec<_>>());
        }
    }
    candidates.sort();
    let mut blocked = Vec::new();
    for w in candidates {
        match examine(state, &w) {
            Ok(b) => blocked.push(b),
            Err(why) => skipped.push(Skipped { workload: w, why }),
        }
    }
    let namespace = match one_namespace(blocked.iter().map(|b| b.namespace.as_str())) {
        Ok(Some(ns)) => ns,
        Ok(None) => return Err(Nothing::Unfixable { skipped }),
        Err(namespaces) => return Err(Nothing::SeveralNamespaces { namespaces }),
    };
    Ok(Affinity {
        namespace,
        deployments: blocked,
        weight,
        skipped,
    })
}

/// Is `w` a Deployment Pending on its own required anti-affinity, and if not, why not?
fn examine(state: &ClusterState, w: &Workload) -> Result<Blocked, Why> {
    let pods: Vec<_> = state
        .pods
        .iter()
        .filter(|p| is_unscheduled(p) && namespace(&p.metadata) == w.namespace && workload_of(p, state) == *w)
        .collect();
    if pods.is_empty() {
        return Err(Why::NothingPending);
    }
    let messages: Vec<String> = pods.iter().filter_map(|p| failure_message(p, state)).collect();
    let Some(first) = messages.first() else {
        return Err(Why::NoSchedulerMessage { pending: pods.len() });
    };
    let Some(message) = messages.iter().find(|m| parse(m).anti_affinity()) else {
        return Err(Why::OtherReason { message: first.clone() });
    };
    let template = state
        .deployments
        .iter()
        .find(|d| w.kind == "deployment" && name(&d.metadata) == w.name && namespace(&d.metadata) == w.namespace)
        .and_then(|d| d.spec.as_ref()?.template.spec.as_ref());
    let Some(spec) = template else {
        return Err(Why::NotADeployment { message: message.clone() });
    };
    let terms = required_anti_affinity(spec);
    if terms.is_empty() {
        return Err(Why::NoRequiredTerms { message: message.clone() });
    }
    Ok(Blocked {
        namespace: w.namespace.clone(),
        name: w.name.clone(),
        pending: pods.len(),
        message: message.clone(),
        required_terms: terms.len(),
        topology_keys: terms.iter().map(|t| t.topology_key.clone()).collect(),
    })
}

impl Affinity {
    /// The playbook's parameters: `namespace`, `deployments` (names) and `weight`.
    pub fn params(&self) -> Params {
        vec![
            ("namespace".into(), json!(self.namespace)),
            (
                "deployments".into(),
                json!(self.deployments.iter().map(|d| d.name.as_str()).collect::<Vec<_>>()),
            ),
            ("weight".into(), json!(self.weight)),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const ANTI: &str = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";

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

    /// A Deployment `name` with one Pending pod whose PodScheduled condition says `message`.
    fn pending(ns: &str, name: &str, required: Value, message: &str) -> Vec<Value> {
        vec![
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns},
                "spec": {"replicas": 3, "selector": {"matchLabels": {"app": name}}, "template": {"metadata": {"labels": {"app": name}},
                    "spec": {"containers": [{"name": "c", "image": "x"}], "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": required}}}}}}),
            json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": format!("{name}-6f7d8"), "namespace": ns,
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": "d", "controller": true}]},
                "spec": {"selector": {"matchLabels": {"app": name}}}}),
            json!({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": format!("{name}-6f7d8-x2k9p"), "namespace": ns,
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{name}-6f7d8"), "uid": "r", "controller": true}]},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
                "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message}]}}),
        ]
    }

    fn hostname() -> Value {
        json!([{"labelSelector": {"matchLabels": {"app": "x"}}, "topologyKey": "kubernetes.io/hostname"}])
    }

    #[test]
    fn the_incident_blocks_integration_service() {
        let a = discover(&incident(), Some("aiwfe"), &[], WEIGHT).unwrap();
        assert_eq!(
            a.deployments,
            [Blocked {
                namespace: "aiwfe".into(),
                name: "integration-service".into(),
                pending: 3,
                message: ANTI.into(),
                required_terms: 1,
                topology_keys: vec!["kubernetes.io/hostname".into()],
            }]
        );
        assert!(a.skipped.is_empty(), "{:?}", a.skipped);
        assert_eq!(
            serde_json::to_value(a.params()).unwrap(),
            json!([["namespace", "aiwfe"], ["deployments", ["integration-service"]], ["weight", 100]])
        );
        // Named, or across all namespaces: the same.
        assert_eq!(discover(&incident(), None, &["integration-service".into()], WEIGHT).unwrap(), a);
    }

    #[test]
    fn named_deployments_that_do_not_need_it_are_explained() {
        let e = discover(&incident(), Some("aiwfe"), &["reasoning-service".into(), "nope".into()], WEIGHT).unwrap_err();
        assert_eq!(
            e.to_string(),
            "there is no deployment/nope in namespace `aiwfe`; deployment/reasoning-service has no Pending pods"
        );
        let e = discover(&incident(), Some("elsewhere"), &[], WEIGHT).unwrap_err();
        assert_eq!(e.to_string(), "no pod waits to be scheduled in namespace `elsewhere`");
        // One fixable, one not: the fix goes ahead and says what it leaves.
        let a = discover(&incident(), None, &["integration-service".into(), "nope".into()], 50).unwrap();
        assert_eq!(a.deployments.len(), 1);
        assert_eq!(a.skipped[0].to_string(), "there is no deployment/nope");
        assert_eq!(a.params()[2], ("weight".to_string(), json!(50)));
    }

    #[test]
    fn other_reasons_are_quoted() {
        let cpu = "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
        let existing = "0/3 nodes are available: 3 node(s) didn't satisfy existing pods anti-affinity rules.";
        let mut objects = pending("shop", "web", hostname(), cpu);
        objects.extend(pending("shop", "cache", json!([]), existing));
        let e = discover(&state(objects), Some("shop"), &[], WEIGHT).unwrap_err();
        assert_eq!(
            e,
            Nothing::Unfixable {
                skipped: vec![
                    Skipped {
                        workload: Workload {
                            namespace: "shop".into(),
                            kind: "deployment".into(),
                            name: "cache".into()
                        },
                        why: Why::NoRequiredTerms { message: existing.into() }
                    },
                    Skipped {
                        workload: Workload {
                            namespace: "shop".into(),
                            kind: "deployment".into(),
                            name: "web".into()
                        },
                        why: Why::OtherReason { message: cpu.into() }
                    },
                ]
            }
        );
        assert_eq!(
            e.to_string(),
            format!(
                "deployment/cache has no required pod anti-affinity of its own; other pods' anti-affinity keeps it out: {existing}; \
                 the Pending pods of deployment/web are Pending for another reason than anti-affinity: {cpu}"
            )
        );
    }

    #[test]
    fn several_terms_several_deployments_and_several_namespaces() {
        let zone = json!([
            {"labelSelector": {"matchLabels": {"app": "a"}}, "topologyKey": "kubernetes.io/hostname"},
            {"labelSelector": {"matchLabels": {"app": "a"}}, "topologyKey": "topology.kubernetes.io/zone"}]);
        let mut objects = pending(
            "shop",
            "a",
            zone,
            "0/2 nodes are available: 2 node(s) didn't match pod anti-affinity rules.",
        );
        objects.extend(pending("shop", "b", hostname(), ANTI));
        let a = discover(&state(objects.clone()), None, &[], WEIGHT).unwrap();
        assert_eq!(a.deployments.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(a.deployments[0].required_terms, 2);
        assert_eq!(
            a.deployments[0].topology_keys,
            ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]
        );
        objects.extend(pending("blog", "c", hostname(), ANTI));
        let e = discover(&state(objects.clone()), None, &[], WEIGHT).unwrap_err();
        assert_eq!(
            e,
            Nothing::SeveralNamespaces {
                namespaces: vec!["blog".into(), "shop".into()]
            }
        );
        assert_eq!(discover(&state(objects), Some("blog"), &[], WEIGHT).unwrap().namespace, "blog");
    }

    #[test]
    fn pending_without_a_message_or_outside_a_deployment() {
        let mut objects = pending("shop", "a", hostname(), ANTI);
        // The scheduler has not written the condition yet.
        objects[2]["status"] = json!({"phase": "Pending"});
        objects.push(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "db-2", "namespace": "shop",
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db", "uid": "s", "controller": true}]},
            "spec": {"containers": [{"name": "c", "image": "x"}]},
            "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": ANTI}]}}));
        let e = discover(&state(objects), Some("shop"), &[], WEIGHT).unwrap_err();
        let Nothing::Unfixable { skipped } = &e else { panic!("{e:?}") };
        assert_eq!(skipped[0].why, Why::NoSchedulerMessage { pending: 1 });
        assert_eq!(skipped[1].why, Why::NotADeployment { message: ANTI.into() });
        assert_eq!(skipped[1].workload.kubectl(), "statefulset/db");
    }
}
