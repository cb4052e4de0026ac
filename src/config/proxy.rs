//! `aiwfe proxy` settings: its flags and the `proxy:` section of aiwfe.yaml → `proxy::Config`.
//! Key files are read here and parsed by `proxy::auth`, so a bad key exits 2 before
//! anything listens.

use super::values::{Env, parse_duration, parse_size, read_secret};
use crate::cli;
use crate::error::{Error, Result};
use crate::proxy::defaults;
use crate::redact;
use crate::ws_token::TokenIn;
use serde::Deserialize;
use std::path::PathBuf;
use std::time::Duration;

/// `proxy:` in aiwfe.yaml: the flags of `aiwfe proxy` by their long names (with `_`);
/// a flag given on the command line wins.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProxyFile {
    pub listen: Option<String>,
    pub upstream: Option<String>,
    pub upstream_cacert: Option<PathBuf>,
    pub jwt_secret_file: Option<PathBuf>,
    pub jwt_public_key: Option<PathBuf>,
    pub jwks_url: Option<String>,
    pub jwks_cacert: Option<PathBuf>,
    pub jwks_refresh: Option<String>,
    pub jwks_min_refresh: Option<String>,
    pub algorithm: Option<String>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    pub leeway: Option<String>,
    /// `header`, `query`, `cookie`, `subprotocol`, in order.
    pub token_from: Option<Vec<String>>,
    pub cache_size: Option<u64>,
    pub cache_ttl: Option<String>,
    pub drain: Option<String>,
    pub forward_claims: Option<Vec<String>>,
    pub ping_interval: Option<String>,
    pub ping_timeout: Option<String>,
    pub close_timeout: Option<String>,
    pub max_message: Option<String>,
    pub max_connections: Option<usize>,
    pub header_timeout: Option<String>,
    pub revocation: Option<RevocationFile>,
}

/// `proxy.revocation:` in aiwfe.yaml.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationFile {
    /// redis:// or rediss:// URL, without its password.
    pub redis: String,
    pub username: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    pub set: Option<String>,
    pub ttl: Option<String>,
    pub fail_open: Option<bool>,
}

