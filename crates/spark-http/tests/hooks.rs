//! Response hooks through the public API: what they see, and replays.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use http::{Method, StatusCode};
use httpmock::MockServer;
use spark_http::{Error, HookAction, HookContext, HttpClient, ResponseHooks, RetryPolicy};
use support::{paused_clock_builder, respond, scripted};

#[tokio::test]
async fn a_401_hook_sees_the_final_answer() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v1/people/me");
            then.status(401).header("trackingid", "ROUTER_7");
        })
        .await;
    let seen: Arc<Mutex<Vec<HookContext>>> = Arc::default();
    let record = seen.clone();
    let hooks = ResponseHooks::new().on_status(StatusCode::UNAUTHORIZED, move |ctx| {
        record.lock().unwrap().push(ctx);
        HookAction::Continue
    });
    let client = HttpClient::builder()
        .base_url(&server.url("/v1"))
        .unwrap()
        .access_token("T")
        .hooks(hooks)
        .build()
        .unwrap();
    let error = client.get("/people/me").await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized { .. }));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].status, StatusCode::UNAUTHORIZED);
    assert_eq!(seen[0].method, Method::GET);
    assert_eq!(seen[0].uri.to_string(), server.url("/v1/people/me"));
    assert_eq!(seen[0].headers["trackingid"], "ROUTER_7");
}

#[tokio::test]
async fn replay_replays_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST").path("/v1/messages");
            then.status(409);
        })
        .await;
    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let hooks = ResponseHooks::new().on_status(StatusCode::CONFLICT, move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
        HookAction::Replay
    });
    let client = HttpClient::builder()
        .base_url(&server.url("/v1"))
        .unwrap()
        .hooks(hooks)
        .build()
        .unwrap();
    let response = client.post_json("/messages", &"x").await.unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);
    assert_eq!(mock.calls_async().await, 2);
    assert_eq!(asked.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn hooks_see_answers_after_retries_and_replays_go_through_retry() {
    let (service, log) = scripted(|_, _| Ok(respond(503, &[], "")));
    let hook_calls = Arc::new(AtomicUsize::new(0));
    let counter = hook_calls.clone();
    let hooks = ResponseHooks::new().max_replays(2).on_status_async(
        StatusCode::SERVICE_UNAVAILABLE,
        move |_| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                HookAction::Replay
            }
        },
    );
    let client = paused_clock_builder()
        .retry(RetryPolicy::default().jitter(false).max_attempts(2))
        .hooks(hooks)
        .build_with_service(service);
    let response = client.get("/rooms").await.unwrap();
    assert_eq!(response.status(), 503);
    assert_eq!(
        hook_calls.load(Ordering::SeqCst),
        3,
        "once per final answer"
    );
    assert_eq!(
        log.count(),
        3 * 2,
        "two attempts for the call and each of two replays"
    );
}

#[tokio::test]
async fn plain_and_async_hooks_and_predicates_all_run_in_order() {
    let (service, _) = scripted(|_, _| Ok(respond(404, &[], "")));
    let order: Arc<Mutex<Vec<&'static str>>> = Arc::default();
    let (a, b, c) = (order.clone(), order.clone(), order.clone());
    let hooks = ResponseHooks::new()
        .on_status(StatusCode::NOT_FOUND, move |_| {
            a.lock().unwrap().push("plain");
            HookAction::Continue
        })
        .on_status_async(StatusCode::NOT_FOUND, move |_| {
            let b = b.clone();
            async move {
                b.lock().unwrap().push("async");
                HookAction::Continue
            }
        })
        .on_match(
            |status, _| status.is_client_error(),
            move |_| {
                c.lock().unwrap().push("predicate");
                HookAction::Continue
            },
        )
        .on_status(StatusCode::OK, |_| panic!("not a 200"));
    let client = HttpClient::builder()
        .hooks(hooks)
        .build_with_service(service);
    assert_eq!(client.get("/x").await.unwrap().status(), 404);
    assert_eq!(*order.lock().unwrap(), ["plain", "async", "predicate"]);
}

#[tokio::test]
async fn a_streamed_body_is_not_replayed_by_a_hook() {
    let (service, log) = scripted(|_, _| Ok(respond(409, &[], "")));
    let hooks = ResponseHooks::new().on_status(StatusCode::CONFLICT, |_| HookAction::Replay);
    let client = HttpClient::builder()
        .hooks(hooks)
        .build_with_service(service);
    let chunks = [Ok::<_, std::io::Error>(bytes::Bytes::from("{}"))];
    let request = http::Request::post("/messages")
        .body(spark_http::Body::from_stream(futures_util::stream::iter(
            chunks,
        )))
        .unwrap();
    assert_eq!(client.send(request).await.unwrap().status(), 409);
    assert_eq!(log.count(), 1);
}
