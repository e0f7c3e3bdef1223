//! Helpers shared by the bot's tests: an emulator with a bot account, clients for its people,
//! rooms with the bot in them, and an event stream with quick reconnection.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use spark_api::Client;
use spark_bot::{EventStream, EventStreamBuilder};
use spark_emulator::Emulator;
use spark_model::{CreateMembership, CreateMessage, CreateRoom, Message, Room};

pub const BOT_EMAIL: &str = "echo@webex.bot";
pub const BOT_NAME: &str = "Echo Bot";

/// How long any test waits for something that should come at once.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// An emulator with the bot account.
pub async fn emulator() -> Emulator {
    Emulator::builder()
        .person(BOT_EMAIL, BOT_NAME)
        .start()
        .await
        .unwrap()
}

/// A client for the person with this email.
pub fn client_for(emulator: &Emulator, email: &str) -> Client {
    Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token(emulator.token_for(email).unwrap())
        .build()
        .unwrap()
}

/// A client for the bot that can refresh its token.
pub fn refreshing_bot_client(emulator: &Emulator) -> Client {
    Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token(emulator.token_for(BOT_EMAIL).unwrap())
        .refresh(
            emulator.client_id(),
            emulator.client_secret(),
            emulator.refresh_token_for(BOT_EMAIL).unwrap(),
        )
        .build()
        .unwrap()
}

/// `http://127.0.0.1:<port>`.
pub fn origin(emulator: &Emulator) -> String {
    emulator.base_url().trim_end_matches("/v1").to_owned()
}

/// An event stream for `client` against the emulator, discovering WDM through its U2C catalog,
/// reconnecting within milliseconds.
pub fn stream_builder(emulator: &Emulator, client: Client) -> EventStreamBuilder {
    EventStream::builder(client)
        .u2c_url(emulator.u2c_url())
        .device_name("test-bot")
        .reconnect_backoff(Duration::from_millis(1), Duration::from_millis(20))
}

/// A group room created by `owner` with these people in it.
pub async fn group_room(owner: &Client, title: &str, members: &[&str]) -> Room {
    let room = owner.rooms().create(&CreateRoom::new(title)).await.unwrap();
    for email in members {
        owner
            .memberships()
            .create(&CreateMembership::with_person_email(&room.id, *email))
            .await
            .unwrap();
    }
    room
}

/// Posts `@bot <text>` in a room.
pub async fn mention_bot(client: &Client, room_id: &str, text: &str) -> Message {
    client
        .messages()
        .create(
            &CreateMessage::to_room(room_id).markdown(format!("<@personEmail:{BOT_EMAIL}> {text}")),
        )
        .await
        .unwrap()
}
