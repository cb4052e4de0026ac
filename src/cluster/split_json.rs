//! Splits a JSON List (`{"apiVersion": .., "items": [..], "kind": ..}`, as kubectl and
//! `aiwfe snapshot` write it) or a top-level array into the JSON text of each item, by
//! following strings and brackets only, so the items can be parsed on every core and the
//! reading thread does no parsing at all. What the items hold is checked where they are
//! parsed; the structure around them is checked here.
//!
//! Anything else (a single object, a second `items`, bytes after the document, brackets
//! that do not match) answers [`Outcome::NotThisShape`] before an item was handed on, and
//! [`super::split::RESTART`] after: the caller then reads the file the general way, whose
//! errors name the line and column.

use super::split::{Outcome, SplitError};
use std::io::BufRead;
use std::sync::Arc;

/// The JSON text of one item, with the line of the file it starts on (an item too big to
/// be one names it; its text is parsed, and its errors told, the general way).
#[derive(Debug)]
pub struct JsonUnit {
    pub text: String,
    pub line: usize,
    pub list_kind: Option<Arc<str>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Where {
    /// Before the document.
    Start,
    /// In the top-level object, expecting a key (or its end).
    Key,
    /// In the top-level object, after a key and its `:`.
    Value,
    /// In the top-level object, inside a value that is not `items`.
    Skip,
    /// In the items array, between items.
    Between,
    /// Inside an item.
    Item,
    /// After the document.
    End,
}

struct State {
    at: Where,
    /// The brackets open, the document's own first.
    open: Vec<u8>,
    /// A `,` was the last thing seen where a key or an item comes next.
    after_comma: bool,
    /// A key or the `kind` value holds an escape: left to the general reader.
    escape_in_word: bool,
    in_str: bool,
    escaped: bool,
    /// The items array is the document itself (a top-level array).
    array: bool,
    listed: bool,
    /// The current top-level key, or the `kind` string, being read.
    word: Vec<u8>,
    key: Vec<u8>,
    kind: Option<Arc<str>>,
    reading_kind: bool,
    item: Vec<u8>,
    item_line: usize,
    line: usize,
    handed: bool,
    /// An item was handed on and no `,` has followed yet.
    item_done: bool,
    limit: usize,
}

/// Splits `reader` into items handed to `hand_on` (`false` from it: stop).
pub fn split(reader: &mut impl BufRead, factor: u32, hand_on: &mut dyn FnMut(JsonUnit) -> bool) -> Result<Outcome, SplitError> {
    let mut s = State {
        at: Where::Start,
        open: Vec::new(),
        after_comma: false,
        escape_in_word: false,
        in_str: false,
        escaped: false,
        array: false,
        listed: false,
        word: Vec::new(),
        key: Vec::new(),
        kind: None,
        reading_kind: false,
        item: Vec::new(),
        item_line: 1,
        line: 1,
        handed: false,
        item_done: false,
        limit: super::split::MAX_OBJECT.saturating_mul(factor.max(1) as usize),
    };
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(SplitError::Io(e.to_string())),
        };
        if buf.is_empty() {
            break;
        }
        let n = buf.len();
        let r = s.feed(buf, hand_on);
        reader.consume(n);
        match r {
            Ok(()) => {}
            Err(Stop::Shape) => return s.not_this_shape(),
            Err(Stop::Receiver) => return Err(SplitError::Stopped),
            Err(Stop::TooBig) => {
                return Err(SplitError::TooBig {
                    line: s.item_line,
                    limit: s.limit,
                });
            }
        }
    }
    if s.at != Where::End || !s.listed && !s.array {
        return s.not_this_shape();
    }
    Ok(Outcome::Done)
}

enum Stop {
    Shape,
    Receiver,
    TooBig,
}

impl State {
    fn not_this_shape(&self) -> Result<Outcome, SplitError> {
        if self.handed {
            Err(SplitError::Restart)
        } else {
            Ok(Outcome::NotThisShape)
        }
    }

