//! `aiwfe doctor` and `aiwfe probe ...`: runs the probes concurrently, each under its
//! deadline, diagnoses root causes across them, and writes the report. `aiwfe probe X` is
//! a doctor run of one probe with that probe's own flags.

use super::{Output, emit, runtime};
use crate::diagnose;
use crate::error::Error;
use crate::probe::{self, Probe};
use crate::report::Report;
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// One probe of the run, with its target.
#[derive(Debug, Clone)]
pub enum Target {
    Redis(probe::redis::Target),
    Postgres(probe::postgres::Target),
    Ws(probe::websocket::Target),
    Kube(probe::kube::Target),
}

/// The settings of one doctor (or probe) run.
#[derive(Debug, Clone)]
pub struct Doctor {
    /// In the order their checks appear in the report.
    pub probes: Vec<Target>,
    /// Each probe's deadline.
    pub timeout: Duration,
    pub output: Output,
}

impl Doctor {
    /// Every secret the run knows, for scrubbing text that came from elsewhere.
    pub fn secrets(&self) -> Vec<String> {
        let mut s = Vec::new();
        for p in &self.probes {
            match p {
                Target::Redis(t) => s.extend(t.password.iter().map(|p| p.expose().to_string())),
                Target::Postgres(t) => s.extend(t.password.iter().map(|p| p.expose().to_string())),
                Target::Ws(t) => s.extend(t.secrets()),
                Target::Kube(_) => {}
            }
        }
        s
    }
}

pub fn run(d: Doctor, out: &mut impl Write) -> Result<u8, Error> {
    let secrets = d.secrets();
    let probes: Vec<Box<dyn Probe>> = d
        .probes
        .into_iter()
        .map(|t| -> Box<dyn Probe> {
            match t {
                Target::Redis(target) => Box::new(probe::redis::RedisProbe { target }),
                Target::Postgres(target) => Box::new(probe::postgres::PostgresProbe { target }),
                Target::Ws(target) => Box::new(probe::websocket::WsProbe { target }),
                Target::Kube(target) => Box::new(probe::kube::KubeProbe { target }),
            }
        })
        .collect();
    let progress = d.output.format == crate::report::Format::Table && !d.output.quiet && std::io::stderr().is_terminal();
    let rt = runtime(Some(2))?;
    let observations = rt.block_on(probe::run_all(probes, d.timeout, progress));
    // Probes may leave connection tasks behind; do not wait for them.
    rt.shutdown_background();
    let causes = diagnose::diagnose(&observations);
    tracing::info!(
        "doctor: {} checks done, {} root causes; writing the report as {:?}",
        observations.len(),
        causes.len(),
        d.output.format
    );
    let report = Report::new(observations, causes, &d.output.ignore);
    emit(&report, &d.output, &secrets, out)?;
    Ok(report.exit_code(d.output.fail_on))
}
