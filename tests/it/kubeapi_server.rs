//! The test Kubernetes API server (tests/support/kubeapi.rs) against the real `kubectl`
//! and the kube client's watcher: watch, the Deployment controller, writes, admission and
//! concurrent writers, as a real API server does them.

use crate::support::kubeapi::{KubeApi, NewPods, Rollout};
use crate::support::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NS: &str = "aiwfe";

/// The incident's cluster: nodes, Deployments, ReplicaSets, pods, logs.
fn incident_api() -> KubeApi {
    let api = KubeApi::start();
    api.load_yaml_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join("incident.yaml"));
    api
}

fn deploy(api: &KubeApi, name: &str) -> Value {
    api.get("apps", "deployments", NS, name).unwrap()
}

fn kubectl(api: &KubeApi, args: &[&str]) -> Command {
    let mut c = api.kubectl();
    c.args(args);
    c
}

/// A raw watch request; yields the response head and then each event line.
struct RawWatch {
    head: String,
    reader: BufReader<TcpStream>,
}

impl RawWatch {
    fn open(api: &KubeApi, path_and_query: &str) -> RawWatch {
        let mut s = TcpStream::connect(("127.0.0.1", api.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(s, "GET {path_and_query} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n").unwrap();
        let mut reader = BufReader::new(s);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        RawWatch { head, reader }
    }

    /// The next event, or None when the stream ended (last chunk).
    fn next(&mut self) -> Option<Value> {
        let mut size = String::new();
        self.reader.read_line(&mut size).unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        let mut data = vec![0; n + 2];
        self.reader.read_exact(&mut data).unwrap();
        if n == 0 {
            return None;
        }
        let text = String::from_utf8(data[..n].to_vec()).unwrap();
        assert!(
            text.ends_with('\n') && text.trim_end().lines().count() == 1,
            "one event a line: {text:?}"
        );
        Some(serde_json::from_str(&text).unwrap())
    }
}

fn list_rv(api: &KubeApi, path: &str) -> String {
    let out = ok(kubectl(api, &["get", "--raw", path]));
    let v: Value = serde_json::from_str(&out).unwrap();
    v["metadata"]["resourceVersion"].as_str().unwrap().to_string()
}

#[test]
fn watch_streams_each_write_from_a_resource_version_through_the_selectors() {
    let api = incident_api();
    let rv = list_rv(&api, "/apis/apps/v1/namespaces/aiwfe/deployments");
    // Writes after the list: one to redis, one to another Deployment.
    api.patch_now("apps/deployments", NS, "redis", json!({"metadata": {"labels": {"tier": "cache"}}}));
    api.patch_now(
        "apps/deployments",
        NS,
        "postgres",
        json!({"metadata": {"labels": {"tier": "other"}}}),
    );

    let mut w = RawWatch::open(
        &api,
        &format!(
            "/apis/apps/v1/namespaces/aiwfe/deployments?watch=true&resourceVersion={rv}&fieldSelector=metadata.name%3Dredis&timeoutSeconds=1"
        ),
    );
    assert!(w.head.starts_with("HTTP/1.1 200"), "{}", w.head);
    assert!(w.head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "{}", w.head);
    // The replay: redis only.
    let e = w.next().unwrap();
    assert_eq!(e["type"], "MODIFIED");
    assert_eq!(e["object"]["metadata"]["name"], "redis");
    assert_eq!(e["object"]["metadata"]["labels"]["tier"], "cache");
    assert_eq!(e["object"]["kind"], "Deployment");
    // A live write arrives while the watch is open; then the timeout ends the stream.
    let started = Instant::now();
    api.patch_now("apps/deployments", NS, "redis", json!({"metadata": {"labels": {"tier": "kv"}}}));
    let e = w.next().unwrap();
    assert_eq!(
        (e["type"].as_str(), e["object"]["metadata"]["labels"]["tier"].as_str()),
        (Some("MODIFIED"), Some("kv"))
    );
    assert_eq!(
        e["object"]["metadata"]["resourceVersion"],
        deploy(&api, "redis")["metadata"]["resourceVersion"]
    );
    assert!(w.next().is_none(), "timeoutSeconds=1 ends the watch");
    assert!(started.elapsed() < Duration::from_secs(3));

    // A label selector: objects that stop matching are DELETED for the watcher, that start
    // matching are ADDED; a real delete is DELETED.
    let rv = list_rv(&api, "/apis/apps/v1/namespaces/aiwfe/deployments");
    api.patch_now("apps/deployments", NS, "redis", json!({"metadata": {"labels": {"tier": "none"}}}));
    api.patch_now("apps/deployments", NS, "postgres", json!({"metadata": {"labels": {"tier": "kv"}}}));
    ok(kubectl(&api, &["delete", "deploy", "postgres", "--wait=false"]));
    let mut w = RawWatch::open(
        &api,
        &format!(
            "/apis/apps/v1/namespaces/aiwfe/deployments?watch=1&resourceVersion={rv}&labelSelector=tier+in+%28kv%2Cdb%29%2Capp.kubernetes.io%2Fpart-of%21%3Dother&timeoutSeconds=1"
        ),
    );
    let seen: Vec<String> = std::iter::from_fn(|| w.next())
        .map(|e| {
            format!(
                "{} {}",
                e["type"].as_str().unwrap(),
                e["object"]["metadata"]["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(seen, ["DELETED redis", "ADDED postgres", "DELETED postgres"]);

    // Without a resourceVersion a watch starts with the current state as ADDED events.
    let mut w = RawWatch::open(
        &api,
        "/api/v1/namespaces/aiwfe/pods?watch=true&labelSelector=app.kubernetes.io%2Fname%3Dredis&timeoutSeconds=1",
    );
    let e = w.next().unwrap();
    assert_eq!(
        (e["type"].as_str(), e["object"]["metadata"]["name"].as_str()),
        (Some("ADDED"), Some("redis-6c5d4b7f8e-w5n2q"))
    );
    assert!(w.next().is_none());
}

#[test]
fn watch_sends_bookmarks_only_when_allowed_and_expires_compacted_versions() {
    let api = incident_api();
    let rv = list_rv(&api, "/api/v1/nodes");
    let mut w = RawWatch::open(
        &api,
        &format!("/api/v1/nodes?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=2"),
    );
    let e = w.next().unwrap();
    assert_eq!(e["type"], "BOOKMARK");
    assert_eq!(e["object"]["kind"], "Node");
    assert_eq!(e["object"]["metadata"]["resourceVersion"], rv.as_str());
    let mut w = RawWatch::open(&api, &format!("/api/v1/nodes?watch=true&resourceVersion={rv}&timeoutSeconds=2"));
    assert!(w.next().is_none(), "no bookmark unless allowed");

    // After compaction an old resourceVersion is answered on the stream, as the watch cache does.
    api.patch_now("/nodes", "", "aiwfe-cluster-worker", json!({"metadata": {"labels": {"x": "y"}}}));
    api.compact();
    let now = list_rv(&api, "/api/v1/nodes");
    let mut w = RawWatch::open(&api, &format!("/api/v1/nodes?watch=true&resourceVersion={rv}"));
    assert!(w.head.starts_with("HTTP/1.1 200"), "{}", w.head);
    let e = w.next().unwrap();
    assert_eq!(e["type"], "ERROR");
    assert_eq!(
        e["object"],
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": format!("too old resource version: {rv} ({now})"), "reason": "Expired", "code": 410})
    );
    assert!(w.next().is_none());
    // The current version still watches.
    let mut w = RawWatch::open(&api, &format!("/api/v1/nodes?watch=true&resourceVersion={now}&timeoutSeconds=1"));
    assert!(w.next().is_none());
}

/// Reads a child's stdout lines until `want` matches one, within `limit`.
fn read_until(child: &mut std::process::Child, limit: Duration, want: impl Fn(&str) -> bool) -> Vec<String> {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + limit;
    let mut lines = Vec::new();
    while let Ok(line) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        let done = want(&line);
        lines.push(line);
        if done {
            return lines;
        }
    }
    panic!("timed out; saw {lines:#?}");
}

#[test]
fn kubectl_get_watch_follows_a_rollout_to_the_end() {
    let api = incident_api();
    let mut child = api
        .kubectl()
        .args([
            "get",
            "deploy",
            "redis",
            "-n",
            NS,
            "-w",
            "--output-watch-events",
            "-o",
            "jsonpath={.type} {.object.metadata.generation} {.object.status.observedGeneration} {.object.status.updatedReplicas} {.object.status.conditions[?(@.type==\"Progressing\")].reason}{\"\\n\"}",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_until("kubectl's watch", Duration::from_secs(5), || {
        api.requests()
            .iter()
            .any(|r| r.starts_with("GET /apis/apps/v1/namespaces/aiwfe/deployments?") && r.contains("watch=true"))
    });
    ok(kubectl(&api, &["rollout", "restart", "deploy/redis", "-n", NS]));
    let lines = read_until(&mut child, Duration::from_secs(10), |l| {
        l.starts_with("MODIFIED 4 4") && l.ends_with("NewReplicaSetAvailable")
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(lines[0].starts_with("ADDED 3 3"), "{lines:#?}");
    // The spec change (generation 4, not yet observed), the controller observing it with a
    // new ReplicaSet, then the rollout complete.
    assert_eq!(
        lines,
        [
            "ADDED 3 3 1 NewReplicaSetAvailable",
            "MODIFIED 4 3 1 NewReplicaSetAvailable",
            "MODIFIED 4 4  NewReplicaSetCreated",
            "MODIFIED 4 4 1 NewReplicaSetAvailable",
        ]
    );
}

/// A kube client from the server's kubeconfig, as `src/cluster/live.rs` builds one.
async fn kube_client(api: &KubeApi) -> kube::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let kc = kube::config::Kubeconfig::read_from(&api.kubeconfig).unwrap();
    let cfg = kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
        .await
        .unwrap();
    kube::Client::try_from(cfg).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kube_watcher_awaits_a_rollout_the_controller_completes() {
    use futures::StreamExt;
    use k8s_openapi::api::apps::v1::Deployment;
    use kube::runtime::wait::{Condition, await_condition, conditions};
    use kube::runtime::{WatchStreamExt, watcher};

    let api = incident_api();
    let deployments: kube::Api<Deployment> = kube::Api::namespaced(kube_client(&api).await, NS);
    // A watcher on redis, as a controller would run one.
    let mut events = watcher(deployments.clone(), watcher::Config::default().fields("metadata.name=redis"))
        .applied_objects()
        .boxed();
    let first = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(first.metadata.generation, Some(3));

    let started = Instant::now();
    ok(kubectl(&api, &["rollout", "restart", "deploy/redis", "-n", NS]));
    // Complete means complete for the generation asked for: the condition alone may still
    // describe the previous rollout until the controller has observed the new spec.
    let rolled_out = |d: Option<&Deployment>| {
        d.is_some_and(|d| d.status.as_ref().and_then(|s| s.observed_generation) >= d.metadata.generation)
            && conditions::is_deployment_completed().matches_object(d)
    };
    let done = tokio::time::timeout(Duration::from_secs(5), await_condition(deployments.clone(), "redis", rolled_out))
        .await
        .expect("the rollout completes within the deadline")
        .unwrap()
        .unwrap();
    let status = done.status.unwrap();
    assert_eq!(status.observed_generation, Some(4));
    assert_eq!((status.updated_replicas, status.available_replicas), (Some(1), Some(1)));
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());

    // The watcher saw the steps in order: the spec change, then the controller catching up.
    let mut observed = Vec::new();
    while let Ok(Some(Ok(d))) = tokio::time::timeout(Duration::from_millis(500), events.next()).await {
        observed.push((d.metadata.generation, d.status.and_then(|s| s.observed_generation)));
    }
    assert_eq!(observed.first(), Some(&(Some(4), Some(3))), "{observed:?}");
    assert_eq!(observed.last(), Some(&(Some(4), Some(4))), "{observed:?}");

    // A stalled rollout never completes the condition.
    api.rollout(NS, "api-service", Rollout::Stall, NewPods::Ready);
    ok(kubectl(&api, &["rollout", "restart", "deploy/api-service", "-n", NS]));
    let waited = tokio::time::timeout(Duration::from_millis(1500), await_condition(deployments, "api-service", rolled_out)).await;
    assert!(waited.is_err(), "a stalled rollout must not complete");
}

fn pods_of(api: &KubeApi, app: &str) -> Vec<Value> {
    api.list("/pods", NS)
        .into_iter()
        .filter(|p| p["metadata"]["labels"]["app.kubernetes.io/name"] == app && p["metadata"]["deletionTimestamp"].is_null())
        .collect()
}

#[test]
fn rollout_status_completes_replacing_the_pods_with_ready_ones() {
    let api = incident_api();
    let old: Vec<String> = pods_of(&api, "reasoning-service")
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(old.len(), 4);
    ok(kubectl(&api, &["rollout", "restart", "deploy/reasoning-service", "-n", NS]));
    let started = Instant::now();
    let out = ok(kubectl(
        &api,
        &["rollout", "status", "deploy/reasoning-service", "-n", NS, "--timeout=10s"],
    ));
    assert!(out.ends_with("deployment \"reasoning-service\" successfully rolled out\n"), "{out}");
    assert!(started.elapsed() < Duration::from_secs(5));

    let d = deploy(&api, "reasoning-service");
    assert_eq!(d["metadata"]["generation"], 4);
    assert_eq!(d["metadata"]["annotations"]["deployment.kubernetes.io/revision"], "4");
    let s = &d["status"];
    assert_eq!(
        (
            &s["observedGeneration"],
            &s["replicas"],
            &s["updatedReplicas"],
            &s["readyReplicas"],
            &s["availableReplicas"]
        ),
        (&json!(4), &json!(4), &json!(4), &json!(4), &json!(4))
    );
    assert!(s.get("unavailableReplicas").is_none(), "{s}");
    let cond = |t: &str| s["conditions"].as_array().unwrap().iter().find(|c| c["type"] == t).unwrap().clone();
    assert_eq!(
        (&cond("Available")["status"], &cond("Available")["reason"]),
        (&json!("True"), &json!("MinimumReplicasAvailable"))
    );
    let hash = d["spec"]["template"].clone();
    let _ = hash;
    let rs_name = cond("Progressing")["message"]
        .as_str()
        .unwrap()
        .split('"')
        .nth(1)
        .unwrap()
        .to_string();
    assert_eq!(
        cond("Progressing")["message"],
        format!("ReplicaSet \"{rs_name}\" has successfully progressed.")
    );
    assert_eq!(cond("Progressing")["reason"], "NewReplicaSetAvailable");
    let hash = rs_name.strip_prefix("reasoning-service-").unwrap();
    // The controllers' events, as `kubectl describe` shows them.
    let out = ok(kubectl(
        &api,
        &[
            "get",
            "events",
            "-n",
            NS,
            "--field-selector",
            "involvedObject.kind=Deployment,involvedObject.name=reasoning-service",
            "-o",
            "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}",
        ],
    ));
    assert!(
        out.contains(&format!("ScalingReplicaSet: Scaled up replica set {rs_name} from 0 to 2\n")),
        "{out}"
    );
    assert!(
        out.contains("ScalingReplicaSet: Scaled down replica set reasoning-service-6d8f7c9b54 from 2 to 0\n"),
        "{out}"
    );
    assert!(
        hash.len() >= 8 && hash.chars().all(|c| "bcdfghjklmnpqrstvwxz2456789".contains(c)),
        "{hash}"
    );

    // The pods were replaced by ready pods of the new ReplicaSet.
    let pods = pods_of(&api, "reasoning-service");
    assert_eq!(pods.len(), 4);
    let rs = api.get("apps", "replicasets", NS, &rs_name).expect("the new ReplicaSet");
    assert_eq!(rs["metadata"]["ownerReferences"][0]["uid"], d["metadata"]["uid"]);
    assert_eq!((&rs["spec"]["replicas"], &rs["status"]["readyReplicas"]), (&json!(4), &json!(4)));
    assert_eq!(
        api.get("apps", "replicasets", NS, "reasoning-service-6d8f7c9b54").unwrap()["spec"]["replicas"],
        0
    );
    for p in &pods {
        let name = p["metadata"]["name"].as_str().unwrap();
        assert!(!old.iter().any(|o| o == name));
        assert!(name.starts_with(&format!("{rs_name}-")));
        assert_eq!(p["metadata"]["labels"]["pod-template-hash"], hash);
        assert_eq!(p["metadata"]["ownerReferences"][0]["kind"], "ReplicaSet");
        assert_eq!(p["metadata"]["ownerReferences"][0]["uid"], rs["metadata"]["uid"]);
        assert!(
            p["spec"]["nodeName"].as_str().unwrap().starts_with("aiwfe-cluster-worker"),
            "{}",
            p["spec"]["nodeName"]
        );
        assert!(p["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"].is_string());
        assert_eq!(p["status"]["phase"], "Running");
        assert!(p["status"]["startTime"].is_string() && p["status"]["podIP"].is_string());
        let c = &p["status"]["containerStatuses"][0];
        assert_eq!(
            (&c["name"], &c["ready"], &c["restartCount"]),
            (&json!("reasoning"), &json!(true), &json!(0))
        );
        assert!(c["state"]["running"]["startedAt"].is_string());
        let ready = p["status"]["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["type"] == "Ready")
            .unwrap();
        assert_eq!(ready["status"], "True");
    }
    // kubectl agrees, in its tables too.
    let out = ok(kubectl(
        &api,
        &[
            "get",
            "pods",
            "-n",
            NS,
            "-l",
            "app.kubernetes.io/name=reasoning-service",
            "-o",
            "jsonpath={range .items[*]}{.status.containerStatuses[0].ready}{\" \"}{end}",
        ],
    ));
    assert_eq!(out.trim(), "true true true true");
    let out = ok(kubectl(&api, &["get", "deploy", "reasoning-service", "-n", NS]));
    let row: Vec<&str> = out.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(row[..4], ["reasoning-service", "4/4", "4", "4"], "{out}");
    let out = ok(kubectl(
        &api,
        &["get", "pods", "-n", NS, "-l", "app.kubernetes.io/name=reasoning-service"],
    ));
    assert_eq!(
        out.lines().filter(|l| l.contains(" 1/1 ") && l.contains(" Running ")).count(),
        4,
        "{out}"
    );
}

#[test]
fn rollout_status_times_out_on_a_stall_and_fails_past_the_deadline() {
    let api = incident_api();
    api.rollout(NS, "api-service", Rollout::Stall, NewPods::Ready);
    api.rollout(NS, "websocket-gateway", Rollout::DeadlineExceeded, NewPods::Ready);
    ok(kubectl(
        &api,
        &["rollout", "restart", "deploy/api-service", "deploy/websocket-gateway", "-n", NS],
    ));

    let started = Instant::now();
    let mut c = kubectl(&api, &["rollout", "status", "deploy/api-service", "-n", NS, "--timeout=2s"]);
    let out = run(&mut c);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("Waiting for deployment \"api-service\" rollout to finish: 2 out of 3 new replicas have been updated..."),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("error: timed out waiting for the condition"),
        "{}",
        stderr(&out)
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let d = deploy(&api, "api-service");
    let progressing = d["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Progressing")
        .unwrap()
        .clone();
    assert_eq!(
        (&progressing["status"], &progressing["reason"]),
        (&json!("True"), &json!("ReplicaSetUpdated"))
    );
    assert!(progressing["message"].as_str().unwrap().ends_with("\" is progressing."));
    assert_eq!(d["status"]["updatedReplicas"], 2);

    // A single replica stalls before its new pod.
    api.rollout(NS, "redis", Rollout::Stall, NewPods::Ready);
    ok(kubectl(&api, &["rollout", "restart", "deploy/redis", "-n", NS]));
    let out = run(&mut kubectl(&api, &["rollout", "status", "deploy/redis", "-n", NS, "--timeout=1s"]));
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("Waiting for deployment \"redis\" rollout to finish: 0 out of 1 new replicas have been updated..."),
        "{}",
        stdout(&out)
    );
    assert_eq!(pods_of(&api, "redis").len(), 1);
    assert!(api.get("", "pods", NS, "redis-6c5d4b7f8e-w5n2q").is_some(), "the old pod serves on");

    let err = fails(kubectl(
        &api,
        &["rollout", "status", "deploy/websocket-gateway", "-n", NS, "--timeout=5s"],
    ));
    assert!(
        err.contains("error: deployment \"websocket-gateway\" exceeded its progress deadline"),
        "{err}"
    );
    let d = deploy(&api, "websocket-gateway");
    let progressing = d["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "Progressing")
        .unwrap()
        .clone();
    assert_eq!(
        (&progressing["status"], &progressing["reason"]),
        (&json!("False"), &json!("ProgressDeadlineExceeded"))
    );
    let rs = progressing["message"].as_str().unwrap().split('"').nth(1).unwrap().to_string();
    assert_eq!(progressing["message"], format!("ReplicaSet \"{rs}\" has timed out progressing."));
}

#[test]
fn new_pods_can_crash_loop_or_stay_pending_as_on_a_cluster() {
    let api = incident_api();
    let log = "Traceback (most recent call last):\nredis.exceptions.AuthenticationError: invalid username-password pair\n";
    api.rollout(
        NS,
        "redis",
        Rollout::Complete,
        NewPods::CrashLoop {
            previous_log: log.to_string(),
        },
    );
    let unschedulable = "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
    api.rollout(
        NS,
        "postgres",
        Rollout::DeadlineExceeded,
        NewPods::Pending {
            message: unschedulable.to_string(),
        },
    );
    ok(kubectl(&api, &["rollout", "restart", "deploy/redis", "deploy/postgres", "-n", NS]));

    // Crash-looping pods never become ready, so the rollout does not finish.
    let out = run(&mut kubectl(&api, &["rollout", "status", "deploy/redis", "-n", NS, "--timeout=1s"]));
    assert!(!out.status.success());
    assert!(stdout(&out).contains("1 old replicas are pending termination"), "{}", stdout(&out));
    let new: Vec<Value> = pods_of(&api, "redis")
        .into_iter()
        .filter(|p| p["metadata"]["name"].as_str().unwrap() != "redis-6c5d4b7f8e-w5n2q")
        .collect();
    assert_eq!(new.len(), 1);
    let pod = new[0]["metadata"]["name"].as_str().unwrap().to_string();
    let c = &new[0]["status"]["containerStatuses"][0];
    assert_eq!(c["state"]["waiting"]["reason"], "CrashLoopBackOff");
    assert_eq!(c["lastState"]["terminated"]["exitCode"], 1);
    assert!(c["restartCount"].as_i64().unwrap() > 0);
    assert_eq!(c["ready"], false);
    let out = ok(kubectl(&api, &["logs", &pod, "-n", NS, "--previous"]));
    assert_eq!(out, log);
    let out = ok(kubectl(
        &api,
        &[
            "get",
            "pod",
            &pod,
            "-n",
            NS,
            "-o",
            "jsonpath={.status.containerStatuses[0].state.waiting.reason}",
        ],
    ));
    assert_eq!(out, "CrashLoopBackOff");
    // kubectl's table, printed by the server: READY, STATUS, RESTARTS as on a cluster.
    let out = ok(kubectl(&api, &["get", "pod", &pod, "-n", NS]));
    let row: Vec<&str> = out.lines().nth(1).unwrap().split_whitespace().collect();
    assert_eq!(row[..4], [pod.as_str(), "0/1", "CrashLoopBackOff", "4"], "{out}");
    assert!(row[4].starts_with('(') && row[4].ends_with('s') && row[5] == "ago)", "{out}");
    assert!(
        out.lines().next().unwrap().starts_with("NAME") && out.contains("READY   STATUS"),
        "{out}"
    );
    // The old pod still serves (maxUnavailable rounds down to 0 for one replica).
    assert!(api.get("", "pods", NS, "redis-6c5d4b7f8e-w5n2q").is_some());

    // Pending pods carry the scheduler's condition and event; the deadline passes.
    let err = fails(kubectl(&api, &["rollout", "status", "deploy/postgres", "-n", NS, "--timeout=5s"]));
    assert!(err.contains("deployment \"postgres\" exceeded its progress deadline"), "{err}");
    let pending: Vec<Value> = pods_of(&api, "postgres")
        .into_iter()
        .filter(|p| p["status"]["phase"] == "Pending")
        .collect();
    assert_eq!(pending.len(), 1);
    let p = &pending[0];
    assert!(p["spec"].get("nodeName").is_none());
    let cond = &p["status"]["conditions"][0];
    assert_eq!(
        (&cond["type"], &cond["status"], &cond["reason"], &cond["message"]),
        (
            &json!("PodScheduled"),
            &json!("False"),
            &json!("Unschedulable"),
            &json!(unschedulable)
        )
    );
    let out = ok(kubectl(
        &api,
        &[
            "get",
            "events",
            "-n",
            NS,
            "--field-selector",
            &format!("involvedObject.name={}", p["metadata"]["name"].as_str().unwrap()),
            "-o",
            "jsonpath={.items[*].reason}: {.items[*].message}",
        ],
    ));
    assert_eq!(out, format!("FailedScheduling: {unschedulable}"));
}

#[test]
fn generation_follows_spec_and_annotation_changes_only() {
    let api = incident_api();
    let generation = |api: &KubeApi| deploy(api, "redis")["metadata"]["generation"].as_i64().unwrap();
    let rv = |api: &KubeApi| deploy(api, "redis")["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    assert_eq!(generation(&api), 3);
    ok(kubectl(&api, &["label", "deploy", "redis", "-n", NS, "tier=cache"]));
    assert_eq!(generation(&api), 3, "labels are not spec");
    // The status subresource changes status only; the main resource ignores status.
    let before = rv(&api);
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "--subresource=status",
            "--type=merge",
            "-p",
            r#"{"status":{"readyReplicas":0},"spec":{"replicas":5}}"#,
        ],
    ));
    let d = deploy(&api, "redis");
    assert_eq!(
        (generation(&api), &d["spec"]["replicas"], d["status"].get("readyReplicas")),
        (3, &json!(1), Some(&json!(0)))
    );
    assert_ne!(rv(&api), before);
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "--type=merge",
            "-p",
            r#"{"status":{"readyReplicas":3}}"#,
        ],
    ));
    assert_eq!(deploy(&api, "redis")["status"]["readyReplicas"], 0);
    // A write that changes nothing keeps the resourceVersion.
    let before = rv(&api);
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "--type=merge",
            "-p",
            r#"{"spec":{"replicas":1}}"#,
        ],
    ));
    assert_eq!(rv(&api), before);
    // Spec and (for Deployments) annotations bump it.
    ok(kubectl(&api, &["annotate", "deploy", "redis", "-n", NS, "team=platform"]));
    assert_eq!(generation(&api), 4);
    ok(kubectl(&api, &["scale", "deploy", "redis", "-n", NS, "--replicas=2"]));
    assert_eq!(generation(&api), 5);
    // The controller catches up and scales the pods.
    wait_until("the scale-up", Duration::from_secs(5), || {
        let d = deploy(&api, "redis");
        d["status"]["observedGeneration"] == 5 && d["status"]["availableReplicas"] == 2
    });
    // Same template, same ReplicaSet: the pod that was there stays, one more joins it.
    let pods = pods_of(&api, "redis");
    assert_eq!(pods.len(), 2);
    assert!(pods.iter().any(|p| p["metadata"]["name"] == "redis-6c5d4b7f8e-w5n2q"));
    assert!(
        pods.iter().all(|p| p["metadata"]["labels"]["pod-template-hash"] == "6c5d4b7f8e"),
        "{pods:#?}"
    );
    let sets: Vec<Value> = api
        .list("apps/replicasets", NS)
        .into_iter()
        .filter(|rs| rs["metadata"]["name"].as_str().unwrap().starts_with("redis-"))
        .collect();
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0]["spec"]["replicas"], 2);
}

