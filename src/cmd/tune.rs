//! `aiwfe tune hpa`: autoscale Deployments on CPU through the `hpa` playbook, after checking
//! what an HPA needs (CPU requests on every container) and leaving an existing HPA alone
//! unless `--update`.

use super::Output;
use super::playbook::{ApplySettings, Cluster, RunSettings, Session, execute, find};
use super::runtime;
use crate::cluster::{ClusterState, PodMetrics, prometheus, quantity, rightsize};
use crate::error::Error;
use crate::playbook::ParamValue;
use crate::report::Format;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub enum Tune {
    Resources(Box<Resources>),
    Hpa {
        deployments: Vec<String>,
        min: u32,
        max: u32,
        cpu: u32,
        update: bool,
    },
}

#[derive(Debug, Clone)]
pub struct TuneSettings {
    pub tune: Tune,
    pub cluster: Cluster,
    pub apply: ApplySettings,
    pub output: Output,
    pub playbooks_dir: Option<PathBuf>,
}

/// Where `tune resources` reads usage from.
#[derive(Debug, Clone)]
pub enum History {
    /// Samples of metrics.k8s.io taken now (`--sample`, `--every`), or a snapshot's one.
    MetricsApi,
    /// Prometheus's record of the last `window`.
    Prometheus {
        source: prometheus::Source,
        window: std::time::Duration,
    },
}

/// The settings of `tune resources`.
#[derive(Debug, Clone)]
pub struct Resources {
    pub deployments: Vec<String>,
    pub history: History,
    /// How long to sample metrics.k8s.io, and how often (live clusters only).
    pub sample: std::time::Duration,
    pub every: std::time::Duration,
    pub params: rightsize::Params,
    pub cpu_cost: f64,
    pub memory_cost: f64,
}

/// What `tune hpa` does with each named Deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HpaTarget {
    /// Create (or with `--update` adjust) the HPA named like it.
    Ensure(String),
    /// An HPA exists and `--update` was not given: left as it is.
    Keep { deployment: String, hpa: String },
}

/// Checks each Deployment in `ns`: it exists, every container requests CPU (an HPA on CPU
/// utilisation divides by the request), and whether an HPA scales it already.
/// `ns: None` (a snapshot read whole) takes the namespace the Deployments are in.
fn hpa_targets(state: &ClusterState, ns: Option<&str>, deployments: &[String], update: bool) -> Result<(String, Vec<HpaTarget>), Error> {
    let mut out = Vec::new();
    let mut ns: Option<String> = ns.map(str::to_string);
    for name in deployments {
        let name = name.strip_prefix("deployment/").unwrap_or(name);
        let found: Vec<_> = state
            .deployments
            .iter()
            .filter(|d| {
                d.metadata.name.as_deref() == Some(name)
                    && ns
                        .as_deref()
                        .is_none_or(|n| d.metadata.namespace.as_deref().unwrap_or("default") == n)
            })
            .collect();
        let d = match found.as_slice() {
            [d] => *d,
            [] => {
                return Err(Error::Invalid {
                    field: "--deployment".into(),
                    reason: match &ns {
                        Some(n) => format!("deployment `{name}` not found in namespace `{n}`"),
                        None => format!("deployment `{name}` not found"),
                    },
                });
            }
            _ => {
                return Err(Error::Invalid {
                    field: "--deployment".into(),
                    reason: format!("deployment `{name}` is in several namespaces; name one with -n"),
                });
            }
        };
        let ns = ns
            .get_or_insert_with(|| d.metadata.namespace.clone().unwrap_or_else(|| "default".into()))
            .clone();
        let containers = d
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref())
            .map(|s| s.containers.as_slice())
            .unwrap_or_default();
        let without: Vec<&str> = containers
            .iter()
            .filter(|c| {
                c.resources
                    .as_ref()
                    .and_then(|r| r.requests.as_ref())
                    .is_none_or(|r| !r.contains_key("cpu"))
            })
            .map(|c| c.name.as_str())
            .collect();
        if !without.is_empty() {
            return Err(Error::Invalid {
                field: "--deployment".into(),
                reason: format!(
                    "deployment `{name}`: container(s) {} request no CPU, so an HPA on CPU utilisation cannot measure them; set CPU requests first (e.g. `kubectl set resources deployment/{name} -n {ns} --requests=cpu=100m`)",
                    without.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                ),
            });
        }
        let existing = state.hpas.iter().find(|h| {
            h.metadata.namespace.as_deref().unwrap_or("default") == ns
                && h.spec
                    .as_ref()
                    .is_some_and(|s| s.scale_target_ref.kind == "Deployment" && s.scale_target_ref.name == name)
        });
        match existing {
            Some(h) => {
                let hpa = h.metadata.name.clone().unwrap_or_default();
                if !update {
                    out.push(HpaTarget::Keep {
                        deployment: name.to_string(),
                        hpa,
                    });
                } else if hpa != name {
                    return Err(Error::Invalid {
                        field: "--update".into(),
                        reason: format!(
                            "deployment `{name}` is scaled by HPA `{hpa}`, named otherwise; adjust that one with kubectl, or delete it and run again"
                        ),
                    });
                } else {
                    out.push(HpaTarget::Ensure(name.to_string()));
                }
            }
            None => out.push(HpaTarget::Ensure(name.to_string())),
        }
    }
    Ok((ns.unwrap_or_else(|| "default".into()), out))
}

