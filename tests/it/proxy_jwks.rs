//! `aiwfe proxy --jwks-url` as a user runs it: the real binary, a real JWKS server
//! (`support::jwks`, HTTP or HTTPS) whose key set the tests swap, a real WebSocket echo
//! upstream. Keys are made with `openssl`, tokens signed with jsonwebtoken.

use crate::proxy::{Proxy, connect, echo, metric, now, openssl, sign};
use crate::support::jwks::JwksServer;
use crate::support::ws::*;
use crate::support::*;
use jsonwebtoken::{Algorithm, EncodingKey};
use std::time::Duration;

/// A private key, its `kid` and algorithm, and its public JWK.
struct SigningKey {
    kid: String,
    alg: Algorithm,
    key: EncodingKey,
    jwk: serde_json::Value,
}

impl SigningKey {
    /// A new key made by `openssl genpkey`; `with_alg: false` leaves `alg` out of the JWK so
    /// the proxy has to infer it.
    fn new(dir: &std::path::Path, kid: &str, alg: Algorithm, with_alg: bool) -> SigningKey {
        let path = dir.join(format!("{kid}.key"));
        let p = path.to_str().unwrap();
        match alg {
            Algorithm::RS256 => openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", p]),
            Algorithm::ES256 => openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", p]),
            Algorithm::EdDSA => openssl(&["genpkey", "-algorithm", "ed25519", "-out", p]),
            other => panic!("no key for {other:?}"),
        }
        let pem = std::fs::read(&path).unwrap();
        let key = match alg {
            Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem),
            Algorithm::ES256 => EncodingKey::from_ec_pem(&pem),
            _ => EncodingKey::from_ed_pem(&pem),
        }
        .unwrap();
        let mut jwk = serde_json::to_value(jsonwebtoken::jwk::Jwk::from_encoding_key(&key, alg).unwrap()).unwrap();
        jwk["kid"] = kid.into();
        jwk["use"] = "sig".into();
        if !with_alg {
            jwk.as_object_mut().unwrap().remove("alg");
        }
        SigningKey {
            kid: kid.into(),
            alg,
            key,
            jwk,
        }
    }

    /// A token for `sub`, valid for an hour, with this key's `kid` and `alg`.
    fn token(&self, sub: &str) -> String {
        sign(
            &format!(r#"{{"alg":"{:?}","typ":"JWT","kid":"{}"}}"#, self.alg, self.kid),
            &format!(r#"{{"sub":"{sub}","exp":{}}}"#, now() + 3600),
            &self.key,
            self.alg,
        )
    }
}

/// The JWKS document holding these keys.
fn key_set(keys: &[&SigningKey]) -> String {
    serde_json::json!({ "keys": keys.iter().map(|k| k.jwk.clone()).collect::<Vec<_>>() }).to_string()
}

fn start_proxy(upstream_port: u16, jwks_url: &str, extra: &[&str]) -> Proxy {
    let mut args = vec!["--jwks-url".to_string(), jwks_url.to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    Proxy::start_with(upstream_port, &args, tempfile::tempdir().unwrap())
}

/// The status line of an upgrade through the proxy with `token` in the Authorization header.
fn upgrade(proxy: &Proxy, token: &str) -> String {
    let head = proxy.upgrade("/ws", &format!("Authorization: Bearer {token}\r\n"));
    head.lines().next().unwrap_or_default().to_string()
}

/// A metric's value, 0 when the family has no such line yet.
fn metric_or_zero(text: &str, name: &str) -> f64 {
    if text.lines().any(|l| l.starts_with(&format!("{name} "))) {
        metric(text, name)
    } else {
        0.0
    }
}

const OK: &str = "jwks_fetches_total{result=\"ok\"}";
const ERR: &str = "jwks_fetches_total{result=\"error\"}";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rs256_es256_and_eddsa_tokens_from_an_https_jwks_reach_the_upstream() {
    let dir = tempfile::tempdir().unwrap();
    let rsa = SigningKey::new(dir.path(), "rsa-1", Algorithm::RS256, true);
    let ec = SigningKey::new(dir.path(), "ec-1", Algorithm::ES256, false);
    let ed = SigningKey::new(dir.path(), "ed-1", Algorithm::EdDSA, false);
    let pki = TestPki::new();
    let jwks = JwksServer::start_tls(&key_set(&[&rsa, &ec, &ed]), &pki);
    let up = WsServer::start(WsBehaviour::default());
    let proxy = start_proxy(up.port, &jwks.url(), &["--jwks-cacert", pki.path("ca.pem").to_str().unwrap()]);

    for (key, text) in [(&rsa, "rs256"), (&ec, "es256 inferred"), (&ed, "eddsa inferred")] {
        let (mut ws, _) = connect(&proxy.url("/ws"), &[("authorization", format!("Bearer {}", key.token("u1")))]).await;
        echo(&mut ws, text).await;
    }
    assert_eq!(up.requests().len(), 3);

    // The EC key's token presented as the RSA key's (kid rsa-1, alg ES256): algorithm mismatch.
    let confused = sign(
        r#"{"alg":"ES256","kid":"rsa-1"}"#,
        &format!(r#"{{"sub":"u1","exp":{}}}"#, now() + 600),
        &ec.key,
        Algorithm::ES256,
    );
    let head = proxy.upgrade("/ws", &format!("Authorization: Bearer {confused}\r\n"));
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
    assert!(head.contains("algorithm"), "{head}");
    // A kid the set does not have: one on-demand fetch, then refused.
    let stranger = SigningKey::new(dir.path(), "ed-9", Algorithm::EdDSA, true);
    let head = proxy.upgrade("/ws", &format!("Authorization: Bearer {}\r\n", stranger.token("u1")));
    assert!(head.contains("unknown_key"), "{head}");
    assert_eq!(up.requests().len(), 3, "refused tokens never reach the upstream");

    let m = proxy.get("/metrics");
    assert_eq!(jwks.requests(), 2, "the fetch before listening and one for the unknown kid");
    assert_eq!(metric(&m, OK), 2.0, "{m}");
    assert_eq!(metric(&m, "jwks_keys"), 3.0, "{m}");
    assert!(!m.contains("jwks_keys_total"), "{m}");
    assert!(proxy.get("/readyz").starts_with("HTTP/1.1 200"));
}

#[test]
fn rotation_on_an_unknown_kid_is_picked_up_and_flushes_cached_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let a = SigningKey::new(dir.path(), "a", Algorithm::EdDSA, true);
    let b = SigningKey::new(dir.path(), "b", Algorithm::RS256, true);
    let jwks = JwksServer::start(&key_set(&[&a]));
    let up = WsServer::start(WsBehaviour::default());
    let proxy = start_proxy(up.port, &jwks.url(), &["--jwks-min-refresh", "200ms"]);
    assert_eq!(jwks.requests(), 1, "one fetch before listening");

    let (ta, tb) = (a.token("alice"), b.token("bob"));
    assert!(upgrade(&proxy, &ta).starts_with("HTTP/1.1 101"));
    assert!(upgrade(&proxy, &ta).starts_with("HTTP/1.1 101"), "cached");
    // b is not published yet: refused after one on-demand fetch that found nothing new.
    let head = proxy.upgrade("/ws", &format!("Authorization: Bearer {tb}\r\n"));
    assert!(head.contains("401") && head.contains("unknown_key"), "{head}");
    assert_eq!(jwks.requests(), 2);

    // Rotation: a is retired, b published. No restart.
    jwks.set_body(&key_set(&[&b]));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        upgrade(&proxy, &tb).starts_with("HTTP/1.1 101"),
        "the new kid is fetched and accepted"
    );
    assert_eq!(jwks.requests(), 3);
    // a's verdict was cached as valid; the rotation flushed it.
    let head = proxy.upgrade("/ws", &format!("Authorization: Bearer {ta}\r\n"));
    assert!(head.starts_with("HTTP/1.1 401") && head.contains("unknown_key"), "{head}");

    let m = proxy.get("/metrics");
    assert_eq!(metric(&m, "jwks_keys"), 1.0, "{m}");
    assert!(metric(&m, OK) >= 3.0, "{m}");
    assert_eq!(metric_or_zero(&m, ERR), 0.0, "{m}");
}

#[test]
fn concurrent_handshakes_with_an_unknown_kid_share_one_fetch() {
    let dir = tempfile::tempdir().unwrap();
    let a = SigningKey::new(dir.path(), "a", Algorithm::EdDSA, true);
    let b = SigningKey::new(dir.path(), "b", Algorithm::EdDSA, true);
    let jwks = JwksServer::start(&key_set(&[&a]));
    let up = WsServer::start(WsBehaviour::default());
    // No rate limit to speak of: only single flight can keep this to one fetch.
    let proxy = std::sync::Arc::new(start_proxy(up.port, &jwks.url(), &["--jwks-min-refresh", "1ms"]));
    assert_eq!(jwks.requests(), 1);

    jwks.set_body(&key_set(&[&a, &b]));
    jwks.delay(Duration::from_millis(500));
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(20));
    let handles: Vec<_> = (0..20)
        .map(|i| {
            // A different token each: no handshake is answered from another's cache entry.
            let token = b.token(&format!("user-{i}"));
            let (proxy, barrier) = (proxy.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                upgrade(&proxy, &token)
            })
        })
        .collect();
    for h in handles {
        let status = h.join().unwrap();
        assert!(status.starts_with("HTTP/1.1 101"), "each handshake waited for the fetch: {status}");
    }
    assert_eq!(jwks.requests(), 2, "20 handshakes with an unknown kid caused exactly one fetch");
    let m = proxy.get("/metrics");
    assert_eq!(metric(&m, OK), 2.0, "{m}");
    assert_eq!(metric(&m, "jwks_keys"), 2.0, "{m}");
}

