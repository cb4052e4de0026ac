//! A stateful Kubernetes API server for tests: enough of the real API for the kube client
//! and `kubectl` to talk to it over plain HTTP through a generated kubeconfig.
//!
//! Reads: discovery (`/api`, `/apis`, resource lists with short names and subresources), the
//! OpenAPI v3 index kubectl consults before writes, list with `limit` and opaque `continue`
//! tokens (the real server's encoding of resourceVersion and next key: a page goes on after
//! the last key returned even if objects went in between, 400 for a bad token, 410 `Expired`
//! for one from before a [`KubeApi::compact`]), field and label selectors, get, pod logs (`previous`), metrics.k8s.io, and server-side printing
//! (Tables) for kubectl's human-readable output.
//!
//! Watch: `watch=true` on a collection streams chunked JSON events (`ADDED`, `MODIFIED`,
//! `DELETED`, `BOOKMARK`) from a bounded event log, honouring `resourceVersion`,
//! `fieldSelector`, `labelSelector`, `timeoutSeconds` and `allowWatchBookmarks`. A version
//! older than the log gets an `ERROR` event carrying a 410 `Expired` Status on a 200 stream,
//! as the API server's watch cache answers.
//!
//! Writes as the API server does them: POST (201, 409 `AlreadyExists`, `generateName`), PUT
//! and PATCH (JSON Patch, merge patch and strategic merge patch by merge key) with
//! `metadata.resourceVersion` as a precondition (409 `Conflict`; a write without one is
//! unconditional), DELETE (the object for pods,
//! a Success Status otherwise, with garbage collection of dependents), the `status` and
//! `scale` subresources, `dryRun=All` on each (another value is 422 `Invalid` for the
//! verb's options kind), `metadata.generation` bumps on spec changes,
//! no-op updates that keep the resourceVersion, defaulting, and some of the real validation
//! of Deployments. Secrets may be created in protobuf, as `kubectl create secret` sends them.
//!
//! A Deployment controller runs in the background: it moves `.status` in observable steps,
//! keeps a ReplicaSet `<deployment>-<pod-template-hash>` and replaces the pods, each as a
//! watch event, with the controllers' Events (`ScalingReplicaSet`, `SuccessfulCreate`,
//! `FailedScheduling`, `BackOff`). Tests steer it per Deployment ([`Rollout`], [`NewPods`]), and inject
//! rejections ([`KubeApi::reject`]), concurrent writers ([`KubeApi::interfere`],
//! [`KubeApi::patch_now`]) and faults ([`KubeApi::fault`]). Every request is recorded, writes
//! with their `dryRun` and `Content-Type` ([`KubeApi::writes`]).

use serde_json::{Value, json};
use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A resource type the server knows.
#[derive(Clone, Copy, PartialEq)]
struct Kind {
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    kind: &'static str,
    namespaced: bool,
    /// Has a `status` subresource: writes to the main resource keep the stored status.
    status: bool,
    short: &'static [&'static str],
}

const fn kind(
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    kind: &'static str,
    namespaced: bool,
    status: bool,
    short: &'static [&'static str],
) -> Kind {
    Kind {
        group,
        version,
        plural,
        kind,
        namespaced,
        status,
        short,
    }
}

const KINDS: &[Kind] = &[
    kind("", "v1", "pods", "Pod", true, true, &["po"]),
    kind("", "v1", "events", "Event", true, false, &["ev"]),
    kind("", "v1", "nodes", "Node", false, true, &["no"]),
    kind("", "v1", "secrets", "Secret", true, false, &[]),
    kind("", "v1", "namespaces", "Namespace", false, true, &["ns"]),
    kind("apps", "v1", "deployments", "Deployment", true, true, &["deploy"]),
    kind("apps", "v1", "replicasets", "ReplicaSet", true, true, &["rs"]),
    kind(
        "autoscaling",
        "v2",
        "horizontalpodautoscalers",
        "HorizontalPodAutoscaler",
        true,
        true,
        &["hpa"],
    ),
    kind("metrics.k8s.io", "v1beta1", "pods", "PodMetrics", true, false, &[]),
    kind("metrics.k8s.io", "v1beta1", "nodes", "NodeMetrics", false, false, &[]),
];

const PODS: Kind = KINDS[0];
const EVENTS: Kind = KINDS[1];
const DEPLOYMENTS: Kind = KINDS[5];
const REPLICASETS: Kind = KINDS[6];

/// How many watch events the server keeps for watches that resume from a resourceVersion.
const EVENT_LOG: usize = 10_000;
/// How often an idle watch that allows bookmarks gets one.
const BOOKMARK_EVERY: Duration = Duration::from_secs(1);
/// The alphabet of generated name suffixes and pod-template hashes.
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

fn kind_of(v: &Value) -> Option<Kind> {
    let api = v["apiVersion"].as_str().unwrap_or("v1");
    let (group, version) = api.split_once('/').unwrap_or(("", api));
    let k = v["kind"].as_str()?;
    KINDS
        .iter()
        .copied()
        .find(|x| x.kind == k && x.group == group && x.version == version)
}

fn kind_by_resource(resource: &str) -> Kind {
    let (group, plural) = resource.split_once('/').unwrap_or(("", resource));
    KINDS
        .iter()
        .copied()
        .find(|k| k.group == group && k.plural == plural && k.group != "metrics.k8s.io")
        .unwrap_or_else(|| panic!("unknown resource {resource:?}; write it as `group/plural`, e.g. `apps/deployments` or `/secrets`"))
}

fn resource_key(k: Kind) -> String {
    format!("{}/{}", k.group, k.plural)
}

/// How the Deployment controller progresses a Deployment's rollout (see [`KubeApi::rollout`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Rollout {
    /// Steps to completion: all replicas updated and available, `NewReplicaSetAvailable`.
    Complete,
    /// Stops half way with replicas not updated or available; `Progressing` stays True.
    Stall,
    /// Stops half way, then `Progressing` turns False with `ProgressDeadlineExceeded`.
    DeadlineExceeded,
}

/// What the pods a rollout creates look like (see [`KubeApi::rollout`]).
#[derive(Clone, Debug, PartialEq)]
pub enum NewPods {
    /// Running and ready.
    Ready,
    /// Running, never ready: `CrashLoopBackOff`, last terminated with exit code 1; the
    /// text is each container's log, current and `previous`.
    CrashLoop { previous_log: String },
    /// Pending, unscheduled: `PodScheduled` False, `Unschedulable`, with this scheduler
    /// message (also a `FailedScheduling` event).
    Pending { message: String },
}

/// One recorded write request (POST, PUT, PATCH, DELETE).
#[derive(Clone, Debug)]
pub struct Write {
    pub method: String,
    /// The path without the query, e.g. `/apis/apps/v1/namespaces/aiwfe/deployments/x`.
    pub path: String,
    /// `dryRun=All` was asked.
    pub dry_run: bool,
    pub content_type: String,
    /// The status code the server answered.
    pub code: u16,
    /// The request body (`null` when empty or not JSON).
    pub body: Value,
}

struct Event {
    rv: u64,
    kind: Kind,
    etype: &'static str,
    object: Value,
    /// The object before this change (for MODIFIED and DELETED).
    prev: Option<Value>,
}

struct Run {
    generation: i64,
    phase: u8,
    next_at: Instant,
}

#[derive(Default)]
struct State {
    /// (group, plural) → namespace ("" for cluster) → name → object
    objects: BTreeMap<(String, String), BTreeMap<String, BTreeMap<String, Value>>>,
    /// (namespace, pod, container, previous) → log text
    logs: BTreeMap<(String, String, String, bool), String>,
    rv: u64,
    /// `group/plural` → (status code, reason) replied instead of the real answer.
    faults: BTreeMap<String, (u16, String)>,
    metrics: bool,
    requests: Vec<String>,
    writes: Vec<Write>,
    events: VecDeque<Event>,
    /// Watches from a resourceVersion older than this are answered `Expired`.
    log_start: u64,
    /// The last compaction's version ([`KubeApi::compact`]): list continue tokens from
    /// before it are answered `Expired`.
    compacted: u64,
    /// (`group/plural`, namespace, name) → (code, reason, message) for every write.
    rejects: BTreeMap<(String, String, String), (u16, String, String)>,
    /// (`group/plural`, namespace, name) → merge patch applied before the next real write.
    interferences: BTreeMap<(String, String, String), Value>,
    /// (namespace, deployment) → how its rollouts go.
    behaviour: BTreeMap<(String, String), (Rollout, NewPods)>,
    /// (namespace, deployment) → the rollout in progress.
    runs: BTreeMap<(String, String), Run>,
    step: Duration,
    seed: u64,
    /// With `authorize`: the rules the one user holds (`None` for a ClusterRole's).
    rbac: Option<(String, Vec<RbacRule>)>,
}

/// One rule of a Role (`namespace` set) or ClusterRole.
#[derive(Clone, Debug)]
struct RbacRule {
    namespace: Option<String>,
    groups: Vec<String>,
    resources: Vec<String>,
    verbs: Vec<String>,
}

impl RbacRule {
    fn allows(&self, group: &str, resource: &str, verb: &str, ns: Option<&str>) -> bool {
        let any = |list: &[String], v: &str| list.iter().any(|x| x == "*" || x == v);
        (self.namespace.is_none() || self.namespace.as_deref() == ns)
            && any(&self.groups, group)
            && any(&self.resources, resource)
            && any(&self.verbs, verb)
    }
}

impl State {
    fn random(&mut self) -> u64 {
        // splitmix64
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uid(&mut self) -> String {
        let (a, b) = (self.random(), self.random());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }

    fn suffix(&mut self) -> String {
        (0..5)
            .map(|_| ALPHANUMS[(self.random() % ALPHANUMS.len() as u64) as usize] as char)
            .collect()
    }

    fn hex(&mut self, n: usize) -> String {
        let mut s = String::new();
        while s.len() < n {
            s.push_str(&format!("{:016x}", self.random()));
        }
        s.truncate(n);
        s
    }
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    stop: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The server; stops when dropped.
pub struct KubeApi {
    /// The loopback port it listens on (plain HTTP).
    pub port: u16,
    shared: Arc<Shared>,
    _dir: tempfile::TempDir,
    /// A kubeconfig for it: context `test`, namespace `aiwfe`, a bearer token.
    pub kubeconfig: PathBuf,
}

impl KubeApi {
    /// Starts an empty server and its Deployment controller.
    pub fn start() -> KubeApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                metrics: true,
                step: Duration::from_millis(60),
                seed,
                ..Default::default()
            }),
            changed: Condvar::new(),
            stop: AtomicBool::new(false),
        });
        let sh = shared.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if sh.stop.load(Ordering::Relaxed) {
                    break;
                }
                if let Ok(conn) = conn {
                    let sh = sh.clone();
                    std::thread::spawn(move || serve(conn, &sh));
                }
            }
        });
        let sh = shared.clone();
        std::thread::spawn(move || controller(&sh));
        let dir = tempfile::tempdir().expect("temp dir");
        let kubeconfig = dir.path().join("kubeconfig");
        std::fs::write(
            &kubeconfig,
            format!(
                "apiVersion: v1\nkind: Config\nclusters:\n- name: test\n  cluster:\n    server: http://127.0.0.1:{port}\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: tester\n    namespace: aiwfe\ncurrent-context: test\nusers:\n- name: tester\n  user:\n    token: test-token-not-secret\n"
            ),
        )
        .expect("write kubeconfig");
        KubeApi {
            port,
            shared,
            _dir: dir,
            kubeconfig,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.lock()
    }

    /// Adds objects as they are, status included (a `List` is unpacked; `ContainerLog`
    /// items become pod logs). Each is a watch event; a Deployment whose generation is
    /// ahead of its `observedGeneration` is rolled out.
    pub fn load(&self, v: Value) {
        let mut st = self.state();
        load_into(&mut st, v);
        drop(st);
        self.shared.changed.notify_all();
    }

    /// [`KubeApi::load`] for a YAML file, e.g. an `aiwfe snapshot` or `kubectl get -o yaml`.
    pub fn load_yaml_file(&self, path: &std::path::Path) {
        let text = std::fs::read_to_string(path).expect("read snapshot");
        let v: Value = serde_saphyr::from_str(&text).expect("parse snapshot");
        self.load(v);
    }

    /// Replies `status` to every request for `group/plural` (e.g. `/nodes`, `apps/deployments`).
    pub fn fault(&self, resource: &str, status: u16, reason: &str) {
        self.state().faults.insert(resource.to_string(), (status, reason.to_string()));
    }

    /// From now on, every request is made by `user` holding exactly the rules of the Roles
    /// and ClusterRoles in `yaml` (multi-document, as `aiwfe rbac` prints it; bindings are
    /// taken as given), and anything else is refused with 403 as the API's RBAC authorizer
    /// refuses it. Discovery and OpenAPI stay open, as `system:discovery` keeps them.
    pub fn authorize(&self, user: &str, yaml: &str) {
        let mut rules = Vec::new();
        for doc in yaml.split("\n---\n") {
            let Ok(v) = serde_saphyr::from_str::<Value>(doc) else { continue };
            let namespace = match v["kind"].as_str() {
                Some("Role") => Some(v["metadata"]["namespace"].as_str().unwrap_or("default").to_string()),
                Some("ClusterRole") => None,
                _ => continue,
            };
            let strings = |x: &Value| -> Vec<String> {
                x.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            };
            for r in v["rules"].as_array().into_iter().flatten() {
                rules.push(RbacRule {
                    namespace: namespace.clone(),
                    groups: strings(&r["apiGroups"]),
                    resources: strings(&r["resources"]),
                    verbs: strings(&r["verbs"]),
                });
            }
        }
        self.state().rbac = Some((user.to_string(), rules));
    }

    /// Removes metrics.k8s.io, as on a cluster without metrics-server.
    pub fn without_metrics(&self) {
        self.state().metrics = false;
    }

    /// Every request so far as `METHOD /path?query` (query keys sorted).
    pub fn requests(&self) -> Vec<String> {
        self.state().requests.clone()
    }

    /// Every write request so far, in order, with its `dryRun`, `Content-Type` and answer.
    pub fn writes(&self) -> Vec<Write> {
        self.state().writes.clone()
    }

    /// The stored object (`ns` is "" for cluster-scoped kinds).
    pub fn get(&self, group: &str, plural: &str, ns: &str, name: &str) -> Option<Value> {
        let st = self.state();
        st.objects
            .get(&(group.to_string(), plural.to_string()))?
            .get(ns)?
            .get(name)
            .cloned()
    }

    /// The objects of `group/plural` in `ns` ("" for cluster-scoped), by name.
    pub fn list(&self, resource: &str, ns: &str) -> Vec<Value> {
        let k = kind_by_resource(resource);
        let st = self.state();
        st.objects
            .get(&(k.group.to_string(), k.plural.to_string()))
            .and_then(|m| m.get(ns))
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Sets how the rollouts of Deployment `ns/name` go from now on: how far the
    /// controller gets and what the pods it creates look like. Without a call, rollouts
    /// complete with ready pods.
    pub fn rollout(&self, ns: &str, name: &str, rollout: Rollout, pods: NewPods) {
        self.state().behaviour.insert((ns.to_string(), name.to_string()), (rollout, pods));
    }

    /// Makes every write to `group/plural` `ns/name` (create, update, patch, delete; dry run
    /// or not) fail with this Status, as a validating admission plugin would, e.g. `422`,
    /// `Invalid`, `Deployment.apps "x" is invalid: ...`. An empty reason is left out.
    pub fn reject(&self, resource: &str, ns: &str, name: &str, code: u16, reason: &str, message: &str) {
        let k = kind_by_resource(resource);
        self.state().rejects.insert(
            (resource_key(k), ns.to_string(), name.to_string()),
            (code, reason.to_string(), message.to_string()),
        );
    }

    /// Makes every write to the object fail as a validating admission webhook's denial
    /// does on a v1.33 API server (`webhook/errors.ToStatusErr`): 400 (a denial without a
    /// code of its own, as Kyverno's), no reason, `admission webhook "NAME" denied the
    /// request: MESSAGE`. Newer API server sources answer 403 `Forbidden` with
    /// `<resource> "<name>" is forbidden: ` before that; use [`KubeApi::reject`] for it.
    pub fn deny_by_webhook(&self, resource: &str, ns: &str, name: &str, webhook: &str, message: &str) {
        self.reject(
            resource,
            ns,
            name,
            400,
            "",
            &format!("admission webhook \"{webhook}\" denied the request: {message}"),
        );
    }

    /// Just before the next write to the object that is not a dry run is handled, another
    /// client changes it with this merge patch (a new resourceVersion, a watch event, a
    /// generation bump if the spec changed), so a write carrying the old resourceVersion
    /// gets 409 Conflict.
    pub fn interfere(&self, resource: &str, ns: &str, name: &str, merge_patch: Value) {
        let k = kind_by_resource(resource);
        self.state()
            .interferences
            .insert((resource_key(k), ns.to_string(), name.to_string()), merge_patch);
    }

    /// Changes the object now with a merge patch, as another client would (the status
    /// too, as a controller would); returns the stored object.
    pub fn patch_now(&self, resource: &str, ns: &str, name: &str, merge_patch: Value) -> Value {
        let k = kind_by_resource(resource);
        let mut st = self.state();
        let out = foreign_patch(&mut st, k, ns, name, &merge_patch).unwrap_or_else(|| panic!("no {resource} {ns}/{name} to patch"));
        drop(st);
        self.shared.changed.notify_all();
        out
    }

    /// Compacts at the current resourceVersion, as etcd does: the watch event log is
    /// forgotten, so a watch from any earlier resourceVersion gets `410 Expired` and has to
    /// list again, and so does a list continued with a token from before (the `Expired`
    /// Status then carries a token that continues at the latest version).
    pub fn compact(&self) {
        let mut st = self.state();
        st.events.clear();
        st.log_start = st.rv;
        st.compacted = st.rv;
    }

    /// The real `kubectl`, pointed at this server.
    pub fn kubectl(&self) -> std::process::Command {
        let mut c = std::process::Command::new("kubectl");
        c.arg("--kubeconfig").arg(&self.kubeconfig).env_remove("KUBECONFIG");
        c
    }
}

