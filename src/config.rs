//! Flags + environment + `aiwfe.yaml` → one validated `Config`.
//!
//! Precedence: a flag beats the config file, which beats the environment's defaults
//! (`PGHOST`, ...), which beat built-in defaults. Every error here is exit code 2 and names
//! the file, line and column or the flag at fault.

use crate::cli::{self, Cli, Command, FailOn, OutputFormat, ProbeCommand};
use crate::error::{Error, Result};
use crate::redact;
use crate::report::{Format, Severity, Style};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A secret value. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret(sha256:{})", redact::fingerprint(&self.0))
    }
}

/// What `aiwfe.yaml` may hold. Unknown keys are errors, so a typo never goes unnoticed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub redis: Option<RedisFile>,
    #[serde(default)]
    pub postgres: Option<PostgresFile>,
    #[serde(default)]
    pub kube: Option<KubeFile>,
    pub ws: Option<WsFile>,
    /// Settings of `aiwfe proxy`.
    #[serde(default)]
    pub proxy: Option<ProxyFile>,
    /// Probe deadline, e.g. `10s`.
    #[serde(default)]
    pub timeout: Option<String>,
    /// `info`, `warning`, `error` or `never`.
    #[serde(default)]
    pub fail_on: Option<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
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

#[derive(Debug, Default, Deserialize)]
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KubeFile {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    /// A namespace, or `"*"` for all.
    pub namespace: Option<String>,
    pub snapshot: Option<PathBuf>,
    /// A container using less than this share of its CPU request is over-provisioned.
    pub overprovisioned_pct: Option<f64>,
    /// Cluster CPU efficiency (used ÷ requested) below this is a warning.
    pub efficiency_warn_pct: Option<f64>,
}

/// The Kubernetes side of a run.
#[derive(Debug, Clone)]
pub struct KubeTarget {
    pub source: crate::probe::kube::Source,
    /// `None`: all namespaces; `Some("")`: the context's default namespace.
    pub namespace: Option<String>,
    pub thresholds: crate::probe::kube::KubeThresholds,
}

#[derive(Debug, Default, Deserialize)]
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

/// Where the WebSocket probe puts its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenIn {
    Header,
    Query,
    Cookie,
    Subprotocol,
}

impl TokenIn {
    /// How reports name the place, e.g. "the Authorization header".
    pub fn describe(self) -> &'static str {
        match self {
            TokenIn::Header => "the Authorization header",
            TokenIn::Query => "the access_token query parameter",
            TokenIn::Cookie => "the access_token cookie",
            TokenIn::Subprotocol => "Sec-WebSocket-Protocol",
        }
    }
}

/// One WebSocket URL, parsed and checked.
#[derive(Debug, Clone)]
pub struct WsEndpoint {
    pub url: url::Url,
    pub host: String,
    pub port: u16,
    pub tls: bool,
    /// The URL as shown in reports: secrets masked.
    pub display: String,
}

/// A WebSocket endpoint with the workload to run against it.
#[derive(Debug, Clone)]
pub struct WsTarget {
    pub endpoint: WsEndpoint,
    /// `--compare URL`: the same workload against this endpoint too.
    pub compare: Option<WsEndpoint>,
    pub token: Option<Secret>,
    pub token_in: TokenIn,
    pub subprotocols: Vec<String>,
    /// Extra request headers; values of sensitive ones are also in `secrets()`.
    pub headers: Vec<(String, String)>,
    pub send: Option<String>,
    pub expect: Option<String>,
    pub pings: u32,
    pub cacert: Option<Vec<u8>>,
    pub insecure: bool,
    pub connections: u32,
    pub concurrency: u32,
    pub hold: Option<Duration>,
    /// Messages per second per connection while holding.
    pub rate: f64,
    /// While holding, one message in flight at a time: each waits for its echo.
    pub await_echo: bool,
    pub size: usize,
    /// Per-connection deadline (the run's `--timeout`).
    pub timeout: Duration,
    pub warn_after: Duration,
    pub error_after: Duration,
}

