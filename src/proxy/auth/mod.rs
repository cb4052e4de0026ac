//! Who may pass: JWT verification with the rules the proxy promises (one algorithm per
//! key, `exp` required, no `crit`, size and base64 limits, no key URLs fetched), and the
//! cache that makes a repeated check cost microseconds instead of a signature check.
//! Keys come from a secret, a PEM public key or a JWKS (`super::jwks`); a token's `kid`
//! selects the key and its `alg` must be that key's one algorithm.

use super::jwks::{JwkKey, Jwks, JwksMetrics, JwksSource};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sha2::{Digest, Sha256};
use std::str::FromStr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Tokens longer than this are refused before any parsing.
pub const MAX_TOKEN_BYTES: usize = 8 * 1024;
/// How long a refused token stays refused without a new check.
pub const NEGATIVE_TTL: Duration = Duration::from_secs(5);

/// The verification key as configured.
#[derive(Clone)]
pub enum KeyMaterial {
    /// HMAC secret (HS256/384/512).
    Secret(Vec<u8>),
    /// PEM public key (RS*, PS*, ES*, EdDSA).
    PublicKeyPem(Vec<u8>),
    /// Public keys from a JSON Web Key Set, fetched and refreshed.
    Jwks(JwksSource),
}

impl std::fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyMaterial::Secret(s) => write!(f, "Secret(sha256:{})", crate::redact::fingerprint(&String::from_utf8_lossy(s))),
            KeyMaterial::PublicKeyPem(_) => write!(f, "PublicKeyPem"),
            KeyMaterial::Jwks(s) => write!(f, "Jwks({})", crate::redact::url(&s.url)),
        }
    }
}

/// What a token must satisfy.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub key: KeyMaterial,
    /// The one algorithm the key is used with; `None`: HS256 for a secret, RS256 for an
    /// RSA key, ES256 for an EC key, EdDSA for an Ed25519 key. With a JWKS: the
    /// comma-separated algorithms its keys may have (`None`: every public-key algorithm).
    pub algorithm: Option<String>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    pub leeway: Duration,
    pub cache_size: u64,
    pub cache_ttl: Duration,
    /// Claims passed to the upstream as `X-Auth-Claim-<name>` headers.
    pub forward_claims: Vec<String>,
}

/// Why a token was refused; the label of `auth_failures_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    Missing,
    TooLarge,
    Malformed,
    Algorithm,
    Crit,
    Signature,
    Expired,
    NotYetValid,
    Issuer,
    Audience,
    MissingClaim,
    /// No key with the token's `kid` (or no `kid` where the key set needs one).
    UnknownKey,
    /// Its `jti` is in the revocation set.
    Revoked,
}

impl Reject {
    pub const ALL: [Reject; 13] = [
        Reject::Missing,
        Reject::TooLarge,
        Reject::Malformed,
        Reject::Algorithm,
        Reject::Crit,
        Reject::Signature,
        Reject::Expired,
        Reject::NotYetValid,
        Reject::Issuer,
        Reject::Audience,
        Reject::MissingClaim,
        Reject::UnknownKey,
        Reject::Revoked,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Reject::Missing => "missing",
            Reject::TooLarge => "too_large",
            Reject::Malformed => "malformed",
            Reject::Algorithm => "algorithm",
            Reject::Crit => "crit",
            Reject::Signature => "signature",
            Reject::Expired => "expired",
            Reject::NotYetValid => "not_yet_valid",
            Reject::Issuer => "issuer",
            Reject::Audience => "audience",
            Reject::MissingClaim => "missing_claim",
            Reject::UnknownKey => "unknown_key",
            Reject::Revoked => "revoked",
        }
    }
}

/// One key with the one algorithm it is used with.
struct Key {
    /// `None` (a configured key, or the only key of a set): any `kid` selects it.
    kid: Option<String>,
    alg: Algorithm,
    alg_name: String,
    key: DecodingKey,
    validation: Validation,
}

/// The keys in use; `generation` changes whenever they do.
struct KeySet {
    generation: u64,
    keys: Vec<Key>,
}

/// Verifies tokens against a key set, each key with one algorithm; no cache, no I/O.
pub struct Verifier {
    keys: RwLock<Arc<KeySet>>,
    /// The claim rules (`exp`, `nbf`, `iss`, `aud`); each key sets its algorithm.
    validation: Validation,
    /// Header `alg` values that may select a key at all.
    accept: Vec<String>,
    /// Claims forwarded upstream.
    forward: Vec<String>,
}

