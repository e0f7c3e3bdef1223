//! The token cache: the current access token, its generation, and the single-flight refresh that
//! replaces it. [`AuthLayer`](crate::AuthLayer) reads it; [`RefreshLayer`](crate::RefreshLayer)
//! refreshes it.
//!
//! Every request notes the generation of the token it carried. A caller that sees that token
//! rejected asks for a refresh "if the token is still generation `g`": the first one takes the
//! refresh lock and calls the token endpoint, the others wait on the lock, find a newer generation
//! and use it. However many requests fail at once, the endpoint is called once, and if that call
//! fails, the callers that were waiting for it get its failure instead of calling again.
//!
//! A failure is also remembered for the callers that come after it, so that however the calls
//! arrive, they cause a bounded number of calls to the endpoint. A refusal of the grant itself
//! (`invalid_grant`, `invalid_client`, ...: [`RefreshError::Permanent`]) is reported to every
//! later refresh at once until [`TokenCache::set_credentials`] gives new credentials. Any other
//! failure starts a back-off (1 s doubling to 60 s, jittered, reset by a success) during which
//! refreshes report it at once ([`RefreshError::BackingOff`]). A call that needs no refresh
//! reads the token as before: one read lock, one reference count, nothing more.
//!
//! The exchange with the token endpoint runs in a task of its own: a caller that gives up (a
//! timeout, a dropped stream) does not cut it short, so a refresh token the server has already
//! rotated is never lost.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bytes::Bytes;
use http::header::HeaderValue;
use http::{Request, Response, StatusCode, Uri};
use tokio::time::Instant;

use crate::base_url::{BaseUrl, DEFAULT_BASE_URL};
use crate::credentials::{Credentials, TokenCallback, TokenPair};
#[cfg(test)]
use crate::error::Error;
use crate::error::{RefreshError, Result};
use crate::oauth::{read_answer, refresh_request};
use crate::response::ResponseBody;
use crate::secret::SecretString;
use crate::service::BoxFuture;

/// The longest a token is refreshed ahead of its expiry.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// How long after a failed refresh ahead of expiry the next one is tried.
const RETRY_AHEAD_OF_EXPIRY: Duration = Duration::from_secs(30);

/// The back-off after the first failed refresh in a row (before jitter).
const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// The longest back-off after failed refreshes in a row (before jitter).
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Carries a refresh request to the token endpoint (below authentication, with retries).
pub(crate) type RefreshSender =
    Box<dyn FnOnce(Request<Bytes>) -> BoxFuture<Response<ResponseBody>> + Send + 'static>;

/// The last refresh that failed: for the callers that were waiting on it, and for those that
/// come after it.
struct LastFailure {
    /// The number of the refresh attempt that failed.
    attempt: u64,
    /// The version of the credentials it was made with; it says nothing about other ones.
    credentials_version: u64,
    /// Failures in a row with these credentials, this one included.
    in_a_row: u32,
    kind: FailureKind,
}

/// What kind of failure, and what it tells later callers.
enum FailureKind {
    /// The grant itself was refused: reported until the credentials change.
    Permanent {
        status: StatusCode,
        code: &'static str,
        body: Bytes,
    },
    /// Anything else: reported to the callers that waited for it, and until `retry_at`.
    Passing {
        status: Option<StatusCode>,
        reason: String,
        retry_at: Instant,
    },
}

impl LastFailure {
    /// Remembers `error`, the failure of refresh number `attempt`, the `in_a_row`-th with
    /// credentials of version `credentials_version`.
    fn new(attempt: u64, credentials_version: u64, in_a_row: u32, error: &RefreshError) -> Self {
        let kind = match error {
            RefreshError::Permanent { status, code, body } => FailureKind::Permanent {
                status: *status,
                code,
                body: body.clone(),
            },
            other => FailureKind::Passing {
                status: match other {
                    RefreshError::Rejected { status, .. } => Some(*status),
                    _ => None,
                },
                reason: other.to_string(),
                retry_at: Instant::now() + backoff(in_a_row),
            },
        };
        Self {
            attempt,
            credentials_version,
            in_a_row,
            kind,
        }
    }

    /// The error a refresh asked for at `now` reports instead of calling the endpoint, if any;
    /// `waited` says the caller was waiting while this refresh ran.
    fn report(&self, waited: bool, now: Instant) -> Option<RefreshError> {
        match &self.kind {
            FailureKind::Permanent { status, code, body } => Some(RefreshError::Permanent {
                status: *status,
                code,
                body: body.clone(),
            }),
            FailureKind::Passing { status, reason, .. } if waited => {
                Some(RefreshError::ConcurrentFailure {
                    status: *status,
                    reason: reason.clone(),
                })
            }
            FailureKind::Passing {
                status,
                reason,
                retry_at,
            } => (now < *retry_at).then(|| RefreshError::BackingOff {
                status: *status,
                reason: reason.clone(),
                retry_in: *retry_at - now,
            }),
        }
    }
}

