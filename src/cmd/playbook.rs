//! `aiwfe playbook list | show | run`, and the run itself, which `aiwfe fix` shares: plan
//! (against the live objects or a snapshot), print the plan, server dry run, confirm, apply
//! with the journal, follow the rollouts, verify by re-probing, report.

use super::{Output, runtime};
use crate::cluster::live::LiveTarget;
use crate::cluster::write::{Rollout, Writer};
use crate::cluster::{self, ClusterState};
use crate::error::Error;
use crate::playbook::apply::{self, ApplyError, Progress, Waits};
use crate::playbook::journal::{Journal, Outcome};
use crate::playbook::{self, Action, Kind, ObjectRef, ParamValue, Plan};
use crate::probe::{self, Probe};
use crate::report::{Finding, Format, Observation, Report, Severity};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// Where the objects come from.
#[derive(Debug, Clone)]
pub enum Cluster {
    /// The live API; `namespace` as kubectl's `-n` (`Some("")`: the context's).
    Live { target: LiveTarget, namespace: Option<String> },
    /// A saved state: plan only; `budget` multiplies a YAML file's parse budget.
    Snapshot {
        path: PathBuf,
        budget: u32,
        namespace: Option<String>,
    },
}

impl Cluster {
    pub fn namespace(&self) -> Option<&str> {
        match self {
            Cluster::Live { namespace, .. } | Cluster::Snapshot { namespace, .. } => namespace.as_deref(),
        }
    }
}

/// How a plan is applied.
#[derive(Debug, Clone)]
pub struct ApplySettings {
    pub dry_run: bool,
    pub yes: bool,
    pub rollback_on_failure: bool,
    pub rollout_timeout: Option<Duration>,
    /// `$XDG_STATE_HOME/aiwfe` (the journal is under it).
    pub state_dir: PathBuf,
    /// Each API call's and probe's deadline.
    pub timeout: Duration,
}

/// A playbook's text and where it came from (`redis-auth (built in)`, `./mine.yaml`).
#[derive(Debug, Clone)]
pub struct Source {
    pub file: String,
    pub text: String,
}

/// Finds playbook `name`: a file path, else `NAME.yaml` in `dir`, else a built-in one.
pub fn find(name: &str, dir: Option<&Path>) -> Result<Source, Error> {
    let path = Path::new(name);
    if name.ends_with(".yaml") || name.ends_with(".yml") || name.contains('/') {
        let text = std::fs::read_to_string(path).map_err(|e| Error::ConfigRead {
            path: path.to_path_buf(),
            reason: e.to_string().to_lowercase(),
        })?;
        return Ok(Source {
            file: path.display().to_string(),
            text,
        });
    }
    if let Some(dir) = dir {
        for ext in ["yaml", "yml"] {
            let p = dir.join(format!("{name}.{ext}"));
            if p.is_file() {
                let text = std::fs::read_to_string(&p).map_err(|e| Error::ConfigRead {
                    path: p.clone(),
                    reason: e.to_string().to_lowercase(),
                })?;
                return Ok(Source {
                    file: p.display().to_string(),
                    text,
                });
            }
        }
    }
    match playbook::builtin(name) {
        Some(text) => Ok(Source {
            file: format!("{name}.yaml (built in)"),
            text: text.to_string(),
        }),
        None => Err(Error::Invalid {
            field: "playbook".into(),
            reason: format!(
                "no playbook `{name}`; `aiwfe playbook list` shows them (built in: {})",
                playbook::BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
            ),
        }),
    }
}

/// Every playbook there is: (name, where from, description).
pub fn list(dir: Option<&Path>) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    if let Some(dir) = dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        {
            let text = std::fs::read_to_string(&p).unwrap_or_default();
            let desc = match playbook::parse(&p.display().to_string(), &text) {
                Ok(pb) => pb.description.clone().unwrap_or_default(),
                Err(e) => format!("invalid: {}", e.to_string().lines().next().unwrap_or_default()),
            };
            let name = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            out.push((name, p.display().to_string(), desc));
        }
    }
    for (name, text) in playbook::BUILTIN {
        if out.iter().any(|(n, _, _)| n == name) {
            continue;
        }
        let desc = playbook::parse(name, text)
            .ok()
            .and_then(|p| p.description.clone())
            .unwrap_or_default();
        out.push((name.to_string(), "built in".into(), desc));
    }
    out
}

