//! One proxied connection after the handshake. Bytes are copied as they arrive, the way a
//! plain reverse proxy copies them, but the relay follows frame boundaries in both
//! directions (`frame::Frames`), so that it can:
//! - refuse what a WebSocket peer must refuse (unmasked client frames, reserved bits and
//!   opcodes, oversized control frames, messages over the size limit) with the right close code;
//! - put its own control frames between two frames: pings to find clients that vanished,
//!   and close frames when the token expires (1008), the upstream fails (1011), the client
//!   goes away (1001 upstream) or the proxy shuts down (1001 both ways).
//!
//! A message is never decoded, unmasked, re-masked or re-encoded: a read of `BUF` bytes is
//! written out as it is, from a buffer on the stack. Only bytes the destination cannot take
//! yet are copied to the heap, so an idle connection holds no buffer at all, and a slow
//! reader stops the relay from reading its source (backpressure) instead of queueing.
//! Nothing outlives the connection: both streams are dropped on return.

use super::frame::{Close, Frames, PING_PAYLOAD, close, close_frame, control_frame};
use super::metrics::{Metrics, RelayCounts};
use super::wake::{self, Wakers};
use std::future::{Future, poll_fn};
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The largest read; also the stack buffer each poll reads into.
pub const BUF: usize = 16 * 1024;

/// Keepalive, close and size limits of a relayed connection (defaults in `proxy::defaults`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Ping a client silent this long; `None`: never.
    pub ping_interval: Option<Duration>,
    /// A pinged client that sends nothing for this long is gone (1011).
    pub ping_timeout: Duration,
    /// How long to wait for the other side's close frame after a close.
    pub close_timeout: Duration,
    /// Largest message (all fragments together), either way (1009 beyond).
    pub max_message: u64,
}

/// Why a relay ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    ClientClosed,
    ClientVanished,
    ClientViolation(u16),
    UpstreamClosed,
    UpstreamFailed,
    UpstreamViolation(u16),
    PingTimeout,
    TokenExpired,
    TokenRevoked,
    Shutdown,
}

/// What is being done with the frames read from a source.
#[derive(Debug, PartialEq, Eq)]
enum Mode {
    Forward,
    /// Forward up to the next frame boundary, then send this frame and stop.
    ThenSend(Vec<u8>),
    /// Read and drop (after a close frame was sent the other way), noting a close frame.
    Discard,
}

/// What happened to one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ev {
    /// The source ended (`clean`: its close frame had passed).
    Eof {
        clean: bool,
    },
    /// Reading the source failed.
    ReadFailed,
    /// Writing the destination failed.
    WriteFailed,
    Violation {
        code: u16,
        clean_cut: bool,
    },
}

/// One direction: source → destination.
struct Dir<'m> {
    frames: Frames,
    mode: Mode,
    /// Bytes read but not yet written (empty, with no allocation, most of the time).
    pending: Vec<u8>,
    sent: usize,
    /// Written since the last flush.
    dirty: bool,
    /// The source ended or failed: no more reads.
    ended: bool,
    /// The destination failed: no more writes.
    broken: bool,
    /// A close frame came from the source.
    close_seen: bool,
    /// When the source last sent anything.
    last_read: Instant,
    /// Client to upstream.
    up: bool,
    /// This thread's counts.
    counts: &'m RelayCounts,
}

