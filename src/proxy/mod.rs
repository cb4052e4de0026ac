//! `aiwfe proxy`: the fast-auth WebSocket reverse proxy. One port serves `/healthz`,
//! `/readyz`, `/metrics` and WebSocket upgrades on every other path; an upgrade passes only
//! with a valid token (checked once, then cached) and goes to the same path upstream
//! without the token.
//!
//! `auth` verifies and caches, `jwks` fetches keys from a JSON Web Key Set, `token` finds
//! and strips the token, `relay` moves frames once both sides are open (`evloop` runs it
//! for plain TCP connections), `metrics` names what is counted.

pub mod auth;
pub mod crypto;
pub mod evloop;
pub mod extensions;
pub mod frame;
pub mod jwks;
pub mod metrics;
pub mod relay;
pub mod revoke;
pub mod token;
pub mod upstream;
pub mod wake;

use crate::ws_token::TokenIn;
use auth::{Auth, AuthConfig, Lookup, Reject};
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper_util::rt::TokioIo;
use metrics::Metrics;
use std::cell::RefCell;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, watch};
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

/// How long the upstream dial and handshake may take.
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(5);

/// Every default of `aiwfe proxy`, written once: the flags' help shows these and config
/// parses them.
pub mod defaults {
    pub const LISTEN: &str = "0.0.0.0:8080";
    pub const JWKS_REFRESH: &str = "5m";
    pub const JWKS_MIN_REFRESH: &str = "30s";
    pub const LEEWAY: &str = "30s";
    pub const CACHE_SIZE: u64 = 100_000;
    pub const CACHE_TTL: &str = "5m";
    pub const DRAIN: &str = "10s";
    pub const PING_INTERVAL: &str = "20s";
    pub const PING_TIMEOUT: &str = "10s";
    pub const CLOSE_TIMEOUT: &str = "5s";
    /// 1 MiB, the gateway's own message limit.
    pub const MAX_MESSAGE: &str = "1MiB";
    pub const REVOCATION_SET: &str = "aiwfe:revoked-jti";
    pub const REVOCATION_TTL: &str = "10s";
    /// How long a client may take to send its request headers.
    pub const HEADER_TIMEOUT: &str = "10s";
    /// `--max-connections` by default: what the open-file limit leaves room for.
    pub const MAX_CONNECTIONS: &str = "half the open-file limit, less a reserve";
}

/// Open files kept out of the connection budget: the listener, the runtime, health, metrics
/// and readiness requests, Redis and JWKS connections, handshakes in progress.
pub const FD_RESERVE: u64 = 256;

/// The listen backlog asked for (the kernel caps it at `net.core.somaxconn`): a burst of
/// connects waits there instead of having its SYNs dropped and retried a second later.
pub const BACKLOG: u32 = 4096;

/// A listener on `addr` with `BACKLOG` and `SO_REUSEPORT`, so that each serving thread can
/// have its own on the same address (`serve`). Call it inside a runtime.
pub fn listen(addr: std::net::SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.set_reuseport(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)?.into_std()
}

/// How many serving threads `serve` runs by default: one per core.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What `Retry-After` says to an upgrade refused at the connection cap, in seconds.
pub const CAP_RETRY_AFTER: &str = "5";

/// How many connections the proxy serves at once, and how many sockets it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity {
    /// Proxied connections (each holds two sockets); upgrades beyond get 503.
    pub max_connections: usize,
    /// The process's open-file limit.
    pub open_files: u64,
    /// Client sockets accepted at once (proxied ones included): whatever the limit leaves
    /// beside the upstream sockets, so `/healthz` and `/metrics` still answer at the cap.
    pub accept: usize,
}

impl Capacity {
    /// `max_connections` as given, or by default what `open_files` has room for.
    pub fn new(max_connections: Option<usize>, open_files: u64) -> Capacity {
        let room = open_files.saturating_sub(FD_RESERVE) / 2;
        let max_connections = max_connections.unwrap_or(room.max(1) as usize);
        // The upstream sockets and a few fixed files aside; never fewer than the cap plus
        // a little room for health checks, even when the cap is set beyond the limit.
        let left = open_files.saturating_sub(max_connections as u64 + 64) as usize;
        Capacity {
            max_connections,
            open_files,
            accept: left.max(max_connections + 16),
        }
    }

