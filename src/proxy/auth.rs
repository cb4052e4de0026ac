//! Who may pass: JWT verification with the rules the proxy promises (one algorithm per
//! key, `exp` required, no `crit`, size and base64 limits, no key URLs fetched), and the
//! cache that makes a repeated check cost microseconds instead of a signature check.

use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sha2::{Digest, Sha256};
use std::str::FromStr;
use std::sync::Arc;
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
    /// PEM public key (RS*, PS*, ES*).
    PublicKeyPem(Vec<u8>),
}

impl std::fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyMaterial::Secret(s) => write!(f, "Secret(sha256:{})", crate::redact::fingerprint(&String::from_utf8_lossy(s))),
            KeyMaterial::PublicKeyPem(_) => write!(f, "PublicKeyPem"),
        }
    }
}

/// What a token must satisfy.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub key: KeyMaterial,
    /// The one algorithm the key is used with; `None`: HS256 for a secret, RS256 for an
    /// RSA key, ES256 for an EC key.
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
    /// Its `jti` is in the revocation set.
    Revoked,
}

impl Reject {
    pub const ALL: [Reject; 12] = [
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
            Reject::Revoked => "revoked",
        }
    }
}

/// Verifies tokens against one key and one algorithm; no cache, no I/O.
pub struct Verifier {
    key: DecodingKey,
    alg: Algorithm,
    alg_name: String,
    validation: Validation,
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

impl Verifier {
    /// Builds the verifier; the error names what is wrong with the key or algorithm.
    pub fn new(cfg: &AuthConfig) -> Result<Verifier, String> {
        let (key, alg) = match &cfg.key {
            KeyMaterial::Secret(s) => {
                if s.is_empty() {
                    return Err("the JWT secret file is empty".into());
                }
                let alg = parse_alg(cfg.algorithm.as_deref().unwrap_or("HS256"))?;
                if !matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512) {
                    return Err(format!("a secret is used with HS256, HS384 or HS512, not {alg:?}"));
                }
                (DecodingKey::from_secret(s), alg)
            }
            KeyMaterial::PublicKeyPem(pem) => {
                if let Ok(k) = DecodingKey::from_rsa_pem(pem) {
                    let alg = parse_alg(cfg.algorithm.as_deref().unwrap_or("RS256"))?;
                    if !matches!(
                        alg,
                        Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 | Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512
                    ) {
                        return Err(format!("an RSA key is used with RS* or PS*, not {alg:?}"));
                    }
                    (k, alg)
                } else if let Ok(k) = DecodingKey::from_ec_pem(pem) {
                    let alg = parse_alg(cfg.algorithm.as_deref().unwrap_or("ES256"))?;
                    if !matches!(alg, Algorithm::ES256 | Algorithm::ES384) {
                        return Err(format!("an EC key is used with ES256 or ES384, not {alg:?}"));
                    }
                    (k, alg)
                } else {
                    return Err("not a PEM RSA or EC public key".into());
                }
            }
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
        Ok(Verifier {
            key,
            alg,
            alg_name: format!("{alg:?}"),
            validation,
            forward: cfg.forward_claims.clone(),
        })
    }

    pub fn algorithm(&self) -> Algorithm {
        self.alg
    }

    /// Checks one token now; `Ok(exp)` when it may pass.
    pub fn verify(&self, token: &str) -> Result<u64, Reject> {
        self.verify_with(token, &self.validation).map(|p| p.exp)
    }

    /// Checks one token now; what it lets through when it may pass.
    pub fn pass(&self, token: &str) -> Result<Pass, Reject> {
        self.verify_with(token, &self.validation)
    }

