//! Keys from a JSON Web Key Set (RFC 7517) at `--jwks-url`: one small HTTP/1.1 GET (https
//! verified against the system roots or `--jwks-cacert`; http only to loopback) with a
//! timeout and a size limit, and the rules that turn a JWK into a verification key (the
//! JWK's `alg`, else inferred from `kty`/`crv`; `use` other than `sig` ignored; `kid`
//! required once there is more than one key). Refresh scheduling and single flight live in
//! `auth::Auth`, which owns the key set and the verdict cache.

use hyper::body::Bytes;
use jsonwebtoken::{Algorithm, DecodingKey};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long one fetch (connect, TLS, request, body) may take.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest key set accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Where the key set comes from and how often it is read again.
#[derive(Debug, Clone)]
pub struct JwksSource {
    /// `https://...`, or `http://` to a loopback host (checked by the config).
    pub url: String,
    /// PEM CA certificates to verify the server with instead of the system roots.
    pub cacert: Option<Vec<u8>>,
    /// Time between scheduled fetches.
    pub refresh: Duration,
    /// Least time between two fetches caused by tokens with an unknown `kid`.
    pub min_refresh: Duration,
}

/// The counters `jwks_fetches_total{result}` and the gauge `jwks_keys`.
#[derive(Clone, Default)]
pub struct JwksMetrics {
    pub fetches: Family<Vec<(&'static str, &'static str)>, Counter>,
    pub keys: Gauge,
}

/// One usable verification key.
#[derive(Clone)]
pub struct JwkKey {
    pub kid: Option<String>,
    pub alg: Algorithm,
    pub key: DecodingKey,
    /// `kid`, `alg` and the public key parameters: equal sets have equal fingerprints.
    pub fingerprint: String,
}

impl std::fmt::Debug for JwkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JwkKey({:?}, {:?})", self.kid, self.alg)
    }
}

/// Algorithms a key from a JWKS may be used with when `--algorithm` does not narrow them.
pub const ASYMMETRIC: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// `--algorithm` with a JWKS: a comma-separated allow-list of asymmetric algorithms.
pub fn parse_allow_list(s: Option<&str>) -> Result<Vec<Algorithm>, String> {
    let Some(s) = s else { return Ok(ASYMMETRIC.to_vec()) };
    let mut out = Vec::new();
    for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let alg = Algorithm::from_str(name).map_err(|_| format!("`{name}` is not a JWT algorithm (RS256, PS256, ES256, EdDSA, ...)"))?;
        if !ASYMMETRIC.contains(&alg) {
            return Err(format!(
                "keys from a JWKS are public keys: use RS*, PS*, ES256, ES384 or EdDSA, not {name}"
            ));
        }
        if !out.contains(&alg) {
            out.push(alg);
        }
    }
    if out.is_empty() {
        return Err("name at least one algorithm".into());
    }
    Ok(out)
}

/// The usable keys of a JWKS document and a note for every key left out. An error when the
/// document is not a key set or no key is usable.
pub fn parse_set(body: &[u8], allowed: &[Algorithm]) -> Result<(Vec<JwkKey>, Vec<String>), String> {
    let doc: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("the response is not JSON: {e}"))?;
    let Some(keys) = doc.get("keys").and_then(|k| k.as_array()) else {
        return Err("the response is not a JSON Web Key Set: it has no `keys` array".into());
    };
    let mut usable: Vec<JwkKey> = Vec::new();
    let mut notes = Vec::new();
    for (i, jwk) in keys.iter().enumerate() {
        let name = match jwk.get("kid").and_then(|k| k.as_str()) {
            Some(kid) => format!("key `{kid}`"),
            None => format!("key #{i}"),
        };
        match parse_key(jwk, allowed) {
            Ok(k) if k.kid.is_some() && usable.iter().any(|u| u.kid == k.kid) => {
                notes.push(format!("{name} ignored: another key has the same kid"))
            }
            Ok(k) => usable.push(k),
            Err(why) => notes.push(format!("{name} ignored: {why}")),
        }
    }
    if usable.len() > 1 {
        usable.retain(|k| {
            if k.kid.is_none() {
                notes.push(format!(
                    "a {:?} key without `kid` ignored: with more than one key each needs a kid",
                    k.alg
                ));
            }
            k.kid.is_some()
        });
    }
    if usable.is_empty() {
        let why = if notes.is_empty() {
            "the set is empty".to_string()
        } else {
            notes.join("; ")
        };
        return Err(format!("no usable signing key ({why})"));
    }
    Ok((usable, notes))
}

