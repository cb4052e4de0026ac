//! The playbook schema, as it is read from YAML.
//!
//! Every field that a template may fill keeps the position it was written at, so that an
//! error found while rendering (an unknown variable, a bad target) can quote the file,
//! line and column just as a parse error does.
//!
//! A step is a mapping with the common keys `name`, `for_each`, `when` and exactly one
//! kind key (`restart: {...}`). It is read by a hand-written visitor rather than a
//! flattened or internally tagged serde enum: those buffer the input and lose every
//! location inside the step, whereas the visitor streams, so serde-saphyr's locations
//! survive down to the innermost field.

use super::error::Pos;
use super::template::is_template;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Unexpected, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

pub use super::value::{ParamType, ParamValue};

/// A parsed playbook, with the file it came from (for located errors while rendering).
#[derive(Debug, Clone)]
pub struct Playbook {
    pub name: String,
    pub description: Option<String>,
    pub params: Vec<ParamDecl>,
    pub steps: Vec<StepDecl>,
    pub(crate) file: String,
    pub(crate) text: Arc<str>,
}

impl Playbook {
    /// The file name the playbook was parsed from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The declared parameter named `name`.
    pub fn param(&self, name: &str) -> Option<&ParamDecl> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// One declared parameter. `ty` is the declared type, or the default's when no type is
/// declared, or `string`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamDecl {
    pub name: String,
    pub ty: ParamType,
    pub default: Option<ParamValue>,
    pub required: bool,
    /// A secret parameter's value is never shown: `***` and a fingerprint.
    pub secret: bool,
    pub description: Option<String>,
    pub pos: Pos,
}

/// A templated string field and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub pos: Pos,
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<String>::deserialize(d)?;
        Ok(Text {
            text: s.value,
            pos: Pos::from_location(s.referenced),
        })
    }
}

/// Any YAML value whose strings are templates (a merge patch, a JSON Patch value, verify
/// arguments, `for_each`), and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub value: Value,
    pub pos: Pos,
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<Value>::deserialize(d)?;
        Ok(Tree {
            value: s.value,
            pos: Pos::from_location(s.referenced),
        })
    }
}

/// A scalar type a field may hold literally (`weight: 50`) instead of as a template
/// (`weight: "{{ weight }}"`).
pub trait Literal: Sized + Clone + fmt::Debug + PartialEq {
    /// What the field takes, for error messages.
    const EXPECTING: &'static str;
    /// The literal a YAML scalar or a rendered value stands for, if it is one.
    fn from_json(v: &Value) -> Option<Self>;
}

impl Literal for i64 {
    const EXPECTING: &'static str = "an integer or a `{{ template }}`";
    fn from_json(v: &Value) -> Option<i64> {
        v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
    }
}

impl Literal for bool {
    const EXPECTING: &'static str = "`true`, `false` or a `{{ template }}`";
    fn from_json(v: &Value) -> Option<bool> {
        v.as_bool().or_else(|| match v.as_str().map(str::trim) {
            Some("true") => Some(true),
            Some("false") => Some(false),
            _ => None,
        })
    }
}

/// A typed scalar field: a literal of `T`, or a template rendered and then read as `T`.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<T> {
    Literal(T),
    Template(String),
}

/// A [`Scalar`] and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Typed<T> {
    pub value: Scalar<T>,
    pub pos: Pos,
}

pub type Int = Typed<i64>;
pub type Flag = Typed<bool>;

