//! What the Kubernetes checks read, as plain data (`ClusterState`), loaded from a snapshot
//! file (offline) or from the live API (`live` module below); the one place that builds a
//! kube `Client`.
//!
//! A snapshot is what `kubectl get ... -o yaml` prints (a `List`), multi-document YAML, JSON,
//! or a folder of such files. Besides the built-in kinds it may hold `PodMetrics` and
//! `NodeMetrics` (metrics.k8s.io) and `ContainerLog` (aiwfe.dev/v1: the tail of a
//! container's log). Secrets never carry values: only key names and SHA-256 fingerprints
//! (annotation `aiwfe.dev/fingerprints`).

pub mod index;
pub mod kyaml;
pub mod live;
pub mod objects;
pub mod prometheus;
pub mod prune;
pub mod quantity;
pub mod read;
pub mod rightsize;
pub mod scheduler;
pub mod slim;
pub mod snapshot;
pub mod split;
pub mod split_json;
pub mod write;

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{Event, Node, Pod, Secret};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Annotation on snapshot Secrets: JSON map of key name → fingerprint of its value.
pub const FINGERPRINTS_ANNOTATION: &str = "aiwfe.dev/fingerprints";

/// Usage of one container, from metrics.k8s.io.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerUsage {
    pub name: String,
    #[serde(default)]
    pub usage: BTreeMap<String, String>,
}

/// `metrics.k8s.io/v1beta1` PodMetrics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PodMetrics {
    pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub window: Option<String>,
    #[serde(default)]
    pub containers: Vec<ContainerUsage>,
}

/// `metrics.k8s.io/v1beta1` NodeMetrics.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeMetrics {
    pub metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
    #[serde(default)]
    pub usage: BTreeMap<String, String>,
}

/// The tail of one container's log (`previous` = the container instance that last died).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerLog {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub previous: bool,
    pub log: String,
}

/// A Secret without its values: key names and fingerprints only.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SecretInfo {
    pub namespace: String,
    pub name: String,
    /// key → first 8 hex chars of SHA-256 of the value.
    pub fingerprints: BTreeMap<String, String>,
}

/// Something that could not be read (e.g. RBAC 403 on one resource); reported as a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadProblem {
    pub resource: String,
    pub status: Option<u16>,
    pub message: String,
}

/// What reading the state took: pages (files, for a snapshot), objects, bytes and time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadStats {
    pub pages: u64,
    pub objects: u64,
    pub bytes: u64,
    pub seconds: f64,
}

impl ReadStats {
    fn add(&mut self, o: &ReadStats) {
        self.pages += o.pages;
        self.objects += o.objects;
        self.bytes += o.bytes;
    }
}

/// Everything the Kubernetes checks look at.
#[derive(Debug, Clone, Default)]
pub struct ClusterState {
    /// Where it came from: `snapshot FILE` or `context NAME`.
    pub source: String,
    pub pods: Vec<Pod>,
    pub events: Vec<Event>,
    pub nodes: Vec<Node>,
    pub deployments: Vec<Deployment>,
    pub replica_sets: Vec<ReplicaSet>,
    pub hpas: Vec<HorizontalPodAutoscaler>,
    pub secrets: Vec<SecretInfo>,
    /// `None`: the metrics API is absent (or was not captured), so usage is unknown.
    pub pod_metrics: Option<Vec<PodMetrics>>,
    pub node_metrics: Option<Vec<NodeMetrics>>,
    pub logs: Vec<ContainerLog>,
    pub problems: Vec<ReadProblem>,
    pub read: ReadStats,
    /// Lookups by name, built on first use ([`ClusterState::index`]).
    index: std::sync::OnceLock<index::Index>,
}

impl ClusterState {
    /// Lookups by namespace and name over the state as it is now; built once.
    pub fn index(&self) -> &index::Index {
        self.index.get_or_init(|| {
            index::Index::build(
                &self.replica_sets,
                &self.deployments,
                self.pod_metrics.iter().flatten().map(|m| &m.metadata),
                &self.events,
                &self.hpas,
            )
        })
    }

    /// A pod's metrics.
    pub fn pod_metrics_of(&self, ns: &str, pod: &str) -> Option<&PodMetrics> {
        self.pod_metrics.as_ref()?.get(self.index().pod_metrics(ns, pod)?)
    }

