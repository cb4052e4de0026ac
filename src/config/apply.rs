//! Settings of the commands that change a cluster: `fix`, `playbook run`, `history`,
//! `rollback`; and where their journal lives.

use super::file::FileConfig;
use super::probes;
use super::values::{Env, duration, either, parse_window, read_token_file};
use crate::cli::{self, ApplyArgs};
use crate::cmd::fix::{Fix, FixSettings, Password};
use crate::cmd::playbook::{ApplySettings, Cluster};
use crate::error::{Error, Result};
use crate::playbook::ParamValue;
use crate::probe::kube::Source;
use crate::redact::Secret;
use std::path::PathBuf;
use std::time::Duration;

/// Where `tune resources` reads history from: `--prometheus` (or AIWFE_PROMETHEUS_URL, or
/// the file's `prometheus.url`), else `None` (metrics.k8s.io).
fn prometheus(
    t: &cli::TuneResourcesArgs,
    file: &FileConfig,
    timeout: Duration,
    env: &dyn Env,
) -> Result<Option<crate::cmd::tune::History>> {
    use crate::cluster::prometheus::Source;
    let pf = file.prometheus.clone().unwrap_or_default();
    let Some(url) = t.prometheus.clone().or_else(|| env.var("AIWFE_PROMETHEUS_URL")).or(pf.url.clone()) else {
        if t.window.is_some() {
            return Err(Error::Invalid {
                field: "--window".into(),
                reason: "a window is read from Prometheus; give --prometheus URL (or sample metrics.k8s.io with --sample)".into(),
            });
        }
        return Ok(None);
    };
    let (window, name) = either(t.window.as_deref(), "--window", pf.window.as_deref(), "prometheus.window");
    let window = parse_window(window.unwrap_or("7d")).map_err(|reason| Error::Invalid {
        field: name.into(),
        reason,
    })?;
    let token = match t.prometheus_token_file.as_ref().or(pf.token_file.as_ref()) {
        Some(path) => Some(read_token_file("--prometheus-token-file", path)?),
        None => match &pf.token_env {
            Some(var) => Some(Secret::new(env.var(var).ok_or_else(|| Error::MissingEnv {
                field: "prometheus.token_env".into(),
                var: var.clone(),
            })?)),
            None => env
                .var("AIWFE_PROMETHEUS_TOKEN")
                .filter(|v| !v.trim().is_empty())
                .map(|v| Secret::new(v.trim())),
        },
    };
    let tls = match t.prometheus_cacert.as_ref().or(pf.cacert.as_ref()) {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| Error::SecretFile {
                what: "--prometheus-cacert".into(),
                path: path.clone(),
                reason: e.to_string().to_lowercase(),
            })?;
            Some(crate::tls::http_client(Some(&pem), false).map_err(|e| Error::Invalid {
                field: "--prometheus-cacert".into(),
                reason: format!("`{}` {e}", path.display()),
            })?)
        }
        None if url.trim_start().starts_with("https:") => Some(crate::tls::http_client(None, false).map_err(|e| Error::Invalid {
            field: "--prometheus".into(),
            reason: e.to_string(),
        })?),
        None => None,
    };
    let source =
        Source::new(&url, token, tls.map(std::sync::Arc::new), timeout.max(Duration::from_secs(30))).map_err(|reason| Error::Invalid {
            field: "--prometheus".into(),
            reason,
        })?;
    Ok(Some(crate::cmd::tune::History::Prometheus { source, window }))
}

/// `$XDG_STATE_HOME/aiwfe`, else `~/.local/state/aiwfe`.
pub fn state_dir(env: &dyn Env) -> Result<PathBuf> {
    if let Some(x) = env.var("XDG_STATE_HOME") {
        return Ok(PathBuf::from(x).join("aiwfe"));
    }
    match env.var("HOME") {
        Some(h) => Ok(PathBuf::from(h).join(".local").join("state").join("aiwfe")),
        None => Err(Error::Invalid {
            field: "XDG_STATE_HOME".into(),
            reason: "neither XDG_STATE_HOME nor HOME is set, so there is no place for the journal; set one".into(),
        }),
    }
}

/// The cluster a write command works on: `--snapshot` (plan only) or the live one.
pub fn cluster(snapshot: Option<PathBuf>, budget: Option<u32>, k: &cli::KubeArgs, file: &FileConfig) -> Result<Cluster> {
    let t = probes::kube_target(
        snapshot,
        budget,
        k.kubeconfig.clone(),
        k.context.clone(),
        k.namespace.clone(),
        k.all_namespaces,
        file.kube.as_ref(),
    )?;
    Ok(match t.source {
        Source::Snapshot(path) => Cluster::Snapshot {
            path,
            budget: t.snapshot_budget,
            namespace: t.namespace,
        },
        Source::Live(target) => Cluster::Live {
            target,
            namespace: t.namespace,
        },
    })
}