fn parse_key(jwk: &serde_json::Value, allowed: &[Algorithm]) -> Result<JwkKey, String> {
    let field = |name: &str| jwk.get(name).and_then(|v| v.as_str());
    if let Some(u) = jwk.get("use")
        && u.as_str() != Some("sig")
    {
        return Err(format!("`use` is {u}, not \"sig\""));
    }
    let kid = match jwk.get("kid") {
        None => None,
        Some(serde_json::Value::String(k)) => Some(k.clone()),
        Some(_) => return Err("`kid` is not a string".into()),
    };
    let kty = field("kty").ok_or("no `kty`")?;
    let crv = field("crv");
    let inferred = match (kty, crv) {
        ("RSA", _) => Algorithm::RS256,
        ("EC", Some("P-256")) => Algorithm::ES256,
        ("EC", Some("P-384")) => Algorithm::ES384,
        ("OKP", Some("Ed25519")) => Algorithm::EdDSA,
        ("oct", _) => return Err("symmetric (`oct`) keys are never taken from a key set".into()),
        ("EC" | "OKP", c) => return Err(format!("curve {c:?} is not supported")),
        (k, _) => return Err(format!("key type `{k}` is not supported")),
    };
    let alg = match jwk.get("alg") {
        None => inferred,
        Some(serde_json::Value::String(a)) => Algorithm::from_str(a).map_err(|_| format!("`alg` {a} is not supported"))?,
        Some(_) => return Err("`alg` is not a string".into()),
    };
    let fits = match kty {
        "RSA" => matches!(
            alg,
            Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 | Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512
        ),
        _ => alg == inferred,
    };
    if !fits {
        return Err(format!(
            "`alg` {alg:?} does not fit a {kty} key{}",
            crv.map(|c| format!(" on {c}")).unwrap_or_default()
        ));
    }
    if !allowed.contains(&alg) {
        return Err(format!("{alg:?} is not in --algorithm"));
    }
    let need = |name: &str| field(name).ok_or_else(|| format!("no `{name}`"));
    let (key, material) = match kty {
        "RSA" => {
            let (n, e) = (need("n")?, need("e")?);
            (DecodingKey::from_rsa_components(n, e), format!("n={n} e={e}"))
        }
        "EC" => {
            let (x, y) = (need("x")?, need("y")?);
            (DecodingKey::from_ec_components(x, y), format!("x={x} y={y}"))
        }
        _ => {
            let x = need("x")?;
            (DecodingKey::from_ed_components(x), format!("x={x}"))
        }
    };
    let key = key.map_err(|e| format!("the key parameters are invalid: {e}"))?;
    super::crypto::check_rsa_size(&key)?;
    Ok(JwkKey {
        fingerprint: format!("{kid:?} {alg:?} {kty} {material}"),
        kid,
        alg,
        key,
    })
}

/// Why a fetch is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Before the proxy listens: a failure is fatal.
    Initial,
    /// Every `--jwks-refresh`.
    Scheduled,
    /// A token named a `kid` the set does not have, checked when `finished()` was this.
    UnknownKey(u64),
}

/// The fetching side of a JWKS key source: one fetch at a time, on-demand fetches rate
/// limited, a failed fetch leaving the keys in use as they are.
pub struct Jwks {
    source: JwksSource,
    tls: Option<Arc<rustls::ClientConfig>>,
    allowed: Vec<Algorithm>,
    metrics: JwksMetrics,
    /// Fetches finished (ok or not): a waiter that sees it move knows a fetch happened.
    finished: AtomicU64,
    gate: tokio::sync::Mutex<Gate>,
}

#[derive(Default)]
struct Gate {
    last_on_demand: Option<Instant>,
    /// Sorted fingerprints of the keys in use.
    in_use: Vec<String>,
}

