//! Wire behaviour of the models: forward compatibility, leniency, round trips, query strings.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use spark_model::*;

fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Value {
    let decoded: T = serde_json::from_str(&value.to_string()).expect("decodes");
    serde_json::to_value(&decoded).expect("encodes")
}

fn contains_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.iter().any(contains_null),
        Value::Object(fields) => fields.values().any(contains_null),
        _ => false,
    }
}

// --- enums --------------------------------------------------------------------------------------

/// For each enum: every known value decodes to a known variant and encodes back; an unknown
/// value decodes to `Other` and encodes back unchanged.
macro_rules! check_enums {
    ($($enum:ident: [$($known:literal),+ $(,)?]),+ $(,)?) => {$(
        for known in [$($known),+] {
            let decoded: $enum = serde_json::from_value(json!(known)).unwrap();
            assert!(!matches!(decoded, $enum::Other(_)), "{known} is known to {}", stringify!($enum));
            assert_eq!(decoded.as_str(), known);
            assert_eq!(serde_json::to_value(&decoded).unwrap(), json!(known));
            assert_eq!(known.parse::<$enum>().unwrap(), decoded);
        }
        let unknown: $enum = serde_json::from_value(json!("brandNewValue")).unwrap();
        assert_eq!(unknown, $enum::Other("brandNewValue".to_owned()));
        assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("brandNewValue"));
        assert_eq!(unknown.to_string(), "brandNewValue");
    )+};
}

#[test]
fn every_enum_keeps_unknown_values_and_round_trips_known_ones() {
    check_enums! {
        RoomType: ["direct", "group"],
        RoomSortBy: ["id", "lastactivity", "created"],
        PersonStatus: ["active", "call", "DoNotDisturb", "inactive", "meeting", "OutOfOffice",
                       "pending", "presenting", "unknown"],
        PersonType: ["person", "bot", "appuser"],
        PhoneNumberType: ["work", "work_extension", "mobile", "fax"],
        SipAddressType: ["personal-room", "enterprise", "cloud-calling"],
        WebhookResource: ["all", "attachmentActions", "dataSources", "memberships", "messages",
                          "rooms", "meetings", "recordings", "convergedRecordings",
                          "meetingParticipants", "meetingTranscripts", "telephony_calls",
                          "telephony_conference", "telephony_mwi", "uc_counters", "serviceApp",
                          "adminBatchJobs"],
        WebhookEvent: ["all", "created", "updated", "deleted", "started", "ended", "joined", "left",
                       "migrated", "authorized", "deauthorized", "statusChanged"],
        WebhookStatus: ["active", "inactive"],
        WebhookOwner: ["org", "creator"],
        EventResource: ["attachmentActions", "businessTexts", "call_records", "convergedRecordings",
                        "file_transcodings", "files", "meetingMessages", "meetings",
                        "meetingTranscripts", "memberships", "messages", "rooms", "tabs"],
        EventType: ["created", "updated", "deleted", "ended"],
        AttachmentActionType: ["submit"],
        SiteType: ["Control Hub managed site", "Linked site", "Site Admin managed site"],
        LicenseUserType: ["INTERNAL", "EXTERNAL"],
    }
}

#[test]
fn a_resource_with_new_enum_values_and_new_fields_still_decodes() {
    let room = json!({
        "id": "R1", "title": "Ops", "type": "hologram", "isLocked": false,
        "someFutureField": {"nested": [1, 2, 3]}, "anotherOne": null
    });
    let decoded: Room = serde_json::from_value(room).unwrap();
    assert_eq!(decoded.room_type, Some(RoomType::Other("hologram".into())));
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert_eq!(
        encoded,
        json!({"id": "R1", "title": "Ops", "type": "hologram", "isLocked": false})
    );
}

// --- leniency -----------------------------------------------------------------------------------

