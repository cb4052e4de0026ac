//! The upstream side of a proxied connection: the TCP dial, TLS for `wss://`, and the
//! opening handshake, written by hand so that nothing stands between it and the relay:
//! bytes the upstream sends right after its `101` are kept and relayed, not lost in a
//! library's buffer.

use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::tungstenite::handshake::client::generate_key;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

/// The longest upstream answer to the upgrade request.
const MAX_HEAD: usize = 16 * 1024;

/// Where the proxy connects.
#[derive(Clone)]
pub struct Upstream {
    pub host: String,
    pub port: u16,
    /// `Some` for `wss://`: the TLS settings (system roots or `--upstream-cacert`).
    pub tls: Option<Arc<rustls::ClientConfig>>,
}

impl std::fmt::Debug for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.url())
    }
}

impl Upstream {
    /// `ws://host:port` or `wss://host:port`, for messages.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "wss" } else { "ws" };
        if self.host.contains(':') {
            format!("{scheme}://[{}]:{}", self.host, self.port)
        } else {
            format!("{scheme}://{}:{}", self.host, self.port)
        }
    }

    /// The `Host` header: the port only when it is not the scheme's default.
    fn host_header(&self) -> String {
        let default = if self.tls.is_some() { 443 } else { 80 };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == default {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    /// Dials and completes the opening handshake for `target` (path and query) with
    /// `headers` (name, value) added and the client's extension offers (`extensions::offer`).
    pub async fn connect(&self, target: &str, headers: &[(&str, &[u8])], extensions: Option<&str>) -> Result<(Stream, Opened), String> {
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", self.url()))?;
        let _ = tcp.set_nodelay(true);
        let mut stream = match &self.tls {
            None => Stream::Tcp(tcp),
            Some(cfg) => {
                let name = rustls::pki_types::ServerName::try_from(self.host.clone())
                    .map_err(|e| format!("`{}` cannot be checked against a certificate: {e}", self.host))?;
                let tls = tokio_rustls::TlsConnector::from(cfg.clone())
                    .connect(name, tcp)
                    .await
                    .map_err(|e| format!("TLS with {} failed: {e}", self.url()))?;
                Stream::Tls(Box::new(tls))
            }
        };
        let opened = match &mut stream {
            Stream::Tcp(s) => handshake(s, &self.host_header(), target, headers, extensions).await?,
            Stream::Tls(s) => handshake(s.as_mut(), &self.host_header(), target, headers, extensions).await?,
        };
        Ok((stream, opened))
    }
}

/// The connection to the upstream.
pub enum Stream {
    Tcp(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

/// What the upstream's `101` said.
#[derive(Debug, Clone, Default)]
pub struct Opened {
    /// The subprotocol it chose, if any.
    pub protocol: Option<Vec<u8>>,
    /// Its `Sec-WebSocket-Extensions` as it sent it, when it chose `permessage-deflate`.
    pub extensions: Option<Vec<u8>>,
    /// Bytes it sent after its answer (frames), to relay first.
    pub early: Vec<u8>,
}

/// Sends the upgrade request (with `extensions` offered, as given) and reads the `101`.
pub async fn handshake<S>(
    s: &mut S,
    host: &str,
    target: &str,
    headers: &[(&str, &[u8])],
    extensions: Option<&str>,
) -> Result<Opened, String>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    if !target.starts_with('/') || target.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return Err("the request path cannot be forwarded".into());
    }
    let key = generate_key();
    let mut req = Vec::with_capacity(512);
    req.extend_from_slice(
        format!(
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        )
        .as_bytes(),
    );
    let offer = extensions.map(|e| ("Sec-WebSocket-Extensions", e.as_bytes()));
    for (name, value) in headers.iter().chain(offer.iter()) {
        if value.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
            continue;
        }
        req.extend_from_slice(name.as_bytes());
        req.extend_from_slice(b": ");
        req.extend_from_slice(value);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"\r\n");
    s.write_all(&req).await.map_err(|e| format!("sending the upgrade request: {e}"))?;
    s.flush().await.map_err(|e| format!("sending the upgrade request: {e}"))?;

    let mut buf = Vec::with_capacity(1024);
    loop {
        let mut chunk = [0u8; 2048];
        let n = s.read(&mut chunk).await.map_err(|e| format!("reading the upgrade answer: {e}"))?;
        if n == 0 {
            return Err("the upstream closed the connection instead of answering the upgrade".into());
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut hs = [httparse::EMPTY_HEADER; 64];
        let mut resp = httparse::Response::new(&mut hs);
        match resp.parse(&buf) {
            Ok(httparse::Status::Complete(len)) => {
                let code = resp.code.unwrap_or(0);
                if code != 101 {
                    return Err(format!(
                        "the upstream answered {code} {} instead of 101",
                        resp.reason.unwrap_or_default()
                    ));
                }
                let get = |name: &str| resp.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value);
                if !get("upgrade").is_some_and(|v| v.eq_ignore_ascii_case(b"websocket")) {
                    return Err("the upstream's 101 has no `Upgrade: websocket`".into());
                }
                if get("sec-websocket-accept") != Some(derive_accept_key(key.as_bytes()).as_bytes()) {
                    return Err("the upstream's Sec-WebSocket-Accept does not match the key".into());
                }
                let chosen = get("sec-websocket-extensions");
                let deflate = super::extensions::accepted(chosen, extensions.is_some())?;
                return Ok(Opened {
                    protocol: get("sec-websocket-protocol").map(<[u8]>::to_vec),
                    extensions: chosen.filter(|_| deflate).map(<[u8]>::to_vec),
                    early: buf[len..].to_vec(),
                });
            }
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => {}
            Ok(httparse::Status::Partial) => return Err("the upstream's answer is too long".into()),
            Err(e) => return Err(format!("the upstream's answer is not HTTP: {e}")),
        }
    }
}
