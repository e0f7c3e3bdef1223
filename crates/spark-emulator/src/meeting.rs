//! Meetings and their invitees: what the store keeps, the JSON the Meetings API answers with, and
//! the join details (meeting number, web link, SIP address) derived from a meeting's id.
//!
//! A meeting is kept as a meeting series (ids of 32 hex digits, like Webex's). Each series has one
//! scheduled meeting, its first occurrence, with the id `<seriesId>_<start>` (`..._20191101T120000Z`):
//! the occurrences of a recurring series are not expanded, and no meeting ever runs, so there are
//! no meeting instances. The meeting number, web link, SIP address and host key are derived from
//! the series id alone, so they are the same on every read and after every update.
//!
//! States, from the clock: a series is `active`, or `expired` once a meeting without recurrence
//! has ended; its scheduled meeting is `scheduled` before its start, `ready` from its start to its
//! end and `missed` after.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::errors::{Failure, Outcome};
use crate::meeting_time::{compact, format};
use crate::state::{HasId, Table};

/// The Webex Meetings site of the emulator.
pub(crate) const SITE_URL: &str = "example.webex.com";

/// The site's short name, in its join links.
const SITE_NAME: &str = "example";

/// The settings a meeting takes and answers with, and their values when not given.
fn default_options() -> Map<String, Value> {
    let defaults = json!({
        "enabledAutoRecordMeeting": false,
        "allowAnyUserToBeCoHost": false,
        "enabledJoinBeforeHost": false,
        "enableConnectAudioBeforeHost": false,
        "joinBeforeHostMinutes": 0,
        "excludePassword": false,
        "publicMeeting": false,
        "reminderTime": 10,
        "unlockedMeetingJoinSecurity": "allowJoin",
        "sessionTypeId": 3,
        "scheduledType": "meeting",
        "enableAutomaticLock": false,
        "automaticLockMinutes": 0,
        "allowFirstUserToBeCoHost": false,
        "allowAuthenticatedDevices": false,
        "enabledBreakoutSessions": false,
        "enabledAudioWatermark": false,
        "enabledVisualWatermark": false,
        "enabledLiveStream": false,
        "requireAttendeeLogin": false,
        "restrictToInvitees": false,
    });
    match defaults {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Settings kept and answered as given (objects and lists), absent unless given; `null` in a
/// PATCH removes them.
const FREE_OPTIONS: [&str; 12] = [
    "meetingOptions",
    "attendeePrivileges",
    "registration",
    "integrationTags",
    "simultaneousInterpretation",
    "breakoutSessions",
    "trackingCodes",
    "audioConnectionOptions",
    "liveStream",
    "visualWatermarkOpacity",
    "enabledWebcastView",
    "panelistPassword",
];

/// The values `scheduledType` takes.
const SCHEDULED_TYPES: [&str; 3] = ["meeting", "webinar", "personalRoomMeeting"];

/// A meeting series.
#[derive(Debug, Clone)]
pub(crate) struct Meeting {
    pub(crate) id: String,
    pub(crate) host_id: String,
    pub(crate) host_email: String,
    pub(crate) host_display_name: String,
    pub(crate) title: String,
    pub(crate) agenda: Option<String>,
    pub(crate) password: String,
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
    pub(crate) timezone: String,
    pub(crate) recurrence: Option<String>,
    /// The settings (see [`default_options`] and [`FREE_OPTIONS`]).
    pub(crate) options: Map<String, Value>,
}

impl HasId for Meeting {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Which object an id names: the series, or its scheduled meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    Series,
    Scheduled,
}

impl Meeting {
    /// The settings when none is given.
    pub(crate) fn default_options() -> Map<String, Value> {
        default_options()
    }

    /// Sets the settings `body` gives (checking their types); with `replace`, the ones it does
    /// not give go back to their defaults (PUT), otherwise they stay (POST on a fresh meeting,
    /// PATCH).
    pub(crate) fn apply_options(
        &mut self,
        body: &Map<String, Value>,
        replace: bool,
    ) -> Outcome<()> {
        let defaults = default_options();
        if replace {
            self.options = defaults.clone();
        }
        for (name, default) in &defaults {
            let Some(value) = body.get(name) else {
                continue;
            };
            let same_kind = matches!(
                (default, value),
                (Value::Bool(_), Value::Bool(_))
                    | (Value::Number(_), Value::Number(_))
                    | (Value::String(_), Value::String(_))
            );
            if !same_kind {
                return Err(Failure::bad_request(format!(
                    "{name} must be a {}.",
                    kind_of(default)
                )));
            }
            self.options.insert(name.clone(), value.clone());
        }
        let scheduled_type = self.options.get("scheduledType").and_then(Value::as_str);
        if scheduled_type.is_some_and(|kind| !SCHEDULED_TYPES.contains(&kind)) {
            return Err(Failure::bad_request(format!(
                "scheduledType must be one of {}.",
                SCHEDULED_TYPES.join(", ")
            )));
        }
        for name in FREE_OPTIONS {
            match body.get(name) {
                Some(Value::Null) => {
                    self.options.remove(name);
                }
                Some(value) => {
                    self.options.insert(name.to_owned(), value.clone());
                }
                None if replace => {
                    self.options.remove(name);
                }
                None => {}
            }
        }
        Ok(())
    }

    /// The id of the series' scheduled meeting.
    pub(crate) fn scheduled_id(&self) -> String {
        format!("{}_{}", self.id, compact(self.start))
    }

    /// The state of the series.
    pub(crate) fn series_state(&self, now: DateTime<Utc>) -> &'static str {
        if self.recurrence.is_none() && now >= self.end {
            "expired"
        } else {
            "active"
        }
    }

    /// The state of the scheduled meeting.
    pub(crate) fn scheduled_state(&self, now: DateTime<Utc>) -> &'static str {
        if now < self.start {
            "scheduled"
        } else if now < self.end {
            "ready"
        } else {
            "missed"
        }
    }

    /// The state of the object `view` names.
    pub(crate) fn state(&self, view: View, now: DateTime<Utc>) -> &'static str {
        match view {
            View::Series => self.series_state(now),
            View::Scheduled => self.scheduled_state(now),
        }
    }

    /// The meeting as the API answers it: the series, or its scheduled meeting.
    pub(crate) fn to_json(&self, view: View, now: DateTime<Utc>) -> Value {
        let mut out = self.options.clone();
        let number = meeting_number(&self.id);
        let mut put = |name: &str, value: Value| {
            out.insert(name.to_owned(), value);
        };
        match view {
            View::Series => {
                put("id", json!(self.id));
                put("meetingType", json!("meetingSeries"));
            }
            View::Scheduled => {
                put("id", json!(self.scheduled_id()));
                put("meetingSeriesId", json!(self.id));
                put("meetingType", json!("scheduledMeeting"));
                put("isModified", json!(false));
                put("hostDidJoin", json!(false));
                put("attendeeDidJoin", json!(false));
            }
        }
        put("state", json!(self.state(view, now)));
        put("meetingNumber", json!(number));
        put("title", json!(self.title));
        if let Some(agenda) = &self.agenda {
            put("agenda", json!(agenda));
        }
        put("password", json!(self.password));
        put(
            "phoneAndVideoSystemPassword",
            json!(format!("{:08}", digest(&self.id, 5) % 100_000_000)),
        );
        put("timezone", json!(self.timezone));
        put("start", json!(format(self.start)));
        put("end", json!(format(self.end)));
        if let Some(recurrence) = &self.recurrence {
            put("recurrence", json!(recurrence));
        }
        put("hostUserId", json!(self.host_id));
        put("hostDisplayName", json!(self.host_display_name));
        put("hostEmail", json!(self.host_email));
        put(
            "hostKey",
            json!(format!("{:06}", digest(&self.id, 4) % 1_000_000)),
        );
        put("siteUrl", json!(SITE_URL));
        put("webLink", json!(web_link(&self.id)));
        put("sipAddress", json!(sip_address(&self.id)));
        put(
            "telephony",
            json!({
                "accessCode": number,
                "callInNumbers": [{
                    "label": "United States Toll",
                    "callInNumber": "+1-415-555-0100",
                    "tollType": "toll"
                }]
            }),
        );
        Value::Object(out)
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        _ => "string",
    }
}

