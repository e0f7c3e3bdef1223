//! Authentication through the public API: single-flight refresh, the refresh callback, the
//! token's scope, and the typed errors when a 401 cannot be recovered from.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http::Request;
use httpmock::MockServer;
use spark_http::{
    Body, Credentials, Error, HttpClient, RefreshError, TokenPair, UnauthorizedReason,
};
use support::{respond, scripted};

const TOKEN_ANSWER_1: &str = r#"{"access_token":"NEW","expires_in":1209599,"refresh_token":"R2","refresh_token_expires_in":7775999}"#;
const TOKEN_ANSWER_2: &str =
    r#"{"access_token":"NEWER","expires_in":1209599,"refresh_token":"R3"}"#;

fn refreshing_client(
    server: &MockServer,
    credentials: Credentials,
) -> (HttpClient, Arc<Mutex<Vec<TokenPair>>>) {
    let pairs = Arc::new(Mutex::new(Vec::new()));
    let seen = pairs.clone();
    let client = HttpClient::builder()
        .base_url(&server.url("/v1"))
        .unwrap()
        .credentials(credentials)
        .on_token_refresh(move |pair| seen.lock().unwrap().push(pair.clone()))
        .build()
        .unwrap();
    (client, pairs)
}

async fn mock_people_me(server: &MockServer) -> (httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let rejected = server
        .mock_async(|when, then| {
            when.path("/v1/people/me")
                .header("authorization", "Bearer OLD");
            then.status(401).body(r#"{"message":"token expired"}"#);
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.path("/v1/people/me")
                .header("authorization", "Bearer NEW");
            then.status(200).body(r#"{"id":"me"}"#);
        })
        .await;
    (rejected, accepted)
}

async fn mock_token_endpoint<'a>(
    server: &'a MockServer,
    refresh_token: &str,
    answer: &str,
) -> httpmock::Mock<'a> {
    let form = format!(
        "grant_type=refresh_token&client_id=C1&client_secret=S1&refresh_token={refresh_token}"
    );
    let answer = answer.to_owned();
    server
        .mock_async(move |when, then| {
            when.method("POST")
                .path("/v1/access_token")
                .header("content-type", "application/x-www-form-urlencoded")
                .header_missing("authorization")
                .body(form);
            then.status(200)
                .header("content-type", "application/json")
                .body(answer);
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_calls_with_a_rejected_token_refresh_once() {
    let server = MockServer::start_async().await;
    let (rejected, accepted) = mock_people_me(&server).await;
    let token_endpoint = mock_token_endpoint(&server, "R1", TOKEN_ANSWER_1).await;
    let (client, pairs) =
        refreshing_client(&server, Credentials::new("OLD").refresh("C1", "S1", "R1"));

    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get("/people/me").await.map(|r| r.status()) })
    });
    for call in futures_util::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap(), 200);
    }
    assert_eq!(token_endpoint.calls_async().await, 1);
    assert_eq!(accepted.calls_async().await, 100);
    assert!(rejected.calls_async().await >= 1);
    {
        let pairs = pairs.lock().unwrap();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].access_token.expose_secret(), "NEW");
        assert_eq!(pairs[0].refresh_token.expose_secret(), "R2");
        assert_eq!(pairs[0].expires_in, Some(Duration::from_secs(1209599)));
        assert_eq!(
            pairs[0].refresh_token_expires_in,
            Some(Duration::from_secs(7775999))
        );
    }

    // The next refresh sends the refresh token that came back.
    let second = mock_token_endpoint(&server, "R2", TOKEN_ANSWER_2).await;
    client.refresh_token().await.unwrap();
    assert_eq!(second.calls_async().await, 1);
    assert_eq!(
        pairs.lock().unwrap()[1].access_token.expose_secret(),
        "NEWER"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_calls_with_a_known_expired_token_refresh_once_before_sending() {
    let server = MockServer::start_async().await;
    let (rejected, accepted) = mock_people_me(&server).await;
    let token_endpoint = mock_token_endpoint(&server, "R1", TOKEN_ANSWER_1).await;
    let credentials = Credentials::new("OLD")
        .expires_in(Duration::ZERO)
        .refresh("C1", "S1", "R1");
    let (client, pairs) = refreshing_client(&server, credentials);

    let calls = (0..100).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get("/people/me").await.map(|r| r.status()) })
    });
    for call in futures_util::future::join_all(calls).await {
        assert_eq!(call.unwrap().unwrap(), 200);
    }
    assert_eq!(token_endpoint.calls_async().await, 1);
    assert_eq!(
        rejected.calls_async().await,
        0,
        "the expired token is never sent"
    );
    assert_eq!(accepted.calls_async().await, 100);
    assert_eq!(pairs.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn refresh_credentials_alone_fetch_a_token_on_first_use() {
    let server = MockServer::start_async().await;
    let (_, accepted) = mock_people_me(&server).await;
    let token_endpoint = mock_token_endpoint(&server, "R1", TOKEN_ANSWER_1).await;
    let (client, _) = refreshing_client(&server, Credentials::from_refresh_token("C1", "S1", "R1"));
    assert_eq!(client.get("/people/me").await.unwrap().status(), 200);
    assert_eq!(token_endpoint.calls_async().await, 1);
    assert_eq!(accepted.calls_async().await, 1);
}

#[tokio::test]
async fn without_refresh_credentials_a_401_is_a_typed_error_at_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/people/me");
            then.status(401)
                .header("trackingid", "ROUTER_42")
                .body(r#"{"message":"The request requires a valid access token set in the Authorization request header."}"#);
        })
        .await;
    let client = HttpClient::builder()
        .base_url(&server.url("/v1"))
        .unwrap()
        .access_token("OLD")
        .build()
        .unwrap();
    let error = client.get("/people/me").await.unwrap_err();
    assert_eq!(mock.calls_async().await, 1);
    match &error {
        Error::Unauthorized {
            reason,
            tracking_id,
            body,
        } => {
            assert_eq!(*reason, UnauthorizedReason::NoRefreshCredentials);
            assert_eq!(tracking_id.as_deref(), Some("ROUTER_42"));
            assert!(body.starts_with(b"{\"message\""));
        }
        other => panic!("expected Unauthorized, got {other:?}"),
    }
    assert!(error.is_unauthorized());
    assert_eq!(error.status(), Some(http::StatusCode::UNAUTHORIZED));
}

