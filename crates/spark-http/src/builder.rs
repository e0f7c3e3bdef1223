//! Assembling the stack: settings with sane defaults, the application's own layers, and the
//! transport (hyper by default, any service on request).

use std::sync::Arc;
use std::time::Duration;

use http::{Request, Response};
use tower::{Layer, Service, ServiceExt};

use crate::base_url::{BaseUrl, Origin};
use crate::body::Body;
use crate::client::{HttpClient, TokenRefresher};
use crate::credentials::{Credentials, TokenCallback, TokenPair};
use crate::custom_layer::{self, CustomLayer};
use crate::error::{BoxError, Error, Result};
use crate::hooks::ResponseHooks;
use crate::layer::{
    AttemptSpanLayer, AttemptTimeoutLayer, AuthLayer, HooksLayer, RefreshLayer, SetBaseUrlLayer,
};
use crate::proxy::ProxyConfig;
use crate::response::ResponseBody;
use crate::retry::{RetryLayer, RetryPolicy};
use crate::secret::SecretString;
use crate::service::HttpService;
use crate::token::TokenCache;
use crate::transport::{HyperTransport, TransportConfig};

/// The default limit on one attempt's wait for a response head, counted from the last byte of
/// the request body: 60 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The default idle timeout: the longest an upload may go without the connection taking a piece
/// of it, and a response body's read without data: 30 s.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The default limit on reading a response body whole (a JSON answer, an error answer's
/// start), counted from the first read that waits, right after the head: 60 s.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(60);

/// The default limit on opening a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// How long an idle pooled connection is kept by default.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

/// Builds an [`HttpClient`]: the default stack, tuned, optionally with layers of your own or a
/// transport of your own.
///
/// The stack, outermost first, each a public layer of [`crate::layer`]: [`SetBaseUrlLayer`],
/// [`HooksLayer`] (when hooks are set), [`RetryLayer`], [`RefreshLayer`] and [`AuthLayer`] (when
/// credentials are set), your layers, [`AttemptSpanLayer`], [`AttemptTimeoutLayer`], the
/// transport.
///
/// The timeouts, each `None` to turn it off:
///
/// | setting | default | bounds |
/// | --- | --- | --- |
/// | [`connect_timeout`](Self::connect_timeout) | 10 s | opening a connection (and a proxy tunnel) |
/// | [`idle_timeout`](Self::idle_timeout) | 30 s | each wait of an upload for the connection to take more, and of a response body for data |
/// | [`timeout`](Self::timeout) | 60 s | the wait for the response head, from the last byte of the request body |
/// | [`body_timeout`](Self::body_timeout) | 60 s | reading a body whole ([`ResponseBody::collect_limited`], error answers), from the head |
///
/// None of them bounds a transfer that keeps moving: a large upload or download on a slow link
/// takes as long as it needs.
///
/// ```
/// use std::time::Duration;
/// use spark_http::{Credentials, HttpClient, RetryPolicy};
///
/// let client = HttpClient::builder()
///     .base_url("http://127.0.0.1:8080/v1")?
///     .credentials(Credentials::new("token").refresh("client-id", "secret", "refresh"))
///     .retry(RetryPolicy::default().max_attempts(5))
///     .timeout(Some(Duration::from_secs(30)))
///     .on_token_refresh(|pair| println!("store the new refresh token somewhere safe"))
///     .layer(tower::limit::ConcurrencyLimitLayer::new(16))
///     .build()?;
/// # Ok::<(), spark_http::Error>(())
/// ```
#[must_use]
pub struct HttpClientBuilder {
    base_url: BaseUrl,
    credentials: Option<Credentials>,
    trusted: Vec<Origin>,
    retry: RetryPolicy,
    hooks: ResponseHooks,
    timeout: Option<Duration>,
    idle_timeout: Option<Duration>,
    body_timeout: Option<Duration>,
    transport: TransportConfig,
    layers: Vec<CustomLayer>,
    on_token_refresh: Option<TokenCallback>,
}

impl Default for HttpClientBuilder {
    fn default() -> Self {
        Self {
            base_url: BaseUrl::default(),
            credentials: None,
            trusted: Vec::new(),
            retry: RetryPolicy::default(),
            hooks: ResponseHooks::default(),
            timeout: Some(DEFAULT_TIMEOUT),
            idle_timeout: Some(DEFAULT_IDLE_TIMEOUT),
            body_timeout: Some(DEFAULT_BODY_TIMEOUT),
            transport: TransportConfig {
                tls: None,
                connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
                pool_idle_timeout: Some(DEFAULT_POOL_IDLE_TIMEOUT),
                pool_max_idle_per_host: usize::MAX,
                proxy: ProxyConfig::default(),
            },
            layers: Vec::new(),
            on_token_refresh: None,
        }
    }
}

