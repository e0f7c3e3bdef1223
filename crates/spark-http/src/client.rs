//! The handle applications call: `send` and shortcuts, answering with the streaming response, and
//! turning the answers the stack could not recover from into typed errors.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use serde::Serialize;

use crate::base_url::{BaseUrl, Origin};
use crate::body::Body;
use crate::builder::HttpClientBuilder;
use crate::credentials::Credentials;
use crate::error::{Error, Result, UnauthorizedReason};
use crate::layer::attempt_span::tracking_id;
use crate::response::ResponseBody;
use crate::retry::{Attempt, parse_retry_after};
use crate::service::{BoxFuture, HttpService};
use crate::token::TokenCache;

/// How much of an error answer's body is kept in the error.
pub const ERROR_BODY_LIMIT: usize = 64 * 1024;

const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A cloneable handle on the stack. Clones share the connection pool, the token and the retry
/// budget.
///
/// Every call answers with the `http::Response` and its streaming body, whatever the status, except
/// where the stack could not recover:
///
/// - a 401 it could not refresh its way out of is [`Error::Unauthorized`];
/// - a 429 or 423 still there after retrying is [`Error::RateLimited`], with the server's wait.
///
/// ```
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let webex = spark_emulator::Emulator::start().await?;
/// # let (base_url, token) = (webex.base_url(), webex.access_token());
/// use spark_http::{Error, HttpClient};
///
/// let client = HttpClient::builder().base_url(base_url)?.access_token(token).build()?;
/// let response = client.get("/people/me").await?;
/// assert_eq!(response.status(), 200);
/// let body = response.into_body().collect_limited(1 << 20).await?;
/// println!("{}", String::from_utf8_lossy(&body));
///
/// // A token the server refuses, with no refresh credentials: a typed error at once.
/// let stale = HttpClient::builder().base_url(base_url)?.access_token("stale").build()?;
/// assert!(matches!(stale.get("/people/me").await, Err(Error::Unauthorized { .. })));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct HttpClient {
    shared: Arc<Shared>,
}

/// Refreshes the token now, through the stack's refresh layer.
pub(crate) type TokenRefresher = Arc<dyn Fn() -> BoxFuture<()> + Send + Sync>;

/// What every clone of a client shares; one allocation, so a clone costs one reference count.
struct Shared {
    service: HttpService,
    /// Present when there are credentials.
    refresher: Option<TokenRefresher>,
    base: Arc<BaseUrl>,
    trusted: Arc<[Origin]>,
    tokens: Option<TokenCache>,
    /// The deadline put on every answer's body for reading it whole.
    body_timeout: Option<Duration>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("base_url", &self.shared.base)
            .field("tokens", &self.shared.tokens)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// A builder for the stack.
    pub fn builder() -> HttpClientBuilder {
        HttpClientBuilder::new()
    }

    /// A client with default settings for the given credentials.
    pub fn new(credentials: Credentials) -> Result<Self> {
        Self::builder().credentials(credentials).build()
    }

    pub(crate) fn from_parts(
        service: HttpService,
        refresher: Option<TokenRefresher>,
        base: Arc<BaseUrl>,
        trusted: Arc<[Origin]>,
        tokens: Option<TokenCache>,
        body_timeout: Option<Duration>,
    ) -> Self {
        Self {
            shared: Arc::new(Shared {
                service,
                refresher,
                base,
                trusted,
                tokens,
                body_timeout,
            }),
        }
    }

    /// True when `uri` is on an origin the token is sent to (the base URL's, the other public
    /// Webex host's for a base on one, and those trusted through the builder).
    pub fn is_trusted(&self, uri: &http::Uri) -> bool {
        self.shared.trusted.iter().any(|origin| origin.matches(uri))
    }

    /// The base URL relative paths resolve against.
    pub fn base_url(&self) -> &BaseUrl {
        &self.shared.base
    }

    /// The whole stack as a tower service, to embed elsewhere or wrap further. It answers with
    /// every status as a response; only [`HttpClient::send`] turns some into errors.
    pub fn service(&self) -> HttpService {
        self.shared.service.clone()
    }

    /// Sends a request through the stack. A relative URI resolves against the base URL.
    ///
    /// The answer's body carries the client's body timeout
    /// ([`HttpClientBuilder::body_timeout`]) for reading it whole, and its idle timeout for each
    /// read.
    pub async fn send(&self, request: Request<Body>) -> Result<Response<ResponseBody>> {
        let mut response = self.shared.service.call_shared(request).await?;
        response
            .body_mut()
            .set_body_timeout(self.shared.body_timeout);
        unrecovered_into_error(response).await
    }

