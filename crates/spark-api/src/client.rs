//! The [`Client`]: one handle, cheap to clone, from which every resource service is reached.

use std::future::Future;
use std::time::Duration;

use http::{Method, Request, Response, Uri};
use serde::Serialize;
use serde::de::DeserializeOwned;
use spark_http::{
    Body, BoxError, Credentials, HttpClient, HttpClientBuilder, HttpService, ResponseHooks,
    RetryPolicy, SecretString, TokenPair,
};
use spark_model::ListRequest;
use tower::Layer;

use crate::answer;
use crate::env;
use crate::error::{Error, Result};
use crate::pagination::{ListStream, PageStream};
use crate::service::{
    AttachmentActions, Contents, Events, Licenses, Memberships, Messages, OAuth, Organizations,
    People, Roles, RoomTabs, Rooms, TeamMemberships, Teams, Webhooks,
};

/// The Webex client. Clones share connections, the token and the retry budget; a clone costs
/// one reference count.
///
/// Each resource has a service (`client.rooms()`, `client.messages()`, ...); their operations
/// return futures and streams that own what they need, so they can be spawned or collected.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> spark_api::Result<()> {
/// # let emulator = spark_emulator::Emulator::start().await?;
/// # let (base_url, token) = (emulator.base_url(), emulator.access_token());
/// use spark_api::Client;
/// use spark_api::model::{CreateMessage, CreateRoom};
///
/// // Or `Client::from_env()?`: WEBEX_ACCESS_TOKEN (or an older name), refresh variables, base URL.
/// let client = Client::builder().base_url(base_url)?.access_token(token).build()?;
/// let me = client.people().me().await?;
/// let room = client.rooms().create(&CreateRoom::new("Design review")).await?;
/// client
///     .messages()
///     .create(&CreateMessage::to_room(&room.id).markdown("**hello**"))
///     .await?;
///
/// // A clone for another task.
/// let worker = client.clone();
/// let room_id = room.id.clone();
/// let posted = tokio::spawn(async move {
///     worker.messages().create(&CreateMessage::to_room(room_id).text("from a task")).await
/// });
/// posted.await.expect("the task ran")?;
/// # assert!(me.display_name.is_some());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    http: HttpClient,
}

impl Client {
    /// A builder: base URL, credentials, retry, hooks, timeouts, your own layers.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment, which is only read:
    ///
    /// - the access token from the first of [`ACCESS_TOKEN_VARIABLES`](crate::ACCESS_TOKEN_VARIABLES)
    ///   that is set and not blank: `WEBEX_ACCESS_TOKEN`, then `WEBEX_TEAMS_ACCESS_TOKEN`,
    ///   `CISCO_SPARK_ACCESS_TOKEN`, `SPARK_ACCESS_TOKEN`;
    /// - refresh, when `WEBEX_REFRESH_TOKEN`, `WEBEX_CLIENT_ID` and `WEBEX_CLIENT_SECRET` (or
    ///   their `CISCO_SPARK_` forms) are all set;
    /// - the base URL from `WEBEX_BASE_URL` (or `CISCO_SPARK_BASE_URL`), default
    ///   `https://webexapis.com/v1`.
    ///
    /// # Errors
    ///
    /// - [`Error::MissingCredentials`] when no access token variable is set;
    /// - [`Error::IncompleteRefreshCredentials`] when some refresh variables are set but not all
    ///   three (it names the missing ones);
    /// - [`Error::Http`] when the base URL is not a usable URL, or the HTTP stack cannot be built.
    pub fn from_env() -> Result<Client> {
        Self::builder().from_env()?.build()
    }

    /// A client over an existing `spark-http` stack.
    pub fn from_http(http: HttpClient) -> Client {
        Client { http }
    }

