//! Response bodies: streamed as they arrive (each wait bounded by the idle timeout), collected
//! only on request, up to a size limit and within a deadline.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;

use crate::builder::DEFAULT_BODY_TIMEOUT;
use crate::error::{BoxError, Error, Result, TimeoutKind};
use crate::idle_timer::IdleTimer;
use crate::layer::IdleTimeoutBody;

/// The body of a response from the stack: a stream of bytes, read as it arrives.
///
/// Nothing in the stack buffers it, so a large download streams. Use
/// [`ResponseBody::collect_limited`] to read it whole with a ceiling on memory and time.
///
/// Two timeouts bound the reads, both counted only while a read has to wait (a body that
/// arrives at once arms no timer):
///
/// - the **idle timeout** ([`ResponseBody::idle_timeout`]): a read that waits that long for
///   data fails with [`Error::Timeout`] of kind [`TimeoutKind::ResponseIdle`]. Set by the
///   stack ([`HttpClientBuilder::idle_timeout`](crate::HttpClientBuilder::idle_timeout), default
///   30 s); none on a body made with [`ResponseBody::new`] unless the body came from an
///   [`IdleTimeoutBody`].
/// - the **body timeout** ([`ResponseBody::body_timeout`]): reading the body whole
///   ([`collect_limited`](ResponseBody::collect_limited),
///   [`collect_prefix`](ResponseBody::collect_prefix)) must end within it, counted from the first
///   read that waits. Set by [`HttpClient`](crate::HttpClient) on every answer
///   ([`HttpClientBuilder::body_timeout`](crate::HttpClientBuilder::body_timeout)); 60 s on a
///   body made here. Streaming the body frame by frame has no such deadline, so a download may
///   take as long as it needs.
pub struct ResponseBody {
    inner: Inner,
    idle: IdleTimer,
    body_timeout: Option<Duration>,
}

/// hyper's body as it comes (no allocation, the common case), or any other body, boxed.
enum Inner {
    Incoming(hyper::body::Incoming),
    Boxed(UnsyncBoxBody<Bytes, Error>),
}

