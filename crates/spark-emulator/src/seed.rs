//! Seeding from a JSON document: people and bots, rooms with their members, memberships and
//! messages, in one call ([`Emulator::seed`](crate::Emulator::seed), `POST /_emulator/seed`,
//! `spark-emulator --seed FILE`).
//!
//! ```json
//! {
//!   "people": [{"email": "helper@webex.bot", "displayName": "Helper", "type": "bot"}],
//!   "rooms": [{"key": "ops", "title": "Ops", "members": ["grace@example.com", "helper@webex.bot"],
//!              "moderators": ["grace@example.com"]}],
//!   "memberships": [{"room": "ops", "person": "alan@example.com", "isModerator": false}],
//!   "messages": [{"room": "ops", "from": "grace@example.com",
//!                 "markdown": "hello <@personEmail:helper@webex.bot>", "repeat": 3}]
//! }
//! ```
//!
//! Every part is optional. A person's `type` is `person` or `bot` (default: `bot` for an email
//! at `webex.bot`); a room's `type` is `group` (default) or `direct`, its `creator` an email
//! (default: the seeded caller, who is then a member), its `key` the name the other parts use
//! (default: its title). People are named by email. Entries are applied in order and make no
//! events and no webhook deliveries; a bad entry stops there with 400, what came before it
//! stays. The answer gives each seeded person's id and a fresh access token, and each room's id
//! by key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use spark_model::{Message, PersonType, RoomType};

use crate::errors::{Failure, Outcome};
use crate::routes::messages::mentions;
use crate::state::{State, now};

/// A seed document (see the module documentation for its JSON).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Seed {
    /// People and bots to add (or find, by email).
    pub people: Vec<SeedPerson>,
    /// Rooms to create.
    pub rooms: Vec<SeedRoom>,
    /// More memberships.
    pub memberships: Vec<SeedMembership>,
    /// Messages to post.
    pub messages: Vec<SeedMessage>,
}

/// A person or bot of a [`Seed`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SeedPerson {
    /// The email, which names the person in the rest of the seed.
    pub email: String,
    /// The display name (default: the email's local part).
    pub display_name: Option<String>,
    /// `person` or `bot`.
    #[serde(rename = "type")]
    pub person_type: Option<String>,
}

/// A room of a [`Seed`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SeedRoom {
    /// The name the seed's memberships and messages use (default: the title).
    pub key: Option<String>,
    /// The title.
    pub title: String,
    /// `group` or `direct`.
    #[serde(rename = "type")]
    pub room_type: Option<String>,
    /// The creator's email (default: the seeded caller).
    pub creator: Option<String>,
    /// Members' emails, besides the creator.
    pub members: Vec<String>,
    /// Moderators' emails (they become members too).
    pub moderators: Vec<String>,
}

/// A membership of a [`Seed`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SeedMembership {
    /// The room's key.
    pub room: String,
    /// The person's email.
    pub person: String,
    /// Whether a moderator.
    pub is_moderator: bool,
}

/// A message of a [`Seed`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SeedMessage {
    /// The room's key.
    pub room: String,
    /// The author's email (default: the seeded caller); a member of the room.
    pub from: Option<String>,
    /// Plain text.
    pub text: Option<String>,
    /// Markdown, with mentions such as `<@personEmail:grace@example.com>`.
    pub markdown: Option<String>,
    /// Post it this many times (default 1, at most 100 000).
    pub repeat: Option<u32>,
}

/// What a seed created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Seeded {
    /// Each seeded person, in the seed's order.
    pub people: Vec<SeededPerson>,
    /// Each room's id, by key.
    pub rooms: BTreeMap<String, String>,
    /// The ids of the messages, in order.
    pub messages: Vec<String>,
}

/// A person a seed added (or found).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SeededPerson {
    /// The email.
    pub email: String,
    /// The person id.
    pub id: String,
    /// A fresh access token of theirs.
    pub access_token: String,
}

/// The most messages one seed entry may post.
const MAX_REPEAT: u32 = 100_000;

fn person_id(state: &State, email: &str) -> Outcome<String> {
    state
        .person_by_email(email)
        .map(|person| person.id.clone())
        .ok_or_else(|| {
            Failure::bad_request(format!("The seed names `{email}`, whom nobody has seeded."))
        })
}

fn room_id(seeded: &Seeded, key: &str) -> Outcome<String> {
    seeded.rooms.get(key).cloned().ok_or_else(|| {
        Failure::bad_request(format!(
            "The seed names room `{key}`, which it has not created."
        ))
    })
}

