//! A fast reader for YAML as `kubectl get -o yaml` (and `aiwfe snapshot`) prints it: block
//! mappings and sequences by indentation, plain, single- and double-quoted scalars on one
//! or more lines, literal and folded block scalars and the empty flow collections `{}` and
//! `[]`. That is all kubectl writes for ordinary objects, and reading only that is several
//! times faster than a general YAML parser.
//!
//! It writes what it reads as JSON text, one text per object, so objects go to their types
//! by the same direct parse as a JSON snapshot's, without a tree in between.
//!
//! Anything else (anchors, aliases, tags, comments, flow collections with content,
//! duplicate keys, tabs, a plain scalar whose type is not plainly a string or a decimal
//! integer, nesting deeper than JSON readers go, ...) answers `None`, and the caller parses
//! the text with the general parser, which gives the same values, or the error, with its
//! line. So this reader never decides anything the general one would decide otherwise: on
//! the text it accepts, both give the same tree (the tests compare them).

use super::prune::Ctx;
use std::borrow::Cow;
use std::fmt::Write as _;

/// Levels of nesting this reader takes at most: below serde_json's recursion limit (128),
/// far above what any Kubernetes object holds.
const MAX_JSON_DEPTH: usize = 100;

/// The values of one unit of a split file, as JSON texts: the items of a sequence
/// (`entry`), or the one document (a mapping). `slim`: leave out what no check reads
/// ([`super::prune`]: `metadata.managedFields` and the last-applied annotation of each
/// object, a Pod's probes, ports, security contexts, IPs, ...). `None`: not
/// in the subset this reader takes; parse it the general way.
pub fn parse(text: &str, entry: bool, max_depth: usize, slim: bool) -> Option<Vec<Object>> {
    if memchr::memchr2(b'\t', b'\r', text.as_bytes()).is_some() {
        return None;
    }
    // The lines, without their breaks ('\n' is never inside a UTF-8 sequence).
    let mut lines: Vec<&str> = Vec::with_capacity(text.len() / 24);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(&text[start..end]);
        start = end + 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    let mut p = Parser {
        lines,
        pos: 0,
        virt: None,
        max_depth: max_depth.min(MAX_JSON_DEPTH),
        out: String::with_capacity(text.len()),
        items: Vec::new(),
        head: Head::new(),
        slim,
    };
    if !entry && p.lines.first().is_some_and(|l| *l == "---") {
        p.pos = 1;
    }
    p.skip_blank();
    if p.at_end() {
        return if entry { Some(Vec::new()) } else { None };
    }
    let (indent, content) = p.current()?;
    if indent != 0 {
        return None;
    }
    match entry {
        true if is_item(content) => p.sequence(0, 0, Ctx::Top)?,
        false if !is_item(content) => p.mapping(0, 0, Ctx::Object)?,
        _ => return None,
    }
    p.skip_blank();
    if !p.at_end() {
        return None;
    }
    if !entry {
        let head = p.head.done();
        p.items.push(Object { json: p.out, head });
    }
    Some(p.items)
}

/// One object read: its JSON text, and where in it the values of its `kind`, `apiVersion`
/// and `metadata.name` are (empty when a key is not there), when each is a string written
/// without escapes.
#[derive(Debug)]
pub struct Object {
    pub json: String,
    head: Option<[(usize, usize); 3]>,
}

impl Object {
    /// `kind`, `apiVersion` and `metadata.name`, when known without parsing the text.
    pub fn head(&self) -> Option<[&str; 3]> {
        self.head.map(|h| h.map(|(a, b)| &self.json[a..b]))
    }
}

/// Where an object's head values are, as they are written.
struct Head {
    at: [(usize, usize); 3],
    /// A head value is there but is not a plain string (`null`, escapes, a number).
    unknown: bool,
}

impl Head {
    fn new() -> Head {
        Head {
            at: [(0, 0); 3],
            unknown: false,
        }
    }

