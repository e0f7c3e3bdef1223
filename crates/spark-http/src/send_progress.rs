//! How far a request body has been sent, told by the body to the attempt timeout that watches it:
//! when it last handed a piece to the connection, and when it was sent in full.
//!
//! The body reports through a [`BodySent`] (see
//! [`RequestBody::notify_when_sent`](crate::RequestBody::notify_when_sent)); the attempt reads a
//! [`SendWatch`]. Progress is a store to an atomic, and wakes nobody: the attempt's timer looks
//! at it when it runs out, and waits on if the body moved meanwhile. Only the end of the body
//! wakes the attempt, which then starts waiting for the response head.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Context;

use futures_util::task::AtomicWaker;
use tokio::time::Instant;

/// Not sent in full yet.
const UNSENT: u64 = u64::MAX;

/// What the body and the attempt share.
#[derive(Debug)]
struct Shared {
    /// When the attempt started; the other times count from it, in nanoseconds.
    origin: Instant,
    last_progress: AtomicU64,
    sent: AtomicU64,
    /// The attempt, woken when the body has been sent.
    attempt: AtomicWaker,
}

impl Shared {
    fn now(&self) -> u64 {
        u64::try_from(self.origin.elapsed().as_nanos()).unwrap_or(UNSENT - 1)
    }

    fn at(&self, nanos: u64) -> Instant {
        self.origin + std::time::Duration::from_nanos(nanos)
    }
}

/// Told by a request body how its sending goes (see
/// [`RequestBody::notify_when_sent`](crate::RequestBody::notify_when_sent)): call
/// [`BodySent::progress`] each time a piece of the body is handed to the connection and
/// [`BodySent::fire`] once its last byte is. Dropping it counts as sent (the attempt then waits
/// for the answer, if any comes).
#[derive(Debug)]
pub struct BodySent(Option<Arc<Shared>>);

impl BodySent {
    /// Says a piece of the body has been handed to the connection: the idle timeout of the
    /// upload starts again.
    pub fn progress(&self) {
        if let Some(shared) = &self.0 {
            shared.last_progress.store(shared.now(), Ordering::Relaxed);
        }
    }

    /// Says the body has been sent in full.
    pub fn fire(mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        if let Some(shared) = self.0.take() {
            let _ = shared.sent.compare_exchange(
                UNSENT,
                shared.now(),
                Ordering::Release,
                Ordering::Relaxed,
            );
            shared.attempt.wake();
        }
    }
}

impl Drop for BodySent {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Where a request body is, as the attempt sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sending {
    /// Still sending; the last piece went at this time (the attempt's start before the first).
    LastProgress(Instant),
    /// Sent in full at this time.
    Sent(Instant),
}

/// The attempt's side: reads how the body is doing.
#[derive(Debug)]
pub(crate) struct SendWatch(Arc<Shared>);

impl SendWatch {
    /// A watch starting now, and the notice to give the body.
    pub(crate) fn start() -> (SendWatch, BodySent) {
        let shared = Arc::new(Shared {
            origin: Instant::now(),
            last_progress: AtomicU64::new(0),
            sent: AtomicU64::new(UNSENT),
            attempt: AtomicWaker::new(),
        });
        (SendWatch(shared.clone()), BodySent(Some(shared)))
    }

    /// Where the body is; the task of `cx` is woken when it has been sent in full.
    pub(crate) fn poll_state(&self, cx: &mut Context<'_>) -> Sending {
        let shared = &self.0;
        shared.attempt.register(cx.waker());
        match shared.sent.load(Ordering::Acquire) {
            UNSENT => {
                Sending::LastProgress(shared.at(shared.last_progress.load(Ordering::Relaxed)))
            }
            sent => Sending::Sent(shared.at(sent)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn state(watch: &SendWatch) -> Sending {
        watch.poll_state(&mut Context::from_waker(
            futures_util::task::noop_waker_ref(),
        ))
    }

    #[tokio::test(start_paused = true)]
    async fn progress_and_the_end_are_seen_with_their_times() {
        let started = Instant::now();
        let (watch, sent) = SendWatch::start();
        assert_eq!(state(&watch), Sending::LastProgress(started));
        tokio::time::sleep(Duration::from_secs(3)).await;
        sent.progress();
        assert_eq!(
            state(&watch),
            Sending::LastProgress(started + Duration::from_secs(3))
        );
        tokio::time::sleep(Duration::from_secs(2)).await;
        sent.fire();
        assert_eq!(
            state(&watch),
            Sending::Sent(started + Duration::from_secs(5))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_notice_dropped_counts_as_sent() {
        let (watch, sent) = SendWatch::start();
        drop(sent);
        assert!(matches!(state(&watch), Sending::Sent(_)));
    }
}
