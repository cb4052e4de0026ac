//! Redis probe: connect, authenticate with our own AUTH (so the server's reply reaches the
//! finding verbatim), PING latency like `redis-cli --latency`, and `INFO` figures.
//!
//! Checks: `redis.auth` (reachability, TLS, authentication), `redis.latency`,
//! `redis.server` (version, role, clients against `maxclients`).

use super::{BoxFuture, Probe, Recorder};
use crate::redact::{self, Secret};
use crate::report::{Finding, Observation, Severity};
use hdrhistogram::Histogram;
use redis::RedisError;
use redis::aio::MultiplexedConnection;
use std::collections::HashMap;
use std::time::Instant;

mod wire;

/// A Redis endpoint, parsed and checked.
#[derive(Debug, Clone)]
pub struct Target {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    /// `rediss://...#insecure`: TLS without certificate verification.
    pub insecure: bool,
    /// PEM bytes of the CA(s) to trust instead of the system's.
    pub cacert: Option<Vec<u8>>,
    pub db: i64,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// The URL as shown in reports: password masked.
    pub display: String,
    pub pings: u32,
    pub latency_warn_ms: f64,
    pub clients_warn_pct: f64,
    pub clients_error_pct: f64,
}

/// Where Redis is when nothing names it.
pub const DEFAULT_URL: &str = "redis://127.0.0.1:6379";
/// PINGs for the latency figures.
pub const PINGS: u32 = 20;
/// A PING p99 above this is a warning.
pub const LATENCY_WARN_MS: f64 = 50.0;
/// Connected clients at or above this share of `maxclients` is a warning.
pub const CLIENTS_WARN_PCT: f64 = 80.0;
/// Connected clients at or above this share of `maxclients` is an error.
pub const CLIENTS_ERROR_PCT: f64 = 95.0;

pub struct RedisProbe {
    pub target: Target,
}

impl Probe for RedisProbe {
    fn name(&self) -> &'static str {
        "redis"
    }

    fn target(&self) -> String {
        self.target.display.clone()
    }

    fn run<'a>(&'a self, rec: &'a Recorder) -> BoxFuture<'a, ()> {
        Box::pin(run(&self.target, rec))
    }

    fn timeout_hint(&self) -> String {
        if self.target.tls {
            "if this port serves plain-text Redis, use redis:// (a TLS handshake with a plain-text port never completes); \
             otherwise check that Redis is up and reachable from here, or raise --timeout"
                .into()
        } else {
            "check that Redis is up and reachable from here, or raise --timeout".into()
        }
    }
}

async fn run(t: &Target, rec: &Recorder) {
    let secrets: Vec<String> = t.password.iter().map(|p| p.expose().to_string()).collect();
    let mut auth = rec.observation("redis.auth");
    let over = if t.tls { " over TLS" } else { "" };
    rec.phase("redis.auth", &format!("connecting to {}:{}{over}", t.host, t.port));
    let Some(mut con) = connect(t, rec, &mut auth, &secrets).await else {
        rec.commit(auth);
        return;
    };

    rec.phase("redis.auth", "authenticating");
    if !authenticate(t, &mut con, &mut auth, &secrets).await {
        rec.commit(auth);
        return;
    }
    if t.db != 0 {
        tracing::debug!("redis: SELECT {}", t.db);
    }
    if t.db != 0
        && let Err(e) = redis::cmd("SELECT").arg(t.db).query_async::<()>(&mut con.con).await
    {
        auth.push(con.failure(&e, t, &secrets));
        rec.commit(auth);
        return;
    }
    rec.commit(auth);

    rec.phase("redis.latency", &format!("sending {} PINGs", t.pings));
    let mut lat = rec.observation("redis.latency");
    latency(t, &mut con, &mut lat, &secrets).await;
    rec.commit(lat);

    rec.phase("redis.server", "reading INFO");
    let mut server = rec.observation("redis.server");
    info(t, &mut con, &mut server, &secrets).await;
    rec.commit(server);
}

