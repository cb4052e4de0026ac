//! Playbooks: the YAML files behind `aiwfe fix`, `aiwfe tune` and `aiwfe playbook run`,
//! and the pure half of running one: parsing, parameters, templating, planning.
//!
//! ```text
//! let pb = playbook::parse("redis-auth.yaml", text)?;             // located errors
//! let params = playbook::resolve_params(&pb, sets)?;              // `--set k=v` via parse_set
//! let steps = playbook::expand(&pb, &params, &now_rfc3339)?;      // for_each / when / templates
//! let wanted = playbook::targets(&steps);                         // fetch these objects
//! let plan = playbook::plan(&pb.name, &steps, &objects, &params)?;
//! print!("{}", plan.diff());                                      // redacted, like kubectl diff
//! for step in plan.writes() { /* Change::patch_to_apply(), with_precondition(...) */ }
//! ```
//!
//! # Schema
//!
//! ```yaml
//! name: redis-auth                  # required
//! description: one line             # optional
//! params:
//!   - name: namespace               # letters, digits, `_`; `item` and `now` are reserved
//!     type: string                  # string | int | bool | list; else the default's type, else string
//!     required: true                # no default then
//!     secret: false                 # true: shown only as `*** (sha256:XXXXXXXX)`; no default allowed
//!     default: aiwfe
//!     description: free text
//! steps:
//!   - name: restart {{ item }}      # optional, templated; else "KIND TARGET"
//!     for_each: "{{ consumers }}"   # optional: a list (template or literal); repeats with `item`
//!     when: "{{ not dry }}"         # optional: a boolean (template or literal); false skips
//!     restart: {...}                # exactly one kind, with its own fields
//! ```
//!
//! Targets are `RESOURCE/NAME` with `namespace` beside them: `deployment/`, `statefulset/`,
//! `daemonset/` (kubectl's short and plural forms too), `secret/`, `hpa/` or
//! `horizontalpodautoscaler/`. The step kinds, one example each:
//!
//! ```yaml
//! - patch: {namespace: aiwfe, target: deployment/api, merge: {spec: {replicas: 3}}}
//! - patch: {namespace: aiwfe, target: deployment/api, json: [{op: replace, path: /spec/replicas, value: 3}]}
//! - set_secret_key: {namespace: aiwfe, secret: redis-auth, key: password, value: "{{ password }}"}
//! - set_env: {namespace: aiwfe, target: deployment/api, container: api, env: LOG_LEVEL, value: INFO}
//! - set_env: {namespace: aiwfe, target: deployment/api, env: REDIS_PASSWORD, from_secret: {name: redis-auth, key: password}}
//! - set_env: {namespace: aiwfe, target: deployment/api, env: DEBUG, remove: true}
//! - relax_anti_affinity: {namespace: aiwfe, target: deployment/integration-service, weight: 100}
//! - set_resources: {namespace: aiwfe, target: deployment/api, container: api, requests: {cpu: 250m, memory: 512Mi}, limits: {cpu: null}}
//! - ensure_hpa: {namespace: aiwfe, target: deployment/api, min_replicas: 2, max_replicas: 6, cpu_utilization: 70}
//! - restart: {namespace: aiwfe, target: deployment/api}
//! - wait_rollout: {namespace: aiwfe, target: deployment/api, timeout: 5m}
//! - verify: {probe: redis, args: {namespace: aiwfe}}
//! ```
//!
//! `container` left out (or rendering to "") means every container and init container, as
//! kubectl's default. In `set_resources`, `null` removes a key.
//!
//! # Templates
//!
//! minijinja, strict: an unknown variable or attribute is an error that names it. The
//! variables are the parameters, `now` (the run's time, RFC 3339) and, under `for_each`,
//! `item`. A string that is exactly one `{{ expr }}` keeps the expression's type (a list
//! stays a list); any other string renders to a string. Only string values are rendered.
//! Extra filters: `with_password(url, password)`, `b64encode`.
//!
//! # Secrets
//!
//! Every output (diffs, `Serialize` and `Debug` of plans and steps, errors) shows secret
//! parameter values, their base64 and percent-encoded forms, Secret data and URL passwords
//! only as `*** (sha256:XXXXXXXX)`. The real patch is reachable only through
//! [`Change::patch_to_apply`].

mod action;
pub mod apply;
mod diff;
mod edit;
mod error;
pub mod journal;
mod model;
mod params;
mod parse;
mod plan;
mod render;
mod secrets;
mod steps;
mod target;
mod template;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod testutil;
mod value;

pub use action::{EnvChange, PatchBody, StepAction};
pub use diff::{header, strip, unified};
pub use edit::RESTARTED_AT;
pub use error::{Diagnostic, Error, Pos};
pub use model::*;
pub use params::{Params, resolve_params};
pub use parse::parse;
pub use plan::{Action, Change, Create, NoChange, Objects, Plan, PlannedStep, Verify, Wait, index_objects, plan, with_precondition};
pub use secrets::{Redactor, mask};
pub use steps::{Step, expand, targets};
pub use target::{Kind, ObjectRef};
pub use value::{ParamType, ParamValue, parse_set};

/// The playbooks shipped with aiwfe, by name: (name, YAML text).
pub const BUILTIN: [(&str, &str); 4] = [
    ("redis-auth", include_str!("../../playbooks/redis-auth.yaml")),
    ("affinity", include_str!("../../playbooks/affinity.yaml")),
    ("hpa", include_str!("../../playbooks/hpa.yaml")),
    ("resources", include_str!("../../playbooks/resources.yaml")),
];

/// The YAML text of the shipped playbook `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}
