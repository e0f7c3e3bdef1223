//! Error answers in the Webex shape, and in the OAuth shape for the token endpoint.
//!
//! Every failure becomes `{"message": "...", "errors": [{"description": "..."}],
//! "trackingId": "EMULATOR_<n>"}` with the same tracking id in the `trackingid` header (the
//! server adds the header to every answer). A failure of `/v1/access_token` carries an OAuth
//! error code and becomes `{"error": "<code>", "error_description": "...", "trackingId": ...}`
//! instead (RFC 6749 §5.2), as Webex answers there. Route handlers return [`Failure`] and never
//! build error bodies themselves.

use http::StatusCode;
use spark_model::{ApiErrorBody, ApiErrorDetail, TokenErrorAnswer};

/// A failed call: the status and the human text of the error answer.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    /// Extra headers of the answer (`Retry-After`, `Allow`).
    pub(crate) headers: Vec<(&'static str, String)>,
    /// The OAuth error code of a token endpoint failure: the answer then has the OAuth shape.
    pub(crate) oauth_code: Option<&'static str>,
}

impl Failure {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            headers: Vec::new(),
            oauth_code: None,
        }
    }

    /// A token endpoint failure with an OAuth error code.
    fn oauth(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        Self {
            oauth_code: Some(code),
            ..Self::new(status, description)
        }
    }

    /// 400 `invalid_request`: a parameter of the grant is missing.
    pub(crate) fn invalid_request(description: impl Into<String>) -> Self {
        Self::oauth(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// 401 `invalid_client`: the client id or secret is missing or wrong.
    pub(crate) fn invalid_client(description: impl Into<String>) -> Self {
        Self::oauth(StatusCode::UNAUTHORIZED, "invalid_client", description)
    }

    /// 400 `invalid_grant`: the refresh token or code is unknown, expired or revoked.
    pub(crate) fn invalid_grant(description: impl Into<String>) -> Self {
        Self::oauth(StatusCode::BAD_REQUEST, "invalid_grant", description)
    }

    /// 400 `unsupported_grant_type`: a grant the token endpoint does not issue.
    pub(crate) fn unsupported_grant_type(description: impl Into<String>) -> Self {
        Self::oauth(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            description,
        )
    }

    /// 400: the request is malformed or breaks a limit.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: no token, an unknown one or an expired one.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 403: the caller may not do this (not a member, not the author, ...).
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 404: no such resource or path.
    pub(crate) fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "The requested resource could not be found.",
        )
    }

    /// 405: the path exists but not with this method.
    pub(crate) fn method_not_allowed(allowed: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "The request method is not supported for the requested resource.",
        )
        .header("allow", allowed.to_owned())
    }

    /// 408: the request body did not arrive in time.
    pub(crate) fn request_timeout(message: impl Into<String>) -> Self {
        Self::new(StatusCode::REQUEST_TIMEOUT, message)
    }

    /// 413: the request body is over its limit.
    pub(crate) fn payload_too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    /// 409: the resource already exists (a second membership of the same person).
    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }

    /// Adds a header to the answer.
    pub(crate) fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The OAuth body of a token endpoint failure, with this tracking id; `None` for any other.
    pub(crate) fn oauth_body(&self, tracking_id: &str) -> Option<TokenErrorAnswer> {
        Some(TokenErrorAnswer {
            error: self.oauth_code?.to_owned(),
            error_description: Some(self.message.clone()),
            tracking_id: Some(tracking_id.to_owned()),
        })
    }

    /// The JSON body of the answer in the Webex shape, with this tracking id.
    pub(crate) fn body(&self, tracking_id: &str) -> ApiErrorBody {
        ApiErrorBody {
            message: Some(self.message.clone()),
            errors: vec![ApiErrorDetail {
                description: Some(self.message.clone()),
                error_code: None,
            }],
            tracking_id: Some(tracking_id.to_owned()),
            error_code: None,
        }
    }
}

/// A `Result` whose error is a [`Failure`].
pub(crate) type Outcome<T> = Result<T, Failure>;

/// Turns a JSON decoding error into a 400 that names what was wrong.
pub(crate) fn bad_json(error: &serde_json::Error) -> Failure {
    Failure::bad_request(format!("The request body is not valid: {error}"))
}
