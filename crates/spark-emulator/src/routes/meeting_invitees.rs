//! `/v1/meetingInvitees`: the invitees of a meeting: list (`meetingId` required), invite one,
//! invite many (`/bulkInsert`), get, update and delete one.
//!
//! The meeting's host manages its invitees; invitees may read them; anyone else gets 404. An
//! administrator acts as the host with `hostEmail`, as for meetings.

use http::Method;
use serde::Deserialize;
use serde_json::json;
use spark_model::Person;

use super::flags::flag;
use super::meetings::{acting, object, require_host, text, visible};
use super::{Ctx, Reply, required};
use crate::errors::{Failure, Outcome, bad_json};
use crate::meeting::Invitee;
use crate::paging::{self, Order};
use crate::state::State;

/// The most invitees one `bulkInsert` takes.
const MAX_BULK: usize = 100;

/// An invitee as a request gives it (in `POST /meetings` `invitees`, `bulkInsert` `items`, or
/// alone).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct InviteeInput {
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    co_host: Option<bool>,
    #[serde(default)]
    panelist: Option<bool>,
}

impl InviteeInput {
    /// 400 unless it has an email address.
    pub(crate) fn check(&self) -> Outcome<()> {
        let email = required(self.email.as_deref(), "email")?;
        if !email.contains('@') {
            return Err(Failure::bad_request(format!(
                "email is not a valid email address: `{email}`."
            )));
        }
        Ok(())
    }

    /// The email address (empty if none: [`InviteeInput::check`] first).
    pub(crate) fn email(&self) -> String {
        self.email.clone().unwrap_or_default().trim().to_owned()
    }
}

/// The body of `POST /meetingInvitees`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateInvitee {
    #[serde(default)]
    meeting_id: Option<String>,
    #[serde(default)]
    host_email: Option<String>,
    #[serde(flatten)]
    invitee: InviteeInput,
}

/// The body of `POST /meetingInvitees/bulkInsert`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateInvitees {
    #[serde(default)]
    meeting_id: Option<String>,
    #[serde(default)]
    host_email: Option<String>,
    #[serde(default)]
    items: Vec<InviteeInput>,
}

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match rest {
        [] => match ctx.method {
            Method::GET => list(ctx),
            Method::POST => create(ctx),
            _ => Err(Failure::method_not_allowed("GET, POST")),
        },
        ["bulkInsert"] => match ctx.method {
            Method::POST => bulk_insert(ctx),
            _ => Err(Failure::method_not_allowed("POST")),
        },
        [id] => match ctx.method {
            Method::GET => get(ctx, id),
            Method::PUT => update(ctx, id),
            Method::DELETE => delete(ctx, id),
            _ => Err(Failure::method_not_allowed("GET, PUT, DELETE")),
        },
        _ => Err(Failure::not_found()),
    }
}

/// Adds an invitee (checked, not yet invited) to a meeting series.
pub(crate) fn new_invitee(state: &mut State, meeting_id: &str, input: &InviteeInput) -> Invitee {
    let email = input.email();
    let display_name = input
        .display_name
        .clone()
        .filter(|name| !name.trim().is_empty())
        .or_else(|| {
            state
                .person_by_email(&email)
                .and_then(|person| person.display_name.clone())
        })
        .unwrap_or_else(|| email.clone());
    let (seq, _) = state.next_id("MEETING_INVITEE");
    let invitee = Invitee {
        id: state.meetings.invitee_id(meeting_id),
        email,
        display_name,
        co_host: input.co_host.unwrap_or(false),
        meeting_id: meeting_id.to_owned(),
        panelist: input.panelist.unwrap_or(false),
    };
    state.meetings.invitees.insert(seq, invitee.clone());
    invitee
}

fn already_invited(email: &str) -> Failure {
    Failure::conflict(format!("{email} is already invited to the meeting."))
}

