//! Splits YAML shaped as `kubectl get -o yaml` prints it into its objects by looking only at
//! the lines that start in column 0, so the objects can be parsed on every core: each item of
//! a top-level `items:` sequence (a line `- ...` in column 0 and the indented lines under
//! it), each entry of a top-level sequence, or a whole document that is one object.
//!
//! A column-0 line of any other shape (a flow collection, a quoted or complex key, a tag, an
//! anchor, a directive) means the file is not shaped this way; the caller then parses it
//! whole, as one stream ([`Outcome::NotThisShape`] before anything was handed on,
//! [`RESTART`] after).

use super::read::{Item, STOPPED, Sink};
use std::io::BufRead;
use std::sync::Arc;

/// What [`split`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every object was handed on.
    Done,
    /// The first document is not shaped as kubectl prints it; nothing was handed on.
    NotThisShape,
}

/// The error when a later part of the file is not shaped as kubectl prints it, after some
/// objects were handed on: the file has to be read again, whole.
pub const RESTART: &str = "read the snapshot again as one YAML stream";

/// The most bytes of one object, times `--snapshot-budget` (the API server stores objects
/// of at most about 1.5 MiB).
pub const MAX_OBJECT: usize = 64 << 20;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Top-level keys of a document that is one object.
    Object,
    /// Inside the top-level `items:` sequence.
    Items,
    /// The document is a top-level sequence.
    Seq,
}

struct Doc {
    mode: Mode,
    /// The object document's text, or the current item's.
    text: String,
    /// Line (1-based) where `text` starts.
    line: usize,
    /// `kind` of the List, when given before `items:`.
    list_kind: Option<Arc<str>>,
    /// The document has had a content line.
    started: bool,
    /// Its items were handed on: what else it holds is the List's own and is dropped.
    listed: bool,
}

impl Doc {
    fn new() -> Doc {
        Doc {
            mode: Mode::Object,
            text: String::new(),
            line: 0,
            list_kind: None,
            started: false,
            listed: false,
        }
    }

    fn push_line(&mut self, n: usize, line: &str) {
        if self.text.is_empty() {
            self.line = n;
        }
        self.text.push_str(line);
        self.started = true;
    }
}

/// A plain key line in column 0: `key:` or `key: value`; returns the key and the value.
fn key_line(line: &str) -> Option<(&str, &str)> {
    let end = line.find(':')?;
    let key = &line[..end];
    let rest = &line[end + 1..];
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-'))
        && !key.starts_with('-');
    (plain && (rest.is_empty() || rest.starts_with(' '))).then(|| (key, rest.trim()))
}

/// Splits `reader` into objects for `sink`; `factor` multiplies the per-object limit and the
/// parse budget each object gets.
pub fn split(reader: &mut impl BufRead, factor: u32, sink: &mut Sink) -> Result<Outcome, String> {
    let max_object = MAX_OBJECT.saturating_mul(factor.max(1) as usize);
    let mut handed = false;
    let mut buf = Vec::new();
    let mut n = 0usize;
    let mut doc = Doc::new();
    let not_shaped = |handed: bool| {
        if handed {
            Err(RESTART.to_string())
        } else {
            Ok(Outcome::NotThisShape)
        }
    };
    loop {
        buf.clear();
        let got = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| format!("cannot read the snapshot: {}", e.to_string().to_lowercase()))?;
        if got == 0 {
            break;
        }
        n += 1;
        let Ok(line) = std::str::from_utf8(&buf) else {
            return not_shaped(handed);
        };
        let bare = line.trim_end_matches(['\n', '\r']);
        match bare.as_bytes().first() {
            // Indented or blank: part of what is being gathered.
            None | Some(b' ') => {
                if doc.listed {
                    continue;
                }
                if doc.text.is_empty() {
                    if bare.trim().is_empty() {
                        continue;
                    }
                    // Indented content with nothing in column 0 above it (an indented
                    // `items:` sequence, say).
                    if doc.mode != Mode::Object || !doc.started {
                        return not_shaped(handed);
                    }
                }
                if doc.text.len() + line.len() > max_object {
                    return Err(format!(
                        "line {n}: an object of more than {} MiB (Kubernetes objects are at most a few MiB); a bigger limit: {} N",
                        max_object >> 20,
                        super::read::BUDGET_FLAG
                    ));
                }
                doc.push_line(n, line);
                continue;
            }
            Some(b'#') => continue,
            _ => {}
        }
        if bare == "---" || bare == "..." || bare.starts_with("--- #") {
            handed |= finish(&mut doc, factor, sink)?;
            doc = Doc::new();
            continue;
        }
        if bare == "-" || bare.starts_with("- ") {
            match doc.mode {
                Mode::Items | Mode::Seq => handed |= finish_item(&mut doc, factor, sink)?,
                Mode::Object if !doc.started => doc.mode = Mode::Seq,
                // A sequence as the value of another top-level key stays with its document.
                Mode::Object if !doc.listed => {}
                Mode::Object => continue,
            }
            doc.push_line(n, line);
            continue;
        }
        let Some((key, value)) = key_line(bare) else {
            return not_shaped(handed);
        };
        match doc.mode {
            Mode::Seq => return not_shaped(handed),
            // The List's own keys after its items (kubectl prints `kind` and `metadata`
            // after `items`).
            Mode::Items => {
                handed |= finish_item(&mut doc, factor, sink)?;
                doc.mode = Mode::Object;
                doc.listed = true;
            }
            Mode::Object => {}
        }
        if doc.listed {
            continue;
        }
        if key == "items" && value.is_empty() {
            // Keys before `items:` are the List's own; only its kind is kept.
            doc.list_kind = list_kind(&doc.text);
            doc.text.clear();
            doc.mode = Mode::Items;
            doc.started = true;
            continue;
        }
        doc.push_line(n, line);
    }
    finish(&mut doc, factor, sink)?;
    Ok(Outcome::Done)
}

