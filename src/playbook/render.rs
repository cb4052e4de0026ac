//! Rendering one step declaration into a concrete [`StepAction`]: every field's template
//! rendered in the step's context, the results checked (targets, ranges, quantities,
//! durations), each error located at the field it came from.

use super::action::{EnvChange, PatchBody, StepAction};
use super::error::{Diagnostic, Error, Pos};
use super::model::{ActionDecl, Flag, Int, Literal, Playbook, Scalar, StepDecl, Text, Tree, Typed};
use super::secrets::Redactor;
use super::target::{Kind, ObjectRef};
use super::template::{self, RenderError};
use crate::cluster::quantity::Quantity;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How a declared step is named in messages: its name as written, or its kind.
pub(crate) fn label(decl: &StepDecl) -> String {
    decl.name
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_else(|| decl.action.kind().to_string())
}

pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// Renders one declaration in one context; every error it gives is located and redacted.
#[derive(Clone)]
pub(crate) struct Renderer<'a> {
    pub pb: &'a Playbook,
    pub redactor: &'a Arc<Redactor>,
    /// The declaration's number in the file, 1-based.
    pub step_no: usize,
    pub label: String,
    pub ctx: Value,
}

impl Renderer<'_> {
    pub(crate) fn fail(&self, field: &str, pos: Pos, e: RenderError) -> Error {
        let message = self
            .redactor
            .text(&format!("step {} `{}`: field `{field}`: {}", self.step_no, self.label, e.message));
        Error::Step(Box::new(Diagnostic::new(
            &self.pb.file,
            &self.pb.text,
            pos,
            message,
            self.redactor.text(&e.hint),
        )))
    }

    fn invalid(&self, field: &str, pos: Pos, message: String, hint: &str) -> Error {
        self.fail(field, pos, RenderError::new(message, hint))
    }

    fn text(&self, field: &str, t: &Text) -> Result<String, Error> {
        match template::render(&t.text, &self.ctx).map_err(|e| self.fail(field, t.pos, e))? {
            Value::String(s) => Ok(s),
            v @ (Value::Number(_) | Value::Bool(_)) => Ok(v.to_string()),
            other => Err(self.invalid(
                field,
                t.pos,
                format!("must be a string, got {}", type_name(&other)),
                "render a single value, e.g. `{{ item.target }}`",
            )),
        }
    }

    fn opt_text(&self, field: &str, t: &Option<Text>) -> Result<Option<String>, Error> {
        t.as_ref().map(|t| self.text(field, t)).transpose()
    }

    fn typed<T: Literal>(&self, field: &str, x: &Typed<T>) -> Result<T, Error> {
        match &x.value {
            Scalar::Literal(v) => Ok(v.clone()),
            Scalar::Template(t) => {
                let v = template::render(t, &self.ctx).map_err(|e| self.fail(field, x.pos, e))?;
                T::from_json(&v).ok_or_else(|| {
                    self.invalid(
                        field,
                        x.pos,
                        format!("must be {}, got {}", T::EXPECTING, type_name(&v)),
                        "the template must give a value of the field's type",
                    )
                })
            }
        }
    }

    fn int(&self, field: &str, x: &Int, range: std::ops::RangeInclusive<i64>) -> Result<i64, Error> {
        let n = self.typed(field, x)?;
        if range.contains(&n) {
            Ok(n)
        } else {
            Err(self.invalid(
                field,
                x.pos,
                format!("{n} is out of range {}..={}", range.start(), range.end()),
                "use a value in the range",
            ))
        }
    }

    fn flag(&self, field: &str, x: &Flag) -> Result<bool, Error> {
        self.typed(field, x)
    }

    pub(crate) fn tree(&self, field: &str, t: &Tree) -> Result<Value, Error> {
        template::render_tree(&t.value, &self.ctx).map_err(|e| self.fail(field, t.pos, e))
    }

    fn target(&self, namespace: &Text, target: &Text) -> Result<ObjectRef, Error> {
        let ns = self.text("namespace", namespace)?;
        let t = self.text("target", target)?;
        ObjectRef::parse(&t, &ns).map_err(|m| {
            let pos = if m.contains("namespace") && !m.starts_with("target") {
                namespace.pos
            } else {
                target.pos
            };
            self.invalid("target", pos, m, "targets are RESOURCE/NAME, e.g. `deployment/reasoning-service`")
        })
    }

    fn workload(&self, kind: &str, namespace: &Text, target: &Text) -> Result<ObjectRef, Error> {
        let r = self.target(namespace, target)?;
        if r.kind.is_workload() {
            Ok(r)
        } else {
            Err(self.invalid(
                "target",
                target.pos,
                format!("`{kind}` needs a workload, got `{r}`"),
                "target a deployment, statefulset or daemonset",
            ))
        }
    }

    /// An empty container name means every container.
    fn container(&self, c: &Option<Text>) -> Result<Option<String>, Error> {
        Ok(self.opt_text("container", c)?.filter(|c| !c.trim().is_empty()))
    }

    pub(crate) fn name(&self, decl: &StepDecl) -> Option<String> {
        let n = decl.name.as_ref()?;
        Some(self.text("name", n).unwrap_or_else(|_| n.text.clone()))
    }

    pub(crate) fn step(&self, decl: &StepDecl) -> Result<(String, StepAction), Error> {
        if let Some(when) = &decl.when
            && !self.flag("when", when)?
        {
            let name = self.name(decl).unwrap_or_else(|| decl.action.kind().to_string());
            return Ok((
                name,
                StepAction::Skipped {
                    kind: decl.action.kind(),
                    reason: "`when` is false".to_string(),
                },
            ));
        }
        let action = self.action(&decl.action)?;
        let name = match &decl.name {
            Some(n) => self.text("name", n)?,
            None => match action.target() {
                Some(t) => format!("{} {t}", action.kind()),
                None => action.kind().to_string(),
            },
        };
        Ok((name, action))
    }

    fn action(&self, decl: &ActionDecl) -> Result<StepAction, Error> {
        Ok(match decl {
            ActionDecl::Patch(p) => {
                let target = self.target(&p.namespace, &p.target)?;
                let patch = match (&p.merge, &p.json) {
                    (Some(m), _) => PatchBody::Merge(self.tree("merge", m)?),
                    (None, Some(ops)) => {
                        let mut list = Vec::new();
                        for op in ops {
                            let (o, pos) = (&op.value, Pos::from_location(op.referenced));
                            let mut v = Map::new();
                            v.insert("op".into(), Value::from(o.op.as_str()));
                            v.insert("path".into(), Value::from(self.text("path", &o.path)?));
                            if let Some(val) = &o.value {
                                v.insert("value".into(), self.tree("value", val)?);
                            }
                            if let Some(from) = &o.from {
                                v.insert("from".into(), Value::from(self.text("from", from)?));
                            }
                            let one: json_patch::PatchOperation = serde_json::from_value(Value::Object(v)).map_err(|e| {
                                self.invalid(
                                    "json",
                                    pos,
                                    format!("not a valid JSON Patch op: {e}"),
                                    "paths are JSON Pointers, e.g. `/spec/replicas`",
                                )
                            })?;
                            list.push(one);
                        }
                        PatchBody::Json(json_patch::Patch(list))
                    }
                    (None, None) => PatchBody::Json(json_patch::Patch(Vec::new())),
                };
                StepAction::Patch { target, patch }
            }
            ActionDecl::SetSecretKey(s) => {
                let ns = self.text("namespace", &s.namespace)?;
                let name = self.text("secret", &s.secret)?;
                let target = ObjectRef::parse(&format!("secret/{name}"), &ns)
                    .map_err(|m| self.invalid("secret", s.secret.pos, m, "name the Secret, e.g. `redis-auth`"))?;
                let key = self.text("key", &s.key)?;
                if !valid_secret_key(&key) {
                    return Err(self.invalid(
                        "key",
                        s.key.pos,
                        format!("`{key}` is not a valid Secret key"),
                        "keys are letters, digits, `-`, `_` and `.`",
                    ));
                }
                StepAction::SetSecretKey {
                    target,
                    key,
                    value: self.text("value", &s.value)?,
                }
            }
            ActionDecl::SetEnv(s) => {
                let target = self.workload("set_env", &s.namespace, &s.target)?;
                let env = self.text("env", &s.env)?;
                if env.is_empty() || env.contains('=') || env.chars().any(char::is_whitespace) {
                    return Err(self.invalid("env", s.env.pos, format!("`{env}` is not an env var name"), "e.g. `REDIS_URL`"));
                }
                let change = match (&s.value, &s.from_secret, &s.remove) {
                    (Some(v), _, _) => EnvChange::Value(self.text("value", v)?),
                    (None, Some(f), _) => EnvChange::FromSecret {
                        name: self.text("from_secret.name", &f.name)?,
                        key: self.text("from_secret.key", &f.key)?,
                    },
                    (None, None, Some(r)) => {
                        if !self.flag("remove", r)? {
                            return Err(self.invalid(
                                "remove",
                                r.pos,
                                "`remove` is false and there is no `value` or `from_secret`".into(),
                                "leave `remove` out, or make it true",
                            ));
                        }
                        EnvChange::Remove
                    }
                    (None, None, None) => EnvChange::Remove,
                };
                StepAction::SetEnv {
                    target,
                    container: self.container(&s.container)?,
                    env,
                    change,
                }
            }
            ActionDecl::RelaxAntiAffinity(s) => StepAction::RelaxAntiAffinity {
                target: self.workload("relax_anti_affinity", &s.namespace, &s.target)?,
                weight: s
                    .weight
                    .as_ref()
                    .map(|w| self.int("weight", w, 1..=100))
                    .transpose()?
                    .unwrap_or(100),
            },
            ActionDecl::SetResources(s) => {
                let target = self.workload("set_resources", &s.namespace, &s.target)?;
                let mut maps = [BTreeMap::new(), BTreeMap::new()];
                for (map, (field, decl)) in maps.iter_mut().zip([("requests", &s.requests), ("limits", &s.limits)]) {
                    let Some(decl) = decl else { continue };
                    for (key, q) in [("cpu", &decl.cpu), ("memory", &decl.memory)] {
                        match q {
                            None => {}
                            Some(None) => {
                                map.insert(key.to_string(), None);
                            }
                            // A template that gives null removes the key, as a literal null does.
                            Some(Some(t)) if template::render(&t.text, &self.ctx).is_ok_and(|v| v.is_null()) => {
                                map.insert(key.to_string(), None);
                            }
                            Some(Some(t)) => {
                                let v = self.text(field, t)?;
                                if Quantity::parse(&v).is_none() {
                                    return Err(self.invalid(
                                        field,
                                        t.pos,
                                        format!("`{v}` is not a quantity for `{key}`"),
                                        "e.g. `500m`, `1`, `256Mi`, `2Gi`",
                                    ));
                                }
                                map.insert(key.to_string(), Some(v.trim().to_string()));
                            }
                        }
                    }
                }
                let [requests, limits] = maps;
                StepAction::SetResources {
                    target,
                    container: self.container(&s.container)?,
                    requests,
                    limits,
                }
            }
            ActionDecl::EnsureHpa(s) => {
                let workload = self.workload("ensure_hpa", &s.namespace, &s.target)?;
                let min_replicas = self.int("min_replicas", &s.min_replicas, 1..=10_000)?;
                let max_replicas = self.int("max_replicas", &s.max_replicas, 1..=10_000)?;
                if max_replicas < min_replicas {
                    return Err(self.invalid(
                        "max_replicas",
                        s.max_replicas.pos,
                        format!("{max_replicas} is below `min_replicas` {min_replicas}"),
                        "max_replicas must be at least min_replicas",
                    ));
                }
                let cpu_utilization = self.int("cpu_utilization", &s.cpu_utilization, 1..=1000)?;
                StepAction::EnsureHpa {
                    target: workload.with_kind(Kind::HorizontalPodAutoscaler),
                    workload,
                    min_replicas,
                    max_replicas,
                    cpu_utilization,
                }
            }
            ActionDecl::Restart(s) => StepAction::Restart {
                target: self.workload("restart", &s.namespace, &s.target)?,
                at: self.ctx.get("now").and_then(Value::as_str).unwrap_or_default().to_string(),
            },
            ActionDecl::WaitRollout(s) => {
                let target = self.workload("wait_rollout", &s.namespace, &s.target)?;
                let timeout_seconds = match &s.timeout {
                    None => 300,
                    Some(t) => {
                        let text = self.text("timeout", t)?;
                        parse_duration(&text).ok_or_else(|| {
                            self.invalid(
                                "timeout",
                                t.pos,
                                format!("`{text}` is not a duration"),
                                "e.g. `90s`, `5m`, `1h30m`, or seconds",
                            )
                        })?
                    }
                };
                StepAction::WaitRollout { target, timeout_seconds }
            }
            ActionDecl::Verify(v) => {
                let args = match &v.args {
                    None => Map::new(),
                    Some(a) => match self.tree("args", a)? {
                        Value::Object(m) => m,
                        other => {
                            return Err(self.invalid(
                                "args",
                                a.pos,
                                format!("must be a mapping, got {}", type_name(&other)),
                                "e.g. `args: {namespace: aiwfe}`",
                            ));
                        }
                    },
                };
                StepAction::Verify {
                    probe: self.text("probe", &v.probe)?,
                    args,
                }
            }
        })
    }
}

fn valid_secret_key(k: &str) -> bool {
    !k.is_empty() && k.len() <= 253 && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `90s`, `5m`, `1h30m`, `300` (seconds) → seconds; `None` if malformed or zero.
pub(crate) fn parse_duration(s: &str) -> Option<u64> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u64>() {
        return (n > 0).then_some(n);
    }
    let (mut total, mut number) = (0u64, String::new());
    for c in s.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        let n: u64 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        number.clear();
    }
    (number.is_empty() && total > 0).then_some(total)
}
