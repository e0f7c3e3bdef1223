//! An in-memory Webex REST API served over hyper, for examples, tests and offline development.
//!
//! [`Emulator::start`] binds a free port of 127.0.0.1 and serves `/v1` from memory: people (a
//! seeded caller, Ada Lovelace, and a few others), rooms, memberships, messages (threads,
//! mentions, files, edits, direct messages), teams, team memberships, webhooks (delivered, and
//! signed with `X-Spark-Signature`), attachment actions, events, room tabs, contents and the
//! OAuth refresh grant at `/access_token`; the organization, its licenses and roles, people
//! managed by an administrator, meetings and meeting invitees (see [Operations with
//! state](#operations-with-state)); for bots, device registration at `/wdm/api/v1/devices`, the
//! U2C catalog at `/u2c/api/v1/catalog` and each device's event websocket (see
//! [`SocketFaults`] and [`Emulator::drop_sockets`]). Every other operation of the official specs
//! answers with the spec's own example (see [Operations answered from the
//! specs](#operations-answered-from-the-specs)). The emulator stops when its handle is dropped.
//!
//! It behaves like Webex where clients trip: `{"items": [...]}` pages of `max` items with a
//! `Link: <...>; rel="next"` header; error bodies with a `trackingId` (also in the `trackingid`
//! header); 400 for bad input, 401 for a missing or expired token, 403 when the caller is not a
//! member, 404 for unknown ids, 405 for a wrong method. [`Faults`] add 429s with `Retry-After`,
//! server errors, connection resets, latency, expired tokens and `max=null` in next links, at
//! will. A reset ([`Faults::reset_every`], [`Faults::reset_next`]) comes after the request was
//! applied (or refused): the connection is closed with a TCP reset instead of the answer, so a
//! `POST` that draws one has created what it creates though its caller never hears of it; the
//! request log ([`Emulator::requests`]) tells which reset requests took effect.
//!
//! `/access_token` refuses a grant as RFC 6749 §5.2 and Webex do, with an OAuth error code:
//! `400 {"error": "invalid_grant", "error_description": "..."}` for an unknown or revoked refresh
//! token or code ([`Emulator::revoke_refresh_token`]), `401` `invalid_client` for a missing or
//! wrong client id or secret, `400` `unsupported_grant_type`, and `400` `invalid_request` for a
//! missing parameter.
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
//! `cargo run -p webex-spark-emulator -- --port 8080` (`--help` lists the options: `--json` prints the
//! start-up facts as JSON, `--state FILE` keeps the store between runs, `--seed FILE` seeds it).
//!
//! # Live refusals, on by default
//!
//! Where live Webex refuses, the emulator refuses too, so a bot that passes against it does not
//! fail live; [`Refusals`] lists each with the source of the fact, and switches them off
//! ([`EmulatorBuilder::refusals`], [`Emulator::set_refusals`]):
//!
//! - a bot listing a group room's messages without `mentionedPeople=me` gets 403, and a bot's
//!   webhook fires for a group room's message only when it is mentioned (any person or bot whose
//!   email ends in `@webex.bot`, or seeded with `"type": "bot"`, is a bot);
//! - a file is scanned after upload: 423 with `Retry-After` for [`DEFAULT_SCAN_TIME`] (2 s), then
//!   428 for a file marked unscannable (unless `?allow=unscannable`), 410 for one marked
//!   infected ([`Emulator::set_scan_verdict`]). A test that downloads right after an upload
//!   either waits (with tokio's paused clock, for free) or sets the scan time to zero:
//!   `Refusals::default().scan_time(Duration::ZERO)`;
//! - `PUT /rooms/{id}` naming another team answers 400;
//! - `text` and `markdown` over 7439 bytes answer 400.
//!
//! `PUT /memberships/{id}` changes only the fields it names, as live Webex.
//!
//! # Quirks, off by default
//!
//! [`Quirks`] make the answers carry what live Webex has been seen to send: next links that drop
//! the caller's filters, an empty page in the middle of a list, optional fields null or missing,
//! unknown enumeration values and new fields ([`EmulatorBuilder::quirks`],
//! [`Emulator::set_quirks`]). `max=null` in next links is a fault
//! ([`Faults::null_max_in_next_links`]).
//!
//! # The control API, for tests in any language
//!
//! Everything above, the faults, seeding, reset and the request log, over HTTP under the
//! reserved path `/_emulator` of the same port, with `Authorization: Bearer <admin secret>` (the
//! binary prints it, or takes `--admin-secret`; [`Emulator::admin_secret`] in Rust). The routes:
//!
//! | route | what it does |
//! | --- | --- |
//! | `GET /_emulator/faults`, `PUT` (merge), `DELETE` (none) | `rateLimitEvery`, `rateLimitNext`, `retryAfter` (any text, or `null` for none), `serverErrorEvery`, `serverErrorNext`, `serverErrorStatus`, `resetEvery`, `resetNext`, `latencyMs`, `nullMaxInNextLinks` |
//! | `GET /_emulator/refusals`, `PUT` (merge) | `botNeedsMention`, `fileScan`, `scanSeconds`, `teamMove`, `textLimits` |
//! | `GET /_emulator/quirks`, `PUT` (merge) | `dropFiltersInNextLinks`, `emptyPageMidList`, `absentFields` (`null`, `"null"`, `"missing"`), `unknownEnumValues`, `newFields` |
//! | `POST /_emulator/tokens` `{"email"}` | a new access and refresh token for that person |
//! | `PUT /_emulator/tokens` `{"lifetimeSeconds"}` | the lifetime of tokens issued from now on |
//! | `POST /_emulator/tokens/expire` | every access token issued so far answers 401 |
//! | `POST /_emulator/tokens/revoke` `{"refreshToken"}` | the refresh grant with it answers `invalid_grant` ([`Emulator::revoke_refresh_token`]) |
//! | `POST /_emulator/seed` | applies a [`Seed`] document; answers the ids and tokens it made |
//! | `POST /_emulator/reset` | forgets every resource but people and tokens, puts the switches back, empties the log |
//! | `GET /_emulator/requests`, `DELETE` | the request log, `{"items": [{"method", "path", "query", "identity", "status", "answeredFrom", "reset"}]}` ([`LoggedRequest`]); empties it |
//! | `PUT /_emulator/files/{contentId}` `{"verdict"}` | ends a file's scan: `clean`, `unscannable`, `infected` |
//! | `GET /_emulator/state` | the store as a state file |
//!
//! ```text
//! $ spark-emulator --port 8080 --admin-secret letmein &
//! $ curl -X PUT localhost:8080/_emulator/faults -H 'Authorization: Bearer letmein' \
//!        -d '{"rateLimitNext": 1, "retryAfter": 3}'
//! $ curl -X POST localhost:8080/_emulator/seed -H 'Authorization: Bearer letmein' \
//!        -d '{"people": [{"email": "helper@webex.bot"}], "rooms": [{"title": "Ops", "members": ["helper@webex.bot"]}]}'
//! $ curl localhost:8080/_emulator/requests -H 'Authorization: Bearer letmein'
//! ```
//!
//! # Operations with state
//!
//! Every operation below reads and changes the emulator's memory: what one call changes, the
//! next one sees. The other operations of the specs answer from their examples (next section);
//! any other path under `/v1` answers 404.
//!
//! | path | operations | what is kept |
//! | --- | --- | --- |
//! | `/people` | `GET` (`email`, `displayName`, `id`, `orgId`, `roles`), `GET /{id}`, `GET /me` | the seeded people, and those invited or created |
//! | `/people` (administrators) | `POST`, `PUT /{id}`, `DELETE /{id}` (`callingData`, `showAllTypes` taken; `minResponse=true` answers the id only) | 403 unless the caller holds the Full Administrator or the User and Device Administrator role |
//! | `/rooms`, `/memberships`, `/messages`, `/teams`, `/team/memberships`, `/webhooks`, `/room/tabs` | `GET`, `POST`, `GET /{id}`, `PUT /{id}`, `DELETE /{id}` (and `/messages/direct`, `/rooms/{id}/meetingInfo`) | |
//! | `/attachment/actions`; `/events`; `/contents/{id}`; `/access_token` | `POST`, `GET /{id}`; `GET`, `GET /{id}`; `GET`, `HEAD`; `POST` | |
//! | `/organizations` | `GET`, `GET /{id}` | the one organization of every person |
//! | `/licenses` | `GET` (`orgId`), `GET /{id}` (`includeAssignedTo=user`) | messaging, meetings and calling; consumed units counted from the people holding each |
//! | `/roles` | `GET`, `GET /{id}` | the standard administrator roles |
//! | `/meetings` | `POST`, `GET` (`meetingType`, `state`, `from`, `to`, `max`, `meetingNumber`, `webLink`, `scheduledType`, `hostEmail`), `GET /{id}` (`current`), `PUT /{id}` (replaces), `PATCH /{id}`, `DELETE /{id}` | meeting series, each with one scheduled meeting; join details derived from the id |
//! | `/meetingInvitees` | `GET` (`meetingId` required, `panelist`), `POST`, `POST /bulkInsert`, `GET /{id}`, `PUT /{id}`, `DELETE /{id}` | the invitees of each meeting |
//! | `/recordings/{id}` | `GET`, `DELETE`; the download links of `temporaryDirectDownloadLinks`, `GET /recordings/{id}/download/{recording,audio,transcript}` (valid three hours) | the recordings added with [`Emulator::add_recording`] (other ids answer from the spec's example) |
//!
//! The organization, its licenses and roles are read by every caller. Besides the people of
//! [`SEEDED_EMAILS`], an administrator is seeded, [`ADMIN_EMAIL`] with the Full Administrator role
//! and every license ([`Emulator::admin_token`] gives a token); the others hold the messaging and
//! meetings licenses and no role.
//!
//! Meetings follow the official Meetings API: `title`, `start` and `end` are required (400
//! naming the missing one), `start` not in the past and `end` 10 minutes to 23 hours 59 minutes
//! after it, both kept to the minute; a list is of the caller's meeting series of the coming week
//! unless told otherwise, in start order, in pages of `max` (default 10) with `Link` headers. The
//! host manages a meeting and its invitees, invitees read them, others get 404; an administrator
//! acts for another host with `hostEmail`. Times without an offset are read as UTC (the
//! `timezone` field is kept but not applied), the occurrences of a recurring series are not
//! expanded, and no meeting ever runs (no meeting instances, `meetingType=meeting` lists none).
//!
//! # Operations answered from the specs
//!
//! Every other operation of the official specs (`spec/*.json`: messaging, meetings, devices,
//! admin; about 370) answers with the spec's own example answer (or a value made from the
//! answer's schema where the spec gives none) and keeps nothing. Before answering, it checks
//! what live Webex checks first: the path and method (404, 405 with `Allow`), the required query
//! parameters and body fields (400 naming the missing one). The table is generated with the
//! spark-api services by `cargo xtask codegen`, so every generated operation answers offline.
//! Each of these answers, errors included, carries `x-emulator-answer: spec-example`, and each
//! answer with state `x-emulator-answer: state` ([`ANSWER_SOURCE_HEADER`]); the request log keeps
//! it ([`LoggedRequest::answered_from`]): a test can tell a canned answer from one with state.
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
//! | events kept for `/events` | the newest 10,000 ([`DEFAULT_EVENT_WINDOW`]), older ones forgotten | [`event_window`](EmulatorBuilder::event_window) |
//! | the store: messages, files and kept events ([`Emulator::stored_bytes`]) | 1 GiB ([`DEFAULT_MEMORY_CAP`]), then `POST`, `PUT` and `PATCH` answer 507 | [`memory_cap`](EmulatorBuilder::memory_cap) |
//!
//! [`Emulator::open_connections`], [`Emulator::deliveries_sent`],
//! [`Emulator::deliveries_failed`] and [`Emulator::deliveries_dropped`] tell how it went. Failed
//! deliveries are not retried.
//!
//! # Scale
//!
//! The emulator can stand in for Webex under a load test. Messages are indexed by room and time:
//! a page (newest first, from the opaque cursor of the `Link` next URL, `beforeMessage` or
//! `before`) reads only the rows it gives, so it costs the same in a room of 10 or 100,000
//! messages (a `parentId` or `mentionedPeople` filter also reads the messages it passes over).
//! A stored message takes close to its size: its id once, the room and author ids and
//! email shared by every message that names them, the fields most messages lack in one optional
//! box. Webex keeps events for a limited time; the emulator keeps the newest 10,000 (a count, not
//! an age: a load test posts thousands a second, and a count bounds memory whatever the rate).
//! Past the memory cap, writes answer `507 Insufficient Storage` with a Webex error body rather
//! than 429: waiting frees nothing, a client that honours `Retry-After` would retry without end,
//! and neither spark-http nor the official Python SDK retries a 507. `cargo xtask bench -- --only
//! 7` measures it beside a bare hyper server.