/// Opens a connection that sends nothing of its own (no AUTH, no CLIENT SETINFO), whose
/// replies are read within `wire`'s limits.
async fn connect(t: &Target, rec: &Recorder, obs: &mut Observation, secrets: &[String]) -> Option<Conn> {
    // A little past the probe's deadline, so the runner's timeout (which knows the phase)
    // fires first; this only guards against a runner that is not there.
    let guard = rec.remaining() + std::time::Duration::from_millis(500);
    let dial = wire::Dial {
        host: &t.host,
        port: t.port,
        tls: t.tls.then_some((t.cacert.as_deref(), t.insecure)),
        timeout: guard,
    };
    let started = Instant::now();
    match wire::connect(&dial).await {
        Ok((con, watch)) => {
            obs.measure("connect_ms", ms(started), "ms");
            Some(Conn { con, watch })
        }
        Err(e) => {
            obs.push(connect_finding(&e, t, secrets));
            None
        }
    }
}

/// A connection and what it saw the server break.
struct Conn {
    con: MultiplexedConnection,
    watch: wire::Watch,
}

impl Conn {
    /// The finding for a failed command: the protocol breach when the server made one,
    /// else what the error says.
    fn failure(&self, e: &RedisError, t: &Target, secrets: &[String]) -> Finding {
        match self.breach() {
            Some(b) => breach_finding(b, t),
            None => server_finding(e, t, secrets),
        }
    }

