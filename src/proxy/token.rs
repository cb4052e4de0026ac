//! Where a client's token is (header, query, cookie, subprotocol) and how the request
//! looks once the token is taken out, so the upstream never sees it. Pure functions.

use crate::ws_token::TokenIn;
use hyper::http::HeaderMap;

/// The query parameter and cookie name that carry a token.
pub const TOKEN_NAME: &str = "access_token";
/// The subprotocol that announces a token as the next protocol entry.
pub const BEARER_PROTOCOL: &str = "bearer";

/// Finds the token in the first place of `order` that has one.
pub fn find(headers: &HeaderMap, query: Option<&str>, order: &[TokenIn]) -> Option<(String, TokenIn)> {
    order.iter().find_map(|at| {
        let t = match at {
            TokenIn::Header => headers.get_all("authorization").iter().find_map(|v| {
                let v = v.to_str().ok()?;
                let (scheme, rest) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim().to_string())
            }),
            TokenIn::Query => query.and_then(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == TOKEN_NAME)
                    .map(|(_, v)| v.into_owned())
            }),
            TokenIn::Cookie => headers.get_all("cookie").iter().find_map(|v| {
                v.to_str()
                    .ok()?
                    .split(';')
                    .filter_map(|p| p.trim().split_once('='))
                    .find(|(k, _)| *k == TOKEN_NAME)
                    .map(|(_, v)| v.to_string())
            }),
            TokenIn::Subprotocol => {
                let offered = protocols(headers);
                let i = offered.iter().position(|p| p.eq_ignore_ascii_case(BEARER_PROTOCOL))?;
                offered.get(i + 1).cloned()
            }
        };
        t.filter(|t| !t.is_empty()).map(|t| (t, *at))
    })
}

/// The subprotocols offered in `Sec-WebSocket-Protocol`, in order.
pub fn protocols(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all("sec-websocket-protocol")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The offered subprotocols without `bearer` and the token after it.
pub fn protocols_without_token(headers: &HeaderMap) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip_next = false;
    for p in protocols(headers) {
        if skip_next {
            skip_next = false;
        } else if p.eq_ignore_ascii_case(BEARER_PROTOCOL) {
            skip_next = true;
        } else {
            out.push(p);
        }
    }
    out
}

/// The query string without `access_token`, other parameters kept byte for byte.
pub fn strip_query(query: &str) -> Option<String> {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let k = p.split('=').next().unwrap_or_default();
            !p.is_empty()
                && url::form_urlencoded::parse(k.as_bytes())
                    .next()
                    .map(|(k, _)| k.into_owned())
                    .unwrap_or_default()
                    != TOKEN_NAME
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join("&"))
}

/// The `Cookie` header without `access_token`.
pub fn strip_cookie(cookie: &str) -> Option<String> {
    let kept: Vec<&str> = cookie
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty() && p.split('=').next() != Some(TOKEN_NAME))
        .collect();
    (!kept.is_empty()).then(|| kept.join("; "))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use hyper::http::HeaderValue;

    const ALL: [TokenIn; 4] = [TokenIn::Header, TokenIn::Query, TokenIn::Cookie, TokenIn::Subprotocol];

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn finds_the_token_in_each_place() {
        let h = headers(&[("authorization", "Bearer h.h.h")]);
        assert_eq!(find(&h, None, &ALL), Some(("h.h.h".into(), TokenIn::Header)));
        let h = headers(&[("authorization", "Basic dXNlcjpwdw==")]);
        assert_eq!(find(&h, None, &ALL), None);
        assert_eq!(
            find(&HeaderMap::new(), Some("room=1&access_token=q.q.q"), &ALL),
            Some(("q.q.q".into(), TokenIn::Query))
        );
        let h = headers(&[("cookie", "theme=dark; access_token=c.c.c; x=1")]);
        assert_eq!(find(&h, None, &ALL), Some(("c.c.c".into(), TokenIn::Cookie)));
        let h = headers(&[("sec-websocket-protocol", "chat, bearer, s.s.s")]);
        assert_eq!(find(&h, None, &ALL), Some(("s.s.s".into(), TokenIn::Subprotocol)));
        assert_eq!(protocols_without_token(&h), vec!["chat".to_string()]);
    }

    #[test]
    fn order_decides_and_unlisted_places_are_ignored() {
        let h = headers(&[("authorization", "Bearer h.h.h"), ("cookie", "access_token=c.c.c")]);
        assert_eq!(
            find(&h, None, &[TokenIn::Cookie, TokenIn::Header]),
            Some(("c.c.c".into(), TokenIn::Cookie))
        );
        assert_eq!(find(&h, Some("access_token=q"), &[TokenIn::Subprotocol]), None);
        assert_eq!(find(&HeaderMap::new(), Some("access_token="), &ALL), None);
    }

    #[test]
    fn stripping_removes_only_the_token() {
        assert_eq!(strip_query("a=1&access_token=x.y.z&b=%20"), Some("a=1&b=%20".into()));
        assert_eq!(strip_query("access_token=x"), None);
        assert_eq!(strip_query("access%5Ftoken=x&c"), Some("c".into()));
        assert_eq!(strip_cookie("a=1; access_token=t; b=2"), Some("a=1; b=2".into()));
        assert_eq!(strip_cookie("access_token=t"), None);
    }
}
