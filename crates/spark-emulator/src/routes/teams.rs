//! `/v1/teams`: create (with its general room), list the caller's teams, get, rename, delete
//! (with its rooms).

use spark_model::{CreateTeam, EventResource, EventType, RoomType, Team, UpdateTeam};

use super::{Ctx, Op, Reply, op, required};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Order};
use crate::routes::rooms::{delete_room, room_data};
use crate::state::{State, now};

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match op(ctx, rest, "GET, POST", "GET, PUT, DELETE")? {
        Op::List => list(ctx),
        Op::Create => create(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            require_team_member(&state, id, &ctx.caller)?;
            Reply::ok(&state.teams.get(id))
        }
        Op::Update(id) => update(ctx, id),
        Op::Delete(id) => delete(ctx, id),
    }
}

/// 404 for an unknown team, 403 if the person is not in it.
pub(crate) fn require_team_member(state: &State, team_id: &str, person_id: &str) -> Outcome<()> {
    if state.teams.get(team_id).is_none() {
        return Err(Failure::not_found());
    }
    if state.team_membership_of(team_id, person_id).is_none() {
        return Err(Failure::forbidden(
            "The caller is not a member of the team.",
        ));
    }
    Ok(())
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body: CreateTeam = ctx.json()?;
    let name = required(Some(&body.name), "name")?;
    let mut state = ctx.state();
    let (seq, id) = state.next_id("TEAM");
    let team = Team {
        id: id.clone(),
        name: Some(name.to_owned()),
        description: body.description.clone(),
        created: Some(now()),
    };
    state.teams.insert(seq, team.clone());
    state.add_team_membership(&id, &ctx.caller, true);
    let room = state.add_room(name, RoomType::Group, &ctx.caller, Some(id.clone()));
    state.general_rooms.insert(id, room.id.clone());
    state.record(
        EventResource::Rooms,
        EventType::Created,
        &ctx.caller,
        room_data(&room),
    );
    Reply::ok(&team)
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let state = ctx.state();
    let rows: Vec<(u64, Team)> = state
        .teams
        .iter()
        .filter(|(_, team)| state.team_membership_of(&team.id, &ctx.caller).is_some())
        .map(|(seq, team)| (seq, team.clone()))
        .collect();
    drop(state);
    paging::list(ctx, rows, Order::Ascending, 100)
}

fn update(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let body: UpdateTeam = ctx.json()?;
    let name = required(Some(&body.name), "name")?;
    let mut state = ctx.state();
    require_team_member(&state, id, &ctx.caller)?;
    let team = state.teams.get_mut(id).ok_or_else(Failure::not_found)?;
    team.name = Some(name.to_owned());
    if body.description.is_some() {
        team.description = body.description.clone();
    }
    Reply::ok(&team.clone())
}

fn delete(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let mut state = ctx.state();
    require_team_member(&state, id, &ctx.caller)?;
    let rooms: Vec<String> = state
        .rooms
        .iter()
        .filter(|(_, room)| room.team_id.as_deref() == Some(id))
        .map(|(_, room)| room.id.clone())
        .collect();
    for room in rooms {
        delete_room(&mut state, &room, &ctx.caller);
    }
    state.teams.remove(id);
    state
        .team_memberships
        .retain(|m| m.team_id.as_deref() != Some(id));
    state.general_rooms.remove(id);
    Reply::no_content()
}
