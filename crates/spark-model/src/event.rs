//! Events: the `Event` resource (`/events`, the compliance record of activity), the activity
//! data shared with webhook deliveries, and the list parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;
use crate::enums::string_enum;
use crate::room::RoomType;

string_enum! {
    /// The kind of resource an event is about.
    pub enum EventResource {
        /// A card attachment action.
        AttachmentActions => "attachmentActions",
        /// An SMS message sent or received.
        BusinessTexts => "businessTexts",
        /// A Webex call to or from a user.
        CallRecords => "call_records",
        /// A recorded Webex call.
        ConvergedRecordings => "convergedRecordings",
        /// A file preview.
        FileTranscodings => "file_transcodings",
        /// A file download.
        Files => "files",
        /// A message exchanged in a meeting.
        MeetingMessages => "meetingMessages",
        /// A meeting.
        Meetings => "meetings",
        /// An automatic meeting transcript.
        MeetingTranscripts => "meetingTranscripts",
        /// A room membership.
        Memberships => "memberships",
        /// A message.
        Messages => "messages",
        /// A room.
        Rooms => "rooms",
        /// A room tab.
        Tabs => "tabs",
    }
}

string_enum! {
    /// What happened to the resource of an event.
    pub enum EventType {
        /// The resource was created.
        Created => "created",
        /// A property of the resource was updated.
        Updated => "updated",
        /// The resource was deleted.
        Deleted => "deleted",
        /// The meeting ended.
        Ended => "ended",
    }
}

/// An event: a record of an action on a resource, kept for compliance officers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// The unique identifier for the event.
    #[serde(default)]
    pub id: String,
    /// The kind of resource of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<EventResource>,
    /// The action that took place.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventType>,
    /// The ID of the application of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// The ID of the person who performed the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// The ID of the organization of the event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// When the event took place.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
    /// The resource as it was at the event (a message, a membership, a meeting, ...).
    #[serde(default)]
    pub data: EventData,
}

/// The data of an event or of a webhook delivery: a snapshot of the resource concerned.
///
/// Its shape depends on the resource: the fields of all the resources the API describes are
/// here, and any other field is kept in [`extra`](Self::extra), so nothing is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventData {
    /// The ID of the resource (message, membership, room, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The room ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// The type of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    /// The organization ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The text of a message (events only; webhooks never carry it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The person ID (author of a message, member of a membership, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The email address of that person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_email: Option<String>,
    /// The display name of that person (memberships).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_display_name: Option<String>,
    /// The organization ID of that person (memberships).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_org_id: Option<String>,
    /// Whether the member is a moderator (memberships).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_moderator: Option<bool>,
    /// Whether the member is a monitoring bot (memberships, deprecated).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_monitor: Option<bool>,
    /// The ID of the parent message of a reply (messages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// The ID of the message a card action was performed on (attachment actions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The person IDs mentioned in a message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentioned_people: Option<Vec<String>>,
    /// The groups mentioned in a message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentioned_groups: Option<Vec<String>>,
    /// The URLs of the files of a message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
    /// The title of a room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether a room is locked (moderated).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_locked: Option<bool>,
    /// The team of a room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// When a room last had activity.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity: Option<Timestamp>,
    /// The meeting ID (meetings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<String>,
    /// The ID of the person who created the resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_id: Option<String>,
    /// The meeting's host data (meetings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<serde_json::Value>,
    /// The authenticated attendees of a meeting (meetings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendees: Option<Vec<serde_json::Value>>,
    /// Whether the Voice Assistant was on during the meeting (`yes`/`no`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription_enabled: Option<String>,
    /// Whether the meeting was recorded, in all or part (`yes`/`no`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_enabled: Option<String>,
    /// Whether chat messages were exchanged in the meetings client (`yes`/`no`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_post_meetings_chat: Option<String>,
    /// Telephony: the correlation ID (spelled `corelationId` by the API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corelation_id: Option<String>,
    /// Telephony: the call type (`SIP_ENTERPRISE`, `PSTN_SIP`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    /// Telephony: the user ID of the call record's owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Telephony: the type of user (`User`, `Anchor`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<String>,
    /// Telephony: `ORIGINATING` or `TERMINATING`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_direction: Option<String>,
    /// Telephony: whether the call was answered (`"true"`/`"false"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_call_answered: Option<String>,
    /// Telephony: the call's duration in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_duration_seconds: Option<String>,
    /// Telephony: when the call started (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_start_time: Option<String>,
    /// Telephony: when the call was answered (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_answer_time: Option<String>,
    /// Telephony: when the call was transferred (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_transfer_time: Option<String>,
    /// Telephony: the originating number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calling_number: Option<String>,
    /// Telephony: the originating line ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calling_line_id: Option<String>,
    /// Telephony: the destination number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_number: Option<String>,
    /// Telephony: the destination line ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_line_id: Option<String>,
    /// Telephony: the digits dialed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialed_digits: Option<String>,
    /// Telephony: the redirecting number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_redirecting_number: Option<String>,
    /// Telephony: the reason of the redirection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_redirected_reason: Option<String>,
    /// When the resource was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
    /// The data's own `type`: the room type of a message, `submit` for a card action, ...
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// The breakout session ID, when the action happened in a meeting's breakout session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakout_session_id: Option<String>,
    /// The recipients of a directed meeting message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipients: Option<Vec<Recipient>>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A recipient of a directed meeting message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    /// The person ID of the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The email address of the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_email: Option<String>,
    /// The display name of a guest (unauthenticated) recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_display_name: Option<String>,
    /// The email address of a guest (unauthenticated) recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest_email: Option<String>,
}

/// Query parameters of `GET /events` (List Events, compliance officers only).
///
/// ```
/// use spark_model::{EventResource, EventType, ListEvents};
///
/// let since = "2024-05-01T00:00:00Z".parse().unwrap();
/// let query = ListEvents::new()
///     .resource(EventResource::Messages)
///     .event_type(EventType::Created)
///     .from(since);
/// assert_eq!(
///     serde_urlencoded::to_string(&query).unwrap(),
///     "resource=messages&type=created&from=2024-05-01T00%3A00%3A00.000Z"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListEvents {
    /// List events about this kind of resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<EventResource>,
    /// List events of this type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<EventType>,
    /// List events performed by this person, by ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// List events that occurred after this time.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<Timestamp>,
    /// List events that occurred before this time (not in the future).
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<Timestamp>,
    /// The page size: the most events in one response (1 to 1000, not a total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// List events of this service type (`calling`; required with `convergedRecordings`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
}

impl ListEvents {
    /// No filter set.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Lists events about this kind of resource.
        value resource: EventResource;
        /// Lists events of this type.
        value event_type: EventType;
        /// Lists events performed by this person.
        into actor_id: String;
        /// Lists events that occurred after this time.
        value from: Timestamp;
        /// Lists events that occurred before this time.
        value to: Timestamp;
        /// Sets the page size (events per response, not a total).
        value max: u32;
        /// Lists events of this service type.
        into service_type: String;
    }
}
