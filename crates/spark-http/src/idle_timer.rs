//! A timer for the waits of a transfer: armed only when a read has to wait, disarmed by each
//! piece that arrives. A body that arrives at once never arms it: no allocation, no entry in the
//! runtime's timer wheel. Response bodies use it for their idle timeout, and reading a body whole
//! for its deadline.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::{Instant, Sleep};

/// Counts `limit` from the first wait after the last progress (or from the first wait at all,
/// for a deadline that progress does not reset).
#[derive(Debug, Default)]
pub(crate) struct IdleTimer {
    limit: Option<Duration>,
    /// Allocated the first time a wait arms it, then reused.
    sleep: Option<Pin<Box<Sleep>>>,
    armed: bool,
}

impl IdleTimer {
    /// A timer for `limit` (`None`: never runs out).
    pub(crate) fn new(limit: Option<Duration>) -> Self {
        Self {
            limit,
            sleep: None,
            armed: false,
        }
    }

    /// The limit.
    pub(crate) fn limit(&self) -> Option<Duration> {
        self.limit
    }

    /// True once a wait has made the timer (a `Sleep`, allocated and registered with the
    /// runtime's timer wheel).
    #[cfg(test)]
    pub(crate) fn has_timer(&self) -> bool {
        self.sleep.is_some()
    }

    /// Progress: the next wait counts from its own start.
    pub(crate) fn reset(&mut self) {
        self.armed = false;
    }

    /// The transfer has to wait: starts counting unless it already is, and is ready with the
    /// limit once the limit has passed since then.
    pub(crate) fn poll_expired(&mut self, cx: &mut Context<'_>) -> Poll<Duration> {
        let Some(limit) = self.limit else {
            return Poll::Pending;
        };
        if !self.armed {
            let deadline = Instant::now() + limit;
            match &mut self.sleep {
                Some(sleep) => sleep.as_mut().reset(deadline),
                None => self.sleep = Some(Box::pin(tokio::time::sleep_until(deadline))),
            }
            self.armed = true;
        }
        let Some(sleep) = self.sleep.as_mut() else {
            return Poll::Pending;
        };
        if sleep.as_mut().poll(cx).is_ready() {
            self.armed = false;
            Poll::Ready(limit)
        } else {
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn it_counts_from_the_first_wait_and_progress_starts_it_again() {
        let mut timer = IdleTimer::new(Some(Duration::from_secs(10)));
        let started = Instant::now();
        tokio::time::sleep(Duration::from_secs(5)).await;
        // Not armed yet: the count starts with this wait.
        let limit = std::future::poll_fn(|cx| timer.poll_expired(cx)).await;
        assert_eq!(limit, Duration::from_secs(10));
        assert_eq!(started.elapsed(), Duration::from_secs(15));

        let waiting = std::future::poll_fn(|cx| timer.poll_expired(cx));
        assert!(
            tokio::time::timeout(Duration::from_secs(4), waiting)
                .await
                .is_err()
        );
        timer.reset();
        let restarted = Instant::now();
        std::future::poll_fn(|cx| timer.poll_expired(cx)).await;
        assert_eq!(restarted.elapsed(), Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_limit_it_never_runs_out_and_never_allocates() {
        let mut timer = IdleTimer::new(None);
        let waiting = std::future::poll_fn(|cx| timer.poll_expired(cx));
        assert!(
            tokio::time::timeout(Duration::from_secs(3600), waiting)
                .await
                .is_err()
        );
        assert!(timer.sleep.is_none());
    }
}
