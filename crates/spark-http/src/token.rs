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
//! The exchange with the token endpoint runs in a task of its own: a caller that gives up (a
//! timeout, a dropped stream) does not cut it short, so a refresh token the server has already
//! rotated is never lost.

use std::sync::atomic::{AtomicU64, Ordering};
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

/// Carries a refresh request to the token endpoint (below authentication, with retries).
pub(crate) type RefreshSender =
    Box<dyn FnOnce(Request<Bytes>) -> BoxFuture<Response<ResponseBody>> + Send + 'static>;

/// The last refresh that failed, for the callers that were waiting on it.
struct LastFailure {
    /// The number of the refresh attempt that failed.
    attempt: u64,
    status: Option<StatusCode>,
    reason: String,
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

    /// How many times the token has been replaced by a refresh.
    pub fn generation(&self) -> u64 {
        self.inner.snapshot().generation
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
    client: Option<(String, SecretString)>,
    token_url: Uri,
    on_refresh: Option<TokenCallback>,
}

impl Cache {
    fn new(credentials: Credentials, token_url: Uri, on_refresh: Option<TokenCallback>) -> Self {
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
            state: RwLock::new(TokenState {
                header,
                unusable,
                generation: 0,
                refresh_at,
                refresh_token,
            }),
            refresh_lock: Arc::new(tokio::sync::Mutex::new(None)),
            completed: AtomicU64::new(0),
            client,
            token_url,
            on_refresh,
        }
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
            due: due && self.client.is_some(),
            unusable: state.unusable && self.client.is_none(),
        }
    }

    /// True when a refresh can be attempted.
    fn can_refresh(&self) -> bool {
        self.client.is_some()
    }

    /// Refreshes the token unless someone already replaced generation `seen`; either way returns
    /// the token to use now. `send` carries the refresh request (without any token) to the server.
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
        if let Some(failure) = lock.as_ref().filter(|f| f.attempt > completed_before) {
            return Err(RefreshError::ConcurrentFailure {
                status: failure.status,
                reason: failure.reason.clone(),
            }
            .into());
        }
        let refresh_token = self.read_state().refresh_token.clone();
        let (Some((client_id, client_secret)), Some(refresh_token)) =
            (self.client.as_ref(), refresh_token)
        else {
            return Err(RefreshError::NoCredentials.into());
        };
        let request = refresh_request(&self.token_url, client_id, client_secret, &refresh_token);
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
                    Ok(cache.install(&pair))
                }
                Err(error) => {
                    *lock = Some(LastFailure {
                        attempt,
                        status: match &error {
                            RefreshError::Rejected { status, .. } => Some(*status),
                            _ => None,
                        },
                        reason: error.to_string(),
                    });
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

    /// The current token, if a refresh already replaced generation `seen`.
    fn newer_than(&self, seen: u64) -> Option<TokenSnapshot> {
        let state = self.read_state();
        (state.generation != seen).then(|| TokenSnapshot {
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

    fn install(&self, pair: &TokenPair) -> TokenSnapshot {
        let mut state = self.write_state();
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

    #[tokio::test]
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

        // A later call tries again.
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
