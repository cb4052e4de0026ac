//! One HTTP/1.1 exchange with a server aiwfe reads from (a JWKS endpoint, Prometheus):
//! connect, TLS when the URL is `https`, one request, and a body read up to a limit. The
//! caller bounds the time; a server that sends more than the limit is cut off, never
//! buffered whole.

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::sync::Arc;
use tokio::net::TcpStream;

/// One request.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// `GET` or `POST`.
    pub method: hyper::Method,
    pub url: &'a url::Url,
    /// Extra headers (Host and User-Agent are set here).
    pub headers: Vec<(hyper::header::HeaderName, String)>,
    /// `(content type, bytes)` for a POST.
    pub body: Option<(&'static str, Vec<u8>)>,
    /// Most body bytes taken from the answer.
    pub limit: usize,
}

/// What the server answered.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: hyper::StatusCode,
    pub body: Bytes,
}

/// Why there is no answer. The texts name the host, never the URL's credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("the URL has no host")]
    NoHost,
    #[error("unsupported scheme {0}")]
    Scheme(String),
    #[error("cannot connect to {host}:{port}: {reason}")]
    Connect { host: String, port: u16, reason: String },
    #[error("TLS handshake with {host}: {reason}")]
    Tls { host: String, reason: String },
    #[error("{0}")]
    Protocol(String),
    #[error("reading the body: {reason} (at most {limit} bytes)")]
    Body { reason: String, limit: usize },
}

/// Sends `req` and reads the answer; `tls` is required for `https` URLs.
pub async fn send(req: Request<'_>, tls: Option<&Arc<rustls::ClientConfig>>) -> Result<Response, HttpError> {
    let u = req.url;
    let host = u.host_str().ok_or(HttpError::NoHost)?.trim_matches(['[', ']']).to_string();
    let port = u.port_or_known_default().unwrap_or(443);
    if !matches!(u.scheme(), "http" | "https") || (u.scheme() == "https" && tls.is_none()) {
        return Err(HttpError::Scheme(u.scheme().to_string()));
    }
    let tcp = TcpStream::connect((host.as_str(), port)).await.map_err(|e| HttpError::Connect {
        host: host.clone(),
        port,
        reason: e.to_string().to_lowercase(),
    })?;
    let _ = tcp.set_nodelay(true);
    let mut target = u.path().to_string();
    if let Some(q) = u.query() {
        target.push('?');
        target.push_str(q);
    }
    let authority = match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap_or_default()),
        None => u.host_str().unwrap_or_default().to_string(),
    };
    let mut builder = hyper::Request::builder()
        .method(req.method.clone())
        .uri(target)
        .header(hyper::header::HOST, authority)
        .header(hyper::header::USER_AGENT, concat!("aiwfe/", env!("CARGO_PKG_VERSION")));
    for (name, value) in &req.headers {
        builder = builder.header(name, value);
    }
    let body = match &req.body {
        Some((content_type, bytes)) => {
            builder = builder.header(hyper::header::CONTENT_TYPE, *content_type);
            Full::new(Bytes::from(bytes.clone()))
        }
        None => Full::new(Bytes::new()),
    };
    let request = builder.body(body).map_err(|e| HttpError::Protocol(e.to_string()))?;
    match (u.scheme(), tls) {
        ("https", Some(cfg)) => {
            let name = rustls::pki_types::ServerName::try_from(host.clone()).map_err(|e| HttpError::Tls {
                host: host.clone(),
                reason: e.to_string(),
            })?;
            let stream = tokio_rustls::TlsConnector::from(cfg.clone())
                .connect(name, tcp)
                .await
                .map_err(|e| HttpError::Tls {
                    host: host.clone(),
                    reason: e.to_string(),
                })?;
            exchange(TokioIo::new(stream), request, req.limit).await
        }
        _ => exchange(TokioIo::new(tcp), request, req.limit).await,
    }
}

async fn exchange<I>(io: I, req: hyper::Request<Full<Bytes>>, limit: usize) -> Result<Response, HttpError>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut send, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| HttpError::Protocol(e.to_string()))?;
    let conn = tokio::spawn(conn);
    let r = async {
        let resp = send.send_request(req).await.map_err(|e| HttpError::Protocol(e.to_string()))?;
        let status = resp.status();
        let body = Limited::new(resp.into_body(), limit).collect().await.map_err(|e| HttpError::Body {
            reason: e.to_string(),
            limit,
        })?;
        Ok(Response {
            status,
            body: body.to_bytes(),
        })
    }
    .await;
    conn.abort();
    r
}