/// A 64-bit digest of an id (FNV-1a, then mixed), one per `salt`.
fn digest(id: &str, salt: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for byte in id.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    hash ^ (hash >> 31)
}

/// The meeting number of a series: 10 digits, derived from its id.
pub(crate) fn meeting_number(id: &str) -> String {
    format!("25{:08}", digest(id, 1) % 100_000_000)
}

/// The join link of a series, derived from its id.
pub(crate) fn web_link(id: &str) -> String {
    format!(
        "https://{SITE_URL}/{SITE_NAME}/j.php?MTID=m{:016x}{:016x}",
        digest(id, 2),
        digest(id, 3)
    )
}

/// The SIP address of a series: its meeting number at the site.
pub(crate) fn sip_address(id: &str) -> String {
    format!("{}@{SITE_URL}", meeting_number(id))
}

/// A person invited to a meeting, as the API answers it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Invitee {
    pub(crate) id: String,
    pub(crate) email: String,
    pub(crate) display_name: String,
    pub(crate) co_host: bool,
    pub(crate) meeting_id: String,
    pub(crate) panelist: bool,
}

impl HasId for Invitee {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Every meeting series and invitee.
#[derive(Debug, Default)]
pub(crate) struct Meetings {
    pub(crate) series: Table<Meeting>,
    pub(crate) invitees: Table<Invitee>,
    invited: u64,
}

impl Meetings {
    /// The series an id names (the series' own, or its scheduled meeting's), and which of the two.
    pub(crate) fn find(&self, id: &str) -> Option<(&Meeting, View)> {
        if let Some(meeting) = self.series.get(id) {
            return Some((meeting, View::Series));
        }
        let (series, _) = id.split_once('_')?;
        let meeting = self.series.get(series)?;
        (meeting.scheduled_id() == id).then_some((meeting, View::Scheduled))
    }

