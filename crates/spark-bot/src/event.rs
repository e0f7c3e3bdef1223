//! The typed events a bot handles, whichever source they came from, and the items of an
//! [`EventStream`](crate::EventStream).
//!
//! An [`Event`] is shaped like a webhook delivery: a kind (resource and event) and the
//! delivery's `data` ([`EventData`]) with REST ids. Websocket activities are converted to this
//! shape (see [`crate::activity`]), so one handler serves both sources.

use std::time::Duration;

use spark_model::{EventData, RoomType};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// A message was posted (`messages`/`created`; websocket verbs `post`, `share`).
    MessageCreated,
    /// A message was deleted (`messages`/`deleted`; verb `delete`).
    MessageDeleted,
    /// A card was submitted (`attachmentActions`/`created`; verb `cardAction`).
    CardSubmitted,
    /// Someone was added to a room (`memberships`/`created`; verb `add`).
    MembershipAdded,
    /// Someone left or was removed from a room (`memberships`/`deleted`; verb `leave`).
    MembershipRemoved,
    /// A room was created (`rooms`/`created`; verb `create`).
    RoomCreated,
}

/// Where an event came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// The device's websocket.
    Websocket,
    /// A webhook delivery.
    Webhook,
}

/// One event, with REST ids.
///
/// `data.id` is the id of the resource: the message (created or deleted), the attachment
/// action, the membership or the room. `data.room_id`, `data.person_id` (the author of a
/// message, the submitter of a card, the member of a membership) and `data.room_type` are set
/// whenever the source tells them; `data.message_id` is the card's message for
/// [`EventKind::CardSubmitted`], `data.parent_id` the thread's first message for a reply.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// The delivery's data, as a webhook carries it (message text is never in it: fetch the
    /// message).
    pub data: EventData,
    /// Who did it (REST person id).
    pub actor_id: Option<String>,
    /// The Mercury activity id (websocket events only; the key of de-duplication).
    pub activity_id: Option<String>,
    /// Where it came from.
    pub source: Source,
}

impl Event {
    /// An event of this kind with this data (what a webhook delivery gives).
    pub fn new(kind: EventKind, data: EventData, source: Source) -> Self {
        Self {
            kind,
            data,
            actor_id: None,
            activity_id: None,
            source,
        }
    }

    /// The id of the resource (message, attachment action, membership, room).
    pub fn id(&self) -> Option<&str> {
        self.data.id.as_deref()
    }

    /// The room it happened in.
    pub fn room_id(&self) -> Option<&str> {
        self.data.room_id.as_deref()
    }

    /// True in a direct (1:1) room.
    pub fn is_direct(&self) -> bool {
        self.data.room_type == Some(RoomType::Direct)
    }
}

/// An item of an [`EventStream`](crate::EventStream).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
// Nearly every item is an event: boxing it would cost an allocation per event for nothing.
#[allow(clippy::large_enum_variant)]
pub enum Incoming {
    /// An event.
    Event(Event),
    /// The socket was lost and is open and authorized again.
    Reconnected {
        /// From the moment the loss was noticed to the new socket's authorization: events of
        /// that gap are not replayed by Webex (only frames sent but not acknowledged are).
        gap: Duration,
        /// Connection attempts it took.
        attempts: u32,
        /// Whether the device had to be registered again (its socket answered 404).
        registered_again: bool,
    },
}