/// `aiwfe proxy` flags and `proxy:` in aiwfe.yaml → `ProxyConfig`; key files are read
/// here, parsed by `proxy::auth`.
pub fn proxy_config(mut p: cli::ProxyArgs, file: Option<&ProxyFile>, env: &dyn Env) -> Result<crate::proxy::Config> {
    use crate::proxy::auth::{AuthConfig, KeyMaterial};
    let f = file.cloned().unwrap_or_default();
    // Which settings came from the file, so that errors name the key the user wrote.
    let mut from_file: Vec<&'static str> = Vec::new();
    macro_rules! fill {
        ($($k:ident),*) => {$(
            if p.$k.is_none() && f.$k.is_some() {
                p.$k = f.$k.clone();
                from_file.push(stringify!($k));
            }
        )*};
    }
    fill!(
        listen,
        upstream,
        upstream_cacert,
        algorithm,
        issuer,
        audience,
        leeway,
        cache_size,
        cache_ttl,
        drain,
        ping_interval,
        ping_timeout,
        close_timeout,
        max_message,
        max_connections,
        header_timeout,
        jwks_cacert,
        jwks_refresh,
        jwks_min_refresh
    );
    if p.jwt_secret_file.is_none() && p.jwt_public_key.is_none() && p.jwks_url.is_none() {
        let given = [f.jwt_secret_file.is_some(), f.jwt_public_key.is_some(), f.jwks_url.is_some()];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(Error::Invalid {
                field: "proxy.jwt_secret_file".into(),
                reason: "give one key source: jwt_secret_file, jwt_public_key or jwks_url".into(),
            });
        }
        fill!(jwt_secret_file, jwt_public_key, jwks_url);
    }
    let field = |flag: &str| -> String {
        let key = flag.trim_start_matches("--").replace('-', "_");
        if from_file.contains(&key.as_str()) {
            format!("proxy.{key}")
        } else {
            flag.to_string()
        }
    };
    let invalid = |flag: &str, reason: String| Error::Invalid {
        field: field(flag),
        reason,
    };
    let listen_s = p.listen.as_deref().unwrap_or(defaults::LISTEN);
    let listen: std::net::SocketAddr = listen_s
        .parse()
        .map_err(|_| invalid("--listen", format!("`{listen_s}` is not an address; write e.g. 0.0.0.0:8080")))?;
    let Some(upstream) = p.upstream.as_deref() else {
        return Err(invalid(
            "--upstream",
            "name the WebSocket server to protect: --upstream ws://HOST:PORT (or `proxy.upstream` in aiwfe.yaml)".into(),
        ));
    };
    let up = url::Url::parse(upstream).map_err(|e| invalid("--upstream", format!("`{}`: {e}", redact::url(upstream))))?;
    let tls = match up.scheme() {
        "ws" => None,
        "wss" => {
            let pem = match &p.upstream_cacert {
                Some(path) => Some(std::fs::read(path).map_err(|e| Error::SecretFile {
                    what: field("--upstream-cacert"),
                    path: path.clone(),
                    reason: e.to_string().to_lowercase(),
                })?),
                None => None,
            };
            let cfg = crate::tls::http_client(pem.as_deref(), false).map_err(|e| invalid("--upstream-cacert", e.to_string()))?;
            Some(std::sync::Arc::new(cfg))
        }
        other => {
            return Err(invalid(
                "--upstream",
                format!("`{other}://` is not a WebSocket URL; write ws://HOST:PORT or wss://HOST:PORT"),
            ));
        }
    };
    if up.path() != "/" || up.query().is_some() {
        return Err(invalid(
            "--upstream",
            "give the upstream without a path: each request's own path and query are forwarded".into(),
        ));
    }
    let host = up.host_str().unwrap_or_default().trim_matches(['[', ']']).to_string();
    if host.is_empty() {
        return Err(invalid("--upstream", "the URL has no host".into()));
    }
    if p.jwks_url.is_none() {
        // These only mean something with a JWKS; say so instead of ignoring them.
        for (flag, set) in [
            ("--jwks-refresh", p.jwks_refresh.is_some()),
            ("--jwks-min-refresh", p.jwks_min_refresh.is_some()),
            ("--jwks-cacert", p.jwks_cacert.is_some()),
        ] {
            if set {
                return Err(invalid(flag, "applies to --jwks-url only".into()));
            }
        }
    }
    let key = match (&p.jwt_secret_file, &p.jwt_public_key) {
        (None, None) if p.jwks_url.is_some() => KeyMaterial::Jwks(jwks_source(&p, &field)?),
        (Some(path), _) => {
            let raw = std::fs::read(path).map_err(|e| Error::SecretFile {
                what: field("--jwt-secret-file"),
                path: path.clone(),
                reason: e.to_string().to_lowercase(),
            })?;
            let trimmed = raw.strip_suffix(b"\n").unwrap_or(&raw);
            let trimmed = trimmed.strip_suffix(b"\r").unwrap_or(trimmed);
            KeyMaterial::Secret(trimmed.to_vec())
        }
        (None, Some(path)) => KeyMaterial::PublicKeyPem(std::fs::read(path).map_err(|e| Error::SecretFile {
            what: field("--jwt-public-key"),
            path: path.clone(),
            reason: e.to_string().to_lowercase(),
        })?),
        (None, None) => {
            return Err(invalid(
                "--jwt-secret-file",
                "pass --jwt-secret-file, --jwt-public-key or --jwks-url (or set one under `proxy:` in aiwfe.yaml)".into(),
            ));
        }
    };
    let leeway = match p.leeway.as_deref().unwrap_or(defaults::LEEWAY).trim() {
        "0" | "0s" | "0ms" => Duration::ZERO,
        s => parse_duration(s).map_err(|r| invalid("--leeway", r))?,
    };
    let token_from_given: Vec<TokenIn> = if !p.token_from.is_empty() {
        p.token_from.clone()
    } else if let Some(list) = &f.token_from {
        list.iter()
            .map(|t| {
                TokenIn::parse(t).ok_or_else(|| Error::Invalid {
                    field: "proxy.token_from".into(),
                    reason: format!("`{}` is not a place; use header, query, cookie or subprotocol", t.trim()),
                })
            })
            .collect::<Result<_>>()?
    } else {
        TokenIn::ALL.to_vec()
    };
    let mut token_from = Vec::new();
    for t in token_from_given {
        if !token_from.contains(&t) {
            token_from.push(t);
        }
    }
    let (claims_given, claims_field) = if p.forward_claims.is_empty() {
        (f.forward_claims.clone().unwrap_or_default(), "proxy.forward_claims")
    } else {
        (p.forward_claims.clone(), "--forward-claims")
    };
    let mut forward_claims = Vec::new();
    for c in claims_given.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        if !c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.') {
            return Err(Error::Invalid {
                field: claims_field.into(),
                reason: format!("`{c}` cannot be part of a header name; use letters, digits, `_`, `-` or `.`"),
            });
        }
        if !forward_claims.iter().any(|f: &String| f.eq_ignore_ascii_case(c)) {
            forward_claims.push(c.to_string());
        }
    }
    let revocation = match (&p.revocation_redis, &f.revocation) {
        (None, None) => None,
        (Some(u), _) => Some(revocation_config(
            u.clone(),
            ("--revocation-redis", "--revocation-ttl"),
            p.revocation_set.clone(),
            p.revocation_ttl.as_deref(),
            p.revocation_fail_open,
        )?),
        (None, Some(r)) => {
            let mut u = url::Url::parse(&r.redis).map_err(|e| Error::Invalid {
                field: "proxy.revocation.redis".into(),
                reason: format!("`{}`: {e}", redact::url(&r.redis)),
            })?;
            if let Some(name) = &r.username {
                let _ = u.set_username(name);
            }
            if let Some(pw) = read_secret("proxy.revocation", r.password_env.as_ref(), r.password_file.as_ref(), env)? {
                let _ = u.set_password(Some(pw.expose()));
            }
            Some(revocation_config(
                u.to_string(),
                ("proxy.revocation.redis", "proxy.revocation.ttl"),
                r.set.clone(),
                r.ttl.as_deref(),
                r.fail_open.unwrap_or(false),
            )?)
        }
    };
    let cache_size = p.cache_size.unwrap_or(defaults::CACHE_SIZE);
    if cache_size == 0 {
        return Err(invalid("--cache-size", "must be at least 1".into()));
    }
    if p.max_connections == Some(0) {
        return Err(invalid("--max-connections", "must be at least 1".into()));
    }
    let header_timeout =
        parse_duration(p.header_timeout.as_deref().unwrap_or(defaults::HEADER_TIMEOUT)).map_err(|r| invalid("--header-timeout", r))?;
    if header_timeout.is_zero() {
        return Err(invalid("--header-timeout", "must be more than 0".into()));
    }
    let cfg = crate::proxy::Config {
        listen,
        upstream: crate::proxy::upstream::Upstream {
            host,
            port: up.port_or_known_default().unwrap_or(80),
            tls,
        },
        auth: AuthConfig {
            key,
            algorithm: p.algorithm.clone(),
            issuer: p.issuer.clone(),
            audience: p.audience.clone(),
            leeway,
            cache_size,
            cache_ttl: parse_duration(p.cache_ttl.as_deref().unwrap_or(defaults::CACHE_TTL)).map_err(|r| invalid("--cache-ttl", r))?,
            forward_claims,
        },
        token_from,
        drain: parse_duration(p.drain.as_deref().unwrap_or(defaults::DRAIN)).map_err(|r| invalid("--drain", r))?,
        limits: crate::proxy::relay::Limits {
            ping_interval: match p.ping_interval.as_deref().unwrap_or(defaults::PING_INTERVAL).trim() {
                "0" | "0s" => None,
                s => Some(parse_duration(s).map_err(|r| invalid("--ping-interval", r))?),
            },
            ping_timeout: parse_duration(p.ping_timeout.as_deref().unwrap_or(defaults::PING_TIMEOUT))
                .map_err(|r| invalid("--ping-timeout", r))?,
            close_timeout: parse_duration(p.close_timeout.as_deref().unwrap_or(defaults::CLOSE_TIMEOUT))
                .map_err(|r| invalid("--close-timeout", r))?,
            max_message: parse_size(p.max_message.as_deref().unwrap_or(defaults::MAX_MESSAGE)).map_err(|r| invalid("--max-message", r))?,
        },
        revocation,
        max_connections: p.max_connections,
        header_timeout,
    };
    // Refuse a bad key or algorithm now (exit 2), not at the first connection.
    let key_flag = if p.jwt_secret_file.is_some() {
        "--jwt-secret-file"
    } else if p.jwt_public_key.is_some() {
        "--jwt-public-key"
    } else {
        "--algorithm"
    };
    crate::proxy::auth::Verifier::new(&cfg.auth).map_err(|r| invalid(key_flag, r))?;
    Ok(cfg)
}

