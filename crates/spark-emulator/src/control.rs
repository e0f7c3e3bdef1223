//! The control API: the emulator driven over HTTP, for tests in any language.
//!
//! It lives under the reserved path `/_emulator` of the same listener as the Webex API (one port
//! to hand to a test), and every call needs `Authorization: Bearer <admin secret>`: the secret
//! the binary prints at start (or `--admin-secret`), [`Emulator::admin_secret`](crate::Emulator::admin_secret)
//! in Rust. No Webex token opens it and the admin secret opens nothing under `/v1`. Control calls
//! draw no fault and are not in the request log. Bodies and answers are JSON; errors have the
//! Webex shape (`message`, `errors`, `trackingId`).
//!
//! | route | what it does |
//! | --- | --- |
//! | `GET /_emulator/faults`, `PUT` (merge), `DELETE` (none) | the faults: `rateLimitEvery`, `rateLimitNext`, `retryAfter` (any text, or `null` for none), `serverErrorEvery`, `serverErrorNext`, `serverErrorStatus`, `resetEvery`, `resetNext` (the connection reset instead of answered, after the request was applied), `latencyMs`, `nullMaxInNextLinks` |
//! | `GET /_emulator/refusals`, `PUT` (merge) | the live refusals: `botNeedsMention`, `fileScan`, `scanSeconds`, `teamMove`, `textLimits` |
//! | `GET /_emulator/quirks`, `PUT` (merge) | the quirks: `dropFiltersInNextLinks`, `emptyPageMidList`, `absentFields` (`null`, `"null"`, `"missing"`), `unknownEnumValues`, `newFields` |
//! | `POST /_emulator/tokens` `{"email"}` | a new access and refresh token for that person |
//! | `PUT /_emulator/tokens` `{"lifetimeSeconds"}` | the lifetime of tokens issued from now on |
//! | `POST /_emulator/tokens/expire` | every access token issued so far answers 401 |
//! | `POST /_emulator/tokens/revoke` `{"refreshToken"}` | the refresh grant with that token answers `invalid_grant` from now on (404 if it is not a valid one) |
//! | `POST /_emulator/seed` | applies a seed document (see [`Seed`](crate::Seed)); answers what it created |
//! | `POST /_emulator/reset` | forgets every resource but people and tokens, switches back to the start, empties the log |
//! | `GET /_emulator/requests`, `DELETE` | the request log `{"items": [{"method", "path", "query", "identity", "status", "reset"}]}`, oldest first (`reset`: the connection was reset instead of answered, `status` then what the answer would have been); empties it |
//! | `PUT /_emulator/files/{contentId}` `{"verdict"}` | ends a file's scan: `clean`, `unscannable` or `infected` |
//! | `GET /_emulator/state` | the whole store as a state file (`--state`) |

use std::time::Duration;

use http::request::Parts;
use http::{Method, StatusCode};
use hyper::body::Incoming;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::body;
use crate::driving::{self, content_id};
use crate::errors::{Failure, Outcome, bad_json};
use crate::faults::Faults;
use crate::quirks::Quirks;
use crate::refusals::Refusals;
use crate::routes::Reply;
use crate::scan::{Scan, ScanVerdict};
use crate::seed::{self, Seed};
use crate::server::Shared;
use crate::snapshot;

/// The reserved path of the control API.
pub(crate) const PREFIX: &str = "/_emulator";

