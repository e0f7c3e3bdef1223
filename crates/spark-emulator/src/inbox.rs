//! A webhook receiver for tests and demos: an HTTP endpoint on loopback that keeps every
//! delivery it gets, headers and raw body, for the test to read in order.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;

use bytes::Bytes;
use http::{HeaderMap, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// One delivery as the inbox received it.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// The request headers (`X-Spark-Signature` among them when the webhook has a secret).
    pub headers: HeaderMap,
    /// The raw body, exactly as signed.
    pub body: Bytes,
}

impl Delivery {
    /// The `X-Spark-Signature` header, if any.
    pub fn signature(&self) -> Option<&str> {
        self.headers
            .get(crate::SIGNATURE_HEADER)
            .and_then(|value| value.to_str().ok())
    }
}

/// A webhook target on 127.0.0.1 that answers 200 to every POST and keeps what it received.
/// It stops when dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let mut inbox = spark_emulator::WebhookInbox::start().await?;
/// let target_url = inbox.url().to_owned(); // give this to `CreateWebhook::new(..)`
/// # let _ = target_url;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct WebhookInbox {
    url: String,
    received: mpsc::UnboundedReceiver<Delivery>,
    server: JoinHandle<()>,
}

impl WebhookInbox {
    /// Starts an inbox on a free port.
    pub async fn start() -> io::Result<WebhookInbox> {
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let url = format!("http://{}/webhook", listener.local_addr()?);
        let (sender, received) = mpsc::unbounded_channel();
        let server = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sender = sender.clone();
                tokio::spawn(async move {
                    let keep = service_fn(move |request: Request<Incoming>| {
                        let sender = sender.clone();
                        async move {
                            let (parts, body) = request.into_parts();
                            let body = body.collect().await.map(|all| all.to_bytes());
                            if let Ok(body) = body {
                                let _ = sender.send(Delivery {
                                    headers: parts.headers,
                                    body,
                                });
                            }
                            Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
                        }
                    });
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), keep)
                        .await;
                });
            }
        });
        Ok(WebhookInbox {
            url,
            received,
            server,
        })
    }

    /// The URL to register as a webhook's `targetUrl`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The next delivery, waiting for it; wrap it in a timeout in tests.
    pub async fn next(&mut self) -> Option<Delivery> {
        self.received.recv().await
    }
}

impl Drop for WebhookInbox {
    fn drop(&mut self) {
        self.server.abort();
    }
}
