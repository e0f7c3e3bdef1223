//! Other people's tower layers inside our stack, added with `HttpClientBuilder::layer` to a client
//! over hyper talking to a loopback server: tower-http's `TraceLayer`, `DecompressionLayer`,
//! `SetRequestHeaderLayer` and request-id layers, tower's `ConcurrencyLimitLayer`,
//! `RateLimitLayer` (whose service is not `Clone`) and `BufferLayer`.
//!
//! Each client is built the way a user would build it, and its call is answered 429
//! (`Retry-After: 0`) and then 200: the test proves that the layer fits (it builds), that it runs
//! on every attempt (it sits inside retry: what it adds is on both requests, or a layer of ours
//! beneath it sees attempts 1 and 2), and that the call ends with the 200 and its body. The limits
//! are also shown to hold across the concurrent calls of one client.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Request, Response};
use httpmock::{HttpMockResponse, MockServer};
use spark_http::retry::Attempt;
use spark_http::{Body, BoxError, HttpClient, HttpClientBuilder, HttpService};
use tower::ServiceExt;
use tower::buffer::BufferLayer;
use tower::limit::{ConcurrencyLimitLayer, RateLimitLayer};
use tower::util::MapRequestLayer;
use tower_http::decompression::DecompressionLayer;
use tower_http::request_id::{
    MakeRequestId, MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetRequestHeaderLayer;
use tower_http::trace::TraceLayer;

type TestResult = Result<(), BoxError>;

/// The body of the 200 every scripted call ends with.
const THING: &str = r#"{"id":"T1","title":"the thing"}"#;

/// The most any step of a test may take: nothing here waits on purpose for more than 200 ms, so
/// reaching this means the step hangs.
const HANG: Duration = Duration::from_secs(10);

/// Awaits `future`, failing the test if it does not finish within [`HANG`].
#[track_caller]
fn bounded<F: Future>(future: F) -> impl Future<Output = F::Output> {
    let step = std::panic::Location::caller();
    async move {
        match tokio::time::timeout(HANG, future).await {
            Ok(output) => output,
            Err(_) => panic!("the step at {step} did not finish within {:?}", HANG),
        }
    }
}

/// The headers of the requests a scripted server received, in order.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<HeaderMap>>>);

impl Log {
    fn all(&self) -> Vec<HeaderMap> {
        self.0.lock().unwrap().clone()
    }

    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// The value of header `name` on each request (`None` where it was missing).
    fn header(&self, name: &str) -> Vec<Option<String>> {
        self.all()
            .iter()
            .map(|headers| {
                headers
                    .get(name)
                    .map(|value| value.to_str().unwrap().to_owned())
            })
            .collect()
    }
}

/// An httpmock server answering every request to `/v1/things` with `answers[n]` for the n-th
/// request it receives (from 0; the last answer for any later one), recording each request.
async fn scripted_server(answers: Vec<HttpMockResponse>) -> (MockServer, Log) {
    assert!(!answers.is_empty());
    let server = MockServer::start_async().await;
    let log = Log::default();
    let record = log.clone();
    server
        .mock_async(move |when, then| {
            when.path("/v1/things");
            then.respond_with(move |request| {
                let n = {
                    let mut all = record.0.lock().unwrap();
                    all.push(request.headers());
                    all.len() - 1
                };
                answers[n.min(answers.len() - 1)].clone()
            });
        })
        .await;
    (server, log)
}

/// A 429 asking for a retry at once.
fn rate_limited() -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(429)
        .header("retry-after", "0")
        .header("content-type", "application/json")
        .body(r#"{"message":"Too many requests"}"#)
        .build()
}

/// A 200 with [`THING`].
fn ok() -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(THING)
        .build()
}

/// A server answering 429 (`Retry-After: 0`), then 200 with [`THING`].
async fn rate_limited_then_ok() -> (MockServer, Log) {
    scripted_server(vec![rate_limited(), ok()]).await
}

/// A client builder for `server` with a bare token, as a user writes it.
fn builder_for(server: &MockServer) -> Result<HttpClientBuilder, BoxError> {
    Ok(HttpClient::builder()
        .base_url(&server.url("/v1"))?
        .access_token("t"))
}

/// `GET /things`: asserts a 200 with [`THING`], answered after `attempts` attempts.
async fn get_thing(client: &HttpClient, attempts: u32) -> TestResult {
    let response = bounded(client.get("/things")).await?;
    assert_eq!(response.status(), 200);
    assert_eq!(Attempt::of_response(&response), attempts);
    let body = bounded(response.into_body().collect_limited(1 << 16)).await?;
    assert_eq!(body, THING);
    Ok(())
}

/// A layer of ours, put beneath the layer under test: notes the attempt number of each request
/// that came through it.
fn note_attempts(
    seen: Arc<Mutex<Vec<u32>>>,
) -> MapRequestLayer<impl FnMut(Request<Body>) -> Request<Body> + Clone + Send + Sync + 'static> {
    MapRequestLayer::new(move |request: Request<Body>| {
        seen.lock().unwrap().push(Attempt::of_request(&request));
        request
    })
}

