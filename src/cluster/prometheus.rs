//! Container usage history from Prometheus, the way krr reads it: cAdvisor's
//! `container_cpu_usage_seconds_total` (as a rate) and `container_memory_working_set_bytes`
//! over a window, summarised by Prometheus itself.
//!
//! Seven instant queries per scope (a namespace, or every namespace), whatever the number
//! of containers: each query aggregates `by (namespace, pod, container)`, so the answer
//! grows with the containers and the query count does not.
//!
//! Per (pod, container), over `window` at `step`:
//! - CPU: the `percentile` (`quantile_over_time`, interpolated) of the rate over `range`,
//!   its mean, its number of steps with data, and the first and last of those steps;
//! - memory: the peak (`max_over_time` over the raw samples, so no spike between two steps
//!   is missed) and the mean of the working set.

use super::rightsize::Stats;
use crate::redact::{self, Secret};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Most bytes one answer may hold (one vector entry per pod and container).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// Where Prometheus is and how to reach it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The base URL (`https://prometheus.example:9090`, or with a path prefix), without
    /// credentials: they are in `auth`.
    pub url: url::Url,
    pub auth: Auth,
    /// TLS for an `https` URL.
    pub tls: Option<Arc<rustls::ClientConfig>>,
    /// Longest wait for one query.
    pub timeout: Duration,
}

#[derive(Debug, Clone, Default)]
pub enum Auth {
    #[default]
    None,
    Bearer(Secret),
    Basic {
        user: String,
        password: Secret,
    },
}

impl Source {
    /// From a URL that may carry `user:password@` (taken out into basic auth) and an
    /// optional bearer token (which wins over a URL password).
    pub fn new(raw: &str, token: Option<Secret>, tls: Option<Arc<rustls::ClientConfig>>, timeout: Duration) -> Result<Source, String> {
        let mut url = url::Url::parse(raw.trim()).map_err(|e| format!("`{}` is not a URL: {e}", redact::url(raw)))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(format!("`{}` is not an http:// or https:// URL", redact::url(raw)));
        }
        let user = percent_encoding::percent_decode_str(url.username())
            .decode_utf8_lossy()
            .into_owned();
        let password = url
            .password()
            .map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
        let _ = url.set_username("");
        let _ = url.set_password(None);
        let auth = match (token, password) {
            (Some(t), _) => Auth::Bearer(t),
            (None, Some(p)) => Auth::Basic {
                user,
                password: Secret::new(p),
            },
            (None, None) if !user.is_empty() => Auth::Basic {
                user,
                password: Secret::new(""),
            },
            (None, None) => Auth::None,
        };
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        Ok(Source { url, auth, tls, timeout })
    }

    /// The URL as it may be shown.
    pub fn shown(&self) -> String {
        self.url.as_str().trim_end_matches('/').to_string()
    }
}

/// Which containers a query covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    /// One namespace, or every namespace.
    pub namespace: Option<String>,
    /// Only pods of these Deployments (`NAME-<hash>-<id>`); empty: every pod.
    pub deployments: Vec<String>,
}

/// How the history is summarised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub window: Duration,
    /// CPU percentile, 0–100.
    pub percentile: f64,
}

/// One container of one pod.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PodUsage {
    pub stats: Stats,
    /// Unix time of the first and the last step with CPU data.
    pub first: i64,
    pub last: i64,
}

/// What Prometheus holds for a scope.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Keyed by (namespace, pod, container).
    pub usage: BTreeMap<(String, String, String), PodUsage>,
    /// Queries sent.
    pub queries: usize,
    /// The subquery step and the rate range used.
    pub step: Duration,
    pub range: Duration,
    /// Prometheus's warnings, deduplicated.
    pub warnings: Vec<String>,
}

/// Why there is no history.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromError {
    #[error("cannot reach Prometheus at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("Prometheus at {url} gave no answer within {secs} s (raise --timeout, or narrow the scope with -n or --deployment)")]
    Timeout { url: String, secs: u64 },
    #[error(
        "Prometheus at {url} answered {status}: check the credentials (a token in AIWFE_PROMETHEUS_TOKEN or --prometheus-token-file, or user:password in the URL)"
    )]
    Denied { url: String, status: u16 },
    #[error("Prometheus at {url} refused the query ({kind}): {message}")]
    Refused { url: String, kind: String, message: String },
    #[error("{url} does not answer like a Prometheus HTTP API ({detail}); give the server's base URL, e.g. http://prometheus:9090")]
    NotPrometheus { url: String, detail: String },
}

