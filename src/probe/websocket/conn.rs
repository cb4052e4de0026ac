//! One WebSocket connection, dialled by hand so that each phase is timed on its own: DNS,
//! TCP connect, TLS handshake, HTTP upgrade (request sent → `101`), the first application
//! round-trip (`--send` → a message matching `--expect`) and ping/pong round trips.
//!
//! Only the upgrade itself is tungstenite's (`client_async_with_config` over the stream
//! dialled here); the first bytes of the server's answer are kept so that a refusal can be
//! quoted as the server wrote it.

use super::target::{Endpoint, Target};
use crate::ws_token::TokenIn;
use futures_util::{SinkExt, StreamExt};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Bytes, Error as WsError, Message, error::ProtocolError};

/// Where a connection is, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    Dns,
    Tcp,
    Tls,
    Upgrade,
    FirstMessage,
    Ping,
    Hold,
    Close,
}

impl Phase {
    /// The phases with their own timing figures, in order.
    pub const TIMED: [Phase; 6] = [Phase::Dns, Phase::Tcp, Phase::Tls, Phase::Upgrade, Phase::FirstMessage, Phase::Ping];

    /// Prefix of its measurements (`tls_p99_ms`).
    pub fn key(self) -> &'static str {
        match self {
            Phase::Dns => "dns",
            Phase::Tcp => "tcp",
            Phase::Tls => "tls",
            Phase::Upgrade => "upgrade",
            Phase::FirstMessage => "first_message",
            Phase::Ping => "ping_rtt",
            Phase::Hold => "hold",
            Phase::Close => "close",
        }
    }

    /// How a person names it ("TLS handshake p99 2.4 s").
    pub fn label(self) -> &'static str {
        match self {
            Phase::Dns => "DNS resolution",
            Phase::Tcp => "TCP connect",
            Phase::Tls => "TLS handshake",
            Phase::Upgrade => "HTTP upgrade",
            Phase::FirstMessage => "first round-trip",
            Phase::Ping => "ping/pong",
            Phase::Hold => "holding the connection",
            Phase::Close => "closing",
        }
    }

    /// What the client waits for during it.
    pub fn doing(self) -> &'static str {
        match self {
            Phase::Dns => "resolving the host name (DNS resolution)",
            Phase::Tcp => "opening the TCP connection (TCP connect)",
            Phase::Tls => "waiting for the server's side of the TLS handshake (TLS handshake)",
            Phase::Upgrade => "waiting for the 101 to the upgrade request (HTTP upgrade)",
            Phase::FirstMessage => "waiting for a message matching --expect (first round-trip)",
            Phase::Ping => "waiting for a pong (ping/pong)",
            Phase::Hold => "sending while holding the connection (the server stopped reading)",
            Phase::Close => "closing",
        }
    }
}

/// Why a connection failed; the text fields are raw (the caller scrubs secrets).
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Dns(String),
    Unreachable(String),
    Tls(String),
    /// A non-101 answer to the upgrade: status, status line as sent, body excerpt.
    Status {
        status: u16,
        line: String,
        body: String,
    },
    /// The server chose a subprotocol the client did not offer, or none of those offered.
    Subprotocol {
        offered: String,
        answered: String,
        text: String,
    },
    /// Any other failure of the upgrade (not HTTP, closed before answering, ...).
    Upgrade(String),
    /// The server sent a close frame before the client was done.
    Closed {
        phase: Phase,
        code: u16,
        reason: String,
    },
    /// The connection ended without a close frame.
    Lost {
        phase: Phase,
        text: String,
    },
    /// No message matching `--expect` before the deadline; the last message seen.
    ExpectTimeout {
        last: Option<String>,
    },
    /// The per-connection deadline passed in this phase.
    Timeout {
        phase: Phase,
    },
}

impl Failure {
    /// Short stable name for the error counts (`errors_<kind>`).
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Dns(_) => "dns",
            Failure::Unreachable(_) => "unreachable",
            Failure::Tls(_) => "tls",
            Failure::Status { status: 401 | 403, .. } => "rejected",
            Failure::Status { .. } => "status",
            Failure::Subprotocol { .. } => "subprotocol",
            Failure::Upgrade(_) => "upgrade",
            Failure::Closed { .. } => "closed",
            Failure::Lost { .. } => "lost",
            Failure::ExpectTimeout { .. } => "expect_timeout",
            Failure::Timeout { .. } => "timeout",
        }
    }
}

