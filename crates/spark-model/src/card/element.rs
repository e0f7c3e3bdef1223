//! The card elements: the [`Element`] enum that a card body holds, and the elements showing
//! text, images and facts ([`TextBlock`], [`RichTextBlock`], [`Image`], [`FactSet`]) plus the
//! [`ActionSet`] of buttons.
//!
//! The layout elements ([`Container`], [`ColumnSet`]) live in the `layout` part of this module,
//! the inputs in the `input` part.

use serde::{Deserialize, Serialize};

use super::action::Action;
use super::input::{ChoiceSetInput, DateInput, NumberInput, TextInput, TimeInput, ToggleInput};
use super::layout::{ColumnSet, Container};
use super::style::{
    Color, FontType, HorizontalAlignment, ImageSize, ImageStyle, Spacing, TextSize, Weight,
};
use crate::builder::setters;

tagged_enum! {
    /// An element of a card body (or of a container or column), told apart on the wire by its
    /// `type`.
    ///
    /// An element of a `type` this crate does not model, or one whose fields do not decode as
    /// this crate expects, is kept whole as JSON in `Other` and written back unchanged.
    ///
    /// Every element type converts into `Element` with `From`, so the builders take
    /// `impl Into<Element>`.
    pub enum Element {
        /// `TextBlock`.
        TextBlock(TextBlock) => "TextBlock",
        /// `RichTextBlock`.
        RichTextBlock(RichTextBlock) => "RichTextBlock",
        /// `Image`.
        Image(Image) => "Image",
        /// `FactSet`.
        FactSet(FactSet) => "FactSet",
        /// `Container`.
        Container(Container) => "Container",
        /// `ColumnSet`.
        ColumnSet(ColumnSet) => "ColumnSet",
        /// `ActionSet`.
        ActionSet(ActionSet) => "ActionSet",
        /// `Input.Text`.
        TextInput(TextInput) => "Input.Text",
        /// `Input.Number`.
        NumberInput(NumberInput) => "Input.Number",
        /// `Input.Date`.
        DateInput(DateInput) => "Input.Date",
        /// `Input.Time`.
        TimeInput(TimeInput) => "Input.Time",
        /// `Input.Toggle`.
        ToggleInput(ToggleInput) => "Input.Toggle",
        /// `Input.ChoiceSet`.
        ChoiceSetInput(ChoiceSetInput) => "Input.ChoiceSet",
    }
}

impl Element {
    /// The ID of the input this element is, or `None` when it is not an input (an unknown
    /// element whose `type` starts with `Input.` counts as an input). The ID is `""` for an
    /// input that has none.
    pub fn input_id(&self) -> Option<&str> {
        match self {
            Self::TextInput(input) => Some(&input.id),
            Self::NumberInput(input) => Some(&input.id),
            Self::DateInput(input) => Some(&input.id),
            Self::TimeInput(input) => Some(&input.id),
            Self::ToggleInput(input) => Some(&input.id),
            Self::ChoiceSetInput(input) => Some(&input.id),
            Self::Other(value) if self.type_name().starts_with("Input.") => Some(
                value
                    .get("id")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or(""),
            ),
            _ => None,
        }
    }
}

/// Text (`TextBlock`), with a limited Markdown: bold, italic, lists and links.
///
/// ```
/// use spark_model::card::{Element, TextBlock, Weight};
///
/// let title = TextBlock::new("Deploy done").weight(Weight::Bolder).wrap(true);
/// assert_eq!(
///     serde_json::to_string(&Element::from(title)).unwrap(),
///     r#"{"type":"TextBlock","text":"Deploy done","weight":"bolder","wrap":true}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "TextBlock", rename_all = "camelCase")]
pub struct TextBlock {
    /// The element's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The text.
    #[serde(default)]
    pub text: String,
    /// The size of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<TextSize>,
    /// The weight of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
    /// The color of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
    /// Whether long text wraps (it is cut to one line when unset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrap: Option<bool>,
    /// Whether the text is muted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_subtle: Option<bool>,
    /// How the text sits across the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_alignment: Option<HorizontalAlignment>,
    /// The most lines shown when the text wraps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_lines: Option<u32>,
    /// The font of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_type: Option<FontType>,
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

impl TextBlock {
    /// A text block showing this text.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the element's ID.
        into id: String;
        /// Sets the size of the text.
        value size: TextSize;
        /// Sets the weight of the text.
        value weight: Weight;
        /// Sets the color of the text.
        value color: Color;
        /// Sets whether long text wraps.
        value wrap: bool;
        /// Sets whether the text is muted.
        value is_subtle: bool;
        /// Sets how the text sits across the card.
        value horizontal_alignment: HorizontalAlignment;
        /// Sets the most lines shown when the text wraps.
        value max_lines: u32;
        /// Sets the font.
        value font_type: FontType;
    }
    layout_setters!();
}