#[test]
fn creates_and_deletes_answer_as_the_api_does_and_dry_runs_store_nothing() {
    let api = incident_api();
    let out = ok(kubectl(&api, &["create", "secret", "generic", "s", "-n", NS, "--from-literal=k=v"]));
    assert_eq!(out, "secret/s created\n");
    assert_eq!(
        ok(kubectl(&api, &["get", "secret", "s", "-n", NS, "-o", "jsonpath={.data.k} {.type}"])),
        "dg== Opaque"
    );
    let s = api.get("", "secrets", NS, "s").unwrap();
    assert!(s["metadata"]["uid"].as_str().unwrap().len() == 36 && s["metadata"]["creationTimestamp"].is_string());
    let err = fails(kubectl(&api, &["create", "secret", "generic", "s", "-n", NS, "--from-literal=k=v"]));
    assert!(err.contains("secrets \"s\" already exists"), "{err}");

    // The raw API: 201 with the object, 409 AlreadyExists, generateName.
    let post = |body: Value, query: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", api.port)).unwrap();
        let body = body.to_string();
        write!(s, "POST /api/v1/namespaces/aiwfe/secrets{query} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        (
            head.lines().next().unwrap().to_string(),
            serde_json::from_str::<Value>(body).unwrap(),
        )
    };
    let (line, v) = post(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}), "");
    assert_eq!(line, "HTTP/1.1 409 Conflict");
    assert_eq!(
        v,
        json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "secrets \"s\" already exists", "reason": "AlreadyExists", "details": {"name": "s", "kind": "secrets"}, "code": 409})
    );
    let (line, v) = post(
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"generateName": "tok-"}, "stringData": {"a": "b"}}),
        "",
    );
    assert_eq!(line, "HTTP/1.1 201 Created");
    let name = v["metadata"]["name"].as_str().unwrap();
    assert!(name.starts_with("tok-") && name.len() == 9, "{name}");
    assert_eq!((&v["data"]["a"], v.get("stringData")), (&json!("Yg=="), None));
    assert!(api.get("", "secrets", NS, name).is_some());

    // Dry runs: the answer, no object, no new resourceVersion.
    let rv = list_rv(&api, "/api/v1/namespaces/aiwfe/secrets");
    let (line, v) = post(
        json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "dry"}}),
        "?dryRun=All",
    );
    assert_eq!((line.as_str(), &v["metadata"]["name"]), ("HTTP/1.1 201 Created", &json!("dry")));
    ok(kubectl(
        &api,
        &[
            "create",
            "secret",
            "generic",
            "dry2",
            "-n",
            NS,
            "--from-literal=k=v",
            "--dry-run=server",
        ],
    ));
    ok(kubectl(&api, &["delete", "secret", "s", "-n", NS, "--dry-run=server"]));
    assert!(api.get("", "secrets", NS, "dry").is_none() && api.get("", "secrets", NS, "dry2").is_none());
    assert!(api.get("", "secrets", NS, "s").is_some());
    assert_eq!(list_rv(&api, "/api/v1/namespaces/aiwfe/secrets"), rv);

    let out = ok(kubectl(&api, &["delete", "secret", "s", "-n", NS]));
    assert_eq!(out, "secret \"s\" deleted\n");
    assert!(api.get("", "secrets", NS, "s").is_none());
    let err = fails(kubectl(&api, &["delete", "secret", "s", "-n", NS]));
    assert!(err.contains("Error from server (NotFound): secrets \"s\" not found"), "{err}");
    let err = fails(kubectl(&api, &["get", "deploy", "nope", "-n", NS]));
    assert!(
        err.contains("Error from server (NotFound): deployments.apps \"nope\" not found"),
        "{err}"
    );

    // Deleting a Deployment takes its ReplicaSets and pods with it.
    ok(kubectl(&api, &["delete", "deploy", "redis", "-n", NS]));
    assert!(api.get("apps", "replicasets", NS, "redis-6c5d4b7f8e").is_none());
    assert!(pods_of(&api, "redis").is_empty());
}