/// What one connection measured. A phase not reached (or not applicable) is `None`.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub dns: Option<Duration>,
    pub tcp: Option<Duration>,
    pub tls: Option<Duration>,
    pub upgrade: Option<Duration>,
    pub first_message: Option<Duration>,
    pub pings: Vec<Duration>,
    /// DNS start → 101, or → the first round-trip's answer when there is one.
    pub total: Option<Duration>,
    /// When the handshake (and first round-trip) finished.
    pub ready_at: Option<Instant>,
    pub subprotocol: Option<String>,
    pub sent: u64,
    pub received: u64,
    /// With `--await-echo`: each message's round trip (send → its echo), in microseconds.
    pub echo_rtts_us: Vec<u32>,
    pub failure: Option<Failure>,
    pub phase: Option<Phase>,
    pub last_message: Option<String>,
}

impl Outcome {
    pub fn phase_time(&self, p: Phase) -> Option<Duration> {
        match p {
            Phase::Dns => self.dns,
            Phase::Tcp => self.tcp,
            Phase::Tls => self.tls,
            Phase::Upgrade => self.upgrade,
            Phase::FirstMessage => self.first_message,
            _ => None,
        }
    }
}

/// Everything needed to open connections to one endpoint, built once and shared.
pub struct Dialer {
    host: String,
    port: u16,
    ip: Option<IpAddr>,
    /// The URL requested (with the token when it goes in the query).
    url: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// What was offered in Sec-WebSocket-Protocol, token masked, for evidence.
    pub offered: String,
    tls: Option<(TlsConnector, rustls::pki_types::ServerName<'static>)>,
    ws_config: WebSocketConfig,
}

/// The work each connection does once open.
pub struct Workload {
    pub send: Option<String>,
    pub expect: Option<String>,
    pub pings: u32,
    pub hold: Option<Duration>,
    pub rate: f64,
    /// Closed loop while holding: send one message, wait for its echo, send the next.
    pub await_echo: bool,
    pub payload: Bytes,
    pub timeout: Duration,
}

impl Workload {
    pub fn new(t: &Target) -> Workload {
        Workload {
            send: t.send.clone(),
            expect: t.expect.clone(),
            pings: t.pings,
            hold: t.hold,
            rate: t.rate,
            await_echo: t.await_echo,
            payload: Bytes::from(vec![b'x'; t.size]),
            timeout: t.timeout,
        }
    }
}

impl Dialer {
    /// Prepares the request (token placed where asked) and the TLS client for `ep`.
    pub fn new(t: &Target, ep: &Endpoint) -> Result<Dialer, String> {
        let mut url = ep.url.clone();
        let mut headers: Vec<(HeaderName, HeaderValue)> = Vec::new();
        let header = |k: &str, v: &str| -> Result<(HeaderName, HeaderValue), String> {
            let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| format!("`{k}` is not a header name"))?;
            let value = HeaderValue::from_str(v).map_err(|_| format!("the value of header `{k}` is not valid"))?;
            Ok((name, value))
        };
        let mut protocols: Vec<String> = t.subprotocols.clone();
        let mut offered: Vec<String> = t.subprotocols.clone();
        if let Some(token) = &t.token {
            let tok = token.expose();
            match t.token_in {
                TokenIn::Header => headers.push(header("Authorization", &format!("Bearer {tok}"))?),
                TokenIn::Query => {
                    let others: Vec<(String, String)> = url
                        .query_pairs()
                        .filter(|(k, _)| k != "access_token")
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect();
                    url.query_pairs_mut().clear().extend_pairs(others).append_pair("access_token", tok);
                }
                TokenIn::Cookie => headers.push(header("Cookie", &format!("access_token={tok}"))?),
                TokenIn::Subprotocol => {
                    protocols.push("bearer".into());
                    protocols.push(tok.to_string());
                    offered.push("bearer".into());
                    offered.push("***".into());
                }
            }
        }
        if !protocols.is_empty() {
            headers.push(header("Sec-WebSocket-Protocol", &protocols.join(", "))?);
        }
        for (k, v) in &t.headers {
            headers.push(header(k, v)?);
        }
        let tls = if ep.tls {
            let cfg = crate::tls::http_client(t.cacert.as_deref(), t.insecure).map_err(|e| format!("--cacert {e}"))?;
            let name = rustls::pki_types::ServerName::try_from(ep.host.clone())
                .map_err(|_| format!("`{}` is not a valid TLS server name", ep.host))?;
            Some((TlsConnector::from(Arc::new(cfg)), name))
        } else {
            None
        };
        // Small buffers so that thousands of held connections fit in little memory.
        let ws_config = WebSocketConfig::default()
            .read_buffer_size(4 * 1024)
            .write_buffer_size(0)
            .max_write_buffer_size(t.size.max(4096) * 4 + 64 * 1024)
            .max_message_size(Some(64 << 20));
        Ok(Dialer {
            host: ep.host.clone(),
            port: ep.port,
            ip: ep.host.parse().ok(),
            url: url.to_string(),
            headers,
            offered: offered.join(", "),
            tls,
            ws_config,
        })
    }
}

