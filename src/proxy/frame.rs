//! The WebSocket wire format as the relay needs it (RFC 6455 §5): following frame
//! boundaries in one direction (`Frames`) and refusing what a peer must refuse, the close
//! codes and reasons the proxy sends of its own, and the control frames it puts between two
//! frames. Nothing here reads or writes a socket.

/// The payload of the proxy's keepalive pings.
pub const PING_PAYLOAD: &[u8] = b"aiwfe-keepalive";

pub mod code {
    pub const NORMAL: u16 = 1000;
    pub const AWAY: u16 = 1001;
    pub const PROTOCOL: u16 = 1002;
    pub const POLICY: u16 = 1008;
    pub const TOO_BIG: u16 = 1009;
    pub const ERROR: u16 = 1011;
}

/// A close frame the proxy sends of its own: the code and the reason that goes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Close {
    pub code: u16,
    pub reason: &'static str,
}

/// Every close the proxy originates; `closes` says which goes where.
pub mod close {
    use super::{Close, code};
    pub const PROTOCOL: Close = Close {
        code: code::PROTOCOL,
        reason: "protocol error",
    };
    pub const TOO_BIG: Close = Close {
        code: code::TOO_BIG,
        reason: "message too big",
    };
    pub const UPSTREAM_FAILED: Close = Close {
        code: code::ERROR,
        reason: "upstream failed",
    };
    pub const UPSTREAM_PROTOCOL: Close = Close {
        code: code::ERROR,
        reason: "upstream broke the protocol",
    };
    pub const PING_TIMEOUT: Close = Close {
        code: code::ERROR,
        reason: "keepalive ping timeout",
    };
    pub const CLIENT_AWAY: Close = Close {
        code: code::AWAY,
        reason: "client went away",
    };
    pub const SHUTDOWN: Close = Close {
        code: code::AWAY,
        reason: "proxy shutting down",
    };
    pub const TOKEN_EXPIRED: Close = Close {
        code: code::POLICY,
        reason: "token expired",
    };
    pub const TOKEN_REVOKED: Close = Close {
        code: code::POLICY,
        reason: "token revoked",
    };
    /// To the upstream, which did nothing wrong: a normal close that says why.
    pub const CLIENT_TOKEN_EXPIRED: Close = Close {
        code: code::NORMAL,
        reason: "client token expired",
    };
    pub const CLIENT_TOKEN_REVOKED: Close = Close {
        code: code::NORMAL,
        reason: "client token revoked",
    };

    /// The close for a frame that broke the protocol (1002) or a limit (1009).
    pub fn violation(c: u16) -> Close {
        if c == code::TOO_BIG { TOO_BIG } else { PROTOCOL }
    }
}

/// A frame that breaks the protocol or a limit: the close code, and where the offending
/// frame starts in the chunk when all of its header is in it (the bytes before it can
/// still be delivered, followed by a close frame).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Violation {
    pub code: u16,
    pub frame_start: Option<usize>,
}

/// What one chunk contained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Fed {
    /// Messages whose last frame ended in the chunk.
    pub messages: u64,
    /// The first offset in the chunk that is a frame boundary (0 when the chunk starts
    /// on one).
    pub first_boundary: Option<usize>,
    /// A close frame's header was in the chunk.
    pub close: bool,
}

/// Follows frame boundaries in one direction of a connection.
#[derive(Debug, Clone)]
pub struct Frames {
    /// Frames this way must be masked (client to server) or must not be.
    masked: bool,
    /// permessage-deflate was negotiated: RSV1 may mark the first frame of a data message.
    deflate: bool,
    max_message: u64,
    head: [u8; 14],
    have: usize,
    /// Payload bytes of the current frame still to come.
    left: u64,
    /// A data message has begun and its last frame has not come yet.
    fragmented: bool,
    message_len: u64,
}

impl Frames {
    pub fn new(masked: bool, max_message: u64, deflate: bool) -> Frames {
        Frames {
            masked,
            deflate,
            max_message,
            head: [0; 14],
            have: 0,
            left: 0,
            fragmented: false,
            message_len: 0,
        }
    }

    /// Forgets a partly read frame: the stream is taken to be at a boundary again.
    pub fn restart(&mut self) {
        self.have = 0;
        self.left = 0;
        self.fragmented = false;
        self.message_len = 0;
    }

