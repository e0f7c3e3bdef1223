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

/// An answer read off a raw connection: the status, the head as text, and the body its
/// `Content-Length` announced.
#[derive(Debug)]
pub struct RawAnswer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl RawAnswer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// Reads one HTTP/1.1 answer from a raw connection (an error if it closes first).
pub async fn read_answer(
    stream: &mut (impl tokio::io::AsyncRead + Unpin),
) -> std::io::Result<RawAnswer> {
    use tokio::io::AsyncReadExt;

    let mut buffer = Vec::new();
    let mut chunk = vec![0; 64 * 1024];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break at + 4;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0);
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = buffer[head_end..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        body.extend_from_slice(&chunk[..read]);
    }
    body.truncate(length);
    Ok(RawAnswer { status, head, body })
}

/// Reads and drops whatever arrives until the peer closes the connection (end of stream or
/// reset).
pub async fn until_closed(stream: &mut (impl tokio::io::AsyncRead + Unpin)) {
    use tokio::io::AsyncReadExt;

    let mut chunk = vec![0; 64 * 1024];
    while let Ok(read) = stream.read(&mut chunk).await {
        if read == 0 {
            return;
        }
    }
}

/// Writes the start of a request head, then one more byte every `every`, never ending the head,
/// until the connection breaks.
pub async fn trickle_head(mut writer: impl tokio::io::AsyncWrite + Unpin, every: Duration) {
    use tokio::io::AsyncWriteExt;

    if writer
        .write_all(b"GET /v1/people/me HTTP/1.1\r\nx-slow: ")
        .await
        .is_err()
    {
        return;
    }
    loop {
        tokio::time::sleep(every).await;
        if writer.write_all(b"a").await.is_err() {
            return;
        }
    }
}
