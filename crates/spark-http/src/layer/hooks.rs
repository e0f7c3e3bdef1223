//! [`HooksLayer`]: runs the application's [`ResponseHooks`] on each call's answer and replays the
//! call when a hook asks for it (at most [`ResponseHooks::max_replays`] times, and only when the
//! request body can be copied: see [`RequestBody`]).
//!
//! Placed above [`RetryLayer`](crate::RetryLayer), the hooks see final answers only, and a
//! replay goes through retry and auth again.
//!
//! ```
//! use http::StatusCode;
//! use spark_http::{HookAction, HooksLayer, ResponseHooks};
//! use tower::ServiceBuilder;
//!
//! let hooks = ResponseHooks::new().on_status(StatusCode::NOT_FOUND, |ctx| {
//!     eprintln!("{} {} is gone", ctx.method, ctx.uri);
//!     HookAction::Continue
//! });
//! let service = ServiceBuilder::new()
//!     .layer(HooksLayer::new(hooks))
//!     .service(tower::service_fn(|_request: http::Request<String>| async {
//!         Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
//!     }));
//! # let _ = service;
//! ```

use std::sync::Arc;
use std::task::{Context, Poll};

use http::{Request, Response};
use tower::{Layer, Service, ServiceExt};

use crate::error::{BoxError, Error};
use crate::hooks::{HookAction, ResponseHooks};
use crate::request_body::{RequestBody, try_clone_request};
use crate::service::BoxFuture;

/// A [`Layer`] making [`Hooks`] services.
#[derive(Clone, Debug)]
pub struct HooksLayer {
    hooks: Arc<ResponseHooks>,
}

impl HooksLayer {
    /// A layer running `hooks`.
    pub fn new(hooks: ResponseHooks) -> Self {
        Self {
            hooks: Arc::new(hooks),
        }
    }
}

impl<S> Layer<S> for HooksLayer {
    type Service = Hooks<S>;

    fn layer(&self, inner: S) -> Hooks<S> {
        Hooks {
            inner,
            hooks: self.hooks.clone(),
        }
    }
}

/// Runs the hooks on each call's answer and replays when asked (see [`HooksLayer`]).
///
/// # Errors
///
/// The inner service's errors, converted with [`Error::from_service_error`]; hooks see answers
/// only, not errors.
#[derive(Clone, Debug)]
pub struct Hooks<S> {
    inner: S,
    hooks: Arc<ResponseHooks>,
}

impl<S> Hooks<S> {
    /// The hooks run.
    pub fn hooks(&self) -> &ResponseHooks {
        &self.hooks
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

impl<S, ReqB, ResB> Service<Request<ReqB>> for Hooks<S>
where
    S: Service<Request<ReqB>, Response = Response<ResB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    ReqB: RequestBody + Send + 'static,
    ResB: Send + 'static,
{
    type Response = Response<ResB>;
    type Error = Error;
    type Future = BoxFuture<Response<ResB>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(Error::from_service_error)
    }

    fn call(&mut self, request: Request<ReqB>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let hooks = self.hooks.clone();
        Box::pin(async move {
            let method = request.method().clone();
            let uri = request.uri().clone();
            let mut replays_left = hooks.max_replays_allowed();
            let mut spare = if replays_left > 0 {
                try_clone_request(&request)
            } else {
                None
            };
            let mut response = inner
                .call(request)
                .await
                .map_err(Error::from_service_error)?;
            loop {
                let action = hooks
                    .run(&method, &uri, response.status(), response.headers())
                    .await;
                let (HookAction::Replay, Some(again)) = (action, spare.take()) else {
                    return Ok(response);
                };
                tracing::debug!(
                    status = response.status().as_u16(),
                    "hook asked for a replay"
                );
                replays_left -= 1;
                if replays_left > 0 {
                    spare = try_clone_request(&again);
                }
                drop(response);
                response = inner
                    .ready()
                    .await
                    .map_err(Error::from_service_error)?
                    .call(again)
                    .await
                    .map_err(Error::from_service_error)?;
            }
        })
    }
}
