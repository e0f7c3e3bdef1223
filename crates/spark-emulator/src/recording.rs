//! Meeting recordings with their files: what the store keeps, the details the Recordings API
//! answers with, and the recording's `temporaryDirectDownloadLinks`, which point at the emulator
//! itself (`/v1/recordings/{id}/download/{kind}`, see `routes::recordings`) and expire three
//! hours after the call that gave them, as Webex's do.
//!
//! Recordings are added with [`Emulator::add_recording`]; no meeting of the emulator ever runs,
//! so none is recorded on its own. They belong to the caller the emulator started with (Ada
//! Lovelace): others get 404. They are not kept in state files.

use std::collections::BTreeMap;

use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use crate::meeting::SITE_URL;
use crate::meeting_time::format;
use crate::server::Emulator;

/// How long a download link stays valid after the call that gave it.
const LINK_LIFETIME_HOURS: i64 = 3;

/// The file a download link names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FileKind {
    /// The recording itself (MP4).
    Recording,
    /// Its audio alone (MP3).
    Audio,
    /// Its transcript (WebVTT).
    Transcript,
}

impl FileKind {
    /// Every kind, in the order of the answer's fields.
    pub(crate) const ALL: [FileKind; 3] =
        [FileKind::Recording, FileKind::Audio, FileKind::Transcript];

    /// The kind named by the last segment of a download link.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == text)
    }

    /// The name in the download link's path.
    fn name(self) -> &'static str {
        match self {
            FileKind::Recording => "recording",
            FileKind::Audio => "audio",
            FileKind::Transcript => "transcript",
        }
    }

    /// The field of `temporaryDirectDownloadLinks` that holds the link.
    pub(crate) fn link_field(self) -> &'static str {
        match self {
            FileKind::Recording => "recordingDownloadLink",
            FileKind::Audio => "audioDownloadLink",
            FileKind::Transcript => "transcriptDownloadLink",
        }
    }

    /// The download link of this kind of file of recording `id`, under `base`
    /// (`http://host:port/v1`).
    pub(crate) fn link(self, base: &str, id: &str) -> String {
        format!("{base}/recordings/{id}/download/{}", self.name())
    }

    /// The file name's extension and the media type the download is served with.
    pub(crate) fn extension_and_type(self) -> (&'static str, &'static str) {
        match self {
            FileKind::Recording => ("mp4", "video/mp4"),
            FileKind::Audio => ("mp3", "audio/mpeg"),
            FileKind::Transcript => ("vtt", "text/vtt"),
        }
    }
}

/// A recording to add with [`Emulator::add_recording`]: its topic and the bytes its download
/// links serve (the recording's always; the audio and the transcript when given).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use spark_emulator::{Emulator, NewRecording};
///
/// let emulator = Emulator::start().await?;
/// let id = emulator.add_recording(
///     NewRecording::new("Design review", b"\x00\x00\x00\x18ftypmp42".to_vec())
///         .transcript("WEBVTT\n\n00:00.000 --> 00:02.000\nHello.\n"),
/// );
/// // GET /v1/recordings/{id} answers with links to /v1/recordings/{id}/download/...
/// # let _ = id;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct NewRecording {
    topic: String,
    recording: Bytes,
    audio: Option<Bytes>,
    transcript: Option<Bytes>,
}

impl NewRecording {
    /// A recording of a meeting called `topic`, whose recording link serves `recording`.
    pub fn new(topic: impl Into<String>, recording: impl Into<Bytes>) -> Self {
        Self {
            topic: topic.into(),
            recording: recording.into(),
            audio: None,
            transcript: None,
        }
    }

    /// Gives it an audio link serving `audio`.
    pub fn audio(mut self, audio: impl Into<Bytes>) -> Self {
        self.audio = Some(audio.into());
        self
    }

    /// Gives it a transcript link serving `transcript`.
    pub fn transcript(mut self, transcript: impl Into<Bytes>) -> Self {
        self.transcript = Some(transcript.into());
        self
    }
}

/// A stored recording.
#[derive(Debug, Clone)]
pub(crate) struct Recording {
    pub(crate) id: String,
    topic: String,
    /// The person id of its host.
    pub(crate) host_id: String,
    created: DateTime<Utc>,
    files: BTreeMap<FileKind, Bytes>,
}

impl Recording {
    /// The bytes a download link of this kind serves, if the recording has one.
    pub(crate) fn file(&self, kind: FileKind) -> Option<&Bytes> {
        self.files.get(&kind)
    }

