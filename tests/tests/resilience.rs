//! The whole client under the faults Webex clients trip on: a 429 on every third request and a
//! token that expires in the middle of a listing.

use std::collections::HashSet;

use futures_util::TryStreamExt;
use spark_emulator::Faults;
use spark_model::{CreateMessage, CreateRoom, ListMessages};
use spark_tests::emulator_and_client;

#[tokio::test]
async fn rate_limits_and_a_mid_listing_expiry_lose_and_duplicate_nothing() {
    let (emulator, client) = emulator_and_client().await;
    let room = client
        .rooms()
        .create(&CreateRoom::new("busy"))
        .await
        .unwrap();
    let mut sent = HashSet::new();
    for n in 0..300 {
        let message = client
            .messages()
            .create(&CreateMessage::to_room(&room.id).text(format!("message {n}")))
            .await
            .unwrap();
        sent.insert(message.id);
    }

    emulator.set_faults(Faults::none().rate_limit_every(3).retry_after_secs(0));
    let mut pages = client
        .messages()
        .pages(&ListMessages::new(&room.id).max(40));
    let mut seen = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.try_next().await.unwrap() {
        page_count += 1;
        seen.extend(page.items.into_iter().map(|message| message.id));
        if page_count == 3 {
            emulator.expire_all_tokens();
        }
    }

    assert_eq!(seen.len(), 300, "no item lost or duplicated");
    assert_eq!(seen.iter().cloned().collect::<HashSet<_>>(), sent);
    assert_eq!(page_count, 8);
    assert_eq!(emulator.refresh_count(), 1, "exactly one refresh");
}
