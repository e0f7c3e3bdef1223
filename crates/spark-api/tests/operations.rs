//! Every operation of every service: the method, path, query and JSON body it sends, and the
//! answer it decodes. Ids with reserved characters are percent-encoded as one path segment.

mod support;

use std::future::Future;

use futures_util::TryStreamExt;
use serde_json::{Value, json};
use spark_api::Client;
use spark_model::*;
use support::{BASE, Seen, json as json_answer, respond, scripted_client};

/// An id with every character that must be escaped in a path segment.
const ODD_ID: &str = "Y2lz+a/b=";
const ODD_ID_ENCODED: &str = "Y2lz%2Ba%2Fb%3D";

/// Runs `call` on a client whose server answers `status` with `answer`, and returns the one
/// request it sent with the call's outcome.
async fn exchange<T, F, Fut>(status: u16, answer: &'static str, call: F) -> (Seen, T)
where
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = spark_api::Result<T>>,
{
    let (client, log) = scripted_client(move |_, _| {
        if answer.is_empty() {
            respond(status, &[], bytes::Bytes::new())
        } else {
            json_answer(status, answer)
        }
    });
    let outcome = call(client).await.expect("the call succeeds");
    assert_eq!(log.count(), 1, "{:?}", log.all());
    (log.last(), outcome)
}

/// Checks the method, the path with its query, the JSON body (or its absence) and the token.
fn expect(seen: &Seen, method: &str, path_and_query: &str, body: Option<Value>) {
    assert_eq!(seen.header("authorization"), Some("Bearer T"));
    assert_eq!(seen.method.as_str(), method, "{}", seen.path_and_query());
    assert_eq!(seen.path_and_query(), path_and_query);
    match body {
        Some(expected) => {
            assert_eq!(seen.header("content-type"), Some("application/json"));
            assert_eq!(seen.json(), expected, "{}", seen.path_and_query());
        }
        None => assert!(
            seen.body.is_empty(),
            "{} sent a body: {:?}",
            seen.path_and_query(),
            seen.body
        ),
    }
}

async fn collect<T: Send + 'static>(stream: spark_api::ListStream<T>) -> spark_api::Result<Vec<T>> {
    stream.try_collect().await
}

#[tokio::test]
async fn people() {
    let (seen, people) = exchange(
        200,
        r#"{"items":[{"id":"P1","displayName":"Ann","emails":["ann@example.com"]}]}"#,
        |c| async move {
            collect(
                c.people()
                    .list(&ListPeople::new().email("ann@example.com").max(10)),
            )
            .await
        },
    )
    .await;
    expect(
        &seen,
        "GET",
        "/v1/people?email=ann%40example.com&max=10",
        None,
    );
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].display_name.as_deref(), Some("Ann"));

    let (seen, person) = exchange(
        200,
        r#"{"id":"P1","type":"bot","status":"active"}"#,
        |c| async move { c.people().get(ODD_ID).await },
    )
    .await;
    expect(&seen, "GET", &format!("/v1/people/{ODD_ID_ENCODED}"), None);
    assert_eq!(person.person_type, Some(PersonType::Bot));
    assert_eq!(person.status, Some(PersonStatus::Active));

    let (seen, me) = exchange(200, r#"{"id":"ME","nickName":"me"}"#, |c| async move {
        c.people().me().await
    })
    .await;
    expect(&seen, "GET", "/v1/people/me", None);
    assert_eq!(me.id, "ME");

    let (seen, created) = exchange(200, r#"{"id":"P2","firstName":"Bo"}"#, |c| async move {
        c.people()
            .create(&CreatePerson::new("bo@example.com").first_name("Bo"))
            .await
    })
    .await;
    expect(
        &seen,
        "POST",
        "/v1/people",
        Some(json!({"emails": ["bo@example.com"], "firstName": "Bo"})),
    );
    assert_eq!(created.first_name.as_deref(), Some("Bo"));

    let (seen, updated) = exchange(200, r#"{"id":"P2","displayName":"Bo B"}"#, |c| async move {
        c.people()
            .update("P2", &UpdatePerson::new("Bo B").title("Chef"))
            .await
    })
    .await;
    expect(
        &seen,
        "PUT",
        "/v1/people/P2",
        Some(json!({"displayName": "Bo B", "title": "Chef"})),
    );
    assert_eq!(updated.display_name.as_deref(), Some("Bo B"));

    let (seen, ()) = exchange(204, "", |c| async move { c.people().delete(ODD_ID).await }).await;
    expect(
        &seen,
        "DELETE",
        &format!("/v1/people/{ODD_ID_ENCODED}"),
        None,
    );
}