impl Drop for KubeApi {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.changed.notify_all();
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn load_into(st: &mut State, v: Value) {
    if v["kind"] == "List" || v["kind"].as_str().is_some_and(|k| k.ends_with("List")) {
        for item in v["items"].as_array().cloned().unwrap_or_default() {
            load_into(st, item);
        }
        return;
    }
    if v["kind"] == "ContainerLog" {
        let key = (
            v["metadata"]["namespace"].as_str().unwrap_or("default").to_string(),
            v["metadata"]["name"].as_str().unwrap_or_default().to_string(),
            v["container"].as_str().unwrap_or_default().to_string(),
            v["previous"].as_bool().unwrap_or(false),
        );
        st.logs.insert(key, v["log"].as_str().unwrap_or_default().to_string());
        return;
    }
    let Some(k) = kind_of(&v) else { return };
    let mut v = v;
    // Objects read from a cluster carry the API's defaults.
    defaults(&mut v);
    put(st, k, v);
}

// ---------------------------------------------------------------- store

fn obj_name(v: &Value) -> String {
    v["metadata"]["name"].as_str().unwrap_or_default().to_string()
}

fn obj_rv(v: &Value) -> &str {
    v["metadata"]["resourceVersion"].as_str().unwrap_or("")
}

fn api_version(k: Kind) -> String {
    if k.group.is_empty() {
        k.version.to_string()
    } else {
        format!("{}/{}", k.group, k.version)
    }
}

fn lookup<'a>(st: &'a State, k: Kind, ns: &str, name: &str) -> Option<&'a Value> {
    st.objects.get(&(k.group.to_string(), k.plural.to_string()))?.get(ns)?.get(name)
}

fn objects_in<'a>(st: &'a State, k: Kind, ns: &str) -> Vec<&'a Value> {
    st.objects
        .get(&(k.group.to_string(), k.plural.to_string()))
        .and_then(|m| m.get(ns))
        .map(|m| m.values().collect())
        .unwrap_or_default()
}

fn log_event(st: &mut State, k: Kind, etype: &'static str, object: Value, prev: Option<Value>) {
    st.events.push_back(Event {
        rv: st.rv,
        kind: k,
        etype,
        object,
        prev,
    });
    while st.events.len() > EVENT_LOG {
        if let Some(e) = st.events.pop_front() {
            st.log_start = e.rv;
        }
    }
}

/// Stores an object under a new resourceVersion and logs the watch event.
fn put(st: &mut State, k: Kind, mut v: Value) -> Value {
    st.rv += 1;
    v["apiVersion"] = json!(api_version(k));
    v["kind"] = json!(k.kind);
    v["metadata"]["resourceVersion"] = json!(st.rv.to_string());
    if v["metadata"].get("uid").is_none() {
        v["metadata"]["uid"] = json!(st.uid());
    }
    if v["metadata"].get("creationTimestamp").is_none_or(Value::is_null) {
        v["metadata"]["creationTimestamp"] = json!(now());
    }
    let ns = if k.namespaced {
        v["metadata"]["namespace"].as_str().unwrap_or("default").to_string()
    } else {
        String::new()
    };
    if k.namespaced {
        v["metadata"]["namespace"] = json!(ns);
    }
    let name = obj_name(&v);
    let prev = st
        .objects
        .entry((k.group.to_string(), k.plural.to_string()))
        .or_default()
        .entry(ns.clone())
        .or_default()
        .insert(name.clone(), v.clone());
    let etype = if prev.is_some() { "MODIFIED" } else { "ADDED" };
    log_event(st, k, etype, v.clone(), prev);
    if k == DEPLOYMENTS {
        schedule(st, &ns, &name, &v);
    }
    v
}

/// Removes an object: a new resourceVersion and a DELETED event. Pods on a node are first
/// marked for graceful deletion (a MODIFIED event), as the kubelet then confirms at once.
/// Dependents (by `ownerReferences`) go too unless `orphan`. Returns the last state.
fn remove(st: &mut State, k: Kind, ns: &str, name: &str, orphan: bool) -> Option<Value> {
    let mut v = lookup(st, k, ns, name)?.clone();
    if k == PODS && v["spec"]["nodeName"].is_string() && v["metadata"]["deletionTimestamp"].is_null() {
        v["metadata"]["deletionTimestamp"] = json!(now());
        v["metadata"]["deletionGracePeriodSeconds"] = json!(v["spec"]["terminationGracePeriodSeconds"].as_i64().unwrap_or(30));
        v = put(st, k, v);
    }
    let mut gone = st
        .objects
        .get_mut(&(k.group.to_string(), k.plural.to_string()))?
        .get_mut(ns)?
        .remove(name)?;
    st.rv += 1;
    gone["metadata"]["resourceVersion"] = json!(st.rv.to_string());
    log_event(st, k, "DELETED", gone.clone(), Some(v));
    if k == DEPLOYMENTS {
        st.runs.remove(&(ns.to_string(), name.to_string()));
    }
    if !orphan && let Some(uid) = gone["metadata"]["uid"].as_str() {
        let dependents: Vec<(Kind, String)> = KINDS
            .iter()
            .filter(|d| d.namespaced && d.group != "metrics.k8s.io")
            .flat_map(|d| {
                objects_in(st, *d, ns)
                    .into_iter()
                    .filter(|o| {
                        o["metadata"]["ownerReferences"]
                            .as_array()
                            .is_some_and(|refs| refs.iter().any(|r| r["uid"] == uid))
                    })
                    .map(|o| (*d, obj_name(o)))
                    .collect::<Vec<_>>()
            })
            .collect();
        for (d, n) in dependents {
            remove(st, d, ns, &n, false);
        }
    }
    Some(gone)
}

/// A write by another client: a merge patch to the object, status included.
fn foreign_patch(st: &mut State, k: Kind, ns: &str, name: &str, patch: &Value) -> Option<Value> {
    let current = lookup(st, k, ns, name)?.clone();
    let mut doc = current.clone();
    json_patch::merge(&mut doc, patch);
    let mut new = prepare_update(k, &current, doc, false);
    if patch.get("status").is_some() {
        new["status"] = current["status"].clone();
        json_patch::merge(&mut new["status"], &patch["status"]);
    }
    if same(&current, &new) {
        return Some(current);
    }
    Some(put(st, k, new))
}

// ---------------------------------------------------------------- HTTP

struct Request {
    method: String,
    path: String,
    query: BTreeMap<String, String>,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

type Reply = (u16, &'static str, Vec<u8>);

fn read_request(r: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if r.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let mut body = Vec::new();
    if let Some(n) = headers.get("content-length").and_then(|n| n.parse::<usize>().ok()) {
        body.resize(n, 0);
        r.read_exact(&mut body).ok()?;
    } else if headers.get("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        loop {
            let mut size = String::new();
            r.read_line(&mut size).ok()?;
            let n = usize::from_str_radix(size.trim(), 16).ok()?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk).ok()?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    }
    let (path, qs) = target.split_once('?').unwrap_or((&target, ""));
    let query = url::form_urlencoded::parse(qs.as_bytes())
        .into_owned()
        .filter(|(k, _)| !k.is_empty())
        .collect();
    Some(Request {
        method,
        path: path.to_string(),
        query,
        headers,
        body,
    })
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        410 => "Gone",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Error",
    }
}

fn serve(conn: TcpStream, shared: &Shared) {
    let mut writer = match conn.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(conn);
    while let Some(req) = read_request(&mut reader) {
        let watch = req.method == "GET" && req.query.get("watch").is_some_and(|w| w == "true" || w == "1");
        if watch {
            if !serve_watch(&req, shared, &mut writer) {
                return;
            }
            continue;
        }
        let (status, ctype, body) = handle(&req, shared);
        shared.changed.notify_all();
        let close = req.headers.get("connection").is_some_and(|c| c.eq_ignore_ascii_case("close"));
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n",
            reason_phrase(status),
            body.len()
        );
        if status == 429 {
            head.push_str("Retry-After: 0\r\n");
        }
        if close {
            head.push_str("Connection: close\r\n");
        }
        head.push_str("\r\n");
        if writer.write_all(head.as_bytes()).and_then(|_| writer.write_all(&body)).is_err() || close {
            return;
        }
    }
}

fn status_value(code: u16, reason: &str, message: &str, details: Option<Value>) -> Value {
    let mut v = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "code": code});
    if !reason.is_empty() {
        v["reason"] = json!(reason);
    }
    if let Some(d) = details {
        v["details"] = d;
    }
    v
}

fn status_body(code: u16, reason: &str, message: &str) -> Reply {
    (
        code,
        "application/json",
        status_value(code, reason, message, None).to_string().into_bytes(),
    )
}

fn status_with(code: u16, reason: &str, message: &str, details: Value) -> Reply {
    (
        code,
        "application/json",
        status_value(code, reason, message, Some(details)).to_string().into_bytes(),
    )
}

fn ok(v: Value) -> Reply {
    (200, "application/json", v.to_string().into_bytes())
}

/// `deployments.apps`, `secrets`: how the API names a resource in messages.
fn qualified(k: Kind) -> String {
    if k.group.is_empty() {
        k.plural.to_string()
    } else {
        format!("{}.{}", k.plural, k.group)
    }
}

fn details(k: Kind, name: &str) -> Value {
    let mut d = json!({"name": name, "kind": k.plural});
    if !k.group.is_empty() {
        d["group"] = json!(k.group);
    }
    d
}

fn not_found(k: Kind, name: &str) -> Reply {
    status_with(404, "NotFound", &format!("{} \"{name}\" not found", qualified(k)), details(k, name))
}

fn conflict(k: Kind, name: &str, why: &str) -> Reply {
    status_with(
        409,
        "Conflict",
        &format!("Operation cannot be fulfilled on {} \"{name}\": {why}", qualified(k)),
        details(k, name),
    )
}

const MODIFIED: &str = "the object has been modified; please apply your changes to the latest version and try again";

/// One field error of an `Invalid` Status: (field, value as Go prints it, detail).
type Cause = (String, String, String);

fn invalid(k: Kind, name: &str, causes: &[Cause]) -> Reply {
    let gk = if k.group.is_empty() {
        k.kind.to_string()
    } else {
        format!("{}.{}", k.kind, k.group)
    };
    let errs: Vec<String> = causes.iter().map(|(f, v, d)| format!("{f}: Invalid value: {v}: {d}")).collect();
    let agg = if errs.len() == 1 {
        errs[0].clone()
    } else {
        format!("[{}]", errs.join(", "))
    };
    let mut det = json!({"name": name, "kind": k.kind, "causes": causes.iter().map(|(f, v, d)| json!({"reason": "FieldValueInvalid", "message": format!("Invalid value: {v}: {d}"), "field": f})).collect::<Vec<_>>()});
    if !k.group.is_empty() {
        det["group"] = json!(k.group);
    }
    status_with(422, "Invalid", &format!("{gk} \"{name}\" is invalid: {agg}"), det)
}

/// A parsed resource path.
struct Route {
    kind: Kind,
    ns: Option<String>,
    name: Option<String>,
    sub: Option<String>,
}

fn route(path: &str) -> Result<Route, Reply> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => {
            return Err(status_body(
                404,
                "NotFound",
                &format!("the server could not find the requested resource ({path})"),
            ));
        }
    };
    let (ns, rest) = match rest {
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (Some(ns.to_string()), rest),
        _ => (None, rest),
    };
    let (plural, name, sub) = match rest {
        [p] => (*p, None, None),
        [p, n] => (*p, Some(n.to_string()), None),
        [p, n, s] => (*p, Some(n.to_string()), Some(s.to_string())),
        _ => return Err(status_body(404, "NotFound", "the server could not find the requested resource")),
    };
    let Some(kind) = KINDS
        .iter()
        .copied()
        .find(|k| k.group == group && k.version == version && k.plural == plural)
    else {
        return Err(status_body(
            404,
            "NotFound",
            &format!("the server could not find the requested resource ({group}/{version} {plural})"),
        ));
    };
    Ok(Route { kind, ns, name, sub })
}

