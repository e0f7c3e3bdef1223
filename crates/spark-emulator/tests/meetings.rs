//! Meetings and meeting invitees over raw HTTP, with the field names of the official Meetings
//! API spec.

mod support;

use chrono::{DateTime, Duration, Utc};
use http::{Method, StatusCode};
use serde_json::{Value, json};
use spark_emulator::{ADMIN_EMAIL, Emulator};
use support::{Raw, raw};

/// Calls `path` (below `/v1`) with this token and JSON body.
async fn call(
    emulator: &Emulator,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Raw {
    let url = if path.starts_with("http") {
        path.to_owned()
    } else {
        format!("{}{path}", emulator.base_url())
    };
    match body {
        Some(body) => {
            raw(
                method,
                &url,
                Some(token),
                Some("application/json"),
                body.to_string(),
            )
            .await
        }
        None => raw(method, &url, Some(token), None, "").await,
    }
}

/// A time `hours` from now, as the API takes it.
fn in_hours(hours: i64) -> String {
    (Utc::now() + Duration::hours(hours)).to_rfc3339()
}

fn time(value: &Value) -> DateTime<Utc> {
    value.as_str().unwrap().parse().unwrap()
}

fn ids(answer: &Raw) -> Vec<String> {
    answer.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

fn message(answer: &Raw) -> String {
    answer.json()["message"].as_str().unwrap().to_owned()
}

/// The URL of the `rel="next"` link, if any.
fn next_link(answer: &Raw) -> Option<String> {
    let link = answer.header("link")?;
    let url = link.split_once('<')?.1.split_once('>')?.0;
    link.contains("rel=\"next\"").then(|| url.to_owned())
}

/// Schedules a meeting `hours` from now, an hour long; its JSON.
async fn schedule(emulator: &Emulator, token: &str, title: &str, hours: i64) -> Value {
    let answer = call(
        emulator,
        token,
        Method::POST,
        "/meetings",
        Some(json!({"title": title, "start": in_hours(hours), "end": in_hours(hours + 1)})),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.json());
    answer.json()
}

#[tokio::test]
async fn a_meeting_is_scheduled_and_its_join_link_never_changes() {
    let emulator = Emulator::start().await.unwrap();
    let ada = emulator.access_token();
    let start = Utc::now() + Duration::days(1);
    let created = call(
        &emulator,
        &ada,
        Method::POST,
        "/meetings",
        Some(json!({
            "title": "Example Daily Meeting",
            "agenda": "Example Agenda",
            "start": start.to_rfc3339(),
            "end": (start + Duration::minutes(45)).to_rfc3339(),
            "timezone": "Asia/Shanghai",
            "enabledJoinBeforeHost": true,
            "invitees": [{"email": "grace@example.com"}, {"email": "someone@elsewhere.com", "displayName": "Someone"}],
        })),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK);
    let meeting = created.json();
    let id = meeting["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(meeting["meetingType"], "meetingSeries");
    assert_eq!(meeting["state"], "active");
    assert_eq!(meeting["title"], "Example Daily Meeting");
    assert_eq!(meeting["agenda"], "Example Agenda");
    assert_eq!(meeting["timezone"], "Asia/Shanghai");
    assert_eq!(meeting["enabledJoinBeforeHost"], true);
    assert_eq!(meeting["enabledAutoRecordMeeting"], false);
    assert_eq!(meeting["hostEmail"], "ada@example.com");
    assert_eq!(meeting["hostUserId"], emulator.me().id.as_str());
    assert_eq!(meeting["hostDisplayName"], "Ada Lovelace");
    assert!(!meeting["password"].as_str().unwrap().is_empty());
    // Times are kept to the minute.
    let kept = time(&meeting["start"]);
    assert_eq!(kept.timestamp() % 60, 0);
    assert!((kept - start).num_seconds().abs() < 60);
    assert_eq!((time(&meeting["end"]) - kept).num_minutes(), 45);

    let number = meeting["meetingNumber"].as_str().unwrap().to_owned();
    let web_link = meeting["webLink"].as_str().unwrap().to_owned();
    assert_eq!(number.len(), 10);
    assert!(web_link.starts_with("https://example.webex.com/"));
    assert_eq!(meeting["sipAddress"], format!("{number}@example.webex.com"));
    assert_eq!(meeting["siteUrl"], "example.webex.com");

    let path = format!("/meetings/{id}");
    let read = call(&emulator, &ada, Method::GET, &path, None).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json(), meeting);
    let patched = call(
        &emulator,
        &ada,
        Method::PATCH,
        &path,
        Some(json!({"title": "Renamed", "start": in_hours(30), "end": in_hours(31)})),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK);
    let patched = patched.json();
    assert_eq!(patched["title"], "Renamed");
    assert_eq!(patched["agenda"], "Example Agenda");
    for field in ["id", "meetingNumber", "webLink", "sipAddress", "hostKey"] {
        assert_eq!(patched[field], meeting[field], "{field}");
    }

    // The scheduled meeting of the series: `current=true`, or its own id.
    let current = call(
        &emulator,
        &ada,
        Method::GET,
        &format!("{path}?current=true"),
        None,
    )
    .await;
    let current = current.json();
    assert_eq!(current["meetingType"], "scheduledMeeting");
    assert_eq!(current["meetingSeriesId"], id.as_str());
    assert_eq!(current["state"], "scheduled");
    assert_eq!(current["webLink"], web_link.as_str());
    let scheduled_id = current["id"].as_str().unwrap();
    assert!(scheduled_id.starts_with(&format!("{id}_")));
    let by_id = call(
        &emulator,
        &ada,
        Method::GET,
        &format!("/meetings/{scheduled_id}"),
        None,
    )
    .await;
    assert_eq!(by_id.json(), current);

    // An invitee reads it; nobody else sees it.
    let grace = emulator.token_for("grace@example.com").unwrap();
    let seen = call(&emulator, &grace, Method::GET, &path, None).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.json()["webLink"], web_link.as_str());
    let alan = emulator.token_for("alan@example.com").unwrap();
    let hidden = call(&emulator, &alan, Method::GET, &path, None).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(hidden.json()["trackingId"].is_string());
}

#[tokio::test]
async fn bad_meetings_are_refused_naming_the_field() {
    let emulator = Emulator::start().await.unwrap();
    let ada = emulator.access_token();
    let start = in_hours(2);
    let end = in_hours(3);
    for (body, field) in [
        (json!({"start": start, "end": end}), "title"),
        (json!({"title": "x", "end": end}), "start"),
        (json!({"title": "x", "start": start}), "end"),
        (json!({"title": "", "start": start, "end": end}), "title"),
        (json!({"title": "x", "start": "soon", "end": end}), "start"),
        (json!({"title": "x", "start": end, "end": start}), "end"),
        (
            json!({"title": "x", "start": in_hours(-2), "end": end}),
            "start",
        ),
        (json!({"title": 7, "start": start, "end": end}), "title"),
        (
            json!({"title": "x", "start": start, "end": end, "publicMeeting": "yes"}),
            "publicMeeting",
        ),
    ] {
        let answer = call(
            &emulator,
            &ada,
            Method::POST,
            "/meetings",
            Some(body.clone()),
        )
        .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            message(&answer).contains(field),
            "{body}: {}",
            message(&answer)
        );
        assert!(answer.json()["errors"][0]["description"].is_string());
    }
    let short = call(
        &emulator,
        &ada,
        Method::POST,
        "/meetings",
        Some(json!({"title": "x", "start": start, "end": (Utc::now() + Duration::hours(2) + Duration::minutes(5)).to_rfc3339()})),
    )
    .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(message(&short).contains("10 minutes"));

    let not_json = raw(
        Method::POST,
        &format!("{}/meetings", emulator.base_url()),
        Some(&ada),
        Some("application/json"),
        "{",
    )
    .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);

    let unknown = call(
        &emulator,
        &ada,
        Method::GET,
        "/meetings/00000000000000000000000000000000",
        None,
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    // The meetings' other operations answer from the spec's examples, without state.
    let other_operation = call(&emulator, &ada, Method::GET, "/meetings/templates", None).await;
    assert_eq!(other_operation.status, StatusCode::OK);
    let wrong_method = call(&emulator, &ada, Method::DELETE, "/meetings", None).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn lists_filter_by_type_state_and_window_and_page_with_links() {
    let emulator = Emulator::start().await.unwrap();
    let ada = emulator.access_token();
    // Created out of order: the list is in start order.
    let third = schedule(&emulator, &ada, "third", 72).await;
    let first = schedule(&emulator, &ada, "first", 24).await;
    let second = schedule(&emulator, &ada, "second", 48).await;
    let later = schedule(&emulator, &ada, "in ten days", 240).await;
    let id = |meeting: &Value| meeting["id"].as_str().unwrap().to_owned();

    // By default: the meeting series of the coming week.
    let week = call(&emulator, &ada, Method::GET, "/meetings", None).await;
    assert_eq!(week.status, StatusCode::OK);
    assert_eq!(ids(&week), [id(&first), id(&second), id(&third)]);
    assert!(next_link(&week).is_none());

    // Pages of `max`, followed by their links.
    let page = call(&emulator, &ada, Method::GET, "/meetings?max=2", None).await;
    assert_eq!(ids(&page), [id(&first), id(&second)]);
    let next = next_link(&page).expect("a next link");
    let rest = call(&emulator, &ada, Method::GET, &next, None).await;
    assert_eq!(ids(&rest), [id(&third)]);
    assert!(next_link(&rest).is_none());

    // A wider window.
    let window = format!(
        "/meetings?from={}&to={}",
        urlencode(&in_hours(0)),
        urlencode(&in_hours(24 * 11))
    );
    let all = call(&emulator, &ada, Method::GET, &window, None).await;
    assert_eq!(ids(&all).len(), 4);
    assert_eq!(ids(&all)[3], id(&later));

    // Scheduled meetings of the week, by state.
    let scheduled = call(
        &emulator,
        &ada,
        Method::GET,
        "/meetings?meetingType=scheduledMeeting&state=scheduled",
        None,
    )
    .await;
    let scheduled = scheduled.json();
    let items = scheduled["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(
        items
            .iter()
            .all(|item| item["meetingType"] == "scheduledMeeting")
    );
    assert_eq!(items[0]["meetingSeriesId"], first["id"]);
    for (query, expected) in [
        ("meetingType=meetingSeries&state=active", 3),
        ("state=expired", 0),
        ("meetingType=scheduledMeeting&state=missed", 0),
        ("meetingType=meeting", 0),
    ] {
        let answer = call(
            &emulator,
            &ada,
            Method::GET,
            &format!("/meetings?{query}"),
            None,
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{query}");
        assert_eq!(ids(&answer).len(), expected, "{query}");
    }

    // By meeting number or web link, whatever the window.
    let number = later["meetingNumber"].as_str().unwrap();
    let by_number = call(
        &emulator,
        &ada,
        Method::GET,
        &format!("/meetings?meetingNumber={number}"),
        None,
    )
    .await;
    assert_eq!(ids(&by_number), [id(&later)]);
    let link = later["webLink"].as_str().unwrap();
    let by_link = call(
        &emulator,
        &ada,
        Method::GET,
        &format!("/meetings?webLink={}", urlencode(link)),
        None,
    )
    .await;
    assert_eq!(ids(&by_link), [id(&later)]);

    // Others see none of Ada's meetings.
    let alan = emulator.token_for("alan@example.com").unwrap();
    let none = call(&emulator, &alan, Method::GET, "/meetings", None).await;
    assert!(ids(&none).is_empty());

    for query in [
        "meetingType=webinar",
        "state=sleeping",
        "from=yesterday",
        "from=2030-01-02&to=2030-01-01",
        "max=0",
    ] {
        let answer = call(
            &emulator,
            &ada,
            Method::GET,
            &format!("/meetings?{query}"),
            None,
        )
        .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
    }
}

fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn put_replaces_patch_changes_and_delete_removes() {
    let emulator = Emulator::start().await.unwrap();
    let ada = emulator.access_token();
    let meeting = call(
        &emulator,
        &ada,
        Method::POST,
        "/meetings",
        Some(json!({
            "title": "Weekly",
            "agenda": "Numbers",
            "start": in_hours(5),
            "end": in_hours(6),
            "recurrence": "FREQ=WEEKLY;INTERVAL=1",
            "reminderTime": 30,
            "invitees": [{"email": "grace@example.com"}],
        })),
    )
    .await
    .json();
    assert_eq!(meeting["recurrence"], "FREQ=WEEKLY;INTERVAL=1");
    let path = format!("/meetings/{}", meeting["id"].as_str().unwrap());

    let incomplete = call(
        &emulator,
        &ada,
        Method::PUT,
        &path,
        Some(json!({"title": "x"})),
    )
    .await;
    assert_eq!(incomplete.status, StatusCode::BAD_REQUEST);
    assert!(message(&incomplete).contains("start"));

    let patched = call(
        &emulator,
        &ada,
        Method::PATCH,
        &path,
        Some(json!({"agenda": null, "enabledJoinBeforeHost": true})),
    )
    .await
    .json();
    assert!(patched.get("agenda").is_none());
    assert_eq!(patched["title"], "Weekly");
    assert_eq!(patched["reminderTime"], 30);
    assert_eq!(patched["enabledJoinBeforeHost"], true);
    assert_eq!(patched["recurrence"], meeting["recurrence"]);

    let replaced = call(
        &emulator,
        &ada,
        Method::PUT,
        &path,
        Some(json!({"title": "Once", "start": in_hours(7), "end": in_hours(8)})),
    )
    .await;
    assert_eq!(replaced.status, StatusCode::OK);
    let replaced = replaced.json();
    assert_eq!(replaced["title"], "Once");
    assert!(replaced.get("recurrence").is_none());
    assert_eq!(replaced["reminderTime"], 10, "back to the default");
    assert_eq!(replaced["enabledJoinBeforeHost"], false);
    assert_eq!(replaced["webLink"], meeting["webLink"]);
    let read = call(&emulator, &ada, Method::GET, &path, None).await.json();
    assert_eq!(read, replaced);

    // An invitee may read but not change or delete it.
    let grace = emulator.token_for("grace@example.com").unwrap();
    let refused = call(
        &emulator,
        &grace,
        Method::PATCH,
        &path,
        Some(json!({"title": "Mine"})),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = call(&emulator, &grace, Method::DELETE, &path, None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let deleted = call(&emulator, &ada, Method::DELETE, &path, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = call(&emulator, &ada, Method::GET, &path, None).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let invitees = call(
        &emulator,
        &ada,
        Method::GET,
        &format!(
            "/meetingInvitees?meetingId={}",
            meeting["id"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(invitees.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn invitees_are_listed_added_changed_and_removed() {
    let emulator = Emulator::start().await.unwrap();
    let ada = emulator.access_token();
    let meeting = schedule(&emulator, &ada, "Review", 3).await;
    let meeting_id = meeting["id"].as_str().unwrap();
    let list_path = format!("/meetingInvitees?meetingId={meeting_id}");

    let no_meeting = call(&emulator, &ada, Method::GET, "/meetingInvitees", None).await;
    assert_eq!(no_meeting.status, StatusCode::BAD_REQUEST);
    assert!(message(&no_meeting).contains("meetingId"));
    let empty = call(&emulator, &ada, Method::GET, &list_path, None).await;
    assert!(ids(&empty).is_empty());

    let created = call(
        &emulator,
        &ada,
        Method::POST,
        "/meetingInvitees",
        Some(json!({"meetingId": meeting_id, "email": "grace@example.com", "sendEmail": false})),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK);
    let grace = created.json();
    let grace_id = grace["id"].as_str().unwrap().to_owned();
    assert!(grace_id.starts_with(&format!("{meeting_id}_")));
    assert_eq!(grace["meetingId"], meeting_id);
    assert_eq!(grace["displayName"], "Grace Hopper");
    assert_eq!(grace["coHost"], false);
    assert_eq!(grace["panelist"], false);

    let twice = call(
        &emulator,
        &ada,
        Method::POST,
        "/meetingInvitees",
        Some(json!({"meetingId": meeting_id, "email": "GRACE@example.com"})),
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let no_email = call(
        &emulator,
        &ada,
        Method::POST,
        "/meetingInvitees",
        Some(json!({"meetingId": meeting_id})),
    )
    .await;
    assert_eq!(no_email.status, StatusCode::BAD_REQUEST);
    assert!(message(&no_email).contains("email"));

    let bulk = call(
        &emulator,
        &ada,
        Method::POST,
        "/meetingInvitees/bulkInsert",
        Some(json!({"meetingId": meeting_id, "items": [
            {"email": "alan@example.com", "panelist": true},
            {"email": "jack.andersen@example.com", "displayName": "Jack Andersen"},
        ]})),
    )
    .await;
    assert_eq!(bulk.status, StatusCode::OK);
    assert_eq!(ids(&bulk).len(), 2);
    assert_eq!(bulk.json()["items"][1]["displayName"], "Jack Andersen");

    let page = call(
        &emulator,
        &ada,
        Method::GET,
        &format!("{list_path}&max=2"),
        None,
    )
    .await;
    assert_eq!(ids(&page).len(), 2);
    assert_eq!(ids(&page)[0], grace_id);
    let rest = call(
        &emulator,
        &ada,
        Method::GET,
        &next_link(&page).unwrap(),
        None,
    )
    .await;
    assert_eq!(ids(&rest).len(), 1);
    let panelists = call(
        &emulator,
        &ada,
        Method::GET,
        &format!("{list_path}&panelist=true"),
        None,
    )
    .await;
    assert_eq!(panelists.json()["items"][0]["email"], "alan@example.com");

    let item = format!("/meetingInvitees/{grace_id}");
    let read = call(&emulator, &ada, Method::GET, &item, None).await;
    assert_eq!(read.json(), grace);
    let updated = call(
        &emulator,
        &ada,
        Method::PUT,
        &item,
        Some(json!({"email": "grace@example.com", "displayName": "Amazing Grace", "coHost": true})),
    )
    .await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.json()["displayName"], "Amazing Grace");
    assert_eq!(updated.json()["coHost"], true);
    assert_eq!(
        call(&emulator, &ada, Method::GET, &item, None).await.json(),
        updated.json()
    );

    // The invitee now sees the meeting and its invitees, but does not manage them.
    let grace_token = emulator.token_for("grace@example.com").unwrap();
    let seen = call(&emulator, &grace_token, Method::GET, &list_path, None).await;
    assert_eq!(ids(&seen).len(), 3);
    let refused = call(&emulator, &grace_token, Method::DELETE, &item, None).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let barbara = emulator.token_for("barbara@example.com").unwrap();
    let hidden = call(&emulator, &barbara, Method::GET, &item, None).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    let deleted = call(&emulator, &ada, Method::DELETE, &item, None).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = call(&emulator, &ada, Method::GET, &item, None).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let left = call(&emulator, &ada, Method::GET, &list_path, None).await;
    assert_eq!(ids(&left).len(), 2);
}

#[tokio::test]
async fn an_administrator_schedules_for_another_host() {
    let emulator = Emulator::start().await.unwrap();
    let admin = emulator.admin_token();
    let body = json!({
        "title": "On behalf",
        "start": in_hours(4),
        "end": in_hours(5),
        "hostEmail": "grace@example.com",
    });
    let meeting = call(
        &emulator,
        &admin,
        Method::POST,
        "/meetings",
        Some(body.clone()),
    )
    .await;
    assert_eq!(meeting.status, StatusCode::OK);
    assert_eq!(meeting.json()["hostEmail"], "grace@example.com");
    let grace = emulator.token_for("grace@example.com").unwrap();
    let listed = call(&emulator, &grace, Method::GET, "/meetings", None).await;
    assert_eq!(ids(&listed), [meeting.json()["id"].as_str().unwrap()]);
    let as_grace = call(
        &emulator,
        &admin,
        Method::GET,
        "/meetings?hostEmail=grace%40example.com",
        None,
    )
    .await;
    assert_eq!(ids(&as_grace).len(), 1);
    let own = call(&emulator, &admin, Method::GET, "/meetings", None).await;
    assert!(ids(&own).is_empty());

    // Anyone else's `hostEmail` is ignored: they host it themselves.
    let ada = emulator.access_token();
    let own = call(&emulator, &ada, Method::POST, "/meetings", Some(body)).await;
    assert_eq!(own.json()["hostEmail"], "ada@example.com");
    assert_ne!(own.json()["hostEmail"], ADMIN_EMAIL);
}
