//! Fault injection: rate limits, server errors, connection resets, latency and broken next links,
//! set per emulator and changeable while it runs.
//!
//! Everything is off by default. The counters behind "every N requests" start again whenever the
//! faults are replaced ([`Emulator::set_faults`](crate::Emulator::set_faults)).

use std::time::Duration;

use http::StatusCode;

use crate::errors::Failure;

/// The faults an emulator injects. Build one with the chained setters and hand it to
/// [`EmulatorBuilder::faults`](crate::EmulatorBuilder::faults) or
/// [`Emulator::set_faults`](crate::Emulator::set_faults).
///
/// ```
/// use std::time::Duration;
/// use spark_emulator::Faults;
///
/// // Every third request is answered 429 with `Retry-After: 0`; every answer waits 5 ms.
/// let faults = Faults::none()
///     .rate_limit_every(3)
///     .retry_after_secs(0)
///     .latency(Duration::from_millis(5));
/// assert_eq!(faults.rate_limit_every, Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Faults {
    /// Answer 429 to every Nth request (counted from when the faults were set).
    pub rate_limit_every: Option<u32>,
    /// Answer 429 to the next K requests.
    pub rate_limit_next: u32,
    /// The `Retry-After` header of injected 429s, sent as is (default `"0"`); `None` sends none.
    pub retry_after: Option<String>,
    /// Answer a server error to every Nth request.
    pub server_error_every: Option<u32>,
    /// Answer a server error to the next K requests.
    pub server_error_next: u32,
    /// The status of injected server errors (default 503).
    pub server_error_status: u16,
    /// Reset the connection of every Nth request instead of answering it (see
    /// [`Faults::reset_every`]).
    pub reset_every: Option<u32>,
    /// Reset the connections of the next K requests instead of answering them.
    pub reset_next: u32,
    /// Wait this long before answering each request.
    pub latency: Duration,
    /// Write `max=null` in next-page links, as Webex has been seen to.
    pub null_max_in_next_links: bool,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            rate_limit_every: None,
            rate_limit_next: 0,
            retry_after: Some("0".to_owned()),
            server_error_every: None,
            server_error_next: 0,
            server_error_status: 503,
            reset_every: None,
            reset_next: 0,
            latency: Duration::ZERO,
            null_max_in_next_links: false,
        }
    }
}

impl Faults {
    /// No fault at all (the default).
    pub fn none() -> Self {
        Self::default()
    }

    /// Answers 429 to every `n`th request (`n` of 0 turns it off).
    #[must_use]
    pub fn rate_limit_every(mut self, n: u32) -> Self {
        self.rate_limit_every = (n > 0).then_some(n);
        self
    }

    /// Answers 429 to the next `k` requests.
    #[must_use]
    pub fn rate_limit_next(mut self, k: u32) -> Self {
        self.rate_limit_next = k;
        self
    }

    /// Sends `Retry-After: <secs>` with injected 429s.
    #[must_use]
    pub fn retry_after_secs(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs.to_string());
        self
    }

    /// Sends this exact `Retry-After` value (an HTTP-date, or garbage such as
    /// `rand(30),add(30)`), or none at all with `None`.
    #[must_use]
    pub fn retry_after_raw(mut self, value: Option<&str>) -> Self {
        self.retry_after = value.map(str::to_owned);
        self
    }

    /// Answers a server error to every `n`th request (`n` of 0 turns it off).
    #[must_use]
    pub fn server_error_every(mut self, n: u32) -> Self {
        self.server_error_every = (n > 0).then_some(n);
        self
    }

    /// Answers a server error to the next `k` requests.
    #[must_use]
    pub fn server_error_next(mut self, k: u32) -> Self {
        self.server_error_next = k;
        self
    }

    /// The status of injected server errors (500, 502, 503 or 504; anything else reads as 503).
    #[must_use]
    pub fn server_error_status(mut self, status: u16) -> Self {
        self.server_error_status = status;
        self
    }

    /// Resets the connection of every `n`th request instead of answering it (`n` of 0 turns it
    /// off).
    ///
    /// The request is read whole and applied first: a `POST` that draws a reset has created what
    /// it creates (and sent its webhook deliveries), only its answer is lost, as when a network
    /// drops the connection between Webex and the caller. The connection is then closed with a
    /// TCP reset (`SO_LINGER` of zero), so the client reads `ECONNRESET` rather than an orderly
    /// end. A client cannot tell whether such a request took effect: spark-http retries a reset
    /// `GET`, `HEAD`, `PUT` or `DELETE`, and ends a reset `POST` or `PATCH` with its transport
    /// error rather than risk doing it twice.
    ///
    /// A request that draws a 429 or a server error (they are drawn first) is answered with it,
    /// not reset. A request refused for itself (an expired token, say) is refused, then reset:
    /// it took no effect, and its caller cannot know that either. The request log marks a reset
    /// request (`reset`) with the status its answer would have had
    /// ([`LoggedRequest`](crate::LoggedRequest)), which tells which took effect.
    #[must_use]
    pub fn reset_every(mut self, n: u32) -> Self {
        self.reset_every = (n > 0).then_some(n);
        self
    }

    /// Resets the connections of the next `k` requests instead of answering them (as
    /// [`Faults::reset_every`] describes).
    #[must_use]
    pub fn reset_next(mut self, k: u32) -> Self {
        self.reset_next = k;
        self
    }

    /// Waits this long before each answer.
    #[must_use]
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Writes `max=null` in next-page links.
    #[must_use]
    pub fn null_max_in_next_links(mut self, enabled: bool) -> Self {
        self.null_max_in_next_links = enabled;
        self
    }
}

