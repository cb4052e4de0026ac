//! Streaming reads of snapshot files: the objects of a file are handed on one at a time
//! (the items of a `List`, the documents of a multi-document YAML stream, or one object), so
//! no tree of the whole file is ever built and a file is never held in memory whole.
//!
//! A file is JSON when its first byte that is not white space is `{` or `[`, YAML otherwise;
//! gzip (by its magic bytes, whatever the name) is decompressed on the way. YAML is parsed
//! under a budget sized to the file (nodes, events and scalar bytes in proportion to its
//! bytes; nesting depth, aliases and anchors fixed), which `--snapshot-budget` multiplies;
//! a breach names the limit and that flag. A YAML file whose first line is neither a
//! mapping key, a list item, a flow collection nor a document marker is refused before it is
//! parsed (a big file of text would otherwise be scanned whole as one scalar).

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::cell::RefCell;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;

/// One object read from a snapshot file.
#[derive(Debug)]
pub enum Item {
    /// JSON text of one object, with the kind of the List it came in (`PodList`, `List`),
    /// for items that do not name their own.
    Raw { json: Box<RawValue>, list_kind: Option<Arc<str>> },
    /// One object as a tree (YAML; JSON objects outside a List), its kind filled in from
    /// a typed List's.
    Tree(Value),
    /// The JSON text of one List item (`split_json`), parsed where it is converted.
    Json { text: String, list_kind: Option<Arc<str>> },
    /// The YAML text of one List item (`entry`: a `- ` sequence entry) or one object
    /// document, starting at `line` of the file (`split`), parsed where it is converted.
    Yaml {
        text: String,
        line: usize,
        entry: bool,
        list_kind: Option<Arc<str>>,
        budget: u32,
    },
}

/// Hands items on in batches to whoever converts them; stops when told to.
pub struct Sink {
    tx: SyncSender<Vec<Item>>,
    batch: Vec<Item>,
    stop: Arc<AtomicBool>,
}

/// Items per message to the converters.
const BATCH: usize = 64;

impl Sink {
    pub fn new(tx: SyncSender<Vec<Item>>, stop: Arc<AtomicBool>) -> Sink {
        Sink {
            tx,
            batch: Vec::with_capacity(BATCH),
            stop,
        }
    }

    /// `false`: stop reading (a converter failed).
    pub(super) fn push(&mut self, item: Item) -> bool {
        self.batch.push(item);
        if self.batch.len() >= BATCH {
            return self.flush();
        }
        !self.stop.load(Ordering::Relaxed)
    }

    fn flush(&mut self) -> bool {
        if !self.batch.is_empty() && self.tx.send(std::mem::take(&mut self.batch)).is_err() {
            return false;
        }
        !self.stop.load(Ordering::Relaxed)
    }
}

/// Reading stopped because the other side asked it to (its error is the one to report).
pub const STOPPED: &str = "reading stopped";

/// How many bytes of YAML per allowed node, event and scalar byte; multiplied by
/// `--snapshot-budget`. kubectl's YAML has about one node per 10 bytes.
const BYTES_PER_NODE: usize = 2;
/// Nesting deeper than this is refused (Kubernetes objects nest about 20 deep in a List).
pub const MAX_DEPTH: usize = 64;
/// The budget's floor, for small files and streams of unknown size (serde-saphyr's default).
const MIN_NODES: usize = 250_000;
/// For a stream whose size is not known (a pipe), at most this many bytes are read.
const STREAM_BYTES: usize = 1 << 30;

/// The parse budget for `bytes` of YAML (`None`: size unknown), times `factor`.
pub fn budget(bytes: Option<u64>, factor: u32) -> serde_saphyr::Budget {
    let factor = factor.max(1) as usize;
    let bytes = bytes.map(|b| usize::try_from(b).unwrap_or(usize::MAX));
    let size = bytes.unwrap_or(STREAM_BYTES);
    let mut b = serde_saphyr::Budget::default();
    b.max_reader_input_bytes = Some(bytes.map_or(STREAM_BYTES, |b| b.saturating_add(1)).saturating_mul(factor));
    b.max_nodes = (size / BYTES_PER_NODE).max(MIN_NODES).saturating_mul(factor);
    b.max_events = (size / BYTES_PER_NODE).max(MIN_NODES).saturating_mul(2).saturating_mul(factor);
    b.max_total_scalar_bytes = size.max(b.max_total_scalar_bytes).saturating_mul(factor);
    b.max_documents = (size / 64).max(b.max_documents).saturating_mul(factor);
    b.max_depth = MAX_DEPTH.saturating_mul(factor);
    b.max_aliases = b.max_aliases.saturating_mul(factor);
    b.max_anchors = b.max_anchors.saturating_mul(factor);
    b
}

