//! The event websocket ("Mercury"): the upgrade, the authorization, acks, pings, and the
//! `conversation.activity` frames made from what happens in the emulator.
//!
//! The protocol, as the public Webex clients speak it (see DESIGN.md, "Real-time events"): the
//! client opens the device's `webSocketUrl` (text frames with `outboundWireFormat=text`, binary
//! ones without), sends `{"id", "type": "authorization", "data": {"token": "Bearer <token>"}}`
//! within 10 s, and is answered a `mercury.buffer_state` frame once the token is good (close
//! 4401 when it is not, 4403 when it is someone else's device). It acks frames with
//! `{"type": "ack", "messageId"}` and pings with `{"id", "type": "ping"}`, answered
//! `{"id", "type": "pong"}`. A socket that says nothing for 60 s is closed (clients ping every
//! 15 s). Frames sent but not acked when a socket ends are sent again on the device's next
//! socket; what happens while a device has no socket is not kept.
//!
//! Visibility follows live Webex: a person sees what happens in the rooms they are in; a bot in
//! a group room sees only the messages that mention it (and its own, and submissions of its own
//! cards).

use std::sync::{Arc, Weak};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use spark_model::{Event, EventResource, EventType, PersonType, RoomType, format_timestamp};
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::frame::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::{Role, frame::coding::CloseCode};

use crate::Emulator;
use crate::ids::decode;
use crate::server::Shared;
use crate::state::State;
use crate::wdm::{Push, SOCKET_QUEUE, Socket, SocketFaults};

/// The path prefix of device sockets: `/mercury/v1/apps/wx2/registrations/<device>/messages`.
const SOCKET_PREFIX: &str = "/mercury/v1/apps/wx2/registrations/";

/// How long a client has to authorize after the upgrade.
const AUTH_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a socket may stay silent (no ping, no ack) before it is closed.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// The `webSocketUrl` of a device, for a client that reached the emulator at `origin`.
pub(crate) fn socket_url(origin: &str, device_id: &str) -> String {
    let host = origin.strip_prefix("http://").unwrap_or(origin);
    format!("ws://{host}{SOCKET_PREFIX}{device_id}/messages")
}

/// The device id of a socket path.
pub(crate) fn socket_device(path: &str) -> Option<&str> {
    path.strip_prefix(SOCKET_PREFIX)?.strip_suffix("/messages")
}

fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(format!(
        r#"{{"message":"{text}","errors":[{{"description":"{text}"}}]}}"#
    ))));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Answers a websocket upgrade for a device's socket and serves it in a spawned task: 404 for
/// an unknown device (the client should register again), 400 for a request that is not an
/// upgrade.
pub(crate) fn accept(shared: &Arc<Shared>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = request.uri().path().to_owned();
    let Some(device_id) = socket_device(&path).map(str::to_owned) else {
        return plain(StatusCode::NOT_FOUND, "No such socket.");
    };
    let key = request
        .headers()
        .get("sec-websocket-key")
        .map(|key| derive_accept_key(key.as_bytes()));
    let is_upgrade = request
        .headers()
        .get(http::header::UPGRADE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("websocket"));
    let (Some(accept_key), true) = (key, is_upgrade) else {
        return plain(StatusCode::BAD_REQUEST, "A websocket upgrade is expected.");
    };
    if shared.state().wdm.device(&device_id).is_none() {
        return plain(
            StatusCode::NOT_FOUND,
            "The device is not registered: register it again.",
        );
    }
    let text = request
        .uri()
        .query()
        .is_some_and(|query| query.contains("outboundWireFormat=text"));
    let weak = Arc::downgrade(shared);
    let upgrade = hyper::upgrade::on(request);
    tokio::spawn(async move {
        let Ok(Ok(upgraded)) = tokio::time::timeout(AUTH_TIMEOUT, upgrade).await else {
            return;
        };
        let socket =
            WebSocketStream::from_raw_socket(TokioIo::new(upgraded), Role::Server, None).await;
        serve(weak, device_id, socket, text).await;
    });
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let headers = response.headers_mut();
    headers.insert(http::header::UPGRADE, HeaderValue::from_static("websocket"));
    headers.insert(
        http::header::CONNECTION,
        HeaderValue::from_static("Upgrade"),
    );
    if let Ok(value) = HeaderValue::from_str(&accept_key) {
        headers.insert("sec-websocket-accept", value);
    }
    response
}

