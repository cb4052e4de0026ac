//! A stateful Kubernetes API server for tests: enough of the real API for the kube client
//! and `kubectl` to talk to it over plain HTTP through a generated kubeconfig.
//!
//! It serves discovery (`/api`, `/apis`, resource lists), list with `limit`/`continue` and
//! simple field selectors, get, pod logs (`previous`), metrics.k8s.io, and writes: PATCH
//! (JSON Patch and merge patch), PUT with `resourceVersion` preconditions (409 on conflict),
//! `dryRun=All`, 404/422 replies, and injected faults (403, 429, ...) per resource.
//! Every request is recorded so tests can assert on what the client did.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A resource type the server knows.
#[derive(Clone, Copy)]
struct Kind {
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    kind: &'static str,
    namespaced: bool,
}

const KINDS: &[Kind] = &[
    Kind {
        group: "",
        version: "v1",
        plural: "pods",
        kind: "Pod",
        namespaced: true,
    },
    Kind {
        group: "",
        version: "v1",
        plural: "events",
        kind: "Event",
        namespaced: true,
    },
    Kind {
        group: "",
        version: "v1",
        plural: "nodes",
        kind: "Node",
        namespaced: false,
    },
    Kind {
        group: "",
        version: "v1",
        plural: "secrets",
        kind: "Secret",
        namespaced: true,
    },
    Kind {
        group: "",
        version: "v1",
        plural: "namespaces",
        kind: "Namespace",
        namespaced: false,
    },
    Kind {
        group: "apps",
        version: "v1",
        plural: "deployments",
        kind: "Deployment",
        namespaced: true,
    },
    Kind {
        group: "apps",
        version: "v1",
        plural: "replicasets",
        kind: "ReplicaSet",
        namespaced: true,
    },
    Kind {
        group: "autoscaling",
        version: "v2",
        plural: "horizontalpodautoscalers",
        kind: "HorizontalPodAutoscaler",
        namespaced: true,
    },
    Kind {
        group: "metrics.k8s.io",
        version: "v1beta1",
        plural: "pods",
        kind: "PodMetrics",
        namespaced: true,
    },
    Kind {
        group: "metrics.k8s.io",
        version: "v1beta1",
        plural: "nodes",
        kind: "NodeMetrics",
        namespaced: false,
    },
];

fn kind_of(v: &Value) -> Option<Kind> {
    let api = v["apiVersion"].as_str().unwrap_or("v1");
    let (group, version) = api.split_once('/').unwrap_or(("", api));
    let k = v["kind"].as_str()?;
    KINDS
        .iter()
        .copied()
        .find(|x| x.kind == k && x.group == group && x.version == version)
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
}

/// The server; stops when dropped.
pub struct KubeApi {
    pub port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    _dir: tempfile::TempDir,
    pub kubeconfig: PathBuf,
}

impl KubeApi {
    pub fn start() -> KubeApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new(Mutex::new(State {
            metrics: true,
            ..Default::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if sp.load(Ordering::Relaxed) {
                    break;
                }
                if let Ok(conn) = conn {
                    let st = st.clone();
                    std::thread::spawn(move || serve(conn, st));
                }
            }
        });
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
            state,
            stop,
            _dir: dir,
            kubeconfig,
        }
    }

    /// Adds objects (a `List` is unpacked; `ContainerLog` items become pod logs).
    pub fn load(&self, v: Value) {
        let mut st = self.state.lock().unwrap();
        load_into(&mut st, v);
    }

    pub fn load_yaml_file(&self, path: &std::path::Path) {
        let text = std::fs::read_to_string(path).expect("read snapshot");
        let v: Value = serde_saphyr::from_str(&text).expect("parse snapshot");
        self.load(v);
    }

    /// Replies `status` to every request for `group/plural` (e.g. `/nodes`, `apps/deployments`).
    pub fn fault(&self, resource: &str, status: u16, reason: &str) {
        self.state
            .lock()
            .unwrap()
            .faults
            .insert(resource.to_string(), (status, reason.to_string()));
    }

    /// Removes metrics.k8s.io, as on a cluster without metrics-server.
    pub fn without_metrics(&self) {
        self.state.lock().unwrap().metrics = false;
    }

    pub fn requests(&self) -> Vec<String> {
        self.state.lock().unwrap().requests.clone()
    }

    pub fn get(&self, group: &str, plural: &str, ns: &str, name: &str) -> Option<Value> {
        let st = self.state.lock().unwrap();
        st.objects
            .get(&(group.to_string(), plural.to_string()))?
            .get(ns)?
            .get(name)
            .cloned()
    }

    pub fn kubectl(&self) -> std::process::Command {
        let mut c = std::process::Command::new("kubectl");
        c.arg("--kubeconfig").arg(&self.kubeconfig).env_remove("KUBECONFIG");
        c
    }
}

