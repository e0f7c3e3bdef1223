//! The body of an API error answer (`4xx`/`5xx`).
//!
//! Every field is optional: the body may be partial, empty or not JSON at all (a proxy's HTML
//! page), in which case the caller keeps the raw text instead.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The JSON body of an error answer.
///
/// ```
/// use spark_model::ApiErrorBody;
///
/// let body: ApiErrorBody = serde_json::from_str(
///     r#"{"message": "The requested resource could not be found.",
///         "errors": [{"description": "The requested resource could not be found."}],
///         "trackingId": "ROUTER_6634E8D1-2E8F-01BB-00A4-0AFA21EA00A4"}"#,
/// )
/// .unwrap();
/// assert_eq!(body.tracking_id.as_deref(), Some("ROUTER_6634E8D1-2E8F-01BB-00A4-0AFA21EA00A4"));
/// assert_eq!(body.errors.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorBody {
    /// What went wrong, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The individual errors.
    #[serde(
        default,
        deserialize_with = "crate::common::null_as_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub errors: Vec<ApiErrorDetail>,
    /// The ID of the request, to quote to Webex support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_id: Option<String>,
    /// A machine-readable error code, when the API gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<ErrorCode>,
}

impl ApiErrorBody {
    /// The most useful text of the body: the message, else the first error's description.
    pub fn summary(&self) -> Option<&str> {
        self.message.as_deref().or_else(|| {
            self.errors
                .iter()
                .find_map(|error| error.description.as_deref())
        })
    }
}

/// One error of an error answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorDetail {
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A machine-readable code for this error, when the API gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<ErrorCode>,
}

/// An error code, which the API sends as a number or as a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A numeric code.
    Number(i64),
    /// A textual code.
    Text(String),
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(code) => write!(f, "{code}"),
            Self::Text(code) => f.write_str(code),
        }
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Number(code) => serializer.serialize_i64(*code),
            Self::Text(code) => serializer.serialize_str(code),
        }
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CodeVisitor;

        impl Visitor<'_> for CodeVisitor {
            type Value = ErrorCode;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an error code (number or string)")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<ErrorCode, E> {
                Ok(ErrorCode::Number(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<ErrorCode, E> {
                Ok(i64::try_from(value)
                    .map_or_else(|_| ErrorCode::Text(value.to_string()), ErrorCode::Number))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<ErrorCode, E> {
                Ok(ErrorCode::Text(value.to_string()))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<ErrorCode, E> {
                Ok(ErrorCode::Text(value.to_owned()))
            }
        }

        deserializer.deserialize_any(CodeVisitor)
    }
}