impl<'m> Dir<'m> {
    fn new(up: bool, limits: &Limits, deflate: bool, counts: &'m RelayCounts) -> Dir<'m> {
        Dir {
            // Client frames are masked, server frames are not.
            frames: Frames::new(up, limits.max_message, deflate),
            mode: Mode::Forward,
            pending: Vec::new(),
            sent: 0,
            dirty: false,
            ended: false,
            broken: false,
            close_seen: false,
            last_read: Instant::now(),
            up,
            counts,
        }
    }

    /// Sends `frame` to the destination at the next frame boundary, then stops forwarding.
    fn send_then_stop(&mut self, frame: Vec<u8>) {
        // A gone destination, or a source that ended mid-frame: no close frame can be sent.
        if self.broken || self.mode != Mode::Forward || (self.ended && !self.frames.at_boundary()) {
            self.mode = Mode::Discard;
            return;
        }
        if self.frames.at_boundary() {
            self.pending.extend_from_slice(&frame);
            self.mode = Mode::Discard;
        } else {
            self.mode = Mode::ThenSend(frame);
        }
    }

    /// Puts a control frame between two frames if it can now; `false` if mid-frame.
    fn interject(&mut self, frame: &[u8]) -> bool {
        if self.broken || self.mode != Mode::Forward || !self.frames.at_boundary() {
            return false;
        }
        self.pending.extend_from_slice(frame);
        true
    }

    /// Nothing left to write.
    fn flushed(&self) -> bool {
        self.broken || (self.sent >= self.pending.len() && !self.dirty)
    }

    /// Writes what is pending; `Ready(Err)` when the destination failed.
    fn poll_write_pending<D: AsyncWrite + Unpin>(&mut self, cx: &mut Context<'_>, dst: &mut D) -> Poll<Result<(), ()>> {
        while self.sent < self.pending.len() {
            match Pin::new(&mut *dst).poll_write(cx, &self.pending[self.sent..]) {
                Poll::Ready(Ok(n)) if n > 0 => {
                    self.sent += n;
                    self.dirty = true;
                }
                Poll::Ready(_) => return Poll::Ready(Err(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        if !self.pending.is_empty() {
            self.sent = 0;
            if self.pending.capacity() > 2 * BUF {
                self.pending = Vec::new();
            } else {
                self.pending.clear();
            }
        }
        if self.dirty {
            match Pin::new(&mut *dst).poll_flush(cx) {
                Poll::Ready(Ok(())) => self.dirty = false,
                Poll::Ready(Err(_)) => return Poll::Ready(Err(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }

    /// Moves bytes from `src` to `dst` until one of them has to wait or something happens.
    fn poll<S, D>(&mut self, cx: &mut Context<'_>, src: &mut S, dst: &mut D, stack: &mut [MaybeUninit<u8>]) -> Poll<Ev>
    where
        S: AsyncRead + Unpin,
        D: AsyncWrite + Unpin,
    {
        // A bounded number of reads per poll, so one busy direction cannot starve the other.
        for _ in 0..16 {
            if !self.broken {
                match self.poll_write_pending(cx, dst) {
                    Poll::Ready(Ok(())) => {}
                    Poll::Ready(Err(())) => {
                        self.broken = true;
                        return Poll::Ready(Ev::WriteFailed);
                    }
                    Poll::Pending => return Poll::Pending,
                }
            }
            if self.ended {
                return Poll::Pending;
            }
            // Uninitialised: zeroing 16 KiB on every wake-up would cost more than the copy.
            let mut rb = ReadBuf::uninit(&mut *stack);
            match Pin::new(&mut *src).poll_read(cx, &mut rb) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(_)) => {
                    self.ended = true;
                    return Poll::Ready(Ev::ReadFailed);
                }
                Poll::Ready(Ok(())) => {}
            }
            let stack = rb.filled();
            let n = stack.len();
            if n == 0 {
                self.ended = true;
                return Poll::Ready(Ev::Eof { clean: self.close_seen });
            }
            let read_at = Instant::now();
            self.last_read = read_at;
            let fed = match self.frames.feed(&stack[..n]) {
                Ok(f) => f,
                Err(v) => {
                    let cut = match (&self.mode, v.frame_start) {
                        (Mode::Forward, Some(at)) => at,
                        _ => 0,
                    };
                    if !self.broken && self.mode == Mode::Forward {
                        self.pending.extend_from_slice(&stack[..cut]);
                    }
                    if v.frame_start.is_some() {
                        // What was delivered ends on a boundary: a close frame can follow.
                        self.frames.restart();
                    }
                    self.ended = true;
                    return Poll::Ready(Ev::Violation {
                        code: v.code,
                        clean_cut: v.frame_start.is_some(),
                    });
                }
            };
            self.close_seen |= fed.close;
            let out = match std::mem::replace(&mut self.mode, Mode::Discard) {
                Mode::Forward => {
                    self.mode = Mode::Forward;
                    n
                }
                Mode::ThenSend(frame) => match fed.first_boundary {
                    Some(b) => {
                        // Stop at the boundary: what follows it is dropped.
                        self.pending.extend_from_slice(&stack[..b]);
                        self.pending.extend_from_slice(&frame);
                        0
                    }
                    None => {
                        self.mode = Mode::ThenSend(frame);
                        n
                    }
                },
                Mode::Discard => 0,
            };
            if self.broken || out == 0 {
                continue;
            }
            if fed.messages > 0 {
                self.counts.messages(self.up, fed.messages);
            }
            if !self.pending.is_empty() {
                self.pending.extend_from_slice(&stack[..out]);
                continue;
            }
            // Straight from the stack; only what the destination cannot take now is kept.
            let mut off = 0;
            while off < out {
                match Pin::new(&mut *dst).poll_write(cx, &stack[off..out]) {
                    Poll::Ready(Ok(k)) if k > 0 => {
                        off += k;
                        self.dirty = true;
                    }
                    Poll::Ready(_) => {
                        self.broken = true;
                        return Poll::Ready(Ev::WriteFailed);
                    }
                    Poll::Pending => break,
                }
            }
            if off < out {
                self.pending.extend_from_slice(&stack[off..out]);
            } else if fed.messages > 0 {
                self.counts.latency(read_at.elapsed());
            }
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Which way an event came.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// From the client (client → upstream direction).
    Up(Ev),
    /// From the upstream (upstream → client direction).
    Down(Ev),
    Expired,
    Revoked,
    Shutdown,
    PingTimeout,
}

/// Relays until one side ends, the token expires at `expires` or is revoked (`revoked`
/// completes), a pinged client stays silent, or `shutdown` fires. `client_early` and `upstream_early` are bytes each side
/// sent before the relay began (read along with the handshake); `deflate`: permessage-deflate
/// was negotiated (compressed messages pass as they are, RSV1 set).
#[allow(clippy::too_many_arguments)]
pub async fn relay<C, U>(
    mut client: C,
    client_early: &[u8],
    mut upstream: U,
    upstream_early: &[u8],
    limits: &Limits,
    deflate: bool,
    expires: tokio::time::Instant,
    revoked: impl Future<Output = ()>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
    metrics: &Metrics,
) -> End
where
    C: AsyncRead + AsyncWrite + Unpin,
    U: AsyncRead + AsyncWrite + Unpin,
{
    tokio::pin!(revoked);
    let counts = metrics.relayed.mine();
    let mut up = Dir::new(true, limits, deflate, &counts);
    let mut down = Dir::new(false, limits, deflate, &counts);
    for (dir, early) in [(&mut up, client_early), (&mut down, upstream_early)] {
        if early.is_empty() {
            continue;
        }
        match dir.frames.feed(early) {
            Ok(fed) => {
                dir.close_seen |= fed.close;
                dir.counts.messages(dir.up, fed.messages);
                dir.pending.extend_from_slice(early);
            }
            Err(v) => {
                dir.pending.extend_from_slice(&early[..v.frame_start.unwrap_or(0)]);
                dir.ended = true;
            }
        }
    }

    let stop = stopped(&mut shutdown);
    tokio::pin!(stop);
    // One timer for the token's expiry and the keepalive, whichever is due first. Reads only
    // note the time (`last_read`); the keepalive deadline moves when the timer fires: when
    // the client has been silent for the interval, it is pinged; after a ping, the timeout.
    let interval = limits.ping_interval;
    let mut ping_due: Option<Instant> = interval.map(|every| Instant::now() + every);
    let due = |ping_due: Option<Instant>| match ping_due {
        Some(p) => expires.min(p.into()),
        None => expires,
    };
    let timer = tokio::time::sleep_until(due(ping_due));
    tokio::pin!(timer);
    let mut pinged: Option<Instant> = None;
    let ping = control_frame(9, PING_PAYLOAD, false);

    // Each part has a waker of its own (`wake`): a wake-up polls only what was woken.
    let mut wakers: Option<Wakers> = None;
    let event = poll_fn(|cx| {
        let w = wakers.get_or_insert_with(|| Wakers::new(cx.waker()));
        let mut woken = w.take(cx.waker());
        let mut stack = [MaybeUninit::<u8>::uninit(); BUF];
        loop {
            let mut rare = Context::from_waker(w.of(wake::RARE));
            if woken & wake::RARE != 0 && timer.as_mut().poll(&mut rare).is_ready() {
                if tokio::time::Instant::now() >= expires {
                    return Poll::Ready(Event::Expired);
                }
                if let Some(every) = interval {
                    let now = Instant::now();
                    ping_due = Some(match pinged {
                        Some(at) if up.last_read <= at => return Poll::Ready(Event::PingTimeout),
                        _ if now.duration_since(up.last_read) >= every => {
                            if down.interject(&ping) {
                                // The ping is written when the direction is polled.
                                woken |= wake::DOWN;
                                pinged = Some(now);
                                now + limits.ping_timeout
                            } else {
                                // Mid-frame: the upstream is talking; try again shortly.
                                now + Duration::from_millis(100)
                            }
                        }
                        _ => {
                            pinged = None;
                            up.last_read + every
                        }
                    });
                }
                timer.as_mut().reset(due(ping_due));
                continue;
            }
            if woken & wake::RARE != 0 {
                if revoked.as_mut().poll(&mut rare).is_ready() {
                    return Poll::Ready(Event::Revoked);
                }
                if stop.as_mut().poll(&mut rare).is_ready() {
                    return Poll::Ready(Event::Shutdown);
                }
            }
            if woken & wake::UP != 0 {
                let mut cx = Context::from_waker(w.of(wake::UP));
                if let Poll::Ready(e) = up.poll(&mut cx, &mut client, &mut upstream, &mut stack) {
                    return Poll::Ready(Event::Up(e));
                }
            }
            if woken & wake::DOWN != 0 {
                let mut cx = Context::from_waker(w.of(wake::DOWN));
                if let Poll::Ready(e) = down.poll(&mut cx, &mut upstream, &mut client, &mut stack) {
                    return Poll::Ready(Event::Down(e));
                }
            }
            return Poll::Pending;
        }
    })
    .await;

    let (end, to_client, to_upstream) = closes(event);
    if matches!(end, End::UpstreamFailed | End::UpstreamViolation(_)) {
        metrics.upstream_failures.inc();
    }
    // A side that closed cleanly may still get the other side's answering close frame:
    // keep relaying that way until it comes (or the close timeout).
    let relay_reply = (
        end == End::ClientClosed && !down.close_seen,
        end == End::UpstreamClosed && !up.close_seen,
    );
    match to_client {
        Some(c) => down.send_then_stop(close_frame(c.code, c.reason, false)),
        None if relay_reply.0 => {}
        None => down.mode = Mode::Discard,
    }
    match to_upstream {
        Some(c) => up.send_then_stop(close_frame(c.code, c.reason, true)),
        None if relay_reply.1 => {}
        None => up.mode = Mode::Discard,
    }
    if end == End::ClientVanished {
        down.broken = true;
    }
    if matches!(end, End::UpstreamFailed) {
        up.broken = true;
    }

    // Closing: deliver what is pending and the close frames, then wait (bounded) for each
    // side that was sent a close frame to answer with its own, or to hang up.
    let sent_close = (to_client.is_some(), to_upstream.is_some());
    let (seen_up, seen_down) = (up.close_seen, down.close_seen);
    let _ = tokio::time::timeout(
        limits.close_timeout,
        poll_fn(|cx| {
            let mut stack = [MaybeUninit::<u8>::uninit(); BUF];
            let _ = up.poll(cx, &mut client, &mut upstream, &mut stack);
            let _ = down.poll(cx, &mut upstream, &mut client, &mut stack);
            let client_done = !sent_close.0 || down.broken || up.ended || (up.close_seen && !seen_up);
            let upstream_done = !sent_close.1 || up.broken || down.ended || (down.close_seen && !seen_down);
            let replies_done = (!relay_reply.0 || down.close_seen || down.ended || down.broken)
                && (!relay_reply.1 || up.close_seen || up.ended || up.broken);
            if up.flushed() && down.flushed() && client_done && upstream_done && replies_done {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }),
    )
    .await;
    let _ = tokio::time::timeout(Duration::from_millis(100), async {
        let _ = tokio::io::AsyncWriteExt::shutdown(&mut client).await;
        let _ = tokio::io::AsyncWriteExt::shutdown(&mut upstream).await;
    })
    .await;
    end
}

/// How a relay ends after `event`, and the close frames the proxy sends the client and the
/// upstream (`None`: that side is gone, or closed the connection itself).
fn closes(event: Event) -> (End, Option<Close>, Option<Close>) {
    match event {
        Event::Up(Ev::Eof { clean: true }) => (End::ClientClosed, None, None),
        Event::Up(Ev::Eof { clean: false } | Ev::ReadFailed) | Event::Down(Ev::WriteFailed) => {
            (End::ClientVanished, None, Some(close::CLIENT_AWAY))
        }
        Event::Up(Ev::Violation { code, clean_cut }) => (
            End::ClientViolation(code),
            Some(close::violation(code)),
            clean_cut.then_some(close::CLIENT_AWAY),
        ),
        Event::Down(Ev::Eof { clean: true }) => (End::UpstreamClosed, None, None),
        Event::Down(Ev::Eof { clean: false } | Ev::ReadFailed) | Event::Up(Ev::WriteFailed) => {
            (End::UpstreamFailed, Some(close::UPSTREAM_FAILED), None)
        }
        Event::Down(Ev::Violation { code, clean_cut }) => (
            End::UpstreamViolation(code),
            clean_cut.then_some(close::UPSTREAM_PROTOCOL),
            Some(close::violation(code)),
        ),
        Event::Expired => (End::TokenExpired, Some(close::TOKEN_EXPIRED), Some(close::CLIENT_TOKEN_EXPIRED)),
        Event::Revoked => (End::TokenRevoked, Some(close::TOKEN_REVOKED), Some(close::CLIENT_TOKEN_REVOKED)),
        Event::Shutdown => (End::Shutdown, Some(close::SHUTDOWN), Some(close::SHUTDOWN)),
        Event::PingTimeout => (End::PingTimeout, Some(close::PING_TIMEOUT), Some(close::CLIENT_AWAY)),
    }
}

/// Completes once shutdown has begun.
pub async fn stopped(rx: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_close_the_proxy_sends_says_what_its_code_means() {
        let v = |code, clean_cut| Ev::Violation { code, clean_cut };
        let c = |c: Close| Some((c.code, c.reason));
        type Sent = Option<(u16, &'static str)>;
        #[rustfmt::skip]
        let table: Vec<(Event, End, Sent, Sent)> = vec![
            (Event::Up(Ev::Eof { clean: true }), End::ClientClosed, None, None),
            (Event::Up(Ev::Eof { clean: false }), End::ClientVanished, None, Some((1001, "client went away"))),
            (Event::Up(Ev::ReadFailed), End::ClientVanished, None, Some((1001, "client went away"))),
            (Event::Down(Ev::WriteFailed), End::ClientVanished, None, Some((1001, "client went away"))),
            (Event::Up(v(1002, true)), End::ClientViolation(1002), Some((1002, "protocol error")), Some((1001, "client went away"))),
            (Event::Up(v(1009, true)), End::ClientViolation(1009), Some((1009, "message too big")), Some((1001, "client went away"))),
            (Event::Up(v(1009, false)), End::ClientViolation(1009), Some((1009, "message too big")), None),
            (Event::Down(Ev::Eof { clean: true }), End::UpstreamClosed, None, None),
            (Event::Down(Ev::Eof { clean: false }), End::UpstreamFailed, Some((1011, "upstream failed")), None),
            (Event::Down(Ev::ReadFailed), End::UpstreamFailed, Some((1011, "upstream failed")), None),
            (Event::Up(Ev::WriteFailed), End::UpstreamFailed, Some((1011, "upstream failed")), None),
            (Event::Down(v(1002, true)), End::UpstreamViolation(1002), Some((1011, "upstream broke the protocol")), Some((1002, "protocol error"))),
            (Event::Down(v(1009, false)), End::UpstreamViolation(1009), None, Some((1009, "message too big"))),
            (Event::Expired, End::TokenExpired, Some((1008, "token expired")), Some((1000, "client token expired"))),
            (Event::Revoked, End::TokenRevoked, Some((1008, "token revoked")), Some((1000, "client token revoked"))),
            (Event::Shutdown, End::Shutdown, Some((1001, "proxy shutting down")), Some((1001, "proxy shutting down"))),
            (Event::PingTimeout, End::PingTimeout, Some((1011, "keepalive ping timeout")), Some((1001, "client went away"))),
        ];
        for (event, end, to_client, to_upstream) in table {
            let (e, cl, up) = closes(event);
            assert_eq!((e, cl.and_then(c), up.and_then(c)), (end, to_client, to_upstream), "{event:?}");
        }
    }
}
