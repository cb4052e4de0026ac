//! PostgreSQL probe: connect (TLS via rustls when asked), then summarise `pg_stat_activity`
//! as an on-call engineer would (sessions by state), against `max_connections` minus reserved slots.
//!
//! Checks: `postgres.connect` (reachability, TLS, authentication, version),
//! `postgres.connections` (sessions by state, headroom), `postgres.sessions` (idle in
//! transaction, long-running queries, lock waits). aiwfe's own session is not counted in
//! the per-state figures, so they match what a user counts for their application.

use super::{BoxFuture, Probe, Recorder};
use crate::redact::{self, Secret};
use crate::report::{Finding, Observation, Severity};
use std::time::Instant;
use tokio_postgres::config::SslMode;
use tokio_postgres::error::SqlState;
use tokio_postgres::{Client, NoTls};

/// A PostgreSQL endpoint, parsed and checked.
#[derive(Debug, Clone)]
pub struct Target {
    pub config: tokio_postgres::Config,
    pub display: String,
    /// The password, kept to scrub it from any server text that might echo it.
    pub password: Option<Secret>,
    pub connections_warn_pct: f64,
    pub connections_error_pct: f64,
    pub idle_in_transaction_warn_s: f64,
    pub long_query_warn_s: f64,
}

/// Connections at or above this share of `max_connections` is a warning.
pub const CONNECTIONS_WARN_PCT: f64 = 80.0;
/// Connections at or above this share of `max_connections` is an error.
pub const CONNECTIONS_ERROR_PCT: f64 = 95.0;
/// A session idle in a transaction this long (seconds) is a warning.
pub const IDLE_IN_TRANSACTION_WARN_S: f64 = 60.0;
/// A query running this long (seconds) is a warning.
pub const LONG_QUERY_WARN_S: f64 = 300.0;

pub struct PostgresProbe {
    pub target: Target,
}

impl Probe for PostgresProbe {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn target(&self) -> String {
        self.target.display.clone()
    }

    fn run<'a>(&'a self, rec: &'a Recorder) -> BoxFuture<'a, ()> {
        Box::pin(run(&self.target, rec))
    }

    fn timeout_hint(&self) -> String {
        "check that PostgreSQL is up and reachable from here, or raise --timeout".into()
    }
}

async fn run(t: &Target, rec: &Recorder) {
    let secrets: Vec<String> = t.password.iter().map(|p| p.expose().to_string()).collect();
    let mut connect = rec.observation("postgres.connect");
    rec.phase("postgres.connect", "connecting and authenticating");
    let started = Instant::now();
    let client = match open(t, rec).await {
        Ok(c) => c,
        Err(e) => {
            connect.push(connect_finding(&e, t, &secrets));
            rec.commit(connect);
            return;
        }
    };
    connect.measure("connect_ms", (started.elapsed().as_secs_f64() * 1e6).round() / 1e3, "ms");
    let version = client
        .query_one(
            logged("SELECT current_setting('server_version'), current_user, current_database()"),
            &[],
        )
        .await;
    match version {
        Ok(row) => {
            let (v, user, db): (String, String, String) = (row.get(0), row.get(1), row.get(2));
            // `15.18 (Debian 15.18-0+deb12u1)` → `15.18`
            let v = v.split_whitespace().next().unwrap_or_default().to_string();
            connect.measure_text("version", v.clone());
            connect.push(Finding::new(
                "postgres.connect",
                Severity::Ok,
                format!("connected as `{user}` to `{db}` on PostgreSQL {v}"),
            ));
        }
        Err(e) => connect.push(query_finding(&e, &secrets)),
    }
    rec.commit(connect);

    rec.phase("postgres.connections", "reading pg_stat_activity");
    let mut conns = rec.observation("postgres.connections");
    if let Err(e) = connections(t, &client, &mut conns).await {
        conns.push(query_finding(&e, &secrets));
    }
    rec.commit(conns);

    rec.phase("postgres.sessions", "looking for stuck sessions");
    let mut sessions = rec.observation("postgres.sessions");
    if let Err(e) = stuck_sessions(t, &client, &mut sessions).await {
        sessions.push(query_finding(&e, &secrets));
    }
    rec.commit(sessions);
}

