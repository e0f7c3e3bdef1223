//! Access tokens, refresh tokens and the OAuth client of the emulator.
//!
//! Each access token belongs to one person and expires after the token lifetime (default 14
//! days, like Webex). The refresh grant of `/v1/access_token` issues a new access token and a new
//! refresh token; older refresh tokens stay valid until revoked ([`Tokens::revoke_refresh`]).
//! [`Tokens::expire_all`] makes every access token issued so far answer 401, as a long-running
//! program would see after a real expiry. A grant that fails is answered with its OAuth error
//! code (RFC 6749 §5.2): `invalid_request`, `invalid_client`, `invalid_grant` or
//! `unsupported_grant_type`.

use std::collections::HashMap;
use std::time::Duration;

use http::HeaderMap;
use spark_model::{TokenAnswer, TokenRequest};
use tokio::time::Instant;

use crate::errors::{Failure, Outcome};
use crate::ids::Random;

/// The lifetime of access tokens unless set otherwise: 14 days, as Webex gives.
pub(crate) const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);

/// The lifetime announced for refresh tokens: 90 days.
const REFRESH_TOKEN_LIFETIME_SECS: u64 = 90 * 24 * 3600;

#[derive(Debug, Clone)]
struct AccessToken {
    person_id: String,
    expires_at: Instant,
}

/// Every token the emulator issued. Its `Debug` shows how many, never a token or the client
/// secret.
pub(crate) struct Tokens {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, String>,
    lifetime: Duration,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    random: Random,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("access", &self.access.len())
            .field("refresh", &self.refresh.len())
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

/// The tokens as a state file keeps them: expiries in Unix seconds.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SavedTokens {
    /// Access token, its owner's id, when it expires (Unix seconds).
    access: Vec<(String, String, i64)>,
    /// Refresh token and its owner's id.
    refresh: Vec<(String, String)>,
    lifetime_secs: u64,
    client_id: String,
    client_secret: String,
}

