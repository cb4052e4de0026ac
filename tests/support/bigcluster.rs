//! Realistic big snapshots: pods as `kubectl get pods -o yaml` shows them (full specs with
//! the service-account volume and its mounts, env from values and Secrets, probes, ports,
//! security contexts, resources; statuses with conditions, container IDs and IPs), copied
//! from one template with varied names, spread over Deployments, ReplicaSets, namespaces and
//! nodes, with a mix of healthy, crash-looping, Pending and OOM-killed pods, and the events
//! and metrics a cluster like that has.
//!
//! `BigCluster { pods: 5_000, ..BigCluster::default() }.list()` is a `List`; write it with
//! `to_json`/`to_yaml`. The `big_snapshot` example writes one for the benchmarks.

use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub struct BigCluster {
    pub pods: usize,
    pub deployments: usize,
    pub namespaces: usize,
    /// The first this many pods (spread over all Deployments) crash-loop.
    pub crashlooping: usize,
    /// The next this many are Pending: no node fits them.
    pub pending: usize,
    /// The next this many run, their container OOM-killed once.
    pub oom_killed: usize,
    /// Pods per node (nodes = pods / this, at least 3).
    pub pods_per_node: usize,
}

impl Default for BigCluster {
    fn default() -> Self {
        BigCluster {
            pods: 5_000,
            deployments: 250,
            namespaces: 25,
            crashlooping: 250,
            pending: 100,
            oom_killed: 50,
            pods_per_node: 50,
        }
    }
}

/// How a pod is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Healthy,
    CrashLoop,
    Pending,
    OomKilled,
}

const HASH: &str = "7d9f8c6b5d";

impl BigCluster {
    pub fn nodes(&self) -> usize {
        (self.pods / self.pods_per_node.max(1)).max(3)
    }

    pub fn health(&self, i: usize) -> Health {
        if i < self.crashlooping {
            Health::CrashLoop
        } else if i < self.crashlooping + self.pending {
            Health::Pending
        } else if i < self.crashlooping + self.pending + self.oom_killed {
            Health::OomKilled
        } else {
            Health::Healthy
        }
    }

    pub fn namespace(&self, deployment: usize) -> String {
        format!("team-{:03}", deployment % self.namespaces.max(1))
    }

    fn deployment_name(d: usize) -> String {
        format!("worker-{d:04}")
    }

    /// Every object, as one `List`.
    pub fn list(&self) -> Value {
        let mut items = Vec::with_capacity(self.pods * 2 + self.deployments * 2 + self.nodes());
        for n in 0..self.nodes() {
            items.push(node(n));
        }
        for d in 0..self.deployments {
            let ns = self.namespace(d);
            let replicas = self.pods / self.deployments + usize::from(d < self.pods % self.deployments);
            items.push(deployment(&ns, &Self::deployment_name(d), replicas));
            items.push(replica_set(&ns, &Self::deployment_name(d), replicas));
        }
        for i in 0..self.pods {
            let d = i % self.deployments.max(1);
            let ns = self.namespace(d);
            let health = self.health(i);
            let node = format!("node-{:04}", i % self.nodes());
            let p = pod(&ns, &Self::deployment_name(d), i, health, &node);
            if health != Health::Healthy {
                items.push(event(&ns, &p, health));
            }
            if matches!(health, Health::Healthy | Health::OomKilled) {
                items.push(pod_metrics(&ns, p["metadata"]["name"].as_str().unwrap_or_default()));
            }
            items.push(p);
        }
        json!({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items})
    }
}

pub fn to_json(list: &Value) -> String {
    serde_json::to_string(list).expect("serialise")
}

pub fn to_yaml(list: &Value) -> String {
    serde_saphyr::to_string(list).expect("serialise")
}

fn suffix(i: usize) -> String {
    // Five characters as the ReplicaSet controller makes them (consonants and digits).
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut n = i as u64 * 2_654_435_761 % 14_348_907;
    (0..5)
        .map(|_| {
            let c = ALPHABET[(n % 27) as usize] as char;
            n /= 27;
            c
        })
        .collect()
}

fn uid(kind: u8, i: usize) -> String {
    format!("{kind:02x}{:06x}-5c3a-4e1f-9b7d-{i:012x}", i % 0xff_ffff)
}

fn labels(name: &str) -> Value {
    json!({"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "aiwfe", "app.kubernetes.io/component": "worker",
           "pod-template-hash": HASH})
}