/// `aiwfe playbook list`
pub fn run_list(dir: Option<&Path>, out: &mut impl Write) -> Result<u8, Error> {
    let rows = list(dir);
    let w = rows.iter().map(|(n, _, _)| n.len()).max().unwrap_or(4).max(4);
    let f = rows.iter().map(|(_, f, _)| f.len()).max().unwrap_or(4).max(4);
    let _ = writeln!(out, "{:w$}  {:f$}  DESCRIPTION", "NAME", "FROM");
    for (n, from, d) in rows {
        let _ = writeln!(out, "{n:w$}  {from:f$}  {d}");
    }
    Ok(0)
}

/// `aiwfe playbook show NAME`
pub fn run_show(name: &str, dir: Option<&Path>, out: &mut impl Write) -> Result<u8, Error> {
    let src = find(name, dir)?;
    playbook::parse(&src.file, &src.text).map_err(playbook_error)?;
    let _ = out.write_all(src.text.as_bytes());
    Ok(0)
}

/// A playbook error as the user sees it: file, line, column, the line, a hint.
pub fn playbook_error(e: playbook::Error) -> Error {
    Error::Playbook(e.to_string())
}

/// Everything one run needs.
#[derive(Debug)]
pub struct RunSettings {
    pub source: Source,
    pub params: Vec<(String, ParamValue)>,
    pub cluster: Cluster,
    pub apply: ApplySettings,
    pub output: Output,
    /// The Redis to check a `verify: {probe: redis}` step against; its password is the
    /// playbook's `password` parameter.
    pub redis: Option<probe::redis::Target>,
    /// Lines the caller wants shown before the plan (what discovery found).
    pub notes: Vec<String>,
    /// Planning from a snapshot, which holds no secret values: stand-in values and the
    /// fingerprint each stands for, so a plan shows the real values' fingerprints.
    pub stand_ins: Vec<(String, String)>,
}

/// A stand-in for a secret value a snapshot does not hold, and its mask with the real
/// value's fingerprint.
pub fn stand_in(what: &str, fingerprint: &str) -> (String, String) {
    (
        format!("(the value of {what}, not in the snapshot)"),
        format!("*** (sha256:{fingerprint})"),
    )
}

/// The stand-in for the value of a snapshot Secret's key, whose fingerprint the snapshot holds.
fn secret_stand_in(s: &cluster::SecretInfo, key: &str, fingerprint: &str) -> (String, String) {
    stand_in(
        &format!("secret `{}/{}` key `{key}`, sha256:{fingerprint}", s.namespace, s.name),
        fingerprint,
    )
}

/// The text with every stand-in's mask replaced by the mask of the value it stands for.
fn shown(text: &str, stand_ins: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (plain, real) in stand_ins {
        out = out.replace(&playbook::mask(plain), real);
    }
    out
}

/// `aiwfe playbook run`: the run on its own runtime.
pub fn run(s: RunSettings, out: &mut impl Write) -> Result<u8, Error> {
    let rt = runtime(Some(2))?;
    let r = rt.block_on(async {
        let session = Session::open(&s.cluster, s.apply.timeout).await?;
        execute(s, &session, out).await
    });
    rt.shutdown_background();
    r
}

/// An open cluster: a writer for the live API, and the state read at the start.
pub struct Session {
    pub writer: Option<Writer>,
    pub state: ClusterState,
    /// `context NAME`, `snapshot FILE`.
    pub name: String,
    /// The namespace `-n` resolves to (the context's default for a live cluster without `-n`).
    pub namespace: Option<String>,
}

impl Session {
    pub async fn open(c: &Cluster, timeout: Duration) -> Result<Session, Error> {
        match c {
            Cluster::Snapshot { path, budget, namespace } => {
                let mut state = cluster::load_snapshot_with(path, *budget).map_err(|reason| Error::Invalid {
                    field: "--snapshot".into(),
                    reason,
                })?;
                if let Some(ns) = namespace {
                    state.retain_namespace(ns);
                }
                Ok(Session {
                    writer: None,
                    state,
                    name: format!("snapshot {}", path.display()),
                    namespace: namespace.clone(),
                })
            }
            Cluster::Live { target, namespace } => {
                let writer = Writer::connect(target, timeout).await.map_err(|e| Error::Cluster(e.to_string()))?;
                let ns = namespace.as_ref().map(|n| {
                    if n.is_empty() {
                        writer.default_namespace.clone()
                    } else {
                        n.clone()
                    }
                });
                let deadline = std::time::Instant::now() + timeout;
                let state = cluster::live::load(target, ns.as_deref(), deadline, &|_| {}).await?;
                Ok(Session {
                    writer: Some(writer),
                    state,
                    name: target.display(),
                    namespace: ns,
                })
            }
        }
    }
}