#[test]
fn stale_keys_are_served_while_the_jwks_server_fails_and_scheduled_refresh_rotates() {
    let dir = tempfile::tempdir().unwrap();
    let a = SigningKey::new(dir.path(), "a", Algorithm::ES256, true);
    let b = SigningKey::new(dir.path(), "b", Algorithm::ES256, false);
    let jwks = JwksServer::start(&key_set(&[&a]));
    let up = WsServer::start(WsBehaviour::default());
    let proxy = start_proxy(up.port, &jwks.url(), &["--jwks-refresh", "300ms", "--jwks-min-refresh", "1h"]);
    assert!(upgrade(&proxy, &a.token("first")).starts_with("HTTP/1.1 101"));

    jwks.fail(true);
    wait_until("two failed scheduled fetches", Duration::from_secs(10), || {
        metric_or_zero(&proxy.get("/metrics"), ERR) >= 2.0
    });
    // A token not seen before is verified against the keys loaded before the failures.
    assert!(upgrade(&proxy, &a.token("during-outage")).starts_with("HTTP/1.1 101"));
    let head = proxy.upgrade("/ws", &format!("Authorization: Bearer {}\r\n", b.token("early")));
    assert!(head.starts_with("HTTP/1.1 401") && head.contains("unknown_key"), "{head}");
    assert!(proxy.get("/readyz").starts_with("HTTP/1.1 200"), "stale keys keep the proxy ready");
    assert_eq!(metric(&proxy.get("/metrics"), "jwks_keys"), 1.0);

    // The server recovers with a rotated set; the schedule picks it up (min-refresh is 1h,
    // so no token causes a fetch).
    jwks.set_body(&key_set(&[&b]));
    jwks.fail(false);
    let tb = b.token("after");
    wait_until("the rotated key to be accepted", Duration::from_secs(10), || {
        upgrade(&proxy, &tb).starts_with("HTTP/1.1 101")
    });
    let head = proxy.upgrade("/ws", &format!("Authorization: Bearer {}\r\n", a.token("retired")));
    assert!(head.starts_with("HTTP/1.1 401"), "{head}");
}