impl Jwks {
    pub fn new(source: JwksSource, allowed: Vec<Algorithm>, metrics: JwksMetrics) -> Result<Jwks, String> {
        let tls = if source.url.starts_with("https://") {
            let cfg =
                crate::tls::http_client(source.cacert.as_deref(), false).map_err(|e| format!("the JWKS server's CA certificates: {e}"))?;
            Some(Arc::new(cfg))
        } else {
            None
        };
        Ok(Jwks {
            source,
            tls,
            allowed,
            metrics,
            finished: AtomicU64::new(0),
            gate: tokio::sync::Mutex::new(Gate::default()),
        })
    }

    /// How many fetches have finished; read it before a check that may end in
    /// `refresh(Why::UnknownKey(seen))`.
    pub fn finished(&self) -> u64 {
        self.finished.load(Ordering::SeqCst)
    }

    /// Time between scheduled fetches.
    pub fn every(&self) -> Duration {
        self.source.refresh
    }

    /// Fetches the set and, when it differs from the keys in use, hands it to `install`.
    /// Concurrent callers wait (at most a fetch's timeout) for the fetch under way instead of
    /// starting their own; an unknown `kid` fetches at most once per `min_refresh`. On
    /// failure the keys in use stay and a warning is logged.
    pub async fn refresh(&self, why: Why, install: impl FnOnce(Vec<JwkKey>)) -> Result<(), String> {
        let mut gate = tokio::time::timeout(FETCH_TIMEOUT + Duration::from_secs(1), self.gate.lock())
            .await
            .map_err(|_| "waited too long for the key set fetch under way".to_string())?;
        if let Why::UnknownKey(seen) = why {
            // A fetch finished since the check: its keys are the answer.
            if self.finished.load(Ordering::SeqCst) != seen {
                return Ok(());
            }
            if gate.last_on_demand.is_some_and(|t| t.elapsed() < self.source.min_refresh) {
                return Ok(());
            }
            gate.last_on_demand = Some(Instant::now());
        }
        let url = crate::redact::url(&self.source.url);
        let r = match fetch(&self.source.url, self.tls.as_ref()).await {
            Ok(body) => parse_set(&body, &self.allowed),
            Err(e) => Err(e),
        };
        self.finished.fetch_add(1, Ordering::SeqCst);
        match r {
            Ok((keys, notes)) => {
                self.metrics.fetches.get_or_create(&vec![("result", "ok")]).inc();
                let mut fingerprints: Vec<String> = keys.iter().map(|k| k.fingerprint.clone()).collect();
                fingerprints.sort();
                if fingerprints != gate.in_use {
                    for n in &notes {
                        tracing::warn!("JWKS {url}: {n}");
                    }
                    let kids: Vec<String> = keys
                        .iter()
                        .map(|k| format!("{}:{:?}", k.kid.as_deref().unwrap_or("-"), k.alg))
                        .collect();
                    tracing::info!(
                        "JWKS {url}: {} key(s) in use ({}) after a {} fetch",
                        keys.len(),
                        kids.join(", "),
                        match why {
                            Why::Initial => "first",
                            Why::Scheduled => "scheduled",
                            Why::UnknownKey(_) => "unknown-kid",
                        }
                    );
                    self.metrics.keys.set(keys.len() as i64);
                    gate.in_use = fingerprints;
                    install(keys);
                }
                Ok(())
            }
            Err(e) => {
                self.metrics.fetches.get_or_create(&vec![("result", "error")]).inc();
                if why != Why::Initial {
                    tracing::warn!(
                        "cannot refresh the JWKS from {url}: {e}; still using the {} key(s) loaded before",
                        gate.in_use.len()
                    );
                }
                Err(format!("cannot load the JWKS from {url}: {e}"))
            }
        }
    }
}

/// Fetches the key set document: one GET, `FETCH_TIMEOUT`, at most `MAX_BODY_BYTES`, 200 only.
pub async fn fetch(url: &str, tls: Option<&Arc<rustls::ClientConfig>>) -> Result<Bytes, String> {
    tokio::time::timeout(FETCH_TIMEOUT, fetch_inner(url, tls))
        .await
        .map_err(|_| format!("no answer within {}s", FETCH_TIMEOUT.as_secs()))?
}