#[tokio::test]
async fn rooms() {
    let (seen, rooms) = exchange(
        200,
        r#"{"items":[{"id":"R1","title":"Ops","type":"group"}]}"#,
        |c| async move {
            collect(
                c.rooms().list(
                    &ListRooms::new()
                        .team_id("T1")
                        .sort_by(RoomSortBy::LastActivity)
                        .max(50),
                ),
            )
            .await
        },
    )
    .await;
    expect(
        &seen,
        "GET",
        "/v1/rooms?teamId=T1&sortBy=lastactivity&max=50",
        None,
    );
    assert_eq!(rooms[0].room_type, Some(RoomType::Group));

    let (seen, room) = exchange(200, r#"{"id":"R1","isLocked":true}"#, |c| async move {
        c.rooms().get(ODD_ID).await
    })
    .await;
    expect(&seen, "GET", &format!("/v1/rooms/{ODD_ID_ENCODED}"), None);
    assert_eq!(room.is_locked, Some(true));

    let (seen, room) = exchange(200, r#"{"id":"R2","title":"Design"}"#, |c| async move {
        c.rooms()
            .create(&CreateRoom::new("Design").team_id("T1"))
            .await
    })
    .await;
    expect(
        &seen,
        "POST",
        "/v1/rooms",
        Some(json!({"title": "Design", "teamId": "T1"})),
    );
    assert_eq!(room.id, "R2");

    let (seen, room) = exchange(200, r#"{"id":"R2","title":"Design 2"}"#, |c| async move {
        c.rooms()
            .update(ODD_ID, &UpdateRoom::new("Design 2").is_locked(false))
            .await
    })
    .await;
    expect(
        &seen,
        "PUT",
        &format!("/v1/rooms/{ODD_ID_ENCODED}"),
        Some(json!({"title": "Design 2", "isLocked": false})),
    );
    assert_eq!(room.title.as_deref(), Some("Design 2"));

    let (seen, ()) = exchange(204, "", |c| async move { c.rooms().delete("R2").await }).await;
    expect(&seen, "DELETE", "/v1/rooms/R2", None);

    let (seen, info) = exchange(
        200,
        r#"{"roomId":"R1","meetingLink":"https://meet.example/j/1","sipAddress":"1@example.com","meetingNumber":"123"}"#,
        |c| async move { c.rooms().meeting_info(ODD_ID).await },
    )
    .await;
    expect(
        &seen,
        "GET",
        &format!("/v1/rooms/{ODD_ID_ENCODED}/meetingInfo"),
        None,
    );
    assert_eq!(
        info.meeting_link.as_deref(),
        Some("https://meet.example/j/1")
    );
    assert_eq!(info.meeting_number.as_deref(), Some("123"));
}