/// Errors from opening a connection, kept apart so a timeout is told from a refusal.
enum OpenError {
    Pg(tokio_postgres::Error),
}

/// `sql`, logged at debug level by its first words (statements carry no secrets).
fn logged(sql: &str) -> &str {
    tracing::debug!("postgres: {}", sql.split_whitespace().take(10).collect::<Vec<_>>().join(" "));
    sql
}

async fn open(t: &Target, rec: &Recorder) -> Result<Client, OpenError> {
    tracing::info!("postgres: connecting to {} (sslmode {:?})", t.display, t.config.get_ssl_mode());
    let mut config = t.config.clone();
    config.connect_timeout(rec.remaining());
    let client = if config.get_ssl_mode() == SslMode::Disable {
        let (client, conn) = config.connect(NoTls).await.map_err(OpenError::Pg)?;
        tokio::spawn(conn);
        client
    } else {
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(crate::tls::unverified());
        let (client, conn) = config.connect(tls).await.map_err(OpenError::Pg)?;
        tokio::spawn(conn);
        client
    };
    Ok(client)
}

/// Sessions by state (client backends only, our own session
/// left out) and the headroom left under `max_connections`.
async fn connections(t: &Target, client: &Client, obs: &mut Observation) -> Result<(), tokio_postgres::Error> {
    let rows = client
        .query(
            logged(
                "SELECT coalesce(state, 'unknown') AS state, count(*)::bigint AS n, \
                    coalesce(avg(extract(epoch FROM (now() - state_change))), 0)::float8 AS avg_s \
             FROM pg_stat_activity \
             WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() \
             GROUP BY 1 ORDER BY 1",
            ),
            &[],
        )
        .await?;
    let mut by_state: Vec<(String, i64, f64)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    for s in ["active", "idle", "idle in transaction"] {
        if !by_state.iter().any(|(st, _, _)| st == s) {
            by_state.push((s.to_string(), 0, 0.0));
        }
    }
    by_state.sort_by_key(|(s, _, _)| state_rank(s));
    for (state, n, avg) in &by_state {
        let slug = state_slug(state);
        obs.measure(&format!("sessions_{slug}"), *n as f64, "count");
        obs.measure(&format!("sessions_{slug}_avg_s"), (avg * 10.0).round() / 10.0, "s");
    }

    // Without pg_read_all_stats (superusers and pg_monitor members have it), other users'
    // sessions show no state or backend type; pg_stat_database still counts every backend.
    let full_view: bool = client
        .query_one(logged("SELECT pg_has_role('pg_read_all_stats', 'USAGE')"), &[])
        .await?
        .get(0);
    let limits = client
        .query_one(
            logged(
                "SELECT current_setting('max_connections')::int, \
                    current_setting('superuser_reserved_connections')::int, \
                    coalesce(nullif(current_setting('reserved_connections', true), ''), '0')::int, \
                    (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::bigint, \
                    (SELECT coalesce(sum(numbackends), 0) FROM pg_stat_database)::bigint",
            ),
            &[],
        )
        .await?;
    let (max, su_reserved, reserved): (i32, i32, i32) = (limits.get(0), limits.get(1), limits.get(2));
    let total: i64 = if full_view { limits.get(3) } else { limits.get(4) };
    let (usable, pct) = utilisation(total, max, su_reserved + reserved);
    obs.measure("connections_total", total as f64, "count");
    obs.measure("max_connections", max as f64, "count");
    obs.measure("reserved_connections", (su_reserved + reserved) as f64, "count");
    obs.measure("usable_connections", usable, "count");
    obs.measure("connections_utilisation_pct", pct, "%");

    obs.push(connections_finding(total, max, su_reserved + reserved, &by_state, t));
    if !full_view {
        obs.push(
            Finding::new(
                "postgres.limited_view",
                Severity::Info,
                "this role sees only its own sessions' states; the total comes from pg_stat_database",
            )
            .hint("grant the role `pg_monitor` to see every session's state"),
        );
    }
    Ok(())
}

