//! The quickstart: the whole client in one run.
//!
//! ```sh
//! cargo run --example quickstart                                  # offline, against the embedded emulator
//! WEBEX_ACCESS_TOKEN=... cargo run --example quickstart           # the real Webex, read only
//! WEBEX_ACCESS_TOKEN=... cargo run --example quickstart -- --write # also creates a room, posts, deletes it
//! ```

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use spark_api::{Client, DownloadOptions, Error, FileUpload, webhook};
use spark_emulator::{Emulator, WebhookInbox};
use spark_model::{
    CreateMembership, CreateMessage, CreateRoom, CreateWebhook, ListMessages, ListRooms,
    WebhookEvent, WebhookResource,
};

type Outcome = Result<(), Box<dyn std::error::Error + Send + Sync>>;

#[tokio::main]
async fn main() -> Outcome {
    let write = std::env::args().any(|arg| arg == "--write");
    match Client::from_env() {
        Ok(client) => real_webex(client, write).await,
        Err(Error::MissingCredentials { .. }) => emulated_webex().await,
        Err(other) => Err(other.into()),
    }
}

/// The real Webex: who am I and my rooms; with `--write`, a room made, used and deleted.
async fn real_webex(client: Client, write: bool) -> Outcome {
    println!("Talking to the real Webex at {}", client.http().base_url());
    let me = client.people().me().await?;
    println!("me: {}", describe(&me));
    let rooms: Vec<_> = client
        .rooms()
        .list(&ListRooms::new().max(50))
        .limit(10)
        .try_collect()
        .await?;
    println!("my first {} rooms:", rooms.len());
    for room in &rooms {
        println!("  - {}", room.title.as_deref().unwrap_or("(untitled)"));
    }
    if write {
        let room = client
            .rooms()
            .create(&CreateRoom::new("spark quickstart"))
            .await?;
        client
            .messages()
            .create(&CreateMessage::to_room(&room.id).markdown("Hello from **spark**"))
            .await?;
        client.rooms().delete(&room.id).await?;
        println!("--write: created a room, posted in it, deleted it");
    }
    Ok(())
}

/// The embedded emulator: every feature of the client, offline.
async fn emulated_webex() -> Outcome {
    let started = Instant::now();
    let emulator = Emulator::start().await?;
    println!(
        "No access token in the environment (WEBEX_ACCESS_TOKEN): running against the embedded Webex emulator at {}",
        emulator.base_url()
    );
    let refreshes = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = refreshes.clone();
    let client = Client::builder()
        .base_url(emulator.base_url())?
        .access_token(emulator.access_token())
        .refresh(
            emulator.client_id(),
            emulator.client_secret(),
            emulator.refresh_token(),
        )
        .on_token_refresh(move |_pair| {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        })
        .build()?;

    let me = client.people().me().await?;
    println!("me: {}", describe(&me));

    let mut inbox = WebhookInbox::start().await?;
    let secret = "quickstart-secret";
    client
        .webhooks()
        .create(
            &CreateWebhook::new(
                "quickstart",
                inbox.url(),
                WebhookResource::Messages,
                WebhookEvent::Created,
            )
            .secret(secret),
        )
        .await?;

    let room = client
        .rooms()
        .create(&CreateRoom::new("Quickstart"))
        .await?;
    println!(
        "created room \"{}\"",
        room.title.as_deref().unwrap_or_default()
    );
    let member = client
        .memberships()
        .create(&CreateMembership::with_person_email(
            &room.id,
            "grace@example.com",
        ))
        .await?;
    println!(
        "added {}",
        member.person_email.as_deref().unwrap_or("a member")
    );

    let text = client
        .messages()
        .create(&CreateMessage::to_room(&room.id).text("Hello, plain text"))
        .await?;
    client
        .messages()
        .create(&CreateMessage::to_room(&room.id).markdown("Hello, **markdown**"))
        .await?;
    client
        .messages()
        .create(
            &CreateMessage::to_room(&room.id)
                .parent_id(&text.id)
                .text("a reply in the thread"),
        )
        .await?;
    let report = b"quarterly numbers: all up\n".to_vec();
    let with_file = client
        .messages()
        .upload(
            &CreateMessage::to_room(&room.id).text("the report"),
            FileUpload::from_bytes("report.txt", "text/plain", report.clone()),
        )
        .await?;
    println!("posted text, markdown, a thread reply and a file");

    let delivery = tokio::time::timeout(Duration::from_secs(5), inbox.next())
        .await?
        .ok_or("the webhook inbox closed")?;
    let signature = delivery.signature().ok_or("the delivery is not signed")?;
    let envelope = webhook::verify_and_parse(secret.as_bytes(), &delivery.body, signature)?;
    println!(
        "webhook delivery received: {} {}, signature verified",
        envelope.resource.map(|r| r.to_string()).unwrap_or_default(),
        envelope.event.map(|e| e.to_string()).unwrap_or_default()
    );

    for n in 1..=20 {
        client
            .messages()
            .create(&CreateMessage::to_room(&room.id).text(format!("note {n}")))
            .await?;
    }
    let pages: Vec<_> = client
        .messages()
        .pages(&ListMessages::new(&room.id).max(5))
        .try_collect()
        .await?;
    let listed: usize = pages.iter().map(|page| page.items.len()).sum();
    println!(
        "listed {listed} messages in {} pages of at most 5",
        pages.len()
    );

    let file_url = with_file
        .files
        .as_ref()
        .and_then(|files| files.first())
        .ok_or("no file URL")?;
    let mut downloaded = Vec::new();
    let info = client
        .contents()
        .download(file_url, &mut downloaded, DownloadOptions::default())
        .await?;
    println!(
        "downloaded {} ({} bytes, {}): {}",
        info.file_name.as_deref().unwrap_or("the file"),
        downloaded.len(),
        info.content_type.as_deref().unwrap_or("?"),
        if downloaded == report {
            "identical to what was sent"
        } else {
            "DIFFERENT"
        }
    );

    emulator.rate_limit_next(1, 1);
    let before = Instant::now();
    client.rooms().get(&room.id).await?;
    println!(
        "a 429 with Retry-After: 1 was absorbed by the retry ({:.1} s)",
        before.elapsed().as_secs_f64()
    );

    emulator.expire_all_tokens();
    client.people().me().await?;
    println!(
        "the token expired; it was refreshed {} time(s) and the call replayed",
        refreshes.load(std::sync::atomic::Ordering::SeqCst)
    );

    client.rooms().delete(&room.id).await?;
    println!(
        "deleted the room; {} requests in {:.1} s",
        emulator.request_count(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn describe(person: &spark_model::Person) -> String {
    format!(
        "{} <{}>",
        person.display_name.as_deref().unwrap_or("(no name)"),
        person
            .emails
            .as_ref()
            .and_then(|emails| emails.first())
            .map_or("no email", String::as_str)
    )
}