    /// Whether everything seen so far ends exactly at a frame boundary.
    pub fn at_boundary(&self) -> bool {
        self.have == 0 && self.left == 0
    }

    /// Follows the frames in the next chunk of the stream.
    pub fn feed(&mut self, data: &[u8]) -> Result<Fed, Violation> {
        let mut fed = Fed {
            first_boundary: self.at_boundary().then_some(0),
            ..Fed::default()
        };
        let mut i = 0;
        // Where the current header began, if in this chunk.
        let mut start = (self.have == 0).then_some(0);
        while i < data.len() {
            if self.left > 0 {
                let take = (self.left.min((data.len() - i) as u64)) as usize;
                self.left -= take as u64;
                i += take;
                if self.left == 0 {
                    fed.first_boundary.get_or_insert(i);
                    start = Some(i);
                }
                continue;
            }
            if self.have == 0 {
                start = Some(i);
                // A whole header in the chunk (the usual case) is taken in one go.
                let rest = &data[i..];
                let need = header_len(&rest[..rest.len().min(2)]);
                if rest.len() >= need {
                    self.head[..need].copy_from_slice(&rest[..need]);
                    i += need;
                } else {
                    self.head[0] = data[i];
                    self.have = 1;
                    i += 1;
                    continue;
                }
            } else {
                self.head[self.have] = data[i];
                self.have += 1;
                i += 1;
                if self.have < header_len(&self.head[..self.have]) {
                    continue;
                }
            }
            let (op, fin, len) = self.header().map_err(|code| Violation { code, frame_start: start })?;
            self.have = 0;
            self.left = len;
            if op == 8 {
                fed.close = true;
            }
            if op < 8 && fin {
                fed.messages += 1;
            }
            if len == 0 {
                fed.first_boundary.get_or_insert(i);
                start = Some(i);
            }
        }
        Ok(fed)
    }

    /// Checks the complete header in `head`: `(opcode, fin, payload length)` or a close code.
    fn header(&mut self) -> Result<(u8, bool, u64), u16> {
        let (b0, b1) = (self.head[0], self.head[1]);
        let fin = b0 & 0x80 != 0;
        let op = b0 & 0x0f;
        // RSV1 is permessage-deflate's "compressed" bit: only on a message's first frame.
        let rsv1_ok = self.deflate && matches!(op, 1 | 2);
        let rsv = b0 & if rsv1_ok { 0x30 } else { 0x70 };
        if rsv != 0 || (b1 & 0x80 != 0) != self.masked || !matches!(op, 0 | 1 | 2 | 8 | 9 | 10) {
            return Err(code::PROTOCOL);
        }
        let len = match b1 & 0x7f {
            126 => u64::from(u16::from_be_bytes([self.head[2], self.head[3]])),
            127 => {
                let mut b = [0; 8];
                b.copy_from_slice(&self.head[2..10]);
                u64::from_be_bytes(b)
            }
            n => u64::from(n),
        };
        if op >= 8 {
            if !fin || len > 125 {
                return Err(code::PROTOCOL);
            }
            return Ok((op, fin, len));
        }
        if (op == 0) != self.fragmented {
            return Err(code::PROTOCOL);
        }
        let total = if op == 0 { self.message_len.saturating_add(len) } else { len };
        if total > self.max_message {
            return Err(code::TOO_BIG);
        }
        self.fragmented = !fin;
        self.message_len = if fin { 0 } else { total };
        Ok((op, fin, len))
    }
}

/// How long a header is, once its first bytes are known.
fn header_len(h: &[u8]) -> usize {
    if h.len() < 2 {
        return 2;
    }
    let ext = match h[1] & 0x7f {
        126 => 2,
        127 => 8,
        _ => 0,
    };
    2 + ext + if h[1] & 0x80 != 0 { 4 } else { 0 }
}

/// A control frame (payload ≤ 125 bytes), masked when it goes to a server.
pub fn control_frame(op: u8, payload: &[u8], masked: bool) -> Vec<u8> {
    let payload = &payload[..payload.len().min(125)];
    let mut f = Vec::with_capacity(6 + payload.len());
    f.push(0x80 | op);
    if masked {
        f.push(0x80 | payload.len() as u8);
        let key = mask_key();
        f.extend_from_slice(&key);
        f.extend(payload.iter().enumerate().map(|(i, b)| b ^ key[i % 4]));
    } else {
        f.push(payload.len() as u8);
        f.extend_from_slice(payload);
    }
    f
}