    /// Whether `max_connections` proxied connections fit in the open-file limit.
    pub fn fits(&self) -> bool {
        (self.max_connections as u64) * 2 + 64 <= self.open_files
    }
}

/// Why the proxy could not start serving.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    /// The revocation Redis URL cannot be used.
    #[error("{0}")]
    Revocation(String),
    /// A thread's listener or runtime could not be set up.
    #[error("{0}")]
    Listen(String),
}

/// The validated settings of `aiwfe proxy`.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: std::net::SocketAddr,
    /// The upstream WebSocket server.
    pub upstream: upstream::Upstream,
    pub auth: AuthConfig,
    /// Where tokens are looked for, in this order.
    pub token_from: Vec<TokenIn>,
    /// How long shutdown waits for connections to close.
    pub drain: Duration,
    /// Keepalive, close and size limits of proxied connections.
    pub limits: relay::Limits,
    /// A Redis set of revoked `jti` values, when configured.
    pub revocation: Option<revoke::RevocationConfig>,
    /// `--max-connections`; `None`: by the open-file limit (`Capacity::new`).
    pub max_connections: Option<usize>,
    /// How long a client may take to send its request headers.
    pub header_timeout: Duration,
}

impl Config {
    /// The secrets these settings hold (the HMAC key, passwords in the JWKS and Redis URLs),
    /// for scrubbing logs.
    pub fn secrets(&self) -> Vec<String> {
        let mut s = Vec::new();
        let password = |u: &str| url::Url::parse(u).ok().and_then(|u| u.password().map(str::to_string));
        match &self.auth.key {
            auth::KeyMaterial::Secret(k) => s.push(String::from_utf8_lossy(k).into_owned()),
            auth::KeyMaterial::Jwks(j) => s.extend(password(&j.url)),
            auth::KeyMaterial::PublicKeyPem(_) => {}
        }
        if let Some(r) = &self.revocation {
            s.extend(password(&r.url));
        }
        s
    }
}

struct State {
    cfg: Config,
    auth: Auth,
    revocations: Option<revoke::Revocations>,
    metrics: Metrics,
    shutdown: watch::Receiver<bool>,
    /// Held by every connection task; shutdown waits until all are dropped.
    alive: mpsc::Sender<()>,
    /// One permit per proxied connection (from the upgrade on): the cap.
    proxied: Arc<Semaphore>,
}

type Body = Full<Bytes>;

thread_local! {
    /// The event loop this serving thread hands its plain-TCP connections to.
    static RELAY_LOOP: RefCell<Option<evloop::Handle>> = const { RefCell::new(None) };
}

