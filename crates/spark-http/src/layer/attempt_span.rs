//! [`AttemptSpanLayer`]: a tracing span per attempt, with method, path, attempt number, status
//! and the Webex tracking id.
//!
//! Only the path is recorded (no query, no headers), so neither tokens nor personal data end up
//! in traces. Placed below [`RetryLayer`](crate::RetryLayer), it sees every attempt and reads the
//! attempt number the retry layer puts on the request ([`Attempt`]).
//!
//! ```
//! use spark_http::AttemptSpanLayer;
//! use tower::ServiceBuilder;
//!
//! let service = ServiceBuilder::new().layer(AttemptSpanLayer::new()).service(tower::service_fn(
//!     |_request: http::Request<String>| async {
//!         Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
//!     },
//! ));
//! # let _ = service;
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{Request, Response};
use tower::{Layer, Service};

use crate::error::{BoxError, Error};
use crate::retry::Attempt;

/// The response header in which Webex returns its tracking id.
pub(crate) const TRACKING_ID_HEADER: &str = "trackingid";

/// The Webex tracking id in a response's headers, if any.
///
/// ```
/// let mut headers = http::HeaderMap::new();
/// headers.insert("trackingid", "ROUTER_5F3A".parse().unwrap());
/// assert_eq!(spark_http::tracking_id(&headers), Some("ROUTER_5F3A"));
/// ```
pub fn tracking_id(headers: &http::HeaderMap) -> Option<&str> {
    headers
        .get(TRACKING_ID_HEADER)
        .and_then(|value| value.to_str().ok())
}

/// A [`Layer`] making [`AttemptSpan`] services.
#[derive(Clone, Copy, Debug, Default)]
pub struct AttemptSpanLayer;

impl AttemptSpanLayer {
    /// The layer.
    pub fn new() -> Self {
        Self
    }
}

impl<S> Layer<S> for AttemptSpanLayer {
    type Service = AttemptSpan<S>;

    fn layer(&self, inner: S) -> AttemptSpan<S> {
        AttemptSpan { inner }
    }
}

/// Runs each call in a `spark_http::attempt` span at debug level, recording the answer's status
/// and tracking id, or the error, when it completes.
///
/// # Errors
///
/// The inner service's errors, converted with [`Error::from_service_error`].
#[derive(Clone, Debug)]
pub struct AttemptSpan<S> {
    inner: S,
}

impl<S> AttemptSpan<S> {
    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Unwraps the service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, ReqB, ResB> Service<Request<ReqB>> for AttemptSpan<S>
where
    S: Service<Request<ReqB>, Response = Response<ResB>>,
    S::Error: Into<BoxError>,
{
    type Response = Response<ResB>;
    type Error = Error;
    type Future = AttemptSpanFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(Error::from_service_error)
    }

    fn call(&mut self, request: Request<ReqB>) -> Self::Future {
        let attempt = Attempt::of_request(&request);
        let span = tracing::debug_span!(
            "spark_http::attempt",
            method = %request.method(),
            path = request.uri().path(),
            attempt,
            status = tracing::field::Empty,
            tracking_id = tracing::field::Empty,
        );
        let call = span.in_scope(|| self.inner.call(request));
        AttemptSpanFuture { call, span }
    }
}

pin_project_lite::pin_project! {
    /// One attempt's future, polled inside its span; records the outcome when it completes.
    #[derive(Debug)]
    pub struct AttemptSpanFuture<F> {
        #[pin]
        call: F,
        span: tracing::Span,
    }
}

impl<F, ResB, E> Future for AttemptSpanFuture<F>
where
    F: Future<Output = Result<Response<ResB>, E>>,
    E: Into<BoxError>,
{
    type Output = Result<Response<ResB>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _entered = this.span.enter();
        let outcome = std::task::ready!(this.call.poll(cx)).map_err(Error::from_service_error);
        match &outcome {
            Ok(response) => {
                this.span.record("status", response.status().as_u16());
                if let Some(id) = tracking_id(response.headers()) {
                    this.span.record("tracking_id", id);
                }
                tracing::debug!(status = response.status().as_u16(), "response");
            }
            Err(error) => tracing::debug!(%error, "attempt failed"),
        }
        Poll::Ready(outcome)
    }
}
