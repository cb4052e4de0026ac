//! `aiwfe proxy`: loads the keys (a JWKS is fetched now, so nothing listens until tokens can
//! be checked), listens, serves until SIGTERM or SIGINT, then drains and exits 0.

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
    // This runtime loads the keys, waits for the signal and refreshes the JWKS; connections
    // are served by one thread per core, each with its own runtime (`proxy::serve`).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    rt.block_on(async {
        let metrics = proxy::metrics::Metrics::new();
        let auth = proxy::auth::Auth::load(&cfg.auth, metrics.jwks())
            .await
            .map_err(|reason| Error::Invalid {
                field: key_flag(&cfg.auth.key).into(),
                reason,
            })?;
        let listener = proxy::listen(cfg.listen).map_err(|e| Error::Invalid {
            field: "--listen".into(),
            reason: format!("cannot listen on `{}`: {}", cfg.listen, e.to_string().to_lowercase()),
        })?;
        let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
        let threads = proxy::threads();
        // As many open files as the host allows; the connection cap follows from it.
        let open_files = rlimit::Resource::NOFILE
            .get()
            .ok()
            .and_then(|(_, hard)| rlimit::increase_nofile_limit(hard).ok())
            .unwrap_or(1024);
        let cap = proxy::Capacity::new(cfg.max_connections, open_files);
        super::note(format_args!(
            "aiwfe proxy: listening on {addr} ({threads} threads), upstream {}",
            cfg.upstream.url()
        ));
        super::note(format_args!(
            "aiwfe proxy: at most {} connections (open-file limit {open_files}{})",
            cap.max_connections,
            if cfg.max_connections.is_some() {
                ""
            } else {
                "; --max-connections to change"
            }
        ));
        if !cap.fits() {
            super::note(format_args!(
                "aiwfe proxy: warning: {} connections need {} open files (two sockets each); the limit is {open_files}",
                cap.max_connections,
                cap.max_connections * 2 + 64
            ));
        }
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
        proxy::serve(listener, threads, cfg, cap, auth, metrics, shutdown).await?;
        super::note("aiwfe proxy: drained, exiting");
        Ok(0)
    })
}
