//! The live refusals, on by default: what a client sees through spark-api, and the answer's
//! live shape over raw HTTP (status, Webex error body with a tracking id, headers).

mod support;

use std::time::Duration;

use futures_util::TryStreamExt;
use http::{Method, StatusCode};
use spark_api::{DownloadOptions, Error, FileUpload};
use spark_emulator::{Emulator, Refusals, ScanVerdict, Seed};
use spark_model::{
    CreateMessage, CreateRoom, CreateTeam, CreateWebhook, ListMessages, UpdateRoom, WebhookEvent,
    WebhookResource,
};
use support::{client, client_with_token, next_delivery, raw, receiver};

fn status_of(error: &Error) -> Option<StatusCode> {
    error.status()
}

/// Checks the Webex error shape: `message`, `errors[].description`, `trackingId` (also in the
/// `trackingid` header).
fn assert_live_error(answer: &support::Raw, status: u16, message: &str) {
    assert_eq!(answer.status.as_u16(), status, "{:?}", answer.body);
    let body = answer.json();
    assert!(
        body["message"].as_str().unwrap().contains(message),
        "{body}"
    );
    assert!(body["errors"][0]["description"].is_string(), "{body}");
    let tracking = body["trackingId"].as_str().unwrap();
    assert_eq!(answer.header("trackingid"), Some(tracking));
}

/// A group room of Ada's with the bot `helper@webex.bot` in it, and two messages from Grace, the
/// second mentioning the bot. Gives the room id, the bot's token and the mention's id.
async fn room_with_a_bot(emulator: &Emulator) -> (String, String, String) {
    let seed: Seed = serde_json::from_value(serde_json::json!({
        "people": [{"email": "helper@webex.bot", "displayName": "Helper"}],
        "rooms": [{"key": "ops", "title": "Ops", "members": ["grace@example.com", "helper@webex.bot"]}],
        "messages": [
            {"room": "ops", "from": "grace@example.com", "text": "nothing for the bot"},
            {"room": "ops", "from": "grace@example.com", "markdown": "<@personEmail:helper@webex.bot> status?"}
        ]
    }))
    .unwrap();
    let seeded = emulator.seed(&seed).unwrap();
    (
        seeded.rooms["ops"].clone(),
        seeded.people[0].access_token.clone(),
        seeded.messages[1].clone(),
    )
}

