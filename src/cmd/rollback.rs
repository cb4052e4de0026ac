//! `aiwfe rollback [ID]`: restores what a journaled run changed, newest change first, with
//! a server dry run and resourceVersion preconditions; refuses objects changed since the
//! run unless `--force`.

use super::playbook::{Cluster, Say, Session, confirm};
use super::runtime;
use crate::error::Error;
use crate::playbook::Redactor;
use crate::playbook::apply::{self, ApplyError};
use crate::playbook::journal::Journal;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Rollback {
    pub id: Option<String>,
    pub force: bool,
    pub dry_run: bool,
    pub yes: bool,
    pub cluster: Cluster,
    pub state_dir: PathBuf,
    pub timeout: Duration,
    pub quiet: bool,
}

pub fn run(r: Rollback, out: &mut impl Write) -> Result<u8, Error> {
    let journal = Journal::new(&r.state_dir);
    let mut run = journal.find(r.id.as_deref()).map_err(|e| Error::Invalid {
        field: "rollback".into(),
        reason: format!("{e}; `aiwfe history` lists the runs"),
    })?;
    let rt = runtime(Some(2))?;
    let result = rt.block_on(async {
        let session = Session::open(&r.cluster, r.timeout).await?;
        let Some(w) = &session.writer else {
            return Err(Error::Invalid {
                field: "--snapshot".into(),
                reason: "a rollback writes to a cluster; it cannot use a snapshot".into(),
            });
        };
        if session.name != run.cluster {
            super::note(format_args!("note: run {} was made on {}; restoring on {}", run.id, run.cluster, session.name));
        }
        let red = Redactor::new();
        let say = Say::new(!r.quiet);
        let run_id = run.id.clone();
        let conflict = |e: ApplyError| match e {
            ApplyError::Changed { target, diff } => Error::Apply(format!(
                "{target} was changed after run {run_id}; restoring it would undo that change too. What a restore would change:\n{diff}\npass --force to restore it anyway"
            )),
            other => Error::Apply(other.to_string()),
        };
        // First what would change, checked by the server; then, confirmed, the change.
        let preview = apply::rollback(&mut run.clone(), w, &journal, r.force, true, &red, &say).await.map_err(conflict)?;
        if !r.quiet {
            let _ = writeln!(out, "rollback of run {} ({}, {}):", run.id, run.playbook, run.started);
            for d in &preview.diffs {
                let _ = writeln!(out, "{}", crate::term::escape(&d.to_string()));
            }
            for u in &preview.unchanged {
                let _ = writeln!(out, "  {u}");
            }
        }
        if r.dry_run || preview.diffs.is_empty() {
            if preview.diffs.is_empty() && !r.quiet {
                let _ = writeln!(out, "nothing to restore");
            }
            return Ok(0);
        }
        confirm(r.yes, &format!("restore {} object(s) on {}?", preview.diffs.len(), session.name))?;
        apply::rollback(&mut run, w, &journal, r.force, false, &red, &say).await.map_err(conflict)?;
        if !r.quiet {
            let _ = writeln!(out, "run {} rolled back", run.id);
        }
        Ok(0)
    });
    rt.shutdown_background();
    result
}
