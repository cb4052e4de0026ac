//! The probe's connection to Redis: TCP (and TLS) dialled here, and every byte the server
//! sends read through `Bounded`, which stops a server that does not speak Redis before it
//! costs memory: a reply that does not start like RESP, a line longer than Redis itself
//! accepts, or a reply larger than any the probe asks for. The redis crate's own reader
//! buffers a reply whole, without limit.

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, RedisConnectionInfo};
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The longest line a reply may hold: Redis's own limit on an inline request
/// (`PROTO_INLINE_MAX_SIZE`, 64 KiB). Status and error lines are far shorter.
pub const MAX_LINE: usize = 64 * 1024;
/// The most one reply may take: `INFO`, the largest the probe asks for, is a few KiB.
pub const MAX_REPLY: usize = 1024 * 1024;

/// How the server broke the protocol, when it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Breach {
    /// The first bytes are not a RESP reply (an HTTP server, a TLS port, random bytes).
    NotResp(String),
    /// A line went on past `MAX_LINE` without an end.
    LongLine,
    /// One reply went on past `MAX_REPLY`.
    LargeReply,
}

/// What the server broke, shared between the stream and the probe.
pub type Watch = Arc<Mutex<Option<Breach>>>;

/// Where to connect and how.
pub struct Dial<'a> {
    pub host: &'a str,
    pub port: u16,
    /// TLS with these roots (PEM) or the system's; `insecure` verifies nothing.
    pub tls: Option<(Option<&'a [u8]>, bool)>,
    /// For the connection and for each reply.
    pub timeout: Duration,
}

/// Connects and wraps the stream; the connection's driver runs on the current runtime.
pub async fn connect(d: &Dial<'_>) -> Result<(MultiplexedConnection, Watch), redis::RedisError> {
    let io = |e: io::Error| redis::RedisError::from(e);
    tracing::info!(
        "redis: connecting to {}:{}{}",
        d.host,
        d.port,
        if d.tls.is_some() { " over TLS" } else { "" }
    );
    let tcp = tokio::time::timeout(d.timeout, tokio::net::TcpStream::connect((d.host, d.port)))
        .await
        .map_err(|_| io(io::Error::new(io::ErrorKind::TimedOut, "connection timed out")))?
        .map_err(io)?;
    let _ = tcp.set_nodelay(true);
    let watch: Watch = Arc::default();
    let info = RedisConnectionInfo::default().set_skip_set_lib_name();
    let cfg = AsyncConnectionConfig::new().set_response_timeout(Some(d.timeout));
    let (con, driver) = match d.tls {
        None => {
            let s = Bounded::new(tcp, watch.clone());
            let (con, driver) = MultiplexedConnection::new_with_config(&info, s, cfg).await?;
            (con, Box::pin(driver) as Pin<Box<dyn std::future::Future<Output = ()> + Send>>)
        }
        Some((cacert, insecure)) => {
            let mut tls = crate::tls::http_client(cacert, insecure).map_err(|e| io(io::Error::other(e.to_string())))?;
            tls.alpn_protocols.clear();
            let name = rustls::pki_types::ServerName::try_from(d.host.to_string()).map_err(|_| {
                io(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("`{}` is not a TLS server name", d.host),
                ))
            })?;
            let connector = tokio_rustls::TlsConnector::from(Arc::new(tls));
            let stream = tokio::time::timeout(d.timeout, connector.connect(name, tcp))
                .await
                .map_err(|_| io(io::Error::new(io::ErrorKind::TimedOut, "TLS handshake timed out")))?
                .map_err(|e| io(io::Error::other(format!("TLS handshake failed: {e}"))))?;
            let s = Bounded::new(stream, watch.clone());
            let (con, driver) = MultiplexedConnection::new_with_config(&info, s, cfg).await?;
            (con, Box::pin(driver) as Pin<Box<dyn std::future::Future<Output = ()> + Send>>)
        }
    };
    tokio::spawn(driver);
    tracing::debug!("redis: connected to {}:{}", d.host, d.port);
    Ok((con, watch))
}

/// A stream whose reads stop, with an error and a `Breach`, when the peer is not speaking
/// Redis; each write (a new command) starts a new reply's count.
pub struct Bounded<S> {
    inner: S,
    watch: Watch,
    seen_any: bool,
    line: usize,
    reply: usize,
}

impl<S> Bounded<S> {
    pub fn new(inner: S, watch: Watch) -> Self {
        Bounded {
            inner,
            watch,
            seen_any: false,
            line: 0,
            reply: 0,
        }
    }

