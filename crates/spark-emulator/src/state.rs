//! The in-memory store: every resource, the files, the tokens and the webhook outbox.
//!
//! One [`State`] lives behind one `std::sync::Mutex`; handlers lock it, work, and let go before
//! any await. Each table keeps creation order (a sequence number per row), which lists use for
//! their order and their cursors. The messages have a store of their own (`message_store`),
//! indexed by room and time; the events keep a bounded window (`store_limits`).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use bytes::Bytes;
use chrono::Utc;
use spark_model::{
    AttachmentAction, Event, EventData, EventResource, EventType, Membership, Person, PersonStatus,
    PersonType, Room, RoomTab, RoomType, Team, TeamMembership, Timestamp, Webhook,
};

use crate::auth::Tokens;
use crate::ids::{Random, encode};
use crate::message_store::Messages;
use crate::quirks::Quirks;
use crate::refusals::Refusals;
use crate::scan::Scan;
use crate::store_limits::StoreLimits;
use crate::webhooks::{self, Delivery};

/// A resource that has an id.
pub(crate) trait HasId {
    fn id(&self) -> &str;
}

macro_rules! has_id {
    ($($ty:ty),+) => {
        $(impl HasId for $ty {
            fn id(&self) -> &str {
                &self.id
            }
        })+
    };
}

has_id!(
    Person,
    Room,
    Membership,
    Team,
    TeamMembership,
    Webhook,
    AttachmentAction,
    Event,
    RoomTab
);

/// Rows in creation order, found by id.
#[derive(Debug)]
pub(crate) struct Table<T> {
    rows: BTreeMap<u64, T>,
    index: HashMap<String, u64>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            rows: BTreeMap::new(),
            index: HashMap::new(),
        }
    }
}

impl<T: HasId> Table<T> {
    pub(crate) fn insert(&mut self, seq: u64, row: T) {
        self.index.insert(row.id().to_owned(), seq);
        self.rows.insert(seq, row);
    }

    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).and_then(|seq| self.rows.get(seq))
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let seq = self.index.get(id)?;
        self.rows.get_mut(seq)
    }

    pub(crate) fn seq(&self, id: &str) -> Option<u64> {
        self.index.get(id).copied()
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<T> {
        let seq = self.index.remove(id)?;
        self.rows.remove(&seq)
    }

    /// Rows with their sequence numbers, oldest first.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (u64, &T)> {
        self.rows.iter().map(|(seq, row)| (*seq, row))
    }

    /// Rows with a sequence number below `below` (all when `None`), newest first.
    pub(crate) fn newest_first(&self, below: Option<u64>) -> impl Iterator<Item = (u64, &T)> {
        self.rows
            .range(..below.unwrap_or(u64::MAX))
            .rev()
            .map(|(seq, row)| (*seq, row))
    }

    /// How many rows there are.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Removes the oldest row.
    pub(crate) fn pop_oldest(&mut self) -> Option<T> {
        let (_, row) = self.rows.pop_first()?;
        self.index.remove(row.id());
        Some(row)
    }

    /// Removes the rows `keep` says no to.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let index = &mut self.index;
        self.rows.retain(|_, row| {
            let kept = keep(row);
            if !kept {
                index.remove(row.id());
            }
            kept
        });
    }
}

/// An uploaded file, served under `/v1/contents/{id}`.
#[derive(Debug, Clone)]
pub(crate) struct StoredFile {
    pub(crate) file_name: String,
    pub(crate) content_type: String,
    pub(crate) bytes: Bytes,
    pub(crate) room_id: String,
    /// Its malware scan (see `scan`).
    pub(crate) scan: Scan,
}