type Ws = WebSocketStream<Tap<Conn>>;

/// Opens one connection, does the workload, closes it, and says what happened. `on_phase`
/// hears of each phase as it starts.
pub async fn run_one(d: &Dialer, w: &Workload, on_phase: &(dyn Fn(Phase) + Send + Sync)) -> Outcome {
    let mut o = Outcome::default();
    let started = Instant::now();
    let r = tokio::time::timeout(w.timeout, async {
        let mut ws = open(d, &mut o, on_phase, started).await?;
        exchange(&mut ws, w, &mut o, on_phase, started).await?;
        Ok::<_, Failure>(ws)
    })
    .await;
    let mut ws = match r {
        Ok(Ok(ws)) => ws,
        Ok(Err(f)) => {
            o.failure = Some(f);
            return o;
        }
        Err(_) => {
            let phase = o.phase.unwrap_or(Phase::Dns);
            o.failure = Some(if phase == Phase::FirstMessage {
                Failure::ExpectTimeout {
                    last: o.last_message.take(),
                }
            } else {
                Failure::Timeout { phase }
            });
            return o;
        }
    };
    if let Some(hold_for) = w.hold {
        on_phase(Phase::Hold);
        o.phase = Some(Phase::Hold);
        let held = if w.await_echo {
            hold_echo(&mut ws, hold_for, w, &mut o).await
        } else {
            hold(&mut ws, hold_for, w, &mut o).await
        };
        if let Err(f) = held {
            o.failure = Some(f);
            return o;
        }
    }
    on_phase(Phase::Close);
    if let Some(f) = close(&mut ws).await {
        o.failure = Some(f);
    }
    o
}

fn enter(o: &mut Outcome, p: Phase, on_phase: &(dyn Fn(Phase) + Send + Sync)) {
    o.phase = Some(p);
    on_phase(p);
}