#[test]
fn booleans_given_as_strings_decode() {
    let person: Person = serde_json::from_value(json!({
        "id": "P1", "invitePending": "false", "loginEnabled": "true",
        "sipAddresses": [{"type": "enterprise", "value": "a@b", "primary": "TRUE"}]
    }))
    .unwrap();
    assert_eq!(person.invite_pending, Some(false));
    assert_eq!(person.login_enabled, Some(true));
    assert_eq!(
        person.sip_addresses.as_ref().unwrap()[0].primary,
        Some(true)
    );
    // ... and the real API's JSON booleans too, written back as booleans.
    let person: Person =
        serde_json::from_value(json!({"id": "P1", "invitePending": false, "loginEnabled": true}))
            .unwrap();
    let encoded = serde_json::to_value(&person).unwrap();
    assert_eq!(encoded["invitePending"], json!(false));
    assert_eq!(encoded["loginEnabled"], json!(true));
    // null reads as absent.
    let room: Room = serde_json::from_value(json!({"id": "R", "isLocked": null})).unwrap();
    assert_eq!(room.is_locked, None);
    // Anything else is an error, not a silent false.
    assert!(serde_json::from_value::<Room>(json!({"id": "R", "isLocked": "maybe"})).is_err());
}

#[test]
fn timestamps_accept_z_and_offset_forms() {
    let zulu: Message =
        serde_json::from_value(json!({"id": "M", "created": "2015-10-18T14:26:16.000Z"})).unwrap();
    let offset: Message =
        serde_json::from_value(json!({"id": "M", "created": "2015-10-18T14:26:16+00:00"})).unwrap();
    let other_zone: Message =
        serde_json::from_value(json!({"id": "M", "created": "2015-10-18T16:26:16+02:00"})).unwrap();
    let no_zone: Message =
        serde_json::from_value(json!({"id": "M", "created": "2015-10-18T14:26:16"})).unwrap();
    assert_eq!(zulu.created, offset.created);
    assert_eq!(zulu.created, other_zone.created);
    assert_eq!(zulu.created, no_zone.created);
    let created = zulu.created.unwrap();
    assert_eq!(created.timestamp(), 1_445_178_376);
    assert_eq!(format_timestamp(&created), "2015-10-18T14:26:16.000Z");
    // Milliseconds are kept.
    let person: Person =
        serde_json::from_value(json!({"id": "P", "lastActivity": "2015-10-18T14:26:16.028Z"}))
            .unwrap();
    assert_eq!(
        serde_json::to_value(&person).unwrap()["lastActivity"],
        json!("2015-10-18T14:26:16.028Z")
    );
    // An empty string reads as absent; garbage is an error.
    let empty: Message = serde_json::from_value(json!({"id": "M", "updated": ""})).unwrap();
    assert_eq!(empty.updated, None);
    assert!(serde_json::from_value::<Message>(json!({"id": "M", "created": "yesterday"})).is_err());
}

// --- round trips --------------------------------------------------------------------------------

#[test]
fn a_full_message_round_trips_field_for_field() {
    let message = json!({
        "id": "Y2lzY29zcGFyazovL3VzL01FU1NBR0UvOTJkYjNiZTAtNDNiZC0xMWU2LThhZTktZGQ1YjNkZmM1NjVk",
        "parentId": "Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMQ",
        "roomId": "Y2lzY29zcGFyazovL3VzL1JPT00vMQ",
        "roomType": "group",
        "toPersonId": "Y2lzY29zcGFyazovL3VzL1BFT1BMRS8x",
        "toPersonEmail": "julie@example.com",
        "text": "hello",
        "markdown": "**hello**",
        "html": "<p><strong>hello</strong></p>",
        "files": ["https://webexapis.com/v1/contents/Y2lzY29/0"],
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {"type": "AdaptiveCard", "version": "1.0", "body": []}
        }],
        "personId": "Y2lzY29zcGFyazovL3VzL1BFT1BMRS8y",
        "personEmail": "matt@example.com",
        "mentionedPeople": ["Y2lzY29zcGFyazovL3VzL1BFT1BMRS8z"],
        "mentionedGroups": ["all"],
        "created": "2015-10-18T14:26:16.000Z",
        "updated": "2015-10-18T14:27:16.000Z",
        "isVoiceClip": false
    });
    assert_eq!(round_trip::<Message>(&message), message);
    let decoded: Message = serde_json::from_value(message).unwrap();
    assert!(decoded.is_reply());
    assert_eq!(decoded.card().unwrap()["type"], "AdaptiveCard");
}

