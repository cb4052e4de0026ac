//! `kube.resources`: requests and limits against usage (metrics.k8s.io), per workload and
//! per node, and the cluster's efficiency (used ÷ requested): how much of what is reserved
//! is used. Over-provisioned workloads get a right-sizing command from the recommender
//! (`cluster::rightsize`), fed the one metrics reading of each pod.

use super::target::KubeThresholds;
use crate::cluster::ClusterState;
use crate::cluster::objects::{Workload, name, namespace, workload_of};
use crate::cluster::quantity;
use crate::cluster::rightsize::{self, ContainerHistory, OomKill, Params, Recommendation, Resources, Sample};
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
    /// The recommender's input: one sample per measured pod, all at one instant; the
    /// requests and limits of the first measured pod; an OOM kill in any of them.
    history: ContainerHistory,
}

type Quantities = BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>;

/// A quantity that can be counted: parsed and not negative (the API refuses negative
/// requests and limits).
fn get(map: Option<&Quantities>, key: &str) -> Option<f64> {
    map.and_then(|m| m.get(key))
        .and_then(|q| quantity::value(&q.0))
        .filter(|v| *v >= 0.0)
}

/// `resources.requests.cpu` and the like of a container that hold no usable quantity.
fn invalid_quantities(c: &k8s_openapi::api::core::v1::Container) -> Vec<(String, String)> {
    let Some(r) = &c.resources else { return Vec::new() };
    let mut out = Vec::new();
    for (field, map) in [("requests", r.requests.as_ref()), ("limits", r.limits.as_ref())] {
        for (key, q) in map.into_iter().flatten() {
            if quantity::value(&q.0).is_none_or(|v| v < 0.0) {
                out.push((format!("resources.{field}.{key}"), q.0.clone()));
            }
        }
    }
    out
}

