//! Reads a `ClusterState` from the live API: concurrent paginated lists under the probe's
//! deadline (every resource at once; within one, the next page is fetched while the last
//! one is converted, each page turned into slim objects as it arrives, `slim`), explicit
//! connect/read timeouts (kube's client has no read timeout of its own),
//! the previous logs of crash-looping containers, metrics.k8s.io when it exists, and only
//! the fingerprints of the Secrets that feed Redis passwords. A resource that cannot be
//! read (403, ...) becomes a `ReadProblem`; the rest is still analysed.

use super::{ClusterState, ContainerLog, NodeMetrics, PodMetrics, ReadProblem, ReadStats, secret_info, slim};
use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{Event, Node, Pod, Secret};
use kube::api::{Api, DynamicObject, ListParams, LogParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::{ApiResource, GroupVersionKind};
use kube::{Client, Config};
use serde::de::DeserializeOwned;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Which cluster: a kubeconfig (`--kubeconfig`, `$KUBECONFIG`, `~/.kube/config`) and context,
/// or the in-cluster service account.
#[derive(Debug, Clone, Default)]
pub struct LiveTarget {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
}

impl LiveTarget {
    pub fn display(&self) -> String {
        match (&self.context, &self.kubeconfig) {
            (Some(c), _) => format!("context {c}"),
            (None, Some(p)) => format!("kubeconfig {}", p.display()),
            (None, None) => "current context".into(),
        }
    }
}

/// Page size for list calls.
const PAGE: u32 = 500;
/// At most this many previous logs are fetched per run.
const MAX_LOGS: usize = 20;

/// Builds the client: the one place that does.
pub async fn client(t: &LiveTarget, timeout: Duration) -> Result<(Client, String), String> {
    let options = KubeConfigOptions {
        context: t.context.clone(),
        ..Default::default()
    };
    let mut config = match &t.kubeconfig {
        Some(path) => {
            let kc = Kubeconfig::read_from(path).map_err(|e| format!("cannot read kubeconfig `{}`: {e}", path.display()))?;
            Config::from_custom_kubeconfig(kc, &options).await.map_err(|e| e.to_string())?
        }
        None if t.context.is_some() => Config::from_kubeconfig(&options).await.map_err(|e| e.to_string())?,
        None => Config::infer().await.map_err(|e| e.to_string())?,
    };
    config.connect_timeout = Some(timeout.min(Duration::from_secs(10)));
    config.read_timeout = Some(timeout);
    config.write_timeout = Some(timeout);
    // kube retries 429/503/504 with backoff on its own, which can eat the whole deadline
    // on one throttled resource; a throttled read becomes a finding instead.
    config.default_retry = false;
    register_credentials(&config.auth_info);
    let ns = config.default_namespace.clone();
    let client = Client::try_from(config).map_err(|e| e.to_string())?;
    Ok((client, ns))
}

/// The kubeconfig user's token, password or token file content, registered with the log
/// scrubber and the report's last pass: an API server or proxy may echo them.
fn register_credentials(auth: &kube::config::AuthInfo) {
    let Ok(v) = serde_json::to_value(auth) else { return };
    let mut found: Vec<String> = ["token", "password"]
        .iter()
        .filter_map(|k| v.get(k).and_then(serde_json::Value::as_str).map(str::to_string))
        .collect();
    if let Some(Ok(t)) = auth.token_file.as_deref().map(std::fs::read_to_string) {
        found.push(t.trim().to_string());
    }
    found.retain(|s| s.len() >= 8);
    crate::redact::add_log_secrets(found);
}

/// Why nothing at all could be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ReadError {
    /// No kubeconfig, a broken one, or no in-cluster service account.
    #[error("cannot set up a Kubernetes client: {0}")]
    Client(String),
    /// Every list failed without an HTTP status: no API server answered.
    #[error("cannot reach the Kubernetes API ({target}): {message}")]
    Unreachable { target: String, message: String },
}