/// Everything the emulator knows.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) seq: u64,
    pub(crate) random: Random,
    pub(crate) org_id: String,
    pub(crate) caller_id: String,
    pub(crate) people: Table<Person>,
    pub(crate) rooms: Table<Room>,
    pub(crate) memberships: Table<Membership>,
    pub(crate) messages: Messages,
    pub(crate) teams: Table<Team>,
    pub(crate) team_memberships: Table<TeamMembership>,
    /// The general room of each team.
    pub(crate) general_rooms: HashMap<String, String>,
    pub(crate) webhooks: Table<Webhook>,
    pub(crate) attachment_actions: Table<AttachmentAction>,
    pub(crate) events: Table<Event>,
    pub(crate) tabs: Table<RoomTab>,
    pub(crate) files: HashMap<String, StoredFile>,
    pub(crate) tokens: Tokens,
    /// Webhook deliveries waiting to be sent once the lock is released.
    pub(crate) outbox: Vec<Delivery>,
    /// The refresh token of the seeded caller.
    pub(crate) caller_refresh_token: String,
    /// The access token of the seeded caller.
    pub(crate) caller_token: String,
    // Admin and meetings: see `admin.rs` and `meeting.rs`.
    /// The organization, its licenses and roles.
    pub(crate) admin: crate::admin::Admin,
    /// The meetings and their invitees.
    pub(crate) meetings: crate::meeting::Meetings,
    /// The meetings' recordings and their files.
    pub(crate) recordings: crate::recording::Recordings,
    /// The live refusals in force.
    pub(crate) refusals: Refusals,
    /// The quirks in force.
    pub(crate) quirks: Quirks,
    /// Registered devices and their event sockets.
    pub(crate) wdm: crate::wdm::Wdm,
    /// The window of events kept and the memory cap.
    pub(crate) store_limits: StoreLimits,
}

/// The people every emulator starts with; the first is the caller.
pub(crate) const SEED_PEOPLE: [(&str, &str, &str); 4] = [
    ("ada@example.com", "Ada", "Lovelace"),
    ("grace@example.com", "Grace", "Hopper"),
    ("alan@example.com", "Alan", "Turing"),
    ("barbara@example.com", "Barbara", "Liskov"),
];

impl State {
    /// A fresh store with the seeded people (and `extra` ones), the caller's tokens and the
    /// OAuth client.
    pub(crate) fn new(token_lifetime: Duration, extra: &[(String, String)]) -> Self {
        let mut random = Random::new();
        let org_id = encode(format!("ciscospark://us/ORGANIZATION/{}", random.uuid()).as_bytes());
        let mut state = Self {
            seq: 0,
            random,
            org_id,
            caller_id: String::new(),
            people: Table::default(),
            rooms: Table::default(),
            memberships: Table::default(),
            messages: Messages::default(),
            teams: Table::default(),
            team_memberships: Table::default(),
            general_rooms: HashMap::new(),
            webhooks: Table::default(),
            attachment_actions: Table::default(),
            events: Table::default(),
            tabs: Table::default(),
            files: HashMap::new(),
            tokens: Tokens::new(token_lifetime),
            outbox: Vec::new(),
            caller_refresh_token: String::new(),
            caller_token: String::new(),
            admin: crate::admin::Admin::default(),
            meetings: crate::meeting::Meetings::default(),
            recordings: crate::recording::Recordings::default(),
            refusals: Refusals::default(),
            quirks: Quirks::default(),
            wdm: crate::wdm::Wdm::default(),
            store_limits: StoreLimits::default(),
        };
        for (email, first, last) in SEED_PEOPLE {
            state.add_person(email, &format!("{first} {last}"));
        }
        for (email, name) in extra {
            state.add_person(email, name);
        }
        crate::admin::seed(&mut state);
        let caller = state
            .person_by_email(SEED_PEOPLE[0].0)
            .map(|person| person.id.clone())
            .unwrap_or_default();
        state.caller_token = state.tokens.issue_access(&caller);
        state.caller_refresh_token = state.tokens.issue_refresh(&caller);
        state.caller_id = caller;
        state
    }

    /// The next sequence number and a fresh id of this kind.
    pub(crate) fn next_id(&mut self, kind: &str) -> (u64, String) {
        self.seq += 1;
        (self.seq, self.random.id(kind))
    }

