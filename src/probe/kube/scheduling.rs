//! `kube.scheduling`: Pending pods and why the scheduler could not place them, parsed from
//! the newest `FailedScheduling` event (or the `PodScheduled` condition) in the wordings of
//! Kubernetes 1.18 to 1.33. When required pod anti-affinity is the cause, it says how many
//! replicas want how many nodes and gives the patch that makes the rule preferred.

use crate::cluster::ClusterState;
use crate::cluster::objects::{Workload, name, namespace, workload_of};
use crate::report::{Finding, Observation, Severity};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use std::collections::BTreeMap;

/// One reason the scheduler gave, normalised.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// The pod's own anti-affinity, or existing pods' anti-affinity against it.
    AntiAffinity,
    /// Pod affinity (or the old combined "affinity/anti-affinity" wording).
    PodAffinity,
    NodeAffinity,
    Taint(String),
    Insufficient(String),
    TooManyPods,
    UnboundPvc,
    VolumeNodeAffinity,
    NodeUnschedulable,
    Other(String),
}

impl Reason {
    pub fn label(&self) -> String {
        match self {
            Reason::AntiAffinity => "anti-affinity".into(),
            Reason::PodAffinity => "pod-affinity".into(),
            Reason::NodeAffinity => "node-affinity".into(),
            Reason::Taint(_) => "taint".into(),
            Reason::Insufficient(r) => format!("insufficient-{r}"),
            Reason::TooManyPods => "too-many-pods".into(),
            Reason::UnboundPvc => "unbound-pvc".into(),
            Reason::VolumeNodeAffinity => "volume-node-affinity".into(),
            Reason::NodeUnschedulable => "node-unschedulable".into(),
            Reason::Other(_) => "other".into(),
        }
    }
}

/// A parsed `0/N nodes are available: ...` message.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub available: Option<u32>,
    pub total: Option<u32>,
    pub reasons: Vec<(u32, Reason)>,
}

/// Parses a scheduler message. Tolerates the `preemption: ...` suffix, trailing periods,
/// and the wordings of different versions.
pub fn parse(message: &str) -> Failure {
    let msg = message.trim();
    let msg = match msg.find(" preemption:") {
        Some(i) => &msg[..i],
        None => msg,
    };
    let msg = msg.trim().trim_end_matches('.').trim();
    let (head, list) = match msg
        .split_once(" nodes are available:")
        .or_else(|| msg.split_once(" node is available:"))
    {
        Some((h, l)) => (Some(h), l),
        None => (None, msg),
    };
    let (available, total) = head
        .and_then(|h| h.trim().split_once('/'))
        .map(|(a, t)| (a.trim().parse().ok(), t.trim().parse().ok()))
        .unwrap_or((None, None));
    let mut reasons = Vec::new();
    for item in split_items(list) {
        let item = item.trim().trim_end_matches('.').trim();
        if item.is_empty() {
            continue;
        }
        let (count, text) = match item.split_once(' ') {
            Some((n, rest)) if n.parse::<u32>().is_ok() => (n.parse().unwrap_or(1), rest.trim()),
            _ => (1, item),
        };
        reasons.push((count, reason(text)));
    }
    Failure { available, total, reasons }
}

