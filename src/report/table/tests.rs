use super::*;
use crate::report::model::{FindingRef, Observation};

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

fn table_at(report: &Report, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let style = Style {
        width: Some(width),
        color: false,
        verbose: false,
    };
    render(report, style, &mut out).unwrap();
    let t = String::from_utf8(out).unwrap();
    assert!(
        t.lines().all(|l| super::width(l) <= width || l.starts_with("    aiwfe fix ")),
        "{t}"
    );
    let from = t.lines().position(|l| l == "CHECKS" || l.starts_with("CHECKS on")).unwrap();
    t.lines().skip(from + 1).take_while(|l| !l.is_empty()).map(str::to_string).collect()
}

#[test]
fn the_summary_keeps_thirty_columns_the_target_then_the_figures_give_way() {
    let r = report();
    // 102 columns before the summary: at 132 every cell is whole but the summaries, cut
    // to the 30 left (at a word's end when one is near).
    assert_eq!(
        table_at(&r, 132),
        [
            "STATUS   CHECK              TARGET                                   FINDINGS           FIGURES       SUMMARY",
            "ERROR    redis.auth         redis://cache.internal.example.com:6379  1 error                          Redis requires a password and…",
            "OK       redis.latency      redis://cache.internal.example.com:6379  -                  p50=0.200 ms  20 PINGs",
            "WARNING  postgres.sessions  postgres://app@db:5432/app               1 warning, 1 info                1 session idle in a transacti…",
        ]
    );
    // 12 too few: the target gives them up.
    assert_eq!(
        table_at(&r, 120),
        [
            "STATUS   CHECK              TARGET                       FINDINGS           FIGURES       SUMMARY",
            "ERROR    redis.auth         redis://cache.internal.exa…  1 error                          Redis requires a password and…",
            "OK       redis.latency      redis://cache.internal.exa…  -                  p50=0.200 ms  20 PINGs",
            "WARNING  postgres.sessions  postgres://app@db:5432/app   1 warning, 1 info                1 session idle in a transacti…",
        ]
    );
    // The target keeps 24 (both are cut to it); the figures give up the rest, down to
    // their heading.
    assert_eq!(
        table_at(&r, 114)[3],
        "WARNING  postgres.sessions  postgres://app@db:5432/…  1 warning, 1 info             1 session idle in a transacti…"
    );
    assert_eq!(
        table_at(&r, 114)[2],
        "OK       redis.latency      redis://cache.internal.…  -                  p50=0.20…  20 PINGs"
    );
    assert_eq!(
        table_at(&r, 112)[2],
        "OK       redis.latency      redis://cache.internal.…  -                  p50=0.…  20 PINGs"
    );
    // One column fewer would leave the summary 29: each check becomes a block.
    assert_eq!(table_at(&r, 111)[0], "ERROR    redis.auth         1 error");
}

#[test]
fn with_one_target_only_the_figures_give_way_and_the_counts_stay_whole() {
    let mut r = report();
    for c in &mut r.checks {
        c.target = "redis://cache:6379".into();
    }
    let more = [
        (Severity::Error, "2"),
        (Severity::Warning, "a"),
        (Severity::Warning, "b"),
        (Severity::Warning, "c"),
        (Severity::Info, "i"),
    ];
    for (sev, s) in more {
        r.checks[0].findings.push(Finding::new("redis.maxclients", sev, s));
    }
    // 72 columns before the summary; at 97 the figures give up 5 of 12.
    assert_eq!(
        table_at(&r, 97),
        [
            "STATUS   CHECK              FINDINGS                      FIGURES  SUMMARY",
            "ERROR    redis.auth         2 errors, 3 warnings, 1 info           Redis requires a password and…",
            "OK       redis.latency      -                             p50=0.…  20 PINGs",
            "WARNING  postgres.sessions  1 warning, 1 info                      1 session idle in a transacti…",
        ]
    );
    assert_eq!(table_at(&r, 96)[0], "ERROR    redis.auth         2 errors, 3 warnings, 1 info");
}

#[test]
fn a_block_head_that_fits_exactly_stays_aligned() {
    // The head is 45 columns aligned: at 45 it keeps its columns, at 44 single spaces.
    let t = sample_in(Some(45), false);
    assert!(t.contains("\nWARNING  ws.handshake       1 warning, 1 info\n"), "{t}");
    assert!(t.lines().all(|l| width(l) <= 45 || l.starts_with("    aiwfe fix ")), "{t}");
    let t = sample_in(Some(44), false);
    assert!(t.contains("\nWARNING ws.handshake 1 warning, 1 info\n"), "{t}");
    assert!(t.lines().all(|l| width(l) <= 44 || l.starts_with("    aiwfe fix ")), "{t}");
}

#[test]
fn findings_keep_their_columns_while_thirty_are_left_for_the_summary() {
    // WARNING and postgres.connections with their gaps: 31 columns before the summary.
    let findings = |w| {
        let t = sample_in(Some(w), false);
        let at = t.find("FINDINGS NO CAUSE EXPLAINS\n").unwrap();
        t[at..].lines().skip(1).take(2).map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(
        findings(61),
        [
            "WARNING  ws.slow_phase         HTTP upgrade p99 118.2 s: the",
            "                               slowest phase"
        ]
    );
    assert_eq!(
        findings(60),
        ["WARNING ws.slow_phase", "    HTTP upgrade p99 118.2 s: the slowest phase"]
    );
}

#[test]
fn verbose_findings_name_their_target_only_when_the_checks_differ() {
    let mut r = report();
    let verbose = |r: &Report| {
        let mut out = Vec::new();
        let style = Style {
            width: None,
            color: false,
            verbose: true,
        };
        render(r, style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let t = verbose(&r);
    assert!(t.contains("\n  target: redis://cache.internal.example.com:6379\n"), "{t}");
    for c in &mut r.checks {
        c.target = "redis://cache:6379".into();
    }
    let t = verbose(&r);
    assert!(t.contains("CHECKS on redis://cache:6379"), "{t}");
    assert!(!t.contains("target:"), "{t}");
}
