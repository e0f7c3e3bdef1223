//! A tracing span per attempt: method, path, attempt number, status and Webex tracking id.
//!
//! Only the path is recorded (no query, no headers), so neither tokens nor personal data
//! end up in traces.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::{Request, Response};
use tower::{Layer, Service};

use crate::body::Body;
use crate::error::Error;
use crate::response::ResponseBody;
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

/// Makes [`Trace`] services.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TraceLayer;

impl<S> Layer<S> for TraceLayer {
    type Service = Trace<S>;

    fn layer(&self, inner: S) -> Trace<S> {
        Trace { inner }
    }
}

/// Runs each attempt in a `spark_http::attempt` span.
#[derive(Clone, Debug)]
pub(crate) struct Trace<S> {
    inner: S,
}

impl<S> Service<Request<Body>> for Trace<S>
where
    S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = Traced<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
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
        Traced { call, span }
    }
}

pin_project_lite::pin_project! {
    /// One attempt's future, polled inside its span; records the outcome when it completes.
    pub(crate) struct Traced<F> {
        #[pin]
        call: F,
        span: tracing::Span,
    }
}

impl<F> Future for Traced<F>
where
    F: Future<Output = Result<Response<ResponseBody>, Error>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let _entered = this.span.enter();
        let outcome = std::task::ready!(this.call.poll(cx));
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