/// The objects a plan reads: from the live API, or from the snapshot's state.
struct Fetched(BTreeMap<ObjectRef, Value>);

impl playbook::Objects for Fetched {
    fn get(&self, r: &ObjectRef) -> Option<Value> {
        self.0.get(r).cloned()
    }
}

async fn fetch(session: &Session, wanted: &[ObjectRef]) -> Result<Fetched, Error> {
    let mut objs = BTreeMap::new();
    for r in wanted {
        let obj = match &session.writer {
            Some(w) => w
                .get(&apply::resource(r.kind), &r.namespace, &r.name)
                .await
                .map_err(|e| Error::Cluster(format!("cannot read {r}: {e}")))?,
            None => from_state(&session.state, r),
        };
        if let Some(o) = obj {
            objs.insert(r.clone(), o);
        }
    }
    Ok(Fetched(objs))
}

/// An object of a snapshot, as the API would return it. A snapshot holds no Secret values:
/// a Secret there has its keys with stand-in values.
fn from_state(state: &ClusterState, r: &ObjectRef) -> Option<Value> {
    let same = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
        m.name.as_deref() == Some(r.name.as_str()) && m.namespace.as_deref().unwrap_or("default") == r.namespace
    };
    let with_kind = |mut v: Value, api: &str, kind: &str| {
        v["apiVersion"] = json!(api);
        v["kind"] = json!(kind);
        v
    };
    match r.kind {
        Kind::Deployment => state
            .deployments
            .iter()
            .find(|d| same(&d.metadata))
            .and_then(|d| serde_json::to_value(d).ok())
            .map(|v| with_kind(v, "apps/v1", "Deployment")),
        Kind::HorizontalPodAutoscaler => state
            .hpas
            .iter()
            .find(|h| same(&h.metadata))
            .and_then(|h| serde_json::to_value(h).ok())
            .map(|v| with_kind(v, "autoscaling/v2", "HorizontalPodAutoscaler")),
        Kind::Secret => state
            .secrets
            .iter()
            .find(|s| s.name == r.name && s.namespace == r.namespace)
            .map(|s| {
                use base64::Engine;
                let data: serde_json::Map<String, Value> = s
                    .fingerprints
                    .iter()
                    .map(|(k, fp)| {
                        let (plain, _) = secret_stand_in(s, k, fp);
                        (k.clone(), json!(base64::engine::general_purpose::STANDARD.encode(plain)))
                    })
                    .collect();
                json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                   "metadata": {"name": s.name, "namespace": s.namespace}, "data": data})
            }),
        Kind::StatefulSet | Kind::DaemonSet => None,
    }
}

