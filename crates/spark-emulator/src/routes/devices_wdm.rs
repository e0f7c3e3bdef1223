//! Device registration (`/wdm/api/v1/devices`: create, list, get, update, delete) and the U2C
//! catalog (`/u2c/api/v1/catalog`) that tells clients where it is.
//!
//! Shapes as the public Webex clients read them (DESIGN.md, "Real-time events"): a device
//! answers with `url` (where to `PUT` and `DELETE` it) and `webSocketUrl`; the list is
//! `{"devices": [...]}`; the catalog has `serviceLinks.wdm` and a `hostCatalog` mapping hosts
//! to cluster ids (`urn:TEAM:us-east-2_a:<service>`).

use http::Method;
use serde_json::{Map, Value, json};

use super::{Ctx, Reply};
use crate::errors::{Failure, Outcome};
use crate::mercury::socket_url;
use crate::state::now;
use crate::wdm::Device;

/// The first segment the server gives paths under `/wdm/api/v1/`.
const WDM: &str = "wdm:";
/// The first segment the server gives paths under `/u2c/api/v1/`.
const U2C: &str = "u2c:";

/// The segments of a WDM or U2C path, marked so that no `/v1` path can take them.
pub(crate) fn segments(path: &str) -> Option<Vec<&str>> {
    let (mark, rest) = if let Some(rest) = path.strip_prefix("/wdm/api/v1/") {
        (WDM, rest)
    } else {
        (U2C, path.strip_prefix("/u2c/api/v1/")?)
    };
    let mut segments = vec![mark];
    segments.extend(rest.split('/').filter(|segment| !segment.is_empty()));
    Some(segments)
}

/// Routes a marked path; `None` for other paths.
pub(crate) fn route(ctx: &Ctx<'_>, segments: &[&str]) -> Option<Outcome<Reply>> {
    match segments {
        [WDM, "devices", rest @ ..] => Some(devices(ctx, rest)),
        [U2C, "catalog"] => Some(catalog(ctx)),
        [WDM | U2C, ..] => Some(Err(Failure::not_found())),
        _ => None,
    }
}

fn device_url(ctx: &Ctx<'_>, id: &str) -> String {
    format!("{}/wdm/api/v1/devices/{id}", ctx.origin)
}

fn device_json(ctx: &Ctx<'_>, device: &Device) -> Value {
    let mut body = device.body.clone();
    body.insert("url".into(), json!(device_url(ctx, &device.id)));
    body.insert(
        "webSocketUrl".into(),
        json!(socket_url(&ctx.origin, &device.id)),
    );
    body.insert(
        "creationTime".into(),
        json!(spark_model::format_timestamp(&device.created)),
    );
    body.insert(
        "modificationTime".into(),
        json!(spark_model::format_timestamp(&device.modified)),
    );
    body.insert(
        "services".into(),
        json!({"wdm": format!("{}/wdm/api/v1", ctx.origin)}),
    );
    Value::Object(body)
}

fn body_object(ctx: &Ctx<'_>) -> Outcome<Map<String, Value>> {
    match ctx.json::<Value>()? {
        Value::Object(map) => Ok(map),
        _ => Err(Failure::bad_request("The request body must be an object.")),
    }
}

fn devices(ctx: &Ctx<'_>, rest: &[&str]) -> Outcome<Reply> {
    let mut state = ctx.state();
    state.wdm.origin = Some(ctx.origin.clone());
    match (&ctx.method, rest) {
        (&Method::GET, []) => {
            let devices: Vec<Value> = state
                .wdm
                .devices
                .iter()
                .filter(|device| device.owner == ctx.caller)
                .map(|device| device_json(ctx, device))
                .collect();
            Reply::ok(&json!({ "devices": devices }))
        }
        (&Method::POST, []) => {
            let body = body_object(ctx)?;
            let faults = state.wdm.faults.clone();
            if faults.refuse_registration {
                return Err(Failure::new(
                    http::StatusCode::SERVICE_UNAVAILABLE,
                    "Device registration is unavailable.",
                ));
            }
            let held = state
                .wdm
                .devices
                .iter()
                .filter(|device| device.owner == ctx.caller)
                .count();
            if held >= faults.device_limit {
                return Err(Failure::forbidden(
                    "User has excessive device registrations",
                ));
            }
            let at = now();
            let device = Device {
                id: state.random.uuid(),
                owner: ctx.caller.clone(),
                body,
                created: at,
                modified: at,
                replay: Vec::new(),
            };
            let answer = device_json(ctx, &device);
            state.wdm.devices.push(device);
            Reply::ok(&answer)
        }
        (method, [id]) => {
            let owned = state
                .wdm
                .device(id)
                .is_some_and(|device| device.owner == ctx.caller);
            if !owned {
                return Err(Failure::not_found());
            }
            match *method {
                Method::GET => {
                    let device = state.wdm.device(id).ok_or_else(Failure::not_found)?;
                    Reply::ok(&device_json(ctx, device))
                }
                Method::PUT => {
                    let body = body_object(ctx)?;
                    let device = state.wdm.device_mut(id).ok_or_else(Failure::not_found)?;
                    device.body = body;
                    device.modified = now();
                    let device = device.clone();
                    Reply::ok(&device_json(ctx, &device))
                }
                Method::DELETE => {
                    state.wdm.remove_device(id);
                    Reply::no_content()
                }
                _ => Err(Failure::method_not_allowed("GET, PUT, DELETE")),
            }
        }
        (_, []) => Err(Failure::method_not_allowed("GET, POST")),
        _ => Err(Failure::not_found()),
    }
}

/// `GET /u2c/api/v1/catalog?format=hostmap`: where WDM is, and the emulator's host as a
/// conversation host of the `us-east-2_a` cluster (ids made from it use `us`).
fn catalog(ctx: &Ctx<'_>) -> Outcome<Reply> {
    if ctx.method != Method::GET {
        return Err(Failure::method_not_allowed("GET"));
    }
    ctx.state().wdm.origin = Some(ctx.origin.clone());
    let host = ctx.origin.strip_prefix("http://").unwrap_or(&ctx.origin);
    Reply::ok(&json!({
        "serviceLinks": {
            "wdm": format!("{}/wdm/api/v1", ctx.origin),
            "conversation": format!("{}/conversation/api/v1", ctx.origin),
        },
        "hostCatalog": {
            host: [
                {"host": host, "ttl": -1, "priority": 5, "id": "urn:TEAM:us-east-2_a:conversation"},
                {"host": host, "ttl": -1, "priority": 5, "id": "urn:TEAM:us-east-2_a:wdm"},
            ],
        },
        "format": "hostmap",
    }))
}
