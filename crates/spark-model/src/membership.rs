//! Room memberships: the `Membership` resource (`/memberships`) and its request parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;
use crate::room::RoomType;

/// A membership: a person's presence in a room.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    /// A unique identifier for the membership.
    #[serde(default)]
    pub id: String,
    /// The room ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// The person ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The email address of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_email: Option<String>,
    /// The display name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_display_name: Option<String>,
    /// The organization ID of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_org_id: Option<String>,
    /// Whether the person is a moderator of the room.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_moderator: Option<bool>,
    /// Whether the direct room is hidden in the Webex clients.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_room_hidden: Option<bool>,
    /// The type of the room of this membership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    /// Whether the person is a monitoring bot (deprecated).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_monitor: Option<bool>,
    /// When the membership was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
}

/// Query parameters of `GET /memberships` (List Memberships).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListMemberships {
    /// List memberships of this room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// List memberships of this person (needs `room_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// List memberships of the person with this email address (needs `room_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_email: Option<String>,
    /// The page size: the most memberships in one response (not a total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListMemberships {
    /// No filter set: the memberships of the caller.
    pub fn new() -> Self {
        Self::default()
    }

    /// The memberships of one room.
    pub fn in_room(room_id: impl Into<String>) -> Self {
        Self::new().room_id(room_id)
    }

    setters! {
        /// Lists memberships of this room.
        into room_id: String;
        /// Lists memberships of this person.
        into person_id: String;
        /// Lists memberships of the person with this email address.
        into person_email: String;
        /// Sets the page size (memberships per response, not a total).
        value max: u32;
    }
}

/// Body of `POST /memberships` (Create a Membership): add a person to a room, by ID or email.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateMembership {
    /// The room ID.
    #[serde(default)]
    pub room_id: String,
    /// The person ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The email address of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_email: Option<String>,
    /// Whether the person is a moderator of the room.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_moderator: Option<bool>,
}

impl CreateMembership {
    /// A membership in this room; set the person with [`person_id`](Self::person_id) or
    /// [`person_email`](Self::person_email).
    pub fn new(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            ..Self::default()
        }
    }

    /// Adds the person with this ID to the room.
    pub fn with_person_id(room_id: impl Into<String>, person_id: impl Into<String>) -> Self {
        Self::new(room_id).person_id(person_id)
    }

    /// Adds the person with this email address to the room.
    pub fn with_person_email(room_id: impl Into<String>, person_email: impl Into<String>) -> Self {
        Self::new(room_id).person_email(person_email)
    }

    setters! {
        /// Sets the person, by ID.
        into person_id: String;
        /// Sets the person, by email address.
        into person_email: String;
        /// Makes the person a moderator or not.
        value is_moderator: bool;
    }
}

/// Body of `PUT /memberships/{membershipId}` (Update a Membership).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateMembership {
    /// Whether the person is a moderator of the room.
    #[serde(default, with = "crate::common::lenient_bool")]
    pub is_moderator: bool,
    /// Whether the direct room is hidden in the Webex clients (a new message shows it again).
    #[serde(default, with = "crate::common::lenient_bool")]
    pub is_room_hidden: bool,
}

impl UpdateMembership {
    /// An update with both fields the API requires.
    pub fn new(is_moderator: bool, is_room_hidden: bool) -> Self {
        Self {
            is_moderator,
            is_room_hidden,
        }
    }
}