/// Reads every object of one file into `sink`. `factor` multiplies the YAML budget. YAML in
/// a file (not a pipe) shaped as kubectl prints it is split into its objects, parsed on every
/// core (`split`); `whole` parses it as one stream instead.
pub fn items(path: &Path, factor: u32, whole: bool, mut sink: Sink) -> Result<(), String> {
    let (reader, size) = open(path)?;
    let mut reader = BufReader::with_capacity(1 << 16, reader);
    let first = first_byte(&mut reader)?;
    if !whole && size.is_some() && first.is_some() {
        use super::split::{Outcome, SplitError};
        let r = if matches!(first, Some(b'{' | b'[')) {
            let mut hand_on = |u: super::split_json::JsonUnit| {
                sink.push(Item::Json {
                    text: u.text,
                    list_kind: u.list_kind,
                })
            };
            super::split_json::split(&mut reader, factor, &mut hand_on)
        } else {
            sniff_yaml(&mut reader)?;
            let mut hand_on = |u: super::split::Unit| {
                sink.push(Item::Yaml {
                    text: u.text,
                    line: u.line,
                    entry: u.entry,
                    list_kind: u.list_kind,
                    budget: factor,
                })
            };
            super::split::split(&mut reader, factor, &mut hand_on)
        };
        sink.flush();
        return match r {
            Ok(Outcome::Done) => Ok(()),
            // Not shaped as kubectl prints it, and nothing handed on yet: the general way.
            Ok(Outcome::NotThisShape) => items(path, factor, true, sink),
            Err(SplitError::Stopped) => Err(STOPPED.into()),
            Err(SplitError::Restart) => Err(super::split::RESTART.into()),
            Err(SplitError::Io(e)) => Err(format!("cannot read the snapshot: {e}")),
            Err(SplitError::TooBig { line, limit }) => Err(format!(
                "line {line}: an object of more than {} MiB (Kubernetes objects are at most a few MiB); a bigger limit: {BUDGET_FLAG} N",
                limit >> 20
            )),
        };
    }
    match first {
        None => Ok(()),
        Some(b'{' | b'[') => {
            let mut de = serde_json::Deserializer::from_reader(&mut reader);
            let r = Doc::<Box<RawValue>>::new(&mut sink)
                .deserialize(&mut de)
                .and_then(|()| de.end())
                .map_err(|e| e.to_string());
            sink.flush();
            r
        }
        Some(_) => {
            sniff_yaml(&mut reader)?;
            yaml(reader, size, factor, sink)
        }
    }
}

/// The file as bytes: decompressed when it is gzip. The size is what the YAML budget is
/// sized to: the file's, or for gzip the one its trailer states (at least the file's).
fn open(path: &Path) -> Result<(Box<dyn Read + Send>, Option<u64>), String> {
    let io = |e: std::io::Error| format!("cannot read `{}`: {}", path.display(), e.to_string().to_lowercase());
    let mut f = std::fs::File::open(path).map_err(io)?;
    let meta = f.metadata().map_err(io)?;
    if !meta.is_file() {
        // A pipe: read as it comes, under the stream cap.
        return Ok((Box::new(f), None));
    }
    let mut magic = [0u8; 2];
    let n = read_up_to(&mut f, &mut magic).map_err(io)?;
    f.seek(SeekFrom::Start(0)).map_err(io)?;
    if n == 2 && magic == [0x1f, 0x8b] {
        let mut trailer = [0u8; 4];
        let stated = if meta.len() >= 18 {
            f.seek(SeekFrom::End(-4)).map_err(io)?;
            f.read_exact(&mut trailer).map_err(io)?;
            f.seek(SeekFrom::Start(0)).map_err(io)?;
            u64::from(u32::from_le_bytes(trailer))
        } else {
            0
        };
        let gz = flate2::read::MultiGzDecoder::new(BufReader::new(f));
        return Ok((Box::new(gz), Some(stated.max(meta.len()))));
    }
    Ok((Box::new(f), Some(meta.len())))
}

