//! Properties of decoding what the API (or a webhook sender) sends, for every resource, every
//! list envelope, the error body, the token answer, the webhook delivery and every request body:
//!
//! - any bytes, JSON objects built from the field names the model knows with values of every
//!   JSON shape (timestamps, booleans as strings, enum words, nested objects and arrays), and
//!   such JSON with its bytes damaged, decode to a value or an error without panicking;
//! - a decoded value encodes, its encoding decodes again, and that second decoding encodes to
//!   the same bytes (the first decoding may normalise: timestamps gain milliseconds, booleans
//!   sent as strings become booleans, unknown fields are dropped);
//! - the encoding is bounded by the input: at most `GROWTH` times as long plus `SLACK` bytes
//!   (see `GROWTH` for why a value may be longer than its input at all): decoding cannot build
//!   something large from something small;
//! - the generated JSON decodes often enough for the properties above to test decoding rather
//!   than rejection.
//!
//! Sizes stand in for allocations (the tests run without a counting allocator); the fuzz target
//! `model` checks the same with libFuzzer's malloc limit.

use std::any::type_name;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{TestCaseError, TestRunner};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use spark_model::*;

/// How much longer than its input a decoded value's encoding may be.
///
/// Required fields are written out even when the input left them out, so an empty item grows:
/// `{},` (3 bytes) in a list of events becomes `{"id":"","data":{}},` (20 bytes), the largest
/// such growth of the model (an attachment's `{}` becomes `{"content":null}`, a person's
/// `{"id":""}`). Everything else keeps or loses length: timestamps gain at most `.000Z` over
/// their shortest accepted form, booleans sent as strings lose their quotes, unknown fields
/// are dropped.
const GROWTH: usize = 8;
/// Bytes of encoding allowed on top of `GROWTH` times the input: the required fields of the
/// outermost value (`{}` as an event is `{"id":"","data":{}}`).
const SLACK: usize = 64;

/// 256 cases a property unless `PROPTEST_CASES` says otherwise; no regression files.
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Decodes `input` as `T`; when that succeeds, checks the encoding's size and stability.
fn check<T: DeserializeOwned + Serialize>(input: &[u8]) -> Result<(), TestCaseError> {
    let Ok(first) = serde_json::from_slice::<T>(input) else {
        return Ok(());
    };
    let name = type_name::<T>();
    let shown = || String::from_utf8_lossy(input).into_owned();
    let encoded = serde_json::to_vec(&first)
        .map_err(|err| TestCaseError::fail(format!("{name} does not encode: {err}")))?;
    prop_assert!(
        encoded.len() <= GROWTH * input.len() + SLACK,
        "{name}: {} bytes of encoding from {} bytes of input: {}",
        encoded.len(),
        input.len(),
        shown()
    );
    let second: T = serde_json::from_slice(&encoded).map_err(|err| {
        TestCaseError::fail(format!(
            "{name}: its own encoding does not decode ({err}): {} from {}",
            String::from_utf8_lossy(&encoded),
            shown()
        ))
    })?;
    let again = serde_json::to_vec(&second).expect("it encoded once");
    prop_assert!(
        again == encoded,
        "{name}: a second round changes the encoding: {} then {} from {}",
        String::from_utf8_lossy(&encoded),
        String::from_utf8_lossy(&again),
        shown()
    );
    Ok(())
}

/// Checks `T` and the list envelope of `T`.
fn check_with_list<T: DeserializeOwned + Serialize>(input: &[u8]) -> Result<(), TestCaseError> {
    check::<T>(input)?;
    check::<ListEnvelope<T>>(input)
}

/// Checks every type the client decodes from a server or a webhook sender.
fn check_answers(input: &[u8]) -> Result<(), TestCaseError> {
    check_with_list::<Person>(input)?;
    check_with_list::<Room>(input)?;
    check_with_list::<Membership>(input)?;
    check_with_list::<Message>(input)?;
    check_with_list::<Team>(input)?;
    check_with_list::<TeamMembership>(input)?;
    check_with_list::<Webhook>(input)?;
    check_with_list::<Event>(input)?;
    check_with_list::<RoomTab>(input)?;
    check_with_list::<License>(input)?;
    check_with_list::<Organization>(input)?;
    check_with_list::<Role>(input)?;
    check_with_list::<AttachmentAction>(input)?;
    check_with_list::<RoomMeetingInfo>(input)?;
    check::<WebhookDelivery>(input)?;
    check::<ApiErrorBody>(input)?;
    check::<TokenAnswer>(input)
}

/// Checks every request type (what the emulator decodes from a client).
fn check_requests(input: &[u8]) -> Result<(), TestCaseError> {
    check::<CreateMessage>(input)?;
    check::<UpdateMessage>(input)?;
    check::<CreateRoom>(input)?;
    check::<UpdateRoom>(input)?;
    check::<CreateMembership>(input)?;
    check::<UpdateMembership>(input)?;
    check::<CreateTeam>(input)?;
    check::<UpdateTeam>(input)?;
    check::<CreateTeamMembership>(input)?;
    check::<UpdateTeamMembership>(input)?;
    check::<CreateWebhook>(input)?;
    check::<UpdateWebhook>(input)?;
    check::<CreatePerson>(input)?;
    check::<UpdatePerson>(input)?;
    check::<CreateRoomTab>(input)?;
    check::<UpdateRoomTab>(input)?;
    check::<CreateAttachmentAction>(input)?;
    check::<TokenRequest>(input)
}

