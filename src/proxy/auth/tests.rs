//! Tests of token verification and the verdict cache: RFC 7515 vectors, every algorithm
//! family, rejections by reason, and cache expiry.

#![allow(clippy::unwrap_used)]
use super::*;
use crate::testing::Rng;

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
    assert_eq!(v.verify_with(A1_TOKEN, &no_exp), Ok(1_300_819_380));
    // One flipped signature character is a bad signature.
    let mut bad = A1_TOKEN.to_string();
    bad.pop();
    bad.push('Y');
    assert_eq!(v.verify_with(&bad, &no_exp), Err(Reject::Signature));
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
    assert_eq!(exp_of(auth.check(&t)), (Ok(exp), Lookup::Miss));
    assert_eq!(exp_of(auth.check(&t)), (Ok(exp), Lookup::Hit));
    std::thread::sleep(Duration::from_millis(2100));
    // Past exp: refused, whether the entry expired or is re-checked on the hit.
    assert_eq!(auth.check(&t).0, Err(Reject::Expired));
    let bad = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{}}}"#, now_unix() + 60), b"wrong");
    assert_eq!(exp_of(auth.check(&bad)), (Err(Reject::Signature), Lookup::Miss));
    assert_eq!(exp_of(auth.check(&bad)), (Err(Reject::Signature), Lookup::Hit));
}

