//! `/v1/team/memberships`: who is in which team; joining a team joins its general room.

use spark_model::{
    CreateTeamMembership, EventResource, EventType, TeamMembership, UpdateTeamMembership,
};

use super::{Ctx, Op, Reply, op, required};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Order};
use crate::routes::memberships::membership_data;
use crate::routes::teams::require_team_member;

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match op(ctx, rest, "GET, POST", "GET, PUT, DELETE")? {
        Op::List => list(ctx),
        Op::Create => create(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            let membership = state
                .team_memberships
                .get(id)
                .ok_or_else(Failure::not_found)?;
            require_team_member(
                &state,
                membership.team_id.as_deref().unwrap_or_default(),
                &ctx.caller,
            )?;
            Reply::ok(membership)
        }
        Op::Update(id) => update(ctx, id),
        Op::Delete(id) => delete(ctx, id),
    }
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let team_id = required(ctx.query.get("teamId"), "teamId")?;
    let state = ctx.state();
    require_team_member(&state, team_id, &ctx.caller)?;
    let rows: Vec<(u64, TeamMembership)> = state
        .team_memberships
        .iter()
        .filter(|(_, m)| m.team_id.as_deref() == Some(team_id))
        .map(|(seq, m)| (seq, m.clone()))
        .collect();
    drop(state);
    paging::list(ctx, rows, Order::Ascending, 100)
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body: CreateTeamMembership = ctx.json()?;
    let team_id = required(Some(&body.team_id), "teamId")?;
    let mut state = ctx.state();
    require_team_member(&state, team_id, &ctx.caller)?;
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
    if state.team_membership_of(team_id, &person_id).is_some() {
        return Err(Failure::conflict(
            "The person is already a member of the team.",
        ));
    }
    let membership =
        state.add_team_membership(team_id, &person_id, body.is_moderator.unwrap_or(false));
    if let Some(room_id) = state.general_rooms.get(team_id).cloned() {
        if !state.is_member(&room_id, &person_id) {
            let room_membership = state.add_membership(&room_id, &person_id, false);
            state.record(
                EventResource::Memberships,
                EventType::Created,
                &ctx.caller,
                membership_data(&room_membership),
            );
        }
    }
    Reply::ok(&membership)
}

fn update(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let body: UpdateTeamMembership = ctx.json()?;
    let mut state = ctx.state();
    let team_id = state
        .team_memberships
        .get(id)
        .ok_or_else(Failure::not_found)?
        .team_id
        .clone()
        .unwrap_or_default();
    require_team_member(&state, &team_id, &ctx.caller)?;
    let membership = state
        .team_memberships
        .get_mut(id)
        .ok_or_else(Failure::not_found)?;
    membership.is_moderator = Some(body.is_moderator);
    Reply::ok(&membership.clone())
}

fn delete(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let mut state = ctx.state();
    let membership = state
        .team_memberships
        .get(id)
        .ok_or_else(Failure::not_found)?
        .clone();
    let team_id = membership.team_id.clone().unwrap_or_default();
    require_team_member(&state, &team_id, &ctx.caller)?;
    state.team_memberships.remove(id);
    // Leaving a team leaves its rooms.
    let person = membership.person_id.clone().unwrap_or_default();
    let team_rooms: Vec<String> = state
        .rooms
        .iter()
        .filter(|(_, room)| room.team_id.as_deref() == Some(team_id.as_str()))
        .map(|(_, room)| room.id.clone())
        .collect();
    for room_id in team_rooms {
        if let Some(room_membership) = state.membership_of(&room_id, &person).cloned() {
            state.record(
                EventResource::Memberships,
                EventType::Deleted,
                &ctx.caller,
                membership_data(&room_membership),
            );
            state.memberships.remove(&room_membership.id);
        }
    }
    Reply::no_content()
}
