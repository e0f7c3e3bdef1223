//! Checks of a card against what Webex renders and takes: [`AdaptiveCard::validate`] and its
//! [`CardError`].

use std::collections::HashSet;
use std::fmt;

use super::AdaptiveCard;
use super::action::Action;
use super::element::{Element, Inline};
use super::style::TextInputStyle;

/// The Adaptive Cards schema version Webex renders, and the version of a new card: `1.3`
/// (Webex "Buttons and Cards" guide, <https://developer.webex.com/docs/buttons-and-cards>).
pub const CARD_VERSION: &str = "1.3";

/// [`CARD_VERSION`] as `(major, minor)`.
const SUPPORTED_VERSION: (u32, u32) = (1, 3);

/// The most buttons (actions at the bottom of a card) Webex documents: five (Webex "Buttons
/// and Cards" guide, <https://developer.webex.com/docs/buttons-and-cards>).
pub const MAX_CARD_ACTIONS: usize = 5;

/// The most bytes of a card's JSON (its `content`, as this crate encodes it) that
/// [`AdaptiveCard::validate`] lets through: 22 KiB.
///
/// Unverified: Webex refuses cards that are too large, but its documentation does not give the
/// figure; this is the limit developers report, taken here as a safe bound.
pub const MAX_CARD_BYTES: usize = 22 * 1024;

/// Elements and actions of schemas after 1.3, with the version that brought them.
const NEWER_TYPES: &[(&str, &str)] = &[("Action.Execute", "1.4"), ("Table", "1.5")];

/// Why a card would not render, or would be refused, by Webex.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CardError {
    /// The card's `version` is not `major.minor` (the version as written).
    InvalidVersion(String),
    /// The card's `version` is later than [`CARD_VERSION`] (the version as written).
    UnsupportedVersion(String),
    /// The card uses an element, action or property of a later schema than
    /// [`CARD_VERSION`].
    NewerFeature {
        /// The element or action `type`, or the property.
        feature: String,
        /// The schema version that brought it.
        version: &'static str,
    },
    /// An input has no `id` (the input's `type`).
    MissingInputId(String),
    /// Two inputs share this `id` (a card shown by `Action.ShowCard` counts with its card).
    DuplicateInputId(String),
    /// The card has more actions than [`MAX_CARD_ACTIONS`] (the count).
    TooManyActions(usize),
    /// The card's JSON is larger than [`MAX_CARD_BYTES`].
    TooLarge {
        /// The size of the card's JSON, in bytes.
        len: usize,
        /// The most bytes taken.
        max: usize,
    },
}

impl fmt::Display for CardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidVersion(version) => {
                write!(f, "card version {version:?} is not major.minor")
            }
            Self::UnsupportedVersion(version) => write!(
                f,
                "card version {version} is later than {CARD_VERSION}, the version Webex renders"
            ),
            Self::NewerFeature { feature, version } => write!(
                f,
                "{feature} comes with card schema {version}, later than {CARD_VERSION}"
            ),
            Self::MissingInputId(input_type) => write!(f, "a card {input_type} has no id"),
            Self::DuplicateInputId(id) => write!(f, "card inputs share the id {id:?}"),
            Self::TooManyActions(count) => write!(
                f,
                "a card takes up to {MAX_CARD_ACTIONS} actions, not {count}"
            ),
            Self::TooLarge { len, max } => {
                write!(f, "card JSON is {len} bytes, more than the {max} allowed")
            }
        }
    }
}

impl std::error::Error for CardError {}

/// Reads `major.minor`.
fn parse_version(version: &str) -> Option<(u32, u32)> {
    let (major, minor) = version.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Checks a version against [`CARD_VERSION`].
fn check_version(version: &str) -> Result<(), CardError> {
    let parsed =
        parse_version(version).ok_or_else(|| CardError::InvalidVersion(version.to_owned()))?;
    if parsed > SUPPORTED_VERSION {
        return Err(CardError::UnsupportedVersion(version.to_owned()));
    }
    Ok(())
}

/// Refuses a `type` of a later schema.
fn check_type(type_name: &str) -> Result<(), CardError> {
    match NEWER_TYPES.iter().find(|(name, _)| *name == type_name) {
        Some((name, version)) => Err(CardError::NewerFeature {
            feature: (*name).to_owned(),
            version,
        }),
        None => Ok(()),
    }
}

/// The walk over a card's tree, collecting the input IDs seen.
#[derive(Default)]
struct Walk<'a> {
    input_ids: HashSet<&'a str>,
}

