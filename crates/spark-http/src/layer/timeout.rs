//! [`AttemptTimeoutLayer`]: the timeouts of one attempt, while it waits for the answer and while
//! the answer's body streams.
//!
//! - **Waiting** (the head timeout): from the last byte of the request body (see
//!   [`RequestBody::notify_when_sent`]; at once for a request without a body) to the response
//!   head, so a large upload on a slow link is not cut short; past it, [`TimeoutKind::Head`].
//! - **Streaming** (the idle timeout): every response body is wrapped in an [`IdleTimeoutBody`],
//!   whose reads fail with [`TimeoutKind::ResponseIdle`] when no data comes for the idle timeout,
//!   so a download runs for as long as it keeps moving.
//!
//! Timers are armed only when the attempt or a read has to wait: an answer that is ready at once
//! costs none. Placed below [`RetryLayer`](crate::RetryLayer), a timed-out attempt of an
//! idempotent request is retried.
//!
//! ```
//! use std::time::Duration;
//! use spark_http::AttemptTimeoutLayer;
//! use tower::ServiceBuilder;
//!
//! let timeouts = AttemptTimeoutLayer::new(Some(Duration::from_secs(30)))
//!     .idle_timeout(Some(Duration::from_secs(20)));
//! let service = ServiceBuilder::new()
//!     .layer(timeouts)
//!     .service(tower::service_fn(|_request: http::Request<String>| async {
//!         Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
//!     }));
//! # let _ = service;
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};
use tokio::sync::oneshot;
use tower::{Layer, Service};

use crate::builder::DEFAULT_IDLE_TIMEOUT;
use crate::error::{BoxError, Error, TimeoutKind};
use crate::layer::IdleTimeoutBody;
use crate::request_body::{BodySent, RequestBody};

/// A [`Layer`] making [`AttemptTimeout`] services.
#[derive(Clone, Copy, Debug)]
pub struct AttemptTimeoutLayer {
    limit: Option<Duration>,
    idle: Option<Duration>,
}

impl AttemptTimeoutLayer {
    /// A layer with `limit` as the head timeout (`None` lets attempts wait for the head for
    /// ever) and the default idle timeout, 30 s
    /// ([`DEFAULT_IDLE_TIMEOUT`](crate::DEFAULT_IDLE_TIMEOUT)).
    pub fn new(limit: Option<Duration>) -> Self {
        Self {
            limit,
            idle: Some(DEFAULT_IDLE_TIMEOUT),
        }
    }

    /// Sets the idle timeout: the longest a response body's read may wait for data (`None`: no
    /// limit).
    pub fn idle_timeout(mut self, idle: Option<Duration>) -> Self {
        self.idle = idle;
        self
    }
}

impl<S> Layer<S> for AttemptTimeoutLayer {
    type Service = AttemptTimeout<S>;

    fn layer(&self, inner: S) -> AttemptTimeout<S> {
        AttemptTimeout {
            inner,
            limit: self.limit,
            idle: self.idle,
        }
    }
}

/// Fails an attempt with [`Error::Timeout`] when no response head arrives in time, and wraps
/// its response body in an [`IdleTimeoutBody`].
///
/// # Errors
///
/// [`Error::Timeout`] of kind [`TimeoutKind::Head`], with the limit; the inner service's errors,
/// converted with [`Error::from_service_error`]. Reads of the response body fail with
/// [`TimeoutKind::ResponseIdle`].
#[derive(Clone, Debug)]
pub struct AttemptTimeout<S> {
    inner: S,
    limit: Option<Duration>,
    idle: Option<Duration>,
}

impl<S> AttemptTimeout<S> {
    /// The head timeout (`None`: none).
    pub fn limit(&self) -> Option<Duration> {
        self.limit
    }

    /// The idle timeout (`None`: none).
    pub fn idle_timeout(&self) -> Option<Duration> {
        self.idle
    }

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

impl<S, ReqB, ResB> Service<Request<ReqB>> for AttemptTimeout<S>
where
    S: Service<Request<ReqB>, Response = Response<ResB>>,
    S::Error: Into<BoxError>,
    ReqB: RequestBody,
{
    type Response = Response<IdleTimeoutBody<ResB>>;
    type Error = Error;
    type Future = AttemptTimeoutFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(Error::from_service_error)
    }

    fn call(&mut self, request: Request<ReqB>) -> Self::Future {
        let Some(limit) = self.limit else {
            return AttemptTimeoutFuture {
                attempt: self.inner.call(request),
                deadline: None,
                body_sent: None,
                limit: None,
                idle: self.idle,
            };
        };
        // A body handed over whole (or none) starts the clock when the request is sent.
        let (request, body_sent) = if request.body().is_sent_at_once() {
            (request, None)
        } else {
            let (sent, body_sent) = oneshot::channel();
            let request = request.map(|body| body.notify_when_sent(BodySent(sent)));
            (request, Some(body_sent))
        };
        AttemptTimeoutFuture {
            attempt: self.inner.call(request),
            deadline: None,
            body_sent,
            limit: Some(limit),
            idle: self.idle,
        }
    }
}

pin_project_lite::pin_project! {
    /// An attempt racing its deadline, which starts once the request body is sent. The timer is
    /// armed only when the attempt has to wait, so an answer that is ready at once costs none.
    #[derive(Debug)]
    pub struct AttemptTimeoutFuture<F> {
        #[pin]
        attempt: F,
        #[pin]
        deadline: Option<tokio::time::Sleep>,
        body_sent: Option<oneshot::Receiver<()>>,
        limit: Option<Duration>,
        idle: Option<Duration>,
    }
}

impl<F, ResB, E> Future for AttemptTimeoutFuture<F>
where
    F: Future<Output = Result<Response<ResB>, E>>,
    E: Into<BoxError>,
{
    type Output = Result<Response<IdleTimeoutBody<ResB>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(outcome) = this.attempt.poll(cx) {
            let idle = *this.idle;
            return Poll::Ready(match outcome {
                Ok(response) => Ok(response.map(|body| IdleTimeoutBody::new(body, idle))),
                Err(error) => Err(Error::from_service_error(error)),
            });
        }
        let Some(limit) = *this.limit else {
            return Poll::Pending;
        };
        if let Some(body_sent) = this.body_sent.as_mut() {
            // Sent in full, or given up on (the notice dropped): either way the wait starts.
            if Pin::new(body_sent).poll(cx).is_pending() {
                return Poll::Pending;
            }
            *this.body_sent = None;
        }
        if this.deadline.is_none() {
            this.deadline.set(Some(tokio::time::sleep(limit)));
        }
        let expired = this
            .deadline
            .as_pin_mut()
            .is_some_and(|deadline| deadline.poll(cx).is_ready());
        if expired {
            Poll::Ready(Err(Error::Timeout {
                kind: TimeoutKind::Head,
                limit,
            }))
        } else {
            Poll::Pending
        }
    }
}
