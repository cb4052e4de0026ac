//! Tests of the recommender on realistic series: steady, spiky, growing, OOM-killed, too
//! little data; rounding, severity, cost and the JSON contract.

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
        summarised: None,
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
        summarised: None,
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

#[test]
fn replicas_summarised_elsewhere_combine_into_one_container() {
    let replica = |samples, p95, peak, mean| Stats {
        samples,
        window_s: 0,
        cpu_percentile_cores: p95,
        cpu_mean_cores: mean,
        memory_peak_bytes: peak,
        memory_mean_bytes: peak / 2.0,
    };
    let c = Stats::combine(&[
        (replica(240, 0.033, 700.0 * MI, 0.01), 1_000, 73_000),
        (replica(80, 0.012, 880.0 * MI, 0.02), 400, 24_400),
    ]);
    assert_eq!(c.samples, 320);
    assert_eq!(c.window_s, 72_600, "from the first replica's start to the last one's end");
    assert_eq!(c.cpu_percentile_cores, 0.033, "the busiest replica's");
    assert_eq!(c.memory_peak_bytes, 880.0 * MI, "the largest peak, from a replica that is gone");
    assert!(
        (c.cpu_mean_cores - 0.0125).abs() < 1e-12,
        "weighted by samples: {}",
        c.cpu_mean_cores
    );
    let history = ContainerHistory {
        summarised: Some(c),
        current: res(Some("1"), Some("2"), Some("2Gi"), Some("4Gi")),
        ..ContainerHistory::default()
    };
    let r = recommend(&history, &Params::default()).unwrap();
    assert_eq!(r.recommended.cpu_request.as_deref(), Some("35m"));
    assert_eq!(
        r.recommended.memory_request.as_deref(),
        Some("1Gi"),
        "880Mi × 1.15 = 1012Mi, up to the 16Mi step"
    );
    assert_eq!((r.samples, r.window_s), (320, 72_600));
    assert_eq!(Stats::combine(&[]), Stats::default());
}
