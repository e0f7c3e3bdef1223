//! An echo bot over the event websocket: `@bot echo <text>` is answered in the thread.
//!
//! `cargo run -p webex-spark-bot --example echo-bot`
//!
//! Without `WEBEX_ACCESS_TOKEN` it runs offline against the embedded emulator: the bot
//! connects by websocket, Grace writes "@bot echo hi" in a room, the example checks the answer
//! in the thread and exits 0 (1 if the answer is wrong or late). With `WEBEX_ACCESS_TOKEN` (a
//! bot's token) it runs against Webex until Ctrl-C.

use std::process::ExitCode;
use std::time::Duration;

use futures_util::StreamExt;
use spark_bot::{Bot, Client, EventKind, EventStream, Incoming};
use spark_emulator::Emulator;
use spark_model::{CreateMembership, CreateMessage, CreateRoom};

#[tokio::main]
async fn main() -> ExitCode {
    let outcome = if std::env::var("WEBEX_ACCESS_TOKEN").is_ok_and(|t| !t.trim().is_empty()) {
        live().await
    } else {
        offline().await
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("echo-bot: {error}");
            ExitCode::FAILURE
        }
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn echo_bot(client: Client) -> spark_bot::BotBuilder {
    Bot::builder(client).echo()
}

/// Against Webex, until Ctrl-C.
async fn live() -> Result<(), Failure> {
    let client = Client::from_env()?;
    let bot = echo_bot(client.clone()).build().await?;
    println!(
        "{} is listening (Ctrl-C to stop); try: @{} echo hi",
        bot.me().display_name.as_deref().unwrap_or("the bot"),
        bot.me().display_name.as_deref().unwrap_or("bot"),
    );
    let events = EventStream::builder(client)
        .device_name("spark-echo-bot")
        .connect()
        .await?;
    let mut running = tokio::spawn({
        let bot = bot.clone();
        async move { bot.run(events).await }
    });
    tokio::select! {
        // `run` ended by itself: the socket closed for good.
        outcome = &mut running => return Ok(outcome??),
        outcome = tokio::signal::ctrl_c() => outcome?,
    }
    // Handlers get 5 s to finish; `run` then closes the socket and deletes the device.
    let abandoned = bot.shutdown(Duration::from_secs(5)).await;
    running.await??;
    println!("stopped ({abandoned} event(s) left unhandled); the device is deleted");
    Ok(())
}

/// Against the embedded emulator: one question, one checked answer.
async fn offline() -> Result<(), Failure> {
    let emulator = Emulator::builder()
        .person("echo@webex.bot", "Echo Bot")
        .start()
        .await?;
    println!(
        "No access token in the environment (WEBEX_ACCESS_TOKEN): running against the embedded Webex emulator at {}",
        emulator.base_url()
    );
    let client_for = |email: &str| -> Result<Client, Failure> {
        let token = emulator.token_for(email).ok_or("unknown person")?;
        Ok(Client::builder()
            .base_url(emulator.base_url())?
            .access_token(token)
            .build()?)
    };
    let u2c = emulator.u2c_url();
    let bot_client = client_for("echo@webex.bot")?;
    let grace = client_for("grace@example.com")?;

    let bot = echo_bot(bot_client.clone()).build().await?;
    let events = EventStream::builder(bot_client)
        .u2c_url(&u2c)
        .device_name("echo-bot")
        .connect()
        .await?;
    println!("the bot is connected by websocket");
    let running = tokio::spawn({
        let bot = bot.clone();
        async move { bot.run(events).await }
    });

    // Grace watches the room through a socket of her own.
    let mut grace_events = EventStream::builder(grace.clone())
        .u2c_url(&u2c)
        .device_name("grace-laptop")
        .connect()
        .await?;
    let room = grace.rooms().create(&CreateRoom::new("Echo test")).await?;
    grace
        .memberships()
        .create(&CreateMembership::with_person_email(
            &room.id,
            "echo@webex.bot",
        ))
        .await?;
    let question = grace
        .messages()
        .create(&CreateMessage::to_room(&room.id).markdown("<@personEmail:echo@webex.bot> echo hi"))
        .await?;
    println!("grace wrote: @Echo Bot echo hi");

    let answer = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(item) = grace_events.next().await {
            if let Incoming::Event(event) = item? {
                let from_bot = event.data.person_id.as_deref() == Some(bot.me().id.as_str());
                if event.kind == EventKind::MessageCreated && from_bot {
                    return Ok::<_, Failure>(Some(
                        grace.messages().get(event.id().unwrap_or_default()).await?,
                    ));
                }
            }
        }
        Ok(None)
    })
    .await
    .map_err(|_| "no answer within 10 s")??
    .ok_or("the event stream ended")?;
    bot.shutdown(Duration::from_secs(1)).await;
    running.await??;

    let in_thread = answer.parent_id.as_deref() == Some(question.id.as_str());
    let text = answer.text.unwrap_or_default();
    println!(
        "the bot answered \"{text}\" {}",
        if in_thread {
            "in the thread"
        } else {
            "outside the thread"
        }
    );
    if text != "hi" || !in_thread {
        return Err("the answer is not \"hi\" in the thread".into());
    }
    println!("ok");
    Ok(())
}