fn record(st: &mut State, req: &Request) {
    let full = if req.query.is_empty() {
        req.path.clone()
    } else {
        format!(
            "{}?{}",
            req.path,
            req.query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
        )
    };
    st.requests.push(format!("{} {full}", req.method));
}

fn fault_reply(st: &State, k: Kind, ns: &Option<String>) -> Option<Reply> {
    let (code, reason) = st.faults.get(&resource_key(k)).cloned()?;
    let user = "system:serviceaccount:aiwfe:aiwfe-doctor";
    let (group, plural) = (k.group, k.plural);
    let msg = match code {
        403 => format!(
            "{plural} is forbidden: User \"{user}\" cannot list resource \"{plural}\" in API group \"{group}\"{}",
            ns.as_ref()
                .map(|n| format!(" in the namespace \"{n}\""))
                .unwrap_or_else(|| " at the cluster scope".into())
        ),
        429 => "Too many requests, please try again later.".to_string(),
        _ => reason.clone(),
    };
    Some(status_body(code, &reason, &msg))
}

/// The RBAC authorizer's refusal, when `authorize` is on and no rule allows the request.
fn rbac_reply(st: &State, req: &Request, r: &Route) -> Option<Reply> {
    let (user, rules) = st.rbac.as_ref()?;
    let watch = req.query.get("watch").is_some_and(|w| w == "true" || w == "1");
    let verb = match (req.method.as_str(), &r.name) {
        ("GET", _) if watch => "watch",
        ("GET", None) => "list",
        ("GET", Some(_)) => "get",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", None) => "deletecollection",
        ("DELETE", Some(_)) => "delete",
        _ => "get",
    };
    let resource = match &r.sub {
        Some(sub) => format!("{}/{sub}", r.kind.plural),
        None => r.kind.plural.to_string(),
    };
    let group = r.kind.group;
    if rules.iter().any(|rule| rule.allows(group, &resource, verb, r.ns.as_deref())) {
        return None;
    }
    let what = match &r.name {
        Some(n) => format!("{} \"{n}\"", r.kind.plural),
        None => r.kind.plural.to_string(),
    };
    let scope = match &r.ns {
        Some(n) => format!(" in the namespace \"{n}\""),
        None => " at the cluster scope".into(),
    };
    Some(status_body(
        403,
        "Forbidden",
        &format!("{what} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"{group}\"{scope}"),
    ))
}

fn handle(req: &Request, shared: &Shared) -> Reply {
    let mut st = shared.lock();
    record(&mut st, req);
    let reply = handle_locked(req, &mut st);
    if req.method != "GET" {
        let content_type = req.headers.get("content-type").cloned().unwrap_or_default();
        st.writes.push(Write {
            method: req.method.clone(),
            path: req.path.clone(),
            dry_run: req.query.get("dryRun").is_some_and(|d| d == "All")
                || serde_json::from_slice::<Value>(&req.body)
                    .ok()
                    .is_some_and(|o| o["dryRun"].as_array().is_some_and(|d| d.iter().any(|x| x == "All"))),
            content_type,
            code: reply.0,
            body: serde_json::from_slice(&req.body).unwrap_or(Value::Null),
        });
    }
    reply
}

fn handle_locked(req: &Request, st: &mut State) -> Reply {
    let segs: Vec<&str> = req.path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();

    // Discovery.
    match segs.as_slice() {
        ["version"] => return ok(json!({"major": "1", "minor": "33", "gitVersion": "v1.33.0", "platform": "linux/amd64"})),
        ["api"] => {
            return ok(
                json!({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}),
            );
        }
        ["apis"] => {
            let mut groups = vec![("apps", "v1"), ("autoscaling", "v2")];
            if st.metrics {
                groups.push(("metrics.k8s.io", "v1beta1"));
            }
            let groups: Vec<Value> = groups
                .into_iter()
                .map(|(g, v)| {
                    let gv = json!({"groupVersion": format!("{g}/{v}"), "version": v});
                    json!({"name": g, "versions": [gv.clone()], "preferredVersion": gv})
                })
                .collect();
            return ok(json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}));
        }
        ["api", "v1"] => return ok(resource_list("", "v1")),
        ["openapi", "v3"] => return ok(openapi_root()),
        ["openapi", "v3", gv @ ..] => return ok(openapi_doc(&gv.join("/"))),
        ["apis", g, v] if KINDS.iter().any(|k| k.group == *g && k.version == *v) && (*g != "metrics.k8s.io" || st.metrics) => {
            return ok(resource_list(g, v));
        }
        _ => {}
    }

    let r = match route(&req.path) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    let kind = r.kind;
    if kind.group == "metrics.k8s.io" && !st.metrics {
        return status_body(404, "NotFound", "the server could not find the requested resource");
    }
    if let Some(reply) = fault_reply(st, kind, &r.ns) {
        return reply;
    }
    if let Some(reply) = rbac_reply(st, req, &r) {
        return reply;
    }
    let ns_key = if kind.namespaced {
        r.ns.clone().unwrap_or_default()
    } else {
        String::new()
    };
    // DeleteOptions may carry the dry run in the body, as kubectl sends it.
    let body_dry = req.method == "DELETE"
        && serde_json::from_slice::<Value>(&req.body)
            .ok()
            .is_some_and(|o| o["dryRun"].as_array().is_some_and(|d| d.iter().any(|x| x == "All")));
    let dry = body_dry
        || match req.query.get("dryRun").map(String::as_str) {
            None | Some("") => false,
            Some("All") => true,
            // A GET has no options to validate; a write's are invalid (422), as the API
            // server's handlers answer with the options' kind.
            Some(_) if req.method == "GET" => false,
            Some(other) => {
                let options = match req.method.as_str() {
                    "POST" => "CreateOptions",
                    "PUT" => "UpdateOptions",
                    "PATCH" => "PatchOptions",
                    _ => "DeleteOptions",
                };
                let why = format!("Unsupported value: []string{{{other:?}}}: supported values: \"All\"");
                return status_with(
                    422,
                    "Invalid",
                    &format!("{options}.meta.k8s.io \"\" is invalid: dryRun: {why}"),
                    json!({"group": "meta.k8s.io", "kind": options, "causes": [{"reason": "FieldValueNotSupported", "message": why, "field": "dryRun"}]}),
                );
            }
        };
    let ctype = req.headers.get("content-type").cloned().unwrap_or_default();

    match (req.method.as_str(), &r.name, r.sub.as_deref()) {
        ("GET", None, _) => list(req, st, kind, r.ns.as_deref()),
        ("GET", Some(n), None) => match lookup(st, kind, &ns_key, n) {
            Some(o) if wants_table(req) => ok(table(req, kind, &[o], obj_rv(o))),
            Some(o) => ok(o.clone()),
            // A namespace that holds objects exists, as it does on a cluster.
            None if kind.plural == "namespaces" && kind.group.is_empty() && namespace_in_use(st, n) => ok(json!({
                "apiVersion": "v1",
                "kind": "Namespace",
                "metadata": {"name": n, "labels": {"kubernetes.io/metadata.name": n}},
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"},
            })),
            None => not_found(kind, n),
        },
        ("GET", Some(n), Some("status")) => match lookup(st, kind, &ns_key, n) {
            Some(o) if kind.status => ok(o.clone()),
            _ => not_found(kind, n),
        },
        ("GET", Some(n), Some("log")) if kind == PODS => {
            let container = req.query.get("container").cloned().unwrap_or_else(|| {
                lookup(st, kind, &ns_key, n)
                    .and_then(|p| p["spec"]["containers"][0]["name"].as_str())
                    .unwrap_or_default()
                    .to_string()
            });
            let previous = req.query.get("previous").is_some_and(|p| p == "true");
            match st.logs.get(&(ns_key.clone(), n.clone(), container.clone(), previous)) {
                Some(log) => {
                    let tail: usize = req.query.get("tailLines").and_then(|t| t.parse().ok()).unwrap_or(usize::MAX);
                    let lines: Vec<&str> = log.lines().collect();
                    let from = lines.len().saturating_sub(tail);
                    (200, "text/plain", format!("{}\n", lines[from..].join("\n")).into_bytes())
                }
                None if lookup(st, kind, &ns_key, n).is_none() => not_found(kind, n),
                None => status_body(
                    400,
                    "BadRequest",
                    &format!("previous terminated container \"{container}\" in pod \"{n}\" not found"),
                ),
            }
        }
        ("POST", None, None) => {
            let decoded = if ctype.starts_with("application/vnd.kubernetes.protobuf") {
                protobuf_object(&req.body)
            } else {
                serde_json::from_slice(&req.body).ok()
            };
            let body: Value = match decoded.map(Ok).unwrap_or_else(|| serde_json::from_slice(&req.body)) {
                Ok(b) => b,
                Err(e) => return status_body(400, "BadRequest", &format!("the object provided is unrecognized: {e}")),
            };
            match create(st, kind, &ns_key, body, dry) {
                Ok(v) => (201, "application/json", v.to_string().into_bytes()),
                Err(reply) => reply,
            }
        }
        ("PATCH", Some(n), sub @ (None | Some("status"))) => {
            let status_only = sub.is_some();
            if status_only && !kind.status {
                return not_found(kind, n);
            }
            let change = Change::Patch {
                ctype: &ctype,
                body: &req.body,
            };
            match update(st, kind, &ns_key, n, status_only, change, dry) {
                Ok(v) => ok(v),
                Err(reply) => reply,
            }
        }
        ("PUT", Some(n), sub @ (None | Some("status"))) => {
            let status_only = sub.is_some();
            if status_only && !kind.status {
                return not_found(kind, n);
            }
            let body: Value = match serde_json::from_slice(&req.body) {
                Ok(b) => b,
                Err(e) => return status_body(400, "BadRequest", &format!("the object provided is unrecognized: {e}")),
            };
            if obj_name(&body) != *n {
                return status_body(
                    400,
                    "BadRequest",
                    &format!(
                        "the name of the object ({}) does not match the name on the URL ({n})",
                        obj_name(&body)
                    ),
                );
            }
            match update(st, kind, &ns_key, n, status_only, Change::Replace(body), dry) {
                Ok(v) => ok(v),
                Err(reply) => reply,
            }
        }
        ("GET", Some(n), Some("scale")) if kind == DEPLOYMENTS || kind == REPLICASETS => match lookup(st, kind, &ns_key, n) {
            Some(o) => ok(scale_of(o)),
            None => not_found(kind, n),
        },
        (method @ ("PATCH" | "PUT"), Some(n), Some("scale")) if kind == DEPLOYMENTS || kind == REPLICASETS => {
            let Some(current) = lookup(st, kind, &ns_key, n).cloned() else {
                return not_found(kind, n);
            };
            let scale = scale_of(&current);
            let wanted = if method == "PATCH" {
                match apply_patch(&scale, &ctype, &req.body) {
                    Ok(v) => v,
                    Err(reply) => return reply,
                }
            } else {
                match serde_json::from_slice::<Value>(&req.body) {
                    Ok(v) => v,
                    Err(e) => return status_body(400, "BadRequest", &e.to_string()),
                }
            };
            let mut doc = current.clone();
            doc["spec"]["replicas"] = wanted["spec"]["replicas"].clone();
            // Only a version the client sent is a precondition.
            doc["metadata"]["resourceVersion"] = json!(obj_rv(&wanted));
            match update(st, kind, &ns_key, n, false, Change::Replace(doc), dry) {
                Ok(v) => ok(scale_of(&v)),
                Err(reply) => reply,
            }
        }
        ("DELETE", Some(n), None) => {
            let opts: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
            let orphan = opts["propagationPolicy"] == "Orphan"
                || opts["orphanDependents"] == true
                || req.query.get("propagationPolicy").is_some_and(|p| p == "Orphan");
            match delete(st, kind, &ns_key, n, &opts, orphan, dry) {
                Ok(v) => ok(v),
                Err(reply) => reply,
            }
        }
        _ => status_body(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource",
        ),
    }
}

/// A list's continue token as the API server makes it (`k8s.io/apiserver/pkg/storage`):
/// unpadded URL-safe base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":KEY}`, where KEY is the
/// storage key after the last item returned (the key and a NUL byte), relative to the list's
/// prefix. `rv` -1 continues at the latest version (the token a 410 `Expired` carries).
fn encode_continue(rv: i64, start: &str) -> String {
    use base64::Engine as _;
    let token = json!({"v": "meta.k8s.io/v1", "rv": rv, "start": start});
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token.to_string())
}

/// The (resourceVersion, start key) of a continue token, or the API server's complaint.
fn decode_continue(token: &str) -> Result<(i64, String), String> {
    use base64::Engine as _;
    let invalid = "continue key is not valid";
    let data = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|e| format!("{invalid}: {e}"))?;
    let c: Value = serde_json::from_slice(&data).map_err(|e| format!("{invalid}: {e}"))?;
    if c["v"] != "meta.k8s.io/v1" {
        return Err(format!("{invalid}: server does not recognize this encoded key version {}", c["v"]));
    }
    let rv = c["rv"].as_i64().unwrap_or(0);
    if rv == 0 {
        return Err(format!(
            "{invalid}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
        ));
    }
    let start = c["start"].as_str().unwrap_or_default();
    if start.is_empty() {
        return Err(format!("{invalid}: encoded start key empty (version meta.k8s.io/v1)"));
    }
    Ok((rv, start.to_string()))
}

