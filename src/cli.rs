//! Command-line surface (clap derive types only). `config` turns these into each command's
//! settings; nothing below config imports this module. Value types that are ideas of their
//! own (`report::Format`, `report::FailOn`, `ws_token::TokenIn`) are used here as they are,
//! and every default shown in help comes from the constant that config uses too.

use crate::probe;
use crate::proxy::defaults as proxy_defaults;
use crate::report::{FailOn, Format};
use crate::ws_token::TokenIn;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::fmt::Display;
use std::path::PathBuf;

/// `text [default: value]`, the way clap shows defaults.
fn with_default(text: &str, default: impl Display) -> String {
    format!("{text} [default: {default}]")
}

#[derive(Debug, Parser)]
#[command(
    name = "aiwfe",
    version,
    about = "Finds out why an AI Workflow Engine stack is slow or broken, and fixes it safely",
    after_help = "Exit codes: 0 healthy, 1 a finding at or above --fail-on, 2 could not run as asked."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]
    #[arg(long, global = true, value_name = "FILE", env = "AIWFE_CONFIG")]
    pub config: Option<PathBuf>,

    /// Output format on stdout
    #[arg(short, long, global = true, value_enum, default_value_t = Format::Table)]
    pub output: Format,

    /// Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)
    #[arg(long, global = true, value_name = "FILE")]
    pub report: Option<PathBuf>,

    #[arg(long, global = true, value_enum, help = with_default("Exit 1 when a finding is at or above this severity", FailOn::default().name()))]
    pub fail_on: Option<FailOn>,

    /// Leave out findings with this code (repeatable; `redis.*` matches a prefix)
    #[arg(long, global = true, value_name = "CODE")]
    pub ignore: Vec<String>,

    #[arg(long, global = true, value_name = "DURATION", help = with_default("Deadline for each probe, e.g. 10s, 500ms, 1m", probe::TIMEOUT))]
    pub timeout: Option<String>,

    /// No colours (also when NO_COLOR is set)
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Print nothing on stdout; only the exit code (and --report) tell the result
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too); -v also adds evidence, hints and the findings causes explain to the table
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// Which Kubernetes cluster and namespace (kubectl's flags).
#[derive(Debug, Args, Default, Clone)]
pub struct KubeArgs {
    /// Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// Kubeconfig context to use
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,

    /// Kubernetes namespace [default: the context's]
    #[arg(short = 'n', long, value_name = "NS", conflicts_with = "all_namespaces")]
    pub namespace: Option<String>,

    /// Every namespace
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every probe in parallel and report what is wrong and how to fix it
    Doctor(DoctorArgs),
    /// Run one probe
    #[command(subcommand)]
    Probe(ProbeCommand),
    /// Print a shell completion script, or write all of them with --dir
    Completions(CompletionsArgs),
    /// Print the man page, or write one per command with --dir
    Man(ManArgs),
    /// Save what doctor reads from the cluster (secret values removed) to replay with --snapshot
    Snapshot(SnapshotArgs),
    /// Print the least-privilege RBAC objects a mode needs
    Rbac(RbacArgs),
    /// Run the fast-auth WebSocket reverse proxy: verify each token once, then relay
    Proxy(Box<ProxyArgs>),
    /// Fix what doctor found: plan, dry-run on the server, apply, wait, verify (journaled)
    #[command(subcommand)]
    Fix(FixCommand),
    /// List, show or run the playbooks behind `fix`, and your own
    #[command(subcommand)]
    Playbook(PlaybookCommand),
    /// Right-size what runs: autoscale Deployments with HPAs
    #[command(subcommand)]
    Tune(TuneCommand),
    /// List the journaled runs of fix and playbook, newest last
    History(HistoryArgs),
    /// Restore what a journaled run changed
    Rollback(RollbackArgs),
}

