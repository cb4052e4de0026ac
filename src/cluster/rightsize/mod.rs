//! Right-sizing: the requests and limits a container should have, from its usage history.
//! Pure arithmetic over plain data, shared by `aiwfe tune resources` and doctor's
//! `kube.overprovisioned` hint.
//!
//! - **CPU request**: the `cpu_percentile` (default 95) of the CPU samples, nearest rank: the
//!   smallest sample that at least that share of samples do not exceed, so it is always a
//!   value that was observed. Then the 10m floor and rounding up to a friendly step.
//! - **Memory request and limit**: the peak working set plus `memory_buffer_pct` (default
//!   15 %). After an OOM kill, at least the limit the container was killed at plus the buffer
//!   (that limit proved too small, so the result is raised to it, never left below it). Then
//!   the 32Mi floor and rounding up.
//! - **CPU limit**: by policy ([`CpuLimit`]): removed (default), kept, or a factor of the
//!   recommended request.
//! - Fewer than `min_samples` samples: no recommendation, and the reason says how many there
//!   were and over how long.
//!
//! Nothing here projects a trend: a growing container gets its peak so far plus the buffer.

use super::quantity;
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Default percentile of CPU usage the request covers.
pub const CPU_PERCENTILE: f64 = 95.0;
/// Default headroom over the peak working set, in per cent.
pub const MEMORY_BUFFER_PCT: f64 = 15.0;
/// Default minimum number of samples. With nearest rank, p95 of fewer than 20 samples is
/// always the maximum (rank ⌈0.95·n⌉ = n for n < 20), so below that the "percentile" would
/// be the single busiest moment; 20 samples is also `--sample 5m` at the default 15 s step.
pub const MIN_SAMPLES: usize = 20;
/// No CPU request below 10m.
pub const CPU_FLOOR_CORES: f64 = 0.010;
/// No memory request or limit below 32Mi.
pub const MEMORY_FLOOR_BYTES: f64 = 32.0 * MI;
/// Hours in the month that costs are quoted for (365 × 24 ÷ 12).
pub const HOURS_PER_MONTH: f64 = 730.0;

const MI: f64 = 1024.0 * 1024.0;
const GI: f64 = 1024.0 * MI;

/// One usage sample of one container.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Unix time, seconds.
    pub t: i64,
    /// CPU, cores (a rate: `0.012` is 12m).
    pub cpu: f64,
    /// Memory working set, bytes.
    pub memory: f64,
}

/// Requests and limits as Kubernetes quantity strings (`100m`, `460Mi`); `None` when unset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Resources {
    pub cpu_request: Option<String>,
    pub cpu_limit: Option<String>,
    pub memory_request: Option<String>,
    pub memory_limit: Option<String>,
}

/// The container was OOM-killed in the window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OomKill {
    /// Its memory limit when it was killed, if known; otherwise the current limit stands in.
    pub limit: Option<String>,
}

/// What the recommender knows about one container.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerHistory {
    /// Usage samples of one replica, or pooled over the workload's replicas.
    pub samples: Vec<Sample>,
    /// Usage already summarised where it is stored (Prometheus); when set, `samples` is not
    /// read.
    pub summarised: Option<Stats>,
    pub oom_kill: Option<OomKill>,
    pub current: Resources,
}

/// The figures a recommendation needs, from samples or from a metrics store.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    pub samples: usize,
    /// Time between the first sample and the last, seconds.
    pub window_s: u64,
    /// The CPU percentile the request covers, cores.
    pub cpu_percentile_cores: f64,
    pub cpu_mean_cores: f64,
    /// The largest working set, bytes.
    pub memory_peak_bytes: f64,
    pub memory_mean_bytes: f64,
}

impl Stats {
    /// From samples (the unusable ones, NaN or negative, left out): the nearest-rank
    /// `cpu_percentile`, the peak working set and the means.
    pub fn of(samples: &[Sample], cpu_percentile: f64) -> Stats {
        let samples: Vec<&Sample> = samples.iter().filter(|s| usable(s)).collect();
        let n = samples.len();
        let cpu: Vec<f64> = samples.iter().map(|s| s.cpu).collect();
        let mean = |v: f64| if n == 0 { 0.0 } else { v / n as f64 };
        Stats {
            samples: n,
            window_s: window(&samples),
            cpu_percentile_cores: percentile(&cpu, cpu_percentile).unwrap_or(0.0),
            cpu_mean_cores: mean(cpu.iter().sum()),
            memory_peak_bytes: samples.iter().map(|s| s.memory).fold(0.0, f64::max),
            memory_mean_bytes: mean(samples.iter().map(|s| s.memory).sum()),
        }
    }

