//! The proxy's Prometheus metrics, kept in one place so `/metrics` and the code that
//! counts agree on names (a gauge has no `_total`; counters get it from the encoder).

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::{EncodeMetric, MetricEncoder, NoLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::metrics::{MetricType, TypedMetric};
use prometheus_client::registry::{Registry, Unit};
use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

type Labels = Vec<(&'static str, &'static str)>;

pub struct Metrics {
    registry: Registry,
    pub active_connections: Gauge,
    pub connection_duration: Histogram,
    /// Label `phase`: `auth` or `upstream`.
    pub handshake_duration: Family<Labels, Histogram>,
    /// Messages relayed and their latency, counted per thread (`Relayed`).
    pub relayed: Relayed,
    pub cache_hits: Counter,
    pub cache_misses: Counter,
    /// Label `reason`: see `auth::Reject::label`.
    pub auth_failures: Family<Labels, Counter>,
    pub upstream_failures: Counter,
    /// Label `result`: `allowed`, `revoked` or `unknown` (Redis did not answer).
    pub revocation_checks: Family<Labels, Counter>,
    /// Label `result`: `ok` or `error`.
    pub jwks_fetches: Family<Labels, Counter>,
    /// Keys from the JWKS in use now (0 with a configured key).
    pub jwks_keys: Gauge,
    /// `--max-connections`.
    pub max_connections: Gauge,
    /// Upgrades refused with 503; label `reason`: `max_connections`.
    pub refused: Family<Labels, Counter>,
    /// Connections closed because their request headers did not come in time.
    pub header_timeouts: Counter,
    /// Failed accepts (out of files and the like).
    pub accept_errors: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let active_connections = Gauge::default();
        let connection_duration = Histogram::new(exponential_buckets(0.01, 4.0, 12));
        let handshake_duration =
            Family::<Labels, Histogram>::new_with_constructor(|| Histogram::new(exponential_buckets(0.000_01, 4.0, 12)));
        let relayed = Relayed::default();
        let cache_hits = Counter::default();
        let cache_misses = Counter::default();
        let auth_failures = Family::<Labels, Counter>::default();
        let upstream_failures = Counter::default();
        let revocation_checks = Family::<Labels, Counter>::default();
        let jwks_fetches = Family::<Labels, Counter>::default();
        let jwks_keys = Gauge::default();
        let max_connections = Gauge::default();
        let refused = Family::<Labels, Counter>::default();
        let header_timeouts = Counter::default();
        let accept_errors = Counter::default();
        registry.register(
            "ws_active_connections",
            "Proxied WebSocket connections open now",
            active_connections.clone(),
        );
        registry.register_with_unit(
            "ws_connection_duration",
            "How long proxied connections stayed open",
            Unit::Seconds,
            connection_duration.clone(),
        );
        registry.register_with_unit(
            "ws_handshake_duration",
            "Time spent in the handshake, by phase (auth, upstream dial)",
            Unit::Seconds,
            handshake_duration.clone(),
        );
        registry.register_with_unit(
            "ws_message_latency",
            "Time from receiving a message to handing it to the other side",
            Unit::Seconds,
            Latency(relayed.clone()),
        );
        registry.register("ws_messages_processed", "Messages relayed, by direction", Messages(relayed.clone()));
        registry.register("auth_cache_hits", "Token checks answered from the cache", cache_hits.clone());
        registry.register(
            "auth_cache_misses",
            "Token checks that needed a signature check",
            cache_misses.clone(),
        );
        registry.register("auth_failures", "Upgrades refused with 401, by reason", auth_failures.clone());
        registry.register(
            "upstream_failures",
            "Upstream dials or handshakes that failed, and upstream connections that broke",
            upstream_failures.clone(),
        );
        registry.register(
            "revocation_checks",
            "Revocation lookups of token ids, by result",
            revocation_checks.clone(),
        );
        registry.register("jwks_fetches", "Fetches of the JWKS, by result (ok, error)", jwks_fetches.clone());
        registry.register("jwks_keys", "Keys from the JWKS in use", jwks_keys.clone());
        registry.register(
            "ws_max_connections",
            "Proxied connections served at once (--max-connections)",
            max_connections.clone(),
        );
        registry.register(
            "ws_upgrades_refused",
            "Upgrades refused with 503 by the proxy itself, by reason (max_connections)",
            refused.clone(),
        );
        registry.register(
            "header_timeouts",
            "Connections closed because the request headers did not come within --header-timeout",
            header_timeouts.clone(),
        );
        registry.register(
            "accept_errors",
            "Accepts that failed (e.g. out of open files)",
            accept_errors.clone(),
        );
        Metrics {
            registry,
            active_connections,
            connection_duration,
            handshake_duration,
            relayed,
            cache_hits,
            cache_misses,
            auth_failures,
            upstream_failures,
            revocation_checks,
            jwks_fetches,
            jwks_keys,
            max_connections,
            refused,
            header_timeouts,
            accept_errors,
        }
    }

    /// The JWKS metrics, for `auth::Auth::load`.
    pub fn jwks(&self) -> super::jwks::JwksMetrics {
        super::jwks::JwksMetrics {
            fetches: self.jwks_fetches.clone(),
            keys: self.jwks_keys.clone(),
        }
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = encode(&mut out, &self.registry);
        out
    }
}

