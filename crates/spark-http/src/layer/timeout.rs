//! The per-attempt timeout: how long one attempt may wait for the response head once its
//! request is sent.
//!
//! The clock starts when the request body has been sent in full (at once for a request without
//! a body), so a large upload on a slow link is not cut short; and it stops at the response head,
//! so a download's body streams for as long as it takes.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use std::time::Duration;
use tokio::sync::oneshot;

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

    fn call(&mut self, mut request: Request<Body>) -> Self::Future {
        let Some(limit) = self.limit else {
            return TimedAttempt {
                attempt: self.inner.call(request),
                deadline: None,
                body_sent: None,
                limit: Duration::ZERO,
            };
        };
        let body_sent = if http_body::Body::is_end_stream(request.body()) {
            None
        } else {
            let (sent, body_sent) = oneshot::channel();
            let body = std::mem::take(request.body_mut());
            *request.body_mut() = Body::wrap(SignalWhenSent {
                body,
                sent: Some(sent),
            });
            Some(body_sent)
        };
        TimedAttempt {
            attempt: self.inner.call(request),
            deadline: body_sent.is_none().then(|| tokio::time::sleep(limit)),
            body_sent,
            limit,
        }
    }
}

pin_project_lite::pin_project! {
    /// An attempt racing its deadline, which starts once the request body is sent.
    pub(crate) struct TimedAttempt<F> {
        #[pin]
        attempt: F,
        #[pin]
        deadline: Option<tokio::time::Sleep>,
        body_sent: Option<oneshot::Receiver<()>>,
        limit: Duration,
    }
}

impl<F> Future for TimedAttempt<F>
where
    F: Future<Output = Result<Response<ResponseBody>, Error>>,
{
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        if let Poll::Ready(outcome) = this.attempt.poll(cx) {
            return Poll::Ready(outcome);
        }
        if let Some(body_sent) = this.body_sent.as_mut() {
            // Sent in full, or given up on (the sender dropped): either way the wait starts.
            if Pin::new(body_sent).poll(cx).is_ready() {
                *this.body_sent = None;
                this.deadline.set(Some(tokio::time::sleep(*this.limit)));
            }
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

pin_project_lite::pin_project! {
    /// A request body that says when its last byte has been handed to the connection.
    struct SignalWhenSent {
        #[pin]
        body: Body,
        sent: Option<oneshot::Sender<()>>,
    }
}

impl http_body::Body for SignalWhenSent {
    type Data = bytes::Bytes;
    type Error = crate::error::BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        let mut this = self.project();
        let frame = std::task::ready!(this.body.as_mut().poll_frame(cx));
        // The connection may stop asking once the body says it has ended.
        let ended = frame.is_none() || this.body.is_end_stream();
        if ended && let Some(sent) = this.sent.take() {
            let _ = sent.send(());
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}
