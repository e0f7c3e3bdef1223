//! The token endpoint's refusals: each failed grant answered with its OAuth error code (RFC 6749
//! §5.2), and what spark's stack makes of them: a typed permanent refresh error carrying the
//! code, from one call to the endpoint however many callers wait on it.

mod support;

use std::sync::Arc;

use http::{Method, StatusCode};
use serde_json::Value;
use spark_emulator::Emulator;
use spark_http::{Credentials, HttpClient, RefreshError};
use support::{Raw, raw};

/// `POST /v1/access_token` with this form, no token.
async fn grant(emulator: &Emulator, form: &str) -> Raw {
    raw(
        Method::POST,
        &format!("{}/access_token", emulator.base_url()),
        None,
        Some("application/x-www-form-urlencoded"),
        form.to_owned(),
    )
    .await
}

/// The refresh grant's form with these values.
fn refresh_form(client_id: &str, client_secret: &str, refresh_token: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "refresh_token")
        .append_pair("client_id", client_id)
        .append_pair("client_secret", client_secret)
        .append_pair("refresh_token", refresh_token)
        .finish()
}

/// Checks an OAuth error answer: its status, its code, a description and a tracking id.
fn assert_oauth_error(answer: &Raw, status: u16, code: &str) {
    let body: Value = answer.json();
    assert_eq!(
        (answer.status.as_u16(), body["error"].as_str()),
        (status, Some(code)),
        "{body}"
    );
    assert!(
        body["error_description"]
            .as_str()
            .is_some_and(|text| !text.is_empty()),
        "{body}"
    );
    assert!(
        body["trackingId"]
            .as_str()
            .is_some_and(|id| id.starts_with("EMULATOR_")),
        "{body}"
    );
    assert!(
        answer
            .header("content-type")
            .is_some_and(|value| value.starts_with("application/json")),
        "{body}"
    );
}

/// How many requests reached `/v1/access_token`.
fn token_endpoint_calls(emulator: &Emulator) -> usize {
    emulator
        .requests()
        .iter()
        .filter(|logged| logged.path == "/v1/access_token")
        .count()
}

#[tokio::test]
async fn each_failed_grant_answers_its_oauth_error_code() {
    let emulator = Emulator::start().await.unwrap();
    let (id, secret) = (emulator.client_id(), emulator.client_secret());
    let refresh = emulator.refresh_token();

    let granted = grant(&emulator, &refresh_form(&id, &secret, &refresh)).await;
    assert_eq!(granted.status, StatusCode::OK);

    let unknown = grant(&emulator, &refresh_form(&id, &secret, "REFnope")).await;
    assert_oauth_error(&unknown, 400, "invalid_grant");
    assert!(emulator.revoke_refresh_token(&refresh));
    assert!(!emulator.revoke_refresh_token(&refresh), "revoked once");
    let revoked = grant(&emulator, &refresh_form(&id, &secret, &refresh)).await;
    assert_oauth_error(&revoked, 400, "invalid_grant");

    let fresh = emulator.refresh_token_for("ada@example.com").unwrap();
    let wrong_secret = grant(&emulator, &refresh_form(&id, "wrong", &fresh)).await;
    assert_oauth_error(&wrong_secret, 401, "invalid_client");
    let wrong_id = grant(&emulator, &refresh_form("Cnope", &secret, &fresh)).await;
    assert_oauth_error(&wrong_id, 401, "invalid_client");
    let no_client = grant(
        &emulator,
        &format!("grant_type=refresh_token&refresh_token={fresh}"),
    )
    .await;
    assert_oauth_error(&no_client, 401, "invalid_client");

    let password = grant(
        &emulator,
        &format!("grant_type=password&client_id={id}&client_secret={secret}"),
    )
    .await;
    assert_oauth_error(&password, 400, "unsupported_grant_type");
    let no_grant_type = grant(
        &emulator,
        &format!("client_id={id}&client_secret={secret}&refresh_token={fresh}"),
    )
    .await;
    assert_oauth_error(&no_grant_type, 400, "invalid_request");
    let no_refresh_token = grant(
        &emulator,
        &format!("grant_type=refresh_token&client_id={id}&client_secret={secret}"),
    )
    .await;
    assert_oauth_error(&no_refresh_token, 400, "invalid_request");

    let code_form = |code: &str| {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("client_id", &id)
            .append_pair("client_secret", &secret)
            .append_pair("code", code)
            .append_pair("redirect_uri", "https://app.example/cb")
            .finish()
    };
    let unknown_code = grant(&emulator, &code_form("nobody@example.com")).await;
    assert_oauth_error(&unknown_code, 400, "invalid_grant");
    let no_code = grant(&emulator, &code_form("")).await;
    assert_oauth_error(&no_code, 400, "invalid_request");
    let code = grant(&emulator, &code_form("grace@example.com")).await;
    assert_eq!(code.status, StatusCode::OK);

    // Only the two grants that succeeded issued tokens.
    assert_eq!(emulator.refresh_count(), 2);
}

