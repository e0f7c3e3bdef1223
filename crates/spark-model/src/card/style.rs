//! The named values of card properties: text sizes and weights, colors, alignments, spacing,
//! image and container styles, input and action styles.
//!
//! Adaptive Cards reads these values without regard to case (`"Bolder"` and `"bolder"` are the
//! same weight), so decoding here ignores case too, and encoding writes the schema's camelCase
//! spelling. A value this crate does not know decodes to `Other` and is written back as sent.

/// Defines a card enum: its known values (matched without regard to ASCII case), an
/// `Other(String)` fallback, `as_str`, `Display`, `From<&str>`, `From<String>` and serde impls
/// reading and writing the plain string.
macro_rules! card_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident => $wire:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value this version of the crate does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(other) => other.as_str(),
                }
            }

            fn known(value: &str) -> Option<Self> {
                $(
                    if value.eq_ignore_ascii_case($wire) {
                        return Some(Self::$variant);
                    }
                )+
                None
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Other(value.to_owned()))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::known(&value).unwrap_or(Self::Other(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

card_enum! {
    /// The size of text (`size`); the host's default when unset.
    pub enum TextSize {
        /// The default size.
        Default => "default",
        /// Smaller than the default.
        Small => "small",
        /// Larger than the default.
        Medium => "medium",
        /// Larger than medium.
        Large => "large",
        /// The largest size.
        ExtraLarge => "extraLarge",
    }
}

card_enum! {
    /// The weight of text (`weight`).
    pub enum Weight {
        /// The default weight.
        Default => "default",
        /// Lighter than the default.
        Lighter => "lighter",
        /// Bold.
        Bolder => "bolder",
    }
}

card_enum! {
    /// The color of text (`color`), from the host's palette.
    pub enum Color {
        /// The default color.
        Default => "default",
        /// A dark color.
        Dark => "dark",
        /// A light color.
        Light => "light",
        /// The accent color (often blue).
        Accent => "accent",
        /// A color for good news (often green).
        Good => "good",
        /// A warning color (often amber).
        Warning => "warning",
        /// A color asking for attention (often red).
        Attention => "attention",
    }
}

card_enum! {
    /// The font of text (`fontType`).
    pub enum FontType {
        /// The default font.
        Default => "default",
        /// A fixed-width font.
        Monospace => "monospace",
    }
}

card_enum! {
    /// How an element sits across its parent (`horizontalAlignment`); left when unset.
    pub enum HorizontalAlignment {
        /// At the left.
        Left => "left",
        /// In the middle.
        Center => "center",
        /// At the right.
        Right => "right",
    }
}

card_enum! {
    /// How a container's content sits vertically (`verticalContentAlignment`); top when unset.
    pub enum VerticalAlignment {
        /// At the top.
        Top => "top",
        /// In the middle.
        Center => "center",
        /// At the bottom.
        Bottom => "bottom",
    }
}

card_enum! {
    /// The space above an element (`spacing`); the default spacing when unset.
    pub enum Spacing {
        /// No space.
        None => "none",
        /// A small space.
        Small => "small",
        /// The default space.
        Default => "default",
        /// A medium space.
        Medium => "medium",
        /// A large space.
        Large => "large",
        /// The largest space.
        ExtraLarge => "extraLarge",
        /// The card's padding.
        Padding => "padding",
    }
}

card_enum! {
    /// The size of an image (`size`); `auto` when unset.
    pub enum ImageSize {
        /// Its natural size, shrunk to fit.
        Auto => "auto",
        /// As wide as its container.
        Stretch => "stretch",
        /// Small (the host decides the pixels).
        Small => "small",
        /// Medium.
        Medium => "medium",
        /// Large.
        Large => "large",
    }
}

card_enum! {
    /// How an image is drawn (`style`).
    pub enum ImageStyle {
        /// As is.
        Default => "default",
        /// Cropped to a circle, for an avatar.
        Person => "person",
    }
}

card_enum! {
    /// The background style of a container, column or column set (`style`).
    pub enum ContainerStyle {
        /// No background.
        Default => "default",
        /// A muted background that sets the content apart.
        Emphasis => "emphasis",
        /// A background for good news.
        Good => "good",
        /// A background asking for attention.
        Attention => "attention",
        /// A warning background.
        Warning => "warning",
        /// The accent background.
        Accent => "accent",
    }
}

card_enum! {
    /// The kind of text a text input takes (`style`), a hint for the keyboard; plain text when
    /// unset.
    pub enum TextInputStyle {
        /// Plain text.
        Text => "text",
        /// A phone number.
        Tel => "tel",
        /// A URL.
        Url => "url",
        /// An email address.
        Email => "email",
    }
}

card_enum! {
    /// How a choice set shows its choices (`style`); `compact` when unset.
    pub enum ChoiceInputStyle {
        /// A drop-down list.
        Compact => "compact",
        /// Radio buttons or check boxes, all shown.
        Expanded => "expanded",
    }
}

card_enum! {
    /// The look of an action's button (`style`).
    pub enum ActionStyle {
        /// The default look.
        Default => "default",
        /// A positive (often highlighted) action.
        Positive => "positive",
        /// A destructive (often red) action.
        Destructive => "destructive",
    }
}
