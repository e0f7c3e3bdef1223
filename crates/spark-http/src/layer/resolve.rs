//! Resolves relative request URIs against the base URL and sets the default `User-Agent`.

use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::future::{Either, Ready, ready};
use http::header::{HeaderValue, USER_AGENT};
use http::{Request, Response};
use tower::{Layer, Service};

use crate::base_url::BaseUrl;
use crate::body::Body;
use crate::error::Error;
use crate::response::ResponseBody;

/// The `User-Agent` sent when the request has none.
const DEFAULT_USER_AGENT: &str = concat!("spark-http/", env!("CARGO_PKG_VERSION"));

/// Makes [`Resolve`] services.
#[derive(Clone, Debug)]
pub(crate) struct ResolveLayer {
    base: Arc<BaseUrl>,
}

impl ResolveLayer {
    pub(crate) fn new(base: Arc<BaseUrl>) -> Self {
        Self { base }
    }
}

impl<S> Layer<S> for ResolveLayer {
    type Service = Resolve<S>;

    fn layer(&self, inner: S) -> Resolve<S> {
        Resolve {
            inner,
            base: self.base.clone(),
        }
    }
}

/// Sends each request with an absolute URI and a `User-Agent`.
#[derive(Clone, Debug)]
pub(crate) struct Resolve<S> {
    inner: S,
    base: Arc<BaseUrl>,
}

impl<S> Service<Request<Body>> for Resolve<S>
where
    S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>,
    S::Future: Send + 'static,
{
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = Either<Ready<Result<Response<ResponseBody>, Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<Body>) -> Self::Future {
        if request.uri().scheme().is_none() {
            match self.base.resolve(request.uri()) {
                Ok(uri) => *request.uri_mut() = uri,
                Err(error) => return Either::Left(ready(Err(error))),
            }
        }
        request
            .headers_mut()
            .entry(USER_AGENT)
            .or_insert(HeaderValue::from_static(DEFAULT_USER_AGENT));
        Either::Right(self.inner.call(request))
    }
}
