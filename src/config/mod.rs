//! Flags + environment + `aiwfe.yaml` → one `Config` whose `Action` carries the settings of
//! the command asked for, and only those.
//!
//! Precedence: a flag beats the config file, which beats the environment's defaults
//! (`PGHOST`, ...), which beat built-in defaults (constants owned by the subsystem that uses
//! them). A command reads only the file sections and variables it uses, so a broken
//! `PGPORT` stops `aiwfe doctor` but not `aiwfe completions`. Every error here is exit code 2
//! and names the file, line and column or the flag at fault.
//!
//! `file` is the top of aiwfe.yaml, `probes` the probe targets, `proxy` the proxy's
//! settings, `values` what they share (durations, sizes, secrets, the environment).

pub mod apply;
pub mod file;
pub mod probes;
pub mod proxy;
pub mod values;

use crate::cli::{Cli, Command, GlobalArgs, ProbeCommand};
use crate::cmd::Output;
use crate::cmd::completions::Completions;
use crate::cmd::doctor::{Doctor, Target};
use crate::cmd::fix::FixSettings;
use crate::cmd::history::History;
use crate::cmd::man::Man;
use crate::cmd::playbook::RunSettings;
use crate::cmd::rbac::Rbac;
use crate::cmd::rollback::Rollback;
use crate::cmd::snapshot::Snapshot;
use crate::error::{Error, Result};
use crate::probe::{self, kube::Source};
use crate::report::{FailOn, Format, Style};
use file::FileConfig;
use probes::ProbeKind;
pub use values::{Env, ProcessEnv};

/// What to do.
#[derive(Debug)]
pub enum Action {
    /// `doctor` and `probe ...`.
    Doctor(Doctor),
    Snapshot(Snapshot),
    Proxy(Box<crate::proxy::Config>),
    Rbac(Rbac),
    Completions(Completions),
    Man(Man),
    Fix(Box<FixSettings>),
    Tune(Box<crate::cmd::tune::TuneSettings>),
    PlaybookList {
        dir: Option<std::path::PathBuf>,
    },
    PlaybookShow {
        name: String,
        dir: Option<std::path::PathBuf>,
    },
    PlaybookRun(Box<RunSettings>),
    History(History),
    Rollback(Rollback),
}

/// The validated configuration of one run.
#[derive(Debug)]
pub struct Config {
    pub action: Action,
}

impl Config {
    /// Every secret this run knows, for scrubbing text that came from elsewhere.
    pub fn secrets(&self) -> Vec<String> {
        match &self.action {
            Action::Doctor(d) => d.secrets(),
            Action::Proxy(p) => p.secrets(),
            Action::Fix(f) => f.secrets(),
            Action::PlaybookRun(r) => r
                .params
                .iter()
                .filter_map(|(_, v)| match v {
                    crate::playbook::ParamValue::String(s) if s.len() >= 8 => Some(s.clone()),
                    _ => None,
                })
                .chain(r.redis.iter().flat_map(|t| t.password.iter().map(|p| p.expose().to_string())))
                .collect(),
            Action::Snapshot(_)
            | Action::Rbac(_)
            | Action::Completions(_)
            | Action::Man(_)
            | Action::PlaybookList { .. }
            | Action::PlaybookShow { .. }
            | Action::History(_)
            | Action::Tune(_)
            | Action::Rollback(_) => Vec::new(),
        }
    }
}

