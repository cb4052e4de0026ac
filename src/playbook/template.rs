//! Templating with minijinja, under two rules:
//!
//! * Undefined is strict: using a variable (or attribute) that does not exist is an error
//!   that names it.
//! * A string that is exactly one `{{ expr }}` keeps the expression's type (a list stays a
//!   list, a number a number, a boolean a boolean); any other string renders to a string.
//!
//! Filters beyond minijinja's built-ins: `with_password(url, password)` (the URL with the
//! password of its userinfo replaced, percent-encoded) and `b64encode`.

use super::secrets::{authority_end, percent_encode};
use base64::Engine as _;
use minijinja::{Environment, UndefinedBehavior};
use serde_json::Value;

/// Why a template could not be rendered: a lowercase message and a one-line hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub message: String,
    pub hint: String,
}

impl RenderError {
    pub(crate) fn new(message: impl Into<String>, hint: impl Into<String>) -> RenderError {
        RenderError {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Whether `s` holds template syntax at all.
pub fn is_template(s: &str) -> bool {
    s.contains("{{") || s.contains("{%") || s.contains("{#")
}

/// The expression of a string that is exactly one `{{ expr }}` (surrounding whitespace
/// allowed, as are the `-` whitespace-control markers).
pub fn single_expression(s: &str) -> Option<&str> {
    let t = s.trim();
    let inner = t.strip_prefix("{{")?.strip_suffix("}}")?;
    let inner = inner.strip_prefix(['-', '+']).unwrap_or(inner);
    let inner = inner.strip_suffix('-').unwrap_or(inner);
    if inner.contains("{{") || inner.contains("}}") || inner.trim().is_empty() {
        return None;
    }
    Some(inner.trim())
}

fn environment<'s>() -> Environment<'s> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_filter("with_password", with_password);
    env.add_filter("b64encode", |s: String| {
        base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
    });
    env
}

/// Checks the syntax of a template string without rendering it.
pub fn check(text: &str) -> Result<(), RenderError> {
    if !is_template(text) {
        return Ok(());
    }
    let env = environment();
    let result = match single_expression(text) {
        Some(expr) => env.compile_expression(expr).map(|_| ()),
        None => env.template_from_str(text).map(|_| ()),
    };
    result.map_err(|e| describe(&e, text, &Value::Null))
}

/// Renders one string under the typed rule (see the module documentation).
pub fn render(text: &str, ctx: &Value) -> Result<Value, RenderError> {
    if !is_template(text) {
        return Ok(Value::String(text.to_string()));
    }
    let env = environment();
    let mctx = minijinja::Value::from_serialize(ctx);
    match single_expression(text) {
        Some(expr) => {
            let compiled = env.compile_expression(expr).map_err(|e| describe(&e, text, ctx))?;
            let v = compiled.eval(&mctx).map_err(|e| describe(&e, text, ctx))?;
            if v.is_undefined() {
                return Err(undefined(&env, text, ctx));
            }
            serde_json::to_value(&v).map_err(|e| RenderError::new(format!("`{text}` gave a value that is not plain data: {e}"), ""))
        }
        None => env.render_str(text, &mctx).map(Value::String).map_err(|e| describe(&e, text, ctx)),
    }
}

/// Renders every string in `v` (map keys stay as written) under the typed rule.
pub fn render_tree(v: &Value, ctx: &Value) -> Result<Value, RenderError> {
    Ok(match v {
        Value::String(s) => render(s, ctx)?,
        Value::Array(items) => Value::Array(items.iter().map(|i| render_tree(i, ctx)).collect::<Result<_, _>>()?),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), render_tree(v, ctx)?)))
                .collect::<Result<_, RenderError>>()?,
        ),
        other => other.clone(),
    })
}

fn describe(e: &minijinja::Error, text: &str, ctx: &Value) -> RenderError {
    match e.kind() {
        minijinja::ErrorKind::UndefinedError => undefined(&environment(), text, ctx),
        minijinja::ErrorKind::SyntaxError => RenderError::new(
            format!("template syntax error in `{text}`: {}", e.detail().unwrap_or("invalid syntax")),
            "templates use minijinja syntax: `{{ name }}`, `{{ item.target }}`, `{{ list | join(',') }}`",
        ),
        kind => RenderError::new(
            format!(
                "template `{text}` failed: {}",
                e.detail().map(str::to_string).unwrap_or_else(|| kind.to_string())
            ),
            "check the filters and operators the template uses",
        ),
    }
}

/// Names what is undefined in `text`: an unknown variable, or a missing attribute path.
fn undefined(env: &Environment<'_>, text: &str, ctx: &Value) -> RenderError {
    let known: Vec<&str> = ctx.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
    let mut paths: Vec<String> = match single_expression(text) {
        Some(expr) => env
            .compile_expression(expr)
            .map(|e| e.undeclared_variables(true).into_iter().collect())
            .unwrap_or_default(),
        None => env
            .template_from_str(text)
            .map(|t| t.undeclared_variables(true).into_iter().collect())
            .unwrap_or_default(),
    };
    paths.sort();
    for path in &paths {
        let root = path.split('.').next().unwrap_or(path);
        if !known.contains(&root) {
            let hint = match super::error::closest(root, known.iter().copied()) {
                Some(near) => format!(
                    "did you mean `{near}`? variables here: {}",
                    super::error::backticked(known.iter().copied())
                ),
                None => format!("variables here: {}", super::error::backticked(known.iter().copied())),
            };
            return RenderError::new(format!("unknown variable `{root}` in `{text}`"), hint);
        }
    }
    let mctx = minijinja::Value::from_serialize(ctx);
    for path in paths.iter().filter(|p| p.contains('.')) {
        let missing = env
            .compile_expression(path)
            .ok()
            .and_then(|e| e.eval(&mctx).ok())
            .is_none_or(|v| v.is_undefined());
        if missing {
            return RenderError::new(
                format!("`{path}` is undefined in `{text}`"),
                "the value has no such attribute; `| default(...)` gives a fallback",
            );
        }
    }
    RenderError::new(
        format!("undefined value in `{text}`"),
        "every variable and attribute a template uses must exist",
    )
}

