//! Attachment actions: the `AttachmentAction` resource (`/attachment/actions`), what a person
//! submitted on an adaptive card, and its create body.

use serde::{Deserialize, Serialize};

use crate::common::Timestamp;
use crate::enums::string_enum;

string_enum! {
    /// The kind of an attachment action.
    #[derive(Default)]
    pub enum AttachmentActionType {
        /// The card's inputs were submitted.
        #[default]
        Submit => "submit",
    }
}

/// An attachment action: the inputs a person submitted on a message's adaptive card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentAction {
    /// A unique identifier for the action.
    #[serde(default)]
    pub id: String,
    /// The ID of the person who performed the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The ID of the room in which the action was performed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room_id: Option<String>,
    /// The kind of action performed.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub action_type: Option<AttachmentActionType>,
    /// The ID of the message on whose card the action was performed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The action's inputs: the card's input IDs and their values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<serde_json::Map<String, serde_json::Value>>,
    /// When the action was performed.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
}

/// Body of `POST /attachment/actions` (Create an Attachment Action): submit a card's inputs.
///
/// ```
/// use serde_json::json;
/// use spark_model::CreateAttachmentAction;
///
/// let inputs = json!({"Name": "John Andersen"}).as_object().unwrap().clone();
/// let body = CreateAttachmentAction::new("GFyazovL3VzL1BFT1BMRS80", inputs);
/// assert_eq!(
///     serde_json::to_string(&body).unwrap(),
///     r#"{"type":"submit","messageId":"GFyazovL3VzL1BFT1BMRS80","inputs":{"Name":"John Andersen"}}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAttachmentAction {
    /// The kind of action to perform.
    #[serde(rename = "type", default)]
    pub action_type: AttachmentActionType,
    /// The ID of the message holding the card.
    #[serde(default)]
    pub message_id: String,
    /// The action's inputs.
    #[serde(default)]
    pub inputs: serde_json::Map<String, serde_json::Value>,
}

impl CreateAttachmentAction {
    /// A `submit` action with these inputs on the card of this message.
    pub fn new(
        message_id: impl Into<String>,
        inputs: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        Self {
            action_type: AttachmentActionType::Submit,
            message_id: message_id.into(),
            inputs,
        }
    }
}
