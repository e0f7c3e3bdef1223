//! What the emulator now renders as live Webex does, seen through the bot: the `html` of a
//! message with mentions (the bot strips a mention whose label is none of its names), and
//! membership ids derived from the person and the room (a membership event's id reads over
//! REST). Then a card sent from a handler and submitted, decoded into a typed struct.

mod support;

use futures_util::StreamExt;
use spark_bot::card::{Action, Input, TextBlock};
use spark_bot::{AdaptiveCard, Bot, EventKind, Incoming};
use spark_model::{CreateAttachmentAction, CreateMembership, CreateMessage};
use support::*;
use tokio::sync::mpsc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mention_with_any_label_is_stripped_through_the_messages_html() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let bot_client = client_for(&emulator, BOT_EMAIL);
    let room = group_room(&grace, "labels", &[BOT_EMAIL]).await;
    let (tx, mut seen) = mpsc::unbounded_channel();
    let bot = Bot::builder(bot_client.clone())
        .command("echo", "answers back", move |ctx, args| {
            let tx = tx.clone();
            async move {
                let _ = tx.send((ctx.text().to_owned(), args));
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

    // "Robo" is not the bot's display name, nickname or first name: only the html says it is
    // the bot.
    let posted = grace
        .messages()
        .create(
            &CreateMessage::to_room(&room.id)
                .markdown(format!("<@personEmail:{BOT_EMAIL}|Robo> echo hi & bye")),
        )
        .await
        .unwrap();
    assert_eq!(posted.text.as_deref(), Some("Robo echo hi & bye"));
    assert_eq!(
        posted.html.as_deref(),
        Some(
            format!(
                "<p><spark-mention data-object-type=\"person\" data-object-id=\"{}\">Robo</spark-mention> echo hi &amp; bye</p>",
                bot.me().id
            )
            .as_str()
        )
    );
    let (text, args) = tokio::time::timeout(PATIENCE, seen.recv())
        .await
        .expect("the command in time")
        .unwrap();
    assert_eq!(text, "echo hi & bye");
    assert_eq!(args, "hi & bye");

    // Without a mention there is no html.
    let plain = grace
        .messages()
        .create(&CreateMessage::to_room(&room.id).markdown("**no** mention"))
        .await
        .unwrap();
    assert_eq!(plain.html, None);
    running.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_membership_events_id_reads_over_rest() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let bot_client = client_for(&emulator, BOT_EMAIL);
    let room = group_room(&grace, "members", &[BOT_EMAIL]).await;
    let mut events = stream_builder(&emulator, bot_client.clone())
        .connect()
        .await
        .unwrap();
    let added = grace
        .memberships()
        .create(&CreateMembership::with_person_email(
            &room.id,
            "alan@example.com",
        ))
        .await
        .unwrap();
    let event = tokio::time::timeout(PATIENCE, async {
        loop {
            match events.next().await {
                Some(Ok(Incoming::Event(event))) if event.kind == EventKind::MembershipAdded => {
                    return event;
                }
                Some(Ok(_)) => {}
                other => panic!("the stream ended: {other:?}"),
            }
        }
    })
    .await
    .expect("the membership event in time");
    assert_eq!(event.data.id.as_deref(), Some(added.id.as_str()));
    let read = bot_client
        .memberships()
        .get(event.id().unwrap())
        .await
        .expect("the event's membership id reads over REST");
    assert_eq!(read.person_id, added.person_id);
    assert_eq!(read.room_id.as_deref(), Some(room.id.as_str()));
}

#[derive(Debug, serde::Deserialize)]
struct Order {
    dish: String,
    comment: Option<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_sent_from_a_handler_comes_back_with_typed_inputs() {
    let emulator = emulator().await;
    let grace = client_for(&emulator, "grace@example.com");
    let bot_client = client_for(&emulator, BOT_EMAIL);
    let room = group_room(&grace, "lunch", &[BOT_EMAIL]).await;
    let (card_tx, mut cards) = mpsc::unbounded_channel();
    let (order_tx, mut orders) = mpsc::unbounded_channel();
    let bot = Bot::builder(bot_client.clone())
        .command("lunch", "asks what you want", move |ctx, _| {
            let card_tx = card_tx.clone();
            async move {
                let card = AdaptiveCard::new()
                    .body(TextBlock::new("What for lunch?"))
                    .body(Input::text("dish"))
                    .body(Input::text("comment"))
                    .action(Action::submit("Order"));
                let sent = ctx.reply_card("What for lunch?", card).await?;
                let _ = card_tx.send(sent);
                Ok(())
            }
        })
        .on_card_as(move |ctx, order: Order, action| {
            let order_tx = order_tx.clone();
            async move {
                let _ = order_tx.send((order, action.message_id, ctx.message().is_some()));
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

    mention_bot(&grace, &room.id, "lunch").await;
    let sent = tokio::time::timeout(PATIENCE, cards.recv())
        .await
        .expect("the card in time")
        .unwrap();
    let card = grace.messages().get(&sent.id).await.unwrap();
    assert_eq!(card.text.as_deref(), Some("What for lunch?"));
    assert!(card.adaptive_card().unwrap().is_some(), "a card attached");

    // Inputs that do not decode (no `dish`) are not handed on; the next good ones are.
    for dish in [None, Some("soup")] {
        let mut inputs = serde_json::Map::new();
        if let Some(dish) = dish {
            inputs.insert("dish".into(), dish.into());
        }
        grace
            .attachment_actions()
            .create(&CreateAttachmentAction::new(&sent.id, inputs))
            .await
            .unwrap();
    }
    let (order, message_id, has_message) = tokio::time::timeout(PATIENCE, orders.recv())
        .await
        .expect("the order in time")
        .unwrap();
    assert_eq!(order.dish, "soup");
    assert_eq!(order.comment, None);
    assert_eq!(message_id.as_deref(), Some(sent.id.as_str()));
    assert!(has_message);
    assert!(
        orders.try_recv().is_err(),
        "the bad submission was not handed on"
    );
    running.abort();
}