#[test]
fn every_resource_round_trips_its_fields() {
    type RoundTrip = fn(&Value) -> Value;
    let cases: Vec<(Value, RoundTrip)> = vec![
        (
            json!({"id": "P", "emails": ["a@example.com"], "phoneNumbers": [{"type": "mobile", "value": "+1", "primary": true}],
                   "displayName": "A", "nickName": "A", "firstName": "A", "lastName": "B", "avatar": "https://x/a.png",
                   "orgId": "O", "roles": ["R"], "licenses": ["L"], "created": "2015-10-18T14:26:16.000Z",
                   "lastModified": "2015-10-18T14:26:16.000Z", "timezone": "Europe/Paris", "lastActivity": "2015-10-18T14:26:16.028Z",
                   "status": "OutOfOffice", "type": "bot", "invitePending": false, "loginEnabled": true,
                   "addresses": [{"type": "work", "country": "FR", "locality": "Paris", "region": "IDF", "streetAddress": "1 rue", "postalCode": "75001"}],
                   "sipAddresses": [{"type": "cloud-calling", "value": "a@b", "primary": false}], "siteUrls": ["s#attendee"],
                   "xmppFederationJid": "a@b", "department": "D", "manager": "M", "managerId": "MI", "title": "T",
                   "extension": "133", "locationId": "LOC"}),
            round_trip::<Person>,
        ),
        (
            json!({"id": "R", "title": "T", "type": "direct", "isLocked": true, "teamId": "T1",
                   "lastActivity": "2016-04-21T19:12:48.920Z", "creatorId": "C", "created": "2016-04-21T19:01:55.966Z",
                   "ownerId": "O", "classificationId": "CL", "isAnnouncementOnly": false, "isReadOnly": false,
                   "isPublic": true, "madePublic": "2022-10-10T17:24:19.388Z", "description": "D"}),
            round_trip::<Room>,
        ),
        (
            json!({"roomId": "R", "meetingLink": "https://x", "sipAddress": "1@x", "meetingNumber": "1",
                   "meetingId": "m", "callInTollFreeNumber": "+1-866", "callInTollNumber": "+1-408"}),
            round_trip::<RoomMeetingInfo>,
        ),
        (
            json!({"id": "M", "roomId": "R", "personId": "P", "personEmail": "e", "personDisplayName": "D",
                   "personOrgId": "O", "isModerator": true, "isRoomHidden": false, "roomType": "group",
                   "isMonitor": false, "created": "2015-10-18T14:26:16.203Z"}),
            round_trip::<Membership>,
        ),
        (
            json!({"id": "T", "name": "N", "description": "D", "created": "2015-10-18T14:26:16.000Z"}),
            round_trip::<Team>,
        ),
        (
            json!({"id": "TM", "teamId": "T", "personId": "P", "personEmail": "e", "personDisplayName": "D",
                   "personOrgId": "O", "isModerator": false, "created": "2015-10-18T14:26:16.203Z"}),
            round_trip::<TeamMembership>,
        ),
        (
            json!({"id": "W", "name": "N", "targetUrl": "https://x", "resource": "messages", "event": "created",
                   "filter": "roomId=R", "secret": "s", "status": "inactive", "created": "2015-10-18T14:26:16.000Z",
                   "ownedBy": "creator", "orgId": "O", "createdBy": "P", "appId": "A"}),
            round_trip::<Webhook>,
        ),
        (
            json!({"id": "E", "resource": "memberships", "type": "deleted", "appId": "A", "actorId": "P",
                   "orgId": "O", "created": "2016-05-16T21:34:59.324Z",
                   "data": {"id": "M", "roomId": "R", "personId": "P", "isModerator": false,
                            "somethingNew": {"kept": true}}}),
            round_trip::<Event>,
        ),
        (
            json!({"id": "A", "personId": "P", "roomId": "R", "type": "submit", "messageId": "M",
                   "inputs": {"Name": "J", "agree": true}, "created": "2016-05-10T19:41:00.100Z"}),
            round_trip::<AttachmentAction>,
        ),
        (
            json!({"id": "RT", "roomId": "R", "roomType": "group", "displayName": "D", "contentUrl": "https://x",
                   "creatorId": "C", "created": "2015-10-18T14:26:16.203Z"}),
            round_trip::<RoomTab>,
        ),
        (
            json!({"id": "O", "displayName": "Acme", "created": "2015-10-18T14:26:16.000Z"}),
            round_trip::<Organization>,
        ),
        (
            json!({"id": "L", "name": "N", "totalUnits": 50, "consumedUnits": 5, "consumedByUsers": 5,
                   "consumedByWorkspaces": 0, "subscriptionId": "S", "siteUrl": "s", "siteType": "Linked site",
                   "users": [{"id": "U", "type": "EXTERNAL", "displayName": "D", "email": "e"}]}),
            round_trip::<License>,
        ),
        (
            json!({"id": "RO", "name": "Full Administrator"}),
            round_trip::<Role>,
        ),
        (
            json!({"items": [{"id": "P"}], "notFoundIds": ["X"]}),
            round_trip::<ListEnvelope<Person>>,
        ),
    ];
    for (value, trip) in cases {
        assert_eq!(trip(&value), value);
    }
}

