//! `/v1/meetings`: schedule a meeting, list meetings (by type, state and time window, or by
//! meeting number or web link), get one (the series or its scheduled meeting), update it (`PUT`
//! replaces, `PATCH` changes what it gives) and delete it.
//!
//! The host manages a meeting; its invitees may read it; anyone else gets 404, as from Webex. An
//! administrator acts as another host with `hostEmail` (a query parameter, or a field of the
//! body); others' `hostEmail` is ignored.

use chrono::{DateTime, Duration, Utc};
use http::Method;
use serde_json::{Map, Value};
use spark_model::Person;

use super::flags::flag;
use super::meeting_invitees::{InviteeInput, new_invitee};
use super::{Ctx, Reply, required};
use crate::admin::is_admin;
use crate::errors::{Failure, Outcome};
use crate::meeting::{Meeting, View, meeting_number, web_link};
use crate::meeting_time::{parse_field, round_start, to_minute};
use crate::paging::{self, Order};
use crate::state::{State, now};

/// Operations of the Meetings API under `/meetings/` that the emulator does not serve (they are
/// not meeting ids).
const OTHER_OPERATIONS: [&str; 10] = [
    "controls",
    "join",
    "pollResults",
    "polls",
    "postMeetingChats",
    "q_and_a",
    "reassignHost",
    "sessionTypes",
    "templates",
    "trackingCodes",
];

/// The values of `meetingType`.
const MEETING_TYPES: [&str; 3] = ["meetingSeries", "scheduledMeeting", "meeting"];

/// The values of `state`.
const STATES: [&str; 8] = [
    "active",
    "scheduled",
    "ready",
    "lobby",
    "inProgress",
    "ended",
    "missed",
    "expired",
];

/// The shortest and longest meeting.
const MIN_MINUTES: i64 = 10;
const MAX_MINUTES: i64 = 23 * 60 + 59;

/// Whether an update replaces the meeting (`PUT`) or changes what it gives (`PATCH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Replace,
    Merge,
}

/// Whether the path below `/meetings` is one of the meetings kept with state (the collection or
/// one meeting); the others answer from the specs' examples.
pub(crate) fn has_state(rest: &[&str]) -> bool {
    match rest {
        [] => true,
        [other] => !OTHER_OPERATIONS.contains(other),
        _ => false,
    }
}

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match rest {
        [] => match ctx.method {
            Method::GET => list(ctx),
            Method::POST => create(ctx),
            _ => Err(Failure::method_not_allowed("GET, POST")),
        },
        [other] if OTHER_OPERATIONS.contains(other) => Err(Failure::not_found()),
        [id] => match ctx.method {
            Method::GET => get(ctx, id),
            Method::PUT => update(ctx, id, Mode::Replace),
            Method::PATCH => update(ctx, id, Mode::Merge),
            Method::DELETE => delete(ctx, id),
            _ => Err(Failure::method_not_allowed("GET, PUT, PATCH, DELETE")),
        },
        _ => Err(Failure::not_found()),
    }
}

/// The JSON object of the body; 400 if it is not one.
pub(crate) fn object(ctx: &Ctx<'_>) -> Outcome<Map<String, Value>> {
    ctx.json()
}

/// A string field of a body (`null` counts as absent); 400 naming it if it is something else.
pub(crate) fn text<'a>(body: &'a Map<String, Value>, name: &str) -> Outcome<Option<&'a str>> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(Failure::bad_request(format!("{name} must be a string."))),
    }
}

/// The person the caller acts for: the person of `host_email` for an administrator, else the
/// caller.
pub(crate) fn acting(state: &State, ctx: &Ctx<'_>, host_email: Option<&str>) -> Outcome<Person> {
    if let Some(email) = host_email.filter(|_| is_admin(state, &ctx.caller)) {
        return state.person_by_email(email).cloned().ok_or_else(|| {
            Failure::bad_request(format!("hostEmail `{email}` is not a user of the site."))
        });
    }
    state
        .people
        .get(&ctx.caller)
        .cloned()
        .ok_or_else(Failure::not_found)
}

fn email_of(person: &Person) -> &str {
    person
        .emails
        .as_ref()
        .and_then(|emails| emails.first())
        .map_or("", String::as_str)
}

/// Whether a person hosts a meeting or is invited to it.
pub(crate) fn can_see(state: &State, meeting: &Meeting, person: &Person) -> bool {
    meeting.host_id == person.id
        || state
            .meetings
            .invitee_by_email(&meeting.id, email_of(person))
            .is_some()
}

/// The meeting an id names, if the person may see it (404 otherwise), and which view.
pub(crate) fn visible<'a>(
    state: &'a State,
    id: &str,
    person: &Person,
) -> Outcome<(&'a Meeting, View)> {
    state
        .meetings
        .find(id)
        .filter(|(meeting, _)| can_see(state, meeting, person))
        .ok_or_else(Failure::not_found)
}

