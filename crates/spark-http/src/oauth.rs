//! The OAuth refresh grant: the form-encoded request to `{base}/access_token` and its answer.

use std::time::Duration;

use http::header::{ACCEPT, CONTENT_TYPE};
use http::{Method, Request, Response, Uri};
use serde::Deserialize;

use crate::credentials::TokenPair;
use crate::error::{RefreshError, Result};
use crate::response::ResponseBody;
use crate::secret::SecretString;
use bytes::Bytes;

/// The most of a token endpoint answer that is read.
const ANSWER_LIMIT: usize = 64 * 1024;

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

/// Reads the token endpoint's answer into a pair; a missing refresh token keeps the one sent.
pub(crate) async fn read_answer(
    response: Response<ResponseBody>,
    refresh_token_sent: &SecretString,
) -> Result<TokenPair, RefreshError> {
    let status = response.status();
    let body = response.into_body();
    if !status.is_success() {
        return Err(RefreshError::Rejected {
            status,
            body: body.collect_prefix(ANSWER_LIMIT).await,
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
}
