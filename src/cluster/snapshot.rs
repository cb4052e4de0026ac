//! Writes a `ClusterState` as one YAML or JSON `List` that `--snapshot` reads back, with every
//! secret value removed: Secrets keep key names and fingerprints only, env values that hold
//! passwords are masked, `last-applied-configuration` annotations (which repeat them) and
//! managed fields are dropped, and URLs in logs lose their passwords.

use super::{ClusterState, FINGERPRINTS_ANNOTATION};
use crate::redact;
use serde_json::{Value, json};

/// The file formats `aiwfe snapshot` writes. Both read back with `--snapshot`; JSON reads
/// several times faster and is the one for big clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

pub fn to_yaml(state: &ClusterState) -> Result<String, String> {
    let mut out = Vec::new();
    write(state, Format::Yaml, &mut out)?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// Writes the state as one `List`, object by object (no tree of the whole list is built).
pub fn write(state: &ClusterState, format: Format, out: &mut dyn std::io::Write) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    let mut first = true;
    let mut item = |v: &Value, out: &mut dyn std::io::Write| -> Result<(), String> {
        match format {
            Format::Json => {
                out.write_all(if first { b"\n" } else { b",\n" }).map_err(io)?;
                serde_json::to_writer(&mut *out, v).map_err(|e| e.to_string())?;
            }
            Format::Yaml => {
                if first {
                    out.write_all(b"items:\n").map_err(io)?;
                }
                let yaml = serde_saphyr::to_string(v).map_err(|e| e.to_string())?;
                let mut lead = "- ";
                for line in yaml.lines() {
                    if line.is_empty() {
                        out.write_all(b"\n").map_err(io)?;
                    } else {
                        writeln!(out, "{lead}{line}").map_err(io)?;
                    }
                    lead = "  ";
                }
            }
        }
        first = false;
        Ok(())
    };
    let meta = json!({"source": state.source});
    match format {
        Format::Json => write!(out, "{{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{meta},\"items\":[").map_err(io)?,
        Format::Yaml => {
            let meta =
                serde_saphyr::to_string(&json!({"apiVersion": "v1", "kind": "List", "metadata": meta})).map_err(|e| e.to_string())?;
            out.write_all(meta.as_bytes()).map_err(io)?
        }
    }
    fn typed<T: serde::Serialize>(o: &T) -> Result<Value, String> {
        let mut v = serde_json::to_value(o).map_err(|e| e.to_string())?;
        scrub(&mut v);
        Ok(v)
    }
    for o in &state.nodes {
        item(&typed(o)?, out)?;
    }
    for o in &state.deployments {
        item(&typed(o)?, out)?;
    }
    for o in &state.replica_sets {
        item(&typed(o)?, out)?;
    }
    for o in &state.hpas {
        item(&typed(o)?, out)?;
    }
    for o in &state.pods {
        item(&typed(o)?, out)?;
    }
    for o in &state.events {
        item(&typed(o)?, out)?;
    }
    for s in &state.secrets {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": s.name,
                "namespace": s.namespace,
                "annotations": {FINGERPRINTS_ANNOTATION: serde_json::to_string(&s.fingerprints).map_err(|e| e.to_string())?},
            },
        });
        item(&v, out)?;
    }
    for m in state.pod_metrics.iter().flatten() {
        let mut v = serde_json::to_value(m).map_err(|e| e.to_string())?;
        v["apiVersion"] = json!("metrics.k8s.io/v1beta1");
        v["kind"] = json!("PodMetrics");
        item(&v, out)?;
    }
    for m in state.node_metrics.iter().flatten() {
        let mut v = serde_json::to_value(m).map_err(|e| e.to_string())?;
        v["apiVersion"] = json!("metrics.k8s.io/v1beta1");
        v["kind"] = json!("NodeMetrics");
        item(&v, out)?;
    }
    for l in &state.logs {
        let v = json!({
            "apiVersion": "aiwfe.dev/v1",
            "kind": "ContainerLog",
            "metadata": {"name": l.pod, "namespace": l.namespace},
            "container": l.container,
            "previous": l.previous,
            "log": redact::scrub_urls(&l.log),
        });
        item(&v, out)?;
    }
    let empty = first;
    match format {
        Format::Json => out.write_all(b"\n]}\n").map_err(io)?,
        Format::Yaml if empty => out.write_all(b"items: []\n").map_err(io)?,
        Format::Yaml => {}
    }
    Ok(())
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

        let dir = tempfile::tempdir().unwrap();
        for (name, format) in [("s.json", Format::Json), ("s.yaml", Format::Yaml)] {
            let path = dir.path().join(name);
            let mut f = std::fs::File::create(&path).unwrap();
            write(&s, format, &mut f).unwrap();
            drop(f);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("hunter22"), "{text}");
            let back = crate::cluster::load_snapshot(&path).unwrap();
            assert_eq!((back.pods.len(), back.secrets.len()), (1, 1), "{name}");
        }
        let path = dir.path().join("empty.yaml");
        write(&ClusterState::default(), Format::Yaml, &mut std::fs::File::create(&path).unwrap()).unwrap();
        assert!(crate::cluster::load_snapshot(&path).unwrap().pods.is_empty());
    }
}
