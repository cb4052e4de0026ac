//! Tests of the WebSocket probe's figures and findings: thresholds at their edges, failures by
//! kind, hints, closed-loop echoes and comparisons, all on built `Stats`.

use super::*;

fn target() -> Target {
    Target::new(Endpoint::parse("wss://gw.example/ws").unwrap(), Duration::from_secs(10))
}

fn ok_outcome(tls_ms: u64, upgrade_ms: u64) -> Outcome {
    let now = Instant::now();
    Outcome {
        dns: Some(Duration::from_micros(300)),
        tcp: Some(Duration::from_micros(200)),
        tls: Some(Duration::from_millis(tls_ms)),
        upgrade: Some(Duration::from_millis(upgrade_ms)),
        total: Some(Duration::from_millis(tls_ms + upgrade_ms + 1)),
        ready_at: Some(now),
        ..Outcome::default()
    }
}

#[test]
fn the_slow_finding_names_the_slowest_phase() {
    let mut s = Stats::new(1, 1);
    s.add(ok_outcome(2400, 5), Instant::now());
    let f = findings(&s, &target(), &[]);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code, "ws.slow_phase");
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(f[0].summary.starts_with("TLS handshake p99 2.4 s"), "{}", f[0].summary);
}

#[test]
fn past_the_error_threshold_is_an_error() {
    let mut s = Stats::new(1, 1);
    s.add(ok_outcome(1, 75_000), Instant::now());
    let f = findings(&s, &target(), &[]);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].summary.starts_with("HTTP upgrade p99 75.0 s"), "{}", f[0].summary);
}

#[test]
fn failures_are_counted_by_kind_and_keep_the_first_example() {
    let mut s = Stats::new(3, 3);
    let start = Instant::now();
    s.add(ok_outcome(1, 1), start);
    for code in [1008, 1011] {
        s.add(
            Outcome {
                failure: Some(Failure::Closed {
                    phase: Phase::FirstMessage,
                    code,
                    reason: "token expired".into(),
                }),
                ..Outcome::default()
            },
            start,
        );
    }
    assert_eq!((s.succeeded, s.failed()), (1, 2));
    let f = findings(&s, &target(), &[]);
    let closed = f.iter().find(|f| f.code == "ws.closed_by_server").unwrap();
    assert!(closed.summary.starts_with("2 of 3 connections: "), "{}", closed.summary);
    assert!(closed.summary.contains("1008 (policy violation)"));
    assert_eq!(closed.evidence.as_deref(), Some("close frame 1008: token expired"));
    assert!(!f.iter().any(|f| f.code == "ws.handshake"), "no ok finding when some failed");
}

#[test]
fn evidence_is_scrubbed_of_the_token() {
    let mut s = Stats::new(1, 1);
    s.add(
        Outcome {
            failure: Some(Failure::Status {
                status: 401,
                line: "HTTP/1.1 401 Unauthorized".into(),
                body: "bad token eyJhbGciOi.secret".into(),
            }),
            ..Outcome::default()
        },
        Instant::now(),
    );
    let f = findings(&s, &target(), &["eyJhbGciOi.secret".into()]);
    assert_eq!(f[0].code, "ws.upgrade_rejected");
    assert_eq!(f[0].evidence.as_deref(), Some("HTTP/1.1 401 Unauthorized — bad token ***"));
}