/// The upper bounds of `ws_message_latency_seconds`' buckets (5 µs, ×4 each), `+Inf` aside.
const LATENCY_BUCKETS: usize = 12;

fn latency_bounds() -> impl Iterator<Item = f64> {
    exponential_buckets(0.000_005, 4.0, LATENCY_BUCKETS as u16)
}

/// The same bounds in nanoseconds, to place an observation without floating point.
const LATENCY_BOUNDS_NS: [u64; LATENCY_BUCKETS] = {
    let mut b = [5_000; LATENCY_BUCKETS];
    let mut i = 1;
    while i < LATENCY_BUCKETS {
        b[i] = b[i - 1] * 4;
        i += 1;
    }
    b
};

/// What one serving thread has relayed. Only that thread writes it (on a cache line of its
/// own), so counting a message costs no contended atomic; `/metrics` sums all threads.
#[derive(Debug, Default)]
#[repr(align(128))]
pub struct RelayCounts {
    /// Client to upstream, upstream to client.
    messages: [AtomicU64; 2],
    /// Latency observations per bucket, the last one `+Inf`.
    buckets: [AtomicU64; LATENCY_BUCKETS + 1],
    latency_ns: AtomicU64,
}

impl RelayCounts {
    /// Counts `n` messages one way (`up`: client to upstream).
    pub fn messages(&self, up: bool, n: u64) {
        bump(&self.messages[usize::from(!up)], n);
    }

    /// Counts one message's time from receipt to hand-off.
    pub fn latency(&self, took: std::time::Duration) {
        let ns = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        let i = LATENCY_BOUNDS_NS.iter().position(|&b| ns <= b).unwrap_or(LATENCY_BUCKETS);
        bump(&self.buckets[i], 1);
        bump(&self.latency_ns, ns);
    }
}

/// Adds to a counter only its own thread writes: a plain load and store, no locked add.
fn bump(c: &AtomicU64, n: u64) {
    c.store(c.load(Ordering::Relaxed).wrapping_add(n), Ordering::Relaxed);
}

/// Every thread's `RelayCounts`.
#[derive(Debug, Clone, Default)]
pub struct Relayed(Arc<Mutex<Vec<Arc<RelayCounts>>>>);

thread_local! {
    static MINE: RefCell<Option<Arc<RelayCounts>>> = const { RefCell::new(None) };
}

impl Relayed {
    /// The calling thread's counts (made on first use).
    pub fn mine(&self) -> Arc<RelayCounts> {
        MINE.with(|m| {
            m.borrow_mut()
                .get_or_insert_with(|| {
                    let c = Arc::new(RelayCounts::default());
                    self.0.lock().unwrap_or_else(|e| e.into_inner()).push(c.clone());
                    c
                })
                .clone()
        })
    }

    fn sum(&self, f: impl Fn(&RelayCounts) -> u64) -> u64 {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|c| f(c)).sum()
    }
}

struct Messages(Relayed);
struct Latency(Relayed);

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Messages")
    }
}
impl std::fmt::Debug for Latency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Latency")
    }
}

impl TypedMetric for Messages {
    const TYPE: MetricType = MetricType::Counter;
}
impl TypedMetric for Latency {
    const TYPE: MetricType = MetricType::Histogram;
}

impl EncodeMetric for Messages {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        for (i, direction) in ["client_to_upstream", "upstream_to_client"].into_iter().enumerate() {
            let total = self.0.sum(|c| c.messages[i].load(Ordering::Relaxed));
            let labels: Labels = vec![("direction", direction)];
            encoder.encode_family(&labels)?.encode_counter::<NoLabelSet, _, u64>(&total, None)?;
        }
        Ok(())
    }
    fn metric_type(&self) -> MetricType {
        MetricType::Counter
    }
}

