//! The stack's layers, each a public tower [`Layer`](tower::Layer) usable on its own over any
//! `Service<http::Request<B>>` answering `http::Response<R>`, in the order the default stack wraps
//! a call (outermost first):
//!
//! | layer | what it does |
//! | --- | --- |
//! | [`SetBaseUrlLayer`] | relative URIs resolved against the base URL; a default `User-Agent` |
//! | [`HooksLayer`] | the application's handlers see each final answer, may ask for a replay |
//! | [`RetryLayer`] | 429/423 wait `Retry-After`; 5xx and lost connections retried when safe |
//! | [`RefreshLayer`] | on a 401 (or ahead of expiry) the token is refreshed once, the call replayed |
//! | [`AuthLayer`] | the bearer token on requests to trusted origins, nothing else |
//! | [`AttemptSpanLayer`] | a `spark_http::attempt` tracing span per attempt |
//! | [`AttemptTimeoutLayer`] | limits on each attempt: an upload that stops moving, the wait for the response head, a response body that stalls ([`IdleTimeoutBody`]) |
//!
//! Every layer looks at the status and headers only, never at a response body's content, so
//! responses stream through. Layers that replay a request (retry, refresh, hooks) need a body
//! they can copy: see [`RequestBody`](crate::RequestBody). Every layer answers with [`Error`];
//! errors of the service inside are converted with [`Error::from_service_error`].
//!
//! [`RetryLayer`]: crate::RetryLayer

pub mod attempt_span;
pub mod auth;
pub mod base_url;
pub mod hooks;
pub mod idle_body;
pub mod refresh;
pub mod timeout;

pub use attempt_span::{AttemptSpan, AttemptSpanLayer};
pub use auth::{Auth, AuthLayer, WithoutToken};
pub use base_url::{SetBaseUrl, SetBaseUrlLayer};
pub use hooks::{Hooks, HooksLayer};
pub use idle_body::IdleTimeoutBody;
pub use refresh::{Refresh, RefreshLayer};
pub use timeout::{AttemptTimeout, AttemptTimeoutLayer};

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::{BoxError, Error};

pin_project_lite::pin_project! {
    /// The inner service's future, its error converted into [`Error`].
    #[derive(Debug)]
    pub struct MapErrorFuture<F> {
        #[pin]
        inner: F,
    }
}

impl<F> MapErrorFuture<F> {
    pub(crate) fn new(inner: F) -> Self {
        Self { inner }
    }
}

impl<F, T, E> Future for MapErrorFuture<F>
where
    F: Future<Output = Result<T, E>>,
    E: Into<BoxError>,
{
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.project()
            .inner
            .poll(cx)
            .map_err(Error::from_service_error)
    }
}
