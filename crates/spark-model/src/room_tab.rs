//! Room tabs: the `RoomTab` resource (`/room/tabs`), a URL pinned to a room, and its request
//! parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;
use crate::room::RoomType;

/// A room tab: a content URL shown as a tab of a room.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomTab {
    /// A unique identifier for the room tab.
    #[serde(default)]
    pub id: String,
    /// The ID of the room holding the tab.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// The type of that room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    /// A user-friendly name for the tab.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The tab's content URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_url: Option<String>,
    /// The ID of the person who created the tab.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creator_id: Option<String>,
    /// When the tab was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
}

/// Query parameters of `GET /room/tabs` (List Room Tabs).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRoomTabs {
    /// The room whose tabs to list.
    #[serde(default)]
    pub room_id: String,
    /// The page size. The API does not document paging for this list: absent unless set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListRoomTabs {
    /// The tabs of this room.
    pub fn new(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            max: None,
        }
    }

    setters! {
        /// Sets the page size.
        value max: u32;
    }
}

/// Body of `POST /room/tabs` (Create a Room Tab).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateRoomTab {
    /// The ID of the room.
    #[serde(default)]
    pub room_id: String,
    /// The URL of the tab (`https` only).
    #[serde(default)]
    pub content_url: String,
    /// A user-friendly name for the tab.
    #[serde(default)]
    pub display_name: String,
}

impl CreateRoomTab {
    /// A tab showing `content_url`, named `display_name`, in this room.
    pub fn new(
        room_id: impl Into<String>,
        content_url: impl Into<String>,
        display_name: impl Into<String>,
    ) -> Self {
        Self {
            room_id: room_id.into(),
            content_url: content_url.into(),
            display_name: display_name.into(),
        }
    }
}

/// Body of `PUT /room/tabs/{id}` (Update a Room Tab).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateRoomTab {
    /// The ID of the room holding the tab.
    #[serde(default)]
    pub room_id: String,
    /// The new URL of the tab (`https` only).
    #[serde(default)]
    pub content_url: String,
    /// The new name of the tab.
    #[serde(default)]
    pub display_name: String,
}

impl UpdateRoomTab {
    /// An update with the three fields the API requires.
    pub fn new(
        room_id: impl Into<String>,
        content_url: impl Into<String>,
        display_name: impl Into<String>,
    ) -> Self {
        Self {
            room_id: room_id.into(),
            content_url: content_url.into(),
            display_name: display_name.into(),
        }
    }
}
