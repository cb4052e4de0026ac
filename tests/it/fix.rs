//! `aiwfe fix`, `aiwfe history` and `aiwfe rollback` against the stateful test API server
//! (rollouts by its Deployment controller, watches, dry runs, 409s) and a real
//! `redis-server --requirepass`.

use crate::kube_live::{SERVER_PW, STALE_PW, b64, incident_api};
use crate::support::kubeapi::{KubeApi, NewPods, Rollout};
use crate::support::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;

/// A journal directory of the test's own.
struct State(tempfile::TempDir);

impl State {
    fn new() -> State {
        State(tempfile::tempdir().unwrap())
    }

    fn cmd(&self, api: &KubeApi, args: &[&str]) -> Output {
        run(aiwfe()
            .env("XDG_STATE_HOME", self.0.path())
            .args(args)
            .arg("--kubeconfig")
            .arg(&api.kubeconfig))
    }

    fn journal_files(&self) -> Vec<PathBuf> {
        let dir = self.0.path().join("aiwfe").join("runs");
        std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    }

    fn journal_text(&self) -> String {
        self.journal_files().iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
    }
}

fn affinity(api: &KubeApi) -> Value {
    api.get("apps", "deployments", "aiwfe", "integration-service").unwrap()["spec"]["template"]["spec"]["affinity"].clone()
}

fn generation(api: &KubeApi, name: &str) -> i64 {
    api.get("apps", "deployments", "aiwfe", name).unwrap()["metadata"]["generation"]
        .as_i64()
        .unwrap_or(0)
}

/// The writes that were not dry runs.
fn real_writes(api: &KubeApi) -> Vec<String> {
    api.writes()
        .into_iter()
        .filter(|w| !w.dry_run && w.code < 400)
        .map(|w| format!("{} {}", w.method, w.path))
        .collect()
}

/// Every object the server holds, as text.
fn text_of(api: &KubeApi) -> String {
    api.list("/secrets", "aiwfe").iter().map(|s| s.to_string()).collect()
}

/// The run exits 2 with `words` on stderr, and no write but dry runs reached the server.
fn assert_refused_before_any_change(api: &KubeApi, out: &Output, words: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", both(out));
    assert!(stderr(out).contains(words), "{}", stderr(out));
    assert!(real_writes(api).is_empty(), "{:?}", real_writes(api));
}

