//! What the layers ask of a request body: a copy to send again (for retries, replays after a
//! token refresh and hook replays), and word of how its sending goes (for the attempt timeout).
//! Implemented here for the stack's own [`Body`] and the common body types.

use bytes::{Buf, Bytes};

use crate::body::Body;
use crate::send_progress::BodySent;

/// A request body as the layers of this crate see it.
///
/// Replaying a request (a retry, a replay with a refreshed token, a replay a hook asked for)
/// needs a fresh copy of its body: [`RequestBody::try_clone_body`] gives one, or `None` when the
/// body can be sent only once. A request whose body cannot be copied is sent once and never
/// replayed: the layer hands its answer back as it came, without an error.
///
/// | body | copy |
/// | --- | --- |
/// | [`Body`] buffered or [`Body::replayable`] | yes |
/// | [`Body::from_stream`], [`Body::wrap`] | no: sent once |
/// | `http_body_util::Full<D>` (`D: Clone`), `Empty<D>` | yes |
/// | `String`, `Bytes`, `Vec<u8>`, `&'static str`, `()` | yes |
/// | `hyper::body::Incoming`, `StreamBody`, `BoxBody`, `UnsyncBoxBody` | no: sent once |
///
/// For a body type of your own, implement the trait (return `None` when it cannot be copied),
/// or wrap it in a [`Body`].
///
/// ```
/// use http_body_util::Full;
/// use spark_http::RequestBody;
///
/// let body = Full::new(bytes::Bytes::from_static(b"{}"));
/// assert!(body.try_clone_body().is_some());
/// ```
pub trait RequestBody: Sized {
    /// A fresh copy of the body, to be sent from its start; `None` when it can be sent once only.
    fn try_clone_body(&self) -> Option<Self>;

    /// True when the body is small and handed to the connection in one piece (or is empty), so
    /// the attempt timeout may count from when the request is sent. The default says yes, which
    /// is right for a small `Full`, `String` and the like; a streamed [`Body`], or a buffered one
    /// over 64 KiB, says no.
    fn is_sent_at_once(&self) -> bool {
        true
    }

    /// Returns the body, made to report through `sent` how its sending goes: a
    /// [`BodySent::progress`] for each piece handed to the connection, a [`BodySent::fire`] once
    /// its last byte has been (dropping `sent` unsent counts as fired). Called only when
    /// [`RequestBody::is_sent_at_once`] is false. The attempt timeout fails an upload that makes
    /// no progress for its idle timeout, and waits for the response head only once the body has
    /// gone, so a large upload on a slow link is not cut short. The default fires at once.
    fn notify_when_sent(self, sent: BodySent) -> Self {
        sent.fire();
        self
    }
}

impl RequestBody for Body {
    fn try_clone_body(&self) -> Option<Self> {
        self.try_clone()
    }

    fn is_sent_at_once(&self) -> bool {
        self.as_bytes()
            .is_some_and(|bytes| bytes.len() <= crate::body::SENT_AT_ONCE_BYTES)
    }

    fn notify_when_sent(self, sent: BodySent) -> Self {
        self.signal_when_sent(sent)
    }
}

impl<D: Buf + Clone> RequestBody for http_body_util::Full<D> {
    fn try_clone_body(&self) -> Option<Self> {
        Some(self.clone())
    }
}

impl<D> RequestBody for http_body_util::Empty<D> {
    fn try_clone_body(&self) -> Option<Self> {
        Some(http_body_util::Empty::new())
    }
}

/// Types that are their own buffered body and clone whole.
macro_rules! buffered {
    ($($ty:ty),*) => {
        $(impl RequestBody for $ty {
            fn try_clone_body(&self) -> Option<Self> {
                Some(self.clone())
            }
        })*
    };
}

buffered!(String, Bytes, Vec<u8>, &'static str, ());

/// Body types that can be sent once only.
macro_rules! sent_once {
    ($($ty:ty),*) => {
        $(impl RequestBody for $ty {
            fn try_clone_body(&self) -> Option<Self> {
                None
            }
        })*
    };
}

sent_once!(hyper::body::Incoming);

impl<D, E> RequestBody for http_body_util::combinators::BoxBody<D, E> {
    fn try_clone_body(&self) -> Option<Self> {
        None
    }
}

impl<D, E> RequestBody for http_body_util::combinators::UnsyncBoxBody<D, E> {
    fn try_clone_body(&self) -> Option<Self> {
        None
    }
}

impl<S> RequestBody for http_body_util::StreamBody<S> {
    fn try_clone_body(&self) -> Option<Self> {
        None
    }
}

/// Copies a request (method, URI, version, headers, extensions and body) when its body can be
/// sent again.
pub(crate) fn try_clone_request<B: RequestBody>(
    request: &http::Request<B>,
) -> Option<http::Request<B>> {
    let body = request.body().try_clone_body()?;
    let mut copy = http::Request::new(body);
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    *copy.extensions_mut() = request.extensions().clone();
    Some(copy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_copy_keeps_method_uri_headers_and_body() {
        let request = http::Request::post("/messages")
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .expect("request");
        let copy = try_clone_request(&request).expect("buffered");
        assert_eq!(copy.method(), http::Method::POST);
        assert_eq!(copy.uri(), "/messages");
        assert_eq!(copy.headers()["content-type"], "application/json");
        assert_eq!(copy.body().as_bytes(), Some(&b"{}"[..]));
    }

    #[test]
    fn common_bodies_copy_or_refuse_as_documented() {
        assert!(
            http_body_util::Full::new(Bytes::from("x"))
                .try_clone_body()
                .is_some()
        );
        assert!(
            http_body_util::Empty::<Bytes>::new()
                .try_clone_body()
                .is_some()
        );
        assert_eq!(String::from("x").try_clone_body().as_deref(), Some("x"));
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(http_body::Frame::data(
            Bytes::from("x"),
        ))]);
        assert!(
            http_body_util::StreamBody::new(stream)
                .try_clone_body()
                .is_none()
        );
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("x"))]);
        assert!(Body::from_stream(stream).try_clone_body().is_none());
    }

    #[tokio::test]
    async fn the_default_notice_fires_at_once() {
        let (watch, sent) = crate::send_progress::SendWatch::start();
        let _body = String::from("x").notify_when_sent(sent);
        let mut cx = std::task::Context::from_waker(futures_util::task::noop_waker_ref());
        assert!(matches!(
            watch.poll_state(&mut cx),
            crate::send_progress::Sending::Sent(_)
        ));
    }

    #[test]
    fn only_small_buffered_bodies_are_sent_at_once() {
        assert!(Body::from("{}").is_sent_at_once());
        assert!(Body::empty().is_sent_at_once());
        assert!(Body::from(vec![0; 64 * 1024]).is_sent_at_once());
        assert!(!Body::from(vec![0; 64 * 1024 + 1]).is_sent_at_once());
        let stream = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("x"))]);
        assert!(!Body::from_stream(stream).is_sent_at_once());
    }
}
