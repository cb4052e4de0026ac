//! Parameter values and their types, `--set NAME=VALUE` parsing and type coercion.

use super::error::Error;
use serde::Deserialize;
use serde_json::Value;
use std::fmt;

/// The type a parameter declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    #[default]
    String,
    Int,
    Bool,
    List,
}

impl ParamType {
    /// `a string`, `an int`, ... (for messages).
    pub fn describe(self) -> &'static str {
        match self {
            ParamType::String => "a string",
            ParamType::Int => "an int",
            ParamType::Bool => "a bool (`true` or `false`)",
            ParamType::List => "a list (comma-separated or `[a, b]`)",
        }
    }

    /// The type a YAML default suggests when no type is declared.
    pub(crate) fn of_default(v: &Value) -> ParamType {
        match v {
            Value::Array(_) => ParamType::List,
            Value::Bool(_) => ParamType::Bool,
            Value::Number(n) if n.is_i64() => ParamType::Int,
            _ => ParamType::String,
        }
    }
}

/// A parameter's value. List elements may be any plain data (strings, or mappings such as
/// `{target, container, env, url}`).
#[derive(Clone, PartialEq)]
pub enum ParamValue {
    String(String),
    Int(i64),
    Bool(bool),
    List(Vec<Value>),
}

impl ParamValue {
    pub fn to_json(&self) -> Value {
        match self {
            ParamValue::String(s) => Value::String(s.clone()),
            ParamValue::Int(i) => Value::from(*i),
            ParamValue::Bool(b) => Value::Bool(*b),
            ParamValue::List(l) => Value::Array(l.clone()),
        }
    }

    /// A JSON value as a parameter value: strings, integers, booleans and arrays as such;
    /// anything else as its JSON text. [`resolve_params`] then reads it as the declared type.
    pub fn from_json(v: &Value) -> ParamValue {
        match v {
            Value::String(s) => ParamValue::String(s.clone()),
            Value::Bool(b) => ParamValue::Bool(*b),
            Value::Number(n) => n.as_i64().map_or_else(|| ParamValue::String(n.to_string()), ParamValue::Int),
            Value::Array(a) => ParamValue::List(a.clone()),
            Value::Null => ParamValue::String(String::new()),
            Value::Object(_) => ParamValue::String(v.to_string()),
        }
    }

    /// Every string this value holds (the secrets a secret parameter brings).
    pub(super) fn strings(&self) -> Vec<String> {
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::String(s) => out.push(s.clone()),
                Value::Number(n) => out.push(n.to_string()),
                Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                Value::Object(m) => m.values().for_each(|x| walk(x, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.to_json(), &mut out);
        out
    }
}

impl fmt::Debug for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

/// Reads a value as the declared type: a string becomes an int, a bool, or a list (YAML
/// flow `[a, b]`, else comma-separated; empty gives `[]`). `None`: not of that type.
pub(crate) fn coerce(ty: ParamType, v: &ParamValue) -> Option<ParamValue> {
    match (ty, v) {
        (ParamType::String, ParamValue::String(_)) => Some(v.clone()),
        (ParamType::String, ParamValue::Int(i)) => Some(ParamValue::String(i.to_string())),
        (ParamType::String, ParamValue::Bool(b)) => Some(ParamValue::String(b.to_string())),
        (ParamType::Int, ParamValue::Int(_)) | (ParamType::Bool, ParamValue::Bool(_)) | (ParamType::List, ParamValue::List(_)) => {
            Some(v.clone())
        }
        (ParamType::Int, ParamValue::String(s)) => s.trim().parse().ok().map(ParamValue::Int),
        (ParamType::Bool, ParamValue::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(ParamValue::Bool(true)),
            "false" => Some(ParamValue::Bool(false)),
            _ => None,
        },
        (ParamType::List, ParamValue::String(s)) => {
            let t = s.trim();
            if t.starts_with('[') {
                serde_saphyr::from_str::<Vec<Value>>(t).ok().map(ParamValue::List)
            } else {
                Some(ParamValue::List(
                    t.split(',').map(str::trim).filter(|x| !x.is_empty()).map(Value::from).collect(),
                ))
            }
        }
        _ => None,
    }
}

/// A YAML or JSON value as a parameter value, read as the declared type.
pub(crate) fn coerce_json(ty: ParamType, v: &Value) -> Option<ParamValue> {
    if v.is_null() || v.is_object() {
        return None;
    }
    coerce(ty, &ParamValue::from_json(v))
}

/// Splits `NAME=VALUE` (one `--set`). The value stays a string; [`resolve_params`] reads it
/// as the declared type, so `consumers=a,b` and `consumers=[a, b]` both give a list.
pub fn parse_set(arg: &str) -> Result<(String, ParamValue), Error> {
    let Some((name, value)) = arg.split_once('=') else {
        // No `=`: the argument may be a bare secret, so it is not echoed.
        return Err(Error::SetSyntax {
            problem: "got an argument without `=`".to_string(),
        });
    };
    let name = name.trim();
    if !is_identifier(name) {
        return Err(Error::SetSyntax {
            problem: format!("`{name}` is not a parameter name (letters, digits, `_`)"),
        });
    }
    Ok((name.to_string(), ParamValue::String(value.to_string())))
}

pub(crate) fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
