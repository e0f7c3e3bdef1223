//! The bot's behaviour over the websocket: card round trips, direct rooms and help, handlers
//! that panic or hang, and no token anywhere in logs, `Debug` output or errors.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use spark_bot::{Bot, Error, EventStream};
use spark_model::{CreateAttachmentAction, CreateMessage};
use support::*;
use tokio::sync::mpsc;

fn card() -> serde_json::Value {
    serde_json::json!({
        "type": "AdaptiveCard", "version": "1.3",
        "body": [{"type": "Input.Text", "id": "answer", "label": "Your answer"}],
        "actions": [{"type": "Action.Submit", "title": "Send"}]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_sent_by_the_bot_and_submitted_reaches_the_card_handler_with_its_inputs() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let bot_client = client_for(&emulator, BOT_EMAIL);
    let room = group_room(&grace, "cards", &[BOT_EMAIL]).await;
    let (tx, mut submitted) = mpsc::unbounded_channel();
    let bot = Bot::builder(bot_client.clone())
        .on_card(move |ctx, action| {
            let tx = tx.clone();
            async move {
                let card_message = ctx.message().map(|m| m.id.clone());
                ctx.reply_direct("thanks for your answer").await?;
                let _ = tx.send((action, card_message, ctx.person_id().map(str::to_owned)));
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

    let sent = bot_client
        .messages()
        .create(
            &CreateMessage::to_room(&room.id)
                .text("a question")
                .card(card()),
        )
        .await
        .unwrap();
    let mut inputs = serde_json::Map::new();
    inputs.insert("answer".into(), "forty-two".into());
    grace
        .attachment_actions()
        .create(&CreateAttachmentAction::new(&sent.id, inputs))
        .await
        .unwrap();

    let (action, card_message, person) = tokio::time::timeout(PATIENCE, submitted.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(action.message_id.as_deref(), Some(sent.id.as_str()));
    assert_eq!(card_message.as_deref(), Some(sent.id.as_str()));
    assert_eq!(action.inputs.unwrap()["answer"], "forty-two");
    let grace_id = grace.people().me().await.unwrap().id;
    assert_eq!(person.as_deref(), Some(grace_id.as_str()));
    running.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_rooms_need_no_mention_help_lists_commands_and_bad_handlers_do_not_stop_the_bot() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let alan = client_for(&emulator, "alan@example.com");
    let bot_client = client_for(&emulator, BOT_EMAIL);
    let (tx, mut answered) = mpsc::unbounded_channel();
    let bot = Bot::builder(bot_client.clone())
        .echo()
        .command("boom", "panics", |_, _| async move {
            panic!("a handler bug");
        })
        .command("hang", "never ends", |_, _| async move {
            std::future::pending::<()>().await;
            Ok(())
        })
        .command("direct", "answers privately", |ctx, _| async move {
            ctx.reply_direct("just for you").await?;
            Ok(())
        })
        .max_concurrency(4)
        .handler_timeout(Duration::from_millis(300))
        .build()
        .await
        .unwrap();
    assert!(bot.help_text().contains("- `echo`"));
    assert!(bot.help_text().contains("- `help`"));
    let events = stream_builder(&emulator, bot_client.clone())
        .connect()
        .await
        .unwrap();
    let running = tokio::spawn({
        let bot = bot.clone();
        async move { bot.run(events).await }
    });
    // The bot's answers, seen by grace's own socket.
    let mut grace_events = stream_builder(&emulator, grace.clone())
        .device_name("grace-client")
        .connect()
        .await
        .unwrap();
    let bot_id = bot.me().id.clone();
    let watcher = tokio::spawn({
        let grace = grace.clone();
        async move {
            use futures_util::StreamExt;
            while let Some(Ok(spark_bot::Incoming::Event(event))) = grace_events.next().await {
                if event.data.person_id.as_deref() == Some(bot_id.as_str())
                    && event.kind == spark_bot::EventKind::MessageCreated
                {
                    let message = grace.messages().get(event.id().unwrap()).await.unwrap();
                    let _ = tx.send((message.room_type, message.text.unwrap_or_default()));
                }
            }
        }
    });

    // A direct message needs no mention.
    grace
        .messages()
        .create(&CreateMessage::to_person_email(BOT_EMAIL).text("echo hi there"))
        .await
        .unwrap();
    let (room_type, text) = answer(&mut answered).await;
    assert_eq!(room_type, Some(spark_model::RoomType::Direct));
    assert_eq!(text, "hi there");

    let room = group_room(&grace, "help", &[BOT_EMAIL, "alan@example.com"]).await;
    mention_bot(&grace, &room.id, "help").await;
    let (_, text) = answer(&mut answered).await;
    assert!(text.contains("echo") && text.contains("boom"), "{text}");

    // A panic, then a hang in the same room: the bot goes on (the hang is stopped in time).
    mention_bot(&grace, &room.id, "boom").await;
    mention_bot(&grace, &room.id, "hang").await;
    mention_bot(&alan, &room.id, "echo still here").await;
    let (_, text) = answer(&mut answered).await;
    assert_eq!(text, "still here");

    // In a group room, a private answer goes to the direct room.
    mention_bot(&alan, &room.id, "direct").await;
    mention_bot(&grace, &room.id, "direct").await;
    let (room_type, text) = answer(&mut answered).await;
    assert_eq!(room_type, Some(spark_model::RoomType::Direct));
    assert_eq!(text, "just for you");
    // Alan's direct room with the bot is not seen by grace; grace's is.
    mention_bot(&grace, &room.id, "unknown-command").await;
    let (_, text) = answer(&mut answered).await;
    assert!(text.contains("I do not know `unknown-command`"), "{text}");
    running.abort();
    watcher.abort();
}

/// The next answer the watcher saw: its room type and text.
async fn answer(
    answered: &mut mpsc::UnboundedReceiver<(Option<spark_model::RoomType>, String)>,
) -> (Option<spark_model::RoomType>, String) {
    tokio::time::timeout(PATIENCE, answered.recv())
        .await
        .expect("an answer in time")
        .unwrap()
}

/// Everything written by `tracing` while it is set.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_in_logs_debug_output_or_errors() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emulator = emulator().await;
    let token = emulator.token_for(BOT_EMAIL).unwrap();
    let refreshed: Arc<Mutex<Vec<String>>> = Arc::default();
    let keep = Arc::clone(&refreshed);
    let bot_client = spark_api::Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token(token.clone())
        .refresh(
            emulator.client_id(),
            emulator.client_secret(),
            emulator.refresh_token_for(BOT_EMAIL).unwrap(),
        )
        .on_token_refresh(move |pair| {
            keep.lock()
                .unwrap()
                .push(pair.access_token.expose_secret().to_owned())
        })
        .build()
        .unwrap();
    let grace = client_for(&emulator, "grace@example.com");
    let room = group_room(&grace, "secrets", &[BOT_EMAIL]).await;
    let (tx, mut done) = mpsc::unbounded_channel();
    let (reconnected_tx, mut reconnected) = mpsc::unbounded_channel();
    let builder = Bot::builder(bot_client.clone())
        .command("echo", "answers", move |ctx, args| {
            let tx = tx.clone();
            async move {
                ctx.reply_in_thread(&args).await?;
                let _ = tx.send(format!("{ctx:?}"));
                Ok(())
            }
        })
        .on_reconnect(move |gap, _| {
            let _ = reconnected_tx.send(gap);
        });
    let mut debug = vec![format!("{builder:?}")];
    let bot = builder.build().await.unwrap();
    let stream_builder = stream_builder(&emulator, bot_client.clone());
    debug.push(format!("{stream_builder:?}"));
    let events = stream_builder.connect().await.unwrap();
    debug.push(format!("{events:?}"));
    debug.push(format!("{bot:?}"));
    debug.push(format!(
        "{:?}",
        bot.webhook_receiver("webhook-canary-secret").unwrap()
    ));
    let running = tokio::spawn({
        let bot = bot.clone();
        async move { bot.run(events).await }
    });
    mention_bot(&grace, &room.id, "echo one").await;
    debug.push(
        tokio::time::timeout(PATIENCE, done.recv())
            .await
            .unwrap()
            .unwrap(),
    );
    emulator.drop_sockets();
    tokio::time::timeout(PATIENCE, reconnected.recv())
        .await
        .unwrap();
    emulator.expire_all_tokens();
    emulator.close_sockets(4401, "expired");
    tokio::time::timeout(PATIENCE, reconnected.recv())
        .await
        .unwrap();
    let grace = client_for(&emulator, "grace@example.com");
    mention_bot(&grace, &room.id, "echo two").await;
    debug.push(
        tokio::time::timeout(PATIENCE, done.recv())
            .await
            .unwrap()
            .unwrap(),
    );
    running.abort();

    // Errors: a refused token, a full registry.
    let bad = spark_api::Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token("CANARY-not-a-token-0123456789")
        .build()
        .unwrap();
    let error: Error = EventStream::builder(bad)
        .u2c_url(format!("{}/u2c/api/v1", origin(&emulator)))
        .connect()
        .await
        .unwrap_err();
    debug.push(format!("{error:?} {error}"));

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("event socket"), "the logs were captured");
    let mut secrets = vec![
        token,
        "CANARY-not-a-token-0123456789".to_owned(),
        "webhook-canary-secret".to_owned(),
    ];
    secrets.extend(refreshed.lock().unwrap().iter().cloned());
    assert!(secrets.len() >= 4, "the token was refreshed");
    for secret in &secrets {
        assert!(!logs.contains(secret.as_str()), "a token in the logs");
        for text in &debug {
            assert!(!text.contains(secret.as_str()), "a token in {text}");
        }
    }
}