impl Drop for KubeApi {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
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
    store(st, k, v);
}

fn store(st: &mut State, k: Kind, mut v: Value) -> Value {
    st.rv += 1;
    v["metadata"]["resourceVersion"] = json!(st.rv.to_string());
    if v["metadata"].get("uid").is_none() {
        v["metadata"]["uid"] = json!(format!("00000000-0000-4000-8000-{:012}", st.rv));
    }
    let ns = if k.namespaced {
        v["metadata"]["namespace"].as_str().unwrap_or("default").to_string()
    } else {
        String::new()
    };
    if k.namespaced {
        v["metadata"]["namespace"] = json!(ns);
    }
    let name = v["metadata"]["name"].as_str().unwrap_or_default().to_string();
    st.objects
        .entry((k.group.to_string(), k.plural.to_string()))
        .or_default()
        .entry(ns)
        .or_default()
        .insert(name, v.clone());
    v
}

struct Request {
    method: String,
    path: String,
    query: BTreeMap<String, String>,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

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
    let query = url::form_urlencoded::parse(qs.as_bytes()).into_owned().collect();
    Some(Request {
        method,
        path: path.to_string(),
        query,
        headers,
        body,
    })
}

fn serve(conn: TcpStream, state: Arc<Mutex<State>>) {
    let mut writer = match conn.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(conn);
    while let Some(req) = read_request(&mut reader) {
        let (status, ctype, body) = handle(&req, &state);
        let reason = match status {
            200 => "OK",
            201 => "Created",
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            422 => "Unprocessable Entity",
            429 => "Too Many Requests",
            _ => "Error",
        };
        let mut head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n",
            body.len()
        );
        if status == 429 {
            head.push_str("Retry-After: 0\r\n");
        }
        head.push_str("\r\n");
        if writer.write_all(head.as_bytes()).and_then(|_| writer.write_all(&body)).is_err() {
            return;
        }
    }
}

fn status_body(code: u16, reason: &str, message: &str) -> (u16, &'static str, Vec<u8>) {
    let v = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code});
    (code, "application/json", v.to_string().into_bytes())
}

fn ok(v: Value) -> (u16, &'static str, Vec<u8>) {
    (200, "application/json", v.to_string().into_bytes())
}