    /// A client over any tower service compatible with `spark-http` (a mock, a proxy, your own
    /// transport): auth, refresh, retry and hooks run on top of it.
    pub fn from_service<S, B>(
        service: S,
        base_url: &str,
        credentials: Credentials,
    ) -> Result<Client>
    where
        S: tower::Service<Request<Body>, Response = Response<B>> + Clone + Send + Sync + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        let http = HttpClient::builder()
            .base_url(base_url)?
            .credentials(credentials)
            .build_with_service(service);
        Ok(Client { http })
    }

    /// The raw `spark-http` handle, for calls the services do not cover.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// People: `/people`.
    pub fn people(&self) -> People {
        People::new(self.clone())
    }

    /// Rooms (spaces): `/rooms`.
    pub fn rooms(&self) -> Rooms {
        Rooms::new(self.clone())
    }

    /// Room memberships: `/memberships`.
    pub fn memberships(&self) -> Memberships {
        Memberships::new(self.clone())
    }

    /// Messages: `/messages`.
    pub fn messages(&self) -> Messages {
        Messages::new(self.clone())
    }

    /// Teams: `/teams`.
    pub fn teams(&self) -> Teams {
        Teams::new(self.clone())
    }

    /// Team memberships: `/team/memberships`.
    pub fn team_memberships(&self) -> TeamMemberships {
        TeamMemberships::new(self.clone())
    }

    /// Webhooks: `/webhooks`.
    pub fn webhooks(&self) -> Webhooks {
        Webhooks::new(self.clone())
    }

    /// Organizations: `/organizations`.
    pub fn organizations(&self) -> Organizations {
        Organizations::new(self.clone())
    }

    /// Licenses: `/licenses`.
    pub fn licenses(&self) -> Licenses {
        Licenses::new(self.clone())
    }

    /// Roles: `/roles`.
    pub fn roles(&self) -> Roles {
        Roles::new(self.clone())
    }

    /// Events (compliance): `/events`.
    pub fn events(&self) -> Events {
        Events::new(self.clone())
    }

    /// Attachment actions (card submissions): `/attachment/actions`.
    pub fn attachment_actions(&self) -> AttachmentActions {
        AttachmentActions::new(self.clone())
    }

    /// Room tabs: `/room/tabs`.
    pub fn room_tabs(&self) -> RoomTabs {
        RoomTabs::new(self.clone())
    }

    /// File contents: `/contents`.
    pub fn contents(&self) -> Contents {
        Contents::new(self.clone())
    }

    /// OAuth: exchanging an authorization code, refreshing on demand.
    pub fn oauth(&self) -> OAuth {
        OAuth::new(self.clone())
    }

    /// The URL of `path` under the base URL, with no request made.
    pub fn url(&self, path: &str) -> Result<Uri> {
        Ok(self.http.base_url().join(path)?)
    }

    /// Sends `request` (or reports the error building it) and decodes the JSON answer into `T`.
    ///
    /// The future owns a handle on the stack (one reference count), so it borrows neither the
    /// client nor the service it came from.
    pub(crate) fn call_json<T>(
        &self,
        request: spark_http::Result<Request<Body>>,
    ) -> impl Future<Output = Result<T>> + Send + 'static + use<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        let http = self.http.clone();
        async move { answer::json(http.send(request?).await?).await }
    }

    /// Sends `request` (or reports the error building it) and checks the answer's status,
    /// ignoring its body.
    pub(crate) fn call_empty(
        &self,
        request: spark_http::Result<Request<Body>>,
    ) -> impl Future<Output = Result<()>> + Send + 'static + use<> {
        let http = self.http.clone();
        async move { answer::success(http.send(request?).await?).await.map(drop) }
    }

    /// `GET {path}`, decoded from JSON.
    pub(crate) fn get_json<T>(
        &self,
        path: &str,
    ) -> impl Future<Output = Result<T>> + Send + 'static + use<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        self.call_json(self.http.request(Method::GET, path, Body::empty()))
    }

    /// `{method} {path}` with `body` serialized to JSON now (the future does not borrow it),
    /// answer decoded from JSON.
    pub(crate) fn send_json<B, T>(
        &self,
        method: Method,
        path: &str,
        body: &B,
    ) -> impl Future<Output = Result<T>> + Send + 'static + use<B, T>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned + Send + 'static,
    {
        self.call_json(self.http.json_request(method, path, body))
    }

    /// `DELETE {path}`, answer body ignored.
    pub(crate) fn delete_at(
        &self,
        path: &str,
    ) -> impl Future<Output = Result<()>> + Send + 'static + use<> {
        self.call_empty(self.http.request(Method::DELETE, path, Body::empty()))
    }

    pub(crate) fn pages_at<P>(&self, path: &str, params: &P) -> PageStream<P::Item>
    where
        P: ListRequest,
        P::Item: Send + 'static,
    {
        let query = serde_urlencoded::to_string(params).map_err(Error::Query);
        PageStream::new(self.clone(), path, query)
    }

    pub(crate) fn list_at<P>(&self, path: &str, params: &P) -> ListStream<P::Item>
    where
        P: ListRequest,
        P::Item: Send + 'static,
    {
        self.pages_at(path, params).items()
    }
}