#[tokio::test]
async fn a_bot_lists_a_group_room_only_with_mentioned_people_me() {
    let emulator = Emulator::start().await.unwrap();
    let (room_id, bot_token, mention_id) = room_with_a_bot(&emulator).await;
    let bot = client_with_token(&emulator, &bot_token);

    let refused = bot
        .messages()
        .list(&ListMessages::new(&room_id))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert_eq!(status_of(&refused), Some(StatusCode::FORBIDDEN));

    let mut mentions = ListMessages::new(&room_id);
    mentions.mentioned_people = vec!["me".to_owned()];
    let seen: Vec<_> = bot.messages().list(&mentions).try_collect().await.unwrap();
    assert_eq!(
        seen.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        [mention_id.as_str()]
    );

    // A person is not held to it, nor a bot once the refusal is off.
    let all: Vec<_> = client(&emulator)
        .messages()
        .list(&ListMessages::new(&room_id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    emulator.set_refusals(Refusals::default().bot_needs_mention(false));
    let all: Vec<_> = bot
        .messages()
        .list(&ListMessages::new(&room_id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
}

#[tokio::test]
async fn the_bot_403_has_the_live_shape() {
    let emulator = Emulator::start().await.unwrap();
    let (room_id, bot_token, _) = room_with_a_bot(&emulator).await;
    let url = format!("{}/messages?roomId={room_id}", emulator.base_url());
    let answer = raw(Method::GET, &url, Some(&bot_token), None, "").await;
    assert_live_error(&answer, 403, "Failed to get activity.");
    let with_me = format!("{url}&mentionedPeople=me");
    assert_eq!(
        raw(Method::GET, &with_me, Some(&bot_token), None, "")
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn a_bots_webhook_hears_a_group_room_only_when_mentioned() {
    let emulator = Emulator::start().await.unwrap();
    let (room_id, bot_token, _) = room_with_a_bot(&emulator).await;
    let bot = client_with_token(&emulator, &bot_token);
    let (url, mut inbox) = receiver().await;
    bot.webhooks()
        .create(&CreateWebhook::new(
            "bot messages",
            url,
            WebhookResource::Messages,
            WebhookEvent::Created,
        ))
        .await
        .unwrap();
    let grace = client_with_token(&emulator, &emulator.token_for("grace@example.com").unwrap());
    grace
        .messages()
        .create(&CreateMessage::to_room(&room_id).text("not for the bot"))
        .await
        .unwrap();
    let mention = grace
        .messages()
        .create(&CreateMessage::to_room(&room_id).markdown("<@personEmail:helper@webex.bot> hi"))
        .await
        .unwrap();
    let delivery = next_delivery(&mut inbox).await;
    let body: serde_json::Value = serde_json::from_slice(&delivery.body).unwrap();
    // The plain message, posted first, was never delivered: the first delivery is the mention.
    assert_eq!(body["data"]["id"], mention.id.as_str());
}

/// Uploads `bytes` as `name` to a new room of Ada's; the content URL.
async fn upload(emulator: &Emulator, name: &str, bytes: &[u8]) -> String {
    let ada = client(emulator);
    let room = ada.rooms().create(&CreateRoom::new("Files")).await.unwrap();
    let message = ada
        .messages()
        .upload(
            &CreateMessage::to_room(&room.id),
            FileUpload::from_bytes(name, "text/plain", bytes.to_vec()),
        )
        .await
        .unwrap();
    message.files.unwrap()[0].clone()
}

#[tokio::test(start_paused = true)]
async fn a_download_waits_out_the_scan_then_gets_the_file() {
    let emulator = Emulator::builder()
        .refusals(Refusals::default().scan_time(Duration::from_secs(3)))
        .start()
        .await
        .unwrap();
    let url = upload(&emulator, "report.txt", b"the report").await;
    emulator.clear_requests();
    let started = tokio::time::Instant::now();
    let mut downloaded = Vec::new();
    client(&emulator)
        .contents()
        .download(&url, &mut downloaded, DownloadOptions::default())
        .await
        .unwrap();
    assert_eq!(downloaded, b"the report");
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "the scan was waited out"
    );
    let statuses: Vec<u16> = emulator.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses.first(), Some(&423));
    assert_eq!(statuses.last(), Some(&200));
}

#[tokio::test(start_paused = true)]
async fn the_scan_answers_have_the_live_shape() {
    let emulator = Emulator::builder()
        .refusals(Refusals::default().scan_time(Duration::from_millis(2500)))
        .start()
        .await
        .unwrap();
    let token = emulator.access_token();
    let url = upload(&emulator, "a.txt", b"data").await;

    let locked = raw(Method::GET, &url, Some(&token), None, "").await;
    assert_live_error(&locked, 423, "being scanned");
    assert_eq!(locked.header("retry-after"), Some("3"));
    let head = raw(Method::HEAD, &url, Some(&token), None, "").await;
    assert_eq!(head.status, 423);

    tokio::time::advance(Duration::from_secs(3)).await;
    assert!(emulator.set_scan_verdict(&url, ScanVerdict::Unscannable));
    let unscannable = raw(Method::GET, &url, Some(&token), None, "").await;
    assert_live_error(&unscannable, 428, "allow=unscannable");
    let allowed = format!("{url}?allow=unscannable");
    let served = raw(Method::GET, &allowed, Some(&token), None, "").await;
    assert_eq!(
        (served.status.as_u16(), &served.body[..]),
        (200, &b"data"[..])
    );

    emulator.set_scan_verdict(&url, ScanVerdict::Infected);
    let infected = raw(Method::GET, &allowed, Some(&token), None, "").await;
    assert_live_error(&infected, 410, "infected");

    emulator.set_refusals(Refusals::none());
    assert_eq!(
        raw(Method::GET, &url, Some(&token), None, "").await.status,
        200
    );
}

#[tokio::test]
async fn the_client_meets_428_and_410_as_errors_and_may_allow_unscannable_files() {
    let emulator = Emulator::builder()
        .refusals(Refusals::default().scan_time(Duration::ZERO))
        .start()
        .await
        .unwrap();
    let url = upload(&emulator, "a.txt", b"data").await;
    let ada = client(&emulator);
    emulator.set_scan_verdict(&url, ScanVerdict::Unscannable);
    let mut sink = Vec::new();
    let refused = ada
        .contents()
        .download(&url, &mut sink, DownloadOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Unscannable { .. }), "{refused:?}");
    assert_eq!(status_of(&refused), Some(StatusCode::PRECONDITION_REQUIRED));
    ada.contents()
        .download(
            &url,
            &mut sink,
            DownloadOptions::default().allow_unscannable(true),
        )
        .await
        .unwrap();
    assert_eq!(sink, b"data");
    emulator.set_scan_verdict(&url, ScanVerdict::Infected);
    let gone = ada
        .contents()
        .download(
            &url,
            &mut Vec::new(),
            DownloadOptions::default().allow_unscannable(true),
        )
        .await
        .unwrap_err();
    assert_eq!(status_of(&gone), Some(StatusCode::GONE));
}

#[tokio::test]
async fn moving_a_room_to_another_team_is_400() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let first = ada.teams().create(&CreateTeam::new("First")).await.unwrap();
    let second = ada
        .teams()
        .create(&CreateTeam::new("Second"))
        .await
        .unwrap();
    let room = ada
        .rooms()
        .create(&CreateRoom::new("Plans").team_id(&first.id))
        .await
        .unwrap();

    let refused = ada
        .rooms()
        .update(&room.id, &UpdateRoom::new("Plans").team_id(&second.id))
        .await
        .unwrap_err();
    assert_eq!(status_of(&refused), Some(StatusCode::BAD_REQUEST));
    // Naming the room's own team is a rename.
    let renamed = ada
        .rooms()
        .update(&room.id, &UpdateRoom::new("Plans 2").team_id(&first.id))
        .await
        .unwrap();
    assert_eq!(renamed.title.as_deref(), Some("Plans 2"));

    let answer = raw(
        Method::PUT,
        &format!("{}/rooms/{}", emulator.base_url(), room.id),
        Some(&emulator.access_token()),
        Some("application/json"),
        serde_json::json!({"title": "Plans", "teamId": second.id}).to_string(),
    )
    .await;
    assert_live_error(&answer, 400, "moving room under another team");

    emulator.set_refusals(Refusals::default().team_move(false));
    let moved = ada
        .rooms()
        .update(&room.id, &UpdateRoom::new("Plans").team_id(&second.id))
        .await
        .unwrap();
    assert_eq!(moved.team_id.as_deref(), Some(second.id.as_str()));
}

#[tokio::test]
async fn a_membership_update_keeps_what_it_does_not_name() {
    let emulator = Emulator::start().await.unwrap();
    let token = emulator.access_token();
    let room = client(&emulator)
        .rooms()
        .create(&CreateRoom::new("Quiet"))
        .await
        .unwrap();
    let membership = raw(
        Method::GET,
        &format!("{}/memberships?roomId={}", emulator.base_url(), room.id),
        Some(&token),
        None,
        "",
    )
    .await
    .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!("{}/memberships/{membership}", emulator.base_url());
    let put = |body: &'static str| {
        raw(
            Method::PUT,
            &url,
            Some(&token),
            Some("application/json"),
            body,
        )
    };
    let hidden = put(r#"{"isRoomHidden": true}"#).await.json();
    assert_eq!(
        (
            hidden["isRoomHidden"].as_bool(),
            hidden["isModerator"].as_bool()
        ),
        (Some(true), Some(true))
    );
    let demoted = put(r#"{"isModerator": false}"#).await.json();
    assert_eq!(demoted["isRoomHidden"], true, "not named, kept: {demoted}");
    assert_eq!(demoted["isModerator"], false);
}

#[tokio::test]
async fn text_over_7439_bytes_is_400_unless_switched_off() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let room = ada.rooms().create(&CreateRoom::new("Long")).await.unwrap();
    // 3720 two-byte characters: 7440 bytes, as live Webex counts.
    let long = "é".repeat(3720);
    let answer = raw(
        Method::POST,
        &format!("{}/messages", emulator.base_url()),
        Some(&emulator.access_token()),
        Some("application/json"),
        serde_json::json!({"roomId": room.id, "markdown": long}).to_string(),
    )
    .await;
    assert_live_error(&answer, 400, "7439 bytes");
    let fits = "é".repeat(3719);
    ada.messages()
        .create(&CreateMessage::to_room(&room.id).markdown(fits))
        .await
        .unwrap();

    emulator.set_refusals(Refusals::default().text_limits(false));
    let answer = raw(
        Method::POST,
        &format!("{}/messages", emulator.base_url()),
        Some(&emulator.access_token()),
        Some("application/json"),
        serde_json::json!({"roomId": room.id, "text": long}).to_string(),
    )
    .await;
    assert_eq!(answer.status, 200);
}