impl<'de, T: Literal> Deserialize<'de> for Scalar<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<T: Literal> V<T> {
            fn lit<E: de::Error>(v: Value, unexpected: Unexpected<'_>) -> Result<Scalar<T>, E> {
                T::from_json(&v)
                    .map(Scalar::Literal)
                    .ok_or_else(|| E::invalid_type(unexpected, &T::EXPECTING))
            }
        }
        impl<T: Literal> Visitor<'_> for V<T> {
            type Value = Scalar<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Scalar<T>, E> {
                Self::lit(Value::Bool(b), Unexpected::Bool(b))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Scalar<T>, E> {
                Self::lit(Value::from(n), Unexpected::Signed(n))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Scalar<T>, E> {
                Self::lit(Value::from(n), Unexpected::Unsigned(n))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Scalar<T>, E> {
                Err(E::invalid_type(Unexpected::Float(n), &T::EXPECTING))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Scalar<T>, E> {
                if is_template(s) {
                    Ok(Scalar::Template(s.to_string()))
                } else {
                    Self::lit(Value::from(s), Unexpected::Str(s))
                }
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

impl<'de, T: Literal> Deserialize<'de> for Typed<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<Scalar<T>>::deserialize(d)?;
        Ok(Typed {
            value: s.value,
            pos: Pos::from_location(s.referenced),
        })
    }
}

/// For fields where `null` differs from absent: absent is `None`, `null` is `Some(None)`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// One declared step: the common keys and its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct StepDecl {
    pub name: Option<Text>,
    /// A template giving a list (or a literal list): the step repeats with `item`.
    pub for_each: Option<Tree>,
    /// A template giving a boolean: false skips the step.
    pub when: Option<Flag>,
    pub action: ActionDecl,
    pub pos: Pos,
}

/// A step's kind and its own fields.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionDecl {
    Patch(PatchDecl),
    SetSecretKey(SetSecretKeyDecl),
    SetEnv(SetEnvDecl),
    RelaxAntiAffinity(RelaxAntiAffinityDecl),
    SetResources(SetResourcesDecl),
    EnsureHpa(EnsureHpaDecl),
    Restart(RestartDecl),
    WaitRollout(WaitRolloutDecl),
    Verify(VerifyDecl),
}

/// The step kinds, as written in a playbook.
pub const STEP_KINDS: [&str; 9] = [
    "patch",
    "set_secret_key",
    "set_env",
    "relax_anti_affinity",
    "set_resources",
    "ensure_hpa",
    "restart",
    "wait_rollout",
    "verify",
];

/// Every key a step mapping may hold: the common ones, then the kinds.
pub(crate) const STEP_KEYS: &[&str] = &[
    "name",
    "for_each",
    "when",
    "patch",
    "set_secret_key",
    "set_env",
    "relax_anti_affinity",
    "set_resources",
    "ensure_hpa",
    "restart",
    "wait_rollout",
    "verify",
];

/// Separates a custom parse message from its hint (split again when the error is built).
pub(crate) const HINT_SEP: char = '\u{1f}';

impl ActionDecl {
    pub fn kind(&self) -> &'static str {
        match self {
            ActionDecl::Patch(_) => "patch",
            ActionDecl::SetSecretKey(_) => "set_secret_key",
            ActionDecl::SetEnv(_) => "set_env",
            ActionDecl::RelaxAntiAffinity(_) => "relax_anti_affinity",
            ActionDecl::SetResources(_) => "set_resources",
            ActionDecl::EnsureHpa(_) => "ensure_hpa",
            ActionDecl::Restart(_) => "restart",
            ActionDecl::WaitRollout(_) => "wait_rollout",
            ActionDecl::Verify(_) => "verify",
        }
    }
}