fn read_up_to(f: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// The first byte that is not white space, left unread.
fn first_byte(r: &mut impl BufRead) -> Result<Option<u8>, String> {
    loop {
        let buf = r
            .fill_buf()
            .map_err(|e| format!("cannot read the snapshot: {}", e.to_string().to_lowercase()))?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                r.consume(i);
                return Ok(Some(b));
            }
            None => {
                let n = buf.len();
                r.consume(n);
            }
        }
    }
}

/// What a text that is not a snapshot looks like, without quoting it: a file given by
/// mistake may be a token or a password, and errors land in reports.
fn shape(t: &str) -> String {
    let n = t.chars().count();
    let words = t.split_whitespace().count();
    match words {
        0 => format!("a blank text of {n} characters"),
        1 => format!("a single word of {n} characters"),
        _ => format!("a text of {words} words, {n} characters"),
    }
}

/// Longest first line looked at by [`sniff_yaml`].
const SNIFF: usize = 64 * 1024;

/// Refuses YAML whose first line that is not a comment cannot start a snapshot.
fn sniff_yaml(r: &mut impl BufRead) -> Result<(), String> {
    let buf = r
        .fill_buf()
        .map_err(|e| format!("cannot read the snapshot: {}", e.to_string().to_lowercase()))?;
    let head = &buf[..buf.len().min(SNIFF)];
    let mut lines = head.split(|b| *b == b'\n').peekable();
    while let Some(line) = lines.next() {
        let complete = lines.peek().is_some();
        let Ok(text) = std::str::from_utf8(line) else {
            if complete || line.len() < 4 {
                return Err("not a snapshot: the file is neither UTF-8 YAML nor JSON".into());
            }
            // The buffer may end inside a character.
            return Ok(());
        };
        let t = text.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let plausible = t.starts_with("---")
            || t.starts_with('%')
            || t == "-"
            || t.starts_with("- ")
            || t.starts_with('{')
            || t.starts_with('[')
            || t.contains(": ")
            || t.ends_with(':');
        // A line the buffer cuts short is judged only when it is longer than any first line
        // of a snapshot would be.
        if plausible || (!complete && head.len() < SNIFF) {
            return Ok(());
        }
        return Err(format!(
            "not a snapshot: its first line ({}) starts neither a mapping, a list nor a document",
            shape(t)
        ));
    }
    Ok(())
}

thread_local! {
    /// Where the documents of a YAML stream go (serde-saphyr's document iterator takes a
    /// type, not a seed).
    static YAML_SINK: RefCell<Option<Sink>> = const { RefCell::new(None) };
}

/// One YAML document, streamed into [`YAML_SINK`].
struct YamlDoc;

impl<'de> Deserialize<'de> for YamlDoc {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Some(mut sink) = YAML_SINK.with(|s| s.borrow_mut().take()) else {
            return Err(de::Error::custom("no sink"));
        };
        let r = Doc::<Value>::new(&mut sink).deserialize(d);
        YAML_SINK.with(|s| *s.borrow_mut() = Some(sink));
        r.map(|()| YamlDoc)
    }
}

fn yaml(mut reader: impl Read, size: Option<u64>, factor: u32, sink: Sink) -> Result<(), String> {
    let budget = budget(size, factor);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget.clone());
    options.with_snippet = false;
    YAML_SINK.with(|s| *s.borrow_mut() = Some(sink));
    let mut result = Ok(());
    for doc in serde_saphyr::read_with_options::<_, YamlDoc>(&mut reader, options) {
        if let Err(e) = doc {
            result = Err(yaml_error(&e, &budget, size));
            break;
        }
    }
    let sink = YAML_SINK.with(|s| s.borrow_mut().take());
    if let Some(mut sink) = sink {
        sink.flush();
    }
    result
}

/// One object of an [`Item::Yaml`]: JSON text from the fast reader, or a tree.
#[derive(Debug)]
pub enum Parsed {
    Json(super::kyaml::Object),
    Tree(Value),
}

