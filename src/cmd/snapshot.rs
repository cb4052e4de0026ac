//! `aiwfe snapshot`: reads the live cluster and writes what doctor reads as one YAML `List`
//! (secret values removed), to replay with `--snapshot`.

use super::runtime;
use crate::cluster;
use crate::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub target: cluster::live::LiveTarget,
    /// `None`: every namespace; `Some("")`: the context's.
    pub namespace: Option<String>,
    pub timeout: Duration,
    /// `--to FILE`; stdout without it.
    pub to: Option<PathBuf>,
}

pub fn run(s: Snapshot, out: &mut impl Write) -> Result<u8, Error> {
    let rt = runtime(Some(2))?;
    let deadline = Instant::now() + s.timeout;
    let result = rt.block_on(async {
        let read = cluster::live::load(&s.target, s.namespace.as_deref(), deadline, &|_| {});
        tokio::time::timeout(s.timeout, read).await
    });
    rt.shutdown_background();
    let state = match result {
        Ok(r) => r?,
        Err(_) => return Err(Error::Cluster(format!("no answer from the Kubernetes API within {:?}", s.timeout))),
    };
    for p in &state.problems {
        eprintln!("warning: could not read {}: {}", p.resource, p.message);
    }
    let yaml = cluster::snapshot::to_yaml(&state).map_err(Error::Cluster)?;
    match &s.to {
        Some(path) => std::fs::write(path, yaml).map_err(|e| Error::write(path, &e))?,
        None => {
            let _ = out.write_all(yaml.as_bytes());
        }
    }
    Ok(0)
}