impl WsTarget {
    /// Secrets this target sends: the token and the values of sensitive headers.
    pub fn secrets(&self) -> Vec<String> {
        let mut s: Vec<String> = self.token.iter().map(|t| t.expose().to_string()).collect();
        s.extend(self.headers.iter().filter(|(k, _)| is_sensitive_header(k)).map(|(_, v)| v.clone()));
        s
    }
}

/// Header names whose values are credentials.
pub fn is_sensitive_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization"
        || n == "cookie"
        || n == "proxy-authorization"
        || n.contains("token")
        || n.contains("secret")
        || n.contains("api-key")
}

/// A Redis endpoint, parsed and checked.
#[derive(Debug, Clone)]
pub struct RedisTarget {
    pub host: String,
    pub port: u16,
    pub tls: bool,
    /// `rediss://...#insecure`: TLS without certificate verification.
    pub insecure: bool,
    /// PEM bytes of the CA(s) to trust instead of the system's.
    pub cacert: Option<Vec<u8>>,
    pub db: i64,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// The URL as shown in reports: password masked.
    pub display: String,
    pub pings: u32,
    pub latency_warn_ms: f64,
    pub clients_warn_pct: f64,
    pub clients_error_pct: f64,
}

/// A PostgreSQL endpoint, parsed and checked.
#[derive(Debug, Clone)]
pub struct PostgresTarget {
    pub config: tokio_postgres::Config,
    pub display: String,
    /// The password, kept to scrub it from any server text that might echo it.
    pub password: Option<Secret>,
    pub connections_warn_pct: f64,
    pub connections_error_pct: f64,
    pub idle_in_transaction_warn_s: f64,
    pub long_query_warn_s: f64,
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

    fn parse(s: &str, flag: &str) -> Result<ProbeKind> {
        ProbeKind::ALL
            .into_iter()
            .find(|k| k.name() == s.trim())
            .ok_or_else(|| Error::Invalid {
                field: flag.to_string(),
                reason: format!("unknown probe `{s}`; known probes: redis, postgres, ws, kube"),
            })
    }
}

/// What to do.
#[derive(Debug)]
pub enum Action {
    Probes(Vec<ProbeKind>),
    Completions {
        shell: Option<cli::Shell>,
        dir: Option<PathBuf>,
    },
    Snapshot {
        to: Option<PathBuf>,
    },
    Rbac {
        mode: cli::RbacMode,
        service_account_namespace: String,
    },
    Proxy(Box<crate::proxy::ProxyConfig>),
}

/// The validated configuration of one run.
#[derive(Debug)]
pub struct Config {
    pub action: Action,
    pub output: Format,
    pub report_file: Option<(PathBuf, Format)>,
    pub fail_on: Option<Severity>,
    pub ignore: Vec<String>,
    pub timeout: Duration,
    pub style: Style,
    pub quiet: bool,
    pub verbose: u8,
    pub redis: RedisTarget,
    pub postgres: PostgresTarget,
    pub kube: KubeTarget,
    /// The WebSocket endpoint, when one is configured (doctor runs no ws probe without it).
    pub ws: Option<WsTarget>,
}

impl Config {
    /// Every secret this run knows, for scrubbing text that came from elsewhere.
    pub fn secrets(&self) -> Vec<String> {
        let mut s: Vec<String> = [&self.redis.password, &self.postgres.password]
            .into_iter()
            .flatten()
            .map(|s| s.expose().to_string())
            .collect();
        if let Some(ws) = &self.ws {
            s.extend(ws.secrets());
        }
        if let Action::Proxy(p) = &self.action {
            match &p.auth.key {
                crate::proxy::auth::KeyMaterial::Secret(k) => s.push(String::from_utf8_lossy(k).into_owned()),
                crate::proxy::auth::KeyMaterial::Jwks(j) => {
                    if let Some(pw) = url::Url::parse(&j.url).ok().and_then(|u| u.password().map(str::to_string)) {
                        s.push(pw);
                    }
                }
                crate::proxy::auth::KeyMaterial::PublicKeyPem(_) => {}
            }
        }
        if let Action::Proxy(p) = &self.action
            && let Some(pw) = p
                .revocation
                .as_ref()
                .and_then(|r| url::Url::parse(&r.url).ok())
                .and_then(|u| u.password().map(str::to_string))
        {
            s.push(pw);
        }
        s
    }
}

