//! [`RefreshLayer`]: keeps the token of a [`TokenCache`] fresh. On a 401 it refreshes the token
//! once for however many calls are waiting (single flight) and replays the request once with the
//! new token; ahead of the token's expiry, when its lifetime is known, it refreshes before
//! sending. Put an [`AuthLayer`](crate::AuthLayer) sharing the same cache below it: the replay
//! goes through that layer, which attaches the new token.
//!
//! The exchange with the token endpoint (`POST {token_url}` with the refresh grant) goes through
//! the service inside this layer (without a token), with retries of its own, and runs to its end
//! even when the call that started it is dropped, so a refresh token the server has rotated is
//! never lost. The token request is made from its form bytes as a request body of the stack's
//! own type, so this layer needs a body type that is `From<Bytes>` as well as a [`RequestBody`]:
//! [`Body`](crate::Body), `Full<Bytes>`, `Bytes` or `Vec<u8>` (not `String`).
//!
//! ```
//! use spark_http::{AuthLayer, Credentials, Origin, RefreshLayer, RetryLayer, RetryPolicy, TokenCache};
//! use tower::ServiceBuilder;
//!
//! let tokens = TokenCache::builder(Credentials::new("ACCESS").refresh("id", "secret", "REFRESH"))
//!     .token_url("http://127.0.0.1:8080/v1/access_token")?
//!     .build();
//! let service = ServiceBuilder::new()
//!     .layer(RetryLayer::new(RetryPolicy::default()))
//!     .layer(RefreshLayer::new(tokens.clone()))
//!     .layer(AuthLayer::new(tokens, [Origin::parse("http://127.0.0.1:8080")?]))
//!     .service(tower::service_fn(|_request: http::Request<http_body_util::Full<bytes::Bytes>>| async {
//!         Ok::<_, std::convert::Infallible>(http::Response::new(http_body_util::Empty::<bytes::Bytes>::new()))
//!     }));
//! # let _ = service;
//! # Ok::<(), spark_http::Error>(())
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use tower::{Layer, Service, ServiceExt};

use crate::error::{BoxError, Error, UnauthorizedReason};
use crate::layer::MapErrorFuture;
use crate::layer::auth::WithoutToken;
use crate::request_body::{RequestBody, try_clone_request};
use crate::response::{ResponseBody, drain};
use crate::retry::{Retry, RetryPolicy};
use crate::service::BoxFuture;
use crate::token::{RefreshSender, TokenCache, TokenSnapshot};

/// A [`Layer`] making [`Refresh`] services.
#[derive(Clone, Debug)]
pub struct RefreshLayer {
    tokens: TokenCache,
    retry: Arc<RetryPolicy>,
}

impl RefreshLayer {
    /// A layer refreshing the token of `tokens`; the exchange with the token endpoint is retried
    /// by the default [`RetryPolicy`].
    pub fn new(tokens: TokenCache) -> Self {
        Self {
            tokens,
            retry: Arc::new(RetryPolicy::default().for_token_exchange()),
        }
    }

    /// Retries the exchange with the token endpoint by `policy` (a token endpoint may
    /// rate-limit too; [`RetryPolicy::never`] sends it once).
    ///
    /// The token request is a `POST`, but the server grants or refuses it whole, so it is retried
    /// after a 5xx or a lost connection as an idempotent request would be. Its retries spend
    /// nothing from `policy`'s retry budget: there is one exchange at a time, and a budget the
    /// calls have run dry must not turn one failed exchange into a failure of every call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Arc::new(policy.for_token_exchange());
        self
    }
}

impl<S> Layer<S> for RefreshLayer {
    type Service = Refresh<S>;

    fn layer(&self, inner: S) -> Refresh<S> {
        Refresh {
            inner,
            tokens: self.tokens.clone(),
            retry: self.retry.clone(),
        }
    }
}

/// Refreshes the token on a 401 and ahead of expiry, and replays the request once (see
/// [`RefreshLayer`]).
///
/// Without refresh credentials in the cache, calls pass through untouched. A 401 that could not
/// be recovered from is handed back with an [`UnauthorizedReason`] in its extensions:
/// [`UnauthorizedReason::NotReplayable`] when the body could not be sent again (see
/// [`RequestBody`]), [`UnauthorizedReason::RejectedAfterRefresh`] when the replay got a 401 too.
///
/// # Errors
///
/// [`Error::Refresh`] when the token endpoint refuses or cannot be reached (the calls waiting on
/// the same refresh all get it, and the old token is kept). Later calls get it too, without a
/// new refresh: a refused grant ([`RefreshError::Permanent`](crate::RefreshError::Permanent))
/// until [`TokenCache::set_credentials`], any other failure during its back-off
/// ([`RefreshError::BackingOff`](crate::RefreshError::BackingOff)). The inner service's errors,
/// converted with [`Error::from_service_error`].
#[derive(Clone, Debug)]
pub struct Refresh<S> {
    inner: S,
    tokens: TokenCache,
    retry: Arc<RetryPolicy>,
}