#[test]
fn unset_fields_are_absent_never_null() {
    let empties = [
        serde_json::to_value(Person::default()).unwrap(),
        serde_json::to_value(Room::default()).unwrap(),
        serde_json::to_value(Membership::default()).unwrap(),
        serde_json::to_value(Message::default()).unwrap(),
        serde_json::to_value(Team::default()).unwrap(),
        serde_json::to_value(TeamMembership::default()).unwrap(),
        serde_json::to_value(Webhook::default()).unwrap(),
        serde_json::to_value(Event::default()).unwrap(),
        serde_json::to_value(AttachmentAction::default()).unwrap(),
        serde_json::to_value(RoomTab::default()).unwrap(),
        serde_json::to_value(Organization::default()).unwrap(),
        serde_json::to_value(License::default()).unwrap(),
        serde_json::to_value(Role::default()).unwrap(),
        serde_json::to_value(WebhookDelivery::default()).unwrap(),
    ];
    for empty in &empties {
        assert!(!contains_null(empty), "{empty}");
    }
    assert_eq!(empties[0], json!({"id": ""}));
    let bodies = [
        serde_json::to_value(CreateRoom::new("T")).unwrap(),
        serde_json::to_value(CreateMessage::to_room("R").text("t")).unwrap(),
        serde_json::to_value(CreatePerson::new("a@example.com")).unwrap(),
        serde_json::to_value(UpdatePerson::new("A")).unwrap(),
        serde_json::to_value(CreateMembership::with_person_email("R", "a@example.com")).unwrap(),
        serde_json::to_value(ApiErrorBody::default()).unwrap(),
    ];
    for body in &bodies {
        assert!(!contains_null(body), "{body}");
    }
    assert_eq!(bodies[1], json!({"roomId": "R", "text": "t"}));
    assert_eq!(bodies[2], json!({"emails": ["a@example.com"]}));
    assert_eq!(bodies[5], json!({}));
}

// --- query strings ------------------------------------------------------------------------------

fn query<T: Serialize>(params: &T) -> String {
    serde_urlencoded::to_string(params).unwrap()
}

