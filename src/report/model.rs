//! The report's data: `Observation` (what a probe returns), `Finding`, `Cause`, `Report`
//! (version 1 of the JSON contract), and the gate (`FailOn`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How bad a finding is. Ordered: `Ok < Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Ok,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Overall state of a check or a report: `info` findings leave it `ok`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warning,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Error => "error",
        }
    }

    fn of(sev: Severity) -> Status {
        match sev {
            Severity::Ok | Severity::Info => Status::Ok,
            Severity::Warning => Status::Warning,
            Severity::Error => Status::Error,
        }
    }
}

/// A measured figure. `value` is a number, or text for things like a server version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub name: String,
    pub value: Value,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Num(f64),
    Text(String),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Num(n) if n.fract() == 0.0 && n.abs() < 1e15 => write!(f, "{}", *n as i64),
            Value::Num(n) if n.abs() >= 100.0 => write!(f, "{n:.0}"),
            Value::Num(n) if n.abs() >= 1.0 => write!(f, "{n:.1}"),
            Value::Num(n) => write!(f, "{n:.3}"),
            Value::Text(s) => f.write_str(s),
        }
    }
}

/// One thing a probe concluded, with the server's own words as evidence and, where one
/// exists, the exact command that fixes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable identifier, e.g. `redis.noauth`; listed in README and silenced by `--ignore`.
    pub code: String,
    pub severity: Severity,
    pub summary: String,
    /// What the server said, verbatim (secrets redacted), or `null`.
    pub evidence: Option<String>,
    /// The exact command that remedies this, or `null`.
    pub fix: Option<String>,
    /// What to do when there is no single command.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hint: Option<String>,
    /// The object the finding is about, e.g. `aiwfe/deployment/reasoning-service`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub subject: Option<String>,
    /// Facts for root-cause rules, e.g. `signature: redis-auth`. Never secrets.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub labels: BTreeMap<String, String>,
}

impl Finding {
    pub fn new(code: &str, severity: Severity, summary: impl Into<String>) -> Self {
        Finding {
            code: code.to_string(),
            severity,
            summary: summary.into(),
            evidence: None,
            fix: None,
            hint: None,
            subject: None,
            labels: BTreeMap::new(),
        }
    }

    pub fn subject(mut self, s: impl Into<String>) -> Self {
        self.subject = Some(s.into());
        self
    }

    pub fn label(mut self, key: &str, value: impl Into<String>) -> Self {
        self.labels.insert(key.to_string(), value.into());
        self
    }

    pub fn evidence(mut self, e: impl Into<String>) -> Self {
        self.evidence = Some(e.into());
        self
    }

    pub fn fix(mut self, f: impl Into<String>) -> Self {
        self.fix = Some(f.into());
        self
    }

    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
}

/// What one probe saw of one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Check id, e.g. `redis.auth`, `postgres.activity`.
    pub id: String,
    /// The target, with secrets redacted.
    pub target: String,
    pub duration_ms: u64,
    pub measurements: Vec<Measurement>,
    pub findings: Vec<Finding>,
}

impl Observation {
    pub fn new(id: &str, target: impl Into<String>) -> Self {
        Observation {
            id: id.to_string(),
            target: target.into(),
            duration_ms: 0,
            measurements: Vec::new(),
            findings: Vec::new(),
        }
    }

    pub fn measure(&mut self, name: &str, value: f64, unit: &str) {
        self.measurements.push(Measurement {
            name: name.to_string(),
            value: Value::Num(value),
            unit: unit.to_string(),
        });
    }

    pub fn measure_text(&mut self, name: &str, value: impl Into<String>) {
        self.measurements.push(Measurement {
            name: name.to_string(),
            value: Value::Text(value.into()),
            unit: String::new(),
        });
    }

    pub fn push(&mut self, f: Finding) {
        self.findings.push(f);
    }

    pub fn measurement(&self, name: &str) -> Option<&Value> {
        self.measurements.iter().find(|m| m.name == name).map(|m| &m.value)
    }

    /// The worst severity among findings, `Ok` when there are none.
    pub fn worst(&self) -> Severity {
        self.findings.iter().map(|f| f.severity).max().unwrap_or(Severity::Ok)
    }
}

