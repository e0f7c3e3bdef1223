//! An in-memory Webex REST API served over hyper, for examples, tests and offline development.
//!
//! [`Emulator::start`] binds a free port of 127.0.0.1 and serves `/v1` from memory: people (a
//! seeded caller, Ada Lovelace, and a few others), rooms, memberships, messages (threads,
//! mentions, files, edits, direct messages), teams, team memberships, webhooks (delivered, and
//! signed with `X-Spark-Signature`), attachment actions, events, room tabs, contents and the
//! OAuth refresh grant at `/access_token`; for bots, device registration at
//! `/wdm/api/v1/devices`, the U2C catalog at `/u2c/api/v1/catalog` and each device's event
//! websocket (see [`SocketFaults`] and [`Emulator::drop_sockets`]). The emulator stops when its
//! handle is dropped.
//!
//! It behaves like Webex where clients trip: `{"items": [...]}` pages of `max` items with a
//! `Link: <...>; rel="next"` header; error bodies with a `trackingId` (also in the `trackingid`
//! header); 400 for bad input, 401 for a missing or expired token, 403 when the caller is not a
//! member, 404 for unknown ids, 405 for a wrong method. [`Faults`] add 429s with `Retry-After`,
//! server errors, latency, expired tokens and `max=null` in next links, at will.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! use spark_emulator::{Emulator, Faults};
//!
//! let emulator = Emulator::start().await?;
//! let base_url = emulator.base_url(); // http://127.0.0.1:<port>/v1
//! let token = emulator.access_token(); // Ada Lovelace's token
//! # let _ = (base_url, token);
//!
//! // Every third request answers 429 with `Retry-After: 0`, from now on.
//! emulator.set_faults(Faults::none().rate_limit_every(3).retry_after_secs(0));
//! // Every token issued so far answers 401; refresh through `/v1/access_token` with
//! // `client_id()`, `client_secret()` and `refresh_token()`.
//! emulator.expire_all_tokens();
//! # Ok(())
//! # }
//! ```
//!
//! The binary serves the same on a fixed port for programs in any language:
//! `cargo run -p spark-emulator -- --port 8080`.
//!
//! # Limits
//!
//! No client, hostile or broken, can hold the emulator: every wait on a client is bounded and
//! every body has a limit. The path, the token and an upload's boundary are checked from the
//! request head, and a refusal is answered before the body is read (the rest of a refused body
//! is read and thrown away, up to the request's limit, so the client can read its answer). Each
//! bound, its default, and the [`EmulatorBuilder`] setter that changes it:
//!
//! | bound | default | setter |
//! | --- | --- | --- |
//! | connections served at once (more wait in the listen queue) | 512 | [`max_connections`](EmulatorBuilder::max_connections) |
//! | request head to arrive whole; a kept-alive connection's idle time | 10 s, then closed | [`header_read_timeout`](EmulatorBuilder::header_read_timeout) |
//! | request body to arrive whole | 60 s, then 408 | [`body_read_timeout`](EmulatorBuilder::body_read_timeout) |
//! | client taking no byte of its answer | 30 s, then closed | [`write_timeout`](EmulatorBuilder::write_timeout) |
//! | body of a form posted to `/v1/messages` | 100 MB + 256 KB, then 413 (the file: [`MAX_FILE_BYTES`], then 400) | none |
//! | any other body | 1 MB, then 413 | none |
//! | multipart boundary | 70 characters (RFC 2046), then 400 | none |
//! | webhook delivery: connect, send, read the whole answer | 10 s, then given up | [`delivery_timeout`](EmulatorBuilder::delivery_timeout) |
//! | deliveries in flight to one receiver (scheme, host, port) | 4 | [`delivery_concurrency`](EmulatorBuilder::delivery_concurrency) |
//! | deliveries waiting for one receiver | 1000, then the oldest is dropped | [`delivery_queue`](EmulatorBuilder::delivery_queue) |
//!
//! [`Emulator::open_connections`], [`Emulator::deliveries_sent`],
//! [`Emulator::deliveries_failed`] and [`Emulator::deliveries_dropped`] tell how it went. Failed
//! deliveries are not retried.

#![forbid(unsafe_code)]

mod auth;
mod body;
mod dispatch;
mod errors;
mod faults;
mod ids;
mod inbox;
mod limits;
mod mercury;
mod multipart;
mod paging;
mod routes;
mod server;
mod state;
mod wdm;
mod webhooks;
mod write_timeout;

pub use faults::Faults;
pub use inbox::{Delivery, WebhookInbox};
pub use server::{Emulator, EmulatorBuilder, MAX_FILE_BYTES};
pub use wdm::{DEFAULT_DEVICE_LIMIT, SocketFaults};
pub use webhooks::{SIGNATURE_HEADER, sign};

/// The email of the seeded caller, whose token [`Emulator::access_token`] gives.
pub const CALLER_EMAIL: &str = "ada@example.com";

/// The emails of the people every emulator starts with (the caller first).
pub const SEEDED_EMAILS: [&str; 4] = [
    state::SEED_PEOPLE[0].0,
    state::SEED_PEOPLE[1].0,
    state::SEED_PEOPLE[2].0,
    state::SEED_PEOPLE[3].0,
];