    /// The value of head key `i` is `out[at..]`.
    fn note(&mut self, i: usize, out: &str, at: usize) {
        let v = &out.as_bytes()[at..];
        if v.len() >= 2 && v[0] == b'"' && v[v.len() - 1] == b'"' && memchr::memchr(b'\\', v).is_none() {
            self.at[i] = (at + 1, out.len() - 1);
        } else {
            self.unknown = true;
        }
    }

    fn done(self) -> Option<[(usize, usize); 3]> {
        (!self.unknown).then_some(self.at)
    }
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    pos: usize,
    /// The rest of the current line after a `- ` that opened a sequence item, as if it began
    /// at this column.
    virt: Option<(usize, &'a str)>,
    max_depth: usize,
    /// The JSON written so far (of the current item, in an `entry` unit).
    out: String,
    /// The items of an `entry` unit, each once it is whole.
    items: Vec<Object>,
    /// Where the current object's kind, apiVersion and name are in `out`.
    head: Head,
    slim: bool,
}

impl<'a> Parser<'a> {
    fn at_end(&self) -> bool {
        self.pos >= self.lines.len()
    }

    /// Indentation and content of the current line.
    fn current(&self) -> Option<(usize, &'a str)> {
        if let Some(v) = self.virt {
            return Some(v);
        }
        let line = *self.lines.get(self.pos)?;
        let content = line.trim_start_matches(' ');
        Some((line.len() - content.len(), content))
    }

    fn advance(&mut self) {
        self.virt = None;
        self.pos += 1;
    }

    fn skip_blank(&mut self) {
        while self.virt.is_none() && self.lines.get(self.pos).is_some_and(|l| l.trim_start_matches(' ').is_empty()) {
            self.pos += 1;
        }
    }

    /// A mapping or a sequence whose first line (current) is at `indent`.
    fn block(&mut self, indent: usize, depth: usize, ctx: Ctx) -> Option<()> {
        if depth >= self.max_depth {
            return None;
        }
        let (_, content) = self.current()?;
        if is_item(content) {
            self.sequence(indent, depth, ctx)
        } else {
            self.mapping(indent, depth, ctx)
        }
    }

    /// The value of a key or an item whose text ends its line (`key:`, `-`): the block
    /// more indented below it, go-yaml's sequence at the mapping's own indentation when
    /// `same_level_sequence`, or null.
    fn nested(&mut self, indent: usize, depth: usize, ctx: Ctx, same_level_sequence: bool) -> Option<()> {
        self.advance();
        self.skip_blank();
        match self.current() {
            Some((next, _)) if next > indent => self.block(next, depth + 1, ctx),
            Some((next, c)) if same_level_sequence && next == indent && is_item(c) => {
                if depth + 1 >= self.max_depth {
                    return None;
                }
                self.sequence(indent, depth + 1, ctx)
            }
            _ => {
                self.out.push_str("null");
                Some(())
            }
        }
    }

    /// A value that starts on the current line, after `key: ` or `- ` (`rest`).
    fn value(&mut self, rest: &'a str, indent: usize) -> Option<()> {
        if let Some(header) = rest.strip_prefix('|') {
            self.block_scalar(header, indent, false)
        } else if let Some(header) = rest.strip_prefix('>') {
            self.block_scalar(header, indent, true)
        } else {
            self.inline_value(rest, indent)
        }
    }

