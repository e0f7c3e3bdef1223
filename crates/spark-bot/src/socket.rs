//! One websocket connection of a device: open it, authorize it, then read its frames, ack
//! them and keep it alive with pings, until it ends.
//!
//! Source: DESIGN.md, "Real-time events". The URL gets
//! `outboundWireFormat=text&bufferStates=true&aliasHttpStatus=true`; the first frame is
//! `{"id", "type": "authorization", "data": {"token": "Bearer <token>"}}`; the socket is
//! authorized when a frame with `data.eventType == "mercury.buffer_state"` arrives. Every frame
//! with an id is acked (`{"type": "ack", "messageId"}`) on receipt. A ping
//! (`{"id", "type": "ping"}`) goes out a ping interval after the socket opened and after each
//! pong; no matching pong within the pong timeout means the socket is dead.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpStream;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use crate::activity::{Activity, BUFFER_STATE, CONVERSATION_ACTIVITY, Frame};
use crate::error::{Error, Result};
use crate::ids::uuid;

pub(crate) type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The bounds of one connection.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) connect: Duration,
    pub(crate) authorization: Duration,
    pub(crate) ping_interval: Duration,
    pub(crate) pong_timeout: Duration,
}

/// Why opening a socket failed.
#[derive(Debug)]
pub(crate) enum OpenError {
    /// The upgrade answered 404: the device is gone, register again.
    DeviceGone,
    /// The token was refused (4401 or 401): refresh it.
    Unauthorized,
    /// Do not try again.
    Fatal(Error),
    /// Try again after the back-off.
    Retry(Error),
}

/// How a socket ended.
#[derive(Debug)]
pub(crate) enum Ended {
    /// Reconnect (network failure, 1001/1005/1006/1011, 1000 idle, no pong, ...).
    Lost(String),
    /// Refresh the token, then reconnect (4401).
    Unauthorized,
    /// Stop (4000 replaced, 4400, 4403).
    Fatal(Error),
}

/// The socket URL with the query the public clients add.
pub(crate) fn socket_url(web_socket_url: &str) -> String {
    let separator = if web_socket_url.contains('?') {
        '&'
    } else {
        '?'
    };
    format!(
        "{web_socket_url}{separator}outboundWireFormat=text&bufferStates=true&aliasHttpStatus=true"
    )
}

/// What to do after a close code.
pub(crate) fn after_close(code: u16, reason: &str) -> Ended {
    match code {
        4000 | 4400 | 4403 => Ended::Fatal(Error::Closed {
            code,
            reason: reason.to_owned(),
        }),
        4401 => Ended::Unauthorized,
        _ => Ended::Lost(format!("closed with {code} ({reason})")),
    }
}

/// Opens and authorizes a socket, each step within its bound.
pub(crate) async fn open(
    url: &str,
    token: &str,
    connector: Connector,
    timing: Timing,
) -> Result<Ws, OpenError> {
    let url = socket_url(url);
    let connect =
        tokio_tungstenite::connect_async_tls_with_config(url.as_str(), None, true, Some(connector));
    let mut ws = match tokio::time::timeout(timing.connect, connect).await {
        Err(_) => {
            return Err(OpenError::Retry(Error::Timeout {
                what: "websocket connect",
                limit: timing.connect,
            }));
        }
        Ok(Err(tokio_tungstenite::tungstenite::Error::Http(response))) => {
            return Err(match response.status().as_u16() {
                404 => OpenError::DeviceGone,
                401 => OpenError::Unauthorized,
                400 | 403 => OpenError::Fatal(Error::Connect(format!(
                    "the upgrade was answered {}",
                    response.status()
                ))),
                status => {
                    OpenError::Retry(Error::Connect(format!("the upgrade was answered {status}")))
                }
            });
        }
        Ok(Err(error)) => return Err(OpenError::Retry(Error::Connect(error.to_string()))),
        Ok(Ok((ws, _))) => ws,
    };
    let authorization = json!({
        "id": uuid(),
        "type": "authorization",
        "data": {"token": token},
    });
    let authorized = async {
        ws.send(WsMessage::text(authorization.to_string()))
            .await
            .map_err(|error| OpenError::Retry(Error::Connect(error.to_string())))?;
        loop {
            match ws.next().await {
                Some(Ok(WsMessage::Close(frame))) => {
                    let (code, reason) = close_parts(frame.as_ref());
                    return Err(match after_close(code, &reason) {
                        Ended::Unauthorized => OpenError::Unauthorized,
                        Ended::Fatal(error) => OpenError::Fatal(error),
                        Ended::Lost(why) => OpenError::Retry(Error::Connect(why)),
                    });
                }
                Some(Ok(message)) => {
                    let Some(frame) = parse(&message) else {
                        continue;
                    };
                    ack(&mut ws, &frame).await;
                    let event_type = frame.data.as_ref().and_then(|d| d.event_type.as_deref());
                    if event_type == Some(BUFFER_STATE) {
                        return Ok(());
                    }
                }
                Some(Err(error)) => {
                    return Err(OpenError::Retry(Error::Connect(error.to_string())));
                }
                None => {
                    return Err(OpenError::Retry(Error::Connect(
                        "the socket ended before it was authorized".to_owned(),
                    )));
                }
            }
        }
    };
    match tokio::time::timeout(timing.authorization, authorized).await {
        Err(_) => Err(OpenError::Retry(Error::Timeout {
            what: "socket authorization",
            limit: timing.authorization,
        })),
        Ok(Err(error)) => Err(error),
        Ok(Ok(())) => Ok(ws),
    }
}

