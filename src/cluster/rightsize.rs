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
    pub oom_kill: Option<OomKill>,
    pub current: Resources,
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
    let samples: Vec<&Sample> = history.samples.iter().filter(|s| usable(s)).collect();
    let window_s = window(&samples);
    let needed = params.min_samples.max(1);
    if samples.len() < needed {
        return Err(NoRecommendation::TooFewSamples {
            samples: samples.len(),
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

    let cpu: Vec<f64> = samples.iter().map(|s| s.cpu).collect();
    let cpu_percentile_cores = percentile(&cpu, params.cpu_percentile).unwrap_or(0.0);
    let cpu_request = round_cpu(cpu_percentile_cores.max(params.cpu_floor_cores));

    let memory_peak_bytes = samples.iter().map(|s| s.memory).fold(0.0, f64::max);
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
        samples: samples.len(),
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
        let usable: Vec<&Sample> = history.samples.iter().filter(|s| usable(s)).collect();
        if !usable.is_empty() {
            let count = usable.len() as f64;
            self.cpu_used_cores += usable.iter().map(|s| s.cpu).sum::<f64>() / count * n;
            self.memory_used_bytes += usable.iter().map(|s| s.memory).sum::<f64>() / count * n;
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
mod tests {
    use super::*;
    use serde_json::json;

    /// xorshift64: the same noise on every run.
    struct Noise(u64);

    impl Noise {
        fn unit(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }

        /// Uniform in `centre ± spread`.
        fn around(&mut self, centre: f64, spread: f64) -> f64 {
            centre + (self.unit() * 2.0 - 1.0) * spread
        }
    }

    /// 2026-01-01T00:00:00Z.
    const T0: i64 = 1_767_225_600;

    /// `n` samples `every_s` apart; `at(i)` gives millicores and Mi.
    fn series(n: usize, every_s: i64, mut at: impl FnMut(usize) -> (f64, f64)) -> Vec<Sample> {
        (0..n)
            .map(|i| {
                let (milli, mebi) = at(i);
                Sample {
                    t: T0 + i as i64 * every_s,
                    cpu: milli / 1000.0,
                    memory: mebi * MI,
                }
            })
            .collect()
    }

    fn res(cpu_request: Option<&str>, cpu_limit: Option<&str>, memory_request: Option<&str>, memory_limit: Option<&str>) -> Resources {
        let s = |v: Option<&str>| v.map(str::to_string);
        Resources {
            cpu_request: s(cpu_request),
            cpu_limit: s(cpu_limit),
            memory_request: s(memory_request),
            memory_limit: s(memory_limit),
        }
    }

    fn container(samples: Vec<Sample>, current: Resources) -> ContainerHistory {
        ContainerHistory {
            samples,
            oom_kill: None,
            current,
        }
    }

    fn with_cpu_limit(cpu_limit: CpuLimit) -> Params {
        Params {
            cpu_limit,
            ..Params::default()
        }
    }

    /// (cpu_request, cpu_limit, memory_request, memory_limit) as a person reads them.
    fn figures(r: &Recommendation) -> (Option<&str>, Option<&str>, Option<&str>, Option<&str>) {
        let q = &r.recommended;
        (
            q.cpu_request.as_deref(),
            q.cpu_limit.as_deref(),
            q.memory_request.as_deref(),
            q.memory_limit.as_deref(),
        )
    }

    /// An API service idling at 12m ± 3m and 180Mi ± 4Mi, scraped every 15 s for an hour.
    fn steady() -> ContainerHistory {
        let mut noise = Noise(0x5eed_0001);
        let samples = series(240, 15, |_| (noise.around(12.0, 3.0), noise.around(180.0, 4.0)));
        container(samples, res(Some("500m"), Some("1"), Some("512Mi"), Some("1Gi")))
    }

    #[test]
    fn steady_service_around_12m() {
        let h = steady();
        let r = recommend(&h, &Params::default()).unwrap();
        // p95 of 12m ± 3m is about 14.7m: the next 5m step is 15m. The peak is at most 184Mi,
        // plus 15 % at most 211.6Mi: the next 4Mi step is 212Mi.
        assert!((0.0140..=0.0150).contains(&r.basis.cpu_percentile_cores), "{:?}", r.basis);
        assert!(r.basis.memory_peak_bytes > 183.0 * MI && r.basis.memory_peak_bytes <= 184.0 * MI);
        assert_eq!(figures(&r), (Some("15m"), None, Some("212Mi"), Some("212Mi")));
        // 15m of a 500m request: reserved ~33× what it uses.
        assert_eq!(r.severity, Severity::Warning);
        assert_eq!((r.samples, r.window_s), (240, 239 * 15));
        assert_eq!(r.history(), "240 samples over 60 min");
        assert_eq!(r.current, h.current);

        // The CPU limit policies.
        let keep = recommend(&h, &with_cpu_limit(CpuLimit::Keep)).unwrap();
        assert_eq!(keep.recommended.cpu_limit.as_deref(), Some("1"));
        let double = recommend(&h, &with_cpu_limit(CpuLimit::Factor(2.0))).unwrap();
        assert_eq!(double.recommended.cpu_limit.as_deref(), Some("30m"));
    }

    /// 40m ± 5m with a 900m burst every 10 minutes (6 of 240 samples, 2.5 %).
    #[test]
    fn spiky_service_gets_its_p95_not_its_bursts() {
        let mut noise = Noise(0x5eed_0002);
        let samples = series(240, 15, |i| {
            let cpu = if i % 40 == 39 { 900.0 } else { noise.around(40.0, 5.0) };
            (cpu, noise.around(300.0, 1.0))
        });
        let h = container(samples, res(Some("1"), Some("2"), Some("512Mi"), Some("512Mi")));
        let r = recommend(&h, &with_cpu_limit(CpuLimit::Factor(4.0))).unwrap();
        // Rank ⌈0.95 × 240⌉ = 228 lies below the 6 bursts, among the 40m ± 5m samples: 45m.
        // The peak is at most 301Mi, plus 15 % at most 346.2Mi: the next 16Mi step is 352Mi.
        assert!(r.basis.cpu_percentile_cores > 0.040 && r.basis.cpu_percentile_cores <= 0.045);
        assert_eq!(h.samples.iter().map(|s| s.cpu).fold(0.0, f64::max), 0.9);
        assert_eq!(figures(&r), (Some("45m"), Some("180m"), Some("352Mi"), Some("352Mi")));
        assert_eq!(r.severity, Severity::Warning);
    }

    /// A week at 5-minute steps, CPU climbing from 100m to 320m and memory from 256Mi to
    /// 640Mi in straight lines (a cache filling up).
    #[test]
    fn growing_service_gets_its_peak_so_far() {
        let n = 2016;
        let last = (n - 1) as f64;
        let samples = series(n, 300, |i| (100.0 + 220.0 * i as f64 / last, 256.0 + 384.0 * i as f64 / last));
        let h = container(samples, res(Some("250m"), None, Some("512Mi"), Some("512Mi")));
        let r = recommend(&h, &Params::default()).unwrap();
        // Rank ⌈0.95 × 2016⌉ = 1916, the sample at index 1915: 100 + 220 × 1915/2015 = 309.1m,
        // so 310m. Memory: 640Mi × 1.15 = 736Mi, a multiple of 16Mi already.
        assert!((r.basis.cpu_percentile_cores - 0.309_081).abs() < 1e-6, "{:?}", r.basis);
        assert_eq!(figures(&r), (Some("310m"), None, Some("736Mi"), Some("736Mi")));
        // CPU 1.24× its request is within the noise; memory 1.44× is not.
        assert_eq!(r.severity, Severity::Warning);
        assert_eq!(r.window_s, 2015 * 300);
        assert_eq!(r.history(), "2016 samples over 7 d");
    }

    /// 80m ± 10m and 230Mi ± 10Mi every 30 s for an hour, killed at its 256Mi limit by a
    /// spike the samples missed.
    fn oom_killed(limit_at_kill: Option<&str>) -> ContainerHistory {
        let mut noise = Noise(0x5eed_0004);
        let samples = series(120, 30, |_| (noise.around(80.0, 10.0), noise.around(230.0, 10.0)));
        ContainerHistory {
            samples,
            oom_kill: Some(OomKill {
                limit: limit_at_kill.map(str::to_string),
            }),
            current: res(Some("100m"), None, Some("256Mi"), Some("256Mi")),
        }
    }

    #[test]
    fn oom_killed_container_gets_more_than_the_limit_it_died_at() {
        let r = recommend(&oom_killed(Some("256Mi")), &Params::default()).unwrap();
        // The peak seen (under 240Mi) plus 15 % is under 276Mi, but the kill says 256Mi was
        // too little: 256Mi × 1.15 = 294.4Mi, the next 16Mi step is 304Mi. CPU: p95 of
        // 80m ± 10m is about 89m, so 90m.
        assert!(r.basis.memory_peak_bytes < 240.0 * MI);
        assert_eq!(r.basis.oom_limit_bytes, Some(256.0 * MI));
        assert_eq!(figures(&r), (Some("90m"), None, Some("304Mi"), Some("304Mi")));
        // Each figure is within 25 % of today's, but an OOM kill is never `ok`.
        assert_eq!(r.severity, Severity::Warning);

        // Limit at the kill unknown: the current limit stands in.
        let r = recommend(&oom_killed(None), &Params::default()).unwrap();
        assert_eq!(r.recommended.memory_limit.as_deref(), Some("304Mi"));

        // Killed at an old 128Mi limit, raised since: the kill does not lower the
        // recommendation below the peak plus 15 % (at most 276Mi: 288Mi).
        let r = recommend(&oom_killed(Some("128Mi")), &Params::default()).unwrap();
        assert_eq!(r.recommended.memory_limit.as_deref(), Some("288Mi"));
    }

    #[test]
    fn too_little_data_is_no_recommendation_and_says_why() {
        let samples = series(3, 15, |_| (12.0, 180.0));
        let e = recommend(&container(samples, Resources::default()), &Params::default()).unwrap_err();
        assert_eq!(
            e,
            NoRecommendation::TooFewSamples {
                samples: 3,
                window_s: 30,
                needed: 20
            }
        );
        assert_eq!(e.to_string(), "3 samples over 30 s; at least 20 are needed");

        let e = recommend(&container(vec![], Resources::default()), &Params::default()).unwrap_err();
        assert_eq!(e.to_string(), "no samples; at least 20 are needed");

        // 19 is one short; broken samples (NaN from a counter reset, negatives) do not count.
        let mut samples = series(19, 15, |_| (12.0, 180.0));
        samples.push(Sample {
            t: T0 + 19 * 15,
            cpu: f64::NAN,
            memory: 0.0,
        });
        samples.push(Sample {
            t: T0 + 20 * 15,
            cpu: -0.001,
            memory: 0.0,
        });
        let e = recommend(&container(samples, Resources::default()), &Params::default()).unwrap_err();
        assert_eq!(e.to_string(), "19 samples over 270 s; at least 20 are needed");
        let samples = series(20, 15, |_| (12.0, 180.0));
        assert!(recommend(&container(samples, Resources::default()), &Params::default()).is_ok());
    }

    /// 400m ± 40m and 900Mi ± 10Mi against requests of 100m and 512Mi, no limits.
    #[test]
    fn container_above_its_request_is_raised() {
        let mut noise = Noise(0x5eed_0006);
        let samples = series(240, 15, |_| (noise.around(400.0, 40.0), noise.around(900.0, 10.0)));
        let h = container(samples, res(Some("100m"), None, Some("512Mi"), None));
        let r = recommend(&h, &Params::default()).unwrap();
        // p95 of 400m ± 40m is about 436m: the next 10m step is 440m. The peak is about
        // 910Mi, plus 15 % about 1046Mi: past 1Gi, the next 64Mi step is 1088Mi.
        assert!(r.basis.cpu_percentile_cores > 0.430 && r.basis.cpu_percentile_cores <= 0.440);
        assert!(r.basis.memory_peak_bytes > 905.0 * MI && r.basis.memory_peak_bytes <= 910.0 * MI);
        assert_eq!(figures(&r), (Some("440m"), None, Some("1088Mi"), Some("1088Mi")));
        // 4.4× its CPU request.
        assert_eq!(r.severity, Severity::Error);
    }

    #[test]
    fn idle_sidecar_stops_at_the_floors() {
        let mut noise = Noise(0x5eed_0007);
        let samples = series(60, 60, |_| (noise.around(1.0, 0.5), noise.around(5.0, 1.0)));
        let h = container(samples, res(Some("10m"), None, Some("32Mi"), Some("32Mi")));
        let r = recommend(&h, &Params::default()).unwrap();
        assert_eq!(figures(&r), (Some("10m"), None, Some("32Mi"), Some("32Mi")));
        assert_eq!(r.severity, Severity::Ok);
    }

    #[test]
    fn keep_raises_a_cpu_limit_below_the_new_request() {
        let samples = series(20, 15, |_| (180.0, 100.0));
        let h = container(samples, res(Some("100m"), Some("150m"), None, None));
        let r = recommend(&h, &with_cpu_limit(CpuLimit::Keep)).unwrap();
        assert_eq!(figures(&r), (Some("180m"), Some("180m"), Some("116Mi"), Some("116Mi")));
        // No memory request today.
        assert_eq!(r.severity, Severity::Warning);
        // A limit alone is also the request, as the API server defaults it: 100m → 180m.
        let h = container(h.samples, res(None, Some("100m"), None, Some("100Mi")));
        let r = recommend(&h, &Params::default()).unwrap();
        assert_eq!(r.severity, Severity::Warning);
    }

    #[test]
    fn a_current_figure_that_is_not_a_quantity_is_named() {
        let samples = series(20, 15, |_| (12.0, 100.0));
        let e = recommend(&container(samples, res(Some("lots"), None, None, None)), &Params::default()).unwrap_err();
        assert_eq!(e.to_string(), "cpu_request `lots` is not a quantity");
    }

    #[test]
    fn rounding_steps_grow_with_size() {
        let cpu = |c: f64| quantity::cpu(round_cpu(c));
        assert_eq!(cpu(0.0), "0m");
        assert_eq!(cpu(0.0123), "15m");
        assert_eq!(cpu(0.015), "15m");
        assert_eq!(cpu(0.0992), "100m");
        assert_eq!(cpu(0.1003), "110m");
        assert_eq!(cpu(0.999), "1");
        assert_eq!(cpu(1.0), "1");
        assert_eq!(cpu(1.01), "1050m");
        assert_eq!(cpu(2.0), "2");
        let mem = |m: f64| quantity::memory(round_memory(m * MI));
        assert_eq!(mem(100.0), "100Mi");
        assert_eq!(mem(100.001), "104Mi");
        assert_eq!(mem(255.5), "256Mi");
        assert_eq!(mem(300.0), "304Mi");
        assert_eq!(mem(1000.0), "1008Mi");
        assert_eq!(mem(1025.0), "1088Mi");
        assert_eq!(mem(2048.0), "2Gi");
        // A float's error in 640Mi × 1.15 does not cost a whole step.
        assert_eq!(mem(640.0 * 1.15), "736Mi");
    }

    #[test]
    fn percentile_is_nearest_rank() {
        let one_to = |n: usize| (1..=n).map(|v| v as f64).collect::<Vec<f64>>();
        assert_eq!(percentile(&one_to(20), 95.0), Some(19.0));
        // Under 20 values, p95 is the maximum: why MIN_SAMPLES is 20.
        assert_eq!(percentile(&one_to(19), 95.0), Some(19.0));
        assert_eq!(percentile(&one_to(100), 95.0), Some(95.0));
        assert_eq!(percentile(&[4.0, 1.0, 3.0, 2.0], 50.0), Some(2.0));
        assert_eq!(percentile(&[4.0, 1.0, 3.0, 2.0], 100.0), Some(4.0));
        assert_eq!(percentile(&[4.0, 1.0, 3.0, 2.0], 0.0), Some(1.0));
        assert_eq!(percentile(&[], 95.0), None);
    }

    #[test]
    fn severity_by_the_size_of_the_change() {
        let cases = [
            (None, 0.1, Severity::Warning),
            (Some(0.0), 0.1, Severity::Warning),
            (Some(1.0), 2.0, Severity::Error),
            (Some(1.0), 1.9, Severity::Warning),
            (Some(1.0), 1.25, Severity::Ok),
            (Some(1.0), 0.8, Severity::Ok),
            (Some(1.0), 0.79, Severity::Info),
            (Some(1.0), 0.26, Severity::Info),
            (Some(1.0), 0.25, Severity::Warning),
            (Some(1.0), 0.01, Severity::Warning),
        ];
        for (current, recommended, want) in cases {
            assert_eq!(change(current, recommended), want, "{current:?} → {recommended}");
        }
        // A memory limit that must grow 2× is an error even when the request is right.
        let now = Current {
            cpu_request: Some(0.1),
            cpu_limit: None,
            memory_request: Some(256.0 * MI),
            memory_limit: Some(128.0 * MI),
        };
        assert_eq!(severity(&now, 0.1, 256.0 * MI, false), Severity::Error);
        assert_eq!(severity(&now, 0.1, 240.0 * MI, false), Severity::Warning);
        let no_limit = Current { memory_limit: None, ..now };
        assert_eq!(severity(&no_limit, 0.1, 240.0 * MI, false), Severity::Ok);
        assert_eq!(severity(&no_limit, 0.1, 240.0 * MI, true), Severity::Warning);
    }

    #[test]
    fn cpu_limit_policies_parse_from_the_flag() {
        assert_eq!("none".parse(), Ok(CpuLimit::None));
        assert_eq!("KEEP".parse(), Ok(CpuLimit::Keep));
        assert_eq!("2".parse(), Ok(CpuLimit::Factor(2.0)));
        assert_eq!("1.5x".parse(), Ok(CpuLimit::Factor(1.5)));
        for bad in ["0.5", "lots", "", "inf"] {
            assert_eq!(bad.parse::<CpuLimit>(), Err(BadCpuLimit(bad.to_string())), "{bad}");
        }
        assert_eq!(
            BadCpuLimit("0.5".into()).to_string(),
            "`0.5` is not a CPU limit policy; use `none`, `keep` or a factor of at least 1, such as `2`"
        );
        assert_eq!(CpuLimit::Factor(1.5).to_string(), "1.5");
    }

    #[test]
    fn json_has_the_contracts_field_names_and_nulls() {
        let r = recommend(&steady(), &Params::default()).unwrap();
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({
                "current": {"cpu_request": "500m", "cpu_limit": "1", "memory_request": "512Mi", "memory_limit": "1Gi"},
                "recommended": {"cpu_request": "15m", "cpu_limit": null, "memory_request": "212Mi", "memory_limit": "212Mi"},
                "severity": "warning",
                "samples": 240,
                "window_s": 3585
            })
        );
    }

    #[test]
    fn monthly_cost_of_the_change() {
        let now = res(Some("1"), Some("2"), Some("2Gi"), Some("2Gi"));
        let after = res(Some("100m"), None, Some("512Mi"), Some("512Mi"));
        // (−0.9 cores × 0.031 + −1.5 GiB × 0.004) per hour × 730 hours × 3 replicas.
        assert_eq!(monthly_cost_delta(&now, &after, 0.031, 0.004, 3), -74.24);
        assert_eq!(monthly_cost_delta(&after, &now, 0.031, 0.004, 3), 74.24);
        // A limit alone counts as the request; nothing set counts as nothing.
        let limit_only = res(None, Some("1"), None, Some("2Gi"));
        assert_eq!(monthly_cost_delta(&limit_only, &after, 0.031, 0.004, 3), -74.24);
        assert_eq!(monthly_cost_delta(&Resources::default(), &after, 0.031, 0.004, 1), 3.72);
        let zero = monthly_cost_delta(&now, &now, 0.031, 0.004, 3);
        assert!(zero == 0.0 && zero.is_sign_positive());
    }

    #[test]
    fn summary_before_and_after() {
        // Three replicas at a flat 12m and 180Mi: 15m and 208Mi (180Mi × 1.15 = 207Mi).
        let api = container(
            series(240, 15, |_| (12.0, 180.0)),
            res(Some("500m"), None, Some("512Mi"), Some("512Mi")),
        );
        let api_rec = recommend(&api, &Params::default()).unwrap();
        assert_eq!(figures(&api_rec), (Some("15m"), None, Some("208Mi"), Some("208Mi")));
        // One replica with too little history keeps its requests.
        let worker = container(series(3, 15, |_| (100.0, 100.0)), res(Some("200m"), None, Some("256Mi"), None));
        assert!(recommend(&worker, &Params::default()).is_err());

        let mut s = Summary::default();
        s.add(&api, Some(&api_rec), 3);
        s.add(&worker, None, 1);
        // CPU: used 3 × 12m + 100m = 136m; requested 3 × 500m + 200m = 1.7 before,
        // 3 × 15m + 200m = 245m after. Memory: used 3 × 180 + 100 = 640Mi; requested
        // 3 × 512 + 256 = 1792Mi before, 3 × 208 + 256 = 880Mi after.
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            json!({
                "containers": 2,
                "recommended": 1,
                "cpu_used_cores": 0.136,
                "cpu_requested_before_cores": 1.7,
                "cpu_requested_after_cores": 0.245,
                "cpu_efficiency_before_pct": 8.0,
                "cpu_efficiency_after_pct": 55.5,
                "memory_used_bytes": 640.0 * MI,
                "memory_requested_before_bytes": 1792.0 * MI,
                "memory_requested_after_bytes": 880.0 * MI,
                "memory_efficiency_before_pct": 35.7,
                "memory_efficiency_after_pct": 72.7
            })
        );
        assert_eq!(Summary::default().cpu_efficiency_before_pct(), None);
    }

    #[test]
    fn history_in_words() {
        assert_eq!(history(1, 0), "1 sample at one instant");
        assert_eq!(history(5, 0), "5 samples at one instant");
        assert_eq!(history(3, 30), "3 samples over 30 s");
        assert_eq!(history(19, 270), "19 samples over 270 s");
        assert_eq!(history(40, 600), "40 samples over 10 min");
        assert_eq!(history(288, 86_400), "288 samples over 24 h");
        assert_eq!(history(2016, 604_800), "2016 samples over 7 d");
    }
}
