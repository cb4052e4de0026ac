//! The proxy's Prometheus metrics, kept in one place so `/metrics` and the code that
//! counts agree on names (a gauge has no `_total`; counters get it from the encoder).

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

type Labels = Vec<(&'static str, &'static str)>;

pub struct Metrics {
    registry: Registry,
    pub active_connections: Gauge,
    pub connection_duration: Histogram,
    /// Label `phase`: `auth` or `upstream`.
    pub handshake_duration: Family<Labels, Histogram>,
    pub message_latency: Histogram,
    /// Label `direction`: `client_to_upstream` or `upstream_to_client`.
    pub messages: Family<Labels, Counter>,
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
        let message_latency = Histogram::new(exponential_buckets(0.000_005, 4.0, 12));
        let messages = Family::<Labels, Counter>::default();
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
            message_latency.clone(),
        );
        registry.register("ws_messages_processed", "Messages relayed, by direction", messages.clone());
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
            message_latency,
            messages,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_prometheus_conventions() {
        let m = Metrics::new();
        m.active_connections.inc();
        m.auth_failures.get_or_create(&vec![("reason", "expired")]).inc();
        m.messages.get_or_create(&vec![("direction", "client_to_upstream")]).inc();
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
