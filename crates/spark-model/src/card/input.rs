//! The inputs a person fills in on a card: text, number, date, time, toggle and choice set.
//!
//! Each input has an `id`: when the card is submitted, the attachment action's `inputs` map
//! each input's ID to its value (see [`CardInputs`](super::CardInputs)). An input needs an ID
//! and the IDs of a card must differ; [`AdaptiveCard::validate`](super::AdaptiveCard::validate)
//! checks both.
//!
//! The `label`, `isRequired` and `errorMessage` properties come with schema 1.3, which Webex
//! renders (Webex "Buttons and Cards" guide, <https://developer.webex.com/docs/buttons-and-cards>).

use serde::{Deserialize, Serialize};

use super::style::{ChoiceInputStyle, Spacing, TextInputStyle};
use crate::builder::setters;

/// The setters of the properties every input has, besides its ID.
macro_rules! input_setters {
    () => {
        setters! {
            /// Sets the label shown above the input (schema 1.3).
            into label: String;
            /// Sets whether the card cannot be submitted while the input is empty (schema 1.3).
            value is_required: bool;
            /// Sets the text shown when the value is missing or invalid (schema 1.3).
            into error_message: String;
        }
        layout_setters!();
    };
}

/// The constructors of the inputs, so that a card reads `Input::text("name")`; the inputs
/// themselves are [`TextInput`], [`NumberInput`], [`DateInput`], [`TimeInput`],
/// [`ToggleInput`] and [`ChoiceSetInput`].
///
/// ```
/// use spark_model::card::{Element, Input};
///
/// let name = Input::text("name").placeholder("Your name").is_required(true);
/// assert_eq!(
///     serde_json::to_string(&Element::from(name)).unwrap(),
///     r#"{"type":"Input.Text","id":"name","isRequired":true,"placeholder":"Your name"}"#
/// );
/// ```
#[derive(Debug)]
pub enum Input {}

impl Input {
    /// A text input with this ID.
    pub fn text(id: impl Into<String>) -> TextInput {
        TextInput::new(id)
    }

    /// A number input with this ID.
    pub fn number(id: impl Into<String>) -> NumberInput {
        NumberInput::new(id)
    }

    /// A date input with this ID.
    pub fn date(id: impl Into<String>) -> DateInput {
        DateInput::new(id)
    }

    /// A time input with this ID.
    pub fn time(id: impl Into<String>) -> TimeInput {
        TimeInput::new(id)
    }

    /// A toggle (check box) with this ID and title.
    pub fn toggle(id: impl Into<String>, title: impl Into<String>) -> ToggleInput {
        ToggleInput::new(id, title)
    }

    /// A choice set with this ID and no choices yet.
    pub fn choice_set(id: impl Into<String>) -> ChoiceSetInput {
        ChoiceSetInput::new(id)
    }
}

/// A text input (`Input.Text`); its submitted value is the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Input.Text", rename_all = "camelCase")]
pub struct TextInput {
    /// The input's ID, the key of its value in the submitted inputs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The label shown above the input (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether the input must be filled in before submitting (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_required: Option<bool>,
    /// The text shown when the value is missing or invalid (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The hint shown while the input is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Whether the input takes several lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_multiline: Option<bool>,
    /// The most characters the input takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// The initial text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The kind of text, a hint for the keyboard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<TextInputStyle>,
    /// A regular expression the text must match (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    /// The space above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<Spacing>,
    /// Whether a line is drawn above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<bool>,
    /// Whether the element is shown (shown when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_visible: Option<bool>,
}

impl TextInput {
    /// A text input with this ID.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the hint shown while the input is empty.
        into placeholder: String;
        /// Sets whether the input takes several lines.
        value is_multiline: bool;
        /// Sets the most characters the input takes.
        value max_length: u32;
        /// Sets the initial text.
        into value: String;
        /// Sets the kind of text.
        value style: TextInputStyle;
        /// Sets a regular expression the text must match (schema 1.3).
        into regex: String;
    }
    input_setters!();
}

/// A number input (`Input.Number`); its submitted value is the number, as a string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Input.Number", rename_all = "camelCase")]
pub struct NumberInput {
    /// The input's ID, the key of its value in the submitted inputs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The label shown above the input (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether the input must be filled in before submitting (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_required: Option<bool>,
    /// The text shown when the value is missing or invalid (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The hint shown while the input is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// The initial number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The smallest number taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The largest number taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The space above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<Spacing>,
    /// Whether a line is drawn above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<bool>,
    /// Whether the element is shown (shown when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_visible: Option<bool>,
}

impl NumberInput {
    /// A number input with this ID.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the hint shown while the input is empty.
        into placeholder: String;
        /// Sets the initial number.
        value value: f64;
        /// Sets the smallest number taken.
        value min: f64;
        /// Sets the largest number taken.
        value max: f64;
    }
    input_setters!();
}

/// A date input (`Input.Date`); dates are written `YYYY-MM-DD`, and so is the submitted value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Input.Date", rename_all = "camelCase")]
pub struct DateInput {
    /// The input's ID, the key of its value in the submitted inputs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The label shown above the input (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether the input must be filled in before submitting (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_required: Option<bool>,
    /// The text shown when the value is missing or invalid (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The hint shown while the input is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// The initial date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The earliest date taken, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// The latest date taken, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// The space above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<Spacing>,
    /// Whether a line is drawn above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<bool>,
    /// Whether the element is shown (shown when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_visible: Option<bool>,
}

impl DateInput {
    /// A date input with this ID.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the hint shown while the input is empty.
        into placeholder: String;
        /// Sets the initial date, `YYYY-MM-DD`.
        into value: String;
        /// Sets the earliest date taken, `YYYY-MM-DD`.
        into min: String;
        /// Sets the latest date taken, `YYYY-MM-DD`.
        into max: String;
    }
    input_setters!();
}

