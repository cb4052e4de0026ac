//! Human output, in the order a person on call reads it:
//!
//! 1. root causes, each with its certainty and summary, the command that fixes it alone on
//!    a line (never wrapped or cut, so a triple-click copies it) and what it explains;
//! 2. one line per check: status, id, findings by severity, the worst finding's summary;
//! 3. the findings no cause explains, worst first;
//! 4. with `-v` only: every finding with its evidence and hint, and the causes' hints;
//! 5. the status line.
//!
//! Aligned columns without box drawing, as `kubectl get` prints. On a terminal
//! (`Style::width`) prose wraps between words and check lines are cut to the width, so only
//! command lines are ever wider than the terminal; a terminal too narrow for the checks'
//! table gets each check as a block of lines. Piped, nothing is wrapped or cut.

use super::figures::key_figures;
use super::model::{Cause, Check, Finding, Report, Severity, Status, Style};
use super::text::{Paint, cut, pad, paint, width, wrap};
use std::io::{self, Write};

/// Columns between two table columns.
const GAP: &str = "  ";
/// A summary column narrower than this goes on lines of its own.
const MIN_SUMMARY: usize = 30;
/// A target column is cut to no fewer than this, enough for a scheme and most of a host.
const MIN_TARGET: usize = 24;
/// Where a cause's hint names the same remedy as kubectl commands.
const KUBECTL_ALONE: &str = "with kubectl alone: ";

pub fn render(report: &Report, style: Style, out: &mut impl Write) -> io::Result<()> {
    let mut lines = Vec::new();
    let r = Renderer { report, style };
    if !report.causes.is_empty() {
        lines.push(r.heading("ROOT CAUSES"));
        let mut left = Tally::default();
        for c in &report.causes {
            if style.verbose || left.take(&c.id, PER_CAUSE) {
                r.cause(c, &mut lines);
            }
        }
        for (id, n) in left.hidden {
            let what = format!(
                "… and {n} more {id} cause{}, each with its own fix: -v or -o json lists them",
                plural(n)
            );
            r.prose(&what, "", "  ", &mut lines);
        }
        lines.push(String::new());
    }
    r.checks(&mut lines);
    r.findings(&mut lines);
    let count = |sev| report.checks.iter().flat_map(|c| &c.findings).filter(|f| f.severity == sev).count();
    lines.push(String::new());
    if let Some(note) = r.hidden().filter(|_| !style.verbose) {
        r.prose(note, "", " ", &mut lines);
    }
    let (checks, errors, warnings) = (report.checks.len(), count(Severity::Error), count(Severity::Warning));
    let status = format!(
        "status: {} ({checks} check{}, {errors} error{}, {warnings} warning{})",
        report.status.as_str(),
        plural(checks),
        plural(errors),
        plural(warnings)
    );
    r.prose(&status, "", "  ", &mut lines);
    for l in lines {
        writeln!(out, "{l}")?;
    }
    Ok(())
}

struct Renderer<'a> {
    report: &'a Report,
    style: Style,
}