#[tokio::test]
async fn a_failed_refresh_is_a_typed_error_and_the_old_token_stays() {
    let server = MockServer::start_async().await;
    let (rejected, _) = mock_people_me(&server).await;
    let token_endpoint = server
        .mock_async(|when, then| {
            when.method("POST").path("/v1/access_token");
            then.status(400)
                .body(r#"{"message":"invalid refresh token"}"#);
        })
        .await;
    let (client, pairs) =
        refreshing_client(&server, Credentials::new("OLD").refresh("C1", "S1", "R1"));
    let error = client.get("/people/me").await.unwrap_err();
    match error {
        Error::Refresh(RefreshError::Rejected { status, body }) => {
            assert_eq!(status, 400);
            assert!(body.ends_with(b"invalid refresh token\"}"));
        }
        other => panic!("expected a rejected refresh, got {other:?}"),
    }
    // The next call still sends the old token, and gets the failure without a second refresh
    // (the next one waits for a back-off).
    let error = client.get("/people/me").await.unwrap_err();
    match error {
        Error::Refresh(RefreshError::BackingOff { status, .. }) => {
            assert_eq!(status, Some(http::StatusCode::BAD_REQUEST));
        }
        other => panic!("expected a backed-off refresh, got {other:?}"),
    }
    assert_eq!(
        rejected.calls_async().await,
        2,
        "the old token is still sent"
    );
    assert_eq!(token_endpoint.calls_async().await, 1);
    assert!(pairs.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_refreshed_token_is_not_replayed_with_a_streamed_body() {
    let (service, log) = scripted(|_, seen| {
        Ok(match seen.uri.path() {
            "/v1/access_token" => respond(200, &[], TOKEN_ANSWER_1),
            _ => respond(401, &[], ""),
        })
    });
    let client = HttpClient::builder()
        .credentials(Credentials::new("OLD").refresh("C1", "S1", "R1"))
        .build_with_service(service);
    let chunks = [Ok::<_, std::io::Error>(bytes::Bytes::from("{}"))];
    let request = Request::post("/messages")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    let error = client.send(request).await.unwrap_err();
    assert!(matches!(
        error,
        Error::Unauthorized {
            reason: UnauthorizedReason::NotReplayable,
            ..
        }
    ));
    let paths: Vec<String> = log
        .all()
        .iter()
        .map(|seen| seen.uri.path().to_owned())
        .collect();
    assert_eq!(paths, ["/v1/messages", "/v1/access_token"]);
}

#[tokio::test]
async fn a_token_rejected_after_refresh_is_reported_as_such() {
    let (service, log) = scripted(|_, seen| {
        Ok(match seen.uri.path() {
            "/v1/access_token" => respond(200, &[], TOKEN_ANSWER_1),
            _ => respond(401, &[], ""),
        })
    });
    let client = HttpClient::builder()
        .credentials(Credentials::new("OLD").refresh("C1", "S1", "R1"))
        .build_with_service(service);
    let error = client.get("/rooms").await.unwrap_err();
    assert!(matches!(
        error,
        Error::Unauthorized {
            reason: UnauthorizedReason::RejectedAfterRefresh,
            ..
        }
    ));
    let tokens: Vec<Option<String>> = log
        .all()
        .iter()
        .map(|seen| {
            seen.headers
                .get("authorization")
                .map(|v| v.to_str().unwrap().to_owned())
        })
        .collect();
    assert_eq!(
        tokens,
        [Some("Bearer OLD".into()), None, Some("Bearer NEW".into())]
    );
}

#[tokio::test]
async fn the_token_goes_only_to_trusted_origins() {
    let (service, log) = scripted(|_, _| Ok(respond(200, &[], "")));
    let client = HttpClient::builder()
        .base_url("http://127.0.0.1:9000/v1")
        .unwrap()
        .trust_origin("https://files.example.com")
        .unwrap()
        .access_token("SECRET")
        .build_with_service(service);
    let cases = [
        ("/v1/rooms", true),
        ("http://127.0.0.1:9000/v1/rooms", true),
        ("https://files.example.com/x", true),
        ("https://files.example.com:443/x", true),
        ("http://127.0.0.2:9000/v1/rooms", false),
        ("http://localhost:9000/v1/rooms", false),
        ("http://127.0.0.1:9001/v1/rooms", false),
        ("https://127.0.0.1:9000/v1/rooms", false),
        ("http://files.example.com/x", false),
    ];
    for (uri, _) in cases {
        client
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
    }
    for ((uri, expected), seen) in cases.iter().zip(log.all()) {
        assert_eq!(
            seen.headers.contains_key("authorization"),
            *expected,
            "{uri}"
        );
        if *expected {
            assert!(seen.headers["authorization"].is_sensitive());
        }
    }
}

#[tokio::test]
async fn the_public_webex_hosts_trust_each_other() {
    let (service, log) = scripted(|_, _| Ok(respond(200, &[], "")));
    let client = HttpClient::builder()
        .access_token("SECRET")
        .build_with_service(service);
    for uri in [
        "https://api.ciscospark.com/v1/people/me",
        "https://webexapis.com/v1/people/me",
        "https://webexapis.com.evil.example/v1/people/me",
    ] {
        client
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
    }
    let carried: Vec<bool> = log
        .all()
        .iter()
        .map(|seen| seen.headers.contains_key("authorization"))
        .collect();
    assert_eq!(carried, [true, true, false]);
}

#[tokio::test]
async fn another_origin_on_the_wire_gets_no_token() {
    let ours = MockServer::start_async().await;
    let theirs = MockServer::start_async().await;
    let with_token = ours
        .mock_async(|when, then| {
            when.path("/v1/rooms")
                .header("authorization", "Bearer SECRET");
            then.status(200);
        })
        .await;
    let without_token = theirs
        .mock_async(|when, then| {
            when.path("/v1/rooms").header_missing("authorization");
            then.status(200);
        })
        .await;
    let client = HttpClient::builder()
        .base_url(&ours.url("/v1"))
        .unwrap()
        .access_token("SECRET")
        .build()
        .unwrap();
    client.get("/rooms").await.unwrap();
    client.get(&theirs.url("/v1/rooms")).await.unwrap();
    assert_eq!(with_token.calls_async().await, 1);
    assert_eq!(without_token.calls_async().await, 1);
}

/// The answers of an API that refuses the token `OLD` and takes `NEW`, whose token endpoint
/// answers `first` once, then grants `NEW`.
fn token_endpoint_failing_once(
    first: fn() -> http::Response<spark_http::ResponseBody>,
) -> impl Fn(usize, &support::Seen) -> Result<http::Response<spark_http::ResponseBody>, Error>
+ Send
+ Sync
+ 'static {
    let refreshes = std::sync::atomic::AtomicUsize::new(0);
    move |_, seen| {
        Ok(match (seen.uri.path(), seen.headers.get("authorization")) {
            ("/v1/access_token", _) => {
                if refreshes.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                    first()
                } else {
                    respond(200, &[], TOKEN_ANSWER_1)
                }
            }
            (_, Some(token)) if token == "Bearer NEW" => respond(200, &[], "{}"),
            _ => respond(401, &[], ""),
        })
    }
}

/// The paths of the requests, in order.
fn paths(log: &support::Log) -> Vec<String> {
    log.all()
        .iter()
        .map(|seen| seen.uri.path().to_owned())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_rate_limited_token_refresh_is_retried_after_its_wait() {
    let (service, log) = scripted(token_endpoint_failing_once(|| {
        respond(429, &[("Retry-After", "2")], "")
    }));
    let client = support::paused_clock_builder()
        .credentials(Credentials::new("OLD").refresh("C1", "S1", "R1"))
        .build_with_service(service);
    assert_eq!(client.get("/rooms").await.unwrap().status(), 200);
    assert_eq!(
        paths(&log),
        [
            "/v1/rooms",
            "/v1/access_token",
            "/v1/access_token",
            "/v1/rooms"
        ]
    );
    assert_eq!(
        log.gaps()[1],
        Duration::from_secs(2),
        "the refresh waited out Retry-After"
    );
}

#[tokio::test(start_paused = true)]
async fn fifty_calls_behind_one_failing_refresh_call_the_endpoint_once() {
    let (service, log) = scripted(|_, seen| {
        Ok(match seen.uri.path() {
            "/v1/access_token" => respond(400, &[], r#"{"message":"invalid refresh token"}"#),
            _ => respond(401, &[], ""),
        })
    });
    // The token endpoint takes two seconds to answer, so all fifty calls queue behind it.
    let slow_token_endpoint =
        tower::ServiceExt::and_then(service, |response: http::Response<_>| async move {
            if response.status() == 400 {
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            Ok::<_, spark_http::Error>(response)
        });
    let client = support::paused_clock_builder()
        .credentials(Credentials::new("OLD").refresh("C1", "S1", "R1"))
        .build_with_service(slow_token_endpoint);
    let calls = (0..50).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.get("/people/me").await })
    });
    for call in futures_util::future::join_all(calls).await {
        let error = call.unwrap().unwrap_err();
        assert!(error.is_unauthorized(), "{error:?}");
        assert_eq!(error.status(), Some(http::StatusCode::BAD_REQUEST));
    }
    let token_calls = log
        .all()
        .iter()
        .filter(|seen| seen.uri.path() == "/v1/access_token")
        .count();
    assert_eq!(token_calls, 1, "the waiters shared the failure");
    assert_eq!(log.count(), 51);
}