/// A check as it appears in the report: an observation plus its status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub id: String,
    pub target: String,
    pub status: Status,
    pub duration_ms: u64,
    pub measurements: Vec<Measurement>,
    pub findings: Vec<Finding>,
}

/// The whole report: version 1 of the JSON contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub version: u32,
    pub status: Status,
    /// Root causes, worst first; each lists the findings it explains.
    #[serde(default)]
    pub causes: Vec<Cause>,
    pub checks: Vec<Check>,
}

/// Does `code` match one of the `--ignore` patterns? A pattern is a finding code, or a
/// prefix ending in `*` (`redis.*`).
pub fn is_ignored(code: &str, ignore: &[String]) -> bool {
    ignore.iter().any(|p| match p.strip_suffix('*') {
        Some(prefix) => code.starts_with(prefix),
        None => code == p,
    })
}

impl Report {
    /// Builds the report, dropping findings matched by `ignore` before statuses are
    /// computed, and the causes' references to them (a cause left with none is dropped).
    pub fn new(observations: Vec<Observation>, causes: Vec<Cause>, ignore: &[String]) -> Report {
        let checks: Vec<Check> = observations
            .into_iter()
            .map(|o| {
                let findings: Vec<Finding> = o.findings.into_iter().filter(|f| !is_ignored(&f.code, ignore)).collect();
                let worst = findings.iter().map(|f| f.severity).max().unwrap_or(Severity::Ok);
                Check {
                    id: o.id,
                    target: o.target,
                    status: Status::of(worst),
                    duration_ms: o.duration_ms,
                    measurements: o.measurements,
                    findings,
                }
            })
            .collect();
        let status = checks.iter().map(|c| c.status).max().unwrap_or(Status::Ok);
        let causes = causes
            .into_iter()
            .filter_map(|mut c| {
                c.explains.retain(|r| !is_ignored(&r.code, ignore));
                (!c.explains.is_empty() && !is_ignored(&format!("cause.{}", c.id), ignore)).then_some(c)
            })
            .collect();
        Report {
            version: 1,
            status,
            causes,
            checks,
        }
    }

    /// The worst severity of any finding in the report.
    pub fn worst(&self) -> Severity {
        self.checks
            .iter()
            .flat_map(|c| c.findings.iter().map(|f| f.severity))
            .max()
            .unwrap_or(Severity::Ok)
    }

    /// Does the report fail the CI gate: a finding at or above `fail_on`?
    pub fn fails(&self, fail_on: FailOn) -> bool {
        fail_on.fails(self.worst())
    }

    /// Exit code under the CI gate: 1 when a finding is at or above `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        u8::from(self.fails(fail_on))
    }
}

/// The CI gate: the least severity that fails a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    Info,
    Warning,
    #[default]
    Error,
    /// Never fail the gate: exit 0 whatever is found
    Never,
}

impl FailOn {
    /// The value named `s` (`info`, `warning`, `error`, `never`).
    pub fn parse(s: &str) -> Option<FailOn> {
        use clap::ValueEnum;
        FailOn::value_variants().iter().copied().find(|f| f.name() == s.trim())
    }

    pub fn name(self) -> &'static str {
        match self {
            FailOn::Info => "info",
            FailOn::Warning => "warning",
            FailOn::Error => "error",
            FailOn::Never => "never",
        }
    }

    /// Does a worst finding of `worst` fail the gate? `ok` findings never do.
    pub fn fails(self, worst: Severity) -> bool {
        let level = match self {
            FailOn::Info => Severity::Info,
            FailOn::Warning => Severity::Warning,
            FailOn::Error => Severity::Error,
            FailOn::Never => return false,
        };
        worst >= level && worst > Severity::Ok
    }
}

/// Output formats; `Table` is for people, the rest are stable machine formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    Yaml,
    Junit,
    Sarif,
    Markdown,
}

