//! `aiwfe history`: the journaled runs, oldest first; `--prune` deletes the backup Secrets
//! runs left in the cluster.

use super::playbook::{Cluster, Session};
use super::runtime;
use crate::cluster::write;
use crate::error::Error;
use crate::playbook::journal::{self, Journal};
use crate::report::Format;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct History {
    pub state_dir: PathBuf,
    pub format: Format,
    /// Delete backup Secrets in this cluster.
    pub prune: Option<Cluster>,
    pub timeout: Duration,
}

pub fn run(h: History, out: &mut impl Write) -> Result<u8, Error> {
    let j = Journal::new(&h.state_dir);
    let runs = j.list().map_err(|e| Error::Apply(e.to_string()))?;
    if let Some(cluster) = &h.prune {
        let rt = runtime(Some(2))?;
        let pruned = rt.block_on(async {
            let session = Session::open(cluster, h.timeout).await?;
            let Some(w) = &session.writer else {
                return Ok::<_, Error>(Vec::new());
            };
            let mut namespaces: Vec<String> = runs
                .iter()
                .flat_map(|r| r.changes.iter().filter_map(|c| c.backup.as_ref().map(|b| b.namespace.clone())))
                .collect();
            namespaces.sort();
            namespaces.dedup();
            let mut gone = Vec::new();
            for ns in namespaces {
                let backups = w
                    .list(&write::SECRET, &ns, journal::RUN_LABEL)
                    .await
                    .map_err(|e| Error::Cluster(format!("cannot list backups in namespace `{ns}`: {e}")))?;
                for b in backups {
                    let name = b["metadata"]["name"].as_str().unwrap_or_default().to_string();
                    w.delete(&write::SECRET, &ns, &name, None, false)
                        .await
                        .map_err(|e| Error::Cluster(format!("cannot delete secret `{name}` in namespace `{ns}`: {e}")))?;
                    gone.push(format!("{ns}/{name}"));
                }
            }
            Ok(gone)
        });
        rt.shutdown_background();
        for g in pruned? {
            super::note(format_args!("deleted backup secret {g}"));
        }
    }
    match h.format {
        Format::Json | Format::Yaml => {
            let v = serde_json::json!({"version": 1, "journal": j.dir(), "runs": runs});
            let text = if h.format == Format::Json {
                serde_json::to_string_pretty(&v).unwrap_or_default()
            } else {
                serde_saphyr::to_string(&v).unwrap_or_default()
            };
            let _ = writeln!(out, "{}", text.trim_end());
        }
        _ => {
            if runs.is_empty() {
                let _ = writeln!(out, "no runs in {}", j.dir().display());
                return Ok(0);
            }
            let rows: Vec<[String; 5]> = runs
                .iter()
                .map(|r| {
                    [
                        r.id.clone(),
                        r.started.chars().take(19).collect::<String>().replace('T', " "),
                        r.playbook.clone(),
                        r.outcome.as_str().to_string(),
                        r.targets().join(", "),
                    ]
                })
                .collect();
            let head = ["ID", "STARTED (UTC)", "PLAYBOOK", "OUTCOME", "TARGETS"];
            let widths: Vec<usize> = (0..4)
                .map(|i| rows.iter().map(|r| r[i].len()).chain([head[i].len()]).max().unwrap_or(0))
                .collect();
            let line = |c: [&str; 5]| {
                format!(
                    "{:w0$}  {:w1$}  {:w2$}  {:w3$}  {}",
                    c[0],
                    c[1],
                    c[2],
                    c[3],
                    c[4],
                    w0 = widths[0],
                    w1 = widths[1],
                    w2 = widths[2],
                    w3 = widths[3]
                )
            };
            let _ = writeln!(out, "{}", line(head).trim_end());
            for r in &rows {
                let _ = writeln!(out, "{}", crate::term::escape(line([&r[0], &r[1], &r[2], &r[3], &r[4]]).trim_end()));
            }
        }
    }
    Ok(0)
}