impl<'a> Walk<'a> {
    fn card(&mut self, card: &'a AdaptiveCard, top: bool) -> Result<(), CardError> {
        // A card shown by `Action.ShowCard` may leave out its version.
        if top || !card.version.is_empty() {
            check_version(&card.version)?;
        }
        for element in &card.body {
            self.element(element)?;
        }
        for action in card.actions.iter().chain(card.select_action.as_deref()) {
            self.action(action)?;
        }
        Ok(())
    }

    fn element(&mut self, element: &'a Element) -> Result<(), CardError> {
        if let Some(id) = element.input_id() {
            if id.is_empty() {
                return Err(CardError::MissingInputId(element.type_name().to_owned()));
            }
            if !self.input_ids.insert(id) {
                return Err(CardError::DuplicateInputId(id.to_owned()));
            }
        }
        match element {
            Element::Container(container) => {
                self.elements(&container.items)?;
                self.select_action(container.select_action.as_deref())
            }
            Element::ColumnSet(set) => {
                for column in &set.columns {
                    self.elements(&column.items)?;
                    self.select_action(column.select_action.as_deref())?;
                }
                self.select_action(set.select_action.as_deref())
            }
            Element::ActionSet(set) => set
                .actions
                .iter()
                .try_for_each(|action| self.action(action)),
            Element::Image(image) => self.select_action(image.select_action.as_deref()),
            Element::RichTextBlock(block) => {
                block.inlines.iter().try_for_each(|inline| match inline {
                    Inline::TextRun(run) => self.select_action(run.select_action.as_deref()),
                    Inline::Other(_) => Ok(()),
                })
            }
            Element::TextInput(input) => match &input.style {
                Some(TextInputStyle::Other(style)) if style.eq_ignore_ascii_case("password") => {
                    Err(CardError::NewerFeature {
                        feature: "Input.Text style password".to_owned(),
                        version: "1.5",
                    })
                }
                _ => Ok(()),
            },
            Element::Other(_) => check_type(element.type_name()),
            _ => Ok(()),
        }
    }

    fn elements(&mut self, elements: &'a [Element]) -> Result<(), CardError> {
        elements
            .iter()
            .try_for_each(|element| self.element(element))
    }

    fn select_action(&mut self, action: Option<&'a Action>) -> Result<(), CardError> {
        action.map_or(Ok(()), |action| self.action(action))
    }

    fn action(&mut self, action: &'a Action) -> Result<(), CardError> {
        match action {
            Action::ShowCard(show) => self.card(&show.card, false),
            Action::Other(_) => check_type(action.type_name()),
            _ => Ok(()),
        }
    }
}

impl AdaptiveCard {
    /// Checks the card against what Webex renders and takes, before sending it.
    ///
    /// The checks, in order: the `version` is `major.minor` and at most [`CARD_VERSION`]; no
    /// element or action of a later schema (`Action.Execute`, `Table`, the `password` style of
    /// `Input.Text`); every input has an ID, and no two inputs share one (the inputs of cards
    /// shown by `Action.ShowCard` included, as they are submitted together); at most
    /// [`MAX_CARD_ACTIONS`] actions at the bottom of the card; at most [`MAX_CARD_BYTES`] of
    /// JSON.
    ///
    /// # Errors
    ///
    /// The first [`CardError`] found.
    ///
    /// ```
    /// use spark_model::card::{AdaptiveCard, CardError, Input};
    ///
    /// let card = AdaptiveCard::new().body(Input::text("name")).body(Input::date("name"));
    /// assert_eq!(card.validate(), Err(CardError::DuplicateInputId("name".into())));
    /// ```
    pub fn validate(&self) -> Result<(), CardError> {
        Walk::default().card(self, true)?;
        if self.actions.len() > MAX_CARD_ACTIONS {
            return Err(CardError::TooManyActions(self.actions.len()));
        }
        let len = self.encoded_len();
        if len > MAX_CARD_BYTES {
            return Err(CardError::TooLarge {
                len,
                max: MAX_CARD_BYTES,
            });
        }
        Ok(())
    }
}
