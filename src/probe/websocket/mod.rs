//! WebSocket probe: opens `-n` connections `-c` at a time and shows where the time goes,
//! phase by phase (DNS, TCP, TLS, HTTP upgrade, first round-trip, ping/pong), as HDR
//! percentiles, with every failure mapped to its own finding and the server's words as
//! evidence. `--compare URL` runs the same workload against a second endpoint.
//!
//! Checks: `ws.handshake` (one per endpoint), `ws.compare` (with `--compare`).

pub mod conn;
pub mod target;

pub use target::{Endpoint, Target};

use super::{BoxFuture, Probe, Recorder};
use crate::redact;
use crate::report::{Finding, Observation, Severity, human, human_ms};
use conn::{Dialer, Failure, Outcome, Phase, Workload, run_one};
use hdrhistogram::Histogram;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct WsProbe {
    pub target: Target,
}

impl Probe for WsProbe {
    fn name(&self) -> &'static str {
        "ws"
    }

    fn target(&self) -> String {
        self.target.endpoint.display.clone()
    }

    fn run<'a>(&'a self, rec: &'a Recorder) -> BoxFuture<'a, ()> {
        Box::pin(run(&self.target, rec))
    }

    /// Each connection has `--timeout` of its own; the probe as a whole gets enough for
    /// every round of connections (and their `--hold`), so the per-connection deadline,
    /// which knows the phase, is the one that fires.
    fn budget(&self, timeout: Duration) -> Duration {
        let t = &self.target;
        // The concurrency the run will have: fewer at once under a low open-file limit
        // means more rounds.
        let at_once = concurrency(t, fd_limit()) as u32;
        let rounds = t.connections.div_ceil(at_once.max(1));
        // Set-up, hold, a send stuck at the end of the hold, and the close.
        let per = timeout * 2 + t.hold.unwrap_or_default() + Duration::from_secs(2);
        let endpoints = if t.compare.is_some() { 2 } else { 1 };
        (per * rounds + Duration::from_secs(1)) * endpoints
    }

    fn timeout_hint(&self) -> String {
        "check that the WebSocket endpoint is up and reachable from here, or raise --timeout".into()
    }
}

/// The open-file limit, raised to the hard limit when allowed.
struct FdLimit {
    soft: u64,
    hard: u64,
}

fn raise_fd_limit() -> Option<FdLimit> {
    let (_, hard) = rlimit::Resource::NOFILE.get().ok()?;
    let soft = rlimit::increase_nofile_limit(hard).ok()?;
    Some(FdLimit { soft, hard })
}

/// The open-file limit, raised once per process (the budget and the run both ask).
fn fd_limit() -> Option<&'static FdLimit> {
    static LIMIT: std::sync::OnceLock<Option<FdLimit>> = std::sync::OnceLock::new();
    LIMIT.get_or_init(raise_fd_limit).as_ref()
}

/// How many connections run at once: `-c`, or what the open-file limit leaves room for.
fn concurrency(t: &Target, fd: Option<&FdLimit>) -> u64 {
    let asked = t.concurrency as u64;
    match fd {
        Some(fd) if asked + FD_RESERVE > fd.soft => fd.soft.saturating_sub(FD_RESERVE).max(1),
        _ => asked,
    }
}

/// File descriptors kept for everything but the connections (stdio, runtime, DNS).
const FD_RESERVE: u64 = 64;

async fn run(t: &Target, rec: &Recorder) {
    let secrets = t.secrets();
    let fd = fd_limit();
    let a = endpoint(t, &t.endpoint, rec, fd, &secrets).await;
    if let Some(other) = &t.compare {
        let b = endpoint(t, other, rec, fd, &secrets).await;
        if let (Some(a), Some(b)) = (a, b) {
            let mut obs = Observation::new("ws.compare", format!("{} vs {}", t.endpoint.display, other.display));
            compare(&a, &b, &mut obs);
            rec.commit(obs);
        }
    }
}

