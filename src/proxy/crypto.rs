//! Signature checks with ring (already in the tree through rustls) instead of the pure-Rust
//! RustCrypto backend jsonwebtoken uses by default: an RS256 check costs several times less,
//! and a handshake with a new token waits that much less. jsonwebtoken still parses tokens
//! and checks every claim; only the signature arithmetic is ring's.
//!
//! HMAC stays with RustCrypto, and so would RSA keys under 2048 bits, which ring refuses
//! (`check_rsa_size` refuses them first: `MIN_RSA_BITS`).

use jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER as RUST_CRYPTO;
use jsonwebtoken::crypto::{CryptoProvider, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::Error;
use jsonwebtoken::signature;
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind};
use ring::signature::{self as ring_sig, RsaPublicKeyComponents, UnparsedPublicKey, VerificationAlgorithm};

static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: RUST_CRYPTO.signer_factory,
    verifier_factory: new_verifier,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: RUST_CRYPTO.key_utils.rsa_pub_components_from_private_key,
        rsa_pub_components_from_public_key: RUST_CRYPTO.key_utils.rsa_pub_components_from_public_key,
        ec_pub_components_from_private_key: RUST_CRYPTO.key_utils.ec_pub_components_from_private_key,
        ed_pub_components_from_private_key: RUST_CRYPTO.key_utils.ed_pub_components_from_private_key,
        compute_digest: RUST_CRYPTO.key_utils.compute_digest,
    },
};

/// Makes ring the signature backend for this process. Call before the first token is
/// signed or checked (the backend is chosen once per process); later calls do nothing.
pub fn install() {
    let _ = PROVIDER.install_default();
}

/// Whether ring checks signatures in this process (installing it if nothing was chosen yet).
pub fn installed() -> bool {
    match PROVIDER.install_default() {
        Ok(()) => true,
        Err(current) => std::ptr::eq(current, &PROVIDER),
    }
}

/// The key as ring reads it.
#[derive(Clone)]
enum RingKey {
    /// DER (PKCS#1 RSAPublicKey), an uncompressed EC point, or a raw Ed25519 key.
    Bytes(Vec<u8>),
    /// RSA modulus and exponent (from a JWK).
    Rsa { n: Vec<u8>, e: Vec<u8> },
}

struct RingVerifier {
    alg: Algorithm,
    ring: &'static dyn VerificationAlgorithm,
    rsa_params: Option<&'static ring_sig::RsaParameters>,
    key: RingKey,
}

impl signature::Verifier<Vec<u8>> for RingVerifier {
    fn verify(&self, msg: &[u8], sig: &Vec<u8>) -> Result<(), signature::Error> {
        let ok = match (&self.key, self.rsa_params) {
            (RingKey::Rsa { n, e }, Some(params)) => RsaPublicKeyComponents { n, e }.verify(params, msg, sig).is_ok(),
            (RingKey::Bytes(k), _) => UnparsedPublicKey::new(self.ring, k).verify(msg, sig).is_ok(),
            (RingKey::Rsa { .. }, None) => false,
        };
        if ok { Ok(()) } else { Err(signature::Error::new()) }
    }
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}

/// The byte length of the modulus in a PKCS#1 RSAPublicKey (DER), leading zero excluded.
fn der_modulus_len(der: &[u8]) -> Option<usize> {
    Some(der_modulus(der)?.iter().skip_while(|b| **b == 0).count())
}

/// The modulus of a PKCS#1 RSAPublicKey, leading zeros included.
fn der_modulus(der: &[u8]) -> Option<&[u8]> {
    fn header(b: &[u8]) -> Option<(u8, usize, usize)> {
        let tag = *b.first()?;
        let first = *b.get(1)? as usize;
        if first < 0x80 {
            return Some((tag, first, 2));
        }
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        Some((tag, len, 2 + n))
    }
    let (tag, _, hl) = header(der)?;
    if tag != 0x30 {
        return None;
    }
    let rest = der.get(hl..)?;
    let (tag, len, hl) = header(rest)?;
    if tag != 0x02 {
        return None;
    }
    rest.get(hl..hl + len)
}

/// Fewer RSA modulus bits than this are refused (RFC 7518 §3.3), from a PEM and a JWKS.
pub const MIN_RSA_BITS: usize = 2048;

/// Refuses an RSA key under `MIN_RSA_BITS`.
pub fn check_rsa_size(key: &DecodingKey) -> Result<(), String> {
    match rsa_modulus_bits(key) {
        Some(bits) if bits < MIN_RSA_BITS => Err(format!(
            "the RSA key has {bits} bits; at least {MIN_RSA_BITS} are needed (RFC 7518 §3.3); make one with \
             `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:{MIN_RSA_BITS}`"
        )),
        _ => Ok(()),
    }
}

