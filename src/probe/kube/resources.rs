//! `kube.resources`: requests and limits against usage (metrics.k8s.io), per workload and
//! per node, and the cluster's efficiency (used ÷ requested): how much of what is reserved
//! is used. Over-provisioned workloads get a right-sizing command.

use super::target::KubeThresholds;
use crate::cluster::ClusterState;
use crate::cluster::objects::{Workload, name, namespace, workload_of};
use crate::cluster::quantity;
use crate::report::{Finding, Observation, Severity};
use std::collections::BTreeMap;

#[derive(Debug, Default, Clone)]
struct Usage {
    pods: usize,
    cpu_request: f64,
    mem_request: f64,
    cpu_used: f64,
    mem_used: f64,
    max_cpu_used: f64,
    max_mem_used: f64,
    measured: bool,
    no_requests: bool,
}

fn get(map: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>, key: &str) -> Option<f64> {
    map.and_then(|m| m.get(key)).and_then(|q| quantity::value(&q.0))
}

pub fn analyze(state: &ClusterState, t: &KubeThresholds, target: &str) -> Observation {
    let mut obs = Observation::new("kube.resources", target);
    // Per (workload, container).
    let mut per: BTreeMap<(Workload, String), Usage> = BTreeMap::new();
    let mut node_requested: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let metrics = state.pod_metrics.as_ref();
    for pod in &state.pods {
        let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
        if phase == "Succeeded" || phase == "Failed" {
            continue;
        }
        let Some(spec) = &pod.spec else { continue };
        let w = workload_of(pod, state);
        let pm = metrics.and_then(|m| {
            m.iter()
                .find(|m| name(&m.metadata) == name(&pod.metadata) && namespace(&m.metadata) == namespace(&pod.metadata))
        });
        for c in &spec.containers {
            let req = c.resources.as_ref().and_then(|r| r.requests.as_ref());
            let lim = c.resources.as_ref().and_then(|r| r.limits.as_ref());
            // A limit without a request makes the request equal to the limit.
            let cpu_req = get(req, "cpu").or_else(|| get(lim, "cpu")).unwrap_or(0.0);
            let mem_req = get(req, "memory").or_else(|| get(lim, "memory")).unwrap_or(0.0);
            if let Some(node) = &spec.node_name {
                let e = node_requested.entry(node.clone()).or_default();
                e.0 += cpu_req;
                e.1 += mem_req;
            }
            let u = per.entry((w.clone(), c.name.clone())).or_default();
            u.no_requests |= cpu_req == 0.0 && mem_req == 0.0;
            if let Some(cu) = pm.and_then(|m| m.containers.iter().find(|x| x.name == c.name)) {
                let cpu = cu.usage.get("cpu").and_then(|q| quantity::value(q)).unwrap_or(0.0);
                let mem = cu.usage.get("memory").and_then(|q| quantity::value(q)).unwrap_or(0.0);
                // Requests count only where usage is known (not for Pending pods).
                u.pods += 1;
                u.cpu_request += cpu_req;
                u.mem_request += mem_req;
                u.cpu_used += cpu;
                u.mem_used += mem;
                u.max_cpu_used = u.max_cpu_used.max(cpu);
                u.max_mem_used = u.max_mem_used.max(mem);
                u.measured = true;
            }
        }
    }

    // Cluster figures.
    let alloc_cpu: f64 = state
        .nodes
        .iter()
        .filter_map(|n| get(n.status.as_ref().and_then(|s| s.allocatable.as_ref()), "cpu"))
        .sum();
    let alloc_mem: f64 = state
        .nodes
        .iter()
        .filter_map(|n| get(n.status.as_ref().and_then(|s| s.allocatable.as_ref()), "memory"))
        .sum();
    let req_cpu: f64 = node_requested.values().map(|v| v.0).sum();
    let req_mem: f64 = node_requested.values().map(|v| v.1).sum();
    obs.measure("cpu_allocatable_cores", round3(alloc_cpu), "cores");
    obs.measure("cpu_requested_cores", round3(req_cpu), "cores");
    obs.measure("memory_allocatable_bytes", alloc_mem, "bytes");
    obs.measure("memory_requested_bytes", req_mem, "bytes");
    if alloc_cpu > 0.0 {
        obs.measure("cpu_requested_pct", pct(req_cpu, alloc_cpu), "%");
    }
    match state.node_metrics.as_ref() {
        Some(nm) if !nm.is_empty() => {
            let used_cpu: f64 = nm.iter().filter_map(|m| m.usage.get("cpu").and_then(|q| quantity::value(q))).sum();
            let used_mem: f64 = nm
                .iter()
                .filter_map(|m| m.usage.get("memory").and_then(|q| quantity::value(q)))
                .sum();
            obs.measure("cpu_used_cores", round3(used_cpu), "cores");
            obs.measure("memory_used_bytes", used_mem, "bytes");
            if alloc_cpu > 0.0 {
                obs.measure("cpu_used_pct", pct(used_cpu, alloc_cpu), "%");
            }
            if alloc_mem > 0.0 {
                obs.measure("memory_used_pct", pct(used_mem, alloc_mem), "%");
            }
        }
        _ => {}
    }
    // Efficiency from pod usage against pod requests (only containers with both).
    let measured: Vec<&Usage> = per.values().filter(|u| u.measured).collect();
    let (eff_used, eff_req) = measured.iter().fold((0.0, 0.0), |a, u| {
        if u.cpu_request > 0.0 {
            (a.0 + u.cpu_used, a.1 + u.cpu_request)
        } else {
            a
        }
    });
    let (mem_used, mem_req) = measured.iter().fold((0.0, 0.0), |a, u| {
        if u.mem_request > 0.0 {
            (a.0 + u.mem_used, a.1 + u.mem_request)
        } else {
            a
        }
    });
    if metrics.is_none() {
        obs.push(
            Finding::new(
                "kube.metrics_unavailable",
                Severity::Info,
                "usage is unknown: no metrics.k8s.io data (metrics-server not installed, or not captured)",
            )
            .hint("install metrics-server to see usage, efficiency and right-sizing advice"),
        );
    } else if eff_req > 0.0 {
        let cpu_eff = pct(eff_used, eff_req);
        obs.measure("cpu_efficiency_pct", cpu_eff, "%");
        if mem_req > 0.0 {
            obs.measure("memory_efficiency_pct", pct(mem_used, mem_req), "%");
        }
        let summary = format!(
            "pods use {:.1} % of the CPU they request ({} of {}){}",
            cpu_eff,
            quantity::cpu(eff_used),
            quantity::cpu(eff_req),
            if mem_req > 0.0 {
                format!(" and {:.1} % of their memory requests", pct(mem_used, mem_req))
            } else {
                String::new()
            }
        );
        if cpu_eff < t.efficiency_warn_pct {
            obs.push(
                Finding::new("kube.low_efficiency", Severity::Warning, summary)
                    .label("cpu_efficiency_pct", format!("{cpu_eff:.1}"))
                    .hint("requests reserve capacity nobody uses; right-size the workloads below (kube.overprovisioned) and let HPAs add replicas under load"),
            );
        } else {
            obs.push(Finding::new("kube.efficiency", Severity::Ok, summary));
        }
    }

    for ((w, container), u) in &per {
        if u.no_requests {
            obs.push(
                Finding::new(
                    "kube.no_requests",
                    Severity::Warning,
                    format!("{}: container `{container}` has no CPU or memory requests", w.kubectl()),
                )
                .hint("without requests the scheduler packs blindly and HPAs cannot compute CPU utilisation")
                .fix(set_resources(w, container, u, true))
                .subject(w.subject())
                .label("workload", w.kubectl())
                .label("namespace", w.namespace.clone()),
            );
            continue;
        }
        if !u.measured || u.cpu_request <= 0.0 {
            continue;
        }
        let share = pct(u.cpu_used, u.cpu_request);
        if share < t.overprovisioned_pct {
            obs.push(
                Finding::new(
                    "kube.overprovisioned",
                    Severity::Warning,
                    format!(
                        "{}: container `{container}` uses {} of {} CPU requested over {} ({share:.1} %){}",
                        w.kubectl(),
                        quantity::cpu(u.cpu_used),
                        quantity::cpu(u.cpu_request),
                        plural(u.pods, "pod"),
                        if u.mem_request > 0.0 { format!(", {} of {} memory", quantity::memory(u.mem_used), quantity::memory(u.mem_request)) } else { String::new() }
                    ),
                )
                .fix(set_resources(w, container, u, false))
                .hint("the recommendation is twice the busiest pod's CPU and 1.5× its memory (floors 10m and 32Mi): a starting point from one sample, so watch it under load")
                .subject(w.subject())
                .label("workload", w.kubectl())
                .label("namespace", w.namespace.clone())
                .label("container", container.clone())
                .label("cpu_request", quantity::cpu(u.cpu_request / u.pods as f64))
                .label("cpu_used", quantity::cpu(u.max_cpu_used)),
            );
        }
    }
    obs
}