#[tokio::test]
async fn trace_layer_sees_both_attempts() -> TestResult {
    let (server, log) = rate_limited_then_ok().await;
    let requests: Arc<Mutex<Vec<(u32, bool)>>> = Arc::default();
    let statuses: Arc<Mutex<Vec<u16>>> = Arc::default();
    let (on_request, on_response) = (requests.clone(), statuses.clone());
    let trace = TraceLayer::new_for_http()
        .on_request(move |request: &Request<Body>, _span: &tracing::Span| {
            let has_token = request.headers().contains_key("authorization");
            let attempt = Attempt::of_request(request);
            on_request.lock().unwrap().push((attempt, has_token));
        })
        .on_response(
            move |response: &Response<_>, _latency: Duration, _span: &tracing::Span| {
                on_response.lock().unwrap().push(response.status().as_u16());
            },
        );
    let client = builder_for(&server)?.layer(trace).build()?;

    get_thing(&client, 2).await?;
    assert_eq!(log.count(), 2);
    assert_eq!(*requests.lock().unwrap(), [(1, true), (2, true)]);
    assert_eq!(*statuses.lock().unwrap(), [429, 200]);

    // And the layer as tower-http's documentation shows it, defaults and all.
    let (server, log) = rate_limited_then_ok().await;
    let client = builder_for(&server)?
        .layer(TraceLayer::new_for_http())
        .build()?;
    get_thing(&client, 2).await?;
    assert_eq!(log.count(), 2);
    Ok(())
}

#[tokio::test]
async fn decompression_layer_hands_back_the_json_a_gzip_answer_held() -> TestResult {
    let gzip = |text: &str| {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    };
    let compressed = gzip(THING);
    assert_ne!(compressed, THING.as_bytes());
    let gzipped_429 = HttpMockResponse::builder()
        .status(429)
        .header("retry-after", "0")
        .header("content-encoding", "gzip")
        .body(gzip(r#"{"message":"Too many requests"}"#))
        .build();
    let gzipped_200 = HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(compressed)
        .build();
    let (server, log) = scripted_server(vec![gzipped_429, gzipped_200]).await;
    let client = builder_for(&server)?
        .layer(DecompressionLayer::new())
        .build()?;

    let response = bounded(client.get("/things")).await?;
    assert_eq!(response.status(), 200);
    assert!(!response.headers().contains_key("content-encoding"));
    let body = bounded(response.into_body().collect_limited(1 << 16)).await?;
    assert_eq!(body, THING);
    // The layer asked for gzip on both attempts.
    for accept in log.header("accept-encoding") {
        assert!(
            accept
                .as_deref()
                .is_some_and(|value| value.contains("gzip")),
            "{accept:?}"
        );
    }
    assert_eq!(log.count(), 2);
    Ok(())
}

#[tokio::test]
async fn set_request_header_layer_sets_its_header_on_every_attempt() -> TestResult {
    let (server, log) = rate_limited_then_ok().await;
    let client = builder_for(&server)?
        .layer(SetRequestHeaderLayer::overriding(
            HeaderName::from_static("x-tenant"),
            HeaderValue::from_static("acme"),
        ))
        .build()?;

    get_thing(&client, 2).await?;
    assert_eq!(
        log.header("x-tenant"),
        [Some("acme".into()), Some("acme".into())]
    );
    assert_eq!(
        log.header("authorization"),
        [Some("Bearer t".into()), Some("Bearer t".into())]
    );
    Ok(())
}

/// Request ids from a counter: `req-1`, `req-2`, ...
#[derive(Clone, Default)]
struct Counter(Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        Some(RequestId::new(
            HeaderValue::from_str(&format!("req-{n}")).ok()?,
        ))
    }
}

#[tokio::test]
async fn request_id_layers_give_each_attempt_its_own_id() -> TestResult {
    let (server, log) = rate_limited_then_ok().await;
    let client = builder_for(&server)?
        .layer(SetRequestIdLayer::x_request_id(Counter::default()))
        .layer(PropagateRequestIdLayer::x_request_id())
        .build()?;

    let response = bounded(client.get("/things")).await?;
    assert_eq!(response.status(), 200);
    // Each attempt got an id; the answer carries the id of the attempt that was answered.
    assert_eq!(
        log.header("x-request-id"),
        [Some("req-1".into()), Some("req-2".into())]
    );
    assert_eq!(response.headers()["x-request-id"], "req-2");
    let body = bounded(response.into_body().collect_limited(1 << 16)).await?;
    assert_eq!(body, THING);

    // The same with tower-http's UUIDs.
    let (server, log) = rate_limited_then_ok().await;
    let client = builder_for(&server)?
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .build()?;
    get_thing(&client, 2).await?;
    let ids: Vec<String> = log.header("x-request-id").into_iter().flatten().collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_ne!(ids[0], ids[1]);
    assert!(ids.iter().all(|id| id.len() == 36), "{ids:?}");
    Ok(())
}

#[tokio::test]
async fn concurrency_limit_layer_passes_both_attempts() -> TestResult {
    let (server, log) = rate_limited_then_ok().await;
    let seen: Arc<Mutex<Vec<u32>>> = Arc::default();
    let client = builder_for(&server)?
        .layer(ConcurrencyLimitLayer::new(1))
        .layer(note_attempts(seen.clone()))
        .build()?;

    get_thing(&client, 2).await?;
    assert_eq!(*seen.lock().unwrap(), [1, 2]);
    assert_eq!(log.count(), 2);
    Ok(())
}

#[tokio::test]
async fn concurrency_limit_layer_holds_the_second_of_two_concurrent_calls() -> TestResult {
    let (server, log) = scripted_server(vec![ok()]).await;
    // A layer of ours beneath the limit: counts the requests that got through it, and holds each
    // until the test lets it go.
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let (arrived_tx, mut arrived) = tokio::sync::watch::channel(0usize);
    let arrived_tx = Arc::new(arrived_tx);
    let held = {
        let gate = gate.clone();
        tower::layer::layer_fn(move |inner: HttpService| {
            let (gate, arrived_tx) = (gate.clone(), arrived_tx.clone());
            tower::service_fn(move |request: Request<Body>| {
                let (inner, gate, arrived_tx) = (inner.clone(), gate.clone(), arrived_tx.clone());
                async move {
                    arrived_tx.send_modify(|n| *n += 1);
                    let _pass = gate.acquire().await.map_err(BoxError::from)?;
                    inner.oneshot(request).await.map_err(BoxError::from)
                }
            })
        })
    };
    let client = builder_for(&server)?
        .layer(ConcurrencyLimitLayer::new(1))
        .layer(held)
        .build()?;

    let calls: Vec<_> = (0..2)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get("/things").await.map(|r| r.status()) })
        })
        .collect();
    bounded(arrived.wait_for(|n| *n >= 1)).await?;
    // The limit keeps the second call out while the first is in flight.
    let second = tokio::time::timeout(Duration::from_millis(100), arrived.wait_for(|n| *n >= 2));
    assert!(second.await.is_err(), "the second call got past the limit");
    gate.add_permits(2);
    for call in calls {
        assert_eq!(bounded(call).await??, 200);
    }
    assert_eq!(*arrived.borrow(), 2);
    assert_eq!(log.count(), 2);
    Ok(())
}