/// The usable connections (`max_connections` minus the reserved slots, at least 1) and the
/// share of them in use, in percent to one decimal.
fn utilisation(total: i64, max: i32, reserved: i32) -> (f64, f64) {
    let usable = (max - reserved).max(1) as f64;
    (usable, (total as f64 / usable * 1000.0).round() / 10.0)
}

/// The connections finding: `postgres.connections_high` (warning at
/// `connections_warn_pct`, error at `connections_error_pct`, both inclusive) or
/// `postgres.connections`, with the sessions by state that have any.
fn connections_finding(total: i64, max: i32, reserved: i32, by_state: &[(String, i64, f64)], t: &Target) -> Finding {
    let (usable, pct) = utilisation(total, max, reserved);
    let states: Vec<String> = by_state
        .iter()
        .filter(|(_, n, _)| *n > 0)
        .map(|(s, n, _)| format!("{n} {s}"))
        .collect();
    let summary = format!(
        "{total} of {usable} usable connections in use ({pct:.1} %; max_connections {max}, {reserved} reserved){}{}",
        if states.is_empty() { "" } else { ": " },
        states.join(", ")
    );
    let sev = if pct >= t.connections_error_pct {
        Severity::Error
    } else if pct >= t.connections_warn_pct {
        Severity::Warning
    } else {
        Severity::Ok
    };
    if sev == Severity::Ok {
        Finding::new("postgres.connections", Severity::Ok, summary)
    } else {
        Finding::new("postgres.connections_high", sev, summary)
            .hint("lower the applications' pool sizes (or put PgBouncer in front), or raise `max_connections`")
    }
}

/// A session idle in a transaction, as `pg_stat_activity` shows it.
struct IdleSession {
    pid: i32,
    user: String,
    db: String,
    app: String,
    /// Seconds since its last state change.
    secs: f64,
}

/// How many of `sessions` (oldest first) have been idle in a transaction for
/// `warn_s` or more, and the warning that names the oldest of them.
fn idle_in_transaction(sessions: &[IdleSession], warn_s: f64) -> (usize, Option<Finding>) {
    let over: Vec<&IdleSession> = sessions.iter().filter(|s| s.secs >= warn_s).collect();
    let finding =
        over.first().map(|first| {
            let IdleSession { pid, user, db, app, secs } = first;
            Finding::new(
            "postgres.idle_in_transaction",
            Severity::Warning,
            format!(
                "{} sessions idle in transaction for more than {warn_s} s (longest {secs:.0} s: pid {pid}, {user}@{db}{})",
                over.len(),
                if app.is_empty() { String::new() } else { format!(", application `{app}`") }
            ),
        )
        .hint("these hold locks and connections; fix the application's transaction handling, or set `idle_in_transaction_session_timeout`")
        .fix(format!("psql -c 'SELECT pg_terminate_backend({pid})'"))
        });
    (over.len(), finding)
}

/// The warning for the longest active query (`pid`, seconds running, its text) when it
/// has run `warn_s` or more; the text's literals are hidden.
fn long_query(longest: Option<(i32, f64, &str)>, warn_s: f64) -> Option<Finding> {
    let (pid, secs, query) = longest.filter(|(_, secs, _)| *secs >= warn_s)?;
    Some(
        Finding::new(
            "postgres.long_query",
            Severity::Warning,
            format!("a query has run for {secs:.0} s (pid {pid})"),
        )
        .evidence(normalize_query(query))
        .hint("check its plan with EXPLAIN, or cancel it")
        .fix(format!("psql -c 'SELECT pg_cancel_backend({pid})'")),
    )
}

