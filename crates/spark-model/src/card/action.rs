//! The actions of a card: the buttons at its bottom (and in an
//! [`ActionSet`](super::ActionSet)), and what happens when an element is clicked.
//!
//! Webex documents up to five buttons per card (Webex "Buttons and Cards" guide,
//! <https://developer.webex.com/docs/buttons-and-cards>).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::AdaptiveCard;
use super::style::ActionStyle;
use crate::builder::setters;

tagged_enum! {
    /// An action, told apart on the wire by its `type`.
    ///
    /// An action of a `type` this crate does not model (such as `Action.Execute` of schema
    /// 1.4), or one whose fields do not decode as this crate expects, is kept whole as JSON in
    /// `Other` and written back unchanged.
    ///
    /// ```
    /// use serde_json::json;
    /// use spark_model::card::Action;
    ///
    /// let send = Action::submit("Send").data(json!({"kind": "greet"}));
    /// assert_eq!(
    ///     serde_json::to_string(&Action::from(send)).unwrap(),
    ///     r#"{"type":"Action.Submit","title":"Send","data":{"kind":"greet"}}"#
    /// );
    /// ```
    pub enum Action {
        /// `Action.Submit`.
        Submit(SubmitAction) => "Action.Submit",
        /// `Action.OpenUrl`.
        OpenUrl(OpenUrlAction) => "Action.OpenUrl",
        /// `Action.ShowCard`.
        ShowCard(ShowCardAction) => "Action.ShowCard",
        /// `Action.ToggleVisibility`.
        ToggleVisibility(ToggleVisibilityAction) => "Action.ToggleVisibility",
    }
}

impl Action {
    /// A button with this title that submits the card's inputs.
    pub fn submit(title: impl Into<String>) -> SubmitAction {
        SubmitAction::new(title)
    }

    /// A button with this title that opens this URL.
    pub fn open_url(title: impl Into<String>, url: impl Into<String>) -> OpenUrlAction {
        OpenUrlAction::new(title, url)
    }

    /// A button with this title that shows this card below the card.
    pub fn show_card(title: impl Into<String>, card: AdaptiveCard) -> ShowCardAction {
        ShowCardAction::new(title, card)
    }

    /// A button with this title that shows or hides elements, by ID.
    pub fn toggle_visibility(title: impl Into<String>) -> ToggleVisibilityAction {
        ToggleVisibilityAction::new(title)
    }
}

/// Submits the card's inputs (`Action.Submit`): Webex then creates an attachment action,
/// announced to the `attachmentActions` webhooks.
///
/// Adaptive Cards adds the fields of an object `data` to the submitted inputs, which tells
/// apart the buttons of one card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Action.Submit", rename_all = "camelCase")]
pub struct SubmitAction {
    /// The action's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The text of the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The URL of an icon shown on the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// The look of the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ActionStyle>,
    /// Data submitted with the inputs; `null` (left out) when unset.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub data: serde_json::Value,
}

impl SubmitAction {
    /// A submit button with this title.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: Some(title.into()),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the action's ID.
        into id: String;
        /// Sets the URL of an icon shown on the button.
        into icon_url: String;
        /// Sets the look of the button.
        value style: ActionStyle;
    }

    /// Sets the data submitted with the inputs (an object, whose fields join the inputs).
    #[must_use]
    pub fn data(mut self, data: impl Into<serde_json::Value>) -> Self {
        self.data = data.into();
        self
    }
}

/// Opens a URL (`Action.OpenUrl`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Action.OpenUrl", rename_all = "camelCase")]
pub struct OpenUrlAction {
    /// The action's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The text of the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The URL of an icon shown on the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// The look of the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ActionStyle>,
    /// The URL to open.
    #[serde(default)]
    pub url: String,
}

impl OpenUrlAction {
    /// A button with this title that opens this URL.
    pub fn new(title: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            title: Some(title.into()),
            url: url.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the action's ID.
        into id: String;
        /// Sets the URL of an icon shown on the button.
        into icon_url: String;
        /// Sets the look of the button.
        value style: ActionStyle;
    }
}

