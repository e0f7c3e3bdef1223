//! The bot over the emulator's websocket, end to end: many messages from two people in three
//! rooms, each handled once, in order per room, each answered in its thread.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use futures_util::TryStreamExt;
use spark_bot::Bot;
use spark_model::ListMessages;
use support::*;
use tokio::sync::mpsc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_messages_in_three_rooms_are_handled_once_in_order_and_answered() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let alan = client_for(&emulator, "alan@example.com");
    let bot_client = client_for(&emulator, BOT_EMAIL);

    let mut rooms = Vec::new();
    for title in ["one", "two", "three"] {
        rooms.push(group_room(&grace, title, &[BOT_EMAIL, "alan@example.com"]).await);
    }

    let (handled_tx, mut handled) = mpsc::unbounded_channel();
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let record = Arc::clone(&seen);
    let bot = Bot::builder(bot_client.clone())
        .command("echo", "answers the text back", move |ctx, args| {
            let record = Arc::clone(&record);
            let handled_tx = handled_tx.clone();
            async move {
                record
                    .lock()
                    .unwrap()
                    .push((ctx.room_id().unwrap().to_owned(), args.clone()));
                ctx.reply_in_thread(&format!("echo: {args}")).await?;
                let _ = handled_tx.send(());
                Ok(())
            }
        })
        .build()
        .await
        .unwrap();
    assert_eq!(
        bot.me().emails.as_deref(),
        Some(&[BOT_EMAIL.to_owned()][..])
    );
    let events = stream_builder(&emulator, bot_client)
        .connect()
        .await
        .unwrap();
    assert_eq!(emulator.open_sockets(), 1);
    let running = tokio::spawn({
        let bot = bot.clone();
        async move { bot.run(events).await }
    });

    let mut sent: HashMap<String, Vec<String>> = HashMap::new();
    for n in 0..200 {
        let room = &rooms[n % 3];
        let author = if n % 2 == 0 { &grace } else { &alan };
        let text = format!("m{n:03}");
        mention_bot(author, &room.id, &format!("echo {text}")).await;
        sent.entry(room.id.clone()).or_default().push(text);
    }
    for _ in 0..200 {
        tokio::time::timeout(PATIENCE, handled.recv())
            .await
            .expect("every message is handled in time")
            .unwrap();
    }

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 200, "each message handled exactly once");
    let mut by_room: HashMap<String, Vec<String>> = HashMap::new();
    for (room, text) in seen {
        by_room.entry(room).or_default().push(text);
    }
    assert_eq!(by_room, sent, "in order, per room");

    for room in &rooms {
        let messages: Vec<_> = grace
            .messages()
            .list(&ListMessages::new(&room.id).max(100))
            .try_collect()
            .await
            .unwrap();
        let replies: Vec<_> = messages
            .iter()
            .filter(|m| m.person_id.as_deref() == Some(bot.me().id.as_str()))
            .collect();
        assert_eq!(replies.len(), sent[&room.id].len());
        for reply in replies {
            let parent = reply.parent_id.as_deref().expect("answered in the thread");
            let question = messages.iter().find(|m| m.id == parent).unwrap();
            let asked = question
                .text
                .as_deref()
                .unwrap()
                .rsplit(' ')
                .next()
                .unwrap();
            assert_eq!(
                reply.text.as_deref(),
                Some(format!("echo: {asked}").as_str())
            );
        }
    }
    // The 200 messages and the bot's 200 answers (a bot sees its own messages, and ignores them).
    assert_eq!(emulator.frames_acked(), 400, "every frame acknowledged");
    running.abort();
}
