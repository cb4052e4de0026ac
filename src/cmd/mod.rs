//! One file per command, all of one shape: `run(settings, out) -> Result<exit code, Error>`,
//! where the settings are what `config` built for that command alone and `out` is stdout.
//! What several commands share lives here: how a report is written, and the async runtime.

pub mod completions;
pub mod doctor;
pub mod fix;
pub mod history;
pub mod man;
pub mod playbook;
pub mod proxy;
pub mod rbac;
pub mod rollback;
pub mod snapshot;
pub mod tune;

use crate::error::Error;
use crate::redact;
use crate::report::{FailOn, Format, Report, Style};
use std::io::Write;
use std::path::PathBuf;

/// How a command that produces a report writes it, and how the CI gate reads it.
#[derive(Debug, Clone)]
pub struct Output {
    /// What stdout gets.
    pub format: Format,
    /// `--report FILE`, in the format its extension names.
    pub report_file: Option<(PathBuf, Format)>,
    pub fail_on: FailOn,
    /// Finding codes (or `prefix*`) left out of the report.
    pub ignore: Vec<String>,
    pub style: Style,
    /// Nothing on stdout.
    pub quiet: bool,
}

/// Writes the report to `out` (unless `-q`) and to `--report FILE`. One redaction pass
/// over every string of the report comes first, whatever the format: credentials in free
/// text (`redact::credentials`) and every secret the run knows or learned are masked
/// before a renderer escapes them its own way (JSON's `\"`, XML's `&amp;`); the rendered
/// text is scrubbed again as a last line of defence.
pub fn emit(report: &Report, o: &Output, secrets: &[String], out: &mut impl Write) -> Result<(), Error> {
    // Short secrets would also match ordinary words; those are scrubbed at the source.
    let mut secrets: Vec<String> = secrets.to_vec();
    secrets.extend(redact::registered());
    secrets.retain(|s| s.len() >= 8);
    let report = &report.map_text(|s| redact::scrub(&redact::credentials(s), &secrets));
    let render = |format| -> Vec<u8> {
        let mut buf = Vec::new();
        let _ = crate::report::render(report, format, o.style, o.fail_on, &mut buf);
        let text = String::from_utf8_lossy(&buf);
        redact::scrub(&text, &secrets).into_bytes()
    };
    if let Some((path, format)) = &o.report_file {
        std::fs::write(path, render(*format)).map_err(|e| Error::write(path, &e))?;
    }
    if !o.quiet {
        // A closed pipe (`aiwfe doctor | head`) is not an error worth reporting; a report that
        // could not be written (a full disk) is: the gate must not pass on nothing.
        match out.write_all(&render(o.format)).and_then(|_| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(Error::write(std::path::Path::new("standard output"), &e));
            }
            _ => {}
        }
    }
    Ok(())
}

/// One line on stderr (a warning, a note, progress, an error) with its control characters
/// escaped and the run's secrets replaced (`redact::scrub_registered`), since it may quote
/// a server. (Errors that quote a file mask its credentials where they are made: a
/// general mask would also take `password: WRONGPASS …` for a secret.) A closed or full stderr ends nothing: the exit
/// code still tells the outcome.
pub fn note(line: impl std::fmt::Display) {
    let text = redact::scrub_registered(&line.to_string());
    let clipped: Vec<String> = text.lines().map(clip).collect();
    let _ = writeln!(std::io::stderr(), "{}", crate::term::escape(&clipped.join("\n")));
}

/// Characters of one stderr line kept: enough for any message, not for 100 KB of a bad
/// value echoed back.
const NOTE_LINE: usize = 1000;

/// `line` cut to `NOTE_LINE` characters, saying how much went.
fn clip(line: &str) -> String {
    let n = line.chars().count();
    if n <= NOTE_LINE {
        return line.to_string();
    }
    let head: String = line.chars().take(NOTE_LINE).collect();
    format!("{head}… ({} more characters)", n - NOTE_LINE)
}

/// The async runtime a command runs on; `workers: None` is one thread per core.
pub fn runtime(workers: Option<usize>) -> Result<tokio::runtime::Runtime, Error> {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = workers {
        b.worker_threads(n);
    }
    b.enable_all().build().map_err(|e| Error::Runtime(e.to_string()))
}