#[test]
fn list_parameters_serialize_with_the_api_names() {
    let at: Timestamp = "2016-04-21T19:01:55.966Z".parse().unwrap();
    assert_eq!(query(&ListRooms::new()), "");
    assert_eq!(
        query(
            &ListRooms::new()
                .team_id("T")
                .org_public_spaces(true)
                .from(at)
                .to(at)
        ),
        "teamId=T&orgPublicSpaces=true&from=2016-04-21T19%3A01%3A55.966Z&to=2016-04-21T19%3A01%3A55.966Z"
    );
    assert_eq!(
        query(
            &ListMessages::new("R")
                .parent_id("P")
                .mentioned_people(["me", "Y2lz"])
                .before(at)
                .before_message("M")
                .max(30)
        ),
        "roomId=R&parentId=P&mentionedPeople=me%2CY2lz&before=2016-04-21T19%3A01%3A55.966Z&beforeMessage=M&max=30"
    );
    assert_eq!(
        query(&ListDirectMessages::with_person_email("a@example.com").parent_id("P")),
        "parentId=P&personEmail=a%40example.com"
    );
    assert_eq!(
        query(
            &ListPeople::new()
                .display_name("Jo")
                .id(["A", "B"])
                .roles(["R"])
                .org_id("O")
                .calling_data(true)
                .location_id("L")
                .exclude_status(false)
        ),
        "displayName=Jo&id=A%2CB&orgId=O&roles=R&callingData=true&locationId=L&excludeStatus=false"
    );
    assert_eq!(
        query(
            &ListMemberships::in_room("R")
                .person_email("a@example.com")
                .max(5)
        ),
        "roomId=R&personEmail=a%40example.com&max=5"
    );
    assert_eq!(query(&ListTeams::new().max(1)), "max=1");
    assert_eq!(
        query(&ListTeamMemberships::new("T").max(2)),
        "teamId=T&max=2"
    );
    assert_eq!(
        query(&ListWebhooks::new().owned_by(WebhookOwner::Org)),
        "ownedBy=org"
    );
    assert_eq!(
        query(
            &ListEvents::new()
                .actor_id("P")
                .service_type("calling")
                .max(1000)
        ),
        "actorId=P&max=1000&serviceType=calling"
    );
    assert_eq!(query(&ListRoomTabs::new("R")), "roomId=R");
    assert_eq!(query(&ListLicenses::new().org_id("O")), "orgId=O");
    assert_eq!(query(&ListOrganizations::new()), "");
    assert_eq!(query(&ListRoles::new()), "");
}

#[test]
fn list_parameters_decode_from_a_query_string() {
    let decoded: ListMessages = serde_urlencoded::from_str(
        "roomId=R&mentionedPeople=me%2CY2lz&before=2016-04-21T19%3A01%3A55.966Z&max=30&unknown=1",
    )
    .unwrap();
    assert_eq!(
        decoded,
        ListMessages::new("R")
            .mentioned_people(["me", "Y2lz"])
            .before("2016-04-21T19:01:55.966Z".parse().unwrap())
            .max(30)
    );
    let decoded: ListRooms =
        serde_urlencoded::from_str("type=group&sortBy=lastactivity&orgPublicSpaces=true").unwrap();
    assert_eq!(
        decoded,
        ListRooms::new()
            .room_type(RoomType::Group)
            .sort_by(RoomSortBy::LastActivity)
            .org_public_spaces(true)
    );
    let decoded: ListPeople = serde_urlencoded::from_str("id=A,B&excludeStatus=true").unwrap();
    assert_eq!(
        decoded,
        ListPeople::new().id(["A", "B"]).exclude_status(true)
    );
    // A required parameter missing is an error for the server to report.
    let decoded: ListTeamMemberships = serde_urlencoded::from_str("max=3").unwrap();
    assert_eq!(decoded.team_id, "");
}

#[test]
fn every_list_request_exposes_its_page_size() {
    fn check<T: ListRequest + Default>() {
        let mut request = T::default();
        assert_eq!(request.page_size(), None);
        request.set_page_size(Some(42));
        assert_eq!(request.page_size(), Some(42));
        let encoded = serde_urlencoded::to_string(&request).unwrap();
        assert!(encoded.contains("max=42"), "{encoded}");
        request.set_page_size(None);
        assert!(
            !serde_urlencoded::to_string(&request)
                .unwrap()
                .contains("max")
        );
    }
    check::<ListPeople>();
    check::<ListRooms>();
    check::<ListMemberships>();
    check::<ListMessages>();
    check::<ListDirectMessages>();
    check::<ListTeams>();
    check::<ListTeamMemberships>();
    check::<ListWebhooks>();
    check::<ListEvents>();
    check::<ListRoomTabs>();
    check::<ListLicenses>();
    check::<ListOrganizations>();
    check::<ListRoles>();
    let rooms = ListRooms::new().max(100);
    assert_eq!(rooms.max, Some(100));
}

