//! `Sec-WebSocket-Extensions` through the proxy. The relay follows frames but never
//! inflates or deflates a message, so it can pass `permessage-deflate` (RFC 7692) through
//! untouched: the client's offers go upstream as they are, the upstream's choice comes back
//! as it is, and the relay only has to allow RSV1 on the first frame of a data message.
//! Other extensions would change framing the relay does not know, so they are not offered.

/// The one extension passed through.
pub const PERMESSAGE_DEFLATE: &str = "permessage-deflate";

/// Splits a `Sec-WebSocket-Extensions` value into its extensions (name and parameters, as
/// written), at commas outside quoted strings.
pub fn split(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(value[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(value[start..].trim());
    out.retain(|e| !e.is_empty());
    out
}

/// An extension's name: what comes before its first `;`.
pub fn name(extension: &str) -> &str {
    extension.split(';').next().unwrap_or_default().trim()
}

/// The client's offers the proxy can pass through, unchanged, from all of its
/// `Sec-WebSocket-Extensions` header values; `None` when there is none.
pub fn offer<'a>(values: impl IntoIterator<Item = &'a [u8]>) -> Option<String> {
    let offers: Vec<&str> = values
        .into_iter()
        .filter_map(|v| std::str::from_utf8(v).ok())
        .flat_map(split)
        .filter(|e| name(e).eq_ignore_ascii_case(PERMESSAGE_DEFLATE))
        .collect();
    (!offers.is_empty()).then(|| offers.join(", "))
}

/// Checks the upstream's answer against what was offered: `Ok(true)` when it chose
/// `permessage-deflate`, `Ok(false)` when it chose nothing, and an error for anything that
/// was not offered (another extension, deflate twice, or deflate that no one asked for).
pub fn accepted(answer: Option<&[u8]>, offered: bool) -> Result<bool, String> {
    let Some(answer) = answer else { return Ok(false) };
    let text = std::str::from_utf8(answer).map_err(|_| "the upstream's Sec-WebSocket-Extensions is not text".to_string())?;
    let chosen = split(text);
    match chosen.as_slice() {
        [] => Ok(false),
        [one] if offered && name(one).eq_ignore_ascii_case(PERMESSAGE_DEFLATE) => Ok(true),
        _ => Err(format!("the upstream chose an extension the client did not offer: `{text}`")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn offers_pass_unchanged_and_only_deflate_is_offered() {
        // What Python `websockets` and browsers send.
        let py = b"permessage-deflate; server_max_window_bits=12; client_max_window_bits=12";
        assert_eq!(offer([&py[..]]).unwrap(), String::from_utf8(py.to_vec()).unwrap());
        let chrome = b"permessage-deflate; client_max_window_bits";
        let two = [&b"x-webkit-deflate-frame"[..], &chrome[..]];
        assert_eq!(offer(two).unwrap(), "permessage-deflate; client_max_window_bits");
        let quoted = br#"permessage-deflate; x="a,b", permessage-deflate"#;
        assert_eq!(
            split(std::str::from_utf8(quoted).unwrap()),
            [r#"permessage-deflate; x="a,b""#, "permessage-deflate"]
        );
        assert_eq!(offer([&quoted[..]]).unwrap(), r#"permessage-deflate; x="a,b", permessage-deflate"#);
        assert_eq!(offer([&b"x-custom; a=1"[..]]), None);
        assert_eq!(offer([&b" , "[..]]), None);
        assert_eq!(offer([]), None);
    }

    #[test]
    fn the_upstream_may_choose_only_what_was_offered() {
        assert_eq!(accepted(None, true), Ok(false));
        assert_eq!(accepted(Some(b""), false), Ok(false));
        assert_eq!(accepted(Some(b"permessage-deflate; server_no_context_takeover"), true), Ok(true));
        assert_eq!(accepted(Some(b"Permessage-Deflate"), true), Ok(true));
        assert!(accepted(Some(b"permessage-deflate"), false).is_err(), "not offered");
        assert!(accepted(Some(b"x-custom"), true).is_err());
        assert!(accepted(Some(b"permessage-deflate, permessage-deflate"), true).is_err());
    }
}
