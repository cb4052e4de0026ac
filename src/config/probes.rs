//! Probe targets: flags, the `redis:`, `postgres:`, `ws:` and `kube:` sections of aiwfe.yaml,
//! and the environment (`PG*`, `REDISCLI_AUTH`, `AIWFE_WS_TOKEN`, `KUBECONFIG`) → each probe's
//! own `Target`.

use super::values::{Env, duration, either, pct, positive, read_secret, read_token_file};
use crate::cli;
use crate::error::{Error, Result};
use crate::probe::kube::{self, KubeThresholds, Source};
use crate::probe::{postgres, redis, websocket};
use crate::redact::{self, Secret};
use crate::ws_token::TokenIn;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisFile {
    pub url: Option<String>,
    pub username: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    /// PEM file with the CA(s) that signed the server's certificate (rediss://).
    pub cacert: Option<PathBuf>,
    pub pings: Option<u32>,
    pub latency_warn_ms: Option<f64>,
    pub clients_warn_pct: Option<f64>,
    pub clients_error_pct: Option<f64>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostgresFile {
    pub url: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    pub connections_warn_pct: Option<f64>,
    pub connections_error_pct: Option<f64>,
    pub idle_in_transaction_warn_s: Option<f64>,
    pub long_query_warn_s: Option<f64>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubeFile {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    /// A namespace, or `"*"` for all.
    pub namespace: Option<String>,
    pub snapshot: Option<PathBuf>,
    /// Multiplies the parse budget of a YAML snapshot (`--snapshot-budget`).
    pub snapshot_budget: Option<u32>,
    /// A container using less than this share of its CPU request is over-provisioned.
    pub overprovisioned_pct: Option<f64>,
    /// Cluster CPU efficiency (used ÷ requested) below this is a warning.
    pub efficiency_warn_pct: Option<f64>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WsFile {
    pub url: Option<String>,
    pub token_env: Option<String>,
    pub token_file: Option<PathBuf>,
    /// `header`, `query`, `cookie` or `subprotocol`.
    pub token_in: Option<String>,
    #[serde(default)]
    pub subprotocols: Vec<String>,
    /// Extra request headers, `"Name: value"`.
    #[serde(default)]
    pub headers: Vec<String>,
    pub send: Option<String>,
    pub expect: Option<String>,
    pub ping: Option<u32>,
    pub connections: Option<u32>,
    pub concurrency: Option<u32>,
    pub cacert: Option<PathBuf>,
    pub insecure: Option<bool>,
    pub compare: Option<String>,
    /// Handshake p95 at or above this is a warning, e.g. `1s`.
    pub warn_after: Option<String>,
    /// Handshake p95 at or above this is an error, e.g. `30s`.
    pub error_after: Option<String>,
}

/// Which probes a run includes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Redis,
    Postgres,
    Ws,
    Kube,
}

impl ProbeKind {
    pub const ALL: [ProbeKind; 4] = [ProbeKind::Redis, ProbeKind::Postgres, ProbeKind::Ws, ProbeKind::Kube];

    pub fn name(self) -> &'static str {
        match self {
            ProbeKind::Redis => "redis",
            ProbeKind::Postgres => "postgres",
            ProbeKind::Kube => "kube",
            ProbeKind::Ws => "ws",
        }
    }

    pub fn parse(s: &str, flag: &str) -> Result<ProbeKind> {
        ProbeKind::ALL
            .into_iter()
            .find(|k| k.name() == s.trim())
            .ok_or_else(|| Error::Invalid {
                field: flag.to_string(),
                reason: format!("unknown probe `{s}`; known probes: redis, postgres, ws, kube"),
            })
    }
}

/// Is there a cluster to look at without being told? `$KUBECONFIG`, `~/.kube/config`, or
/// a pod's service account.
pub fn kube_discoverable(env: &dyn Env) -> bool {
    env.var("KUBECONFIG").is_some()
        || env.var("KUBERNETES_SERVICE_HOST").is_some()
        || env
            .var("HOME")
            .is_some_and(|h| Path::new(&h).join(".kube").join("config").is_file())
}

pub fn kube_target(
    snapshot: Option<PathBuf>,
    snapshot_budget: Option<u32>,
    kubeconfig: Option<PathBuf>,
    context: Option<String>,
    namespace: Option<String>,
    all: bool,
    kf: Option<&KubeFile>,
) -> Result<kube::Target> {
    let (snapshot, name) = either(snapshot, "--snapshot", kf.and_then(|k| k.snapshot.clone()), "kube.snapshot");
    if let Some(p) = &snapshot
        && let Err(e) = std::fs::metadata(p)
    {
        // A symlink loop or a directory without permission exists; say what is wrong.
        let reason = match e.kind() {
            std::io::ErrorKind::NotFound => format!("`{}` does not exist", p.display()),
            _ => format!("cannot open `{}`: {}", p.display(), e.to_string().to_lowercase()),
        };
        return Err(Error::Invalid {
            field: name.into(),
            reason,
        });
    }
    let file_ns = kf.and_then(|k| k.namespace.clone());
    let namespace = if all {
        None
    } else {
        match namespace.or(file_ns) {
            Some(ns) if ns == "*" => None,
            Some(ns) => Some(ns),
            // A snapshot holds what was captured: all of it. A live cluster: the context's namespace.
            None if snapshot.is_some() => None,
            None => Some(String::new()),
        }
    };
    let source = match snapshot {
        Some(p) => Source::Snapshot(p),
        None => Source::Live(crate::cluster::live::LiveTarget {
            kubeconfig: kubeconfig.or_else(|| kf.and_then(|k| k.kubeconfig.clone())),
            context: context.or_else(|| kf.and_then(|k| k.context.clone())),
        }),
    };
    let d = KubeThresholds::default();
    let snapshot_budget = match snapshot_budget.or_else(|| kf.and_then(|k| k.snapshot_budget)) {
        Some(0) => {
            return Err(Error::Invalid {
                field: "kube.snapshot_budget".into(),
                reason: "must be at least 1 (it multiplies the budget)".into(),
            });
        }
        Some(n) => n,
        None => crate::cluster::read::DEFAULT_BUDGET,
    };
    Ok(kube::Target {
        source,
        namespace,
        snapshot_budget,
        thresholds: KubeThresholds {
            overprovisioned_pct: pct(
                "kube.overprovisioned_pct",
                kf.and_then(|k| k.overprovisioned_pct),
                d.overprovisioned_pct,
            )?,
            efficiency_warn_pct: pct(
                "kube.efficiency_warn_pct",
                kf.and_then(|k| k.efficiency_warn_pct),
                d.efficiency_warn_pct,
            )?,
        },
    })
}

/// Parses a `ws://` or `wss://` URL given as `field`.
pub fn ws_endpoint(raw: &str, field: &str) -> Result<websocket::Endpoint> {
    websocket::Endpoint::parse(raw).map_err(|reason| Error::Invalid {
        field: field.into(),
        reason,
    })
}

/// Builds the WebSocket target from `aiwfe probe ws` flags, `doctor --ws`, and the `ws:`
/// section of aiwfe.yaml; `None` when no URL is given anywhere.
pub fn ws_target(
    args: Option<cli::WsProbeArgs>,
    doctor_url: Option<String>,
    wf: WsFile,
    timeout: Duration,
    env: &dyn Env,
) -> Result<Option<websocket::Target>> {
    let a = args.unwrap_or_else(|| cli::WsProbeArgs {
        url: doctor_url,
        ..Default::default()
    });
    let Some(raw) = a.url.clone().or(wf.url.clone()) else {
        return Ok(None);
    };
    let endpoint = ws_endpoint(&raw, "ws url")?;
    let defaults = websocket::Target::new(endpoint.clone(), timeout);
    let compare = match a.compare.as_ref().or(wf.compare.as_ref()) {
        Some(c) => Some(ws_endpoint(c, "--compare")?),
        None => None,
    };
    let token = if let Some(t) = a.token.clone() {
        Some(Secret::new(t))
    } else if let Some(var) = a.token_env.as_ref() {
        Some(env.var(var).map(Secret::new).ok_or_else(|| Error::MissingEnv {
            field: "--token-env".into(),
            var: var.clone(),
        })?)
    } else if let Some(path) = a.token_file.as_ref() {
        Some(read_token_file("--token-file", path)?)
    } else if let Some(var) = wf.token_env.as_ref() {
        Some(env.var(var).map(Secret::new).ok_or_else(|| Error::MissingEnv {
            field: "ws.token_env".into(),
            var: var.clone(),
        })?)
    } else if let Some(path) = wf.token_file.as_ref() {
        Some(read_token_file("ws.token_file", path)?)
    } else {
        // A token already in the URL is used as it is, and masked like any other.
        let in_url = endpoint
            .url
            .query_pairs()
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| Secret::new(v.into_owned()));
        in_url.or_else(|| env.var("AIWFE_WS_TOKEN").map(Secret::new))
    };
    if token
        .as_ref()
        .is_some_and(|t| t.expose().is_empty() || t.expose().chars().any(|c| c.is_control() || c == ' '))
    {
        return Err(Error::Invalid {
            field: "ws token".into(),
            reason: "the token is empty or contains spaces or control characters".into(),
        });
    }
    let token_in = match (a.token_in, wf.token_in.as_deref()) {
        (Some(t), _) => t,
        (None, None) => TokenIn::Header,
        (None, Some(name)) => TokenIn::parse(name).ok_or_else(|| Error::Invalid {
            field: "ws.token_in".into(),
            reason: format!("`{name}` is not one of header, query, cookie, subprotocol"),
        })?,
    };
    let mut headers = Vec::new();
    for h in wf.headers.iter().chain(a.header.iter()) {
        let (k, v) = h.split_once(':').ok_or_else(|| Error::Invalid {
            field: "--header".into(),
            reason: format!("`{}` is not `Name: value`", h.split(':').next().unwrap_or_default()),
        })?;
        let k = k.trim();
        if k.is_empty() || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b)) {
            return Err(Error::Invalid {
                field: "--header".into(),
                reason: format!("`{k}` is not a header name"),
            });
        }
        headers.push((k.to_string(), v.trim().to_string()));
    }
    let mut subprotocols = wf.subprotocols.clone();
    subprotocols.extend(a.subprotocol.iter().cloned());
    let count = |field: &str, v: Option<u32>, default: u32, max: u32| -> Result<u32> {
        let v = v.unwrap_or(default);
        if v == 0 || v > max {
            return Err(Error::Invalid {
                field: field.into(),
                reason: format!("{v} is not between 1 and {max}"),
            });
        }
        Ok(v)
    };
    let (v, name) = either(a.connections, "--connections", wf.connections, "ws.connections");
    let connections = count(name, v, defaults.connections, 10_000_000)?;
    let (v, name) = either(a.concurrency, "--concurrency", wf.concurrency, "ws.concurrency");
    let concurrency = count(name, v, defaults.concurrency, 1_000_000)?.min(connections);
    let (v, ping_name) = either(a.ping, "--ping", wf.ping, "ws.ping");
    let pings = v.unwrap_or(0);
    if pings > 100_000 {
        return Err(Error::Invalid {
            field: ping_name.into(),
            reason: format!("{pings} is more than 100000"),
        });
    }
    let hold = match a.hold.as_deref() {
        Some(s) => Some(duration("--hold", Some(s), s)?),
        None => None,
    };
    let rate = a.rate.unwrap_or(defaults.rate);
    if !rate.is_finite() || !(0.0..=10_000.0).contains(&rate) {
        return Err(Error::Invalid {
            field: "--rate".into(),
            reason: format!("{rate} is not between 0 and 10000 messages per second"),
        });
    }
    let size = a.size.unwrap_or(defaults.size);
    if size > 16 << 20 {
        return Err(Error::Invalid {
            field: "--size".into(),
            reason: format!("{size} bytes is more than 16 MiB"),
        });
    }
    let cacert_path = a.cacert.clone().or(wf.cacert.clone());
    let cacert = match cacert_path {
        Some(path) => Some(std::fs::read(&path).map_err(|e| Error::SecretFile {
            what: "ws cacert".into(),
            path: path.clone(),
            reason: e.to_string().to_lowercase(),
        })?),
        None => None,
    };
    let warn_after = match either(a.warn_after.as_deref(), "--warn-after", wf.warn_after.as_deref(), "ws.warn_after") {
        (Some(s), name) => duration(name, Some(s), s)?,
        (None, _) => defaults.warn_after,
    };
    let error_after = match either(
        a.error_after.as_deref(),
        "--error-after",
        wf.error_after.as_deref(),
        "ws.error_after",
    ) {
        (Some(s), name) => duration(name, Some(s), s)?,
        (None, _) => defaults.error_after,
    };
    Ok(Some(websocket::Target {
        endpoint,
        compare,
        token,
        token_in,
        subprotocols,
        headers,
        send: a.send.or(wf.send),
        expect: a.expect.or(wf.expect),
        pings,
        cacert,
        insecure: a.insecure || wf.insecure.unwrap_or(false),
        connections,
        concurrency,
        hold,
        rate,
        await_echo: a.await_echo,
        size,
        timeout,
        warn_after,
        error_after,
    }))
}