/// The wait after the `in_a_row`-th failed refresh in a row: 1 s doubling to at most 60 s,
/// drawn between half that and that, so that clients failing together do not come back
/// together, and the wait is never near zero.
fn backoff(in_a_row: u32) -> Duration {
    let doublings = in_a_row.saturating_sub(1).min(16);
    let ceiling = FIRST_BACKOFF
        .saturating_mul(1 << doublings)
        .min(MAX_BACKOFF);
    ceiling.mul_f64(0.5 + fastrand::f64() / 2.0)
}

/// The token as one request sees it.
#[derive(Clone)]
pub(crate) struct TokenSnapshot {
    /// The `Authorization` header value, marked sensitive; `None` before the first refresh.
    pub(crate) header: Option<HeaderValue>,
    /// Bumped by every successful refresh.
    pub(crate) generation: u64,
    /// True when the token is missing or due for a refresh.
    pub(crate) due: bool,
    /// True when the configured token cannot be sent and there is no refresh to replace it.
    pub(crate) unusable: bool,
}

struct TokenState {
    header: Option<HeaderValue>,
    /// The configured token cannot be sent (control characters in it).
    unusable: bool,
    generation: u64,
    refresh_at: Option<Instant>,
    refresh_token: Option<SecretString>,
    /// The integration's client id and secret; `None` without refresh credentials.
    client: Option<(String, SecretString)>,
    /// Bumped by [`TokenCache::set_credentials`]: what a refresh learnt with other credentials
    /// (its pair, its failure) does not apply.
    credentials_version: u64,
}

impl TokenState {
    /// The state for `credentials`, at `generation` and `credentials_version`.
    fn new(credentials: Credentials, generation: u64, credentials_version: u64) -> Self {
        let header = credentials.access_token.as_ref().and_then(bearer_header);
        let unusable = credentials.access_token.is_some() && header.is_none();
        let refresh_at = credentials.expires_in.map(refresh_deadline);
        let (client, refresh_token) = match credentials.refresh {
            Some(refresh) => (
                Some((refresh.client_id, refresh.client_secret)),
                Some(refresh.refresh_token),
            ),
            None => (None, None),
        };
        Self {
            header,
            unusable,
            generation,
            refresh_at,
            refresh_token,
            client,
            credentials_version,
        }
    }
}

/// The access token shared by [`AuthLayer`](crate::AuthLayer), which sends it, and
/// [`RefreshLayer`](crate::RefreshLayer), which refreshes it: once for however many calls are
/// waiting, ahead of expiry when the token's lifetime is known, and with the application told
/// of each new pair.
///
/// A clone shares the token (one reference count). Its `Debug` output shows no secret.
///
/// ```
/// use spark_http::{Credentials, TokenCache};
///
/// let tokens = TokenCache::builder(Credentials::new("ACCESS").refresh("id", "secret", "REFRESH"))
///     .token_url("http://127.0.0.1:8080/v1/access_token")?
///     .on_refresh(|pair| println!("store the new pair (expires in {:?})", pair.expires_in))
///     .build();
/// assert!(tokens.can_refresh());
/// assert_eq!(tokens.generation(), 0);
/// assert!(!format!("{tokens:?}").contains("ACCESS"));
/// # Ok::<(), spark_http::Error>(())
/// ```
#[derive(Clone)]
pub struct TokenCache {
    inner: Arc<Cache>,
}

/// Builds a [`TokenCache`]: where refreshes go, and who is told of new tokens.
#[must_use]
pub struct TokenCacheBuilder {
    credentials: Credentials,
    token_url: Uri,
    on_refresh: Option<TokenCallback>,
}

impl std::fmt::Debug for TokenCacheBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCacheBuilder")
            .field("credentials", &self.credentials)
            .field("token_url", &self.token_url)
            .finish_non_exhaustive()
    }
}

impl TokenCacheBuilder {
    /// Sets the token endpoint (default `https://webexapis.com/v1/access_token`).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUri`](crate::Error::InvalidUri) when `url` is not an absolute URL.
    pub fn token_url(mut self, url: &str) -> Result<Self> {
        self.token_url = crate::base_url::parse_absolute(url)?;
        Ok(self)
    }

