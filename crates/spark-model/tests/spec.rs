//! Checks the models against the official OpenAPI specs in `spec/`.
//!
//! - Every property of every covered resource schema (following `$ref` and `allOf`, into nested
//!   objects and arrays) survives a decode and re-encode through our type.
//! - Every body property and query parameter of every covered operation survives a decode and
//!   re-encode through our request type (query strings through `serde_urlencoded`).
//! - Every example of a 2xx answer of a covered operation decodes into our type, and keeps every
//!   field when encoded again.
//!
//! - Every property of every component schema the generator made a type of (the four specs:
//!   messaging, meetings, devices, admin) survives a decode and re-encode through that type.
//!
//! Deliberate omissions are listed below with their reason; the tests also fail when a listed
//! omission is no longer needed, so the lists stay true.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use spark_model::*;

const MESSAGING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../spec/webex-messaging.json"
);
const ADMIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/webex-admin.json");
const MEETINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/webex-meeting.json");
const DEVICES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../spec/webex-device.json");

#[derive(Clone, Copy, Debug)]
enum Spec {
    Messaging,
    Admin,
    Meetings,
    Devices,
}

impl Spec {
    /// The spec of a file name under `spec/`.
    fn from_file(file: &str) -> Spec {
        match file {
            "webex-messaging.json" => Spec::Messaging,
            "webex-admin.json" => Spec::Admin,
            "webex-meeting.json" => Spec::Meetings,
            "webex-device.json" => Spec::Devices,
            other => panic!("no spec {other}"),
        }
    }
}

fn spec(which: Spec) -> &'static Value {
    static MESSAGING_SPEC: OnceLock<Value> = OnceLock::new();
    static ADMIN_SPEC: OnceLock<Value> = OnceLock::new();
    static MEETINGS_SPEC: OnceLock<Value> = OnceLock::new();
    static DEVICES_SPEC: OnceLock<Value> = OnceLock::new();
    let (cell, path) = match which {
        Spec::Messaging => (&MESSAGING_SPEC, MESSAGING),
        Spec::Admin => (&ADMIN_SPEC, ADMIN),
        Spec::Meetings => (&MEETINGS_SPEC, MEETINGS),
        Spec::Devices => (&DEVICES_SPEC, DEVICES),
    };
    cell.get_or_init(|| {
        let text = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{path}: {err}"));
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{path}: {err}"))
    })
}

/// Decodes JSON text into `T` and encodes it again: the path a real answer takes.
type Codec = fn(&Value) -> Result<Value, String>;

fn codec<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let text = value.to_string();
    let decoded: T = serde_json::from_str(&text).map_err(|err| err.to_string())?;
    serde_json::to_value(&decoded).map_err(|err| err.to_string())
}

/// Decodes a query string into `T` and encodes it again.
type QueryCodec = fn(&str) -> Result<String, String>;

fn query_codec<T: DeserializeOwned + Serialize>(query: &str) -> Result<String, String> {
    let decoded: T = serde_urlencoded::from_str(query).map_err(|err| err.to_string())?;
    serde_urlencoded::to_string(&decoded).map_err(|err| err.to_string())
}

// ---------------------------------------------------------------------------------------------
// Schema walking
// ---------------------------------------------------------------------------------------------

/// Follows `$ref`s and merges `allOf` into one object schema.
fn resolve(which: Spec, schema: &Value) -> Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap();
        let target = &spec(which)["components"]["schemas"][name];
        assert!(!target.is_null(), "dangling $ref {reference}");
        return resolve(which, target);
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut properties = Map::new();
        for part in parts {
            let part = resolve(which, part);
            if let Some(props) = part.get("properties").and_then(Value::as_object) {
                properties.extend(props.clone());
            }
        }
        return json!({"type": "object", "properties": properties});
    }
    schema.clone()
}

fn properties(schema: &Value) -> Option<&Map<String, Value>> {
    schema.get("properties").and_then(Value::as_object)
}