impl<S> Refresh<S> {
    /// The token cache the service refreshes.
    pub fn tokens(&self) -> &TokenCache {
        &self.tokens
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

impl<S> Refresh<S> {
    /// Refreshes the token now, whatever its expiry (the cache's callback is told of the new
    /// pair), through the service inside this layer, with requests whose body is a `ReqB`
    /// (`Refresh<S>` may serve several body types: name the one to use).
    ///
    /// # Errors
    ///
    /// [`Error::Refresh`]: no refresh credentials, or the token endpoint refused or could not be
    /// reached.
    pub fn refresh_token<ReqB, ResB>(
        &self,
    ) -> impl Future<Output = Result<(), Error>> + Send + 'static
    where
        S: Service<Request<ReqB>, Response = Response<ResB>> + Clone + Send + 'static,
        S::Future: Send + 'static,
        S::Error: Into<BoxError>,
        ReqB: RequestBody + From<Bytes> + Send + 'static,
        ResB: http_body::Body<Data = Bytes> + Send + 'static,
        ResB::Error: Into<BoxError>,
    {
        let tokens = self.tokens.clone();
        let send = refresh_sender(self.inner.clone(), self.retry.clone());
        async move {
            let current = tokens.snapshot().generation;
            tokens.refresh_if_current(current, send).await.map(drop)
        }
    }
}

impl<S, ReqB, ResB> Service<Request<ReqB>> for Refresh<S>
where
    S: Service<Request<ReqB>, Response = Response<ResB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    ReqB: RequestBody + From<Bytes> + Send + 'static,
    ResB: http_body::Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    type Response = Response<ResB>;
    type Error = Error;
    type Future = RefreshFuture<S::Future, ResB>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(Error::from_service_error)
    }

    fn call(&mut self, request: Request<ReqB>) -> Self::Future {
        if !self.tokens.can_refresh() {
            return RefreshFuture {
                kind: Kind::Direct {
                    call: MapErrorFuture::new(self.inner.call(request)),
                },
            };
        }
        // The service made ready by `poll_ready` takes this call; a clone takes its place.
        let clone = self.inner.clone();
        let ready = std::mem::replace(&mut self.inner, clone);
        RefreshFuture {
            kind: Kind::Managed {
                call: Box::pin(refreshing_call(
                    ready,
                    self.tokens.clone(),
                    self.retry.clone(),
                    request,
                )),
            },
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of a [`Refresh`] call: the inner call itself when there is nothing to refresh
    /// with, else the call with its refresh and replay.
    pub struct RefreshFuture<F, ResB> {
        #[pin]
        kind: Kind<F, ResB>,
    }
}

pin_project_lite::pin_project! {
    #[project = KindProj]
    enum Kind<F, ResB> {
        /// No refresh credentials: the inner call as it is.
        Direct {
            #[pin]
            call: MapErrorFuture<F>,
        },
        /// A call that may refresh the token and replay.
        Managed {
            call: BoxFuture<Response<ResB>>,
        },
    }
}

impl<F, ResB, E> Future for RefreshFuture<F, ResB>
where
    F: Future<Output = Result<Response<ResB>, E>>,
    E: Into<BoxError>,
{
    type Output = Result<Response<ResB>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Direct { call } => call.poll(cx),
            KindProj::Managed { call } => call.as_mut().poll(cx),
        }
    }
}

impl<F, ResB> std::fmt::Debug for RefreshFuture<F, ResB> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshFuture")
    }
}

/// Sends `request` on the ready `inner`; refreshes first when the token is due, and after a 401
/// refreshes once and replays once.
async fn refreshing_call<S, ReqB, ResB>(
    mut inner: S,
    tokens: TokenCache,
    retry: Arc<RetryPolicy>,
    request: Request<ReqB>,
) -> Result<Response<ResB>, Error>
where
    S: Service<Request<ReqB>, Response = Response<ResB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    ReqB: RequestBody + From<Bytes> + Send + 'static,
    ResB: http_body::Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    let mut token: TokenSnapshot = tokens.snapshot();
    if token.due {
        let send = refresh_sender(inner.clone(), retry.clone());
        match tokens.refresh_if_current(token.generation, send).await {
            Ok(fresh) => token = fresh,
            Err(error) if token.header.is_none() => return Err(error),
            Err(error) => {
                tracing::warn!(%error, "refreshing ahead of expiry failed; using the current token");
            }
        }
    }
    let spare = try_clone_request(&request);
    // The layer below attaches the token current now: the one noted above, unless a refresh
    // finished in between (then a 401 finds the newer generation and replays with it).
    let response = inner
        .call(request)
        .await
        .map_err(Error::from_service_error)?;
    if response.status() != StatusCode::UNAUTHORIZED {
        return Ok(response);
    }
    let send = refresh_sender(inner.clone(), retry);
    tokens.refresh_if_current(token.generation, send).await?;
    let Some(replay) = spare else {
        return Ok(mark_unauthorized(
            response,
            UnauthorizedReason::NotReplayable,
        ));
    };
    drain(response.into_body()).await;
    let response = inner
        .oneshot(replay)
        .await
        .map_err(Error::from_service_error)?;
    Ok(mark_unauthorized(
        response,
        UnauthorizedReason::RejectedAfterRefresh,
    ))
}

/// Sends a refresh request through `inner` without a token, retried by `retry`, and hands the
/// answer back with its body boxed (it is read into the token pair at once).
fn refresh_sender<S, ReqB, ResB>(inner: S, retry: Arc<RetryPolicy>) -> RefreshSender
where
    S: Service<Request<ReqB>, Response = Response<ResB>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    ReqB: RequestBody + From<Bytes> + Send + 'static,
    ResB: http_body::Body<Data = Bytes> + Send + 'static,
    ResB::Error: Into<BoxError>,
{
    Box::new(move |request: Request<Bytes>| {
        let mut request = request.map(ReqB::from);
        request.extensions_mut().insert(WithoutToken);
        let call = Retry::shared(inner, retry).oneshot(request);
        Box::pin(async move { Ok(call.await?.map(ResponseBody::new)) })
    })
}

/// Notes on a 401 answer why it could not be recovered from; other answers pass unchanged.
fn mark_unauthorized<B>(mut response: Response<B>, reason: UnauthorizedReason) -> Response<B> {
    if response.status() == StatusCode::UNAUTHORIZED {
        response.extensions_mut().insert(reason);
    }
    response
}
