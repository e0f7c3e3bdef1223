//! Messages: the `Message` resource (`/messages`, `/messages/direct`), its attachments (adaptive
//! cards), mentions, threads (`parentId`) and its request parameters.
//!
//! Limits of the API, checked by [`CreateMessage::validate`]: `text` and `markdown` up to
//! [`MAX_MESSAGE_BYTES`] bytes each, one file and one adaptive card per message.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;
use crate::room::RoomType;

/// The most bytes the API takes in a message's `text` or `markdown`.
pub const MAX_MESSAGE_BYTES: usize = 7439;

/// The `contentType` of an adaptive card attachment.
pub const ADAPTIVE_CARD_CONTENT_TYPE: &str = "application/vnd.microsoft.card.adaptive";

/// A message posted in a room.
///
/// Messages in a thread carry the ID of the thread's first message in `parent_id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// The unique identifier for the message.
    #[serde(default)]
    pub id: String,
    /// The ID of the parent message, for a reply in a thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// The room ID of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// The type of the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_type: Option<RoomType>,
    /// The person ID of the recipient of a private 1:1 message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_person_id: Option<String>,
    /// The email address of the recipient of a private 1:1 message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_person_email: Option<String>,
    /// The message, in plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The message, in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// The message, in HTML (read-only, used by the Webex clients).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// URLs of the files attached to the message (download them with the access token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
    /// Content attachments of the message, such as an adaptive card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<Attachment>>,
    /// The person ID of the author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The email address of the author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_email: Option<String>,
    /// The person IDs of everyone mentioned in the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentioned_people: Option<Vec<String>>,
    /// The groups mentioned in the message (e.g. `all`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentioned_groups: Option<Vec<String>>,
    /// When the message was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
    /// When the author last edited the message (only present once edited).
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated: Option<Timestamp>,
    /// Whether the audio file is a voice clip recorded by a client.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_voice_clip: Option<bool>,
}

impl Message {
    /// Whether the message is a reply in a thread.
    pub fn is_reply(&self) -> bool {
        self.parent_id.is_some()
    }

    /// The content of the first adaptive card attached to the message, if any.
    pub fn card(&self) -> Option<&serde_json::Value> {
        self.attachments
            .as_deref()?
            .iter()
            .find(|attachment| attachment.is_adaptive_card())
            .map(|attachment| &attachment.content)
    }
}

/// A content attachment of a message: an adaptive card (`contentType`
/// `application/vnd.microsoft.card.adaptive`) with the card's JSON as `content`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// The kind of content, e.g. [`ADAPTIVE_CARD_CONTENT_TYPE`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The content itself: the card (or the file description for a content-management file).
    #[serde(default)]
    pub content: serde_json::Value,
}

impl Attachment {
    /// An adaptive card attachment holding this card JSON.
    ///
    /// ```
    /// use serde_json::json;
    /// use spark_model::{Attachment, ADAPTIVE_CARD_CONTENT_TYPE};
    ///
    /// let card = Attachment::adaptive_card(json!({
    ///     "type": "AdaptiveCard",
    ///     "version": "1.0",
    ///     "body": [{"type": "TextBlock", "text": "Hello"}],
    /// }));
    /// assert_eq!(card.content_type.as_deref(), Some(ADAPTIVE_CARD_CONTENT_TYPE));
    /// ```
    pub fn adaptive_card(content: serde_json::Value) -> Self {
        Self {
            content_type: Some(ADAPTIVE_CARD_CONTENT_TYPE.to_owned()),
            content,
        }
    }

    /// Whether this attachment is an adaptive card.
    pub fn is_adaptive_card(&self) -> bool {
        self.content_type.as_deref() == Some(ADAPTIVE_CARD_CONTENT_TYPE)
    }
}

/// Markdown that mentions the person with this ID, shown as `display_name`.
///
/// ```
/// assert_eq!(spark_model::mention_person_id("abc", "Julie"), "<@personId:abc|Julie>");
/// ```
pub fn mention_person_id(person_id: &str, display_name: &str) -> String {
    format!("<@personId:{person_id}|{display_name}>")
}

