//! The upstream side of a proxied connection: the TCP dial, TLS for `wss://`, and the
//! opening handshake, written by hand so that nothing stands between it and the relay:
//! bytes the upstream sends right after its `101` are kept and relayed, not lost in a
//! library's buffer.

use super::token;
use hyper::http::HeaderMap;
use std::net::IpAddr;
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

/// The upstream request's path and query: the client's, without `access_token`.
pub fn target(path: &str, query: Option<&str>) -> String {
    match query.and_then(token::strip_query) {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    }
}

/// What the upstream gets of the client's headers, credentials taken out: its
/// subprotocols without `bearer` and the token, its cookies without `access_token`,
/// `Origin`, `User-Agent`, and `X-Forwarded-For` with the client's address `peer`
/// appended. Nothing else it sent passes (no `Authorization`, no `X-Auth-Claim-*`).
pub fn forwarded(h: &HeaderMap, peer: IpAddr) -> Vec<(&'static str, Vec<u8>)> {
    let mut fwd: Vec<(&str, Vec<u8>)> = Vec::with_capacity(6);
    let offered = token::protocols_without_token(h);
    if !offered.is_empty() {
        fwd.push(("Sec-WebSocket-Protocol", offered.join(", ").into_bytes()));
    }
    if let Some(c) = h.get("cookie").and_then(|v| v.to_str().ok()).and_then(token::strip_cookie) {
        fwd.push(("Cookie", c.into_bytes()));
    }
    for name in ["Origin", "User-Agent"] {
        if let Some(v) = h.get(name) {
            fwd.push((name, v.as_bytes().to_vec()));
        }
    }
    let xff = match h.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        Some(prior) => format!("{prior}, {peer}"),
        None => peer.to_string(),
    };
    fwd.push(("X-Forwarded-For", xff.into_bytes()));
    fwd
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use hyper::http::HeaderValue;
    use tokio::net::TcpListener;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn text(fwd: &[(&'static str, Vec<u8>)]) -> Vec<(&'static str, String)> {
        fwd.iter().map(|(n, v)| (*n, String::from_utf8_lossy(v).into_owned())).collect()
    }

    #[test]
    fn the_upstream_gets_the_path_and_query_without_the_token() {
        assert_eq!(target("/chat", Some("room=1&access_token=t.t.t&x=%20")), "/chat?room=1&x=%20");
        assert_eq!(target("/chat", Some("access_token=t.t.t")), "/chat");
        assert_eq!(target("/chat", None), "/chat");
    }

    #[test]
    fn client_details_pass_and_credentials_stay_behind() {
        let h = headers(&[
            ("authorization", "Bearer h.h.h"),
            ("sec-websocket-protocol", "chat, bearer, s.s.s, v2"),
            ("cookie", "theme=dark; access_token=c.c.c"),
            ("origin", "https://app.example"),
            ("user-agent", "agent/1.0"),
            ("x-forwarded-for", "203.0.113.7"),
            ("x-auth-claim-sub", "admin"),
            ("x-other", "1"),
        ]);
        let fwd = forwarded(&h, "10.1.2.3".parse().unwrap());
        assert_eq!(
            text(&fwd),
            vec![
                ("Sec-WebSocket-Protocol", "chat, v2".to_string()),
                ("Cookie", "theme=dark".to_string()),
                ("Origin", "https://app.example".to_string()),
                ("User-Agent", "agent/1.0".to_string()),
                ("X-Forwarded-For", "203.0.113.7, 10.1.2.3".to_string()),
            ]
        );
    }

    #[test]
    fn with_only_the_token_offered_no_protocol_or_cookie_header_is_sent() {
        let h = headers(&[("sec-websocket-protocol", "bearer, s.s.s"), ("cookie", "access_token=c.c.c")]);
        assert_eq!(
            text(&forwarded(&h, "::1".parse().unwrap())),
            vec![("X-Forwarded-For", "::1".to_string())]
        );
    }

    fn upstream(host: &str, port: u16, tls: bool) -> Upstream {
        Upstream {
            host: host.into(),
            port,
            tls: tls.then(|| Arc::new(crate::tls::unverified())),
        }
    }

    #[test]
    fn host_and_url_name_the_port_only_when_it_is_not_the_default() {
        assert_eq!(upstream("app", 80, false).host_header(), "app");
        assert_eq!(upstream("app", 443, false).host_header(), "app:443");
        assert_eq!(upstream("app", 443, true).host_header(), "app");
        assert_eq!(upstream("app", 80, true).host_header(), "app:80");
        assert_eq!(upstream("::1", 8080, false).host_header(), "[::1]:8080");
        assert_eq!(upstream("::1", 80, false).host_header(), "[::1]");
        assert_eq!(upstream("app", 80, false).url(), "ws://app:80");
        assert_eq!(upstream("::1", 8443, true).url(), "wss://[::1]:8443");
        assert_eq!(format!("{:?}", upstream("app", 9000, true)), "wss://app:9000");
    }

    /// A loopback listener whose one connection is handed to `serve`.
    async fn peer<F, Fut>(serve: F) -> (tokio::task::JoinHandle<()>, TcpStream)
    where
        F: FnOnce(TcpStream) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let (s, _) = listener.accept().await.unwrap();
            serve(s).await;
        });
        (task, TcpStream::connect(addr).await.unwrap())
    }

    #[tokio::test]
    async fn a_websocket_server_gets_the_headers_and_its_choice_comes_back() {
        use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
        let (seen_tx, seen_rx) = tokio::sync::oneshot::channel();
        let (task, mut s) = peer(|s| async move {
            // The shape tungstenite's `Callback` asks for; its error is its own response type.
            #[allow(clippy::result_large_err)]
            let pick = |req: &Request, mut resp: Response| {
                let head: Vec<(String, String)> = req
                    .headers()
                    .iter()
                    .map(|(n, v)| (n.as_str().to_string(), v.to_str().unwrap_or("?").to_string()))
                    .collect();
                let _ = seen_tx.send((req.uri().to_string(), head));
                resp.headers_mut().insert("sec-websocket-protocol", HeaderValue::from_static("v2"));
                Ok(resp)
            };
            let _ws = tokio_tungstenite::accept_hdr_async(s, pick).await.unwrap();
        })
        .await;
        let fwd: [(&str, &[u8]); 3] = [
            ("Sec-WebSocket-Protocol", b"chat, v2"),
            ("X-Injected", b"a\r\nX-Evil: 1"),
            ("X-Forwarded-For", b"10.1.2.3"),
        ];
        let opened = handshake(&mut s, "app:8080", "/chat?room=1", &fwd, None).await.unwrap();
        assert_eq!(opened.protocol.as_deref(), Some(&b"v2"[..]));
        assert_eq!(opened.extensions, None);
        let (uri, head) = seen_rx.await.unwrap();
        assert_eq!(uri, "/chat?room=1");
        let get = |name: &str| head.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
        assert_eq!(get("host"), Some("app:8080"));
        assert_eq!(get("sec-websocket-protocol"), Some("chat, v2"));
        assert_eq!(get("x-forwarded-for"), Some("10.1.2.3"));
        // A value that would split the request into two headers is left out, not sent.
        assert_eq!(get("x-injected"), None);
        assert_eq!(get("x-evil"), None);
        task.await.unwrap();
    }

    /// Reads the upgrade request, then writes `answer` in `parts` (a pause between them);
    /// `{accept}` in it becomes the right `Sec-WebSocket-Accept`.
    async fn answer(parts: Vec<Vec<u8>>) -> (tokio::task::JoinHandle<()>, TcpStream) {
        peer(|mut s| async move {
            let mut req = Vec::new();
            let mut chunk = [0u8; 1024];
            while !req.ends_with(b"\r\n\r\n") {
                let n = s.read(&mut chunk).await.unwrap();
                assert!(n > 0);
                req.extend_from_slice(&chunk[..n]);
            }
            let req = String::from_utf8(req).unwrap();
            let key = req.lines().find_map(|l| l.strip_prefix("Sec-WebSocket-Key: ")).unwrap().to_string();
            let accept = derive_accept_key(key.as_bytes());
            for (i, p) in parts.into_iter().enumerate() {
                if i > 0 {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                let p = match p.windows(8).position(|w| w == b"{accept}") {
                    Some(i) => [&p[..i], accept.as_bytes(), &p[i + 8..]].concat(),
                    None => p,
                };
                s.write_all(&p).await.unwrap();
                s.flush().await.unwrap();
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        })
        .await
    }

    async fn opened(parts: &[&[u8]]) -> Result<Opened, String> {
        let (task, mut s) = answer(parts.iter().map(|p| p.to_vec()).collect()).await;
        let r = handshake(&mut s, "app", "/", &[], None).await;
        drop(s);
        task.await.unwrap();
        r
    }

    const OK: &[u8] =
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n";

    #[tokio::test]
    async fn frames_sent_with_the_101_are_kept_and_an_answer_in_pieces_is_read_whole() {
        let mut with_frame = OK.to_vec();
        with_frame.extend_from_slice(b"\x81\x02hi");
        assert_eq!(opened(&[&with_frame]).await.unwrap().early, b"\x81\x02hi");
        let (a, b) = OK.split_at(20);
        let o = opened(&[a, b]).await.unwrap();
        assert!(o.early.is_empty());
        assert_eq!(o.protocol, None);
    }

    #[tokio::test]
    async fn an_answer_that_is_not_a_websocket_upgrade_is_refused_with_what_it_was() {
        let e = opened(&[b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"]).await.unwrap_err();
        assert_eq!(e, "the upstream answered 403 Forbidden instead of 101");
        let e = opened(&[b"HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"])
            .await
            .unwrap_err();
        assert_eq!(e, "the upstream's 101 has no `Upgrade: websocket`");
        let e = opened(&[b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: x\r\n\r\n"])
            .await
            .unwrap_err();
        assert_eq!(e, "the upstream's Sec-WebSocket-Accept does not match the key");
        let e = opened(&[b"SSH-2.0-OpenSSH_9.6\r\n\r\n"]).await.unwrap_err();
        assert!(e.starts_with("the upstream's answer is not HTTP"), "{e}");
        let e = opened(&[]).await.unwrap_err();
        assert_eq!(e, "the upstream closed the connection instead of answering the upgrade");
    }

    #[tokio::test]
    async fn an_answer_head_stops_at_16_kib() {
        const KIB_16: usize = 16 * 1024;
        // Exactly the limit and no end of the head yet: refused without waiting for more.
        let mut head = b"HTTP/1.1 101 Switching Protocols\r\nX-Pad: ".to_vec();
        head.resize(KIB_16, b'a');
        let e = opened(&[&head]).await.unwrap_err();
        assert_eq!(e, "the upstream's answer is too long");
        // Just under it, completed by the next bytes: read whole.
        let mut head = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\nX-Pad: ".to_vec();
        head.resize(KIB_16 - 100, b'a');
        assert!(opened(&[&head, b"\r\n\r\n"]).await.is_ok());
    }

    #[tokio::test]
    async fn a_path_that_would_break_the_request_line_is_not_sent() {
        for bad in ["chat", "/a b", "/a\r\nX-Evil: 1", "/a\tb", ""] {
            // Nobody reads the far end: a request that got written fails, it does not wait.
            let (mut near, far) = tokio::io::duplex(64);
            drop(far);
            let e = handshake(&mut near, "app", bad, &[], None).await.unwrap_err();
            assert_eq!(e, "the request path cannot be forwarded", "{bad:?}");
        }
    }
}