fn list(req: &Request, st: &State, kind: Kind, ns: Option<&str>) -> Reply {
    let filter = match Filter::new(req, kind, ns) {
        Ok(f) => f,
        Err(reply) => return reply,
    };
    // Each item under its storage key relative to the list's prefix (`name` in a
    // namespace, `namespace/name` across them), in key order, as etcd keeps them. One
    // namespace's keys share the prefix `namespace/`, so the namespaces go in the order of
    // that prefix (`a-b/` before `a/`), each with its names in order. Nothing is copied:
    // a page is written from references.
    let in_one_ns = kind.namespaced && ns.is_some();
    let by_ns = st.objects.get(&(kind.group.to_string(), kind.plural.to_string()));
    let mut spaces: Vec<(&str, &BTreeMap<String, Value>)> = match by_ns {
        Some(by_ns) if in_one_ns => by_ns
            .get_key_value(ns.unwrap_or_default())
            .map(|(n, m)| (n.as_str(), m))
            .into_iter()
            .collect(),
        Some(by_ns) => by_ns.iter().map(|(n, m)| (n.as_str(), m)).collect(),
        None => Vec::new(),
    };
    spaces.sort_by(|a, b| a.0.bytes().chain(*b"/").cmp(b.0.bytes().chain(*b"/")));
    let prefixed = !in_one_ns;
    // A continued list goes on after the token's key. Its version is the token's: a token
    // from before the last compaction can no longer give a consistent list (410 `Expired`,
    // with a token that continues at the latest version instead).
    let (rv, start) = match req.query.get("continue").filter(|c| !c.is_empty()) {
        None => (st.rv as i64, String::new()),
        Some(token) => match decode_continue(token) {
            Err(e) => return status_body(400, "BadRequest", &format!("invalid continue token: {e}")),
            Ok((rv, start)) if rv > 0 && (rv as u64) < st.compacted => {
                let mut status = status_value(410, "Expired", INCONSISTENT_CONTINUE, None);
                status["metadata"]["continue"] = json!(encode_continue(-1, &start));
                return (410, "application/json", status.to_string().into_bytes());
            }
            Ok((rv, start)) => (if rv < 0 { st.rv as i64 } else { rv }, start),
        },
    };
    let limit: usize = req
        .query
        .get("limit")
        .and_then(|l| l.parse().ok())
        .filter(|l| *l > 0)
        .unwrap_or(usize::MAX);
    let prefix = |n: &str| {
        if prefixed && !n.is_empty() {
            format!("{n}/")
        } else {
            String::new()
        }
    };
    // The keys from `start` on: a namespace whose prefix begins `start` from the name that
    // follows it; one whose prefix differs from `start` wholly after it, or not at all.
    let mut ranges = Vec::new();
    for (n, m) in spaces {
        let p = prefix(n);
        if let Some(rest) = start.strip_prefix(p.as_str()) {
            ranges.push((n, m.range::<str, _>((std::ops::Bound::Included(rest), std::ops::Bound::Unbounded))));
        } else if p.as_str() > start.as_str() {
            ranges.push((n, m.range::<str, _>(..)));
        }
    }
    // Without selectors counting the rest reads only the keys.
    let everything = !filter.selects();
    let mut items = ranges
        .into_iter()
        .flat_map(|(n, r)| r.map(move |(name, o)| (n, name.as_str(), o)))
        .filter(|(_, _, o)| everything || filter.matches(o));
    let page: Vec<(&str, &str, &Value)> = items.by_ref().take(limit).collect();
    let remaining = items.count();
    let mut meta = json!({"resourceVersion": rv.to_string()});
    if remaining > 0
        && let Some((n, name, _)) = page.last()
    {
        meta["continue"] = json!(encode_continue(rv, &format!("{}{name}\u{0}", prefix(n))));
        meta["remainingItemCount"] = json!(remaining);
    }
    let page: Vec<&Value> = page.into_iter().map(|(_, _, o)| o).collect();
    if wants_table(req) {
        let mut t = table(req, kind, &page, &rv.to_string());
        t["metadata"] = meta;
        return ok(t);
    }
    #[derive(serde::Serialize)]
    struct List<'a> {
        kind: String,
        #[serde(rename = "apiVersion")]
        api_version: String,
        metadata: Value,
        items: Vec<&'a Value>,
    }
    let list = List {
        kind: format!("{}List", kind.kind),
        api_version: api_version(kind),
        metadata: meta,
        items: page,
    };
    (200, "application/json", serde_json::to_vec(&list).unwrap_or_default())
}

/// The API server's message for a continue token older than the compaction.
const INCONSISTENT_CONTINUE: &str = "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

/// The `scale` subresource's view of a Deployment or ReplicaSet.
fn scale_of(o: &Value) -> Value {
    let mut labels: Vec<String> = o["spec"]["selector"]["matchLabels"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect())
        .unwrap_or_default();
    labels.sort();
    let m = &o["metadata"];
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {"name": m["name"], "namespace": m["namespace"], "uid": m["uid"], "resourceVersion": m["resourceVersion"], "creationTimestamp": m["creationTimestamp"]},
        "spec": {"replicas": o["spec"]["replicas"].as_i64().unwrap_or(1)},
        "status": {"replicas": o["status"]["replicas"].as_i64().unwrap_or(0), "selector": labels.join(",")},
    })
}

fn namespace_in_use(st: &State, ns: &str) -> bool {
    matches!(ns, "default" | "kube-system" | "kube-public" | "kube-node-lease")
        || st.objects.values().any(|by_ns| by_ns.get(ns).is_some_and(|m| !m.is_empty()))
}

// ---------------------------------------------------------------- protobuf

/// Reads one protobuf field: (field number, wire type, varint value or bytes).
fn pb_field<'a>(buf: &mut &'a [u8]) -> Option<(u64, u8, u64, &'a [u8])> {
    fn varint(buf: &mut &[u8]) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = buf.split_first()?;
            *buf = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }
    let tag = varint(buf)?;
    let (field, wire) = (tag >> 3, (tag & 7) as u8);
    match wire {
        0 => Some((field, wire, varint(buf)?, &[])),
        2 => {
            let n = varint(buf)? as usize;
            if buf.len() < n {
                return None;
            }
            let (data, rest) = buf.split_at(n);
            *buf = rest;
            Some((field, wire, 0, data))
        }
        1 => {
            let (_, rest) = buf.split_at_checked(8)?;
            *buf = rest;
            Some((field, wire, 0, &[]))
        }
        5 => {
            let (_, rest) = buf.split_at_checked(4)?;
            *buf = rest;
            Some((field, wire, 0, &[]))
        }
        _ => None,
    }
}

fn pb_fields(mut buf: &[u8]) -> Vec<(u64, u64, &[u8])> {
    let mut out = Vec::new();
    while !buf.is_empty() {
        match pb_field(&mut buf) {
            Some((f, _, v, data)) => out.push((f, v, data)),
            None => break,
        }
    }
    out
}

fn pb_str(data: &[u8]) -> Value {
    json!(String::from_utf8_lossy(data))
}

/// A map entry (key 1, value 2) into `m`; values as text or base64.
fn pb_map_entry(m: &mut Value, data: &[u8], base64_values: bool) {
    use base64::Engine as _;
    let (mut key, mut value) = (String::new(), Value::String(String::new()));
    for (f, _, d) in pb_fields(data) {
        match f {
            1 => key = String::from_utf8_lossy(d).into_owned(),
            2 if base64_values => value = json!(base64::engine::general_purpose::STANDARD.encode(d)),
            2 => value = pb_str(d),
            _ => {}
        }
    }
    if !m.is_object() {
        *m = json!({});
    }
    m[key] = value;
}

/// A body in the API's protobuf encoding (as `kubectl create` sends it), for the kinds it
/// creates that way here: a Secret. Other kinds are not decoded.
fn protobuf_object(body: &[u8]) -> Option<Value> {
    let raw = body.strip_prefix(b"k8s\0")?;
    let (mut api, mut kind, mut inner) = (String::new(), String::new(), &[][..]);
    for (f, _, d) in pb_fields(raw) {
        match f {
            1 => {
                for (g, _, t) in pb_fields(d) {
                    match g {
                        1 => api = String::from_utf8_lossy(t).into_owned(),
                        2 => kind = String::from_utf8_lossy(t).into_owned(),
                        _ => {}
                    }
                }
            }
            2 => inner = d,
            _ => {}
        }
    }
    if kind != "Secret" {
        return None;
    }
    let mut v = json!({"apiVersion": api, "kind": kind, "metadata": {}});
    for (f, n, d) in pb_fields(inner) {
        match f {
            1 => {
                for (g, _, t) in pb_fields(d) {
                    let meta = &mut v["metadata"];
                    match g {
                        1 => meta["name"] = pb_str(t),
                        2 => meta["generateName"] = pb_str(t),
                        3 => meta["namespace"] = pb_str(t),
                        6 => meta["resourceVersion"] = pb_str(t),
                        11 => pb_map_entry(&mut meta["labels"], t, false),
                        12 => pb_map_entry(&mut meta["annotations"], t, false),
                        _ => {}
                    }
                }
            }
            2 => pb_map_entry(&mut v["data"], d, true),
            3 => v["type"] = pb_str(d),
            4 => pb_map_entry(&mut v["stringData"], d, false),
            5 => v["immutable"] = json!(n != 0),
            _ => {}
        }
    }
    for f in ["name", "generateName", "namespace", "resourceVersion"] {
        if v["metadata"][f] == ""
            && let Some(m) = v["metadata"].as_object_mut()
        {
            m.remove(f);
        }
    }
    Some(v)
}

// ---------------------------------------------------------------- writes

enum Change<'a> {
    Patch { ctype: &'a str, body: &'a [u8] },
    Replace(Value),
}

fn check_reject(st: &State, k: Kind, ns: &str, name: &str) -> Result<(), Reply> {
    let Some((code, reason, message)) = st.rejects.get(&(resource_key(k), ns.to_string(), name.to_string())) else {
        return Ok(());
    };
    if reason == "Invalid" {
        // As NewInvalid builds it: the kind, and the field errors as causes.
        let mut d = json!({"name": name, "kind": k.kind});
        if !k.group.is_empty() {
            d["group"] = json!(k.group);
        }
        if let Some((_, errs)) = message.split_once(" is invalid: ")
            && !errs.starts_with('[')
            && let Some((field, detail)) = errs.split_once(": ")
        {
            d["causes"] = json!([{"reason": "FieldValueInvalid", "message": detail, "field": field}]);
        }
        return Err(status_with(*code, reason, message, d));
    }
    Err(status_with(*code, reason, message, details(k, name)))
}

fn interfere_now(st: &mut State, k: Kind, ns: &str, name: &str) {
    if let Some(patch) = st.interferences.remove(&(resource_key(k), ns.to_string(), name.to_string())) {
        foreign_patch(st, k, ns, name, &patch);
    }
}

/// Equal but for the resourceVersion.
fn same(a: &Value, b: &Value) -> bool {
    let (mut a, mut b) = (a.clone(), b.clone());
    for v in [&mut a, &mut b] {
        if let Some(m) = v["metadata"].as_object_mut() {
            m.remove("resourceVersion");
        }
    }
    a == b
}

/// What the API server's update strategies do: system fields from the stored object, the
/// stored status for writes to the main resource (only the status for writes to `status`),
/// and a generation bump when the spec (for Deployments, also the annotations) changes.
fn prepare_update(k: Kind, old: &Value, mut new: Value, status_only: bool) -> Value {
    if status_only {
        let mut out = old.clone();
        out["status"] = new["status"].clone();
        if k == DEPLOYMENTS || k == REPLICASETS {
            out["metadata"]["annotations"] = new["metadata"]["annotations"].clone();
            if out["metadata"]["annotations"].is_null()
                && let Some(m) = out["metadata"].as_object_mut()
            {
                m.remove("annotations");
            }
        }
        return out;
    }
    for f in [
        "uid",
        "creationTimestamp",
        "generation",
        "deletionTimestamp",
        "deletionGracePeriodSeconds",
    ] {
        match old["metadata"].get(f) {
            Some(v) => new["metadata"][f] = v.clone(),
            None => {
                if let Some(m) = new["metadata"].as_object_mut() {
                    m.remove(f);
                }
            }
        }
    }
    if k.status
        && let Some(m) = new.as_object_mut()
    {
        match old.get("status") {
            Some(s) => {
                m.insert("status".into(), s.clone());
            }
            None => {
                m.remove("status");
            }
        }
    }
    let spec_changed = old["spec"] != new["spec"];
    let annotations_changed = k == DEPLOYMENTS && old["metadata"]["annotations"] != new["metadata"]["annotations"];
    if (k == DEPLOYMENTS || k == REPLICASETS) && (spec_changed || annotations_changed) {
        new["metadata"]["generation"] = json!(old["metadata"]["generation"].as_i64().unwrap_or(1) + 1);
    }
    new
}

