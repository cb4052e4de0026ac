//! Keeps secrets out of every output: URL passwords, tokens and secret values are replaced
//! by a short SHA-256 fingerprint wherever identity matters.

use sha2::{Digest, Sha256};

/// First 8 hex characters of the SHA-256 of `secret`: enough to tell two secrets apart,
/// useless for recovering either.
pub fn fingerprint(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

/// The URL with its password (if any) replaced by `***`; usernames, hosts and paths stay.
/// Query parameters that commonly carry secrets (`password`, `token`, ...) are masked too.
/// A string that does not parse as a URL is returned with everything between `://` and
/// the last `@` masked, so a malformed URL still never leaks its credentials.
pub fn url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            let pairs: Vec<(String, String)> = u
                .query_pairs()
                .map(|(k, v)| {
                    let masked = is_secret_key(&k);
                    (k.into_owned(), if masked { "***".to_string() } else { v.into_owned() })
                })
                .collect();
            if !pairs.is_empty() {
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        Err(_) => match (raw.find("://"), raw.rfind('@')) {
            (Some(s), Some(at)) if at > s + 3 => format!("{}***{}", &raw[..s + 3], &raw[at..]),
            _ => raw.to_string(),
        },
    }
}

/// Is `k` the name of a query parameter that carries a secret? Whole names (`token`,
/// `api_key`, `sig`, ...) and names ending in one (`refresh_token`, `client_secret`,
/// `X-Amz-Signature`); a name that merely contains one (`passwordless`, `tokens`) is not.
fn is_secret_key(k: &str) -> bool {
    let k = k.to_ascii_lowercase();
    const NAMES: &[&str] = &[
        "password",
        "passwd",
        "pass",
        "pwd",
        "token",
        "secret",
        "sslpassword",
        "apikey",
        "api_key",
        "api-key",
        "key",
        "auth",
        "authorization",
        "jwt",
        "sig",
        "signature",
        "credential",
        "session",
        "code",
    ];
    const ENDINGS: &[&str] = &[
        "password",
        "passwd",
        "token",
        "secret",
        "apikey",
        "api_key",
        "signature",
        "credential",
    ];
    NAMES.contains(&k.as_str())
        || ENDINGS
            .iter()
            .any(|n| k.strip_suffix(n).is_some_and(|head| head.ends_with(['_', '-', '.'])))
}