impl ResponseBody {
    /// Wraps any body whose errors convert into a boxed error. A `ResponseBody` or hyper's
    /// `Incoming` is taken as it is, and so is either inside an [`IdleTimeoutBody`] (whose idle
    /// timeout the body takes over); any other body is boxed.
    ///
    /// The body timeout is 60 s ([`DEFAULT_BODY_TIMEOUT`](crate::DEFAULT_BODY_TIMEOUT)), or the
    /// given `ResponseBody`'s own.
    pub fn new<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let body = match cast::<B, ResponseBody>(body) {
            Ok(own) => return own,
            Err(body) => body,
        };
        let body = match cast::<B, hyper::body::Incoming>(body) {
            Ok(incoming) => return Self::from_incoming(incoming),
            Err(body) => body,
        };
        let body = match cast::<B, IdleTimeoutBody<ResponseBody>>(body) {
            Ok(timed) => return Self::from_idle_timeout(timed),
            Err(body) => body,
        };
        let body = match cast::<B, IdleTimeoutBody<hyper::body::Incoming>>(body) {
            Ok(timed) => {
                let (incoming, idle) = timed.into_parts();
                return Self {
                    idle,
                    ..Self::from_incoming(incoming)
                };
            }
            Err(body) => body,
        };
        Self::from_inner(Inner::Boxed(
            body.map_err(Error::from_body_error).boxed_unsync(),
        ))
    }

    fn from_inner(inner: Inner) -> Self {
        Self {
            inner,
            idle: IdleTimer::new(None),
            body_timeout: Some(DEFAULT_BODY_TIMEOUT),
        }
    }

    /// hyper's body, unboxed.
    pub(crate) fn from_incoming(body: hyper::body::Incoming) -> Self {
        Self::from_inner(Inner::Incoming(body))
    }

    /// The body inside, with the wrapper's idle timeout instead of its own; no allocation.
    #[inline]
    pub(crate) fn from_idle_timeout(body: IdleTimeoutBody<ResponseBody>) -> Self {
        let (body, idle) = body.into_parts();
        Self { idle, ..body }
    }

    /// This body, with reads that wait longer than `idle` for data failing with
    /// [`Error::Timeout`] of kind [`TimeoutKind::ResponseIdle`] (`None`: no limit).
    pub fn with_idle_timeout(mut self, idle: Option<Duration>) -> Self {
        self.idle = IdleTimer::new(idle);
        self
    }

    /// The longest a read may wait for data (`None`: no limit).
    pub fn idle_timeout(&self) -> Option<Duration> {
        self.idle.limit()
    }

    /// This body, with [`collect_limited`](Self::collect_limited) and
    /// [`collect_prefix`](Self::collect_prefix) ending within `timeout` of their first wait
    /// (`None`: no deadline, only the idle timeout).
    pub fn with_body_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.set_body_timeout(timeout);
        self
    }

    /// Sets the deadline on reading the body whole, in place.
    pub(crate) fn set_body_timeout(&mut self, timeout: Option<Duration>) {
        self.body_timeout = timeout;
    }

    /// The deadline on reading the body whole (`None`: none).
    pub fn body_timeout(&self) -> Option<Duration> {
        self.body_timeout
    }

    /// A body with no content.
    pub fn empty() -> Self {
        Self::new(http_body_util::Empty::<Bytes>::new())
    }

    /// A body holding the given bytes.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        Self::new(http_body_util::Full::new(bytes.into()))
    }

    /// Reads the whole body, failing with [`Error::BodyTooLarge`] as soon as it passes `limit`
    /// bytes (before reading anything when the announced length is already larger), and with
    /// [`Error::Timeout`] of kind [`TimeoutKind::Body`] when it is not read in full within the
    /// [body timeout](Self::body_timeout), counted from the first read that has to wait (for the
    /// stack's answers, right after the head). A body that arrives at once arms no timer.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use spark_http::ResponseBody;
    ///
    /// let body = ResponseBody::from_bytes("0123456789");
    /// assert!(matches!(
    ///     body.collect_limited(4).await,
    ///     Err(spark_http::Error::BodyTooLarge { limit: 4 })
    /// ));
    /// let body = ResponseBody::from_bytes("0123456789");
    /// assert_eq!(body.collect_limited(64).await.unwrap(), "0123456789");
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::BodyTooLarge`] past `limit`; [`Error::Timeout`] of kind [`TimeoutKind::Body`]
    /// past the body timeout, or of kind [`TimeoutKind::ResponseIdle`] when a read waited longer
    /// than the idle timeout; [`Error::Body`] when the connection fails while the body is read.
    pub async fn collect_limited(mut self, limit: usize) -> Result<Bytes> {
        if http_body::Body::size_hint(&self).lower() > limit as u64 {
            return Err(Error::BodyTooLarge { limit });
        }
        let mut deadline = IdleTimer::new(self.body_timeout);
        let mut collected = BytesMut::new();
        let mut single: Option<Bytes> = None;
        while let Some(frame) = self.frame_within(&mut deadline).await {
            let Ok(data) = frame?.into_data() else {
                continue;
            };
            let total = single.as_ref().map_or(0, Bytes::len) + collected.len() + data.len();
            if total > limit {
                return Err(Error::BodyTooLarge { limit });
            }
            // Most bodies arrive in one chunk: keep it without copying.
            match single.take() {
                None if collected.is_empty() => single = Some(data),
                previous => {
                    if let Some(previous) = previous {
                        collected.extend_from_slice(&previous);
                    }
                    collected.extend_from_slice(&data);
                }
            }
        }
        Ok(single.unwrap_or_else(|| collected.freeze()))
    }

    /// Reads at most the first `limit` bytes of the body and drops the rest (an error answer's
    /// start, for a report); a read error, the idle timeout or the
    /// [body timeout](Self::body_timeout) ends it early with what came so far.
    pub async fn collect_prefix(mut self, limit: usize) -> Bytes {
        let mut deadline = IdleTimer::new(self.body_timeout);
        let mut collected = BytesMut::new();
        while collected.len() < limit {
            match self.frame_within(&mut deadline).await {
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        let room = (limit - collected.len()).min(data.len());
                        collected.extend_from_slice(&data[..room]);
                    }
                }
                Some(Err(_)) | None => break,
            }
        }
        collected.freeze()
    }

    /// The next frame, or a [`TimeoutKind::Body`] timeout once `deadline` (armed by the first
    /// wait, never reset) runs out.
    fn frame_within<'a>(
        &'a mut self,
        deadline: &'a mut IdleTimer,
    ) -> impl Future<Output = Option<Result<Frame<Bytes>>>> + 'a {
        std::future::poll_fn(move |cx| {
            match http_body::Body::poll_frame(Pin::new(&mut *self), cx) {
                Poll::Ready(frame) => Poll::Ready(frame),
                Poll::Pending => deadline.poll_expired(cx).map(|limit| {
                    Some(Err(Error::Timeout {
                        kind: TimeoutKind::Body,
                        limit,
                    }))
                }),
            }
        })
    }
}

/// Reads at most the first `limit` bytes of any [`http_body::Body`] and drops the rest: the
/// start of an error answer, for a report, without trusting the server to end it.
///
/// Frames are pulled until `limit` bytes came, the body ends, or a frame fails (a read error
/// ends it early with what came so far, it is not reported). At most one frame beyond what is
/// kept is read; trailers are ignored. It sets no timer: bound the wait with
/// `tokio::time::timeout` when the body comes from a network (a [`ResponseBody`] has
/// [`collect_prefix`](ResponseBody::collect_prefix), which applies its own timeouts).
pub async fn read_prefix<B>(body: B, limit: usize) -> Bytes
where
    B: http_body::Body,
{
    let mut body = std::pin::pin!(body);
    let mut collected = BytesMut::new();
    while collected.len() < limit {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Ok(mut data) = frame.into_data() {
                    let room = (limit - collected.len()).min(bytes::Buf::remaining(&data));
                    collected.extend_from_slice(&bytes::Buf::copy_to_bytes(&mut data, room));
                }
            }
            Some(Err(_)) | None => break,
        }
    }
    collected.freeze()
}

/// Reads what is left of an answer that is not wanted, so its connection can be reused: only a
/// body announced as small (at most 64 KiB), and only for up to a second; anything else is
/// dropped, which closes the connection instead.
pub(crate) async fn drain<B>(body: B)
where
    B: http_body::Body,
{
    const DRAIN_LIMIT: u64 = 64 * 1024;
    const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(1);
    let small = body
        .size_hint()
        .upper()
        .is_some_and(|upper| upper <= DRAIN_LIMIT);
    if small {
        let _ = tokio::time::timeout(DRAIN_TIME, read_prefix(body, DRAIN_LIMIT as usize)).await;
    }
}

/// `value` as a `U` when `T` and `U` are the same type, else `value` back; no allocation.
fn cast<T: 'static, U: 'static>(value: T) -> std::result::Result<U, T> {
    let mut slot = Some(value);
    let same = (&mut slot as &mut dyn std::any::Any)
        .downcast_mut::<Option<U>>()
        .and_then(Option::take);
    match (same, slot) {
        (Some(same), _) => Ok(same),
        (None, Some(value)) => Err(value),
        (None, None) => unreachable!("the value is taken only when the types are the same"),
    }
}

impl Default for ResponseBody {
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseBody")
    }
}

impl http_body::Body for ResponseBody {
    type Data = Bytes;
    type Error = Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Error>>> {
        let this = &mut *self;
        let polled = match &mut this.inner {
            Inner::Incoming(body) => Pin::new(body)
                .poll_frame(cx)
                .map_err(|err| Error::Body(Box::new(err))),
            Inner::Boxed(body) => Pin::new(body).poll_frame(cx),
        };
        match polled {
            Poll::Ready(frame) => {
                this.idle.reset();
                Poll::Ready(frame)
            }
            Poll::Pending => this.idle.poll_expired(cx).map(|limit| {
                Some(Err(Error::Timeout {
                    kind: TimeoutKind::ResponseIdle,
                    limit,
                }))
            }),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Incoming(body) => body.is_end_stream(),
            Inner::Boxed(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Incoming(body) => body.size_hint(),
            Inner::Boxed(body) => body.size_hint(),
        }
    }
}

impl Error {
    /// Keeps a `spark-http` error raised inside a body as it is; wraps anything else.
    pub(crate) fn from_body_error(error: impl Into<BoxError>) -> Self {
        match error.into().downcast::<Error>() {
            Ok(own) => *own,
            Err(other) => Error::Body(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_body_that_arrives_at_once_makes_no_timer() {
        let secs = Some(Duration::from_secs(30));
        let mut body = ResponseBody::from_bytes("0123456789").with_idle_timeout(secs);
        let mut deadline = IdleTimer::new(secs);
        let mut read = Vec::new();
        while let Some(frame) = body.frame_within(&mut deadline).await {
            read.extend_from_slice(&frame.unwrap().into_data().unwrap());
        }
        assert_eq!(read, b"0123456789");
        assert!(!body.idle.has_timer());
        assert!(!deadline.has_timer());
    }

    #[tokio::test(start_paused = true)]
    async fn a_read_that_waits_makes_its_timers() {
        let secs = Some(Duration::from_secs(30));
        let stalled = http_body_util::StreamBody::new(futures_util::stream::pending::<
            std::result::Result<Frame<Bytes>, std::io::Error>,
        >());
        let mut body = ResponseBody::new(stalled).with_idle_timeout(secs);
        let mut deadline = IdleTimer::new(Some(Duration::from_secs(60)));
        let error = body.frame_within(&mut deadline).await.unwrap().unwrap_err();
        assert_eq!(error.timeout_kind(), Some(TimeoutKind::ResponseIdle));
        assert!(body.idle.has_timer());
        assert!(deadline.has_timer());
    }
}