/// Text made of runs of different styles (`RichTextBlock`), without Markdown.
///
/// ```
/// use spark_model::card::{Element, RichTextBlock, TextRun};
///
/// let line = RichTextBlock::new().inline("Status: ").inline(TextRun::new("down").italic(true));
/// assert_eq!(
///     serde_json::to_string(&Element::from(line)).unwrap(),
///     r#"{"type":"RichTextBlock","inlines":[{"type":"TextRun","text":"Status: "},{"type":"TextRun","text":"down","italic":true}]}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "RichTextBlock", rename_all = "camelCase")]
pub struct RichTextBlock {
    /// The element's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The runs of text.
    #[serde(default)]
    pub inlines: Vec<Inline>,
    /// How the text sits across the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_alignment: Option<HorizontalAlignment>,
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

impl RichTextBlock {
    /// A rich text block with no runs yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a run of text (a [`TextRun`], or a `&str` for an unstyled run).
    #[must_use]
    pub fn inline(mut self, inline: impl Into<Inline>) -> Self {
        self.inlines.push(inline.into());
        self
    }

    setters! {
        /// Sets the element's ID.
        into id: String;
        /// Sets all the runs of text.
        list inlines: Inline;
        /// Sets how the text sits across the card.
        value horizontal_alignment: HorizontalAlignment;
    }
    layout_setters!();
}

tagged_enum! {
    /// A run of a [`RichTextBlock`]: a [`TextRun`], or anything else kept as JSON in `Other`
    /// (including a run written as a bare string).
    pub enum Inline {
        /// `TextRun`.
        TextRun(TextRun) => "TextRun",
    }
}

impl From<&str> for Inline {
    fn from(text: &str) -> Self {
        Self::TextRun(TextRun::new(text))
    }
}

impl From<String> for Inline {
    fn from(text: String) -> Self {
        Self::TextRun(TextRun::new(text))
    }
}

/// A run of styled text in a [`RichTextBlock`] (`TextRun`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "TextRun", rename_all = "camelCase")]
pub struct TextRun {
    /// The text (Markdown is not read).
    #[serde(default)]
    pub text: String,
    /// The size of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<TextSize>,
    /// The weight of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<Weight>,
    /// The color of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<Color>,
    /// Whether the text is muted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_subtle: Option<bool>,
    /// The font of the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_type: Option<FontType>,
    /// Whether the text is italic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub italic: Option<bool>,
    /// Whether the text is struck through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strikethrough: Option<bool>,
    /// Whether the text is underlined (schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub underline: Option<bool>,
    /// Whether the text is highlighted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub highlight: Option<bool>,
    /// The action performed when the run is clicked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_action: Option<Box<Action>>,
}

impl TextRun {
    /// A run of this text.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the size of the text.
        value size: TextSize;
        /// Sets the weight of the text.
        value weight: Weight;
        /// Sets the color of the text.
        value color: Color;
        /// Sets whether the text is muted.
        value is_subtle: bool;
        /// Sets the font.
        value font_type: FontType;
        /// Sets whether the text is italic.
        value italic: bool;
        /// Sets whether the text is struck through.
        value strikethrough: bool;
        /// Sets whether the text is underlined.
        value underline: bool;
        /// Sets whether the text is highlighted.
        value highlight: bool;
    }

    /// Sets the action performed when the run is clicked.
    #[must_use]
    pub fn select_action(mut self, action: impl Into<Action>) -> Self {
        self.select_action = Some(Box::new(action.into()));
        self
    }
}

