//! A report as the incident gives it, for the renderers' tests: a Redis check that fails on
//! NOAUTH, a WebSocket check with a slow upgrade, a PostgreSQL check with a note only, a
//! healthy Kubernetes check, and the cause that links the first to its fix.

use super::model::{Cause, Finding, FindingRef, Observation, Report, Severity};

pub fn report() -> Report {
    let mut redis = Observation::new("redis.auth", "redis://:***@redis.aiwfe.svc:6379/0");
    redis.duration_ms = 1512;
    redis.measure("ping_ms", 0.41, "ms");
    redis.push(
        Finding::new(
            "redis.noauth",
            Severity::Error,
            "Redis requires a password and the client sent none",
        )
        .evidence("PING -> NOAUTH Authentication required.")
        .fix("aiwfe fix redis-auth -n aiwfe --deployment reasoning-service"),
    );
    let mut ws = Observation::new("ws.handshake", "ws://gateway.aiwfe.svc:8000/ws");
    ws.duration_ms = 118_250;
    ws.measure("total_p99_ms", 118_204.0, "ms");
    ws.push(
        Finding::new("ws.slow_phase", Severity::Warning, "HTTP upgrade p99 118.2 s: the slowest phase")
            .evidence("TCP connect p99 1.2 ms, HTTP upgrade p99 118.2 s"),
    );
    ws.push(Finding::new(
        "ws.compare",
        Severity::Info,
        "through the gateway | directly: 118.2 s <b>slower</b>",
    ));
    let mut pg = Observation::new("postgres.activity", "postgres://aiwfe@postgres.aiwfe.svc:5432/aiwfe");
    pg.duration_ms = 38;
    pg.push(Finding::new("postgres.connections", Severity::Info, "12 of 100 connections in use"));
    pg.push(Finding::new(
        "postgres.sessions",
        Severity::Ok,
        "no session idle in transaction over 30 s, no lock waits, longest query 0.4 s",
    ));
    let kube = Observation::new("kube.pods", "kind-aiwfe");
    let cause = Cause {
        id: "redis-auth".into(),
        severity: Severity::Error,
        summary: "reasoning-service connects to Redis without the password Redis requires".into(),
        certainty: "confirmed".into(),
        confirm: None,
        fix: Some("aiwfe fix redis-auth -n aiwfe --deployment reasoning-service".into()),
        hint: None,
        explains: vec![FindingRef {
            check: "redis.auth".into(),
            code: "redis.noauth".into(),
            subject: None,
        }],
    };
    Report::new(vec![redis, ws, pg, kube], vec![cause], &[])
}
