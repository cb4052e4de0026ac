//! The human diff of a plan, like `kubectl diff`: a header per object, then a unified diff
//! (3 lines of context) of the YAML of the object before and after, without the fields
//! the server owns. Plain text: lines start with `-`, `+`, a space, or `@@` for a hunk;
//! colour is the renderer's business.

use super::secrets::Redactor;
use super::target::ObjectRef;
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

/// The object without what the server owns and a plan never writes: `metadata.managedFields`,
/// `metadata.resourceVersion`, `metadata.generation` and `status`.
pub fn strip(obj: &Value) -> Value {
    let mut out = obj.clone();
    if let Some(o) = out.as_object_mut() {
        o.remove("status");
        if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
            for k in ["managedFields", "resourceVersion", "generation"] {
                meta.remove(k);
            }
        }
    }
    out
}

/// The YAML rendering of an object (JSON if it has no YAML form).
pub fn yaml(obj: &Value) -> String {
    serde_saphyr::to_string(obj).unwrap_or_else(|_| serde_json::to_string_pretty(obj).unwrap_or_default() + "\n")
}

/// `deployment/reasoning-service (namespace aiwfe, resourceVersion 4012)`; a new object
/// says `new`.
pub fn header(target: &ObjectRef, resource_version: Option<&str>) -> String {
    match resource_version {
        Some(rv) => format!("{target} (namespace {}, resourceVersion {rv})", target.namespace),
        None => format!("{target} (namespace {}, new)", target.namespace),
    }
}

/// A unified diff with 3 lines of context: `@@ -a,b +c,d @@` hunk headers and lines
/// starting with `-`, `+` or a space. Empty when the texts are equal.
pub fn unified(before: &str, after: &str) -> String {
    let diff = TextDiff::from_lines(before, after);
    let mut out = String::new();
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&hunk.header().to_string());
        out.push('\n');
        for change in hunk.iter_changes() {
            out.push(match change.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            });
            out.push_str(change.value().trim_end_matches('\n'));
            out.push('\n');
        }
    }
    out
}

/// The header and diff of one object, redacted (`before` is `None` for a new object).
pub fn object_diff(
    target: &ObjectRef,
    resource_version: Option<&str>,
    before: Option<&Value>,
    after: &Value,
    redactor: &Redactor,
) -> String {
    let shown = |o: &Value| yaml(&strip(&redactor.object(o)));
    let before = before.map(shown).unwrap_or_default();
    let header = header(
        target,
        if before.is_empty() {
            None
        } else {
            Some(resource_version.unwrap_or("unknown"))
        },
    );
    format!("{header}\n{}", unified(&before, &shown(after)))
}

#[cfg(test)]
mod tests {
    use super::super::target::Kind;
    use super::*;
    use serde_json::json;

    #[test]
    fn strip_leaves_out_what_the_server_owns() {
        let o = json!({"metadata": {"name": "x", "resourceVersion": "1", "generation": 3, "managedFields": [{}], "uid": "u"},
                       "spec": {"replicas": 1}, "status": {"replicas": 1}});
        assert_eq!(strip(&o), json!({"metadata": {"name": "x", "uid": "u"}, "spec": {"replicas": 1}}));
    }

    #[test]
    fn unified_diff_has_three_lines_of_context() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let after = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(unified(before, after), "@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n");
        assert_eq!(unified(before, before), "");
    }

    #[test]
    fn object_diff_is_headed_and_redacted() {
        let r = ObjectRef::new(Kind::Secret, "aiwfe", "redis-auth");
        let before = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "redis-auth", "resourceVersion": "3981"}, "data": {"password": "b2xk"}});
        let mut after = before.clone();
        after["data"]["password"] = json!("bmV3");
        let d = object_diff(&r, Some("3981"), Some(&before), &after, &Redactor::new());
        let fp = |s: &str| crate::redact::fingerprint(s);
        assert_eq!(
            d,
            format!(
                "secret/redis-auth (namespace aiwfe, resourceVersion 3981)\n@@ -1,6 +1,6 @@\n apiVersion: v1\n data:\n-  password: \"*** (sha256:{})\"\n+  password: \"*** (sha256:{})\"\n kind: Secret\n metadata:\n   name: redis-auth\n",
                fp("old"),
                fp("new")
            )
        );
        let created = object_diff(&r, None, None, &json!({"kind": "X", "a": 1}), &Redactor::new());
        assert_eq!(
            created,
            "secret/redis-auth (namespace aiwfe, new)\n@@ -0,0 +1,2 @@\n+a: 1\n+kind: X\n"
        );
    }
}
