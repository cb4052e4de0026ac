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
//! written out as it is, from the thread's read buffer. Only bytes the destination cannot
//! take yet are copied to the heap, so an idle connection holds no buffer at all, and a slow
//! reader stops the relay from reading its source (backpressure) instead of queueing.
//!
//! `Dir` is one direction's logic over any `Io` (a tokio stream here, a socket with its
//! readiness in `evloop`); `relay` drives it with tokio, `evloop` with its own epoll loop.
//! Nothing outlives the connection: both streams are dropped on return.

use super::frame::{Close, Frames, PING_PAYLOAD, close, close_frame, control_frame};
use super::metrics::{Metrics, RelayCounts};
use super::wake::{self, Wakers};
use std::cell::RefCell;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The largest read; also the size of the buffer each thread reads into.
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

impl End {
    /// The upstream broke the connection (counted in `upstream_failures`).
    pub fn upstream_failed(self) -> bool {
        matches!(self, End::UpstreamFailed | End::UpstreamViolation(_))
    }
}

/// One socket as a direction uses it: `Pending` means wait until it is ready again (the
/// caller knows how: a tokio waker, or the event loop's readiness flags).
pub trait Io {
    /// Reads into `buf`; `Ok(0)`: the peer ended.
    fn read(&mut self, buf: &mut [u8]) -> Poll<std::io::Result<usize>>;
    fn write(&mut self, buf: &[u8]) -> Poll<std::io::Result<usize>>;
    fn flush(&mut self) -> Poll<std::io::Result<()>>;
}

/// A tokio stream seen as `Io`, woken through `cx`.
struct Tok<'a, 'w, T> {
    io: &'a mut T,
    cx: Context<'w>,
}

impl<'a, 'w, T> Tok<'a, 'w, T> {
    fn new(io: &'a mut T, waker: &'w Waker) -> Self {
        Tok {
            io,
            cx: Context::from_waker(waker),
        }
    }
}

impl<T: AsyncRead + AsyncWrite + Unpin> Io for Tok<'_, '_, T> {
    fn read(&mut self, buf: &mut [u8]) -> Poll<std::io::Result<usize>> {
        let mut rb = ReadBuf::new(buf);
        match Pin::new(&mut *self.io).poll_read(&mut self.cx, &mut rb) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(rb.filled().len())),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
    fn write(&mut self, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.io).poll_write(&mut self.cx, buf)
    }
    fn flush(&mut self) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.io).poll_flush(&mut self.cx)
    }
}