/// Markdown that mentions the person with this email address.
///
/// ```
/// assert_eq!(
///     spark_model::mention_person_email("julie@example.com"),
///     "<@personEmail:julie@example.com>"
/// );
/// ```
pub fn mention_person_email(person_email: &str) -> String {
    format!("<@personEmail:{person_email}>")
}

/// Markdown that mentions everyone in the room.
pub const MENTION_ALL: &str = "<@all>";

/// Query parameters of `GET /messages` (List Messages of a room).
///
/// ```
/// use spark_model::ListMessages;
///
/// let query = ListMessages::new("Y2lzY29...").mentioned_people(["me"]).max(50);
/// assert_eq!(
///     serde_urlencoded::to_string(&query).unwrap(),
///     "roomId=Y2lzY29...&mentionedPeople=me&max=50"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListMessages {
    /// List messages in this room.
    #[serde(default)]
    pub room_id: String,
    /// List messages with this parent (the replies of a thread).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// List messages mentioning these people (`me` for the caller; bots must set it in group
    /// rooms). Sent comma-separated.
    #[serde(
        default,
        with = "crate::common::comma_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub mentioned_people: Vec<String>,
    /// List messages sent before this time.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub before: Option<Timestamp>,
    /// List messages sent before this message, by ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_message: Option<String>,
    /// The page size: the most messages in one response (not a total; at most 100 with
    /// `mentioned_people`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListMessages {
    /// The messages of this room.
    pub fn new(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Lists the replies to this message.
        into parent_id: String;
        /// Lists messages mentioning these people (`me` for the caller).
        list mentioned_people: String;
        /// Lists messages sent before this time.
        value before: Timestamp;
        /// Lists messages sent before this message.
        into before_message: String;
        /// Sets the page size (messages per response, not a total).
        value max: u32;
    }
}

/// Query parameters of `GET /messages/direct` (List Direct Messages with one person).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListDirectMessages {
    /// List messages with this parent (the replies of a thread).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// List messages of the 1:1 room with this person, by ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// List messages of the 1:1 room with this person, by email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_email: Option<String>,
    /// The page size. The API does not document paging for this list: absent unless set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListDirectMessages {
    /// The direct messages with the person with this ID.
    pub fn with_person_id(person_id: impl Into<String>) -> Self {
        Self {
            person_id: Some(person_id.into()),
            ..Self::default()
        }
    }

    /// The direct messages with the person with this email address.
    pub fn with_person_email(person_email: impl Into<String>) -> Self {
        Self {
            person_email: Some(person_email.into()),
            ..Self::default()
        }
    }

    setters! {
        /// Lists the replies to this message.
        into parent_id: String;
        /// Sets the page size.
        value max: u32;
    }
}