/// Runs the workload against one endpoint and commits its `ws.handshake` check.
async fn endpoint(t: &Target, ep: &Endpoint, rec: &Recorder, fd: Option<&FdLimit>, secrets: &[String]) -> Option<Stats> {
    let check = "ws.handshake";
    let mut obs = Observation::new(check, ep.display.clone());
    rec.phase(check, &format!("connecting to {}", ep.display));
    let dialer = match Dialer::new(t, ep) {
        Ok(d) => Arc::new(d),
        Err(e) => {
            let code = if e.contains("cacert") { "ws.tls" } else { "ws.upgrade_failed" };
            obs.push(Finding::new(code, Severity::Error, "cannot prepare the connection").evidence(redact::scrub(&e, secrets)));
            rec.commit(obs);
            return None;
        }
    };
    let work = Arc::new(Workload::new(t));
    let concurrency = concurrency(t, fd);
    if let Some(fd) = fd {
        obs.measure("fd_limit", fd.soft as f64, "count");
        if concurrency < t.concurrency as u64 {
            let (allowed, asked) = (concurrency, t.concurrency);
            obs.push(
                Finding::new(
                    "ws.fd_limit",
                    Severity::Warning,
                    format!(
                        "the open-file limit ({} soft, {} hard) allows {allowed} connections at once, not {asked}: ran {allowed} at a time",
                        fd.soft, fd.hard
                    ),
                )
                .hint("raise the hard limit (`ulimit -Hn` as root, or LimitNOFILE= in a systemd unit) to hold more connections"),
            );
        }
    }
    let mut stats = Stats::new(t.connections as u64, concurrency);
    stats.closed_loop_hold = t.hold.filter(|_| t.await_echo);
    let started = Instant::now();
    if concurrency == 1 {
        // One at a time: the runner's progress names each phase as it happens.
        let on_phase = |p: Phase| rec.phase(check, p.doing());
        for _ in 0..t.connections {
            let o = run_one(&dialer, &work, &on_phase).await;
            stats.add(o, started);
        }
    } else {
        let mut set = tokio::task::JoinSet::new();
        let mut launched = 0u64;
        let n = t.connections as u64;
        loop {
            while launched < n && (set.len() as u64) < concurrency {
                let (d, w) = (dialer.clone(), work.clone());
                set.spawn(async move { run_one(&d, &w, &|_| {}).await });
                launched += 1;
            }
            match set.join_next().await {
                Some(Ok(o)) => {
                    stats.add(o, started);
                    if stats.done.is_multiple_of(100) {
                        rec.phase(check, &format!("{} of {n} connections done, {} at a time", stats.done, concurrency));
                    }
                }
                Some(Err(e)) => stats.add(
                    Outcome {
                        failure: Some(Failure::Lost {
                            phase: Phase::Close,
                            text: format!("connection task failed: {e}"),
                        }),
                        ..Outcome::default()
                    },
                    started,
                ),
                None => break,
            }
        }
    }
    stats.wall = started.elapsed();
    stats.measure(&mut obs);
    for f in findings(&stats, t, secrets) {
        obs.push(f);
    }
    rec.commit(obs);
    Some(stats)
}

/// Percentiles of one phase over all connections, in microseconds.
pub struct PhaseStats {
    hist: Histogram<u64>,
}

impl PhaseStats {
    fn new() -> PhaseStats {
        PhaseStats {
            // 1 µs to 24 h at 3 significant digits: constant bounds that are always valid.
            hist: Histogram::new_with_bounds(1, 24 * 3600 * 1_000_000, 3).expect("valid histogram bounds"),
        }
    }
    fn record(&mut self, d: Duration) {
        let _ = self.hist.record((d.as_micros() as u64).clamp(1, 24 * 3600 * 1_000_000));
    }
    pub fn len(&self) -> u64 {
        self.hist.len()
    }
    pub fn is_empty(&self) -> bool {
        self.hist.is_empty()
    }
    /// The `q` quantile in milliseconds.
    pub fn ms(&self, q: f64) -> f64 {
        round3(self.hist.value_at_quantile(q) as f64 / 1000.0)
    }
    pub fn max_ms(&self) -> f64 {
        round3(self.hist.max() as f64 / 1000.0)
    }
}

/// Everything measured against one endpoint.
pub struct Stats {
    pub connections: u64,
    pub concurrency: u64,
    pub done: u64,
    pub succeeded: u64,
    pub phases: BTreeMap<Phase, PhaseStats>,
    pub total: PhaseStats,
    /// Failures by kind: how many, and the first one seen.
    pub errors: BTreeMap<&'static str, (u64, Failure)>,
    pub subprotocol: Option<String>,
    pub sent: u64,
    pub received: u64,
    /// With `--await-echo`: every message's round trip (send → echo), all connections.
    pub rtt: PhaseStats,
    /// With `--await-echo`: the `--hold` the echoes were counted over.
    pub closed_loop_hold: Option<Duration>,
    /// When the last successful handshake finished, from the start.
    pub last_ready: Option<Duration>,
    pub wall: Duration,
}

