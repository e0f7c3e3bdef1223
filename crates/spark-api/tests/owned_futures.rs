//! Every operation's future owns what it needs: futures taken from temporary services, with
//! arguments dropped before they are awaited, are `Send + 'static`, can be collected and spawned,
//! and do their work against the emulator.

mod support;

use std::future::Future;

use futures_util::TryStreamExt;
use futures_util::future::try_join_all;
use spark_api::{DownloadOptions, FileUpload};
use spark_emulator::Emulator;
use spark_model::{
    CreateMembership, CreateMessage, CreateRoom, ListMemberships, ListMessages, UpdateRoom,
};
use support::{RemoveOnDrop, emulator_client, unique_temp_path};

/// Compiles only for a future that borrows nothing and can move between threads.
fn assert_static<F: Future + Send + 'static>(_: &F) {}

/// Compiles only for a stream that borrows nothing and can move between threads.
fn assert_static_stream<S: futures_core::Stream + Send + 'static>(_: &S) {}

#[tokio::test]
async fn futures_from_temporary_services_are_collected_and_awaited_together() {
    let emulator = Emulator::start().await.unwrap();
    let client = emulator_client(&emulator);

    let calls: Vec<_> = (0..6).map(|_| client.people().me()).collect();
    assert_static(&calls[0]);
    let people = try_join_all(calls).await.unwrap();
    assert_eq!(people.len(), 6);
    assert!(people.iter().all(|person| person.id == people[0].id));

    // Parameters built in place and dropped before the futures are awaited.
    let creations: Vec<_> = (0..4)
        .map(|n| client.rooms().create(&CreateRoom::new(format!("room {n}"))))
        .collect();
    assert_static(&creations[0]);
    let rooms = try_join_all(creations).await.unwrap();
    let room_id = rooms[0].id.clone();

    let renames: Vec<_> = rooms
        .iter()
        .map(|room| {
            let title = format!("{} renamed", room.title.as_deref().unwrap_or_default());
            client.rooms().update(&room.id, &UpdateRoom::new(title))
        })
        .collect();
    drop(rooms);
    assert_static(&renames[0]);
    let renamed = try_join_all(renames).await.unwrap();
    assert!(
        renamed
            .iter()
            .all(|room| room.title.as_deref().unwrap().ends_with("renamed"))
    );

    let id = room_id.clone();
    let get = client.rooms().get(&id);
    let meeting = client.rooms().meeting_info(&id);
    drop(id);
    assert_static(&get);
    assert_static(&meeting);
    let (room, _meeting) = futures_util::try_join!(get, meeting).unwrap();
    assert_eq!(room.id, room_id);

    let posts: Vec<_> = (0..5)
        .map(|n| {
            client
                .messages()
                .create(&CreateMessage::to_room(&room_id).text(format!("message {n}")))
        })
        .collect();
    let member = client
        .memberships()
        .create(&CreateMembership::with_person_email(
            &room_id,
            spark_emulator::SEEDED_EMAILS[1],
        ));
    assert_static(&member);
    let messages = try_join_all(posts).await.unwrap();
    member.await.unwrap();

    // Futures and streams move to other tasks.
    let listing = client.messages().list(&ListMessages::new(&room_id).max(2));
    assert_static_stream(&listing);
    let listed = tokio::spawn(listing.try_collect::<Vec<_>>());
    let members = tokio::spawn(
        client
            .memberships()
            .list(&ListMemberships::in_room(&room_id))
            .try_collect::<Vec<_>>(),
    );
    let fetched = tokio::spawn(client.messages().get(&messages[0].id));
    assert_eq!(listed.await.unwrap().unwrap().len(), 5);
    assert_eq!(members.await.unwrap().unwrap().len(), 2);
    assert_eq!(fetched.await.unwrap().unwrap().id, messages[0].id);

    let deletions: Vec<_> = messages
        .iter()
        .map(|message| client.messages().delete(&message.id))
        .collect();
    assert_static(&deletions[0]);
    try_join_all(deletions).await.unwrap();

    let refresh = client.oauth().refresh_now();
    assert_static(&refresh);
    refresh.await.unwrap();
    assert_eq!(emulator.refresh_count(), 1);
    client.people().me().await.unwrap();
}

#[tokio::test]
async fn uploads_and_downloads_own_their_arguments_too() {
    let emulator = Emulator::start().await.unwrap();
    // The download right after the upload needs the kind behaviour: no scan time.
    emulator.set_refusals(spark_emulator::Refusals::default().scan_time(std::time::Duration::ZERO));
    let client = emulator_client(&emulator);
    let room = client
        .rooms()
        .create(&CreateRoom::new("files"))
        .await
        .unwrap();
    let content = b"a small report\n".repeat(100);

    let upload = client.messages().upload(
        &CreateMessage::to_room(&room.id).text("the report"),
        FileUpload::from_bytes("report.txt", "text/plain", content.clone()),
    );
    assert_static(&upload);
    let message = tokio::spawn(upload).await.unwrap().unwrap();
    let url = message.files.expect("the message has a file")[0].clone();

    let info = client.contents().info(&url);
    assert_static(&info);
    assert_eq!(info.await.unwrap().size, Some(content.len() as u64));

    // An owned writer makes a `'static` download.
    let target = unique_temp_path("owned", "txt");
    let _cleanup = RemoveOnDrop(target.clone());
    let file = tokio::fs::File::create(&target).await.unwrap();
    let to_file = client
        .contents()
        .download(&url, file, DownloadOptions::default());
    assert_static(&to_file);
    tokio::spawn(to_file).await.unwrap().unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), content);

    // A borrowed writer still works.
    let mut buffer = Vec::new();
    client
        .contents()
        .download(&url, &mut buffer, DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(buffer, content);

    let again = unique_temp_path("owned-path", "txt");
    let _cleanup_again = RemoveOnDrop(again.clone());
    let path = again.clone();
    let to_path = client
        .contents()
        .download_to_path(&url, &path, DownloadOptions::default());
    drop(path);
    assert_static(&to_path);
    to_path.await.unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), content);
}