#[tokio::test]
async fn memberships() {
    let (seen, memberships) = exchange(
        200,
        r#"{"items":[{"id":"MB1","roomId":"R1","isModerator":"true"}]}"#,
        |c| async move {
            collect(
                c.memberships()
                    .list(&ListMemberships::in_room("R1").person_email("a@example.com")),
            )
            .await
        },
    )
    .await;
    expect(
        &seen,
        "GET",
        "/v1/memberships?roomId=R1&personEmail=a%40example.com",
        None,
    );
    assert_eq!(memberships[0].is_moderator, Some(true));

    let (seen, membership) = exchange(200, r#"{"id":"MB1","personId":"P1"}"#, |c| async move {
        c.memberships().get(ODD_ID).await
    })
    .await;
    expect(
        &seen,
        "GET",
        &format!("/v1/memberships/{ODD_ID_ENCODED}"),
        None,
    );
    assert_eq!(membership.person_id.as_deref(), Some("P1"));

    let (seen, membership) = exchange(200, r#"{"id":"MB2"}"#, |c| async move {
        c.memberships()
            .create(&CreateMembership::with_person_email("R1", "b@example.com").is_moderator(true))
            .await
    })
    .await;
    expect(
        &seen,
        "POST",
        "/v1/memberships",
        Some(json!({"roomId": "R1", "personEmail": "b@example.com", "isModerator": true})),
    );
    assert_eq!(membership.id, "MB2");

    let (seen, membership) = exchange(200, r#"{"id":"MB2","isRoomHidden":true}"#, |c| async move {
        c.memberships()
            .update("MB2", &UpdateMembership::new(false, true))
            .await
    })
    .await;
    expect(
        &seen,
        "PUT",
        "/v1/memberships/MB2",
        Some(json!({"isModerator": false, "isRoomHidden": true})),
    );
    assert_eq!(membership.is_room_hidden, Some(true));

    let (seen, ()) = exchange(
        204,
        "",
        |c| async move { c.memberships().delete("MB2").await },
    )
    .await;
    expect(&seen, "DELETE", "/v1/memberships/MB2", None);
}

#[tokio::test]
async fn messages() {
    let (seen, messages) = exchange(
        200,
        r#"{"items":[{"id":"M1","parentId":"M0","text":"reply"}]}"#,
        |c| async move {
            collect(
                c.messages()
                    .list(&ListMessages::new("R1").parent_id("M0").max(3)),
            )
            .await
        },
    )
    .await;
    expect(
        &seen,
        "GET",
        "/v1/messages?roomId=R1&parentId=M0&max=3",
        None,
    );
    assert!(messages[0].is_reply());

    let (seen, direct) = exchange(
        200,
        r#"{"items":[{"id":"M2","roomType":"direct"}]}"#,
        |c| async move {
            collect(
                c.messages()
                    .list_direct(&ListDirectMessages::with_person_email("a@example.com")),
            )
            .await
        },
    )
    .await;
    expect(
        &seen,
        "GET",
        "/v1/messages/direct?personEmail=a%40example.com",
        None,
    );
    assert_eq!(direct[0].room_type, Some(RoomType::Direct));

    let (seen, message) = exchange(200, r#"{"id":"M1","html":"<p>hi</p>"}"#, |c| async move {
        c.messages().get(ODD_ID).await
    })
    .await;
    expect(
        &seen,
        "GET",
        &format!("/v1/messages/{ODD_ID_ENCODED}"),
        None,
    );
    assert_eq!(message.html.as_deref(), Some("<p>hi</p>"));

    let (seen, message) = exchange(200, r#"{"id":"M3","markdown":"**hi**"}"#, |c| async move {
        c.messages()
            .create(&CreateMessage::to_room("R1").markdown("**hi**"))
            .await
    })
    .await;
    expect(
        &seen,
        "POST",
        "/v1/messages",
        Some(json!({"roomId": "R1", "markdown": "**hi**"})),
    );
    assert_eq!(message.id, "M3");

    let (seen, message) = exchange(200, r#"{"id":"M3","text":"edited"}"#, |c| async move {
        c.messages()
            .update("M3", &UpdateMessage::new("R1").text("edited"))
            .await
    })
    .await;
    expect(
        &seen,
        "PUT",
        "/v1/messages/M3",
        Some(json!({"roomId": "R1", "text": "edited"})),
    );
    assert_eq!(message.text.as_deref(), Some("edited"));

    let (seen, ()) = exchange(
        204,
        "",
        |c| async move { c.messages().delete(ODD_ID).await },
    )
    .await;
    expect(
        &seen,
        "DELETE",
        &format!("/v1/messages/{ODD_ID_ENCODED}"),
        None,
    );
}

