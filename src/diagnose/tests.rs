//! The diagnosis rules on findings shaped as the probes make them.

use super::*;

fn obs(id: &str, findings: Vec<Finding>) -> Observation {
    let mut o = Observation::new(id, "t");
    o.findings = findings;
    o
}

fn crash() -> Finding {
    Finding::new("kube.crashloop", Severity::Error, "x")
        .subject("aiwfe/deployment/reasoning-service")
        .label("signature", "redis-auth")
        .label("namespace", "aiwfe")
        .label("workload", "deployment/reasoning-service")
        .label("redis_secret", "aiwfe/redis-auth:password")
        .label("redis_secret_sha256", "aaaa1111")
}

#[test]
fn crashloop_alone_names_the_likely_cause_and_how_to_confirm() {
    let c = diagnose(&[obs("kube.pods", vec![crash()])]);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].id, "redis-auth");
    assert_eq!(c[0].certainty, "likely");
    assert!(c[0].confirm.as_deref().unwrap().contains("--redis"));
    // Without the server's secret, the password comes from the user.
    assert_eq!(
        c[0].fix.as_deref(),
        Some("aiwfe fix redis-auth -n aiwfe --secret redis-auth --key password --password-stdin")
    );
    let hint = c[0].hint.as_deref().unwrap();
    assert!(
        hint.contains("with kubectl alone: kubectl create secret generic redis-auth -n aiwfe --from-literal=password=\"$REDIS_PASSWORD\""),
        "{hint}"
    );
    assert!(
        hint.ends_with("kubectl rollout restart deployment/reasoning-service -n aiwfe"),
        "{hint}"
    );
}

#[test]
fn crashloops_in_two_namespaces_get_one_fix_each() {
    let other = Finding::new("kube.crashloop", Severity::Error, "x")
        .subject("staging/deployment/worker")
        .label("signature", "redis-auth")
        .label("namespace", "staging")
        .label("workload", "deployment/worker")
        .label("redis_secret", "staging/cache-pass:pw");
    let c = diagnose(&[obs("kube.pods", vec![crash(), other])]);
    let fixes: Vec<&str> = c.iter().filter(|c| c.id == "redis-auth").filter_map(|c| c.fix.as_deref()).collect();
    assert_eq!(
        fixes,
        [
            "aiwfe fix redis-auth -n aiwfe --secret redis-auth --key password --password-stdin",
            "aiwfe fix redis-auth -n staging --secret cache-pass --key pw --password-stdin",
        ]
    );
    let staging = c.iter().find(|c| c.fix.as_deref().is_some_and(|f| f.contains("staging"))).unwrap();
    assert_eq!(staging.explains.len(), 1);
    assert_eq!(staging.explains[0].subject.as_deref(), Some("staging/deployment/worker"));
    let hint = staging.hint.as_deref().unwrap();
    assert!(hint.ends_with("kubectl rollout restart deployment/worker -n staging"), "{hint}");
    assert!(!hint.contains("reasoning-service"), "{hint}");
}

fn server(subject: &str, secret: &str, sha256: Option<&str>) -> Finding {
    let f = Finding::new("kube.redis_server", Severity::Info, "x")
        .subject(subject)
        .label("redis_server_secret", secret);
    match sha256 {
        Some(fp) => f.label("redis_server_sha256", fp),
        None => f,
    }
}

fn fix_with(servers: Vec<Finding>) -> (String, String) {
    let c = diagnose(&[obs("kube.pods", vec![crash()]), obs("kube.credentials", servers)]);
    (c[0].fix.clone().unwrap(), c[0].hint.clone().unwrap())
}