/// The secrets a URL carries, to scrub wherever a server echoes them: its password and
/// the values of secret query parameters, each as written and percent-decoded.
pub fn url_secrets(raw: &str) -> Vec<String> {
    let Ok(u) = url::Url::parse(raw) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut add = |s: String| {
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(pw) = u.password() {
        add(pw.to_string());
        add(percent_encoding::percent_decode_str(pw).decode_utf8_lossy().into_owned());
    }
    for (k, v) in u.query_pairs() {
        if is_secret_key(&k) {
            add(v.into_owned());
        }
    }
    if let Some(q) = u.query() {
        for pair in q.split('&') {
            if let Some((k, v)) = pair.split_once('=')
                && is_secret_key(&percent_encoding::percent_decode_str(k).decode_utf8_lossy())
            {
                add(v.to_string());
            }
        }
    }
    out
}

/// Masks the password of every URL inside free text (log lines, env values):
/// `redis://:pw@redis:6379` → `redis://:***@redis:6379`.
pub fn scrub_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '/' || c == '>')
            .unwrap_or(tail.len());
        let authority = &tail[..end];
        match authority.rfind('@') {
            Some(at) => {
                let userinfo = &authority[..at];
                match userinfo.find(':') {
                    Some(colon) => out.push_str(&format!("{}:***{}", &userinfo[..colon], &authority[at..])),
                    None => out.push_str(authority),
                }
            }
            None => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Masks every credential that free text (a log line, a quoted config line, an error
/// snippet) may carry, without knowing the secret: URL passwords (`scrub_urls`), the
/// arguments of a Redis `AUTH` (`AUTH pw`, `AUTH user pw`) and of `Bearer`, and the value
/// after a secret-named key (`password=pw`, `token: pw`, `"client_secret": "pw"`,
/// `PGPASSWORD=pw`). Names of where a secret lives (`password_env: REDIS_PW`,
/// `password_file: /run/pw`) stay, and so does Redis's own placeholder `AUTH <password>`.
pub fn credentials(text: &str) -> String {
    let text = jwts(&scrub_urls(text));
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some((start, key_end)) = next_word(rest) {
        let key = &rest[start..key_end];
        out.push_str(&rest[..key_end]);
        rest = &rest[key_end..];
        let lower = key.to_ascii_lowercase();
        let basic = lower == "basic" && {
            let b = out.as_bytes();
            b.len() >= 20 && b[b.len() - 20..].eq_ignore_ascii_case(b"authorization: basic")
        };
        if key == "AUTH" || lower == "bearer" || basic {
            let mut words = words_after(rest, if key == "AUTH" { 2 } else { 1 });
            // `AUTH user ***`: the password is masked already and the user is no secret.
            if words.len() == 2 && &rest[words[1].0..words[1].1] == "***" {
                words.clear();
            }
            let masked = words
                .iter()
                .enumerate()
                .take_while(|(i, (ws, we))| {
                    let w = &rest[*ws..*we];
                    let plain = w.trim_end_matches([':', '.', '!']).to_ascii_lowercase();
                    !w.starts_with('<') && !AFTER_AUTH.contains(&plain.as_str()) && (*i == 0 || plain.len() == w.len())
                })
                .count();
            let mut at = 0;
            for &(ws, we) in &words[..masked] {
                out.push_str(&rest[at..ws]);
                out.push_str("***");
                at = we;
            }
            rest = &rest[at..];
            continue;
        }
        if !is_secret_name(&lower) {
            continue;
        }
        let after = rest.trim_start_matches([' ', '"', '\'']);
        let Some(sep) = after.chars().next().filter(|c| *c == '=' || *c == ':') else {
            continue;
        };
        let value_at = rest.len() - after.len() + sep.len_utf8();
        let value = &rest[value_at..];
        let v = value.trim_start_matches([' ', '"', '\'']);
        let end = v
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '&' | '}' | ')'))
            .unwrap_or(v.len());
        if end == 0 {
            continue;
        }
        out.push_str(&rest[..rest.len() - v.len()]);
        out.push_str("***");
        rest = &v[end..];
    }
    out.push_str(rest);
    out
}

/// Every JSON Web Token in `text` (`eyJ…` header, `.` payload, `.` signature) as `***`:
/// a bearer credential wherever it appears, whatever names it.
fn jwts(text: &str) -> String {
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("eyJ") {
        let (head, tail) = rest.split_at(i);
        let boundary = !head.ends_with(is_b64);
        let end = tail.find(|c: char| !is_b64(c) && c != '.').unwrap_or(tail.len());
        // A full stop after the token ends the sentence, not the token.
        let end = tail[..end].trim_end_matches('.').len();
        let token = &tail[..end];
        let parts: Vec<&str> = token.split('.').collect();
        out.push_str(head);
        let jwt = parts.len() >= 3 && parts[1].len() > 1 || parts.len() == 2 && parts[1].starts_with("eyJ");
        if boundary && jwt && parts[0].len() > 3 {
            out.push_str("***");
            rest = &tail[end..];
        } else {
            out.push_str("eyJ");
            rest = &tail[3..];
        }
    }
    out.push_str(rest);
    out
}

/// `text` with every credential it shows masked (`credentials`) and every secret the run
/// registered (`add_log_secrets`) replaced: for text that came from elsewhere on its way
/// to any output.
pub fn free_text(text: &str) -> String {
    scrub_registered(&credentials(text))
}

/// `text` with every secret the run registered replaced by `***`.
pub fn scrub_registered(text: &str) -> String {
    let secrets = LOG_SECRETS.read().unwrap_or_else(|e| e.into_inner());
    if secrets.is_empty() {
        text.to_string()
    } else {
        scrub(text, &secrets)
    }
}