async fn open(d: &Dialer, o: &mut Outcome, on_phase: &(dyn Fn(Phase) + Send + Sync), started: Instant) -> Result<Ws, Failure> {
    let addrs: Vec<SocketAddr> = match d.ip {
        Some(ip) => vec![SocketAddr::new(ip, d.port)],
        None => {
            enter(o, Phase::Dns, on_phase);
            let t = Instant::now();
            let found = tokio::net::lookup_host((d.host.as_str(), d.port))
                .await
                .map_err(|e| Failure::Dns(e.to_string()))?;
            let addrs: Vec<SocketAddr> = found.collect();
            o.dns = Some(t.elapsed());
            if addrs.is_empty() {
                return Err(Failure::Dns(format!("`{}` has no address", d.host)));
            }
            addrs
        }
    };

    enter(o, Phase::Tcp, on_phase);
    let t = Instant::now();
    let mut tcp = None;
    let mut last_err = None;
    for a in &addrs {
        match TcpStream::connect(a).await {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last_err = Some(format!("{a}: {e}")),
        }
    }
    let tcp = tcp.ok_or_else(|| Failure::Unreachable(last_err.unwrap_or_default()))?;
    let _ = tcp.set_nodelay(true);
    o.tcp = Some(t.elapsed());

    let conn = match &d.tls {
        Some((connector, name)) => {
            enter(o, Phase::Tls, on_phase);
            let t = Instant::now();
            let s = connector
                .connect(name.clone(), tcp)
                .await
                .map_err(|e| Failure::Tls(e.to_string()))?;
            o.tls = Some(t.elapsed());
            Conn::Tls(Box::new(s))
        }
        None => Conn::Plain(tcp),
    };

    enter(o, Phase::Upgrade, on_phase);
    let mut req = d.url.as_str().into_client_request().map_err(|e| Failure::Upgrade(e.to_string()))?;
    for (k, v) in &d.headers {
        req.headers_mut().append(k.clone(), v.clone());
    }
    let head = Arc::new(Mutex::new(Vec::new()));
    let tap = Tap {
        inner: conn,
        head: Some(head.clone()),
    };
    let t = Instant::now();
    match tokio_tungstenite::client_async_with_config(req, tap, Some(d.ws_config)).await {
        Ok((mut ws, resp)) => {
            o.upgrade = Some(t.elapsed());
            o.subprotocol = resp
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            ws.get_mut().head = None;
            o.total = Some(started.elapsed());
            o.ready_at = Some(Instant::now());
            Ok(ws)
        }
        Err(e) => {
            let head = head.lock().map(|h| h.clone()).unwrap_or_default();
            Err(upgrade_failure(e, &head, &d.offered))
        }
    }
}

/// Maps a failed upgrade to its `Failure`, quoting the server's answer from `head`.
pub fn upgrade_failure(e: WsError, head: &[u8], offered: &str) -> Failure {
    let text = String::from_utf8_lossy(head);
    let status_line = text.lines().next().unwrap_or_default().trim().to_string();
    match e {
        WsError::Http(resp) => {
            let body = resp
                .body()
                .as_deref()
                .map(|b| excerpt(&String::from_utf8_lossy(b)))
                .unwrap_or_default();
            let line = if status_line.starts_with("HTTP/") {
                status_line
            } else {
                format!("HTTP/1.1 {}", resp.status())
            };
            Failure::Status {
                status: resp.status().as_u16(),
                line,
                body,
            }
        }
        WsError::Protocol(ProtocolError::SecWebSocketSubProtocolError(err)) => {
            let answered = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .find(|l| l.to_ascii_lowercase().starts_with("sec-websocket-protocol:"))
                .map(|l| l.trim().to_string())
                .unwrap_or_else(|| "no Sec-WebSocket-Protocol header".into());
            Failure::Subprotocol {
                offered: if offered.is_empty() { "none".into() } else { offered.to_string() },
                answered,
                text: err.to_string(),
            }
        }
        other => {
            let mut msg = other.to_string();
            if !status_line.is_empty() {
                msg = format!("{msg}; server sent: {}", excerpt(&status_line));
            } else if head.is_empty() {
                msg = format!("{msg}; the server sent nothing");
            }
            Failure::Upgrade(msg)
        }
    }
}

/// At most 200 characters of `s` on one line.
pub fn excerpt(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 200 {
        format!("{}…", one_line.chars().take(200).collect::<String>())
    } else {
        one_line
    }
}

fn lost(phase: Phase, e: WsError) -> Failure {
    Failure::Lost {
        phase,
        text: e.to_string(),
    }
}

fn closed(phase: Phase, frame: Option<tokio_tungstenite::tungstenite::protocol::CloseFrame>) -> Failure {
    match frame {
        Some(f) => Failure::Closed {
            phase,
            code: u16::from(f.code),
            reason: excerpt(&f.reason),
        },
        None => Failure::Closed {
            phase,
            code: 1005,
            reason: String::new(),
        },
    }
}