#[test]
fn kubectl_patches_of_each_type_merge_as_the_api_does() {
    let api = incident_api();
    let d = |api: &KubeApi| deploy(api, "reasoning-service");
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "reasoning-service",
            "-n",
            NS,
            "--type=json",
            "-p",
            r#"[{"op":"replace","path":"/spec/replicas","value":2}]"#,
        ],
    ));
    assert_eq!(d(&api)["spec"]["replicas"], 2);
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "reasoning-service",
            "-n",
            NS,
            "--type=merge",
            "-p",
            r#"{"spec":{"revisionHistoryLimit":3}}"#,
        ],
    ));
    assert_eq!(d(&api)["spec"]["revisionHistoryLimit"], 3);
    // Strategic merge (kubectl's default): the container list merges by name.
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "reasoning-service",
            "-n",
            NS,
            "-p",
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"reasoning","image":"ghcr.io/aiwfe/reasoning-service:1.8.3"}]}}}}"#,
        ],
    ));
    let c = d(&api)["spec"]["template"]["spec"]["containers"][0].clone();
    assert_eq!(c["image"], "ghcr.io/aiwfe/reasoning-service:1.8.3");
    assert_eq!(c["env"].as_array().unwrap().len(), 5, "env kept: {c}");
    assert_eq!(c["ports"][0]["containerPort"], 8000);

    // A server-side dry run changes nothing, and came before the real write.
    let before = d(&api);
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "reasoning-service",
            "-n",
            NS,
            "--type=merge",
            "-p",
            r#"{"spec":{"replicas":9}}"#,
            "--dry-run=server",
        ],
    ));
    assert_eq!(
        (&d(&api)["spec"], &d(&api)["metadata"]["generation"]),
        (&before["spec"], &before["metadata"]["generation"])
    );
    let last = api.writes().last().unwrap().clone();
    assert!(
        last.dry_run && last.method == "PATCH" && last.content_type == "application/merge-patch+json",
        "{last:?}"
    );

    // kubectl set env / set resources send strategic patches that merge env and containers.
    ok(kubectl(
        &api,
        &["set", "env", "deploy/reasoning-service", "-n", NS, "FOO=bar", "LOG_LEVEL=DEBUG"],
    ));
    let env = d(&api)["spec"]["template"]["spec"]["containers"][0]["env"].clone();
    let names: Vec<&str> = env.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD", "DATABASE_URL", "LOG_LEVEL", "FOO"]
    );
    assert_eq!(env[4]["value"], "DEBUG");
    assert_eq!(env[2]["valueFrom"]["secretKeyRef"]["name"], "redis-auth");
    let w = api.writes().last().unwrap().clone();
    assert_eq!(
        (w.method.as_str(), w.content_type.as_str(), w.dry_run),
        ("PATCH", "application/strategic-merge-patch+json", false)
    );
    ok(kubectl(&api, &["set", "env", "deploy/reasoning-service", "-n", NS, "FOO-"]));
    assert_eq!(
        d(&api)["spec"]["template"]["spec"]["containers"][0]["env"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    ok(kubectl(
        &api,
        &["set", "resources", "deploy/reasoning-service", "-n", NS, "--limits=cpu=3"],
    ));
    let res = d(&api)["spec"]["template"]["spec"]["containers"][0]["resources"].clone();
    assert_eq!(
        res,
        json!({"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "3", "memory": "4Gi"}})
    );
    // `$patch: delete` removes one list item by its key.
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "reasoning-service",
            "-n",
            NS,
            "-p",
            r#"{"spec":{"template":{"spec":{"containers":[{"name":"reasoning","env":[{"name":"LOG_LEVEL","$patch":"delete"}]}]}}}}"#,
        ],
    ));
    let env = d(&api)["spec"]["template"]["spec"]["containers"][0]["env"].clone();
    assert!(env.as_array().unwrap().iter().all(|e| e["name"] != "LOG_LEVEL") && env.as_array().unwrap().len() == 4);

    // rollout restart: a template annotation, a new generation.
    let generation = d(&api)["metadata"]["generation"].as_i64().unwrap();
    let out = ok(kubectl(&api, &["rollout", "restart", "deploy/reasoning-service", "-n", NS]));
    assert_eq!(out, "deployment.apps/reasoning-service restarted\n");
    let after = d(&api);
    assert_eq!(after["metadata"]["generation"], generation + 1);
    assert!(after["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"].is_string());
}

