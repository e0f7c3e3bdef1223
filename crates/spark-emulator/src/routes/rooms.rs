//! `/v1/rooms`: create (the creator becomes a moderator), list the caller's rooms, get, rename,
//! delete, and `/rooms/{id}/meetingInfo`.

use spark_model::{
    CreateRoom, EventData, EventResource, EventType, Room, RoomMeetingInfo, RoomType, UpdateRoom,
};

use super::{Ctx, Op, Reply, op, require_member, required};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Order};
use crate::state::State;

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    if let [id, "meetingInfo"] = rest {
        if ctx.method != http::Method::GET {
            return Err(Failure::method_not_allowed("GET"));
        }
        return meeting_info(ctx, id);
    }
    match op(ctx, rest, "GET, POST", "GET, PUT, DELETE")? {
        Op::List => list(ctx),
        Op::Create => create(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            require_member(&state, id, &ctx.caller)?;
            Reply::ok(&state.rooms.get(id))
        }
        Op::Update(id) => update(ctx, id),
        Op::Delete(id) => delete(ctx, id),
    }
}

/// The event data describing a room.
pub(crate) fn room_data(room: &Room) -> EventData {
    EventData {
        id: Some(room.id.clone()),
        room_id: Some(room.id.clone()),
        room_type: room.room_type.clone(),
        title: room.title.clone(),
        is_locked: room.is_locked,
        team_id: room.team_id.clone(),
        last_activity: room.last_activity,
        creator_id: room.creator_id.clone(),
        created: room.created,
        ..EventData::default()
    }
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body: CreateRoom = ctx.json()?;
    let title = required(Some(&body.title), "title")?;
    let mut state = ctx.state();
    if let Some(team_id) = &body.team_id {
        if state.teams.get(team_id).is_none() {
            return Err(Failure::not_found());
        }
        if state.team_membership_of(team_id, &ctx.caller).is_none() {
            return Err(Failure::forbidden(
                "The caller is not a member of the team.",
            ));
        }
    }
    let mut room = state.add_room(title, RoomType::Group, &ctx.caller, body.team_id.clone());
    if let Some(stored) = state.rooms.get_mut(&room.id) {
        stored.description = body.description.clone();
        stored.is_locked = Some(body.is_locked.unwrap_or(false));
        stored.is_public = Some(body.is_public.unwrap_or(false));
        stored.is_announcement_only = Some(body.is_announcement_only.unwrap_or(false));
        stored.classification_id = body.classification_id.clone();
        room = stored.clone();
    }
    state.record(
        EventResource::Rooms,
        EventType::Created,
        &ctx.caller,
        room_data(&room),
    );
    Ok(Reply::json(http::StatusCode::OK, &room))
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let team_id = ctx.query.get("teamId");
    let room_type = ctx.query.get("type").map(RoomType::from);
    let sort_by = ctx.query.get("sortBy").map(str::to_ascii_lowercase);
    let state = ctx.state();
    let mut rows: Vec<(u64, Room)> = state
        .rooms
        .iter()
        .filter(|(_, room)| state.is_member(&room.id, &ctx.caller))
        .filter(|(_, room)| team_id.is_none_or(|team| room.team_id.as_deref() == Some(team)))
        .filter(|(_, room)| {
            room_type
                .as_ref()
                .is_none_or(|kind| room.room_type.as_ref() == Some(kind))
        })
        .map(|(seq, room)| (seq, room.clone()))
        .collect();
    drop(state);
    let order = match sort_by.as_deref() {
        None | Some("") => Order::Ascending,
        Some("created") => {
            rows.reverse();
            Order::Descending
        }
        Some("lastactivity") => {
            rows.sort_by(|a, b| {
                b.1.last_activity
                    .cmp(&a.1.last_activity)
                    .then(b.0.cmp(&a.0))
            });
            Order::Positional
        }
        Some("id") => {
            rows.sort_by(|a, b| a.1.id.cmp(&b.1.id));
            Order::Positional
        }
        Some(other) => {
            return Err(Failure::bad_request(format!(
                "Invalid value for sortBy: `{other}`."
            )));
        }
    };
    paging::list(ctx, rows, order, 100)
}

