//! The per-attempt timeout: how long one attempt may wait for the response head.
//!
//! It stops at the head on purpose: a download's body streams for as long as it takes.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};
use tower::{Layer, Service};

use crate::body::Body;
use crate::error::Error;
use crate::response::ResponseBody;

/// Makes [`AttemptTimeout`] services.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AttemptTimeoutLayer {
    limit: Option<Duration>,
}

impl AttemptTimeoutLayer {
    /// A layer with the given limit; `None` lets attempts wait for ever.
    pub(crate) fn new(limit: Option<Duration>) -> Self {
        Self { limit }
    }
}

impl<S> Layer<S> for AttemptTimeoutLayer {
    type Service = AttemptTimeout<S>;

    fn layer(&self, inner: S) -> AttemptTimeout<S> {
        AttemptTimeout {
            inner,
            limit: self.limit,
        }
    }
}

/// Fails an attempt with [`Error::Timeout`] when no response head arrives in time.
#[derive(Clone, Debug)]
pub(crate) struct AttemptTimeout<S> {
    inner: S,
    limit: Option<Duration>,
}

impl<S> Service<Request<Body>> for AttemptTimeout<S>
where
    S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = TimedAttempt<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let limit = self.limit;
        TimedAttempt {
            attempt: self.inner.call(request),
            deadline: limit.map(tokio::time::sleep),
            limit: limit.unwrap_or_default(),
        }
    }
}

pin_project_lite::pin_project! {
    /// An attempt racing its deadline (no deadline: the attempt alone).
    pub(crate) struct TimedAttempt<F> {
        #[pin]
        attempt: F,
        #[pin]
        deadline: Option<tokio::time::Sleep>,
        limit: Duration,
    }
}

impl<F> Future for TimedAttempt<F>
where
    F: Future<Output = Result<Response<ResponseBody>, Error>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        if let Poll::Ready(outcome) = this.attempt.poll(cx) {
            return Poll::Ready(outcome);
        }
        let expired = this
            .deadline
            .as_pin_mut()
            .is_some_and(|deadline| deadline.poll(cx).is_ready());
        if expired {
            Poll::Ready(Err(Error::Timeout(*this.limit)))
        } else {
            Poll::Pending
        }
    }
}
