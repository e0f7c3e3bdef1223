//! Create, list across pages, update and delete, for each resource the emulator serves, through
//! the whole client.

use std::collections::HashSet;

use futures_util::TryStreamExt;
use spark_model::{
    CreateMembership, CreateMessage, CreateRoom, CreateRoomTab, CreateTeam, CreateTeamMembership,
    CreateWebhook, ListMemberships, ListMessages, ListRoomTabs, ListRooms, ListTeamMemberships,
    ListTeams, ListWebhooks, UpdateMembership, UpdateMessage, UpdateRoom, UpdateRoomTab,
    UpdateTeam, UpdateTeamMembership, UpdateWebhook, WebhookEvent, WebhookResource,
};
use spark_tests::emulator_and_client;

fn ids<'a>(items: impl IntoIterator<Item = &'a String>) -> HashSet<String> {
    items.into_iter().cloned().collect()
}

#[tokio::test]
async fn rooms() {
    let (_emulator, client) = emulator_and_client().await;
    let mut created = HashSet::new();
    for n in 0..7 {
        let room = client
            .rooms()
            .create(&CreateRoom::new(format!("room {n}")))
            .await
            .unwrap();
        created.insert(room.id);
    }
    let listed: Vec<_> = client
        .rooms()
        .list(&ListRooms::new().max(3))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 7);
    assert_eq!(ids(listed.iter().map(|room| &room.id)), created);

    let id = created.iter().next().unwrap();
    let renamed = client
        .rooms()
        .update(id, &UpdateRoom::new("renamed"))
        .await
        .unwrap();
    assert_eq!(renamed.title.as_deref(), Some("renamed"));
    assert_eq!(
        client.rooms().get(id).await.unwrap().title.as_deref(),
        Some("renamed")
    );
    client.rooms().delete(id).await.unwrap();
    assert!(client.rooms().get(id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn memberships() {
    let (_emulator, client) = emulator_and_client().await;
    let room = client
        .rooms()
        .create(&CreateRoom::new("members"))
        .await
        .unwrap();
    for email in [
        "grace@example.com",
        "alan@example.com",
        "barbara@example.com",
    ] {
        client
            .memberships()
            .create(&CreateMembership::with_person_email(&room.id, email))
            .await
            .unwrap();
    }
    let in_room = ListMemberships::in_room(&room.id).max(2);
    let listed: Vec<_> = client
        .memberships()
        .list(&in_room)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 4, "the creator and three members");

    let grace = listed
        .iter()
        .find(|m| m.person_email.as_deref() == Some("grace@example.com"))
        .unwrap();
    let updated = client
        .memberships()
        .update(&grace.id, &UpdateMembership::new(true, false))
        .await
        .unwrap();
    assert_eq!(updated.is_moderator, Some(true));
    client.memberships().delete(&grace.id).await.unwrap();
    let after: Vec<_> = client
        .memberships()
        .list(&in_room)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(after.len(), 3);
}

#[tokio::test]
async fn messages() {
    let (_emulator, client) = emulator_and_client().await;
    let room = client
        .rooms()
        .create(&CreateRoom::new("messages"))
        .await
        .unwrap();
    let mut sent = HashSet::new();
    for n in 0..12 {
        let message = client
            .messages()
            .create(&CreateMessage::to_room(&room.id).text(format!("message {n}")))
            .await
            .unwrap();
        sent.insert(message.id);
    }
    let query = ListMessages::new(&room.id).max(5);
    let listed: Vec<_> = client.messages().list(&query).try_collect().await.unwrap();
    assert_eq!(ids(listed.iter().map(|m| &m.id)), sent);

    let first = &listed[0];
    let edited = client
        .messages()
        .update(&first.id, &UpdateMessage::new(&room.id).text("edited"))
        .await
        .unwrap();
    assert_eq!(edited.text.as_deref(), Some("edited"));
    assert_eq!(
        client
            .messages()
            .get(&first.id)
            .await
            .unwrap()
            .text
            .as_deref(),
        Some("edited")
    );
    client.messages().delete(&first.id).await.unwrap();
    let after: Vec<_> = client.messages().list(&query).try_collect().await.unwrap();
    assert_eq!(after.len(), 11);
}

#[tokio::test]
async fn teams_and_team_memberships() {
    let (_emulator, client) = emulator_and_client().await;
    let mut created = HashSet::new();
    for n in 0..4 {
        let team = client
            .teams()
            .create(&CreateTeam::new(format!("team {n}")))
            .await
            .unwrap();
        created.insert(team.id);
    }
    let listed: Vec<_> = client
        .teams()
        .list(&ListTeams::new().max(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(listed.iter().map(|team| &team.id)), created);

    let team_id = created.iter().next().unwrap().clone();
    let renamed = client
        .teams()
        .update(&team_id, &UpdateTeam::new("renamed"))
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("renamed"));

    for email in ["grace@example.com", "alan@example.com"] {
        client
            .team_memberships()
            .create(&CreateTeamMembership::with_person_email(&team_id, email))
            .await
            .unwrap();
    }
    let in_team = ListTeamMemberships::new(&team_id).max(1);
    let members: Vec<_> = client
        .team_memberships()
        .list(&in_team)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(members.len(), 3, "the creator and two members");
    let alan = members
        .iter()
        .find(|m| m.person_email.as_deref() == Some("alan@example.com"))
        .unwrap();
    let updated = client
        .team_memberships()
        .update(&alan.id, &UpdateTeamMembership::new(true))
        .await
        .unwrap();
    assert_eq!(updated.is_moderator, Some(true));
    client.team_memberships().delete(&alan.id).await.unwrap();
    let after: Vec<_> = client
        .team_memberships()
        .list(&in_team)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(after.len(), 2);

    client.teams().delete(&team_id).await.unwrap();
    assert!(
        client
            .teams()
            .get(&team_id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn webhooks() {
    let (_emulator, client) = emulator_and_client().await;
    let mut created = HashSet::new();
    for n in 0..3 {
        let hook = CreateWebhook::new(
            format!("hook {n}"),
            "http://127.0.0.1:1/unused",
            WebhookResource::Rooms,
            WebhookEvent::Created,
        );
        created.insert(client.webhooks().create(&hook).await.unwrap().id);
    }
    let listed: Vec<_> = client
        .webhooks()
        .list(&ListWebhooks::new().max(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(listed.iter().map(|hook| &hook.id)), created);
    let id = created.iter().next().unwrap();
    let updated = client
        .webhooks()
        .update(
            id,
            &UpdateWebhook::new("renamed", "http://127.0.0.1:1/other"),
        )
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("renamed"));
    client.webhooks().delete(id).await.unwrap();
    assert!(client.webhooks().get(id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn room_tabs() {
    let (_emulator, client) = emulator_and_client().await;
    let room = client
        .rooms()
        .create(&CreateRoom::new("tabs"))
        .await
        .unwrap();
    let mut created = HashSet::new();
    for n in 0..3 {
        let tab = CreateRoomTab::new(
            &room.id,
            format!("https://example.com/{n}"),
            format!("tab {n}"),
        );
        created.insert(client.room_tabs().create(&tab).await.unwrap().id);
    }
    let listed: Vec<_> = client
        .room_tabs()
        .list(&ListRoomTabs::new(&room.id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids(listed.iter().map(|tab| &tab.id)), created);
    let id = created.iter().next().unwrap();
    let updated = client
        .room_tabs()
        .update(
            id,
            &UpdateRoomTab::new(&room.id, "https://example.com/new", "renamed"),
        )
        .await
        .unwrap();
    assert_eq!(updated.display_name.as_deref(), Some("renamed"));
    client.room_tabs().delete(id).await.unwrap();
    assert!(client.room_tabs().get(id).await.unwrap_err().is_not_found());
}