impl std::fmt::Debug for HttpClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("trusted", &self.trusted)
            .field("retry", &self.retry)
            .field("hooks", &self.hooks)
            .field("timeout", &self.timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("body_timeout", &self.body_timeout)
            .field("transport", &self.transport)
            .field("layers", &self.layers.len())
            .finish_non_exhaustive()
    }
}

impl HttpClientBuilder {
    /// A builder with the defaults: base `https://webexapis.com/v1`, no credentials, the default
    /// [`RetryPolicy`], a 10 s connect timeout, a 30 s idle timeout, a 60 s head timeout and a
    /// 60 s body timeout.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the base URL that relative paths resolve against.
    pub fn base_url(mut self, url: &str) -> Result<Self> {
        self.base_url = BaseUrl::parse(url)?;
        Ok(self)
    }

    /// Sets the credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sets a bare access token as the credentials.
    pub fn access_token(self, token: impl Into<SecretString>) -> Self {
        self.credentials(Credentials::new(token))
    }

    /// Trusts another origin with the token (the base URL's own is always trusted, and a base on
    /// one public Webex host trusts the other).
    pub fn trust_origin(mut self, url: &str) -> Result<Self> {
        self.trusted.push(Origin::parse(url)?);
        Ok(self)
    }

    /// Sets the retry policy ([`RetryPolicy::never`] turns retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sets the response hooks.
    pub fn hooks(mut self, hooks: ResponseHooks) -> Self {
        self.hooks = hooks;
        self
    }

    /// Sets how long one attempt may wait for the response head, counted from the last byte of
    /// the request body (`None`: no limit). Default 60 s ([`DEFAULT_TIMEOUT`]). Past it, the
    /// attempt fails with [`Error::Timeout`] of kind
    /// [`TimeoutKind::Head`](crate::TimeoutKind::Head) (retried for idempotent methods).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the idle timeout (`None`: no limit), default 30 s ([`DEFAULT_IDLE_TIMEOUT`]):
    ///
    /// - an upload that the connection takes no piece of for this long (the server stopped
    ///   reading it) fails with [`Error::Timeout`] of kind
    ///   [`TimeoutKind::RequestIdle`](crate::TimeoutKind::RequestIdle);
    /// - a read of a response body that waits this long for data (a stalled download, a
    ///   `Content-Length` never completed) fails with kind
    ///   [`TimeoutKind::ResponseIdle`](crate::TimeoutKind::ResponseIdle).
    ///
    /// It bounds each wait, not the whole transfer: an upload or a download that keeps moving
    /// runs for as long as it takes. (Not to be confused with
    /// [`pool_idle_timeout`](Self::pool_idle_timeout), how long an unused connection is kept.)
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets how long reading a response body whole may take (`None`: no limit), default 60 s
    /// ([`DEFAULT_BODY_TIMEOUT`]): [`ResponseBody::collect_limited`] and
    /// [`ResponseBody::collect_prefix`] on the client's answers (and so every typed call of
    /// `spark-api`, and the error answers read into errors), counted from the first read that
    /// waits, right after the head. Past it, [`Error::Timeout`] of kind
    /// [`TimeoutKind::Body`](crate::TimeoutKind::Body) (a body trickled a byte at a time). A body
    /// streamed frame by frame (a download) has only the idle timeout.
    pub fn body_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// Uses these TLS settings instead of the defaults (the webpki roots): to trust a private
    /// root (a corporate proxy, a test server) or pin a crypto provider. The stack sets the ALPN
    /// protocols itself (HTTP/2, then HTTP/1.1).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use spark_http::{HttpClient, rustls};
    ///
    /// let mut roots = rustls::RootCertStore::empty();
    /// # let private_root_der: Vec<rustls::pki_types::CertificateDer<'static>> = Vec::new();
    /// roots.add_parsable_certificates(private_root_der);
    /// let provider = Arc::new(rustls::crypto::ring::default_provider());
    /// let tls = rustls::ClientConfig::builder_with_provider(provider)
    ///     .with_safe_default_protocol_versions()
    ///     .unwrap()
    ///     .with_root_certificates(roots)
    ///     .with_no_client_auth();
    /// let client = HttpClient::builder().tls_config(tls).build()?;
    /// # Ok::<(), spark_http::Error>(())
    /// ```
    pub fn tls_config(mut self, config: rustls::ClientConfig) -> Self {
        self.transport.tls = Some(config);
        self
    }

