//! The fixed-answer server: hyper's HTTP/1.1 server on `127.0.0.1:0`, on a tokio runtime of its
//! own (its own threads, so it does not share the clients' scheduler), answering from
//! precomputed bytes:
//!
//! - `GET /v1/people/me`: the fixed person;
//! - `GET /flaky/v1/people/me`: a `429` with `Retry-After: 0` and the person in turn, starting
//!   with the 429 (one alternation for the whole server: a client retrying on a new connection
//!   still gets the 200 next);
//! - `GET /v1/messages?roomId=..&max=M&cursor=N`: `M` messages (one page generated once per page
//!   size) and a `Link: <..&cursor=N+M>; rel="next"` header until the server's total is reached.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::ready;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue, LINK, RETRY_AFTER};
use http::{Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use spark_bench::fixtures::{TRACKING_ID, message_page, person_bytes};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

use crate::affinity::Seen;

/// The page size used when a request gives no `max`.
const DEFAULT_PAGE_SIZE: u64 = 100;

const RATE_LIMITED_BODY: &str = r#"{"message":"Too Many Requests","errors":[{"description":"Too Many Requests"}],"trackingId":"ROUTER_67A1B2C3-D4E5-F607-1829-3A4B5C6D7E8F"}"#;

const NOT_FOUND_BODY: &str = r#"{"message":"The requested resource could not be found."}"#;

/// A running fixed-answer server; dropping it stops it.
pub(crate) struct FixedServer {
    port: u16,
    runtime: Option<Runtime>,
}

impl FixedServer {
    /// Starts the server on `threads` worker threads; `/v1/messages` lists `message_total` items.
    pub(crate) fn start(threads: usize, message_total: u64) -> io::Result<Self> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let port = listener.local_addr()?.port();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("fixed-server")
            .enable_all()
            .build()?;
        let answers = Arc::new(Answers {
            port,
            message_total,
            flaky_answers: AtomicU64::new(0),
            pages: Mutex::new(HashMap::new()),
        });
        let listener = {
            let _inside = runtime.enter();
            TcpListener::from_std(listener)?
        };
        runtime.spawn(accept_connections(listener, answers));
        Ok(Self {
            port,
            runtime: Some(runtime),
        })
    }

    /// Where one of the server's worker threads may run (`Cpus_allowed_list`).
    pub(crate) fn worker_placement(&self) -> Seen {
        let place = "server worker";
        let reading = self.runtime.as_ref().map(|runtime| {
            runtime.block_on(runtime.spawn(async move { Seen::this_thread(place) }))
        });
        match reading {
            Some(Ok(seen)) => seen,
            _ => Seen {
                place: place.to_owned(),
                cpus: "?".to_owned(),
            },
        }
    }

    /// The API base URL of the all-200 answers.
    pub(crate) fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// The API base URL where answers alternate between 429 and 200.
    pub(crate) fn flaky_base_url(&self) -> String {
        format!("http://127.0.0.1:{}/flaky/v1", self.port)
    }
}

impl Drop for FixedServer {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

async fn accept_connections(listener: TcpListener, answers: Arc<Answers>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        // The answers are written in one piece; no reason to let Nagle hold them back.
        let _ = stream.set_nodelay(true);
        let answers = answers.clone();
        tokio::spawn(async move {
            let service = service_fn(|request: Request<Incoming>| {
                ready(Ok::<_, Infallible>(answers.answer(&request)))
            });
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// What the server answers, from bytes built once.
struct Answers {
    port: u16,
    message_total: u64,
    /// Answers given on the flaky path so far.
    flaky_answers: AtomicU64,
    /// The body of a page, by item count, built on first use.
    pages: Mutex<HashMap<u64, Bytes>>,
}

impl Answers {
    /// The answer to `request`.
    fn answer(&self, request: &Request<Incoming>) -> Response<Full<Bytes>> {
        match request.uri().path() {
            "/v1/people/me" => json(StatusCode::OK, person_bytes()),
            "/flaky/v1/people/me" => {
                if self
                    .flaky_answers
                    .fetch_add(1, Ordering::Relaxed)
                    .is_multiple_of(2)
                {
                    let mut response = json(
                        StatusCode::TOO_MANY_REQUESTS,
                        Bytes::from_static(RATE_LIMITED_BODY.as_bytes()),
                    );
                    response
                        .headers_mut()
                        .insert(RETRY_AFTER, HeaderValue::from_static("0"));
                    response
                } else {
                    json(StatusCode::OK, person_bytes())
                }
            }
            "/v1/messages" => self.messages(request.uri().query().unwrap_or_default()),
            _ => json(
                StatusCode::NOT_FOUND,
                Bytes::from_static(NOT_FOUND_BODY.as_bytes()),
            ),
        }
    }

    /// One page of messages from `cursor` on, with the link to the next while there is one.
    fn messages(&self, query: &str) -> Response<Full<Bytes>> {
        let mut page_size = DEFAULT_PAGE_SIZE;
        let mut cursor = 0;
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("max", value)) => page_size = value.parse().unwrap_or(DEFAULT_PAGE_SIZE),
                Some(("cursor", value)) => cursor = value.parse().unwrap_or(0),
                _ => {}
            }
        }
        let page_size = page_size.max(1);
        let count = self.message_total.saturating_sub(cursor).min(page_size);
        let mut response = json(StatusCode::OK, self.page(count));
        let next = cursor + count;
        if next < self.message_total {
            let link = format!(
                "<http://127.0.0.1:{}/v1/messages?roomId={}&max={page_size}&cursor={next}>; \
                 rel=\"next\"",
                self.port,
                spark_bench::fixtures::ROOM_ID
            );
            if let Ok(value) = HeaderValue::from_str(&link) {
                response.headers_mut().insert(LINK, value);
            }
        }
        response
    }

    fn page(&self, count: u64) -> Bytes {
        let mut pages = self
            .pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        pages
            .entry(count)
            .or_insert_with(|| message_page(count as usize))
            .clone()
    }
}

fn json(status: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert("trackingid", HeaderValue::from_static(TRACKING_ID));
    response
}