pub fn run(t: TuneSettings, out: &mut impl Write) -> Result<u8, Error> {
    let rt = runtime(Some(2))?;
    let r = rt.block_on(async {
        let session = Session::open(&t.cluster, t.apply.timeout).await?;
        let (deployments, min, max, cpu, update) = match &t.tune {
            Tune::Resources(r) => return resources(r, &t, &session, out).await,
            Tune::Hpa {
                deployments,
                min,
                max,
                cpu,
                update,
            } => (deployments, min, max, cpu, update),
        };
        let (ns, targets) = hpa_targets(&session.state, session.namespace.as_deref(), deployments, *update)?;
        let mut notes = Vec::new();
        let mut ensure = Vec::new();
        for target in targets {
            match target {
                HpaTarget::Ensure(d) => ensure.push(d),
                HpaTarget::Keep { deployment, hpa } => notes.push(format!(
                    "deployment/{deployment} is scaled by HPA `{hpa}` already: left as it is (--update adjusts it)"
                )),
            }
        }
        if ensure.is_empty() {
            if !t.output.quiet {
                for n in &notes {
                    let _ = writeln!(out, "{n}");
                }
                let _ = writeln!(out, "nothing to change");
            }
            return Ok(0);
        }
        let params = vec![
            ("namespace".to_string(), ParamValue::String(ns.clone())),
            (
                "deployments".to_string(),
                ParamValue::List(ensure.into_iter().map(serde_json::Value::String).collect()),
            ),
            ("min".to_string(), ParamValue::Int(i64::from(*min))),
            ("max".to_string(), ParamValue::Int(i64::from(*max))),
            ("cpu".to_string(), ParamValue::Int(i64::from(*cpu))),
        ];
        let settings = RunSettings {
            source: find("hpa", t.playbooks_dir.as_deref())?,
            params,
            cluster: t.cluster.clone(),
            apply: t.apply.clone(),
            output: t.output.clone(),
            redis: None,
            notes,
            stand_ins: Vec::new(),
        };
        execute(settings, &session, out).await
    });
    rt.shutdown_background();
    r
}

/// One container of one Deployment, with its history and recommendation.
struct Row {
    namespace: String,
    deployment: String,
    container: String,
    replicas: u32,
    history: rightsize::ContainerHistory,
    result: Result<rightsize::Recommendation, rightsize::NoRecommendation>,
}

