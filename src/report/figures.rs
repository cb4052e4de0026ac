//! A few key figures of a check, for the table and markdown summaries.

use super::model::Check;
use std::time::Duration;

/// A duration for people, from milliseconds: `850 µs`, `12.3 ms`, `2.4 s`.
pub fn human_ms(ms: f64) -> String {
    if ms < 1.0 {
        format!("{:.0} µs", ms * 1000.0)
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// A duration for people: `850 µs`, `12.3 ms`, `2.4 s`.
pub fn human(d: Duration) -> String {
    human_ms(d.as_secs_f64() * 1000.0)
}

/// The figures a reader looks at first, e.g. `p50=0.2 ms  p99=1.1 ms`.
pub fn key_figures(check: &Check) -> String {
    const KEYS: &[&str] = &[
        "ping_p50_ms",
        "ping_p99_ms",
        "clients_utilisation_pct",
        "connections_total",
        "connections_utilisation_pct",
        "total_p50_ms",
        "total_p99_ms",
        "handshakes_per_s",
        "messages_per_second",
        "message_rtt_p50_ms",
        "message_rtt_p99_ms",
        "failed",
        "total_p50_ratio",
        "total_p99_ratio",
        "version",
    ];
    let mut parts = Vec::new();
    for key in KEYS {
        if let Some(m) = check.measurements.iter().find(|m| m.name == *key) {
            let unit = match m.unit.as_str() {
                "" | "count" => String::new(),
                "%" => "%".to_string(),
                "x" => "x".to_string(),
                "1/s" => "/s".to_string(),
                u => format!(" {u}"),
            };
            parts.push(format!("{}={}{}", short_name(key), m.value, unit));
        }
    }
    parts.join("  ")
}

fn short_name(key: &str) -> &str {
    match key {
        "ping_p50_ms" => "p50",
        "ping_p99_ms" => "p99",
        "clients_utilisation_pct" => "clients",
        "connections_total" => "conns",
        "connections_utilisation_pct" => "used",
        "total_p50_ms" => "handshake p50",
        "total_p99_ms" => "handshake p99",
        "handshakes_per_s" => "rate",
        "messages_per_second" => "messages",
        "message_rtt_p50_ms" => "rtt p50",
        "message_rtt_p99_ms" => "rtt p99",
        "total_p50_ratio" => "p50 ratio",
        "total_p99_ratio" => "p99 ratio",
        other => other,
    }
}