/// The meeting series `meeting_id` names, for its host (403 for an invitee, 404 for others).
fn hosted_series(state: &State, meeting_id: &str, person: &Person) -> Outcome<String> {
    let (meeting, _) = visible(state, meeting_id, person)?;
    require_host(meeting, person)?;
    Ok(meeting.id.clone())
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let meeting_id = required(ctx.query.get("meetingId"), "meetingId")?;
    let panelist = flag(ctx, "panelist")?;
    let state = ctx.state();
    let person = acting(&state, ctx, ctx.query.get("hostEmail"))?;
    let (meeting, _) = visible(&state, meeting_id, &person)?;
    let rows: Vec<(u64, Invitee)> = state
        .meetings
        .invitees
        .iter()
        .filter(|(_, invitee)| invitee.meeting_id == meeting.id)
        .filter(|(_, invitee)| panelist.is_none_or(|panelist| invitee.panelist == panelist))
        .map(|(seq, invitee)| (seq, invitee.clone()))
        .collect();
    drop(state);
    paging::list(ctx, rows, Order::Ascending, 10)
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body: CreateInvitee = ctx.json()?;
    let meeting_id = required(body.meeting_id.as_deref(), "meetingId")?;
    body.invitee.check()?;
    let mut state = ctx.state();
    let person = acting(&state, ctx, body.host_email.as_deref())?;
    let series = hosted_series(&state, meeting_id, &person)?;
    let email = body.invitee.email();
    if state.meetings.invitee_by_email(&series, &email).is_some() {
        return Err(already_invited(&email));
    }
    Reply::ok(&new_invitee(&mut state, &series, &body.invitee))
}

fn bulk_insert(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body: CreateInvitees = ctx.json()?;
    let meeting_id = required(body.meeting_id.as_deref(), "meetingId")?;
    if body.items.is_empty() {
        return Err(Failure::bad_request("items is required."));
    }
    if body.items.len() > MAX_BULK {
        return Err(Failure::bad_request(format!(
            "items cannot have more than {MAX_BULK} invitees."
        )));
    }
    for item in &body.items {
        item.check()?;
    }
    let mut state = ctx.state();
    let person = acting(&state, ctx, body.host_email.as_deref())?;
    let series = hosted_series(&state, meeting_id, &person)?;
    let mut seen: Vec<String> = Vec::new();
    for item in &body.items {
        let email = item.email().to_lowercase();
        if seen.contains(&email) || state.meetings.invitee_by_email(&series, &email).is_some() {
            return Err(already_invited(&item.email()));
        }
        seen.push(email);
    }
    let items: Vec<Invitee> = body
        .items
        .iter()
        .map(|item| new_invitee(&mut state, &series, item))
        .collect();
    Reply::ok(&json!({ "items": items }))
}

/// The invitee with this id and the series it belongs to, if the person may see the series.
fn find(state: &State, id: &str, person: &Person) -> Outcome<Invitee> {
    let invitee = state
        .meetings
        .invitees
        .get(id)
        .cloned()
        .ok_or_else(Failure::not_found)?;
    visible(state, &invitee.meeting_id, person)?;
    Ok(invitee)
}

fn get(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let state = ctx.state();
    let person = acting(&state, ctx, ctx.query.get("hostEmail"))?;
    Reply::ok(&find(&state, id, &person)?)
}

fn update(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let body = object(ctx)?;
    let input: InviteeInput = serde_json::from_value(serde_json::Value::Object(body.clone()))
        .map_err(|e| bad_json(&e))?;
    input.check()?;
    let mut state = ctx.state();
    let person = acting(&state, ctx, text(&body, "hostEmail")?)?;
    let invitee = find(&state, id, &person)?;
    hosted_series(&state, &invitee.meeting_id, &person)?;
    let email = input.email();
    let taken = state
        .meetings
        .invitee_by_email(&invitee.meeting_id, &email)
        .is_some_and(|other| other.id != invitee.id);
    if taken {
        return Err(already_invited(&email));
    }
    let stored = state
        .meetings
        .invitees
        .get_mut(id)
        .ok_or_else(Failure::not_found)?;
    stored.email = email;
    if let Some(name) = input.display_name.filter(|name| !name.trim().is_empty()) {
        stored.display_name = name;
    }
    if let Some(co_host) = input.co_host {
        stored.co_host = co_host;
    }
    if let Some(panelist) = input.panelist {
        stored.panelist = panelist;
    }
    Reply::ok(&stored.clone())
}

fn delete(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    flag(ctx, "sendEmail")?;
    let mut state = ctx.state();
    let person = acting(&state, ctx, ctx.query.get("hostEmail"))?;
    let invitee = find(&state, id, &person)?;
    hosted_series(&state, &invitee.meeting_id, &person)?;
    state.meetings.invitees.remove(id);
    Reply::no_content()
}
