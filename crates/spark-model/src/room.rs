//! Rooms (spaces): the `Room` resource (`/rooms`), its meeting details
//! (`/rooms/{roomId}/meetingInfo`) and its request parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;
use crate::enums::string_enum;

string_enum! {
    /// The kind of a room.
    pub enum RoomType {
        /// A 1:1 room.
        Direct => "direct",
        /// A group room.
        Group => "group",
    }
}

string_enum! {
    /// The sort order of `GET /rooms`.
    pub enum RoomSortBy {
        /// By room ID.
        Id => "id",
        /// By most recent activity.
        LastActivity => "lastactivity",
        /// By creation date.
        Created => "created",
    }
}

/// A room (a space): a place where people post messages and collaborate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Room {
    /// A unique identifier for the room.
    #[serde(default)]
    pub id: String,
    /// A user-friendly name for the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The room type: direct (1:1) or group.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    /// Whether the room is moderated (locked).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_locked: Option<bool>,
    /// The ID of the team with which this room is associated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// When the room last had activity.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity: Option<Timestamp>,
    /// The ID of the person who created this room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_id: Option<String>,
    /// When the room was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
    /// The ID of the organization which owns this room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// The ID of the room's current space classification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification_id: Option<String>,
    /// Whether the room is in announcement mode (only moderators can post).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_announcement_only: Option<bool>,
    /// Whether a compliance officer made this direct room read-only.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_read_only: Option<bool>,
    /// Whether the room is public, so that anyone in the organization can find and join it.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_public: Option<bool>,
    /// When the room was made public.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub made_public: Option<Timestamp>,
    /// The description of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The Webex meeting details of a room (`GET /rooms/{roomId}/meetingInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomMeetingInfo {
    /// A unique identifier for the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// The Webex meeting URL of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_link: Option<String>,
    /// The SIP address of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_address: Option<String>,
    /// The Webex meeting number of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_number: Option<String>,
    /// The Webex meeting ID of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_id: Option<String>,
    /// The toll-free PSTN number of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_in_toll_free_number: Option<String>,
    /// The toll (local) PSTN number of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_in_toll_number: Option<String>,
}

/// Query parameters of `GET /rooms` (List Rooms).
///
/// ```
/// use spark_model::{ListRooms, RoomSortBy, RoomType};
///
/// let query = ListRooms::new()
///     .room_type(RoomType::Group)
///     .sort_by(RoomSortBy::LastActivity)
///     .max(100);
/// assert_eq!(
///     serde_urlencoded::to_string(&query).unwrap(),
///     "type=group&sortBy=lastactivity&max=100"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRooms {
    /// List rooms associated with this team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// List rooms of this type.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    /// List the organization's public rooms, joined or not (sorted by `madePublic`).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub org_public_spaces: Option<bool>,
    /// List rooms made public after this time.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub from: Option<Timestamp>,
    /// List rooms made public before this time.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub to: Option<Timestamp>,
    /// Sort the results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<RoomSortBy>,
    /// The page size: the most rooms in one response (1 to 1000, not a total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListRooms {
    /// No filter set.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Lists rooms of this team.
        into team_id: String;
        /// Lists rooms of this type.
        value room_type: RoomType;
        /// Lists the organization's public rooms, joined or not.
        value org_public_spaces: bool;
        /// Lists rooms made public after this time.
        value from: Timestamp;
        /// Lists rooms made public before this time.
        value to: Timestamp;
        /// Sorts the results.
        value sort_by: RoomSortBy;
        /// Sets the page size (rooms per response, not a total).
        value max: u32;
    }
}

/// Body of `POST /rooms` (Create a Room).
///
/// ```
/// use spark_model::CreateRoom;
///
/// let body = CreateRoom::new("Project Unicorn").is_locked(true);
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"title":"Project Unicorn","isLocked":true}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateRoom {
    /// A user-friendly name for the room.
    #[serde(default)]
    pub title: String,
    /// The ID of the team with which the room is associated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// The classification ID of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification_id: Option<String>,
    /// Make the room locked (moderated), the creator becoming a moderator.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_locked: Option<bool>,
    /// Make the room public (a description is then required).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_public: Option<bool>,
    /// The description of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Put the room in announcement mode.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_announcement_only: Option<bool>,
}

impl CreateRoom {
    /// A room with this title.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Associates the room with this team.
        into team_id: String;
        /// Sets the classification ID.
        into classification_id: String;
        /// Locks (moderates) the room or not.
        value is_locked: bool;
        /// Makes the room public or not.
        value is_public: bool;
        /// Sets the description.
        into description: String;
        /// Puts the room in announcement mode or not.
        value is_announcement_only: bool;
    }
}

/// Body of `PUT /rooms/{roomId}` (Update a Room).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRoom {
    /// A user-friendly name for the room.
    #[serde(default)]
    pub title: String,
    /// The classification ID of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification_id: Option<String>,
    /// The team to assign this (unowned) room to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// Lock (moderate) the room or not.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_locked: Option<bool>,
    /// Make the room public or not (a description is then required).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_public: Option<bool>,
    /// The description of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Set or clear announcement mode.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_announcement_only: Option<bool>,
    /// Make a direct room read-only (compliance officers).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_read_only: Option<bool>,
}

impl UpdateRoom {
    /// An update setting the (required) title.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the classification ID.
        into classification_id: String;
        /// Assigns the room to this team.
        into team_id: String;
        /// Locks (moderates) the room or not.
        value is_locked: bool;
        /// Makes the room public or not.
        value is_public: bool;
        /// Sets the description.
        into description: String;
        /// Sets or clears announcement mode.
        value is_announcement_only: bool;
        /// Makes the direct room read-only or not.
        value is_read_only: bool;
    }
}
