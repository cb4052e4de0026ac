//! Splits YAML shaped as `kubectl get -o yaml` prints it into its objects by looking only at
//! the lines that start in column 0, so the objects can be parsed on every core: each item of
//! a top-level `items:` sequence (a line `- ...` in column 0 and the indented lines under
//! it), each entry of a top-level sequence, or a whole document that is one object.
//!
//! A column-0 line of any other shape (a flow collection, a quoted or complex key, a tag, an
//! anchor, a directive) means the file is not shaped this way; the caller then parses it
//! whole, as one stream ([`Outcome::NotThisShape`] before anything was handed on,
//! [`RESTART`] after).

use std::io::Read;
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
pub fn split(reader: &mut impl Read, factor: u32, sink: &mut impl FnMut(Unit) -> bool) -> Result<Outcome, SplitError> {
    let max_object = MAX_OBJECT.saturating_mul(factor.max(1) as usize);
    let mut handed = false;
    let mut chunks = Chunks::new(reader, max_object);
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
        let text = match chunks.next() {
            Ok(Some(text)) => text,
            Ok(None) => break,
            Err(Next::NotUtf8) => return not_shaped(handed),
            Err(Next::Long) => {
                return Err(SplitError::TooBig {
                    line: n + 1,
                    limit: max_object,
                });
            }
            Err(Next::Io(e)) => return Err(SplitError::Io(e.to_string().to_lowercase())),
        };
        let mut from = 0;
        while from < text.len() {
            let end = memchr::memchr(b'\n', &text.as_bytes()[from..]).map_or(text.len(), |i| from + i + 1);
            let line = &text[from..end];
            from = end;
            n += 1;
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
    }
    finish(&mut doc, sink)?;
    Ok(Outcome::Done)
}

/// Why [`Chunks::next`] gave no lines.
enum Next {
    NotUtf8,
    /// A line longer than the limit.
    Long,
    Io(std::io::Error),
}

/// Reads a file in big blocks and hands them on as whole lines, checked as UTF-8 a block at
/// a time (not a line at a time, and without copying each line out first).
struct Chunks<'r, R> {
    reader: &'r mut R,
    buf: Vec<u8>,
    /// Start of what was not handed on yet, and end of what was read.
    pos: usize,
    len: usize,
    eof: bool,
    /// What follows `pos` is not UTF-8.
    bad: bool,
    max_line: usize,
}

/// Bytes read at a time (a line longer than this grows the buffer, up to the object limit).
const BLOCK: usize = 1 << 20;

impl<'r, R: Read> Chunks<'r, R> {
    fn new(reader: &'r mut R, max_line: usize) -> Self {
        Chunks {
            reader,
            buf: vec![0; BLOCK],
            pos: 0,
            len: 0,
            eof: false,
            bad: false,
            max_line,
        }
    }

    /// The next lines, each with its `\n` (the last line of the file may have none).
    fn next(&mut self) -> Result<Option<&str>, Next> {
        if self.bad {
            return Err(Next::NotUtf8);
        }
        let cut = loop {
            let data = &self.buf[self.pos..self.len];
            let cut = if self.eof {
                data.len()
            } else {
                memchr::memrchr(b'\n', data).map_or(0, |i| i + 1)
            };
            if cut > 0 {
                break cut;
            }
            if self.eof {
                return Ok(None);
            }
            // Keep the unfinished line, and read after it.
            self.buf.copy_within(self.pos..self.len, 0);
            self.len -= self.pos;
            self.pos = 0;
            if self.len == self.buf.len() {
                if self.len > self.max_line {
                    return Err(Next::Long);
                }
                let grown = (self.buf.len() * 2).min(self.max_line + 1).max(self.len + 1);
                self.buf.resize(grown, 0);
            }
            match self.reader.read(&mut self.buf[self.len..]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.len += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Next::Io(e)),
            }
        };
        let start = self.pos;
        match std::str::from_utf8(&self.buf[start..start + cut]) {
            Ok(text) => {
                self.pos += cut;
                Ok(Some(text))
            }
            Err(e) => {
                // The lines before the one that is not UTF-8 are still handed on.
                self.bad = true;
                let valid = memchr::memrchr(b'\n', &self.buf[start..start + e.valid_up_to()]).map_or(0, |i| i + 1);
                if valid == 0 {
                    return Err(Next::NotUtf8);
                }
                self.pos += valid;
                std::str::from_utf8(&self.buf[start..start + valid])
                    .map(Some)
                    .map_err(|_| Next::NotUtf8)
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out at most `step` bytes per read, as a pipe or a slow disk may.
    struct Trickle<'a> {
        rest: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.rest.len().min(self.step).min(buf.len());
            buf[..n].copy_from_slice(&self.rest[..n]);
            self.rest = &self.rest[n..];
            Ok(n)
        }
    }