/// `kind: FooList` among a List's keys given before its items.
fn list_kind(text: &str) -> Option<Arc<str>> {
    text.lines()
        .find_map(|l| key_line(l).filter(|(k, _)| *k == "kind").map(|(_, v)| v))
        .map(|v| v.trim_matches(['"', '\'']))
        .filter(|v| !v.is_empty())
        .map(Arc::from)
}

/// Hands on the item being gathered; `true` when one was.
fn finish_item(doc: &mut Doc, factor: u32, sink: &mut Sink) -> Result<bool, String> {
    if doc.text.is_empty() {
        return Ok(false);
    }
    let text = std::mem::take(&mut doc.text);
    push(
        sink,
        Item::Yaml {
            text,
            line: doc.line,
            entry: true,
            list_kind: doc.list_kind.clone(),
            budget: factor,
        },
    )?;
    Ok(true)
}

/// Ends a document: its last item, or the object it is.
fn finish(doc: &mut Doc, factor: u32, sink: &mut Sink) -> Result<bool, String> {
    match doc.mode {
        Mode::Items | Mode::Seq => finish_item(doc, factor, sink),
        Mode::Object if doc.listed || doc.text.trim().is_empty() => Ok(false),
        Mode::Object => {
            let text = std::mem::take(&mut doc.text);
            push(
                sink,
                Item::Yaml {
                    text,
                    line: doc.line,
                    entry: false,
                    list_kind: None,
                    budget: factor,
                },
            )?;
            Ok(true)
        }
    }
}

fn push(sink: &mut Sink, item: Item) -> Result<(), String> {
    if sink.push(item) { Ok(()) } else { Err(STOPPED.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::super::{ClusterState, load_file, load_file_as};
    use std::path::Path;

    /// Everything a check reads, as text, for comparing two reads of one file.
    fn seen(s: &ClusterState) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
            s.pods, s.events, s.nodes, s.deployments, s.replica_sets, s.hpas, s.secrets, s.pod_metrics, s.logs
        )
    }

    /// Split and read whole, the file gives the same objects.
    fn same_both_ways(text: &str) -> ClusterState {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.yaml");
        std::fs::write(&path, text).unwrap();
        let split = load_file(&path, 1).unwrap();
        let whole = load_file_as(&path, 1, true).unwrap();
        let (mut a, mut b) = (split.clone(), whole);
        a.normalize();
        b.normalize();
        assert_eq!(seen(&a), seen(&b));
        split
    }

    fn names(s: &ClusterState) -> Vec<String> {
        let mut n: Vec<String> = s
            .pods
            .iter()
            .map(|p| p.metadata.name.clone().unwrap_or_default())
            .chain(s.nodes.iter().map(|p| p.metadata.name.clone().unwrap_or_default()))
            .collect();
        n.sort();
        n
    }

    #[test]
    fn the_bundled_incident_reads_the_same_split_or_whole() {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/incident.yaml")).unwrap();
        let s = same_both_ways(&text);
        assert!(s.pods.len() > 5, "{}", s.pods.len());
        assert!(!s.deployments.is_empty() && !s.events.is_empty());
    }

    #[test]
    fn every_shape_reads_the_same_split_or_whole() {
        let shapes = [
            // kubectl: the List's kind after its items; a typed List's kind before them.
            "apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n- kind: Node\n  metadata: {name: node1}\nkind: List\nmetadata:\n  resourceVersion: \"\"\n",
            "apiVersion: v1\nkind: PodList\nitems:\n- metadata:\n    name: a\n- metadata:\n    name: b\n",
            // Documents, comments, blank lines, block scalars with column-0-looking text.
            "# saved\n---\nkind: Pod\nmetadata:\n  name: a\n  annotations:\n    note: |\n      - not an item\n      key: not a key\n\n---\nkind: Node\nmetadata:\n  name: node1\n...\n",
            // A top-level sequence of objects.
            "- kind: Pod\n  metadata:\n    name: a\n- kind: Pod\n  metadata:\n    name: b\n",
            // Indented items, flow items: not split, read whole.
            "kind: List\nitems:\n  - kind: Pod\n    metadata:\n      name: a\n",
            "kind: List\nitems: [{kind: Pod, metadata: {name: a}}]\n",
            // A later document that is not shaped as kubectl prints it: read again, whole.
            "kind: Pod\nmetadata:\n  name: a\n---\n{kind: Pod, metadata: {name: b}}\n",
            "apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\n\"quoted\": 1\n",
            "",
            "---\n---\n",
        ];
        for text in shapes {
            same_both_ways(text);
        }
        let s = same_both_ways(shapes[1]);
        assert_eq!(names(&s), ["a", "b"]);
        let s = same_both_ways(shapes[6]);
        assert_eq!(names(&s), ["a", "b"]);
    }

    #[test]
    fn an_error_in_an_item_names_its_line_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.yaml");
        let text = "apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: a\n- kind: Pod\n  metadata:\n    name: [b\nkind: List\n";
        std::fs::write(&path, text).unwrap();
        let e = load_file_as(&path, 1, false).unwrap_err();
        assert!(e.contains("line 8") || e.contains("line 9"), "{e}");
        let deep = format!(
            "kind: List\nitems:\n- kind: ConfigMap\n  data: {}1{}\n",
            "[".repeat(100),
            "]".repeat(100)
        );
        std::fs::write(&path, deep).unwrap();
        let e = load_file_as(&path, 1, false).unwrap_err();
        assert!(e.contains("levels of nesting") && e.contains("--snapshot-budget"), "{e}");
        assert!(load_file_as(&path, 2, false).is_ok());
    }
}