/// Serves until `shutdown` completes, then stops accepting, closes every proxied
/// connection with 1001, and waits up to `cfg.drain` for them to finish. `auth` comes from
/// `Auth::load` with `metrics.jwks()`; a JWKS is refreshed in the background meanwhile.
/// At most `cap.accept` client sockets are open at once, `cap.max_connections` of them proxied.
///
/// Connections are served by `threads` threads, each with a single-threaded runtime and its
/// own `SO_REUSEPORT` listener on `listener`'s address (the kernel spreads connects among
/// them), the way nginx's workers do. Each serving thread has a relay loop of its own
/// (`evloop`) on another thread, to which it hands the connections it upgraded (those with a
/// TLS upstream stay on its runtime). The caller's runtime keeps the shutdown signal and the
/// JWKS refresh.
#[allow(clippy::too_many_arguments)]
pub async fn serve(
    listener: std::net::TcpListener,
    threads: usize,
    cfg: Config,
    cap: Capacity,
    auth: Auth,
    metrics: Metrics,
    shutdown: impl Future<Output = ()>,
) -> Result<(), StartError> {
    let revocations = cfg
        .revocation
        .clone()
        .map(revoke::Revocations::new)
        .transpose()
        .map_err(StartError::Revocation)?;
    let addr = listener.local_addr().map_err(|e| StartError::Listen(e.to_string()))?;
    let mut listeners = vec![listener];
    for _ in 1..threads.max(1) {
        listeners.push(listen(addr).map_err(|e| StartError::Listen(format!("cannot listen on `{addr}` again: {e}")))?);
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    let (alive_tx, mut alive_rx) = mpsc::channel::<()>(1);
    let drain = cfg.drain;
    metrics.max_connections.set(cap.max_connections as i64);
    let state = Arc::new(State {
        cfg,
        auth,
        revocations,
        metrics,
        shutdown: stop_rx,
        alive: alive_tx,
        proxied: Arc::new(Semaphore::new(cap.max_connections)),
    });
    let sockets = Arc::new(Semaphore::new(cap.accept));
    // Set once draining is over: the threads' runtimes (and what is left on them) end.
    let (done_tx, done_rx) = watch::channel(false);
    let mut workers = Vec::new();
    let mut loops = Vec::new();
    for (i, listener) in listeners.into_iter().enumerate() {
        let (handle, thread) = evloop::spawn(format!("aiwfe-relay-{i}"), state.cfg.limits, state.metrics.relayed.clone())
            .map_err(|e| StartError::Listen(format!("cannot start a relay loop: {e}")))?;
        loops.push((handle.clone(), thread));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| StartError::Listen(e.to_string()))?;
        let (state, sockets, mut done) = (state.clone(), sockets.clone(), done_rx.clone());
        let worker = std::thread::Builder::new().name(format!("aiwfe-proxy-{i}")).spawn(move || {
            RELAY_LOOP.with(|l| *l.borrow_mut() = Some(handle));
            runtime.block_on(async move {
                match TcpListener::from_std(listener) {
                    Ok(l) => accept(l, state, sockets).await,
                    Err(e) => tracing::error!("serving thread {i} cannot listen: {e}"),
                }
                relay::stopped(&mut done).await;
            })
        });
        workers.push(worker.map_err(|e| StartError::Listen(e.to_string()))?);
    }
    let refresher = tokio::spawn({
        let state = state.clone();
        async move { state.auth.refresh_periodically().await }
    });
    shutdown.await;
    refresher.abort();
    let _ = refresher.await;
    let _ = stop_tx.send(true);
    for (l, _) in &loops {
        l.shutdown();
    }
    drop(state);
    let _ = tokio::time::timeout(drain, alive_rx.recv()).await;
    let _ = done_tx.send(true);
    for w in workers {
        let _ = w.join();
    }
    for (l, thread) in loops {
        l.exit();
        let _ = thread.join();
    }
    Ok(())
}

/// One thread's accept loop, until shutdown begins.
async fn accept(listener: TcpListener, state: Arc<State>, sockets: Arc<Semaphore>) {
    let mut stop = state.shutdown.clone();
    let mut backoff = ACCEPT_BACKOFF;
    loop {
        // A free socket slot first: beyond it, clients wait in the listen backlog instead of
        // running the process out of files.
        let slot = tokio::select! {
            p = sockets.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = relay::stopped(&mut stop) => break,
        };
        tokio::select! {
            r = listener.accept() => {
                let (tcp, peer) = match r {
                    Ok(x) => x,
                    Err(e) => {
                        // Out of file descriptors and the like: back off instead of spinning.
                        state.metrics.accept_errors.inc();
                        tracing::warn!("accept failed: {e}; retrying in {backoff:?}");
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(Duration::from_secs(1));
                        continue;
                    }
                };
                backoff = ACCEPT_BACKOFF;
                let _ = tcp.set_nodelay(true);
                tokio::spawn(serve_connection(state.clone(), tcp, peer, Arc::new(slot)));
            }
            _ = relay::stopped(&mut stop) => break,
        }
    }
}

/// The first wait after a failed accept; it doubles up to a second while accepts fail.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(20);

/// The client socket's slot among `Capacity::accept`, held until the socket closes (by
/// the relay, after an upgrade).
type Slot = Arc<OwnedSemaphorePermit>;