/// How a plan is applied: shared by `fix`, `playbook run` and `rollback`.
#[derive(Debug, Args, Default, Clone)]
pub struct ApplyArgs {
    /// Print the plan and stop: nothing is sent to the cluster
    #[arg(long)]
    pub dry_run: bool,
    /// Apply without asking (needed when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// When a step fails, restore what the run changed before stopping
    #[arg(long)]
    pub rollback_on_failure: bool,
    /// Longest wait for each rollout [default: the playbook's, e.g. 5m]
    #[arg(long, value_name = "DURATION")]
    pub rollout_timeout: Option<String>,
    /// Plan against objects saved with `aiwfe snapshot` (or `kubectl get -o yaml`) instead of a cluster; implies --dry-run
    #[arg(long, value_name = "PATH")]
    pub snapshot: Option<PathBuf>,
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), help = with_default("Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N", crate::cluster::read::DEFAULT_BUDGET))]
    pub snapshot_budget: Option<u32>,
    /// Read playbooks from DIR before the built-in ones [or `playbooks_dir` in aiwfe.yaml]
    #[arg(long, value_name = "DIR")]
    pub playbooks: Option<PathBuf>,
    #[command(flatten)]
    pub kube: KubeArgs,
}

#[derive(Debug, Subcommand)]
pub enum FixCommand {
    /// Give every consumer of the Redis password the one Redis accepts; restart, wait, verify
    RedisAuth(Box<RedisAuthArgs>),
    /// Make required pod anti-affinity preferred for Deployments whose pods are Pending on it
    Affinity(AffinityArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("password_source").args(["from_secret", "password_env", "password_file", "password_stdin"])))]
pub struct RedisAuthArgs {
    /// The Secret the consumers read the Redis password from
    #[arg(long, value_name = "NAME", default_value = "redis-auth")]
    pub secret: String,
    /// The key of the password in that Secret
    #[arg(long, value_name = "KEY", default_value = "password")]
    pub key: String,
    /// Take the right password from this Secret's key, e.g. the Redis server's own: NS/NAME:KEY
    #[arg(long, value_name = "NS/NAME:KEY")]
    pub from_secret: Option<String>,
    /// Take the right password from this environment variable
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
    /// Take the right password from this file (one line)
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Read the right password from standard input (one line)
    #[arg(long)]
    pub password_stdin: bool,
    /// Redis to check the password against before changing anything [default: from aiwfe.yaml, else redis://127.0.0.1:6379]
    #[arg(long, value_name = "URL", env = "AIWFE_REDIS_URL", hide_env_values = true)]
    pub redis: Option<String>,
    /// Move inline Redis URLs with a password into the Secret (env var reads it by secretKeyRef)
    #[arg(long)]
    pub move_inline: bool,
    #[command(flatten)]
    pub apply: ApplyArgs,
}

#[derive(Debug, Args)]
pub struct AffinityArgs {
    /// Only these Deployments (repeatable or comma-separated) [default: every Deployment with Pods Pending on required anti-affinity]
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub deployment: Vec<String>,
    /// Weight (1-100) each required term gets as a preferred one
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub weight: u8,
    #[command(flatten)]
    pub apply: ApplyArgs,
}

#[derive(Debug, Subcommand)]
pub enum TuneCommand {
    /// Recommend requests and limits from usage history; with --apply, set them
    Resources(Box<TuneResourcesArgs>),
    /// Create (or with --update adjust) an autoscaling/v2 HPA on CPU for Deployments
    Hpa(TuneHpaArgs),
}

