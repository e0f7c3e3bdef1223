//! The timeouts of a call, on the paused clock: the head timeout counts from the end of the
//! request body to the response head; the idle timeout fails an upload or a download that stops
//! moving (and only one that stops); the body timeout bounds reading a body whole, error answers
//! included.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use http::{Request, Response};
use http_body_util::BodyExt;
use spark_http::{Body, Error, HttpClientBuilder, ResponseBody, RetryPolicy, TimeoutKind};
use support::{paused_clock_builder, respond, scripted};
use tokio::time::Instant;

const SECOND: Duration = Duration::from_secs(1);

/// `call`'s outcome, or a failure if it is still running after an hour (of the paused clock):
/// longer than any timeout here, so the call hung.
async fn within_an_hour<T>(call: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(3600), call)
        .await
        .expect("the call ended")
}

/// A body of three chunks, ten seconds apart.
fn slow_body() -> Body {
    let chunks = futures_util::stream::iter(0..3).then(|n| async move {
        tokio::time::sleep(Duration::from_secs(10)).await;
        Ok::<_, std::io::Error>(Bytes::from(format!("chunk {n};")))
    });
    Body::from_stream(chunks)
}

#[tokio::test(start_paused = true)]
async fn an_upload_slower_than_the_timeout_is_not_cut_short() {
    let (service, log) = scripted(|_, _| Ok(respond(200, &[], "{}")));
    let client = paused_clock_builder()
        .timeout(Some(Duration::from_secs(5)))
        .build_with_service(service);
    let request = Request::post("/messages").body(slow_body()).unwrap();
    let response = client.send(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(log.all()[0].body, "chunk 0;chunk 1;chunk 2;");
}

#[tokio::test(start_paused = true)]
async fn the_wait_for_the_answer_after_the_body_is_bounded() {
    let (service, log) = scripted(|_, _| Ok(respond(200, &[], "{}")));
    let silent = tower::ServiceExt::and_then(service, |response| async move {
        std::future::pending::<()>().await;
        Ok::<_, Error>(response)
    });
    let client = paused_clock_builder()
        .timeout(Some(Duration::from_secs(5)))
        .retry(RetryPolicy::never())
        .build_with_service(silent);
    let started = tokio::time::Instant::now();
    let request = Request::post("/messages").body(slow_body()).unwrap();
    let error = client.send(request).await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(error.timeout_kind(), Some(TimeoutKind::Head));
    assert!(error.to_string().contains("response head"), "{error}");
    assert_eq!(log.count(), 1);
    assert_eq!(started.elapsed(), Duration::from_secs(30 + 5));
}

/// The default timeouts, on the paused clock, over `service`'s answers.
fn with_default_timeouts() -> HttpClientBuilder {
    paused_clock_builder()
        .timeout(Some(Duration::from_secs(60)))
        .idle_timeout(Some(Duration::from_secs(30)))
        .body_timeout(Some(Duration::from_secs(60)))
        .retry(RetryPolicy::never())
}

/// A body of `chunks` pieces, `gap` apart (the first after one gap), then silence for ever.
fn paced_then_stalled(chunks: usize, gap: Duration) -> ResponseBody {
    let paced = futures_util::stream::iter(0..chunks).then(move |n| async move {
        tokio::time::sleep(gap).await;
        Ok::<_, std::io::Error>(http_body::Frame::data(Bytes::from(format!("{n:03};"))))
    });
    let stalled = paced.chain(futures_util::stream::pending());
    ResponseBody::new(http_body_util::StreamBody::new(stalled))
}

fn answer_with(body: ResponseBody, status: u16) -> Response<ResponseBody> {
    let mut response = Response::new(body);
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
    response
}

#[tokio::test(start_paused = true)]
async fn a_body_trickled_a_byte_a_second_is_read_whole_within_the_body_timeout() {
    let (service, _) = scripted(|_, _| Ok(answer_with(paced_then_stalled(1000, SECOND), 200)));
    let client = with_default_timeouts().build_with_service(service);

    let response = client.get("/people/me").await.unwrap();
    let head_at = Instant::now();
    let error = within_an_hour(response.into_body().collect_limited(1 << 20))
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::Timeout {
                kind: TimeoutKind::Body,
                limit
            } if limit == Duration::from_secs(60)
        ),
        "{error:?}"
    );
    assert!(error.is_timeout());
    assert_eq!(head_at.elapsed(), Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn a_body_that_keeps_moving_streams_for_as_long_as_it_takes_and_a_stall_ends_it() {
    // Sixty pieces ten seconds apart (ten minutes in all), then nothing.
    let (service, _) = scripted(|_, _| {
        Ok(answer_with(
            paced_then_stalled(60, Duration::from_secs(10)),
            200,
        ))
    });
    let client = with_default_timeouts().build_with_service(service);

    let mut body = client.get("/contents/C1").await.unwrap().into_body();
    let started = Instant::now();
    let mut pieces = 0;
    let error = loop {
        match within_an_hour(body.frame()).await {
            Some(Ok(_)) => pieces += 1,
            Some(Err(error)) => break error,
            None => panic!("the body does not end"),
        }
    };

    assert_eq!(pieces, 60);
    assert_eq!(
        error.timeout_kind(),
        Some(TimeoutKind::ResponseIdle),
        "{error:?}"
    );
    assert!(error.to_string().contains("stalled"), "{error}");
    assert_eq!(started.elapsed(), Duration::from_secs(600 + 30));
}

#[tokio::test(start_paused = true)]
async fn an_error_answer_trickled_ends_at_the_body_timeout_with_what_came() {
    let (service, _) = scripted(|_, _| Ok(answer_with(paced_then_stalled(1000, SECOND), 429)));
    let client = with_default_timeouts().build_with_service(service);
    let started = Instant::now();

    let error = within_an_hour(client.get("/rooms")).await.unwrap_err();

    match &error {
        Error::RateLimited { body, .. } => assert_eq!(body.len(), 60 * 4, "{body:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(started.elapsed(), Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn an_answer_that_arrives_at_once_is_read_whatever_the_timeouts() {
    let (service, _) = scripted(|_, _| Ok(respond(200, &[], r#"{"id":"P1"}"#)));
    let client = paused_clock_builder()
        .timeout(Some(Duration::from_nanos(1)))
        .idle_timeout(Some(Duration::from_nanos(1)))
        .body_timeout(Some(Duration::from_nanos(1)))
        .build_with_service(service);

    let body = client.get("/people/me").await.unwrap().into_body();
    assert_eq!(body.collect_limited(1024).await.unwrap(), r#"{"id":"P1"}"#);
}

/// A service that reads `frames` frames of each request body, then stops reading it (keeping
/// it) and never answers; `read` counts the frames it took.
fn stops_reading_after(
    frames: usize,
    read: Arc<AtomicUsize>,
) -> impl tower::Service<
    Request<Body>,
    Response = Response<ResponseBody>,
    Error = Error,
    Future = impl Send,
> + Clone
+ Send
+ Sync
+ 'static {
    tower::service_fn(move |request: Request<Body>| {
        let read = read.clone();
        async move {
            let mut body = request.into_body();
            for _ in 0..frames {
                tokio::time::sleep(SECOND).await;
                if body.frame().await.is_none() {
                    break;
                }
                read.fetch_add(1, Ordering::SeqCst);
            }
            std::future::pending::<()>().await;
            Ok::<_, Error>(Response::new(ResponseBody::empty()))
        }
    })
}

/// An upload of 64 KiB pieces that never ends.
fn endless_upload() -> Body {
    let piece = Bytes::from(vec![b'x'; 64 * 1024]);
    Body::from_stream(futures_util::stream::repeat_with(move || {
        Ok::<_, std::io::Error>(piece.clone())
    }))
}

#[tokio::test(start_paused = true)]
async fn an_upload_the_server_stops_reading_fails_at_the_idle_timeout() {
    let read = Arc::new(AtomicUsize::new(0));
    let client = with_default_timeouts().build_with_service(stops_reading_after(5, read.clone()));
    let started = Instant::now();

    let request = Request::post("/messages").body(endless_upload()).unwrap();
    let error = within_an_hour(client.send(request)).await.unwrap_err();

    assert_eq!(read.load(Ordering::SeqCst), 5);
    assert!(
        matches!(
            error,
            Error::Timeout {
                kind: TimeoutKind::RequestIdle,
                limit
            } if limit == Duration::from_secs(30)
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("stopped reading"), "{error}");
    // The last piece went at 5 s; nothing after it for 30 s.
    assert_eq!(started.elapsed(), Duration::from_secs(5 + 30));
}

#[tokio::test(start_paused = true)]
async fn a_large_buffered_upload_on_a_slow_link_is_not_cut_short() {
    // A megabyte in memory, taken a 64 KiB piece every 5 s: 80 s in all, longer than the head
    // timeout, with no wait as long as the idle timeout.
    let service = tower::service_fn(|request: Request<Body>| async move {
        let mut body = request.into_body();
        let mut received = 0;
        while let Some(frame) = body.frame().await {
            received += frame.map_err(Error::Body)?.into_data().unwrap().len();
            tokio::time::sleep(Duration::from_secs(5)).await;
        }
        Ok::<_, Error>(respond(200, &[], &received.to_string()))
    });
    let client = with_default_timeouts().build_with_service(service);
    let started = Instant::now();

    let request = Request::post("/messages")
        .body(Body::from(vec![0u8; 1024 * 1024]))
        .unwrap();
    let response = within_an_hour(client.send(request)).await.unwrap();

    let body = response.into_body().collect_limited(64).await.unwrap();
    assert_eq!(body, "1048576");
    assert_eq!(started.elapsed(), Duration::from_secs(16 * 5));
}
