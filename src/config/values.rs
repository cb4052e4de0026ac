//! Values that several settings share: durations, sizes, percentages, secrets from an
//! environment variable or a file, and the environment itself (injectable for tests).

use crate::error::{Error, Result};
use crate::redact::Secret;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Environment lookups, injectable so tests need not touch the process environment.
pub trait Env {
    fn var(&self, key: &str) -> Option<String>;

    /// Columns of the terminal stdout is, when it is one and says.
    fn terminal_width(&self) -> Option<usize> {
        None
    }
}

pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok().filter(|v| !v.is_empty())
    }

    fn terminal_width(&self) -> Option<usize> {
        terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
    }
}

/// `10s`, `500ms`, `2m`, `1.5s` or a bare number of seconds.
pub fn parse_duration(s: &str) -> std::result::Result<Duration, String> {
    let s = s.trim();
    let (num, mult) = if let Some(n) = s.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (s, 1.0)
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a duration; write e.g. 10s, 500ms or 2m"))?;
    if !v.is_finite() || v <= 0.0 || v * mult > 86_400.0 {
        return Err(format!("`{s}` must be more than 0 and at most 24h"));
    }
    Ok(Duration::from_secs_f64(v * mult))
}

/// How much history to read: `7d`, `2w`, `36h`, `90m` (at least 10 minutes, at most 90 days).
pub fn parse_window(s: &str) -> std::result::Result<Duration, String> {
    let t = s.trim();
    let (num, mult) = if let Some(n) = t.strip_suffix('w') {
        (n, 7.0 * 86_400.0)
    } else if let Some(n) = t.strip_suffix('d') {
        (n, 86_400.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3_600.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        return Err(format!("`{t}` is not a window; write e.g. 7d, 2w or 36h"));
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("`{t}` is not a window; write e.g. 7d, 2w or 36h"))?;
    let secs = v * mult;
    if !secs.is_finite() || !(600.0..=90.0 * 86_400.0).contains(&secs) {
        return Err(format!("`{t}` must be at least 10m and at most 90d"));
    }
    Ok(Duration::from_secs(secs.round() as u64))
}

/// A byte count: `65536`, `64KiB`, `1MiB` (at least 125 bytes, at most 1 GiB).
pub fn parse_size(s: &str) -> std::result::Result<u64, String> {
    let t = s.trim();
    let (num, mult) = [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1)]
        .iter()
        .find_map(|(suffix, m)| t.strip_suffix(suffix).map(|n| (n.trim(), *m)))
        .unwrap_or((t, 1));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("`{s}` is not a size; write e.g. 1MiB, 64KiB or 65536"))?;
    match n.checked_mul(mult) {
        Some(v) if (125..=1 << 30).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` must be between 125 bytes and 1GiB")),
    }
}

pub fn read_secret(field: &str, var: Option<&String>, file: Option<&PathBuf>, env: &dyn Env) -> Result<Option<Secret>> {
    if let Some(var) = var {
        return env.var(var).map(|v| Some(Secret::new(v))).ok_or_else(|| Error::MissingEnv {
            field: format!("{field}.password_env"),
            var: var.clone(),
        });
    }
    if let Some(path) = file {
        let s = std::fs::read_to_string(path).map_err(|e| Error::SecretFile {
            what: format!("{field}.password_file"),
            path: path.clone(),
            reason: e.to_string().to_lowercase(),
        })?;
        return Ok(Some(Secret::new(s.trim_end_matches(['\n', '\r']))));
    }
    Ok(None)
}

pub fn pct(field: &str, v: Option<f64>, default: f64) -> Result<f64> {
    let v = v.unwrap_or(default);
    if !(0.0..=100.0).contains(&v) {
        return Err(Error::Invalid {
            field: field.into(),
            reason: format!("{v} is not a percentage between 0 and 100"),
        });
    }
    Ok(v)
}

pub fn positive(field: &str, v: Option<f64>, default: f64) -> Result<f64> {
    let v = v.unwrap_or(default);
    if !v.is_finite() || v < 0.0 {
        return Err(Error::Invalid {
            field: field.into(),
            reason: format!("{v} must be zero or more"),
        });
    }
    Ok(v)
}

/// The duration `v` names, else `default` (a constant written in the same syntax).
pub fn duration(field: &str, v: Option<&str>, default: &str) -> Result<Duration> {
    parse_duration(v.unwrap_or(default)).map_err(|reason| Error::Invalid {
        field: field.into(),
        reason,
    })
}

/// A setting from its flag, else from aiwfe.yaml, with the name to blame when it is wrong:
/// the flag's when the flag gave it, the file key's when the file did.
pub fn either<T>(flag: Option<T>, flag_name: &'static str, file: Option<T>, key: &'static str) -> (Option<T>, &'static str) {
    match flag {
        Some(v) => (Some(v), flag_name),
        None => (file, key),
    }
}

pub fn read_token_file(field: &str, path: &Path) -> Result<Secret> {
    let s = std::fs::read_to_string(path).map_err(|e| Error::SecretFile {
        what: field.into(),
        path: path.to_path_buf(),
        reason: e.to_string().to_lowercase(),
    })?;
    Ok(Secret::new(s.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        assert_eq!(parse_window("7d").unwrap(), Duration::from_secs(7 * 86_400));
        assert_eq!(parse_window("2w").unwrap(), Duration::from_secs(14 * 86_400));
        assert_eq!(parse_window("36h").unwrap(), Duration::from_secs(36 * 3_600));
        assert_eq!(parse_window("1.5d").unwrap(), Duration::from_secs(129_600));
        assert!(parse_window("5m").unwrap_err().contains("at least 10m"));
        assert!(parse_window("100d").unwrap_err().contains("at most 90d"));
        assert!(parse_window("7").unwrap_err().contains("7d"));
        assert!(parse_window("ad").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s").unwrap(), Duration::from_secs(10));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("0s").is_err());
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert_eq!(parse_size("65536"), Ok(65536));
        assert!(parse_size("100").is_err());
        assert!(parse_size("2GiB").is_err());
        assert!(parse_size("lots").is_err());
    }
}