#[tokio::test]
async fn teams() {
    let (seen, teams) = exchange(
        200,
        r#"{"items":[{"id":"T1","name":"Ops"}]}"#,
        |c| async move { collect(c.teams().list(&ListTeams::new().max(5))).await },
    )
    .await;
    expect(&seen, "GET", "/v1/teams?max=5", None);
    assert_eq!(teams[0].name.as_deref(), Some("Ops"));

    let (seen, team) = exchange(200, r#"{"id":"T1","description":"d"}"#, |c| async move {
        c.teams().get(ODD_ID).await
    })
    .await;
    expect(&seen, "GET", &format!("/v1/teams/{ODD_ID_ENCODED}"), None);
    assert_eq!(team.description.as_deref(), Some("d"));

    let (seen, team) = exchange(200, r#"{"id":"T2","name":"New"}"#, |c| async move {
        c.teams()
            .create(&CreateTeam::new("New").description("A team"))
            .await
    })
    .await;
    expect(
        &seen,
        "POST",
        "/v1/teams",
        Some(json!({"name": "New", "description": "A team"})),
    );
    assert_eq!(team.id, "T2");

    let (seen, team) = exchange(200, r#"{"id":"T2","name":"Renamed"}"#, |c| async move {
        c.teams().update("T2", &UpdateTeam::new("Renamed")).await
    })
    .await;
    expect(
        &seen,
        "PUT",
        "/v1/teams/T2",
        Some(json!({"name": "Renamed"})),
    );
    assert_eq!(team.name.as_deref(), Some("Renamed"));

    let (seen, ()) = exchange(204, "", |c| async move { c.teams().delete("T2").await }).await;
    expect(&seen, "DELETE", "/v1/teams/T2", None);
}

#[tokio::test]
async fn team_memberships() {
    let (seen, memberships) = exchange(
        200,
        r#"{"items":[{"id":"TM1","teamId":"T1","isModerator":false}]}"#,
        |c| async move {
            collect(
                c.team_memberships()
                    .list(&ListTeamMemberships::new("T1").max(20)),
            )
            .await
        },
    )
    .await;
    expect(&seen, "GET", "/v1/team/memberships?teamId=T1&max=20", None);
    assert_eq!(memberships[0].team_id.as_deref(), Some("T1"));

    let (seen, membership) = exchange(
        200,
        r#"{"id":"TM1","personEmail":"a@example.com"}"#,
        |c| async move { c.team_memberships().get(ODD_ID).await },
    )
    .await;
    expect(
        &seen,
        "GET",
        &format!("/v1/team/memberships/{ODD_ID_ENCODED}"),
        None,
    );
    assert_eq!(membership.person_email.as_deref(), Some("a@example.com"));

    let (seen, membership) = exchange(200, r#"{"id":"TM2"}"#, |c| async move {
        c.team_memberships()
            .create(&CreateTeamMembership::with_person_id("T1", "P1"))
            .await
    })
    .await;
    expect(
        &seen,
        "POST",
        "/v1/team/memberships",
        Some(json!({"teamId": "T1", "personId": "P1"})),
    );
    assert_eq!(membership.id, "TM2");

    let (seen, membership) = exchange(200, r#"{"id":"TM2","isModerator":true}"#, |c| async move {
        c.team_memberships()
            .update("TM2", &UpdateTeamMembership::new(true))
            .await
    })
    .await;
    expect(
        &seen,
        "PUT",
        "/v1/team/memberships/TM2",
        Some(json!({"isModerator": true})),
    );
    assert_eq!(membership.is_moderator, Some(true));

    let (seen, ()) = exchange(204, "", |c| async move {
        c.team_memberships().delete("TM2").await
    })
    .await;
    expect(&seen, "DELETE", "/v1/team/memberships/TM2", None);
}

