//! What each step kind does to an object, as a pure function on its JSON. Each mirrors the
//! kubectl command it stands for, so that the object a plan wants is the object kubectl
//! would have produced (the kubectl comparison tests check this).

use super::action::{EnvChange, PatchBody};
use super::secrets::decode_b64;
use super::target::ObjectRef;
use crate::cluster::quantity;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The annotation `kubectl rollout restart` sets on the pod template.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

type Edit = Result<(), String>;

/// The mapping under `key`, created when absent or null.
fn object_at<'a>(v: &'a mut Map<String, Value>, key: &str) -> Result<&'a mut Map<String, Value>, String> {
    let slot = v.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
    if slot.is_null() {
        *slot = Value::Object(Map::new());
    }
    slot.as_object_mut().ok_or_else(|| format!("`{key}` is not a mapping"))
}

fn root(obj: &mut Value) -> Result<&mut Map<String, Value>, String> {
    obj.as_object_mut().ok_or_else(|| "the object is not a mapping".to_string())
}

/// `spec.template`, the pod template of a Deployment, StatefulSet or DaemonSet.
fn pod_template(obj: &mut Value) -> Result<&mut Map<String, Value>, String> {
    let spec = root(obj)?
        .get_mut("spec")
        .and_then(Value::as_object_mut)
        .ok_or("it has no `spec`")?;
    spec.get_mut("template")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| "it has no pod template (`spec.template`)".to_string())
}

fn pod_spec(obj: &mut Value) -> Result<&mut Map<String, Value>, String> {
    pod_template(obj)?
        .get_mut("spec")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| "it has no pod spec (`spec.template.spec`)".to_string())
}

/// Runs `f` on every selected container: the one named `name` (among containers and init
/// containers), or, with no name, every container and init container, as kubectl's
/// default `--containers='*'` does.
fn for_containers(obj: &mut Value, name: Option<&str>, mut f: impl FnMut(&mut Map<String, Value>) -> Edit) -> Edit {
    let spec = pod_spec(obj)?;
    let mut names = Vec::new();
    let mut hit = false;
    for field in ["initContainers", "containers"] {
        let Some(list) = spec.get_mut(field).and_then(Value::as_array_mut) else {
            continue;
        };
        for c in list.iter_mut().filter_map(Value::as_object_mut) {
            let cname = c.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            if name.is_none_or(|n| n == cname) {
                hit = true;
                f(c).map_err(|e| format!("container `{cname}`: {e}"))?;
            }
            names.push(cname);
        }
    }
    match name {
        Some(n) if !hit => Err(format!(
            "no container `{n}`; containers: {}",
            super::error::backticked(names.iter().map(String::as_str))
        )),
        _ => Ok(()),
    }
}

/// `data[key]` holds `value`. A value that already decodes to `value` stays as written.
pub fn set_secret_key(obj: &mut Value, key: &str, value: &str) -> Edit {
    let o = root(obj)?;
    if o.get("immutable").and_then(Value::as_bool) == Some(true) {
        return Err("the Secret is immutable (`immutable: true`); it can only be deleted and recreated".to_string());
    }
    let data = object_at(o, "data")?;
    if data.get(key).and_then(Value::as_str).map(decode_b64).as_deref() != Some(value) {
        data.insert(key.to_string(), Value::String(B64.encode(value.as_bytes())));
    }
    Ok(())
}

