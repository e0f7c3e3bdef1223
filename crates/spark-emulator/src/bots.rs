//! What a bot may see in a group room: only the messages that mention it, when the
//! `bot_needs_mention` refusal is on (the default, as live Webex).
//!
//! Sources: the `mentionedPeople` parameter of the spec's "List Messages" ("Bots must include
//! this parameter to list messages in group rooms"); WebexCommunity/WebexPythonSDK#235 and
//! agent-messenger/agent-messenger#233 (a bot listing a group room without it gets
//! `403 Failed to get activity.`); DESIGN.md §4 (bots in group rooms see only messages that
//! mention them, webhooks included).

use spark_model::{PersonType, RoomType};

use crate::errors::{Failure, Outcome};
use crate::state::State;

/// Whether this person is a bot.
pub(crate) fn is_bot(state: &State, person_id: &str) -> bool {
    state
        .people
        .get(person_id)
        .is_some_and(|person| person.person_type == Some(PersonType::Bot))
}

/// Whether this room is a group room.
fn is_group(state: &State, room_id: &str) -> bool {
    state
        .rooms
        .get(room_id)
        .is_some_and(|room| room.room_type == Some(RoomType::Group))
}

/// 403 for a bot listing a group room's messages without `mentionedPeople=me` (or its own id).
pub(crate) fn check_listing(
    state: &State,
    room_id: &str,
    caller: &str,
    mentioned_people: Option<&str>,
) -> Outcome<()> {
    if !state.refusals.bot_needs_mention || !is_bot(state, caller) || !is_group(state, room_id) {
        return Ok(());
    }
    let names_itself = mentioned_people.is_some_and(|list| {
        list.split(',')
            .map(str::trim)
            .any(|id| id == "me" || id == caller)
    });
    if names_itself {
        Ok(())
    } else {
        Err(Failure::forbidden("Failed to get activity."))
    }
}

/// Whether a bot's webhook may hear of a message: in a group room, only one that mentions it.
pub(crate) fn may_hear(
    state: &State,
    owner: &str,
    room_id: Option<&str>,
    mentioned_people: Option<&[String]>,
) -> bool {
    if !state.refusals.bot_needs_mention || !is_bot(state, owner) {
        return true;
    }
    let Some(room_id) = room_id else {
        return true;
    };
    !is_group(state, room_id)
        || mentioned_people.is_some_and(|people| people.iter().any(|person| person == owner))
}