/// Environment lookups, injectable so tests need not touch the process environment.
pub trait Env {
    fn var(&self, key: &str) -> Option<String>;
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok().filter(|v| !v.is_empty())
    }
}

/// Builds the run's `Config` from parsed flags and whatever config file applies.
pub fn load(cli: Cli, env: &dyn Env, is_tty: bool) -> Result<Config> {
    let g = cli.global;
    let file = match &g.config {
        Some(path) => read_file_config(path)?,
        None => match default_config_path(env) {
            Some(path) => read_file_config(&path)?,
            None => FileConfig::default(),
        },
    };

    let mut redis_cacert = None;
    let mut snapshot = None;
    let mut k = cli::KubeArgs::default();
    let kube_file = file.kube.as_ref();
    let mut ws_args: Option<cli::WsProbeArgs> = None;
    let mut ws_doctor_url = None;
    let mut ws_required = false;
    let (action, redis_flag, pg_flag, pings) = match cli.command {
        Command::Doctor(d) => {
            snapshot = d.snapshot.clone();
            k = d.kube.clone();
            let named = |kind: ProbeKind| match kind {
                ProbeKind::Redis => d.redis.is_some() || file.redis.is_some(),
                ProbeKind::Postgres => d.postgres.is_some() || file.postgres.is_some(),
                ProbeKind::Ws => d.ws.is_some() || file.ws.as_ref().is_some_and(|w| w.url.is_some()),
                ProbeKind::Kube => {
                    d.snapshot.is_some() || k.kubeconfig.is_some() || k.context.is_some() || kube_file.is_some() || kube_discoverable(env)
                }
            };
            let mut kinds: Vec<ProbeKind> = if !d.only.is_empty() {
                d.only.iter().map(|s| ProbeKind::parse(s, "--only")).collect::<Result<_>>()?
            } else if ProbeKind::ALL.iter().any(|k| named(*k)) {
                ProbeKind::ALL.into_iter().filter(|k| named(*k)).collect()
            } else {
                // Nothing named anywhere: look at the local defaults.
                vec![ProbeKind::Redis, ProbeKind::Postgres]
            };
            ws_required = !d.only.is_empty() && kinds.contains(&ProbeKind::Ws);
            let skip: Vec<ProbeKind> = d.skip.iter().map(|s| ProbeKind::parse(s, "--skip")).collect::<Result<_>>()?;
            kinds.retain(|k| !skip.contains(k));
            ws_doctor_url = d.ws;
            (Action::Probes(kinds), d.redis, d.postgres, None)
        }
        Command::Probe(ProbeCommand::Ws(w)) => {
            ws_required = true;
            ws_args = Some(*w);
            (Action::Probes(vec![ProbeKind::Ws]), None, None, None)
        }
        Command::Probe(ProbeCommand::Redis(r)) => {
            if r.cacert.is_some() {
                redis_cacert = r.cacert;
            }
            (Action::Probes(vec![ProbeKind::Redis]), r.url, None, r.pings)
        }
        Command::Probe(ProbeCommand::Postgres(p)) => (Action::Probes(vec![ProbeKind::Postgres]), None, p.url, None),
        Command::Probe(ProbeCommand::Kube(p)) => {
            snapshot = p.snapshot;
            k = p.kube;
            (Action::Probes(vec![ProbeKind::Kube]), None, None, None)
        }
        Command::Completions(c) => (
            Action::Completions {
                shell: c.shell,
                dir: c.dir,
            },
            None,
            None,
            None,
        ),
        Command::Snapshot(s) => {
            k = s.kube;
            (Action::Snapshot { to: s.to }, None, None, None)
        }
        Command::Rbac(r) => (
            Action::Rbac {
                mode: r.mode,
                service_account_namespace: r.service_account_namespace,
            },
            None,
            None,
            None,
        ),
        Command::Proxy(p) => (
            Action::Proxy(Box::new(proxy_config(*p, file.proxy.as_ref(), env)?)),
            None,
            None,
            None,
        ),
    };
    let kube = kube_target(
        snapshot,
        k.kubeconfig.clone(),
        k.context.clone(),
        k.namespace.clone(),
        k.all_namespaces,
        kube_file,
    )?;

    let output = match g.output {
        OutputFormat::Table => Format::Table,
        OutputFormat::Json => Format::Json,
        OutputFormat::Yaml => Format::Yaml,
        OutputFormat::Junit => Format::Junit,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Markdown => Format::Markdown,
    };
    let report_file = match g.report {
        Some(path) => {
            let fmt = Format::from_extension(&path).ok_or_else(|| Error::Invalid {
                field: "--report".into(),
                reason: format!(
                    "cannot tell the format of `{}` from its extension; use .json, .yaml, .xml (JUnit), .sarif or .md",
                    path.display()
                ),
            })?;
            Some((path, fmt))
        }
        None => None,
    };
    let fail_on = match (g.fail_on, file.fail_on.as_deref()) {
        (Some(f), _) => fail_on_level(f),
        (None, Some(s)) => fail_on_level(parse_fail_on(s)?),
        (None, None) => Some(Severity::Error),
    };
    let mut ignore = file.ignore.clone();
    ignore.extend(g.ignore);
    let timeout = match g.timeout.as_deref().or(file.timeout.as_deref()) {
        Some(s) => parse_duration(s).map_err(|reason| Error::Invalid {
            field: "--timeout".into(),
            reason,
        })?,
        None => Duration::from_secs(10),
    };
    let color = !g.no_color && env.var("NO_COLOR").is_none() && is_tty;

    let mut redis_file = file.redis.unwrap_or_default();
    if redis_cacert.is_some() {
        redis_file.cacert = redis_cacert;
    }
    let redis = redis_target(redis_flag, redis_file, pings, env)?;
    let postgres = postgres_target(pg_flag, file.postgres.unwrap_or_default(), env)?;
    let ws = ws_target(ws_args, ws_doctor_url, file.ws.unwrap_or_default(), timeout, env)?;
    let mut action = action;
    if let Action::Probes(kinds) = &mut action
        && ws.is_none()
    {
        if ws_required {
            return Err(Error::Invalid {
                field: "ws url".into(),
                reason: "no WebSocket URL given; pass one (`aiwfe probe ws wss://HOST/PATH`, `aiwfe doctor --ws URL`) or set `ws.url` in aiwfe.yaml".into(),
            });
        }
        // Nothing to check: doctor leaves the WebSocket probe out rather than guess a URL.
        kinds.retain(|k| *k != ProbeKind::Ws);
    }

    Ok(Config {
        action,
        output,
        report_file,
        fail_on,
        ignore,
        timeout,
        style: Style { rich: is_tty, color },
        quiet: g.quiet,
        verbose: g.verbose,
        redis,
        postgres,
        kube,
        ws,
    })
}