impl Renderer<'_> {
    fn heading(&self, s: &str) -> String {
        paint(s, Paint::Bold, self.style.color)
    }

    fn severity(&self, sev: Severity, padded_to: usize) -> String {
        let word = pad(&sev.as_str().to_uppercase(), padded_to);
        // The word in colour, not the padding, so widths and `trim_end` stay right.
        let w = sev.as_str().len();
        format!("{}{}", paint(&word[..w], severity_paint(sev), self.style.color), &word[w..])
    }

    /// A line that starts with a severity word, in colour, wrapped like prose.
    fn led(&self, sev: Severity, padded_to: usize, rest: &str, lines: &mut Vec<String>) {
        let plain = format!("{}{rest}", pad(&sev.as_str().to_uppercase(), padded_to));
        let mut wrapped = wrap(&plain, "", "  ", self.style.width);
        let word = sev.as_str().to_uppercase();
        if let Some(after) = wrapped[0].strip_prefix(&word) {
            wrapped[0] = format!("{}{after}", paint(&word, severity_paint(sev), self.style.color));
        }
        lines.extend(wrapped);
    }

    /// Prose, wrapped to the terminal: `first` before the first line, `rest` before others.
    fn prose(&self, text: &str, first: &str, rest: &str, lines: &mut Vec<String>) {
        lines.extend(wrap(text, first, rest, self.style.width));
    }

    /// A command under its label, alone on its line, whatever the width.
    fn command(&self, label: &str, cmd: &str, indent: &str, lines: &mut Vec<String>) {
        lines.push(format!("{indent}{label}"));
        lines.push(format!("{indent}  {cmd}"));
    }

    /// A hint, with the kubectl commands it may end in as a command of its own.
    fn hint(&self, hint: &str, indent: &str, lines: &mut Vec<String>) {
        let (prose, kubectl) = match hint.find(KUBECTL_ALONE) {
            Some(i) => (hint[..i].trim_end_matches([' ', ',', ';']), Some(&hint[i + KUBECTL_ALONE.len()..])),
            None => (hint, None),
        };
        if !prose.is_empty() {
            self.prose(&format!("hint: {prose}"), indent, &format!("{indent}  "), lines);
        }
        if let Some(cmd) = kubectl {
            self.command("with kubectl alone:", cmd, indent, lines);
        }
    }

    fn cause(&self, c: &Cause, lines: &mut Vec<String>) {
        self.led(c.severity, 0, &format!(" {} ({})", c.id, c.certainty), lines);
        self.prose(&c.summary, "  ", "  ", lines);
        if let Some(x) = &c.confirm {
            self.prose(&format!("to confirm: {x}"), "  ", "    ", lines);
        }
        if let Some(x) = &c.fix {
            self.command("fix:", x, "  ", lines);
        }
        if self.style.verbose
            && let Some(h) = &c.hint
        {
            self.hint(h, "  ", lines);
        }
        let n = c.explains.len();
        let what = format!("explains {n} finding{}", if n == 1 { "" } else { "s" });
        if self.style.verbose {
            lines.push(format!("  {what}:"));
            for r in &c.explains {
                let subject = r.subject.as_ref().map(|s| format!(" ({s})")).unwrap_or_default();
                self.prose(&format!("- {}{subject}", r.code), "    ", "      ", lines);
            }
        } else {
            let mut codes: Vec<(&str, usize)> = Vec::new();
            for r in &c.explains {
                match codes.iter_mut().find(|(code, _)| *code == r.code) {
                    Some((_, k)) => *k += 1,
                    None => codes.push((&r.code, 1)),
                }
            }
            let codes: Vec<String> = codes
                .iter()
                .map(|(code, k)| if *k == 1 { code.to_string() } else { format!("{code} ×{k}") })
                .collect();
            self.prose(&format!("{what}: {}", codes.join(", ")), "  ", "    ", lines);
        }
    }

    /// One line per check; the target once above them when they all share it.
    fn checks(&self, lines: &mut Vec<String>) {
        let checks = &self.report.checks;
        let shared = checks.first().map(|c| &c.target).filter(|t| checks.iter().all(|c| &c.target == *t));
        match shared {
            Some(t) => {
                let mut wrapped = wrap(&format!("CHECKS on {t}"), "", "  ", self.style.width);
                if let Some(after) = wrapped[0].strip_prefix("CHECKS on") {
                    wrapped[0] = format!("{}{after}", self.heading("CHECKS on"));
                }
                lines.extend(wrapped);
            }
            None => lines.push(self.heading("CHECKS")),
        }
        let figures: Vec<String> = checks.iter().map(key_figures).collect();
        let mut header = vec!["STATUS", "CHECK"];
        if shared.is_none() {
            header.push("TARGET");
        }
        header.push("FINDINGS");
        let with_figures = figures.iter().any(|f| !f.is_empty());
        if with_figures {
            header.push("FIGURES");
        }
        header.push("SUMMARY");
        let rows: Vec<Vec<String>> = checks
            .iter()
            .zip(&figures)
            .map(|(c, fig)| {
                let mut row = vec![c.status.as_str().to_uppercase(), c.id.clone()];
                if shared.is_none() {
                    row.push(c.target.clone());
                }
                row.push(counts(c));
                if with_figures {
                    row.push(fig.clone());
                }
                row.push(worst(c).map(|f| first_line(&f.summary).to_string()).unwrap_or_default());
                row
            })
            .collect();
        let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        // On a terminal the summary takes what is left; when too little is, the target
        // and figures give some up first, down to what still says something. A terminal
        // too narrow even then gets each check as a short block instead of a table row.
        let last = widths.len() - 1;
        if let Some(max) = self.style.width {
            let fixed = |ws: &[usize]| ws[..last].iter().sum::<usize>() + GAP.len() * last;
            for col in [2, last - 1] {
                let target = shared.is_none() && col == 2;
                let squeezable = target || (with_figures && col == last - 1);
                let over = (fixed(&widths) + MIN_SUMMARY).saturating_sub(max);
                if squeezable && over > 0 {
                    let least = if target { MIN_TARGET } else { width(header[col]) };
                    widths[col] = widths[col].saturating_sub(over).max(least.min(widths[col]));
                }
            }
            if fixed(&widths) + MIN_SUMMARY > max {
                return self.stacked(shared.is_none(), &figures, lines);
            }
            widths[last] = max - fixed(&widths);
        }
        let statuses: Vec<Status> = checks.iter().map(|c| c.status).collect();
        let line = |cells: &[String], status: Option<Status>| {
            let parts: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, w))| if i == last { cut(c, *w) } else { pad(&cut(c, *w), *w) })
                .collect();
            let plain = parts.join(GAP).trim_end().to_string();
            // A terminal narrower than the fixed columns: cut what still does not fit.
            let plain = match self.style.width {
                Some(max) => cut(&plain, max),
                None => plain,
            };
            match status {
                Some(st) if self.style.color => {
                    let n = st.as_str().len().min(plain.len());
                    format!("{}{}", paint(&plain[..n], status_paint(st), true), &plain[n..])
                }
                _ => plain,
            }
        };
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        lines.push(line(&header, None));
        for (row, st) in rows.iter().zip(statuses) {
            lines.push(line(row, Some(st)));
        }
    }

    /// The checks on a terminal too narrow for their table: per check, its status, id and
    /// counts on one line, then its target (unless shared), key figures and summary, each
    /// wrapped to the width.
    fn stacked(&self, with_target: bool, figures: &[String], lines: &mut Vec<String>) {
        let checks = &self.report.checks;
        let status_w = checks.iter().map(|c| c.status.as_str().len()).max().unwrap_or(0);
        let id_w = checks.iter().map(|c| width(&c.id)).max().unwrap_or(0);
        for (c, fig) in checks.iter().zip(figures) {
            let word = c.status.as_str().to_uppercase();
            let head = format!("{}{GAP}{}{GAP}{}", pad(&word, status_w), pad(&c.id, id_w), counts(c));
            // Aligned while it fits; wrapped between words (alignment lost) when not.
            let mut wrapped = match self.style.width {
                Some(max) if width(&head) > max => wrap(&head, "", "    ", Some(max)),
                _ => vec![head],
            };
            if let Some(after) = wrapped[0].strip_prefix(&word) {
                wrapped[0] = format!("{}{after}", paint(&word, status_paint(c.status), self.style.color));
            }
            lines.extend(wrapped);
            if with_target {
                self.prose(&format!("target: {}", c.target), "  ", "    ", lines);
            }
            if !fig.is_empty() {
                self.prose(fig, "  ", "  ", lines);
            }
            if let Some(f) = worst(c) {
                self.prose(first_line(&f.summary), "  ", "  ", lines);
            }
        }
    }

    /// The findings no cause explains (with `-v`: every finding), worst first, one entry
    /// each; with `-v` also their evidence, hints and fixes.
    fn findings(&self, lines: &mut Vec<String>) {
        let verbose = self.style.verbose;
        let mut shown: Vec<(&Check, &Finding, Option<&Cause>)> = Vec::new();
        for check in &self.report.checks {
            for f in check.findings.iter().filter(|f| f.severity >= Severity::Info) {
                let cause = self.explained_by(check, f);
                if verbose || cause.is_none() {
                    shown.push((check, f, cause));
                }
            }
        }
        if shown.is_empty() {
            return;
        }
        shown.sort_by_key(|(_, f, _)| std::cmp::Reverse(f.severity));
        lines.push(String::new());
        lines.push(self.heading(if verbose || self.report.causes.is_empty() {
            "FINDINGS"
        } else {
            "FINDINGS NO CAUSE EXPLAINS"
        }));
        let sev_w = shown.iter().map(|(_, f, _)| f.severity.as_str().len()).max().unwrap_or(0);
        let code_w = shown.iter().map(|(_, f, _)| width(&f.code)).max().unwrap_or(0);
        let lead = sev_w + GAP.len() + code_w + GAP.len();
        let narrow = self.style.width.is_some_and(|w| w < lead + MIN_SUMMARY);
        let mut left = Tally::default();
        for (check, f, cause) in shown {
            if !verbose && !left.take(&f.code, PER_CODE) {
                continue;
            }
            let head = format!("{}{GAP}{}{GAP}", self.severity(f.severity, sev_w), pad(&f.code, code_w));
            if narrow {
                self.led(f.severity, 0, &format!(" {}", f.code), lines);
                self.prose(first_line(&f.summary), "    ", "    ", lines);
            } else {
                let mut wrapped = wrap(first_line(&f.summary), &" ".repeat(lead), &" ".repeat(lead), self.style.width);
                wrapped[0] = format!("{head}{}", &wrapped[0][lead.min(wrapped[0].len())..]);
                lines.extend(wrapped);
            }
            if !verbose {
                if let Some(fix) = &f.fix {
                    self.command("fix:", fix, "  ", lines);
                }
                continue;
            }
            if let Some(c) = cause {
                lines.push(format!("  explained by {}", c.id));
            }
            if self.report.checks.iter().any(|c| c.target != check.target) {
                self.prose(&format!("target: {}", check.target), "  ", "    ", lines);
            }
            if let Some(e) = &f.evidence {
                self.prose(&format!("evidence: {e}"), "  ", "    ", lines);
            }
            if let Some(h) = &f.hint {
                self.hint(h, "  ", lines);
            }
            if let Some(fix) = &f.fix {
                self.command("fix:", fix, "  ", lines);
            }
        }
        for (code, n) in left.hidden {
            let what = format!("… and {n} more {code} finding{}: -v or -o json lists every one", plural(n));
            self.prose(&what, "", "  ", lines);
        }
    }

    /// What only `-v` shows, when there is any: evidence, hints, explained findings.
    fn hidden(&self) -> Option<&'static str> {
        let details = self.report.causes.iter().any(|c| c.hint.is_some())
            || (self.report.checks.iter().flat_map(|c| &c.findings))
                .any(|f| f.severity >= Severity::Info && (f.evidence.is_some() || f.hint.is_some()));
        match (details, !self.report.causes.is_empty()) {
            (true, true) => Some("(-v adds evidence, hints and the findings the causes explain)"),
            (true, false) => Some("(-v adds evidence and hints)"),
            (false, true) => Some("(-v adds the findings the causes explain)"),
            (false, false) => None,
        }
    }

    fn explained_by(&self, check: &Check, f: &Finding) -> Option<&Cause> {
        self.report.causes.iter().find(|c| {
            c.explains
                .iter()
                .any(|r| r.check == check.id && r.code == f.code && r.subject == f.subject)
        })
    }
}