/// The objects of one [`Item::Yaml`]: parsed under a budget sized to its text, errors
/// located in the file.
pub fn parse_unit(text: &str, line: usize, entry: bool, factor: u32) -> Result<Vec<Parsed>, String> {
    let budget = budget(Some(text.len() as u64), factor);
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget.clone());
    options.with_snippet = false;
    let located = |e: serde_saphyr::Error| {
        let shifted = e.without_snippet();
        let at = shifted.location().map(|l| l.line()).unwrap_or(0);
        let msg = yaml_error(shifted, &budget, Some(text.len() as u64));
        match at {
            0 => format!("line {line}: {msg}"),
            at => shift_line(&msg, at as usize, line - 1),
        }
    };
    let mut out = Vec::new();
    // YAML as kubectl prints it is read by the fast reader; anything else the general way.
    let values: Vec<Value> = if let Some(objects) = super::kyaml::parse(text, entry, budget.max_depth, true) {
        let mut rest = Vec::new();
        out.reserve(objects.len());
        for o in objects {
            match o.json.as_bytes().first() {
                Some(b'{') => out.push(Parsed::Json(o)),
                _ if o.json == "null" => {}
                // Sequences and scalars where objects belong: rare, read as trees.
                _ => rest.push(serde_json::from_str(&o.json).map_err(|e| e.to_string())?),
            }
        }
        rest
    } else if entry {
        serde_saphyr::from_str_with_options(text, options).map_err(located)?
    } else {
        vec![serde_saphyr::from_str_with_options(text, options).map_err(located)?]
    };
    for v in values {
        match v {
            Value::Null => {}
            Value::Object(_) => out.push(Parsed::Tree(v)),
            Value::Array(items) => out.extend(items.into_iter().filter(|i| !i.is_null()).map(Parsed::Tree)),
            other => {
                let text = match other {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                return Err(format!("line {line}: not a snapshot: {} where objects belong", shape(&text)));
            }
        }
    }
    Ok(out)
}

/// `msg` with its first `line AT` (a whole number) moved down by `by` lines.
fn shift_line(msg: &str, at: usize, by: usize) -> String {
    let needle = format!("line {at}");
    let mut from = 0;
    while let Some(i) = msg[from..].find(&needle).map(|i| i + from) {
        let end = i + needle.len();
        if !msg[end..].starts_with(|c: char| c.is_ascii_digit()) {
            return format!("{}line {}{}", &msg[..i], at + by, &msg[end..]);
        }
        from = end;
    }
    format!("{msg} (in the object at line {})", by + 1)
}

/// What the budget is multiplied by unless `--snapshot-budget` says otherwise.
pub const DEFAULT_BUDGET: u32 = 1;

/// The flag that multiplies the budget (also `kube.snapshot_budget` in aiwfe.yaml).
pub const BUDGET_FLAG: &str = "--snapshot-budget";

/// A YAML error; a budget breach names the limit, what it was sized to, and how to raise it.
fn yaml_error(e: &serde_saphyr::Error, b: &serde_saphyr::Budget, size: Option<u64>) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    let e = e.without_snippet();
    let serde_saphyr::Error::Budget { breach, location } = e else {
        return e.to_string();
    };
    let sized = match size {
        Some(bytes) => format!("sized to the file's {bytes} bytes"),
        None => "for input of unknown size".into(),
    };
    let (what, limit) = match breach {
        B::Nodes { .. } => ("YAML nodes", format!("{} ({sized})", b.max_nodes)),
        B::Events { .. } => ("YAML events", format!("{} ({sized})", b.max_events)),
        B::ScalarBytes { .. } => ("bytes of scalars", format!("{} ({sized})", b.max_total_scalar_bytes)),
        B::Documents { .. } => ("YAML documents", format!("{} ({sized})", b.max_documents)),
        B::Depth { .. } => ("levels of nesting", b.max_depth.to_string()),
        B::Aliases { .. } => ("aliases", b.max_aliases.to_string()),
        B::Anchors { .. } => ("anchors", b.max_anchors.to_string()),
        B::AliasAnchorRatio { .. } => ("aliases per anchor", b.alias_anchor_ratio_multiplier.to_string()),
        B::InputBytes { .. } => ("bytes of input", format!("{} ({sized})", b.max_reader_input_bytes.unwrap_or(0))),
        other => return format!("{e} (raise the limits with {BUDGET_FLAG} N, a multiplier; {other:?})"),
    };
    let at = if location.line() > 0 {
        format!("line {} column {}: ", location.line(), location.column())
    } else {
        String::new()
    };
    format!(
        "{at}more {what} than the snapshot budget allows ({limit}); a bigger budget: {BUDGET_FLAG} N (or kube.snapshot_budget: N in aiwfe.yaml) multiplies every limit by N"
    )
}

