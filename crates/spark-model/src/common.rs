//! Shared wire helpers: timestamps, lenient booleans and comma-separated query lists.
//!
//! These are used through `#[serde(with = "...")]` on the fields of the resources and request
//! types; the public part is the [`Timestamp`] alias, [`format_timestamp`] and
//! [`parse_timestamp`].

use std::fmt;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::Serializer;
use serde::de::{self, Deserializer, Visitor};

/// A date and time as the API gives it (ISO-8601, always in UTC on the wire).
///
/// The API writes `2015-10-18T14:26:16.000Z` for most resources and `2015-10-18T14:26:16+00:00`
/// for some (messages, webhooks, organizations): both decode to this type. This crate always
/// writes the first form, with milliseconds.
pub type Timestamp = DateTime<Utc>;

/// Formats a timestamp the way the API does: `2015-10-18T14:26:16.000Z`.
///
/// ```
/// use spark_model::{format_timestamp, Timestamp};
///
/// let at: Timestamp = "2015-10-18T14:26:16+00:00".parse().unwrap();
/// assert_eq!(format_timestamp(&at), "2015-10-18T14:26:16.000Z");
/// ```
pub fn format_timestamp(at: &Timestamp) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses a date and time in the forms the API sends: RFC 3339 with `Z` or any offset
/// (`2015-10-18T14:26:16.000Z`, `2019-03-18T11:26:30+08:00`), a space instead of the `T`, or no
/// offset at all (taken as UTC, as the API means). `None` for anything else.
///
/// The generated types of the meetings, devices and admin areas keep their times as the
/// strings the API sent (the specs mark almost none of them as date-times, and their forms
/// vary); this reads them:
///
/// ```
/// use spark_model::{format_timestamp, parse_timestamp};
///
/// let start = parse_timestamp("2019-03-18T11:26:30+08:00").unwrap();
/// assert_eq!(format_timestamp(&start), "2019-03-18T03:26:30.000Z");
/// assert!(parse_timestamp("2019-03-18 11:26:30Z").is_some());
/// assert!(parse_timestamp("2019-03-18T11:26:30").is_some());
/// assert!(parse_timestamp("next Tuesday").is_none());
/// ```
pub fn parse_timestamp(value: &str) -> Option<Timestamp> {
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Some(at.with_timezone(&Utc));
    }
    // Lenient fallbacks: a space instead of `T`, or no offset at all.
    if let Ok(at) = value.parse::<DateTime<Utc>>() {
        return Some(at);
    }
    NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|naive| naive.and_utc())
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ISO-8601 date and time")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Timestamp, E> {
        parse_timestamp(value).ok_or_else(|| {
            E::invalid_value(de::Unexpected::Str(value), &"an ISO-8601 date and time")
        })
    }
}

/// Serde helpers for an optional [`Timestamp`] field (use with `default` and
/// `skip_serializing_if = "Option::is_none"`); `null` and `""` read as absent.
pub(crate) mod opt_timestamp {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        at: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => serializer.serialize_str(&format_timestamp(at)),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        struct OptVisitor;

        impl<'de> Visitor<'de> for OptVisitor {
            type Value = Option<Timestamp>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO-8601 date and time or null")
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Self::Value, D::Error> {
                deserializer.deserialize_str(self)
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                if value.is_empty() {
                    return Ok(None);
                }
                TimestampVisitor.visit_str(value).map(Some)
            }
        }

        deserializer.deserialize_option(OptVisitor)
    }
}

/// A boolean that also accepts the strings `"true"` and `"false"` (any case), as some resources
/// are declared with string booleans; `null` reads as absent.
struct LenientBoolVisitor;

impl<'de> Visitor<'de> for LenientBoolVisitor {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean or the string \"true\" or \"false\"")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Some(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if value.eq_ignore_ascii_case("true") {
            Ok(Some(true))
        } else if value.eq_ignore_ascii_case("false") {
            Ok(Some(false))
        } else {
            Err(E::invalid_value(de::Unexpected::Str(value), &self))
        }
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        match value {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(value), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        match value {
            0 => Ok(Some(false)),
            1 => Ok(Some(true)),
            _ => Err(E::invalid_value(de::Unexpected::Signed(value), &self)),
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(LenientBoolVisitor)
    }
}

/// Serde helpers for an optional lenient boolean (use with `default` and
/// `skip_serializing_if = "Option::is_none"`). Encodes as a JSON boolean.
pub(crate) mod opt_bool {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<bool>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_bool(*value),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<bool>, D::Error> {
        deserializer.deserialize_any(LenientBoolVisitor)
    }
}

/// Serde helpers for a required lenient boolean (use with `default` to read an absent value as
/// `false`). Encodes as a JSON boolean.
pub(crate) mod lenient_bool {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(*value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<bool, D::Error> {
        Ok(deserializer
            .deserialize_any(LenientBoolVisitor)?
            .unwrap_or(false))
    }
}

/// Serde helpers for a list of strings sent in a query string as one comma-separated value
/// (`id=a,b,c`). Decodes from that form or from a sequence of strings. Use with `default` and
/// `skip_serializing_if = "Vec::is_empty"`.
pub(crate) mod comma_list {
    use super::*;
    use serde::de::SeqAccess;

    pub(crate) fn serialize<S: Serializer>(
        values: &[String],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&values.join(","))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<String>, D::Error> {
        struct ListVisitor;

        impl<'de> Visitor<'de> for ListVisitor {
            type Value = Vec<String>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a comma-separated string or a list of strings")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
                Ok(value
                    .split(',')
                    .map(str::trim)
                    .filter(|part| !part.is_empty())
                    .map(str::to_owned)
                    .collect())
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut values = Vec::new();
                while let Some(value) = seq.next_element::<String>()? {
                    values.push(value);
                }
                Ok(values)
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }

            fn visit_some<D: Deserializer<'de>>(
                self,
                deserializer: D,
            ) -> Result<Self::Value, D::Error> {
                deserializer.deserialize_any(ListVisitor)
            }
        }

        deserializer.deserialize_any(ListVisitor)
    }
}

/// Serde helper: reads `null` as the type's default (an empty list, ...), for fields that are
/// never absent in our model but that a server may send as `null`.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Ok(<Option<T> as serde::Deserialize>::deserialize(deserializer)?.unwrap_or_default())
}
