//! When to retry and how long to wait: the retry table of the Webex API, as configuration.

use std::time::{Duration, SystemTime};

use http::{Method, StatusCode};

use super::budget::RetryBudget;
use super::retry_after::parse_retry_after;
use crate::error::Error;

/// How the stack retries.
///
/// | answer | GET, HEAD, PUT, DELETE | POST, PATCH |
/// | --- | --- | --- |
/// | 429, 423 | wait `Retry-After`, retry | same: the server did not process it |
/// | 500, 502, 503, 504 | back off, retry | never: it could duplicate a message |
/// | connect error (nothing sent) | retry | retry |
/// | timeout or lost connection after sending | retry | never |
/// | any other answer | never | never |
///
/// Defaults: 4 attempts in all; back-off from 1 s doubling to at most 20 s with full jitter;
/// `Retry-After` honoured up to 300 s, and read as 15 s when missing or garbled. A server that asks
/// for more than the cap ends the call at once with [`Error::RateLimited`] carrying its wait.
///
/// ```
/// use std::time::Duration;
/// use spark_http::retry::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(6)
///     .max_retry_after(Duration::from_secs(600));
/// let never = RetryPolicy::never();
/// assert_eq!(never.attempts(), 1);
/// # let _ = patient;
/// ```
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    default_retry_after: Duration,
    jitter: bool,
    budget: Option<RetryBudget>,
    /// Every request is safe to repeat (the OAuth refresh grant, say), whatever its method.
    repeat_safe: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(300),
            default_retry_after: Duration::from_secs(15),
            jitter: true,
            budget: Some(RetryBudget::default()),
            repeat_safe: false,
        }
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Hand the answer to the caller.
    Stop,
    /// Wait, then try again; `budgeted` retries spend from the retry budget.
    Retry { wait: Duration, budgeted: bool },
}

impl RetryPolicy {
    /// A policy that never retries: every call is one attempt.
    pub fn never() -> Self {
        Self::default().max_attempts(1)
    }

    /// The most attempts per call, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first back-off wait, and the most any back-off wait may grow to.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The longest `Retry-After` the stack waits; a longer one ends the call with
    /// [`Error::RateLimited`].
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The wait used when a 429 or 423 has no readable `Retry-After`.
    pub fn default_retry_after(mut self, wait: Duration) -> Self {
        self.default_retry_after = wait;
        self
    }

    /// Full jitter on back-off waits (on by default; off gives exact, testable waits).
    pub fn jitter(mut self, enabled: bool) -> Self {
        self.jitter = enabled;
        self
    }

    /// The budget that stops retry storms, or `None` for no budget.
    pub fn budget(mut self, budget: Option<RetryBudget>) -> Self {
        self.budget = budget;
        self
    }

    /// The most attempts per call.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// This policy for requests that are safe to repeat whatever their method: a token refresh
    /// `POST`, which the server either grants or refuses as a whole, is retried after a 5xx or a
    /// lost connection like a `GET`.
    /// This policy for the token exchange: repeat-safe (the server grants or refuses a grant
    /// whole) and outside the retry budget. The exchange is single-flight, so its retries
    /// cannot storm; spending from the calls' budget would let a run of failed calls starve the
    /// refresh, and one 5xx from the token endpoint would then fail every waiting call.
    pub(crate) fn for_token_exchange(&self) -> Self {
        Self {
            repeat_safe: true,
            budget: None,
            ..self.clone()
        }
    }

    fn is_repeatable(&self, method: &Method) -> bool {
        self.repeat_safe || is_idempotent(method)
    }

    pub(crate) fn retry_budget(&self) -> Option<&RetryBudget> {
        self.budget.as_ref()
    }

    /// Decides after a response with `status` and `headers` to attempt number `attempt`.
    pub(crate) fn after_response(
        &self,
        method: &Method,
        status: StatusCode,
        headers: &http::HeaderMap,
        attempt: u32,
    ) -> Decision {
        if attempt >= self.max_attempts {
            return Decision::Stop;
        }
        let asked = || parse_retry_after(headers, SystemTime::now());
        match status {
            StatusCode::TOO_MANY_REQUESTS | StatusCode::LOCKED => {
                let wait = asked().unwrap_or(self.default_retry_after);
                self.wait_unless_capped(wait, false)
            }
            StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
                if self.is_repeatable(method) =>
            {
                let wait = asked().unwrap_or_else(|| self.backoff_wait(attempt));
                self.wait_unless_capped(wait, true)
            }
            _ => Decision::Stop,
        }
    }

    /// Decides after attempt number `attempt` failed without a response.
    pub(crate) fn after_error(&self, method: &Method, error: &Error, attempt: u32) -> Decision {
        if attempt >= self.max_attempts {
            return Decision::Stop;
        }
        let retryable = match error {
            Error::Connect { .. } => true,
            Error::Proxy { .. } => error.is_connect(),
            Error::Timeout { .. } | Error::Transport(_) => self.is_repeatable(method),
            _ => false,
        };
        if retryable {
            Decision::Retry {
                wait: self.backoff_wait(attempt),
                budgeted: true,
            }
        } else {
            Decision::Stop
        }
    }

