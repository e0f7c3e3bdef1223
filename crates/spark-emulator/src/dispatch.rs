//! Sending webhook deliveries: a bounded queue and a few workers per receiver, every POST bounded
//! in time.
//!
//! Deliveries are grouped by receiver: the scheme, host and port of the target URL (one server,
//! whatever the path). A receiver has at most `concurrency` deliveries in flight, each on a
//! connection of its own that is closed when the delivery ends, and at most `queue` waiting; a
//! new delivery that finds the queue full pushes out the oldest waiting one, which is dropped and
//! counted. A delivery (connect, send, read the whole answer) that takes longer than the timeout
//! is abandoned, its connection closed, and counted as failed; Webex does not retry either. A
//! slow receiver holds only its own workers: deliveries to others go out as they come.

use std::collections::{HashMap, VecDeque};
use std::error::Error;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use http::{Method, Request, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tokio::sync::watch;

use crate::limits::Limits;
use crate::webhooks::{Delivery, SIGNATURE_HEADER};

type BoxError = Box<dyn Error + Send + Sync>;

/// What became of the deliveries so far.
#[derive(Debug, Default)]
pub(crate) struct DeliveryCounts {
    /// Reached their receiver, whatever it answered.
    pub(crate) sent: AtomicU64,
    /// Could not be sent, or got no whole answer within the timeout.
    pub(crate) failed: AtomicU64,
    /// Pushed out of a full queue before they were sent.
    pub(crate) dropped: AtomicU64,
}

/// The deliveries of one receiver.
#[derive(Debug, Default)]
struct Receiver {
    waiting: VecDeque<Delivery>,
    /// Workers sending to it now (each sends one delivery at a time).
    workers: usize,
}

/// Queues deliveries per receiver and sends them.
#[derive(Debug)]
pub(crate) struct Dispatcher {
    timeout: Duration,
    concurrency: usize,
    queue: usize,
    receivers: Mutex<HashMap<String, Receiver>>,
    pub(crate) counts: DeliveryCounts,
    /// Turns true when the emulator stops: workers give up then.
    stopped: watch::Receiver<bool>,
}

impl Dispatcher {
    pub(crate) fn new(limits: &Limits, stopped: watch::Receiver<bool>) -> Self {
        Self {
            timeout: limits.delivery_timeout,
            concurrency: limits.delivery_concurrency.max(1),
            queue: limits.delivery_queue.max(1),
            receivers: Mutex::new(HashMap::new()),
            counts: DeliveryCounts::default(),
            stopped,
        }
    }

    fn receivers(&self) -> MutexGuard<'_, HashMap<String, Receiver>> {
        self.receivers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues the deliveries, starting workers for their receivers as the bound allows (a tokio
    /// runtime must be running).
    pub(crate) fn send_all(self: &Arc<Self>, deliveries: Vec<Delivery>) {
        for delivery in deliveries {
            let Some(receiver) = receiver_of(&delivery.target_url) else {
                self.counts.failed.fetch_add(1, Ordering::SeqCst);
                tracing::warn!(target_url = %delivery.target_url, "webhook target is not an http:// URL");
                continue;
            };
            let start_worker = {
                let mut receivers = self.receivers();
                let queued = receivers.entry(receiver.clone()).or_default();
                if queued.waiting.len() >= self.queue {
                    queued.waiting.pop_front();
                    self.counts.dropped.fetch_add(1, Ordering::SeqCst);
                    tracing::warn!(%receiver, "webhook delivery queue full: the oldest delivery is dropped");
                }
                queued.waiting.push_back(delivery);
                let start = queued.workers < self.concurrency;
                if start {
                    queued.workers += 1;
                }
                start
            };
            if start_worker {
                tokio::spawn(Arc::clone(self).work(receiver));
            }
        }
    }

    /// The next delivery for a receiver, or `None` when there is none (the worker then ends).
    fn next_for(&self, receiver: &str) -> Option<Delivery> {
        let mut receivers = self.receivers();
        let queued = receivers.get_mut(receiver)?;
        let next = queued.waiting.pop_front();
        if next.is_none() {
            queued.workers -= 1;
            if queued.workers == 0 {
                receivers.remove(receiver);
            }
        }
        next
    }

    /// One worker: sends the receiver's deliveries one at a time until none is left.
    async fn work(self: Arc<Self>, receiver: String) {
        let mut stopped = self.stopped.clone();
        while let Some(delivery) = self.next_for(&receiver) {
            let outcome = tokio::select! {
                outcome = tokio::time::timeout(self.timeout, send(&delivery)) => outcome,
                _ = stopped.wait_for(|stopped| *stopped) => return,
            };
            let target_url = &delivery.target_url;
            match outcome {
                Ok(Ok(status)) => {
                    self.counts.sent.fetch_add(1, Ordering::SeqCst);
                    if !status.is_success() {
                        tracing::warn!(%target_url, %status, "webhook receiver refused a delivery");
                    }
                }
                Ok(Err(error)) => {
                    self.counts.failed.fetch_add(1, Ordering::SeqCst);
                    tracing::warn!(%target_url, %error, "webhook delivery failed");
                }
                Err(_) => {
                    self.counts.failed.fetch_add(1, Ordering::SeqCst);
                    tracing::warn!(%target_url, timeout = ?self.timeout, "webhook delivery timed out");
                }
            }
        }
    }
}

/// `http://host:port` of a target URL, lowercase: deliveries to it share a queue.
fn receiver_of(target_url: &str) -> Option<String> {
    let uri: Uri = target_url.parse().ok()?;
    if uri.scheme_str() != Some("http") {
        return None;
    }
    let host = uri.host()?;
    Some(format!(
        "http://{}:{}",
        host.to_ascii_lowercase(),
        uri.port_u16().unwrap_or(80)
    ))
}

/// One POST on a connection of its own, closed when it returns (or is dropped): the status of
/// the answer, once the whole answer has been read.
async fn send(delivery: &Delivery) -> Result<StatusCode, BoxError> {
    let uri: Uri = delivery.target_url.parse()?;
    let authority = uri.authority().ok_or("the target URL has no host")?.clone();
    let host = authority
        .host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    let stream = TcpStream::connect((host, authority.port_u16().unwrap_or(80))).await?;
    let (mut sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(uri.path_and_query().map_or("/", |path| path.as_str()))
        .header(http::header::HOST, authority.as_str())
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::USER_AGENT, "spark-emulator");
    if let Some(signature) = &delivery.signature {
        request = request.header(SIGNATURE_HEADER, signature);
    }
    let request = request.body(Full::new(delivery.body.clone()))?;
    let exchange = async move {
        let response = sender.send_request(request).await?;
        let status = response.status();
        // Read the answer through, keeping none of it.
        let mut body = response.into_body();
        while let Some(frame) = body.frame().await {
            frame?;
        }
        Ok::<_, BoxError>(status)
        // `sender` is dropped here, which lets `connection` finish.
    };
    let (status, _) = tokio::join!(exchange, connection);
    status
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    /// An unsigned delivery of `{}` to `target_url`.
    fn delivery(target_url: &str) -> Delivery {
        Delivery {
            target_url: target_url.to_owned(),
            body: Bytes::from_static(b"{}"),
            signature: None,
        }
    }

    #[test]
    fn receivers_are_scheme_host_and_port() {
        assert_eq!(
            receiver_of("http://Example.com/hook?x=1").as_deref(),
            Some("http://example.com:80")
        );
        assert_eq!(
            receiver_of("http://127.0.0.1:9000/a").as_deref(),
            receiver_of("http://127.0.0.1:9000/b").as_deref()
        );
        assert_eq!(
            receiver_of("http://[::1]:9000/a").as_deref(),
            Some("http://[::1]:9000")
        );
        assert_eq!(receiver_of("https://example.com/hook"), None);
        assert_eq!(receiver_of("not a url"), None);
    }

    #[tokio::test]
    async fn a_target_that_is_not_http_counts_as_failed() {
        let (_stop, stopped) = watch::channel(false);
        let dispatcher = Arc::new(Dispatcher::new(&Limits::default(), stopped));
        dispatcher.send_all(vec![delivery("ftp://example.com/")]);
        assert_eq!(dispatcher.counts.failed.load(Ordering::SeqCst), 1);
        assert!(dispatcher.receivers().is_empty());
    }
}