    /// The scheduler's latest `FailedScheduling` event about a pod.
    pub fn failed_scheduling(&self, ns: &str, pod: &str) -> Option<&Event> {
        self.events.get(self.index().failed_scheduling(ns, pod)?)
    }

    /// The first HPA that scales a Deployment.
    pub fn hpa_of(&self, ns: &str, deployment: &str) -> Option<&HorizontalPodAutoscaler> {
        self.hpas.get(self.index().hpa(ns, deployment)?)
    }

    /// No object of any kind doctor reads.
    pub fn holds_nothing(&self) -> bool {
        self.holds_nothing_namespaced() && self.nodes.is_empty()
    }

    /// No namespaced object doctor reads (nodes aside).
    pub fn holds_nothing_namespaced(&self) -> bool {
        self.pods.is_empty()
            && self.deployments.is_empty()
            && self.replica_sets.is_empty()
            && self.hpas.is_empty()
            && self.events.is_empty()
    }

    /// Appends everything in `other`.
    pub fn merge(&mut self, other: ClusterState) {
        self.index = Default::default();
        // Into an empty list the other's is moved, not copied: at 50,000 pods the pod list
        // alone is 100 MiB.
        fn append<T>(to: &mut Vec<T>, from: Vec<T>) {
            if to.is_empty() {
                *to = from;
            } else {
                to.extend(from);
            }
        }
        append(&mut self.pods, other.pods);
        append(&mut self.events, other.events);
        append(&mut self.nodes, other.nodes);
        append(&mut self.deployments, other.deployments);
        append(&mut self.replica_sets, other.replica_sets);
        append(&mut self.hpas, other.hpas);
        append(&mut self.secrets, other.secrets);
        if let Some(m) = other.pod_metrics {
            append(self.pod_metrics.get_or_insert_with(Vec::new), m);
        }
        if let Some(m) = other.node_metrics {
            append(self.node_metrics.get_or_insert_with(Vec::new), m);
        }
        append(&mut self.logs, other.logs);
        append(&mut self.problems, other.problems);
        self.read.add(&other.read);
    }

