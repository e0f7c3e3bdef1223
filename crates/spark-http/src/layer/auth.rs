//! Authentication: the bearer token on requests to trusted origins, refresh on 401 (once, single
//! flight) and ahead of expiry, and one replay with the new token.

use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::AUTHORIZATION;
use http::{Request, Response, StatusCode};
use tower::{Layer, Service, ServiceExt};

use crate::base_url::Origin;
use crate::body::{Body, try_clone_request};
use crate::error::{Error, UnauthorizedReason};
use crate::response::ResponseBody;
use crate::service::{BoxFuture, HttpService};
use crate::token::{RefreshSender, TokenCache, TokenSnapshot};

/// A request extension that keeps the token off a request (an OAuth token request, say).
///
/// A request that already carries an `Authorization` header is left alone as well.
///
/// ```
/// let mut request = http::Request::post("/access_token").body(spark_http::Body::empty()).unwrap();
/// request.extensions_mut().insert(spark_http::WithoutToken);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct WithoutToken;

/// Makes [`Auth`] services.
#[derive(Clone, Debug)]
pub(crate) struct AuthLayer {
    state: Option<Arc<AuthState>>,
    trusted: Arc<[Origin]>,
}

/// The token and the service its refresh goes through, shared by every clone of the layer's
/// services (one reference count a call).
#[derive(Debug)]
struct AuthState {
    tokens: Arc<TokenCache>,
    refresher: HttpService,
}

impl AuthLayer {
    /// A layer sending the tokens of `tokens` (none at all when `None`) to the `trusted` origins.
    /// Refreshes go through `refresher`: the layers below auth, with retries of their own (a
    /// token endpoint may rate-limit too).
    pub(crate) fn new(
        tokens: Option<Arc<TokenCache>>,
        trusted: Arc<[Origin]>,
        refresher: HttpService,
    ) -> Self {
        let state = tokens.map(|tokens| Arc::new(AuthState { tokens, refresher }));
        Self { state, trusted }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = Auth<S>;

    fn layer(&self, inner: S) -> Auth<S> {
        Auth {
            inner,
            state: self.state.clone(),
            trusted: self.trusted.clone(),
        }
    }
}

/// Attaches the token to requests for trusted origins and recovers from its expiry.
#[derive(Clone, Debug)]
pub(crate) struct Auth<S> {
    inner: S,
    state: Option<Arc<AuthState>>,
    trusted: Arc<[Origin]>,
}

impl<S> Service<Request<Body>> for Auth<S>
where
    S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = Response<ResponseBody>;
    type Error = Error;
    type Future = BoxFuture<Response<ResponseBody>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        // Readiness is awaited inside the call, once per request sent.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<Body>) -> Self::Future {
        let caller_managed = request.extensions().get::<WithoutToken>().is_some()
            || request.headers().contains_key(AUTHORIZATION);
        let state = match &self.state {
            Some(state) if !caller_managed => state,
            _ => return Box::pin(self.inner.clone().oneshot(request)),
        };
        let trusted = self
            .trusted
            .iter()
            .any(|origin| origin.matches(request.uri()));
        if !trusted {
            let call = self.inner.clone().oneshot(request);
            return Box::pin(async move {
                let response = call.await?;
                Ok(mark_unauthorized(
                    response,
                    UnauthorizedReason::UntrustedOrigin,
                ))
            });
        }
        Box::pin(authorized_call(self.inner.clone(), state.clone(), request))
    }
}

/// Sends `request` with the token; token refreshes go out with their own retries.
async fn authorized_call<S>(
    mut inner: S,
    state: Arc<AuthState>,
    mut request: Request<Body>,
) -> Result<Response<ResponseBody>, Error>
where
    S: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    let tokens = &state.tokens;
    let mut token = tokens.snapshot();
    if token.due {
        match tokens
            .refresh_if_current(token.generation, refresh_sender(&state.refresher))
            .await
        {
            Ok(fresh) => token = fresh,
            Err(error) if token.header.is_none() => return Err(error),
            Err(error) => {
                tracing::warn!(%error, "refreshing ahead of expiry failed; using the current token");
            }
        }
    }
    if token.unusable {
        return Err(Error::InvalidToken);
    }
    let spare = if tokens.can_refresh() {
        try_clone_request(&request)
    } else {
        None
    };
    attach(&mut request, &token);
    let response = inner.ready().await?.call(request).await?;
    if response.status() != StatusCode::UNAUTHORIZED {
        return Ok(response);
    }
    if !tokens.can_refresh() {
        return Ok(mark_unauthorized(
            response,
            UnauthorizedReason::NoRefreshCredentials,
        ));
    }
    let fresh = tokens
        .refresh_if_current(token.generation, refresh_sender(&state.refresher))
        .await?;
    let Some(mut replay) = spare else {
        return Ok(mark_unauthorized(
            response,
            UnauthorizedReason::NotReplayable,
        ));
    };
    response.into_body().drain().await;
    attach(&mut replay, &fresh);
    let response = inner.oneshot(replay).await?;
    Ok(mark_unauthorized(
        response,
        UnauthorizedReason::RejectedAfterRefresh,
    ))
}

/// Sends a token refresh through `refresher`, so it never carries a token.
pub(crate) fn refresh_sender(refresher: &HttpService) -> RefreshSender {
    let refresher = refresher.clone();
    Box::new(move |refresh| refresher.call_shared(refresh))
}

fn attach(request: &mut Request<Body>, token: &TokenSnapshot) {
    if let Some(header) = &token.header {
        request.headers_mut().insert(AUTHORIZATION, header.clone());
    }
}

/// Notes on a 401 answer why it could not be recovered from; other answers pass unchanged.
fn mark_unauthorized(
    mut response: Response<ResponseBody>,
    reason: UnauthorizedReason,
) -> Response<ResponseBody> {
    if response.status() == StatusCode::UNAUTHORIZED {
        response.extensions_mut().insert(reason);
    }
    response
}