/// What a valid token lets through: when it expires, its `jti`, and the headers its
/// claims give the upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pass {
    pub exp: u64,
    pub jti: Option<String>,
    /// `(header name, value)` for each forwarded claim the token has.
    pub headers: Vec<(String, Vec<u8>)>,
}

/// The header that carries a forwarded claim.
pub fn claim_header(claim: &str) -> String {
    format!("X-Auth-Claim-{claim}")
}

/// A claim as a header value: strings as they are, arrays joined with commas, anything
/// else as compact JSON; `None` when it cannot be a header value.
fn claim_value(v: &serde_json::Value) -> Option<Vec<u8>> {
    let one = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let text = match v {
        serde_json::Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(","),
        v => one(v),
    };
    (!text.bytes().any(|b| b.is_ascii_control())).then(|| text.into_bytes())
}

/// What key selection reads from a token's header.
struct Header {
    alg: Option<String>,
    kid: Option<String>,
    crit: bool,
}

/// What kind of private key a PEM holds, if it holds one.
fn private_key_pem(pem: &[u8]) -> Option<&'static str> {
    let text = String::from_utf8_lossy(pem);
    let label = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("-----BEGIN ")?.strip_suffix("-----"))?;
    match label {
        "PRIVATE KEY" => Some("private key (PKCS#8)"),
        "RSA PRIVATE KEY" => Some("RSA private key"),
        "EC PRIVATE KEY" => Some("EC private key"),
        "ENCRYPTED PRIVATE KEY" => Some("encrypted private key"),
        "OPENSSH PRIVATE KEY" => Some("OpenSSH private key"),
        _ => None,
    }
}

impl Verifier {
    /// Builds the verifier; the error names what is wrong with the key or algorithm. A JWKS
    /// verifier starts without keys (see `Auth::load`).
    pub fn new(cfg: &AuthConfig) -> Result<Verifier, String> {
        super::crypto::install();
        let (key, alg) = match &cfg.key {
            KeyMaterial::Secret(s) => {
                if s.is_empty() {
                    return Err("the JWT secret file is empty".into());
                }
                let alg = parse_alg(cfg.algorithm.as_deref().unwrap_or("HS256"))?;
                let need = match alg {
                    Algorithm::HS256 => 32,
                    Algorithm::HS384 => 48,
                    Algorithm::HS512 => 64,
                    _ => return Err(format!("a secret is used with HS256, HS384 or HS512, not {alg:?}")),
                };
                // RFC 7518 §3.2: a key as long as the hash output. A shorter one can be
                // found by trying keys against a single captured token.
                if s.len() < need {
                    return Err(format!(
                        "the JWT secret is {} bytes; {alg:?} needs at least {need} (RFC 7518 §3.2), or a captured \
                         token gives the key away to a brute-force search; make one with `openssl rand -base64 {need}`",
                        s.len()
                    ));
                }
                (Some(DecodingKey::from_secret(s)), alg)
            }
            KeyMaterial::PublicKeyPem(pem) => {
                if let Some(kind) = private_key_pem(pem) {
                    return Err(format!(
                        "the file holds a {kind}, not a public key; give the proxy the public half only: \
                         `openssl pkey -in KEY -pubout -out public.pem`"
                    ));
                }
                if let Ok(k) = DecodingKey::from_rsa_pem(pem) {
                    super::crypto::check_rsa_size(&k)?;
                    let alg = parse_alg(cfg.algorithm.as_deref().unwrap_or("RS256"))?;
                    if !matches!(
                        alg,
                        Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 | Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512
                    ) {
                        return Err(format!("an RSA key is used with RS* or PS*, not {alg:?}"));
                    }
                    (Some(k), alg)
                } else if let Ok(k) = DecodingKey::from_ec_pem(pem) {
                    let alg = parse_alg(cfg.algorithm.as_deref().unwrap_or("ES256"))?;
                    if !matches!(alg, Algorithm::ES256 | Algorithm::ES384) {
                        return Err(format!("an EC key is used with ES256 or ES384, not {alg:?}"));
                    }
                    (Some(k), alg)
                } else if let Ok(k) = DecodingKey::from_ed_pem(pem) {
                    let alg = parse_alg(cfg.algorithm.as_deref().unwrap_or("EdDSA"))?;
                    if alg != Algorithm::EdDSA {
                        return Err(format!("an Ed25519 key is used with EdDSA, not {alg:?}"));
                    }
                    (Some(k), alg)
                } else {
                    return Err("not a PEM RSA, EC or Ed25519 public key".into());
                }
            }
            KeyMaterial::Jwks(_) => (None, Algorithm::RS256),
        };
        let mut validation = Validation::new(alg);
        validation.leeway = cfg.leeway.as_secs();
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp"]);
        match &cfg.issuer {
            Some(i) => validation.set_issuer(&[i]),
            None => validation.iss = None,
        }
        match &cfg.audience {
            Some(a) => validation.set_audience(&[a]),
            None => validation.validate_aud = false,
        }
        let accept = match key {
            Some(_) => vec![alg],
            None => super::jwks::parse_allow_list(cfg.algorithm.as_deref())?,
        };
        let v = Verifier {
            keys: RwLock::new(Arc::new(KeySet {
                generation: 0,
                keys: Vec::new(),
            })),
            validation,
            accept: accept.iter().map(|a| format!("{a:?}")).collect(),
            forward: cfg.forward_claims.clone(),
        };
        if let Some(key) = key {
            v.set_keys(vec![(None, alg, key)]);
        }
        Ok(v)
    }