type Ws = WebSocketStream<TokioIo<hyper::upgrade::Upgraded>>;

fn frame(text: bool, json: String) -> WsMessage {
    if text {
        WsMessage::text(json)
    } else {
        WsMessage::binary(json.into_bytes())
    }
}

async fn close(socket: &mut Ws, code: u16, reason: &str) {
    let _ = socket
        .close(Some(CloseFrame {
            code: CloseCode::from(code),
            reason: reason.to_owned().into(),
        }))
        .await;
}

/// The text of a data frame (text or binary), `None` for control frames.
fn data_of(message: &WsMessage) -> Option<&[u8]> {
    match message {
        WsMessage::Text(text) => Some(text.as_bytes()),
        WsMessage::Binary(bytes) => Some(bytes),
        _ => None,
    }
}

/// Serves one socket: authorization, then frames out, acks and pings in.
async fn serve(shared: Weak<Shared>, device_id: String, mut socket: Ws, text: bool) {
    // Authorization.
    let first = tokio::time::timeout(AUTH_TIMEOUT, socket.next()).await;
    let Ok(Some(Ok(first))) = first else {
        close(&mut socket, 4400, "no authorization").await;
        return;
    };
    let token = data_of(&first)
        .and_then(|data| serde_json::from_slice::<Value>(data).ok())
        .filter(|value| value["type"] == "authorization")
        .and_then(|value| value["data"]["token"].as_str().map(str::to_owned));
    let Some(token) = token else {
        close(&mut socket, 4400, "authorization expected").await;
        return;
    };
    let Some(strong) = shared.upgrade() else {
        return;
    };
    let (tx, mut rx) = mpsc::channel(SOCKET_QUEUE);
    let registered = {
        let mut state = strong.state();
        let mut headers = HeaderMap::new();
        let owner = HeaderValue::from_str(&token)
            .ok()
            .map(|value| headers.insert(http::header::AUTHORIZATION, value))
            .and_then(|_| state.tokens.caller(&headers).ok());
        let device = state.wdm.device(&device_id).map(|d| d.owner.clone());
        match (owner, device) {
            (None, _) => Err((4401, "invalid token")),
            (_, None) => Err((4404, "device not registered")),
            (Some(owner), Some(device_owner)) if owner != device_owner => {
                Err((4403, "not the device's owner"))
            }
            (Some(owner), Some(_)) => {
                let replay = state
                    .wdm
                    .device_mut(&device_id)
                    .map(|device| std::mem::take(&mut device.replay))
                    .unwrap_or_default();
                let key = state.wdm.add_socket(Socket {
                    device_id: device_id.clone(),
                    owner,
                    tx,
                });
                Ok((key, replay))
            }
        }
    };
    drop(strong);
    let (key, replay) = match registered {
        Ok(registered) => registered,
        Err((code, reason)) => {
            close(&mut socket, code, reason).await;
            return;
        }
    };
    let buffer_state = json!({
        "id": uuid(),
        "data": {"eventType": "mercury.buffer_state", "buffer": {"conversation": "UNKNOWN"}},
        "timestamp": chrono::Utc::now().timestamp_millis(),
        "trackingId": format!("EMULATOR_{}", uuid()),
        "alertType": "none",
        "headers": {},
    });
    // Frames sent, not yet acked, oldest first; the last frame sent.
    let mut unacked: Vec<(String, String)> = Vec::new();
    let mut last: Option<(String, String)> = None;
    let mut lose_last = false;
    let mut ok = socket
        .send(frame(text, buffer_state.to_string()))
        .await
        .is_ok();
    for (id, json) in replay {
        if !ok {
            break;
        }
        ok = socket.send(frame(text, json.clone())).await.is_ok();
        unacked.push((id, json));
    }
    while ok {
        tokio::select! {
            push = rx.recv() => match push {
                Some(Push::Frame { id, json }) => {
                    let delay = shared.upgrade().map(|s| s.state().wdm.faults.frame_delay).unwrap_or_default();
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    ok = socket.send(frame(text, json.clone())).await.is_ok();
                    unacked.push((id.clone(), json.clone()));
                    last = Some((id, json));
                }
                Some(Push::Drop) => {
                    lose_last = true;
                    break;
                }
                Some(Push::Close(code, reason)) => {
                    close(&mut socket, code, &reason).await;
                    break;
                }
                None => {
                    close(&mut socket, 1001, "going away").await;
                    break;
                }
            },
            incoming = tokio::time::timeout(IDLE_TIMEOUT, socket.next()) => match incoming {
                Ok(Some(Ok(message))) => {
                    let Some(data) = data_of(&message) else {
                        if matches!(message, WsMessage::Close(_)) {
                            break;
                        }
                        continue;
                    };
                    let Ok(value) = serde_json::from_slice::<Value>(data) else {
                        continue;
                    };
                    match value["type"].as_str() {
                        Some("ack") => {
                            if let Some(id) = value["messageId"].as_str() {
                                let before = unacked.len();
                                unacked.retain(|(sent, _)| sent != id);
                                if unacked.len() < before {
                                    if let Some(strong) = shared.upgrade() {
                                        strong.state().wdm.acks += 1;
                                    }
                                }
                            }
                        }
                        Some("ping") => {
                            let pong = json!({"id": value["id"], "type": "pong"});
                            ok = socket.send(frame(text, pong.to_string())).await.is_ok();
                        }
                        _ => {}
                    }
                }
                Ok(_) => break,
                Err(_) => {
                    close(&mut socket, 1000, "idle").await;
                    break;
                }
            },
        }
    }
    // A dropped socket sends no close frame: the client sees the connection end.
    drop(socket);
    if lose_last {
        if let Some(last) = last {
            if !unacked.iter().any(|(id, _)| *id == last.0) {
                unacked.insert(0, last);
            }
        }
    }
    if let Some(strong) = shared.upgrade() {
        let mut state = strong.state();
        state.wdm.sockets.remove(&key);
        if let Some(device) = state.wdm.device_mut(&device_id) {
            device.replay = unacked;
        }
    }
}

