//! `/v1/events`: what happened (messages, memberships, rooms, card actions), as recorded.
//!
//! The caller sees the events it caused and those of rooms it is a member of. A list reads the
//! kept events newest first from where its page starts; the store keeps a bounded window of
//! them (see `store_limits`).

use spark_model::{Event, EventResource, EventType, Timestamp};

use super::{Ctx, Op, Reply, op};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Cursor, Order};
use crate::state::State;

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match op(ctx, rest, "GET", "GET")? {
        Op::List => list(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            let event = state
                .events
                .get(id)
                .filter(|event| visible(&state, event, &ctx.caller))
                .ok_or_else(Failure::not_found)?;
            Reply::ok(event)
        }
        _ => Err(Failure::not_found()),
    }
}

fn visible(state: &State, event: &Event, caller: &str) -> bool {
    event.actor_id.as_deref() == Some(caller)
        || event
            .data
            .room_id
            .as_deref()
            .is_some_and(|room| state.is_member(room, caller))
}

fn timestamp(ctx: &Ctx<'_>, name: &str) -> Outcome<Option<Timestamp>> {
    ctx.query
        .get(name)
        .map(|raw| {
            chrono::DateTime::parse_from_rfc3339(raw)
                .map(|at| at.with_timezone(&chrono::Utc))
                .map_err(|_| Failure::bad_request(format!("Invalid value for {name}: `{raw}`.")))
        })
        .transpose()
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let resource = ctx.query.get("resource").map(EventResource::from);
    let event_type = ctx.query.get("type").map(EventType::from);
    let actor = ctx.query.get("actorId");
    let from = timestamp(ctx, "from")?;
    let to = timestamp(ctx, "to")?;
    let state = ctx.state();
    let state = &*state;
    paging::list_from(ctx, Order::Descending, 100, |cursor| {
        state
            .events
            .newest_first(Cursor::below(cursor))
            .filter(|(_, e)| visible(state, e, &ctx.caller))
            .filter(|(_, e)| {
                resource
                    .as_ref()
                    .is_none_or(|r| e.resource.as_ref() == Some(r))
            })
            .filter(|(_, e)| {
                event_type
                    .as_ref()
                    .is_none_or(|t| e.event_type.as_ref() == Some(t))
            })
            .filter(|(_, e)| actor.is_none_or(|a| e.actor_id.as_deref() == Some(a)))
            .filter(|(_, e)| from.is_none_or(|from| e.created.is_some_and(|at| at >= from)))
            .filter(|(_, e)| to.is_none_or(|to| e.created.is_some_and(|at| at < to)))
            .map(|(seq, e)| (seq, e.clone()))
    })
}
