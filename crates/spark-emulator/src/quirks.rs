//! Quirks: what live Webex has been seen to send that a well-behaved server would not, each off
//! by default and switched on to test a client's handling of it ([`Emulator::set_quirks`](crate::Emulator::set_quirks),
//! [`EmulatorBuilder::quirks`](crate::EmulatorBuilder::quirks), or `PUT /_emulator/quirks`).
//!
//! | switch | what the answers then carry | source |
//! | --- | --- | --- |
//! | `drop_filters_in_next_links` | next links without the caller's own query parameters (`roomId`, `mentionedPeople`, ...), only `max` and the cursor | DESIGN.md §1 (pagination quirks) |
//! | `empty_page_mid_list` | before each page after the first, a page of no items whose next link leads on | issue 14 (an empty page in the middle of a list) |
//! | `absent_fields` | people without `displayName` and `emails`, messages without `personEmail`, rooms without `title`: `null`, or missing altogether | issue 14 (optional fields null or missing) |
//! | `unknown_enum_values` | people, rooms and messages with `type` / `roomType` / `status` values no client knows yet | issue 14 (unknown enum values) |
//! | `new_fields` | every person, room and message with a field no client knows yet | issue 14 (new fields) |
//!
//! `max=null` in next links is a fault: [`Faults::null_max_in_next_links`](crate::Faults::null_max_in_next_links).

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids;
use crate::routes::Reply;

/// How a quirk leaves out an optional field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Absence {
    /// The field is there, with `null`.
    Null,
    /// The field is not there at all.
    Missing,
}

/// The quirks in force; all off by default.
///
/// ```
/// use spark_emulator::{Absence, Quirks};
///
/// let quirks = Quirks::none()
///     .drop_filters_in_next_links(true)
///     .absent_fields(Some(Absence::Null));
/// assert!(quirks.drop_filters_in_next_links);
/// ```
///
/// As JSON (the control API's `/_emulator/quirks`): `{"dropFiltersInNextLinks": false,
/// "emptyPageMidList": false, "absentFields": null, "unknownEnumValues": false, "newFields":
/// false}`, with `absentFields` one of `null`, `"null"` or `"missing"`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Quirks {
    /// Next links drop the caller's own query parameters.
    pub drop_filters_in_next_links: bool,
    /// An empty page comes before each page after the first.
    pub empty_page_mid_list: bool,
    /// Optional fields (a person's `displayName` and `emails`, a message's `personEmail`, a
    /// room's `title`) are null or missing.
    pub absent_fields: Option<Absence>,
    /// `type`, `roomType` and `status` carry values no client knows.
    pub unknown_enum_values: bool,
    /// Answers carry a field no client knows.
    pub new_fields: bool,
}

/// The name of the field the `new_fields` quirk adds.
pub const NEW_FIELD: &str = "addedInAFutureVersion";

/// The value the `unknown_enum_values` quirk gives to enumerations.
pub const UNKNOWN_ENUM_VALUE: &str = "notKnownYet";

impl Quirks {
    /// No quirk (the default).
    pub fn none() -> Self {
        Self::default()
    }

    /// Next links drop the caller's filters (or stop).
    #[must_use]
    pub fn drop_filters_in_next_links(mut self, enabled: bool) -> Self {
        self.drop_filters_in_next_links = enabled;
        self
    }

    /// An empty page before each page after the first (or not).
    #[must_use]
    pub fn empty_page_mid_list(mut self, enabled: bool) -> Self {
        self.empty_page_mid_list = enabled;
        self
    }

    /// Leaves optional fields out this way (or, with `None`, not at all).
    #[must_use]
    pub fn absent_fields(mut self, absence: Option<Absence>) -> Self {
        self.absent_fields = absence;
        self
    }

    /// Unknown enumeration values (or not).
    #[must_use]
    pub fn unknown_enum_values(mut self, enabled: bool) -> Self {
        self.unknown_enum_values = enabled;
        self
    }

