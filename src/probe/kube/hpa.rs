//! `kube.autoscaling`: Deployments without an HPA, HPAs pinned at `maxReplicas`, HPAs that
//! cannot read their metrics, HPAs on CPU utilisation for pods without CPU requests, and
//! Deployments that are unavailable or past their progress deadline.

use super::{name, namespace};
use crate::cluster::ClusterState;
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

        let hpa = state.hpas.iter().find(|h| {
            namespace(&h.metadata) == ns
                && h.spec
                    .as_ref()
                    .is_some_and(|s| s.scale_target_ref.kind == "Deployment" && s.scale_target_ref.name == n)
        });
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
                        "kubectl autoscale deployment/{n} -n {ns} --cpu-percent=75 --min={} --max={}",
                        replicas.clamp(1, 2),
                        (replicas * 3).max(4)
                    ))
                    .hint("an HPA adds replicas under load and removes them when idle, so requests can be sized for the quiet hours")
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
