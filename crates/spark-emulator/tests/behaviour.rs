//! Where clients trip: error bodies, expired tokens and refresh, rate limits, webhook
//! deliveries, concurrency.

mod support;

use std::sync::Arc;

use futures_util::TryStreamExt;
use http::{Method, StatusCode};
use spark_api::Error;
use spark_emulator::{Emulator, Faults};
use spark_model::{
    CreateAttachmentAction, CreateMembership, CreateMessage, CreateRoom, CreateRoomTab,
    CreateWebhook, ListEvents, ListMemberships, ListMessages, ListRoomTabs, WebhookEvent,
    WebhookResource,
};
use support::{client, client_with_token, next_delivery, raw, receiver, strict_client};

fn api_error(error: Error) -> Box<spark_api::ApiError> {
    match error {
        Error::Api(api) => api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn errors_carry_a_tracking_id() {
    let emulator = Emulator::start().await.unwrap();
    let ada = strict_client(&emulator);

    let missing = api_error(
        ada.rooms()
            .get("Y2lzY29zcGFyazovL3VzL1JPT00vbm9wZQ")
            .await
            .unwrap_err(),
    );
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing
            .tracking_id
            .as_deref()
            .unwrap()
            .starts_with("EMULATOR_")
    );
    assert_eq!(missing.descriptions.len(), 1);

    let no_title = api_error(ada.rooms().create(&CreateRoom::new("")).await.unwrap_err());
    assert_eq!(no_title.status, StatusCode::BAD_REQUEST);
    assert!(no_title.message.as_deref().unwrap().contains("title"));

    let room = ada
        .rooms()
        .create(&CreateRoom::new("Limits"))
        .await
        .unwrap();
    let long = "x".repeat(7440);
    let too_long = api_error(
        ada.messages()
            .create(&CreateMessage::to_room(&room.id).text(long))
            .await
            .unwrap_err(),
    );
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    ada.messages()
        .create(&CreateMessage::to_room(&room.id).text("x".repeat(7439)))
        .await
        .unwrap();

    // Barbara is not in Ada's room.
    let barbara = client_with_token(
        &emulator,
        &emulator.token_for("barbara@example.com").unwrap(),
    );
    let forbidden = barbara
        .memberships()
        .list(&ListMemberships::in_room(&room.id))
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    let forbidden = api_error(forbidden);
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert!(forbidden.tracking_id.is_some());

    // Raw: the header, the body shape, 401, 405, unknown path, max=null.
    let url = format!("{}/rooms/nope", emulator.base_url());
    let answer = raw(Method::GET, &url, Some(&emulator.access_token()), None, "").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let body = answer.json();
    assert_eq!(body["trackingId"].as_str(), answer.header("trackingid"));
    assert!(body["message"].is_string());
    assert!(body["errors"][0]["description"].is_string());

    let unauthorized = raw(
        Method::GET,
        &format!("{}/people/me", emulator.base_url()),
        None,
        None,
        "",
    )
    .await;
    assert_eq!(unauthorized.status, StatusCode::UNAUTHORIZED);
    let bad_token = raw(
        Method::GET,
        &format!("{}/people/me", emulator.base_url()),
        Some("nope"),
        None,
        "",
    )
    .await;
    assert_eq!(bad_token.status, StatusCode::UNAUTHORIZED);

    let wrong_method = raw(
        Method::PATCH,
        &format!("{}/rooms", emulator.base_url()),
        Some(&emulator.access_token()),
        None,
        "",
    )
    .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.header("allow"), Some("GET, POST"));

    let unknown = raw(
        Method::GET,
        &format!("{}/nothing", emulator.base_url()),
        Some(&emulator.access_token()),
        None,
        "",
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    let null_max = raw(
        Method::GET,
        &format!("{}/rooms?max=null", emulator.base_url()),
        Some(&emulator.access_token()),
        None,
        "",
    )
    .await;
    assert_eq!(null_max.status, StatusCode::BAD_REQUEST);

    let bad_json = raw(
        Method::POST,
        &format!("{}/rooms", emulator.base_url()),
        Some(&emulator.access_token()),
        Some("application/json"),
        "{",
    )
    .await;
    assert_eq!(bad_json.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn oversized_upload_is_refused() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let emulator = Emulator::start().await.unwrap();
    // Declare a body over 100 MB and send none of it: the answer comes before the body.
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr())
        .await
        .unwrap();
    let head = format!(
        "POST /v1/messages HTTP/1.1\r\nhost: {}\r\nauthorization: Bearer {}\r\n\
         content-type: multipart/form-data; boundary=b\r\ncontent-length: {}\r\n\r\n",
        emulator.local_addr(),
        emulator.access_token(),
        101 * 1024 * 1024
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 4096];
    let read = stream.read(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("100 MB"), "{answer}");
}

#[tokio::test]
async fn expired_token_is_refreshed_exactly_once() {
    let emulator = Emulator::start().await.unwrap();
    let ada = spark_api::Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token(emulator.access_token())
        .refresh(
            emulator.client_id(),
            emulator.client_secret(),
            emulator.refresh_token(),
        )
        .build()
        .unwrap();
    ada.people().me().await.unwrap();
    assert_eq!(emulator.refresh_count(), 0);

    emulator.expire_all_tokens();
    let expired = raw(
        Method::GET,
        &format!("{}/people/me", emulator.base_url()),
        Some(&emulator.access_token()),
        None,
        "",
    )
    .await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);

    let me = ada.people().me().await.unwrap();
    assert_eq!(me.id, emulator.me().id);
    assert_eq!(emulator.refresh_count(), 1);
    ada.people().me().await.unwrap();
    assert_eq!(emulator.refresh_count(), 1);

    // Wrong client secret: 401 from /access_token.
    let form = format!(
        "grant_type=refresh_token&client_id={}&client_secret=wrong&refresh_token={}",
        emulator.client_id(),
        emulator.refresh_token()
    );
    let refused = raw(
        Method::POST,
        &format!("{}/access_token", emulator.base_url()),
        None,
        Some("application/x-www-form-urlencoded"),
        form,
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_third_request_rate_limited_is_absorbed_by_retry() {
    let emulator = Emulator::builder()
        .faults(Faults::none().rate_limit_every(3).retry_after_secs(0))
        .start()
        .await
        .unwrap();
    let ada = client(&emulator);
    for _ in 0..20 {
        ada.people().me().await.unwrap();
    }
    // Every third request is a 429 that the client retries: 29 requests for 20 answers.
    assert_eq!(emulator.request_count(), 29);

    emulator.clear_faults();
    emulator.rate_limit_next(2, 0);
    ada.people().me().await.unwrap();
    assert_eq!(emulator.request_count(), 32);

    let strict = strict_client(&emulator);
    emulator.fail_next(1, 503);
    let error = api_error(strict.people().me().await.unwrap_err());
    assert_eq!(error.status, StatusCode::SERVICE_UNAVAILABLE);
    strict.people().me().await.unwrap();

    emulator.rate_limit_next(1, 7);
    let limited = raw(
        Method::GET,
        &format!("{}/people/me", emulator.base_url()),
        Some(&emulator.access_token()),
        None,
        "",
    )
    .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.header("retry-after"), Some("7"));
}

#[tokio::test]
async fn webhooks_are_delivered_signed() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let (url, mut received) = receiver().await;
    let room = ada.rooms().create(&CreateRoom::new("Hooks")).await.unwrap();
    let secret = "s3cret";
    let webhook = ada
        .webhooks()
        .create(
            &CreateWebhook::new(
                "messages",
                &url,
                WebhookResource::Messages,
                WebhookEvent::Created,
            )
            .filter(format!("roomId={}", room.id))
            .secret(secret),
        )
        .await
        .unwrap();
    let message = ada
        .messages()
        .create(&CreateMessage::to_room(&room.id).text("ping"))
        .await
        .unwrap();
    let delivery = next_delivery(&mut received).await;
    let signature = delivery
        .headers
        .get("x-spark-signature")
        .unwrap()
        .to_str()
        .unwrap();
    spark_api::webhook::verify(secret.as_bytes(), &delivery.body, signature).unwrap();
    let envelope = spark_api::webhook::parse(&delivery.body).unwrap();
    assert_eq!(envelope.id, webhook.id);
    assert_eq!(envelope.data.id.as_deref(), Some(message.id.as_str()));
    assert_eq!(envelope.data.room_id.as_deref(), Some(room.id.as_str()));
    assert_eq!(envelope.actor_id, Some(emulator.me().id));
    assert_eq!(envelope.data.text, None, "deliveries carry no text");

    // A membership webhook without a secret: no signature.
    ada.webhooks()
        .create(&CreateWebhook::new(
            "members",
            &url,
            WebhookResource::Memberships,
            WebhookEvent::All,
        ))
        .await
        .unwrap();
    ada.memberships()
        .create(&CreateMembership::with_person_email(
            &room.id,
            "alan@example.com",
        ))
        .await
        .unwrap();
    let delivery = next_delivery(&mut received).await;
    assert!(delivery.headers.get("x-spark-signature").is_none());
    let envelope = spark_api::webhook::parse(&delivery.body).unwrap();
    assert_eq!(envelope.resource, Some(WebhookResource::Memberships));
    assert_eq!(
        envelope.data.person_email.as_deref(),
        Some("alan@example.com")
    );

    // The events API saw all of it.
    let events: Vec<_> = ada
        .events()
        .list(&ListEvents::new())
        .try_collect()
        .await
        .unwrap();
    assert!(events.len() >= 3, "{events:?}");
}