    /// A new field in every person, room and message (or not).
    #[must_use]
    pub fn new_fields(mut self, enabled: bool) -> Self {
        self.new_fields = enabled;
        self
    }

    /// Whether the answer bodies are rewritten.
    pub(crate) fn rewrites_bodies(&self) -> bool {
        self.absent_fields.is_some() || self.unknown_enum_values || self.new_fields
    }

    /// Rewrites a successful JSON answer of the API (not a downloaded file) as the quirks say.
    pub(crate) fn rewrite_reply(&self, mut reply: Reply) -> Reply {
        let is_api_json = reply.headers.iter().any(|(name, value)| {
            *name == "content-type" && value.as_str() == crate::routes::JSON_CONTENT_TYPE
        });
        if self.rewrites_bodies() && reply.status.is_success() && is_api_json {
            if let Some(body) = self.rewrite(&reply.body) {
                reply.body = Bytes::from(body);
            }
        }
        reply
    }

    /// Rewrites a JSON answer body (one resource, or a list of them) as the quirks say; a body
    /// that is not JSON is given back as it is.
    pub(crate) fn rewrite(&self, body: &[u8]) -> Option<Vec<u8>> {
        let mut value: Value = serde_json::from_slice(body).ok()?;
        match value.get_mut("items") {
            Some(Value::Array(items)) => items.iter_mut().for_each(|item| self.rewrite_one(item)),
            _ => self.rewrite_one(&mut value),
        }
        serde_json::to_vec(&value).ok()
    }

    fn rewrite_one(&self, value: &mut Value) {
        let Some(object) = value.as_object_mut() else {
            return;
        };
        let Some(kind) = object.get("id").and_then(Value::as_str).and_then(kind_of) else {
            return;
        };
        let (absent, enums): (&[&str], &[&str]) = match kind.as_str() {
            "PEOPLE" => (&["displayName", "emails"], &["type", "status"]),
            "MESSAGE" => (&["personEmail"], &["roomType"]),
            "ROOM" => (&["title"], &["type"]),
            _ => return,
        };
        match self.absent_fields {
            Some(Absence::Null) => absent.iter().for_each(|field| {
                object.insert((*field).to_owned(), Value::Null);
            }),
            Some(Absence::Missing) => absent.iter().for_each(|field| {
                object.remove(*field);
            }),
            None => {}
        }
        if self.unknown_enum_values {
            for field in enums {
                if object.contains_key(*field) {
                    object.insert((*field).to_owned(), UNKNOWN_ENUM_VALUE.into());
                }
            }
        }
        if self.new_fields {
            object.insert(
                NEW_FIELD.to_owned(),
                serde_json::json!({"note": "a field this client does not know", "level": 1}),
            );
        }
    }
}

/// The kind of a Webex id (`PEOPLE`, `ROOM`, ...): base64 of `ciscospark://<cluster>/<KIND>/...`.
fn kind_of(id: &str) -> Option<String> {
    let decoded = String::from_utf8(ids::decode(id)?).ok()?;
    let rest = decoded.strip_prefix("ciscospark://")?;
    rest.split('/').nth(1).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_fields_and_unknown_values() {
        let person_id = ids::encode(b"ciscospark://us/PEOPLE/1");
        let body = serde_json::json!({"items": [
            {"id": person_id, "displayName": "Ada", "emails": ["a@b"], "type": "person"},
            {"id": "not base64 !", "displayName": "kept"},
        ]});
        let quirks = Quirks::none()
            .absent_fields(Some(Absence::Missing))
            .unknown_enum_values(true)
            .new_fields(true);
        let out: Value =
            serde_json::from_slice(&quirks.rewrite(&serde_json::to_vec(&body).unwrap()).unwrap())
                .unwrap();
        let person = &out["items"][0];
        assert!(person.get("displayName").is_none() && person.get("emails").is_none());
        assert_eq!(person["type"], UNKNOWN_ENUM_VALUE);
        assert!(person.get(NEW_FIELD).is_some());
        assert_eq!(out["items"][1]["displayName"], "kept");
    }
}