#[derive(Debug, Args)]
pub struct TuneResourcesArgs {
    /// Only these Deployments (repeatable or comma-separated) [default: every Deployment in the namespace]
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub deployment: Vec<String>,
    /// Read usage history from this Prometheus (cAdvisor's container metrics) instead of sampling metrics.k8s.io; user:password@ in the URL is sent as basic auth [or AIWFE_PROMETHEUS_URL, or `prometheus.url` in aiwfe.yaml]
    #[arg(long, value_name = "URL")]
    pub prometheus: Option<String>,
    /// How much Prometheus history to read, e.g. 7d, 2w, 36h [default: 7d]
    #[arg(long, value_name = "DURATION")]
    pub window: Option<String>,
    /// A file holding a bearer token for Prometheus [or the token in AIWFE_PROMETHEUS_TOKEN]
    #[arg(long, value_name = "PATH")]
    pub prometheus_token_file: Option<PathBuf>,
    /// PEM CA certificates to verify an https:// Prometheus with, instead of the system's
    #[arg(long, visible_alias = "cacert", value_name = "PATH")]
    pub prometheus_cacert: Option<PathBuf>,
    /// Sample metrics.k8s.io for this long (live clusters without --prometheus; a snapshot holds one sample) [default: 10m]
    #[arg(long, value_name = "DURATION", conflicts_with = "prometheus")]
    pub sample: Option<String>,
    /// Time between samples [default: 15s]
    #[arg(long, value_name = "DURATION", conflicts_with = "prometheus")]
    pub every: Option<String>,
    /// CPU request: this percentile of the samples
    #[arg(long, value_name = "PCT", default_value_t = crate::cluster::rightsize::CPU_PERCENTILE)]
    pub cpu_percentile: f64,
    /// Memory request and limit: the peak working set plus this much, e.g. 15%
    #[arg(long, value_name = "PCT", default_value = "15%")]
    pub memory_buffer: String,
    /// CPU limit: none (remove it), keep, or a factor of the new request such as 2
    #[arg(long, value_name = "POLICY", default_value = "none")]
    pub cpu_limit: String,
    /// Fewest samples a recommendation may rest on
    #[arg(long, value_name = "N", default_value_t = crate::cluster::rightsize::MIN_SAMPLES)]
    pub min_samples: usize,
    /// Price of one core for an hour, for the monthly cost column
    #[arg(long, value_name = "PRICE", default_value_t = 0.031)]
    pub cpu_cost: f64,
    /// Price of one GiB of memory for an hour
    #[arg(long, value_name = "PRICE", default_value_t = 0.004)]
    pub memory_cost: f64,
    /// Set the recommended requests and limits (without it, they are shown and nothing is sent)
    #[arg(long)]
    pub apply: bool,
    #[command(flatten)]
    pub common: ApplyArgs,
}

#[derive(Debug, Args)]
pub struct TuneHpaArgs {
    /// The Deployments to autoscale (repeatable or comma-separated)
    #[arg(long, value_name = "NAME", value_delimiter = ',', required = true)]
    pub deployment: Vec<String>,
    /// Fewest replicas
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub min: u32,
    /// Most replicas
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max: u32,
    /// Average CPU utilisation to hold, in per cent of the requests
    #[arg(long, value_name = "PCT", default_value_t = 75, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub cpu: u32,
    /// Adjust an HPA that exists already (else it is left as it is)
    #[arg(long)]
    pub update: bool,
    /// Make the change (without it, the plan is shown and nothing is sent)
    #[arg(long)]
    pub apply: bool,
    #[command(flatten)]
    pub common: ApplyArgs,
}

#[derive(Debug, Subcommand)]
pub enum PlaybookCommand {
    /// The playbooks there are: built-in ones and those in --playbooks DIR
    List(PlaybookListArgs),
    /// Print a playbook's YAML
    Show(PlaybookShowArgs),
    /// Run a playbook (a name or a FILE) through the same machinery as `fix`
    Run(Box<PlaybookRunArgs>),
}