/// Reads everything doctor looks at, before `deadline`; `on_phase` hears what it is doing.
/// `namespace`: `Some("")` means the kubeconfig's default namespace, `None` every namespace.
pub async fn load(
    t: &LiveTarget,
    namespace: Option<&str>,
    deadline: Instant,
    on_phase: &(dyn Fn(&str) + Send + Sync),
) -> Result<ClusterState, ReadError> {
    let remaining = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1));
    let (client, default_ns) = client(t, remaining).await.map_err(ReadError::Client)?;
    let ns: Option<String> = namespace.map(|n| if n.is_empty() { default_ns.clone() } else { n.to_string() });
    let mut state = ClusterState {
        source: t.display(),
        ..Default::default()
    };

    on_phase("listing pods, events, deployments, replica sets, HPAs, nodes and metrics.k8s.io");
    let started = Instant::now();
    // Usage metrics need nothing listed before them: they come alongside.
    let (pods, events, deployments, replica_sets, hpas, nodes, pm, nm) = tokio::join!(
        list::<Pod>(&client, ns.as_deref(), slim::pod),
        list::<Event>(&client, ns.as_deref(), slim::event),
        list::<Deployment>(&client, ns.as_deref(), slim::deployment),
        list::<ReplicaSet>(&client, ns.as_deref(), slim::replica_set),
        list::<HorizontalPodAutoscaler>(&client, ns.as_deref(), slim::hpa),
        list_cluster::<Node>(&client, slim::node),
        metrics::<PodMetrics>(&client, ns.as_deref(), "PodMetrics", "pods"),
        metrics::<NodeMetrics>(&client, None, "NodeMetrics", "nodes"),
    );
    let mut problems = Vec::new();
    let mut read = ReadStats::default();
    state.pods = take(pods, &mut problems, &mut read);
    state.events = take(events, &mut problems, &mut read);
    state.deployments = take(deployments, &mut problems, &mut read);
    state.replica_sets = take(replica_sets, &mut problems, &mut read);
    state.hpas = take(hpas, &mut problems, &mut read);
    state.nodes = take(nodes, &mut problems, &mut read);
    read.seconds = started.elapsed().as_secs_f64();
    state.read = read;
    // Nothing at all could be read: the API server is not there.
    if problems.len() == 6 && problems.iter().all(|p| p.status.is_none()) {
        return Err(ReadError::Unreachable {
            target: t.display(),
            message: problems[0].message.clone(),
        });
    }
    state.problems = problems;

    on_phase("reading previous logs and secret fingerprints");
    let (logs, secrets) = tokio::join!(previous_logs(&client, &state.pods), redis_secrets(&client, &state.pods));
    match pm {
        Ok(v) => state.pod_metrics = v,
        Err(p) => state.problems.push(p),
    }
    match nm {
        Ok(v) => state.node_metrics = v,
        Err(p) => state.problems.push(p),
    }
    state.logs = logs;
    state.secrets = secrets;
    state.normalize();
    Ok(state)
}

fn take<T>(r: Result<(Vec<T>, ReadStats), ReadProblem>, problems: &mut Vec<ReadProblem>, read: &mut ReadStats) -> Vec<T> {
    match r {
        Ok((items, stats)) => {
            read.add(&stats);
            items
        }
        Err(p) => {
            problems.push(p);
            Vec::new()
        }
    }
}

fn problem(resource: &str, e: kube::Error) -> ReadProblem {
    match e {
        kube::Error::Api(s) => ReadProblem {
            resource: resource.to_string(),
            status: Some(s.code),
            message: s.message.clone(),
        },
        other => ReadProblem {
            resource: resource.to_string(),
            status: None,
            message: other.to_string(),
        },
    }
}

fn plural<K: kube::Resource<DynamicType = ()>>() -> String {
    K::plural(&()).to_string()
}

/// One page's text.
async fn fetch(client: &Client, url: &str, token: Option<&str>, what: &str) -> Result<String, ReadProblem> {
    let mut lp = ListParams::default().limit(PAGE);
    if let Some(t) = token {
        lp = lp.continue_token(t);
    }
    let req = kube::core::Request::new(url)
        .list(&lp)
        .map_err(|e| problem(what, kube::Error::BuildRequest(e)))?;
    client.request_text(req).await.map_err(|e| problem(what, e))
}

/// The continue token of a page, read without building its items.
fn continue_token(text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Page {
        #[serde(default)]
        metadata: Meta,
    }
    #[derive(serde::Deserialize, Default)]
    struct Meta {
        #[serde(default, rename = "continue")]
        token: Option<String>,
    }
    serde_json::from_str::<Page>(text).ok()?.metadata.token.filter(|t| !t.is_empty())
}

/// Every page of one list: the next page is asked for as soon as a page's continue token
/// is known, while that page's items are converted (off the async workers) and slimmed.
async fn paginate<K>(client: &Client, url: String, what: &str, slim: fn(&mut K)) -> Result<(Vec<K>, ReadStats), ReadProblem>
where
    K: DeserializeOwned + Send + 'static,
{
    #[derive(serde::Deserialize)]
    #[serde(bound = "K: DeserializeOwned")]
    struct Page<K> {
        #[serde(default)]
        items: Option<Vec<K>>,
    }
    let mut out = Vec::new();
    let mut stats = ReadStats::default();
    let mut text = fetch(client, &url, None, what).await?;
    loop {
        stats.pages += 1;
        stats.bytes += text.len() as u64;
        let next = continue_token(&text).map(|token| {
            let (client, url, what) = (client.clone(), url.clone(), what.to_string());
            tokio::spawn(async move { fetch(&client, &url, Some(&token), &what).await })
        });
        let convert = tokio::task::spawn_blocking(move || {
            serde_json::from_str::<Page<K>>(&text).map(|p| {
                let mut items = p.items.unwrap_or_default();
                items.iter_mut().for_each(slim);
                items
            })
        });
        let bad = |message: String| ReadProblem {
            resource: what.to_string(),
            status: None,
            message,
        };
        let items = convert.await.map_err(|e| bad(e.to_string()))?.map_err(|e| bad(e.to_string()))?;
        out.extend(items);
        match next {
            Some(h) => text = h.await.map_err(|e| bad(e.to_string()))??,
            None => break,
        }
    }
    stats.objects = out.len() as u64;
    Ok((out, stats))
}

