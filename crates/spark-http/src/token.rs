//! The current access token, its generation, and the single-flight refresh that replaces it.
//!
//! Every request notes the generation of the token it carried. A caller that sees that token
//! rejected asks for a refresh "if the token is still generation `g`": the first one takes the
//! refresh lock and calls the token endpoint, the others wait on the lock, find a newer generation
//! and use it. However many requests fail at once, the endpoint is called once.

use std::future::Future;
use std::sync::RwLock;
use std::time::Duration;

use http::header::HeaderValue;
use http::{Request, Response, Uri};
use tokio::time::Instant;

use crate::body::Body;
use crate::credentials::{Credentials, TokenCallback, TokenPair};
#[cfg(test)]
use crate::error::Error;
use crate::error::{RefreshError, Result};
use crate::refresh::{read_answer, refresh_request};
use crate::response::ResponseBody;
use crate::secret::SecretString;

/// The longest a token is refreshed ahead of its expiry.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// The token as one request sees it.
#[derive(Clone)]
pub(crate) struct TokenSnapshot {
    /// The `Authorization` header value, marked sensitive; `None` before the first refresh.
    pub(crate) header: Option<HeaderValue>,
    /// Bumped by every successful refresh.
    pub(crate) generation: u64,
    /// True when the token is missing or due for a refresh.
    pub(crate) due: bool,
}

struct TokenState {
    header: Option<HeaderValue>,
    generation: u64,
    refresh_at: Option<Instant>,
    refresh_token: Option<SecretString>,
}

/// Holds the token and refreshes it, once, for everyone waiting.
pub(crate) struct TokenCache {
    state: RwLock<TokenState>,
    refresh_lock: tokio::sync::Mutex<()>,
    client: Option<(String, SecretString)>,
    token_url: Uri,
    on_refresh: Option<TokenCallback>,
}

impl TokenCache {
    pub(crate) fn new(
        credentials: Credentials,
        token_url: Uri,
        on_refresh: Option<TokenCallback>,
    ) -> Self {
        let header = credentials.access_token.as_ref().map(bearer_header);
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
                generation: 0,
                refresh_at,
                refresh_token,
            }),
            refresh_lock: tokio::sync::Mutex::new(()),
            client,
            token_url,
            on_refresh,
        }
    }

    /// The current token, and whether it is due for a refresh.
    pub(crate) fn snapshot(&self) -> TokenSnapshot {
        let state = self
            .state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let due = state.header.is_none()
            || state
                .refresh_at
                .is_some_and(|deadline| Instant::now() >= deadline);
        TokenSnapshot {
            header: state.header.clone(),
            generation: state.generation,
            due: due && self.client.is_some(),
        }
    }

    /// True when a refresh can be attempted.
    pub(crate) fn can_refresh(&self) -> bool {
        self.client.is_some()
    }

    /// Refreshes the token unless someone already replaced generation `seen`; either way returns
    /// the token to use now. `send` carries the refresh request (without any token) to the server.
    pub(crate) async fn refresh_if_current<F, Fut>(
        &self,
        seen: u64,
        send: F,
    ) -> Result<TokenSnapshot>
    where
        F: FnOnce(Request<Body>) -> Fut,
        Fut: Future<Output = Result<Response<ResponseBody>>>,
    {
        let _only_one_refresh = self.refresh_lock.lock().await;
        let refresh_token = {
            let state = self
                .state
                .read()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if state.generation != seen {
                return Ok(TokenSnapshot {
                    header: state.header.clone(),
                    generation: state.generation,
                    due: false,
                });
            }
            state.refresh_token.clone()
        };
        let (Some((client_id, client_secret)), Some(refresh_token)) =
            (self.client.as_ref(), refresh_token)
        else {
            return Err(RefreshError::NoCredentials.into());
        };
        let request = refresh_request(&self.token_url, client_id, client_secret, &refresh_token);
        let response = send(request)
            .await
            .map_err(|err| RefreshError::Transport(Box::new(err)))?;
        let pair = read_answer(response, &refresh_token).await?;
        let snapshot = self.install(&pair);
        tracing::debug!(generation = snapshot.generation, "access token refreshed");
        if let Some(callback) = &self.on_refresh {
            callback(&pair);
        }
        Ok(snapshot)
    }

    fn install(&self, pair: &TokenPair) -> TokenSnapshot {
        let mut state = self
            .state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.header = Some(bearer_header(&pair.access_token));
        state.generation += 1;
        state.refresh_at = pair.expires_in.map(refresh_deadline);
        state.refresh_token = Some(pair.refresh_token.clone());
        TokenSnapshot {
            header: state.header.clone(),
            generation: state.generation,
            due: false,
        }
    }
}

impl std::fmt::Debug for TokenCache {
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

/// `Bearer <token>`, marked sensitive so that no HTTP layer logs it.
fn bearer_header(token: &SecretString) -> HeaderValue {
    let mut value = HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
        .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid-token"));
    value.set_sensitive(true);
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn cache(credentials: Credentials) -> TokenCache {
        TokenCache::new(
            credentials,
            "http://127.0.0.1:1/v1/access_token".parse().unwrap(),
            None,
        )
    }

    fn token_answer(body: &'static str) -> Result<Response<ResponseBody>> {
        Ok(Response::new(ResponseBody::from_bytes(body)))
    }

    #[tokio::test]
    async fn concurrent_refreshes_of_one_generation_call_the_endpoint_once() {
        let cache = Arc::new(cache(Credentials::new("A1").refresh("id", "secret", "R1")));
        let calls = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let cache = cache.clone();
            let calls = calls.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .refresh_if_current(0, |_| async move {
                        calls.fetch_add(1, Ordering::SeqCst);
                        tokio::task::yield_now().await;
                        token_answer(r#"{"access_token":"A2","refresh_token":"R2"}"#)
                    })
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
    async fn a_failed_refresh_keeps_the_old_token() {
        let cache = cache(Credentials::new("A1").refresh("id", "secret", "R1"));
        let result = cache
            .refresh_if_current(0, |_| async { token_answer("not json") })
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
        let result = cache
            .refresh_if_current(0, |_| async { unreachable!("no request is made") })
            .await;
        assert!(matches!(
            result,
            Err(Error::Refresh(RefreshError::NoCredentials))
        ));
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
}