pub fn analyze(state: &ClusterState, t: &KubeThresholds, target: &str) -> Observation {
    let mut obs = Observation::new("kube.resources", target);
    // Per (workload, container).
    let mut per: BTreeMap<(Workload, String), Usage> = BTreeMap::new();
    let mut node_requested: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let metrics = state.pod_metrics.as_ref();
    let mut invalid: BTreeMap<(Workload, String, String), String> = BTreeMap::new();
    for pod in &state.pods {
        let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref()).unwrap_or("");
        if phase == "Succeeded" || phase == "Failed" {
            continue;
        }
        let Some(spec) = &pod.spec else { continue };
        let w = workload_of(pod, state);
        let pm = state.pod_metrics_of(namespace(&pod.metadata), name(&pod.metadata));
        for c in &spec.containers {
            for (field, value) in invalid_quantities(c) {
                invalid.entry((w.clone(), c.name.clone(), field)).or_insert(value);
            }
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
                if !u.measured {
                    u.history.current = resources(req, lim);
                }
                // One reading per pod: the instants differ by seconds, so they count as one.
                u.history.samples.push(Sample { t: 0, cpu, memory: mem });
                if oom_killed(pod, &c.name) && u.history.oom_kill.is_none() {
                    u.history.oom_kill = Some(OomKill {
                        limit: lim.and_then(|l| l.get("memory")).map(|q| q.0.clone()),
                    });
                }
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

    for ((w, container, field), value) in &invalid {
        let shown: String = value.chars().take(40).collect();
        obs.push(
            Finding::new(
                "kube.invalid_quantity",
                Severity::Warning,
                format!(
                    "{} container {container}: {field} `{shown}` is not a quantity (e.g. 250m, 1, 512Mi), so it is counted as unset",
                    w.kubectl()
                ),
            )
            .subject(w.subject())
            .label("namespace", w.namespace.clone())
            .label("workload", w.kubectl())
            .label("container", container.clone())
            .label("field", field.clone()),
        );
    }

    // Cluster figures (folded from +0.0: an empty f64 sum is -0.0).
    let alloc_cpu: f64 = state
        .nodes
        .iter()
        .filter_map(|n| get(n.status.as_ref().and_then(|s| s.allocatable.as_ref()), "cpu"))
        .fold(0.0, |a, b| a + b);
    let alloc_mem: f64 = state
        .nodes
        .iter()
        .filter_map(|n| get(n.status.as_ref().and_then(|s| s.allocatable.as_ref()), "memory"))
        .fold(0.0, |a, b| a + b);
    let req_cpu: f64 = node_requested.values().map(|v| v.0).fold(0.0, |a, b| a + b);
    let req_mem: f64 = node_requested.values().map(|v| v.1).fold(0.0, |a, b| a + b);
    obs.measure("cpu_allocatable_cores", round3(alloc_cpu), "cores");
    obs.measure("cpu_requested_cores", round3(req_cpu), "cores");
    obs.measure("memory_allocatable_bytes", alloc_mem, "bytes");
    obs.measure("memory_requested_bytes", req_mem, "bytes");
    if alloc_cpu > 0.0 {
        obs.measure("cpu_requested_pct", pct(req_cpu, alloc_cpu), "%");
    }
    match state.node_metrics.as_ref() {
        Some(nm) if !nm.is_empty() => {
            let used_cpu: f64 = nm
                .iter()
                .filter_map(|m| m.usage.get("cpu").and_then(|q| quantity::value(q)))
                .fold(0.0, |a, b| a + b);
            let used_mem: f64 = nm
                .iter()
                .filter_map(|m| m.usage.get("memory").and_then(|q| quantity::value(q)))
                .fold(0.0, |a, b| a + b);
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
                .fix(set_default_requests(w, container))
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
            let rec = rightsize::recommend(&u.history, &ONE_READING);
            let (fix, hint) = match &rec {
                Ok(r) => (Some(right_size(w, container, r)), one_reading_hint(w, u, r)),
                Err(e) => (None, format!("no recommendation from the one metrics reading: {e}")),
            };
            let mut finding = Finding::new(
                "kube.overprovisioned",
                Severity::Warning,
                format!(
                    "{}: container `{container}` uses {} of {} CPU requested over {} ({share:.1} %){}",
                    w.kubectl(),
                    quantity::cpu(u.cpu_used),
                    quantity::cpu(u.cpu_request),
                    plural(u.pods, "pod"),
                    if u.mem_request > 0.0 {
                        format!(", {} of {} memory", quantity::memory(u.mem_used), quantity::memory(u.mem_request))
                    } else {
                        String::new()
                    }
                ),
            )
            .hint(hint)
            .subject(w.subject())
            .label("workload", w.kubectl())
            .label("namespace", w.namespace.clone())
            .label("container", container.clone())
            .label("cpu_request", quantity::cpu(u.cpu_request / u.pods as f64))
            .label("cpu_used", quantity::cpu(u.max_cpu_used));
            finding.fix = fix;
            obs.push(finding);
        }
    }
    obs
}

/// The recommender's parameters for one metrics reading: its defaults, but one sample is
/// enough (there is never more here, and the hint says so), and CPU limits stay as they are.
const ONE_READING: Params = Params {
    cpu_percentile: rightsize::CPU_PERCENTILE,
    memory_buffer_pct: rightsize::MEMORY_BUFFER_PCT,
    cpu_limit: rightsize::CpuLimit::Keep,
    min_samples: 1,
    cpu_floor_cores: rightsize::CPU_FLOOR_CORES,
    memory_floor_bytes: rightsize::MEMORY_FLOOR_BYTES,
};

fn resources(requests: Option<&Quantities>, limits: Option<&Quantities>) -> Resources {
    let q = |m: Option<&Quantities>, k: &str| m.and_then(|m| m.get(k)).map(|q| q.0.clone());
    Resources {
        cpu_request: q(requests, "cpu"),
        cpu_limit: q(limits, "cpu"),
        memory_request: q(requests, "memory"),
        memory_limit: q(limits, "memory"),
    }
}

fn oom_killed(pod: &k8s_openapi::api::core::v1::Pod, container: &str) -> bool {
    let oom = |s: Option<&k8s_openapi::api::core::v1::ContainerState>| {
        s.and_then(|s| s.terminated.as_ref()).and_then(|t| t.reason.as_deref()) == Some("OOMKilled")
    };
    pod.status.as_ref().and_then(|s| s.container_statuses.as_ref()).is_some_and(|cs| {
        cs.iter()
            .any(|c| c.name == container && (oom(c.last_state.as_ref()) || oom(c.state.as_ref())))
    })
}

/// `kubectl set resources` with the recommended requests. Limits change only where the
/// current one is below the new request (the API server refuses that): limits set from one
/// reading would be a guess.
fn right_size(w: &Workload, container: &str, r: &Recommendation) -> String {
    let (cur, rec) = (&r.current, &r.recommended);
    let requests = format!(
        "cpu={},memory={}",
        rec.cpu_request.as_deref().unwrap_or_default(),
        rec.memory_request.as_deref().unwrap_or_default()
    );
    let mut limits = Vec::new();
    if let (Some(now), Some(new)) = (&cur.cpu_limit, &rec.cpu_limit)
        && !quantity::same(now, new)
    {
        limits.push(format!("cpu={new}"));
    }
    if let (Some(now), Some(req), Some(new)) = (&cur.memory_limit, &rec.memory_request, &rec.memory_limit)
        && quantity::greater(req, now)
    {
        limits.push(format!("memory={new}"));
    }
    let limits = if limits.is_empty() {
        String::new()
    } else {
        format!(" --limits={}", limits.join(","))
    };
    format!(
        "kubectl set resources {} -n {} -c {container} --requests={requests}{limits}",
        w.kubectl(),
        w.namespace
    )
}

/// What the recommendation rests on, and why history would be better.
fn one_reading_hint(w: &Workload, u: &Usage, r: &Recommendation) -> String {
    let rec = &r.recommended;
    let b = &r.basis;
    let p = &ONE_READING;
    let buffer = p.memory_buffer_pct;
    // Below 20 readings the p95 is the busiest pod's, so say that.
    let cpu_basis = if b.cpu_percentile_cores >= u.max_cpu_used {
        format!("the busiest pod's {}", quantity::cpu(b.cpu_percentile_cores))
    } else {
        format!("the p{} of the pods, {}", p.cpu_percentile, quantity::cpu(b.cpu_percentile_cores))
    };
    let cpu_floor = if b.cpu_percentile_cores < p.cpu_floor_cores {
        format!(", raised to the {} floor", quantity::cpu(p.cpu_floor_cores))
    } else {
        String::new()
    };
    let memory_floor = if b.memory_peak_bytes * (1.0 + buffer / 100.0) < p.memory_floor_bytes {
        format!(", raised to the {} floor", quantity::memory(p.memory_floor_bytes))
    } else {
        String::new()
    };
    let oom = match b.oom_limit_bytes {
        Some(l) => format!(
            ", and at least the {} limit it was OOM-killed at plus {buffer} %",
            quantity::memory(l)
        ),
        None => String::new(),
    };
    format!(
        "from {} (one metrics reading per pod), not a usage history: CPU {}: {cpu_basis}{cpu_floor}; memory {}: the largest \
         working set, {}, plus {buffer} %{oom}{memory_floor}; limits stay unless below the new request. Sample usage for a while \
         (`aiwfe tune resources -n {} --sample 10m`) or read Prometheus history (`--prometheus URL`) before relying on it",
        r.history(),
        rec.cpu_request.as_deref().unwrap_or_default(),
        rec.memory_request.as_deref().unwrap_or_default(),
        quantity::memory(b.memory_peak_bytes),
        w.namespace
    )
}

/// `kubectl set resources` with modest requests, for a container that has none.
fn set_default_requests(w: &Workload, container: &str) -> String {
    format!(
        "kubectl set resources {} -n {} -c {container} --requests=cpu=100m,memory=128Mi",
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
    fn a_quantity_that_does_not_parse_or_is_negative_is_a_finding_naming_the_field() {
        let s = state(vec![
            pod(
                "a",
                json!({"requests": {"cpu": "lots", "memory": "-1Gi"}, "limits": {"memory": "1Gi"}}),
            ),
            pod("b", json!({"requests": {"cpu": "250m"}})),
        ]);
        let o = analyze(&s, &KubeThresholds::default(), "t");
        let bad: Vec<(&str, &str)> = o
            .findings
            .iter()
            .filter(|f| f.code == "kube.invalid_quantity")
            .map(|f| (f.labels["field"].as_str(), f.summary.as_str()))
            .collect();
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert_eq!(bad[0].0, "resources.requests.cpu");
        assert!(bad[0].1.contains("`lots` is not a quantity"), "{}", bad[0].1);
        assert_eq!(bad[1].0, "resources.requests.memory");
        let text = format!("{:?}", o.measurements);
        assert!(!text.contains("-0") && !text.contains("-1"), "{text}");
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
        // 25m of 500m used: the recommender's 25m (its own step), and 100Mi plus 15 % =
        // 115Mi rounded up to 116Mi; the 1Gi memory limit is above that and stays.
        assert_eq!(
            over.fix.as_deref(),
            Some("kubectl set resources pod/b -n aiwfe -c c --requests=cpu=25m,memory=116Mi")
        );
        assert_eq!(
            over.hint.as_deref(),
            Some(
                "from 1 sample at one instant (one metrics reading per pod), not a usage history: CPU 25m: the busiest pod's 25m; \
                 memory 116Mi: the largest working set, 100Mi, plus 15 %; limits stay unless below the new request. Sample usage \
                 for a while (`aiwfe tune resources -n aiwfe --sample 10m`) or read Prometheus history (`--prometheus URL`) before \
                 relying on it"
            )
        );
        assert_eq!(o.measurement("cpu_efficiency_pct"), Some(&crate::report::Value::Num(5.0)));
    }

    /// Deployment `web` with one pod per `(cpu, memory)` usage, each with `resources`.
    fn web(resources: serde_json::Value, usage: &[(String, &str)]) -> ClusterState {
        let mut objs: Vec<serde_json::Value> = (0..usage.len())
            .map(|i| {
                let mut p = pod(&format!("web-7d9f8c6b5d-{i}"), resources.clone());
                p["metadata"]["ownerReferences"] =
                    json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d9f8c6b5d", "uid": "1", "controller": true}]);
                p
            })
            .collect();
        objs.push(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "aiwfe"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}}));
        let mut s = state(objs);
        s.pod_metrics = Some(
            usage
                .iter()
                .enumerate()
                .map(|(i, (cpu, mem))| {
                    serde_json::from_value(json!({"metadata": {"name": format!("web-7d9f8c6b5d-{i}"), "namespace": "aiwfe"},
                        "containers": [{"name": "c", "usage": {"cpu": cpu, "memory": mem}}]}))
                    .unwrap()
                })
                .collect(),
        );
        s
    }

    fn overprovisioned(o: &Observation) -> &Finding {
        o.findings
            .iter()
            .find(|f| f.code == "kube.overprovisioned")
            .expect("kube.overprovisioned")
    }

    /// Three replicas, one OOM-killed at its 64Mi limit: the memory request goes above that
    /// limit, so the limit must rise with it; the CPU limit is far above the new request.
    #[test]
    fn oom_kill_raises_memory_and_a_limit_below_the_request() {
        let resources = json!({"requests": {"cpu": "500m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "64Mi"}});
        let usage = [
            ("12m".to_string(), "40Mi"),
            ("20m".to_string(), "60Mi"),
            ("15m".to_string(), "50Mi"),
        ];
        let mut s = web(resources, &usage);
        s.pods[1].status = serde_json::from_value(json!({"phase": "Running", "containerStatuses": [{"name": "c", "image": "x", "imageID": "", "ready": true, "restartCount": 1,
            "state": {"running": {"startedAt": "2025-08-13T14:05:00Z"}},
            "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": "2025-08-13T14:00:00Z", "finishedAt": "2025-08-13T14:05:00Z"}}}]}))
        .unwrap();
        let o = analyze(&s, &KubeThresholds::default(), "t");
        let over = overprovisioned(&o);
        // CPU: the busiest of three, 20m. Memory: 64Mi × 1.15 = 73.6Mi beats 60Mi × 1.15 = 69Mi;
        // rounded up to 76Mi, above the 64Mi limit.
        assert_eq!(
            over.fix.as_deref(),
            Some("kubectl set resources deployment/web -n aiwfe -c c --requests=cpu=20m,memory=76Mi --limits=memory=76Mi")
        );
        let hint = over.hint.as_deref().unwrap();
        assert!(hint.starts_with("from 3 samples at one instant"), "{hint}");
        assert!(
            hint.contains("and at least the 64Mi limit it was OOM-killed at plus 15 %"),
            "{hint}"
        );
    }

    /// With 20 pods or more, the p95 of the pods is below the busiest one.
    #[test]
    fn many_replicas_get_the_p95_of_the_pods() {
        // 25 pods using 2m, 4m, ... 50m: rank ⌈0.95 × 25⌉ = 24 is 48m, up to the next 5m step.
        let usage: Vec<(String, &str)> = (1..=25).map(|i| (format!("{}m", 2 * i), "100Mi")).collect();
        let s = web(json!({"requests": {"cpu": "1", "memory": "1Gi"}}), &usage);
        let o = analyze(&s, &KubeThresholds::default(), "t");
        let over = overprovisioned(&o);
        assert_eq!(
            over.fix.as_deref(),
            Some("kubectl set resources deployment/web -n aiwfe -c c --requests=cpu=50m,memory=116Mi")
        );
        let hint = over.hint.as_deref().unwrap();
        assert!(hint.contains("CPU 50m: the p95 of the pods, 48m; memory 116Mi"), "{hint}");
    }
}
