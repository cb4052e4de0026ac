//! Masking of secrets in everything a plan shows: diffs, redacted ops, `Serialize` and
//! `Debug` output, error messages.
//!
//! A secret shows as `*** (sha256:XXXXXXXX)`, the fingerprint being that of the plain
//! value, so the same secret reads the same wherever it appears and two secrets can be
//! told apart. Masked are: every secret parameter's value, its base64 form and its
//! percent-encoded form, wherever they occur inside a string; every value of a Secret's
//! `data`/`stringData`; and the password of any URL (`redis://:PASSWORD@host`).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;

/// Secret values shorter than this that were only *read* (from a Secret object) are masked
/// where they stand but not searched for in other text: short values such as a user name
/// or a port would otherwise mask unrelated text like a namespace.
const MIN_LEARNED_LEN: usize = 8;

/// The mask for a secret: `*** (sha256:XXXXXXXX)`.
pub fn mask(plain: &str) -> String {
    format!("*** (sha256:{})", crate::redact::fingerprint(plain))
}

/// Knows the run's secrets and masks them.
#[derive(Clone, Default)]
pub struct Redactor {
    /// (needle, mask), longest needle first so a longer form wins over a shorter one.
    needles: Vec<(String, String)>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Redactor({} needles)", self.needles.len())
    }
}

impl Redactor {
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Masks `plain` (and its base64 and percent-encoded forms) wherever it occurs.
    pub fn add_secret(&mut self, plain: &str) {
        if plain.is_empty() {
            return;
        }
        let m = mask(plain);
        let mut forms = vec![plain.to_string(), B64.encode(plain.as_bytes())];
        let encoded = percent_encode(plain);
        if encoded != plain {
            forms.push(encoded);
        }
        for form in forms {
            if !self.needles.iter().any(|(n, _)| *n == form) {
                self.needles.push((form, m.clone()));
            }
        }
        self.needles.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    }

    /// Learns a value read from a Secret object; only one of at least 8 characters is
    /// searched for in other text (see `MIN_LEARNED_LEN`).
    pub fn add_learned(&mut self, plain: &str) {
        if plain.chars().count() >= MIN_LEARNED_LEN {
            self.add_secret(plain);
        }
    }

    /// Learns every value of a Secret object's `data` (base64) and `stringData`.
    pub fn learn_secret_object(&mut self, obj: &Value) {
        if obj.get("kind").and_then(Value::as_str) != Some("Secret") {
            return;
        }
        for (field, encoded) in [("data", true), ("stringData", false)] {
            if let Some(map) = obj.get(field).and_then(Value::as_object) {
                for v in map.values().filter_map(Value::as_str) {
                    let plain = if encoded { decode_b64(v) } else { v.to_string() };
                    self.add_learned(&plain);
                }
            }
        }
    }

    /// Every form of every secret this redactor masks (value, base64, percent-encoded), for
    /// checks such as whether an object holds one before it is written to disk. Never for
    /// showing.
    pub fn secrets(&self) -> Vec<String> {
        self.needles.iter().map(|(n, _)| n.clone()).collect()
    }

    /// `s` with every known secret and every URL password masked.
    pub fn text(&self, s: &str) -> String {
        mask_url_passwords(&self.replace_needles(s))
    }

    fn replace_needles(&self, s: &str) -> String {
        if self.needles.is_empty() {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        'scan: while i < s.len() {
            for (needle, m) in &self.needles {
                if s[i..].starts_with(needle.as_str()) {
                    out.push_str(m);
                    i += needle.len();
                    continue 'scan;
                }
            }
            let ch = s[i..].chars().next().unwrap_or_default();
            out.push(ch);
            i += ch.len_utf8().max(1);
        }
        out
    }

    /// Every string (and map key) of `v` passed through [`Redactor::text`].
    pub fn value(&self, v: &Value) -> Value {
        match v {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(items) => Value::Array(items.iter().map(|i| self.value(i)).collect()),
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (self.text(k), self.value(v))).collect()),
            other => other.clone(),
        }
    }

    /// An object as it may be shown: [`Redactor::value`], and for a Secret every value of
    /// `data` and `stringData` replaced by its mask (of the decoded value, for `data`).
    pub fn object(&self, obj: &Value) -> Value {
        let mut out = self.value(obj);
        if obj.get("kind").and_then(Value::as_str) == Some("Secret") {
            for (field, encoded) in [("data", true), ("stringData", false)] {
                if let (Some(orig), Some(shown)) = (obj.get(field), out.get_mut(field)) {
                    *shown = mask_data(orig, encoded);
                }
            }
        }
        out
    }

    /// A JSON Patch (as JSON) as it may be shown: on a Secret, values written under
    /// `/data` or `/stringData` are masked whole; every other string through
    /// [`Redactor::text`].
    pub fn ops(&self, ops: &Value, on_secret: bool) -> Value {
        let Some(list) = ops.as_array() else { return self.value(ops) };
        Value::Array(
            list.iter()
                .map(|op| {
                    let mut shown = self.value(op);
                    let path = op.get("path").and_then(Value::as_str).unwrap_or_default();
                    if on_secret && let (Some(orig), Some(v)) = (op.get("value"), shown.get_mut("value")) {
                        if path == "/data" || path.starts_with("/data/") {
                            *v = mask_data_at(orig, true, path == "/data");
                        } else if path == "/stringData" || path.starts_with("/stringData/") {
                            *v = mask_data_at(orig, false, path == "/stringData");
                        }
                    }
                    shown
                })
                .collect(),
        )
    }
}

