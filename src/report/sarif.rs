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

#[cfg(test)]
mod tests {
    use super::render;
    use crate::report::sample;
    use serde_json::{Value, json};

    fn sarif() -> Value {
        let mut out = Vec::new();
        render(&sample::report(), &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    #[test]
    fn a_result_per_finding_above_ok_at_its_level_with_evidence_fix_and_place() {
        let v = sarif();
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "aiwfe");
        let results = run["results"].as_array().unwrap();
        let levels: Vec<(&str, &str)> = results
            .iter()
            .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
            .collect();
        // `postgres.sessions` (ok) is not a result; info is a note.
        assert_eq!(
            levels,
            [
                ("redis.noauth", "error"),
                ("ws.slow_phase", "warning"),
                ("ws.compare", "note"),
                ("postgres.connections", "note")
            ]
        );
        let noauth = &results[0];
        assert_eq!(
            noauth["message"]["text"],
            "Redis requires a password and the client sent none Evidence: PING -> NOAUTH Authentication required. \
             Fix: `aiwfe fix redis-auth -n aiwfe --deployment reasoning-service`"
        );
        assert_eq!(
            noauth["locations"][0]["logicalLocations"][0],
            json!({
                "name": "redis://:***@redis.aiwfe.svc:6379/0",
                "fullyQualifiedName": "redis.auth/redis://:***@redis.aiwfe.svc:6379/0",
                "kind": "resource",
            })
        );
        assert_eq!(
            noauth["properties"],
            json!({
                "check": "redis.auth",
                "target": "redis://:***@redis.aiwfe.svc:6379/0",
                "fix": "aiwfe fix redis-auth -n aiwfe --deployment reasoning-service",
            })
        );
        // No fix: no fix property, and the text stops after the evidence.
        assert_eq!(results[1]["properties"].get("fix"), None);
        assert_eq!(
            results[1]["message"]["text"],
            "HTTP upgrade p99 118.2 s: the slowest phase Evidence: TCP connect p99 1.2 ms, HTTP upgrade p99 118.2 s"
        );
    }

    #[test]
    fn one_rule_per_code_in_code_order() {
        let v = sarif();
        let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["postgres.connections", "redis.noauth", "ws.compare", "ws.slow_phase"]);
        assert_eq!(rules[3]["name"], "ws slow phase");
        assert_eq!(rules[3]["shortDescription"]["text"], "HTTP upgrade p99 118.2 s: the slowest phase");
    }
}