/// One document: a List's items are streamed, any other object is one item.
struct Doc<'s, E> {
    sink: &'s mut Sink,
    _e: std::marker::PhantomData<E>,
}

impl<'s, E> Doc<'s, E> {
    fn new(sink: &'s mut Sink) -> Self {
        Doc {
            sink,
            _e: std::marker::PhantomData,
        }
    }
}

/// An element of a List as it is handed on.
trait Element: for<'de> Deserialize<'de> {
    fn item(self, list_kind: Option<&Arc<str>>) -> Item;
}

impl Element for Box<RawValue> {
    fn item(self, list_kind: Option<&Arc<str>>) -> Item {
        Item::Raw {
            json: self,
            list_kind: list_kind.cloned(),
        }
    }
}

impl Element for Value {
    fn item(mut self, list_kind: Option<&Arc<str>>) -> Item {
        if let (Some(k), Some(map)) = (item_kind(list_kind), self.as_object_mut()) {
            map.entry("kind").or_insert_with(|| Value::String(k.to_string()));
        }
        Item::Tree(self)
    }
}

/// One parsed YAML object as an item, its kind filled in from a typed List's.
pub fn tree(v: Value, list_kind: Option<&Arc<str>>) -> Item {
    Element::item(v, list_kind)
}

/// `PodList` → `Pod`; `List` → none.
pub fn item_kind(list_kind: Option<&Arc<str>>) -> Option<&str> {
    list_kind.and_then(|k| k.strip_suffix("List")).filter(|k| !k.is_empty())
}

impl<'de, E: Element> DeserializeSeed<'de> for Doc<'_, E> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E: Element> Visitor<'de> for Doc<'_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Kubernetes object or List")
    }

    fn visit_unit<Er: de::Error>(self) -> Result<(), Er> {
        Ok(())
    }

    fn visit_none<Er: de::Error>(self) -> Result<(), Er> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Items::<E> {
            sink: self.sink,
            list_kind: None,
            _e: std::marker::PhantomData,
        }
        .visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut listed = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "items" && !listed {
                let list_kind: Option<Arc<str>> = rest.get("kind").and_then(Value::as_str).map(Arc::from);
                map.next_value_seed(Items::<E> {
                    sink: &mut *self.sink,
                    list_kind,
                    _e: std::marker::PhantomData,
                })?;
                listed = true;
            } else {
                let v: Value = map.next_value()?;
                rest.insert(key, v);
            }
        }
        if !listed && !rest.is_empty() && !self.sink.push(Item::Tree(Value::Object(rest))) {
            return Err(de::Error::custom(STOPPED));
        }
        Ok(())
    }

    fn visit_str<Er: de::Error>(self, v: &str) -> Result<(), Er> {
        Err(Er::custom(format!("not a snapshot: {} where objects belong", shape(v))))
    }
}

/// The items of a List, handed on one by one.
struct Items<'s, E> {
    sink: &'s mut Sink,
    list_kind: Option<Arc<str>>,
    _e: std::marker::PhantomData<E>,
}

