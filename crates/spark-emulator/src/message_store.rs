//! The messages, stored close to their size and indexed by room and time.
//!
//! A message is kept as a compact row: its id once (shared with the id index), the room, author
//! id and author email as strings shared by every message that names them, the text and markdown
//! as boxed strings, the creation time as milliseconds; the fields most messages lack (thread,
//! recipient, files, cards, mentions, edits) live in one optional box. Each room keeps its
//! messages' sequence numbers and creation times in ascending order, so a page newest first
//! starts with a binary search (for the cursor, `beforeMessage` or `before`) and reads only the
//! rows it gives, whatever the room's size. [`Messages::rows_read`] counts the rows lists read,
//! so tests can check that.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use spark_model::{Message, RoomType, Timestamp};

/// What one stored message costs besides its strings: the row, the entries of the id index and
/// of its room's index (with their tables' spare room), as estimated for the memory cap.
const ROW_OVERHEAD: usize = std::mem::size_of::<Stored>() + 96;

/// One stored message.
#[derive(Debug)]
pub(crate) struct Stored {
    id: Arc<str>,
    room_id: Arc<str>,
    person_id: Option<Arc<str>>,
    person_email: Option<Arc<str>>,
    text: Option<Box<str>>,
    markdown: Option<Box<str>>,
    /// Milliseconds since the Unix epoch.
    created: Option<i64>,
    room_type: Option<RoomType>,
    /// The fields most messages lack, set on a message otherwise empty.
    rare: Option<Box<Message>>,
}

impl Stored {
    /// The message, as the API gives it.
    pub(crate) fn to_message(&self) -> Message {
        let mut message = self.rare.as_deref().cloned().unwrap_or_default();
        message.id = self.id.to_string();
        message.room_id = Some(self.room_id.to_string());
        message.room_type.clone_from(&self.room_type);
        message.person_id = self.person_id.as_deref().map(str::to_owned);
        message.person_email = self.person_email.as_deref().map(str::to_owned);
        message.text = self.text.as_deref().map(str::to_owned);
        message.markdown = self.markdown.as_deref().map(str::to_owned);
        message.created = self
            .created
            .and_then(chrono::DateTime::from_timestamp_millis);
        message
    }

    /// The thread it is a reply in.
    pub(crate) fn parent_id(&self) -> Option<&str> {
        self.rare.as_ref()?.parent_id.as_deref()
    }

    /// Whether it mentions any of these people.
    pub(crate) fn mentions_any(&self, people: &[String]) -> bool {
        self.rare
            .as_ref()
            .and_then(|rare| rare.mentioned_people.as_ref())
            .is_some_and(|mentioned| mentioned.iter().any(|person| people.contains(person)))
    }

    /// When it was created.
    pub(crate) fn created(&self) -> Option<Timestamp> {
        self.created
            .and_then(chrono::DateTime::from_timestamp_millis)
    }

    /// The bytes it holds, as estimated for the memory cap.
    fn footprint(&self) -> usize {
        let text = |value: &Option<Box<str>>| value.as_deref().map_or(0, str::len);
        let rare = self.rare.as_deref().map_or(0, |rare| {
            std::mem::size_of::<Message>() + serde_json::to_vec(rare).map_or(0, |json| json.len())
        });
        ROW_OVERHEAD + self.id.len() + 16 + text(&self.text) + text(&self.markdown) + rare
    }
}

/// The messages of every room.
#[derive(Debug, Default)]
pub(crate) struct Messages {
    rows: HashMap<u64, Stored>,
    ids: HashMap<Arc<str>, u64>,
    /// Each room's messages: sequence number and creation time (ms), ascending.
    rooms: HashMap<Arc<str>, Vec<(u64, i64)>>,
    /// Room ids, person ids and emails, shared by the rows that name them.
    shared: HashSet<Arc<str>>,
    /// The estimated bytes held.
    bytes: usize,
    /// Rows read by lists since the start.
    rows_read: Cell<u64>,
}

impl Messages {
    fn share(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.shared.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        self.shared.insert(Arc::clone(&shared));
        shared
    }

