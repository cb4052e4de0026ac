//! `kube.pods`: containers that crash-loop, cannot pull their image, cannot start for a
//! config error, or were OOM-killed; grouped by the workload that owns them, with the
//! telling line of the previous container's log (or its termination message) as evidence.

use super::signatures::{self, Signature};
use crate::cluster::ClusterState;
use crate::cluster::objects::{Workload, name, namespace, workload_of};
use crate::report::{Finding, Observation, Severity};
use k8s_openapi::api::core::v1::{Container, ContainerStatus, Pod};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Trouble {
    CrashLoop,
    ImagePull,
    ConfigError,
    OomKilled,
}

#[derive(Debug, Default)]
struct Group {
    pods: Vec<String>,
    container: String,
    restarts: Vec<i32>,
    exit: Option<(i32, String)>,
    finished: Option<String>,
    evidence: Option<(Option<Signature>, String, &'static str)>,
    message: Option<String>,
    redis_secret: Option<String>,
    redis_secret_fp: Option<String>,
    limit: Option<String>,
}

pub fn analyze(state: &ClusterState, target: &str) -> Observation {
    let mut obs = Observation::new("kube.pods", target);
    let mut groups: BTreeMap<(Trouble, Workload, String), Group> = BTreeMap::new();
    let (mut running, mut pending, mut failed, mut restarts_total) = (0, 0, 0, 0i64);
    for pod in &state.pods {
        match pod.status.as_ref().and_then(|s| s.phase.as_deref()) {
            Some("Running") => running += 1,
            Some("Pending") => pending += 1,
            Some("Failed") => failed += 1,
            _ => {}
        }
        let Some(status) = &pod.status else { continue };
        let statuses = status
            .init_container_statuses
            .iter()
            .flatten()
            .chain(status.container_statuses.iter().flatten());
        for cs in statuses {
            restarts_total += cs.restart_count as i64;
            for trouble in troubles(cs) {
                let w = workload_of(pod, state);
                let g = groups.entry((trouble, w, cs.name.clone())).or_default();
                record(g, pod, cs, state);
            }
        }
    }
    obs.measure("pods_running", running as f64, "count");
    obs.measure("pods_pending", pending as f64, "count");
    obs.measure("pods_failed", failed as f64, "count");
    obs.measure("container_restarts", restarts_total as f64, "count");
    let crashlooping: usize = groups
        .iter()
        .filter(|((t, _, _), _)| *t == Trouble::CrashLoop)
        .map(|(_, g)| g.pods.len())
        .sum();
    obs.measure("pods_crashlooping", crashlooping as f64, "count");

    for ((trouble, w, container), g) in groups {
        obs.push(finding(trouble, &w, &container, &g));
    }
    if obs.findings.is_empty() {
        obs.push(Finding::new(
            "kube.pods",
            Severity::Ok,
            format!(
                "{} pods: {running} running, {pending} pending; no crash loops, image pull or config errors",
                state.pods.len()
            ),
        ));
    }
    obs
}

fn troubles(cs: &ContainerStatus) -> Vec<Trouble> {
    let mut t = Vec::new();
    let waiting = cs.state.as_ref().and_then(|s| s.waiting.as_ref()).and_then(|w| w.reason.as_deref());
    match waiting {
        Some("CrashLoopBackOff") | Some("RunContainerError") => t.push(Trouble::CrashLoop),
        Some("ImagePullBackOff") | Some("ErrImagePull") | Some("InvalidImageName") | Some("ErrImageNeverPull") => {
            t.push(Trouble::ImagePull)
        }
        Some("CreateContainerConfigError") | Some("CreateContainerError") => t.push(Trouble::ConfigError),
        _ => {}
    }
    let oom = |s: Option<&k8s_openapi::api::core::v1::ContainerState>| {
        s.and_then(|s| s.terminated.as_ref()).and_then(|t| t.reason.as_deref()) == Some("OOMKilled")
    };
    if oom(cs.last_state.as_ref()) || oom(cs.state.as_ref()) {
        t.push(Trouble::OomKilled);
    }
    t
}

/// A name the API could have given (DNS-1123: lower-case letters, digits, `-` and `.`), so
/// safe to paste into a command.
fn k8s_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 253
        && n.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

fn record(g: &mut Group, pod: &Pod, cs: &ContainerStatus, state: &ClusterState) {
    let (ns, pod_name) = (namespace(&pod.metadata).to_string(), name(&pod.metadata).to_string());
    g.pods.push(pod_name.clone());
    g.container = cs.name.clone();
    g.restarts.push(cs.restart_count);
    if let Some(w) = cs.state.as_ref().and_then(|s| s.waiting.as_ref()).and_then(|w| w.message.clone()) {
        g.message.get_or_insert(w);
    }
    let last = cs
        .last_state
        .as_ref()
        .and_then(|s| s.terminated.as_ref())
        .or_else(|| cs.state.as_ref().and_then(|s| s.terminated.as_ref()));
    if let Some(t) = last {
        if g.exit.is_none() {
            g.exit = Some((t.exit_code, t.reason.clone().unwrap_or_default()));
            g.finished = t.finished_at.as_ref().map(|f| f.0.to_string());
        }
        if let Some(msg) = &t.message
            && g.evidence.as_ref().is_none_or(|(s, _, _)| s.is_none())
        {
            g.evidence = Some(match signatures::scan(msg) {
                Some((sig, line)) => (Some(sig), line, "termination message"),
                None => (None, last_line(msg), "termination message"),
            });
        }
    }
    // The previous container's log is the better witness: it holds the crash itself.
    for log in state
        .logs
        .iter()
        .filter(|l| l.namespace == ns && l.pod == pod_name && l.container == cs.name)
    {
        if let Some((sig, line)) = signatures::scan(&log.log)
            && g.evidence
                .as_ref()
                .is_none_or(|(s, _, src)| s.is_none() || *src == "termination message")
        {
            g.evidence = Some((
                Some(sig),
                line,
                if log.previous {
                    "previous container's log"
                } else {
                    "container log"
                },
            ));
        } else if g.evidence.is_none() && !log.log.trim().is_empty() {
            g.evidence = Some((
                None,
                last_line(&log.log),
                if log.previous {
                    "previous container's log"
                } else {
                    "container log"
                },
            ));
        }
    }
    if let Some(c) = container_spec(pod, &cs.name) {
        if g.redis_secret.is_none() {
            g.redis_secret = crate::cluster::objects::redis_secret_ref(c, &ns);
            g.redis_secret_fp = g.redis_secret.as_ref().and_then(|r| {
                let (nsname, key) = r.split_once(':')?;
                let (sns, sname) = nsname.split_once('/')?;
                state
                    .secrets
                    .iter()
                    .find(|s| s.namespace == sns && s.name == sname)?
                    .fingerprints
                    .get(key)
                    .cloned()
            });
        }
        if g.limit.is_none() {
            g.limit = c
                .resources
                .as_ref()
                .and_then(|r| r.limits.as_ref())
                .and_then(|l| l.get("memory"))
                .map(|q| q.0.clone());
        }
    }
}

fn container_spec<'a>(pod: &'a Pod, container: &str) -> Option<&'a Container> {
    let spec = pod.spec.as_ref()?;
    spec.containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .find(|c| c.name == container)
}

