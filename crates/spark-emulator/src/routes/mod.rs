//! The routes under `/v1`: one module per resource, and what they share (the request context,
//! the query, the answer).

use std::sync::MutexGuard;

use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::answer_source::AnswerSource;
use crate::errors::{Failure, Outcome, bad_json};
use crate::server::Shared;
use crate::state::State;

pub(crate) mod access_token;
pub(crate) mod attachment_actions;
pub(crate) mod contents;
pub(crate) mod devices_wdm;
pub(crate) mod events;
pub(crate) mod memberships;
pub(crate) mod messages;
pub(crate) mod people;
pub(crate) mod room_tabs;
pub(crate) mod rooms;
pub(crate) mod team_memberships;
pub(crate) mod teams;
pub(crate) mod webhooks;
// Admin and meetings.
pub(crate) mod admin_people;
pub(crate) mod flags;
pub(crate) mod licenses;
pub(crate) mod meeting_invitees;
pub(crate) mod meetings;
pub(crate) mod organizations;
pub(crate) mod recordings;
pub(crate) mod roles;

/// Everything a handler needs to know about the request.
pub(crate) struct Ctx<'a> {
    pub(crate) shared: &'a Shared,
    /// The id of the token's owner (empty for `/access_token`).
    pub(crate) caller: String,
    pub(crate) method: Method,
    /// The path, `/v1/...`.
    pub(crate) path: String,
    pub(crate) query: Query,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: Bytes,
    /// `http://host:port`, as the caller reached the server.
    pub(crate) origin: String,
    /// The `null_max_in_next_links` fault is on.
    pub(crate) null_max_in_links: bool,
    /// The quirks in force.
    pub(crate) quirks: crate::quirks::Quirks,
}

impl Ctx<'_> {
    /// Locks the store.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.shared.state()
    }

    /// The JSON body as `T`; 400 if it is not.
    pub(crate) fn json<T: DeserializeOwned>(&self) -> Outcome<T> {
        if self.body.is_empty() {
            return Err(Failure::bad_request("The request body is missing."));
        }
        serde_json::from_slice(&self.body).map_err(|error| bad_json(&error))
    }

    /// The base URL as the caller reached it, `http://host:port/v1`.
    pub(crate) fn base(&self) -> String {
        format!("{}/v1", self.origin)
    }
}

/// The decoded query string, in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub(crate) fn parse(query: Option<&str>) -> Self {
        Self(
            form_urlencoded::parse(query.unwrap_or("").as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// The first non-empty value of a parameter (`&before&after=` carry no value).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// Every parameter.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }
}

/// The `Content-Type` of the API's JSON answers.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// A successful answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Bytes,
}

impl Reply {
    /// A JSON answer.
    pub(crate) fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> Self {
        Self {
            status,
            headers: vec![("content-type", JSON_CONTENT_TYPE.to_owned())],
            body: Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
        }
    }

    /// 200 with this JSON.
    pub(crate) fn ok<T: Serialize + ?Sized>(value: &T) -> Outcome<Self> {
        Ok(Self::json(StatusCode::OK, value))
    }

    /// 204, no body.
    pub(crate) fn no_content() -> Outcome<Self> {
        Ok(Self {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
            body: Bytes::new(),
        })
    }

    /// Adds a header.
    pub(crate) fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// Dispatches a request to its resource, the answer marked with its [`AnswerSource`].
pub(crate) fn route(ctx: &Ctx<'_>, segments: &[&str]) -> Outcome<Reply> {
    if let Some(outcome) = devices_wdm::route(ctx, segments) {
        return AnswerSource::State.mark(outcome);
    }
    let outcome = match segments {
        ["people", rest @ ..] => people::handle(ctx, rest),
        ["rooms", rest @ ..] => rooms::handle(ctx, rest),
        ["memberships", rest @ ..] => memberships::handle(ctx, rest),
        ["messages", rest @ ..] => messages::handle(ctx, rest),
        ["teams", rest @ ..] => teams::handle(ctx, rest),
        ["team", "memberships", rest @ ..] => team_memberships::handle(ctx, rest),
        ["webhooks", rest @ ..] => webhooks::handle(ctx, rest),
        ["attachment", "actions", rest @ ..] => attachment_actions::handle(ctx, rest),
        ["events", rest @ ..] => events::handle(ctx, rest),
        ["room", "tabs", rest @ ..] => room_tabs::handle(ctx, rest),
        ["contents", rest @ ..] => contents::handle(ctx, rest),
        // Admin and meetings with state; their other operations (organization delete,
        // license assignment, meeting templates, controls, ...) answer from the specs' examples.
        ["organizations", rest @ ..] if matches!(ctx.method, Method::GET | Method::HEAD) => {
            organizations::handle(ctx, rest)
        }
        ["licenses", rest @ ..] if rest != ["users"] => licenses::handle(ctx, rest),
        ["roles", rest @ ..] => roles::handle(ctx, rest),
        ["meetings", rest @ ..] if meetings::has_state(rest) => meetings::handle(ctx, rest),
        ["meetingInvitees", rest @ ..] => meeting_invitees::handle(ctx, rest),
        ["recordings", rest @ ..] if recordings::has_state(ctx, rest) => {
            recordings::handle(ctx, rest)
        }
        _ => return AnswerSource::SpecExample.mark(crate::spec_examples::answer(ctx, segments)),
    };
    AnswerSource::State.mark(outcome)
}

/// The usual shape of a resource: a collection and items by id.
pub(crate) enum Op<'a> {
    List,
    Create,
    Get(&'a str),
    Update(&'a str),
    Delete(&'a str),
}

/// Reads the operation from the method and the path below the resource; `allowed_collection`
/// and `allowed_item` are the methods each level takes (for 405 answers).
pub(crate) fn op<'a>(
    ctx: &Ctx<'_>,
    rest: &[&'a str],
    allowed_collection: &str,
    allowed_item: &str,
) -> Outcome<Op<'a>> {
    let allowed = |list: &str, method: &Method| list.split(", ").any(|m| m == method.as_str());
    match rest {
        [] => {
            if !allowed(allowed_collection, &ctx.method) {
                return Err(Failure::method_not_allowed(allowed_collection));
            }
            match ctx.method {
                Method::GET => Ok(Op::List),
                _ => Ok(Op::Create),
            }
        }
        [id] => {
            if !allowed(allowed_item, &ctx.method) {
                return Err(Failure::method_not_allowed(allowed_item));
            }
            match ctx.method {
                Method::GET | Method::HEAD => Ok(Op::Get(id)),
                Method::PUT => Ok(Op::Update(id)),
                _ => Ok(Op::Delete(id)),
            }
        }
        _ => Err(Failure::not_found()),
    }
}

/// Checks a person is a member of a room: 404 if the room does not exist, 403 if not a member.
pub(crate) fn require_member(state: &State, room_id: &str, person_id: &str) -> Outcome<()> {
    if state.rooms.get(room_id).is_none() {
        return Err(Failure::not_found());
    }
    if !state.is_member(room_id, person_id) {
        return Err(Failure::forbidden(
            "The caller is not a member of the room.",
        ));
    }
    Ok(())
}

/// A required, non-empty string field; 400 naming it if missing.
pub(crate) fn required<'a>(value: Option<&'a str>, name: &str) -> Outcome<&'a str> {
    value
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| Failure::bad_request(format!("{name} is required.")))
}