/// Samples of every container of every Deployment in scope, keyed by (namespace,
/// deployment, container): a snapshot's one reading, or `--sample` of readings live.
async fn samples(
    r: &Resources,
    session: &Session,
    ns: Option<&str>,
    quiet: bool,
) -> Result<BTreeMap<(String, String, String), Vec<rightsize::Sample>>, Error> {
    let mut out: BTreeMap<(String, String, String), Vec<rightsize::Sample>> = BTreeMap::new();
    // metrics-server refreshes each pod's reading at its own resolution (15 s by default):
    // a reading seen before (same pod, same timestamp) is not a new sample.
    let mut seen: std::collections::BTreeSet<(String, String, String)> = std::collections::BTreeSet::new();
    let mut add = |metrics: &[PodMetrics], t: i64| {
        for m in metrics {
            if let Some(ts) = &m.timestamp
                && !seen.insert((
                    m.metadata.namespace.clone().unwrap_or_default(),
                    m.metadata.name.clone().unwrap_or_default(),
                    ts.clone(),
                ))
            {
                continue;
            }
            let Some(pod) = session
                .state
                .pods
                .iter()
                .find(|p| p.metadata.name == m.metadata.name && p.metadata.namespace == m.metadata.namespace)
            else {
                continue;
            };
            let w = crate::cluster::objects::workload_of(pod, &session.state);
            if w.kind != "deployment" {
                continue;
            }
            let t = m
                .timestamp
                .as_deref()
                .and_then(|ts| ts.parse::<jiff::Timestamp>().ok())
                .map_or(t, |ts| ts.as_second());
            for c in &m.containers {
                let cpu = c.usage.get("cpu").and_then(|q| quantity::value(q)).unwrap_or(f64::NAN);
                let memory = c.usage.get("memory").and_then(|q| quantity::value(q)).unwrap_or(f64::NAN);
                out.entry((w.namespace.clone(), w.name.clone(), c.name.clone()))
                    .or_default()
                    .push(rightsize::Sample { t, cpu, memory });
            }
        }
    };
    match (&session.writer, ns) {
        (Some(w), Some(ns)) => {
            let n = (r.sample.as_secs_f64() / r.every.as_secs_f64()).floor().max(1.0) as u64;
            let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
                let b = indicatif::ProgressBar::new(n);
                b.set_style(
                    indicatif::ProgressStyle::with_template("sampling metrics.k8s.io [{bar:30}] {pos}/{len} {elapsed}/{msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                b.set_message(crate::report::human(r.sample));
                b
            });
            let mut tick = tokio::time::interval(r.every);
            for i in 0..n {
                tick.tick().await;
                let now = jiff::Timestamp::now().as_second();
                match w.pod_metrics(ns).await {
                    Ok(Some(m)) => add(&m, now),
                    Ok(None) => {
                        return Err(Error::Cluster(
                            "the cluster has no metrics.k8s.io (metrics-server), so there is no usage to sample".into(),
                        ));
                    }
                    Err(e) => return Err(Error::Cluster(format!("cannot read metrics.k8s.io: {e}"))),
                }
                match &bar {
                    Some(b) => b.set_position(i + 1),
                    None if !quiet && (i + 1) % 10 == 0 => super::note(format_args!("sampled {} of {n}", i + 1)),
                    None => {}
                }
            }
            if let Some(b) = bar {
                b.finish_and_clear();
            }
        }
        _ => {
            let m = session.state.pod_metrics.clone().unwrap_or_default();
            add(&m, 0);
        }
    }
    Ok(out)
}

/// Each container's usage as Prometheus summarised it, per Deployment: its replicas
/// (present and past) combined.
type Summaries = BTreeMap<ContainerKey, rightsize::Stats>;

/// (namespace, deployment, container)
type ContainerKey = (String, String, String);

