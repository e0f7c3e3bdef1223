//! [`Bot`]: commands, card submissions and other events routed to handlers, over either event
//! source.
//!
//! For a posted message the bot fetches the message (its text never travels in events),
//! ignores its own, strips its own mention in group rooms, and matches the first word against
//! the registered commands (`help` is built in and lists them). A message that matches no
//! command goes to the [`on_message`](BotBuilder::on_message) handler, or is answered with the
//! help text. Card submissions go to [`on_card`](BotBuilder::on_card) with the submission (its
//! inputs); other events to [`on_event`](BotBuilder::on_event).
//!
//! Handlers run in spawned tasks: one room's events one after the other, in order; rooms side
//! by side, at most [`max_concurrency`](BotBuilder::max_concurrency) at once (default 16); at
//! most [`queue`](BotBuilder::queue) events waiting (default 4096); each handler stopped after
//! [`handler_timeout`](BotBuilder::handler_timeout) (default 60 s). A handler that fails or
//! panics is logged with the event's ids and the bot goes on.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use spark_api::Client;
use spark_model::{AttachmentAction, Person};

use crate::command;
use crate::context::Context;
use crate::dispatch::{Dispatcher, Work};
use crate::error::Result;
use crate::event::{Event, EventKind, Incoming};
use crate::handler::{EventHandler, HandlerError, Rejected};
use crate::stream::EventStream;
use crate::webhook::WebhookReceiver;

type BoxFuture = std::pin::Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send>>;
type CommandFn = Arc<dyn Fn(Context, String) -> BoxFuture + Send + Sync>;
type CardFn = Arc<dyn Fn(Context, AttachmentAction) -> BoxFuture + Send + Sync>;
type EventFn = Arc<dyn Fn(Context) -> BoxFuture + Send + Sync>;
type ReconnectFn = Arc<dyn Fn(Duration, u32) + Send + Sync>;

struct Command {
    name: String,
    description: String,
    handler: CommandFn,
}

/// Builds a [`Bot`]: its handlers and bounds.
#[must_use]
pub struct BotBuilder {
    client: Client,
    commands: Vec<Command>,
    on_card: Option<CardFn>,
    on_message: Option<EventFn>,
    on_event: Option<EventFn>,
    on_reconnect: Option<ReconnectFn>,
    concurrency: usize,
    queue: usize,
    timeout: Duration,
}