/// The most body a control call may carry (a seed document): 16 MB.
const MAX_CONTROL_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Whether a path belongs to the control API.
pub(crate) fn is_control(path: &str) -> bool {
    path == PREFIX
        || path
            .strip_prefix(PREFIX)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The faults as the control API reads and writes them.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultsJson {
    rate_limit_every: Option<u32>,
    rate_limit_next: u32,
    retry_after: Option<String>,
    server_error_every: Option<u32>,
    server_error_next: u32,
    server_error_status: u16,
    reset_every: Option<u32>,
    reset_next: u32,
    latency_ms: u64,
    null_max_in_next_links: bool,
}

impl From<&Faults> for FaultsJson {
    fn from(faults: &Faults) -> Self {
        Self {
            rate_limit_every: faults.rate_limit_every,
            rate_limit_next: faults.rate_limit_next,
            retry_after: faults.retry_after.clone(),
            server_error_every: faults.server_error_every,
            server_error_next: faults.server_error_next,
            server_error_status: faults.server_error_status,
            reset_every: faults.reset_every,
            reset_next: faults.reset_next,
            latency_ms: u64::try_from(faults.latency.as_millis()).unwrap_or(u64::MAX),
            null_max_in_next_links: faults.null_max_in_next_links,
        }
    }
}

impl From<FaultsJson> for Faults {
    fn from(json: FaultsJson) -> Self {
        Faults::none()
            .rate_limit_every(json.rate_limit_every.unwrap_or(0))
            .rate_limit_next(json.rate_limit_next)
            .retry_after_raw(json.retry_after.as_deref())
            .server_error_every(json.server_error_every.unwrap_or(0))
            .server_error_next(json.server_error_next)
            .server_error_status(json.server_error_status)
            .reset_every(json.reset_every.unwrap_or(0))
            .reset_next(json.reset_next)
            .latency(Duration::from_millis(json.latency_ms))
            .null_max_in_next_links(json.null_max_in_next_links)
    }
}

/// `current` with the fields `patch` names replaced; 400 for a body that is not an object or
/// names an unknown field.
fn merge<T: Serialize + DeserializeOwned>(current: &T, patch: Value) -> Outcome<T> {
    let Value::Object(patch) = patch else {
        return Err(Failure::bad_request(
            "The request body must be a JSON object.",
        ));
    };
    let mut value = serde_json::to_value(current).unwrap_or_default();
    if let Value::Object(fields) = &mut value {
        fields.extend(patch);
    }
    serde_json::from_value(value).map_err(|error| bad_json(&error))
}

/// Parses a JSON body; 400 if it is missing or not JSON.
fn json_body<T: DeserializeOwned>(body: &[u8]) -> Outcome<T> {
    if body.is_empty() {
        return Err(Failure::bad_request("The request body is missing."));
    }
    serde_json::from_slice(body).map_err(|error| bad_json(&error))
}

/// Checks the admin secret from the head alone.
fn admit(shared: &Shared, parts: &Parts) -> Outcome<()> {
    let offered = parts
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(str::trim);
    match offered {
        Some(offered) if shared.control.admin_secret.matches(offered) => Ok(()),
        _ => Err(Failure::unauthorized(
            "The control API requires `Authorization: Bearer <admin secret>`.",
        )),
    }
}

/// Answers one control call.
pub(crate) async fn serve(shared: &Shared, parts: Parts, body: Incoming) -> Outcome<Reply> {
    let timeout = shared.limits_body_read_timeout();
    if let Err(refusal) = admit(shared, &parts) {
        body::discard(body, &parts.headers, MAX_CONTROL_BODY_BYTES, timeout);
        return Err(refusal);
    }
    let body = body::read(body, &parts.headers, MAX_CONTROL_BODY_BYTES, timeout).await?;
    let path = parts.uri.path().strip_prefix(PREFIX).unwrap_or_default();
    let segments: Vec<&str> = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    let method = &parts.method;
    match (method, segments.as_slice()) {
        (&Method::GET, ["faults"]) => Reply::ok(&FaultsJson::from(&shared.faults().faults)),
        (&Method::PUT, ["faults"]) => {
            let mut patch: Value = json_body(&body)?;
            // `Retry-After` is text on the wire; a number is taken as its seconds.
            if let Some(number @ Value::Number(_)) = patch.get("retryAfter").cloned() {
                patch["retryAfter"] = Value::String(number.to_string());
            }
            let current = FaultsJson::from(&shared.faults().faults);
            let faults = Faults::from(merge(&current, patch)?);
            shared.faults().replace(faults.clone());
            Reply::ok(&FaultsJson::from(&faults))
        }
        (&Method::DELETE, ["faults"]) => {
            shared.faults().replace(Faults::none());
            Reply::no_content()
        }
        (&Method::GET, ["refusals"]) => Reply::ok(&shared.state().refusals),
        (&Method::PUT, ["refusals"]) => {
            let mut state = shared.state();
            let refusals: Refusals = merge(&state.refusals, json_body(&body)?)?;
            state.refusals = refusals.clone();
            Reply::ok(&refusals)
        }
        (&Method::GET, ["quirks"]) => Reply::ok(&shared.state().quirks),
        (&Method::PUT, ["quirks"]) => {
            let mut state = shared.state();
            let quirks: Quirks = merge(&state.quirks, json_body(&body)?)?;
            state.quirks = quirks.clone();
            Reply::ok(&quirks)
        }
        (&Method::POST, ["tokens"]) => {
            #[derive(Deserialize)]
            struct Wanted {
                email: String,
            }
            let wanted: Wanted = json_body(&body)?;
            let mut state = shared.state();
            let id = state
                .person_by_email(&wanted.email)
                .map(|person| person.id.clone())
                .ok_or_else(|| {
                    Failure::bad_request(format!("Nobody has the email `{}`.", wanted.email))
                })?;
            let access_token = state.tokens.issue_access(&id);
            let refresh_token = state.tokens.issue_refresh(&id);
            Reply::ok(
                &json!({"personId": id, "accessToken": access_token, "refreshToken": refresh_token}),
            )
        }
        (&Method::PUT, ["tokens"]) => {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Lifetime {
                lifetime_seconds: u64,
            }
            let lifetime: Lifetime = json_body(&body)?;
            shared
                .state()
                .tokens
                .set_lifetime(Duration::from_secs(lifetime.lifetime_seconds));
            Reply::no_content()
        }
        (&Method::POST, ["tokens", "expire"]) => {
            shared.state().tokens.expire_all();
            Reply::no_content()
        }
        (&Method::POST, ["tokens", "revoke"]) => {
            #[derive(Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Revoked {
                refresh_token: String,
            }
            let revoked: Revoked = json_body(&body)?;
            if !shared.state().tokens.revoke_refresh(&revoked.refresh_token) {
                return Err(Failure::not_found());
            }
            Reply::no_content()
        }
        (&Method::POST, ["seed"]) => {
            let seed: Seed = json_body(&body)?;
            Reply::ok(&seed::apply(&mut shared.state(), &seed)?)
        }
        (&Method::POST, ["reset"]) => {
            driving::reset(shared);
            Reply::no_content()
        }
        (&Method::GET, ["requests"]) => {
            Reply::ok(&json!({"items": shared.control.log().entries()}))
        }
        (&Method::DELETE, ["requests"]) => {
            shared.control.log().clear();
            Reply::no_content()
        }
        (&Method::PUT, ["files", id]) => {
            #[derive(Deserialize)]
            struct Verdict {
                verdict: ScanVerdict,
            }
            let verdict: Verdict = json_body(&body)?;
            let mut state = shared.state();
            let file = state
                .files
                .get_mut(content_id(id))
                .ok_or_else(Failure::not_found)?;
            file.scan = Scan::done(verdict.verdict);
            Reply::ok(&json!({"id": id, "fileName": file.file_name, "verdict": verdict.verdict}))
        }
        (&Method::GET, ["state"]) => Ok(Reply {
            status: StatusCode::OK,
            headers: vec![("content-type", "application/json".to_owned())],
            body: snapshot::save(&shared.state()).into(),
        }),
        (_, ["faults"]) => Err(Failure::method_not_allowed("GET, PUT, DELETE")),
        (_, ["refusals" | "quirks"]) => Err(Failure::method_not_allowed("GET, PUT")),
        (_, ["requests"]) => Err(Failure::method_not_allowed("GET, DELETE")),
        (_, ["tokens"]) => Err(Failure::method_not_allowed("POST, PUT")),
        (_, ["seed" | "reset"] | ["tokens", "expire" | "revoke"]) => {
            Err(Failure::method_not_allowed("POST"))
        }
        (_, ["files", _]) => Err(Failure::method_not_allowed("PUT")),
        (_, ["state"]) => Err(Failure::method_not_allowed("GET")),
        _ => Err(Failure::not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_paths() {
        assert!(is_control("/_emulator"));
        assert!(is_control("/_emulator/faults"));
        assert!(!is_control("/_emulatorx"));
        assert!(!is_control("/v1/_emulator"));
    }

    #[test]
    fn merge_keeps_what_it_is_not_told() {
        let current = FaultsJson::from(&Faults::none().rate_limit_every(3));
        let merged = merge(&current, json!({"rateLimitNext": 2})).unwrap();
        assert_eq!(
            (merged.rate_limit_every, merged.rate_limit_next),
            (Some(3), 2)
        );
        let resets =
            Faults::from(merge(&merged, json!({"resetEvery": 13, "resetNext": 1})).unwrap());
        assert_eq!(
            (
                resets.reset_every,
                resets.reset_next,
                resets.rate_limit_every
            ),
            (Some(13), 1, Some(3))
        );
        assert!(merge(&current, json!({"nope": 1})).is_err());
        assert!(merge(&current, json!([1])).is_err());
    }
}