/// The step between subquery evaluations and the range each rate covers: 5 minutes, or for
/// windows under 5 hours a sixtieth of the window (at least 1 minute), so that even short
/// windows give enough steps.
pub fn resolution(window: Duration) -> (Duration, Duration) {
    let five = Duration::from_secs(300);
    let step = if window >= Duration::from_secs(5 * 3600) {
        five
    } else {
        Duration::from_secs((window.as_secs() / 60).max(60))
    };
    // A rate needs two samples in its range: 2 minutes covers cAdvisor's 30 s to 1 min scrapes.
    (step, step.max(Duration::from_secs(120)))
}

/// The queries for a scope, named by what they measure.
pub fn queries(scope: &Scope, w: &Window) -> Vec<(&'static str, String)> {
    let (step, range) = resolution(w.window);
    let mut sel = vec![r#"container!="""#.to_string(), r#"container!="POD""#.to_string()];
    if let Some(ns) = &scope.namespace {
        sel.push(format!("namespace=\"{}\"", escape(ns)));
    }
    if !scope.deployments.is_empty() {
        let names: Vec<String> = scope.deployments.iter().map(|d| escape(&regex_quote(d))).collect();
        sel.push(format!("pod=~\"(?:{})-[a-z0-9]+-[a-z0-9]+\"", names.join("|")));
    }
    let sel = sel.join(",");
    let win = secs(w.window);
    let step = secs(step);
    let by = "by (namespace, pod, container)";
    let cpu = format!("max {by} (rate(container_cpu_usage_seconds_total{{{sel}}}[{}]))", secs(range));
    let mem = format!("container_memory_working_set_bytes{{{sel}}}");
    let phi = (w.percentile.clamp(0.0, 100.0) / 100.0 * 1e6).round() / 1e6;
    vec![
        ("cpu_percentile", format!("quantile_over_time({phi}, ({cpu})[{win}:{step}])")),
        ("cpu_mean", format!("avg_over_time(({cpu})[{win}:{step}])")),
        ("cpu_samples", format!("count_over_time(({cpu})[{win}:{step}])")),
        ("cpu_first", format!("min_over_time(timestamp({cpu})[{win}:{step}])")),
        ("cpu_last", format!("max_over_time(timestamp({cpu})[{win}:{step}])")),
        ("memory_peak", format!("max {by} (max_over_time({mem}[{win}]))")),
        ("memory_mean", format!("max {by} (avg_over_time({mem}[{win}]))")),
    ]
}

/// Reads the usage history of every container in `scope`, all queries evaluated at one
/// instant (now).
pub async fn history(source: &Source, scope: &Scope, w: &Window) -> Result<History, PromError> {
    let (step, range) = resolution(w.window);
    let at = jiff::Timestamp::now().as_millisecond() as f64 / 1000.0;
    let mut out = History {
        step,
        range,
        ..History::default()
    };
    let mut figures: BTreeMap<(String, String, String), [Option<f64>; 7]> = BTreeMap::new();
    for (i, (_, q)) in queries(scope, w).iter().enumerate() {
        out.queries += 1;
        let answer = query(source, q, at).await?;
        for warning in answer.warnings {
            let warning = clip(&warning);
            if !out.warnings.contains(&warning) {
                out.warnings.push(warning);
            }
        }
        for item in answer.result {
            let (Some(ns), Some(pod), Some(container)) =
                (item.metric.get("namespace"), item.metric.get("pod"), item.metric.get("container"))
            else {
                continue;
            };
            let Ok(v) = item.value.1.parse::<f64>() else { continue };
            if !v.is_finite() {
                continue;
            }
            figures.entry((ns.clone(), pod.clone(), container.clone())).or_default()[i] = Some(v);
        }
    }
    for (key, f) in figures {
        // A container with memory but no CPU steps (or the reverse) has no usable history.
        let (Some(p), Some(mean), Some(n), Some(first), Some(last), Some(peak), Some(mem_mean)) =
            (f[0], f[1], f[2], f[3], f[4], f[5], f[6])
        else {
            continue;
        };
        let (first, last) = (first.round() as i64, last.round() as i64);
        out.usage.insert(
            key,
            PodUsage {
                stats: Stats {
                    samples: n.max(0.0) as usize,
                    window_s: last.abs_diff(first),
                    cpu_percentile_cores: p.max(0.0),
                    cpu_mean_cores: mean.max(0.0),
                    memory_peak_bytes: peak.max(0.0),
                    memory_mean_bytes: mem_mean.max(0.0),
                },
                first,
                last,
            },
        );
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    data: Option<Data>,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    warnings: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Data {
    #[serde(rename = "resultType")]
    result_type: String,
    result: Vec<Item>,
}

#[derive(Debug, Deserialize)]
struct Item {
    metric: BTreeMap<String, String>,
    value: (f64, String),
}

struct Vector {
    result: Vec<Item>,
    warnings: Vec<String>,
}

/// One instant query, POSTed as a form (queries are long), evaluated at `at`.
async fn query(source: &Source, q: &str, at: f64) -> Result<Vector, PromError> {
    let shown = source.shown();
    let url = source.url.join("api/v1/query").map_err(|e| PromError::NotPrometheus {
        url: shown.clone(),
        detail: e.to_string(),
    })?;
    let timeout = source.timeout.max(Duration::from_secs(1));
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("query", q)
        .append_pair("time", &format!("{at:.3}"))
        .append_pair("timeout", &format!("{}s", timeout.as_secs()))
        .finish();
    let mut headers = vec![(hyper::header::ACCEPT, "application/json".to_string())];
    match &source.auth {
        Auth::None => {}
        Auth::Bearer(t) => headers.push((hyper::header::AUTHORIZATION, format!("Bearer {}", t.expose()))),
        Auth::Basic { user, password } => {
            use base64::Engine as _;
            let pair = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{}", password.expose()));
            headers.push((hyper::header::AUTHORIZATION, format!("Basic {pair}")));
        }
    }
    let req = crate::http::Request {
        method: hyper::Method::POST,
        url: &url,
        headers,
        body: Some(("application/x-www-form-urlencoded", form.into_bytes())),
        limit: MAX_ANSWER_BYTES,
    };
    let resp = tokio::time::timeout(timeout, crate::http::send(req, source.tls.as_ref()))
        .await
        .map_err(|_| PromError::Timeout {
            url: shown.clone(),
            secs: timeout.as_secs(),
        })?
        .map_err(|e| PromError::Unreachable {
            url: shown.clone(),
            reason: e.to_string(),
        })?;
    let status = resp.status.as_u16();
    if status == 401 || status == 403 {
        return Err(PromError::Denied { url: shown, status });
    }
    let answer: Answer = match serde_json::from_slice(&resp.body) {
        Ok(a) => a,
        Err(e) => {
            return Err(PromError::NotPrometheus {
                url: shown,
                detail: if status == 200 {
                    format!("the answer is not its JSON: {}", clip(&e.to_string()))
                } else {
                    format!("it answered {}", resp.status)
                },
            });
        }
    };
    if answer.status != "success" {
        if answer.status != "error" || answer.error_type.is_none() {
            return Err(PromError::NotPrometheus {
                url: shown,
                detail: format!("it answered {}", resp.status),
            });
        }
        return Err(PromError::Refused {
            url: shown,
            kind: clip(answer.error_type.as_deref().unwrap_or("error")),
            message: clip(answer.error.as_deref().unwrap_or("no reason given")),
        });
    }
    let Some(data) = answer.data else {
        return Err(PromError::NotPrometheus {
            url: shown,
            detail: "the answer has no data".into(),
        });
    };
    if data.result_type != "vector" {
        return Err(PromError::NotPrometheus {
            url: shown,
            detail: format!("an instant query answered a {}", clip(&data.result_type)),
        });
    }
    Ok(Vector {
        result: data.result,
        warnings: answer.warnings,
    })
}

/// Server text as it may be shown: control characters escaped, at most 300 characters.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(300).flat_map(char::escape_default).collect();
    if s.chars().count() > 300 {
        out.push('…');
    }
    out
}

/// A PromQL string literal's content: backslashes and double quotes escaped.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// A name as a literal inside a RE2 regular expression.
fn regex_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !c.is_ascii_alphanumeric() && c != '-' && c != '_' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn secs(d: Duration) -> String {
    format!("{}s", d.as_secs().max(1))
}

/// The Deployment a pod named `NAME-<pod-template-hash>-<suffix>` belongs to, among
/// `deployments` (names in the pod's namespace): pods that are gone still count, as long
/// as their Deployment is there.
pub fn deployment_of<'a>(pod: &str, deployments: &[&'a str]) -> Option<&'a str> {
    let (rest, suffix) = pod.rsplit_once('-')?;
    let (name, hash) = rest.rsplit_once('-')?;
    let ok = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if !ok(suffix, 5..=5) || !ok(hash, 1..=10) {
        return None;
    }
    deployments.iter().copied().find(|d| *d == name)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn seven_queries_per_scope_with_the_selectors_escaped() {
        let scope = Scope {
            namespace: Some("aiwfe".into()),
            deployments: vec!["api.v2".into(), "web".into()],
        };
        let w = Window {
            window: Duration::from_secs(7 * 86400),
            percentile: 95.0,
        };
        let q = queries(&scope, &w);
        assert_eq!(q.len(), 7);
        assert_eq!(
            q[0].1,
            r#"quantile_over_time(0.95, (max by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{container!="",container!="POD",namespace="aiwfe",pod=~"(?:api\\.v2|web)-[a-z0-9]+-[a-z0-9]+"}[300s])))[604800s:300s])"#
        );
        assert!(
            q[5].1
                .starts_with("max by (namespace, pod, container) (max_over_time(container_memory_working_set_bytes{")
        );
        assert_eq!(queries(&Scope::default(), &w).len(), 7);
        let hostile = Scope {
            namespace: Some("a\"}or vector(1)#".into()),
            deployments: vec![],
        };
        assert!(queries(&hostile, &w)[0].1.contains(r#"namespace="a\"}or vector(1)#""#));
    }

    #[test]
    fn short_windows_get_finer_steps() {
        assert_eq!(
            resolution(Duration::from_secs(7 * 86400)),
            (Duration::from_secs(300), Duration::from_secs(300))
        );
        assert_eq!(
            resolution(Duration::from_secs(3600)),
            (Duration::from_secs(60), Duration::from_secs(120))
        );
        assert_eq!(resolution(Duration::from_secs(600)).0, Duration::from_secs(60));
    }

    #[test]
    fn pods_map_to_their_deployment_by_name() {
        let d = ["reasoning-service", "api", "web-7d9f8b6c5d"];
        assert_eq!(deployment_of("reasoning-service-7d9f8b6c5d-x2b4k", &d), Some("reasoning-service"));
        assert_eq!(deployment_of("api-5c8f-abcde", &d), Some("api"));
        assert_eq!(deployment_of("web-7d9f8b6c5d-abcde", &d), None, "the name is web");
        assert_eq!(deployment_of("api-0", &d), None, "a StatefulSet pod");
        assert_eq!(deployment_of("api-5c8f-abcdef", &d), None);
        assert_eq!(deployment_of("other-5c8f-abcde", &d), None);
    }

    #[test]
    fn credentials_move_from_the_url_into_auth() {
        let s = Source::new("https://ops:s%40cret@prom.example:9443/prom", None, None, Duration::from_secs(5)).unwrap();
        assert_eq!(s.url.as_str(), "https://prom.example:9443/prom/");
        assert_eq!(s.shown(), "https://prom.example:9443/prom");
        match &s.auth {
            Auth::Basic { user, password } => assert_eq!((user.as_str(), password.expose()), ("ops", "s@cret")),
            other => panic!("{other:?}"),
        }
        let s = Source::new("http://u:p@prom:9090", Some(Secret::new("tok")), None, Duration::from_secs(5)).unwrap();
        assert!(matches!(&s.auth, Auth::Bearer(t) if t.expose() == "tok"));
        let e = Source::new("ftp://u:hunter2@x", None, None, Duration::from_secs(5)).unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
        assert!(Source::new("prometheus:9090", None, None, Duration::from_secs(5)).is_err());
    }

    /// Serves one canned answer per connection and hands back each request it read.
    async fn server(answers: Vec<String>) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://127.0.0.1:{}", l.local_addr().unwrap().port());
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            for answer in answers {
                let (mut s, _) = l.accept().await.unwrap();
                let mut buf = vec![0u8; 65536];
                let mut got = Vec::new();
                while !String::from_utf8_lossy(&got).contains("time=") {
                    let n = s.read(&mut buf).await.unwrap();
                    if n == 0 {
                        break;
                    }
                    got.extend_from_slice(&buf[..n]);
                }
                let _ = tx.send(String::from_utf8_lossy(&got).into_owned());
                let resp = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = s.write_all(resp.as_bytes()).await;
            }
        });
        (url, rx)
    }

    #[tokio::test]
    async fn a_bearer_token_is_sent_and_each_figure_lands_on_its_pod() {
        let one = |v: &str| {
            format!(
                r#"{{"status":"success","data":{{"resultType":"vector","result":[{{"metric":{{"namespace":"aiwfe","pod":"api-84c6f5d7b9-d4f7k","container":"api"}},"value":[1796167927.1,"{v}"]}},{{"metric":{{"namespace":"aiwfe","pod":"api-84c6f5d7b9-g2m9s","container":"api"}},"value":[1796167927.1,"NaN"]}}]}}}}"#
            )
        };
        let answers = ["0.25", "0.1", "240", "1796100000", "1796171985", "314572800", "209715200"]
            .iter()
            .map(|v| one(v))
            .collect();
        let (url, mut requests) = server(answers).await;
        let source = Source::new(&url, Some(Secret::new("tok-5f2e")), None, Duration::from_secs(5)).unwrap();
        let scope = Scope {
            namespace: Some("aiwfe".into()),
            deployments: vec![],
        };
        let w = Window {
            window: Duration::from_secs(86400),
            percentile: 95.0,
        };
        let h = history(&source, &scope, &w).await.unwrap();
        assert_eq!(h.queries, 7);
        let first = requests.recv().await.unwrap();
        assert!(first.starts_with("POST /api/v1/query HTTP/1.1"), "{first}");
        assert!(first.contains("authorization: Bearer tok-5f2e"), "{first}");
        assert!(first.contains("quantile_over_time"), "{first}");
        let u = h.usage[&("aiwfe".to_string(), "api-84c6f5d7b9-d4f7k".to_string(), "api".to_string())];
        assert_eq!(
            (
                u.stats.samples,
                u.stats.window_s,
                u.stats.cpu_percentile_cores,
                u.stats.memory_peak_bytes
            ),
            (240, 71985, 0.25, 314572800.0)
        );
        assert_eq!(h.usage.len(), 1, "a pod with NaN figures has no usable history");
    }

    #[tokio::test]
    async fn refusals_and_strangers_are_told_apart() {
        let (url, _r) = server(vec![
            r#"{"status":"error","errorType":"bad_data","error":"1:1: parse error: unexpected \u001b"}"#.into(),
            r#"{"kind":"Status","apiVersion":"v1","status":"Failure","code":404}"#.into(),
            "<html>login</html>".into(),
        ])
        .await;
        let source = Source::new(&url, None, None, Duration::from_secs(5)).unwrap();
        let w = Window {
            window: Duration::from_secs(86400),
            percentile: 95.0,
        };
        let e = history(&source, &Scope::default(), &w).await.unwrap_err().to_string();
        assert!(
            e.contains("refused the query (bad_data): 1:1: parse error: unexpected \\u{1b}"),
            "{e}"
        );
        let e = history(&source, &Scope::default(), &w).await.unwrap_err().to_string();
        assert!(e.contains("does not answer like a Prometheus HTTP API"), "{e}");
        let e = history(&source, &Scope::default(), &w).await.unwrap_err().to_string();
        assert!(e.contains("the answer is not its JSON"), "{e}");
    }

    #[test]
    fn server_text_is_clipped_and_escaped() {
        assert_eq!(clip("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(clip(&"x".repeat(1000)).chars().count(), 301);
    }
}