/// A random UUID.
pub(crate) fn uuid() -> String {
    let mut random = crate::ids::Random::new();
    random.uuid()
}

/// The `<uuid>` of a REST id `base64(ciscospark://<cluster>/<TYPE>/<uuid>)`.
fn uuid_of(rest_id: &str) -> String {
    decode(rest_id)
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|uri| uri.rsplit('/').next().map(str::to_owned))
        .unwrap_or_default()
}

/// The `actor` (or a person `object`) of an activity.
fn person_json(state: &State, person_id: &str) -> Value {
    let person = state.people.get(person_id);
    let uuid = uuid_of(person_id);
    json!({
        "id": uuid,
        "objectType": "person",
        "entryUUID": uuid,
        "emailAddress": state.email_of(person_id),
        "displayName": person.and_then(|p| p.display_name.clone()),
        "type": "PERSON",
    })
}

/// Whether `owner` may see `event` on a socket.
fn visible(state: &State, owner: &str, event: &Event) -> bool {
    let data = &event.data;
    let Some(room_id) = data.room_id.as_deref() else {
        return false;
    };
    let is_member = state.is_member(room_id, owner)
        || (event.resource == Some(EventResource::Memberships)
            && data.person_id.as_deref() == Some(owner));
    if !is_member {
        return false;
    }
    let is_bot = state
        .people
        .get(owner)
        .is_some_and(|person| person.person_type == Some(PersonType::Bot));
    let direct = state
        .rooms
        .get(room_id)
        .is_some_and(|room| room.room_type == Some(RoomType::Direct));
    if !is_bot || direct {
        return true;
    }
    match event.resource {
        Some(EventResource::Messages) => {
            data.person_id.as_deref() == Some(owner)
                || data
                    .mentioned_people
                    .iter()
                    .flatten()
                    .any(|person| person == owner)
        }
        Some(EventResource::AttachmentActions) => data
            .message_id
            .as_deref()
            .and_then(|id| state.messages.get(id))
            .is_some_and(|message| message.person_id.as_deref() == Some(owner)),
        _ => true,
    }
}

