//! The stack as a whole: user layers, use on its own with plain `http` requests, body limits.

mod support;

use std::sync::{Arc, Mutex};

use http::Request;
use httpmock::MockServer;
use spark_http::retry::Attempt;
use spark_http::{Body, Error, HttpClient, HttpService};
use support::{paused_clock_builder, respond, scripted};

#[tokio::test(start_paused = true)]
async fn a_user_layer_sees_every_attempt_with_its_number_and_the_token() {
    let (service, _) = scripted(|n, _| Ok(respond(if n < 2 { 503 } else { 200 }, &[], "")));
    let seen: Arc<Mutex<Vec<(u32, bool)>>> = Arc::default();
    let record = seen.clone();
    let client = paused_clock_builder()
        .access_token("T")
        .layer(tower::layer::layer_fn(move |inner: HttpService| {
            let record = record.clone();
            tower::ServiceExt::map_request(inner, move |request: Request<Body>| {
                let attempt = Attempt::of_request(&request);
                let has_token = request.headers().contains_key("authorization");
                record.lock().unwrap().push((attempt, has_token));
                request
            })
        }))
        .build_with_service(service);
    let response = client.get("/rooms").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.extensions().get::<Attempt>(), Some(&Attempt(3)));
    assert_eq!(*seen.lock().unwrap(), [(1, true), (2, true), (3, true)]);
}

#[tokio::test]
async fn tower_layers_with_their_own_errors_plug_in() {
    let (service, log) = scripted(|_, _| Ok(respond(200, &[], "")));
    let client = HttpClient::builder()
        .layer(tower::limit::ConcurrencyLimitLayer::new(2))
        .build_with_service(service);
    let calls = (0..8).map(|_| client.get("/rooms"));
    for response in futures_util::future::join_all(calls).await {
        assert_eq!(response.unwrap().status(), 200);
    }
    assert_eq!(log.count(), 8);
}

#[tokio::test]
async fn used_alone_it_sends_a_plain_http_request_and_streams_the_answer() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v1/people/me")
                .header("authorization", "Bearer T")
                .header_exists("user-agent");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"id":"Y2lzY29zcGFyazovL3VzL1BFT1BMRS8x"}"#);
        })
        .await;
    let client = HttpClient::builder()
        .base_url(&server.url("/v1"))
        .unwrap()
        .access_token("T")
        .build()
        .unwrap();
    let request = Request::get(server.url("/v1/people/me"))
        .body(Body::empty())
        .unwrap();
    let response = client.send(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body = response.into_body().collect_limited(1024).await.unwrap();
    assert_eq!(body, r#"{"id":"Y2lzY29zcGFyazovL3VzL1BFT1BMRS8x"}"#);

    // The same call through the bare tower service.
    let response = tower::ServiceExt::oneshot(
        client.service(),
        Request::get("/people/me").body(Body::empty()).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_typed_error() {
    let server = MockServer::start_async().await;
    let big = "x".repeat(100_000);
    server
        .mock_async(|when, then| {
            when.path("/v1/big");
            then.status(200).body(big);
        })
        .await;
    let client = HttpClient::builder()
        .base_url(&server.url("/v1"))
        .unwrap()
        .build()
        .unwrap();
    let body = client.get("/big").await.unwrap().into_body();
    assert!(matches!(
        body.collect_limited(10_000).await,
        Err(Error::BodyTooLarge { limit: 10_000 })
    ));
    let body = client.get("/big").await.unwrap().into_body();
    assert_eq!(body.collect_limited(100_000).await.unwrap().len(), 100_000);
}

#[tokio::test]
async fn no_client_needs_a_runtime_to_be_built() {
    std::thread::spawn(|| {
        let client = HttpClient::builder().access_token("T").build().unwrap();
        let _service: HttpService = client.service();
    })
    .join()
    .unwrap();
}