fn containers(name: &str) -> Value {
    json!([{
        "name": "worker",
        "image": format!("registry.example.com/aiwfe/{name}:1.14.2"),
        "imagePullPolicy": "IfNotPresent",
        "command": ["python", "-m", "worker"],
        "args": ["--concurrency", "4", "--queue", name],
        "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}, {"containerPort": 9090, "name": "metrics", "protocol": "TCP"}],
        "env": [
            {"name": "LOG_LEVEL", "value": "info"},
            {"name": "QUEUE", "value": name},
            {"name": "REDIS_HOST", "value": "redis.aiwfe.svc.cluster.local"},
            {"name": "REDIS_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "redis-auth", "key": "password"}}},
            {"name": "DATABASE_HOST", "value": "postgres.aiwfe.svc.cluster.local"},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
            {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
            {"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://otel-collector.observability.svc.cluster.local:4317"}
        ],
        "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"}, "initialDelaySeconds": 10,
                          "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": "http", "scheme": "HTTP"}, "periodSeconds": 5,
                           "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
        "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsNonRoot": true,
                            "runAsUser": 10001, "capabilities": {"drop": ["ALL"]}},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "FallbackToLogsOnError",
        "volumeMounts": [
            {"name": "config", "mountPath": "/etc/worker", "readOnly": true},
            {"name": "tmp", "mountPath": "/tmp"},
            {"name": "kube-api-access-x7k2p", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}
        ]
    }])
}

fn pod_spec(name: &str) -> Value {
    json!({
        "containers": containers(name),
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": true,
        "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {"fsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}},
        "serviceAccount": "worker",
        "serviceAccountName": "worker",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
        ],
        "volumes": [
            {"name": "config", "configMap": {"name": format!("{name}-config"), "defaultMode": 420}},
            {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}},
            {"name": "kube-api-access-x7k2p", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
            ]}}
        ]
    })
}

const STARTED: &str = "2026-11-28T09:12:41Z";

fn pod(ns: &str, deployment: &str, i: usize, health: Health, node: &str) -> Value {
    let name = format!("{deployment}-{HASH}-{}", suffix(i));
    let ip = format!("10.{}.{}.{}", 16 + i / 65_536 % 200, i / 256 % 256, i % 256);
    let mut spec = pod_spec(deployment);
    if health != Health::Pending {
        spec["nodeName"] = json!(node);
    }
    let cid = format!("containerd://{:064x}", i as u128 * 0x9e37_79b9_7f4a_7c15);
    let image = format!("registry.example.com/aiwfe/{deployment}:1.14.2");
    let image_id = "registry.example.com/aiwfe/worker@sha256:4f1b3c6d9e2a7b8c5d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c";
    let cond = |t: &str, s: &str| json!({"type": t, "status": s, "lastProbeTime": null, "lastTransitionTime": STARTED});
    let status = match health {
        Health::Pending => json!({
            "phase": "Pending",
            "qosClass": "Burstable",
            "conditions": [{"type": "PodScheduled", "status": "False", "lastProbeTime": null, "lastTransitionTime": STARTED,
                "reason": "Unschedulable",
                "message": "0/120 nodes are available: 120 Insufficient memory. preemption: 0/120 nodes are available: 120 No preemption victims found for incoming pod."}]
        }),
        _ => {
            let (ready, state, last, restarts) = match health {
                Health::CrashLoop => (
                    "False",
                    json!({"waiting": {"reason": "CrashLoopBackOff",
                        "message": format!("back-off 5m0s restarting failed container=worker pod={name}_{ns}({})", uid(1, i))}}),
                    json!({"terminated": {"exitCode": 1, "reason": "Error", "startedAt": "2026-12-01T20:30:02Z",
                        "finishedAt": "2026-12-01T20:30:04Z", "containerID": cid,
                        "message": "redis.exceptions.AuthenticationError: Authentication required."}}),
                    40 + (i % 90) as i64,
                ),
                Health::OomKilled => (
                    "True",
                    json!({"running": {"startedAt": "2026-12-01T18:02:11Z"}}),
                    json!({"terminated": {"exitCode": 137, "reason": "OOMKilled", "startedAt": STARTED,
                        "finishedAt": "2026-12-01T18:02:09Z", "containerID": cid}}),
                    1,
                ),
                _ => ("True", json!({"running": {"startedAt": STARTED}}), json!({}), 0),
            };
            json!({
                "phase": "Running",
                "hostIP": "192.168.10.21",
                "hostIPs": [{"ip": "192.168.10.21"}],
                "podIP": ip,
                "podIPs": [{"ip": ip}],
                "qosClass": "Burstable",
                "startTime": STARTED,
                "conditions": [cond("PodReadyToStartContainers", "True"), cond("Initialized", "True"), cond("Ready", ready),
                               cond("ContainersReady", ready), cond("PodScheduled", "True")],
                "containerStatuses": [{"name": "worker", "image": image, "imageID": image_id, "containerID": cid,
                    "ready": ready == "True", "started": ready == "True", "restartCount": restarts,
                    "state": state, "lastState": last,
                    "volumeMounts": [{"name": "config", "mountPath": "/etc/worker", "readOnly": true, "recursiveReadOnly": "Disabled"},
                                     {"name": "tmp", "mountPath": "/tmp"},
                                     {"name": "kube-api-access-x7k2p", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                      "readOnly": true, "recursiveReadOnly": "Disabled"}]}]
            })
        }
    };
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": name,
            "generateName": format!("{deployment}-{HASH}-"),
            "namespace": ns,
            "uid": uid(1, i),
            "resourceVersion": (100_000 + i).to_string(),
            "creationTimestamp": STARTED,
            "labels": labels(deployment),
            "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{deployment}-{HASH}"),
                                 "uid": uid(2, i % 1000), "controller": true, "blockOwnerDeletion": true}]
        },
        "spec": spec,
        "status": status
    })
}

