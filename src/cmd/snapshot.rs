//! `aiwfe snapshot`: reads the live cluster and writes what doctor reads as one YAML or JSON
//! `List` (secret values removed; gzip for `--to NAME.gz`), to replay with `--snapshot`.

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
    /// `--to FILE`; stdout without it. A name ending in `.gz` is compressed.
    pub to: Option<PathBuf>,
    pub format: cluster::snapshot::Format,
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
        super::note(format_args!("warning: could not read {}: {}", p.resource, p.message));
    }
    // A snapshot without the pods would replay as a healthy cluster.
    if let Some(p) = state.problems.iter().find(|p| p.resource == "pods") {
        return Err(Error::Cluster(format!(
            "could not read pods ({}), so there is nothing to save; grant what `aiwfe rbac --for doctor` prints",
            p.status.map(|c| format!("HTTP {c}")).unwrap_or_else(|| "no answer".into())
        )));
    }
    let write = |out: &mut dyn Write| cluster::snapshot::write(&state, s.format, out).map_err(Error::Cluster);
    match &s.to {
        Some(path) => {
            let io = |e: std::io::Error| Error::write(path, &e);
            let file = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
            if path.extension().is_some_and(|x| x == "gz") {
                let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::new(6));
                write(&mut gz)?;
                gz.finish().map_err(io)?.flush().map_err(io)?;
            } else {
                let mut file = file;
                write(&mut file)?;
                file.flush().map_err(io)?;
            }
        }
        None => {
            let mut out = std::io::BufWriter::new(out);
            write(&mut out)?;
            let _ = out.flush();
        }
    }
    Ok(0)
}
