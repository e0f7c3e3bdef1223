//! [`AuthLayer`]: the bearer token of a [`TokenCache`] on requests to trusted origins, and on no
//! other request. It refreshes nothing: put a [`RefreshLayer`](crate::RefreshLayer) sharing the
//! same cache above it for that.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), spark_http::Error> {
//! use spark_http::{AuthLayer, Credentials, Origin, TokenCache};
//! use tower::{ServiceBuilder, ServiceExt};
//!
//! let seen_header = tower::service_fn(|request: http::Request<String>| async move {
//!     let header = request.headers().get(http::header::AUTHORIZATION).cloned();
//!     Ok::<_, std::convert::Infallible>(http::Response::new(format!("{header:?}")))
//! });
//! let tokens = TokenCache::new(Credentials::new("abc"));
//! let service = ServiceBuilder::new()
//!     .layer(AuthLayer::new(tokens, [Origin::parse("https://webexapis.com")?]))
//!     .service(seen_header);
//!
//! let to_webex = http::Request::get("https://webexapis.com/v1/people/me").body(String::new()).unwrap();
//! assert_eq!(service.clone().oneshot(to_webex).await?.body(), "Some(Sensitive)");
//! let elsewhere = http::Request::get("https://example.com/").body(String::new()).unwrap();
//! assert_eq!(service.oneshot(elsewhere).await?.body(), "None");
//! # Ok(())
//! # }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::AUTHORIZATION;
use http::{Request, Response, StatusCode};
use tower::{Layer, Service};

use crate::base_url::{BaseUrl, Origin};
use crate::error::{BoxError, Error, UnauthorizedReason};
use crate::token::TokenCache;

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

/// A [`Layer`] making [`Auth`] services.
#[derive(Clone, Debug)]
pub struct AuthLayer {
    tokens: TokenCache,
    trusted: Arc<[Origin]>,
}

impl AuthLayer {
    /// A layer sending the token of `tokens` to the `trusted` origins only.
    pub fn new(tokens: TokenCache, trusted: impl IntoIterator<Item = Origin>) -> Self {
        Self {
            tokens,
            trusted: trusted.into_iter().collect(),
        }
    }

    /// A layer trusting the origin of `base` (and, for a base on a public Webex API host, the
    /// other one: `webexapis.com` and `api.ciscospark.com` trust each other).
    pub fn for_base_url(tokens: TokenCache, base: &BaseUrl) -> Self {
        Self::new(tokens, base.default_trusted_origins())
    }

    pub(crate) fn shared(tokens: TokenCache, trusted: Arc<[Origin]>) -> Self {
        Self { tokens, trusted }
    }
}

impl<S> Layer<S> for AuthLayer {
    type Service = Auth<S>;

    fn layer(&self, inner: S) -> Auth<S> {
        Auth {
            inner,
            tokens: self.tokens.clone(),
            trusted: self.trusted.clone(),
        }
    }
}

/// Attaches the current token (marked sensitive, so no layer logs it) to requests for trusted
/// origins. A request with the [`WithoutToken`] extension, or with an `Authorization` header of
/// its own, is left alone. A 401 from an untrusted origin is marked
/// [`UnauthorizedReason::UntrustedOrigin`] in its extensions.
///
/// # Errors
///
/// [`Error::InvalidToken`] when the configured token cannot be sent in a header and there is no
/// refresh to replace it; the inner service's errors, converted with
/// [`Error::from_service_error`].
#[derive(Clone, Debug)]
pub struct Auth<S> {
    inner: S,
    tokens: TokenCache,
    trusted: Arc<[Origin]>,
}

impl<S> Auth<S> {
    /// The token cache the service reads.
    pub fn tokens(&self) -> &TokenCache {
        &self.tokens
    }

    /// True when requests to `uri` get the token.
    pub fn is_trusted(&self, uri: &http::Uri) -> bool {
        self.trusted.iter().any(|origin| origin.matches(uri))
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

impl<S, ReqB, ResB> Service<Request<ReqB>> for Auth<S>
where
    S: Service<Request<ReqB>, Response = Response<ResB>>,
    S::Error: Into<BoxError>,
{
    type Response = Response<ResB>;
    type Error = Error;
    type Future = AuthFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        self.inner.poll_ready(cx).map_err(Error::from_service_error)
    }

    fn call(&mut self, mut request: Request<ReqB>) -> Self::Future {
        let caller_managed = request.extensions().get::<WithoutToken>().is_some()
            || request.headers().contains_key(AUTHORIZATION);
        if caller_managed {
            return AuthFuture::calling(self.inner.call(request), false);
        }
        if !self.is_trusted(request.uri()) {
            return AuthFuture::calling(self.inner.call(request), true);
        }
        let token = self.tokens.snapshot();
        if token.unusable {
            return AuthFuture::failed(Error::InvalidToken);
        }
        if let Some(header) = token.header {
            request.headers_mut().insert(AUTHORIZATION, header);
        }
        AuthFuture::calling(self.inner.call(request), false)
    }
}

pin_project_lite::pin_project! {
    /// The future of an [`Auth`] call.
    pub struct AuthFuture<F> {
        #[pin]
        kind: Kind<F>,
    }
}

pin_project_lite::pin_project! {
    #[project = KindProj]
    enum Kind<F> {
        /// The inner call; a 401 it answers is marked when the origin was not trusted.
        Calling {
            #[pin]
            call: F,
            untrusted: bool,
        },
        /// The request could not be sent.
        Failed {
            error: Option<Error>,
        },
    }
}

impl<F> AuthFuture<F> {
    fn calling(call: F, untrusted: bool) -> Self {
        Self {
            kind: Kind::Calling { call, untrusted },
        }
    }

    fn failed(error: Error) -> Self {
        Self {
            kind: Kind::Failed { error: Some(error) },
        }
    }
}

impl<F, ResB, E> Future for AuthFuture<F>
where
    F: Future<Output = Result<Response<ResB>, E>>,
    E: Into<BoxError>,
{
    type Output = Result<Response<ResB>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Calling { call, untrusted } => {
                let mut response =
                    std::task::ready!(call.poll(cx)).map_err(Error::from_service_error)?;
                if *untrusted && response.status() == StatusCode::UNAUTHORIZED {
                    response
                        .extensions_mut()
                        .insert(UnauthorizedReason::UntrustedOrigin);
                }
                Poll::Ready(Ok(response))
            }
            KindProj::Failed { error } => {
                Poll::Ready(Err(error.take().unwrap_or(Error::InvalidToken)))
            }
        }
    }
}

impl<F> std::fmt::Debug for AuthFuture<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthFuture")
    }
}