/// Builds a [`Client`]. Every setting of the `spark-http` stack is reachable here.
///
/// ```
/// use std::time::Duration;
/// use spark_api::Client;
/// use spark_http::RetryPolicy;
///
/// let client = Client::builder()
///     .base_url("http://127.0.0.1:8080/v1")?
///     .access_token("token")
///     .refresh("client-id", "client-secret", "refresh-token")
///     .retry(RetryPolicy::default().max_attempts(6))
///     .timeout(Some(Duration::from_secs(20)))
///     .build()?;
/// # Ok::<(), spark_api::Error>(())
/// ```
#[derive(Debug, Default)]
#[must_use]
pub struct ClientBuilder {
    http: HttpClientBuilder,
    access_token: Option<SecretString>,
    expires_in: Option<Duration>,
    refresh: Option<(String, SecretString, SecretString)>,
}

impl ClientBuilder {
    /// Sets the base URL (default `https://webexapis.com/v1`).
    pub fn base_url(mut self, url: &str) -> Result<Self> {
        self.http = self.http.base_url(url)?;
        Ok(self)
    }

    /// Sets the access token.
    pub fn access_token(mut self, token: impl Into<SecretString>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// Says how long the access token stays valid, so it is refreshed ahead of expiry.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// Adds refresh credentials: a 401 then refreshes the token and replays the call.
    pub fn refresh(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
        refresh_token: impl Into<SecretString>,
    ) -> Self {
        self.refresh = Some((client_id.into(), client_secret.into(), refresh_token.into()));
        self
    }

    /// Takes the token, refresh credentials and base URL from the environment (see
    /// [`Client::from_env`] for the variables and their order). The environment is only read.
    ///
    /// # Errors
    ///
    /// As [`Client::from_env`], but for building the stack.
    pub fn from_env(self) -> Result<Self> {
        self.from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup` (a map in tests, a
    /// configuration file, a secret store); `lookup` answers `None` for an unset variable.
    ///
    /// ```
    /// use spark_api::{Client, Error, RefreshSetting};
    ///
    /// let vars = [("WEBEX_ACCESS_TOKEN", "token"), ("WEBEX_REFRESH_TOKEN", "refresh")];
    /// let lookup = |name: &str| vars.iter().find(|(key, _)| *key == name).map(|(_, v)| v.to_string());
    /// match Client::builder().from_lookup(lookup) {
    ///     Err(Error::IncompleteRefreshCredentials { missing }) => {
    ///         assert_eq!(missing, [RefreshSetting::ClientId, RefreshSetting::ClientSecret]);
    ///     }
    ///     other => panic!("{other:?}"),
    /// }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::from_env`].
    pub fn from_lookup(mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let settings = env::settings_from(lookup)?;
        if let Some(url) = &settings.base_url {
            self = self.base_url(url)?;
        }
        self.access_token = Some(settings.access_token);
        if let Some(refresh) = settings.refresh {
            self.refresh = Some((
                refresh.client_id,
                refresh.client_secret,
                refresh.refresh_token,
            ));
        }
        Ok(self)
    }

    /// Trusts another origin with the token (and with next-page links).
    pub fn trust_origin(mut self, url: &str) -> Result<Self> {
        self.http = self.http.trust_origin(url)?;
        Ok(self)
    }

    /// Sets the retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.http = self.http.retry(policy);
        self
    }

    /// Sets the response hooks.
    pub fn hooks(mut self, hooks: ResponseHooks) -> Self {
        self.http = self.http.hooks(hooks);
        self
    }

    /// Sets the head timeout: how long one attempt may wait for the response head, counted
    /// from the last byte of the request body (`None`: no limit). Default 60 s. See
    /// [`HttpClientBuilder::timeout`].
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.http = self.http.timeout(timeout);
        self
    }

