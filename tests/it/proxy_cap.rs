//! `aiwfe proxy` under too many clients: the connection cap (503 with Retry-After, health
//! and metrics still answering) and the header timeout for sockets that never send a request.

use crate::proxy::*;
use crate::support::ws::*;
use crate::support::*;
use std::io::Read;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_cap_upgrades_get_503_while_healthz_and_metrics_answer() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &["--max-connections", "50"]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let auth = [("authorization", format!("Bearer {token}"))];
    let mut open = Vec::new();
    for _ in 0..50 {
        open.push(connect(&proxy.url("/ws"), &auth).await.0);
    }
    echo(&mut open[49], "the 50th").await;
    let port = proxy.port;
    let bearer = format!("Authorization: Bearer {token}\r\n");
    let (head, health, metrics) = tokio::task::spawn_blocking(move || {
        let head = http(port, &upgrade_request("/ws", &bearer)).unwrap();
        let get = |p: &str| http(port, &format!("GET {p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).unwrap();
        (head, get("/healthz"), get("/metrics"))
    })
    .await
    .unwrap();
    assert!(head.starts_with("HTTP/1.1 503"), "the 51st: {head}");
    assert!(head.to_ascii_lowercase().contains("retry-after: 5"), "{head}");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert_eq!(metric(&metrics, "ws_max_connections"), 50.0, "{metrics}");
    assert_eq!(
        metric(&metrics, "ws_upgrades_refused_total{reason=\"max_connections\"}"),
        1.0,
        "{metrics}"
    );
    assert_eq!(metric(&metrics, "ws_active_connections"), 50.0, "{metrics}");
    assert_eq!(up.requests().len(), 50, "the refused upgrade never reached the upstream");

    // Once one leaves, the next gets in.
    let mut first = open.remove(0);
    first.close(None).await.unwrap();
    drop(first);
    let bearer = format!("Authorization: Bearer {token}\r\n");
    tokio::task::spawn_blocking(move || {
        wait_until("a slot to free up", Duration::from_secs(10), || {
            http(port, &upgrade_request("/ws", &bearer)).is_some_and(|h| h.starts_with("HTTP/1.1 101"))
        })
    })
    .await
    .unwrap();
    echo(&mut open[0], "still relayed").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_silent_sockets_are_closed_after_the_header_timeout_and_the_proxy_keeps_serving() {
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &["--header-timeout", "3s"]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let fds = || std::fs::read_dir(format!("/proc/{}/fd", proxy.child.id())).unwrap().count();
    let port = proxy.port;
    let started = Instant::now();
    // 2,000 TCP connections that never send a byte.
    let mut silent: Vec<std::net::TcpStream> = tokio::task::spawn_blocking(move || {
        (0..2000)
            .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
            .collect()
    })
    .await
    .unwrap();
    wait_until("the proxy to accept them all", Duration::from_secs(10), || fds() >= 2000);
    // While they hang, the proxy answers and relays.
    assert!(proxy.get("/healthz").starts_with("HTTP/1.1 200"));
    let (mut ws, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
    echo(&mut ws, "among the silent").await;
    let closed = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut closed = 0;
        for s in &mut silent {
            s.set_read_timeout(Some(
                deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(1)),
            ))
            .unwrap();
            let mut b = [0u8; 64];
            // End of stream (or a reset): the proxy closed it. A timeout means it did not.
            match s.read(&mut b) {
                Ok(0) => closed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => closed += 1,
                _ => {}
            }
        }
        closed
    })
    .await
    .unwrap();
    assert_eq!(closed, 2000, "every silent socket is closed");
    assert!(started.elapsed() >= Duration::from_secs(3), "closed before the header timeout");
    wait_until("the proxy to let the sockets go", Duration::from_secs(10), || fds() < 100);
    let m = proxy.get("/metrics");
    assert!(metric(&m, "header_timeouts_total") >= 2000.0, "{m}");
    assert_eq!(metric(&m, "accept_errors_total"), 0.0, "{m}");
    echo(&mut ws, "after the timeouts").await;
    let (mut again, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {token}"))]).await;
    echo(&mut again, "a new one").await;
}
