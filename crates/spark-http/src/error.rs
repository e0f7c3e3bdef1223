//! The one error type of `spark-http`, and the questions callers ask of it.

use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;

use crate::proxy::ProxyFailure;

/// A boxed error from a lower layer (hyper, a user service, a body stream).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong between building a request and reading its response.
///
/// No variant ever holds a token, a refresh token or a client secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The base URL could not be used.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A request URI or path could not be parsed.
    #[error("invalid request URI `{uri}`")]
    InvalidUri {
        /// The URI or path as given.
        uri: String,
    },
    /// A request could not be built (a header or method was invalid).
    #[error("invalid request: {0}")]
    InvalidRequest(#[source] http::Error),
    /// The access token holds characters an HTTP header cannot carry (a line break inside it,
    /// say), and there is no refresh to replace it.
    #[error("the access token holds characters that cannot be sent in an HTTP header")]
    InvalidToken,
    /// A request body could not be serialized to JSON.
    #[error("could not serialize the request body as JSON")]
    Serialize(#[source] serde_json::Error),
    /// The TLS configuration could not be built.
    #[error("could not set up TLS")]
    Tls(#[source] BoxError),
    /// No connection could be made: nothing was sent, so any request may be retried.
    #[error("could not connect to {origin}")]
    Connect {
        /// The origin (`scheme://host:port`) that could not be reached.
        origin: String,
        /// The underlying cause.
        #[source]
        source: BoxError,
    },
    /// A proxy setting could not be used (set with
    /// [`HttpClientBuilder::proxy`](crate::HttpClientBuilder::proxy) or read from the environment).
    #[error("invalid proxy `{proxy}`: {reason}")]
    InvalidProxy {
        /// The proxy URL with anything before its `@` masked; for a variable, `NAME=url`.
        proxy: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The proxy stood between the client and the origin: it could not be reached, refused the
    /// tunnel, or asked for credentials (407). Nothing reached the origin, so a retry is safe;
    /// it is made unless the proxy asked for credentials ([`ProxyFailure::AuthenticationRequired`]:
    /// a configuration error).
    #[error("proxy {proxy} {failure}")]
    Proxy {
        /// The proxy, `http://host:port` or `http://user:***@host:port`: never its password.
        proxy: String,
        /// What went wrong.
        failure: ProxyFailure,
        /// The underlying cause, when there is one.
        #[source]
        source: Option<BoxError>,
    },
    /// A timeout ran out: `kind` says which one (the wait for the response head, a request or
    /// response body that stopped moving, a body that took too long to read in full).
    #[error("{}", timeout_text(*kind, *limit))]
    Timeout {
        /// Which timeout ran out.
        kind: TimeoutKind,
        /// Its limit.
        limit: Duration,
    },
    /// The connection failed after the request may have been sent.
    #[error("the connection failed while the request was in flight")]
    Transport(#[source] BoxError),
    /// Reading the response body failed.
    #[error("reading the response body failed")]
    Body(#[source] BoxError),
    /// A response body was larger than the caller's limit.
    #[error("the response body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The server kept answering 429 (rate limited) or 423 (locked) until retrying had to stop:
    /// the attempts were used up, or it asked for a wait longer than the configured cap.
    #[error("{status}: the server asked to retry later{}", retry_after_text(*.retry_after))]
    RateLimited {
        /// 429 or 423.
        status: StatusCode,
        /// How long the server asked to wait, when it said so in a readable `Retry-After`.
        retry_after: Option<Duration>,
        /// How many attempts were made.
        attempts: u32,
        /// The `trackingid` response header, for Webex support.
        tracking_id: Option<String>,
        /// The start of the response body (at most 64 KiB).
        body: Bytes,
    },
    /// The server answered 401 and the stack could not recover.
    #[error("401 Unauthorized: {reason}")]
    Unauthorized {
        /// Why the stack could not recover.
        reason: UnauthorizedReason,
        /// The `trackingid` response header, for Webex support.
        tracking_id: Option<String>,
        /// The start of the response body (at most 64 KiB).
        body: Bytes,
    },
    /// Refreshing the access token failed; the previous token is kept.
    #[error("refreshing the access token failed: {0}")]
    Refresh(#[from] RefreshError),
    /// A service supplied by the application failed.
    #[error("the underlying service failed")]
    Service(#[source] BoxError),
}

fn timeout_text(kind: TimeoutKind, limit: Duration) -> String {
    match kind {
        TimeoutKind::RequestIdle => {
            format!(
                "the request body made no progress for {limit:?}: the server stopped reading it"
            )
        }
        TimeoutKind::Head => format!("no response head within {limit:?} of the request"),
        TimeoutKind::ResponseIdle => {
            format!("the response body stalled: no data for {limit:?}")
        }
        TimeoutKind::Body => format!("the response body was not read in full within {limit:?}"),
    }
}

/// Which timeout ran out, in [`Error::Timeout`].
///
/// | kind | what ran out | set with |
/// | --- | --- | --- |
/// | `RequestIdle` | the request body was not read by the connection for the idle timeout (the server stopped reading an upload) | [`HttpClientBuilder::idle_timeout`](crate::HttpClientBuilder::idle_timeout) |
/// | `Head` | no response head arrived within the timeout after the request was sent | [`HttpClientBuilder::timeout`](crate::HttpClientBuilder::timeout) |
/// | `ResponseIdle` | the response body brought no data for the idle timeout (a stalled download) | [`HttpClientBuilder::idle_timeout`](crate::HttpClientBuilder::idle_timeout) |
/// | `Body` | a body read whole ([`ResponseBody::collect_limited`](crate::ResponseBody::collect_limited)) was not read in full in time | [`HttpClientBuilder::body_timeout`](crate::HttpClientBuilder::body_timeout) |
///
/// Only `RequestIdle` and `Head` happen inside an attempt, where the retry policy sees them (and
/// retries an idempotent request); the other two happen while the caller reads the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The request body made no progress for the idle timeout.
    RequestIdle,
    /// No response head arrived in time after the request was sent.
    Head,
    /// The response body brought no data for the idle timeout.
    ResponseIdle,
    /// A body read whole was not read in full within the body timeout.
    Body,
}

fn retry_after_text(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(" in {} s", wait.as_secs()),
        None => String::new(),
    }
}

/// Why a 401 answer could not be recovered from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnauthorizedReason {
    /// No refresh token, client id and client secret were configured.
    #[error("the token was rejected and no refresh credentials are configured")]
    NoRefreshCredentials,
    /// The token was refreshed, but the request body could not be sent again.
    #[error("the token was refreshed, but the request body was a stream that cannot be replayed")]
    NotReplayable,
    /// The token was refreshed and the request replayed, and the server still answered 401.
    #[error("the server rejected the freshly refreshed token too")]
    RejectedAfterRefresh,
    /// The request went to an origin the token is not sent to, and that origin answered 401.
    #[error("the request went to an origin the token is not sent to")]
    UntrustedOrigin,
}

/// Why a token refresh failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RefreshError {
    /// There is no refresh token (or no client id and secret) to refresh with.
    #[error("no refresh credentials are configured")]
    NoCredentials,
    /// The token endpoint answered with an error status that is not a permanent refusal (see
    /// [`RefreshError::Permanent`]): a 5xx, a 429 its retries did not outlast, or a 4xx without
    /// one of the OAuth error codes that say the grant itself is refused. The next refresh waits
    /// for a back-off (see [`RefreshError::BackingOff`]).
    #[error("the token endpoint answered {status}")]
    Rejected {
        /// The status the token endpoint answered with.
        status: StatusCode,
        /// The start of the response body (at most 64 KiB).
        body: Bytes,
    },
    /// The token endpoint refused the grant itself: a 400 or 401 whose OAuth `error` code (RFC
    /// 6749 §5.2) is `invalid_grant` (the refresh token expired, was revoked or was already
    /// replaced), `invalid_client` (a wrong client id or secret), `unauthorized_client` or
    /// `unsupported_grant_type`. Sending the same credentials again cannot succeed, so the
    /// [`TokenCache`](crate::TokenCache) remembers this failure and reports it to every later
    /// refresh at once, without calling the endpoint, until new credentials are given with
    /// [`TokenCache::set_credentials`](crate::TokenCache::set_credentials).
    #[error(
        "the token endpoint refused the refresh grant ({status}, `{code}`): new credentials are needed"
    )]
    Permanent {
        /// The status the token endpoint answered with (400 or 401).
        status: StatusCode,
        /// The OAuth error code: `invalid_grant`, `invalid_client`, `unauthorized_client` or
        /// `unsupported_grant_type`.
        code: &'static str,
        /// The start of the response body (at most 64 KiB).
        body: Bytes,
    },
    /// A refresh failed a moment ago for a reason that may pass (the endpoint could not be
    /// reached, answered 5xx, ...), and the next one waits for a back-off: no call was made. The
    /// back-off starts at 1 s after the first failure and doubles with each failure in a row up
    /// to 60 s, each wait drawn between half its value and its value (jitter); a successful
    /// refresh, or new credentials, start it again from 1 s.
    #[error("the last token refresh failed ({reason}); the next is tried in {retry_in:?}")]
    BackingOff {
        /// The status the token endpoint answered with, when it answered.
        status: Option<StatusCode>,
        /// What the failed refresh reported.
        reason: String,
        /// How long until a refresh is tried again.
        retry_in: Duration,
    },
    /// The token endpoint's answer was not the expected JSON.
    #[error("the token endpoint's answer could not be decoded")]
    Decode(#[source] serde_json::Error),
    /// The token endpoint could not be reached or its answer not read.
    #[error("the token endpoint could not be reached")]
    Transport(#[source] Box<Error>),
    /// The refresh this call was waiting for (started by another call) failed for a reason that
    /// may pass (a permanent refusal is [`RefreshError::Permanent`] for the waiting calls too).
    #[error("the token refresh this call waited for failed: {reason}")]
    ConcurrentFailure {
        /// The status the token endpoint answered with, when it answered.
        status: Option<StatusCode>,
        /// What the failed refresh reported.
        reason: String,
    },
}

impl RefreshError {
    /// True when the token endpoint refused the grant itself ([`RefreshError::Permanent`]):
    /// only new credentials can help.
    pub fn is_permanent(&self) -> bool {
        matches!(self, RefreshError::Permanent { .. })
    }
}

impl Error {
    /// True when a timeout ran out: any [`Error::Timeout`] (see [`Error::timeout_kind`] for
    /// which), and a connect timeout (direct or through a proxy).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout { .. } => true,
            Error::Connect { source, .. }
            | Error::Proxy {
                source: Some(source),
                ..
            } => source_chain_has_timeout(source.as_ref()),
            Error::Refresh(RefreshError::Transport(inner)) => inner.is_timeout(),
            _ => false,
        }
    }

    /// Which timeout ran out, for an [`Error::Timeout`] (a connect timeout is an
    /// [`Error::Connect`], and has none).
    pub fn timeout_kind(&self) -> Option<TimeoutKind> {
        match self {
            Error::Timeout { kind, .. } => Some(*kind),
            Error::Refresh(RefreshError::Transport(inner)) => inner.timeout_kind(),
            _ => None,
        }
    }

    /// True when no connection could be made (nothing was sent), directly or through a proxy.
    ///
    /// A proxy asking for credentials (407) is not counted: retrying cannot help.
    pub fn is_connect(&self) -> bool {
        match self {
            Error::Connect { .. } => true,
            Error::Proxy { failure, .. } => failure.is_retryable(),
            Error::Refresh(RefreshError::Transport(inner)) => inner.is_connect(),
            _ => false,
        }
    }

    /// True when the server asked to slow down (429) or to come back later (423).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited { .. })
    }

    /// True for a 401 that could not be recovered from, or a failed token refresh.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Unauthorized { .. } | Error::Refresh(_))
    }

    /// How long the server asked to wait, for a rate-limit error.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The HTTP status behind this error, when a response was received.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::RateLimited { status, .. } => Some(*status),
            Error::Unauthorized { .. } => Some(StatusCode::UNAUTHORIZED),
            Error::Proxy { failure, .. } => failure.status(),
            Error::Refresh(
                RefreshError::Rejected { status, .. } | RefreshError::Permanent { status, .. },
            ) => Some(*status),
            Error::Refresh(
                RefreshError::ConcurrentFailure { status, .. }
                | RefreshError::BackingOff { status, .. },
            ) => *status,
            _ => None,
        }
    }

    /// The Webex tracking id of the failed call, when the response carried one.
    pub fn tracking_id(&self) -> Option<&str> {
        match self {
            Error::RateLimited { tracking_id, .. } | Error::Unauthorized { tracking_id, .. } => {
                tracking_id.as_deref()
            }
            _ => None,
        }
    }

    /// The start of the error response's body, when a response was received.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Error::RateLimited { body, .. }
            | Error::Unauthorized { body, .. }
            | Error::Refresh(
                RefreshError::Rejected { body, .. } | RefreshError::Permanent { body, .. },
            ) => Some(body),
            _ => None,
        }
    }

    /// Wraps an error from an application-supplied service, keeping a `spark-http` error as it is.
    pub fn from_service_error(error: impl Into<BoxError>) -> Self {
        match error.into().downcast::<Error>() {
            Ok(own) => *own,
            Err(other) => Error::Service(other),
        }
    }
}

fn source_chain_has_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(err) = current {
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return true;
        }
        current = err.source();
    }
    false
}