/// Reads the window from Prometheus and maps each pod to its Deployment (by the pod's name,
/// so replicas that are gone still count). Returns the summaries and what to tell the user.
async fn from_prometheus(
    r: &Resources,
    session: &Session,
    source: &prometheus::Source,
    window: std::time::Duration,
) -> Result<(Summaries, Value, Vec<String>), Error> {
    let scope = prometheus::Scope {
        namespace: session.namespace.clone(),
        deployments: r
            .deployments
            .iter()
            .map(|d| d.trim_start_matches("deployment/").to_string())
            .collect(),
    };
    let w = prometheus::Window {
        window,
        percentile: r.params.cpu_percentile,
    };
    let h = prometheus::history(source, &scope, &w)
        .await
        .map_err(|e| Error::Cluster(e.to_string()))?;
    let mut names: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for d in &session.state.deployments {
        if let Some(name) = d.metadata.name.as_deref() {
            names
                .entry(d.metadata.namespace.clone().unwrap_or_else(|| "default".into()))
                .or_default()
                .push(name);
        }
    }
    let mut parts: BTreeMap<ContainerKey, Vec<(rightsize::Stats, i64, i64)>> = BTreeMap::new();
    for ((ns, pod, container), u) in &h.usage {
        let Some(d) = names.get(ns).and_then(|n| prometheus::deployment_of(pod, n)) else {
            continue;
        };
        parts
            .entry((ns.clone(), d.to_string(), container.clone()))
            .or_default()
            .push((u.stats, u.first, u.last));
    }
    let summaries = parts
        .into_iter()
        .map(|(k, replicas)| (k, rightsize::Stats::combine(&replicas)))
        .collect::<Summaries>();
    let mut notes: Vec<String> = h.warnings.iter().map(|w| format!("Prometheus warns: {w}")).collect();
    if h.usage.is_empty() {
        notes.push(format!(
            "Prometheus at {} holds no container_cpu_usage_seconds_total and container_memory_working_set_bytes for {} in the last {}: is cAdvisor (the kubelet's /metrics/cadvisor) scraped?",
            source.shown(),
            scope.namespace.as_deref().map_or("any namespace".to_string(), |n| format!("namespace {n}")),
            span(window.as_secs())
        ));
    }
    let about = json!({"kind": "prometheus", "url": source.shown(), "window_s": window.as_secs(),
        "step_s": h.step.as_secs(), "rate_range_s": h.range.as_secs(), "queries": h.queries});
    Ok((summaries, about, notes))
}