/// A client whose token endpoint answers `status` with `body`, and whose other paths answer 401
/// unless the token is `NEW`; `healthy` switches the endpoint to a good answer.
fn client_with_token_endpoint(
    status: u16,
    body: &'static str,
    healthy: Arc<std::sync::atomic::AtomicBool>,
) -> (HttpClient, support::Log) {
    let (service, log) = scripted(move |_, seen| {
        Ok(match (seen.uri.path(), seen.headers.get("authorization")) {
            ("/v1/access_token", _) if healthy.load(std::sync::atomic::Ordering::SeqCst) => {
                respond(200, &[], TOKEN_ANSWER_1)
            }
            ("/v1/access_token", _) => {
                respond(status, &[("content-type", "application/json")], body)
            }
            (_, Some(token)) if token == "Bearer NEW" => respond(200, &[], "{}"),
            _ => respond(401, &[], ""),
        })
    });
    let client = support::paused_clock_builder()
        .credentials(Credentials::new("OLD").refresh("C1", "S1", "R1"))
        .build_with_service(service);
    (client, log)
}

fn token_calls(log: &support::Log) -> usize {
    log.all()
        .iter()
        .filter(|seen| seen.uri.path() == "/v1/access_token")
        .count()
}

/// A hundred calls whose 401s arrive one every 3 ms, each after the refresh before it ended.
async fn a_hundred_calls_spread_over_300_ms(client: &HttpClient) -> Vec<Result<u16, Error>> {
    let calls = (0..100u64).map(|index| {
        let client = client.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(3 * index)).await;
            client
                .get("/people/me")
                .await
                .map(|response| response.status().as_u16())
        })
    });
    futures_util::future::join_all(calls)
        .await
        .into_iter()
        .map(|call| call.unwrap())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_refused_grant_is_remembered_by_calls_spread_over_time() {
    let healthy = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (client, log) = client_with_token_endpoint(
        400,
        r#"{"error":"invalid_grant","error_description":"The refresh token has expired."}"#,
        healthy,
    );
    for outcome in a_hundred_calls_spread_over_300_ms(&client).await {
        match outcome.unwrap_err() {
            Error::Refresh(error @ RefreshError::Permanent { status, code, .. }) => {
                assert_eq!(status, 400);
                assert_eq!(code, "invalid_grant");
                assert!(error.is_permanent());
            }
            other => panic!("expected a permanent refusal, got {other:?}"),
        }
    }
    assert_eq!(token_calls(&log), 1, "the refused grant is not tried again");

    // An hour later, still nothing is sent to the token endpoint.
    tokio::time::sleep(Duration::from_secs(3600)).await;
    let error = client.get("/people/me").await.unwrap_err();
    assert!(
        matches!(error, Error::Refresh(ref e) if e.is_permanent()),
        "{error:?}"
    );
    assert_eq!(token_calls(&log), 1);

    // New credentials are tried: here the endpoint refuses them too, once.
    let tokens = client.tokens().unwrap();
    tokens.set_credentials(Credentials::new("OLD").refresh("C1", "S1", "R9"));
    let error = client.get("/people/me").await.unwrap_err();
    assert!(
        matches!(error, Error::Refresh(ref e) if e.is_permanent()),
        "{error:?}"
    );
    assert_eq!(token_calls(&log), 2);
    let sent = log.all().last().unwrap().body.clone();
    assert!(sent.ends_with(b"refresh_token=R9"), "{sent:?}");
}

