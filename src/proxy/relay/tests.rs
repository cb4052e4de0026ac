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

use super::super::frame::code;
use super::super::metrics::Metrics;
use std::collections::VecDeque;

/// What one read of an in-memory socket gives.
enum Chunk {
    Data(Vec<u8>),
    /// Nothing ready yet.
    Wait,
    Eof,
    Fail,
}

/// One end of an in-memory socket: reads come from `input`, in order (nothing left: wait);
/// writes go to `out`, `room` bytes of them before a write must wait.
struct Mem {
    input: VecDeque<Chunk>,
    reads: usize,
    out: Vec<u8>,
    room: usize,
    broken: bool,
}

impl Mem {
    fn new() -> Mem {
        Mem {
            input: VecDeque::new(),
            reads: 0,
            out: Vec::new(),
            room: usize::MAX,
            broken: false,
        }
    }
    fn sends(mut self, chunks: impl IntoIterator<Item = Chunk>) -> Mem {
        self.input.extend(chunks);
        self
    }
    fn takes(mut self, room: usize) -> Mem {
        self.room = room;
        self
    }
}

impl Io for Mem {
    fn read(&mut self, buf: &mut [u8]) -> Poll<std::io::Result<usize>> {
        match self.input.pop_front() {
            None | Some(Chunk::Wait) => Poll::Pending,
            Some(Chunk::Eof) => Poll::Ready(Ok(0)),
            Some(Chunk::Fail) => Poll::Ready(Err(std::io::ErrorKind::ConnectionReset.into())),
            Some(Chunk::Data(mut d)) => {
                self.reads += 1;
                let n = d.len().min(buf.len());
                buf[..n].copy_from_slice(&d[..n]);
                if n < d.len() {
                    self.input.push_front(Chunk::Data(d.split_off(n)));
                }
                Poll::Ready(Ok(n))
            }
        }
    }
    fn write(&mut self, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        if self.broken {
            return Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()));
        }
        if self.room == 0 {
            return Poll::Pending;
        }
        let n = buf.len().min(self.room);
        self.out.extend_from_slice(&buf[..n]);
        self.room -= n;
        Poll::Ready(Ok(n))
    }
    fn flush(&mut self) -> Poll<std::io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

fn limits() -> Limits {
    Limits {
        ping_interval: Some(Duration::from_secs(30)),
        ping_timeout: Duration::from_secs(10),
        close_timeout: Duration::from_secs(1),
        max_message: 64 * 1024,
    }
}

/// A frame as a peer sends it: masked from a client, plain from a server.
fn frame(op: u8, fin: bool, payload: &[u8], masked: bool) -> Vec<u8> {
    let mut f = vec![if fin { 0x80 } else { 0 } | op];
    let m = if masked { 0x80 } else { 0 };
    if payload.len() < 126 {
        f.push(m | payload.len() as u8);
    } else {
        f.push(m | 126);
        f.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    }
    let key = [0x37, 0xfa, 0x21, 0x3d];
    if masked {
        f.extend_from_slice(&key);
    }
    f.extend(payload.iter().enumerate().map(|(i, b)| if masked { b ^ key[i % 4] } else { *b }));
    f
}

/// The frames in `bytes`, unmasked: `(opcode, payload)`.
fn frames_in(mut bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let masked = bytes[1] & 0x80 != 0;
        let (len, mut at) = match bytes[1] & 0x7f {
            126 => (usize::from(u16::from_be_bytes([bytes[2], bytes[3]])), 4),
            n => (usize::from(n), 2),
        };
        let key = if masked {
            [bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]
        } else {
            [0; 4]
        };
        if masked {
            at += 4;
        }
        let payload = bytes[at..at + len].iter().enumerate().map(|(i, b)| b ^ key[i % 4]).collect();
        out.push((bytes[0] & 0x0f, payload));
        bytes = &bytes[at + len..];
    }
    out
}

fn close_of(code: u16, reason: &str) -> (u8, Vec<u8>) {
    (8, [&code.to_be_bytes()[..], reason.as_bytes()].concat())
}

