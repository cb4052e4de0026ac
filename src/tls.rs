//! Client TLS for everything that dials out: the WebSocket probe, the proxy's `wss://`
//! upstream, JWKS fetching and PostgreSQL. rustls with the ring provider, the one crypto
//! provider built in.

use rustls::pki_types::{CertificateDer, pem::PemObject};
use std::sync::Arc;

/// Why a TLS client configuration could not be built. Says nothing of which flag gave the
/// certificates: the caller names its own field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read a PEM certificate: {0}")]
    Pem(String),
    #[error("cannot use a certificate: {0}")]
    Certificate(String),
    #[error("holds no PEM certificate")]
    NoCertificate,
    #[error("cannot set up TLS: {0}")]
    Setup(String),
}

/// An HTTP/1.1 client configuration (ALPN `http/1.1`): roots from `cacert` (PEM) when
/// given, else the system's (Mozilla's bundle when the system has none); `insecure`
/// verifies nothing.
pub fn http_client(cacert: Option<&[u8]>, insecure: bool) -> Result<rustls::ClientConfig, TlsError> {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsError::Setup(e.to_string()))?;
    let mut cfg = if insecure {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
            .with_no_client_auth()
    } else {
        builder.with_root_certificates(roots(cacert)?).with_no_client_auth()
    };
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(cfg)
}

/// Checks that `pem` holds at least one usable certificate.
pub fn check_cacert(pem: &[u8]) -> Result<(), TlsError> {
    roots(Some(pem)).map(|_| ())
}

/// TLS as libpq's `sslmode=prefer`/`require` do it: encrypted, certificate not verified.
pub fn unverified() -> rustls::ClientConfig {
    let provider = provider();
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap_or_else(|_| {
            rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_protocol_versions(&[&rustls::version::TLS13])
                .expect("TLS 1.3 is supported by ring")
        });
    builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
        .with_no_client_auth()
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn roots(cacert: Option<&[u8]>) -> Result<rustls::RootCertStore, TlsError> {
    let mut roots = rustls::RootCertStore::empty();
    match cacert {
        Some(pem) => {
            for cert in CertificateDer::pem_slice_iter(pem) {
                let cert = cert.map_err(|e| TlsError::Pem(e.to_string()))?;
                roots.add(cert).map_err(|e| TlsError::Certificate(e.to_string()))?;
            }
            if roots.is_empty() {
                return Err(TlsError::NoCertificate);
            }
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            if roots.is_empty() {
                roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
            }
        }
    }
    Ok(roots)
}

/// Accepts any server certificate (still checking the handshake's signatures).
#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cacert_without_certificates_is_refused() {
        assert_eq!(check_cacert(b"not a certificate\n"), Err(TlsError::NoCertificate));
        assert_eq!(http_client(Some(b""), false).err(), Some(TlsError::NoCertificate));
        assert!(http_client(None, false).is_ok());
        assert_eq!(
            http_client(None, true).map(|c| c.alpn_protocols).ok(),
            Some(vec![b"http/1.1".to_vec()])
        );
    }
}