fn exp_of(r: (Result<Arc<Pass>, Reject>, Lookup)) -> (Result<u64, Reject>, Lookup) {
    (r.0.map(|p| p.exp), r.1)
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
fn concurrent_checks_of_a_new_token_share_one_verification() {
    let key = b"0123456789abcdef0123456789abcdef";
    let auth = Arc::new(Auth::new(&secret_cfg(key)).unwrap());
    let t = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{}}}"#, now_unix() + 60), key);
    let barrier = Arc::new(std::sync::Barrier::new(8));
    let lookups: Vec<Lookup> = (0..8)
        .map(|_| {
            let (auth, t, barrier) = (auth.clone(), t.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let (r, l) = auth.check(&t);
                assert!(r.is_ok());
                l
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert_eq!(lookups.iter().filter(|l| **l == Lookup::Miss).count(), 1, "{lookups:?}");
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

// Ed25519 keys made with `openssl genpkey -algorithm ed25519` for these tests only.
const ED_KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ0yTbTTZkmurIjyp2jC1zk58nwWUjQZpofwgPUBPYyU\n-----END PRIVATE KEY-----\n";
const ED_PUB: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAzt0NLGNWNKATj/KOX5TqtuVfhbq17jmQVMbRaUQmM/I=\n-----END PUBLIC KEY-----\n";
const ED2_KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEICYDlqrczR7WOObZSKlcYIk3QcXjMb9UqXfgDd8ZRsL+\n-----END PRIVATE KEY-----\n";
const ED2_PUB: &str =
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA8i+FZjtAmgqC0RyHkDMjLC/kuNGBlAKWdOn92NmgAh4=\n-----END PUBLIC KEY-----\n";

fn eddsa(header: &str, claims: &str, pem: &str) -> String {
    let msg = format!("{}.{}", b64(header), b64(claims));
    let key = jsonwebtoken::EncodingKey::from_ed_pem(pem.as_bytes()).unwrap();
    let sig = jsonwebtoken::crypto::sign(msg.as_bytes(), &key, Algorithm::EdDSA).unwrap();
    format!("{msg}.{sig}")
}

fn jwks_cfg() -> AuthConfig {
    AuthConfig {
        key: KeyMaterial::Jwks(JwksSource {
            url: "http://127.0.0.1:9/jwks.json".into(),
            cacert: None,
            refresh: Duration::from_secs(300),
            min_refresh: Duration::from_secs(30),
        }),
        ..secret_cfg(b"unused")
    }
}

/// RFC 7515 Appendix A.2 (RS256) and A.3 (ES256): the tokens and the public keys.
const A2_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
const A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const A3_TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
const A3_X: &str = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
const A3_Y: &str = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";

#[test]
fn rfc7515_a2_rs256_and_a3_es256_vectors_verify() {
    let mut no_exp = jwks_cfg();
    no_exp.algorithm = Some("RS256,ES256".into());
    let v = Verifier::new(&no_exp).unwrap();
    let mut lenient = v.validation.clone();
    lenient.validate_exp = false;
    v.set_keys(vec![(
        None,
        Algorithm::RS256,
        DecodingKey::from_rsa_components(A2_N, "AQAB").unwrap(),
    )]);
    assert_eq!(v.verify_with(A2_TOKEN, &lenient), Ok(1_300_819_380));
    assert_eq!(v.verify(A2_TOKEN), Err(Reject::Expired), "its 2011 exp is past");
    let mut bad = A2_TOKEN.to_string();
    bad.replace_range(bad.len() - 5..bad.len() - 4, "A");
    assert_eq!(v.verify_with(&bad, &lenient), Err(Reject::Signature));
    assert_eq!(
        v.verify_with(A3_TOKEN, &lenient),
        Err(Reject::Algorithm),
        "an ES256 token for the RSA key"
    );

    v.set_keys(vec![(None, Algorithm::ES256, DecodingKey::from_ec_components(A3_X, A3_Y).unwrap())]);
    assert_eq!(v.verify_with(A3_TOKEN, &lenient), Ok(1_300_819_380));
    let mut bad = A3_TOKEN.to_string();
    bad.replace_range(bad.len() - 5..bad.len() - 4, "A");
    assert_eq!(v.verify_with(&bad, &lenient), Err(Reject::Signature));
}

#[test]
fn ring_checks_the_rfc7515_vectors() {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap();
    for (token, alg, key) in [
        (A2_TOKEN, Algorithm::RS256, DecodingKey::from_rsa_components(A2_N, "AQAB").unwrap()),
        (A3_TOKEN, Algorithm::ES256, DecodingKey::from_ec_components(A3_X, A3_Y).unwrap()),
    ] {
        let (input, sig) = token.rsplit_once('.').unwrap();
        let v = super::super::crypto::verifier_for_tests(&alg, &key).expect("ring takes this key");
        assert!(v.verify(input.as_bytes(), &b64(sig)).is_ok(), "{alg:?}");
        assert!(v.verify(b"another input", &b64(sig)).is_err(), "{alg:?}");
    }
}

fn ed_key(kid: &str, pem: &str) -> JwkKey {
    JwkKey {
        kid: Some(kid.into()),
        alg: Algorithm::EdDSA,
        key: DecodingKey::from_ed_pem(pem.as_bytes()).unwrap(),
        fingerprint: kid.into(),
    }
}

#[test]
fn ed25519_pem_key_verifies_eddsa_tokens_and_nothing_else() {
    let cfg = AuthConfig {
        key: KeyMaterial::PublicKeyPem(ED_PUB.as_bytes().to_vec()),
        ..secret_cfg(b"k")
    };
    let v = Verifier::new(&cfg).unwrap();
    assert_eq!(v.algorithm(), Algorithm::EdDSA);
    let exp = now_unix() + 600;
    let claims = format!(r#"{{"exp":{exp}}}"#);
    assert_eq!(v.verify(&eddsa(r#"{"alg":"EdDSA"}"#, &claims, ED_KEY)), Ok(exp));
    // A kid in the token does not matter with one configured key.
    assert_eq!(v.verify(&eddsa(r#"{"alg":"EdDSA","kid":"x"}"#, &claims, ED_KEY)), Ok(exp));
    assert_eq!(v.verify(&eddsa(r#"{"alg":"EdDSA"}"#, &claims, ED2_KEY)), Err(Reject::Signature));
    // The public key used as an HMAC secret is an algorithm mismatch.
    assert_eq!(
        v.verify(&hs256(r#"{"alg":"HS256"}"#, &claims, ED_PUB.as_bytes())),
        Err(Reject::Algorithm)
    );
    let err = Verifier::new(&AuthConfig {
        algorithm: Some("ES256".into()),
        ..cfg
    })
    .err()
    .unwrap();
    assert!(err.contains("Ed25519 key is used with EdDSA"), "{err}");
}

#[test]
fn kid_selects_the_key_and_alg_must_be_that_keys() {
    let auth = Auth::new(&jwks_cfg()).unwrap();
    assert_eq!(auth.verifier.key_count(), 0);
    auth.install(vec![ed_key("a", ED_PUB), ed_key("b", ED2_PUB)]);
    let v = &auth.verifier;
    let exp = now_unix() + 600;
    let claims = format!(r#"{{"exp":{exp}}}"#);
    assert_eq!(v.verify(&eddsa(r#"{"alg":"EdDSA","kid":"a"}"#, &claims, ED_KEY)), Ok(exp));
    assert_eq!(v.verify(&eddsa(r#"{"alg":"EdDSA","kid":"b"}"#, &claims, ED2_KEY)), Ok(exp));
    // Signed with a's key but naming b: b's key does not verify it.
    assert_eq!(
        v.verify(&eddsa(r#"{"alg":"EdDSA","kid":"b"}"#, &claims, ED_KEY)),
        Err(Reject::Signature)
    );
    assert_eq!(
        v.verify(&eddsa(r#"{"alg":"EdDSA","kid":"c"}"#, &claims, ED_KEY)),
        Err(Reject::UnknownKey)
    );
    assert_eq!(v.verify(&eddsa(r#"{"alg":"EdDSA"}"#, &claims, ED_KEY)), Err(Reject::UnknownKey));
    // An accepted algorithm that is not the key's, `none`, and an HMAC algorithm.
    assert_eq!(
        v.verify(&eddsa(r#"{"alg":"RS256","kid":"a"}"#, &claims, ED_KEY)),
        Err(Reject::Algorithm)
    );
    let none = format!("{}.{}.", b64(r#"{"alg":"none","kid":"a"}"#), b64(&claims));
    assert_eq!(v.verify(&none), Err(Reject::Algorithm));
    assert_eq!(
        v.verify(&hs256(r#"{"alg":"HS256","kid":"a"}"#, &claims, ED_PUB.as_bytes())),
        Err(Reject::Algorithm)
    );
    assert_eq!(
        v.verify(&eddsa(r#"{"alg":"EdDSA","kid":"a","crit":["x"]}"#, &claims, ED_KEY)),
        Err(Reject::Crit)
    );
    // A key URL in the header is never used: the token is checked against the set.
    let jku = r#"{"alg":"EdDSA","kid":"a","jku":"http://127.0.0.1:9/evil.json"}"#;
    assert_eq!(v.verify(&eddsa(jku, &claims, ED_KEY)), Ok(exp));
    // An allow-list without EdDSA refuses the header before any key is looked up.
    let narrow = Auth::new(&AuthConfig {
        algorithm: Some("RS256".into()),
        ..jwks_cfg()
    })
    .unwrap();
    narrow.install(vec![ed_key("a", ED_PUB)]);
    assert_eq!(
        narrow.verifier.verify(&eddsa(r#"{"alg":"EdDSA","kid":"a"}"#, &claims, ED_KEY)),
        Err(Reject::Algorithm)
    );
}

#[test]
fn a_new_key_set_flushes_cached_verdicts() {
    let auth = Auth::new(&jwks_cfg()).unwrap();
    auth.install(vec![ed_key("a", ED_PUB)]);
    let exp = now_unix() + 600;
    let good = eddsa(r#"{"alg":"EdDSA","kid":"a"}"#, &format!(r#"{{"exp":{exp}}}"#), ED_KEY);
    let other = eddsa(r#"{"alg":"EdDSA","kid":"b"}"#, &format!(r#"{{"exp":{exp}}}"#), ED2_KEY);
    assert_eq!(exp_of(auth.check(&good)), (Ok(exp), Lookup::Miss));
    assert_eq!(exp_of(auth.check(&good)), (Ok(exp), Lookup::Hit));
    assert_eq!(exp_of(auth.check(&other)), (Err(Reject::UnknownKey), Lookup::Miss));
    assert_eq!(exp_of(auth.check(&other)), (Err(Reject::UnknownKey), Lookup::Hit));
    // Rotation: a is gone, b is in. Neither cached verdict survives.
    auth.install(vec![ed_key("b", ED2_PUB)]);
    assert_eq!(exp_of(auth.check(&good)), (Err(Reject::UnknownKey), Lookup::Miss));
    assert_eq!(exp_of(auth.check(&other)), (Ok(exp), Lookup::Miss));
}

#[test]
fn property_random_headers_and_mutated_tokens_never_pass_or_panic() {
    let key = b"0123456789abcdef0123456789abcdef";
    let v = Verifier::new(&secret_cfg(key)).unwrap();
    let exp = now_unix() + 600;
    let claims = format!(r#"{{"exp":{exp}}}"#);
    let good = hs256(r#"{"alg":"HS256","typ":"JWT"}"#, &claims, key);
    assert_eq!(v.verify(&good), Ok(exp));
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let values = [
        r#""HS256""#,
        r#""none""#,
        r#""RS256""#,
        r#""hs256""#,
        "null",
        "7",
        "[]",
        r#"{"a":1}"#,
        r#""x\u0000""#,
    ];
    let names = ["alg", "kid", "crit", "typ", "jku", "x5u", "b64", "zip", ""];
    let alphabet: Vec<char> = ('A'..='Z')
        .chain('a'..='z')
        .chain('0'..='9')
        .chain(['-', '_', '.', '=', '+', '/', ' '])
        .collect();
    for _ in 0..5000 {
        // A signed token with a random header: it passes only with `alg` HS256 and no `crit`.
        let n = rng.below(4);
        let fields: Vec<String> = (0..n)
            .map(|_| format!(r#""{}":{}"#, names[rng.below(9) as usize], values[rng.below(9) as usize]))
            .collect();
        let header = format!("{{{}}}", fields.join(","));
        let token = hs256(&header, &claims, key);
        if v.verify(&token).is_ok() {
            let h: serde_json::Value = serde_json::from_str(&header).unwrap();
            assert_eq!(h["alg"], "HS256", "{header}");
            assert!(h.get("crit").is_none(), "{header}");
        }
        // The good token with random edits: refused unless it is the same token.
        let mut t: Vec<char> = good.chars().collect();
        for _ in 0..rng.below(3) + 1 {
            let at = rng.below(t.len() as u64) as usize;
            match rng.below(3) {
                0 => t[at] = alphabet[rng.below(alphabet.len() as u64) as usize],
                1 => {
                    t.remove(at);
                }
                _ => t.insert(at, alphabet[rng.below(alphabet.len() as u64) as usize]),
            }
        }
        let t: String = t.into_iter().collect();
        if t != good {
            assert!(v.verify(&t).is_err(), "{t}");
        }
    }
    // Bounded: a token over the limit is refused before any parsing.
    assert_eq!(v.verify(&"a".repeat(MAX_TOKEN_BYTES + 1)), Err(Reject::TooLarge));
}

/// A valid HS256 token of exactly `len` bytes (a padding claim takes up the rest).
fn hs256_of_len(len: usize, key: &[u8], exp: u64) -> String {
    for typ in ["", r#","typ":"JWT""#, r#","typ":"at""#] {
        let header = format!(r#"{{"alg":"HS256"{typ}}}"#);
        for pad in 0..len {
            let t = hs256(&header, &format!(r#"{{"exp":{exp},"p":"{}"}}"#, "x".repeat(pad)), key);
            if t.len() == len {
                return t;
            }
            if t.len() > len {
                break;
            }
        }
    }
    panic!("no token of {len} bytes");
}

#[test]
fn a_token_of_exactly_8_kib_is_checked_and_one_a_byte_longer_is_not() {
    let key = b"0123456789abcdef0123456789abcdef";
    let auth = Auth::new(&secret_cfg(key)).unwrap();
    let exp = now_unix() + 600;
    let at = hs256_of_len(MAX_TOKEN_BYTES, key, exp);
    assert_eq!(auth.verifier.verify(&at), Ok(exp));
    assert_eq!(exp_of(auth.check(&at)), (Ok(exp), Lookup::Miss));
    let over = hs256_of_len(MAX_TOKEN_BYTES + 1, key, exp);
    assert_eq!(auth.verifier.verify(&over), Err(Reject::TooLarge));
    assert_eq!(exp_of(auth.check(&over)), (Err(Reject::TooLarge), Lookup::Miss));
    // Well under the limit, a token of a few KiB (many claims) passes.
    let mid = hs256_of_len(3000, key, exp);
    assert_eq!(exp_of(auth.check(&mid)), (Ok(exp), Lookup::Miss));
}

#[test]
fn the_leeway_lets_a_just_expired_token_pass_from_the_cache_too() {
    let key = b"0123456789abcdef0123456789abcdef";
    let auth = Auth::new(&AuthConfig {
        leeway: Duration::from_secs(30),
        ..secret_cfg(key)
    })
    .unwrap();
    assert_eq!(auth.leeway(), Duration::from_secs(30));
    let exp = now_unix() - 10;
    let t = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{exp}}}"#), key);
    assert_eq!(exp_of(auth.check(&t)), (Ok(exp), Lookup::Miss));
    assert_eq!(exp_of(auth.check(&t)), (Ok(exp), Lookup::Hit));
    let long_gone = now_unix() - 40;
    let t = hs256(r#"{"alg":"HS256"}"#, &format!(r#"{{"exp":{long_gone}}}"#), key);
    assert_eq!(exp_of(auth.check(&t)), (Err(Reject::Expired), Lookup::Miss));
}

#[test]
fn every_refusal_has_the_metric_label_the_readme_lists() {
    let labels: Vec<&str> = Reject::ALL.iter().map(|r| r.label()).collect();
    assert_eq!(
        labels,
        [
            "missing",
            "too_large",
            "malformed",
            "algorithm",
            "crit",
            "signature",
            "expired",
            "not_yet_valid",
            "issuer",
            "audience",
            "missing_claim",
            "unknown_key",
            "revoked"
        ]
    );
}

#[test]
fn a_private_key_given_as_the_public_key_is_refused_by_its_kind() {
    for (label, kind) in [
        ("PRIVATE KEY", "private key (PKCS#8)"),
        ("RSA PRIVATE KEY", "RSA private key"),
        ("EC PRIVATE KEY", "EC private key"),
        ("ENCRYPTED PRIVATE KEY", "encrypted private key"),
        ("OPENSSH PRIVATE KEY", "OpenSSH private key"),
    ] {
        let pem =
            format!("-----BEGIN {label}-----\nMC4CAQAwBQYDK2VwBCIEIJ0yTbTTZkmurIjyp2jC1zk58nwWUjQZpofwgPUBPYyU\n-----END {label}-----\n");
        let err = Verifier::new(&AuthConfig {
            key: KeyMaterial::PublicKeyPem(pem.into_bytes()),
            ..secret_cfg(b"k")
        })
        .err()
        .unwrap();
        assert!(err.starts_with(&format!("the file holds a {kind}, not a public key")), "{err}");
        assert!(err.contains("-pubout"), "{err}");
    }
    // A public key is not mistaken for one.
    let err = Verifier::new(&AuthConfig {
        key: KeyMaterial::PublicKeyPem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".to_vec()),
        ..secret_cfg(b"k")
    })
    .err()
    .unwrap();
    assert_eq!(err, "not a PEM RSA, EC or Ed25519 public key");
}

#[test]
fn the_key_never_shows_in_debug_output() {
    let secret = b"0123456789abcdef0123456789abcdef".to_vec();
    let shown = format!("{:?}", KeyMaterial::Secret(secret.clone()));
    assert_eq!(
        shown,
        format!("Secret(sha256:{})", crate::redact::fingerprint("0123456789abcdef0123456789abcdef"))
    );
    assert_eq!(format!("{:?}", KeyMaterial::PublicKeyPem(ED_PUB.into())), "PublicKeyPem");
    let KeyMaterial::Jwks(mut source) = jwks_cfg().key else {
        unreachable!()
    };
    source.url = "https://user:pw@idp.example/jwks.json".into();
    let shown = format!("{:?}", KeyMaterial::Jwks(source));
    assert!(shown.starts_with("Jwks(https://") && !shown.contains("pw@"), "{shown}");
}

/// The JWK of an Ed25519 PEM public key, with `kid`.
fn ed_jwk(kid: &str, pem: &str) -> String {
    let der: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(der).unwrap();
    let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&der[der.len() - 32..]);
    format!(r#"{{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","kid":"{kid}","x":"{x}"}}"#)
}

/// A JWKS server on loopback: the n-th request gets `sets[n]` (the last one again after
/// that); returns the URL and the count of requests.
async fn jwks_server(sets: Vec<String>) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::Ordering;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let served = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = served.clone();
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst);
            let body = sets[n.min(sets.len() - 1)].clone();
            let mut buf = [0u8; 4096];
            let _ = tcp.read(&mut buf).await;
            let resp = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = tcp.write_all(resp.as_bytes()).await;
        }
    });
    (format!("http://127.0.0.1:{port}/jwks.json"), served)
}

#[tokio::test]
async fn a_token_naming_a_new_key_fetches_the_set_once_and_passes_with_it() {
    use std::sync::atomic::Ordering;
    let a = ed_jwk("a", ED_PUB);
    let b = ed_jwk("b", ED2_PUB);
    let (url, served) = jwks_server(vec![format!(r#"{{"keys":[{a}]}}"#), format!(r#"{{"keys":[{a},{b}]}}"#)]).await;
    let mut cfg = jwks_cfg();
    let KeyMaterial::Jwks(source) = &mut cfg.key else { unreachable!() };
    source.url = url;
    let auth = Auth::load(&cfg, JwksMetrics::default()).await.unwrap();
    assert_eq!((auth.verifier.key_count(), served.load(Ordering::SeqCst)), (1, 1));
    let exp = now_unix() + 600;
    let claims = format!(r#"{{"exp":{exp}}}"#);
    // A token for a key in the set fetches nothing.
    let with_a = eddsa(r#"{"alg":"EdDSA","kid":"a"}"#, &claims, ED_KEY);
    assert_eq!(exp_of(auth.authenticate(&with_a).await), (Ok(exp), Lookup::Miss));
    assert_eq!(served.load(Ordering::SeqCst), 1);
    // One naming b: one fetch brings b, and the token passes on that same handshake.
    let with_b = eddsa(r#"{"alg":"EdDSA","kid":"b"}"#, &claims, ED2_KEY);
    assert_eq!(exp_of(auth.authenticate(&with_b).await).0, Ok(exp));
    assert_eq!((auth.verifier.key_count(), served.load(Ordering::SeqCst)), (2, 2));
    // A kid the set still lacks is refused; within --jwks-min-refresh no second fetch.
    let with_c = eddsa(r#"{"alg":"EdDSA","kid":"c"}"#, &claims, ED2_KEY);
    assert_eq!(auth.authenticate(&with_c).await.0.err(), Some(Reject::UnknownKey));
    assert_eq!(auth.authenticate(&with_c).await.0.err(), Some(Reject::UnknownKey));
    assert_eq!(served.load(Ordering::SeqCst), 2);
}

#[test]
fn an_empty_header_or_claims_part_is_malformed_whatever_the_signature() {
    let v = Verifier::new(&secret_cfg(b"0123456789abcdef0123456789abcdef")).unwrap();
    let sig = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let header = b64(r#"{"alg":"HS256"}"#);
    let claims = b64(&format!(r#"{{"exp":{}}}"#, now_unix() + 60));
    assert_eq!(v.verify(&format!("{header}..{sig}")), Err(Reject::Malformed));
    assert_eq!(v.verify(&format!(".{claims}.{sig}")), Err(Reject::Malformed));
    assert_eq!(v.verify(&format!("..{sig}")), Err(Reject::Malformed));
    // With both parts there, the same signature is just a bad one.
    assert_eq!(v.verify(&format!("{header}.{claims}.{sig}")), Err(Reject::Signature));
}

#[test]
fn a_cached_pass_past_its_exp_and_leeway_is_refused_and_dropped() {
    let auth = Auth::new(&AuthConfig {
        leeway: Duration::from_secs(5),
        ..secret_cfg(b"0123456789abcdef0123456789abcdef")
    })
    .unwrap();
    // The cache should have let it go by now; were it still there, the hit is refused.
    let key = [7u8; 32];
    auth.cache.insert(key, valid(now_unix() - 7));
    assert_eq!(auth.recheck(&key, valid(now_unix() - 7)).err(), Some(Reject::Expired));
    assert!(auth.cache.get(&key).is_none());
    let within = now_unix() - 3;
    assert_eq!(auth.recheck(&key, valid(within)).map(|p| p.exp).ok(), Some(within));
}
