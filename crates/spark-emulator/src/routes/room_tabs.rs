//! `/v1/room/tabs`: the tabs pinned to rooms.

use spark_model::{CreateRoomTab, RoomTab, UpdateRoomTab};

use super::{Ctx, Op, Reply, op, require_member, required};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Order};
use crate::state::now;

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match op(ctx, rest, "GET, POST", "GET, PUT, DELETE")? {
        Op::List => list(ctx),
        Op::Create => create(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            let tab = state.tabs.get(id).ok_or_else(Failure::not_found)?;
            require_member(
                &state,
                tab.room_id.as_deref().unwrap_or_default(),
                &ctx.caller,
            )?;
            Reply::ok(tab)
        }
        Op::Update(id) => update(ctx, id),
        Op::Delete(id) => {
            let mut state = ctx.state();
            let tab = state.tabs.get(id).ok_or_else(Failure::not_found)?;
            let room_id = tab.room_id.clone().unwrap_or_default();
            require_member(&state, &room_id, &ctx.caller)?;
            state.tabs.remove(id);
            Reply::no_content()
        }
    }
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let room_id = required(ctx.query.get("roomId"), "roomId")?;
    let state = ctx.state();
    require_member(&state, room_id, &ctx.caller)?;
    let rows: Vec<(u64, RoomTab)> = state
        .tabs
        .iter()
        .filter(|(_, tab)| tab.room_id.as_deref() == Some(room_id))
        .map(|(seq, tab)| (seq, tab.clone()))
        .collect();
    drop(state);
    paging::list(ctx, rows, Order::Ascending, 100)
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body: CreateRoomTab = ctx.json()?;
    let room_id = required(Some(&body.room_id), "roomId")?;
    let content_url = required(Some(&body.content_url), "contentUrl")?;
    let display_name = required(Some(&body.display_name), "displayName")?;
    let mut state = ctx.state();
    require_member(&state, room_id, &ctx.caller)?;
    let room_type = state
        .rooms
        .get(room_id)
        .and_then(|room| room.room_type.clone());
    let (seq, id) = state.next_id("TAB");
    let tab = RoomTab {
        id,
        room_id: Some(room_id.to_owned()),
        room_type,
        display_name: Some(display_name.to_owned()),
        content_url: Some(content_url.to_owned()),
        creator_id: Some(ctx.caller.clone()),
        created: Some(now()),
    };
    state.tabs.insert(seq, tab.clone());
    Reply::ok(&tab)
}

fn update(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let body: UpdateRoomTab = ctx.json()?;
    let room_id = required(Some(&body.room_id), "roomId")?;
    let content_url = required(Some(&body.content_url), "contentUrl")?;
    let display_name = required(Some(&body.display_name), "displayName")?;
    let mut state = ctx.state();
    let tab = state.tabs.get(id).ok_or_else(Failure::not_found)?;
    if tab.room_id.as_deref() != Some(room_id) {
        return Err(Failure::bad_request("The tab is not in that room."));
    }
    require_member(&state, room_id, &ctx.caller)?;
    let tab = state.tabs.get_mut(id).ok_or_else(Failure::not_found)?;
    tab.content_url = Some(content_url.to_owned());
    tab.display_name = Some(display_name.to_owned());
    Reply::ok(&tab.clone())
}
