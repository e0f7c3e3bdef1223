//! Configuration from the environment through `ClientBuilder::from_lookup` with a map (the real
//! environment is never touched): which token is used (newer names first), the base URL, refresh
//! wired when all three refresh variables are present, and an error naming the missing ones
//! when only some are.

mod support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use spark_api::{ACCESS_TOKEN_VARIABLES, Client, Error, RefreshSetting};
use spark_http::RetryPolicy;
use support::{BASE, Log, Seen, json, scripted};

fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    move |name| vars.get(name).cloned()
}

/// A client configured from `vars` over a service that answers `/people/me` for the token `NEW`
/// or `TOKEN*`, 401 for any other token, and the token endpoint with a fresh pair.
fn client_from(vars: &[(&str, &str)]) -> spark_api::Result<(Client, Log)> {
    let (service, log) = scripted(|_, seen: &Seen| {
        if seen.uri.path().ends_with("/access_token") {
            return json(
                200,
                r#"{"access_token":"NEW","expires_in":1209599,"refresh_token":"R2"}"#,
            );
        }
        match seen.header("authorization") {
            Some(auth) if auth == "Bearer NEW" || auth.starts_with("Bearer TOKEN") => {
                json(200, r#"{"id":"ME"}"#)
            }
            _ => json(
                401,
                r#"{"message":"The request requires a valid access token."}"#,
            ),
        }
    });
    let client = Client::builder()
        .base_url(BASE)?
        .retry(RetryPolicy::never())
        .timeout(None)
        .from_lookup(lookup(vars))?
        .build_with_service(service);
    Ok((client, log))
}

#[test]
fn a_missing_or_blank_token_is_missing_credentials() {
    for vars in [
        &[][..],
        &[("WEBEX_ACCESS_TOKEN", "   ")][..],
        &[("WEBEX_REFRESH_TOKEN", "R"), ("WEBEX_CLIENT_ID", "I")][..],
    ] {
        let error = Client::builder().from_lookup(lookup(vars)).unwrap_err();
        match &error {
            Error::MissingCredentials { variables } => {
                for name in ACCESS_TOKEN_VARIABLES {
                    assert!(variables.contains(name), "{variables}");
                }
            }
            other => panic!("expected MissingCredentials, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_webex_token_wins_over_the_cisco_spark_one_and_is_trimmed() {
    let (client, log) = client_from(&[
        ("CISCO_SPARK_ACCESS_TOKEN", "TOKEN_CISCO"),
        ("WEBEX_ACCESS_TOKEN", "  TOKEN_WEBEX\n"),
    ])
    .unwrap();

    client.people().me().await.unwrap();

    assert_eq!(
        log.last().header("authorization"),
        Some("Bearer TOKEN_WEBEX")
    );
}

#[tokio::test]
async fn the_cisco_spark_token_is_used_when_the_webex_one_is_absent_or_blank() {
    for vars in [
        &[("CISCO_SPARK_ACCESS_TOKEN", "TOKEN_CISCO")][..],
        &[
            ("WEBEX_ACCESS_TOKEN", ""),
            ("CISCO_SPARK_ACCESS_TOKEN", "TOKEN_CISCO"),
        ][..],
    ] {
        let (client, log) = client_from(vars).unwrap();
        client.people().me().await.unwrap();
        assert_eq!(
            log.last().header("authorization"),
            Some("Bearer TOKEN_CISCO")
        );
    }
}

#[tokio::test]
async fn the_base_url_comes_from_the_environment() {
    let (client, log) = client_from(&[
        ("WEBEX_ACCESS_TOKEN", "TOKEN"),
        ("WEBEX_BASE_URL", "http://127.0.0.2:8080/api/v1"),
    ])
    .unwrap();

    assert_eq!(
        client.url("rooms").unwrap(),
        "http://127.0.0.2:8080/api/v1/rooms"
    );
    client.people().me().await.unwrap();
    let seen = log.last();
    assert_eq!(seen.uri.host(), Some("127.0.0.2"));
    assert_eq!(seen.uri.port_u16(), Some(8080));
    assert_eq!(seen.uri.path(), "/api/v1/people/me");
    assert_eq!(seen.header("authorization"), Some("Bearer TOKEN"));

    let (client, _) = client_from(&[
        ("CISCO_SPARK_ACCESS_TOKEN", "TOKEN"),
        ("CISCO_SPARK_BASE_URL", "http://127.0.0.3/v1"),
    ])
    .unwrap();
    assert_eq!(client.url("rooms").unwrap(), "http://127.0.0.3/v1/rooms");
}

#[test]
fn an_unusable_base_url_is_an_error() {
    let error = Client::builder()
        .from_lookup(lookup(&[
            ("WEBEX_ACCESS_TOKEN", "T"),
            ("WEBEX_BASE_URL", "not a url"),
        ]))
        .unwrap_err();
    assert!(matches!(error, Error::Http(_)), "{error:?}");
}

#[tokio::test]
async fn with_all_three_refresh_variables_a_401_refreshes_and_replays() {
    let (client, log) = client_from(&[
        ("WEBEX_ACCESS_TOKEN", "OLD"),
        ("WEBEX_REFRESH_TOKEN", "R1"),
        ("CISCO_SPARK_CLIENT_ID", "C1"),
        ("WEBEX_CLIENT_SECRET", "S1"),
    ])
    .unwrap();

    let me = client.people().me().await.unwrap();

    assert_eq!(me.id, "ME");
    let requests = log.all();
    let summary: Vec<String> = requests
        .iter()
        .map(|seen| format!("{} {}", seen.method, seen.uri.path()))
        .collect();
    assert_eq!(
        summary,
        [
            "GET /v1/people/me",
            "POST /v1/access_token",
            "GET /v1/people/me"
        ]
    );
    assert_eq!(requests[0].header("authorization"), Some("Bearer OLD"));
    assert_eq!(requests[2].header("authorization"), Some("Bearer NEW"));
    let form: HashMap<String, String> = form_urlencoded::parse(&requests[1].body)
        .into_owned()
        .collect();
    assert_eq!(form["grant_type"], "refresh_token");
    assert_eq!(form["client_id"], "C1");
    assert_eq!(form["client_secret"], "S1");
    assert_eq!(form["refresh_token"], "R1");
}

#[test]
fn some_refresh_variables_without_the_others_are_an_error_naming_the_missing_ones() {
    let error = Client::builder()
        .from_lookup(lookup(&[
            ("WEBEX_ACCESS_TOKEN", "OLD"),
            ("WEBEX_REFRESH_TOKEN", "R1"),
            ("WEBEX_CLIENT_ID", "C1"),
        ]))
        .unwrap_err();
    match &error {
        Error::IncompleteRefreshCredentials { missing } => {
            assert_eq!(missing, &[RefreshSetting::ClientSecret]);
            assert_eq!(
                missing[0].variables(),
                ["WEBEX_CLIENT_SECRET", "CISCO_SPARK_CLIENT_SECRET"]
            );
        }
        other => panic!("expected IncompleteRefreshCredentials, got {other:?}"),
    }
    let text = error.to_string();
    assert!(text.contains("WEBEX_CLIENT_SECRET"), "{text}");
    assert!(!text.contains("R1") && !text.contains("C1"), "{text}");

    let error = Client::builder()
        .from_lookup(lookup(&[
            ("CISCO_SPARK_ACCESS_TOKEN", "OLD"),
            ("CISCO_SPARK_CLIENT_SECRET", "S1"),
        ]))
        .unwrap_err();
    match &error {
        Error::IncompleteRefreshCredentials { missing } => {
            assert_eq!(
                missing,
                &[RefreshSetting::RefreshToken, RefreshSetting::ClientId]
            );
        }
        other => panic!("expected IncompleteRefreshCredentials, got {other:?}"),
    }
}

#[tokio::test]
async fn the_older_token_names_are_read_in_order() {
    for (vars, expected) in [
        (
            &[("WEBEX_TEAMS_ACCESS_TOKEN", "TOKEN_TEAMS")][..],
            "TOKEN_TEAMS",
        ),
        (&[("SPARK_ACCESS_TOKEN", "TOKEN_SPARK")][..], "TOKEN_SPARK"),
        (
            &[
                ("SPARK_ACCESS_TOKEN", "TOKEN_SPARK"),
                ("CISCO_SPARK_ACCESS_TOKEN", "TOKEN_CISCO"),
                ("WEBEX_TEAMS_ACCESS_TOKEN", "TOKEN_TEAMS"),
            ][..],
            "TOKEN_TEAMS",
        ),
        (
            &[
                ("SPARK_ACCESS_TOKEN", "TOKEN_SPARK"),
                ("CISCO_SPARK_ACCESS_TOKEN", "TOKEN_CISCO"),
            ][..],
            "TOKEN_CISCO",
        ),
        (
            &[
                ("WEBEX_TEAMS_ACCESS_TOKEN", "TOKEN_TEAMS"),
                ("WEBEX_ACCESS_TOKEN", "TOKEN_WEBEX"),
            ][..],
            "TOKEN_WEBEX",
        ),
    ] {
        let (client, log) = client_from(vars).unwrap();
        client.people().me().await.unwrap();
        assert_eq!(
            log.last().header("authorization"),
            Some(format!("Bearer {expected}").as_str()),
            "{vars:?}"
        );
    }
}

#[tokio::test]
async fn refresh_now_uses_the_environments_refresh_credentials() {
    let refreshed = Arc::new(Mutex::new(Vec::new()));
    let seen_pairs = refreshed.clone();
    let (service, log) = scripted(|_, seen: &Seen| {
        if seen.uri.path().ends_with("/access_token") {
            json(
                200,
                r#"{"access_token":"NEW","expires_in":1209599,"refresh_token":"R2"}"#,
            )
        } else {
            json(200, r#"{"id":"ME"}"#)
        }
    });
    let client = Client::builder()
        .base_url(BASE)
        .unwrap()
        .timeout(None)
        .from_lookup(lookup(&[
            ("CISCO_SPARK_ACCESS_TOKEN", "OLD"),
            ("CISCO_SPARK_REFRESH_TOKEN", "R1"),
            ("CISCO_SPARK_CLIENT_ID", "C1"),
            ("CISCO_SPARK_CLIENT_SECRET", "S1"),
        ]))
        .unwrap()
        .on_token_refresh(move |pair| seen_pairs.lock().unwrap().push(pair.clone()))
        .build_with_service(service);

    client.oauth().refresh_now().await.unwrap();
    client.people().me().await.unwrap();

    assert_eq!(refreshed.lock().unwrap().len(), 1);
    let requests = log.all();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].uri.path(), "/v1/access_token");
    assert_eq!(requests[1].header("authorization"), Some("Bearer NEW"));
}

#[tokio::test]
async fn refresh_now_without_refresh_credentials_fails_without_a_request() {
    let (client, log) = client_from(&[("WEBEX_ACCESS_TOKEN", "TOKEN")]).unwrap();

    let error = client.oauth().refresh_now().await.unwrap_err();

    assert!(matches!(error, Error::Http(_)), "{error:?}");
    assert_eq!(log.count(), 0);
}

/// A service answering the token endpoint with `NEW` and any other call with a person; the
/// log says which token each call carried.
fn accepting_service() -> (
    impl tower::Service<
        http::Request<spark_http::Body>,
        Response = http::Response<spark_http::ResponseBody>,
        Error = std::convert::Infallible,
        Future = impl Send,
    > + Clone
    + Send
    + Sync
    + 'static,
    Log,
) {
    scripted(|_, seen: &Seen| {
        if seen.uri.path().ends_with("/access_token") {
            return json(200, r#"{"access_token":"NEW","refresh_token":"R2"}"#);
        }
        json(200, r#"{"id":"ME"}"#)
    })
}

#[tokio::test]
async fn a_lifetime_given_after_the_environment_applies_to_its_token() {
    let (service, log) = accepting_service();
    // A long lifetime: the environment's token is used as it is.
    let lasting = Client::builder()
        .base_url(BASE)
        .unwrap()
        .from_lookup(lookup(&[("WEBEX_ACCESS_TOKEN", "TOKEN_ENV")]))
        .unwrap()
        .expires_in(std::time::Duration::from_secs(3600))
        .build_with_service(service.clone());
    lasting.people().me().await.unwrap();
    assert_eq!(log.count(), 1);
    assert_eq!(log.last().header("authorization"), Some("Bearer TOKEN_ENV"));

    // A lifetime already over: the first call refreshes the environment's token first, so the
    // lifetime was not dropped.
    let expired = Client::builder()
        .base_url(BASE)
        .unwrap()
        .from_lookup(lookup(&[
            ("WEBEX_ACCESS_TOKEN", "TOKEN_ENV"),
            ("WEBEX_REFRESH_TOKEN", "R1"),
            ("WEBEX_CLIENT_ID", "I"),
            ("WEBEX_CLIENT_SECRET", "S"),
        ]))
        .unwrap()
        .expires_in(std::time::Duration::ZERO)
        .build_with_service(service);
    expired.people().me().await.unwrap();
    let requests = log.all();
    assert_eq!(requests.len(), 3);
    assert!(requests[1].uri.path().ends_with("/access_token"));
    assert_eq!(requests[2].header("authorization"), Some("Bearer NEW"));
}

#[tokio::test]
async fn refresh_given_after_the_environment_keeps_its_access_token() {
    let (service, log) = accepting_service();
    let client = Client::builder()
        .base_url(BASE)
        .unwrap()
        .from_lookup(lookup(&[("WEBEX_ACCESS_TOKEN", "TOKEN_ENV")]))
        .unwrap()
        .refresh("client", "secret", "refresh")
        .build_with_service(service);
    client.people().me().await.unwrap();
    assert_eq!(log.count(), 1, "no refresh was needed");
    assert_eq!(log.last().header("authorization"), Some("Bearer TOKEN_ENV"));
}
