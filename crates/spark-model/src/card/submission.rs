//! Reading what a person submitted on a card: [`CardInputs`] over an attachment action's
//! `inputs`, and [`AttachmentAction::inputs_as`] to decode them into a type of yours.
//!
//! The inputs map each input's ID to its value. Adaptive Cards submits the value of every input
//! as a string: a number input gives `"42"`, a toggle its `valueOn` or `valueOff` (`"true"` or
//! `"false"` unless set), a multi-select choice set its values joined with commas. The fields
//! of an object `data` of the `Action.Submit` pressed come along with their JSON types. The
//! getters of [`CardInputs`] read these forms.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::attachment_action::AttachmentAction;

/// Typed access to the inputs of a card submission (an [`AttachmentAction`]'s `inputs`).
///
/// ```
/// use spark_model::AttachmentAction;
///
/// let action: AttachmentAction = serde_json::from_str(
///     r#"{"id": "A1", "type": "submit", "messageId": "M1",
///         "inputs": {"name": "Julie", "age": "42", "agree": "true", "colors": "r,g",
///                    "kind": "greet"}}"#,
/// )
/// .unwrap();
/// let inputs = action.card_inputs();
/// assert_eq!(inputs.get_str("name"), Some("Julie"));
/// assert_eq!(inputs.get_number("age"), Some(42.0));
/// assert_eq!(inputs.get_bool("agree"), Some(true));
/// assert_eq!(inputs.get_choices("colors"), ["r", "g"]);
/// assert!(inputs.require_str("email").is_err());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CardInputs<'a> {
    inputs: Option<&'a Map<String, Value>>,
}

impl<'a> CardInputs<'a> {
    /// A view of these inputs.
    pub fn new(inputs: &'a Map<String, Value>) -> Self {
        Self {
            inputs: Some(inputs),
        }
    }

    /// The value of this input, as sent.
    pub fn get(&self, id: &str) -> Option<&'a Value> {
        self.inputs?.get(id)
    }

    /// The value of this input when it is a string.
    pub fn get_str(&self, id: &str) -> Option<&'a str> {
        self.get(id)?.as_str()
    }

    /// The value of this input as a number: a JSON number, or a string holding a finite
    /// number (surrounding spaces ignored). `None` when absent, empty or not a number.
    pub fn get_number(&self, id: &str) -> Option<f64> {
        match self.get(id)? {
            Value::Number(number) => number.as_f64(),
            Value::String(text) => text.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        }
    }

    /// The value of this input as a boolean: a JSON boolean, or the string `"true"` or
    /// `"false"` (any case), which a toggle without `valueOn` / `valueOff` submits.
    pub fn get_bool(&self, id: &str) -> Option<bool> {
        match self.get(id)? {
            Value::Bool(value) => Some(*value),
            Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
            Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The values chosen in a multi-select choice set: the string split at commas (nothing for
    /// an empty string), or the strings of a JSON array. Empty when absent.
    pub fn get_choices(&self, id: &str) -> Vec<&'a str> {
        match self.get(id) {
            Some(Value::String(text)) if text.is_empty() => Vec::new(),
            Some(Value::String(text)) => text.split(',').collect(),
            Some(Value::Array(values)) => values.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The value of this input, which must be a string (an empty one counts).
    ///
    /// # Errors
    ///
    /// [`InputsError::Missing`] when the input is absent, [`InputsError::NotText`] when its
    /// value is not a string.
    pub fn require_str(&self, id: &str) -> Result<&'a str, InputsError> {
        match self.get(id) {
            None => Err(InputsError::Missing(id.to_owned())),
            Some(Value::String(text)) => Ok(text),
            Some(_) => Err(InputsError::NotText(id.to_owned())),
        }
    }

    /// Decodes all the inputs into `T`, a struct whose fields are the input IDs (absent inputs
    /// read as an empty object).
    ///
    /// The values are strings: give numeric or boolean fields a `deserialize_with` that parses
    /// them, or read them with [`get_number`](Self::get_number) and
    /// [`get_bool`](Self::get_bool).
    ///
    /// # Errors
    ///
    /// [`InputsError::Decode`] when the inputs do not decode into `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, InputsError> {
        let object = Value::Object(self.inputs.cloned().unwrap_or_default());
        serde_json::from_value(object).map_err(InputsError::Decode)
    }

    /// How many inputs were submitted.
    pub fn len(&self) -> usize {
        self.inputs.map_or(0, Map::len)
    }

    /// Whether no input was submitted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The inputs' IDs and values.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
        self.inputs
            .into_iter()
            .flat_map(|inputs| inputs.iter().map(|(id, value)| (id.as_str(), value)))
    }
}

impl AttachmentAction {
    /// Typed access to the submitted inputs (none when the action has no `inputs`).
    pub fn card_inputs(&self) -> CardInputs<'_> {
        CardInputs {
            inputs: self.inputs.as_ref(),
        }
    }

    /// Decodes the submitted inputs into `T`; see [`CardInputs::decode`].
    ///
    /// # Errors
    ///
    /// [`InputsError::Decode`] when the inputs do not decode into `T`.
    ///
    /// ```
    /// use serde::Deserialize;
    /// use spark_model::AttachmentAction;
    ///
    /// #[derive(Deserialize)]
    /// struct Greeting {
    ///     name: String,
    ///     comment: Option<String>,
    /// }
    ///
    /// let action: AttachmentAction =
    ///     serde_json::from_str(r#"{"id": "A1", "inputs": {"name": "Julie"}}"#).unwrap();
    /// let greeting: Greeting = action.inputs_as().unwrap();
    /// assert_eq!(greeting.name, "Julie");
    /// assert_eq!(greeting.comment, None);
    /// ```
    pub fn inputs_as<T: DeserializeOwned>(&self) -> Result<T, InputsError> {
        self.card_inputs().decode()
    }
}

/// Why the inputs of a card submission could not be read as asked.
#[derive(Debug)]
#[non_exhaustive]
pub enum InputsError {
    /// No input has this ID.
    Missing(String),
    /// The value of the input with this ID is not a string.
    NotText(String),
    /// The inputs do not decode into the type asked for.
    Decode(serde_json::Error),
}

impl fmt::Display for InputsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing(id) => write!(f, "the card submission has no input {id:?}"),
            Self::NotText(id) => write!(f, "card input {id:?} is not a string"),
            Self::Decode(error) => write!(f, "card inputs do not decode: {error}"),
        }
    }
}

impl std::error::Error for InputsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Decode(error) => Some(error),
            _ => None,
        }
    }
}