fn deployment(ns: &str, name: &str, replicas: usize) -> Value {
    let mut labels = labels(name);
    labels.as_object_mut().map(|m| m.remove("pod-template-hash"));
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "uid": uid(3, replicas), "generation": 4, "resourceVersion": "4242",
                     "creationTimestamp": STARTED, "labels": labels.clone(),
                     "annotations": {"deployment.kubernetes.io/revision": "4"}},
        "spec": {"replicas": replicas, "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600,
                 "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
                 "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
                 "template": {"metadata": {"labels": labels}, "spec": pod_spec(name)}},
        "status": {"observedGeneration": 4, "replicas": replicas, "updatedReplicas": replicas, "readyReplicas": replicas,
                   "availableReplicas": replicas,
                   "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
                                   "message": "Deployment has minimum availability.", "lastUpdateTime": STARTED, "lastTransitionTime": STARTED},
                                  {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
                                   "message": format!("ReplicaSet \"{name}-{HASH}\" has successfully progressed."),
                                   "lastUpdateTime": STARTED, "lastTransitionTime": STARTED}]}
    })
}

fn replica_set(ns: &str, name: &str, replicas: usize) -> Value {
    json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": format!("{name}-{HASH}"), "namespace": ns, "labels": labels(name),
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": uid(3, replicas),
                                          "controller": true, "blockOwnerDeletion": true}]},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app.kubernetes.io/name": name, "pod-template-hash": HASH}},
                 "template": {"metadata": {"labels": labels(name)}, "spec": pod_spec(name)}},
        "status": {"replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas, "observedGeneration": 4}
    })
}

fn node(n: usize) -> Value {
    let name = format!("node-{n:04}");
    let images: Vec<Value> = (0..20)
        .map(|k| json!({"names": [format!("registry.example.com/aiwfe/worker-{k:04}@sha256:{:064x}", k), format!("registry.example.com/aiwfe/worker-{k:04}:1.14.2")], "sizeBytes": 183_000_000 + k}))
        .collect();
    json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
                     "node.kubernetes.io/instance-type": "m6i.4xlarge", "topology.kubernetes.io/zone": format!("eu-west-1{}", ["a", "b", "c"][n % 3])}},
        "spec": {"podCIDR": format!("10.244.{}.0/24", n % 256)},
        "status": {
            "capacity": {"cpu": "16", "memory": "64Gi", "pods": "110"},
            "allocatable": {"cpu": "15890m", "memory": "62Gi", "pods": "110"},
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status",
                            "lastHeartbeatTime": STARTED, "lastTransitionTime": STARTED}],
            "images": images,
            "nodeInfo": {"kubeletVersion": "v1.33.2", "containerRuntimeVersion": "containerd://1.7.27", "osImage": "Ubuntu 24.04.2 LTS",
                         "architecture": "amd64", "operatingSystem": "linux", "kernelVersion": "6.8.0-1021-aws",
                         "bootID": "", "machineID": "", "systemUUID": "", "kubeProxyVersion": ""}
        }
    })
}

fn event(ns: &str, pod: &Value, health: Health) -> Value {
    let name = pod["metadata"]["name"].as_str().unwrap_or_default();
    let (reason, message, kind) = match health {
        Health::CrashLoop => (
            "BackOff",
            "Back-off restarting failed container worker in pod".to_string(),
            "Warning",
        ),
        Health::Pending => (
            "FailedScheduling",
            "0/120 nodes are available: 120 Insufficient memory.".to_string(),
            "Warning",
        ),
        _ => ("Started", "Started container worker".to_string(), "Normal"),
    };
    json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": format!("{name}.18a3c2f4b5d6e7f8"), "namespace": ns},
        "involvedObject": {"kind": "Pod", "name": name, "namespace": ns, "apiVersion": "v1", "fieldPath": "spec.containers{worker}"},
        "reason": reason, "message": message, "type": kind, "count": 12,
        "firstTimestamp": STARTED, "lastTimestamp": "2026-12-01T20:30:04Z",
        "source": {"component": "kubelet", "host": "node-0001"}
    })
}

fn pod_metrics(ns: &str, pod: &str) -> Value {
    json!({"apiVersion": "metrics.k8s.io/v1beta1", "kind": "PodMetrics",
           "metadata": {"name": pod, "namespace": ns}, "timestamp": "2026-12-01T20:30:00Z", "window": "30s",
           "containers": [{"name": "worker", "usage": {"cpu": "41m", "memory": "301Mi"}}]})
}