    /// One container's figures over several replicas, each summarised on its own: samples
    /// add up, the window spans them all, the busiest replica's percentile and peak count
    /// (a request is per replica), and the means are weighted by samples. Each replica
    /// comes with the unix times of its first and last sample.
    pub fn combine(replicas: &[(Stats, i64, i64)]) -> Stats {
        let parts: Vec<Stats> = replicas.iter().map(|r| r.0).collect();
        let first_last: Vec<(i64, i64)> = replicas.iter().map(|r| (r.1, r.2)).collect();
        let samples: usize = parts.iter().map(|p| p.samples).sum();
        let weighted = |f: fn(&Stats) -> f64| {
            if samples == 0 {
                0.0
            } else {
                parts.iter().map(|p| f(p) * p.samples as f64).sum::<f64>() / samples as f64
            }
        };
        let first = first_last.iter().map(|(a, _)| *a).min();
        let last = first_last.iter().map(|(_, b)| *b).max();
        Stats {
            samples,
            window_s: match (first, last) {
                (Some(a), Some(b)) => b.abs_diff(a),
                _ => 0,
            },
            cpu_percentile_cores: parts.iter().map(|p| p.cpu_percentile_cores).fold(0.0, f64::max),
            cpu_mean_cores: weighted(|p| p.cpu_mean_cores),
            memory_peak_bytes: parts.iter().map(|p| p.memory_peak_bytes).fold(0.0, f64::max),
            memory_mean_bytes: weighted(|p| p.memory_mean_bytes),
        }
    }
}

impl ContainerHistory {
    /// The figures the recommender uses: the stored summary, else computed from the samples.
    pub fn stats(&self, cpu_percentile: f64) -> Stats {
        self.summarised.unwrap_or_else(|| Stats::of(&self.samples, cpu_percentile))
    }
}

/// What to do with the CPU limit.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum CpuLimit {
    /// Remove it: a CPU limit throttles a container even while the node has idle cores, and
    /// the request already guarantees its share.
    #[default]
    None,
    /// Leave it as it is (raised to the new request if it is below it: the API server refuses
    /// a limit below the request).
    Keep,
    /// This many times the recommended request (at least 1).
    Factor(f64),
}

/// `--cpu-limit` that is not `none`, `keep` or a factor of at least 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a CPU limit policy; use `none`, `keep` or a factor of at least 1, such as `2`")]
pub struct BadCpuLimit(pub String);

impl FromStr for CpuLimit {
    type Err = BadCpuLimit;

    fn from_str(s: &str) -> Result<CpuLimit, BadCpuLimit> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(CpuLimit::None),
            "keep" => Ok(CpuLimit::Keep),
            other => match other.strip_suffix('x').unwrap_or(other).parse::<f64>() {
                Ok(f) if f.is_finite() && f >= 1.0 => Ok(CpuLimit::Factor(f)),
                _ => Err(BadCpuLimit(s.to_string())),
            },
        }
    }
}

impl fmt::Display for CpuLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CpuLimit::None => f.write_str("none"),
            CpuLimit::Keep => f.write_str("keep"),
            CpuLimit::Factor(x) => write!(f, "{x}"),
        }
    }
}

/// The recommender's parameters; `Params::default()` holds the defaults above.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub cpu_percentile: f64,
    pub memory_buffer_pct: f64,
    pub cpu_limit: CpuLimit,
    pub min_samples: usize,
    pub cpu_floor_cores: f64,
    pub memory_floor_bytes: f64,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            cpu_percentile: CPU_PERCENTILE,
            memory_buffer_pct: MEMORY_BUFFER_PCT,
            cpu_limit: CpuLimit::None,
            min_samples: MIN_SAMPLES,
            cpu_floor_cores: CPU_FLOOR_CORES,
            memory_floor_bytes: MEMORY_FLOOR_BYTES,
        }
    }
}

/// How big a change is (the rules are on `severity` below). Ordered: `Ok < Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Info,
    Warning,
    Error,
}

/// The figures a recommendation was computed from (not part of the JSON contract).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Basis {
    /// The `cpu_percentile` of the CPU samples, cores.
    pub cpu_percentile_cores: f64,
    /// The largest working set, bytes.
    pub memory_peak_bytes: f64,
    /// After an OOM kill: the limit it was killed at, bytes, when known.
    pub oom_limit_bytes: Option<f64>,
}

/// New requests and limits for one container.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub current: Resources,
    pub recommended: Resources,
    pub severity: Severity,
    /// How many samples it rests on, and the time between the first and the last.
    pub samples: usize,
    pub window_s: u64,
    #[serde(skip)]
    pub basis: Basis,
}

