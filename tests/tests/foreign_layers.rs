//! Other people's tower layers in the whole client, added with `spark_api::Client::builder().layer`:
//! tower-http's `TraceLayer` and tower's `RateLimitLayer` (whose service is not `Clone`). Against
//! the emulator answering the first request 429 (`Retry-After: 0`), each layer must see both
//! attempts, and the call must end with the caller's own person.

use std::error::Error;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::{Request, Response};
use spark_api::Client;
use spark_emulator::Emulator;
use spark_http::Body;
use spark_http::retry::Attempt;
use tower::limit::RateLimitLayer;
use tower_http::trace::TraceLayer;

type TestResult = Result<(), Box<dyn Error + Send + Sync>>;

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

/// A client builder for the emulator's caller, with a bare token.
fn builder_for(emulator: &Emulator) -> Result<spark_api::ClientBuilder, spark_api::Error> {
    Ok(Client::builder()
        .base_url(emulator.base_url())?
        .access_token(emulator.access_token()))
}

#[tokio::test]
async fn trace_layer_sees_both_attempts_of_a_rate_limited_call() -> TestResult {
    let emulator = bounded(Emulator::start()).await?;
    let requests: Arc<Mutex<Vec<u32>>> = Arc::default();
    let statuses: Arc<Mutex<Vec<u16>>> = Arc::default();
    let (on_request, on_response) = (requests.clone(), statuses.clone());
    let trace = TraceLayer::new_for_http()
        .on_request(move |request: &Request<Body>, _span: &tracing::Span| {
            on_request
                .lock()
                .unwrap()
                .push(Attempt::of_request(request));
        })
        .on_response(
            move |response: &Response<_>, _latency: Duration, _span: &tracing::Span| {
                on_response.lock().unwrap().push(response.status().as_u16());
            },
        );
    let client = builder_for(&emulator)?.layer(trace).build()?;

    emulator.rate_limit_next(1, 0);
    let before = emulator.request_count();
    let me = bounded(client.people().me()).await?;
    assert_eq!(me, emulator.me());
    assert_eq!(emulator.request_count() - before, 2);
    assert_eq!(*requests.lock().unwrap(), [1, 2]);
    assert_eq!(*statuses.lock().unwrap(), [429, 200]);

    // The layer with tower-http's defaults.
    let client = builder_for(&emulator)?
        .layer(TraceLayer::new_for_http())
        .build()?;
    emulator.rate_limit_next(1, 0);
    let before = emulator.request_count();
    assert_eq!(bounded(client.people().me()).await?, emulator.me());
    assert_eq!(emulator.request_count() - before, 2);
    Ok(())
}

#[tokio::test]
async fn rate_limit_layer_counts_both_attempts_of_a_rate_limited_call() -> TestResult {
    let emulator = bounded(Emulator::start()).await?;
    let client = builder_for(&emulator)?
        .layer(RateLimitLayer::new(2, Duration::from_secs(3600)))
        .build()?;

    emulator.rate_limit_next(1, 0);
    let before = emulator.request_count();
    assert_eq!(bounded(client.people().me()).await?, emulator.me());
    assert_eq!(emulator.request_count() - before, 2);
    // Both attempts counted against the two requests the hour allows: the next call waits.
    let next = tokio::time::timeout(Duration::from_millis(100), client.people().me()).await;
    assert!(next.is_err(), "a third request got past the limit");
    assert_eq!(emulator.request_count() - before, 2);

    // A rate that leaves room: the same call goes through without waiting.
    let client = builder_for(&emulator)?
        .layer(RateLimitLayer::new(100, Duration::from_secs(1)))
        .build()?;
    emulator.rate_limit_next(1, 0);
    let before = emulator.request_count();
    assert_eq!(bounded(client.people().me()).await?, emulator.me());
    assert_eq!(emulator.request_count() - before, 2);
    Ok(())
}