impl<'de> Deserialize<'de> for StepDecl {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StepDecl;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a step mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<StepDecl, A::Error> {
                let (mut name, mut for_each, mut when, mut action) = (None, None, None, None::<ActionDecl>);
                while let Some(key) = m.next_key::<String>()? {
                    let next = match key.as_str() {
                        "name" => {
                            name = Some(m.next_value()?);
                            continue;
                        }
                        "for_each" => {
                            for_each = Some(m.next_value()?);
                            continue;
                        }
                        "when" => {
                            when = Some(m.next_value()?);
                            continue;
                        }
                        "patch" => ActionDecl::Patch(m.next_value()?),
                        "set_secret_key" => ActionDecl::SetSecretKey(m.next_value()?),
                        "set_env" => ActionDecl::SetEnv(m.next_value()?),
                        "relax_anti_affinity" => ActionDecl::RelaxAntiAffinity(m.next_value()?),
                        "set_resources" => ActionDecl::SetResources(m.next_value()?),
                        "ensure_hpa" => ActionDecl::EnsureHpa(m.next_value()?),
                        "restart" => ActionDecl::Restart(m.next_value()?),
                        "wait_rollout" => ActionDecl::WaitRollout(m.next_value()?),
                        "verify" => ActionDecl::Verify(m.next_value()?),
                        // `unknown_field` (not `custom`) so that the error points at the key.
                        other => return Err(de::Error::unknown_field(other, STEP_KEYS)),
                    };
                    if let Some(first) = &action {
                        return Err(de::Error::custom(format!(
                            "a step has two kinds, `{}` and `{}`{HINT_SEP}a step does one thing: split it into two steps",
                            first.kind(),
                            next.kind()
                        )));
                    }
                    action = Some(next);
                }
                let action = action.ok_or_else(|| {
                    de::Error::custom(format!(
                        "a step has no kind{HINT_SEP}give it one of {}",
                        super::error::backticked(STEP_KINDS.iter().copied())
                    ))
                })?;
                Ok(StepDecl {
                    name,
                    for_each,
                    when,
                    action,
                    pos: Pos::default(),
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// `patch`: a JSON merge patch (`merge:`) or a JSON Patch op list (`json:`) on any target.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchDecl {
    pub namespace: Text,
    pub target: Text,
    #[serde(default)]
    pub merge: Option<Tree>,
    #[serde(default)]
    pub json: Option<Vec<Spanned<JsonOpDecl>>>,
}

/// One RFC 6902 operation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonOpDecl {
    pub op: JsonOpKind,
    pub path: Text,
    #[serde(default, deserialize_with = "present")]
    pub value: Option<Tree>,
    #[serde(default)]
    pub from: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JsonOpKind {
    Add,
    Remove,
    Replace,
    Move,
    Copy,
    Test,
}

impl JsonOpKind {
    pub fn as_str(self) -> &'static str {
        match self {
            JsonOpKind::Add => "add",
            JsonOpKind::Remove => "remove",
            JsonOpKind::Replace => "replace",
            JsonOpKind::Move => "move",
            JsonOpKind::Copy => "copy",
            JsonOpKind::Test => "test",
        }
    }
}

/// `set_secret_key`: `data[key]` of Secret `secret` holds `value` (base64-encoded).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetSecretKeyDecl {
    pub namespace: Text,
    pub secret: Text,
    pub key: Text,
    pub value: Text,
}

/// `set_env`: one env var of a workload's containers, like `kubectl set env`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetEnvDecl {
    pub namespace: Text,
    pub target: Text,
    /// Absent (or rendering to ""): every container and init container, as kubectl does.
    #[serde(default)]
    pub container: Option<Text>,
    pub env: Text,
    #[serde(default)]
    pub value: Option<Text>,
    #[serde(default)]
    pub from_secret: Option<SecretKeyDecl>,
    #[serde(default)]
    pub remove: Option<Flag>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretKeyDecl {
    pub name: Text,
    pub key: Text,
}

/// `relax_anti_affinity`: required pod anti-affinity terms become preferred ones.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelaxAntiAffinityDecl {
    pub namespace: Text,
    pub target: Text,
    /// 1..=100; 100 when absent.
    #[serde(default)]
    pub weight: Option<Int>,
}

/// `set_resources`: requests and limits of a workload's containers.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetResourcesDecl {
    pub namespace: Text,
    pub target: Text,
    /// Absent (or rendering to ""): every container and init container, as kubectl does.
    #[serde(default)]
    pub container: Option<Text>,
    #[serde(default)]
    pub requests: Option<ResourcesDecl>,
    #[serde(default)]
    pub limits: Option<ResourcesDecl>,
}

/// `cpu`/`memory` quantities; `null` removes the key.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourcesDecl {
    #[serde(default, deserialize_with = "present")]
    pub cpu: Option<Option<Text>>,
    #[serde(default, deserialize_with = "present")]
    pub memory: Option<Option<Text>>,
}

/// `ensure_hpa`: an autoscaling/v2 HorizontalPodAutoscaler named like the workload.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnsureHpaDecl {
    pub namespace: Text,
    pub target: Text,
    pub min_replicas: Int,
    pub max_replicas: Int,
    /// Target average CPU utilization, percent of the pods' requests.
    pub cpu_utilization: Int,
}

/// `restart`: what `kubectl rollout restart` does.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestartDecl {
    pub namespace: Text,
    pub target: Text,
}

/// `wait_rollout`: no write; the applier waits for the rollout.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitRolloutDecl {
    pub namespace: Text,
    pub target: Text,
    /// `90s`, `5m`, `1h30m` or seconds; 5m when absent.
    #[serde(default)]
    pub timeout: Option<Text>,
}

/// `verify`: no write; the applier runs the probe with the arguments.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyDecl {
    pub probe: Text,
    #[serde(default)]
    pub args: Option<Tree>,
}