    fn units(reader: &mut impl Read, factor: u32) -> (Result<Outcome, SplitError>, Vec<(String, usize)>) {
        let mut got = Vec::new();
        let r = split(reader, factor, &mut |u| {
            got.push((u.text, u.line));
            true
        });
        (r, got)
    }

    const LIST: &str = "apiVersion: v1\nitems:\n- kind: Pod\n  metadata:\n    name: café-0\n- kind: Pod\n  metadata:\n    name: 名前-1\nkind: List\nmetadata:\n  resourceVersion: \"\"\n";

    /// Lines and characters cut across reads of any size come out whole, with their lines.
    #[test]
    fn objects_are_the_same_whatever_the_reads_return() {
        let (whole, expected) = units(&mut LIST.as_bytes(), 1);
        assert_eq!(whole, Ok(Outcome::Done));
        assert_eq!(
            expected,
            [
                ("- kind: Pod\n  metadata:\n    name: café-0\n".to_string(), 3),
                ("- kind: Pod\n  metadata:\n    name: 名前-1\n".to_string(), 6)
            ]
        );
        for step in [1, 2, 3, 7, 64] {
            let (r, got) = units(
                &mut Trickle {
                    rest: LIST.as_bytes(),
                    step,
                },
                1,
            );
            assert_eq!((r, got), (Ok(Outcome::Done), expected.clone()), "reads of {step} bytes");
        }
        // No line break at the end of the file.
        let (r, got) = units(&mut LIST.trim_end().as_bytes(), 1);
        assert_eq!((r, got.len()), (Ok(Outcome::Done), 2));
    }

    /// Text that is not UTF-8 before any object: read the general way; after some: again.
    #[test]
    fn text_that_is_not_utf8_hands_the_file_to_the_general_reader() {
        let mut bad = b"items:\n- kind: Pod\n  metadata:\n    name: \xff\n".to_vec();
        assert_eq!(units(&mut bad.as_slice(), 1).0, Ok(Outcome::NotThisShape));
        bad = [LIST.as_bytes(), b"---\nkind: Pod\nmetadata:\n  name: \xfe\n"].concat();
        let (r, got) = units(&mut Trickle { rest: &bad, step: 5 }, 1);
        assert_eq!((r, got.len()), (Err(SplitError::Restart), 2));
    }

    /// A line longer than the object limit (a big file of garbage without line breaks) is
    /// refused when it passes the limit, not read into memory whole.
    #[test]
    fn a_line_longer_than_the_limit_is_refused_with_its_number() {
        struct Endless(usize);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.0 += buf.len();
                assert!(self.0 <= 2 * MAX_OBJECT, "read on past the limit");
                buf.fill(b'x');
                Ok(buf.len())
            }
        }
        let (r, _) = units(&mut std::io::Read::chain(b"a: 1\nb: ".as_slice(), Endless(0)), 1);
        assert_eq!(
            r,
            Err(SplitError::TooBig {
                line: 2,
                limit: MAX_OBJECT
            })
        );
    }
}
