//! The aiwfe.yaml file: where it is looked for, and its top level. Each section's schema
//! sits next to the settings it feeds (`probes`, `proxy`).

use super::probes::{KubeFile, PostgresFile, RedisFile, WsFile};
use super::proxy::ProxyFile;
use super::values::Env;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// What `aiwfe.yaml` may hold. Unknown keys are errors, so a typo never goes unnoticed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    #[serde(default)]
    pub redis: Option<RedisFile>,
    #[serde(default)]
    pub postgres: Option<PostgresFile>,
    #[serde(default)]
    pub kube: Option<KubeFile>,
    pub ws: Option<WsFile>,
    /// Settings of `aiwfe proxy`.
    #[serde(default)]
    pub proxy: Option<ProxyFile>,
    /// Probe deadline, e.g. `10s`.
    #[serde(default)]
    pub timeout: Option<String>,
    /// `info`, `warning`, `error` or `never`.
    #[serde(default)]
    pub fail_on: Option<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Where `tune resources` reads usage history.
    #[serde(default)]
    pub prometheus: Option<PrometheusFile>,
    /// Playbooks here come before the built-in ones (`--playbooks DIR` wins).
    #[serde(default)]
    pub playbooks_dir: Option<PathBuf>,
}

/// The `prometheus:` section of aiwfe.yaml (flags win over it).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrometheusFile {
    pub url: Option<String>,
    /// A file holding a bearer token.
    pub token_file: Option<PathBuf>,
    /// The variable holding a bearer token.
    pub token_env: Option<String>,
    pub cacert: Option<PathBuf>,
    /// e.g. `7d`
    pub window: Option<String>,
}

/// The file `--config` names, else `./aiwfe.yaml`, else `$XDG_CONFIG_HOME/aiwfe/aiwfe.yaml`;
/// no file at all is an empty config.
pub fn load(explicit: Option<&Path>, env: &dyn Env) -> Result<FileConfig> {
    match explicit.map(Path::to_path_buf).or_else(|| default_config_path(env)) {
        Some(path) => read_file_config(&path),
        None => Ok(FileConfig::default()),
    }
}

fn default_config_path(env: &dyn Env) -> Option<PathBuf> {
    let local = PathBuf::from("aiwfe.yaml");
    if local.is_file() {
        return Some(local);
    }
    let base = env
        .var("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| env.var("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    let p = base.join("aiwfe").join("aiwfe.yaml");
    p.is_file().then_some(p)
}

/// Reads and parses a config file; syntax and type errors carry line and column.
pub fn read_file_config(path: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::ConfigRead {
        path: path.to_path_buf(),
        reason: e.to_string().to_lowercase(),
    })?;
    parse_file_config(&text).map_err(|message| Error::ConfigParse {
        path: path.to_path_buf(),
        message,
    })
}

pub fn parse_file_config(text: &str) -> std::result::Result<FileConfig, String> {
    if text.trim().is_empty() {
        return Ok(FileConfig::default());
    }
    serde_saphyr::from_str::<FileConfig>(text).map_err(|e| yaml_error(&e.to_string()))
}