    fn sequence(&mut self, indent: usize, depth: usize, ctx: Ctx) -> Option<()> {
        let top = ctx == Ctx::Top;
        let item_ctx = ctx.item();
        if !top {
            self.out.push('[');
        }
        let mut first = true;
        loop {
            self.skip_blank();
            let Some((at, content)) = self.current() else { break };
            if at != indent || !is_item(content) {
                if at > indent {
                    return None;
                }
                break;
            }
            if !top && !first {
                self.out.push(',');
            }
            first = false;
            let rest = content[1..].trim_start_matches(' ');
            if rest.is_empty() {
                self.nested(indent, depth, item_ctx, false)?;
            } else {
                let col = indent + (content.len() - rest.len());
                if is_item(rest) || key_end(rest).is_some() {
                    self.virt = Some((col, rest));
                    self.block(col, depth + 1, item_ctx)?;
                } else {
                    self.value(rest, indent)?;
                }
            }
            if top {
                let cap = self.out.len();
                let json = std::mem::replace(&mut self.out, String::with_capacity(cap));
                let head = std::mem::replace(&mut self.head, Head::new()).done();
                self.items.push(Object { json, head });
            }
        }
        if !top {
            self.out.push(']');
        }
        Some(())
    }

    fn mapping(&mut self, indent: usize, depth: usize, ctx: Ctx) -> Option<()> {
        self.out.push('{');
        let mut keys: Vec<Cow<'a, str>> = Vec::new();
        let mut many: Option<std::collections::HashSet<Cow<'a, str>>> = None;
        let mut written = false;
        // The object is a Pod (its `kind` came before the keys that say so).
        let mut pod = false;
        loop {
            self.skip_blank();
            let Some((at, content)) = self.current() else { break };
            if at != indent || is_item(content) {
                if at > indent {
                    return None;
                }
                break;
            }
            let (key, rest) = key_end(content)?;
            let key = scalar_key(key)?;
            // Duplicate keys are the general parser's to refuse; a big mapping is checked
            // through a set.
            if keys.len() < 16 {
                if keys.contains(&key) {
                    return None;
                }
                keys.push(key.clone());
            } else if !many.get_or_insert_with(|| keys.iter().cloned().collect()).insert(key.clone()) {
                return None;
            }
            let mark = self.out.len();
            if written {
                self.out.push(',');
            }
            push_json_str(&mut self.out, &key);
            self.out.push(':');
            let at = self.out.len();
            if ctx == Ctx::Object && key == "kind" {
                pod = rest == "Pod";
            }
            let child = ctx.child(&key, pod);
            if rest.is_empty() {
                self.nested(indent, depth, child, true)?;
            } else {
                self.value(rest, indent)?;
            }
            match (ctx, &*key) {
                (Ctx::Object, "kind") => self.head.note(0, &self.out, at),
                (Ctx::Object, "apiVersion") => self.head.note(1, &self.out, at),
                (Ctx::Metadata, "name") => self.head.note(2, &self.out, at),
                _ => {}
            }
            if self.slim && ctx.drops(&key) {
                self.out.truncate(mark);
            } else {
                written = true;
            }
        }
        self.out.push('}');
        Some(())
    }

