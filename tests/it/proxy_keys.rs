//! `aiwfe proxy` refuses keys that would let tokens be forged or that cannot verify any
//! token: short HMAC secrets, small RSA keys, a private key where the public one belongs.
//! Keys are made by `openssl`; every case runs the real binary and exits 2 before
//! listening.

use crate::proxy::openssl;
use crate::support::*;

fn proxy(key_args: &[&str]) -> std::process::Output {
    run(aiwfe()
        .args(["proxy", "--listen", "127.0.0.1:0", "--upstream", "ws://127.0.0.1:9"])
        .args(key_args))
}

fn refused(out: &std::process::Output, words: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for w in words {
        assert!(err.contains(w), "no {w:?} in: {err}");
    }
    assert!(!err.contains("listening"), "{err}");
}

#[test]
fn hmac_secrets_shorter_than_the_hash_are_refused_with_a_way_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    std::fs::write(path("one"), "k").unwrap();
    refused(
        &proxy(&["--jwt-secret-file", &path("one")]),
        &["--jwt-secret-file", "1 bytes", "HS256 needs at least 32", "openssl rand -base64 32"],
    );
    // 32 bytes (16 random ones in hex): enough for HS256, and the proxy starts; not for HS512.
    openssl(&["rand", "-hex", "-out", &path("32"), "16"]);
    refused(
        &proxy(&["--jwt-secret-file", &path("32"), "--algorithm", "HS512"]),
        &["32 bytes", "HS512 needs at least 64", "openssl rand -base64 64"],
    );
    let mut child = aiwfe()
        .args([
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            "ws://127.0.0.1:9",
            "--jwt-secret-file",
            &path("32"),
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let mut first = [0u8; 64];
    let n = std::io::Read::read(&mut err, &mut first).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        String::from_utf8_lossy(&first[..n]).contains("listening"),
        "{}",
        String::from_utf8_lossy(&first[..n])
    );
}

#[test]
fn rsa_keys_under_2048_bits_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:1024",
        "-out",
        &path("small.key"),
    ]);
    openssl(&["pkey", "-in", &path("small.key"), "-pubout", "-out", &path("small.pub")]);
    refused(
        &proxy(&["--jwt-public-key", &path("small.pub")]),
        &["--jwt-public-key", "1024 bits", "at least 2048", "rsa_keygen_bits:2048"],
    );
}

#[test]
fn a_private_key_given_as_the_public_key_is_refused_without_printing_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str| dir.path().join(n).to_str().unwrap().to_string();
    openssl(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        &path("rsa.key"),
    ]);
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        &path("ec.key"),
    ]);
    openssl(&["ec", "-in", &path("ec.key"), "-out", &path("ec-sec1.key")]);
    for (key, kind) in [("rsa.key", "private key (PKCS#8)"), ("ec-sec1.key", "EC private key")] {
        let out = proxy(&["--jwt-public-key", &path(key)]);
        refused(
            &out,
            &["--jwt-public-key", kind, "not a public key", "openssl pkey -in KEY -pubout"],
        );
        let pem = std::fs::read_to_string(path(key)).unwrap();
        let body = pem.lines().nth(1).unwrap();
        assert!(!stderr(&out).contains(body), "the key itself is printed");
    }
}