    /// Sorts every list by namespace and name, so a report does not depend on the order
    /// objects came in (file order vs the API server's).
    pub fn normalize(&mut self) {
        self.index = Default::default();
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
        fn by(a: &ObjectMeta, b: &ObjectMeta) -> std::cmp::Ordering {
            (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name))
        }
        // The big lists in place (a stable sort would take a buffer of half the list).
        self.pods.sort_unstable_by(|a, b| by(&a.metadata, &b.metadata));
        self.events.sort_by(|a, b| by(&a.metadata, &b.metadata));
        self.nodes.sort_by(|a, b| by(&a.metadata, &b.metadata));
        self.deployments.sort_by(|a, b| by(&a.metadata, &b.metadata));
        self.replica_sets.sort_unstable_by(|a, b| by(&a.metadata, &b.metadata));
        self.hpas.sort_by(|a, b| by(&a.metadata, &b.metadata));
        self.secrets.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        if let Some(m) = &mut self.pod_metrics {
            m.sort_unstable_by(|a, b| by(&a.metadata, &b.metadata));
        }
        if let Some(m) = &mut self.node_metrics {
            m.sort_by(|a, b| by(&a.metadata, &b.metadata));
        }
        self.logs
            .sort_by(|a, b| (&a.namespace, &a.pod, &a.container).cmp(&(&b.namespace, &b.pod, &b.container)));
    }

    /// Keeps only objects in `namespace` (nodes and node metrics are cluster-wide and stay).
    pub fn retain_namespace(&mut self, namespace: &str) {
        self.index = Default::default();
        let ns = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| m.namespace.as_deref() == Some(namespace);
        self.pods.retain(|o| ns(&o.metadata));
        self.events.retain(|o| ns(&o.metadata));
        self.deployments.retain(|o| ns(&o.metadata));
        self.replica_sets.retain(|o| ns(&o.metadata));
        self.hpas.retain(|o| ns(&o.metadata));
        self.secrets.retain(|s| s.namespace == namespace);
        if let Some(m) = &mut self.pod_metrics {
            m.retain(|o| ns(&o.metadata));
        }
        self.logs.retain(|l| l.namespace == namespace);
    }

    /// Adds one object given as JSON; unknown kinds are ignored, known kinds that do not
    /// parse are errors.
    pub fn add_object(&mut self, mut obj: Value) -> Result<(), String> {
        let kind = obj.get("kind").and_then(Value::as_str).unwrap_or_default().to_string();
        if kind.ends_with("List") {
            if let Some(Value::Array(items)) = obj.as_object_mut().and_then(|m| m.remove("items")) {
                let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
                for mut item in items {
                    if let (Some(k), Some(map)) = (item_kind, item.as_object_mut()) {
                        map.entry("kind").or_insert_with(|| Value::String(k.to_string()));
                    }
                    self.add_object(item)?;
                }
            }
            return Ok(());
        }
        if kind == "ContainerLog" {
            let meta = obj.get("metadata").cloned().unwrap_or_default();
            self.logs.push(ContainerLog {
                namespace: meta.get("namespace").and_then(Value::as_str).unwrap_or("default").to_string(),
                pod: meta.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
                container: obj.get("container").and_then(Value::as_str).unwrap_or_default().to_string(),
                previous: obj.get("previous").and_then(Value::as_bool).unwrap_or(false),
                log: obj.get("log").and_then(Value::as_str).unwrap_or_default().to_string(),
            });
            return Ok(());
        }
        let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or_default().to_string();
        let name = obj.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("?").to_string();
        self.add_typed(&kind, &api_version, &name, obj)?;
        Ok(())
    }

    /// Adds one object of a typed kind, read from any deserializer (a JSON tree, or raw JSON
    /// text for big lists), less what no check reads (`slim`). `Ok(false)`: not one of these
    /// kinds (unknown kinds are ignored).
    pub fn add_typed<'de, D>(&mut self, kind: &str, api_version: &str, name: &str, d: D) -> Result<bool, String>
    where
        D: serde::Deserializer<'de>,
    {
        self.index = Default::default();
        let bad = |e: D::Error| format!("{kind} `{name}`: {}", without_literal(&e.to_string()));
        fn slimmed<T>(mut o: T, f: fn(&mut T)) -> T {
            f(&mut o);
            o
        }
        match kind {
            "Pod" => self.pods.push(slimmed(Pod::deserialize(d).map_err(bad)?, slim::pod)),
            "Event" => self.events.push(slimmed(Event::deserialize(d).map_err(bad)?, slim::event)),
            "Node" => self.nodes.push(slimmed(Node::deserialize(d).map_err(bad)?, slim::node)),
            "Deployment" => self
                .deployments
                .push(slimmed(Deployment::deserialize(d).map_err(bad)?, slim::deployment)),
            "ReplicaSet" => self
                .replica_sets
                .push(slimmed(ReplicaSet::deserialize(d).map_err(bad)?, slim::replica_set)),
            // autoscaling/v1 objects have a different shape; only v2 is read.
            "HorizontalPodAutoscaler" if api_version == "autoscaling/v2" => self
                .hpas
                .push(slimmed(HorizontalPodAutoscaler::deserialize(d).map_err(bad)?, slim::hpa)),
            "Secret" => self.secrets.push(secret_info(&Secret::deserialize(d).map_err(bad)?)),
            "PodMetrics" => self
                .pod_metrics
                .get_or_insert_with(Vec::new)
                .push(PodMetrics::deserialize(d).map_err(bad)?),
            "NodeMetrics" => self
                .node_metrics
                .get_or_insert_with(Vec::new)
                .push(NodeMetrics::deserialize(d).map_err(bad)?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// Key names and fingerprints of a Secret; its values are dropped here.
pub fn secret_info(s: &Secret) -> SecretInfo {
    let mut fingerprints = BTreeMap::new();
    if let Some(data) = &s.data {
        for (k, v) in data {
            fingerprints.insert(k.clone(), crate::redact::fingerprint(&String::from_utf8_lossy(&v.0)));
        }
    }
    if let Some(data) = &s.string_data {
        for (k, v) in data {
            fingerprints.insert(k.clone(), crate::redact::fingerprint(v));
        }
    }
    if fingerprints.is_empty()
        && let Some(json) = s.metadata.annotations.as_ref().and_then(|a| a.get(FINGERPRINTS_ANNOTATION))
        && let Ok(map) = serde_json::from_str::<BTreeMap<String, String>>(json)
    {
        fingerprints = map;
    }
    SecretInfo {
        namespace: s.metadata.namespace.clone().unwrap_or_else(|| "default".into()),
        name: s.metadata.name.clone().unwrap_or_default(),
        fingerprints,
    }
}

/// Loads a snapshot file or folder. Errors name the file (and YAML line/column).
pub fn load_snapshot(path: &Path) -> Result<ClusterState, String> {
    load_snapshot_with(path, 1)
}

/// [`load_snapshot`] with the YAML parse budget multiplied by `budget` (`--snapshot-budget`).
/// Each file is streamed (`read`): one thread parses, the others turn items into objects as
/// they come, so neither the file nor a tree of it is ever held whole.
pub fn load_snapshot_with(path: &Path, budget: u32) -> Result<ClusterState, String> {
    let started = std::time::Instant::now();
    let mut state = ClusterState {
        source: format!("snapshot {}", path.display()),
        ..Default::default()
    };
    let mut files = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read folder `{}`: {}", path.display(), e.to_string().to_lowercase()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_snapshot_name(p))
            .collect();
        entries.sort();
        files.extend(entries);
    } else {
        files.push(path.to_path_buf());
    }
    for file in files {
        // Type errors anywhere (a List whose items are a string, an object that is one) name
        // the type, never the value: it may be a secret.
        let mut part = load_file(&file, budget).map_err(|e| format!("`{}`: {}", file.display(), without_literal(&e)))?;
        part.read.pages = 1;
        part.read.bytes = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        state.merge(part);
    }
    state.normalize();
    state.read.seconds = started.elapsed().as_secs_f64();
    Ok(state)
}

/// `.yaml`, `.yml`, `.json`, each also with `.gz`.
fn is_snapshot_name(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(name);
    [".yaml", ".yml", ".json"].iter().any(|x| name.ends_with(x))
}

fn load_file(file: &Path, budget: u32) -> Result<ClusterState, String> {
    match load_file_as(file, budget, false) {
        // Part of the file is not shaped as kubectl prints it: read it again, as one stream.
        Err(e) if e == split::RESTART => load_file_as(file, budget, true),
        r => r,
    }
}

/// A type error without the value it quotes (`invalid type: string "hunter2", expected a
/// sequence` → `invalid type: string, expected a sequence`): the value may be a secret.
fn without_literal(msg: &str) -> String {
    for lead in ["invalid type: ", "invalid value: "] {
        let Some(i) = msg.find(lead) else { continue };
        let from = i + lead.len();
        let Some(end) = msg[from..].find(", expected").map(|e| e + from) else {
            continue;
        };
        let what = msg[from..end].split([' ', '`', '"']).next().unwrap_or_default();
        return format!("{}{what}{}", &msg[..from], &msg[end..]);
    }
    msg.to_string()
}

/// Stack of each thread that converts snapshot items.
const WORKER_STACK: usize = 64 << 20;

fn load_file_as(file: &Path, budget: u32, whole: bool) -> Result<ClusterState, String> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<read::Item>>(8);
    let rx = Mutex::new(rx);
    let stop = Arc::new(AtomicBool::new(false));
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 4);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (rx, stop) = (&rx, stop.clone());
                // YAML objects are parsed here, by recursion as deep as their nesting.
                std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, move || {
                    let mut part = ClusterState::default();
                    loop {
                        let batch = match rx.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => break,
                        };
                        let Ok(batch) = batch else { break };
                        for item in batch {
                            if let Err(e) = part.add_item(item) {
                                stop.store(true, Ordering::Relaxed);
                                return Err(e);
                            }
                        }
                    }
                    Ok(part)
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("cannot start a parser thread: {e}"))?;
        let read = read::items(file, budget, whole, read::Sink::new(tx, stop.clone()));
        let mut state = ClusterState::default();
        let mut failed = None;
        for h in handles {
            match h.join().unwrap_or_else(|_| Err("a parser thread panicked".into())) {
                Ok(part) => state.merge(part),
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        if let Some(e) = failed {
            return Err(e);
        }
        read?;
        Ok(state)
    })
}