    /// A value that starts on the current line (after `key: ` or `- `), with the more
    /// indented lines after it that continue a quoted or plain scalar (folded as YAML folds
    /// them: a line break is a space, each blank line a newline); moves past it. `indent`:
    /// of the mapping or sequence the value is in.
    fn inline_value(&mut self, text: &'a str, indent: usize) -> Option<()> {
        self.advance();
        if text == "{}" || text == "[]" {
            self.out.push_str(text);
            return Some(());
        }
        let quote = match text.as_bytes()[0] {
            q @ (b'\'' | b'"') => Some(q),
            _ => None,
        };
        let mut open = quote.is_some_and(|q| closing(&text[1..], q).is_none());
        // The scalar's lines, once it has more than one (most have one: no allocation).
        let mut parts: Vec<&str> = Vec::new();
        loop {
            let mut next = self.pos;
            while self.lines.get(next).is_some_and(|l| l.trim_start_matches(' ').is_empty()) {
                next += 1;
            }
            let deeper = self.lines.get(next).and_then(|l| {
                let c = l.trim_start_matches(' ');
                (l.len() - c.len() > indent).then_some(c)
            });
            let Some(line) = deeper else {
                if open {
                    return None;
                }
                break;
            };
            if quote.is_some() && !open {
                break;
            }
            let indicator = line.starts_with([
                '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
            ]);
            if quote.is_none() && (indicator || breaks_plain(line) || line.ends_with(':')) {
                return None;
            }
            if parts.is_empty() {
                parts.push(text);
            }
            parts.extend(std::iter::repeat_n("", next - self.pos));
            parts.push(line);
            self.pos = next + 1;
            if let Some(q) = quote {
                open = closing(line, q).is_none();
            }
        }
        if parts.is_empty() {
            match quote {
                Some(b'\'') => push_json_str(&mut self.out, &single_quoted(text)?),
                Some(_) => push_json_str(&mut self.out, &double_quoted(text)?),
                None => plain(text)?.write(&mut self.out, text),
            }
            return Some(());
        }
        let folded = fold(&parts, quote == Some(b'"'))?;
        match quote {
            Some(b'\'') => push_json_str(&mut self.out, &single_quoted(&folded)?),
            Some(_) => push_json_str(&mut self.out, &double_quoted(&folded)?),
            // A plain scalar over several lines is a string in every schema.
            None => match plain(parts[0])? {
                Plain::Str => push_json_str(&mut self.out, &folded),
                _ => return None,
            },
        }
        Some(())
    }

    /// A literal block scalar after `key: |`, or a folded one after `key: >` (`header`:
    /// what follows the `|` or `>`). `indent`: of the mapping or sequence it is in.
    fn block_scalar(&mut self, header: &str, indent: usize, folded: bool) -> Option<()> {
        let chomp = match header {
            "" => Chomp::Clip,
            "-" => Chomp::Strip,
            "+" => Chomp::Keep,
            _ => return None,
        };
        self.advance();
        let start = self.pos;
        let mut block_indent = None;
        let mut end = start;
        while let Some(l) = self.lines.get(end) {
            let content = l.trim_start_matches(' ');
            let at = l.len() - content.len();
            if content.is_empty() {
                end += 1;
                continue;
            }
            if at <= indent {
                break;
            }
            match block_indent {
                None => block_indent = Some(at),
                Some(b) if at < b => return None,
                _ => {}
            }
            end += 1;
        }
        let b = block_indent?;
        // Leading blank lines more indented than the content are not taken.
        let mut out = String::new();
        let mut last_content = start;
        for i in start..end {
            if !self.lines[i].trim_start_matches(' ').is_empty() {
                last_content = i;
            }
        }
        let mut blanks = 0;
        for (n, l) in self.lines[start..=last_content].iter().enumerate() {
            if l.trim_start_matches(' ').is_empty() {
                if l.len() > b {
                    return None;
                }
                blanks += 1;
                continue;
            }
            let text = &l[b..];
            if folded {
                // More indented lines keep their breaks: not taken.
                if text.starts_with(' ') {
                    return None;
                }
                if n > blanks && blanks == 0 {
                    out.push(' ');
                }
                out.extend(std::iter::repeat_n('\n', blanks));
            } else {
                out.extend(std::iter::repeat_n('\n', blanks));
            }
            blanks = 0;
            out.push_str(text);
            if !folded {
                out.push('\n');
            }
        }
        if folded {
            out.push('\n');
        }
        let trailing = end - 1 - last_content;
        match chomp {
            Chomp::Clip => {}
            Chomp::Strip => {
                out.pop();
            }
            Chomp::Keep => {
                for _ in 0..trailing {
                    out.push('\n');
                }
                // Blank lines at the very end of the unit may belong to what follows.
                if end >= self.lines.len() && trailing > 0 {
                    return None;
                }
            }
        }
        self.pos = end;
        self.virt = None;
        push_json_str(&mut self.out, &out);
        Some(())
    }
}

enum Chomp {
    Clip,
    Strip,
    Keep,
}

/// `- x` or a lone `-`.
fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Splits `key: rest` (or `key:` at the end of the line) into the key's text and the rest.
fn key_end(content: &str) -> Option<(&str, &str)> {
    let b = content.as_bytes();
    match b.first()? {
        &q @ (b'\'' | b'"') => {
            let i = 1 + closing(&content[1..], q)?;
            let after = content.get(i + 1..)?;
            let rest = after.strip_prefix(':')?;
            if !(rest.is_empty() || rest.starts_with(' ')) {
                return None;
            }
            Some((&content[..=i], rest.trim_start_matches(' ')))
        }
        _ => {
            let i = colon_space(content.as_bytes()).or_else(|| content.ends_with(':').then(|| content.len() - 1))?;
            Some((&content[..i], content[i + 1..].trim_start_matches(' ')))
        }
    }
}

/// Where the first `: ` is (a key's end).
fn colon_space(b: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b':', b).find(|&i| b.get(i + 1) == Some(&b' '))
}

