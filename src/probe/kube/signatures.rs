//! Known failure signatures in container logs and termination messages, in the wording of
//! the common client libraries (redis-py, redis-rs, ioredis, Jedis, go-redis, libpq,
//! psycopg, node-postgres, JDBC). The matching line is the evidence.

/// What a log line says went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signature {
    RedisAuth,
    RedisRefused,
    PostgresAuth,
    PostgresTooManyClients,
    PostgresRefused,
    OutOfMemory,
}

impl Signature {
    /// Stable label value, used by root-cause rules.
    pub fn id(self) -> &'static str {
        match self {
            Signature::RedisAuth => "redis-auth",
            Signature::RedisRefused => "redis-refused",
            Signature::PostgresAuth => "postgres-auth",
            Signature::PostgresTooManyClients => "postgres-too-many-clients",
            Signature::PostgresRefused => "postgres-refused",
            Signature::OutOfMemory => "oom",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Signature::RedisAuth => "Redis authentication error",
            Signature::RedisRefused => "Redis connection refused",
            Signature::PostgresAuth => "PostgreSQL authentication failure",
            Signature::PostgresTooManyClients => "PostgreSQL out of connection slots",
            Signature::PostgresRefused => "PostgreSQL connection refused",
            Signature::OutOfMemory => "out of memory",
        }
    }
}

/// Classifies one line. Order matters: the most specific wording wins.
pub fn classify(line: &str) -> Option<Signature> {
    let l = line.to_ascii_lowercase();
    let redis_ctx = l.contains("redis") || l.contains("jedis") || l.contains(":6379") || l.contains("noauth") || l.contains("wrongpass");
    let pg_ctx = l.contains("postgres")
        || l.contains("psql")
        || l.contains("psycopg")
        || l.contains(":5432")
        || l.contains("pq:")
        || l.contains("sqlstate")
        || l.contains("jdbc");
    if l.contains("noauth") || l.contains("wrongpass") {
        return Some(Signature::RedisAuth);
    }
    // PostgreSQL names the user; redis-rs says "Password authentication failed" alone.
    if l.contains("password authentication failed for user") || l.contains("28p01") {
        return Some(Signature::PostgresAuth);
    }
    if l.contains("too many clients already")
        || l.contains("remaining connection slots are reserved")
        || l.contains("too many connections for role")
        || l.contains("53300")
    {
        return Some(Signature::PostgresTooManyClients);
    }
    // redis-py: `redis.exceptions.AuthenticationError: Authentication required.`;
    // Jedis: `JedisDataException: ERR invalid password`; redis-rs: `AuthenticationFailed`.
    if (l.contains("authentication required")
        || l.contains("invalid password")
        || l.contains("authenticationerror")
        || l.contains("authenticationfailed")
        || l.contains("auth failed")
        || l.contains("password authentication failed"))
        && (redis_ctx || l.contains("err invalid password") || l.contains("authenticationerror") || l.contains("authenticationfailed"))
        && !pg_ctx
    {
        return Some(Signature::RedisAuth);
    }
    let refused = l.contains("connection refused") || l.contains("econnrefused") || l.contains("error 111");
    if refused && redis_ctx {
        return Some(Signature::RedisRefused);
    }
    if refused && pg_ctx {
        return Some(Signature::PostgresRefused);
    }
    if l.contains("oomkilled")
        || l.contains("out of memory")
        || l.contains("outofmemoryerror")
        || l.contains("memoryerror")
        || l.contains("heap out of memory")
    {
        return Some(Signature::OutOfMemory);
    }
    None
}

/// The most telling line in a log: the last line with a known signature.
pub fn scan(log: &str) -> Option<(Signature, String)> {
    log.lines()
        .rev()
        .find_map(|line| classify(line).map(|s| (s, line.trim().to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redis_auth_in_the_words_of_each_client() {
        for line in [
            "redis.exceptions.AuthenticationError: Authentication required.",
            "redis.exceptions.AuthenticationError: invalid username-password pair or user is disabled.",
            "ReplyError: NOAUTH Authentication required.",
            "[ioredis] Unhandled error event: ReplyError: WRONGPASS invalid username-password pair or user is disabled.",
            "redis.clients.jedis.exceptions.JedisDataException: ERR invalid password",
            "redis.clients.jedis.exceptions.JedisAccessControlException: WRONGPASS invalid username-password pair or user is disabled.",
            "panic: NOAUTH Authentication required.",
            "Error: Password authentication failed - AuthenticationFailed",
            "thread 'main' panicked at src/main.rs:10: called `Result::unwrap()` on an `Err` value: AuthenticationFailed: Password authentication failed",
        ] {
            assert_eq!(classify(line), Some(Signature::RedisAuth), "{line}");
        }
    }

    #[test]
    fn postgres_and_connection_failures() {
        let cases = [
            (
                "psycopg2.OperationalError: connection to server at \"postgres\" (10.96.1.2), port 5432 failed: FATAL:  password authentication failed for user \"aiwfe\"",
                Signature::PostgresAuth,
            ),
            ("error: password authentication failed for user \"app\"", Signature::PostgresAuth),
            ("FATAL:  sorry, too many clients already", Signature::PostgresTooManyClients),
            (
                "pq: remaining connection slots are reserved for non-replication superuser connections",
                Signature::PostgresTooManyClients,
            ),
            (
                "redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused.",
                Signature::RedisRefused,
            ),
            ("Error: connect ECONNREFUSED 10.96.0.12:6379", Signature::RedisRefused),
            (
                "psycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host \"postgres\" (10.96.1.2) and accepting TCP/IP connections on port 5432?",
                Signature::PostgresRefused,
            ),
            ("java.lang.OutOfMemoryError: Java heap space", Signature::OutOfMemory),
        ];
        for (line, sig) in cases {
            assert_eq!(classify(line), Some(sig), "{line}");
        }
        assert_eq!(classify("INFO starting worker 3"), None);
        assert_eq!(classify("GET /healthz 200"), None);
    }

    #[test]
    fn scan_takes_the_last_telling_line() {
        let log = "INFO boot\nTraceback (most recent call last):\n  File \"app.py\", line 12, in <module>\n    r.ping()\nredis.exceptions.AuthenticationError: Authentication required.\n";
        let (sig, line) = scan(log).unwrap();
        assert_eq!(sig, Signature::RedisAuth);
        assert_eq!(line, "redis.exceptions.AuthenticationError: Authentication required.");
    }
}