    /// Adds a person (or returns the one with that email).
    pub(crate) fn add_person(&mut self, email: &str, display_name: &str) -> Person {
        if let Some(person) = self.person_by_email(email) {
            return person.clone();
        }
        let (seq, id) = self.next_id("PEOPLE");
        let mut names = display_name.splitn(2, ' ');
        let first = names.next().unwrap_or_default();
        let last = names.next().unwrap_or_default();
        let person = Person {
            id,
            emails: Some(vec![email.to_owned()]),
            display_name: Some(display_name.to_owned()),
            nick_name: Some(first.to_owned()).filter(|name| !name.is_empty()),
            first_name: Some(first.to_owned()).filter(|name| !name.is_empty()),
            last_name: Some(last.to_owned()).filter(|name| !name.is_empty()),
            org_id: Some(self.org_id.clone()),
            created: Some(now()),
            status: Some(PersonStatus::Active),
            person_type: Some(if email.ends_with("@webex.bot") {
                PersonType::Bot
            } else {
                PersonType::Person
            }),
            ..Person::default()
        };
        self.people.insert(seq, person.clone());
        person
    }

    /// The person with this email (any case).
    pub(crate) fn person_by_email(&self, email: &str) -> Option<&Person> {
        self.people.iter().map(|(_, person)| person).find(|person| {
            person
                .emails
                .iter()
                .flatten()
                .any(|known| known.eq_ignore_ascii_case(email))
        })
    }

    /// The person with this email, invited (created) if nobody has it yet, as Webex does.
    pub(crate) fn person_by_email_or_invite(&mut self, email: &str) -> Person {
        if let Some(person) = self.person_by_email(email) {
            return person.clone();
        }
        let name = email.split('@').next().unwrap_or(email).to_owned();
        self.add_person(email, &name)
    }

    /// The first email of a person.
    pub(crate) fn email_of(&self, person_id: &str) -> Option<String> {
        self.people
            .get(person_id)
            .and_then(|person| person.emails.as_ref()?.first().cloned())
    }

    /// The membership of a person in a room.
    pub(crate) fn membership_of(&self, room_id: &str, person_id: &str) -> Option<&Membership> {
        self.memberships.iter().map(|(_, m)| m).find(|m| {
            m.room_id.as_deref() == Some(room_id) && m.person_id.as_deref() == Some(person_id)
        })
    }

    /// Whether a person is a member of a room.
    pub(crate) fn is_member(&self, room_id: &str, person_id: &str) -> bool {
        self.membership_of(room_id, person_id).is_some()
    }

    /// The people in a room.
    pub(crate) fn members_of(&self, room_id: &str) -> Vec<String> {
        self.memberships
            .iter()
            .filter(|(_, m)| m.room_id.as_deref() == Some(room_id))
            .filter_map(|(_, m)| m.person_id.clone())
            .collect()
    }

    /// Adds a person to a room (no event recorded).
    pub(crate) fn add_membership(
        &mut self,
        room_id: &str,
        person_id: &str,
        is_moderator: bool,
    ) -> Membership {
        let (seq, random_id) = self.next_id("MEMBERSHIP");
        // Live ids name the person and the room, as the event socket's ids do.
        let id = crate::ids::membership_id(person_id, room_id).unwrap_or(random_id);
        let person = self.people.get(person_id).cloned().unwrap_or_default();
        let room_type = self
            .rooms
            .get(room_id)
            .and_then(|room| room.room_type.clone());
        let membership = Membership {
            id,
            room_id: Some(room_id.to_owned()),
            person_id: Some(person_id.to_owned()),
            person_email: person
                .emails
                .as_ref()
                .and_then(|emails| emails.first().cloned()),
            person_display_name: person.display_name.clone(),
            person_org_id: person.org_id.clone(),
            is_moderator: Some(is_moderator),
            is_room_hidden: Some(false),
            room_type,
            is_monitor: Some(false),
            created: Some(now()),
        };
        self.memberships.insert(seq, membership.clone());
        membership
    }

    /// The membership of a person in a team.
    pub(crate) fn team_membership_of(
        &self,
        team_id: &str,
        person_id: &str,
    ) -> Option<&TeamMembership> {
        self.team_memberships.iter().map(|(_, m)| m).find(|m| {
            m.team_id.as_deref() == Some(team_id) && m.person_id.as_deref() == Some(person_id)
        })
    }

