//! Runs the real `aiwfe` with stdout on a pseudo-terminal of a fixed size, through
//! util-linux's `script(1)` (Debian's essential `bsdutils`), as a person at a terminal sees it.

use super::clean_env;
use std::process::{Command, Stdio};

/// What a terminal of `cols` columns shows of `aiwfe ARGS` run in `dir` with `envs` set:
/// stdout only (stderr, and with it the spinners, goes to /dev/null), `\r\n` read as `\n`.
/// Returns the exit code too.
pub fn on_tty(cols: u16, dir: &std::path::Path, args: &[&str], envs: &[(&str, &str)]) -> (Option<i32>, String) {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_aiwfe"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let inner = format!("stty cols {cols} rows 50 && exec {} 2>/dev/null", quoted.join(" "));
    let mut c = Command::new("script");
    clean_env(&mut c);
    c.current_dir(dir)
        .env("SHELL", "/bin/sh")
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .args(["--quiet", "--return", "--command", &inner, "/dev/null"])
        .stdin(Stdio::null());
    for (k, v) in envs {
        c.env(k, v);
    }
    let out = c.output().expect("script(1) from util-linux runs commands on a pseudo-terminal");
    assert!(out.stderr.is_empty(), "script: {}", String::from_utf8_lossy(&out.stderr));
    (out.status.code(), String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}
