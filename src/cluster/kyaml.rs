//! A fast reader for YAML as `kubectl get -o yaml` (and `aiwfe snapshot`) prints it: block
//! mappings and sequences by indentation, plain, single- and double-quoted scalars on one
//! line, literal block scalars (`|`, `|-`, `|+`) and the empty flow collections `{}` and
//! `[]`. That is all kubectl writes for ordinary objects, and reading only that is several
//! times faster than a general YAML parser.
//!
//! Anything else (anchors, aliases, tags, comments, flow collections with content, folded or
//! multi-line scalars, duplicate keys, tabs, a plain scalar whose type is not plainly a
//! string or a decimal integer, ...) answers `None`, and the caller parses the text with the
//! general parser, which gives the same values, or the error, with its line. So this reader
//! never decides anything the general one would decide otherwise: on the text it accepts,
//! both give the same tree (the tests compare them).

use serde_json::{Map, Number, Value};

/// The values of one unit of a split file: the items of a sequence (`entry`), or the one
/// document. `None`: not in the subset this reader takes; parse it the general way.
pub fn parse(text: &str, entry: bool, max_depth: usize) -> Option<Vec<Value>> {
    if text.contains(['\t', '\r']) {
        return None;
    }
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut p = Parser {
        lines,
        pos: 0,
        virt: None,
        max_depth,
    };
    if !entry && p.lines.first().is_some_and(|l| *l == "---") {
        p.pos = 1;
    }
    p.skip_blank();
    if p.at_end() {
        return if entry { Some(Vec::new()) } else { None };
    }
    let (indent, _) = p.current()?;
    if indent != 0 {
        return None;
    }
    let v = p.block(0, 0)?;
    p.skip_blank();
    if !p.at_end() {
        return None;
    }
    match (entry, v) {
        (true, Value::Array(items)) => Some(items),
        (false, v @ Value::Object(_)) => Some(vec![v]),
        _ => None,
    }
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    pos: usize,
    /// The rest of the current line after a `- ` that opened a sequence item, as if it began
    /// at this column.
    virt: Option<(usize, &'a str)>,
    max_depth: usize,
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
    fn block(&mut self, indent: usize, depth: usize) -> Option<Value> {
        if depth >= self.max_depth {
            return None;
        }
        let (_, content) = self.current()?;
        if is_item(content) {
            self.sequence(indent, depth)
        } else {
            self.mapping(indent, depth)
        }
    }

    fn sequence(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            let Some((at, content)) = self.current() else { break };
            if at != indent || !is_item(content) {
                if at > indent {
                    return None;
                }
                break;
            }
            let rest = content[1..].trim_start_matches(' ');
            if rest.is_empty() {
                self.advance();
                self.skip_blank();
                match self.current() {
                    Some((next, _)) if next > indent => items.push(self.block(next, depth + 1)?),
                    _ => items.push(Value::Null),
                }
                continue;
            }
            let col = indent + (content.len() - rest.len());
            if is_item(rest) || key_end(rest).is_some() {
                self.virt = Some((col, rest));
                items.push(self.block(col, depth + 1)?);
            } else if let Some(header) = rest.strip_prefix('|') {
                items.push(self.block_scalar(header, indent, false)?);
            } else if let Some(header) = rest.strip_prefix('>') {
                items.push(self.block_scalar(header, indent, true)?);
            } else {
                items.push(self.inline_value(rest, indent)?);
            }
        }
        Some(Value::Array(items))
    }

    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let mut map = Map::new();
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
            if map.contains_key(&key) {
                return None;
            }
            let value = if rest.is_empty() {
                self.advance();
                self.skip_blank();
                match self.current() {
                    Some((next, _)) if next > indent => self.block(next, depth + 1)?,
                    // go-yaml writes a mapping's sequence at the mapping's own indentation.
                    Some((next, c)) if next == indent && is_item(c) => self.sequence(indent, depth + 1)?,
                    _ => Value::Null,
                }
            } else if let Some(header) = rest.strip_prefix('|') {
                self.block_scalar(header, indent, false)?
            } else if let Some(header) = rest.strip_prefix('>') {
                self.block_scalar(header, indent, true)?
            } else {
                self.inline_value(rest, indent)?
            };
            map.insert(key, value);
        }
        Some(Value::Object(map))
    }

    /// A value that starts on the current line (after `key: ` or `- `), with the more
    /// indented lines after it that continue a quoted or plain scalar (folded as YAML folds
    /// them: a line break is a space, each blank line a newline); moves past it. `indent`:
    /// of the mapping or sequence the value is in.
    fn inline_value(&mut self, text: &'a str, indent: usize) -> Option<Value> {
        self.advance();
        match text {
            "{}" => return Some(Value::Object(Map::new())),
            "[]" => return Some(Value::Array(Vec::new())),
            _ => {}
        }
        let quote = match text.as_bytes()[0] {
            q @ (b'\'' | b'"') => Some(q),
            _ => None,
        };
        let mut open = quote.is_some_and(|q| closing(&text[1..], q).is_none());
        let mut parts = vec![text];
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
            parts.extend(std::iter::repeat_n("", next - self.pos));
            parts.push(line);
            self.pos = next + 1;
            if let Some(q) = quote {
                open = closing(line, q).is_none();
            }
        }
        if parts.len() == 1 {
            return match quote {
                Some(b'\'') => single_quoted(text).map(Value::String),
                Some(_) => double_quoted(text).map(Value::String),
                None => plain(text),
            };
        }
        let folded = fold(&parts, quote == Some(b'"'))?;
        match quote {
            Some(b'\'') => single_quoted(&folded).map(Value::String),
            Some(_) => double_quoted(&folded).map(Value::String),
            // A plain scalar over several lines is a string in every schema.
            None => match plain(parts[0])? {
                Value::String(_) => Some(Value::String(folded)),
                _ => None,
            },
        }
    }

    /// A literal block scalar after `key: |`, or a folded one after `key: >` (`header`:
    /// what follows the `|` or `>`). `indent`: of the mapping or sequence it is in.
    fn block_scalar(&mut self, header: &str, indent: usize, folded: bool) -> Option<Value> {
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
        Some(Value::String(out))
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
fn scalar_key(text: &str) -> Option<String> {
    match text.as_bytes().first()? {
        b'\'' => single_quoted(text),
        b'"' => double_quoted(text),
        _ => match plain(text)? {
            Value::String(s) => Some(s),
            _ => None,
        },
    }
}

/// A plain scalar on one line: a decimal integer, `true`/`false`/`null`, or a string that
/// no YAML schema reads as anything else. `None` for anything in between.
fn plain(text: &str) -> Option<Value> {
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
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        "null" => return Some(Value::Null),
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
            return text.parse::<i64>().ok().map(|n| Value::Number(Number::from(n)));
        }
        // Addresses and versions: digits and two or more dots (no number has two).
        let lower = unsigned.to_ascii_lowercase();
        if lower.bytes().all(|c| c.is_ascii_digit() || c == b'.') && lower.matches('.').count() >= 2 {
            return Some(Value::String(text.to_string()));
        }
        if could_be_number(&lower) || lower == ".inf" || lower == ".nan" {
            return None;
        }
        return Some(Value::String(text.to_string()));
    }
    // Words some YAML schemas read as booleans, nulls or numbers.
    const WORDS: [&str; 14] = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "infinity", "=", "<<",
    ];
    if text.len() <= 8 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(text)) {
        return None;
    }
    Some(Value::String(text.to_string()))
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
fn single_quoted(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
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
    Some(out)
}