/// A whole `data` map (`whole`) or one of its values, masked.
fn mask_data_at(v: &Value, encoded: bool, whole: bool) -> Value {
    if whole { mask_data(v, encoded) } else { mask_one(v, encoded) }
}

fn mask_data(v: &Value, encoded: bool) -> Value {
    match v {
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), mask_one(v, encoded))).collect()),
        other => mask_one(other, encoded),
    }
}

fn mask_one(v: &Value, encoded: bool) -> Value {
    match v.as_str() {
        Some(s) => Value::String(mask(&if encoded { decode_b64(s) } else { s.to_string() })),
        None if v.is_null() => Value::Null,
        None => Value::String("***".to_string()),
    }
}

/// The text a Secret's base64 `data` value stands for (lossy for non-UTF-8 bytes; the
/// base64 text itself when it is not valid base64).
pub fn decode_b64(s: &str) -> String {
    match B64.decode(s.trim()) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => s.to_string(),
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (for URL userinfo).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (an invalid escape stays as written).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where the authority of a URL ends in `tail`, the text just after its `://`.
pub(crate) fn authority_end(tail: &str) -> usize {
    tail.find(|c: char| c.is_whitespace() || matches!(c, '/' | '?' | '#' | '"' | '\'' | '<' | '>'))
        .unwrap_or(tail.len())
}

/// Masks the password of every URL in `text`: `redis://:pw@redis:6379` →
/// `redis://:*** (sha256:…)@redis:6379`. A password already masked stays as it is.
fn mask_url_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let end = authority_end(tail);
        let authority = &tail[..end];
        match authority
            .rfind('@')
            .and_then(|at| authority[..at].find(':').map(|colon| (colon, at)))
        {
            Some((colon, at)) if at > colon + 1 && !authority[colon + 1..at].starts_with("***") => {
                let password = percent_decode(&authority[colon + 1..at]);
                out.push_str(&authority[..=colon]);
                out.push_str(&mask(&password));
                out.push_str(&authority[at..]);
            }
            _ => out.push_str(authority),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fp(s: &str) -> String {
        crate::redact::fingerprint(s)
    }

    #[test]
    fn masks_a_secret_its_base64_and_percent_encoded_forms_inside_text() {
        let mut r = Redactor::new();
        r.add_secret("p@ss/word");
        let shown = r.text("a p@ss/word b cEBzcy93b3Jk c p%40ss%2Fword");
        let mut forms = r.secrets();
        forms.sort();
        assert_eq!(forms, ["cEBzcy93b3Jk", "p%40ss%2Fword", "p@ss/word"]);
        let m = format!("*** (sha256:{})", fp("p@ss/word"));
        assert_eq!(shown, format!("a {m} b {m} c {m}"));
    }

    #[test]
    fn masks_url_passwords_it_was_not_told_about() {
        let r = Redactor::new();
        assert_eq!(
            r.text("REDIS_URL=redis://:Old-Pass-1@redis.aiwfe.svc:6379/0 ok"),
            format!("REDIS_URL=redis://:*** (sha256:{})@redis.aiwfe.svc:6379/0 ok", fp("Old-Pass-1"))
        );
        assert_eq!(r.text("redis://redis:6379/0"), "redis://redis:6379/0");
        assert_eq!(r.text("postgres://user@host/db"), "postgres://user@host/db");
    }

    #[test]
    fn a_known_secret_inside_a_url_is_masked_once() {
        let mut r = Redactor::new();
        r.add_secret("S3cret-Redis-Pass");
        let shown = r.text("redis://:S3cret-Redis-Pass@redis:6379/0");
        assert_eq!(shown, format!("redis://:*** (sha256:{})@redis:6379/0", fp("S3cret-Redis-Pass")));
    }

    #[test]
    fn secret_objects_show_fingerprints_of_their_decoded_values() {
        let r = Redactor::new();
        let secret = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
            "data": {"password": B64.encode("hunter2-hunter2")}, "stringData": {"user": "admin"}});
        let shown = r.object(&secret);
        assert_eq!(shown["data"]["password"], json!(mask("hunter2-hunter2")));
        assert_eq!(shown["stringData"]["user"], json!(mask("admin")));
        assert_eq!(shown["metadata"]["name"], json!("s"));
    }

    #[test]
    fn learned_short_values_are_not_searched_for_elsewhere() {
        let mut r = Redactor::new();
        r.learn_secret_object(&json!({"kind": "Secret", "data": {"user": B64.encode("aiwfe"), "pw": B64.encode("long-enough-pw")}}));
        assert_eq!(r.text("namespace aiwfe"), "namespace aiwfe");
        assert!(!r.text("x long-enough-pw").contains("long-enough-pw"));
    }

    #[test]
    fn secret_ops_mask_data_values_whole() {
        let r = Redactor::new();
        let ops = json!([{"op": "replace", "path": "/data/password", "value": B64.encode("new-password")},
                         {"op": "add", "path": "/data", "value": {"k": B64.encode("v")}}]);
        let shown = r.ops(&ops, true);
        assert_eq!(shown[0]["value"], json!(mask("new-password")));
        assert_eq!(shown[1]["value"]["k"], json!(mask("v")));
    }

    #[test]
    fn percent_coding_round_trips() {
        assert_eq!(percent_decode(&percent_encode("a b@c:d/é")), "a b@c:d/é");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
