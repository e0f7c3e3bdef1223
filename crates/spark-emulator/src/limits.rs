//! The bounds that keep one hostile or broken client from holding the emulator: how many
//! connections it serves at once, how long it waits on a client, how much of a body it reads,
//! and how webhook deliveries are queued and timed out.
//!
//! [`EmulatorBuilder`](crate::EmulatorBuilder) sets them; the crate documentation lists them
//! with their defaults.

use std::time::Duration;

use crate::server::MAX_FILE_BYTES;

/// The largest body of a `multipart/form-data` upload (`POST /v1/messages` with a file): a
/// full-size file plus 256 KB for the form's other fields and framing.
pub(crate) const MAX_UPLOAD_BODY_BYTES: usize = MAX_FILE_BYTES + 256 * 1024;

/// The largest body of any other request (JSON, the form of `/v1/access_token`): 1 MB.
pub(crate) const MAX_JSON_BODY_BYTES: usize = 1024 * 1024;

/// The settings of one emulator; the defaults are those the builder documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Connections served at once; more wait in the listen queue.
    pub(crate) max_connections: usize,
    /// The longest a request head may take to arrive, and a kept-alive connection may idle.
    pub(crate) header_read_timeout: Duration,
    /// The longest a request body may take to arrive whole.
    pub(crate) body_read_timeout: Duration,
    /// The longest an answer may wait for the client to take more of it.
    pub(crate) write_timeout: Duration,
    /// The longest one webhook delivery may take: connect, send, and read the answer.
    pub(crate) delivery_timeout: Duration,
    /// Deliveries in flight at once to one receiver (scheme, host and port).
    pub(crate) delivery_concurrency: usize,
    /// Deliveries waiting for one receiver; past it, the oldest waiting one is dropped.
    pub(crate) delivery_queue: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 512,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(60),
            write_timeout: Duration::from_secs(30),
            delivery_timeout: Duration::from_secs(10),
            delivery_concurrency: 4,
            delivery_queue: 1000,
        }
    }
}