/// A close frame with a code and a short reason.
pub fn close_frame(code: u16, reason: &str, masked: bool) -> Vec<u8> {
    let mut p = code.to_be_bytes().to_vec();
    p.extend_from_slice(&reason.as_bytes()[..reason.len().min(123)]);
    control_frame(8, &p, masked)
}

/// A masking key no one outside can predict (RFC 6455 §5.3).
fn mask_key() -> [u8; 4] {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let h = std::collections::hash_map::RandomState::new().hash_one(SEQ.fetch_add(1, Ordering::Relaxed));
    (h as u32).to_ne_bytes()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::testing::Rng;

    fn frame(op: u8, fin: bool, payload: &[u8], masked: bool) -> Vec<u8> {
        let mut f = vec![if fin { 0x80 } else { 0 } | op];
        let m = if masked { 0x80 } else { 0 };
        match payload.len() {
            n if n < 126 => f.push(m | n as u8),
            n if n < 65536 => {
                f.push(m | 126);
                f.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                f.push(m | 127);
                f.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        if masked {
            f.extend_from_slice(&[1, 2, 3, 4]);
            f.extend(payload.iter().enumerate().map(|(i, b)| b ^ [1, 2, 3, 4][i % 4]));
        } else {
            f.extend_from_slice(payload);
        }
        f
    }

    #[test]
    fn boundaries_are_found_however_the_stream_is_cut() {
        let mut stream = frame(1, true, b"hello", true);
        stream.extend(frame(2, false, &[7; 300], true));
        stream.extend(frame(9, true, b"ping", true));
        stream.extend(frame(0, true, &[8; 70_000], true));
        stream.extend(frame(8, true, &[3, 232], true));
        // Every way of cutting the stream in two gives the same messages and ends on a boundary.
        for cut in [1, 2, 5, 7, 11, 12, 300, 310, 320, 70_000, stream.len() - 1] {
            let mut f = Frames::new(true, 1 << 20, false);
            let a = f.feed(&stream[..cut]).unwrap();
            let b = f.feed(&stream[cut..]).unwrap();
            assert_eq!(a.messages + b.messages, 2, "cut at {cut}");
            assert!(a.close || b.close, "cut at {cut}");
            assert!(f.at_boundary(), "cut at {cut}");
        }
        let mut f = Frames::new(true, 1 << 20, false);
        let first = frame(1, true, b"hello", true).len();
        let fed = f.feed(&stream[3..]).map(|_| ()).err();
        assert!(fed.is_some(), "a stream cut mid-header is garbage");
        let mut f2 = Frames::new(true, 1 << 20, false);
        let fed = f2.feed(&stream[..first + 3]).unwrap();
        assert_eq!(fed.first_boundary, Some(0));
        assert!(!f2.at_boundary());
        let mut f3 = Frames::new(true, 1 << 20, false);
        f3.feed(&stream[..2]).unwrap();
        assert_eq!(f3.feed(&stream[2..first + 3]).unwrap().first_boundary, Some(first - 2));
    }

    #[test]
    fn protocol_breaks_and_limits_give_their_close_codes() {
        let cases: Vec<(Vec<u8>, bool, u16)> = vec![
            (frame(1, true, b"x", false), true, code::PROTOCOL),     // unmasked from a client
            (frame(1, true, b"x", true), false, code::PROTOCOL),     // masked from a server
            (frame(3, true, b"x", true), true, code::PROTOCOL),      // reserved opcode
            (frame(9, false, b"x", true), true, code::PROTOCOL),     // fragmented control frame
            (frame(9, true, &[0; 126], true), true, code::PROTOCOL), // control frame over 125
            (frame(0, true, b"x", true), true, code::PROTOCOL),      // continuation of nothing
            (frame(2, true, &[0; 2000], true), true, code::TOO_BIG),
        ];
        for (bytes, masked, want) in cases {
            let mut ok = frame(1, true, b"fine", masked);
            let at = ok.len();
            ok.extend_from_slice(&bytes);
            let v = Frames::new(masked, 1024, false).feed(&ok).unwrap_err();
            assert_eq!(
                v,
                Violation {
                    code: want,
                    frame_start: Some(at)
                }
            );
        }
        // A bad header split across chunks began in bytes already passed on: no clean cut.
        for masked in [true, false] {
            let bad = frame(3, true, b"x", masked);
            let mut ok = frame(1, true, b"fine", masked);
            ok.push(bad[0]);
            let mut f = Frames::new(masked, 1024, false);
            f.feed(&ok).unwrap();
            let v = f.feed(&bad[1..]).unwrap_err();
            assert_eq!(
                v,
                Violation {
                    code: code::PROTOCOL,
                    frame_start: None
                }
            );
        }
        let mut rsv = frame(1, true, b"x", true);
        rsv[0] |= 0x40;
        assert_eq!(Frames::new(true, 1024, false).feed(&rsv).unwrap_err().code, code::PROTOCOL);
        // A message over the limit only in its fragments together.
        let mut f = Frames::new(true, 1024, false);
        f.feed(&frame(1, false, &[0; 600], true)).unwrap();
        assert_eq!(f.feed(&frame(0, true, &[0; 600], true)).unwrap_err().code, code::TOO_BIG);
        // A new data message in the middle of a fragmented one.
        let mut f = Frames::new(true, 1024, false);
        f.feed(&frame(1, false, b"a", true)).unwrap();
        f.feed(&frame(9, true, b"", true)).unwrap();
        assert_eq!(f.feed(&frame(1, true, b"b", true)).unwrap_err().code, code::PROTOCOL);
    }

    #[test]
    fn rsv1_marks_a_messages_first_frame_only_with_deflate_negotiated() {
        let rsv1 = |mut f: Vec<u8>| {
            f[0] |= 0x40;
            f
        };
        for masked in [true, false] {
            let mut f = Frames::new(masked, 1024, true);
            let fed = f.feed(&rsv1(frame(1, true, b"compressed", masked))).unwrap();
            assert_eq!(fed.messages, 1);
            f.feed(&rsv1(frame(2, false, b"first", masked))).unwrap();
            f.feed(&frame(0, true, b"rest", masked)).unwrap();
            // Not on a continuation, nor on a control frame, nor RSV2/RSV3.
            let mut f = Frames::new(masked, 1024, true);
            f.feed(&rsv1(frame(1, false, b"first", masked))).unwrap();
            assert_eq!(f.feed(&rsv1(frame(0, true, b"rest", masked))).unwrap_err().code, code::PROTOCOL);
            for op in [8, 9, 10] {
                let v = Frames::new(masked, 1024, true).feed(&rsv1(frame(op, true, b"", masked)));
                assert_eq!(v.unwrap_err().code, code::PROTOCOL, "opcode {op}");
            }
            let mut rsv2 = frame(1, true, b"x", masked);
            rsv2[0] |= 0x60;
            assert_eq!(Frames::new(masked, 1024, true).feed(&rsv2).unwrap_err().code, code::PROTOCOL);
            // Without the extension, RSV1 is a protocol error anywhere.
            let v = Frames::new(masked, 1024, false).feed(&rsv1(frame(1, true, b"x", masked)));
            assert_eq!(v.unwrap_err().code, code::PROTOCOL);
        }
        // The limit counts the bytes on the wire: a compressed message is not inflated.
        let mut f = Frames::new(true, 1024, true);
        assert!(f.feed(&rsv1(frame(2, true, &[0; 1024], true))).is_ok());
        assert_eq!(f.feed(&rsv1(frame(2, true, &[0; 1025], true))).unwrap_err().code, code::TOO_BIG);
    }

    #[test]
    fn injected_frames_are_valid_and_masked_only_towards_servers() {
        let c = close_frame(1008, "token expired", false);
        assert_eq!(&c[..4], &[0x88, 15, 0x03, 0xf0]);
        assert_eq!(&c[4..], b"token expired");
        let m = close_frame(1000, "bye", true);
        assert_eq!(m[0], 0x88);
        assert_eq!(m[1], 0x80 | 5);
        let key = &m[2..6];
        let payload: Vec<u8> = m[6..].iter().enumerate().map(|(i, b)| b ^ key[i % 4]).collect();
        assert_eq!(payload, [&1000u16.to_be_bytes()[..], b"bye"].concat());
        let mut f = Frames::new(true, 10, false);
        assert!(f.feed(&m).unwrap().close);
        assert!(Frames::new(false, 10, false).feed(&control_frame(9, PING_PAYLOAD, false)).is_ok());
        assert_ne!(mask_key(), mask_key());
    }

    #[test]
    fn control_frames_hold_125_bytes_and_a_long_close_reason_is_cut_to_fit() {
        // 125 is the most a control frame may carry; one more is refused.
        let fed = Frames::new(true, 10, false).feed(&frame(9, true, &[0; 125], true)).unwrap();
        assert_eq!((fed.messages, fed.close), (0, false));
        assert!(Frames::new(true, 10, false).feed(&frame(10, true, &[0; 126], true)).is_err());
        // A reason of 200 bytes: the code and the first 123 bytes, a frame any peer takes.
        let reason = "r".repeat(200);
        for masked in [false, true] {
            let c = close_frame(1011, &reason, masked);
            assert_eq!(c[1] & 0x7f, 125);
            assert_eq!(c.len(), 2 + if masked { 4 } else { 0 } + 125);
            let mut f = Frames::new(masked, 10, false);
            assert!(f.feed(&c).unwrap().close);
            assert!(f.at_boundary());
        }
        let ping = control_frame(9, &[7; 300], false);
        assert_eq!(ping[..2], [0x89, 125]);
        assert_eq!(ping.len(), 127);
        // An empty frame ends at once: the next byte is a boundary.
        let mut stream = frame(9, true, b"", true);
        stream.extend(frame(1, true, b"x", true));
        let mut f = Frames::new(true, 10, false);
        f.feed(&stream[..1]).unwrap();
        let fed = f.feed(&stream[1..]).unwrap();
        assert_eq!((fed.first_boundary, fed.messages), (Some(5), 1));
    }

    #[test]
    fn a_restart_forgets_a_partial_frame_and_a_fragmented_message() {
        let mut f = Frames::new(true, 1024, false);
        f.feed(&frame(1, false, b"first", true)).unwrap();
        let half = frame(0, true, &[0; 300], true);
        f.feed(&half[..100]).unwrap();
        assert!(!f.at_boundary());
        f.restart();
        assert!(f.at_boundary());
        // A new message may begin: the fragmented one is forgotten.
        let fed = f.feed(&frame(2, true, &[0; 1024], true)).unwrap();
        assert_eq!(fed.messages, 1);
    }

    #[test]
    fn property_random_messages_cut_anywhere_count_the_same_and_garbage_never_panics() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..300 {
            let (mut stream, mut messages) = (Vec::new(), 0u64);
            for _ in 0..rng.below(8) + 1 {
                let parts = rng.below(3) + 1;
                for p in 0..parts {
                    let len = match rng.below(10) {
                        0 => 70_000,
                        1..=3 => 126 + rng.below(1000) as usize,
                        _ => rng.below(126) as usize,
                    };
                    let op = if p == 0 { 1 + rng.below(2) as u8 } else { 0 };
                    stream.extend(frame(op, p + 1 == parts, &vec![b'a'; len], true));
                    if rng.below(4) == 0 {
                        stream.extend(frame(9, true, b"ping", true));
                    }
                }
                messages += 1;
            }
            let mut f = Frames::new(true, 1 << 20, false);
            let (mut at, mut seen) = (0, 0);
            while at < stream.len() {
                let end = (at + 1 + rng.below(5000) as usize).min(stream.len());
                seen += f.feed(&stream[at..end]).unwrap().messages;
                at = end;
            }
            assert_eq!(seen, messages);
            assert!(f.at_boundary());

            // Random bytes: a violation or a partial frame, never a panic or a count of
            // more messages than there are bytes.
            let garbage: Vec<u8> = (0..rng.below(4096)).map(|_| rng.below(256) as u8).collect();
            let mut f = Frames::new(rng.below(2) == 0, 1 << 16, rng.below(2) == 0);
            let mut total = 0;
            for chunk in garbage.chunks(1 + rng.below(64) as usize) {
                match f.feed(chunk) {
                    Ok(fed) => total += fed.messages,
                    Err(v) => {
                        assert!((1000..5000).contains(&v.code), "{v:?}");
                        break;
                    }
                }
            }
            assert!(total as usize <= garbage.len() / 2, "{total} messages in {} bytes", garbage.len());
        }
    }
}