fn update(st: &mut State, k: Kind, ns: &str, name: &str, status_only: bool, change: Change, dry: bool) -> Result<Value, Reply> {
    check_reject(st, k, ns, name)?;
    if !dry {
        interfere_now(st, k, ns, name);
    }
    let current = lookup(st, k, ns, name).cloned().ok_or_else(|| not_found(k, name))?;
    let doc = match change {
        Change::Patch { ctype, body } => apply_patch(&current, ctype, body)?,
        Change::Replace(v) => {
            if k.namespaced
                && let Some(bns) = v["metadata"]["namespace"].as_str()
                && bns != ns
            {
                return Err(status_body(
                    400,
                    "BadRequest",
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
            v
        }
    };
    // The resourceVersion the write carries is its precondition.
    let want = obj_rv(&doc);
    if !want.is_empty() && want != obj_rv(&current) {
        return Err(conflict(k, name, MODIFIED));
    }
    if obj_name(&doc) != name {
        return Err(status_body(
            400,
            "BadRequest",
            &format!(
                "the name of the object ({}) does not match the name on the URL ({name})",
                obj_name(&doc)
            ),
        ));
    }
    let mut new = prepare_update(k, &current, doc, status_only);
    string_data(&mut new);
    defaults(&mut new);
    if k.namespaced {
        new["metadata"]["namespace"] = json!(ns);
    }
    validate(k, &new)?;
    new["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"].clone();
    if same(&current, &new) || dry {
        return Ok(new);
    }
    Ok(put(st, k, new))
}

/// Some of the API's defaulting: Secret type, a Deployment's strategy, limits and the pod
/// template's policies.
fn defaults(v: &mut Value) {
    fn or(v: &mut Value, key: &str, d: Value) {
        if v.get(key).is_none_or(Value::is_null) || v[key] == "" {
            v[key] = d;
        }
    }
    match v["kind"].as_str() {
        Some("Secret") => or(v, "type", json!("Opaque")),
        Some("Deployment") => {
            let spec = &mut v["spec"];
            or(spec, "replicas", json!(1));
            or(spec, "revisionHistoryLimit", json!(10));
            or(spec, "progressDeadlineSeconds", json!(600));
            or(
                spec,
                "strategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}),
            );
            pod_defaults(&mut spec["template"]["spec"]);
        }
        Some("ReplicaSet") => pod_defaults(&mut v["spec"]["template"]["spec"]),
        Some("Pod") => pod_defaults(&mut v["spec"]),
        _ => {}
    }
}

/// A pod spec's defaults (also in Deployment and ReplicaSet templates).
fn pod_defaults(pod: &mut Value) {
    fn or(v: &mut Value, key: &str, d: Value) {
        if v.get(key).is_none_or(Value::is_null) || v[key] == "" {
            v[key] = d;
        }
    }
    if !pod.is_object() {
        return;
    }
    or(pod, "restartPolicy", json!("Always"));
    or(pod, "terminationGracePeriodSeconds", json!(30));
    or(pod, "dnsPolicy", json!("ClusterFirst"));
    or(pod, "schedulerName", json!("default-scheduler"));
    or(pod, "securityContext", json!({}));
    for c in pod["containers"].as_array_mut().into_iter().flatten() {
        let latest = c["image"]
            .as_str()
            .is_some_and(|i| !i.rsplit('/').next().unwrap_or(i).contains(':') || i.ends_with(":latest"));
        or(c, "imagePullPolicy", json!(if latest { "Always" } else { "IfNotPresent" }));
        or(c, "terminationMessagePath", json!("/dev/termination-log"));
        or(c, "terminationMessagePolicy", json!("File"));
        or(c, "resources", json!({}));
    }
}

/// A Secret's write-only `stringData` goes into `data`, base64-encoded.
fn string_data(v: &mut Value) {
    use base64::Engine as _;
    if v["kind"] != "Secret" {
        return;
    }
    let Some(Value::Object(strings)) = v.as_object_mut().and_then(|m| m.remove("stringData")) else {
        return;
    };
    for (k, s) in strings {
        let text = s.as_str().unwrap_or_default().to_string();
        v["data"][k] = json!(base64::engine::general_purpose::STANDARD.encode(text));
    }
}

fn create(st: &mut State, k: Kind, ns: &str, mut body: Value, dry: bool) -> Result<Value, Reply> {
    if body["kind"].as_str().is_some_and(|x| x != k.kind) {
        return Err(status_body(
            400,
            "BadRequest",
            &format!(
                "the API version in the data ({}) does not match the expected API version ({})",
                body["apiVersion"].as_str().unwrap_or_default(),
                api_version(k)
            ),
        ));
    }
    if !body["metadata"].is_object() {
        body["metadata"] = json!({});
    }
    if k.namespaced {
        match body["metadata"]["namespace"].as_str() {
            Some(b) if b != ns => {
                return Err(status_body(
                    400,
                    "BadRequest",
                    "the namespace of the provided object does not match the namespace sent on the request",
                ));
            }
            _ => body["metadata"]["namespace"] = json!(ns),
        }
    }
    let mut name = obj_name(&body);
    if name.is_empty() {
        match body["metadata"]["generateName"].as_str() {
            Some(prefix) if !prefix.is_empty() => {
                name = format!("{prefix}{}", st.suffix());
                body["metadata"]["name"] = json!(name);
            }
            _ => {
                let gk = if k.group.is_empty() {
                    k.kind.to_string()
                } else {
                    format!("{}.{}", k.kind, k.group)
                };
                return Err(status_with(
                    422,
                    "Invalid",
                    &format!("{gk} \"\" is invalid: metadata.name: Required value: name or generateName is required"),
                    json!({"kind": k.kind, "group": k.group, "causes": [{"reason": "FieldValueRequired", "message": "Required value: name or generateName is required", "field": "metadata.name"}]}),
                ));
            }
        }
    }
    check_reject(st, k, ns, &name)?;
    if lookup(st, k, ns, &name).is_some() {
        return Err(status_with(
            409,
            "AlreadyExists",
            &format!("{} \"{name}\" already exists", qualified(k)),
            details(k, &name),
        ));
    }
    if !obj_rv(&body).is_empty() {
        return Err(status_body(
            500,
            "InternalError",
            "Internal error occurred: resourceVersion should not be set on objects to be created",
        ));
    }
    if let Some(m) = body["metadata"].as_object_mut() {
        m.remove("resourceVersion");
    }
    body["metadata"]["uid"] = json!(st.uid());
    body["metadata"]["creationTimestamp"] = json!(now());
    if k.status {
        body["status"] = if k == PODS {
            json!({"phase": "Pending", "qosClass": qos_class(&body["spec"])})
        } else {
            json!({})
        };
    }
    if k == DEPLOYMENTS || k == REPLICASETS {
        body["metadata"]["generation"] = json!(1);
    }
    string_data(&mut body);
    defaults(&mut body);
    validate(k, &body)?;
    if dry {
        return Ok(body);
    }
    Ok(put(st, k, body))
}

fn delete(st: &mut State, k: Kind, ns: &str, name: &str, opts: &Value, orphan: bool, dry: bool) -> Result<Value, Reply> {
    check_reject(st, k, ns, name)?;
    if !dry {
        interfere_now(st, k, ns, name);
    }
    let current = lookup(st, k, ns, name).cloned().ok_or_else(|| not_found(k, name))?;
    if let Some(rv) = opts["preconditions"]["resourceVersion"].as_str()
        && rv != obj_rv(&current)
    {
        return Err(conflict(
            k,
            name,
            &format!(
                "Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {}",
                obj_rv(&current)
            ),
        ));
    }
    if let Some(uid) = opts["preconditions"]["uid"].as_str()
        && Some(uid) != current["metadata"]["uid"].as_str()
    {
        return Err(conflict(
            k,
            name,
            &format!(
                "Precondition failed: UID in precondition: {uid}, UID in object meta: {}",
                current["metadata"]["uid"].as_str().unwrap_or_default()
            ),
        ));
    }
    let last = if dry {
        current.clone()
    } else {
        remove(st, k, ns, name, orphan).unwrap_or_else(|| current.clone())
    };
    if k == PODS {
        // Pods answer with the object (ReturnDeletedObject).
        return Ok(last);
    }
    let mut d = details(k, name);
    d["uid"] = current["metadata"]["uid"].clone();
    Ok(json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": d}))
}

fn apply_patch(current: &Value, ctype: &str, body: &[u8]) -> Result<Value, Reply> {
    let patch: Value = serde_json::from_slice(body).map_err(|e| status_body(400, "BadRequest", &e.to_string()))?;
    let mut doc = current.clone();
    if ctype.starts_with("application/json-patch+json") {
        let ops: json_patch::Patch = serde_json::from_value(patch).map_err(|e| status_body(400, "BadRequest", &e.to_string()))?;
        if json_patch::patch(&mut doc, &ops).is_err() {
            // NewGenericServerResponse(422, ...) drops the patch library's own message.
            return Err(status_with(
                422,
                "Invalid",
                "the server rejected our request due to an error in our request",
                json!({}),
            ));
        }
    } else if ctype.starts_with("application/merge-patch+json") {
        if !patch.is_object() {
            return Err(status_body(400, "BadRequest", "invalid JSON document"));
        }
        json_patch::merge(&mut doc, &patch);
    } else if ctype.starts_with("application/strategic-merge-patch+json") {
        if !patch.is_object() {
            return Err(status_body(400, "BadRequest", "invalid JSON document"));
        }
        strategic_merge(&mut doc, &patch);
    } else {
        return Err(status_body(
            415,
            "UnsupportedMediaType",
            &format!(
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json (got {ctype})"
            ),
        ));
    }
    Ok(doc)
}

// ---------------------------------------------------------------- strategic merge patch

/// The merge key of a list field, as the Kubernetes types declare it (`patchMergeKey`).
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    match field {
        "containers" | "initContainers" | "ephemeralContainers" | "env" | "volumes" | "imagePullSecrets" | "resourceClaims" => Some("name"),
        "volumeMounts" => Some("mountPath"),
        "volumeDevices" => Some("devicePath"),
        "ports" if items.iter().any(|i| i.get("containerPort").is_some()) => Some("containerPort"),
        "ports" => Some("port"),
        "conditions" => Some("type"),
        "ownerReferences" => Some("uid"),
        "hostAliases" => Some("ip"),
        "topologySpreadConstraints" => Some("topologyKey"),
        _ => None,
    }
}

/// Lists of scalars merged as sets (`patchStrategy: merge`).
const PRIMITIVE_MERGE: &[&str] = &["finalizers"];

/// Removes `$`-directives.
fn strip(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with('$'))
                .map(|(k, v)| (k.clone(), strip(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(strip).collect()),
        other => other.clone(),
    }
}

fn strategic_merge(target: &mut Value, patch: &Value) {
    let Some(p) = patch.as_object() else {
        *target = patch.clone();
        return;
    };
    match p.get("$patch").and_then(Value::as_str) {
        Some("replace") => {
            *target = strip(patch);
            return;
        }
        Some("delete") => {
            *target = Value::Null;
            return;
        }
        _ => {}
    }
    if !target.is_object() {
        *target = json!({});
    }
    let mut orders = Vec::new();
    for (k, v) in p {
        if k == "$patch" || k == "$retainKeys" {
            continue;
        }
        if let Some(f) = k.strip_prefix("$setElementOrder/") {
            orders.push((f.to_string(), v.clone()));
            continue;
        }
        let Some(t) = target.as_object_mut() else { return };
        if let Some(f) = k.strip_prefix("$deleteFromPrimitiveList/") {
            if let (Some(list), Some(gone)) = (t.get_mut(f).and_then(Value::as_array_mut), v.as_array()) {
                list.retain(|x| !gone.contains(x));
            }
            continue;
        }
        match v {
            Value::Null => {
                t.remove(k);
            }
            Value::Object(_) => {
                let e = t.entry(k.clone()).or_insert(Value::Null);
                strategic_merge(e, v);
                if e.is_null() {
                    t.remove(k);
                }
            }
            Value::Array(items) => {
                if let Some(key) = merge_key(k, items) {
                    let e = t.entry(k.clone()).or_insert(json!([]));
                    merge_list(e, items, key);
                } else if PRIMITIVE_MERGE.contains(&k.as_str()) {
                    let e = t.entry(k.clone()).or_insert(json!([]));
                    if let Some(list) = e.as_array_mut() {
                        for i in items {
                            if !list.contains(i) {
                                list.push(i.clone());
                            }
                        }
                    }
                } else {
                    t.insert(k.clone(), strip(v));
                }
            }
            other => {
                t.insert(k.clone(), other.clone());
            }
        }
    }
    if let (Some(keys), Some(t)) = (p.get("$retainKeys").and_then(Value::as_array), target.as_object_mut()) {
        t.retain(|k, _| keys.iter().any(|x| x == k));
    }
    for (f, order) in orders {
        let Some(order) = order.as_array() else { continue };
        let Some(list) = target.get_mut(&f).and_then(Value::as_array_mut) else {
            continue;
        };
        let key = merge_key(&f, list);
        let id = |x: &Value| match key {
            Some(k) => x.get(k).cloned().unwrap_or(Value::Null),
            None => x.clone(),
        };
        let mut rest: Vec<Value> = std::mem::take(list);
        for o in order {
            if let Some(pos) = rest.iter().position(|x| id(x) == id(o)) {
                list.push(rest.remove(pos));
            }
        }
        list.extend(rest);
    }
}

fn merge_list(target: &mut Value, items: &[Value], key: &str) {
    let replace = items
        .iter()
        .any(|i| i.get("$patch").and_then(Value::as_str) == Some("replace") && i.get(key).is_none());
    if replace {
        // `{"$patch": "replace"}` in a list: the other items are the whole list.
        let fresh = items
            .iter()
            .filter(|i| i.get("$patch").is_none() || i.get(key).is_some())
            .filter(|i| i.get("$patch").and_then(Value::as_str) != Some("delete"))
            .map(strip)
            .collect();
        *target = Value::Array(fresh);
        return;
    }
    if !target.is_array() {
        *target = json!([]);
    }
    let Some(list) = target.as_array_mut() else { return };
    for item in items {
        let pos = item.get(key).and_then(|id| list.iter().position(|x| x.get(key) == Some(id)));
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            if let Some(p) = pos {
                list.remove(p);
            }
            continue;
        }
        match pos {
            Some(p) => strategic_merge(&mut list[p], item),
            None => {
                let mut fresh = json!({});
                strategic_merge(&mut fresh, item);
                list.push(fresh);
            }
        }
    }
}

// ---------------------------------------------------------------- validation

const QUANTITY_RE: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/// A resource quantity's value, or None where the API would refuse to decode it.
fn quantity(s: &str) -> Option<f64> {
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let mult = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        e if e.starts_with(['e', 'E']) => 10f64.powi(e[1..].parse().ok()?),
        _ => return None,
    };
    Some(n * mult)
}

fn quantity_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `map[string]string{"a":"b", "c":"d"}`, as Go's `%#v` prints a label map.
fn go_map(labels: &Value) -> String {
    let mut pairs: Vec<(String, String)> = labels
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    pairs.sort();
    let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", inner.join(", "))
}

/// Does a label selector (`matchLabels`, `matchExpressions`) select these labels?
fn selects(selector: &Value, labels: &Value) -> bool {
    let label = |k: &str| labels.get(k).and_then(Value::as_str);
    let by_labels = selector["matchLabels"]
        .as_object()
        .is_none_or(|m| m.iter().all(|(k, v)| label(k) == v.as_str()));
    let by_exprs = selector["matchExpressions"].as_array().is_none_or(|es| {
        es.iter().all(|e| {
            let key = e["key"].as_str().unwrap_or_default();
            let values: Vec<&str> = e["values"]
                .as_array()
                .map(|v| v.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            match e["operator"].as_str().unwrap_or_default() {
                "In" => label(key).is_some_and(|l| values.contains(&l)),
                "NotIn" => label(key).is_none_or(|l| !values.contains(&l)),
                "Exists" => label(key).is_some(),
                "DoesNotExist" => label(key).is_none(),
                _ => false,
            }
        })
    });
    by_labels && by_exprs
}

/// Some of the API server's validation of Deployments: resource quantities must parse,
/// the selector must match the template's labels, requests must not exceed limits.
fn validate(k: Kind, v: &Value) -> Result<(), Reply> {
    if k != DEPLOYMENTS {
        return Ok(());
    }
    let name = obj_name(v);
    let pod = &v["spec"]["template"]["spec"];
    for list in ["initContainers", "containers"] {
        for c in pod[list].as_array().into_iter().flatten() {
            for section in ["requests", "limits"] {
                for q in c["resources"][section].as_object().into_iter().flat_map(|m| m.values()) {
                    if quantity(&quantity_str(q)).is_none() {
                        return Err(status_body(
                            400,
                            "BadRequest",
                            &format!(
                                "Deployment in version \"v1\" cannot be handled as a Deployment: quantities must match the regular expression '{QUANTITY_RE}'"
                            ),
                        ));
                    }
                }
            }
        }
    }
    let mut causes: Vec<Cause> = Vec::new();
    let labels = &v["spec"]["template"]["metadata"]["labels"];
    if !selects(&v["spec"]["selector"], labels) {
        causes.push((
            "spec.template.metadata.labels".into(),
            go_map(labels),
            "`selector` does not match template `labels`".into(),
        ));
    }
    for list in ["initContainers", "containers"] {
        for (i, c) in pod[list].as_array().into_iter().flatten().enumerate() {
            let res = &c["resources"];
            for (rname, limit) in res["limits"].as_object().into_iter().flatten() {
                let Some(request) = res["requests"].get(rname) else { continue };
                let (r, l) = (quantity_str(request), quantity_str(limit));
                if quantity(&r) > quantity(&l) {
                    causes.push((
                        format!("spec.template.spec.{list}[{i}].resources.requests"),
                        format!("{r:?}"),
                        format!("must be less than or equal to {rname} limit of {l}"),
                    ));
                }
            }
        }
    }
    if causes.is_empty() {
        Ok(())
    } else {
        Err(invalid(k, &name, &causes))
    }
}

// ---------------------------------------------------------------- selectors and watch

enum LabelTerm {
    Eq(String, String),
    Ne(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    Absent(String),
}

fn parse_label_selector(s: &str) -> Option<Vec<LabelTerm>> {
    // Split on commas outside parentheses.
    let mut terms = Vec::new();
    let (mut depth, mut cur) = (0, String::new());
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                terms.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    terms.push(cur);
    let set = |v: &str| -> Option<Vec<String>> {
        let v = v.trim().strip_prefix('(')?.strip_suffix(')')?;
        Some(v.split(',').map(|x| x.trim().to_string()).collect())
    };
    let mut out = Vec::new();
    for t in terms.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        let term = if let Some((k, v)) = t.split_once("!=") {
            LabelTerm::Ne(k.trim().into(), v.trim().into())
        } else if let Some((k, v)) = t.split_once("==").or_else(|| t.split_once('=')) {
            LabelTerm::Eq(k.trim().into(), v.trim().into())
        } else if let Some((k, v)) = t.split_once(" notin ") {
            LabelTerm::NotIn(k.trim().into(), set(v)?)
        } else if let Some((k, v)) = t.split_once(" in ") {
            LabelTerm::In(k.trim().into(), set(v)?)
        } else if let Some(k) = t.strip_prefix('!') {
            LabelTerm::Absent(k.trim().into())
        } else {
            LabelTerm::Exists(t.into())
        };
        out.push(term);
    }
    Some(out)
}

fn field_match(o: &Value, selector: &str) -> bool {
    selector.split(',').filter(|t| !t.is_empty()).all(|term| {
        let (neg, (k, v)) = match term.split_once("!=") {
            Some(kv) => (true, kv),
            None => (false, term.split_once("==").or_else(|| term.split_once('=')).unwrap_or((term, ""))),
        };
        let ptr = format!("/{}", k.replace('.', "/"));
        let actual = o.pointer(&ptr).and_then(Value::as_str).unwrap_or("");
        (actual == v) != neg
    })
}

/// What a list or watch asks for: kind, namespace, field and label selectors.
struct Filter {
    kind: Kind,
    ns: Option<String>,
    fields: Option<String>,
    labels: Vec<LabelTerm>,
    /// The request, when it asked for Tables.
    table: Option<Request>,
}

impl Filter {
    fn new(req: &Request, kind: Kind, ns: Option<&str>) -> Result<Filter, Reply> {
        let labels = match req.query.get("labelSelector") {
            Some(s) => parse_label_selector(s).ok_or_else(|| {
                status_body(
                    400,
                    "BadRequest",
                    &format!("unable to parse requirement: invalid label selector: {s:?}"),
                )
            })?,
            None => Vec::new(),
        };
        Ok(Filter {
            kind,
            ns: ns.filter(|_| kind.namespaced).map(str::to_string),
            fields: req.query.get("fieldSelector").cloned(),
            labels,
            table: wants_table(req).then(|| Request {
                method: req.method.clone(),
                path: req.path.clone(),
                query: req.query.clone(),
                headers: req.headers.clone(),
                body: Vec::new(),
            }),
        })
    }

    /// Whether a label or field selector narrows the list (the namespace is its range).
    fn selects(&self) -> bool {
        self.fields.is_some() || !self.labels.is_empty()
    }

    fn matches(&self, o: &Value) -> bool {
        if let Some(ns) = &self.ns
            && o["metadata"]["namespace"].as_str() != Some(ns)
        {
            return false;
        }
        if let Some(f) = &self.fields
            && !field_match(o, f)
        {
            return false;
        }
        let labels = &o["metadata"]["labels"];
        let label = |k: &str| labels.get(k).and_then(Value::as_str);
        self.labels.iter().all(|t| match t {
            LabelTerm::Eq(k, v) => label(k) == Some(v),
            LabelTerm::Ne(k, v) => label(k) != Some(v),
            LabelTerm::In(k, vs) => label(k).is_some_and(|l| vs.iter().any(|v| v == l)),
            LabelTerm::NotIn(k, vs) => label(k).is_none_or(|l| !vs.iter().any(|v| v == l)),
            LabelTerm::Exists(k) => label(k).is_some(),
            LabelTerm::Absent(k) => label(k).is_none(),
        })
    }

    /// The event this watcher sees for a change, if any: an object that starts or stops
    /// matching the selectors is ADDED or DELETED for it.
    fn event(&self, ev: &Event) -> Option<String> {
        self.event_value(ev).map(|(etype, object)| self.line(etype, object))
    }

    /// An event line, its object printed as a Table when the watch asked for one.
    fn line(&self, etype: &str, object: &Value) -> String {
        match &self.table {
            Some(req) => json!({"type": etype, "object": table(req, self.kind, &[object], obj_rv(object))}).to_string(),
            None => json!({"type": etype, "object": object}).to_string(),
        }
    }

    fn event_value<'a>(&self, ev: &'a Event) -> Option<(&'static str, &'a Value)> {
        if ev.kind != self.kind {
            return None;
        }
        let cur = self.matches(&ev.object);
        let prev = ev.prev.as_ref().is_some_and(|p| self.matches(p));
        let etype = match (ev.etype, prev, cur) {
            ("ADDED", _, true) => "ADDED",
            ("DELETED", p, c) if p || c => "DELETED",
            ("MODIFIED", true, true) => "MODIFIED",
            ("MODIFIED", false, true) => "ADDED",
            ("MODIFIED", true, false) => "DELETED",
            _ => return None,
        };
        Some((etype, &ev.object))
    }
}

fn write_chunk(w: &mut TcpStream, line: &str) -> bool {
    let data = format!("{line}\n");
    w.write_all(format!("{:x}\r\n{data}\r\n", data.len()).as_bytes()).is_ok() && w.flush().is_ok()
}

/// Streams a watch; false when the connection is gone.
fn serve_watch(req: &Request, shared: &Shared, w: &mut TcpStream) -> bool {
    let mut st = shared.lock();
    record(&mut st, req);
    let early = |w: &mut TcpStream, (code, ctype, body): Reply| {
        let head = format!(
            "HTTP/1.1 {code} {}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
            reason_phrase(code),
            body.len()
        );
        w.write_all(head.as_bytes()).and_then(|_| w.write_all(&body)).is_ok()
    };
    let r = match route(&req.path) {
        Ok(r) if r.sub.is_none() => r,
        Ok(_) => {
            return early(
                w,
                status_body(
                    405,
                    "MethodNotAllowed",
                    "the server does not allow this method on the requested resource",
                ),
            );
        }
        Err(reply) => return early(w, reply),
    };
    if let Some(reply) = fault_reply(&st, r.kind, &r.ns) {
        return early(w, reply);
    }
    let mut filter = match Filter::new(req, r.kind, r.ns.as_deref()) {
        Ok(f) => f,
        Err(reply) => return early(w, reply),
    };
    if let Some(name) = &r.name {
        // A watch on one object's path is a watch with a name field selector.
        let by_name = format!("metadata.name={name}");
        filter.fields = Some(match filter.fields.take() {
            Some(f) if !f.is_empty() => format!("{f},{by_name}"),
            _ => by_name,
        });
    }
    let bookmarks = req.query.get("allowWatchBookmarks").is_some_and(|b| b == "true");
    let timeout = req.query.get("timeoutSeconds").and_then(|t| t.parse::<u64>().ok()).unwrap_or(1800);
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let mut pending: Vec<String> = Vec::new();
    let mut expired = false;
    let mut last = st.rv;
    match req.query.get("resourceVersion").map(String::as_str) {
        None | Some("") | Some("0") => {
            // Synthetic ADDED events for the current state.
            let key = (r.kind.group.to_string(), r.kind.plural.to_string());
            for o in st.objects.get(&key).into_iter().flat_map(|m| m.values()).flat_map(|m| m.values()) {
                if filter.matches(o) {
                    pending.push(filter.line("ADDED", o));
                }
            }
            // A streaming list (`sendInitialEvents`) ends its initial state with a bookmark.
            if req.query.get("sendInitialEvents").is_some_and(|v| v == "true") {
                pending.push(
                    json!({"type": "BOOKMARK", "object": {"kind": r.kind.kind, "apiVersion": api_version(r.kind), "metadata": {"resourceVersion": st.rv.to_string(), "annotations": {"k8s.io/initial-events-end": "true"}}}})
                        .to_string(),
                );
            }
        }
        Some(s) => {
            let Ok(from) = s.parse::<u64>() else {
                return early(
                    w,
                    status_body(
                        400,
                        "BadRequest",
                        &format!("resourceVersion: Invalid value: {s:?}: strconv.ParseUint: parsing {s:?}: invalid syntax"),
                    ),
                );
            };
            if from < st.log_start {
                let status = status_value(
                    410,
                    "Expired",
                    &format!("too old resource version: {from} ({})", st.log_start),
                    None,
                );
                pending.push(json!({"type": "ERROR", "object": status}).to_string());
                expired = true;
            } else {
                let at = st.events.partition_point(|e| e.rv <= from);
                pending.extend(st.events.range(at..).filter_map(|e| filter.event(e)));
            }
        }
    }
    drop(st);
    let head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache, private\r\n\r\n";
    if w.write_all(head.as_bytes()).is_err() {
        return false;
    }
    let mut last_sent = Instant::now();
    loop {
        for line in pending.drain(..) {
            if !write_chunk(w, &line) {
                return false;
            }
            last_sent = Instant::now();
        }
        let now = Instant::now();
        if expired || now >= deadline {
            return w.write_all(b"0\r\n\r\n").is_ok();
        }
        let st = shared.lock();
        let wait = (deadline - now).min(Duration::from_millis(100));
        let (st, _) = shared.changed.wait_timeout(st, wait).unwrap_or_else(|e| e.into_inner());
        if shared.stop.load(Ordering::Relaxed) {
            return false;
        }
        let at = st.events.partition_point(|e| e.rv <= last);
        pending.extend(st.events.range(at..).filter_map(|e| filter.event(e)));
        last = st.rv;
        if bookmarks && pending.is_empty() && last_sent.elapsed() >= BOOKMARK_EVERY {
            pending.push(
                json!({"type": "BOOKMARK", "object": {"kind": r.kind.kind, "apiVersion": api_version(r.kind), "metadata": {"resourceVersion": st.rv.to_string()}}})
                    .to_string(),
            );
        }
    }
}

fn resource_list(group: &str, version: &str) -> Value {
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    let resources: Vec<Value> = KINDS
        .iter()
        .filter(|k| k.group == group && k.version == version)
        .flat_map(|k| {
            let verbs = if k.group == "metrics.k8s.io" {
                json!(["get", "list"])
            } else {
                json!(["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"])
            };
            let mut main = json!({"name": k.plural, "singularName": k.kind.to_lowercase(), "namespaced": k.namespaced, "kind": k.kind, "verbs": verbs});
            if !k.short.is_empty() {
                main["shortNames"] = json!(k.short);
            }
            if matches!(k.plural, "pods" | "deployments" | "replicasets" | "horizontalpodautoscalers") && k.group != "metrics.k8s.io" {
                main["categories"] = json!(["all"]);
            }
            let mut v = vec![main];
            if k.status {
                v.push(json!({"name": format!("{}/status", k.plural), "singularName": "", "namespaced": k.namespaced, "kind": k.kind, "verbs": ["get", "patch", "update"]}));
            }
            if k.plural == "deployments" || k.plural == "replicasets" {
                v.push(json!({"name": format!("{}/scale", k.plural), "singularName": "", "namespaced": true, "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]}));
            }
            if k.plural == "pods" && k.group.is_empty() {
                v.push(json!({"name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]}));
            }
            v
        })
        .collect();
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources})
}

/// The OpenAPI v3 index: one document per group version, as kubectl looks them up.
fn openapi_root() -> Value {
    let mut paths = serde_json::Map::new();
    for k in KINDS.iter().filter(|k| k.group != "metrics.k8s.io") {
        let gv = if k.group.is_empty() {
            format!("api/{}", k.version)
        } else {
            format!("apis/{}/{}", k.group, k.version)
        };
        paths.insert(gv.clone(), json!({"serverRelativeURL": format!("/openapi/v3/{gv}?hash=0")}));
    }
    json!({"paths": paths})
}

/// A group version's OpenAPI v3 document, reduced to what kubectl reads before a write:
/// each kind's PATCH operation and its `fieldValidation` parameter (so kubectl leaves
/// validation to the server, as against a real one).
fn openapi_doc(gv: &str) -> Value {
    let mut paths = serde_json::Map::new();
    for k in KINDS.iter().filter(|k| {
        k.group != "metrics.k8s.io"
            && if k.group.is_empty() {
                gv == format!("api/{}", k.version)
            } else {
                gv == format!("apis/{}/{}", k.group, k.version)
            }
    }) {
        let path = if k.namespaced {
            format!("/{gv}/namespaces/{{namespace}}/{}/{{name}}", k.plural)
        } else {
            format!("/{gv}/{}/{{name}}", k.plural)
        };
        let params: Vec<Value> = ["dryRun", "fieldManager", "fieldValidation", "force"]
            .iter()
            .map(|p| json!({"name": p, "in": "query", "schema": {"type": "string", "uniqueItems": true}}))
            .collect();
        paths.insert(
            path,
            json!({"patch": {
                "operationId": format!("patch{}", k.kind),
                "parameters": params,
                "responses": {"200": {"description": "OK"}},
                "x-kubernetes-action": "patch",
                "x-kubernetes-group-version-kind": {"group": k.group, "version": k.version, "kind": k.kind},
            }}),
        );
    }
    json!({"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.33.0"}, "paths": paths, "components": {"schemas": {}}})
}

// ---------------------------------------------------------------- server-side printing

/// kubectl asks for a Table (server-side printing) for its human-readable output.
fn wants_table(req: &Request) -> bool {
    req.headers.get("accept").is_some_and(|a| a.contains("as=Table"))
}

fn epoch_seconds(ts: &str) -> Option<i64> {
    let (date, time) = ts.trim_end_matches('Z').split_once('T')?;
    let mut d = date.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time.split(['.', '+']).next()?.split(':').map(|x| x.parse::<i64>().ok());
    let (h, mi, sec) = (t.next()??, t.next()??, t.next()??);
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + mi * 60 + sec)
}

/// How long ago, as kubectl prints ages (`duration.HumanDuration`).
fn age(ts: &Value) -> String {
    let Some(then) = ts.as_str().and_then(epoch_seconds) else {
        return "<unknown>".into();
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let secs = now - then;
    if secs < -1 {
        return "<invalid>".into();
    }
    let secs = secs.max(0);
    let (mins, hours) = (secs / 60, secs / 3600);
    let days = hours / 24;
    match () {
        _ if secs < 120 => format!("{secs}s"),
        _ if mins < 10 && secs % 60 == 0 => format!("{mins}m"),
        _ if mins < 10 => format!("{mins}m{}s", secs % 60),
        _ if mins < 180 => format!("{mins}m"),
        _ if hours < 8 && mins % 60 == 0 => format!("{hours}h"),
        _ if hours < 8 => format!("{hours}h{}m", mins % 60),
        _ if hours < 48 => format!("{hours}h"),
        _ if hours < 24 * 8 && hours % 24 == 0 => format!("{days}d"),
        _ if hours < 24 * 8 => format!("{days}d{}h", hours % 24),
        _ if hours < 24 * 365 * 2 => format!("{days}d"),
        _ if hours < 24 * 365 * 8 && days % 365 == 0 => format!("{}y", days / 365),
        _ if hours < 24 * 365 * 8 => format!("{}y{}d", days / 365, days % 365),
        _ => format!("{}y", days / 365),
    }
}

fn joined(list: &Value, field: &str) -> String {
    list.as_array()
        .map(|a| a.iter().filter_map(|x| x[field].as_str()).collect::<Vec<_>>().join(","))
        .unwrap_or_default()
}

fn selector_text(sel: &Value) -> String {
    let mut parts: Vec<String> = sel["matchLabels"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default())).collect())
        .unwrap_or_default();
    parts.sort();
    if parts.is_empty() { "<none>".into() } else { parts.join(",") }
}

/// A pod's STATUS column, as kubectl's pod printer reasons it.
fn pod_reason(p: &Value) -> String {
    let mut reason = p["status"]["reason"]
        .as_str()
        .or(p["status"]["phase"].as_str())
        .unwrap_or("Unknown")
        .to_string();
    let mut running = false;
    for c in p["status"]["containerStatuses"].as_array().into_iter().flatten().rev() {
        if let Some(r) = c["state"]["waiting"]["reason"].as_str().filter(|r| !r.is_empty()) {
            reason = r.to_string();
        } else if let Some(r) = c["state"]["terminated"]["reason"].as_str().filter(|r| !r.is_empty()) {
            reason = r.to_string();
        } else if let Some(code) = c["state"]["terminated"]["exitCode"].as_i64() {
            reason = format!("ExitCode:{code}");
        } else if c["ready"] == true && c["state"]["running"].is_object() {
            running = true;
        }
    }
    if reason == "Completed" && running {
        reason = if is_ready(p) { "Running".into() } else { "NotReady".into() };
    }
    if !p["metadata"]["deletionTimestamp"].is_null() {
        reason = "Terminating".into();
    }
    reason
}

type Column = (&'static str, &'static str, u8);

/// The columns and cells the API server prints for an object of this kind.
fn table_columns(k: Kind) -> Vec<Column> {
    match (k.group, k.plural) {
        ("", "pods") => vec![
            ("Name", "string", 0),
            ("Ready", "string", 0),
            ("Status", "string", 0),
            ("Restarts", "string", 0),
            ("Age", "string", 0),
            ("IP", "string", 1),
            ("Node", "string", 1),
            ("Nominated Node", "string", 1),
            ("Readiness Gates", "string", 1),
        ],
        ("apps", "deployments") => vec![
            ("Name", "string", 0),
            ("Ready", "string", 0),
            ("Up-to-date", "integer", 0),
            ("Available", "integer", 0),
            ("Age", "string", 0),
            ("Containers", "string", 1),
            ("Images", "string", 1),
            ("Selector", "string", 1),
        ],
        ("apps", "replicasets") => vec![
            ("Name", "string", 0),
            ("Desired", "integer", 0),
            ("Current", "integer", 0),
            ("Ready", "integer", 0),
            ("Age", "string", 0),
            ("Containers", "string", 1),
            ("Images", "string", 1),
            ("Selector", "string", 1),
        ],
        ("", "nodes") => vec![
            ("Name", "string", 0),
            ("Status", "string", 0),
            ("Roles", "string", 0),
            ("Age", "string", 0),
            ("Version", "string", 0),
        ],
        ("", "secrets") => vec![
            ("Name", "string", 0),
            ("Type", "string", 0),
            ("Data", "string", 0),
            ("Age", "string", 0),
        ],
        ("", "namespaces") => vec![("Name", "string", 0), ("Status", "string", 0), ("Age", "string", 0)],
        ("", "events") => vec![
            ("Last Seen", "string", 0),
            ("Type", "string", 0),
            ("Reason", "string", 0),
            ("Object", "string", 0),
            ("Message", "string", 0),
        ],
        _ => vec![("Name", "string", 0), ("Age", "string", 0)],
    }
}

fn table_cells(k: Kind, o: &Value) -> Vec<Value> {
    let name = json!(obj_name(o));
    let created = age(&o["metadata"]["creationTimestamp"]);
    let (spec, status) = (&o["spec"], &o["status"]);
    match (k.group, k.plural) {
        ("", "pods") => {
            let statuses = status["containerStatuses"].as_array().cloned().unwrap_or_default();
            let total = spec["containers"].as_array().map_or(0, Vec::len);
            let ready = statuses.iter().filter(|c| c["ready"] == true).count();
            let restarts: i64 = statuses.iter().filter_map(|c| c["restartCount"].as_i64()).sum();
            let last = statuses
                .iter()
                .filter_map(|c| c["lastState"]["terminated"]["finishedAt"].as_str())
                .max()
                .map(|t| age(&json!(t)));
            let restarts = match last {
                Some(ago) if restarts > 0 => format!("{restarts} ({ago} ago)"),
                _ => restarts.to_string(),
            };
            let none = json!("<none>");
            vec![
                name,
                json!(format!("{ready}/{total}")),
                json!(pod_reason(o)),
                json!(restarts),
                json!(created),
                status.get("podIP").cloned().unwrap_or(none.clone()),
                spec.get("nodeName").cloned().unwrap_or(none.clone()),
                none.clone(),
                none,
            ]
        }
        ("apps", "deployments") => vec![
            name,
            json!(format!(
                "{}/{}",
                status["readyReplicas"].as_i64().unwrap_or(0),
                spec["replicas"].as_i64().unwrap_or(1)
            )),
            json!(status["updatedReplicas"].as_i64().unwrap_or(0)),
            json!(status["availableReplicas"].as_i64().unwrap_or(0)),
            json!(created),
            json!(joined(&spec["template"]["spec"]["containers"], "name")),
            json!(joined(&spec["template"]["spec"]["containers"], "image")),
            json!(selector_text(&spec["selector"])),
        ],
        ("apps", "replicasets") => vec![
            name,
            json!(spec["replicas"].as_i64().unwrap_or(1)),
            json!(status["replicas"].as_i64().unwrap_or(0)),
            json!(status["readyReplicas"].as_i64().unwrap_or(0)),
            json!(created),
            json!(joined(&spec["template"]["spec"]["containers"], "name")),
            json!(joined(&spec["template"]["spec"]["containers"], "image")),
            json!(selector_text(&spec["selector"])),
        ],
        ("", "nodes") => {
            let ready = status["conditions"]
                .as_array()
                .is_some_and(|cs| cs.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"));
            let mut st = if ready { "Ready".to_string() } else { "NotReady".to_string() };
            if spec["unschedulable"] == true {
                st.push_str(",SchedulingDisabled");
            }
            let roles: Vec<&str> = o["metadata"]["labels"]
                .as_object()
                .map(|m| m.keys().filter_map(|k| k.strip_prefix("node-role.kubernetes.io/")).collect())
                .unwrap_or_default();
            let roles = if roles.is_empty() { "<none>".to_string() } else { roles.join(",") };
            vec![
                name,
                json!(st),
                json!(roles),
                json!(created),
                json!(status["nodeInfo"]["kubeletVersion"].as_str().unwrap_or("")),
            ]
        }
        ("", "secrets") => vec![
            name,
            json!(o["type"].as_str().unwrap_or("Opaque")),
            json!(o["data"].as_object().map_or(0, |m| m.len()).to_string()),
            json!(created),
        ],
        ("", "namespaces") => vec![name, json!(status["phase"].as_str().unwrap_or("Active")), json!(created)],
        ("", "events") => {
            let seen = o["lastTimestamp"].as_str().or(o["eventTime"].as_str()).map(|t| age(&json!(t)));
            let obj = format!(
                "{}/{}",
                o["involvedObject"]["kind"].as_str().unwrap_or_default().to_lowercase(),
                o["involvedObject"]["name"].as_str().unwrap_or_default()
            );
            vec![
                json!(seen.unwrap_or_else(|| created.clone())),
                o["type"].clone(),
                o["reason"].clone(),
                json!(obj),
                o["message"].clone(),
            ]
        }
        _ => vec![name, json!(created)],
    }
}

/// A `meta.k8s.io/v1` Table of the objects, each row with the object's metadata (or the
/// whole object for `includeObject=Object`).
fn table(req: &Request, k: Kind, objects: &[&Value], rv: &str) -> Value {
    let include = req.query.get("includeObject").map(String::as_str).unwrap_or("Metadata");
    let columns: Vec<Value> = table_columns(k)
        .into_iter()
        .map(|(name, ty, priority)| {
            let format = if name == "Name" { "name" } else { "" };
            json!({"name": name, "type": ty, "format": format, "description": "", "priority": priority})
        })
        .collect();
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            let mut row = json!({"cells": table_cells(k, o)});
            match include {
                "None" => {}
                "Object" => row["object"] = (*o).clone(),
                _ => row["object"] = json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}),
            }
            row
        })
        .collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": rv}, "columnDefinitions": columns, "rows": rows})
}

