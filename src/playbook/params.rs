//! Resolving parameters against a playbook's declarations: defaults, required, type
//! coercion, secrets registered with the redactor.

use super::error::{Error, backticked, closest};
use super::model::Playbook;
use super::secrets::{Redactor, mask};
use super::value::{ParamValue, coerce};
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// The resolved parameters of one run: every declared parameter that has a value, in
/// declaration order, with secret ones flagged. `Debug` masks secret values.
#[derive(Clone)]
pub struct Params {
    values: Vec<(String, ParamValue, bool)>,
    redactor: Arc<Redactor>,
}

impl Params {
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.values.iter().find(|(n, _, _)| n == name).map(|(_, v, _)| v)
    }

    pub fn is_secret(&self, name: &str) -> bool {
        self.values.iter().any(|(n, _, s)| n == name && *s)
    }

    /// (name, value, secret) in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue, bool)> {
        self.values.iter().map(|(n, v, s)| (n.as_str(), v, *s))
    }

    /// The redactor that masks every secret parameter's value.
    pub fn redactor(&self) -> &Arc<Redactor> {
        &self.redactor
    }

    /// The template variables the parameters give.
    pub(crate) fn context(&self) -> serde_json::Map<String, Value> {
        self.values.iter().map(|(n, v, _)| (n.clone(), v.to_json())).collect()
    }
}

/// Secret values as their masks; URL passwords in other values masked as well.
impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (name, value, secret) in &self.values {
            if *secret {
                let shown: Vec<String> = value.strings().iter().map(|s| mask(s)).collect();
                m.entry(name, &shown.join(", "));
            } else {
                // A URL with a password inside a plain parameter is masked too.
                m.entry(name, &self.redactor.value(&value.to_json()));
            }
        }
        m.finish()
    }
}

/// Resolves the given values (later ones win) against the declarations: each is read as
/// its declared type; a missing one takes its default; a required one without a value is
/// an error. A declared parameter that is neither given, defaulted nor required stays
/// unset, and a template that uses it fails naming it (`| default(...)` gives a fallback).
pub fn resolve_params(pb: &Playbook, given: Vec<(String, ParamValue)>) -> Result<Params, Error> {
    let declared = || backticked(pb.params.iter().map(|p| p.name.as_str()));
    let mut values: Vec<(String, ParamValue, bool)> = Vec::new();
    let mut redactor = Redactor::new();
    for (name, value) in &given {
        let Some(decl) = pb.param(name) else {
            let suggestion = closest(name, pb.params.iter().map(|p| p.name.as_str()))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            return Err(Error::UnknownParam {
                name: name.clone(),
                suggestion,
                declared: declared(),
            });
        };
        if decl.secret {
            // Masked before any error can show it.
            value.strings().iter().for_each(|s| redactor.add_secret(s));
        }
    }
    for decl in &pb.params {
        let value = match given.iter().rev().find(|(n, _)| *n == decl.name) {
            Some((_, v)) => Some(coerce(decl.ty, v).ok_or_else(|| Error::ParamType {
                name: decl.name.clone(),
                expected: decl.ty.describe().to_string(),
                got: if decl.secret {
                    "a value that is not".to_string()
                } else {
                    format!("`{}`", shown(v))
                },
                declared: declared(),
            })?),
            None => decl.default.clone(),
        };
        match value {
            Some(v) => values.push((decl.name.clone(), v, decl.secret)),
            None if decl.required => {
                return Err(Error::MissingParam {
                    name: decl.name.clone(),
                    declared: declared(),
                });
            }
            None => {}
        }
    }
    Ok(Params {
        values,
        redactor: Arc::new(redactor),
    })
}

fn shown(v: &ParamValue) -> String {
    match v {
        ParamValue::String(s) => s.clone(),
        other => other.to_json().to_string(),
    }
}
