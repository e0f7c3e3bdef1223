//! Response bodies: streamed as they arrive, collected only on request and only up to a limit.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;

use crate::error::{BoxError, Error, Result};

/// The body of a response from the stack: a stream of bytes, read as it arrives.
///
/// Nothing in the stack buffers it, so a large download streams. Use
/// [`ResponseBody::collect_limited`] to read it whole with a ceiling on memory.
pub struct ResponseBody(Inner);

/// hyper's body as it comes (no allocation, the common case), or any other body, boxed.
enum Inner {
    Incoming(hyper::body::Incoming),
    Boxed(UnsyncBoxBody<Bytes, Error>),
}

impl ResponseBody {
    /// Wraps any body whose errors convert into a boxed error. A `ResponseBody` or hyper's
    /// `Incoming` is taken as it is; any other body is boxed.
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
        Self(Inner::Boxed(
            body.map_err(|err| Error::from_body_error(err.into()))
                .boxed_unsync(),
        ))
    }

    /// hyper's body, unboxed.
    pub(crate) fn from_incoming(body: hyper::body::Incoming) -> Self {
        Self(Inner::Incoming(body))
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
    /// bytes (before reading anything when the announced length is already larger).
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
    pub async fn collect_limited(mut self, limit: usize) -> Result<Bytes> {
        if http_body::Body::size_hint(&self).lower() > limit as u64 {
            return Err(Error::BodyTooLarge { limit });
        }
        let mut collected = BytesMut::new();
        let mut single: Option<Bytes> = None;
        while let Some(frame) = self.frame().await {
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
    /// start, for a report); a read error ends it early with what came so far.
    pub async fn collect_prefix(self, limit: usize) -> Bytes {
        read_prefix(self, limit).await
    }
}

/// Reads at most the first `limit` bytes of `body`; a read error ends it early.
pub(crate) async fn read_prefix<B>(body: B, limit: usize) -> Bytes
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
        match &mut self.0 {
            Inner::Incoming(body) => Pin::new(body)
                .poll_frame(cx)
                .map_err(|err| Error::Body(Box::new(err))),
            Inner::Boxed(body) => Pin::new(body).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.0 {
            Inner::Incoming(body) => body.is_end_stream(),
            Inner::Boxed(body) => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.0 {
            Inner::Incoming(body) => body.size_hint(),
            Inner::Boxed(body) => body.size_hint(),
        }
    }
}

impl Error {
    /// Keeps a `spark-http` error raised inside a body as it is; wraps anything else.
    fn from_body_error(error: BoxError) -> Self {
        match error.downcast::<Error>() {
            Ok(own) => *own,
            Err(other) => Error::Body(other),
        }
    }
}