// ---------------------------------------------------------------- time, hashing

fn now() -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem / 60 % 60, rem % 60)
}

/// JSON with object keys sorted, so equal templates hash equally.
fn canonical(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys.iter().map(|k| format!("{}:{}", json!(k), canonical(&m[*k]))).collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// The pod-template hash as the controller spells it: FNV-32a of the template, its decimal
/// digits mapped onto the safe alphabet (`rand.SafeEncodeString`).
fn template_hash(template: &Value) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in canonical(template).bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h.to_string()
        .bytes()
        .map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char)
        .collect()
}

fn qos_class(spec: &Value) -> &'static str {
    let containers: Vec<&Value> = spec["containers"].as_array().into_iter().flatten().collect();
    let any = containers.iter().any(|c| {
        c["resources"]["requests"].as_object().is_some_and(|m| !m.is_empty())
            || c["resources"]["limits"].as_object().is_some_and(|m| !m.is_empty())
    });
    if !any {
        return "BestEffort";
    }
    let guaranteed = containers.iter().all(|c| {
        let (req, lim) = (&c["resources"]["requests"], &c["resources"]["limits"]);
        ["cpu", "memory"].iter().all(|r| {
            lim.get(*r).is_some()
                && req
                    .get(*r)
                    .is_none_or(|q| quantity(&quantity_str(q)) == quantity(&quantity_str(&lim[*r])))
        })
    });
    if guaranteed { "Guaranteed" } else { "Burstable" }
}

