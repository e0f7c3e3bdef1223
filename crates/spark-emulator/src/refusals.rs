//! The refusals live Webex makes where a kinder server would answer: each is on by default, as
//! Webex does it, and each can be switched off ([`Emulator::set_refusals`](crate::Emulator::set_refusals),
//! [`EmulatorBuilder::refusals`](crate::EmulatorBuilder::refusals), or `PUT /_emulator/refusals`).
//!
//! | switch | what live Webex does | source |
//! | --- | --- | --- |
//! | `bot_needs_mention` | a bot listing a group room's messages without `mentionedPeople=me` gets 403 `Failed to get activity.`; a bot's webhook fires for a group room's message only when the message mentions it | the `mentionedPeople` parameter of the spec's "List Messages"; WebexCommunity/WebexPythonSDK#235; DESIGN.md §4 (bots in group rooms see only messages that mention them) |
//! | `file_scan` | a file is scanned after upload: its content URL answers 423 with `Retry-After` while that lasts, 428 for a file that cannot be scanned (unless `?allow=unscannable`), 410 for an infected one | DESIGN.md §1 (423, 428); webex/webex-js-sdk#1401 (423 while scanning, 410 for infected files) |
//! | `team_move` | `PUT /rooms/{id}` naming a team other than the room's answers 400 `Currently moving room under another team is not supported in Developer API.` | WebexCommunity/webex-node-bot-framework#39 |
//! | `text_limits` | `text` and `markdown` over 7439 bytes each answer 400 | DESIGN.md §1 (text limits) |

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How long a file is scanned after its upload unless set otherwise: 2 s.
pub const DEFAULT_SCAN_TIME: Duration = Duration::from_secs(2);

/// The refusals in force. [`Refusals::default`] is live Webex (all on); [`Refusals::none`] is a
/// kind server (all off).
///
/// ```
/// use std::time::Duration;
/// use spark_emulator::Refusals;
///
/// // Live Webex, but files are scanned at once (a download right after the upload works).
/// let refusals = Refusals::default().scan_time(Duration::ZERO);
/// assert!(refusals.bot_needs_mention);
/// assert!(!Refusals::none().file_scan);
/// ```
///
/// As JSON (the control API's `/_emulator/refusals`), in camelCase, the scan time in seconds:
/// `{"botNeedsMention": true, "fileScan": true, "scanSeconds": 2.0, "teamMove": true,
/// "textLimits": true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Refusals {
    /// Bots see a group room's messages only where they are mentioned: listing without
    /// `mentionedPeople=me` is 403, and their webhooks fire only on mentions.
    pub bot_needs_mention: bool,
    /// Files are scanned after upload (423 while scanning, then 428 or 410 for files marked so).
    pub file_scan: bool,
    /// How long the scan of a new file lasts.
    #[serde(rename = "scanSeconds", with = "seconds")]
    pub scan_time: Duration,
    /// `PUT /rooms/{id}` naming another team answers 400.
    pub team_move: bool,
    /// `text` and `markdown` over 7439 bytes answer 400.
    pub text_limits: bool,
}

impl Default for Refusals {
    fn default() -> Self {
        Self {
            bot_needs_mention: true,
            file_scan: true,
            scan_time: DEFAULT_SCAN_TIME,
            team_move: true,
            text_limits: true,
        }
    }
}

impl Refusals {
    /// Every refusal off: the emulator answers what a kind server would.
    pub fn none() -> Self {
        Self {
            bot_needs_mention: false,
            file_scan: false,
            scan_time: Duration::ZERO,
            team_move: false,
            text_limits: false,
        }
    }

    /// Turns the bot mention rule on or off.
    #[must_use]
    pub fn bot_needs_mention(mut self, enabled: bool) -> Self {
        self.bot_needs_mention = enabled;
        self
    }

    /// Turns file scanning on or off.
    #[must_use]
    pub fn file_scan(mut self, enabled: bool) -> Self {
        self.file_scan = enabled;
        self
    }

    /// Sets how long the scan of a new file lasts (zero: files are ready at once, though files
    /// marked unscannable or infected are still refused).
    #[must_use]
    pub fn scan_time(mut self, scan_time: Duration) -> Self {
        self.scan_time = scan_time;
        self
    }

    /// Turns the team-move refusal on or off.
    #[must_use]
    pub fn team_move(mut self, enabled: bool) -> Self {
        self.team_move = enabled;
        self
    }

    /// Turns the text length limits on or off.
    #[must_use]
    pub fn text_limits(mut self, enabled: bool) -> Self {
        self.text_limits = enabled;
        self
    }
}

/// A [`Duration`] as a number of seconds (fractions allowed; negative or not finite is refused).
mod seconds {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        value: &Duration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(value.as_secs_f64())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Duration, D::Error> {
        let secs = f64::deserialize(deserializer)?;
        Duration::try_from_secs_f64(secs)
            .map_err(|_| serde::de::Error::custom("seconds must be a finite, non-negative number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trips_and_refuses_unknown_switches() {
        let refusals = Refusals::default().scan_time(Duration::from_millis(1500));
        let json = serde_json::to_value(&refusals).unwrap();
        assert_eq!(json["scanSeconds"], 1.5);
        assert_eq!(serde_json::from_value::<Refusals>(json).unwrap(), refusals);
        assert!(serde_json::from_str::<Refusals>(r#"{"nope": true}"#).is_err());
        assert!(serde_json::from_str::<Refusals>(r#"{"scanSeconds": -1}"#).is_err());
    }
}
