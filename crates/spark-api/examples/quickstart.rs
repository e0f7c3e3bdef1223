//! The quickstart: who am I, and my rooms, on the real Webex.
//!
//! ```sh
//! WEBEX_ACCESS_TOKEN=... cargo run --example quickstart            # reads only
//! WEBEX_ACCESS_TOKEN=... cargo run --example quickstart -- --write # also creates a room, posts, deletes it
//! ```
//!
//! With no token in the environment it says how to get one and stops.

use futures_util::TryStreamExt;
use spark_api::{Client, Error};
use spark_model::{CreateMessage, CreateRoom, ListRooms};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let write = std::env::args().any(|arg| arg == "--write");
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(Error::MissingCredentials { variables }) => {
            println!("No Webex token in the environment: set {variables} to run the quickstart.");
            println!(
                "A personal token (valid 12 hours) is on https://developer.webex.com/docs/getting-started"
            );
            return Ok(());
        }
        Err(other) => return Err(other),
    };
    println!(
        "Talking to {} (read only{})",
        client.http().base_url(),
        if write { ", then --write" } else { "" }
    );

    let me = client.people().me().await?;
    println!(
        "me: {} <{}>",
        me.display_name.as_deref().unwrap_or("(no name)"),
        me.emails
            .as_ref()
            .and_then(|emails| emails.first())
            .map_or("no email", String::as_str)
    );

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
        println!("created room {}", room.title.as_deref().unwrap_or_default());
        let message = client
            .messages()
            .create(&CreateMessage::to_room(&room.id).markdown("Hello from **spark**"))
            .await?;
        println!("posted message {}", message.id);
        client.rooms().delete(&room.id).await?;
        println!("deleted the room again");
    }
    Ok(())
}
