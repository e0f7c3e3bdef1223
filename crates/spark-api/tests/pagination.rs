//! Lists as streams: every item exactly once across pages whose next links need repair, filters
//! on every page, foreign and repeated next links, early stops fetching no more pages than
//! needed, and page headers.

mod support;

use std::collections::HashSet;

use futures_util::{StreamExt, TryStreamExt};
use httpmock::MockServer;
use spark_api::Error;
use spark_model::{ListMessages, ListRooms};
use support::{BASE, Seen, json, mock_client, respond, scripted_client};

/// The ids of messages `range` as a list page body.
fn message_page(range: std::ops::Range<usize>) -> String {
    let items: Vec<String> = range
        .map(|n| format!(r#"{{"id":"M{n:04}","roomId":"R1","text":"message {n}"}}"#))
        .collect();
    format!(r#"{{"items":[{}]}}"#, items.join(","))
}

fn room_page(range: std::ops::Range<usize>) -> String {
    let items: Vec<String> = range
        .map(|n| format!(r#"{{"id":"ROOM{n:04}","title":"room {n}"}}"#))
        .collect();
    format!(r#"{{"items":[{}]}}"#, items.join(","))
}

fn next(link: &str) -> String {
    format!(r#"<{link}>; rel="next""#)
}

/// The `cursor` query parameter of a request, 0 when absent (the first page).
fn cursor(seen: &Seen) -> usize {
    seen.query("cursor").map_or(0, |c| c.parse().unwrap())
}

/// 1,037 messages in twelve pages: pages 0-4 and 6-10 hold 100, page 5 is empty, page 11 holds
/// the last 37. The link after page 2 says `max=null`; the link after page 4 lost `roomId` and
/// `mentionedPeople`.
fn messages_server(seen: &Seen) -> http::Response<spark_http::ResponseBody> {
    let page = cursor(seen);
    let items = match page {
        0..=4 => page * 100..page * 100 + 100,
        5 => 500..500,
        6..=10 => (page - 1) * 100..(page - 1) * 100 + 100,
        11 => 1000..1037,
        _ => return json(404, r#"{"message":"no such page"}"#),
    };
    let following = page + 1;
    let link = match page {
        2 => Some(format!(
            "{BASE}/messages?roomId=R1&mentionedPeople=me&max=null&cursor={following}"
        )),
        4 => Some(format!("{BASE}/messages?max=100&cursor={following}")),
        11 => None,
        _ => Some(format!(
            "{BASE}/messages?roomId=R1&mentionedPeople=me&max=100&cursor={following}"
        )),
    };
    let body = message_page(items);
    match link {
        Some(link) => respond(
            200,
            &[("content-type", "application/json"), ("link", &next(&link))],
            body,
        ),
        None => json(200, &body),
    }
}

#[tokio::test]
async fn every_item_comes_once_and_filters_reach_every_page() {
    let (client, log) = scripted_client(|_, seen| messages_server(seen));
    let params = ListMessages::new("R1").mentioned_people(["me"]).max(100);

    let messages: Vec<_> = client.messages().list(&params).try_collect().await.unwrap();

    let ids: Vec<String> = messages.into_iter().map(|m| m.id).collect();
    let expected: Vec<String> = (0..1037).map(|n| format!("M{n:04}")).collect();
    assert_eq!(ids.len(), 1037);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 1037);
    assert_eq!(ids, expected);

    let requests = log.all();
    assert_eq!(requests.len(), 12, "one request per page");
    for (page, seen) in requests.iter().enumerate() {
        assert_eq!(seen.method, http::Method::GET);
        assert_eq!(seen.uri.path(), "/v1/messages");
        assert_eq!(cursor(seen), page, "{}", seen.path_and_query());
        assert_eq!(
            seen.query("roomId").as_deref(),
            Some("R1"),
            "{}",
            seen.path_and_query()
        );
        assert_eq!(
            seen.query("mentionedPeople").as_deref(),
            Some("me"),
            "{}",
            seen.path_and_query()
        );
        assert_eq!(
            seen.query("max").as_deref(),
            Some("100"),
            "{}",
            seen.path_and_query()
        );
        let max_count = seen
            .query_pairs()
            .iter()
            .filter(|(k, _)| k == "max")
            .count();
        assert_eq!(max_count, 1, "{}", seen.path_and_query());
        assert_eq!(seen.header("authorization"), Some("Bearer T"));
    }
}

#[tokio::test]
async fn the_page_stream_exposes_headers_and_the_repaired_next_link() {
    let (client, log) = scripted_client(|_, seen| {
        let mut answer = messages_server(seen);
        answer.headers_mut().insert(
            "trackingid",
            format!("ROUTER_PAGE_{}", cursor(seen)).parse().unwrap(),
        );
        answer
    });
    let params = ListMessages::new("R1").mentioned_people(["me"]).max(100);

    let pages: Vec<_> = client
        .messages()
        .pages(&params)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(pages.len(), 12);
    assert_eq!(log.count(), 12);
    for (number, page) in pages.iter().enumerate() {
        assert_eq!(
            page.headers.get("trackingid").unwrap(),
            &format!("ROUTER_PAGE_{number}")
        );
        assert_eq!(page.headers.contains_key("link"), number != 11);
    }
    assert!(pages[5].items.is_empty());
    assert_eq!(pages[11].items.len(), 37);
    assert_eq!(pages[11].next, None);

    // The link after page 2 carried max=null: the one the stream follows has the caller's max.
    let repaired = pages[2].next.as_deref().unwrap();
    assert!(!repaired.contains("max=null"), "{repaired}");
    assert!(repaired.contains("max=100"), "{repaired}");
    assert!(repaired.contains("cursor=3"), "{repaired}");
    // The link after page 4 lost the filters: they are back.
    let repaired = pages[4].next.as_deref().unwrap();
    assert!(repaired.contains("roomId=R1"), "{repaired}");
    assert!(repaired.contains("mentionedPeople=me"), "{repaired}");
    assert!(repaired.contains("cursor=5"), "{repaired}");
}

#[tokio::test]
async fn a_next_link_to_another_origin_ends_the_stream_with_an_error() {
    let api = MockServer::start_async().await;
    let elsewhere = MockServer::start_async().await;
    let foreign_link = elsewhere.url("/v1/rooms?cursor=2");
    let stolen = elsewhere
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body(r#"{"items":[]}"#);
        })
        .await;
    let first = api
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v1/rooms")
                .query_param("max", "2")
                .header("authorization", "Bearer T");
            then.status(200)
                .header("content-type", "application/json")
                .header("link", next(&foreign_link))
                .body(room_page(0..2));
        })
        .await;
    let client = mock_client(&api);

    let outcomes: Vec<_> = client
        .rooms()
        .list(&ListRooms::new().max(2))
        .collect()
        .await;

    assert_eq!(outcomes.len(), 3, "two rooms, then the error, then the end");
    assert_eq!(outcomes[0].as_ref().unwrap().id, "ROOM0000");
    assert_eq!(outcomes[1].as_ref().unwrap().id, "ROOM0001");
    match &outcomes[2] {
        Err(Error::ForeignNextLink { url }) => {
            assert!(url.starts_with(&elsewhere.url("/v1/rooms")), "{url}");
        }
        other => panic!("expected ForeignNextLink, got {other:?}"),
    }
    assert_eq!(first.calls_async().await, 1);
    assert_eq!(
        stolen.calls_async().await,
        0,
        "nothing reached the other origin"
    );
}

#[tokio::test]
async fn a_next_link_that_points_back_at_itself_ends_the_stream() {
    let (client, log) = scripted_client(|_, seen| {
        let page = cursor(seen);
        // Page 1 links to itself, forever.
        let link = format!("{BASE}/rooms?max=2&cursor=1");
        respond(
            200,
            &[("content-type", "application/json"), ("link", &next(&link))],
            room_page(page * 2..page * 2 + 2),
        )
    });

    // `take` bounds the test should the stream loop; a sound stream ends long before.
    let rooms: Vec<_> = client
        .rooms()
        .list(&ListRooms::new().max(2))
        .take(100)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(log.count(), 2, "{:?}", log.all());
    let ids: Vec<_> = rooms.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["ROOM0000", "ROOM0001", "ROOM0002", "ROOM0003"]);
}

#[tokio::test]
async fn a_next_link_back_to_the_first_page_ends_the_stream() {
    let (client, log) = scripted_client(|_, seen| {
        let page = cursor(seen);
        let link = match page {
            0 => format!("{BASE}/rooms?max=2&cursor=1"),
            1 => format!("{BASE}/rooms?max=2&cursor=2"),
            // The last page links back to the first one, exactly as it was requested.
            _ => format!("{BASE}/rooms?max=2"),
        };
        respond(
            200,
            &[("content-type", "application/json"), ("link", &next(&link))],
            room_page(page * 2..page * 2 + 2),
        )
    });

    let rooms: Vec<_> = client
        .rooms()
        .list(&ListRooms::new().max(2))
        .take(100)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(log.count(), 3, "{:?}", log.all());
    assert_eq!(rooms.len(), 6);
    assert_eq!(
        rooms.iter().map(|r| &r.id).collect::<HashSet<_>>().len(),
        6,
        "no room twice"
    );
}

/// A list of 1,000 rooms served `page_size` at a time, linked by cursor.
fn thousand_rooms(
    page_size: usize,
) -> impl Fn(usize, &Seen) -> http::Response<spark_http::ResponseBody> {
    move |_, seen| {
        let page = cursor(seen);
        let start = page * page_size;
        let end = (start + page_size).min(1000);
        let body = room_page(start..end);
        if end < 1000 {
            let link = format!("{BASE}/rooms?cursor={}", page + 1);
            respond(
                200,
                &[("content-type", "application/json"), ("link", &next(&link))],
                body,
            )
        } else {
            json(200, &body)
        }
    }
}

#[tokio::test]
async fn limit_ten_fetches_only_the_first_page() {
    let (client, log) = scripted_client(thousand_rooms(100));

    let rooms: Vec<_> = client
        .rooms()
        .list(&ListRooms::new())
        .limit(10)
        .try_collect()
        .await
        .unwrap();

    assert_eq!(rooms.len(), 10);
    assert_eq!(rooms[9].id, "ROOM0009");
    assert_eq!(log.count(), 1);
}

#[tokio::test]
async fn a_limit_ending_on_a_page_boundary_fetches_no_further_page() {
    let (client, log) = scripted_client(thousand_rooms(5));

    let limited: Vec<_> = client
        .rooms()
        .list(&ListRooms::new())
        .limit(10)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(limited.len(), 10);
    assert_eq!(log.count(), 2, "the tenth room is the last of page two");

    let all: Vec<_> = client
        .rooms()
        .list(&ListRooms::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1000);
    assert_eq!(log.count(), 2 + 200);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_after_the_items_before_it() {
    let (client, log) = scripted_client(|_, seen| match cursor(seen) {
        0 => respond(
            200,
            &[
                ("content-type", "application/json"),
                ("link", &next(&format!("{BASE}/rooms?cursor=1"))),
            ],
            room_page(0..3),
        ),
        _ => respond(
            404,
            &[("trackingid", "ROUTER_GONE")],
            r#"{"message":"The requested resource could not be found."}"#,
        ),
    });

    let outcomes: Vec<_> = client.rooms().list(&ListRooms::new()).collect().await;

    assert_eq!(outcomes.len(), 4);
    assert!(outcomes[..3].iter().all(Result::is_ok));
    let error = outcomes[3].as_ref().unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    assert_eq!(error.tracking_id(), Some("ROUTER_GONE"));
    assert_eq!(log.count(), 2);
}

#[tokio::test]
async fn the_first_request_carries_the_callers_query() {
    let (client, log) = scripted_client(|_, _| json(200, r#"{"items":[]}"#));

    let rooms: Vec<_> = client
        .rooms()
        .list(
            &ListRooms::new()
                .team_id("TEAM 1")
                .room_type(spark_model::RoomType::Group)
                .max(7),
        )
        .try_collect()
        .await
        .unwrap();

    assert!(rooms.is_empty());
    assert_eq!(
        log.last().path_and_query(),
        "/v1/rooms?teamId=TEAM+1&type=group&max=7"
    );
}

#[tokio::test]
async fn a_next_link_to_a_trusted_origin_is_followed_with_the_token() {
    let (service, log) = support::scripted(|_, seen| {
        if seen.uri.host() == Some("127.0.0.1") {
            respond(
                200,
                &[
                    ("content-type", "application/json"),
                    ("link", &next("http://127.0.0.2:9/v1/rooms?cursor=1")),
                ],
                room_page(0..2),
            )
        } else {
            json(200, &room_page(2..4))
        }
    });
    let client = support::test_builder()
        .base_url(BASE)
        .unwrap()
        .trust_origin("http://127.0.0.2:9")
        .unwrap()
        .build_with_service(service);

    let rooms: Vec<_> = client
        .rooms()
        .list(&ListRooms::new())
        .try_collect()
        .await
        .unwrap();

    assert_eq!(rooms.len(), 4);
    let requests = log.all();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].uri.host(), Some("127.0.0.2"));
    assert_eq!(requests[1].header("authorization"), Some("Bearer T"));
}

#[tokio::test]
async fn a_limit_of_zero_makes_no_request() {
    let (client, log) = scripted_client(thousand_rooms(100));
    let rooms: Vec<_> = client
        .rooms()
        .list(&ListRooms::new())
        .limit(0)
        .try_collect()
        .await
        .unwrap();
    assert!(rooms.is_empty());
    assert_eq!(log.count(), 0);
}