#[test]
fn a_jwks_that_cannot_be_loaded_exits_2_and_says_what_to_do() {
    let proxy = |args: &[&str]| {
        run(aiwfe()
            .args(["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:1"])
            .args(args))
    };
    let check = |out: &std::process::Output, want: &[&str]| {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        for w in want {
            assert!(err.contains(w), "`{w}` missing in: {err}");
        }
    };
    let closed = dead_port();
    let nothing = format!("http://127.0.0.1:{}/jwks.json", closed.port);
    check(
        &proxy(&["--jwks-url", &nothing]),
        &["--jwks-url", "cannot load the JWKS", "cannot connect", "JSON Web Key Set"],
    );

    let jwks = JwksServer::start(r#"{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"h"}]}"#);
    check(&proxy(&["--jwks-url", &jwks.url()]), &["no usable signing key", "symmetric"]);
    jwks.set_body("<html>sign in</html>");
    check(&proxy(&["--jwks-url", &jwks.url()]), &["not JSON"]);
    jwks.fail(true);
    check(&proxy(&["--jwks-url", &jwks.url()]), &["answered 500"]);

    // https to a server whose CA is not trusted: the system roots do not vouch for it.
    let pki = TestPki::new();
    let dir = tempfile::tempdir().unwrap();
    let ed = SigningKey::new(dir.path(), "ed", Algorithm::EdDSA, true);
    let tls = JwksServer::start_tls(&key_set(&[&ed]), &pki);
    check(&proxy(&["--jwks-url", &tls.url()]), &["TLS handshake", "--jwks-cacert"]);

    check(
        &proxy(&["--jwks-url", "http://keys.example.com/jwks.json"]),
        &["--jwks-url", "use https://"],
    );
    check(&proxy(&["--jwks-url", &tls.url(), "--algorithm", "HS256"]), &["public keys"]);
    let secret = dir.path().join("s");
    std::fs::write(&secret, "k").unwrap();
    check(
        &proxy(&["--jwks-url", &tls.url(), "--jwt-secret-file", secret.to_str().unwrap()]),
        &["cannot be used with"],
    );
    let s = secret.to_str().unwrap();
    check(
        &proxy(&["--jwt-secret-file", s, "--jwks-refresh", "1m"]),
        &["--jwks-refresh", "applies to --jwks-url only"],
    );
    check(
        &proxy(&["--jwt-secret-file", s, "--jwks-cacert", s]),
        &["--jwks-cacert", "applies to --jwks-url only"],
    );
    check(
        &proxy(&["--jwks-url", &tls.url(), "--jwks-cacert", s]),
        &["--jwks-cacert", "no PEM certificate"],
    );
}