#[test]
fn the_servers_secret_becomes_from_secret() {
    let (fix, hint) = fix_with(vec![server(
        "aiwfe/deployment/redis",
        "aiwfe/redis-server-auth:password",
        Some("bbbb2222"),
    )]);
    assert_eq!(
        fix,
        "aiwfe fix redis-auth -n aiwfe --secret redis-auth --key password --from-secret aiwfe/redis-server-auth:password"
    );
    assert!(
        hint.contains("kubectl get secret redis-server-auth -n aiwfe -o jsonpath='{.data.password}'"),
        "{hint}"
    );
    // Known by name only (the secret was not read), it is still where Redis gets it.
    let (fix, _) = fix_with(vec![server("aiwfe/statefulset/redis", "aiwfe/redis-server-auth:password", None)]);
    assert!(fix.ends_with("--from-secret aiwfe/redis-server-auth:password"), "{fix}");
    // In another namespace, when it is the only Redis; kubectl reads it from there.
    let (fix, hint) = fix_with(vec![server("data/statefulset/redis", "data/redis:redis-password", None)]);
    assert!(fix.ends_with("--from-secret data/redis:redis-password"), "{fix}");
    assert!(
        hint.contains("kubectl get secret redis -n data -o jsonpath='{.data.redis-password}'"),
        "{hint}"
    );
}

#[test]
fn no_from_secret_when_copying_would_change_nothing_or_it_is_unclear() {
    let stdin = |fix: &str| fix.ends_with("--key password --password-stdin");
    // The same secret, or the same value: copying changes nothing.
    assert!(stdin(
        &fix_with(vec![server("aiwfe/deployment/redis", "aiwfe/redis-auth:password", None)]).0
    ));
    assert!(stdin(
        &fix_with(vec![server(
            "aiwfe/deployment/redis",
            "aiwfe/redis-server-auth:password",
            Some("aaaa1111")
        )])
        .0
    ));
    // Two Redis servers elsewhere: which one the pods use is unknown.
    assert!(stdin(
        &fix_with(vec![
            server("a/deployment/redis", "a/r:password", None),
            server("b/deployment/redis", "b/r:password", None)
        ])
        .0
    ));
    // Redis accepts another password than the server's secret holds.
    let c = diagnose(&[
        obs("kube.pods", vec![crash()]),
        obs(
            "kube.credentials",
            vec![server(
                "aiwfe/deployment/redis",
                "aiwfe/redis-server-auth:password",
                Some("cccc3333"),
            )],
        ),
        obs(
            "redis.auth",
            vec![Finding::new("redis.auth_ok", Severity::Ok, "x").label("password_sha256", "bbbb2222")],
        ),
    ]);
    assert!(stdin(c[0].fix.as_deref().unwrap()), "{:?}", c[0].fix);
}

#[test]
fn shell_words_are_quoted_only_when_needed() {
    assert_eq!(shell_word("aiwfe/redis-server-auth:password"), "aiwfe/redis-server-auth:password");
    assert_eq!(shell_word("a,b"), "a,b");
    assert_eq!(shell_word("x; rm -rf /"), "'x; rm -rf /'");
    assert_eq!(shell_word("it's"), "'it'\\''s'");
    assert_eq!(shell_word(""), "''");
}

#[test]
fn redis_probe_confirms_by_fingerprint() {
    let ok = Finding::new("redis.auth_ok", Severity::Ok, "x").label("password_sha256", "bbbb2222");
    let c = diagnose(&[obs("kube.pods", vec![crash()]), obs("redis.auth", vec![ok])]);
    assert_eq!(c[0].certainty, "confirmed");
    assert!(
        c[0].summary
            .contains("(sha256:aaaa1111) does not hold the password Redis accepts (sha256:bbbb2222)"),
        "{}",
        c[0].summary
    );
    assert_eq!(c[0].explains.len(), 2);

    let noauth = Finding::new("redis.noauth", Severity::Error, "x");
    let c = diagnose(&[obs("kube.pods", vec![crash()]), obs("redis.auth", vec![noauth])]);
    assert_eq!(c[0].certainty, "confirmed");
    assert!(c[0].explains.iter().any(|r| r.code == "redis.noauth"));
}