/// Is there a cluster to look at without being told? `$KUBECONFIG`, `~/.kube/config`, or
/// a pod's service account.
fn kube_discoverable(env: &dyn Env) -> bool {
    env.var("KUBECONFIG").is_some()
        || env.var("KUBERNETES_SERVICE_HOST").is_some()
        || env
            .var("HOME")
            .is_some_and(|h| Path::new(&h).join(".kube").join("config").is_file())
}

fn kube_target(
    snapshot: Option<PathBuf>,
    kubeconfig: Option<PathBuf>,
    context: Option<String>,
    namespace: Option<String>,
    all: bool,
    kf: Option<&KubeFile>,
) -> Result<KubeTarget> {
    use crate::probe::kube::{KubeThresholds, Source};
    let snapshot = snapshot.or_else(|| kf.and_then(|k| k.snapshot.clone()));
    if let Some(p) = &snapshot
        && !p.exists()
    {
        return Err(Error::Invalid {
            field: "--snapshot".into(),
            reason: format!("`{}` does not exist", p.display()),
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
    Ok(KubeTarget {
        source,
        namespace,
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

fn default_config_path(env: &dyn Env) -> Option<PathBuf> {
    let local = PathBuf::from("aiwfe.yaml");
    if local.is_file() {
        return Some(local);
    }
    let base = env
        .var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env.var("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    let p = base.join("aiwfe").join("aiwfe.yaml");
    p.is_file().then_some(p)
}

/// Reads and parses a config file; syntax and type errors carry line and column.
pub fn read_file_config(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::ConfigRead {
        path: path.to_path_buf(),
        reason: e.to_string().to_lowercase(),
    })?;
    parse_file_config(&text).map_err(|message| Error::ConfigParse {
        path: path.to_path_buf(),
        message,
    })
}

pub fn parse_file_config(text: &str) -> std::result::Result<FileConfig, String> {
    if text.trim().is_empty() {
        return Ok(FileConfig::default());
    }
    serde_saphyr::from_str::<FileConfig>(text).map_err(|e| e.to_string())
}

fn fail_on_level(f: FailOn) -> Option<Severity> {
    match f {
        FailOn::Info => Some(Severity::Info),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Error => Some(Severity::Error),
        FailOn::Never => None,
    }
}

fn parse_fail_on(s: &str) -> Result<FailOn> {
    match s {
        "info" => Ok(FailOn::Info),
        "warning" => Ok(FailOn::Warning),
        "error" => Ok(FailOn::Error),
        "never" => Ok(FailOn::Never),
        other => Err(Error::Invalid {
            field: "fail_on".into(),
            reason: format!("`{other}` is not one of info, warning, error, never"),
        }),
    }
}

/// `10s`, `500ms`, `2m`, `1.5s` or a bare number of seconds.
pub fn parse_duration(s: &str) -> std::result::Result<Duration, String> {
    let s = s.trim();
    let (num, mult) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a duration; write e.g. 10s, 500ms or 2m"))?;
    if !v.is_finite() || v <= 0.0 || v * mult > 86_400.0 {
        return Err(format!("`{s}` must be more than 0 and at most 24h"));
    }
    Ok(Duration::from_secs_f64(v * mult))
}

/// A byte count: `65536`, `64KiB`, `1MiB` (at least 125 bytes, at most 1 GiB).
pub fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let (num, mult) = [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1)]
        .iter()
        .find_map(|(suffix, m)| t.strip_suffix(suffix).map(|n| (n.trim(), *m)))
        .unwrap_or((t, 1));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size; write e.g. 1MiB, 64KiB or 65536"))?;
    match n.checked_mul(mult) {
        Some(v) if (125..=1 << 30).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` must be between 125 bytes and 1GiB")),
    }
}

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
fn proxy_config(mut p: cli::ProxyArgs, file: Option<&ProxyFile>, env: &dyn Env) -> Result<crate::proxy::ProxyConfig> {
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
    let listen_s = p.listen.as_deref().unwrap_or("0.0.0.0:8080");
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
            let cfg = crate::probe::websocket_conn::tls_config(pem.as_deref(), false)
                .map_err(|r| invalid("--upstream-cacert", r.replace("--cacert", &field("--upstream-cacert"))))?;
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
    let leeway = match p.leeway.as_deref().unwrap_or("30s").trim() {
        "0" | "0s" | "0ms" => Duration::ZERO,
        s => parse_duration(s).map_err(|r| invalid("--leeway", r))?,
    };
    let token_from_given: Vec<cli::TokenIn> = if !p.token_from.is_empty() {
        p.token_from.clone()
    } else if let Some(list) = &f.token_from {
        list.iter()
            .map(|t| match t.trim() {
                "header" => Ok(cli::TokenIn::Header),
                "query" => Ok(cli::TokenIn::Query),
                "cookie" => Ok(cli::TokenIn::Cookie),
                "subprotocol" => Ok(cli::TokenIn::Subprotocol),
                other => Err(Error::Invalid {
                    field: "proxy.token_from".into(),
                    reason: format!("`{other}` is not a place; use header, query, cookie or subprotocol"),
                }),
            })
            .collect::<Result<_>>()?
    } else {
        vec![
            cli::TokenIn::Header,
            cli::TokenIn::Query,
            cli::TokenIn::Cookie,
            cli::TokenIn::Subprotocol,
        ]
    };
    let mut token_from = Vec::new();
    for t in token_from_given {
        let t = match t {
            cli::TokenIn::Header => TokenIn::Header,
            cli::TokenIn::Query => TokenIn::Query,
            cli::TokenIn::Cookie => TokenIn::Cookie,
            cli::TokenIn::Subprotocol => TokenIn::Subprotocol,
        };
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
    let cache_size = p.cache_size.unwrap_or(100_000);
    if cache_size == 0 {
        return Err(invalid("--cache-size", "must be at least 1".into()));
    }
    let cfg = crate::proxy::ProxyConfig {
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
            cache_ttl: parse_duration(p.cache_ttl.as_deref().unwrap_or("5m")).map_err(|r| invalid("--cache-ttl", r))?,
            forward_claims,
        },
        token_from,
        drain: parse_duration(p.drain.as_deref().unwrap_or("10s")).map_err(|r| invalid("--drain", r))?,
        limits: crate::proxy::relay::Limits {
            ping_interval: match p.ping_interval.as_deref().unwrap_or("20s").trim() {
                "0" | "0s" => None,
                s => Some(parse_duration(s).map_err(|r| invalid("--ping-interval", r))?),
            },
            ping_timeout: parse_duration(p.ping_timeout.as_deref().unwrap_or("10s")).map_err(|r| invalid("--ping-timeout", r))?,
            close_timeout: parse_duration(p.close_timeout.as_deref().unwrap_or("5s")).map_err(|r| invalid("--close-timeout", r))?,
            max_message: parse_size(p.max_message.as_deref().unwrap_or("1MiB")).map_err(|r| invalid("--max-message", r))?,
        },
        revocation,
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
        set: set.unwrap_or_else(|| "aiwfe:revoked-jti".into()),
        ttl: parse_duration(ttl.unwrap_or("10s")).map_err(|r| Error::Invalid {
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
            crate::probe::websocket_conn::tls_config(Some(&pem), false)
                .map_err(|r| invalid("--jwks-cacert", r.replace("--cacert", "--jwks-cacert")))?;
            Some(pem)
        }
        None => None,
    };
    Ok(crate::proxy::jwks::JwksSource {
        url: raw,
        cacert,
        refresh: parse_duration(p.jwks_refresh.as_deref().unwrap_or("5m")).map_err(|r| invalid("--jwks-refresh", r))?,
        min_refresh: parse_duration(p.jwks_min_refresh.as_deref().unwrap_or("30s")).map_err(|r| invalid("--jwks-min-refresh", r))?,
    })
}

fn read_secret(field: &str, var: Option<&String>, file: Option<&PathBuf>, env: &dyn Env) -> Result<Option<Secret>> {
    if let Some(var) = var {
        return env.var(var).map(|v| Some(Secret::new(v))).ok_or_else(|| Error::MissingEnv {
            field: format!("{field}.password_env"),
            var: var.clone(),
        });
    }
    if let Some(path) = file {
        let s = std::fs::read_to_string(path).map_err(|e| Error::SecretFile {
            what: format!("{field}.password_file"),
            path: path.clone(),
            reason: e.to_string().to_lowercase(),
        })?;
        return Ok(Some(Secret::new(s.trim_end_matches(['\n', '\r']))));
    }
    Ok(None)
}

fn pct(field: &str, v: Option<f64>, default: f64) -> Result<f64> {
    let v = v.unwrap_or(default);
    if !(0.0..=100.0).contains(&v) {
        return Err(Error::Invalid {
            field: field.into(),
            reason: format!("{v} is not a percentage between 0 and 100"),
        });
    }
    Ok(v)
}

fn positive(field: &str, v: Option<f64>, default: f64) -> Result<f64> {
    let v = v.unwrap_or(default);
    if !v.is_finite() || v < 0.0 {
        return Err(Error::Invalid {
            field: field.into(),
            reason: format!("{v} must be zero or more"),
        });
    }
    Ok(v)
}

fn ws_duration(field: &str, v: Option<&str>, default: Duration) -> Result<Duration> {
    match v {
        Some(s) => parse_duration(s).map_err(|reason| Error::Invalid {
            field: field.into(),
            reason,
        }),
        None => Ok(default),
    }
}

/// Parses a `ws://` or `wss://` URL.
pub fn ws_endpoint(raw: &str, field: &str) -> Result<WsEndpoint> {
    let invalid = |reason: String| Error::Invalid {
        field: field.into(),
        reason,
    };
    let url = url::Url::parse(raw).map_err(|e| invalid(format!("`{}` is not a URL: {e}", redact::url(raw))))?;
    let tls = match url.scheme() {
        "ws" => false,
        "wss" => true,
        other => return Err(invalid(format!("scheme `{other}` is not supported; use ws:// or wss://"))),
    };
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| invalid(format!("`{}` has no host", redact::url(raw))))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let port = url.port_or_known_default().unwrap_or(if tls { 443 } else { 80 });
    Ok(WsEndpoint {
        display: redact::url(url.as_str()),
        url,
        host,
        port,
        tls,
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
) -> Result<Option<WsTarget>> {
    let a = args.unwrap_or_else(|| cli::WsProbeArgs {
        url: doctor_url,
        token: None,
        token_env: None,
        token_file: None,
        token_in: None,
        subprotocol: Vec::new(),
        header: Vec::new(),
        connections: None,
        concurrency: None,
        send: None,
        expect: None,
        ping: None,
        cacert: None,
        insecure: false,
        compare: None,
        hold: None,
        rate: None,
        await_echo: false,
        size: None,
        warn_after: None,
        error_after: None,
    });
    let Some(raw) = a.url.clone().or(wf.url.clone()) else {
        return Ok(None);
    };
    let endpoint = ws_endpoint(&raw, "ws url")?;
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
        (Some(t), _) => match t {
            cli::TokenIn::Header => TokenIn::Header,
            cli::TokenIn::Query => TokenIn::Query,
            cli::TokenIn::Cookie => TokenIn::Cookie,
            cli::TokenIn::Subprotocol => TokenIn::Subprotocol,
        },
        (None, Some("header")) | (None, None) => TokenIn::Header,
        (None, Some("query")) => TokenIn::Query,
        (None, Some("cookie")) => TokenIn::Cookie,
        (None, Some("subprotocol")) => TokenIn::Subprotocol,
        (None, Some(other)) => {
            return Err(Error::Invalid {
                field: "ws.token_in".into(),
                reason: format!("`{other}` is not one of header, query, cookie, subprotocol"),
            });
        }
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
    let connections = count("--connections", a.connections.or(wf.connections), 1, 10_000_000)?;
    let concurrency = count("--concurrency", a.concurrency.or(wf.concurrency), 1, 1_000_000)?.min(connections);
    let pings = a.ping.or(wf.ping).unwrap_or(0);
    if pings > 100_000 {
        return Err(Error::Invalid {
            field: "--ping".into(),
            reason: format!("{pings} is more than 100000"),
        });
    }
    let hold = match a.hold.as_deref() {
        Some(s) => Some(ws_duration("--hold", Some(s), Duration::ZERO)?),
        None => None,
    };
    let rate = a.rate.unwrap_or(0.0);
    if !rate.is_finite() || !(0.0..=10_000.0).contains(&rate) {
        return Err(Error::Invalid {
            field: "--rate".into(),
            reason: format!("{rate} is not between 0 and 10000 messages per second"),
        });
    }
    let size = a.size.unwrap_or(64);
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
    let warn_after = ws_duration(
        "ws warn_after",
        a.warn_after.as_deref().or(wf.warn_after.as_deref()),
        Duration::from_secs(1),
    )?;
    let error_after = ws_duration(
        "ws error_after",
        a.error_after.as_deref().or(wf.error_after.as_deref()),
        Duration::from_secs(30),
    )?;
    Ok(Some(WsTarget {
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

fn read_token_file(field: &str, path: &Path) -> Result<Secret> {
    let s = std::fs::read_to_string(path).map_err(|e| Error::SecretFile {
        what: field.into(),
        path: path.to_path_buf(),
        reason: e.to_string().to_lowercase(),
    })?;
    Ok(Secret::new(s.trim()))
}

/// Parses a Redis URL; a password in `rf` (env var or file) replaces one in the URL.
pub fn redis_target(flag: Option<String>, mut rf: RedisFile, pings: Option<u32>, env: &dyn Env) -> Result<RedisTarget> {
    let raw = flag.or(rf.url.clone()).unwrap_or_else(|| "redis://127.0.0.1:6379".to_string());
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
    let pings = pings.or(rf.pings).unwrap_or(20);
    if pings == 0 || pings > 100_000 {
        return Err(Error::Invalid {
            field: "--pings".into(),
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
    let clients_warn_pct = pct("redis.clients_warn_pct", rf.clients_warn_pct, 80.0)?;
    let clients_error_pct = pct("redis.clients_error_pct", rf.clients_error_pct, 95.0)?;
    Ok(RedisTarget {
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
        latency_warn_ms: positive("redis.latency_warn_ms", rf.latency_warn_ms, 50.0)?,
        clients_warn_pct,
        clients_error_pct,
    })
}

/// Parses a PostgreSQL URL or key=value string; without one, uses the libpq variables
/// (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`) and localhost.
pub fn postgres_target(flag: Option<String>, pf: PostgresFile, env: &dyn Env) -> Result<PostgresTarget> {
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
    Ok(PostgresTarget {
        config,
        display,
        password,
        connections_warn_pct: pct("postgres.connections_warn_pct", pf.connections_warn_pct, 80.0)?,
        connections_error_pct: pct("postgres.connections_error_pct", pf.connections_error_pct, 95.0)?,
        idle_in_transaction_warn_s: positive("postgres.idle_in_transaction_warn_s", pf.idle_in_transaction_warn_s, 60.0)?,
        long_query_warn_s: positive("postgres.long_query_warn_s", pf.long_query_warn_s, 300.0)?,
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
    fn durations() {
        assert_eq!(parse_duration("10s").unwrap(), Duration::from_secs(10));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("0s").is_err());
    }

    #[test]
    fn config_file_errors_name_line_and_column() {
        let e = parse_file_config("redis:\n  url: redis://x\n  pasword_env: X\n").unwrap_err();
        assert!(e.contains("pasword_env"), "{e}");
        assert!(e.contains('3'), "no line number in: {e}");
        let e = parse_file_config("postgres:\n  connections_warn_pct: lots\n").unwrap_err();
        assert!(e.contains('2'), "no line number in: {e}");
    }

    #[test]
    fn ws_section_builds_a_target_with_token_and_thresholds() {
        let c = parse_file_config(
            "ws:\n  url: wss://gw.example/ws?room=1\n  token_env: AIWFE_TOKEN\n  token_in: cookie\n  headers: ['Authorization: Basic abc123456']\n  warn_after: 2s\n",
        )
        .unwrap();
        let t = ws_target(
            None,
            None,
            c.ws.unwrap(),
            Duration::from_secs(10),
            &env(&[("AIWFE_TOKEN", "tok-123456789")]),
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            (t.endpoint.host.as_str(), t.endpoint.port, t.endpoint.tls),
            ("gw.example", 443, true)
        );
        assert_eq!(t.token_in, TokenIn::Cookie);
        assert_eq!(t.token.as_ref().unwrap().expose(), "tok-123456789");
        assert_eq!((t.warn_after, t.error_after), (Duration::from_secs(2), Duration::from_secs(30)));
        assert_eq!(t.secrets(), vec!["tok-123456789".to_string(), "Basic abc123456".to_string()]);
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

    #[test]
    fn full_config_file_parses() {
        let c = parse_file_config(
            "redis:\n  url: redis://redis:6379/0\n  password_env: REDIS_PASSWORD\n  pings: 50\npostgres:\n  url: postgres://app@db/aiwfe\n  idle_in_transaction_warn_s: 30\ntimeout: 5s\nfail_on: warning\nignore: [redis.no_password]\n",
        )
        .unwrap();
        assert_eq!(c.redis.unwrap().pings, Some(50));
        assert_eq!(c.postgres.unwrap().idle_in_transaction_warn_s, Some(30.0));
        assert_eq!(c.ignore, vec!["redis.no_password"]);
    }
}

#[cfg(test)]
mod jwks_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::Parser;

    fn proxy(url: &str) -> Result<crate::proxy::ProxyConfig> {
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