#![forbid(unsafe_code)]

mod answer_source;
mod auth;
mod body;
mod bots;
mod connection_reset;
mod control;
mod dispatch;
mod disposition;
mod driving;
mod errors;
mod faults;
mod ids;
mod inbox;
mod limits;
mod mention_html;
mod mercury;
mod message_store;
mod multipart;
mod paging;
mod quirks;
mod refusals;
mod request_log;
mod routes;
mod scan;
mod seed;
mod server;
mod snapshot;
mod spec_examples;
mod state;
mod store_limits;
mod wdm;
mod webhooks;
mod write_timeout;
// Admin and meetings.
mod admin;
mod meeting;
mod meeting_time;
mod recording;

/// The `multipart/form-data` reader of `POST /messages`, reachable from outside the crate for
/// the property tests that read back what spark-api's upload writes, and for fuzzing; not part
/// of the API.
#[doc(hidden)]
pub mod forms {
    pub use crate::multipart::{FormError, Part, read_form};
}

pub use answer_source::{ANSWER_SOURCE_HEADER, AnswerSource};
pub use faults::Faults;
pub use inbox::{Delivery, WebhookInbox};
pub use quirks::{Absence, NEW_FIELD, Quirks, UNKNOWN_ENUM_VALUE};
pub use recording::NewRecording;
pub use refusals::{DEFAULT_SCAN_TIME, Refusals};
pub use request_log::{LoggedRequest, REQUEST_LOG_CAPACITY};
pub use scan::ScanVerdict;
pub use seed::{Seed, SeedMembership, SeedMessage, SeedPerson, SeedRoom, Seeded, SeededPerson};
pub use server::{Emulator, EmulatorBuilder, MAX_FILE_BYTES};
pub use store_limits::{DEFAULT_EVENT_WINDOW, DEFAULT_MEMORY_CAP};
pub use wdm::{DEFAULT_DEVICE_LIMIT, SocketFaults};
pub use webhooks::{SIGNATURE_HEADER, sign};

pub use admin::ADMIN_EMAIL;

/// The email of the seeded caller, whose token [`Emulator::access_token`] gives.
pub const CALLER_EMAIL: &str = "ada@example.com";

/// The emails of the people every emulator starts with (the caller first).
pub const SEEDED_EMAILS: [&str; 4] = [
    state::SEED_PEOPLE[0].0,
    state::SEED_PEOPLE[1].0,
    state::SEED_PEOPLE[2].0,
    state::SEED_PEOPLE[3].0,
];

/// The example of the crate's README (its front page on crates.io), run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
