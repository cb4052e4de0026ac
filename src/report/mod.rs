//! The one shape every probe returns (`Observation`) and the report built from them.
//!
//! Renderers (`table`, `json`, `junit`, `sarif`, `markdown`) only format a `Report`; they
//! never compute. The JSON form is the stable contract documented in README.md.

mod figures;
mod junit;
mod markdown;
mod model;
#[cfg(test)]
mod sample;
mod sarif;
mod table;
mod text;

pub use figures::{human, human_ms};
pub use model::*;
use std::io::{self, Write};

/// Writes `report` in `format` to `out`.
pub fn render(report: &Report, format: Format, style: Style, fail_on: FailOn, out: &mut impl Write) -> io::Result<()> {
    match format {
        Format::Table => table::render(&for_terminal(report), style, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            writeln!(out)
        }
        Format::Yaml => {
            let s = serde_saphyr::to_string(report).map_err(io::Error::other)?;
            out.write_all(s.as_bytes())
        }
        Format::Junit => junit::render(report, fail_on, out),
        Format::Sarif => sarif::render(report, out),
        Format::Markdown => markdown::render(&for_terminal(report), out),
    }
}

/// `report` with the control characters of every string escaped (`term::escape`), for the
/// human renderers: summaries, evidence, hints, fixes, subjects, targets, labels and text
/// figures all may hold what a server or a log said. JSON, YAML, JUnit and SARIF escape by
/// their own rules.
fn for_terminal(report: &Report) -> Report {
    report.map_text(|s| crate::term::escape(s).into_owned())
}

impl Report {
    /// The report with `f` applied to every string in it: summaries, evidence, hints,
    /// fixes, subjects, targets, ids, labels and text figures. How every renderer gets
    /// text it can show: escaped for a terminal, with secrets masked.
    pub fn map_text(&self, f: impl Fn(&str) -> String) -> Report {
        let e = |s: &String| f(s);
        let eo = |s: &Option<String>| s.as_deref().map(&f);
        let measurements = |ms: &[Measurement]| -> Vec<Measurement> {
            ms.iter()
                .map(|m| Measurement {
                    name: e(&m.name),
                    value: match &m.value {
                        Value::Text(t) => Value::Text(e(t)),
                        v => v.clone(),
                    },
                    unit: e(&m.unit),
                })
                .collect()
        };
        let finding = |f: &Finding| Finding {
            code: e(&f.code),
            severity: f.severity,
            summary: e(&f.summary),
            evidence: eo(&f.evidence),
            fix: eo(&f.fix),
            hint: eo(&f.hint),
            subject: eo(&f.subject),
            labels: f.labels.iter().map(|(k, v)| (e(k), e(v))).collect(),
        };
        Report {
            version: self.version,
            status: self.status,
            causes: (self.causes.iter())
                .map(|c| Cause {
                    id: e(&c.id),
                    severity: c.severity,
                    summary: e(&c.summary),
                    certainty: e(&c.certainty),
                    confirm: eo(&c.confirm),
                    fix: eo(&c.fix),
                    hint: eo(&c.hint),
                    explains: (c.explains.iter())
                        .map(|r| FindingRef {
                            check: e(&r.check),
                            code: e(&r.code),
                            subject: eo(&r.subject),
                        })
                        .collect(),
                })
                .collect(),
            checks: (self.checks.iter())
                .map(|c| Check {
                    id: e(&c.id),
                    target: e(&c.target),
                    status: c.status,
                    duration_ms: c.duration_ms,
                    measurements: measurements(&c.measurements),
                    findings: c.findings.iter().map(finding).collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(code: &str, sev: Severity) -> Observation {
        let mut o = Observation::new("redis.auth", "redis://127.0.0.1:6379");
        o.push(Finding::new(code, sev, "x"));
        o
    }

    #[test]
    fn status_is_worst_finding_and_info_counts_as_ok() {
        let r = Report::new(vec![obs("a", Severity::Info)], vec![], &[]);
        assert_eq!(r.status, Status::Ok);
        let r = Report::new(vec![obs("a", Severity::Info), obs("b", Severity::Error)], vec![], &[]);
        assert_eq!(r.status, Status::Error);
        assert_eq!(r.checks[0].status, Status::Ok);
    }

    #[test]
    fn gate_follows_fail_on() {
        let r = Report::new(vec![obs("a", Severity::Warning)], vec![], &[]);
        assert_eq!(r.exit_code(FailOn::Error), 0);
        assert_eq!(r.exit_code(FailOn::Warning), 1);
        assert_eq!(r.exit_code(FailOn::Never), 0);
        let ok = Report::new(vec![obs("a", Severity::Ok)], vec![], &[]);
        assert_eq!(ok.exit_code(FailOn::Info), 0);
    }

    #[test]
    fn ignored_codes_do_not_count() {
        let r = Report::new(vec![obs("redis.noauth", Severity::Error)], vec![], &["redis.*".into()]);
        assert_eq!(r.status, Status::Ok);
        assert!(r.checks[0].findings.is_empty());
        assert!(is_ignored("redis.noauth", &["redis.noauth".into()]));
        assert!(!is_ignored("redis.noauth", &["redis.no".into()]));
    }

    #[test]
    fn human_formats_escape_what_servers_said_and_json_keeps_it_exact() {
        let hostile = "403 \x1b[2J\x1b]0;owned\x07 \u{9b}31m";
        let mut o = Observation::new("ws.upgrade", "ws://127.0.0.1:1/\x1b[1m");
        o.measure_text("server", hostile);
        o.push(
            Finding::new("ws.upgrade_failed", Severity::Error, hostile)
                .evidence(hostile)
                .hint(hostile)
                .fix(hostile),
        );
        let report = Report::new(vec![o], vec![], &[]);
        for (format, color) in [(Format::Table, false), (Format::Table, true), (Format::Markdown, false)] {
            let style = Style {
                verbose: true,
                color,
                ..Style::default()
            };
            let mut out = Vec::new();
            render(&report, format, style, FailOn::Error, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(text.contains("403 ^[[2J^[]0;owned^G M-^[31m"), "{format:?}: {text}");
            // Only the renderer's own colours are escape sequences.
            let stripped = text.replace("\x1b[0m", "").replace("\x1b[31m", "").replace("\x1b[1m", "");
            assert!(!stripped.contains(['\x1b', '\x07', '\u{9b}']), "{format:?}: {text:?}");
        }
        let mut json = Vec::new();
        render(&report, Format::Json, Style::default(), FailOn::Error, &mut json).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["checks"][0]["findings"][0]["evidence"], hostile);
    }

    #[test]
    fn json_shape_is_the_documented_contract() {
        let mut o = obs("redis.noauth", Severity::Error);
        o.measure("ping_p50_ms", 0.25, "ms");
        o.measure_text("version", "7.0.15");
        let v = serde_json::to_value(Report::new(vec![o], vec![], &[])).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["status"], "error");
        let c = &v["checks"][0];
        for key in ["id", "target", "status", "duration_ms", "measurements", "findings"] {
            assert!(c.get(key).is_some(), "missing {key}");
        }
        assert_eq!(c["measurements"][0]["value"], 0.25);
        assert_eq!(c["measurements"][1]["value"], "7.0.15");
        let f = &c["findings"][0];
        for key in ["code", "severity", "summary", "evidence", "fix"] {
            assert!(f.get(key).is_some(), "missing {key}");
        }
    }
}