/// An image (`Image`), fetched by the client from its URL.
///
/// ```
/// use spark_model::card::{Element, Image, ImageSize, ImageStyle};
///
/// let avatar = Image::new("https://example.com/julie.png")
///     .alt_text("Julie")
///     .size(ImageSize::Small)
///     .style(ImageStyle::Person);
/// assert_eq!(
///     serde_json::to_string(&Element::from(avatar)).unwrap(),
///     r#"{"type":"Image","url":"https://example.com/julie.png","altText":"Julie","size":"small","style":"person"}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "Image", rename_all = "camelCase")]
pub struct Image {
    /// The element's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The URL of the image (or a `data:` URI).
    #[serde(default)]
    pub url: String,
    /// The text read by screen readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
    /// The size of the image; ignored when `width` or `height` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<ImageSize>,
    /// How the image is drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<ImageStyle>,
    /// The width, in pixels, written `"50px"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<String>,
    /// The height, in pixels (`"50px"`), or `"auto"` / `"stretch"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<String>,
    /// How the image sits across the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizontal_alignment: Option<HorizontalAlignment>,
    /// The action performed when the image is clicked.
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

impl Image {
    /// The image at this URL.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            ..Self::default()
        }
    }

    setters! {
        /// Sets the element's ID.
        into id: String;
        /// Sets the text read by screen readers.
        into alt_text: String;
        /// Sets the size of the image.
        value size: ImageSize;
        /// Sets how the image is drawn.
        value style: ImageStyle;
        /// Sets how the image sits across the card.
        value horizontal_alignment: HorizontalAlignment;
    }
    layout_setters!();

    /// Sets the width, in pixels.
    #[must_use]
    pub fn width_px(mut self, pixels: u32) -> Self {
        self.width = Some(format!("{pixels}px"));
        self
    }

    /// Sets the height, in pixels.
    #[must_use]
    pub fn height_px(mut self, pixels: u32) -> Self {
        self.height = Some(format!("{pixels}px"));
        self
    }

    /// Sets the action performed when the image is clicked.
    #[must_use]
    pub fn select_action(mut self, action: impl Into<Action>) -> Self {
        self.select_action = Some(Box::new(action.into()));
        self
    }
}

/// A list of title and value pairs shown as a table (`FactSet`).
///
/// ```
/// use spark_model::card::{Element, FactSet};
///
/// let facts = FactSet::new().fact("Build", "1234").fact("Status", "green");
/// assert_eq!(
///     serde_json::to_string(&Element::from(facts)).unwrap(),
///     r#"{"type":"FactSet","facts":[{"title":"Build","value":"1234"},{"title":"Status","value":"green"}]}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "FactSet", rename_all = "camelCase")]
pub struct FactSet {
    /// The element's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The facts, in order.
    #[serde(default)]
    pub facts: Vec<Fact>,
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

impl FactSet {
    /// A fact set with no facts yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a fact.
    #[must_use]
    pub fn fact(mut self, title: impl Into<String>, value: impl Into<String>) -> Self {
        self.facts.push(Fact::new(title, value));
        self
    }

    setters! {
        /// Sets the element's ID.
        into id: String;
        /// Sets all the facts.
        list facts: Fact;
    }
    layout_setters!();
}

/// A fact of a [`FactSet`]: a title and its value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fact {
    /// The title (the left column).
    #[serde(default)]
    pub title: String,
    /// The value (the right column).
    #[serde(default)]
    pub value: String,
}

impl Fact {
    /// A fact with this title and value.
    pub fn new(title: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            value: value.into(),
        }
    }
}

impl<T: Into<String>, V: Into<String>> From<(T, V)> for Fact {
    fn from((title, value): (T, V)) -> Self {
        Self::new(title, value)
    }
}

/// A row of buttons inside the body (`ActionSet`), where the card's own `actions` sit at the
/// bottom.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename = "ActionSet", rename_all = "camelCase")]
pub struct ActionSet {
    /// The element's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The actions, in order.
    #[serde(default)]
    pub actions: Vec<Action>,
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

impl ActionSet {
    /// An action set with no actions yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an action.
    #[must_use]
    pub fn action(mut self, action: impl Into<Action>) -> Self {
        self.actions.push(action.into());
        self
    }

    setters! {
        /// Sets the element's ID.
        into id: String;
        /// Sets all the actions.
        list actions: Action;
    }
    layout_setters!();
}
