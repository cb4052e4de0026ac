//! An in-test WebSocket server on a free loopback port whose behaviour each test sets:
//! delays before the TLS handshake, the `101` and the in-band auth reply; where the token
//! must be; a wrong subprotocol echo; an immediate close with a given code; silence (reads
//! every message, answers none). The upgrade is
//! answered by hand (so every delay and refusal is exact), then the connection is a real
//! tungstenite server stream. TLS uses the `TestPki` certificate via tokio-rustls.

use super::TestPki;
use futures_util::{SinkExt, StreamExt};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, Role, frame::coding::CloseCode};

/// Where the server requires the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenAt {
    Header,
    Query,
    Cookie,
    Subprotocol,
}

/// What the server does; `Default` is a prompt, plain-text echo server.
#[derive(Debug, Clone, Default)]
pub struct WsBehaviour {
    /// Serve wss:// with this PKI's `server.pem`.
    pub tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
    /// Wait this long after accepting before the TLS handshake.
    pub tls_delay: Duration,
    /// Wait this long after reading the upgrade request before answering `101`.
    pub upgrade_delay: Duration,
    /// Wait this long before answering the first message that contains "auth".
    pub auth_delay: Duration,
    /// Refuse the upgrade with 401 unless this token is in this place.
    pub require_token: Option<(TokenAt, String)>,
    /// Answer with this Sec-WebSocket-Protocol whatever was offered.
    pub subprotocol_echo: Option<String>,
    /// Close right after the `101` with this code and reason.
    pub close_with: Option<(u16, String)>,
    /// Read every message and never answer one (pings are still answered).
    pub silent: bool,
}

impl WsBehaviour {
    pub fn tls(pki: &TestPki) -> WsBehaviour {
        WsBehaviour {
            tls: Some((pki.path("server.pem"), pki.path("server.key"))),
            ..Default::default()
        }
    }
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// A running server; stops when dropped.
pub struct WsServer {
    pub port: u16,
    tls: bool,
    /// The request heads received, in order.
    requests: Arc<Mutex<Vec<String>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl WsServer {
    pub fn start(b: WsBehaviour) -> WsServer {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let port = std_listener.local_addr().expect("addr").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let tls = b.tls.is_some();
        let seen = requests.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(std_listener).expect("listener");
                let acceptor = b.tls.as_ref().map(|(cert, key)| tls_acceptor(cert, key));
                let b = Arc::new(b);
                loop {
                    tokio::select! {
                        _ = &mut rx => break,
                        r = listener.accept() => {
                            let Ok((tcp, _)) = r else { continue };
                            let (b, acceptor, seen) = (b.clone(), acceptor.clone(), seen.clone());
                            tokio::spawn(async move {
                                let stream: Box<dyn Io> = match acceptor {
                                    Some(acc) => {
                                        tokio::time::sleep(b.tls_delay).await;
                                        match acc.accept(tcp).await {
                                            Ok(s) => Box::new(s),
                                            Err(_) => return,
                                        }
                                    }
                                    None => Box::new(tcp),
                                };
                                serve(stream, &b, &seen).await;
                            });
                        }
                    }
                }
            });
            rt.shutdown_background();
        });
        WsServer {
            port,
            tls,
            requests,
            stop: Some(tx),
        }
    }

    /// `ws://127.0.0.1:PORT/ws` (or `wss://localhost:PORT/ws` with TLS, matching the cert).
    pub fn url(&self) -> String {
        if self.tls {
            format!("wss://localhost:{}/ws", self.port)
        } else {
            format!("ws://127.0.0.1:{}/ws", self.port)
        }
    }

    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for WsServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

fn tls_acceptor(cert: &std::path::Path, key: &std::path::Path) -> tokio_rustls::TlsAcceptor {
    tokio_rustls::TlsAcceptor::from(tls_server_config(cert, key))
}

/// A rustls server configuration for the certificate and key in these PEM files.
pub fn tls_server_config(cert: &std::path::Path, key: &std::path::Path) -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .expect("read server.pem")
        .collect::<Result<_, _>>()
        .expect("parse server.pem");
    let key = PrivateKeyDer::from_pem_file(key).expect("read server.key");
    let cfg = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server cert");
    Arc::new(cfg)
}