async fn stuck_sessions(t: &Target, client: &Client, obs: &mut Observation) -> Result<(), tokio_postgres::Error> {
    let idle_tx = client
        .query(
            logged(
                "SELECT pid, coalesce(usename, '?')::text, coalesce(datname, '?')::text, coalesce(application_name, '')::text, \
                    extract(epoch FROM (now() - state_change))::float8 AS s \
             FROM pg_stat_activity \
             WHERE state LIKE 'idle in transaction%' AND backend_type = 'client backend' \
             ORDER BY state_change",
            ),
            &[],
        )
        .await?;
    let idle: Vec<IdleSession> = idle_tx
        .iter()
        .map(|r| IdleSession {
            pid: r.get(0),
            user: r.get(1),
            db: r.get(2),
            app: r.get(3),
            secs: r.get(4),
        })
        .collect();
    let (over, finding) = idle_in_transaction(&idle, t.idle_in_transaction_warn_s);
    obs.measure("idle_in_transaction_over_threshold", over as f64, "count");
    let longest_idle = idle.first().map(|s| s.secs).unwrap_or(0.0);
    obs.measure("longest_idle_in_transaction_s", (longest_idle * 10.0).round() / 10.0, "s");
    if let Some(f) = finding {
        obs.push(f);
    }

    let active = client
        .query(
            logged(
                "SELECT pid, extract(epoch FROM (now() - query_start))::float8, left(coalesce(query, ''), 400)::text \
             FROM pg_stat_activity \
             WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND query_start IS NOT NULL \
             ORDER BY query_start LIMIT 1",
            ),
            &[],
        )
        .await?;
    let longest = active.first().map(|r| r.get::<_, f64>(1)).unwrap_or(0.0);
    obs.measure("longest_active_query_s", (longest * 10.0).round() / 10.0, "s");
    if let Some(f) = long_query(active.first().map(|r| (r.get(0), r.get(1), r.get(2))), t.long_query_warn_s) {
        obs.push(f);
    }

    let waits = client
        .query(
            logged(
                "SELECT pid, pg_blocking_pids(pid)::text FROM pg_stat_activity \
             WHERE wait_event_type = 'Lock' AND backend_type = 'client backend' ORDER BY pid",
            ),
            &[],
        )
        .await?;
    obs.measure("lock_waiting_sessions", waits.len() as f64, "count");
    if !waits.is_empty() {
        let blockers: Vec<String> = waits
            .iter()
            .map(|r| format!("pid {} blocked by {}", r.get::<_, i32>(0), r.get::<_, String>(1)))
            .collect();
        obs.push(
            Finding::new(
                "postgres.lock_waits",
                Severity::Warning,
                format!("{} sessions are waiting on locks", waits.len()),
            )
            .evidence(blockers.join("; "))
            .hint("look at what the blocking sessions are doing; long transactions are the usual cause"),
        );
    }
    if obs.findings.is_empty() {
        obs.push(Finding::new(
            "postgres.sessions",
            Severity::Ok,
            format!(
                "no session idle in transaction over {} s, no lock waits, longest query {longest:.1} s",
                t.idle_in_transaction_warn_s
            ),
        ));
    }
    Ok(())
}

fn state_rank(s: &str) -> usize {
    ["active", "idle", "idle in transaction", "idle in transaction (aborted)"]
        .iter()
        .position(|x| *x == s)
        .unwrap_or(9)
}

/// `idle in transaction (aborted)` → `idle_in_transaction_aborted`.
pub fn state_slug(state: &str) -> String {
    let mut slug = String::new();
    for ch in state.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.ends_with('_') {
            slug.push('_');
        }
    }
    slug.trim_matches('_').to_string()
}