impl std::fmt::Debug for BotBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BotBuilder")
            .field(
                "commands",
                &self.commands.iter().map(|c| &c.name).collect::<Vec<_>>(),
            )
            .field("concurrency", &self.concurrency)
            .field("queue", &self.queue)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl BotBuilder {
    /// Registers a command: `name` (one word, matched without case, with or without a leading
    /// `/`), a one-line description for the help text, and the handler, given the context and
    /// the text after the name.
    pub fn command<F, Fut>(mut self, name: &str, description: &str, handler: F) -> Self
    where
        F: Fn(Context, String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.commands.push(Command {
            name: name.trim_start_matches('/').to_lowercase(),
            description: description.to_owned(),
            handler: Arc::new(move |ctx, args| Box::pin(handler(ctx, args))),
        });
        self
    }

    /// Registers `echo <text>`: answers the text back in the thread.
    pub fn echo(self) -> Self {
        self.command(
            "echo",
            "answers `<text>` back in the thread",
            |ctx, args| async move {
                ctx.reply_in_thread(&args).await?;
                Ok(())
            },
        )
    }

    /// Handles card submissions: the context (its message is the card's, when it could be
    /// read) and the submission with its `inputs`.
    pub fn on_card<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Context, AttachmentAction) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.on_card = Some(Arc::new(move |ctx, action| Box::pin(handler(ctx, action))));
        self
    }

    /// Handles card submissions with their inputs decoded into `T` (a struct whose fields are
    /// the inputs' ids; see [`AttachmentAction::inputs_as`]), and the submission itself. A
    /// submission whose inputs do not decode is logged with the event's ids and not handed on.
    ///
    /// ```no_run
    /// # async fn run(client: spark_bot::Client) -> spark_bot::Result<()> {
    /// #[derive(serde::Deserialize)]
    /// struct Order {
    ///     dish: String,
    ///     comment: Option<String>,
    /// }
    ///
    /// let bot = spark_bot::Bot::builder(client)
    ///     .on_card_as(|ctx, order: Order, _action| async move {
    ///         ctx.reply(&format!("one {} coming", order.dish)).await?;
    ///         Ok(())
    ///     })
    ///     .build()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn on_card_as<T, F, Fut>(self, handler: F) -> Self
    where
        T: serde::de::DeserializeOwned + Send + 'static,
        F: Fn(Context, T, AttachmentAction) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        let handler = Arc::new(handler);
        self.on_card(move |ctx, action| {
            let handler = Arc::clone(&handler);
            async move {
                let inputs: T = action.inputs_as()?;
                handler(ctx, inputs, action).await
            }
        })
    }

    /// Handles messages that match no command (default: answer with the help text).
    pub fn on_message<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.on_message = Some(Arc::new(move |ctx| Box::pin(handler(ctx))));
        self
    }

    /// Handles every other event: deleted messages, memberships, rooms created.
    pub fn on_event<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.on_event = Some(Arc::new(move |ctx| Box::pin(handler(ctx))));
        self
    }

    /// Is told of each reconnection of the socket in [`Bot::run`]: the gap and the attempts it
    /// took.
    pub fn on_reconnect(
        mut self,
        callback: impl Fn(Duration, u32) + Send + Sync + 'static,
    ) -> Self {
        self.on_reconnect = Some(Arc::new(callback));
        self
    }

    /// Handlers running at once, all rooms together (default 16; 0 counts as 1).
    pub fn max_concurrency(mut self, handlers: usize) -> Self {
        self.concurrency = handlers.max(1);
        self
    }

    /// Events waiting for a handler, all rooms together (default 4096): the websocket path then
    /// waits, a webhook delivery is answered 503.
    pub fn queue(mut self, events: usize) -> Self {
        self.queue = events.max(1);
        self
    }

    /// Stops a handler that runs longer than this (default 60 s).
    pub fn handler_timeout(mut self, limit: Duration) -> Self {
        self.timeout = limit;
        self
    }

    /// Reads who the bot is (`GET /people/me`) and builds it.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when `people/me` fails.
    pub async fn build(self) -> Result<Bot> {
        let me = self.client.people().me().await?;
        Ok(self.build_as(me))
    }

    /// Builds the bot for this person (the token's owner), without a call.
    pub fn build_as(self, me: Person) -> Bot {
        let help = command::help_text(
            std::iter::once(("help", "this text")).chain(
                self.commands
                    .iter()
                    .map(|c| (c.name.as_str(), c.description.as_str())),
            ),
        );
        let core = Arc::new(Core {
            client: self.client,
            me: Arc::new(me),
            commands: self.commands,
            on_card: self.on_card,
            on_message: self.on_message,
            on_event: self.on_event,
            help,
        });
        let worker = Arc::clone(&core);
        let work: Work = Arc::new(move |event| {
            let core = Arc::clone(&worker);
            Box::pin(async move { core.process(event).await })
        });
        Bot {
            core,
            dispatcher: Dispatcher::new(self.concurrency, self.queue, self.timeout, work),
            on_reconnect: self.on_reconnect,
        }
    }
}

struct Core {
    client: Client,
    me: Arc<Person>,
    commands: Vec<Command>,
    on_card: Option<CardFn>,
    on_message: Option<EventFn>,
    on_event: Option<EventFn>,
    help: String,
}

/// A bot: handlers over an event source. Clones share everything.
///
/// It is an [`EventHandler`]: hand it to a [`WebhookReceiver`], or give it an
/// [`EventStream`] with [`run`](Bot::run).
#[derive(Clone)]
pub struct Bot {
    core: Arc<Core>,
    dispatcher: Dispatcher,
    on_reconnect: Option<ReconnectFn>,
}

impl std::fmt::Debug for Bot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot")
            .field("me", &self.core.me.id)
            .field(
                "commands",
                &self
                    .core
                    .commands
                    .iter()
                    .map(|c| &c.name)
                    .collect::<Vec<_>>(),
            )
            .field("dispatcher", &self.dispatcher)
            .finish_non_exhaustive()
    }
}

impl Bot {
    /// A builder for a bot that answers through `client` (whose token is the bot's).
    pub fn builder(client: Client) -> BotBuilder {
        BotBuilder {
            client,
            commands: Vec::new(),
            on_card: None,
            on_message: None,
            on_event: None,
            on_reconnect: None,
            concurrency: 16,
            queue: 4096,
            timeout: Duration::from_secs(60),
        }
    }

    /// The bot's own person.
    pub fn me(&self) -> &Person {
        &self.core.me
    }

    /// The help text: `help` and the registered commands, one per line.
    pub fn help_text(&self) -> &str {
        &self.core.help
    }