/// Plans, shows, checks, confirms, applies, waits, verifies and reports one run.
pub async fn execute(s: RunSettings, session: &Session, out: &mut impl Write) -> Result<u8, Error> {
    let pb = playbook::parse(&s.source.file, &s.source.text).map_err(playbook_error)?;
    let params = playbook::resolve_params(&pb, s.params.clone()).map_err(playbook_error)?;
    let now = jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let steps = playbook::expand(&pb, &params, &now).map_err(playbook_error)?;
    let objects = fetch(session, &playbook::targets(&steps)).await?;
    let plan = playbook::plan(&pb.name, &steps, &objects, &params).map_err(playbook_error)?;
    // What the plan learned (values of Secrets it read) is scrubbed from log lines too.
    crate::redact::add_log_secrets(plan.redactor().secrets());
    let offline = session.writer.is_none();
    let mut stand_ins = s.stand_ins.clone();
    for sec in &session.state.secrets {
        for (k, fp) in &sec.fingerprints {
            stand_ins.push(secret_stand_in(sec, k, fp));
        }
    }
    let human = s.output.format == Format::Table;
    let dry_run = s.apply.dry_run || offline;

    if human && !s.output.quiet {
        let e = |s: &str| crate::term::escape(s).into_owned();
        let _ = writeln!(out, "plan: {} on {}", e(&pb.name), e(&session.name));
        for n in &s.notes {
            let _ = writeln!(out, "  {}", e(n));
        }
        // The diff quotes objects as the cluster holds them: annotations are anyone's text.
        let _ = out.write_all(e(&shown(&render_plan(&plan), &stand_ins)).as_bytes());
    }
    if dry_run {
        if offline && human && !s.output.quiet {
            let _ = writeln!(out, "offline: planned against {}; nothing was sent to a cluster", session.name);
        }
        if !human && !s.output.quiet {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&plan_json(&plan, None, "planned", None)).unwrap_or_default()
            );
        }
        return Ok(0);
    }
    let Some(w) = &session.writer else { return Ok(0) };
    let say = Say::new(human && !s.output.quiet);
    if plan.is_noop() {
        say.line("nothing to change: every step already holds");
    } else {
        apply::dry_run(&plan, w).await.map_err(|e| Error::Apply(e.to_string()))?;
        say.line(&format!("server dry run: {} change(s) accepted", plan.writes().count()));
        confirm(
            s.apply.yes,
            &format!("apply {} change(s) to {}?", plan.writes().count(), session.name),
        )?;
    }

    let journal = Journal::new(&s.apply.state_dir);
    let mut run = journal.start(&pb.name, &session.name);
    let waits = Waits {
        timeout: s.apply.rollout_timeout,
    };
    let mut apply_obs = Observation::new("fix.apply", session.name.clone());
    let applied = if plan.is_noop() {
        run.outcome = Outcome::NoChange;
        // A plan with waits but no writes still waits: a rollout may be under way.
        apply::apply(&plan, w, &journal, &mut run, waits, &say).await
    } else {
        journal.save(&run).map_err(|e| Error::Apply(e.to_string()))?;
        apply::apply(&plan, w, &journal, &mut run, waits, &say).await
    };
    let failed = applied.is_err();
    match applied {
        Ok(()) => {
            let n = run
                .changes
                .iter()
                .filter(|c| c.state == playbook::journal::EntryState::Applied)
                .count();
            apply_obs.push(Finding::new(
                "fix.applied",
                Severity::Ok,
                format!("{n} change(s) applied, journaled as run {}", run.id),
            ));
        }
        Err(e) => {
            let done: Vec<String> = run
                .changes
                .iter()
                .filter(|c| c.state == playbook::journal::EntryState::Applied)
                .map(|c| c.target())
                .collect();
            let mut f = Finding::new(code_of(&e), Severity::Error, e.to_string())
                .subject(run.id.clone())
                .hint(if done.is_empty() {
                    "nothing was changed".to_string()
                } else {
                    format!(
                        "applied before it stopped: {}; `aiwfe rollback {}` restores them",
                        done.join(", "),
                        run.id
                    )
                });
            if let ApplyError::Changed { diff, .. } = &e {
                f = f.evidence(diff.clone());
            }
            apply_obs.push(f);
            if s.apply.rollback_on_failure && !done.is_empty() {
                say.line(&format!("rolling back run {}", run.id));
                let red = plan.redactor().clone();
                match apply::rollback(&mut run, w, &journal, false, false, &red, &say).await {
                    Ok(_) => apply_obs.push(Finding::new(
                        "fix.rolled_back",
                        Severity::Warning,
                        format!("run {} rolled back", run.id),
                    )),
                    Err(e) => apply_obs.push(Finding::new("fix.rollback_failed", Severity::Error, e.to_string())),
                }
            }
        }
    }
    let mut observations = vec![apply_obs];
    if !failed {
        observations.extend(verify(&plan, &s, session).await);
        let worst = observations.iter().map(|o| o.worst()).max().unwrap_or(Severity::Ok);
        if run.outcome == Outcome::Applying {
            run.outcome = if worst >= Severity::Error {
                Outcome::Unverified
            } else {
                Outcome::Applied
            };
        }
        run.verified = Some(if worst >= Severity::Error {
            "problems remain".into()
        } else {
            "verified".into()
        });
    }
    if !run.changes.is_empty() || run.outcome != Outcome::NoChange {
        journal.save(&run).map_err(|e| Error::Apply(e.to_string()))?;
    }
    let report = Report::new(observations, Vec::new(), &s.output.ignore);
    let secrets = plan.redactor().secrets();
    if human {
        super::emit(&report, &s.output, &secrets, out)?;
        if !s.output.quiet && !run.changes.is_empty() {
            let _ = writeln!(out, "journal: run {} (undo with `aiwfe rollback {}`)", run.id, run.id);
        }
    } else if !s.output.quiet {
        let mut v = plan_json(&plan, Some(&run.id), run.outcome.as_str(), Some(&report));
        v["journal"] = json!(journal.dir().join(format!("{}.json", run.id)));
        let text = serde_json::to_string_pretty(&v).unwrap_or_default();
        let _ = writeln!(out, "{}", crate::redact::scrub(&text, &secrets));
    }
    Ok(report.exit_code(s.output.fail_on))
}