/// Whether a plain scalar holds `: ` or ` #` (a key or a comment would start there): one
/// pass over its spaces, which most scalars do not have.
fn breaks_plain(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b' ', b).any(|i| (i > 0 && b[i - 1] == b':') || b.get(i + 1) == Some(&b'#'))
}

/// A mapping key as a string; only keys that are strings to the general parser too.
fn scalar_key(text: &str) -> Option<Cow<'_, str>> {
    match text.as_bytes().first()? {
        b'\'' => single_quoted(text),
        b'"' => double_quoted(text),
        _ => match plain(text)? {
            Plain::Str => Some(Cow::Borrowed(text)),
            _ => None,
        },
    }
}

/// What a plain scalar is.
#[derive(Debug, PartialEq)]
enum Plain {
    /// The text itself.
    Str,
    Int(i64),
    Bool(bool),
    Null,
}

impl Plain {
    /// As JSON (`text`: the scalar's).
    fn write(self, out: &mut String, text: &str) {
        match self {
            Plain::Str => push_json_str(out, text),
            Plain::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Plain::Bool(b) => out.push_str(if b { "true" } else { "false" }),
            Plain::Null => out.push_str("null"),
        }
    }
}

/// `s` as a JSON string.
fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let b = s.as_bytes();
    let mut from = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc = match c {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\t' => "\\t",
            b'\r' => "\\r",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{:04x}", c);
        } else {
            out.push_str(esc);
        }
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

/// A plain scalar on one line: a decimal integer, `true`/`false`/`null`, or a string that
/// no YAML schema reads as anything else. `None` for anything in between.
fn plain(text: &str) -> Option<Plain> {
    let b = text.as_bytes();
    let first = *b.first()?;
    let indicator = match first {
        b'[' | b']' | b'{' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' => true,
        b'?' | b':' | b'~' => true,
        b'-' => b.len() == 1 || b[1] == b' ',
        _ => false,
    };
    if indicator || text.ends_with(' ') || breaks_plain(text) || text.ends_with(':') {
        return None;
    }
    match text {
        "true" => return Some(Plain::Bool(true)),
        "false" => return Some(Plain::Bool(false)),
        "null" => return Some(Plain::Null),
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if unsigned.len() <= 8 && ["inf", "infinity", "nan"].iter().any(|w| w.eq_ignore_ascii_case(unsigned)) {
        return None;
    }
    if unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        let digits = text.strip_prefix('-').unwrap_or(text);
        if !digits.is_empty()
            && digits.bytes().all(|c| c.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
            && digits.len() <= 18
        {
            return text.parse::<i64>().ok().map(Plain::Int);
        }
        // Addresses and versions: digits and two or more dots (no number has two).
        let lower = unsigned.to_ascii_lowercase();
        if lower.bytes().all(|c| c.is_ascii_digit() || c == b'.') && lower.matches('.').count() >= 2 {
            return Some(Plain::Str);
        }
        if could_be_number(&lower) || lower == ".inf" || lower == ".nan" {
            return None;
        }
        return Some(Plain::Str);
    }
    // Words some YAML schemas read as booleans, nulls or numbers.
    const WORDS: [&str; 14] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "infinity", "=", "<<",
    ];
    if text.len() <= 8 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        return None;
    }
    Some(Plain::Str)
}

