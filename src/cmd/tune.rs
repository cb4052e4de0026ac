//! `aiwfe tune hpa`: autoscale Deployments on CPU through the `hpa` playbook, after checking
//! what an HPA needs (CPU requests on every container) and leaving an existing HPA alone
//! unless `--update`.

use super::Output;
use super::playbook::{ApplySettings, Cluster, RunSettings, Session, execute, find};
use super::runtime;
use crate::cluster::ClusterState;
use crate::error::Error;
use crate::playbook::ParamValue;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub enum Tune {
    Hpa {
        deployments: Vec<String>,
        min: u32,
        max: u32,
        cpu: u32,
        update: bool,
    },
}

#[derive(Debug, Clone)]
pub struct TuneSettings {
    pub tune: Tune,
    pub cluster: Cluster,
    pub apply: ApplySettings,
    pub output: Output,
    pub playbooks_dir: Option<PathBuf>,
}

/// What `tune hpa` does with each named Deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum HpaTarget {
    /// Create (or with `--update` adjust) the HPA named like it.
    Ensure(String),
    /// An HPA exists and `--update` was not given: left as it is.
    Keep { deployment: String, hpa: String },
}

/// Checks each Deployment in `ns`: it exists, every container requests CPU (an HPA on CPU
/// utilisation divides by the request), and whether an HPA scales it already.
/// `ns: None` (a snapshot read whole) takes the namespace the Deployments are in.
fn hpa_targets(state: &ClusterState, ns: Option<&str>, deployments: &[String], update: bool) -> Result<(String, Vec<HpaTarget>), Error> {
    let mut out = Vec::new();
    let mut ns: Option<String> = ns.map(str::to_string);
    for name in deployments {
        let name = name.strip_prefix("deployment/").unwrap_or(name);
        let found: Vec<_> = state
            .deployments
            .iter()
            .filter(|d| {
                d.metadata.name.as_deref() == Some(name)
                    && ns
                        .as_deref()
                        .is_none_or(|n| d.metadata.namespace.as_deref().unwrap_or("default") == n)
            })
            .collect();
        let d = match found.as_slice() {
            [d] => *d,
            [] => {
                return Err(Error::Invalid {
                    field: "--deployment".into(),
                    reason: match &ns {
                        Some(n) => format!("deployment `{name}` not found in namespace `{n}`"),
                        None => format!("deployment `{name}` not found"),
                    },
                });
            }
            _ => {
                return Err(Error::Invalid {
                    field: "--deployment".into(),
                    reason: format!("deployment `{name}` is in several namespaces; name one with -n"),
                });
            }
        };
        let ns = ns
            .get_or_insert_with(|| d.metadata.namespace.clone().unwrap_or_else(|| "default".into()))
            .clone();
        let containers = d
            .spec
            .as_ref()
            .and_then(|s| s.template.spec.as_ref())
            .map(|s| s.containers.as_slice())
            .unwrap_or_default();
        let without: Vec<&str> = containers
            .iter()
            .filter(|c| {
                c.resources
                    .as_ref()
                    .and_then(|r| r.requests.as_ref())
                    .is_none_or(|r| !r.contains_key("cpu"))
            })
            .map(|c| c.name.as_str())
            .collect();
        if !without.is_empty() {
            return Err(Error::Invalid {
                field: "--deployment".into(),
                reason: format!(
                    "deployment `{name}`: container(s) {} request no CPU, so an HPA on CPU utilisation cannot measure them; set CPU requests first (e.g. `kubectl set resources deployment/{name} -n {ns} --requests=cpu=100m`)",
                    without.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
                ),
            });
        }
        let existing = state.hpas.iter().find(|h| {
            h.metadata.namespace.as_deref().unwrap_or("default") == ns
                && h.spec
                    .as_ref()
                    .is_some_and(|s| s.scale_target_ref.kind == "Deployment" && s.scale_target_ref.name == name)
        });
        match existing {
            Some(h) => {
                let hpa = h.metadata.name.clone().unwrap_or_default();
                if !update {
                    out.push(HpaTarget::Keep {
                        deployment: name.to_string(),
                        hpa,
                    });
                } else if hpa != name {
                    return Err(Error::Invalid {
                        field: "--update".into(),
                        reason: format!(
                            "deployment `{name}` is scaled by HPA `{hpa}`, named otherwise; adjust that one with kubectl, or delete it and run again"
                        ),
                    });
                } else {
                    out.push(HpaTarget::Ensure(name.to_string()));
                }
            }
            None => out.push(HpaTarget::Ensure(name.to_string())),
        }
    }
    Ok((ns.unwrap_or_else(|| "default".into()), out))
}

pub fn run(t: TuneSettings, out: &mut impl Write) -> Result<u8, Error> {
    let rt = runtime(Some(2))?;
    let r = rt.block_on(async {
        let session = Session::open(&t.cluster, t.apply.timeout).await?;
        let Tune::Hpa {
            deployments,
            min,
            max,
            cpu,
            update,
        } = &t.tune;
        let (ns, targets) = hpa_targets(&session.state, session.namespace.as_deref(), deployments, *update)?;
        let mut notes = Vec::new();
        let mut ensure = Vec::new();
        for target in targets {
            match target {
                HpaTarget::Ensure(d) => ensure.push(d),
                HpaTarget::Keep { deployment, hpa } => notes.push(format!(
                    "deployment/{deployment} is scaled by HPA `{hpa}` already: left as it is (--update adjusts it)"
                )),
            }
        }
        if ensure.is_empty() {
            if !t.output.quiet {
                for n in &notes {
                    let _ = writeln!(out, "{n}");
                }
                let _ = writeln!(out, "nothing to change");
            }
            return Ok(0);
        }
        let params = vec![
            ("namespace".to_string(), ParamValue::String(ns.clone())),
            (
                "deployments".to_string(),
                ParamValue::List(ensure.into_iter().map(serde_json::Value::String).collect()),
            ),
            ("min".to_string(), ParamValue::Int(i64::from(*min))),
            ("max".to_string(), ParamValue::Int(i64::from(*max))),
            ("cpu".to_string(), ParamValue::Int(i64::from(*cpu))),
        ];
        let settings = RunSettings {
            source: find("hpa", t.playbooks_dir.as_deref())?,
            params,
            cluster: t.cluster.clone(),
            apply: t.apply.clone(),
            output: t.output.clone(),
            redis: None,
            notes,
            stand_ins: Vec::new(),
        };
        execute(settings, &session, out).await
    });
    rt.shutdown_background();
    r
}
