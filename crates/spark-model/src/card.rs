//! Adaptive Cards: typed cards to build and send as a message attachment, to read back from a
//! message, and the inputs a person submits on them.
//!
//! Webex renders [Adaptive Cards](https://adaptivecards.io/explorer/) up to schema version
//! [`CARD_VERSION`] (1.3), sent as a message attachment with the `contentType`
//! [`ADAPTIVE_CARD_CONTENT_TYPE`](crate::ADAPTIVE_CARD_CONTENT_TYPE) (Webex "Buttons and
//! Cards" guide, <https://developer.webex.com/docs/buttons-and-cards>).
//!
//! - Build an [`AdaptiveCard`] with chained by-value setters: [`AdaptiveCard::body`] adds an
//!   [`Element`] (a [`TextBlock`], an [`Image`], an input made by [`Input`], ...),
//!   [`AdaptiveCard::action`] adds an [`Action`] button.
//! - Attach it to a [`CreateMessage`](crate::CreateMessage) with
//!   [`attachment`](crate::CreateMessage::attachment) (a card converts into an
//!   [`Attachment`]). Also set the message's `text` or `markdown`: clients that cannot render
//!   the card show it instead.
//! - Check it with [`AdaptiveCard::validate`] before sending.
//! - Read a received card with [`Message::adaptive_card`], and a submission's inputs with
//!   [`AttachmentAction::card_inputs`](crate::AttachmentAction::card_inputs) or
//!   [`AttachmentAction::inputs_as`](crate::AttachmentAction::inputs_as).
//!
//! # On the wire
//!
//! Elements and actions are told apart by their `type` (`"TextBlock"`, `"Input.Text"`,
//! `"Action.Submit"`, ...). Properties are camelCase, and left out when unset. Decoding is
//! forward compatible: an element or action this crate does not model is kept whole as JSON
//! (`Element::Other`, `Action::Other`) and written back unchanged; a named value it does not
//! know is kept as `Other(String)`; properties it does not model are ignored (dropped when the
//! card is encoded again). Named values are read without regard to case, as Adaptive Cards
//! does, and written in the schema's camelCase.
//!
//! ```
//! use serde_json::json;
//! use spark_model::CreateMessage;
//! use spark_model::card::{Action, AdaptiveCard, Input, TextBlock, Weight};
//!
//! let card = AdaptiveCard::new()
//!     .body(TextBlock::new("Hi").weight(Weight::Bolder))
//!     .body(Input::text("name").placeholder("Your name"))
//!     .action(Action::submit("Send").data(json!({"kind": "greet"})));
//! card.validate().unwrap();
//! assert_eq!(
//!     serde_json::to_value(&card).unwrap(),
//!     json!({
//!         "type": "AdaptiveCard",
//!         "version": "1.3",
//!         "body": [
//!             {"type": "TextBlock", "text": "Hi", "weight": "bolder"},
//!             {"type": "Input.Text", "id": "name", "placeholder": "Your name"},
//!         ],
//!         "actions": [{"type": "Action.Submit", "title": "Send", "data": {"kind": "greet"}}],
//!     })
//! );
//!
//! // The text is what clients that cannot render the card show.
//! let message = CreateMessage::to_room("Y2lzY29...").text("Hi: what is your name?").attachment(card);
//! message.validate().unwrap();
//! assert_eq!(
//!     serde_json::to_value(&message).unwrap()["attachments"][0]["contentType"],
//!     "application/vnd.microsoft.card.adaptive"
//! );
//! ```

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::message::{Attachment, Message};

/// Defines an enum of JSON objects told apart by their `type`, with an `Other(Value)` variant
/// keeping any other value whole.
///
/// Each variant holds a struct whose serde impls carry the `type` tag themselves
/// (`#[serde(tag = "type", rename = "...")]`). Generates `type_name`, `From` for each struct,
/// and serde impls: encoding writes the struct (or the kept value); decoding reads the `type`,
/// then the struct, and keeps the value in `Other` when the type is unknown or the struct does
/// not decode.
macro_rules! tagged_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident($ty:ty) => $wire:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant($ty),
            )+
            /// Anything else, kept as JSON: an unknown `type`, or fields this crate cannot
            /// read.
            Other(::serde_json::Value),
        }

        impl $name {
            /// The `type` as written on the wire (`""` for a kept value without one).
            pub fn type_name(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $wire,)+
                    Self::Other(value) => value
                        .get("type")
                        .and_then(::serde_json::Value::as_str)
                        .unwrap_or(""),
                }
            }
        }

        $(
            impl From<$ty> for $name {
                fn from(value: $ty) -> Self {
                    Self::$variant(value)
                }
            }
        )+

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Self::$variant(value) => value.serialize(serializer),)+
                    Self::Other(value) => value.serialize(serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let typed = match value.get("type").and_then(::serde_json::Value::as_str) {
                    $(Some($wire) => <$ty as ::serde::Deserialize>::deserialize(&value)
                        .ok()
                        .map(Self::$variant),)+
                    _ => None,
                };
                Ok(typed.unwrap_or(Self::Other(value)))
            }
        }
    };
}

/// The setters of the layout properties most elements share: `spacing`, `separator` and
/// `isVisible`.
macro_rules! layout_setters {
    () => {
        $crate::builder::setters! {
            /// Sets the space above the element.
            value spacing: $crate::card::Spacing;
            /// Sets whether a line is drawn above the element.
            value separator: bool;
            /// Sets whether the element is shown at first (an
            /// [`Action::toggle_visibility`](crate::card::Action::toggle_visibility) can change
            /// it).
            value is_visible: bool;
        }
    };
}

