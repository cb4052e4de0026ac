//! Text for a terminal: what a server, a log or a file controls is data, so its control
//! characters are shown, not obeyed. One function, `escape`, used by every human output
//! (the table and markdown reports, errors and notes on stderr, the log writer).

/// `s` with every control character made visible the way `cat -v` shows it: C0 as `^X`
/// (`ESC` → `^[`, `BEL` → `^G`, `CR` → `^M`), `DEL` as `^?`, C1 as `M-^X` (`CSI` U+009B →
/// `M-^[`), and the invisible characters that reorder or break lines (bidi overrides and
/// isolates, U+2028/U+2029) as `\u{…}`. Newlines and tabs stay: multi-line text is wrapped
/// line by line. Printable text, any script, is untouched.
pub fn escape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c as u32 {
            _ if !needs_escape(c) => out.push(c),
            n @ 0x00..=0x1f => {
                out.push('^');
                out.push(char::from(n as u8 + 0x40));
            }
            0x7f => out.push_str("^?"),
            n @ 0x80..=0x9f => {
                out.push_str("M-^");
                out.push(char::from(n as u8 - 0x80 + 0x40));
            }
            n => out.push_str(&format!("\\u{{{n:x}}}")),
        }
    }
    std::borrow::Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        // Bidi embeddings, overrides and isolates; line and paragraph separators.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_like_cat_v() {
        // A 403 body that would clear the screen and retitle the window.
        assert_eq!(escape("denied \x1b[2J\x1b]0;owned\x07 now"), "denied ^[[2J^[]0;owned^G now");
        assert_eq!(escape("a\rb\x7fc\u{9b}31m"), "a^Mb^?cM-^[31m");
        assert_eq!(escape("\0"), "^@");
        assert_eq!(escape("user \u{202e}nimda"), "user \\u{202e}nimda");
    }

    #[test]
    fn printable_text_newlines_and_tabs_stay() {
        let s = "pods crash-looping ×6 – ПИНГ 🚀\n\tline two";
        assert!(matches!(escape(s), std::borrow::Cow::Borrowed(_)));
        assert_eq!(escape(s), s);
    }
}