/// Polls `dir` until it waits or something happens, `now` as the clock.
fn run(dir: &mut Dir, src: &mut Mem, dst: &mut Mem, counts: &RelayCounts, now: Instant) -> Step {
    let mut buf = vec![0; BUF];
    loop {
        match dir.poll(src, dst, &mut buf, counts, Some(now)) {
            Step::More => continue,
            step => return step,
        }
    }
}

#[test]
fn frames_pass_byte_for_byte_and_a_slow_reader_stops_the_reading() {
    let m = Metrics::new();
    let counts = m.relayed.mine();
    let now = Instant::now();
    let mut up = Dir::new(true, &limits(), false, now);
    let sent: Vec<u8> = [
        frame(1, true, b"hello", true),
        frame(2, false, &[7; 3000], true),
        frame(0, true, &[8; 40], true),
    ]
    .concat();
    // Three reads' worth, the destination taking 100 bytes.
    let mut client = Mem::new().sends(sent.chunks(1024).map(|c| Chunk::Data(c.to_vec())));
    client.input.insert(2, Chunk::Wait);
    let mut upstream = Mem::new().takes(100);
    assert_eq!(run(&mut up, &mut client, &mut upstream, &counts, now), Step::Wait);
    // One read, 100 bytes of it written, the rest held: the source is not read again.
    assert_eq!((client.reads, upstream.out.len(), up.pending.len()), (1, 100, 924));
    upstream.room = usize::MAX;
    assert_eq!(run(&mut up, &mut client, &mut upstream, &counts, now), Step::Wait);
    assert_eq!(client.reads, 2, "nothing more is ready yet");
    assert_eq!(run(&mut up, &mut client, &mut upstream, &counts, now), Step::Wait);
    assert_eq!(upstream.out, sent, "not one byte changed");
    assert!(up.pending.is_empty() && up.flushed());
    let text = m.render();
    assert!(
        text.contains("ws_messages_processed_total{direction=\"client_to_upstream\"} 2"),
        "{text}"
    );
    assert!(
        text.contains("ws_messages_processed_total{direction=\"upstream_to_client\"} 0"),
        "{text}"
    );
}

#[test]
fn a_backlog_is_let_go_once_written_so_an_idle_connection_holds_no_buffer() {
    let counts = RelayCounts::default();
    let now = Instant::now();
    let (mut up, mut down) = (Dir::new(true, &limits(), false, now), Dir::new(false, &limits(), false, now));
    // A client that sent 40 messages of 1 KiB right behind its upgrade request: they were
    // read with the handshake, more than two reads' worth.
    let early_msgs: Vec<u8> = (0..40).flat_map(|_| frame(2, true, &[1; 1024], true)).collect();
    early(&mut up, &early_msgs, &mut down, &[], &counts);
    let mut client = Mem::new();
    let mut upstream = Mem::new().takes(1000);
    assert_eq!(run(&mut up, &mut client, &mut upstream, &counts, now), Step::Wait);
    assert!(up.pending.capacity() > 2 * BUF, "{}", up.pending.capacity());
    upstream.room = usize::MAX;
    run(&mut up, &mut client, &mut upstream, &counts, now);
    assert_eq!(upstream.out, early_msgs);
    assert_eq!(up.pending.capacity(), 0, "the backlog's buffer is freed");
    // A small one keeps its buffer for the next time.
    client.input.push_back(Chunk::Data(frame(1, true, &[2; 500], true)));
    upstream.room = 100;
    run(&mut up, &mut client, &mut upstream, &counts, now);
    upstream.room = usize::MAX;
    run(&mut up, &mut client, &mut upstream, &counts, now);
    assert!(up.pending.is_empty() && up.pending.capacity() > 0);
}