fn last_line(text: &str) -> String {
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn finding(trouble: Trouble, w: &Workload, container: &str, g: &Group) -> Finding {
    let n = g.pods.len();
    let pods = if n == 1 {
        format!("pod {}", g.pods[0])
    } else {
        format!("{n} pods")
    };
    let (min, max) = (
        g.restarts.iter().min().copied().unwrap_or(0),
        g.restarts.iter().max().copied().unwrap_or(0),
    );
    let restarts = if min == max {
        format!("{max} restarts")
    } else {
        format!("{min}–{max} restarts")
    };
    let exit = g
        .exit
        .as_ref()
        .map(|(code, reason)| {
            format!(
                ", last exit code {code}{}",
                if reason.is_empty() { String::new() } else { format!(" ({reason})") }
            )
        })
        .unwrap_or_default();
    let mut f = match trouble {
        Trouble::CrashLoop => {
            let sig = g.evidence.as_ref().and_then(|(s, _, _)| *s);
            let why = sig.map(|s| format!(" on a {}", s.describe())).unwrap_or_default();
            let mut f = Finding::new(
                "kube.crashloop",
                Severity::Error,
                format!(
                    "{}: {pods} crash-looping{why} (container `{container}`, {restarts}{exit})",
                    w.kubectl()
                ),
            );
            if let Some(s) = sig {
                f = f.label("signature", s.id());
            }
            f.hint(match sig {
                Some(Signature::RedisAuth) => {
                    "the app cannot authenticate to Redis: its password (usually from a secret) differs from the server's".to_string()
                }
                Some(Signature::PostgresAuth) => "the app's PostgreSQL password is wrong; check the secret it reads".to_string(),
                Some(Signature::RedisRefused) | Some(Signature::PostgresRefused) => {
                    "the database it needs is down or its Service has no ready endpoints".to_string()
                }
                Some(Signature::PostgresTooManyClients) => {
                    "PostgreSQL is out of connection slots; lower pool sizes or raise max_connections".to_string()
                }
                Some(Signature::OutOfMemory) => "raise the memory limit or fix the leak".to_string(),
                None if [w.namespace.as_str(), g.pods[0].as_str(), container].iter().all(|n| k8s_name(n)) => format!(
                    "read the crash: kubectl logs -n {} {} -c {container} --previous",
                    w.namespace, g.pods[0]
                ),
                // A snapshot object without a (valid) name: no command to copy.
                None => {
                    "read the crash with kubectl logs --previous; the snapshot does not give the pod or container a valid name".to_string()
                }
            })
        }
        Trouble::ImagePull => Finding::new(
            "kube.image_pull",
            Severity::Error,
            format!("{}: {pods} cannot pull the image of container `{container}`", w.kubectl()),
        )
        .hint("check the image name and tag, and the registry credentials (imagePullSecrets)"),
        Trouble::ConfigError => Finding::new(
            "kube.config_error",
            Severity::Error,
            format!("{}: {pods} cannot start container `{container}`", w.kubectl()),
        )
        .hint("a referenced Secret or ConfigMap (or one of its keys) is missing"),
        Trouble::OomKilled => Finding::new(
            "kube.oomkilled",
            Severity::Warning,
            format!(
                "{}: container `{container}` was OOM-killed in {pods} ({restarts}{})",
                w.kubectl(),
                g.limit.as_ref().map(|l| format!(", memory limit {l}")).unwrap_or_default()
            ),
        )
        .hint("raise the memory limit, or find what allocates"),
    };
    let evidence = match trouble {
        Trouble::ImagePull | Trouble::ConfigError => g.message.clone(),
        _ => g.evidence.as_ref().map(|(_, line, _)| line.clone()),
    };
    if let Some(e) = evidence {
        f = f.evidence(crate::redact::credentials(&e));
    }
    if let Some((_, _, src)) = &g.evidence {
        f = f.label("evidence_from", *src);
    }
    if let Some(s) = &g.redis_secret {
        f = f.label("redis_secret", s.clone());
        if let Some(fp) = &g.redis_secret_fp {
            f = f.label("redis_secret_sha256", fp.clone());
        }
    }
    f = f
        .label("namespace", w.namespace.clone())
        .label("workload", w.kubectl())
        .label("container", container)
        .label("pods", n.to_string());
    if let Some(t) = &g.finished {
        f = f.label("last_exit_at", t.clone());
    }
    f.subject(w.subject())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state(pods: Vec<serde_json::Value>) -> ClusterState {
        let mut s = ClusterState::default();
        for p in pods {
            s.add_object(p).unwrap();
        }
        s
    }

    fn pod(name: &str, status: serde_json::Value, container: serde_json::Value) -> serde_json::Value {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "aiwfe"},
               "spec": {"containers": [container]}, "status": status})
    }

    fn codes(o: &Observation) -> Vec<&str> {
        o.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn image_pull_and_config_errors_quote_the_kubelet() {
        let s = state(vec![
            pod(
                "web-1",
                json!({"phase": "Pending", "containerStatuses": [{"name": "web", "image": "ghcr.io/aiwfe/web:9.9", "imageID": "", "ready": false, "restartCount": 0,
                    "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"ghcr.io/aiwfe/web:9.9\""}}}]}),
                json!({"name": "web", "image": "ghcr.io/aiwfe/web:9.9"}),
            ),
            pod(
                "api-1",
                json!({"phase": "Pending", "containerStatuses": [{"name": "api", "image": "api:1", "imageID": "", "ready": false, "restartCount": 0,
                    "state": {"waiting": {"reason": "CreateContainerConfigError", "message": "couldn't find key password in Secret aiwfe/redis-auth"}}}]}),
                json!({"name": "api", "image": "api:1"}),
            ),
        ]);
        let o = analyze(&s, "t");
        assert_eq!(codes(&o), ["kube.image_pull", "kube.config_error"]);
        assert_eq!(
            o.findings[0].evidence.as_deref(),
            Some("Back-off pulling image \"ghcr.io/aiwfe/web:9.9\"")
        );
        assert_eq!(
            o.findings[1].evidence.as_deref(),
            Some("couldn't find key password in Secret aiwfe/redis-auth")
        );
    }

    #[test]
    fn a_crash_loop_of_an_unnamed_pod_or_container_gets_no_command_to_paste() {
        let crash = |container: &str| {
            json!({"phase": "Running", "containerStatuses": [{"name": container, "image": "w:1", "imageID": "", "ready": false, "restartCount": 9,
                "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]})
        };
        let named = analyze(&state(vec![pod("w-1", crash("w"), json!({"name": "w", "image": "w:1"}))]), "t");
        assert_eq!(
            named.findings[0].hint.as_deref(),
            Some("read the crash: kubectl logs -n aiwfe w-1 -c w --previous")
        );
        for (name, container) in [("", "w"), ("w-1", ""), ("w-1; rm -rf ~", "w")] {
            let o = analyze(
                &state(vec![pod(name, crash(container), json!({"name": container, "image": "w:1"}))]),
                "t",
            );
            let hint = o.findings[0].hint.as_deref().unwrap();
            assert!(!hint.contains("kubectl logs -n"), "{hint}");
            assert!(hint.contains("valid name"), "{hint}");
        }
    }

    #[test]
    fn oom_killed_names_the_memory_limit() {
        let s = state(vec![pod(
            "worker-1",
            json!({"phase": "Running", "containerStatuses": [{"name": "worker", "image": "w:1", "imageID": "", "ready": true, "restartCount": 3,
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": "2025-08-13T14:00:00Z", "finishedAt": "2025-08-13T14:05:00Z"}},
                "state": {"running": {"startedAt": "2025-08-13T14:05:02Z"}}}]}),
            json!({"name": "worker", "image": "w:1", "resources": {"limits": {"memory": "256Mi"}}}),
        )]);
        let o = analyze(&s, "t");
        assert_eq!(codes(&o), ["kube.oomkilled"]);
        assert!(o.findings[0].summary.contains("memory limit 256Mi"), "{}", o.findings[0].summary);
    }

    #[test]
    fn crash_loop_prefers_the_previous_log_over_the_termination_message() {
        let mut s = state(vec![pod(
            "r-1",
            json!({"phase": "Running", "containerStatuses": [{"name": "app", "image": "a:1", "imageID": "", "ready": false, "restartCount": 12,
                "lastState": {"terminated": {"exitCode": 1, "reason": "Error", "message": "exiting"}},
                "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]}),
            json!({"name": "app", "image": "a:1", "env": [{"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}}]}),
        )]);
        s.logs.push(crate::cluster::ContainerLog {
            namespace: "aiwfe".into(),
            pod: "r-1".into(),
            container: "app".into(),
            previous: true,
            log: "boot\n[ioredis] Unhandled error event: ReplyError: WRONGPASS invalid username-password pair or user is disabled.\n"
                .into(),
        });
        let o = analyze(&s, "t");
        let f = &o.findings[0];
        assert_eq!(f.code, "kube.crashloop");
        assert_eq!(f.labels["signature"], "redis-auth");
        assert_eq!(f.labels["evidence_from"], "previous container's log");
        assert_eq!(f.labels["redis_secret"], "aiwfe/redis-auth:password");
        assert!(f.evidence.as_deref().unwrap().contains("WRONGPASS"));
        assert_eq!(f.subject.as_deref(), Some("aiwfe/pod/r-1"));
    }

    #[test]
    fn healthy_pods_give_one_ok_finding() {
        let s = state(vec![pod(
            "ok-1",
            json!({"phase": "Running", "containerStatuses": [{"name": "c", "image": "c", "imageID": "", "ready": true, "restartCount": 0, "state": {"running": {}}}]}),
            json!({"name": "c", "image": "c"}),
        )]);
        let o = analyze(&s, "t");
        assert_eq!(codes(&o), ["kube.pods"]);
        assert_eq!(o.findings[0].severity, Severity::Ok);
    }
}
