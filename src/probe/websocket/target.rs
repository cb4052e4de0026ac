//! What the WebSocket probe connects to and the workload it runs there.

use crate::redact::{self, Secret};
use crate::ws_token::TokenIn;
use std::time::Duration;

/// Handshake p95 at or above this is a warning, in seconds.
pub const WARN_AFTER_S: u64 = 1;
/// Handshake p95 at or above this is an error, in seconds.
pub const ERROR_AFTER_S: u64 = 30;
/// Bytes in each message sent while holding.
pub const SIZE: usize = 64;
/// Connections opened in all, and at once.
pub const CONNECTIONS: u32 = 1;
pub const CONCURRENCY: u32 = 1;
/// Messages per second per connection while holding.
pub const RATE: f64 = 0.0;

/// One WebSocket URL, parsed and checked.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub url: url::Url,
    pub host: String,
    pub port: u16,
    pub tls: bool,
    /// The URL as shown in reports: secrets masked.
    pub display: String,
}

/// A WebSocket endpoint with the workload to run against it.
#[derive(Debug, Clone)]
pub struct Target {
    pub endpoint: Endpoint,
    /// `--compare URL`: the same workload against this endpoint too.
    pub compare: Option<Endpoint>,
    pub token: Option<Secret>,
    pub token_in: TokenIn,
    pub subprotocols: Vec<String>,
    /// Extra request headers; values of sensitive ones are also in `secrets()`.
    pub headers: Vec<(String, String)>,
    pub send: Option<String>,
    pub expect: Option<String>,
    pub pings: u32,
    pub cacert: Option<Vec<u8>>,
    pub insecure: bool,
    pub connections: u32,
    pub concurrency: u32,
    pub hold: Option<Duration>,
    /// Messages per second per connection while holding.
    pub rate: f64,
    /// While holding, one message in flight at a time: each waits for its echo.
    pub await_echo: bool,
    pub size: usize,
    /// Per-connection deadline (the run's `--timeout`).
    pub timeout: Duration,
    pub warn_after: Duration,
    pub error_after: Duration,
}

impl Endpoint {
    /// Parses a `ws://` or `wss://` URL; the error text never holds the URL's secrets.
    pub fn parse(raw: &str) -> Result<Endpoint, String> {
        let url = url::Url::parse(raw).map_err(|e| format!("`{}` is not a URL: {e}", redact::url(raw)))?;
        let tls = match url.scheme() {
            "ws" => false,
            "wss" => true,
            other => return Err(format!("scheme `{other}` is not supported; use ws:// or wss://")),
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("`{}` has no host", redact::url(raw)))?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = url.port_or_known_default().unwrap_or(if tls { 443 } else { 80 });
        Ok(Endpoint {
            display: redact::url(url.as_str()),
            url,
            host,
            port,
            tls,
        })
    }
}

impl Target {
    /// One connection to `endpoint` with every other setting at its default.
    pub fn new(endpoint: Endpoint, timeout: Duration) -> Target {
        Target {
            endpoint,
            compare: None,
            token: None,
            token_in: TokenIn::Header,
            subprotocols: Vec::new(),
            headers: Vec::new(),
            send: None,
            expect: None,
            pings: 0,
            cacert: None,
            insecure: false,
            connections: CONNECTIONS,
            concurrency: CONCURRENCY,
            hold: None,
            rate: RATE,
            await_echo: false,
            size: SIZE,
            timeout,
            warn_after: Duration::from_secs(WARN_AFTER_S),
            error_after: Duration::from_secs(ERROR_AFTER_S),
        }
    }

    /// Secrets this target sends: the token, the values of sensitive headers (and the
    /// credential after an `Authorization` scheme, the value of each cookie), and the
    /// password and secret query parameters of its URLs.
    pub fn secrets(&self) -> Vec<String> {
        let mut s: Vec<String> = self.token.iter().map(|t| t.expose().to_string()).collect();
        for (k, v) in self.headers.iter().filter(|(k, _)| is_sensitive_header(k)) {
            s.push(v.clone());
            if k.eq_ignore_ascii_case("cookie") {
                s.extend(v.split(';').filter_map(|c| c.split_once('=')).map(|(_, v)| v.trim().to_string()));
            } else if let Some((scheme, cred)) = v.trim().split_once(' ') {
                let cred = cred.trim();
                s.push(cred.to_string());
                // Basic: `user:password` in base64; a server may echo either.
                use base64::Engine;
                if scheme.eq_ignore_ascii_case("basic")
                    && let Ok(plain) = base64::engine::general_purpose::STANDARD.decode(cred)
                {
                    let plain = String::from_utf8_lossy(&plain).into_owned();
                    s.extend(plain.split_once(':').map(|(_, pw)| pw.to_string()));
                    s.push(plain);
                }
            }
        }
        for e in std::iter::once(&self.endpoint).chain(&self.compare) {
            s.extend(redact::url_secrets(e.url.as_str()));
        }
        s.retain(|x| !x.is_empty());
        s
    }
}

/// Header names whose values are credentials.
pub fn is_sensitive_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization"
        || n == "cookie"
        || n == "proxy-authorization"
        || n.contains("token")
        || n.contains("secret")
        || n.contains("api-key")
}