thread_local! {
    /// The buffer reads go into, one per thread, zeroed once.
    static READ_BUF: RefCell<Box<[u8]>> = RefCell::new(vec![0; BUF].into_boxed_slice());
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
pub enum Ev {
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

/// How far one poll of a direction got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The source or the destination has to wait for readiness.
    Wait,
    /// It read its share for now and can go on: poll it again soon.
    More,
    Ev(Ev),
}

/// One direction: source → destination.
pub struct Dir {
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
}

impl Dir {
    pub fn new(up: bool, limits: &Limits, deflate: bool, now: Instant) -> Dir {
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
            last_read: now,
            up,
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
    fn write_pending<D: Io>(&mut self, dst: &mut D) -> Poll<Result<(), ()>> {
        while self.sent < self.pending.len() {
            match dst.write(&self.pending[self.sent..]) {
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
            match dst.flush() {
                Poll::Ready(Ok(())) => self.dirty = false,
                Poll::Ready(Err(_)) => return Poll::Ready(Err(())),
                Poll::Pending => return Poll::Pending,
            }
        }
        Poll::Ready(Ok(()))
    }

    /// Moves bytes from `src` to `dst` through `buf` until one of them has to wait, it has
    /// read its share, or something happens. `now`: the caller's clock reading for this
    /// wake-up (the event loop reads it once per wake-up); `None`: read it per read.
    pub fn poll<S: Io, D: Io>(&mut self, src: &mut S, dst: &mut D, buf: &mut [u8], counts: &RelayCounts, now: Option<Instant>) -> Step {
        // A bounded number of reads per poll, so one busy direction cannot starve the other.
        for _ in 0..16 {
            if !self.broken {
                match self.write_pending(dst) {
                    Poll::Ready(Ok(())) => {}
                    Poll::Ready(Err(())) => {
                        self.broken = true;
                        return Step::Ev(Ev::WriteFailed);
                    }
                    Poll::Pending => return Step::Wait,
                }
            }
            if self.ended {
                return Step::Wait;
            }
            let n = match src.read(buf) {
                Poll::Pending => return Step::Wait,
                Poll::Ready(Err(_)) => {
                    self.ended = true;
                    return Step::Ev(Ev::ReadFailed);
                }
                Poll::Ready(Ok(n)) => n,
            };
            if n == 0 {
                self.ended = true;
                return Step::Ev(Ev::Eof { clean: self.close_seen });
            }
            let stack = &buf[..n];
            let read_at = now.unwrap_or_else(Instant::now);
            self.last_read = read_at;
            let fed = match self.frames.feed(stack) {
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
                    return Step::Ev(Ev::Violation {
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
                counts.messages(self.up, fed.messages);
            }
            // `write_pending` above emptied it, and only a stop at a boundary (out == 0) refills it.
            debug_assert!(self.pending.is_empty(), "bytes would pass what is pending");
            // Straight from the read buffer; only what the destination cannot take now is kept.
            let mut off = 0;
            while off < out {
                match dst.write(&stack[off..out]) {
                    Poll::Ready(Ok(k)) if k > 0 => {
                        off += k;
                        self.dirty = true;
                    }
                    Poll::Ready(_) => {
                        self.broken = true;
                        return Step::Ev(Ev::WriteFailed);
                    }
                    Poll::Pending => break,
                }
            }
            if off < out {
                self.pending.extend_from_slice(&stack[off..out]);
            } else if fed.messages > 0 {
                counts.latency(read_at.elapsed());
            }
        }
        Step::More
    }

    /// The tokio form of `poll`: `Pending` once it has to wait (wakers registered through
    /// `waker`) or has read its share (then woken again at once).
    fn poll_tokio<S, D>(&mut self, waker: &Waker, src: &mut S, dst: &mut D, counts: &RelayCounts) -> Poll<Ev>
    where
        S: AsyncRead + AsyncWrite + Unpin,
        D: AsyncRead + AsyncWrite + Unpin,
    {
        let step = READ_BUF.with(|b| {
            let mut buf = b.borrow_mut();
            self.poll(&mut Tok::new(src, waker), &mut Tok::new(dst, waker), &mut buf, counts, None)
        });
        match step {
            Step::Ev(e) => Poll::Ready(e),
            Step::Wait => Poll::Pending,
            Step::More => {
                waker.wake_by_ref();
                Poll::Pending
            }
        }
    }

    /// The source has ended or failed.
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// When the source last sent anything.
    pub fn last_read(&self) -> Instant {
        self.last_read
    }
}

/// The keepalive: when the client has been silent for the interval, it is pinged; after a
/// ping, it has the timeout to send anything. Reads only note the time (`Dir::last_read`);
/// the deadline moves when it is due.
pub struct Keepalive {
    /// When to look next; `None`: no keepalive.
    pub due: Option<Instant>,
    pinged: Option<Instant>,
}

impl Keepalive {
    pub fn new(limits: &Limits, now: Instant) -> Keepalive {
        Keepalive {
            due: limits.ping_interval.map(|every| now + every),
            pinged: None,
        }
    }

    /// It is `now` and the keepalive is due: pings the client through `down`, or finds that
    /// a pinged client stayed silent.
    pub fn fire(&mut self, now: Instant, up: &Dir, down: &mut Dir, limits: &Limits, ping: &[u8]) -> Fired {
        let Some(every) = limits.ping_interval else {
            return Fired::Nothing;
        };
        let mut pinging = Fired::Nothing;
        self.due = Some(match self.pinged {
            Some(at) if up.last_read <= at => return Fired::Silent,
            _ if now.duration_since(up.last_read) >= every => {
                if down.interject(ping) {
                    pinging = Fired::Pinged;
                    self.pinged = Some(now);
                    now + limits.ping_timeout
                } else {
                    // Mid-frame: the upstream is talking; try again shortly.
                    now + Duration::from_millis(100)
                }
            }
            _ => {
                self.pinged = None;
                up.last_read + every
            }
        });
        pinging
    }
}

/// What a due keepalive did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fired {
    /// Nothing to send yet.
    Nothing,
    /// A ping is pending in the upstream → client direction.
    Pinged,
    /// The client stayed silent after a ping.
    Silent,
}

/// The keepalive ping the proxy sends clients.
pub fn ping_frame() -> Vec<u8> {
    control_frame(9, PING_PAYLOAD, false)
}

/// What is left to do once a relay has ended: deliver what is pending and the close
/// frames, then wait (bounded) for each side that was sent a close frame to answer with its
/// own, or to hang up.
#[derive(Debug, Clone, Copy)]
pub struct Closing {
    pub end: End,
    sent_close: (bool, bool),
    seen: (bool, bool),
    relay_reply: (bool, bool),
}

impl Closing {
    /// Ends the relay after `event`: queues the close frames each side is owed.
    pub fn begin(event: Event, up: &mut Dir, down: &mut Dir) -> Closing {
        let (end, to_client, to_upstream) = closes(event);
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
        Closing {
            end,
            sent_close: (to_client.is_some(), to_upstream.is_some()),
            seen: (up.close_seen, down.close_seen),
            relay_reply,
        }
    }

    /// Everything is delivered and each side answered (or cannot).
    pub fn done(&self, up: &Dir, down: &Dir) -> bool {
        let client_done = !self.sent_close.0 || down.broken || up.ended || (up.close_seen && !self.seen.0);
        let upstream_done = !self.sent_close.1 || up.broken || down.ended || (down.close_seen && !self.seen.1);
        let replies_done = (!self.relay_reply.0 || down.close_seen || down.ended || down.broken)
            && (!self.relay_reply.1 || up.close_seen || up.ended || up.broken);
        up.flushed() && down.flushed() && client_done && upstream_done && replies_done
    }
}

/// Feeds the bytes each side sent before the relay began (read along with the handshake)
/// to its direction, to be written first.
pub fn early(up: &mut Dir, client_early: &[u8], down: &mut Dir, upstream_early: &[u8], counts: &RelayCounts) {
    for (dir, early) in [(up, client_early), (down, upstream_early)] {
        if early.is_empty() {
            continue;
        }
        match dir.frames.feed(early) {
            Ok(fed) => {
                dir.close_seen |= fed.close;
                counts.messages(dir.up, fed.messages);
                dir.pending.extend_from_slice(early);
            }
            Err(v) => {
                dir.pending.extend_from_slice(&early[..v.frame_start.unwrap_or(0)]);
                dir.ended = true;
            }
        }
    }
}

/// Which way an event came.
#[derive(Debug, Clone, Copy)]
pub enum Event {
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
/// completes), a pinged client stays silent, or `shutdown` fires. `client_early` and
/// `upstream_early` are bytes each side sent before the relay began (read along with the
/// handshake); `deflate`: permessage-deflate was negotiated (compressed messages pass as
/// they are, RSV1 set). This is the relay of streams tokio drives (a TLS upstream); plain
/// TCP connections go to the serving thread's event loop (`evloop`), which shares the
/// per-direction logic (`Dir`, `Keepalive`, `Closing`).
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
    let now = Instant::now();
    let mut up = Dir::new(true, limits, deflate, now);
    let mut down = Dir::new(false, limits, deflate, now);
    early(&mut up, client_early, &mut down, upstream_early, &counts);

    let stop = stopped(&mut shutdown);
    tokio::pin!(stop);
    // One timer for the token's expiry and the keepalive, whichever is due first.
    let mut keepalive = Keepalive::new(limits, now);
    let due = |k: &Keepalive| match k.due {
        Some(p) => expires.min(p.into()),
        None => expires,
    };
    let timer = tokio::time::sleep_until(due(&keepalive));
    tokio::pin!(timer);
    let ping = ping_frame();

    // Each part has a waker of its own (`wake`): a wake-up polls only what was woken.
    let mut wakers: Option<Wakers> = None;
    let event = poll_fn(|cx| {
        let w = wakers.get_or_insert_with(|| Wakers::new(cx.waker()));
        let mut woken = w.take(cx.waker());
        loop {
            let mut rare = Context::from_waker(w.of(wake::RARE));
            if woken & wake::RARE != 0 && timer.as_mut().poll(&mut rare).is_ready() {
                if tokio::time::Instant::now() >= expires {
                    return Poll::Ready(Event::Expired);
                }
                match keepalive.fire(Instant::now(), &up, &mut down, limits, &ping) {
                    // The ping is written when the direction is polled.
                    Fired::Pinged => woken |= wake::DOWN,
                    Fired::Nothing => {}
                    Fired::Silent => return Poll::Ready(Event::PingTimeout),
                }
                timer.as_mut().reset(due(&keepalive));
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
            if woken & wake::UP != 0
                && let Poll::Ready(e) = up.poll_tokio(w.of(wake::UP), &mut client, &mut upstream, &counts)
            {
                return Poll::Ready(Event::Up(e));
            }
            if woken & wake::DOWN != 0
                && let Poll::Ready(e) = down.poll_tokio(w.of(wake::DOWN), &mut upstream, &mut client, &counts)
            {
                return Poll::Ready(Event::Down(e));
            }
            return Poll::Pending;
        }
    })
    .await;

    let closing = Closing::begin(event, &mut up, &mut down);
    let _ = tokio::time::timeout(
        limits.close_timeout,
        poll_fn(|cx| {
            let _ = up.poll_tokio(cx.waker(), &mut client, &mut upstream, &counts);
            let _ = down.poll_tokio(cx.waker(), &mut upstream, &mut client, &counts);
            if closing.done(&up, &down) { Poll::Ready(()) } else { Poll::Pending }
        }),
    )
    .await;
    let _ = tokio::time::timeout(Duration::from_millis(100), async {
        let _ = tokio::io::AsyncWriteExt::shutdown(&mut client).await;
        let _ = tokio::io::AsyncWriteExt::shutdown(&mut upstream).await;
    })
    .await;
    closing.end
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
mod tests;