#[tokio::test]
async fn webhooks() {
    let (seen, hooks) = exchange(
        200,
        r#"{"items":[{"id":"W1","resource":"messages","event":"created","status":"active"}]}"#,
        |c| async move {
            collect(
                c.webhooks()
                    .list(&ListWebhooks::new().owned_by(WebhookOwner::Org)),
            )
            .await
        },
    )
    .await;
    expect(&seen, "GET", "/v1/webhooks?ownedBy=org", None);
    assert_eq!(hooks[0].status, Some(WebhookStatus::Active));

    let (seen, hook) = exchange(
        200,
        r#"{"id":"W1","targetUrl":"https://bot.example/hook"}"#,
        |c| async move { c.webhooks().get(ODD_ID).await },
    )
    .await;
    expect(
        &seen,
        "GET",
        &format!("/v1/webhooks/{ODD_ID_ENCODED}"),
        None,
    );
    assert_eq!(hook.target_url.as_deref(), Some("https://bot.example/hook"));

    let (seen, hook) = exchange(200, r#"{"id":"W2","filter":"roomId=R1"}"#, |c| async move {
        c.webhooks()
            .create(
                &CreateWebhook::new(
                    "bot",
                    "https://bot.example/hook",
                    WebhookResource::Messages,
                    WebhookEvent::Created,
                )
                .filter("roomId=R1")
                .secret("s3cret"),
            )
            .await
    })
    .await;
    expect(
        &seen,
        "POST",
        "/v1/webhooks",
        Some(json!({
            "name": "bot",
            "targetUrl": "https://bot.example/hook",
            "resource": "messages",
            "event": "created",
            "filter": "roomId=R1",
            "secret": "s3cret"
        })),
    );
    assert_eq!(hook.filter.as_deref(), Some("roomId=R1"));

    let (seen, hook) = exchange(200, r#"{"id":"W2","status":"inactive"}"#, |c| async move {
        c.webhooks()
            .update(
                "W2",
                &UpdateWebhook::new("bot", "https://bot.example/hook2")
                    .status(WebhookStatus::Inactive),
            )
            .await
    })
    .await;
    expect(
        &seen,
        "PUT",
        "/v1/webhooks/W2",
        Some(
            json!({"name": "bot", "targetUrl": "https://bot.example/hook2", "status": "inactive"}),
        ),
    );
    assert_eq!(hook.status, Some(WebhookStatus::Inactive));

    let (seen, ()) = exchange(204, "", |c| async move { c.webhooks().delete("W2").await }).await;
    expect(&seen, "DELETE", "/v1/webhooks/W2", None);
}

#[tokio::test]
async fn organizations_licenses_and_roles() {
    let (seen, orgs) = exchange(
        200,
        r#"{"items":[{"id":"O1","displayName":"Acme"}]}"#,
        |c| async move { collect(c.organizations().list(&ListOrganizations::new().max(1))).await },
    )
    .await;
    expect(&seen, "GET", "/v1/organizations?max=1", None);
    assert_eq!(orgs[0].display_name.as_deref(), Some("Acme"));

    let (seen, org) = exchange(200, r#"{"id":"O1","displayName":"Acme"}"#, |c| async move {
        c.organizations().get(ODD_ID).await
    })
    .await;
    expect(
        &seen,
        "GET",
        &format!("/v1/organizations/{ODD_ID_ENCODED}"),
        None,
    );
    assert_eq!(org.id, "O1");

    let (seen, licenses) = exchange(
        200,
        r#"{"items":[{"id":"L1","name":"Messaging","totalUnits":100,"consumedUnits":42}]}"#,
        |c| async move { collect(c.licenses().list(&ListLicenses::new().org_id("O1"))).await },
    )
    .await;
    expect(&seen, "GET", "/v1/licenses?orgId=O1", None);
    assert_eq!(licenses[0].total_units, Some(100));
    assert_eq!(licenses[0].consumed_units, Some(42));

    let (seen, license) = exchange(200, r#"{"id":"L1","name":"Messaging"}"#, |c| async move {
        c.licenses().get(ODD_ID).await
    })
    .await;
    expect(
        &seen,
        "GET",
        &format!("/v1/licenses/{ODD_ID_ENCODED}"),
        None,
    );
    assert_eq!(license.name.as_deref(), Some("Messaging"));

    let (seen, roles) = exchange(
        200,
        r#"{"items":[{"id":"RO1","name":"Full Admin"}]}"#,
        |c| async move { collect(c.roles().list(&ListRoles::new())).await },
    )
    .await;
    expect(&seen, "GET", "/v1/roles", None);
    assert_eq!(roles[0].name.as_deref(), Some("Full Admin"));

    let (seen, role) = exchange(200, r#"{"id":"RO1","name":"Full Admin"}"#, |c| async move {
        c.roles().get(ODD_ID).await
    })
    .await;
    expect(&seen, "GET", &format!("/v1/roles/{ODD_ID_ENCODED}"), None);
    assert_eq!(role.id, "RO1");
}

