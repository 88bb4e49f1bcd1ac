//! The Bearer token every request must carry. AI Hub sends `Authorization: Bearer
//! <api key>` on every call, so scripts already do; the server checks it in constant
//! time and never writes it to a log (its Debug form is redacted).

use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::fmt;
use std::sync::Arc;
use subtle::ConstantTimeEq;

/// A secret shared with the scripts allowed to use this server.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Arc<str>);

impl Token {
    /// 32 random bytes from the OS, as 64 hex characters (safe in a header, a shell
    /// variable and a URL). Fails only if the OS has no randomness to give.
    pub fn generate() -> Result<Token, crate::ServerError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| crate::ServerError::NoRandomness(e.to_string()))?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Token(hex.into()))
    }

    /// A token the person chose. Too short a token is guessable; characters outside
    /// visible ASCII cannot travel in an HTTP header.
    pub fn parse(text: &str) -> Result<Token, crate::ServerError> {
        let ok = (16..=512).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(Token(text.into()))
        } else {
            Err(crate::ServerError::BadToken)
        }
    }

    /// The token itself, to show the person once (never to log).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Constant-time comparison, so response timing does not reveal how much of a
    /// guess was right. (The length can leak; a generated token's length is public.)
    pub fn matches(&self, candidate: &[u8]) -> bool {
        self.0.as_bytes().ct_eq(candidate).into()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The credential part of an `Authorization` header, if it is a Bearer one. The
/// scheme is case-insensitive (RFC 9110); extra spaces are tolerated.
fn bearer(value: &[u8]) -> Option<&[u8]> {
    let text = std::str::from_utf8(value).ok()?.trim();
    let (scheme, rest) = text.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim().as_bytes())
}

/// Middleware: refuses every request without the right token with 401 and a JSON
/// message, before any handler (or body) is touched.
pub async fn require_token(State(token): State<Token>, request: Request, next: Next) -> Response {
    let given = request.headers().get(header::AUTHORIZATION).and_then(|v| bearer(v.as_bytes()));
    match given {
        Some(candidate) if token.matches(candidate) => next.run(request).await,
        Some(_) => {
            ApiError::new(StatusCode::UNAUTHORIZED, "The API token is not valid for this Folio server").into_response()
        }
        None => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Missing API token: send the header `Authorization: Bearer <token>` with the token `folio serve` printed",
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_long_random_and_distinct() {
        let (a, b) = (Token::generate().unwrap(), Token::generate().unwrap());
        assert_eq!(a.expose().len(), 64);
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), "Token(***)");
    }

    #[test]
    fn bearer_values_are_parsed_leniently_and_compared_exactly() {
        let t = Token::parse("0123456789abcdef").unwrap();
        assert!(t.matches(bearer(b"Bearer 0123456789abcdef").unwrap()));
        assert!(t.matches(bearer(b"bearer   0123456789abcdef ").unwrap()));
        assert!(!t.matches(bearer(b"Bearer 0123456789abcdeF").unwrap()));
        assert!(!t.matches(bearer(b"Bearer 0123456789abcde").unwrap()));
        assert!(bearer(b"Basic 0123456789abcdef").is_none());
        assert!(bearer(b"0123456789abcdef").is_none());
        assert!(Token::parse("short").is_err());
        assert!(Token::parse("has a space in it ok").is_err());
    }
}
