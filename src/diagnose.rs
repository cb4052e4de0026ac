//! Root causes: pure rules over every probe's findings. Each cause names what explains a set
//! of symptoms, the exact command that fixes it, and, when only part of the evidence is at
//! hand (a snapshot, no Redis target), what would confirm it.

use crate::cluster::objects::{REDIS_SECRET, REDIS_SECRET_KEY};
use crate::report::{Cause, Finding, FindingRef, Observation, Severity};
use std::borrow::Cow;
use std::collections::BTreeMap;

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

/// One cause per namespace and Secret the crash-looping pods read their password from: a
/// fix command names one namespace and one Secret.
fn redis_auth(hits: &[Hit<'_>]) -> Vec<Cause> {
    let mut groups: BTreeMap<(&str, Option<&str>), Vec<&Hit<'_>>> = BTreeMap::new();
    for h in with_signature(hits, "redis-auth") {
        let ns = label(h, "namespace").unwrap_or("default");
        groups.entry((ns, label(h, "redis_secret"))).or_default().push(h);
    }
    groups.into_values().map(|crashes| redis_auth_in(hits, &crashes)).collect()
}

fn redis_auth_in(hits: &[Hit<'_>], crashes: &[&Hit<'_>]) -> Cause {
    let first = crashes[0];
    let ns = label(first, "namespace").unwrap_or("default");
    let secret_ref = label(first, "redis_secret");
    let (secret, key) = secret_ref
        .and_then(|r| r.split_once('/').map(|(_, rest)| rest))
        .and_then(|r| r.split_once(':'))
        .map(|(n, k)| (n.to_string(), k.to_string()))
        .unwrap_or((REDIS_SECRET.into(), REDIS_SECRET_KEY.into()));
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
    let server = redis_server(hits, ns);
    let server_fp = server.and_then(|h| label(h, "redis_server_sha256"));
    // `namespace/name:key` of the secret the Redis server is started with.
    let server_ref = server.and_then(|h| label(h, "redis_server_secret"));
    let server_secret = server_ref.and_then(|r| r.split_once('/').map(|(_, rest)| rest.to_string()));
    let who = workloads(crashes);
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
    // Copy the server's password across when its secret is known, is not the one being
    // fixed, and nothing says it differs from what Redis accepts; otherwise the user
    // supplies the password.
    let from = server_ref.filter(|r| {
        *r != format!("{ns}/{secret}:{key}")
            && !(server_fp.is_some() && server_fp == secret_fp)
            && !(server_fp.is_some() && accepted_fp.is_some() && server_fp != accepted_fp)
    });
    let (ns_w, secret_w, key_w) = (shell_word(ns), shell_word(&secret), shell_word(&key));
    let restarts: Vec<String> = crashes
        .iter()
        .filter_map(|h| label(h, "workload"))
        .map(|w| format!("kubectl rollout restart {} -n {ns_w}", shell_word(w)))
        .collect();
    let fix = format!(
        "aiwfe fix redis-auth -n {ns_w} --secret {secret_w} --key {key_w} {}",
        match from {
            Some(r) => format!("--from-secret {}", shell_word(r)),
            None => "--password-stdin".to_string(),
        }
    );
    let from_parts = from.and_then(|r| {
        let (sns, rest) = r.split_once('/')?;
        let (sname, skey) = rest.split_once(':')?;
        Some((sns, sname, skey))
    });
    let kubectl = match from_parts {
        Some((sns, sname, skey)) => format!(
            "kubectl patch secret {secret_w} -n {ns_w} --type=merge -p \"{{\\\"data\\\":{{\\\"{key}\\\":\\\"$(kubectl get secret {} -n {} -o jsonpath='{{.data.{skey}}}')\\\"}}}}\"",
            shell_word(sname),
            shell_word(sns)
        ),
        None => format!(
            "kubectl create secret generic {secret_w} -n {ns_w} --from-literal={key}=\"$REDIS_PASSWORD\" --dry-run=client -o yaml | kubectl apply -f -"
        ),
    };
    let hint = format!(
        "aiwfe {}, writes it to secret `{secret}` key `{key}` and restarts {who}; with kubectl alone: {kubectl} && {}",
        match from {
            Some(r) => format!("copies the password from `{r}` without printing it"),
            None => "reads the password Redis accepts from stdin".to_string(),
        },
        restarts.join(" && ")
    );
    Cause {
        id: "redis-auth".into(),
        severity: Severity::Error,
        summary,
        certainty: certainty.into(),
        confirm,
        fix: Some(fix),
        hint: Some(hint),
        explains,
    }
}

/// The `kube.redis_server` finding of the Redis the clients in `ns` most likely use: the
/// only one in `ns`, or with none there, the only one at all.
fn redis_server<'a>(hits: &'a [Hit<'a>], ns: &str) -> Option<&'a Hit<'a>> {
    let all = code(hits, "kube.redis_server");
    let prefix = format!("{ns}/");
    let here: Vec<&Hit<'_>> = all
        .iter()
        .copied()
        .filter(|h| h.f.subject.as_deref().is_some_and(|s| s.starts_with(&prefix)))
        .collect();
    match (here.as_slice(), all.as_slice()) {
        ([one], _) | ([], [one]) => Some(one),
        _ => None,
    }
}

/// `word` as one shell word: as it is when it holds only characters no shell treats
/// specially (every valid Kubernetes name does), else in single quotes.
fn shell_word(word: &str) -> Cow<'_, str> {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '@' | '+'));
    if plain {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(format!("'{}'", word.replace('\'', "'\\''")))
    }
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
        hint: None,
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
        hint: None,
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
        hint: None,
        explains,
    })
}

