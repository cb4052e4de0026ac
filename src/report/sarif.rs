//! SARIF 2.1.0: one run, one rule per finding code, one result per warning or error
//! (`info` becomes `note`; `ok` findings are not results). Results have logical locations
//! naming the check and target, since the problems live in services, not source files.

use super::model::{Report, Severity};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub fn render(report: &Report, out: &mut impl Write) -> io::Result<()> {
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    let mut results = Vec::new();
    for c in &report.checks {
        for f in c.findings.iter().filter(|f| f.severity > Severity::Ok) {
            rules.entry(f.code.as_str()).or_insert_with(|| {
                json!({
                    "id": f.code,
                    "name": f.code.replace(['.', '_'], " "),
                    "shortDescription": {"text": f.summary},
                    "help": {"text": "See the finding codes table in aiwfe's README."},
                })
            });
            let level = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "note",
            };
            let mut text = f.summary.clone();
            if let Some(e) = &f.evidence {
                text.push_str(&format!(" Evidence: {e}"));
            }
            if let Some(x) = &f.fix {
                text.push_str(&format!(" Fix: `{x}`"));
            }
            let mut result = json!({
                "ruleId": f.code,
                "level": level,
                "message": {"text": text},
                "locations": [{
                    "logicalLocations": [{"name": c.target, "fullyQualifiedName": format!("{}/{}", c.id, c.target), "kind": "resource"}]
                }],
                "properties": {"check": c.id, "target": c.target},
            });
            if let Some(x) = &f.fix {
                result["properties"]["fix"] = json!(x);
            }
            results.push(result);
        }
    }
    let rules: Vec<Value> = rules.into_values().collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "aiwfe",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