/// `--dry-run`, `--yes`, `--rollback-on-failure`, `--rollout-timeout` and the journal.
pub fn apply_settings(a: &ApplyArgs, timeout: Duration, env: &dyn Env) -> Result<ApplySettings> {
    Ok(ApplySettings {
        dry_run: a.dry_run || a.snapshot.is_some(),
        yes: a.yes,
        rollback_on_failure: a.rollback_on_failure,
        rollout_timeout: match a.rollout_timeout.as_deref() {
            Some(s) => Some(duration("--rollout-timeout", Some(s), s)?),
            None => None,
        },
        state_dir: state_dir(env)?,
        timeout,
    })
}

/// `--playbooks DIR`, else `playbooks_dir` in aiwfe.yaml.
pub fn playbooks_dir(flag: Option<PathBuf>, file: &FileConfig) -> Option<PathBuf> {
    flag.or_else(|| file.playbooks_dir.clone())
}

/// `aiwfe fix ...`
pub fn fix(c: cli::FixCommand, file: &FileConfig, timeout: Duration, env: &dyn Env) -> Result<(Fix, ApplyArgs)> {
    Ok(match c {
        cli::FixCommand::RedisAuth(r) => {
            let r = *r;
            let password = if let Some(spec) = &r.from_secret {
                let bad = || Error::Invalid {
                    field: "--from-secret".into(),
                    reason: format!("`{spec}` is not NAMESPACE/NAME:KEY, e.g. aiwfe/redis:password"),
                };
                let (nsname, key) = spec.rsplit_once(':').ok_or_else(bad)?;
                let (ns, name) = nsname.split_once('/').ok_or_else(bad)?;
                if ns.is_empty() || name.is_empty() || key.is_empty() {
                    return Err(bad());
                }
                Password::FromSecret {
                    namespace: ns.into(),
                    name: name.into(),
                    key: key.into(),
                }
            } else if let Some(var) = &r.password_env {
                Password::Given(env.var(var).map(Secret::new).ok_or_else(|| Error::MissingEnv {
                    field: "--password-env".into(),
                    var: var.clone(),
                })?)
            } else if let Some(path) = &r.password_file {
                Password::Given(read_token_file("--password-file", path)?)
            } else if r.password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line).map_err(|e| Error::Invalid {
                    field: "--password-stdin".into(),
                    reason: format!("cannot read standard input: {}", e.to_string().to_lowercase()),
                })?;
                let pw = line.trim_end_matches(['\n', '\r']);
                if pw.is_empty() {
                    return Err(Error::Invalid {
                        field: "--password-stdin".into(),
                        reason: "standard input held no password".into(),
                    });
                }
                Password::Given(Secret::new(pw))
            } else {
                Password::Discover
            };
            if let Password::Given(p) = &password
                && p.expose().chars().any(|c| c.is_control())
            {
                return Err(Error::Invalid {
                    field: "redis password".into(),
                    reason: "the password holds control characters".into(),
                });
            }
            let redis = probes::redis_target(r.redis.clone(), file.redis.clone().unwrap_or_default(), Some(1), env)?;
            let _ = timeout;
            (
                Fix::RedisAuth {
                    secret: r.secret,
                    key: r.key,
                    password,
                    redis: Box::new(redis),
                    move_inline: r.move_inline,
                },
                r.apply,
            )
        }
        cli::FixCommand::Affinity(a) => (
            Fix::Affinity {
                deployments: a
                    .deployment
                    .iter()
                    .map(|d| d.trim().to_string())
                    .filter(|d| !d.is_empty())
                    .collect(),
                weight: a.weight,
            },
            a.apply,
        ),
    })
}

/// `aiwfe tune hpa`
pub fn tune_hpa(
    t: cli::TuneHpaArgs,
    file: &FileConfig,
    timeout: Duration,
    output: crate::cmd::Output,
    env: &dyn Env,
) -> Result<crate::cmd::tune::TuneSettings> {
    if t.max < t.min {
        return Err(Error::Invalid {
            field: "--max".into(),
            reason: format!("{} is below --min {}", t.max, t.min),
        });
    }
    let mut a = t.common;
    // A plan unless --apply.
    a.dry_run = a.dry_run || !t.apply;
    Ok(crate::cmd::tune::TuneSettings {
        tune: crate::cmd::tune::Tune::Hpa {
            deployments: t
                .deployment
                .iter()
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty())
                .collect(),
            min: t.min,
            max: t.max,
            cpu: t.cpu,
            update: t.update,
        },
        cluster: cluster(a.snapshot.clone(), a.snapshot_budget, &a.kube, file)?,
        apply: apply_settings(&a, timeout, env)?,
        output,
        playbooks_dir: playbooks_dir(a.playbooks.clone(), file),
    })
}