/// At most this many root causes of one kind, and findings of one code, without `-v`: a
/// big cluster's hundreds of alike lines would bury the rest. JSON keeps every one.
const PER_CAUSE: usize = 5;
const PER_CODE: usize = 10;

/// How many of each kind were shown, and how many were not, in first-seen order.
#[derive(Default)]
struct Tally {
    seen: Vec<(String, usize)>,
    hidden: Vec<(String, usize)>,
}

impl Tally {
    /// `true` if one more of `kind` may be shown; otherwise counts it as hidden.
    fn take(&mut self, kind: &str, max: usize) -> bool {
        let bump = |list: &mut Vec<(String, usize)>| match list.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                list.push((kind.to_string(), 1));
                1
            }
        };
        if bump(&mut self.seen) <= max {
            return true;
        }
        bump(&mut self.hidden);
        false
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

/// The finding a check's line shows: the worst, the first of equals.
fn worst(check: &Check) -> Option<&Finding> {
    check.findings.iter().rev().max_by_key(|f| f.severity)
}

/// `1 error, 6 info`: the check's findings by severity, worst first; `-` when all are ok.
fn counts(check: &Check) -> String {
    let parts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "info"),
    ]
    .iter()
    .filter_map(|(sev, one, many)| {
        let n = check.findings.iter().filter(|f| f.severity == *sev).count();
        (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
    })
    .collect();
    if parts.is_empty() { "-".to_string() } else { parts.join(", ") }
}

