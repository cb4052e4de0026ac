//! Concrete steps: a playbook's declarations rendered with the run's parameters, `for_each`
//! and `when` expanded, targets resolved to object references.

use super::action::StepAction;
use super::error::Error;
use super::model::Playbook;
use super::params::Params;
use super::render::{Renderer, label, type_name};
use super::secrets::Redactor;
use super::target::ObjectRef;
use super::template::RenderError;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// One concrete step. `Debug` masks every secret the step holds.
#[derive(Clone)]
pub struct Step {
    /// Position in the expanded list (0-based).
    pub index: usize,
    /// The declaration it came from (0-based index into the playbook's steps).
    pub decl: usize,
    pub name: String,
    pub action: StepAction,
    pub(crate) redactor: Arc<Redactor>,
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Step")
            .field("index", &self.index)
            .field("decl", &self.decl)
            .field("name", &self.redactor.text(&self.name))
            .field("action", &self.action.masked(&self.redactor))
            .finish()
    }
}

/// The objects the caller must fetch before planning `steps`, each once, in first-use
/// order: every write target, and the workload an `ensure_hpa` scales.
pub fn targets(steps: &[Step]) -> Vec<ObjectRef> {
    let mut out: Vec<ObjectRef> = Vec::new();
    for s in steps {
        let refs: Vec<&ObjectRef> = match &s.action {
            StepAction::EnsureHpa { target, workload, .. } => vec![workload, target],
            StepAction::WaitRollout { .. } | StepAction::Verify { .. } | StepAction::Skipped { .. } => vec![],
            other => other.target().into_iter().collect(),
        };
        for r in refs {
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
    }
    out
}

/// Renders every step with the parameters, `now` (RFC 3339) and, in `for_each`, `item`:
/// `for_each` repeats a step per item, `when` false skips it (kept as `Skipped`, as is a
/// `for_each` with no items).
pub fn expand(pb: &Playbook, params: &Params, now: &str) -> Result<Vec<Step>, Error> {
    let mut base = params.context();
    base.insert("now".to_string(), Value::String(now.to_string()));
    let redactor = params.redactor().clone();
    let mut out = Vec::new();
    for (di, decl) in pb.steps.iter().enumerate() {
        let r = Renderer {
            pb,
            redactor: &redactor,
            step_no: di + 1,
            label: label(decl),
            ctx: Value::Object(base.clone()),
        };
        let mut push = |name: String, action: StepAction| {
            let index = out.len();
            out.push(Step {
                index,
                decl: di,
                name,
                action,
                redactor: redactor.clone(),
            });
        };
        let Some(for_each) = &decl.for_each else {
            let (name, action) = r.step(decl)?;
            push(name, action);
            continue;
        };
        let items = match r.tree("for_each", for_each)? {
            Value::Array(items) => items,
            other => {
                return Err(r.fail(
                    "for_each",
                    for_each.pos,
                    RenderError::new(
                        format!("must give a list, got {}", type_name(&other)),
                        "e.g. `for_each: \"{{ consumers }}\"` with a list parameter",
                    ),
                ));
            }
        };
        if items.is_empty() {
            let name = r.name(decl).unwrap_or_else(|| decl.action.kind().to_string());
            push(
                name,
                StepAction::Skipped {
                    kind: decl.action.kind(),
                    reason: "`for_each` gave no items".to_string(),
                },
            );
        }
        for item in items {
            let mut ctx = base.clone();
            ctx.insert("item".to_string(), item);
            let r = Renderer {
                ctx: Value::Object(ctx),
                ..r.clone()
            };
            let (name, action) = r.step(decl)?;
            push(name, action);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
