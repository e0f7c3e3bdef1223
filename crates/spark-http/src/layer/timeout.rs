//! [`AttemptTimeoutLayer`]: how long one attempt may wait for the response head once its request
//! is sent.
//!
//! The clock starts when the request body has been sent in full (see
//! [`RequestBody::notify_when_sent`]; at once for a request without a body), so a large upload on
//! a slow link is not cut short; and it stops at the response head, so a download's body streams
//! for as long as it takes. Placed below [`RetryLayer`](crate::RetryLayer), a timed-out attempt
//! of an idempotent request is retried.
//!
//! ```
//! use std::time::Duration;
//! use spark_http::AttemptTimeoutLayer;
//! use tower::ServiceBuilder;
//!
//! let service = ServiceBuilder::new()
//!     .layer(AttemptTimeoutLayer::new(Some(Duration::from_secs(30))))
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

use crate::error::{BoxError, Error};
use crate::request_body::{BodySent, RequestBody};

/// A [`Layer`] making [`AttemptTimeout`] services.
#[derive(Clone, Copy, Debug)]
pub struct AttemptTimeoutLayer {
    limit: Option<Duration>,
}

impl AttemptTimeoutLayer {
    /// A layer with the given limit; `None` lets attempts wait for ever.
    pub fn new(limit: Option<Duration>) -> Self {
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
///
/// # Errors
///
/// [`Error::Timeout`] with the limit; the inner service's errors, converted with
/// [`Error::from_service_error`].
#[derive(Clone, Debug)]
pub struct AttemptTimeout<S> {
    inner: S,
    limit: Option<Duration>,
}

impl<S> AttemptTimeout<S> {
    /// The limit on each attempt (`None`: none).
    pub fn limit(&self) -> Option<Duration> {
        self.limit
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
    type Response = Response<ResB>;
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
    }
}

impl<F, T, E> Future for AttemptTimeoutFuture<F>
where
    F: Future<Output = Result<T, E>>,
    E: Into<BoxError>,
{
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(outcome) = this.attempt.poll(cx) {
            return Poll::Ready(outcome.map_err(Error::from_service_error));
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
            Poll::Ready(Err(Error::Timeout(limit)))
        } else {
            Poll::Pending
        }
    }
}