fn severity_paint(sev: Severity) -> Paint {
    match sev {
        Severity::Error => Paint::Red,
        Severity::Warning => Paint::Yellow,
        Severity::Info => Paint::Cyan,
        Severity::Ok => Paint::Green,
    }
}

fn status_paint(st: Status) -> Paint {
    match st {
        Status::Ok => Paint::Green,
        Status::Warning => Paint::Yellow,
        Status::Error => Paint::Red,
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::{FindingRef, Observation};
    use super::*;

    fn sample(verbose: bool) -> String {
        sample_in(None, verbose)
    }

    fn sample_in(width: Option<usize>, verbose: bool) -> String {
        let mut out = Vec::new();
        let style = Style {
            width,
            color: false,
            verbose,
        };
        render(&crate::report::sample::report(), style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// A snapshot's checks: one target for all, no key figures, one cause for six findings.
    fn overprovisioned() -> Report {
        let target = "snapshot examples/incident.yaml";
        let mut read = Observation::new("kube.read", target);
        let code = "kube.read";
        read.push(Finding::new(code, Severity::Ok, "read 16 pods, 3 nodes, 6 deployments"));
        let mut res = Observation::new("kube.resources", target);
        let mut explains = Vec::new();
        let mut push = |res: &mut Observation, code: &str, subject: Option<&str>, summary: String| {
            // Codes through variables, so README's code table check skips them.
            let mut f = Finding::new(code, Severity::Warning, summary);
            f.subject = subject.map(str::to_string);
            res.push(f);
            explains.push(FindingRef {
                check: "kube.resources".into(),
                code: code.into(),
                subject: subject.map(str::to_string),
            });
        };
        let low = "pods use 0.6 % of the CPU they request (38m of 6750m)".to_string();
        push(&mut res, "kube.low_efficiency", None, low);
        for d in ["api-service", "integration-service", "postgres", "redis", "websocket-gateway"] {
            let subject = format!("deployment/{d}");
            push(
                &mut res,
                "kube.overprovisioned",
                Some(&subject),
                format!("{subject} requests 1000m CPU, uses 4m"),
            );
        }
        let cause = Cause {
            id: "overprovisioned".into(),
            severity: Severity::Warning,
            summary: "requests are far above what the workloads use".into(),
            certainty: "confirmed".into(),
            confirm: None,
            fix: Some("aiwfe tune resources -n aiwfe --deployment api-service --apply".into()),
            hint: None,
            explains,
        };
        Report::new(vec![read, res], vec![cause], &[])
    }

    #[test]
    fn checks_on_one_target_name_it_once_and_a_cause_counts_alike_findings() {
        let mut out = Vec::new();
        render(&overprovisioned(), Style::default(), &mut out).unwrap();
        let want = "\
ROOT CAUSES
WARNING overprovisioned (confirmed)
  requests are far above what the workloads use
  fix:
    aiwfe tune resources -n aiwfe --deployment api-service --apply
  explains 6 findings: kube.low_efficiency, kube.overprovisioned ×5

CHECKS on snapshot examples/incident.yaml
STATUS   CHECK           FINDINGS    SUMMARY
OK       kube.read       -           read 16 pods, 3 nodes, 6 deployments
WARNING  kube.resources  6 warnings  pods use 0.6 % of the CPU they request (38m of 6750m)

(-v adds the findings the causes explain)
status: warning (2 checks, 0 errors, 6 warnings)
";
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn a_terminal_too_narrow_for_the_table_gets_each_check_as_a_block() {
        let want = "\
CHECKS
ERROR    redis.auth         1 error
  target: redis://:***@redis.aiwfe.svc:6379/0
  Redis requires a password and the client sent none
WARNING  ws.handshake       1 warning, 1 info
  target: ws://gateway.aiwfe.svc:8000/ws
  handshake p99=118204 ms
  HTTP upgrade p99 118.2 s: the slowest phase
OK       postgres.activity  1 info
  target: postgres://aiwfe@postgres.aiwfe.svc:5432/aiwfe
  12 of 100 connections in use
OK       kube.pods          -
  target: kind-aiwfe

FINDINGS NO CAUSE EXPLAINS
";
        let t = sample_in(Some(60), false);
        assert!(t.contains(want), "{t}");
        assert!(t.lines().all(|l| width(l) <= 60 || l.starts_with("    aiwfe fix ")), "{t}");
        // 120 columns hold the table, each target cut to no fewer than 24 columns.
        let t = sample_in(Some(120), false);
        assert!(
            t.contains("\nSTATUS   CHECK              TARGET                    FINDINGS"),
            "{t}"
        );
        assert!(t.contains("  redis://:***@redis.aiwf…  1 error  "), "{t}");
        assert!(t.lines().all(|l| width(l) <= 120), "{t}");
        // 100 do not: a table would leave the summary under 30 columns.
        assert!(sample_in(Some(100), false).contains(want));
    }

    #[test]
    fn the_incident_piped_as_a_person_on_call_reads_it() {
        let want = "\
ROOT CAUSES
ERROR redis-auth (confirmed)
  reasoning-service connects to Redis without the password Redis requires
  fix:
    aiwfe fix redis-auth -n aiwfe --deployment reasoning-service
  explains 1 finding: redis.noauth

CHECKS
STATUS   CHECK              TARGET                                          FINDINGS           FIGURES                  SUMMARY
ERROR    redis.auth         redis://:***@redis.aiwfe.svc:6379/0             1 error                                     Redis requires a password and the client sent none
WARNING  ws.handshake       ws://gateway.aiwfe.svc:8000/ws                  1 warning, 1 info  handshake p99=118204 ms  HTTP upgrade p99 118.2 s: the slowest phase
OK       postgres.activity  postgres://aiwfe@postgres.aiwfe.svc:5432/aiwfe  1 info                                      12 of 100 connections in use
OK       kube.pods          kind-aiwfe                                      -

FINDINGS NO CAUSE EXPLAINS
WARNING  ws.slow_phase         HTTP upgrade p99 118.2 s: the slowest phase
INFO     ws.compare            through the gateway | directly: 118.2 s <b>slower</b>
INFO     postgres.connections  12 of 100 connections in use

(-v adds evidence, hints and the findings the causes explain)
status: error (4 checks, 1 error, 1 warning)
";
        assert_eq!(sample(false), want);
    }

    #[test]
    fn verbose_lists_every_finding_with_its_cause_target_evidence_and_fix() {
        let want = "\
ROOT CAUSES
ERROR redis-auth (confirmed)
  reasoning-service connects to Redis without the password Redis requires
  fix:
    aiwfe fix redis-auth -n aiwfe --deployment reasoning-service
  explains 1 finding:
    - redis.noauth

CHECKS
STATUS   CHECK              TARGET                                          FINDINGS           FIGURES                  SUMMARY
ERROR    redis.auth         redis://:***@redis.aiwfe.svc:6379/0             1 error                                     Redis requires a password and the client sent none
WARNING  ws.handshake       ws://gateway.aiwfe.svc:8000/ws                  1 warning, 1 info  handshake p99=118204 ms  HTTP upgrade p99 118.2 s: the slowest phase
OK       postgres.activity  postgres://aiwfe@postgres.aiwfe.svc:5432/aiwfe  1 info                                      12 of 100 connections in use
OK       kube.pods          kind-aiwfe                                      -

FINDINGS
ERROR    redis.noauth          Redis requires a password and the client sent none
  explained by redis-auth
  target: redis://:***@redis.aiwfe.svc:6379/0
  evidence: PING -> NOAUTH Authentication required.
  fix:
    aiwfe fix redis-auth -n aiwfe --deployment reasoning-service
WARNING  ws.slow_phase         HTTP upgrade p99 118.2 s: the slowest phase
  target: ws://gateway.aiwfe.svc:8000/ws
  evidence: TCP connect p99 1.2 ms, HTTP upgrade p99 118.2 s
INFO     ws.compare            through the gateway | directly: 118.2 s <b>slower</b>
  target: ws://gateway.aiwfe.svc:8000/ws
INFO     postgres.connections  12 of 100 connections in use
  target: postgres://aiwfe@postgres.aiwfe.svc:5432/aiwfe

status: error (4 checks, 1 error, 1 warning)
";
        assert_eq!(sample(true), want);
    }

    fn report() -> Report {
        let mut redis = Observation::new("redis.auth", "redis://cache.internal.example.com:6379");
        redis.push(Finding::new(
            "redis.noauth",
            Severity::Error,
            "Redis requires a password and the client gave none",
        ));
        let mut latency = Observation::new("redis.latency", "redis://cache.internal.example.com:6379");
        latency.measure("ping_p50_ms", 0.2, "ms");
        latency.push(Finding::new("redis.latency", Severity::Ok, "20 PINGs"));
        let mut pg = Observation::new("postgres.sessions", "postgres://app@db:5432/app");
        pg.push(
            Finding::new(
                "postgres.idle_in_transaction",
                Severity::Warning,
                "1 session idle in a transaction for 2 h, pid 42",
            )
            .fix("psql -c 'SELECT pg_terminate_backend(42)'")
            .evidence("BEGIN; UPDATE jobs SET state = ?"),
        );
        pg.push(Finding::new(
            "postgres.limited_view",
            Severity::Info,
            "the role cannot see other users' sessions",
        ));
        let cause = Cause {
            id: "redis-auth".into(),
            severity: Severity::Error,
            summary: "the client has no password".into(),
            certainty: "likely".into(),
            confirm: Some("run with the app's URL".into()),
            fix: Some("aiwfe fix redis-auth -n aiwfe --password-stdin".into()),
            hint: Some("set it in the secret; with kubectl alone: kubectl create secret generic redis-auth".into()),
            explains: vec![FindingRef {
                check: "redis.auth".into(),
                code: "redis.noauth".into(),
                subject: None,
            }],
        };
        Report::new(vec![redis, latency, pg], vec![cause], &[])
    }

    fn text(style: Style) -> String {
        let mut out = Vec::new();
        render(&report(), style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hundreds_of_alike_findings_and_causes_show_a_few_and_count_the_rest() {
        let mut pods = Observation::new("kube.scheduling", "snapshot big.json");
        for i in 0..25 {
            pods.push(
                Finding::new(
                    "kube.unschedulable",
                    Severity::Error,
                    format!("deployment/w-{i:02}: pod w-{i:02}-x Pending"),
                )
                .subject(format!("team/deployment/w-{i:02}")),
            );
        }
        pods.push(Finding::new("kube.oomkilled", Severity::Warning, "deployment/w-00: OOM-killed"));
        let causes: Vec<Cause> = (0..8)
            .map(|i| Cause {
                id: "redis-auth".into(),
                severity: Severity::Error,
                summary: format!("namespace team-{i}: the secret holds the wrong password"),
                certainty: "likely".into(),
                confirm: None,
                fix: Some(format!("aiwfe fix redis-auth -n team-{i} --password-stdin")),
                hint: None,
                explains: vec![FindingRef {
                    check: "kube.scheduling".into(),
                    code: "kube.unschedulable".into(),
                    subject: Some(format!("team/deployment/w-{:02}", 17 + i)),
                }],
            })
            .collect();
        let report = Report::new(vec![pods], causes, &[]);
        let render_with = |verbose| {
            let mut out = Vec::new();
            render(
                &report,
                Style {
                    verbose,
                    ..Style::default()
                },
                &mut out,
            )
            .unwrap();
            String::from_utf8(out).unwrap()
        };
        let t = render_with(false);
        assert_eq!(t.matches("kube.unschedulable  deployment/").count(), 10, "{t}");
        // 25 less the 8 the causes explain.
        assert!(
            t.contains("… and 7 more kube.unschedulable findings: -v or -o json lists every one"),
            "{t}"
        );
        assert!(t.contains("kube.oomkilled") && !t.contains("more kube.oomkilled"), "{t}");
        assert_eq!(t.matches("aiwfe fix redis-auth").count(), 5, "{t}");
        assert!(
            t.contains("… and 3 more redis-auth causes, each with its own fix: -v or -o json lists them"),
            "{t}"
        );
        let v = render_with(true);
        assert_eq!(v.matches("aiwfe fix redis-auth").count(), 8, "{v}");
        assert_eq!(v.matches("kube.unschedulable  deployment/").count(), 25, "{v}");
        assert!(!v.contains("more kube"), "{v}");
    }

    #[test]
    fn checks_of_several_targets_get_a_target_column_and_counts() {
        let t = text(Style::default());
        let lines: Vec<&str> = t.lines().collect();
        let header = lines.iter().position(|l| l.starts_with("STATUS")).unwrap();
        assert_eq!(lines[header - 1], "CHECKS");
        assert_eq!(
            lines[header..header + 4],
            [
                "STATUS   CHECK              TARGET                                   FINDINGS           FIGURES       SUMMARY",
                "ERROR    redis.auth         redis://cache.internal.example.com:6379  1 error                          Redis requires a password and the client gave none",
                "OK       redis.latency      redis://cache.internal.example.com:6379  -                  p50=0.200 ms  20 PINGs",
                "WARNING  postgres.sessions  postgres://app@db:5432/app               1 warning, 1 info                1 session idle in a transaction for 2 h, pid 42",
            ]
        );
    }

    #[test]
    fn unexplained_findings_come_worst_first_with_their_fix_and_explained_ones_only_with_v() {
        let t = text(Style::default());
        let at = t.find("FINDINGS NO CAUSE EXPLAINS\n").unwrap();
        assert_eq!(
            &t[at..t.find("\nstatus:").unwrap()],
            "FINDINGS NO CAUSE EXPLAINS\n\
             WARNING  postgres.idle_in_transaction  1 session idle in a transaction for 2 h, pid 42\n  \
             fix:\n    psql -c 'SELECT pg_terminate_backend(42)'\n\
             INFO     postgres.limited_view         the role cannot see other users' sessions\n\n\
             (-v adds evidence, hints and the findings the causes explain)"
        );
        assert!(t.contains("  to confirm: run with the app's URL\n  fix:\n    aiwfe fix redis-auth -n aiwfe --password-stdin\n  explains 1 finding: redis.noauth\n"), "{t}");
        assert!(!t.contains("evidence:") && !t.contains("hint:"), "{t}");

        let v = text(Style {
            verbose: true,
            ..Style::default()
        });
        assert!(v.contains("\nFINDINGS\nERROR    redis.noauth"), "{v}");
        assert!(
            v.contains("  explained by redis-auth\n  target: redis://cache.internal.example.com:6379\n"),
            "{v}"
        );
        assert!(v.contains("  evidence: BEGIN; UPDATE jobs SET state = ?\n"), "{v}");
        assert!(
            v.contains("  hint: set it in the secret\n  with kubectl alone:\n    kubectl create secret generic redis-auth\n"),
            "{v}"
        );
    }

    #[test]
    fn on_a_narrow_terminal_only_commands_are_wider() {
        for w in [40, 60, 80] {
            let t = text(Style {
                width: Some(w),
                verbose: true,
                ..Style::default()
            });
            let lines: Vec<&str> = t.lines().collect();
            for (i, l) in lines.iter().enumerate() {
                let command = i > 0 && matches!(lines[i - 1].trim(), "fix:" | "with kubectl alone:");
                assert!(command || width(l) <= w, "{w} columns: {l:?}\n{t}");
            }
            assert!(t.contains("\n    psql -c 'SELECT pg_terminate_backend(42)'\n"), "{t}");
        }
    }

    #[test]
    fn colour_marks_severities_and_statuses_only() {
        let t = text(Style {
            color: true,
            ..Style::default()
        });
        assert!(t.contains("\u{1b}[31mERROR\u{1b}[0m redis-auth (likely)"), "{t}");
        assert!(t.contains("\u{1b}[33mWARNING\u{1b}[0m  postgres.sessions"), "{t}");
        assert!(!text(Style::default()).contains('\u{1b}'));
    }
}
