//! `aiwfe fix redis-auth` and `aiwfe fix affinity`: discover the playbook's parameters from
//! the cluster (`remedy`), check what can be checked before changing anything (Redis must
//! accept the password), then run the playbook as `aiwfe playbook run` does.

use super::Output;
use super::playbook::{ApplySettings, Cluster, RunSettings, Session, execute, find};
use super::runtime;
use crate::cluster::write;
use crate::error::Error;
use crate::playbook::ParamValue;
use crate::probe::kube::resources::plural;
use crate::probe::{self, Probe};
use crate::redact::Secret;
use crate::remedy;
use crate::report::Severity;
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;

/// Where the password Redis accepts comes from. Never a flag's value.
#[derive(Debug, Clone)]
pub enum Password {
    /// `--from-secret NS/NAME:KEY`, read from the cluster.
    FromSecret { namespace: String, name: String, key: String },
    /// `--password-env`, `--password-file`, `--password-stdin`, already read.
    Given(Secret),
    /// Nothing named: the Redis server's own Secret when the cluster shows it.
    Discover,
}

#[derive(Debug, Clone)]
pub enum Fix {
    RedisAuth {
        secret: String,
        key: String,
        password: Password,
        /// The Redis the password is checked against first, and verified against after.
        redis: Box<probe::redis::Target>,
        move_inline: bool,
    },
    Affinity {
        deployments: Vec<String>,
        weight: u8,
    },
}

#[derive(Debug, Clone)]
pub struct FixSettings {
    pub fix: Fix,
    pub cluster: Cluster,
    pub apply: ApplySettings,
    pub output: Output,
    pub playbooks_dir: Option<PathBuf>,
}

impl FixSettings {
    pub fn secrets(&self) -> Vec<String> {
        match &self.fix {
            Fix::RedisAuth { password, redis, .. } => {
                let mut s: Vec<String> = redis.password.iter().map(|p| p.expose().to_string()).collect();
                if let Password::Given(p) = password {
                    s.push(p.expose().to_string());
                }
                s
            }
            Fix::Affinity { .. } => Vec::new(),
        }
    }
}

fn json_params(p: remedy::Params) -> Vec<(String, ParamValue)> {
    p.into_iter().map(|(k, v)| (k, ParamValue::from_json(&v))).collect()
}

pub fn run(f: FixSettings, out: &mut impl Write) -> Result<u8, Error> {
    let rt = runtime(Some(2))?;
    let r = rt.block_on(async {
        let session = Session::open(&f.cluster, f.apply.timeout).await?;
        let (name, params, redis, notes, stand_ins) = match &f.fix {
            Fix::RedisAuth {
                secret,
                key,
                password,
                redis,
                move_inline,
            } => {
                let found = remedy::redis_auth::discover(&session.state, session.namespace.as_deref(), secret, key).map_err(|n| {
                    Error::Invalid {
                        field: "fix redis-auth".into(),
                        reason: n.to_string(),
                    }
                })?;
                let mut notes = vec![format!(
                    "{} read secret `{}` key `{}`; {} carr{} a Redis password inline",
                    plural(found.consumers.len(), "workload"),
                    found.secret,
                    found.key,
                    plural(found.inline.len(), "workload"),
                    if found.inline.len() == 1 { "ies" } else { "y" }
                )];
                let (pw, from) = password_value(password, &found, &session).await?;
                if let Some(p) = &pw {
                    crate::redact::add_log_secrets([p.expose().to_string()]);
                }
                notes.push(format!("the password Redis accepts: {from}"));
                let from = from.clone();
                let mut redis = (**redis).clone();
                match &pw {
                    Some(pw) => {
                        redis.password = Some(pw.clone());
                        check_auth(&redis, f.apply.timeout).await?;
                        notes.push(format!("{} accepts it", redis.display));
                    }
                    None => notes.push("offline: Redis is asked to accept it when the fix is applied to a cluster".into()),
                }
                let mut params = json_params(found.params());
                // The inline URLs as they stand, password masked: the playbook writes the new one in.
                let inline: Vec<Value> = found
                    .inline
                    .iter()
                    .map(|i| json!({"target": i.workload.kubectl(), "container": i.container, "env": i.env, "url": i.url}))
                    .collect();
                params.retain(|(k, _)| k != "inline");
                params.push(("inline".into(), ParamValue::from_json(&json!(inline))));
                let mut stand_ins = Vec::new();
                let value = match &pw {
                    Some(p) => p.expose().to_string(),
                    None => {
                        // Offline: the snapshot knows the source's fingerprint, not its value.
                        let fp = found
                            .server()
                            .and_then(|s| s.password.sha256.clone())
                            .unwrap_or_else(|| "unknown".into());
                        let (plain, real) = super::playbook::stand_in(&from, &fp);
                        stand_ins.push((plain.clone(), real));
                        plain
                    }
                };
                params.push(("password".into(), ParamValue::String(value)));
                params.push(("move_inline".into(), ParamValue::Bool(*move_inline)));
                ("redis-auth", params, Some(redis), notes, stand_ins)
            }
            Fix::Affinity { deployments, weight } => {
                use remedy::affinity::{Nothing, Why};
                let trade_off = "trade-off: replicas may share a node when there are not enough nodes to spread them".to_string();
                let (params, notes) =
                    match remedy::affinity::discover(&session.state, session.namespace.as_deref(), deployments, i32::from(*weight)) {
                        Ok(found) => {
                            let mut notes: Vec<String> = found
                                .deployments
                                .iter()
                                .map(|b| {
                                    format!(
                                        "deployment/{}: {} pod(s) Pending on {} required anti-affinity term(s) ({}): {}",
                                        b.name,
                                        b.pending,
                                        b.required_terms,
                                        b.topology_keys.join(", "),
                                        b.message
                                    )
                                })
                                .collect();
                            notes.extend(found.skipped.iter().map(|s| format!("left alone: {s}")));
                            notes.push(trade_off);
                            (json_params(found.params()), notes)
                        }
                        // Named, and nothing of theirs Pending: plan them anyway, so that a fix
                        // already in place says "no change" rather than failing.
                        Err(Nothing::Unfixable { skipped })
                            if !deployments.is_empty() && skipped.iter().all(|s| s.why == Why::NothingPending) =>
                        {
                            let namespace = skipped.first().map(|s| s.workload.namespace.clone()).unwrap_or_default();
                            let names: Vec<&str> = skipped.iter().map(|s| s.workload.name.as_str()).collect();
                            let notes = names
                                .iter()
                                .map(|n| format!("deployment/{n}: no pod Pending"))
                                .chain([trade_off])
                                .collect();
                            let params = vec![
                                ("namespace".to_string(), ParamValue::String(namespace)),
                                ("deployments".to_string(), ParamValue::from_json(&json!(names))),
                                ("weight".to_string(), ParamValue::Int(i64::from(*weight))),
                            ];
                            (params, notes)
                        }
                        Err(n @ Nothing::NothingPending { .. }) => {
                            if !f.output.quiet {
                                let _ = writeln!(out, "nothing to fix: {n}");
                            }
                            return Ok(0);
                        }
                        Err(n) => {
                            return Err(Error::Invalid {
                                field: "fix affinity".into(),
                                reason: n.to_string(),
                            });
                        }
                    };
                ("affinity", params, None, notes, Vec::new())
            }
        };
        let settings = RunSettings {
            source: find(name, f.playbooks_dir.as_deref())?,
            params,
            cluster: f.cluster.clone(),
            apply: f.apply.clone(),
            output: f.output.clone(),
            redis,
            notes,
            stand_ins,
        };
        execute(settings, &session, out).await
    });
    rt.shutdown_background();
    r
}

