//! permessage-deflate through `aiwfe proxy`: offers and answers pass unchanged between real
//! Python `websockets` peers, compressed messages are relayed as they are, and RSV1 is
//! refused where nothing was negotiated.

use crate::proxy::*;
use crate::support::ws::*;
use crate::support::*;
use std::time::Duration;

/// An echo server that, asked `?extensions`, answers with what it negotiated and the
/// `Sec-WebSocket-Extensions` offer it received.
const REPORTING_SERVER: &str = r#"
import asyncio, json
from websockets.asyncio.server import serve

async def handler(ws):
    async for m in ws:
        if m == "?extensions":
            await ws.send(json.dumps({
                "negotiated": [e.name for e in ws.protocol.extensions],
                "offer": ws.request.headers.get("Sec-WebSocket-Extensions"),
            }))
        else:
            await ws.send(m)

async def main():
    async with serve(handler, "127.0.0.1", 0, max_size=2**21) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await asyncio.get_running_loop().create_future()

asyncio.run(main())
"#;

/// Connects with `compression` (`deflate`, `none`, or `params`: deflate with explicit
/// parameters), asks the server what it negotiated, then round-trips text and binary
/// messages of 1 KiB to 1 MiB; prints one JSON line.
const CLIENT: &str = r#"
import asyncio, json, random, string, sys
from websockets.asyncio.client import connect
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

async def main(url, token, mode):
    kw = {"compression": "deflate" if mode == "deflate" else None}
    if mode == "params":
        kw["extensions"] = [ClientPerMessageDeflateFactory(
            server_no_context_takeover=True, client_no_context_takeover=True, client_max_window_bits=10)]
    async with connect(url, additional_headers={"Authorization": "Bearer " + token}, max_size=2**21, **kw) as ws:
        await ws.send("?extensions")
        server = json.loads(await ws.recv())
        rng = random.Random(13)
        ok = []
        for size in [1024, 16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024]:
            text = "".join(rng.choices(string.ascii_letters + string.digits, k=size))
            for m in [text, text.encode()]:
                await ws.send(m)
                if await ws.recv() == m:
                    ok.append(size)
        print(json.dumps({
            "client": [e.name for e in ws.protocol.extensions],
            "offer": ws.request.headers.get("Sec-WebSocket-Extensions"),
            "answer": ws.response.headers.get("Sec-WebSocket-Extensions"),
            "server": server,
            "ok": ok,
        }))

asyncio.run(main(*sys.argv[1:]))
"#;

fn python_client(url: &str, token: &str, mode: &str) -> serde_json::Value {
    let out = run(std::process::Command::new("python3").args(["-c", CLIENT, url, token, mode]));
    assert!(out.status.success(), "{mode}: {}", stderr(&out));
    serde_json::from_str(stdout(&out).trim()).unwrap()
}

#[test]
fn permessage_deflate_passes_through_between_python_client_and_server() {
    let up = PyWsServer::with_script(REPORTING_SERVER);
    let proxy = Proxy::start(up.port, &[]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let all = serde_json::json!([1024, 1024, 16384, 16384, 65536, 65536, 262144, 262144, 1048576, 1048576]);

    let r = python_client(&proxy.url("/"), &token, "deflate");
    assert_eq!(r["client"], serde_json::json!(["permessage-deflate"]), "{r}");
    assert_eq!(r["server"]["negotiated"], serde_json::json!(["permessage-deflate"]), "{r}");
    assert_eq!(r["server"]["offer"], r["offer"], "the offer reaches the upstream unchanged: {r}");
    assert!(r["answer"].as_str().unwrap().starts_with("permessage-deflate"), "{r}");
    assert_eq!(r["ok"], all, "every message round-trips intact: {r}");

    // Parameters pass as they are, both ways.
    let r = python_client(&proxy.url("/"), &token, "params");
    assert_eq!(r["server"]["offer"], r["offer"], "{r}");
    let offer = r["offer"].as_str().unwrap();
    assert!(
        offer.contains("server_no_context_takeover") && offer.contains("client_max_window_bits=10"),
        "{r}"
    );
    assert!(r["answer"].as_str().unwrap().contains("server_no_context_takeover"), "{r}");
    assert_eq!(r["server"]["negotiated"], serde_json::json!(["permessage-deflate"]), "{r}");
    assert_eq!(r["ok"], all, "{r}");

    // A client that offers nothing gets nothing, and the upstream is offered nothing.
    let r = python_client(&proxy.url("/"), &token, "none");
    assert_eq!(r["client"], serde_json::json!([]), "{r}");
    assert_eq!(r["server"]["negotiated"], serde_json::json!([]), "{r}");
    assert!(r["server"]["offer"].is_null() && r["answer"].is_null(), "{r}");
    assert_eq!(r["ok"], all, "{r}");
}

#[test]
fn rsv1_without_negotiation_is_refused_with_1002() {
    // tungstenite's server negotiates no extension.
    let up = WsServer::start(WsBehaviour::default());
    let proxy = Proxy::start(up.port, &[]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let mut raw = RawClient::open(proxy.port, &token);
    raw.send(1, b"fine", true);
    assert_eq!(raw.frame(Duration::from_secs(5)), Some((1, b"fine".to_vec())));
    // A text frame claiming to be compressed: RSV1 set.
    raw.send(0x40 | 1, b"forged", true);
    let (op, payload) = raw.frame(Duration::from_secs(5)).expect("a close frame");
    assert_eq!((op, close_payload_code(&payload)), (8, 1002));
    assert_eq!(&payload[2..], b"protocol error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extension_the_client_did_not_offer_is_refused_with_502() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let _ = accept_upgrade_with(&listener, "Sec-WebSocket-Extensions: permessage-deflate\r\n", b"").await;
        }
    });
    let proxy = Proxy::start(port, &[]);
    let token = hs256(&format!(r#"{{"exp":{}}}"#, now() + 3600));
    let bearer = format!("Authorization: Bearer {token}\r\n");
    let head = tokio::task::spawn_blocking(move || proxy.upgrade("/ws", &bearer)).await.unwrap();
    assert!(head.starts_with("HTTP/1.1 502"), "{head}");
}
