//! Many tasks sharing one client and one room.

use futures_util::TryStreamExt;
use spark_model::{CreateMessage, CreateRoom, ListMessages};
use spark_tests::emulator_and_client;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_tasks_posting_fifty_messages_each_end_with_3200_listed() {
    let (_emulator, client) = emulator_and_client().await;
    let room = client
        .rooms()
        .create(&CreateRoom::new("crowded"))
        .await
        .unwrap();
    let tasks = (0..64).map(|task| {
        let client = client.clone();
        let room_id = room.id.clone();
        tokio::spawn(async move {
            for n in 0..50 {
                client
                    .messages()
                    .create(&CreateMessage::to_room(&room_id).text(format!("{task}:{n}")))
                    .await
                    .unwrap();
            }
        })
    });
    for task in futures_util::future::join_all(tasks).await {
        task.unwrap();
    }
    let listed: Vec<_> = client
        .messages()
        .list(&ListMessages::new(&room.id).max(1000))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 3200);
    let texts: std::collections::HashSet<_> =
        listed.iter().filter_map(|m| m.text.clone()).collect();
    assert_eq!(texts.len(), 3200, "every message once");
}