/// The activity of an event, in the live shape; `None` for events sockets do not carry.
fn activity(state: &State, origin: &str, event: &Event) -> Option<Value> {
    let data = &event.data;
    let actor = event.actor_id.as_deref().unwrap_or_default();
    let room_id = data.room_id.as_deref()?;
    let room_uuid = uuid_of(room_id);
    let direct = state
        .rooms
        .get(room_id)
        .is_some_and(|room| room.room_type == Some(RoomType::Direct))
        || data.room_type == Some(RoomType::Direct);
    let tags: Vec<&str> = if direct { vec!["ONE_ON_ONE"] } else { vec![] };
    let target = json!({
        "id": room_uuid,
        "objectType": "conversation",
        "url": format!("{origin}/conversation/api/v1/conversations/{room_uuid}"),
        "tags": tags,
    });
    let published = data
        .created
        .map(|at| format_timestamp(&at))
        .unwrap_or_else(|| format_timestamp(&crate::state::now()));
    let (id, verb, object, parent) = match (event.resource.as_ref()?, event.event_type.as_ref()?) {
        (EventResource::Messages, EventType::Created) => {
            let verb = if data.files.as_ref().is_some_and(|f| !f.is_empty()) {
                "share"
            } else {
                "post"
            };
            let parent = data
                .parent_id
                .as_deref()
                .map(|parent| json!({"id": uuid_of(parent), "type": "reply"}));
            (
                uuid_of(data.id.as_deref()?),
                verb,
                json!({"objectType": "comment", "displayName": "<encrypted>"}),
                parent,
            )
        }
        (EventResource::Messages, EventType::Deleted) => (
            uuid(),
            "delete",
            json!({"objectType": "activity", "id": uuid_of(data.id.as_deref()?)}),
            None,
        ),
        (EventResource::AttachmentActions, EventType::Created) => (
            uuid_of(data.id.as_deref()?),
            "cardAction",
            json!({"objectType": "submit"}),
            Some(json!({"id": uuid_of(data.message_id.as_deref()?), "type": "reply"})),
        ),
        (EventResource::Memberships, kind @ (EventType::Created | EventType::Deleted)) => (
            uuid(),
            if *kind == EventType::Created {
                "add"
            } else {
                "leave"
            },
            person_json(state, data.person_id.as_deref()?),
            None,
        ),
        (EventResource::Rooms, EventType::Created) => (
            uuid(),
            "create",
            json!({"objectType": "conversation", "id": room_uuid}),
            None,
        ),
        _ => return None,
    };
    let mut activity = json!({
        "id": id,
        "objectType": "activity",
        "url": format!("{origin}/conversation/api/v1/activities/{id}"),
        "published": published,
        "verb": verb,
        "actor": person_json(state, actor),
        "object": object,
        "target": target,
        "encryptionKeyUrl": "kms://kms-emulator/keys/0",
    });
    if let Some(parent) = parent {
        activity["parent"] = parent;
    }
    Some(activity)
}