// --- request bodies -----------------------------------------------------------------------------

#[test]
fn request_bodies_use_the_api_names_and_decode_back() {
    let card = json!({"type": "AdaptiveCard", "version": "1.2", "body": []});
    let message = CreateMessage::to_person_id("P")
        .text("fallback")
        .card(card.clone());
    let encoded = serde_json::to_value(&message).unwrap();
    assert_eq!(
        encoded,
        json!({"toPersonId": "P", "text": "fallback", "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ]})
    );
    assert_eq!(
        serde_json::from_value::<CreateMessage>(encoded).unwrap(),
        message
    );

    let room = UpdateRoom::new("New").is_read_only(true).description("D");
    assert_eq!(
        serde_json::to_value(&room).unwrap(),
        json!({"title": "New", "description": "D", "isReadOnly": true})
    );
    assert_eq!(
        serde_json::to_value(UpdateMembership::new(true, false)).unwrap(),
        json!({"isModerator": true, "isRoomHidden": false})
    );
    assert_eq!(
        serde_json::to_value(CreateTeamMembership::with_person_id("T", "P").is_moderator(true))
            .unwrap(),
        json!({"teamId": "T", "personId": "P", "isModerator": true})
    );
    assert_eq!(
        serde_json::to_value(UpdateWebhook::new("N", "https://x").status(WebhookStatus::Active))
            .unwrap(),
        json!({"name": "N", "targetUrl": "https://x", "status": "active"})
    );
    assert_eq!(
        serde_json::to_value(CreateRoomTab::new("R", "https://x", "Docs")).unwrap(),
        json!({"roomId": "R", "contentUrl": "https://x", "displayName": "Docs"})
    );
    assert_eq!(
        serde_json::to_value(UpdateMessage::new("R").markdown("*edited*")).unwrap(),
        json!({"roomId": "R", "markdown": "*edited*"})
    );
    assert_eq!(
        serde_json::to_value(CreateTeam::new("Build Squad").description("The A Team")).unwrap(),
        json!({"name": "Build Squad", "description": "The A Team"})
    );
    let person = Person {
        id: "P".into(),
        display_name: Some("John".into()),
        emails: Some(vec!["john@example.com".into()]),
        status: Some(PersonStatus::Active),
        login_enabled: Some(true),
        ..Person::default()
    };
    assert_eq!(
        serde_json::to_value(UpdatePerson::from_person(&person).title("GM")).unwrap(),
        json!({"emails": ["john@example.com"], "displayName": "John", "title": "GM", "loginEnabled": true})
    );
}

#[test]
fn message_limits_are_checked() {
    assert_eq!(CreateMessage::to_room("R").text("ok").validate(), Ok(()));
    assert_eq!(
        CreateMessage::default().text("x").validate(),
        Err(MessageError::NoDestination)
    );
    let mut both = CreateMessage::to_room("R").text("x");
    both.to_person_email = Some("a@example.com".into());
    assert_eq!(both.validate(), Err(MessageError::SeveralDestinations));
    assert_eq!(
        CreateMessage::to_room("R").validate(),
        Err(MessageError::Empty)
    );
    let limit = "é".repeat(MAX_MESSAGE_BYTES / 2) + "a";
    assert_eq!(limit.len(), MAX_MESSAGE_BYTES);
    assert_eq!(
        CreateMessage::to_room("R")
            .markdown(limit.clone())
            .validate(),
        Ok(())
    );
    assert_eq!(
        CreateMessage::to_room("R").markdown(limit + "a").validate(),
        Err(MessageError::TooLong {
            field: "markdown",
            len: MAX_MESSAGE_BYTES + 1
        })
    );
    assert_eq!(
        CreateMessage::to_room("R")
            .file("https://a")
            .file("https://b")
            .validate(),
        Err(MessageError::TooManyFiles(2))
    );
    assert_eq!(
        CreateMessage::to_room("R")
            .card(json!({}))
            .card(json!({}))
            .validate(),
        Err(MessageError::TooManyAttachments(2))
    );
    assert!(
        MessageError::TooManyFiles(2)
            .to_string()
            .contains("one file")
    );
    assert_eq!(mention_person_id("P", "Ann"), "<@personId:P|Ann>");
    assert_eq!(MENTION_ALL, "<@all>");
}

// --- webhook deliveries -------------------------------------------------------------------------

#[test]
fn webhook_deliveries_decode_for_each_common_resource() {
    let envelope = |resource: &str, event: &str, data: Value| {
        json!({
            "id": "W", "name": "bot hook", "targetUrl": "https://bot.example.com/hook",
            "resource": resource, "event": event, "filter": "roomId=R", "orgId": "O",
            "createdBy": "C", "appId": "A", "ownedBy": "creator", "status": "active",
            "created": "2024-05-01T09:00:00.000Z", "actorId": "P", "data": data
        })
    };
    let deliveries = [
        envelope(
            "messages",
            "created",
            json!({"id": "M", "roomId": "R", "roomType": "group", "personId": "P",
                   "personEmail": "p@example.com", "mentionedPeople": ["B"], "files": ["https://f"],
                   "created": "2024-05-01T10:00:00.000Z"}),
        ),
        envelope(
            "memberships",
            "created",
            json!({"id": "MB", "roomId": "R", "personId": "P", "personEmail": "p@example.com",
                   "personDisplayName": "P", "personOrgId": "O", "isModerator": false,
                   "isMonitor": false, "isRoomHidden": false, "roomType": "direct",
                   "created": "2024-05-01T10:00:00.000Z"}),
        ),
        envelope(
            "attachmentActions",
            "created",
            json!({"id": "AA", "type": "submit", "messageId": "M", "personId": "P", "roomId": "R",
                   "created": "2024-05-01T10:00:00.000Z"}),
        ),
        envelope(
            "rooms",
            "updated",
            json!({"id": "R", "title": "T", "type": "group", "isLocked": true,
                   "lastActivity": "2024-05-01T10:00:00.000Z", "creatorId": "C",
                   "created": "2024-05-01T10:00:00.000Z"}),
        ),
        envelope(
            "telephony_calls",
            "brandNewEvent",
            json!({"callId": "X", "eventType": "received"}),
        ),
    ];
    for delivery in &deliveries {
        assert_eq!(&round_trip::<WebhookDelivery>(delivery), delivery);
    }
    let call: WebhookDelivery = serde_json::from_value(deliveries[4].clone()).unwrap();
    assert_eq!(call.resource, Some(WebhookResource::TelephonyCalls));
    assert_eq!(
        call.event,
        Some(WebhookEvent::Other("brandNewEvent".into()))
    );
    assert_eq!(call.data.extra["callId"], "X");
    let membership: WebhookDelivery = serde_json::from_value(deliveries[1].clone()).unwrap();
    assert_eq!(membership.data.is_moderator, Some(false));
    assert_eq!(membership.data.extra["isRoomHidden"], false);
}

// --- error body and token answer ---------------------------------------------------------------

#[test]
fn error_bodies_decode_whatever_their_shape() {
    let full: ApiErrorBody = serde_json::from_value(json!({
        "message": "Unable to post message",
        "errors": [{"description": "Unable to post message", "errorCode": 1002}],
        "trackingId": "ROUTER_1", "errorCode": "ROOM_LOCKED"
    }))
    .unwrap();
    assert_eq!(full.summary(), Some("Unable to post message"));
    assert_eq!(full.error_code, Some(ErrorCode::Text("ROOM_LOCKED".into())));
    assert_eq!(full.errors[0].error_code, Some(ErrorCode::Number(1002)));
    let empty: ApiErrorBody = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, ApiErrorBody::default());
    let nulls: ApiErrorBody =
        serde_json::from_str(r#"{"errors": null, "message": null, "errorCode": 400}"#).unwrap();
    assert!(nulls.errors.is_empty());
    assert_eq!(nulls.error_code.unwrap().to_string(), "400");
    let only_errors: ApiErrorBody =
        serde_json::from_str(r#"{"errors": [{"description": "bad"}], "trackingId": "T"}"#).unwrap();
    assert_eq!(only_errors.summary(), Some("bad"));
    assert_eq!(
        serde_json::to_value(&full).unwrap(),
        json!({"message": "Unable to post message",
               "errors": [{"description": "Unable to post message", "errorCode": 1002}],
               "trackingId": "ROUTER_1", "errorCode": "ROOM_LOCKED"})
    );
}

#[test]
fn token_answers_are_snake_case_and_hide_their_secrets() {
    let wire = json!({"access_token": "AT", "expires_in": 1_209_599, "refresh_token": "RT",
                      "refresh_token_expires_in": 7_775_999, "token_type": "Bearer"});
    let answer: TokenAnswer = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(answer.access_token, "AT");
    assert_eq!(answer.refresh_token_expires_in, Some(7_775_999));
    assert_eq!(serde_json::to_value(&answer).unwrap(), wire);
    let debug = format!("{answer:?}");
    assert!(
        !debug.contains("AT\"") && !debug.contains("RT\""),
        "{debug}"
    );
    let minimal: TokenAnswer =
        serde_json::from_str(r#"{"access_token": "AT", "expires_in": 10}"#).unwrap();
    assert_eq!(minimal.refresh_token, None);
    let form = TokenRequest::authorization_code("id", "secret", "code", "https://app/cb");
    assert_eq!(
        serde_urlencoded::to_string(&form).unwrap(),
        "grant_type=authorization_code&client_id=id&client_secret=secret&code=code&redirect_uri=https%3A%2F%2Fapp%2Fcb"
    );
    assert!(!format!("{form:?}").contains("secret\""));
}

#[test]
fn webhook_secrets_never_show_in_debug_output() {
    const CANARY: &str = "canary-7f3a9c1e";

    let webhook: Webhook = serde_json::from_value(json!({
        "id": "W", "name": "N", "targetUrl": "https://x", "resource": "messages",
        "event": "created", "secret": CANARY
    }))
    .unwrap();
    let create = CreateWebhook::new(
        "N",
        "https://x",
        WebhookResource::Messages,
        WebhookEvent::Created,
    )
    .secret(CANARY);
    let update = UpdateWebhook::new("N", "https://x").secret(CANARY.to_owned());

    for debug in [
        format!("{webhook:?}"),
        format!("{webhook:#?}"),
        format!("{create:?}"),
        format!("{create:#?}"),
        format!("{update:?}"),
        format!("{update:#?}"),
    ] {
        assert!(!debug.contains(CANARY), "{debug}");
        assert!(debug.contains("WebhookSecret(<redacted>)"), "{debug}");
    }

    // On the wire the secret stays a plain JSON string, and decodes back unchanged.
    let wire = serde_json::to_value(&webhook).unwrap();
    assert_eq!(wire["secret"], json!(CANARY));
    assert_eq!(serde_json::from_value::<Webhook>(wire).unwrap(), webhook);
    let wire = serde_json::to_value(&create).unwrap();
    assert_eq!(wire["secret"], json!(CANARY));
    assert_eq!(
        serde_json::from_value::<CreateWebhook>(wire).unwrap(),
        create
    );
    let wire = serde_json::to_value(&update).unwrap();
    assert_eq!(
        wire,
        json!({"name": "N", "targetUrl": "https://x", "secret": CANARY})
    );
    assert_eq!(
        serde_json::from_value::<UpdateWebhook>(wire).unwrap(),
        update
    );

    let secret = update.secret.as_ref().unwrap();
    assert_eq!(secret.expose_secret(), CANARY);
    assert_eq!(secret, &WebhookSecret::from(CANARY));
    assert_eq!(secret, &WebhookSecret::new(CANARY.to_owned()));
    assert_eq!(
        serde_json::to_string(secret).unwrap(),
        format!("\"{CANARY}\"")
    );
}
