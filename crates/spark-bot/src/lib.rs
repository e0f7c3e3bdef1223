//! Webex bots: events over the device websocket ("Mercury") or webhooks, commands, cards and
//! replies, on top of [`spark_api::Client`].
//!
//! Three layers, each usable alone:
//!
//! - [`EventStream`]: registers a device, opens its websocket, authorizes, acks, keeps it alive
//!   and reconnects; a `Stream` of typed [`Event`]s with REST ids. No public URL needed.
//! - [`WebhookReceiver`]: a tower `Service` for axum or hyper that checks `X-Spark-Signature`
//!   on the raw body (size-bounded), answers at once and hands the typed [`Event`] on.
//! - [`Bot`]: commands matched after the bot's own mention, card submissions, replies in
//!   thread, to the room or direct, a help text, handlers run concurrently under a bound, a
//!   panicking handler logged and survived.
//!
//! ```no_run
//! # async fn run() -> spark_bot::Result<()> {
//! use spark_bot::{Bot, EventStream};
//!
//! let client = spark_api::Client::from_env()?;
//! let bot = Bot::builder(client.clone())
//!     .command("echo", "repeats what you say", |ctx, args| async move {
//!         ctx.reply_in_thread(&args).await?;
//!         Ok(())
//!     })
//!     .build()
//!     .await?;
//! let events = EventStream::builder(client).device_name("echo-bot").connect().await?;
//! bot.run(events).await
//! # }
//! ```
//!
//! Protocol facts and their sources: DESIGN.md, "Real-time events". Tokens never appear in
//! `Debug` output, errors or logs of this crate.

#![forbid(unsafe_code)]

mod activity;
mod backoff;
mod bot;
mod command;
mod context;
mod dedupe;
mod device;
mod dispatch;
mod error;
mod event;
mod handler;
pub mod ids;
mod socket;
mod stream;
mod tls;
mod token;
mod webhook;

pub use bot::{Bot, BotBuilder};
pub use context::Context;
pub use device::{DEFAULT_U2C_URL, FALLBACK_WDM_URL};
pub use error::{Error, Result};
pub use event::{Event, EventKind, Incoming, Source};
pub use handler::{EventHandler, HandlerError, Rejected};
pub use stream::{EventStream, EventStreamBuilder};
pub use tls::default_tls_config;
pub use webhook::{DEFAULT_WEBHOOK_BODY_LIMIT, WebhookReceiver};

/// The example of the crate's README (its front page on crates.io), run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
