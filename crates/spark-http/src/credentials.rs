//! What the stack authenticates with: an access token, optionally with what it takes to refresh
//! it, and the token pair handed to the application after a refresh.

use std::sync::Arc;
use std::time::Duration;

use crate::secret::SecretString;

/// The credentials the stack authenticates with.
///
/// With only an access token, a 401 is an [`Error::Unauthorized`](crate::Error::Unauthorized) at
/// once. With refresh credentials as well, the stack refreshes the token on a 401 (and ahead of
/// its expiry, when known) and replays the request.
///
/// ```
/// use std::time::Duration;
/// use spark_http::Credentials;
///
/// let simple = Credentials::new("ACCESS");
/// let refreshing = Credentials::new("ACCESS")
///     .expires_in(Duration::from_secs(14 * 24 * 3600))
///     .refresh("client-id", "client-secret", "REFRESH");
/// // Secrets never show in debug output.
/// assert!(!format!("{simple:?}{refreshing:?}").contains("ACCESS"));
/// ```
#[derive(Clone, Debug)]
pub struct Credentials {
    pub(crate) access_token: Option<SecretString>,
    pub(crate) expires_in: Option<Duration>,
    pub(crate) refresh: Option<RefreshCredentials>,
}

/// What refreshing a token takes: the integration's client id and secret and a refresh token.
#[derive(Clone, Debug)]
pub struct RefreshCredentials {
    /// The integration's client id.
    pub client_id: String,
    /// The integration's client secret.
    pub client_secret: SecretString,
    /// The refresh token; replaced by the one each refresh answers with.
    pub refresh_token: SecretString,
}

impl Credentials {
    /// Credentials made of an access token alone.
    pub fn new(access_token: impl Into<SecretString>) -> Self {
        Self {
            access_token: Some(access_token.into()),
            expires_in: None,
            refresh: None,
        }
    }

    /// Credentials with no access token yet: the first call refreshes one.
    pub fn from_refresh_token(
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
        refresh_token: impl Into<SecretString>,
    ) -> Self {
        Self {
            access_token: None,
            expires_in: None,
            refresh: None,
        }
        .refresh(client_id, client_secret, refresh_token)
    }

    /// Adds what it takes to refresh the access token.
    pub fn refresh(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
        refresh_token: impl Into<SecretString>,
    ) -> Self {
        self.refresh = Some(RefreshCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            refresh_token: refresh_token.into(),
        });
        self
    }

    /// Says how long the access token stays valid from now, so it is refreshed ahead of expiry.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// True when refresh credentials are present.
    pub fn can_refresh(&self) -> bool {
        self.refresh.is_some()
    }
}

/// A freshly issued token pair, handed to the refresh callback so the application can store it.
#[derive(Clone, Debug)]
pub struct TokenPair {
    /// The new access token.
    pub access_token: SecretString,
    /// How long the access token stays valid, when the server said so.
    pub expires_in: Option<Duration>,
    /// The refresh token to use next time (Webex may rotate it).
    pub refresh_token: SecretString,
    /// How long the refresh token stays valid, when the server said so.
    pub refresh_token_expires_in: Option<Duration>,
}

/// The application's callback for a new token pair.
pub(crate) type TokenCallback = Arc<dyn Fn(&TokenPair) + Send + Sync + 'static>;