/// Splits `1 node(s) had ..., 2 node(s) didn't ...` on the commas that start a new counted
/// item, so a taint such as `{k: v}` stays whole.
fn split_items(list: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let bytes = list.as_bytes();
    let mut depth = 0i32;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b',' if depth <= 0 => {
                let next = list[i + 1..].trim_start();
                if next.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                    items.push(&list[start..i]);
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    items.push(&list[start..]);
    items
}

fn reason(text: &str) -> Reason {
    let l = text.to_ascii_lowercase();
    if l.contains("anti-affinity") && !l.contains("affinity/anti-affinity") {
        Reason::AntiAffinity
    } else if l.contains("affinity/anti-affinity") {
        // 1.18–1.20: "didn't match pod affinity/anti-affinity" (paired with the specific rule).
        Reason::PodAffinity
    } else if l.contains("pod affinity") {
        Reason::PodAffinity
    } else if l.contains("node affinity/selector") || l.contains("node selector") || l.contains("node(s) didn't match node affinity") {
        Reason::NodeAffinity
    } else if l.contains("volume node affinity") {
        Reason::VolumeNodeAffinity
    } else if l.contains("taint") {
        let t = text
            .find('{')
            .and_then(|s| text[s..].find('}').map(|e| text[s..s + e + 1].to_string()))
            .unwrap_or_default();
        Reason::Taint(t)
    } else if let Some(r) = l.strip_prefix("insufficient ") {
        Reason::Insufficient(r.trim().to_string())
    } else if l.contains("too many pods") {
        Reason::TooManyPods
    } else if l.contains("unbound") && l.contains("persistentvolumeclaim") {
        Reason::UnboundPvc
    } else if l.contains("unschedulable") {
        Reason::NodeUnschedulable
    } else {
        Reason::Other(text.to_string())
    }
}

/// The newest scheduling failure message for a pod: the latest `FailedScheduling` event,
/// else the `PodScheduled=False` condition.
pub fn failure_message(pod: &Pod, state: &ClusterState) -> Option<String> {
    let (ns, n) = (namespace(&pod.metadata), name(&pod.metadata));
    let event = state
        .events
        .iter()
        .filter(|e| {
            e.reason.as_deref() == Some("FailedScheduling")
                && e.involved_object.name.as_deref() == Some(n)
                && e.involved_object.namespace.as_deref().unwrap_or(ns) == ns
        })
        .max_by_key(|e| {
            e.last_timestamp
                .as_ref()
                .map(|t| t.0.to_string())
                .or_else(|| e.event_time.as_ref().map(|t| t.0.to_string()))
                .or_else(|| e.first_timestamp.as_ref().map(|t| t.0.to_string()))
                .unwrap_or_default()
        });
    if let Some(m) = event.and_then(|e| e.message.clone()) {
        return Some(m);
    }
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        .and_then(|c| c.message.clone())
}

pub fn analyze(state: &ClusterState, target: &str) -> Observation {
    let mut obs = Observation::new("kube.scheduling", target);
    let mut groups: BTreeMap<Workload, (Vec<String>, Option<String>)> = BTreeMap::new();
    for pod in &state.pods {
        let pending = pod.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Pending");
        let unscheduled = pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none();
        if !(pending && unscheduled) {
            continue;
        }
        let g = groups.entry(workload_of(pod, state)).or_default();
        g.0.push(name(&pod.metadata).to_string());
        if g.1.is_none() {
            g.1 = failure_message(pod, state);
        }
    }
    let unschedulable: usize = groups.values().map(|g| g.0.len()).sum();
    obs.measure("pods_unschedulable", unschedulable as f64, "count");
    obs.measure("nodes_schedulable", schedulable_nodes(&state.nodes, None).len() as f64, "count");
    for (w, (pods, message)) in &groups {
        obs.push(finding(state, w, pods, message.as_deref()));
    }
    if obs.findings.is_empty() {
        obs.push(Finding::new("kube.scheduling", Severity::Ok, "no pod waits to be scheduled"));
    }
    obs
}

fn finding(state: &ClusterState, w: &Workload, pods: &[String], message: Option<&str>) -> Finding {
    let n = pods.len();
    let who = if n == 1 { format!("pod {}", pods[0]) } else { format!("{n} pods") };
    let Some(message) = message else {
        return Finding::new(
            "kube.unschedulable",
            Severity::Warning,
            format!("{}: {who} Pending, no scheduler message yet", w.kubectl()),
        )
        .subject(w.subject())
        .label("namespace", w.namespace.clone())
        .label("workload", w.kubectl());
    };
    let failure = parse(message);
    let reasons: Vec<String> = failure.reasons.iter().map(|(c, r)| format!("{c}× {}", r.label())).collect();
    let main = failure.reasons.iter().max_by_key(|(c, _)| *c).map(|(_, r)| r.clone());
    let mut f = Finding::new(
        "kube.unschedulable",
        Severity::Error,
        format!(
            "{}: {who} Pending: {} of {} nodes available ({})",
            w.kubectl(),
            failure.available.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            failure.total.map(|a| a.to_string()).unwrap_or_else(|| "?".into()),
            reasons.join(", ")
        ),
    )
    .evidence(message.to_string())
    .subject(w.subject())
    .label("namespace", w.namespace.clone())
    .label("workload", w.kubectl())
    .label("pending", n.to_string());
    if let Some(r) = &main {
        f = f.label("reason", r.label());
    }
    let anti = failure.reasons.iter().any(|(_, r)| *r == Reason::AntiAffinity);
    let deployment = state
        .deployments
        .iter()
        .find(|d| w.kind == "deployment" && name(&d.metadata) == w.name && namespace(&d.metadata) == w.namespace);
    if anti && let Some(d) = deployment {
        let replicas = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let nodes = schedulable_nodes(
            &state.nodes,
            d.spec
                .as_ref()
                .and_then(|s| s.template.spec.as_ref())
                .and_then(|s| s.tolerations.as_ref()),
        )
        .len();
        if let Some(topology) = required_anti_affinity_topology(d) {
            f.summary = format!(
                "{}: {who} Pending: {replicas} replicas must run on distinct nodes (required pod anti-affinity on `{topology}`) but {nodes} nodes can take them",
                w.kubectl()
            );
            f = f
                .label("reason", "anti-affinity")
                .label("replicas", replicas.to_string())
                .label("nodes", nodes.to_string())
                .label("topology_key", topology);
            if let Some(patch) = preferred_patch(d) {
                f = f.fix(format!("kubectl patch {} -n {} --type=json -p '{}'", w.kubectl(), w.namespace, patch)).hint(
                    "the patch turns the required anti-affinity into a preferred one (weight 100): replicas still spread, but may share a node when there are too few",
                );
            }
        }
    } else if let Some(Reason::Insufficient(r)) = &main {
        f = f.hint(format!(
            "requests for {r} exceed what any node has free: lower the requests (see kube.overprovisioned) or add nodes"
        ));
    } else if let Some(Reason::Taint(t)) = &main {
        f = f.hint(format!("nodes carry a taint {t} that the pod does not tolerate"));
    }
    f
}

/// Nodes a pod could land on: not cordoned, and without NoSchedule/NoExecute taints the
/// given tolerations do not cover.
pub fn schedulable_nodes<'a>(nodes: &'a [Node], tolerations: Option<&Vec<k8s_openapi::api::core::v1::Toleration>>) -> Vec<&'a Node> {
    nodes
        .iter()
        .filter(|n| !n.spec.as_ref().and_then(|s| s.unschedulable).unwrap_or(false))
        .filter(|n| {
            n.spec.as_ref().and_then(|s| s.taints.as_ref()).into_iter().flatten().all(|taint| {
                taint.effect == "PreferNoSchedule"
                    || tolerations.into_iter().flatten().any(|t| {
                        let key_ok =
                            t.key.is_none() && t.operator.as_deref() == Some("Exists") || t.key.as_deref() == Some(taint.key.as_str());
                        let effect_ok = t.effect.as_deref().is_none_or(|e| e == taint.effect);
                        let value_ok = t.operator.as_deref() == Some("Exists")
                            || t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("");
                        key_ok && effect_ok && value_ok
                    })
            })
        })
        .collect()
}