/// `kubectl set resources` with recommended requests: twice the busiest pod's CPU and 1.5×
/// its memory, with floors; or modest defaults when nothing is known.
fn set_resources(w: &Workload, container: &str, u: &Usage, unknown: bool) -> String {
    let (cpu, mem) = if unknown || !u.measured {
        ("100m".to_string(), "128Mi".to_string())
    } else {
        let cpu = (u.max_cpu_used * 2.0).max(0.01);
        let mem = (u.max_mem_used * 1.5).max(32.0 * 1024.0 * 1024.0);
        (quantity::cpu((cpu * 100.0).ceil() / 100.0), quantity::memory(mem))
    };
    format!(
        "kubectl set resources {} -n {} -c {container} --requests=cpu={cpu},memory={mem}",
        w.kubectl(),
        w.namespace
    )
}

pub fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

fn pct(a: f64, b: f64) -> f64 {
    if b <= 0.0 { 0.0 } else { (a / b * 1000.0).round() / 10.0 }
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, resources: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "aiwfe"},
               "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": "x", "resources": resources}]}, "status": {"phase": "Running"}})
    }

    fn state(objs: Vec<serde_json::Value>) -> ClusterState {
        let mut s = ClusterState::default();
        for o in objs {
            s.add_object(o).unwrap();
        }
        s
    }

    #[test]
    fn without_metrics_usage_is_unknown_not_an_error() {
        let s = state(vec![pod("a", json!({"requests": {"cpu": "1", "memory": "1Gi"}}))]);
        let o = analyze(&s, &KubeThresholds::default(), "t");
        let f: Vec<(&str, Severity)> = o.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect();
        assert_eq!(f, [("kube.metrics_unavailable", Severity::Info)]);
    }

    #[test]
    fn missing_requests_and_over_provisioning() {
        let mut s = state(vec![
            pod("a", json!({})),
            pod(
                "b",
                json!({"requests": {"cpu": "500m", "memory": "512Mi"}, "limits": {"memory": "1Gi"}}),
            ),
        ]);
        s.pod_metrics = Some(vec![
            serde_json::from_value(json!({"metadata": {"name": "a", "namespace": "aiwfe"}, "containers": [{"name": "c", "usage": {"cpu": "12m", "memory": "40Mi"}}]})).unwrap(),
            serde_json::from_value(json!({"metadata": {"name": "b", "namespace": "aiwfe"}, "containers": [{"name": "c", "usage": {"cpu": "25000000n", "memory": "100Mi"}}]})).unwrap(),
        ]);
        let o = analyze(&s, &KubeThresholds::default(), "t");
        let codes: Vec<&str> = o.findings.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(codes, ["kube.low_efficiency", "kube.no_requests", "kube.overprovisioned"]);
        let over = o.findings.iter().find(|f| f.code == "kube.overprovisioned").unwrap();
        // 25m of 500m used: recommend twice the use and 1.5× the memory.
        assert_eq!(
            over.fix.as_deref(),
            Some("kubectl set resources pod/b -n aiwfe -c c --requests=cpu=50m,memory=150Mi")
        );
        assert_eq!(o.measurement("cpu_efficiency_pct"), Some(&crate::report::Value::Num(5.0)));
    }
}