fn handle(req: &Request, state: &Arc<Mutex<State>>) -> (u16, &'static str, Vec<u8>) {
    let mut st = state.lock().unwrap();
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
        ["apis", g, v] if KINDS.iter().any(|k| k.group == *g && k.version == *v) && (*g != "metrics.k8s.io" || st.metrics) => {
            return ok(resource_list(g, v));
        }
        _ => {}
    }

    // Resource paths: /api/v1/[namespaces/NS/]PLURAL[/NAME[/SUB]] or /apis/G/V/...
    let (group, version, rest) = match segs.as_slice() {
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => {
            return status_body(
                404,
                "NotFound",
                &format!("the server could not find the requested resource ({})", req.path),
            );
        }
    };
    let (ns, rest) = match rest {
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (Some(ns.to_string()), rest),
        _ => (None, rest),
    };
    let (plural, name, sub) = match rest {
        [p] => (*p, None, None),
        [p, n] => (*p, Some(n.to_string()), None),
        [p, n, s] => (*p, Some(n.to_string()), Some(*s)),
        _ => return status_body(404, "NotFound", "the server could not find the requested resource"),
    };
    let Some(kind) = KINDS
        .iter()
        .copied()
        .find(|k| k.group == group && k.version == version && k.plural == plural)
    else {
        return status_body(
            404,
            "NotFound",
            &format!("the server could not find the requested resource ({group}/{version} {plural})"),
        );
    };
    if group == "metrics.k8s.io" && !st.metrics {
        return status_body(404, "NotFound", "the server could not find the requested resource");
    }
    if let Some((code, reason)) = st.faults.get(&format!("{group}/{plural}")).cloned() {
        let user = "system:serviceaccount:aiwfe:aiwfe-doctor";
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
        return status_body(code, &reason, &msg);
    }
    let key = (group.to_string(), plural.to_string());
    let ns_key = if kind.namespaced {
        ns.clone().unwrap_or_default()
    } else {
        String::new()
    };
    let dry = req.query.get("dryRun").is_some_and(|d| d == "All");

    match (req.method.as_str(), &name, sub) {
        ("GET", None, _) => {
            // References first; only the page is cloned.
            let mut items: Vec<&Value> = match st.objects.get(&key) {
                Some(by_ns) if kind.namespaced && ns.is_some() => by_ns.get(&ns_key).map(|m| m.values().collect()).unwrap_or_default(),
                Some(by_ns) => by_ns.values().flat_map(|m| m.values()).collect(),
                None => Vec::new(),
            };
            if let Some(sel) = req.query.get("fieldSelector") {
                items.retain(|o| field_match(o, sel));
            }
            let start: usize = req.query.get("continue").and_then(|c| c.parse().ok()).unwrap_or(0);
            let limit: usize = req
                .query
                .get("limit")
                .and_then(|l| l.parse().ok())
                .filter(|l| *l > 0)
                .unwrap_or(usize::MAX);
            let end = start.saturating_add(limit).min(items.len());
            let page: Vec<Value> = items[start.min(items.len())..end].iter().map(|v| (*v).clone()).collect();
            let total = items.len();
            let mut meta = json!({"resourceVersion": st.rv.to_string()});
            if end < total {
                meta["continue"] = json!(end.to_string());
                meta["remainingItemCount"] = json!(total - end);
            }
            let api_version = if group.is_empty() {
                version.to_string()
            } else {
                format!("{group}/{version}")
            };
            // Serialise outside the lock, so concurrent lists proceed in parallel.
            drop(st);
            ok(json!({"kind": format!("{}List", kind.kind), "apiVersion": api_version, "metadata": meta, "items": page}))
        }
        ("GET", Some(n), None) => match st.objects.get(&key).and_then(|m| m.get(&ns_key)).and_then(|m| m.get(n)) {
            Some(o) => ok(o.clone()),
            None => status_body(404, "NotFound", &format!("{plural} \"{n}\" not found")),
        },
        ("GET", Some(n), Some("log")) => {
            let container = req.query.get("container").cloned().unwrap_or_default();
            let previous = req.query.get("previous").is_some_and(|p| p == "true");
            match st.logs.get(&(ns_key.clone(), n.clone(), container.clone(), previous)) {
                Some(log) => {
                    let tail: usize = req.query.get("tailLines").and_then(|t| t.parse().ok()).unwrap_or(usize::MAX);
                    let lines: Vec<&str> = log.lines().collect();
                    let from = lines.len().saturating_sub(tail);
                    (200, "text/plain", format!("{}\n", lines[from..].join("\n")).into_bytes())
                }
                None => status_body(
                    400,
                    "BadRequest",
                    &format!("previous terminated container \"{container}\" in pod \"{n}\" not found"),
                ),
            }
        }
        ("PATCH", Some(n), None) => {
            let Some(current) = st.objects.get(&key).and_then(|m| m.get(&ns_key)).and_then(|m| m.get(n)).cloned() else {
                return status_body(404, "NotFound", &format!("{plural} \"{n}\" not found"));
            };
            let ctype = req.headers.get("content-type").cloned().unwrap_or_default();
            let body: Value = match serde_json::from_slice(&req.body) {
                Ok(b) => b,
                Err(e) => return status_body(400, "BadRequest", &format!("invalid patch body: {e}")),
            };
            let mut doc = current.clone();
            if ctype.starts_with("application/json-patch+json") {
                let patch: json_patch::Patch = match serde_json::from_value(body) {
                    Ok(p) => p,
                    Err(e) => return status_body(400, "BadRequest", &format!("invalid JSON Patch: {e}")),
                };
                if let Err(e) = json_patch::patch(&mut doc, &patch) {
                    return status_body(
                        422,
                        "Invalid",
                        &format!("the server rejected our request due to an error in our request: {e}"),
                    );
                }
            } else if ctype.starts_with("application/merge-patch+json") || ctype.starts_with("application/strategic-merge-patch+json") {
                if let Some(rv) = body["metadata"]["resourceVersion"].as_str()
                    && Some(rv) != current["metadata"]["resourceVersion"].as_str()
                {
                    return status_body(
                        409,
                        "Conflict",
                        &format!(
                            "Operation cannot be fulfilled on {plural} \"{n}\": the object has been modified; please apply your changes to the latest version and try again"
                        ),
                    );
                }
                json_patch::merge(&mut doc, &body);
            } else {
                return status_body(
                    415,
                    "UnsupportedMediaType",
                    &format!("the body of the request was in an unknown format: {ctype}"),
                );
            }
            if doc["metadata"]["name"] != current["metadata"]["name"] {
                return status_body(422, "Invalid", "metadata.name: Invalid value: field is immutable");
            }
            if dry {
                return ok(doc);
            }
            ok(store(&mut st, kind, doc))
        }
        ("PUT", Some(n), None) => {
            let Some(current) = st.objects.get(&key).and_then(|m| m.get(&ns_key)).and_then(|m| m.get(n)).cloned() else {
                return status_body(404, "NotFound", &format!("{plural} \"{n}\" not found"));
            };
            let body: Value = match serde_json::from_slice(&req.body) {
                Ok(b) => b,
                Err(e) => return status_body(400, "BadRequest", &format!("invalid body: {e}")),
            };
            if body["metadata"]["resourceVersion"] != current["metadata"]["resourceVersion"] {
                return status_body(
                    409,
                    "Conflict",
                    &format!(
                        "Operation cannot be fulfilled on {plural} \"{n}\": the object has been modified; please apply your changes to the latest version and try again"
                    ),
                );
            }
            if dry {
                return ok(body);
            }
            ok(store(&mut st, kind, body))
        }
        _ => status_body(405, "MethodNotAllowed", &format!("{} is not supported here", req.method)),
    }
}

fn field_match(o: &Value, selector: &str) -> bool {
    selector.split(',').all(|term| {
        let (neg, (k, v)) = match term.split_once("!=") {
            Some(kv) => (true, kv),
            None => (false, term.split_once("==").or_else(|| term.split_once('=')).unwrap_or((term, ""))),
        };
        let ptr = format!("/{}", k.replace('.', "/"));
        let actual = o.pointer(&ptr).and_then(Value::as_str).unwrap_or("");
        (actual == v) != neg
    })
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
            let verbs = if k.group == "metrics.k8s.io" { json!(["get", "list"]) } else { json!(["get", "list", "patch", "update"]) };
            let mut v = vec![json!({"name": k.plural, "singularName": k.kind.to_lowercase(), "namespaced": k.namespaced, "kind": k.kind, "verbs": verbs})];
            if k.plural == "pods" && k.group.is_empty() {
                v.push(json!({"name": "pods/log", "singularName": "", "namespaced": true, "kind": "Pod", "verbs": ["get"]}));
            }
            v
        })
        .collect();
    json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources})
}