impl Recommendation {
    /// How much history it rests on, for people: `240 samples over 60 min`.
    pub fn history(&self) -> String {
        history(self.samples, self.window_s)
    }
}

/// Why there is no recommendation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoRecommendation {
    #[error("{}; at least {needed} are needed", history(*samples, *window_s))]
    TooFewSamples { samples: usize, window_s: u64, needed: usize },
    #[error("{field} `{value}` is not a quantity")]
    BadQuantity { field: &'static str, value: String },
}

/// Recommends requests and limits for one container from its history.
pub fn recommend(history: &ContainerHistory, params: &Params) -> Result<Recommendation, NoRecommendation> {
    let stats = history.stats(params.cpu_percentile);
    let window_s = stats.window_s;
    let needed = params.min_samples.max(1);
    if stats.samples < needed {
        return Err(NoRecommendation::TooFewSamples {
            samples: stats.samples,
            window_s,
            needed,
        });
    }
    let current = Current::parse(&history.current)?;
    let oom_limit_bytes = match &history.oom_kill {
        Some(kill) => match &kill.limit {
            Some(l) => Some(parse("oom_kill.limit", l)?),
            None => current.memory_limit,
        },
        None => None,
    };

    let cpu_percentile_cores = stats.cpu_percentile_cores;
    let cpu_request = round_cpu(cpu_percentile_cores.max(params.cpu_floor_cores));

    let memory_peak_bytes = stats.memory_peak_bytes;
    let grow = 1.0 + params.memory_buffer_pct.max(0.0) / 100.0;
    let memory_need = (memory_peak_bytes * grow)
        .max(oom_limit_bytes.map_or(0.0, |l| l * grow))
        .max(params.memory_floor_bytes);
    let memory = round_memory(memory_need);

    let cpu_limit = match params.cpu_limit {
        CpuLimit::None => None,
        CpuLimit::Keep => match current.cpu_limit {
            Some(l) if l < cpu_request => Some(quantity::cpu(cpu_request)),
            _ => history.current.cpu_limit.clone(),
        },
        CpuLimit::Factor(f) => Some(quantity::cpu(round_cpu(cpu_request * f.max(1.0)))),
    };
    let recommended = Resources {
        cpu_request: Some(quantity::cpu(cpu_request)),
        cpu_limit,
        memory_request: Some(quantity::memory(memory)),
        memory_limit: Some(quantity::memory(memory)),
    };
    Ok(Recommendation {
        severity: severity(&current, cpu_request, memory, history.oom_kill.is_some()),
        current: history.current.clone(),
        recommended,
        samples: stats.samples,
        window_s,
        basis: Basis {
            cpu_percentile_cores,
            memory_peak_bytes,
            oom_limit_bytes,
        },
    })
}

/// The current figures as numbers; a request that is unset is the limit (as the API server
/// defaults it).
struct Current {
    cpu_request: Option<f64>,
    cpu_limit: Option<f64>,
    memory_request: Option<f64>,
    memory_limit: Option<f64>,
}

impl Current {
    fn parse(r: &Resources) -> Result<Current, NoRecommendation> {
        let get = |field, v: &Option<String>| v.as_deref().map(|q| parse(field, q)).transpose();
        let cpu_limit = get("cpu_limit", &r.cpu_limit)?;
        let memory_limit = get("memory_limit", &r.memory_limit)?;
        Ok(Current {
            cpu_request: get("cpu_request", &r.cpu_request)?.or(cpu_limit),
            cpu_limit,
            memory_request: get("memory_request", &r.memory_request)?.or(memory_limit),
            memory_limit,
        })
    }
}

fn parse(field: &'static str, q: &str) -> Result<f64, NoRecommendation> {
    quantity::value(q).ok_or_else(|| NoRecommendation::BadQuantity {
        field,
        value: q.to_string(),
    })
}

fn usable(s: &Sample) -> bool {
    s.cpu.is_finite() && s.memory.is_finite() && s.cpu >= 0.0 && s.memory >= 0.0
}

fn window(samples: &[&Sample]) -> u64 {
    let first = samples.iter().map(|s| s.t).min();
    let last = samples.iter().map(|s| s.t).max();
    match (first, last) {
        (Some(a), Some(b)) => b.abs_diff(a),
        _ => 0,
    }
}

/// The nearest-rank `pct` percentile: the smallest value that at least `pct` % of the values
/// do not exceed (rank ⌈pct/100 · n⌉ in ascending order). `None` for no values.
pub fn percentile(values: &[f64], pct: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    // The small tolerance keeps 95 % of 20 at rank 19 despite binary fractions.
    let rank = ((pct.clamp(0.0, 100.0) / 100.0 * n as f64) - 1e-9).ceil() as usize;
    Some(sorted[rank.clamp(1, n) - 1])
}