/// 403 unless the person hosts the meeting.
pub(crate) fn require_host(meeting: &Meeting, person: &Person) -> Outcome<()> {
    if meeting.host_id == person.id {
        Ok(())
    } else {
        Err(Failure::forbidden("Only the host may change the meeting."))
    }
}

/// Checks and rounds the times of a meeting, as Webex does: `start` not in the past, `end` after
/// it, 10 minutes to 23 hours 59 minutes long.
fn check_times(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Outcome<(DateTime<Utc>, DateTime<Utc>)> {
    if start < to_minute(now) {
        return Err(Failure::bad_request(
            "start cannot be before the current date and time.",
        ));
    }
    let start = round_start(start, now);
    let end = to_minute(end);
    if end <= start {
        return Err(Failure::bad_request("end cannot be before start."));
    }
    let minutes = (end - start).num_minutes();
    if minutes < MIN_MINUTES {
        return Err(Failure::bad_request(
            "The duration between start and end cannot be shorter than 10 minutes.",
        ));
    }
    if minutes > MAX_MINUTES {
        return Err(Failure::bad_request(
            "The duration between start and end cannot be longer than 23 hours 59 minutes.",
        ));
    }
    Ok((start, end))
}

/// The invitees a meeting is created with (`invitees`), checked.
fn invitees_of(body: &Map<String, Value>) -> Outcome<Vec<InviteeInput>> {
    match body.get("invitees") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(value) => serde_json::from_value::<Vec<InviteeInput>>(value.clone())
            .map_err(|error| Failure::bad_request(format!("invitees is not valid: {error}"))),
    }
}

fn create(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let body = object(ctx)?;
    let title = required(text(&body, "title")?, "title")?.to_owned();
    let start = required(text(&body, "start")?, "start")?;
    let end = required(text(&body, "end")?, "end")?;
    let at = now();
    let (start, end) = check_times(parse_field(start, "start")?, parse_field(end, "end")?, at)?;
    let agenda = text(&body, "agenda")?.map(str::to_owned);
    let password = text(&body, "password")?.map(str::to_owned);
    let timezone = text(&body, "timezone")?.unwrap_or("UTC").to_owned();
    let recurrence = text(&body, "recurrence")?.map(str::to_owned);
    let invitees = invitees_of(&body)?;
    for invitee in &invitees {
        invitee.check()?;
    }
    let mut state = ctx.state();
    let host = acting(&state, ctx, text(&body, "hostEmail")?)?;
    let (seq, _) = state.next_id("MEETING");
    let id = state.random.secret(2);
    let password = password.unwrap_or_else(|| format!("Em{}", &state.random.secret(1)[..8]));
    let mut meeting = Meeting {
        id: id.clone(),
        host_id: host.id.clone(),
        host_email: email_of(&host).to_owned(),
        host_display_name: host.display_name.clone().unwrap_or_default(),
        title,
        agenda,
        password,
        start,
        end,
        timezone,
        recurrence,
        options: Meeting::default_options(),
    };
    meeting.apply_options(&body, false)?;
    let answer = meeting.to_json(View::Series, at);
    state.meetings.series.insert(seq, meeting);
    for invitee in invitees {
        if state
            .meetings
            .invitee_by_email(&id, &invitee.email())
            .is_none()
        {
            new_invitee(&mut state, &id, &invitee);
        }
    }
    Reply::ok(&answer)
}

fn get(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let current = flag(ctx, "current")?.unwrap_or(false);
    let state = ctx.state();
    let person = acting(&state, ctx, ctx.query.get("hostEmail"))?;
    let (meeting, view) = visible(&state, id, &person)?;
    let view = if current { View::Scheduled } else { view };
    Reply::ok(&meeting.to_json(view, now()))
}

/// The time window of a list: `from` and `to`, or their defaults (a week from now, or a week
/// either side of the one given).
fn window(ctx: &Ctx<'_>, at: DateTime<Utc>) -> Outcome<(DateTime<Utc>, DateTime<Utc>)> {
    let from = ctx
        .query
        .get("from")
        .map(|text| parse_field(text, "from"))
        .transpose()?;
    let to = ctx
        .query
        .get("to")
        .map(|text| parse_field(text, "to"))
        .transpose()?;
    let week = Duration::days(7);
    let (from, to) = match (from, to) {
        (Some(from), Some(to)) => (from, to),
        (Some(from), None) => (from, from + week),
        (None, Some(to)) => (to - week, to),
        (None, None) => (at, at + week),
    };
    if from > to {
        return Err(Failure::bad_request("from cannot be after to."));
    }
    Ok((from, to))
}

fn one_of(ctx: &Ctx<'_>, name: &str, values: &[&str]) -> Outcome<Option<String>> {
    match ctx.query.get(name) {
        None => Ok(None),
        Some(value) if values.contains(&value) => Ok(Some(value.to_owned())),
        Some(value) => Err(Failure::bad_request(format!(
            "Invalid value for {name}: `{value}`; it must be one of {}.",
            values.join(", ")
        ))),
    }
}

