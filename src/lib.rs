//! aiwfe: finds out why an AI Workflow Engine stack (WebSocket gateway, Redis, PostgreSQL,
//! Kubernetes) is slow or broken.
//!
//! # Layout
//! Arrows only point down; `tests/it/layout.rs` fails on an import that points up or
//! sideways, and on any circle of files.
//! - `config`: flags + env + `aiwfe.yaml` → one `Action` carrying its command's settings.
//! - `cmd`: one file per command (`doctor`, `snapshot`, `proxy`, `rbac`, `completions`,
//!   `fix`, `tune`, `playbook`, `history`, `rollback`), each `run(settings, out) -> Result<exit
//!   code, Error>`; `cmd::playbook` holds the run that fix and tune share.
//! - `cli`: clap types, nothing else.
//! - `error`: the errors that stop a run (exit code 2), each with a hint; lower layers'
//!   typed errors convert into it.
//! - `remedy`: what a fix changes, discovered from a `ClusterState` (pure).
//! - `playbook`: the playbooks: parse, templates, plan to JSON Patches (pure);
//!   `playbook::apply` (server dry run, preconditions, rollouts, rollback) and
//!   `playbook::journal` (the before-images) are the I/O.
//! - `probe`: the `Probe` trait, the concurrent runner with deadlines, and the probes
//!   (`probe::redis`, `probe::postgres`, `probe::kube`, `probe::websocket`), each owning
//!   its `Target`.
//! - `proxy`: `aiwfe proxy`, the fast-auth WebSocket reverse proxy (`proxy::auth` verifies
//!   and caches tokens, `proxy::jwks` fetches keys from a JSON Web Key Set, `proxy::token`
//!   finds and strips tokens, `proxy::relay` moves frames, `proxy::frame` follows their
//!   boundaries, `proxy::metrics` serves Prometheus text); `proxy::Config` is its settings.
//! - `remedy`: parameter discovery for the fixes (`remedy::redis_auth`, `remedy::affinity`):
//!   pure functions over a `ClusterState` that say what a playbook should change, or why
//!   there is nothing to fix.
//! - `diagnose`: pure root-cause rules over all findings.
//! - `cluster`: the Kubernetes state as plain data, from a snapshot or the live API (the
//!   one place that builds a kube client); `cluster::snapshot` writes it back out without
//!   secrets, `cluster::objects` knows which workload owns a pod and where Redis passwords
//!   come from, `cluster::scheduler` reads why a pod is Pending, `cluster::prometheus`
//!   reads usage history, `cluster::rightsize` recommends requests from it.
//! - `report`: `Observation`/`Finding`/`Cause`/`Report`, the gate (`FailOn`) and the
//!   renderers (table, json, yaml, junit, sarif, markdown).
//! - Bottom: `redact` (masking, fingerprints, the log scrubber), `term` (control
//!   characters escaped for every human output), `tls` (client TLS for every dialer),
//!   `http` (one bounded HTTP/1.1 exchange: JWKS, Prometheus), `ws_token` (where a
//!   WebSocket token travels), `testing` (unit tests only: a seeded random source).

pub mod cli;
pub mod cluster;
pub mod cmd;
pub mod config;
pub mod diagnose;
pub mod error;
pub mod http;
pub mod playbook;
pub mod probe;
pub mod proxy;
pub mod redact;
pub mod remedy;
pub mod report;
pub mod term;
#[cfg(test)]
pub mod testing;
pub mod tls;
pub mod ws_token;

use config::{Action, Config};
use error::Error;
use std::io::IsTerminal;

/// Runs one invocation and returns the process exit code.
pub fn run(cli: cli::Cli) -> u8 {
    let is_tty = std::io::stdout().is_terminal();
    init_tracing(cli.global.verbose);
    match config::load(cli, &config::ProcessEnv, is_tty).and_then(dispatch) {
        Ok(code) => code,
        Err(e) => {
            cmd::note(format_args!("error: {e}"));
            if let Some(h) = e.hint() {
                cmd::note(format_args!("hint: {h}"));
            }
            e.exit_code()
        }
    }
}