/// Whether some YAML schema (or a lenient number parser) could read `s` (unsigned, lower
/// case) as a number: hex, octal and binary with their prefixes, decimals with dots,
/// underscores, colons (sexagesimal) and an exponent. Anything else is a string for all.
fn could_be_number(s: &str) -> bool {
    let all = |t: &str, f: fn(u8) -> bool| t.bytes().all(|c| f(c) || c == b'_');
    if let Some(h) = s.strip_prefix("0x") {
        return all(h, |c| c.is_ascii_hexdigit());
    }
    if let Some(o) = s.strip_prefix("0o") {
        return all(o, |c| matches!(c, b'0'..=b'7'));
    }
    if let Some(b) = s.strip_prefix("0b") {
        return all(b, |c| matches!(c, b'0' | b'1'));
    }
    let (mantissa, exponent) = match s.find('e') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    all(mantissa, |c| c.is_ascii_digit() || c == b'.' || c == b':')
        && exponent.is_none_or(|e| all(e.strip_prefix(['+', '-']).unwrap_or(e), |c| c.is_ascii_digit()))
}

/// Where a quoted scalar that `text` continues closes on this line (`text` is after the
/// opening quote, or a continuation line).
fn closing(text: &str, quote: u8) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The lines of a scalar (the first as written after its key, blank ones empty) folded
/// into one: trailing spaces go, a break between two lines is a space, each blank line a
/// newline, and in double quotes a `\` at the end of a line joins it to the next.
fn fold(parts: &[&str], double: bool) -> Option<String> {
    let mut out = String::new();
    let mut blanks = 0;
    let mut joined = false;
    for (i, part) in parts.iter().enumerate() {
        let line = if i + 1 < parts.len() { part.trim_end_matches(' ') } else { part };
        if i > 0 && line.is_empty() {
            blanks += 1;
            continue;
        }
        if i > 0 {
            if joined {
                if blanks > 0 {
                    return None;
                }
            } else if blanks == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', blanks));
            }
        }
        blanks = 0;
        let escaped = double && i + 1 < parts.len() && line.bytes().rev().take_while(|&c| c == b'\\').count() % 2 == 1;
        if double && part.len() != line.len() && line.ends_with('\\') {
            return None;
        }
        out.push_str(if escaped { &line[..line.len() - 1] } else { line });
        joined = escaped;
    }
    Some(out)
}

/// `'...'` on one line, `''` for a quote.
fn single_quoted(text: &str) -> Option<Cow<'_, str>> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    if !inner.contains('\'') {
        return Some(Cow::Borrowed(inner));
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if chars.next() != Some('\'') {
                return None;
            }
            out.push('\'');
        } else {
            out.push(c);
        }
    }
    Some(Cow::Owned(out))
}

/// `"..."` on one line with the usual escapes; any other escape answers `None`.
fn double_quoted(text: &str) -> Option<Cow<'_, str>> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains(['\\', '"']) {
        return Some(Cow::Borrowed(inner));
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let e = chars.next()?;
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '0' => out.push('\0'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'e' => out.push('\u{1b}'),
                    'a' => out.push('\u{7}'),
                    'v' => out.push('\u{b}'),
                    ' ' => out.push(' '),
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = chars.by_ref().take(n).collect();
                        if hex.len() != n {
                            return None;
                        }
                        let code = u32::from_str_radix(&hex, 16).ok()?;
                        out.push(char::from_u32(code)?);
                    }
                    _ => return None,
                }
            }
            c => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests;