/// A time input (`Input.Time`); times are written `HH:MM` (24 hours), and so is the submitted
/// value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Input.Time", rename_all = "camelCase")]
pub struct TimeInput {
    /// The input's ID, the key of its value in the submitted inputs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The label shown above the input (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether the input must be filled in before submitting (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_required: Option<bool>,
    /// The text shown when the value is missing or invalid (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The hint shown while the input is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// The initial time, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The earliest time taken, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    /// The latest time taken, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// The space above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<Spacing>,
    /// Whether a line is drawn above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<bool>,
    /// Whether the element is shown (shown when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_visible: Option<bool>,
}

impl TimeInput {
    /// A time input with this ID.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the hint shown while the input is empty.
        into placeholder: String;
        /// Sets the initial time, `HH:MM`.
        into value: String;
        /// Sets the earliest time taken, `HH:MM`.
        into min: String;
        /// Sets the latest time taken, `HH:MM`.
        into max: String;
    }
    input_setters!();
}

/// A check box with a title (`Input.Toggle`); its submitted value is `value_on` (`"true"` when
/// unset) or `value_off` (`"false"` when unset).
///
/// ```
/// use spark_model::card::{Element, Input};
///
/// let agree = Input::toggle("agree", "I agree").value_on("yes").value_off("no");
/// assert_eq!(
///     serde_json::to_string(&Element::from(agree)).unwrap(),
///     r#"{"type":"Input.Toggle","id":"agree","title":"I agree","valueOn":"yes","valueOff":"no"}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Input.Toggle", rename_all = "camelCase")]
pub struct ToggleInput {
    /// The input's ID, the key of its value in the submitted inputs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The label shown above the input (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether the input must be filled in before submitting (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_required: Option<bool>,
    /// The text shown when the value is missing or invalid (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The text beside the check box.
    #[serde(default)]
    pub title: String,
    /// The initial value: `value_on` to start checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The value submitted when checked (`"true"` when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_on: Option<String>,
    /// The value submitted when not checked (`"false"` when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_off: Option<String>,
    /// Whether a long title wraps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrap: Option<bool>,
    /// The space above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<Spacing>,
    /// Whether a line is drawn above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<bool>,
    /// Whether the element is shown (shown when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_visible: Option<bool>,
}

impl ToggleInput {
    /// A toggle with this ID and title.
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the initial value (`value_on` to start checked).
        into value: String;
        /// Sets the value submitted when checked.
        into value_on: String;
        /// Sets the value submitted when not checked.
        into value_off: String;
        /// Sets whether a long title wraps.
        value wrap: bool;
    }
    input_setters!();
}

/// A choice among titled values (`Input.ChoiceSet`); its submitted value is the chosen
/// choice's value, or the chosen values joined with commas for a multi-select set.
///
/// ```
/// use spark_model::card::{ChoiceInputStyle, Element, Input};
///
/// let color = Input::choice_set("color")
///     .choice("Red", "r")
///     .choice("Green", "g")
///     .style(ChoiceInputStyle::Expanded);
/// assert_eq!(
///     serde_json::to_string(&Element::from(color)).unwrap(),
///     r#"{"type":"Input.ChoiceSet","id":"color","choices":[{"title":"Red","value":"r"},{"title":"Green","value":"g"}],"style":"expanded"}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Input.ChoiceSet", rename_all = "camelCase")]
pub struct ChoiceSetInput {
    /// The input's ID, the key of its value in the submitted inputs.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The label shown above the input (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Whether the input must be filled in before submitting (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_required: Option<bool>,
    /// The text shown when the value is missing or invalid (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// The choices, in order.
    #[serde(default)]
    pub choices: Vec<Choice>,
    /// Whether several choices can be chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_multi_select: Option<bool>,
    /// How the choices are shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ChoiceInputStyle>,
    /// The initially chosen value (values joined with commas for a multi-select set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The hint shown while nothing is chosen (compact style).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Whether long choice titles wrap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrap: Option<bool>,
    /// The space above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<Spacing>,
    /// Whether a line is drawn above the element.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<bool>,
    /// Whether the element is shown (shown when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_visible: Option<bool>,
}

impl ChoiceSetInput {
    /// A choice set with this ID and no choices yet.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// Adds a choice, shown as `title`, submitted as `value`.
    #[must_use]
    pub fn choice(mut self, title: impl Into<String>, value: impl Into<String>) -> Self {
        self.choices.push(Choice::new(title, value));
        self
    }

    setters! {
        /// Sets all the choices.
        list choices: Choice;
        /// Sets whether several choices can be chosen.
        value is_multi_select: bool;
        /// Sets how the choices are shown.
        value style: ChoiceInputStyle;
        /// Sets the initially chosen value (values joined with commas for a multi-select set).
        into value: String;
        /// Sets the hint shown while nothing is chosen.
        into placeholder: String;
        /// Sets whether long choice titles wrap.
        value wrap: bool;
    }
    input_setters!();
}

/// A choice of a [`ChoiceSetInput`]: the title shown and the value submitted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    /// The text shown.
    #[serde(default)]
    pub title: String,
    /// The value submitted when chosen.
    #[serde(default)]
    pub value: String,
}

impl Choice {
    /// A choice shown as `title`, submitted as `value`.
    pub fn new(title: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            value: value.into(),
        }
    }
}

impl<T: Into<String>, V: Into<String>> From<(T, V)> for Choice {
    fn from((title, value): (T, V)) -> Self {
        Self::new(title, value)
    }
}
