//! Property tests of the snapshot loader and the checks over what it reads: seeded random
//! mutations of a real snapshot (`examples/incident.yaml`, and the same as a JSON List)
//! with a known secret in env values, URLs and a container log. Env values of the wrong
//! type, truncations, byte flips, control characters, deep nesting, huge scalars and
//! repeated slices; whatever comes out,
//! the load ends (never a hang), with a state or an error (never a panic), the error is of
//! readable size, and neither the error nor any finding holds the secret.

#![allow(clippy::unwrap_used)]
use crate::cluster::{self, ClusterState};
use crate::testing::Rng;
use std::time::Duration;

/// The secret the inputs carry; no error and no finding may show it.
const SECRET: &str = "Prop-Secret-4b1e9d";

/// Inputs stay under this, so memory stays bounded too.
const MAX_INPUT: usize = 4 << 20;

/// The bundled incident with the secret as a plain env value, in a database URL and in a
/// line the crash-looping container logged.
fn incident() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let log_env = "          - name: LOG_LEVEL\n            value: INFO";
    let log_line = "redis.exceptions.AuthenticationError: Authentication required.";
    assert!(text.contains("Pg-Incident-Secret-7") && text.contains(log_env) && text.contains(log_line));
    text.replace("Pg-Incident-Secret-7", SECRET)
        .replacen(
            log_env,
            &format!("          - name: JWT_SECRET\n            value: {SECRET}\n{log_env}"),
            1,
        )
        .replace(log_line, &format!("AUTH {SECRET} failed: {log_line}"))
}

/// The same objects as one JSON List, as `kubectl get -o json` prints it.
fn as_json(yaml: &str) -> String {
    let docs = cluster::parse_documents(yaml).unwrap();
    assert_eq!(docs.len(), 1);
    serde_json::to_string_pretty(&docs[0]).unwrap()
}

/// Control characters and invisible ones a hostile file may carry.
const CONTROL: &[&str] = &["\0", "\u{1b}[2J", "\r", "\u{7f}", "\u{85}", "\u{202e}", "\u{b}", "\u{feff}", "\t"];

fn at(rng: &mut Rng, b: &[u8]) -> usize {
    rng.below(b.len() as u64 + 1) as usize
}

/// `base` with one random `value` key (an env value: often the secret) given the wrong
/// type: its value turned into a list or a map, or the key renamed `valueFrom`, which
/// takes a map. A type error right at the secret.
fn retype(rng: &mut Rng, base: &str) -> String {
    let json = base.starts_with('{');
    let key = if json { "\"value\": \"" } else { "value: " };
    let mut starts: Vec<usize> = base.match_indices(key).map(|(i, _)| i + key.len()).collect();
    // Half the time one of those that hold the secret.
    if rng.below(2) == 0 {
        starts.retain(|&i| base[i..].starts_with(SECRET) || base[i..].split('\n').next().is_some_and(|l| l.contains(SECRET)));
    }
    let from = starts[rng.below(starts.len() as u64) as usize];
    let end = if json {
        from + base[from..].find('"').unwrap()
    } else {
        from + base[from..].find('\n').unwrap()
    };
    if rng.below(3) == 0 {
        // `valueFrom` takes a map: the string is quoted in the type error, if anything is.
        let key_at = from - key.len();
        let renamed = key.replacen("value", "valueFrom", 1);
        return format!("{}{renamed}{}", &base[..key_at], &base[from..]);
    }
    let (open, close) = if rng.below(2) == 0 {
        ("[", "]")
    } else if json {
        ("{\"a\": ", "}")
    } else {
        ("{a: ", "}")
    };
    let (from, end) = if json { (from - 1, end + 1) } else { (from, end) };
    format!("{}{open}{}{close}{}", &base[..from], &base[from..end], &base[end..])
}

