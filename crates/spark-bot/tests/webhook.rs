//! The webhook receiver: signed deliveries reach the handler; unsigned, badly signed and
//! oversized ones are refused without calling it, and a 10 MB body is not read whole. Then the
//! same bot behind axum, fed by the emulator's own deliveries.

mod support;

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, StatusCode};
use http_body::Frame;
use http_body_util::Full;
use spark_bot::{Bot, Event, EventHandler, EventKind, Rejected, WebhookReceiver};
use spark_model::{CreateWebhook, WebhookEvent, WebhookResource};
use support::*;
use tokio::sync::mpsc;
use tower::ServiceExt;

const SECRET: &str = "webhook-secret-canary";

fn delivery_body() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "id": "W1", "name": "bot", "resource": "messages", "event": "created",
        "actorId": "P1",
        "data": {"id": "M1", "roomId": "R1", "roomType": "group", "personId": "P1"}
    }))
    .unwrap()
}

/// A receiver whose handler sends each event to the returned channel.
fn receiver() -> (WebhookReceiver, mpsc::UnboundedReceiver<Event>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let handler = move |event: Event| -> Result<(), Rejected> {
        let _ = tx.send(event);
        Ok(())
    };
    let handler: Arc<dyn EventHandler> = Arc::new(handler);
    (WebhookReceiver::new(SECRET, handler).unwrap(), rx)
}

fn post(body: Vec<u8>, signature: Option<String>) -> Request<Full<Bytes>> {
    let mut request = Request::post("/webhook");
    if let Some(signature) = signature {
        request = request.header("X-Spark-Signature", signature);
    }
    request.body(Full::new(Bytes::from(body))).unwrap()
}

#[tokio::test]
async fn a_signed_delivery_reaches_the_handler() {
    let (receiver, mut events) = receiver();
    let body = delivery_body();
    let signature = spark_api::webhook::sign(SECRET.as_bytes(), &body).unwrap();
    let answer = receiver.oneshot(post(body, Some(signature))).await.unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    let event = events.try_recv().expect("handed on at once");
    assert_eq!(event.kind, EventKind::MessageCreated);
    assert_eq!(event.data.id.as_deref(), Some("M1"));
    assert_eq!(event.actor_id.as_deref(), Some("P1"));
}

#[tokio::test]
async fn missing_or_wrong_signatures_are_refused_without_a_handler_call() {
    let (receiver, mut events) = receiver();
    let body = delivery_body();
    let wrong = spark_api::webhook::sign(b"another secret", &body).unwrap();
    let mut tampered = body.clone();
    tampered[10] ^= 1;
    let right_for_original = spark_api::webhook::sign(SECRET.as_bytes(), &body).unwrap();
    for request in [
        post(body.clone(), None),
        post(body.clone(), Some(wrong)),
        post(body.clone(), Some("not hex".to_owned())),
        post(tampered, Some(right_for_original)),
    ] {
        let answer = receiver.clone().oneshot(request).await.unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    }
    assert!(events.try_recv().is_err(), "no handler call");
    assert!(WebhookReceiver::new(" \n", Arc::new(|_: Event| Ok(()))).is_err());
}

/// A 10 MB body sent in 64 KiB chunks, counting what is read of it, with no length announced.
struct Endless {
    left: usize,
    read: Arc<AtomicUsize>,
}

impl http_body::Body for Endless {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let chunk = self.left.min(64 * 1024);
        self.left -= chunk;
        self.read.fetch_add(chunk, Ordering::SeqCst);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'x'; chunk])))))
    }
}

#[tokio::test]
async fn a_ten_megabyte_body_is_refused_without_being_read_whole() {
    let (receiver, mut events) = receiver();
    let read = Arc::new(AtomicUsize::new(0));
    let request = Request::post("/webhook")
        .header("X-Spark-Signature", "0".repeat(40))
        .body(Endless {
            left: 10 << 20,
            read: Arc::clone(&read),
        })
        .unwrap();
    let answer = receiver.clone().oneshot(request).await.unwrap();
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let taken = read.load(Ordering::SeqCst);
    assert!(
        taken <= (1 << 20) + 64 * 1024,
        "read {taken} bytes of 10 MB"
    );

    // Announced: refused before a byte is read.
    let read = Arc::new(AtomicUsize::new(0));
    let request = Request::post("/webhook")
        .header("X-Spark-Signature", "0".repeat(40))
        .header("content-length", (10u64 << 20).to_string())
        .body(Endless {
            left: 10 << 20,
            read: Arc::clone(&read),
        })
        .unwrap();
    let answer = receiver.oneshot(request).await.unwrap();
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(read.load(Ordering::SeqCst), 0);
    assert!(events.try_recv().is_err(), "no handler call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_emulator_delivers_to_the_bot_behind_axum_and_the_bot_answers() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let bot_client = client_for(&emulator, BOT_EMAIL);
    let room = group_room(&grace, "webhooks", &[BOT_EMAIL]).await;
    let (done_tx, mut done) = mpsc::unbounded_channel();
    let bot = Bot::builder(bot_client.clone())
        .command("echo", "answers back", move |ctx, args| {
            let done_tx = done_tx.clone();
            async move {
                ctx.reply_in_thread(&args).await?;
                let _ = done_tx.send(args);
                Ok(())
            }
        })
        .build()
        .await
        .unwrap();
    let app = axum::Router::new().route_service("/webhook", bot.webhook_receiver(SECRET).unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    bot_client
        .webhooks()
        .create(
            &CreateWebhook::new(
                "bot",
                format!("http://{address}/webhook"),
                // A firehose webhook, as most bots register: deliveries still say what happened.
                WebhookResource::All,
                WebhookEvent::All,
            )
            .secret(SECRET),
        )
        .await
        .unwrap();

    mention_bot(&grace, &room.id, "echo over a webhook").await;
    let handled = tokio::time::timeout(PATIENCE, done.recv()).await.unwrap();
    assert_eq!(handled.as_deref(), Some("over a webhook"));
    server.abort();
}