#[test]
fn one_poll_reads_at_most_sixteen_times_so_the_other_way_gets_its_turn() {
    let counts = RelayCounts::default();
    let now = Instant::now();
    let mut up = Dir::new(true, &limits(), false, now);
    let mut client = Mem::new().sends((0..20).map(|_| Chunk::Data(frame(1, true, b"x", true))));
    let mut upstream = Mem::new();
    let mut buf = vec![0; BUF];
    assert_eq!(up.poll(&mut client, &mut upstream, &mut buf, &counts, Some(now)), Step::More);
    assert_eq!(client.reads, 16);
    assert_eq!(up.poll(&mut client, &mut upstream, &mut buf, &counts, Some(now)), Step::Wait);
    assert_eq!(frames_in(&upstream.out).len(), 20);
}

#[test]
fn a_source_ends_clean_after_its_close_frame_and_unclean_without_one() {
    let counts = RelayCounts::default();
    let now = Instant::now();
    let cases = [
        (
            vec![Chunk::Data(frame(8, true, &1000u16.to_be_bytes(), true)), Chunk::Eof],
            Ev::Eof { clean: true },
        ),
        (vec![Chunk::Data(frame(1, true, b"x", true)), Chunk::Eof], Ev::Eof { clean: false }),
        (vec![Chunk::Fail], Ev::ReadFailed),
    ];
    for (chunks, want) in cases {
        let mut up = Dir::new(true, &limits(), false, now);
        let mut client = Mem::new().sends(chunks);
        assert_eq!(run(&mut up, &mut client, &mut Mem::new(), &counts, now), Step::Ev(want));
        assert!(up.ended());
    }
    let mut up = Dir::new(true, &limits(), false, now);
    let mut client = Mem::new().sends([Chunk::Data(frame(1, true, b"x", true))]);
    let mut upstream = Mem::new();
    upstream.broken = true;
    assert_eq!(run(&mut up, &mut client, &mut upstream, &counts, now), Step::Ev(Ev::WriteFailed));
}

#[test]
fn a_bad_client_frame_delivers_what_came_before_then_each_side_gets_its_close() {
    let counts = RelayCounts::default();
    let now = Instant::now();
    let (mut up, mut down) = (Dir::new(true, &limits(), false, now), Dir::new(false, &limits(), false, now));
    let good = frame(1, true, b"fine", true);
    // An unmasked frame from a client, in the same read as a good one.
    let mut client = Mem::new().sends([Chunk::Data([good.clone(), frame(1, true, b"bad", false)].concat())]);
    let (mut upstream, mut from_upstream) = (Mem::new(), Mem::new());
    let ev = run(&mut up, &mut client, &mut upstream, &counts, now);
    assert_eq!(
        ev,
        Step::Ev(Ev::Violation {
            code: code::PROTOCOL,
            clean_cut: true
        })
    );
    let Step::Ev(ev) = ev else { unreachable!() };
    let closing = Closing::begin(Event::Up(ev), &mut up, &mut down);
    assert_eq!(closing.end, End::ClientViolation(code::PROTOCOL));
    let mut to_client = Mem::new();
    run(&mut up, &mut client, &mut upstream, &counts, now);
    run(&mut down, &mut from_upstream, &mut to_client, &counts, now);
    assert_eq!(
        frames_in(&upstream.out),
        [(1, b"fine".to_vec()), close_of(1001, "client went away")]
    );
    assert!(upstream.out[good.len() + 1] & 0x80 != 0, "masked towards the server");
    assert_eq!(frames_in(&to_client.out), [close_of(1002, "protocol error")]);
    assert!(!closing.done(&up, &down), "the upstream has not answered");
    from_upstream
        .input
        .push_back(Chunk::Data(frame(8, true, &1000u16.to_be_bytes(), false)));
    run(&mut down, &mut from_upstream, &mut to_client, &counts, now);
    assert!(closing.done(&up, &down));
    assert_eq!(
        frames_in(&to_client.out).len(),
        1,
        "its answer is not relayed: the client has its close"
    );
}

