//! Where a WebSocket client's token travels. The ws probe puts it there; the proxy looks
//! for it there and strips it before going upstream.

/// Where a WebSocket client puts its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TokenIn {
    /// `Authorization: Bearer TOKEN`
    Header,
    /// `?access_token=TOKEN`
    Query,
    /// `Cookie: access_token=TOKEN`
    Cookie,
    /// `Sec-WebSocket-Protocol: bearer, TOKEN` (what browsers can do)
    Subprotocol,
}

impl TokenIn {
    /// Every place, in the order the proxy looks by default.
    pub const ALL: [TokenIn; 4] = [TokenIn::Header, TokenIn::Query, TokenIn::Cookie, TokenIn::Subprotocol];

    /// The name flags and aiwfe.yaml use, e.g. `cookie`.
    pub fn name(self) -> &'static str {
        match self {
            TokenIn::Header => "header",
            TokenIn::Query => "query",
            TokenIn::Cookie => "cookie",
            TokenIn::Subprotocol => "subprotocol",
        }
    }

    /// The place named `s` (`header`, `query`, `cookie`, `subprotocol`).
    pub fn parse(s: &str) -> Option<TokenIn> {
        TokenIn::ALL.into_iter().find(|t| t.name() == s.trim())
    }

    /// How reports name the place, e.g. "the Authorization header".
    pub fn describe(self) -> &'static str {
        match self {
            TokenIn::Header => "the Authorization header",
            TokenIn::Query => "the access_token query parameter",
            TokenIn::Cookie => "the access_token cookie",
            TokenIn::Subprotocol => "Sec-WebSocket-Protocol",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_the_flag_values() {
        use clap::ValueEnum;
        for t in TokenIn::ALL {
            assert_eq!(TokenIn::parse(t.name()), Some(t));
            assert_eq!(t.to_possible_value().map(|v| v.get_name().to_string()).as_deref(), Some(t.name()));
        }
        assert_eq!(TokenIn::parse("body"), None);
    }

    #[test]
    fn reports_name_each_place_as_the_client_sets_it() {
        let described: Vec<&str> = TokenIn::ALL.iter().map(|t| t.describe()).collect();
        assert_eq!(
            described,
            [
                "the Authorization header",
                "the access_token query parameter",
                "the access_token cookie",
                "Sec-WebSocket-Protocol"
            ]
        );
    }
}