async fn serve(mut s: Box<dyn Io>, b: &WsBehaviour, seen: &Mutex<Vec<String>>) {
    // Read the request head.
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 * 1024 {
            return;
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    if let Ok(mut r) = seen.lock() {
        r.push(head.clone());
    }
    let mut lines = head.split("\r\n");
    let target = lines.next().unwrap_or_default().split(' ').nth(1).unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let get = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());

    if let Some((at, token)) = &b.require_token {
        let ok = match at {
            TokenAt::Header => get("authorization") == Some(&format!("Bearer {token}")),
            TokenAt::Query => target.contains(&format!("access_token={token}")),
            TokenAt::Cookie => get("cookie").is_some_and(|c| c.split(';').any(|p| p.trim() == format!("access_token={token}"))),
            TokenAt::Subprotocol => get("sec-websocket-protocol").is_some_and(|p| p.split(',').any(|x| x.trim() == token)),
        };
        if !ok {
            let body = "{\"error\":\"invalid or missing token\"}";
            let resp = format!(
                "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(resp.as_bytes()).await;
            let _ = s.flush().await;
            return;
        }
    }

    tokio::time::sleep(b.upgrade_delay).await;
    let key = get("sec-websocket-key").unwrap_or_default();
    let mut resp = format!(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {}\r\n",
        derive_accept_key(key.as_bytes())
    );
    let protocol = match &b.subprotocol_echo {
        Some(p) => Some(p.clone()),
        // Echo the first protocol offered that is not the token (`bearer`, or the app's).
        None => get("sec-websocket-protocol")
            .and_then(|p| p.split(',').next())
            .map(|p| p.trim().to_string()),
    };
    if let Some(p) = protocol {
        resp.push_str(&format!("Sec-WebSocket-Protocol: {p}\r\n"));
    }
    resp.push_str("\r\n");
    if s.write_all(resp.as_bytes()).await.is_err() || s.flush().await.is_err() {
        return;
    }
    let mut ws = WebSocketStream::from_raw_socket(s, Role::Server, None).await;
    if let Some((code, reason)) = &b.close_with {
        let _ = ws
            .close(Some(CloseFrame {
                code: CloseCode::from(*code),
                reason: reason.clone().into(),
            }))
            .await;
        while let Some(Ok(_)) = ws.next().await {}
        return;
    }
    let mut authed = false;
    while let Some(Ok(msg)) = ws.next().await {
        let reply = match msg {
            Message::Text(t) if !authed && t.as_str().contains("auth") => {
                authed = true;
                tokio::time::sleep(b.auth_delay).await;
                Message::text("{\"type\":\"auth_ok\"}")
            }
            Message::Text(_) | Message::Binary(_) if !b.silent => msg,
            _ => continue,
        };
        if ws.send(reply).await.is_err() {
            break;
        }
    }
}

const ECHO_SCRIPT: &str = r#"
import asyncio
from websockets.asyncio.server import serve

async def echo(ws):
    async for m in ws:
        await ws.send(m)

async def main():
    async with serve(echo, "127.0.0.1", 0) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().create_future()

asyncio.run(main())
"#;

/// Python's `websockets` echo server (from PyPI; `scripts/test` installs it), a server no
/// one here wrote. Killed on drop.
pub struct PyWsServer {
    pub port: u16,
    child: std::process::Child,
}

impl PyWsServer {
    pub fn start() -> PyWsServer {
        PyWsServer::with_script(ECHO_SCRIPT)
    }

    /// Runs a Python `websockets` server `script` that prints its port on its first line.
    pub fn with_script(script: &str) -> PyWsServer {
        use std::io::BufRead;
        let mut child = std::process::Command::new("python3")
            .args(["-c", script])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("python3 is not installed: run `scripts/test`");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read port");
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("python websockets server did not start (is `websockets` installed? run `scripts/test`): {line:?}")
        });
        PyWsServer { port, child }
    }
}

impl Drop for PyWsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
