//! `kube.credentials`: passwords in plain sight in container env values, e.g.
//! `REDIS_URL=redis://:pw@redis:6379`. The evidence is redacted; the fix is a secretKeyRef.
//! Also which secret each Redis server (Deployment, StatefulSet or pod) takes its password
//! from (`kube.redis_server`).

use crate::cluster::ClusterState;
use crate::cluster::objects::{pod_templates, redis_server_password};
use crate::redact;
use crate::report::{Finding, Observation, Severity};

pub fn analyze(state: &ClusterState, target: &str) -> Observation {
    let mut obs = Observation::new("kube.credentials", target);
    let mut count = 0;
    for (w, spec) in pod_templates(state) {
        let subject = w.subject();
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
    for (w, spec) in pod_templates(state) {
        let Some(server) = redis_server_password(spec, &w.namespace, state) else {
            continue;
        };
        let secret = server.secret.to_string();
        let mut f = Finding::new(
            "kube.redis_server",
            Severity::Info,
            format!(
                "{} runs Redis with the password from secret `{secret}`{}",
                w.kubectl(),
                server.sha256.as_ref().map(|f| format!(" (sha256:{f})")).unwrap_or_default()
            ),
        )
        .subject(w.subject())
        .label("redis_server_secret", secret);
        if let Some(fp) = server.sha256 {
            f = f.label("redis_server_sha256", fp);
        }
        obs.push(f);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redis_statefulset_names_its_password_secret() {
        let mut state = ClusterState::default();
        state
            .add_object(serde_json::json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "redis-master-0", "namespace": "data",
                    "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "redis-master", "uid": "u", "controller": true}]},
                "spec": {"containers": [{"name": "redis", "image": "docker.io/bitnami/redis:7.2.5",
                    "env": [{"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis", "key": "redis-password"}}}]}]}
            }))
            .unwrap();
        let obs = analyze(&state, "t");
        let f = obs.findings.iter().find(|f| f.code == "kube.redis_server").unwrap();
        assert_eq!(f.subject.as_deref(), Some("data/statefulset/redis-master"));
        assert_eq!(f.labels["redis_server_secret"], "data/redis:redis-password");
        assert_eq!(
            f.summary,
            "statefulset/redis-master runs Redis with the password from secret `data/redis:redis-password`"
        );
    }
}