/// Cores rounded up to whole millicores at a step that grows with size: 5m below 100m, 10m
/// below 1 core, 50m from there.
pub fn round_cpu(cores: f64) -> f64 {
    let milli = cores.max(0.0) * 1000.0;
    let step = if milli < 100.0 {
        5.0
    } else if milli < 1000.0 {
        10.0
    } else {
        50.0
    };
    up(milli, step) / 1000.0
}

/// Bytes rounded up to whole Mi at a step that grows with size: 4Mi below 256Mi, 16Mi below
/// 1Gi, 64Mi from there.
pub fn round_memory(bytes: f64) -> f64 {
    let mi = bytes.max(0.0) / MI;
    let step = if mi < 256.0 {
        4.0
    } else if mi < 1024.0 {
        16.0
    } else {
        64.0
    };
    up(mi, step) * MI
}

/// `v` rounded up to a multiple of `step`; a value a hair above a multiple (a float's error
/// in `640Mi × 1.15`) stays on it.
fn up(v: f64, step: f64) -> f64 {
    ((v / step) - 1e-6).ceil().max(0.0) * step
}

/// How big the change is, the worst of:
/// - each request (CPU, memory), recommended ÷ current: at least 2× `error`, above 1.25×
///   `warning` (it uses more than it reserves: throttling, eviction, OOM kills); at most
///   ¼ `warning`, below 0.8 `info` (reserved and idle); within 0.8–1.25× `ok`. No current
///   request (or zero) is a `warning`.
/// - the memory limit, when one is set and the recommendation raises it: at least 2×
///   `error`, above 1.25× `warning`;
/// - an OOM kill in the window: at least `warning`.
fn severity(current: &Current, cpu_request: f64, memory: f64, oom_killed: bool) -> Severity {
    let up_only = |cur: Option<f64>, rec: f64| match cur {
        Some(c) if c > 0.0 && rec > c => change(Some(c), rec),
        _ => Severity::Ok,
    };
    let mut worst = change(current.cpu_request, cpu_request)
        .max(change(current.memory_request, memory))
        .max(up_only(current.memory_limit, memory));
    if oom_killed {
        worst = worst.max(Severity::Warning);
    }
    worst
}

fn change(current: Option<f64>, recommended: f64) -> Severity {
    let Some(c) = current.filter(|c| *c > 0.0) else {
        return Severity::Warning;
    };
    let ratio = recommended / c;
    if ratio >= 2.0 {
        Severity::Error
    } else if ratio > 1.25 || ratio <= 0.25 {
        Severity::Warning
    } else if ratio < 0.8 {
        Severity::Info
    } else {
        Severity::Ok
    }
}

/// `240 samples over 60 min`, `1 sample at one instant`, `no samples`.
pub fn history(samples: usize, window_s: u64) -> String {
    let count = match samples {
        0 => return "no samples".into(),
        1 => "1 sample".to_string(),
        n => format!("{n} samples"),
    };
    if window_s == 0 {
        return format!("{count} at one instant");
    }
    let span = if window_s < 600 {
        format!("{window_s} s")
    } else if window_s < 120 * 60 {
        format!("{} min", (window_s as f64 / 60.0).round())
    } else if window_s < 48 * 3600 {
        format!("{} h", (window_s as f64 / 3600.0).round())
    } else {
        format!("{} d", (window_s as f64 / 86400.0).round())
    };
    format!("{count} over {span}")
}

/// The monthly cost of the change in requests (what the scheduler reserves), at the given
/// prices, for `replicas` replicas, over [`HOURS_PER_MONTH`] hours; negative is a saving.
/// An unset request counts as its limit, or as nothing; rounded to cents.
pub fn monthly_cost_delta(
    current: &Resources,
    recommended: &Resources,
    cpu_cost_per_core_hour: f64,
    memory_cost_per_gib_hour: f64,
    replicas: u32,
) -> f64 {
    let (cur_cpu, cur_mem) = reserved(current);
    let (rec_cpu, rec_mem) = reserved(recommended);
    let per_hour = (rec_cpu - cur_cpu) * cpu_cost_per_core_hour + (rec_mem - cur_mem) / GI * memory_cost_per_gib_hour;
    // `+ 0.0` turns a -0.0 into 0.
    (per_hour * HOURS_PER_MONTH * f64::from(replicas) * 100.0).round() / 100.0 + 0.0
}