async fn exchange(
    ws: &mut Ws,
    w: &Workload,
    o: &mut Outcome,
    on_phase: &(dyn Fn(Phase) + Send + Sync),
    started: Instant,
) -> Result<(), Failure> {
    if w.send.is_some() || w.expect.is_some() {
        enter(o, Phase::FirstMessage, on_phase);
        let t = Instant::now();
        if let Some(s) = &w.send {
            ws.send(Message::text(s.as_str())).await.map_err(|e| lost(Phase::FirstMessage, e))?;
        }
        loop {
            let text = match ws.next().await {
                None => {
                    return Err(Failure::Lost {
                        phase: Phase::FirstMessage,
                        text: "connection closed".into(),
                    });
                }
                Some(Err(e)) => return Err(lost(Phase::FirstMessage, e)),
                Some(Ok(Message::Close(f))) => return Err(closed(Phase::FirstMessage, f)),
                Some(Ok(Message::Text(t))) => t.as_str().to_string(),
                Some(Ok(Message::Binary(b))) => String::from_utf8_lossy(&b).into_owned(),
                Some(Ok(_)) => continue,
            };
            let matched = w.expect.as_ref().is_none_or(|e| text.contains(e.as_str()));
            o.last_message = Some(excerpt(&text));
            if matched {
                break;
            }
        }
        o.first_message = Some(t.elapsed());
        o.total = Some(started.elapsed());
        o.ready_at = Some(Instant::now());
    }
    for i in 0..w.pings {
        enter(o, Phase::Ping, on_phase);
        let payload = Bytes::from((i as u64).to_be_bytes().to_vec());
        let t = Instant::now();
        ws.send(Message::Ping(payload.clone())).await.map_err(|e| lost(Phase::Ping, e))?;
        loop {
            match ws.next().await {
                None => {
                    return Err(Failure::Lost {
                        phase: Phase::Ping,
                        text: "connection closed".into(),
                    });
                }
                Some(Err(e)) => return Err(lost(Phase::Ping, e)),
                Some(Ok(Message::Close(f))) => return Err(closed(Phase::Ping, f)),
                Some(Ok(Message::Pong(p))) if p == payload => break,
                Some(Ok(_)) => continue,
            }
        }
        o.pings.push(t.elapsed());
    }
    Ok(())
}

async fn hold(ws: &mut Ws, dur: Duration, w: &Workload, o: &mut Outcome) -> Result<(), Failure> {
    let end = tokio::time::Instant::now() + dur;
    let mut tick = (w.rate > 0.0).then(|| {
        let period = Duration::from_secs_f64(1.0 / w.rate);
        // Spread the first sends over one period so connections do not send in lockstep.
        let offset = period.mul_f64(fastrand_fraction());
        let mut iv = tokio::time::interval_at(tokio::time::Instant::now() + offset, period);
        iv.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        iv
    });
    loop {
        let send_now = tokio::select! {
            _ = tokio::time::sleep_until(end) => break,
            _ = async {
                match tick.as_mut() {
                    Some(t) => { t.tick().await; }
                    None => std::future::pending::<()>().await,
                }
            } => true,
            m = ws.next() => {
                match m {
                    None => return Err(Failure::Lost { phase: Phase::Hold, text: "connection closed".into() }),
                    Some(Err(e)) => return Err(lost(Phase::Hold, e)),
                    Some(Ok(Message::Close(f))) => return Err(closed(Phase::Hold, f)),
                    Some(Ok(Message::Text(_) | Message::Binary(_))) => o.received += 1,
                    Some(Ok(_)) => {}
                }
                false
            }
        };
        if send_now {
            // A server that stops reading fills the socket: that wait has a deadline too.
            match tokio::time::timeout(w.timeout, ws.send(Message::Binary(w.payload.clone()))).await {
                Ok(r) => r.map_err(|e| lost(Phase::Hold, e))?,
                Err(_) => return Err(Failure::Timeout { phase: Phase::Hold }),
            }
            o.sent += 1;
        }
    }
    Ok(())
}

/// The closed loop of `--await-echo`: one message in flight at a time. Each message waits
/// for the next text or binary message back (its echo) before the next is sent, until the
/// hold ends; the last one sent is still awaited, so every message sent is answered or the
/// connection fails. Sending and waiting for the echo share one `--timeout`.
async fn hold_echo(ws: &mut Ws, dur: Duration, w: &Workload, o: &mut Outcome) -> Result<(), Failure> {
    let end = Instant::now() + dur;
    while Instant::now() < end {
        let t = Instant::now();
        let round = tokio::time::timeout(w.timeout, async {
            ws.send(Message::Binary(w.payload.clone()))
                .await
                .map_err(|e| lost(Phase::Hold, e))?;
            o.sent += 1;
            loop {
                match ws.next().await {
                    None => {
                        return Err(Failure::Lost {
                            phase: Phase::Hold,
                            text: "connection closed".into(),
                        });
                    }
                    Some(Err(e)) => return Err(lost(Phase::Hold, e)),
                    Some(Ok(Message::Close(f))) => return Err(closed(Phase::Hold, f)),
                    Some(Ok(Message::Text(_) | Message::Binary(_))) => return Ok(()),
                    Some(Ok(_)) => continue,
                }
            }
        });
        match round.await {
            Ok(Ok(())) => {
                o.received += 1;
                o.echo_rtts_us.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX));
            }
            Ok(Err(f)) => return Err(f),
            Err(_) => return Err(Failure::Timeout { phase: Phase::Hold }),
        }
    }
    Ok(())
}