fn init_tracing(verbose: u8) {
    // Without -v only aiwfe's own warnings: a library's error line (the kube client logs
    // every failed request) repeats what the report already says as a finding.
    let default = match verbose {
        0 => "aiwfe=warn",
        1 => "aiwfe=info",
        2 => "aiwfe=debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .fmt_fields(LogFields)
        .with_writer(|| redact::LogWriter)
        // Colour only for a terminal: a log file or a CI log gets plain text.
        .with_ansi(std::io::stderr().is_terminal())
        .log_internal_errors(false)
        .with_target(false)
        .try_init();
}

/// How every log line's fields are written, aiwfe's own and its libraries' alike: as the
/// human output shows text a server, a file or a log controls. Credentials are masked
/// (`redact::free_text`: URL passwords, `AUTH pw`, `password=`, bearer tokens, JWTs and
/// the run's registered secrets), then control characters escaped (`term::escape`), so a
/// Redis error, an HTTP reason phrase, a hostname or a container log line that reaches a
/// log line neither steers the terminal, nor starts a line of its own (a newline is `^J`),
/// nor shows a secret. The formatter's own colours
/// (on a terminal) are not fields and stay.
struct LogFields;

impl<'w> tracing_subscriber::fmt::FormatFields<'w> for LogFields {
    fn format_fields<R: tracing_subscriber::field::RecordFields>(
        &self,
        mut writer: tracing_subscriber::fmt::format::Writer<'w>,
        fields: R,
    ) -> std::fmt::Result {
        let mut v = LogVisitor {
            writer: &mut writer,
            first: true,
            result: Ok(()),
        };
        fields.record(&mut v);
        v.result
    }
}

struct LogVisitor<'a, 'w> {
    writer: &'a mut tracing_subscriber::fmt::format::Writer<'w>,
    first: bool,
    result: std::fmt::Result,
}

impl tracing::field::Visit for LogVisitor<'_, '_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.write(field.name(), value.to_string());
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.write(field.name(), format!("{value:?}"));
    }
}

impl LogVisitor<'_, '_> {
    fn write(&mut self, name: &str, text: String) {
        // What `log` records carry besides their message; the formatter has used it.
        if self.result.is_err() || name.starts_with("log.") {
            return;
        }
        let shown = redact::free_text(&text);
        // One event, one line: a newline a server sent cannot forge a log line of its own.
        let shown = term::escape(&shown).replace('\n', "^J");
        let sep = if std::mem::take(&mut self.first) { "" } else { " " };
        self.result = if name == "message" {
            write!(self.writer, "{sep}{shown}")
        } else {
            write!(self.writer, "{sep}{name}={shown}")
        };
    }
}

fn dispatch(cfg: Config) -> Result<u8, Error> {
    redact::set_log_secrets(cfg.secrets().into_iter().filter(|s| s.len() >= 3).collect());
    let out = &mut std::io::stdout().lock();
    match cfg.action {
        Action::Doctor(d) => cmd::doctor::run(d, out),
        Action::Snapshot(s) => cmd::snapshot::run(s, out),
        Action::Proxy(p) => cmd::proxy::run(*p, out),
        Action::Rbac(r) => cmd::rbac::run(r, out),
        Action::Completions(c) => cmd::completions::run(c, out),
        Action::Man(m) => cmd::man::run(m, out),
        Action::Fix(f) => cmd::fix::run(*f, out),
        Action::Tune(t) => cmd::tune::run(*t, out),
        Action::PlaybookList { dir } => cmd::playbook::run_list(dir.as_deref(), out),
        Action::PlaybookShow { name, dir } => cmd::playbook::run_show(&name, dir.as_deref(), out),
        Action::PlaybookRun(r) => cmd::playbook::run(*r, out),
        Action::History(h) => cmd::history::run(h, out),
        Action::Rollback(r) => cmd::rollback::run(r, out),
    }
}
