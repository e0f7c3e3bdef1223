//! Error answers and undecodable bodies: `Error::Api` with the API's message, descriptions and
//! tracking id (from the body, else the `trackingid` header), and `Error::Decode` naming the
//! JSON path that failed while keeping the status.

mod support;

use futures_util::TryStreamExt;
use spark_api::{Client, Error};
use spark_http::RetryPolicy;
use spark_model::{CreateRoom, ListRooms};
use support::{BASE, json, respond, scripted, scripted_client};

const NOT_FOUND_BODY: &str = r#"{"message":"The requested resource could not be found.","errors":[{"description":"The requested resource could not be found."},{"description":"Room R9 does not exist."}],"trackingId":"ROUTER_5F1A2B3C-0000-1111-2222-333344445555"}"#;

#[tokio::test]
async fn a_404_with_the_webex_error_body_is_an_api_error() {
    let (client, log) = scripted_client(|_, _| {
        respond(
            404,
            &[
                ("content-type", "application/json"),
                ("trackingid", "HEADER_TRACKING_ID"),
            ],
            NOT_FOUND_BODY,
        )
    });

    let error = client.rooms().get("R9").await.unwrap_err();

    let Error::Api(api) = &error else {
        panic!("expected Error::Api, got {error:?}");
    };
    assert_eq!(api.status, 404);
    assert_eq!(
        api.message.as_deref(),
        Some("The requested resource could not be found.")
    );
    assert_eq!(
        api.descriptions,
        [
            "The requested resource could not be found.",
            "Room R9 does not exist."
        ]
    );
    // The body's tracking id wins over the header's.
    assert_eq!(
        api.tracking_id.as_deref(),
        Some("ROUTER_5F1A2B3C-0000-1111-2222-333344445555")
    );
    assert_eq!(api.body, NOT_FOUND_BODY.as_bytes());
    assert!(error.is_not_found());
    assert_eq!(error.status(), Some(http::StatusCode::NOT_FOUND));
    assert_eq!(
        error.tracking_id(),
        Some("ROUTER_5F1A2B3C-0000-1111-2222-333344445555")
    );
    assert!(error.as_api_error().is_some());
    let text = error.to_string();
    assert!(text.contains("404"), "{text}");
    assert!(
        text.contains("The requested resource could not be found."),
        "{text}"
    );
    assert!(
        text.contains("ROUTER_5F1A2B3C-0000-1111-2222-333344445555"),
        "{text}"
    );
    assert_eq!(log.count(), 1, "a 404 is not retried");
}

#[tokio::test]
async fn without_a_tracking_id_in_the_body_it_comes_from_the_header() {
    let (client, _log) = scripted_client(|_, _| {
        respond(
            404,
            &[
                ("content-type", "application/json"),
                ("trackingid", "ROUTER_FROM_HEADER"),
            ],
            r#"{"message":"Not found","errors":[{"description":"Not found"}]}"#,
        )
    });

    let error = client.people().get("P9").await.unwrap_err();

    let api = error.as_api_error().expect("an API error");
    assert_eq!(api.status, 404);
    assert_eq!(api.message.as_deref(), Some("Not found"));
    assert_eq!(api.descriptions, ["Not found"]);
    assert_eq!(api.tracking_id.as_deref(), Some("ROUTER_FROM_HEADER"));
    assert_eq!(error.tracking_id(), Some("ROUTER_FROM_HEADER"));
}

#[tokio::test]
async fn an_error_body_that_is_not_json_still_gives_an_api_error() {
    // A POST is not retried on a 502, so the first answer is the final one.
    let (client, log) = scripted_client(|_, _| {
        respond(
            502,
            &[("content-type", "text/html"), ("trackingid", "EDGE_1")],
            "<html>Bad gateway</html>",
        )
    });

    let error = client
        .rooms()
        .create(&CreateRoom::new("Design review"))
        .await
        .unwrap_err();

    let api = error.as_api_error().expect("an API error");
    assert_eq!(api.status, 502);
    assert_eq!(api.message, None);
    assert!(api.descriptions.is_empty());
    assert_eq!(api.tracking_id.as_deref(), Some("EDGE_1"));
    assert_eq!(api.body, "<html>Bad gateway</html>");
    assert_eq!(log.count(), 1);
}

#[tokio::test]
async fn an_error_on_delete_is_an_api_error_with_the_error_code() {
    let (client, _log) = scripted_client(|_, _| {
        json(
            403,
            r#"{"message":"Not allowed","errorCode":3,"trackingId":"ROUTER_403"}"#,
        )
    });

    let error = client.messages().delete("M1").await.unwrap_err();

    let api = error.as_api_error().expect("an API error");
    assert_eq!(api.status, 403);
    assert!(api.error_code.is_some(), "{api:?}");
    assert_eq!(api.tracking_id.as_deref(), Some("ROUTER_403"));
}

