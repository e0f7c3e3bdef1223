//! The errors of `spark-api`: the API's own error answers, decoding failures that name the JSON
//! path, and everything `spark-http` reports.

use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;
use spark_model::{ApiErrorBody, ErrorCode};

use crate::env::RefreshSetting;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything a call through the client can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The HTTP stack failed: no connection, a timeout, a rate limit that outlasted the retries,
    /// a 401 that could not be refreshed away, a failed refresh.
    #[error(transparent)]
    Http(#[from] spark_http::Error),
    /// The API answered with an error status.
    #[error(transparent)]
    Api(#[from] Box<ApiError>),
    /// A successful answer's body was not the JSON expected.
    #[error("could not decode the answer ({status}) at `{path}`: {source}")]
    Decode {
        /// The answer's status.
        status: StatusCode,
        /// The JSON path that failed (`items[3].created`), `.` for the document itself.
        path: String,
        /// What serde reported.
        #[source]
        source: serde_json::Error,
    },
    /// No access token was found in the environment.
    #[error("no Webex access token: set {variables}")]
    MissingCredentials {
        /// The variables that were looked up.
        variables: &'static str,
    },
    /// The environment sets some of the refresh settings (refresh token, client id, client
    /// secret) but not all: refresh would be silently off, so nothing is configured.
    #[error(
        "incomplete refresh credentials in the environment: missing {}; set all three of the refresh token, client id and client secret, or none",
        join_settings(missing)
    )]
    IncompleteRefreshCredentials {
        /// The settings that are missing (or blank), each naming its variables.
        missing: Vec<RefreshSetting>,
    },
    /// Request parameters could not be encoded in a query string.
    #[error("could not encode the query parameters")]
    Query(#[source] serde_urlencoded::ser::Error),
    /// A next-page link pointed outside the API's origins; the stream stops without following it.
    #[error("the next-page link leads outside the API's origins: {url}")]
    ForeignNextLink {
        /// The link as the server gave it.
        url: String,
    },
    /// A file is larger than the API accepts; nothing was sent.
    #[error("the file is {size} bytes; the API accepts at most {limit} bytes per file")]
    FileTooLarge {
        /// The file's size.
        size: u64,
        /// The API's limit.
        limit: u64,
    },
    /// A download is larger than the limit set in its
    /// [`DownloadOptions::max_bytes`](crate::DownloadOptions::max_bytes) (default
    /// [`DEFAULT_DOWNLOAD_LIMIT`](crate::DEFAULT_DOWNLOAD_LIMIT)): announced so by its
    /// `Content-Length` (nothing was written), or found so while streaming (nothing past the
    /// limit was written). A download to a path leaves no file.
    #[error("the download exceeds the limit of {limit} bytes{}", announced_text(*.announced))]
    DownloadTooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// The size the answer announced, when it announced one over the limit.
        announced: Option<u64>,
    },
    /// The API could not scan a file for malware (428); download it with
    /// [`DownloadOptions::allow_unscannable`](crate::DownloadOptions::allow_unscannable) if you trust it.
    #[error(
        "the file could not be scanned for malware; it is withheld unless unscannable files are allowed"
    )]
    Unscannable {
        /// The tracking id of the answer.
        tracking_id: Option<String>,
    },
    /// Reading or writing a local file or stream failed.
    #[error("local I/O failed")]
    Io(#[from] std::io::Error),
    /// A value given to the client was not usable.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

/// An error answer of the Webex API.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status}: {}{}", self.message.as_deref().unwrap_or("(no message)"), tracking_suffix(self.tracking_id.as_deref()))]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The API's `message`.
    pub message: Option<String>,
    /// The `description` of each entry of the API's `errors`.
    pub descriptions: Vec<String>,
    /// The tracking id, from the body or else the `trackingid` header.
    pub tracking_id: Option<String>,
    /// The API's `errorCode`, when given.
    pub error_code: Option<ErrorCode>,
    /// The `Retry-After` the answer carried, if readable.
    pub retry_after: Option<Duration>,
    /// The raw body (at most 64 KiB of it).
    pub body: Bytes,
}