#[test]
fn only_a_differing_fingerprint_confirms_the_pods_secret_is_wrong() {
    let auth = |code: &str, fp: &str| {
        obs(
            "redis.auth",
            vec![Finding::new(code, Severity::Error, "x").label("password_sha256", fp)],
        )
    };
    let summary = |c: &[Cause]| (c[0].certainty.clone(), c[0].summary.clone());
    // Redis rejects the very password the pods' secret holds.
    let c = diagnose(&[obs("kube.pods", vec![crash()]), auth("redis.wrongpass", "aaaa1111")]);
    assert_eq!(
        summary(&c),
        (
            "confirmed".into(),
            "deployment/reasoning-service cannot authenticate to Redis: Redis rejects the password in secret `redis-auth` key `password` (sha256:aaaa1111)".into()
        )
    );
    assert!(c[0].explains.iter().any(|r| r.code == "redis.wrongpass"));
    // Redis rejects another password: nothing says which one the secret lacks.
    let c = diagnose(&[obs("kube.pods", vec![crash()]), auth("redis.wrongpass", "bbbb2222")]);
    assert!(
        c[0].summary.contains("Redis requires a password that the pods do not have"),
        "{}",
        c[0].summary
    );
    // Redis accepts the secret's own password: the crash has another reason.
    let c = diagnose(&[obs("kube.pods", vec![crash()]), auth("redis.auth_ok", "aaaa1111")]);
    assert_eq!(c[0].certainty, "likely");
    assert!(
        !c[0].summary.contains("does not hold the password Redis accepts"),
        "{}",
        c[0].summary
    );
    // The Redis server is started with another password than the pods' secret holds.
    let with_server = |fp: Option<&str>| {
        let s = server("aiwfe/deployment/redis", "aiwfe/redis-server-auth:password", fp);
        diagnose(&[obs("kube.pods", vec![crash()]), obs("kube.credentials", vec![s])])
    };
    assert_eq!(
        summary(&with_server(Some("bbbb2222"))),
        (
            "confirmed".into(),
            "deployment/reasoning-service cannot authenticate to Redis: secret `redis-auth` key `password` (sha256:aaaa1111) differs from the password the Redis server is started with (`redis-server-auth:password`, sha256:bbbb2222)".into()
        )
    );
    assert_eq!(with_server(Some("aaaa1111"))[0].certainty, "likely");
    assert_eq!(with_server(None)[0].certainty, "likely");
}

#[test]
fn anti_affinity_cause_carries_the_patch() {
    let c = diagnose(&[obs("kube.scheduling", vec![pending("aiwfe", "integration-service", true)])]);
    assert_eq!(c[0].id, "affinity");
    assert!(c[0].summary.contains("3 replicas on distinct nodes"));
    assert_eq!(
        c[0].fix.as_deref(),
        Some("aiwfe fix affinity -n aiwfe --deployment integration-service")
    );
    assert!(
        c[0].hint
            .as_deref()
            .unwrap()
            .ends_with("with kubectl alone: kubectl patch deployment/integration-service ..."),
        "{:?}",
        c[0].hint
    );
}

fn pending(ns: &str, name: &str, required: bool) -> Finding {
    let f = Finding::new("kube.unschedulable", Severity::Error, "x")
        .subject(format!("{ns}/deployment/{name}"))
        .label("reason", "anti-affinity")
        .label("namespace", ns)
        .label("workload", format!("deployment/{name}"));
    if !required {
        return f;
    }
    f.label("replicas", "3")
        .label("nodes", "2")
        .label("topology_key", "kubernetes.io/hostname")
        .fix(format!("kubectl patch deployment/{name} ..."))
}

#[test]
fn one_affinity_fix_per_namespace_with_a_comma_list() {
    let c = diagnose(&[obs(
        "kube.scheduling",
        vec![
            pending("shop", "web", true),
            pending("blog", "posts", true),
            pending("shop", "cart", true),
            // Kept out by other pods' rules: nothing of its own to relax.
            pending("shop", "cache", false),
        ],
    )]);
    let fixes: Vec<(&str, Option<&str>, usize)> = c.iter().map(|c| (c.id.as_str(), c.fix.as_deref(), c.explains.len())).collect();
    assert_eq!(
        fixes,
        [
            ("affinity", Some("aiwfe fix affinity -n blog --deployment posts"), 1),
            ("affinity", Some("aiwfe fix affinity -n shop --deployment web,cart"), 3),
        ]
    );
    assert!(
        c[1].summary
            .ends_with("deployment/cache cannot be scheduled: pod anti-affinity rules exclude every node"),
        "{}",
        c[1].summary
    );
    let only_others = diagnose(&[obs("kube.scheduling", vec![pending("shop", "cache", false)])]);
    assert_eq!((only_others[0].fix.as_deref(), only_others[0].hint.as_deref()), (None, None));
}