    /// Adds a person to a team.
    pub(crate) fn add_team_membership(
        &mut self,
        team_id: &str,
        person_id: &str,
        is_moderator: bool,
    ) -> TeamMembership {
        let (seq, id) = self.next_id("TEAM_MEMBERSHIP");
        let person = self.people.get(person_id).cloned().unwrap_or_default();
        let membership = TeamMembership {
            id,
            team_id: Some(team_id.to_owned()),
            person_id: Some(person_id.to_owned()),
            person_email: person
                .emails
                .as_ref()
                .and_then(|emails| emails.first().cloned()),
            person_display_name: person.display_name.clone(),
            person_org_id: person.org_id.clone(),
            is_moderator: Some(is_moderator),
            created: Some(now()),
        };
        self.team_memberships.insert(seq, membership.clone());
        membership
    }

    /// Creates a room with its creator as a moderator member (no event recorded).
    pub(crate) fn add_room(
        &mut self,
        title: &str,
        room_type: RoomType,
        creator_id: &str,
        team_id: Option<String>,
    ) -> Room {
        let (seq, id) = self.next_id("ROOM");
        let at = now();
        let room = Room {
            id: id.clone(),
            title: Some(title.to_owned()),
            room_type: Some(room_type.clone()),
            is_locked: Some(false),
            team_id,
            last_activity: Some(at),
            creator_id: Some(creator_id.to_owned()),
            created: Some(at),
            owner_id: Some(self.org_id.clone()),
            is_announcement_only: Some(false),
            is_read_only: Some(false),
            is_public: Some(false),
            ..Room::default()
        };
        self.rooms.insert(seq, room.clone());
        self.add_membership(&id, creator_id, room_type == RoomType::Group);
        room
    }

    /// Marks activity in a room.
    pub(crate) fn touch_room(&mut self, room_id: &str) {
        if let Some(room) = self.rooms.get_mut(room_id) {
            room.last_activity = Some(now());
        }
    }

    /// The direct room of two people, if they have one.
    pub(crate) fn direct_room(&self, a: &str, b: &str) -> Option<String> {
        self.rooms
            .iter()
            .filter(|(_, room)| room.room_type == Some(RoomType::Direct))
            .find(|(_, room)| {
                let mut members = self.members_of(&room.id);
                members.sort();
                let mut pair = vec![a.to_owned(), b.to_owned()];
                pair.sort();
                members == pair
            })
            .map(|(_, room)| room.id.clone())
    }

    /// Removes a room and everything in it.
    pub(crate) fn remove_room(&mut self, room_id: &str) -> Option<Room> {
        let room = self.rooms.remove(room_id)?;
        self.memberships
            .retain(|m| m.room_id.as_deref() != Some(room_id));
        self.messages.remove_room(room_id);
        self.tabs.retain(|t| t.room_id.as_deref() != Some(room_id));
        self.files.retain(|_, file| file.room_id != room_id);
        Some(room)
    }

    /// Forgets every resource but the people and the tokens: rooms, memberships, messages,
    /// teams, webhooks, events, files.
    pub(crate) fn clear_resources(&mut self) {
        self.rooms = Table::default();
        self.memberships = Table::default();
        self.messages = Messages::default();
        self.teams = Table::default();
        self.team_memberships = Table::default();
        self.general_rooms.clear();
        self.webhooks = Table::default();
        self.attachment_actions = Table::default();
        self.events = Table::default();
        self.tabs = Table::default();
        self.files.clear();
        self.recordings.clear();
        self.outbox.clear();
    }

    /// Records an event (for `/events`) and queues the webhook deliveries it triggers.
    pub(crate) fn record(
        &mut self,
        resource: EventResource,
        event_type: EventType,
        actor_id: &str,
        data: EventData,
    ) {
        let (seq, id) = self.next_id("EVENT");
        let event = Event {
            id,
            resource: Some(resource),
            event_type: Some(event_type),
            app_id: None,
            actor_id: Some(actor_id.to_owned()),
            org_id: Some(self.org_id.clone()),
            created: Some(now()),
            data,
        };
        crate::mercury::publish(self, &event);
        let deliveries = webhooks::deliveries_for(self, &event);
        self.outbox.extend(deliveries);
        self.events.insert(seq, event);
        while self.events.len() > self.store_limits.event_window {
            self.events.pop_oldest();
        }
    }
}

/// The current time, at millisecond precision like the API's timestamps.
pub(crate) fn now() -> Timestamp {
    let at = Utc::now();
    let millis = at.timestamp_millis();
    chrono::DateTime::from_timestamp_millis(millis).unwrap_or(at)
}