#[tokio::test]
async fn events() {
    let (seen, events) = exchange(
        200,
        r#"{"items":[{"id":"E1","resource":"messages","type":"created","actorId":"P1","data":{"id":"M1","roomId":"R1"}}]}"#,
        |c| async move {
            collect(
                c.events().list(
                    &ListEvents::new()
                        .resource(EventResource::Messages)
                        .event_type(EventType::Created)
                        .actor_id("P1")
                        .max(5),
                ),
            )
            .await
        },
    )
    .await;
    expect(
        &seen,
        "GET",
        "/v1/events?resource=messages&type=created&actorId=P1&max=5",
        None,
    );
    assert_eq!(events[0].event_type, Some(EventType::Created));
    assert_eq!(events[0].data.room_id.as_deref(), Some("R1"));

    let (seen, event) = exchange(
        200,
        r#"{"id":"E1","resource":"memberships","type":"deleted"}"#,
        |c| async move { c.events().get(ODD_ID).await },
    )
    .await;
    expect(&seen, "GET", &format!("/v1/events/{ODD_ID_ENCODED}"), None);
    assert_eq!(event.resource, Some(EventResource::Memberships));
}

#[tokio::test]
async fn attachment_actions() {
    let (seen, action) = exchange(
        200,
        r#"{"id":"AA1","type":"submit","messageId":"M1","inputs":{"Name":"Ann"}}"#,
        |c| async move { c.attachment_actions().get(ODD_ID).await },
    )
    .await;
    expect(
        &seen,
        "GET",
        &format!("/v1/attachment/actions/{ODD_ID_ENCODED}"),
        None,
    );
    assert_eq!(action.action_type, Some(AttachmentActionType::Submit));
    assert_eq!(action.inputs.unwrap()["Name"], "Ann");

    let (seen, action) = exchange(200, r#"{"id":"AA2","messageId":"M1"}"#, |c| async move {
        let inputs = json!({"Name": "Ann", "Agree": true})
            .as_object()
            .unwrap()
            .clone();
        c.attachment_actions()
            .create(&CreateAttachmentAction::new("M1", inputs))
            .await
    })
    .await;
    expect(
        &seen,
        "POST",
        "/v1/attachment/actions",
        Some(
            json!({"type": "submit", "messageId": "M1", "inputs": {"Name": "Ann", "Agree": true}}),
        ),
    );
    assert_eq!(action.id, "AA2");
}

#[tokio::test]
async fn room_tabs() {
    let (seen, tabs) = exchange(
        200,
        r#"{"items":[{"id":"TB1","roomId":"R1","displayName":"Wiki","contentUrl":"https://wiki.example"}]}"#,
        |c| async move { collect(c.room_tabs().list(&ListRoomTabs::new("R1"))).await },
    )
    .await;
    expect(&seen, "GET", "/v1/room/tabs?roomId=R1", None);
    assert_eq!(tabs[0].display_name.as_deref(), Some("Wiki"));

    let (seen, tab) = exchange(
        200,
        r#"{"id":"TB1","contentUrl":"https://wiki.example"}"#,
        |c| async move { c.room_tabs().get(ODD_ID).await },
    )
    .await;
    expect(
        &seen,
        "GET",
        &format!("/v1/room/tabs/{ODD_ID_ENCODED}"),
        None,
    );
    assert_eq!(tab.content_url.as_deref(), Some("https://wiki.example"));

    let (seen, tab) = exchange(200, r#"{"id":"TB2"}"#, |c| async move {
        c.room_tabs()
            .create(&CreateRoomTab::new("R1", "https://wiki.example", "Wiki"))
            .await
    })
    .await;
    expect(
        &seen,
        "POST",
        "/v1/room/tabs",
        Some(json!({"roomId": "R1", "contentUrl": "https://wiki.example", "displayName": "Wiki"})),
    );
    assert_eq!(tab.id, "TB2");

    let (seen, tab) = exchange(
        200,
        r#"{"id":"TB2","displayName":"Docs"}"#,
        |c| async move {
            c.room_tabs()
                .update(
                    "TB2",
                    &UpdateRoomTab::new("R1", "https://docs.example", "Docs"),
                )
                .await
        },
    )
    .await;
    expect(
        &seen,
        "PUT",
        "/v1/room/tabs/TB2",
        Some(json!({"roomId": "R1", "contentUrl": "https://docs.example", "displayName": "Docs"})),
    );
    assert_eq!(tab.display_name.as_deref(), Some("Docs"));

    let (seen, ()) = exchange(
        204,
        "",
        |c| async move { c.room_tabs().delete("TB2").await },
    )
    .await;
    expect(&seen, "DELETE", "/v1/room/tabs/TB2", None);
}

