//! Lists and replaces on the test Kubernetes API server (tests/support/kubeapi.rs) as the
//! real API server answers them, checked through the real `kubectl` and the kube client:
//! opaque continue tokens, their expiry at a compaction, PUT without a resourceVersion, and
//! dry-run values other than `All`.

use crate::support::kubeapi::KubeApi;
use crate::support::*;
use base64::Engine as _;
use serde_json::{Value, json};
use std::io::{Read, Write as _};
use std::net::{Shutdown, TcpStream};
use std::process::Command;

fn pod(ns: &str, name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns}, "spec": {"containers": [{"name": "c", "image": "x"}]}})
}

fn with_pods(pods: &[(&str, &str)]) -> KubeApi {
    let api = KubeApi::start();
    let items: Vec<Value> = pods.iter().map(|(ns, name)| pod(ns, name)).collect();
    api.load(json!({"kind": "List", "items": items}));
    api
}

fn kubectl(api: &KubeApi, args: &[&str]) -> Command {
    let mut c = api.kubectl();
    c.args(args);
    c
}

/// One request over plain HTTP (a PATCH as a merge patch): the status code and the JSON body.
fn send(api: &KubeApi, method: &str, path_and_query: &str, body: &str) -> (u16, Value) {
    let ctype = if method == "PATCH" {
        "application/merge-patch+json"
    } else {
        "application/json"
    };
    let mut s = TcpStream::connect(("127.0.0.1", api.port)).unwrap();
    write!(
        s,
        "{method} {path_and_query} HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let code = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (code, serde_json::from_str(body).unwrap())
}

fn get(api: &KubeApi, path_and_query: &str) -> (u16, Value) {
    send(api, "GET", path_and_query, "")
}

fn names(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["metadata"]["name"].as_str().unwrap().to_string())
        .collect()
}

fn token(list: &Value) -> String {
    list["metadata"]["continue"]
        .as_str()
        .unwrap_or_else(|| panic!("no continue token: {list}"))
        .to_string()
}

#[test]
fn kubectl_pages_through_every_namespace_with_the_servers_opaque_tokens() {
    let api = with_pods(&[
        ("a", "p0"),
        ("a", "p1"),
        ("a", "p2"),
        ("b", "q0"),
        ("b", "q1"),
        ("c", "r0"),
        ("c", "r1"),
    ]);
    let out = ok(kubectl(&api, &["get", "pods", "-A", "--chunk-size=2", "-o", "name"]));
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["pod/p0", "pod/p1", "pod/p2", "pod/q0", "pod/q1", "pod/r0", "pod/r1"]
    );
    // The human table comes in the same pages, one header.
    let table = ok(kubectl(&api, &["get", "pods", "-A", "--chunk-size=3"]));
    assert_eq!(table.lines().filter(|l| l.starts_with("NAMESPACE")).count(), 1, "{table}");
    assert_eq!(table.lines().count(), 8, "{table}");

    let lists: Vec<String> = api.requests().into_iter().filter(|r| r.starts_with("GET /api/v1/pods?")).collect();
    assert_eq!(lists.len(), 4 + 3, "{lists:?}");
    let tokens: Vec<String> = lists
        .iter()
        .filter_map(|r| url::Url::parse(&format!("http://x{}", r.trim_start_matches("GET "))).ok())
        .filter_map(|u| u.query_pairs().find(|(k, _)| k == "continue").map(|(_, v)| v.into_owned()))
        .collect();
    assert_eq!(tokens.len(), 3 + 2, "{lists:?}");
    // As the real server encodes them: unpadded URL-safe base64 of its JSON, the next key
    // after the last item returned, relative to the list's prefix.
    let decoded: Vec<Value> = tokens
        .iter()
        .map(|t| serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(t).unwrap()).unwrap())
        .collect();
    assert_eq!(decoded[0]["v"], "meta.k8s.io/v1");
    assert!(decoded[0]["rv"].as_i64().unwrap() > 0, "{}", decoded[0]);
    let starts: Vec<&str> = decoded.iter().map(|d| d["start"].as_str().unwrap()).collect();
    assert_eq!(starts, ["a/p1\0", "b/q0\0", "c/r0\0", "a/p2\0", "c/r0\0"]);
}

#[test]
fn lists_across_namespaces_follow_the_storage_keys_order_page_after_page() {
    // etcd orders `a-b/x` before `a/p` ('-' sorts before '/'), not namespace by namespace.
    let api = with_pods(&[("a", "p0"), ("a", "p1"), ("a-b", "x0"), ("a0", "y0"), ("b", "q0")]);
    let (_, whole) = get(&api, "/api/v1/pods");
    let order = ["x0", "p0", "p1", "y0", "q0"];
    assert_eq!(names(&whole), order);
    let mut paged = Vec::new();
    let (_, mut page) = get(&api, "/api/v1/pods?limit=2");
    loop {
        paged.extend(names(&page));
        let Some(t) = page["metadata"]["continue"].as_str().map(str::to_string) else {
            break;
        };
        assert_eq!(page["metadata"]["remainingItemCount"], order.len() - paged.len(), "{page}");
        page = get(&api, &format!("/api/v1/pods?limit=2&continue={t}")).1;
    }
    assert_eq!(paged, order);
    let out = ok(kubectl(&api, &["get", "pods", "-A", "--chunk-size=1", "-o", "name"]));
    assert_eq!(out.lines().collect::<Vec<_>>(), order.map(|n| format!("pod/{n}")));
}