    /// A fresh invitee id of a meeting: `<meetingId>_<n>`.
    pub(crate) fn invitee_id(&mut self, meeting_id: &str) -> String {
        self.invited += 1;
        format!("{meeting_id}_{}", 2_628_956 + self.invited)
    }

    /// The invitee of a meeting with this email (any case).
    pub(crate) fn invitee_by_email(&self, meeting_id: &str, email: &str) -> Option<&Invitee> {
        self.invitees
            .iter()
            .map(|(_, invitee)| invitee)
            .find(|invitee| {
                invitee.meeting_id == meeting_id && invitee.email.eq_ignore_ascii_case(email)
            })
    }

    /// Removes a series and its invitees.
    pub(crate) fn remove(&mut self, id: &str) {
        self.series.remove(id);
        self.invitees.retain(|invitee| invitee.meeting_id != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_details_depend_on_the_id_only() {
        let id = "870f51ff287b41be84648412901e0402";
        assert_eq!(meeting_number(id), meeting_number(id));
        assert_eq!(meeting_number(id).len(), 10);
        assert_ne!(
            meeting_number(id),
            meeting_number("970f51ff287b41be84648412901e0402")
        );
        assert!(web_link(id).starts_with("https://example.webex.com/example/j.php?MTID=m"));
        assert_eq!(
            sip_address(id),
            format!("{}@example.webex.com", meeting_number(id))
        );
    }
}
