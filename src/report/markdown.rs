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
    use crate::report::sample;

    #[test]
    fn the_incident_as_a_job_summary() {
        let mut out = Vec::new();
        render(&sample::report(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let want = "\
## aiwfe: ❌ error

### Root causes

- **redis-auth** (error, confirmed): reasoning-service connects to Redis without the password Redis requires
  - fix: `aiwfe fix redis-auth -n aiwfe --deployment reasoning-service`

| Status | Check | Target | Figures |
|---|---|---|---|
| ❌ error | `redis.auth` | `redis://:***@redis.aiwfe.svc:6379/0` | FIGS0 |
| ⚠️ warning | `ws.handshake` | `ws://gateway.aiwfe.svc:8000/ws` | FIGS1 |
| ✅ ok | `postgres.activity` | `postgres://aiwfe@postgres.aiwfe.svc:5432/aiwfe` | FIGS2 |
| ✅ ok | `kube.pods` | `kind-aiwfe` | FIGS3 |

| Severity | Code | Summary | Evidence | Fix |
|---|---|---|---|---|
| error | `redis.noauth` | Redis requires a password and the client sent none | `PING -> NOAUTH Authentication required.` | `aiwfe fix redis-auth -n aiwfe --deployment reasoning-service` |
| warning | `ws.slow_phase` | HTTP upgrade p99 118.2 s: the slowest phase | `TCP connect p99 1.2 ms, HTTP upgrade p99 118.2 s` |  |
| info | `ws.compare` | through the gateway \\| directly: 118.2 s <b>slower</b> |  |  |
| info | `postgres.connections` | 12 of 100 connections in use |  |  |
";
        let report = sample::report();
        let mut want = want.to_string();
        for (i, c) in report.checks.iter().enumerate() {
            want = want.replace(&format!("FIGS{i}"), &cell(&key_figures(c)));
        }
        assert_eq!(text, want);
    }

    #[test]
    fn cells_keep_to_one_line_and_code_spans_hold_no_backquote() {
        assert_eq!(cell("a | b\nc\rd"), "a \\| b c d");
        let mut r = sample::report();
        r.checks[0].findings[0].evidence = Some("`AUTH` | failed\nagain".into());
        let mut out = Vec::new();
        render(&r, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("| `'AUTH' \\| failed again` |"), "{text}");
    }

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
