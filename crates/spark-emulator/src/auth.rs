//! Access tokens, refresh tokens and the OAuth client of the emulator.
//!
//! Each access token belongs to one person and expires after the token lifetime (default 14
//! days, like Webex). The refresh grant of `/v1/access_token` issues a new access token and a new
//! refresh token; older refresh tokens stay valid. [`Tokens::expire_all`] makes every access token
//! issued so far answer 401, as a long-running program would see after a real expiry.

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

/// Every token the emulator issued.
#[derive(Debug)]
pub(crate) struct Tokens {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, String>,
    lifetime: Duration,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    random: Random,
}

impl Tokens {
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

    /// Answers a grant of `POST /access_token`.
    ///
    /// The emulator has no authorization page: for the code grant, the code is a person's id
    /// (or email), which the caller resolves to `code_owner`.
    pub(crate) fn grant(
        &mut self,
        request: &TokenRequest,
        code_owner: Option<String>,
    ) -> Outcome<TokenAnswer> {
        if request.client_id != self.client_id || request.client_secret != self.client_secret {
            return Err(Failure::unauthorized(
                "The client id or secret is not valid.",
            ));
        }
        let person_id = match request.grant_type.as_str() {
            "refresh_token" => {
                let refresh = request
                    .refresh_token
                    .as_deref()
                    .ok_or_else(|| Failure::bad_request("refresh_token is required."))?;
                self.refresh
                    .get(refresh)
                    .cloned()
                    .ok_or_else(|| Failure::bad_request("The refresh token is not valid."))?
            }
            "authorization_code" => code_owner
                .ok_or_else(|| Failure::bad_request("The authorization code is not valid."))?,
            other => {
                return Err(Failure::bad_request(format!(
                    "Unsupported grant_type `{other}`."
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