/// The requests the scheduler reserves, cores and bytes (unset: the limit; unparseable or
/// absent: 0).
fn reserved(r: &Resources) -> (f64, f64) {
    let v = |req: &Option<String>, lim: &Option<String>| req.as_deref().or(lim.as_deref()).and_then(quantity::value).unwrap_or(0.0);
    (v(&r.cpu_request, &r.cpu_limit), v(&r.memory_request, &r.memory_limit))
}

/// Requested against used, before and after the recommendations, over many containers:
/// the efficiency doctor shows, and what it would become.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    /// Containers added, and how many of them have a recommendation.
    pub containers: usize,
    pub recommended: usize,
    /// Mean usage over each container's samples, times its replicas: cores and bytes.
    pub cpu_used_cores: f64,
    pub memory_used_bytes: f64,
    /// Requests times replicas, now and with the recommendations (a container without one
    /// keeps its current requests).
    pub cpu_requested_before_cores: f64,
    pub cpu_requested_after_cores: f64,
    pub memory_requested_before_bytes: f64,
    pub memory_requested_after_bytes: f64,
}

impl Summary {
    /// Adds one container that runs `replicas` times, with its recommendation if it has one.
    pub fn add(&mut self, history: &ContainerHistory, recommendation: Option<&Recommendation>, replicas: u32) {
        let n = f64::from(replicas);
        let stats = history.stats(CPU_PERCENTILE);
        if stats.samples > 0 {
            self.cpu_used_cores += stats.cpu_mean_cores * n;
            self.memory_used_bytes += stats.memory_mean_bytes * n;
        }
        let (cpu_before, mem_before) = reserved(&history.current);
        let (cpu_after, mem_after) = recommendation.map_or((cpu_before, mem_before), |r| reserved(&r.recommended));
        self.containers += 1;
        self.recommended += usize::from(recommendation.is_some());
        self.cpu_requested_before_cores += cpu_before * n;
        self.cpu_requested_after_cores += cpu_after * n;
        self.memory_requested_before_bytes += mem_before * n;
        self.memory_requested_after_bytes += mem_after * n;
    }

    /// CPU used ÷ requested, per cent, now; `None` when nothing is requested.
    pub fn cpu_efficiency_before_pct(&self) -> Option<f64> {
        pct(self.cpu_used_cores, self.cpu_requested_before_cores)
    }

    pub fn cpu_efficiency_after_pct(&self) -> Option<f64> {
        pct(self.cpu_used_cores, self.cpu_requested_after_cores)
    }

    pub fn memory_efficiency_before_pct(&self) -> Option<f64> {
        pct(self.memory_used_bytes, self.memory_requested_before_bytes)
    }

    pub fn memory_efficiency_after_pct(&self) -> Option<f64> {
        pct(self.memory_used_bytes, self.memory_requested_after_bytes)
    }
}

/// JSON: the sums (cores to the millicore, whole bytes) and the four efficiencies.
impl Serialize for Summary {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json {
            containers: usize,
            recommended: usize,
            cpu_used_cores: f64,
            cpu_requested_before_cores: f64,
            cpu_requested_after_cores: f64,
            cpu_efficiency_before_pct: Option<f64>,
            cpu_efficiency_after_pct: Option<f64>,
            memory_used_bytes: f64,
            memory_requested_before_bytes: f64,
            memory_requested_after_bytes: f64,
            memory_efficiency_before_pct: Option<f64>,
            memory_efficiency_after_pct: Option<f64>,
        }
        let milli = |v: f64| (v * 1000.0).round() / 1000.0;
        Json {
            containers: self.containers,
            recommended: self.recommended,
            cpu_used_cores: milli(self.cpu_used_cores),
            cpu_requested_before_cores: milli(self.cpu_requested_before_cores),
            cpu_requested_after_cores: milli(self.cpu_requested_after_cores),
            cpu_efficiency_before_pct: self.cpu_efficiency_before_pct(),
            cpu_efficiency_after_pct: self.cpu_efficiency_after_pct(),
            memory_used_bytes: self.memory_used_bytes.round(),
            memory_requested_before_bytes: self.memory_requested_before_bytes.round(),
            memory_requested_after_bytes: self.memory_requested_after_bytes.round(),
            memory_efficiency_before_pct: self.memory_efficiency_before_pct(),
            memory_efficiency_after_pct: self.memory_efficiency_after_pct(),
        }
        .serialize(s)
    }
}

/// `a ÷ b` in per cent to one decimal, as doctor shows it.
fn pct(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| (a / b * 1000.0).round() / 10.0)
}

#[cfg(test)]
mod tests;
