//! One proxied connection after the handshake: frames both ways with backpressure, and
//! the ways it ends (either side closing, upstream failure → 1011, token expiry → 1008,
//! shutdown → 1001). Nothing outlives the connection: both streams are dropped on return.

use super::metrics::Metrics;
use futures_util::{SinkExt, StreamExt};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig, frame::coding::CloseCode};

/// How long to wait for the other side's close frame after sending ours.
pub const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// Small buffers: tungstenite's 128 KiB defaults are too large for many idle connections.
pub fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_write_buffer_size(1024 * 1024 + 64 * 1024)
        .max_message_size(Some(1024 * 1024))
        .max_frame_size(Some(1024 * 1024))
}

/// Why a relay ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    ClientClosed,
    UpstreamClosed,
    UpstreamFailed,
    TokenExpired,
    Shutdown,
}

fn frame(code: CloseCode, reason: &str) -> Option<CloseFrame> {
    Some(CloseFrame {
        code,
        reason: reason.to_string().into(),
    })
}

/// Sends a close frame and waits (bounded) for the peer's answer.
async fn close<S: AsyncRead + AsyncWrite + Unpin>(ws: &mut WebSocketStream<S>, f: Option<CloseFrame>) {
    if ws.close(f).await.is_ok() {
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, async { while let Some(Ok(_)) = ws.next().await {} }).await;
    }
}

/// Relays until one side ends, the token expires at `expires`, or `shutdown` fires.
pub async fn relay<C, U>(
    mut client: WebSocketStream<C>,
    mut upstream: WebSocketStream<U>,
    expires: tokio::time::Instant,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
    metrics: &Metrics,
) -> End
where
    C: AsyncRead + AsyncWrite + Unpin,
    U: AsyncRead + AsyncWrite + Unpin,
{
    let up = metrics.messages.get_or_create(&vec![("direction", "client_to_upstream")]).clone();
    let down = metrics.messages.get_or_create(&vec![("direction", "upstream_to_client")]).clone();
    let expiry = tokio::time::sleep_until(expires);
    tokio::pin!(expiry);
    loop {
        tokio::select! {
            m = client.next() => match m {
                Some(Ok(msg @ (Message::Text(_) | Message::Binary(_)))) => {
                    let t = Instant::now();
                    if upstream.send(msg).await.is_err() {
                        metrics.upstream_failures.inc();
                        close(&mut client, frame(CloseCode::Error, "upstream failed")).await;
                        return End::UpstreamFailed;
                    }
                    metrics.message_latency.observe(t.elapsed().as_secs_f64());
                    up.inc();
                }
                Some(Ok(Message::Close(f))) => {
                    close(&mut upstream, f).await;
                    return End::ClientClosed;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    close(&mut upstream, frame(CloseCode::Away, "client went away")).await;
                    return End::ClientClosed;
                }
            },
            m = upstream.next() => match m {
                Some(Ok(msg @ (Message::Text(_) | Message::Binary(_)))) => {
                    let t = Instant::now();
                    if client.send(msg).await.is_err() {
                        close(&mut upstream, frame(CloseCode::Away, "client went away")).await;
                        return End::ClientClosed;
                    }
                    metrics.message_latency.observe(t.elapsed().as_secs_f64());
                    down.inc();
                }
                Some(Ok(Message::Close(f))) => {
                    close(&mut client, f).await;
                    return End::UpstreamClosed;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    metrics.upstream_failures.inc();
                    close(&mut client, frame(CloseCode::Error, "upstream failed")).await;
                    return End::UpstreamFailed;
                }
            },
            _ = &mut expiry => {
                close(&mut client, frame(CloseCode::Policy, "token expired")).await;
                close(&mut upstream, frame(CloseCode::Normal, "client token expired")).await;
                return End::TokenExpired;
            }
            _ = super::stopped(&mut shutdown) => {
                close(&mut client, frame(CloseCode::Away, "proxy shutting down")).await;
                close(&mut upstream, frame(CloseCode::Away, "proxy shutting down")).await;
                return End::Shutdown;
            }
        }
    }
}