#[tokio::test]
async fn oauth_exchanges_a_code_without_sending_the_token() {
    let (seen, answer) = exchange(
        200,
        r#"{"access_token":"NEW","expires_in":1209599,"refresh_token":"R2","refresh_token_expires_in":7775999}"#,
        |c| async move {
            c.oauth()
                .exchange_code("C1", "S1", "CODE", "https://app.example/cb")
                .await
        },
    )
    .await;
    assert_eq!(seen.method, http::Method::POST);
    assert_eq!(seen.path_and_query(), "/v1/access_token");
    assert_eq!(seen.header("authorization"), None, "the token stays home");
    assert_eq!(
        seen.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form: Vec<(String, String)> = form_urlencoded::parse(&seen.body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    assert_eq!(field("grant_type"), Some("authorization_code"));
    assert_eq!(field("client_id"), Some("C1"));
    assert_eq!(field("client_secret"), Some("S1"));
    assert_eq!(field("code"), Some("CODE"));
    assert_eq!(field("redirect_uri"), Some("https://app.example/cb"));
    assert_eq!(answer.access_token, "NEW");
    assert_eq!(answer.refresh_token.as_deref(), Some("R2"));
}

#[tokio::test]
async fn resource_urls_are_built_without_a_request() {
    let (client, log) = scripted_client(|_, _| json_answer(200, "{}"));

    assert_eq!(
        client.rooms().resource_url(Some(ODD_ID)).unwrap(),
        format!("{BASE}/rooms/{ODD_ID_ENCODED}").as_str()
    );
    assert_eq!(
        client.team_memberships().resource_url(None).unwrap(),
        format!("{BASE}/team/memberships").as_str()
    );
    assert_eq!(
        client
            .attachment_actions()
            .resource_url(Some("AA1"))
            .unwrap(),
        format!("{BASE}/attachment/actions/AA1").as_str()
    );
    assert_eq!(
        client.contents().resource_url(Some("C1")).unwrap(),
        format!("{BASE}/contents/C1").as_str()
    );
    assert_eq!(
        client.url("people/me").unwrap(),
        format!("{BASE}/people/me").as_str()
    );
    assert_eq!(log.count(), 0);
}

#[tokio::test]
async fn the_raw_http_handle_reaches_the_same_stack() {
    let (client, log) = scripted_client(|_, _| json_answer(200, r#"{"ok":true}"#));

    let answer = client
        .http()
        .post_json(
            "meetings/preferences?userEmail=a@example.com",
            &json!({"a": 1}),
        )
        .await
        .unwrap();
    let body = answer.into_body().collect_limited(1024).await.unwrap();

    assert_eq!(body, r#"{"ok":true}"#);
    let seen = log.last();
    expect(
        &seen,
        "POST",
        "/v1/meetings/preferences?userEmail=a@example.com",
        Some(json!({"a": 1})),
    );
}

#[tokio::test]
async fn a_client_over_a_service_of_ones_own() {
    let (service, log) = support::scripted(|_, _| json_answer(200, r#"{"id":"ME"}"#));
    let client = Client::from_service(service, BASE, spark_http::Credentials::new("T")).unwrap();

    let me = client.people().me().await.unwrap();

    assert_eq!(me.id, "ME");
    expect(&log.last(), "GET", "/v1/people/me", None);
}