async fn fetch_inner(url: &str, tls: Option<&Arc<rustls::ClientConfig>>) -> Result<Bytes, String> {
    let u = url::Url::parse(url).map_err(|e| e.to_string())?;
    let req = crate::http::Request {
        method: hyper::Method::GET,
        url: &u,
        headers: vec![(hyper::header::ACCEPT, "application/jwk-set+json, application/json".into())],
        body: None,
        limit: MAX_BODY_BYTES,
    };
    let resp = crate::http::send(req, tls).await.map_err(|e| e.to_string())?;
    if resp.status != hyper::StatusCode::OK {
        return Err(format!("the server answered {}", resp.status));
    }
    Ok(resp.body)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    // RFC 7517 Appendix A.1 (EC P-256 and RSA public keys) and RFC 8037 A.2 (Ed25519).
    const EC: &str = r#"{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","kid":"1"}"#;
    const RSA: &str = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;
    const ED: &str = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

    fn set(keys: &[&str]) -> Vec<u8> {
        format!(r#"{{"keys":[{}]}}"#, keys.join(",")).into_bytes()
    }

    #[test]
    fn algorithm_is_the_jwks_alg_else_inferred_from_the_key_type() {
        let (keys, notes) = parse_set(&set(&[EC, RSA]), &ASYMMETRIC).unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(keys[0].alg, Algorithm::ES256);
        assert_eq!(keys[0].kid.as_deref(), Some("1"));
        assert_eq!(keys[1].alg, Algorithm::RS256);
        let (keys, _) = parse_set(&set(&[ED]), &ASYMMETRIC).unwrap();
        assert_eq!((keys[0].alg, keys[0].kid.clone()), (Algorithm::EdDSA, None));
        let ps = RSA.replace(r#""alg":"RS256""#, r#""alg":"PS384""#);
        assert_eq!(parse_set(&set(&[&ps]), &ASYMMETRIC).unwrap().0[0].alg, Algorithm::PS384);
        let no_alg = RSA.replace(r#""alg":"RS256","#, "");
        assert_eq!(parse_set(&set(&[&no_alg]), &ASYMMETRIC).unwrap().0[0].alg, Algorithm::RS256);
        let p384 = r#"{"kty":"EC","crv":"P-384","kid":"p","x":"iA7lWQLzVrKGEFjfGyfnMoxJ5WbfuuOAQTrszByMWjcQEHgXcTAK1AgOpl2KE5mH","y":"pQV1WZ9pUgAmu5gZk6tN1AYKYHOTlJprEMk9OwBG_TXl7YwoY9TOmOWb_31BEe5d"}"#;
        let (keys, notes) = parse_set(&set(&[p384]), &ASYMMETRIC).unwrap();
        assert_eq!(keys[0].alg, Algorithm::ES384, "{notes:?}");
    }

    #[test]
    fn keys_not_for_signatures_or_not_fitting_are_ignored_with_a_note() {
        let enc = EC.replace(r#""kid":"1""#, r#""kid":"1","use":"enc""#);
        let (keys, notes) = parse_set(&set(&[&enc, RSA]), &ASYMMETRIC).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid.as_deref(), Some("2011-04-29"));
        assert!(notes[0].contains("`use`"), "{notes:?}");
        let sig = EC.replace(r#""kid":"1""#, r#""kid":"1","use":"sig""#);
        assert_eq!(parse_set(&set(&[&sig]), &ASYMMETRIC).unwrap().0.len(), 1);
        // An EC key that claims RS256, an HMAC key, an unknown curve: none is usable.
        let confused = EC.replace(r#""kid":"1""#, r#""kid":"1","alg":"RS256""#);
        let oct = r#"{"kty":"oct","k":"c2VjcmV0","kid":"h"}"#;
        let p521 = r#"{"kty":"EC","crv":"P-521","x":"AA","y":"AA","kid":"q"}"#;
        let err = parse_set(&set(&[&confused, oct, p521]), &ASYMMETRIC).unwrap_err();
        assert!(err.contains("no usable signing key"), "{err}");
        assert!(err.contains("does not fit"), "{err}");
        assert!(err.contains("symmetric"), "{err}");
        // The allow-list narrows what is usable.
        let (keys, notes) = parse_set(&set(&[EC, RSA]), &[Algorithm::ES256]).unwrap();
        assert_eq!(keys.len(), 1);
        assert!(notes[0].contains("--algorithm"), "{notes:?}");
    }

    #[test]
    fn kid_is_required_once_the_set_has_more_than_one_key() {
        let (keys, notes) = parse_set(&set(&[ED, RSA]), &ASYMMETRIC).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid.as_deref(), Some("2011-04-29"));
        assert!(notes[0].contains("without `kid`"), "{notes:?}");
        // Alone, a key needs no kid.
        assert_eq!(parse_set(&set(&[ED]), &ASYMMETRIC).unwrap().0.len(), 1);
        let dup = EC.replace(r#""kid":"1""#, r#""kid":"2011-04-29""#);
        let (keys, notes) = parse_set(&set(&[RSA, &dup]), &ASYMMETRIC).unwrap();
        assert_eq!(keys.len(), 1);
        assert!(notes[0].contains("same kid"), "{notes:?}");
    }

    #[test]
    fn documents_that_are_not_key_sets_are_errors() {
        assert!(parse_set(b"<html>", &ASYMMETRIC).unwrap_err().contains("not JSON"));
        assert!(parse_set(b"{}", &ASYMMETRIC).unwrap_err().contains("no `keys` array"));
        assert!(parse_set(br#"{"keys":[]}"#, &ASYMMETRIC).unwrap_err().contains("the set is empty"));
    }

    #[test]
    fn allow_list_takes_public_key_algorithms_only() {
        assert_eq!(parse_allow_list(None).unwrap().len(), ASYMMETRIC.len());
        assert_eq!(
            parse_allow_list(Some("RS256, EdDSA,RS256")).unwrap(),
            vec![Algorithm::RS256, Algorithm::EdDSA]
        );
        assert!(parse_allow_list(Some("HS256")).unwrap_err().contains("public keys"));
        assert!(parse_allow_list(Some("none")).is_err());
        assert!(parse_allow_list(Some(",")).is_err());
    }

    /// A loopback server that answers every connection with `resp`, or never when `None`.
    async fn serve_once(resp: Option<Vec<u8>>) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                let resp = resp.clone();
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = tcp.read(&mut buf).await;
                    match resp {
                        Some(r) => {
                            let _ = tcp.write_all(&r).await;
                        }
                        None => tokio::time::sleep(Duration::from_secs(60)).await,
                    }
                });
            }
        });
        format!("http://127.0.0.1:{port}/jwks.json")
    }

    #[tokio::test]
    async fn fetch_refuses_oversized_bodies_and_other_statuses_and_gives_up_in_time() {
        let big = format!(r#"{{"keys":[],"pad":"{}"}}"#, "x".repeat(MAX_BODY_BYTES));
        let resp = format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{big}", big.len());
        let err = fetch(&serve_once(Some(resp.into_bytes())).await, None).await.unwrap_err();
        assert!(err.contains("at most"), "{err}");
        let chunked = format!(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
            big.len()
        );
        let err = fetch(&serve_once(Some(chunked.into_bytes())).await, None).await.unwrap_err();
        assert!(err.contains("at most"), "{err}");
        let ok = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"keys\":[]}";
        let body = fetch(&serve_once(Some(ok.as_bytes().to_vec())).await, None).await.unwrap();
        assert_eq!(&body[..], br#"{"keys":[]}"#);
        let moved = "HTTP/1.1 302 Found\r\nLocation: http://elsewhere/\r\nContent-Length: 0\r\n\r\n";
        let err = fetch(&serve_once(Some(moved.as_bytes().to_vec())).await, None).await.unwrap_err();
        assert!(err.contains("302"), "{err}");
        let started = std::time::Instant::now();
        let err = fetch(&serve_once(None).await, None).await.unwrap_err();
        assert!(err.contains("no answer within 5s"), "{err}");
        assert!(started.elapsed() < FETCH_TIMEOUT + Duration::from_secs(2));
    }
}
