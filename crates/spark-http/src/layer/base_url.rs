//! [`SetBaseUrlLayer`]: resolves relative request URIs against the base URL and sets a default
//! `User-Agent`, so the layers below always see absolute URIs.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), spark_http::Error> {
//! use spark_http::{BaseUrl, SetBaseUrlLayer};
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! let echo_uri = tower::service_fn(|request: http::Request<String>| async move {
//!     Ok::<_, std::convert::Infallible>(http::Response::new(request.uri().to_string()))
//! });
//! let service = ServiceBuilder::new()
//!     .layer(SetBaseUrlLayer::new(BaseUrl::parse("http://127.0.0.1:8080/v1")?))
//!     .service(echo_uri);
//! let request = http::Request::get("/people/me").body(String::new()).unwrap();
//! let response = service.oneshot(request).await?;
//! assert_eq!(response.body(), "http://127.0.0.1:8080/v1/people/me");
//! # Ok(())
//! # }
//! ```

use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::future::{Either, Ready, ready};
use http::header::{HeaderValue, USER_AGENT};
use http::{Request, Response};
use tower::{Layer, Service};

use crate::base_url::BaseUrl;
use crate::error::{BoxError, Error};
use crate::layer::MapErrorFuture;

/// The `User-Agent` sent when the request has none.
const DEFAULT_USER_AGENT: &str = concat!("spark-http/", env!("CARGO_PKG_VERSION"));

/// A [`Layer`] making [`SetBaseUrl`] services: relative request URIs are appended to the base
/// URL, absolute ones kept; a request without a `User-Agent` gets `spark-http/<version>`.
#[derive(Clone, Debug)]
pub struct SetBaseUrlLayer {
    base: Arc<BaseUrl>,
}

impl SetBaseUrlLayer {
    /// A layer resolving against `base`.
    pub fn new(base: BaseUrl) -> Self {
        Self::shared(Arc::new(base))
    }

    pub(crate) fn shared(base: Arc<BaseUrl>) -> Self {
        Self { base }
    }
}

impl<S> Layer<S> for SetBaseUrlLayer {
    type Service = SetBaseUrl<S>;

    fn layer(&self, inner: S) -> SetBaseUrl<S> {
        SetBaseUrl {
            inner,
            base: self.base.clone(),
        }
    }
}

/// Sends each request with an absolute URI and a `User-Agent` (see [`SetBaseUrlLayer`]).
///
/// # Errors
///
/// [`Error::InvalidUri`] for a relative URI that cannot be joined to the base; the inner
/// service's errors, converted with [`Error::from_service_error`].
#[derive(Clone, Debug)]
pub struct SetBaseUrl<S> {
    inner: S,
    base: Arc<BaseUrl>,
}

impl<S> SetBaseUrl<S> {
    /// The base URL requests resolve against.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Unwraps the service.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S, ReqB, ResB> Service<Request<ReqB>> for SetBaseUrl<S>
where
    S: Service<Request<ReqB>, Response = Response<ResB>>,
    S::Error: Into<BoxError>,
{
    type Response = Response<ResB>;
    type Error = Error;
    type Future = Either<Ready<Result<Response<ResB>, Error>>, MapErrorFuture<S::Future>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(Error::from_service_error)
    }

    fn call(&mut self, mut request: Request<ReqB>) -> Self::Future {
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
        Either::Right(MapErrorFuture::new(self.inner.call(request)))
    }
}