/// Applies a seed to the store.
pub(crate) fn apply(state: &mut State, seed: &Seed) -> Outcome<Seeded> {
    let mut seeded = Seeded::default();
    for person in &seed.people {
        if !person.email.contains('@') {
            return Err(Failure::bad_request(format!(
                "`{}` is not an email.",
                person.email
            )));
        }
        let name = person.display_name.clone().unwrap_or_else(|| {
            person
                .email
                .split('@')
                .next()
                .unwrap_or_default()
                .to_owned()
        });
        let added = state.add_person(&person.email, &name);
        let person_type = match person.person_type.as_deref() {
            None => None,
            Some("bot") => Some(PersonType::Bot),
            Some("person") => Some(PersonType::Person),
            Some(other) => {
                return Err(Failure::bad_request(format!(
                    "A person's type is `person` or `bot`, not `{other}`."
                )));
            }
        };
        if let (Some(person_type), Some(stored)) = (person_type, state.people.get_mut(&added.id)) {
            stored.person_type = Some(person_type);
        }
        let access_token = state.tokens.issue_access(&added.id);
        seeded.people.push(SeededPerson {
            email: person.email.clone(),
            id: added.id,
            access_token,
        });
    }
    for room in &seed.rooms {
        let key = room.key.clone().unwrap_or_else(|| room.title.clone());
        if room.title.trim().is_empty() {
            return Err(Failure::bad_request("A seeded room needs a title."));
        }
        let room_type = match room.room_type.as_deref() {
            None | Some("group") => RoomType::Group,
            Some("direct") => RoomType::Direct,
            Some(other) => {
                return Err(Failure::bad_request(format!(
                    "A room's type is `group` or `direct`, not `{other}`."
                )));
            }
        };
        let creator = match &room.creator {
            Some(email) => person_id(state, email)?,
            None => state.caller_id.clone(),
        };
        let others: Vec<String> = room
            .members
            .iter()
            .chain(&room.moderators)
            .map(|email| person_id(state, email))
            .collect::<Outcome<_>>()?;
        if room_type == RoomType::Direct && others.len() != 1 {
            return Err(Failure::bad_request(
                "A direct room has exactly one member besides its creator.",
            ));
        }
        let created = state.add_room(&room.title, room_type, &creator, None);
        for (index, person) in others.iter().enumerate() {
            if !state.is_member(&created.id, person) {
                state.add_membership(&created.id, person, index >= room.members.len());
            }
        }
        seeded.rooms.insert(key, created.id);
    }
    for membership in &seed.memberships {
        let room = room_id(&seeded, &membership.room)?;
        let person = person_id(state, &membership.person)?;
        if !state.is_member(&room, &person) {
            state.add_membership(&room, &person, membership.is_moderator);
        }
    }
    for message in &seed.messages {
        let room = room_id(&seeded, &message.room)?;
        let author = match &message.from {
            Some(email) => person_id(state, email)?,
            None => state.caller_id.clone(),
        };
        if !state.is_member(&room, &author) {
            return Err(Failure::bad_request(format!(
                "The author of a seeded message in `{}` is not a member of it.",
                message.room
            )));
        }
        if message.text.is_none() && message.markdown.is_none() {
            return Err(Failure::bad_request(
                "A seeded message needs text or markdown.",
            ));
        }
        let repeat = message.repeat.unwrap_or(1).min(MAX_REPEAT);
        for _ in 0..repeat {
            seeded.messages.push(post(state, &room, &author, message));
        }
        state.touch_room(&room);
    }
    Ok(seeded)
}

/// Stores one seeded message, with its mentions.
fn post(state: &mut State, room_id: &str, author: &str, message: &SeedMessage) -> String {
    let (mentioned_people, mentioned_groups, plain) = match &message.markdown {
        Some(markdown) => mentions(state, markdown),
        None => (Vec::new(), Vec::new(), String::new()),
    };
    let room_type = state
        .rooms
        .get(room_id)
        .and_then(|room| room.room_type.clone());
    let (seq, id) = state.next_id("MESSAGE");
    let stored = Message {
        id: id.clone(),
        room_id: Some(room_id.to_owned()),
        room_type,
        text: message
            .text
            .clone()
            .or_else(|| message.markdown.as_ref().map(|_| plain)),
        markdown: message.markdown.clone(),
        html: message
            .markdown
            .as_deref()
            .and_then(|markdown| crate::mention_html::mention_html(state, markdown)),
        person_id: Some(author.to_owned()),
        person_email: state.email_of(author),
        mentioned_people: (!mentioned_people.is_empty()).then_some(mentioned_people),
        mentioned_groups: (!mentioned_groups.is_empty()).then_some(mentioned_groups),
        created: Some(now()),
        ..Message::default()
    };
    state.messages.insert(seq, stored);
    id
}