fn update(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let body: UpdateRoom = ctx.json()?;
    let title = required(Some(&body.title), "title")?;
    let mut state = ctx.state();
    require_member(&state, id, &ctx.caller)?;
    let team_id = team_of_update(&state, id, body.team_id.as_deref(), &ctx.caller)?;
    let room = {
        let room = state.rooms.get_mut(id).ok_or_else(Failure::not_found)?;
        room.title = Some(title.to_owned());
        if team_id.is_some() {
            room.team_id = team_id;
        }
        if body.description.is_some() {
            room.description = body.description.clone();
        }
        if body.is_locked.is_some() {
            room.is_locked = body.is_locked;
        }
        if body.is_public.is_some() {
            room.is_public = body.is_public;
        }
        if body.is_announcement_only.is_some() {
            room.is_announcement_only = body.is_announcement_only;
        }
        if body.is_read_only.is_some() {
            room.is_read_only = body.is_read_only;
        }
        room.clone()
    };
    state.record(
        EventResource::Rooms,
        EventType::Updated,
        &ctx.caller,
        room_data(&room),
    );
    Reply::ok(&room)
}

/// The team an update puts the room in, if it names one: a room in no team may join a team the
/// caller is in; naming a team other than the room's is 400 while the `team_move` refusal is on
/// (live Webex: WebexCommunity/webex-node-bot-framework#39).
fn team_of_update(
    state: &State,
    room_id: &str,
    team_id: Option<&str>,
    caller: &str,
) -> Outcome<Option<String>> {
    let Some(team_id) = team_id.filter(|team_id| !team_id.is_empty()) else {
        return Ok(None);
    };
    let current = state
        .rooms
        .get(room_id)
        .and_then(|room| room.team_id.clone());
    if current.as_deref() == Some(team_id) {
        return Ok(None);
    }
    if current.is_some() && state.refusals.team_move {
        return Err(Failure::bad_request(
            "Currently moving room under another team is not supported in Developer API.",
        ));
    }
    if state.teams.get(team_id).is_none() {
        return Err(Failure::not_found());
    }
    if state.team_membership_of(team_id, caller).is_none() {
        return Err(Failure::forbidden(
            "The caller is not a member of the team.",
        ));
    }
    Ok(Some(team_id.to_owned()))
}

fn delete(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let mut state = ctx.state();
    require_member(&state, id, &ctx.caller)?;
    delete_room(&mut state, id, &ctx.caller);
    Reply::no_content()
}

/// Deletes a room and records it (used by team deletion too).
pub(crate) fn delete_room(state: &mut State, id: &str, actor: &str) {
    if let Some(room) = state.rooms.get(id).cloned() {
        // Record before removing, so the members' webhooks still see it.
        state.record(
            EventResource::Rooms,
            EventType::Deleted,
            actor,
            room_data(&room),
        );
        state.remove_room(id);
    }
}

fn meeting_info(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let state = ctx.state();
    require_member(&state, id, &ctx.caller)?;
    let seq = state.rooms.seq(id).unwrap_or_default();
    let number = format!("2{:09}", seq % 1_000_000_000);
    Reply::ok(&RoomMeetingInfo {
        room_id: Some(id.to_owned()),
        meeting_link: Some(format!("https://emulator.webex.example/meet/{number}")),
        sip_address: Some(format!("{number}@emulator.webex.example")),
        meeting_number: Some(number.clone()),
        meeting_id: Some(crate::ids::encode(
            format!("ciscospark://us/MEETING/{number}").as_bytes(),
        )),
        call_in_toll_free_number: Some("+1-866-555-0100".to_owned()),
        call_in_toll_number: Some("+1-408-555-0100".to_owned()),
    })
}