impl Stats {
    pub fn new(connections: u64, concurrency: u64) -> Stats {
        Stats {
            connections,
            concurrency,
            done: 0,
            succeeded: 0,
            phases: Phase::TIMED.iter().map(|p| (*p, PhaseStats::new())).collect(),
            total: PhaseStats::new(),
            errors: BTreeMap::new(),
            subprotocol: None,
            sent: 0,
            received: 0,
            rtt: PhaseStats::new(),
            closed_loop_hold: None,
            last_ready: None,
            wall: Duration::ZERO,
        }
    }

    pub fn add(&mut self, o: Outcome, started: Instant) {
        self.done += 1;
        for p in Phase::TIMED {
            if let (Some(d), Some(s)) = (o.phase_time(p), self.phases.get_mut(&p)) {
                s.record(d);
            }
        }
        if let Some(s) = self.phases.get_mut(&Phase::Ping) {
            for d in &o.pings {
                s.record(*d);
            }
        }
        if let (Some(total), Some(ready)) = (o.total, o.ready_at) {
            self.total.record(total);
            let at = ready.saturating_duration_since(started);
            self.last_ready = Some(self.last_ready.map_or(at, |l| l.max(at)));
        }
        self.sent += o.sent;
        self.received += o.received;
        for us in &o.echo_rtts_us {
            self.rtt.record(Duration::from_micros(u64::from(*us)));
        }
        if self.subprotocol.is_none() {
            self.subprotocol = o.subprotocol;
        }
        match o.failure {
            None => self.succeeded += 1,
            Some(f) => {
                self.errors.entry(f.kind()).or_insert((0, f)).0 += 1;
            }
        }
    }

    pub fn failed(&self) -> u64 {
        self.errors.values().map(|(n, _)| n).sum()
    }

    /// Handshakes completed per second, over the time until the last one completed.
    pub fn rate(&self) -> Option<f64> {
        let secs = self.last_ready?.as_secs_f64();
        (!self.total.is_empty() && secs > 0.0).then(|| round1(self.total.len() as f64 / secs))
    }

    /// With `--await-echo`: echoes received ÷ `--hold`, summed over connections (the
    /// aggregate rate when all of them hold at once, `-n` equal to `-c`).
    pub fn messages_per_second(&self) -> Option<f64> {
        let secs = self.closed_loop_hold?.as_secs_f64();
        (secs > 0.0).then(|| round1(self.received as f64 / secs))
    }