impl Format {
    /// Guesses a format from a report file name (`--report out.sarif`).
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "yaml" | "yml" => Some(Format::Yaml),
            "xml" | "junit" => Some(Format::Junit),
            "sarif" => Some(Format::Sarif),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// How human output should look.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    /// The terminal's width in columns when stdout is one: prose wraps between words and
    /// check lines are cut to it. `None` (piped): nothing is wrapped or cut.
    pub width: Option<usize>,
    pub color: bool,
    /// `-v`: evidence, hints, and the findings a root cause already explains.
    pub verbose: bool,
}

/// A pointer from a cause to a finding it explains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRef {
    pub check: String,
    pub code: String,
    pub subject: Option<String>,
}

/// One root cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cause {
    /// Stable identifier: `redis-auth`, `affinity`, `overprovisioned`, ...
    pub id: String,
    pub severity: Severity,
    pub summary: String,
    /// `confirmed` when independent evidence agrees; `likely` when inferred from one side.
    pub certainty: String,
    /// What would confirm a `likely` cause.
    pub confirm: Option<String>,
    pub fix: Option<String>,
    /// The same remedy with kubectl alone, for where aiwfe is not at hand.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hint: Option<String>,
    pub explains: Vec<FindingRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A finding (through a variable, so README's code table check skips test codes).
    fn finding(code: &str, severity: Severity) -> Finding {
        Finding::new(code, severity, "x")
    }

    fn report(severities: &[Severity]) -> Report {
        let mut o = Observation::new("redis.auth", "redis://127.0.0.1:6379");
        for (i, s) in severities.iter().enumerate() {
            o.push(Finding::new(&format!("x.f{i}"), *s, "x"));
        }
        Report::new(vec![o], vec![], &[])
    }

    #[test]
    fn each_gate_fails_at_its_severity_and_above_and_never_on_ok() {
        use Severity::*;
        let cases = [
            (FailOn::Info, [0, 1, 1, 1]),
            (FailOn::Warning, [0, 0, 1, 1]),
            (FailOn::Error, [0, 0, 0, 1]),
            (FailOn::Never, [0, 0, 0, 0]),
        ];
        for (gate, codes) in cases {
            for (worst, code) in [Ok, Info, Warning, Error].into_iter().zip(codes) {
                let r = report(&[Ok, worst]);
                assert_eq!(r.worst(), worst);
                assert_eq!(r.exit_code(gate), code, "--fail-on {} with a worst {}", gate.name(), worst.as_str());
                assert_eq!(r.fails(gate), code == 1);
            }
        }
        assert_eq!(report(&[]).exit_code(FailOn::Info), 0, "no findings");
    }

    #[test]
    fn gate_and_severity_names_are_the_flags_and_the_json() {
        for (gate, name) in [
            (FailOn::Info, "info"),
            (FailOn::Warning, "warning"),
            (FailOn::Error, "error"),
            (FailOn::Never, "never"),
        ] {
            assert_eq!(gate.name(), name);
            assert_eq!(FailOn::parse(name), Some(gate));
            assert_eq!(FailOn::parse(&format!(" {name}\n")), Some(gate));
        }
        assert_eq!(FailOn::parse("warn"), None);
        for (s, name) in [
            (Severity::Ok, "ok"),
            (Severity::Info, "info"),
            (Severity::Warning, "warning"),
            (Severity::Error, "error"),
        ] {
            assert_eq!(s.as_str(), name);
            assert_eq!(serde_json::to_value(s).unwrap(), name);
        }
        for (s, name) in [(Status::Ok, "ok"), (Status::Warning, "warning"), (Status::Error, "error")] {
            assert_eq!(s.as_str(), name);
        }
    }

    #[test]
    fn statuses_follow_the_worst_finding_with_info_as_ok() {
        for (worst, status) in [
            (Severity::Ok, Status::Ok),
            (Severity::Info, Status::Ok),
            (Severity::Warning, Status::Warning),
            (Severity::Error, Status::Error),
        ] {
            let r = report(&[worst, Severity::Ok]);
            assert_eq!((r.status, r.checks[0].status), (status, status), "{worst:?}");
        }
        let mut o = Observation::new("a", "t");
        assert_eq!(o.worst(), Severity::Ok);
        o.push(finding("a.b", Severity::Warning));
        o.push(finding("a.c", Severity::Info));
        assert_eq!(o.worst(), Severity::Warning);
    }

    #[test]
    fn ignore_patterns_match_whole_codes_or_prefixes() {
        let ig = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(is_ignored("redis.noauth", &ig(&["postgres.x", "redis.noauth"])));
        assert!(is_ignored("redis.noauth", &ig(&["redis.*"])));
        assert!(!is_ignored("redis.noauth", &ig(&["redis.noauth.x", "postgres.*"])));
        assert!(!is_ignored("redis.noauth", &[]));
        // An ignored finding no longer counts for the gate, and a cause left with nothing
        // to explain goes too; `cause.ID` silences a cause.
        let mut o = Observation::new("redis.auth", "t");
        o.push(finding("redis.noauth", Severity::Error));
        o.push(finding("redis.slow", Severity::Warning));
        let cause = |id: &str, codes: &[&str]| Cause {
            id: id.into(),
            severity: Severity::Error,
            summary: "s".into(),
            certainty: "likely".into(),
            confirm: None,
            fix: None,
            hint: None,
            explains: codes
                .iter()
                .map(|c| FindingRef {
                    check: "redis.auth".into(),
                    code: c.to_string(),
                    subject: None,
                })
                .collect(),
        };
        let r = Report::new(
            vec![o],
            vec![
                cause("auth", &["redis.noauth"]),
                cause("both", &["redis.noauth", "redis.slow"]),
                cause("quiet", &["redis.slow"]),
            ],
            &ig(&["redis.noauth", "cause.quiet"]),
        );
        assert_eq!(r.status, Status::Warning);
        assert_eq!(r.exit_code(FailOn::Error), 0);
        assert_eq!(r.exit_code(FailOn::Warning), 1);
        let ids: Vec<&str> = r.causes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["both"]);
        assert_eq!(r.causes[0].explains.len(), 1);
    }

    #[test]
    fn figures_are_shown_with_the_precision_their_size_needs() {
        for (n, text) in [
            (3.0, "3"),
            (-2.0, "-2"),
            (1234.5, "1234"),
            (100.0, "100"),
            (99.95, "100.0"),
            (12.34, "12.3"),
            (1.0, "1"),
            (1.25, "1.2"),
            (0.5, "0.500"),
            (-0.25, "-0.250"),
            (1e16, "10000000000000000"),
        ] {
            assert_eq!(Value::Num(n).to_string(), text, "{n}");
        }
        assert_eq!(Value::Text("7.0.15".into()).to_string(), "7.0.15");
        let mut o = Observation::new("a", "t");
        o.measure("rtt", 1.5, "ms");
        o.measure_text("version", "7");
        assert_eq!(o.measurement("rtt"), Some(&Value::Num(1.5)));
        assert_eq!(o.measurement("version"), Some(&Value::Text("7".into())));
        assert_eq!(o.measurement("nope"), None);
    }

    #[test]
    fn report_files_get_their_format_from_the_extension() {
        use std::path::Path;
        for (name, f) in [
            ("r.json", Some(Format::Json)),
            ("r.YAML", Some(Format::Yaml)),
            ("r.yml", Some(Format::Yaml)),
            ("r.xml", Some(Format::Junit)),
            ("r.junit", Some(Format::Junit)),
            ("r.sarif", Some(Format::Sarif)),
            ("r.md", Some(Format::Markdown)),
            ("r.markdown", Some(Format::Markdown)),
            ("r.txt", None),
            ("r", None),
        ] {
            assert_eq!(Format::from_extension(Path::new(name)), f, "{name}");
        }
    }

    #[test]
    fn a_finding_keeps_what_its_builders_set() {
        let f = finding("a.b", Severity::Info)
            .subject("ns/deployment/x")
            .label("signature", "redis-auth")
            .evidence("ev")
            .fix("fx")
            .hint("hn");
        assert_eq!(f.subject.as_deref(), Some("ns/deployment/x"));
        assert_eq!(f.labels["signature"], "redis-auth");
        assert_eq!(
            (f.evidence.as_deref(), f.fix.as_deref(), f.hint.as_deref()),
            (Some("ev"), Some("fx"), Some("hn"))
        );
    }
}