async fn serve_connection(state: Arc<State>, tcp: TcpStream, peer: std::net::SocketAddr, slot: Slot) {
    let _alive = state.alive.clone();
    let mut stop = state.shutdown.clone();
    let s = state.clone();
    let service = hyper::service::service_fn(move |req| handle(s.clone(), req, peer, slot.clone()));
    let conn = hyper::server::conn::http1::Builder::new()
        .max_buf_size(16 * 1024)
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(state.cfg.header_timeout)
        .serve_connection(TokioIo::new(tcp), service)
        .with_upgrades();
    tokio::pin!(conn);
    tokio::select! {
        r = conn.as_mut() => {
            if r.is_err_and(|e| e.is_timeout()) {
                state.metrics.header_timeouts.inc();
            }
        }
        _ = relay::stopped(&mut stop) => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(state.cfg.drain, conn).await;
        }
    }
}

fn text(status: StatusCode, body: &str) -> Response<Body> {
    let mut r = Response::new(Full::new(Bytes::from(body.to_string())));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

async fn handle(state: Arc<State>, req: Request<Incoming>, peer: std::net::SocketAddr, slot: Slot) -> Result<Response<Body>, Infallible> {
    let is_upgrade = req
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    Ok(match (req.uri().path(), is_upgrade) {
        ("/healthz", false) => text(StatusCode::OK, "ok\n"),
        ("/readyz", false) => ready(&state).await,
        ("/metrics", false) => {
            let mut r = text(StatusCode::OK, &state.metrics.render());
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
            );
            r
        }
        (_, true) => match state.proxied.clone().try_acquire_owned() {
            Ok(permit) => upgrade(state, req, peer, (slot, permit)).await,
            Err(_) => {
                state.metrics.refused.get_or_create(&vec![("reason", "max_connections")]).inc();
                let mut r = text(StatusCode::SERVICE_UNAVAILABLE, "the proxy is at its connection limit; retry\n");
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static(CAP_RETRY_AFTER));
                r
            }
        },
        _ => text(StatusCode::UPGRADE_REQUIRED, "this path proxies WebSocket connections\n"),
    })
}

/// Ready when the upstream accepts a TCP connection (keys, a JWKS's included, are loaded
/// before listening).
async fn ready(state: &State) -> Response<Body> {
    let addr = (state.cfg.upstream.host.as_str(), state.cfg.upstream.port);
    match tokio::time::timeout(Duration::from_secs(1), TcpStream::connect(addr)).await {
        Ok(Ok(_)) => text(StatusCode::OK, "ready\n"),
        _ => text(StatusCode::SERVICE_UNAVAILABLE, "upstream not reachable\n"),
    }
}

fn unauthorized(state: &State, reason: Reject) -> Response<Body> {
    state.metrics.auth_failures.get_or_create(&vec![("reason", reason.label())]).inc();
    let mut r = text(StatusCode::UNAUTHORIZED, &format!("token refused: {}\n", reason.label()));
    let challenge = match reason {
        Reject::Missing => "Bearer".to_string(),
        r => format!("Bearer error=\"invalid_token\", error_description=\"{}\"", r.label()),
    };
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        r.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    r
}