impl EncodeMetric for Latency {
    fn encode(&self, mut encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        let bounds = latency_bounds().chain([f64::MAX]);
        let buckets: Vec<(f64, u64)> = bounds
            .enumerate()
            .map(|(i, b)| (b, self.0.sum(|c| c.buckets[i].load(Ordering::Relaxed))))
            .collect();
        let count = buckets.iter().map(|b| b.1).sum();
        let sum = self.0.sum(|c| c.latency_ns.load(Ordering::Relaxed)) as f64 / 1e9;
        encoder.encode_histogram::<NoLabelSet>(sum, count, &buckets, None)
    }
    fn metric_type(&self) -> MetricType {
        MetricType::Histogram
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_buckets_in_nanoseconds_match_the_rendered_bounds() {
        for (ns, secs) in LATENCY_BOUNDS_NS.iter().zip(latency_bounds()) {
            assert!((*ns as f64 / 1e9 - secs).abs() <= secs * 1e-9, "{ns} ns against {secs} s");
        }
        let c = RelayCounts::default();
        for us in [0, 5, 6, 20, 21, 100_000_000] {
            c.latency(std::time::Duration::from_micros(us));
        }
        let counts: Vec<u64> = c.buckets.iter().map(|b| b.load(Ordering::Relaxed)).collect();
        assert_eq!(&counts[..3], &[2, 2, 1]);
        assert_eq!(counts[LATENCY_BUCKETS], 1, "100 s is beyond the last bound (21 s)");
    }

    #[test]
    fn names_follow_prometheus_conventions() {
        let m = Metrics::new();
        m.active_connections.inc();
        m.auth_failures.get_or_create(&vec![("reason", "expired")]).inc();
        m.relayed.mine().messages(true, 1);
        // Another thread's counts are summed in.
        let r = m.relayed.clone();
        std::thread::spawn(move || {
            r.mine().messages(false, 2);
            r.mine().latency(std::time::Duration::from_micros(3));
        })
        .join()
        .unwrap_or_default();
        m.relayed.mine().latency(std::time::Duration::from_millis(1));
        m.handshake_duration.get_or_create(&vec![("phase", "auth")]).observe(0.000_002);
        m.jwks().fetches.get_or_create(&vec![("result", "ok")]).inc();
        m.jwks().keys.set(2);
        let text = m.render();
        assert!(text.contains("\nws_active_connections 1\n"), "{text}");
        assert!(text.contains("auth_failures_total{reason=\"expired\"} 1"), "{text}");
        assert!(
            text.contains("ws_messages_processed_total{direction=\"client_to_upstream\"} 1"),
            "{text}"
        );
        assert!(text.contains("ws_handshake_duration_seconds_count{phase=\"auth\"} 1"), "{text}");
        assert!(
            text.contains("ws_messages_processed_total{direction=\"upstream_to_client\"} 2"),
            "{text}"
        );
        assert!(text.contains("\nws_message_latency_seconds_count 2\n"), "{text}");
        assert!(text.contains("ws_message_latency_seconds_bucket{le=\"0.000005\"} 1\n"), "{text}");
        assert!(text.contains("ws_message_latency_seconds_bucket{le=\"+Inf\"} 2\n"), "{text}");
        assert!(text.contains("\nws_message_latency_seconds_sum 0.001003\n"), "{text}");
        assert!(text.contains("auth_cache_hits_total 0"), "{text}");
        assert!(!text.contains("ws_active_connections_total"), "{text}");
        assert!(text.contains("jwks_fetches_total{result=\"ok\"} 1"), "{text}");
        assert!(text.contains("\njwks_keys 2\n"), "{text}");
        assert!(!text.contains("jwks_keys_total"), "{text}");
        m.max_connections.set(50);
        m.refused.get_or_create(&vec![("reason", "max_connections")]).inc();
        let text = m.render();
        assert!(text.contains("\nws_max_connections 50\n"), "{text}");
        assert!(text.contains("ws_upgrades_refused_total{reason=\"max_connections\"} 1"), "{text}");
        assert!(text.contains("\nheader_timeouts_total 0\n"), "{text}");
        assert!(text.contains("\naccept_errors_total 0\n"), "{text}");
    }
}
