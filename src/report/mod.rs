//! The one shape every probe returns (`Observation`) and the report built from them.
//!
//! Renderers (`table`, `json`, `junit`, `sarif`, `markdown`) only format a `Report`; they
//! never compute. The JSON form is the stable contract documented in README.md.

mod figures;
mod junit;
mod markdown;
mod model;
mod sarif;
mod table;
mod text;

pub use figures::{human, human_ms};
pub use model::*;
use std::io::{self, Write};

/// Writes `report` in `format` to `out`.
pub fn render(report: &Report, format: Format, style: Style, fail_on: FailOn, out: &mut impl Write) -> io::Result<()> {
    match format {
        Format::Table => table::render(report, style, out),
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
        Format::Markdown => markdown::render(report, out),
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