    /// Replaces the keys; the generation moves on.
    fn set_keys(&self, keys: Vec<(Option<String>, Algorithm, DecodingKey)>) {
        let keys = keys
            .into_iter()
            .map(|(kid, alg, key)| {
                let mut validation = self.validation.clone();
                validation.algorithms = vec![alg];
                Key {
                    kid,
                    alg,
                    alg_name: format!("{alg:?}"),
                    key,
                    validation,
                }
            })
            .collect();
        let mut w = self.keys.write().unwrap_or_else(|e| e.into_inner());
        *w = Arc::new(KeySet {
            generation: w.generation + 1,
            keys,
        });
    }

    fn snapshot(&self) -> Arc<KeySet> {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The algorithm of the first key (a configured key has exactly one).
    pub fn algorithm(&self) -> Algorithm {
        self.snapshot().keys.first().map(|k| k.alg).unwrap_or(self.validation.algorithms[0])
    }

    /// How many keys are loaded.
    pub fn key_count(&self) -> usize {
        self.snapshot().keys.len()
    }

    /// Checks one token now; `Ok(exp)` when it may pass.
    pub fn verify(&self, token: &str) -> Result<u64, Reject> {
        self.pass(token).map(|p| p.exp)
    }

    /// Checks one token now; what it lets through when it may pass.
    pub fn pass(&self, token: &str) -> Result<Pass, Reject> {
        self.verify_in(&self.snapshot(), token, None)
    }

    #[cfg(test)]
    fn verify_with(&self, token: &str, validation: &Validation) -> Result<u64, Reject> {
        self.verify_in(&self.snapshot(), token, Some(validation)).map(|p| p.exp)
    }

    fn verify_in(&self, set: &KeySet, token: &str, validation: Option<&Validation>) -> Result<Pass, Reject> {
        let header = precheck(token)?;
        let alg = header.alg.as_deref().ok_or(Reject::Algorithm)?;
        if !self.accept.iter().any(|a| a == alg) {
            return Err(Reject::Algorithm);
        }
        let key = select(set, header.kid.as_deref())?;
        // The token's `alg` must be its key's: no algorithm confusion.
        if alg != key.alg_name {
            return Err(Reject::Algorithm);
        }
        if header.crit {
            return Err(Reject::Crit);
        }
        if token.ends_with('.') {
            return Err(Reject::Signature);
        }
        let owned;
        let validation = match validation {
            Some(v) => {
                let mut v = v.clone();
                v.algorithms = vec![key.alg];
                owned = v;
                &owned
            }
            None => &key.validation,
        };
        let claims = match jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(token, &key.key, validation) {
            Ok(d) => d.claims,
            Err(e) => return Err(classify(e.kind())),
        };
        let exp = claims.get("exp").and_then(|v| v.as_u64()).ok_or(Reject::MissingClaim)?;
        let jti = claims.get("jti").and_then(|v| v.as_str()).map(str::to_string);
        let headers = self
            .forward
            .iter()
            .filter_map(|c| Some((claim_header(c), claim_value(claims.get(c)?)?)))
            .collect();
        Ok(Pass { exp, jti, headers })
    }
}

/// The key a token's `kid` names; a token without `kid` only fits a set of one key.
fn select<'a>(set: &'a KeySet, kid: Option<&str>) -> Result<&'a Key, Reject> {
    match kid {
        Some(kid) => set.keys.iter().find(|k| k.kid.as_deref().is_none_or(|k| k == kid)),
        None if set.keys.len() == 1 => set.keys.first(),
        None => None,
    }
    .ok_or(Reject::UnknownKey)
}

