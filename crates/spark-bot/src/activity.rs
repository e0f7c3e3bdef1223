//! Mercury frames: reading a `conversation.activity` and converting it to an [`Event`] with
//! REST ids.
//!
//! Source: DESIGN.md, "Real-time events" (from the JS SDK's mercury plugin, the Node bot
//! framework and the Python `webex_bot`). Verbs: `post`/`share` (message created), `delete`
//! (message deleted), `cardAction` (card submitted), `add`/`leave` of a person (membership),
//! `create` (room created). An `add` of a `reaction2` is a reaction, `parent.type == "edit"` an
//! edit: both are skipped, as are every other verb and event type.

use serde::Deserialize;
use spark_model::{EventData, RoomType};

use crate::event::{Event, EventKind, Source};
use crate::ids::{HostMap, US_CLUSTER, rest_id};

/// The event type of the frame that says the socket is authorized.
pub(crate) const BUFFER_STATE: &str = "mercury.buffer_state";

/// The event type of activities.
pub(crate) const CONVERSATION_ACTIVITY: &str = "conversation.activity";

/// The parts of a frame we read.
#[derive(Debug, Deserialize)]
pub(crate) struct Frame {
    /// The frame id, to ack.
    #[serde(default)]
    pub(crate) id: Option<String>,
    /// `pong`, ... (frames of events have none).
    #[serde(default, rename = "type")]
    pub(crate) frame_type: Option<String>,
    #[serde(default)]
    pub(crate) data: Option<FrameData>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct FrameData {
    #[serde(default)]
    pub(crate) event_type: Option<String>,
    #[serde(default)]
    pub(crate) activity: Option<Activity>,
}

/// A conversation activity.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Activity {
    #[serde(default)]
    id: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    verb: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    actor: Option<Party>,
    #[serde(default)]
    object: Option<Party>,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    parent: Option<Parent>,
}

/// An actor or an object.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Party {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, rename = "entryUUID")]
    entry_uuid: Option<String>,
    #[serde(default)]
    email_address: Option<String>,
    #[serde(default)]
    object_type: Option<String>,
}

impl Party {
    fn uuid(&self) -> Option<&str> {
        self.entry_uuid.as_deref().or(self.id.as_deref())
    }
}

#[derive(Debug, Default, Deserialize)]
struct Target {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Parent {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, rename = "type")]
    parent_type: Option<String>,
}