/// The secrets the run registered, for a report's last pass.
pub fn registered() -> Vec<String> {
    LOG_SECRETS.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Words that follow `AUTH` or `AUTH pw` in log lines: no password or username then.
const AFTER_AUTH: &[&str] = &[
    "failed",
    "failure",
    "error",
    "called",
    "rejected",
    "denied",
    "ok",
    "succeeded",
    "command",
    "with",
    "for",
    "to",
    "is",
    "was",
    "not",
    "invalid",
    "returned",
    "->",
    "=>",
];

/// The next word of letters, digits, `_` and `-`: where it starts and ends.
fn next_word(s: &str) -> Option<(usize, usize)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let start = s.find(is_word)?;
    let end = s[start..].find(|c: char| !is_word(c)).map_or(s.len(), |e| start + e);
    Some((start, end))
}

/// Up to `n` words, each after one or more spaces, at the start of `s`: byte ranges.
fn words_after(s: &str, n: usize) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut at = 0;
    while words.len() < n {
        let rest = &s[at..];
        let start = at + (rest.len() - rest.trim_start_matches(' ').len());
        if start == at {
            break;
        }
        let len = s[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | ')'))
            .unwrap_or(s.len() - start);
        if len == 0 {
            break;
        }
        words.push((start, start + len));
        at = start + len;
    }
    words
}

/// Is `key` (lowercase) the name of a secret value, not of where one is kept?
fn is_secret_name(key: &str) -> bool {
    let names = [
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "api-key",
        "credential",
    ];
    let places = [
        "_env", "_file", "_path", "_in", "-env", "-file", "-path", "_ref", "_name", "_sha256",
    ];
    names.iter().any(|n| key.contains(n)) && !places.iter().any(|s| key.ends_with(s))
}

static LOG_SECRETS: std::sync::RwLock<Vec<String>> = std::sync::RwLock::new(Vec::new());

/// Registers the run's secrets for `LogWriter`.
pub fn set_log_secrets(secrets: Vec<String>) {
    add_log_secrets(secrets);
}

/// Registers secrets learned during the run (a password read from a Secret) for `LogWriter`,
/// with their base64 forms, which API bodies carry.
pub fn add_log_secrets(secrets: impl IntoIterator<Item = String>) {
    use base64::Engine;
    let mut all = LOG_SECRETS.write().unwrap_or_else(|e| e.into_inner());
    for s in secrets {
        let b64 = base64::engine::general_purpose::STANDARD.encode(s.as_bytes());
        for form in [s, b64] {
            if !all.contains(&form) {
                all.push(form);
            }
        }
    }
}

/// stderr for log lines, with every registered secret scrubbed: libraries log what they
/// send (tungstenite traces whole upgrade requests, tokens included).
pub struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let clean = scrub_registered(&text);
        // A closed or full stderr loses the log, never the run: the formatter would
        // report a failed write on stderr itself, which panics when stderr is gone.
        let _ = std::io::stderr().write_all(clean.as_bytes());
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let _ = std::io::stderr().flush();
        Ok(())
    }
}

/// Replaces every occurrence of each secret in `text` by `***`. Used as a last line of
/// defence on text that came from elsewhere (server messages, error strings).
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 3) {
        if out.contains(s.as_str()) {
            out = out.replace(s.as_str(), "***");
        }
    }
    out
}

/// Does `value` hold a URL with a password (or one a snapshot already masked as `***`)?
pub fn has_url_password(value: &str) -> bool {
    scrub_urls(value) != value || (value.contains("://") && value.contains(":***@"))
}

/// What kind of secret an env var holds in plain text, if it does.
pub fn plaintext_secret(env_name: &str, value: &str) -> Option<&'static str> {
    if has_url_password(value) {
        return Some("URL with a password");
    }
    let n = env_name.to_ascii_uppercase();
    let secretish = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY"]
        .iter()
        .any(|s| n.ends_with(s) || n.contains(&format!("{s}_")));
    let reference =
        n.ends_with("_FILE") || n.ends_with("_PATH") || n.ends_with("_ENV") || value.starts_with('/') || value.starts_with("$(");
    (secretish && !reference && value.len() >= 4).then_some("secret value")
}

