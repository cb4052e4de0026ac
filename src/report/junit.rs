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
    use super::{FailOn, esc, render};
    use crate::report::sample;

    fn junit(fail_on: FailOn) -> String {
        let mut out = Vec::new();
        render(&sample::report(), fail_on, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn child<'a, 'i>(c: &roxmltree::Node<'a, 'i>, tag: &str) -> Option<roxmltree::Node<'a, 'i>> {
        c.children().find(|n| n.has_tag_name(tag))
    }

    #[test]
    fn a_testcase_per_check_with_times_in_seconds_and_findings_as_failure_or_output() {
        let text = junit(FailOn::Error);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("invalid XML ({e}):\n{text}"));
        let root = doc.root_element();
        let suite = root.children().find(|n| n.has_tag_name("testsuite")).unwrap();
        for n in [root, suite] {
            assert_eq!(n.attribute("tests"), Some("4"), "{text}");
            assert_eq!(n.attribute("failures"), Some("1"), "{text}");
            // 1,512 + 118,250 + 38 + 0 ms.
            assert_eq!(n.attribute("time"), Some("119.800"), "{text}");
        }
        let cases: Vec<_> = suite.children().filter(|n| n.has_tag_name("testcase")).collect();
        let names: Vec<_> = cases
            .iter()
            .map(|c| (c.attribute("classname").unwrap(), c.attribute("time").unwrap()))
            .collect();
        assert_eq!(
            names,
            [
                ("redis.auth", "1.512"),
                ("ws.handshake", "118.250"),
                ("postgres.activity", "0.038"),
                ("kube.pods", "0.000")
            ]
        );
        assert_eq!(cases[0].attribute("name"), Some("redis.auth redis://:***@redis.aiwfe.svc:6379/0"));

        // The failing check: its worst finding names the failure, and every finding is listed.
        let failure = child(&cases[0], "failure").expect("a failure");
        assert_eq!(failure.attribute("type"), Some("redis.noauth"));
        assert_eq!(
            failure.attribute("message"),
            Some("Redis requires a password and the client sent none")
        );
        assert_eq!(
            failure.text(),
            Some(
                "[error] redis.noauth: Redis requires a password and the client sent none\n  \
                 evidence: PING -> NOAUTH Authentication required.\n  \
                 fix: aiwfe fix redis-auth -n aiwfe --deployment reasoning-service"
            )
        );
        assert!(child(&cases[0], "system-out").is_none());

        // A warning does not fail `--fail-on error`: its findings go to the output, escaped.
        assert!(child(&cases[1], "failure").is_none());
        assert_eq!(
            child(&cases[1], "system-out").and_then(|n| n.text()),
            Some(
                "[warning] ws.slow_phase: HTTP upgrade p99 118.2 s: the slowest phase\n  \
                 evidence: TCP connect p99 1.2 ms, HTTP upgrade p99 118.2 s\n\
                 [info] ws.compare: through the gateway | directly: 118.2 s <b>slower</b>"
            )
        );
        assert!(text.contains("&lt;b&gt;slower&lt;/b&gt;"), "{text}");
        assert_eq!(
            child(&cases[2], "system-out").and_then(|n| n.text()),
            Some(
                "[info] postgres.connections: 12 of 100 connections in use\n[ok] postgres.sessions: no session idle in transaction over 30 s, no lock waits, longest query 0.4 s"
            )
        );
        // A check with no findings is an empty testcase.
        assert_eq!(cases[3].children().filter(|n| n.is_element()).count(), 0, "{text}");
    }

    #[test]
    fn the_gate_decides_which_checks_fail() {
        let failures = |f: FailOn| {
            let text = junit(f);
            let doc = roxmltree::Document::parse(&text).unwrap();
            let failed: Vec<String> = doc
                .descendants()
                .filter(|n| n.has_tag_name("failure"))
                .map(|n| n.parent().unwrap().attribute("classname").unwrap().to_string())
                .collect();
            assert_eq!(doc.root_element().attribute("failures"), Some(failed.len().to_string().as_str()));
            failed
        };
        assert_eq!(failures(FailOn::Info), ["redis.auth", "ws.handshake", "postgres.activity"]);
        assert_eq!(failures(FailOn::Warning), ["redis.auth", "ws.handshake"]);
        assert_eq!(failures(FailOn::Error), ["redis.auth"]);
        assert!(failures(FailOn::Never).is_empty());
        // The failure names the worst finding, not the first.
        let text = junit(FailOn::Info);
        assert!(
            text.contains(r#"<failure message="HTTP upgrade p99 118.2 s: the slowest phase" type="ws.slow_phase">"#),
            "{text}"
        );
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(esc("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}");
        // XML 1.0 has no place for these: each becomes the replacement character.
        assert_eq!(
            esc("\u{0}\u{1f}\u{FFFE}\u{FFFF}\u{FFFD}é"),
            "\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}é"
        );
        assert_eq!(esc("tab\tline\nreturn\r"), "tab\tline\nreturn\r");
    }
}