impl Activity {
    /// The activity id (the key of de-duplication).
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// The event this activity is, or `None` for the kinds a bot does not handle.
    pub(crate) fn to_event(&self, hosts: &HostMap) -> Option<Event> {
        let target = self.target.as_ref();
        let cluster_url = match self.verb.as_str() {
            "create" | "update" => self.url.as_deref(),
            _ => target.and_then(|t| t.url.as_deref()),
        };
        let cluster =
            cluster_url.map_or_else(|| US_CLUSTER.to_owned(), |url| hosts.cluster_of_url(url));
        let id = |kind: &str, uuid: &str| rest_id(&cluster, kind, uuid);
        let room_uuid = target.and_then(|t| t.id.as_deref());
        let actor = self.actor.as_ref();
        let parent = self.parent.as_ref();
        let parent_type = parent.and_then(|p| p.parent_type.as_deref());
        let mut data = EventData {
            room_id: room_uuid.map(|uuid| id("ROOM", uuid)),
            room_type: target.map(|t| {
                if t.tags.iter().any(|tag| tag == "ONE_ON_ONE") {
                    RoomType::Direct
                } else {
                    RoomType::Group
                }
            }),
            person_id: actor
                .and_then(Party::uuid)
                .map(|uuid| rest_id(US_CLUSTER, "PEOPLE", uuid)),
            person_email: actor.and_then(|a| a.email_address.clone()),
            created: self
                .published
                .as_deref()
                .and_then(|at| at.parse::<spark_model::Timestamp>().ok()),
            ..EventData::default()
        };
        let object = self.object.as_ref();
        let kind = match self.verb.as_str() {
            "post" | "share" => {
                if parent_type == Some("edit") {
                    return None;
                }
                data.id = Some(id("MESSAGE", &self.id));
                data.parent_id = parent
                    .filter(|_| parent_type == Some("reply"))
                    .and_then(|p| p.id.as_deref())
                    .map(|uuid| id("MESSAGE", uuid));
                EventKind::MessageCreated
            }
            "delete" => {
                if object.and_then(|o| o.object_type.as_deref()) == Some("reaction2") {
                    return None;
                }
                data.id = Some(id("MESSAGE", object.and_then(|o| o.id.as_deref())?));
                EventKind::MessageDeleted
            }
            "cardAction" => {
                data.id = Some(id("ATTACHMENT_ACTION", &self.id));
                data.message_id = parent
                    .and_then(|p| p.id.as_deref())
                    .map(|uuid| id("MESSAGE", uuid));
                EventKind::CardSubmitted
            }
            verb @ ("add" | "leave") => {
                let member = object?;
                if member.object_type.as_deref() != Some("person") {
                    return None;
                }
                let member_uuid = member.uuid()?;
                data.id = Some(id("MEMBERSHIP", &format!("{member_uuid}:{}", room_uuid?)));
                data.person_id = Some(rest_id(US_CLUSTER, "PEOPLE", member_uuid));
                data.person_email = member.email_address.clone();
                if verb == "add" {
                    EventKind::MembershipAdded
                } else {
                    EventKind::MembershipRemoved
                }
            }
            "create" => {
                let room = object.and_then(|o| o.id.as_deref()).or(room_uuid)?;
                data.id = Some(id("ROOM", room));
                data.room_id = data.id.clone();
                EventKind::RoomCreated
            }
            _ => return None,
        };
        Some(Event {
            kind,
            actor_id: actor
                .and_then(Party::uuid)
                .map(|uuid| rest_id(US_CLUSTER, "PEOPLE", uuid)),
            data,
            activity_id: Some(self.id.clone()),
            source: Source::Websocket,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::rest_id;

    fn activity(json: serde_json::Value) -> Activity {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_reply_in_a_direct_room_has_rest_ids() {
        let hosts = HostMap::from_catalog(&serde_json::json!({
            "conv-k.wbx2.com": [{"id": "urn:TEAM:eu-central-1_k:conversation"}]
        }));
        let event = activity(serde_json::json!({
            "id": "m1", "verb": "post", "published": "2024-05-01T10:00:00.000Z",
            "actor": {"id": "p1", "entryUUID": "p1", "emailAddress": "a@example.com"},
            "object": {"objectType": "comment"},
            "target": {"id": "r1", "url": "https://conv-k.wbx2.com/conversation/api/v1/conversations/r1", "tags": ["ONE_ON_ONE"]},
            "parent": {"id": "m0", "type": "reply"}
        }))
        .to_event(&hosts)
        .unwrap();
        let k = "urn:TEAM:eu-central-1_k";
        assert_eq!(event.kind, EventKind::MessageCreated);
        assert_eq!(event.data.id, Some(rest_id(k, "MESSAGE", "m1")));
        assert_eq!(event.data.parent_id, Some(rest_id(k, "MESSAGE", "m0")));
        assert_eq!(event.data.room_id, Some(rest_id(k, "ROOM", "r1")));
        assert_eq!(event.data.person_id, Some(rest_id("us", "PEOPLE", "p1")));
        assert!(event.is_direct());
        assert!(event.data.created.is_some());
    }

    #[test]
    fn kinds_follow_the_verbs() {
        let hosts = HostMap::default();
        let target = serde_json::json!({"id": "r1", "url": "https://x/c/r1", "tags": []});
        let person = serde_json::json!({"objectType": "person", "id": "p2", "entryUUID": "p2"});
        let cases = [
            (
                "cardAction",
                serde_json::json!({"objectType": "submit"}),
                Some(EventKind::CardSubmitted),
            ),
            ("add", person.clone(), Some(EventKind::MembershipAdded)),
            ("leave", person, Some(EventKind::MembershipRemoved)),
            ("add", serde_json::json!({"objectType": "reaction2"}), None),
            (
                "delete",
                serde_json::json!({"objectType": "activity", "id": "m9"}),
                Some(EventKind::MessageDeleted),
            ),
            (
                "create",
                serde_json::json!({"objectType": "conversation", "id": "r1"}),
                Some(EventKind::RoomCreated),
            ),
            ("acknowledge", serde_json::json!({}), None),
        ];
        for (verb, object, kind) in cases {
            let event = activity(serde_json::json!({
                "id": "a1", "verb": verb, "actor": {"entryUUID": "p1"}, "object": object,
                "target": target, "parent": {"id": "m1", "type": "reply"}
            }))
            .to_event(&hosts);
            assert_eq!(event.as_ref().map(|e| e.kind), kind, "{verb}");
        }
        let edit = activity(serde_json::json!({
            "id": "a1", "verb": "post", "target": target, "parent": {"id": "m1", "type": "edit"}
        }));
        assert!(edit.to_event(&hosts).is_none());
        let membership = activity(serde_json::json!({
            "id": "a1", "verb": "add", "object": {"objectType": "person", "entryUUID": "p2"}, "target": target
        }))
        .to_event(&hosts)
        .unwrap();
        assert_eq!(
            membership.data.id,
            Some(rest_id("us", "MEMBERSHIP", "p2:r1"))
        );
        assert_eq!(
            membership.data.person_id,
            Some(rest_id("us", "PEOPLE", "p2"))
        );
    }
}
