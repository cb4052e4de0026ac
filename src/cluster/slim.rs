//! What no check, cause or fix reads, removed from each object as soon as it is read, so a
//! big cluster's state fits in memory: managed fields and `last-applied-configuration`
//! everywhere; on pods the probes, lifecycle hooks, security contexts, ports and every
//! volume (and mount) that carries no Secret; ReplicaSets' pod templates (only their owner
//! is read); nodes' image lists. The objects keep their k8s-openapi types.
//!
//! Kept on purpose: env (credentials, Redis secret references), resources, affinity,
//! tolerations, node names, owner references, labels, statuses and conditions, and Secret
//! volumes and their mounts (a Secret's consumers in `remedy::redis_auth`).

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{Container, Event, Node, Pod, PodSpec, Volume};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// The annotation `kubectl apply` keeps a full copy of the object in.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

pub fn meta(m: &mut ObjectMeta) {
    m.managed_fields = None;
    if let Some(a) = &mut m.annotations {
        a.remove(LAST_APPLIED);
        if a.is_empty() {
            m.annotations = None;
        }
    }
}

pub fn pod(p: &mut Pod) {
    meta(&mut p.metadata);
    if let Some(spec) = &mut p.spec {
        pod_spec(spec);
    }
    if let Some(status) = &mut p.status {
        status.host_ips = None;
        status.pod_ips = None;
    }
}

/// A pod spec without what no reader looks at (Secret volumes and their mounts stay).
pub fn pod_spec(spec: &mut PodSpec) {
    if let Some(volumes) = &mut spec.volumes {
        volumes.retain_mut(secret_volume);
    }
    let kept: Vec<String> = spec.volumes.iter().flatten().map(|v| v.name.clone()).collect();
    if spec.volumes.as_ref().is_some_and(Vec::is_empty) {
        spec.volumes = None;
    }
    for c in spec.containers.iter_mut().chain(spec.init_containers.iter_mut().flatten()) {
        container(c, &kept);
    }
    spec.security_context = None;
    spec.dns_config = None;
    spec.readiness_gates = None;
}

fn container(c: &mut Container, volumes: &[String]) {
    c.liveness_probe = None;
    c.readiness_probe = None;
    c.startup_probe = None;
    c.lifecycle = None;
    c.security_context = None;
    c.ports = None;
    c.termination_message_path = None;
    c.termination_message_policy = None;
    if let Some(mounts) = &mut c.volume_mounts {
        mounts.retain(|m| volumes.contains(&m.name));
        if mounts.is_empty() {
            c.volume_mounts = None;
        }
    }
}

/// Keeps a volume that reads a Secret (itself or a projected source), reduced to that.
fn secret_volume(v: &mut Volume) -> bool {
    if v.secret.is_some() {
        *v = Volume {
            name: std::mem::take(&mut v.name),
            secret: v.secret.take(),
            ..Default::default()
        };
        return true;
    }
    if let Some(p) = &mut v.projected {
        if let Some(sources) = &mut p.sources {
            sources.retain(|s| s.secret.is_some());
        }
        if p.sources.as_ref().is_some_and(|s| !s.is_empty()) {
            *v = Volume {
                name: std::mem::take(&mut v.name),
                projected: v.projected.take(),
                ..Default::default()
            };
            return true;
        }
    }
    false
}

/// Deployments keep their whole spec: fixes plan against it.
pub fn deployment(d: &mut Deployment) {
    d.metadata.managed_fields = None;
}

/// Only a ReplicaSet's metadata is read (which Deployment owns it).
pub fn replica_set(rs: &mut ReplicaSet) {
    meta(&mut rs.metadata);
    if let Some(spec) = &mut rs.spec {
        spec.template = None;
    }
}

pub fn node(n: &mut Node) {
    meta(&mut n.metadata);
    if let Some(status) = &mut n.status {
        status.images = None;
        status.volumes_attached = None;
        status.volumes_in_use = None;
    }
}

pub fn event(e: &mut Event) {
    meta(&mut e.metadata);
}

pub fn hpa(h: &mut HorizontalPodAutoscaler) {
    meta(&mut h.metadata);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pod_keeps_secret_volumes_env_and_status_and_loses_the_rest() {
        let mut p: Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "p", "annotations": {LAST_APPLIED: "{}", "team": "a"},
                         "managedFields": [{"manager": "kubectl", "operation": "Apply", "fieldsV1": {"f:spec": {}}}]},
            "spec": {
                "volumes": [
                    {"name": "kube-api-access", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}, {"configMap": {"name": "kube-root-ca.crt"}}]}},
                    {"name": "creds", "secret": {"secretName": "redis-auth"}},
                    {"name": "mixed", "projected": {"sources": [{"configMap": {"name": "x"}}, {"secret": {"name": "redis-auth"}}]}},
                    {"name": "tmp", "emptyDir": {}}
                ],
                "containers": [{"name": "c", "image": "x",
                    "env": [{"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}}],
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
                    "ports": [{"containerPort": 8080}],
                    "resources": {"requests": {"cpu": "100m"}},
                    "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"},
                                     {"name": "creds", "mountPath": "/creds"}, {"name": "tmp", "mountPath": "/tmp"}]}]
            },
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}
        }))
        .unwrap();
        pod(&mut p);
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["metadata"]["annotations"], serde_json::json!({"team": "a"}));
        assert!(v["metadata"].get("managedFields").is_none());
        let names: Vec<&str> = v["spec"]["volumes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["creds", "mixed"]);
        assert_eq!(v["spec"]["volumes"][1]["projected"]["sources"].as_array().unwrap().len(), 1);
        let c = &v["spec"]["containers"][0];
        assert_eq!(c["volumeMounts"].as_array().unwrap().len(), 1);
        assert!(c.get("livenessProbe").is_none() && c.get("ports").is_none());
        assert_eq!(c["env"][0]["valueFrom"]["secretKeyRef"]["name"], "redis-auth");
        assert_eq!(c["resources"]["requests"]["cpu"], "100m");
        assert_eq!(v["status"]["conditions"][0]["type"], "Ready");
    }
}