fn parse_alg(s: &str) -> Result<Algorithm, String> {
    Algorithm::from_str(s).map_err(|_| format!("`{s}` is not a JWT algorithm (HS256, RS256, PS256, ES256, ...)"))
}

/// The checks jsonwebtoken does not make: size, strict base64url, a JSON header; returns
/// what key selection needs (`alg`, `kid`, whether `crit` is present). `jku`, `x5u` and
/// other key URLs in the header are never looked at.
fn precheck(token: &str) -> Result<Header, Reject> {
    if token.len() > MAX_TOKEN_BYTES {
        return Err(Reject::TooLarge);
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 || parts[0].is_empty() || parts[1].is_empty() {
        return Err(Reject::Malformed);
    }
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    for p in &parts {
        if !p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(Reject::Malformed);
        }
    }
    let header = b64.decode(parts[0]).map_err(|_| Reject::Malformed)?;
    b64.decode(parts[1]).map_err(|_| Reject::Malformed)?;
    b64.decode(parts[2]).map_err(|_| Reject::Malformed)?;
    let header: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&header).map_err(|_| Reject::Malformed)?;
    let text = |name: &str| header.get(name).and_then(|v| v.as_str()).map(str::to_string);
    Ok(Header {
        alg: text("alg"),
        kid: text("kid"),
        crit: header.contains_key("crit"),
    })
}

fn classify(kind: &jsonwebtoken::errors::ErrorKind) -> Reject {
    use jsonwebtoken::errors::ErrorKind as K;
    match kind {
        K::ExpiredSignature => Reject::Expired,
        K::ImmatureSignature => Reject::NotYetValid,
        K::InvalidIssuer => Reject::Issuer,
        K::InvalidAudience => Reject::Audience,
        K::MissingRequiredClaim(_) => Reject::MissingClaim,
        K::InvalidAlgorithm | K::InvalidAlgorithmName | K::UnsupportedAlgorithm | K::MissingAlgorithm => Reject::Algorithm,
        K::InvalidSignature => Reject::Signature,
        K::Base64(_) | K::Json(_) | K::Utf8(_) | K::InvalidToken | K::InvalidClaimFormat(_) => Reject::Malformed,
        _ => Reject::Signature,
    }
}

/// A cached verdict.
#[derive(Debug, Clone)]
enum Verdict {
    Valid(Arc<Pass>),
    Refused(Reject),
}

struct Expiry {
    ttl: Duration,
    leeway: u64,
}

impl moka::Expiry<[u8; 32], Verdict> for Expiry {
    fn expire_after_create(&self, _key: &[u8; 32], value: &Verdict, _created_at: std::time::Instant) -> Option<Duration> {
        Some(match value {
            Verdict::Valid(p) => self.ttl.min(Duration::from_secs((p.exp + self.leeway).saturating_sub(now_unix()))),
            Verdict::Refused(_) => NEGATIVE_TTL.min(self.ttl),
        })
    }
}

/// Whether a check was answered from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Hit,
    Miss,
}

/// The verifier behind a bounded cache keyed by the token's SHA-256 (and the key set's
/// generation, so a rotation leaves no verdict behind).
pub struct Auth {
    verifier: Verifier,
    cache: moka::sync::Cache<[u8; 32], Verdict>,
    leeway: u64,
    jwks: Option<Jwks>,
}

impl Auth {
    /// The verifier and its cache; a JWKS source starts without keys (see `load`).
    pub fn new(cfg: &AuthConfig) -> Result<Auth, String> {
        Auth::with_metrics(cfg, JwksMetrics::default())
    }

