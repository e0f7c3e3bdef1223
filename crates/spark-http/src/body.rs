//! Request bodies: buffered (replayable), streamed (sent once) or re-creatable (replayable).

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http_body::{Frame, SizeHint};
use http_body_util::StreamBody;

use crate::error::BoxError;
use crate::send_progress::BodySent;

/// The largest buffered body handed to the connection in one piece. A larger one is handed over
/// in pieces of this size, so that how far it has gone can be watched (the attempt timeout
/// fails an upload that stops moving, and waits for the answer only once it has gone).
pub(crate) const SENT_AT_ONCE_BYTES: usize = 64 * 1024;

type DynBody = Pin<Box<dyn http_body::Body<Data = Bytes, Error = BoxError> + Send + 'static>>;
type BodyFactory = Arc<dyn Fn() -> Body + Send + Sync + 'static>;

/// The body of a request sent through the stack.
///
/// - Buffered bytes ([`Body::from`] a `Vec<u8>`, `String`, `Bytes`, ...) are cheap to clone, so
///   a request carrying them can be retried and replayed after a token refresh.
/// - A stream ([`Body::from_stream`]) is sent once and never replayed: a retry that would need it
///   again is not made.
/// - A re-creatable body ([`Body::replayable`]) is built by a factory each time it is sent, for
///   example a file opened again on every attempt, so it streams and can still be retried.
///
/// ```
/// use spark_http::Body;
///
/// let json = Body::from(r#"{"text":"hello"}"#);
/// assert!(json.try_clone().is_some());
///
/// let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(bytes::Bytes::from("a"))]);
/// assert!(Body::from_stream(chunks).try_clone().is_none());
///
/// let replayable = Body::replayable(|| Body::from("made again on each attempt"));
/// assert!(replayable.try_clone().is_some());
/// ```
pub struct Body {
    kind: Kind,
}

enum Kind {
    Empty,
    Full {
        bytes: Bytes,
        sent: bool,
    },
    Stream(DynBody),
    Replayable {
        factory: BodyFactory,
        current: Box<Body>,
    },
}

impl Body {
    /// A body with no content.
    pub fn empty() -> Self {
        Self { kind: Kind::Empty }
    }

    /// A streamed body: sent once, never replayed.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        Self::wrap(StreamBody::new(DataFrames { stream }))
    }

    /// Wraps any [`http_body::Body`] as a streamed body: sent once, never replayed.
    pub fn wrap<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        use http_body_util::BodyExt;
        Self {
            kind: Kind::Stream(Box::pin(body.map_err(Into::into))),
        }
    }

    /// A body re-created by `factory` for every attempt, so it can be retried while streaming.
    ///
    /// The factory is called once now and again for every copy the stack keeps in case of a
    /// retry or a replay (one per attempt that may be followed by another), whether or not the
    /// copy gets sent; make it cheap (open a file lazily inside the stream it returns, for
    /// example).
    pub fn replayable<F>(factory: F) -> Self
    where
        F: Fn() -> Body + Send + Sync + 'static,
    {
        let factory: BodyFactory = Arc::new(factory);
        let current = Box::new(factory());
        Self {
            kind: Kind::Replayable { factory, current },
        }
    }

    /// A fresh copy of this body, or `None` for a stream that can only be sent once.
    pub fn try_clone(&self) -> Option<Body> {
        let kind = match &self.kind {
            Kind::Empty => Kind::Empty,
            Kind::Full { bytes, .. } => Kind::Full {
                bytes: bytes.clone(),
                sent: false,
            },
            Kind::Stream(_) => return None,
            Kind::Replayable { factory, .. } => Kind::Replayable {
                factory: factory.clone(),
                current: Box::new(factory()),
            },
        };
        Some(Self { kind })
    }

    /// This body, made to tell `sent` of each piece handed to the connection and to fire it once
    /// its last byte has been (at once when it is empty); a large buffered body goes in pieces of
    /// [`SENT_AT_ONCE_BYTES`]. Dropping it unsent fires the notice too.
    pub(crate) fn signal_when_sent(self, sent: BodySent) -> Body {
        if http_body::Body::is_end_stream(&self) {
            sent.fire();
            return self;
        }
        let body = match self.kind {
            Kind::Full { bytes, sent: false } if bytes.len() > SENT_AT_ONCE_BYTES => {
                Body::wrap(InPieces { rest: bytes })
            }
            kind => Body { kind },
        };
        Body::wrap(SignalWhenSent {
            body,
            sent: Some(sent),
        })
    }

    /// The whole content, when the body is buffered.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.kind {
            Kind::Empty => Some(&[]),
            Kind::Full { bytes, .. } => Some(bytes),
            Kind::Stream(_) | Kind::Replayable { .. } => None,
        }
    }
}

impl Default for Body {
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Empty => f.write_str("Body::Empty"),
            Kind::Full { bytes, .. } => write!(f, "Body::Buffered({} bytes)", bytes.len()),
            Kind::Stream(_) => f.write_str("Body::Stream"),
            Kind::Replayable { .. } => f.write_str("Body::Replayable"),
        }
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        if bytes.is_empty() {
            return Self::empty();
        }
        Self {
            kind: Kind::Full { bytes, sent: false },
        }
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self::from(Bytes::from(text))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Self::from(Bytes::from_static(text.as_bytes()))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from(Bytes::from_static(bytes))
    }
}

