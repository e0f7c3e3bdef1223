//! Shutting a bot down: a handler that never returns is stopped after the grace period, the
//! events queued behind it are dropped and counted, `run` returns and its device is deleted,
//! and events that come later are refused.

mod support;

use std::time::Duration;

use spark_bot::{Bot, Event, EventData, EventHandler, EventKind, Source};
use support::*;
use tokio::sync::mpsc;

/// Sends on its channel when dropped: tells that a handler's future was stopped.
struct DropSignal(mpsc::UnboundedSender<()>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handler_that_never_returns_does_not_hold_the_shutdown() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let bot_client = client_for(&emulator, BOT_EMAIL);
    let room = group_room(&grace, "hangs", &[BOT_EMAIL]).await;
    let (started_tx, mut started) = mpsc::unbounded_channel();
    let (dropped_tx, mut dropped) = mpsc::unbounded_channel();
    let bot = Bot::builder(bot_client.clone())
        .command("hang", "never answers", move |_, _| {
            let started_tx = started_tx.clone();
            let signal = DropSignal(dropped_tx.clone());
            async move {
                let _signal = signal;
                let _ = started_tx.send(());
                std::future::pending::<()>().await;
                Ok(())
            }
        })
        .build()
        .await
        .unwrap();
    let events = stream_builder(&emulator, bot_client.clone())
        .connect()
        .await
        .unwrap();
    let running = tokio::spawn({
        let bot = bot.clone();
        async move { bot.run(events).await }
    });

    mention_bot(&grace, &room.id, "hang").await;
    tokio::time::timeout(PATIENCE, started.recv())
        .await
        .expect("the handler started")
        .unwrap();
    // Queued behind the hanging handler: same room, so it waits its turn.
    let queued = EventData {
        id: Some("a message that waits".to_owned()),
        room_id: Some(room.id.clone()),
        ..EventData::default()
    };
    bot.handle(Event::new(
        EventKind::MessageCreated,
        queued,
        Source::Webhook,
    ))
    .unwrap();
    let abandoned = tokio::time::timeout(PATIENCE, bot.shutdown(Duration::from_millis(200)))
        .await
        .expect("the shutdown is bounded");
    assert_eq!(
        abandoned, 2,
        "the hanging handler and the one queued behind it"
    );
    tokio::time::timeout(PATIENCE, dropped.recv())
        .await
        .expect("the hanging handler was stopped")
        .unwrap();

    let outcome = tokio::time::timeout(PATIENCE, running)
        .await
        .expect("run returns after the shutdown")
        .unwrap();
    assert!(outcome.is_ok(), "{outcome:?}");
    assert_eq!(emulator.device_count(), 0, "deleted before run returned");
    tokio::time::timeout(PATIENCE, async {
        while emulator.open_sockets() > 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the socket is closed");

    // Later events are refused (a webhook receiver answers 503).
    let late = Event::new(
        EventKind::MessageCreated,
        EventData::default(),
        Source::Webhook,
    );
    assert!(bot.handle(late).is_err());
}

#[tokio::test]
async fn an_idle_bot_shuts_down_at_once() {
    let emulator = emulator().await;
    let bot = Bot::builder(client_for(&emulator, BOT_EMAIL))
        .build()
        .await
        .unwrap();
    let abandoned = tokio::time::timeout(PATIENCE, bot.shutdown(Duration::from_secs(3600)))
        .await
        .expect("nothing to wait for");
    assert_eq!(abandoned, 0);
}