async fn resources(r: &Resources, t: &TuneSettings, session: &Session, out: &mut impl Write) -> Result<u8, Error> {
    let ns = session.namespace.clone();
    let (hist, summaries, about, mut notes) = match &r.history {
        History::Prometheus { source, window } => {
            let (summaries, about, notes) = from_prometheus(r, session, source, *window).await?;
            (BTreeMap::new(), summaries, about, notes)
        }
        History::MetricsApi => {
            let live = session.writer.is_some() && ns.is_some();
            let about = if live {
                json!({"kind": "metrics.k8s.io", "sample_s": r.sample.as_secs(), "every_s": r.every.as_secs()})
            } else {
                json!({"kind": "snapshot"})
            };
            (
                samples(r, session, ns.as_deref(), t.output.quiet).await?,
                Summaries::new(),
                about,
                Vec::new(),
            )
        }
    };
    let mut rows = Vec::new();
    for d in &session.state.deployments {
        let (Some(name), dns) = (
            d.metadata.name.clone(),
            d.metadata.namespace.clone().unwrap_or_else(|| "default".into()),
        ) else {
            continue;
        };
        if ns.as_deref().is_some_and(|n| n != dns)
            || (!r.deployments.is_empty() && !r.deployments.iter().any(|x| x.trim_start_matches("deployment/") == name))
        {
            continue;
        }
        let replicas = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1).max(0) as u32;
        let Some(spec) = d.spec.as_ref().and_then(|s| s.template.spec.as_ref()) else {
            continue;
        };
        for c in &spec.containers {
            let q = |m: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>, k: &str| {
                m.and_then(|m| m.get(k)).map(|q| q.0.clone())
            };
            let res = c.resources.as_ref();
            let current = rightsize::Resources {
                cpu_request: q(res.and_then(|r| r.requests.as_ref()), "cpu"),
                cpu_limit: q(res.and_then(|r| r.limits.as_ref()), "cpu"),
                memory_request: q(res.and_then(|r| r.requests.as_ref()), "memory"),
                memory_limit: q(res.and_then(|r| r.limits.as_ref()), "memory"),
            };
            let oom = session.state.pods.iter().any(|p| {
                p.metadata.namespace.as_deref() == Some(dns.as_str())
                    && crate::cluster::objects::workload_of(p, &session.state).name == name
                    && p.status.iter().flat_map(|s| s.container_statuses.iter().flatten()).any(|cs| {
                        cs.name == c.name
                            && cs
                                .last_state
                                .as_ref()
                                .and_then(|l| l.terminated.as_ref())
                                .is_some_and(|t| t.reason.as_deref() == Some("OOMKilled"))
                    })
            });
            let history = rightsize::ContainerHistory {
                samples: hist.get(&(dns.clone(), name.clone(), c.name.clone())).cloned().unwrap_or_default(),
                summarised: summaries.get(&(dns.clone(), name.clone(), c.name.clone())).copied(),
                oom_kill: oom.then(|| rightsize::OomKill {
                    limit: current.memory_limit.clone(),
                }),
                current,
            };
            let result = rightsize::recommend(&history, &r.params);
            rows.push(Row {
                namespace: dns.clone(),
                deployment: name.clone(),
                container: c.name.clone(),
                replicas,
                history,
                result,
            });
        }
    }
    let mut summary = rightsize::Summary::default();
    for row in &rows {
        summary.add(&row.history, row.result.as_ref().ok(), row.replicas);
    }
    let recs: Vec<Value> = rows
        .iter()
        .map(|row| {
            let mut v = match &row.result {
                Ok(rec) => {
                    let mut v = serde_json::to_value(rec).unwrap_or(Value::Null);
                    v["monthly_cost_delta"] = json!(rightsize::monthly_cost_delta(&rec.current, &rec.recommended, r.cpu_cost, r.memory_cost, row.replicas));
                    v
                }
                Err(no) => json!({"current": row.history.current, "recommended": null, "severity": null,
                                  "samples": row.history.stats(r.params.cpu_percentile).samples, "window_s": null, "monthly_cost_delta": null, "reason": no.to_string()}),
            };
            v["namespace"] = json!(row.namespace);
            v["workload"] = json!(format!("Deployment/{}", row.deployment));
            v["container"] = json!(row.container);
            v
        })
        .collect();
    let apply = !t.apply.dry_run;
    if t.output.format != Format::Table || !apply {
        if t.output.format == Format::Json {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(
                    &json!({"version": 1, "source": about, "recommendations": recs, "summary": summary, "notes": notes})
                )
                .unwrap_or_default()
            );
        } else if !t.output.quiet {
            let _ = out.write_all(crate::term::escape(&table(&rows, &recs, &summary, &about, &notes)).as_bytes());
        }
        if !apply {
            return Ok(0);
        }
    } else if !t.output.quiet {
        let _ = out.write_all(crate::term::escape(&table(&rows, &recs, &summary, &about, &[])).as_bytes());
    }
    // Apply: one set_resources per container whose recommendation changes something.
    let mut changes = Vec::new();
    let mut workloads: Vec<String> = Vec::new();
    let mut namespaces: Vec<&str> = Vec::new();
    for row in &rows {
        let Ok(rec) = &row.result else { continue };
        if rec.current == rec.recommended {
            continue;
        }
        let target = format!("deployment/{}", row.deployment);
        changes.push(json!({"target": target, "container": row.container,
            "requests": {"cpu": rec.recommended.cpu_request, "memory": rec.recommended.memory_request},
            "limits": {"cpu": rec.recommended.cpu_limit, "memory": rec.recommended.memory_limit}}));
        if !workloads.contains(&target) {
            workloads.push(target);
        }
        if !namespaces.contains(&row.namespace.as_str()) {
            namespaces.push(&row.namespace);
        }
        if rec.current.cpu_request != rec.recommended.cpu_request
            && let Some(h) = session.state.hpas.iter().find(|h| {
                h.metadata.namespace.as_deref() == Some(row.namespace.as_str())
                    && h.spec.as_ref().is_some_and(|s| s.scale_target_ref.name == row.deployment)
            })
        {
            notes.push(format!(
                "warning: HPA `{}` scales deployment/{} on CPU utilisation; a new CPU request moves its effective target",
                h.metadata.name.clone().unwrap_or_default(),
                row.deployment
            ));
        }
    }
    if changes.is_empty() {
        if !t.output.quiet {
            let _ = writeln!(out, "nothing to change");
        }
        return Ok(0);
    }
    if namespaces.len() > 1 {
        return Err(Error::Invalid {
            field: "tune resources".into(),
            reason: "the recommendations span several namespaces; apply them one namespace at a time with -n".into(),
        });
    }
    let settings = RunSettings {
        source: find("resources", t.playbooks_dir.as_deref())?,
        params: vec![
            ("namespace".into(), ParamValue::String(namespaces[0].to_string())),
            ("changes".into(), ParamValue::List(changes)),
            (
                "workloads".into(),
                ParamValue::List(workloads.into_iter().map(Value::String).collect()),
            ),
        ],
        cluster: t.cluster.clone(),
        apply: t.apply.clone(),
        output: t.output.clone(),
        redis: None,
        notes,
        stand_ins: Vec::new(),
    };
    execute(settings, session, out).await
}

