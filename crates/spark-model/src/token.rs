//! OAuth: the token answer of `POST /access_token`, the form that asks for it, and its error
//! answer.
//!
//! Both are snake_case on the wire, unlike the rest of the API. Their `Debug` output hides the
//! secrets.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The answer of `POST /access_token`: an access token and, usually, a refresh token.
///
/// ```
/// use spark_model::TokenAnswer;
///
/// let answer: TokenAnswer = serde_json::from_str(
///     r#"{"access_token": "ZDI3MGEyYz", "expires_in": 1209600,
///         "refresh_token": "MDEyMzQ1Njc4", "refresh_token_expires_in": 7776000}"#,
/// )
/// .unwrap();
/// assert_eq!(answer.expires_in, 1_209_600);
/// assert!(!format!("{answer:?}").contains("ZDI3MGEyYz"));
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenAnswer {
    /// The access token, sent as `Authorization: Bearer ...`.
    pub access_token: String,
    /// Seconds until the access token expires.
    #[serde(default)]
    pub expires_in: u64,
    /// The refresh token, to get a new access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Seconds until the refresh token expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token_expires_in: Option<u64>,
    /// The token type (`Bearer`), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// The granted scopes, space-separated, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenAnswer")
            .field("access_token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("refresh_token_expires_in", &self.refresh_token_expires_in)
            .field("token_type", &self.token_type)
            .field("scope", &self.scope)
            .finish()
    }
}

/// The error answer of `POST /access_token` (RFC 6749 §5.2): an OAuth error code
/// (`invalid_grant`, `invalid_client`, ...) and, usually, a description; Webex adds its
/// tracking id.
///
/// ```
/// use spark_model::TokenErrorAnswer;
///
/// let answer: TokenErrorAnswer = serde_json::from_str(
///     r#"{"error": "invalid_grant", "error_description": "The refresh token was revoked."}"#,
/// )
/// .unwrap();
/// assert_eq!(answer.summary(), "invalid_grant: The refresh token was revoked.");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenErrorAnswer {
    /// The OAuth error code.
    pub error: String,
    /// What went wrong, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// The ID of the request, to quote to Webex support.
    #[serde(
        default,
        rename = "trackingId",
        skip_serializing_if = "Option::is_none"
    )]
    pub tracking_id: Option<String>,
}

impl TokenErrorAnswer {
    /// `code: description`, or the code alone when there is no description.
    pub fn summary(&self) -> String {
        match self.error_description.as_deref() {
            Some(description) if !description.is_empty() => {
                format!("{}: {description}", self.error)
            }
            _ => self.error.clone(),
        }
    }
}

/// The form body of `POST /access_token` (`application/x-www-form-urlencoded`).
///
/// ```
/// use spark_model::TokenRequest;
///
/// let form = TokenRequest::refresh("client", "secret", "MDEyMzQ1Njc4");
/// assert_eq!(
///     serde_urlencoded::to_string(&form).unwrap(),
///     "grant_type=refresh_token&client_id=client&client_secret=secret&refresh_token=MDEyMzQ1Njc4"
/// );
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRequest {
    /// `authorization_code` or `refresh_token`.
    pub grant_type: String,
    /// The integration's client ID.
    pub client_id: String,
    /// The integration's client secret.
    pub client_secret: String,
    /// The authorization code (grant `authorization_code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The redirect URI used to get the code (grant `authorization_code`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// The refresh token (grant `refresh_token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

impl TokenRequest {
    /// Exchanges an authorization code for tokens.
    pub fn authorization_code(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        code: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Self {
        Self {
            grant_type: "authorization_code".to_owned(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            code: Some(code.into()),
            redirect_uri: Some(redirect_uri.into()),
            refresh_token: None,
        }
    }

    /// Gets a new access token with a refresh token.
    pub fn refresh(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Self {
        Self {
            grant_type: "refresh_token".to_owned(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            code: None,
            redirect_uri: None,
            refresh_token: Some(refresh_token.into()),
        }
    }
}

impl fmt::Debug for TokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenRequest")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("code", &self.code.as_ref().map(|_| "<redacted>"))
            .field("redirect_uri", &self.redirect_uri)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}
