//! The probes and the runner that drives them concurrently, each under one deadline.
//!
//! A probe commits one `Observation` per check as it finishes it. When the deadline hits,
//! the check in progress gets a `<probe>.timeout` finding naming what it was waiting for,
//! and the checks already committed are kept.

pub mod kube;
pub mod postgres;
pub mod redis;
pub mod websocket;

use crate::report::{Finding, Observation, Severity, human};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Each probe's deadline unless `--timeout` says otherwise.
pub const TIMEOUT: &str = "10s";

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Every probe has this shape: a name, a redacted target, and a run that records into a
/// `Recorder`.
pub trait Probe: Send + Sync {
    /// Short name, also the prefix of its check ids and finding codes (`redis`).
    fn name(&self) -> &'static str;
    /// The target as shown in reports (no secrets).
    fn target(&self) -> String;
    fn run<'a>(&'a self, rec: &'a Recorder) -> BoxFuture<'a, ()>;
    /// What to suggest when the probe runs out of time.
    fn timeout_hint(&self) -> String {
        format!("check that {} is up and reachable from here, or raise --timeout", self.name())
    }
    /// How long the whole probe may take, given the run's `--timeout` (a load run of many
    /// connections, each with its own deadline, needs more than one).
    fn budget(&self, timeout: Duration) -> Duration {
        timeout
    }
}

struct Current {
    check: String,
    doing: String,
    started: Instant,
}

/// Collects a probe's observations and knows what it is doing right now.
pub struct Recorder {
    target: String,
    done: Mutex<Vec<Observation>>,
    current: Mutex<Current>,
    bar: Option<ProgressBar>,
    pub deadline: Instant,
}

impl Recorder {
    fn new(target: String, deadline: Instant, bar: Option<ProgressBar>) -> Recorder {
        Recorder {
            target,
            done: Mutex::new(Vec::new()),
            current: Mutex::new(Current {
                check: String::new(),
                doing: "starting".into(),
                started: Instant::now(),
            }),
            bar,
            deadline,
        }
    }

    /// A recorder outside the runner (e.g. `aiwfe snapshot`), with its own deadline.
    pub fn standalone(timeout: Duration) -> Recorder {
        Recorder::new(String::new(), Instant::now() + timeout, None)
    }

    /// Starts (or continues) check `check`, now doing `doing` ("connecting", "authenticating").
    pub fn phase(&self, check: &str, doing: &str) {
        tracing::info!("{check}: {doing} ({})", self.target);
        let mut cur = lock(&self.current);
        if cur.check != check {
            cur.check = check.to_string();
            cur.started = Instant::now();
        }
        cur.doing = doing.to_string();
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{check}: {doing}"));
        }
    }

    /// A fresh observation for `check` on this probe's target.
    pub fn observation(&self, check: &str) -> Observation {
        Observation::new(check, self.target.clone())
    }

    /// Time left before the deadline (never zero, so timeouts built from it stay valid).
    pub fn remaining(&self) -> Duration {
        self.deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1))
    }

    /// Files a finished check; its duration runs from the first `phase` call for it.
    pub fn commit(&self, mut obs: Observation) {
        for f in &obs.findings {
            match &f.evidence {
                Some(e) => tracing::debug!("{}: {} {}: {} (evidence: {e})", obs.id, f.severity.as_str(), f.code, f.summary),
                None => tracing::debug!("{}: {} {}: {}", obs.id, f.severity.as_str(), f.code, f.summary),
            }
        }
        let cur = lock(&self.current);
        if cur.check == obs.id {
            obs.duration_ms = cur.started.elapsed().as_millis() as u64;
        }
        drop(cur);
        lock(&self.done).push(obs);
        let mut cur = lock(&self.current);
        cur.check.clear();
    }

    fn into_observations(self, probe: &str, timed_out: Option<(Duration, String)>) -> Vec<Observation> {
        let mut done = self.done.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some((limit, hint)) = timed_out {
            let cur = self.current.into_inner().unwrap_or_else(|e| e.into_inner());
            let check = if cur.check.is_empty() {
                format!("{probe}.connect")
            } else {
                cur.check.clone()
            };
            let mut obs = Observation::new(&check, self.target.clone());
            obs.duration_ms = cur.started.elapsed().as_millis() as u64;
            obs.push(
                Finding::new(
                    &format!("{probe}.timeout"),
                    Severity::Error,
                    format!("no answer within {} while {}", human(limit), cur.doing),
                )
                .hint(hint),
            );
            done.push(obs);
        }
        done
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs every probe concurrently, each under `timeout`, and returns all observations in
/// the order the probes were given. Spinners show progress when `progress` is set.
pub async fn run_all(probes: Vec<Box<dyn Probe>>, timeout: Duration, progress: bool) -> Vec<Observation> {
    let multi = progress.then(MultiProgress::new);
    let start = Instant::now();
    let mut handles = Vec::new();
    for probe in probes {
        let limit = probe.budget(timeout);
        tracing::info!("probe {} on {}: starting, {limit:?} allowed", probe.name(), probe.target());
        let deadline = start + limit;
        let bar = multi.as_ref().map(|m| {
            let bar = m.add(ProgressBar::new_spinner());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {prefix:.bold} {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_prefix(probe.name());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        handles.push(tokio::spawn(async move {
            let rec = Recorder::new(probe.target(), deadline, bar.clone());
            let timed_out = tokio::time::timeout_at(deadline.into(), probe.run(&rec)).await.is_err();
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            rec.into_observations(probe.name(), timed_out.then(|| (limit, probe.timeout_hint())))
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        match h.await {
            Ok(obs) => all.extend(obs),
            Err(e) => {
                let mut o = Observation::new("aiwfe.internal", "aiwfe");
                o.push(Finding::new(
                    "aiwfe.internal",
                    Severity::Error,
                    format!("a probe stopped unexpectedly: {e}"),
                ));
                all.push(o);
            }
        }
    }
    all
}
