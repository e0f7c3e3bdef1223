//! A tracing span per attempt: method, path, attempt number, status and Webex tracking id.
//!
//! Only the path is recorded (no query, no headers), so neither tokens nor personal data
//! end up in traces.

use std::task::{Context, Poll};

use http::{Request, Response};
use tower::{Layer, Service};
use tracing::Instrument;

use crate::body::Body;
use crate::error::Error;
use crate::response::ResponseBody;
use crate::retry::Attempt;
use crate::service::BoxFuture;

/// The response header in which Webex returns its tracking id.
pub(crate) const TRACKING_ID_HEADER: &str = "trackingid";

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
    type Future = BoxFuture<Response<ResponseBody>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let attempt = request.extensions().get::<Attempt>().map_or(1, |a| a.0);
        let span = tracing::debug_span!(
            "spark_http::attempt",
            method = %request.method(),
            path = request.uri().path(),
            attempt,
            status = tracing::field::Empty,
            tracking_id = tracing::field::Empty,
        );
        let call = span.in_scope(|| self.inner.call(request));
        Box::pin(
            async move {
                let outcome = call.await;
                let span = tracing::Span::current();
                match &outcome {
                    Ok(response) => {
                        span.record("status", response.status().as_u16());
                        if let Some(id) = response
                            .headers()
                            .get(TRACKING_ID_HEADER)
                            .and_then(|value| value.to_str().ok())
                        {
                            span.record("tracking_id", id);
                        }
                        tracing::debug!(status = response.status().as_u16(), "response");
                    }
                    Err(error) => tracing::debug!(%error, "attempt failed"),
                }
                outcome
            }
            .instrument(span),
        )
    }
}
