//! A string that must never be printed: access tokens, refresh tokens, client secrets.

use std::fmt;
use std::sync::Arc;

/// A secret string (an access token, a refresh token or a client secret).
///
/// Its `Debug` output is redacted and it has no `Display`, so it cannot end up in logs or error
/// messages by accident. Read it with [`SecretString::expose_secret`] where it must be sent.
///
/// ```
/// use spark_http::SecretString;
///
/// let token = SecretString::new("NjA4YzE1");
/// assert_eq!(format!("{token:?}"), "SecretString(<redacted>)");
/// assert_eq!(token.expose_secret(), "NjA4YzE1");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(Arc<str>);

impl SecretString {
    /// Wraps a secret value.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Arc::from(secret.into()))
    }

    /// Returns the secret itself, for the one place that must send it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}
