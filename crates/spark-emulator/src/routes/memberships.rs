//! `/v1/memberships`: who is in which room; add by id or email, make moderator, remove.

use spark_model::{
    CreateMembership, EventData, EventResource, EventType, Membership, RoomType, UpdateMembership,
};

use super::{Ctx, Op, Reply, op, require_member, required};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Order};

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match op(ctx, rest, "GET, POST", "GET, PUT, DELETE")? {
        Op::List => list(ctx),
        Op::Create => create(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            let membership = state.memberships.get(id).ok_or_else(Failure::not_found)?;
            require_member(
                &state,
                membership.room_id.as_deref().unwrap_or_default(),
                &ctx.caller,
            )?;
            Reply::ok(membership)
        }
        Op::Update(id) => update(ctx, id),
        Op::Delete(id) => delete(ctx, id),
    }
}

/// The event data describing a membership.
pub(crate) fn membership_data(membership: &Membership) -> EventData {
    EventData {
        id: Some(membership.id.clone()),
        room_id: membership.room_id.clone(),
        room_type: membership.room_type.clone(),
        person_id: membership.person_id.clone(),
        person_email: membership.person_email.clone(),
        person_display_name: membership.person_display_name.clone(),
        person_org_id: membership.person_org_id.clone(),
        is_moderator: membership.is_moderator,
        is_monitor: membership.is_monitor,
        created: membership.created,
        ..EventData::default()
    }
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let room_id = ctx.query.get("roomId");
    let person_id = ctx.query.get("personId");
    let person_email = ctx.query.get("personEmail");
    let state = ctx.state();
    if let Some(room_id) = room_id {
        require_member(&state, room_id, &ctx.caller)?;
    } else if person_id.is_some() || person_email.is_some() {
        return Err(Failure::bad_request(
            "roomId is required when filtering by personId or personEmail.",
        ));
    }
    let rows: Vec<(u64, Membership)> = state
        .memberships
        .iter()
        .filter(|(_, m)| match room_id {
            Some(room_id) => m.room_id.as_deref() == Some(room_id),
            None => m.person_id.as_deref() == Some(ctx.caller.as_str()),
        })
        .filter(|(_, m)| person_id.is_none_or(|id| m.person_id.as_deref() == Some(id)))
        .filter(|(_, m)| {
            person_email.is_none_or(|email| {
                m.person_email
                    .as_deref()
                    .is_some_and(|known| known.eq_ignore_ascii_case(email))
            })
        })
        .map(|(seq, m)| (seq, m.clone()))
        .collect();
    drop(state);
    paging::list(ctx, rows, Order::Ascending, 100)
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body: CreateMembership = ctx.json()?;
    let room_id = required(Some(&body.room_id), "roomId")?;
    let mut state = ctx.state();
    require_member(&state, room_id, &ctx.caller)?;
    if state
        .rooms
        .get(room_id)
        .and_then(|room| room.room_type.clone())
        == Some(RoomType::Direct)
    {
        return Err(Failure::bad_request(
            "People cannot be added to a direct room.",
        ));
    }
    let person_id = match (&body.person_id, &body.person_email) {
        (Some(id), _) if !id.is_empty() => state
            .people
            .get(id)
            .ok_or_else(Failure::not_found)?
            .id
            .clone(),
        (_, Some(email)) if !email.is_empty() => state.person_by_email_or_invite(email).id,
        _ => return Err(Failure::bad_request("personId or personEmail is required.")),
    };
    if state.is_member(room_id, &person_id) {
        return Err(Failure::conflict(
            "The person is already a member of the room.",
        ));
    }
    let membership = state.add_membership(room_id, &person_id, body.is_moderator.unwrap_or(false));
    state.touch_room(room_id);
    state.record(
        EventResource::Memberships,
        EventType::Created,
        &ctx.caller,
        membership_data(&membership),
    );
    Reply::ok(&membership)
}

fn update(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let body: UpdateMembership = ctx.json()?;
    // Only the fields the body names change, as live Webex (issue 14): a missing field is not
    // `false`.
    let named: serde_json::Value = ctx.json()?;
    let names = |field: &str| named.get(field).is_some_and(|value| !value.is_null());
    let mut state = ctx.state();
    let room_id = state
        .memberships
        .get(id)
        .ok_or_else(Failure::not_found)?
        .room_id
        .clone()
        .unwrap_or_default();
    require_member(&state, &room_id, &ctx.caller)?;
    let membership = {
        let membership = state
            .memberships
            .get_mut(id)
            .ok_or_else(Failure::not_found)?;
        if names("isModerator") {
            membership.is_moderator = Some(body.is_moderator);
        }
        if names("isRoomHidden") {
            membership.is_room_hidden = Some(body.is_room_hidden);
        }
        membership.clone()
    };
    state.record(
        EventResource::Memberships,
        EventType::Updated,
        &ctx.caller,
        membership_data(&membership),
    );
    Reply::ok(&membership)
}

fn delete(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let mut state = ctx.state();
    let membership = state
        .memberships
        .get(id)
        .ok_or_else(Failure::not_found)?
        .clone();
    require_member(
        &state,
        membership.room_id.as_deref().unwrap_or_default(),
        &ctx.caller,
    )?;
    state.record(
        EventResource::Memberships,
        EventType::Deleted,
        &ctx.caller,
        membership_data(&membership),
    );
    state.memberships.remove(id);
    Reply::no_content()
}
