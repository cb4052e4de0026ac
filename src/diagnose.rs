//! Root causes: pure rules over every probe's findings. Each cause names what explains a set
//! of symptoms, the exact command that fixes it, and, when only part of the evidence is at
//! hand (a snapshot, no Redis target), what would confirm it.

use crate::report::{Cause, Finding, FindingRef, Observation, Severity};

struct Hit<'a> {
    check: &'a str,
    f: &'a Finding,
}

impl Hit<'_> {
    fn r(&self) -> FindingRef {
        FindingRef {
            check: self.check.to_string(),
            code: self.f.code.clone(),
            subject: self.f.subject.clone(),
        }
    }
}

fn all(obs: &[Observation]) -> Vec<Hit<'_>> {
    obs.iter()
        .flat_map(|o| o.findings.iter().map(move |f| Hit { check: &o.id, f }))
        .collect()
}

/// Applies every rule; causes come out worst first.
pub fn diagnose(obs: &[Observation]) -> Vec<Cause> {
    let hits = all(obs);
    let mut causes = Vec::new();
    causes.extend(redis_auth(&hits));
    causes.extend(service_down(&hits, "redis-refused", "redis.unreachable", "redis-down", "Redis"));
    causes.extend(service_down(
        &hits,
        "postgres-refused",
        "postgres.unreachable",
        "postgres-down",
        "PostgreSQL",
    ));
    causes.extend(postgres_auth(&hits));
    causes.extend(postgres_slots(&hits));
    causes.extend(affinity(&hits));
    causes.extend(hpa_without_requests(&hits));
    causes.extend(overprovisioned(&hits));
    causes.extend(no_autoscaling(&hits));
    causes.extend(ws_slow_auth(&hits));
    causes.sort_by_key(|c| std::cmp::Reverse(c.severity));
    causes
}

fn with_signature<'a>(hits: &'a [Hit<'a>], sig: &str) -> Vec<&'a Hit<'a>> {
    hits.iter()
        .filter(|h| h.f.code == "kube.crashloop" && h.f.labels.get("signature").map(String::as_str) == Some(sig))
        .collect()
}

fn code<'a>(hits: &'a [Hit<'a>], code: &str) -> Vec<&'a Hit<'a>> {
    hits.iter().filter(|h| h.f.code == code).collect()
}

fn label<'a>(h: &'a Hit<'a>, key: &str) -> Option<&'a str> {
    h.f.labels.get(key).map(String::as_str)
}

