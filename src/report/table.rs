//! Human output: a table of checks, then the evidence and hints behind each problem.
//! Box-drawn with colour on a terminal, plain aligned columns when piped.

use super::figures::key_figures;
use super::model::{Check, Report, Severity, Status, Style};
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use std::io::{self, Write};

pub fn render(report: &Report, style: Style, out: &mut impl Write) -> io::Result<()> {
    if !report.causes.is_empty() {
        writeln!(out, "ROOT CAUSES")?;
        for c in &report.causes {
            let sev = c.severity.as_str().to_uppercase();
            let sev = if style.color {
                let code = match c.severity {
                    Severity::Error => "31",
                    Severity::Warning => "33",
                    _ => "32",
                };
                format!("\u{1b}[{code}m{sev}\u{1b}[0m")
            } else {
                sev
            };
            writeln!(out, "{sev} {} ({})", c.id, c.certainty)?;
            writeln!(out, "  {}", c.summary)?;
            if let Some(x) = &c.confirm {
                writeln!(out, "  to confirm: {x}")?;
            }
            if let Some(x) = &c.fix {
                writeln!(out, "  fix: {x}")?;
            }
            if let Some(x) = &c.hint {
                writeln!(out, "  hint: {x}")?;
            }
            writeln!(out, "  explains:")?;
            for r in &c.explains {
                writeln!(
                    out,
                    "    - {}{}",
                    r.code,
                    r.subject.as_ref().map(|s| format!(" ({s})")).unwrap_or_default()
                )?;
            }
        }
        writeln!(out)?;
    }
    let mut table = Table::new();
    if style.rich {
        table.load_preset(presets::UTF8_FULL_CONDENSED);
        table.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.load_preset(presets::NOTHING);
    }
    table.set_header(["STATUS", "CHECK", "TARGET", "FIGURES", "FINDINGS", "FIX"]);
    for check in &report.checks {
        let mut status = Cell::new(check.status.as_str().to_uppercase());
        if style.color {
            status = status.fg(match check.status {
                Status::Ok => Color::Green,
                Status::Warning => Color::Yellow,
                Status::Error => Color::Red,
            });
        }
        let fixes: Vec<&str> = problems(check).filter_map(|f| f.fix.as_deref()).collect();
        table.add_row(vec![
            status,
            Cell::new(&check.id),
            Cell::new(&check.target),
            Cell::new(key_figures(check)),
            Cell::new(findings_cell(check)),
            Cell::new(fixes.join("\n")),
        ]);
    }
    for line in table.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }

    let mut details = Vec::new();
    for check in &report.checks {
        for f in problems(check) {
            let mut lines = vec![format!("{} {} ({})", f.severity.as_str().to_uppercase(), f.code, check.target)];
            lines.push(format!("  {}", f.summary));
            if let Some(e) = &f.evidence {
                lines.push(format!("  evidence: {e}"));
            }
            if let Some(h) = &f.hint {
                lines.push(format!("  hint: {h}"));
            }
            if let Some(fix) = &f.fix {
                lines.push(format!("  fix: {fix}"));
            }
            details.push(lines.join("\n"));
        }
    }
    if !details.is_empty() {
        writeln!(out)?;
        for d in details {
            writeln!(out, "{d}")?;
        }
    }
    let count = |sev| report.checks.iter().flat_map(|c| &c.findings).filter(|f| f.severity == sev).count();
    writeln!(
        out,
        "\nstatus: {} ({} checks, {} errors, {} warnings)",
        report.status.as_str(),
        report.checks.len(),
        count(Severity::Error),
        count(Severity::Warning)
    )
}

/// Findings worth a line of their own: warnings and errors.
fn problems(check: &Check) -> impl Iterator<Item = &super::model::Finding> {
    check.findings.iter().filter(|f| f.severity >= Severity::Warning)
}

fn findings_cell(check: &Check) -> String {
    let shown: Vec<String> = check
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Info || check.findings.iter().all(|g| g.severity == Severity::Ok))
        .map(|f| format!("{}: {}", f.code, f.summary))
        .collect();
    shown.join("\n")
}
