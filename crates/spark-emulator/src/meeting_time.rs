//! The times of meetings: reading the ISO 8601 forms the Meetings API takes, rounding to the
//! minute as it does, and writing them back.
//!
//! A time with an offset (`2020-05-15T20:30:00-08:00`, `...Z`) is that instant; a time without one
//! (`2019-11-01 20:00:00`, `2019-11-01T20:00`) and a bare date (`2024-10-01`, midnight) are read
//! as UTC: the emulator has no time zone database, so the `timezone` field of a meeting is kept
//! and echoed but never applied. Answers give every time in UTC (`2019-11-01T12:00:00Z`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};

use crate::errors::{Failure, Outcome};

/// The forms of a time with an offset, besides RFC 3339.
const WITH_OFFSET: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"];

/// The forms of a time without an offset.
const WITHOUT_OFFSET: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];

/// Reads a time in any of the forms the API takes; `None` if it is none of them.
pub(crate) fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for format in WITH_OFFSET {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Some(at.with_timezone(&Utc));
        }
    }
    for format in WITHOUT_OFFSET {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at.and_utc());
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
}

/// Reads the time a field or parameter names; 400 naming it if it is not one.
pub(crate) fn parse_field(text: &str, name: &str) -> Outcome<DateTime<Utc>> {
    parse(text).ok_or_else(|| {
        Failure::bad_request(format!(
            "{name} is not a valid ISO 8601 date and time: `{text}`."
        ))
    })
}

/// Strips the seconds and fractions off a time.
pub(crate) fn to_minute(at: DateTime<Utc>) -> DateTime<Utc> {
    at.with_second(0)
        .and_then(|at| at.with_nanosecond(0))
        .unwrap_or(at)
}

/// The start of a meeting as the API keeps it: within the current minute it moves to the next
/// one, otherwise its seconds are stripped.
pub(crate) fn round_start(start: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let minute = to_minute(start);
    if minute == to_minute(now) {
        minute + chrono::Duration::minutes(1)
    } else {
        minute
    }
}

/// A time as answers give it: `2019-11-01T12:00:00Z`.
pub(crate) fn format(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A time as scheduled meeting ids carry it: `20191101T120000Z`.
pub(crate) fn compact(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_the_api_takes() {
        let expected = parse("2019-11-01T12:00:00Z").unwrap();
        for text in [
            "2019-11-01T20:00:00+08:00",
            "2019-11-01T12:00:00.000Z",
            "2019-11-01 12:00:00",
            "2019-11-01T12:00",
            "2019-11-01T20:00:00+0800",
        ] {
            assert_eq!(parse(text), Some(expected), "{text}");
        }
        assert_eq!(format(parse("2024-10-01").unwrap()), "2024-10-01T00:00:00Z");
        assert_eq!(parse("tomorrow"), None);
        assert_eq!(compact(expected), "20191101T120000Z");
    }

    #[test]
    fn starts_round_to_the_minute() {
        let now = parse("2022-03-01T10:32:16.657Z").unwrap();
        let same_minute = parse("2022-03-01T10:32:41Z").unwrap();
        let later = parse("2022-03-01T11:32:28.076Z").unwrap();
        assert_eq!(
            format(round_start(same_minute, now)),
            "2022-03-01T10:33:00Z"
        );
        assert_eq!(format(round_start(later, now)), "2022-03-01T11:32:00Z");
    }
}
