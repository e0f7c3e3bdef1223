//! Losing the socket: the emulator cuts it mid-stream, the stream reconnects, reports the gap,
//! and hands on every later activity exactly once (the frame replayed after each cut is
//! dropped). A full device registry is a clear error; a refused token is refreshed.

mod support;

use std::collections::HashSet;
use std::time::Duration;

use futures_util::StreamExt;
use spark_bot::{Error, EventKind, EventStream, Incoming};
use spark_emulator::SocketFaults;
use support::*;
use tokio::sync::mpsc;

/// The next item of the stream, within the test's patience.
async fn next(events: &mut EventStream) -> Incoming {
    tokio::time::timeout(PATIENCE, events.next())
        .await
        .expect("an item in time")
        .expect("the stream goes on")
        .expect("no error")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_cuts_are_five_reconnections_and_no_activity_is_handled_twice() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let room = group_room(&grace, "cuts", &[BOT_EMAIL]).await;
    let bot = client_for(&emulator, BOT_EMAIL);
    let mut events = stream_builder(&emulator, bot).connect().await.unwrap();

    let mut handled = HashSet::new();
    let mut expected = HashSet::new();
    let mut gaps = Vec::new();
    for round in 0..6 {
        for n in 0..10 {
            let message = mention_bot(&grace, &room.id, &format!("echo r{round} n{n}")).await;
            expected.insert(message.id);
        }
        while handled.len() < expected.len() {
            match next(&mut events).await {
                Incoming::Event(event) => {
                    assert_eq!(event.kind, EventKind::MessageCreated);
                    let id = event.data.id.clone().unwrap();
                    assert!(expected.contains(&id), "an activity we sent");
                    assert!(handled.insert(id), "never handed on twice");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        if round == 5 {
            break;
        }
        assert_eq!(emulator.drop_sockets(), 1);
        match next(&mut events).await {
            Incoming::Reconnected {
                gap,
                attempts,
                registered_again,
                ..
            } => {
                assert!(attempts >= 1);
                assert!(!registered_again);
                gaps.push(gap);
            }
            other => panic!("expected a reconnection, got {other:?}"),
        }
    }
    assert_eq!(gaps.len(), 5, "each cut reported");
    assert!(
        gaps.iter()
            .all(|gap| *gap > Duration::ZERO && *gap < PATIENCE)
    );
    assert_eq!(handled, expected);
    assert_eq!(
        emulator.device_names(BOT_EMAIL),
        ["test-bot"],
        "one device throughout"
    );

    // Nothing more: the replayed frame of the last cut was the only duplicate, and it was dropped.
    mention_bot(&grace, &room.id, "echo last").await;
    let Incoming::Event(event) = next(&mut events).await else {
        panic!("an event");
    };
    assert!(!handled.contains(event.data.id.as_deref().unwrap()));

    // Dropping the stream closes the socket and deletes the device.
    drop(events);
    tokio::time::timeout(PATIENCE, async {
        while emulator.device_count() > 0 || emulator.open_sockets() > 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the device is deleted after the stream is dropped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_device_is_registered_again_and_a_refused_token_refreshed() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let room = group_room(&grace, "re-register", &[BOT_EMAIL]).await;
    let bot = refreshing_bot_client(&emulator);
    let mut events = stream_builder(&emulator, bot.clone())
        .connect()
        .await
        .unwrap();

    // The device disappears (deleted elsewhere): the socket closes, the upgrade answers 404.
    let devices = bot
        .http()
        .get(&format!("{}/wdm/api/v1/devices", origin(&emulator)))
        .await
        .unwrap()
        .into_body()
        .collect_limited(1 << 20)
        .await
        .unwrap();
    let devices: serde_json::Value = serde_json::from_slice(&devices).unwrap();
    let url = devices["devices"][0]["url"].as_str().unwrap().to_owned();
    bot.http().delete(&url).await.unwrap();
    match next(&mut events).await {
        Incoming::Reconnected {
            registered_again, ..
        } => assert!(registered_again),
        other => panic!("expected a reconnection, got {other:?}"),
    }
    let sent = mention_bot(&grace, &room.id, "echo after").await;
    let Incoming::Event(event) = next(&mut events).await else {
        panic!("an event");
    };
    assert_eq!(event.data.id, Some(sent.id));

    // 4401: the token is refreshed from the client's token cache, then the socket reopened.
    let refreshes = emulator.refresh_count();
    emulator.expire_all_tokens();
    assert_eq!(emulator.close_sockets(4401, "token expired"), 1);
    assert!(matches!(
        next(&mut events).await,
        Incoming::Reconnected { .. }
    ));
    assert_eq!(emulator.refresh_count(), refreshes + 1);
    let grace = client_for(&emulator, "grace@example.com");
    let sent = mention_bot(&grace, &room.id, "echo refreshed").await;
    let Incoming::Event(event) = next(&mut events).await else {
        panic!("an event");
    };
    assert_eq!(event.data.id, Some(sent.id));

    // 4000 (replaced): the end, with its reason.
    emulator.close_sockets(4000, "replaced");
    let last = tokio::time::timeout(PATIENCE, events.next()).await.unwrap();
    match last {
        Some(Err(Error::Closed { code, reason })) => {
            assert_eq!((code, reason.as_str()), (4000, "replaced"));
        }
        other => panic!("expected the end, got {other:?}"),
    }
    assert!(
        tokio::time::timeout(PATIENCE, events.next())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_full_device_registry_is_a_clear_error() {
    let emulator = emulator().await;
    emulator.set_socket_faults(SocketFaults::none().device_limit(2));
    let bot = client_for(&emulator, BOT_EMAIL);
    for name in ["desktop", "phone"] {
        let answer = bot
            .http()
            .post_json(
                &format!("{}/wdm/api/v1/devices", origin(&emulator)),
                &serde_json::json!({"name": name, "deviceType": "DESKTOP"}),
            )
            .await
            .unwrap();
        assert!(answer.status().is_success());
    }
    let error = stream_builder(&emulator, bot).connect().await.unwrap_err();
    assert!(
        matches!(error, Error::DeviceLimit { deleted: 0, .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("too many devices"), "{text}");
    assert!(
        text.contains("User has excessive device registrations"),
        "{text}"
    );
    assert_eq!(
        emulator.device_names(BOT_EMAIL),
        ["desktop", "phone"],
        "other clients' devices are never deleted"
    );

    emulator.set_socket_faults(SocketFaults::none().refuse_registration(true));
    let error = stream_builder(&emulator, client_for(&emulator, BOT_EMAIL))
        .connect()
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Device { status: 503, .. }),
        "{error:?}"
    );
}

/// Waits (within the test's patience) until the emulator holds no device and no socket.
async fn all_cleaned_up(emulator: &spark_emulator::Emulator, what: &str) {
    tokio::time::timeout(PATIENCE, async {
        while emulator.device_count() > 0 || emulator.open_sockets() > 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("{what}: the device is deleted and no socket is left"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_dropped_while_it_waits_to_reconnect_deletes_its_device() {
    let emulator = emulator().await;
    let bot = client_for(&emulator, BOT_EMAIL);
    // A back-off of an hour: after the cut, the stream's task is waiting to reconnect.
    let events = stream_builder(&emulator, bot)
        .reconnect_backoff(Duration::from_secs(3600), Duration::from_secs(3600))
        .connect()
        .await
        .unwrap();
    assert_eq!(emulator.device_count(), 1);
    assert_eq!(emulator.drop_sockets(), 1);
    tokio::time::timeout(PATIENCE, async {
        while emulator.open_sockets() > 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the socket is cut");
    drop(events);
    all_cleaned_up(&emulator, "dropped during the back-off").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_dropped_while_its_new_socket_waits_for_authorization_deletes_its_device() {
    let emulator = emulator().await;
    let bot = client_for(&emulator, BOT_EMAIL);
    let events = stream_builder(&emulator, bot)
        .authorization_timeout(Duration::from_secs(3600))
        .connect()
        .await
        .unwrap();
    // Frames held back: the next socket opens but is never told it is authorized.
    emulator.set_socket_faults(SocketFaults::none().frame_delay(Duration::from_secs(3600)));
    assert_eq!(emulator.drop_sockets(), 1);
    tokio::time::timeout(PATIENCE, async {
        while emulator.open_sockets() > 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the socket is cut");
    // The stream is now somewhere in its reconnection (a back-off of milliseconds, then a
    // socket that is never authorized); dropped in any of these steps it cleans up.
    drop(events);
    all_cleaned_up(&emulator, "dropped while waiting for authorization").await;
}

/// A JSON answer.
fn json(value: serde_json::Value) -> impl axum::response::IntoResponse {
    (
        [(http::header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
}

/// A device service whose device's socket never answers the upgrade: registrations get
/// device `d1`; the first channel tells of each connection to its socket, the second of its
/// deletion.
async fn device_service_with_a_silent_socket() -> (
    String,
    mpsc::UnboundedReceiver<()>,
    mpsc::UnboundedReceiver<()>,
) {
    use axum::routing::{delete, get};
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_at = silent.local_addr().unwrap();
    let (connected_tx, connected) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((connection, _)) = silent.accept().await {
            held.push(connection);
            let _ = connected_tx.send(());
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let wdm = format!("http://{}/wdm/api/v1", listener.local_addr().unwrap());
    let device = serde_json::json!({
        "url": format!("{wdm}/devices/d1"),
        "webSocketUrl": format!("ws://{silent_at}/socket"),
        "name": "test-bot",
    });
    let (deleted_tx, deleted) = mpsc::unbounded_channel();
    let app = axum::Router::new()
        .route(
            "/wdm/api/v1/devices",
            get(|| async { json(serde_json::json!({"devices": []})) }).post(move || {
                let device = device.clone();
                async move { json(device) }
            }),
        )
        .route(
            "/wdm/api/v1/devices/d1",
            delete(move || {
                let _ = deleted_tx.send(());
                async { http::StatusCode::NO_CONTENT }
            }),
        );
    tokio::spawn(async move { axum::serve(listener, app).await });
    (wdm, connected, deleted)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connect_abandoned_while_its_socket_opens_deletes_its_device() {
    let emulator = emulator().await;
    let (wdm, mut connected, mut deleted) = device_service_with_a_silent_socket().await;
    let connecting = tokio::spawn(
        EventStream::builder(client_for(&emulator, BOT_EMAIL))
            .wdm_url(wdm)
            .connect_timeout(Duration::from_secs(3600))
            .connect(),
    );
    // The caller gives up (a select, a timeout of its own, Ctrl-C) while the socket opens.
    tokio::time::timeout(PATIENCE, connected.recv())
        .await
        .expect("the device is registered and its socket being opened")
        .unwrap();
    connecting.abort();
    let _ = connecting.await;
    tokio::time::timeout(PATIENCE, deleted.recv())
        .await
        .expect("the device is deleted")
        .unwrap();
}