#[derive(Debug, Args)]
pub struct PlaybookListArgs {
    /// Read playbooks from DIR before the built-in ones
    #[arg(long, value_name = "DIR")]
    pub playbooks: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlaybookShowArgs {
    /// A playbook name (`redis-auth`) or a FILE
    pub name: String,
    /// Read playbooks from DIR before the built-in ones
    #[arg(long, value_name = "DIR")]
    pub playbooks: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlaybookRunArgs {
    /// A playbook name (`affinity`) or a FILE
    pub name: String,
    /// A parameter, NAME=VALUE (repeatable; lists as a,b or [a, b])
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// A secret parameter from an environment variable, NAME=VAR (repeatable)
    #[arg(long = "set-env", value_name = "NAME=VAR")]
    pub set_env: Vec<String>,
    #[command(flatten)]
    pub apply: ApplyArgs,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Delete the in-cluster backup Secrets of every run (their runs can no longer restore Secrets)
    #[arg(long)]
    pub prune: bool,
    #[command(flatten)]
    pub kube: KubeArgs,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The run to restore (an id or its start, from `aiwfe history`) [default: the newest run that changed something]
    pub id: Option<String>,
    /// Restore even objects changed since the run (their later changes are lost)
    #[arg(long)]
    pub force: bool,
    /// Show what would be restored, check it with a server dry run, and stop
    #[arg(long)]
    pub dry_run: bool,
    /// Restore without asking (needed when stdin is not a terminal)
    #[arg(long, short = 'y')]
    pub yes: bool,
    #[command(flatten)]
    pub kube: KubeArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("key").args(["jwt_secret_file", "jwt_public_key", "jwks_url"])))]