#[tokio::test]
async fn a_200_body_that_is_not_json_is_a_decode_error_at_the_document() {
    let (client, _log) = scripted_client(|_, _| {
        respond(
            200,
            &[("content-type", "text/html")],
            "<html>maintenance</html>",
        )
    });

    let error = client.people().me().await.unwrap_err();

    match &error {
        Error::Decode { status, path, .. } => {
            assert_eq!(*status, 200);
            assert_eq!(path, ".");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_eq!(error.status(), Some(http::StatusCode::OK));
}

#[tokio::test]
async fn a_200_body_of_the_wrong_shape_names_the_json_path() {
    let (client, _log) = scripted_client(|_, _| {
        json(
            200,
            r#"{"id":"P1","displayName":"Ann","created":5,"emails":["a@example.com"]}"#,
        )
    });

    let error = client.people().get("P1").await.unwrap_err();

    match &error {
        Error::Decode { status, path, .. } => {
            assert_eq!(*status, 200);
            assert_eq!(path, "created");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert!(error.to_string().contains("created"), "{error}");
}

#[tokio::test]
async fn a_decode_error_on_a_list_page_names_the_item() {
    let (client, _log) = scripted_client(|_, _| {
        json(
            200,
            r#"{"items":[{"id":"R1","title":"ok"},{"id":"R2","title":["not","a","title"]}]}"#,
        )
    });

    let outcome: Result<Vec<_>, _> = client.rooms().list(&ListRooms::new()).try_collect().await;

    match outcome.unwrap_err() {
        Error::Decode { status, path, .. } => {
            assert_eq!(status, 200);
            assert_eq!(path, "items[1].title");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn trailing_garbage_after_the_json_is_a_decode_error() {
    let (client, _log) = scripted_client(|_, _| json(200, r#"{"id":"R1"} trailing"#));

    let error = client.rooms().get("R1").await.unwrap_err();

    assert!(
        matches!(&error, Error::Decode { path, .. } if path == "."),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_429_that_outlasts_the_retries_is_rate_limited_with_its_wait() {
    let (service, log) = scripted(|_, _| {
        respond(
            429,
            &[("retry-after", "7"), ("trackingid", "ROUTER_429")],
            r#"{"message":"Too many requests"}"#,
        )
    });
    let client: Client = Client::builder()
        .base_url(BASE)
        .unwrap()
        .access_token("T")
        .retry(RetryPolicy::default().jitter(false).max_attempts(2))
        .timeout(None)
        .build_with_service(service);

    let error = client.people().me().await.unwrap_err();

    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(error.status(), Some(http::StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(7)));
    assert_eq!(error.tracking_id(), Some("ROUTER_429"));
    assert_eq!(log.count(), 2);
    assert_eq!(log.gaps(), [std::time::Duration::from_secs(7)]);
}

#[tokio::test]
async fn a_large_error_body_keeps_its_first_64_kib() {
    let page = "x".repeat(100 * 1024);
    let (client, _log) = scripted_client(move |_, _| respond(400, &[], page.clone()));
    let error = client
        .rooms()
        .create(&CreateRoom::new("Design review"))
        .await
        .unwrap_err();
    let api = error.as_api_error().expect("an API error");
    assert_eq!(api.status, 400);
    assert_eq!(api.body.len(), 64 * 1024);
    assert!(api.body.iter().all(|byte| *byte == b'x'));
    assert_eq!(api.message, None, "the prefix is not JSON");
}

/// A body of `frames` frames of 8 KiB that counts how many of them were pulled.
struct CountingBody {
    left: usize,
    pulled: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl http_body::Body for CountingBody {
    type Data = bytes::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<bytes::Bytes>, Self::Error>>> {
        if self.left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.left -= 1;
        self.pulled
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(bytes::Bytes::from(
            vec![b'y'; 8 * 1024],
        )))))
    }
}

#[tokio::test]
async fn an_error_built_from_any_response_reads_at_most_64_kib_of_its_body() {
    let pulled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // 100 MiB announced by nobody: only the frames that fill 64 KiB may be read.
    let body = CountingBody {
        left: 100 * 128,
        pulled: pulled.clone(),
    };
    let answer = http::Response::builder()
        .status(502)
        .header("trackingid", "EDGE_1")
        .body(body)
        .unwrap();

    let error = spark_api::ApiError::from_response(answer).await;

    assert_eq!(error.status, 502);
    assert_eq!(error.tracking_id.as_deref(), Some("EDGE_1"));
    assert_eq!(error.body.len(), spark_http::ERROR_BODY_LIMIT);
    assert_eq!(
        pulled.load(std::sync::atomic::Ordering::SeqCst),
        spark_http::ERROR_BODY_LIMIT / (8 * 1024),
        "frames pulled beyond the limit"
    );
}

#[tokio::test]
async fn an_oauth_error_answer_gives_its_code_and_description_as_the_message() {
    let answer = http::Response::builder()
        .status(400)
        .body(http_body_util::Full::new(bytes::Bytes::from_static(
            br#"{"error":"invalid_grant","error_description":"The refresh token was revoked."}"#,
        )))
        .unwrap();
    let error = spark_api::ApiError::from_response(answer).await;
    assert_eq!(error.status, 400);
    assert_eq!(
        error.message.as_deref(),
        Some("invalid_grant: The refresh token was revoked.")
    );

    let bare = spark_api::ApiError::from_answer(
        http::StatusCode::UNAUTHORIZED,
        None,
        None,
        bytes::Bytes::from_static(br#"{"error":"invalid_client"}"#),
    );
    assert_eq!(bare.message.as_deref(), Some("invalid_client"));
}
