//! The per-attempt timeout: how long one attempt may wait for the response head.
//!
//! It stops at the head on purpose: a download's body streams for as long as it takes.

use std::task::{Context, Poll};
use std::time::Duration;

use http::{Request, Response};
use tower::{Layer, Service};

use crate::body::Body;
use crate::error::Error;
use crate::response::ResponseBody;
use crate::service::BoxFuture;

/// Makes [`AttemptTimeout`] services.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AttemptTimeoutLayer {
    limit: Option<Duration>,
}

impl AttemptTimeoutLayer {
    /// A layer with the given limit; `None` lets attempts wait for ever.
    pub(crate) fn new(limit: Option<Duration>) -> Self {
        Self { limit }
    }
}

impl<S> Layer<S> for AttemptTimeoutLayer {
    type Service = AttemptTimeout<S>;

    fn layer(&self, inner: S) -> AttemptTimeout<S> {
        AttemptTimeout {
            inner,
            limit: self.limit,
        }
    }
}

/// Fails an attempt with [`Error::Timeout`] when no response head arrives in time.
#[derive(Clone, Debug)]
pub(crate) struct AttemptTimeout<S> {
    inner: S,
    limit: Option<Duration>,
}

impl<S> Service<Request<Body>> for AttemptTimeout<S>
where
    S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = BoxFuture<Response<ResponseBody>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let attempt = self.inner.call(request);
        let Some(limit) = self.limit else {
            return Box::pin(attempt);
        };
        Box::pin(async move {
            tokio::time::timeout(limit, attempt)
                .await
                .unwrap_or(Err(Error::Timeout(limit)))
        })
    }
}
