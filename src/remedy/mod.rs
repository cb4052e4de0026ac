//! Parameter discovery for the fixes: pure functions that read a `ClusterState` and say what
//! a playbook should change (`redis_auth` for `aiwfe fix redis-auth`, `affinity` for `aiwfe
//! fix affinity`), or, typed, why there is nothing to fix as asked. No I/O, no secret values:
//! the state holds only fingerprints of Secrets, and URLs are kept with their password masked.

pub mod affinity;
pub mod redis_auth;

/// A playbook's parameters: name and value, in the order the playbook declares them.
pub type Params = Vec<(String, serde_json::Value)>;

/// Is namespace `ns` inside the scope (`None` = every namespace)?
fn in_scope(scope: Option<&str>, ns: &str) -> bool {
    scope.is_none_or(|s| s == ns)
}

/// `in namespace `x`` or `in any namespace`, for sentences about a scope.
fn scope_text(scope: Option<&str>) -> String {
    match scope {
        Some(ns) => format!("in namespace `{ns}`"),
        None => "in any namespace".into(),
    }
}

/// `` `a`, `b` ``
fn quoted_list<S: AsRef<str>>(items: &[S]) -> String {
    items.iter().map(|s| format!("`{}`", s.as_ref())).collect::<Vec<_>>().join(", ")
}

/// The one namespace `namespaces` holds, or every distinct one (sorted) when there are
/// several. `Ok(None)` when it is empty.
fn one_namespace<'a>(namespaces: impl IntoIterator<Item = &'a str>) -> Result<Option<String>, Vec<String>> {
    let set: std::collections::BTreeSet<&str> = namespaces.into_iter().collect();
    match set.len() {
        0 => Ok(None),
        1 => Ok(set.into_iter().next().map(str::to_string)),
        _ => Err(set.into_iter().map(str::to_string).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_and_namespaces() {
        assert!(in_scope(None, "a") && in_scope(Some("a"), "a") && !in_scope(Some("a"), "b"));
        assert_eq!(scope_text(Some("aiwfe")), "in namespace `aiwfe`");
        assert_eq!(scope_text(None), "in any namespace");
        assert_eq!(one_namespace(["a", "a"]), Ok(Some("a".into())));
        assert_eq!(one_namespace([]), Ok(None));
        assert_eq!(one_namespace(["b", "a", "b"]), Err(vec!["a".into(), "b".into()]));
        assert_eq!(quoted_list(&["a", "b"]), "`a`, `b`");
    }
}
