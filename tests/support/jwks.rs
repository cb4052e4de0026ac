//! A JWKS server on a free loopback port (plain HTTP, or HTTPS with the `TestPki`
//! certificate): serves whatever body the test last set at any path, can be told to answer
//! 500 or to wait before answering, and counts the requests it answered. One request per
//! connection (`Connection: close`), one thread per connection; stops when dropped.

use super::TestPki;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Shared {
    body: Mutex<String>,
    fail: AtomicBool,
    delay_ms: AtomicU64,
    requests: AtomicUsize,
    stop: AtomicBool,
}

pub struct JwksServer {
    pub port: u16,
    tls: bool,
    shared: Arc<Shared>,
}

impl JwksServer {
    /// Plain HTTP on 127.0.0.1.
    pub fn start(body: &str) -> JwksServer {
        JwksServer::spawn(body, None)
    }

    /// HTTPS with `pki`'s `server.pem` (valid for `localhost`).
    pub fn start_tls(body: &str, pki: &TestPki) -> JwksServer {
        JwksServer::spawn(body, Some(server_config(pki)))
    }

    fn spawn(body: &str, tls: Option<Arc<rustls::ServerConfig>>) -> JwksServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("addr").port();
        let shared = Arc::new(Shared {
            body: Mutex::new(body.to_string()),
            fail: AtomicBool::new(false),
            delay_ms: AtomicU64::new(0),
            requests: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let s = shared.clone();
        let is_tls = tls.is_some();
        std::thread::spawn(move || {
            while !s.stop.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((tcp, _)) => {
                        let (s, tls) = (s.clone(), tls.clone());
                        std::thread::spawn(move || {
                            let _ = tcp.set_nonblocking(false);
                            let _ = tcp.set_read_timeout(Some(Duration::from_secs(10)));
                            match tls {
                                Some(cfg) => {
                                    let Ok(conn) = rustls::ServerConnection::new(cfg) else { return };
                                    serve(rustls::StreamOwned::new(conn, tcp), &s);
                                }
                                None => serve(tcp, &s),
                            }
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        JwksServer { port, tls: is_tls, shared }
    }

    /// `http://127.0.0.1:PORT/jwks.json`, or `https://localhost:PORT/jwks.json` with TLS.
    pub fn url(&self) -> String {
        if self.tls {
            format!("https://localhost:{}/jwks.json", self.port)
        } else {
            format!("http://127.0.0.1:{}/jwks.json", self.port)
        }
    }

    /// Serve this body from the next request on.
    pub fn set_body(&self, body: &str) {
        *self.shared.body.lock().expect("body lock") = body.to_string();
    }

    /// Answer `500 Internal Server Error` (true) or the body (false).
    pub fn fail(&self, fail: bool) {
        self.shared.fail.store(fail, Ordering::SeqCst);
    }

    /// Wait this long after reading a request before answering it.
    pub fn delay(&self, d: Duration) {
        self.shared.delay_ms.store(d.as_millis() as u64, Ordering::SeqCst);
    }

    /// Requests read so far (each counted before it is answered).
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }
}

fn serve(mut s: impl Read + Write, shared: &Shared) {
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
        if head.len() > 64 * 1024 {
            return;
        }
    }
    shared.requests.fetch_add(1, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(shared.delay_ms.load(Ordering::SeqCst)));
    let resp = if shared.fail.load(Ordering::SeqCst) {
        let body = "key service unavailable\n";
        format!(
            "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    } else {
        let body = shared.body.lock().map(|b| b.clone()).unwrap_or_default();
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/jwk-set+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let _ = s.write_all(resp.as_bytes());
    let _ = s.flush();
}

fn server_config(pki: &TestPki) -> Arc<rustls::ServerConfig> {
    super::ws::tls_server_config(&pki.path("server.pem"), &pki.path("server.key"))
}
