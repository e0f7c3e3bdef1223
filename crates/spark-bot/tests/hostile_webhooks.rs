//! Odd and hostile deliveries to the webhook receiver: every wait is bounded, nothing panics,
//! and only a well-signed delivery reaches the handler, however its body arrives.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, StatusCode};
use http_body::Frame;
use http_body_util::{Full, StreamBody};
use spark_bot::{Event, EventHandler, Rejected, WebhookReceiver};
use tokio::sync::mpsc;
use tower::ServiceExt;

const SECRET: &str = "hostile-secret";

fn delivery_body() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "id": "W1", "resource": "messages", "event": "created",
        "data": {"id": "M1", "roomId": "R1", "personId": "P1"}
    }))
    .unwrap()
}

fn receiver() -> (WebhookReceiver, mpsc::UnboundedReceiver<Event>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let handler = move |event: Event| -> Result<(), Rejected> {
        let _ = tx.send(event);
        Ok(())
    };
    let handler: Arc<dyn EventHandler> = Arc::new(handler);
    (WebhookReceiver::new(SECRET, handler).unwrap(), rx)
}

fn signature(body: &[u8]) -> String {
    spark_api::webhook::sign(SECRET.as_bytes(), body).unwrap()
}

/// A body that sends some bytes, then never another.
struct Stalls {
    sent: bool,
}

impl http_body::Body for Stalls {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.sent {
            return Poll::Pending;
        }
        self.sent = true;
        Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(b"{\"id\":")))))
    }
}

#[tokio::test(start_paused = true)]
async fn a_body_that_stalls_is_answered_408_after_the_read_timeout() {
    let (receiver, mut events) = receiver();
    let request = Request::post("/webhook")
        .header("X-Spark-Signature", "0".repeat(40))
        .body(Stalls { sent: false })
        .unwrap();
    let started = tokio::time::Instant::now();
    let answer = receiver
        .read_timeout(Duration::from_secs(3))
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::REQUEST_TIMEOUT);
    assert_eq!(started.elapsed(), Duration::from_secs(3));
    assert!(events.try_recv().is_err());
}

#[tokio::test]
async fn a_chunked_body_in_tiny_pieces_is_taken_whole() {
    let (receiver, mut events) = receiver();
    let body = delivery_body();
    let signature = signature(&body);
    let frames: Vec<Result<Frame<Bytes>, Infallible>> = body
        .chunks(3)
        .map(|chunk| Ok(Frame::data(Bytes::copy_from_slice(chunk))))
        .collect();
    let request = Request::post("/webhook")
        .header("X-Spark-Signature", signature)
        .header("transfer-encoding", "chunked")
        .body(StreamBody::new(futures_util::stream::iter(frames)))
        .unwrap();
    let answer = receiver.oneshot(request).await.unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    assert_eq!(events.try_recv().unwrap().data.id.as_deref(), Some("M1"));
}

#[tokio::test]
async fn the_content_type_does_not_matter_the_signature_does() {
    let (receiver, mut events) = receiver();
    let body = delivery_body();
    for content_type in ["text/plain", "application/x-www-form-urlencoded", ""] {
        let request = Request::post("/webhook")
            .header("X-Spark-Signature", signature(&body))
            .header("content-type", content_type)
            .body(Full::new(Bytes::from(body.clone())))
            .unwrap();
        let answer = receiver.clone().oneshot(request).await.unwrap();
        assert_eq!(answer.status(), StatusCode::NO_CONTENT, "{content_type:?}");
        assert!(events.try_recv().is_ok());
    }
}

/// What is sent, its headers, and the answer it must get.
type Case<'a> = (&'a str, Vec<(&'a str, Vec<u8>)>, StatusCode);

#[tokio::test]
async fn huge_odd_or_lying_headers_are_refused_without_a_handler_call() {
    let (receiver, mut events) = receiver();
    let body = delivery_body();
    let huge = "a".repeat(1 << 20);
    let cases: Vec<Case<'_>> = vec![
        (
            "a 1 MiB signature",
            vec![("X-Spark-Signature", huge.clone().into_bytes())],
            StatusCode::FORBIDDEN,
        ),
        (
            "a signature that is not text",
            vec![("X-Spark-Signature", vec![0xff, 0xfe, b'a'])],
            StatusCode::FORBIDDEN,
        ),
        (
            "a good signature and a 1 MiB header besides",
            vec![
                ("X-Spark-Signature", signature(&body).into_bytes()),
                ("X-Padding", huge.clone().into_bytes()),
            ],
            StatusCode::NO_CONTENT,
        ),
        (
            "a content-length that is not a number",
            vec![
                ("X-Spark-Signature", signature(&body).into_bytes()),
                ("content-length", b"12abc".to_vec()),
            ],
            StatusCode::NO_CONTENT,
        ),
        (
            "a content-length past u64",
            vec![
                ("X-Spark-Signature", signature(&body).into_bytes()),
                ("content-length", b"99999999999999999999999".to_vec()),
            ],
            StatusCode::NO_CONTENT,
        ),
        (
            "two signatures, the first wrong",
            vec![
                ("X-Spark-Signature", b"0000".to_vec()),
                ("X-Spark-Signature", signature(&body).into_bytes()),
            ],
            StatusCode::FORBIDDEN,
        ),
    ];
    for (what, headers, status) in cases {
        let mut request = Request::post("/webhook");
        for (name, value) in headers {
            request = request.header(name, http::HeaderValue::from_bytes(&value).unwrap());
        }
        let request = request.body(Full::new(Bytes::from(body.clone()))).unwrap();
        let answer = receiver.clone().oneshot(request).await.unwrap();
        assert_eq!(answer.status(), status, "{what}");
        let handled = events.try_recv().is_ok();
        assert_eq!(handled, status == StatusCode::NO_CONTENT, "{what}");
    }
}

#[tokio::test]
async fn other_methods_bodies_that_fail_and_non_json_are_refused() {
    let (receiver, mut events) = receiver();
    let body = delivery_body();
    let get = Request::get("/webhook")
        .header("X-Spark-Signature", signature(&body))
        .body(Full::new(Bytes::from(body.clone())))
        .unwrap();
    assert_eq!(
        receiver.clone().oneshot(get).await.unwrap().status(),
        StatusCode::METHOD_NOT_ALLOWED
    );

    let frames: Vec<Result<Frame<Bytes>, std::io::Error>> = vec![
        Ok(Frame::data(Bytes::from_static(b"{"))),
        Err(std::io::Error::other("connection reset")),
    ];
    let broken = Request::post("/webhook")
        .header("X-Spark-Signature", signature(&body))
        .body(StreamBody::new(futures_util::stream::iter(frames)))
        .unwrap();
    assert_eq!(
        receiver.clone().oneshot(broken).await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );

    for junk in [
        &b""[..],
        b"not json",
        b"[1,2]",
        b"{\"data\": 5}",
        &[0xff; 64],
    ] {
        let request = Request::post("/webhook")
            .header("X-Spark-Signature", signature(junk))
            .body(Full::new(Bytes::copy_from_slice(junk)))
            .unwrap();
        let status = receiver.clone().oneshot(request).await.unwrap().status();
        assert!(
            status == StatusCode::BAD_REQUEST || status == StatusCode::NO_CONTENT,
            "{junk:?}: {status}"
        );
    }
    assert!(events.try_recv().is_err(), "no handler call");
}