    fn breach(&self) -> Option<wire::Breach> {
        self.watch.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A server that does not speak Redis, or speaks it without end.
fn breach_finding(b: wire::Breach, t: &Target) -> Finding {
    let addr = format!("{}:{}", t.host, t.port);
    match b {
        wire::Breach::NotResp(first) => Finding::new(
            "redis.unreachable",
            Severity::Error,
            format!("{addr} is not a Redis server: its answer is not a Redis reply"),
        )
        .evidence(format!("the server sent: {first}"))
        .hint(if t.tls {
            "check host and port (an HTTP or other service answers there), and TLS (rediss:// needs a TLS port)"
        } else {
            "check host and port: another service (HTTP, a TLS port, a proxy) answers there"
        }),
        wire::Breach::LongLine => Finding::new(
            "redis.reply_too_large",
            Severity::Error,
            format!(
                "{addr} sent a line of more than {} KiB without an end; no Redis server does, so the probe stopped reading",
                wire::MAX_LINE / 1024
            ),
        )
        .hint("check host and port: the service there is not Redis, or something between rewrites the stream"),
        wire::Breach::LargeReply => Finding::new(
            "redis.reply_too_large",
            Severity::Error,
            format!(
                "{addr} sent a reply of more than {} MiB to a probe command; the probe stopped reading",
                wire::MAX_REPLY >> 20
            ),
        )
        .hint("check host and port: the service there is not Redis, or something between rewrites the stream"),
    }
}

/// Sends AUTH ourselves when a password is configured, or a PING when not, so that NOAUTH,
/// WRONGPASS and friends arrive as the server wrote them.
async fn authenticate(t: &Target, c: &mut Conn, obs: &mut Observation, secrets: &[String]) -> bool {
    let started = Instant::now();
    match &t.password {
        Some(pw) => {
            let mut cmd = redis::cmd("AUTH");
            if let Some(user) = &t.username {
                cmd.arg(user);
            }
            cmd.arg(pw.expose());
            tracing::debug!(
                "redis: AUTH {}***",
                t.username.as_deref().map(|u| format!("{u} ")).unwrap_or_default()
            );
            match cmd.query_async::<()>(&mut c.con).await {
                Ok(()) => {
                    obs.measure("auth_ms", ms(started), "ms");
                    let who = t.username.as_deref().unwrap_or("default");
                    obs.push(
                        Finding::new(
                            "redis.auth_ok",
                            Severity::Ok,
                            format!("authenticated as `{who}` (password sha256:{})", redact::fingerprint(pw.expose())),
                        )
                        .label("password_sha256", redact::fingerprint(pw.expose())),
                    );
                    true
                }
                Err(e) => {
                    let recovered = if dropped(&e) && c.breach().is_none() {
                        unprompted_reply(t).await
                    } else {
                        None
                    };
                    let f = match recovered {
                        Some(line) => classify_reply(&redact::scrub(&line, secrets), t),
                        None => c.failure(&e, t, secrets),
                    };
                    obs.push(f.label("password_sha256", redact::fingerprint(pw.expose())));
                    false
                }
            }
        }
        None => match ping(c).await {
            Ok(_) => {
                obs.measure("auth_ms", ms(started), "ms");
                obs.push(
                    Finding::new("redis.no_password", Severity::Warning, "Redis accepts commands without a password")
                        .hint("set `requirepass` or ACL users on the server, and give clients the password from a Kubernetes secret"),
                );
                true
            }
            Err(e) => {
                let recovered = if dropped(&e) && c.breach().is_none() {
                    unprompted_reply(t).await
                } else {
                    None
                };
                obs.push(match recovered {
                    Some(line) => classify_reply(&line, t),
                    None => c.failure(&e, t, secrets),
                });
                false
            }
        },
    }
}

/// One PING, logged.
async fn ping(c: &mut Conn) -> Result<String, RedisError> {
    tracing::debug!("redis: PING");
    redis::cmd("PING").query_async::<String>(&mut c.con).await
}

/// The connection went away under our first command (the server may have said why first).
fn dropped(e: &RedisError) -> bool {
    e.is_io_error() || e.is_connection_dropped() || e.is_connection_refusal()
}

async fn latency(t: &Target, c: &mut Conn, obs: &mut Observation, secrets: &[String]) {
    let mut hist = match Histogram::<u64>::new_with_bounds(1, 60_000_000, 3) {
        Ok(h) => h,
        Err(_) => return,
    };
    tracing::debug!("redis: {} PINGs", t.pings);
    for _ in 0..t.pings {
        let started = Instant::now();
        if let Err(e) = redis::cmd("PING").query_async::<String>(&mut c.con).await {
            obs.push(c.failure(&e, t, secrets));
            return;
        }
        let _ = hist.record((started.elapsed().as_micros() as u64).max(1));
    }
    let p = |q: f64| hist.value_at_quantile(q) as f64 / 1000.0;
    let (p50, p99, max) = (p(0.5), p(0.99), hist.max() as f64 / 1000.0);
    obs.measure("pings", t.pings as f64, "count");
    obs.measure("ping_min_ms", hist.min() as f64 / 1000.0, "ms");
    obs.measure("ping_p50_ms", p50, "ms");
    obs.measure("ping_p99_ms", p99, "ms");
    obs.measure("ping_max_ms", max, "ms");
    obs.push(latency_finding(p50, p99, max, t.pings, t.latency_warn_ms));
}

/// The latency finding for `pings` PING round trips: `redis.latency_high` when p99 is
/// above `warn_ms`, else `redis.latency`.
fn latency_finding(p50: f64, p99: f64, max: f64, pings: u32, warn_ms: f64) -> Finding {
    let summary = format!("PING p50 {p50:.3} ms, p99 {p99:.3} ms, max {max:.3} ms over {pings} PINGs");
    if p99 > warn_ms {
        Finding::new(
            "redis.latency_high",
            Severity::Warning,
            format!("{summary}: p99 above {warn_ms} ms"),
        )
        .hint("look for slow commands (`SLOWLOG GET`), a saturated CPU, or network distance between client and server")
    } else {
        Finding::new("redis.latency", Severity::Ok, summary)
    }
}

async fn info(t: &Target, c: &mut Conn, obs: &mut Observation, secrets: &[String]) {
    tracing::debug!("redis: INFO");
    let text = match redis::cmd("INFO").query_async::<String>(&mut c.con).await {
        Ok(s) => s,
        Err(e) => {
            let reply = server_text(&e, secrets);
            let f = if reply.starts_with("NOPERM") {
                Finding::new(
                    "redis.noperm",
                    Severity::Info,
                    "this user may not run INFO: version and client figures unknown",
                )
                .evidence(reply)
                .hint("allow `+info` for this ACL user to see client load")
            } else {
                c.failure(&e, t, secrets)
            };
            obs.push(f);
            return;
        }
    };
    let kv = parse_info(&text);
    if let Some(v) = kv.get("redis_version") {
        obs.measure_text("version", *v);
    }
    if let Some(v) = kv.get("role") {
        obs.measure_text("role", *v);
    }
    let num = |k: &str| kv.get(k).and_then(|v| v.parse::<f64>().ok());
    let connected = num("connected_clients");
    let blocked = num("blocked_clients");
    let mut maxclients = num("maxclients");
    if maxclients.is_none() {
        // Before Redis 7 `maxclients` is not in INFO; CONFIG GET may be denied, which is fine.
        if let Ok((_, v)) = redis::cmd("CONFIG")
            .arg("GET")
            .arg("maxclients")
            .query_async::<(String, String)>(&mut c.con)
            .await
        {
            maxclients = v.parse().ok();
        }
    }
    if let Some(c) = connected {
        obs.measure("connected_clients", c, "count");
    }
    if let Some(b) = blocked {
        obs.measure("blocked_clients", b, "count");
    }
    if let Some(m) = maxclients {
        obs.measure("maxclients", m, "count");
    }
    let version = kv.get("redis_version").copied().unwrap_or("unknown");
    let role = kv.get("role").copied().unwrap_or("unknown");
    if let Some(pct) = utilisation(connected, maxclients) {
        obs.measure("clients_utilisation_pct", round1(pct), "%");
    }
    obs.push(clients_finding(connected, maxclients, version, role, t));
}

/// Connected clients as a percentage of `maxclients`, when both are known and the limit is
/// positive.
fn utilisation(connected: Option<f64>, maxclients: Option<f64>) -> Option<f64> {
    match (connected, maxclients) {
        (Some(c), Some(m)) if m > 0.0 => Some(c / m * 100.0),
        _ => None,
    }
}

/// The server finding: `redis.clients_high` (warning at `clients_warn_pct`, error at
/// `clients_error_pct`, both inclusive) or `redis.server`.
fn clients_finding(connected: Option<f64>, maxclients: Option<f64>, version: &str, role: &str, t: &Target) -> Finding {
    let (Some(c), Some(m), Some(pct)) = (connected, maxclients, utilisation(connected, maxclients)) else {
        return Finding::new("redis.server", Severity::Ok, format!("Redis {version}, role {role}"));
    };
    let summary = format!("{c} of {m} clients connected ({pct:.1} %), Redis {version}, role {role}");
    let sev = if pct >= t.clients_error_pct {
        Severity::Error
    } else if pct >= t.clients_warn_pct {
        Severity::Warning
    } else {
        Severity::Ok
    };
    if sev == Severity::Ok {
        Finding::new("redis.server", Severity::Ok, summary)
    } else {
        Finding::new("redis.clients_high", sev, summary)
            .hint("raise `maxclients`, or find the client that leaks connections with `CLIENT LIST`")
    }
}

/// Parses `INFO` text (`key:value` lines, `# Section` headers).
pub fn parse_info(text: &str) -> HashMap<&str, &str> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

/// The server's error reply as it wrote it (`NOAUTH Authentication required.`), or the
/// client library's message when there was no reply.
fn server_text(e: &RedisError, secrets: &[String]) -> String {
    let text = match (e.code(), e.detail()) {
        (Some(code), Some(detail)) => format!("{code} {detail}"),
        (Some(code), None) => code.to_string(),
        _ => e.to_string(),
    };
    redact::scrub(&text, secrets)
}

/// What a Redis server says unprompted to a new connection: nothing, normally; an error line
/// such as `-ERR max number of clients reached` when it refuses the client and closes. Used
/// to recover that line when our first command raced the close (broken pipe, reset).
async fn unprompted_reply(t: &Target) -> Option<String> {
    use tokio::io::AsyncReadExt;
    if t.tls {
        return None;
    }
    let wait = std::time::Duration::from_millis(500);
    let mut s = tokio::time::timeout(wait, tokio::net::TcpStream::connect((t.host.as_str(), t.port)))
        .await
        .ok()?
        .ok()?;
    let mut buf = [0u8; 512];
    let n = tokio::time::timeout(wait, s.read(&mut buf)).await.ok()?.ok()?;
    let text = String::from_utf8_lossy(&buf[..n]);
    let line = text.lines().next()?.strip_prefix('-')?;
    Some(line.trim().to_string())
}

fn server_finding(e: &RedisError, t: &Target, secrets: &[String]) -> Finding {
    if e.is_io_error() || e.is_connection_dropped() || e.is_timeout() {
        return connect_finding(e, t, secrets);
    }
    classify_reply(&server_text(e, secrets), t)
}

/// Maps a server reply to its finding. Pure: unit-tested on the replies of real servers.
pub fn classify_reply(reply: &str, t: &Target) -> Finding {
    let user = t.username.as_deref().unwrap_or("default");
    let upper = reply.to_ascii_uppercase();
    if upper.starts_with("NOAUTH") {
        Finding::new("redis.noauth", Severity::Error, "Redis requires a password and the client gave none")
            .evidence(reply)
            .hint("put the password in the URL (redis://:PASSWORD@host) or in aiwfe.yaml `redis.password_env`; pods that crash with `Authentication required` lack it too")
    } else if upper.starts_with("WRONGPASS") || upper.contains("INVALID PASSWORD") || upper.contains("INVALID USERNAME-PASSWORD") {
        Finding::new(
            "redis.wrongpass",
            Severity::Error,
            format!("Redis rejected the password for user `{user}`"),
        )
        .evidence(reply)
        .hint("the password differs from the server's `requirepass`/ACL; update the client's secret to the server's password")
    } else if upper.contains("WITHOUT ANY PASSWORD CONFIGURED") {
        Finding::new(
            "redis.auth_not_configured",
            Severity::Error,
            "a password was given but Redis has none configured, so AUTH fails",
        )
        .evidence(reply)
        .hint("either set `requirepass` on the server or remove the password from the client")
    } else if upper.contains("MAX NUMBER OF CLIENTS REACHED") {
        Finding::new(
            "redis.maxclients",
            Severity::Error,
            "Redis refuses new connections: `maxclients` reached",
        )
        .evidence(reply)
        .hint("raise `maxclients` or find the client that leaks connections with `CLIENT LIST`")
    } else if upper.starts_with("LOADING") {
        Finding::new(
            "redis.loading",
            Severity::Warning,
            "Redis is loading its dataset and not serving yet",
        )
        .evidence(reply)
    } else if upper.starts_with("NOPERM") {
        Finding::new(
            "redis.noperm",
            Severity::Error,
            format!("user `{user}` lacks a permission this check needs"),
        )
        .evidence(reply)
        .hint("grant the ACL user `+ping +info` at least")
    } else {
        Finding::new("redis.error", Severity::Error, "Redis answered with an error").evidence(reply)
    }
}

fn connect_finding(e: &RedisError, t: &Target, secrets: &[String]) -> Finding {
    let text = server_text(e, secrets);
    let lower = text.to_lowercase();
    let addr = format!("{}:{}", t.host, t.port);
    if lower.contains("max number of clients") {
        return classify_reply(&text, t);
    }
    if e.is_timeout() || lower.contains("timed out") {
        Finding::new("redis.timeout", Severity::Error, format!("no answer from {addr} in time"))
            .evidence(text)
            .hint("check that Redis is up and reachable from here, or raise --timeout")
    } else if t.tls && (lower.contains("tls") || lower.contains("certificate") || lower.contains("handshake") || lower.contains("ssl")) {
        Finding::new("redis.tls", Severity::Error, format!("TLS handshake with {addr} failed"))
            .evidence(text)
            .hint("check the server certificate and the CA trusted here; `rediss://...#insecure` skips verification (testing only)")
    } else if lower.contains("refused") {
        Finding::new(
            "redis.unreachable",
            Severity::Error,
            format!("connection to {addr} refused: nothing listens there"),
        )
        .evidence(text)
        .hint("check host and port, and that the Redis pod or service is running")
    } else if lower.contains("lookup") || lower.contains("resolve") || lower.contains("name or service") || lower.contains("dns") {
        Finding::new("redis.unreachable", Severity::Error, format!("cannot resolve host `{}`", t.host))
            .evidence(text)
            .hint("check the host name; inside Kubernetes use the Service name")
    } else {
        Finding::new("redis.unreachable", Severity::Error, format!("cannot talk to Redis at {addr}"))
            .evidence(text)
            .hint("check host, port and TLS (redis:// vs rediss://)")
    }
}

fn ms(since: Instant) -> f64 {
    round3(since.elapsed().as_secs_f64() * 1000.0)
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target {
            host: "redis".into(),
            port: 6379,
            tls: false,
            insecure: false,
            cacert: None,
            db: 0,
            username: Some("app".into()),
            password: Some(Secret::new("pw")),
            display: "redis://app:***@redis:6379".into(),
            pings: PINGS,
            latency_warn_ms: LATENCY_WARN_MS,
            clients_warn_pct: CLIENTS_WARN_PCT,
            clients_error_pct: CLIENTS_ERROR_PCT,
        }
    }

    #[test]
    fn real_server_replies_map_to_their_codes() {
        let cases = [
            ("NOAUTH Authentication required.", "redis.noauth"),
            ("WRONGPASS invalid username-password pair or user is disabled.", "redis.wrongpass"),
            ("ERR invalid password", "redis.wrongpass"),
            (
                "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
                "redis.auth_not_configured",
            ),
            ("ERR max number of clients reached", "redis.maxclients"),
            ("LOADING Redis is loading the dataset in memory", "redis.loading"),
            ("NOPERM User app has no permissions to run the 'info' command", "redis.noperm"),
            ("ERR DB index is out of range", "redis.error"),
        ];
        for (reply, code) in cases {
            let f = classify_reply(reply, &target());
            assert_eq!(f.code, code, "{reply}");
            assert_eq!(f.evidence.as_deref(), Some(reply));
        }
    }

    #[test]
    fn a_p99_above_the_limit_warns_and_one_at_it_does_not() {
        let at = latency_finding(0.2, 50.0, 61.0, 20, 50.0);
        assert_eq!((at.code.as_str(), at.severity), ("redis.latency", Severity::Ok));
        assert_eq!(at.summary, "PING p50 0.200 ms, p99 50.000 ms, max 61.000 ms over 20 PINGs");
        let above = latency_finding(0.2, 50.001, 61.0, 20, 50.0);
        assert_eq!((above.code.as_str(), above.severity), ("redis.latency_high", Severity::Warning));
        assert_eq!(
            above.summary,
            "PING p50 0.200 ms, p99 50.001 ms, max 61.000 ms over 20 PINGs: p99 above 50 ms"
        );
        assert!(above.hint.as_deref().is_some_and(|h| h.contains("SLOWLOG")));
        // A high median alone is not what the limit is about.
        assert_eq!(latency_finding(70.0, 40.0, 80.0, 5, 50.0).severity, Severity::Ok);
    }

    #[test]
    fn clients_warn_at_their_share_of_maxclients_and_err_at_the_higher_one() {
        let t = target();
        let at = |connected: f64, max: f64| clients_finding(Some(connected), Some(max), "7.2.4", "master", &t);
        let ok = at(7_999.0, 10_000.0);
        assert_eq!((ok.code.as_str(), ok.severity), ("redis.server", Severity::Ok));
        assert_eq!(ok.summary, "7999 of 10000 clients connected (80.0 %), Redis 7.2.4, role master");
        let warn = at(8_000.0, 10_000.0);
        assert_eq!((warn.code.as_str(), warn.severity), ("redis.clients_high", Severity::Warning));
        assert_eq!(warn.summary, "8000 of 10000 clients connected (80.0 %), Redis 7.2.4, role master");
        assert!(warn.hint.as_deref().is_some_and(|h| h.contains("maxclients")));
        assert_eq!(at(94.0, 100.0).severity, Severity::Warning);
        let error = at(95.0, 100.0);
        assert_eq!((error.code.as_str(), error.severity), ("redis.clients_high", Severity::Error));
        assert_eq!(at(100.0, 100.0).severity, Severity::Error);
    }

    #[test]
    fn without_both_client_figures_the_server_finding_has_no_share() {
        let t = target();
        for (connected, max) in [(Some(3.0), None), (None, Some(10.0)), (Some(3.0), Some(0.0)), (None, None)] {
            assert_eq!(utilisation(connected, max), None, "{connected:?} of {max:?}");
            let f = clients_finding(connected, max, "6.2.0", "replica", &t);
            assert_eq!((f.code.as_str(), f.severity), ("redis.server", Severity::Ok));
            assert_eq!(f.summary, "Redis 6.2.0, role replica");
        }
        assert_eq!(utilisation(Some(1.0), Some(4.0)), Some(25.0));
        assert_eq!(utilisation(Some(250.0), Some(200.0)), Some(125.0));
    }

    #[test]
    fn info_parsing() {
        let kv =
            parse_info("# Server\r\nredis_version:7.0.15\r\nrole:master\r\n\r\n# Clients\r\nconnected_clients:3\r\nmaxclients:10000\r\n");
        assert_eq!(kv["redis_version"], "7.0.15");
        assert_eq!(kv["connected_clients"], "3");
        assert_eq!(kv["maxclients"], "10000");
    }
}