    fn verify_with(&self, token: &str, validation: &Validation) -> Result<Pass, Reject> {
        precheck(token, &self.alg_name)?;
        let claims = match jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(token, &self.key, validation) {
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

fn parse_alg(s: &str) -> Result<Algorithm, String> {
    Algorithm::from_str(s).map_err(|_| format!("`{s}` is not a JWT algorithm (HS256, RS256, PS256, ES256, ...)"))
}

/// The checks jsonwebtoken does not make: size, strict base64url, the exact `alg`, `crit`.
fn precheck(token: &str, alg: &str) -> Result<(), Reject> {
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
    if header.get("alg").and_then(|a| a.as_str()) != Some(alg) {
        return Err(Reject::Algorithm);
    }
    if header.contains_key("crit") {
        return Err(Reject::Crit);
    }
    if parts[2].is_empty() {
        return Err(Reject::Signature);
    }
    Ok(())
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

/// The verifier behind a bounded cache keyed by the token's SHA-256.
pub struct Auth {
    verifier: Verifier,
    cache: moka::sync::Cache<[u8; 32], Verdict>,
    leeway: u64,
}

impl Auth {
    pub fn new(cfg: &AuthConfig) -> Result<Auth, String> {
        let verifier = Verifier::new(cfg)?;
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
        })
    }

    /// Checks a token, from the cache when it can; what it lets through when it may pass.
    /// `exp` is re-checked on every hit.
    pub fn check(&self, token: &str) -> (Result<Arc<Pass>, Reject>, Lookup) {
        if token.len() > MAX_TOKEN_BYTES {
            return (Err(Reject::TooLarge), Lookup::Miss);
        }
        let key: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        if let Some(v) = self.cache.get(&key) {
            let r = match v {
                Verdict::Valid(p) if p.exp + self.leeway >= now_unix() => Ok(p),
                Verdict::Valid(_) => {
                    self.cache.invalidate(&key);
                    Err(Reject::Expired)
                }
                Verdict::Refused(r) => Err(r),
            };
            return (r, Lookup::Hit);
        }
        let r = self.verifier.pass(token).map(Arc::new);
        let verdict = match &r {
            Ok(p) => Verdict::Valid(p.clone()),
            Err(e) => Verdict::Refused(*e),
        };
        self.cache.insert(key, verdict);
        (r, Lookup::Miss)
    }

    pub fn leeway(&self) -> Duration {
        Duration::from_secs(self.leeway)
    }
}

pub fn now_unix() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// RFC 7515 Appendix A.1: the HS256 example.
    const A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const A1_KEY: &str = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

    fn secret_cfg(secret: &[u8]) -> AuthConfig {
        AuthConfig {
            key: KeyMaterial::Secret(secret.to_vec()),
            algorithm: None,
            issuer: None,
            audience: None,
            leeway: Duration::from_secs(0),
            cache_size: 100,
            cache_ttl: Duration::from_secs(300),
            forward_claims: Vec::new(),
        }
    }

    fn a1_key() -> Vec<u8> {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(A1_KEY).unwrap()
    }

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    fn hs256(header: &str, claims: &str, secret: &[u8]) -> String {
        let msg = format!("{}.{}", b64(header), b64(claims));
        let sig = jsonwebtoken::crypto::sign(msg.as_bytes(), &jsonwebtoken::EncodingKey::from_secret(secret), Algorithm::HS256).unwrap();
        format!("{msg}.{sig}")
    }

    #[test]
    fn rfc7515_a1_signature_verifies_and_its_2011_exp_is_expired() {
        let v = Verifier::new(&secret_cfg(&a1_key())).unwrap();
        // The vector's exp (1300819380) is in 2011: with exp checking it is refused as expired,
        // which means the signature itself was accepted.
        assert_eq!(v.verify(A1_TOKEN), Err(Reject::Expired));
        let mut no_exp = v.validation.clone();
        no_exp.validate_exp = false;
        assert_eq!(v.verify_with(A1_TOKEN, &no_exp).map(|p| p.exp), Ok(1_300_819_380));
        // One flipped signature character is a bad signature.
        let mut bad = A1_TOKEN.to_string();
        bad.pop();
        bad.push('Y');
        assert_eq!(v.verify_with(&bad, &no_exp).map(|p| p.exp), Err(Reject::Signature));
    }

    #[test]
    fn attacks_are_refused_for_the_right_reason() {
        let key = b"0123456789abcdef0123456789abcdef";
        let later = now_unix() + 3600;
        let v = Verifier::new(&AuthConfig {
            issuer: Some("issuer".into()),
            audience: Some("aud".into()),
            ..secret_cfg(key)
        })
        .unwrap();
        let ok = format!(r#"{{"exp":{later},"iss":"issuer","aud":"aud"}}"#);
        assert_eq!(v.verify(&hs256(r#"{"alg":"HS256"}"#, &ok, key)), Ok(later));
        let none = format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(&ok));
        assert_eq!(v.verify(&none), Err(Reject::Algorithm));
        let mixed = format!("{}.{}.", b64(r#"{"alg":"noNE"}"#), b64(&ok));
        assert_eq!(v.verify(&mixed), Err(Reject::Algorithm));
        assert_eq!(v.verify(&hs256(r#"{"alg":"HS256","crit":["exp"]}"#, &ok, key)), Err(Reject::Crit));
        let expired = format!(r#"{{"exp":{},"iss":"issuer","aud":"aud"}}"#, now_unix() - 100);
        assert_eq!(v.verify(&hs256(r#"{"alg":"HS256"}"#, &expired, key)), Err(Reject::Expired));
        let early = format!(r#"{{"exp":{later},"nbf":{later},"iss":"issuer","aud":"aud"}}"#);
        assert_eq!(v.verify(&hs256(r#"{"alg":"HS256"}"#, &early, key)), Err(Reject::NotYetValid));
        let iss = format!(r#"{{"exp":{later},"iss":"other","aud":"aud"}}"#);
        assert_eq!(v.verify(&hs256(r#"{"alg":"HS256"}"#, &iss, key)), Err(Reject::Issuer));
        let aud = format!(r#"{{"exp":{later},"iss":"issuer","aud":"other"}}"#);
        assert_eq!(v.verify(&hs256(r#"{"alg":"HS256"}"#, &aud, key)), Err(Reject::Audience));
        let no_exp = r#"{"iss":"issuer","aud":"aud"}"#;
        assert_eq!(v.verify(&hs256(r#"{"alg":"HS256"}"#, no_exp, key)), Err(Reject::MissingClaim));
        assert_eq!(v.verify(&hs256(r#"{"alg":"HS256"}"#, &ok, b"another key")), Err(Reject::Signature));
        let good = hs256(r#"{"alg":"HS256"}"#, &ok, key);
        assert_eq!(v.verify(&format!("{good}=")), Err(Reject::Malformed));
        assert_eq!(v.verify(&good.replacen('.', "+.", 1)), Err(Reject::Malformed));
        assert_eq!(v.verify("a.b"), Err(Reject::Malformed));
        let big = format!(
            r#"{{"exp":{later},"iss":"issuer","aud":"aud","pad":"{}"}}"#,
            "x".repeat(MAX_TOKEN_BYTES)
        );
        assert_eq!(v.verify(&hs256(r#"{"alg":"HS256"}"#, &big, key)), Err(Reject::TooLarge));
    }

    #[test]
    fn a_secret_cannot_be_used_with_rsa_and_unknown_algorithms_are_refused() {
        assert!(
            Verifier::new(&AuthConfig {
                algorithm: Some("RS256".into()),
                ..secret_cfg(b"k")
            })
            .is_err()
        );
        assert!(
            Verifier::new(&AuthConfig {
                algorithm: Some("none".into()),
                ..secret_cfg(b"k")
            })
            .is_err()
        );
        assert!(
            Verifier::new(&AuthConfig {
                key: KeyMaterial::PublicKeyPem(b"not a pem".to_vec()),
                ..secret_cfg(b"k")
            })
            .is_err()
        );
    }

    #[test]
    fn cache_hits_recheck_exp_and_refusals_are_cached_too() {
        let key = b"0123456789abcdef0123456789abcdef";
        let auth = Auth::new(&secret_cfg(key)).unwrap();
        let exp = now_unix() + 1;
        let t = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{exp}}}"#), key);
        let exp_of = |r: (Result<Arc<Pass>, Reject>, Lookup)| (r.0.map(|p| p.exp), r.1);
        assert_eq!(exp_of(auth.check(&t)), (Ok(exp), Lookup::Miss));
        assert_eq!(exp_of(auth.check(&t)), (Ok(exp), Lookup::Hit));
        std::thread::sleep(Duration::from_millis(2100));
        // Past exp: refused, whether the entry expired or is re-checked on the hit.
        assert_eq!(auth.check(&t).0, Err(Reject::Expired));
        let bad = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{}}}"#, now_unix() + 60), b"wrong");
        assert_eq!(exp_of(auth.check(&bad)), (Err(Reject::Signature), Lookup::Miss));
        assert_eq!(exp_of(auth.check(&bad)), (Err(Reject::Signature), Lookup::Hit));
    }

    fn valid(exp: u64) -> Verdict {
        Verdict::Valid(Arc::new(Pass {
            exp,
            jti: None,
            headers: Vec::new(),
        }))
    }

    #[test]
    fn forwarded_claims_become_headers_and_jti_is_kept() {
        let key = b"0123456789abcdef0123456789abcdef";
        let v = Verifier::new(&AuthConfig {
            forward_claims: vec![
                "sub".into(),
                "roles".into(),
                "tier".into(),
                "org".into(),
                "absent".into(),
                "bad".into(),
            ],
            ..secret_cfg(key)
        })
        .unwrap();
        let exp = now_unix() + 60;
        let claims = format!(r#"{{"exp":{exp},"jti":"j-1","sub":"alice","roles":["admin","ops"],"tier":3,"org":{{"id":7}},"bad":"a\nb"}}"#);
        let p = v.pass(&hs256(r#"{"alg":"HS256"}"#, &claims, key)).unwrap();
        assert_eq!(p.exp, exp);
        assert_eq!(p.jti.as_deref(), Some("j-1"));
        let h: Vec<(&str, &[u8])> = p.headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect();
        assert_eq!(
            h,
            [
                ("X-Auth-Claim-sub", &b"alice"[..]),
                ("X-Auth-Claim-roles", b"admin,ops"),
                ("X-Auth-Claim-tier", b"3"),
                ("X-Auth-Claim-org", br#"{"id":7}"#),
            ]
        );
    }

    #[test]
    fn cache_entry_never_outlives_exp() {
        let e = Expiry {
            ttl: Duration::from_secs(300),
            leeway: 5,
        };
        use moka::Expiry as _;
        let now = std::time::Instant::now();
        let in_10s = e.expire_after_create(&[0; 32], &valid(now_unix() + 10), now).unwrap();
        assert!(in_10s <= Duration::from_secs(15) && in_10s >= Duration::from_secs(13), "{in_10s:?}");
        let far = e.expire_after_create(&[0; 32], &valid(now_unix() + 100_000), now).unwrap();
        assert_eq!(far, Duration::from_secs(300));
        let bad = e.expire_after_create(&[0; 32], &Verdict::Refused(Reject::Signature), now).unwrap();
        assert_eq!(bad, NEGATIVE_TTL);
    }
}
