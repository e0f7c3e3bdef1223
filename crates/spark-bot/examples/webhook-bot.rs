//! An echo bot behind a webhook, served by axum: Webex POSTs each message to it, signed.
//!
//! `cargo run -p webex-spark-bot --example webhook-bot`
//!
//! Without `WEBEX_ACCESS_TOKEN` it runs offline: the embedded emulator delivers to the bot's
//! axum server on loopback, Grace writes "@bot echo hi", the example checks the answer in the
//! thread and exits 0. With `WEBEX_ACCESS_TOKEN` (a bot's token), `BOT_PUBLIC_URL` (where Webex
//! can reach this program, e.g. `https://bot.example.com`) and `WEBHOOK_SECRET`, it listens on
//! `PORT` (default 8080), registers the webhook, and serves until Ctrl-C, then deletes it.

use std::process::ExitCode;
use std::time::Duration;

use futures_util::StreamExt;
use spark_bot::{Bot, Client, EventKind, EventStream, Incoming};
use spark_emulator::Emulator;
use spark_model::{
    CreateMembership, CreateMessage, CreateRoom, CreateWebhook, WebhookEvent, WebhookResource,
};

type Failure = Box<dyn std::error::Error + Send + Sync>;

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
            eprintln!("webhook-bot: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Serves the bot's receiver at `/webhook` on `listener`.
fn serve(
    bot: &Bot,
    secret: &str,
    listener: tokio::net::TcpListener,
) -> Result<tokio::task::JoinHandle<()>, Failure> {
    let app = axum::Router::new().route_service("/webhook", bot.webhook_receiver(secret)?);
    Ok(tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            eprintln!("server: {error}");
        }
    }))
}

async fn live() -> Result<(), Failure> {
    let client = Client::from_env()?;
    let public = std::env::var("BOT_PUBLIC_URL").map_err(|_| "set BOT_PUBLIC_URL")?;
    let secret = std::env::var("WEBHOOK_SECRET").map_err(|_| "set WEBHOOK_SECRET")?;
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let bot = Bot::builder(client.clone()).echo().build().await?;
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
    let server = serve(&bot, &secret, listener)?;
    let webhook = client
        .webhooks()
        .create(
            &CreateWebhook::new(
                "spark echo bot",
                format!("{}/webhook", public.trim_end_matches('/')),
                WebhookResource::All,
                WebhookEvent::All,
            )
            .secret(secret.as_str()),
        )
        .await?;
    println!("listening on port {port} for {public}/webhook (Ctrl-C to stop)");
    let _ = tokio::signal::ctrl_c().await;
    client.webhooks().delete(&webhook.id).await?;
    server.abort();
    println!("webhook deleted");
    Ok(())
}

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
    let bot_client = client_for("echo@webex.bot")?;
    let grace = client_for("grace@example.com")?;
    let secret = "offline webhook secret";

    let bot = Bot::builder(bot_client.clone()).echo().build().await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = serve(&bot, secret, listener)?;
    bot_client
        .webhooks()
        .create(
            &CreateWebhook::new(
                "echo bot",
                format!("http://{address}/webhook"),
                WebhookResource::Messages,
                WebhookEvent::Created,
            )
            .secret(secret),
        )
        .await?;
    println!("the bot serves its webhook at http://{address}/webhook (axum)");

    let mut grace_events = EventStream::builder(grace.clone())
        .u2c_url(emulator.u2c_url())
        .device_name("grace-laptop")
        .connect()
        .await?;
    let room = grace
        .rooms()
        .create(&CreateRoom::new("Webhook test"))
        .await?;
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
    server.abort();
    let in_thread = answer.parent_id.as_deref() == Some(question.id.as_str());
    let text = answer.text.unwrap_or_default();
    println!("the bot answered \"{text}\" in the thread: {in_thread}");
    if text != "hi" || !in_thread {
        return Err("the answer is not \"hi\" in the thread".into());
    }
    println!(
        "ok ({} webhook deliveries sent)",
        emulator.deliveries_sent()
    );
    Ok(())
}