/// Pushes the frame of `event` to every socket whose owner may see it (called as the event is
/// recorded, under the state lock). A socket whose queue is full is dropped.
pub(crate) fn publish(state: &mut State, event: &Event) {
    if state.wdm.sockets.is_empty() {
        return;
    }
    let origin = state.wdm.origin.clone().unwrap_or_default();
    let Some(activity) = activity(state, &origin, event) else {
        return;
    };
    let owners: Vec<(u64, bool)> = state
        .wdm
        .sockets
        .iter()
        .map(|(key, socket)| (*key, visible(state, &socket.owner, event)))
        .collect();
    let mut stuck = Vec::new();
    for (key, is_visible) in owners {
        if !is_visible {
            continue;
        }
        state.wdm.sequence += 1;
        let id = uuid();
        let frame = json!({
            "id": id,
            "data": {"eventType": "conversation.activity", "activity": activity},
            "timestamp": chrono::Utc::now().timestamp_millis(),
            "trackingId": format!("EMULATOR_{id}"),
            "alertType": "full",
            "headers": {},
            "sequenceNumber": state.wdm.sequence,
            "filterMessage": false,
        });
        if let Some(socket) = state.wdm.sockets.get(&key) {
            let push = Push::Frame {
                id,
                json: frame.to_string(),
            };
            if socket.tx.try_send(push).is_err() {
                stuck.push(key);
            }
        }
    }
    for key in stuck {
        if let Some(socket) = state.wdm.sockets.remove(&key) {
            let _ = socket.tx.try_send(Push::Drop);
        }
    }
}

/// The event sockets and device registrations (`/wdm/api/v1/devices`, the U2C catalog at
/// `/u2c/api/v1/catalog`, sockets at each device's `webSocketUrl`).
impl Emulator {
    /// The emulator's U2C service (`http://127.0.0.1:<port>/u2c/api/v1`): give it to an event
    /// socket client to discover the device service, as against live Webex.
    pub fn u2c_url(&self) -> String {
        format!("{}/u2c/api/v1", self.origin())
    }

    /// The emulator's device service (`http://127.0.0.1:<port>/wdm/api/v1`), for clients that
    /// skip discovery.
    pub fn wdm_url(&self) -> String {
        format!("{}/wdm/api/v1", self.origin())
    }

    fn origin(&self) -> &str {
        self.base_url().trim_end_matches("/v1")
    }

    /// Cuts every event socket without a close frame, as a network failure would (the client
    /// sees the connection end: close code 1006). The last frame each socket sent counts as not
    /// acknowledged, so it is sent again on the device's next socket, as Webex replays frames
    /// whose ack it missed. Returns how many sockets were cut.
    pub fn drop_sockets(&self) -> usize {
        self.shared().state().wdm.all_sockets(|| Push::Drop)
    }

    /// Closes every event socket with this close code and reason (`4000` "replaced", `4401`
    /// for a token to renew, `1001` going away, ...). Returns how many sockets were closed.
    pub fn close_sockets(&self, code: u16, reason: &str) -> usize {
        self.shared()
            .state()
            .wdm
            .all_sockets(|| Push::Close(code, reason.to_owned()))
    }

    /// The event sockets authorized now.
    pub fn open_sockets(&self) -> usize {
        self.shared().state().wdm.sockets.len()
    }

    /// The devices registered now (everyone's).
    pub fn device_count(&self) -> usize {
        self.shared().state().wdm.devices.len()
    }

    /// The names of the devices registered now by the person with this email, oldest first.
    pub fn device_names(&self, email: &str) -> Vec<String> {
        let state = self.shared().state();
        let Some(owner) = state.person_by_email(email).map(|p| p.id.clone()) else {
            return Vec::new();
        };
        state
            .wdm
            .devices
            .iter()
            .filter(|device| device.owner == owner)
            .map(|device| device.name().to_owned())
            .collect()
    }

    /// How many event frames clients have acknowledged.
    pub fn frames_acked(&self) -> u64 {
        self.shared().state().wdm.acks
    }

    /// The socket faults and device limit in force.
    pub fn socket_faults(&self) -> SocketFaults {
        self.shared().state().wdm.faults.clone()
    }

    /// Replaces the socket faults and device limit.
    pub fn set_socket_faults(&self, faults: SocketFaults) {
        self.shared().state().wdm.faults = faults;
    }
}