    /// Calls `callback` with each newly refreshed token pair, so the application can store it.
    pub fn on_refresh<F>(mut self, callback: F) -> Self
    where
        F: Fn(&TokenPair) + Send + Sync + 'static,
    {
        self.on_refresh = Some(Arc::new(callback));
        self
    }

    pub(crate) fn on_refresh_shared(mut self, callback: Option<TokenCallback>) -> Self {
        self.on_refresh = callback;
        self
    }

    pub(crate) fn token_uri(mut self, uri: Uri) -> Self {
        self.token_url = uri;
        self
    }

    /// The cache.
    pub fn build(self) -> TokenCache {
        TokenCache {
            inner: Arc::new(Cache::new(
                self.credentials,
                self.token_url,
                self.on_refresh,
            )),
        }
    }
}

impl TokenCache {
    /// A cache for `credentials`, refreshing at `https://webexapis.com/v1/access_token`.
    pub fn new(credentials: Credentials) -> Self {
        Self::builder(credentials).build()
    }

    /// A builder, to set the token endpoint and a callback for new tokens.
    pub fn builder(credentials: Credentials) -> TokenCacheBuilder {
        let token_url = BaseUrl::parse(DEFAULT_BASE_URL)
            .and_then(|base| base.join("access_token"))
            .unwrap_or_else(|_| Uri::from_static("https://webexapis.com/v1/access_token"));
        TokenCacheBuilder {
            credentials,
            token_url,
            on_refresh: None,
        }
    }

    /// True when refresh credentials (client id, client secret, refresh token) are configured.
    pub fn can_refresh(&self) -> bool {
        self.inner.can_refresh()
    }

    /// How many times the token has been replaced, by a refresh or by
    /// [`set_credentials`](Self::set_credentials); `0` for the token the cache was built with.
    pub fn generation(&self) -> u64 {
        self.inner.snapshot().generation
    }

    /// Replaces the credentials, as if the cache had been built with `credentials`: the access
    /// token (and its lifetime, when given) and the refresh credentials, or their absence.
    ///
    /// This is the way back from a [`RefreshError::Permanent`] (an expired or revoked refresh
    /// token, a wrong client secret): what the cache remembered of failed refreshes is forgotten,
    /// back-off included, and the next refresh calls the token endpoint with the new
    /// credentials. The token counts as replaced ([`generation`](Self::generation) grows by
    /// one): calls that saw the old token rejected send the new one instead of refreshing it
    /// away. Credentials without an access token ([`Credentials::from_refresh_token`]) make the
    /// next call refresh first. A refresh already under way with the old credentials is not
    /// installed when it ends: its pair is dropped and the [`on_refresh`] callback is not told.
    ///
    /// ```
    /// use spark_http::{Credentials, TokenCache};
    ///
    /// let tokens = TokenCache::new(Credentials::new("OLD").refresh("id", "secret", "EXPIRED"));
    /// // ... a refresh failed with `RefreshError::Permanent`; the user authorized again:
    /// tokens.set_credentials(Credentials::new("NEW").refresh("id", "secret", "REFRESH"));
    /// assert_eq!(tokens.generation(), 1);
    /// ```
    ///
    /// [`on_refresh`]: TokenCacheBuilder::on_refresh
    pub fn set_credentials(&self, credentials: Credentials) {
        self.inner.set_credentials(credentials);
    }

    /// The `Authorization` header value of the current token (`Bearer <token>`, marked
    /// sensitive), for a protocol the HTTP stack does not carry: the first frame of a websocket,
    /// or a request to a host the client does not trust with the token. `None` while the cache
    /// holds no usable token (built from a refresh token alone, before its first refresh).
    ///
    /// ```
    /// use spark_http::{Credentials, TokenCache};
    ///
    /// let tokens = TokenCache::new(Credentials::new("abc"));
    /// let header = tokens.authorization().expect("a token");
    /// assert_eq!(header.to_str().unwrap(), "Bearer abc");
    /// assert!(header.is_sensitive());
    /// ```
    pub fn authorization(&self) -> Option<http::HeaderValue> {
        self.inner.snapshot().header
    }

    pub(crate) fn snapshot(&self) -> TokenSnapshot {
        self.inner.snapshot()
    }

