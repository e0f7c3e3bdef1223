//! `/v1/webhooks`: the caller's webhooks; deliveries are in [`crate::webhooks`].

use spark_model::{CreateWebhook, UpdateWebhook, Webhook, WebhookOwner, WebhookStatus};

use super::{Ctx, Op, Reply, op, required};
use crate::errors::{Failure, Outcome};
use crate::paging::{self, Order};
use crate::state::{State, now};

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match op(ctx, rest, "GET, POST", "GET, PUT, DELETE")? {
        Op::List => list(ctx),
        Op::Create => create(ctx),
        Op::Get(id) => {
            let state = ctx.state();
            Reply::ok(owned(&state, id, &ctx.caller)?)
        }
        Op::Update(id) => update(ctx, id),
        Op::Delete(id) => {
            let mut state = ctx.state();
            owned(&state, id, &ctx.caller)?;
            state.webhooks.remove(id);
            Reply::no_content()
        }
    }
}

/// The caller's webhook with this id (404 for anyone else's, as they are invisible).
fn owned<'s>(state: &'s State, id: &str, caller: &str) -> Outcome<&'s Webhook> {
    state
        .webhooks
        .get(id)
        .filter(|webhook| webhook.created_by.as_deref() == Some(caller))
        .ok_or_else(Failure::not_found)
}

fn check_target(url: &str) -> Outcome<()> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(())
    } else {
        Err(Failure::bad_request(
            "targetUrl must be an http or https URL.",
        ))
    }
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body: CreateWebhook = ctx.json()?;
    let name = required(Some(&body.name), "name")?;
    let target_url = required(Some(&body.target_url), "targetUrl")?;
    check_target(target_url)?;
    let mut state = ctx.state();
    let (seq, id) = state.next_id("WEBHOOK");
    let webhook = Webhook {
        id,
        name: Some(name.to_owned()),
        target_url: Some(target_url.to_owned()),
        resource: Some(body.resource.clone()),
        event: Some(body.event.clone()),
        filter: body.filter.clone().filter(|filter| !filter.is_empty()),
        secret: body
            .secret
            .clone()
            .filter(|secret| !secret.expose_secret().is_empty()),
        status: Some(WebhookStatus::Active),
        created: Some(now()),
        owned_by: Some(body.owned_by.clone().unwrap_or(WebhookOwner::Creator)),
        org_id: Some(state.org_id.clone()),
        created_by: Some(ctx.caller.clone()),
        app_id: None,
    };
    state.webhooks.insert(seq, webhook.clone());
    Reply::ok(&webhook)
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let state = ctx.state();
    let rows: Vec<(u64, Webhook)> = state
        .webhooks
        .iter()
        .filter(|(_, webhook)| webhook.created_by.as_deref() == Some(ctx.caller.as_str()))
        .map(|(seq, webhook)| (seq, webhook.clone()))
        .collect();
    drop(state);
    paging::list(ctx, rows, Order::Ascending, 100)
}

fn update(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let body: UpdateWebhook = ctx.json()?;
    let name = required(Some(&body.name), "name")?;
    let target_url = required(Some(&body.target_url), "targetUrl")?;
    check_target(target_url)?;
    let mut state = ctx.state();
    owned(&state, id, &ctx.caller)?;
    let webhook = state.webhooks.get_mut(id).ok_or_else(Failure::not_found)?;
    webhook.name = Some(name.to_owned());
    webhook.target_url = Some(target_url.to_owned());
    if body.secret.is_some() {
        webhook.secret = body
            .secret
            .clone()
            .filter(|secret| !secret.expose_secret().is_empty());
    }
    if body.status.is_some() {
        webhook.status = body.status.clone();
    }
    if body.owned_by.is_some() {
        webhook.owned_by = body.owned_by.clone();
    }
    Reply::ok(&webhook.clone())
}