/// Builds the run's `Config` from parsed flags and, for the commands that use it, the
/// config file that applies.
pub fn load(cli: Cli, env: &dyn Env, is_tty: bool) -> Result<Config> {
    let g = cli.global;
    let action = match cli.command {
        Command::Completions(c) => Action::Completions(Completions {
            shell: c.shell,
            dir: c.dir,
        }),
        Command::Man(m) => Action::Man(Man { dir: m.dir }),
        Command::Rbac(r) => Action::Rbac(Rbac {
            mode: r.mode,
            service_account_namespace: r.service_account_namespace,
            namespace: r.namespace,
        }),
        Command::Proxy(p) => {
            let file = file::load(g.config.as_deref(), env)?;
            Action::Proxy(Box::new(proxy::proxy_config(*p, file.proxy.as_ref(), env)?))
        }
        Command::Snapshot(s) => {
            let file = file::load(g.config.as_deref(), env)?;
            let k = s.kube;
            let kube = probes::kube_target(
                None,
                None,
                k.kubeconfig,
                k.context,
                k.namespace,
                k.all_namespaces,
                file.kube.as_ref(),
            )?;
            let Source::Live(target) = kube.source else {
                return Err(Error::Invalid {
                    field: "kube.snapshot".into(),
                    reason: "`aiwfe snapshot` reads a live cluster; it does not take a snapshot".into(),
                });
            };
            Action::Snapshot(Snapshot {
                target,
                namespace: kube.namespace,
                timeout: timeout(&g, &file)?,
                format: s.format.unwrap_or_else(|| cluster_format(s.to.as_deref())),
                to: s.to,
            })
        }
        Command::Doctor(d) => {
            let file = file::load(g.config.as_deref(), env)?;
            Action::Doctor(doctor(d, &g, file, env, is_tty)?)
        }
        Command::Probe(p) => {
            let file = file::load(g.config.as_deref(), env)?;
            Action::Doctor(probe(p, &g, file, env, is_tty)?)
        }
        Command::Fix(c) => {
            let file = file::load(g.config.as_deref(), env)?;
            let timeout = timeout(&g, &file)?;
            let output = output(&g, &file, env, is_tty)?;
            Action::Fix(Box::new(apply::fix_settings(c, &file, timeout, output, env)?))
        }
        Command::Tune(crate::cli::TuneCommand::Resources(t)) => {
            let file = file::load(g.config.as_deref(), env)?;
            let timeout = timeout(&g, &file)?;
            let output = output(&g, &file, env, is_tty)?;
            Action::Tune(Box::new(apply::tune_resources(*t, &file, timeout, output, env)?))
        }
        Command::Tune(crate::cli::TuneCommand::Hpa(t)) => {
            let file = file::load(g.config.as_deref(), env)?;
            let timeout = timeout(&g, &file)?;
            let output = output(&g, &file, env, is_tty)?;
            Action::Tune(Box::new(apply::tune_hpa(t, &file, timeout, output, env)?))
        }
        Command::Playbook(crate::cli::PlaybookCommand::List(l)) => {
            let file = file::load(g.config.as_deref(), env)?;
            Action::PlaybookList {
                dir: apply::playbooks_dir(l.playbooks, &file),
            }
        }
        Command::Playbook(crate::cli::PlaybookCommand::Show(s)) => {
            let file = file::load(g.config.as_deref(), env)?;
            Action::PlaybookShow {
                name: s.name,
                dir: apply::playbooks_dir(s.playbooks, &file),
            }
        }
        Command::Playbook(crate::cli::PlaybookCommand::Run(r)) => {
            let file = file::load(g.config.as_deref(), env)?;
            let timeout = timeout(&g, &file)?;
            let params = apply::params(&r.set, &r.set_env, env)?;
            let mut redis = None;
            if let Some(crate::playbook::ParamValue::String(pw)) = params.iter().find(|(k, _)| k == "password").map(|(_, v)| v) {
                let mut t = probes::redis_target(None, file.redis.clone().unwrap_or_default(), Some(1), env)?;
                t.password = Some(crate::redact::Secret::new(pw.clone()));
                redis = Some(t);
            }
            Action::PlaybookRun(Box::new(RunSettings {
                source: crate::cmd::playbook::find(&r.name, apply::playbooks_dir(r.apply.playbooks.clone(), &file).as_deref())?,
                params,
                cluster: apply::cluster(r.apply.snapshot.clone(), r.apply.snapshot_budget, &r.apply.kube, &file)?,
                apply: apply::apply_settings(&r.apply, timeout, env)?,
                output: output(&g, &file, env, is_tty)?,
                redis,
                notes: Vec::new(),
                stand_ins: Vec::new(),
            }))
        }
        Command::History(h) => {
            let file = file::load(g.config.as_deref(), env)?;
            Action::History(History {
                state_dir: apply::state_dir(env)?,
                format: g.output,
                prune: if h.prune {
                    Some(apply::cluster(None, None, &h.kube, &file)?)
                } else {
                    None
                },
                timeout: timeout(&g, &file)?,
            })
        }
        Command::Rollback(r) => {
            let file = file::load(g.config.as_deref(), env)?;
            Action::Rollback(Rollback {
                id: r.id,
                force: r.force,
                dry_run: r.dry_run,
                yes: r.yes,
                cluster: apply::cluster(None, None, &r.kube, &file)?,
                state_dir: apply::state_dir(env)?,
                timeout: timeout(&g, &file)?,
                quiet: g.quiet,
            })
        }
    };
    Ok(Config { action })
}