    /// The timed phase with the highest p99 (the one to look at first).
    pub fn slowest(&self) -> Option<(Phase, f64)> {
        self.phases
            .iter()
            .filter(|(p, s)| !s.is_empty() && **p != Phase::Ping)
            .map(|(p, s)| (*p, s.ms(0.99)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    fn measure(&self, obs: &mut Observation) {
        obs.measure("connections", self.connections as f64, "count");
        obs.measure("concurrency", self.concurrency as f64, "count");
        obs.measure("succeeded", self.succeeded as f64, "count");
        obs.measure("failed", self.failed() as f64, "count");
        if let Some(r) = self.rate().filter(|_| self.connections > 1) {
            obs.measure("handshakes_per_s", r, "1/s");
        }
        let mut put = |key: &str, s: &PhaseStats| {
            if s.is_empty() {
                return;
            }
            obs.measure(&format!("{key}_p50_ms"), s.ms(0.5), "ms");
            obs.measure(&format!("{key}_p90_ms"), s.ms(0.9), "ms");
            obs.measure(&format!("{key}_p99_ms"), s.ms(0.99), "ms");
            obs.measure(&format!("{key}_max_ms"), s.max_ms(), "ms");
        };
        for (p, s) in &self.phases {
            put(p.key(), s);
        }
        put("total", &self.total);
        put("message_rtt", &self.rtt);
        if let Some(r) = self.messages_per_second() {
            obs.measure("messages_per_second", r, "1/s");
        }
        for (kind, (n, _)) in &self.errors {
            obs.measure(&format!("errors_{kind}"), *n as f64, "count");
        }
        if let Some(p) = &self.subprotocol {
            obs.measure_text("subprotocol", p.clone());
        }
        if self.sent > 0 || self.received > 0 {
            obs.measure("messages_sent", self.sent as f64, "count");
            obs.measure("messages_received", self.received as f64, "count");
        }
    }
}

/// The findings for one endpoint's figures. Pure: unit-tested on built `Stats`.
pub fn findings(s: &Stats, t: &Target, secrets: &[String]) -> Vec<Finding> {
    let scrub = |x: &str| redact::scrub(x, secrets);
    let mut out = Vec::new();
    let of = |n: u64| {
        if s.connections == 1 {
            String::new()
        } else {
            format!("{n} of {} connections: ", s.connections)
        }
    };
    for (n, f) in s.errors.values() {
        let prefix = of(*n);
        let finding = match f {
            Failure::Dns(e) => Finding::new("ws.dns", Severity::Error, format!("{prefix}cannot resolve `{}`", t.endpoint.host))
                .evidence(scrub(e))
                .hint("check the host name; inside Kubernetes use the Service name"),
            Failure::Unreachable(e) => Finding::new(
                "ws.unreachable",
                Severity::Error,
                format!("{prefix}cannot connect to {}:{}", t.endpoint.host, t.endpoint.port),
            )
            .evidence(scrub(e))
            .hint("check host and port, and that the gateway pod or service is running"),
            Failure::Tls(e) => Finding::new("ws.tls", Severity::Error, format!("{prefix}TLS handshake failed"))
                .evidence(scrub(e))
                .hint("check the server certificate and the CA trusted here (--cacert FILE); --insecure skips verification (testing only); use ws:// for a plain-text port"),
            Failure::Status { status, line, body } => {
                let evidence = if body.is_empty() { scrub(line) } else { scrub(&format!("{line} — {body}")) };
                if matches!(status, 401 | 403) {
                    let how = match &t.token {
                        Some(tok) => format!(
                            "the token (sha256:{}) was sent in {}",
                            redact::fingerprint(tok.expose()),
                            t.token_in.describe()
                        ),
                        None => "no token was sent".into(),
                    };
                    Finding::new(
                        "ws.upgrade_rejected",
                        Severity::Error,
                        format!("{prefix}the server refused the upgrade with {status}; {how}"),
                    )
                    .evidence(evidence)
                    .hint("check that the token is valid and not expired, and where the gateway reads it (--token-in header|query|cookie|subprotocol)")
                } else {
                    Finding::new(
                        "ws.upgrade_failed",
                        Severity::Error,
                        format!("{prefix}the server answered the upgrade with {status} instead of 101"),
                    )
                    .evidence(evidence)
                    .hint("check the path, and that every proxy on the way passes `Upgrade: websocket` through")
                }
            }
            Failure::Subprotocol { offered, answered, text } => Finding::new(
                "ws.subprotocol_mismatch",
                Severity::Error,
                format!("{prefix}the server's subprotocol does not match what was offered ({offered})"),
            )
            .evidence(scrub(&format!("{answered} ({text})")))
            .hint("the server must echo one of the offered protocols in Sec-WebSocket-Protocol, never the token; browsers fail the connection otherwise"),
            Failure::Upgrade(e) => Finding::new("ws.upgrade_failed", Severity::Error, format!("{prefix}the WebSocket upgrade failed"))
                .evidence(scrub(e))
                .hint("check that the URL points at a WebSocket endpoint and that proxies pass `Upgrade: websocket` through"),
            Failure::Closed { phase, code, reason } => {
                let name = close_code_name(*code);
                let summary = format!(
                    "{prefix}the server closed the connection with {code} ({name}) during {}",
                    phase.label()
                );
                let f = Finding::new("ws.closed_by_server", Severity::Error, summary).evidence(if reason.is_empty() {
                    format!("close frame {code}, no reason given")
                } else {
                    scrub(&format!("close frame {code}: {reason}"))
                });
                if *code == 1008 {
                    f.hint("1008 is a policy violation: usually the token was refused after the upgrade (expired, wrong audience, or expected in another place)")
                } else {
                    f
                }
            }
            Failure::Lost { phase, text } => Finding::new(
                "ws.closed_by_server",
                Severity::Error,
                format!("{prefix}the connection ended without a close frame during {}", phase.label()),
            )
            .evidence(scrub(text))
            .hint("look for a proxy or load balancer idle timeout, or the server crashing"),
            Failure::ExpectTimeout { last } => {
                let want = t.expect.as_deref().map(|e| format!("`{}`", scrub(e))).unwrap_or_else(|| "any message".into());
                let f = Finding::new(
                    "ws.expect_timeout",
                    Severity::Error,
                    format!("{prefix}no message matching {want} within {} of opening", human(t.timeout)),
                )
                .hint("check the message sent with --send and the text expected with --expect; the in-band auth may be what is slow");
                match last {
                    Some(m) => f.evidence(scrub(&format!("last message received: {m}"))),
                    None => f.evidence("no message received"),
                }
            }
            Failure::Timeout { phase: Phase::Hold } if t.await_echo => Finding::new(
                "ws.timeout",
                Severity::Error,
                format!(
                    "{prefix}no echo within {} of sending a message while holding the connection (--await-echo)",
                    human(t.timeout)
                ),
            )
            .hint("the server stopped answering (or reading): with --await-echo each message must get one text or binary message back; raise --timeout for slow answers"),
            Failure::Timeout { phase } => Finding::new(
                "ws.timeout",
                Severity::Error,
                format!("{prefix}no answer within {} while {}", human(t.timeout), phase.doing()),
            )
            .hint(if *phase == Phase::Tls {
                "if this port serves plain-text WebSocket, use ws:// (a TLS handshake with a plain-text port never completes); otherwise raise --timeout to measure the phase in full"
            } else {
                "the phase named is where the time goes; raise --timeout to measure it in full"
            }),
        };
        out.push(finding);
    }

    if !s.rtt.is_empty() {
        let rate = s.messages_per_second().map(|r| format!(", {r} messages/s")).unwrap_or_default();
        out.push(
            Finding::new(
                "ws.message_rtt",
                Severity::Info,
                format!(
                    "closed loop: {} of {} messages echoed{rate}; round trip p50 {}, p99 {}",
                    s.received,
                    s.sent,
                    human_ms(s.rtt.ms(0.5)),
                    human_ms(s.rtt.ms(0.99))
                ),
            )
            .evidence(format!(
                "message round trip p50 {}, p90 {}, p99 {}, max {}",
                human_ms(s.rtt.ms(0.5)),
                human_ms(s.rtt.ms(0.9)),
                human_ms(s.rtt.ms(0.99)),
                human_ms(s.rtt.max_ms())
            )),
        );
    }
    if s.total.is_empty() {
        return out;
    }
    let p95 = s.total.ms(0.95);
    let slowest = s.slowest();
    let slow_text = match slowest {
        Some((p, ms)) => format!("{} p99 {}", p.label(), human_ms(ms)),
        None => String::new(),
    };
    let warn_ms = t.warn_after.as_secs_f64() * 1000.0;
    let error_ms = t.error_after.as_secs_f64() * 1000.0;
    if p95 >= warn_ms {
        let (sev, limit) = if p95 >= error_ms {
            (Severity::Error, t.error_after)
        } else {
            (Severity::Warning, t.warn_after)
        };
        out.push(
            Finding::new(
                "ws.slow_phase",
                sev,
                format!(
                    "{slow_text}: the slowest phase; handshake p95 {} is at or above {}",
                    human_ms(p95),
                    human(limit)
                ),
            )
            .evidence(phase_line(s))
            .hint(slow_hint(slowest.map(|x| x.0)))
            .subject(t.endpoint.display.clone())
            .label("phase", slowest.map(|x| x.0.key()).unwrap_or("total")),
        );
    }
    if s.failed() == 0 && p95 < warn_ms {
        let token = match &t.token {
            Some(tok) => format!("; token sha256:{} in {}", redact::fingerprint(tok.expose()), t.token_in.describe()),
            None => String::new(),
        };
        let opened = if s.connections == 1 {
            format!("opened in {}", human_ms(s.total.ms(0.5)))
        } else {
            format!(
                "opened {} connections, {} at a time: handshake p50 {}, p99 {}",
                s.succeeded,
                s.concurrency,
                human_ms(s.total.ms(0.5)),
                human_ms(s.total.ms(0.99))
            )
        };
        out.push(Finding::new(
            "ws.handshake",
            Severity::Ok,
            format!("{opened}; slowest phase {slow_text}{token}"),
        ));
    }
    out
}

/// Every timed phase's p99 on one line, for evidence.
fn phase_line(s: &Stats) -> String {
    s.phases
        .iter()
        .filter(|(_, st)| !st.is_empty())
        .map(|(p, st)| format!("{} p99 {}", p.label(), human_ms(st.ms(0.99))))
        .collect::<Vec<_>>()
        .join(", ")
}

fn slow_hint(p: Option<Phase>) -> &'static str {
    match p {
        Some(Phase::Dns) => "DNS is slow: check the resolver (ndots and search domains in Kubernetes) or use the Service's FQDN",
        Some(Phase::Tcp) => {
            "TCP connect is slow: the listen backlog is full or the network path is congested; check the gateway's accept loop and replicas"
        }
        Some(Phase::Tls) => "the TLS handshake is slow: check the terminating proxy's CPU, certificate chain length, and OCSP stapling",
        Some(Phase::Upgrade) => {
            "the server takes long to answer the upgrade: authentication in the handshake (JWT validation, token refresh, Redis lookups) is the usual cause; cache verified tokens (aiwfe proxy does)"
        }
        Some(Phase::FirstMessage) => {
            "the in-band round-trip is slow: the application's auth or session set-up after the upgrade is the cause"
        }
        _ => "compare the phases with --compare against the upstream directly",
    }
}

/// Names of the close codes of RFC 6455 §7.4.1.
pub fn close_code_name(code: u16) -> &'static str {
    match code {
        1000 => "normal closure",
        1001 => "going away",
        1002 => "protocol error",
        1003 => "unsupported data",
        1005 => "no status",
        1006 => "abnormal closure",
        1007 => "invalid payload",
        1008 => "policy violation",
        1009 => "message too big",
        1010 => "missing extension",
        1011 => "internal error",
        1012 => "service restart",
        1013 => "try again later",
        1014 => "bad gateway",
        3000 => "unauthorized",
        3003 => "forbidden",
        4000..=4999 => "application-defined",
        _ => "unknown code",
    }
}

/// Side by side: each phase's p50 and p99 at `a` and `b`, and their ratio (`a` ÷ `b`).
pub fn compare(a: &Stats, b: &Stats, obs: &mut Observation) {
    let rows: Vec<(&str, &str, &PhaseStats, &PhaseStats)> = Phase::TIMED
        .iter()
        .filter_map(|p| Some((p.key(), p.label(), a.phases.get(p)?, b.phases.get(p)?)))
        .chain(std::iter::once(("total", "handshake", &a.total, &b.total)))
        .chain(std::iter::once(("message_rtt", "message round trip", &a.rtt, &b.rtt)))
        .filter(|(_, _, x, y)| !x.is_empty() && !y.is_empty())
        .collect();
    for (key, label, x, y) in rows {
        let mut line = format!("{label}:");
        for (q, qn) in [(0.5, "p50"), (0.99, "p99")] {
            let (va, vb) = (x.ms(q), y.ms(q));
            let ratio = if vb > 0.0 { round2(va / vb) } else { 0.0 };
            obs.measure(&format!("{key}_{qn}_ratio"), ratio, "x");
            line.push_str(&format!(" {qn} {} vs {} ({ratio:.2}x)", human_ms(va), human_ms(vb)));
            if qn == "p50" {
                line.push(',');
            }
        }
        obs.push(Finding::new("ws.compare", Severity::Info, line));
    }
    if let (Some(ra), Some(rb)) = (a.rate(), b.rate()) {
        obs.measure("handshakes_per_s_a", ra, "1/s");
        obs.measure("handshakes_per_s_b", rb, "1/s");
        if rb > 0.0 {
            obs.measure("handshakes_per_s_ratio", round2(ra / rb), "x");
        }
    }
    if let (Some(ma), Some(mb)) = (a.messages_per_second(), b.messages_per_second()) {
        obs.measure("messages_per_second_a", ma, "1/s");
        obs.measure("messages_per_second_b", mb, "1/s");
        if mb > 0.0 {
            obs.measure("messages_per_second_ratio", round2(ma / mb), "x");
        }
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests;
