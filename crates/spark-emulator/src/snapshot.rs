//! State files: the whole store as JSON, saved when the binary stops and loaded when it starts
//! (`spark-emulator --state FILE`), so a developer keeps a sandbox between runs
//! ([`Emulator::save_state`](crate::Emulator::save_state),
//! [`EmulatorBuilder::state`](crate::EmulatorBuilder::state)).
//!
//! The file holds every resource, the files' bytes (base64), the tokens with their expiry (Unix
//! seconds) and the OAuth client: it is as secret as the tokens, and is written readable by its
//! owner only (on Unix). Files come back scanned, with their verdict; switches (faults, refusals,
//! quirks) and the request log are not kept.

use std::collections::HashMap;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use spark_model::{
    AttachmentAction, Event, Membership, Message, Person, Room, RoomTab, Team, TeamMembership,
    Webhook,
};

use crate::auth::{SavedTokens, Tokens};
use crate::ids::{self, Random};
use crate::scan::{Scan, ScanVerdict};
use crate::state::{HasId, State, StoredFile, Table};

/// The version of the file's layout.
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SavedFile {
    id: String,
    file_name: String,
    content_type: String,
    /// URL-safe base64, no padding.
    bytes: String,
    room_id: String,
    verdict: ScanVerdict,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    version: u32,
    seq: u64,
    org_id: String,
    caller_id: String,
    caller_token: String,
    caller_refresh_token: String,
    people: Vec<(u64, Person)>,
    rooms: Vec<(u64, Room)>,
    memberships: Vec<(u64, Membership)>,
    messages: Vec<(u64, Message)>,
    teams: Vec<(u64, Team)>,
    team_memberships: Vec<(u64, TeamMembership)>,
    general_rooms: HashMap<String, String>,
    webhooks: Vec<(u64, Webhook)>,
    attachment_actions: Vec<(u64, AttachmentAction)>,
    events: Vec<(u64, Event)>,
    tabs: Vec<(u64, RoomTab)>,
    files: Vec<SavedFile>,
    tokens: SavedTokens,
}

fn rows<T: HasId + Clone>(table: &Table<T>) -> Vec<(u64, T)> {
    table.iter().map(|(seq, row)| (seq, row.clone())).collect()
}

fn table<T: HasId>(rows: Vec<(u64, T)>) -> Table<T> {
    let mut table = Table::default();
    for (seq, row) in rows {
        table.insert(seq, row);
    }
    table
}

/// The store as the JSON of a state file.
pub(crate) fn save(state: &State) -> Vec<u8> {
    let snapshot = Snapshot {
        version: VERSION,
        seq: state.seq,
        org_id: state.org_id.clone(),
        caller_id: state.caller_id.clone(),
        caller_token: state.caller_token.clone(),
        caller_refresh_token: state.caller_refresh_token.clone(),
        people: rows(&state.people),
        rooms: rows(&state.rooms),
        memberships: rows(&state.memberships),
        messages: state.messages.all(),
        teams: rows(&state.teams),
        team_memberships: rows(&state.team_memberships),
        general_rooms: state.general_rooms.clone(),
        webhooks: rows(&state.webhooks),
        attachment_actions: rows(&state.attachment_actions),
        events: rows(&state.events),
        tabs: rows(&state.tabs),
        files: state
            .files
            .iter()
            .map(|(id, file)| SavedFile {
                id: id.clone(),
                file_name: file.file_name.clone(),
                content_type: file.content_type.clone(),
                bytes: ids::encode(&file.bytes),
                room_id: file.room_id.clone(),
                verdict: file.scan.verdict,
            })
            .collect(),
        tokens: state.tokens.save(),
    };
    serde_json::to_vec(&snapshot).unwrap_or_default()
}

/// A store from the JSON of a state file (switches at their defaults); a description of what
/// is wrong with a file that is not one.
pub(crate) fn load(json: &[u8]) -> Result<State, String> {
    let snapshot: Snapshot =
        serde_json::from_slice(json).map_err(|error| format!("not a state file: {error}"))?;
    if snapshot.version != VERSION {
        return Err(format!(
            "a state file of version {}, this emulator reads version {VERSION}",
            snapshot.version
        ));
    }
    let mut state = State::new(std::time::Duration::ZERO, &[]);
    state.seq = snapshot.seq;
    state.random = Random::new();
    state.org_id = snapshot.org_id;
    state.caller_id = snapshot.caller_id;
    state.caller_token = snapshot.caller_token;
    state.caller_refresh_token = snapshot.caller_refresh_token;
    state.people = table(snapshot.people);
    state.rooms = table(snapshot.rooms);
    state.memberships = table(snapshot.memberships);
    for (seq, message) in snapshot.messages {
        state.messages.insert(seq, message);
    }
    state.teams = table(snapshot.teams);
    state.team_memberships = table(snapshot.team_memberships);
    state.general_rooms = snapshot.general_rooms;
    state.webhooks = table(snapshot.webhooks);
    state.attachment_actions = table(snapshot.attachment_actions);
    state.events = table(snapshot.events);
    state.tabs = table(snapshot.tabs);
    for file in snapshot.files {
        let bytes = ids::decode(&file.bytes)
            .ok_or_else(|| format!("the bytes of file {} are not base64", file.id))?;
        state.files.insert(
            file.id,
            StoredFile {
                file_name: file.file_name,
                content_type: file.content_type,
                bytes: Bytes::from(bytes),
                room_id: file.room_id,
                scan: Scan::done(file.verdict),
            },
        );
    }
    state.tokens = Tokens::load(snapshot.tokens);
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_store_loads_the_same() {
        let mut state = State::new(std::time::Duration::from_secs(60), &[]);
        let caller = state.caller_id.clone();
        let room = state.add_room("Kept", spark_model::RoomType::Group, &caller, None);
        state.files.insert(
            "F1".to_owned(),
            StoredFile {
                file_name: "a;b é.txt".to_owned(),
                content_type: "text/plain".to_owned(),
                bytes: Bytes::from_static(b"\x00\xffdata"),
                room_id: room.id.clone(),
                scan: Scan::done(ScanVerdict::Infected),
            },
        );
        let loaded = load(&save(&state)).unwrap();
        assert_eq!(loaded.rooms.get(&room.id), Some(&room));
        assert_eq!(loaded.caller_token, state.caller_token);
        assert_eq!(&loaded.files["F1"].bytes[..], b"\x00\xffdata");
        assert_eq!(loaded.files["F1"].scan.verdict, ScanVerdict::Infected);
        let mut headers = http::HeaderMap::new();
        headers.insert(
            http::header::AUTHORIZATION,
            format!("Bearer {}", state.caller_token).parse().unwrap(),
        );
        assert_eq!(loaded.tokens.caller(&headers).unwrap(), caller);
        assert!(load(b"{}").is_err());
    }
}
