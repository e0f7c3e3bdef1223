//! Helpers for the end-to-end tests: an emulator and a client of the whole stack wired to it.

use spark_api::Client;
use spark_emulator::Emulator;

/// A client for the emulator's caller, wired for refresh, with the default retry policy.
pub fn client_for(emulator: &Emulator) -> Client {
    Client::builder()
        .base_url(emulator.base_url())
        .expect("the emulator's base URL is valid")
        .access_token(emulator.access_token())
        .refresh(
            emulator.client_id(),
            emulator.client_secret(),
            emulator.refresh_token(),
        )
        .build()
        .expect("a client builds")
}

/// A started emulator and a client for it.
pub async fn emulator_and_client() -> (Emulator, Client) {
    let emulator = Emulator::start().await.expect("the emulator starts");
    let client = client_for(&emulator);
    (emulator, client)
}