/// An env value with its secret masked: a URL keeps everything but its password, other
/// values become a fingerprint. Idempotent, so masking a snapshot's values again keeps them.
pub fn masked_value(value: &str) -> String {
    if value.contains("://") {
        scrub_urls(value)
    } else if value.starts_with("*** (sha256:") {
        value.to_string()
    } else {
        format!("*** (sha256:{})", fingerprint(value))
    }
}

/// A secret value. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret(sha256:{})", fingerprint(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_free_text_are_masked_and_where_they_live_is_not() {
        let cases = [
            ("ERR AUTH s3cretpw failed", "ERR AUTH *** failed"),
            (
                "Redis AUTH failed: WRONGPASS invalid password",
                "Redis AUTH failed: WRONGPASS invalid password",
            ),
            ("AUTH app s3cretpw", "AUTH *** ***"),
            ("redis: AUTH s3cretpw", "redis: AUTH ***"),
            (
                "ERR AUTH <password> called without any password configured",
                "ERR AUTH <password> called without any password configured",
            ),
            ("connecting with password=hunter2 user=app", "connecting with password=*** user=app"),
            ("PGPASSWORD=hunter2 psql", "PGPASSWORD=*** psql"),
            (r#"{"client_secret": "abc123", "id": 1}"#, r#"{"client_secret": "***", "id": 1}"#),
            ("2 |   token: eyJhbGciOi.x.y", "2 |   token: ***"),
            ("Authorization: Bearer eyJhbGciOi.x.y", "Authorization: Bearer ***"),
            ("GET /ws?access_token=abc&x=1", "GET /ws?access_token=***&x=1"),
            ("2 |   url: redis://:pw123@redis:6379", "2 |   url: redis://:***@redis:6379"),
            ("3 |   password_env: REDIS_PW", "3 |   password_env: REDIS_PW"),
            ("token_in: header", "token_in: header"),
            (
                "password authentication failed for user \"app\"",
                "password authentication failed for user \"app\"",
            ),
            ("the token expired: 12:00", "the token expired: 12:00"),
            ("check redis.auth failed", "check redis.auth failed"),
        ];
        for (text, want) in cases {
            assert_eq!(credentials(text), want, "{text}");
        }
    }

    #[test]
    fn jwts_basic_credentials_and_masked_auth_lines_in_free_text() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNpZw";
        for (text, want) in [
            (format!("rejected {jwt}."), "rejected ***.".to_string()),
            (format!("cookie sid={jwt}; x=1"), "cookie sid=***; x=1".to_string()),
            (
                "Authorization: Basic YXBwOnB3MTIz".to_string(),
                "Authorization: Basic ***".to_string(),
            ),
            ("redis: AUTH app ***".to_string(), "redis: AUTH app ***".to_string()),
            // Not a JWT: no payload and signature, or inside a longer word.
            ("eyJust a word".to_string(), "eyJust a word".to_string()),
            ("keyJa.eyJb.c".to_string(), "keyJa.eyJb.c".to_string()),
            ("Basic training".to_string(), "Basic training".to_string()),
        ] {
            assert_eq!(credentials(&text), want, "{text}");
        }
    }

    #[test]
    fn a_urls_secrets_are_its_password_and_secret_query_values_raw_and_decoded() {
        let s = url_secrets("wss://u:p%40ss@gw/ws?room=1&access_token=t%2Bk&api_key=k1&x-amz-signature=s1");
        for want in ["p%40ss", "p@ss", "t+k", "t%2Bk", "k1", "s1"] {
            assert!(s.contains(&want.to_string()), "{want} not in {s:?}");
        }
        assert!(!s.contains(&"1".to_string()) && !s.contains(&"u".to_string()), "{s:?}");
        assert!(url_secrets("redis://redis:6379").is_empty());
        assert!(url_secrets("not a url").is_empty());
    }

    #[test]
    fn secret_query_names_whole_and_as_endings() {
        for k in [
            "api_key",
            "apikey",
            "key",
            "sig",
            "jwt",
            "refresh_token",
            "client_secret",
            "X-Amz-Signature",
            "code",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in ["tokens", "passwordless", "monkey", "error_code", "sort_key", "room", "signed"] {
            assert!(!is_secret_key(k), "{k}");
        }
    }

    #[test]
    fn password_in_url_is_masked() {
        assert_eq!(url("redis://:s3cret@redis:6379/0"), "redis://:***@redis:6379/0");
        assert_eq!(
            url("postgres://app:p%40ss@db:5432/aiwfe?sslmode=require"),
            "postgres://app:***@db:5432/aiwfe?sslmode=require"
        );
        assert_eq!(url("redis://redis:6379"), "redis://redis:6379");
    }

    #[test]
    fn secret_query_parameters_are_masked() {
        let r = url("wss://gw/ws?access_token=eyJhbGciOi.x.y&room=1");
        assert!(!r.contains("eyJ"), "{r}");
        assert!(r.contains("room=1"));
    }

    #[test]
    fn malformed_url_still_hides_credentials() {
        assert_eq!(url("redis://user:pw@ho st:1"), "redis://***@ho st:1");
    }

    #[test]
    fn fingerprint_is_short_and_stable() {
        // SHA-256("secret") = 2bb80d53...
        assert_eq!(fingerprint("secret"), "2bb80d53");
        assert_ne!(fingerprint("secret"), fingerprint("secret2"));
    }

    #[test]
    fn urls_in_free_text_lose_their_passwords() {
        assert_eq!(
            scrub_urls("REDIS_URL=redis://:hunter2@redis:6379/0 ok"),
            "REDIS_URL=redis://:***@redis:6379/0 ok"
        );
        assert_eq!(
            scrub_urls("postgres://app:pw@db/x and http://h/p"),
            "postgres://app:***@db/x and http://h/p"
        );
        assert_eq!(scrub_urls("no urls here"), "no urls here");
    }

    #[test]
    fn scrub_replaces_every_occurrence() {
        let s = scrub("AUTH hunter2 failed for hunter2", &["hunter2".into()]);
        assert_eq!(s, "AUTH *** failed for ***");
    }

    #[test]
    fn masking_is_idempotent_so_a_replayed_snapshot_keeps_the_finding() {
        for v in ["redis://:hunter2@redis:6379/0", "hunter22"] {
            let once = masked_value(v);
            assert!(!once.contains("hunter2"), "{once}");
            assert_eq!(masked_value(&once), once);
            assert!(plaintext_secret("REDIS_PASSWORD_URL", &once).is_some() || plaintext_secret("REDIS_PASSWORD", &once).is_some());
        }
    }

    #[test]
    fn finds_passwords_but_not_references() {
        assert_eq!(
            plaintext_secret("REDIS_URL", "redis://:hunter2@redis:6379/0"),
            Some("URL with a password")
        );
        assert_eq!(
            plaintext_secret("DATABASE_URL", "postgres://app:pw@db/app"),
            Some("URL with a password")
        );
        assert_eq!(plaintext_secret("REDIS_PASSWORD", "hunter22"), Some("secret value"));
        assert_eq!(plaintext_secret("JWT_SECRET", "abcdef123"), Some("secret value"));
        assert_eq!(plaintext_secret("REDIS_URL", "redis://redis:6379/0"), None);
        assert_eq!(plaintext_secret("PASSWORD_FILE", "/run/secrets/pw"), None);
        assert_eq!(plaintext_secret("LOG_LEVEL", "debug"), None);
        assert_eq!(plaintext_secret("TOKEN_TTL_SECONDS", "300"), None);
    }
    #[test]
    fn every_secret_query_parameter_is_masked_whatever_its_case_and_others_stay() {
        for key in [
            "password",
            "passwd",
            "pass",
            "token",
            "secret",
            "access_token",
            "sslpassword",
            "Password",
            "TOKEN",
        ] {
            let r = url(&format!("postgres://db/app?{key}=Hunter-22&sslmode=require"));
            assert_eq!(r, format!("postgres://db/app?{key}=***&sslmode=require"), "{key}");
        }
        // Only whole names: a parameter that merely contains one is not a secret.
        assert_eq!(url("wss://gw/ws?passwordless=1&tokens=2"), "wss://gw/ws?passwordless=1&tokens=2");
        assert_eq!(url("redis://:pw@redis:6379?token=t"), "redis://:***@redis:6379?token=***");
    }

    #[test]
    fn a_malformed_url_without_userinfo_is_left_alone() {
        assert_eq!(url("redis://@ho st:1"), "redis://@ho st:1");
        assert_eq!(url("redis://x@ho st:1"), "redis://***@ho st:1");
        assert_eq!(url("no scheme user:pw@host"), "no scheme user:pw@host");
    }

    #[test]
    fn urls_end_at_whitespace_quotes_slashes_and_brackets() {
        assert_eq!(scrub_urls("\"redis://:pw@h\""), "\"redis://:***@h\"");
        assert_eq!(scrub_urls("'redis://:pw@h'"), "'redis://:***@h'");
        assert_eq!(scrub_urls("<redis://:pw@h>"), "<redis://:***@h>");
        assert_eq!(scrub_urls("redis://:pw@h/0 @x"), "redis://:***@h/0 @x");
        assert_eq!(scrub_urls("redis://:pw@h\tnext"), "redis://:***@h\tnext");
        // A user without a password keeps its name; the last `@` of the authority counts.
        assert_eq!(scrub_urls("redis://app@h"), "redis://app@h");
        assert_eq!(scrub_urls("redis://app:p@ss@h"), "redis://app:***@h");
    }

    #[test]
    fn short_strings_are_not_scrubbed_as_secrets() {
        assert_eq!(scrub("ab cd ab", &["ab".into()]), "ab cd ab");
        assert_eq!(scrub("abc cd abc", &["abc".into()]), "*** cd ***");
        assert_eq!(scrub("nothing here", &["abc".into()]), "nothing here");
    }

    #[test]
    fn masked_urls_and_plain_ones_are_told_apart() {
        assert!(has_url_password("redis://:***@redis:6379"));
        assert!(has_url_password("x redis://a:b@h y"));
        assert!(!has_url_password("redis://redis:6379"));
        assert!(!has_url_password("a :***@ without a scheme"));
    }

    #[test]
    fn secret_names_references_and_short_values() {
        assert_eq!(plaintext_secret("DB_PASSWORD_PLAIN", "hunter22"), Some("secret value"));
        assert_eq!(plaintext_secret("stripe_api_key", "sk_live1"), Some("secret value"));
        assert_eq!(plaintext_secret("SIGNING_PRIVATE_KEY", "abcd"), Some("secret value"));
        assert_eq!(plaintext_secret("REDIS_PASSWORD", "abc"), None, "three characters is no secret");
        assert_eq!(plaintext_secret("REDIS_PASSWORD", "abcd"), Some("secret value"));
        for (name, value) in [
            ("TOKEN_PATH", "tokens/t"),
            ("PASSWORD_ENV", "REDIS_PW"),
            ("PASSWORD_FILE", "pw.txt"),
            ("REDIS_PASSWORD", "/run/secrets/pw"),
            ("REDIS_PASSWORD", "$(REDIS_PW)"),
            ("PASSWORDS", "hunter22"),
        ] {
            assert_eq!(plaintext_secret(name, value), None, "{name}={value}");
        }
    }

    #[test]
    fn masked_values_carry_the_fingerprint_and_secrets_never_show() {
        assert_eq!(masked_value("secret"), "*** (sha256:2bb80d53)");
        assert_eq!(masked_value("redis://:pw@h"), "redis://:***@h");
        let s = Secret::new("Hunter-22");
        assert_eq!(s.expose(), "Hunter-22");
        assert_eq!(format!("{s:?}"), format!("Secret(sha256:{})", fingerprint("Hunter-22")));
    }

    #[test]
    fn log_secrets_are_registered_with_their_base64_form() {
        add_log_secrets(["Log-Secret-81".to_string()]);
        add_log_secrets(["Log-Secret-81".to_string()]);
        let all = LOG_SECRETS.read().unwrap().clone();
        assert_eq!(all.iter().filter(|s| *s == "Log-Secret-81").count(), 1);
        assert!(all.contains(&"TG9nLVNlY3JldC04MQ==".to_string()), "{all:?}");
    }
}