/// Body of `POST /messages` (Create a Message).
///
/// Choose the destination with a constructor, then add the content:
///
/// ```
/// use spark_model::CreateMessage;
///
/// let body = CreateMessage::to_room("Y2lzY29...")
///     .markdown("**Deploy** done")
///     .parent_id("Y2lzY29zcGFyazovL3VzL01FU1NBR0Uv...");
/// body.validate().unwrap();
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"roomId":"Y2lzY29...","parentId":"Y2lzY29zcGFyazovL3VzL01FU1NBR0Uv...","markdown":"**Deploy** done"}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateMessage {
    /// The room to post in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// The message to reply to (starts or continues a thread).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// The recipient of a private 1:1 message, by person ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_person_id: Option<String>,
    /// The recipient of a private 1:1 message, by email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_person_email: Option<String>,
    /// The message in plain text (alternate text for clients when `markdown` is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The message in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// The public URL of a file to post (only one per message).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Content attachments (only one adaptive card per message).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

impl CreateMessage {
    /// A message posted in this room.
    pub fn to_room(room_id: impl Into<String>) -> Self {
        Self {
            room_id: Some(room_id.into()),
            ..Self::default()
        }
    }

    /// A private 1:1 message to the person with this ID.
    pub fn to_person_id(person_id: impl Into<String>) -> Self {
        Self {
            to_person_id: Some(person_id.into()),
            ..Self::default()
        }
    }

    /// A private 1:1 message to the person with this email address.
    pub fn to_person_email(person_email: impl Into<String>) -> Self {
        Self {
            to_person_email: Some(person_email.into()),
            ..Self::default()
        }
    }

    setters! {
        /// Replies to this message (in a thread).
        into parent_id: String;
        /// Sets the plain text.
        into text: String;
        /// Sets the Markdown text.
        into markdown: String;
    }

    /// Attaches the file at this public URL (the API takes one file per message).
    #[must_use]
    pub fn file(mut self, url: impl Into<String>) -> Self {
        self.files.push(url.into());
        self
    }

    /// Attaches an adaptive card (the API takes one card per message).
    #[must_use]
    pub fn card(mut self, card: serde_json::Value) -> Self {
        self.attachments.push(Attachment::adaptive_card(card));
        self
    }

    /// Adds any content attachment, such as a typed [`AdaptiveCard`](crate::card::AdaptiveCard)
    /// (the API takes one per message).
    ///
    /// Set `text` or `markdown` as well with a card: clients that cannot render cards show it
    /// instead.
    #[must_use]
    pub fn attachment(mut self, attachment: impl Into<Attachment>) -> Self {
        self.attachments.push(attachment.into());
        self
    }

    /// Checks the message against the API's documented limits, before sending it.
    pub fn validate(&self) -> Result<(), MessageError> {
        let destinations = [
            self.room_id.is_some(),
            self.to_person_id.is_some(),
            self.to_person_email.is_some(),
        ];
        match destinations.iter().filter(|set| **set).count() {
            0 => return Err(MessageError::NoDestination),
            1 => {}
            _ => return Err(MessageError::SeveralDestinations),
        }
        for (field, value) in [("text", &self.text), ("markdown", &self.markdown)] {
            if let Some(value) = value {
                if value.len() > MAX_MESSAGE_BYTES {
                    return Err(MessageError::TooLong {
                        field,
                        len: value.len(),
                    });
                }
            }
        }
        if self.files.len() > 1 {
            return Err(MessageError::TooManyFiles(self.files.len()));
        }
        if self.attachments.len() > 1 {
            return Err(MessageError::TooManyAttachments(self.attachments.len()));
        }
        let has_content = self.text.is_some()
            || self.markdown.is_some()
            || !self.files.is_empty()
            || !self.attachments.is_empty();
        if !has_content {
            return Err(MessageError::Empty);
        }
        Ok(())
    }
}

/// Why a [`CreateMessage`] breaks the API's documented limits.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageError {
    /// No room, person ID or person email is set.
    NoDestination,
    /// More than one of room, person ID and person email is set.
    SeveralDestinations,
    /// Neither text, markdown, file nor attachment is set.
    Empty,
    /// `text` or `markdown` is longer than [`MAX_MESSAGE_BYTES`].
    TooLong {
        /// The field: `text` or `markdown`.
        field: &'static str,
        /// Its length, in bytes.
        len: usize,
    },
    /// More than one file (the count).
    TooManyFiles(usize),
    /// More than one attachment (the count).
    TooManyAttachments(usize),
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoDestination => {
                f.write_str("a message needs a room ID, a person ID or a person email")
            }
            Self::SeveralDestinations => {
                f.write_str("a message takes only one of room ID, person ID and person email")
            }
            Self::Empty => f.write_str("a message needs text, markdown, a file or an attachment"),
            Self::TooLong { field, len } => write!(
                f,
                "message {field} is {len} bytes, more than the {MAX_MESSAGE_BYTES} the API takes"
            ),
            Self::TooManyFiles(count) => write!(f, "a message takes one file, not {count}"),
            Self::TooManyAttachments(count) => {
                write!(f, "a message takes one attachment, not {count}")
            }
        }
    }
}

impl std::error::Error for MessageError {}

/// Body of `PUT /messages/{messageId}` (Edit a Message).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateMessage {
    /// The room ID of the message.
    #[serde(default)]
    pub room_id: String,
    /// The new text, in plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The new text, in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
}

impl UpdateMessage {
    /// An edit of a message of this room.
    pub fn new(room_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the new plain text.
        into text: String;
        /// Sets the new Markdown text.
        into markdown: String;
    }
}
