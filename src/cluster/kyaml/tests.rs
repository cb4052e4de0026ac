//! Tests of the fast YAML reader: what it takes it reads as the general parser does.

use super::*;
use serde_json::Value;

/// What the reader wrote, as trees (and every text it wrote is JSON).
pub(super) fn trees(text: &str, entry: bool, max_depth: usize) -> Option<Vec<Value>> {
    let objects = super::parse(text, entry, max_depth, false)?;
    Some(
        objects
            .iter()
            .map(|o| {
                let v: Value = serde_json::from_str(&o.json).unwrap_or_else(|e| panic!("{e}: {}", o.json));
                // The head, where it is known, is what the text says.
                if let Some([kind, api, name]) = o.head() {
                    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
                    assert_eq!(
                        [kind, api, name].map(String::from),
                        [s(&v["kind"]), s(&v["apiVersion"]), s(&v["metadata"]["name"])]
                    );
                }
                v
            })
            .collect(),
    )
}

fn general(text: &str, entry: bool) -> Vec<Value> {
    if entry {
        serde_saphyr::from_str::<Vec<Value>>(text).unwrap()
    } else {
        vec![serde_saphyr::from_str::<Value>(text).unwrap()]
    }
}

/// What this reader takes, it reads as the general parser does.
fn same(text: &str, entry: bool) -> bool {
    match trees(text, entry, 64) {
        Some(fast) => {
            assert_eq!(fast, general(text, entry), "{text}");
            true
        }
        None => false,
    }
}

#[test]
fn plain_scalars_are_typed_as_the_general_parser_types_them_or_left_to_it() {
    let taken = [
        "8080",
        "0",
        "-3",
        "true",
        "false",
        "null",
        "100Mi",
        "500m",
        "1Gi",
        "4516948n",
        "10.244.1.5",
        "nginx:1.25",
        "registry.example.com:5000/aiwfe/api:v1.2.3",
        "Always",
        "IfNotPresent",
        "-foo",
        "a-b",
        "http://redis:6379/0",
        "kube-system",
        "Running",
        "2026-11-30T10:00:00Z",
        "1.2.3",
        "v1",
        "x#y",
        "a:b",
        "500Mi",
        "c4",
        "e3",
        "8f14e45f-ceea-467f-a0a1-0b6c5a1e9d2f",
        "2026-11-30",
        "1-2",
        "9531985d5d9dc9f81818e811892f902b",
        "6.8.0-71-generic",
        "10.244.0.0/24",
        "1e3x",
        "0x1G",
    ];
    let left = [
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "N",
        "~",
        "007",
        "0.5",
        "1e3",
        "0x1F",
        "0o17",
        ".inf",
        "-.Inf",
        ".NaN",
        "1_000",
        "1:20",
        "1e-3",
        "1.5e+3",
        "0b101",
        "1__2.5",
        "True",
        "-inf",
        "+Infinity",
        "-nan",
        "inf",
        "NaN",
        "NULL",
        "+5",
        "12345678901234567890",
        "a #b",
        "*x",
        "&a b",
        "!t x",
        "- x",
        "@x",
    ];
    for s in taken {
        assert!(same(&format!("k: {s}\n"), false), "`{s}` should be read here");
    }
    for s in left {
        let text = format!("k: {s}\n");
        assert!(trees(&text, false, 64).is_none(), "`{s}` is for the general parser");
    }
}

#[test]
fn quoted_and_literal_scalars() {
    for text in [
        "k: 'it''s'\n",
        "k: ''\n",
        "k: \"\"\n",
        "k: \"a \\\"b\\\" \\\\ \\n \\t \\u00e9 \\x41\"\n",
        "k: \"2026-11-30T10:00:00Z\"\n",
        "'quoted key': 1\n\"d key\": x\n",
        "a: |\n  line one\n  line two\n\n  after a blank\nb: 1\n",
        "a: |-\n  no newline\nb: 1\n",
        "a: |+\n  keep\n\nb: 1\n",
        "a: |\n  {\"apiVersion\":\"v1\",\"kind\":\"Pod\"}\n",
        "a: |\n\n  leading blank\n",
        "a: |\n    deeper\n  less\n",
        "a: >-\n  registry.example.com/aiwfe/worker@sha256:0000\nb: >\n  folded\n  text\n\n  para\n\n\nc: >+\n  kept\n\nd: 1\n",
        "- >-\n  item one\n  wraps\n- |\n  two\n",
        "a: >\n\n  after blank\n",
        "m: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:\n  }, 2 node(s) didn''t match pod anti-affinity rules. preemption: 0/3 nodes are available:\n  1 Preemption is not helpful for scheduling.'\nnext: 1\n",
        "m: \"a long message that\n  goes on\n\n  after a blank, \\\n  joined\\tand \\\"quoted\\\"\"\n",
        "- 'a\n  b'\n- \"c\n  d\"\n",
        "m: a plain message that is\n  long enough to wrap,\n\n\n  twice\nnext: 2\n",
        "- plain\n  item\n- 2\n",
    ] {
        let ok = same(text, text.starts_with('-'));
        assert!(ok || text.contains("deeper"), "not taken: {text}");
    }
}

