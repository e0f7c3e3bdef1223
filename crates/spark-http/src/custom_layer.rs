//! The application's own layers inside the stack: any tower layer, whatever body its service
//! answers with and whether or not its service can be cloned, run on every attempt.

use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response};
use tower::{Layer, Service, ServiceExt};

use crate::body::Body;
use crate::error::{BoxError, Error};
use crate::response::ResponseBody;
use crate::service::{BoxFuture, HttpService};

/// An application layer, applied to the attempt stack when the client is built.
pub(crate) type CustomLayer = Arc<dyn Fn(HttpService) -> HttpService + Send + Sync>;

/// Erases `layer`: its service is shared behind a lock (so it need not be `Clone` or `Sync`),
/// its errors become [`Error`]s and its response bodies [`ResponseBody`]s.
pub(crate) fn erase<L, B>(layer: L) -> CustomLayer
where
    L: Layer<HttpService> + Send + Sync + 'static,
    L::Service: Service<Request<Body>, Response = Response<B>> + Send + 'static,
    <L::Service as Service<Request<Body>>>::Error: Into<BoxError>,
    <L::Service as Service<Request<Body>>>::Future: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    Arc::new(move |inner| {
        HttpService::new(Locked {
            service: Arc::new(tokio::sync::Mutex::new(layer.layer(inner))),
        })
    })
}

/// One service shared by every call: a call waits for the service's readiness and takes its
/// future under the lock, then runs without it, as tower's `Buffer` does without a task. A rate
/// limit or a concurrency limit thus applies to all calls together.
struct Locked<S> {
    service: Arc<tokio::sync::Mutex<S>>,
}

impl<S> Clone for Locked<S> {
    fn clone(&self) -> Self {
        Self {
            service: self.service.clone(),
        }
    }
}

impl<S, B> Service<Request<Body>> for Locked<S>
where
    S: Service<Request<Body>, Response = Response<B>> + Send + 'static,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<BoxError>,
{
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = BoxFuture<Response<ResponseBody>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        // Readiness is awaited per call, under the lock.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let service = self.service.clone();
        Box::pin(async move {
            let call = {
                let mut service = service.lock().await;
                service
                    .ready()
                    .await
                    .map_err(Error::from_service_error)?
                    .call(request)
            };
            let response = call.await.map_err(Error::from_service_error)?;
            Ok(response.map(ResponseBody::new))
        })
    }
}