/// The size in bits of an RSA key's modulus; `None` for other keys.
pub fn rsa_modulus_bits(key: &DecodingKey) -> Option<usize> {
    let n: &[u8] = match key.kind() {
        DecodingKeyKind::RsaModulusExponent { n, .. } => n,
        DecodingKeyKind::SecretOrDer(der) => der_modulus(der)?,
    };
    let n = &n[n.iter().take_while(|b| **b == 0).count()..];
    let first = *n.first()?;
    Some(n.len() * 8 - first.leading_zeros() as usize)
}

type Chosen = (
    RingKey,
    Option<&'static ring_sig::RsaParameters>,
    &'static dyn VerificationAlgorithm,
);

/// What ring checks this algorithm and key with; `None`: RustCrypto does.
fn choose(alg: &Algorithm, key: &DecodingKey) -> Option<Chosen> {
    let rsa = |params: &'static ring_sig::RsaParameters, ring: &'static dyn VerificationAlgorithm| {
        let key = match key.kind() {
            DecodingKeyKind::SecretOrDer(der) => RingKey::Bytes(der.clone()),
            DecodingKeyKind::RsaModulusExponent { n, e } => RingKey::Rsa {
                n: n.clone(),
                e: e.clone(),
            },
        };
        let modulus = match &key {
            RingKey::Bytes(der) => der_modulus_len(der),
            RingKey::Rsa { n, .. } => Some(n.iter().skip_while(|b| **b == 0).count()),
        };
        // ring refuses RSA keys under 2048 bits: those stay with RustCrypto.
        (modulus.unwrap_or(0) >= 256).then_some((key, Some(params), ring))
    };
    let bytes = || match key.kind() {
        DecodingKeyKind::SecretOrDer(b) => Some(RingKey::Bytes(b.clone())),
        DecodingKeyKind::RsaModulusExponent { .. } => None,
    };
    match alg {
        Algorithm::RS256 => rsa(&ring_sig::RSA_PKCS1_2048_8192_SHA256, &ring_sig::RSA_PKCS1_2048_8192_SHA256),
        Algorithm::RS384 => rsa(&ring_sig::RSA_PKCS1_2048_8192_SHA384, &ring_sig::RSA_PKCS1_2048_8192_SHA384),
        Algorithm::RS512 => rsa(&ring_sig::RSA_PKCS1_2048_8192_SHA512, &ring_sig::RSA_PKCS1_2048_8192_SHA512),
        Algorithm::PS256 => rsa(&ring_sig::RSA_PSS_2048_8192_SHA256, &ring_sig::RSA_PSS_2048_8192_SHA256),
        Algorithm::PS384 => rsa(&ring_sig::RSA_PSS_2048_8192_SHA384, &ring_sig::RSA_PSS_2048_8192_SHA384),
        Algorithm::PS512 => rsa(&ring_sig::RSA_PSS_2048_8192_SHA512, &ring_sig::RSA_PSS_2048_8192_SHA512),
        Algorithm::ES256 => bytes().map(|k| (k, None, &ring_sig::ECDSA_P256_SHA256_FIXED as &dyn VerificationAlgorithm)),
        Algorithm::ES384 => bytes().map(|k| (k, None, &ring_sig::ECDSA_P384_SHA384_FIXED as &dyn VerificationAlgorithm)),
        Algorithm::EdDSA => bytes().map(|k| (k, None, &ring_sig::ED25519 as &dyn VerificationAlgorithm)),
        _ => None,
    }
}

/// ring's verifier for this algorithm and key, or `None` when RustCrypto would check it.
#[cfg(test)]
pub(crate) fn verifier_for_tests(alg: &Algorithm, key: &DecodingKey) -> Option<Box<dyn JwtVerifier>> {
    choose(alg, key).is_some().then(|| new_verifier(alg, key).ok()).flatten()
}