fn code_of(e: &ApplyError) -> &'static str {
    match e {
        ApplyError::Changed { .. } => "fix.conflict",
        ApplyError::Rollout { .. } => "fix.rollout",
        ApplyError::Backup { .. } => "fix.backup",
        ApplyError::Journal(_) => "fix.journal",
        _ => "fix.write",
    }
}

/// Re-runs the probes the plan's `verify` steps name, keeping what they say about the
/// plan's targets.
async fn verify(plan: &Plan, s: &RunSettings, session: &Session) -> Vec<Observation> {
    let mut probes: Vec<Box<dyn Probe>> = Vec::new();
    let wanted: Vec<&str> = plan
        .steps
        .iter()
        .filter_map(|st| match &st.action {
            Action::Verify(v) => Some(v.probe.as_str()),
            _ => None,
        })
        .collect();
    if wanted.contains(&"redis")
        && let Some(t) = &s.redis
    {
        probes.push(Box::new(probe::redis::RedisProbe { target: t.clone() }));
    }
    if wanted.contains(&"kube")
        && let Cluster::Live { target, .. } = &s.cluster
    {
        probes.push(Box::new(probe::kube::KubeProbe {
            target: probe::kube::Target {
                source: probe::kube::Source::Live(target.clone()),
                namespace: session.namespace.clone(),
                snapshot_budget: crate::cluster::read::DEFAULT_BUDGET,
                thresholds: probe::kube::KubeThresholds::default(),
            },
        }));
    }
    if probes.is_empty() {
        return Vec::new();
    }
    let workloads: Vec<String> = plan
        .steps
        .iter()
        .filter_map(|st| match &st.action {
            Action::Change(c) if c.target.kind.is_workload() => {
                Some(format!("{}/{}/{}", c.target.namespace, c.target.kind.resource(), c.target.name))
            }
            Action::Wait(w) => Some(format!("{}/{}/{}", w.target.namespace, w.target.kind.resource(), w.target.name)),
            // An HPA stands for the workload it scales.
            Action::Create(c) if c.target.kind == Kind::HorizontalPodAutoscaler => {
                let r = &c.object_to_create()["spec"]["scaleTargetRef"];
                Some(format!(
                    "{}/{}/{}",
                    c.target.namespace,
                    r["kind"].as_str().unwrap_or_default().to_lowercase(),
                    r["name"].as_str().unwrap_or_default()
                ))
            }
            _ => None,
        })
        .fold(Vec::new(), |mut v, w| {
            if !v.contains(&w) {
                v.push(w);
            }
            v
        });
    // The checks the verify steps name (`args.checks`), else those a fix is about.
    let mut checks = verify_list(plan, "checks");
    if checks.is_empty() {
        checks = ["redis.auth", "redis.connect", "kube.pods", "kube.scheduling"]
            .map(String::from)
            .to_vec();
    }
    // And of their findings, those whose code starts with one of `args.codes`, when given.
    let codes = verify_list(plan, "codes");
    let obs = probe::run_all(probes, s.apply.timeout, false).await;
    obs.into_iter()
        .filter(|o| o.id == "kube.read" || checks.contains(&o.id))
        .map(|mut o| {
            if o.id.starts_with("kube.") && o.id != "kube.read" {
                o.findings.retain(|f| {
                    f.severity == Severity::Ok
                        || (f.subject.as_ref().is_some_and(|sub| workloads.contains(sub))
                            && (codes.is_empty() || codes.iter().any(|c| f.code.starts_with(c.as_str()))))
                });
                if o.findings.is_empty() {
                    o.push(Finding::new(
                        &o.id.clone(),
                        Severity::Ok,
                        format!("nothing wrong with {}", workloads.join(", ")),
                    ));
                }
            }
            o
        })
        .collect()
}