#[test]
fn a_continued_list_goes_on_after_its_last_key_when_objects_come_and_go() {
    let api = with_pods(&[("a", "p0"), ("a", "p1"), ("a", "p2"), ("a", "p3")]);
    let (code, first) = get(&api, "/api/v1/namespaces/a/pods?limit=2");
    assert_eq!(code, 200);
    assert_eq!(names(&first), ["p0", "p1"]);
    assert_eq!(first["metadata"]["remainingItemCount"], 2);
    // Between the pages one pod that was returned goes and one after it comes: the next
    // page starts after p1 all the same (an offset would skip p2).
    ok(kubectl(&api, &["delete", "pod", "p0", "-n", "a", "--wait=false"]));
    ok(kubectl(&api, &["run", "p1a", "-n", "a", "--image=x"]));
    let (code, second) = get(&api, &format!("/api/v1/namespaces/a/pods?limit=2&continue={}", token(&first)));
    assert_eq!(code, 200, "{second}");
    assert_eq!(names(&second), ["p1a", "p2"]);
    // The continued list keeps the first page's version.
    assert_eq!(second["metadata"]["resourceVersion"], first["metadata"]["resourceVersion"]);
    let (_, third) = get(&api, &format!("/api/v1/namespaces/a/pods?limit=2&continue={}", token(&second)));
    assert_eq!(names(&third), ["p3"]);
    assert!(third["metadata"].get("continue").is_none(), "{third}");

    // A token that is not one: 400, as kubectl shows it.
    let err = fails(kubectl(&api, &["get", "--raw", "/api/v1/namespaces/a/pods?limit=2&continue=500"]));
    assert!(
        err.starts_with("Error from server (BadRequest): invalid continue token: continue key is not valid"),
        "{err}"
    );
}

#[test]
fn a_token_from_before_a_compaction_is_expired_and_carries_one_for_the_rest() {
    let api = with_pods(&[("a", "p0"), ("a", "p1"), ("a", "p2")]);
    let (_, first) = get(&api, "/api/v1/namespaces/a/pods?limit=2");
    let stale = token(&first);
    // Still good while no compaction passed it.
    api.compact();
    assert_eq!(get(&api, &format!("/api/v1/namespaces/a/pods?limit=2&continue={stale}")).0, 200);
    ok(kubectl(&api, &["run", "p3", "-n", "a", "--image=x"]));
    api.compact();
    let err = fails(kubectl(
        &api,
        &["get", "--raw", &format!("/api/v1/namespaces/a/pods?limit=2&continue={stale}")],
    ));
    assert!(
        err.starts_with("Error from server (Expired): The provided continue parameter is too old to display a consistent list result."),
        "{err}"
    );
    let (code, status) = get(&api, &format!("/api/v1/namespaces/a/pods?limit=2&continue={stale}"));
    assert_eq!(
        (code, status["kind"].as_str(), status["reason"].as_str()),
        (410, Some("Status"), Some("Expired")),
        "{status}"
    );
    // Its token goes on after the same key, at the latest version.
    let (code, rest) = get(&api, &format!("/api/v1/namespaces/a/pods?limit=2&continue={}", token(&status)));
    assert_eq!(code, 200, "{rest}");
    assert_eq!(names(&rest), ["p2", "p3"]);
    assert_ne!(rest["metadata"]["resourceVersion"], first["metadata"]["resourceVersion"]);

    // The kube client sees the same error.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use k8s_openapi::api::core::v1::Pod;
        use kube::api::{Api, ListParams};
        let pods: Api<Pod> = Api::namespaced(client(&api).await, "a");
        let page = pods.list(&ListParams::default().limit(3)).await.unwrap();
        assert_eq!(page.items.len(), 3);
        let next = page.metadata.continue_.clone().unwrap();
        let rest = pods.list(&ListParams::default().limit(3).continue_token(&next)).await.unwrap();
        assert_eq!(
            rest.items.iter().map(|p| p.metadata.name.clone().unwrap()).collect::<Vec<_>>(),
            ["p3"]
        );
        ok(kubectl(&api, &["delete", "pod", "p3", "-n", "a", "--wait=false"]));
        api.compact();
        match pods.list(&ListParams::default().limit(3).continue_token(&next)).await {
            Err(kube::Error::Api(e)) => assert_eq!((e.code, e.reason.as_str()), (410, "Expired"), "{e:?}"),
            other => panic!("expected 410 Expired, got {other:?}"),
        }
    });
}