/// The file's top level, as read before the checks that need the whole playbook.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlaybook {
    pub name: Spanned<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub params: Vec<Spanned<RawParam>>,
    pub steps: Vec<Spanned<StepDecl>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawParam {
    pub name: Spanned<String>,
    #[serde(default, rename = "type")]
    pub ty: Option<ParamType>,
    #[serde(default)]
    pub default: Option<Spanned<Value>>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub secret: bool,
    #[serde(default)]
    pub description: Option<String>,
}

/// Every templated string of a step with the field it sits in and its position (for
/// syntax checks at parse time).
pub(crate) fn templates_of(step: &StepDecl) -> Vec<(&'static str, &str, Pos)> {
    fn t<'a>(field: &'static str, x: &'a Text) -> (&'static str, &'a str, Pos) {
        (field, x.text.as_str(), x.pos)
    }
    fn typed<'a, T>(field: &'static str, x: &'a Typed<T>) -> Option<(&'static str, &'a str, Pos)> {
        match &x.value {
            Scalar::Template(s) => Some((field, s.as_str(), x.pos)),
            Scalar::Literal(_) => None,
        }
    }
    let mut v = Vec::new();
    v.extend(step.name.as_ref().map(|n| t("name", n)));
    v.extend(step.when.as_ref().and_then(|w| typed("when", w)));
    match &step.action {
        ActionDecl::Patch(p) => {
            v.extend([t("namespace", &p.namespace), t("target", &p.target)]);
            for op in p.json.iter().flatten() {
                v.push(t("path", &op.value.path));
                v.extend(op.value.from.as_ref().map(|f| t("from", f)));
            }
        }
        ActionDecl::SetSecretKey(s) => {
            v.extend([
                t("namespace", &s.namespace),
                t("secret", &s.secret),
                t("key", &s.key),
                t("value", &s.value),
            ]);
        }
        ActionDecl::SetEnv(s) => {
            v.extend([t("namespace", &s.namespace), t("target", &s.target), t("env", &s.env)]);
            v.extend(s.container.as_ref().map(|c| t("container", c)));
            v.extend(s.value.as_ref().map(|c| t("value", c)));
            if let Some(f) = &s.from_secret {
                v.extend([t("from_secret.name", &f.name), t("from_secret.key", &f.key)]);
            }
            v.extend(s.remove.as_ref().and_then(|r| typed("remove", r)));
        }
        ActionDecl::RelaxAntiAffinity(s) => {
            v.extend([t("namespace", &s.namespace), t("target", &s.target)]);
            v.extend(s.weight.as_ref().and_then(|w| typed("weight", w)));
        }
        ActionDecl::SetResources(s) => {
            v.extend([t("namespace", &s.namespace), t("target", &s.target)]);
            v.extend(s.container.as_ref().map(|c| t("container", c)));
            for (field, r) in [("requests", &s.requests), ("limits", &s.limits)] {
                for q in r.iter().flat_map(|r| [&r.cpu, &r.memory]).flatten().flatten() {
                    v.push(t(field, q));
                }
            }
        }
        ActionDecl::EnsureHpa(s) => {
            v.extend([t("namespace", &s.namespace), t("target", &s.target)]);
            v.extend(typed("min_replicas", &s.min_replicas));
            v.extend(typed("max_replicas", &s.max_replicas));
            v.extend(typed("cpu_utilization", &s.cpu_utilization));
        }
        ActionDecl::Restart(s) => v.extend([t("namespace", &s.namespace), t("target", &s.target)]),
        ActionDecl::WaitRollout(s) => {
            v.extend([t("namespace", &s.namespace), t("target", &s.target)]);
            v.extend(s.timeout.as_ref().map(|x| t("timeout", x)));
        }
        ActionDecl::Verify(s) => v.push(t("probe", &s.probe)),
    }
    v
}

/// Every template-bearing tree of a step (`for_each`, merge patches, op values, verify args).
pub(crate) fn trees_of(step: &StepDecl) -> Vec<(&'static str, &Tree)> {
    let mut v: Vec<(&'static str, &Tree)> = step.for_each.iter().map(|t| ("for_each", t)).collect();
    match &step.action {
        ActionDecl::Patch(p) => {
            v.extend(p.merge.iter().map(|t| ("merge", t)));
            v.extend(
                p.json
                    .iter()
                    .flatten()
                    .filter_map(|op| op.value.value.as_ref())
                    .map(|t| ("value", t)),
            );
        }
        ActionDecl::Verify(s) => v.extend(s.args.iter().map(|t| ("args", t))),
        _ => {}
    }
    v
}
