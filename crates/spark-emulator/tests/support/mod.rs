//! Helpers shared by the emulator's tests: clients wired to an emulator, a raw HTTP call, and a
//! webhook receiver.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::rt::TokioExecutor;
use spark_api::Client;
use spark_emulator::Emulator;
use spark_http::RetryPolicy;

/// A client for the emulator's caller, retrying on 429 only as `Retry-After` says.
pub fn client(emulator: &Emulator) -> Client {
    client_with_token(emulator, &emulator.access_token())
}

/// A client with this token.
pub fn client_with_token(emulator: &Emulator, token: &str) -> Client {
    Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token(token.to_owned())
        .build()
        .unwrap()
}

/// A client that never retries, to see raw answers.
pub fn strict_client(emulator: &Emulator) -> Client {
    Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token(emulator.access_token())
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

/// An answer read whole.
#[derive(Debug)]
pub struct Raw {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Raw {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// One plain HTTP call, no retry, no refresh.
pub async fn raw(
    method: Method,
    url: &str,
    token: Option<&str>,
    content_type: Option<&str>,
    body: impl Into<Bytes>,
) -> Raw {
    let client = HyperClient::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let mut request = Request::builder().method(method).uri(url);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = client
        .request(request.body(Full::new(body.into())).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    Raw {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes(),
    }
}

/// A delivery the receiver got.
pub type Received = spark_emulator::Delivery;

/// A webhook receiver on a free port: its URL and the inbox the deliveries arrive in.
pub async fn receiver() -> (String, spark_emulator::WebhookInbox) {
    let inbox = spark_emulator::WebhookInbox::start().await.unwrap();
    (inbox.url().to_owned(), inbox)
}

/// Waits for the next delivery (at most 10 s, so a broken test fails instead of hanging).
pub async fn next_delivery(received: &mut spark_emulator::WebhookInbox) -> Received {
    tokio::time::timeout(Duration::from_secs(10), received.next())
        .await
        .expect("a delivery within 10 s")
        .expect("the receiver is running")
}
