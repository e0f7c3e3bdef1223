//! Error answers in the Webex shape.
//!
//! Every failure becomes `{"message": "...", "errors": [{"description": "..."}],
//! "trackingId": "EMULATOR_<n>"}` with the same tracking id in the `trackingid` header (the
//! server adds the header to every answer). Route handlers return [`Failure`] and never build
//! error bodies themselves.

use http::StatusCode;
use spark_model::{ApiErrorBody, ApiErrorDetail};

/// A failed call: the status and the human text of the error answer.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub(crate) status: StatusCode,
    pub(crate) message: String,
    /// Extra headers of the answer (`Retry-After`, `Allow`).
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Failure {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            headers: Vec::new(),
        }
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

    /// The JSON body of the answer, with this tracking id.
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
