//! `kube.credentials`: passwords in plain sight in container env values, e.g.
//! `REDIS_URL=redis://:pw@redis:6379`. The evidence is redacted; the fix is a secretKeyRef.

use crate::cluster::ClusterState;
use crate::cluster::objects::{name, namespace};
use crate::redact;
use crate::report::{Finding, Observation, Severity};
use k8s_openapi::api::core::v1::PodSpec;

pub fn analyze(state: &ClusterState, target: &str) -> Observation {
    let mut obs = Observation::new("kube.credentials", target);
    // Templates of Deployments, then pods no Deployment owns (their templates cover the rest).
    let mut specs: Vec<(String, &PodSpec)> = Vec::new();
    for d in &state.deployments {
        if let Some(spec) = d.spec.as_ref().and_then(|s| s.template.spec.as_ref()) {
            specs.push((format!("{}/deployment/{}", namespace(&d.metadata), name(&d.metadata)), spec));
        }
    }
    for p in &state.pods {
        let w = crate::cluster::objects::workload_of(p, state);
        if w.kind == "deployment"
            && state
                .deployments
                .iter()
                .any(|d| name(&d.metadata) == w.name && namespace(&d.metadata) == w.namespace)
        {
            continue;
        }
        if let Some(spec) = &p.spec {
            let subject = w.subject();
            if !specs.iter().any(|(s, _)| *s == subject) {
                specs.push((subject, spec));
            }
        }
    }
    let mut count = 0;
    for (subject, spec) in specs {
        for c in spec.containers.iter().chain(spec.init_containers.iter().flatten()) {
            for e in c.env.iter().flatten() {
                let Some(value) = e.value.as_deref().filter(|v| !v.is_empty()) else {
                    continue;
                };
                let Some(kind) = redact::plaintext_secret(&e.name, value) else {
                    continue;
                };
                count += 1;
                let (ns, rest) = subject.split_once('/').unwrap_or(("default", subject.as_str()));
                obs.push(
                    Finding::new(
                        "kube.plaintext_credential",
                        Severity::Warning,
                        format!("{rest}: env `{}` of container `{}` holds a {kind} in plain text", e.name, c.name),
                    )
                    .evidence(format!("{}={}", e.name, redact::masked_value(value)))
                    .hint(format!(
                        "anyone who can read the {} can read it: move it to a Secret and use `valueFrom.secretKeyRef` (kubectl create secret generic ... -n {ns})",
                        rest.split('/').next().unwrap_or("object")
                    ))
                    .subject(subject.clone())
                    .label("env", e.name.clone())
                    .label("container", c.name.clone()),
                );
            }
        }
    }
    obs.measure("plaintext_credentials", count as f64, "count");
    for d in &state.deployments {
        if let Some(spec) = d.spec.as_ref().and_then(|s| s.template.spec.as_ref())
            && let Some((secret, fp)) = redis_server_password(spec, namespace(&d.metadata), state)
        {
            let mut f = Finding::new(
                "kube.redis_server",
                Severity::Info,
                format!(
                    "deployment/{} runs Redis with the password from secret `{}`{}",
                    name(&d.metadata),
                    secret,
                    fp.as_ref().map(|f| format!(" (sha256:{f})")).unwrap_or_default()
                ),
            )
            .subject(format!("{}/deployment/{}", namespace(&d.metadata), name(&d.metadata)))
            .label("redis_server_secret", secret);
            if let Some(fp) = fp {
                f = f.label("redis_server_sha256", fp);
            }
            obs.push(f);
        }
    }
    if count == 0 {
        obs.push(Finding::new(
            "kube.credentials",
            Severity::Ok,
            "no password found in plain env values",
        ));
    }
    obs
}

/// For a Redis server pod template: `namespace/secret:key` of the secret its password comes
/// from (`--requirepass $(VAR)` or the images' `REDIS_PASSWORD` convention), and that
/// value's fingerprint when the secret was read.
pub fn redis_server_password(spec: &PodSpec, ns: &str, state: &ClusterState) -> Option<(String, Option<String>)> {
    let c = spec.containers.iter().find(|c| {
        let image = c.image.as_deref().unwrap_or_default();
        image.rsplit('/').next().unwrap_or_default().starts_with("redis") && !image.contains("exporter")
    })?;
    let words: Vec<&String> = c.command.iter().flatten().chain(c.args.iter().flatten()).collect();
    let var = words
        .iter()
        .position(|w| w.as_str() == "--requirepass")
        .and_then(|i| words.get(i + 1))
        .and_then(|w| w.strip_prefix("$(").and_then(|v| v.strip_suffix(')')))
        .map(str::to_string)
        .or_else(|| c.env.iter().flatten().find(|e| e.name == "REDIS_PASSWORD").map(|e| e.name.clone()))?;
    let r = c
        .env
        .iter()
        .flatten()
        .find(|e| e.name == var)?
        .value_from
        .as_ref()?
        .secret_key_ref
        .as_ref()?;
    let fp = state
        .secrets
        .iter()
        .find(|s| s.namespace == ns && s.name == r.name)
        .and_then(|s| s.fingerprints.get(&r.key).cloned());
    Some((format!("{ns}/{}:{}", r.name, r.key), fp))
}