/// The YAML library's error in our words, with the credentials of every quoted line of the
/// file masked (the snippet shows the lines around the error, a `url:` with a password
/// among them).
fn yaml_error(message: &str) -> String {
    let message = message.replace(
        ", set DuplicateKeyPolicy in Options if acceptable",
        " (a key may appear once in a mapping)",
    );
    crate::redact::credentials(&message.replace("duplicate mapping key: ", "duplicate key: "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::Rng;

    #[test]
    fn config_file_errors_name_line_and_column() {
        let e = parse_file_config("redis:\n  url: redis://x\n  pasword_env: X\n").unwrap_err();
        assert!(e.contains("pasword_env"), "{e}");
        assert!(e.contains('3'), "no line number in: {e}");
        let e = parse_file_config("postgres:\n  connections_warn_pct: lots\n").unwrap_err();
        assert!(e.contains('2'), "no line number in: {e}");
    }

    #[test]
    fn config_errors_quote_no_credentials_and_speak_plainly() {
        let text = "redis:\n  url: redis://:Sup3rSecretPw@redis:6379\n  pasword_env: X\nproxy:\n  token: abcdef123456\n";
        let e = parse_file_config(text).unwrap_err();
        assert!(e.contains("pasword_env") && e.contains("redis://:***@redis:6379"), "{e}");
        assert!(!e.contains("Sup3rSecretPw"), "{e}");
        let e = parse_file_config("redis:\n  url: redis://:Sup3rSecretPw@redis:6379\n  url: redis://x\n").unwrap_err();
        assert!(e.contains("duplicate key: url (a key may appear once in a mapping)"), "{e}");
        assert!(!e.contains("DuplicateKeyPolicy") && !e.contains("Sup3rSecretPw"), "{e}");
        let e = parse_file_config("postgres:\n  password: hunter2hunter2\n").unwrap_err();
        assert!(e.contains("password: ***") && !e.contains("hunter2"), "{e}");
    }

    #[test]
    fn the_prometheus_section_parses_and_refuses_typos() {
        let c = parse_file_config(
            "prometheus:\n  url: https://prometheus.monitoring.svc:9090\n  token_file: /var/run/secrets/prom/token\n  cacert: /etc/ssl/prom-ca.pem\n  window: 14d\n",
        )
        .unwrap();
        let p = c.prometheus.unwrap();
        assert_eq!(p.url.as_deref(), Some("https://prometheus.monitoring.svc:9090"));
        assert_eq!(p.window.as_deref(), Some("14d"));
        let e = parse_file_config("prometheus:\n  uri: http://p:9090\n").unwrap_err();
        assert!(e.contains("uri"), "{e}");
    }

    #[test]
    fn full_config_file_parses() {
        let c = parse_file_config(
            "redis:\n  url: redis://redis:6379/0\n  password_env: REDIS_PASSWORD\n  pings: 50\npostgres:\n  url: postgres://app@db/aiwfe\n  idle_in_transaction_warn_s: 30\ntimeout: 5s\nfail_on: warning\nignore: [redis.no_password]\n",
        )
        .unwrap();
        assert_eq!(c.redis.unwrap().pings, Some(50));
        assert_eq!(c.postgres.unwrap().idle_in_transaction_warn_s, Some(30.0));
        assert_eq!(c.ignore, vec!["redis.no_password"]);
    }

    #[test]
    fn property_mangled_config_files_never_panic_nor_quote_their_secrets() {
        const SECRET: &str = "Zq8-secret-Vw3";
        let secret_lines = [
            format!("  url: redis://:{SECRET}@redis:6379"),
            format!("  url: postgres://app:{SECRET}@db/app"),
            format!("  password: {SECRET}"),
            format!("  token: {SECRET}"),
        ];
        let other = [
            "redis:",
            "postgres:",
            "ws:",
            "proxy:",
            "kube:",
            "  pings: 20",
            "  pings: lots",
            "  pasword_env: X",
            "timeout: 5s",
            "timeout: [",
            "  - a",
            "ignore: {",
            "&a [*a, *a]",
            "  url: redis://x",
            "\t bad: tab",
            "key: 'unterminated",
            "---",
            "  connections: -1",
            "fail_on: 7",
            "? complex",
            "  cacert: /x",
            "...",
            "%YAML 1.2",
        ];
        let mut rng = Rng(0xdead_beef_cafe_f00d);
        for _ in 0..3000 {
            let n = rng.below(8) + 1;
            let mut lines: Vec<String> = (0..n).map(|_| other[rng.below(other.len() as u64) as usize].to_string()).collect();
            // A secret line somewhere, sometimes twice (a duplicate key).
            for _ in 0..rng.below(2) + 1 {
                let at = rng.below(lines.len() as u64 + 1) as usize;
                lines.insert(at, secret_lines[rng.below(4) as usize].clone());
            }
            // Random bytes in a line that holds no secret.
            let at = rng.below(lines.len() as u64) as usize;
            if !lines[at].contains(SECRET) {
                let pos = rng.below(lines[at].len() as u64 + 1) as usize;
                let c = char::from(32 + rng.below(95) as u8);
                lines[at].insert(pos, c);
            }
            let text = lines.join("\n");
            if let Err(e) = parse_file_config(&text) {
                assert!(!e.contains(SECRET), "the error quotes the secret:\n{text}\n---\n{e}");
                assert!(
                    e.len() < 4 * text.len() + 2000,
                    "{} bytes of error for {} of input",
                    e.len(),
                    text.len()
                );
            }
        }
    }
}