/// `the client id (..) and the client secret (..)`.
fn join_settings(settings: &[RefreshSetting]) -> String {
    let names: Vec<String> = settings.iter().map(ToString::to_string).collect();
    names.join(" and ")
}

fn announced_text(announced: Option<u64>) -> String {
    announced.map_or_else(String::new, |size| format!(" (announced: {size} bytes)"))
}

fn tracking_suffix(tracking_id: Option<&str>) -> String {
    tracking_id.map_or_else(String::new, |id| format!(" (tracking id {id})"))
}

impl ApiError {
    /// Builds the error from an answer with an error status, whatever its body type: the
    /// status, the `trackingid` and `Retry-After` headers, and at most the first 64 KiB of the
    /// body (a body that fails part way keeps what was read). For users of `spark-http` alone,
    /// or of a stack of their own, to get the errors the services give.
    ///
    /// It sets no timer of its own: a [`spark_http::ResponseBody`] ends a stalled read with its
    /// idle and body timeouts; for a body of another kind, bound the call with
    /// `tokio::time::timeout`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use spark_api::ApiError;
    ///
    /// let answer = http::Response::builder()
    ///     .status(404)
    ///     .header("trackingid", "ROUTER_1")
    ///     .body(http_body_util::Full::new(bytes::Bytes::from_static(
    ///         br#"{"message": "The requested resource could not be found."}"#,
    ///     )))
    ///     .unwrap();
    /// let error = ApiError::from_response(answer).await;
    /// assert_eq!(error.status, 404);
    /// assert_eq!(error.tracking_id.as_deref(), Some("ROUTER_1"));
    /// assert_eq!(error.message.as_deref(), Some("The requested resource could not be found."));
    /// # }
    /// ```
    pub async fn from_response<B>(response: http::Response<B>) -> Self
    where
        B: http_body::Body,
        B::Data: bytes::Buf,
    {
        let (parts, body) = response.into_parts();
        let tracking_id = spark_http::tracking_id(&parts.headers).map(str::to_owned);
        let retry_after =
            spark_http::retry::parse_retry_after(&parts.headers, std::time::SystemTime::now());
        let collected = spark_http::read_prefix(body, spark_http::ERROR_BODY_LIMIT).await;
        Self::from_answer(parts.status, tracking_id, retry_after, collected)
    }

    /// Builds the error from an answer's status, its `trackingid` header, `Retry-After` and body.
    /// The message is the Webex error body's `message`, or for an OAuth error answer (the token
    /// endpoint's `{"error", "error_description"}`) its code and description.
    pub fn from_answer(
        status: StatusCode,
        header_tracking_id: Option<String>,
        retry_after: Option<Duration>,
        body: Bytes,
    ) -> Self {
        let parsed: Option<ApiErrorBody> = serde_json::from_slice(&body).ok();
        let parsed = parsed.unwrap_or_default();
        Self {
            status,
            message: parsed.message.or_else(|| {
                serde_json::from_slice::<spark_model::TokenErrorAnswer>(&body)
                    .ok()
                    .map(|answer| answer.summary())
            }),
            descriptions: parsed
                .errors
                .into_iter()
                .filter_map(|detail| detail.description)
                .collect(),
            tracking_id: parsed.tracking_id.or(header_tracking_id),
            error_code: parsed.error_code,
            retry_after,
            body,
        }
    }
}

impl Error {
    /// The HTTP status behind the error, when there was an answer.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Http(http) => http.status(),
            Error::Decode { status, .. } => Some(*status),
            Error::Unscannable { .. } => Some(StatusCode::PRECONDITION_REQUIRED),
            _ => None,
        }
    }

    /// The Webex tracking id of the failed call, for support requests.
    pub fn tracking_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.tracking_id.as_deref(),
            Error::Http(http) => http.tracking_id(),
            Error::Unscannable { tracking_id } => tracking_id.as_deref(),
            _ => None,
        }
    }

    /// The wait the server asked for, on a rate-limit error.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(api) => api.retry_after,
            Error::Http(http) => http.retry_after(),
            _ => None,
        }
    }

    /// True for 404 Not Found.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// True when the server asked to slow down and retrying stopped.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::Http(http) if http.is_rate_limited())
    }

    /// The API error, when the API answered with an error status.
    pub fn as_api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}
