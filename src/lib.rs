//! aiwfe: finds out why an AI Workflow Engine stack (WebSocket gateway, Redis, PostgreSQL,
//! Kubernetes) is slow or broken.
//!
//! # Layout
//! - `cli`: clap types, nothing else.
//! - `config`: flags + env + `aiwfe.yaml` → validated `Config`.
//! - `error`: the errors that stop a run (exit code 2), each with a hint.
//! - `redact`: keeps secrets out of every output (masking, fingerprints).
//! - `cluster`: the Kubernetes state as plain data, from a snapshot or the live API (the
//!   one place that builds a kube client); `snapshot` writes it back out without secrets.
//! - `probe`: the `Probe` trait, the concurrent runner with deadlines, and the probes
//!   (`probe::redis`, `probe::postgres`, `probe::kube`, `probe::websocket` with one
//!   connection's phases in `probe::websocket_conn`).
//! - `proxy`: `aiwfe proxy`, the fast-auth WebSocket reverse proxy (`proxy::auth` verifies
//!   and caches tokens, `proxy::jwks` fetches keys from a JSON Web Key Set, `proxy::token`
//!   finds and strips tokens, `proxy::relay` moves frames, `proxy::metrics` serves
//!   Prometheus text).
//! - `diagnose`: pure root-cause rules over all findings.
//! - `rbac`: the least-privilege RBAC objects each mode needs.
//! - `report`: `Observation`/`Finding`/`Report` and the renderers (table, json, yaml,
//!   junit, sarif, markdown).

pub mod cli;
pub mod cluster;
pub mod config;
pub mod diagnose;
pub mod error;
pub mod probe;
pub mod proxy;
pub mod rbac;
pub mod redact;
pub mod report;

use clap::CommandFactory;
use config::{Action, Config, ProbeKind};
use error::Error;
use probe::Probe;
use std::io::{IsTerminal, Write};

/// Runs one invocation and returns the process exit code.
pub fn run(cli: cli::Cli) -> u8 {
    let is_tty = std::io::stdout().is_terminal();
    let verbose = cli.global.verbose;
    init_tracing(verbose);
    match config::load(cli, &config::ProcessEnv, is_tty).and_then(execute) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(h) = e.hint() {
                eprintln!("hint: {h}");
            }
            e.exit_code()
        }
    }
}

fn init_tracing(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "aiwfe=info",
        2 => "aiwfe=debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| redact::LogWriter)
        .with_target(false)
        .try_init();
}

fn execute(cfg: Config) -> Result<u8, Error> {
    redact::set_log_secrets(cfg.secrets().into_iter().filter(|s| s.len() >= 3).collect());
    match &cfg.action {
        Action::Completions { shell, dir } => completions(*shell, dir.as_deref()),
        Action::Rbac {
            mode,
            service_account_namespace,
        } => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(rbac::render(*mode, service_account_namespace).as_bytes());
            Ok(0)
        }
        Action::Snapshot { to } => snapshot(&cfg, to.as_deref()),
        Action::Proxy(p) => proxy((**p).clone()),
        Action::Probes(kinds) => {
            let probes: Vec<Box<dyn Probe>> = kinds
                .iter()
                .map(|k| -> Box<dyn Probe> {
                    match k {
                        ProbeKind::Redis => Box::new(probe::redis::RedisProbe { target: cfg.redis.clone() }),
                        ProbeKind::Postgres => Box::new(probe::postgres::PostgresProbe {
                            target: cfg.postgres.clone(),
                        }),
                        ProbeKind::Kube => Box::new(probe::kube::KubeProbe {
                            source: cfg.kube.source.clone(),
                            namespace: cfg.kube.namespace.clone(),
                            thresholds: cfg.kube.thresholds.clone(),
                        }),
                        ProbeKind::Ws => match &cfg.ws {
                            Some(t) => Box::new(probe::websocket::WsProbe { target: t.clone() }),
                            None => unreachable!("config drops the ws probe when no URL is given"),
                        },
                    }
                })
                .collect();
            let progress = cfg.output == report::Format::Table && !cfg.quiet && std::io::stderr().is_terminal();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(|e| Error::Runtime(e.to_string()))?;
            let observations = runtime.block_on(probe::run_all(probes, cfg.timeout, progress));
            // Probes may leave connection tasks behind; do not wait for them.
            runtime.shutdown_background();
            let causes = diagnose::diagnose(&observations);
            let report = report::Report::new(observations, causes, &cfg.ignore);
            emit(&cfg, &report)?;
            Ok(report.exit_code(cfg.fail_on))
        }
    }
}