#[test]
fn echo_round_trips_become_percentiles_and_a_rate_over_the_hold() {
    let mut s = Stats::new(2, 2);
    s.closed_loop_hold = Some(Duration::from_secs(2));
    let start = Instant::now();
    for rtts in [vec![100u32, 200, 300], vec![400, 500, 20_000]] {
        s.add(
            Outcome {
                sent: rtts.len() as u64,
                received: rtts.len() as u64,
                echo_rtts_us: rtts,
                ..ok_outcome(1, 1)
            },
            start,
        );
    }
    assert_eq!(s.rtt.len(), 6);
    assert_eq!(s.messages_per_second(), Some(3.0));
    let mut obs = Observation::new("ws.handshake", "x");
    s.measure(&mut obs);
    let num = |k: &str| match obs.measurement(k) {
        Some(crate::report::Value::Num(v)) => *v,
        other => panic!("{k}: {other:?}"),
    };
    assert_eq!(num("messages_per_second"), 3.0);
    assert_eq!(num("message_rtt_p50_ms"), 0.3);
    assert!((num("message_rtt_p99_ms") - 20.0).abs() < 0.05, "{}", num("message_rtt_p99_ms"));
    let mut t = target();
    t.await_echo = true;
    t.hold = Some(Duration::from_secs(2));
    let f = findings(&s, &t, &[]);
    let info = f.iter().find(|f| f.code == "ws.message_rtt").unwrap();
    assert_eq!(
        info.summary,
        "closed loop: 6 of 6 messages echoed, 3 messages/s; round trip p50 300 µs, p99 20.0 ms"
    );

    // Without --await-echo there is no rate and no round-trip figures.
    let mut plain = Stats::new(1, 1);
    plain.add(ok_outcome(1, 1), start);
    let mut obs = Observation::new("ws.handshake", "x");
    plain.measure(&mut obs);
    assert!(obs.measurement("messages_per_second").is_none() && obs.measurement("message_rtt_p50_ms").is_none());
}

#[test]
fn a_hold_timeout_with_await_echo_says_no_echo() {
    let mut s = Stats::new(1, 1);
    s.add(
        Outcome {
            failure: Some(Failure::Timeout { phase: Phase::Hold }),
            ..Outcome::default()
        },
        Instant::now(),
    );
    let mut t = target();
    t.hold = Some(Duration::from_secs(5));
    assert!(findings(&s, &t, &[])[0].summary.contains("the server stopped reading"));
    t.await_echo = true;
    let f = findings(&s, &t, &[]);
    assert_eq!(f[0].code, "ws.timeout");
    assert!(f[0].summary.starts_with("no echo within 10.0 s"), "{}", f[0].summary);
}

/// `n` handshakes of `total_us` µs each (TLS all of it but 300 µs), plus `failed`
/// refusals. Under 2,048 µs the percentiles are exact.
fn stats(n: u64, total_us: u64, failed: u64) -> Stats {
    let mut s = Stats::new(n + failed, n + failed);
    let start = Instant::now();
    let us = Duration::from_micros;
    for _ in 0..n {
        s.add(
            Outcome {
                dns: Some(us(100)),
                tcp: Some(us(100)),
                tls: Some(us(total_us - 300)),
                upgrade: Some(us(100)),
                total: Some(us(total_us)),
                ready_at: Some(start),
                ..Outcome::default()
            },
            start,
        );
    }
    for _ in 0..failed {
        let failure = Some(Failure::Status {
            status: 403,
            line: "HTTP/1.1 403 Forbidden".into(),
            body: String::new(),
        });
        s.add(
            Outcome {
                failure,
                ..Outcome::default()
            },
            start,
        );
    }
    s
}

fn codes(f: &[Finding]) -> Vec<(&str, Severity)> {
    f.iter().map(|f| (f.code.as_str(), f.severity)).collect()
}

#[test]
fn a_handshake_p95_at_warn_after_warns_and_at_error_after_errs() {
    let mut t = target();
    t.warn_after = Duration::from_millis(1);
    t.error_after = Duration::from_millis(2);
    let below = findings(&stats(1, 999, 0), &t, &[]);
    assert_eq!(codes(&below), [("ws.handshake", Severity::Ok)]);
    let at_warn = findings(&stats(1, 1000, 0), &t, &[]);
    assert_eq!(codes(&at_warn), [("ws.slow_phase", Severity::Warning)]);
    assert_eq!(
        at_warn[0].summary,
        "TLS handshake p99 700 µs: the slowest phase; handshake p95 1.0 ms is at or above 1.0 ms"
    );
    assert_eq!(at_warn[0].labels.get("phase").map(String::as_str), Some("tls"));
    assert_eq!(
        codes(&findings(&stats(1, 1999, 0), &t, &[])),
        [("ws.slow_phase", Severity::Warning)]
    );
    let at_error = findings(&stats(1, 2000, 0), &t, &[]);
    assert_eq!(codes(&at_error), [("ws.slow_phase", Severity::Error)]);
    assert!(at_error[0].summary.ends_with("is at or above 2.0 ms"), "{}", at_error[0].summary);
}