fn new_verifier(alg: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>, Error> {
    match choose(alg, key) {
        Some((key, rsa_params, ring)) => Ok(Box::new(RingVerifier {
            alg: *alg,
            ring,
            rsa_params,
            key,
        })),
        // HMAC, RSA under 2048 bits, and keys of the wrong kind (which it refuses).
        None => (RUST_CRYPTO.verifier_factory)(alg, key),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn openssl(dir: &std::path::Path, args: &[&str]) {
        let out = std::process::Command::new("openssl").current_dir(dir).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    /// Signs with jsonwebtoken (RustCrypto) and checks with `new_verifier` (ring), both ways.
    fn round_trip(alg: Algorithm, enc: jsonwebtoken::EncodingKey, dec: DecodingKey, ring_used: bool) {
        assert_eq!(choose(&alg, &dec).is_some(), ring_used, "{alg:?}: checked by ring");
        let msg = b"eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjF9";
        let sig = jsonwebtoken::crypto::sign(msg, &enc, alg).unwrap();
        let raw = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &sig).unwrap();
        let v = new_verifier(&alg, &dec).unwrap();
        assert_eq!(v.algorithm(), alg);
        assert!(signature::Verifier::verify(v.as_ref(), msg, &raw).is_ok(), "{alg:?}");
        let mut bad = raw.clone();
        bad[10] ^= 1;
        assert!(signature::Verifier::verify(v.as_ref(), msg, &bad).is_err(), "{alg:?} tampered");
        assert!(
            signature::Verifier::verify(v.as_ref(), b"other message", &raw).is_err(),
            "{alg:?} other"
        );
    }

    #[test]
    fn ring_checks_rsa_ec_and_ed25519_signatures_and_small_rsa_keys_still_work() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        openssl(
            d,
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:2048",
                "-out",
                "rsa.key",
            ],
        );
        openssl(d, &["pkey", "-in", "rsa.key", "-pubout", "-out", "rsa.pub"]);
        openssl(
            d,
            &[
                "genpkey",
                "-algorithm",
                "RSA",
                "-pkeyopt",
                "rsa_keygen_bits:1024",
                "-out",
                "small.key",
            ],
        );
        openssl(d, &["pkey", "-in", "small.key", "-pubout", "-out", "small.pub"]);
        openssl(
            d,
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-out",
                "ec.key",
            ],
        );
        openssl(d, &["pkcs8", "-topk8", "-nocrypt", "-in", "ec.key", "-out", "ec8.key"]);
        openssl(d, &["pkey", "-in", "ec.key", "-pubout", "-out", "ec.pub"]);
        openssl(d, &["genpkey", "-algorithm", "ED25519", "-out", "ed.key"]);
        openssl(d, &["pkey", "-in", "ed.key", "-pubout", "-out", "ed.pub"]);
        let r = |n: &str| std::fs::read(d.join(n)).unwrap();
        for alg in [
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS512,
        ] {
            round_trip(
                alg,
                jsonwebtoken::EncodingKey::from_rsa_pem(&r("rsa.key")).unwrap(),
                DecodingKey::from_rsa_pem(&r("rsa.pub")).unwrap(),
                true,
            );
        }
        round_trip(
            Algorithm::RS256,
            jsonwebtoken::EncodingKey::from_rsa_pem(&r("small.key")).unwrap(),
            DecodingKey::from_rsa_pem(&r("small.pub")).unwrap(),
            false,
        );
        round_trip(
            Algorithm::ES256,
            jsonwebtoken::EncodingKey::from_ec_pem(&r("ec8.key")).unwrap(),
            DecodingKey::from_ec_pem(&r("ec.pub")).unwrap(),
            true,
        );
        round_trip(
            Algorithm::EdDSA,
            jsonwebtoken::EncodingKey::from_ed_pem(&r("ed.key")).unwrap(),
            DecodingKey::from_ed_pem(&r("ed.pub")).unwrap(),
            true,
        );
        // An EC key used for RS256 is refused, not accepted.
        let wrong = new_verifier(&Algorithm::RS256, &DecodingKey::from_ec_pem(&r("ec.pub")).unwrap());
        if let Ok(v) = wrong {
            assert!(signature::Verifier::verify(v.as_ref(), b"m", &vec![0u8; 256]).is_err());
        }
    }

    #[test]
    fn the_modulus_length_is_read_from_pkcs1_der() {
        // SEQUENCE { INTEGER (0x00 + 256 bytes), INTEGER 65537 }
        let mut n = vec![0x00];
        n.extend(std::iter::repeat_n(0xab, 256));
        let mut body = vec![0x02, 0x82, 0x01, 0x01];
        body.extend(&n);
        body.extend([0x02, 0x03, 0x01, 0x00, 0x01]);
        let mut der = vec![0x30, 0x82, (body.len() >> 8) as u8, body.len() as u8];
        der.extend(&body);
        assert_eq!(der_modulus_len(&der), Some(256));
        assert_eq!(der_modulus_len(&[0x30, 0x03, 0x02, 0x01, 0x05]), Some(1));
        assert_eq!(der_modulus_len(&[0x31, 0x00]), None);
        assert_eq!(der_modulus_len(&[]), None);
    }
}