#[test]
fn slow_upgrades_point_at_the_proxy_but_slow_tls_does_not() {
    let slow = |phase: &str| {
        Finding::new(
            "ws.slow_phase",
            Severity::Error,
            "HTTP upgrade p99 75.0 s: the slowest phase; handshake p95 75.0 s",
        )
        .subject("wss://app.example.com/ws")
        .label("phase", phase)
    };
    let c = diagnose(&[obs("ws.handshake", vec![slow("upgrade")])]);
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].id, "ws-slow-auth");
    assert_eq!(c[0].severity, Severity::Error);
    assert!(c[0].summary.contains("wss://app.example.com/ws") && c[0].summary.contains("HTTP upgrade p99 75.0 s"));
    assert!(c[0].fix.as_deref().unwrap().starts_with("kubectl apply -k deploy/proxy"));
    assert!(diagnose(&[obs("ws.handshake", vec![slow("tls")])]).is_empty());
    // Redis refusing the password (seen in the pods or by the probe) is named alongside.
    let also = "; its Redis-backed auth is failing too (see redis-auth)";
    assert!(!c[0].summary.contains(also), "{}", c[0].summary);
    for redis in [
        crash(),
        Finding::new("redis.wrongpass", Severity::Error, "x"),
        Finding::new("redis.noauth", Severity::Error, "x"),
    ] {
        let c = diagnose(&[obs("ws.handshake", vec![slow("first_message")]), obs("r", vec![redis])]);
        let ws = c.iter().find(|c| c.id == "ws-slow-auth").unwrap();
        assert!(ws.summary.ends_with(also), "{}", ws.summary);
    }
}

fn crash_on(sig: &str, name: &str) -> Finding {
    Finding::new("kube.crashloop", Severity::Error, "x")
        .subject(format!("aiwfe/deployment/{name}"))
        .label("signature", sig)
        .label("namespace", "aiwfe")
        .label("workload", format!("deployment/{name}"))
}

fn ids(c: &[Cause]) -> Vec<(&str, &str)> {
    c.iter().map(|c| (c.id.as_str(), c.certainty.as_str())).collect()
}

#[test]
fn a_refused_service_is_confirmed_when_aiwfe_cannot_reach_it_either() {
    let pods = || {
        obs(
            "kube.pods",
            vec![crash_on("redis-refused", "api"), crash_on("postgres-refused", "db-worker")],
        )
    };
    let c = diagnose(&[pods()]);
    assert_eq!(ids(&c), [("redis-down", "likely"), ("postgres-down", "likely")]);
    assert_eq!(c[0].summary, "deployment/api crash-loops because Redis refuses connections");
    assert_eq!(c[0].confirm.as_deref(), Some("run doctor with the Redis address the pods use"));
    assert_eq!(
        c[1].summary,
        "deployment/db-worker crash-loops because PostgreSQL refuses connections"
    );
    let down = Finding::new("redis.unreachable", Severity::Error, "x");
    let c = diagnose(&[pods(), obs("redis.auth", vec![down])]);
    assert_eq!(ids(&c)[0], ("redis-down", "confirmed"));
    assert!(
        c[0].summary.ends_with("refuses connections (aiwfe could not reach it either)"),
        "{}",
        c[0].summary
    );
    assert_eq!((c[0].confirm.as_deref(), c[0].explains.len()), (None, 2));
}

#[test]
fn postgres_password_and_slot_crashes_name_their_cause() {
    let c = diagnose(&[obs("kube.pods", vec![crash_on("postgres-auth", "api")])]);
    assert_eq!(ids(&c), [("postgres-auth", "likely")]);
    assert_eq!(c[0].summary, "deployment/api crash-loops because PostgreSQL rejects its password");
    let c = diagnose(&[obs("kube.pods", vec![crash_on("postgres-too-many-clients", "api")])]);
    assert_eq!(ids(&c), [("postgres-connections", "likely")]);
    assert!(c[0].confirm.as_deref().unwrap().contains("--postgres"));
    // The probe's own figures alone are enough, and confirm it.
    let high = Finding::new("postgres.connections_high", Severity::Warning, "x");
    let c = diagnose(&[obs("postgres.connections", vec![high])]);
    assert_eq!(ids(&c), [("postgres-connections", "confirmed")]);
    assert_eq!(c[0].confirm, None);
}

