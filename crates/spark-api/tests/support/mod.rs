//! Shared helpers for the integration tests: an in-memory tower service that records every
//! request it receives and answers from a closure, plus client builders suited to tokio's
//! paused clock.

#![allow(dead_code, unreachable_pub)]

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode, Uri};
use http_body_util::BodyExt;
use spark_api::{Client, ClientBuilder};
use spark_http::{Body, ResponseBody, RetryPolicy};
use tokio::time::Instant;

/// The base URL of clients over the in-memory service. Nothing listens there: requests never
/// leave the process.
pub const BASE: &str = "http://127.0.0.1:9/v1";

/// The access token the test clients use.
pub const TOKEN: &str = "T";

/// A request as the in-memory service received it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// True when the request body was a buffered, in-memory body; false for a stream.
    pub buffered: bool,
    /// When it arrived, on tokio's clock.
    pub at: Instant,
}

impl Seen {
    /// The path and query, e.g. `/v1/rooms?max=10`.
    pub fn path_and_query(&self) -> String {
        self.uri
            .path_and_query()
            .map_or_else(String::new, |pq| pq.as_str().to_owned())
    }

    /// The query decoded into name/value pairs, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let query = self.uri.query().unwrap_or("");
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect()
    }

    /// The decoded value of one query parameter (the first, if repeated).
    pub fn query(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// The requests received so far, shared between the service and the test.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    pub fn last(&self) -> Seen {
        self.all().pop().expect("at least one request was received")
    }

    /// The time between consecutive requests, on tokio's clock.
    pub fn gaps(&self) -> Vec<Duration> {
        self.all()
            .windows(2)
            .map(|pair| pair[1].at - pair[0].at)
            .collect()
    }
}

/// A service that records each request, then answers the request number `n` (from 0) with
/// `answer(n, &seen)`.
pub fn scripted<F>(
    answer: F,
) -> (
    impl tower::Service<
        Request<Body>,
        Response = Response<ResponseBody>,
        Error = Infallible,
        Future = impl Send,
    > + Clone
    + Send
    + Sync
    + 'static,
    Log,
)
where
    F: Fn(usize, &Seen) -> Response<ResponseBody> + Send + Sync + 'static,
{
    let log = Log::default();
    let answer = Arc::new(answer);
    let recorder = log.clone();
    let service = tower::service_fn(move |request: Request<Body>| {
        let log = recorder.clone();
        let answer = answer.clone();
        async move {
            let (parts, body) = request.into_parts();
            let buffered = body.as_bytes().is_some();
            let body = body
                .collect()
                .await
                .expect("the request body can be read")
                .to_bytes();
            let seen = Seen {
                method: parts.method,
                uri: parts.uri,
                headers: parts.headers,
                body,
                buffered,
                at: Instant::now(),
            };
            let index = {
                let mut all = log.0.lock().unwrap();
                all.push(seen.clone());
                all.len() - 1
            };
            Ok::<_, Infallible>(answer(index, &seen))
        }
    });
    (service, log)
}

/// An answer with `status`, these headers and this body.
pub fn respond(
    status: u16,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Response<ResponseBody> {
    let mut response = Response::new(ResponseBody::from_bytes(body.into()));
    *response.status_mut() = StatusCode::from_u16(status).expect("a valid status");
    for (name, value) in headers {
        response.headers_mut().append(
            http::header::HeaderName::from_bytes(name.as_bytes()).expect("a valid header name"),
            value.parse().expect("a valid header value"),
        );
    }
    response
}

/// A JSON answer.
pub fn json(status: u16, body: &str) -> Response<ResponseBody> {
    respond(
        status,
        &[("content-type", "application/json")],
        body.to_owned(),
    )
}

/// A builder with exact (unjittered) retry waits and no transport or transfer timers, fit for
/// the paused clock, with the test token.
pub fn test_builder() -> ClientBuilder {
    Client::builder()
        .access_token(TOKEN)
        .retry(RetryPolicy::default().jitter(false))
        .timeout(None)
        .idle_timeout(None)
        .body_timeout(None)
        .connect_timeout(None)
        .http(|b| b.pool_idle_timeout(None))
}

/// A client over a scripted in-memory service at [`BASE`].
pub fn scripted_client<F>(answer: F) -> (Client, Log)
where
    F: Fn(usize, &Seen) -> Response<ResponseBody> + Send + Sync + 'static,
{
    let (service, log) = scripted(answer);
    let client = test_builder()
        .base_url(BASE)
        .expect("the test base URL is valid")
        .build_with_service(service);
    (client, log)
}

/// A client for an httpmock server (base `{server}/v1`), fit for the paused clock.
pub fn mock_client(server: &httpmock::MockServer) -> Client {
    test_builder()
        .base_url(&server.url("/v1"))
        .expect("the mock server's URL is valid")
        .build()
        .expect("the client builds")
}

/// A path under the system's temporary directory that no other test (or run) uses.
pub fn unique_temp_path(stem: &str, extension: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "spark-api-test-{stem}-{}-{nanos}-{count}.{extension}",
        std::process::id()
    ))
}

/// Removes the file at its path when dropped, so that a failing test leaves nothing behind.
pub struct RemoveOnDrop(pub std::path::PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A client for a running emulator's caller (refresh wired too), fit for the paused clock.
pub fn emulator_client(emulator: &spark_emulator::Emulator) -> Client {
    test_builder()
        .base_url(emulator.base_url())
        .expect("the emulator's base URL is valid")
        .access_token(emulator.access_token())
        .refresh(
            emulator.client_id(),
            emulator.client_secret(),
            emulator.refresh_token(),
        )
        .build()
        .expect("the client builds")
}