/// `aiwfe tune resources`
pub fn tune_resources(
    t: cli::TuneResourcesArgs,
    file: &FileConfig,
    timeout: Duration,
    output: crate::cmd::Output,
    env: &dyn Env,
) -> Result<crate::cmd::tune::TuneSettings> {
    use crate::cluster::rightsize;
    let buffer = t.memory_buffer.trim().trim_end_matches('%').trim();
    let memory_buffer_pct: f64 = buffer
        .parse()
        .ok()
        .filter(|b: &f64| b.is_finite() && (0.0..=1000.0).contains(b))
        .ok_or_else(|| Error::Invalid {
            field: "--memory-buffer".into(),
            reason: format!("`{}` is not a percentage such as 15%", t.memory_buffer),
        })?;
    if !(t.cpu_percentile > 0.0 && t.cpu_percentile <= 100.0) {
        return Err(Error::Invalid {
            field: "--cpu-percentile".into(),
            reason: format!("{} is not between 0 and 100", t.cpu_percentile),
        });
    }
    let cpu_limit: rightsize::CpuLimit = t.cpu_limit.parse().map_err(|e: rightsize::BadCpuLimit| Error::Invalid {
        field: "--cpu-limit".into(),
        reason: e.to_string(),
    })?;
    for (field, v) in [("--cpu-cost", t.cpu_cost), ("--memory-cost", t.memory_cost)] {
        if !v.is_finite() || v < 0.0 {
            return Err(Error::Invalid {
                field: field.into(),
                reason: format!("{v} is not a price"),
            });
        }
    }
    let history = prometheus(&t, file, timeout, env)?.unwrap_or(crate::cmd::tune::History::MetricsApi);
    let mut a = t.common;
    a.dry_run = a.dry_run || !t.apply;
    Ok(crate::cmd::tune::TuneSettings {
        tune: crate::cmd::tune::Tune::Resources(Box::new(crate::cmd::tune::Resources {
            deployments: t
                .deployment
                .iter()
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty())
                .collect(),
            history,
            sample: duration("--sample", t.sample.as_deref(), "10m")?,
            every: duration("--every", t.every.as_deref(), "15s")?,
            params: rightsize::Params {
                cpu_percentile: t.cpu_percentile,
                memory_buffer_pct,
                cpu_limit,
                min_samples: t.min_samples,
                ..rightsize::Params::default()
            },
            cpu_cost: t.cpu_cost,
            memory_cost: t.memory_cost,
        })),
        cluster: cluster(a.snapshot.clone(), a.snapshot_budget, &a.kube, file)?,
        apply: apply_settings(&a, timeout, env)?,
        output,
        playbooks_dir: playbooks_dir(a.playbooks.clone(), file),
    })
}

/// `--set NAME=VALUE` and `--set-env NAME=VAR` → parameters.
pub fn params(set: &[String], set_env: &[String], env: &dyn Env) -> Result<Vec<(String, ParamValue)>> {
    let mut out = Vec::new();
    for s in set {
        out.push(crate::playbook::parse_set(s).map_err(|e| Error::Invalid {
            field: "--set".into(),
            reason: e.to_string(),
        })?);
    }
    for s in set_env {
        let (name, var) = s.split_once('=').ok_or_else(|| Error::Invalid {
            field: "--set-env".into(),
            reason: format!("`{s}` is not NAME=VAR"),
        })?;
        let v = env.var(var).ok_or_else(|| Error::MissingEnv {
            field: "--set-env".into(),
            var: var.into(),
        })?;
        out.push((name.trim().to_string(), ParamValue::String(v)));
    }
    Ok(out)
}

/// A fix's settings, whole.
pub fn fix_settings(
    c: cli::FixCommand,
    file: &FileConfig,
    timeout: Duration,
    output: crate::cmd::Output,
    env: &dyn Env,
) -> Result<FixSettings> {
    let (fix, a) = fix(c, file, timeout, env)?;
    Ok(FixSettings {
        fix,
        cluster: cluster(a.snapshot.clone(), a.snapshot_budget, &a.kube, file)?,
        apply: apply_settings(&a, timeout, env)?,
        output,
        playbooks_dir: playbooks_dir(a.playbooks.clone(), file),
    })
}