    /// Sets the idle timeout (`None`: no limit), default 30 s: an upload that the server stops
    /// taking, or a download (or any answer) that brings no data, for this long fails with
    /// [`spark_http::Error::Timeout`]. It bounds each wait, not the transfer: a large file on a
    /// slow link moves for as long as it needs. See [`HttpClientBuilder::idle_timeout`].
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.http = self.http.idle_timeout(timeout);
        self
    }

    /// Sets how long reading a whole JSON answer (or an error answer's start) may take after
    /// its head (`None`: no limit), default 60 s; past it the call fails with
    /// [`spark_http::Error::Timeout`] of kind [`spark_http::TimeoutKind::Body`]. Downloads
    /// stream and have only the idle timeout. See [`HttpClientBuilder::body_timeout`].
    pub fn body_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.http = self.http.body_timeout(timeout);
        self
    }

    /// Sets the connect timeout (`None`: no limit).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.http = self.http.connect_timeout(timeout);
        self
    }

    /// Sends every request through one HTTP proxy, `http://[user:password@]host:port`, whatever
    /// the environment says (see [`HttpClientBuilder::proxy`]). Without it, the proxy comes from
    /// `https_proxy`, `http_proxy`, `all_proxy` and `no_proxy`, as curl reads them.
    ///
    /// # Errors
    ///
    /// When `url` is not an `http://` proxy URL.
    pub fn proxy(mut self, url: &str) -> Result<Self> {
        self.http = self.http.proxy(url)?;
        Ok(self)
    }

    /// Connects to every origin directly, whatever the environment says.
    pub fn no_proxy(mut self) -> Self {
        self.http = self.http.no_proxy();
        self
    }

    /// Calls `callback` with each refreshed token pair.
    pub fn on_token_refresh<F>(mut self, callback: F) -> Self
    where
        F: Fn(&TokenPair) + Send + Sync + 'static,
    {
        self.http = self.http.on_token_refresh(callback);
        self
    }

    /// Adds a tower layer of your own, run on every attempt (see
    /// [`HttpClientBuilder::layer`]): any layer, whatever body its service answers with, cloneable
    /// or not (tower-http's `TraceLayer`, tower's `RateLimitLayer`, ...).
    pub fn layer<L, B>(mut self, layer: L) -> Self
    where
        L: Layer<HttpService> + Send + Sync + 'static,
        L::Service: tower::Service<Request<Body>, Response = Response<B>> + Send + 'static,
        <L::Service as tower::Service<Request<Body>>>::Error: Into<BoxError>,
        <L::Service as tower::Service<Request<Body>>>::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        self.http = self.http.layer(layer);
        self
    }

    /// Tunes the `spark-http` builder directly.
    pub fn http(mut self, configure: impl FnOnce(HttpClientBuilder) -> HttpClientBuilder) -> Self {
        self.http = configure(self.http);
        self
    }

    /// Builds the client over hyper.
    pub fn build(self) -> Result<Client> {
        let http = self.finish().build()?;
        Ok(Client { http })
    }

    /// Builds the client over a service of your own instead of hyper.
    pub fn build_with_service<S, B>(self, service: S) -> Client
    where
        S: tower::Service<Request<Body>, Response = Response<B>> + Clone + Send + Sync + 'static,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body<Data = bytes::Bytes> + Send + 'static,
        B::Error: Into<BoxError>,
    {
        Client {
            http: self.finish().build_with_service(service),
        }
    }

    fn finish(self) -> HttpClientBuilder {
        let credentials = match (self.access_token, self.refresh) {
            (Some(token), refresh) => {
                let mut credentials = Credentials::new(token);
                if let Some((id, secret, refresh_token)) = refresh {
                    credentials = credentials.refresh(id, secret, refresh_token);
                }
                Some(credentials)
            }
            (None, Some((id, secret, refresh_token))) => {
                Some(Credentials::from_refresh_token(id, secret, refresh_token))
            }
            (None, None) => None,
        };
        match credentials {
            Some(credentials) => {
                let credentials = match self.expires_in {
                    Some(lifetime) => credentials.expires_in(lifetime),
                    None => credentials,
                };
                self.http.credentials(credentials)
            }
            None => self.http,
        }
    }
}