#[test]
fn structures_as_kubectl_and_aiwfe_write_them() {
    let pod = "- apiVersion: v1\n  kind: Pod\n  metadata:\n    annotations:\n      kubectl.kubernetes.io/restartedAt: \"2026-11-30T10:00:00Z\"\n    creationTimestamp: \"2026-11-30T10:00:00Z\"\n    labels:\n      app: api\n    name: api-0\n    namespace: aiwfe\n    ownerReferences:\n    - apiVersion: apps/v1\n      blockOwnerDeletion: true\n      controller: true\n      kind: ReplicaSet\n      name: api-5d9f\n      uid: 0b6c5a1e-9d2f-4c3b-8a7e-1f2d3c4b5a69\n  spec:\n    containers:\n    - args:\n      - --port\n      - \"8080\"\n      env:\n      - name: REDIS_URL\n        valueFrom:\n          secretKeyRef:\n            key: url\n            name: redis\n      image: aiwfe/api:1.4\n      name: api\n      resources:\n        limits:\n          memory: 1Gi\n        requests:\n          cpu: 500m\n      volumeMounts: []\n    nodeSelector: {}\n    tolerations:\n    - effect: NoExecute\n      key: node.kubernetes.io/not-ready\n      operator: Exists\n      tolerationSeconds: 300\n  status:\n    conditions:\n    - lastProbeTime: null\n      status: \"True\"\n      type: Ready\n    containerStatuses:\n    - lastState:\n        terminated:\n          exitCode: 1\n          reason: Error\n      restartCount: 12\n      state:\n        waiting:\n          message: back-off 5m0s restarting failed container\n          reason: CrashLoopBackOff\n    phase: Running\n    podIP: 10.244.1.5\n";
    assert!(same(pod, true));
    // Sequences indented under their key, as serde-saphyr writes them.
    assert!(same("a:\n  - x: 1\n    w: 2\n  - - 3\n    - 4\n  -\n    z: 5\n  -\nb: {}\n", false));
    assert!(same("- 1\n- two\n-\n- []\n", true));
    // Not taken: comments, anchors, flow content, folded and multi-line scalars,
    // duplicate keys, tabs, documents after the first, keys that are not strings.
    for text in [
        "a: 1 # note\n",
        "# note\na: 1\n",
        "a: &x 1\nb: *x\n",
        "a: {b: 1}\n",
        "a: [1, 2]\n",
        "a: >\n  folded\n    more indented\n",
        "a: long\n  - continued\n",
        "a: long\n  key: continued\n",
        "a: 'open\nquote'\n",
        "a: 'open\n",
        "a: 'closed'\n  more\n",
        "a: 1\na: 2\n",
        "a:\n\tb: 1\n",
        "a: 1\n---\nb: 2\n",
        "1: a\n",
        "a: 1\n  b: 2\n",
    ] {
        assert!(trees(text, false, 64).is_none(), "{text}");
    }
    // Nesting deeper than the limit is the general parser's to refuse.
    let deep: String = (0..70).map(|i| format!("{}k:\n", "  ".repeat(i))).collect();
    assert!(trees(&deep, false, 64).is_none());
    // Deeper than a JSON reader goes, whatever the budget: the general parser's too.
    let deeper: String = (0..120).map(|i| format!("{}k:\n", "  ".repeat(i))).collect();
    assert!(trees(&deeper, false, 1000).is_none());
    let shallow: String = (0..90).map(|i| format!("{}k:\n", "  ".repeat(i))).collect();
    let mut v = &trees(&shallow, false, 1000).unwrap()[0];
    let mut levels = 0;
    while let Some(inner) = v.get("k") {
        (v, levels) = (inner, levels + 1);
    }
    assert_eq!((levels, v), (90, &Value::Null));
}