/// Query text with every string literal replaced by `?` (they may hold passwords):
/// `'...'` (with `''` inside), escape strings `E'...'` (with `\'` inside) and dollar-quoted
/// strings `$$...$$` / `$tag$...$tag$`; an unterminated literal hides the rest. Whitespace
/// is collapsed and the text cut to 200 characters.
pub fn normalize_query(q: &str) -> String {
    let chars: Vec<char> = q.chars().collect();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let after_word = i > 0 && (ident(chars[i - 1]) || chars[i - 1] == '$');
        if c == '\'' {
            i = skip_quoted(&chars, i + 1, false);
            out.push('?');
        } else if (c == 'E' || c == 'e') && chars.get(i + 1) == Some(&'\'') && !after_word {
            i = skip_quoted(&chars, i + 2, true);
            out.push('?');
        } else if let Some(tag_end) = (c == '$' && !after_word).then(|| dollar_tag(&chars, i)).flatten() {
            let tag = &chars[i..=tag_end];
            let mut j = tag_end + 1;
            while j < chars.len() && !chars[j..].starts_with(tag) {
                j += 1;
            }
            i = (j + tag.len()).min(chars.len());
            out.push('?');
        } else {
            if c.is_whitespace() {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            } else {
                out.push(c);
            }
            i += 1;
        }
    }
    let out = out.trim().to_string();
    if out.chars().count() > 200 {
        format!("{}…", out.chars().take(200).collect::<String>())
    } else {
        out
    }
}

/// The index after the quote that closes a literal whose text starts at `i`: `''` is a
/// quote inside, and with `backslash` so is `\'` (a backslash escapes the next char).
fn skip_quoted(chars: &[char], mut i: usize, backslash: bool) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' if backslash => i += 2,
            '\'' if chars.get(i + 1) == Some(&'\'') => i += 2,
            '\'' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

/// At a `$`: the index of the `$` that ends a dollar-quote tag (`$$`, `$body$`), or `None`
/// for a parameter such as `$1` or a lone `$`.
fn dollar_tag(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if chars.get(j).is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    while let Some(&c) = chars.get(j) {
        if c == '$' {
            return Some(j);
        }
        if !(c.is_alphanumeric() || c == '_') {
            return None;
        }
        j += 1;
    }
    None
}

fn connect_finding(e: &OpenError, t: &Target, secrets: &[String]) -> Finding {
    let OpenError::Pg(e) = e;
    let who = t.config.get_user().unwrap_or("postgres");
    if let Some(db) = e.as_db_error() {
        let evidence = redact::scrub(
            &format!("{}: {} (SQLSTATE {})", db.severity(), db.message(), db.code().code()),
            secrets,
        );
        let code = db.code();
        return if *code == SqlState::INVALID_PASSWORD {
            Finding::new(
                "postgres.auth_failed",
                Severity::Error,
                format!("PostgreSQL rejected the password for `{who}`"),
            )
            .evidence(evidence)
            .hint("the password differs from the role's; update the client's secret, or reset it with ALTER ROLE ... PASSWORD")
        } else if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            Finding::new(
                "postgres.auth_rejected",
                Severity::Error,
                format!("PostgreSQL refused `{who}` (pg_hba.conf, or the role does not exist)"),
            )
            .evidence(evidence)
            .hint("add a pg_hba.conf entry for this host, user and database, or create the role")
        } else if *code == SqlState::TOO_MANY_CONNECTIONS {
            Finding::new(
                "postgres.too_many_clients",
                Severity::Error,
                "PostgreSQL refuses new connections: no connection slots left",
            )
            .evidence(evidence)
            .hint("lower the applications' pool sizes (or use PgBouncer), raise `max_connections`, or the role's CONNECTION LIMIT")
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            Finding::new("postgres.database_missing", Severity::Error, "the database does not exist").evidence(evidence)
        } else if *code == SqlState::CANNOT_CONNECT_NOW {
            Finding::new("postgres.starting", Severity::Error, "PostgreSQL is starting up or shutting down").evidence(evidence)
        } else {
            Finding::new("postgres.error", Severity::Error, "PostgreSQL refused the connection").evidence(evidence)
        };
    }
    let text = redact::scrub(&chain(e), secrets);
    let lower = text.to_lowercase();
    if lower.contains("timed out") || lower.contains("timeout") {
        Finding::new("postgres.timeout", Severity::Error, "no answer from PostgreSQL in time")
            .evidence(text)
            .hint("check that PostgreSQL is up and reachable from here, or raise --timeout")
    } else if lower.contains("tls") || lower.contains("ssl") || lower.contains("certificate") {
        Finding::new("postgres.tls", Severity::Error, "TLS with PostgreSQL failed")
            .evidence(text)
            .hint("with sslmode=require the server must have `ssl = on`; use sslmode=prefer or disable if it does not")
    } else if lower.contains("refused") {
        Finding::new("postgres.unreachable", Severity::Error, "connection refused: nothing listens there")
            .evidence(text)
            .hint("check host and port, and that the PostgreSQL pod or service is running")
    } else {
        Finding::new("postgres.unreachable", Severity::Error, "cannot talk to PostgreSQL")
            .evidence(text)
            .hint("check host, port and sslmode")
    }
}