/// The recommendations for people: one row per container, then the summary.
fn table(rows: &[Row], recs: &[Value], summary: &rightsize::Summary, about: &Value, notes: &[String]) -> String {
    let s = |v: &Value| v.as_str().map(str::to_string).unwrap_or_else(|| "-".into());
    let pair = |v: &Value, k: &str| {
        format!(
            "{} → {}",
            s(&v["current"][k]),
            if v["recommended"].is_null() {
                "?".into()
            } else {
                s(&v["recommended"][k])
            }
        )
    };
    let mut lines = vec![[
        "WORKLOAD".to_string(),
        "CONTAINER".into(),
        "CPU REQUEST".into(),
        "CPU LIMIT".into(),
        "MEMORY REQUEST".into(),
        "MEMORY LIMIT".into(),
        "CHANGE".into(),
        "$/MONTH".into(),
        "HISTORY".into(),
    ]];
    for (row, v) in rows.iter().zip(recs) {
        let (change, history) = match &row.result {
            Ok(rec) => (s(&v["severity"]), rec.history()),
            Err(no) => ("none".into(), no.to_string()),
        };
        lines.push([
            format!("{}/deployment/{}", row.namespace, row.deployment),
            row.container.clone(),
            pair(v, "cpu_request"),
            pair(v, "cpu_limit"),
            pair(v, "memory_request"),
            pair(v, "memory_limit"),
            change,
            v["monthly_cost_delta"]
                .as_f64()
                .map(|d| format!("{d:+.2}"))
                .unwrap_or_else(|| "-".into()),
            history,
        ]);
    }
    let widths: Vec<usize> = (0..9)
        .map(|i| lines.iter().map(|l| l[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    if about["kind"] == "prometheus" {
        out.push_str(&format!(
            "usage history: Prometheus {}, the last {} in steps of {} s ({} queries)\n",
            s(&about["url"]),
            span(about["window_s"].as_u64().unwrap_or(0)),
            about["step_s"],
            about["queries"]
        ));
    }
    for n in notes {
        out.push_str(n);
        out.push('\n');
    }
    for l in &lines {
        let cells: Vec<String> = l
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}{}", " ".repeat(widths[i] - c.chars().count())))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    let pct = |x: Option<f64>| x.map(|p| format!("{p:.1} %")).unwrap_or_else(|| "-".into());
    out.push_str(&format!(
        "\nCPU: {:.3} cores used of {:.3} requested ({}) → {:.3} requested ({}); memory: {:.0}Mi used of {:.0}Mi requested ({}) → {:.0}Mi ({})\n",
        summary.cpu_used_cores,
        summary.cpu_requested_before_cores,
        pct(summary.cpu_efficiency_before_pct()),
        summary.cpu_requested_after_cores,
        pct(summary.cpu_efficiency_after_pct()),
        summary.memory_used_bytes / 1048576.0,
        summary.memory_requested_before_bytes / 1048576.0,
        pct(summary.memory_efficiency_before_pct()),
        summary.memory_requested_after_bytes / 1048576.0,
        pct(summary.memory_efficiency_after_pct()),
    ));
    out
}

/// `7d`, `36h`, `90m`: a window as it was given.
fn span(secs: u64) -> String {
    if secs >= 86_400 && secs.is_multiple_of(86_400) {
        format!("{}d", secs / 86_400)
    } else if secs >= 3_600 && secs.is_multiple_of(3_600) {
        format!("{}h", secs / 3_600)
    } else {
        format!("{}m", secs.div_ceil(60))
    }
}