    /// Stores a message under this sequence number (replacing one with its id).
    pub(crate) fn insert(&mut self, seq: u64, message: Message) {
        self.remove(&message.id);
        let Message {
            id,
            room_id,
            room_type,
            person_id,
            person_email,
            text,
            markdown,
            created,
            ..
        } = &message;
        let room_id = self.share(room_id.as_deref().unwrap_or_default());
        let person_id = person_id.as_deref().map(|id| self.share(id));
        let person_email = person_email.as_deref().map(|email| self.share(email));
        let rare = Message {
            id: String::new(),
            room_id: None,
            room_type: None,
            person_id: None,
            person_email: None,
            text: None,
            markdown: None,
            created: None,
            ..message.clone()
        };
        let created_ms = created.map(|at| at.timestamp_millis());
        let stored = Stored {
            id: Arc::from(id.as_str()),
            room_id: Arc::clone(&room_id),
            person_id,
            person_email,
            text: text.as_deref().map(Box::from),
            markdown: markdown.as_deref().map(Box::from),
            created: created_ms,
            room_type: room_type.clone(),
            rare: (rare != Message::default()).then(|| Box::new(rare)),
        };
        self.bytes += stored.footprint();
        let in_room = self.rooms.entry(room_id).or_default();
        let at = in_room.partition_point(|(other, _)| *other < seq);
        in_room.insert(at, (seq, created_ms.unwrap_or(i64::MIN)));
        self.ids.insert(Arc::clone(&stored.id), seq);
        self.rows.insert(seq, stored);
    }

    /// The message with this id.
    pub(crate) fn get(&self, id: &str) -> Option<Message> {
        self.stored(id).map(Stored::to_message)
    }

    /// The stored row of the message with this id.
    pub(crate) fn stored(&self, id: &str) -> Option<&Stored> {
        self.ids.get(id).and_then(|seq| self.rows.get(seq))
    }

    /// The sequence number of the message with this id.
    pub(crate) fn seq(&self, id: &str) -> Option<u64> {
        self.ids.get(id).copied()
    }