/// Authenticates, dials the upstream, answers `101` and hands both sides to the relay,
/// which holds the client socket's slot and the connection's permit until it ends.
async fn upgrade(
    state: Arc<State>,
    mut req: Request<Incoming>,
    peer: std::net::SocketAddr,
    held: (Slot, OwnedSemaphorePermit),
) -> Response<Body> {
    let started = Instant::now();
    let Some(key) = req.headers().get("sec-websocket-key").cloned() else {
        return text(StatusCode::BAD_REQUEST, "missing Sec-WebSocket-Key\n");
    };
    let found = token::find(req.headers(), req.uri().query(), &state.cfg.token_from);
    let Some((tok, from)) = found else {
        return unauthorized(&state, Reject::Missing);
    };
    let (verdict, lookup) = state.auth.authenticate(&tok).await;
    let _ = match lookup {
        Lookup::Hit => state.metrics.cache_hits.inc(),
        Lookup::Miss => state.metrics.cache_misses.inc(),
    };
    state
        .metrics
        .handshake_duration
        .get_or_create(&vec![("phase", "auth")])
        .observe(started.elapsed().as_secs_f64());
    let pass = match verdict {
        Ok(p) => p,
        Err(r) => return unauthorized(&state, r),
    };
    if let Some(rv) = &state.revocations {
        let Some(jti) = pass.jti.as_deref() else {
            return unauthorized(&state, Reject::MissingClaim);
        };
        let status = rv.status(jti).await;
        let label = match status {
            revoke::Status::Allowed => "allowed",
            revoke::Status::Revoked => "revoked",
            revoke::Status::Unknown => "unknown",
        };
        state.metrics.revocation_checks.get_or_create(&vec![("result", label)]).inc();
        match status {
            revoke::Status::Allowed => {}
            revoke::Status::Revoked => return unauthorized(&state, Reject::Revoked),
            revoke::Status::Unknown if rv.cfg.fail_open => {}
            revoke::Status::Unknown => {
                let mut r = text(StatusCode::SERVICE_UNAVAILABLE, "cannot check token revocation now; retry\n");
                r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                return r;
            }
        }
    }

    // The upstream request: same path and query without the token, no credentials.
    let target = upstream::target(req.uri().path(), req.uri().query());
    let fwd = upstream::forwarded(req.headers(), peer.ip());
    let mut fwd: Vec<(&str, &[u8])> = fwd.iter().map(|(n, v)| (*n, v.as_slice())).collect();
    // Only the proxy sets these: nothing the client sent is forwarded under their names.
    fwd.extend(pass.headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())));

    let dial_started = Instant::now();
    // permessage-deflate offers pass as they are; the relay never inflates a message.
    let offer = extensions::offer(
        req.headers()
            .get_all(header::SEC_WEBSOCKET_EXTENSIONS)
            .iter()
            .map(HeaderValue::as_bytes),
    );
    let dialed = tokio::time::timeout(UPSTREAM_TIMEOUT, state.cfg.upstream.connect(&target, &fwd, offer.as_deref())).await;
    state
        .metrics
        .handshake_duration
        .get_or_create(&vec![("phase", "upstream")])
        .observe(dial_started.elapsed().as_secs_f64());
    let (upstream, opened) = match dialed {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => {
            state.metrics.upstream_failures.inc();
            tracing::warn!("upstream handshake failed: {e}");
            return text(StatusCode::BAD_GATEWAY, "upstream refused or unreachable\n");
        }
        Err(_) => {
            state.metrics.upstream_failures.inc();
            return text(StatusCode::GATEWAY_TIMEOUT, "upstream did not answer in time\n");
        }
    };

    let mut resp = Response::new(Full::new(Bytes::new()));
    *resp.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = resp.headers_mut();
    h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    h.insert(header::CONNECTION, HeaderValue::from_static("Upgrade"));
    if let Ok(v) = HeaderValue::from_str(&derive_accept_key(key.as_bytes())) {
        h.insert("sec-websocket-accept", v);
    }
    // The upstream's choice among the app's protocols; else `bearer` if the token came that way.
    match opened.protocol.as_deref().map(HeaderValue::from_bytes) {
        Some(Ok(p)) => {
            h.insert("sec-websocket-protocol", p);
        }
        _ if from == TokenIn::Subprotocol => {
            h.insert("sec-websocket-protocol", HeaderValue::from_static(token::BEARER_PROTOCOL));
        }
        _ => {}
    }
    let deflate = match opened.extensions.as_deref().map(HeaderValue::from_bytes) {
        Some(Ok(e)) => {
            h.insert(header::SEC_WEBSOCKET_EXTENSIONS, e);
            true
        }
        _ => false,
    };

    let on_upgrade = hyper::upgrade::on(&mut req);
    let alive = state.alive.clone();
    tokio::spawn(async move {
        // Both are held until `done` runs (or this task ends first).
        let (alive, held) = (alive, held);
        let Ok(upgraded) = on_upgrade.await else { return };
        // The client's socket itself, and any bytes it sent after its request.
        let Ok(parts) = upgraded.downcast::<TokioIo<TcpStream>>() else {
            tracing::error!("an upgraded connection is not a TCP stream");
            return;
        };
        let client = parts.io.into_inner();
        let m = &state.metrics;
        m.active_connections.inc();
        let opened_at = Instant::now();
        let expires = expiry_instant(pass.exp, state.auth.leeway());
        // With revocation on, the token is looked up again every TTL (mostly from the
        // cache); once revoked, the connection closes with 1008.
        let revoked = Arc::new(AtomicBool::new(false));
        let checker = match (&state.revocations, pass.jti.clone()) {
            (Some(_), Some(jti)) => {
                let (state, revoked) = (state.clone(), revoked.clone());
                let mut stop = state.shutdown.clone();
                Some(tokio::spawn(async move {
                    let Some(rv) = &state.revocations else { return };
                    let watch = async {
                        loop {
                            tokio::time::sleep(rv.cfg.ttl).await;
                            if rv.status(&jti).await == revoke::Status::Revoked {
                                return;
                            }
                        }
                    };
                    tokio::select! {
                        () = watch => revoked.store(true, Ordering::Relaxed),
                        () = relay::stopped(&mut stop) => {}
                    }
                }))
            }
            _ => None,
        };
        let abort = checker.as_ref().map(tokio::task::JoinHandle::abort_handle);
        let done = {
            let state = state.clone();
            move |end: relay::End| {
                let _alive = alive;
                drop(held);
                if let Some(a) = abort {
                    a.abort();
                }
                let m = &state.metrics;
                if end.upstream_failed() {
                    m.upstream_failures.inc();
                }
                m.active_connections.dec();
                m.connection_duration.observe(opened_at.elapsed().as_secs_f64());
                tracing::debug!("connection ended: {end:?}");
            }
        };
        let upstream = match upstream {
            upstream::Stream::Tcp(u) => u,
            upstream::Stream::Tls(u) => {
                let (revoked_flag, watched) = (revoked.clone(), checker.is_some());
                let revoked = async {
                    if !watched {
                        std::future::pending::<()>().await;
                    }
                    while !revoked_flag.load(Ordering::Relaxed) {
                        tokio::time::sleep(evloop::TICK).await;
                    }
                };
                let end = relay::relay(
                    client,
                    &parts.read_buf,
                    u,
                    &opened.early,
                    &state.cfg.limits,
                    deflate,
                    expires,
                    revoked,
                    state.shutdown.clone(),
                    m,
                )
                .await;
                return done(end);
            }
        };
        let handle = RELAY_LOOP.with(|l| l.borrow().clone());
        let (Some(handle), Ok(client), Ok(upstream)) = (handle, client.into_std(), upstream.into_std()) else {
            tracing::error!("an upgraded connection cannot be handed to the relay loop");
            return done(relay::End::Shutdown);
        };
        let handoff = evloop::Handoff {
            client,
            client_early: parts.read_buf.to_vec(),
            upstream,
            upstream_early: opened.early,
            deflate,
            expires: expires.into_std(),
            revoked,
            on_end: Box::new(done),
        };
        if let Err(h) = handle.hand(handoff) {
            (h.on_end)(relay::End::Shutdown);
        }
    });
    resp
}

/// The monotonic instant at which `exp` + `leeway` (Unix seconds) passes.
fn expiry_instant(exp: u64, leeway: Duration) -> tokio::time::Instant {
    let at = UNIX_EPOCH + Duration::from_secs(exp) + leeway;
    let left = at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO);
    tokio::time::Instant::now() + left
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cap_leaves_room_for_two_sockets_each_and_a_reserve() {
        let c = Capacity::new(None, 20_000);
        assert_eq!(c.max_connections, 9_872);
        assert!(c.fits());
        // At the cap, what is left beside the upstream sockets takes the client sockets,
        // and some more for health checks and half-open clients.
        assert_eq!(c.accept, 20_000 - 9_872 - 64);
        assert!(c.accept >= c.max_connections + 100);
        let c = Capacity::new(Some(50), 20_000);
        assert_eq!((c.max_connections, c.accept), (50, 20_000 - 50 - 64));
        // A cap beyond the limit is kept (with a warning), and accepting stays possible.
        let c = Capacity::new(Some(15_000), 20_000);
        assert!(!c.fits());
        assert_eq!(c.accept, 15_016);
        assert_eq!(Capacity::new(None, 100).max_connections, 1);
    }
}
