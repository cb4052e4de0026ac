//! What the fast YAML reader ([`super::kyaml`]) leaves out of an object as it writes it, so
//! that what no check reads is never parsed into a type only to be dropped: the same fields
//! [`super::slim`] removes from every object, limited to those it removes whatever their
//! value (a pod's volumes, its mounts and env stay: which of them go depends on what they
//! hold, and `slim` decides that after the parse). Fields a type requires (a container
//! status's `image`) stay too, for `slim` to empty.
//!
//! The kind is known from the object's `kind` key, which kubectl prints before `metadata`,
//! `spec` and `status` (keys in order); an object whose kind comes later, or is not given,
//! loses only what every kind loses, and `slim` does the rest.

/// Where a collection sits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ctx {
    /// The top sequence of an `entry` unit: each item is a text of its own.
    Top,
    /// An object (a document, or an item of the top sequence).
    Object,
    /// An object's `metadata`.
    Metadata,
    /// An object's `metadata.annotations`.
    Annotations,
    /// A Pod's `spec`.
    PodSpec,
    /// A Pod's `spec.containers` or `spec.initContainers`, and one of them.
    Containers,
    Container,
    /// A Pod's `status`.
    PodStatus,
    /// A Pod's `status.containerStatuses` or `initContainerStatuses`, and one of them.
    Statuses,
    Status,
    Other,
}

impl Ctx {
    /// The context of the value of `key` in a mapping of this context; `pod`: the object
    /// is a Pod (its `kind` came first).
    pub fn child(self, key: &str, pod: bool) -> Ctx {
        match (self, key) {
            (Ctx::Object, "metadata") => Ctx::Metadata,
            (Ctx::Object, "spec") if pod => Ctx::PodSpec,
            (Ctx::Object, "status") if pod => Ctx::PodStatus,
            (Ctx::Metadata, "annotations") => Ctx::Annotations,
            (Ctx::PodSpec, "containers" | "initContainers") => Ctx::Containers,
            (Ctx::PodStatus, "containerStatuses" | "initContainerStatuses") => Ctx::Statuses,
            _ => Ctx::Other,
        }
    }

    /// The context of the items of a sequence of this context.
    pub fn item(self) -> Ctx {
        match self {
            Ctx::Top => Ctx::Object,
            Ctx::Containers => Ctx::Container,
            Ctx::Statuses => Ctx::Status,
            _ => Ctx::Other,
        }
    }

    /// Whether `key` is left out of a mapping of this context.
    pub fn drops(self, key: &str) -> bool {
        match self {
            Ctx::Metadata => key == "managedFields",
            Ctx::Annotations => key == super::slim::LAST_APPLIED,
            Ctx::PodSpec => matches!(
                key,
                "securityContext" | "dnsConfig" | "readinessGates" | "dnsPolicy" | "schedulerName" | "preemptionPolicy" | "serviceAccount"
            ),
            Ctx::Container => matches!(
                key,
                "livenessProbe"
                    | "readinessProbe"
                    | "startupProbe"
                    | "lifecycle"
                    | "securityContext"
                    | "ports"
                    | "terminationMessagePath"
                    | "terminationMessagePolicy"
                    | "imagePullPolicy"
            ),
            Ctx::PodStatus => matches!(
                key,
                "hostIP" | "hostIPs" | "podIP" | "podIPs" | "qosClass" | "ephemeralContainerStatuses"
            ),
            Ctx::Status => matches!(
                key,
                "containerID" | "allocatedResources" | "allocatedResourcesStatus" | "resources" | "user" | "volumeMounts"
            ),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::Pod;

    /// Every field left out here is one `slim` removes from every pod, whatever it holds:
    /// a pod read with them and slimmed equals one read without them and slimmed.
    #[test]
    fn what_is_left_out_is_what_slim_removes_anyway() {
        let full = serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "a"},
            "spec": {
                "containers": [{"name": "c", "image": "x", "imagePullPolicy": "Always",
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
                    "readinessProbe": {"tcpSocket": {"port": 8080}}, "startupProbe": {"exec": {"command": ["true"]}},
                    "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}},
                    "securityContext": {"runAsUser": 1000}, "ports": [{"containerPort": 8080}],
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                    "resources": {"requests": {"cpu": "100m"}}}],
                "initContainers": [{"name": "i", "image": "y", "ports": [{"containerPort": 1}]}],
                "securityContext": {"fsGroup": 1}, "dnsConfig": {"nameservers": ["1.1.1.1"]},
                "readinessGates": [{"conditionType": "x"}], "dnsPolicy": "ClusterFirst",
                "schedulerName": "default-scheduler", "preemptionPolicy": "Never", "serviceAccount": "sa",
                "serviceAccountName": "sa", "nodeName": "n1"
            },
            "status": {"phase": "Running", "hostIP": "1.2.3.4", "hostIPs": [{"ip": "1.2.3.4"}], "podIP": "10.0.0.1",
                "podIPs": [{"ip": "10.0.0.1"}], "qosClass": "Burstable",
                "ephemeralContainerStatuses": [{"name": "e", "image": "z", "imageID": "", "ready": false, "restartCount": 0}],
                "containerStatuses": [{"name": "c", "image": "x", "imageID": "x@sha256:1", "containerID": "containerd://1",
                    "allocatedResources": {"cpu": "100m"}, "resources": {"requests": {"cpu": "100m"}},
                    "user": {"linux": {"uid": 1, "gid": 1}}, "volumeMounts": [{"name": "v", "mountPath": "/v"}],
                    "ready": true, "restartCount": 3}],
                "initContainerStatuses": [{"name": "i", "image": "y", "imageID": "", "containerID": "containerd://2",
                    "ready": true, "restartCount": 0}]}
        });
        let mut pruned = full.clone();
        prune(&mut pruned, Ctx::Object, false);
        assert!(pruned["spec"]["containers"][0].get("livenessProbe").is_none(), "{pruned}");
        assert!(pruned["status"]["containerStatuses"][0].get("containerID").is_none(), "{pruned}");
        let slimmed = |v: serde_json::Value| {
            let mut p: Pod = serde_json::from_value(v).unwrap();
            crate::cluster::slim::pod(&mut p);
            serde_json::to_value(p).unwrap()
        };
        assert_eq!(slimmed(pruned), slimmed(full));
    }

    /// Leaves out what [`Ctx::drops`] names, as the reader does.
    fn prune(v: &mut serde_json::Value, ctx: Ctx, pod: bool) {
        match v {
            serde_json::Value::Object(map) => {
                let pod = ctx == Ctx::Object && map.get("kind").is_some_and(|k| k == "Pod") || pod;
                map.retain(|k, _| !ctx.drops(k));
                for (k, child) in map.iter_mut() {
                    prune(child, ctx.child(k, pod), pod);
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| prune(i, ctx.item(), pod)),
            _ => {}
        }
    }
}