/// The strings of list argument `key` of every verify step.
fn verify_list(plan: &Plan, key: &str) -> Vec<String> {
    plan.steps
        .iter()
        .filter_map(|st| match &st.action {
            Action::Verify(v) => v.args().get(key).and_then(Value::as_array).cloned(),
            _ => None,
        })
        .flatten()
        .filter_map(|c| c.as_str().map(str::to_string))
        .collect()
}

/// The plan for people: each step, then the diff of each write.
pub fn render_plan(plan: &Plan) -> String {
    let mut s = String::new();
    for st in &plan.steps {
        let what = match &st.action {
            Action::Change(c) => format!("change {}", c.target),
            Action::Create(c) => format!("create {}", c.target),
            Action::NoChange(n) => format!("no change to {}: {}", n.target, n.reason),
            Action::Skipped { reason } => format!("skipped: {reason}"),
            Action::Wait(w) => format!("wait for the rollout of {} (up to {} s)", w.target, w.timeout_seconds),
            Action::Verify(v) => format!("verify with the {} probe", v.probe),
        };
        // A step skipped before its `for_each` gave an item keeps its name's template unrendered.
        let name = if st.name.contains("{{") { st.kind } else { st.name.as_str() };
        s.push_str(&format!("  {}. {name}: {what}\n", st.index + 1));
    }
    let diff = plan.diff();
    if !diff.is_empty() {
        s.push('\n');
        s.push_str(&diff);
        if !diff.ends_with('\n') {
            s.push('\n');
        }
    }
    s
}

/// The plan as data (`-o json`): every step with its target, resourceVersion, redacted ops
/// and diff; the run and its report when it was applied.
pub fn plan_json(plan: &Plan, run: Option<&str>, outcome: &str, report: Option<&Report>) -> Value {
    json!({
        "version": 1,
        "playbook": plan.playbook,
        "plan": plan,
        "run": run,
        "outcome": outcome,
        "report": report,
    })
}

/// Asks on a terminal; without one, `--yes` is the only answer.
pub fn confirm(yes: bool, question: &str) -> Result<(), Error> {
    if yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Error::NotConfirmed);
    }
    let _ = write!(std::io::stderr(), "{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        Err(Error::NotConfirmed)
    }
}

/// Progress on stderr: bars on a terminal, plain lines when piped.
pub struct Say {
    show: bool,
    multi: Option<MultiProgress>,
    bars: Mutex<BTreeMap<String, ProgressBar>>,
}

impl Say {
    pub fn new(show: bool) -> Say {
        Say {
            show,
            multi: (show && std::io::stderr().is_terminal()).then(MultiProgress::new),
            bars: Mutex::new(BTreeMap::new()),
        }
    }

    pub fn line(&self, s: &str) {
        if !self.show {
            return;
        }
        match &self.multi {
            Some(m) => {
                let _ = m.println(crate::term::escape(s));
            }
            None => super::note(s),
        }
    }
}

impl Progress for Say {
    fn step(&self, line: &str) {
        self.line(line);
    }

    fn rollout(&self, target: &ObjectRef, r: &Rollout) {
        if !self.show {
            return;
        }
        match &self.multi {
            Some(m) => {
                let mut bars = self.bars.lock().unwrap_or_else(|e| e.into_inner());
                let bar = bars.entry(target.to_string()).or_insert_with(|| {
                    let b = m.add(ProgressBar::new(r.desired.max(1) as u64));
                    b.set_style(
                        ProgressStyle::with_template("{prefix:.bold} [{bar:20}] {pos}/{len} updated {msg}")
                            .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    );
                    b.set_prefix(target.to_string());
                    b
                });
                bar.set_length(r.desired.max(1) as u64);
                bar.set_position(r.updated.max(0) as u64);
                bar.set_message(format!("{} ready, {} available", r.ready, r.available));
            }
            // The last state is told by `rollout_done`.
            None if r.state == crate::cluster::write::RolloutState::Progressing => super::note(format_args!("{target}: {}", r.message)),
            None => {}
        }
    }

    fn rollout_done(&self, target: &ObjectRef, r: &Rollout) {
        if let Some(b) = self.bars.lock().unwrap_or_else(|e| e.into_inner()).remove(&target.to_string()) {
            b.finish_and_clear();
        }
        self.line(&format!("{target}: {}", r.message));
    }
}