// ---------------------------------------------------------------- Deployment controller

fn schedule(st: &mut State, ns: &str, name: &str, d: &Value) {
    let generation = d["metadata"]["generation"].as_i64().unwrap_or(0);
    let observed = d["status"]["observedGeneration"].as_i64().unwrap_or(0);
    let key = (ns.to_string(), name.to_string());
    if generation > observed && st.runs.get(&key).is_none_or(|r| r.generation != generation) {
        let next_at = Instant::now() + st.step;
        st.runs.insert(
            key,
            Run {
                generation,
                phase: 0,
                next_at,
            },
        );
    }
}

fn controller(shared: &Shared) {
    let mut st = shared.lock();
    while !shared.stop.load(Ordering::Relaxed) {
        let now = Instant::now();
        let due: Vec<(String, String)> = st.runs.iter().filter(|(_, r)| r.next_at <= now).map(|(k, _)| k.clone()).collect();
        let stepped = !due.is_empty();
        for (ns, name) in due {
            deployment_step(&mut st, &ns, &name);
        }
        if stepped {
            shared.changed.notify_all();
        }
        let wait = st
            .runs
            .values()
            .map(|r| r.next_at.saturating_duration_since(Instant::now()))
            .min()
            .unwrap_or(Duration::from_millis(50))
            .clamp(Duration::from_millis(2), Duration::from_millis(50));
        st = shared.changed.wait_timeout(st, wait).unwrap_or_else(|e| e.into_inner()).0;
    }
}

fn is_ready(pod: &Value) -> bool {
    pod["status"]["conditions"]
        .as_array()
        .is_some_and(|cs| cs.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"))
}

/// The Deployment's live pods: (of the current template, of older ones).
fn deployment_pods(st: &State, d: &Value, ns: &str, hash: &str) -> (Vec<Value>, Vec<Value>) {
    objects_in(st, PODS, ns)
        .into_iter()
        .filter(|p| p["metadata"]["deletionTimestamp"].is_null() && selects(&d["spec"]["selector"], &p["metadata"]["labels"]))
        .cloned()
        .partition(|p| p["metadata"]["labels"]["pod-template-hash"] == hash)
}

/// The pod-template hash of the Deployment's template: that of an owned ReplicaSet whose
/// template is the same but for the hash label (as the controller finds it), else a new one.
fn current_hash(st: &State, d: &Value, ns: &str) -> String {
    let want = canonical(&d["spec"]["template"]);
    for rs in owned_by(st, REPLICASETS, ns, &d["metadata"]["uid"]) {
        let mut t = rs["spec"]["template"].clone();
        let Some(hash) = t["metadata"]["labels"]["pod-template-hash"].as_str().map(str::to_string) else {
            continue;
        };
        if let Some(labels) = t["metadata"]["labels"].as_object_mut() {
            labels.remove("pod-template-hash");
        }
        if canonical(&t) == want {
            return hash;
        }
    }
    template_hash(&d["spec"]["template"])
}

/// `25%` of `n` rounded down, or an absolute number.
fn int_or_percent(v: &Value, n: usize, default_percent: usize) -> usize {
    match v {
        Value::Number(x) => x.as_u64().unwrap_or(0) as usize,
        Value::String(s) => s
            .strip_suffix('%')
            .and_then(|p| p.parse::<usize>().ok())
            .map(|p| n * p / 100)
            .unwrap_or(0),
        _ => n * default_percent / 100,
    }
}

fn owned_by<'a>(st: &'a State, k: Kind, ns: &str, uid: &Value) -> Vec<&'a Value> {
    objects_in(st, k, ns)
        .into_iter()
        .filter(|o| {
            o["metadata"]["ownerReferences"]
                .as_array()
                .is_some_and(|refs| refs.iter().any(|r| r["uid"] == *uid))
        })
        .collect()
}

fn owner_ref(kind: &str, api: &str, o: &Value) -> Value {
    json!([{"apiVersion": api, "kind": kind, "name": o["metadata"]["name"], "uid": o["metadata"]["uid"], "controller": true, "blockOwnerDeletion": true}])
}

/// The ReplicaSet of the Deployment's current template, created if missing; whether it is new.
fn ensure_replicaset(st: &mut State, d: &Value, ns: &str, hash: &str) -> (Value, bool) {
    let name = format!("{}-{hash}", obj_name(d));
    if let Some(rs) = lookup(st, REPLICASETS, ns, &name) {
        return (rs.clone(), false);
    }
    let revision = owned_by(st, REPLICASETS, ns, &d["metadata"]["uid"])
        .iter()
        .filter_map(|rs| {
            rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                .as_str()?
                .parse::<i64>()
                .ok()
        })
        .max()
        .unwrap_or(0)
        + 1;
    let mut template = d["spec"]["template"].clone();
    template["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    let mut selector = d["spec"]["selector"].clone();
    selector["matchLabels"]["pod-template-hash"] = json!(hash);
    let mut labels = d["spec"]["template"]["metadata"]["labels"].clone();
    labels["pod-template-hash"] = json!(hash);
    let rs = json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": ns,
            "generation": 1,
            "labels": labels,
            "annotations": {
                "deployment.kubernetes.io/desired-replicas": d["spec"]["replicas"].as_i64().unwrap_or(1).to_string(),
                "deployment.kubernetes.io/max-replicas": (d["spec"]["replicas"].as_i64().unwrap_or(1) + 1).to_string(),
                "deployment.kubernetes.io/revision": revision.to_string(),
            },
            "ownerReferences": owner_ref("Deployment", "apps/v1", d),
        },
        "spec": {"replicas": 0, "selector": selector, "template": template},
        "status": {"replicas": 0, "observedGeneration": 1},
    });
    (put(st, REPLICASETS, rs), true)
}