/// Parses a Redis URL; a password in `rf` (env var or file) replaces one in the URL.
pub fn redis_target(flag: Option<String>, mut rf: RedisFile, pings: Option<u32>, env: &dyn Env) -> Result<redis::Target> {
    let raw = flag.or(rf.url.clone()).unwrap_or_else(|| redis::DEFAULT_URL.to_string());
    let field = "redis url";
    let invalid = |reason: String| Error::Invalid {
        field: field.into(),
        reason,
    };
    let u = url::Url::parse(&raw).map_err(|e| invalid(format!("`{}` is not a URL: {e}", redact::url(&raw))))?;
    let tls = match u.scheme() {
        "redis" => false,
        "rediss" => true,
        other => return Err(invalid(format!("scheme `{other}` is not supported; use redis:// or rediss://"))),
    };
    let host = u
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| invalid(format!("`{}` has no host", redact::url(&raw))))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    // `redis://` is not a scheme the URL standard knows, so its host comes back
    // percent-encoded; a Unicode name is converted with IDNA as for `ws://`.
    let host = if host.contains('%') {
        let decoded = percent_encoding::percent_decode_str(&host).decode_utf8_lossy().into_owned();
        match url::Host::parse(&decoded) {
            Ok(url::Host::Domain(d)) => d,
            Ok(other) => other.to_string(),
            Err(e) => return Err(invalid(format!("host `{decoded}` is not a valid name: {e}"))),
        }
    } else {
        host
    };
    let port = u.port().unwrap_or(6379);
    let db = match u.path().trim_start_matches('/') {
        "" => 0,
        d => d.parse::<i64>().map_err(|_| invalid(format!("database `{d}` is not a number")))?,
    };
    let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
    let mut username = (!u.username().is_empty()).then(|| decode(u.username()));
    if rf.username.is_some() {
        username = rf.username.clone();
    }
    let mut password = u.password().map(|p| Secret::new(decode(p)));
    if let Some(s) = read_secret("redis", rf.password_env.as_ref(), rf.password_file.as_ref(), env)? {
        password = Some(s);
    } else if password.is_none() {
        // Same variable redis-cli reads, so a shell set up for redis-cli works unchanged.
        password = env.var("REDISCLI_AUTH").map(Secret::new);
    }
    let insecure = u.fragment() == Some("insecure") || u.query_pairs().any(|(k, v)| k == "insecure" && v != "false");
    let display = {
        let mut d = format!("{}://", u.scheme());
        if let Some(user) = &username {
            d.push_str(user);
        }
        if password.is_some() {
            d.push_str(":***");
        }
        if username.is_some() || password.is_some() {
            d.push('@');
        }
        if host.contains(':') {
            d.push_str(&format!("[{host}]:{port}"));
        } else {
            d.push_str(&format!("{host}:{port}"));
        }
        if db != 0 {
            d.push_str(&format!("/{db}"));
        }
        d
    };
    let (pings, pings_name) = either(pings, "--pings", rf.pings, "redis.pings");
    let pings = pings.unwrap_or(redis::PINGS);
    if pings == 0 || pings > 100_000 {
        return Err(Error::Invalid {
            field: pings_name.into(),
            reason: format!("{pings} is not between 1 and 100000"),
        });
    }
    let cacert = match rf.cacert.take() {
        Some(path) => Some(std::fs::read(&path).map_err(|e| Error::SecretFile {
            what: "redis.cacert".into(),
            path: path.clone(),
            reason: e.to_string().to_lowercase(),
        })?),
        None => None,
    };
    let clients_warn_pct = pct("redis.clients_warn_pct", rf.clients_warn_pct, redis::CLIENTS_WARN_PCT)?;
    let clients_error_pct = pct("redis.clients_error_pct", rf.clients_error_pct, redis::CLIENTS_ERROR_PCT)?;
    Ok(redis::Target {
        host,
        port,
        tls,
        insecure,
        cacert,
        db,
        username,
        password,
        display,
        pings,
        latency_warn_ms: positive("redis.latency_warn_ms", rf.latency_warn_ms, redis::LATENCY_WARN_MS)?,
        clients_warn_pct,
        clients_error_pct,
    })
}