pub struct ProxyArgs {
    #[arg(long, value_name = "ADDR", help = with_default("Address to listen on", proxy_defaults::LISTEN))]
    pub listen: Option<String>,
    /// Upstream WebSocket server, ws://HOST:PORT or wss://HOST:PORT (the request's path and query are kept) [or `proxy.upstream` in aiwfe.yaml]
    #[arg(long, value_name = "URL")]
    pub upstream: Option<String>,
    /// Verify HS256/384/512 tokens with the secret in FILE
    #[arg(long, value_name = "FILE")]
    pub jwt_secret_file: Option<PathBuf>,
    /// Verify RS*/PS*/ES*/EdDSA tokens with the PEM public key in FILE
    #[arg(long, value_name = "FILE.pem")]
    pub jwt_public_key: Option<PathBuf>,
    /// Verify tokens with the keys of the JSON Web Key Set at URL (https://, or http:// to
    /// localhost), fetched before listening; a token's `kid` selects the key
    #[arg(long, value_name = "URL")]
    pub jwks_url: Option<String>,
    /// Verify the JWKS server with the CA certificates in FILE instead of the system's
    #[arg(long, value_name = "FILE.pem")]
    pub jwks_cacert: Option<PathBuf>,
    #[arg(long, value_name = "DURATION", help = with_default("Fetch the JWKS again this often", proxy_defaults::JWKS_REFRESH))]
    pub jwks_refresh: Option<String>,
    #[arg(long, value_name = "DURATION", help = with_default("A token with an unknown `kid` fetches the JWKS at most this often", proxy_defaults::JWKS_MIN_REFRESH))]
    pub jwks_min_refresh: Option<String>,
    /// The one algorithm the key is used with [default: HS256, RS256, ES256 or EdDSA by key
    /// type]; with --jwks-url, the algorithms keys may have (comma-separated) [default: the
    /// JWK's `alg`, else by key type]
    #[arg(long, value_name = "ALG")]
    pub algorithm: Option<String>,
    /// Require this `iss` claim
    #[arg(long, value_name = "ISSUER")]
    pub issuer: Option<String>,
    /// Require this `aud` claim
    #[arg(long, value_name = "AUDIENCE")]
    pub audience: Option<String>,
    #[arg(long, value_name = "DURATION", help = with_default("Clock skew allowed on `exp` and `nbf`, e.g. 30s or 0", proxy_defaults::LEEWAY))]
    pub leeway: Option<String>,
    #[arg(long, value_enum, value_delimiter = ',', value_name = "WHERE", help = with_default("Where to look for the token, in order (comma-separated)", TokenIn::ALL.map(TokenIn::name).join(",")))]
    pub token_from: Vec<TokenIn>,
    #[arg(long, value_name = "N", help = with_default("Most verified tokens kept in the cache", proxy_defaults::CACHE_SIZE))]
    pub cache_size: Option<u64>,
    #[arg(long, value_name = "DURATION", help = with_default("Longest a verified token stays cached (never past its `exp`)", proxy_defaults::CACHE_TTL))]
    pub cache_ttl: Option<String>,
    #[arg(long, value_name = "DURATION", help = with_default("On SIGTERM/SIGINT, how long to wait for connections to close", proxy_defaults::DRAIN))]
    pub drain: Option<String>,
    /// CA certificates (PEM) for a wss:// upstream [default: the system's]
    #[arg(long, value_name = "FILE.pem")]
    pub upstream_cacert: Option<PathBuf>,
    #[arg(long, value_name = "DURATION", help = with_default("Ping a client that has sent nothing for this long; 0: never", proxy_defaults::PING_INTERVAL))]
    pub ping_interval: Option<String>,
    #[arg(long, value_name = "DURATION", help = with_default("A pinged client that stays silent this long is closed (1011)", proxy_defaults::PING_TIMEOUT))]
    pub ping_timeout: Option<String>,
    #[arg(long, value_name = "DURATION", help = with_default("How long to wait for the other side's close frame", proxy_defaults::CLOSE_TIMEOUT))]
    pub close_timeout: Option<String>,
    /// Pass these claims to the upstream as X-Auth-Claim-<name> headers (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "CLAIMS")]
    pub forward_claims: Vec<String>,
    /// Refuse tokens whose `jti` is in a Redis set: redis://[USER:PASSWORD@]HOST[:PORT][/DB]
    #[arg(long, value_name = "URL", env = "AIWFE_REVOCATION_REDIS_URL", hide_env_values = true)]
    pub revocation_redis: Option<String>,
    #[arg(long, value_name = "KEY", requires = "revocation_redis", help = with_default("The Redis set of revoked `jti` values", proxy_defaults::REVOCATION_SET))]
    pub revocation_set: Option<String>,
    #[arg(long, value_name = "DURATION", requires = "revocation_redis", help = with_default("How long a revocation answer is cached (how soon a revocation takes effect)", proxy_defaults::REVOCATION_TTL))]
    pub revocation_ttl: Option<String>,
    /// Let tokens pass when Redis cannot answer [default: refuse with 503]
    #[arg(long, requires = "revocation_redis")]
    pub revocation_fail_open: bool,
    #[arg(long, value_name = "BYTES", help = with_default("Largest message either way, e.g. 1MiB or 65536; larger ones close with 1009", proxy_defaults::MAX_MESSAGE))]
    pub max_message: Option<String>,
    #[arg(long, value_name = "N", help = with_default("Most proxied connections at once; beyond, upgrades get 503 with Retry-After", proxy_defaults::MAX_CONNECTIONS))]
    pub max_connections: Option<usize>,
    #[arg(long, value_name = "DURATION", help = with_default("Close a connection whose request headers have not come within this long", proxy_defaults::HEADER_TIMEOUT))]
    pub header_timeout: Option<String>,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Write to FILE instead of stdout; `.json` writes JSON, `.gz` compresses (`cluster.json.gz`)
    #[arg(long = "to", value_name = "FILE")]
    pub to: Option<PathBuf>,
    /// yaml or json [default: from --to's extension, else yaml]
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<crate::cluster::snapshot::Format>,
    #[command(flatten)]
    pub kube: KubeArgs,
}