    fn feed(&mut self, buf: &[u8], hand_on: &mut dyn FnMut(JsonUnit) -> bool) -> Result<(), Stop> {
        // Bytes of the current item from here in `buf` are copied in one go.
        let mut run = if self.at == Where::Item { Some(0) } else { None };
        let mut i = 0;
        while i < buf.len() {
            let c = buf[i];
            if self.in_str {
                if self.escaped {
                    self.escaped = false;
                } else if c == b'\\' {
                    self.escaped = true;
                    self.escape_in_word |= matches!(self.at, Where::Key | Where::Value);
                } else if c == b'"' {
                    self.in_str = false;
                    if matches!(self.at, Where::Key | Where::Value) {
                        if self.escape_in_word {
                            return Err(Stop::Shape);
                        }
                        self.word_done();
                    }
                } else if matches!(self.at, Where::Key | Where::Value) {
                    self.word.push(c);
                } else if c == b'\n' {
                    self.line += 1;
                } else if self.at == Where::Item {
                    // The bulk of an item is its strings: jump to the next quote or escape.
                    let rest = &buf[i..];
                    let skip = memchr::memchr3(b'"', b'\\', b'\n', rest).unwrap_or(rest.len());
                    i += skip.max(1);
                    continue;
                }
                i += 1;
                continue;
            }
            match (self.at, c) {
                (_, b'\n') => self.line += 1,
                (_, b' ' | b'\t' | b'\r') => {}
                (Where::Start, b'{') => {
                    self.open.push(c);
                    self.at = Where::Key;
                }
                (Where::Start, b'[') => {
                    self.open.push(c);
                    self.array = true;
                    self.at = Where::Between;
                }
                (Where::Key, b'"') if self.key.is_empty() => {
                    self.in_str = true;
                    self.after_comma = false;
                    self.word.clear();
                }
                (Where::Key, b':') if !self.key.is_empty() => self.at = Where::Value,
                (Where::Key, b'}') if !self.after_comma && self.key.is_empty() => {
                    self.open.clear();
                    self.at = Where::End;
                }
                (Where::Value, b'[') if self.key == b"items" => {
                    if self.listed {
                        return Err(Stop::Shape);
                    }
                    self.open.push(c);
                    self.after_comma = false;
                    self.at = Where::Between;
                }
                (Where::Value, b'"') if self.key == b"kind" => {
                    self.in_str = true;
                    self.reading_kind = true;
                    self.word.clear();
                }
                (Where::Value, b'"') => {
                    self.in_str = true;
                    self.key.clear();
                    self.at = Where::Skip;
                }
                (Where::Value, b'{' | b'[') => {
                    self.open.push(c);
                    self.key.clear();
                    self.at = Where::Skip;
                }
                (Where::Value, b'}' | b']' | b',' | b':') => return Err(Stop::Shape),
                (Where::Value, _) => {
                    // A number, true, false or null: skipped up to the next `,` or `}`.
                    self.key.clear();
                    self.at = Where::Skip;
                }
                (Where::Skip, b'"') => self.in_str = true,
                (Where::Skip, b'{' | b'[') => self.open.push(c),
                (Where::Skip, b'}' | b']') => {
                    self.close(c)?;
                    if self.open.is_empty() {
                        self.at = Where::End;
                    }
                }
                (Where::Skip, b',') if self.open.len() == 1 => {
                    self.after_comma = true;
                    self.at = Where::Key;
                }
                (Where::Skip, _) => {}
                (Where::Between, b',') if self.item_done => {
                    self.item_done = false;
                    self.after_comma = true;
                }
                (Where::Between, b']') if !self.after_comma => {
                    self.close(c)?;
                    self.item_done = false;
                    if self.array {
                        self.at = Where::End;
                    } else {
                        self.listed = true;
                        self.key.clear();
                        self.at = Where::Skip;
                    }
                }
                (Where::Between, b',' | b']' | b'}' | b':') => return Err(Stop::Shape),
                (Where::Between, _) if !self.item_done => {
                    self.after_comma = false;
                    self.at = Where::Item;
                    self.item.clear();
                    self.item_line = self.line;
                    run = Some(i);
                    if c == b'"' {
                        self.in_str = true;
                    } else if c == b'{' || c == b'[' {
                        self.open.push(c);
                    }
                }
                (Where::Between, _) => return Err(Stop::Shape),
                (Where::Item, b'"') => self.in_str = true,
                (Where::Item, b'{' | b'[') => self.open.push(c),
                (Where::Item, b'}' | b']') if self.open.len() > self.items_depth() => self.close(c)?,
                (Where::Item, b',' | b']') if self.open.len() == self.items_depth() => {
                    if let Some(from) = run.take() {
                        self.item.extend_from_slice(&buf[from..i]);
                    }
                    self.hand_on(hand_on)?;
                    self.item_done = true;
                    self.at = Where::Between;
                    // The `]` closes the items: seen again in `Between`.
                    continue;
                }
                (Where::Item, b'}') => return Err(Stop::Shape),
                (Where::Item, _) => {}
                (Where::End, _) => return Err(Stop::Shape),
                (Where::Start, _) | (Where::Key, _) => return Err(Stop::Shape),
            }
            i += 1;
        }
        if let Some(from) = run {
            self.item.extend_from_slice(&buf[from..]);
            if self.item.len() > self.limit {
                return Err(Stop::TooBig);
            }
        }
        Ok(())
    }