/// `kubectl set env`: an existing entry of that name is replaced where it stands (so a
/// `valueFrom` goes when a `value` comes, and the other way round), a new one appended;
/// `Remove` drops every entry of that name, and the `env` list when it empties.
pub fn set_env(obj: &mut Value, container: Option<&str>, env: &str, change: &EnvChange) -> Edit {
    let entry = match change {
        EnvChange::Value(v) => Some(json!({"name": env, "value": v})),
        EnvChange::FromSecret { name, key } => Some(json!({"name": env, "valueFrom": {"secretKeyRef": {"name": name, "key": key}}})),
        EnvChange::Remove => None,
    };
    for_containers(obj, container, |c| {
        let list = match c.get_mut("env") {
            Some(Value::Array(list)) => list,
            Some(Value::Null) | None => {
                if entry.is_none() {
                    return Ok(());
                }
                c.insert("env".into(), Value::Array(Vec::new()));
                c.get_mut("env").and_then(Value::as_array_mut).ok_or("`env` is not a list")?
            }
            Some(_) => return Err("`env` is not a list".to_string()),
        };
        let named = |e: &Value| e.get("name").and_then(Value::as_str) == Some(env);
        match &entry {
            Some(new) => {
                let mut found = false;
                for e in list.iter_mut().filter(|e| named(e)) {
                    *e = new.clone();
                    found = true;
                }
                if !found {
                    list.push(new.clone());
                }
            }
            None => {
                list.retain(|e| !named(e));
                if list.is_empty() {
                    c.remove("env");
                }
            }
        }
        Ok(())
    })
}

/// Every required pod anti-affinity term becomes a preferred one, `{weight,
/// podAffinityTerm: term}`, the term kept whole (labelSelector, namespaces,
/// namespaceSelector, topologyKey, matchLabelKeys, ...); the required list goes. A term
/// already preferred is not added twice. podAffinity and nodeAffinity stay as they are.
pub fn relax_anti_affinity(obj: &mut Value, weight: i64) -> Edit {
    const REQUIRED: &str = "requiredDuringSchedulingIgnoredDuringExecution";
    const PREFERRED: &str = "preferredDuringSchedulingIgnoredDuringExecution";
    let spec = pod_spec(obj)?;
    let Some(anti) = spec
        .get_mut("affinity")
        .and_then(|a| a.get_mut("podAntiAffinity"))
        .and_then(Value::as_object_mut)
    else {
        return Ok(());
    };
    let Some(required) = anti.remove(REQUIRED) else { return Ok(()) };
    let terms = match required {
        Value::Array(terms) => terms,
        Value::Null => Vec::new(),
        _ => return Err(format!("`{REQUIRED}` is not a list")),
    };
    if terms.is_empty() {
        return Ok(());
    }
    let preferred = match anti.entry(PREFERRED).or_insert_with(|| Value::Array(Vec::new())) {
        v @ Value::Null => {
            *v = Value::Array(Vec::new());
            v.as_array_mut().ok_or("unreachable")?
        }
        Value::Array(list) => list,
        _ => return Err(format!("`{PREFERRED}` is not a list")),
    };
    for term in terms {
        if !preferred.iter().any(|p| p.get("podAffinityTerm") == Some(&term)) {
            preferred.push(json!({"weight": weight, "podAffinityTerm": term}));
        }
    }
    Ok(())
}

/// `kubectl set resources`, plus removal: `Some(q)` sets a quantity (one equal in value
/// stays as written: the API server stores `0.5` as `500m`), `None` removes the key, an
/// emptied map goes. A request above its limit afterwards is an error.
pub fn set_resources(
    obj: &mut Value,
    container: Option<&str>,
    requests: &BTreeMap<String, Option<String>>,
    limits: &BTreeMap<String, Option<String>>,
) -> Edit {
    for_containers(obj, container, |c| {
        let had = c.contains_key("resources");
        let res = object_at(c, "resources")?;
        for (field, wanted) in [("requests", requests), ("limits", limits)] {
            if wanted.is_empty() {
                continue;
            }
            let m = object_at(res, field)?;
            for (k, q) in wanted {
                match q {
                    Some(q) if m.get(k).and_then(Value::as_str).is_some_and(|cur| quantity::same(cur, q)) => {}
                    Some(q) => {
                        m.insert(k.clone(), Value::String(q.clone()));
                    }
                    None => {
                        m.remove(k);
                    }
                }
            }
            if m.is_empty() {
                res.remove(field);
            }
        }
        for (k, req) in res.get("requests").and_then(Value::as_object).into_iter().flatten() {
            let lim = res.get("limits").and_then(|l| l.get(k)).and_then(Value::as_str);
            if let (Some(req), Some(lim)) = (req.as_str(), lim)
                && quantity::greater(req, lim)
            {
                return Err(format!("the {k} request {req} would be above its limit {lim}"));
            }
        }
        if res.is_empty() && !had {
            c.remove("resources");
        }
        Ok(())
    })
}

