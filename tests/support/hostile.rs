//! Hostile servers on free loopback ports, for the tests that check aiwfe stays safe and
//! bounded whatever a peer does: answer with garbage, never answer, trickle bytes, send an
//! endless line, or answer with control characters. Each accepts any number of
//! connections, reads what the client sends first (up to a blank line or a pause), then
//! behaves as told; it stops when its handle drops.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// What the server does on each connection.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// Writes these bytes after the client's first bytes, then closes.
    Reply(Vec<u8>),
    /// Writes these bytes after the client's first bytes and keeps the connection open.
    ReplyAndHold(Vec<u8>),
    /// Reads and never answers.
    Silent,
    /// Writes these bytes one at a time, `every` apart, then holds the connection.
    Trickle(Vec<u8>, Duration),
    /// Writes `prefix`, then the byte `fill` without end (no line ending ever comes).
    EndlessLine { prefix: Vec<u8>, fill: u8 },
}

impl Behaviour {
    /// An HTTP/1.1 reply with `status` (e.g. `403 Forbidden`) and `body`.
    pub fn http(status: &str, body: &str) -> Behaviour {
        Behaviour::Reply(
            format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
        )
    }
}

/// Text that would clear the screen, retitle the window and ring the bell if a terminal
/// obeyed it: what a hostile server puts in its messages.
pub const TERMINAL_ATTACK: &str = "\u{1b}[2J\u{1b}]0;owned\u{7} \u{9b}31m";

pub struct HostileServer {
    pub port: u16,
    stop: Arc<AtomicBool>,
    /// Bytes written to clients so far.
    sent: Arc<AtomicU64>,
}

impl HostileServer {
    pub fn start(behaviour: Behaviour) -> HostileServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a hostile server");
        let port = listener.local_addr().expect("local addr").port();
        listener.set_nonblocking(true).expect("nonblocking listener");
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(AtomicU64::new(0));
        let (stop2, sent2) = (stop.clone(), sent.clone());
        std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((conn, _)) => {
                        let (b, stop, sent) = (behaviour.clone(), stop2.clone(), sent2.clone());
                        std::thread::spawn(move || serve(conn, b, &stop, &sent));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        HostileServer { port, stop, sent }
    }

    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Bytes written to clients so far.
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Reads the client's first bytes: up to the end of an HTTP head, or until it pauses.
fn read_first(conn: &mut TcpStream) {
    let _ = conn.set_read_timeout(Some(Duration::from_millis(200)));
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") && got.len() < 1 << 20 {
        match conn.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
}

fn serve(mut conn: TcpStream, b: Behaviour, stop: &AtomicBool, sent: &AtomicU64) {
    let hold = |conn: &mut TcpStream| {
        let _ = conn.set_read_timeout(Some(Duration::from_millis(100)));
        let mut buf = [0u8; 4096];
        while !stop.load(Ordering::Relaxed) {
            match conn.read(&mut buf) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(_) => return,
            }
        }
    };
    let write = |conn: &mut TcpStream, bytes: &[u8]| -> bool {
        let ok = conn.write_all(bytes).is_ok();
        if ok {
            sent.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
        ok
    };
    match b {
        Behaviour::Reply(bytes) => {
            read_first(&mut conn);
            write(&mut conn, &bytes);
            let _ = conn.shutdown(std::net::Shutdown::Write);
            // Let the client read the reply before the socket goes.
            std::thread::sleep(Duration::from_millis(200));
        }
        Behaviour::ReplyAndHold(bytes) => {
            read_first(&mut conn);
            write(&mut conn, &bytes);
            hold(&mut conn);
        }
        Behaviour::Silent => hold(&mut conn),
        Behaviour::Trickle(bytes, every) => {
            read_first(&mut conn);
            for byte in bytes {
                if stop.load(Ordering::Relaxed) || !write(&mut conn, &[byte]) {
                    return;
                }
                std::thread::sleep(every);
            }
            hold(&mut conn);
        }
        Behaviour::EndlessLine { prefix, fill } => {
            read_first(&mut conn);
            if !write(&mut conn, &prefix) {
                return;
            }
            let chunk = vec![fill; 64 * 1024];
            while !stop.load(Ordering::Relaxed) && write(&mut conn, &chunk) {}
        }
    }
}
