//! A token bucket shared by every call of a client, so that a burst of failures cannot turn into
//! a storm of retries.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// A retry budget: each retry of a failure (a 5xx answer, a timeout, a lost connection) spends
/// `retry_cost` tokens, each call whose first attempt gets an answer other than a 5xx gives one
/// back, up to `capacity`. When
/// the bucket runs dry, failures are returned at once instead of being retried.
///
/// Waits the server asks for (429, 423 with `Retry-After`) do not spend from the budget: the
/// server already paces them.
///
/// Clones share one bucket.
///
/// ```
/// use spark_http::retry::RetryBudget;
///
/// let budget = RetryBudget::new(10, 5);
/// assert!(budget.try_spend());
/// assert!(budget.try_spend());
/// assert!(!budget.try_spend()); // dry until calls succeed again
/// budget.deposit();
/// assert_eq!(budget.available(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct RetryBudget {
    tokens: Arc<AtomicU32>,
    capacity: u32,
    retry_cost: u32,
}

impl RetryBudget {
    /// A full bucket of `capacity` tokens; each retry costs `retry_cost`.
    pub fn new(capacity: u32, retry_cost: u32) -> Self {
        Self {
            tokens: Arc::new(AtomicU32::new(capacity)),
            capacity,
            retry_cost,
        }
    }

    /// Takes the cost of one retry, or says no when the bucket holds less.
    pub fn try_spend(&self) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                tokens.checked_sub(self.retry_cost)
            })
            .is_ok()
    }

    /// Gives one token back after a success.
    pub fn deposit(&self) {
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                (tokens < self.capacity).then_some(tokens + 1)
            });
    }

    /// The tokens in the bucket now.
    pub fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

impl Default for RetryBudget {
    /// 500 tokens, 5 per retry: 100 retries in a row with no success in between.
    fn default() -> Self {
        Self::new(500, 5)
    }
}
