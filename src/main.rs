//! Entry point: parse, run, exit. Everything else lives in the library.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // rustls needs exactly one process-wide crypto provider; ring is the only one built in.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = match aiwfe::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(aiwfe::run(cli))
}
