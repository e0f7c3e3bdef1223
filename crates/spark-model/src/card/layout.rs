//! The layout elements: [`Container`] groups elements, [`ColumnSet`] lays [`Column`]s side by
//! side, each column as wide as its [`ColumnWidth`].

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::action::Action;
use super::element::Element;
use super::style::{ContainerStyle, Spacing, VerticalAlignment};
use crate::builder::setters;

/// A group of elements with an optional background and click action (`Container`).
///
/// ```
/// use spark_model::card::{Container, ContainerStyle, Element, TextBlock};
///
/// let boxed = Container::new().style(ContainerStyle::Emphasis).item(TextBlock::new("Note"));
/// assert_eq!(
///     serde_json::to_string(&Element::from(boxed)).unwrap(),
///     r#"{"type":"Container","items":[{"type":"TextBlock","text":"Note"}],"style":"emphasis"}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Container", rename_all = "camelCase")]
pub struct Container {
    /// The element's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The elements inside, in order.
    #[serde(default)]
    pub items: Vec<Element>,
    /// The background style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ContainerStyle>,
    /// The action performed when the container is clicked (not `Action.ShowCard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_action: Option<Box<Action>>,
    /// How the content sits vertically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vertical_content_alignment: Option<VerticalAlignment>,
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

impl Container {
    /// An empty container.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an element.
    #[must_use]
    pub fn item(mut self, element: impl Into<Element>) -> Self {
        self.items.push(element.into());
        self
    }

    /// Sets the action performed when the container is clicked.
    #[must_use]
    pub fn select_action(mut self, action: impl Into<Action>) -> Self {
        self.select_action = Some(Box::new(action.into()));
        self
    }

    setters! {
        /// Sets the element's ID.
        into id: String;
        /// Sets all the elements.
        list items: Element;
        /// Sets the background style.
        value style: ContainerStyle;
        /// Sets how the content sits vertically.
        value vertical_content_alignment: VerticalAlignment;
    }
    layout_setters!();
}

/// Columns side by side (`ColumnSet`).
///
/// ```
/// use spark_model::card::{Column, ColumnSet, ColumnWidth, Element, Image, TextBlock};
///
/// let row = ColumnSet::new()
///     .column(Column::new().width(ColumnWidth::Auto).item(Image::new("https://example.com/a.png")))
///     .column(Column::new().width(ColumnWidth::Weight(2)).item(TextBlock::new("Julie")));
/// assert_eq!(
///     serde_json::to_value(Element::from(row)).unwrap(),
///     serde_json::json!({"type": "ColumnSet", "columns": [
///         {"type": "Column", "items": [{"type": "Image", "url": "https://example.com/a.png"}], "width": "auto"},
///         {"type": "Column", "items": [{"type": "TextBlock", "text": "Julie"}], "width": 2},
///     ]})
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "ColumnSet", rename_all = "camelCase")]
pub struct ColumnSet {
    /// The element's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The columns, left to right.
    #[serde(default)]
    pub columns: Vec<Column>,
    /// The background style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ContainerStyle>,
    /// The action performed when the column set is clicked (not `Action.ShowCard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_action: Option<Box<Action>>,
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

impl ColumnSet {
    /// A column set with no columns yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a column at the right.
    #[must_use]
    pub fn column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }

    /// Sets the action performed when the column set is clicked.
    #[must_use]
    pub fn select_action(mut self, action: impl Into<Action>) -> Self {
        self.select_action = Some(Box::new(action.into()));
        self
    }

    setters! {
        /// Sets the element's ID.
        into id: String;
        /// Sets all the columns.
        list columns: Column;
        /// Sets the background style.
        value style: ContainerStyle;
    }
    layout_setters!();
}

/// A column of a [`ColumnSet`] (`Column`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Column", rename_all = "camelCase")]
pub struct Column {
    /// The column's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The elements inside, top to bottom (left out when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Element>,
    /// How wide the column is; `stretch` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<ColumnWidth>,
    /// The background style.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ContainerStyle>,
    /// The action performed when the column is clicked (not `Action.ShowCard`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_action: Option<Box<Action>>,
    /// How the content sits vertically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vertical_content_alignment: Option<VerticalAlignment>,
    /// The space left of the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spacing: Option<Spacing>,
    /// Whether a line is drawn left of the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separator: Option<bool>,
    /// Whether the column is shown (shown when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_visible: Option<bool>,
}

impl Column {
    /// An empty column.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an element at the bottom.
    #[must_use]
    pub fn item(mut self, element: impl Into<Element>) -> Self {
        self.items.push(element.into());
        self
    }

    /// Sets the action performed when the column is clicked.
    #[must_use]
    pub fn select_action(mut self, action: impl Into<Action>) -> Self {
        self.select_action = Some(Box::new(action.into()));
        self
    }

    setters! {
        /// Sets the column's ID.
        into id: String;
        /// Sets all the elements.
        list items: Element;
        /// Sets how wide the column is.
        value width: ColumnWidth;
        /// Sets the background style.
        value style: ContainerStyle;
        /// Sets how the content sits vertically.
        value vertical_content_alignment: VerticalAlignment;
    }
    layout_setters!();
}

/// How wide a [`Column`] is (`width`).
///
/// On the wire: `"auto"`, `"stretch"`, a number (a weight) or `"50px"`. Anything else decodes
/// to `Other` and is written back as sent.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnWidth {
    /// As wide as its content.
    Auto,
    /// The room left by the other columns, shared with the other stretched columns.
    Stretch,
    /// A share of the width, in proportion to the other weighted columns.
    Weight(u32),
    /// A width in pixels.
    Pixels(u32),
    /// A value this crate does not know, kept as sent.
    Other(serde_json::Value),
}

impl Serialize for ColumnWidth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Auto => serializer.serialize_str("auto"),
            Self::Stretch => serializer.serialize_str("stretch"),
            Self::Weight(weight) => serializer.serialize_u32(*weight),
            Self::Pixels(pixels) => serializer.collect_str(&format_args!("{pixels}px")),
            Self::Other(value) => value.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for ColumnWidth {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(deserializer)?;
        let known = match &value {
            serde_json::Value::String(text) if text.eq_ignore_ascii_case("auto") => {
                Some(Self::Auto)
            }
            serde_json::Value::String(text) if text.eq_ignore_ascii_case("stretch") => {
                Some(Self::Stretch)
            }
            serde_json::Value::String(text) => text
                .strip_suffix("px")
                .and_then(|pixels| pixels.parse::<u32>().ok())
                // Only a width written back the same way (no sign, no leading zero).
                .filter(|pixels| format!("{pixels}px") == *text)
                .map(Self::Pixels),
            serde_json::Value::Number(number) => number
                .as_u64()
                .and_then(|weight| u32::try_from(weight).ok())
                .map(Self::Weight),
            _ => None,
        };
        Ok(known.unwrap_or(Self::Other(value)))
    }
}