#[tokio::test]
async fn rate_limit_layer_passes_both_attempts() -> TestResult {
    let (server, log) = rate_limited_then_ok().await;
    let seen: Arc<Mutex<Vec<u32>>> = Arc::default();
    let client = builder_for(&server)?
        .layer(RateLimitLayer::new(100, Duration::from_secs(1)))
        .layer(note_attempts(seen.clone()))
        .build()?;

    get_thing(&client, 2).await?;
    assert_eq!(*seen.lock().unwrap(), [1, 2]);
    assert_eq!(log.count(), 2);
    Ok(())
}

#[tokio::test]
async fn rate_limit_layer_counts_each_attempt() -> TestResult {
    let (server, log) = rate_limited_then_ok().await;
    let client = builder_for(&server)?
        .layer(RateLimitLayer::new(2, Duration::from_secs(3600)))
        .build()?;

    get_thing(&client, 2).await?;
    // The two attempts used the two requests the hour allows: the next call waits.
    let next = tokio::time::timeout(Duration::from_millis(100), client.get("/things")).await;
    assert!(next.is_err(), "a third request got past the limit");
    assert_eq!(log.count(), 2);
    Ok(())
}

#[tokio::test]
async fn rate_limit_layer_applies_across_concurrent_calls() -> TestResult {
    let (server, log) = scripted_server(vec![ok()]).await;
    let client = builder_for(&server)?
        .layer(RateLimitLayer::new(2, Duration::from_secs(3600)))
        .build()?;

    let mut calls: tokio::task::JoinSet<_> = (0..3)
        .map(|_| {
            let client = client.clone();
            async move { client.get("/things").await.map(|r| r.status()) }
        })
        .collect();
    for _ in 0..2 {
        let status = bounded(calls.join_next()).await.expect("a call")??;
        assert_eq!(status, 200);
    }
    let third = tokio::time::timeout(Duration::from_millis(150), calls.join_next()).await;
    assert!(third.is_err(), "the third call got past the limit");
    assert_eq!(log.count(), 2);
    calls.abort_all();
    Ok(())
}

#[tokio::test]
async fn buffer_layer_passes_both_attempts() -> TestResult {
    let (server, log) = rate_limited_then_ok().await;
    let seen: Arc<Mutex<Vec<u32>>> = Arc::default();
    let client = builder_for(&server)?
        .layer(BufferLayer::<Request<Body>>::new(4))
        .layer(note_attempts(seen.clone()))
        .build()?;

    get_thing(&client, 2).await?;
    assert_eq!(*seen.lock().unwrap(), [1, 2]);
    assert_eq!(log.count(), 2);
    Ok(())
}