    pub(crate) async fn refresh_if_current(
        &self,
        seen: u64,
        send: RefreshSender,
    ) -> Result<TokenSnapshot> {
        self.inner.refresh_if_current(seen, send).await
    }
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

/// Holds the token and refreshes it, once, for everyone waiting.
struct Cache {
    state: RwLock<TokenState>,
    /// Held for the whole exchange with the token endpoint; keeps the last failure.
    refresh_lock: Arc<tokio::sync::Mutex<Option<LastFailure>>>,
    /// Refresh attempts finished so far (each is numbered by this count plus one).
    completed: AtomicU64,
    /// True when refresh credentials are set: read by every call, without the state lock.
    refreshable: AtomicBool,
    token_url: Uri,
    on_refresh: Option<TokenCallback>,
}

impl Cache {
    fn new(credentials: Credentials, token_url: Uri, on_refresh: Option<TokenCallback>) -> Self {
        let state = TokenState::new(credentials, 0, 0);
        Self {
            refreshable: AtomicBool::new(state.client.is_some()),
            state: RwLock::new(state),
            refresh_lock: Arc::new(tokio::sync::Mutex::new(None)),
            completed: AtomicU64::new(0),
            token_url,
            on_refresh,
        }
    }

    /// Replaces the credentials; see [`TokenCache::set_credentials`].
    fn set_credentials(&self, credentials: Credentials) {
        let mut state = self.write_state();
        let generation = state.generation + 1;
        let version = state.credentials_version + 1;
        *state = TokenState::new(credentials, generation, version);
        self.refreshable
            .store(state.client.is_some(), Ordering::Release);
        drop(state);
        tracing::debug!(generation, "credentials replaced");
    }

    /// The current token, and whether it is due for a refresh.
    fn snapshot(&self) -> TokenSnapshot {
        let state = self.read_state();
        let due = state.header.is_none()
            || state
                .refresh_at
                .is_some_and(|deadline| Instant::now() >= deadline);
        TokenSnapshot {
            header: state.header.clone(),
            generation: state.generation,
            due: due && state.client.is_some(),
            unusable: state.unusable && state.client.is_none(),
        }
    }

    /// True when a refresh can be attempted.
    fn can_refresh(&self) -> bool {
        self.refreshable.load(Ordering::Acquire)
    }

    /// Refreshes the token unless someone already replaced generation `seen`; either way returns
    /// the token to use now. `send` carries the refresh request (without any token) to the server.
    ///
    /// The endpoint is not called when the last failure with the current credentials still
    /// answers for it: a permanent one, one this call waited for, or one whose back-off runs.
    async fn refresh_if_current(
        self: &Arc<Self>,
        seen: u64,
        send: RefreshSender,
    ) -> Result<TokenSnapshot> {
        // Attempts finishing after this point are ones this call waited for.
        let completed_before = self.completed.load(Ordering::Acquire);
        let lock = self.refresh_lock.clone().lock_owned().await;
        if let Some(current) = self.newer_than(seen) {
            return Ok(current);
        }
        let (version, client, refresh_token) = {
            let state = self.read_state();
            (
                state.credentials_version,
                state.client.clone(),
                state.refresh_token.clone(),
            )
        };
        let (Some((client_id, client_secret)), Some(refresh_token)) = (client, refresh_token)
        else {
            return Err(RefreshError::NoCredentials.into());
        };
        let last_failure = lock
            .as_ref()
            .filter(|failure| failure.credentials_version == version);
        if let Some(error) = last_failure
            .and_then(|failure| failure.report(failure.attempt > completed_before, Instant::now()))
        {
            self.postpone_refresh();
            return Err(error.into());
        }
        let in_a_row = last_failure.map_or(0, |failure| failure.in_a_row) + 1;
        let request = refresh_request(&self.token_url, &client_id, &client_secret, &refresh_token);
        let attempt = self.completed.load(Ordering::Acquire) + 1;
        let cache = self.clone();
        let exchange = tokio::spawn(async move {
            let mut lock = lock;
            let outcome = match send(request).await {
                Ok(response) => read_answer(response, &refresh_token).await,
                Err(error) => Err(RefreshError::Transport(Box::new(error))),
            };
            let finished = match outcome {
                Ok(pair) => {
                    *lock = None;
                    Ok(cache.install(&pair, version))
                }
                Err(error) => {
                    // Kept with the version it was made with: new credentials make it moot.
                    *lock = Some(LastFailure::new(attempt, version, in_a_row, &error));
                    cache.postpone_refresh();
                    Err(error)
                }
            };
            cache.completed.store(attempt, Ordering::Release);
            finished
        });
        match exchange.await {
            Ok(outcome) => Ok(outcome?),
            Err(interrupted) => Err(RefreshError::Transport(Box::new(
                crate::error::Error::Service(Box::new(interrupted)),
            ))
            .into()),
        }
    }

    /// The current token, if a refresh (or new credentials) already replaced generation `seen`
    /// with a token.
    fn newer_than(&self, seen: u64) -> Option<TokenSnapshot> {
        let state = self.read_state();
        (state.generation != seen && state.header.is_some()).then(|| TokenSnapshot {
            header: state.header.clone(),
            generation: state.generation,
            due: false,
            unusable: false,
        })
    }

