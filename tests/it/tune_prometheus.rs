//! `aiwfe tune resources --prometheus`: a real Prometheus over backfilled cAdvisor series of
//! the incident's Deployments, the Deployments themselves in the test API server.

use crate::kube_live::incident_api;
use crate::support::prometheus::{ContainerSeries, Prometheus};
use crate::support::*;
use aiwfe::cluster::{quantity, rightsize};
use serde_json::Value;

const MI: f64 = 1024.0 * 1024.0;
const SCRAPE_S: i64 = 30;

/// A small deterministic noise source, so every run backfills the same series.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }
}

fn pod(ns: &str, pod: &str, container: &str, start: i64, points: Vec<(f64, f64)>) -> ContainerSeries {
    ContainerSeries {
        namespace: ns.into(),
        pod: pod.into(),
        container: container.into(),
        node: "aiwfe-cluster-worker".into(),
        image: format!("ghcr.io/aiwfe/{container}:2.3.1"),
        start,
        scrape_s: SCRAPE_S,
        points,
    }
}

/// 20 hours of history ending a minute ago, as the incident's services would leave it:
/// - reasoning-service: 4 replicas mostly idle (8m), busy a quarter of the time (33m),
///   with short bursts (400m): p95 is not the peak; plus a replica of an older ReplicaSet,
///   gone now, whose memory peaked higher than any replica today;
/// - integration-service: steady CPU, memory growing from 200Mi to 600Mi;
/// - api-service: one replica with 50 minutes of history only.
fn incident_history(now: i64) -> Vec<ContainerSeries> {
    let n = 20 * 3600 / SCRAPE_S;
    let start = now - 60 - n * SCRAPE_S;
    let mut noise = Noise(0x7e57);
    let mut out = Vec::new();
    for name in ["2xk4p", "7wq9z", "bq5ts", "m8d2r"] {
        let points = (0..n)
            .map(|i| {
                let share = i as f64 / n as f64;
                let cpu = if share < 0.70 {
                    0.008
                } else if share < 0.97 {
                    0.033
                } else {
                    0.4
                };
                (cpu, 700.0 * MI + noise.next() * 20.0 * MI)
            })
            .collect();
        out.push(pod(
            "aiwfe",
            &format!("reasoning-service-6d8f7c9b54-{name}"),
            "reasoning",
            start,
            points,
        ));
    }
    let gone = (0..n / 3).map(|_| (0.012, 880.0 * MI + noise.next() * 15.0 * MI)).collect();
    out.push(pod("aiwfe", "reasoning-service-5b7c8d9f6a-zq4xw", "reasoning", start, gone));
    for name in ["h5k2n", "q9w4x"] {
        let points = (0..n)
            .map(|i| (0.021 + noise.next() * 0.0015, (200.0 + 400.0 * i as f64 / n as f64) * MI))
            .collect();
        out.push(pod(
            "aiwfe",
            &format!("integration-service-7b5c9d8f66-{name}"),
            "integration",
            start,
            points,
        ));
    }
    let short = 50 * 60 / SCRAPE_S;
    let points = (0..short).map(|_| (0.05 + noise.next() * 0.01, 300.0 * MI)).collect();
    out.push(pod(
        "aiwfe",
        "api-service-84c6f5d7b9-d4f7k",
        "api",
        now - 60 - short * SCRAPE_S,
        points,
    ));
    out
}

/// The requests the recommender should give, computed from the generated series: per
/// replica the nearest-rank p95 of its CPU rate, the busiest replica's counting; the peak
/// working set of all replicas plus 15 %; floors and rounding.
fn expected(series: &[ContainerSeries], pod_prefix: &str) -> (String, String) {
    let mine: Vec<&ContainerSeries> = series.iter().filter(|s| s.pod.starts_with(pod_prefix)).collect();
    let cpu = mine
        .iter()
        .map(|s| rightsize::percentile(&s.points.iter().map(|p| p.0).collect::<Vec<_>>(), 95.0).unwrap())
        .fold(0.0, f64::max);
    let memory = mine.iter().flat_map(|s| s.points.iter().map(|p| p.1.round())).fold(0.0, f64::max);
    (
        quantity::cpu(rightsize::round_cpu(cpu.max(rightsize::CPU_FLOOR_CORES))),
        quantity::memory(rightsize::round_memory((memory * 1.15).max(rightsize::MEMORY_FLOOR_BYTES))),
    )
}

