//! `/v1/recordings/{id}` for the recordings the emulator keeps (see `recording`): their details
//! (`GET`, `HEAD`), their deletion (`DELETE`), and the files their download links serve
//! (`GET`, `HEAD` on `/v1/recordings/{id}/download/{kind}`, with `Content-Disposition`,
//! `Content-Type` and `Content-Length`). The details of a recording id the emulator does not
//! keep are the spec's example, as for any operation without state, but with download links to
//! the emulator (which answer 404), so that no client is sent off-host.

use http::{Method, StatusCode};
use serde_json::Value;

use super::contents::disposition;
use super::{Ctx, Reply};
use crate::errors::{Failure, Outcome};
use crate::recording::{FileKind, Recording};
use crate::state::State;

/// Whether the path is one answered here: any recording's details, a kept recording's
/// deletion, any download link.
pub(crate) fn has_state(ctx: &Ctx<'_>, rest: &[&str]) -> bool {
    match rest {
        [_] if matches!(ctx.method, Method::GET | Method::HEAD) => true,
        [id] => ctx.state().recordings.get(id).is_some(),
        [_, "download", _] => true,
        _ => false,
    }
}

pub(crate) fn handle(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    match rest {
        [id] => match ctx.method {
            Method::GET | Method::HEAD => {
                let state = ctx.state();
                if state.recordings.get(id).is_none() {
                    drop(state);
                    return example(ctx, id);
                }
                let recording = hosted(&state, id, &ctx.caller)?;
                Reply::ok(&recording.details(&ctx.base(), chrono::Utc::now()))
            }
            Method::DELETE => {
                let mut state = ctx.state();
                hosted(&state, id, &ctx.caller)?;
                state.recordings.remove(id);
                Reply::no_content()
            }
            _ => Err(Failure::method_not_allowed("GET, DELETE")),
        },
        [id, "download", kind] => {
            if ctx.method != Method::GET && ctx.method != Method::HEAD {
                return Err(Failure::method_not_allowed("GET, HEAD"));
            }
            let kind = FileKind::parse(kind).ok_or_else(Failure::not_found)?;
            let state = ctx.state();
            let recording = hosted(&state, id, &ctx.caller)?;
            let bytes = recording.file(kind).ok_or_else(Failure::not_found)?;
            Ok(Reply {
                status: StatusCode::OK,
                headers: vec![
                    ("content-type", kind.extension_and_type().1.to_owned()),
                    ("content-length", bytes.len().to_string()),
                    (
                        "content-disposition",
                        disposition(&recording.file_name(kind)),
                    ),
                ],
                body: bytes.clone(),
            })
        }
        _ => Err(Failure::not_found()),
    }
}

/// The spec's example of a recording's details, its download links moved to the emulator.
fn example(ctx: &Ctx<'_>, id: &str) -> Outcome<Reply> {
    let reply = crate::spec_examples::answer(ctx, &["recordings", id])?;
    let Ok(mut details) = serde_json::from_slice::<Value>(&reply.body) else {
        return Ok(reply);
    };
    if let Some(Value::Object(links)) = details.get_mut("temporaryDirectDownloadLinks") {
        for kind in FileKind::ALL {
            if let Some(link) = links.get_mut(kind.link_field()) {
                *link = Value::String(kind.link(&ctx.base(), id));
            }
        }
    }
    Ok(Reply::json(reply.status, &details))
}

/// The recording, if the caller hosts it; 404 otherwise, as Webex answers for a recording
/// neither hosted by nor shared with the caller.
fn hosted<'s>(state: &'s State, id: &str, caller: &str) -> Outcome<&'s Recording> {
    state
        .recordings
        .get(id)
        .filter(|recording| recording.host_id == caller)
        .ok_or_else(Failure::not_found)
}
