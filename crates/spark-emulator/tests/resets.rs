//! The reset fault: the request is applied (or refused), then its connection is closed with a
//! TCP reset instead of an answer. spark's client retries a reset `GET` and ends a reset `POST`
//! with its typed transport error, the message created all the same; the request log tells
//! which reset requests took effect.

mod support;

use std::error::Error as _;
use std::time::Duration;

use futures_util::TryStreamExt;
use http::Method;
use serde_json::json;
use spark_api::Client;
use spark_emulator::{Emulator, Faults};
use spark_http::RetryPolicy;
use spark_model::{CreateMessage, CreateRoom, ListMessages};
use support::{client, raw};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::Instant;

/// A client whose back-off is exact: 1 s before the first retry.
fn exact_client(emulator: &Emulator) -> Client {
    Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token(emulator.access_token())
        .retry(RetryPolicy::default().jitter(false))
        .build()
        .unwrap()
}

/// The request log: method, status (for a reset request, the one it would have had), reset.
fn logged(emulator: &Emulator) -> Vec<(String, u16, bool)> {
    emulator
        .requests()
        .into_iter()
        .map(|logged| (logged.method, logged.status, logged.reset))
        .collect()
}

fn entry(method: &str, status: u16, reset: bool) -> (String, u16, bool) {
    (method.to_owned(), status, reset)
}

/// Whether an error's sources include an I/O error of this kind.
fn caused_by(error: &(dyn std::error::Error + 'static), kind: std::io::ErrorKind) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == kind)
        {
            return true;
        }
        current = error.source();
    }
    false
}

#[tokio::test]
async fn the_connection_ends_with_a_tcp_reset_and_no_answer() {
    let emulator = Emulator::builder()
        .faults(Faults::none().reset_next(1))
        .start()
        .await
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(emulator.local_addr())
        .await
        .unwrap();
    let request = format!(
        "GET /v1/people/me HTTP/1.1\r\nhost: emulator\r\nauthorization: Bearer {}\r\n\r\n",
        emulator.access_token()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let error = stream
        .read_to_end(&mut answer)
        .await
        .expect_err("the connection is reset, not ended");
    assert_eq!(error.kind(), std::io::ErrorKind::ConnectionReset);
    assert!(answer.is_empty(), "no byte of an answer came first");
    assert_eq!(logged(&emulator), [entry("GET", 200, true)]);
}

#[tokio::test(start_paused = true)]
async fn a_reset_get_is_retried_after_its_back_off() {
    let emulator = Emulator::start().await.unwrap();
    let ada = exact_client(&emulator);
    emulator.set_faults(Faults::none().reset_next(1));

    let started = Instant::now();
    let me = ada.people().me().await.expect("the retry gets the answer");
    let waited = started.elapsed();
    assert_eq!(me.id, emulator.me().id);
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_secs(2),
        "one back-off of 1 s, not {waited:?}"
    );
    assert_eq!(
        logged(&emulator),
        [entry("GET", 200, true), entry("GET", 200, false)]
    );
}

#[tokio::test(start_paused = true)]
async fn a_reset_post_is_not_retried_ends_typed_and_took_effect() {
    let emulator = Emulator::start().await.unwrap();
    let ada = exact_client(&emulator);
    let room = ada
        .rooms()
        .create(&CreateRoom::new("Resets"))
        .await
        .unwrap();
    emulator.clear_requests();
    emulator.set_faults(Faults::none().reset_next(1));

    let error = ada
        .messages()
        .create(&CreateMessage::to_room(&room.id).text("answer lost"))
        .await
        .expect_err("a reset POST is not retried");
    let spark_api::Error::Http(spark_http::Error::Transport(source)) = &error else {
        panic!("expected the transport error of a lost connection, got {error:?}");
    };
    assert!(
        caused_by(&**source, std::io::ErrorKind::ConnectionReset),
        "the cause is the reset: {:?}",
        error.source()
    );
    // The log tells what the client cannot: the POST took effect.
    assert_eq!(logged(&emulator), [entry("POST", 200, true)]);

    // The POST was applied before the reset: the message is there, once.
    let texts: Vec<Option<String>> = ada
        .messages()
        .list(&ListMessages::new(&room.id))
        .map_ok(|message| message.text)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(texts, [Some("answer lost".to_owned())]);
}

#[tokio::test(start_paused = true)]
async fn resets_are_switched_over_the_control_api() {
    let emulator = Emulator::start().await.unwrap();
    let faults_url = format!("{}/faults", emulator.control_url());
    let secret = emulator.admin_secret().to_owned();
    let set = raw(
        Method::PUT,
        &faults_url,
        Some(&secret),
        Some("application/json"),
        json!({"resetEvery": 13, "resetNext": 1}).to_string(),
    )
    .await;
    assert_eq!(set.status, 200);
    assert_eq!(
        (
            set.json()["resetEvery"].clone(),
            set.json()["resetNext"].clone()
        ),
        (json!(13), json!(1))
    );
    assert_eq!(
        (emulator.faults().reset_every, emulator.faults().reset_next),
        (Some(13), 1)
    );

    // The next request is reset, and retried by the client.
    client(&emulator).people().me().await.unwrap();
    let log = raw(
        Method::GET,
        &format!("{}/requests", emulator.control_url()),
        Some(&secret),
        None,
        "",
    )
    .await
    .json();
    let resets: Vec<(u64, bool)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["status"].as_u64().unwrap(),
                item["reset"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(resets, [(200, true), (200, false)]);
    assert_eq!(emulator.faults().reset_next, 0);
}

#[tokio::test]
async fn a_refused_request_is_reset_without_taking_effect() {
    let emulator = Emulator::start().await.unwrap();
    let ada = support::strict_client(&emulator);
    let room = ada
        .rooms()
        .create(&CreateRoom::new("Refused"))
        .await
        .unwrap();
    emulator.expire_all_tokens();
    emulator.clear_requests();
    emulator.set_faults(Faults::none().reset_next(1));

    let error = ada
        .messages()
        .create(&CreateMessage::to_room(&room.id).text("never posted"))
        .await
        .expect_err("the connection is reset");
    assert!(
        matches!(
            error,
            spark_api::Error::Http(spark_http::Error::Transport(_))
        ),
        "{error:?}"
    );
    // The 401 the client never heard: nothing was created.
    assert_eq!(logged(&emulator), [entry("POST", 401, true)]);
    let token = emulator.token_for("ada@example.com").unwrap();
    let listed = support::client_with_token(&emulator, &token)
        .messages()
        .list(&ListMessages::new(&room.id))
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    assert!(listed.is_empty(), "{listed:?}");
}
