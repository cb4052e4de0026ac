//! The playbook module's one error type, and the located diagnostic that parse and
//! template errors carry (file, line, column, the line itself with a caret, a hint).
//!
//! No message ever holds a secret parameter's value: parameter errors leave secret values
//! out, and every error raised after parameters are known passes through the run's
//! redactor.

use std::fmt;

/// A position in a playbook file: 1-based line and column (characters). Line 0 means the
/// position is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    pub(crate) fn from_location(loc: serde_saphyr::Location) -> Pos {
        Pos {
            line: loc.line() as usize,
            column: loc.column() as usize,
        }
    }
}

/// What a located error says: where, what, the offending line with a caret under the
/// column, and a one-line hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub pos: Pos,
    pub message: String,
    /// The offending line of the file, verbatim (empty when the position is unknown).
    pub source_line: String,
    pub hint: String,
}

impl Diagnostic {
    /// A diagnostic at `pos` in `text` (the whole file), quoting its line.
    pub fn new(file: &str, text: &str, pos: Pos, message: impl Into<String>, hint: impl Into<String>) -> Diagnostic {
        let source_line = if pos.line == 0 {
            String::new()
        } else {
            text.lines()
                .nth(pos.line - 1)
                .unwrap_or_default()
                .trim_end_matches('\r')
                .to_string()
        };
        Diagnostic {
            file: file.to_string(),
            pos,
            message: message.into(),
            source_line,
            hint: hint.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pos.line == 0 {
            write!(f, "{}: {}", self.file, self.message)?;
        } else {
            write!(f, "{}:{}:{}: {}", self.file, self.pos.line, self.pos.column, self.message)?;
            let number = self.pos.line.to_string();
            let gutter = " ".repeat(number.len());
            // The caret sits under the column; tabs before it stay tabs so it lines up.
            let pad: String = self
                .source_line
                .chars()
                .take(self.pos.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{gutter} |\n{number} | {}\n{gutter} | {pad}^", self.source_line)?;
        }
        if !self.hint.is_empty() {
            write!(f, "\nhint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in parsing, parameter resolution, expansion and planning.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The playbook file is not valid YAML, or not a valid playbook.
    #[error("{0}")]
    Parse(Box<Diagnostic>),
    /// A step could not be rendered or its rendered values are invalid.
    #[error("{0}")]
    Step(Box<Diagnostic>),
    #[error("missing required parameter `{name}`; declared parameters: {declared}")]
    MissingParam { name: String, declared: String },
    #[error("unknown parameter `{name}`{suggestion}; declared parameters: {declared}")]
    UnknownParam {
        name: String,
        suggestion: String,
        declared: String,
    },
    /// `got` is already redacted for a secret parameter.
    #[error("parameter `{name}` must be {expected}, got {got}; declared parameters: {declared}")]
    ParamType {
        name: String,
        expected: String,
        got: String,
        declared: String,
    },
    #[error("`--set` takes NAME=VALUE, {problem}")]
    SetSyntax { problem: String },
    #[error("{resource} `{name}` not found in namespace `{namespace}` (step {step} `{step_name}`)")]
    NotFound {
        resource: String,
        name: String,
        namespace: String,
        step: usize,
        step_name: String,
    },
    /// A step cannot be applied to the object it targets (a container that is not there, a
    /// JSON Patch `test` that fails, an immutable Secret, ...).
    #[error("step {step} `{step_name}` on {target}: {message}")]
    Edit {
        step: usize,
        step_name: String,
        target: String,
        message: String,
    },
}

/// `a`, `b` → "`a`, `b`" (or "none").
pub(crate) fn backticked<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let list: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    if list.is_empty() { "none".to_string() } else { list.join(", ") }
}

/// The candidate closest to `word` within an edit distance of 2, if any (for "did you mean").
pub(crate) fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(row[j + 1]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostic_quotes_the_line_with_a_caret_under_the_column() {
        let text = "name: x\nsteps:\n  - restrat: {}\n";
        let d = Diagnostic::new(
            "pb.yaml",
            text,
            Pos { line: 3, column: 5 },
            "unknown step kind `restrat`",
            "did you mean `restart`?",
        );
        assert_eq!(
            d.to_string(),
            "pb.yaml:3:5: unknown step kind `restrat`\n  |\n3 |   - restrat: {}\n  |     ^\nhint: did you mean `restart`?"
        );
    }

    #[test]
    fn closest_suggests_within_two_edits() {
        assert_eq!(closest("targt", ["namespace", "target"]), Some("target"));
        assert_eq!(closest("zzz", ["namespace", "target"]), None);
    }
}
