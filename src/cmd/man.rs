//! `aiwfe man`: man pages from the clap definitions, printed or written to a directory.

use crate::cli;
use crate::error::Error;
use clap::CommandFactory;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Man {
    /// Write `aiwfe.1` and one page per subcommand here; without it, `aiwfe.1` to stdout.
    pub dir: Option<PathBuf>,
}

pub fn run(m: Man, out: &mut impl Write) -> Result<u8, Error> {
    let cmd = cli::Cli::command();
    match m.dir {
        None => {
            // As `generate_to` builds it, so this page is the committed `man/aiwfe.1`.
            let mut cmd = cmd.disable_help_subcommand(true);
            cmd.build();
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .map_err(|e| Error::write(std::path::Path::new("stdout"), &e))?;
            // A closed pipe (`aiwfe man | head`) is not an error worth reporting.
            let _ = out.write_all(&page).and_then(|_| out.flush());
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, &e))?;
            clap_mangen::generate_to(cmd, &dir).map_err(|e| Error::write(&dir, &e))?;
        }
    }
    Ok(0)
}