/// A plausible value for a schema: its example when it has a scalar one, else one built from
/// its type (arrays get one element, objects all their properties).
fn sample(which: Spec, schema: &Value) -> Value {
    let schema = resolve(which, schema);
    if let Some(props) = properties(&schema) {
        let mut object = Map::new();
        for (name, prop) in props {
            object.insert(name.clone(), sample(which, prop));
        }
        return Value::Object(object);
    }
    match schema.get("example") {
        Some(example) if !example.is_null() && !example.is_array() && !example.is_object() => {
            return example.clone();
        }
        _ => {}
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => json!([sample(which, schema.get("items").unwrap_or(&json!({})))]),
        Some("object") => json!({"someKey": "some value"}),
        Some("boolean") => json!(true),
        Some("number") | Some("integer") => json!(7),
        Some("string") => json!("some text"),
        // `items: {}`: anything goes.
        _ => json!({"someKey": "some value"}),
    }
}

/// Whether two leaf values are the same for the API: timestamps compare as instants, and the
/// strings `"true"`/`"false"` equal the booleans.
fn same(a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (Value::String(x), Value::String(y)) => {
            match (x.parse::<Timestamp>(), y.parse::<Timestamp>()) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            }
        }
        (Value::String(s), Value::Bool(flag)) | (Value::Bool(flag), Value::String(s)) => {
            s.eq_ignore_ascii_case(if *flag { "true" } else { "false" })
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => false,
    }
}

/// Walks `schema` and reports, as dotted paths, each property the re-encoded value lacks
/// (`missing`) or changed (`changed`).
fn compare_with_schema(
    which: Spec,
    schema: &Value,
    sent: &Value,
    got: &Value,
    path: &str,
    missing: &mut Vec<String>,
    changed: &mut Vec<String>,
) {
    let schema = resolve(which, schema);
    if let Some(props) = properties(&schema) {
        for (name, prop) in props {
            let here = format!("{path}.{name}");
            let Some(sent_value) = sent.get(name) else {
                continue;
            };
            match got.get(name) {
                None | Some(Value::Null) => missing.push(here),
                Some(got_value) => {
                    compare_with_schema(which, prop, sent_value, got_value, &here, missing, changed)
                }
            }
        }
        return;
    }
    match (sent, got) {
        (Value::Array(sent_items), Value::Array(got_items)) => {
            if sent_items.len() != got_items.len() {
                changed.push(path.to_owned());
                return;
            }
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            for (index, (s, g)) in sent_items.iter().zip(got_items).enumerate() {
                let here = format!("{path}[{index}]");
                compare_with_schema(which, &items, s, g, &here, missing, changed);
            }
        }
        (Value::Object(_), Value::Object(_)) => compare_values(sent, got, path, missing, changed),
        _ if same(sent, got) => {}
        _ => changed.push(format!("{path} ({sent} became {got})")),
    }
}

/// Compares two JSON values without a schema: every key of `sent` must survive in `got`.
fn compare_values(
    sent: &Value,
    got: &Value,
    path: &str,
    missing: &mut Vec<String>,
    changed: &mut Vec<String>,
) {
    match (sent, got) {
        (Value::Object(sent), Value::Object(got)) => {
            for (name, sent_value) in sent {
                let here = format!("{path}.{name}");
                match got.get(name) {
                    None | Some(Value::Null) if !sent_value.is_null() => missing.push(here),
                    None | Some(Value::Null) => {}
                    Some(got_value) => {
                        compare_values(sent_value, got_value, &here, missing, changed)
                    }
                }
            }
        }
        (Value::Array(sent), Value::Array(got)) if sent.len() == got.len() => {
            for (index, (s, g)) in sent.iter().zip(got).enumerate() {
                compare_values(s, g, &format!("{path}[{index}]"), missing, changed);
            }
        }
        _ if same(sent, got) => {}
        _ => changed.push(format!("{path} ({sent} became {got})")),
    }
}