    /// Sets how long opening a connection may take (`None`: no limit).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.transport.connect_timeout = timeout;
        self
    }

    /// Sets how long an idle pooled connection is kept (`None`: until the server closes it).
    pub fn pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.transport.pool_idle_timeout = timeout;
        self
    }

    /// Sets how many idle connections are kept per host.
    pub fn pool_max_idle_per_host(mut self, connections: usize) -> Self {
        self.transport.pool_max_idle_per_host = connections;
        self
    }

    /// Sends every request through one HTTP proxy, whatever the environment says (its
    /// `no_proxy` too): `http://[user:password@]host:port` (no scheme means `http://`; no port,
    /// 80).
    ///
    /// Without this, the proxy comes from the environment, as curl reads it: `https_proxy`,
    /// `http_proxy`, `all_proxy` and `no_proxy`, each in lower case first, then upper case, read
    /// when the client is built (none when the program runs as a CGI script). See
    /// [`proxy_from_lookup`](Self::proxy_from_lookup) for what they mean.
    ///
    /// `https` origins are reached through a `CONNECT` tunnel, with TLS to the origin inside it:
    /// the proxy sees the origin's host and port, never the requests, nor the token. Requests to
    /// plain-`http` origins go to the proxy whole, in absolute form, headers and token included,
    /// as plain HTTP always exposes them. Credentials in the URL (percent-encoded) go to the
    /// proxy only, as `Proxy-Authorization: Basic`; errors and `Debug` show `user:***`.
    ///
    /// ```
    /// use spark_http::HttpClient;
    ///
    /// let client = HttpClient::builder()
    ///     .proxy("http://alice:s3cret@proxy.corp.example:3128")?
    ///     .build()?;
    /// # Ok::<(), spark_http::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidProxy`] when `url` is not a proxy URL, or names an `https://` or SOCKS
    /// proxy (only `http://` proxies are supported).
    pub fn proxy(mut self, url: &str) -> Result<Self> {
        self.transport.proxy = ProxyConfig::fixed(url)?;
        Ok(self)
    }

    /// Connects to every origin directly, whatever the environment says.
    pub fn no_proxy(mut self) -> Self {
        self.transport.proxy = ProxyConfig::off();
        self
    }

    /// Takes the proxy settings from the variables `lookup` gives (instead of the process
    /// environment, when the client is built), now.
    ///
    /// The variables, as curl reads them, each in lower case first, then in upper case (an
    /// empty value counts as unset):
    ///
    /// - `https_proxy`: the proxy for `https` origins;
    /// - `http_proxy`: the proxy for plain-`http` origins;
    /// - `all_proxy`: the proxy for the scheme that has none of its own;
    /// - `no_proxy`: the origins that bypass the proxy, comma-separated: host names (a name
    ///   covers its subdomains, with or without a leading dot), IP addresses, networks
    ///   (`10.0.0.0/8`), or `*` for all. Ports are not part of an entry, and names are not
    ///   resolved (`localhost` does not cover `127.0.0.1`).
    ///
    /// When `REQUEST_METHOD` is set (a CGI script, where `HTTP_PROXY` may come from a request
    /// header), no proxy is used at all. The values are read by hyper-util, as for
    /// [`proxy`](Self::proxy).
    ///
    /// ```
    /// use spark_http::HttpClient;
    ///
    /// let vars = [("HTTPS_PROXY", "http://proxy.corp.example:3128"), ("NO_PROXY", "localhost")];
    /// let client = HttpClient::builder()
    ///     .proxy_from_lookup(|name| {
    ///         vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    ///     })?
    ///     .build()?;
    /// # Ok::<(), spark_http::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidProxy`] when a proxy variable holds something that is not an `http://`
    /// proxy URL (the error names the variable). [`build`](Self::build) fails the same way for
    /// the process environment.
    pub fn proxy_from_lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        self.transport.proxy = ProxyConfig::from_lookup(lookup)?;
        Ok(self)
    }

    /// Calls `callback` with each newly refreshed token pair, so the application can store it.
    pub fn on_token_refresh<F>(mut self, callback: F) -> Self
    where
        F: Fn(&TokenPair) + Send + Sync + 'static,
    {
        self.on_token_refresh = Some(Arc::new(callback));
        self
    }

    /// Adds a tower layer of your own, run on every attempt (inside retry, below auth, so it sees
    /// the token and each replay). Layers run in the order added, the first outermost.
    ///
    /// Any layer fits: its service may answer with any body of `Bytes` (tower-http's
    /// `TraceLayer`, `DecompressionLayer`, ...) and fail with any error (kept as
    /// [`Error::Service`] unless it is an [`Error`]); it need not be `Clone` or `Sync`
    /// (tower's `RateLimitLayer`). Its service is shared by every call: a call waits for its
    /// readiness and takes its future in turn, so a rate limit or concurrency limit applies to
    /// all calls of the client together.
    ///
    /// The layer is applied when the client is built: a layer that starts a task then (tower's
    /// `BufferLayer`) needs the client built inside a Tokio runtime.
    pub fn layer<L, B>(mut self, layer: L) -> Self
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service: Service<Request<Body>, Response = Response<B>> + Send + 'static,
        <L::Service as Service<Request<Body>>>::Error: Into<BoxError>,
        <L::Service as Service<Request<Body>>>::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        self.layers.push(custom_layer::erase(layer));
        self
    }

    /// Builds the client over hyper.
    ///
    /// # Errors
    ///
    /// [`Error::Tls`] when the TLS settings cannot be built; [`Error::InvalidProxy`] when a proxy
    /// variable of the environment (read now, unless set otherwise) cannot be used.
    pub fn build(self) -> Result<HttpClient> {
        let transport = HyperTransport::new(&self.transport)?;
        Ok(self.assemble(transport))
    }

    /// Builds the client over a service of your own instead of hyper: everything else in the
    /// stack (auth, refresh, retry, hooks, tracing, timeouts) runs on it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), spark_http::Error> {
    /// use spark_http::{Body, HttpClient, ResponseBody};
    ///
    /// let echo_path = tower::service_fn(|request: http::Request<Body>| async move {
    ///     let path = request.uri().path().to_owned();
    ///     Ok::<_, std::convert::Infallible>(http::Response::new(ResponseBody::from_bytes(path)))
    /// });
    /// let client = HttpClient::builder().build_with_service(echo_path);
    /// let body = client.get("/people/me").await?.into_body().collect_limited(1024).await?;
    /// assert_eq!(body, "/v1/people/me");
    /// # Ok(())
    /// # }
    /// ```
    pub fn build_with_service<S, B>(self, service: S) -> HttpClient
    where
        S: Service<Request<Body>, Response = Response<B>> + Clone + Send + Sync + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let transport = service
            .map_response(|response: Response<B>| response.map(ResponseBody::new))
            .map_err(Error::from_service_error);
        self.assemble(transport)
    }

    /// Puts the stack together over `transport`: the per-attempt layers, then the application's
    /// layers (erased once each), then the rest.
    fn assemble<T>(mut self, transport: T) -> HttpClient
    where
        T: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>
            + Clone
            + Send
            + Sync
            + 'static,
        T::Future: Send + 'static,
    {
        let attempt = tower::ServiceBuilder::new()
            .layer(AttemptSpanLayer::new())
            .map_response(take_idle_timeout)
            .layer(AttemptTimeoutLayer::new(self.timeout).idle_timeout(self.idle_timeout))
            .service(transport);
        let layers = std::mem::take(&mut self.layers);
        if layers.is_empty() {
            return self.assemble_over(attempt);
        }
        let mut attempt = HttpService::new(attempt);
        for layer in layers.iter().rev() {
            attempt = layer(attempt);
        }
        self.assemble_over(attempt)
    }

    /// Puts the layers above the attempt together over `attempt`, the one place where the stack
    /// is erased.
    fn assemble_over<A>(self, attempt: A) -> HttpClient
    where
        A: Service<Request<Body>, Response = Response<ResponseBody>, Error = Error>
            + Clone
            + Send
            + Sync
            + 'static,
        A::Future: Send + 'static,
    {
        let base = Arc::new(self.base_url);
        let token_url = base
            .join("access_token")
            .expect("a valid base URL joins a plain path");
        let tokens = self.credentials.map(|credentials| {
            TokenCache::builder(credentials)
                .token_uri(token_url)
                .on_refresh_shared(self.on_token_refresh.clone())
                .build()
        });
        let mut trusted = base.default_trusted_origins();
        trusted.extend(self.trusted);
        let trusted: Arc<[Origin]> = trusted.into();
        let retry = Arc::new(self.retry);
        let token_layers = tokens.clone().map(|tokens| {
            let auth = AuthLayer::shared(tokens.clone(), trusted.clone());
            let refresh = RefreshLayer::new(tokens).retry(RetryPolicy::clone(&retry));
            tower::layer::util::Stack::new(auth, refresh)
        });
        let refresher: Option<TokenRefresher> = token_layers.as_ref().map(|layers| {
            let refresh = layers.layer(attempt.clone());
            let refresher: TokenRefresher =
                Arc::new(move || Box::pin(refresh.refresh_token::<Body, ResponseBody>()));
            refresher
        });
        let stack = tower::ServiceBuilder::new()
            .layer(SetBaseUrlLayer::shared(base.clone()))
            .option_layer((!self.hooks.is_empty()).then(|| HooksLayer::new(self.hooks)))
            .layer(RetryLayer::shared(retry))
            .option_layer(token_layers)
            .service(attempt);
        HttpClient::from_parts(
            HttpService::new(stack),
            refresher,
            base,
            trusted,
            tokens,
            self.body_timeout,
        )
    }
}

/// The stack's own body with the attempt's idle timeout inside it: no allocation.
#[inline]
fn take_idle_timeout(
    response: Response<crate::layer::IdleTimeoutBody<ResponseBody>>,
) -> Response<ResponseBody> {
    response.map(ResponseBody::from_idle_timeout)
}