    /// `new`, then the first JWKS fetch: an error when it fails or yields no usable key.
    pub async fn load(cfg: &AuthConfig, metrics: JwksMetrics) -> Result<Auth, String> {
        let auth = Auth::with_metrics(cfg, metrics)?;
        if let Some(j) = &auth.jwks {
            j.refresh(super::jwks::Why::Initial, |k| auth.install(k)).await?;
        }
        Ok(auth)
    }

    fn with_metrics(cfg: &AuthConfig, metrics: JwksMetrics) -> Result<Auth, String> {
        let verifier = Verifier::new(cfg)?;
        let jwks = match &cfg.key {
            KeyMaterial::Jwks(source) => Some(Jwks::new(
                source.clone(),
                super::jwks::parse_allow_list(cfg.algorithm.as_deref())?,
                metrics,
            )?),
            _ => None,
        };
        let cache = moka::sync::Cache::builder()
            .max_capacity(cfg.cache_size)
            .expire_after(Expiry {
                ttl: cfg.cache_ttl,
                leeway: cfg.leeway.as_secs(),
            })
            .build();
        Ok(Auth {
            verifier,
            cache,
            leeway: cfg.leeway.as_secs(),
            jwks,
        })
    }

    /// Puts a new key set in use and forgets every cached verdict.
    fn install(&self, keys: Vec<JwkKey>) {
        self.verifier.set_keys(keys.into_iter().map(|k| (k.kid, k.alg, k.key)).collect());
        self.cache.invalidate_all();
    }

    /// `check`, and when the token names a key the set does not have, one refresh of the
    /// JWKS (single flight, at most once per `--jwks-min-refresh`) and a second check.
    pub async fn authenticate(&self, token: &str) -> (Result<Arc<Pass>, Reject>, Lookup) {
        let seen = self.jwks.as_ref().map(|j| j.finished()).unwrap_or_default();
        let generation = self.verifier.snapshot().generation;
        let r = self.check(token);
        if matches!(r.0, Err(Reject::UnknownKey))
            && let Some(j) = &self.jwks
        {
            let _ = j.refresh(super::jwks::Why::UnknownKey(seen), |k| self.install(k)).await;
            if self.verifier.snapshot().generation != generation {
                return self.check(token);
            }
        }
        r
    }

    /// Fetches the JWKS every `--jwks-refresh`, forever; never returns without a JWKS.
    pub async fn refresh_periodically(&self) {
        let Some(j) = &self.jwks else {
            return std::future::pending().await;
        };
        loop {
            tokio::time::sleep(j.every()).await;
            let _ = j.refresh(super::jwks::Why::Scheduled, |k| self.install(k)).await;
        }
    }

    /// Checks a token, from the cache when it can; what it lets through when it may pass.
    /// `exp` is re-checked on every hit. Concurrent checks of one token not yet cached
    /// share one verification.
    pub fn check(&self, token: &str) -> (Result<Arc<Pass>, Reject>, Lookup) {
        if token.len() > MAX_TOKEN_BYTES {
            return (Err(Reject::TooLarge), Lookup::Miss);
        }
        let set = self.verifier.snapshot();
        let key: [u8; 32] = Sha256::new()
            .chain_update(set.generation.to_le_bytes())
            .chain_update(token.as_bytes())
            .finalize()
            .into();
        if let Some(v) = self.cache.get(&key) {
            return (self.recheck(&key, v), Lookup::Hit);
        }
        let entry = self
            .cache
            .entry(key)
            .or_insert_with(|| match self.verifier.verify_in(&set, token, None) {
                Ok(p) => Verdict::Valid(Arc::new(p)),
                Err(e) => Verdict::Refused(e),
            });
        let lookup = if entry.is_fresh() { Lookup::Miss } else { Lookup::Hit };
        (self.recheck(&key, entry.into_value()), lookup)
    }

    /// A cached verdict now: `exp` may have passed since it was cached.
    fn recheck(&self, key: &[u8; 32], v: Verdict) -> Result<Arc<Pass>, Reject> {
        match v {
            Verdict::Valid(p) if p.exp + self.leeway >= now_unix() => Ok(p),
            Verdict::Valid(_) => {
                self.cache.invalidate(key);
                Err(Reject::Expired)
            }
            Verdict::Refused(r) => Err(r),
        }
    }

    pub fn leeway(&self) -> Duration {
        Duration::from_secs(self.leeway)
    }
}

pub fn now_unix() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

#[cfg(test)]
mod tests;
