//! What no check, cause or fix reads, removed from each object as soon as it is read, so a
//! big cluster's state fits in memory: managed fields and `last-applied-configuration`
//! everywhere; on pods the probes, lifecycle hooks, security contexts, ports and every
//! volume (and mount) that carries no Secret; ReplicaSets' pod templates (only their owner
//! is read); nodes' image lists; on pods also env from fields, resources and ConfigMaps,
//! DNS, scheduler and preemption policies, IPs, and in container statuses the runtime's
//! IDs, the resolved image, mounts and resources. Lists lose their spare room (serde grows a
//! list of unknown length by doubling). The objects keep their k8s-openapi types.
//!
//! Kept on purpose: env (credentials, Redis secret references), resources, affinity,
//! tolerations, node names, owner references, labels, statuses and conditions, and Secret
//! volumes and their mounts (a Secret's consumers in `remedy::redis_auth`).

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{Container, ContainerStatus, Event, Node, Pod, PodSpec, Volume};
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
    p.metadata.generate_name = None;
    shrink(&mut p.metadata.owner_references);
    if let Some(spec) = &mut p.spec {
        pod_spec(spec);
        spec.dns_policy = None;
        spec.scheduler_name = None;
        spec.preemption_policy = None;
        spec.service_account = None;
        shrink(&mut spec.tolerations);
    }
    if let Some(status) = &mut p.status {
        status.host_ip = None;
        status.host_ips = None;
        status.pod_ip = None;
        status.pod_ips = None;
        status.qos_class = None;
        shrink(&mut status.conditions);
        for list in [&mut status.container_statuses, &mut status.init_container_statuses] {
            for cs in list.iter_mut().flatten() {
                container_status(cs);
            }
            shrink(list);
        }
        status.ephemeral_container_statuses = None;
    }
}

/// A list's spare room goes: serde grows a list of unknown length by doubling, which for
/// one container status of 750 bytes leaves room for four, per pod.
fn shrink<T>(list: &mut Option<Vec<T>>) {
    if let Some(l) = list {
        l.shrink_to_fit();
    }
}

/// A container's state, restarts and readiness stay; the runtime's IDs, the image it
/// resolved, its mounts and resources (the spec has those) go.
fn container_status(cs: &mut ContainerStatus) {
    cs.container_id = None;
    cs.image = String::new();
    cs.image_id = String::new();
    cs.allocated_resources = None;
    cs.allocated_resources_status = None;
    cs.resources = None;
    cs.user = None;
    cs.volume_mounts = None;
    for state in [&mut cs.state, &mut cs.last_state].into_iter().flatten() {
        if let Some(t) = &mut state.terminated {
            t.container_id = None;
        }
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
    c.image_pull_policy = None;
    // Readers look at env values and Secret references (credentials, Redis passwords);
    // a value from a field, a resource or a ConfigMap is neither.
    if let Some(env) = &mut c.env {
        env.retain(|e| e.value.is_some() || e.value_from.as_ref().is_some_and(|f| f.secret_key_ref.is_some()));
        env.shrink_to_fit();
    }
    shrink(&mut c.args);
    shrink(&mut c.command);
    shrink(&mut c.env_from);
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
                "dnsPolicy": "ClusterFirst", "schedulerName": "default-scheduler",
                "containers": [{"name": "c", "image": "x", "imagePullPolicy": "IfNotPresent",
                    "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                            {"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}},
                            {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "mode"}}},
                            {"name": "REDIS_URL", "value": "redis://:pw@redis:6379"}],
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
                    "ports": [{"containerPort": 8080}],
                    "resources": {"requests": {"cpu": "100m"}},
                    "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"},
                                     {"name": "creds", "mountPath": "/creds"}, {"name": "tmp", "mountPath": "/tmp"}]}]
            },
            "status": {"phase": "Running", "podIP": "10.244.1.5", "qosClass": "Burstable",
                "conditions": [{"type": "Ready", "status": "True"}],
                "containerStatuses": [{"name": "c", "image": "registry.example.com/x:1", "imageID": "registry.example.com/x@sha256:4f1b",
                    "containerID": "containerd://0f3a", "ready": false, "restartCount": 7, "started": false,
                    "lastState": {"terminated": {"containerID": "containerd://0f3a", "exitCode": 137, "reason": "OOMKilled"}},
                    "state": {"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 5m0s restarting failed container=c"}}}]}
        }))
        .unwrap();
        pod(&mut p);
        let statuses = p.status.as_ref().unwrap().container_statuses.as_ref().unwrap();
        assert_eq!(statuses.capacity(), 1, "no spare room left in the list");
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
        let env: Vec<&str> = c["env"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
        assert_eq!(env, ["REDIS_PASSWORD", "REDIS_URL"], "values and Secret references stay");
        assert_eq!(c["env"][0]["valueFrom"]["secretKeyRef"]["name"], "redis-auth");
        assert_eq!(c["resources"]["requests"]["cpu"], "100m");
        assert!(c.get("imagePullPolicy").is_none() && v["spec"].get("dnsPolicy").is_none());
        assert_eq!(v["status"]["conditions"][0]["type"], "Ready");
        assert!(v["status"].get("podIP").is_none() && v["status"].get("qosClass").is_none());
        let cs = &v["status"]["containerStatuses"][0];
        assert_eq!((cs["restartCount"].as_i64(), cs["ready"].as_bool()), (Some(7), Some(false)));
        assert_eq!(cs["state"]["waiting"]["reason"], "CrashLoopBackOff");
        assert_eq!(cs["lastState"]["terminated"]["reason"], "OOMKilled");
        assert!(cs.get("containerID").is_none() && cs["lastState"]["terminated"].get("containerID").is_none());
        assert!(!v.to_string().contains("sha256"), "{v}");
    }
}
