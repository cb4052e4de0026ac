//! Writes a `ClusterState` as one YAML `List` that `--snapshot` reads back, with every
//! secret value removed: Secrets keep key names and fingerprints only, env values that hold
//! passwords are masked, `last-applied-configuration` annotations (which repeat them) and
//! managed fields are dropped, and URLs in logs lose their passwords.

use super::{ClusterState, FINGERPRINTS_ANNOTATION};
use crate::redact;
use serde_json::{Value, json};

pub fn to_yaml(state: &ClusterState) -> Result<String, String> {
    let mut items: Vec<Value> = Vec::new();
    let mut push = |v: Result<Value, serde_json::Error>| -> Result<(), String> {
        let mut v = v.map_err(|e| e.to_string())?;
        scrub(&mut v);
        items.push(v);
        Ok(())
    };
    for o in &state.nodes {
        push(serde_json::to_value(o))?;
    }
    for o in &state.deployments {
        push(serde_json::to_value(o))?;
    }
    for o in &state.replica_sets {
        push(serde_json::to_value(o))?;
    }
    for o in &state.hpas {
        push(serde_json::to_value(o))?;
    }
    for o in &state.pods {
        push(serde_json::to_value(o))?;
    }
    for o in &state.events {
        push(serde_json::to_value(o))?;
    }
    for s in &state.secrets {
        items.push(json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": s.name,
                "namespace": s.namespace,
                "annotations": {FINGERPRINTS_ANNOTATION: serde_json::to_string(&s.fingerprints).map_err(|e| e.to_string())?},
            },
        }));
    }
    for m in state.pod_metrics.iter().flatten() {
        let mut v = serde_json::to_value(m).map_err(|e| e.to_string())?;
        v["apiVersion"] = json!("metrics.k8s.io/v1beta1");
        v["kind"] = json!("PodMetrics");
        items.push(v);
    }
    for m in state.node_metrics.iter().flatten() {
        let mut v = serde_json::to_value(m).map_err(|e| e.to_string())?;
        v["apiVersion"] = json!("metrics.k8s.io/v1beta1");
        v["kind"] = json!("NodeMetrics");
        items.push(v);
    }
    for l in &state.logs {
        items.push(json!({
            "apiVersion": "aiwfe.dev/v1",
            "kind": "ContainerLog",
            "metadata": {"name": l.pod, "namespace": l.namespace},
            "container": l.container,
            "previous": l.previous,
            "log": redact::scrub_urls(&l.log),
        }));
    }
    let list = json!({"apiVersion": "v1", "kind": "List", "metadata": {"source": state.source}, "items": items});
    serde_saphyr::to_string(&list).map_err(|e| e.to_string())
}

/// Removes what may carry secrets from one object, recursively for env lists.
fn scrub(v: &mut Value) {
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
        if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
        }
    }
    scrub_env(v);
}

fn scrub_env(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(env)) = map.get_mut("env") {
                for e in env.iter_mut() {
                    let name = e.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                    if let Some(Value::String(value)) = e.get_mut("value")
                        && redact::plaintext_secret(&name, value).is_some()
                    {
                        *value = redact::masked_value(value);
                    }
                }
            }
            for (_, child) in map.iter_mut() {
                scrub_env(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_env),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::{SecretInfo, parse_documents};

    #[test]
    fn round_trips_without_secret_values() {
        let pod = r#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"aiwfe","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"REDIS_PASSWORD\":\"hunter22\"}"}},
          "spec":{"containers":[{"name":"c","image":"x","env":[{"name":"REDIS_URL","value":"redis://:hunter22@redis:6379"},{"name":"REDIS_PASSWORD","value":"hunter22"},{"name":"LOG","value":"info"}]}]}}"#;
        let mut s = ClusterState::default();
        s.add_object(serde_json::from_str(pod).unwrap()).unwrap();
        s.secrets.push(SecretInfo {
            namespace: "aiwfe".into(),
            name: "redis-auth".into(),
            fingerprints: [("password".to_string(), "abcd1234".to_string())].into(),
        });
        let yaml = to_yaml(&s).unwrap();
        assert!(!yaml.contains("hunter22"), "{yaml}");
        assert!(yaml.contains("redis://:***@redis:6379"), "{yaml}");
        let mut back = ClusterState::default();
        for d in parse_documents(&yaml).unwrap() {
            back.add_object(d).unwrap();
        }
        assert_eq!(back.pods.len(), 1);
        assert_eq!(back.secrets[0].fingerprints["password"], "abcd1234");
    }
}