fn both(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

#[test]
fn fix_affinity_relaxes_waits_verifies_journals_and_rolls_back() {
    let api = incident_api();
    let st = State::new();
    let before = affinity(&api);
    let gen0 = generation(&api, "integration-service");

    let out = st.cmd(&api, &["fix", "affinity", "-n", "aiwfe", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let a = affinity(&api);
    assert!(
        a["podAntiAffinity"].get("requiredDuringSchedulingIgnoredDuringExecution").is_none(),
        "{a}"
    );
    let preferred = &a["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0];
    assert_eq!(preferred["weight"], 100);
    assert_eq!(
        preferred["podAffinityTerm"], before["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0],
        "the term keeps its selector and topology key"
    );
    assert_eq!(generation(&api, "integration-service"), gen0 + 1);
    // The dry run went first; then exactly one real write.
    let writes = api.writes();
    let first_real = writes.iter().position(|w| !w.dry_run).unwrap();
    assert!(
        writes[..first_real].iter().any(|w| w.dry_run && w.method == "PATCH"),
        "no dry run before the write"
    );
    // Its env holds a database password inline, so its before-image goes to a backup Secret
    // in the cluster (journaled by name), never into the local journal.
    assert_eq!(
        real_writes(&api),
        [
            "POST /api/v1/namespaces/aiwfe/secrets",
            "PATCH /apis/apps/v1/namespaces/aiwfe/deployments/integration-service"
        ]
    );
    assert!(!st.journal_text().contains("Pg-Incident-Secret-7"));
    assert!(!text_of(&api).is_empty());
    let text = stdout(&out);
    assert!(text.contains("preferredDuringSchedulingIgnoredDuringExecution"), "{text}");
    assert!(text.contains("journal: run "), "{text}");
    assert!(stderr(&out).contains("successfully rolled out"), "{}", stderr(&out));

    // A second run finds the change in place: nothing written, no new rollout.
    let again = st.cmd(
        &api,
        &["fix", "affinity", "-n", "aiwfe", "--deployment", "integration-service", "--yes"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", both(&again));
    assert!(both(&again).contains("nothing to change"), "{}", both(&again));
    assert_eq!(real_writes(&api).len(), 2);
    assert_eq!(generation(&api, "integration-service"), gen0 + 1);

    // The journal lists the run; rollback restores the spec exactly.
    let h = st.cmd(&api, &["history", "-o", "json"]);
    let runs = json(&h)["runs"].as_array().unwrap().clone();
    let applied: Vec<&Value> = runs.iter().filter(|r| r["outcome"] == "applied").collect();
    assert_eq!(applied.len(), 1, "{runs:?}");
    let id = applied[0]["id"].as_str().unwrap();
    let preview = st.cmd(&api, &["rollback", id, "--dry-run"]);
    assert_eq!(preview.status.code(), Some(0), "{}", both(&preview));
    assert_eq!(affinity(&api), a, "a dry-run rollback changes nothing");
    let back = st.cmd(&api, &["rollback", id, "--yes"]);
    assert_eq!(back.status.code(), Some(0), "{}", both(&back));
    assert_eq!(affinity(&api), before);
    let h = json(&st.cmd(&api, &["history", "-o", "json"]));
    assert!(
        h["runs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id && r["outcome"] == "rolled_back"),
        "{h}"
    );
}

#[test]
fn without_a_terminal_and_without_yes_nothing_changes() {
    let api = incident_api();
    let st = State::new();
    let out = st.cmd(&api, &["fix", "affinity", "-n", "aiwfe"]);
    assert_refused_before_any_change(&api, &out, "--yes");
    assert!(st.journal_files().is_empty());
}

#[test]
fn a_server_dry_run_rejection_stops_before_any_change() {
    let api = incident_api();
    let st = State::new();
    api.deny_by_webhook(
        "apps/deployments",
        "aiwfe",
        "integration-service",
        "validate.kyverno.svc-fail",
        "policy require-anti-affinity: pods must not share a node",
    );
    let out = st.cmd(&api, &["fix", "affinity", "-n", "aiwfe", "--yes"]);
    assert_refused_before_any_change(&api, &out, "admission webhook \"validate.kyverno.svc-fail\" denied the request");
}

#[test]
fn a_concurrent_change_to_what_the_fix_changes_is_not_overwritten() {
    let api = incident_api();
    let st = State::new();
    // Between the plan and the write, someone moves the term to zones.
    let theirs = json!({"spec": {"template": {"spec": {"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app.kubernetes.io/name": "integration-service"}}, "topologyKey": "topology.kubernetes.io/zone"}]}}}}}});
    api.interfere("apps/deployments", "aiwfe", "integration-service", theirs);
    let out = st.cmd(&api, &["fix", "affinity", "-n", "aiwfe", "--yes"]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert!(both(&out).contains("changed by someone else"), "{}", both(&out));
    let a = affinity(&api);
    assert_eq!(
        a["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]["topologyKey"], "topology.kubernetes.io/zone",
        "their change stands: {a}"
    );
    assert!(
        a["podAntiAffinity"]
            .get("preferredDuringSchedulingIgnoredDuringExecution")
            .is_none()
    );
}

#[test]
fn a_concurrent_change_elsewhere_is_kept_and_the_fix_still_applies() {
    let api = incident_api();
    let st = State::new();
    api.interfere(
        "apps/deployments",
        "aiwfe",
        "integration-service",
        json!({"metadata": {"labels": {"team": "integrations"}}}),
    );
    let out = st.cmd(&api, &["fix", "affinity", "-n", "aiwfe", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let d = api.get("apps", "deployments", "aiwfe", "integration-service").unwrap();
    assert_eq!(d["metadata"]["labels"]["team"], "integrations");
    assert_eq!(
        affinity(&api)["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"],
        100
    );
    assert!(stderr(&out).contains("planned again"), "{}", stderr(&out));
}

#[test]
fn a_rollout_past_its_deadline_fails_the_run_and_names_the_rollback() {
    let api = incident_api();
    let st = State::new();
    api.rollout("aiwfe", "integration-service", Rollout::DeadlineExceeded, NewPods::Ready);
    let out = st.cmd(&api, &["fix", "affinity", "-n", "aiwfe", "--yes", "--rollout-timeout", "20s"]);
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    let text = both(&out);
    assert!(text.contains("exceeded its progress deadline"), "{text}");
    assert!(text.contains("aiwfe rollback "), "{text}");
    // With --rollback-on-failure the change is undone at once.
    let api = incident_api();
    let before = affinity(&api);
    api.rollout("aiwfe", "integration-service", Rollout::DeadlineExceeded, NewPods::Ready);
    let out = st.cmd(
        &api,
        &[
            "fix",
            "affinity",
            "-n",
            "aiwfe",
            "--yes",
            "--rollback-on-failure",
            "--rollout-timeout",
            "20s",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", both(&out));
    assert_eq!(affinity(&api), before, "{}", both(&out));
}

fn redis_api(redis: &RedisServer) -> (KubeApi, String) {
    let _ = redis;
    (incident_api(), format!("redis://127.0.0.1:{}", redis.port))
}

#[test]
fn fix_redis_auth_refuses_a_password_redis_rejects_and_changes_nothing() {
    let redis = RedisServer::start(&["--requirepass", SERVER_PW]);
    let (api, url) = redis_api(&redis);
    let st = State::new();
    let out = run(aiwfe()
        .env("XDG_STATE_HOME", st.0.path())
        .env("WRONG_PW", "not-the-password-123")
        .args([
            "fix",
            "redis-auth",
            "-n",
            "aiwfe",
            "--password-env",
            "WRONG_PW",
            "--redis",
            &url,
            "--yes",
            "--kubeconfig",
        ])
        .arg(&api.kubeconfig));
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    let err = stderr(&out);
    assert!(err.contains("WRONGPASS invalid username-password pair"), "{err}");
    assert!(!both(&out).contains("not-the-password-123"), "{}", both(&out));
    assert!(
        api.writes().is_empty(),
        "no write at all, not even a dry run: {:?}",
        real_writes(&api)
    );
}

#[test]
fn fix_redis_auth_end_to_end_leaks_no_secret_and_rolls_back() {
    let redis = RedisServer::start(&["--requirepass", SERVER_PW]);
    let (api, url) = redis_api(&redis);
    let st = State::new();
    let gen0 = generation(&api, "reasoning-service");
    let out = run(aiwfe()
        .env("XDG_STATE_HOME", st.0.path())
        .args([
            "-vvv",
            "fix",
            "redis-auth",
            "-n",
            "aiwfe",
            "--from-secret",
            "aiwfe/redis-server-auth:password",
            "--redis",
            &url,
            "--yes",
            "--kubeconfig",
        ])
        .arg(&api.kubeconfig));
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let secret = api.get("", "secrets", "aiwfe", "redis-auth").unwrap();
    assert_eq!(secret["data"]["password"], b64(SERVER_PW));
    let dep = api.get("apps", "deployments", "aiwfe", "reasoning-service").unwrap();
    assert!(
        dep["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"].is_string(),
        "{dep}"
    );
    assert_eq!(generation(&api, "reasoning-service"), gen0 + 1);
    // The Secret's before-image is in a labelled backup Secret in the cluster, not in the journal.
    let backups: Vec<Value> = api
        .list("/secrets", "aiwfe")
        .into_iter()
        .filter(|s| s["metadata"]["labels"]["aiwfe.io/run"].is_string())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");

    let rb = st.cmd(&api, &["rollback", "--yes"]);
    assert_eq!(rb.status.code(), Some(0), "{}", both(&rb));
    assert_eq!(
        api.get("", "secrets", "aiwfe", "redis-auth").unwrap()["data"]["password"],
        b64(STALE_PW)
    );

    // No password, in any form, in any output, log line or journal file.
    let history = st.cmd(&api, &["history", "-o", "json"]);
    let everything = format!("{}{}{}{}", both(&out), both(&rb), both(&history), st.journal_text());
    assert!(!st.journal_text().is_empty());
    for secret in [SERVER_PW, STALE_PW] {
        for form in [secret.to_string(), b64(secret)] {
            assert!(!everything.contains(&form), "`{form}` leaked");
        }
    }
    // Pruning removes the backups.
    let pruned = st.cmd(&api, &["history", "--prune"]);
    assert_eq!(pruned.status.code(), Some(0), "{}", both(&pruned));
    assert!(
        api.list("/secrets", "aiwfe")
            .iter()
            .all(|s| s["metadata"]["labels"]["aiwfe.io/run"].is_null()),
        "{}",
        both(&pruned)
    );
}

#[test]
fn the_fix_plans_offline_from_the_bundled_incident() {
    let incident = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml");
    let out = run(aiwfe()
        .args(["fix", "affinity", "-n", "aiwfe", "--snapshot"])
        .arg(&incident)
        .arg("--dry-run"));
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        stdout(&out).contains("+          preferredDuringSchedulingIgnoredDuringExecution:"),
        "{}",
        stdout(&out)
    );
    let out = run(aiwfe()
        .args(["fix", "redis-auth", "-n", "aiwfe", "--snapshot"])
        .arg(&incident)
        .args(["--dry-run", "-o", "json"]));
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let v = json(&out);
    let steps = v["plan"]["steps"].as_array().unwrap();
    let targets: Vec<String> = steps
        .iter()
        .filter(|s| s["action"] == "change")
        .map(|s| {
            format!(
                "{}/{}",
                s["target"]["kind"].as_str().unwrap_or_default(),
                s["target"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(targets, ["Secret/redis-auth", "Deployment/reasoning-service"], "{v}");
}

#[test]
fn the_fix_plans_from_a_snapshot_that_needs_a_bigger_budget_when_given_one() {
    let incident = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml");
    // The incident, then a document nested 100 deep (deeper than the default budget's 64).
    let deep: String = (0..100).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.yaml");
    std::fs::write(&path, format!("{}\n---\n{deep}", std::fs::read_to_string(&incident).unwrap())).unwrap();
    let args = [
        "fix",
        "affinity",
        "-n",
        "aiwfe",
        "--deployment",
        "integration-service",
        "--snapshot",
    ];
    let out = run(aiwfe().args(args).arg(&path));
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(both(&out).contains("--snapshot-budget"), "{}", both(&out));
    let out = run(aiwfe().args(args).arg(&path).args(["--snapshot-budget", "2"]));
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(
        stdout(&out).contains("preferredDuringSchedulingIgnoredDuringExecution"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_playbook_error_quotes_file_line_and_column_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let pb = dir.path().join("mine.yaml");
    std::fs::write(
        &pb,
        "name: mine\nparams:\n  - name: namespace\n    required: true\nsteps:\n  - restrat: {namespace: a, target: deployment/b}\n",
    )
    .unwrap();
    let incident = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml");
    let out = run(aiwfe().arg("playbook").arg("run").arg(&pb).arg("--snapshot").arg(&incident));
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    let err = stderr(&out);
    assert!(err.contains("mine.yaml:6:5: unknown step kind `restrat`"), "{err}");
    assert!(err.contains("did you mean `restart`?"), "{err}");
    // A directory of playbooks comes before the built-in ones, and `list` says where each is from.
    std::fs::write(
        dir.path().join("affinity.yaml"),
        "name: affinity\ndescription: ours\nsteps:\n  - verify: {probe: kube}\n",
    )
    .unwrap();
    let out = run(aiwfe().args(["playbook", "list", "--playbooks"]).arg(dir.path()));
    let list = stdout(&out);
    assert!(list.lines().any(|l| l.starts_with("affinity") && l.ends_with("ours")), "{list}");
    assert!(
        list.lines().any(|l| l.starts_with("redis-auth") && l.contains("built in")),
        "{list}"
    );
    // A parameter the playbook does not declare is an error naming the declared ones.
    let out = run(aiwfe()
        .args([
            "playbook",
            "run",
            "affinity",
            "--set",
            "namespace=aiwfe",
            "--set",
            "deploymnets=x",
            "--snapshot",
        ])
        .arg(&incident));
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    assert!(stderr(&out).contains("deploymnets"), "{}", stderr(&out));
}

#[test]
fn fix_runs_with_exactly_the_rights_rbac_for_fix_grants() {
    let redis = RedisServer::start(&["--requirepass", SERVER_PW]);
    let url = format!("redis://127.0.0.1:{}", redis.port);
    let rbac = |mode: &str| stdout(&run(aiwfe().args(["rbac", "--for", mode, "-n", "aiwfe"])));
    let api = incident_api();
    api.authorize("system:serviceaccount:aiwfe:aiwfe-fix", &rbac("fix"));
    let st = State::new();
    let out = st.cmd(&api, &["fix", "affinity", "-n", "aiwfe", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let out = st.cmd(
        &api,
        &[
            "fix",
            "redis-auth",
            "-n",
            "aiwfe",
            "--from-secret",
            "aiwfe/redis-server-auth:password",
            "--redis",
            &url,
            "--yes",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    for _ in 0..2 {
        let out = st.cmd(&api, &["rollback", "--yes"]);
        assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    }
    let out = st.cmd(&api, &["history", "--prune"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert!(!api.requests().is_empty());

    // Doctor's read-only rights: the fix is refused by the server's dry run, nothing changes.
    let api = incident_api();
    api.authorize("system:serviceaccount:aiwfe:aiwfe-doctor", &rbac("doctor"));
    let out = st.cmd(&api, &["fix", "affinity", "-n", "aiwfe", "--yes"]);
    assert_refused_before_any_change(
        &api,
        &out,
        "User \"system:serviceaccount:aiwfe:aiwfe-doctor\" cannot patch resource \"deployments\"",
    );
}

#[test]
fn rollback_refuses_an_object_changed_since_the_run_unless_forced() {
    let api = incident_api();
    let st = State::new();
    let before = affinity(&api);
    let out = st.cmd(&api, &["fix", "affinity", "-n", "aiwfe", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    // Status updates by the controller do not count; someone scaling the Deployment does.
    api.patch_now("apps/deployments", "aiwfe", "integration-service", json!({"spec": {"replicas": 2}}));
    let out = st.cmd(&api, &["rollback", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", both(&out));
    let err = stderr(&out);
    assert!(err.contains("was changed after run") && err.contains("--force"), "{err}");
    assert!(
        err.contains("-  replicas: 2") && err.contains("+  replicas: 5"),
        "the diff shows what a restore would undo: {err}"
    );
    assert_eq!(
        affinity(&api)["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]["weight"],
        100
    );
    let out = st.cmd(&api, &["rollback", "--yes", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert_eq!(affinity(&api), before);
}

/// A gateway that keeps its Redis URL, stale password inline, in an env value.
fn with_inline_gateway(api: &KubeApi) {
    api.load(json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "api-gateway", "namespace": "aiwfe", "labels": {"app.kubernetes.io/name": "api-gateway"}},
        "spec": {"replicas": 2, "selector": {"matchLabels": {"app.kubernetes.io/name": "api-gateway"}},
            "template": {"metadata": {"labels": {"app.kubernetes.io/name": "api-gateway"}},
                "spec": {"containers": [{"name": "gateway", "image": "ghcr.io/aiwfe/api-gateway:2.3.1",
                    "env": [{"name": "REDIS_URL", "value": format!("redis://:{STALE_PW}@redis.aiwfe.svc.cluster.local:6379/0")},
                            {"name": "LOG_LEVEL", "value": "info"}],
                    "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}}}]}}}}));
}

#[test]
fn fix_redis_auth_rewrites_inline_urls_or_moves_them_into_the_secret() {
    let redis = RedisServer::start(&["--requirepass", SERVER_PW]);
    let url = format!("redis://127.0.0.1:{}", redis.port);
    let fix = |api: &KubeApi, st: &State, extra: &[&str]| {
        let mut args = vec![
            "fix",
            "redis-auth",
            "-n",
            "aiwfe",
            "--from-secret",
            "aiwfe/redis-server-auth:password",
            "--redis",
            &url,
            "--yes",
        ];
        args.extend_from_slice(extra);
        st.cmd(api, &args)
    };
    let env_of = |api: &KubeApi| {
        api.get("apps", "deployments", "aiwfe", "api-gateway").unwrap()["spec"]["template"]["spec"]["containers"][0]["env"][0].clone()
    };

    // In place: the URL keeps host, port and database, with the password Redis accepts.
    let api = incident_api();
    with_inline_gateway(&api);
    let st = State::new();
    let out = fix(&api, &st, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    assert_eq!(
        env_of(&api)["value"],
        format!("redis://:{SERVER_PW}@redis.aiwfe.svc.cluster.local:6379/0")
    );
    let leaked = format!("{}{}", both(&out), st.journal_text());
    assert!(!leaked.contains(SERVER_PW) && !leaked.contains(STALE_PW), "{leaked}");

    // --move-inline: the URL goes into the Secret, the env var reads it from there.
    let api = incident_api();
    with_inline_gateway(&api);
    let st = State::new();
    let out = fix(&api, &st, &["--move-inline"]);
    assert_eq!(out.status.code(), Some(0), "{}", both(&out));
    let env = env_of(&api);
    assert_eq!(
        env["valueFrom"]["secretKeyRef"],
        json!({"name": "redis-auth", "key": "redis_url"}),
        "{env}"
    );
    assert!(env.get("value").is_none(), "{env}");
    let secret = api.get("", "secrets", "aiwfe", "redis-auth").unwrap();
    assert_eq!(
        secret["data"]["redis_url"],
        b64(&format!("redis://:{SERVER_PW}@redis.aiwfe.svc.cluster.local:6379/0"))
    );
    assert_eq!(secret["data"]["password"], b64(SERVER_PW));
    assert!(!both(&out).contains(SERVER_PW), "{}", both(&out));
}
