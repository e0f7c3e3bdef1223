//! The store at scale: the window of events it keeps, and the memory cap that answers 507
//! instead of growing.

mod support;

use http::{Method, StatusCode};
use serde_json::{Value, json};
use spark_emulator::{DEFAULT_EVENT_WINDOW, DEFAULT_MEMORY_CAP, Emulator};
use support::{Raw, raw};

const JSON: Option<&str> = Some("application/json");

async fn create_room(emulator: &Emulator, title: &str) -> String {
    let url = format!("{}/rooms", emulator.base_url());
    let body = json!({ "title": title }).to_string();
    let answer = raw(
        Method::POST,
        &url,
        Some(&emulator.access_token()),
        JSON,
        body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    answer.json()["id"].as_str().unwrap().to_owned()
}

async fn post_message(emulator: &Emulator, room: &str, text: &str) -> Raw {
    let url = format!("{}/messages", emulator.base_url());
    let body = json!({ "roomId": room, "text": text }).to_string();
    raw(
        Method::POST,
        &url,
        Some(&emulator.access_token()),
        JSON,
        body,
    )
    .await
}

async fn get(emulator: &Emulator, path: &str) -> Raw {
    let url = format!("{}{path}", emulator.base_url());
    raw(Method::GET, &url, Some(&emulator.access_token()), None, "").await
}

#[tokio::test]
async fn only_the_newest_events_of_the_window_are_kept() {
    assert_eq!(DEFAULT_EVENT_WINDOW, 10_000);
    let emulator = Emulator::builder().event_window(3).start().await.unwrap();
    let room = create_room(&emulator, "Window").await;
    let mut texts = Vec::new();
    for n in 0..6 {
        let text = format!("message {n}");
        assert_eq!(
            post_message(&emulator, &room, &text).await.status,
            StatusCode::OK
        );
        texts.push(text);
    }
    let events = get(&emulator, "/events?max=100").await;
    assert_eq!(events.status, StatusCode::OK);
    let kept: Vec<String> = events.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| {
            event["data"]["text"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(kept, ["message 5", "message 4", "message 3"]);
}

#[tokio::test]
async fn past_the_memory_cap_writes_answer_507_and_reads_and_deletes_still_work() {
    assert_eq!(DEFAULT_MEMORY_CAP, 1 << 30);
    let emulator = Emulator::builder()
        .memory_cap(64 * 1024)
        .start()
        .await
        .unwrap();
    let room = create_room(&emulator, "Full").await;
    let text = "x".repeat(1000);
    let mut stored = 0;
    let refused = loop {
        let answer = post_message(&emulator, &room, &text).await;
        if answer.status != StatusCode::OK {
            break answer;
        }
        stored += 1;
        assert!(stored < 1000, "the store kept growing past its cap");
    };
    assert!(stored > 10, "refused after {stored} messages");
    assert!(emulator.stored_bytes() > 64 * 1024);
    assert_eq!(refused.status, StatusCode::INSUFFICIENT_STORAGE);
    let body: Value = refused.json();
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("memory cap"), "{message}");
    assert_eq!(body["errors"][0]["description"].as_str(), Some(message));
    let tracking = body["trackingId"].as_str().unwrap();
    assert_eq!(refused.header("trackingid"), Some(tracking));
    // Other writes are refused too; reads are not.
    let url = format!("{}/rooms", emulator.base_url());
    let other = raw(
        Method::POST,
        &url,
        Some(&emulator.access_token()),
        JSON,
        r#"{"title":"More"}"#,
    )
    .await;
    assert_eq!(other.status, StatusCode::INSUFFICIENT_STORAGE);
    let page = get(&emulator, &format!("/messages?roomId={room}&max=5")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.json()["items"].as_array().unwrap().len(), 5);
    // Deleting the room frees its messages, and writes work again.
    let url = format!("{}/rooms/{room}", emulator.base_url());
    let deleted = raw(
        Method::DELETE,
        &url,
        Some(&emulator.access_token()),
        None,
        "",
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let events = emulator.stored_bytes();
    assert!(events < 64 * 1024, "{events} bytes held after the delete");
    let room = create_room(&emulator, "Again").await;
    assert_eq!(
        post_message(&emulator, &room, "fits").await.status,
        StatusCode::OK
    );
}