/// The field names of the model on the wire (camelCase; the OAuth types' snake_case).
const KEYS: &[&str] = &[
    "accessToken",
    "access_token",
    "actionType",
    "actorId",
    "addressType",
    "addresses",
    "appId",
    "attachments",
    "attendees",
    "avatar",
    "before",
    "beforeMessage",
    "callType",
    "classificationId",
    "clientId",
    "client_id",
    "client_secret",
    "code",
    "consumedByUsers",
    "consumedUnits",
    "content",
    "contentType",
    "contentUrl",
    "country",
    "created",
    "createdBy",
    "creatorId",
    "data",
    "department",
    "description",
    "displayName",
    "email",
    "emails",
    "errorCode",
    "errors",
    "event",
    "expires_in",
    "extension",
    "extra",
    "files",
    "filter",
    "firstName",
    "from",
    "grant_type",
    "host",
    "html",
    "id",
    "inputs",
    "invitePending",
    "isAnnouncementOnly",
    "isLocked",
    "isModerator",
    "isMonitor",
    "isPublic",
    "isReadOnly",
    "isRoomHidden",
    "items",
    "lastActivity",
    "lastModified",
    "lastName",
    "licenses",
    "locality",
    "loginEnabled",
    "manager",
    "managerId",
    "markdown",
    "max",
    "meetingId",
    "meetingLink",
    "meetingNumber",
    "mentionedGroups",
    "mentionedPeople",
    "message",
    "messageId",
    "name",
    "nickName",
    "notFoundIds",
    "orgId",
    "ownedBy",
    "parentId",
    "personDisplayName",
    "personEmail",
    "personId",
    "personOrgId",
    "phoneNumbers",
    "postalCode",
    "primary",
    "recipients",
    "refresh_token",
    "refresh_token_expires_in",
    "region",
    "resource",
    "roles",
    "roomId",
    "roomType",
    "scope",
    "secret",
    "sipAddress",
    "sipAddresses",
    "siteType",
    "siteUrl",
    "siteUrls",
    "sortBy",
    "status",
    "streetAddress",
    "subscriptionId",
    "targetUrl",
    "teamId",
    "text",
    "timezone",
    "title",
    "to",
    "toPersonEmail",
    "toPersonId",
    "token_type",
    "totalUnits",
    "trackingId",
    "type",
    "updated",
    "userId",
    "userType",
    "users",
    "value",
];

/// The enumeration words of the model on the wire.
const WORDS: &[&str] = &[
    "DoNotDisturb",
    "EXTERNAL",
    "INTERNAL",
    "OutOfOffice",
    "active",
    "all",
    "appuser",
    "attachmentActions",
    "bot",
    "call",
    "created",
    "creator",
    "deleted",
    "direct",
    "enterprise",
    "group",
    "id",
    "inactive",
    "lastactivity",
    "meeting",
    "memberships",
    "messages",
    "mobile",
    "org",
    "pending",
    "person",
    "rooms",
    "submit",
    "true",
    "false",
    "unknown",
    "updated",
    "work",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => "[a-zA-Z_]{1,10}",
    ]
}

/// ISO-8601-ish text: valid dates and times, near misses, and the edges of the calendar.
fn timestamp_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "(0000|1969|1970|2015|9999)-(0[0-9]|1[0-3])-[0-3][0-9][T ][0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,12})?(Z|[+-][0-2][0-9]:[0-5][0-9])?",
        Just("9999-12-31T23:59:59-23:59".to_owned()),
        Just("0000-01-01T00:00:00+23:59".to_owned()),
        Just("+10000-01-01T00:00:00Z".to_owned()),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Decimals with few digits: serde_json (without its `float_roundtrip` feature) may read
        // other floats one step off (see the finding at the end of this file).
        (any::<i32>(), 0i32..7)
            .prop_filter_map("finite", |(digits, scale)| {
                Number::from_f64(f64::from(digits) / 10f64.powi(scale))
            })
            .prop_map(Value::Number),
        ".{0,12}".prop_map(Value::String),
        timestamp_text().prop_map(Value::String),
        proptest::sample::select(WORDS).prop_map(Value::from),
    ]
}