#[tokio::test(start_paused = true)]
async fn new_credentials_after_a_refused_grant_refresh_and_the_calls_succeed() {
    let healthy = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (client, log) =
        client_with_token_endpoint(401, r#"{"error":"invalid_client"}"#, healthy.clone());
    let error = client.get("/people/me").await.unwrap_err();
    assert!(matches!(
        error,
        Error::Refresh(RefreshError::Permanent {
            code: "invalid_client",
            ..
        })
    ));
    healthy.store(true, std::sync::atomic::Ordering::SeqCst);
    let error = client.get("/people/me").await.unwrap_err();
    assert!(
        matches!(error, Error::Refresh(ref e) if e.is_permanent()),
        "{error:?}"
    );
    assert_eq!(
        token_calls(&log),
        1,
        "remembered, though the endpoint would now agree"
    );

    client
        .tokens()
        .unwrap()
        .set_credentials(Credentials::new("OLD").refresh("C1", "S2", "R1"));
    assert_eq!(client.get("/people/me").await.unwrap().status(), 200);
    assert_eq!(token_calls(&log), 2);
}

#[tokio::test(start_paused = true)]
async fn a_failing_token_endpoint_is_backed_off_by_calls_spread_over_time() {
    let healthy = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (client, log) = client_with_token_endpoint(500, r#"{"message":"oops"}"#, healthy.clone());
    let mut backed_off = 0;
    for outcome in a_hundred_calls_spread_over_300_ms(&client).await {
        let error = outcome.unwrap_err();
        assert!(error.is_unauthorized(), "{error:?}");
        assert_eq!(
            error.status(),
            Some(http::StatusCode::INTERNAL_SERVER_ERROR)
        );
        match error {
            Error::Refresh(RefreshError::BackingOff { retry_in, .. }) => {
                assert!(retry_in <= Duration::from_secs(1));
                backed_off += 1;
            }
            // The exchange itself is retried (a token refresh is safe to repeat), so the calls
            // that arrive meanwhile wait for it and share its failure.
            Error::Refresh(RefreshError::ConcurrentFailure { .. }) => backed_off += 1,
            _ => {}
        }
    }
    assert!(
        backed_off >= 98,
        "{backed_off} calls got the last failure without a refresh of their own"
    );
    let failed = token_calls(&log);
    // One exchange, with the default policy's four attempts.
    assert!(failed <= 4, "{failed} token requests for a hundred calls");

    healthy.store(true, std::sync::atomic::Ordering::SeqCst);
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(client.get("/people/me").await.unwrap().status(), 200);
    assert_eq!(
        token_calls(&log),
        failed + 1,
        "tried again after the back-off"
    );
}

#[tokio::test(start_paused = true)]
async fn a_token_refresh_is_retried_even_when_the_retry_budget_is_dry() {
    let (service, log) = scripted(token_endpoint_failing_once(|| respond(503, &[], "")));
    // A budget with nothing in it: no call's failure is retried.
    let dry =
        spark_http::RetryPolicy::default().budget(Some(spark_http::retry::RetryBudget::new(0, 5)));
    let client = support::paused_clock_builder()
        .retry(dry)
        .credentials(Credentials::new("OLD").refresh("C1", "S1", "R1"))
        .build_with_service(service);

    assert_eq!(client.get("/rooms").await.unwrap().status(), 200);
    assert_eq!(
        paths(&log),
        [
            "/v1/rooms",
            "/v1/access_token",
            "/v1/access_token",
            "/v1/rooms"
        ],
        "the 503 of the token endpoint was retried outside the budget"
    );
}