#[test]
fn put_without_a_resource_version_replaces_whatever_is_stored() {
    let api = KubeApi::start();
    ok(kubectl(
        &api,
        &["create", "secret", "generic", "s", "-n", "a", "--from-literal=k=v"],
    ));
    // Another writer changes it first; a PUT that names no version still wins.
    ok(kubectl(
        &api,
        &["patch", "secret", "s", "-n", "a", "-p", r#"{"data":{"k":"dzI="}}"#],
    ));
    let read = api.get("", "secrets", "a", "s").unwrap();
    let rv = |v: &Value| v["metadata"]["resourceVersion"].as_str().unwrap().parse::<u64>().unwrap();
    let path = "/api/v1/namespaces/a/secrets/s";
    let mine = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s", "namespace": "a"}, "data": {"k": "bWluZQ=="}});
    let (code, stored) = send(&api, "PUT", path, &mine.to_string());
    assert_eq!(code, 200, "{stored}");
    assert_eq!(stored["data"]["k"], "bWluZQ==");
    assert!(rv(&stored) > rv(&read), "{stored}");
    assert_eq!(stored["metadata"]["uid"], read["metadata"]["uid"]);
    assert_eq!(api.get("", "secrets", "a", "s").unwrap()["data"]["k"], "bWluZQ==");
    // The version it was read at is a precondition once that has moved on.
    let mut stale = mine.clone();
    stale["metadata"]["resourceVersion"] = read["metadata"]["resourceVersion"].clone();
    stale["data"]["k"] = json!("djM=");
    let (code, status) = send(&api, "PUT", path, &stale.to_string());
    assert_eq!((code, status["reason"].as_str()), (409, Some("Conflict")), "{status}");
    assert_eq!(api.get("", "secrets", "a", "s").unwrap()["data"]["k"], "bWluZQ==");

    // The kube client's replace sends the object as it is: no version, no precondition.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use k8s_openapi::api::core::v1::Secret;
        use kube::api::{Api, PostParams};
        let secrets: Api<Secret> = Api::namespaced(client(&api).await, "a");
        let mut s: Secret = serde_json::from_value(mine.clone()).unwrap();
        s.data
            .as_mut()
            .unwrap()
            .insert("k".into(), k8s_openapi::ByteString(b"kube".to_vec()));
        let out = secrets.replace("s", &PostParams::default(), &s).await.unwrap();
        assert_eq!(out.data.unwrap()["k"].0, b"kube");
    });
    let w = api.writes().last().unwrap().clone();
    assert_eq!((w.method.as_str(), w.code), ("PUT", 200));
    assert!(w.body["metadata"].get("resourceVersion").is_none(), "{}", w.body);
}

#[test]
fn a_dry_run_other_than_all_is_an_invalid_option_of_the_write() {
    let api = KubeApi::start();
    ok(kubectl(
        &api,
        &["create", "secret", "generic", "s", "-n", "a", "--from-literal=k=v"],
    ));
    let path = "/api/v1/namespaces/a/secrets/s";
    let patch = r#"{"data":{"k":"dzI="}}"#;
    for (method, options) in [("PATCH", "PatchOptions"), ("PUT", "UpdateOptions"), ("DELETE", "DeleteOptions")] {
        let body = if method == "PATCH" {
            patch.to_string()
        } else {
            api.get("", "secrets", "a", "s").unwrap().to_string()
        };
        let (code, status) = send(&api, method, &format!("{path}?dryRun=Server"), &body);
        assert_eq!((code, status["reason"].as_str()), (422, Some("Invalid")), "{method}: {status}");
        assert_eq!(
            status["message"],
            format!("{options}.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{{\"Server\"}}: supported values: \"All\""),
        );
        assert_eq!(status["details"]["causes"][0]["field"], "dryRun");
    }
    let (code, status) = send(
        &api,
        "POST",
        "/api/v1/namespaces/a/secrets?dryRun=true",
        &json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t"}}).to_string(),
    );
    assert_eq!((code, status["details"]["kind"].as_str()), (422, Some("CreateOptions")), "{status}");
    // Nothing was written; `All` is still a dry run, and a read ignores the parameter.
    assert_eq!(api.get("", "secrets", "a", "s").unwrap()["data"]["k"], "dg==");
    assert!(api.get("", "secrets", "a", "t").is_none());
    assert_eq!(send(&api, "PATCH", &format!("{path}?dryRun=All"), patch).0, 200);
    assert_eq!(api.get("", "secrets", "a", "s").unwrap()["data"]["k"], "dg==");
    assert_eq!(get(&api, &format!("{path}?dryRun=Server")).0, 200);
}

/// A kube client from the server's kubeconfig, as `src/cluster/live.rs` builds one.
async fn client(api: &KubeApi) -> kube::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let kc = kube::config::Kubeconfig::read_from(&api.kubeconfig).unwrap();
    let cfg = kube::Config::from_custom_kubeconfig(kc, &kube::config::KubeConfigOptions::default())
        .await
        .unwrap();
    kube::Client::try_from(cfg).unwrap()
}