/// Any JSON value, up to three levels deep.
fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(key(), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A JSON object as the API answers: known and unknown fields, with values of any shape.
fn object() -> impl Strategy<Value = Value> {
    proptest::collection::btree_map(key(), value(), 0..12)
        .prop_map(|map| Value::Object(map.into_iter().collect()))
}

/// One way to damage bytes of JSON.
#[derive(Debug, Clone)]
enum Damage {
    Truncate(prop::sample::Index),
    Replace(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Remove(prop::sample::Index),
}

fn damage() -> impl Strategy<Value = Damage> {
    let byte = prop_oneof![
        any::<u8>(),
        proptest::sample::select(b"{}[]\":,\\0123456789-.eEtfn ".to_vec()),
    ];
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Damage::Truncate),
        (any::<prop::sample::Index>(), byte.clone()).prop_map(|(at, b)| Damage::Replace(at, b)),
        (any::<prop::sample::Index>(), byte).prop_map(|(at, b)| Damage::Insert(at, b)),
        any::<prop::sample::Index>().prop_map(Damage::Remove),
    ]
}

fn apply(bytes: &mut Vec<u8>, damage: &Damage) {
    if bytes.is_empty() {
        return;
    }
    match damage {
        Damage::Truncate(at) => bytes.truncate(at.index(bytes.len())),
        Damage::Replace(at, byte) => {
            let at = at.index(bytes.len());
            bytes[at] = *byte;
        }
        Damage::Insert(at, byte) => bytes.insert(at.index(bytes.len() + 1), *byte),
        Damage::Remove(at) => {
            bytes.remove(at.index(bytes.len()));
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_decode_or_fail_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        check_answers(&bytes)?;
        check_requests(&bytes)?;
    }

    #[test]
    fn generated_resources_decode_stably_and_within_bounds(object in object()) {
        let bytes = serde_json::to_vec(&object).expect("a JSON value encodes");
        check_answers(&bytes)?;
        check_requests(&bytes)?;
    }

    #[test]
    fn generated_pages_decode_stably_and_within_bounds(
        items in proptest::collection::vec(object(), 0..4),
        not_found in proptest::option::of(value()),
    ) {
        let mut page = Map::new();
        page.insert("items".to_owned(), Value::Array(items));
        if let Some(not_found) = not_found {
            page.insert("notFoundIds".to_owned(), not_found);
        }
        let bytes = serde_json::to_vec(&Value::Object(page)).expect("a JSON value encodes");
        check_answers(&bytes)?;
    }

    #[test]
    fn damaged_resources_decode_or_fail_cleanly(
        object in object(),
        damages in proptest::collection::vec(damage(), 1..4),
    ) {
        let mut bytes = serde_json::to_vec(&object).expect("a JSON value encodes");
        for damage in &damages {
            apply(&mut bytes, damage);
        }
        check_answers(&bytes)?;
        check_requests(&bytes)?;
    }
}

#[test]
fn generated_json_decodes_often_enough_to_test_decoding() {
    let mut runner = TestRunner::deterministic();
    let (mut messages, mut pages) = (0, 0);
    for _ in 0..256 {
        let object = object()
            .new_tree(&mut runner)
            .expect("the strategy generates")
            .current();
        let page = serde_json::json!({ "items": [object.clone(), object.clone()] });
        messages += usize::from(serde_json::from_value::<Message>(object).is_ok());
        pages += usize::from(serde_json::from_value::<ListEnvelope<Person>>(page).is_ok());
    }
    assert!(
        messages >= 64,
        "{messages} of 256 objects decode as a message"
    );
    assert!(
        pages >= 64,
        "{pages} of 256 pages decode as a page of people"
    );
}

/// A card's inputs (and a card's content) are kept as JSON values. serde_json reads a float
/// with many digits and a large exponent to a neighbouring float unless its `float_roundtrip`
/// feature is on (the workspace turns it on), so such a number changed in its last digit each
/// time it was decoded and encoded again: `-4.16985897280964e37` decoded as
/// `-4.1698589728096395e37`, which is another float (the literal below is read exactly by the
/// Rust compiler).
#[test]
fn a_float_in_card_inputs_is_read_exactly() {
    let body = br#"{"id":"A1","inputs":{"amount":-4.16985897280964e+37}}"#;
    let action: AttachmentAction = serde_json::from_slice(body).expect("the action decodes");
    let amount = action.inputs.expect("inputs")["amount"].as_f64();
    assert_eq!(amount, Some(-4.16985897280964e37));
}

proptest! {
    #![proptest_config(config())]

    /// Any finite float, written as serde_json writes it (the shortest form that reads back) or
    /// in exponent form, is read back from a card's inputs as the same float.
    #[test]
    fn any_float_in_card_inputs_is_read_exactly(
        amount in any::<f64>().prop_filter("JSON has no infinities or NaN", |x| x.is_finite()),
        exponent_form in any::<bool>(),
    ) {
        let written = if exponent_form {
            format!("{amount:e}")
        } else {
            serde_json::to_string(&amount).expect("a finite float encodes")
        };
        let body = format!(r#"{{"id":"A1","inputs":{{"amount":{written}}}}}"#);
        let action: AttachmentAction = serde_json::from_str(&body).expect("the action decodes");
        let read = action.inputs.expect("inputs")["amount"].as_f64();
        prop_assert_eq!(read, Some(amount), "{}", written);
    }
}