    /// After a failed refresh, the current token (if any) is used a little longer before the
    /// next attempt ahead of its expiry, so that every call does not try again.
    fn postpone_refresh(&self) {
        let mut state = self.write_state();
        if state.header.is_some() && state.refresh_at.is_some() {
            state.refresh_at = Some(Instant::now() + RETRY_AHEAD_OF_EXPIRY);
        }
    }

    /// The state for reading; a panic elsewhere never leaves it half-written, so a poisoned
    /// lock is still usable.
    fn read_state(&self) -> std::sync::RwLockReadGuard<'_, TokenState> {
        self.state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The state for writing (see [`TokenCache::read_state`] about poisoning).
    fn write_state(&self) -> std::sync::RwLockWriteGuard<'_, TokenState> {
        self.state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Installs `pair`, refreshed with credentials of version `credentials_version`, and tells
    /// the application; when the credentials were replaced meanwhile, the pair is dropped and
    /// the current token returned.
    fn install(&self, pair: &TokenPair, credentials_version: u64) -> TokenSnapshot {
        let mut state = self.write_state();
        if state.credentials_version != credentials_version {
            tracing::debug!("credentials replaced during a refresh; its token pair is dropped");
            return TokenSnapshot {
                header: state.header.clone(),
                generation: state.generation,
                due: false,
                unusable: state.unusable && state.client.is_none(),
            };
        }
        state.header = bearer_header(&pair.access_token);
        state.unusable = state.header.is_none();
        state.generation += 1;
        state.refresh_at = pair.expires_in.map(refresh_deadline);
        state.refresh_token = Some(pair.refresh_token.clone());
        let snapshot = TokenSnapshot {
            header: state.header.clone(),
            generation: state.generation,
            due: false,
            unusable: state.unusable,
        };
        drop(state);
        tracing::debug!(generation = snapshot.generation, "access token refreshed");
        if let Some(callback) = &self.on_refresh {
            callback(pair);
        }
        snapshot
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let generation = self.snapshot().generation;
        f.debug_struct("TokenCache")
            .field("generation", &generation)
            .field("can_refresh", &self.can_refresh())
            .finish_non_exhaustive()
    }
}

/// When a token that lives `lifetime` from now should be refreshed: a tenth of its life early,
/// at most a minute early.
fn refresh_deadline(lifetime: Duration) -> Instant {
    let margin = (lifetime / 10).min(MAX_REFRESH_MARGIN);
    Instant::now() + lifetime.saturating_sub(margin)
}

/// `Bearer <token>`, marked sensitive so that no HTTP layer logs it. Surrounding whitespace
/// (the line break a token file ends with) and a scheme given with the token, as people paste it
/// (`Bearer abc`, `bearer abc`), are dropped. `None` when what is left holds characters a header
/// cannot carry.
fn bearer_header(token: &SecretString) -> Option<HeaderValue> {
    let mut value =
        HeaderValue::try_from(format!("Bearer {}", bare_token(token.expose_secret()))).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// The token without surrounding whitespace and without a leading `Bearer` scheme (any case).
fn bare_token(token: &str) -> &str {
    let token = token.trim();
    match token.split_at_checked(6) {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("bearer") && rest.starts_with([' ', '\t']) =>
        {
            rest.trim_start()
        }
        _ => token,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn cache(credentials: Credentials) -> TokenCache {
        TokenCache::builder(credentials)
            .token_url("http://127.0.0.1:1/v1/access_token")
            .unwrap()
            .build()
    }

    fn answering(calls: &Arc<AtomicUsize>, status: u16, body: &'static str) -> RefreshSender {
        let calls = calls.clone();
        Box::new(move |_| {
            Box::pin(async move {
                calls.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
                let mut response = Response::new(ResponseBody::from_bytes(body));
                *response.status_mut() = StatusCode::from_u16(status).unwrap();
                Ok(response)
            })
        })
    }

    #[tokio::test]
    async fn concurrent_refreshes_of_one_generation_call_the_endpoint_once() {
        let cache = cache(Credentials::new("A1").refresh("id", "secret", "R1"));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let cache = cache.clone();
            let send = answering(&calls, 200, r#"{"access_token":"A2","refresh_token":"R2"}"#);
            tasks.push(tokio::spawn(async move {
                cache
                    .refresh_if_current(0, send)
                    .await
                    .map(|snapshot| snapshot.generation)
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap().unwrap(), 1);
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        let header = cache.snapshot().header.unwrap();
        assert_eq!(header, "Bearer A2");
        assert!(header.is_sensitive());
    }

    #[tokio::test(start_paused = true)]
    async fn callers_waiting_on_a_failed_refresh_share_its_failure() {
        let cache = cache(Credentials::new("A1").refresh("id", "secret", "R1"));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let cache = cache.clone();
            let send = answering(&calls, 400, r#"{"message":"bad refresh token"}"#);
            tasks.push(tokio::spawn(async move {
                cache.refresh_if_current(0, send).await
            }));
        }
        let mut shared = 0;
        for task in tasks {
            match task.await.unwrap() {
                Err(Error::Refresh(RefreshError::Rejected { status, .. })) => {
                    assert_eq!(status, 400)
                }
                Err(Error::Refresh(RefreshError::ConcurrentFailure { status, .. })) => {
                    assert_eq!(status, Some(StatusCode::BAD_REQUEST));
                    shared += 1;
                }
                other => panic!("unexpected {:?}", other.map(|s| s.generation)),
            }
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1, "one call for all twenty");
        assert_eq!(shared, 19);

        // A later call gets the failure at once during the back-off, and tries after it.
        let send = answering(&calls, 200, r#"{"access_token":"A2"}"#);
        assert!(matches!(
            cache.refresh_if_current(0, send).await,
            Err(Error::Refresh(RefreshError::BackingOff { status: Some(status), .. }))
                if status == StatusCode::BAD_REQUEST
        ));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        tokio::time::advance(FIRST_BACKOFF).await;
        let send = answering(&calls, 200, r#"{"access_token":"A2"}"#);
        assert_eq!(
            cache.refresh_if_current(0, send).await.unwrap().generation,
            1
        );
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_caller_that_gives_up_does_not_cut_the_refresh_short() {
        let pairs = Arc::new(AtomicUsize::new(0));
        let seen = pairs.clone();
        let cache = TokenCache::builder(Credentials::new("A1").refresh("id", "secret", "R1"))
            .on_refresh(move |_: &TokenPair| {
                seen.fetch_add(1, Ordering::SeqCst);
            })
            .build();
        let slow: RefreshSender = Box::new(|_| {
            Box::pin(async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                Ok(Response::new(ResponseBody::from_bytes(
                    r#"{"access_token":"A2","refresh_token":"R2"}"#,
                )))
            })
        });
        let gave_up =
            tokio::time::timeout(Duration::from_secs(1), cache.refresh_if_current(0, slow)).await;
        assert!(gave_up.is_err(), "the caller stopped waiting");
        tokio::time::sleep(Duration::from_secs(20)).await;
        assert_eq!(cache.snapshot().generation, 1, "the new pair was installed");
        assert_eq!(pairs.load(Ordering::SeqCst), 1, "and the application told");
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_the_old_token() {
        let cache = cache(Credentials::new("A1").refresh("id", "secret", "R1"));
        let calls = Arc::new(AtomicUsize::new(0));
        let result = cache
            .refresh_if_current(0, answering(&calls, 200, "not json"))
            .await;
        assert!(matches!(
            result,
            Err(Error::Refresh(RefreshError::Decode(_)))
        ));
        let snapshot = cache.snapshot();
        assert_eq!(snapshot.generation, 0);
        assert_eq!(snapshot.header.unwrap(), "Bearer A1");
    }

    #[tokio::test]
    async fn without_refresh_credentials_a_refresh_is_a_typed_error() {
        let cache = cache(Credentials::new("A1"));
        let calls = Arc::new(AtomicUsize::new(0));
        let result = cache
            .refresh_if_current(0, answering(&calls, 200, "{}"))
            .await;
        assert!(matches!(
            result,
            Err(Error::Refresh(RefreshError::NoCredentials))
        ));
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_is_due_a_tenth_of_its_life_before_expiry_at_most_a_minute() {
        let cache = cache(
            Credentials::new("A1")
                .expires_in(Duration::from_secs(100))
                .refresh("id", "secret", "R1"),
        );
        tokio::time::advance(Duration::from_secs(89)).await;
        assert!(!cache.snapshot().due);
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(cache.snapshot().due);

        let long = self::cache(
            Credentials::new("A1")
                .expires_in(Duration::from_secs(3600))
                .refresh("id", "secret", "R1"),
        );
        tokio::time::advance(Duration::from_secs(3539)).await;
        assert!(!long.snapshot().due);
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(long.snapshot().due);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_ahead_of_expiry_is_not_retried_by_every_call() {
        let cache = cache(
            Credentials::new("A1")
                .expires_in(Duration::from_secs(100))
                .refresh("id", "secret", "R1"),
        );
        tokio::time::advance(Duration::from_secs(95)).await;
        assert!(cache.snapshot().due);
        let calls = Arc::new(AtomicUsize::new(0));
        let _ = cache
            .refresh_if_current(0, answering(&calls, 503, ""))
            .await;
        assert!(!cache.snapshot().due, "the next try waits a little");
        tokio::time::advance(RETRY_AHEAD_OF_EXPIRY).await;
        assert!(cache.snapshot().due);
    }

    const INVALID_GRANT: &str = r#"{"error":"invalid_grant","error_description":"expired"}"#;

    /// One refresh of generation 0, answered `status` with `body`; counts the calls.
    async fn refresh_once(
        cache: &TokenCache,
        calls: &Arc<AtomicUsize>,
        status: u16,
        body: &'static str,
    ) -> Result<TokenSnapshot> {
        cache
            .refresh_if_current(0, answering(calls, status, body))
            .await
    }

    #[tokio::test(start_paused = true)]
    async fn a_refused_grant_is_reported_at_once_until_the_credentials_change() {
        let cache = cache(Credentials::new("A1").refresh("id", "secret", "R1"));
        let calls = Arc::new(AtomicUsize::new(0));
        for _ in 0..5 {
            match refresh_once(&cache, &calls, 400, INVALID_GRANT).await {
                Err(Error::Refresh(RefreshError::Permanent { status, code, body })) => {
                    assert_eq!(status, StatusCode::BAD_REQUEST);
                    assert_eq!(code, "invalid_grant");
                    assert_eq!(body, INVALID_GRANT.as_bytes());
                }
                other => panic!("unexpected {:?}", other.map(|s| s.generation)),
            }
            tokio::time::advance(Duration::from_secs(3600)).await;
        }
        assert_eq!(calls.load(Ordering::SeqCst), 1, "asked once, an hour apart");
        assert_eq!(cache.snapshot().header.unwrap(), "Bearer A1");

        cache.set_credentials(Credentials::new("A2").refresh("id", "secret", "R2"));
        // A2 is rejected in turn: its generation, 1, is refreshed.
        let fresh = cache
            .refresh_if_current(1, answering(&calls, 200, r#"{"access_token":"A3"}"#))
            .await
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2, "new credentials are tried");
        assert_eq!(fresh.header.unwrap(), "Bearer A3");
    }

    #[tokio::test(start_paused = true)]
    async fn failures_in_a_row_back_off_from_one_second_to_a_minute_and_success_resets() {
        let cache = cache(Credentials::new("A1").refresh("id", "secret", "R1"));
        let calls = Arc::new(AtomicUsize::new(0));
        let ceilings = [1, 2, 4, 8, 16, 32, 60, 60, 60].map(Duration::from_secs);
        for (index, ceiling) in ceilings.into_iter().enumerate() {
            assert!(matches!(
                refresh_once(&cache, &calls, 503, "").await,
                Err(Error::Refresh(RefreshError::Rejected { .. }))
            ));
            assert_eq!(calls.load(Ordering::SeqCst), index + 1);
            // Jitter draws the wait between half the ceiling and the ceiling.
            tokio::time::advance(ceiling / 2 - Duration::from_millis(1)).await;
            match refresh_once(&cache, &calls, 200, r#"{"access_token":"A2"}"#).await {
                Err(Error::Refresh(RefreshError::BackingOff {
                    status, retry_in, ..
                })) => {
                    assert_eq!(status, Some(StatusCode::SERVICE_UNAVAILABLE));
                    assert!(retry_in > Duration::ZERO && retry_in <= ceiling / 2);
                }
                other => panic!("{ceiling:?}: unexpected {:?}", other.map(|s| s.generation)),
            }
            assert_eq!(
                calls.load(Ordering::SeqCst),
                index + 1,
                "no call in the back-off"
            );
            tokio::time::advance(ceiling / 2 + Duration::from_millis(1)).await;
        }
        // After the last back-off the endpoint is asked again; a success resets the back-off.
        let fresh = refresh_once(&cache, &calls, 200, r#"{"access_token":"A2"}"#).await;
        assert_eq!(fresh.unwrap().generation, 1);
        assert_eq!(calls.load(Ordering::SeqCst), ceilings.len() + 1);
        let _ = cache
            .refresh_if_current(1, answering(&calls, 503, ""))
            .await;
        tokio::time::advance(FIRST_BACKOFF).await;
        let fresh = cache
            .refresh_if_current(1, answering(&calls, 200, r#"{"access_token":"A3"}"#))
            .await;
        assert_eq!(
            fresh.unwrap().generation,
            2,
            "one second after, as at first"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn new_credentials_reset_the_back_off() {
        let cache = cache(Credentials::new("A1").refresh("id", "secret", "R1"));
        let calls = Arc::new(AtomicUsize::new(0));
        let _ = refresh_once(&cache, &calls, 500, "").await;
        cache.set_credentials(Credentials::from_refresh_token("id", "secret", "R2"));
        assert!(
            cache.snapshot().due,
            "no access token: the next call refreshes"
        );
        let fresh = cache
            .refresh_if_current(1, answering(&calls, 200, r#"{"access_token":"A2"}"#))
            .await
            .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(fresh.header.unwrap(), "Bearer A2");
    }

    #[tokio::test]
    async fn new_credentials_replace_the_token_and_waiting_calls_use_it() {
        let cache = cache(Credentials::new("A1"));
        assert!(!cache.can_refresh());
        cache.set_credentials(Credentials::new("A2").refresh("id", "secret", "R2"));
        assert!(cache.can_refresh());
        assert_eq!(cache.generation(), 1);
        // A call that saw generation 0 rejected uses the new token without a refresh.
        let calls = Arc::new(AtomicUsize::new(0));
        let current = refresh_once(&cache, &calls, 200, "{}").await.unwrap();
        assert_eq!(current.header.unwrap(), "Bearer A2");
        assert_eq!(calls.load(Ordering::SeqCst), 0);
        cache.set_credentials(Credentials::new("A3"));
        assert!(!cache.can_refresh());
        assert!(!format!("{cache:?}").contains("A3"));
    }

    #[tokio::test(start_paused = true)]
    async fn a_refresh_under_way_when_the_credentials_change_is_not_kept() {
        let pairs = Arc::new(AtomicUsize::new(0));
        let seen = pairs.clone();
        let cache = TokenCache::builder(Credentials::new("A1").refresh("id", "secret", "R1"))
            .on_refresh(move |_: &TokenPair| {
                seen.fetch_add(1, Ordering::SeqCst);
            })
            .build();
        let slow = |status: u16, body: &'static str| -> RefreshSender {
            Box::new(move |_| {
                Box::pin(async move {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    let mut response = Response::new(ResponseBody::from_bytes(body));
                    *response.status_mut() = StatusCode::from_u16(status).unwrap();
                    Ok(response)
                })
            })
        };
        // A failure of the old credentials is not remembered against the new ones.
        let refusing = tokio::spawn({
            let cache = cache.clone();
            async move { cache.refresh_if_current(0, slow(400, INVALID_GRANT)).await }
        });
        tokio::time::sleep(Duration::from_secs(1)).await;
        cache.set_credentials(Credentials::new("B1").refresh("id", "secret", "S1"));
        assert!(matches!(
            refusing.await.unwrap(),
            Err(Error::Refresh(RefreshError::Permanent { .. }))
        ));
        // A pair made from the old credentials is not installed.
        let granting = tokio::spawn({
            let cache = cache.clone();
            async move {
                cache
                    .refresh_if_current(1, slow(200, r#"{"access_token":"OLD-PAIR"}"#))
                    .await
            }
        });
        tokio::time::sleep(Duration::from_secs(1)).await;
        cache.set_credentials(Credentials::new("C1").refresh("id", "secret", "T1"));
        let current = granting.await.unwrap().unwrap();
        assert_eq!(current.header.unwrap(), "Bearer C1");
        assert_eq!(
            pairs.load(Ordering::SeqCst),
            0,
            "the application is not told"
        );
        assert_eq!(cache.snapshot().header.unwrap(), "Bearer C1");
        assert_eq!(cache.generation(), 2);
    }
}

#[cfg(test)]
mod header_tests {
    use super::*;

    #[test]
    fn a_token_pasted_with_its_scheme_is_sent_with_one() {
        for pasted in [
            "Bearer abc",
            "bearer abc",
            "BEARER  abc",
            " Bearer\tabc\n",
            "abc",
        ] {
            let header = bearer_header(&SecretString::new(pasted)).unwrap();
            assert_eq!(header, "Bearer abc", "{pasted:?}");
        }
        // A token that merely starts with the letters is kept whole.
        let header = bearer_header(&SecretString::new("BearerXYZ")).unwrap();
        assert_eq!(header, "Bearer BearerXYZ");
    }

    #[test]
    fn surrounding_whitespace_is_trimmed_and_control_characters_refused() {
        let trimmed = bearer_header(&SecretString::new("  T0KEN\n")).unwrap();
        assert_eq!(trimmed, "Bearer T0KEN");
        assert!(bearer_header(&SecretString::new("T0\nKEN")).is_none());
        let cache = TokenCache::new(Credentials::new("T0\nKEN"));
        assert!(cache.snapshot().unusable);
    }
}
