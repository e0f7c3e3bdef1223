//! The retry table, `Retry-After` handling and the retry budget, through the public API.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{Method, Request};
use httpmock::MockServer;
use spark_http::retry::RetryBudget;
use spark_http::{Body, Error, HttpClient, RetryPolicy};
use support::{paused_clock_builder, respond, scripted};

async fn client_for(server: &MockServer) -> HttpClient {
    paused_clock_builder()
        .base_url(&server.url("/v1"))
        .unwrap()
        .access_token("token")
        .build()
        .unwrap()
}

async fn requests_made(method: Method, status: u16, retry_after: Option<&str>) -> usize {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.path("/v1/things");
            let then = then.status(status).body("{}");
            if let Some(value) = retry_after {
                then.header("Retry-After", value);
            }
        })
        .await;
    let client = client_for(&server).await;
    let request = client.request(method, "/things", Body::from("{}")).unwrap();
    let _ = client.send(request).await;
    mock.calls_async().await
}

#[tokio::test(start_paused = true)]
async fn the_retry_table_method_by_status() {
    let table: &[(Method, u16, Option<&str>, usize)] = &[
        (Method::GET, 503, None, 4),
        (Method::POST, 503, None, 1),
        (Method::HEAD, 500, None, 4),
        (Method::PUT, 502, None, 4),
        (Method::DELETE, 504, None, 4),
        (Method::PATCH, 500, None, 1),
        (Method::GET, 429, Some("0"), 4),
        (Method::POST, 429, Some("0"), 4),
        (Method::PATCH, 423, Some("1"), 4),
        (Method::GET, 404, None, 1),
        (Method::POST, 400, None, 1),
        (Method::GET, 501, None, 1),
        (Method::GET, 200, None, 1),
    ];
    for (method, status, retry_after, expected) in table {
        let made = requests_made(method.clone(), *status, *retry_after).await;
        assert_eq!(made, *expected, "{method} answered {status}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_post_answered_429_then_200_is_sent_twice() {
    let (service, log) = scripted(|n, _| {
        Ok(match n {
            0 => respond(429, &[("Retry-After", "3")], ""),
            _ => respond(200, &[], r#"{"id":"1"}"#),
        })
    });
    let client = paused_clock_builder().build_with_service(service);
    let response = client.post_json("/messages", &"hi").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(log.count(), 2);
    assert_eq!(log.gaps(), [Duration::from_secs(3)]);
    let bodies: Vec<Bytes> = log.all().into_iter().map(|seen| seen.body).collect();
    assert_eq!(bodies, [Bytes::from("\"hi\""), Bytes::from("\"hi\"")]);
}

/// Sends one GET answered 429 with `retry_after` and then 200; returns the wait between the two,
/// or the error when the client gave up at once.
async fn wait_for(retry_after: &str) -> Result<Duration, Error> {
    let value = retry_after.to_owned();
    let (service, log) = scripted(move |n, _| {
        Ok(match n {
            0 => respond(429, &[("Retry-After", &value)], ""),
            _ => respond(200, &[], ""),
        })
    });
    let client = paused_clock_builder().build_with_service(service);
    client.get("/rooms").await?;
    assert_eq!(log.count(), 2);
    Ok(log.gaps()[0])
}

#[tokio::test(start_paused = true)]
async fn retry_after_vectors() {
    let secs = Duration::from_secs;
    assert_eq!(wait_for("0").await.unwrap(), secs(0));
    assert_eq!(wait_for("5").await.unwrap(), secs(5));
    assert_eq!(wait_for("194").await.unwrap(), secs(194));
    // Garbled or empty: the default of 15 s.
    assert_eq!(wait_for("rand(30),add(30)").await.unwrap(), secs(15));
    assert_eq!(wait_for("").await.unwrap(), secs(15));
    // A date in the past: at once.
    assert_eq!(
        wait_for("Sun, 06 Nov 1994 08:49:37 GMT").await.unwrap(),
        secs(0)
    );
    // An IMF-fixdate 30 s ahead (the format has whole seconds, so up to 1 s less).
    let ahead = httpdate::fmt_http_date(SystemTime::now() + secs(30));
    let waited = wait_for(&ahead).await.unwrap();
    assert!(waited > secs(28) && waited <= secs(30), "{waited:?}");
    // Beyond the 300 s cap: no wait at all, a typed error carrying the server's wish.
    let error = wait_for("99999999999").await.unwrap_err();
    assert!(error.is_rate_limited(), "{error}");
    assert_eq!(error.retry_after(), Some(secs(99_999_999_999)));
}

#[tokio::test(start_paused = true)]
async fn a_server_rate_limiting_for_ever_ends_in_a_typed_error_in_bounded_time() {
    let (service, log) = scripted(|_, _| {
        Ok(respond(
            429,
            &[("Retry-After", "20"), ("trackingid", "ROUTER_1")],
            r#"{"message":"slow down"}"#,
        ))
    });
    let client = paused_clock_builder().build_with_service(service);
    let started = tokio::time::Instant::now();
    let error = client.get("/people").await.unwrap_err();
    assert_eq!(log.count(), 4);
    assert_eq!(started.elapsed(), Duration::from_secs(60));
    match error {
        Error::RateLimited {
            status,
            retry_after,
            attempts,
            tracking_id,
            body,
        } => {
            assert_eq!(status, 429);
            assert_eq!(retry_after, Some(Duration::from_secs(20)));
            assert_eq!(attempts, 4);
            assert_eq!(tracking_id.as_deref(), Some("ROUTER_1"));
            assert_eq!(body, r#"{"message":"slow down"}"#);
        }
        other => panic!("expected a rate-limit error, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn server_errors_back_off_exponentially() {
    let (service, log) = scripted(|_, _| Ok(respond(503, &[], "")));
    let client = paused_clock_builder().build_with_service(service);
    let response = client.get("/rooms").await.unwrap();
    assert_eq!(response.status(), 503);
    let secs = Duration::from_secs;
    assert_eq!(log.gaps(), [secs(1), secs(2), secs(4)]);
}

#[tokio::test(start_paused = true)]
async fn never_retry_means_one_attempt() {
    let (service, log) = scripted(|_, _| Ok(respond(429, &[("Retry-After", "1")], "")));
    let client = paused_clock_builder()
        .retry(RetryPolicy::never())
        .build_with_service(service);
    assert!(client.get("/rooms").await.unwrap_err().is_rate_limited());
    assert_eq!(log.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_streamed_body_is_sent_once_a_buffered_one_is_replayed() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("PUT").path("/v1/rooms/1");
            then.status(503);
        })
        .await;
    let client = client_for(&server).await;

    let chunks = [Ok::<_, std::io::Error>(Bytes::from("{\"title\":\"x\"}"))];
    let streamed = Request::put("/rooms/1")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .unwrap();
    assert_eq!(client.send(streamed).await.unwrap().status(), 503);
    assert_eq!(mock.calls_async().await, 1);

    let buffered = Request::put("/rooms/1")
        .body(Body::from("{\"title\":\"x\"}"))
        .unwrap();
    assert_eq!(client.send(buffered).await.unwrap().status(), 503);
    assert_eq!(mock.calls_async().await, 1 + 4);

    let opened = Arc::new(AtomicUsize::new(0));
    let counter = opened.clone();
    let replayable = Request::put("/rooms/1")
        .body(Body::replayable(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            let chunks = [Ok::<_, std::io::Error>(Bytes::from("{}"))];
            Body::from_stream(futures_util::stream::iter(chunks))
        }))
        .unwrap();
    assert_eq!(client.send(replayable).await.unwrap().status(), 503);
    assert_eq!(mock.calls_async().await, 1 + 4 + 4);
    // Once for the request itself, once per spare copy kept for a retry.
    assert_eq!(opened.load(Ordering::SeqCst), 4);
}

#[tokio::test(start_paused = true)]
async fn connect_errors_are_retried_for_every_method() {
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let attempts = Arc::new(AtomicUsize::new(0));
    let counter = attempts.clone();
    let client = paused_clock_builder()
        .base_url(&format!("http://127.0.0.1:{closed_port}/v1"))
        .unwrap()
        .layer(tower::layer::layer_fn(
            move |inner: spark_http::HttpService| {
                let counter = counter.clone();
                tower::ServiceExt::map_request(inner, move |request: Request<Body>| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    request
                })
            },
        ))
        .build()
        .unwrap();
    let error = client.post_json("/messages", &"hello").await.unwrap_err();
    assert!(error.is_connect(), "{error:?}");
    assert_eq!(attempts.load(Ordering::SeqCst), 4);
}

#[tokio::test(start_paused = true)]
async fn an_empty_retry_budget_stops_retries_until_calls_succeed() {
    let failing = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let switch = failing.clone();
    let (service, log) = scripted(move |_, _| {
        Ok(if switch.load(Ordering::SeqCst) {
            respond(503, &[], "")
        } else {
            respond(200, &[], "")
        })
    });
    let budget = RetryBudget::new(10, 5);
    let client = paused_clock_builder()
        .retry(
            RetryPolicy::default()
                .jitter(false)
                .budget(Some(budget.clone())),
        )
        .build_with_service(service);
    client.get("/a").await.unwrap();
    assert_eq!(log.count(), 3, "two retries drain a budget of 10 at 5 each");
    client.get("/a").await.unwrap();
    assert_eq!(log.count(), 4, "a dry budget: no retry");
    failing.store(false, Ordering::SeqCst);
    for _ in 0..5 {
        client.get("/a").await.unwrap();
    }
    assert_eq!(budget.available(), 5, "successes refill the bucket");
}

#[tokio::test(start_paused = true)]
async fn a_silent_server_times_out_per_attempt() {
    let (service, log) = scripted(|_, _| Ok(respond(200, &[], "")));
    let never_answers = tower::ServiceExt::and_then(service, |response| async move {
        std::future::pending::<()>().await;
        Ok::<_, Error>(response)
    });
    let client = paused_clock_builder()
        .timeout(Some(Duration::from_secs(5)))
        .build_with_service(never_answers);
    let started = tokio::time::Instant::now();
    let error = client.get("/rooms").await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(log.count(), 4);
    // Four 5 s timeouts and back-off waits of 1, 2 and 4 s.
    assert_eq!(started.elapsed(), Duration::from_secs(27));
    let error = client.post_json("/messages", &"x").await.unwrap_err();
    assert!(error.is_timeout());
    assert_eq!(
        log.count(),
        5,
        "a POST that timed out may have been processed"
    );
}

#[tokio::test(start_paused = true)]
async fn a_connection_lost_in_flight_is_retried_for_a_get_but_not_a_post() {
    let (service, log) = scripted(|n, _| {
        if n % 2 == 0 {
            Err(Error::Transport("connection reset by peer".into()))
        } else {
            Ok(respond(200, &[], ""))
        }
    });
    let client = paused_clock_builder().build_with_service(service);
    assert_eq!(client.get("/rooms").await.unwrap().status(), 200);
    assert_eq!(log.count(), 2);
    let error = client.post_json("/messages", &"x").await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(
        log.count(),
        3,
        "a POST that may have been processed is not sent again"
    );
}