/// `redis://:old@redis:6379/0 | with_password("new")` → `redis://:new@redis:6379/0`; a URL
/// without userinfo gains `:new@`; the user name stays.
fn with_password(url: String, password: String) -> Result<String, minijinja::Error> {
    let Some(i) = url.find("://") else {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            "`with_password` needs a URL with `://`",
        ));
    };
    let (head, tail) = url.split_at(i + 3);
    let end = authority_end(tail);
    let (authority, rest) = tail.split_at(end);
    let (user, host) = match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            (userinfo.split_once(':').map_or(userinfo, |(u, _)| u), &authority[at + 1..])
        }
        None => ("", authority),
    };
    Ok(format!("{head}{user}:{}@{host}{rest}", percent_encode(&password)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctx() -> Value {
        json!({"namespace": "aiwfe", "consumers": ["deployment/a", "deployment/b"], "weight": 100,
               "move_inline": false, "item": {"target": "deployment/api-gateway"}, "now": "2025-08-13T15:00:00Z"})
    }

    #[test]
    fn a_single_expression_keeps_its_type() {
        assert_eq!(render("{{ consumers }}", &ctx()).unwrap(), json!(["deployment/a", "deployment/b"]));
        assert_eq!(render("{{ weight }}", &ctx()).unwrap(), json!(100));
        assert_eq!(render(" {{- move_inline -}} ", &ctx()).unwrap(), json!(false));
        assert_eq!(render("{{ not move_inline }}", &ctx()).unwrap(), json!(true));
        assert_eq!(render("{{ consumers | length }}", &ctx()).unwrap(), json!(2));
        assert_eq!(render("{{ item }}", &ctx()).unwrap(), json!({"target": "deployment/api-gateway"}));
    }

    #[test]
    fn anything_else_renders_to_a_string() {
        assert_eq!(render("w={{ weight }}", &ctx()).unwrap(), json!("w=100"));
        assert_eq!(render("{{ namespace }}-{{ weight }}", &ctx()).unwrap(), json!("aiwfe-100"));
        assert_eq!(
            render("{{ consumers | join(',') }}", &ctx()).unwrap(),
            json!("deployment/a,deployment/b")
        );
        assert_eq!(render("plain", &ctx()).unwrap(), json!("plain"));
    }

    #[test]
    fn undefined_is_an_error_that_names_the_variable() {
        let e = render("{{ consumer }}", &ctx()).unwrap_err();
        assert_eq!(e.message, "unknown variable `consumer` in `{{ consumer }}`");
        assert!(e.hint.contains("did you mean `consumers`?"), "{}", e.hint);
        let e = render("restart {{ consumer }}", &ctx()).unwrap_err();
        assert!(e.message.contains("unknown variable `consumer`"), "{}", e.message);
        let e = render("{{ item.url }}", &ctx()).unwrap_err();
        assert_eq!(e.message, "`item.url` is undefined in `{{ item.url }}`");
        let e = render("x {{ item.url }}", &ctx()).unwrap_err();
        assert!(e.message.contains("`item.url` is undefined"), "{}", e.message);
        assert_eq!(render("{{ item.url | default('none') }}", &ctx()).unwrap(), json!("none"));
    }

    #[test]
    fn syntax_errors_are_reported_by_check() {
        assert!(check("{{ namespace }").is_err());
        assert!(check("{% if x %}").unwrap_err().message.contains("syntax error"));
        assert!(check("{{ a | join(',') }} and {{ b }}").is_ok());
    }

    #[test]
    fn with_password_replaces_only_the_password() {
        let f = |u: &str, p: &str| with_password(u.to_string(), p.to_string()).unwrap();
        assert_eq!(
            f("redis://:old@redis.aiwfe.svc:6379/0", "new"),
            "redis://:new@redis.aiwfe.svc:6379/0"
        );
        assert_eq!(
            f("redis://default:old@redis:6379", "n@w:/"),
            "redis://default:n%40w%3A%2F@redis:6379"
        );
        assert_eq!(f("redis://redis:6379/1", "new"), "redis://:new@redis:6379/1");
        assert!(with_password("redis:6379".into(), "x".into()).is_err());
        let c = json!({"item": {"url": "redis://:old@h:1/0"}, "password": "pw"});
        assert_eq!(
            render("{{ item.url | with_password(password) }}", &c).unwrap(),
            json!("redis://:pw@h:1/0")
        );
    }

    #[test]
    fn render_tree_renders_nested_strings() {
        let v = json!({"spec": {"replicas": "{{ weight }}", "list": ["{{ namespace }}", 3]}});
        assert_eq!(
            render_tree(&v, &ctx()).unwrap(),
            json!({"spec": {"replicas": 100, "list": ["aiwfe", 3]}})
        );
    }
}