fn query_finding(e: &tokio_postgres::Error, secrets: &[String]) -> Finding {
    let evidence = match e.as_db_error() {
        Some(db) => format!("{}: {} (SQLSTATE {})", db.severity(), db.message(), db.code().code()),
        None => chain(e),
    };
    Finding::new(
        "postgres.query_failed",
        Severity::Warning,
        "a monitoring query failed; figures are incomplete",
    )
    .evidence(redact::scrub(&evidence, secrets))
    .hint("grant the role `pg_monitor`")
}

/// An error and its sources on one line: tokio-postgres keeps the useful part in `source()`.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_hidden_in_query_text() {
        assert_eq!(normalize_query("ALTER ROLE app PASSWORD 'hunter2'"), "ALTER ROLE app PASSWORD ?");
        assert_eq!(
            normalize_query("select  'it''s'\n from t where x = 'a'"),
            "select ? from t where x = ?"
        );
    }

    #[test]
    fn dollar_quoted_and_escape_string_literals_are_hidden_too() {
        let q = "DO $$BEGIN EXECUTE 'ALTER ROLE app PASSWORD ''s3cr3t-1'''; END$$";
        assert_eq!(normalize_query(q), "DO ?");
        let q = "CREATE FUNCTION f() RETURNS text AS $body$ SELECT 'pw=hunter2' $body$ LANGUAGE sql";
        assert_eq!(normalize_query(q), "CREATE FUNCTION f() RETURNS text AS ? LANGUAGE sql");
        assert_eq!(
            normalize_query(r"SELECT E'it\'s hunter2', e'x\\' FROM t WHERE id = $1 AND name = 'n'"),
            "SELECT ?, ? FROM t WHERE id = $1 AND name = ?"
        );
        assert_eq!(normalize_query("SELECT $x$never closed hunter2"), "SELECT ?");
        assert_eq!(
            normalize_query("SELECT type FROM t WHERE e = 'v'"),
            "SELECT type FROM t WHERE e = ?"
        );
        assert_eq!(normalize_query("SELECT 'unterminated hunter2"), "SELECT ?");
        for q in ["x $$ hunter2 $", r"E'\", "$a", "'''", "$1$", "$$hunter2$", r"E'hunter2\"] {
            assert!(!normalize_query(q).contains("hunter2"), "{q}");
        }
    }

    fn target() -> Target {
        Target {
            config: tokio_postgres::Config::new(),
            display: "postgres://app@db:5432/app".into(),
            password: None,
            connections_warn_pct: CONNECTIONS_WARN_PCT,
            connections_error_pct: CONNECTIONS_ERROR_PCT,
            idle_in_transaction_warn_s: IDLE_IN_TRANSACTION_WARN_S,
            long_query_warn_s: LONG_QUERY_WARN_S,
        }
    }

    fn states(active: i64, idle: i64, idle_tx: i64) -> Vec<(String, i64, f64)> {
        vec![
            ("active".into(), active, 0.5),
            ("idle".into(), idle, 30.0),
            ("idle in transaction".into(), idle_tx, 2.0),
        ]
    }

    #[test]
    fn usable_connections_leave_out_the_reserved_slots() {
        assert_eq!(utilisation(47, 100, 3), (97.0, 48.5));
        assert_eq!(utilisation(1, 3, 0), (3.0, 33.3));
        assert_eq!(utilisation(2, 3, 0), (3.0, 66.7));
        // More reserved slots than connections: one usable slot, never a division by zero.
        assert_eq!(utilisation(2, 3, 5), (1.0, 200.0));
        assert_eq!(utilisation(0, 3, 3), (1.0, 0.0));
    }

    #[test]
    fn connections_warn_at_80_percent_of_the_usable_ones_and_err_at_95() {
        let t = target();
        let f = connections_finding(77, 100, 3, &states(2, 75, 0), &t);
        assert_eq!((f.code.as_str(), f.severity), ("postgres.connections", Severity::Ok));
        assert_eq!(
            f.summary,
            "77 of 97 usable connections in use (79.4 %; max_connections 100, 3 reserved): 2 active, 75 idle"
        );
        let f = connections_finding(80, 103, 3, &states(5, 70, 5), &t);
        assert_eq!((f.code.as_str(), f.severity), ("postgres.connections_high", Severity::Warning));
        assert_eq!(
            f.summary,
            "80 of 100 usable connections in use (80.0 %; max_connections 103, 3 reserved): 5 active, 70 idle, 5 idle in transaction"
        );
        assert!(f.hint.as_deref().is_some_and(|h| h.contains("max_connections")));
        assert_eq!(connections_finding(94, 100, 0, &states(94, 0, 0), &t).severity, Severity::Warning);
        let f = connections_finding(95, 100, 0, &states(95, 0, 0), &t);
        assert_eq!((f.code.as_str(), f.severity), ("postgres.connections_high", Severity::Error));
        let f = connections_finding(0, 100, 3, &states(0, 0, 0), &t);
        assert_eq!(
            f.summary,
            "0 of 97 usable connections in use (0.0 %; max_connections 100, 3 reserved)"
        );
    }

    fn idle(pid: i32, app: &str, secs: f64) -> IdleSession {
        IdleSession {
            pid,
            user: "app".into(),
            db: "orders".into(),
            app: app.into(),
            secs,
        }
    }

    #[test]
    fn sessions_idle_in_transaction_from_the_threshold_on_warn_and_the_oldest_is_named() {
        let (n, f) = idle_in_transaction(&[idle(7, "worker", 59.9), idle(8, "", 3.0)], 60.0);
        assert_eq!(n, 0);
        assert!(f.is_none());
        let (n, f) = idle_in_transaction(&[idle(41, "", 600.4), idle(42, "worker", 60.0), idle(43, "", 59.0)], 60.0);
        assert_eq!(n, 2);
        let f = f.unwrap();
        assert_eq!((f.code.as_str(), f.severity), ("postgres.idle_in_transaction", Severity::Warning));
        assert_eq!(
            f.summary,
            "2 sessions idle in transaction for more than 60 s (longest 600 s: pid 41, app@orders)"
        );
        assert_eq!(f.fix.as_deref(), Some("psql -c 'SELECT pg_terminate_backend(41)'"));
        let (_, f) = idle_in_transaction(&[idle(42, "worker", 61.0)], 60.0);
        assert!(f.unwrap().summary.ends_with("pid 42, app@orders, application `worker`)"));
    }

    #[test]
    fn a_query_running_as_long_as_the_threshold_warns_with_its_literals_hidden() {
        assert!(long_query(None, 300.0).is_none());
        assert!(long_query(Some((9, 299.9, "SELECT 1")), 300.0).is_none());
        let f = long_query(Some((9, 300.0, "UPDATE users SET password = 'hunter2'")), 300.0).unwrap();
        assert_eq!((f.code.as_str(), f.severity), ("postgres.long_query", Severity::Warning));
        assert_eq!(f.summary, "a query has run for 300 s (pid 9)");
        assert_eq!(f.evidence.as_deref(), Some("UPDATE users SET password = ?"));
        assert_eq!(f.fix.as_deref(), Some("psql -c 'SELECT pg_cancel_backend(9)'"));
    }

    #[test]
    fn state_slugs() {
        assert_eq!(state_slug("idle in transaction (aborted)"), "idle_in_transaction_aborted");
        assert_eq!(state_slug("active"), "active");
        assert_eq!(state_slug("fastpath function call"), "fastpath_function_call");
    }
}
