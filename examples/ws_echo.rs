//! A small WebSocket echo server for `bench/ws.sh` and for trying `aiwfe probe ws` by hand:
//! `cargo run --release --example ws_echo -- 127.0.0.1:9001`. Prints the address it listens
//! on, then echoes every text and binary message. Small buffers, so it can hold tens of
//! thousands of connections.

use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

fn main() -> std::io::Result<()> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".into());
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let socket = match addr.parse::<std::net::SocketAddr>() {
            Ok(std::net::SocketAddr::V6(_)) => tokio::net::TcpSocket::new_v6()?,
            _ => tokio::net::TcpSocket::new_v4()?,
        };
        socket.set_reuseaddr(true)?;
        socket.bind(addr.parse().map_err(std::io::Error::other)?)?;
        let listener = socket.listen(4096)?;
        println!("{}", listener.local_addr()?);
        let config = WebSocketConfig::default().read_buffer_size(4096).write_buffer_size(0);
        loop {
            let (tcp, _) = match listener.accept().await {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("accept: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            };
            let _ = tcp.set_nodelay(true);
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async_with_config(tcp, Some(config)).await else {
                    return;
                };
                while let Some(Ok(msg)) = ws.next().await {
                    let reply = match msg {
                        Message::Text(_) | Message::Binary(_) => msg,
                        _ => continue,
                    };
                    if ws.send(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    })
}