#[test]
fn stale_resource_versions_and_failed_tests_conflict_as_the_api_answers() {
    let api = incident_api();
    let before = deploy(&api, "redis")["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    ok(kubectl(&api, &["label", "deploy", "redis", "-n", NS, "x=1"]));
    let conflict = "Error from server (Conflict): Operation cannot be fulfilled on deployments.apps \"redis\": the object has been modified; please apply your changes to the latest version and try again";
    for (ty, patch) in [
        (
            "merge",
            format!(r#"{{"metadata":{{"resourceVersion":"{before}"}},"spec":{{"replicas":3}}}}"#),
        ),
        (
            "strategic",
            format!(r#"{{"metadata":{{"resourceVersion":"{before}"}},"spec":{{"replicas":3}}}}"#),
        ),
        (
            "json",
            format!(
                r#"[{{"op":"replace","path":"/metadata/resourceVersion","value":"{before}"}},{{"op":"replace","path":"/spec/replicas","value":3}}]"#
            ),
        ),
    ] {
        let err = fails(kubectl(
            &api,
            &["patch", "deploy", "redis", "-n", NS, &format!("--type={ty}"), "-p", &patch],
        ));
        assert!(err.contains(conflict), "{ty}: {err}");
    }
    assert_eq!(deploy(&api, "redis")["spec"]["replicas"], 1);
    // The current resourceVersion passes.
    let now = deploy(&api, "redis")["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "--type=merge",
            "-p",
            &format!(r#"{{"metadata":{{"resourceVersion":"{now}"}},"spec":{{"replicas":3}}}}"#),
        ],
    ));
    assert_eq!(deploy(&api, "redis")["spec"]["replicas"], 3);

    // A JSON Patch whose test fails: 422, the patch library's message withheld.
    let err = fails(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "--type=json",
            "-p",
            r#"[{"op":"test","path":"/spec/replicas","value":7},{"op":"replace","path":"/spec/replicas","value":8}]"#,
        ],
    ));
    assert_eq!(
        err.trim(),
        "The request is invalid: the server rejected our request due to an error in our request"
    );
    let w = api.writes().last().unwrap().clone();
    assert_eq!((w.code, w.content_type.as_str()), (422, "application/json-patch+json"));
    assert_eq!(deploy(&api, "redis")["spec"]["replicas"], 3);

    // kubectl replace with a stale object: kubectl's own conflict message.
    ok(kubectl(&api, &["create", "secret", "generic", "s", "-n", NS, "--from-literal=k=v"]));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.yaml");
    std::fs::write(&file, ok(kubectl(&api, &["get", "secret", "s", "-n", NS, "-o", "yaml"]))).unwrap();
    ok(kubectl(&api, &["patch", "secret", "s", "-n", NS, "-p", r#"{"data":{"k":"dzI="}}"#]));
    let err = fails(kubectl(&api, &["replace", "-f", file.to_str().unwrap()]));
    assert_eq!(
        err.trim(),
        format!(
            "Error from server (Conflict): error when replacing \"{}\": Operation cannot be fulfilled on secrets \"s\": the object has been modified; please apply your changes to the latest version and try again",
            file.display()
        )
    );
    assert_eq!(api.get("", "secrets", NS, "s").unwrap()["data"]["k"], "dzI=");
}

#[test]
fn rejections_and_validation_fail_writes_with_real_statuses() {
    let api = incident_api();
    let invalid = "Deployment.apps \"redis\" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1";
    // Built-in validation: requests above limits.
    let err = fails(kubectl(
        &api,
        &["set", "resources", "deploy/redis", "-n", NS, "--requests=cpu=2", "--limits=cpu=1"],
    ));
    assert!(err.contains(invalid), "{err}");
    let w = api.writes().last().unwrap().clone();
    assert_eq!(w.code, 422);
    // The selector must match the template's labels.
    let err = fails(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "-p",
            r#"{"spec":{"template":{"metadata":{"labels":{"app.kubernetes.io/name":"other"}}}}}"#,
        ],
    ));
    assert!(err.contains("spec.template.metadata.labels: Invalid value: map[string]string{\"app.kubernetes.io/name\":\"other\", \"app.kubernetes.io/part-of\":\"aiwfe\"}: `selector` does not match template `labels`"), "{err}");
    // Quantities must parse.
    let err = fails(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "--type=json",
            "-p",
            r#"[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/cpu","value":"lots"}]"#,
        ],
    ));
    assert!(err.contains("quantities must match the regular expression"), "{err}");
    assert_eq!(api.writes().last().unwrap().code, 400);
    let generation = deploy(&api, "redis")["metadata"]["generation"].clone();
    assert_eq!(generation, 3, "nothing was stored");

    // An injected rejection applies to dry runs too.
    api.reject("apps/deployments", NS, "redis", 422, "Invalid", invalid);
    let err = fails(kubectl(
        &api,
        &["scale", "deploy", "redis", "-n", NS, "--replicas=3", "--dry-run=server"],
    ));
    assert_eq!(
        err.trim(),
        "The Deployment \"redis\" is invalid: spec.template.spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"
    );
    let w = api.writes().last().unwrap().clone();
    assert!(w.dry_run && w.code == 422, "{w:?}");

    // An admission webhook's denial, phrased and coded as the API server does.
    let msg = "\n\nresource Deployment/aiwfe/api-service was blocked due to the following policies\n\nrequire-limits:\n  check-limits: CPU and memory limits are required";
    api.deny_by_webhook("apps/deployments", NS, "api-service", "validate.kyverno.svc-fail", msg);
    let err = fails(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "api-service",
            "-n",
            NS,
            "--type=merge",
            "-p",
            r#"{"spec":{"replicas":1}}"#,
        ],
    ));
    assert_eq!(
        err.trim_end(),
        format!(
            "Error from server: admission webhook \"validate.kyverno.svc-fail\" denied the request: {}",
            msg.trim_end()
        )
    );
    assert_eq!(api.writes().last().unwrap().code, 400);
    let err = fails(kubectl(&api, &["set", "env", "deploy/api-service", "-n", NS, "A=b"]));
    assert!(
        err.contains(
            "admission webhook \"validate.kyverno.svc-fail\" denied the request: \n\nresource Deployment/aiwfe/api-service was blocked"
        ),
        "{err}"
    );
    assert!(
        deploy(&api, "api-service")["spec"]["template"]["spec"]["containers"][0]["env"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["name"] != "A")
    );
    // Other objects are not affected.
    ok(kubectl(&api, &["scale", "deploy", "postgres", "-n", NS, "--replicas=1"]));
}

