//! Revoked tokens, shared by every proxy replica: a Redis set of revoked `jti` values
//! (`SADD aiwfe:revoked-jti <jti>` revokes), consulted through a short cache so that a
//! handshake with a known token costs no round trip.

use crate::redact;
use redis::aio::MultiplexedConnection;
use std::time::Duration;

/// How long one Redis command or connection attempt may take.
const REDIS_TIMEOUT: Duration = Duration::from_secs(1);

/// The revocation settings as given.
#[derive(Clone)]
pub struct RevocationConfig {
    /// redis:// or rediss:// URL (it may hold a password: never printed).
    pub url: String,
    /// The set of revoked `jti` values.
    pub set: String,
    /// How long an answer is cached.
    pub ttl: Duration,
    /// Let tokens pass when Redis cannot answer (else they are refused with 503).
    pub fail_open: bool,
}

impl std::fmt::Debug for RevocationConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevocationConfig")
            .field("url", &redact::url(&self.url))
            .field("set", &self.set)
            .field("ttl", &self.ttl)
            .field("fail_open", &self.fail_open)
            .finish()
    }
}

/// Whether a `jti` may pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Allowed,
    Revoked,
    /// Redis did not answer; the configured policy decides.
    Unknown,
}

pub struct Revocations {
    client: redis::Client,
    conn: tokio::sync::Mutex<Option<MultiplexedConnection>>,
    cache: moka::sync::Cache<String, bool>,
    /// The URL's password, kept out of messages.
    secrets: Vec<String>,
    pub cfg: RevocationConfig,
}

impl Revocations {
    pub fn new(cfg: RevocationConfig) -> Result<Revocations, String> {
        let secrets: Vec<String> = url::Url::parse(&cfg.url)
            .ok()
            .and_then(|u| u.password().map(str::to_string))
            .into_iter()
            .collect();
        let client = redis::Client::open(cfg.url.as_str())
            .map_err(|e| format!("`{}`: {}", redact::url(&cfg.url), redact::scrub(&e.to_string(), &secrets)))?;
        Ok(Revocations {
            client,
            conn: tokio::sync::Mutex::new(None),
            cache: moka::sync::Cache::builder().max_capacity(100_000).time_to_live(cfg.ttl).build(),
            secrets,
            cfg,
        })
    }

    /// A connection, made (once, whoever asks first) when there is none.
    async fn connection(&self) -> Result<MultiplexedConnection, String> {
        let mut slot = self.conn.lock().await;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let c = tokio::time::timeout(REDIS_TIMEOUT, self.client.get_multiplexed_async_connection())
            .await
            .map_err(|_| "no answer within 1s".to_string())?
            .map_err(|e| e.to_string())?;
        *slot = Some(c.clone());
        Ok(c)
    }

    /// Looks `jti` up, from the cache when it can.
    pub async fn status(&self, jti: &str) -> Status {
        if let Some(revoked) = self.cache.get(jti) {
            return if revoked { Status::Revoked } else { Status::Allowed };
        }
        let answer = async {
            let mut c = self.connection().await?;
            tokio::time::timeout(
                REDIS_TIMEOUT,
                redis::cmd("SISMEMBER").arg(&self.cfg.set).arg(jti).query_async::<bool>(&mut c),
            )
            .await
            .map_err(|_| "no answer within 1s".to_string())?
            .map_err(|e| e.to_string())
        }
        .await;
        match answer {
            Ok(revoked) => {
                self.cache.insert(jti.to_string(), revoked);
                if revoked { Status::Revoked } else { Status::Allowed }
            }
            Err(e) => {
                // Reconnect next time.
                *self.conn.lock().await = None;
                tracing::warn!(
                    "revocation check against {} failed: {}",
                    redact::url(&self.cfg.url),
                    redact::scrub(&redact::scrub_urls(&e), &self.secrets)
                );
                Status::Unknown
            }
        }
    }
}