#[tokio::test]
async fn a_revoked_refresh_token_fails_every_waiting_caller_typed_after_one_call() {
    let emulator = Emulator::start().await.unwrap();
    let client = HttpClient::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .credentials(Credentials::new(emulator.access_token()).refresh(
            emulator.client_id(),
            emulator.client_secret(),
            emulator.refresh_token(),
        ))
        .build()
        .unwrap();
    assert!(emulator.revoke_refresh_token(&emulator.refresh_token()));
    emulator.expire_all_tokens();
    emulator.clear_requests();

    let client = Arc::new(client);
    let callers: Vec<_> = (0..16)
        .map(|_| {
            let client = Arc::clone(&client);
            tokio::spawn(async move { client.get("/people/me").await })
        })
        .collect();
    for caller in callers {
        let error = caller.await.unwrap().expect_err("the refresh is refused");
        match &error {
            spark_http::Error::Refresh(RefreshError::Permanent { status, code, body }) => {
                assert_eq!((*status, *code), (StatusCode::BAD_REQUEST, "invalid_grant"));
                assert!(
                    String::from_utf8_lossy(body).contains("invalid_grant"),
                    "{body:?}"
                );
            }
            other => panic!("expected the permanent refresh error, got {other:?}"),
        }
        assert!(error.is_unauthorized());
    }
    assert_eq!(
        token_endpoint_calls(&emulator),
        1,
        "one call to the token endpoint for 16 callers"
    );

    // Later calls are told at once, without calling the endpoint again.
    let later = client.get("/rooms").await.unwrap_err();
    assert!(
        matches!(&later, spark_http::Error::Refresh(error) if error.is_permanent()),
        "{later:?}"
    );
    assert_eq!(token_endpoint_calls(&emulator), 1);
}

#[tokio::test]
async fn a_wrong_client_secret_is_a_permanent_invalid_client_through_spark_api() {
    let emulator = Emulator::start().await.unwrap();
    let ada = spark_api::Client::builder()
        .base_url(emulator.base_url())
        .unwrap()
        .access_token(emulator.access_token())
        .refresh(emulator.client_id(), "wrong", emulator.refresh_token())
        .build()
        .unwrap();
    emulator.expire_all_tokens();

    let error = ada.people().me().await.unwrap_err();
    match &error {
        spark_api::Error::Http(spark_http::Error::Refresh(RefreshError::Permanent {
            status,
            code,
            ..
        })) => assert_eq!(
            (*status, *code),
            (StatusCode::UNAUTHORIZED, "invalid_client")
        ),
        other => panic!("expected the permanent refresh error, got {other:?}"),
    }
    let again = ada.oauth().refresh_now().await.unwrap_err();
    assert!(
        matches!(&again, spark_api::Error::Http(spark_http::Error::Refresh(error)) if error.is_permanent()),
        "{again:?}"
    );
    assert_eq!(token_endpoint_calls(&emulator), 1);
}

#[tokio::test]
async fn refresh_tokens_are_revoked_over_the_control_api() {
    let emulator = Emulator::start().await.unwrap();
    let refresh = emulator.refresh_token();
    let url = format!("{}/tokens/revoke", emulator.control_url());
    let body = serde_json::json!({ "refreshToken": refresh }).to_string();
    let revoke = || {
        raw(
            Method::POST,
            &url,
            Some(emulator.admin_secret()),
            Some("application/json"),
            body.clone(),
        )
    };
    assert_eq!(revoke().await.status, StatusCode::NO_CONTENT);
    assert_eq!(revoke().await.status, StatusCode::NOT_FOUND, "revoked once");
    let form = refresh_form(&emulator.client_id(), &emulator.client_secret(), &refresh);
    assert_oauth_error(&grant(&emulator, &form).await, 400, "invalid_grant");
}
