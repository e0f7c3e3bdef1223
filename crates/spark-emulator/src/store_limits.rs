//! How much the store keeps: the window of events it remembers, and the memory cap past which
//! it answers `507 Insufficient Storage` to any request that would store more.
//!
//! Webex keeps events for a limited time, then `/events` no longer lists them; the emulator keeps
//! the newest [`DEFAULT_EVENT_WINDOW`] events (10,000) and forgets the oldest as new ones come.
//! A count rather than an age, because a load test posts thousands of messages a second: an age
//! would not bound memory, a count bounds it and still covers any test that reads back what it
//! just did.
//!
//! The memory cap counts what the store holds that a client can make grow without end: the
//! messages (their estimated bytes, see `message_store`), the uploaded files' bytes and the
//! events (an estimate per event). Once that passes the cap ([`DEFAULT_MEMORY_CAP`], 1 GiB),
//! every `POST`, `PUT` and `PATCH` under `/v1` answers 507 with a Webex error body naming the
//! cap; reads and deletes still work, so a test can clean up. 507 rather than 429: waiting does
//! not free memory, so a client that honours 429's `Retry-After` would retry without end, while
//! 507 is not retried by spark-http's retry policy nor by the official Python SDK, and fails the
//! load test with a message that says what to change.

use http::{Method, StatusCode};

use crate::errors::{Failure, Outcome};
use crate::state::State;

/// The events kept unless [`EmulatorBuilder::event_window`](crate::EmulatorBuilder::event_window)
/// says otherwise.
pub const DEFAULT_EVENT_WINDOW: usize = 10_000;

/// The bytes the store may hold before writes answer 507, unless
/// [`EmulatorBuilder::memory_cap`](crate::EmulatorBuilder::memory_cap) says otherwise: 1 GiB.
pub const DEFAULT_MEMORY_CAP: usize = 1 << 30;

/// What one kept event is counted as against the cap (the event, its data and its id).
pub(crate) const EVENT_BYTES: usize = 1024;

/// The store's bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoreLimits {
    /// Events kept; the oldest go first.
    pub(crate) event_window: usize,
    /// Bytes held past which writes answer 507.
    pub(crate) memory_cap: usize,
}

impl Default for StoreLimits {
    fn default() -> Self {
        Self {
            event_window: DEFAULT_EVENT_WINDOW,
            memory_cap: DEFAULT_MEMORY_CAP,
        }
    }
}

/// The bytes the store holds, as counted against the cap.
pub(crate) fn stored_bytes(state: &State) -> usize {
    let files: usize = state.files.values().map(|file| file.bytes.len()).sum();
    state.messages.bytes() + files + state.events.len() * EVENT_BYTES
}

/// 507 when a request with this method would store more and the store is past its cap.
pub(crate) fn check(state: &State, method: &Method) -> Outcome<()> {
    let writes = *method == Method::POST || *method == Method::PUT || *method == Method::PATCH;
    if !writes {
        return Ok(());
    }
    let held = stored_bytes(state);
    let cap = state.store_limits.memory_cap;
    if held <= cap {
        return Ok(());
    }
    Err(Failure::new(
        StatusCode::INSUFFICIENT_STORAGE,
        format!(
            "The emulator's store is full: it holds about {held} bytes, over its memory cap of \
             {cap} bytes. Delete rooms or messages, reset it (POST /_emulator/reset), or start it \
             with a larger cap."
        ),
    ))
}
