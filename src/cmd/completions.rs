//! `aiwfe completions`: shell completion scripts, printed or written to a directory.

use crate::cli::{self, Shell};
use crate::error::Error;
use clap::CommandFactory;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Completions {
    /// One shell's script to stdout, or with `dir`, the one shell to write.
    pub shell: Option<Shell>,
    /// Write the scripts (every shell's unless `shell`) into this directory.
    pub dir: Option<PathBuf>,
}

const ALL: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Powershell, Shell::Elvish];

fn to_clap(s: Shell) -> clap_complete::Shell {
    use clap_complete::Shell as S;
    match s {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
        Shell::Elvish => S::Elvish,
    }
}

pub fn run(c: Completions, out: &mut impl Write) -> Result<u8, Error> {
    let mut cmd = cli::Cli::command();
    match (c.shell, c.dir) {
        (Some(s), None) => clap_complete::generate(to_clap(s), &mut cmd, "aiwfe", out),
        (shell, Some(dir)) => {
            let shells = match shell {
                Some(s) => vec![s],
                None => ALL.to_vec(),
            };
            std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, &e))?;
            for s in shells {
                clap_complete::generate_to(to_clap(s), &mut cmd, "aiwfe", &dir).map_err(|e| Error::write(&dir, &e))?;
            }
        }
        (None, None) => {
            return Err(Error::Invalid {
                field: "completions".into(),
                reason: "name a shell or pass --dir DIR".into(),
            });
        }
    }
    Ok(0)
}
