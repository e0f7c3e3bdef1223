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
//! One dependency is enough for most bots: the client ([`Client`], and all of spark-api as
//! [`spark_api`]), the card builder ([`card`], [`AdaptiveCard`]) and the types handlers get
//! ([`AttachmentAction`], [`Message`], [`Person`], [`EventData`], [`CreateMessage`]) are
//! re-exported here.
//!
//! ```no_run
//! # async fn run() -> spark_bot::Result<()> {
//! use spark_bot::card::{Action, Input, TextBlock};
//! use spark_bot::{AdaptiveCard, Bot, Client, EventStream};
//!
//! #[derive(serde::Deserialize)]
//! struct Order {
//!     dish: String,
//! }
//!
//! let client = Client::from_env()?;
//! let bot = Bot::builder(client.clone())
//!     .echo() // `echo <text>`, answered in the thread; `help` is built in
//!     .command("lunch", "asks what you want for lunch", |ctx, _args| async move {
//!         let card = AdaptiveCard::new()
//!             .body(TextBlock::new("What for lunch?"))
//!             .body(Input::text("dish"))
//!             .action(Action::submit("Order"));
//!         ctx.reply_card("What for lunch?", card).await?;
//!         Ok(())
//!     })
//!     .on_card_as(|ctx, order: Order, _action| async move {
//!         ctx.reply(&format!("one {} coming", order.dish)).await?;
//!         Ok(())
//!     })
//!     .build()
//!     .await?;
//! let events = EventStream::builder(client).device_name("lunch-bot").connect().await?;
//! let running = tokio::spawn({
//!     let bot = bot.clone();
//!     async move { bot.run(events).await }
//! });
//! tokio::signal::ctrl_c().await.expect("a Ctrl-C handler");
//! // Handlers get 5 s to finish; `run` then closes the socket, deletes the device and returns.
//! bot.shutdown(std::time::Duration::from_secs(5)).await;
//! running.await.expect("run does not panic")?;
//! # Ok(())
//! # }
//! ```
//!
//! # Offline, against the emulator
//!
//! `spark_emulator::Emulator` speaks the device service and the event socket too: point the
//! stream at its U2C service, `.u2c_url(emulator.u2c_url())`, and give the bot a client made
//! with `Client::builder().base_url(emulator.base_url())` and the token of a person whose
//! email ends in `@webex.bot` (`emulator.token_for(..)`; add one with
//! `Emulator::builder().person(email, name)`). A webhook bot is the same with a webhook
//! created by the bot's client, whose `targetUrl` is where the receiver is served.
//!
//! Protocol facts and their sources: DESIGN.md, "Real-time events". Tokens never appear in
//! `Debug` output, errors or logs of this crate.

#![forbid(unsafe_code)]

mod activity;
mod backoff;
mod bot;
mod cleanup;
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

// What a bot's code names most, so that one dependency is enough: the client, the card
// builder, and the types handlers get.
pub use spark_api::{self, Client};
pub use spark_model::card::{self, AdaptiveCard};
pub use spark_model::{AttachmentAction, CreateMessage, EventData, Message, Person};

/// The example of the crate's README (its front page on crates.io), run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