#[test]
fn a_concurrent_writer_turns_a_stale_write_into_a_conflict() {
    let api = incident_api();
    let current = deploy(&api, "redis");
    let rv = current["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    api.interfere("apps/deployments", NS, "redis", json!({"metadata": {"labels": {"owner": "other"}}}));
    // A dry run does not trigger the other writer.
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "--type=merge",
            "--dry-run=server",
            "-p",
            &format!(r#"{{"metadata":{{"resourceVersion":"{rv}"}},"spec":{{"replicas":2}}}}"#),
        ],
    ));
    assert_eq!(deploy(&api, "redis")["metadata"]["resourceVersion"], rv.as_str());
    // The real write carries the version it read: the other writer got there first.
    let err = fails(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "--type=merge",
            "-p",
            &format!(r#"{{"metadata":{{"resourceVersion":"{rv}"}},"spec":{{"replicas":2}}}}"#),
        ],
    ));
    assert!(err.contains("the object has been modified"), "{err}");
    let after = deploy(&api, "redis");
    assert_eq!(
        (&after["metadata"]["labels"]["owner"], &after["spec"]["replicas"]),
        (&json!("other"), &json!(1))
    );
    assert_eq!(
        after["metadata"]["generation"], current["metadata"]["generation"],
        "labels are no spec"
    );
    assert_ne!(after["metadata"]["resourceVersion"], rv.as_str());
    // The other writer's change was a watch event like any other.
    let mut w = RawWatch::open(
        &api,
        &format!(
            "/apis/apps/v1/namespaces/aiwfe/deployments?watch=true&resourceVersion={rv}&fieldSelector=metadata.name%3Dredis&timeoutSeconds=1"
        ),
    );
    let e = w.next().unwrap();
    assert_eq!(
        (e["type"].as_str(), &e["object"]["metadata"]["labels"]["owner"]),
        (Some("MODIFIED"), &json!("other"))
    );
    // Only once: a retry with the fresh version goes through.
    let fresh = after["metadata"]["resourceVersion"].as_str().unwrap();
    ok(kubectl(
        &api,
        &[
            "patch",
            "deploy",
            "redis",
            "-n",
            NS,
            "--type=merge",
            "-p",
            &format!(r#"{{"metadata":{{"resourceVersion":"{fresh}"}},"spec":{{"replicas":2}}}}"#),
        ],
    ));
    assert_eq!(deploy(&api, "redis")["spec"]["replicas"], 2);

    // Someone else edits the object now: a PUT of what we read before conflicts.
    let read = deploy(&api, "redis");
    let changed = api.patch_now(
        "apps/deployments",
        NS,
        "redis",
        json!({"metadata": {"annotations": {"owner": "someone-else"}}}),
    );
    assert_eq!(
        changed["metadata"]["generation"],
        read["metadata"]["generation"].as_i64().unwrap() + 1
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("d.json");
    let mut mine = read.clone();
    mine["spec"]["replicas"] = json!(5);
    std::fs::write(&file, mine.to_string()).unwrap();
    let err = fails(kubectl(&api, &["replace", "-f", file.to_str().unwrap()]));
    assert!(err.contains("Operation cannot be fulfilled on deployments.apps \"redis\""), "{err}");
    assert_eq!(deploy(&api, "redis")["spec"]["replicas"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kube_watcher_lists_again_when_its_version_has_expired() {
    use futures::StreamExt;
    use k8s_openapi::api::apps::v1::Deployment;
    use kube::runtime::watcher;

    let api = incident_api();
    let deployments: kube::Api<Deployment> = kube::Api::namespaced(kube_client(&api).await, NS);
    // Short watches without bookmarks, so the next one resumes from the version it listed.
    let config = watcher::Config::default()
        .fields("metadata.name=redis")
        .timeout(1)
        .disable_bookmarks();
    let mut events = watcher(deployments, config).boxed();
    type Events = futures::stream::BoxStream<'static, Result<watcher::Event<Deployment>, watcher::Error>>;
    async fn next(events: &mut Events) -> watcher::Event<Deployment> {
        tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap()
    }
    assert!(matches!(next(&mut events).await, watcher::Event::Init));
    assert!(matches!(next(&mut events).await, watcher::Event::InitApply(_)));
    assert!(matches!(next(&mut events).await, watcher::Event::InitDone));
    let lists = || {
        api.requests()
            .iter()
            .filter(|r| r.starts_with("GET /apis/apps/v1/namespaces/aiwfe/deployments?") && !r.contains("watch="))
            .count()
    };
    assert_eq!(lists(), 1);
    // Writes it does not watch, then compaction: its version is gone from the log.
    api.patch_now("apps/deployments", NS, "postgres", json!({"metadata": {"labels": {"x": "1"}}}));
    api.compact();
    // The next watch is answered Expired; the watcher says so, lists again and carries on.
    match tokio::time::timeout(Duration::from_secs(5), events.next()).await.unwrap().unwrap() {
        Err(watcher::Error::WatchError(status)) => {
            assert_eq!((status.code, status.reason.as_str()), (410, "Expired"));
            assert!(status.message.starts_with("too old resource version: "), "{status:?}");
        }
        other => panic!("expected the 410, got {other:?}"),
    }
    assert!(matches!(next(&mut events).await, watcher::Event::Init));
    assert!(matches!(next(&mut events).await, watcher::Event::InitApply(_)));
    assert!(matches!(next(&mut events).await, watcher::Event::InitDone));
    assert_eq!(lists(), 2);
    api.patch_now("apps/deployments", NS, "redis", json!({"metadata": {"labels": {"x": "2"}}}));
    match next(&mut events).await {
        watcher::Event::Apply(d) => assert_eq!(d.metadata.labels.unwrap()["x"], "2"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kube_watcher_streams_its_initial_list_over_the_watch() {
    use futures::StreamExt;
    use k8s_openapi::api::apps::v1::Deployment;
    use kube::runtime::watcher;

    let api = incident_api();
    let deployments: kube::Api<Deployment> = kube::Api::namespaced(kube_client(&api).await, NS);
    let config = watcher::Config::default()
        .labels("app.kubernetes.io/name in (redis,postgres)")
        .streaming_lists();
    let mut events = watcher(deployments, config).boxed();
    let mut initial = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(5), events.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap()
        {
            watcher::Event::Init => {}
            watcher::Event::InitApply(d) => initial.push(d.metadata.name.unwrap()),
            watcher::Event::InitDone => break,
            other => panic!("{other:?}"),
        }
    }
    initial.sort();
    assert_eq!(initial, ["postgres", "redis"]);
    // No list request: the state came over the watch.
    assert!(
        api.requests()
            .iter()
            .all(|r| !r.starts_with("GET /apis/apps/v1/namespaces/aiwfe/deployments?") || r.contains("watch=true"))
    );
    api.patch_now("apps/deployments", NS, "postgres", json!({"metadata": {"labels": {"x": "1"}}}));
    match tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap()
    {
        watcher::Event::Apply(d) => assert_eq!(d.metadata.name.as_deref(), Some("postgres")),
        other => panic!("{other:?}"),
    }
}