impl Tokens {
    /// The tokens to save in a state file.
    pub(crate) fn save(&self) -> SavedTokens {
        let now = Instant::now();
        let unix_now = chrono::Utc::now().timestamp();
        let left = |at: Instant| {
            i64::try_from(at.saturating_duration_since(now).as_secs()).unwrap_or(i64::MAX)
        };
        SavedTokens {
            access: self
                .access
                .iter()
                .map(|(token, found)| {
                    (
                        token.clone(),
                        found.person_id.clone(),
                        unix_now.saturating_add(left(found.expires_at)),
                    )
                })
                .collect(),
            refresh: self
                .refresh
                .iter()
                .map(|(token, id)| (token.clone(), id.clone()))
                .collect(),
            lifetime_secs: self.lifetime.as_secs(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
        }
    }

    /// Tokens as a state file kept them (an expiry in the past reads as expired).
    pub(crate) fn load(saved: SavedTokens) -> Self {
        let mut tokens = Self::new(Duration::from_secs(saved.lifetime_secs));
        let now = Instant::now();
        let unix_now = chrono::Utc::now().timestamp();
        for (token, person_id, expires) in saved.access {
            let left = u64::try_from(expires.saturating_sub(unix_now)).unwrap_or(0);
            let expires_at = now.checked_add(Duration::from_secs(left)).unwrap_or(now);
            tokens.access.insert(
                token,
                AccessToken {
                    person_id,
                    expires_at,
                },
            );
        }
        tokens.refresh.extend(saved.refresh);
        tokens.client_id = saved.client_id;
        tokens.client_secret = saved.client_secret;
        tokens
    }

    /// The owner of a request's bearer token, expired or not (for the request log).
    pub(crate) fn owner(&self, headers: &HeaderMap) -> Option<&str> {
        let header = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))?
            .trim();
        self.access.get(token).map(|found| found.person_id.as_str())
    }

    pub(crate) fn new(lifetime: Duration) -> Self {
        let mut random = Random::new();
        Self {
            access: HashMap::new(),
            refresh: HashMap::new(),
            lifetime,
            client_id: format!("C{}", random.secret(4)),
            client_secret: random.secret(4),
            random,
        }
    }

    /// Sets the lifetime of the access tokens issued from now on.
    pub(crate) fn set_lifetime(&mut self, lifetime: Duration) {
        self.lifetime = lifetime;
    }

    /// Issues an access token for a person.
    pub(crate) fn issue_access(&mut self, person_id: &str) -> String {
        let token = format!(
            "EMU{}_EMULATOR_{}",
            self.random.secret(3),
            self.random.secret(1)
        );
        let expires_at = Instant::now()
            .checked_add(self.lifetime)
            .unwrap_or_else(|| Instant::now() + DEFAULT_TOKEN_LIFETIME);
        self.access.insert(
            token.clone(),
            AccessToken {
                person_id: person_id.to_owned(),
                expires_at,
            },
        );
        token
    }

    /// Issues a refresh token for a person.
    pub(crate) fn issue_refresh(&mut self, person_id: &str) -> String {
        let token = format!("REF{}", self.random.secret(4));
        self.refresh.insert(token.clone(), person_id.to_owned());
        token
    }

    /// Revokes a refresh token: a grant with it answers `invalid_grant` from now on. False if it
    /// was not a valid refresh token.
    pub(crate) fn revoke_refresh(&mut self, refresh_token: &str) -> bool {
        self.refresh.remove(refresh_token).is_some()
    }

    /// Makes every access token issued so far expired.
    pub(crate) fn expire_all(&mut self) {
        let now = Instant::now();
        for token in self.access.values_mut() {
            token.expires_at = now;
        }
    }

    /// The person a request's `Authorization: Bearer` token belongs to.
    pub(crate) fn caller(&self, headers: &HeaderMap) -> Outcome<String> {
        let header = headers
            .get(http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| {
                Failure::unauthorized("The request requires a valid access token set in the Authorization request header.")
            })?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                Failure::unauthorized("The Authorization header must be `Bearer <token>`.")
            })?;
        let found = self
            .access
            .get(token)
            .ok_or_else(|| Failure::unauthorized("The access token is not valid."))?;
        if Instant::now() >= found.expires_at {
            return Err(Failure::unauthorized("The access token has expired."));
        }
        Ok(found.person_id.clone())
    }

    /// Answers a grant of `POST /access_token`, or refuses it as RFC 6749 §5.2 and Webex do:
    /// `invalid_client` (401) for a missing or wrong client id or secret,
    /// `unsupported_grant_type` (400) for a grant other than `refresh_token` and
    /// `authorization_code`, `invalid_request` (400) for a grant without its refresh token or
    /// code, `invalid_grant` (400) for an unknown or revoked refresh token or code.
    ///
    /// The emulator has no authorization page: for the code grant, the code is a person's id
    /// (or email), which the caller resolves to `code_owner`.
    pub(crate) fn grant(
        &mut self,
        request: &TokenRequest,
        code_owner: Option<String>,
    ) -> Outcome<TokenAnswer> {
        if request.client_id.is_empty() || request.client_secret.is_empty() {
            return Err(Failure::invalid_client(
                "The client id and the client secret are required.",
            ));
        }
        if request.client_id != self.client_id || request.client_secret != self.client_secret {
            return Err(Failure::invalid_client(
                "The client id or secret is not valid.",
            ));
        }
        let person_id = match request.grant_type.as_str() {
            "refresh_token" => {
                let refresh = given(request.refresh_token.as_deref())
                    .ok_or_else(|| Failure::invalid_request("refresh_token is required."))?;
                self.refresh.get(refresh).cloned().ok_or_else(|| {
                    Failure::invalid_grant(
                        "The refresh token is not valid: unknown, expired or revoked.",
                    )
                })?
            }
            "authorization_code" => {
                given(request.code.as_deref())
                    .ok_or_else(|| Failure::invalid_request("code is required."))?;
                code_owner
                    .ok_or_else(|| Failure::invalid_grant("The authorization code is not valid."))?
            }
            other => {
                return Err(Failure::unsupported_grant_type(format!(
                    "Unsupported grant_type `{other}`: use refresh_token or authorization_code."
                )));
            }
        };
        let access_token = self.issue_access(&person_id);
        let refresh_token = self.issue_refresh(&person_id);
        Ok(TokenAnswer {
            access_token,
            expires_in: self.lifetime.as_secs(),
            refresh_token: Some(refresh_token),
            refresh_token_expires_in: Some(REFRESH_TOKEN_LIFETIME_SECS),
            token_type: Some("Bearer".to_owned()),
            scope: Some("spark:all".to_owned()),
        })
    }
}

/// A parameter of the grant, unless it is missing or empty.
fn given(value: Option<&str>) -> Option<&str> {
    value.filter(|value| !value.is_empty())
}
