//! Serde models of the Webex REST API (formerly Cisco Spark): the resources, the parameters of
//! each operation, the list envelope, the error body and the OAuth token answer.
//!
//! This crate holds data only: no HTTP. Another crate sends the requests.
//!
//! # On the wire
//!
//! - Field names are camelCase on the wire and snake_case in Rust; absent fields are `None` and
//!   are left out when encoding (never `null`).
//! - IDs are opaque strings. Timestamps are [`Timestamp`] (`chrono::DateTime<Utc>`): both
//!   `2015-10-18T14:26:16.000Z` and `2015-10-18T14:26:16+00:00` decode. The generated areas keep
//!   times as the strings sent (the specs mark almost none as date-times): read them with
//!   [`parse_timestamp`].
//! - Decoding is forward compatible: unknown fields are ignored, and every enum has an
//!   `Other(String)` variant that keeps a value this crate does not know and writes it back
//!   unchanged. Booleans sent as the strings `"true"`/`"false"` decode.
//! - Lists answer `{"items": [...]}`: [`ListEnvelope`]. The `max` query parameter of a list
//!   operation is the page size, not a total; see [`ListRequest`].
//!
//! # Request parameters
//!
//! Each operation has one type, named `{Verb}{Resource}` ([`ListRooms`], [`CreateMessage`],
//! [`UpdateWebhook`], ...). Required fields go through the constructor, optional ones through
//! chained setters. List parameters serialize to the query string with any serde form encoder;
//! bodies serialize to JSON.
//!
//! ```
//! use spark_model::{CreateMessage, ListEnvelope, ListMessages, Message, RoomType};
//!
//! // The query of `GET /messages`.
//! let query = ListMessages::new("Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQ").max(100);
//! assert_eq!(
//!     serde_urlencoded::to_string(&query).unwrap(),
//!     "roomId=Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQ&max=100"
//! );
//!
//! // The body of `POST /messages`.
//! let body = CreateMessage::to_person_email("julie@example.com").markdown("Hello **Julie**");
//! assert_eq!(
//!     serde_json::to_string(&body).unwrap(),
//!     r#"{"toPersonEmail":"julie@example.com","markdown":"Hello **Julie**"}"#
//! );
//!
//! // A page of the answer.
//! let page: ListEnvelope<Message> = serde_json::from_str(
//!     r#"{"items": [{"id": "M1", "roomType": "group", "text": "hi",
//!                    "created": "2015-10-18T14:26:16+00:00", "somethingNew": 1}]}"#,
//! )
//! .unwrap();
//! let message = &page.items[0];
//! assert_eq!(message.room_type, Some(RoomType::Group));
//! assert_eq!(
//!     serde_json::to_string(message).unwrap(),
//!     r#"{"id":"M1","roomType":"group","text":"hi","created":"2015-10-18T14:26:16.000Z"}"#
//! );
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

mod builder;
pub mod common;
mod enums;
// Only the generated areas read floats; messaging alone leaves `opt_float` unused.
#[cfg_attr(
    not(any(feature = "admin", feature = "devices", feature = "meetings")),
    allow(dead_code)
)]
mod lenient_number;
mod request_parts;

#[cfg(feature = "admin")]
#[cfg_attr(docsrs, doc(cfg(feature = "admin")))]
#[path = "generated/admin.rs"]
pub mod admin;
#[cfg(feature = "devices")]
#[cfg_attr(docsrs, doc(cfg(feature = "devices")))]
#[path = "generated/devices.rs"]
pub mod devices;
#[cfg(feature = "meetings")]
#[cfg_attr(docsrs, doc(cfg(feature = "meetings")))]
#[path = "generated/meetings.rs"]
pub mod meetings;
#[path = "generated/messaging.rs"]
pub mod messaging;

pub mod attachment_action;
pub mod card;
pub mod error;
pub mod event;
pub mod license;
pub mod list;
pub mod membership;
pub mod message;
pub mod organization;
pub mod person;
pub mod role;
pub mod room;
pub mod room_tab;
mod secret;
pub mod team;
pub mod team_membership;
pub mod token;
pub mod webhook;

pub use attachment_action::{AttachmentAction, AttachmentActionType, CreateAttachmentAction};
pub use card::{AdaptiveCard, CardError, CardInputs, InputsError};
pub use common::{Timestamp, format_timestamp, parse_timestamp};
pub use error::{ApiErrorBody, ApiErrorDetail, ErrorCode};
pub use event::{Event, EventData, EventResource, EventType, ListEvents, Recipient};
pub use license::{License, LicenseUser, LicenseUserType, ListLicenses, SiteType};
pub use list::{ListEnvelope, ListRequest};
pub use membership::{CreateMembership, ListMemberships, Membership, UpdateMembership};
pub use message::{
    ADAPTIVE_CARD_CONTENT_TYPE, Attachment, CreateMessage, ListDirectMessages, ListMessages,
    MAX_MESSAGE_BYTES, MENTION_ALL, Message, MessageError, UpdateMessage, mention_person_email,
    mention_person_id,
};
pub use organization::{ListOrganizations, Organization};
pub use person::{
    Address, CreatePerson, ListPeople, Person, PersonStatus, PersonType, PhoneNumber,
    PhoneNumberType, SipAddress, SipAddressType, UpdatePerson,
};
pub use request_parts::RequestParts;
pub use role::{ListRoles, Role};
pub use room::{CreateRoom, ListRooms, Room, RoomMeetingInfo, RoomSortBy, RoomType, UpdateRoom};
pub use room_tab::{CreateRoomTab, ListRoomTabs, RoomTab, UpdateRoomTab};
pub use secret::{Secret, WebhookSecret};
pub use team::{CreateTeam, ListTeams, Team, UpdateTeam};
pub use team_membership::{
    CreateTeamMembership, ListTeamMemberships, TeamMembership, UpdateTeamMembership,
};
pub use token::{TokenAnswer, TokenErrorAnswer, TokenRequest};
pub use webhook::{
    CreateWebhook, ListWebhooks, UpdateWebhook, Webhook, WebhookDelivery, WebhookEvent,
    WebhookOwner, WebhookResource, WebhookStatus,
};

list::impl_list_request! {
    ListPeople => Person,
    ListRooms => Room,
    ListMemberships => Membership,
    ListMessages => Message,
    ListDirectMessages => Message,
    ListTeams => Team,
    ListTeamMemberships => TeamMembership,
    ListWebhooks => Webhook,
    ListEvents => Event,
    ListRoomTabs => RoomTab,
    ListLicenses => License,
    ListOrganizations => Organization,
    ListRoles => Role,
}

/// The example of the crate's README (its front page on crates.io), run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;
