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
                if squeezable {
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
            // At most the width: the columns before the summary leave it what is left.
            let plain = parts.join(GAP).trim_end().to_string();
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
mod tests;