fn list(ctx: &Ctx<'_>) -> Outcome<Reply> {
    let at = now();
    let meeting_type = one_of(ctx, "meetingType", &MEETING_TYPES)?;
    let wanted_state = one_of(ctx, "state", &STATES)?;
    let scheduled_type = ctx.query.get("scheduledType");
    let (from, to) = window(ctx, at)?;
    let number = ctx.query.get("meetingNumber");
    let link = ctx.query.get("webLink");
    let state = ctx.state();
    let person = acting(&state, ctx, ctx.query.get("hostEmail"))?;
    let mine = state
        .meetings
        .series
        .iter()
        .filter(|(_, meeting)| can_see(&state, meeting, &person));
    let mut rows: Vec<(u64, (DateTime<Utc>, Value))> = if number.is_some() || link.is_some() {
        // A meeting number or web link names one series, whatever the other filters say.
        mine.filter(|(_, meeting)| {
            number.is_none_or(|number| meeting_number(&meeting.id) == number)
        })
        .filter(|(_, meeting)| link.is_none_or(|link| web_link(&meeting.id) == link))
        .map(|(seq, meeting)| (seq, (meeting.start, meeting.to_json(View::Series, at))))
        .collect()
    } else {
        let view = match meeting_type.as_deref().unwrap_or("meetingSeries") {
            "meetingSeries" => Some(View::Series),
            "scheduledMeeting" => Some(View::Scheduled),
            // No meeting ever runs here, so there is no meeting instance.
            _ => None,
        };
        mine.filter(|_| view.is_some())
            .filter(|(_, meeting)| {
                let recurs = view == Some(View::Series) && meeting.recurrence.is_some();
                meeting.start < to && (recurs || meeting.end > from)
            })
            .filter(|(_, meeting)| {
                scheduled_type.is_none_or(|kind| {
                    meeting.options.get("scheduledType").and_then(Value::as_str) == Some(kind)
                })
            })
            .filter_map(|(seq, meeting)| {
                let view = view?;
                let matches = wanted_state
                    .as_deref()
                    .is_none_or(|wanted| meeting.state(view, at) == wanted);
                matches.then(|| (seq, (meeting.start, meeting.to_json(view, at))))
            })
            .collect()
    };
    drop(state);
    rows.sort_by_key(|(seq, (start, _))| (*start, *seq));
    let rows = rows
        .into_iter()
        .map(|(seq, (_, meeting))| (seq, meeting))
        .collect();
    paging::list(ctx, rows, Order::Positional, 10)
}

fn update(ctx: &Ctx<'_>, id: &str, mode: Mode) -> Outcome<Reply> {
    let body = object(ctx)?;
    let at = now();
    let mut state = ctx.state();
    let person = acting(&state, ctx, text(&body, "hostEmail")?)?;
    let (meeting, view) = visible(&state, id, &person)?;
    require_host(meeting, &person)?;
    let mut updated = meeting.clone();
    let (title, start, end) = match mode {
        Mode::Replace => (
            Some(required(text(&body, "title")?, "title")?),
            Some(required(text(&body, "start")?, "start")?),
            Some(required(text(&body, "end")?, "end")?),
        ),
        Mode::Merge => (
            text(&body, "title")?,
            text(&body, "start")?,
            text(&body, "end")?,
        ),
    };
    if let Some(title) = title {
        updated.title = required(Some(title), "title")?.to_owned();
    }
    if start.is_some() || end.is_some() {
        let start = start.map_or(Ok(updated.start), |start| parse_field(start, "start"))?;
        let end = end.map_or(Ok(updated.end), |end| parse_field(end, "end"))?;
        (updated.start, updated.end) = check_times(start, end, at)?;
    }
    for (name, field) in [
        ("agenda", &mut updated.agenda),
        ("recurrence", &mut updated.recurrence),
    ] {
        // PUT replaces: absent clears. PATCH: absent keeps, `null` clears.
        if mode == Mode::Replace || body.contains_key(name) {
            *field = text(&body, name)?.map(str::to_owned);
        }
    }
    if let Some(password) = text(&body, "password")? {
        updated.password = password.to_owned();
    }
    if let Some(timezone) = text(&body, "timezone")? {
        updated.timezone = timezone.to_owned();
    }
    updated.apply_options(&body, mode == Mode::Replace)?;
    let answer = updated.to_json(view, at);
    let series = updated.id.clone();
    if let Some(stored) = state.meetings.series.get_mut(&series) {
        *stored = updated;
    }
    Reply::ok(&answer)
}

fn delete(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    flag(ctx, "sendEmail")?;
    let mut state = ctx.state();
    let person = acting(&state, ctx, ctx.query.get("hostEmail"))?;
    let (meeting, _) = visible(&state, id, &person)?;
    require_host(meeting, &person)?;
    let series = meeting.id.clone();
    state.meetings.remove(&series);
    Reply::no_content()
}
