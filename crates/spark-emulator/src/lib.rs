//! An in-memory Webex REST API served over hyper, for examples, tests and offline development.
//!
//! [`Emulator::start`] binds a free port of 127.0.0.1 and serves `/v1` from memory: people (a
//! seeded caller, Ada Lovelace, and a few others), rooms, memberships, messages (threads,
//! mentions, files, edits, direct messages), teams, team memberships, webhooks (delivered, and
//! signed with `X-Spark-Signature`), attachment actions, events, room tabs, contents and the
//! OAuth refresh grant at `/access_token`. The emulator stops when its handle is dropped.
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

#![forbid(unsafe_code)]

mod auth;
mod body;
mod dispatch;
mod errors;
mod faults;
mod ids;
mod inbox;
mod limits;
mod multipart;
mod paging;
mod routes;
mod server;
mod state;
mod webhooks;
mod write_timeout;

pub use faults::Faults;
pub use inbox::{Delivery, WebhookInbox};
pub use server::{Emulator, EmulatorBuilder, MAX_FILE_BYTES};
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