/// Shows another card below the card (`Action.ShowCard`); the inputs of both are submitted
/// together.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Action.ShowCard", rename_all = "camelCase")]
pub struct ShowCardAction {
    /// The action's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The text of the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The URL of an icon shown on the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// The look of the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ActionStyle>,
    /// The card shown.
    #[serde(default)]
    pub card: Box<AdaptiveCard>,
}

impl ShowCardAction {
    /// A button with this title that shows this card.
    pub fn new(title: impl Into<String>, card: AdaptiveCard) -> Self {
        Self {
            title: Some(title.into()),
            card: Box::new(card),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the action's ID.
        into id: String;
        /// Sets the URL of an icon shown on the button.
        into icon_url: String;
        /// Sets the look of the button.
        value style: ActionStyle;
    }
}

/// Shows or hides elements of the card, by ID (`Action.ToggleVisibility`).
///
/// ```
/// use spark_model::card::{Action, TargetElement};
///
/// let more = Action::toggle_visibility("More")
///     .target("details")
///     .target(TargetElement::new("summary").is_visible(false));
/// assert_eq!(
///     serde_json::to_string(&Action::from(more)).unwrap(),
///     r#"{"type":"Action.ToggleVisibility","title":"More","targetElements":["details",{"elementId":"summary","isVisible":false}]}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename = "Action.ToggleVisibility",
    rename_all = "camelCase"
)]
pub struct ToggleVisibilityAction {
    /// The action's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The text of the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The URL of an icon shown on the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon_url: Option<String>,
    /// The look of the button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ActionStyle>,
    /// The elements shown or hidden.
    #[serde(default)]
    pub target_elements: Vec<TargetElement>,
}

impl ToggleVisibilityAction {
    /// A button with this title and no target yet.
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: Some(title.into()),
            ..Self::default()
        }
    }

    /// Adds an element to show or hide: its ID (toggled) or a [`TargetElement`].
    #[must_use]
    pub fn target(mut self, target: impl Into<TargetElement>) -> Self {
        self.target_elements.push(target.into());
        self
    }

    setters! {
        /// Sets the action's ID.
        into id: String;
        /// Sets the URL of an icon shown on the button.
        into icon_url: String;
        /// Sets the look of the button.
        value style: ActionStyle;
        /// Sets all the elements shown or hidden.
        list target_elements: TargetElement;
    }
}

/// An element shown or hidden by a [`ToggleVisibilityAction`].
///
/// On the wire, the bare element ID when `is_visible` is unset (the element is toggled),
/// otherwise `{"elementId": ..., "isVisible": ...}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetElement {
    /// The ID of the element.
    pub element_id: String,
    /// Shows (`true`) or hides (`false`) the element; toggles it when unset.
    pub is_visible: Option<bool>,
}

impl TargetElement {
    /// Toggles the element with this ID.
    pub fn new(element_id: impl Into<String>) -> Self {
        Self {
            element_id: element_id.into(),
            is_visible: None,
        }
    }

    /// Shows (`true`) or hides (`false`) the element instead of toggling it.
    #[must_use]
    pub fn is_visible(mut self, visible: bool) -> Self {
        self.is_visible = Some(visible);
        self
    }
}

impl From<&str> for TargetElement {
    fn from(element_id: &str) -> Self {
        Self::new(element_id)
    }
}

impl From<String> for TargetElement {
    fn from(element_id: String) -> Self {
        Self::new(element_id)
    }
}

/// The object form of a [`TargetElement`] on the wire, for encoding.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TargetObject<'a> {
    #[serde(default)]
    element_id: &'a str,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_visible: Option<bool>,
}

impl Serialize for TargetElement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.is_visible {
            None => serializer.serialize_str(&self.element_id),
            Some(visible) => TargetObject {
                element_id: &self.element_id,
                is_visible: Some(visible),
            }
            .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for TargetElement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Object {
            #[serde(default)]
            element_id: String,
            #[serde(default)]
            is_visible: Option<bool>,
        }

        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Id(String),
            Object(Object),
        }
        Ok(match Wire::deserialize(deserializer)? {
            Wire::Id(element_id) => Self::new(element_id),
            Wire::Object(object) => Self {
                element_id: object.element_id,
                is_visible: object.is_visible,
            },
        })
    }
}