/// `"..."` on one line with the usual escapes; any other escape answers `None`.
fn double_quoted(text: &str) -> Option<String> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains(['\\', '"']) {
        return Some(inner.to_string());
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
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn general(text: &str, entry: bool) -> Vec<Value> {
        if entry {
            serde_saphyr::from_str::<Vec<Value>>(text).unwrap()
        } else {
            vec![serde_saphyr::from_str::<Value>(text).unwrap()]
        }
    }

    /// What this reader takes, it reads as the general parser does.
    fn same(text: &str, entry: bool) -> bool {
        match parse(text, entry, 64) {
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
            assert!(parse(&text, false, 64).is_none(), "`{s}` is for the general parser");
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
            assert!(parse(text, false, 64).is_none(), "{text}");
        }
        // Nesting deeper than the limit is the general parser's to refuse.
        let deep: String = (0..70).map(|i| format!("{}k:\n", "  ".repeat(i))).collect();
        assert!(parse(&deep, false, 64).is_none());
    }
}

#[cfg(test)]
mod incident {
    use super::*;

    /// Every object of the bundled incident is read here, and as the general parser reads it.
    #[test]
    fn the_bundled_incident_is_read_by_the_fast_reader() {
        let text = include_str!("../../examples/incident.yaml");
        let mut units = Vec::new();
        let outcome = crate::cluster::split::split(&mut text.as_bytes(), 1, &mut |u| {
            units.push(u);
            true
        });
        assert_eq!(outcome, Ok(crate::cluster::split::Outcome::Done));
        assert!(units.len() > 10, "{}", units.len());
        for u in &units {
            let fast = parse(&u.text, u.entry, 64).unwrap_or_else(|| {
                let lines: Vec<&str> = u.text.lines().collect();
                let at = (1..=lines.len()).find(|&n| parse(&(lines[..n].join("\n") + "\n"), u.entry, 64).is_none());
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