    /// Depth of the items' array: 1 for a top-level array, 2 for a List's `items`.
    fn items_depth(&self) -> usize {
        if self.array { 1 } else { 2 }
    }

    /// Closes the innermost bracket with `c`, which must match it.
    fn close(&mut self, c: u8) -> Result<(), Stop> {
        match (self.open.pop(), c) {
            (Some(b'{'), b'}') | (Some(b'['), b']') => Ok(()),
            _ => Err(Stop::Shape),
        }
    }

    /// A top-level key, or the `kind` value, has been read.
    fn word_done(&mut self) {
        if self.reading_kind {
            self.reading_kind = false;
            if !self.listed {
                self.kind = std::str::from_utf8(&self.word).ok().map(Arc::from);
            }
            self.key.clear();
            self.at = Where::Skip;
        } else {
            self.key = std::mem::take(&mut self.word);
        }
    }

    fn hand_on(&mut self, hand_on: &mut dyn FnMut(JsonUnit) -> bool) -> Result<(), Stop> {
        while self.item.last().is_some_and(u8::is_ascii_whitespace) {
            self.item.pop();
        }
        if self.item.len() > self.limit {
            return Err(Stop::TooBig);
        }
        let text = String::from_utf8(std::mem::take(&mut self.item)).map_err(|_| Stop::Shape)?;
        self.handed = true;
        let unit = JsonUnit {
            text,
            line: self.item_line,
            list_kind: if self.array { None } else { self.kind.clone() },
        };
        if hand_on(unit) { Ok(()) } else { Err(Stop::Receiver) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each unit's text, line and List kind.
    type Seen = Vec<(String, usize, Option<String>)>;

    fn units(text: &str) -> Result<(Outcome, Seen), SplitError> {
        let mut out = Vec::new();
        let r = split(&mut text.as_bytes(), 1, &mut |u| {
            out.push((u.text, u.line, u.list_kind.map(|k| k.to_string())));
            true
        })?;
        Ok((r, out))
    }

    #[test]
    fn lists_and_arrays_give_their_items_as_text() {
        let (r, u) = units("{\"apiVersion\": \"v1\", \"kind\": \"PodList\", \"metadata\": {\"a\": [1, {\"b\": \"]}\\\"\"}]},\n \"items\": [\n  {\"metadata\": {\"name\": \"p,]}\"}},\n  {\"kind\": \"Pod\"} ,\n  null\n ], \"x\": true}\n").unwrap();
        assert_eq!(r, Outcome::Done);
        let texts: Vec<&str> = u.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(texts, ["{\"metadata\": {\"name\": \"p,]}\"}}", "{\"kind\": \"Pod\"}", "null"]);
        assert_eq!(u.iter().map(|x| x.1).collect::<Vec<_>>(), [3, 4, 5]);
        assert_eq!(u[0].2.as_deref(), Some("PodList"));

        let (r, u) = units("[{\"kind\": \"Pod\"}, 1, \"s\", [2]]").unwrap();
        assert_eq!(r, Outcome::Done);
        assert_eq!(
            u.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
            ["{\"kind\": \"Pod\"}", "1", "\"s\"", "[2]"]
        );
        assert_eq!(units("{\"items\": []}").unwrap().0, Outcome::Done);
        assert_eq!(units("[]").unwrap().0, Outcome::Done);
        // kind after items, as kubectl writes it: the items name their own kinds.
        let (_, u) = units("{\"items\": [{}], \"kind\": \"List\"}").unwrap();
        assert_eq!(u[0].2, None);
    }

    #[test]
    fn other_shapes_go_back_to_the_general_reader() {
        for text in [
            "{\"kind\": \"Pod\"}",
            "{\"a\": 1}",
            "{}",
            "",
            "{\"items\": [1",
            "{\"items\": 3}",
            "{\"it\\u0065ms\": []}",
            "{,\"items\": []}",
        ] {
            assert_eq!(units(text).unwrap().0, Outcome::NotThisShape, "{text}");
        }
        for text in [
            "{\"items\": [{}]} x",
            "[{}] [{}]",
            "{\"items\": [{}], \"items\": []}",
            "[{}, {]",
            "[{}, ]",
            "[{},, {}]",
            "{\"items\": [{}], \"m\": {\"a\": [1}]}",
            "{\"items\": [{}],}",
            "{\"items\": [1]",
        ] {
            assert_eq!(units(text).unwrap_err(), SplitError::Restart, "{text}");
        }
    }
}