impl ClusterState {
    /// Adds one item of a snapshot file.
    fn add_item(&mut self, item: read::Item) -> Result<(), String> {
        self.read.objects += 1;
        match item {
            read::Item::Tree(mut v) => {
                // The big parts no reader needs go before the typed conversion copies them.
                if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.remove("managedFields");
                    if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
                        a.remove(slim::LAST_APPLIED);
                    }
                }
                self.add_object(v)
            }
            read::Item::Raw { json, list_kind } => self.add_json(json.get(), None, list_kind.as_ref(), false),
            // Text that is not JSON: the whole file is read again, for an error that names
            // its line and column in the file.
            read::Item::Json { text, list_kind } => self.add_json(&text, None, list_kind.as_ref(), true),
            read::Item::Yaml {
                text,
                line,
                entry,
                list_kind,
                budget,
            } => {
                self.read.objects -= 1;
                for p in read::parse_unit(&text, line, entry, budget)? {
                    match p {
                        read::Parsed::Json(o) => {
                            self.read.objects += 1;
                            // A type error is reported as a tree reports it, without the
                            // place in a JSON text the user never saw.
                            if self.add_json(&o.json, o.head(), list_kind.as_ref(), false).is_err() {
                                self.read.objects -= 1;
                                let v = serde_json::from_str(&o.json).map_err(|e| e.to_string())?;
                                self.add_item(read::tree(v, list_kind.as_ref()))?;
                            }
                        }
                        read::Parsed::Tree(v) => self.add_item(read::tree(v, list_kind.as_ref()))?,
                    }
                }
                Ok(())
            }
        }
    }

    /// One object as JSON text: straight to its type, without a tree. `head`: its `kind`,
    /// `apiVersion` and `metadata.name` when the YAML reader knows them (the text is read for
    /// them otherwise). `split`: the text was cut from the file unchecked (`split_json`); if
    /// it is not JSON, the whole file is read again, for an error that names its line and
    /// column in the file.
    fn add_json(
        &mut self,
        json: &str,
        head: Option<[&str; 3]>,
        list_kind: Option<&std::sync::Arc<str>>,
        split: bool,
    ) -> Result<(), String> {
        #[derive(Deserialize)]
        struct Head {
            #[serde(default)]
            kind: String,
            #[serde(default, rename = "apiVersion")]
            api_version: String,
            #[serde(default)]
            metadata: HeadMeta,
        }
        #[derive(Deserialize, Default)]
        struct HeadMeta {
            #[serde(default)]
            name: String,
        }
        let parsed: Head;
        let [own_kind, api_version, name] = match head {
            Some(head) => head,
            None => {
                parsed = serde_json::from_str(json).map_err(|e| {
                    if split && (e.is_syntax() || e.is_eof()) {
                        split::RESTART.to_string()
                    } else {
                        e.to_string()
                    }
                })?;
                [parsed.kind.as_str(), parsed.api_version.as_str(), parsed.metadata.name.as_str()]
            }
        };
        let kind = match own_kind {
            "" => read::item_kind(list_kind).unwrap_or_default(),
            k => k,
        };
        if self.add_typed(kind, api_version, name, &mut serde_json::Deserializer::from_str(json))? {
            return Ok(());
        }
        // Special kinds (ContainerLog, Lists in Lists) take the general path.
        let mut v: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
        if own_kind.is_empty()
            && !kind.is_empty()
            && let Some(map) = v.as_object_mut()
        {
            map.insert("kind".into(), Value::String(kind.to_string()));
        }
        self.add_object(v)
    }
}

