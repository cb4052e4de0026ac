//! The relay's event loop: one per serving thread, on a thread of its own, relaying every
//! plain-TCP connection that thread upgraded. The handshake and the token check stay on the
//! serving thread's tokio runtime; once both sides are open, their two sockets are handed
//! here (`Handle::hand`) and registered, edge-triggered, with this loop's epoll instance.
//!
//! Each wake-up reads the clock once, then, for every socket that became ready, moves bytes
//! with the same per-direction logic as the tokio relay (`relay::Dir`: frame following,
//! limits, close frames), so a message costs one `recv` and one `send` and nothing else: no
//! task to wake, no waker to register, no timer to reset. A socket counts as drained when a
//! read returns less than asked for, and as full when a write takes less than offered (the
//! kernel reports it again when that changes), so no call ends in `EAGAIN` in the usual case.
//!
//! Deadlines (token expiry, keepalive, revocation, the close timeout) are looked at every
//! `TICK` for all connections instead of one timer each. Shutdown, new connections and the
//! end of the loop come as messages, with a `mio::Waker` (an eventfd) to wake it.

use super::metrics::{RelayCounts, Relayed};
use super::relay::{self, BUF, Closing, Dir, End, Event, Fired, Io, Keepalive, Limits, Step};
use mio::net::TcpStream;
use mio::{Events, Interest, Token, Waker};
use std::io::{self, ErrorKind, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::task::Poll;
use std::time::{Duration, Instant};

/// How often every connection's deadlines are looked at: token expiry, keepalive and the
/// close timeout are kept to within this, a revocation takes effect within it.
pub const TICK: Duration = Duration::from_millis(100);

/// The waker's token; a connection's sockets have `2 × slot` (client) and `2 × slot + 1`.
const WAKER: Token = Token(usize::MAX);

/// A proxied connection, both sides open, handed to the loop.
pub struct Handoff {
    pub client: std::net::TcpStream,
    /// Bytes the client sent after its request, read along with it.
    pub client_early: Vec<u8>,
    pub upstream: std::net::TcpStream,
    /// Bytes the upstream sent after its `101`.
    pub upstream_early: Vec<u8>,
    /// permessage-deflate was negotiated.
    pub deflate: bool,
    /// When the token expires (leeway included).
    pub expires: Instant,
    /// Set once the token is found revoked.
    pub revoked: Arc<AtomicBool>,
    /// Called once when the connection has ended and both sockets are closed.
    pub on_end: Box<dyn FnOnce(End) + Send>,
}

enum Msg {
    Conn(Box<Handoff>),
    /// Close every connection with 1001 (and any handed over from now on).
    Shutdown,
    /// Drop what is left and end the thread.
    Exit,
}

/// Where a serving thread hands its connections.
#[derive(Clone)]
pub struct Handle {
    tx: mpsc::Sender<Msg>,
    waker: Arc<Waker>,
}

impl Handle {
    fn send(&self, m: Msg) -> Result<(), Msg> {
        self.tx.send(m).map_err(|e| e.0)?;
        let _ = self.waker.wake();
        Ok(())
    }

    /// Gives the loop a connection to relay; it comes back when the loop has ended.
    pub fn hand(&self, h: Handoff) -> Result<(), Box<Handoff>> {
        match self.send(Msg::Conn(Box::new(h))) {
            Ok(()) => Ok(()),
            Err(Msg::Conn(h)) => Err(h),
            Err(_) => Ok(()),
        }
    }

    /// Closes every connection with 1001, now and when handed later.
    pub fn shutdown(&self) {
        let _ = self.send(Msg::Shutdown);
    }

    /// Ends the loop; connections still open are dropped.
    pub fn exit(&self) {
        let _ = self.send(Msg::Exit);
    }
}

/// Starts a loop on a thread named `name`, relaying with `limits` and counting in `relayed`.
pub fn spawn(name: String, limits: Limits, relayed: Relayed) -> io::Result<(Handle, std::thread::JoinHandle<()>)> {
    let poll = mio::Poll::new()?;
    let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::Builder::new().name(name).spawn(move || {
        let now = Instant::now();
        Loop {
            poll,
            rx,
            conns: Vec::new(),
            free: Vec::new(),
            again: Vec::new(),
            buf: vec![0; BUF].into_boxed_slice(),
            counts: relayed.mine(),
            limits,
            ping: relay::ping_frame(),
            shutting_down: false,
            next_tick: now + TICK,
        }
        .run(now)
    })?;
    Ok((Handle { tx, waker }, thread))
}

/// A socket with the readiness the kernel last reported for it.
struct Sock {
    s: TcpStream,
    readable: bool,
    writable: bool,
    /// The peer ended or the socket failed: reads go on until they say so.
    read_closed: bool,
    write_closed: bool,
}

impl Sock {
    fn new(s: TcpStream) -> Sock {
        // Tried at once: the first read or write finds out.
        Sock {
            s,
            readable: true,
            writable: true,
            read_closed: false,
            write_closed: false,
        }
    }

    fn event(&mut self, e: &mio::event::Event) {
        let (error, rc, wc) = (e.is_error(), e.is_read_closed(), e.is_write_closed());
        self.readable |= e.is_readable() || rc || error;
        self.read_closed |= rc || error;
        self.writable |= e.is_writable() || wc || error;
        self.write_closed |= wc || error;
    }
}

impl Io for Sock {
    fn read(&mut self, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        if !self.readable {
            return Poll::Pending;
        }
        loop {
            match (&self.s).read(buf) {
                Ok(n) => {
                    // Less than asked for: drained, until the kernel reports more.
                    if n < buf.len() && !self.read_closed {
                        self.readable = false;
                    }
                    return Poll::Ready(Ok(n));
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    self.readable = false;
                    return Poll::Pending;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    fn write(&mut self, buf: &[u8]) -> Poll<io::Result<usize>> {
        if !self.writable {
            return Poll::Pending;
        }
        loop {
            match (&self.s).write(buf) {
                Ok(n) => {
                    // Less than offered: full, until the kernel reports room.
                    if n < buf.len() && !self.write_closed {
                        self.writable = false;
                    }
                    return Poll::Ready(Ok(n));
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    self.writable = false;
                    return Poll::Pending;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }

    fn flush(&mut self) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// One relayed connection.
struct Conn {
    client: Sock,
    upstream: Sock,
    /// Client → upstream, upstream → client.
    up: Dir,
    down: Dir,
    expires: Instant,
    keepalive: Keepalive,
    revoked: Arc<AtomicBool>,
    /// Once ended: what is left to do, and until when.
    closing: Option<(Closing, Instant)>,
    on_end: Option<Box<dyn FnOnce(End) + Send>>,
}

struct Loop {
    poll: mio::Poll,
    rx: mpsc::Receiver<Msg>,
    /// By slot; `free` lists the empty ones.
    conns: Vec<Option<Conn>>,
    free: Vec<usize>,
    /// Connections that read their share in one go and have more: driven again before the
    /// loop waits.
    again: Vec<usize>,
    buf: Box<[u8]>,
    counts: Arc<RelayCounts>,
    limits: Limits,
    ping: Vec<u8>,
    shutting_down: bool,
    next_tick: Instant,
}

impl Loop {
    fn run(mut self, mut now: Instant) {
        let mut events = Events::with_capacity(1024);
        loop {
            let timeout = if self.again.is_empty() {
                self.next_tick.saturating_duration_since(now)
            } else {
                Duration::ZERO
            };
            if let Err(e) = self.poll.poll(&mut events, Some(timeout))
                && e.kind() != ErrorKind::Interrupted
            {
                tracing::error!("relay loop cannot wait for events: {e}");
                break;
            }
            now = Instant::now();
            let mut messages = false;
            for e in events.iter() {
                if e.token() == WAKER {
                    messages = true;
                    continue;
                }
                let slot = e.token().0 >> 1;
                let Some(Some(c)) = self.conns.get_mut(slot) else { continue };
                if e.token().0 & 1 == 0 {
                    c.client.event(e);
                } else {
                    c.upstream.event(e);
                }
                self.drive(slot, now);
            }
            for slot in std::mem::take(&mut self.again) {
                self.drive(slot, now);
            }
            if messages && self.messages(now) {
                break;
            }
            if now >= self.next_tick {
                self.tick(now);
                self.next_tick = now + TICK;
            }
        }
        for slot in 0..self.conns.len() {
            if self.conns[slot].is_some() {
                self.finish(slot, End::Shutdown);
            }
        }
    }

    /// Takes the messages waiting; `true` when the loop is to end.
    fn messages(&mut self, now: Instant) -> bool {
        while let Ok(m) = self.rx.try_recv() {
            match m {
                Msg::Conn(h) => self.add(*h, now),
                Msg::Shutdown => {
                    self.shutting_down = true;
                    for slot in 0..self.conns.len() {
                        self.end(slot, Event::Shutdown, now);
                    }
                }
                Msg::Exit => return true,
            }
        }
        false
    }

    fn add(&mut self, h: Handoff, now: Instant) {
        let slot = self.free.pop().unwrap_or_else(|| {
            self.conns.push(None);
            self.conns.len() - 1
        });
        let mut client = TcpStream::from_std(h.client);
        let mut upstream = TcpStream::from_std(h.upstream);
        let both = Interest::READABLE | Interest::WRITABLE;
        let registry = self.poll.registry();
        if let Err(e) = registry
            .register(&mut client, Token(2 * slot), both)
            .and_then(|()| registry.register(&mut upstream, Token(2 * slot + 1), both))
        {
            tracing::warn!("cannot relay a connection: {e}");
            let _ = registry.deregister(&mut client);
            self.free.push(slot);
            (h.on_end)(End::ClientVanished);
            return;
        }
        let mut up = Dir::new(true, &self.limits, h.deflate, now);
        let mut down = Dir::new(false, &self.limits, h.deflate, now);
        relay::early(&mut up, &h.client_early, &mut down, &h.upstream_early, &self.counts);
        self.conns[slot] = Some(Conn {
            client: Sock::new(client),
            upstream: Sock::new(upstream),
            up,
            down,
            expires: h.expires,
            keepalive: Keepalive::new(&self.limits, now),
            revoked: h.revoked,
            closing: None,
            on_end: Some(h.on_end),
        });
        if self.shutting_down {
            self.end(slot, Event::Shutdown, now);
        } else {
            self.drive(slot, now);
        }
    }

    /// Moves what the sockets of `slot` let move; ends or finishes the connection as that
    /// tells.
    fn drive(&mut self, slot: usize, now: Instant) {
        let Some(Some(c)) = self.conns.get_mut(slot) else { return };
        let (buf, counts) = (&mut self.buf[..], &*self.counts);
        let up = c.up.poll(&mut c.client, &mut c.upstream, buf, counts, Some(now));
        if c.closing.is_none()
            && let Step::Ev(e) = up
        {
            return self.end(slot, Event::Up(e), now);
        }
        let down = c.down.poll(&mut c.upstream, &mut c.client, buf, counts, Some(now));
        match (&c.closing, down) {
            (None, Step::Ev(e)) => return self.end(slot, Event::Down(e), now),
            (Some((closing, _)), _) if closing.done(&c.up, &c.down) => {
                let end = closing.end;
                return self.finish(slot, end);
            }
            _ => {}
        }
        if up == Step::More || down == Step::More {
            self.again.push(slot);
        }
    }

    /// Ends the relay of `slot` after `event` (if it is still relaying): the close frames
    /// go out, then the connection waits for the answers, up to the close timeout.
    fn end(&mut self, slot: usize, event: Event, now: Instant) {
        let Some(Some(c)) = self.conns.get_mut(slot) else { return };
        if c.closing.is_some() {
            return;
        }
        let closing = Closing::begin(event, &mut c.up, &mut c.down);
        c.closing = Some((closing, now + self.limits.close_timeout));
        self.drive(slot, now);
    }

    /// Closes both sockets of `slot` and reports how it ended.
    fn finish(&mut self, slot: usize, end: End) {
        let Some(mut c) = self.conns.get_mut(slot).and_then(Option::take) else {
            return;
        };
        self.free.push(slot);
        for s in [&mut c.client.s, &mut c.upstream.s] {
            let _ = self.poll.registry().deregister(s);
            let _ = s.shutdown(std::net::Shutdown::Write);
        }
        drop((c.client, c.upstream));
        if let Some(f) = c.on_end.take() {
            f(end);
        }
    }

    /// Every connection's deadlines at `now`.
    fn tick(&mut self, now: Instant) {
        for slot in 0..self.conns.len() {
            let Some(c) = self.conns[slot].as_mut() else { continue };
            if let Some((closing, until)) = &c.closing {
                if now >= *until {
                    let end = closing.end;
                    self.finish(slot, end);
                }
                continue;
            }
            if now >= c.expires {
                self.end(slot, Event::Expired, now);
                continue;
            }
            if c.keepalive.due.is_some_and(|d| now >= d) {
                match c.keepalive.fire(now, &c.up, &mut c.down, &self.limits, &self.ping) {
                    // The ping is written when the direction is driven.
                    Fired::Pinged => self.drive(slot, now),
                    Fired::Nothing => {}
                    Fired::Silent => {
                        self.end(slot, Event::PingTimeout, now);
                        continue;
                    }
                }
            }
            if let Some(c) = self.conns[slot].as_ref()
                && c.closing.is_none()
                && c.revoked.load(Ordering::Relaxed)
            {
                self.end(slot, Event::Revoked, now);
            }
        }
    }
}
