//! `kube.scheduling`: Pending pods and why the scheduler could not place them (the message
//! is read and parsed by `cluster::scheduler`). When required pod anti-affinity is the
//! cause, it says how many replicas want how many nodes and gives the patch that makes the
//! rule preferred.

use crate::cluster::ClusterState;
use crate::cluster::objects::{Workload, name, namespace, workload_of};
use crate::cluster::scheduler::{PREFERRED_WEIGHT, Reason, failure_message, is_unscheduled, parse, required_anti_affinity};
use crate::report::{Finding, Observation, Severity};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Node;
use std::collections::BTreeMap;

pub fn analyze(state: &ClusterState, target: &str) -> Observation {
    let mut obs = Observation::new("kube.scheduling", target);
    let mut groups: BTreeMap<Workload, (Vec<String>, Option<String>)> = BTreeMap::new();
    for pod in &state.pods {
        if !is_unscheduled(pod) {
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
    let anti = failure.anti_affinity();
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
                f = f.fix(format!("kubectl patch {} -n {} --type=json -p '{}'", w.kubectl(), w.namespace, patch)).hint(format!(
                    "the patch turns the required anti-affinity into a preferred one (weight {PREFERRED_WEIGHT}): replicas still spread, but may share a node when there are too few",
                ));
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
    let spec = d.spec.as_ref()?.template.spec.as_ref()?;
    required_anti_affinity(spec).first().map(|t| t.topology_key.clone())
}

/// A JSON Patch that moves every required anti-affinity term to the preferred list with
/// weight `PREFERRED_WEIGHT`, keeping preferred terms that already exist.
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
        .map(|t| serde_json::json!({"weight": PREFERRED_WEIGHT, "podAffinityTerm": t}))
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
