//! Text for a terminal of a given width: display widths, wrapping at word boundaries,
//! cutting to a width, colour. `width: None` (piped) leaves text whole on one line.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` padded with spaces to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

/// `s` cut to at most `max` columns, ending in `…` when cut, at a word boundary when one is
/// near enough the end to keep most of the text.
pub fn cut(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut end = 0;
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    let head = &s[..end];
    // A head that ends where a word does keeps that word.
    let at_word = if s[end..].starts_with(' ') {
        Some(end)
    } else {
        head.rfind(' ').filter(|&i| width(&head[..i]) * 3 >= max * 2)
    };
    let kept = match at_word {
        Some(i) => head[..i].trim_end_matches([' ', ',', ';', ':']),
        None => head,
    };
    format!("{kept}…")
}

/// `text` as lines of at most `max` columns: `first` before the first line, `rest` before
/// the others, broken only between words. Each line of a multi-line `text` starts a new
/// line. With `max: None` every line of `text` stays whole. A word wider than a whole line
/// is cut (see `cut`) rather than broken.
pub fn wrap(text: &str, first: &str, rest: &str, max: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let indent = if n == 0 { first } else { rest };
        let Some(max) = max else {
            out.push(format!("{indent}{line}").trim_end().to_string());
            continue;
        };
        let mut cur = indent.to_string();
        let mut empty = true;
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            let room = max.saturating_sub(width(&cur));
            if !empty && width(word) < room {
                cur.push(' ');
                cur.push_str(word);
                continue;
            }
            if !empty {
                out.push(std::mem::replace(&mut cur, rest.to_string()));
            }
            let room = max.saturating_sub(width(&cur));
            cur.push_str(&cut(word, room.max(1)));
            empty = false;
        }
        out.push(cur.trim_end().to_string());
    }
    if out.is_empty() {
        out.push(first.trim_end().to_string());
    }
    out
}

/// SGR colour codes for a severity word.
#[derive(Debug, Clone, Copy)]
pub enum Paint {
    Red,
    Yellow,
    Cyan,
    Green,
    Bold,
}

/// `s` in `paint` when `on`.
pub fn paint(s: &str, paint: Paint, on: bool) -> String {
    if !on {
        return s.to_string();
    }
    let code = match paint {
        Paint::Red => "31",
        Paint::Yellow => "33",
        Paint::Cyan => "36",
        Paint::Green => "32",
        Paint::Bold => "1",
    };
    format!("\u{1b}[{code}m{s}\u{1b}[0m")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_between_words_only_and_keeps_indents() {
        let lines = wrap("deployment/reasoning-service: 4 pods crash-looping", "  ", "    ", Some(34));
        assert_eq!(lines, ["  deployment/reasoning-service: 4", "    pods crash-looping"]);
        for l in &lines {
            assert!(width(l) <= 34, "{l:?}");
        }
        let lines = wrap("one two three four five", "- ", "  ", Some(11));
        assert_eq!(lines, ["- one two", "  three", "  four five"]);
    }

    #[test]
    fn unbounded_wrap_keeps_each_line_whole() {
        let long = "word ".repeat(100);
        assert_eq!(wrap(&long, "  ", "    ", None), [format!("  {}", long.trim_end())]);
        assert_eq!(wrap("a\nb", "  ", "    ", None), ["  a", "    b"]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_not_broken() {
        let lines = wrap("see https://example.com/a/very/long/path/indeed", "", "", Some(20));
        assert_eq!(lines[0], "see");
        assert!(lines[1].ends_with('…') && width(&lines[1]) <= 20, "{lines:?}");
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn cut_prefers_a_word_boundary() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("pods use 0.6 % of the CPU they request", 20), "pods use 0.6 % of…");
        assert_eq!(cut("abcdefghijklmnopqrstuvwxyz", 10), "abcdefghi…");
        assert_eq!(cut("2–3 pods crash-looping on a Redis error", 12), "2–3 pods…");
        assert_eq!(cut("a password and the client", 15), "a password and…");
        assert_eq!(cut("a password and, then", 16), "a password and…");
        assert_eq!(width(&cut("2–3×crash-looping", 8)), 8);
    }

    #[test]
    fn a_line_may_fill_the_width_exactly_but_not_pass_it() {
        assert_eq!(wrap("ab cd", "", "", Some(5)), ["ab cd"]);
        assert_eq!(wrap("ab cde", "", "", Some(5)), ["ab", "cde"]);
        assert_eq!(wrap("- ab cd", "", "", Some(7)), ["- ab cd"]);
        // Nothing to wrap: the first indent alone, without its trailing spaces.
        assert_eq!(wrap("", "  - ", "    ", Some(20)), ["  -"]);
        assert_eq!(wrap("", "  - ", "    ", None), ["  -"]);
        assert_eq!(wrap("a  b", "", "", Some(10)), ["a b"]);
    }

    #[test]
    fn cut_keeps_a_word_boundary_only_past_two_thirds_of_the_width() {
        // The space at 6 of 9 columns is exactly two thirds: cut there.
        assert_eq!(cut("abcdef ghijkl", 9), "abcdef…");
        // At 6 of 10 it is short of two thirds: cut inside the word.
        assert_eq!(cut("abcdef ghijklmnop", 10), "abcdef gh…");
        assert_eq!(cut("abcdefg hijklmnop", 10), "abcdefg…");
        // Punctuation before the cut goes with it.
        assert_eq!(cut("first, second, third words", 16), "first, second…");
        assert_eq!(cut("abcdef", 6), "abcdef");
        assert_eq!(cut("abcdef", 5), "abcd…");
        assert_eq!(cut("abcdef", 1), "…");
        assert_eq!(cut("abcdef", 0), "");
        // A wide character that does not fit whole is left out.
        assert_eq!(cut("ab漢字", 4), "ab…");
    }

    #[test]
    fn paint_wraps_in_the_colour_asked_or_not_at_all() {
        assert_eq!(paint("error", Paint::Red, true), "\u{1b}[31merror\u{1b}[0m");
        assert_eq!(paint("warning", Paint::Yellow, true), "\u{1b}[33mwarning\u{1b}[0m");
        assert_eq!(paint("info", Paint::Cyan, true), "\u{1b}[36minfo\u{1b}[0m");
        assert_eq!(paint("ok", Paint::Green, true), "\u{1b}[32mok\u{1b}[0m");
        assert_eq!(paint("Causes", Paint::Bold, true), "\u{1b}[1mCauses\u{1b}[0m");
        assert_eq!(paint("error", Paint::Red, false), "error");
    }

    #[test]
    fn width_counts_columns_not_bytes() {
        assert_eq!(pad("abc", 3), "abc");
        assert_eq!(pad("abcd", 3), "abcd");
        assert_eq!(pad("", 2), "  ");
        assert_eq!(width("122–131 ×6"), 10);
        assert_eq!(pad("×6", 4), "×6  ");
    }
}
