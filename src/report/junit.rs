//! JUnit XML: one testsuite, one testcase per check. A check whose worst finding is at or
//! above `--fail-on` carries a `<failure>` listing its findings; the rest go to `<system-out>`.

use super::model::{FailOn, Report, Severity};
use std::io::{self, Write};

pub fn render(report: &Report, fail_on: FailOn, out: &mut impl Write) -> io::Result<()> {
    let failed = |c: &super::model::Check| {
        let worst = c.findings.iter().map(|f| f.severity).max().unwrap_or(Severity::Ok);
        fail_on.fails(worst)
    };
    let failures = report.checks.iter().filter(|c| failed(c)).count();
    let total_s: f64 = report.checks.iter().map(|c| c.duration_ms as f64 / 1000.0).sum();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="aiwfe" tests="{}" failures="{}" errors="0" time="{:.3}">"#,
        report.checks.len(),
        failures,
        total_s
    )?;
    writeln!(
        out,
        r#"  <testsuite name="aiwfe" tests="{}" failures="{}" errors="0" skipped="0" time="{:.3}">"#,
        report.checks.len(),
        failures,
        total_s
    )?;
    for c in &report.checks {
        write!(
            out,
            r#"    <testcase classname="{}" name="{}" time="{:.3}">"#,
            esc(&c.id),
            esc(&format!("{} {}", c.id, c.target)),
            c.duration_ms as f64 / 1000.0
        )?;
        let text: Vec<String> = c
            .findings
            .iter()
            .map(|f| {
                let mut s = format!("[{}] {}: {}", f.severity.as_str(), f.code, f.summary);
                if let Some(e) = &f.evidence {
                    s.push_str(&format!("\n  evidence: {e}"));
                }
                if let Some(x) = &f.fix {
                    s.push_str(&format!("\n  fix: {x}"));
                }
                s
            })
            .collect();
        if failed(c) {
            let worst = c.findings.iter().max_by_key(|f| f.severity);
            let (msg, ty) = worst.map(|f| (f.summary.as_str(), f.code.as_str())).unwrap_or(("", ""));
            write!(
                out,
                "\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    ",
                esc(msg),
                esc(ty),
                esc(&text.join("\n"))
            )?;
        } else if !text.is_empty() {
            write!(out, "\n      <system-out>{}</system-out>\n    ", esc(&text.join("\n")))?;
        }
        writeln!(out, "</testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// XML-escapes text and drops characters XML 1.0 forbids.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(esc("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}");
    }
}
