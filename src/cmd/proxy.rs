//! `aiwfe proxy`: loads the keys (a JWKS is fetched now, so nothing listens until tokens can
//! be checked), listens, serves until SIGTERM or SIGINT, then drains and exits 0.

use super::runtime;
use crate::error::Error;
use crate::proxy::{self, auth::KeyMaterial};
use std::io::Write;

/// The flag that gave the keys, which is where a key problem is reported.
fn key_flag(key: &KeyMaterial) -> &'static str {
    match key {
        KeyMaterial::Jwks(_) => "--jwks-url",
        KeyMaterial::Secret(_) => "--jwt-secret-file",
        KeyMaterial::PublicKeyPem(_) => "--jwt-public-key",
    }
}

pub fn run(cfg: proxy::Config, _out: &mut impl Write) -> Result<u8, Error> {
    let rt = runtime(None)?;
    rt.block_on(async {
        let metrics = proxy::metrics::Metrics::new();
        let auth = proxy::auth::Auth::load(&cfg.auth, metrics.jwks())
            .await
            .map_err(|reason| Error::Invalid {
                field: key_flag(&cfg.auth.key).into(),
                reason,
            })?;
        let listener = tokio::net::TcpListener::bind(cfg.listen).await.map_err(|e| Error::Invalid {
            field: "--listen".into(),
            reason: format!("cannot listen on `{}`: {}", cfg.listen, e.to_string().to_lowercase()),
        })?;
        let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
        eprintln!("aiwfe proxy: listening on {addr}, upstream {}", cfg.upstream.url());
        let shutdown = async {
            let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return std::future::pending().await,
            };
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        };
        proxy::serve(listener, cfg, auth, metrics, shutdown).await?;
        eprintln!("aiwfe proxy: drained, exiting");
        Ok(0)
    })
}