    /// Changes the message with this id with `change`; gives it back changed.
    pub(crate) fn update(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut Message),
    ) -> Option<Message> {
        let seq = self.seq(id)?;
        let mut message = self.get(id)?;
        change(&mut message);
        message.id = id.to_owned();
        self.insert(seq, message.clone());
        Some(message)
    }

    /// Removes the message with this id.
    pub(crate) fn remove(&mut self, id: &str) -> Option<Message> {
        let seq = self.ids.remove(id)?;
        let stored = self.rows.remove(&seq)?;
        self.bytes = self.bytes.saturating_sub(stored.footprint());
        if let Some(in_room) = self.rooms.get_mut(&stored.room_id) {
            if let Ok(at) = in_room.binary_search_by_key(&seq, |(seq, _)| *seq) {
                in_room.remove(at);
            }
            if in_room.is_empty() {
                self.rooms.remove(&stored.room_id);
            }
        }
        Some(stored.to_message())
    }

    /// Removes every message of a room.
    pub(crate) fn remove_room(&mut self, room_id: &str) {
        let Some(in_room) = self.rooms.remove(room_id) else {
            return;
        };
        for (seq, _) in in_room {
            if let Some(stored) = self.rows.remove(&seq) {
                self.bytes = self.bytes.saturating_sub(stored.footprint());
                self.ids.remove(&stored.id);
            }
        }
        self.shared.remove(room_id);
    }

    /// A room's messages, newest first, below the sequence number `below` and created before
    /// `before` (when given). Each row given counts in [`Messages::rows_read`].
    pub(crate) fn newest_first<'a>(
        &'a self,
        room_id: &str,
        below: Option<u64>,
        before: Option<Timestamp>,
    ) -> impl Iterator<Item = (u64, &'a Stored)> + use<'a> {
        let in_room = self.rooms.get(room_id).map_or(&[][..], Vec::as_slice);
        let mut end = in_room.len();
        if let Some(below) = below {
            end = end.min(in_room.partition_point(|(seq, _)| *seq < below));
        }
        if let Some(before) = before {
            let before = before.timestamp_millis();
            end = end.min(in_room.partition_point(|(_, created)| *created < before));
        }
        in_room[..end].iter().rev().filter_map(move |(seq, _)| {
            self.rows_read.set(self.rows_read.get() + 1);
            self.rows.get(seq).map(|stored| (*seq, stored))
        })
    }

    /// Every message with its sequence number, oldest first (for a state file).
    pub(crate) fn all(&self) -> Vec<(u64, Message)> {
        let mut seqs: Vec<u64> = self.rows.keys().copied().collect();
        seqs.sort_unstable();
        seqs.into_iter()
            .filter_map(|seq| Some((seq, self.rows.get(&seq)?.to_message())))
            .collect()
    }

    /// How many messages are stored.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The bytes the messages hold, estimated: rows, strings and index entries.
    pub(crate) fn bytes(&self) -> usize {
        self.bytes
    }

    /// Rows read by lists since the start.
    #[cfg(test)]
    pub(crate) fn rows_read(&self) -> u64 {
        self.rows_read.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: &str, room: &str, at_ms: i64) -> Message {
        Message {
            id: id.to_owned(),
            room_id: Some(room.to_owned()),
            room_type: Some(RoomType::Group),
            text: Some(format!("text of {id}")),
            person_id: Some("P".to_owned()),
            person_email: Some("p@example.com".to_owned()),
            created: chrono::DateTime::from_timestamp_millis(at_ms),
            ..Message::default()
        }
    }

    #[test]
    fn a_message_comes_back_as_it_was_stored() {
        let mut messages = Messages::default();
        let plain = message("M1", "R", 1_000);
        let rare = Message {
            parent_id: Some("M1".to_owned()),
            mentioned_people: Some(vec!["P2".to_owned()]),
            files: Some(vec!["http://f".to_owned()]),
            ..message("M2", "R", 2_000)
        };
        messages.insert(1, plain.clone());
        messages.insert(2, rare.clone());
        assert_eq!(messages.get("M1"), Some(plain));
        assert_eq!(messages.get("M2"), Some(rare));
        assert_eq!(
            messages.stored("M2").and_then(Stored::parent_id),
            Some("M1")
        );
        assert!(
            messages
                .stored("M2")
                .is_some_and(|m| m.mentions_any(&["P2".to_owned()]))
        );
        assert!(messages.stored("M1").is_some_and(|m| m.rare.is_none()));
    }

    #[test]
    fn pages_start_at_the_bound_and_read_only_what_they_give() {
        let mut messages = Messages::default();
        for seq in 1..=1_000 {
            messages.insert(seq, message(&format!("M{seq}"), "R", 1_000 * seq as i64));
            messages.insert(seq + 10_000, message(&format!("O{seq}"), "other", 0));
        }
        let page: Vec<u64> = messages
            .newest_first("R", Some(500), None)
            .take(3)
            .map(|(seq, _)| seq)
            .collect();
        assert_eq!(page, [499, 498, 497]);
        assert_eq!(messages.rows_read(), 3);
        let before = chrono::DateTime::from_timestamp_millis(10_500);
        let page: Vec<u64> = messages
            .newest_first("R", None, before)
            .map(|(seq, _)| seq)
            .collect();
        assert_eq!(page, (1..=10).rev().collect::<Vec<_>>());
    }

    #[test]
    fn removing_gives_back_the_bytes() {
        let mut messages = Messages::default();
        messages.insert(1, message("M1", "R", 1));
        let one = messages.bytes();
        assert!(one > 0);
        messages.insert(2, message("M2", "R", 2));
        messages.insert(3, message("M3", "S", 3));
        messages.remove("M2");
        assert_eq!(messages.bytes(), 2 * one);
        messages.remove_room("S");
        assert_eq!((messages.bytes(), messages.len()), (one, 1));
        assert_eq!(messages.newest_first("R", None, None).count(), 1);
    }
}