fn rec<'a>(v: &'a Value, workload: &str) -> &'a Value {
    v["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["workload"] == workload)
        .unwrap_or_else(|| panic!("no {workload} in {v}"))
}

#[test]
fn recommendations_from_prometheus_match_the_series_and_apply() {
    let now = jiff::Timestamp::now().as_second();
    let series = incident_history(now);
    let prom = Prometheus::start(&series);
    let api = incident_api();
    let st = tempfile::tempdir().unwrap();
    let tune = |args: &[&str]| {
        run(aiwfe()
            .env("XDG_STATE_HOME", st.path())
            .args(["tune", "resources", "-n", "aiwfe", "--prometheus", &prom.url, "--window", "1d"])
            .args(args)
            .arg("--kubeconfig")
            .arg(&api.kubeconfig))
    };
    let before = prom.queries_run();
    let out = tune(&["-o", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let v = json(&out);
    assert_eq!(v["source"]["kind"], "prometheus");
    assert_eq!(v["source"]["queries"], 7, "{}", v["source"]);
    assert_eq!(prom.queries_run() - before, 7.0, "Prometheus ran exactly the queries aiwfe counted");

    let reasoning = rec(&v, "Deployment/reasoning-service");
    let (cpu, memory) = expected(&series, "reasoning-service-");
    assert_eq!(cpu, "35m");
    assert_eq!(
        reasoning["recommended"]["cpu_request"],
        cpu.as_str(),
        "p95, not the 400m bursts: {reasoning}"
    );
    assert_eq!(
        reasoning["recommended"]["memory_request"],
        memory.as_str(),
        "the gone replica's peak counts: {reasoning}"
    );
    assert_eq!(reasoning["recommended"]["memory_limit"], memory.as_str());
    assert!(reasoning["recommended"]["cpu_limit"].is_null(), "{reasoning}");
    assert_eq!(reasoning["current"]["cpu_request"], "1");
    assert_eq!(reasoning["severity"], "warning", "1 core to 35m: {reasoning}");
    // 5 replicas' 5-minute steps: 4 × 20 h and 1 × 6.7 h.
    let samples = reasoning["samples"].as_u64().unwrap();
    assert!((4 * 240 + 80 - 10..=4 * 240 + 80 + 5).contains(&samples), "{reasoning}");
    let window = reasoning["window_s"].as_u64().unwrap();
    assert!((20 * 3600 - 900..=20 * 3600).contains(&window), "{reasoning}");
    assert!(reasoning["monthly_cost_delta"].as_f64().unwrap() < 0.0, "{reasoning}");

    let integration = rec(&v, "Deployment/integration-service");
    let (cpu, memory) = expected(&series, "integration-service-");
    assert_eq!((cpu.as_str(), memory.as_str()), ("25m", "704Mi"));
    assert_eq!(integration["recommended"]["cpu_request"], cpu.as_str(), "{integration}");
    assert_eq!(
        integration["recommended"]["memory_request"],
        memory.as_str(),
        "growing memory: its latest peak plus 15 %: {integration}"
    );

    let api_service = rec(&v, "Deployment/api-service");
    assert!(api_service["recommended"].is_null(), "{api_service}");
    assert!(api_service["samples"].as_u64().unwrap() < 20, "{api_service}");
    assert!(
        api_service["reason"].as_str().unwrap().contains("at least 20 are needed"),
        "{api_service}"
    );
    let gateway = rec(&v, "Deployment/websocket-gateway");
    assert_eq!(gateway["samples"], 0, "no series for it: {gateway}");

    // The URL may come from the environment, the window from aiwfe.yaml.
    let cfg = st.path().join("aiwfe.yaml");
    std::fs::write(&cfg, "prometheus:\n  window: 1d\n").unwrap();
    let out = run(aiwfe()
        .env("AIWFE_PROMETHEUS_URL", &prom.url)
        .args(["tune", "resources", "-n", "aiwfe", "-o", "json", "--config"])
        .arg(&cfg)
        .arg("--kubeconfig")
        .arg(&api.kubeconfig));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(
        (v["source"]["kind"].as_str(), v["source"]["window_s"].as_u64()),
        (Some("prometheus"), Some(86400))
    );
    assert_eq!(rec(&v, "Deployment/reasoning-service")["recommended"]["cpu_request"], "35m");

    // The table says where the history comes from and how much each row rests on.
    let out = tune(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "usage history: Prometheus {}, the last 1d in steps of 300 s (7 queries)",
            prom.url
        )),
        "{text}"
    );
    assert!(text.contains("samples over 20 h"), "{text}");

    // Applied through the resources playbook.
    let out = tune(&["--deployment", "integration-service", "--apply", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let d = api.get("apps", "deployments", "aiwfe", "integration-service").unwrap();
    let res = &d["spec"]["template"]["spec"]["containers"][0]["resources"];
    assert_eq!(
        (&res["requests"]["cpu"], &res["requests"]["memory"], &res["limits"]["memory"]),
        (&Value::from("25m"), &Value::from("704Mi"), &Value::from("704Mi")),
        "{res}"
    );
    let reasoning = api.get("apps", "deployments", "aiwfe", "reasoning-service").unwrap();
    assert_eq!(
        reasoning["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]["cpu"], "1",
        "only the named Deployment changes"
    );
}

const PASSWORD: &str = "Kq7-prom-basic-3e9c";
/// bcrypt of PASSWORD, as Prometheus's web config wants it.
const PASSWORD_BCRYPT: &str = "$2b$10$MgREEO6LIvyze6MFFSrdIeHpXF1zAbPDZakjtjR8hidgxPixUgqxC";

#[test]
fn prometheus_behind_tls_and_basic_auth_and_the_errors_a_user_meets() {
    let now = jiff::Timestamp::now().as_second();
    let series = incident_history(now);
    let pki = TestPki::new();
    let web = format!(
        "tls_server_config:\n  cert_file: {}\n  key_file: {}\nbasic_auth_users:\n  ops: {PASSWORD_BCRYPT}\n",
        pki.path("server.pem").display(),
        pki.path("server.key").display()
    );
    let prom = Prometheus::start_with(&series, Some(&web));
    let api = incident_api();
    let tune = |url: &str, args: &[&str]| {
        run(aiwfe()
            .args([
                "tune",
                "resources",
                "-n",
                "aiwfe",
                "--prometheus",
                url,
                "--window",
                "1d",
                "-o",
                "json",
            ])
            .args(args)
            .arg("--kubeconfig")
            .arg(&api.kubeconfig))
    };
    let authority = prom.url.trim_start_matches("https://");
    let good = format!("https://ops:{PASSWORD}@{authority}");
    let cacert = pki.path("ca.pem");
    let cacert = cacert.to_str().unwrap();
    let out = tune(&good, &["--prometheus-cacert", cacert]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(rec(&v, "Deployment/reasoning-service")["recommended"]["cpu_request"], "35m");
    assert_eq!(v["source"]["url"], prom.url.as_str(), "shown without the credentials");
    assert!(!stdout(&out).contains(PASSWORD) && !stderr(&out).contains(PASSWORD));

    // A wrong password: exit 2, told what to check, the password nowhere.
    let bad = format!("https://ops:not-{PASSWORD}@{authority}");
    let out = tune(&bad, &["--prometheus-cacert", cacert]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("answered 401: check the credentials"), "{err}");
    assert!(!err.contains(PASSWORD) && !stdout(&out).contains(PASSWORD), "{err}");

    // Without the CA: the certificate is not trusted.
    let out = tune(&good, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stderr(&out).contains("TLS handshake with localhost"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(PASSWORD));

    // Nothing listening, and a server that is not Prometheus.
    let closed = dead_port();
    let dead = format!("http://127.0.0.1:{}", closed.port);
    let out = tune(&dead, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot reach Prometheus at"), "{}", stderr(&out));
    let out = tune(&format!("http://127.0.0.1:{}", api.port), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("does not answer like a Prometheus HTTP API"),
        "{}",
        stderr(&out)
    );
    // --window without a Prometheus is a mistake, said before anything is read.
    let out = run(aiwfe()
        .args(["tune", "resources", "-n", "aiwfe", "--window", "7d", "--kubeconfig"])
        .arg(&api.kubeconfig));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("give --prometheus URL"), "{}", stderr(&out));
}