    /// Accounts for `got`; the breach, if these bytes make one.
    fn check(&mut self, got: &[u8]) -> Option<Breach> {
        if !self.seen_any && !got.is_empty() {
            self.seen_any = true;
            // RESP2 and RESP3 type bytes.
            if !b"+-:$*_,#!=(%~>|".contains(&got[0]) {
                return Some(Breach::NotResp(first_line(got)));
            }
        }
        for &b in got {
            if b == b'\n' {
                self.line = 0;
            } else {
                self.line += 1;
                if self.line > MAX_LINE {
                    return Some(Breach::LongLine);
                }
            }
        }
        self.reply += got.len();
        (self.reply > MAX_REPLY).then_some(Breach::LargeReply)
    }
}

/// The start of what the server sent, as text: its first line, at most 80 characters.
fn first_line(got: &[u8]) -> String {
    let text = String::from_utf8_lossy(&got[..got.len().min(256)]);
    let line = text.split(['\r', '\n']).next().unwrap_or("");
    let mut out: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        out.push('…');
    }
    out
}

impl<S: AsyncRead + Unpin> AsyncRead for Bounded<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = r {
            let got = buf.filled()[before..].to_vec();
            if let Some(breach) = self.check(&got) {
                let what = format!("{breach:?}");
                tracing::debug!("redis: stopped reading: {what}");
                *self.watch.lock().unwrap_or_else(|e| e.into_inner()) = Some(breach);
                buf.set_filled(before);
                return Poll::Ready(Err(io::Error::new(io::ErrorKind::InvalidData, what)));
            }
        }
        r
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Bounded<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = r
            && n > 0
        {
            self.reply = 0;
        }
        r
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Rng;

    fn bounded() -> Bounded<()> {
        Bounded::new((), Watch::default())
    }

    #[test]
    fn replies_of_real_servers_pass() {
        let mut b = bounded();
        assert_eq!(b.check(b"+PONG\r\n"), None);
        assert_eq!(b.check(b"-NOAUTH Authentication required.\r\n"), None);
        assert_eq!(b.check(&[b"$5000\r\n".as_slice(), &[b'a'; 5000], b"\r\n"].concat()), None);
    }

    #[test]
    fn what_is_not_resp_is_named_by_its_first_line() {
        assert_eq!(
            bounded().check(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
            Some(Breach::NotResp("HTTP/1.1 400 Bad Request".into()))
        );
        assert!(matches!(bounded().check(&[0x16, 0x03, 0x01]), Some(Breach::NotResp(_))));
    }

    #[test]
    fn an_endless_line_and_a_huge_reply_stop_at_their_limits() {
        let mut b = bounded();
        assert_eq!(b.check(b"-ERR "), None);
        let chunk = vec![b'x'; 8192];
        let mut read = 5;
        let breach = loop {
            read += chunk.len();
            if let Some(breach) = b.check(&chunk) {
                break breach;
            }
        };
        assert_eq!(breach, Breach::LongLine);
        assert!(read <= MAX_LINE + chunk.len() + 5, "{read}");

        let mut b = bounded();
        let lines = [b"$99999999\r\n".as_slice(), &[&[b'y'; 1000][..], b"\n"].concat().repeat(2000)].concat();
        assert_eq!(b.check(&lines), Some(Breach::LargeReply));
    }

    #[test]
    fn property_no_stream_is_read_past_the_limits() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for _ in 0..200 {
            let mut b = bounded();
            let newline_odds = [2, 50, 1000, u64::MAX][rng.below(4) as usize];
            let (mut line, mut total, mut first) = (0usize, 0usize, true);
            loop {
                let chunk: Vec<u8> = (0..rng.below(16 * 1024) + 1)
                    .map(|_| {
                        if rng.below(newline_odds) == 0 {
                            b'\n'
                        } else {
                            rng.below(256) as u8
                        }
                    })
                    .collect();
                let verdict = b.check(&chunk);
                if first && !b"+-:$*_,#!=(%~>|".contains(&chunk[0]) {
                    assert!(matches!(verdict, Some(Breach::NotResp(_))), "{verdict:?}");
                    break;
                }
                first = false;
                for &c in &chunk {
                    line = if c == b'\n' { 0 } else { line + 1 };
                    assert!(verdict.is_some() || line <= MAX_LINE);
                }
                total += chunk.len();
                if let Some(v) = verdict {
                    assert!(matches!(v, Breach::LongLine | Breach::LargeReply), "{v:?}");
                    break;
                }
                assert!(total <= MAX_REPLY, "{total} bytes read without a breach");
            }
        }
    }
}