/// One to three random edits of `base`.
fn mutate(rng: &mut Rng, base: &str) -> Vec<u8> {
    let retyped;
    let base = if rng.below(3) == 0 {
        retyped = retype(rng, base);
        &retyped
    } else {
        base
    };
    let mut b = base.as_bytes().to_vec();
    for _ in 0..rng.below(3) {
        match rng.below(6) {
            0 => {
                let cut = at(rng, &b);
                b.truncate(cut);
            }
            1 => {
                for _ in 0..rng.below(8) + 1 {
                    if !b.is_empty() {
                        let i = rng.below(b.len() as u64) as usize;
                        b[i] ^= 1 << rng.below(8);
                    }
                }
            }
            2 => {
                for _ in 0..rng.below(5) + 1 {
                    let c = CONTROL[rng.below(CONTROL.len() as u64) as usize];
                    let i = at(rng, &b);
                    b.splice(i..i, c.bytes());
                }
            }
            3 => {
                let depth = rng.below(20_000) as usize + 1;
                let open = ["[", "{\"a\":", "{a: ", "- "][rng.below(4) as usize];
                let i = at(rng, &b);
                b.splice(i..i, open.repeat(depth).into_bytes());
            }
            4 => {
                let len = rng.below(1 << 20) as usize + 1;
                let i = at(rng, &b);
                let quote = ["", "\"", "'"][rng.below(3) as usize];
                b.splice(i..i, format!("{quote}{}{quote}", "x".repeat(len)).into_bytes());
            }
            _ => {
                let from = rng.below(b.len() as u64) as usize;
                let len = (rng.below(10_000) as usize).min(b.len() - from);
                let slice = b[from..from + len].to_vec();
                let i = at(rng, &b);
                b.splice(i..i, slice);
            }
        }
        b.truncate(MAX_INPUT);
    }
    b
}

/// Loads `bytes` as a snapshot file named `name` on a thread of its own; panics if it
/// takes more than a minute (a hang) or panics itself.
fn load(bytes: Vec<u8>, name: &str) -> Result<ClusterState, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, &bytes).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let p = path.clone();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(cluster::load_snapshot_with(&p, 1));
    });
    let got = rx.recv_timeout(Duration::from_secs(60));
    if got.is_err() && worker.is_finished() {
        // The sender went away without an answer: the loader panicked.
        panic!("the loader panicked on {name}: {:?}", worker.join().err());
    }
    got.unwrap_or_else(|_| panic!("the loader hung on {name} ({} bytes)", bytes.len()))
}

/// Every string of every finding the checks make of `state`.
fn finding_text(state: &ClusterState) -> String {
    let obs = super::analyze(state, &Default::default(), "snapshot");
    let mut out = String::new();
    for o in &obs {
        out.push_str(&o.target);
        for f in &o.findings {
            for s in [
                Some(&f.summary),
                f.evidence.as_ref(),
                f.fix.as_ref(),
                f.hint.as_ref(),
                f.subject.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                out.push_str(s);
                out.push('\n');
            }
            for (k, v) in &f.labels {
                out.push_str(&format!("{k}={v}\n"));
            }
        }
    }
    out
}

fn check(base: &str, name: &str, seed: u64, cases: usize) {
    let mut rng = Rng(seed);
    let (mut errors, mut states) = (0, 0);
    for case in 0..cases {
        let input = mutate(&mut rng, base);
        let size = input.len();
        match load(input, name) {
            Err(e) => {
                errors += 1;
                assert!(!e.contains(SECRET), "case {case} of {name}: the error quotes the secret: {e}");
                assert!(
                    e.chars().count() < 2000,
                    "case {case} of {name}: {} characters of error",
                    e.chars().count()
                );
                let shown = crate::redact::credentials(&e);
                assert!(!shown.contains(SECRET), "{shown}");
            }
            Ok(state) => {
                states += 1;
                let text = finding_text(&state);
                if let Some(i) = text.find(SECRET) {
                    let from = text[..i].char_indices().rev().nth(200).map_or(0, |(j, _)| j);
                    panic!(
                        "case {case} of {name} ({size} bytes): a finding shows the secret: …{}",
                        &text[from..]
                    );
                }
            }
        }
    }
    // Both outcomes happen, so both properties were tried.
    assert!(errors > 0 && states > 0, "{name}: {errors} errors, {states} states");
}

#[test]
fn property_a_mutated_yaml_snapshot_loads_or_fails_cleanly_without_the_secret() {
    let base = incident();
    // The unmutated file is read, and its findings hide the secret already.
    let state = load(base.clone().into_bytes(), "s.yaml").unwrap();
    assert!(state.pods.len() > 5);
    assert!(!finding_text(&state).contains(SECRET));
    check(&base, "s.yaml", 0x5eed_0f9a_4100, 30);
}

#[test]
fn property_a_mutated_json_snapshot_loads_or_fails_cleanly_without_the_secret() {
    let base = as_json(&incident());
    let state = load(base.clone().into_bytes(), "s.json").unwrap();
    assert!(state.pods.len() > 5);
    check(&base, "s.json", 0x1502_0a11, 40);
}