/// `kubectl rollout restart`: the pod template's `kubectl.kubernetes.io/restartedAt`
/// annotation holds `at`.
pub fn restart(obj: &mut Value, at: &str) -> Edit {
    let template = pod_template(obj)?;
    let annotations = object_at(object_at(template, "metadata")?, "annotations")?;
    annotations.insert(RESTARTED_AT.to_string(), Value::String(at.to_string()));
    Ok(())
}

/// A merge patch (RFC 7396) or a JSON Patch (RFC 6902), which may not change what the
/// object is (apiVersion, kind, name, namespace).
pub fn patch(obj: &mut Value, body: &PatchBody) -> Edit {
    let identity = |o: &Value| ["/apiVersion", "/kind", "/metadata/name", "/metadata/namespace"].map(|p| o.pointer(p).cloned());
    let before = identity(obj);
    match body {
        PatchBody::Merge(m) => json_patch::merge(obj, m),
        PatchBody::Json(p) => json_patch::patch(obj, p).map_err(|e| format!("the JSON Patch does not apply: {e}"))?,
    }
    if identity(obj) != before {
        return Err("a patch may not change the object's apiVersion, kind, name or namespace".to_string());
    }
    Ok(())
}

/// A new autoscaling/v2 HorizontalPodAutoscaler for `workload`, named like it.
pub fn new_hpa(hpa: &ObjectRef, workload: &ObjectRef, min: i64, max: i64, cpu: i64) -> Value {
    json!({
        "apiVersion": hpa.api_version(),
        "kind": hpa.kind.kind(),
        "metadata": {
            "name": hpa.name,
            "namespace": hpa.namespace,
            "labels": {"app.kubernetes.io/managed-by": "aiwfe"},
        },
        "spec": {
            "scaleTargetRef": {"apiVersion": workload.api_version(), "kind": workload.kind.kind(), "name": workload.name},
            "minReplicas": min,
            "maxReplicas": max,
            "metrics": [cpu_metric(cpu)],
        },
    })
}

fn cpu_metric(cpu: i64) -> Value {
    json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu}}})
}

/// An existing HPA brought to these values: replica bounds, and the CPU utilization target
/// (the CPU resource metric replaced, or added; other metrics stay).
pub fn update_hpa(obj: &mut Value, min: i64, max: i64, cpu: i64) -> Edit {
    let spec = object_at(root(obj)?, "spec")?;
    spec.insert("minReplicas".into(), json!(min));
    spec.insert("maxReplicas".into(), json!(max));
    let metrics = spec.entry("metrics").or_insert_with(|| Value::Array(Vec::new()));
    if metrics.is_null() {
        *metrics = Value::Array(Vec::new());
    }
    let metrics = metrics.as_array_mut().ok_or("`spec.metrics` is not a list")?;
    let is_cpu = |m: &Value| {
        m.get("type").and_then(Value::as_str) == Some("Resource") && m.pointer("/resource/name").and_then(Value::as_str) == Some("cpu")
    };
    match metrics.iter_mut().find(|m| is_cpu(m)) {
        Some(m) => {
            if let Some(r) = m.get_mut("resource").and_then(Value::as_object_mut) {
                r.insert("target".into(), json!({"type": "Utilization", "averageUtilization": cpu}));
            }
        }
        None => metrics.push(cpu_metric(cpu)),
    }
    Ok(())
}

#[cfg(test)]
mod tests;
