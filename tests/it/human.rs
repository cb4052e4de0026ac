//! Human output as a person sees it: the bundled incident on a 120-column terminal (run
//! under a pseudo-terminal) and piped, pinned by snapshots, with the rules it keeps: commands
//! whole on lines of their own, nothing wider than the terminal but those, nothing wrapped
//! or cut when piped, no box drawing, colour only on a terminal.

use crate::support::tty::on_tty;
use crate::support::*;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

const INCIDENT: [&str; 5] = ["doctor", "--snapshot", "examples/incident.yaml", "--fail-on", "never"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn piped(extra: &[&str]) -> String {
    let out = run(aiwfe().current_dir(root()).args(INCIDENT).args(extra));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find('m').map_or(tail.len(), |j| j + 1);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Lines that hold a command: the one after `fix:` or `with kubectl alone:`.
fn command_lines(text: &str) -> Vec<usize> {
    let lines: Vec<&str> = text.lines().collect();
    (1..lines.len())
        .filter(|&i| matches!(lines[i - 1].trim(), "fix:" | "with kubectl alone:"))
        .collect()
}

fn causes() -> Vec<serde_json::Value> {
    let out = run(aiwfe().current_dir(root()).args(INCIDENT).args(["-o", "json"]));
    json(&out)["causes"].as_array().unwrap().clone()
}

fn assert_fits(text: &str, cols: usize) {
    let commands = command_lines(text);
    for (i, line) in text.lines().enumerate() {
        if !commands.contains(&i) {
            assert!(line.width() <= cols, "line {} is {} columns wide:\n{line}", i + 1, line.width());
        }
    }
}

#[test]
fn incident_fits_a_120_column_terminal() {
    let (code, text) = on_tty(120, root(), &INCIDENT, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("\u{1b}[31mERROR\u{1b}[0m redis-auth (confirmed)"),
        "colour on a terminal:\n{text}"
    );
    let plain = strip_ansi(&text);
    let n = plain.lines().count();
    assert!(n <= 60, "{n} lines:\n{plain}");
    // Every root cause's fix is whole, alone on its line, right under `fix:`.
    let lines: Vec<&str> = plain.lines().collect();
    let commands = command_lines(&plain);
    for c in causes() {
        let fix = c["fix"].as_str().unwrap();
        assert!(
            commands.iter().any(|&i| lines[i].trim() == fix),
            "fix of {} not whole on a line of its own:\n{plain}",
            c["id"]
        );
    }
    assert_fits(&plain, 120);
    // Nothing wraps mid-word: every word on the terminal is a word of the piped report,
    // or a cut one that says so.
    let piped = piped(&[]);
    let words: std::collections::HashSet<&str> = piped.split_whitespace().collect();
    for w in plain.split_whitespace() {
        assert!(words.contains(w) || w.ends_with('…'), "`{w}` is no word of the report:\n{plain}");
    }
    insta::assert_snapshot!("incident_tty", text.replace('\u{1b}', "␛"));
}

#[test]
fn incident_piped_is_whole_lines_without_box_drawing_or_colour() {
    let text = piped(&[]);
    assert!(
        !text.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c)),
        "box drawing when piped:\n{text}"
    );
    assert!(!text.contains('\u{1b}'), "colour when piped:\n{text}");
    assert!(!text.contains('…'), "cut when piped:\n{text}");
    let lines: Vec<&str> = text.lines().collect();
    for c in causes() {
        for key in ["summary", "fix"] {
            let s = c[key].as_str().unwrap();
            assert!(
                lines.iter().any(|l| l.trim() == s),
                "{key} of {} not whole on one line:\n{text}",
                c["id"]
            );
        }
    }
    // The target is said once, above the checks, not on every row.
    assert_eq!(
        text.matches("snapshot examples/incident.yaml (all namespaces)").count(),
        1,
        "{text}"
    );
    // Explained findings are counted under their cause, not repeated.
    assert_eq!(text.matches("has no HorizontalPodAutoscaler").count(), 0, "{text}");
    assert!(text.contains("explains 6 findings: kube.no_hpa ×6"), "{text}");
    insta::assert_snapshot!("incident_piped", text);
}

#[test]
fn no_color_on_a_terminal_when_asked() {
    let (_, colour) = on_tty(120, root(), &INCIDENT, &[]);
    let (_, no_color) = on_tty(120, root(), &INCIDENT, &[("NO_COLOR", "1")]);
    assert!(!no_color.contains('\u{1b}'), "{no_color}");
    assert_eq!(no_color, strip_ansi(&colour));
    let flag: Vec<&str> = INCIDENT.iter().copied().chain(["--no-color"]).collect();
    let (_, flagged) = on_tty(120, root(), &flag, &[]);
    assert_eq!(flagged, no_color);
}

#[test]
fn a_narrow_terminal_still_gets_no_line_wider_than_itself_but_commands() {
    let (_, text) = on_tty(60, root(), &INCIDENT, &[("NO_COLOR", "1")]);
    assert_fits(&text, 60);
    assert!(
        text.lines()
            .any(|l| l == "    aiwfe fix affinity -n aiwfe --deployment integration-service"),
        "{text}"
    );
}

#[test]
fn verbose_adds_evidence_hints_and_the_findings_causes_explain() {
    let plain = piped(&[]);
    assert!(!plain.contains("evidence:") && !plain.contains("hint:"), "{plain}");
    let text = piped(&["-v"]);
    assert!(
        text.contains("  evidence: redis.exceptions.AuthenticationError: Authentication required."),
        "{text}"
    );
    assert!(text.contains("  explained by redis-auth"), "{text}");
    assert_eq!(text.matches("has no HorizontalPodAutoscaler").count(), 6, "{text}");
    // A hint's kubectl commands are a command of their own, whole on one line.
    let lines: Vec<&str> = text.lines().collect();
    let i = lines.iter().position(|l| l.trim() == "with kubectl alone:").unwrap();
    assert!(
        lines[i + 1].starts_with("    kubectl patch secret redis-auth -n aiwfe "),
        "{}",
        lines[i + 1]
    );
    assert!(lines[i + 1].ends_with("&& kubectl rollout restart deployment/reasoning-service -n aiwfe"));
    let (_, tty) = on_tty(
        120,
        root(),
        &["doctor", "--snapshot", "examples/incident.yaml", "-v"],
        &[("NO_COLOR", "1")],
    );
    assert_fits(&tty, 120);
}
