//! The proxy's auth check on a cache hit (target: at most 5 µs), next to uncached HS256
//! and RS256 verifications (what one new token costs) for scale.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;

use aiwfe::proxy::auth::{Auth, AuthConfig, KeyMaterial, Verifier};

const SECRET: &[u8] = b"bench-secret-0123456789abcdef0123";

fn config() -> AuthConfig {
    AuthConfig {
        key: KeyMaterial::Secret(SECRET.to_vec()),
        algorithm: None,
        issuer: Some("aiwfe-auth".into()),
        audience: Some("gateway".into()),
        leeway: Duration::from_secs(30),
        cache_size: 100_000,
        cache_ttl: Duration::from_secs(300),
        forward_claims: vec!["sub".into(), "roles".into()],
    }
}

fn token() -> String {
    let exp = aiwfe::proxy::auth::now_unix() + 3600;
    // A realistically sized token: about 400 bytes.
    let claims = serde_json::json!({
        "sub": "user-1234567890", "iss": "aiwfe-auth", "aud": "gateway", "exp": exp,
        "roles": ["reader", "writer"], "session": "0123456789abcdef0123456789abcdef0123456789abcdef",
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET),
    )
    .expect("sign")
}

fn bench(c: &mut Criterion) {
    // As `aiwfe proxy` does before any token is handled: ring checks signatures.
    aiwfe::proxy::crypto::install();
    assert!(aiwfe::proxy::crypto::installed());
    let auth = Auth::new(&config()).expect("auth");
    let t = token();
    assert!(auth.check(&t).0.is_ok());
    c.bench_function("auth check, cache hit", |b| b.iter(|| auth.check(black_box(&t))));
    let v = Verifier::new(&config()).expect("verifier");
    c.bench_function("auth check, HS256 verify without cache", |b| b.iter(|| v.verify(black_box(&t))));

    // RS256 with a 2048-bit key made by openssl for this run.
    let dir = std::env::temp_dir().join(format!("aiwfe-bench-rsa-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (key, public) = (dir.join("rsa.key"), dir.join("rsa.pub.pem"));
    let ok = |args: &[&str]| {
        std::process::Command::new("openssl")
            .args(args)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    };
    let key_s = key.to_str().expect("utf-8 path");
    let public_s = public.to_str().expect("utf-8 path");
    assert!(
        ok(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key_s])
            && ok(&["pkey", "-in", key_s, "-pubout", "-out", public_s]),
        "openssl is needed for the RS256 figures"
    );
    let rsa_cfg = AuthConfig {
        key: KeyMaterial::PublicKeyPem(std::fs::read(&public).expect("public key")),
        ..config()
    };
    let exp = aiwfe::proxy::auth::now_unix() + 3600;
    let claims = serde_json::json!({"sub": "user-1234567890", "iss": "aiwfe-auth", "aud": "gateway", "exp": exp});
    let rs = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_rsa_pem(&std::fs::read(&key).expect("key")).expect("rsa key"),
    )
    .expect("sign");
    let _ = std::fs::remove_dir_all(&dir);
    let rv = Verifier::new(&rsa_cfg).expect("verifier");
    assert!(rv.verify(&rs).is_ok());
    c.bench_function("auth check, RS256 verify without cache", |b| b.iter(|| rv.verify(black_box(&rs))));
    let rauth = Auth::new(&rsa_cfg).expect("auth");
    assert!(rauth.check(&rs).0.is_ok());
    c.bench_function("auth check, RS256 token, cache hit", |b| b.iter(|| rauth.check(black_box(&rs))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
