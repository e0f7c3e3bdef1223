//! The erased service type the stack is assembled from and hands out.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Request, Response};
use tower::{Service, ServiceExt};

use crate::body::Body;
use crate::error::Error;
use crate::response::ResponseBody;

/// The future of a call through a layer of the stack.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>;

/// The whole stack, or any part of it, as one cloneable, thread-safe service.
///
/// Requests carry a [`Body`]; responses carry a streaming [`ResponseBody`]. Building one needs
/// no running runtime. A clone costs one reference count: each call clones the service inside
/// and waits for its readiness in the returned future, so `poll_ready` is always ready and
/// back-pressure (a concurrency limit, say) applies per call.
///
/// ```
/// use spark_http::{Body, HttpService, ResponseBody};
///
/// let service = HttpService::new(tower::service_fn(|_request: http::Request<Body>| async {
///     Ok::<_, spark_http::Error>(http::Response::new(ResponseBody::empty()))
/// }));
/// let _shared = service.clone();
/// ```
#[derive(Clone)]
pub struct HttpService(Arc<dyn ErasedService>);

impl HttpService {
    /// Erases a service.
    pub fn new<S>(service: S) -> Self
    where
        S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
    {
        Self(Arc::new(service))
    }

    /// Calls the service without cloning the handle first.
    pub(crate) fn call_shared(&self, request: Request<Body>) -> BoxFuture<Response<ResponseBody>> {
        self.0.call_once(request)
    }
}

impl fmt::Debug for HttpService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HttpService")
    }
}

impl Service<Request<Body>> for HttpService {
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = BoxFuture<Response<ResponseBody>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        // Each call waits for the readiness of its own clone, inside its future.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        self.0.call_once(request)
    }
}

/// A service behind a shared reference: each call runs on a clone of it.
trait ErasedService: Send + Sync {
    fn call_once(&self, request: Request<Body>) -> BoxFuture<Response<ResponseBody>>;
}

impl<S> ErasedService for S
where
    S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
{
    fn call_once(&self, request: Request<Body>) -> BoxFuture<Response<ResponseBody>> {
        let mut service = self.clone();
        // Most services are ready at once: then the call's own future is boxed, without a
        // `Oneshot` around it to move it once more. A service that is not ready gets its
        // readiness awaited with the caller's waker, in the `Oneshot`.
        let waker = std::task::Waker::noop();
        match service.poll_ready(&mut Context::from_waker(waker)) {
            Poll::Ready(Ok(())) => Box::pin(service.call(request)),
            Poll::Ready(Err(error)) => Box::pin(std::future::ready(Err(error))),
            Poll::Pending => Box::pin(service.oneshot(request)),
        }
    }
}
