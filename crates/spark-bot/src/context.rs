//! What a handler gets: the event, the message it is about (fetched), the bot's own person,
//! and the ways to answer (in the thread, to the room, directly).

use std::sync::Arc;

use spark_api::Client;
use spark_model::card::AdaptiveCard;
use spark_model::{CreateMessage, Message, Person};

use crate::error::Result;
use crate::event::Event;

/// The event being handled and the means to answer it. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Context {
    pub(crate) client: Client,
    pub(crate) event: Arc<Event>,
    pub(crate) message: Option<Arc<Message>>,
    /// The message's text without the bot's own mention, trimmed.
    pub(crate) text: Arc<str>,
    pub(crate) me: Arc<Person>,
}

impl Context {
    /// The client, for any other call.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The event.
    pub fn event(&self) -> &Event {
        &self.event
    }

    /// The message: the one posted (commands), or the card's message (card submissions, when
    /// it could be read).
    pub fn message(&self) -> Option<&Message> {
        self.message.as_deref()
    }

    /// The posted message's text with the bot's own mention removed, trimmed: what commands
    /// are matched against (`"echo hi"` for "@Bot echo hi"). Empty for other events.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The bot's own person.
    pub fn me(&self) -> &Person {
        &self.me
    }

    /// True in a direct (1:1) room.
    pub fn is_direct(&self) -> bool {
        self.event.is_direct()
    }

    /// The room of the event.
    pub fn room_id(&self) -> Option<&str> {
        self.event.room_id()
    }

    /// The person who posted the message or submitted the card.
    pub fn person_id(&self) -> Option<&str> {
        self.event.data.person_id.as_deref()
    }

    /// Sends any message.
    ///
    /// # Errors
    ///
    /// [`Error::Api`](crate::Error::Api) when the API refuses it.
    pub async fn send(&self, message: &CreateMessage) -> Result<Message> {
        Ok(self.client.messages().create(message).await?)
    }

    /// Answers in the room, in Markdown.
    ///
    /// # Errors
    ///
    /// [`Error::Config`](crate::Error::Config) when the event has no room;
    /// [`Error::Api`](crate::Error::Api) when the API refuses the message.
    pub async fn reply(&self, markdown: &str) -> Result<Message> {
        let room = self.room()?;
        self.send(&CreateMessage::to_room(room).markdown(markdown))
            .await
    }

    /// Answers in the message's thread (the thread it is in, or a new one under it), in
    /// Markdown; in the room when there is no message.
    ///
    /// # Errors
    ///
    /// As [`reply`](Self::reply).
    pub async fn reply_in_thread(&self, markdown: &str) -> Result<Message> {
        let room = self.room()?;
        let mut message = CreateMessage::to_room(room).markdown(markdown);
        if let Some(parent) = self
            .message
            .as_ref()
            .map(|m| m.parent_id.clone().unwrap_or_else(|| m.id.clone()))
        {
            message = message.parent_id(parent);
        }
        self.send(&message).await
    }

    /// Answers the person privately, in their direct room with the bot, in Markdown.
    ///
    /// # Errors
    ///
    /// [`Error::Config`](crate::Error::Config) when the event names no person;
    /// [`Error::Api`](crate::Error::Api) when the API refuses the message.
    pub async fn reply_direct(&self, markdown: &str) -> Result<Message> {
        let person = self
            .person_id()
            .ok_or_else(|| crate::Error::Config("the event names no person".to_owned()))?;
        self.send(&CreateMessage::to_person_id(person).markdown(markdown))
            .await
    }

    /// Sends an Adaptive Card to the room, with `text` for clients that cannot render cards.
    /// The card's submissions come back to [`BotBuilder::on_card`](crate::BotBuilder::on_card).
    ///
    /// # Errors
    ///
    /// [`Error::Config`](crate::Error::Config) when the event has no room;
    /// [`Error::Api`](crate::Error::Api) when the API refuses the message (a card over the
    /// size limit, for one).
    pub async fn reply_card(&self, text: &str, card: AdaptiveCard) -> Result<Message> {
        let room = self.room()?;
        self.send(&CreateMessage::to_room(room).text(text).attachment(card))
            .await
    }

    fn room(&self) -> Result<&str> {
        self.room_id()
            .ok_or_else(|| crate::Error::Config("the event has no room".to_owned()))
    }
}
