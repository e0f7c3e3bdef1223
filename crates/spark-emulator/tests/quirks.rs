//! The quirk switches, off by default: what a client sees through spark-api (it repairs links,
//! skips empty pages, decodes absent fields and unknown values), and the emulator's raw answers.

mod support;

use futures_util::TryStreamExt;
use http::Method;
use spark_emulator::{Absence, Emulator, NEW_FIELD, Quirks, Seed, UNKNOWN_ENUM_VALUE};
use spark_model::{ListMessages, RoomType};
use support::{client, raw};

/// A room of Ada's with `count` messages from her; its id.
fn room_with_messages(emulator: &Emulator, count: u32) -> String {
    let seed: Seed = serde_json::from_value(serde_json::json!({
        "rooms": [{"key": "r", "title": "Busy", "members": ["grace@example.com"]}],
        "messages": [{"room": "r", "text": "hello", "repeat": count}]
    }))
    .unwrap();
    emulator.seed(&seed).unwrap().rooms["r"].clone()
}

fn next_link(answer: &support::Raw) -> Option<String> {
    let link = answer.header("link")?;
    Some(link.split('<').nth(1)?.split('>').next()?.to_owned())
}

#[tokio::test]
async fn next_links_that_drop_the_filters_are_repaired_by_the_client() {
    let emulator = Emulator::builder()
        .quirks(Quirks::none().drop_filters_in_next_links(true))
        .start()
        .await
        .unwrap();
    let room_id = room_with_messages(&emulator, 5);

    let first = raw(
        Method::GET,
        &format!("{}/messages?roomId={room_id}&max=2", emulator.base_url()),
        Some(&emulator.access_token()),
        None,
        "",
    )
    .await;
    let link = next_link(&first).expect("a next link");
    assert!(!link.contains("roomId"), "{link}");
    let lost = raw(Method::GET, &link, Some(&emulator.access_token()), None, "").await;
    assert_eq!(lost.status, 400, "the link alone names no room");

    let mut params = ListMessages::new(&room_id);
    params.max = Some(2);
    let all: Vec<_> = client(&emulator)
        .messages()
        .list(&params)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
}

#[tokio::test]
async fn an_empty_page_in_the_middle_does_not_end_the_list() {
    let emulator = Emulator::builder()
        .quirks(Quirks::none().empty_page_mid_list(true))
        .start()
        .await
        .unwrap();
    let room_id = room_with_messages(&emulator, 5);
    let token = emulator.access_token();
    let first = raw(
        Method::GET,
        &format!("{}/messages?roomId={room_id}&max=2", emulator.base_url()),
        Some(&token),
        None,
        "",
    )
    .await;
    let second = raw(
        Method::GET,
        &next_link(&first).unwrap(),
        Some(&token),
        None,
        "",
    )
    .await;
    assert_eq!(second.json()["items"], serde_json::json!([]));
    assert!(next_link(&second).is_some(), "an empty page that leads on");

    let mut params = ListMessages::new(&room_id);
    params.max = Some(2);
    let all: Vec<_> = client(&emulator)
        .messages()
        .list(&params)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
}

#[tokio::test]
async fn null_or_missing_optional_fields_decode() {
    let emulator = Emulator::start().await.unwrap();
    let room_id = room_with_messages(&emulator, 1);
    let ada = client(&emulator);
    let token = emulator.access_token();
    for absence in [Absence::Null, Absence::Missing] {
        emulator.set_quirks(Quirks::none().absent_fields(Some(absence)));
        let me = ada.people().me().await.unwrap();
        assert_eq!((me.display_name, me.emails), (None, None));
        let room = ada.rooms().get(&room_id).await.unwrap();
        assert_eq!(room.title, None);
        let messages: Vec<_> = ada
            .messages()
            .list(&ListMessages::new(&room_id))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(messages[0].person_email, None);

        let answer = raw(
            Method::GET,
            &format!("{}/people/me", emulator.base_url()),
            Some(&token),
            None,
            "",
        )
        .await;
        let body = answer.json();
        match absence {
            Absence::Null => assert!(
                body["displayName"].is_null() && body.get("displayName").is_some(),
                "{body}"
            ),
            _ => assert!(
                body.get("displayName").is_none() && body.get("emails").is_none(),
                "{body}"
            ),
        }
    }
}

#[tokio::test]
async fn unknown_enum_values_and_new_fields_decode() {
    let emulator = Emulator::builder()
        .quirks(Quirks::none().unknown_enum_values(true).new_fields(true))
        .start()
        .await
        .unwrap();
    let room_id = room_with_messages(&emulator, 1);
    let ada = client(&emulator);
    let room = ada.rooms().get(&room_id).await.unwrap();
    assert_eq!(room.room_type, Some(RoomType::from(UNKNOWN_ENUM_VALUE)));
    assert_ne!(room.room_type, Some(RoomType::Group));
    let me = ada.people().me().await.unwrap();
    assert!(me.emails.is_some());

    let answer = raw(
        Method::GET,
        &format!("{}/rooms/{room_id}", emulator.base_url()),
        Some(&emulator.access_token()),
        None,
        "",
    )
    .await;
    let body = answer.json();
    assert_eq!(body["type"], UNKNOWN_ENUM_VALUE);
    assert!(body[NEW_FIELD].is_object(), "{body}");
}
