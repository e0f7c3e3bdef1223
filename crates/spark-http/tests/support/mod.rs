//! Test helpers: an in-memory service that answers by script and records what it was sent, and
//! client builders tuned for tokio's paused clock.

#![allow(dead_code, unreachable_pub)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response, StatusCode, Uri};
use http_body_util::BodyExt;
use spark_http::{Body, Error, HttpClientBuilder, ResponseBody, RetryPolicy};
use tokio::time::Instant;

/// One request as the service received it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

/// The log of requests a scripted service received, shared with the test.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Seen>>>);

impl Log {
    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// The gaps between consecutive requests, on tokio's clock.
    pub fn gaps(&self) -> Vec<Duration> {
        let seen = self.all();
        seen.windows(2)
            .map(|pair| pair[1].at - pair[0].at)
            .collect()
    }
}

/// A service answering the n-th request (from 0) with `answer(n, &seen)`, recording each one.
pub fn scripted<F>(
    answer: F,
) -> (
    impl tower::Service<
        Request<Body>,
        Response = Response<ResponseBody>,
        Error = Error,
        Future = impl Send,
    > + Clone
    + Send
    + Sync
    + 'static,
    Log,
)
where
    F: Fn(usize, &Seen) -> Result<Response<ResponseBody>, Error> + Send + Sync + 'static,
{
    let log = Log::default();
    let answer = Arc::new(answer);
    let service_log = log.clone();
    let service = tower::service_fn(move |request: Request<Body>| {
        let log = service_log.clone();
        let answer = answer.clone();
        async move {
            let (parts, body) = request.into_parts();
            let body = body.collect().await.map_err(Error::Body)?.to_bytes();
            let seen = Seen {
                method: parts.method,
                uri: parts.uri,
                headers: parts.headers,
                body,
                at: Instant::now(),
            };
            let index = {
                let mut all = log.0.lock().unwrap();
                all.push(seen.clone());
                all.len() - 1
            };
            answer(index, &seen)
        }
    });
    (service, log)
}

/// A response with `status`, the given headers and body.
pub fn respond(status: u16, headers: &[(&str, &str)], body: &str) -> Response<ResponseBody> {
    let mut response = Response::new(ResponseBody::from_bytes(body.to_owned()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap();
    for (name, value) in headers {
        response.headers_mut().append(
            http::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            value.parse().unwrap(),
        );
    }
    response
}

/// A builder for tests on the paused clock: exact (unjittered) waits, and no transport or
/// transfer timers, which would otherwise make the paused clock jump while real sockets are busy.
pub fn paused_clock_builder() -> HttpClientBuilder {
    spark_http::HttpClient::builder()
        .retry(RetryPolicy::default().jitter(false))
        .timeout(None)
        .idle_timeout(None)
        .body_timeout(None)
        .connect_timeout(None)
        .pool_idle_timeout(None)
}
