//! What the kube-scheduler said about a Pending pod: the newest `FailedScheduling` message
//! (or the `PodScheduled` condition), parsed into its reasons in the wordings of Kubernetes
//! 1.18 to 1.33, and the pod template facts a fix for required pod anti-affinity needs.

use super::ClusterState;
use super::objects::{name, namespace};
use k8s_openapi::api::core::v1::{Pod, PodAffinityTerm, PodSpec};
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

impl Failure {
    /// Did pod anti-affinity (the pod's own, or existing pods' against it) rule out nodes?
    pub fn anti_affinity(&self) -> bool {
        self.reasons.iter().any(|(_, r)| *r == Reason::AntiAffinity)
    }
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
    let event = state.failed_scheduling(ns, n);
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

/// A pod the scheduler has not placed yet: phase `Pending` and no node.
pub fn is_unscheduled(pod: &Pod) -> bool {
    let pending = pod.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Pending");
    pending && pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none()
}

/// The pod template's `requiredDuringSchedulingIgnoredDuringExecution` pod anti-affinity
/// terms (empty when it has none).
pub fn required_anti_affinity(spec: &PodSpec) -> &[PodAffinityTerm] {
    spec.affinity
        .as_ref()
        .and_then(|a| a.pod_anti_affinity.as_ref())
        .and_then(|a| a.required_during_scheduling_ignored_during_execution.as_deref())
        .unwrap_or_default()
}

/// The weight a required anti-affinity term gets when a fix makes it preferred: the
/// highest the API allows (weights are 1 to 100).
pub const PREFERRED_WEIGHT: i32 = 100;

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
}
