//! Markdown for a CI job summary (e.g. `$GITHUB_STEP_SUMMARY`): a heading with the overall
//! status, one table row per finding, evidence in code spans.

use super::figures::key_figures;
use super::model::{Report, Severity, Status};
use std::io::{self, Write};

pub fn render(report: &Report, out: &mut impl Write) -> io::Result<()> {
    let icon = |s: Status| match s {
        Status::Ok => "✅",
        Status::Warning => "⚠️",
        Status::Error => "❌",
    };
    writeln!(out, "## aiwfe: {} {}\n", icon(report.status), report.status.as_str())?;
    if !report.causes.is_empty() {
        writeln!(out, "### Root causes\n")?;
        for c in &report.causes {
            writeln!(
                out,
                "- **{}** ({}, {}): {}",
                c.id,
                c.severity.as_str(),
                c.certainty,
                c.summary.replace('\n', " ")
            )?;
            if let Some(x) = &c.fix {
                writeln!(out, "  - fix: `{}`", x.replace('`', "'"))?;
            }
            if let Some(x) = &c.hint {
                writeln!(out, "  - hint: {}", x.replace('\n', " "))?;
            }
            if let Some(x) = &c.confirm {
                writeln!(out, "  - to confirm: {x}")?;
            }
        }
        writeln!(out)?;
    }
    writeln!(out, "| Status | Check | Target | Figures |")?;
    writeln!(out, "|---|---|---|---|")?;
    for c in &report.checks {
        writeln!(
            out,
            "| {} {} | `{}` | `{}` | {} |",
            icon(c.status),
            c.status.as_str(),
            c.id,
            cell(&c.target),
            cell(&key_figures(c))
        )?;
    }
    let problems: Vec<_> = report
        .checks
        .iter()
        .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
        .filter(|(_, f)| f.severity >= Severity::Info)
        .collect();
    if !problems.is_empty() {
        writeln!(out, "\n| Severity | Code | Summary | Evidence | Fix |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for (_, f) in problems {
            let code_span = |s: &Option<String>| s.as_deref().map(|s| format!("`{}`", cell(s).replace('`', "'"))).unwrap_or_default();
            writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                f.severity.as_str(),
                f.code,
                cell(&f.summary),
                code_span(&f.evidence),
                code_span(&f.fix)
            )?;
        }
    }
    Ok(())
}

/// Makes text safe inside a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::Cause;

    #[test]
    fn causes_show_their_fix_and_hint() {
        let cause = Cause {
            id: "affinity".into(),
            severity: Severity::Error,
            summary: "deployment/web cannot be scheduled".into(),
            certainty: "confirmed".into(),
            confirm: None,
            fix: Some("aiwfe fix affinity -n shop --deployment web".into()),
            hint: Some("with kubectl alone: kubectl patch deployment/web ...".into()),
            explains: Vec::new(),
        };
        let report = Report {
            causes: vec![cause],
            ..Report::new(Vec::new(), Vec::new(), &[])
        };
        let mut out = Vec::new();
        render(&report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(
                "  - fix: `aiwfe fix affinity -n shop --deployment web`\n  - hint: with kubectl alone: kubectl patch deployment/web ...\n"
            ),
            "{text}"
        );
    }
}
