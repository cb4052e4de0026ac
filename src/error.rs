//! The errors a user sees when `aiwfe` cannot run as asked (exit code 2).
//!
//! An unreachable or misbehaving service is never an `Error`: it is a finding in the report.
//! Messages are lowercase, name things in backticks, never contain a secret, and `hint()`
//! says what to do next.

use std::path::PathBuf;

/// Everything that stops `aiwfe` from doing what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read config file `{path}`: {reason}")]
    ConfigRead { path: PathBuf, reason: String },

    #[error("invalid config file `{path}`: {message}")]
    ConfigParse { path: PathBuf, message: String },

    #[error("invalid value for `{field}`: {reason}")]
    Invalid { field: String, reason: String },

    #[error("cannot read `{what}` from `{path}`: {reason}")]
    SecretFile { what: String, path: PathBuf, reason: String },

    #[error("environment variable `{var}` named by `{field}` is not set")]
    MissingEnv { field: String, var: String },

    #[error("cannot write `{path}`: {reason}")]
    Write { path: PathBuf, reason: String },

    #[error("cannot start the async runtime: {0}")]
    Runtime(String),

    #[error("cannot read the cluster: {0}")]
    Cluster(String),

    /// A playbook that does not parse, or parameters it does not take; the text quotes the
    /// file, line and column.
    #[error("{0}")]
    Playbook(String),

    /// A change the API server refused, or one that could not be made safely.
    #[error("{0}")]
    Apply(String),

    #[error("no change made: not confirmed")]
    NotConfirmed,

    /// Redis refused the password a fix was about to write.
    #[error("Redis at `{redis}` refuses that password: {reply}")]
    PasswordRefused { redis: String, reply: String },
}

impl Error {
    /// A file or directory that could not be written.
    pub fn write(path: &std::path::Path, e: &std::io::Error) -> Error {
        Error::Write {
            path: path.to_path_buf(),
            reason: e.to_string().to_lowercase(),
        }
    }

    /// The process exit code for this error: always 2, "could not run as asked".
    pub fn exit_code(&self) -> u8 {
        2
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::ConfigRead { .. } => Some("check the path given to --config, or run without it to use defaults".into()),
            Error::ConfigParse { .. } => Some("see README.md, section `aiwfe.yaml`, for the accepted keys and their types".into()),
            // URL shapes for URL fields only, not for a range or a token under the same section.
            Error::Invalid { field, .. } if field == "redis url" => {
                Some("a Redis URL looks like redis://[USER:PASSWORD@]HOST[:PORT][/DB] or rediss://... for TLS".into())
            }
            Error::Invalid { field, .. } if field == "postgres url" => {
                Some("a PostgreSQL URL looks like postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=require]".into())
            }
            Error::Invalid { field, .. } if field == "ws url" || field == "--compare" => {
                Some("a WebSocket URL looks like ws://HOST[:PORT]/PATH or wss://... for TLS".into())
            }
            Error::Invalid { field, .. } if field.starts_with("--jwks") => Some(
                "--jwks-url must serve a JSON Web Key Set ({\"keys\": [...]}) with at least one RSA, EC (P-256/P-384) or Ed25519 signing key, \
                 reachable from here; check the URL with curl, pass --jwks-cacert CA.pem for a private CA, and use https:// for hosts other than localhost"
                    .into(),
            ),
            Error::Invalid { .. } => None,
            Error::SecretFile { .. } => Some("check that the file exists and is readable".into()),
            Error::MissingEnv { var, .. } => Some(format!("export `{var}` or remove the setting")),
            Error::Write { .. } => Some("check that the directory exists and is writable".into()),
            Error::Runtime(_) => None,
            Error::Cluster(_) => Some("check --kubeconfig/--context and that `aiwfe rbac --for doctor` is granted".into()),
            // The playbook error carries its own hint, next to the line it quotes.
            Error::Playbook(_) => None,
            Error::Apply(_) => Some("nothing more was changed; `aiwfe history` shows what was, `aiwfe rollback` restores it".into()),
            Error::NotConfirmed => Some("run it in a terminal to be asked, or pass --yes; --dry-run shows the plan".into()),
            Error::PasswordRefused { .. } => {
                Some("nothing was changed; pass the password Redis accepts (--from-secret NS/NAME:KEY of the Secret Redis is started with, --password-env, --password-file or --password-stdin), or --redis URL to check against another server".into())
            }
        }
    }
}

impl From<crate::cluster::live::ReadError> for Error {
    fn from(e: crate::cluster::live::ReadError) -> Error {
        Error::Cluster(e.to_string())
    }
}

impl From<crate::proxy::StartError> for Error {
    fn from(e: crate::proxy::StartError) -> Error {
        match e {
            crate::proxy::StartError::Revocation(reason) => Error::Invalid {
                field: "--revocation-redis".into(),
                reason,
            },
            crate::proxy::StartError::Listen(reason) => Error::Invalid {
                field: "--listen".into(),
                reason,
            },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
