//! A webhook signing secret that never shows in `Debug` output.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The secret a webhook's deliveries are signed with (HMAC-SHA1, `X-Spark-Signature`).
///
/// On the wire it is a plain JSON string. Its `Debug` output is redacted and it has no
/// `Display`, so it cannot leak into logs or error messages by accident; read it with
/// [`WebhookSecret::expose_secret`] where it must be used.
///
/// ```
/// use spark_model::WebhookSecret;
///
/// let secret = WebhookSecret::new("s3cret");
/// assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
/// assert_eq!(secret.expose_secret(), "s3cret");
/// assert_eq!(serde_json::to_string(&secret).unwrap(), r#""s3cret""#);
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Wraps a secret value.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// Returns the secret itself, for the places that must send it or sign with it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

/// Prints `WebhookSecret(<redacted>)`, never the secret.
impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// Wraps an owned string as a secret.
impl From<String> for WebhookSecret {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

/// Copies a string slice into a secret.
impl From<&str> for WebhookSecret {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}

/// A secret field of a resource (a meeting's password, a host key, a PIN, a token) that never
/// shows in `Debug` output.
///
/// On the wire it is a plain JSON string; read it with [`Secret::expose_secret`].
///
/// ```
/// use spark_model::Secret;
///
/// let password = Secret::new("BgJep@43");
/// assert_eq!(format!("{password:?}"), "Secret(<redacted>)");
/// assert_eq!(password.expose_secret(), "BgJep@43");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// Returns the secret itself, for the places that must send or show it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

/// Prints `Secret(<redacted>)`, never the secret.
impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(secret: String) -> Self {
        Self(secret)
    }
}

impl From<&str> for Secret {
    fn from(secret: &str) -> Self {
        Self(secret.to_owned())
    }
}
