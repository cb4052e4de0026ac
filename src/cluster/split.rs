//! Splits YAML shaped as `kubectl get -o yaml` prints it into its objects by looking only at
//! the lines that start in column 0, so the objects can be parsed on every core: each item of
//! a top-level `items:` sequence (a line `- ...` in column 0 and the indented lines under
//! it), each entry of a top-level sequence, or a whole document that is one object.
//!
//! A column-0 line of any other shape (a flow collection, a quoted or complex key, a tag, an
//! anchor, a directive) means the file is not shaped this way; the caller then parses it
//! whole, as one stream ([`Outcome::NotThisShape`] before anything was handed on,
//! [`RESTART`] after).

use std::io::BufRead;
use std::sync::Arc;

/// The YAML text of one List item (`entry`: a `- ` sequence entry) or one object document,
/// starting at `line` of the file, with the kind of the List it is in when given first.
#[derive(Debug)]
pub struct Unit {
    pub text: String,
    pub line: usize,
    pub entry: bool,
    pub list_kind: Option<Arc<str>>,
}

/// Why splitting stopped short.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The receiver asked to stop.
    Stopped,
    /// An object larger than the limit (in bytes), at this line.
    TooBig {
        line: usize,
        limit: usize,
    },
    /// A part after objects were handed on is not shaped as kubectl prints it ([`RESTART`]).
    Restart,
    Io(String),
}

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

/// Splits `reader` into objects, each handed to `sink` (which returns `false` to stop);
/// `factor` multiplies the per-object limit.
pub fn split(reader: &mut impl BufRead, factor: u32, sink: &mut impl FnMut(Unit) -> bool) -> Result<Outcome, SplitError> {
    let max_object = MAX_OBJECT.saturating_mul(factor.max(1) as usize);
    let mut handed = false;
    let mut buf = Vec::new();
    let mut n = 0usize;
    let mut doc = Doc::new();
    let not_shaped = |handed: bool| {
        if handed {
            Err(SplitError::Restart)
        } else {
            Ok(Outcome::NotThisShape)
        }
    };
    loop {
        buf.clear();
        let got = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| SplitError::Io(e.to_string().to_lowercase()))?;
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
                    return Err(SplitError::TooBig {
                        line: n,
                        limit: max_object,
                    });
                }
                doc.push_line(n, line);
                continue;
            }
            Some(b'#') => continue,
            _ => {}
        }
        if bare == "---" || bare == "..." || bare.starts_with("--- #") {
            handed |= finish(&mut doc, sink)?;
            doc = Doc::new();
            continue;
        }
        if bare == "-" || bare.starts_with("- ") {
            match doc.mode {
                Mode::Items | Mode::Seq => handed |= finish_item(&mut doc, sink)?,
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
                handed |= finish_item(&mut doc, sink)?;
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
    finish(&mut doc, sink)?;
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
fn finish_item(doc: &mut Doc, sink: &mut impl FnMut(Unit) -> bool) -> Result<bool, SplitError> {
    if doc.text.is_empty() {
        return Ok(false);
    }
    // The next item is likely about as big: room for it at once, not by doubling.
    let room = doc.text.len() + doc.text.len() / 4;
    let text = std::mem::replace(&mut doc.text, String::with_capacity(room));
    push(
        sink,
        Unit {
            text,
            line: doc.line,
            entry: true,
            list_kind: doc.list_kind.clone(),
        },
    )?;
    Ok(true)
}

/// Ends a document: its last item, or the object it is.
fn finish(doc: &mut Doc, sink: &mut impl FnMut(Unit) -> bool) -> Result<bool, SplitError> {
    match doc.mode {
        Mode::Items | Mode::Seq => finish_item(doc, sink),
        Mode::Object if doc.listed || doc.text.trim().is_empty() => Ok(false),
        Mode::Object => {
            let text = std::mem::take(&mut doc.text);
            push(
                sink,
                Unit {
                    text,
                    line: doc.line,
                    entry: false,
                    list_kind: None,
                },
            )?;
            Ok(true)
        }
    }
}

fn push(sink: &mut impl FnMut(Unit) -> bool, unit: Unit) -> Result<(), SplitError> {
    if sink(unit) { Ok(()) } else { Err(SplitError::Stopped) }
}