/// Parses a PostgreSQL URL or key=value string; without one, uses the libpq variables
/// (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`) and localhost.
pub fn postgres_target(flag: Option<String>, pf: PostgresFile, env: &dyn Env) -> Result<postgres::Target> {
    let raw = flag.or(pf.url.clone());
    let mut config = match &raw {
        Some(raw) => raw.parse::<tokio_postgres::Config>().map_err(|e| Error::Invalid {
            field: "postgres url".into(),
            reason: format!("`{}`: {}", redact::url(raw), e.to_string().to_lowercase()),
        })?,
        None => {
            let mut c = tokio_postgres::Config::new();
            c.host(env.var("PGHOST").unwrap_or_else(|| "localhost".into()));
            if let Some(p) = env.var("PGPORT") {
                c.port(p.parse().map_err(|_| Error::Invalid {
                    field: "PGPORT".into(),
                    reason: format!("`{p}` is not a port"),
                })?);
            }
            let user = env.var("PGUSER").unwrap_or_else(|| "postgres".into());
            c.dbname(env.var("PGDATABASE").unwrap_or_else(|| user.clone()));
            c.user(user);
            if let Some(pw) = env.var("PGPASSWORD") {
                c.password(pw);
            }
            if let Some(mode) = env.var("PGSSLMODE") {
                c.ssl_mode(match mode.as_str() {
                    "disable" => tokio_postgres::config::SslMode::Disable,
                    "require" | "verify-ca" | "verify-full" => tokio_postgres::config::SslMode::Require,
                    _ => tokio_postgres::config::SslMode::Prefer,
                });
            }
            c
        }
    };
    if config.get_user().is_none() {
        config.user(env.var("PGUSER").unwrap_or_else(|| "postgres".into()));
    }
    if config.get_hosts().is_empty() {
        config.host(env.var("PGHOST").unwrap_or_else(|| "localhost".into()));
    }
    if let Some(s) = read_secret("postgres", pf.password_env.as_ref(), pf.password_file.as_ref(), env)? {
        config.password(s.expose());
    } else if config.get_password().is_none()
        && let Some(pw) = env.var("PGPASSWORD")
    {
        config.password(pw);
    }
    let password = config.get_password().map(|p| Secret::new(String::from_utf8_lossy(p).into_owned()));
    let display = postgres_display(&config);
    Ok(postgres::Target {
        config,
        display,
        password,
        connections_warn_pct: pct(
            "postgres.connections_warn_pct",
            pf.connections_warn_pct,
            postgres::CONNECTIONS_WARN_PCT,
        )?,
        connections_error_pct: pct(
            "postgres.connections_error_pct",
            pf.connections_error_pct,
            postgres::CONNECTIONS_ERROR_PCT,
        )?,
        idle_in_transaction_warn_s: positive(
            "postgres.idle_in_transaction_warn_s",
            pf.idle_in_transaction_warn_s,
            postgres::IDLE_IN_TRANSACTION_WARN_S,
        )?,
        long_query_warn_s: positive("postgres.long_query_warn_s", pf.long_query_warn_s, postgres::LONG_QUERY_WARN_S)?,
    })
}