    fn wait_unless_capped(&self, wait: Duration, budgeted: bool) -> Decision {
        if wait > self.max_retry_after {
            Decision::Stop
        } else {
            Decision::Retry { wait, budgeted }
        }
    }

    /// Exponential back-off after attempt number `attempt`, capped, with full jitter if enabled.
    fn backoff_wait(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        if self.jitter {
            ceiling.mul_f64(fastrand::f64())
        } else {
            ceiling
        }
    }
}

/// Methods whose repetition has the same effect as one call.
fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderMap;

    fn exact() -> RetryPolicy {
        RetryPolicy::default().jitter(false)
    }

    fn retry_after(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, value.parse().unwrap());
        headers
    }

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let policy = exact().max_attempts(10);
        let waits: Vec<u64> = (1..=7)
            .map(|attempt| policy.backoff_wait(attempt).as_secs())
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 20, 20]);
    }

    #[test]
    fn jittered_backoff_stays_under_the_exact_one_and_varies() {
        let policy = RetryPolicy::default();
        for attempt in 1..=5 {
            let ceiling = exact().backoff_wait(attempt);
            let waits: Vec<Duration> = (0..50).map(|_| policy.backoff_wait(attempt)).collect();
            assert!(waits.iter().all(|wait| *wait <= ceiling));
            assert!(waits.iter().any(|wait| *wait < ceiling.mul_f64(0.9)));
            assert!(waits.iter().any(|wait| *wait != waits[0]));
        }
    }

    #[test]
    fn server_errors_are_retried_for_idempotent_methods_only() {
        let policy = exact();
        let empty = HeaderMap::new();
        for status in [500, 502, 503, 504] {
            let status = StatusCode::from_u16(status).unwrap();
            for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
                assert!(matches!(
                    policy.after_response(&method, status, &empty, 1),
                    Decision::Retry { budgeted: true, .. }
                ));
            }
            for method in [Method::POST, Method::PATCH] {
                assert_eq!(
                    policy.after_response(&method, status, &empty, 1),
                    Decision::Stop
                );
            }
        }
    }

    #[test]
    fn rate_limits_are_retried_for_every_method_without_spending_budget() {
        let policy = exact();
        for method in [Method::GET, Method::POST, Method::PATCH, Method::DELETE] {
            assert_eq!(
                policy.after_response(&method, StatusCode::TOO_MANY_REQUESTS, &retry_after("7"), 1),
                Decision::Retry {
                    wait: Duration::from_secs(7),
                    budgeted: false
                }
            );
            assert_eq!(
                policy.after_response(&method, StatusCode::LOCKED, &HeaderMap::new(), 1),
                Decision::Retry {
                    wait: Duration::from_secs(15),
                    budgeted: false
                }
            );
        }
    }

    #[test]
    fn a_wait_over_the_cap_or_the_last_attempt_stops() {
        let policy = exact();
        let status = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            policy.after_response(&Method::GET, status, &retry_after("301"), 1),
            Decision::Stop
        );
        assert_eq!(
            policy.after_response(&Method::GET, status, &retry_after("1"), 4),
            Decision::Stop
        );
    }

    #[test]
    fn other_client_errors_are_final() {
        let policy = exact();
        for status in [400, 401, 403, 404, 409, 410, 428] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(
                policy.after_response(&Method::GET, status, &HeaderMap::new(), 1),
                Decision::Stop
            );
        }
    }

    #[test]
    fn a_connect_error_is_retried_for_every_method() {
        let policy = exact();
        let connect = Error::Connect {
            origin: "https://webexapis.com:443".into(),
            source: "refused".into(),
        };
        for method in [Method::GET, Method::POST, Method::PATCH, Method::DELETE] {
            assert!(matches!(
                policy.after_error(&method, &connect, 1),
                Decision::Retry { budgeted: true, .. }
            ));
        }
    }

    #[test]
    fn timeouts_and_lost_connections_are_retried_for_idempotent_methods_only() {
        let policy = exact();
        let failures = [
            Error::Timeout {
                kind: crate::TimeoutKind::Head,
                limit: Duration::from_secs(1),
            },
            Error::Transport("connection reset".into()),
        ];
        for failure in &failures {
            for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
                assert!(matches!(
                    policy.after_error(&method, failure, 1),
                    Decision::Retry { .. }
                ));
            }
            for method in [Method::POST, Method::PATCH] {
                assert_eq!(policy.after_error(&method, failure, 1), Decision::Stop);
            }
        }
    }

    #[test]
    fn other_errors_are_final() {
        let policy = exact();
        let refresh = Error::Refresh(crate::error::RefreshError::NoCredentials);
        assert_eq!(
            policy.after_error(&Method::GET, &refresh, 1),
            Decision::Stop
        );
        assert_eq!(
            policy.after_error(&Method::GET, &Error::InvalidToken, 1),
            Decision::Stop
        );
    }
}
