//! `/v1/attachment/actions`: card submissions (create for a message with a card, get).

use spark_model::{
    AttachmentAction, AttachmentActionType, CreateAttachmentAction, EventData, EventResource,
    EventType,
};

use super::{Ctx, Op, Reply, op, require_member, required};
use crate::errors::{Failure, Outcome};
use crate::state::now;

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match op(ctx, rest, "POST", "GET")? {
        Op::Create => create(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            let action = state
                .attachment_actions
                .get(id)
                .ok_or_else(Failure::not_found)?;
            require_member(
                &state,
                action.room_id.as_deref().unwrap_or_default(),
                &ctx.caller,
            )?;
            Reply::ok(action)
        }
        _ => Err(Failure::not_found()),
    }
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body: CreateAttachmentAction = ctx.json()?;
    let message_id = required(Some(&body.message_id), "messageId")?;
    if body.action_type != AttachmentActionType::Submit {
        return Err(Failure::bad_request("type must be `submit`."));
    }
    let mut state = ctx.state();
    let message = state
        .messages
        .get(message_id)
        .ok_or_else(Failure::not_found)?;
    let room_id = message.room_id.clone().unwrap_or_default();
    require_member(&state, &room_id, &ctx.caller)?;
    if message.card().is_none() {
        return Err(Failure::bad_request("The message has no card."));
    }
    let (seq, id) = state.next_id("ATTACHMENT_ACTION");
    let action = AttachmentAction {
        id: id.clone(),
        person_id: Some(ctx.caller.clone()),
        room_id: Some(room_id.clone()),
        action_type: Some(AttachmentActionType::Submit),
        message_id: Some(message_id.to_owned()),
        inputs: Some(body.inputs.clone()),
        created: Some(now()),
    };
    state.attachment_actions.insert(seq, action.clone());
    let data = EventData {
        id: Some(id),
        room_id: Some(room_id),
        room_type: message.room_type.clone(),
        person_id: Some(ctx.caller.clone()),
        message_id: Some(message_id.to_owned()),
        created: action.created,
        ..EventData::default()
    };
    state.record(
        EventResource::AttachmentActions,
        EventType::Created,
        &ctx.caller,
        data,
    );
    Reply::ok(&action)
}