#[derive(Debug, Args)]
pub struct RbacArgs {
    /// The mode to grant
    #[arg(long = "for", value_enum, default_value_t = RbacMode::Doctor)]
    pub mode: RbacMode,
    /// Namespace of the ServiceAccount bound to the role
    #[arg(long, value_name = "NS", default_value = "aiwfe")]
    pub service_account_namespace: String,
    /// With --for fix: the namespace fix may write in
    #[arg(short = 'n', long, value_name = "NS", default_value = "aiwfe")]
    pub namespace: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RbacMode {
    Doctor,
    /// What `aiwfe fix` writes, on top of what doctor reads
    Fix,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Redis to check, e.g. redis://:PASSWORD@redis:6379/0
    #[arg(long, value_name = "URL", env = "AIWFE_REDIS_URL", hide_env_values = true)]
    pub redis: Option<String>,
    /// PostgreSQL to check, e.g. postgres://USER:PASSWORD@db/aiwfe
    #[arg(long, value_name = "URL", env = "AIWFE_POSTGRES_URL", hide_env_values = true)]
    pub postgres: Option<String>,
    /// WebSocket endpoint to check, e.g. wss://app.example.com/ws (token from aiwfe.yaml `ws:` or AIWFE_WS_TOKEN)
    #[arg(long, value_name = "URL", env = "AIWFE_WS_URL")]
    pub ws: Option<String>,
    /// Run only these probes (comma-separated: redis,postgres,ws,kube)
    #[arg(long, value_delimiter = ',', value_name = "PROBES")]
    pub only: Vec<String>,
    /// Skip these probes (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "PROBES")]
    pub skip: Vec<String>,
    /// Read Kubernetes objects from a file or folder (`kubectl get ... -o yaml`, `aiwfe snapshot`, also `.gz`) instead of a cluster
    #[arg(long, value_name = "PATH")]
    pub snapshot: Option<PathBuf>,
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), help = with_default("Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N", crate::cluster::read::DEFAULT_BUDGET))]
    pub snapshot_budget: Option<u32>,
    #[command(flatten)]
    pub kube: KubeArgs,
}

#[derive(Debug, Subcommand)]
pub enum ProbeCommand {
    /// Connect, authenticate, measure PING latency and client load
    Redis(RedisProbeArgs),
    /// Connect, authenticate, summarise pg_stat_activity and connection headroom
    Postgres(PostgresProbeArgs),
    /// Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)
    Kube(KubeProbeArgs),
    /// Open WebSocket connections and time each phase: DNS, TCP, TLS, upgrade, first message, ping
    Ws(Box<WsProbeArgs>),
}

#[derive(Debug, Args)]
pub struct KubeProbeArgs {
    /// Read Kubernetes objects from a file or folder instead of a cluster
    #[arg(long, value_name = "PATH")]
    pub snapshot: Option<PathBuf>,
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), help = with_default("Multiply the parse budget of a YAML --snapshot (sized to the file; nesting depth 64, 50,000 aliases) by N", crate::cluster::read::DEFAULT_BUDGET))]
    pub snapshot_budget: Option<u32>,
    #[command(flatten)]
    pub kube: KubeArgs,
}

