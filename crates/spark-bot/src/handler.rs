//! The one handler type both event sources feed: the websocket (through
//! [`Bot::run`](crate::Bot::run)) and the [`WebhookReceiver`](crate::WebhookReceiver).

use crate::event::Event;

/// The error a bot's handler may return; it is logged with the event's ids.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// An event was refused because too many are waiting (the bound of
/// [`BotBuilder::queue`](crate::BotBuilder::queue)); a webhook receiver answers 503.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many events are waiting ({waiting}): this one was refused")]
pub struct Rejected {
    /// The bound that was reached.
    pub waiting: usize,
}

/// Takes events from a source. [`handle`](EventHandler::handle) must return at once: it queues
/// or spawns the work (a [`Bot`](crate::Bot) does, under its bounds), so a socket or a webhook
/// answer never waits for a handler.
///
/// A closure is one too:
///
/// ```
/// use spark_bot::{Event, EventHandler, Rejected};
///
/// let handler = |event: Event| -> Result<(), Rejected> {
///     println!("{:?}", event.kind);
///     Ok(())
/// };
/// let _: &dyn EventHandler = &handler;
/// ```
pub trait EventHandler: Send + Sync + 'static {
    /// Takes one event.
    ///
    /// # Errors
    ///
    /// [`Rejected`] when the event cannot be queued.
    fn handle(&self, event: Event) -> Result<(), Rejected>;
}

impl<F> EventHandler for F
where
    F: Fn(Event) -> Result<(), Rejected> + Send + Sync + 'static,
{
    fn handle(&self, event: Event) -> Result<(), Rejected> {
        self(event)
    }
}