/// Validates the revocation settings; the two names say where the URL and the TTL came from.
fn revocation_config(
    url: String,
    (field, ttl_field): (&str, &str),
    set: Option<String>,
    ttl: Option<&str>,
    fail_open: bool,
) -> Result<crate::proxy::revoke::RevocationConfig> {
    let invalid = |reason: String| Error::Invalid {
        field: field.into(),
        reason,
    };
    let parsed = url::Url::parse(&url).map_err(|e| invalid(format!("`{}`: {e}", redact::url(&url))))?;
    if !matches!(parsed.scheme(), "redis" | "rediss") {
        return Err(invalid(format!("`{}` is not a redis:// or rediss:// URL", redact::url(&url))));
    }
    Ok(crate::proxy::revoke::RevocationConfig {
        url,
        set: set.unwrap_or_else(|| defaults::REVOCATION_SET.into()),
        ttl: parse_duration(ttl.unwrap_or(defaults::REVOCATION_TTL)).map_err(|r| Error::Invalid {
            field: ttl_field.into(),
            reason: r,
        })?,
        fail_open,
    })
}

/// `--jwks-url` and its settings: https://, or http:// only to a loopback host.
fn jwks_source(p: &cli::ProxyArgs, field: &dyn Fn(&str) -> String) -> Result<crate::proxy::jwks::JwksSource> {
    let invalid = |flag: &str, reason: String| Error::Invalid {
        field: field(flag),
        reason,
    };
    let raw = p.jwks_url.clone().unwrap_or_default();
    let u = url::Url::parse(&raw).map_err(|e| invalid("--jwks-url", format!("`{}`: {e}", redact::url(&raw))))?;
    let loopback = match u.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => return Err(invalid("--jwks-url", "the URL has no host".into())),
    };
    match u.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(invalid(
                "--jwks-url",
                format!(
                    "`{}`: keys are fetched over http:// only from localhost; use https:// (with --jwks-cacert for a private CA)",
                    redact::url(&raw)
                ),
            ));
        }
        s => return Err(invalid("--jwks-url", format!("`{s}://` is not supported; use https://"))),
    }
    let cacert = match &p.jwks_cacert {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| Error::SecretFile {
                what: field("--jwks-cacert"),
                path: path.clone(),
                reason: e.to_string().to_lowercase(),
            })?;
            crate::tls::check_cacert(&pem).map_err(|e| invalid("--jwks-cacert", e.to_string()))?;
            Some(pem)
        }
        None => None,
    };
    Ok(crate::proxy::jwks::JwksSource {
        url: raw,
        cacert,
        refresh: parse_duration(p.jwks_refresh.as_deref().unwrap_or(defaults::JWKS_REFRESH)).map_err(|r| invalid("--jwks-refresh", r))?,
        min_refresh: parse_duration(p.jwks_min_refresh.as_deref().unwrap_or(defaults::JWKS_MIN_REFRESH))
            .map_err(|r| invalid("--jwks-min-refresh", r))?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::cli::Cli;
    use crate::config::values::ProcessEnv;
    use clap::Parser;

    fn proxy(url: &str) -> Result<crate::proxy::Config> {
        let cli = Cli::try_parse_from(["aiwfe", "proxy", "--upstream", "ws://127.0.0.1:1", "--jwks-url", url]).unwrap();
        match cli.command {
            cli::Command::Proxy(p) => proxy_config(*p, None, &ProcessEnv),
            _ => panic!("not the proxy command"),
        }
    }

    #[test]
    fn jwks_over_http_only_to_loopback() {
        for ok in [
            "https://keys.example.com/.well-known/jwks.json",
            "http://127.0.0.1:8000/jwks.json",
            "http://localhost/jwks.json",
            "http://[::1]:9/jwks.json",
        ] {
            let cfg = proxy(ok).unwrap();
            assert!(matches!(&cfg.auth.key, crate::proxy::auth::KeyMaterial::Jwks(s) if s.url == ok));
        }
        for bad in [
            "http://keys.example.com/jwks.json",
            "http://10.0.0.1/jwks.json",
            "ftp://localhost/k",
        ] {
            let err = proxy(bad).unwrap_err().to_string();
            assert!(err.contains("--jwks-url") && err.contains("https://"), "{bad}: {err}");
        }
    }
}