#[test]
fn hpas_on_pods_without_cpu_requests_get_the_findings_fix() {
    let no_req = Finding::new("kube.hpa_no_cpu_request", Severity::Error, "x")
        .subject("aiwfe/hpa/api")
        .fix("kubectl set resources deployment/api -n aiwfe --requests=cpu=100m");
    let unable = Finding::new("kube.hpa_unable", Severity::Warning, "x").subject("aiwfe/hpa/api");
    let c = diagnose(&[obs("kube.hpa", vec![no_req, unable])]);
    assert_eq!(ids(&c), [("hpa-no-requests", "confirmed")]);
    assert_eq!(
        c[0].fix.as_deref(),
        Some("kubectl set resources deployment/api -n aiwfe --requests=cpu=100m")
    );
    assert_eq!(c[0].explains.len(), 2);
}

fn over(ns: &str, workload: &str) -> Finding {
    Finding::new("kube.overprovisioned", Severity::Warning, "x")
        .label("namespace", ns)
        .label("workload", workload)
        .fix(format!("kubectl set resources {workload} -n {ns} ..."))
}

#[test]
fn over_provisioned_deployments_are_tuned_once_per_namespace() {
    let low = Finding::new("kube.low_efficiency", Severity::Warning, "x").label("cpu_efficiency_pct", "4.2");
    let found = vec![
        low,
        over("shop", "deployment/web"),
        over("shop", "deployment/web"),
        over("shop", "statefulset/db"),
        over("blog", "deployment/posts"),
    ];
    let c = diagnose(&[obs("kube.resources", found)]);
    assert_eq!(ids(&c), [("overprovisioned", "confirmed")]);
    let summary = &c[0].summary;
    assert!(summary.starts_with("requests are far above what the workloads use: pods use 4.2 % of the CPU they request;"));
    assert_eq!(
        c[0].fix.as_deref(),
        Some(
            "aiwfe tune resources -n blog --deployment posts --sample 10m --apply && \
             aiwfe tune resources -n shop --deployment web --sample 10m --apply"
        )
    );
    assert!(
        c[0].hint
            .as_deref()
            .unwrap()
            .ends_with("kubectl set resources deployment/posts -n blog ...")
    );
    // Low efficiency alone still explains the waste, with nothing to tune.
    let low = Finding::new("kube.low_efficiency", Severity::Warning, "x");
    let c = diagnose(&[obs("kube.resources", vec![low])]);
    assert_eq!((ids(&c), c[0].fix.as_deref()), (vec![("overprovisioned", "confirmed")], None));
}

#[test]
fn deployments_without_autoscaling_list_at_most_six_commands() {
    let none: Vec<Finding> = (1..=7)
        .map(|i| Finding::new("kube.no_hpa", Severity::Info, "x").fix(format!("aiwfe tune hpa --deployment d{i}")))
        .collect();
    let c = diagnose(&[obs("kube.hpa", none[..2].to_vec())]);
    assert_eq!(ids(&c), [("no-autoscaling", "confirmed")]);
    assert_eq!(
        c[0].fix.as_deref(),
        Some("aiwfe tune hpa --deployment d1 && aiwfe tune hpa --deployment d2")
    );
    let c = diagnose(&[obs("kube.hpa", none)]);
    assert!(c[0].summary.starts_with("7 deployments have no HorizontalPodAutoscaler"));
    let fix = c[0].fix.as_deref().unwrap();
    assert!(
        fix.ends_with("aiwfe tune hpa --deployment d6 (and 1 more in the findings)"),
        "{fix}"
    );
}

#[test]
fn healthy_findings_explain_nothing() {
    let c = diagnose(&[obs("redis.auth", vec![Finding::new("redis.auth_ok", Severity::Ok, "x")])]);
    assert!(c.is_empty());
}