/// Checks the reported gaps against the expected omissions: fails on a gap not listed, and on
/// a listed omission that is no longer a gap.
fn assert_gaps(what: &str, gaps: &[String], omitted: &[(&str, &str)]) {
    let gaps: BTreeSet<&str> = gaps.iter().map(String::as_str).collect();
    let listed: BTreeSet<&str> = omitted.iter().map(|(path, _)| *path).collect();
    let unexpected: Vec<_> = gaps.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&gaps).collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{what}: spec fields our types lose: {unexpected:#?}\nlisted omissions that are not missing: {stale:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Generated types
// ---------------------------------------------------------------------------------------------

#[cfg(all(feature = "meetings", feature = "devices", feature = "admin"))]
#[path = "generated/schemas.rs"]
mod generated;

/// Every component schema the generator made a type of: a sample of it (every property, from
/// the spec's examples where it has them) survives a decode and re-encode through the type.
#[cfg(all(feature = "meetings", feature = "devices", feature = "admin"))]
#[test]
fn every_property_of_every_generated_schema_survives_its_type() {
    let mut missing = Vec::new();
    let mut changed = Vec::new();
    let mut failed = Vec::new();
    for (file, name, codec) in generated::SCHEMAS {
        let which = Spec::from_file(file);
        let schema = json!({"$ref": format!("#/components/schemas/{name}")});
        let sent = sample(which, &schema);
        match codec(&sent) {
            Ok(got) => compare_with_schema(
                which,
                &schema,
                &sent,
                &got,
                &format!("{file}:{name}"),
                &mut missing,
                &mut changed,
            ),
            Err(error) => failed.push(format!("{file}:{name}: {error}")),
        }
    }
    println!(
        "{} generated schemas checked: {} did not decode, {} properties lost, {} changed",
        generated::SCHEMAS.len(),
        failed.len(),
        missing.len(),
        changed.len()
    );
    assert!(generated::SCHEMAS.len() > 300);
    assert!(
        failed.is_empty(),
        "samples that did not decode: {failed:#?}"
    );
    assert!(missing.is_empty(), "properties lost: {missing:#?}");
    assert!(changed.is_empty(), "properties changed: {changed:#?}");
}

// ---------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------

/// Every covered resource schema, and the type that models it.
const RESOURCES: &[(Spec, &str, Codec)] = &[
    (Spec::Messaging, "Person", codec::<Person>),
    (
        Spec::Messaging,
        "PersonCollectionResponse",
        codec::<ListEnvelope<Person>>,
    ),
    (Spec::Messaging, "Room", codec::<Room>),
    (
        Spec::Messaging,
        "RoomCollectionResponse",
        codec::<ListEnvelope<Room>>,
    ),
    (
        Spec::Messaging,
        "RoomMeetingDetails",
        codec::<RoomMeetingInfo>,
    ),
    (Spec::Messaging, "Membership", codec::<Membership>),
    (
        Spec::Messaging,
        "MembershipCollectionResponse",
        codec::<ListEnvelope<Membership>>,
    ),
    (Spec::Messaging, "Message", codec::<Message>),
    (Spec::Messaging, "ListMessage", codec::<Message>),
    (Spec::Messaging, "DirectMessage", codec::<Message>),
    (
        Spec::Messaging,
        "MessageCollectionResponse",
        codec::<ListEnvelope<Message>>,
    ),
    (
        Spec::Messaging,
        "ListMessageCollectionResponse",
        codec::<ListEnvelope<Message>>,
    ),
    (
        Spec::Messaging,
        "DirectMessageCollectionResponse",
        codec::<ListEnvelope<Message>>,
    ),
    (Spec::Messaging, "Attachment", codec::<Attachment>),
    (Spec::Messaging, "Team", codec::<Team>),
    (
        Spec::Messaging,
        "TeamCollectionResponse",
        codec::<ListEnvelope<Team>>,
    ),
    (Spec::Messaging, "TeamMembership", codec::<TeamMembership>),
    (
        Spec::Messaging,
        "TeamMembershipCollectionResponse",
        codec::<ListEnvelope<TeamMembership>>,
    ),
    (Spec::Messaging, "Webhook", codec::<Webhook>),
    (
        Spec::Messaging,
        "WebhookCollectionResponse",
        codec::<ListEnvelope<Webhook>>,
    ),
    (Spec::Messaging, "Event", codec::<Event>),
    (
        Spec::Messaging,
        "EventCollectionResponse",
        codec::<ListEnvelope<Event>>,
    ),
    (
        Spec::Messaging,
        "AttachmentActivity",
        codec::<AttachmentAction>,
    ),
    (
        Spec::Messaging,
        "SubmitCardActionResponse",
        codec::<AttachmentAction>,
    ),
    (Spec::Messaging, "RoomTab", codec::<RoomTab>),
    (
        Spec::Messaging,
        "RoomTabsCollectionResponse",
        codec::<ListEnvelope<RoomTab>>,
    ),
    (Spec::Admin, "Person", codec::<Person>),
    (
        Spec::Admin,
        "PersonCollectionResponse",
        codec::<ListEnvelope<Person>>,
    ),
    (Spec::Admin, "Event", codec::<Event>),
    (
        Spec::Admin,
        "EventCollectionResponse",
        codec::<ListEnvelope<Event>>,
    ),
    (Spec::Admin, "Webhook", codec::<Webhook>),
    (Spec::Admin, "Organization", codec::<Organization>),
    (
        Spec::Admin,
        "OrganizationCollectionResponse",
        codec::<ListEnvelope<Organization>>,
    ),
    (Spec::Admin, "License", codec::<License>),
    (Spec::Admin, "LicensewithUsers", codec::<License>),
    (
        Spec::Admin,
        "LicenseCollectionResponse",
        codec::<ListEnvelope<License>>,
    ),
    (Spec::Admin, "Role", codec::<Role>),
    (
        Spec::Admin,
        "RoleCollectionResponse",
        codec::<ListEnvelope<Role>>,
    ),
];

/// Resource properties we deliberately do not model, as `Schema.path`, with the reason.
const OMITTED_RESOURCE_FIELDS: &[(&str, &str)] = &[];

#[test]
fn every_spec_property_of_a_covered_resource_is_a_field_of_ours() {
    let mut missing = Vec::new();
    let mut changed = Vec::new();
    for (which, name, codec) in RESOURCES {
        let schema = &spec(*which)["components"]["schemas"][*name];
        assert!(!schema.is_null(), "{which:?} spec has no schema {name}");
        let props = properties(&resolve(*which, schema)).map_or(0, Map::len);
        assert!(props > 0, "{which:?} {name} has no properties to check");
        let sent = sample(*which, schema);
        let got = codec(&sent).unwrap_or_else(|err| panic!("{which:?} {name}: {err}\n{sent:#}"));
        compare_with_schema(
            *which,
            schema,
            &sent,
            &got,
            name,
            &mut missing,
            &mut changed,
        );
    }
    assert!(
        changed.is_empty(),
        "values changed by a round trip: {changed:#?}"
    );
    assert_gaps("resources", &missing, OMITTED_RESOURCE_FIELDS);
}

// ---------------------------------------------------------------------------------------------
// Operations: request parameters
// ---------------------------------------------------------------------------------------------

/// The request-body type of each covered operation that takes a JSON body.
const BODIES: &[(Spec, &str, &str, Codec)] = &[
    (Spec::Messaging, "post", "/people", codec::<CreatePerson>),
    (
        Spec::Messaging,
        "put",
        "/people/{personId}",
        codec::<UpdatePerson>,
    ),
    (Spec::Admin, "post", "/people", codec::<CreatePerson>),
    (
        Spec::Admin,
        "put",
        "/people/{personId}",
        codec::<UpdatePerson>,
    ),
    (Spec::Messaging, "post", "/rooms", codec::<CreateRoom>),
    (
        Spec::Messaging,
        "put",
        "/rooms/{roomId}",
        codec::<UpdateRoom>,
    ),
    (
        Spec::Messaging,
        "post",
        "/memberships",
        codec::<CreateMembership>,
    ),
    (
        Spec::Messaging,
        "put",
        "/memberships/{membershipId}",
        codec::<UpdateMembership>,
    ),
    (Spec::Messaging, "post", "/messages", codec::<CreateMessage>),
    (
        Spec::Messaging,
        "put",
        "/messages/{messageId}",
        codec::<UpdateMessage>,
    ),
    (Spec::Messaging, "post", "/teams", codec::<CreateTeam>),
    (
        Spec::Messaging,
        "put",
        "/teams/{teamId}",
        codec::<UpdateTeam>,
    ),
    (
        Spec::Messaging,
        "post",
        "/team/memberships",
        codec::<CreateTeamMembership>,
    ),
    (
        Spec::Messaging,
        "put",
        "/team/memberships/{membershipId}",
        codec::<UpdateTeamMembership>,
    ),
    (Spec::Messaging, "post", "/webhooks", codec::<CreateWebhook>),
    (
        Spec::Messaging,
        "put",
        "/webhooks/{webhookId}",
        codec::<UpdateWebhook>,
    ),
    (
        Spec::Messaging,
        "post",
        "/attachment/actions",
        codec::<CreateAttachmentAction>,
    ),
    (
        Spec::Messaging,
        "post",
        "/room/tabs",
        codec::<CreateRoomTab>,
    ),
    (
        Spec::Messaging,
        "put",
        "/room/tabs/{id}",
        codec::<UpdateRoomTab>,
    ),
];

/// The query-parameter type of each covered list operation.
const QUERIES: &[(Spec, &str, QueryCodec)] = &[
    (Spec::Messaging, "/people", query_codec::<ListPeople>),
    (Spec::Admin, "/people", query_codec::<ListPeople>),
    (Spec::Messaging, "/rooms", query_codec::<ListRooms>),
    (
        Spec::Messaging,
        "/memberships",
        query_codec::<ListMemberships>,
    ),
    (Spec::Messaging, "/messages", query_codec::<ListMessages>),
    (
        Spec::Messaging,
        "/messages/direct",
        query_codec::<ListDirectMessages>,
    ),
    (Spec::Messaging, "/teams", query_codec::<ListTeams>),
    (
        Spec::Messaging,
        "/team/memberships",
        query_codec::<ListTeamMemberships>,
    ),
    (Spec::Messaging, "/webhooks", query_codec::<ListWebhooks>),
    (Spec::Messaging, "/events", query_codec::<ListEvents>),
    (Spec::Admin, "/events", query_codec::<ListEvents>),
    (Spec::Messaging, "/room/tabs", query_codec::<ListRoomTabs>),
    (Spec::Admin, "/licenses", query_codec::<ListLicenses>),
    (
        Spec::Admin,
        "/organizations",
        query_codec::<ListOrganizations>,
    ),
    (Spec::Admin, "/roles", query_codec::<ListRoles>),
];

/// Query parameters of covered operations that no request type of ours carries.
const OMITTED_QUERY_PARAMETERS: &[(&str, &str)] = &[
    (
        "post /people?callingData",
        "response-shaping option of a create: the HTTP layer adds it to the URL if wanted",
    ),
    (
        "post /people?minResponse",
        "response-shaping option of a create: the HTTP layer adds it to the URL if wanted",
    ),
    (
        "put /people/{personId}?callingData",
        "response-shaping option of an update: the HTTP layer adds it to the URL if wanted",
    ),
    (
        "put /people/{personId}?showAllTypes",
        "response-shaping option of an update: the HTTP layer adds it to the URL if wanted",
    ),
    (
        "put /people/{personId}?minResponse",
        "response-shaping option of an update: the HTTP layer adds it to the URL if wanted",
    ),
    (
        "get /people/{personId}?callingData",
        "Get operations take an ID, not a parameter type; the option goes in the URL",
    ),
    (
        "get /people/me?callingData",
        "Get operations take an ID, not a parameter type; the option goes in the URL",
    ),
    (
        "get /teams/{teamId}?description",
        "a spec error: a team description as a filter of Get Team Details",
    ),
    (
        "get /licenses/{licenseId}?includeAssignedTo",
        "Get operations take an ID, not a parameter type; `License.users` models the answer",
    ),
    (
        "get /licenses/{licenseId}?next",
        "Get operations take an ID, not a parameter type; paging of license users is not covered",
    ),
    (
        "get /licenses/{licenseId}?limit",
        "Get operations take an ID, not a parameter type; paging of license users is not covered",
    ),
];

/// Every path we cover, per spec; their operations are all checked.
const COVERED_PATHS: &[(Spec, &[&str])] = &[
    (
        Spec::Messaging,
        &[
            "/attachment/actions",
            "/attachment/actions/{id}",
            "/events",
            "/events/{eventId}",
            "/memberships",
            "/memberships/{membershipId}",
            "/messages",
            "/messages/direct",
            "/messages/{messageId}",
            "/people",
            "/people/{personId}",
            "/people/me",
            "/room/tabs",
            "/room/tabs/{id}",
            "/rooms",
            "/rooms/{roomId}",
            "/rooms/{roomId}/meetingInfo",
            "/team/memberships",
            "/team/memberships/{membershipId}",
            "/teams",
            "/teams/{teamId}",
            "/webhooks",
            "/webhooks/{webhookId}",
        ],
    ),
    (
        Spec::Admin,
        &[
            "/organizations",
            "/organizations/{orgId}",
            "/licenses",
            "/licenses/{licenseId}",
            "/roles",
            "/roles/{roleId}",
            "/events",
            "/events/{eventId}",
            "/people",
            "/people/{personId}",
            "/people/me",
        ],
    ),
];

fn operations(which: Spec) -> impl Iterator<Item = (&'static str, &'static str, &'static Value)> {
    let paths = COVERED_PATHS
        .iter()
        .find(|(spec_kind, _)| std::mem::discriminant(spec_kind) == std::mem::discriminant(&which))
        .map(|(_, paths)| *paths)
        .unwrap();
    paths.iter().flat_map(move |path| {
        let item = spec(which)["paths"][*path]
            .as_object()
            .unwrap_or_else(|| panic!("{which:?} spec has no path {path}"));
        ["get", "post", "put", "delete", "patch"]
            .into_iter()
            .filter_map(move |method| item.get(method).map(|op| (method, *path, op)))
    })
}

fn same_spec(a: Spec, b: Spec) -> bool {
    std::mem::discriminant(&a) == std::mem::discriminant(&b)
}

#[test]
fn every_body_property_of_a_covered_operation_is_a_field_of_ours() {
    let mut missing = Vec::new();
    let mut changed = Vec::new();
    let mut checked = 0;
    for which in [Spec::Messaging, Spec::Admin] {
        for (method, path, op) in operations(which) {
            let Some(body) = op.get("requestBody") else {
                continue;
            };
            let schema = &body["content"]["application/json"]["schema"];
            assert!(!schema.is_null(), "{method} {path}: body is not JSON");
            let codec = BODIES
                .iter()
                .find(|(w, m, p, _)| same_spec(*w, which) && *m == method && *p == path)
                .map(|(_, _, _, codec)| *codec)
                .unwrap_or_else(|| panic!("{which:?} {method} {path}: no request type"));
            let sent = sample(which, schema);
            let got = codec(&sent).unwrap_or_else(|err| panic!("{method} {path}: {err}\n{sent:#}"));
            let what = format!("{method} {path}");
            compare_with_schema(
                which,
                schema,
                &sent,
                &got,
                &what,
                &mut missing,
                &mut changed,
            );
            checked += 1;
        }
    }
    assert_eq!(checked, BODIES.len(), "every body type is checked once");
    assert!(
        changed.is_empty(),
        "values changed by a round trip: {changed:#?}"
    );
    assert_gaps("request bodies", &missing, &[]);
}

#[test]
fn every_query_parameter_of_a_covered_operation_is_a_field_of_ours() {
    let mut missing = Vec::new();
    let mut checked = 0;
    for which in [Spec::Messaging, Spec::Admin] {
        for (method, path, op) in operations(which) {
            let params: Vec<&Value> = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|params| params.iter().filter(|p| p["in"] == "query").collect())
                .unwrap_or_default();
            let codec = QUERIES
                .iter()
                .find(|(w, p, _)| same_spec(*w, which) && method == "get" && *p == path)
                .map(|(_, _, codec)| *codec);
            let Some(codec) = codec else {
                // No parameter type: each query parameter must be a listed omission.
                missing.extend(
                    params
                        .iter()
                        .map(|p| format!("{method} {path}?{}", p["name"].as_str().unwrap())),
                );
                continue;
            };
            let pairs: Vec<(String, String)> = params
                .iter()
                .map(|param| {
                    let name = param["name"].as_str().unwrap().to_owned();
                    let value = match &param["example"] {
                        Value::String(text) => text.clone(),
                        Value::Null => sample(which, &param["schema"]).to_string(),
                        other => other.to_string(),
                    };
                    (name, value)
                })
                .collect();
            let query = serde_urlencoded::to_string(&pairs).unwrap();
            let again =
                codec(&query).unwrap_or_else(|err| panic!("{method} {path}?{query}: {err}"));
            let got: Vec<(String, String)> = serde_urlencoded::from_str(&again).unwrap();
            for (name, value) in &pairs {
                match got.iter().find(|(n, _)| n == name) {
                    None => missing.push(format!("{method} {path}?{name}")),
                    Some((_, got_value)) => assert!(
                        same(&json!(value), &json!(got_value)),
                        "{method} {path}?{name}: {value} became {got_value}"
                    ),
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, QUERIES.len(), "every query type is checked once");
    assert_gaps("query parameters", &missing, OMITTED_QUERY_PARAMETERS);
}

// ---------------------------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------------------------

/// The answer type of each covered operation with a 2xx body.
const ANSWERS: &[(Spec, &str, &str, Codec)] = &[
    (
        Spec::Messaging,
        "post",
        "/attachment/actions",
        codec::<AttachmentAction>,
    ),
    (
        Spec::Messaging,
        "get",
        "/attachment/actions/{id}",
        codec::<AttachmentAction>,
    ),
    (
        Spec::Messaging,
        "get",
        "/events",
        codec::<ListEnvelope<Event>>,
    ),
    (Spec::Messaging, "get", "/events/{eventId}", codec::<Event>),
    (
        Spec::Messaging,
        "get",
        "/memberships",
        codec::<ListEnvelope<Membership>>,
    ),
    (Spec::Messaging, "post", "/memberships", codec::<Membership>),
    (
        Spec::Messaging,
        "get",
        "/memberships/{membershipId}",
        codec::<Membership>,
    ),
    (
        Spec::Messaging,
        "put",
        "/memberships/{membershipId}",
        codec::<Membership>,
    ),
    (
        Spec::Messaging,
        "get",
        "/messages",
        codec::<ListEnvelope<Message>>,
    ),
    (Spec::Messaging, "post", "/messages", codec::<Message>),
    (
        Spec::Messaging,
        "get",
        "/messages/direct",
        codec::<ListEnvelope<Message>>,
    ),
    (
        Spec::Messaging,
        "put",
        "/messages/{messageId}",
        codec::<Message>,
    ),
    (
        Spec::Messaging,
        "get",
        "/messages/{messageId}",
        codec::<Message>,
    ),
    (
        Spec::Messaging,
        "get",
        "/people",
        codec::<ListEnvelope<Person>>,
    ),
    (Spec::Messaging, "post", "/people", codec::<Person>),
    (
        Spec::Messaging,
        "get",
        "/people/{personId}",
        codec::<Person>,
    ),
    (
        Spec::Messaging,
        "put",
        "/people/{personId}",
        codec::<Person>,
    ),
    (Spec::Messaging, "get", "/people/me", codec::<Person>),
    (
        Spec::Messaging,
        "get",
        "/room/tabs",
        codec::<ListEnvelope<RoomTab>>,
    ),
    (Spec::Messaging, "post", "/room/tabs", codec::<RoomTab>),
    (Spec::Messaging, "get", "/room/tabs/{id}", codec::<RoomTab>),
    (Spec::Messaging, "put", "/room/tabs/{id}", codec::<RoomTab>),
    (
        Spec::Messaging,
        "get",
        "/rooms",
        codec::<ListEnvelope<Room>>,
    ),
    (Spec::Messaging, "post", "/rooms", codec::<Room>),
    (Spec::Messaging, "get", "/rooms/{roomId}", codec::<Room>),
    (Spec::Messaging, "put", "/rooms/{roomId}", codec::<Room>),
    (
        Spec::Messaging,
        "get",
        "/rooms/{roomId}/meetingInfo",
        codec::<RoomMeetingInfo>,
    ),
    (
        Spec::Messaging,
        "get",
        "/team/memberships",
        codec::<ListEnvelope<TeamMembership>>,
    ),
    (
        Spec::Messaging,
        "post",
        "/team/memberships",
        codec::<TeamMembership>,
    ),
    (
        Spec::Messaging,
        "get",
        "/team/memberships/{membershipId}",
        codec::<TeamMembership>,
    ),
    (
        Spec::Messaging,
        "put",
        "/team/memberships/{membershipId}",
        codec::<TeamMembership>,
    ),
    (
        Spec::Messaging,
        "get",
        "/teams",
        codec::<ListEnvelope<Team>>,
    ),
    (Spec::Messaging, "post", "/teams", codec::<Team>),
    (Spec::Messaging, "get", "/teams/{teamId}", codec::<Team>),
    (Spec::Messaging, "put", "/teams/{teamId}", codec::<Team>),
    (
        Spec::Messaging,
        "get",
        "/webhooks",
        codec::<ListEnvelope<Webhook>>,
    ),
    (Spec::Messaging, "post", "/webhooks", codec::<Webhook>),
    (
        Spec::Messaging,
        "get",
        "/webhooks/{webhookId}",
        codec::<Webhook>,
    ),
    (
        Spec::Messaging,
        "put",
        "/webhooks/{webhookId}",
        codec::<Webhook>,
    ),
    (
        Spec::Admin,
        "get",
        "/organizations",
        codec::<ListEnvelope<Organization>>,
    ),
    (
        Spec::Admin,
        "get",
        "/organizations/{orgId}",
        codec::<Organization>,
    ),
    (
        Spec::Admin,
        "get",
        "/licenses",
        codec::<ListEnvelope<License>>,
    ),
    (
        Spec::Admin,
        "get",
        "/licenses/{licenseId}",
        codec::<License>,
    ),
    (Spec::Admin, "get", "/roles", codec::<ListEnvelope<Role>>),
    (Spec::Admin, "get", "/roles/{roleId}", codec::<Role>),
    (Spec::Admin, "get", "/events", codec::<ListEnvelope<Event>>),
    (Spec::Admin, "get", "/events/{eventId}", codec::<Event>),
    (Spec::Admin, "get", "/people", codec::<ListEnvelope<Person>>),
    (Spec::Admin, "post", "/people", codec::<Person>),
    (Spec::Admin, "get", "/people/{personId}", codec::<Person>),
    (Spec::Admin, "put", "/people/{personId}", codec::<Person>),
    (Spec::Admin, "get", "/people/me", codec::<Person>),
];

/// Examples of covered answers that are not decoded, as `spec method path status`, with the
/// reason. None today.
const SKIPPED_EXAMPLES: &[(&str, &str)] = &[];

/// How many examples the specs hold for the covered answers (all decoded but the skipped).
const EXPECTED_EXAMPLES: usize = 52;

#[test]
fn every_example_answer_of_a_covered_operation_decodes_and_round_trips() {
    let mut decoded = 0;
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    let mut missing = Vec::new();
    let mut changed = Vec::new();
    let mut used = BTreeSet::new();
    for which in [Spec::Messaging, Spec::Admin] {
        for (method, path, op) in operations(which) {
            let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                continue;
            };
            for (status, response) in responses {
                if !status.starts_with('2') {
                    continue;
                }
                let Some(content) = response.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for (media_type, body) in content {
                    let mut examples: Vec<&Value> = body.get("example").into_iter().collect();
                    if let Some(named) = body.get("examples").and_then(Value::as_object) {
                        examples.extend(named.values().map(|example| &example["value"]));
                    }
                    if examples.is_empty() {
                        continue;
                    }
                    let label = format!("{which:?} {method} {path} {status}");
                    if let Some((_, reason)) = SKIPPED_EXAMPLES.iter().find(|(l, _)| *l == label) {
                        skipped.push(format!("{label}: {reason}"));
                        continue;
                    }
                    assert_eq!(media_type, "application/json", "{label}");
                    let index = ANSWERS
                        .iter()
                        .position(|(w, m, p, _)| same_spec(*w, which) && *m == method && *p == path)
                        .unwrap_or_else(|| panic!("{label}: no answer type"));
                    used.insert(index);
                    let codec = ANSWERS[index].3;
                    for example in examples {
                        match codec(example) {
                            Ok(got) => {
                                compare_values(example, &got, &label, &mut missing, &mut changed);
                                decoded += 1;
                            }
                            Err(err) => failures.push(format!("{label}: {err}")),
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "examples that do not decode: {failures:#?}"
    );
    assert!(
        missing.is_empty(),
        "example fields lost by a round trip: {missing:#?}"
    );
    assert!(
        changed.is_empty(),
        "example values changed by a round trip: {changed:#?}"
    );
    assert_eq!(
        skipped.len(),
        SKIPPED_EXAMPLES.len(),
        "skipped: {skipped:#?}"
    );
    assert_eq!(decoded, EXPECTED_EXAMPLES, "decoded examples");
    assert_eq!(
        used.len(),
        ANSWERS.len(),
        "every answer type has an example"
    );
}