/// JSON, or one or more YAML documents.
pub fn parse_documents(text: &str) -> Result<Vec<Value>, String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return match serde_json::from_str::<Value>(trimmed).map_err(|e| e.to_string())? {
            Value::Array(items) => Ok(items),
            v => Ok(vec![v]),
        };
    }
    let docs: Vec<Value> = serde_saphyr::from_multiple(text).map_err(|e| e.to_string())?;
    Ok(docs.into_iter().filter(|d| !d.is_null()).collect())
}

#[cfg(test)]
mod tests {
    /// Everything a check reads, as text, for comparing two reads of one file.
    fn seen(s: &ClusterState) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            s.pods, s.events, s.nodes, s.deployments, s.replica_sets, s.hpas, s.secrets, s.pod_metrics, s.logs
        )
    }

    /// Split and read whole, the file gives the same objects.
    fn same_both_ways(text: &str) -> ClusterState {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.yaml");
        std::fs::write(&path, text).unwrap();
        let split = load_file(&path, 1).unwrap();
        let whole = load_file_as(&path, 1, true).unwrap();
        let (mut a, mut b) = (split.clone(), whole);
        a.normalize();
        b.normalize();
        assert_eq!(seen(&a), seen(&b));
        split
    }

    fn names(s: &ClusterState) -> Vec<String> {
        let mut n: Vec<String> = s
            .pods
            .iter()
            .map(|p| p.metadata.name.clone().unwrap_or_default())
            .chain(s.nodes.iter().map(|p| p.metadata.name.clone().unwrap_or_default()))
            .collect();
        n.sort();
        n
    }

    #[test]
    fn the_bundled_incident_reads_the_same_split_or_whole() {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml")).unwrap();
        let s = same_both_ways(&text);
        assert!(s.pods.len() > 5, "{}", s.pods.len());
        assert!(!s.deployments.is_empty() && !s.events.is_empty());
    }

    #[test]
    fn every_shape_reads_the_same_split_or_whole() {
        let shapes = [
            // kubectl: the List's kind after its items; a typed List's kind before them.
            "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n- kind: Node\n  metadata: {name: node1}\nkind: List\nmetadata:\n  resourceVersion: \"\"\n",
            "apiVersion: v1\nkind: PodList\nitems:\n- metadata:\n    name: a\n- metadata:\n    name: b\n",
            // Documents, comments, blank lines, block scalars with column-0-looking text.
            "# saved\n---\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    note: |\n      - not an item\n      key: not a key\n\n---\nkind: Node\nmetadata:\n  name: node1\n...\n",
            // A top-level sequence of objects.
            "- kind: Pod\n  metadata:\n    name: a\n- kind: Pod\n  metadata:\n    name: b\n",
            // Indented items, flow items: not split, read whole.
            "kind: List\nitems:\n  - kind: Pod\n    metadata:\n      name: a\n",
            "kind: List\nitems: [{kind: Pod, metadata: {name: a}}]\n",
            // A later document that is not shaped as kubectl prints it: read again, whole.
            "kind: Pod\nmetadata:\n  name: a\n---\n{kind: Pod, metadata: {name: b}}\n",
            "apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\n\"quoted\": 1\n",
            "",
            "---\n---\n",
        ];
        for text in shapes {
            same_both_ways(text);
        }
        let s = same_both_ways(shapes[1]);
        assert_eq!(names(&s), ["a", "b"]);
        let s = same_both_ways(shapes[6]);
        assert_eq!(names(&s), ["a", "b"]);
    }

    #[test]
    fn json_reads_the_same_split_or_whole() {
        let incident = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let yaml = dir.path().join("i.yaml");
        std::fs::write(&yaml, incident).unwrap();
        let mut json = Vec::new();
        snapshot::write(&load_snapshot(&yaml).unwrap(), snapshot::Format::Json, &mut json).unwrap();
        let shapes = [
            String::from_utf8(json).unwrap(),
            // kubectl's order: the List's kind after its items.
            r#"{"apiVersion": "v1", "items": [{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"}}, {"kind": "Node", "metadata": {"name": "node1"}}], "kind": "List", "metadata": {"resourceVersion": ""}}"#.into(),
            r#"{"kind": "PodList", "items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}"#.into(),
            r#"[{"kind": "Pod", "metadata": {"name": "a"}}, {"kind": "Pod", "metadata": {"name": "b"}}]"#.into(),
            r#"{"kind": "Pod", "metadata": {"name": "a"}}"#.into(),
            r#"{"items": null}"#.into(),
            "[]".into(),
        ];
        for text in &shapes {
            let path = dir.path().join("s.json");
            std::fs::write(&path, text).unwrap();
            let split = load_file(&path, 1).unwrap();
            let whole = load_file_as(&path, 1, true).unwrap();
            let (mut a, mut b) = (split, whole);
            a.normalize();
            b.normalize();
            assert_eq!(seen(&a), seen(&b), "{text}");
        }
        // Broken JSON gives the general reader's error, with its place in the file.
        for text in [
            "{\"items\": [\n{\"kind\": \"Pod\", \"metadata\": {\"name\": \"a\"}},\n{\"kind\": \"Pod\", \"metadata\": {\"name\": tru}}\n]}",
            "{\"items\": [{\"kind\": \"Pod\"}, {\"kind\": \"Pod\"}}",
            "[1, 2, {\"a\": 3}]",
            "[{\"kind\": \"Pod\", \"spec\": {\"containers\": \"hunter2\"}}]",
        ] {
            let path = dir.path().join("b.json");
            std::fs::write(&path, text).unwrap();
            assert_eq!(
                load_file(&path, 1).unwrap_err(),
                load_file_as(&path, 1, true).unwrap_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn an_error_in_an_item_names_its_line_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.yaml");
        let text = "apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\n- kind: Pod\n  metadata:\n    name: [b\nkind: List\n";
        std::fs::write(&path, text).unwrap();
        let e = load_file_as(&path, 1, false).unwrap_err();
        assert!(e.contains("line 8") || e.contains("line 9"), "{e}");
        let deep = format!(
            "kind: List\nitems:\n- kind: ConfigMap\n  data: {}1{}\n",
            "[".repeat(100),
            "]".repeat(100)
        );
        std::fs::write(&path, deep).unwrap();
        let e = load_file_as(&path, 1, false).unwrap_err();
        assert!(e.contains("levels of nesting") && e.contains("--snapshot-budget"), "{e}");
        assert!(load_file_as(&path, 2, false).is_ok());
    }

    fn state_of(objects: serde_json::Value) -> ClusterState {
        let mut s = ClusterState::default();
        s.add_object(objects).unwrap();
        s
    }

    #[test]
    fn lookups_are_by_namespace_and_name() {
        let s = state_of(serde_json::json!({"kind": "List", "apiVersion": "v1", "items": [
            {"kind": "ReplicaSet", "apiVersion": "apps/v1", "metadata": {"name": "api-5d8f", "namespace": "a",
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "api", "uid": "u", "controller": true}]}},
            {"kind": "ReplicaSet", "apiVersion": "apps/v1", "metadata": {"name": "api-5d8f", "namespace": "b"}},
            {"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "api", "namespace": "a"}},
            {"kind": "Event", "apiVersion": "v1", "metadata": {"name": "e1", "namespace": "a"}, "reason": "FailedScheduling",
                "message": "old", "lastTimestamp": "2026-11-30T10:00:00Z", "involvedObject": {"kind": "Pod", "name": "api-1", "namespace": "a"}},
            {"kind": "Event", "apiVersion": "v1", "metadata": {"name": "e2", "namespace": "a"}, "reason": "FailedScheduling",
                "message": "new", "lastTimestamp": "2026-11-30T11:00:00Z", "involvedObject": {"kind": "Pod", "name": "api-1", "namespace": "a"}},
            {"kind": "Event", "apiVersion": "v1", "metadata": {"name": "e3", "namespace": "a"}, "reason": "BackOff",
                "message": "other", "lastTimestamp": "2026-11-30T12:00:00Z", "involvedObject": {"kind": "Pod", "name": "api-1", "namespace": "a"}},
            {"kind": "HorizontalPodAutoscaler", "apiVersion": "autoscaling/v2", "metadata": {"name": "h", "namespace": "a"},
                "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"}, "maxReplicas": 3}},
        ]}));
        let ix = s.index();
        assert_eq!(ix.replica_set_owner("a", "api-5d8f"), Some(Some("api")));
        assert_eq!(ix.replica_set_owner("b", "api-5d8f"), Some(None));
        assert_eq!(ix.replica_set_owner("c", "api-5d8f"), None);
        assert!(ix.has_deployment("a", "api"));
        assert!(!ix.has_deployment("b", "api"));
        let e = s.failed_scheduling("a", "api-1").unwrap();
        assert_eq!(e.message.as_deref(), Some("new"));
        assert!(s.failed_scheduling("b", "api-1").is_none());
        assert_eq!(s.hpa_of("a", "api").and_then(|h| h.metadata.name.as_deref()), Some("h"));
        assert!(s.hpa_of("b", "api").is_none());
    }

    #[test]
    fn adding_objects_drops_the_index() {
        let mut s =
            state_of(serde_json::json!({"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "api", "namespace": "a"}}));
        assert!(!s.index().has_deployment("a", "web"));
        s.add_object(serde_json::json!({"kind": "Deployment", "apiVersion": "apps/v1", "metadata": {"name": "web", "namespace": "a"}}))
            .unwrap();
        assert!(s.index().has_deployment("a", "web"));
        s.retain_namespace("b");
        assert!(!s.index().has_deployment("a", "api"));
    }

    #[test]
    fn type_errors_do_not_quote_the_value() {
        let mut s = super::ClusterState::default();
        let pod = serde_json::json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "env": [{"name": "REDIS_PASSWORD", "value": 31337421}]}]}});
        let e = s.add_object(pod).unwrap_err();
        assert!(e.contains("invalid type: integer, expected a string"), "{e}");
        assert!(!e.contains("31337421"), "{e}");
        let pod =
            serde_json::json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "p"}, "spec": {"containers": "hunter2-secret"}});
        let e = s.add_object(pod).unwrap_err();
        assert!(
            e.starts_with("Pod `p`: invalid type: string, expected") && !e.contains("hunter2"),
            "{e}"
        );
        // Nor where the file's shape is wrong: items that are a string, a list of strings.
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("a.json", r#"{"apiVersion":"v1","kind":"List","items":"hunter2-secret"}"#),
            ("b.json", r#"["hunter2-secret"]"#),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            let e = load_snapshot(&path).unwrap_err();
            assert!(e.contains("invalid type: string, expected") && !e.contains("hunter2"), "{e}");
        }
        // YAML the fast reader takes: the same words, without a place in a text the user
        // never saw.
        let path = dir.path().join("c.yaml");
        let yaml = "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: p\n  spec:\n    containers:\n    - name: c\n      env:\n      - name: REDIS_PASSWORD\n        value: 31337421\nkind: List\n";
        std::fs::write(&path, yaml).unwrap();
        let e = load_snapshot(&path).unwrap_err();
        assert!(e.contains("Pod `p`: invalid type: integer, expected a string"), "{e}");
        assert!(!e.contains("31337421") && !e.contains("column"), "{e}");
    }

    use super::*;

    #[test]
    fn reads_a_kubectl_list_and_multi_doc_yaml() {
        let list = r#"
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a, namespace: aiwfe}
  spec: {containers: [{name: c, image: x}]}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: d, namespace: aiwfe}
  spec:
    selector: {matchLabels: {app: d}}
    template: {metadata: {labels: {app: d}}, spec: {containers: [{name: c, image: x}]}}
"#;
        let mut s = ClusterState::default();
        for d in parse_documents(list).unwrap() {
            s.add_object(d).unwrap();
        }
        assert_eq!((s.pods.len(), s.deployments.len()), (1, 1));

        let multi = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: redis-auth, namespace: aiwfe}\ndata: {password: aHVudGVyMg==}\n";
        let mut s = ClusterState::default();
        for d in parse_documents(multi).unwrap() {
            s.add_object(d).unwrap();
        }
        assert_eq!(s.nodes.len(), 1);
        assert_eq!(s.secrets[0].fingerprints["password"], crate::redact::fingerprint("hunter2"));
    }

    #[test]
    fn typed_lists_and_json() {
        let json = r#"{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"p","namespace":"x"},"spec":{"containers":[]}}]}"#;
        let mut s = ClusterState::default();
        for d in parse_documents(json).unwrap() {
            s.add_object(d).unwrap();
        }
        assert_eq!(s.pods.len(), 1);
    }

    #[test]
    fn broken_known_kind_is_an_error_naming_it() {
        let mut s = ClusterState::default();
        let e = s
            .add_object(serde_json::json!({"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": "nope"}}))
            .unwrap_err();
        assert!(e.contains("Pod `p`"), "{e}");
    }
}