/// A cheap fraction in [0, 1) that differs from call to call.
fn fastrand_fraction() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    // Golden-ratio sequence: evenly spread, no RNG needed.
    let n = SEQ.fetch_add(1, Ordering::Relaxed);
    (n as f64 * 0.618_033_988_75).fract()
}

/// Sends a close frame and waits (briefly) for the server's. A close code other than a
/// normal one means the server had closed on its own first: that is reported.
async fn close(ws: &mut Ws) -> Option<Failure> {
    let r = tokio::time::timeout(Duration::from_secs(1), async {
        let _ = ws.close(None).await;
        while let Some(m) = ws.next().await {
            match m {
                Ok(Message::Close(Some(f))) => {
                    return match f.code {
                        CloseCode::Normal | CloseCode::Away | CloseCode::Status => None,
                        _ => Some(closed(Phase::Close, Some(f))),
                    };
                }
                Ok(Message::Close(None)) => return None,
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    })
    .await;
    r.unwrap_or(None)
}

/// A plain or TLS stream.
pub enum Conn {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Conn {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_flush(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// Keeps a copy of the first bytes read (the server's answer to the upgrade) while `head`
/// is set, so a refusal can be quoted verbatim even after tungstenite consumed the stream.
pub struct Tap<S> {
    inner: S,
    head: Option<Arc<Mutex<Vec<u8>>>>,
}

const HEAD_CAP: usize = 2048;

impl<S: AsyncRead + Unpin> AsyncRead for Tap<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let me = self.get_mut();
        let before = buf.filled().len();
        let r = Pin::new(&mut me.inner).poll_read(cx, buf);
        if let (Poll::Ready(Ok(())), Some(head)) = (&r, &me.head)
            && let Ok(mut h) = head.lock()
        {
            let room = HEAD_CAP.saturating_sub(h.len());
            let new = &buf.filled()[before..];
            h.extend_from_slice(&new[..new.len().min(room)]);
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tap<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_tungstenite::tungstenite::http::Response;

    #[test]
    fn a_401_keeps_the_status_line_and_body() {
        let head = b"HTTP/1.1 401 Unauthorized\r\ncontent-length: 26\r\n\r\n{\"error\":\"token expired\"}\n";
        let resp = Response::builder()
            .status(401)
            .body(Some(b"{\"error\":\"token expired\"}\n".to_vec()))
            .unwrap();
        let f = upgrade_failure(WsError::Http(Box::new(resp)), head, "");
        assert_eq!(
            f,
            Failure::Status {
                status: 401,
                line: "HTTP/1.1 401 Unauthorized".into(),
                body: "{\"error\":\"token expired\"}".into()
            }
        );
        assert_eq!(f.kind(), "rejected");
    }

    #[test]
    fn a_wrong_subprotocol_quotes_the_servers_header() {
        let head = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: chat.v2\r\n\r\n";
        let e = WsError::Protocol(ProtocolError::SecWebSocketSubProtocolError(
            tokio_tungstenite::tungstenite::error::SubProtocolError::InvalidSubProtocol,
        ));
        match upgrade_failure(e, head, "bearer, ***") {
            Failure::Subprotocol { offered, answered, .. } => {
                assert_eq!(offered, "bearer, ***");
                assert_eq!(answered, "Sec-WebSocket-Protocol: chat.v2");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn excerpts_are_one_short_line() {
        assert_eq!(excerpt("a\n  b\tc"), "a b c");
        assert_eq!(excerpt(&"x".repeat(500)).chars().count(), 201);
    }
}