/// `postgres://user@host:port/db`, never with the password.
pub fn postgres_display(c: &tokio_postgres::Config) -> String {
    use tokio_postgres::config::{Host, SslMode};
    let host = match c.get_hosts().first() {
        Some(Host::Tcp(h)) if h.contains(':') => format!("[{h}]"),
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = c.get_ports().first().copied().unwrap_or(5432);
    let mut s = format!(
        "postgres://{}{}@{}:{}/{}",
        c.get_user().unwrap_or("postgres"),
        if c.get_password().is_some() { ":***" } else { "" },
        host,
        port,
        c.get_dbname().or(c.get_user()).unwrap_or("postgres")
    );
    match c.get_ssl_mode() {
        SslMode::Require => s.push_str("?sslmode=require"),
        SslMode::Disable => s.push_str("?sslmode=disable"),
        _ => {}
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct MapEnv(HashMap<&'static str, &'static str>);
    impl Env for MapEnv {
        fn var(&self, key: &str) -> Option<String> {
            self.0.get(key).map(|s| s.to_string())
        }
    }
    fn env(pairs: &[(&'static str, &'static str)]) -> MapEnv {
        MapEnv(pairs.iter().copied().collect())
    }

    #[test]
    fn redis_url_with_acl_user_tls_and_db() {
        let t = redis_target(
            Some("rediss://app:p%40ss@cache.internal:6380/2#insecure".into()),
            RedisFile::default(),
            None,
            &env(&[]),
        )
        .unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.tls, t.insecure, t.db),
            ("cache.internal", 6380, true, true, 2)
        );
        assert_eq!(t.username.as_deref(), Some("app"));
        assert_eq!(t.password.as_ref().unwrap().expose(), "p@ss");
        assert_eq!(t.display, "rediss://app:***@cache.internal:6380/2");
        assert!(!format!("{t:?}").contains("p@ss"));
    }

    #[test]
    fn redis_password_from_env_var_named_in_config() {
        let rf = RedisFile {
            url: Some("redis://redis:6379".into()),
            password_env: Some("REDIS_PASSWORD".into()),
            ..Default::default()
        };
        let t = redis_target(None, rf, None, &env(&[("REDIS_PASSWORD", "from-env")])).unwrap();
        assert_eq!(t.password.unwrap().expose(), "from-env");
        let rf = RedisFile {
            password_env: Some("MISSING".into()),
            ..Default::default()
        };
        let e = redis_target(None, rf, None, &env(&[])).unwrap_err();
        assert!(e.to_string().contains("`MISSING`"), "{e}");
    }

    #[test]
    fn bad_redis_urls_are_config_errors_without_the_password() {
        for bad in ["http://x:pw@h", "redis://:pw@/", "redis://:pw@h:1/abc", "not a url pw"] {
            let e = redis_target(Some(bad.into()), RedisFile::default(), None, &env(&[])).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            let msg = e.to_string();
            assert!(!msg.contains(":pw@"), "{msg}");
        }
    }

    #[test]
    fn unicode_redis_hosts_are_converted_with_idna() {
        let t = redis_target(
            Some("redis://:pw@bücher.example:6380".into()),
            RedisFile::default(),
            None,
            &env(&[]),
        )
        .unwrap();
        assert_eq!(t.host, "xn--bcher-kva.example");
        assert_eq!(t.display, "redis://:***@xn--bcher-kva.example:6380");
        let t = redis_target(Some("rediss://ПРИМЕР.рф".into()), RedisFile::default(), None, &env(&[])).unwrap();
        assert_eq!(t.host, "xn--e1afmkfd.xn--p1ai");
        let t = redis_target(Some("redis://redis-0.redis:6379".into()), RedisFile::default(), None, &env(&[])).unwrap();
        assert_eq!(t.host, "redis-0.redis");
    }

    #[test]
    fn postgres_defaults_follow_libpq_variables() {
        let t = postgres_target(
            None,
            PostgresFile::default(),
            &env(&[("PGHOST", "db"), ("PGPORT", "6543"), ("PGUSER", "app"), ("PGPASSWORD", "pw")]),
        )
        .unwrap();
        assert_eq!(t.display, "postgres://app:***@db:6543/app");
        assert_eq!(t.password.unwrap().expose(), "pw");
    }

    #[test]
    fn postgres_url_display_hides_password() {
        let t = postgres_target(
            Some("postgres://app:hunter2@db/aiwfe?sslmode=require".into()),
            PostgresFile::default(),
            &env(&[]),
        )
        .unwrap();
        assert_eq!(t.display, "postgres://app:***@db:5432/aiwfe?sslmode=require");
        let e = postgres_target(
            Some("postgres://app:hunter2@db/aiwfe?sslmode=bogus".into()),
            PostgresFile::default(),
            &env(&[]),
        )
        .unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }

    #[test]
    fn ws_section_builds_a_target_with_token_and_thresholds() {
        let wf: WsFile = serde_saphyr::from_str(
            "url: wss://gw.example/ws?room=1\ntoken_env: AIWFE_TOKEN\ntoken_in: cookie\nheaders: ['Authorization: Basic abc123456']\nwarn_after: 2s\n",
        )
        .unwrap();
        let t = ws_target(None, None, wf, Duration::from_secs(10), &env(&[("AIWFE_TOKEN", "tok-123456789")]))
            .unwrap()
            .unwrap();
        assert_eq!(
            (t.endpoint.host.as_str(), t.endpoint.port, t.endpoint.tls),
            ("gw.example", 443, true)
        );
        assert_eq!(t.token_in, TokenIn::Cookie);
        assert_eq!(t.token.as_ref().unwrap().expose(), "tok-123456789");
        assert_eq!((t.warn_after, t.error_after), (Duration::from_secs(2), Duration::from_secs(30)));
        assert_eq!(t.secrets(), ["tok-123456789", "Basic abc123456", "abc123456"]);
        assert!(!format!("{t:?}").contains("tok-123456789"));

        // No URL anywhere: no target. A bad place for the token: exit 2.
        assert!(
            ws_target(None, None, WsFile::default(), Duration::from_secs(1), &env(&[]))
                .unwrap()
                .is_none()
        );
        let wf = WsFile {
            url: Some("ws://gw/ws".into()),
            token_in: Some("body".into()),
            ..Default::default()
        };
        assert_eq!(
            ws_target(None, None, wf, Duration::from_secs(1), &env(&[]))
                .unwrap_err()
                .exit_code(),
            2
        );
    }

    #[test]
    fn a_token_in_the_url_is_used_and_masked() {
        let t = ws_target(
            None,
            Some("ws://gw:8080/ws?access_token=abc.def.ghi&room=2".into()),
            WsFile::default(),
            Duration::from_secs(1),
            &env(&[]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(t.token.unwrap().expose(), "abc.def.ghi");
        assert_eq!(t.endpoint.display, "ws://gw:8080/ws?access_token=***&room=2");
    }
}