/// Writes the report to stdout (unless `-q`) and to `--report FILE`, scrubbing every
/// known secret as a last line of defence.
fn emit(cfg: &Config, report: &report::Report) -> Result<(), Error> {
    // Short secrets would also match ordinary words; those are scrubbed at the source.
    let secrets: Vec<String> = cfg.secrets().into_iter().filter(|s| s.len() >= 8).collect();
    let render = |format| -> Vec<u8> {
        let mut buf = Vec::new();
        let _ = report::render(report, format, cfg.style, cfg.fail_on, &mut buf);
        let text = String::from_utf8_lossy(&buf);
        redact::scrub(&text, &secrets).into_bytes()
    };
    if let Some((path, format)) = &cfg.report_file {
        std::fs::write(path, render(*format)).map_err(|e| Error::Write {
            path: path.clone(),
            reason: e.to_string().to_lowercase(),
        })?;
    }
    if !cfg.quiet {
        let mut out = std::io::stdout().lock();
        // A closed pipe (`aiwfe doctor | head`) is not an error worth reporting.
        let _ = out.write_all(&render(cfg.output)).and_then(|_| out.flush());
    }
    Ok(())
}

/// `aiwfe proxy`: serves until SIGTERM or SIGINT, then drains and exits 0.
fn proxy(cfg: proxy::ProxyConfig) -> Result<u8, Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    runtime.block_on(async {
        // Keys first (a JWKS is fetched now): nothing listens until tokens can be checked.
        let metrics = proxy::metrics::Metrics::new();
        let key_flag = match &cfg.auth.key {
            proxy::auth::KeyMaterial::Jwks(_) => "--jwks-url",
            proxy::auth::KeyMaterial::Secret(_) => "--jwt-secret-file",
            proxy::auth::KeyMaterial::PublicKeyPem(_) => "--jwt-public-key",
        };
        let auth = proxy::auth::Auth::load(&cfg.auth, metrics.jwks())
            .await
            .map_err(|reason| Error::Invalid {
                field: key_flag.into(),
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
        proxy::serve(listener, cfg, auth, metrics, shutdown)
            .await
            .map_err(|reason| Error::Invalid {
                field: key_flag.into(),
                reason,
            })?;
        eprintln!("aiwfe proxy: drained, exiting");
        Ok(0)
    })
}

/// `aiwfe snapshot`: reads the live cluster and writes it as one YAML `List`.
fn snapshot(cfg: &Config, to: Option<&std::path::Path>) -> Result<u8, Error> {
    let probe::kube::Source::Live(target) = &cfg.kube.source else {
        return Err(Error::Invalid {
            field: "--snapshot".into(),
            reason: "`aiwfe snapshot` reads a live cluster; it does not take --snapshot".into(),
        });
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Runtime(e.to_string()))?;
    let ns = cfg.kube.namespace.clone();
    let timeout = cfg.timeout;
    let result = runtime.block_on(async {
        let rec = probe::Recorder::standalone(timeout);
        tokio::time::timeout(timeout, cluster::live::load(target, ns.as_deref(), &rec)).await
    });
    runtime.shutdown_background();
    let state = match result {
        Ok(Ok(s)) => s,
        Ok(Err(f)) => return Err(Error::Cluster(format!("{}: {}", f.summary, f.evidence.unwrap_or_default()))),
        Err(_) => return Err(Error::Cluster(format!("no answer from the Kubernetes API within {:?}", timeout))),
    };
    for p in &state.problems {
        eprintln!("warning: could not read {}: {}", p.resource, p.message);
    }
    let yaml = cluster::snapshot::to_yaml(&state).map_err(Error::Cluster)?;
    match to {
        Some(path) => std::fs::write(path, yaml).map_err(|e| Error::Write {
            path: path.to_path_buf(),
            reason: e.to_string().to_lowercase(),
        })?,
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(yaml.as_bytes());
        }
    }
    Ok(0)
}

fn completions(shell: Option<cli::Shell>, dir: Option<&std::path::Path>) -> Result<u8, Error> {
    use clap_complete::Shell as S;
    let mut cmd = cli::Cli::command();
    let to_clap = |s: cli::Shell| match s {
        cli::Shell::Bash => S::Bash,
        cli::Shell::Zsh => S::Zsh,
        cli::Shell::Fish => S::Fish,
        cli::Shell::Powershell => S::PowerShell,
        cli::Shell::Elvish => S::Elvish,
    };
    match (shell, dir) {
        (Some(s), None) => {
            clap_complete::generate(to_clap(s), &mut cmd, "aiwfe", &mut std::io::stdout());
        }
        (shell, Some(dir)) => {
            let shells = match shell {
                Some(s) => vec![s],
                None => vec![
                    cli::Shell::Bash,
                    cli::Shell::Zsh,
                    cli::Shell::Fish,
                    cli::Shell::Powershell,
                    cli::Shell::Elvish,
                ],
            };
            std::fs::create_dir_all(dir).map_err(|e| Error::Write {
                path: dir.to_path_buf(),
                reason: e.to_string().to_lowercase(),
            })?;
            for s in shells {
                clap_complete::generate_to(to_clap(s), &mut cmd, "aiwfe", dir).map_err(|e| Error::Write {
                    path: dir.to_path_buf(),
                    reason: e.to_string().to_lowercase(),
                })?;
            }
        }
        (None, None) => unreachable!("clap requires a shell or --dir"),
    }
    Ok(0)
}
