//! The emulator driven through `spark-api`, the way a program would use it.

mod support;

use futures_util::{StreamExt, TryStreamExt};
use http::StatusCode;
use spark_api::{DownloadOptions, FileUpload};
use spark_emulator::{CALLER_EMAIL, Emulator};
use spark_model::{
    CreateMembership, CreateMessage, CreateRoom, CreateTeam, CreateTeamMembership,
    ListDirectMessages, ListMemberships, ListMessages, ListRooms, ListTeamMemberships, RoomType,
    UpdateMessage, UpdateRoom,
};
use support::{client, client_with_token};

#[tokio::test]
async fn me_is_the_seeded_caller() {
    let emulator = Emulator::start().await.unwrap();
    let me = client(&emulator).people().me().await.unwrap();
    assert_eq!(me.display_name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(me.emails.as_deref(), Some(&[CALLER_EMAIL.to_owned()][..]));
    assert_eq!(me.id, emulator.me().id);

    let grace = client_with_token(&emulator, &emulator.token_for("grace@example.com").unwrap());
    let grace_me = grace.people().me().await.unwrap();
    assert_eq!(grace_me.display_name.as_deref(), Some("Grace Hopper"));
}

#[tokio::test]
async fn rooms_members_messages_threads_and_mentions() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let room = ada
        .rooms()
        .create(&CreateRoom::new("Engines"))
        .await
        .unwrap();
    assert_eq!(room.room_type, Some(RoomType::Group));
    assert_eq!(room.creator_id, Some(emulator.me().id));

    let membership = ada
        .memberships()
        .create(&CreateMembership::with_person_email(
            &room.id,
            "grace@example.com",
        ))
        .await
        .unwrap();
    assert_eq!(
        membership.person_display_name.as_deref(),
        Some("Grace Hopper")
    );
    let members: Vec<_> = ada
        .memberships()
        .list(&ListMemberships::in_room(&room.id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(members[0].is_moderator, Some(true), "the creator moderates");

    let text = ada
        .messages()
        .create(&CreateMessage::to_room(&room.id).text("hello"))
        .await
        .unwrap();
    assert_eq!(text.text.as_deref(), Some("hello"));
    let markdown = ada
        .messages()
        .create(
            &CreateMessage::to_room(&room.id)
                .markdown("**look** <@personEmail:grace@example.com|Grace>"),
        )
        .await
        .unwrap();
    assert_eq!(
        markdown.mentioned_people,
        Some(vec![membership.person_id.clone().unwrap()])
    );
    assert_eq!(markdown.text.as_deref(), Some("look Grace"));
    let reply = ada
        .messages()
        .create(
            &CreateMessage::to_room(&room.id)
                .parent_id(&text.id)
                .text("in thread"),
        )
        .await
        .unwrap();
    assert_eq!(reply.parent_id.as_deref(), Some(text.id.as_str()));

    // Newest first, like Webex.
    let all: Vec<_> = ada
        .messages()
        .list(&ListMessages::new(&room.id))
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        [reply.id.as_str(), markdown.id.as_str(), text.id.as_str()]
    );
    let thread: Vec<_> = ada
        .messages()
        .list(&ListMessages::new(&room.id).parent_id(&text.id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(thread.len(), 1);

    // Grace sees the room and the mention.
    let grace = client_with_token(&emulator, &emulator.token_for("grace@example.com").unwrap());
    let mentions: Vec<_> = grace
        .messages()
        .list(&ListMessages::new(&room.id).mentioned_people(["me"]))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(mentions.len(), 1);
    assert_eq!(mentions[0].id, markdown.id);

    // Edit, rename, delete.
    let edited = ada
        .messages()
        .update(
            &text.id,
            &UpdateMessage::new(&room.id).text("hello, edited"),
        )
        .await
        .unwrap();
    assert_eq!(edited.text.as_deref(), Some("hello, edited"));
    assert!(edited.updated.is_some());
    let renamed = ada
        .rooms()
        .update(&room.id, &UpdateRoom::new("Analytical Engines"))
        .await
        .unwrap();
    assert_eq!(renamed.title.as_deref(), Some("Analytical Engines"));
    ada.messages().delete(&reply.id).await.unwrap();
    let err = ada.messages().get(&reply.id).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn direct_messages_create_and_reuse_one_room() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let first = ada
        .messages()
        .create(&CreateMessage::to_person_email("alan@example.com").text("hi Alan"))
        .await
        .unwrap();
    assert_eq!(first.room_type, Some(RoomType::Direct));
    assert_eq!(first.to_person_email.as_deref(), Some("alan@example.com"));
    let alan_id = emulator
        .people()
        .into_iter()
        .find(|p| p.emails.as_ref().unwrap()[0] == "alan@example.com")
        .unwrap()
        .id;
    let second = ada
        .messages()
        .create(&CreateMessage::to_person_id(&alan_id).text("again"))
        .await
        .unwrap();
    assert_eq!(first.room_id, second.room_id);
    let direct: Vec<_> = ada
        .messages()
        .list_direct(&ListDirectMessages::with_person_email("alan@example.com"))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(direct.len(), 2);
    let rooms: Vec<_> = ada
        .rooms()
        .list(&ListRooms::new().room_type(RoomType::Direct))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rooms.len(), 1);
}

#[tokio::test]
async fn upload_then_download_with_headers() {
    let emulator = Emulator::start().await.unwrap();
    // The download right after the upload needs the kind behaviour: no scan time.
    emulator.set_refusals(spark_emulator::Refusals::default().scan_time(std::time::Duration::ZERO));
    let ada = client(&emulator);
    let room = ada.rooms().create(&CreateRoom::new("Files")).await.unwrap();
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let message = ada
        .messages()
        .upload(
            &CreateMessage::to_room(&room.id).text("the notes"),
            FileUpload::from_bytes(
                "notes on the engine.bin",
                "application/x-notes",
                bytes.clone(),
            ),
        )
        .await
        .unwrap();
    let files = message.files.clone().unwrap();
    assert_eq!(files.len(), 1);
    assert!(files[0].starts_with(emulator.base_url()), "{}", files[0]);
    assert_eq!(message.text.as_deref(), Some("the notes"));

    let mut downloaded = Vec::new();
    let info = ada
        .contents()
        .download(&files[0], &mut downloaded, DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(downloaded, bytes);
    assert_eq!(info.file_name.as_deref(), Some("notes on the engine.bin"));
    assert_eq!(info.size, Some(bytes.len() as u64));
    assert_eq!(info.content_type.as_deref(), Some("application/x-notes"));
    let head = ada.contents().info(&files[0]).await.unwrap();
    assert_eq!(head, info);

    // Someone outside the room may not download it.
    let barbara = client_with_token(
        &emulator,
        &emulator.token_for("barbara@example.com").unwrap(),
    );
    let err = barbara
        .contents()
        .download(&files[0], &mut Vec::new(), DownloadOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
}

#[tokio::test]
async fn two_hundred_fifty_messages_in_three_pages() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let room = ada.rooms().create(&CreateRoom::new("Busy")).await.unwrap();
    for i in 0..250 {
        ada.messages()
            .create(&CreateMessage::to_room(&room.id).text(format!("m{i}")))
            .await
            .unwrap();
    }
    let pages: Vec<_> = ada
        .messages()
        .pages(&ListMessages::new(&room.id).max(100))
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<_> = pages.iter().map(|page| page.items.len()).collect();
    assert_eq!(sizes, [100, 100, 50]);
    let link = pages[0].headers.get("link").unwrap().to_str().unwrap();
    assert!(
        link.starts_with(&format!("<{}/messages?", emulator.base_url())),
        "{link}"
    );
    assert!(link.ends_with("rel=\"next\""), "{link}");
    let mut ids: Vec<_> = pages
        .iter()
        .flat_map(|page| page.items.iter().map(|m| m.id.clone()))
        .collect();
    assert_eq!(
        ids.first().map(String::as_str),
        pages[0].items.first().map(|m| m.id.as_str())
    );
    assert_eq!(
        pages[0].items[0].text.as_deref(),
        Some("m249"),
        "newest first"
    );
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 250);
}

#[tokio::test]
async fn null_max_in_next_links_is_repaired_by_the_client() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let room = ada.rooms().create(&CreateRoom::new("Links")).await.unwrap();
    for i in 0..25 {
        ada.messages()
            .create(&CreateMessage::to_room(&room.id).text(format!("m{i}")))
            .await
            .unwrap();
    }
    emulator.set_null_max_in_next_links(true);
    let first = ada
        .messages()
        .pages(&ListMessages::new(&room.id).max(10))
        .next()
        .await
        .unwrap()
        .unwrap();
    let link = first.headers.get("link").unwrap().to_str().unwrap();
    assert!(link.contains("max=null"), "{link}");
    let all: Vec<_> = ada
        .messages()
        .list(&ListMessages::new(&room.id).max(10))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 25);
}

#[tokio::test]
async fn teams_have_a_general_room() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let team = ada
        .teams()
        .create(&CreateTeam::new("Pioneers"))
        .await
        .unwrap();
    let rooms: Vec<_> = ada
        .rooms()
        .list(&ListRooms::new().team_id(&team.id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].title.as_deref(), Some("Pioneers"));
    ada.team_memberships()
        .create(&CreateTeamMembership::with_person_email(
            &team.id,
            "grace@example.com",
        ))
        .await
        .unwrap();
    let members: Vec<_> = ada
        .team_memberships()
        .list(&ListTeamMemberships::new(&team.id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(members.len(), 2);
    let grace = client_with_token(&emulator, &emulator.token_for("grace@example.com").unwrap());
    let grace_rooms: Vec<_> = grace
        .rooms()
        .list(&ListRooms::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        grace_rooms.len(),
        1,
        "joining the team joins its general room"
    );
}
