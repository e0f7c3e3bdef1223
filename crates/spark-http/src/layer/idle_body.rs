//! [`IdleTimeoutBody`]: a response body that fails when no data comes for a while.
//!
//! [`AttemptTimeoutLayer`](crate::AttemptTimeoutLayer) wraps every response body in one, so a
//! download that stalls (a server that keeps the socket open and sends nothing, or announces a
//! `Content-Length` it never completes) ends with [`Error::Timeout`] of kind
//! [`TimeoutKind::ResponseIdle`], however long a healthy one runs: the limit is on each wait
//! between pieces, not on the whole. The timer is armed only when a read has to wait, so a body
//! that arrives at once costs nothing. A [`ResponseBody`](crate::ResponseBody) takes the timeout
//! over without boxing ([`ResponseBody::new`](crate::ResponseBody::new)).

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body::{Frame, SizeHint};

use crate::error::{BoxError, Error, TimeoutKind};
use crate::idle_timer::IdleTimer;

pin_project_lite::pin_project! {
    /// A response body whose reads fail with [`Error::Timeout`] of kind
    /// [`TimeoutKind::ResponseIdle`] when no frame arrives for the idle timeout (counted from
    /// the start of each wait). Data and errors of the body inside pass as they are (its errors
    /// converted into [`Error`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// use std::time::Duration;
    /// use http_body_util::BodyExt;
    /// use spark_http::layer::IdleTimeoutBody;
    ///
    /// let stalled = http_body_util::StreamBody::new(futures_util::stream::pending::<
    ///     Result<http_body::Frame<bytes::Bytes>, std::io::Error>,
    /// >());
    /// let body = IdleTimeoutBody::new(stalled, Some(Duration::from_secs(30)));
    /// let error = body.collect().await.unwrap_err();
    /// assert_eq!(error.timeout_kind(), Some(spark_http::TimeoutKind::ResponseIdle));
    /// # }
    /// ```
    #[derive(Debug)]
    pub struct IdleTimeoutBody<B> {
        #[pin]
        body: B,
        timer: IdleTimer,
    }
}

impl<B> IdleTimeoutBody<B> {
    /// Wraps `body`; `idle` is the longest wait for a frame (`None`: no limit).
    pub fn new(body: B, idle: Option<Duration>) -> Self {
        Self {
            body,
            timer: IdleTimer::new(idle),
        }
    }

    /// The idle timeout (`None`: none).
    pub fn idle_timeout(&self) -> Option<Duration> {
        self.timer.limit()
    }

    /// The wrapped body.
    pub fn get_ref(&self) -> &B {
        &self.body
    }

    /// The wrapped body, mutably.
    pub fn get_mut(&mut self) -> &mut B {
        &mut self.body
    }

    /// Unwraps the body, dropping the timeout.
    pub fn into_inner(self) -> B {
        self.body
    }

    /// The body and its timer, for a [`ResponseBody`](crate::ResponseBody) to take over.
    pub(crate) fn into_parts(self) -> (B, IdleTimer) {
        (self.body, self.timer)
    }
}

impl<B> http_body::Body for IdleTimeoutBody<B>
where
    B: http_body::Body,
    B::Error: Into<BoxError>,
{
    type Data = B::Data;
    type Error = Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, Error>>> {
        let this = self.project();
        match this.body.poll_frame(cx) {
            Poll::Ready(frame) => {
                this.timer.reset();
                Poll::Ready(frame.map(|frame| frame.map_err(Error::from_body_error)))
            }
            Poll::Pending => this.timer.poll_expired(cx).map(|limit| {
                Some(Err(Error::Timeout {
                    kind: TimeoutKind::ResponseIdle,
                    limit,
                }))
            }),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}