#[test]
fn an_expiry_mid_message_closes_after_the_message_and_drops_what_follows() {
    let counts = RelayCounts::default();
    let now = Instant::now();
    let (mut up, mut down) = (Dir::new(true, &limits(), false, now), Dir::new(false, &limits(), false, now));
    let long = frame(2, true, &[5; 1000], false);
    let mut upstream = Mem::new().sends([Chunk::Data(long[..400].to_vec())]);
    let mut client = Mem::new();
    run(&mut down, &mut upstream, &mut client, &counts, now);
    assert_eq!(client.out.len(), 400);
    let closing = Closing::begin(Event::Expired, &mut up, &mut down);
    // The rest of the message and the start of the next in one read.
    upstream
        .input
        .push_back(Chunk::Data([&long[400..], &frame(1, true, b"next", false)[..]].concat()));
    run(&mut down, &mut upstream, &mut client, &counts, now);
    assert_eq!(frames_in(&client.out), [(2, vec![5; 1000]), close_of(1008, "token expired")]);
    let mut from_client = Mem::new();
    run(&mut up, &mut from_client, &mut upstream, &counts, now);
    assert_eq!(frames_in(&upstream.out), [close_of(1000, "client token expired")]);
    // Both answer; the relay is done, and neither answer crossed over.
    from_client
        .input
        .push_back(Chunk::Data(frame(8, true, &1000u16.to_be_bytes(), true)));
    assert!(!closing.done(&up, &down));
    run(&mut up, &mut from_client, &mut upstream, &counts, now);
    assert!(!closing.done(&up, &down), "the upstream has not answered");
    upstream.input.push_back(Chunk::Data(frame(8, true, &1000u16.to_be_bytes(), false)));
    run(&mut down, &mut upstream, &mut client, &counts, now);
    assert!(closing.done(&up, &down));
    assert_eq!(frames_in(&client.out).len(), 2);
    assert_eq!(frames_in(&upstream.out).len(), 1);
}

#[test]
fn a_client_that_closes_gets_the_upstreams_answer_relayed() {
    let counts = RelayCounts::default();
    let now = Instant::now();
    let (mut up, mut down) = (Dir::new(true, &limits(), false, now), Dir::new(false, &limits(), false, now));
    let bye = frame(8, true, &[&1000u16.to_be_bytes()[..], b"bye"].concat(), true);
    let mut client = Mem::new().sends([Chunk::Data(bye.clone()), Chunk::Eof]);
    let mut upstream = Mem::new();
    let Step::Ev(ev) = run(&mut up, &mut client, &mut upstream, &counts, now) else {
        panic!()
    };
    assert_eq!(ev, Ev::Eof { clean: true });
    let closing = Closing::begin(Event::Up(ev), &mut up, &mut down);
    assert_eq!(upstream.out, bye, "the client's own close passes as it is");
    let mut to_client = Mem::new();
    let mut from_upstream = Mem::new().sends([Chunk::Data(frame(8, true, &1000u16.to_be_bytes(), false))]);
    assert!(!closing.done(&up, &down));
    run(&mut down, &mut from_upstream, &mut to_client, &counts, now);
    assert_eq!(frames_in(&to_client.out), [(8, 1000u16.to_be_bytes().to_vec())]);
    assert!(closing.done(&up, &down));
}

#[test]
fn a_silent_client_is_pinged_after_the_interval_and_gone_after_the_timeout() {
    let counts = RelayCounts::default();
    let t0 = Instant::now();
    let l = limits();
    let s = Duration::from_secs;
    let (mut up, mut down) = (Dir::new(true, &l, false, t0), Dir::new(false, &l, false, t0));
    let ping = ping_frame();
    let mut k = Keepalive::new(&l, t0);
    assert_eq!(k.due, Some(t0 + s(30)));
    // The client spoke at 20 s: nothing at 30 s, and the next look is 30 s after it spoke.
    let mut client = Mem::new().sends([Chunk::Data(frame(1, true, b"hi", true))]);
    run(&mut up, &mut client, &mut Mem::new(), &counts, t0 + s(20));
    assert_eq!(k.fire(t0 + s(30), &up, &mut down, &l, &ping), Fired::Nothing);
    assert_eq!(k.due, Some(t0 + s(50)));
    // Silent since: pinged at 50 s, with 10 s to answer.
    assert_eq!(k.fire(t0 + s(50), &up, &mut down, &l, &ping), Fired::Pinged);
    assert_eq!(k.due, Some(t0 + s(60)));
    let mut to_client = Mem::new();
    run(&mut down, &mut Mem::new(), &mut to_client, &counts, t0 + s(50));
    assert_eq!(frames_in(&to_client.out), [(9, PING_PAYLOAD.to_vec())]);
    // It answers at 55 s: fine, next look 30 s after that.
    client.input.push_back(Chunk::Data(frame(10, true, PING_PAYLOAD, true)));
    run(&mut up, &mut client, &mut Mem::new(), &counts, t0 + s(55));
    assert_eq!(k.fire(t0 + s(60), &up, &mut down, &l, &ping), Fired::Nothing);
    assert_eq!(k.due, Some(t0 + s(85)));
    assert_eq!(k.fire(t0 + s(85), &up, &mut down, &l, &ping), Fired::Pinged);
    // Not a word by the deadline: gone.
    assert_eq!(k.fire(t0 + s(95), &up, &mut down, &l, &ping), Fired::Silent);
}