#[derive(Debug, Args)]
pub struct RedisProbeArgs {
    #[arg(value_name = "URL", env = "AIWFE_REDIS_URL", hide_env_values = true, help = with_default("redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://...", format!("from config, else {}", probe::redis::DEFAULT_URL)))]
    pub url: Option<String>,
    /// Number of PINGs for the latency figures
    #[arg(long, value_name = "N")]
    pub pings: Option<u32>,
    /// Trust the CA(s) in this PEM file for rediss:// instead of the system's
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PostgresProbeArgs {
    /// postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=require] [default: from config, else PG* variables, else localhost]
    #[arg(value_name = "URL", env = "AIWFE_POSTGRES_URL", hide_env_values = true)]
    pub url: Option<String>,
}

#[derive(Debug, Default, Args)]
pub struct WsProbeArgs {
    /// ws://HOST[:PORT]/PATH or wss://... [default: `ws.url` from config]
    #[arg(value_name = "URL", env = "AIWFE_WS_URL")]
    pub url: Option<String>,
    /// Bearer token (visible in the process list: prefer --token-env or --token-file)
    #[arg(long, value_name = "TOKEN", conflicts_with_all = ["token_env", "token_file"])]
    pub token: Option<String>,
    /// Read the token from this environment variable
    #[arg(long, value_name = "VAR", conflicts_with = "token_file")]
    pub token_env: Option<String>,
    /// Read the token from this file
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    #[arg(long, value_enum, value_name = "WHERE", help = with_default("Where the token goes", TokenIn::Header.name()))]
    pub token_in: Option<TokenIn>,
    /// Subprotocol to offer in Sec-WebSocket-Protocol (repeatable)
    #[arg(long, value_name = "NAME")]
    pub subprotocol: Vec<String>,
    /// Extra request header, e.g. 'Origin: https://app.example.com' (repeatable)
    #[arg(long, short = 'H', value_name = "K: V")]
    pub header: Vec<String>,
    #[arg(short = 'n', long = "connections", value_name = "N", help = with_default("Total connections to open", probe::websocket::target::CONNECTIONS))]
    pub connections: Option<u32>,
    #[arg(short = 'c', long = "concurrency", value_name = "N", help = with_default("How many connections are open at once", probe::websocket::target::CONCURRENCY))]
    pub concurrency: Option<u32>,
    /// Text message to send once the connection is open (e.g. an in-band auth message)
    #[arg(long, value_name = "TEXT")]
    pub send: Option<String>,
    /// Wait for a message containing TEXT; the time from --send to it is the first round-trip
    #[arg(long, value_name = "TEXT")]
    pub expect: Option<String>,
    /// Ping/pong round trips per connection, for the RTT figures
    #[arg(long, value_name = "N")]
    pub ping: Option<u32>,
    /// Trust the CA(s) in this PEM file for wss:// instead of the system's
    #[arg(long, value_name = "FILE", conflicts_with = "insecure")]
    pub cacert: Option<PathBuf>,
    /// Do not verify the server certificate (testing only)
    #[arg(long, short = 'k')]
    pub insecure: bool,
    /// Run the same workload against this endpoint too and show both with per-phase ratios
    #[arg(long, value_name = "URL")]
    pub compare: Option<String>,
    /// Keep each connection open this long after the handshake, e.g. 30s (load generation)
    #[arg(long, value_name = "DURATION")]
    pub hold: Option<String>,
    #[arg(long, value_name = "PER_SECOND", requires = "hold", help = with_default("While holding, messages per second each connection sends", probe::websocket::target::RATE))]
    pub rate: Option<f64>,
    /// While holding, send one message, wait for its echo, send the next (closed loop; round-trip percentiles and messages per second)
    #[arg(long, requires = "hold", conflicts_with = "rate")]
    pub await_echo: bool,
    #[arg(long, value_name = "BYTES", requires = "hold", help = with_default("Size in bytes of each message sent while holding", probe::websocket::target::SIZE))]
    pub size: Option<usize>,
    #[arg(long, value_name = "DURATION", help = with_default("Warn when the handshake p95 (DNS to 101, plus --send/--expect) is at least this", format!("{}s", probe::websocket::target::WARN_AFTER_S)))]
    pub warn_after: Option<String>,
    #[arg(long, value_name = "DURATION", help = with_default("Error when the handshake p95 is at least this", format!("{}s", probe::websocket::target::ERROR_AFTER_S)))]
    pub error_after: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to print the script for
    #[arg(value_enum, required_unless_present = "dir")]
    pub shell: Option<Shell>,
    /// Write the scripts for every shell into DIR instead
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write aiwfe.1 and one page per subcommand (aiwfe-doctor.1, ...) into DIR instead
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}
