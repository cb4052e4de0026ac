//! The proxy's auth check on a cache hit (target: at most 5 µs), next to an uncached
//! HS256 verification for scale.

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
    let auth = Auth::new(&config()).expect("auth");
    let t = token();
    assert!(auth.check(&t).0.is_ok());
    c.bench_function("auth check, cache hit", |b| b.iter(|| auth.check(black_box(&t))));
    let v = Verifier::new(&config()).expect("verifier");
    c.bench_function("auth check, HS256 verify without cache", |b| b.iter(|| v.verify(black_box(&t))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