/// One cause per namespace for workloads Pending on pod anti-affinity. Deployments whose
/// own template requires it (the finding names a `topology_key`) are fixed by one
/// `aiwfe fix affinity` per namespace, with `--deployment` as a comma list.
fn affinity(hits: &[Hit<'_>]) -> Vec<Cause> {
    let mut by_ns: BTreeMap<&str, Vec<&Hit<'_>>> = BTreeMap::new();
    for h in code(hits, "kube.unschedulable")
        .into_iter()
        .filter(|h| label(h, "reason") == Some("anti-affinity"))
    {
        by_ns.entry(label(h, "namespace").unwrap_or("default")).or_default().push(h);
    }
    by_ns
        .into_iter()
        .map(|(ns, found)| {
            let summary: Vec<String> = found
                .iter()
                .map(|h| {
                    let w = label(h, "workload").unwrap_or("the workload");
                    match (label(h, "replicas"), label(h, "nodes"), label(h, "topology_key")) {
                        (Some(r), Some(n), Some(t)) => format!(
                            "{w} requires its {r} replicas on distinct nodes (required pod anti-affinity on `{t}`) but only {n} nodes can take them"
                        ),
                        _ => format!("{w} cannot be scheduled: pod anti-affinity rules exclude every node"),
                    }
                })
                .collect();
            let fixable: Vec<&str> = found
                .iter()
                .filter(|h| label(h, "topology_key").is_some())
                .filter_map(|h| label(h, "workload")?.strip_prefix("deployment/"))
                .collect();
            let fix = (!fixable.is_empty()).then(|| {
                format!(
                    "aiwfe fix affinity -n {} --deployment {}",
                    shell_word(ns),
                    shell_word(&fixable.join(","))
                )
            });
            let hint = joined(&found).map(|kubectl| {
                format!(
                    "aiwfe makes the required pod anti-affinity preferred (replicas still spread, but may share a node when there are too few); with kubectl alone: {kubectl}"
                )
            });
            Cause {
                id: "affinity".into(),
                severity: found.iter().map(|h| h.f.severity).max().unwrap_or(Severity::Error),
                summary: summary.join("; "),
                certainty: "confirmed".into(),
                confirm: None,
                fix,
                hint,
                explains: found.iter().map(|h| h.r()).collect(),
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
        hint: None,
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
        fix: tune_resources(&over),
        hint: joined(&over).map(|k| {
            format!(
                "aiwfe samples usage for 10 minutes, recommends requests and limits from it and sets them through a playbook (journaled, undone by `aiwfe rollback`); doctor's own one-reading recommendation, with kubectl alone: {k}"
            )
        }),
        explains,
    })
}

/// `aiwfe tune resources -n NS --deployment a,b --sample 10m --apply`, one per namespace, for
/// the over-provisioned Deployments.
fn tune_resources(over: &[&Hit<'_>]) -> Option<String> {
    let mut by_ns: std::collections::BTreeMap<&str, Vec<&str>> = std::collections::BTreeMap::new();
    for h in over {
        let (Some(ns), Some(w)) = (label(h, "namespace"), label(h, "workload")) else {
            continue;
        };
        let Some(name) = w.strip_prefix("deployment/") else { continue };
        let names = by_ns.entry(ns).or_default();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let cmds: Vec<String> = by_ns
        .iter()
        .map(|(ns, names)| format!("aiwfe tune resources -n {ns} --deployment {} --sample 10m --apply", names.join(",")))
        .collect();
    (!cmds.is_empty()).then(|| cmds.join(" && "))
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
        hint: None,
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
    let redis = !with_signature(hits, "redis-auth").is_empty()
        || !code(hits, "redis.noauth").is_empty()
        || !code(hits, "redis.wrongpass").is_empty();
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
        hint: None,
        explains: slow.iter().map(|h| h.r()).collect(),
    })
}

#[cfg(test)]
mod tests;