    /// Handles the events of `events` until the stream ends (`Ok`), fails for good (its
    /// error) or the bot is [shut down](Self::shutdown) (`Ok`, once the socket is closed and
    /// the device deleted: [`EventStream::close`]). Reconnections are logged and told to
    /// [`BotBuilder::on_reconnect`].
    ///
    /// # Errors
    ///
    /// The stream's final error (see [`EventStream`]).
    pub async fn run(&self, mut events: EventStream) -> Result<()> {
        loop {
            let item = tokio::select! {
                item = events.next() => item,
                () = self.dispatcher.closed() => {
                    events.close().await;
                    return Ok(());
                }
            };
            let Some(item) = item else {
                return Ok(());
            };
            match item? {
                Incoming::Event(event) => self.dispatcher.dispatch(event).await,
                Incoming::Reconnected { gap, attempts, .. } => {
                    tracing::info!(?gap, attempts, "event socket reconnected");
                    if let Some(callback) = &self.on_reconnect {
                        callback(gap, attempts);
                    }
                }
            }
        }
    }

    /// Stops the bot: new events are refused from now on (a webhook receiver answers 503,
    /// [`run`](Self::run) closes its stream, deleting the device, and returns `Ok`), the
    /// events already queued and the handlers running get `grace` to finish, and whatever still
    /// runs then is stopped (its task aborted at its next `.await`) and whatever is still queued
    /// dropped. Returns how many events were not handled to their end. Takes at most twice
    /// `grace`, whatever the handlers do; calling it again waits again.
    pub async fn shutdown(&self, grace: Duration) -> usize {
        self.dispatcher.shutdown(grace).await.events
    }

    /// A webhook receiver that checks deliveries with `secret` and hands them to this bot.
    ///
    /// # Errors
    ///
    /// [`Error::Config`](crate::Error::Config) when the secret is empty or only whitespace.
    pub fn webhook_receiver(&self, secret: &str) -> Result<WebhookReceiver> {
        WebhookReceiver::new(secret, Arc::new(self.clone()))
    }
}

impl EventHandler for Bot {
    fn handle(&self, event: Event) -> Result<(), Rejected> {
        self.dispatcher.try_dispatch(event)
    }
}

impl Core {
    fn context(&self, event: Arc<Event>, message: Option<Arc<spark_model::Message>>) -> Context {
        Context {
            client: self.client.clone(),
            event,
            message,
            text: Arc::from(""),
            me: Arc::clone(&self.me),
        }
    }

    async fn process(&self, event: Event) {
        let activity = event.activity_id.clone();
        let id = event.data.id.clone();
        let outcome = match event.kind {
            EventKind::MessageCreated => self.message(event).await,
            EventKind::CardSubmitted => self.card(event).await,
            _ => match &self.on_event {
                Some(handler) => handler(self.context(Arc::new(event), None)).await,
                None => Ok(()),
            },
        };
        if let Err(error) = outcome {
            tracing::warn!(activity = ?activity, id = ?id, %error, "handler failed");
        }
    }

    async fn message(&self, event: Event) -> Result<(), HandlerError> {
        if event.data.person_id.as_deref() == Some(self.me.id.as_str()) {
            return Ok(());
        }
        let Some(id) = event.data.id.clone() else {
            return Ok(());
        };
        let message = self.client.messages().get(&id).await?;
        if message.person_id.as_deref() == Some(self.me.id.as_str()) {
            return Ok(());
        }
        let text = if event.is_direct() {
            message.text.clone().unwrap_or_default().trim().to_owned()
        } else {
            command::strip_mention(&message, &self.me)
        };
        let (name, args) = command::split(&text);
        let mut ctx = self.context(Arc::new(event), Some(Arc::new(message)));
        ctx.text = Arc::from(text.as_str());
        if name == "help" {
            ctx.reply_in_thread(&self.help).await?;
            return Ok(());
        }
        if let Some(command) = self.commands.iter().find(|c| c.name == name) {
            return (command.handler)(ctx, args).await;
        }
        match &self.on_message {
            Some(handler) => handler(ctx).await,
            None => {
                let answer = format!("I do not know `{name}`.\n\n{}", self.help);
                ctx.reply_in_thread(&answer).await?;
                Ok(())
            }
        }
    }

    async fn card(&self, event: Event) -> Result<(), HandlerError> {
        let Some(handler) = &self.on_card else {
            return Ok(());
        };
        let Some(id) = event.data.id.clone() else {
            return Ok(());
        };
        let action = self.client.attachment_actions().get(&id).await?;
        let message_id = action.message_id.clone().or(event.data.message_id.clone());
        let message = match message_id {
            Some(message_id) => self
                .client
                .messages()
                .get(&message_id)
                .await
                .ok()
                .map(Arc::new),
            None => None,
        };
        handler(self.context(Arc::new(event), message), action).await
    }
}
