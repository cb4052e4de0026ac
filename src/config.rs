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
    Kube,
}

impl ProbeKind {
    pub const ALL: [ProbeKind; 3] = [ProbeKind::Redis, ProbeKind::Postgres, ProbeKind::Kube];

    pub fn name(self) -> &'static str {
        match self {
            ProbeKind::Redis => "redis",
            ProbeKind::Postgres => "postgres",
            ProbeKind::Kube => "kube",
        }
    }

    fn parse(s: &str, flag: &str) -> Result<ProbeKind> {
        ProbeKind::ALL
            .into_iter()
            .find(|k| k.name() == s.trim())
            .ok_or_else(|| Error::Invalid {
                field: flag.to_string(),
                reason: format!("unknown probe `{s}`; known probes: redis, postgres, kube"),
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
}

impl Config {
    /// Every secret this run knows, for scrubbing text that came from elsewhere.
    pub fn secrets(&self) -> Vec<String> {
        [&self.redis.password, &self.postgres.password]
            .into_iter()
            .flatten()
            .map(|s| s.expose().to_string())
            .collect()
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
    let kube_file = file.kube.as_ref();
    let (action, redis_flag, pg_flag, pings) = match cli.command {
        Command::Doctor(d) => {
            snapshot = d.snapshot.clone();
            let named = |k: ProbeKind| match k {
                ProbeKind::Redis => d.redis.is_some() || file.redis.is_some(),
                ProbeKind::Postgres => d.postgres.is_some() || file.postgres.is_some(),
                ProbeKind::Kube => {
                    d.snapshot.is_some() || g.kubeconfig.is_some() || g.context.is_some() || kube_file.is_some() || kube_discoverable(env)
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
            let skip: Vec<ProbeKind> = d.skip.iter().map(|s| ProbeKind::parse(s, "--skip")).collect::<Result<_>>()?;
            kinds.retain(|k| !skip.contains(k));
            (Action::Probes(kinds), d.redis, d.postgres, None)
        }
        Command::Probe(ProbeCommand::Redis(r)) => {
            if r.cacert.is_some() {
                redis_cacert = r.cacert;
            }
            (Action::Probes(vec![ProbeKind::Redis]), r.url, None, r.pings)
        }
        Command::Probe(ProbeCommand::Postgres(p)) => (Action::Probes(vec![ProbeKind::Postgres]), None, p.url, None),
        Command::Probe(ProbeCommand::Kube(k)) => {
            snapshot = k.snapshot;
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
        Command::Snapshot(s) => (Action::Snapshot { to: s.to }, None, None, None),
        Command::Rbac(r) => (
            Action::Rbac {
                mode: r.mode,
                service_account_namespace: r.service_account_namespace,
            },
            None,
            None,
            None,
        ),
    };
    let kube = kube_target(
        snapshot,
        g.kubeconfig.clone(),
        g.context.clone(),
        g.namespace.clone(),
        g.all_namespaces,
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
    let decode = |s: &str| percent_decode(s);
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

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'%', Some(b)) = (bytes[i], hex) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