/// What the faults hold for one request.
#[derive(Debug)]
pub(crate) struct Drawn {
    /// Answer this instead of what the route would answer (the request is not applied).
    pub(crate) failure: Option<Failure>,
    /// Apply the request, then reset its connection instead of answering.
    pub(crate) reset: bool,
    /// Wait this long before answering.
    pub(crate) latency: Duration,
    /// Write `max=null` in next-page links.
    pub(crate) null_max_in_next_links: bool,
}

/// The faults in force plus the request counter they count with.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    pub(crate) faults: Faults,
    seen: u64,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> Self {
        Self { faults, seen: 0 }
    }

    /// Replaces the faults and restarts the counting.
    pub(crate) fn replace(&mut self, faults: Faults) {
        *self = Self::new(faults);
    }

    /// Counts one request and says what the faults do to it: a 429 first, else a server error,
    /// else a reset.
    pub(crate) fn draw(&mut self) -> Drawn {
        self.seen += 1;
        let seen = self.seen;
        let every = |n: Option<u32>| n.is_some_and(|n| seen % u64::from(n) == 0);
        let faults = &mut self.faults;
        let mut drawn = Drawn {
            failure: None,
            reset: false,
            latency: faults.latency,
            null_max_in_next_links: faults.null_max_in_next_links,
        };
        if faults.rate_limit_next > 0 || every(faults.rate_limit_every) {
            faults.rate_limit_next = faults.rate_limit_next.saturating_sub(1);
            let mut failure = Failure::new(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests have been sent in a given amount of time.",
            );
            if let Some(value) = &faults.retry_after {
                failure = failure.header("retry-after", value.clone());
            }
            drawn.failure = Some(failure);
        } else if faults.server_error_next > 0 || every(faults.server_error_every) {
            faults.server_error_next = faults.server_error_next.saturating_sub(1);
            let status = match faults.server_error_status {
                500 => StatusCode::INTERNAL_SERVER_ERROR,
                502 => StatusCode::BAD_GATEWAY,
                504 => StatusCode::GATEWAY_TIMEOUT,
                _ => StatusCode::SERVICE_UNAVAILABLE,
            };
            drawn.failure = Some(Failure::new(
                status,
                "The server could not handle the request.",
            ));
        } else if faults.reset_next > 0 || every(faults.reset_every) {
            faults.reset_next = faults.reset_next.saturating_sub(1);
            drawn.reset = true;
        }
        drawn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_third_request_is_rate_limited() {
        let mut state = FaultState::new(Faults::none().rate_limit_every(3));
        let hits: Vec<bool> = (0..9).map(|_| state.draw().failure.is_some()).collect();
        assert_eq!(
            hits,
            [false, false, true, false, false, true, false, false, true]
        );
    }

    #[test]
    fn next_k_then_nothing() {
        let mut state =
            FaultState::new(Faults::none().server_error_next(2).server_error_status(502));
        let first = state.draw().failure.unwrap();
        assert_eq!(first.status, StatusCode::BAD_GATEWAY);
        assert!(state.draw().failure.is_some());
        assert!(state.draw().failure.is_none());
    }

    #[test]
    fn resets_come_after_the_answered_faults() {
        let mut state = FaultState::new(Faults::none().reset_every(2).rate_limit_every(3));
        let drawn: Vec<(bool, bool)> = (0..6)
            .map(|_| {
                let drawn = state.draw();
                (drawn.failure.is_some(), drawn.reset)
            })
            .collect();
        // Request 6 is both the 3rd's and the 2nd's: the 429 wins, nothing is reset.
        assert_eq!(
            drawn,
            [
                (false, false),
                (false, true),
                (true, false),
                (false, true),
                (false, false),
                (true, false)
            ]
        );
        let mut next = FaultState::new(Faults::none().reset_next(2));
        let resets: Vec<bool> = (0..3).map(|_| next.draw().reset).collect();
        assert_eq!(resets, [true, true, false]);
    }
}