    /// `GET {path}`.
    pub async fn get(&self, path: &str) -> Result<Response<ResponseBody>> {
        self.send(self.request(Method::GET, path, Body::empty())?)
            .await
    }

    /// `HEAD {path}`.
    pub async fn head(&self, path: &str) -> Result<Response<ResponseBody>> {
        self.send(self.request(Method::HEAD, path, Body::empty())?)
            .await
    }

    /// `DELETE {path}`.
    pub async fn delete(&self, path: &str) -> Result<Response<ResponseBody>> {
        self.send(self.request(Method::DELETE, path, Body::empty())?)
            .await
    }

    /// `POST {path}` with `value` as a JSON body.
    pub async fn post_json<T>(&self, path: &str, value: &T) -> Result<Response<ResponseBody>>
    where
        T: Serialize + ?Sized,
    {
        self.send(self.json_request(Method::POST, path, value)?)
            .await
    }

    /// `PUT {path}` with `value` as a JSON body.
    pub async fn put_json<T>(&self, path: &str, value: &T) -> Result<Response<ResponseBody>>
    where
        T: Serialize + ?Sized,
    {
        self.send(self.json_request(Method::PUT, path, value)?)
            .await
    }

    /// `PATCH {path}` with `value` as a JSON body.
    pub async fn patch_json<T>(&self, path: &str, value: &T) -> Result<Response<ResponseBody>>
    where
        T: Serialize + ?Sized,
    {
        self.send(self.json_request(Method::PATCH, path, value)?)
            .await
    }

    /// A request for `path` (resolved against the base URL) with an `Accept: application/json`.
    pub fn request(&self, method: Method, path: &str, body: Body) -> Result<Request<Body>> {
        let mut request = Request::new(body);
        *request.method_mut() = method;
        *request.uri_mut() = self.shared.base.join(path)?;
        request.headers_mut().insert(ACCEPT, JSON);
        Ok(request)
    }

    /// A request for `path` with `value` serialized as its JSON body.
    pub fn json_request<T>(&self, method: Method, path: &str, value: &T) -> Result<Request<Body>>
    where
        T: Serialize + ?Sized,
    {
        let json = serde_json::to_vec(value).map_err(Error::Serialize)?;
        let mut request = self.request(method, path, Body::from(json))?;
        request.headers_mut().insert(CONTENT_TYPE, JSON);
        Ok(request)
    }

    /// The token cache, when credentials are set: to share it with layers of your own.
    pub fn tokens(&self) -> Option<&TokenCache> {
        self.shared.tokens.as_ref()
    }

    /// Refreshes the access token now, whatever its expiry (the refresh callback is told). It
    /// takes the same path as a refresh after a 401: below auth and hooks, with retries.
    ///
    /// # Errors
    ///
    /// [`Error::Refresh`]: no refresh credentials, or the token endpoint refused or could not be
    /// reached.
    pub async fn refresh_token(&self) -> Result<()> {
        match &self.shared.refresher {
            Some(refresh) => refresh().await,
            None => Err(crate::error::RefreshError::NoCredentials.into()),
        }
    }
}

/// Turns a final 401, 429 or 423 into its typed error; passes every other answer.
async fn unrecovered_into_error(
    response: Response<ResponseBody>,
) -> Result<Response<ResponseBody>> {
    let status = response.status();
    if !matches!(
        status,
        StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS | StatusCode::LOCKED
    ) {
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let tracking_id = tracking_id(&parts.headers).map(str::to_owned);
    let body = body.collect_prefix(ERROR_BODY_LIMIT).await;
    if status == StatusCode::UNAUTHORIZED {
        let reason = parts
            .extensions
            .get::<UnauthorizedReason>()
            .copied()
            .unwrap_or(UnauthorizedReason::NoRefreshCredentials);
        return Err(Error::Unauthorized {
            reason,
            tracking_id,
            body,
        });
    }
    Err(Error::RateLimited {
        status,
        retry_after: parse_retry_after(&parts.headers, SystemTime::now()),
        attempts: parts
            .extensions
            .get::<Attempt>()
            .map_or(1, |attempt| attempt.0),
        tracking_id,
        body,
    })
}