fn workloads(hits: &[&Hit<'_>]) -> String {
    let mut w: Vec<String> = hits.iter().filter_map(|h| label(h, "workload").map(str::to_string)).collect();
    w.dedup();
    w.join(", ")
}

fn redis_auth(hits: &[Hit<'_>]) -> Option<Cause> {
    let crashes = with_signature(hits, "redis-auth");
    if crashes.is_empty() {
        return None;
    }
    let first = crashes[0];
    let ns = label(first, "namespace").unwrap_or("default");
    let secret_ref = label(first, "redis_secret");
    let (secret, key) = secret_ref
        .and_then(|r| r.split_once('/').map(|(_, rest)| rest))
        .and_then(|r| r.split_once(':'))
        .map(|(n, k)| (n.to_string(), k.to_string()))
        .unwrap_or(("redis-auth".into(), "password".into()));
    let secret_fp = label(first, "redis_secret_sha256");
    let noauth = code(hits, "redis.noauth");
    let wrongpass = code(hits, "redis.wrongpass");
    let ok = code(hits, "redis.auth_ok");
    let accepted_fp = ok.first().and_then(|h| label(h, "password_sha256"));
    let rejected_fp = wrongpass.first().and_then(|h| label(h, "password_sha256"));

    let mut explains: Vec<FindingRef> = crashes.iter().map(|h| h.r()).collect();
    // The same workloads' unavailability is a symptom too.
    let subjects: Vec<&str> = crashes.iter().filter_map(|h| h.f.subject.as_deref()).collect();
    explains.extend(
        code(hits, "kube.deployment_unavailable")
            .iter()
            .filter(|h| h.f.subject.as_deref().is_some_and(|s| subjects.contains(&s)))
            .map(|h| h.r()),
    );
    let server = code(hits, "kube.redis_server")
        .into_iter()
        .find(|h| label(h, "redis_server_sha256").is_some());
    let server_fp = server.and_then(|h| label(h, "redis_server_sha256"));
    let server_secret = server
        .and_then(|h| label(h, "redis_server_secret"))
        .and_then(|r| r.split_once('/').map(|(_, rest)| rest.to_string()));
    let who = workloads(&crashes);
    let (summary, certainty, confirm) = match (secret_fp, accepted_fp, rejected_fp) {
        (Some(s), Some(a), _) if s != a => {
            explains.extend(ok.iter().map(|h| h.r()));
            (
                format!(
                    "{who} cannot authenticate to Redis: secret `{secret}` key `{key}` (sha256:{s}) does not hold the password Redis accepts (sha256:{a})"
                ),
                "confirmed",
                None,
            )
        }
        (Some(s), _, Some(r)) if s == r => {
            explains.extend(wrongpass.iter().map(|h| h.r()));
            (
                format!("{who} cannot authenticate to Redis: Redis rejects the password in secret `{secret}` key `{key}` (sha256:{s})"),
                "confirmed",
                None,
            )
        }
        (Some(s), None, None) if server_fp.is_some_and(|f| f != s) => {
            explains.extend(server.iter().map(|h| h.r()));
            (
                format!(
                    "{who} cannot authenticate to Redis: secret `{secret}` key `{key}` (sha256:{s}) differs from the password the Redis server is started with (`{}`, sha256:{})",
                    server_secret.clone().unwrap_or_default(),
                    server_fp.unwrap_or_default()
                ),
                "confirmed",
                None,
            )
        }
        _ if !noauth.is_empty() || !wrongpass.is_empty() => {
            explains.extend(noauth.iter().chain(wrongpass.iter()).map(|h| h.r()));
            (
                format!(
                    "{who} cannot authenticate to Redis: Redis requires a password that the pods do not have (their secret `{secret}` key `{key}` does not hold it)"
                ),
                "confirmed",
                None,
            )
        }
        _ => (
            format!(
                "{who} crash-loops on Redis authentication errors: most likely secret `{secret}` key `{key}` does not hold the password Redis requires"
            ),
            "likely",
            Some(
                "run doctor with the Redis the pods use (--redis redis://:PASSWORD@HOST:6379) to see which password it accepts".to_string(),
            ),
        ),
    };
    let restarts: Vec<String> = crashes
        .iter()
        .filter_map(|h| label(h, "workload"))
        .map(|w| format!("kubectl rollout restart {w} -n {ns}"))
        .collect();
    // When the server's own secret is known, copy its value across without printing it;
    // otherwise the user supplies the password.
    let fix = match server_secret
        .as_deref()
        .and_then(|s| s.split_once(':'))
        .filter(|_| certainty == "confirmed" && server_fp.is_some())
    {
        Some((sname, skey)) => format!(
            "kubectl patch secret {secret} -n {ns} --type=merge -p \"{{\\\"data\\\":{{\\\"{key}\\\":\\\"$(kubectl get secret {sname} -n {ns} -o jsonpath='{{.data.{skey}}}')\\\"}}}}\" && {}",
            restarts.join(" && ")
        ),
        None => format!(
            "kubectl create secret generic {secret} -n {ns} --from-literal={key}=\"$REDIS_PASSWORD\" --dry-run=client -o yaml | kubectl apply -f - && {}",
            restarts.join(" && ")
        ),
    };
    Some(Cause {
        id: "redis-auth".into(),
        severity: Severity::Error,
        summary,
        certainty: certainty.into(),
        confirm,
        fix: Some(fix),
        explains,
    })
}

fn service_down(hits: &[Hit<'_>], sig: &str, probe_code: &str, id: &str, what: &str) -> Option<Cause> {
    let crashes = with_signature(hits, sig);
    if crashes.is_empty() {
        return None;
    }
    let probe = code(hits, probe_code);
    let mut explains: Vec<FindingRef> = crashes.iter().map(|h| h.r()).collect();
    explains.extend(probe.iter().map(|h| h.r()));
    let confirmed = !probe.is_empty();
    Some(Cause {
        id: id.into(),
        severity: Severity::Error,
        summary: format!(
            "{} crash-loops because {what} refuses connections{}",
            workloads(&crashes),
            if confirmed { " (aiwfe could not reach it either)" } else { "" }
        ),
        certainty: if confirmed { "confirmed" } else { "likely" }.into(),
        confirm: (!confirmed).then(|| format!("run doctor with the {what} address the pods use")),
        fix: None,
        explains,
    })
}

fn postgres_auth(hits: &[Hit<'_>]) -> Option<Cause> {
    let crashes = with_signature(hits, "postgres-auth");
    if crashes.is_empty() {
        return None;
    }
    let probe = code(hits, "postgres.auth_failed");
    let mut explains: Vec<FindingRef> = crashes.iter().map(|h| h.r()).collect();
    explains.extend(probe.iter().map(|h| h.r()));
    Some(Cause {
        id: "postgres-auth".into(),
        severity: Severity::Error,
        summary: format!("{} crash-loops because PostgreSQL rejects its password", workloads(&crashes)),
        certainty: "likely".into(),
        confirm: Some("run doctor with the PostgreSQL URL from the pods' secret (--postgres)".into()),
        fix: None,
        explains,
    })
}

fn postgres_slots(hits: &[Hit<'_>]) -> Option<Cause> {
    let crashes = with_signature(hits, "postgres-too-many-clients");
    let probe: Vec<_> = code(hits, "postgres.too_many_clients")
        .into_iter()
        .chain(code(hits, "postgres.connections_high"))
        .collect();
    if crashes.is_empty() && probe.is_empty() {
        return None;
    }
    let mut explains: Vec<FindingRef> = crashes.iter().map(|h| h.r()).collect();
    explains.extend(probe.iter().map(|h| h.r()));
    Some(Cause {
        id: "postgres-connections".into(),
        severity: Severity::Error,
        summary: "PostgreSQL is out of connection slots: the applications' pools together want more than max_connections".into(),
        certainty: if probe.is_empty() { "likely" } else { "confirmed" }.into(),
        confirm: probe
            .is_empty()
            .then(|| "run doctor with --postgres to see the server's connection figures".to_string()),
        fix: None,
        explains,
    })
}

fn affinity(hits: &[Hit<'_>]) -> Vec<Cause> {
    code(hits, "kube.unschedulable")
        .into_iter()
        .filter(|h| label(h, "reason") == Some("anti-affinity"))
        .map(|h| {
            let w = label(h, "workload").unwrap_or("the workload");
            let summary = match (label(h, "replicas"), label(h, "nodes"), label(h, "topology_key")) {
                (Some(r), Some(n), Some(t)) => format!(
                    "{w} requires its {r} replicas on distinct nodes (required pod anti-affinity on `{t}`) but only {n} nodes can take them"
                ),
                _ => format!("{w} cannot be scheduled: pod anti-affinity rules exclude every node"),
            };
            Cause {
                id: "affinity".into(),
                severity: h.f.severity,
                summary,
                certainty: "confirmed".into(),
                confirm: None,
                fix: h.f.fix.clone(),
                explains: vec![h.r()],
            }
        })
        .collect()
}

fn hpa_without_requests(hits: &[Hit<'_>]) -> Option<Cause> {
    let found = code(hits, "kube.hpa_no_cpu_request");
    if found.is_empty() {
        return None;
    }
    let mut explains: Vec<FindingRef> = found.iter().map(|h| h.r()).collect();
    explains.extend(code(hits, "kube.hpa_unable").iter().map(|h| h.r()));
    Some(Cause {
        id: "hpa-no-requests".into(),
        severity: Severity::Error,
        summary: "HPAs scale on CPU utilisation of pods that request no CPU, so they cannot scale".into(),
        certainty: "confirmed".into(),
        confirm: None,
        fix: found[0].f.fix.clone(),
        explains,
    })
}

fn joined(fixes: &[&Hit<'_>]) -> Option<String> {
    let cmds: Vec<&str> = fixes.iter().filter_map(|h| h.f.fix.as_deref()).collect();
    match cmds.len() {
        0 => None,
        1..=6 => Some(cmds.join(" && ")),
        n => Some(format!("{} (and {} more in the findings)", cmds[..6].join(" && "), n - 6)),
    }
}

fn overprovisioned(hits: &[Hit<'_>]) -> Option<Cause> {
    let over = code(hits, "kube.overprovisioned");
    let low = code(hits, "kube.low_efficiency");
    if over.is_empty() && low.is_empty() {
        return None;
    }
    let eff = low
        .first()
        .and_then(|h| label(h, "cpu_efficiency_pct"))
        .map(|e| format!(": pods use {e} % of the CPU they request"))
        .unwrap_or_default();
    let mut explains: Vec<FindingRef> = low.iter().map(|h| h.r()).collect();
    explains.extend(over.iter().map(|h| h.r()));
    Some(Cause {
        id: "overprovisioned".into(),
        severity: Severity::Warning,
        summary: format!(
            "requests are far above what the workloads use{eff}; {} workloads are over-provisioned",
            over.len()
        ),
        certainty: "confirmed".into(),
        confirm: None,
        fix: joined(&over),
        explains,
    })
}

fn no_autoscaling(hits: &[Hit<'_>]) -> Option<Cause> {
    let none = code(hits, "kube.no_hpa");
    if none.is_empty() {
        return None;
    }
    Some(Cause {
        id: "no-autoscaling".into(),
        severity: Severity::Info,
        summary: format!(
            "{} deployments have no HorizontalPodAutoscaler, so capacity is fixed at its peak size",
            none.len()
        ),
        certainty: "confirmed".into(),
        confirm: None,
        fix: joined(&none),
        explains: none.iter().map(|h| h.r()).collect(),
    })
}

/// Slow handshakes whose time goes to the server's answer to the upgrade (or to the first
/// in-band round trip): authentication in the gateway, which the proxy takes off it.
fn ws_slow_auth(hits: &[Hit<'_>]) -> Option<Cause> {
    let slow: Vec<&Hit<'_>> = code(hits, "ws.slow_phase")
        .into_iter()
        .filter(|h| matches!(label(h, "phase"), Some("upgrade" | "first_message")))
        .collect();
    let first = slow.first()?;
    let redis = !with_signature(hits, "redis-auth").is_empty() || !code(hits, "redis.auth_failed").is_empty();
    let endpoint = first.f.subject.clone().unwrap_or_else(|| "the WebSocket endpoint".into());
    Some(Cause {
        id: "ws-slow-auth".into(),
        severity: first.f.severity,
        summary: format!(
            "WebSocket handshakes to {endpoint} wait on the server's authentication ({}){}",
            first.f.summary.split(':').next().unwrap_or_default(),
            if redis {
                "; its Redis-backed auth is failing too (see redis-auth)"
            } else {
                ""
            }
        ),
        certainty: "likely".into(),
        confirm: Some(
            "time the gateway without its auth in front: aiwfe probe ws URL --compare ws://GATEWAY-POD-IP:PORT/PATH; \
             the upgrade phase shows where the time goes"
                .into(),
        ),
        fix: Some(
            "kubectl apply -k deploy/proxy   # aiwfe proxy verifies each JWT once and caches it; \
             then point the WebSocket clients at ws://aiwfe-proxy:8080"
                .into(),
        ),
        explains: slow.iter().map(|h| h.r()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(id: &str, findings: Vec<Finding>) -> Observation {
        let mut o = Observation::new(id, "t");
        o.findings = findings;
        o
    }

    fn crash() -> Finding {
        Finding::new("kube.crashloop", Severity::Error, "x")
            .subject("aiwfe/deployment/reasoning-service")
            .label("signature", "redis-auth")
            .label("namespace", "aiwfe")
            .label("workload", "deployment/reasoning-service")
            .label("redis_secret", "aiwfe/redis-auth:password")
            .label("redis_secret_sha256", "aaaa1111")
    }

    #[test]
    fn crashloop_alone_names_the_likely_cause_and_how_to_confirm() {
        let c = diagnose(&[obs("kube.pods", vec![crash()])]);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].id, "redis-auth");
        assert_eq!(c[0].certainty, "likely");
        assert!(c[0].confirm.as_deref().unwrap().contains("--redis"));
        let fix = c[0].fix.as_deref().unwrap();
        assert!(
            fix.contains("kubectl create secret generic redis-auth -n aiwfe --from-literal=password="),
            "{fix}"
        );
        assert!(
            fix.ends_with("kubectl rollout restart deployment/reasoning-service -n aiwfe"),
            "{fix}"
        );
    }

    #[test]
    fn redis_probe_confirms_by_fingerprint() {
        let ok = Finding::new("redis.auth_ok", Severity::Ok, "x").label("password_sha256", "bbbb2222");
        let c = diagnose(&[obs("kube.pods", vec![crash()]), obs("redis.auth", vec![ok])]);
        assert_eq!(c[0].certainty, "confirmed");
        assert!(
            c[0].summary
                .contains("(sha256:aaaa1111) does not hold the password Redis accepts (sha256:bbbb2222)"),
            "{}",
            c[0].summary
        );
        assert_eq!(c[0].explains.len(), 2);

        let noauth = Finding::new("redis.noauth", Severity::Error, "x");
        let c = diagnose(&[obs("kube.pods", vec![crash()]), obs("redis.auth", vec![noauth])]);
        assert_eq!(c[0].certainty, "confirmed");
        assert!(c[0].explains.iter().any(|r| r.code == "redis.noauth"));
    }

    #[test]
    fn anti_affinity_cause_carries_the_patch() {
        let f = Finding::new("kube.unschedulable", Severity::Error, "x")
            .label("reason", "anti-affinity")
            .label("workload", "deployment/integration-service")
            .label("replicas", "3")
            .label("nodes", "2")
            .label("topology_key", "kubernetes.io/hostname")
            .fix("kubectl patch ...");
        let c = diagnose(&[obs("kube.scheduling", vec![f])]);
        assert_eq!(c[0].id, "affinity");
        assert!(c[0].summary.contains("3 replicas on distinct nodes"));
        assert_eq!(c[0].fix.as_deref(), Some("kubectl patch ..."));
    }

    #[test]
    fn slow_upgrades_point_at_the_proxy_but_slow_tls_does_not() {
        let slow = |phase: &str| {
            Finding::new(
                "ws.slow_phase",
                Severity::Error,
                "HTTP upgrade p99 75.0 s: the slowest phase; handshake p95 75.0 s",
            )
            .subject("wss://app.example.com/ws")
            .label("phase", phase)
        };
        let c = diagnose(&[obs("ws.handshake", vec![slow("upgrade")])]);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].id, "ws-slow-auth");
        assert_eq!(c[0].severity, Severity::Error);
        assert!(c[0].summary.contains("wss://app.example.com/ws") && c[0].summary.contains("HTTP upgrade p99 75.0 s"));
        assert!(c[0].fix.as_deref().unwrap().starts_with("kubectl apply -k deploy/proxy"));
        assert!(diagnose(&[obs("ws.handshake", vec![slow("tls")])]).is_empty());
    }

    #[test]
    fn healthy_findings_explain_nothing() {
        let c = diagnose(&[obs("redis.auth", vec![Finding::new("redis.auth_ok", Severity::Ok, "x")])]);
        assert!(c.is_empty());
    }
}
