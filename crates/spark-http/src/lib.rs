//! A tower service stack over hyper for the Webex REST API, usable on its own.
//!
//! `spark-http` knows nothing of Webex resources; it knows what every Webex call needs:
//!
//! - **auth**: the bearer token, sent only to the base URL's origin and the origins you trust;
//! - **refresh**: on a 401 (or ahead of expiry) the token is refreshed once, however many calls
//!   are waiting, the request replayed, and your callback told the new pair;
//! - **retry**: 429 and 423 wait `Retry-After` for any method; 5xx and lost connections retry
//!   idempotent methods only; bounded attempts, capped waits, jittered back-off, a retry budget;
//! - **hooks**: your handlers for final answers, by status or predicate, that may ask for a replay;
//! - **transport**: hyper-util's pooled client over rustls (ring; webpki or native roots),
//!   HTTP/1.1 and HTTP/2, through the environment's proxy or yours ([`HttpClientBuilder::proxy`]);
//! - **timeouts**: to connect, for the response head, for a transfer that stops moving either
//!   way (the idle timeout) and for reading a body whole, each a typed [`Error::Timeout`] that
//!   says which ([`TimeoutKind`]); a transfer that keeps moving is never cut short.
//!
//! Responses stream: nothing in the stack buffers a body.
//!
//! Here against the `spark-emulator` crate's in-memory Webex (any Webex base URL works the same),
//! which rate-limits the first call and has the token expire, to show the stack absorbing both:
//!
//! ```
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use spark_http::{Credentials, HttpClient, RetryPolicy};
//!
//! let webex = spark_emulator::Emulator::start().await?;
//! let client = HttpClient::builder()
//!     .base_url(webex.base_url())? // default https://webexapis.com/v1
//!     .credentials(
//!         Credentials::new(webex.access_token())
//!             .refresh(webex.client_id(), webex.client_secret(), webex.refresh_token()),
//!     )
//!     .on_token_refresh(|pair| println!("store the new pair (expires in {:?})", pair.expires_in))
//!     .retry(RetryPolicy::default().max_retry_after(Duration::from_secs(120)))
//!     .build()?;
//!
//! webex.rate_limit_next(1, 0); // one 429 with Retry-After: 0
//! let me = client.get("/people/me").await?;
//! assert_eq!(me.status(), 200);
//! let body = me.into_body().collect_limited(1 << 20).await?;
//! assert!(String::from_utf8_lossy(&body).contains("displayName"));
//!
//! webex.expire_all_tokens(); // the next call gets a 401: refreshed once, replayed
//! assert_eq!(client.get("/rooms").await?.status(), 200);
//! assert_eq!(webex.refresh_count(), 1);
//! # Ok(())
//! # }
//! ```
//!
//! The stack is a [`tower::Service`]: take it with [`HttpClient::service`], add layers of your
//! own with [`HttpClientBuilder::layer`], run it all over a service of yours with
//! [`HttpClientBuilder::build_with_service`], or take the layers one by one into a stack of your
//! own ([`layer`] lists them).
//!
//! # Cargo features
//!
//! | feature | default | what it does |
//! | --- | --- | --- |
//! | `http2` | on | HTTP/2 offered by ALPN beside HTTP/1.1 (off: HTTP/1.1 only, no `h2` crate) |
//! | `webpki-roots` | on | trusts Mozilla's root certificates, compiled in |
//! | `native-roots` | off | trusts the operating system's root certificates, read when a client is built |
//!
//! With both root features on, both sets are trusted. With neither, give your own
//! [`HttpClientBuilder::tls_config`]; otherwise only plain-`http` origins (an emulator) can be
//! reached. The proxy support is always built (it costs no extra crate).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod base_url;
mod body;
mod builder;
mod client;
mod credentials;
mod custom_layer;
mod cut_connection;
mod error;
mod hooks;
mod idle_timer;
pub mod layer;
mod oauth;
mod proxy;
mod request_body;
mod response;
pub mod retry;
mod secret;
mod send_progress;
mod service;
mod token;
mod transport;

pub use base_url::{BaseUrl, DEFAULT_BASE_URL, Origin, is_absolute_url};
pub use body::Body;
pub use builder::{
    DEFAULT_BODY_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_POOL_IDLE_TIMEOUT,
    DEFAULT_TIMEOUT, HttpClientBuilder,
};
pub use client::{ERROR_BODY_LIMIT, HttpClient};
pub use credentials::{Credentials, RefreshCredentials, TokenPair};
pub use error::{BoxError, Error, RefreshError, Result, TimeoutKind, UnauthorizedReason};
pub use hooks::{HookAction, HookContext, ResponseHooks};
pub use layer::attempt_span::tracking_id;
pub use layer::{
    AttemptSpan, AttemptSpanLayer, AttemptTimeout, AttemptTimeoutLayer, Auth, AuthLayer, Hooks,
    HooksLayer, Refresh, RefreshLayer, SetBaseUrl, SetBaseUrlLayer, WithoutToken,
};
pub use oauth::FORM_CONTENT_TYPE;
pub use proxy::ProxyFailure;
pub use request_body::RequestBody;
pub use response::{ResponseBody, read_prefix};
pub use retry::{Retry, RetryLayer, RetryPolicy};
pub use secret::SecretString;
pub use send_progress::BodySent;
pub use service::{BoxFuture, HttpService};
pub use token::{TokenCache, TokenCacheBuilder};

/// The TLS library of the transport, for [`HttpClientBuilder::tls_config`].
pub use rustls;

/// The response header in which Webex returns the tracking id of a call.
pub const TRACKING_ID_HEADER: &str = layer::attempt_span::TRACKING_ID_HEADER;

/// The example of the crate's README (its front page on crates.io), run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