/// The topology key of the first required pod anti-affinity term, if any.
pub fn required_anti_affinity_topology(d: &Deployment) -> Option<String> {
    d.spec
        .as_ref()?
        .template
        .spec
        .as_ref()?
        .affinity
        .as_ref()?
        .pod_anti_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .first()
        .map(|t| t.topology_key.clone())
}

/// A JSON Patch that moves every required anti-affinity term to the preferred list with
/// weight 100, keeping preferred terms that already exist.
pub fn preferred_patch(d: &Deployment) -> Option<String> {
    let anti = d
        .spec
        .as_ref()?
        .template
        .spec
        .as_ref()?
        .affinity
        .as_ref()?
        .pod_anti_affinity
        .as_ref()?;
    let required = anti.required_during_scheduling_ignored_during_execution.as_ref()?;
    let base = "/spec/template/spec/affinity/podAntiAffinity";
    let mut ops = vec![serde_json::json!({"op": "remove", "path": format!("{base}/requiredDuringSchedulingIgnoredDuringExecution")})];
    let terms: Vec<serde_json::Value> = required
        .iter()
        .map(|t| serde_json::json!({"weight": 100, "podAffinityTerm": t}))
        .collect();
    if anti
        .preferred_during_scheduling_ignored_during_execution
        .as_ref()
        .is_some_and(|p| !p.is_empty())
    {
        for t in terms {
            ops.push(
                serde_json::json!({"op": "add", "path": format!("{base}/preferredDuringSchedulingIgnoredDuringExecution/-"), "value": t}),
            );
        }
    } else {
        ops.push(
            serde_json::json!({"op": "add", "path": format!("{base}/preferredDuringSchedulingIgnoredDuringExecution"), "value": terms}),
        );
    }
    serde_json::to_string(&ops).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(m: &str) -> Vec<(u32, String)> {
        parse(m).reasons.into_iter().map(|(c, r)| (c, r.label())).collect()
    }

    #[test]
    fn anti_affinity_across_versions() {
        // 1.21+
        let f = parse(
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..",
        );
        assert_eq!((f.available, f.total), (Some(0), Some(3)));
        assert_eq!(
            f.reasons,
            vec![
                (1, Reason::Taint("{node-role.kubernetes.io/control-plane: }".into())),
                (2, Reason::AntiAffinity)
            ]
        );
        // 1.18–1.20
        assert_eq!(
            labels(
                "0/3 nodes are available: 3 node(s) didn't match pod affinity/anti-affinity, 3 node(s) didn't satisfy existing pods anti-affinity rules."
            ),
            vec![(3, "pod-affinity".into()), (3, "anti-affinity".into())]
        );
        assert_eq!(
            labels("0/5 nodes are available: 5 node(s) didn't match pod anti-affinity rules."),
            vec![(5, "anti-affinity".into())]
        );
    }

    #[test]
    fn taints_resources_and_selectors() {
        assert_eq!(
            labels(
                "0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate, 2 Insufficient cpu."
            ),
            vec![(1, "taint".into()), (2, "insufficient-cpu".into())]
        );
        assert_eq!(
            labels("0/4 nodes are available: 4 node(s) had untolerated taint(s)."),
            vec![(4, "taint".into())]
        );
        assert_eq!(
            labels(
                "0/6 nodes are available: 2 Insufficient memory, 2 Insufficient nvidia.com/gpu, 2 node(s) didn't match Pod's node affinity/selector."
            ),
            vec![
                (2, "insufficient-memory".into()),
                (2, "insufficient-nvidia.com/gpu".into()),
                (2, "node-affinity".into())
            ]
        );
        assert_eq!(
            labels("0/1 nodes are available: 1 Too many pods."),
            vec![(1, "too-many-pods".into())]
        );
        assert_eq!(
            labels("0/3 nodes are available: 3 node(s) didn't match node selector."),
            vec![(3, "node-affinity".into())]
        );
        assert_eq!(
            labels(
                "0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
            ),
            vec![(3, "unbound-pvc".into())]
        );
        assert_eq!(
            labels("0/2 nodes are available: 1 node(s) were unschedulable, 1 node(s) had volume node affinity conflict."),
            vec![(1, "node-unschedulable".into()), (1, "volume-node-affinity".into())]
        );
    }

    #[test]
    fn patch_moves_required_terms_to_preferred() {
        let d: Deployment = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "integration-service", "namespace": "aiwfe"},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "i"}}, "template": {"metadata": {"labels": {"app": "i"}}, "spec": {
                "containers": [{"name": "c", "image": "x"}],
                "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchLabels": {"app": "i"}}, "topologyKey": "kubernetes.io/hostname"}]}}}}}
        }))
        .unwrap();
        assert_eq!(required_anti_affinity_topology(&d).as_deref(), Some("kubernetes.io/hostname"));
        let patch: serde_json::Value = serde_json::from_str(&preferred_patch(&d).unwrap()).unwrap();
        assert_eq!(patch[0]["op"], "remove");
        assert_eq!(
            patch[1]["path"],
            "/spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution"
        );
        assert_eq!(patch[1]["value"][0]["weight"], 100);
        assert_eq!(patch[1]["value"][0]["podAffinityTerm"]["topologyKey"], "kubernetes.io/hostname");
        // Applied as RFC 6902, it yields a valid Deployment with no required terms.
        let mut doc = serde_json::to_value(&d).unwrap();
        json_patch::patch(&mut doc, &serde_json::from_value::<json_patch::Patch>(patch).unwrap()).unwrap();
        let patched: Deployment = serde_json::from_value(doc).unwrap();
        assert!(required_anti_affinity_topology(&patched).is_none());
    }
}
