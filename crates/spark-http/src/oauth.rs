//! The OAuth refresh grant: the form-encoded request to `{base}/access_token` and its answer,
//! with the error answers that refuse the grant for good told apart from the others.

use std::time::Duration;

use http::header::{ACCEPT, CONTENT_TYPE};
use http::{Method, Request, Response, StatusCode, Uri};
use serde::Deserialize;

use crate::credentials::TokenPair;
use crate::error::{RefreshError, Result};
use crate::response::ResponseBody;
use crate::secret::SecretString;
use bytes::Bytes;

/// The most of a token endpoint answer that is read.
const ANSWER_LIMIT: usize = 64 * 1024;

/// The OAuth error codes (RFC 6749 §5.2) that refuse the grant itself: sending the same
/// credentials again cannot succeed. `invalid_request` and `invalid_scope` are left out: a
/// server may use them for a request it could not read this time.
const PERMANENT_ERROR_CODES: [&str; 4] = [
    "invalid_grant",
    "invalid_client",
    "unauthorized_client",
    "unsupported_grant_type",
];

/// The content type of OAuth token requests (`application/x-www-form-urlencoded`).
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Builds `POST {base}/access_token` with the refresh grant's four fields.
pub(crate) fn refresh_request(
    token_url: &Uri,
    client_id: &str,
    client_secret: &SecretString,
    refresh_token: &SecretString,
) -> Request<Bytes> {
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "refresh_token")
        .append_pair("client_id", client_id)
        .append_pair("client_secret", client_secret.expose_secret())
        .append_pair("refresh_token", refresh_token.expose_secret())
        .finish();
    let mut request = Request::new(Bytes::from(form));
    *request.method_mut() = Method::POST;
    *request.uri_mut() = token_url.clone();
    let headers = request.headers_mut();
    headers.insert(CONTENT_TYPE, FORM_CONTENT_TYPE.parse().expect("static"));
    headers.insert(ACCEPT, "application/json".parse().expect("static"));
    request
}

/// The token endpoint's answer, as sent.
#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    refresh_token_expires_in: Option<u64>,
}

/// An OAuth error answer (RFC 6749 §5.2): only its code is read.
#[derive(Deserialize)]
struct ErrorAnswer {
    error: String,
}

/// Reads the token endpoint's answer into a pair; a missing refresh token keeps the one sent.
/// An error answer is [`RefreshError::Permanent`] when it refuses the grant itself, else
/// [`RefreshError::Rejected`].
pub(crate) async fn read_answer(
    response: Response<ResponseBody>,
    refresh_token_sent: &SecretString,
) -> Result<TokenPair, RefreshError> {
    let status = response.status();
    let body = response.into_body();
    if !status.is_success() {
        let body = body.collect_prefix(ANSWER_LIMIT).await;
        return Err(match permanent_error_code(status, &body) {
            Some(code) => RefreshError::Permanent { status, code, body },
            None => RefreshError::Rejected { status, body },
        });
    }
    let bytes = body
        .collect_limited(ANSWER_LIMIT)
        .await
        .map_err(|err| RefreshError::Transport(Box::new(err)))?;
    let answer: TokenAnswer = serde_json::from_slice(&bytes).map_err(RefreshError::Decode)?;
    Ok(TokenPair {
        access_token: SecretString::new(answer.access_token),
        expires_in: answer.expires_in.map(Duration::from_secs),
        refresh_token: answer
            .refresh_token
            .map_or_else(|| refresh_token_sent.clone(), SecretString::new),
        refresh_token_expires_in: answer.refresh_token_expires_in.map(Duration::from_secs),
    })
}

/// The OAuth error code of an answer that refuses the grant for good: a 400 or 401 (the
/// statuses §5.2 gives error answers) whose JSON `error` is one of [`PERMANENT_ERROR_CODES`].
fn permanent_error_code(status: StatusCode, body: &[u8]) -> Option<&'static str> {
    if !matches!(status, StatusCode::BAD_REQUEST | StatusCode::UNAUTHORIZED) {
        return None;
    }
    let answer: ErrorAnswer = serde_json::from_slice(body).ok()?;
    PERMANENT_ERROR_CODES
        .into_iter()
        .find(|code| *code == answer.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refresh_request_is_a_form_with_the_four_fields() {
        let url: Uri = "https://webexapis.com/v1/access_token".parse().unwrap();
        let request = refresh_request(
            &url,
            "C1d",
            &SecretString::new("s&cret"),
            &SecretString::new("R=1"),
        );
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.uri(), &url);
        assert_eq!(request.headers()[CONTENT_TYPE], FORM_CONTENT_TYPE);
        let body = std::str::from_utf8(request.body()).unwrap();
        assert_eq!(
            body,
            "grant_type=refresh_token&client_id=C1d&client_secret=s%26cret&refresh_token=R%3D1"
        );
    }

    #[tokio::test]
    async fn an_answer_without_refresh_token_keeps_the_one_sent() {
        let response = Response::new(ResponseBody::from_bytes(
            r#"{"access_token":"A2","expires_in":1209599}"#,
        ));
        let pair = read_answer(response, &SecretString::new("R1"))
            .await
            .unwrap();
        assert_eq!(pair.access_token.expose_secret(), "A2");
        assert_eq!(pair.refresh_token.expose_secret(), "R1");
        assert_eq!(pair.expires_in, Some(Duration::from_secs(1209599)));
    }

    #[tokio::test]
    async fn a_rejected_refresh_keeps_status_and_body() {
        let mut response = Response::new(ResponseBody::from_bytes(r#"{"message":"bad"}"#));
        *response.status_mut() = http::StatusCode::BAD_REQUEST;
        let err = read_answer(response, &SecretString::new("R1"))
            .await
            .unwrap_err();
        assert!(matches!(err, RefreshError::Rejected { status, .. } if status == 400));
    }

    #[tokio::test]
    async fn only_a_400_or_401_refusing_the_grant_is_permanent() {
        let answer = |status: u16, body: &'static str| {
            let mut response = Response::new(ResponseBody::from_bytes(body));
            *response.status_mut() = StatusCode::from_u16(status).unwrap();
            async move { read_answer(response, &SecretString::new("R1")).await }
        };
        for (status, code) in [
            (400, "invalid_grant"),
            (400, "invalid_client"),
            (401, "invalid_client"),
            (400, "unauthorized_client"),
            (400, "unsupported_grant_type"),
        ] {
            let body = format!(r#"{{"error":"{code}","error_description":"no"}}"#).leak();
            match answer(status, body).await.unwrap_err() {
                RefreshError::Permanent {
                    status: seen,
                    code: seen_code,
                    body: kept,
                } => {
                    assert_eq!(seen, status);
                    assert_eq!(seen_code, code);
                    assert_eq!(kept, body.as_bytes());
                }
                other => panic!("{status} {code}: {other:?}"),
            }
        }
        for (status, body) in [
            (400, r#"{"error":"invalid_request"}"#),
            (400, r#"{"error":"invalid_scope"}"#),
            (400, r#"{"message":"invalid refresh token"}"#),
            (400, r#"{"error":"INVALID_GRANT"}"#),
            (400, r#"{"error":42}"#),
            (400, "invalid_grant"),
            (403, r#"{"error":"invalid_grant"}"#),
            (429, r#"{"error":"invalid_grant"}"#),
            (500, r#"{"error":"invalid_grant"}"#),
            (503, ""),
        ] {
            let error = answer(status, body).await.unwrap_err();
            assert!(
                matches!(error, RefreshError::Rejected { .. }),
                "{status} {body}: {error:?}"
            );
            assert!(!error.is_permanent());
        }
    }
}
