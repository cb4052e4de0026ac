//! `kube.autoscaling`: Deployments without an HPA, HPAs pinned at `maxReplicas`, HPAs that
//! cannot read their metrics, HPAs on CPU utilisation for pods without CPU requests, and
//! Deployments that are unavailable or past their progress deadline.

use crate::cluster::ClusterState;
use crate::cluster::objects::{name, namespace};
use crate::report::{Finding, Observation, Severity};

pub fn analyze(state: &ClusterState, target: &str) -> Observation {
    let mut obs = Observation::new("kube.autoscaling", target);
    obs.measure("hpas", state.hpas.len() as f64, "count");
    let mut without = 0;
    for d in &state.deployments {
        let (ns, n) = (namespace(&d.metadata), name(&d.metadata));
        let subject = format!("{ns}/deployment/{n}");
        let replicas = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let conditions = d.status.as_ref().and_then(|s| s.conditions.as_ref()).cloned().unwrap_or_default();
        if let Some(c) = conditions
            .iter()
            .find(|c| c.type_ == "Progressing" && c.status == "False" && c.reason.as_deref() == Some("ProgressDeadlineExceeded"))
        {
            obs.push(
                Finding::new("kube.progress_deadline", Severity::Error, format!("deployment/{n}: rollout stuck past its progress deadline"))
                    .evidence(c.message.clone().unwrap_or_default())
                    .hint(format!("see why new pods do not become ready: kubectl rollout status deployment/{n} -n {ns}; roll back with kubectl rollout undo"))
                    .subject(subject.clone()),
            );
        }
        if replicas > 0
            && let Some(c) = conditions.iter().find(|c| c.type_ == "Available" && c.status == "False")
        {
            let available = d.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0);
            obs.push(
                Finding::new(
                    "kube.deployment_unavailable",
                    Severity::Error,
                    format!("deployment/{n}: {available} of {replicas} replicas available"),
                )
                .evidence(c.message.clone().unwrap_or_default())
                .subject(subject.clone())
                .label("workload", format!("deployment/{n}"))
                .label("namespace", ns.to_string()),
            );
        }

        let hpa = state.hpa_of(ns, n);
        let Some(hpa) = hpa else {
            if replicas > 0 {
                without += 1;
                obs.push(
                    Finding::new(
                        "kube.no_hpa",
                        Severity::Info,
                        format!(
                            "deployment/{n} ({}) has no HorizontalPodAutoscaler",
                            super::resources::plural(replicas.max(0) as usize, "replica")
                        ),
                    )
                    .fix(format!(
                        "aiwfe tune hpa -n {ns} --deployment {n} --min {min} --max {max} --cpu 75 --apply",
                        min = replicas.clamp(1, 2),
                        max = (replicas * 3).max(4)
                    ))
                    .hint(format!(
                        "an HPA adds replicas under load and removes them when idle, so requests can be sized for the quiet hours; with kubectl alone: kubectl autoscale deployment/{n} -n {ns} --cpu-percent=75 --min={} --max={}",
                        replicas.clamp(1, 2),
                        (replicas * 3).max(4)
                    ))
                    .subject(subject.clone())
                    .label("workload", format!("deployment/{n}"))
                    .label("namespace", ns.to_string()),
                );
            }
            continue;
        };
        let hname = name(&hpa.metadata);
        let spec = hpa.spec.as_ref();
        let max = spec.map(|s| s.max_replicas).unwrap_or(0);
        let current = hpa.status.as_ref().and_then(|s| s.current_replicas).unwrap_or(0);
        if max > 0 && current >= max {
            obs.push(
                Finding::new(
                    "kube.hpa_at_max",
                    Severity::Warning,
                    format!("hpa/{hname}: at maxReplicas ({current} of {max}); load beyond this is not absorbed"),
                )
                .fix(format!(
                    "kubectl patch hpa/{hname} -n {ns} --type=merge -p '{{\"spec\":{{\"maxReplicas\":{}}}}}'",
                    max * 2
                ))
                .subject(format!("{ns}/hpa/{hname}")),
            );
        }
        for c in hpa.status.as_ref().and_then(|s| s.conditions.as_ref()).into_iter().flatten() {
            if (c.type_ == "ScalingActive" || c.type_ == "AbleToScale") && c.status == "False" {
                obs.push(
                    Finding::new(
                        "kube.hpa_unable",
                        Severity::Error,
                        format!(
                            "hpa/{hname}: {}=False ({}): it cannot scale",
                            c.type_,
                            c.reason.clone().unwrap_or_default()
                        ),
                    )
                    .evidence(c.message.clone().unwrap_or_default())
                    .hint("usually metrics-server is missing or the pods have no CPU requests")
                    .subject(format!("{ns}/hpa/{hname}")),
                );
            }
        }
        let on_cpu = spec.and_then(|s| s.metrics.as_ref()).into_iter().flatten().any(|m| {
            m.resource
                .as_ref()
                .is_some_and(|r| r.name == "cpu" && r.target.type_ == "Utilization")
                || m.container_resource
                    .as_ref()
                    .is_some_and(|r| r.name == "cpu" && r.target.type_ == "Utilization")
        });
        let containers = d
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref())
            .map(|s| s.containers.clone())
            .unwrap_or_default();
        let missing: Vec<String> = containers
            .iter()
            .filter(|c| {
                c.resources
                    .as_ref()
                    .and_then(|r| r.requests.as_ref())
                    .and_then(|r| r.get("cpu"))
                    .is_none()
            })
            .map(|c| c.name.clone())
            .collect();
        if on_cpu && !missing.is_empty() {
            obs.push(
                Finding::new(
                    "kube.hpa_no_cpu_request",
                    Severity::Error,
                    format!(
                        "hpa/{hname} scales deployment/{n} on CPU utilisation, but container(s) {} request no CPU",
                        missing.join(", ")
                    ),
                )
                .fix(format!("kubectl set resources deployment/{n} -n {ns} --requests=cpu=100m"))
                .subject(format!("{ns}/hpa/{hname}")),
            );
        }
    }
    obs.measure("deployments_without_hpa", without as f64, "count");
    if obs.findings.is_empty() {
        obs.push(Finding::new(
            "kube.autoscaling",
            Severity::Ok,
            format!("{} HPAs, all able to scale; rollouts healthy", state.hpas.len()),
        ));
    }
    obs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn deployment(name: &str, cpu_request: bool, conditions: serde_json::Value) -> serde_json::Value {
        let resources = if cpu_request {
            json!({"requests": {"cpu": "100m"}})
        } else {
            json!({})
        };
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": "aiwfe"},
               "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}},
                        "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "c", "image": "x", "resources": resources}]}}},
               "status": {"availableReplicas": 0, "conditions": conditions}})
    }

    fn hpa(target: &str, current: i32, max: i32, conditions: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": target, "namespace": "aiwfe"},
               "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target}, "minReplicas": 1, "maxReplicas": max,
                        "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 75}}}]},
               "status": {"currentReplicas": current, "desiredReplicas": current, "conditions": conditions}})
    }

    fn run(objects: Vec<serde_json::Value>) -> Vec<String> {
        let mut s = ClusterState::default();
        for o in objects {
            s.add_object(o).unwrap();
        }
        analyze(&s, "t").findings.iter().map(|f| f.code.clone()).collect()
    }

    #[test]
    fn hpa_problems_in_the_words_of_the_controller() {
        let unable = json!([{"type": "AbleToScale", "status": "True", "reason": "SucceededGetScale", "message": "the HPA controller was able to get the target's current scale"},
                            {"type": "ScalingActive", "status": "False", "reason": "FailedGetResourceMetric",
                             "message": "the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container c of Pod web-5f6b8c7d9a-d4f7k"}]);
        let codes = run(vec![deployment("web", false, json!([])), hpa("web", 2, 10, unable)]);
        assert_eq!(codes, ["kube.hpa_unable", "kube.hpa_no_cpu_request"]);

        let codes = run(vec![deployment("api", true, json!([])), hpa("api", 10, 10, json!([]))]);
        assert_eq!(codes, ["kube.hpa_at_max"]);

        let codes = run(vec![deployment("lonely", true, json!([]))]);
        assert_eq!(codes, ["kube.no_hpa"]);
    }

    #[test]
    fn stuck_rollouts() {
        let conditions = json!([
            {"type": "Available", "status": "False", "reason": "MinimumReplicasUnavailable", "message": "Deployment does not have minimum availability."},
            {"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded", "message": "ReplicaSet \"web-7d9f\" has timed out progressing."}
        ]);
        let codes = run(vec![deployment("web", true, conditions), hpa("web", 2, 10, json!([]))]);
        assert_eq!(codes, ["kube.progress_deadline", "kube.deployment_unavailable"]);
    }
}