/// `aiwfe doctor`: the probes whose targets are named (or `--only`), each target built.
fn doctor(d: crate::cli::DoctorArgs, g: &GlobalArgs, file: FileConfig, env: &dyn Env, is_tty: bool) -> Result<Doctor> {
    let k = &d.kube;
    let named = |kind: ProbeKind| match kind {
        ProbeKind::Redis => d.redis.is_some() || file.redis.is_some(),
        ProbeKind::Postgres => d.postgres.is_some() || file.postgres.is_some(),
        ProbeKind::Ws => d.ws.is_some() || file.ws.as_ref().is_some_and(|w| w.url.is_some()),
        ProbeKind::Kube => {
            d.snapshot.is_some() || k.kubeconfig.is_some() || k.context.is_some() || file.kube.is_some() || probes::kube_discoverable(env)
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
    let ws_required = !d.only.is_empty() && kinds.contains(&ProbeKind::Ws);
    let skip: Vec<ProbeKind> = d.skip.iter().map(|s| ProbeKind::parse(s, "--skip")).collect::<Result<_>>()?;
    kinds.retain(|k| !skip.contains(k));
    let timeout = timeout(g, &file)?;
    let mut targets = Vec::new();
    for kind in kinds {
        match kind {
            ProbeKind::Redis => targets.push(Target::Redis(probes::redis_target(
                d.redis.clone(),
                file.redis.clone().unwrap_or_default(),
                None,
                env,
            )?)),
            ProbeKind::Postgres => targets.push(Target::Postgres(probes::postgres_target(
                d.postgres.clone(),
                file.postgres.clone().unwrap_or_default(),
                env,
            )?)),
            ProbeKind::Ws => match probes::ws_target(None, d.ws.clone(), file.ws.clone().unwrap_or_default(), timeout, env)? {
                Some(t) => targets.push(Target::Ws(t)),
                None if ws_required => return Err(no_ws_url()),
                // Nothing to check: doctor leaves the WebSocket probe out rather than guess a URL.
                None => {}
            },
            ProbeKind::Kube => targets.push(Target::Kube(probes::kube_target(
                d.snapshot.clone(),
                d.snapshot_budget,
                k.kubeconfig.clone(),
                k.context.clone(),
                k.namespace.clone(),
                k.all_namespaces,
                file.kube.as_ref(),
            )?)),
        }
    }
    Ok(Doctor {
        probes: targets,
        timeout,
        output: output(g, &file, env, is_tty)?,
    })
}

/// `aiwfe probe X`: one probe with its own flags.
fn probe(p: ProbeCommand, g: &GlobalArgs, file: FileConfig, env: &dyn Env, is_tty: bool) -> Result<Doctor> {
    let timeout = timeout(g, &file)?;
    let target = match p {
        ProbeCommand::Redis(r) => {
            let mut rf = file.redis.clone().unwrap_or_default();
            if r.cacert.is_some() {
                rf.cacert = r.cacert;
            }
            Target::Redis(probes::redis_target(r.url, rf, r.pings, env)?)
        }
        ProbeCommand::Postgres(p) => Target::Postgres(probes::postgres_target(p.url, file.postgres.clone().unwrap_or_default(), env)?),
        ProbeCommand::Kube(p) => Target::Kube(probes::kube_target(
            p.snapshot,
            p.snapshot_budget,
            p.kube.kubeconfig,
            p.kube.context,
            p.kube.namespace,
            p.kube.all_namespaces,
            file.kube.as_ref(),
        )?),
        ProbeCommand::Ws(w) => match probes::ws_target(Some(*w), None, file.ws.clone().unwrap_or_default(), timeout, env)? {
            Some(t) => Target::Ws(t),
            None => return Err(no_ws_url()),
        },
    };
    Ok(Doctor {
        probes: vec![target],
        timeout,
        output: output(g, &file, env, is_tty)?,
    })
}

fn no_ws_url() -> Error {
    Error::Invalid {
        field: "ws url".into(),
        reason:
            "no WebSocket URL given; pass one (`aiwfe probe ws wss://HOST/PATH`, `aiwfe doctor --ws URL`) or set `ws.url` in aiwfe.yaml"
                .into(),
    }
}

/// Each probe's deadline: `--timeout`, else `timeout:` in aiwfe.yaml, else `probe::TIMEOUT`.
fn timeout(g: &GlobalArgs, file: &FileConfig) -> Result<std::time::Duration> {
    let (v, name) = values::either(g.timeout.as_deref(), "--timeout", file.timeout.as_deref(), "timeout");
    values::duration(name, v, probe::TIMEOUT)
}

/// Columns to fit human output to on a terminal: what it says, else `$COLUMNS`, else 80.
fn terminal_width(env: &dyn Env) -> usize {
    env.terminal_width()
        .or_else(|| env.var("COLUMNS").and_then(|c| c.trim().parse().ok()))
        .filter(|w| *w > 0)
        .unwrap_or(80)
}

/// How a report is written and gated: `-o`, `--report`, `--fail-on`, `--ignore`, `-q`, colour.
fn output(g: &GlobalArgs, file: &FileConfig, env: &dyn Env, is_tty: bool) -> Result<Output> {
    let report_file = match &g.report {
        Some(path) => {
            let fmt = Format::from_extension(path).ok_or_else(|| Error::Invalid {
                field: "--report".into(),
                reason: format!(
                    "cannot tell the format of `{}` from its extension; use .json, .yaml, .xml (JUnit), .sarif or .md",
                    path.display()
                ),
            })?;
            Some((path.clone(), fmt))
        }
        None => None,
    };
    let fail_on = match (g.fail_on, file.fail_on.as_deref()) {
        (Some(f), _) => f,
        (None, Some(s)) => FailOn::parse(s).ok_or_else(|| Error::Invalid {
            field: "fail_on".into(),
            reason: format!("`{s}` is not one of info, warning, error, never"),
        })?,
        (None, None) => FailOn::default(),
    };
    let mut ignore = file.ignore.clone();
    ignore.extend(g.ignore.iter().cloned());
    let color = !g.no_color && env.var("NO_COLOR").is_none() && is_tty;
    Ok(Output {
        format: g.output,
        report_file,
        fail_on,
        ignore,
        style: Style {
            width: is_tty.then(|| terminal_width(env)),
            color,
            verbose: g.verbose > 0,
        },
        quiet: g.quiet,
    })
}

/// `aiwfe snapshot`'s format from `--to`'s name: JSON for `.json` and `.json.gz`, else YAML.
fn cluster_format(to: Option<&std::path::Path>) -> crate::cluster::snapshot::Format {
    let name = to.and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or_default();
    if name.strip_suffix(".gz").unwrap_or(name).ends_with(".json") {
        crate::cluster::snapshot::Format::Json
    } else {
        crate::cluster::snapshot::Format::Yaml
    }
}
