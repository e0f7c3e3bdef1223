//! [`AttemptTimeoutLayer`]: the timeouts of one attempt, while its request is sent, while it
//! waits for the answer, and while the answer's body streams.
//!
//! - **Sending** (the idle timeout): an upload that makes no progress for the idle timeout (the
//!   server stopped reading it) fails with [`TimeoutKind::RequestIdle`]. Progress is each piece
//!   of the body handed to the connection (see [`RequestBody::notify_when_sent`]), so a large
//!   upload on a slow link runs as long as it keeps moving.
//! - **Waiting** (the head timeout): from the last byte of the request body (at once for a small
//!   body sent in one piece) to the response head; past it, [`TimeoutKind::Head`].
//! - **Streaming** (the idle timeout again): every response body is wrapped in an
//!   [`IdleTimeoutBody`], whose reads fail with [`TimeoutKind::ResponseIdle`] when no data comes
//!   for the idle timeout, so a download runs for as long as it keeps moving.
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
use tokio::time::Instant;
use tower::{Layer, Service};

use crate::builder::DEFAULT_IDLE_TIMEOUT;
use crate::error::{BoxError, Error, TimeoutKind};
use crate::layer::IdleTimeoutBody;
use crate::request_body::RequestBody;
use crate::send_progress::{SendWatch, Sending};

/// A [`Layer`] making [`AttemptTimeout`] services.
#[derive(Clone, Copy, Debug)]
pub struct AttemptTimeoutLayer {
    head: Option<Duration>,
    idle: Option<Duration>,
}

impl AttemptTimeoutLayer {
    /// A layer with `head` as the head timeout (`None` lets attempts wait for the head for
    /// ever) and the default idle timeout, 30 s ([`DEFAULT_IDLE_TIMEOUT`]).
    pub fn new(head: Option<Duration>) -> Self {
        Self {
            head,
            idle: Some(DEFAULT_IDLE_TIMEOUT),
        }
    }

    /// Sets the idle timeout: the longest an upload may go without progress, and a response
    /// body's reads without data (`None`: no limit).
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
            head: self.head,
            idle: self.idle,
        }
    }
}

/// Fails an attempt with [`Error::Timeout`] when its request body stops moving or no response
/// head arrives in time, and wraps its response body in an [`IdleTimeoutBody`].
///
/// # Errors
///
/// [`Error::Timeout`] of kind [`TimeoutKind::RequestIdle`] or [`TimeoutKind::Head`], with the
/// limit; the inner service's errors, converted with [`Error::from_service_error`]. Reads of the
/// response body fail with [`TimeoutKind::ResponseIdle`].
#[derive(Clone, Debug)]
pub struct AttemptTimeout<S> {
    inner: S,
    head: Option<Duration>,
    idle: Option<Duration>,
}

impl<S> AttemptTimeout<S> {
    /// The head timeout (`None`: none).
    pub fn limit(&self) -> Option<Duration> {
        self.head
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
        let watched = self.head.is_some() || self.idle.is_some();
        // A small body handed over whole (or none) is sent with the request: nothing to watch.
        let (request, sending) = if watched && !request.body().is_sent_at_once() {
            let (watch, sent) = SendWatch::start();
            (request.map(|body| body.notify_when_sent(sent)), Some(watch))
        } else {
            (request, None)
        };
        AttemptTimeoutFuture {
            attempt: self.inner.call(request),
            timer: None,
            armed: None,
            sending,
            head: self.head,
            idle: self.idle,
        }
    }
}

pin_project_lite::pin_project! {
    /// An attempt racing its timeouts: the idle timeout while its body is sent, then the head
    /// timeout. The timer is armed only when the attempt has to wait, so an answer that is ready
    /// at once costs none.
    #[derive(Debug)]
    pub struct AttemptTimeoutFuture<F> {
        #[pin]
        attempt: F,
        #[pin]
        timer: Option<tokio::time::Sleep>,
        // What the timer is set for, and when it runs out.
        armed: Option<(TimeoutKind, Instant)>,
        // The request body, while it may still be sending.
        sending: Option<SendWatch>,
        head: Option<Duration>,
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
        // What the attempt waits for, with its limit and deadline; nothing when unlimited.
        let wait = match this.sending.as_ref().map(|watch| watch.poll_state(cx)) {
            Some(Sending::LastProgress(at)) => this
                .idle
                .map(|idle| (TimeoutKind::RequestIdle, idle, at + idle)),
            Some(Sending::Sent(at)) => this.head.map(|head| (TimeoutKind::Head, head, at + head)),
            // Sent with the request: the head timeout counts from the first wait.
            None => this.head.map(|head| {
                let deadline = match *this.armed {
                    Some((TimeoutKind::Head, deadline)) => deadline,
                    _ => Instant::now() + head,
                };
                (TimeoutKind::Head, head, deadline)
            }),
        };
        let Some((kind, limit, deadline)) = wait else {
            *this.armed = None;
            this.timer.set(None);
            return Poll::Pending;
        };
        if *this.armed != Some((kind, deadline)) {
            *this.armed = Some((kind, deadline));
            match this.timer.as_mut().as_pin_mut() {
                Some(timer) => timer.reset(deadline),
                None => this.timer.set(Some(tokio::time::sleep_until(deadline))),
            }
        }
        let expired = this
            .timer
            .as_pin_mut()
            .is_some_and(|timer| timer.poll(cx).is_ready());
        if expired {
            Poll::Ready(Err(Error::Timeout { kind, limit }))
        } else {
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_answer_ready_at_once_makes_no_timer() {
        let ready = tower::service_fn(|_request: Request<String>| async {
            Ok::<_, std::convert::Infallible>(Response::new(String::from("at once")))
        });
        let mut service = AttemptTimeoutLayer::new(Some(Duration::from_secs(60))).layer(ready);
        let mut attempt = std::pin::pin!(service.call(Request::new(String::new())));
        let response = std::future::poll_fn(|cx| attempt.as_mut().poll(cx))
            .await
            .unwrap();
        assert_eq!(response.into_body().into_inner(), "at once");
        assert!(attempt.as_mut().project().timer.is_none());
    }
}