#[tokio::test]
async fn cards_tabs_and_meeting_info() {
    let emulator = Emulator::start().await.unwrap();
    let ada = client(&emulator);
    let room = ada.rooms().create(&CreateRoom::new("Cards")).await.unwrap();
    let card = ada
        .messages()
        .create(
            &CreateMessage::to_room(&room.id)
                .text("fallback")
                .card(serde_json::json!({"type": "AdaptiveCard", "version": "1.2", "body": []})),
        )
        .await
        .unwrap();
    let mut inputs = serde_json::Map::new();
    inputs.insert("choice".into(), "yes".into());
    let action = ada
        .attachment_actions()
        .create(&CreateAttachmentAction::new(&card.id, inputs))
        .await
        .unwrap();
    let again = ada.attachment_actions().get(&action.id).await.unwrap();
    assert_eq!(again.inputs.unwrap()["choice"], "yes");

    let tab = ada
        .room_tabs()
        .create(&CreateRoomTab::new(&room.id, "https://example.com", "Site"))
        .await
        .unwrap();
    let tabs: Vec<_> = ada
        .room_tabs()
        .list(&ListRoomTabs::new(&room.id))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(tabs, [tab]);
    let info = ada.rooms().meeting_info(&room.id).await.unwrap();
    assert_eq!(info.room_id.as_deref(), Some(room.id.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_four_clients_post_three_thousand_two_hundred_messages() {
    let emulator = Arc::new(Emulator::start().await.unwrap());
    let ada = client(&emulator);
    let room = ada.rooms().create(&CreateRoom::new("Crowd")).await.unwrap();
    let mut tasks = Vec::new();
    for task in 0..64 {
        let client = ada.clone();
        let room_id = room.id.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..50 {
                client
                    .messages()
                    .create(&CreateMessage::to_room(&room_id).text(format!("{task}/{i}")))
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let messages: Vec<_> = ada
        .messages()
        .list(&ListMessages::new(&room.id).max(1000))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(messages.len(), 3200);
    let mut ids: Vec<_> = messages.iter().map(|m| m.id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3200);
    let mut texts: Vec<_> = messages.iter().map(|m| m.text.clone().unwrap()).collect();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), 3200);
}