#[test]
fn a_ping_waits_for_the_end_of_a_frame_and_none_is_sent_without_an_interval() {
    let counts = RelayCounts::default();
    let t0 = Instant::now();
    let l = limits();
    let (up, mut down) = (Dir::new(true, &l, false, t0), Dir::new(false, &l, false, t0));
    let long = frame(2, true, &[5; 1000], false);
    let mut upstream = Mem::new().sends([Chunk::Data(long[..400].to_vec())]);
    let mut client = Mem::new();
    run(&mut down, &mut upstream, &mut client, &counts, t0);
    let mut k = Keepalive::new(&l, t0);
    let at = t0 + Duration::from_secs(30);
    assert_eq!(k.fire(at, &up, &mut down, &l, &ping_frame()), Fired::Nothing);
    assert_eq!(k.due, Some(at + Duration::from_millis(100)), "tried again shortly");
    upstream.input.push_back(Chunk::Data(long[400..].to_vec()));
    run(&mut down, &mut upstream, &mut client, &counts, t0);
    assert_eq!(
        k.fire(at + Duration::from_millis(100), &up, &mut down, &l, &ping_frame()),
        Fired::Pinged
    );
    run(&mut down, &mut upstream, &mut client, &counts, t0);
    assert_eq!(frames_in(&client.out), [(2, vec![5; 1000]), (9, PING_PAYLOAD.to_vec())]);

    let never = Limits { ping_interval: None, ..l };
    let mut k = Keepalive::new(&never, t0);
    assert_eq!(k.due, None);
    assert_eq!(
        k.fire(t0 + Duration::from_secs(3600), &up, &mut down, &never, &ping_frame()),
        Fired::Nothing
    );
}

#[test]
fn bytes_read_with_the_handshake_go_first_and_count() {
    let m = Metrics::new();
    let counts = m.relayed.mine();
    let now = Instant::now();
    let (mut up, mut down) = (Dir::new(true, &limits(), false, now), Dir::new(false, &limits(), false, now));
    let early_msg = frame(1, true, b"early", true);
    let bad = [frame(1, true, b"ok", false), frame(3, true, b"", false)].concat();
    early(&mut up, &early_msg, &mut down, &bad, &counts);
    let mut client = Mem::new().sends([Chunk::Data(frame(1, true, b"later", true))]);
    let mut upstream = Mem::new();
    run(&mut up, &mut client, &mut upstream, &counts, now);
    assert_eq!(frames_in(&upstream.out), [(1, b"early".to_vec()), (1, b"later".to_vec())]);
    // The upstream's early bytes held a reserved opcode: what came before it, then no more.
    let mut to_client = Mem::new();
    let mut from_upstream = Mem::new().sends([Chunk::Data(frame(1, true, b"never", false))]);
    run(&mut down, &mut from_upstream, &mut to_client, &counts, now);
    assert_eq!(frames_in(&to_client.out), [(1, b"ok".to_vec())]);
    assert!(down.ended());
    let text = m.render();
    assert!(
        text.contains("ws_messages_processed_total{direction=\"client_to_upstream\"} 2"),
        "{text}"
    );
}