// The macros above are in scope, by position, in the submodules below.
mod action;
mod element;
mod input;
mod layout;
mod style;
mod submission;
mod validate;

pub use action::{
    Action, OpenUrlAction, ShowCardAction, SubmitAction, TargetElement, ToggleVisibilityAction,
};
pub use element::{
    ActionSet, Element, Fact, FactSet, Image, Inline, RichTextBlock, TextBlock, TextRun,
};
pub use input::{
    Choice, ChoiceSetInput, DateInput, Input, NumberInput, TextInput, TimeInput, ToggleInput,
};
pub use layout::{Column, ColumnSet, ColumnWidth, Container};
pub use style::{
    ActionStyle, ChoiceInputStyle, Color, ContainerStyle, FontType, HorizontalAlignment, ImageSize,
    ImageStyle, Spacing, TextInputStyle, TextSize, VerticalAlignment, Weight,
};
pub use submission::{CardInputs, InputsError};
pub use validate::{CARD_VERSION, CardError, MAX_CARD_ACTIONS, MAX_CARD_BYTES};

/// An Adaptive Card (`"type": "AdaptiveCard"`): a body of elements and a row of actions.
///
/// [`AdaptiveCard::new`] (and `Default`) starts an empty card of version [`CARD_VERSION`].
/// A decoded card without `version` keeps it empty, as a card shown by `Action.ShowCard` may.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "AdaptiveCard", rename_all = "camelCase")]
pub struct AdaptiveCard {
    /// The JSON schema URL some tools write (`$schema`); Webex ignores it.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The schema version the card is written for, `major.minor`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub version: String,
    /// The elements, top to bottom.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<Element>,
    /// The buttons at the bottom, left to right (Webex documents up to
    /// [`MAX_CARD_ACTIONS`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
    /// The action performed when the card is clicked (not `Action.ShowCard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_action: Option<Box<Action>>,
    /// The text shown by a renderer that cannot render the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback_text: Option<String>,
    /// The language of the card's text, e.g. `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Default for AdaptiveCard {
    fn default() -> Self {
        Self {
            schema: None,
            version: CARD_VERSION.to_owned(),
            body: Vec::new(),
            actions: Vec::new(),
            select_action: None,
            fallback_text: None,
            lang: None,
        }
    }
}

impl AdaptiveCard {
    /// An empty card of version [`CARD_VERSION`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an element at the bottom of the body.
    #[must_use]
    pub fn body(mut self, element: impl Into<Element>) -> Self {
        self.body.push(element.into());
        self
    }

    /// Adds an action at the right of the buttons.
    #[must_use]
    pub fn action(mut self, action: impl Into<Action>) -> Self {
        self.actions.push(action.into());
        self
    }

    /// Sets the action performed when the card is clicked.
    #[must_use]
    pub fn select_action(mut self, action: impl Into<Action>) -> Self {
        self.select_action = Some(Box::new(action.into()));
        self
    }

    /// Sets the schema version the card is written for (default [`CARD_VERSION`]).
    #[must_use]
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = version.into();
        self
    }

    setters! {
        /// Sets the JSON schema URL (`$schema`).
        into schema: String;
        /// Sets the text shown by a renderer that cannot render the card.
        into fallback_text: String;
        /// Sets the language of the card's text.
        into lang: String;
    }

    /// The card as a message attachment: `contentType`
    /// [`ADAPTIVE_CARD_CONTENT_TYPE`](crate::ADAPTIVE_CARD_CONTENT_TYPE), the card's JSON as
    /// `content`.
    pub fn into_attachment(self) -> Attachment {
        Attachment::from(self)
    }

    /// The card's JSON as a value.
    pub fn to_value(&self) -> serde_json::Value {
        // Encoding a card cannot fail: every map key is a string, and a number that JSON
        // cannot hold (NaN) is written `null`.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The size of the card's JSON, in bytes, as this crate encodes it (compact).
    pub fn encoded_len(&self) -> usize {
        struct Count(usize);

        impl std::io::Write for Count {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0 += bytes.len();
                Ok(bytes.len())
            }

            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }

        let mut count = Count(0);
        // As in `to_value`, encoding cannot fail.
        let _ = serde_json::to_writer(&mut count, self);
        count.0
    }
}

impl From<AdaptiveCard> for Attachment {
    fn from(card: AdaptiveCard) -> Self {
        Attachment::adaptive_card(card.to_value())
    }
}

impl Message {
    /// The first adaptive card attached to the message, decoded; `None` when it has none.
    ///
    /// # Errors
    ///
    /// The decoding error when the card's JSON is not an object of the card's shape (`body`
    /// not a list, ...). Elements and actions themselves never fail: see [`Element::Other`].
    ///
    /// ```
    /// use spark_model::Message;
    /// use spark_model::card::Element;
    ///
    /// let message: Message = serde_json::from_str(
    ///     r#"{"id": "M1", "attachments": [{
    ///         "contentType": "application/vnd.microsoft.card.adaptive",
    ///         "content": {"type": "AdaptiveCard", "version": "1.3",
    ///                     "body": [{"type": "TextBlock", "text": "Hi"}]}}]}"#,
    /// )
    /// .unwrap();
    /// let card = message.adaptive_card().unwrap().unwrap();
    /// assert!(matches!(&card.body[0], Element::TextBlock(block) if block.text == "Hi"));
    /// ```
    pub fn adaptive_card(&self) -> Result<Option<AdaptiveCard>, serde_json::Error> {
        self.card().map(AdaptiveCard::deserialize).transpose()
    }
}

#[cfg(test)]
mod tests;