impl From<()> for Body {
    fn from(_: ()) -> Self {
        Self::empty()
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match &mut self.get_mut().kind {
            Kind::Empty => Poll::Ready(None),
            Kind::Full { bytes, sent } => {
                if *sent {
                    Poll::Ready(None)
                } else {
                    *sent = true;
                    Poll::Ready(Some(Ok(Frame::data(bytes.clone()))))
                }
            }
            Kind::Stream(body) => body.as_mut().poll_frame(cx),
            Kind::Replayable { current, .. } => Pin::new(current.as_mut()).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Empty => true,
            Kind::Full { sent, .. } => *sent,
            Kind::Stream(body) => body.is_end_stream(),
            Kind::Replayable { current, .. } => current.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            Kind::Empty => SizeHint::with_exact(0),
            Kind::Full { bytes, sent } => {
                SizeHint::with_exact(if *sent { 0 } else { bytes.len() as u64 })
            }
            Kind::Stream(body) => body.size_hint(),
            Kind::Replayable { current, .. } => current.size_hint(),
        }
    }
}

pin_project_lite::pin_project! {
    /// Adapts a stream of byte chunks into a stream of body data frames.
    struct DataFrames<S> {
        #[pin]
        stream: S,
    }
}

impl<S, E> Stream for DataFrames<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Frame<Bytes>, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.project()
            .stream
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map(Frame::data).map_err(Into::into)))
    }
}

pin_project_lite::pin_project! {
    /// A request body that fires its notice when its last byte has been handed to the
    /// connection.
    struct SignalWhenSent {
        #[pin]
        body: Body,
        sent: Option<BodySent>,
    }
}

impl http_body::Body for SignalWhenSent {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let mut this = self.project();
        let frame = std::task::ready!(this.body.as_mut().poll_frame(cx));
        // The connection may stop asking once the body says it has ended.
        let ended = frame.is_none() || this.body.is_end_stream();
        if ended {
            if let Some(sent) = this.sent.take() {
                sent.fire();
            }
        } else if let Some(sent) = this.sent.as_ref() {
            sent.progress();
        }
        Poll::Ready(frame)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A buffered body handed out in pieces of at most [`SENT_AT_ONCE_BYTES`] (no copies).
struct InPieces {
    rest: Bytes,
}

impl http_body::Body for InPieces {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.rest.is_empty() {
            return Poll::Ready(None);
        }
        let take = self.rest.len().min(SENT_AT_ONCE_BYTES);
        let piece = self.rest.split_to(take);
        Poll::Ready(Some(Ok(Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.rest.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    async fn read(body: Body) -> Bytes {
        body.collect().await.expect("body").to_bytes()
    }

    #[tokio::test]
    async fn buffered_body_is_cloned_whole_and_reports_its_length() {
        let body = Body::from("hello");
        assert_eq!(http_body::Body::size_hint(&body).exact(), Some(5));
        let copy = body.try_clone().expect("buffered bodies clone");
        assert_eq!(read(body).await, "hello");
        assert_eq!(read(copy).await, "hello");
    }

    #[tokio::test]
    async fn stream_body_cannot_be_cloned() {
        let stream = futures_util::stream::iter([
            Ok::<_, std::io::Error>(Bytes::from("a")),
            Ok(Bytes::from("b")),
        ]);
        let body = Body::from_stream(stream);
        assert!(body.try_clone().is_none());
        assert_eq!(read(body).await, "ab");
    }

    #[tokio::test]
    async fn a_large_buffered_body_is_watched_piece_by_piece() {
        let content = Bytes::from((0..200_000).map(|i| (i % 251) as u8).collect::<Vec<u8>>());
        let (watch, sent) = crate::send_progress::SendWatch::start();
        let mut body = Body::from(content.clone()).signal_when_sent(sent);
        assert_eq!(http_body::Body::size_hint(&body).exact(), Some(200_000));
        let mut pieces = Vec::new();
        while let Some(frame) = body.frame().await {
            pieces.push(frame.expect("no error").into_data().expect("data"));
        }
        let lengths: Vec<usize> = pieces.iter().map(Bytes::len).collect();
        assert_eq!(lengths, [65_536, 65_536, 65_536, 3_392]);
        assert_eq!(pieces.concat(), content);
        let mut cx = Context::from_waker(futures_util::task::noop_waker_ref());
        assert!(matches!(
            watch.poll_state(&mut cx),
            crate::send_progress::Sending::Sent(_)
        ));
    }

    #[tokio::test]
    async fn replayable_body_calls_its_factory_for_each_copy() {
        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = calls.clone();
        let body = Body::replayable(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let chunks = [Ok::<_, std::io::Error>(Bytes::from("chunk"))];
            Body::from_stream(futures_util::stream::iter(chunks))
        });
        let copy = body.try_clone().expect("replayable bodies clone");
        assert_eq!(read(body).await, "chunk");
        assert_eq!(read(copy).await, "chunk");
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}