#[test]
fn the_ok_finding_counts_the_handshakes_and_needs_every_one_to_succeed() {
    let t = target();
    let one = findings(&stats(1, 600, 0), &t, &[]);
    assert_eq!(one[0].summary, "opened in 600 µs; slowest phase TLS handshake p99 300 µs");
    let many = findings(&stats(3, 600, 0), &t, &[]);
    assert_eq!(
        many[0].summary,
        "opened 3 connections, 3 at a time: handshake p50 600 µs, p99 600 µs; slowest phase TLS handshake p99 300 µs"
    );
    // Fast, but one of three was refused: the refusal, and no ok finding.
    let some_failed = findings(&stats(2, 600, 1), &t, &[]);
    assert_eq!(codes(&some_failed), [("ws.upgrade_rejected", Severity::Error)]);
    assert!(some_failed[0].summary.starts_with("1 of 3 connections: the server refused"));
    // One connection: no count before the failure.
    let alone = findings(&stats(0, 600, 1), &t, &[]);
    assert!(
        alone[0]
            .summary
            .starts_with("the server refused the upgrade with 403; no token was sent")
    );
}

#[test]
fn hints_follow_the_close_code_and_the_phase_that_timed_out() {
    let failed = |failure: Failure| {
        let mut s = Stats::new(1, 1);
        s.add(
            Outcome {
                failure: Some(failure),
                ..Outcome::default()
            },
            Instant::now(),
        );
        findings(&s, &target(), &[]).remove(0)
    };
    let closed = |code| Failure::Closed {
        phase: Phase::FirstMessage,
        code,
        reason: String::new(),
    };
    let policy = failed(closed(1008));
    assert!(policy.hint.as_deref().is_some_and(|h| h.starts_with("1008 is a policy violation")));
    assert_eq!(policy.evidence.as_deref(), Some("close frame 1008, no reason given"));
    assert_eq!(failed(closed(1011)).hint, None);
    let tls = failed(Failure::Timeout { phase: Phase::Tls });
    assert!(tls.hint.as_deref().is_some_and(|h| h.contains("use ws://")), "{tls:?}");
    let upgrade = failed(Failure::Timeout { phase: Phase::Upgrade });
    assert_eq!(
        upgrade.hint.as_deref(),
        Some("the phase named is where the time goes; raise --timeout to measure it in full")
    );
}

#[test]
fn concurrency_leaves_the_reserve_of_the_open_file_limit() {
    let mut t = target();
    let fd = |soft| FdLimit { soft, hard: soft };
    t.concurrency = 36;
    assert_eq!(concurrency(&t, None), 36);
    assert_eq!(concurrency(&t, Some(&fd(100))), 36);
    t.concurrency = 37;
    assert_eq!(concurrency(&t, Some(&fd(100))), 36);
    t.concurrency = 2;
    assert_eq!(concurrency(&t, Some(&fd(100))), 2);
    t.concurrency = 1000;
    assert_eq!(concurrency(&t, Some(&fd(1024))), 960);
    assert_eq!(concurrency(&t, Some(&fd(10))), 1);
    assert_eq!(concurrency(&t, None), 1000);
}

#[test]
fn compare_gives_ratios_per_phase() {
    let (mut a, mut b) = (Stats::new(1, 1), Stats::new(1, 1));
    a.add(ok_outcome(4, 10), Instant::now());
    b.add(ok_outcome(2, 10), Instant::now());
    let mut obs = Observation::new("ws.compare", "a vs b");
    compare(&a, &b, &mut obs);
    match obs.measurement("tls_p99_ratio") {
        Some(crate::report::Value::Num(r)) => assert!((r - 2.0).abs() < 0.01, "{r}"),
        other => panic!("{other:?}"),
    }
    assert!(
        obs.findings
            .iter()
            .any(|f| f.summary.starts_with("TLS handshake: p50 4.0 ms vs 2.0 ms (2.00x)"))
    );
}