impl<'de, E: Element> DeserializeSeed<'de> for Items<'_, E> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, E: Element> Visitor<'de> for Items<'_, E> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of Kubernetes objects")
    }

    fn visit_unit<Er: de::Error>(self) -> Result<(), Er> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(e) = seq.next_element::<E>()? {
            if !self.sink.push(e.item(self.list_kind.as_ref())) {
                return Err(de::Error::custom(STOPPED));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Result<Vec<Item>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        std::fs::write(&path, text).unwrap();
        let (tx, rx) = std::sync::mpsc::sync_channel(1024);
        items(&path, 1, false, Sink::new(tx, Arc::new(AtomicBool::new(false))))?;
        let mut out = Vec::new();
        for item in rx.try_iter().flatten() {
            match item {
                Item::Yaml {
                    text,
                    line,
                    entry,
                    list_kind,
                    budget,
                } => {
                    for p in parse_unit(&text, line, entry, budget)? {
                        let v = match p {
                            Parsed::Json(o) => serde_json::from_str(&o.json).unwrap(),
                            Parsed::Tree(v) => v,
                        };
                        out.push(tree(v, list_kind.as_ref()));
                    }
                }
                other => out.push(other),
            }
        }
        Ok(out)
    }

    fn raw_kind(json: &str, list_kind: &Option<Arc<str>>) -> String {
        format!(
            "{}/{}",
            serde_json::from_str::<Value>(json).unwrap()["kind"].as_str().unwrap_or("-"),
            list_kind.as_deref().unwrap_or("-")
        )
    }

    fn kinds(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .map(|i| match i {
                Item::Tree(v) => v["kind"].as_str().unwrap_or("-").to_string(),
                Item::Raw { json, list_kind } => raw_kind(json.get(), list_kind),
                Item::Json { text, list_kind, .. } => raw_kind(text, list_kind),
                Item::Yaml { .. } => unreachable!("parsed by read()"),
            })
            .collect()
    }

    #[test]
    fn nesting_deeper_than_the_fast_reader_goes_is_read_by_the_general_parser() {
        let deep: String = (0..120).map(|i| format!("{}k:\n", "  ".repeat(i))).collect();
        // On a stack as big as the snapshot readers' own; the budget raised for the depth.
        let read = std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || parse_unit(&deep, 1, false, 4))
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert!(
            matches!(&read[..], [Parsed::Tree(v)] if v.pointer(&"/k".repeat(120)) == Some(&Value::Null)),
            "{read:?}"
        );
    }

    #[test]
    fn lists_documents_and_single_objects() {
        let yaml = b"# saved\napiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n- kind: Pod\n  metadata: {name: b}\n---\nkind: Node\nmetadata: {name: n}\n";
        assert_eq!(kinds(&read(yaml).unwrap()), ["Pod", "Pod", "Node"]);
        let json = br#"{"apiVersion":"v1","kind":"PodList","items":[{"metadata":{"name":"a"}}]}"#;
        assert_eq!(kinds(&read(json).unwrap()), ["-/PodList"]);
        let array = br#"[{"kind":"Node"},{"kind":"Pod"}]"#;
        assert_eq!(kinds(&read(array).unwrap()), ["Node/-", "Pod/-"]);
        assert_eq!(kinds(&read(br#"{"kind":"Node","metadata":{}}"#).unwrap()), ["Node"]);
        assert!(read(b"").unwrap().is_empty());
    }

    #[test]
    fn gzip_is_read_whatever_the_name() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"kind: List\nitems:\n- kind: Node\n  metadata: {name: n}\n").unwrap();
        assert_eq!(kinds(&read(&gz.finish().unwrap()).unwrap()), ["Node"]);
    }

    #[test]
    fn the_budget_grows_with_the_file_and_a_breach_names_the_flag() {
        let small = budget(Some(1_000), 1);
        let big = budget(Some(200_000_000), 1);
        assert_eq!(small.max_nodes, MIN_NODES);
        assert_eq!(big.max_nodes, 100_000_000);
        assert_eq!(big.max_depth, MAX_DEPTH);
        assert_eq!(budget(Some(200_000_000), 3).max_nodes, 300_000_000);

        let deep = format!("a: {}1{}\n", "[".repeat(100), "]".repeat(100));
        let e = read(deep.as_bytes()).unwrap_err();
        assert!(e.contains("levels of nesting") && e.contains("--snapshot-budget N"), "{e}");
    }

    #[test]
    fn text_that_cannot_be_a_snapshot_is_refused_at_its_first_line() {
        let e = read(b"garbage garbage garbage\ngarbage\n").unwrap_err();
        assert!(e.starts_with("not a snapshot"), "{e}");
        // Described, never quoted: a file given by mistake may hold a token.
        assert!(e.contains("a text of 3 words, 23 characters") && !e.contains("garbage"), "{e}");
        let e = read(b"--- s3cr3t-t0ken\n").unwrap_err();
        assert!(e.contains("a single word of 12 characters") && !e.contains("s3cr3t"), "{e}");
        let e = read(b"--- 'two words'\n").unwrap_err();
        assert!(e.contains("a text of 2 words, 9 characters"), "{e}");
        let e = read(&vec![0u8; SNIFF + 10]).unwrap_err();
        assert!(e.starts_with("not a snapshot"), "{e}");
        let e = read(b"{\"items\": nope}").unwrap_err();
        assert!(e.contains("expected"), "{e}");
    }
}