async fn list<K>(client: &Client, ns: Option<&str>, slim: fn(&mut K)) -> Result<(Vec<K>, ReadStats), ReadProblem>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()> + DeserializeOwned + Send + 'static,
{
    let api: Api<K> = match ns {
        Some(ns) => Api::namespaced(client.clone(), ns),
        None => Api::all(client.clone()),
    };
    paginate(client, api.resource_url().to_string(), &plural::<K>(), slim).await
}

async fn list_cluster<K>(client: &Client, slim: fn(&mut K)) -> Result<(Vec<K>, ReadStats), ReadProblem>
where
    K: kube::Resource<Scope = k8s_openapi::ClusterResourceScope, DynamicType = ()> + DeserializeOwned + Send + 'static,
{
    let api = Api::<K>::all(client.clone());
    paginate(client, api.resource_url().to_string(), &plural::<K>(), slim).await
}

/// metrics.k8s.io objects; `Ok(None)` when the API is not served (no metrics-server).
async fn metrics<T: DeserializeOwned + Send + 'static>(
    client: &Client,
    ns: Option<&str>,
    kind: &str,
    plural: &str,
) -> Result<Option<Vec<T>>, ReadProblem> {
    let gvk = GroupVersionKind::gvk("metrics.k8s.io", "v1beta1", kind);
    let ar = ApiResource::from_gvk_with_plural(&gvk, plural);
    let api: Api<DynamicObject> = match ns {
        Some(ns) if plural == "pods" => Api::namespaced_with(client.clone(), ns, &ar),
        _ => Api::all_with(client.clone(), &ar),
    };
    match paginate::<T>(client, api.resource_url().to_string(), &format!("{plural}.metrics.k8s.io"), |_| {}).await {
        Ok((items, _)) => Ok(Some(items)),
        Err(p) if p.status == Some(404) || p.status == Some(503) => Ok(None),
        Err(p) => Err(p),
    }
}

/// One reading of metrics.k8s.io PodMetrics in `namespace` (`None`: every namespace):
/// `Ok(None)` when the cluster has no metrics API.
pub async fn pod_metrics(client: &Client, namespace: Option<&str>) -> Result<Option<Vec<PodMetrics>>, ReadProblem> {
    metrics::<PodMetrics>(client, namespace, "PodMetrics", "pods").await
}

/// The previous log of every crash-looping container (up to `MAX_LOGS`), last 50 lines.
async fn previous_logs(client: &Client, pods: &[Pod]) -> Vec<ContainerLog> {
    let mut wanted = Vec::new();
    for p in pods {
        let (Some(ns), Some(name)) = (p.metadata.namespace.clone(), p.metadata.name.clone()) else {
            continue;
        };
        for cs in p.status.iter().flat_map(|s| s.container_statuses.iter().flatten()) {
            let waiting = cs.state.as_ref().and_then(|s| s.waiting.as_ref()).and_then(|w| w.reason.as_deref());
            if cs.restart_count > 0 && matches!(waiting, Some("CrashLoopBackOff") | Some("RunContainerError")) {
                wanted.push((ns.clone(), name.clone(), cs.name.clone()));
            }
        }
    }
    wanted.truncate(MAX_LOGS);
    let fetches = wanted.into_iter().map(|(ns, pod, container)| {
        let api: Api<Pod> = Api::namespaced(client.clone(), &ns);
        async move {
            let lp = LogParams {
                container: Some(container.clone()),
                previous: true,
                tail_lines: Some(50),
                ..Default::default()
            };
            api.logs(&pod, &lp).await.ok().map(|log| ContainerLog {
                namespace: ns,
                pod,
                container,
                previous: true,
                log,
            })
        }
    });
    futures::future::join_all(fetches).await.into_iter().flatten().collect()
}

/// Fingerprints of the Secrets that feed Redis passwords to the pods (values are dropped
/// as soon as they are hashed).
async fn redis_secrets(client: &Client, pods: &[Pod]) -> Vec<super::SecretInfo> {
    let mut names = std::collections::BTreeSet::new();
    for p in pods {
        let Some(ns) = p.metadata.namespace.clone() else { continue };
        for c in p.spec.iter().flat_map(|s| s.containers.iter()) {
            if let Some(r) = super::objects::redis_secret_ref(c, &ns)
                && let Some((nsname, _key)) = r.split_once(':')
                && let Some((ns, name)) = nsname.split_once('/')
            {
                names.insert((ns.to_string(), name.to_string()));
            }
        }
    }
    let fetches = names.into_iter().map(|(ns, name)| {
        let api: Api<Secret> = Api::namespaced(client.clone(), &ns);
        async move { api.get(&name).await.ok().map(|s| secret_info(&s)) }
    });
    futures::future::join_all(fetches).await.into_iter().flatten().collect()
}