    /// The file name a download of this kind is served under: the topic and the kind's
    /// extension.
    pub(crate) fn file_name(&self, kind: FileKind) -> String {
        format!("{}.{}", self.topic, kind.extension_and_type().0)
    }

    /// The details, as `GET /recordings/{id}` answers them, with download links under `base`
    /// (`http://host:port/v1`) valid from `now` for three hours.
    pub(crate) fn details(&self, base: &str, now: DateTime<Utc>) -> Value {
        let mut links = Map::new();
        for kind in self.files.keys() {
            links.insert(
                kind.link_field().to_owned(),
                Value::String(kind.link(base, &self.id)),
            );
        }
        links.insert(
            "expiration".to_owned(),
            Value::String(format(now + Duration::hours(LINK_LIFETIME_HOURS))),
        );
        let site_page = |page: &str| format!("https://{SITE_URL}/example/{page}?RCID={}", self.id);
        json!({
            "id": self.id,
            "topic": self.topic,
            "createTime": format(self.created),
            "timeRecorded": format(self.created),
            "siteUrl": SITE_URL,
            "downloadUrl": site_page("lsr.php"),
            "playbackUrl": site_page("ldr.php"),
            "password": "********",
            "temporaryDirectDownloadLinks": links,
            "format": "MP4",
            "serviceType": "MeetingCenter",
            "durationSeconds": 0,
            "sizeBytes": self.files.get(&FileKind::Recording).map_or(0, Bytes::len),
            "shareToMe": false,
            "integrationTags": [],
            "status": "available",
        })
    }
}

/// The recordings, by id.
#[derive(Debug, Default)]
pub(crate) struct Recordings {
    by_id: BTreeMap<String, Recording>,
}

impl Recordings {
    /// The recording with this id.
    pub(crate) fn get(&self, id: &str) -> Option<&Recording> {
        self.by_id.get(id)
    }

    /// Removes a recording; whether there was one.
    pub(crate) fn remove(&mut self, id: &str) -> bool {
        self.by_id.remove(id).is_some()
    }

    /// Forgets every recording.
    pub(crate) fn clear(&mut self) {
        self.by_id.clear();
    }
}

impl Emulator {
    /// Adds a recording hosted by the caller the emulator started with, and returns its id (32
    /// hex digits, like Webex's). `GET /v1/recordings/{id}` then answers its details, whose
    /// `temporaryDirectDownloadLinks` point at this emulator and serve the bytes given; the
    /// other operations of the Recordings API still answer from the spec's examples.
    pub fn add_recording(&self, recording: NewRecording) -> String {
        let mut state = self.shared.state();
        let id = state.random.uuid().replace('-', "");
        let mut files = BTreeMap::new();
        files.insert(FileKind::Recording, recording.recording);
        if let Some(audio) = recording.audio {
            files.insert(FileKind::Audio, audio);
        }
        if let Some(transcript) = recording.transcript {
            files.insert(FileKind::Transcript, transcript);
        }
        let stored = Recording {
            id: id.clone(),
            topic: recording.topic,
            host_id: state.caller_id.clone(),
            created: crate::state::now(),
            files,
        };
        state.recordings.by_id.insert(id.clone(), stored);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_link_each_file_to_the_emulator_with_an_expiry() {
        let created = crate::meeting_time::parse("2030-01-01T10:00:00Z").unwrap();
        let recording = Recording {
            id: "abc".to_owned(),
            topic: "Review".to_owned(),
            host_id: "P".to_owned(),
            created,
            files: BTreeMap::from([
                (FileKind::Recording, Bytes::from_static(b"mp4")),
                (FileKind::Transcript, Bytes::from_static(b"WEBVTT")),
            ]),
        };
        let details = recording.details("http://127.0.0.1:9/v1", created);
        let links = &details["temporaryDirectDownloadLinks"];
        assert_eq!(
            links["recordingDownloadLink"],
            "http://127.0.0.1:9/v1/recordings/abc/download/recording"
        );
        assert_eq!(
            links["transcriptDownloadLink"],
            "http://127.0.0.1:9/v1/recordings/abc/download/transcript"
        );
        assert!(links.get("audioDownloadLink").is_none());
        assert_eq!(links["expiration"], "2030-01-01T13:00:00Z");
        assert_eq!(details["sizeBytes"], 3);
        assert_eq!(recording.file_name(FileKind::Transcript), "Review.vtt");
        assert_eq!(FileKind::parse("audio"), Some(FileKind::Audio));
        assert_eq!(FileKind::parse("video"), None);
    }
}