fn close_parts(frame: Option<&CloseFrame>) -> (u16, String) {
    frame.map_or((1005, String::new()), |frame| {
        (u16::from(frame.code), frame.reason.as_str().to_owned())
    })
}

/// A data frame (text, or binary without `outboundWireFormat=text`) as JSON.
fn parse(message: &WsMessage) -> Option<Frame> {
    let bytes: &[u8] = match message {
        WsMessage::Text(text) => text.as_bytes(),
        WsMessage::Binary(bytes) => bytes,
        _ => return None,
    };
    serde_json::from_slice(bytes).ok()
}

async fn ack(ws: &mut Ws, frame: &Frame) {
    if frame.frame_type.is_some() {
        return;
    }
    if let Some(id) = &frame.id {
        let ack = json!({"type": "ack", "messageId": id});
        let _ = ws.send(WsMessage::text(ack.to_string())).await;
    }
}

/// Reads an authorized socket until it ends, handing each activity to `on_activity`; `stop`
/// ends it early (the caller then closes the socket).
pub(crate) async fn pump(
    ws: &mut Ws,
    timing: Timing,
    mut on_activity: impl FnMut(Activity),
    stop: impl std::future::Future<Output = ()>,
) -> Option<Ended> {
    tokio::pin!(stop);
    let mut ping_at = Instant::now() + timing.ping_interval;
    let mut waiting_pong: Option<(String, Instant)> = None;
    loop {
        let pong_deadline = waiting_pong.as_ref().map(|(_, at)| *at);
        tokio::select! {
            () = &mut stop => return None,
            message = ws.next() => match message {
                Some(Ok(WsMessage::Close(frame))) => {
                    let (code, reason) = close_parts(frame.as_ref());
                    return Some(after_close(code, &reason));
                }
                Some(Ok(message)) => {
                    let Some(frame) = parse(&message) else {
                        continue;
                    };
                    if frame.frame_type.as_deref() == Some("pong") {
                        if waiting_pong.as_ref().is_some_and(|(id, _)| Some(id) == frame.id.as_ref()) {
                            waiting_pong = None;
                            ping_at = Instant::now() + timing.ping_interval;
                        }
                        continue;
                    }
                    ack(ws, &frame).await;
                    let Some(data) = frame.data else { continue };
                    if data.event_type.as_deref() == Some(CONVERSATION_ACTIVITY) {
                        if let Some(activity) = data.activity {
                            on_activity(activity);
                        }
                    }
                }
                Some(Err(error)) => return Some(Ended::Lost(error.to_string())),
                None => return Some(Ended::Lost("the socket ended".to_owned())),
            },
            () = tokio::time::sleep_until(ping_at), if waiting_pong.is_none() => {
                let id = uuid();
                let ping = json!({"id": id, "type": "ping"});
                if ws.send(WsMessage::text(ping.to_string())).await.is_err() {
                    return Some(Ended::Lost("the ping could not be sent".to_owned()));
                }
                waiting_pong = Some((id, Instant::now() + timing.pong_timeout));
            }
            () = tokio::time::sleep_until(pong_deadline.unwrap_or(ping_at)), if pong_deadline.is_some() => {
                return Some(Ended::Lost(format!("no pong within {:?}", timing.pong_timeout)));
            }
        }
    }
}

/// Closes a socket politely, within `limit`.
pub(crate) async fn close(ws: &mut Ws, limit: Duration) {
    let _ = tokio::time::timeout(limit, ws.close(None)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_codes_decide() {
        assert!(matches!(after_close(4000, "replaced"), Ended::Fatal(_)));
        assert!(matches!(after_close(4400, ""), Ended::Fatal(_)));
        assert!(matches!(after_close(4403, ""), Ended::Fatal(_)));
        assert!(matches!(after_close(4401, ""), Ended::Unauthorized));
        for code in [1000, 1001, 1005, 1006, 1011] {
            assert!(matches!(after_close(code, "idle"), Ended::Lost(_)));
        }
        assert_eq!(
            socket_url("wss://m.example/x"),
            "wss://m.example/x?outboundWireFormat=text&bufferStates=true&aliasHttpStatus=true"
        );
    }
}
