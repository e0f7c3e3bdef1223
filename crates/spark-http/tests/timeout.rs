//! The per-attempt timeout counts from the end of the request body to the response head.

mod support;

use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use http::Request;
use spark_http::{Body, Error, RetryPolicy};
use support::{paused_clock_builder, respond, scripted};

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
    assert_eq!(log.count(), 1);
    assert_eq!(started.elapsed(), Duration::from_secs(30 + 5));
}