fn schedulable_nodes(st: &State) -> Vec<String> {
    let nodes: Vec<String> = objects_in(st, KINDS[2], "")
        .into_iter()
        .filter(|n| {
            !n["spec"]["taints"]
                .as_array()
                .is_some_and(|ts| ts.iter().any(|t| t["effect"] == "NoSchedule"))
        })
        .map(obj_name)
        .collect();
    if nodes.is_empty() { vec!["kind-worker".to_string()] } else { nodes }
}

fn pod_condition(t: &str, ok: bool, at: &str) -> Value {
    json!({"type": t, "status": if ok { "True" } else { "False" }, "lastProbeTime": null, "lastTransitionTime": at})
}

/// Records an Event about `about` (a stored object), as the component would.
fn add_event(st: &mut State, ns: &str, about: &Value, etype: &str, reason: &str, message: &str, component: &str) {
    let at = now();
    let name = format!("{}.{}", obj_name(about), st.hex(16));
    let ev = json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": name, "namespace": ns},
        "involvedObject": {"apiVersion": about["apiVersion"], "kind": about["kind"], "name": about["metadata"]["name"], "namespace": ns, "uid": about["metadata"]["uid"], "resourceVersion": about["metadata"]["resourceVersion"]},
        "reason": reason,
        "message": message,
        "type": etype,
        "source": {"component": component},
        "firstTimestamp": at,
        "lastTimestamp": at,
        "count": 1,
        "reportingComponent": component,
        "reportingInstance": "",
    });
    put(st, EVENTS, ev);
}

/// Creates `count` pods of the ReplicaSet, as the ReplicaSet controller, scheduler and
/// kubelet together would leave them.
fn create_pods(st: &mut State, rs: &Value, ns: &str, count: usize, how: &NewPods) {
    let nodes = schedulable_nodes(st);
    for i in 0..count {
        let at = now();
        let rs_name = obj_name(rs);
        let name = format!("{rs_name}-{}", st.suffix());
        let uid = st.uid();
        let template = &rs["spec"]["template"];
        let mut spec = template["spec"].clone();
        let node = nodes[(i + st.random() as usize) % nodes.len()].clone();
        if spec.get("serviceAccountName").is_none() {
            spec["serviceAccountName"] = json!("default");
            spec["serviceAccount"] = json!("default");
        }
        if spec.get("tolerations").is_none() {
            spec["tolerations"] = json!([
                {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
                {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
            ]);
        }
        let containers: Vec<Value> = spec["containers"].as_array().cloned().unwrap_or_default();
        let ip = format!("10.244.{}.{}", 1 + st.random() % 3, 2 + st.random() % 250);
        let host_ip = format!("172.18.0.{}", 2 + st.random() % 3);
        let mut status = json!({"qosClass": qos_class(&spec)});
        match how {
            NewPods::Pending { message } => {
                status["phase"] = json!("Pending");
                let mut c = pod_condition("PodScheduled", false, &at);
                c["reason"] = json!("Unschedulable");
                c["message"] = json!(message);
                status["conditions"] = json!([c]);
            }
            NewPods::Ready | NewPods::CrashLoop { .. } => {
                spec["nodeName"] = json!(node);
                let ready = matches!(how, NewPods::Ready);
                let names: Vec<String> = containers.iter().filter_map(|c| c["name"].as_str().map(String::from)).collect();
                let mut conds = vec![
                    pod_condition("PodReadyToStartContainers", true, &at),
                    pod_condition("Initialized", true, &at),
                    pod_condition("Ready", ready, &at),
                    pod_condition("ContainersReady", ready, &at),
                    pod_condition("PodScheduled", true, &at),
                ];
                if !ready {
                    for c in &mut conds[2..4] {
                        c["reason"] = json!("ContainersNotReady");
                        c["message"] = json!(format!("containers with unready status: [{}]", names.join(" ")));
                    }
                }
                let statuses: Vec<Value> = containers
                    .iter()
                    .map(|c| {
                        let image = c["image"].as_str().unwrap_or_default();
                        let repo = image.rsplit_once(':').map(|(r, _)| r).unwrap_or(image);
                        let mut cs = json!({
                            "name": c["name"],
                            "image": image,
                            "imageID": format!("{repo}@sha256:{}", st.hex(64)),
                            "containerID": format!("containerd://{}", st.hex(64)),
                            "ready": ready,
                            "started": ready,
                            "restartCount": 0,
                            "state": {"running": {"startedAt": at}},
                            "lastState": {},
                        });
                        if !ready {
                            cs["restartCount"] = json!(4);
                            cs["state"] = json!({"waiting": {"reason": "CrashLoopBackOff", "message": format!("back-off 1m20s restarting failed container={} pod={name}_{ns}({uid})", c["name"].as_str().unwrap_or_default())}});
                            cs["lastState"] = json!({"terminated": {"exitCode": 1, "reason": "Error", "startedAt": at, "finishedAt": at, "containerID": format!("containerd://{}", st.hex(64))}});
                        }
                        cs
                    })
                    .collect();
                status["phase"] = json!("Running");
                status["conditions"] = json!(conds);
                status["hostIP"] = json!(host_ip);
                status["hostIPs"] = json!([{"ip": host_ip}]);
                status["podIP"] = json!(ip);
                status["podIPs"] = json!([{"ip": ip}]);
                status["startTime"] = json!(at);
                status["containerStatuses"] = json!(statuses);
            }
        }
        let mut meta = template["metadata"].clone();
        if !meta.is_object() {
            meta = json!({});
        }
        meta["name"] = json!(name);
        meta["generateName"] = json!(format!("{rs_name}-"));
        meta["namespace"] = json!(ns);
        meta["uid"] = json!(uid);
        meta["creationTimestamp"] = json!(at);
        meta["ownerReferences"] = owner_ref("ReplicaSet", "apps/v1", rs);
        let pod = put(
            st,
            PODS,
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}),
        );
        add_event(
            st,
            ns,
            rs,
            "Normal",
            "SuccessfulCreate",
            &format!("Created pod: {name}"),
            "replicaset-controller",
        );
        match how {
            NewPods::Pending { message } => {
                add_event(st, ns, &pod, "Warning", "FailedScheduling", message, "default-scheduler");
            }
            NewPods::CrashLoop { previous_log } => {
                for c in &containers {
                    let cname = c["name"].as_str().unwrap_or_default().to_string();
                    for previous in [false, true] {
                        st.logs
                            .insert((ns.to_string(), name.clone(), cname.clone(), previous), previous_log.clone());
                    }
                    add_event(
                        st,
                        ns,
                        &pod,
                        "Warning",
                        "BackOff",
                        &format!("Back-off restarting failed container {cname} in pod {name}_{ns}({uid})"),
                        "kubelet",
                    );
                }
            }
            NewPods::Ready => {}
        }
    }
}

/// Brings each of the Deployment's ReplicaSets to the pods it has.
fn sync_replicasets(st: &mut State, d: &Value, ns: &str) {
    let sets: Vec<Value> = owned_by(st, REPLICASETS, ns, &d["metadata"]["uid"]).into_iter().cloned().collect();
    for rs in sets {
        let hash = rs["metadata"]["labels"]["pod-template-hash"].clone();
        let pods: Vec<Value> = objects_in(st, PODS, ns)
            .into_iter()
            .filter(|p| p["metadata"]["deletionTimestamp"].is_null() && p["metadata"]["labels"]["pod-template-hash"] == hash)
            .cloned()
            .collect();
        let ready = pods.iter().filter(|p| is_ready(p)).count();
        let mut new = rs.clone();
        new["spec"]["replicas"] = json!(pods.len());
        let from = rs["spec"]["replicas"].as_u64().unwrap_or(0) as usize;
        if from != pods.len() {
            let (way, to) = (if from < pods.len() { "up" } else { "down" }, pods.len());
            let message = format!("Scaled {way} replica set {} from {from} to {to}", obj_name(&rs));
            add_event(st, ns, d, "Normal", "ScalingReplicaSet", &message, "deployment-controller");
        }
        if new["spec"] != rs["spec"] {
            new["metadata"]["generation"] = json!(rs["metadata"]["generation"].as_i64().unwrap_or(1) + 1);
        }
        let mut status =
            json!({"replicas": pods.len(), "fullyLabeledReplicas": pods.len(), "observedGeneration": new["metadata"]["generation"]});
        if ready > 0 {
            status["readyReplicas"] = json!(ready);
            status["availableReplicas"] = json!(ready);
        }
        new["status"] = status;
        if !same(&rs, &new) {
            put(st, REPLICASETS, new);
        }
    }
}

/// Writes the Deployment's status from its pods, as the controller's UpdateStatus does.
fn write_deployment_status(st: &mut State, d: &Value, ns: &str, hash: &str, revision: &Value, progressing: (&str, &str, String)) {
    let n = d["spec"]["replicas"].as_u64().unwrap_or(1) as usize;
    let (new, old) = deployment_pods(st, d, ns, hash);
    let replicas = new.len() + old.len();
    let ready = new.iter().chain(old.iter()).filter(|p| is_ready(p)).count();
    let max_unavailable = int_or_percent(&d["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"], n, 25);
    let at = now();
    let mut status = json!({"observedGeneration": d["metadata"]["generation"]});
    for (field, value) in [
        ("replicas", replicas),
        ("updatedReplicas", new.len()),
        ("readyReplicas", ready),
        ("availableReplicas", ready),
        ("unavailableReplicas", replicas.saturating_sub(ready)),
    ] {
        if value > 0 {
            status[field] = json!(value);
        }
    }
    let available = ready + max_unavailable >= n;
    let wanted = [
        (
            "Available",
            if available { "True" } else { "False" },
            if available {
                "MinimumReplicasAvailable"
            } else {
                "MinimumReplicasUnavailable"
            },
            if available {
                "Deployment has minimum availability.".to_string()
            } else {
                "Deployment does not have minimum availability.".to_string()
            },
        ),
        ("Progressing", progressing.0, progressing.1, progressing.2),
    ];
    let old_conds: Vec<Value> = d["status"]["conditions"].as_array().cloned().unwrap_or_default();
    let mut conds: Vec<Value> = Vec::new();
    for (t, s, reason, message) in wanted {
        let prev = old_conds.iter().find(|c| c["type"] == t);
        let transition = match prev {
            Some(p) if p["status"] == s => p["lastTransitionTime"].clone(),
            _ => json!(at),
        };
        let update = match prev {
            Some(p) if p["status"] == s && p["reason"] == reason && p["message"] == message.as_str() => p["lastUpdateTime"].clone(),
            _ => json!(at),
        };
        conds.push(json!({"type": t, "status": s, "reason": reason, "message": message, "lastUpdateTime": update, "lastTransitionTime": transition}));
    }
    status["conditions"] = json!(conds);
    let mut new_d = d.clone();
    new_d["status"] = status;
    new_d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] = revision.clone();
    if !same(d, &new_d) {
        put(st, DEPLOYMENTS, new_d);
    }
}

/// One step of a Deployment's rollout.
fn deployment_step(st: &mut State, ns: &str, name: &str) {
    let key = (ns.to_string(), name.to_string());
    let Some(d) = lookup(st, DEPLOYMENTS, ns, name).cloned() else {
        st.runs.remove(&key);
        return;
    };
    let Some(phase) = st.runs.get(&key).map(|r| r.phase) else { return };
    let (rollout, how) = st.behaviour.get(&key).cloned().unwrap_or((Rollout::Complete, NewPods::Ready));
    let n = d["spec"]["replicas"].as_u64().unwrap_or(1) as usize;
    let hash = current_hash(st, &d, ns);
    let max_unavailable = int_or_percent(&d["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"], n, 25);
    let batch = n.div_ceil(2).max(1);
    let pods_ready = matches!(how, NewPods::Ready);
    // How many pods of the new template the rollout gets to: all (pods that never become
    // ready stop it anyway), or, stalling, some short of all.
    let target = if rollout == Rollout::Complete || !pods_ready {
        n
    } else {
        batch.min(n.saturating_sub(1))
    };
    let (rs, created) = ensure_replicaset(st, &d, ns, &hash);
    let rs_name = obj_name(&rs);
    let revision = rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"].clone();
    let updating = ("True", "ReplicaSetUpdated", format!("ReplicaSet \"{rs_name}\" is progressing."));
    let mut next = phase;
    let mut done = false;
    let progressing = match phase {
        0 => {
            next = 1;
            if created {
                ("True", "NewReplicaSetCreated", format!("Created new replica set \"{rs_name}\""))
            } else {
                updating
            }
        }
        1 => {
            let (new, mut old) = deployment_pods(st, &d, ns, &hash);
            // Unready pods go first, as the ReplicaSet controller picks them.
            old.sort_by_key(is_ready);
            if new.len() > n {
                for p in &new[n..] {
                    remove(st, PODS, ns, &obj_name(p), false);
                }
            } else if new.len() < target && (pods_ready || new.is_empty()) {
                let add = batch.min(target - new.len());
                create_pods(st, &rs, ns, add, &how);
                let drop = if pods_ready { add } else { max_unavailable };
                for p in old.iter().take(drop) {
                    remove(st, PODS, ns, &obj_name(p), false);
                }
            } else if new.len() < n {
                // Stopped: the new pods do not become ready, or the rollout stalls.
                next = 2;
            } else if pods_ready && !old.is_empty() {
                for p in &old {
                    remove(st, PODS, ns, &obj_name(p), false);
                }
            } else if !pods_ready {
                next = 2;
            }
            // The write that shows the rollout complete also says so.
            let (new, old) = deployment_pods(st, &d, ns, &hash);
            if new.len() == n && old.is_empty() && new.iter().all(is_ready) {
                next = 3;
                done = true;
                (
                    "True",
                    "NewReplicaSetAvailable",
                    format!("ReplicaSet \"{rs_name}\" has successfully progressed."),
                )
            } else {
                updating
            }
        }
        2 => {
            done = true;
            if rollout == Rollout::DeadlineExceeded {
                (
                    "False",
                    "ProgressDeadlineExceeded",
                    format!("ReplicaSet \"{rs_name}\" has timed out progressing."),
                )
            } else {
                updating
            }
        }
        _ => {
            done = true;
            (
                "True",
                "NewReplicaSetAvailable",
                format!("ReplicaSet \"{rs_name}\" has successfully progressed."),
            )
        }
    };
    sync_replicasets(st, &d, ns);
    let d = lookup(st, DEPLOYMENTS, ns, name).cloned().unwrap_or(d);
    write_deployment_status(st, &d, ns, &hash, &revision, progressing);
    let step = st.step;
    if done {
        st.runs.remove(&key);
    } else if let Some(r) = st.runs.get_mut(&key) {
        r.phase = next;
        r.next_at = Instant::now() + step;
    }
}