/// The password, and a phrase saying where it came from (never the value). `None` when it
/// lives in a Secret and the cluster is a snapshot, which holds no values.
async fn password_value(p: &Password, found: &remedy::redis_auth::RedisAuth, session: &Session) -> Result<(Option<Secret>, String), Error> {
    let (ns, name, key) = match p {
        Password::Given(s) => return Ok((Some(s.clone()), "as given".into())),
        Password::FromSecret { namespace, name, key } => (namespace.clone(), name.clone(), key.clone()),
        Password::Discover => match found.from_secret() {
            Some(sk) => (sk.namespace.clone(), sk.name.clone(), sk.key.clone()),
            None => {
                return Err(Error::Invalid {
                    field: "fix redis-auth".into(),
                    reason: "name where the password Redis accepts is: --from-secret NS/NAME:KEY (e.g. the Secret Redis is started with), --password-env VAR, --password-file FILE or --password-stdin".into(),
                });
            }
        },
    };
    let from = format!("secret `{ns}/{name}` key `{key}`");
    let Some(w) = &session.writer else {
        return Ok((None, from));
    };
    let s = w
        .get(&write::SECRET, &ns, &name)
        .await
        .map_err(|e| Error::Cluster(format!("cannot read secret `{name}` in namespace `{ns}`: {e}")))?
        .ok_or_else(|| Error::Invalid {
            field: "--from-secret".into(),
            reason: format!("secret `{name}` not found in namespace `{ns}`"),
        })?;
    let raw = s["data"][&key].as_str().ok_or_else(|| Error::Invalid {
        field: "--from-secret".into(),
        reason: format!("secret `{ns}/{name}` has no key `{key}`"),
    })?;
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD.decode(raw).map_err(|_| Error::Invalid {
        field: "--from-secret".into(),
        reason: format!("secret `{ns}/{name}` key `{key}` is not base64"),
    })?;
    let value = String::from_utf8(bytes).map_err(|_| Error::Invalid {
        field: "--from-secret".into(),
        reason: format!("secret `{ns}/{name}` key `{key}` is not text"),
    })?;
    Ok((Some(Secret::new(value.trim_end_matches(['\n', '\r']))), from))
}

/// Asks Redis with AUTH, through the Redis probe, so its reply is quoted verbatim.
async fn check_auth(t: &probe::redis::Target, timeout: std::time::Duration) -> Result<(), Error> {
    let probes: Vec<Box<dyn Probe>> = vec![Box::new(probe::redis::RedisProbe { target: t.clone() })];
    let obs = probe::run_all(probes, timeout, false).await;
    let refused = obs
        .iter()
        .filter(|o| o.id == "redis.auth" || o.id.ends_with("connect"))
        .flat_map(|o| o.findings.iter())
        .find(|f| f.severity >= Severity::Error);
    let said = |f: &crate::report::Finding| f.evidence.clone().unwrap_or_else(|| f.summary.clone());
    match refused {
        None if obs.iter().any(|o| o.id == "redis.auth") => Ok(()),
        Some(f) if ["redis.wrongpass", "redis.noauth", "redis.auth_not_configured", "redis.noperm"].contains(&f.code.as_str()) => {
            Err(Error::PasswordRefused {
                redis: t.display.clone(),
                reply: said(f),
            })
        }
        // A check that could not look is no check: change nothing.
        other => Err(Error::Invalid {
            field: "--redis".into(),
            reason: format!(
                "cannot check the password against `{}` before changing anything: {}; pass --redis URL of a Redis reachable from here (e.g. through `kubectl port-forward`)",
                t.display,
                other.map(said).unwrap_or_else(|| "no answer".into())
            ),
        }),
    }
}