#[test]
fn duplicate_keys_are_found_in_big_mappings_too() {
    let keys: String = (0..40).map(|i| format!("  key-{i}: value {i}\n")).collect();
    assert!(same(&format!("data:\n{keys}"), false));
    for dup in [3, 20, 39] {
        let text = format!("data:\n{keys}  key-{dup}: again\n");
        assert!(trees(&text, false, 64).is_none(), "key-{dup}");
    }
    // The same key written plain and quoted is one key.
    assert!(trees("a: 1\n'a': 2\n", false, 64).is_none());
    assert!(trees(&format!("data:\n{keys}  \"key-7\": again\n"), false, 64).is_none());
}

#[test]
fn strings_are_written_as_json_that_reads_back_the_same() {
    // Quotes, backslashes, control characters, line breaks and non-ASCII text.
    let text = "a: \"say \\\"hi\\\" \\\\ \\t \\u0001 \\e \\u00e9 \\U0001F600\"\nb: 'it''s \\ \"x\"'\nc: |\n  line \"1\"\n  \\path\n\nd: naïve/路径\n";
    assert!(same(text, false));
    let json = &parse(text, false, 64, false).unwrap()[0].json;
    let v: Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["a"], "say \"hi\" \\ \t \u{1} \u{1b} é 😀");
    assert_eq!(v["b"], "it's \\ \"x\"");
    assert_eq!(v["c"], "line \"1\"\n\\path\n");
    assert!(!json.contains('\u{1b}') && !json.contains('\t'), "{json}");
}

#[test]
fn slim_leaves_out_managed_fields_and_the_last_applied_annotation() {
    let last = crate::cluster::slim::LAST_APPLIED;
    let pod = format!(
        "- apiVersion: v1\n  kind: Pod\n  metadata:\n    annotations:\n      {last}: |\n        {{\"kind\":\"Pod\"}}\n      team: ml\n    managedFields:\n    - apiVersion: v1\n      fieldsType: FieldsV1\n      fieldsV1:\n        f:spec: {{}}\n      manager: kubectl\n    name: api-0\n  spec:\n    managedFields: kept\n- kind: Pod\n  metadata:\n    managedFields: []\n    annotations:\n      {last}: x\n"
    );
    let objects = parse(&pod, true, 64, true).unwrap();
    let v: Vec<Value> = objects.iter().map(|o| serde_json::from_str(&o.json).unwrap()).collect();
    assert_eq!(objects[0].head(), Some(["Pod", "v1", "api-0"]));
    assert_eq!(objects[1].head(), Some(["Pod", "", ""]));
    assert_eq!(v[0]["metadata"]["annotations"], serde_json::json!({"team": "ml"}));
    assert!(v[0]["metadata"].get("managedFields").is_none());
    assert_eq!(v[0]["metadata"]["name"], "api-0");
    // Only an object's own metadata: the same name elsewhere stays.
    assert_eq!(v[0]["spec"]["managedFields"], "kept");
    // Left out as the first and the last key: still JSON.
    assert_eq!(v[1], serde_json::json!({"kind": "Pod", "metadata": {"annotations": {}}}));
    // Without slim, all is there, as the general parser reads it.
    assert!(same(&pod, true));
}

mod incident {
    use super::trees;
    use serde_json::Value;

    /// Every object of the bundled incident is read here, and as the general parser reads it.
    #[test]
    fn the_bundled_incident_is_read_by_the_fast_reader() {
        let text = include_str!("../../../examples/incident.yaml");
        let mut units = Vec::new();
        let outcome = crate::cluster::split::split(&mut text.as_bytes(), 1, &mut |u| {
            units.push(u);
            true
        });
        assert_eq!(outcome, Ok(crate::cluster::split::Outcome::Done));
        assert!(units.len() > 10, "{}", units.len());
        for u in &units {
            let fast = trees(&u.text, u.entry, 64).unwrap_or_else(|| {
                let lines: Vec<&str> = u.text.lines().collect();
                let at = (1..=lines.len()).find(|&n| trees(&(lines[..n].join("\n") + "\n"), u.entry, 64).is_none());
                panic!(
                    "not read here, line {} of the unit at {}: {:?}",
                    at.unwrap_or(0),
                    u.line,
                    at.map(|n| lines[n - 1])
                )
            });
            let general: Vec<Value> = if u.entry {
                serde_saphyr::from_str(&u.text).unwrap()
            } else {
                vec![serde_saphyr::from_str(&u.text).unwrap()]
            };
            assert_eq!(fast, general, "line {}", u.line);
        }
    }
}
